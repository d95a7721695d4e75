//! Array comprehensions evaluated lazily, as go-jsonnet evaluates them.
//!
//! jrsonnet evaluates every element of the arrays a comprehension iterates over, and
//! every array of a `for` that does not use the variables before it, before the first
//! element is made, then tries to compute the whole result at once: so
//! `[x for x in [1, error "e"]][0]` fails (go-jsonnet: `1`), `[x + y for x in [] for
//! y in error "i"]` fails (go-jsonnet: `[]`), and an element whose evaluation failed
//! in that first try reports "infinite recursion detected" instead of its error.
//! go-jsonnet binds each variable to the element unevaluated, evaluates the `if`
//! conditions as the loops reach them, and each result element when it is needed.
//!
//! So each comprehension, `[BODY for x in A if C for y in B]`, becomes a call of the
//! hidden global [`WRAPPER`] with closures, written around and between the user's
//! own text:
//!
//! ```text
//! __gwsonnet_comp(["fif", function(x, y) BODY,  A,  function(x) C,  function(x) B])
//! ```
//!
//! The keywords `for`, `in` and `if` and the variable names become a comma and
//! blanks of the same length, and the closures' heads are inserted: a function of
//! the variables bound so far (with more than three, or a name bound twice, as it
//! may be in a comprehension, one function per variable, called one after the
//! other); the first `for`'s array binds nothing and is passed as it is. Nothing is
//! inserted inside the user's expressions. The string names the specs (`f` a `for`,
//! `i` an `if`); a body that is just the innermost `for`'s variable is marked (`=`),
//! so the element is that variable's element, without a call. [`__gwsonnet_comp`]
//! runs the loops and collects each result's variables; the result's elements call
//! the body when first used.
//!
//! Cost (callgrind, against the comprehension jrsonnet evaluates eagerly): real code
//! 2 to 4 % more instructions (kubernetes-mixin, grafonnet, xtd); 200,000 objects
//! through one `for` with an `if` 2 % more; nested `for`s with `if`s 27 % more (a
//! function call per `if`); a result only counted is far cheaper (nothing evaluated).

use std::collections::HashSet;

use jrsonnet_evaluator::{
    error::{ErrorKind::RuntimeError, Result},
    function::{builtin, FuncVal, NativeFn},
    in_description_frame,
    val::ArrValue,
    IStr, ResultExt, Thunk, Val,
};
use jrsonnet_gcmodule::{Cc, Trace};
use jrsonnet_ir::Expr;
use jrsonnet_lexer::SyntaxKind::*;

use super::tokens::Tokens;
use crate::engine::error::type_error;
use crate::engine::lazy_array::{Compute, LazyArray};

/// The global a comprehension is rewritten to call.
pub const WRAPPER: &str = "__gwsonnet_comp";

/// The most variables a closure takes as parameters of one function.
const MAX_PARAMETERS: usize = 3;

/// The edits that make a file's array comprehensions lazy.
#[derive(Default)]
pub struct Plan {
    /// Text to insert, by offset; at equal offsets in the order given (an outer
    /// comprehension's before an inner one's).
    pub insertions: Vec<(u32, String)>,
    /// Byte ranges whose keywords and names become blanks, each starting with the
    /// byte given (`,` where a spec starts, a blank elsewhere).
    pub blanks: Vec<(u32, u32, u8)>,
    /// How many comprehensions were rewritten.
    pub count: usize,
}

impl Plan {
    /// `text` with the blanks made: same length, so every offset is still the user's.
    pub fn blanked(&self, text: &str) -> String {
        let mut bytes = text.as_bytes().to_vec();
        for &(start, end, first) in &self.blanks {
            let range = &mut bytes[start as usize..end as usize];
            range.fill(b' ');
            range[0] = first;
        }
        String::from_utf8(bytes).expect("keywords and names are replaced by ASCII")
    }
}

