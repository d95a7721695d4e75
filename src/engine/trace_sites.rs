//! Call sites for `std.trace`, so its output names `file:line` as go-jsonnet's does.
//!
//! jrsonnet calls builtins without their call location, so a plain `std.trace` cannot
//! know where it was called from. When a file is loaded, each `std.trace` in its syntax
//! tree (found with jrsonnet's own parser, so strings and comments are never touched)
//! is renamed to a same-length hidden member (`std._0001`): every line and column of
//! the file stays where it was. The file's `std` then gets those members, each a
//! trace function that knows its line.

use std::{cell::RefCell, collections::HashMap, rc::Rc};

use jrsonnet_evaluator::{
    error::{ErrorKind, Result},
    function::{
        builtin::Builtin, CallLocation, FunctionSignature, ParamDefault, ParamName, ParamParse,
    },
    IStr, ObjValueBuilder, Thunk, Val,
};
use jrsonnet_gcmodule::Acyclic;
use jrsonnet_ir::{
    visit::{visit_expr, Visitor},
    Expr, Source, SourcePath,
};

/// One renamed `std.trace` of a file: the member it became and its line.
type Site = (IStr, usize);

/// The trace call sites of every loaded file, by source.
#[derive(Acyclic, Clone, Default)]
pub struct TraceSites(Rc<RefCell<HashMap<SourcePath, Vec<Site>>>>);

impl TraceSites {
    /// Renames the `std.trace` members of `code` (loaded from `path`) and remembers
    /// their lines; returns `None` when the file has none or does not parse (the
    /// evaluator then reports the syntax error itself).
    pub fn rewrite(&self, path: &SourcePath, code: &[u8]) -> Option<Vec<u8>> {
        let text = std::str::from_utf8(code).ok()?;
        if !mentions_std_trace(text) {
            return None;
        }
        let source = Source::new(path.clone(), text.into());
        let expr =
            jrsonnet_ir_parser::parse(text, &jrsonnet_ir_parser::ParserSettings { source }).ok()?;
        let mut finder = Finder {
            code: text,
            offsets: Vec::new(),
        };
        finder.visit_expr(&expr);
        if finder.offsets.is_empty() {
            return None;
        }
        let mut out = code.to_vec();
        let mut sites = Vec::with_capacity(finder.offsets.len());
        for (n, offset) in finder.offsets.into_iter().enumerate() {
            let name = member_name(n)?;
            out[offset..offset + TRACE.len()].copy_from_slice(name.as_bytes());
            let line = 1 + text[..offset].bytes().filter(|b| *b == b'\n').count();
            sites.push((IStr::from(name.as_str()), line));
        }
        self.0.borrow_mut().insert(path.clone(), sites);
        Some(out)
    }

    /// Adds the trace members of the file at `path` to its `std` layer; `file` is the
    /// name traces print.
    pub fn install(&self, path: &SourcePath, file: &str, std: &mut ObjValueBuilder) {
        if let Some(sites) = self.0.borrow().get(path) {
            for (name, line) in sites {
                std.method(
                    name.clone(),
                    TraceAt {
                        location: format!("{file}:{line}"),
                    },
                );
            }
        }
    }
}

const TRACE: &str = "trace";

/// A cheap textual test before parsing: does `std . trace` (with any spacing) occur?
/// Parsing a large file costs about as much as evaluating it, so only files that can
/// hold a `std.trace` member access are parsed.
fn mentions_std_trace(text: &str) -> bool {
    text.match_indices(TRACE).any(|(at, _)| {
        let before = text[..at].trim_end();
        before
            .strip_suffix('.')
            .is_some_and(|b| b.trim_end().ends_with("std"))
    })
}

/// `_` and four base-36 digits: as long as `trace`, and no `std` member looks like it.
fn member_name(n: usize) -> Option<String> {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    if n >= 36usize.pow(4) {
        return None;
    }
    let mut name = String::from("_");
    for shift in (0..4).rev() {
        name.push(DIGITS[(n / 36usize.pow(shift)) % 36] as char);
    }
    Some(name)
}

/// Collects the byte offsets of `trace` in `std.trace` member accesses.
struct Finder<'a> {
    code: &'a str,
    offsets: Vec<usize>,
}

impl Visitor for Finder<'_> {
    fn visit_expr(&mut self, e: &Expr) {
        if let Expr::Index { indexable, parts } = e {
            if let (Expr::Var(var), Some(first)) = (&**indexable, parts.first()) {
                let end = first.span.2 as usize;
                if &*var.value == "std"
                    && matches!(&first.value, Expr::Str(s) if &**s == TRACE)
                    && end >= TRACE.len()
                    && self.code.get(end - TRACE.len()..end) == Some(TRACE)
                    && self.code[..end - TRACE.len()].trim_end().ends_with('.')
                {
                    self.offsets.push(end - TRACE.len());
                }
            }
        }
        visit_expr(self, e);
    }
}

/// `std.trace(str, rest)` of one call site: prints `TRACE: file:line str` to stderr
/// and returns `rest`.
#[derive(Acyclic)]
pub struct TraceAt {
    location: String,
}

impl Builtin for TraceAt {
    fn name(&self) -> &str {
        TRACE
    }
    fn params(&self) -> FunctionSignature {
        FunctionSignature::new(
            ["str", "rest"]
                .iter()
                .map(|n| ParamParse::new(ParamName::Named((*n).into()), ParamDefault::None))
                .collect::<Vec<_>>()
                .into(),
        )
    }
    fn call(&self, _loc: CallLocation<'_>, args: &[Option<Thunk<Val>>]) -> Result<Val> {
        let (Some(Some(message)), Some(Some(rest))) = (args.first(), args.get(1)) else {
            return Err(
                ErrorKind::RuntimeError("std.trace takes 2 arguments: str, rest".into()).into(),
            );
        };
        super::overrides::print_trace(Some(&self.location), &message.evaluate()?)?;
        rest.evaluate()
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::member_name;

    #[test]
    fn prefilter_finds_std_trace_only() {
        use super::mentions_std_trace;
        assert!(mentions_std_trace("std.trace('a', 1)"));
        assert!(mentions_std_trace("std .\n trace"));
        assert!(!mentions_std_trace(
            "// a stack trace\n{ tracer: 1, x: self.trace }"
        ));
    }

    #[test]
    fn member_names_are_as_long_as_trace() {
        assert_eq!(member_name(0).unwrap(), "_0000");
        assert_eq!(member_name(37).unwrap(), "_0011");
        assert_eq!(member_name(36usize.pow(4) - 1).unwrap(), "_zzzz");
        assert!(member_name(36usize.pow(4)).is_none());
    }
}
