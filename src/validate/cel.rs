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
//! otherwise they are skipped and counted. A node's value is converted to the
//! interpreter's values only when one of its rules is evaluated, from its children's
//! where they were converted ([`super::structural`]), borrowing the object's strings;
//! lists and maps are [`Shared`], so the copies the interpreter makes cost a
//! reference count. A node's value is bound as `self` once, in a scope all the node's
//! rules share.
//! [`Rules::remembering`] (a batch of objects) remembers outcomes by node and by rule,
//! keyed by the part of the value they read ([`Reads`]: the fields, items, sizes and
//! presence a rule looks at), or by the whole of a small value; a memo that keeps
//! missing is set aside for a while ([`Tally`]).
//! A rule that is not CEL (a syntax error) is an error finding with its line and
//! column, as the API server refuses a CRD with it.
//! Rules run under the API server's runtime cost limits, and each rule's estimated
//! cost is what the API server estimates when the CRD is created
//! ([`Rules::estimated_cost`], [`super::celcost`]).
//! Known gap: `date-time` strings stay strings (Kubernetes makes them timestamps).

use rustc_hash::FxHashMap;
use std::{
    cell::{Cell, RefCell},
    collections::HashMap,
    rc::Rc,
    sync::Arc,
};

use cel::{
    common::{
        traits::{Adder, Comparer, Container, Indexer, Iterable, Iterator, Sizer, Zeroer},
        types::{CelBool, CelDouble, CelInt, CelList, CelMap, CelMapKey, CelNull, CelString, Type},
        value::{Builtin, BuiltinRef, CowVal, Val},
    },
    extractors::This,
    Context, Env, ExecutionError, IdedExpr, Program, Value as Cel,
};
use serde_json::Value;

use super::celcost::{self, decl::Decl, Spent};
use super::{show_value, Finding, Path, Report, Severity};
use crate::gocompat::regexp::RegexpError;
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
    /// that can be told ([`Reads::of`]), and how often remembering it paid.
    Ready(Program, Option<Reads>, Tally),
    /// Uses `oldSelf`: run only when there is an old value.
    Transition(Program),
    /// Cannot be checked here: the functions it calls that are not implemented.
    NotChecked(Vec<String>),
    /// Not CEL (a syntax error): the API server refuses a CRD with it. Where and
    /// what (`1:11: Syntax error: …`).
    Invalid(String),
}

/// Why a rule is not checked here ([`Rules::support`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleGap {
    /// It calls functions (named, sorted) that are not implemented.
    #[error("uses {} (not implemented)", .0.join(", "))]
    Unimplemented(Vec<String>),
    /// It is not CEL: where and what (`1:11: Syntax error: …`).
    #[error("does not compile: {0}")]
    Invalid(String),
}

/// How often looking an outcome up found one, so that a memo which keeps missing
/// (every value differs) stops costing its keys: after [`Tally::TRIAL`] look-ups
/// finding less than a quarter, look-ups are skipped; after [`Tally::PAUSE`] skips
/// the memo is tried again. Only speed depends on it, never an outcome.
#[derive(Default)]
struct Tally {
    looked: Cell<u32>,
    found: Cell<u32>,
    skipped: Cell<u32>,
}

impl Tally {
    /// Look-ups judged at a time.
    const TRIAL: u32 = 128;
    /// Skips before the memo is tried again.
    const PAUSE: u32 = 4096;

    /// Whether to look this one up (counting a skip when not).
    fn worth(&self) -> bool {
        let (looked, found) = (self.looked.get(), self.found.get());
        if looked < Self::TRIAL || u64::from(found) * 4 >= u64::from(looked) {
            return true;
        }
        let skipped = self.skipped.get() + 1;
        if skipped >= Self::PAUSE {
            self.looked.set(0);
            self.found.set(0);
            self.skipped.set(0);
        } else {
            self.skipped.set(skipped);
        }
        false
    }

    /// Counts a look-up and whether it found an outcome.
    fn count(&self, found: bool) {
        self.looked.set(self.looked.get().saturating_add(1));
        self.found
            .set(self.found.get().saturating_add(u32::from(found)));
    }
}

