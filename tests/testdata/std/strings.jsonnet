{
  toString: [std.toString([]), std.toString({}), std.toString([[], {}, {a: [1, {b: null}]}, true, 's\n', 0.1]), std.toString({a:: 1, b: 2e-7}), std.toString(0.1), std.toString(1e-7), std.toString(123456789012), std.toString(-0.5)],
  escape: [std.escapeStringJson(1), std.escapeStringJson(null), std.escapeStringJson("a\"b\u007f\u0001")],
  base64: [std.base64("hi"), std.base64([0, 255, 16])],
  sets: [std.setInter("b", ["a", "b"]), std.setUnion("ab", ["c"]), std.setDiff(["a", "b"], "a")],
  format: [std.format("%s %d %s", [0.1, 2, [0.5, 1e-7]]), std.format("%(a)s-%(b)05.1f", {a: 0.1, b: 2.25}), std.format("%5s|%-8s|%*d", [0.1, "x", 4, 7]), std.format("%s", 0.1)],
  sum: [std.sum([]), std.sum([0.1, 0.2])],
  parseInt: [std.parseInt("-0"), std.parseInt("-12"), std.parseInt("7")],
}
