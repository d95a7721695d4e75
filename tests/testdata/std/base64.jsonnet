// std.base64 and its decoders as go-jsonnet 0.22: a string is encoded as its UTF-8
// bytes (code points must be below 256), decoding is Go's StdEncoding (non-canonical
// trailing bits accepted, newlines skipped), invalid UTF-8 bytes decode to U+FFFD each.
{
  strings: [std.base64(s) for s in ['', 'a', 'hello', 'ÿ', 'é€'[0:1], '\u0000\u00ff']],
  arrays: [std.base64(a) for a in [[], [0], [255, 254, 253], [104, 105]]],
  decoded: [std.base64Decode(s) for s in ['', 'YQ==', 'YR==', 'YWJ=', '/w==', '/+8=', '4pyT', 'YQ==\n\n\n\n', 'YWJj\n\nZA==\n\n']],
  bytes: [std.base64DecodeBytes(s) for s in ['', '/w==', '7/7+/f8=', 'AAEC']],
  roundtrip: std.base64Decode(std.base64('gwsonnet')),
}
