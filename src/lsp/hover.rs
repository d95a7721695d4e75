//! Hover: the docsonnet help of library fields and functions (native and source),
//! a schema field's description, `std` functions' signatures, and what a local is
//! bound to.
//!
//! Contact points: [`super::server`] calls [`hover`]; shapes come from
//! [`super::analysis`].

use std::rc::Rc;

use jrsonnet_rowan_parser::{
    nodes::{BinaryOperatorKind, Expr, ExprBase, ImportKindKind, LiteralKind, UnaryOperatorKind},
    AstNode, SyntaxKind, SyntaxNode, SyntaxToken,
};
use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind};

use super::analysis::{lookup, text_value, Analyzer, Binding, Shape};
use super::completion::{doc_markdown, signature, target_of_suffix};
use super::documents::Document;
use super::libraries::{LibValue, Libraries, SchemaRef, ITEMS};
use super::project::Resolved;
use crate::model::Kind;

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

/// What the local `name` is: its declaration, with the type and value its syntax
/// shows (`local port: number = 8080`), then what is known of its value — a kind's
/// object, a library value, an imported file's object, a function's signature and
/// what it returns. Nothing is evaluated.
fn binding_hover(an: &Analyzer, doc: &Rc<Document>, name: &str, b: &Binding) -> String {
    let shape = an.binding(doc, b);
    let value = match b {
        Binding::Value(_, e) | Binding::Param(_, e) => e.as_ref(),
        Binding::Function(..) => None,
    };
    let written = value.and_then(literal);
    let typed = |head: String| match &written {
        Some((ty, Some(text))) => format!("{head}: {ty} = {text}"),
        Some((ty, None)) => format!("{head}: {ty}"),
        None => head,
    };
    let head = match b {
        Binding::Function(_, params, _) => {
            format!(
                "local {}",
                signature(name, &super::analysis::params_of(params.as_ref()))
            )
        }
        Binding::Param(..) => typed(format!("(parameter) {name}")),
        Binding::Value(..) => match &shape {
            Shape::Func(_, params, _) if written.is_none() => format!(
                "local {}",
                signature(name, &super::analysis::params_of(params.as_ref()))
            ),
            _ => typed(format!("local {name}")),
        },
    };
    let mut s = format!("```jsonnet\n{head}\n```");
    let mut line = |text: String| {
        s.push_str("\n\n");
        s.push_str(&text);
    };
    if let Some(from) = value.and_then(|e| import_origin(an, doc, e)) {
        line(from);
    }
    match &shape {
        Shape::Lib(v) => {
            if let Some(d) = an.libs().own_doc(v) {
                if !d.help.trim().is_empty() {
                    line(d.help.trim().to_owned());
                }
            }
            if !v.import.is_empty() {
                let mut at = format!("library `{}`", v.import);
                if !v.path.is_empty() {
                    at.push_str(&format!(" → `{}`", v.path.join(".")));
                }
                if let Some(kind) = library_kind(an, v) {
                    at.push_str(&format!(" ({kind})"));
                }
                line(at);
            }
            if Libraries::is_function(v) {
                line(format!("`{}`", signature(name, &an.libs().params(v))));
                if let Some(r) = an.libs().call_result(v) {
                    line(format!("returns {}", schema_text(an, &r)));
                }
            }
        }
        Shape::Schema(r) => {
            line(schema_text(an, r));
            let desc = an
                .libs()
                .with_schema(r, |_, sch| sch.description().to_owned());
            if let Some(d) = desc.filter(|d| !d.is_empty()) {
                line(d);
            }
        }
        Shape::Object(..) | Shape::Merge(_) => {
            if let Some(fields) = fields_text(an, &shape) {
                line(fields);
            }
        }
        Shape::Func(..) => {
            if let Some(r) = returns_text(an, &an.call(&shape)) {
                line(format!("returns {r}"));
            }
        }
        Shape::Unknown => {}
    }
    s
}

/// The type of the value an expression's syntax shows, and its text when it is a
/// short literal: `("number", Some("8080"))`, `("array", None)`.
fn literal(e: &Expr) -> Option<(String, Option<String>)> {
    if e.stmts().next().is_some() || e.suffixs().next().is_some() {
        return None;
    }
    let short = |t: String| (t.len() <= 60 && !t.contains('\n')).then_some(t);
    let text = || short(e.syntax().text().to_string());
    Some(match e.expr_base()? {
        ExprBase::ExprNumber(_) => ("number".to_owned(), text()),
        ExprBase::ExprUnary(u) => match u.unary_operator()?.kind() {
            UnaryOperatorKind::Not => ("boolean".to_owned(), None),
            UnaryOperatorKind::Minus | UnaryOperatorKind::BitNot => {
                let number = u
                    .rhs()
                    .is_some_and(|r| matches!(r.expr_base(), Some(ExprBase::ExprNumber(_))));
                ("number".to_owned(), if number { text() } else { None })
            }
        },
        ExprBase::ExprString(_) => ("string".to_owned(), text()),
        ExprBase::ExprLiteral(l) => match l.literal()?.kind() {
            LiteralKind::TrueKw | LiteralKind::FalseKw => ("boolean".to_owned(), text()),
            LiteralKind::NullKw => ("null".to_owned(), None),
            _ => return None,
        },
        ExprBase::ExprArray(a) => match a.exprs().count() {
            0 => ("array".to_owned(), Some("[]".to_owned())),
            1 => ("array of 1 element".to_owned(), None),
            n => (format!("array of {n} elements"), None),
        },
        ExprBase::ExprArrayComp(_) => ("array".to_owned(), None),
        ExprBase::ExprObject(_) => ("object".to_owned(), None),
        ExprBase::ExprFunction(_) => ("function".to_owned(), None),
        ExprBase::ExprImport(i) => match i.import_kind()?.kind() {
            ImportKindKind::ImportstrKw => ("string".to_owned(), None),
            ImportKindKind::ImportbinKw => ("array".to_owned(), None),
            ImportKindKind::ImportKw => return None,
        },
        ExprBase::ExprBinary(b) => match b.binary_operator()?.kind() {
            BinaryOperatorKind::Eq
            | BinaryOperatorKind::Ne
            | BinaryOperatorKind::Lt
            | BinaryOperatorKind::Gt
            | BinaryOperatorKind::Le
            | BinaryOperatorKind::Ge
            | BinaryOperatorKind::InKw
            | BinaryOperatorKind::And
            | BinaryOperatorKind::Or => ("boolean".to_owned(), None),
            BinaryOperatorKind::Minus
            | BinaryOperatorKind::Mul
            | BinaryOperatorKind::Div
            | BinaryOperatorKind::BitAnd
            | BinaryOperatorKind::BitOr
            | BinaryOperatorKind::BitXor
            | BinaryOperatorKind::Lhs
            | BinaryOperatorKind::Rhs => ("number".to_owned(), None),
            _ => return None,
        },
        _ => return None,
    })
}

