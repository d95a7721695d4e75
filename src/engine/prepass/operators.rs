//! `*` and `%` as go-jsonnet evaluates them.
//!
//! jrsonnet repeats strings for `"ab" * 3` (go-jsonnet: a type error), and its `%`
//! formats numbers the shortest way (`'%s' % 0.1` gives `0.1`, go-jsonnet's `std.mod`
//! gives `0.10000000000000001`). So, guided by the tokens:
//!
//! - each `a % b` becomes `MOD_WRAPPER(a , b) tailstrict`: the operator turns into a
//!   comma (same length) and the wrapper is inserted around the operands, which are
//!   evaluated first, as a binary operator's are (and without allocating thunks);
//! - each `a * b` becomes `(+a) * (+b)`: unary plus is the identity on numbers and
//!   jrsonnet's error on anything else, so nothing is called;
//! - unary operands of `/` and of a numbers' `%` get parentheses: jrsonnet's parser
//!   lets a unary operator take the rest of the chain (`2 * -3 % 4` as
//!   `2 * -(3 % 4)`, go-jsonnet: `(2 * -3) % 4`).
//!
//! Operands of multiplicative operators are unary expressions; the left operand of the
//! `k`-th operator of a chain such as `a / b % c` is the chain so far, so wrappers open
//! where the chain starts. An operand the walk cannot bound (a bare `if`, `function`,
//! `local`, `error` or `assert` right of the operator) leaves the file's operators as
//! they are.

use jrsonnet_evaluator::{error::Result, function::builtin, Thunk, Val};
use jrsonnet_ir::{
    visit::{visit_expr, Visitor},
    BinaryOpType, Expr, UnaryOpType,
};
use jrsonnet_lexer::SyntaxKind::{self, *};

use super::tokens::{is_atom, Tokens};
use crate::engine::overrides::go_mod;

/// The global `a % b` goes through.
pub const MOD_WRAPPER: &str = "__gwsonnet_mod";

