//! `std.manifestPython`, `std.manifestPythonVars`, `std.manifestIni` and
//! `std.manifestXmlJsonml`: thin builtins over the writers of
//! [`crate::manifest::text_formats`].

use jrsonnet_evaluator::{function::builtin, ObjValue, Result, Val};

use crate::manifest::text_formats::{self, python, python_vars, xml_jsonml};

#[builtin]
pub(super) fn builtin_manifest_python(v: Val) -> Result<String> {
    python(&v)
}

#[builtin]
pub(super) fn builtin_manifest_python_vars(conf: ObjValue) -> Result<String> {
    python_vars(&conf)
}

#[builtin]
pub(super) fn builtin_manifest_ini(ini: ObjValue) -> Result<String> {
    text_formats::ini(&ini)
}

/// `std.manifestXmlJsonml`: JsonML (`[tag, {attrs}?, children...]`) as XML text.
#[builtin]
pub(super) fn builtin_manifest_xml_jsonml(value: Val) -> Result<String> {
    xml_jsonml(&value)
}
