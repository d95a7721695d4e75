// Array comprehensions evaluate lazily, as go-jsonnet's do (issue 8, item 6): each
// variable is bound to its element unevaluated, the `if`s run as the loops reach them
// and each result element is evaluated when needed. Golden made with go-jsonnet 0.22
// (tests/testdata/regen_go.py).
local boom = error 'never evaluated';
local selfRef = [x + 1 for x in [0, selfRef[0]]];
local obj = {
  base:: 10,
  items: [self.base + x for x in [1, 2]],
  nested: [[y * x for y in std.range(1, x)] for x in [1, 2, 3]],
};
{
  firstOfLazy: [x for x in [1, boom]][0],
  emptyOuter: std.length([x + y for x in [] for y in boom]),
  unusedElements: std.length([1 for x in [boom, boom, boom]]),
  unusedBody: std.length([boom for x in [1, 2]]),
  selfReference: selfRef,
  shadowing: [x for x in [1] for x in [x + 1]],
  filtered: [x for x in std.range(1, 10) if x % 3 == 0],
  product: [[x, y] for x in [1, 2, 3] if x != 2 for y in ['a', 'b'] if y != 'a' || x == 1],
  dependent: [x + y for x in [1, 2] for y in std.range(0, x)],
  inObject: obj,
  comprehensionOverComprehension: [x * 2 for x in [y + 1 for y in [1, 2]] if x > 2],
  indexed: [x for x in [5, 6, 7]][1:],
  strings: std.join(',', [s + '!' for s in ['a', 'b']]),
  // Comments and line breaks between the keywords are kept.
  spaced: [
    x  // the body
    for /* a */ x in [1, 2]  // the array
    if x > 1  // the filter
  ],
  withFormat: ['%s-%d' % [k, v] for k in ['a'] for v in [1, 2]],
  tailCalls: local f(n) = if n == 0 then [] else [n for _ in [1]] + f(n - 1) tailstrict; f(3),
}
