//! Every writer over jrsonnet values and every Go-compatible encoder, in one place:
//! what gwsonnet prints must match the bytes another tool prints, so each format is
//! one file with its own tests.
//!
//! - [`fields`]: an object's visible fields, sorted, as jrsonnet lists them but faster;
//! - [`json`]: go-jsonnet's JSON (the CLI's output, `std.manifestJson*`, Python
//!   literals) and its string escaping;
//! - [`number`]: numbers as go-jsonnet prints them (`%.17g`, integers plain);
//! - [`gojsonnet_yaml`]: go-jsonnet's `std.manifestYamlDoc`/`manifestYamlStream`;
//! - [`toml`]: go-jsonnet's `std.manifestTomlEx`; [`text_formats`]: its Python, INI
//!   and XML text;
//! - [`yaml_v2`]: Go's `gopkg.in/yaml.v2` stream (what `tk show` prints),
//!   [`go_json_indent`]: `json.MarshalIndent(v, "", "  ")` (what `tk eval` prints), both over
//!   decoded JSON values with Go's `float64` formatting ([`crate::gocompat::float`]); used by
//!   [`crate::tanka`];
//! - [`yaml_v3`]: `gopkg.in/yaml.v3` marshalling of the values Go's `encoding/json`
//!   reads ([`crate::gocompat::json`]), for Tanka's natives (the rules both YAML
//!   writers follow — libyaml's scalar analysis, plain-scalar resolution, number
//!   syntaxes — and the YAML tree builder of every reader are in [`crate::gocompat`]);
//! - [`go_quote`]: Go's `%q`, and [`jsonnet_string`]: Jsonnet string literals as the
//!   jsonnet-libs generator writes them, for the model's help texts and the source
//!   generator;
//! - [`k8s_object`]: what makes a value a Kubernetes object (the writer's tap,
//!   `validate`, Tanka's extraction).
//!
//! Contact points: the CLI's output modes and `-m` files ([`crate::engine`]), the std
//! overrides (`crate::engine::overrides`), the docs renderer and the source generator.
//! Every writer counts nesting as stack frames ([`nested`]), so self-referential or
//! very deep data fails with `max stack frames exceeded` instead of running away.

pub mod fields;
pub mod gojsonnet_yaml;
pub mod json;
pub mod number;
pub mod text_formats;
pub mod toml;

pub mod go_json_indent;
pub mod go_quote;
pub mod jsonnet_string;
pub mod k8s_object;
pub mod yaml_v2;
pub mod yaml_v3;

use jrsonnet_evaluator::error::Result;

/// Runs `f` one level deeper: one stack frame against `--max-stack`, and more native
/// stack when it runs low.
pub fn nested<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    let _frame = jrsonnet_evaluator::stack::check_depth()?;
    jrsonnet_evaluator::ensure_sufficient_stack(f)
}
