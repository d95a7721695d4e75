//! `tailstrict` tail calls, counted as go-jsonnet counts them.
//!
//! go-jsonnet replaces the caller's stack frame when a function body ends in a
//! `tailstrict` call, so tail recursion runs in constant stack; jrsonnet adds a frame
//! per call and stops at `--max-stack`. Each such call, `f(x) tailstrict` in tail
//! position of a function body, is wrapped in the hidden global [`WRAPPER`]
//! (`WRAPPER(f(x) tailstrict)`) whose builtin evaluates the call with the stack limit
//! raised by the frames it and the call add: the callee gets exactly the headroom
//! its caller had. Arguments stay strict (the keyword is kept).

use jrsonnet_evaluator::{
    error::Result,
    function::builtin,
    stack::{check_depth, limit_stack_depth},
    Thunk, Val,
};
use jrsonnet_ir::{
    visit::{visit_expr, Visitor},
    BindSpec, Expr, FieldMember, ObjBody,
};
use jrsonnet_lexer::SyntaxKind;

use super::tokens::Tokens;

/// The global the wrapped calls go through (bound only in files that have them).
pub const WRAPPER: &str = "__gwsonnet_tailcall";

/// Finds the tail calls of a file: for each, the byte offsets where its callee starts
/// and where its `tailstrict` ends.
pub fn find(expr: &Expr, tokens: &Tokens) -> Vec<(u32, u32)> {
    let mut finder = Finder {
        tokens,
        calls: Vec::new(),
    };
    finder.visit_expr(expr);
    finder.calls
}

struct Finder<'a> {
    tokens: &'a Tokens,
    calls: Vec<(u32, u32)>,
}

impl Finder<'_> {
    /// Records the `tailstrict` calls `body` ends in.
    fn tail(&mut self, body: &Expr) {
        match body {
            Expr::Apply(_, args, true) => {
                if let Some(range) = self.call_range(args.span.1, args.span.2) {
                    self.calls.push(range);
                }
            }
            Expr::IfElse(if_else) => {
                self.tail(&if_else.cond_then);
                if let Some(e) = &if_else.cond_else {
                    self.tail(e);
                }
            }
            Expr::LocalExpr(_, rest) => self.tail(rest),
            Expr::AssertExpr(assert) => self.tail(&assert.rest),
            _ => {}
        }
    }

    /// From the arguments' span (`(` to `)`): the start of the callee and the end of
    /// the `tailstrict` keyword.
    fn call_range(&self, args_start: u32, args_end: u32) -> Option<(u32, u32)> {
        let open = self.tokens.starting_at(args_start)?;
        let close = self.tokens.ending_at(args_end)?;
        let keyword = close + 1;
        if self.tokens.kind(open) != SyntaxKind::L_PAREN
            || keyword >= self.tokens.len()
            || self.tokens.kind(keyword) != SyntaxKind::TAILSTRICT_KW
        {
            return None;
        }
        let start = self.tokens.postfix_start(open)?;
        Some((self.tokens.span(start).0, self.tokens.span(keyword).1))
    }

    fn members(&mut self, body: &ObjBody) {
        match body {
            ObjBody::MemberList(members) => {
                members.locals.iter().for_each(|b| self.bind(b));
                members.fields.iter().for_each(|f| self.method(f));
            }
            ObjBody::ObjComp(comp) => {
                comp.locals.iter().for_each(|b| self.bind(b));
                self.method(&comp.field);
            }
        }
    }

    fn bind(&mut self, bind: &BindSpec) {
        if let BindSpec::Function { value, .. } = bind {
            self.tail(value);
        }
    }

    fn method(&mut self, field: &FieldMember) {
        if field.params.is_some() {
            self.tail(&field.value);
        }
    }
}

impl Visitor for Finder<'_> {
    fn visit_expr(&mut self, e: &Expr) {
        match e {
            Expr::Function(_, body) => self.tail(body),
            Expr::LocalExpr(binds, _) => binds.iter().for_each(|b| self.bind(b)),
            Expr::Obj(body) | Expr::ObjExtend(_, body) => self.members(body),
            _ => {}
        }
        visit_expr(self, e);
    }
}

/// Counts the wrapped calls in a re-parsed file, to check the edit kept its shape.
pub fn count_wrapped(expr: &Expr) -> usize {
    super::count_calls(expr, WRAPPER, |args| {
        matches!(args, [Expr::Apply(_, _, true)])
    })
}

/// The wrapper's builtin (named [`WRAPPER`]): evaluates its lazy argument, a
/// `tailstrict` call, with the stack limit raised by two frames (its own and the
/// call's).
#[builtin]
pub fn __gwsonnet_tailcall(call: Thunk<Val>) -> Result<Val> {
    let _limit = limit_stack_depth(headroom() + 2);
    call.evaluate()
}

/// How many more frames fit under the current stack limit. jrsonnet exposes no
/// reading of its depth counter, so this takes frames until refused and gives them
/// back: as many steps as the headroom (at most `--max-stack`).
fn headroom() -> usize {
    let mut taken = Vec::new();
    while let Ok(frame) = check_depth() {
        taken.push(frame);
    }
    taken.len()
}
