//! The native Jsonnet libraries built into gwsonnet.
//!
//! The import resolver asks [`BuiltinFiles`] for files no directory on the search path
//! has. It serves doc-util (our own implementation, `lib/doc-util`) and the file layout
//! of every library of the [`Registry`] (`<import root>/main.libsonnet`, `gen.libsonnet`,
//! `_gen/<group>/main.libsonnet`, ...). Those files are short glue generated from the
//! library's layout ([`Library::groups`]): a layout file's members (the groups, a group's
//! versions, a version's kinds) are made by the `gwsonnet.layout` native, each an
//! import of the file below made when first read; a kind's file fetches the kind object
//! built natively from the model through the `gwsonnet.kind` native ([`natives`]),
//! which loads the kind's schema on first use. A library with a hand-written layer (the
//! Kubernetes library's `_custom/…`, [`crate::openapi::CUSTOM_FILES`]) has those files
//! served in the form the engine evaluates, their docs values in files of their own
//! (`docs_split.rs`, split by `build.rs`; some followed by an overlay of natives, [`k8s_custom`]), and its
//! `main.libsonnet` layers them over `gen.libsonnet`, field by field where a file allows
//! it, so that a file is parsed only when a program reads one of its fields
//! ([`k8s_custom::lazy_main`]; the published text when a copy of one of them is on the
//! search path: [`BuiltinFiles::main_adding_files_whole`]).
//!
//! An import path that nothing serves but that names a library (a version of
//! k8s-libsonnet or of a loaded library that is not there, a `gwsonnet/crds/<group>`
//! not loaded, a jsonnet-libs `*-libsonnet` package) gets a hint for the resolver's
//! error ([`BuiltinFiles::missing_hint`]): which versions are loaded, from where, and
//! the flag that loads another.

// Used by `build.rs` (which includes the file); compiled here for its tests.
#[cfg(test)]
mod docs_split;
mod json;
mod k8s_custom;
mod k8s_helpers;
mod library;

use std::{borrow::Cow, collections::HashMap, sync::Arc};

use jrsonnet_evaluator::{
    bail,
    error::{ErrorKind::RuntimeError, Result},
    function::{builtin, FuncVal},
    val::MemoizedClosureThunk,
    with_state, IStr, ObjValueBuilder, Thunk, Val,
};
use jrsonnet_gcmodule::Trace;
use jrsonnet_ir::SourcePath;

use crate::model::{Library, Registry};

/// doc-util, served at both import paths libraries use.
const DOC_UTIL: &str = include_str!("../../lib/doc-util/main.libsonnet");
const DOC_UTIL_PATHS: &[&str] = &[
    "doc-util/main.libsonnet",
    "github.com/jsonnet-libs/docsonnet/doc-util/main.libsonnet",
];

/// The first line of the generated files: doc-util, for their package docs.
const D: &str = "local d = import 'doc-util/main.libsonnet';\n";

/// The name of the native that returns a built-in kind object.
const KIND_NATIVE: &str = "gwsonnet.kind";

/// The name of the native that makes the members of a built-in library's layout files
/// ([`builtin_layout`]).
const LAYOUT_NATIVE: &str = "gwsonnet.layout";

/// A Jsonnet string literal of `s`.
fn lit(s: &str) -> String {
    serde_json::to_string(s).expect("strings serialize")
}