/// Plans the rewrite of every array comprehension of the file `text`, whose tokens
/// are `tokens`. Read from the tokens alone (a parse of the file would cost as much as
/// jrsonnet's own): a `for` directly inside `[ ]` is a spec of that comprehension,
/// as is an `if` there after an expression's end (an `if` expression follows an
/// operator or a keyword). A comprehension whose `for` does not read `for NAME in`
/// keeps jrsonnet's evaluation.
pub fn plan(text: &str, tokens: &Tokens) -> Plan {
    let mut found: Vec<(usize, Vec<Spec>)> = Vec::new();
    let mut seen: HashSet<usize> = HashSet::new();
    for i in 0..tokens.len() {
        if tokens.kind(i) != FOR_KW {
            continue;
        }
        let Some(open) = tokens.enclosing(i).filter(|&o| tokens.kind(o) == L_BRACK) else {
            continue;
        };
        if seen.insert(open) {
            if let Some(specs) = specs(tokens, open, i) {
                found.push((open, specs));
            }
        }
    }
    // Outer comprehensions first: at an offset where an inner one starts, the
    // outer one's text goes first.
    found.sort_unstable_by_key(|(open, _)| *open);
    let mut plan = Plan::default();
    for (open, specs) in found {
        plan.comprehension(text, tokens, open, &specs);
    }
    plan
}

/// One spec of a comprehension, located in the tokens (shared with the object
/// comprehensions of [`super::object_comprehensions`]).
pub(super) enum Spec {
    /// A `for`: its keyword's token; the name it binds is the next token, followed by
    /// `in`.
    For(usize),
    /// An `if`: its keyword's token.
    If(usize),
}

/// The specs of the comprehension in the brackets or braces opened at token `open`,
/// whose first `for` is token `first`; `None` when a `for` does not read `for NAME in`.
/// An `if` is a spec only after an expression's end (an `if` expression follows an
/// operator or a keyword).
pub(super) fn specs(tokens: &Tokens, open: usize, first: usize) -> Option<Vec<Spec>> {
    let close = tokens.partner(open)?;
    let mut specs = Vec::new();
    for i in first..close {
        if tokens.enclosing(i) != Some(open) {
            continue;
        }
        match tokens.kind(i) {
            FOR_KW => {
                if tokens.kind(i + 1) != IDENT || tokens.kind(i + 2) != IN_KW {
                    return None;
                }
                specs.push(Spec::For(i));
            }
            IF_KW if tokens.ends_operand(i - 1) => specs.push(Spec::If(i)),
            _ => {}
        }
    }
    Some(specs)
}

impl Plan {
    /// Plans the rewrite of the comprehension in the brackets opened at token `open`.
    fn comprehension(&mut self, text: &str, tokens: &Tokens, open: usize, specs: &[Spec]) {
        let Some(close) = tokens.partner(open) else {
            return;
        };
        let Some(Spec::For(first)) = specs.first() else {
            return;
        };
        let names: Vec<&str> = specs
            .iter()
            .filter_map(|s| match s {
                Spec::For(keyword) => {
                    let (start, end) = tokens.span(keyword + 1);
                    Some(&text[start as usize..end as usize])
                }
                Spec::If(_) => None,
            })
            .collect();
        let mut kinds: String = specs
            .iter()
            .map(|s| if matches!(s, Spec::For(..)) { 'f' } else { 'i' })
            .collect();
        // The body is the innermost variable: one name token, that variable's.
        if *first == open + 2 && tokens.kind(open + 1) == IDENT {
            let (start, end) = tokens.span(open + 1);
            if Some(&&text[start as usize..end as usize]) == names.last() {
                kinds.push('=');
            }
        }
        // Up to three distinct names are the parameters of one function; more, or a
        // name bound twice, take one function per variable (curried).
        let curried = names.len() > MAX_PARAMETERS
            || names
                .iter()
                .enumerate()
                .any(|(i, n)| names[..i].contains(n));
        // The first `for`'s array binds no variable: it is passed as it is.
        let heads = |bound: &[&str]| -> String {
            if bound.is_empty() {
                String::new()
            } else if curried {
                bound.iter().map(|n| format!("function({n}) ")).collect()
            } else {
                format!("function({}) ", bound.join(", "))
            }
        };
        self.insertions
            .push((tokens.span(open).0, format!("{WRAPPER}(")));
        self.insertions.push((
            tokens.span(open).1,
            format!("\"{kinds}\", {}", heads(&names)),
        ));
        let mut bound = 0;
        for spec in specs {
            match spec {
                Spec::For(keyword) => {
                    // The body may end in a comma of its own (`[x, for x in a]`).
                    let first = if tokens.kind(keyword - 1) == COMMA {
                        b' '
                    } else {
                        b','
                    };
                    self.blanks
                        .push((tokens.span(*keyword).0, tokens.span(*keyword).1, first));
                    for blank in [keyword + 1, keyword + 2] {
                        self.blanks
                            .push((tokens.span(blank).0, tokens.span(blank).1, b' '));
                    }
                    self.insertions.push((
                        tokens.span(keyword + 2).1,
                        format!(" {}", heads(&names[..bound])),
                    ));
                    bound += 1;
                }
                Spec::If(keyword) => {
                    self.blanks
                        .push((tokens.span(*keyword).0, tokens.span(*keyword).1, b','));
                    self.insertions.push((
                        tokens.span(*keyword).1,
                        format!(" {}", heads(&names[..bound])),
                    ));
                }
            }
        }
        self.insertions
            .push((tokens.span(close).1, ")".to_string()));
        self.count += 1;
    }
}

