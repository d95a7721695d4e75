//! Document symbols: the top-level locals of a file and the fields of its objects,
//! nested as the objects are (locals inside objects included).
//!
//! Contact point: [`super::server`] calls [`symbols`].

use jrsonnet_rowan_parser::{
    nodes::{Bind, Expr, ExprBase, Stmt},
    AstNode, SyntaxKind, SyntaxNode,
};
use lsp_types::{DocumentSymbol, SymbolKind};

use super::analysis::{name_text, object_fields, FieldValue};
use super::documents::Document;

/// The symbols of `doc`.
pub fn symbols(doc: &Document) -> Vec<DocumentSymbol> {
    match doc.parsed().source_file().and_then(|f| f.expr()) {
        Some(e) => expr_symbols(doc, &e, 0),
        None => Vec::new(),
    }
}

/// How deep objects are listed.
const MAX_DEPTH: usize = 32;

/// The locals of `e` and the fields of the object it is (or ends in).
fn expr_symbols(doc: &Document, e: &Expr, depth: usize) -> Vec<DocumentSymbol> {
    if depth > MAX_DEPTH {
        return Vec::new();
    }
    let mut out = Vec::new();
    for s in e.stmts() {
        if let Stmt::StmtLocal(l) = s {
            for b in l.binds() {
                out.extend(bind_symbol(doc, &b, depth));
            }
        }
    }
    let object = match e.expr_base() {
        Some(ExprBase::ExprObject(o)) => Some(o.syntax().clone()),
        Some(ExprBase::ExprBinary(b)) => {
            b.rhs().and_then(|r| r.expr_base()).and_then(|b| match b {
                ExprBase::ExprObject(o) => Some(o.syntax().clone()),
                _ => None,
            })
        }
        Some(ExprBase::ExprObjExtend(b)) => b.rhs().and_then(|r| match r.expr_base() {
            Some(ExprBase::ExprObject(o)) => Some(o.syntax().clone()),
            _ => None,
        }),
        _ => None,
    };
    if let Some(o) = object {
        out.extend(object_symbols(doc, &o, depth));
    }
    out
}

fn object_symbols(doc: &Document, o: &SyntaxNode, depth: usize) -> Vec<DocumentSymbol> {
    let mut out = Vec::new();
    // Object locals.
    for l in o
        .descendants()
        .filter(|n| n.kind() == SyntaxKind::OBJ_LOCAL)
        .filter(|n| {
            n.ancestors()
                .find(|a| a.kind() == SyntaxKind::EXPR_OBJECT)
                .as_ref()
                == Some(o)
        })
    {
        if let Some(b) = l.children().find_map(Bind::cast) {
            out.extend(bind_symbol(doc, &b, depth + 1));
        }
    }
    for f in object_fields(o) {
        let member = f.name_node.parent().unwrap_or(f.name_node.clone());
        let (kind, children) = match &f.value {
            FieldValue::Method(..) => (SymbolKind::METHOD, Vec::new()),
            FieldValue::Expr(Some(e)) => match e.expr_base() {
                Some(ExprBase::ExprFunction(_)) => (SymbolKind::FUNCTION, Vec::new()),
                _ => {
                    let children = expr_symbols(doc, e, depth + 1);
                    let kind = if children.is_empty() {
                        SymbolKind::FIELD
                    } else {
                        SymbolKind::OBJECT
                    };
                    (kind, children)
                }
            },
            FieldValue::Expr(None) => (SymbolKind::FIELD, Vec::new()),
        };
        out.push(symbol(doc, f.name, kind, &member, &f.name_node, children));
    }
    out
}

fn bind_symbol(doc: &Document, b: &Bind, depth: usize) -> Option<DocumentSymbol> {
    let (name_node, kind, value) = match b {
        Bind::BindFunction(f) => (f.name()?.syntax().clone(), SymbolKind::FUNCTION, None),
        Bind::BindDestruct(d) => {
            let into = d.into()?;
            let n = into
                .syntax()
                .descendants()
                .find(|n| n.kind() == SyntaxKind::NAME)?;
            (n, SymbolKind::VARIABLE, d.value())
        }
    };
    let name = name_text(&name_node)?;
    let children = value
        .map(|v| expr_symbols(doc, &v, depth + 1))
        .unwrap_or_default();
    Some(symbol(doc, name, kind, b.syntax(), &name_node, children))
}

#[allow(deprecated)] // `DocumentSymbol::deprecated` must be given.
fn symbol(
    doc: &Document,
    name: String,
    kind: SymbolKind,
    whole: &SyntaxNode,
    name_node: &SyntaxNode,
    children: Vec<DocumentSymbol>,
) -> DocumentSymbol {
    let r = whole.text_range();
    let n = name_node.text_range();
    DocumentSymbol {
        name,
        detail: None,
        kind,
        tags: None,
        deprecated: None,
        range: doc.range(usize::from(r.start()), usize::from(r.end())),
        selection_range: doc.range(usize::from(n.start()), usize::from(n.end())),
        children: (!children.is_empty()).then_some(children),
    }
}
