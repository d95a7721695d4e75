//! Built-in kinds, authored in `lib/` and compiled into the binary.
//!
//! Each kind is a JSON file in the shape of [`Kind`] (a CRD-like `openAPIV3Schema`
//! plus the kind's identity). The files are embedded with `include_str!` and parsed
//! once, on first use; a malformed file is a bug of this crate, caught by the tests.

use std::sync::OnceLock;

use super::Kind;

/// The gateway-api-libsonnet version the built-in kinds belong to.
pub const BUILTIN_LIBRARY_VERSION: &str = "0.8-experimental";

/// The embedded model files: (path below `lib/`, contents).
const BUILTIN_FILES: &[(&str, &str)] = &[(
    "gateway/0.8-experimental/v1alpha2/tcpRoute.json",
    include_str!("../../lib/gateway/0.8-experimental/v1alpha2/tcpRoute.json"),
)];

/// Parses one embedded model file, naming it in the error.
fn parse_builtin(path: &str, text: &str) -> Result<Kind, String> {
    serde_json::from_str(text).map_err(|e| format!("built-in model lib/{path}: {e}"))
}

/// Parses every embedded model file.
///
/// # Errors
/// The first file that does not deserialize into a [`Kind`], with its path.
pub fn parse_builtin_kinds() -> Result<Vec<Kind>, String> {
    BUILTIN_FILES
        .iter()
        .map(|(path, text)| parse_builtin(path, text))
        .collect()
}

/// The kinds built into the binary (parsed from `lib/` at first use).
///
/// # Panics
/// If an embedded model file is malformed: compiled-in data that the test suite
/// validates, so this cannot happen in a tested build.
pub fn builtin_kinds() -> &'static [Kind] {
    static KINDS: OnceLock<Vec<Kind>> = OnceLock::new();
    KINDS.get_or_init(|| {
        parse_builtin_kinds().expect("the built-in model files in lib/ are valid (tested)")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_files_parse() {
        let kinds = parse_builtin_kinds().unwrap();
        assert_eq!(kinds.len(), BUILTIN_FILES.len());
        assert_eq!(builtin_kinds().len(), kinds.len());
    }
}
