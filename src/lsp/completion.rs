//! Completion: after `.` the members of what the expression before it is known to be
//! (library objects with their docs and argument lists, a kind's fields after a
//! library call, object literals through `+` merges, imported files, `std`); on a
//! bare name the locals in scope, `std` and the object keywords.
//!
//! Contact points: [`super::server`] calls [`complete`]; shapes come from
//! [`super::analysis`].

use std::rc::Rc;

use jrsonnet_rowan_parser::{nodes::Expr, AstNode, SyntaxKind, SyntaxNode, SyntaxToken};
use lsp_types::{CompletionItem, CompletionItemKind, Documentation, MarkupContent, MarkupKind};

use super::analysis::{visible_bindings, Analyzer, Binding, Item, Shape};
use super::documents::Document;
use super::libraries::{Arg, Doc, MemberKind};

/// The token holding the byte before `offset` (what was just typed).
pub fn token_before(root: &SyntaxNode, offset: usize) -> Option<SyntaxToken> {
    if offset == 0 {
        return None;
    }
    let at = jrsonnet_rowan_parser::rowan::TextSize::from(u32::try_from(offset - 1).ok()?);
    if at >= root.text_range().end() {
        return root.last_token();
    }
    root.token_at_offset(at).right_biased()
}

/// The shape of the expression before the `.` of the suffix `suffix` (a
/// `SUFFIX_INDEX` node): its base and the suffixes before it.
pub fn target_of_suffix(an: &Analyzer, doc: &Rc<Document>, suffix: &SyntaxNode) -> Shape {
    let Some(expr) = suffix.parent().and_then(Expr::cast) else {
        return Shape::Unknown;
    };
    let index = expr
        .suffixs()
        .position(|s| s.syntax() == suffix)
        .unwrap_or(0);
    an.expr_until(doc, &expr, index)
}

/// The completion items at `offset` of `doc`.
pub fn complete(an: &Analyzer, doc: &Rc<Document>, offset: usize) -> Vec<CompletionItem> {
    let Some(root) = doc.parsed().root.clone() else {
        return Vec::new();
    };
    let Some(token) = token_before(&root, offset) else {
        return Vec::new();
    };
    let suffix = match token.kind() {
        SyntaxKind::DOT => token
            .parent()
            .filter(|p| p.kind() == SyntaxKind::SUFFIX_INDEX),
        SyntaxKind::IDENT => token
            .parent()
            .filter(|p| p.kind() == SyntaxKind::NAME)
            .and_then(|n| n.parent())
            .filter(|p| p.kind() == SyntaxKind::SUFFIX_INDEX),
        _ => None,
    };
    if let Some(suffix) = suffix {
        let target = target_of_suffix(an, doc, &suffix);
        return an.members(&target).into_iter().map(|i| item(&i)).collect();
    }
    // A field name of an object literal merged into a kind's object: the schema's.
    let literal = match token.kind() {
        SyntaxKind::IDENT => token
            .parent()
            .filter(|n| n.kind() == SyntaxKind::NAME)
            .and_then(|n| n.parent())
            .filter(|f| f.kind() == SyntaxKind::FIELD_NAME_FIXED)
            .and_then(|f| f.parent())
            .and_then(|member| member.parent()),
        SyntaxKind::L_BRACE | SyntaxKind::COMMA => token.parent(),
        _ => None,
    }
    .filter(|body| body.kind() == SyntaxKind::OBJ_BODY_MEMBER_LIST)
    .and_then(|body| body.parent());
    if let Some(object) = literal {
        let schemas = an.literal_schemas(doc, &object);
        if !schemas.is_empty() {
            let shape = Shape::Merge(schemas.into_iter().map(Shape::Schema).collect());
            return an.members(&shape).into_iter().map(|i| item(&i)).collect();
        }
    }
    // A name being typed (or nothing yet): what is in scope.
    let at = token.parent().unwrap_or(root);
    let mut items: Vec<CompletionItem> = visible_bindings(&at)
        .into_iter()
        .map(|(name, b)| {
            let kind = match b {
                Binding::Function(..) => CompletionItemKind::FUNCTION,
                _ => CompletionItemKind::VARIABLE,
            };
            CompletionItem {
                label: name,
                kind: Some(kind),
                ..CompletionItem::default()
            }
        })
        .collect();
    for kw in ["std", "self", "super", "$"] {
        items.push(CompletionItem {
            label: kw.to_owned(),
            kind: Some(CompletionItemKind::KEYWORD),
            ..CompletionItem::default()
        });
    }
    items
}

/// A signature line: `name(a, b=…)`.
pub fn signature(name: &str, args: &[Arg]) -> String {
    let args: Vec<String> = args.iter().map(arg_text).collect();
    format!("{name}({})", args.join(", "))
}

/// One argument as the signature shows it: `name`, `name=default`, with its type.
pub fn arg_text(a: &Arg) -> String {
    let mut s = a.name.clone();
    if let Some(d) = &a.default {
        s.push('=');
        s.push_str(d);
    }
    if let Some(t) = &a.ty {
        s.push_str(": ");
        s.push_str(t);
    }
    s
}

/// The markdown of a member's docs: the signature for a function, then the help.
pub fn doc_markdown(name: &str, doc: Option<&Doc>, detail: Option<&str>) -> String {
    let mut s = String::new();
    match doc.and_then(|d| d.args.as_ref()) {
        Some(args) => s.push_str(&format!("```jsonnet\n{}\n```", signature(name, args))),
        None => s.push_str(&format!("```jsonnet\n{name}\n```")),
    }
    if let Some(d) = detail {
        s.push_str(&format!("\n\n*{d}*"));
    }
    if let Some(help) = doc.map(|d| d.help.trim()).filter(|h| !h.is_empty()) {
        s.push_str("\n\n");
        s.push_str(help);
    }
    s
}

fn item(i: &Item) -> CompletionItem {
    let kind = match i.kind {
        MemberKind::Function => CompletionItemKind::METHOD,
        MemberKind::Object => CompletionItemKind::MODULE,
        MemberKind::Value => CompletionItemKind::FIELD,
    };
    let detail = match (&i.doc, i.kind) {
        (
            Some(Doc {
                args: Some(args), ..
            }),
            _,
        ) => Some(signature(&i.name, args)),
        _ => i.detail.clone(),
    };
    let help = i
        .doc
        .as_ref()
        .map(|d| d.help.trim())
        .filter(|h| !h.is_empty());
    CompletionItem {
        label: i.name.clone(),
        kind: Some(kind),
        detail,
        documentation: help.map(|h| {
            Documentation::MarkupContent(MarkupContent {
                kind: MarkupKind::Markdown,
                value: h.to_owned(),
            })
        }),
        ..CompletionItem::default()
    }
}
