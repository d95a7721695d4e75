//! The jsonnet-source form of a kind's library: the `.libsonnet` file the jsonnet-libs
//! generator (`github.com/jsonnet-libs/k8s`) writes for it, rendered from the model's
//! library tree ([`crate::model::library_tree`]) and nothing else.
//!
//! The upstream generator builds the file with its `pkg/builder` printer and then runs
//! it through go-jsonnet's formatter (`formatter.DefaultOptions()`); the output here is
//! that formatted text:
//! - Members of an object are sorted by name with a leading `#` ignored, each docs
//!   field (`'#withX'::`) right before the field it documents; the root starts with
//!   `local d = (import 'doc-util/main.libsonnet'),` and `'#':: d.pkg(...)`, and ends with
//!   `'#mixin': 'ignore', mixin: self,`.
//! - Field names are bare when they are identifiers, otherwise string literals.
//! - String literals are first encoded as Go's `json.Marshal` does, then the formatter's
//!   string style applies: single quotes, double quotes when the text has a `'`, and the
//!   JSON text kept as it is when the text has both kinds of quotes.
//! - A setter is `withX(x): { a+: { b+: { x: x } } }`; a mixin merges the last field
//!   too (`x+: x`); array targets take `if std.isArray(v=x) then x else [x]`.
//!
//! [`render_kind`] gives the text of one kind, [`render_library`] the whole published
//! tree of a library (`main.libsonnet`, `gen.libsonnet`, `_gen/...`), [`write_library`]
//! writes it.

use crate::manifest::jsonnet_string::{field_name, string_literal};
use std::{
    collections::BTreeMap,
    io,
    path::{Path, PathBuf},
};

use crate::model::{
    library::{FnKind, LibFn, LibNew, LibNode},
    library_tree, Kind, Library, LibraryError, Registry,
};

/// The import the generated files load doc-util from.
const DOC_UTIL_IMPORT: &str = "doc-util/main.libsonnet";

/// One indentation level of the formatter.
const INDENT: &str = "  ";

/// Renders the `.libsonnet` source of `kind`, as the jsonnet-libs generator writes
/// `_gen/<group>/<version>/<kind>.libsonnet` (ending with a newline).
pub fn render_kind(kind: &Kind) -> String {
    let tree = library_tree(kind);
    let mut out = String::with_capacity(64 * 1024);
    out.push_str("{\n");
    out.push_str(&format!(
        "{INDENT}local d = (import {}),\n",
        string_literal(DOC_UTIL_IMPORT)
    ));
    out.push_str(&format!(
        "{INDENT}{}:: d.pkg(name={}, url={}, help={}),\n",
        string_literal("#"),
        string_literal(&tree.name),
        string_literal(""),
        string_literal(&tree.help.text())
    ));
    render_members(&tree, 1, &mut out);
    out.push_str(&format!(
        "{INDENT}{}: {},\n{INDENT}mixin: self,\n}}\n",
        string_literal("#mixin"),
        string_literal("ignore")
    ));
    out
}

/// The files of `lib`'s published source tree, keyed by their path below `<output>/`:
/// `main.libsonnet`, `gen.libsonnet` (the package, its groups hidden),
/// `_gen/<group>/main.libsonnet`, `_gen/<group>/<version>/main.libsonnet` and
/// `_gen/<group>/<version>/<kind>.libsonnet` (for a kind of the layout the library does
/// not carry, a file that fails with the reason, as the native file does).
///
/// # Errors
/// The first kind whose schema does not load.
pub fn render_library(lib: &Library) -> Result<BTreeMap<String, String>, LibraryError> {
    let mut files = BTreeMap::new();
    files.insert("main.libsonnet".to_owned(), lib.main_text());
    for (name, text) in lib.custom() {
        files.insert(format!("_custom/{name}"), (*text).to_owned());
    }
    let mut gen_members = Vec::new();
    for (group, versions) in lib.groups() {
        let mut group_members = Vec::new();
        for (version, kinds) in versions {
            let mut version_members = Vec::new();
            for (key, slot) in kinds {
                let text = match slot.kind() {
                    Some(kind) => render_kind(kind?),
                    // A kind of the layout the library does not carry (the built-in
                    // library): the same error the native file gives.
                    None => format!(
                        "error {}\n",
                        string_literal(&lib.not_carried_message(group, version, key))
                    ),
                };
                files.insert(format!("_gen/{group}/{version}/{key}.libsonnet"), text);
                version_members.push(import_member(key, &format!("{key}.libsonnet"), false));
            }
            files.insert(
                format!("_gen/{group}/{version}/main.libsonnet"),
                package_file(version, "", "", &version_members),
            );
            group_members.push(import_member(
                version,
                &format!("{version}/main.libsonnet"),
                false,
            ));
        }
        files.insert(
            format!("_gen/{group}/main.libsonnet"),
            package_file(group, "", "", &group_members),
        );
        gen_members.push(import_member(
            group,
            &format!("_gen/{group}/main.libsonnet"),
            true,
        ));
    }
    files.insert(
        "gen.libsonnet".to_owned(),
        package_file(lib.local_name(), &lib.main_url(), lib.help(), &gen_members),
    );
    Ok(files)
}

