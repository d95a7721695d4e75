//! Hover: the docsonnet help of library fields and functions (native and source),
//! a schema field's description, `std` functions' signatures, and what a local is
//! bound to.
//!
//! Contact points: [`super::server`] calls [`hover`]; shapes come from
//! [`super::analysis`].

use std::rc::Rc;

use jrsonnet_rowan_parser::{SyntaxKind, SyntaxNode, SyntaxToken};
use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind};

use super::analysis::{lookup, Analyzer, Binding, Shape};
use super::completion::{doc_markdown, signature, target_of_suffix};
use super::documents::Document;
use super::libraries::Libraries;

/// The identifier token at `offset` (or just before it).
pub fn ident_at(root: &SyntaxNode, offset: usize) -> Option<SyntaxToken> {
    let at = jrsonnet_rowan_parser::rowan::TextSize::from(u32::try_from(offset).ok()?);
    if at > root.text_range().end() {
        return None;
    }
    let tokens = root.token_at_offset(at);
    let (l, r) = match tokens {
        jrsonnet_rowan_parser::rowan::TokenAtOffset::None => (None, None),
        jrsonnet_rowan_parser::rowan::TokenAtOffset::Single(t) => (Some(t), None),
        jrsonnet_rowan_parser::rowan::TokenAtOffset::Between(a, b) => (Some(a), Some(b)),
    };
    r.filter(|t| t.kind() == SyntaxKind::IDENT)
        .or(l.filter(|t| t.kind() == SyntaxKind::IDENT))
}

/// The hover at `offset` of `doc`.
pub fn hover(an: &Analyzer, doc: &Rc<Document>, offset: usize) -> Option<Hover> {
    let root = doc.parsed().root.clone()?;
    let token = ident_at(&root, offset)?;
    let name = token.text().to_owned();
    let name_node = token.parent().filter(|p| p.kind() == SyntaxKind::NAME)?;
    let owner = name_node.parent()?;
    let text = match owner.kind() {
        SyntaxKind::SUFFIX_INDEX => {
            let target = target_of_suffix(an, doc, &owner);
            member_hover(an, &target, &name)?
        }
        // A field of an object literal merged into a kind's object.
        SyntaxKind::FIELD_NAME_FIXED => {
            let object = owner.parent()?.parent()?.parent()?;
            let schemas = an.literal_schemas(doc, &object);
            if schemas.is_empty() {
                return None;
            }
            let shape = Shape::Merge(schemas.into_iter().map(Shape::Schema).collect());
            member_hover(an, &shape, &name)?
        }
        // A use of a name, or the name where it is bound.
        SyntaxKind::EXPR_VAR | SyntaxKind::DESTRUCT_FULL | SyntaxKind::BIND_FUNCTION => {
            match lookup(&owner, &name) {
                Some(b) => binding_hover(an, doc, &name, &b),
                None if name == "std" => {
                    "```jsonnet\nstd\n```\n\nThe Jsonnet standard library.".to_owned()
                }
                None => return None,
            }
        }
        _ => return None,
    };
    let range = doc.range(
        usize::from(token.text_range().start()),
        usize::from(token.text_range().end()),
    );
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: text,
        }),
        range: Some(range),
    })
}

/// The docs of member `name` of `target`.
pub fn member_hover(an: &Analyzer, target: &Shape, name: &str) -> Option<String> {
    match target {
        Shape::Lib(v) => {
            let doc = an.libs().member_doc(v, name);
            let field = an.libs().field(v, name);
            if doc.is_none() && field.is_none() {
                return None;
            }
            let doc = doc.or_else(|| field.as_ref().and_then(|f| an.libs().own_doc(f)));
            let prefix = if v.import.is_empty() { "std." } else { "" };
            Some(doc_markdown(&format!("{prefix}{name}"), doc.as_ref(), None))
        }
        Shape::Merge(parts) => parts.iter().find_map(|p| member_hover(an, p, name)),
        other => {
            let item = an.members(other).into_iter().find(|i| i.name == name)?;
            Some(doc_markdown(
                name,
                item.doc.as_ref(),
                item.detail.as_deref(),
            ))
        }
    }
}

/// What the local `name` is.
fn binding_hover(an: &Analyzer, doc: &Rc<Document>, name: &str, b: &Binding) -> String {
    let shape = an.binding(doc, b);
    let head = match b {
        Binding::Function(_, params, _) => {
            format!(
                "local {}",
                signature(name, &super::analysis::params_of(params.as_ref()))
            )
        }
        Binding::Param(..) => format!("(parameter) {name}"),
        Binding::Value(..) => format!("local {name}"),
    };
    let mut s = format!("```jsonnet\n{head}\n```");
    match &shape {
        Shape::Lib(v) => {
            if let Some(d) = an.libs().own_doc(v) {
                if !d.help.trim().is_empty() {
                    s.push_str("\n\n");
                    s.push_str(d.help.trim());
                }
            }
            if !v.import.is_empty() {
                s.push_str(&format!("\n\nlibrary `{}`", v.import));
                if !v.path.is_empty() {
                    s.push_str(&format!(" → `{}`", v.path.join(".")));
                }
            }
            if Libraries::is_function(v) {
                s.push_str(&format!("\n\n`{}`", signature(name, &an.libs().params(v))));
            }
        }
        Shape::Schema(r) => {
            let desc = an
                .libs()
                .with_schema(r, |k, sch| (k.kind.clone(), sch.description().to_owned()));
            if let Some((kind, d)) = desc {
                let at = if r.steps.is_empty() {
                    String::new()
                } else {
                    format!(" `{}`", r.steps.join("."))
                };
                s.push_str(&format!("\n\n{kind} object{at}"));
                if !d.is_empty() {
                    s.push_str("\n\n");
                    s.push_str(&d);
                }
            }
        }
        Shape::Object(..) | Shape::Merge(_) => {
            let names: Vec<String> = an.members(&shape).into_iter().map(|i| i.name).collect();
            if !names.is_empty() {
                s.push_str(&format!("\n\nobject with fields: {}", names.join(", ")));
            }
        }
        Shape::Func(..) | Shape::Unknown => {}
    }
    s
}
