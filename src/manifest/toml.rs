//! go-jsonnet's TOML (`std.manifestTomlEx`): plain keys first, then `[tables]` and
//! `[[table arrays]]`, nested tables indented, numbers as go prints them.
//!
//! Contact point: the std overrides (`crate::engine::overrides`) call
//! [`toml_document`].

use std::cell::RefCell;

use jrsonnet_evaluator::{
    error::{ErrorKind, Result},
    IStr, ObjValue, Val,
};

use super::{json::escape_json_string, nested, number::write_number};

/// `std.manifestTomlEx` with go-jsonnet's layout: plain keys first, then `[tables]` and
/// `[[table arrays]]`, nested tables indented by `indent`, numbers as go prints them.
pub fn toml_document(value: &Val, indent: &str) -> Result<String> {
    let Val::Obj(obj) = value else {
        return Err(ErrorKind::RuntimeError(
            format!("TOML body must be an object. Got {}", value.value_type()).into(),
        )
        .into());
    };
    let toml = Toml {
        indent,
        at: RefCell::default(),
    };
    let mut out = String::new();
    toml.table_body(&mut out, obj, &[], "")?;
    Ok(out)
}

struct Toml<'a> {
    indent: &'a str,
    /// The keys and indexes from the document to the value being written, for
    /// go's error on a value TOML cannot hold (`Tried to manifest "null" at [a 0 b]`).
    at: RefCell<Vec<String>>,
}

impl Toml<'_> {
    fn is_table_array(v: &Val) -> Result<bool> {
        let Val::Arr(items) = v else { return Ok(false) };
        if items.is_empty() {
            return Ok(false);
        }
        for item in items.iter() {
            if !matches!(item?, Val::Obj(_)) {
                return Ok(false);
            }
        }
        Ok(true)
    }

    fn is_section(v: &Val) -> Result<bool> {
        Ok(matches!(v, Val::Obj(_)) || Self::is_table_array(v)?)
    }

    /// A key bare when it can be, `''` when empty (as go-jsonnet 0.22 writes it),
    /// else quoted.
    fn key(out: &mut String, key: &str) {
        if key.is_empty() {
            out.push_str("''");
        } else if key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            out.push_str(key);
        } else {
            escape_json_string(out, key);
        }
    }

    fn path(out: &mut String, path: &[IStr]) {
        for (i, k) in path.iter().enumerate() {
            if i != 0 {
                out.push('.');
            }
            Self::key(out, k);
        }
    }

    fn value(&self, out: &mut String, v: &Val, inline: bool, indent: &str) -> Result<()> {
        nested(|| self.value_at_depth(out, v, inline, indent))
    }

    /// `f` with `step` (a key or an index) added to the path of the value written.
    fn at<T>(&self, step: impl ToString, f: impl FnOnce() -> Result<T>) -> Result<T> {
        self.at.borrow_mut().push(step.to_string());
        let result = f()?;
        self.at.borrow_mut().pop();
        Ok(result)
    }

    /// go's error for a value TOML cannot hold, at the path written so far.
    fn cannot_hold(&self, what: &str) -> jrsonnet_evaluator::Error {
        let at = self.at.borrow().join(" ");
        ErrorKind::RuntimeError(format!("Tried to manifest {what} at [{at}]").into()).into()
    }

    fn value_at_depth(&self, out: &mut String, v: &Val, inline: bool, indent: &str) -> Result<()> {
        match v {
            Val::Bool(true) => out.push_str("true"),
            Val::Bool(false) => out.push_str("false"),
            Val::Null => return Err(self.cannot_hold("\"null\"")),
            Val::Num(n) => write_number(out, n.get()),
            Val::Str(s) => escape_json_string(out, &s.to_string()),
            Val::Func(_) => return Err(self.cannot_hold("function")),
            Val::Arr(items) => {
                if items.is_empty() {
                    out.push_str("[]");
                    return Ok(());
                }
                let inner = if inline {
                    String::new()
                } else {
                    format!("{indent}{}", self.indent)
                };
                let sep = if inline { " " } else { "\n" };
                out.push('[');
                out.push_str(sep);
                for (i, item) in items.iter().enumerate() {
                    if i != 0 {
                        out.push(',');
                        out.push_str(sep);
                    }
                    out.push_str(&inner);
                    self.at(i, || self.value(out, &item?, true, ""))?;
                }
                out.push_str(sep);
                if !inline {
                    out.push_str(indent);
                }
                out.push(']');
            }
            Val::Obj(obj) => {
                out.push_str("{ ");
                for (i, key) in obj.fields().into_iter().enumerate() {
                    if i != 0 {
                        out.push_str(", ");
                    }
                    let item = obj.get(key.clone())?.expect("listed field exists");
                    Self::key(out, &key);
                    out.push_str(" = ");
                    self.at(&key, || self.value(out, &item, true, ""))?;
                }
                out.push_str(" }");
            }
        }
        Ok(())
    }

    /// Plain keys, then sections, joined by blank lines.
    fn table_body(
        &self,
        out: &mut String,
        obj: &ObjValue,
        path: &[IStr],
        indent: &str,
    ) -> Result<()> {
        let fields = obj.fields();
        let mut plain = Vec::new();
        let mut sections = Vec::new();
        for key in fields {
            let v = obj.get(key.clone())?.expect("listed field exists");
            if Self::is_section(&v)? {
                sections.push((key, v));
            } else {
                plain.push((key, v));
            }
        }
        for (i, (key, v)) in plain.iter().enumerate() {
            if i != 0 {
                out.push('\n');
            }
            out.push_str(indent);
            Self::key(out, key);
            out.push_str(" = ");
            self.at(key, || self.value(out, v, false, indent))?;
        }
        for (key, v) in sections {
            out.push_str("\n\n");
            let mut child = path.to_vec();
            child.push(key.clone());
            match &v {
                Val::Obj(o) => self.at(&key, || self.table(out, o, &child, indent, false))?,
                Val::Arr(items) => {
                    for (i, item) in items.iter().enumerate() {
                        if i != 0 {
                            out.push_str("\n\n");
                        }
                        let Val::Obj(o) = item? else {
                            unreachable!("a table array holds only objects")
                        };
                        self.at(&key, || {
                            self.at(i, || self.table(out, &o, &child, indent, true))
                        })?;
                    }
                }
                _ => unreachable!("sections are objects or table arrays"),
            }
        }
        Ok(())
    }

    fn table(
        &self,
        out: &mut String,
        obj: &ObjValue,
        path: &[IStr],
        indent: &str,
        array: bool,
    ) -> Result<()> {
        out.push_str(indent);
        out.push_str(if array { "[[" } else { "[" });
        Self::path(out, path);
        out.push_str(if array { "]]" } else { "]" });
        if !obj.fields().is_empty() {
            out.push('\n');
        }
        let inner = format!("{indent}{}", self.indent);
        nested(|| self.table_body(out, obj, path, &inner))
    }
}

