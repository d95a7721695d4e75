//! Object comprehensions with go-jsonnet's frames and type errors.
//!
//! go-jsonnet desugars `{ [k]: v for x in A if C for y in B }` into calls of its `std`
//! (`$objectFlatMerge` of nested `flatMap`s, all placed at the comprehension): an
//! error while building the object shows the comprehension's place once, plus once
//! per `for` reached; a non-array `A` is `Unexpected type T, expected array`, a
//! non-boolean `C` `Unexpected type T, expected boolean` under a frame with no
//! place. jrsonnet evaluates the comprehension itself, without a frame, and its
//! messages name no type ("for loop can only iterate over arrays"). So each object
//! comprehension (not an object extension `o { … for … }`) is wrapped, and so is each
//! of its `for` arrays, with the number of the `for`:
//!
//! ```text
//! __gwsonnet_objcomp({ [k]: v for x in __gwsonnet_objfor(1, A) if C for y in __gwsonnet_objfor(2, B) })
//! ```
//!
//! The wrappers return what they are given; their frames become go's in
//! [`crate::engine::error`]. Each costs a builtin call per evaluation of what it wraps:
//! a comprehension's is once, a `for`'s once per element of the `for`s before it. An
//! `if` is not wrapped, as it would cost a call per element (measured: 55 % more
//! instructions for a comprehension that is all `if`s, debug build): its non-boolean
//! condition has go's message (`super::super::error`) but one comprehension frame
//! whatever the `for`s before it.
//!
//! Contact points: [`super::Prepass`] runs [`plan`] after the array comprehensions are
//! rewritten and binds the builtins ([`super::Wrappers`]);
//! [`super::Prepass::frame_description`] names the wrapper's frame.

use jrsonnet_evaluator::{error::Result, function::builtin, ResultExt, Thunk, Val};
use jrsonnet_ir::{Expr, ObjBody};
use jrsonnet_lexer::SyntaxKind::*;

use super::comprehensions::Spec;
use super::tokens::Tokens;
use crate::engine::error::type_error;

/// The global an object comprehension is wrapped in.
pub const WRAPPER: &str = "__gwsonnet_objcomp";

/// The global a `for`'s array goes through.
pub const FOR: &str = "__gwsonnet_objfor";

/// Starts the description of a trace element saying how many `for`s of the object
/// comprehension around it the failure was in (go shows a frame for each).
pub const FORS: &str = "\u{1}go-objcomp-for\u{1}";

/// The insertions that wrap a file's object comprehensions.
#[derive(Default)]
pub struct Plan {
    /// Text to insert, by offset; at equal offsets in the order given (an outer
    /// comprehension's before an inner one's).
    pub insertions: Vec<(u32, String)>,
    /// How many comprehensions were wrapped.
    pub comprehensions: usize,
    /// How many `for` arrays were wrapped.
    pub specs: usize,
}

/// Plans the wrappers of every object comprehension of a file from its tokens: a
/// `for` directly inside `{ }` is a spec of that comprehension, as is an `if` there
/// after an expression's end (an array ends at the next spec). A comprehension whose
/// `for` does not read `for NAME in` is left as it is.
pub fn plan(tokens: &Tokens) -> Plan {
    let mut opens: Vec<usize> = (0..tokens.len())
        .filter(|&i| tokens.kind(i) == FOR_KW)
        .filter_map(|i| tokens.enclosing(i))
        .filter(|&open| tokens.kind(open) == L_BRACE)
        .filter(|&open| open == 0 || !tokens.ends_operand(open - 1))
        .collect();
    // Outer comprehensions first: where an inner one starts with an outer `for`'s
    // array, the outer wrapper's text goes first.
    opens.sort_unstable();
    opens.dedup();
    let mut plan = Plan::default();
    for open in opens {
        plan.comprehension(tokens, open);
    }
    plan
}

