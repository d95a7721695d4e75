//! Static analysis of parsed Jsonnet: which binding a name refers to, and the *shape*
//! of an expression — what is known of its value without evaluating it.
//!
//! A shape is a library value ([`LibValue`]: a built-in library's object or function,
//! or `std`), a place in a kind's schema ([`SchemaRef`]: what a library function
//! returns, `tcpRoute.new('x').spec`), an object literal of a parsed file, a function
//! of a parsed file (calling it gives its body's shape), or a merge of several (`a + b`,
//! both branches of an `if`). Names resolve by walking up the tree (locals, object
//! locals, parameters, comprehension variables); `self`/`super`/`$` are the objects
//! around; imports are resolved as the evaluator does ([`Project::resolve`]) and
//! imported files parsed and read the same way, with a depth limit that also stops
//! import cycles.
//!
//! Contact points: [`super::completion`], [`super::hover`], [`super::definition`] and
//! [`super::diagnostics`] ask an [`Analyzer`] for shapes and their members.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use jrsonnet_rowan_parser::{
    nodes::{
        BinaryOperatorKind, Bind, Destruct, Expr, ExprBase, FieldName, ImportKindKind, LiteralKind,
        Member, ObjBody, ParamsDesc, Stmt, Suffix, Text, TextKind,
    },
    AstNode, AstToken, SyntaxKind, SyntaxNode,
};

use super::documents::Document;
use super::libraries::{Arg, Doc, LibValue, Libraries, MemberKind, SchemaRef, ITEMS};
use super::project::{Project, Resolved};
use crate::model::SchemaType;

/// How deep shapes are followed (bindings, fields, imports) before giving up.
const MAX_DEPTH: u32 = 48;

/// What is known of a value.
#[derive(Clone)]
pub enum Shape {
    /// Nothing.
    Unknown,
    /// A value of a built-in library or `std`.
    Lib(LibValue),
    /// An object described by a kind's schema.
    Schema(SchemaRef),
    /// An object literal (an `EXPR_OBJECT` node) of a parsed file.
    Object(Rc<Document>, SyntaxNode),
    /// A function of a parsed file: its parameters and body.
    Func(Rc<Document>, Option<ParamsDesc>, Option<Expr>),
    /// Several values merged (`a + b`) or alternatives (`if … then a else b`).
    Merge(Vec<Shape>),
}

/// What a name is bound to.
#[derive(Clone)]
pub enum Binding {
    /// `local x = e`, an object local, a destructured name: the name node and value.
    Value(SyntaxNode, Option<Expr>),
    /// `local f(p) = e`: the name node, parameters and body.
    Function(SyntaxNode, Option<ParamsDesc>, Option<Expr>),
    /// A function parameter or comprehension variable: the name node, its default.
    Param(SyntaxNode, Option<Expr>),
}

impl Binding {
    /// The node naming the binding.
    pub fn name_node(&self) -> &SyntaxNode {
        match self {
            Self::Value(n, _) | Self::Function(n, ..) | Self::Param(n, _) => n,
        }
    }
}

/// A member of an object shape, for completion and hover.
#[derive(Clone)]
pub struct Item {
    /// Field name.
    pub name: String,
    /// Function, object or value.
    pub kind: MemberKind,
    /// Docs: a library's docsonnet, a schema description, a source `'#name'` help.
    pub doc: Option<Doc>,
    /// A short type text (`string`, `array of objects`) when known.
    pub detail: Option<String>,
}

/// Shapes of the files of one project.
pub struct Analyzer<'p> {
    /// The project (imports and libraries).
    pub project: &'p Project,
    files: RefCell<HashMap<PathBuf, Option<Rc<Document>>>>,
    depth: Cell<u32>,
}

impl<'p> Analyzer<'p> {
    /// An analyzer for files of `project`.
    pub fn new(project: &'p Project) -> Self {
        Self {
            project,
            files: RefCell::default(),
            depth: Cell::new(0),
        }
    }

    /// The project's libraries.
    pub fn libs(&self) -> &Libraries {
        &self.project.libs
    }

    /// Runs `f` one level deeper; `Unknown` past the limit.
    fn deeper(&self, f: impl FnOnce() -> Shape) -> Shape {
        let d = self.depth.get();
        if d >= MAX_DEPTH {
            return Shape::Unknown;
        }
        self.depth.set(d + 1);
        let s = f();
        self.depth.set(d);
        s
    }

    /// The parsed file at `path` (read once).
    pub fn load(&self, path: &Path) -> Option<Rc<Document>> {
        if let Some(d) = self.files.borrow().get(path) {
            return d.clone();
        }
        let doc = std::fs::read_to_string(path)
            .ok()
            .map(|text| Rc::new(Document::new(Some(path.to_owned()), text)));
        self.files.borrow_mut().insert(path.to_owned(), doc.clone());
        doc
    }

