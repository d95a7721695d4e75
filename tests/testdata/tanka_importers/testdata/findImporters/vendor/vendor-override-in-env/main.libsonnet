{
  origin: 'root vendor',
}
