//! The estimated cost of one CEL expression, as the API server computes it when a CRD
//! is created: cel-go's static estimator (`checker/cost.go`) with the Kubernetes
//! library's function costs (k8s.io/apiserver `pkg/cel/library/cost.go`) and sizes
//! read from the schema (`sizeEstimator` of apiextensions-apiserver
//! `pkg/apiserver/schema/cel/compilation.go`, over [`super::decl`]).
//!
//! Every expression gets a cost range and, where one is known, a size range: a
//! literal's size, a schema node's `MaxElements` reached by a path from `self`
//! (`self.spec.rules` → `@items` → …), or a size a call computed (`split`, `+`,
//! `map`). A comprehension (`all`, `exists`, `map`, …) costs its range's size times
//! the cost of one step; comparing or scanning strings costs a tenth of their size;
//! `matches` the string's size times a quarter of the pattern's.
//!
//! cel-go type-checks the expression first; there is no type checker here, so types
//! are inferred from the schema, literals and known function results. Where a type
//! stays unknown (a function this estimator does not know) the estimate takes the
//! cheapest reading: an unknown overload costs as an O(1) one, an unknown value's size
//! is 0 — so the estimate errs towards accepting a rule, never towards refusing it.
//!
//! Contact points: [`super::super::cel::Rules::estimated_cost`] estimates each rule
//! of a schema with [`estimate`], for [`super::estimate_schema`].

use std::rc::Rc;

use cel::common::ast::{operators as op, EntryExpr, Expr, LiteralValue};
use cel::IdedExpr;
use rustc_hash::FxHashMap;

use super::decl::{Decl, Shape};

/// A range of costs or sizes (cel-go's `CostEstimate` and `SizeEstimate`); every
/// operation saturates at `u64::MAX`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Range {
    /// The least.
    pub min: u64,
    /// The most.
    pub max: u64,
}

impl Range {
    /// Nothing known: anything from 0 to `u64::MAX`.
    const UNKNOWN: Self = Self {
        min: 0,
        max: u64::MAX,
    };

    /// Exactly `n`.
    const fn fixed(n: u64) -> Self {
        Self { min: n, max: n }
    }

    fn add(self, other: Self) -> Self {
        Self {
            min: self.min.saturating_add(other.min),
            max: self.max.saturating_add(other.max),
        }
    }

    fn mul(self, other: Self) -> Self {
        Self {
            min: self.min.saturating_mul(other.min),
            max: self.max.saturating_mul(other.max),
        }
    }

    /// Times a cost factor, rounded up (`MultiplyByCostFactor`).
    fn factor(self, f: f64) -> Self {
        let times = |x: u64| {
            let product = (x as f64 * f).ceil();
            if product >= 18_446_744_073_709_551_616.0 {
                u64::MAX
            } else {
                product as u64
            }
        };
        Self {
            min: times(self.min),
            max: times(self.max),
        }
    }

    fn union(self, other: Self) -> Self {
        Self {
            min: self.min.min(other.min),
            max: self.max.max(other.max),
        }
    }
}

/// cel-go's cost of scanning one character of a string (`StringTraversalCostFactor`).
const STRING_TRAVERSAL: f64 = 0.1;
/// cel-go's cost of one character of a regular expression
/// (`RegexStringLengthCostFactor`).
const REGEX_CHARACTER: f64 = 0.25;
/// The longest pattern of a Kubernetes named format (`MaxNameFormatRegexSize`).
const FORMAT_REGEX_SIZE: f64 = 128.0;

/// What the estimator knows of an expression's type.
#[derive(Debug, Clone)]
enum Ty<'s> {
    /// Declared by the schema.
    Decl(Decl<'s>),
    Bool,
    Int,
    Uint,
    Double,
    Str,
    Bytes,
    Null,
    Duration,
    Timestamp,
    /// A type (`int`, `string`, `type(x)`).
    Type,
    List(Rc<Ty<'s>>),
    Map(Rc<Ty<'s>>, Rc<Ty<'s>>),
    /// CEL's `dyn`.
    Dyn,
    /// Not known here (cel-go would know it).
    Unknown,
}

/// The kinds of types the cost rules tell apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Struct,
    Map,
    List,
    Str,
    Bytes,
    /// Of a constant size: booleans, numbers, durations, timestamps.
    Scalar,
    Dyn,
    Unknown,
    Other,
}

impl<'s> Ty<'s> {
    fn kind(&self) -> Kind {
        match self {
            Self::Decl(d) => match d.shape() {
                Some(Shape::Object) => Kind::Struct,
                Some(Shape::Map) => Kind::Map,
                Some(Shape::List) => Kind::List,
                Some(Shape::String) => Kind::Str,
                Some(Shape::Bytes) => Kind::Bytes,
                Some(Shape::Dyn) => Kind::Dyn,
                Some(_) => Kind::Scalar,
                None => Kind::Unknown,
            },
            Self::Bool | Self::Int | Self::Uint | Self::Double => Kind::Scalar,
            Self::Duration | Self::Timestamp => Kind::Scalar,
            Self::Str => Kind::Str,
            Self::Bytes => Kind::Bytes,
            Self::List(_) => Kind::List,
            Self::Map(..) => Kind::Map,
            Self::Dyn => Kind::Dyn,
            Self::Unknown => Kind::Unknown,
            Self::Null | Self::Type => Kind::Other,
        }
    }

    /// The type of a list's items, or of a map's keys (what a comprehension's single
    /// variable takes).
    fn element(&self) -> Self {
        match self {
            Self::List(t) | Self::Map(t, _) => (**t).clone(),
            Self::Decl(d) => d
                .items()
                .or_else(|| d.keys())
                .map_or(Self::Unknown, Self::Decl),
            _ => Self::Unknown,
        }
    }

    /// The type of a map's values, or of a list's items (what indexing gives).
    fn value(&self) -> Self {
        match self {
            Self::List(t) | Self::Map(_, t) => (**t).clone(),
            Self::Decl(d) => d
                .values()
                .or_else(|| d.items())
                .map_or(Self::Unknown, Self::Decl),
            _ => Self::Unknown,
        }
    }

