// std.filterMap gives its functions the elements unevaluated (issue 8, item 6);
// golden made with go-jsonnet 0.22 (tests/testdata/regen_go.py).
local boom = error 'never evaluated';
{
  filterMapUnused: std.filterMap(function(x) true, function(x) 1, [boom, boom]),
  filterMapFirst: std.filterMap(function(x) true, function(x) x, [1, boom])[0],
  filterMapLength: std.length(std.filterMap(function(x) true, function(x) x + 1, [boom, 2])),
  filterMapValues: std.filterMap(function(x) x % 2 == 0, function(x) x * 10, std.range(1, 6)),
}
