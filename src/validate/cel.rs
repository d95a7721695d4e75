//! `x-kubernetes-validations`: each rule compiled once with the `cel` crate and
//! evaluated with `self` bound to the node's value, as the API server does.
//!
//! The environment is CEL's standard library (macros `has`, `all`, `exists`,
//! `exists_one`, `map`, `filter`; `size`, `contains`, `startsWith`, `endsWith`,
//! `matches`, `duration`, `timestamp`, conversions), the strings extension Kubernetes
//! enables (`split`, `substring`, `join`, `lowerAscii`, `indexOf`, `replace`, `trim`,
//! ...), and the Kubernetes library functions the Gateway API rules call, implemented
//! here: `matches` (RE2's ASCII classes, each expression compiled once), `isIP` and
//! `format.dns1123Label().validate`. [`SUPPORTED`] lists every function
//! a rule may call; a rule calling anything else is reported "not checked" before it is
//! run, so an unimplemented function can never make a rule pass.
//!
//! Values are presented as Kubernetes presents them: `integer` as `int`, `number` as
//! `double` (also when written without a fraction), property names
//! that are CEL keywords or contain `.`, `-`, `/`, `__` escaped (`__namespace__`,
//! `__dash__`, ...), map keys (`additionalProperties`) as they are. Rules that use
//! `oldSelf` (transition rules) run only on an update, with an old value at the node;
//! otherwise they are skipped and counted. An object is converted to the
//! interpreter's values once, bottom-up ([`super::structural`] builds each node's value
//! from its children's), borrowing the object's strings; lists and maps are
//! [`Shared`], so the copies the interpreter makes cost a reference count. A node's
//! value is bound as `self` once, in a scope all the node's rules share.
//! [`Rules::remembering`] (a batch of objects) remembers outcomes by node and value,
//! and by rule and the scalars it reads.
//! Known gaps: `date-time` strings stay strings (Kubernetes makes them timestamps); no
//! cost limits.

use rustc_hash::FxHashMap;
use std::{cell::RefCell, collections::HashMap, rc::Rc, sync::Arc};

use cel::{
    common::{
        traits::{Adder, Comparer, Container, Indexer, Iterable, Sizer, Zeroer},
        types::{CelBool, CelDouble, CelInt, CelList, CelMap, CelMapKey, CelNull, CelString, Type},
        value::{Builtin, BuiltinRef, CowVal, Val},
    },
    extractors::This,
    Context, Env, ExecutionError, IdedExpr, Program, Value as Cel,
};
use serde_json::Value;

use super::{show_value, Finding, Path, Report, Severity};
use crate::model::{AdditionalProperties, Schema, SchemaType, ValidationRule};

/// Every function a rule may call (operators aside): CEL's standard library and
/// strings extension as the `cel` crate implements them, and the Kubernetes library
/// functions defined here.
pub const SUPPORTED: &[&str] = &[
    // CEL standard library.
    "size",
    "contains",
    "startsWith",
    "endsWith",
    "int",
    "uint",
    "double",
    "string",
    "bool",
    "bytes",
    "duration",
    "timestamp",
    "type",
    "dyn",
    // Strings extension (Kubernetes enables it).
    "charAt",
    "indexOf",
    "lastIndexOf",
    "join",
    "lowerAscii",
    "upperAscii",
    "trim",
    "replace",
    "split",
    "substring",
    // Implemented in this module: `matches` (CEL's, compiled once) and the Kubernetes
    // libraries.
    "matches",
    "isIP",
    "format.dns1123Label",
    "validate",
];

/// A rule ready to run, or why it is not run.
enum Compiled {
    /// Compiled; only calls supported functions. With what it reads of `self`, when
    /// that is nothing but chains of fields ([`self_reads`]).
    Ready(Program, Option<Vec<Read>>),
    /// Uses `oldSelf`: run only when there is an old value.
    Transition(Program),
    /// Cannot be checked here: the reason.
    NotChecked(String),
}

