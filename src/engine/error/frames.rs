//! go-jsonnet's stack frames from jrsonnet's: where go puts a frame (the expression a
//! frame was evaluating: a call, a field or element access, an `error`), with go's
//! extent of that expression (a call from its callee to `)`, an access from its
//! object, `error` with its operand) and go's name for the context it is in.
//!
//! go names contexts when parsing (`addContext` of go-jsonnet's
//! `internal/parser/context.go`): `$` at the top, `function <f>` in the body of a
//! function bound to `f` (`<anonymous>` otherwise), `object <o>` in the fields of an
//! object bound to `o`, `thunk <x> from <…>` in the value of `local x`, and
//! `thunk from <…>` in call arguments, array elements and comprehension bodies.
//! [`Contexts`] walks jrsonnet's syntax tree of the file with those rules, keyed by
//! the spans jrsonnet's frames carry.
//!
//! Contact points: [`super::convert`] asks [`SourceIndex::frame`] for each frame.

use std::collections::{HashMap, HashSet};

use jrsonnet_ir::{
    ArgsDesc, BindSpec, CompSpec, Destruct, Expr, ExprParams, FieldMember, FieldName, ObjBody,
    Source, Span,
};
use jrsonnet_lexer::SyntaxKind::*;

use crate::engine::prepass::tokens::Tokens;

/// What go-jsonnet knows of one file: its tokens and the context of each spanned node.
pub struct SourceIndex {
    source: Source,
    tokens: Tokens,
    contexts: HashMap<(u32, u32), String>,
    /// The conditions of object assertions (the others are `assert` expressions').
    object_asserts: HashSet<(u32, u32)>,
    /// The number of positional arguments of each call, by the span of its arguments.
    positional: HashMap<(u32, u32), usize>,
    /// The context of each object comprehension, by the span of its field's name.
    comprehensions: Vec<((u32, u32), String)>,
}

impl SourceIndex {
    /// Indexes `source`; `None` when its text does not parse.
    pub fn new(source: &Source) -> Option<Self> {
        let settings = jrsonnet_ir_parser::ParserSettings {
            source: source.clone(),
        };
        let expr = jrsonnet_ir_parser::parse(source.code(), &settings).ok()?;
        let mut contexts = Contexts::default();
        contexts.expr(&expr, "$", ANONYMOUS);
        Some(Self {
            source: source.clone(),
            tokens: Tokens::lex(source.code()),
            contexts: contexts.contexts,
            object_asserts: contexts.object_asserts,
            positional: contexts.positional,
            comprehensions: contexts.comprehensions,
        })
    }

    /// Whether this indexes `source`.
    pub fn is_of(&self, source: &Source) -> bool {
        &self.source == source
    }

    /// go's frame for jrsonnet's frame `desc` at `span`: the span of the expression
    /// go shows and its context; `None` for a frame go has no counterpart of. A failed
    /// assertion is shown whole: an `assert` expression with the rest after its `;`,
    /// an object's with its message.
    pub fn frame(&self, desc: &str, span: &Span) -> Option<(Span, String)> {
        let context = self.contexts.get(&(span.1, span.2))?.clone();
        let (begin, end, context) = if desc == "assertion failure" {
            // go shows the whole assertion (with the rest of an `assert` expression)
            // and no context.
            let keyword = self.tokens.starting_at(span.1)?.checked_sub(1)?;
            let object = self.object_asserts.contains(&(span.1, span.2));
            let mut end = self.expression_end(keyword + 1, object)?;
            // An object's assertion ends with its message, if it has one.
            if object {
                let last = self.tokens.ending_at(end)?;
                if self.tokens.kind(last + 1) == COLON {
                    end = self.expression_end(last + 2, true)?;
                }
            }
            (self.tokens.span(keyword).0, end, String::new())
        } else if desc == "error statement" {
            let operand = self.tokens.ending_at(span.2)? + 1;
            (span.1, self.expression_end(operand, true)?, context)
        } else if desc.starts_with("function <")
            && (desc.ends_with("> call") || desc.ends_with("> preparation"))
        {
            // A call that failed binding its arguments (`function <f> preparation`)
            // never ran: go's frame is the call all the same.
            let open = self.tokens.starting_at(span.1)?;
            let callee = self.tokens.span(self.tokens.postfix_start(open)?).0;
            (callee, span.2, context)
        } else if desc == "import" {
            // go's frame is the whole `import 'path'`; jrsonnet's is at the keyword.
            let keyword = self.tokens.starting_at(span.1)?;
            (span.1, self.tokens.span(keyword + 1).1, context)
        } else if desc.starts_with("field <") || desc.starts_with("element <") {
            let (begin, end) = self.access(span)?;
            (begin, end, context)
        } else {
            return None;
        };
        Some((Span(self.source.clone(), begin, end), context))
    }