/// The path the built-in files know an import path by, normalized lexically (empty and
/// `.` elements dropped, `..` removing the element before it: `a/./b/../c` → `a/c`);
/// `None` when it climbs above the root of the built-in tree. The resolver, the language
/// server and the import graph all look built-in files up by it.
pub fn builtin_path(p: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in p.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
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
        if rel == "main.libsonnet" {
            if let Some(text) = k8s_custom::lazy_main(lib.custom()) {
                return Some(Cow::Borrowed(text));
            }
        }
        if let Some(name) = rel.strip_prefix("_custom/") {
            if let Some((_, text)) = lib.custom().iter().find(|(n, _)| *n == name) {
                return Some(k8s_custom::served(name, text));
            }
            if !lib.custom().is_empty() {
                return k8s_custom::docs_file(name).map(Cow::Borrowed);
            }
        }
        package_file(lib, rel).map(Cow::Owned)
    }

    /// For a library `main.libsonnet` at `path` that [`BuiltinFiles::get`] serves
    /// adding its hand-written files field by field: their import paths, and the
    /// published text, which adds each whole. A copy of one of those files on the search
    /// path replaces the built-in one, so the resolver serves the published text then:
    /// the copy may add fields the built-in file does not. `None` for any other path.
    pub fn main_adding_files_whole(&self, path: &str) -> Option<(Vec<String>, String)> {
        let (lib, rel) = self.registry.locate(path)?;
        if rel != "main.libsonnet" || k8s_custom::lazy_main(lib.custom()).is_none() {
            return None;
        }
        let root = lib.import_root();
        let paths = lib
            .custom()
            .iter()
            .map(|(name, _)| format!("{root}/_custom/{name}"))
            .collect();
        Some((paths, lib.main_text()))
    }

    /// Why nothing serves the import path `path` when it names a library: which
    /// versions of it are loaded and from where, and how to load another (the
    /// resolver adds this to its "couldn't open import" error). `None` for any other
    /// path.
    pub fn missing_hint(&self, path: &str) -> Option<String> {
        let registry = &self.registry;
        if let Some((lib, rel)) = registry.locate(path) {
            return Some(format!(
                "{} {} ({}) has no file {rel}",
                package_name(lib.repository()),
                lib.output(),
                lib.origin()
            ));
        }
        let (repository, version) = split_library_path(path)?;
        if repository == crate::openapi::REPOSITORY {
            return Some(format!(
                "k8s-libsonnet {version} is not available: gwsonnet has Kubernetes {}; load another version's OpenAPI document with --openapi [VERSION=]FILE, or vendor the library under -J",
                registry.kubernetes_origins_text()
            ));
        }
        let loaded: Vec<&Library> = registry
            .libraries()
            .filter(|l| l.repository() == repository)
            .collect();
        if repository == crate::model::NATIVE_REPOSITORY {
            let groups: Vec<(&str, &str)> =
                loaded.iter().map(|l| (l.output(), l.origin())).collect();
            return Some(format!(
                "no CRD of the API group {version} is loaded (loaded groups: {}); give its CRDs with --crds <file or folder>",
                crate::model::versions_by_origin(&groups).replace("no version", "none")
            ));
        }
        let name = package_name(repository);
        if loaded.is_empty() {
            let jsonnet_libs = repository.starts_with("github.com/jsonnet-libs/")
                && repository.ends_with("-libsonnet");
            return jsonnet_libs.then(|| format!(
                "{name} is not loaded: serve a jsonnet-libs library from its CRDs with --crd-library <its generator config>, or vendor it under -J"
            ));
        }
        let versions: Vec<(&str, &str)> = loaded.iter().map(|l| (l.output(), l.origin())).collect();
        let how = if loaded
            .iter()
            .any(|l| l.origin().starts_with("--crd-library"))
        {
            "--crd-library <generator config>"
        } else {
            "--crds <its CRD file or folder>"
        };
        Some(format!(
            "{name} {version} is not loaded: gwsonnet has {}; load another version with {how}, or vendor the library under -J",
            crate::model::versions_by_origin(&versions)
        ))
    }
}

/// The package's name in messages: the repository's last part (`k8s-libsonnet`), or
/// the whole of `gwsonnet/crds`.
fn package_name(repository: &str) -> &str {
    if repository == crate::model::NATIVE_REPOSITORY {
        return repository;
    }
    repository.rsplit('/').next().unwrap_or(repository)
}