/// The CEL environment, the root context and the compiled rules, by rule text.
pub struct Rules {
    env: Arc<Env>,
    root: Context<'static, 'static>,
    compiled: RefCell<FxHashMap<String, Rc<Compiled>>>,
    /// The same, by the address and length of the rule text in the schema, with the
    /// text to confirm it: hashing a pointer costs less than hashing the rule, and a
    /// node's rules are looked up for every object.
    by_address: RefCell<FxHashMap<(usize, usize), ByAddress>>,
    /// With [`Rules::remember`]: the outcome of a node's rules on a small value, by
    /// the node's address and the value as JSON (paths relative to the node).
    memo: Option<RefCell<FxHashMap<MemoKey, Rc<Report>>>>,
    /// With [`Rules::remember`]: the outcome of a rule that reads only fields of
    /// `self`, by the rule's address and what it read ([`project`]).
    rule_memo: Option<RefCell<FxHashMap<MemoKey, Option<Finding>>>>,
}

/// A rule's text and its compiled form, found by the address of the text.
type ByAddress = (String, Rc<Compiled>);

/// A node (its address) and a value of it (as JSON).
type MemoKey = (usize, Vec<u8>);

/// Values of at most this many JSON nodes have their outcomes remembered.
const MEMO_NODES: usize = 48;

/// Outcomes remembered at most (the memo starts over when full).
const MEMO_ENTRIES: usize = 1 << 16;

impl Rules {
    /// The environment with the Kubernetes functions; nothing compiled yet.
    pub fn new() -> Self {
        let mut env = Env::stdlib();
        // Only fails when the extension is added twice.
        let _ = env.add_extension(cel::extensions::strings);
        let env = Arc::new(env);
        let mut root = Context::with_env(Arc::clone(&env));
        // These names are not overloads of the environment, so adding cannot fail.
        let _ = root.add_function("isIP", is_ip);
        let _ = root.add_function("matches", matches);
        let _ = root.add_function("format.dns1123Label", || {
            Cel::String(Arc::new("dns1123Label".to_owned()))
        });
        let _ = root.add_function("validate", validate_format);
        Self {
            env,
            root,
            compiled: RefCell::default(),
            by_address: RefCell::default(),
            memo: None,
            rule_memo: None,
        }
    }

    /// The same, remembering the outcome of each node's rules on each small value it
    /// sees, so a value repeated across objects (a filter, a path match, a backend
    /// reference) is judged once: a rule's outcome depends on nothing but the node
    /// and its value. A rule that reads only fields of `self` (`self.type`,
    /// `has(self.cors)`) is also remembered by what it read, so values that differ
    /// elsewhere share its outcome. Nodes are told apart by address, so every schema this is used
    /// with must stay alive and in place as long as it is (one batch of kinds).
    pub fn remembering() -> Self {
        Self {
            memo: Some(RefCell::default()),
            rule_memo: Some(RefCell::default()),
            ..Self::new()
        }
    }

    /// Whether `rule` can be checked here: `Ok(true)` checked, `Ok(false)` a skipped
    /// transition rule, `Err` why it is not checked.
    pub fn support(&self, rule: &str) -> Result<bool, String> {
        match &*self.compile(rule) {
            Compiled::Ready(..) => Ok(true),
            Compiled::Transition(_) => Ok(false),
            Compiled::NotChecked(why) => Err(why.clone()),
        }
    }

    /// [`Rules::compile`], looked up by the address of `rule` first.
    fn compiled(&self, rule: &str) -> Rc<Compiled> {
        let address = (rule.as_ptr() as usize, rule.len());
        if let Some((text, c)) = self.by_address.borrow().get(&address) {
            if text == rule {
                return Rc::clone(c);
            }
        }
        let c = self.compile(rule);
        self.by_address
            .borrow_mut()
            .insert(address, (rule.to_owned(), Rc::clone(&c)));
        c
    }

    fn compile(&self, rule: &str) -> Rc<Compiled> {
        if let Some(c) = self.compiled.borrow().get(rule) {
            return Rc::clone(c);
        }
        let c = Rc::new(match self.env.compile(rule) {
            Err(e) => Compiled::NotChecked(format!("does not compile: {e}")),
            Ok(p) => {
                let mut missing = Vec::new();
                unsupported_calls(p.expression(), &mut missing);
                if missing.is_empty() {
                    if p.references().has_variable("oldSelf") {
                        Compiled::Transition(p)
                    } else {
                        let mut reads = Vec::new();
                        let only_fields = self_reads(p.expression(), &mut reads);
                        Compiled::Ready(p, only_fields.then_some(reads))
                    }
                } else {
                    missing.sort();
                    missing.dedup();
                    Compiled::NotChecked(format!("uses {} (not implemented)", missing.join(", ")))
                }
            }
        });
        self.compiled
            .borrow_mut()
            .insert(rule.to_owned(), Rc::clone(&c));
        c
    }

