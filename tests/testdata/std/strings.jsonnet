{
  toString: [std.toString([]), std.toString({}), std.toString([[], {}, {a: [1, {b: null}]}, true, 's\n', 0.1]), std.toString({a:: 1, b: 2e-7}), std.toString(0.1), std.toString(1e-7), std.toString(123456789012), std.toString(-0.5)],
  escape: [std.escapeStringJson(1), std.escapeStringJson(null), std.escapeStringJson("a\"b\u007f\u0001")],
  base64: [std.base64("hi"), std.base64([0, 255, 16])],
  sets: [std.setInter("b", ["a", "b"]), std.setUnion("ab", ["c"]), std.setDiff(["a", "b"], "a")],
}
