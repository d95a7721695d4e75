{
  new(kind, colour, size='m'):: { kind: kind, colour: colour, size: size },
}