    /// The body of the file's top level, after its `local …;` and `assert …;`: the
    /// expression go's outermost frame evaluates.
    pub fn top_level_body(&self) -> Option<Span> {
        let count = self.tokens.len();
        let last = count.checked_sub(1)?;
        let first = (0..count)
            .rev()
            .find(|&i| self.tokens.kind(i) == SEMI && self.tokens.enclosing(i).is_none())
            .map_or(0, |semi| semi + 1);
        (first <= last).then(|| {
            Span(
                self.source.clone(),
                self.tokens.span(first).0,
                self.tokens.span(last).1,
            )
        })
    }

    /// How many positional arguments the call whose arguments are at `args` has.
    pub fn positional_arguments(&self, args: &Span) -> Option<usize> {
        self.positional.get(&(args.1, args.2)).copied()
    }

    /// The context of the object comprehension at `at` (its braces): that of its
    /// field's name, the last name before its first `for`.
    pub fn comprehension_context(&self, at: &Span) -> Option<String> {
        let open = self.tokens.starting_at(at.1)?;
        let first_for = (open + 1..self.tokens.len())
            .find(|&i| self.tokens.kind(i) == FOR_KW && self.tokens.enclosing(i) == Some(open))?;
        let before = self.tokens.span(first_for).0;
        self.comprehensions
            .iter()
            .filter(|((b, e), _)| at.1 <= *b && *e <= before)
            .max_by_key(|((b, _), _)| *b)
            .map(|(_, context)| context.clone())
    }

    /// Whether the assertion whose condition is at `cond` is an object's.
    pub fn is_object_assertion(&self, cond: &Span) -> bool {
        self.object_asserts.contains(&(cond.1, cond.2))
    }

    /// The extent of the access `o.f` or `o[e]` whose field part is at `part`.
    fn access(&self, part: &Span) -> Option<(u32, u32)> {
        let last = self.tokens.ending_at(part.2)?;
        // `o[e]`: the part is `e`, the access ends with the `]` after it.
        let last = if self.tokens.kind(last + 1) == R_BRACK
            && self
                .tokens
                .starting_at(part.1)
                .and_then(|t| t.checked_sub(1))
                == self.tokens.partner(last + 1)
        {
            last + 1
        } else {
            last
        };
        let first = self.tokens.postfix_start(last + 1)?;
        Some((self.tokens.span(first).0, self.tokens.span(last).1))
    }

    /// Where the expression starting at token `first` ends: at the first `,` or
    /// closing bracket outside brackets, or a `then`/`else`/`for` of no `if` inside it;
    /// with `short`, at a `;` or `:` too (an operand of `error`, an object's
    /// assertion), else they belong to it (the rest of an `assert` expression).
    fn expression_end(&self, first: usize, short: bool) -> Option<u32> {
        let mut i = first;
        let mut end = None;
        let mut open_ifs = 0usize;
        while i < self.tokens.len() {
            match self.tokens.kind(i) {
                COMMA | R_PAREN | R_BRACK | R_BRACE | EOF => break,
                SEMI | COLON if short => break,
                THEN_KW | ELSE_KW | FOR_KW if open_ifs == 0 => break,
                IF_KW => open_ifs += 1,
                ELSE_KW => open_ifs -= 1,
                L_PAREN | L_BRACK | L_BRACE => {
                    let close = self.tokens.partner(i)?;
                    end = Some(self.tokens.span(close).1);
                    i = close + 1;
                    continue;
                }
                _ => {}
            }
            end = Some(self.tokens.span(i).1);
            i += 1;
        }
        end
    }
}

