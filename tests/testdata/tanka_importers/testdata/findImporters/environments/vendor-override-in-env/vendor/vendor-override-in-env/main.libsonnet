{
  origin: 'environment vendor',
}