    /// Runs the rules of node `s` on `value` (at `path`, rendered only for a
    /// finding), adding findings to `report`; `converted` is `value` as a CEL value
    /// ([`to_val`]). The transition rules run only when there is an `old` value.
    pub fn check<'a>(
        &self,
        s: &Schema,
        value: &'a Value,
        converted: &(dyn Val + 'a),
        old: Option<&'a Value>,
        path: &Path,
        report: &mut Report,
    ) {
        let remembered = self.memo.as_ref().filter(|_| old.is_none() && small(value));
        let key = remembered.and_then(|_| {
            let json = serde_json::to_vec(value).ok()?;
            Some((s as *const Schema as usize, json))
        });
        let known = match (remembered, &key) {
            (Some(memo), Some(key)) => memo.borrow().get(key).cloned(),
            _ => None,
        };
        let outcome = known.unwrap_or_else(|| {
            let mut outcome = Report::default();
            self.run(s, value, converted, old, &mut outcome);
            let outcome = Rc::new(outcome);
            if let (Some(memo), Some(key)) = (remembered, key) {
                let mut memo = memo.borrow_mut();
                if memo.len() >= MEMO_ENTRIES {
                    memo.clear();
                }
                memo.insert(key, Rc::clone(&outcome));
            }
            outcome
        });
        report.rules_checked += outcome.rules_checked;
        report.transition_rules_skipped += outcome.transition_rules_skipped;
        if !outcome.findings.is_empty() {
            let path = path.render();
            for f in &outcome.findings {
                let at = join_field_path(&path, Some(&f.path));
                report.findings.push(Finding {
                    path: at,
                    ..f.clone()
                });
            }
        }
    }

    /// [`Rules::check`], every rule evaluated, the paths of the findings relative
    /// to the node (empty: the node).
    fn run<'a>(
        &self,
        s: &Schema,
        value: &'a Value,
        converted: &(dyn Val + 'a),
        old: Option<&'a Value>,
        report: &mut Report,
    ) {
        // `self` (and `oldSelf`) are bound once per node, in a scope every rule of the
        // node runs in; the values borrow the strings of `value`.
        let root: &Context<'_, 'a> = &self.root;
        let mut scope: Option<Context<'_, 'a>> = None;
        for rule in s.validations() {
            let compiled = self.compiled(&rule.rule);
            let (program, reads) = match (&*compiled, old) {
                (Compiled::Ready(p, reads), _) => (p, reads.as_ref()),
                (Compiled::Transition(p), Some(_)) => (p, None),
                (Compiled::Transition(_), None) => {
                    report.transition_rules_skipped += 1;
                    continue;
                }
                (Compiled::NotChecked(why), _) => {
                    report.findings.push(finding(
                        Severity::NotChecked,
                        "",
                        rule,
                        format!("rule not checked, it {why}: {}", rule.rule),
                        None,
                    ));
                    continue;
                }
            };
            report.rules_checked += 1;
            // The message expression may read anything: such rules are not remembered.
            let remembered = match (&self.rule_memo, reads, old) {
                (Some(memo), Some(reads), None) if rule.message_expression.is_none() => {
                    project(value, reads).map(|p| (memo, (rule.rule.as_ptr() as usize, p)))
                }
                _ => None,
            };
            if let Some((memo, key)) = &remembered {
                if let Some(known) = memo.borrow().get(key) {
                    if let Some(f) = known {
                        let value = f.value.as_ref().map(|_| show_value(value));
                        report.findings.push(Finding { value, ..f.clone() });
                    }
                    continue;
                }
            }
            let ctx = scope.get_or_insert_with(|| {
                let mut ctx = root.new_inner_scope();
                ctx.add_variable_as_val("self", converted.clone_as_boxed());
                if let Some(old) = old {
                    ctx.add_variable_as_val("oldSelf", to_val(old, Some(s)));
                }
                ctx
            });
            let found = self.outcome(rule, program, ctx, value);
            if let Some((memo, key)) = remembered {
                let mut memo = memo.borrow_mut();
                if memo.len() >= MEMO_ENTRIES {
                    memo.clear();
                }
                memo.insert(key, found.clone());
            }
            report.findings.extend(found);
        }
    }