const ANONYMOUS: &str = "anonymous";

/// The context of each spanned node, by `(begin, end)`, and which assertions are
/// objects'.
#[derive(Default)]
struct Contexts {
    contexts: HashMap<(u32, u32), String>,
    object_asserts: HashSet<(u32, u32)>,
    positional: HashMap<(u32, u32), usize>,
    comprehensions: Vec<((u32, u32), String)>,
}

impl Contexts {
    fn record(&mut self, span: &Span, context: &str) {
        self.contexts
            .entry((span.1, span.2))
            .or_insert_with(|| context.to_owned());
    }

    /// `expr` in `context`; `bind` is the name `expr` is bound to (`local x = expr`).
    fn expr(&mut self, expr: &Expr, context: &str, bind: &str) {
        let thunk = || format!("thunk from <{context}>");
        match expr {
            Expr::Literal(_) | Expr::Str(_) | Expr::Num(_) => {}
            Expr::Var(name) => self.record(&name.span, context),
            Expr::Arr(items) => {
                let thunk = thunk();
                items.iter().for_each(|e| self.expr(e, &thunk, ANONYMOUS));
            }
            Expr::ArrComp(body, specs) => {
                self.specs(specs, context);
                self.expr(body, &thunk(), ANONYMOUS);
            }
            Expr::Obj(body) => self.object(body, context, bind),
            Expr::ObjExtend(base, body) => {
                self.expr(base, context, ANONYMOUS);
                self.object(body, context, ANONYMOUS);
            }
            Expr::UnaryOp(_, e) => self.expr(e, context, ANONYMOUS),
            Expr::BinaryOp(op) => {
                self.expr(&op.lhs, context, ANONYMOUS);
                self.expr(&op.rhs, context, ANONYMOUS);
            }
            Expr::AssertExpr(a) => {
                self.record(&a.assert.assertion.span, context);
                self.expr(&a.assert.assertion.value, context, ANONYMOUS);
                if let Some(m) = &a.assert.message {
                    self.expr(m, context, ANONYMOUS);
                }
                self.expr(&a.rest, context, ANONYMOUS);
            }
            Expr::LocalExpr(binds, body) => {
                self.binds(binds, context);
                self.expr(body, context, bind);
            }
            Expr::Import(kind, path) => {
                self.record(&kind.span, context);
                self.expr(path, context, ANONYMOUS);
            }
            Expr::ErrorStmt(span, e) => {
                self.record(span, context);
                self.expr(e, context, ANONYMOUS);
            }
            Expr::Apply(target, args, _) => {
                self.record(&args.span, context);
                self.positional
                    .insert((args.span.1, args.span.2), args.value.unnamed.len());
                self.expr(target, context, ANONYMOUS);
                self.args(&args.value, &thunk());
            }
            Expr::Index { indexable, parts } => {
                self.expr(indexable, context, ANONYMOUS);
                for part in parts {
                    self.record(&part.span, context);
                    self.expr(&part.value, context, ANONYMOUS);
                }
            }
            Expr::Function(params, body) => self.function(params, body, bind),
            Expr::IfElse(ifelse) => {
                self.record(&ifelse.cond.span, context);
                self.expr(&ifelse.cond.cond, context, ANONYMOUS);
                self.expr(&ifelse.cond_then, context, ANONYMOUS);
                if let Some(e) = &ifelse.cond_else {
                    self.expr(e, context, ANONYMOUS);
                }
            }
            Expr::Slice(slice) => {
                self.expr(&slice.value, context, ANONYMOUS);
                let desc = &slice.slice;
                for part in [&desc.start, &desc.end, &desc.step].into_iter().flatten() {
                    self.record(&part.span, context);
                    self.expr(&part.value, context, ANONYMOUS);
                }
            }
        }
    }

    fn args(&mut self, args: &ArgsDesc, thunk: &str) {
        for e in args.unnamed.iter().chain(&args.values) {
            self.expr(e, thunk, ANONYMOUS);
        }
    }