/// The rules of one schema node, compiled, and how often its memo paid
/// ([`Rules::remembering`]).
struct NodeRules {
    rules: Vec<Rc<Compiled>>,
    /// What all of them (and their message expressions) read of `self`, when known:
    /// the node's outcome is remembered by that part of a value, else by the whole
    /// of a small value.
    reads: Option<Reads>,
    tally: Tally,
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
    /// With [`Rules::remembering`]: each node's compiled rules by the node's address,
    /// found with one look-up per node.
    nodes: Option<RefCell<FxHashMap<usize, Rc<NodeRules>>>>,
    /// With [`Rules::remembering`]: the outcome of a node's rules on a small value, by
    /// the node's address and the value as JSON (paths relative to the node).
    memo: Option<RefCell<FxHashMap<MemoKey, Rc<Report>>>>,
    /// With [`Rules::remembering`]: the outcome of a rule whose reads of `self` are
    /// known, by the rule's address and what it read ([`Reads::project`]).
    rule_memo: Option<RefCell<FxHashMap<MemoKey, Option<Finding>>>>,
    /// [`Rules::set_invalid_reported_with_crd`].
    invalid_reported_with_crd: Cell<bool>,
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
            nodes: None,
            memo: None,
            rule_memo: None,
            invalid_reported_with_crd: Cell::new(false),
        }
    }

    /// The same, remembering the outcome of each node's rules on each small value it
    /// sees, so a value repeated across objects (a filter, a path match, a backend
    /// reference) is judged once: a rule's outcome depends on nothing but the node
    /// and its value. A rule whose reads of `self` are known ([`Reads::of`]:
    /// `self.type`, `has(self.cors)`, `self.filters.all(f, f.type != 'CORS')`) is
    /// also remembered by what it read, so values that differ elsewhere share its
    /// outcome. A memo that keeps missing is set aside for a while ([`Tally`]).
    /// Nodes are told apart by address, so every schema this is used with must stay
    /// alive and in place as long as it is (one batch of kinds).
    pub fn remembering() -> Self {
        Self {
            nodes: Some(RefCell::default()),
            memo: Some(RefCell::default()),
            rule_memo: Some(RefCell::default()),
            ..Self::new()
        }
    }

    /// Whether `rule` can be checked here: `Ok(true)` checked, `Ok(false)` a skipped
    /// transition rule, `Err` why it is not checked.
    pub fn support(&self, rule: &str) -> Result<bool, RuleGap> {
        match &*self.compile(rule) {
            Compiled::Ready(..) => Ok(true),
            Compiled::Transition(_) => Ok(false),
            Compiled::NotChecked(missing) => Err(RuleGap::Unimplemented(missing.clone())),
            Compiled::Invalid(why) => Err(RuleGap::Invalid(why.clone())),
        }
    }

    /// The estimated cost of `text`, a rule (`is_rule`) or a message expression, with
    /// `self` declared as `node` ([`celcost::estimate`]); `Err` with where and why
    /// when it is not CEL.
    pub fn estimated_cost(&self, text: &str, is_rule: bool, node: Decl<'_>) -> Result<u64, String> {
        let of = |p: &Program| celcost::estimate::estimate(p.expression(), node).max;
        if is_rule {
            match &*self.compile(text) {
                Compiled::Ready(p, ..) | Compiled::Transition(p) => return Ok(of(p)),
                Compiled::Invalid(why) => return Err(why.clone()),
                // Not kept: compiled again, rarely.
                Compiled::NotChecked(_) => {}
            }
        }
        self.env
            .compile(text)
            .map(|p| of(&p))
            .map_err(|e| syntax_error(&e.to_string()))
    }

    /// Whether a rule that is not CEL is left out of the findings of the objects that
    /// reach it, because the refusals of the kind's CRD name it already
    /// ([`super::Validator::crd_refusals`]); set for each object's kind.
    pub fn set_invalid_reported_with_crd(&self, yes: bool) {
        self.invalid_reported_with_crd.set(yes);
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
            Err(e) => Compiled::Invalid(syntax_error(&e.to_string())),
            Ok(p) => {
                let mut missing = Vec::new();
                unsupported_calls(p.expression(), &mut missing);
                if missing.is_empty() {
                    if p.references().has_variable("oldSelf") {
                        Compiled::Transition(p)
                    } else {
                        let reads = Reads::of(p.expression());
                        Compiled::Ready(p, reads, Tally::default())
                    }
                } else {
                    missing.sort();
                    missing.dedup();
                    Compiled::NotChecked(missing)
                }
            }
        });
        self.compiled
            .borrow_mut()
            .insert(rule.to_owned(), Rc::clone(&c));
        c
    }

    /// Runs the rules of node `s` on `value` (at `path`, rendered only for a
    /// finding), adding findings to `report`; `converted` makes `value` as a CEL value
    /// ([`to_val`]), called only when a rule is evaluated (at most once). The
    /// transition rules run only when there is an `old` value.
    pub fn check<'a>(
        &self,
        s: &Schema,
        value: &'a Value,
        converted: &dyn Fn() -> Box<dyn Val + 'a>,
        old: Option<&'a Value>,
        path: &Path,
        report: &mut Report,
    ) {
        let node = self.node(s);
        let remembered = self
            .memo
            .as_ref()
            .filter(|_| old.is_none() && node.as_ref().is_some_and(|n| n.tally.worth()));
        let key = remembered.zip(node.as_ref()).and_then(|(_, n)| {
            let bytes = match &n.reads {
                Some(reads) => reads.project(value)?,
                None if small(value) => serde_json::to_vec(value).ok()?,
                None => return None,
            };
            Some((s as *const Schema as usize, bytes))
        });
        let known = match (remembered, &key) {
            (Some(memo), Some(key)) => {
                let known = memo.borrow().get(key).cloned();
                if let Some(n) = &node {
                    n.tally.count(known.is_some());
                }
                known
            }
            _ => None,
        };
        let outcome = known.unwrap_or_else(|| {
            let mut outcome = Report::default();
            self.run(s, node.as_deref(), value, converted, old, &mut outcome);
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
                // A remembered finding shows this value (it may differ where unread).
                let at = join_field_path(&path, Some(&f.path));
                report.findings.push(Finding {
                    path: at,
                    value: f.value.as_ref().map(|_| show_value(value)),
                    ..f.clone()
                });
            }
        }
    }

    /// With [`Rules::remembering`], the compiled rules of node `s`.
    fn node(&self, s: &Schema) -> Option<Rc<NodeRules>> {
        let nodes = self.nodes.as_ref()?;
        let address = s as *const Schema as usize;
        if let Some(n) = nodes.borrow().get(&address) {
            return Some(Rc::clone(n));
        }
        let rules: Vec<_> = s
            .validations()
            .iter()
            .map(|r| self.compiled(&r.rule))
            .collect();
        // The message expressions of the rules that run (one that does not compile
        // is not used, and reads nothing).
        let messages: Vec<Program> = s
            .validations()
            .iter()
            .zip(&rules)
            .filter(|(_, c)| matches!(&***c, Compiled::Ready(..)))
            .filter_map(|(r, _)| self.env.compile(r.message_expression.as_deref()?).ok())
            .collect();
        let programs = rules.iter().filter_map(|c| match &**c {
            Compiled::Ready(p, ..) => Some(p.expression()),
            Compiled::Transition(_) | Compiled::NotChecked(_) | Compiled::Invalid(_) => None,
        });
        let reads = Reads::of_all(programs.chain(messages.iter().map(Program::expression)));
        let n = Rc::new(NodeRules {
            rules,
            reads,
            tally: Tally::default(),
        });
        nodes.borrow_mut().insert(address, Rc::clone(&n));
        Some(n)
    }

    /// [`Rules::check`], every rule evaluated, the paths of the findings relative
    /// to the node (empty: the node). `node`: the node's rules, when already compiled.
    fn run<'a>(
        &self,
        s: &Schema,
        node: Option<&NodeRules>,
        value: &'a Value,
        converted: &dyn Fn() -> Box<dyn Val + 'a>,
        old: Option<&'a Value>,
        report: &mut Report,
    ) {
        // `self` (and `oldSelf`) are bound once per node, in a scope every rule of the
        // node runs in; the values borrow the strings of `value`.
        let root: &Context<'_, 'a> = &self.root;
        let mut scope: Option<Context<'_, 'a>> = None;
        for (i, rule) in s.validations().iter().enumerate() {
            let compiled = match node {
                Some(n) => Rc::clone(&n.rules[i]),
                None => self.compiled(&rule.rule),
            };
            let (program, reads) = match (&*compiled, old) {
                (Compiled::Ready(p, reads, tally), _) => (p, reads.as_ref().map(|r| (r, tally))),
                (Compiled::Transition(p), Some(_)) => (p, None),
                (Compiled::Transition(_), None) => {
                    report.transition_rules_skipped += 1;
                    continue;
                }
                (Compiled::Invalid(_), _) if self.invalid_reported_with_crd.get() => continue,
                (Compiled::Invalid(why), _) => {
                    report.findings.push(finding(
                        Severity::Error,
                        "",
                        rule,
                        format!(
                            "invalid rule, the API server refuses the CRD with it: {why}: {}",
                            rule.rule
                        ),
                        None,
                    ));
                    continue;
                }
                (Compiled::NotChecked(missing), _) => {
                    let why = RuleGap::Unimplemented(missing.clone());
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
                (Some(memo), Some((reads, tally)), None)
                    if rule.message_expression.is_none() && tally.worth() =>
                {
                    let key = reads.project(value);
                    key.map(|p| (memo, tally, (rule.rule.as_ptr() as usize, p)))
                }
                _ => None,
            };
            if let Some((memo, tally, key)) = &remembered {
                let memo = memo.borrow();
                let known = memo.get(key);
                tally.count(known.is_some());
                if let Some(known) = known {
                    if let Some(f) = known {
                        let value = f.value.as_ref().map(|_| show_value(value));
                        report.findings.push(Finding { value, ..f.clone() });
                    }
                    continue;
                }
            }
            if celcost::object_exhausted() {
                if celcost::tell_exhausted() {
                    report.findings.push(finding(
                        Severity::Error,
                        "",
                        rule,
                        "validation failed due to running out of cost budget, no further validation rules will be run".into(),
                        None,
                    ));
                }
                continue;
            }
            let ctx = scope.get_or_insert_with(|| {
                let mut ctx = root.new_inner_scope();
                ctx.add_variable_as_val("self", converted());
                if let Some(old) = old {
                    ctx.add_variable_as_val("oldSelf", to_val(old, Some(s)));
                }
                ctx
            });
            let found = self.outcome(rule, program, ctx, value);
            if let Some((memo, _, key)) = remembered {
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
        celcost::start_call();
        let result = program.execute(ctx);
        let over = match celcost::end_call() {
            Spent::Within => None,
            Spent::CallLimit => Some(format!(
                "the API server's per-call cost limit ({}): {}",
                celcost::PER_CALL_LIMIT,
                rule.rule
            )),
            Spent::ObjectBudget => Some(format!(
                "the API server's cost budget for one object ({}): {}",
                celcost::PER_OBJECT_BUDGET,
                rule.rule
            )),
        };
        if let Some(over) = over {
            let message = format!("operation cancelled: actual cost limit exceeded, past {over}");
            return Some(finding(Severity::Error, path, rule, message, None));
        }
        match result {
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
                format!(
                    "rule returned {}, not a boolean: {}",
                    super::celtext::describe(&other),
                    rule.rule
                ),
                None,
            )),
            Err(e) if is_gap(&e) => Some(finding(
                Severity::NotChecked,
                path,
                rule,
                format!(
                    "rule not checked ({}): {}",
                    super::celtext::describe_error(&e),
                    rule.rule
                ),
                None,
            )),
            // The API server's words: `no such key: x evaluating rule: <message>`.
            Err(e) => {
                let e = match e {
                    ExecutionError::NoSuchKey(k) => format!("no such key: {k}"),
                    other => super::celtext::describe_error(&other),
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

/// What a rule reads of `self`, as a tree of places: `self`, its fields, the items
/// of its lists, ... Two values that agree at every place a rule reads give it the
/// same outcome, so the rule is remembered by that part of the value
/// ([`Reads::project`]).
///
/// A place is reached from `self` by selecting a field (`self.a`), indexing a list
/// with a constant (`self.a[0]`: every item, as a place) or iterating a list in a
/// macro (`self.a.all(x, ...)`: `x` is every item). At a place the rule may test a
/// field's presence (`has(self.a.b)`), read the size (`size(self.a)`,
/// `self.a.size()`), or use the value in any other way (compare it, pass it to a
/// function): then all of it counts.
#[derive(Debug)]
pub struct Reads {
    places: Vec<Place>,
}

/// One place of [`Reads`] (the first is `self`).
#[derive(Debug, Default)]
struct Place {
    /// Used as a whole: all of the value counts.
    whole: bool,
    /// Its size is read.
    size: bool,
    /// Fields selected or tested for presence, with their places.
    fields: Vec<(String, usize)>,
    /// The place of its items (a list iterated or indexed by a constant).
    items: Option<usize>,
}

impl Reads {
    /// What the expression `e` (a rule) reads of `self`; `None` when that cannot be
    /// told: it selects an escaped property name (`self.__namespace__`).
    pub fn of(e: &IdedExpr) -> Option<Self> {
        Self::of_all([e])
    }

    /// What the expressions `es` read of `self`, together.
    pub fn of_all<'e>(es: impl IntoIterator<Item = &'e IdedExpr>) -> Option<Self> {
        let mut a = Analysis {
            places: vec![Place::default()],
            scope: Vec::new(),
            known: true,
        };
        es.into_iter().for_each(|e| a.visit(e));
        a.known.then_some(Self { places: a.places })
    }

    /// The part of `value` (as `self`) this reads, as bytes: two values with the same
    /// bytes give the rule the same outcome. For each place read (not only tested
    /// for presence): the kind of value there; a scalar or a value used as a whole in
    /// full; a list's length and its items; the presence of each field read, and what
    /// is read of it. `None` when
    /// the value does not have the shape the reads assume (items of an object,
    /// fields of a list): the rule is then evaluated.
    pub fn project(&self, value: &Value) -> Option<Vec<u8>> {
        let mut out = Vec::with_capacity(64);
        self.place(0, value, &mut out)?;
        Some(out)
    }

    fn place(&self, at: usize, v: &Value, out: &mut Vec<u8>) -> Option<()> {
        let p = &self.places[at];
        if !(p.whole || p.size || p.items.is_some() || !p.fields.is_empty()) {
            // Only its presence is read.
            return Some(());
        }
        match v {
            Value::Object(_) | Value::Array(_) if p.whole => {
                out.push(b'w');
                serde_json::to_writer(&mut *out, v).ok()?;
            }
            Value::Object(o) => {
                if p.items.is_some() {
                    return None;
                }
                out.push(b'o');
                if p.size {
                    out.extend((o.len() as u64).to_le_bytes());
                }
                for (field, child) in &p.fields {
                    match o.get(field) {
                        Some(x) => {
                            out.push(b'p');
                            self.place(*child, x, out)?;
                        }
                        None => out.push(b'm'),
                    }
                }
            }
            Value::Array(items) => {
                if !p.fields.is_empty() {
                    return None;
                }
                out.push(b'a');
                out.extend((items.len() as u64).to_le_bytes());
                if let Some(child) = p.items {
                    for x in items {
                        self.place(child, x, out)?;
                    }
                }
            }
            _ => scalar(v, out)?,
        }
        Some(())
    }
}

/// The walk of [`Reads::of`].
struct Analysis {
    places: Vec<Place>,
    /// Variables of the macros around, innermost last, with the place each stands
    /// for (`None`: a value not read from `self`).
    scope: Vec<(String, Option<usize>)>,
    /// False once something is read that cannot be told.
    known: bool,
}

impl Analysis {
    /// The place of `at`'s field `field`, added when new.
    fn field(&mut self, at: usize, field: &str) -> Option<usize> {
        if field.contains("__") {
            // An escaped property name: the value's key is another.
            self.known = false;
            return None;
        }
        if let Some((_, c)) = self.places[at].fields.iter().find(|(f, _)| f == field) {
            return Some(*c);
        }
        let c = self.new_place();
        self.places[at].fields.push((field.to_owned(), c));
        Some(c)
    }

    /// The place of `at`'s items, added when new.
    fn items(&mut self, at: usize) -> usize {
        if let Some(c) = self.places[at].items {
            return c;
        }
        let c = self.new_place();
        self.places[at].items = Some(c);
        c
    }

    fn new_place(&mut self) -> usize {
        self.places.push(Place::default());
        self.places.len() - 1
    }

    /// The place `e` denotes, when it is one: `self`, a macro variable standing for
    /// one, a field of one, or an item of one (a constant index).
    fn place(&mut self, e: &IdedExpr) -> Option<usize> {
        use cel::common::ast::{operators, Expr, LiteralValue};
        match &e.expr {
            Expr::Ident(n) => match self.scope.iter().rev().find(|(v, _)| v == n) {
                Some((_, at)) => *at,
                None => (n == "self").then_some(0),
            },
            Expr::Select(s) if !s.test => {
                let at = self.place(&s.operand)?;
                self.field(at, &s.field)
            }
            Expr::Call(c)
                if c.func_name == operators::INDEX
                    && c.target.is_none()
                    && c.args.len() == 2
                    && matches!(c.args[1].expr, Expr::Literal(LiteralValue::Int(_))) =>
            {
                let at = self.place(&c.args[0])?;
                Some(self.items(at))
            }
            _ => None,
        }
    }

    /// Records what evaluating `e` reads of `self`.
    fn visit(&mut self, e: &IdedExpr) {
        use cel::common::ast::{EntryExpr, Expr};
        if let Some(at) = self.place(e) {
            self.places[at].whole = true;
            return;
        }
        match &e.expr {
            Expr::Select(s) => {
                if !s.test {
                    self.visit(&s.operand);
                } else if let Some(at) = self.place(&s.operand) {
                    // `has(x.f)`: the presence of `f`.
                    self.field(at, &s.field);
                } else {
                    self.visit(&s.operand);
                }
            }
            Expr::Call(c) => {
                let sized = match (&c.target, &c.args[..]) {
                    (Some(t), []) if c.func_name == "size" => Some(&**t),
                    (None, [a]) if c.func_name == "size" => Some(a),
                    _ => None,
                };
                if let Some(x) = sized {
                    if let Some(at) = self.place(x) {
                        self.places[at].size = true;
                        return;
                    }
                    if let Expr::Comprehension(c) = &x.expr {
                        if filter_condition(c).is_some() {
                            self.comprehension(c, true);
                            return;
                        }
                    }
                }
                if let Some(t) = &c.target {
                    self.visit(t);
                }
                c.args.iter().for_each(|a| self.visit(a));
            }
            Expr::Comprehension(c) => self.comprehension(c, false),
            Expr::List(l) => l.elements.iter().for_each(|x| self.visit(x)),
            Expr::Map(m) => m.entries.iter().for_each(|x| match &x.expr {
                EntryExpr::MapEntry(m) => {
                    self.visit(&m.key);
                    self.visit(&m.value);
                }
                EntryExpr::StructField(f) => self.visit(&f.value),
            }),
            Expr::Struct(s) => s.entries.iter().for_each(|x| match &x.expr {
                EntryExpr::MapEntry(m) => {
                    self.visit(&m.key);
                    self.visit(&m.value);
                }
                EntryExpr::StructField(f) => self.visit(&f.value),
            }),
            Expr::Ident(_) | Expr::Literal(_) | Expr::Unspecified => {}
        }
    }

    /// Records what a macro reads: the range (a place's items, when it is a list
    /// read from `self`), the initial value, and the loop with the macro's variables
    /// standing for their places. `counted`: only the size of the result is read, and
    /// the macro is a `filter` ([`filter_condition`]): the items it keeps count only by
    /// number, so only its condition is recorded.
    fn comprehension(&mut self, c: &cel::common::ast::ComprehensionExpr, counted: bool) {
        // The range and the initial value are evaluated outside the macro.
        let items = match c.iter_var2 {
            None => self.place(&c.iter_range).map(|at| self.items(at)),
            Some(_) => None,
        };
        if items.is_none() {
            self.visit(&c.iter_range);
        }
        self.visit(&c.accu_init);
        let depth = self.scope.len();
        self.scope.push((c.iter_var.clone(), items));
        if let Some(v2) = &c.iter_var2 {
            self.scope.push((v2.clone(), None));
        }
        self.scope.push((c.accu_var.clone(), None));
        match filter_condition(c).filter(|_| counted) {
            Some(condition) => self.visit(condition),
            None => {
                for x in [&c.loop_cond, &c.loop_step, &c.result] {
                    self.visit(x);
                }
            }
        }
        self.scope.truncate(depth);
    }
}

/// The condition of a `filter` macro, as the parser expands `r.filter(x, cond)`:
/// starting from `[]`, each step `cond ? @result + [x] : @result`, the result
/// `@result`. The size of its result depends on the items only through `cond`.
fn filter_condition(c: &cel::common::ast::ComprehensionExpr) -> Option<&IdedExpr> {
    use cel::common::ast::{operators, Expr, LiteralValue};
    let is_accu = |e: &IdedExpr| matches!(&e.expr, Expr::Ident(n) if *n == c.accu_var);
    let is_var = |e: &IdedExpr| matches!(&e.expr, Expr::Ident(n) if *n == c.iter_var);
    let empty = matches!(&c.accu_init.expr, Expr::List(l) if l.elements.is_empty());
    let always = matches!(&c.loop_cond.expr, Expr::Literal(LiteralValue::Boolean(b)) if *b.inner());
    if !(empty && always && c.iter_var2.is_none() && is_accu(&c.result)) {
        return None;
    }
    let Expr::Call(step) = &c.loop_step.expr else {
        return None;
    };
    let [condition, append, keep] = &step.args[..] else {
        return None;
    };
    let Expr::Call(add) = &append.expr else {
        return None;
    };
    let appends_var = match &add.args[..] {
        [accu, item] => {
            is_accu(accu)
                && matches!(&item.expr, Expr::List(l) if l.elements.len() == 1 && is_var(&l.elements[0]) && l.optional_indices.is_empty())
        }
        _ => false,
    };
    (step.func_name == operators::CONDITIONAL
        && step.target.is_none()
        && add.func_name == operators::ADD
        && add.target.is_none()
        && appends_var
        && is_accu(keep))
    .then_some(condition)
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

/// The first line of a parse error without its `ERROR: <input>:` (so
/// `1:11: Syntax error: …`: line and column in the rule), or the whole text.
fn syntax_error(text: &str) -> String {
    let first = text.lines().next().unwrap_or_default();
    first
        .strip_prefix("ERROR: <input>:")
        .unwrap_or(first)
        .to_owned()
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
                    let child = props.and_then(|p| p.get(k)).map(|c| &**c).or(extra);
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
                Some(self)
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

        impl<'v> Iterable for Shared<$ty<'v>> {
            fn iter<'b, 'w>(&'b self) -> Box<dyn Iterator<'b, 'w> + 'b>
            where
                Self: 'w,
            {
                let inner: &'b (dyn Iterable + 'v) =
                    self.0.as_iterable().expect("lists and maps iterate");
                Box::new(Charged(inner.iter()))
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

/// An iterator over a [`Shared`] container that charges each element to the running
/// rule's cost ([`super::celcost::charge`]) and ends once the rule is over its limit.
struct Charged<'b, 'v>(Box<dyn Iterator<'b, 'v> + 'b>);

impl<'b, 'v: 'w, 'w> Iterator<'b, 'w> for Charged<'b, 'v> {
    fn next(&mut self) -> Option<&'b (dyn Val + 'w)> {
        match celcost::charge() {
            true => self.0.next().map(|v| v as &(dyn Val + 'w)),
            false => None,
        }
    }
}

/// CEL's `matches` (`s.matches(re)` and `matches(s, re)`), with RE2's ASCII shorthand
/// classes as Kubernetes has them; each regular expression is compiled once per
/// thread (the `cel` crate's compiled it on every call: a fifth of validating
/// HTTPRoutes).
fn matches(This(s): This<Arc<String>>, re: Arc<String>) -> Result<bool, ExecutionError> {
    thread_local! {
        static COMPILED: RefCell<FxHashMap<String, Result<Rc<regex::Regex>, RegexpError>>> =
            RefCell::default();
    }
    let compiled = COMPILED.with(|cache| {
        if let Some(r) = cache.borrow().get(re.as_str()) {
            return r.clone();
        }
        let r = crate::gocompat::regexp::compile(&re).map(Rc::new);
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