    /// What evaluating one rule finds, at paths relative to the node: nothing when
    /// it holds.
    fn outcome(
        &self,
        rule: &ValidationRule,
        program: &Program,
        ctx: &Context<'_, '_>,
        value: &Value,
    ) -> Option<Finding> {
        let path = "";
        match program.execute(ctx) {
            Ok(Cel::Bool(true)) => None,
            Ok(Cel::Bool(false)) => {
                let message = self.message(rule, ctx);
                let at = join_field_path(path, rule.field_path.as_deref());
                Some(finding(Severity::Error, &at, rule, message, Some(value)))
            }
            Ok(other) => Some(finding(
                Severity::NotChecked,
                path,
                rule,
                format!("rule returned {other:?}, not a boolean: {}", rule.rule),
                None,
            )),
            Err(e) if is_gap(&e) => Some(finding(
                Severity::NotChecked,
                path,
                rule,
                format!("rule not checked ({e}): {}", rule.rule),
                None,
            )),
            // The API server's words: `no such key: x evaluating rule: <message>`.
            Err(e) => {
                let e = match e {
                    ExecutionError::NoSuchKey(k) => format!("no such key: {k}"),
                    other => other.to_string(),
                };
                let m = rule.message.as_deref().map(str::trim).unwrap_or_default();
                let about = if m.is_empty() { rule.rule.trim() } else { m };
                let message = format!("{e} evaluating rule: {about}");
                Some(finding(Severity::Error, path, rule, message, Some(value)))
            }
        }
    }

    /// The message of a failed rule: `messageExpression` when it evaluates to a
    /// non-empty string, else `message`, else the API server's `failed rule: <rule>`.
    fn message(&self, rule: &ValidationRule, ctx: &Context<'_, '_>) -> String {
        if let Some(expr) = &rule.message_expression {
            if let Ok(p) = self.env.compile(expr) {
                if let Ok(Cel::String(s)) = p.execute(ctx) {
                    if !s.trim().is_empty() {
                        return s.to_string();
                    }
                }
            }
        }
        match rule.message.as_deref() {
            Some(m) if !m.is_empty() => m.to_owned(),
            _ => format!("failed rule: {}", rule.rule),
        }
    }
}

/// A chain of fields a rule reads of `self` (`self.a.b`: `["a", "b"]`), and whether
/// only the presence of its last field is tested (`has(self.a.b)`).
pub struct Read {
    fields: Vec<String>,
    presence: bool,
}

/// Collects what `e` reads of `self`; false when it uses `self` other than through a
/// chain of plain fields (`self.all(...)`, `size(self)`, `self[0]`, an escaped name,
/// a variable of its own named `self`): its outcome may then depend on all of `self`.
pub fn self_reads(e: &IdedExpr, out: &mut Vec<Read>) -> bool {
    use cel::common::ast::{EntryExpr, Expr};
    /// The fields of a chain of plain selections from `self`.
    fn chain(e: &IdedExpr) -> Option<Vec<String>> {
        match &e.expr {
            Expr::Ident(n) if n == "self" => Some(Vec::new()),
            Expr::Select(s) if !s.test && !s.field.contains("__") => {
                let mut fields = chain(&s.operand)?;
                fields.push(s.field.clone());
                Some(fields)
            }
            _ => None,
        }
    }
    match &e.expr {
        Expr::Select(s) => match chain(&s.operand) {
            Some(_) if s.field.contains("__") => false,
            Some(mut fields) => {
                fields.push(s.field.clone());
                out.push(Read {
                    fields,
                    presence: s.test,
                });
                true
            }
            None => self_reads(&s.operand, out),
        },
        Expr::Ident(n) => n != "self",
        Expr::Call(c) => {
            c.target.as_deref().is_none_or(|t| self_reads(t, out))
                && c.args.iter().all(|a| self_reads(a, out))
        }
        Expr::Comprehension(c) => {
            c.iter_var != "self"
                && c.accu_var != "self"
                && [
                    &c.iter_range,
                    &c.accu_init,
                    &c.loop_cond,
                    &c.loop_step,
                    &c.result,
                ]
                .into_iter()
                .all(|x| self_reads(x, out))
        }
        Expr::List(l) => l.elements.iter().all(|x| self_reads(x, out)),
        Expr::Map(m) => m.entries.iter().all(|x| match &x.expr {
            EntryExpr::MapEntry(m) => self_reads(&m.key, out) && self_reads(&m.value, out),
            EntryExpr::StructField(f) => self_reads(&f.value, out),
        }),
        Expr::Struct(s) => s.entries.iter().all(|x| match &x.expr {
            EntryExpr::MapEntry(m) => self_reads(&m.key, out) && self_reads(&m.value, out),
            EntryExpr::StructField(f) => self_reads(&f.value, out),
        }),
        Expr::Literal(_) | Expr::Unspecified => true,
    }
}

