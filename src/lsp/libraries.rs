//! The values of the built-in libraries as the evaluator serves them, read for the
//! editor: the fields of a library object, their docsonnet docs (`'#withName'`), a
//! function's parameters, and which kind's object a library function returns.
//!
//! Only library code runs here (the lazy native objects of [`crate::native`] and the
//! hand-written layers served with them, such as k8s-libsonnet's `_custom` helpers),
//! never the user's: `import '<library path>'` is evaluated once per project and its
//! objects are walked field by field on demand (jrsonnet caches each field). `std` is
//! read the same way; its docs are the evaluator's table of `std`
//! ([`crate::engine::std_about`]). What a function returns comes from the model
//! ([`crate::model::library_tree`]): a library function of a kind returns that kind's
//! object, or under an array's documented object (`spec.rules.withName`) one element.
//!
//! Contact points: [`super::analysis`] holds [`LibValue`]s in its shapes;
//! [`super::project::Project`] owns one [`Libraries`].

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use jrsonnet_evaluator::{IStr, ObjValue, Val};

use crate::engine::{Engine, EngineSettings, Input};
use crate::model::{library::camel_lower, library_tree, Kind, Registry, Schema};

/// A value inside a built-in library (or `std`): the value and where it was reached.
#[derive(Clone)]
pub struct LibValue {
    val: Val,
    /// The built-in import path whose value this lies in (`""` for `std`).
    pub import: String,
    /// Field names from that value down to this one.
    pub path: Vec<String>,
}

/// What a member of a library object is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberKind {
    /// A function.
    Function,
    /// An object.
    Object,
    /// Any other value.
    Value,
}

/// A documented argument of a library function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arg {
    /// Its name.
    pub name: String,
    /// Its type as doc-util prints it (`string`, `array`), if documented.
    pub ty: Option<String>,
    /// Its default as Jsonnet text, if it has one.
    pub default: Option<String>,
}

/// The docs of a library member: docsonnet's help, and for a function its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Doc {
    /// The help text, unquoted (the generated libraries quote descriptions as Go's
    /// `%q` does).
    pub help: String,
    /// The arguments of a function (docsonnet's, else the function's own parameters).
    pub args: Option<Vec<Arg>>,
}

/// A member of a library object.
#[derive(Debug, Clone)]
pub struct Member {
    /// Field name.
    pub name: String,
    /// Function, object or value.
    pub kind: MemberKind,
    /// Its docs.
    pub doc: Option<Doc>,
}

/// A place in a kind's schema: the kind, then property names and `[]` (array items).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaRef {
    /// The library's import root.
    pub import_root: String,
    /// Group key, version, kind key of the library's layout.
    pub group: String,
    /// The API version key.
    pub version: String,
    /// The kind key (`tcpRoute`).
    pub kind: String,
    /// Property names from the kind's root; `[]` for an array's items.
    pub steps: Vec<String>,
}

/// The step of a [`SchemaRef`] into an array's items.
pub const ITEMS: &str = "[]";

/// The built-in libraries of one project, evaluated lazily.
pub struct Libraries {
    engine: Engine,
    registry: Arc<Registry>,
    roots: RefCell<HashMap<String, Option<Val>>>,
}

impl Libraries {
    /// An evaluator for the libraries of `settings.registry`.
    pub fn new(settings: &EngineSettings) -> Self {
        Self {
            engine: Engine::new(settings),
            registry: settings.registry.clone(),
            roots: RefCell::default(),
        }
    }

    /// The libraries.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// The value of the built-in file at import path `path`.
    pub fn import(&self, path: &str) -> Option<LibValue> {
        let val = self.root(path, &format!("import {}", lit(path)))?;
        Some(LibValue {
            val,
            import: path.to_owned(),
            path: Vec::new(),
        })
    }

    /// `std`.
    pub fn std(&self) -> Option<LibValue> {
        let val = self.root("", "std")?;
        Some(LibValue {
            val,
            import: String::new(),
            path: Vec::new(),
        })
    }

    fn root(&self, key: &str, code: &str) -> Option<Val> {
        if let Some(v) = self.roots.borrow().get(key) {
            return v.clone();
        }
        let v = self.engine.evaluate(&Input::Code(code.to_owned()));
        if let Err(e) = &v {
            eprintln!(
                "gwsonnet lsp: evaluating {code}: {}",
                e.to_string().trim_end()
            );
        }
        let v = v.ok();
        self.roots.borrow_mut().insert(key.to_owned(), v.clone());
        v
    }

