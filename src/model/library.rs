//! The shape of the generated library of a kind: which setter functions and which
//! documented sub-objects a schema yields, with their names, parameters and help texts.
//!
//! These are the jsonnet-libs generator's rules (the `k8s` repository's `pkg/model`),
//! written down once. The native library ([`crate::native`]) and the docsonnet renderer
//! ([`crate::docs`]) both walk the tree [`library_tree`] returns, so the functions a
//! user can call and the functions the docs list can never disagree.
//!
//! The rules, for every property of an object (sorted by name):
//! - `status` is skipped everywhere, `apiVersion` at the root; a resource's root has
//!   the constructor `new(name)` and its `withKind` is dropped (the constructor sets
//!   `kind`); a sub-type of the Kubernetes API keeps `withKind` and has no constructor.
//! - An object with properties becomes a documented sub-object; its setters target
//!   `parent.path.field`.
//! - An array gets a setter (`withX`, wrapping a non-array argument in a list) and a
//!   `withXMixin`; if its elements are objects with properties written in place (not a
//!   `$ref` to a definition, [`Schema::definition`]) it also becomes a documented
//!   sub-object whose setters target fields of *one element* (the path restarts there).
//! - Anything else gets a setter; objects without properties (maps) and arrays also get
//!   a `…Mixin` that merges (`+:`) instead of replacing.
//! - Help texts are the description quoted the way Go's `%q` quotes (empty stays empty);
//!   a mixin's help has the docsonnet note appended.

use super::{Kind, Schema, SchemaType};

/// The note the generator appends to the help of every `…Mixin` function.
pub const MIXIN_NOTE: &str = "\n\n**Note:** This function appends passed data to existing values";

/// A documented object of the library: the kind itself (the root) or a field group such
/// as `metadata`, `spec` or `spec.parentRefs`.
#[derive(Debug, Clone)]
pub struct LibNode<'a> {
    /// Field name of this object in its parent (`metadata`, `parentRefs`); for the root,
    /// the kind's library field name (`tcpRoute`).
    pub name: String,
    /// Names of the objects from the root down to this one (`["spec", "parentRefs"]`);
    /// empty for the root. Joined with `.` this is the docs heading (`obj spec.parentRefs`).
    pub path: Vec<String>,
    /// Docsonnet help text (the description, Go-quoted: `"Spec defines …"`).
    pub help: Help<'a>,
    /// The schema of the object whose fields this node's functions set: the object
    /// itself, or for a node made from an array, the array's element schema.
    pub schema: &'a Schema,
    /// True when this node was made from an array of objects: its functions (and those of
    /// its descendants) target fields of one element, not of the enclosing object.
    pub array_element: bool,
    /// The constructor; only the root has one.
    pub constructor: Option<LibNew>,
    /// Setter functions (`withX`, `withXMixin`), sorted by name (byte order).
    pub functions: Vec<LibFn<'a>>,
    /// Documented child objects, sorted by name (byte order). In a node of
    /// [`library_node`], each child is listed with empty `functions` and `objects`.
    pub objects: Vec<LibNode<'a>>,
    /// The dotted target prefix of this node's setters (`.metadata`; empty below an
    /// array element), to fill it later ([`library_node`]).
    ctx: String,
}

/// A docsonnet help text, quoted from its description only when asked for: building
/// a kind's tree (for the native library) must not cost in proportion to the length
/// of its descriptions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Help<'a> {
    description: &'a str,
    mixin: bool,
}

impl<'a> Help<'a> {
    /// The help of an object or a plain setter: the description, Go-quoted.
    pub fn new(description: &'a str) -> Self {
        Self {
            description,
            mixin: false,
        }
    }

    /// The same help for a `…Mixin` function: [`MIXIN_NOTE`] appended.
    pub fn mixin(self) -> Self {
        Self {
            mixin: true,
            ..self
        }
    }

    /// The help text as docsonnet shows it.
    pub fn text(&self) -> String {
        let mut help = go_quote_help(self.description);
        if self.mixin {
            help.push_str(MIXIN_NOTE);
        }
        help
    }

    /// The same help, owning its description, to be quoted after the tree is gone.
    pub fn text_later(&self) -> HelpLater {
        HelpLater {
            description: self.description.into(),
            mixin: self.mixin,
        }
    }
}

/// A [`Help`] that owns its description (the native library's docs fields).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpLater {
    description: Box<str>,
    mixin: bool,
}

impl HelpLater {
    /// The help text as docsonnet shows it.
    pub fn text(&self) -> String {
        Help {
            description: &self.description,
            mixin: self.mixin,
        }
        .text()
    }
}

