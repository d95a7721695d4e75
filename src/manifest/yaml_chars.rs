//! libyaml's byte classes, as Go's yaml.v2 and yaml.v3 emitters test them on UTF-8 text
//! (`yaml_private.go`): shared by [`super::yaml_v2`] and [`super::yaml_v3`], whose
//! emitters otherwise differ.

/// The byte at `i`, or 0 past the end (libyaml reads a NUL there).
fn byte_at(v: &[u8], i: usize) -> u8 {
    v.get(i).copied().unwrap_or(0)
}

/// The length of the UTF-8 sequence that starts with `b`.
pub fn width(b: u8) -> usize {
    match b {
        _ if b & 0x80 == 0 => 1,
        _ if b & 0xE0 == 0xC0 => 2,
        _ if b & 0xF0 == 0xE0 => 3,
        _ if b & 0xF8 == 0xF0 => 4,
        _ => 1,
    }
}

/// A space at `i`.
pub fn is_space_at(v: &[u8], i: usize) -> bool {
    byte_at(v, i) == b' '
}

/// A space or tab at `i`.
pub fn is_blank_at(v: &[u8], i: usize) -> bool {
    matches!(byte_at(v, i), b' ' | b'\t')
}

/// A byte-order mark at `i`.
pub fn is_bom(v: &[u8], i: usize) -> bool {
    v[i..].starts_with(&[0xEF, 0xBB, 0xBF])
}

/// A line break at `i`: CR, LF, NEL, LS or PS.
pub fn is_break(v: &[u8], i: usize) -> bool {
    let (b0, b1, b2) = (byte_at(v, i), byte_at(v, i + 1), byte_at(v, i + 2));
    b0 == b'\r'
        || b0 == b'\n'
        || (b0 == 0xC2 && b1 == 0x85)
        || (b0 == 0xE2 && b1 == 0x80 && (b2 == 0xA8 || b2 == 0xA9))
}

/// A blank, a break, a NUL or the end at `i`.
pub fn is_blankz_at(v: &[u8], i: usize) -> bool {
    i >= v.len() || matches!(v[i], b' ' | b'\t' | 0) || is_break(v, i)
}

/// A character libyaml may write unescaped at `i`.
pub fn is_printable(v: &[u8], i: usize) -> bool {
    let (b0, b1, b2) = (byte_at(v, i), byte_at(v, i + 1), byte_at(v, i + 2));
    b0 == 0x0A
        || (0x20..=0x7E).contains(&b0)
        || (b0 == 0xC2 && b1 >= 0xA0)
        || (b0 > 0xC2 && b0 < 0xED)
        || (b0 == 0xED && b1 < 0xA0)
        || b0 == 0xEE
        || (b0 == 0xEF
            && !(b1 == 0xBB && b2 == 0xBF)
            && !(b1 == 0xBF && (b2 == 0xBE || b2 == 0xBF)))
}
