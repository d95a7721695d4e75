//! `crypto/md5` with `encoding/hex`: the digest text go-jsonnet's `std.md5` returns.
//! Used by the engine's `std.md5` and by the Kubernetes library's ConfigMap hash
//! (`src/native/k8s_custom.rs`), which must agree byte for byte.

/// The MD5 digest of `bytes` as 32 lowercase hex digits (written here: formatting
/// each byte through `fmt` costs several times the digest itself).
pub fn md5_hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = ::md5::compute(bytes);
    let mut out = String::with_capacity(32);
    for b in digest.0 {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 15)]));
    }
    out
}
