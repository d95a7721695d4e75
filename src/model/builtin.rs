//! Built-in kinds, authored in `lib/` and compiled into the binary.

use super::Kind;

/// The gateway-api-libsonnet version the built-in kinds belong to.
pub const BUILTIN_LIBRARY_VERSION: &str = "0.8-experimental";

/// The kinds built into the binary (parsed from `lib/` at first use).
pub fn builtin_kinds() -> &'static [Kind] {
    &[]
}