/// The edits for every `*` and `%` of a file.
#[derive(Default)]
pub struct Plan {
    /// Text to insert, by original offset, outermost first at equal offsets.
    pub insertions: Vec<(u32, &'static str)>,
    /// Offsets of the `%` characters that become commas.
    pub commas: Vec<u32>,
    /// How many `*` were given checked operands.
    pub multiplications: usize,
    /// How many `%` were wrapped.
    pub remainders: usize,
}

/// Plans the edits of every `*` and `%` token; `None` when an operand cannot be
/// bounded.
pub fn plan(tokens: &Tokens) -> Option<Plan> {
    let mut plan = Plan::default();
    // Text around a span, collected so that at one offset the outer insertion comes
    // first for openings and last for closings. Operators are visited right to left:
    // of two wrappers opening where a chain starts, the later operator's is outer.
    let mut opens: Vec<(u32, &'static str)> = Vec::new();
    let mut closes: Vec<(u32, &'static str)> = Vec::new();
    let mut wrap = |first: usize, last: usize, open: &'static str, close: &'static str| {
        opens.push((tokens.span(first).0, open));
        closes.push((tokens.span(last).1, close));
    };
    for op in (0..tokens.len()).rev() {
        let kind = tokens.kind(op);
        if !matches!(kind, MUL | DIV | MODULO) {
            continue;
        }
        let left = operand_start(tokens, op)?;
        let chain = chain_start(tokens, left)?;
        let right_last = operand_end(tokens, op + 1)?;
        let before_left = left.checked_sub(1).map(|p| tokens.kind(p));
        let unary_left = is_unary(tokens.kind(left));
        let unary_right = is_unary(tokens.kind(op + 1));
        if kind == MODULO && !is_remainder(tokens, op) {
            wrap(chain, right_last, "__gwsonnet_mod(", ") tailstrict");
            plan.commas.push(tokens.span(op).0);
            plan.remainders += 1;
            continue;
        }
        if kind == MUL {
            // The left operand needs a check unless it is a number already: the result
            // of `*`, `/` or a remainder.
            match before_left {
                Some(MUL | DIV) => {}
                Some(MODULO) if is_remainder(tokens, left - 1) => {}
                Some(MODULO) => wrap(chain, op - 1, "(+", ")"),
                _ => wrap(left, op - 1, "(+", ")"),
            }
            wrap(op + 1, right_last, "(+", ")");
            plan.multiplications += 1;
            continue;
        }
        // `/` and the remainder of numbers: jrsonnet's parser lets a unary operator
        // take the rest of the chain (`-a / b` as `-(a / b)`), so unary operands get
        // parentheses.
        if unary_right {
            wrap(op + 1, right_last, "(", ")");
        }
        if unary_left && left == chain {
            wrap(left, op - 1, "(", ")");
        }
    }
    closes.reverse();
    plan.insertions = closes;
    plan.insertions.append(&mut opens);
    plan.insertions.sort_by_key(|(offset, _)| *offset);
    Some(plan)
}

/// Whether the `%` at `op` is the remainder of numbers: its left operand is the result
/// of `*` or `/`, which jrsonnet computes as go-jsonnet does (in arithmetic, where a
/// wrapper would cost a call). A number literal on the left (`42 % x`) still goes
/// through the wrapper: it is rare, and only the wrapper fails as go's `std.mod` does
/// (`42 % 0`, `42 % "x"`, with go's `<std>` frame).
fn is_remainder(tokens: &Tokens, op: usize) -> bool {
    let Some(left) = operand_start(tokens, op) else {
        return false;
    };
    matches!(left.checked_sub(1).map(|p| tokens.kind(p)), Some(MUL | DIV))
}

fn is_unary(kind: SyntaxKind) -> bool {
    matches!(kind, MINUS | PLUS | NOT | BIT_NOT)
}

/// The first token of the unary expression ending just before token `next`.
fn operand_start(tokens: &Tokens, next: usize) -> Option<usize> {
    let mut start = tokens.postfix_start(next)?;
    while start > 0
        && is_unary(tokens.kind(start - 1))
        && (start < 2 || !tokens.ends_operand(start - 2))
    {
        start -= 1;
    }
    Some(start)
}

/// The first token of the chain of `*`, `/` and `%` whose operand starts at `start`.
fn chain_start(tokens: &Tokens, start: usize) -> Option<usize> {
    let mut start = start;
    while start > 0 && matches!(tokens.kind(start - 1), MUL | DIV | MODULO) {
        start = operand_start(tokens, start - 1)?;
    }
    Some(start)
}

/// The last token of the unary expression starting at token `first`.
fn operand_end(tokens: &Tokens, first: usize) -> Option<usize> {
    let mut i = first;
    while i < tokens.len() && is_unary(tokens.kind(i)) {
        i += 1;
    }
    if i >= tokens.len() {
        return None;
    }
    let mut last = match tokens.kind(i) {
        L_PAREN | L_BRACK | L_BRACE => tokens.partner(i)?,
        kind if is_atom(kind) => i,
        IMPORT_KW | IMPORTSTR_KW | IMPORTBIN_KW => i + 1,
        SUPER_KW => match tokens.kind(i + 1) {
            DOT => i + 2,
            L_BRACK => tokens.partner(i + 1)?,
            _ => return None,
        },
        _ => return None,
    };
    loop {
        let next = last + 1;
        if next >= tokens.len() {
            break;
        }
        last = match tokens.kind(next) {
            DOT => next + 1,
            L_BRACK | L_BRACE => tokens.partner(next)?,
            L_PAREN => {
                let close = tokens.partner(next)?;
                if close + 1 < tokens.len() && tokens.kind(close + 1) == TAILSTRICT_KW {
                    close + 1
                } else {
                    close
                }
            }
            _ => break,
        };
    }
    (last < tokens.len()).then_some(last)
}

/// Counts the edited operators of a re-parsed file (multiplications with a checked
/// right operand, wrapped remainders), to check the edit kept its shape.
pub fn count_edited(expr: &Expr) -> (usize, usize) {
    struct Counter(usize, usize);
    impl Visitor for Counter {
        fn visit_expr(&mut self, e: &Expr) {
            match e {
                Expr::BinaryOp(op)
                    if op.op == BinaryOpType::Mul
                        && matches!(op.rhs, Expr::UnaryOp(UnaryOpType::Plus, _)) =>
                {
                    self.0 += 1
                }
                Expr::Apply(callee, args, true)
                    if matches!(&**callee, Expr::Var(v) if &*v.value == MOD_WRAPPER)
                        && args.unnamed.len() == 2
                        && args.names.is_empty() =>
                {
                    self.1 += 1
                }
                _ => {}
            }
            visit_expr(self, e);
        }
    }
    let mut counter = Counter(0, 0);
    counter.visit_expr(expr);
    (counter.0, counter.1)
}

/// `a % b` (the builtin named [`MOD_WRAPPER`]): go-jsonnet's `std.mod(a, b)`
/// ([`go_mod`]), its operands evaluated left to right, as the operator's are.
#[builtin]
pub fn __gwsonnet_mod(a: Thunk<Val>, b: Thunk<Val>) -> Result<Val> {
    go_mod(a.evaluate()?, b.evaluate()?)
}

#[cfg(test)]
mod tests {
    use jrsonnet_ir::{Source, SourcePath, SourceVirtual};

    use super::{super::edits::EditMap, plan, Tokens};

    /// `text` as the prepass edits it, through the real edit map, with the wrapper
    /// prefix dropped for readability.
    fn wrapped(text: &str) -> Option<String> {
        let tokens = Tokens::lex(text);
        let mut plan = plan(&tokens)?;
        let mut base = text.as_bytes().to_vec();
        for c in &plan.commas {
            base[*c as usize] = b',';
        }
        let base = String::from_utf8(base).unwrap();
        let source = Source::new(SourcePath::new(SourceVirtual("t".into())), text.into());
        let (edited, map) = EditMap::apply(source, &base, &mut plan.insertions);
        // The end of the edited text maps back to the end of the user's.
        assert_eq!(map.to_original(edited.len() as u32) as usize, base.len());
        Some(edited.replace("__gwsonnet_", ""))
    }

    #[test]
    fn wraps_operands_by_precedence() {
        assert_eq!(wrapped("a * b").unwrap(), "(+a) * (+b)");
        assert_eq!(
            wrapped("x + -a.b[1] * f(2) tailstrict - c").unwrap(),
            "x + (+-a.b[1]) * (+f(2) tailstrict) - c"
        );
        assert_eq!(wrapped("a * b * c").unwrap(), "(+a) * (+b) * (+c)");
        assert_eq!(wrapped("2 * 3 % 4 * 5").unwrap(), "(+2) * (+3) % 4 * (+5)");
        assert_eq!(wrapped("2 * -3 % 4").unwrap(), "(+2) * (+-3) % 4");
        assert_eq!(wrapped("-a / -b").unwrap(), "(-a) / (-b)");
        assert_eq!(
            wrapped("s % v * 2").unwrap(),
            "(+mod(s , v) tailstrict) * (+2)"
        );
        assert_eq!(wrapped("a * b % c").unwrap(), "(+a) * (+b) % c");
        assert_eq!(
            wrapped("7 % n + x % 2").unwrap(),
            "mod(7 , n) tailstrict + mod(x , 2) tailstrict"
        );
        assert_eq!(
            wrapped("'%s' % [1] + (2 * 3)").unwrap(),
            "mod('%s' , [1]) tailstrict + ((+2) * (+3))"
        );
        assert_eq!(wrapped("a - -b * !c").unwrap(), "a - (+-b) * (+!c)");
        assert_eq!(
            wrapped("if c then |||\n  x\n||| % o else super.f * $.g {}").unwrap(),
            "if c then mod(|||\n  x\n||| , o) tailstrict else (+super.f) * (+$.g {})"
        );
        assert_eq!(wrapped("/* * */ 'a*b%c'").unwrap(), "/* * */ 'a*b%c'");
        assert!(wrapped("2 * if c then 1 else 2").is_none());
        assert!(wrapped("x * super").is_none());
    }
}