    /// The type of field `name` of an object (or of a map's values).
    fn field(&self, name: &str) -> Self {
        match self {
            Self::Decl(d) => d
                .field(name)
                .or_else(|| d.values())
                .map_or(Self::Unknown, Self::Decl),
            Self::Map(_, v) => (**v).clone(),
            _ => Self::Unknown,
        }
    }

    /// `self` where it is known, else `other` (the result of `+`, `?:`).
    fn or(self, other: Self) -> Self {
        match (&self, &other) {
            (Self::Unknown | Self::Dyn, _) => other,
            (Self::List(t), Self::List(_)) if matches!(**t, Self::Unknown) => other,
            _ => self,
        }
    }
}

/// Where an expression's value sits in the schema (cel-go's field path, resolved as
/// the API server's size estimator resolves it: its first step is `self`).
#[derive(Debug, Clone, Copy)]
enum Path<'s> {
    /// No path.
    None,
    /// At a declaration.
    At(Decl<'s>),
    /// A path the declarations do not have.
    Lost,
}

impl<'s> Path<'s> {
    /// One step further. A path of one step is the root: the size estimator skips the
    /// first step, whatever its name.
    fn step(self, root: Decl<'s>, next: impl FnOnce(Decl<'s>) -> Option<Decl<'s>>) -> Self {
        match self {
            Self::None => Self::At(root),
            Self::At(d) => next(d).map_or(Self::Lost, Self::At),
            Self::Lost => Self::Lost,
        }
    }
}

/// The sizes of a list's or map's keys (indexes) and values (cel-go's
/// `entrySizeEstimate`).
#[derive(Debug, Clone, Copy)]
struct Entries {
    list: bool,
    key: Range,
    value: Range,
}

impl Entries {
    fn union(a: Option<Self>, b: Option<Self>) -> Option<Self> {
        let (a, b) = (a?, b?);
        Some(Self {
            list: a.list,
            key: a.key.union(b.key),
            value: a.value.union(b.value),
        })
    }
}

/// A variable of a comprehension.
#[derive(Debug, Clone)]
struct Local<'s> {
    path: Path<'s>,
    size: Option<Range>,
    entries: Option<Entries>,
    ty: Ty<'s>,
}

/// The estimator's state over one expression (cel-go's `coster`), by expression id.
struct Coster<'s> {
    root: Decl<'s>,
    sizes: FxHashMap<u64, Range>,
    entries: FxHashMap<u64, Entries>,
    paths: FxHashMap<u64, Path<'s>>,
    types: FxHashMap<u64, Ty<'s>>,
    locals: FxHashMap<String, Vec<Local<'s>>>,
}

/// The estimated cost of `expr` with `self` declared as `root`.
pub fn estimate(expr: &IdedExpr, root: Decl<'_>) -> Range {
    Coster {
        root,
        sizes: FxHashMap::default(),
        entries: FxHashMap::default(),
        paths: FxHashMap::default(),
        types: FxHashMap::default(),
        locals: FxHashMap::default(),
    }
    .cost(expr)
}

