//! `std` functions whose jrsonnet behaviour differs from go-jsonnet's, reimplemented
//! natively so results match go-jsonnet byte for byte, one concern a file:
//! [`strings`] (number-to-string conversion, `escapeStringJson`, `base64`, `trace`,
//! `assertEqual`),
//! [`arrays`] (`makeArray`, `setMember`, `filterMap`, `mapWithIndex`, `mapWithKey`,
//! `flattenArrays`, …), [`math`] (Go's algorithms for trigonometry, logarithms,
//! `pow`, `frexp`; `isEven`, `isOdd`, `clamp`), the
//! manifesters [`yaml`], [`toml`] and [`text_formats`], [`yaml_parse`], [`json_parse`] and [`format`];
//! functions that only check or convert arguments before calling jrsonnet's own are
//! adapted here; [`checks`] gives go-jsonnet's argument errors of every function.

mod arrays;
mod checks;
mod format;
mod json_parse;
mod math;
mod strings;
mod text_formats;
mod toml;
mod yaml;
mod yaml_parse;

use jrsonnet_evaluator::{
    apply_tla,
    error::{ErrorKind, Result},
    function::{builtin::Builtin, CallLocation, FuncVal, FunctionSignature},
    tla::TlaArg,
    IStr, ObjValue, ObjValueBuilder, Thunk, Val,
};
use jrsonnet_gcmodule::Trace;

use crate::engine::error::type_error;
use arrays::{
    builtin_filter_map, builtin_flat_map, builtin_flatten_arrays, builtin_make_array,
    builtin_map_with_index, builtin_map_with_key, builtin_remove_at, builtin_set_member,
    builtin_slice,
};
pub(in crate::engine) use checks::about;
pub(in crate::engine) use format::go_mod;
use format::{builtin_format, builtin_mod};
use json_parse::builtin_parse_json;
use math::*;
pub(in crate::engine) use strings::print_trace;
use strings::*;
use text_formats::*;
use toml::*;
use yaml::*;
use yaml_parse::builtin_parse_yaml;