/// `<repository>/<version>/…` → (repository, version) for the repositories libraries
/// live in: `github.com/<owner>/<name>` and `gwsonnet/crds`.
fn split_library_path(path: &str) -> Option<(&str, &str)> {
    let depth = if path.starts_with("github.com/") {
        3
    } else if path.starts_with(crate::model::NATIVE_REPOSITORY) {
        2
    } else {
        return None;
    };
    let mut ends = path.match_indices('/').map(|(i, _)| i);
    let repo_end = ends.nth(depth - 1)?;
    let version = path[repo_end + 1..].split('/').next()?;
    // A library's files lie below its version.
    if version.is_empty() || !path[repo_end + 1..].contains('/') {
        return None;
    }
    Some((&path[..repo_end], version))
}

/// The glue file `rel` (relative to the package root) of a published library.
fn package_file(lib: &Library, rel: &str) -> Option<String> {
    let parts: Vec<&str> = rel.split('/').collect();
    match parts.as_slice() {
        ["main.libsonnet"] => Some(lib.main_text()),
        ["gen.libsonnet"] => Some(layout_file(
            lib,
            ["", ""],
            &format!(
                "d.pkg(name={}, url={}, help={})",
                lit(lib.local_name()),
                lit(&lib.main_url()),
                lit(lib.help())
            ),
        )),
        ["_gen", group, "main.libsonnet"] => {
            lib.groups().get(*group)?;
            Some(layout_file(lib, [group, ""], &pkg(group)))
        }
        ["_gen", group, version, "main.libsonnet"] => {
            lib.groups().get(*group)?.get(*version)?;
            Some(layout_file(lib, [group, version], &pkg(version)))
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

/// docsonnet's package docs of a group or version file: `d.pkg(name=…, url='', help='')`.
fn pkg(name: &str) -> String {
    format!("d.pkg(name={}, url='', help='')", lit(name))
}

/// A layout file of `lib` (`gen.libsonnet` for `["", ""]`, a group's file for
/// `[group, ""]`, a version's for `[group, version]`): its members from
/// [`builtin_layout`], with the package docs `docs`.
fn layout_file(lib: &Library, [group, version]: [&str; 2], docs: &str) -> String {
    format!(
        "{D}std.native({})({}, {}, {}) + {{\n  '#':: {docs},\n}}\n",
        lit(LAYOUT_NATIVE),
        lit(lib.import_root()),
        lit(group),
        lit(version),
    )
}

/// Natives registered for `std.native`, serving the kinds of `registry`; `source` is how
/// the engine names the built-in files it loads.
pub fn natives(registry: Arc<Registry>, source: BuiltinSource) -> HashMap<IStr, FuncVal> {
    let mut natives = HashMap::new();
    natives.insert(
        IStr::from(KIND_NATIVE),
        FuncVal::builtin(builtin_kind {
            registry: registry.clone(),
        }),
    );
    natives.insert(
        IStr::from(LAYOUT_NATIVE),
        FuncVal::builtin(builtin_layout { registry, source }),
    );
    let [core, volume_mounts, apps] = k8s_custom::NATIVES;
    natives.insert(
        IStr::from(core),
        FuncVal::builtin(k8s_custom::builtin_k8s_core {}),
    );
    natives.insert(
        IStr::from(apps),
        FuncVal::builtin(k8s_helpers::builtin_k8s_apps {}),
    );
    natives.insert(
        IStr::from(volume_mounts),
        FuncVal::builtin(k8s_custom::builtin_k8s_volume_mounts {}),
    );
    natives
}

/// `std.native('gwsonnet.kind')(library, group, version, kind)`: the native library
/// object of a kind of the library whose import root is `library`.
#[builtin(fields(#[trace(skip)] registry: Arc<Registry>))]
fn builtin_kind(
    this: &builtin_kind,
    library: IStr,
    group: IStr,
    version: IStr,
    kind: IStr,
) -> Result<Val> {
    let lib = this
        .registry
        .library(&library)
        .ok_or_else(|| RuntimeError(format!("{KIND_NATIVE}: no library {library}").into()))?;
    match lib.slot(&group, &version, &kind).and_then(|s| s.kind()) {
        Some(Ok(_)) => {}
        Some(Err(e)) => bail!("{KIND_NATIVE}: {e}"),
        None => bail!(
            "{KIND_NATIVE}: {}",
            lib.not_carried_message(&group, &version, &kind)
        ),
    }
    Ok(Val::Obj(library::kind_object(&library::KindSource {
        registry: this.registry.clone(),
        library,
        place: [group, version, kind],
    })?))
}

/// How the engine names a built-in file it loaded (its [`SourcePath`]), given the
/// file's import path: [`builtin_layout`] imports files from a layout file as that
/// file's own `import`s would.
pub type BuiltinSource = fn(String) -> SourcePath;

/// `std.native('gwsonnet.layout')(library, group, version)`, called by the layout files
/// of the library whose import root is `library`: the members of its `gen.libsonnet`
/// (`group` and `version` empty: a hidden field per group, `import
/// '_gen/<group>/main.libsonnet'`), of `_gen/<group>/main.libsonnet` (`version` empty: a
/// field per version, `import '<version>/main.libsonnet'`) or of
/// `_gen/<group>/<version>/main.libsonnet` (a field per kind, `import
/// '<kind>.libsonnet'`). Each field's value is that import from the calling file (the
/// search path first, as any import from a built-in file), made when the field is
/// first read. The same objects as the published files' `{ "<kind>": import
/// '<kind>.libsonnet', ... }`, without parsing a field per member on every run
/// (`core/v1` has 190: a sixth of a one-Deployment program's instructions went into
/// making, parsing and analysing that file).
#[builtin(fields(
    #[trace(skip)] registry: Arc<Registry>,
    #[trace(skip)] source: BuiltinSource,
))]
fn builtin_layout(this: &builtin_layout, library: IStr, group: IStr, version: IStr) -> Result<Val> {
    let missing = |what: String| RuntimeError(format!("{LAYOUT_NATIVE}: no {what}").into());
    let groups = this
        .registry
        .library(&library)
        .ok_or_else(|| missing(format!("library {library}")))?
        .groups();
    // The calling file, its members, whether they are hidden, and the file each member
    // imports: `<before><name><after>`.
    let (file, names, hidden, [before, after]): (_, Vec<&str>, _, _) = if group.is_empty() {
        let names = groups.keys().map(|k| k.as_ref()).collect();
        let member = ["_gen/", "/main.libsonnet"];
        ("gen.libsonnet".to_owned(), names, true, member)
    } else {
        let versions = groups
            .get(group.as_str())
            .ok_or_else(|| missing(format!("group {group} in {library}")))?;
        if version.is_empty() {
            let names = versions.keys().map(|k| k.as_ref()).collect();
            let file = format!("_gen/{group}/main.libsonnet");
            (file, names, false, ["", "/main.libsonnet"])
        } else {
            let kinds = versions
                .get(version.as_str())
                .ok_or_else(|| missing(format!("version {group}.{version} in {library}")))?;
            let names = kinds.keys().map(|k| k.as_ref()).collect();
            let file = format!("_gen/{group}/{version}/main.libsonnet");
            (file, names, false, ["", ".libsonnet"])
        }
    };
    let from = (this.source)(format!("{library}/{file}"));
    let mut object = ObjValueBuilder::with_capacity(names.len());
    for name in names {
        let name = IStr::from(name);
        // The member's file is named when it is first read, not for every member.
        let import = Import {
            from: from.clone(),
            before,
            name: name.clone(),
            after,
        };
        let field = object.field(name);
        let field = if hidden { field.hide() } else { field };
        field.thunk(Thunk::new(MemoizedClosureThunk::new(import, import_file)));
    }
    Ok(Val::Obj(object.build()))
}

/// The file `<before><name><after>` to import from the layout file `from`.
#[derive(Trace)]
struct Import {
    #[trace(skip)]
    from: SourcePath,
    #[trace(skip)]
    before: &'static str,
    name: IStr,
    #[trace(skip)]
    after: &'static str,
}

/// `import '<file>'` from the layout file.
fn import_file(import: Import) -> Result<Val> {
    let file = format!("{}{}{}", import.before, import.name, import.after);
    with_state(|state| state.import_from(&import.from, file.as_str()))
}
