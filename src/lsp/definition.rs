//! Go to definition: a local or parameter, an object field (in this file or an
//! imported one), an imported file, and members of the native libraries, which open
//! the generated source of their kind (the text `gwsonnet libsonnet` writes) at the
//! member.
//!
//! The generated source is written as a read-only file below the user's cache
//! directory (`$XDG_CACHE_HOME/gwsonnet/lsp/<library path>`, else `~/.cache/…`): a
//! `file:` location every editor opens without an extension for a virtual scheme.
//! Contact points: [`super::server`] calls [`definition`].

use std::path::{Path, PathBuf};
use std::rc::Rc;

use jrsonnet_rowan_parser::{nodes::Text, AstToken, SyntaxKind, SyntaxNode};
use lsp_types::{Location, Position, Range};

use super::analysis::{lookup, object_fields, text_value, Analyzer, Shape};
use super::completion::target_of_suffix;
use super::documents::{path_to_uri, Document};
use super::hover::ident_at;
use super::libraries::LibValue;
use super::project::Resolved;

/// The definition of what is at `offset` of `doc`.
pub fn definition(an: &Analyzer, doc: &Rc<Document>, offset: usize) -> Option<Location> {
    let root = doc.parsed().root.clone()?;
    if let Some(loc) = import_at(an, doc, &root, offset) {
        return Some(loc);
    }
    let token = ident_at(&root, offset)?;
    let name = token.text().to_owned();
    let name_node = token.parent().filter(|p| p.kind() == SyntaxKind::NAME)?;
    let owner = name_node.parent()?;
    match owner.kind() {
        SyntaxKind::EXPR_VAR => {
            let b = lookup(&owner, &name)?;
            node_location(doc, b.name_node())
        }
        SyntaxKind::SUFFIX_INDEX => {
            let target = target_of_suffix(an, doc, &owner);
            field_location(an, &target, &name)
        }
        _ => None,
    }
}

/// The file an import string at `offset` names.
fn import_at(
    an: &Analyzer,
    doc: &Rc<Document>,
    root: &SyntaxNode,
    offset: usize,
) -> Option<Location> {
    let at = jrsonnet_rowan_parser::rowan::TextSize::from(u32::try_from(offset).ok()?);
    let token = root.token_at_offset(at).right_biased()?;
    if token.parent()?.kind() != SyntaxKind::EXPR_IMPORT {
        return None;
    }
    let path = text_value(&Text::cast(token)?)?;
    match an.project.resolve(doc.path.as_deref(), &path) {
        Resolved::File(p) => Some(Location::new(path_to_uri(&p)?, Range::default())),
        Resolved::Builtin(p) => {
            let v = an.libs().import(&p)?;
            lib_location(an, &v)
        }
        Resolved::Missing => None,
    }
}

/// Where field `name` of `target` is defined.
fn field_location(an: &Analyzer, target: &Shape, name: &str) -> Option<Location> {
    match target {
        Shape::Object(doc, node) => {
            let f = object_fields(node)
                .into_iter()
                .rev()
                .find(|f| f.name == name)?;
            node_location(doc, &f.name_node)
        }
        Shape::Lib(v) => lib_location(an, &an.libs().field(v, name)?),
        Shape::Merge(parts) => parts.iter().rev().find_map(|p| field_location(an, p, name)),
        _ => None,
    }
}

/// The location of `node` in `doc`.
fn node_location(doc: &Document, node: &SyntaxNode) -> Option<Location> {
    let r = node.text_range();
    let uri = path_to_uri(doc.path.as_ref()?)?;
    Some(Location::new(
        uri,
        doc.range(usize::from(r.start()), usize::from(r.end())),
    ))
}