impl<'s> Coster<'s> {
    fn cost(&mut self, e: &IdedExpr) -> Range {
        match &e.expr {
            Expr::Literal(l) => {
                let ty = match l {
                    LiteralValue::Boolean(_) => Ty::Bool,
                    LiteralValue::Bytes(_) => Ty::Bytes,
                    LiteralValue::Double(_) => Ty::Double,
                    LiteralValue::Int(_) => Ty::Int,
                    LiteralValue::Null => Ty::Null,
                    LiteralValue::String(_) => Ty::Str,
                    LiteralValue::UInt(_) => Ty::Uint,
                };
                self.types.insert(e.id, ty);
                Range::fixed(0)
            }
            Expr::Ident(name) => {
                let (path, ty) = match self.local(name) {
                    Some(v) => (v.path, v.ty.clone()),
                    None => (Path::At(self.root), self.global(name)),
                };
                self.paths.insert(e.id, path);
                self.types.insert(e.id, ty);
                Range::fixed(1)
            }
            Expr::Select(s) => {
                // A presence test costs nothing in Kubernetes (PresenceTestHasCost(false)).
                let operand = self.cost(&s.operand);
                if s.test {
                    self.types.insert(e.id, Ty::Bool);
                    return operand;
                }
                let ty = self.ty(&s.operand);
                let selected = matches!(ty.kind(), Kind::Struct | Kind::Map);
                let path = self.path(&s.operand).step(self.root, |d| d.field(&s.field));
                self.paths.insert(e.id, path);
                self.types.insert(e.id, ty.field(&s.field));
                operand.add(Range::fixed(u64::from(selected)))
            }
            Expr::Call(c) if c.func_name == "dyn" && c.target.is_none() && c.args.len() == 1 => {
                let arg = &c.args[0];
                let cost = self.cost(arg);
                if let Some(size) = self.compute_size(arg) {
                    self.sizes.insert(e.id, size);
                }
                if let Some(entries) = self.entry_sizes(arg) {
                    self.entries.insert(e.id, entries);
                }
                self.types.insert(e.id, Ty::Dyn);
                Range::fixed(1).add(cost)
            }
            Expr::Call(c) => {
                let arg_costs: Vec<Range> = c.args.iter().map(|a| self.cost(a)).collect();
                let target_cost = c.target.as_deref().map(|t| self.cost(t));
                let ty = self.call_type(&c.func_name, c.target.as_deref(), &c.args);
                self.types.insert(e.id, ty);
                let (cost, size) =
                    self.call_cost(e.id, &c.func_name, c.target.as_deref(), &c.args, &arg_costs);
                if let Some(size) = size.or_else(|| self.compute_size(e)) {
                    self.sizes.insert(e.id, size);
                }
                target_cost.unwrap_or_default().add(cost)
            }
            Expr::List(l) => {
                let mut sum = Range::default();
                let mut items = Range {
                    min: if l.elements.is_empty() { 0 } else { u64::MAX },
                    max: 0,
                };
                for x in &l.elements {
                    sum = sum.add(self.cost(x));
                    items = items.union(self.size_or_unknown(x));
                }
                let item_ty = l.elements.first().map_or(Ty::Unknown, |x| self.ty(x));
                self.types.insert(e.id, Ty::List(Rc::new(item_ty)));
                let entries = Entries {
                    list: true,
                    key: Range::fixed(1),
                    value: items,
                };
                self.entries.insert(e.id, entries);
                sum.add(Range::fixed(10))
            }
            Expr::Map(m) => {
                let mut sum = Range::default();
                let empty = if m.entries.is_empty() { 0 } else { u64::MAX };
                let mut keys = Range { min: empty, max: 0 };
                let mut values = Range { min: empty, max: 0 };
                let mut tys = None;
                for entry in &m.entries {
                    let EntryExpr::MapEntry(x) = &entry.expr else {
                        continue;
                    };
                    sum = sum.add(self.cost(&x.key)).add(self.cost(&x.value));
                    keys = keys.union(self.size_or_unknown(&x.key));
                    values = values.union(self.size_or_unknown(&x.value));
                    tys.get_or_insert_with(|| (self.ty(&x.key), self.ty(&x.value)));
                }
                let (k, v) = tys.unwrap_or((Ty::Unknown, Ty::Unknown));
                self.types.insert(e.id, Ty::Map(Rc::new(k), Rc::new(v)));
                let entries = Entries {
                    list: false,
                    key: keys,
                    value: values,
                };
                self.entries.insert(e.id, entries);
                sum.add(Range::fixed(30))
            }
            Expr::Struct(s) => {
                let mut sum = Range::fixed(40);
                for entry in &s.entries {
                    if let EntryExpr::StructField(f) = &entry.expr {
                        sum = sum.add(self.cost(&f.value));
                    }
                }
                self.types.insert(e.id, Ty::Unknown);
                sum
            }
            Expr::Comprehension(c) => {
                let mut sum = self.cost(&c.iter_range).add(self.cost(&c.accu_init));
                let accu = Local {
                    path: self.path(&c.accu_init),
                    size: self.compute_size(&c.accu_init),
                    entries: self.entry_sizes(&c.accu_init),
                    ty: self.ty(&c.accu_init),
                };
                self.push(&c.accu_var, accu);
                let range = &c.iter_range;
                match &c.iter_var2 {
                    Some(value) => {
                        let key = self.iteration(range, Iterated::Key);
                        self.push(&c.iter_var, key);
                        let value_var = self.iteration(range, Iterated::Value);
                        self.push(value, value_var);
                    }
                    None => {
                        let single = self.iteration(range, Iterated::Single);
                        self.push(&c.iter_var, single);
                    }
                }
                let loop_cost = self.cost(&c.loop_cond);
                let step_cost = self.cost(&c.loop_step);
                self.pop(&c.iter_var);
                if let Some(value) = &c.iter_var2 {
                    self.pop(value);
                }
                // `map` and `filter` build their list in the step: that is its type.
                let step_ty = self.ty(&c.loop_step);
                if let Some(accu) = self.locals.get_mut(&c.accu_var).and_then(|v| v.last_mut()) {
                    accu.ty = std::mem::replace(&mut accu.ty, Ty::Unknown).or(step_ty);
                }
                sum = sum.add(self.cost(&c.result));
                let result_ty = self.ty(&c.result);
                self.types.insert(e.id, result_ty);
                self.pop(&c.accu_var);
                let count = self.size_or_unknown(range);
                sum = sum.add(count.mul(step_cost.add(loop_cost)));
                match &c.accu_init.expr {
                    Expr::Literal(_) => {
                        if let Some(size) = self.compute_size(&c.accu_init) {
                            self.sizes.insert(e.id, size);
                        }
                    }
                    Expr::List(_) | Expr::Map(_) => {
                        self.sizes.insert(e.id, count);
                        if let Some(entries) = self.entry_sizes(&c.loop_step) {
                            self.entries.insert(e.id, entries);
                        }
                    }
                    _ => {}
                }
                sum
            }
            Expr::Unspecified => Range::default(),
        }
    }