/// `name: (import 'path'),` (hidden: `name::`), one level in.
fn import_member(name: &str, path: &str, hidden: bool) -> String {
    let colon = if hidden { "::" } else { ":" };
    format!(
        "{INDENT}{}{colon} (import {}),\n",
        field_name(name),
        string_literal(path)
    )
}

/// A package file: doc-util, the `'#'` package docs, then `members` (already sorted).
fn package_file(name: &str, url: &str, help: &str, members: &[String]) -> String {
    let mut out = format!(
        "{{\n{INDENT}local d = (import {}),\n{INDENT}{}:: d.pkg(name={}, url={}, help={}),\n",
        string_literal(DOC_UTIL_IMPORT),
        string_literal("#"),
        string_literal(name),
        string_literal(url),
        string_literal(help)
    );
    for m in members {
        out.push_str(m);
    }
    out.push_str("}\n");
    out
}

/// Writes the source tree of every library of `registry` below `out_dir/<output>/`
/// ([`render_library`]), all files through temporary files renamed into place once all
/// were written ([`crate::atomic::write_tree`]), and returns the paths written, sorted
/// per library. Laid out below `<repository>` in a
/// directory given with `-J`, the files replace the native library.
///
/// # Errors
/// `InvalidInput` when two libraries share an output directory, `InvalidData` when a
/// kind does not load, otherwise the first I/O error creating a directory or writing a
/// file.
pub fn write_library(registry: &Registry, out_dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut outputs = BTreeMap::new();
    for lib in registry.libraries() {
        if let Some(other) = outputs.insert(lib.output(), lib.import_root()) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "{other} and {} both write {}/",
                    lib.import_root(),
                    lib.output()
                ),
            ));
        }
    }
    let mut written = Vec::new();
    for lib in registry.libraries() {
        let files =
            render_library(lib).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        for (rel, text) in files {
            let rel = format!("{}/{rel}", lib.output());
            let path = crate::atomic::join_inside(out_dir, &rel, lib.import_root())?;
            written.push((path, text));
        }
    }
    let files: Vec<(PathBuf, &[u8])> = written
        .iter()
        .map(|(path, text)| (path.clone(), text.as_bytes()))
        .collect();
    crate::atomic::write_tree(&files)?;
    Ok(written.into_iter().map(|(path, _)| path).collect())
}

/// One member of a rendered object, with the name the generator sorts it by.
struct Member {
    /// The field name (`#withName`, `withName`, `metadata`, `new`).
    name: String,
    /// The whole member: indented lines ending with `,\n`.
    text: String,
}

/// The generator's `SortFields` order: by name without a leading `#`, a docs field
/// (`#x`) right before its field (`x`); byte order like Go's string comparison.
fn sort_members(members: &mut [Member]) {
    members.sort_by(|a, b| {
        let key = |m: &Member| {
            let trimmed = m.name.strip_prefix('#');
            (trimmed.unwrap_or(&m.name).to_owned(), trimmed.is_none())
        };
        key(a).cmp(&key(b))
    });
}

