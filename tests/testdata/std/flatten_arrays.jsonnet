// std.flattenArrays is go-jsonnet's fold `a + b` from `[]`: a string element turns
// the result into a string (`[]` reads `[ ]` there), after which `+` concatenates
// whatever follows as text; golden made with go-jsonnet 0.22
// (tests/testdata/regen_go.py).
{
  arrays: std.flattenArrays([[1, 2], [], [3, [4]]]),
  empty: std.flattenArrays([]),
  stringOnly: std.flattenArrays(['s']),
  strings: std.flattenArrays(['a', 'b']),
  stringThenNumber: std.flattenArrays(['s', 1]),
  arrayThenString: std.flattenArrays([[1], 's']),
  arraysThenString: std.flattenArrays([[1, 'x'], [{ a: [2] }], 's', null, true, { b: 1 }, [3], 0.5]),
  stringThenArrays: std.flattenArrays(['s', [], [[]], -0]),
  lazyElements: std.length(std.flattenArrays([[error 'never evaluated'], [2]])),
}