    /// The shape of the value of `doc`'s root expression.
    pub fn file_shape(&self, doc: &Rc<Document>) -> Shape {
        match doc.parsed().source_file().and_then(|f| f.expr()) {
            Some(e) => self.expr(doc, &e),
            None => Shape::Unknown,
        }
    }

    /// The shape of `expr`.
    pub fn expr(&self, doc: &Rc<Document>, expr: &Expr) -> Shape {
        self.deeper(|| {
            let suffixes: Vec<Suffix> = expr.suffixs().collect();
            self.expr_until(doc, expr, suffixes.len())
        })
    }

    /// The shape of `expr`'s base with its first `n` suffixes applied.
    pub fn expr_until(&self, doc: &Rc<Document>, expr: &Expr, n: usize) -> Shape {
        let mut shape = match expr.expr_base() {
            Some(b) => self.base(doc, &b),
            None => Shape::Unknown,
        };
        for suffix in expr.suffixs().take(n) {
            shape = match suffix {
                Suffix::SuffixIndex(s) => match s.index().and_then(|n| name_text(n.syntax())) {
                    Some(name) => self.field(&shape, &name),
                    None => Shape::Unknown,
                },
                Suffix::SuffixIndexExpr(s) => match s.index().as_ref().and_then(string_value) {
                    Some(name) => self.field(&shape, &name),
                    None => self.element(&shape),
                },
                Suffix::SuffixApply(_) => self.call(&shape),
                Suffix::SuffixSlice(_) => Shape::Unknown,
            };
        }
        shape
    }

    fn base(&self, doc: &Rc<Document>, base: &ExprBase) -> Shape {
        match base {
            ExprBase::ExprBinary(b) => {
                let plus = b
                    .binary_operator()
                    .is_some_and(|o| o.kind() == BinaryOperatorKind::Plus);
                if !plus {
                    return Shape::Unknown;
                }
                merge(
                    b.lhs().map(|e| self.expr(doc, &e)),
                    b.rhs().map(|e| self.expr(doc, &e)),
                )
            }
            ExprBase::ExprObjExtend(b) => merge(
                b.lhs().map(|e| self.expr(doc, &e)),
                b.rhs().map(|e| self.expr(doc, &e)),
            ),
            ExprBase::ExprParened(p) => p.expr().map_or(Shape::Unknown, |e| self.expr(doc, &e)),
            ExprBase::ExprObject(o) => Shape::Object(doc.clone(), o.syntax().clone()),
            ExprBase::ExprImport(i) => {
                let is_import = i
                    .import_kind()
                    .is_some_and(|k| k.kind() == ImportKindKind::ImportKw);
                match i.text().and_then(|t| text_value(&t)) {
                    Some(path) if is_import => self.import(doc, &path),
                    _ => Shape::Unknown,
                }
            }
            ExprBase::ExprVar(v) => {
                let Some(name_node) = v.name() else {
                    return Shape::Unknown;
                };
                let Some(name) = name_text(name_node.syntax()) else {
                    return Shape::Unknown;
                };
                match lookup(v.syntax(), &name) {
                    Some(b) => self.binding(doc, &b),
                    None if name == "std" => self.libs().std().map_or(Shape::Unknown, Shape::Lib),
                    None => Shape::Unknown,
                }
            }
            ExprBase::ExprLiteral(l) => match l.literal().map(|l| l.kind()) {
                Some(LiteralKind::SelfKw) => self.this(doc, l.syntax(), false),
                Some(LiteralKind::SuperKw) => self.this(doc, l.syntax(), true),
                Some(LiteralKind::Dollar) => self.dollar(doc, l.syntax()),
                _ => Shape::Unknown,
            },
            ExprBase::ExprIfThenElse(i) => merge(
                i.then().and_then(|t| t.expr()).map(|e| self.expr(doc, &e)),
                i.else_().and_then(|t| t.expr()).map(|e| self.expr(doc, &e)),
            ),
            ExprBase::ExprFunction(f) => Shape::Func(doc.clone(), f.params_desc(), f.expr()),
            _ => Shape::Unknown,
        }
    }

    /// The shape a binding's value has.
    pub fn binding(&self, doc: &Rc<Document>, b: &Binding) -> Shape {
        self.deeper(|| match b {
            Binding::Value(_, Some(e)) => self.expr(doc, e),
            Binding::Function(_, params, body) => {
                Shape::Func(doc.clone(), params.clone(), body.clone())
            }
            Binding::Param(_, Some(e)) => self.expr(doc, e),
            _ => Shape::Unknown,
        })
    }