/// What the `reads` of a rule see of `value`, as bytes: two values with the same
/// bytes give the rule the same outcome. For each chain, in order: where it stops
/// (a missing field, with its depth), the scalar at its end, or whether its last
/// field is present. `None` when a chain ends at (or runs into) a list or an
/// object: comparing those costs about what evaluating the rule does, and they are
/// rarely repeated, so the rule is evaluated.
fn project(value: &Value, reads: &[Read]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    for read in reads {
        let (walk, last) = match (read.presence, read.fields.split_last()) {
            (true, Some((last, walk))) => (walk, Some(last)),
            _ => (&read.fields[..], None),
        };
        let mut at = Some(value);
        for (depth, field) in walk.iter().enumerate() {
            match at.and_then(Value::as_object) {
                Some(o) => at = o.get(field),
                None => return None,
            }
            if at.is_none() {
                out.extend([b'a', depth as u8]);
                break;
            }
        }
        let Some(at) = at else { continue };
        match last {
            Some(last) => {
                let o = at.as_object()?;
                out.push(if o.contains_key(last) { b'p' } else { b'm' });
            }
            None => scalar(at, &mut out)?,
        }
    }
    Some(out)
}

/// Appends a scalar JSON value, self-delimited; `None` for a list or an object.
fn scalar(v: &Value, out: &mut Vec<u8>) -> Option<()> {
    match v {
        Value::Null => out.push(b'z'),
        Value::Bool(b) => out.push(if *b { b't' } else { b'f' }),
        Value::Number(n) => {
            out.push(b'n');
            out.extend(n.to_string().as_bytes());
            out.push(b';');
        }
        Value::String(s) => {
            out.push(b's');
            out.extend((s.len() as u64).to_le_bytes());
            out.extend(s.as_bytes());
        }
        Value::Array(_) | Value::Object(_) => return None,
    }
    Some(())
}

/// True when `v` has at most [`MEMO_NODES`] JSON nodes.
fn small(v: &Value) -> bool {
    fn count(v: &Value, left: &mut usize) -> bool {
        if *left == 0 {
            return false;
        }
        *left -= 1;
        match v {
            Value::Array(a) => a.iter().all(|x| count(x, left)),
            Value::Object(o) => o.values().all(|x| count(x, left)),
            _ => true,
        }
    }
    let mut left = MEMO_NODES;
    count(v, &mut left)
}

fn finding(
    severity: Severity,
    path: &str,
    rule: &ValidationRule,
    message: String,
    value: Option<&Value>,
) -> Finding {
    Finding {
        severity,
        path: path.to_owned(),
        constraint: "x-kubernetes-validations".into(),
        message,
        value: value.map(show_value),
        reason: rule.reason.clone(),
    }
}

/// Errors that mean this implementation lacks something, not that the object is bad.
fn is_gap(e: &ExecutionError) -> bool {
    matches!(
        e,
        ExecutionError::UndeclaredReference(_)
            | ExecutionError::NoSuchOverload(_)
            | ExecutionError::NotSupportedAsMethod { .. }
            | ExecutionError::UnsupportedTargetType { .. }
            | ExecutionError::InternalError(_)
    )
}

