{
  yaml: std.manifestYamlDoc({a: [], b: {}, c: [1, 0.1], d: "x:y", e: "true", h: "multi\nline", h2: "ends\n", i: null, n: [[1, 2], {x: 1}], "k y": 1}),
  yamlKeys: std.manifestYamlDoc({"-": 1, "---": 2, "-a": 3, "0X_0a": 4, "0x1F": 5, "1e3": 6, "2002-12-14": 7, "a.b": 8, "yes": 9, "1x": 10, "": 11}, quote_keys=false),
  yamlIndent: std.manifestYamlDoc([{a: [1, {b: 2}]}, [[1]]], indent_array_in_object=true, quote_keys=false),
  stream: std.manifestYamlStream([{a: 1}, "x\n", []]),
  streamNoEnd: std.manifestYamlStream([], c_document_end=false),
  toml: std.manifestTomlEx({a: 0.1, b: [1, 2], c: {d: "x", e: {}}, e: [{f: 1}, {}], "x y": [[1], {q: 1}]}, "  "),
  toml2: std.manifestToml({a: {b: 1}}),
  python: [std.manifestPython([]), std.manifestPython({}), std.manifestPython({a: {b: [1, 'x"y\n', 0.1]}, c: false, d: null})],
  pythonVars: std.manifestPythonVars({a: [0.1], b: null}),
  ini: [std.manifestIni({main: {a: [1, 2], b: "x"}, sections: {s: {}, t: {q: 0.1}}}), std.manifestIni({sections: {}})],
  xml: std.manifestXmlJsonml(["a", {x: "<&>", n: 0.1}, "t&", ["b", "c"], ["br"]]),
  jsonEx: [std.manifestJsonEx({a: "<&>\u2028\u2029\u007f\u0001", b: [0.1, 1e20, -0], c: {}}, "  "), std.manifestJsonMinified({a: "\u2028"}), std.manifestJson({a: "\u2029"})],
}
