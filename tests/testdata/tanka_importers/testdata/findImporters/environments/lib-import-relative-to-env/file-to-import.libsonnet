{
  value: 'found through the base dir',
}