impl Plan {
    /// Plans the wrappers of the comprehension in the braces opened at token `open`.
    fn comprehension(&mut self, tokens: &Tokens, open: usize) {
        let Some(close) = tokens.partner(open) else {
            return;
        };
        let Some(first) = (open + 1..close)
            .find(|&i| tokens.kind(i) == FOR_KW && tokens.enclosing(i) == Some(open))
        else {
            return;
        };
        let Some(found) = super::comprehensions::specs(tokens, open, first) else {
            return;
        };
        // Each spec's keyword and the token its expression starts at.
        let specs: Vec<(usize, usize)> = found
            .into_iter()
            .map(|spec| match spec {
                Spec::For(keyword) => (keyword, keyword + 3),
                Spec::If(keyword) => (keyword, keyword + 1),
            })
            .collect();
        let mut insertions = vec![
            (tokens.span(open).0, format!("{WRAPPER}(")),
            (tokens.span(close).1, ")".to_string()),
        ];
        let mut fors = 0;
        for (n, &(keyword, start)) in specs.iter().enumerate() {
            let next = specs.get(n + 1).map_or(close, |&(k, _)| k);
            if start >= next {
                return;
            }
            if tokens.kind(keyword) == FOR_KW {
                fors += 1;
                insertions.push((tokens.span(start).0, format!("{FOR}({fors}, ")));
                insertions.push((tokens.span(next - 1).1, ")".to_string()));
            }
        }
        self.insertions.extend(insertions);
        self.comprehensions += 1;
        self.specs += fors;
    }
}

/// Counts the wrapped comprehensions and specs in a re-parsed file, to check the
/// edit kept its shape.
pub fn count_wrapped(expr: &Expr) -> (usize, usize) {
    let comprehensions = super::count_calls(expr, WRAPPER, |args| {
        matches!(args, [Expr::Obj(ObjBody::ObjComp(_))])
    });
    let specs = super::count_calls(expr, FOR, |args| matches!(args, [Expr::Num(_), _]));
    (comprehensions, specs)
}

/// The description that tells the error formatting the failure was inside `fors`
/// `for`s of an object comprehension.
fn inside(fors: u32) -> String {
    format!("{FORS}{fors}")
}

/// The global [`WRAPPER`]: the object, built inside this call's frame.
#[builtin]
pub fn __gwsonnet_objcomp(object: Val) -> Result<Val> {
    Ok(object)
}

/// A `for`'s array (the `fors`-th `for`): go's type error when it is not one.
#[builtin]
pub fn __gwsonnet_objfor(fors: u32, array: Thunk<Val>) -> Result<Val> {
    match array.evaluate().with_description(|| inside(fors))? {
        value @ Val::Arr(_) => Ok(value),
        other => Err(type_error(&other, "array")).with_description(|| inside(fors)),
    }
}

#[cfg(test)]
mod tests {
    use jrsonnet_ir::{Source, SourcePath, SourceVirtual};

    use super::{super::edits::EditMap, plan, Tokens};

    /// `text` with its object comprehensions wrapped, the wrapper prefix dropped.
    fn wrapped(text: &str) -> String {
        let tokens = Tokens::lex(text);
        let plan = plan(&tokens);
        let source = Source::new(SourcePath::new(SourceVirtual("t".into())), text.into());
        let mut insertions: Vec<(u32, &str)> = plan
            .insertions
            .iter()
            .map(|(at, s)| (*at, s.as_str()))
            .collect();
        let (edited, _) = EditMap::apply(source, text, &mut insertions);
        edited.replace("__gwsonnet_", "")
    }

    #[test]
    fn wraps_comprehensions_and_their_specs() {
        assert_eq!(
            wrapped("{ [k]: 1 for k in a if k != 'x' for j in b }"),
            "objcomp({ [k]: 1 for k in objfor(1, a) if k != 'x' for j in objfor(2, b) })"
        );
        assert_eq!(
            wrapped("{ [k]: 1 for k in { [j]: 2 for j in c } }"),
            "objcomp({ [k]: 1 for k in objfor(1, objcomp({ [j]: 2 for j in objfor(1, c) })) })"
        );
        assert_eq!(
            wrapped("{ [k]: 1 for k in if c then a else b }"),
            "objcomp({ [k]: 1 for k in objfor(1, if c then a else b) })"
        );
        // An object extension and a plain object stay as written.
        assert_eq!(
            wrapped("o { [k]: 1 for k in a }"),
            "o { [k]: 1 for k in a }"
        );
        assert_eq!(wrapped("{ a: [x for x in b] }"), "{ a: [x for x in b] }");
    }
}