/// Counts the rewritten comprehensions in a re-parsed file, to check the edit kept
/// its shape.
pub fn count_rewritten(expr: &Expr) -> usize {
    super::count_calls(expr, WRAPPER, |args| {
        matches!(args, [Expr::Arr(parts)]
            if matches!(parts.as_slice(), [Expr::Str(_), Expr::Function(..), ..]))
    })
}

/// A variable of a comprehension: its element, unevaluated.
type Variable = Thunk<Val>;

/// A closure of the rewritten comprehension, taking the variables bound so far.
#[derive(Trace, Debug, Clone)]
enum Closure {
    Unary(NativeFn<(Thunk<Val>, Val)>),
    Binary(NativeFn<(Variable, Variable, Val)>),
    Ternary(NativeFn<(Variable, Variable, Variable, Val)>),
    /// A closure taking several variables one call at a time (a function returning a
    /// function for the next one).
    Curried(NativeFn<(Thunk<Val>, Val)>),
}

impl Closure {
    /// The closure `func`, which takes `variables` variables (at least one).
    fn new(func: FuncVal, variables: usize) -> Result<Self> {
        Ok(match (variables, func.params_len()) {
            (1, _) => Self::Unary(NativeFn::try_from(func)?),
            (2, 2) => Self::Binary(NativeFn::try_from(func)?),
            (3, 3) => Self::Ternary(NativeFn::try_from(func)?),
            _ => Self::Curried(NativeFn::try_from(func)?),
        })
    }

    /// Calls the closure with `variables` (as many as it was made for).
    fn call(&self, variables: &[Thunk<Val>]) -> Result<Val> {
        let v = |i: usize| variables[i].clone();
        match self {
            Self::Unary(f) => f.call(v(0)),
            Self::Binary(f) => f.call(v(0), v(1)),
            Self::Ternary(f) => f.call(v(0), v(1), v(2)),
            Self::Curried(f) => {
                let mut value = f.call(v(0))?;
                for variable in &variables[1..] {
                    let Val::Func(next) = value else {
                        return Err(malformed());
                    };
                    let next: NativeFn<(Thunk<Val>, Val)> = NativeFn::try_from(next)?;
                    value = next.call(variable.clone())?;
                }
                Ok(value)
            }
        }
    }
}

/// The loops of one comprehension.
struct Loops {
    /// `f` and `i` per spec (then `=` when the body is the innermost variable).
    kinds: IStr,
    /// The closures of the specs after the first.
    specs: Vec<Closure>,
    /// The number of variables.
    variables: usize,
}

