// importstr and importbin read the bytes of a file as written, even when the
// prepass edits that same file for `import` (here: `%`, a tail call, a comment).
{
  imported: import 'edited.libsonnet',
  str: importstr 'edited.libsonnet',
  str_verbatim: importstr @'edited.libsonnet',
  bin_length: std.length(importbin "edited.libsonnet"),
  same: (importstr 'edited.libsonnet') == std.decodeUTF8(importbin 'edited.libsonnet'),
  self_text: std.length(importstr 'raw_imports.jsonnet') > 0,
}
