//! The native Jsonnet libraries built into gwsonnet.
//!
//! The import resolver asks [`builtin_file`] for files no directory on the search path
//! has. It serves doc-util (our own implementation, `lib/doc-util`) and the file layout
//! of the published gateway-api-libsonnet library (`main.libsonnet`, `gen.libsonnet`,
//! `_gen/<group>/main.libsonnet`, ...). Those files are one-line glue generated from the
//! library index (`lib/gateway/<version>/library.json`); a kind's file fetches the
//! kind object built natively from the model through the `gwsonnet.kind` native
//! ([`natives`]).

mod json;
mod library;

use std::{borrow::Cow, collections::HashMap};

use jrsonnet_evaluator::{
    error::{ErrorKind, Result},
    function::{builtin::Builtin, CallLocation, FuncVal},
    IStr, Thunk, Val,
};
use jrsonnet_gcmodule::Acyclic;
use jrsonnet_ir::function::{FunctionSignature, ParamDefault, ParamName, ParamParse};

use crate::model::{builtin_indexes, builtin_kinds, library::library_tree, Kind, LibraryIndex};

/// doc-util, served at both import paths libraries use.
const DOC_UTIL: &str = include_str!("../../lib/doc-util/main.libsonnet");
const DOC_UTIL_PATHS: &[&str] = &[
    "doc-util/main.libsonnet",
    "github.com/jsonnet-libs/docsonnet/doc-util/main.libsonnet",
];

/// The name of the native that returns a built-in kind object.
const KIND_NATIVE: &str = "gwsonnet.kind";

/// The built-in kind with this library version, group alias, API version and field name.
fn find_kind(lib_version: &str, group: &str, version: &str, name: &str) -> Option<&'static Kind> {
    (crate::model::BUILTIN_LIBRARY_VERSION == lib_version)
        .then(|| {
            builtin_kinds()
                .iter()
                .find(|k| k.group_alias == group && k.version == version && k.field_name() == name)
        })
        .flatten()
}

/// A Jsonnet string literal of `s`.
fn lit(s: &str) -> String {
    serde_json::to_string(s).expect("strings serialize")
}

/// Contents of the built-in file at import path `path`, if there is one.
pub fn builtin_file(path: &str) -> Option<Cow<'static, str>> {
    if DOC_UTIL_PATHS.contains(&path) {
        return Some(Cow::Borrowed(DOC_UTIL));
    }
    for index in builtin_indexes() {
        let Some(rel) = path
            .strip_prefix(index.root())
            .and_then(|r| r.strip_prefix('/'))
        else {
            continue;
        };
        if let Some(text) = package_file(index, rel) {
            return Some(Cow::Owned(text));
        }
    }
    None
}

/// The glue file `rel` (relative to the package root) of a published library.
fn package_file(index: &LibraryIndex, rel: &str) -> Option<String> {
    const D: &str = "local d = import 'doc-util/main.libsonnet';\n";
    let parts: Vec<&str> = rel.split('/').collect();
    match parts.as_slice() {
        ["main.libsonnet"] => Some("(import 'gen.libsonnet')\n".to_owned()),
        ["gen.libsonnet"] => {
            let mut s = format!(
                "{D}{{\n  '#':: d.pkg(name={}, url={}, help=''),\n",
                lit(&index.package),
                lit(&index.url)
            );
            for group in index.groups.keys() {
                s.push_str(&format!(
                    "  {}:: import '_gen/{group}/main.libsonnet',\n",
                    lit(group)
                ));
            }
            s.push_str("}\n");
            Some(s)
        }
        ["_gen", group, "main.libsonnet"] => {
            let versions = index.groups.get(*group)?;
            let mut s = format!(
                "{D}{{\n  '#':: d.pkg(name={}, url='', help=''),\n",
                lit(group)
            );
            for version in versions.keys() {
                s.push_str(&format!(
                    "  {}: import '{version}/main.libsonnet',\n",
                    lit(version)
                ));
            }
            s.push_str("}\n");
            Some(s)
        }
        ["_gen", group, version, "main.libsonnet"] => {
            let kinds = index.groups.get(*group)?.get(*version)?;
            let mut s = format!(
                "{D}{{\n  '#':: d.pkg(name={}, url='', help=''),\n",
                lit(version)
            );
            for kind in kinds {
                s.push_str(&format!("  {}: import '{kind}.libsonnet',\n", lit(kind)));
            }
            s.push_str("}\n");
            Some(s)
        }
        ["_gen", group, version, file] => {
            let name = file.strip_suffix(".libsonnet")?;
            if !index
                .groups
                .get(*group)?
                .get(*version)?
                .iter()
                .any(|k| k == name)
            {
                return None;
            }
            let lib_version = index.version();
            Some(match find_kind(lib_version, group, version, name) {
                Some(kind) => format!(
                    "{D}std.native({})({}, {}, {}, {}) + {{\n  '#':: d.pkg(name={}, url='', help={}),\n}}\n",
                    lit(KIND_NATIVE),
                    lit(lib_version),
                    lit(group),
                    lit(version),
                    lit(name),
                    lit(name),
                    lit(&crate::model::library::go_quote_help(&kind.schema.description)),
                ),
                None => format!(
                    "error {}\n",
                    lit(&format!(
                        "{group}.{version}.{name} of {} {lib_version} is not built into gwsonnet: only {} built in (vendor the library under -J to use other kinds)",
                        index.package,
                        builtin_list(lib_version),
                    ))
                ),
            })
        }
        _ => None,
    }
}

