{
  // go-jsonnet also finds paths one level too deep (through <base>/vendor/..).
  one: import '../relative-imported/main.jsonnet',
  two: import '../../relative-imported2/main.jsonnet',

  text: importstr '../../other-files/test.txt',
  text2: importstr '../../../other-files/test2.txt',
}