/// Adds the overriding functions to a `std` layer over `upstream` (jrsonnet's `std`).
pub fn install(builder: &mut ObjValueBuilder, upstream: &ObjValue) {
    let mut std = Layer {
        builder,
        installed: Vec::new(),
    };
    // go-jsonnet's set functions index their arguments, so strings work as arrays of
    // characters; jrsonnet's insist on arrays.
    for name in ["setInter", "setUnion", "setDiff"] {
        adapt(&mut std, upstream, name, set_arguments);
    }
    std.put("setMember", builtin_set_member {});
    // go-jsonnet's digit-by-digit algorithm, without 16-bit widths (also `%`).
    std.put("format", builtin_format {});
    std.put("mod", builtin_mod {});
    // go-jsonnet's strconv.ParseInt: a leading `+`, 64 bits, "-0" gives 0.
    std.put("parseInt", builtin_parse_int {});
    std.put("startsWith", builtin_starts_with {});
    std.put("endsWith", builtin_ends_with {});
    std.put("char", builtin_char {});
    std.put("removeAt", builtin_remove_at {});
    std.put("flatMap", builtin_flat_map {});
    std.put("slice", builtin_slice {});
    std.put("parseJson", builtin_parse_json {});
    for name in ["manifestJsonEx", "manifestJson", "manifestJsonMinified"] {
        adapt_with(
            &mut std,
            upstream,
            name,
            unchanged,
            Some(escape_line_separators),
        );
    }
    // go-jsonnet rejects an empty separator; jrsonnet splits between characters.
    for name in ["split", "splitLimit", "splitLimitR"] {
        adapt(&mut std, upstream, name, non_empty_separator);
    }
    std.put("makeArray", builtin_make_array {});
    std.put("filterMap", builtin_filter_map {});
    std.put("mapWithIndex", builtin_map_with_index {});
    std.put("mapWithKey", builtin_map_with_key {});
    std.put("flattenArrays", builtin_flatten_arrays {});
    std.put("toString", builtin_to_string {});
    std.put("md5", builtin_md5 {});
    std.put("assertEqual", builtin_assert_equal {});
    std.put("sum", builtin_sum {});
    std.put("escapeStringJson", builtin_escape_string_json {});
    std.put("escapeStringPython", builtin_escape_string_python {});
    std.put("mantissa", builtin_mantissa {});
    std.put("exponent", builtin_exponent {});
    std.put("manifestYamlDoc", builtin_manifest_yaml_doc {});
    std.put("parseYaml", builtin_parse_yaml {});
    std.put("manifestYamlStream", builtin_manifest_yaml_stream {});
    std.put("trace", builtin_trace {});
    std.put("base64", builtin_base64 {});
    std.put("base64Decode", builtin_base64_decode {});
    std.put("base64DecodeBytes", builtin_base64_decode_bytes {});
    std.put("pow", builtin_pow {});
    std.put("exp", builtin_exp {});
    std.put("atan", builtin_atan {});
    std.put("asin", builtin_asin {});
    std.put("acos", builtin_acos {});
    std.put("atan2", builtin_atan2 {});
    std.put("sin", builtin_sin {});
    std.put("cos", builtin_cos {});
    std.put("tan", builtin_tan {});
    std.put("log", builtin_log {});
    std.put("sqrt", builtin_sqrt {});
    std.put("log2", builtin_log2 {});
    std.put("log10", builtin_log10 {});
    std.put("hypot", builtin_hypot {});
    std.put("isEven", builtin_is_even {});
    std.put("isOdd", builtin_is_odd {});
    std.put("clamp", builtin_clamp {});
    std.put("deg2rad", builtin_deg2rad {});
    std.put("rad2deg", builtin_rad2deg {});
    std.put("manifestTomlEx", builtin_manifest_toml_ex {});
    std.put("manifestToml", builtin_manifest_toml {});
    std.put("manifestPython", builtin_manifest_python {});
    std.put("manifestPythonVars", builtin_manifest_python_vars {});
    std.put("manifestIni", builtin_manifest_ini {});
    std.put("manifestXmlJsonml", builtin_manifest_xml_jsonml {});
    // go's argument checks for the functions jrsonnet's own implementation serves.
    for name in checks::names() {
        if std.installed.contains(&name) {
            continue;
        }
        if let Ok(Some(Val::Func(f @ FuncVal::Builtin(_)))) = upstream.get(name.into()) {
            std.builder.method(name, checks::checked(name, f));
        }
    }
}

/// The overriding layer of `std` being built.
struct Layer<'a> {
    builder: &'a mut ObjValueBuilder,
    /// The names added so far.
    installed: Vec<&'static str>,
}

impl Layer<'_> {
    /// Adds `f` as `std.<name>`, behind go-jsonnet's argument checks where it has any.
    fn put(&mut self, name: &'static str, f: impl Builtin) {
        self.installed.push(name);
        if checks::names().any(|n| n == name) {
            self.builder
                .method(name, checks::checked(name, FuncVal::builtin(f)));
        } else {
            self.builder.method(name, f);
        }
    }
}

/// Checks or converts the evaluated arguments of an adapted function in place (by
/// parameter position; `None` for an argument not given) before the upstream call.
type ArgAdapter = fn(&str, &mut [Option<Val>]) -> Result<()>;

/// Rewrites the upstream function's result.
type ResultAdapter = fn(Val) -> Result<Val>;

/// Overrides `name` with the upstream function behind an argument adapter.
fn adapt(std: &mut Layer<'_>, upstream: &ObjValue, name: &'static str, adapter: ArgAdapter) {
    adapt_with(std, upstream, name, adapter, None);
}

/// Overrides `name` with the upstream function behind argument and result adapters.
fn adapt_with(
    std: &mut Layer<'_>,
    upstream: &ObjValue,
    name: &'static str,
    adapter: ArgAdapter,
    result: Option<ResultAdapter>,
) {
    if let Ok(Some(Val::Func(f))) = upstream.get(name.into()) {
        std.put(
            name,
            Adapted {
                name: name.into(),
                upstream: f,
                adapter,
                result,
            },
        );
    }
}

