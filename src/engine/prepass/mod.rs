//! What happens to a Jsonnet file between reading it and jrsonnet parsing it, so that
//! go-jsonnet behaviours jrsonnet's lexer and evaluator lack still hold, without
//! forking it. [`Prepass::prepare`] runs [`PASSES`] in order over each file:
//!
//! - [`comments`]: block comments close at their first `*/` (same-length edit);
//! - [`checks`]: go-jsonnet's static errors the parser lets through;
//! - [`trace`]: `std.trace` calls learn their `file:line` (same-length renames);
//! - [`comprehensions`]: array comprehensions become calls of a wrapper with
//!   closures, so they evaluate lazily, as go-jsonnet's do (text inserted, keywords
//!   blanked; the passes after this one work on the rewritten text);
//! - [`object_comprehensions`]: object comprehensions and their `for` arrays are
//!   wrapped, so their failures show go-jsonnet's frames and types (text inserted);
//! - [`tail_call`]: `tailstrict` tail calls stop counting against `--max-stack`
//!   (a wrapper is inserted around each);
//! - [`operators`]: `*` checks its operands and `%` goes through a wrapper, with
//!   go-jsonnet's semantics;
//! - [`raw_imports`]: `importstr`/`importbin` paths are marked so they read the
//!   file's bytes, never the prepared text;
//!
//! helped by [`edits`] (inserted text and the map back to the user's lines and
//! columns) and [`tokens`] (jrsonnet's lexer, for positions the syntax tree does not
//! keep).
//!
//! Each pass first tests the text (`**/`, `for`, `std.trace`, `tailstrict`, `*`/`%`,
//! `importstr`), so a file that needs nothing is neither lexed nor parsed; the parse
//! is jrsonnet's own parser, so strings are never touched. Files that do not parse
//! pass unchanged: jrsonnet reports the syntax error. `GWSONNET_PREPASS=off` turns
//! the whole prepass off, for diagnosis.
//!
//! Verification: an edited text (wrappers, parentheses, marks inserted) can be parsed
//! again to check it holds exactly the planned wrappers; when it does not, operators
//! are given up first, then tail calls, and a note names the file on stderr (a
//! planner bug: please report it). The re-parse costs as much as jrsonnet's own parse
//! of the file, so release builds trust the plan and skip it; debug builds (the ones
//! `cargo test` runs, conformance and prepass suites included) verify;
//! `GWSONNET_PREPASS=verify` or `=trust` chooses in any build. An unverified edit of a
//! file that does not parse still reports the error of the text the user wrote
//! ([`Prepass::original_syntax_error`]).
//!
//! Contact points: the resolver calls [`Prepass::prepare`] on every Jsonnet source it
//! loads and [`raw_imports::strip_mark`] on import paths; `std` setup calls
//! [`Prepass::install`] for each file's context; error formatting asks
//! [`Prepass::original_span`] and [`Prepass::frame_description`].

mod checks;
mod comments;
mod comprehensions;
mod edits;
mod object_comprehensions;
mod operators;
pub mod raw_imports;
mod tail_call;
pub(in crate::engine) mod tokens;
mod trace;

use std::{cell::RefCell, collections::HashMap, rc::Rc};

use jrsonnet_evaluator::{
    analyze::{DiagLevel, Diagnostic},
    error::{ErrorKind, Result},
    function::FuncVal,
    IStr, InitialContextBuilder, ObjValueBuilder, Thunk, Val,
};
use jrsonnet_gcmodule::{Acyclic, Trace};
use jrsonnet_ir::{
    visit::{visit_expr, Visitor},
    Expr, Source, SourceFifo, SourcePath, Span,
};
use jrsonnet_ir_parser::ParseError;

use edits::EditMap;
use tokens::Tokens;

/// What was done to each loaded file, by source.
#[derive(Acyclic, Clone)]
pub struct Prepass(Rc<RefCell<Files>>);

/// The environment variable that turns the prepass off when set to `off`, and its
/// verification on when set to `verify` or off when set to `trust`.
pub const SWITCH: &str = "GWSONNET_PREPASS";

#[derive(Default)]
struct Files {
    /// False when [`SWITCH`] is `off`: every file then reaches jrsonnet as read.
    enabled: bool,
    /// Whether edited texts are parsed again to check them (see the module header).
    verify: bool,
    /// The program's own file: Jsonnet whatever its name.
    entry: Option<SourcePath>,
    prepared: HashMap<SourcePath, Prepared>,
}

