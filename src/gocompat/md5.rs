//! `crypto/md5` with `encoding/hex`: the digest text go-jsonnet's `std.md5` returns.
//! Used by the engine's `std.md5` and by the Kubernetes library's ConfigMap hash
//! (`src/native/k8s_custom.rs`), which must agree byte for byte.

/// The MD5 digest of `bytes` as 32 lowercase hex digits ([`super::hex`]).
pub fn md5_hex(bytes: &[u8]) -> String {
    super::hex::encode(&::md5::compute(bytes).0)
}