    /// The value of `import "<path>"` written in `doc`.
    pub fn import(&self, doc: &Rc<Document>, path: &str) -> Shape {
        self.deeper(|| match self.project.resolve(doc.path.as_deref(), path) {
            Resolved::File(p) => match self.load(&p) {
                Some(d) => self.file_shape(&d),
                None => Shape::Unknown,
            },
            Resolved::Builtin(p) => self.libs().import(&p).map_or(Shape::Unknown, Shape::Lib),
            Resolved::Missing => Shape::Unknown,
        })
    }

    /// `self` (or with `sup`, `super`) at `node`: the object literal around it, with
    /// what it is merged with (`a + { x: self.y }` sees `a`'s fields).
    fn this(&self, doc: &Rc<Document>, node: &SyntaxNode, sup: bool) -> Shape {
        let Some(obj) = node
            .ancestors()
            .find(|n| n.kind() == SyntaxKind::EXPR_OBJECT)
        else {
            return Shape::Unknown;
        };
        // Climb the `+` chain the object is an operand of.
        let mut top = obj.parent();
        let mut lhs_of_obj = None;
        while let Some(e) = top.clone().filter(|n| n.kind() == SyntaxKind::EXPR) {
            let Some(p) = e.parent() else { break };
            let is_plus = match p.kind() {
                SyntaxKind::EXPR_OBJ_EXTEND => true,
                SyntaxKind::EXPR_BINARY => {
                    jrsonnet_rowan_parser::nodes::ExprBinary::cast(p.clone())
                        .and_then(|b| b.binary_operator())
                        .is_some_and(|o| o.kind() == BinaryOperatorKind::Plus)
                }
                _ => false,
            };
            if !is_plus {
                break;
            }
            if lhs_of_obj.is_none() {
                // The left operand of the object's own `+` is its `super`.
                let first = p.children().find(|c| c.kind() == SyntaxKind::EXPR);
                if first.as_ref() != Some(&e) {
                    lhs_of_obj = first;
                }
            }
            top = p.parent();
        }
        if sup {
            return match lhs_of_obj.and_then(Expr::cast) {
                Some(l) => self.expr(doc, &l),
                None => Shape::Unknown,
            };
        }
        match top.and_then(Expr::cast) {
            Some(e) => self.expr(doc, &e),
            None => Shape::Object(doc.clone(), obj),
        }
    }

    /// `$`: the outermost object around `node`.
    fn dollar(&self, doc: &Rc<Document>, node: &SyntaxNode) -> Shape {
        match node
            .ancestors()
            .filter(|n| n.kind() == SyntaxKind::EXPR_OBJECT)
            .last()
        {
            Some(o) => self.this(doc, &o, false),
            None => Shape::Unknown,
        }
    }

    /// Field `name` of `shape`.
    pub fn field(&self, shape: &Shape, name: &str) -> Shape {
        self.deeper(|| match shape {
            Shape::Lib(v) => self
                .libs()
                .field(v, name)
                .map_or(Shape::Unknown, Shape::Lib),
            Shape::Schema(r) => {
                let known = self
                    .libs()
                    .with_schema(r, |_, s| s.properties().contains_key(name))
                    .unwrap_or(false);
                if !known {
                    return Shape::Unknown;
                }
                let mut r = r.clone();
                r.steps.push(name.to_owned());
                Shape::Schema(r)
            }
            Shape::Object(doc, node) => {
                let found: Vec<Shape> = object_fields(node)
                    .into_iter()
                    .filter(|f| f.name == name)
                    .map(|f| match f.value {
                        FieldValue::Expr(Some(e)) => self.expr(doc, &e),
                        FieldValue::Method(p, b) => Shape::Func(doc.clone(), p, b),
                        FieldValue::Expr(None) => Shape::Unknown,
                    })
                    .collect();
                Shape::Merge(found).simplify()
            }
            Shape::Merge(parts) => {
                Shape::Merge(parts.iter().map(|p| self.field(p, name)).collect()).simplify()
            }
            Shape::Func(..) | Shape::Unknown => Shape::Unknown,
        })
    }

    /// An element of `shape` when it is an array (`x.rules[0]`).
    fn element(&self, shape: &Shape) -> Shape {
        match shape {
            Shape::Schema(r) => {
                let is_array = self
                    .libs()
                    .with_schema(r, |_, s| s.ty == Some(SchemaType::Array))
                    .unwrap_or(false);
                if !is_array {
                    return Shape::Unknown;
                }
                let mut r = r.clone();
                r.steps.push(ITEMS.to_owned());
                Shape::Schema(r)
            }
            _ => Shape::Unknown,
        }
    }