/// `path` + a rule's `fieldPath` (`.spec.port`, relative to the node).
fn join_field_path(path: &str, field_path: Option<&str>) -> String {
    match field_path {
        Some(fp) if !fp.is_empty() => {
            let fp = fp.strip_prefix('.').unwrap_or(fp);
            if path.is_empty() {
                fp.to_owned()
            } else if fp.starts_with('[') {
                format!("{path}{fp}")
            } else {
                format!("{path}.{fp}")
            }
        }
        _ => path.to_owned(),
    }
}

/// Collects the calls of `e` to functions not in [`SUPPORTED`].
fn unsupported_calls(e: &IdedExpr, out: &mut Vec<String>) {
    use cel::common::ast::{EntryExpr, Expr};
    match &e.expr {
        Expr::Call(c) => {
            let operator = c.func_name.starts_with(['_', '@', '!', '-']);
            let qualified = c
                .target
                .as_deref()
                .and_then(qualified_name)
                .map(|t| format!("{t}.{}", c.func_name));
            let known = operator
                || SUPPORTED.contains(&c.func_name.as_str())
                || qualified.as_deref().is_some_and(|q| SUPPORTED.contains(&q));
            if !known {
                out.push(qualified.unwrap_or_else(|| c.func_name.clone()));
            }
            if let Some(t) = &c.target {
                unsupported_calls(t, out);
            }
            for a in &c.args {
                unsupported_calls(a, out);
            }
        }
        Expr::Comprehension(c) => {
            for x in [
                &c.iter_range,
                &c.accu_init,
                &c.loop_cond,
                &c.loop_step,
                &c.result,
            ] {
                unsupported_calls(x, out);
            }
        }
        Expr::List(l) => l.elements.iter().for_each(|x| unsupported_calls(x, out)),
        Expr::Map(m) => m.entries.iter().for_each(|x| entry(&x.expr, out)),
        Expr::Struct(s) => s.entries.iter().for_each(|x| entry(&x.expr, out)),
        Expr::Select(s) => unsupported_calls(&s.operand, out),
        Expr::Ident(_) | Expr::Literal(_) | Expr::Unspecified => {}
    }
    fn entry(e: &EntryExpr, out: &mut Vec<String>) {
        match e {
            EntryExpr::MapEntry(m) => {
                unsupported_calls(&m.key, out);
                unsupported_calls(&m.value, out);
            }
            EntryExpr::StructField(f) => unsupported_calls(&f.value, out),
        }
    }
}

/// `a.b.c` of an expression that is a chain of names.
fn qualified_name(e: &IdedExpr) -> Option<String> {
    use cel::common::ast::Expr;
    match &e.expr {
        Expr::Ident(n) => Some(n.clone()),
        Expr::Select(s) if !s.test => Some(format!("{}.{}", qualified_name(&s.operand)?, s.field)),
        _ => None,
    }
}

/// A CEL keyword, which Kubernetes escapes as `__<name>__` in property names.
fn reserved(name: &str) -> bool {
    matches!(
        name,
        "true"
            | "false"
            | "null"
            | "in"
            | "as"
            | "break"
            | "const"
            | "continue"
            | "else"
            | "for"
            | "function"
            | "if"
            | "import"
            | "let"
            | "loop"
            | "package"
            | "namespace"
            | "return"
            | "var"
            | "void"
            | "while"
    )
}

