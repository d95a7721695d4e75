//! `std.trace` call sites, so its output names `file:line` as go-jsonnet's does.
//!
//! jrsonnet calls builtins without their call location, so a plain `std.trace` cannot
//! know where it was called from. Each `std.trace` of a file's syntax tree (strings
//! and comments are never touched) is renamed to a same-length hidden member
//! (`std._0001`): every line and column of the file stays where it was. The file's
//! `std` then gets those members, each a trace function that knows its line. Where a
//! `local`, parameter or comprehension variable named `std` is in scope, `std.trace` is
//! the user's own member and stays as written.

use jrsonnet_evaluator::{error::Result, function::builtin, Thunk, Val};
use jrsonnet_ir::{
    visit::{visit_expr, Visitor},
    BindSpec, CompSpec, Destruct, Expr, ExprParams, FieldMember, FieldName, ObjBody,
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
    memchr::memmem::find_iter(text.as_bytes(), TRACE).any(|at| {
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
        match e {
            Expr::Index { indexable, parts } => {
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
                visit_expr(self, e);
            }
            // A scope that binds its own `std`: inside it, `std.trace` is the user's
            // member, so only the parts evaluated outside that scope are searched.
            Expr::LocalExpr(binds, body) => {
                if binds.iter().any(binds_std) {
                    return;
                }
                binds.iter().for_each(|b| self.visit_bind(b));
                self.visit_expr(body);
            }
            Expr::Function(params, body) => self.visit_function(params, body),
            Expr::ArrComp(body, specs) => {
                if self.visit_specs(specs) {
                    self.visit_expr(body);
                }
            }
            Expr::Obj(obj) => self.visit_obj(obj),
            Expr::ObjExtend(base, obj) => {
                self.visit_expr(base);
                self.visit_obj(obj);
            }
            _ => visit_expr(self, e),
        }
    }
}

impl Finder<'_> {
    /// A `local` binding or object local, whose name is known not to be `std`.
    fn visit_bind(&mut self, bind: &BindSpec) {
        match bind {
            BindSpec::Field { value, .. } => self.visit_expr(value),
            BindSpec::Function { params, value, .. } => self.visit_function(params, value),
        }
    }

    /// A function's parameter defaults and body, unless a parameter is named `std`.
    fn visit_function(&mut self, params: &ExprParams, body: &Expr) {
        if params_bind_std(params) {
            return;
        }
        for default in params.exprs.iter().filter_map(|p| p.default.as_ref()) {
            self.visit_expr(default);
        }
        self.visit_expr(body);
    }

    /// The specs of a comprehension, in order; `false` once one binds `std` (what
    /// follows it is in that binding's scope).
    fn visit_specs(&mut self, specs: &[CompSpec]) -> bool {
        for spec in specs {
            match spec {
                CompSpec::IfSpec(cond) => self.visit_expr(&cond.cond),
                CompSpec::ForSpec(each) => {
                    self.visit_expr(&each.over);
                    if destructs_std(&each.destruct) {
                        return false;
                    }
                }
            }
        }
        true
    }

    /// An object body: field names are evaluated outside the object's locals, the
    /// rest inside them.
    fn visit_obj(&mut self, obj: &ObjBody) {
        let (locals, fields): (&[BindSpec], Vec<&FieldMember>) = match obj {
            ObjBody::MemberList(members) => (&members.locals, members.fields.iter().collect()),
            ObjBody::ObjComp(comp) => {
                if !self.visit_specs(&comp.compspecs) {
                    return;
                }
                (&comp.locals, vec![&*comp.field])
            }
        };
        for field in &fields {
            if let FieldName::Dyn(name) = &field.name.value {
                self.visit_expr(name);
            }
        }
        if locals.iter().any(binds_std) {
            return;
        }
        locals.iter().for_each(|b| self.visit_bind(b));
        if let ObjBody::MemberList(members) = obj {
            for assert in &members.asserts {
                self.visit_expr(&assert.assertion.value);
                if let Some(message) = &assert.message {
                    self.visit_expr(message);
                }
            }
        }
        for field in fields {
            match &field.params {
                Some(params) => self.visit_function(params, &field.value),
                None => self.visit_expr(&field.value),
            }
        }
    }
}

/// Whether a pattern binds the name `std`.
fn destructs_std(destruct: &Destruct) -> bool {
    matches!(destruct, Destruct::Full(name) if &*name.value == "std")
}

/// Whether a `local` binding (or object local) is named `std`.
fn binds_std(bind: &BindSpec) -> bool {
    match bind {
        BindSpec::Field { into, .. } => destructs_std(into),
        BindSpec::Function { name, .. } => &**name == "std",
    }
}

/// Whether a function has a parameter named `std`.
fn params_bind_std(params: &ExprParams) -> bool {
    params.exprs.iter().any(|p| destructs_std(&p.destruct))
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