    /// Field `name` of `v` (hidden fields too), when `v` is an object that has it and
    /// its value evaluates.
    pub fn field(&self, v: &LibValue, name: &str) -> Option<LibValue> {
        let Val::Obj(obj) = &v.val else {
            return None;
        };
        let val = self.engine.inspect(|| obj.get(IStr::from(name))).ok()??;
        let mut path = v.path.clone();
        path.push(name.to_owned());
        Some(LibValue {
            val,
            import: v.import.clone(),
            path,
        })
    }

    /// Whether `v` is an object with field `name` (hidden or not).
    pub fn has_field(&self, v: &LibValue, name: &str) -> bool {
        let Val::Obj(obj) = &v.val else {
            return false;
        };
        let name = IStr::from(name);
        self.engine
            .inspect(|| Ok(obj.has_field_ex(name, true)))
            .unwrap_or(false)
    }

    /// Whether `v` is an object.
    pub fn is_object(v: &LibValue) -> bool {
        matches!(v.val, Val::Obj(_))
    }

    /// Whether `v` is a function.
    pub fn is_function(v: &LibValue) -> bool {
        matches!(v.val, Val::Func(_))
    }

    /// The field names of `v` (no docs fields, and for `std` none of jrsonnet's internal
    /// `__` helpers), sorted.
    pub fn field_names(&self, v: &LibValue) -> Vec<String> {
        let Val::Obj(obj) = &v.val else {
            return Vec::new();
        };
        let mut names: Vec<String> = self
            .engine
            .inspect(|| Ok(obj.fields_ex(true)))
            .unwrap_or_default()
            .into_iter()
            .filter(|k| {
                let internal = v.import.is_empty() && k.starts_with("__");
                !(k.starts_with('#') || internal)
            })
            .map(|k| k.to_string())
            .collect();
        names.sort();
        names
    }

    /// The members of `v` with their kinds and docs.
    pub fn members(&self, v: &LibValue) -> Vec<Member> {
        let Val::Obj(obj) = &v.val else {
            return Vec::new();
        };
        // Above the kinds of a library's layout (its groups, versions, kinds) every
        // member is an object: not evaluated, so listing a version's kinds does not
        // load their schemas.
        let layout = self.layout_path(v).is_some_and(|(_, path)| path.len() < 3);
        self.field_names(v)
            .into_iter()
            .map(|name| {
                let doc = self.doc_in(obj, &name).or_else(|| self.std_doc(v, &name));
                let kind = match &doc {
                    Some(d) if d.args.is_some() => MemberKind::Function,
                    _ if layout => MemberKind::Object,
                    _ => match self.field(v, &name) {
                        Some(f) => kind_of(&f.val),
                        None => MemberKind::Value,
                    },
                };
                let doc = match (&doc, kind) {
                    (None, MemberKind::Function) => self.field(v, &name).map(|f| Doc {
                        help: String::new(),
                        args: Some(self.params(&f)),
                    }),
                    _ => doc,
                };
                Member { name, kind, doc }
            })
            .collect()
    }

    /// The docs of member `name` of `parent`: its docsonnet field, else for a
    /// function its parameters.
    pub fn member_doc(&self, parent: &LibValue, name: &str) -> Option<Doc> {
        let Val::Obj(obj) = &parent.val else {
            return None;
        };
        if let Some(doc) = self
            .doc_in(obj, name)
            .or_else(|| self.std_doc(parent, name))
        {
            return Some(doc);
        }
        let f = self.field(parent, name)?;
        Self::is_function(&f).then(|| Doc {
            help: String::new(),
            args: Some(self.params(&f)),
        })
    }

    /// The docs of `std.<name>` when `parent` is `std`: the evaluator's description
    /// ([`crate::engine::std_about`]) and, for a function, its parameters.
    fn std_doc(&self, parent: &LibValue, name: &str) -> Option<Doc> {
        if !(parent.import.is_empty() && parent.path.is_empty()) {
            return None;
        }
        let help = crate::engine::std_about(name)?;
        let f = self.field(parent, name)?;
        Some(Doc {
            help: help.to_owned(),
            args: Self::is_function(&f).then(|| self.params(&f)),
        })
    }

