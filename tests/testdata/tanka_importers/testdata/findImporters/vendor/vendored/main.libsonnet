{
  text: importstr 'text-file.txt',
}
