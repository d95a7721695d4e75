//! Markdown docs of the library, byte for byte as docsonnet v0.0.5 renders the
//! jsonnet-libs generated libraries (`pkg/render`, `pkg/md`, `pkg/slug`).
//!
//! Two front ends fill the same [`Package`] tree, which one renderer
//! ([`render_package`]) turns into pages:
//! - the model: the same [`library_tree`] the native library is built from. A kind
//!   becomes a docsonnet package whose API holds `new`, the setters and the documented
//!   objects; around the kind pages sit the package pages of the library (`README.md`),
//!   the group (`gateway/index.md`) and the version (`gateway/v1alpha2/index.md`). Fast,
//!   and used for every library without a hand-written layer;
//! - the evaluated library ([`load`]): what docsonnet reads from `main.libsonnet`, used
//!   for libraries with a `_custom` layer (k8s-libsonnet), whose helpers and their docs
//!   only exist in Jsonnet.

mod load;
mod md;
mod slug;
mod value;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::engine::{Engine, EngineSettings, Input};
use crate::model::{library_tree, Kind, LibNode, Library, LibraryError, Registry};
pub use load::{FieldError, FieldProblem};
use md::{yaml_string_entry, Elem};
pub use slug::Slugger;

/// Why the docs of a library cannot be rendered.
#[derive(Debug, thiserror::Error)]
pub enum DocsError {
    /// A kind's schema does not load.
    #[error(transparent)]
    Library(#[from] LibraryError),
    /// Evaluating the library failed: go-jsonnet's report, its final newline trimmed.
    #[error("{}", .0.to_string().trim_end())]
    Evaluation(#[source] crate::engine::EvalError),
    /// A docs field of the evaluated library docsonnet cannot read.
    #[error(transparent)]
    Field(#[from] FieldError),
}

/// A docsonnet package: name, import path, help, API fields and sub-packages.
#[derive(Debug, Clone, Default)]
struct Package {
    name: String,
    import: String,
    help: String,
    api: BTreeMap<String, Field>,
    sub: BTreeMap<String, Package>,
}

/// A function's argument: its name and, when its docs give one, its default.
#[derive(Debug, Clone)]
struct Arg {
    name: String,
    default: Option<serde_json::Value>,
}

impl Arg {
    /// An argument without a default.
    fn named(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            default: None,
        }
    }

    /// `name`, or `name=default` with the default as Jsonnet (docsonnet's `renderParams`).
    fn render(&self) -> String {
        match &self.default {
            None => self.name.clone(),
            Some(d) => format!("{}={}", self.name, value::jsonnet_param(d)),
        }
    }
}

/// A documented field of a package or object.
#[derive(Debug, Clone)]
enum Field {
    Function {
        name: String,
        help: String,
        args: Vec<Arg>,
    },
    Object {
        name: String,
        help: String,
        fields: BTreeMap<String, Field>,
    },
    /// A plain value (`d.val`): its type (`d.T`) and maybe a default.
    Value {
        name: String,
        help: String,
        kind: String,
        default: Option<serde_json::Value>,
    },
}

/// `a, b={}`: the parameter list of a function.
fn params(args: &[Arg]) -> String {
    args.iter().map(Arg::render).collect::<Vec<_>>().join(", ")
}

impl Field {
    fn is_function(&self) -> bool {
        matches!(self, Field::Function { .. })
    }
}

/// The docsonnet package of one kind (`tcpRoute`): its help and API.
fn kind_package(kind: &Kind) -> Package {
    let tree = library_tree(kind);
    let mut api = object_fields(&tree);
    if let Some(new) = &tree.constructor {
        api.insert(
            new.name.clone(),
            Field::Function {
                name: new.name.clone(),
                help: new.help.clone(),
                args: vec![Arg::named(&new.param)],
            },
        );
    }
    Package {
        name: tree.name.clone(),
        import: String::new(),
        help: tree.help.text(),
        api,
        sub: BTreeMap::new(),
    }
}

/// The documented fields of a library object: its functions and child objects.
fn object_fields(node: &LibNode<'_>) -> BTreeMap<String, Field> {
    let mut fields = BTreeMap::new();
    for f in &node.functions {
        fields.insert(
            f.name.clone(),
            Field::Function {
                name: f.name.clone(),
                help: f.help.text(),
                args: vec![Arg::named(&f.param)],
            },
        );
    }
    for o in &node.objects {
        fields.insert(
            o.name.clone(),
            Field::Object {
                name: o.name.clone(),
                help: o.help.text(),
                fields: object_fields(o),
            },
        );
    }
    fields
}

/// The whole package tree: the library, its groups, their versions, the kinds it
/// carries (groups and versions without a carried kind have no page).
fn library_package(lib: &Library) -> Result<Package, LibraryError> {
    let mut root = Package {
        name: lib.local_name().to_owned(),
        import: lib.main_url(),
        help: lib.help().to_owned(),
        ..Package::default()
    };
    for (group_key, versions) in lib.groups() {
        for (version_name, kinds) in versions {
            for slot in kinds.values() {
                let Some(kind) = slot.kind() else { continue };
                let group = root
                    .sub
                    .entry(group_key.to_string())
                    .or_insert_with(|| Package {
                        name: group_key.to_string(),
                        ..Package::default()
                    });
                let version = group
                    .sub
                    .entry(version_name.to_string())
                    .or_insert_with(|| Package {
                        name: version_name.to_string(),
                        ..Package::default()
                    });
                let page = kind_package(kind?);
                version.sub.insert(page.name.clone(), page);
            }
        }
    }
    Ok(root)
}

/// Go's `path.Join` for absolute slash paths: empty elements dropped, `.`/`..` resolved.
fn join_url(parts: &[&str]) -> String {
    let mut out: Vec<&str> = Vec::new();
    for part in parts {
        for seg in part.split('/') {
            match seg {
                "" | "." => {}
                ".." => {
                    out.pop();
                }
                s => out.push(s),
            }
        }
    }
    format!("/{}", out.join("/"))
}

/// docsonnet's `render`: the pages of `pkg` and its sub-packages, keyed by their path
/// relative to the docs root.
fn render_package(
    pkg: &Package,
    parents: &[String],
    root: bool,
    url_prefix: &str,
    out: &mut BTreeMap<String, String>,
) {
    let mut chain: Vec<String> = parents.to_vec();
    chain.push(pkg.name.clone());
    let mut link = if root {
        join_url(&[url_prefix])
    } else {
        let joined = chain.join("/");
        join_url(&[url_prefix, &joined])
    };
    if !link.ends_with('/') {
        link.push('/');
    }

    let mut elems = vec![
        Elem::Frontmatter(yaml_string_entry("permalink", &link)),
        Elem::Headline(1, chain.join(".")),
    ];
    if !pkg.import.is_empty() {
        elems.push(Elem::CodeBlock(
            "jsonnet".to_string(),
            format!("local {} = import \"{}\"", pkg.name, pkg.import),
        ));
    }
    elems.push(Elem::Text(pkg.help.clone()));

    if !pkg.sub.is_empty() {
        let items = pkg
            .sub
            .values()
            .map(|s| {
                let target = if s.sub.is_empty() {
                    format!("{}.md", s.name)
                } else {
                    format!("{}/index.md", s.name)
                };
                Elem::Link(Box::new(Elem::Text(s.name.clone())), target)
            })
            .collect();
        elems.push(Elem::List(items));
    }

    if !pkg.api.is_empty() {
        let mut slugger = Slugger::new();
        elems.push(Elem::Headline(2, "Index".to_string()));
        elems.push(Elem::List(render_index(&pkg.api, "", &mut slugger)));
        elems.push(Elem::Headline(2, "Fields".to_string()));
        render_api(&pkg.api, "", &mut elems);
    }

    let key = if root {
        "README.md".to_string()
    } else if pkg.sub.is_empty() {
        format!("{}.md", chain.join("/"))
    } else {
        format!("{}/index.md", chain.join("/"))
    };
    out.insert(key, Elem::doc(elems).render());

    let sub_parents: Vec<String> = if root { parents.to_vec() } else { chain };
    for s in pkg.sub.values() {
        render_package(s, &sub_parents, false, url_prefix, out);
    }
}

/// docsonnet's `sortFields`: names starting with `new` (any case) first, then
/// functions, then the rest; byte order within each group.
fn sorted_keys(api: &BTreeMap<String, Field>) -> Vec<&String> {
    let mut keys: Vec<&String> = api.keys().collect();
    let is_new = |k: &str| k.to_lowercase().starts_with("new");
    keys.sort_by(|a, b| {
        let rank = |k: &String| (!is_new(k), !api[k].is_function());
        rank(a).cmp(&rank(b)).then_with(|| a.cmp(b))
    });
    keys
}

/// The `## Index` list: links to every function and object, objects nesting their own.
fn render_index(api: &BTreeMap<String, Field>, path: &str, slugger: &mut Slugger) -> Vec<Elem> {
    let mut elems = Vec::new();
    for key in sorted_keys(api) {
        match &api[key] {
            Field::Function { name, args, .. } => {
                let text = Elem::Text(format!("fn {name}({})", params(args)));
                let link = format!("#{}", slugger.slug(&format!("fn {path}{name}")));
                elems.push(Elem::Link(Box::new(Elem::Code(Box::new(text))), link));
            }
            Field::Object { name, fields, .. } => {
                let text = Elem::Text(format!("obj {path}{name}"));
                let link = format!("#{}", slugger.slug(&format!("obj {path}{name}")));
                elems.push(Elem::Link(Box::new(Elem::Code(Box::new(text))), link));
                elems.push(Elem::List(render_index(
                    fields,
                    &format!("{path}{name}."),
                    slugger,
                )));
            }
            Field::Value { name, kind, .. } => {
                let text = format!("{kind} {path}{name}");
                let link = format!("#{}", slugger.slug(&text));
                elems.push(Elem::Link(
                    Box::new(Elem::Code(Box::new(Elem::Text(text)))),
                    link,
                ));
            }
        }
    }
    elems
}

/// The `## Fields` section: a `### fn` block per function, an `## obj` section per
/// object followed by its own fields, a `### <type>` block per value.
fn render_api(api: &BTreeMap<String, Field>, path: &str, elems: &mut Vec<Elem>) {
    for key in sorted_keys(api) {
        match &api[key] {
            Field::Function { name, help, args } => {
                elems.push(Elem::Headline(3, format!("fn {path}{name}")));
                elems.push(Elem::CodeBlock(
                    "ts".to_string(),
                    format!("{name}({})", params(args)),
                ));
                elems.push(Elem::Text(help.clone()));
            }
            Field::Object { name, help, fields } => {
                elems.push(Elem::Headline(2, format!("obj {path}{name}")));
                elems.push(Elem::Text(help.clone()));
                render_api(fields, &format!("{path}{name}."), elems);
            }
            Field::Value {
                name,
                help,
                kind,
                default,
            } => {
                elems.push(Elem::Headline(3, format!("{kind} {path}{name}")));
                if let Some(d) = default {
                    let label = Elem::Italic(Box::new(Elem::Text("Default value: ".into())));
                    let shown = Elem::Code(Box::new(Elem::Text(value::go_sprint(d))));
                    elems.push(Elem::Join(vec![label, shown], " "));
                }
                elems.push(Elem::Text(help.clone()));
            }
        }
    }
}

/// The docs page of one kind of `lib`, e.g. `gateway/v1alpha2/tcpRoute.md` of library
/// `0.8-experimental`: front matter with the permalink, the kind's help, the index and
/// the fields. The text ends without a newline, as docsonnet writes it.
pub fn render_kind_page(lib: &Library, kind: &Kind) -> String {
    let pkg = kind_package(kind);
    let parents = vec![kind.group_key(), kind.version.clone()];
    let mut out = BTreeMap::new();
    render_package(&pkg, &parents, false, lib.output(), &mut out);
    out.into_values().next().unwrap_or_default()
}

/// Every docs page of a library: `README.md`, `<group>/index.md`,
/// `<group>/<version>/index.md` and `<group>/<version>/<kind>.md` for the kinds it
/// carries, keyed by their path relative to the library's docs directory (`<output>/`).
///
/// # Errors
/// The first kind whose schema does not load.
pub fn render_library(lib: &Library) -> Result<BTreeMap<String, String>, LibraryError> {
    let mut out = BTreeMap::new();
    render_package(&library_package(lib)?, &[], true, lib.output(), &mut out);
    Ok(out)
}

/// Every docs page of the library whose `main.libsonnet` is imported as `main` (the
/// library's `<import root>/main.libsonnet`, a path below a search directory of
/// `engine`, or a file), read from what `engine` evaluates it to ([`load`]) and keyed
/// as [`render_library`] keys them, with permalinks below `/<url_prefix>/`
/// (docsonnet's `--urlPrefix`).
///
/// # Errors
/// The evaluation error, or the first docs field docsonnet could not read.
pub fn render_evaluated(
    engine: &Engine,
    main: &str,
    url_prefix: &str,
) -> Result<BTreeMap<String, String>, DocsError> {
    let failed = DocsError::Evaluation;
    let code = format!("import {}", serde_json::Value::from(main));
    let library = engine.evaluate(&Input::Code(code)).map_err(failed)?;
    let raw = engine
        .inspect(|| match &library {
            jrsonnet_evaluator::Val::Obj(obj) => load::extract(obj),
            other => Err(jrsonnet_evaluator::error::ErrorKind::RuntimeError(
                format!(
                    "{main} is a {}, not a docsonnet package",
                    other.value_type()
                )
                .into(),
            )
            .into()),
        })
        .map_err(failed)?;
    let pkg = load::transform(&raw, main)?;
    let mut out = BTreeMap::new();
    render_package(&pkg, &[], true, url_prefix, &mut out);
    Ok(out)
}

/// Writes the docs of every library of `registry` below `out_dir/<output>/`: the kind
/// pages at `<group key>/<version>/<kind key>.md` plus the package index pages. A
/// library with a hand-written layer ([`Library::custom`]) is documented from what it
/// evaluates to ([`render_evaluated`]), the others from the model ([`render_library`]).
/// Directories are created; every page is written to a temporary file beside it and
/// all are renamed into place only when all were written ([`crate::atomic::write_tree`]:
/// a full disk leaves the tree as it was). Returns the paths written, sorted per library.
///
/// # Errors
/// `InvalidInput` when two libraries share an output directory, `InvalidData` when a
/// kind does not load, otherwise the first I/O error creating a directory or writing
/// or renaming a file.
pub fn write_docs(registry: &Registry, out_dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut outputs = BTreeMap::new();
    for lib in registry.libraries() {
        if let Some(other) = outputs.insert(lib.output(), lib.import_root()) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!(
                    "{other} and {} both write docs to {}/",
                    lib.import_root(),
                    lib.output()
                ),
            ));
        }
    }
    let mut written = Vec::new();
    // Built for the first library with a hand-written layer.
    let mut engine = None;
    for lib in registry.libraries() {
        let pages = if lib.custom().is_empty() {
            render_library(lib).map_err(DocsError::from)
        } else {
            let engine = engine.get_or_insert_with(|| {
                Engine::new(&EngineSettings {
                    registry: std::sync::Arc::new(registry.clone()),
                    ..EngineSettings::default()
                })
            });
            render_evaluated(engine, &lib.main_url(), lib.output())
        }
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
        for (rel, content) in pages {
            let rel = format!("{}/{rel}", lib.output());
            let path = crate::atomic::join_inside(out_dir, &rel, lib.import_root())?;
            written.push((path, content));
        }
    }
    let files: Vec<(PathBuf, &[u8])> = written
        .iter()
        .map(|(path, content)| (path.clone(), content.as_bytes()))
        .collect();
    crate::atomic::write_tree(&files)?;
    Ok(written.into_iter().map(|(path, _)| path).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(name: &str) -> Field {
        Field::Function {
            name: name.into(),
            help: String::new(),
            args: vec![],
        }
    }

    fn v(name: &str) -> Field {
        Field::Value {
            name: name.into(),
            help: String::new(),
            kind: "string".into(),
            default: None,
        }
    }

    fn o(name: &str) -> Field {
        Field::Object {
            name: name.into(),
            help: String::new(),
            fields: BTreeMap::new(),
        }
    }

    #[test]
    fn sort_order_is_new_then_functions_then_objects() {
        let mut api = BTreeMap::new();
        for field in [
            f("withB"),
            f("withA"),
            o("alpha"),
            f("new"),
            o("newThing"),
            f("Zed"),
            v("beta"),
        ] {
            let name = match &field {
                Field::Function { name, .. }
                | Field::Object { name, .. }
                | Field::Value { name, .. } => name.clone(),
            };
            api.insert(name, field);
        }
        let keys: Vec<&str> = sorted_keys(&api).into_iter().map(|k| k.as_str()).collect();
        assert_eq!(
            keys,
            ["new", "newThing", "Zed", "withA", "withB", "alpha", "beta"]
        );
    }

    #[test]
    fn url_join_cleans() {
        assert_eq!(join_url(&["0.8-experimental"]), "/0.8-experimental");
        assert_eq!(join_url(&["", "a/b"]), "/a/b");
        assert_eq!(join_url(&["x/", "../y"]), "/y");
    }
}