    /// What calling `shape` returns.
    pub fn call(&self, shape: &Shape) -> Shape {
        self.deeper(|| match shape {
            Shape::Lib(f) => self
                .libs()
                .call_result(f)
                .map_or(Shape::Unknown, Shape::Schema),
            Shape::Func(doc, _, Some(body)) => self.expr(doc, body),
            Shape::Merge(parts) => {
                Shape::Merge(parts.iter().map(|p| self.call(p)).collect()).simplify()
            }
            _ => Shape::Unknown,
        })
    }

    /// The members of `shape`, sorted by name (the first definition of a name kept,
    /// with the first docs found for it).
    pub fn members(&self, shape: &Shape) -> Vec<Item> {
        let mut items: Vec<Item> = Vec::new();
        self.collect_members(shape, &mut items);
        items.sort_by(|a, b| a.name.cmp(&b.name));
        items
    }

    fn collect_members(&self, shape: &Shape, items: &mut Vec<Item>) {
        let mut add = |item: Item| match items.iter_mut().find(|i| i.name == item.name) {
            Some(known) => {
                if known.doc.is_none() {
                    known.doc = item.doc;
                }
            }
            None => items.push(item),
        };
        match shape {
            Shape::Lib(v) => {
                for m in self.libs().members(v) {
                    add(Item {
                        name: m.name,
                        kind: m.kind,
                        doc: m.doc,
                        detail: None,
                    });
                }
            }
            Shape::Schema(r) => {
                let props = self.libs().with_schema(r, |_, s| {
                    s.properties()
                        .iter()
                        .map(|(k, p)| Item {
                            name: k.clone(),
                            kind: match p.ty {
                                Some(SchemaType::Object) => MemberKind::Object,
                                _ => MemberKind::Value,
                            },
                            doc: Some(Doc {
                                help: p.description().to_owned(),
                                args: None,
                            }),
                            detail: Some(schema_type_text(p)),
                        })
                        .collect::<Vec<_>>()
                });
                for item in props.unwrap_or_default() {
                    add(item);
                }
                // A resource's constructor sets these two, which CRD schemas may omit.
                let resource = r.steps.is_empty()
                    && self
                        .libs()
                        .with_schema(r, |k, _| k.resource)
                        .unwrap_or(false);
                if resource {
                    for name in ["apiVersion", "kind"] {
                        add(Item {
                            name: name.to_owned(),
                            kind: MemberKind::Value,
                            doc: None,
                            detail: Some("string".to_owned()),
                        });
                    }
                }
            }
            Shape::Object(_, node) => {
                let fields = object_fields(node);
                for f in &fields {
                    if f.name.starts_with('#') {
                        continue;
                    }
                    let kind = match &f.value {
                        FieldValue::Method(..) => MemberKind::Function,
                        FieldValue::Expr(Some(e)) => match e.expr_base() {
                            Some(ExprBase::ExprFunction(_)) if e.suffixs().next().is_none() => {
                                MemberKind::Function
                            }
                            Some(ExprBase::ExprObject(_)) if e.suffixs().next().is_none() => {
                                MemberKind::Object
                            }
                            _ => MemberKind::Value,
                        },
                        FieldValue::Expr(None) => MemberKind::Value,
                    };
                    let params = match &f.value {
                        FieldValue::Method(p, _) => Some(params_of(p.as_ref())),
                        FieldValue::Expr(Some(e)) if e.suffixs().next().is_none() => {
                            match e.expr_base() {
                                Some(ExprBase::ExprFunction(fun)) => {
                                    Some(params_of(fun.params_desc().as_ref()))
                                }
                                _ => None,
                            }
                        }
                        _ => None,
                    };
                    // The docsonnet field's help and arguments, else the parameters.
                    let doc = fields
                        .iter()
                        .find(|d| d.name == format!("#{}", f.name))
                        .and_then(|d| match &d.value {
                            FieldValue::Expr(Some(e)) => source_doc(e),
                            _ => None,
                        })
                        .map(|mut d| {
                            if d.args.as_ref().is_some_and(Vec::is_empty) {
                                if let Some(p) = &params {
                                    d.args = Some(p.clone());
                                }
                            }
                            d
                        })
                        .or_else(|| {
                            params.map(|p| Doc {
                                help: String::new(),
                                args: Some(p),
                            })
                        });
                    add(Item {
                        name: f.name.clone(),
                        kind,
                        doc,
                        detail: None,
                    });
                }
            }
            Shape::Merge(parts) => {
                for p in parts {
                    self.collect_members(p, items);
                }
            }
            Shape::Func(..) | Shape::Unknown => {}
        }
    }