#[cfg(test)]
mod tests {
    use jrsonnet_evaluator::{ObjValue, Val};

    use super::toml_document;

    #[test]
    fn plain_keys_then_tables_then_table_arrays() {
        let mut inner = ObjValue::builder();
        inner.field("x").value(Val::try_num(1.5).unwrap());
        let inner = Val::Obj(inner.build());
        let mut doc = ObjValue::builder();
        doc.field("t").value(inner.clone());
        doc.field("arr")
            .value(Val::Arr([inner].into_iter().collect()));
        doc.field("k").value(Val::string("v"));
        // Expected bytes: go-jsonnet 0.22's std.manifestTomlEx(doc, '  ').
        assert_eq!(
            toml_document(&Val::Obj(doc.build()), "  ").unwrap(),
            "k = \"v\"\n\n[[arr]]\n  x = 1.5\n\n[t]\n  x = 1.5"
        );
    }

    #[test]
    fn a_value_toml_cannot_hold_is_named_by_its_path() {
        let mut c = ObjValue::builder();
        c.field("c").value(Val::Null);
        let mut b = ObjValue::builder();
        b.field("b").value(Val::Obj(c.build()));
        let mut doc = ObjValue::builder();
        doc.field("ok").value(Val::string("v"));
        doc.field("a")
            .value(Val::Arr([Val::Obj(b.build())].into_iter().collect()));
        // go-jsonnet 0.22: std.manifestTomlEx({ ok: 'v', a: [{ b: { c: null } }] }, '  ').
        let e = toml_document(&Val::Obj(doc.build()), "  ").unwrap_err();
        assert_eq!(
            e.error().to_string(),
            "runtime error: Tried to manifest \"null\" at [a 0 b c]"
        );
    }

    #[test]
    fn only_objects_are_documents() {
        assert!(toml_document(&Val::Null, "  ").is_err());
    }
}