    /// The docs of `v` itself: its package docs (`'#'`), for an object.
    pub fn own_doc(&self, v: &LibValue) -> Option<Doc> {
        let Val::Obj(obj) = &v.val else {
            return None;
        };
        self.doc_in(obj, "")
    }

    /// The docsonnet field `'#<name>'` of `obj`, read.
    fn doc_in(&self, obj: &ObjValue, name: &str) -> Option<Doc> {
        let key = IStr::from(format!("#{name}"));
        let json = self
            .engine
            .inspect(|| {
                if !obj.has_field_ex(key.clone(), true) {
                    return Ok(None);
                }
                let v = obj.get_or_bail(key.clone())?;
                if !matches!(v, Val::Obj(_)) {
                    return Ok(None);
                }
                crate::manifest::json::to_serde(&v)
                    .map(Some)
                    .map_err(|e| match e {
                        crate::manifest::json::ManifestError::Eval(e) => e,
                        crate::manifest::json::ManifestError::Io(e) => {
                            jrsonnet_evaluator::error::ErrorKind::RuntimeError(e.to_string().into())
                                .into()
                        }
                    })
            })
            .ok()??;
        doc_from_json(&json)
    }

    /// The parameters of function `v` as written in a signature (`name`, `x=1`).
    pub fn params(&self, v: &LibValue) -> Vec<Arg> {
        let Val::Func(f) = &v.val else {
            return Vec::new();
        };
        f.params()
            .iter()
            .map(|p| {
                let name = p
                    .name()
                    .as_str()
                    .map_or_else(|| "_".to_owned(), |s| s.to_string());
                Arg {
                    default: p.has_default().then(|| "…".to_owned()),
                    name,
                    ty: None,
                }
            })
            .collect()
    }

    /// The kind and place in a library's layout of `v`: (import root, field path from
    /// the library's root object).
    pub fn layout_path(&self, v: &LibValue) -> Option<(String, Vec<String>)> {
        let (lib, rel) = self.registry.locate(&v.import)?;
        let parts: Vec<&str> = rel.split('/').collect();
        let mut path: Vec<String> = match parts.as_slice() {
            ["main.libsonnet"] | ["gen.libsonnet"] => Vec::new(),
            ["_gen", g, "main.libsonnet"] => vec![(*g).to_owned()],
            ["_gen", g, ver, "main.libsonnet"] => vec![(*g).to_owned(), (*ver).to_owned()],
            ["_gen", g, ver, file] => vec![
                (*g).to_owned(),
                (*ver).to_owned(),
                file.strip_suffix(".libsonnet")?.to_owned(),
            ],
            _ => return None,
        };
        path.extend(v.path.iter().cloned());
        Some((lib.import_root().to_owned(), path))
    }

    /// The kind `[group, version, kind, …]` of a layout path names, if carried.
    pub fn kind_at(&self, import_root: &str, path: &[String]) -> Option<&Kind> {
        let [g, ver, k, ..] = path else {
            return None;
        };
        self.registry
            .library(import_root)?
            .slot(g, ver, k)?
            .kind()?
            .ok()
    }

    /// What calling the library function `f` returns: the object of its kind, or
    /// below an array's documented object, one element of that array.
    pub fn call_result(&self, f: &LibValue) -> Option<SchemaRef> {
        if !Self::is_function(f) {
            return None;
        }
        let (root, path) = self.layout_path(f)?;
        let kind = self.kind_at(&root, &path)?;
        let tree = library_tree(kind);
        let mut node = &tree;
        let mut schema = &kind.schema;
        let mut steps = Vec::new();
        let mut result = Vec::new();
        // The documented objects between the kind and the function.
        for name in &path[3..path.len() - 1] {
            let Some(child) = node.objects.iter().find(|o| &o.name == name) else {
                break;
            };
            let key = schema
                .properties()
                .iter()
                .find(|(k, _)| camel_lower(k) == *name)
                .map(|(k, _)| k.clone())?;
            steps.push(key);
            if child.array_element {
                steps.push(ITEMS.to_owned());
                result = steps.clone();
            }
            node = child;
            schema = child.schema;
        }
        Some(SchemaRef {
            import_root: root,
            group: path[0].clone(),
            version: path[1].clone(),
            kind: path[2].clone(),
            steps: result,
        })
    }