    /// The schema places the object literal `object` (an `EXPR_OBJECT` node) is merged
    /// into: the right operand of `+` whose left one is (or merges) a kind's object
    /// (`tcpRoute.new('x') + { spec+: … }`), or the value of a field of such a literal.
    pub fn literal_schemas(&self, doc: &Rc<Document>, object: &SyntaxNode) -> Vec<SchemaRef> {
        let d = self.depth.get();
        if d >= MAX_DEPTH {
            return Vec::new();
        }
        self.depth.set(d + 1);
        let found = self.literal_schemas_inner(doc, object);
        self.depth.set(d);
        found
    }

    fn literal_schemas_inner(&self, doc: &Rc<Document>, object: &SyntaxNode) -> Vec<SchemaRef> {
        let Some(e) = object.parent().filter(|e| e.kind() == SyntaxKind::EXPR) else {
            return Vec::new();
        };
        let Some(p) = e.parent() else {
            return Vec::new();
        };
        match p.kind() {
            SyntaxKind::EXPR_BINARY | SyntaxKind::EXPR_OBJ_EXTEND => {
                let plus = p.kind() == SyntaxKind::EXPR_OBJ_EXTEND
                    || jrsonnet_rowan_parser::nodes::ExprBinary::cast(p.clone())
                        .and_then(|b| b.binary_operator())
                        .is_some_and(|o| o.kind() == BinaryOperatorKind::Plus);
                let lhs = p.children().find_map(Expr::cast);
                match lhs {
                    Some(lhs) if plus && lhs.syntax() != &e => schema_parts(&self.expr(doc, &lhs)),
                    _ => Vec::new(),
                }
            }
            SyntaxKind::MEMBER_FIELD_NORMAL => {
                let Some(outer) = p
                    .parent()
                    .and_then(|body| body.parent())
                    .filter(|o| o.kind() == SyntaxKind::EXPR_OBJECT)
                else {
                    return Vec::new();
                };
                let Some(name) = object_fields(&outer)
                    .into_iter()
                    .find(|f| f.name_node.parent().as_ref() == Some(&p))
                    .map(|f| f.name)
                else {
                    return Vec::new();
                };
                self.literal_schemas(doc, &outer)
                    .into_iter()
                    .map(|mut r| {
                        r.steps.push(name.clone());
                        r
                    })
                    .filter(|r| self.libs().with_schema(r, |_, _| ()).is_some())
                    .collect()
            }
            _ => Vec::new(),
        }
    }

    /// Whether `shape` has member `name` (cheaper than listing [`Self::members`]).
    pub fn has_member(&self, shape: &Shape, name: &str) -> bool {
        match shape {
            Shape::Lib(v) => self.libs().has_field(v, name),
            Shape::Schema(r) => self
                .libs()
                .with_schema(r, |k, s| {
                    s.properties().contains_key(name)
                        || (r.steps.is_empty()
                            && k.resource
                            && (name == "apiVersion" || name == "kind"))
                })
                .unwrap_or(false),
            _ => self.members(shape).iter().any(|m| m.name == name),
        }
    }

    /// The member names of `shape` (no docs read).
    pub fn member_names(&self, shape: &Shape) -> Vec<String> {
        match shape {
            Shape::Lib(v) => self.libs().field_names(v),
            _ => self.members(shape).into_iter().map(|m| m.name).collect(),
        }
    }

    /// Whether the members of `shape` are all known (a library object or a schema with
    /// properties): then a name that is not among them is an unknown field.
    pub fn is_closed(&self, shape: &Shape) -> bool {
        match shape {
            Shape::Lib(v) => Libraries::is_object(v) && !v.import.is_empty(),
            Shape::Schema(r) => self
                .libs()
                .with_schema(r, |_, s| !s.properties().is_empty() && !s.is_map())
                .unwrap_or(false),
            _ => false,
        }
    }
}

/// The schema places a shape is (or merges).
pub fn schema_parts(shape: &Shape) -> Vec<SchemaRef> {
    match shape {
        Shape::Schema(r) => vec![r.clone()],
        Shape::Merge(parts) => parts.iter().flat_map(schema_parts).collect(),
        _ => Vec::new(),
    }
}

/// `a + b` of two optional shapes.
fn merge(a: Option<Shape>, b: Option<Shape>) -> Shape {
    Shape::Merge(a.into_iter().chain(b).collect()).simplify()
}