/// The generated source of the kind `v` lies in, at `v`'s member; a member the
/// generated source does not have (a hand-written helper such as k8s-libsonnet's
/// `container.new`) at its place in the library's `_custom` files.
fn lib_location(an: &Analyzer, v: &LibValue) -> Option<Location> {
    let (root, path) = an.libs().layout_path(v)?;
    let generated = an.libs().kind_source(&root, &path);
    if let Some((rel, text)) = &generated {
        if let Some(pos) = find_member(text, &path[3..], true) {
            let file = write_read_only(rel, text)?;
            return Some(Location::new(path_to_uri(&file)?, Range::new(pos, pos)));
        }
    }
    let lib = an.libs().registry().library(&root)?;
    for (name, text) in lib.custom() {
        if let Some(pos) = find_member(text, &path, false) {
            let file = write_read_only(&format!("{root}/_custom/{name}"), text)?;
            return Some(Location::new(path_to_uri(&file)?, Range::new(pos, pos)));
        }
    }
    // The kind itself, or a member found nowhere: the top of the kind's source.
    let (rel, text) = generated?;
    let file = write_read_only(&rel, &text)?;
    Some(Location::new(path_to_uri(&file)?, Range::default()))
}

/// The position of the member at `path` in library source: each name is looked for
/// as a field (`name:`, `name+:`, `name(`) at the start of a line after the previous
/// one; with `exact_indent`, only at its nesting's indentation (generated source,
/// where every object nests two spaces deeper). `None` unless every name is found.
pub fn find_member(text: &str, path: &[String], exact_indent: bool) -> Option<Position> {
    let mut from = 0;
    let mut line_start = None;
    for (depth, name) in path.iter().enumerate() {
        let mut found = None;
        let mut at = from;
        while let Some(i) = text[at..].find(name.as_str()).map(|i| at + i) {
            at = i + name.len();
            let start = text[..i].rfind('\n').map_or(0, |n| n + 1);
            let indent = &text[start..i];
            let indented = indent.bytes().all(|b| b == b' ' || b == b'\t')
                && (!exact_indent || indent.len() == 2 * (depth + 1));
            let rest = &text[at..];
            let field = rest.starts_with('(') || rest.starts_with(':') || rest.starts_with("+:");
            if indented && field {
                found = Some(start);
                break;
            }
        }
        let start = found?;
        line_start = Some(start);
        from = start + 1;
    }
    let start = line_start?;
    let line = text[..start].matches('\n').count() as u32;
    let col = (text[start..].len() - text[start..].trim_start().len()) as u32;
    Some(Position::new(line, col))
}

/// The cache directory generated sources are written to.
fn cache_dir() -> PathBuf {
    std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cache")))
        .unwrap_or_else(std::env::temp_dir)
        .join("gwsonnet/lsp")
}

/// Writes `text` at `rel` below the cache directory, read-only (unchanged files are
/// left alone); the file's path.
fn write_read_only(rel: &str, text: &str) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    if rel.split('/').any(|p| p == ".." || p.is_empty()) {
        return None;
    }
    let path = cache_dir().join(rel);
    if std::fs::read_to_string(&path).is_ok_and(|old| old == text) {
        return Some(path);
    }
    let dir = path.parent()?;
    std::fs::create_dir_all(dir).ok()?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir).ok()?;
    std::io::Write::write_all(&mut tmp, text.as_bytes()).ok()?;
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o444)).ok()?;
    tmp.persist(&path).ok()?;
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(p: &[&str]) -> Vec<String> {
        p.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn members_are_found_at_their_nesting() {
        let text = "{\n  withName(name): {},\n  spec: {\n    withName(x): {},\n    rules+: {\n      new(a):: 1,\n    },\n  },\n}\n";
        assert_eq!(
            find_member(text, &path(&["spec", "withName"]), true),
            Some(Position::new(3, 4))
        );
        assert_eq!(
            find_member(text, &path(&["withName"]), true),
            Some(Position::new(1, 2))
        );
        assert_eq!(
            find_member(text, &path(&["spec", "rules", "new"]), false),
            Some(Position::new(5, 6))
        );
        assert_eq!(find_member(text, &path(&["spec", "nothing"]), true), None);
    }
}