/// What was done to one file.
#[derive(Default)]
struct Prepared {
    /// Renamed `std.trace` members and their lines.
    traces: Vec<(IStr, usize)>,
    /// Present when text was inserted (wrappers, parentheses, unary plus).
    edits: Option<EditMap>,
}

impl Prepass {
    /// A prepass for one evaluation; on unless `GWSONNET_PREPASS=off`, verifying its
    /// edits in debug builds or when `GWSONNET_PREPASS=verify`, not when
    /// `GWSONNET_PREPASS=trust`.
    pub fn new() -> Self {
        let switch = std::env::var_os(SWITCH);
        Self(Rc::new(RefCell::new(Files {
            enabled: switch.as_ref().is_none_or(|v| v != "off"),
            verify: match switch.as_ref().and_then(|v| v.to_str()) {
                Some("verify") => true,
                Some("trust") => false,
                _ => cfg!(debug_assertions),
            },
            ..Files::default()
        })))
    }

    /// Names the program's own file, which is Jsonnet whatever its name.
    pub fn set_entry(&self, path: SourcePath) {
        self.0.borrow_mut().entry = Some(path);
    }

    /// Whether `path` holds Jsonnet source: the entry file, standard input or `-e`
    /// code, and `.jsonnet`/`.libsonnet` files. Other files are data for `importstr`
    /// (or JSON) and pass unchanged.
    fn is_jsonnet(&self, path: &SourcePath) -> bool {
        match path.path() {
            Some(p) => {
                matches!(
                    p.extension().and_then(|e| e.to_str()),
                    Some("jsonnet" | "libsonnet")
                ) || self.0.borrow().entry.as_ref() == Some(path)
            }
            None => path.downcast_ref::<SourceFifo>().is_some(),
        }
    }

    /// Checks and rewrites `code` loaded from `path` when it is Jsonnet source (and
    /// the prepass is on); returns the text to parse, or the static error go-jsonnet
    /// reports for it.
    pub fn prepare(&self, path: &SourcePath, code: Vec<u8>) -> Result<Vec<u8>> {
        if !self.0.borrow().enabled || !self.is_jsonnet(path) {
            return Ok(code);
        }
        let text = match String::from_utf8(code) {
            Ok(text) => text,
            Err(e) => return Ok(e.into_bytes()),
        };
        let verify = self.0.borrow().verify;
        let mut work = Work::new(path, text, verify);
        for pass in PASSES {
            pass(&mut work)?;
        }
        let (text, prepared) = work.finish();
        if let Some(prepared) = prepared {
            self.0.borrow_mut().prepared.insert(path.clone(), prepared);
        }
        Ok(text.into_bytes())
    }

    /// Adds what the file at `path` needs to its context: its trace members to its
    /// `std` layer (`file` is the name traces print) and the wrappers its edits call.
    pub fn install(
        &self,
        path: &SourcePath,
        file: &str,
        std: &mut ObjValueBuilder,
        globals: &mut InitialContextBuilder,
        wrappers: &Wrappers,
    ) {
        let files = self.0.borrow();
        let Some(prepared) = files.prepared.get(path) else {
            return;
        };
        for (name, line) in &prepared.traces {
            std.method(
                name.clone(),
                trace::trace {
                    location: format!("{file}:{line}"),
                },
            );
        }
        if prepared.edits.is_some() {
            for (name, wrapper) in &wrappers.0 {
                globals.bind(*name, Thunk::evaluated(wrapper.clone()));
            }
        }
    }

    /// `span` in the text the user wrote, when its file was edited.
    pub fn original_span(&self, span: &Span) -> Option<Span> {
        let files = self.0.borrow();
        let edits = files.prepared.get(span.0.source_path())?.edits.as_ref()?;
        Some(edits.original_span(span))
    }

    /// The text of `path` as the user wrote it, when it was edited.
    pub fn original_source(&self, path: &SourcePath) -> Option<Source> {
        let files = self.0.borrow();
        Some(files.prepared.get(path)?.edits.as_ref()?.original().clone())
    }