/// The constructor `new(name)` of a kind: `{apiVersion, kind} + self.metadata.withName(name)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LibNew {
    /// The function name, always `new`.
    pub name: String,
    /// The parameter name, always `name`.
    pub param: String,
    /// Docsonnet help: `new returns an instance of <Kind>` (not quoted).
    pub help: String,
    /// The `apiVersion` the constructor sets (`group/version`).
    pub api_version: String,
    /// The `kind` the constructor sets.
    pub kind: String,
    /// A cluster-scoped kind: `new` also sets the annotation
    /// `tanka.dev/namespaced: 'false'` through `self.metadata.withAnnotations`.
    pub cluster_scoped: bool,
}

/// Whether a setter replaces the target or merges into it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FnKind {
    /// `withX(x)`: `{a+: {b+: {x: x}}}`, the last field replaced.
    Set,
    /// `withXMixin(x)`: `{a+: {b+: {x+: x}}}`, the last field merged/appended.
    Mixin,
}

/// One setter function of a documented object.
#[derive(Debug, Clone)]
pub struct LibFn<'a> {
    /// Function name: `withName`, `withLabelsMixin`.
    pub name: String,
    /// The single parameter's name: `name`, `labels` (reserved words are renamed, e.g.
    /// `error` → `err`, `local` → `Local`).
    pub param: String,
    /// Docsonnet help (Go-quoted description; for mixins followed by [`MIXIN_NOTE`]).
    pub help: Help<'a>,
    /// Replace or merge.
    pub kind: FnKind,
    /// Field path the function sets, relative to the root object or, below an
    /// [`LibNode::array_element`] node, to the array element: `["metadata", "name"]`,
    /// `["group"]`. Built the generator's way: camel-lowered names joined by `.`, then
    /// split on `.`.
    pub target: Vec<String>,
    /// The schema of the target field.
    pub schema: &'a Schema,
    /// True when the target is an array: a non-array argument is wrapped as `[x]`
    /// (`if std.isArray(x) then x else [x]`), for both `Set` and `Mixin`.
    pub is_array: bool,
    /// The `d.T` member the generator names as the argument type: `string`, `integer`,
    /// `number`, `boolean`, `object`, `array` or `any`.
    pub arg_type: &'static str,
}

impl LibFn<'_> {
    /// The type string the argument's docs carry once doc-util evaluated `d.T.<arg_type>`
    /// (`integer` → `number`, `boolean` → `bool`).
    pub fn doc_type(&self) -> &'static str {
        doc_util_type(self.arg_type)
    }

    /// The value of the function's docs field (`'#withName'`), as doc-util's
    /// `d.fn(help, [d.arg(param, d.T.<arg_type>)])` evaluates it.
    pub fn doc_json(&self) -> serde_json::Value {
        fn_doc_json(&self.help.text(), &self.param, self.doc_type())
    }
}

impl LibNew {
    /// The value of the constructor's docs field (`'#new'`):
    /// `d.fn(help, [d.arg('name', d.T.string)])`.
    pub fn doc_json(&self) -> serde_json::Value {
        fn_doc_json(&self.help, &self.param, "string")
    }
}

impl LibNode<'_> {
    /// The value of the object's docs field (`'#metadata'`): `d.obj(help)`.
    pub fn obj_doc_json(&self) -> serde_json::Value {
        obj_doc_json(&self.help.text())
    }

    /// The documented object at `path` below this one (`["spec", "parentRefs"]`).
    pub fn find(&self, path: &[&str]) -> Option<&Self> {
        match path.split_first() {
            None => Some(self),
            Some((first, rest)) => self
                .objects
                .iter()
                .find(|o| o.name == *first)
                .and_then(|o| o.find(rest)),
        }
    }

    /// The function called `name` of this object.
    pub fn function(&self, name: &str) -> Option<&LibFn<'_>> {
        self.functions.iter().find(|f| f.name == name)
    }
}

/// The string doc-util's `d.T.<member>` evaluates to.
pub fn doc_util_type(member: &str) -> &'static str {
    match member {
        "string" => "string",
        "integer" | "number" | "int" => "number",
        "boolean" | "bool" => "bool",
        "object" => "object",
        "array" => "array",
        "null" | "nil" => "null",
        "func" | "function" => "function",
        _ => "any",
    }
}

/// The value of an object's docs field as doc-util's `d.obj(help)` evaluates it.
pub fn obj_doc_json(help: &str) -> serde_json::Value {
    serde_json::json!({ "object": { "fields": {}, "help": help } })
}