/// Leaves the arguments as they are.
fn unchanged(_name: &str, _args: &mut [Option<Val>]) -> Result<()> {
    Ok(())
}

/// go-jsonnet's `manifestJson*` escape U+2028 and U+2029 (as Go's JSON encoder does);
/// in the manifested text such characters only occur inside string literals, where the
/// escape means the same.
fn escape_line_separators(v: Val) -> Result<Val> {
    Ok(match v {
        Val::Str(s) => {
            let s = s.to_string();
            if s.contains(['\u{2028}', '\u{2029}']) {
                Val::from(
                    s.replace('\u{2028}', "\\u2028")
                        .replace('\u{2029}', "\\u2029"),
                )
            } else {
                Val::from(s)
            }
        }
        other => other,
    })
}

/// The arguments of go-jsonnet's set functions, which index their array arguments (so
/// strings work as arrays of characters) and call `keyF` only to compare two elements:
/// a `null` `keyF` is an error only where both sets have elements.
fn set_arguments(_name: &str, args: &mut [Option<Val>]) -> Result<()> {
    for arg in args.iter_mut().take(2) {
        if let Some(Val::Str(s)) = arg {
            let chars = s
                .to_string()
                .chars()
                .map(|c| Val::from(c.to_string()))
                .collect::<Vec<_>>();
            *arg = Some(Val::arr(chars));
        }
    }
    if matches!(args.get(2), Some(Some(Val::Null))) {
        let compares = args.iter().take(2).all(|arg| match arg {
            Some(Val::Arr(a)) => !a.is_empty(),
            _ => true,
        });
        if compares {
            return Err(type_error(&Val::Null, "function"));
        }
        args[2] = None;
    }
    Ok(())
}

/// The separator (second argument) must not be empty.
fn non_empty_separator(name: &str, args: &mut [Option<Val>]) -> Result<()> {
    if let Some(Some(Val::Str(s))) = args.get(1) {
        if s.is_empty() {
            let verb = if name == "split" { "must" } else { "should" };
            return Err(ErrorKind::RuntimeError(
                format!("std.{name} second parameter {verb} have length 1 or greater, got 0")
                    .into(),
            )
            .into());
        }
    }
    Ok(())
}

/// An upstream `std` function whose arguments pass through an [`ArgAdapter`] first.
#[derive(Trace)]
struct Adapted {
    name: IStr,
    upstream: FuncVal,
    #[trace(skip)]
    adapter: ArgAdapter,
    #[trace(skip)]
    result: Option<ResultAdapter>,
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
        let mut values = args
            .iter()
            .map(|arg| arg.as_ref().map(Thunk::evaluate).transpose())
            .collect::<Result<Vec<_>>>()?;
        (self.adapter)(&self.name, &mut values)?;
        // Every argument given to a builtin (`%` calls `std.format` per string
        // formatted): call it directly, without the by-name call's map and frame.
        if let FuncVal::Builtin(upstream) = &self.upstream {
            if values.len() == params.len() && values.iter().all(Option::is_some) {
                let args: Vec<Option<Thunk<Val>>> = values
                    .into_iter()
                    .map(|v| v.map(Thunk::evaluated))
                    .collect();
                let out = upstream.call(CallLocation::native(), &args)?;
                return match self.result {
                    Some(adapt) => adapt(out),
                    None => Ok(out),
                };
            }
        }
        let mut named = std::collections::HashMap::new();
        for (param, value) in params.iter().zip(values) {
            if let (Some(name), Some(value)) = (param.name().as_str(), value) {
                named.insert(IStr::from(name), TlaArg::Val(value));
            }
        }
        // apply_tla is only the way to call by name here: its frame is not the user's.
        let out = apply_tla(&named, Val::Func(self.upstream.clone())).map_err(|mut e| {
            if e.trace()
                .0
                .last()
                .is_some_and(|f| f.desc == "during TLA call")
            {
                e.trace_mut().0.pop();
            }
            e
        })?;
        match self.result {
            Some(adapt) => adapt(out),
            None => Ok(out),
        }
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}