    /// The syntax error of `path` as the user wrote it, when its text was edited:
    /// jrsonnet parses the edited text, and without verification an edit can be made
    /// to a file that does not parse, so its error is taken from the user's text.
    /// `None` when that text parses.
    pub fn original_syntax_error(&self, path: &SourcePath) -> Option<ParseError> {
        let files = self.0.borrow();
        let original = files.prepared.get(path)?.edits.as_ref()?.original();
        let settings = jrsonnet_ir_parser::ParserSettings {
            source: original.clone(),
        };
        jrsonnet_ir_parser::parse(original.code(), &settings).err()
    }

    /// How a stack frame described as `desc` is shown: the call of one of the
    /// inserted wrappers (named `__gwsonnet_…`), which the user did not write, is not
    /// (`None`), except a rewritten comprehension's, which is where the user wrote
    /// the comprehension, a `%`'s ([`MOD_FRAME`]), which is where the user wrote
    /// the operator, and an object comprehension's ([`OBJECT_COMPREHENSION_FRAME`]).
    pub fn frame_description(desc: &str) -> Option<&str> {
        if !desc.contains("<__gwsonnet_") {
            Some(desc)
        } else if desc.contains(comprehensions::WRAPPER) {
            Some("array comprehension")
        } else if desc.contains(operators::MOD_WRAPPER) {
            Some(MOD_FRAME)
        } else if desc.contains(object_comprehensions::WRAPPER) {
            Some(OBJECT_COMPREHENSION_FRAME)
        } else {
            None
        }
    }
}

/// The description [`Prepass::frame_description`] gives the call of a `%`'s wrapper.
pub const MOD_FRAME: &str = "operator %";

/// The description [`Prepass::frame_description`] gives the call of an object
/// comprehension's wrapper.
pub const OBJECT_COMPREHENSION_FRAME: &str = "object comprehension";

pub use object_comprehensions::FORS as OBJECT_COMPREHENSION_FORS;

/// The builtins edited files call, by the global name they are bound to.
#[derive(Trace, Clone)]
pub struct Wrappers(#[trace(skip)] Vec<(&'static str, Val)>);

impl Wrappers {
    /// The wrappers.
    pub fn new() -> Self {
        Self(vec![
            (
                tail_call::WRAPPER,
                Val::Func(FuncVal::builtin(tail_call::__gwsonnet_tailcall {})),
            ),
            (
                operators::MOD_WRAPPER,
                Val::Func(FuncVal::builtin(operators::__gwsonnet_mod {})),
            ),
            (
                comprehensions::WRAPPER,
                Val::Func(FuncVal::builtin(comprehensions::__gwsonnet_comp {})),
            ),
            (
                object_comprehensions::WRAPPER,
                Val::Func(FuncVal::builtin(
                    object_comprehensions::__gwsonnet_objcomp {},
                )),
            ),
            (
                object_comprehensions::FOR,
                Val::Func(FuncVal::builtin(
                    object_comprehensions::__gwsonnet_objfor {},
                )),
            ),
        ])
    }
}

/// A pass over one file: reads what it needs from [`Work`] and records what it found.
type Pass = fn(&mut Work) -> Result<()>;

/// The passes, in order. Each one is cheap on a file that does not need it: it tests
/// the text first, and the tokens and the tree are only made for the passes that ask.
const PASSES: &[Pass] = &[
    close_comments,
    check_comprehensions,
    check_block_imports,
    rename_traces,
    rewrite_comprehensions,
    wrap_object_comprehensions,
    find_tail_calls,
    plan_operators,
    mark_raw_imports,
];

/// The tail calls and the operator plan one edit of a file tries.
type Attempt<'w> = (&'w [(u32, u32)], Option<&'w operators::Plan>);

/// One file on its way through the passes.
struct Work<'a> {
    path: &'a SourcePath,
    /// Whether edits are parsed again to check them (see the module header).
    verify: bool,
    /// The text with the edits made so far: same-length ones (comments closed,
    /// traces renamed), then the comprehensions rewritten, whose map back to the
    /// user's offsets is `rewritten`.
    text: String,
    rewritten: Option<EditMap>,
    /// The tokens, once a pass asked for them.
    tokens: Option<Tokens>,
    /// The syntax tree, once a pass asked for it (`None` inside: it does not parse).
    tree: Option<Option<Expr>>,
    traces: Vec<(IStr, usize)>,
    tail_calls: Vec<(u32, u32)>,
    operators: Option<operators::Plan>,
    raw_imports: Vec<u32>,
}