/// The value of a one-argument function's docs field as doc-util's
/// `d.fn(help, [d.arg(param, d.T.<ty>)])` evaluates it (`ty` already evaluated).
pub fn fn_doc_json(help: &str, param: &str, ty: &str) -> serde_json::Value {
    serde_json::json!({
        "function": {
            "args": [{ "default": null, "enums": null, "name": param, "type": ty }],
            "help": help,
        }
    })
}

/// Builds the library tree of a kind: the root node (named after the kind's field name)
/// with the root's setters and the documented objects below, and for a resource
/// ([`Kind::resource`]) the constructor, in place of `withKind`.
pub fn library_tree(kind: &Kind) -> LibNode<'_> {
    library_root(kind, true)
}

/// The documented object at `path` below the root of a kind's library tree (`[]`: the
/// root; `["spec", "template"]`), as [`library_tree`] has it, except that its child
/// objects are only listed: their `functions` and `objects` are empty. Only the
/// objects on the way are looked at, so the native library builds an object when it
/// is first read, at a cost in proportion to that object's own members. `None` when
/// there is no such object.
pub fn library_node<'a>(kind: &'a Kind, path: &[&str]) -> Option<LibNode<'a>> {
    let mut node = library_root(kind, false);
    for name in path {
        let child = node.objects.into_iter().find(|o| o.name == *name)?;
        let (functions, objects) = members(child.schema, &child.ctx, false, &child.path, false);
        node = LibNode {
            functions,
            objects,
            ..child
        };
    }
    Some(node)
}

/// The root of a kind's library tree; with `deep` every object below it filled, else
/// only listed ([`library_node`]).
fn library_root(kind: &Kind, deep: bool) -> LibNode<'_> {
    let (mut functions, objects) = members(&kind.schema, "", true, &[], deep);
    let constructor = kind.resource.then(|| {
        functions.retain(|f| f.name != "withKind");
        LibNew {
            name: "new".to_string(),
            param: "name".to_string(),
            help: format!("new returns an instance of {}", go_title(&kind.kind)),
            api_version: kind.api_version(),
            kind: kind.kind.clone(),
            cluster_scoped: kind.scope == super::Scope::Cluster,
        }
    });
    LibNode {
        name: kind.field_name(),
        path: Vec::new(),
        help: Help::new(kind.schema.description()),
        schema: &kind.schema,
        array_element: false,
        constructor,
        functions,
        objects,
        ctx: String::new(),
    }
}

/// The generator's `modsForProps`: setters and documented objects for the properties of
/// `schema`. `ctx` is the dotted target prefix (`""` or `".metadata"`), `path` the docs
/// path of the object being filled; with `deep` the objects' members too, else the
/// objects only listed.
fn members<'a>(
    schema: &'a Schema,
    ctx: &str,
    root: bool,
    path: &[String],
    deep: bool,
) -> (Vec<LibFn<'a>>, Vec<LibNode<'a>>) {
    let mut functions: Vec<LibFn<'a>> = Vec::new();
    let mut objects: Vec<LibNode<'a>> = Vec::new();
    for (key, prop) in schema.properties() {
        if key == "status" || (root && key == "apiVersion") {
            continue;
        }
        let name = camel_lower(key);
        let target_str = format!("{ctx}.{name}");
        let target_str = target_str.strip_prefix('.').unwrap_or(&target_str);
        let help = Help::new(prop.description());
        let mut child_path = path.to_vec();
        child_path.push(name.clone());

        let setter = |functions: &mut Vec<LibFn<'a>>| {
            add_setters(functions, &name, target_str, prop, help);
        };
        match prop.ty {
            Some(SchemaType::Array) => {
                let Some(items) = prop.items() else {
                    continue;
                };
                setter(&mut functions);
                if items.definition.is_none() && !items.properties().is_empty() {
                    let (f, o) = if deep {
                        members(items, "", false, &child_path, true)
                    } else {
                        Default::default()
                    };
                    objects.push(LibNode {
                        name: name.clone(),
                        path: child_path,
                        help,
                        schema: items,
                        array_element: true,
                        constructor: None,
                        functions: f,
                        objects: o,
                        ctx: String::new(),
                    });
                }
            }
            Some(SchemaType::Object) | None if !prop.properties().is_empty() => {
                let child_ctx = format!("{ctx}.{name}");
                let (f, o) = if deep {
                    members(prop, &child_ctx, false, &child_path, true)
                } else {
                    Default::default()
                };
                objects.push(LibNode {
                    name: name.clone(),
                    path: child_path,
                    help,
                    schema: prop,
                    array_element: false,
                    constructor: None,
                    functions: f,
                    objects: o,
                    ctx: child_ctx,
                });
            }
            _ => setter(&mut functions),
        }
    }
    sort_keep_last(&mut functions, |f| &f.name);
    sort_keep_last(&mut objects, |o| &o.name);
    (functions, objects)
}