/// A property name as a CEL rule sees it (Kubernetes' escaping rules).
pub fn escape_property(name: &str) -> String {
    if reserved(name) {
        return format!("__{name}__");
    }
    let mut out = String::with_capacity(name.len());
    let mut rest = name;
    while let Some(c) = rest.chars().next() {
        if let Some(r) = rest.strip_prefix("__") {
            out.push_str("__underscores__");
            rest = r;
            continue;
        }
        match c {
            '.' => out.push_str("__dot__"),
            '-' => out.push_str("__dash__"),
            '/' => out.push_str("__slash__"),
            _ => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// A JSON value as a CEL value, typed by its schema, built directly as the
/// interpreter's values and borrowing the strings of `v` (binding a [`Cel`] value
/// would build it, then copy it whole). Objects and arrays are [`Shared`].
pub fn to_val<'a>(v: &'a Value, s: Option<&Schema>) -> Box<dyn Val + 'a> {
    match v {
        Value::Null => Box::new(CelNull),
        Value::Bool(b) => Box::new(CelBool::from(*b)),
        Value::Number(n) => {
            let integer = s.is_some_and(|s| {
                s.ty == Some(SchemaType::Integer) || s.int_or_string == Some(true)
            });
            let double = s.is_some_and(|s| s.ty == Some(SchemaType::Number));
            match (n.as_i64(), n.as_f64()) {
                (_, Some(f)) if double => Box::new(CelDouble::from(f)),
                (Some(i), _) => Box::new(CelInt::from(i)),
                (None, Some(f)) if integer && f.fract() == 0.0 && f.abs() < 9.2e18 => {
                    Box::new(CelInt::from(f as i64))
                }
                (None, Some(f)) => Box::new(CelDouble::from(f)),
                (None, None) => Box::new(CelNull),
            }
        }
        Value::String(x) => Box::new(CelString::from(x.as_str())),
        Value::Array(items) => {
            let item = s.and_then(Schema::items);
            list_val(items.iter().map(|x| to_val(x, item)).collect())
        }
        Value::Object(obj) => {
            let props = s.map(Schema::properties);
            let extra = s.and_then(|s| match &s.additional_properties {
                Some(AdditionalProperties::Schema(a)) => Some(&**a),
                _ => None,
            });
            let escape = props.is_some_and(|p| !p.is_empty());
            let map = obj
                .iter()
                .map(|(k, x)| {
                    let child = props.and_then(|p| p.get(k)).or(extra);
                    (map_key(k, escape), to_val(x, child))
                })
                .collect();
            map_val(map)
        }
    }
}

/// A property name as a map key of a CEL object: escaped ([`escape_property`]) when
/// `escape` (the object has fixed properties, not a map), borrowed when that changes
/// nothing.
pub fn map_key(name: &str, escape: bool) -> CelMapKey<'_> {
    let special = |b: &u8| matches!(b, b'.' | b'-' | b'/' | b'_');
    let plain = !escape
        || !(reserved(name)
            || name.bytes().any(|b| special(&b))
                && (name.contains(['.', '-', '/']) || name.contains("__")));
    if plain {
        CelMapKey::from(name)
    } else {
        CelMapKey::from(escape_property(name))
    }
}

/// A CEL map of the converted members of an object.
pub fn map_val<'a>(entries: HashMap<CelMapKey<'a>, Box<dyn Val + 'a>>) -> Box<dyn Val + 'a> {
    Box::new(Shared(Arc::new(CelMap::from(entries))))
}

/// A CEL list of the converted items of an array.
pub fn list_val<'a>(items: Vec<Box<dyn Val + 'a>>) -> Box<dyn Val + 'a> {
    Box::new(Shared(Arc::new(CelList::from(items))))
}

/// A CEL map or list behind a reference count. The interpreter copies values often
/// (each element of a list into the loop variable of `all`/`exists`/..., each value
/// indexed out of an owned container), and its own containers copy deeply; this one
/// is copied by counting a reference. To the interpreter it is the built-in container
/// it wraps: its type, its operations (delegated), its equality, and
/// `downcast_ref` ([`Val::as_builtin`] lends the wrapped container).
#[derive(Debug)]
struct Shared<T>(Arc<T>);

