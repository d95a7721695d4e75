{
  apple: import 'trees/apple.jsonnet',
  peach: import 'trees/peach.jsonnet',
  cherry: import 'trees/cherry.jsonnet',
}
