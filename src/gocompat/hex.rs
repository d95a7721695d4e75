//! `encoding/hex.EncodeToString`: bytes as lowercase hex digits, two per byte. The digest
//! texts of `std.md5` ([`super::md5`]) and the export cache's keys and checksums
//! (`crate::tanka`) are written with it. Written here rather than through `fmt`
//! (`{:02x}` per byte costs several times a digest of a short text).

/// `bytes` as lowercase hex, two digits per byte.
pub fn encode(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn two_lowercase_digits_per_byte() {
        assert_eq!(super::encode(&[]), "");
        assert_eq!(
            super::encode(&[0, 1, 0x0f, 0x10, 0xab, 0xff]),
            "00010f10abff"
        );
    }
}
