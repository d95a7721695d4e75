// Float map keys of std.parseYaml print as Go's strconv 'g' (exponent from 1e+06 and
// below 1e-04), not as the positional form up to 1e21.
std.parseYaml(|||
  1000000.5: a
  1234567.0: b
  123456.5: c
  1e21: d
  1.0e+20: e
  0.00001: f
  0.0001: g
  2.5: h
  -3.0e7: i
|||)