    /// Runs `f` on the schema `r` names.
    pub fn with_schema<R>(&self, r: &SchemaRef, f: impl FnOnce(&Kind, &Schema) -> R) -> Option<R> {
        let kind = self
            .registry
            .library(&r.import_root)?
            .slot(&r.group, &r.version, &r.kind)?
            .kind()?
            .ok()?;
        let lib = self.registry.library(&r.import_root)?;
        let mut schema = &kind.schema;
        for step in &r.steps {
            schema = if step == ITEMS {
                // A Kubernetes kind's elements name their definition, whose kind has them.
                crate::openapi::resolve_element(lib, schema.items()?)
            } else {
                &**schema.properties().get(step)?
            };
        }
        Some(f(kind, schema))
    }

    /// The generated source of the kind `r` names (what `gwsonnet libsonnet` writes for
    /// it), with the file name it has in the library's tree.
    pub fn kind_source(&self, import_root: &str, path: &[String]) -> Option<(String, String)> {
        let kind = self.kind_at(import_root, path)?;
        let rel = format!(
            "{import_root}/_gen/{}/{}/{}.libsonnet",
            path[0], path[1], path[2]
        );
        Some((rel, crate::libsonnet::render_kind(kind)))
    }
}

fn kind_of(v: &Val) -> MemberKind {
    match v {
        Val::Func(_) => MemberKind::Function,
        Val::Obj(_) => MemberKind::Object,
        _ => MemberKind::Value,
    }
}

/// A Jsonnet string literal.
fn lit(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// A docsonnet docs value (`{function: {help, args}}`, `{object: {help}}`,
/// `{value: {help}}`, or a package's `{name, help, …}`) read.
pub fn doc_from_json(json: &serde_json::Value) -> Option<Doc> {
    if let Some(f) = json.get("function") {
        let args = f
            .get("args")
            .and_then(|a| a.as_array())
            .map(|args| {
                args.iter()
                    .map(|a| Arg {
                        name: a
                            .get("name")
                            .and_then(|n| n.as_str())
                            .unwrap_or("_")
                            .to_owned(),
                        ty: a.get("type").and_then(|t| t.as_str()).map(str::to_owned),
                        default: a
                            .get("default")
                            .filter(|d| !d.is_null())
                            .map(|d| d.to_string()),
                    })
                    .collect()
            })
            .unwrap_or_default();
        return Some(Doc {
            help: unquote_help(f.get("help").and_then(|h| h.as_str()).unwrap_or("")),
            args: Some(args),
        });
    }
    let help = ["object", "value"]
        .iter()
        .find_map(|k| json.get(*k))
        .and_then(|o| o.get("help"))
        .or_else(|| json.get("help"))
        .and_then(|h| h.as_str())?;
    Some(Doc {
        help: unquote_help(help),
        args: None,
    })
}

/// A help text without the generator's Go `%q` quoting (`"Name is …"` → `Name is …`).
pub fn unquote_help(help: &str) -> String {
    let Some(inner) = help.strip_prefix('"') else {
        return help.to_owned();
    };
    let inner = inner.strip_suffix('"').unwrap_or(inner);
    serde_json::from_str::<String>(&format!("\"{inner}\"")).unwrap_or_else(|_| inner.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_is_unquoted() {
        assert_eq!(unquote_help("\"a \\\"b\\\"\\n\""), "a \"b\"\n");
        assert_eq!(unquote_help("plain"), "plain");
    }

    #[test]
    fn tcproute_functions_return_the_kind_or_an_element() {
        let libs = Libraries::new(&EngineSettings::default());
        let root = "github.com/jsonnet-libs/gateway-api-libsonnet/0.8-experimental";
        let main = libs.import(&format!("{root}/main.libsonnet")).unwrap();
        let mut v = main;
        for f in [
            "gateway",
            "v1alpha2",
            "tcpRoute",
            "spec",
            "rules",
            "withBackendRefs",
        ] {
            v = libs.field(&v, f).unwrap();
        }
        let r = libs.call_result(&v).unwrap();
        assert_eq!(r.kind, "tcpRoute");
        assert_eq!(r.steps, ["spec", "rules", ITEMS]);
        let props = libs
            .with_schema(&r, |_, s| {
                s.properties().keys().cloned().collect::<Vec<_>>()
            })
            .unwrap();
        assert!(props.contains(&"backendRefs".to_owned()), "{props:?}");
    }
}