impl<'a> Work<'a> {
    fn new(path: &'a SourcePath, text: String, verify: bool) -> Self {
        Self {
            path,
            verify,
            text,
            rewritten: None,
            tokens: None,
            tree: None,
            traces: Vec::new(),
            tail_calls: Vec::new(),
            operators: None,
            raw_imports: Vec::new(),
        }
    }

    fn source(&self) -> Source {
        Source::new(self.path.clone(), self.text.as_str().into())
    }

    fn tokens(&mut self) -> &Tokens {
        self.tokens.get_or_insert_with(|| Tokens::lex(&self.text))
    }

    /// The tree, the tokens and the text together (passes that walk the tree ask
    /// the tokens for positions it does not keep); `None` when the file does not
    /// parse.
    fn tree_and_tokens(&mut self) -> Option<(&Expr, &Tokens, &str)> {
        if self.tree.is_none() {
            self.tree = Some(parse(&self.text, self.source()));
        }
        self.tokens.get_or_insert_with(|| Tokens::lex(&self.text));
        Some((
            self.tree.as_ref()?.as_ref()?,
            self.tokens.as_ref()?,
            &self.text,
        ))
    }

    /// The text to hand to jrsonnet and what to remember of the file. With
    /// verification, inserted wrappers and marks are kept only if the edited text
    /// parses into exactly them; operators are given up first, then tail calls (and
    /// stderr says so). Without it the plan is applied as made.
    fn finish(self) -> (String, Option<Prepared>) {
        let source = self.source();
        let verify = self.verify;
        let mut attempts: Vec<Attempt> = vec![(&self.tail_calls, self.operators.as_ref())];
        if self.operators.is_some() {
            attempts.push((&self.tail_calls, None));
        }
        if !self.tail_calls.is_empty() {
            attempts.push((&[], None));
        }
        for (calls, plan) in attempts {
            if calls.is_empty() && plan.is_none() && self.raw_imports.is_empty() {
                break;
            }
            if let Some((edited, map)) = edit(
                self.path,
                &source,
                &self.text,
                calls,
                plan,
                &self.raw_imports,
                verify,
            ) {
                let edits = match self.rewritten {
                    Some(earlier) => map.after(earlier),
                    None => map,
                };
                let prepared = Prepared {
                    traces: self.traces,
                    edits: Some(edits),
                };
                return (edited, Some(prepared));
            }
            if parse(&self.text, source.clone()).is_some() {
                eprintln!(
                    "gwsonnet: prepass: the edit of {} does not parse as planned, so some \
                     of its operators or tail calls keep jrsonnet's behaviour (a gwsonnet bug)",
                    self.path
                );
            }
        }
        let prepared = (!self.traces.is_empty() || self.rewritten.is_some()).then(|| Prepared {
            traces: self.traces,
            edits: self.rewritten,
        });
        (self.text, prepared)
    }
}

/// Block comments end at their first `*/`, as go-jsonnet ends them.
fn close_comments(work: &mut Work) -> Result<()> {
    if let Some(closed) = comments::close_as_go(&work.text) {
        work.text = closed;
    }
    Ok(())
}

/// `{ x: 1 for ... }` is go-jsonnet's static error.
fn check_comprehensions(work: &mut Work) -> Result<()> {
    if !mentions(&work.text, "for") || !checks::may_have_error(work.tokens()) {
        return Ok(());
    }
    let Some((tree, tokens, _)) = work.tree_and_tokens() else {
        return Ok(());
    };
    let Some(err) = checks::first_error(tree, tokens) else {
        return Ok(());
    };
    Err(ErrorKind::StaticAnalysisError(vec![Diagnostic {
        level: DiagLevel::Error,
        message: err.message.to_string(),
        span: Some(Span(work.source(), err.range.0, err.range.1)),
    }])
    .into())
}

/// `import |||…|||` (also `importstr`, `importbin`) is go-jsonnet's static error, at
/// the text block; jrsonnet would import the block's text.
fn check_block_imports(work: &mut Work) -> Result<()> {
    if !mentions(&work.text, "|||") || !mentions(&work.text, "import") {
        return Ok(());
    }
    let Some(range) = checks::block_import(work.tokens()) else {
        return Ok(());
    };
    Err(ErrorKind::StaticAnalysisError(vec![Diagnostic {
        level: DiagLevel::Error,
        message: checks::BLOCK_IMPORT.to_string(),
        span: Some(Span(work.source(), range.0, range.1)),
    }])
    .into())
}