impl Shape {
    /// Drops unknown parts of a merge; a merge of one is that one.
    fn simplify(self) -> Shape {
        match self {
            Shape::Merge(parts) => {
                let mut parts: Vec<Shape> = parts
                    .into_iter()
                    .filter(|p| !matches!(p, Shape::Unknown))
                    .collect();
                match parts.len() {
                    0 => Shape::Unknown,
                    1 => parts.pop().unwrap_or(Shape::Unknown),
                    _ => Shape::Merge(parts),
                }
            }
            other => other,
        }
    }

    /// Whether nothing is known.
    pub fn is_unknown(&self) -> bool {
        matches!(self, Shape::Unknown)
    }
}

/// A short text for a schema's type: `string`, `array`, `object`.
pub fn schema_type_text(s: &crate::model::Schema) -> String {
    match (s.ty, s.items()) {
        (Some(SchemaType::Array), Some(items)) => {
            format!("array of {}", items.ty.map_or("any", |t| t.as_str()))
        }
        (Some(t), _) => t.as_str().to_owned(),
        (None, _) => "any".to_owned(),
    }
}

/// The value of an object field in the source.
pub enum FieldValue {
    /// `name: e` (also `+:`, `::`).
    Expr(Option<Expr>),
    /// `name(params): body`.
    Method(Option<ParamsDesc>, Option<Expr>),
}

/// A field of an object literal.
pub struct SourceField {
    /// Its name.
    pub name: String,
    /// The node of its name.
    pub name_node: SyntaxNode,
    /// Its value.
    pub value: FieldValue,
}

/// The fields with fixed names of the object literal `node` (an `EXPR_OBJECT`).
pub fn object_fields(node: &SyntaxNode) -> Vec<SourceField> {
    let Some(body) = node.children().find_map(ObjBody::cast) else {
        return Vec::new();
    };
    let ObjBody::ObjBodyMemberList(list) = body else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for m in list.members() {
        let (name, value) = match m {
            Member::MemberFieldNormal(f) => (f.field_name(), FieldValue::Expr(f.expr())),
            Member::MemberFieldMethod(f) => (
                f.field_name(),
                FieldValue::Method(f.params_desc(), f.expr()),
            ),
            _ => continue,
        };
        let Some(FieldName::FieldNameFixed(fixed)) = name else {
            continue;
        };
        let text = match (fixed.id(), fixed.text()) {
            (Some(id), _) => name_text(id.syntax()),
            (None, Some(t)) => text_value(&t),
            _ => None,
        };
        if let Some(text) = text {
            out.push(SourceField {
                name: text,
                name_node: fixed.syntax().clone(),
                value,
            });
        }
    }
    out
}

/// The help of a source docsonnet field: the `help` of `d.fn('help', …)`,
/// `d.obj(help='…')` or a literal `{ function: { help: '…' } }`; a function's docs
/// when it is `d.fn` or has a `function` part.
fn source_doc(e: &Expr) -> Option<Doc> {
    let node = e.syntax();
    let is_fn = node.descendants().any(|n| {
        (n.kind() == SyntaxKind::SUFFIX_INDEX && name_text_child(&n).as_deref() == Some("fn"))
            || (n.kind() == SyntaxKind::FIELD_NAME_FIXED
                && field_name_text(&n).as_deref() == Some("function"))
    });
    let help = node.descendants().find_map(|n| match n.kind() {
        // `help: '…'` in an object, `help='…'` as an argument.
        SyntaxKind::MEMBER_FIELD_NORMAL => {
            let name = n
                .children()
                .find(|c| c.kind() == SyntaxKind::FIELD_NAME_FIXED)?;
            (field_name_text(&name)? == "help")
                .then(|| n.children().find_map(Expr::cast))
                .flatten()
                .as_ref()
                .and_then(string_value)
        }
        SyntaxKind::ARG => {
            let named = n.children().find(|c| c.kind() == SyntaxKind::NAME);
            let first = n.prev_sibling().is_none();
            let wanted = match &named {
                Some(name) => name_text(name).as_deref() == Some("help"),
                None => first,
            };
            wanted
                .then(|| n.children().find_map(Expr::cast))
                .flatten()
                .as_ref()
                .and_then(string_value)
        }
        _ => None,
    })?;
    Some(Doc {
        help,
        args: is_fn.then(|| doc_args(node)),
    })
}