/// Sorts `items` by name keeping, of several with one name, the one added last (the
/// generator keeps one entry per name, the last written). One sort, where replacing
/// each entry as it was added made 100,000 properties cost 10^10 comparisons.
fn sort_keep_last<T>(items: &mut Vec<T>, name: impl Fn(&T) -> &str) {
    items.reverse();
    // Stable: of one name, the one added last is now first ...
    items.sort_by(|a, b| name(a).cmp(name(b)));
    // ... and dedup keeps the first of each run.
    items.dedup_by(|later, kept| name(later) == name(kept));
}

/// The generator's `modFunction`: `withX` and, for objects and arrays, `withXMixin`.
fn add_setters<'a>(
    functions: &mut Vec<LibFn<'a>>,
    name: &str,
    target: &str,
    prop: &'a Schema,
    help: Help<'a>,
) {
    let fn_name = format!("with{}", normalized_title(name));
    let target: Vec<String> = target.split('.').map(str::to_string).collect();
    let is_array = prop.ty == Some(SchemaType::Array);
    let arg_type = prop.type_name();
    let param = fn_arg(name);
    let mixin = matches!(prop.ty, Some(SchemaType::Object | SchemaType::Array));
    // Of several with one name, `members` keeps the last.
    let mut add = |f: LibFn<'a>| functions.push(f);
    add(LibFn {
        name: fn_name.clone(),
        param: param.clone(),
        help,
        kind: FnKind::Set,
        target: target.clone(),
        schema: prop,
        is_array,
        arg_type,
    });
    if mixin {
        add(LibFn {
            name: format!("{fn_name}Mixin"),
            param,
            help: help.mixin(),
            kind: FnKind::Mixin,
            target,
            schema: prop,
            is_array,
            arg_type,
        });
    }
}

/// The generator's `fnArg`: a parameter name that is not a Jsonnet keyword.
pub fn fn_arg(name: &str) -> String {
    let name = name.replace(['-', '.'], "_");
    match name.as_str() {
        "error" => "err".to_string(),
        "assert" | "else" | "false" | "for" | "function" | "if" | "import" | "importstr" | "in"
        | "local" | "null" | "tailstrict" | "then" | "self" | "super" | "true" => {
            normalized_title(&name)
        }
        _ => name,
    }
}

/// The generator's `normalizedTitle`: drop one leading `-`, turn `.` into `_`, then
/// title-case every word (Go's `strings.Title`).
pub fn normalized_title(name: &str) -> String {
    let name = name.strip_prefix('-').unwrap_or(name);
    go_title(&name.replace('.', "_"))
}

/// Go's `strings.Title`: upper-cases the first letter of every word, words being
/// separated by anything but ASCII letters, digits, `_` and (non-ASCII) letters/digits.
pub fn go_title(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev = ' ';
    for c in s.chars() {
        if go_is_separator(prev) {
            out.extend(c.to_uppercase().take(1));
        } else {
            out.push(c);
        }
        prev = c;
    }
    out
}

fn go_is_separator(c: char) -> bool {
    if c.is_ascii() {
        return !(c.is_ascii_alphanumeric() || c == '_');
    }
    if c.is_alphabetic() || c.is_numeric() {
        return false;
    }
    c.is_whitespace()
}

pub use super::names::camel_lower;

/// The generator's group key of an API group, from its definition-name pattern
/// `(?mU)(?P<domain>.+)\.((?P<group>\w*)\.)?(?P<version>\w*)\.(?P<kind>\w*)$` applied
/// to `<reversed group>.<version>.<kind>`: the first label of the group when the group
/// has more than one label and that label is all word characters, else `nogroup`
/// (`gateway.networking.k8s.io` → `gateway`, `acme.cert-manager.io` → `acme`,
/// `cert-manager.io` → `nogroup`).
pub fn group_key(api_group: &str) -> String {
    match api_group.split_once('.') {
        Some((first, _))
            if !first.is_empty()
                && first
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_') =>
        {
            first.to_owned()
        }
        _ => "nogroup".to_owned(),
    }
}