/// Each `std.trace` becomes a same-length hidden member that knows its line.
fn rename_traces(work: &mut Work) -> Result<()> {
    if !trace::mentions_std_trace(&work.text) {
        return Ok(());
    }
    let Some((tree, _, text)) = work.tree_and_tokens() else {
        return Ok(());
    };
    let offsets = trace::find(tree, text);
    let mut text = std::mem::take(&mut work.text).into_bytes();
    for (n, offset) in offsets.into_iter().enumerate() {
        let Some(name) = trace::member_name(n) else {
            break;
        };
        text[offset..offset + trace::TRACE.len()].copy_from_slice(name.as_bytes());
        let line = 1 + text[..offset].iter().filter(|b| **b == b'\n').count();
        work.traces.push((IStr::from(name.as_str()), line));
    }
    work.text = String::from_utf8(text).expect("renames keep UTF-8");
    Ok(())
}

/// Array comprehensions get their elements unevaluated, as go-jsonnet's do. The
/// rewritten text replaces the work's text (tokens and tree are made again for the
/// passes after this one); with verification, only if it parses into exactly the
/// planned calls.
fn rewrite_comprehensions(work: &mut Work) -> Result<()> {
    if !mentions(&work.text, "for") {
        return Ok(());
    }
    let source = work.source();
    work.tokens();
    let (Some(tokens), text) = (&work.tokens, &work.text) else {
        return Ok(());
    };
    let plan = comprehensions::plan(text, tokens);
    if plan.count == 0 {
        return Ok(());
    }
    let base = plan.blanked(text);
    let mut insertions: Vec<(u32, &str)> = plan
        .insertions
        .iter()
        .map(|(offset, piece)| (*offset, piece.as_str()))
        .collect();
    let (edited, map) = EditMap::apply(source, &base, &mut insertions);
    if work.verify {
        let reparsed = parse(
            &edited,
            Source::new(work.path.clone(), edited.as_str().into()),
        );
        if reparsed.as_ref().map(comprehensions::count_rewritten) != Some(plan.count) {
            if parse(&work.text, work.source()).is_none() {
                // Not a planner bug: the file does not parse; jrsonnet reports it.
                return Ok(());
            }
            eprintln!(
                "gwsonnet: prepass: the edit of {} does not parse as planned, so its array \
                 comprehensions keep jrsonnet's behaviour (a gwsonnet bug)",
                work.path
            );
            return Ok(());
        }
    }
    work.text = edited;
    work.tokens = None;
    work.tree = None;
    work.rewritten = Some(map);
    Ok(())
}

/// Object comprehensions and their specs are wrapped, so that their failures show
/// go-jsonnet's frames and types. Like [`rewrite_comprehensions`], the wrapped text
/// replaces the work's text; with verification, only if it parses into exactly the
/// planned calls.
fn wrap_object_comprehensions(work: &mut Work) -> Result<()> {
    if !mentions(&work.text, "for") {
        return Ok(());
    }
    let source = work.source();
    let plan = object_comprehensions::plan(work.tokens());
    if plan.comprehensions == 0 {
        return Ok(());
    }
    let mut insertions: Vec<(u32, &str)> = plan
        .insertions
        .iter()
        .map(|(offset, piece)| (*offset, piece.as_str()))
        .collect();
    let (edited, map) = EditMap::apply(source, &work.text, &mut insertions);
    if work.verify {
        let reparsed = parse(
            &edited,
            Source::new(work.path.clone(), edited.as_str().into()),
        );
        if reparsed.as_ref().map(object_comprehensions::count_wrapped)
            != Some((plan.comprehensions, plan.specs))
        {
            if parse(&work.text, work.source()).is_some() {
                eprintln!(
                    "gwsonnet: prepass: the edit of {} does not parse as planned, so its \
                     object comprehensions keep jrsonnet's errors (a gwsonnet bug)",
                    work.path
                );
            }
            return Ok(());
        }
    }
    work.text = edited;
    work.tokens = None;
    work.tree = None;
    work.rewritten = Some(match work.rewritten.take() {
        Some(earlier) => map.after(earlier),
        None => map,
    });
    Ok(())
}