/// `Val` and `Indexer` of a [`Shared`] built-in container (`CelMap` or `CelList`),
/// the `BuiltinRef`/`Builtin` variant naming it.
macro_rules! shared {
    ($ty:ident, $variant:ident) => {
        impl<'v> Val for Shared<$ty<'v>> {
            fn get_type(&self) -> &Type {
                self.0.get_type()
            }

            fn cel_type() -> &'static Type {
                <$ty<'v> as Val>::cel_type()
            }

            fn as_adder<'b, 'w>(&'b self) -> Option<&'b (dyn Adder + 'w)>
            where
                Self: 'w,
            {
                self.0.as_adder()
            }

            fn as_comparer(&self) -> Option<&dyn Comparer> {
                self.0.as_comparer()
            }

            fn as_container(&self) -> Option<&dyn Container> {
                self.0.as_container()
            }

            fn as_indexer<'b, 'w>(&'b self) -> Option<&'b (dyn Indexer + 'w)>
            where
                Self: 'w,
            {
                Some(&*self.0)
            }

            fn into_indexer<'w>(self: Box<Self>) -> Option<Box<dyn Indexer + 'w>>
            where
                Self: 'w,
            {
                Some(self)
            }

            fn as_iterable<'b, 'w>(&'b self) -> Option<&'b (dyn Iterable + 'w)>
            where
                Self: 'w,
            {
                self.0.as_iterable()
            }

            fn as_sizer(&self) -> Option<&dyn Sizer> {
                self.0.as_sizer()
            }

            fn as_zeroer(&self) -> Option<&dyn Zeroer> {
                self.0.as_zeroer()
            }

            fn equals(&self, other: &dyn Val) -> bool {
                self.0.equals(other)
            }

            fn clone_as_boxed<'w>(&self) -> Box<dyn Val + 'w>
            where
                Self: 'w,
            {
                Box::new(Shared(Arc::clone(&self.0)))
            }

            fn as_builtin<'b, 'w>(&'b self) -> BuiltinRef<'b, 'w>
            where
                Self: 'w,
            {
                BuiltinRef::$variant(&self.0)
            }

            fn into_builtin<'w>(self: Box<Self>) -> Option<Builtin<'w>>
            where
                Self: 'w,
            {
                Some(Builtin::$variant(Arc::unwrap_or_clone(self.0)))
            }
        }

        impl<'v> Indexer for Shared<$ty<'v>> {
            fn get<'b, 'w>(&'b self, idx: &dyn Val) -> Result<CowVal<'b, 'w>, ExecutionError>
            where
                Self: 'w,
            {
                self.0.get(idx)
            }

            fn steal<'w>(
                self: Box<Self>,
                idx: &dyn Val,
            ) -> Result<Box<dyn Val + 'w>, ExecutionError>
            where
                Self: 'w,
            {
                self.0.get(idx).map(CowVal::into_owned)
            }
        }
    };
}

shared!(CelMap, Map);
shared!(CelList, List);

/// CEL's `matches` (`s.matches(re)` and `matches(s, re)`), with RE2's ASCII shorthand
/// classes as Kubernetes has them; each regular expression is compiled once per
/// thread (the `cel` crate's compiled it on every call: a fifth of validating
/// HTTPRoutes).
fn matches(This(s): This<Arc<String>>, re: Arc<String>) -> Result<bool, ExecutionError> {
    thread_local! {
        static COMPILED: RefCell<FxHashMap<String, Result<Rc<regex::Regex>, String>>> =
            RefCell::default();
    }
    let compiled = COMPILED.with(|cache| {
        if let Some(r) = cache.borrow().get(re.as_str()) {
            return r.clone();
        }
        let r = regex::Regex::new(&super::format::ascii_classes(&re))
            .map(Rc::new)
            .map_err(|e| e.to_string());
        cache.borrow_mut().insert(re.to_string(), r.clone());
        r
    });
    match compiled {
        Ok(r) => Ok(r.is_match(&s)),
        Err(e) => Err(ExecutionError::function_error(
            "matches",
            format!("'{re}' not a valid regex: {e}"),
        )),
    }
}

/// Kubernetes' `isIP(string)`: an IPv4 or IPv6 address, no zone, no leading zeros.
fn is_ip(s: Arc<String>) -> bool {
    s.parse::<std::net::IpAddr>().is_ok()
}

/// `format.<name>().validate(string)`: `null` when valid, else the list of errors.
/// (`format.<name>()` is represented by the format's name.)
fn validate_format(This(format): This<Arc<String>>, s: Arc<String>) -> Result<Cel, ExecutionError> {
    let errors: Vec<&str> = match format.as_str() {
        "dns1123Label" => {
            let ok = !s.is_empty()
                && s.len() <= 63
                && s.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !s.starts_with('-')
                && !s.ends_with('-');
            if ok {
                vec![]
            } else {
                vec!["a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character"]
            }
        }
        other => {
            return Err(ExecutionError::function_error(
                "validate",
                format!("format {other} is not implemented"),
            ))
        }
    };
    Ok(if errors.is_empty() {
        Cel::Null
    } else {
        Cel::List(Arc::new(
            errors
                .into_iter()
                .map(|e| Cel::String(Arc::new(e.to_owned())))
                .collect(),
        ))
    })
}