/// Where an `import`, `importstr` or `importbin` value comes from: the path written
/// and the file it resolves to (or the library that serves it).
fn import_origin(an: &Analyzer, doc: &Rc<Document>, e: &Expr) -> Option<String> {
    if e.stmts().next().is_some() {
        return None;
    }
    let Some(ExprBase::ExprImport(i)) = e.expr_base() else {
        return None;
    };
    let path = i.text().and_then(|t| text_value(&t))?;
    let what = match i.import_kind()?.kind() {
        ImportKindKind::ImportKw => "imported from",
        ImportKindKind::ImportstrKw => "the text of",
        ImportKindKind::ImportbinKw => "the bytes of",
    };
    Some(match an.project.resolve(doc.path.as_deref(), &path) {
        Resolved::File(p) => format!("{what} `{path}` (`{}`)", p.display()),
        Resolved::Builtin(_) => format!("{what} `{path}` (built in)"),
        Resolved::Missing => format!("{what} `{path}` (not found)"),
    })
}

/// A kind's object or a place in it, named with its API version and kind:
/// `deployment object (apps/v1 Deployment)`, `` `spec.rules[]` of a tcpRoute object
/// (gateway.networking.k8s.io/v1alpha2 TCPRoute) ``.
pub fn schema_text(an: &Analyzer, r: &SchemaRef) -> String {
    let kind = an
        .libs()
        .with_schema(r, |k, _| api_kind(k))
        .unwrap_or_default();
    let object = if kind.is_empty() {
        format!("{} object", r.kind)
    } else {
        format!("{} object ({kind})", r.kind)
    };
    if r.steps.is_empty() {
        return object;
    }
    let mut at = String::new();
    for step in &r.steps {
        if step == ITEMS {
            at.push_str("[]");
        } else {
            if !at.is_empty() {
                at.push('.');
            }
            at.push_str(step);
        }
    }
    format!("`{at}` of a {object}")
}

/// `group/version Kind` (`v1 Pod` for the core group).
fn api_kind(k: &Kind) -> String {
    if k.group.is_empty() {
        format!("{} {}", k.version, k.kind)
    } else {
        format!("{}/{} {}", k.group, k.version, k.kind)
    }
}

/// The kind a library object belongs to (`k.apps.v1.deployment` and below).
fn library_kind(an: &Analyzer, v: &LibValue) -> Option<String> {
    let (root, path) = an.libs().layout_path(v)?;
    an.libs().kind_at(&root, &path).map(api_kind)
}

/// What is known of a function's result, in a few words.
fn returns_text(an: &Analyzer, result: &Shape) -> Option<String> {
    match result {
        Shape::Schema(r) => Some(schema_text(an, r)),
        Shape::Lib(v) if !v.import.is_empty() && !v.path.is_empty() => {
            Some(format!("library `{}`", v.path.join(".")))
        }
        Shape::Object(..) | Shape::Merge(_) => fields_text(an, result).or_else(|| {
            let kinds: Vec<String> = super::analysis::schema_parts(result)
                .iter()
                .map(|r| schema_text(an, r))
                .collect();
            (!kinds.is_empty()).then(|| kinds.join(" + "))
        }),
        Shape::Func(..) => Some("a function".to_owned()),
        _ => None,
    }
}

/// `object with fields: a, b, …` (at most 20 named), a kind's object when the
/// shape merges one.
fn fields_text(an: &Analyzer, shape: &Shape) -> Option<String> {
    let kinds: Vec<String> = super::analysis::schema_parts(shape)
        .iter()
        .map(|r| schema_text(an, r))
        .collect();
    if !kinds.is_empty() {
        return Some(kinds.join(" + "));
    }
    let names: Vec<String> = an.members(shape).into_iter().map(|i| i.name).collect();
    if names.is_empty() {
        return None;
    }
    let more = names.len().saturating_sub(20);
    let mut text = format!(
        "object with fields: {}",
        names[..names.len() - more].join(", ")
    );
    if more > 0 {
        text.push_str(&format!(", … ({more} more)"));
    }
    Some(text)
}
