//! `std.manifestTomlEx` and `std.manifestToml` with go-jsonnet's layout and number
//! formatting.

use jrsonnet_evaluator::{error::Result, function::builtin, IStr, Val};

use crate::manifest::toml::toml_document;

#[builtin]
pub(super) fn builtin_manifest_toml_ex(value: Val, indent: IStr) -> Result<String> {
    toml_document(&value, &indent)
}

#[builtin]
pub(super) fn builtin_manifest_toml(value: Val) -> Result<String> {
    toml_document(&value, "  ")
}
