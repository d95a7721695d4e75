//! Go's `encoding/base64` with `StdEncoding` (standard alphabet, `=` padding, not
//! strict: non-zero trailing bits are accepted, `\r` and `\n` are skipped anywhere),
//! and Go's conversion of bytes into a string's code points. Encoding is the `base64`
//! crate's (byte-identical); decoding is Go's own algorithm here because its errors
//! name the offset Go names (`illegal base64 data at input byte N`) and its padding and
//! newline rules differ from the crate's. Goldens printed by Go:
//! `tests/testdata/gocompat/golden.jsonl` (rule `base64`).
//! Contact points: `std.base64`, `std.base64Decode`, `std.base64DecodeBytes`
//! ([`crate::engine`]'s overrides) and yaml.v3's `!!binary` in Tanka's natives.

use base64::Engine as _;

/// `base64.StdEncoding.EncodeToString(bytes)`.
pub fn encode_std(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The value of a character of the standard alphabet.
fn sextet(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// `base64.StdEncoding.DecodeString(src)`; the error is Go's `CorruptInputError`: the
/// offset of the first byte Go refuses (`illegal base64 data at input byte N`).
pub fn decode_std(src: &[u8]) -> Result<Vec<u8>, usize> {
    let mut out = Vec::with_capacity(src.len() / 4 * 3);
    let mut si = 0;
    while si < src.len() {
        let (next, err) = quantum(src, si, &mut out);
        if let Some(at) = err {
            return Err(at);
        }
        si = next;
    }
    Ok(out)
}

/// Go's `decodeQuantum`: decodes up to four characters from `si` into `out`; returns
/// where it stopped and the offset of an error.
fn quantum(src: &[u8], mut si: usize, out: &mut Vec<u8>) -> (usize, Option<usize>) {
    let is_newline = |c: u8| c == b'\n' || c == b'\r';
    let mut buf = [0u8; 4];
    let mut len = 4;
    let mut trailing = None;
    let mut j = 0;
    while j < 4 {
        if si == src.len() {
            if j == 0 {
                return (si, None);
            }
            // Padding is required: a short last quantum is corrupt where it starts.
            return (si, Some(si - j));
        }
        let c = src[si];
        si += 1;
        if let Some(v) = sextet(c) {
            buf[j] = v;
            j += 1;
            continue;
        }
        if is_newline(c) {
            continue;
        }
        if c != b'=' || j < 2 {
            return (si, Some(si - 1));
        }
        if j == 2 {
            // `==` is expected: the second `=` after any newlines.
            while si < src.len() && is_newline(src[si]) {
                si += 1;
            }
            if si == src.len() {
                return (si, Some(src.len()));
            }
            if src[si] != b'=' {
                return (si, Some(si - 1));
            }
            si += 1;
        }
        while si < src.len() && is_newline(src[si]) {
            si += 1;
        }
        if si < src.len() {
            trailing = Some(si);
        }
        len = j;
        break;
    }
    let val = u32::from(buf[0]) << 18
        | u32::from(buf[1]) << 12
        | u32::from(buf[2]) << 6
        | u32::from(buf[3]);
    let bytes = [(val >> 16) as u8, (val >> 8) as u8, val as u8];
    // Go writes the decoded bytes even when trailing garbage follows, but returns the
    // error: the caller fails either way.
    out.extend_from_slice(&bytes[..len - 1]);
    (si, trailing)
}

/// Go's `string(bytes)` read as code points (`for _, r := range s`): every byte of an
/// invalid UTF-8 sequence becomes one U+FFFD.
pub fn lossy_string(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        for _ in chunk.invalid() {
            out.push(char::REPLACEMENT_CHARACTER);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gocompat::golden;

    #[test]
    fn decodes_as_go() {
        let cases = golden::cases("base64");
        assert!(cases.len() > 20);
        for case in cases {
            let input = golden::field(&case, "in");
            let got = match decode_std(input.as_bytes()) {
                Ok(bytes) => bytes.iter().map(|b| format!("{b:02x}")).collect(),
                Err(at) => format!("error at {at}"),
            };
            assert_eq!(got, golden::field(&case, "out"), "DecodeString({input:?})");
            if let Ok(bytes) = decode_std(input.as_bytes()) {
                assert_eq!(lossy_string(&bytes), golden::field(&case, "string"));
                assert_eq!(encode_std(&bytes), golden::field(&case, "encoded"));
            }
        }
    }
}