    fn function(&mut self, params: &ExprParams, body: &Expr, bind: &str) {
        let context = format!("function <{bind}>");
        for p in &params.exprs {
            if let Some(d) = &p.default {
                self.expr(d, &context, ANONYMOUS);
            }
        }
        self.expr(body, &context, ANONYMOUS);
    }

    fn binds(&mut self, binds: &[BindSpec], context: &str) {
        for b in binds {
            match b {
                BindSpec::Field { into, value } => {
                    let Destruct::Full(name) = into;
                    let name = name.value.to_string();
                    let thunk = format!("thunk <{name}> from <{context}>");
                    self.expr(value, &thunk, &name);
                }
                BindSpec::Function {
                    name,
                    params,
                    value,
                } => self.function(params, value, name),
            }
        }
    }

    fn specs(&mut self, specs: &[CompSpec], context: &str) {
        for s in specs {
            match s {
                CompSpec::IfSpec(i) => {
                    self.record(&i.span, context);
                    self.expr(&i.cond, context, ANONYMOUS);
                }
                CompSpec::ForSpec(f) => self.expr(&f.over, context, ANONYMOUS),
            }
        }
    }

    /// An object: computed field names are outside it, everything else is in
    /// `object <bind>`; methods and object-local functions are `function <anonymous>`.
    fn object(&mut self, body: &ObjBody, context: &str, bind: &str) {
        let inside = format!("object <{bind}>");
        let field = |this: &mut Self, f: &FieldMember| {
            this.record(&f.name.span, context);
            if let FieldName::Dyn(e) = &f.name.value {
                this.expr(e, context, ANONYMOUS);
            }
            match &f.params {
                Some(params) => this.function(params, &f.value, ANONYMOUS),
                None => this.expr(&f.value, &inside, ANONYMOUS),
            }
        };
        let locals = |this: &mut Self, binds: &[BindSpec]| {
            for b in binds {
                match b {
                    BindSpec::Field { value, .. } => this.expr(value, &inside, ANONYMOUS),
                    BindSpec::Function { params, value, .. } => {
                        this.function(params, value, ANONYMOUS)
                    }
                }
            }
        };
        match body {
            ObjBody::MemberList(m) => {
                locals(self, &m.locals);
                for a in &m.asserts {
                    self.record(&a.assertion.span, &inside);
                    let cond = &a.assertion.span;
                    self.object_asserts.insert((cond.1, cond.2));
                    self.expr(&a.assertion.value, &inside, ANONYMOUS);
                    if let Some(msg) = &a.message {
                        self.expr(msg, &inside, ANONYMOUS);
                    }
                }
                for f in &m.fields {
                    field(self, f);
                }
            }
            ObjBody::ObjComp(c) => {
                let name = &c.field.name.span;
                self.comprehensions
                    .push(((name.1, name.2), context.to_owned()));
                self.specs(&c.compspecs, context);
                locals(self, &c.locals);
                field(self, &c.field);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(code: &str, desc: &str, at: &str) -> (String, String) {
        let source = Source::new_virtual("t".into(), code.into());
        let index = SourceIndex::new(&source).expect("parses");
        let b = code.find(at).unwrap() as u32;
        let span = Span(source, b, b + at.len() as u32);
        let (s, context) = index
            .frame(desc, &span)
            .unwrap_or_else(|| panic!("no go frame for {desc} at {at}"));
        (code[s.1 as usize..s.2 as usize].to_owned(), context)
    }

    #[test]
    fn frames_get_go_extents_and_contexts() {
        let code = "local f(x) = error 'no' + x; local o = { a: f(1) }; [o['a']]";
        assert_eq!(
            frame(code, "error statement", "error"),
            ("error 'no' + x".into(), "function <f>".into())
        );
        assert_eq!(
            frame(code, "function <f> call", "(1)"),
            ("f(1)".into(), "object <o>".into())
        );
        assert_eq!(
            frame(code, "field <a> access", "'a'"),
            ("o['a']".into(), "thunk from <$>".into())
        );
    }
}