/// "gateway.v1alpha2.tcpRoute is" / "a, b are": the built-in kinds of a version.
fn builtin_list(lib_version: &str) -> String {
    let names: Vec<String> = if crate::model::BUILTIN_LIBRARY_VERSION == lib_version {
        builtin_kinds()
            .iter()
            .map(|k| format!("{}.{}.{}", k.group_alias, k.version, k.field_name()))
            .collect()
    } else {
        Vec::new()
    };
    match names.len() {
        0 => "no kind is".to_owned(),
        1 => format!("{} is", names[0]),
        _ => format!("{} are", names.join(", ")),
    }
}

/// Natives registered for `std.native`.
pub fn natives() -> HashMap<IStr, FuncVal> {
    let mut natives = HashMap::new();
    natives.insert(IStr::from(KIND_NATIVE), FuncVal::builtin(KindNative::new()));
    natives
}

/// `std.native('gwsonnet.kind')(libVersion, group, version, kind)`: the native
/// library object of a built-in kind.
#[derive(Acyclic)]
struct KindNative {
    params: FunctionSignature,
}

impl KindNative {
    fn new() -> Self {
        let params = ["libVersion", "group", "version", "kind"]
            .iter()
            .map(|n| ParamParse::new(ParamName::Named((*n).into()), ParamDefault::None))
            .collect::<Vec<_>>();
        Self {
            params: FunctionSignature::new(params.into()),
        }
    }
}

impl Builtin for KindNative {
    fn name(&self) -> &str {
        KIND_NATIVE
    }
    fn params(&self) -> FunctionSignature {
        self.params.clone()
    }
    fn call(&self, _loc: CallLocation<'_>, args: &[Option<Thunk<Val>>]) -> Result<Val> {
        let mut strs = Vec::with_capacity(4);
        for (i, arg) in args.iter().enumerate() {
            let v = match arg {
                Some(t) => t.evaluate()?,
                None => Val::Null,
            };
            match v {
                Val::Str(s) => strs.push(s.to_string()),
                other => {
                    return Err(ErrorKind::RuntimeError(
                        format!(
                            "{KIND_NATIVE}: argument {} must be a string, got {}",
                            i + 1,
                            other.value_type()
                        )
                        .into(),
                    )
                    .into())
                }
            }
        }
        let [lib_version, group, version, name] = strs.as_slice() else {
            return Err(ErrorKind::RuntimeError(
                format!("{KIND_NATIVE}: needs 4 arguments").into(),
            )
            .into());
        };
        let kind = find_kind(lib_version, group, version, name).ok_or_else(|| {
            ErrorKind::RuntimeError(
                format!(
                    "{KIND_NATIVE}: {group}.{version}.{name} ({lib_version}) is not built in: only {} built in",
                    builtin_list(lib_version)
                )
                .into(),
            )
        })?;
        Ok(Val::Obj(library::kind_object(&library_tree(kind))?))
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}
