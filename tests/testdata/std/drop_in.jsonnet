// Golden: go-jsonnet 0.22 (python `_gojsonnet.evaluate_file`).
// Differences found running real programs (issue 8), against go-jsonnet 0.22:
// isEven/isOdd on the truncated integer, escapeStringPython as escapeStringJson,
// format's `*` width and the set functions' `keyF = null` / string arguments, clamp
// over any comparable values with a lazy maxVal, a local named `std`.
{
  parity: {
    isOdd: [std.isOdd(x) for x in [-1, -2, 1, 2, 2.7, -2.5, -3.9, 0, 1e300]],
    isEven: [std.isEven(x) for x in [-1, -2, 1, 2, 2.7, -2.5, -3.9, 0, 1e300]],
    escapeStringPython: [
      std.escapeStringPython(std.char(127)),
      std.escapeStringPython(std.char(159) + std.char(160) + 'a"\n'),
      std.escapeStringPython(5),
    ],
    format: [
      '%*g' % [3.7, 1],
      '%*d|' % [-3, 1],
      '%-*d|' % [2.2, 1],
      '%*s|' % [4.5, 'ab'],
      '%c' % 1.5,
      '%(a)c' % { a: 65 },
    ],
    sets: [
      std.setMember(0, [], keyF=null),
      std.setMember(error 'lazy x', []),
      std.setUnion([], [], keyF=null),
      std.setUnion([1], [], keyF=null),
      std.setUnion([], [2], keyF=null),
      std.setInter([], [1], keyF=null),
      std.setDiff([1], [], keyF=null),
      std.setMember('b', 'abc'),
      std.setMember('d', 'abc'),
      std.setMember('b', 'abc', function(x) x),
      std.setInter('abc', 'bcd'),
    ],
    clamp: [
      std.clamp([2], [1], [3]),
      std.clamp([4], [1], [3]),
      std.clamp('b', 'a', 'c'),
      std.clamp('z', 'a', 'c'),
      std.clamp(1, 2, error 'maxVal stays lazy'),
      std.clamp(5, 1, 3),
      std.clamp(-1, 0, 10),
    ],
    localStd: [
      local std = { trace(a, b): 's' }; std.trace(1, 2),
      (function(std) std.trace(1, 2))({ trace(a, b): 'param' }),
      [std.trace(1, 2) for std in [{ trace(a, b): 'for' }]],
      { local std = { trace(a, b): 'object local' }, v: std.trace(1, 2) }.v,
    ],
  },
}
