// std.filterMap gives its functions the elements unevaluated (issue 8, item 6);
// std.mapWithIndex and std.mapWithKey compute each element (field) when it is first
// used, and pass the function the element unevaluated (a function that cannot take
// two arguments fails only there);
// golden made with go-jsonnet 0.22 (tests/testdata/regen_go.py).
local boom = error 'never evaluated';
{
  filterMapUnused: std.filterMap(function(x) true, function(x) 1, [boom, boom]),
  filterMapFirst: std.filterMap(function(x) true, function(x) x, [1, boom])[0],
  filterMapLength: std.length(std.filterMap(function(x) true, function(x) x + 1, [boom, 2])),
  filterMapValues: std.filterMap(function(x) x % 2 == 0, function(x) x * 10, std.range(1, 6)),
  mapWithIndexFirst: std.mapWithIndex(function(i, x) if i == 1 then error 'x' else x, [1, 2, 3])[0],
  mapWithIndexLength: std.length(std.mapWithIndex(function(i, x) boom, [1, 2])),
  mapWithIndexUnused: std.mapWithIndex(function(i, x) i, [boom, boom]),
  mapWithIndexString: std.mapWithIndex(function(i, c) c + i, 'abc'),
  mapWithIndexSlice: std.mapWithIndex(function(i, x) x * 2, [1, boom, 3])[2:],
  mapWithIndexArity: std.length(std.mapWithIndex(function(x) x, [1])),
  mapWithKeyArity: std.objectFields(std.mapWithKey(function(x) x, { a: 1 })),
  mapWithKeyField: std.mapWithKey(function(k, v) if k == 'b' then error 'x' else v, { a: 1, b: 2 }).a,
  mapWithKeyFields: std.objectFields(std.mapWithKey(function(k, v) boom, { a: 1, b:: 2, c+: 3 })),
  mapWithKeyUnused: std.mapWithKey(function(k, v) k, { a: boom, b: boom }),
  mapWithKeyValues: std.mapWithKey(function(k, v) v + 1, { b: 2, a: 1, h:: 0 }),
  mapWithKeySelf: std.mapWithKey(function(k, v) v, { a: 1, b: self.a + 1 }),
}