/// `f(x) tailstrict` in tail position gets its caller's stack headroom.
fn find_tail_calls(work: &mut Work) -> Result<()> {
    if !mentions(&work.text, "tailstrict") {
        return Ok(());
    }
    let Some((tree, tokens, _)) = work.tree_and_tokens() else {
        return Ok(());
    };
    let mut calls = tail_call::find(tree, tokens);
    calls.sort_unstable();
    calls.dedup();
    work.tail_calls = calls;
    Ok(())
}

/// `*` checks its operands and `%` formats strings as go-jsonnet does.
fn plan_operators(work: &mut Work) -> Result<()> {
    if memchr::memchr2(b'*', b'%', work.text.as_bytes()).is_none() {
        return Ok(());
    }
    work.operators =
        operators::plan(work.tokens()).filter(|plan| plan.multiplications + plan.remainders > 0);
    Ok(())
}

/// `importstr`/`importbin` paths are marked so they read the file's own bytes.
fn mark_raw_imports(work: &mut Work) -> Result<()> {
    if raw_imports::mentioned(&work.text) {
        work.raw_imports = raw_imports::marks(work.tokens());
    }
    Ok(())
}

/// Applies the tail-call wrappers `calls`, the operator `plan` and the raw-import
/// `marks` to `base` (the text of `source` after the same-length edits) and, with
/// `verify`, checks the result parses into exactly those wrappers.
fn edit(
    path: &SourcePath,
    source: &Source,
    base: &str,
    calls: &[(u32, u32)],
    plan: Option<&operators::Plan>,
    marks: &[u32],
    verify: bool,
) -> Option<(String, EditMap)> {
    let opening = format!("{}(", tail_call::WRAPPER);
    let mut insertions: Vec<(u32, &str)> = Vec::new();
    let mut base = base.to_string();
    if let Some(plan) = plan {
        insertions.extend(plan.insertions.iter().copied());
        let mut bytes = base.into_bytes();
        for &comma in &plan.commas {
            bytes[comma as usize] = b',';
        }
        base = String::from_utf8(bytes).expect("operators are ASCII");
    }
    for &(start, end) in calls {
        insertions.push((start, opening.as_str()));
        insertions.push((end, ")"));
    }
    insertions.extend(marks.iter().map(|&at| (at, raw_imports::MARK)));
    let (edited, map) = EditMap::apply(source.clone(), &base, &mut insertions);
    if !verify {
        return Some((edited, map));
    }
    let reparsed = parse(&edited, Source::new(path.clone(), edited.as_str().into()))?;
    let operators = plan.map_or((0, 0), |p| (p.multiplications, p.remainders));
    (tail_call::count_wrapped(&reparsed) == calls.len()
        && operators::count_edited(&reparsed) == operators)
        .then_some((edited, map))
}

/// Whether `needle` occurs in `text`: the test before a pass lexes or parses a file
/// (a vectorised search, well under an instruction per byte).
fn mentions(text: &str, needle: &str) -> bool {
    memchr::memmem::find(text.as_bytes(), needle.as_bytes()).is_some()
}

/// Counts the calls `wrapper(ARGS)` (not `tailstrict`) in a re-parsed file whose
/// unnamed arguments `args` accepts: how a pass checks that its edit kept its shape.
fn count_calls(expr: &Expr, wrapper: &str, args: fn(&[Expr]) -> bool) -> usize {
    struct Counter<'w> {
        wrapper: &'w str,
        args: fn(&[Expr]) -> bool,
        count: usize,
    }
    impl Visitor for Counter<'_> {
        fn visit_expr(&mut self, e: &Expr) {
            if let Expr::Apply(callee, call, false) = e {
                if matches!(&**callee, Expr::Var(v) if &*v.value == self.wrapper)
                    && (self.args)(&call.unnamed)
                {
                    self.count += 1;
                }
            }
            visit_expr(self, e);
        }
    }
    let mut counter = Counter {
        wrapper,
        args,
        count: 0,
    };
    counter.visit_expr(expr);
    counter.count
}

fn parse(text: &str, source: Source) -> Option<Expr> {
    jrsonnet_ir_parser::parse(text, &jrsonnet_ir_parser::ParserSettings { source }).ok()
}