/// Renders the members of `node` (constructor, setters and sub-objects, sorted) at
/// nesting `depth`.
fn render_members(node: &LibNode<'_>, depth: usize, out: &mut String) {
    let ind = INDENT.repeat(depth);
    let mut members: Vec<Member> =
        Vec::with_capacity(2 * (node.functions.len() + node.objects.len()) + 2);
    if let Some(new) = &node.constructor {
        members.push(Member {
            name: format!("#{}", new.name),
            text: format!(
                "{ind}{}:: {},\n",
                field_name(&format!("#{}", new.name)),
                fn_doc(&new.help, &new.param, "string")
            ),
        });
        members.push(Member {
            name: new.name.clone(),
            text: constructor(new, &ind),
        });
    }
    for f in &node.functions {
        members.push(Member {
            name: format!("#{}", f.name),
            text: format!(
                "{ind}{}:: {},\n",
                field_name(&format!("#{}", f.name)),
                fn_doc(&f.help.text(), &f.param, f.arg_type)
            ),
        });
        members.push(Member {
            name: f.name.clone(),
            text: format!(
                "{ind}{}({}): {},\n",
                field_name(&f.name),
                f.param,
                setter_body(f)
            ),
        });
    }
    for o in &node.objects {
        members.push(Member {
            name: format!("#{}", o.name),
            text: format!(
                "{ind}{}:: d.obj(help={}),\n",
                field_name(&format!("#{}", o.name)),
                string_literal(&o.help.text())
            ),
        });
        let mut text = format!("{ind}{}: ", field_name(&o.name));
        if o.functions.is_empty() && o.objects.is_empty() {
            text.push_str("{},\n");
        } else {
            text.push_str("{\n");
            render_members(o, depth + 1, &mut text);
            text.push_str(&format!("{ind}}},\n"));
        }
        members.push(Member {
            name: o.name.clone(),
            text,
        });
    }
    sort_members(&mut members);
    for m in members {
        out.push_str(&m.text);
    }
}

/// `d.fn(help=..., args=[d.arg(name=..., type=d.T.<ty>)])`.
fn fn_doc(help: &str, param: &str, arg_type: &str) -> String {
    format!(
        "d.fn(help={}, args=[d.arg(name={}, type=d.T.{arg_type})])",
        string_literal(help),
        string_literal(param)
    )
}

/// The constructor member: `new(name): { apiVersion, kind } + self.metadata.withName(name=name)`.
fn constructor(new: &LibNew, ind: &str) -> String {
    let cluster = if new.cluster_scoped {
        format!(
            " + self.metadata.withAnnotations(annotations={{\n{ind}{INDENT}{}: {},\n{ind}}})",
            string_literal("tanka.dev/namespaced"),
            string_literal("false")
        )
    } else {
        String::new()
    };
    format!(
        "{ind}{}({p}): {{\n{ind}{INDENT}apiVersion: {},\n{ind}{INDENT}kind: {},\n{ind}}} + self.metadata.withName(name={p}){cluster},\n",
        field_name(&new.name),
        string_literal(&new.api_version),
        string_literal(&new.kind),
        p = new.param,
    )
}

/// The generator's `fnResult`, wrapped in its one-line object: `{ metadata+: { name: name } }`,
/// `{ metadata+: { labels+: labels } }`, `{ group: group }`.
fn setter_body(f: &LibFn<'_>) -> String {
    let p = &f.param;
    let mixin = f.kind == FnKind::Mixin;
    let leaf = if f.is_array {
        format!("if std.isArray(v={p}) then {p} else [{p}]")
    } else {
        p.clone()
    };
    let (last, parents) = f
        .target
        .split_last()
        .expect("a setter targets at least one field");
    // The innermost field is `+:` only for a mixin; every enclosing one merges.
    let mut field = (last.as_str(), leaf, false);
    for (i, parent) in parents.iter().rev().enumerate() {
        field.2 = i > 0 || mixin;
        let value = format!("{{ {} }}", concise_field(&field));
        field = (parent.as_str(), value, false);
    }
    field.2 = !parents.is_empty() || mixin;
    format!("{{ {} }}", concise_field(&field))
}

/// `name: value` or `name+: value`.
fn concise_field((name, value, merge): &(&str, String, bool)) -> String {
    let colon = if *merge { "+:" } else { ":" };
    format!("{}{colon} {value}", field_name(name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::jsonnet_string::is_identifier;

    #[test]
    fn identifiers() {
        assert!(is_identifier("withName"));
        assert!(is_identifier("_x1"));
        assert!(!is_identifier("1x"));
        assert!(!is_identifier("x-y"));
        assert!(!is_identifier("#x"));
        assert!(!is_identifier("error"));
        assert!(!is_identifier("importbin"));
        assert!(!is_identifier(""));
        assert_eq!(field_name("local"), "'local'");
        assert_eq!(field_name("#"), "'#'");
    }

    #[test]
    fn members_sort_docs_first_ignoring_the_hash() {
        let mut m: Vec<Member> = [
            "withB",
            "#withB",
            "a",
            "#new",
            "new",
            "#a",
            "withBMixin",
            "#withBMixin",
        ]
        .iter()
        .map(|n| Member {
            name: (*n).to_owned(),
            text: String::new(),
        })
        .collect();
        sort_members(&mut m);
        let names: Vec<&str> = m.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "#a",
                "a",
                "#new",
                "new",
                "#withB",
                "withB",
                "#withBMixin",
                "withBMixin"
            ]
        );
    }
}
