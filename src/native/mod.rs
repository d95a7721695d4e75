//! The native Jsonnet libraries built into gwsonnet.
//!
//! The import resolver asks [`BuiltinFiles`] for files no directory on the search path
//! has. It serves doc-util (our own implementation, `lib/doc-util`) and the file layout
//! of every library of the [`Registry`] (`<import root>/main.libsonnet`, `gen.libsonnet`,
//! `_gen/<group>/main.libsonnet`, ...). Those files are one-line glue generated from the
//! library's layout ([`Library::groups`]); a kind's file fetches the kind object built
//! natively from the model through the `gwsonnet.kind` native ([`natives`]), which
//! loads the kind's schema on first use.

mod json;
mod library;

use std::{borrow::Cow, collections::HashMap, sync::Arc};

use jrsonnet_evaluator::{
    error::{ErrorKind, Result},
    function::{builtin::Builtin, CallLocation, FuncVal},
    IStr, Thunk, Val,
};
use jrsonnet_gcmodule::Acyclic;
use jrsonnet_ir::function::{FunctionSignature, ParamDefault, ParamName, ParamParse};

use crate::model::{library::library_tree, Library, Registry};

/// doc-util, served at both import paths libraries use.
const DOC_UTIL: &str = include_str!("../../lib/doc-util/main.libsonnet");
const DOC_UTIL_PATHS: &[&str] = &[
    "doc-util/main.libsonnet",
    "github.com/jsonnet-libs/docsonnet/doc-util/main.libsonnet",
];

/// The name of the native that returns a built-in kind object.
const KIND_NATIVE: &str = "gwsonnet.kind";

/// A Jsonnet string literal of `s`.
fn lit(s: &str) -> String {
    serde_json::to_string(s).expect("strings serialize")
}

/// The built-in files of a registry's libraries, for the import resolver.
#[derive(Debug, Clone)]
pub struct BuiltinFiles {
    registry: Arc<Registry>,
}

impl BuiltinFiles {
    /// The files of `registry`'s libraries (and doc-util).
    pub fn new(registry: Arc<Registry>) -> Self {
        Self { registry }
    }

    /// Contents of the built-in file at import path `path`, if there is one.
    pub fn get(&self, path: &str) -> Option<Cow<'static, str>> {
        if DOC_UTIL_PATHS.contains(&path) {
            return Some(Cow::Borrowed(DOC_UTIL));
        }
        let (lib, rel) = self.registry.locate(path)?;
        package_file(lib, rel).map(Cow::Owned)
    }
}

/// The glue file `rel` (relative to the package root) of a published library.
fn package_file(lib: &Library, rel: &str) -> Option<String> {
    const D: &str = "local d = import 'doc-util/main.libsonnet';\n";
    let parts: Vec<&str> = rel.split('/').collect();
    match parts.as_slice() {
        ["main.libsonnet"] => Some("(import 'gen.libsonnet')\n".to_owned()),
        ["gen.libsonnet"] => {
            let mut s = format!(
                "{D}{{\n  '#':: d.pkg(name={}, url={}, help=''),\n",
                lit(lib.local_name()),
                lit(&lib.main_url())
            );
            for group in lib.groups().keys() {
                s.push_str(&format!(
                    "  {}:: import '_gen/{group}/main.libsonnet',\n",
                    lit(group)
                ));
            }
            s.push_str("}\n");
            Some(s)
        }
        ["_gen", group, "main.libsonnet"] => {
            let versions = lib.groups().get(*group)?;
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
            let kinds = lib.groups().get(*group)?.get(*version)?;
            let mut s = format!(
                "{D}{{\n  '#':: d.pkg(name={}, url='', help=''),\n",
                lit(version)
            );
            for kind in kinds.keys() {
                s.push_str(&format!("  {}: import '{kind}.libsonnet',\n", lit(kind)));
            }
            s.push_str("}\n");
            Some(s)
        }
        ["_gen", group, version, file] => {
            let name = file.strip_suffix(".libsonnet")?;
            let slot = lib.slot(group, version, name)?;
            Some(match slot.kind() {
                Some(Ok(kind)) => format!(
                    "{D}std.native({})({}, {}, {}, {}) + {{\n  '#':: d.pkg(name={}, url='', help={}),\n}}\n",
                    lit(KIND_NATIVE),
                    lit(lib.import_root()),
                    lit(group),
                    lit(version),
                    lit(name),
                    lit(name),
                    lit(&crate::model::library::go_quote_help(kind.schema.description())),
                ),
                Some(Err(e)) => format!("error {}\n", lit(&e.to_string())),
                None => format!(
                    "error {}\n",
                    lit(&lib.not_carried_message(group, version, name))
                ),
            })
        }
        _ => None,
    }
}

/// Natives registered for `std.native`, serving the kinds of `registry`.
pub fn natives(registry: Arc<Registry>) -> HashMap<IStr, FuncVal> {
    let mut natives = HashMap::new();
    natives.insert(
        IStr::from(KIND_NATIVE),
        FuncVal::builtin(KindNative::new(registry)),
    );
    natives
}

/// `std.native('gwsonnet.kind')(library, group, version, kind)`: the native library
/// object of a kind of the library whose import root is `library`.
#[derive(Acyclic)]
struct KindNative {
    params: FunctionSignature,
    registry: Arc<Registry>,
}

impl KindNative {
    fn new(registry: Arc<Registry>) -> Self {
        let params = ["library", "group", "version", "kind"]
            .iter()
            .map(|n| ParamParse::new(ParamName::Named((*n).into()), ParamDefault::None))
            .collect::<Vec<_>>();
        Self {
            params: FunctionSignature::new(params.into()),
            registry,
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
        let [root, group, version, name] = strs.as_slice() else {
            return Err(ErrorKind::RuntimeError(
                format!("{KIND_NATIVE}: needs 4 arguments").into(),
            )
            .into());
        };
        let fail = |why: String| -> jrsonnet_evaluator::Error {
            ErrorKind::RuntimeError(format!("{KIND_NATIVE}: {why}").into()).into()
        };
        let lib = self
            .registry
            .library(root)
            .ok_or_else(|| fail(format!("no library {root}")))?;
        let kind = match lib.slot(group, version, name).and_then(|s| s.kind()) {
            Some(Ok(kind)) => kind,
            Some(Err(e)) => return Err(fail(e.to_string())),
            None => {
                return Err(fail(format!(
                    "{group}.{version}.{name} ({}) is not built in: only {} built in",
                    lib.output(),
                    lib.carried_list()
                )))
            }
        };
        Ok(Val::Obj(library::kind_object(&library_tree(kind))?))
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}
