//! `std.trace` call sites, so its output names `file:line` as go-jsonnet's does.
//!
//! jrsonnet calls builtins without their call location, so a plain `std.trace` cannot
//! know where it was called from. Each `std.trace` of a file's syntax tree (strings
//! and comments are never touched) is renamed to a same-length hidden member
//! (`std._0001`): every line and column of the file stays where it was. The file's
//! `std` then gets those members, each a trace function that knows its line.

use jrsonnet_evaluator::{error::Result, function::builtin, Thunk, Val};
use jrsonnet_ir::{
    visit::{visit_expr, Visitor},
    Expr,
};

/// The byte offsets of `trace` in the `std.trace` member accesses of `expr`, parsed
/// from `code`.
pub fn find(expr: &Expr, code: &str) -> Vec<usize> {
    let mut finder = Finder {
        code,
        offsets: Vec::new(),
    };
    finder.visit_expr(expr);
    finder.offsets
}

/// The member renamed, and the name trace functions report.
pub const TRACE: &str = "trace";

/// A cheap textual test before parsing: does `std . trace` (with any spacing) occur?
/// Parsing a large file costs about as much as evaluating it, so only files that can
/// hold a `std.trace` member access are parsed.
pub fn mentions_std_trace(text: &str) -> bool {
    text.match_indices(TRACE).any(|(at, _)| {
        let before = text[..at].trim_end();
        before
            .strip_suffix('.')
            .is_some_and(|b| b.trim_end().ends_with("std"))
    })
}

/// `_` and four base-36 digits: as long as `trace`, and no `std` member looks like it.
pub fn member_name(n: usize) -> Option<String> {
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

/// `std.trace(str, rest)` of one call site: prints `TRACE: location str` to stderr
/// (`location` is `file:line`) and returns `rest`.
#[builtin(fields(location: String))]
pub fn trace(this: &trace, str: Thunk<Val>, rest: Thunk<Val>) -> Result<Val> {
    crate::engine::overrides::print_trace(Some(&this.location), &str.evaluate()?)?;
    rest.evaluate()
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