impl Loops {
    /// Runs spec `index` and the ones after it with `variables` bound, whose value
    /// (for the first spec) or closure is `value`, adding each result's variables to
    /// `rows`.
    fn run(
        &self,
        index: usize,
        value: Val,
        bound: &mut Vec<Thunk<Val>>,
        rows: &mut Vec<Thunk<Val>>,
    ) -> Result<()> {
        let kinds = self.kinds.as_bytes();
        let next =
            |index: usize, bound: &mut Vec<Thunk<Val>>, rows: &mut Vec<Thunk<Val>>| match kinds
                .get(index + 1)
            {
                Some(b'f' | b'i') => {
                    let value = self.specs[index].call(bound)?;
                    self.run(index + 1, value, bound, rows)
                }
                _ => {
                    rows.extend(bound.iter().cloned());
                    Ok(())
                }
            };
        if kinds[index] == b'f' {
            let Val::Arr(arr) = value else {
                return Err(type_error(&value, "array"));
            };
            for element in arr.iter_lazy() {
                bound.push(element);
                next(index, bound, rows)?;
                bound.pop();
            }
        } else {
            let Val::Bool(keep) = value else {
                // go's condition is the `if` its desugarer wrote, a frame with no place.
                return Err(type_error(&value, "boolean"))
                    .with_description(|| crate::engine::error::UNPLACED);
            };
            if keep {
                next(index, bound, rows)?;
            }
        }
        Ok(())
    }
}

/// How the elements of a comprehension's result are computed: the body for each row
/// of variables.
#[derive(Trace, Debug, Clone)]
struct Results {
    body: Closure,
    /// The variables of each element, `variables` a row.
    rows: Cc<Vec<Thunk<Val>>>,
    variables: usize,
}

impl Compute for Results {
    fn compute(&self, index: u32) -> Result<Val> {
        let i = index as usize;
        let row = &self.rows[i * self.variables..(i + 1) * self.variables];
        // One frame, as go-jsonnet counts the element's thunk against `--max-stack`.
        in_description_frame(
            || "array comprehension element".into(),
            || self.body.call(row),
        )
    }
}

/// The error for a call of [`WRAPPER`] not written by the prepass.
fn malformed() -> jrsonnet_evaluator::Error {
    RuntimeError(
        format!("{WRAPPER} is gwsonnet's internal comprehension helper, not for use").into(),
    )
    .into()
}

/// The global [`WRAPPER`]: `parts` is the spec kinds, the body closure, the first
/// `for`'s array and one closure per later spec, as the prepass wrote them. The
/// result's elements are evaluated when needed.
#[builtin]
pub fn __gwsonnet_comp(parts: ArrValue) -> Result<ArrValue> {
    // The prepass writes every part; a program calling the global itself gets an
    // error, never a panic.
    let part = |i: u32| -> Result<Val> { parts.get(i)?.ok_or_else(malformed) };
    let func = |i: u32| -> Result<FuncVal> {
        match part(i)? {
            Val::Func(f) => Ok(f),
            _ => Err(malformed()),
        }
    };
    let Val::Str(kinds) = part(0)? else {
        return Err(malformed());
    };
    let kinds = kinds.into_flat();
    let specs_part = kinds.strip_suffix('=').unwrap_or(&kinds);
    if !specs_part.starts_with('f') || !specs_part.bytes().all(|k| k == b'f' || k == b'i') {
        return Err(malformed());
    }
    let body_is_variable = kinds.ends_with('=');
    let mut specs = Vec::with_capacity(kinds.len());
    let mut bound = 1;
    for (i, kind) in kinds.bytes().enumerate().skip(1) {
        match kind {
            b'f' => {
                specs.push(Closure::new(func(i as u32 + 2)?, bound)?);
                bound += 1;
            }
            b'i' => specs.push(Closure::new(func(i as u32 + 2)?, bound)?),
            _ => {}
        }
    }
    // `specs[i]` is the closure of spec `i + 1`: index them from the first.
    let loops = Loops {
        kinds,
        specs,
        variables: bound,
    };
    let mut rows = Vec::new();
    loops.run(
        0,
        part(2)?,
        &mut Vec::with_capacity(loops.variables),
        &mut rows,
    )?;
    let variables = loops.variables;
    if body_is_variable {
        // The innermost variable of each row.
        return Ok(ArrValue::new(
            rows.into_iter()
                .skip(variables - 1)
                .step_by(variables)
                .collect::<Vec<_>>(),
        ));
    }
    let len = u32::try_from(rows.len() / variables).map_err(|_| {
        jrsonnet_evaluator::error::ErrorKind::RuntimeError(
            "array comprehension result too large (over 4,294,967,295 elements)".into(),
        )
    })?;
    Ok(ArrValue::new(LazyArray::new(
        len,
        Results {
            body: Closure::new(func(1)?, variables)?,
            rows: Cc::new(rows),
            variables,
        },
    )))
}

