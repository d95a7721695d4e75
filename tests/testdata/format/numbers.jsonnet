// Every numeric conversion of std.format with each flag, width and precision over
// numbers from tiny to huge: go-jsonnet 0.22's digit-by-digit output, including the
// digits it produces past a double's precision.
local convs = ['d', 'i', 'o', 'x', 'X', 'e', 'E', 'f', 'F', 'g', 'G'];
local flags = ['', '#', '0', '-', ' ', '+0'];
local widths = ['', '12'];
local precs = ['', '.0', '.3', '.17', '.25'];
local values = [0, -0.5, 1, -2.5, 123.456, 1e-5, 1e15, 1e21, 1e280, -1e280,
                9007199254740993, 0.1, 2 / 3, -255, 99.995, 123456789012345678];
[
  std.join('|', [('%' + f + w + p + c) % v for v in values])
  for c in convs
  for f in flags
  for w in widths
  for p in precs
]