/// The arguments of `d.fn(…, args=[d.arg('name', d.T.string, default=…), …])`.
fn doc_args(node: &SyntaxNode) -> Vec<Arg> {
    node.descendants()
        .filter(|n| n.kind() == SyntaxKind::SUFFIX_APPLY)
        .filter(|n| {
            n.prev_sibling().is_some_and(|p| {
                p.kind() == SyntaxKind::SUFFIX_INDEX
                    && name_text_child(&p).as_deref() == Some("arg")
            })
        })
        .filter_map(|apply| {
            let args = apply
                .children()
                .find(|c| c.kind() == SyntaxKind::ARGS_DESC)?;
            let mut positional = Vec::new();
            let mut default = None;
            for arg in args.children().filter(|c| c.kind() == SyntaxKind::ARG) {
                let value = arg.children().find_map(Expr::cast);
                match arg
                    .children()
                    .find(|c| c.kind() == SyntaxKind::NAME)
                    .and_then(|n| name_text(&n))
                {
                    Some(n) if n == "default" => {
                        default = value.map(|v| v.syntax().text().to_string());
                    }
                    Some(_) => {}
                    None => positional.extend(value),
                }
            }
            let name = positional.first().and_then(string_value)?;
            let ty = positional.get(1).map(|t| {
                let text = t.syntax().text().to_string();
                let member = text.rsplit('.').next().unwrap_or(&text).to_owned();
                crate::model::library::doc_util_type(&member).to_owned()
            });
            Some(Arg { name, ty, default })
        })
        .collect()
}