#[cfg(test)]
mod tests {
    use super::{plan, Plan};
    use crate::engine::prepass::tokens::Tokens;

    fn rewrite(text: &str) -> String {
        let Plan {
            insertions, blanks, ..
        } = plan(text, &Tokens::lex(text));
        let mut out = Plan {
            insertions: Vec::new(),
            blanks,
            count: 0,
        }
        .blanked(text);
        let mut insertions = insertions;
        insertions.sort_by_key(|(offset, _)| *offset);
        for (offset, piece) in insertions.into_iter().rev() {
            out.insert_str(offset as usize, &piece);
        }
        out
    }

    #[test]
    fn rewrites_specs_into_closures() {
        for (text, rewritten) in [
            (
                "[x + 1 for x in a]",
                r#"__gwsonnet_comp(["f", function(x) x + 1 ,         a])"#,
            ),
            (
                "[x for x in a if x > 1]",
                r#"__gwsonnet_comp(["fi=", function(x) x ,         a ,  function(x)  x > 1])"#,
            ),
            (
                "[[y for y in x] for x in a]",
                r#"__gwsonnet_comp(["f", function(x) __gwsonnet_comp(["f=", function(y) y ,         x]) ,         a])"#,
            ),
            (
                "[x for x in a for y /* c */ in b]",
                r#"__gwsonnet_comp(["ff", function(x, y) x ,         a ,     /* c */    function(x)  b])"#,
            ),
        ] {
            assert_eq!(rewrite(text), rewritten, "{text}");
        }
    }

    /// Every array comprehension of each program is rewritten, and the result parses
    /// into exactly the planned calls.
    #[test]
    fn tells_spec_ifs_from_if_expressions() {
        use jrsonnet_ir::{Source, SourcePath, SourceVirtual};
        for (text, comprehensions) in [
            ("[if a then b else c for x in d]", 1),
            ("[x for x in if c then a else b if x]", 1),
            ("[x for x in a if if x then true else false]", 1),
            ("[x for x in a if 'k' in x for y in b if y]", 1),
            ("[x for x in function(y) if y then 1 else 2]", 1),
            ("[x for x in a if x.b then 1 else 2]", 0),
            ("[x for x in a if (x)[0]]", 1),
            ("[x for x in [1] for x in [x + 1]]", 1),
            (
                "[[a, b, c, d] for a in e for b in f for c in g for d in h if a]",
                1,
            ),
            ("[x, for x in a]", 1),
            ("[[x, y], for x in a for y in b]", 1),
            ("[x for x in [1, 2] if x > 1 for y in [x] if y == x]", 1),
            ("[[a for a in b if a] for b in [c for c in d if c] if b]", 3),
            ("{ [k]: [y for y in [k]] for k in ['a'] }", 1),
            ("[x for x in [y for y in a]][[z for z in [0]][0]]", 3),
        ] {
            let source = Source::new(SourcePath::new(SourceVirtual("t".into())), text.into());
            let parsed = jrsonnet_ir_parser::parse(
                text,
                &jrsonnet_ir_parser::ParserSettings {
                    source: source.clone(),
                },
            );
            let planned = plan(text, &Tokens::lex(text)).count;
            if parsed.is_err() {
                assert_eq!(comprehensions, 0, "{text} does not parse");
                continue;
            }
            assert_eq!(planned, comprehensions, "{text}");
            let rewritten = rewrite(text);
            let tree = jrsonnet_ir_parser::parse(
                &rewritten,
                &jrsonnet_ir_parser::ParserSettings { source },
            )
            .unwrap_or_else(|e| panic!("{text} -> {rewritten}: {e:?}"));
            assert_eq!(
                super::count_rewritten(&tree),
                planned,
                "{text} -> {rewritten}"
            );
        }
    }

    #[test]
    fn leaves_object_comprehensions() {
        assert_eq!(rewrite("{ [k]: 1 for k in a }"), "{ [k]: 1 for k in a }");
    }
}