    /// The type of a name that is not a comprehension's variable: `self` and
    /// `oldSelf` are the node, a type's name is a type.
    fn global(&self, name: &str) -> Ty<'s> {
        match name {
            "self" | "oldSelf" => Ty::Decl(self.root),
            "int" | "uint" | "double" | "bool" | "string" | "bytes" | "list" | "map"
            | "null_type" | "type" => Ty::Type,
            _ => Ty::Unknown,
        }
    }

    fn local(&self, name: &str) -> Option<&Local<'s>> {
        self.locals.get(name)?.last()
    }

    fn push(&mut self, name: &str, v: Local<'s>) {
        self.locals.entry(name.to_owned()).or_default().push(v);
    }

    fn pop(&mut self, name: &str) {
        if let Some(stack) = self.locals.get_mut(name) {
            stack.pop();
        }
    }

    fn ty(&self, e: &IdedExpr) -> Ty<'s> {
        self.types.get(&e.id).cloned().unwrap_or(Ty::Unknown)
    }

    fn path(&self, e: &IdedExpr) -> Path<'s> {
        if let Expr::Ident(name) = &e.expr {
            if let Some(v) = self.local(name) {
                return v.path;
            }
        }
        self.paths.get(&e.id).copied().unwrap_or(Path::None)
    }

    fn entry_sizes(&self, e: &IdedExpr) -> Option<Entries> {
        if let Some(entries) = self.entries.get(&e.id) {
            return Some(*entries);
        }
        match &e.expr {
            Expr::Ident(name) => self.local(name)?.entries,
            _ => None,
        }
    }

    /// A comprehension variable over `range` (cel-go's `pushIterSingle`, `pushIterKey`,
    /// `pushIterValue`).
    fn iteration(&self, range: &IdedExpr, what: Iterated) -> Local<'s> {
        let entries = self.entry_sizes(range);
        let range_ty = self.ty(range);
        let list = match entries {
            Some(x) => x.list,
            None => range_ty.kind() == Kind::List,
        };
        let (size, ty) = match (what, list) {
            (Iterated::Single, true) | (Iterated::Value, _) => {
                (entries.map(|x| x.value), range_ty.value())
            }
            (Iterated::Single, false) => (entries.map(|x| x.key), range_ty.element()),
            (Iterated::Key, true) => (entries.map(|x| x.key), Ty::Int),
            (Iterated::Key, false) => (entries.map(|x| x.key), range_ty.element()),
        };
        let path = self.path(range).step(self.root, |d| match (what, list) {
            (Iterated::Single | Iterated::Value, true) => d.items(),
            (Iterated::Key, true) => None,
            (Iterated::Single | Iterated::Key, false) => d.keys(),
            (Iterated::Value, false) => d.values(),
        });
        Local {
            path,
            size,
            entries: None,
            ty,
        }
    }

    /// The size of `e`, when known (cel-go's `computeSize`): what a call computed, a
    /// literal's, the `MaxElements` of its declaration, 1 for a scalar, a variable's.
    fn compute_size(&mut self, e: &IdedExpr) -> Option<Range> {
        if let Some(size) = self.sizes.get(&e.id) {
            return Some(*size);
        }
        let literal = match &e.expr {
            Expr::Literal(LiteralValue::String(s)) => Some(s.inner().chars().count() as u64),
            Expr::Literal(LiteralValue::Bytes(b)) => Some(b.inner().len() as u64),
            Expr::Literal(_) => Some(1),
            Expr::List(l) => Some(l.elements.len() as u64),
            Expr::Map(m) => Some(m.entries.len() as u64),
            _ => None,
        };
        if let Some(n) = literal {
            return Some(Range::fixed(n));
        }
        if let Path::At(d) = self.path(e) {
            let size = Range {
                min: 0,
                max: d.max_elements(),
            };
            self.sizes.insert(e.id, size);
            return Some(size);
        }
        let ty = self.ty(e);
        if ty.kind() == Kind::Scalar {
            return Some(Range::fixed(1));
        }
        if let Expr::Ident(name) = &e.expr {
            if let Some(size) = self.local(name).and_then(|v| v.size) {
                return Some(size);
            }
        }
        // cel-go knows the type; here the least size is assumed.
        matches!(ty, Ty::Unknown).then_some(Range::fixed(0))
    }

    fn size_or_unknown(&mut self, e: &IdedExpr) -> Range {
        self.compute_size(e).unwrap_or(Range::UNKNOWN)
    }

    /// The size of the items of list `e`, as the Kubernetes library reads it: from
    /// the declaration of its items, when `e` has a path.
    fn item_size(&self, e: &IdedExpr) -> Range {
        match self.path(e) {
            Path::At(d) => d.items().map_or(Range::UNKNOWN, |i| Range {
                min: 0,
                max: i.max_elements(),
            }),
            Path::None | Path::Lost => Range::UNKNOWN,
        }
    }

    /// The type of a call's result.
    fn call_type(&self, name: &str, target: Option<&IdedExpr>, args: &[IdedExpr]) -> Ty<'s> {
        let arg = |i: usize| args.get(i).map_or(Ty::Unknown, |a| self.ty(a));
        match name {
            op::EQUALS
            | op::NOT_EQUALS
            | op::LESS
            | op::LESS_EQUALS
            | op::GREATER
            | op::GREATER_EQUALS
            | op::LOGICAL_AND
            | op::LOGICAL_OR
            | op::LOGICAL_NOT
            | op::NOT_STRICTLY_FALSE
            | op::IN
            | "startsWith"
            | "endsWith"
            | "contains"
            | "matches"
            | "isIP"
            | "isCIDR"
            | "isURL"
            | "isQuantity"
            | "isSemver"
            | "isSorted"
            | "isInteger"
            | "isGreaterThan"
            | "isLessThan"
            | "includes" => Ty::Bool,
            "size" | "indexOf" | "lastIndexOf" | "int" | "getFullYear" | "getMonth" | "getDate"
            | "getDayOfMonth" | "getDayOfWeek" | "getDayOfYear" | "getHours" | "getMinutes"
            | "getSeconds" | "getMilliseconds" | "sign" | "compareTo" | "asInteger" | "major"
            | "minor" | "patch" | "prefixLength" | "family" => Ty::Int,
            "uint" => Ty::Uint,
            "double" | "asApproximateFloat" => Ty::Double,
            "string" | "lowerAscii" | "upperAscii" | "trim" | "replace" | "substring"
            | "charAt" | "join" | "format" | "strings.quote" | "getScheme" | "getHost"
            | "getHostname" | "getPort" | "getEscapedPath" => Ty::Str,
            "bytes" => Ty::Bytes,
            "split" => Ty::List(Rc::new(Ty::Str)),
            "duration" => Ty::Duration,
            "timestamp" => Ty::Timestamp,
            "type" => Ty::Type,
            op::ADD | op::SUBSTRACT | op::MULTIPLY | op::DIVIDE | op::MODULO => arg(0).or(arg(1)),
            op::NEGATE => arg(0),
            op::CONDITIONAL => arg(1).or(arg(2)),
            op::INDEX => arg(0).value(),
            "sum" | "min" | "max" => target.map_or(Ty::Unknown, |t| self.ty(t).value()),
            _ => Ty::Unknown,
        }
    }

    /// The cost of a call, its arguments' included, and the size of its result when
    /// the call computes one (cel-go's `functionCost` after the Kubernetes library's
    /// `EstimateCallCost`); sets the path of an index.
    fn call_cost(
        &mut self,
        id: u64,
        name: &str,
        target: Option<&IdedExpr>,
        args: &[IdedExpr],
        arg_costs: &[Range],
    ) -> (Range, Option<Range>) {
        let args_cost = arg_costs.iter().fold(Range::default(), |a, &b| a.add(b));
        let with_args = |cost: Range| cost.add(args_cost);
        let arg_kind = |s: &Self, i: usize| args.get(i).map_or(Kind::Unknown, |a| s.ty(a).kind());
        let scan = |size: Range| size.factor(STRING_TRAVERSAL);
        // The Kubernetes library's functions (a member call has its target).
        match (name, target, args.len()) {
            ("lowerAscii" | "upperAscii" | "substring" | "trim", Some(t), _) => {
                let size = self.size_or_unknown(t);
                return (with_args(scan(size)), Some(size));
            }
            (
                "isSorted" | "sum" | "max" | "min" | "indexOf" | "lastIndexOf" | "includes",
                Some(t),
                _,
            ) => {
                let list = self.size_or_unknown(t);
                let cost = match self.ty(t).kind() {
                    Kind::List => {
                        let item = self.ty(t).value().kind();
                        let mut each = Range::fixed(1);
                        if matches!(item, Kind::Str | Kind::Bytes) {
                            each = each.add(scan(self.item_size(t)));
                        }
                        list.mul(each)
                    }
                    _ if name == "includes" => list,
                    _ => scan(list),
                };
                return (with_args(cost), None);
            }
            ("replace", Some(t), 2..) => {
                let size = self.size_or_unknown(t);
                let from = self.size_or_unknown(&args[0]);
                let to = self.size_or_unknown(&args[1]);
                let result = replaced_size(size, from, to);
                return (with_args(size.factor(2.0 * STRING_TRAVERSAL)), Some(result));
            }
            ("split", Some(t), _) => {
                let size = self.size_or_unknown(t);
                let limit = match args.get(1).map(|a| &a.expr) {
                    Some(Expr::Literal(LiteralValue::Int(n))) => i64::from(*n) as u64,
                    _ => size.max,
                };
                let result = Range { min: 0, max: limit };
                return (with_args(size.factor(2.0 * STRING_TRAVERSAL)), Some(result));
            }
            ("join", Some(t), _) => {
                let list = self.size_or_unknown(t);
                let mut size = Range::default();
                if self.ty(t).kind() == Kind::List {
                    size = list.mul(self.item_size(t));
                }
                if let Some(separator) = args.first() {
                    let separators = Range {
                        min: list.min.saturating_sub(1),
                        max: list.max.saturating_sub(1),
                    };
                    size = size.add(self.size_or_unknown(separator).mul(separators));
                }
                return (with_args(scan(size)), Some(size));
            }
            ("find" | "findAll", Some(t), 1..) => {
                let size = self.size_or_unknown(t);
                let text = scan(size.add(Range::fixed(1)));
                let pattern = self.size_or_unknown(&args[0]).factor(REGEX_CHARACTER);
                let result = Range {
                    min: 0,
                    max: size.max,
                };
                return (with_args(text.mul(pattern)), Some(result));
            }
            ("url" | "jsonpatch.escapeKey", None, 1) => {
                let size = self.size_or_unknown(&args[0]);
                return (with_args(scan(size)), Some(size));
            }
            (
                "isIP" | "isCIDR" | "cidr" | "ip" | "quantity" | "isQuantity" | "semver"
                | "isSemver",
                None,
                1..,
            ) => {
                return (with_args(scan(self.size_or_unknown(&args[0]))), None);
            }
            ("ip.isCanonical", None, 1..) => {
                let size = self.size_or_unknown(&args[0]);
                return (with_args(size.factor(2.0 * STRING_TRAVERSAL)), None);
            }
            ("containsIP" | "containsCIDR", Some(_), 1..) => {
                let address = Range { min: 4, max: 16 };
                let mut cost = scan(address.add(address));
                if name == "containsCIDR" {
                    cost = cost.add(scan(address)).add(Range::fixed(1));
                }
                if arg_kind(self, 0) == Kind::Str {
                    cost = cost.add(scan(self.size_or_unknown(&args[0])));
                }
                return (with_args(cost), None);
            }
            ("validate", Some(_), 1..) => {
                let size = self.size_or_unknown(&args[0]);
                let cost = scan(size).factor(FORMAT_REGEX_SIZE * REGEX_CHARACTER);
                return (with_args(cost), None);
            }
            _ => {}
        }
        // cel-go's own overloads.
        let sizes = |s: &mut Self| {
            let a = args
                .first()
                .map_or(Range::UNKNOWN, |a| s.size_or_unknown(a));
            let b = args.get(1).map_or(Range::UNKNOWN, |b| s.size_or_unknown(b));
            (a, b)
        };
        match (name, target) {
            ("format", Some(t)) if self.ty(t).kind() == Kind::Str => {
                return (with_args(scan(self.size_or_unknown(t))), None);
            }
            ("bytes", None) if arg_kind(self, 0) == Kind::Str => {
                let size = sizes(self).0;
                let result = Range {
                    min: size.min,
                    max: size.max.saturating_mul(4),
                };
                return (with_args(scan(size)), Some(result));
            }
            ("string", None) if arg_kind(self, 0) == Kind::Bytes => {
                let size = sizes(self).0;
                let result = Range {
                    min: size.min / 4,
                    max: size.max,
                };
                return (with_args(scan(size)), Some(result));
            }
            ("strings.quote", None) if !args.is_empty() => {
                let size = sizes(self).0;
                let result = Range {
                    min: size.min.saturating_add(2),
                    max: size.max.saturating_mul(2).saturating_add(2),
                };
                return (with_args(scan(size)), Some(result));
            }
            ("startsWith" | "endsWith", Some(_)) if args.len() == 1 => {
                return (with_args(scan(sizes(self).0)), None);
            }
            (op::IN, None) if arg_kind(self, 1) == Kind::List => {
                return (with_args(sizes(self).1), None);
            }
            ("matches", Some(t)) if args.len() == 1 => {
                let text = scan(self.size_or_unknown(t).add(Range::fixed(1)));
                let pattern = sizes(self).0.factor(REGEX_CHARACTER);
                return (with_args(text.mul(pattern)), None);
            }
            ("contains", Some(t)) if args.len() == 1 && self.ty(t).kind() == Kind::Str => {
                let text = scan(self.size_or_unknown(t));
                let part = scan(sizes(self).0);
                return (with_args(text.mul(part)), None);
            }
            (op::LOGICAL_AND | op::LOGICAL_OR, None) if arg_costs.len() == 2 => {
                let (l, r) = (arg_costs[0], arg_costs[1]);
                let cost = Range {
                    min: l.min,
                    max: l.max.saturating_add(r.max),
                };
                return (cost, None);
            }
            (op::CONDITIONAL, None) if arg_costs.len() == 3 => {
                let size = self
                    .size_or_unknown(&args[1])
                    .union(self.size_or_unknown(&args[2]));
                let entries =
                    Entries::union(self.entry_sizes(&args[1]), self.entry_sizes(&args[2]));
                if let Some(entries) = entries {
                    self.entries.insert(id, entries);
                }
                let cost = arg_costs[0].add(arg_costs[1].union(arg_costs[2]));
                return (cost, Some(size));
            }
            (op::ADD, None) if args.len() == 2 => {
                let kinds = [arg_kind(self, 0), arg_kind(self, 1)];
                let of = |k: Kind| kinds.contains(&k);
                if of(Kind::Str) || of(Kind::Bytes) || of(Kind::List) {
                    let (a, b) = sizes(self);
                    let size = a.add(b);
                    let entries =
                        Entries::union(self.entry_sizes(&args[0]), self.entry_sizes(&args[1]));
                    if let Some(entries) = entries {
                        self.entries.insert(id, entries);
                    }
                    let cost = if of(Kind::List) {
                        Range::fixed(1)
                    } else {
                        scan(size)
                    };
                    return (with_args(cost), Some(size));
                }
            }
            (op::LESS | op::LESS_EQUALS | op::GREATER | op::GREATER_EQUALS, None)
                if matches!(arg_kind(self, 0), Kind::Str | Kind::Bytes) =>
            {
                return (with_args(compared(sizes(self))), None);
            }
            (op::EQUALS | op::NOT_EQUALS, None) if args.len() == 2 => {
                return (with_args(compared(sizes(self))), None);
            }
            (op::INDEX, None) if args.len() == 2 => {
                let (list, map) = match arg_kind(self, 0) {
                    Kind::List => (true, false),
                    Kind::Map => (false, true),
                    _ => (false, false),
                };
                let mut size = None;
                if list || map {
                    size = self.entry_sizes(&args[0]).map(|x| x.value);
                    let path = self.path(&args[0]).step(self.root, |d| {
                        if list {
                            d.items()
                        } else {
                            d.values()
                        }
                    });
                    self.paths.insert(id, path);
                }
                return (with_args(Range::fixed(1)), size);
            }
            _ => {}
        }
        // Everything else is O(1).
        (with_args(Range::fixed(1)), None)
    }
}