/// The generator's `safeStr`: the description quoted as Go's `%q` does, then one
/// trailing `""` and one leading `""` trimmed. So an empty description gives an empty
/// help, and (an upstream quirk kept for fidelity) a description ending in `"` loses the
/// closing quotes: `say "hi"` → `"say \"hi\`.
pub fn go_quote_help(description: &str) -> String {
    let quoted = crate::manifest::go_quote::go_quote(description);
    let trimmed = quoted.strip_suffix("\"\"").unwrap_or(&quoted);
    trimmed.strip_prefix("\"\"").unwrap_or(trimmed).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camel_lower_follows_the_generator() {
        assert_eq!(camel_lower("TCPRoute"), "tcpRoute");
        assert_eq!(camel_lower("URLPrefix"), "urlPrefix");
        assert_eq!(camel_lower("parentRefs"), "parentRefs");
        assert_eq!(camel_lower("Gateway"), "gateway");
        assert_eq!(camel_lower("x-kubernetes-foo"), "x-kubernetes-foo");
        assert_eq!(camel_lower("v1alpha2"), "v1alpha2");
        assert_eq!(camel_lower("ID"), "id");
    }

    /// `fatih/camelcase.Split` written out whole, the reference for [`camel_lower`].
    fn camel_split(s: &str) -> Vec<String> {
        fn class(c: char) -> u8 {
            if c.is_lowercase() {
                1
            } else if c.is_uppercase() {
                2
            } else if c.is_numeric() {
                3
            } else {
                4
            }
        }
        let mut runs: Vec<Vec<char>> = Vec::new();
        let mut last = 0u8;
        for c in s.chars() {
            let cl = class(c);
            match runs.last_mut() {
                Some(run) if cl == last => run.push(c),
                _ => runs.push(vec![c]),
            }
            last = cl;
        }
        for i in 0..runs.len().saturating_sub(1) {
            let upper_then_lower = runs[i].first().is_some_and(|c| c.is_uppercase())
                && runs[i + 1].first().is_some_and(|c| c.is_lowercase());
            if upper_then_lower {
                if let Some(moved) = runs[i].pop() {
                    runs[i + 1].insert(0, moved);
                }
            }
        }
        runs.into_iter()
            .filter(|r| !r.is_empty())
            .map(|r| r.into_iter().collect())
            .collect()
    }

    #[test]
    fn camel_lower_equals_lowering_the_first_word_of_the_split() {
        let mut names: Vec<String> = [
            "",
            "a",
            "A",
            "AB",
            "Ab",
            "aB",
            "ABc",
            "ABcD",
            "A1b",
            "1A",
            "a-b",
            "-A",
            "ÀÉi",
            "Éa",
            "IPv4",
            "x-kubernetes-foo",
            "HTTPRouteV2",
            "A-B",
            "AB-",
            "v1beta1",
            "CSIDriver",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let defs = include_str!("../../lib/k8s/openapi/definitions.jsonl");
        for line in defs.lines() {
            let (name, json) = line.split_once('\t').unwrap();
            names.push(name.rsplit('.').next().unwrap().to_owned());
            let v: serde_json::Value = serde_json::from_str(json).unwrap();
            if let Some(props) = v.get("properties").and_then(|p| p.as_object()) {
                names.extend(props.keys().cloned());
            }
        }
        for name in names {
            let mut words = camel_split(&name);
            if let Some(first) = words.first_mut() {
                *first = first.to_lowercase();
            }
            assert_eq!(camel_lower(&name), words.concat(), "{name:?}");
        }
    }

    #[test]
    fn group_keys_follow_the_definition_name_pattern() {
        assert_eq!(group_key("gateway.networking.k8s.io"), "gateway");
        assert_eq!(group_key("gateway.networking.x-k8s.io"), "gateway");
        assert_eq!(group_key("metallb.io"), "metallb");
        assert_eq!(group_key("acme.cert-manager.io"), "acme");
        assert_eq!(group_key("cert-manager.io"), "nogroup");
        assert_eq!(group_key("single"), "nogroup");
    }

    #[test]
    fn titles_and_args() {
        assert_eq!(normalized_title("parentRefs"), "ParentRefs");
        assert_eq!(normalized_title("-foo-bar.baz"), "Foo-Bar_baz");
        assert_eq!(fn_arg("error"), "err");
        assert_eq!(fn_arg("local"), "Local");
        assert_eq!(fn_arg("a-b.c"), "a_b_c");
    }

    #[test]
    fn help_is_the_quoted_description_trimmed() {
        assert_eq!(go_quote_help(""), "");
        assert_eq!(go_quote_help("a"), "\"a\"");
        assert_eq!(go_quote_help("say \"hi\""), "\"say \\\"hi\\");
    }
}
