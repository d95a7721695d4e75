//! `std.manifestYamlDoc` and `std.manifestYamlStream` with go-jsonnet's layout and
//! quoting rules (every string quoted except multi-line ones ending in a newline; keys
//! bare only when YAML cannot read them as anything but a string).

use jrsonnet_evaluator::{
    error::{ErrorKind, Result},
    function::builtin,
    Val,
};

use crate::manifest::gojsonnet_yaml::Yaml;

#[builtin]
pub(super) fn builtin_manifest_yaml_doc(
    value: Val,
    #[default(false)] indent_array_in_object: bool,
    #[default(true)] quote_keys: bool,
) -> Result<String> {
    let yaml = Yaml {
        indent_array_in_object,
        quote_keys,
    };
    yaml.document(&value)
}

#[builtin]
pub(super) fn builtin_manifest_yaml_stream(
    value: Val,
    #[default(false)] indent_array_in_object: bool,
    #[default(true)] c_document_end: bool,
    #[default(true)] quote_keys: bool,
) -> Result<String> {
    let Val::Arr(docs) = value else {
        return Err(ErrorKind::RuntimeError(
            format!(
                "manifestYamlStream only takes arrays, got {}",
                value.value_type()
            )
            .into(),
        )
        .into());
    };
    let yaml = Yaml {
        indent_array_in_object,
        quote_keys,
    };
    yaml.stream(&docs, c_document_end)
}
