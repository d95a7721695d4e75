//! `std` functions whose jrsonnet behaviour differs from go-jsonnet's, reimplemented
//! natively so results match go-jsonnet byte for byte, one concern a file:
//! [`strings`] (number-to-string conversion, `escapeStringJson`, `base64`, `trace`),
//! [`math`] (Go's algorithms for trigonometry, logarithms, `pow`, `frexp`), [`yaml`]
//! and [`toml`] (the manifesters); functions that only check or convert arguments
//! before calling jrsonnet's own are adapted here.

mod math;
mod strings;
mod toml;
mod yaml;

use jrsonnet_evaluator::{
    apply_tla,
    error::{ErrorKind, Result},
    function::{builtin::Builtin, CallLocation, FuncVal, FunctionSignature},
    tla::TlaArg,
    IStr, ObjValue, ObjValueBuilder, Thunk, Val,
};
use jrsonnet_gcmodule::Trace;

use math::*;
pub(in crate::engine) use strings::print_trace;
use strings::*;
use toml::*;
use yaml::*;

/// Adds the overriding functions to a `std` layer over `upstream` (jrsonnet's `std`).
pub fn install(builder: &mut ObjValueBuilder, upstream: &ObjValue) {
    // go-jsonnet's set functions index their arguments, so strings work as arrays of
    // characters; jrsonnet's insist on arrays.
    for name in ["setInter", "setUnion", "setDiff"] {
        adapt(builder, upstream, name, strings_as_arrays);
    }
    // go-jsonnet rejects an empty separator; jrsonnet splits between characters.
    for name in ["split", "splitLimit", "splitLimitR"] {
        adapt(builder, upstream, name, non_empty_separator);
    }
    builder.method("toString", builtin_to_string {});
    builder.method("escapeStringJson", builtin_escape_string_json {});
    builder.method("mantissa", builtin_mantissa {});
    builder.method("exponent", builtin_exponent {});
    builder.method("manifestYamlDoc", builtin_manifest_yaml_doc {});
    builder.method("manifestYamlStream", builtin_manifest_yaml_stream {});
    builder.method("trace", builtin_trace {});
    builder.method("base64", builtin_base64 {});
    builder.method("pow", builtin_pow {});
    builder.method("atan", builtin_atan {});
    builder.method("asin", builtin_asin {});
    builder.method("acos", builtin_acos {});
    builder.method("atan2", builtin_atan2 {});
    builder.method("sin", builtin_sin {});
    builder.method("cos", builtin_cos {});
    builder.method("tan", builtin_tan {});
    builder.method("log", builtin_log {});
    builder.method("log2", builtin_log2 {});
    builder.method("log10", builtin_log10 {});
    builder.method("hypot", builtin_hypot {});
    builder.method("deg2rad", builtin_deg2rad {});
    builder.method("rad2deg", builtin_rad2deg {});
    builder.method("manifestTomlEx", builtin_manifest_toml_ex {});
    builder.method("manifestToml", builtin_manifest_toml {});
}

/// Checks or converts one argument of an adapted function: (function name, argument
/// position, value) → the value to pass on.
type ArgAdapter = fn(&str, usize, Val) -> Result<Val>;

/// Overrides `name` with the upstream function behind an argument adapter.
fn adapt(builder: &mut ObjValueBuilder, upstream: &ObjValue, name: &str, adapter: ArgAdapter) {
    if let Ok(Some(Val::Func(f))) = upstream.get(name.into()) {
        builder.method(
            name,
            Adapted {
                name: name.into(),
                upstream: f,
                adapter,
            },
        );
    }
}

/// Strings become arrays of one-character strings.
fn strings_as_arrays(_name: &str, _position: usize, value: Val) -> Result<Val> {
    Ok(match value {
        Val::Str(s) => Val::arr(
            s.to_string()
                .chars()
                .map(|c| Val::from(c.to_string()))
                .collect::<Vec<_>>(),
        ),
        other => other,
    })
}

/// The separator (second argument) must not be empty.
fn non_empty_separator(name: &str, position: usize, value: Val) -> Result<Val> {
    if position == 1 {
        if let Val::Str(s) = &value {
            if s.is_empty() {
                let verb = if name == "split" { "must" } else { "should" };
                return Err(ErrorKind::RuntimeError(
                    format!("std.{name} second parameter {verb} have length 1 or greater, got 0")
                        .into(),
                )
                .into());
            }
        }
    }
    Ok(value)
}

/// An upstream `std` function whose arguments pass through an [`ArgAdapter`] first.
#[derive(Trace)]
struct Adapted {
    name: IStr,
    upstream: FuncVal,
    #[trace(skip)]
    adapter: ArgAdapter,
}

impl Builtin for Adapted {
    fn name(&self) -> &str {
        &self.name
    }
    fn params(&self) -> FunctionSignature {
        self.upstream.params()
    }
    fn call(&self, _loc: CallLocation<'_>, args: &[Option<Thunk<Val>>]) -> Result<Val> {
        let params = self.upstream.params();
        let mut named = std::collections::HashMap::new();
        for (position, (param, arg)) in params.iter().zip(args).enumerate() {
            let (Some(name), Some(arg)) = (param.name().as_str(), arg) else {
                continue;
            };
            let value = (self.adapter)(&self.name, position, arg.evaluate()?)?;
            named.insert(IStr::from(name), TlaArg::Val(value));
        }
        apply_tla(&named, Val::Func(self.upstream.clone()))
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}