/// The parameters of a source function.
pub fn params_of(params: Option<&ParamsDesc>) -> Vec<Arg> {
    params
        .map(|p| {
            p.params()
                .map(|param| Arg {
                    name: param
                        .destruct()
                        .map(|d| d.syntax().text().to_string())
                        .unwrap_or_default(),
                    ty: None,
                    default: param.expr().map(|e| e.syntax().text().to_string()),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The name of a `SUFFIX_INDEX` node.
fn name_text_child(n: &SyntaxNode) -> Option<String> {
    name_text(&n.children().find(|c| c.kind() == SyntaxKind::NAME)?)
}

/// The text of a `FIELD_NAME_FIXED` node (identifier or string).
fn field_name_text(n: &SyntaxNode) -> Option<String> {
    if let Some(id) = n.children().find(|c| c.kind() == SyntaxKind::NAME) {
        return name_text(&id);
    }
    n.children_with_tokens()
        .filter_map(|t| t.into_token())
        .find_map(Text::cast)
        .and_then(|t| text_value(&t))
}

/// The identifier of a `NAME` node.
pub fn name_text(node: &SyntaxNode) -> Option<String> {
    node.children_with_tokens()
        .filter_map(|t| t.into_token())
        .find(|t| t.kind() == SyntaxKind::IDENT)
        .map(|t| t.text().to_owned())
}

/// The string a string literal expression denotes, if it is one.
fn string_value(e: &Expr) -> Option<String> {
    match e.expr_base()? {
        ExprBase::ExprString(s) if e.suffixs().next().is_none() => text_value(&s.text()?),
        _ => None,
    }
}

/// The string a string token denotes (quotes removed, escapes read).
pub fn text_value(t: &Text) -> Option<String> {
    let s = t.syntax().text();
    match t.kind() {
        TextKind::StringDouble => serde_json::from_str(s)
            .ok()
            .or_else(|| Some(s.get(1..s.len().saturating_sub(1))?.to_owned())),
        TextKind::StringSingle => {
            let inner = s.get(1..s.len().saturating_sub(1))?;
            let swapped = inner.replace("\\'", "'").replace('"', "\\\"");
            serde_json::from_str(&format!("\"{swapped}\""))
                .ok()
                .or_else(|| Some(inner.to_owned()))
        }
        TextKind::StringDoubleVerbatim => Some(s.get(2..s.len() - 1)?.replace("\"\"", "\"")),
        TextKind::StringSingleVerbatim => Some(s.get(2..s.len() - 1)?.replace("''", "'")),
        _ => None,
    }
}

/// The binding of `name` visible at `node`.
pub fn lookup(node: &SyntaxNode, name: &str) -> Option<Binding> {
    let start = node.text_range().start();
    let mut child = node.clone();
    for anc in node.ancestors().skip(1) {
        match anc.kind() {
            SyntaxKind::EXPR => {
                if let Some(e) = Expr::cast(anc.clone()) {
                    let stmts: Vec<Stmt> = e
                        .stmts()
                        .filter(|s| s.syntax().text_range().start() <= start)
                        .collect();
                    for s in stmts.iter().rev() {
                        if let Stmt::StmtLocal(l) = s {
                            if let Some(b) = l.binds().find_map(|b| bind_named(&b, name)) {
                                return Some(b);
                            }
                        }
                    }
                }
            }
            SyntaxKind::EXPR_FUNCTION
            | SyntaxKind::MEMBER_FIELD_METHOD
            | SyntaxKind::BIND_FUNCTION => {
                // Parameters are visible in the body (and in other parameters' defaults).
                let name_child = anc.children().find(|c| c.kind() == SyntaxKind::NAME);
                if name_child.as_ref() != Some(&child) {
                    if let Some(p) = anc.children().find_map(ParamsDesc::cast) {
                        if let Some(b) = param_named(&p, name) {
                            return Some(b);
                        }
                    }
                }
            }
            SyntaxKind::OBJ_BODY_MEMBER_LIST | SyntaxKind::OBJ_BODY_COMP => {
                // Object locals: MEMBER_BIND_STMT > OBJ_LOCAL > BIND, visible in every field.
                let binds = anc
                    .children()
                    .filter(|m| m.kind() == SyntaxKind::MEMBER_BIND_STMT)
                    .flat_map(|m| m.children().filter(|c| c.kind() == SyntaxKind::OBJ_LOCAL))
                    .filter_map(|l| l.children().find_map(Bind::cast));
                for b in binds {
                    if let Some(found) = bind_named(&b, name) {
                        return Some(found);
                    }
                }
                if let Some(found) = for_spec_named(&anc, name) {
                    return Some(found);
                }
            }
            SyntaxKind::EXPR_ARRAY_COMP => {
                if let Some(found) = for_spec_named(&anc, name) {
                    return Some(found);
                }
            }
            _ => {}
        }
        child = anc;
    }
    None
}

/// A comprehension variable `name` of the `for` specs directly under `node`.
fn for_spec_named(node: &SyntaxNode, name: &str) -> Option<Binding> {
    node.children()
        .filter(|c| c.kind() == SyntaxKind::FOR_SPEC)
        .find_map(|f| {
            let d = f.children().find_map(Destruct::cast)?;
            destruct_names(&d)
                .into_iter()
                .find(|(n, _)| n == name)
                .map(|(_, node)| Binding::Param(node, None))
        })
}

/// The binding `name` if `b` binds it.
fn bind_named(b: &Bind, name: &str) -> Option<Binding> {
    match b {
        Bind::BindFunction(f) => {
            let n = f.name()?;
            (name_text(n.syntax())? == name)
                .then(|| Binding::Function(n.syntax().clone(), f.params(), f.value()))
        }
        Bind::BindDestruct(d) => {
            let into = d.into()?;
            let names = destruct_names(&into);
            let (_, node) = names.into_iter().find(|(n, _)| n == name)?;
            Some(match into {
                Destruct::DestructFull(_) => Binding::Value(node, d.value()),
                _ => Binding::Param(node, None),
            })
        }
    }
}

/// The parameter `name` of `params`.
fn param_named(params: &ParamsDesc, name: &str) -> Option<Binding> {
    params.params().find_map(|p| {
        let d = p.destruct()?;
        let (_, node) = destruct_names(&d).into_iter().find(|(n, _)| n == name)?;
        Some(Binding::Param(node, p.expr()))
    })
}

/// The names a destructuring pattern binds, with their nodes.
fn destruct_names(d: &Destruct) -> Vec<(String, SyntaxNode)> {
    d.syntax()
        .descendants()
        .filter(|n| n.kind() == SyntaxKind::NAME)
        .filter(|n| {
            // Not the field names of `{field: pattern}` (those followed by a pattern).
            let parent = n.parent();
            !(parent
                .as_ref()
                .is_some_and(|p| p.kind() == SyntaxKind::DESTRUCT_OBJECT_FIELD)
                && parent
                    .as_ref()
                    .is_some_and(|p| p.children().any(|c| Destruct::can_cast(c.kind()))))
        })
        .filter_map(|n| Some((name_text(&n)?, n)))
        .collect()
}

/// Every binding visible at `node` (innermost first; a name shadowed is listed once).
pub fn visible_bindings(node: &SyntaxNode) -> Vec<(String, Binding)> {
    let Some(root) = node.ancestors().last() else {
        return Vec::new();
    };
    let mut names: Vec<String> = Vec::new();
    let binders = root.descendants().filter(|d| {
        d.kind() == SyntaxKind::NAME
            && matches!(
                d.parent().map(|p| p.kind()),
                Some(
                    SyntaxKind::DESTRUCT_FULL
                        | SyntaxKind::BIND_FUNCTION
                        | SyntaxKind::DESTRUCT_REST
                        | SyntaxKind::DESTRUCT_OBJECT_FIELD
                )
            )
    });
    for d in binders {
        if let Some(n) = name_text(&d) {
            if !names.contains(&n) {
                names.push(n);
            }
        }
    }
    names
        .into_iter()
        .filter_map(|n| lookup(node, &n).map(|b| (n, b)))
        .collect()
}