/// Which variable of a comprehension.
#[derive(Debug, Clone, Copy)]
enum Iterated {
    /// The only one: a list's items, a map's keys.
    Single,
    /// The first of two: a list's indexes, a map's keys.
    Key,
    /// The second of two: a list's items, a map's values.
    Value,
}

/// The cost of comparing two values of these sizes (`==`, `!=`, `<` on strings): a
/// scan of the shorter.
fn compared((a, b): (Range, Range)) -> Range {
    let shortest = a.max.min(b.max);
    Range {
        min: u64::from(shortest > 0),
        max: shortest,
    }
    .factor(STRING_TRAVERSAL)
}

/// The size of `s.replace(from, to)` (the Kubernetes library's estimate).
fn replaced_size(s: Range, from: Range, to: Range) -> Range {
    let (mut count, mut kept) = (Range::default(), Range::default());
    if from.min == 0 {
        count.max = s.max.saturating_add(1);
        kept.max = s.max;
    } else if to.max <= from.min {
        kept.max = s.max;
    } else {
        count.max = (s.max as f64 / from.min as f64).ceil() as u64;
    }
    if from.max == 0 {
        count.min = s.min.saturating_add(1);
        kept.min = s.min;
    } else if from.max <= to.min {
        kept.min = s.min;
    } else {
        count.min = (s.min as f64 / from.max as f64).ceil() as u64;
    }
    count.mul(to).add(kept)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Schema;

    fn cost(rule: &str, schema: serde_json::Value) -> u64 {
        let s = Schema::from_json(&schema).unwrap();
        let p = cel::Env::stdlib().compile(rule).unwrap();
        estimate(p.expression(), Decl::Node(&s, false)).max
    }

    fn list(extra: serde_json::Value) -> serde_json::Value {
        let mut items = serde_json::json!({"type": "array", "items": {"type": "integer"}});
        items
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        serde_json::json!({"type": "object", "properties": {"items": items}})
    }

    #[test]
    fn comprehensions_cost_their_range_times_their_step() {
        let n = |extra| {
            cost(
                "self.items.all(x, self.items.exists(y, y == x))",
                list(extra),
            )
        };
        // all: 3 + N (2 + 1 + exists), exists: 3 + N (3 + 1 + 2) (cel-go: the same).
        assert_eq!(
            n(serde_json::json!({"maxItems": 1000})),
            3 + 1000 * (6 + 6 * 1000)
        );
        assert_eq!(n(serde_json::json!({"maxItems": 10})), 3 + 10 * (6 + 60));
        let unbounded = (3 * 1024 * 1024 - 2) / 2;
        assert_eq!(
            n(serde_json::json!({})),
            3 + unbounded * (6 + 6 * unbounded)
        );
        let one = |extra| cost("self.items.exists_one(y, y == 1)", list(extra));
        // A step: `y == 1` (1: an integer's declared size is 0), `?:`, `@result + 1` (2).
        assert_eq!(one(serde_json::json!({"maxItems": 100})), 4 + 100 * 3);
        let mapped = cost(
            "self.items.map(x, x * 2).filter(y, y > 4).size() == 0",
            list(serde_json::json!({"maxItems": 10})),
        );
        // map: 2 + 10 + 10 (1 + 1 + 10 + 3); filter over its 10: 10 + 10 (2 + 1 + 1 + 10 + 1) +
        // 1; size 1; == 1.
        assert!(mapped > 100 && mapped < 500, "{mapped}");
    }

    /// A schema shape of the API server's own cost tests, given the maximum they set
    /// (`maxItems`, `maxProperties` or `maxLength`, by shape) or none.
    type Shape = fn(Option<u64>) -> serde_json::Value;

    /// The element schema the API server's tests name by a word.
    fn typed(t: &str) -> serde_json::Value {
        match t {
            "duration" | "date" | "date-time" => serde_json::json!({"type": "string", "format": t}),
            "int-or-string" => serde_json::json!({"x-kubernetes-int-or-string": true}),
            _ => serde_json::json!({"type": t}),
        }
    }

    fn with(mut v: serde_json::Value, key: &str, max: Option<u64>) -> serde_json::Value {
        if let Some(m) = max {
            v[key] = m.into();
        }
        v
    }

    fn array_of(t: &str, max: Option<u64>) -> serde_json::Value {
        with(
            serde_json::json!({"type": "array", "items": typed(t)}),
            "maxItems",
            max,
        )
    }

    fn map_of(values: serde_json::Value, max: Option<u64>) -> serde_json::Value {
        let map = serde_json::json!({"type": "object", "additionalProperties": values});
        with(map, "maxProperties", max)
    }

    /// `{required: string, optional: string}`, `required` required.
    fn required_object() -> serde_json::Value {
        serde_json::json!({"type": "object", "required": ["required"], "properties": {
            "required": {"type": "string"}, "optional": {"type": "string"}}})
    }

    #[test]
    fn the_api_servers_own_cost_cases_estimate_the_same() {
        // apiextensions-apiserver `pkg/apiserver/schema/cel/compilation_test.go`
        // (TestCostEstimation, commit 1aa2717; its `has()` cases check no cost): each
        // rule on its schema without the maximum and with it, and the cost the API
        // server estimates for each (`u64::MAX`: over 10,000,000).
        let cases: &[(&str, Shape, u64, u64, u64)] = &[
            (
                "self.all(x, true)",
                |m| array_of("number", m),
                4718591,
                10,
                32,
            ),
            (
                "self.all(x, true)",
                |m| array_of("string", m),
                3145727,
                20,
                62,
            ),
            (
                "self.all(x, true)",
                |m| array_of("boolean", m),
                1887437,
                5,
                17,
            ),
            (
                "self.all(x, true)",
                |m| {
                    with(
                        serde_json::json!({"type": "array", "items": {"type": "array", "items": {"type": "number"}}}),
                        "maxItems",
                        m,
                    )
                },
                3145727,
                100,
                302,
            ),
            (
                "self.all(x, true)",
                |m| {
                    with(
                        serde_json::json!({"type": "array", "items": required_object()}),
                        "maxItems",
                        m,
                    )
                },
                555128,
                50,
                152,
            ),
            (
                "self.all(x, true)",
                |m| map_of(typed("number"), m),
                1348169,
                10,
                32,
            ),
            (
                "self.all(x, true)",
                |m| map_of(typed("string"), m),
                1179647,
                3,
                11,
            ),
            (
                "self.all(x, true)",
                |m| map_of(typed("boolean"), m),
                943718,
                100,
                302,
            ),
            (
                "self.contains('test')",
                |m| with(typed("string"), "maxLength", m),
                314574,
                10,
                5,
            ),
            (
                "self.startsWith('test')",
                |m| with(typed("string"), "maxLength", m),
                2,
                15,
                2,
            ),
            (
                "self.endsWith('test')",
                |m| with(typed("string"), "maxLength", m),
                2,
                30,
                2,
            ),
            (
                "size(self + \"hello\") > size(\"hello\")",
                |m| with(typed("string"), "maxLength", m),
                314578,
                4,
                7,
            ),
            ("self[1] == 0.0", |m| array_of("number", m), 2, 5000, 2),
            (
                "self[1] == self[1]",
                |m| array_of("string", m),
                314577,
                8,
                314577,
            ),
            (
                "self.all(x, self.all(y, true))",
                |m| array_of("number", m),
                u64::MAX,
                10,
                352,
            ),
            (
                "self.all(x, self.all(y, self.all(z, true)))",
                |m| array_of("number", m),
                u64::MAX,
                10,
                3552,
            ),
            (
                "self.matches(\"x\")",
                |m| with(typed("string"), "maxLength", m),
                314574,
                50,
                22,
            ),
            (
                "\"\".matches(\"(((((((((())))))))))[0-9]\")",
                |m| with(typed("string"), "maxLength", m),
                7,
                10,
                7,
            ),
            (
                "self.matches(\"\")",
                |m| with(typed("string"), "maxLength", m),
                1,
                100,
                1,
            ),
            (
                "self.all(x, x.contains(self[x]))",
                |m| map_of(with(typed("string"), "maxLength", m), m),
                2752507,
                10,
                72,
            ),
            ("self[3] == 0.0", |m| array_of("number", m), 2, 0, 2),
            (
                "self[\"x\"] == 0.0",
                |m| map_of(typed("number"), m),
                2,
                0,
                2,
            ),
            (
                "self == \"x\"",
                |m| with(typed("string"), "maxLength", m),
                2,
                0,
                1,
            ),
            (
                "self == b\"x\"",
                |m| {
                    with(
                        serde_json::json!({"type": "string", "format": "byte"}),
                        "maxLength",
                        m,
                    )
                },
                2,
                0,
                1,
            ),
            (
                "self.all(x, x == 0.0)",
                |m| array_of("number", m),
                6291454,
                3 * 1024 * 2048,
                25165826,
            ),
            (
                "self.all(x, x[\"y\"].required == \"z\")",
                |m| {
                    with(
                        serde_json::json!({"type": "array", "items": map_of(with(required_object(), "maxProperties", m), m)}),
                        "maxItems",
                        m,
                    )
                },
                7340027,
                10,
                72,
            ),
            (
                "self.all(x, x[\"y\"].required == \"z\")",
                |m| serde_json::json!({"type": "array", "items": map_of(required_object(), m)}),
                7340027,
                10,
                7340027,
            ),
            (
                "self.all(x, true)",
                |m| array_of("int-or-string", m),
                4718591,
                10,
                32,
            ),
            ("self[0] == 5", |m| array_of("int-or-string", m), 3, 10, 3),
            ("self[0] == false", |m| array_of("boolean", m), 2, 25, 2),
            (
                "self[0] == null",
                |m| {
                    with(
                        serde_json::json!({"type": "array", "items": required_object()}),
                        "maxItems",
                        m,
                    )
                },
                2,
                422,
                2,
            ),
            (
                "self[0][0] == -1.0",
                |m| {
                    with(
                        serde_json::json!({"type": "array", "items": {"type": "array", "items": {"type": "number"}}}),
                        "maxItems",
                        m,
                    )
                },
                3,
                51,
                3,
            ),
            (
                "self.all(x, x.y == 25.2)",
                |m| {
                    with(
                        serde_json::json!({"type": "array", "items": map_of(typed("number"), None)}),
                        "maxItems",
                        m,
                    )
                },
                6291452,
                12,
                74,
            ),
            (
                "self[0].x > 2.0",
                |m| {
                    with(
                        serde_json::json!({"type": "array", "items": map_of(typed("number"), None)}),
                        "maxItems",
                        m,
                    )
                },
                4,
                3000,
                4,
            ),
            (
                "self.all(x, true)",
                |m| array_of("duration", m),
                2359295,
                5,
                17,
            ),
            (
                "self[0].getHours() == 2",
                |m| array_of("duration", m),
                4,
                525,
                4,
            ),
            ("self.all(x, true)", |m| array_of("date", m), 725936, 15, 47),
            (
                "self[2].getDayOfMonth() == 13",
                |m| array_of("date", m),
                4,
                42,
                4,
            ),
            (
                "self.all(x, true)",
                |m| array_of("date-time", m),
                428963,
                25,
                77,
            ),
            (
                "self[2].getMinutes() == 45",
                |m| array_of("date-time", m),
                4,
                99,
                4,
            ),
            (
                "self.all(x, true)",
                |m| map_of(typed("int-or-string"), m),
                1348169,
                15,
                47,
            ),
            (
                "self.all(x, true)",
                |m| map_of(required_object(), m),
                428963,
                20,
                62,
            ),
            (
                "self.all(x, true)",
                |m| map_of(map_of(typed("number"), None), m),
                1179647,
                10,
                32,
            ),
            (
                "self.all(x, true)",
                |m| map_of(array_of("number", None), m),
                1179647,
                25,
                77,
            ),
            (
                "self.all(x, true)",
                |m| map_of(typed("duration"), m),
                1048577,
                5,
                17,
            ),
            (
                "self.all(x, true)",
                |m| map_of(typed("date"), m),
                524288,
                10,
                32,
            ),
            (
                "self.all(x, true)",
                |m| map_of(typed("date-time"), m),
                349526,
                25,
                77,
            ),
            (
                "self.find('[0-9]+') == ''",
                |m| with(typed("string"), "maxLength", m),
                629147,
                10,
                11,
            ),
            (
                "self.join(' ') == 'aa bb'",
                |m| {
                    with(
                        serde_json::json!({"type": "array", "items": with(typed("string"), "maxLength", m)}),
                        "maxItems",
                        m,
                    )
                },
                329853068905,
                10,
                43,
            ),
            (
                "self.isSorted() == true",
                |m| {
                    with(
                        serde_json::json!({"type": "array", "items": with(typed("string"), "maxLength", m)}),
                        "maxItems",
                        m,
                    )
                },
                329854432052,
                10,
                52,
            ),
            (
                "self.str.replace(self.before, self.after) == 'does not matter'",
                |m| serde_json::json!({"type": "object", "properties": {"str": with(typed("string"), "maxLength", m), "before": {"type": "string", "maxLength": 2}, "after": {"type": "string", "maxLength": 4}}}),
                629154,
                4,
                12,
            ),
            (
                "self.str.split(self.separator) == []",
                |m| serde_json::json!({"type": "object", "properties": {"str": with(typed("string"), "maxLength", m), "separator": with(typed("string"), "maxLength", m)}}),
                629160,
                10,
                22,
            ),
            (
                "self.lowerAscii() == 'lower!'",
                |m| with(typed("string"), "maxLength", m),
                314575,
                10,
                6,
            ),
            (
                "oldSelf.size() == self.size()",
                |m| map_of(typed("integer"), m),
                5,
                10,
                5,
            ),
            (
                "self[\"a\"] == self[\"b\"]",
                |m| map_of(typed("date-time"), m),
                8,
                7,
                8,
            ),
            (
                "self[\"c\"] == self[\"d\"]",
                |m| map_of(typed("duration"), m),
                8,
                42,
                8,
            ),
            (
                "self.contains('A')",
                |m| {
                    with(
                        serde_json::json!({"type": "string", "enum": ["A", "B", "C", "LongValue"]}),
                        "maxLength",
                        m,
                    )
                },
                2,
                1000,
                401,
            ),
            (
                "isQuantity(self)",
                |m| with(typed("int-or-string"), "maxLength", m),
                314574,
                20,
                9,
            ),
        ];
        assert_eq!(cases.len(), 58, "two checks each: README.md counts 116");
        let mut wrong = Vec::new();
        for &(rule, shape, unset, max, set) in cases {
            for (m, want) in [(None, unset), (Some(max), set)] {
                let got = cost(rule, shape(m));
                let same = match want {
                    u64::MAX => got > 10_000_000,
                    w => got == w,
                };
                if !same {
                    wrong.push(format!("{rule} (max {m:?}): {got}, the API server {want}"));
                }
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn strings_cost_a_tenth_of_their_size() {
        let s = |max: Option<u64>| {
            let mut name = serde_json::json!({"type": "string"});
            if let Some(m) = max {
                name["maxLength"] = m.into();
            }
            serde_json::json!({"type": "object", "properties": {"a": name.clone(), "b": name}})
        };
        // Two selects and a scan of 4 × 100 characters.
        assert_eq!(cost("self.a == self.b", s(Some(100))), 4 + 40);
        assert_eq!(cost("self.a.startsWith('abc')", s(Some(100))), 2 + 1);
        // (40 + 1) / 10 for the string times 8 / 4 for the pattern.
        assert_eq!(cost("self.a.matches('^[a-z]+$')", s(Some(10))), 2 + 5 * 2);
        let unbounded = cost("self.a.lowerAscii() == 'x'", s(None));
        assert_eq!(unbounded, 2 + 314_573 + 1);
        // An unknown function is O(1), its result of size 0.
        assert_eq!(
            cost("self.a.frobnicate() == self.b.frobnicate()", s(None)),
            4 + 2
        );
    }
}
