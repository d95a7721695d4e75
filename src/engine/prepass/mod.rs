//! What happens to a Jsonnet file between reading it and jrsonnet parsing it, so that
//! go-jsonnet behaviours jrsonnet's evaluator lacks still hold, without forking it:
//!
//! - [`checks`]: go-jsonnet's static errors the parser lets through;
//! - [`trace`]: `std.trace` calls learn their `file:line` (same-length renames);
//! - [`tail_call`]: `tailstrict` tail calls stop counting against `--max-stack`
//!   (a wrapper is inserted around each);
//! - [`operators`]: `*` checks its operands and `%` goes through a wrapper, with
//!   go-jsonnet's semantics;
//! - [`edits`]: inserted text and the map back to the user's lines and columns;
//! - [`tokens`]: jrsonnet's lexer, for positions the syntax tree does not keep.
//!
//! A file is only lexed when its text holds `tailstrict`, `for`, `*` or `%`, and only
//! parsed when it has something to do; the parse is jrsonnet's own parser, so strings and
//! comments are never touched. Files that do not parse pass unchanged: jrsonnet
//! reports the syntax error.
//!
//! Contact points: the resolver calls [`Prepass::prepare`] on every Jsonnet source it
//! loads; `std` setup calls [`Prepass::install`] for each file's context; error
//! formatting asks [`Prepass::original_span`] and [`Prepass::is_wrapper_frame`].

mod checks;
mod edits;
mod operators;
mod tail_call;
mod tokens;
mod trace;

use std::{cell::RefCell, collections::HashMap, rc::Rc};

use jrsonnet_evaluator::{
    analyze::{DiagLevel, Diagnostic},
    error::{ErrorKind, Result},
    function::FuncVal,
    IStr, InitialContextBuilder, ObjValueBuilder, Thunk, Val,
};
use jrsonnet_gcmodule::{Acyclic, Trace};
use jrsonnet_ir::{Expr, Source, SourceFifo, SourcePath, Span};

use edits::EditMap;
use tokens::Tokens;

/// What was done to each loaded file, by source.
#[derive(Acyclic, Clone, Default)]
pub struct Prepass(Rc<RefCell<Files>>);

#[derive(Default)]
struct Files {
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

    /// Checks and rewrites `code` loaded from `path` when it is Jsonnet source;
    /// returns the text to parse, or the static error go-jsonnet reports for it.
    pub fn prepare(&self, path: &SourcePath, code: Vec<u8>) -> Result<Vec<u8>> {
        if !self.is_jsonnet(path) {
            return Ok(code);
        }
        let Ok(text) = std::str::from_utf8(&code) else {
            return Ok(code);
        };
        let has_traces = trace::mentions_std_trace(text);
        let has_tailstrict = text.contains("tailstrict");
        let has_operator = text.contains(['*', '%']);
        let tokens = if has_tailstrict || has_operator || text.contains("for") {
            Tokens::lex(text)
        } else {
            Tokens::lex("")
        };
        let has_comprehension = checks::has_object_comprehension(&tokens);
        let operators = if has_operator {
            operators::plan(&tokens).filter(|plan| plan.multiplications + plan.remainders > 0)
        } else {
            None
        };
        let needs_tree = has_traces || has_tailstrict || has_comprehension;
        if !needs_tree && operators.is_none() {
            return Ok(code);
        }
        let source = Source::new(path.clone(), text.into());
        let expr = if needs_tree {
            let Some(expr) = parse(text, source.clone()) else {
                return Ok(code);
            };
            Some(expr)
        } else {
            None
        };

        let mut prepared = Prepared::default();
        let mut tail_calls = Vec::new();
        let mut renamed = code.clone();
        if let Some(expr) = &expr {
            if has_comprehension {
                if let Some(err) = checks::first_error(expr, &tokens) {
                    return Err(ErrorKind::StaticAnalysisError(vec![Diagnostic {
                        level: DiagLevel::Error,
                        message: err.message.to_string(),
                        span: Some(Span(source, err.range.0, err.range.1)),
                    }])
                    .into());
                }
            }
            if has_traces {
                for (n, offset) in trace::find(expr, text).into_iter().enumerate() {
                    let Some(name) = trace::member_name(n) else {
                        break;
                    };
                    renamed[offset..offset + trace::TRACE.len()].copy_from_slice(name.as_bytes());
                    let line = 1 + text[..offset].bytes().filter(|b| *b == b'\n').count();
                    prepared.traces.push((IStr::from(name.as_str()), line));
                }
            }
            if has_tailstrict {
                tail_calls = tail_call::find(expr, &tokens);
                tail_calls.sort_unstable();
                tail_calls.dedup();
            }
        }
        let renamed = String::from_utf8(renamed).expect("renames keep UTF-8");
        // Operators and tail calls together, else tail calls alone: an edit is kept
        // only when it parses into exactly the wrappers intended.
        let mut attempts = vec![operators.as_ref()];
        if operators.is_some() {
            attempts.push(None);
        }
        for operators in attempts {
            if tail_calls.is_empty() && operators.is_none() {
                break;
            }
            if let Some((edited, map)) = edit(path, &source, &renamed, &tail_calls, operators) {
                self.0.borrow_mut().prepared.insert(
                    path.clone(),
                    Prepared {
                        edits: Some(map),
                        ..prepared
                    },
                );
                return Ok(edited.into_bytes());
            }
        }
        if prepared.traces.is_empty() {
            return Ok(code);
        }
        self.0.borrow_mut().prepared.insert(path.clone(), prepared);
        Ok(renamed.into_bytes())
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
            std.method(name.clone(), trace::TraceAt::new(format!("{file}:{line}")));
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

    /// Whether a stack frame is the call of one of the inserted wrappers (named
    /// `__gwsonnet_…`), which the user did not write.
    pub fn is_wrapper_frame(desc: &str) -> bool {
        desc.contains("<__gwsonnet_")
    }
}

/// The builtins edited files call, by the global name they are bound to.
#[derive(Trace, Clone)]
pub struct Wrappers(#[trace(skip)] Vec<(&'static str, Val)>);

impl Wrappers {
    /// The wrappers; `%` on a string calls `format` (gwsonnet's `std.format`).
    pub fn new(format: FuncVal) -> Result<Self> {
        Ok(Self(vec![
            (
                tail_call::WRAPPER,
                Val::Func(FuncVal::builtin(tail_call::TailCall::new())),
            ),
            (
                operators::MOD_WRAPPER,
                Val::Func(FuncVal::builtin(operators::Mod::new(format)?)),
            ),
        ]))
    }
}

/// Applies the tail-call wrappers `calls` and the operator `plan` to `base` (the text
/// of `source`, traces renamed) and checks the result parses into exactly those
/// wrappers.
fn edit(
    path: &SourcePath,
    source: &Source,
    base: &str,
    calls: &[(u32, u32)],
    plan: Option<&operators::Plan>,
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
    let (edited, map) = EditMap::apply(source.clone(), &base, &mut insertions);
    let reparsed = parse(&edited, Source::new(path.clone(), edited.as_str().into()))?;
    let operators = plan.map_or((0, 0), |p| (p.multiplications, p.remainders));
    (tail_call::count_wrapped(&reparsed) == calls.len()
        && operators::count_edited(&reparsed) == operators)
        .then_some((edited, map))
}

fn parse(text: &str, source: Source) -> Option<Expr> {
    jrsonnet_ir_parser::parse(text, &jrsonnet_ir_parser::ParserSettings { source }).ok()
}
