{
  sibling: import '../env2/main.jsonnet',
}
