//! go-jsonnet's TOML (`std.manifestTomlEx`): plain keys first, then `[tables]` and
//! `[[table arrays]]`, nested tables indented, numbers as go prints them.
//!
//! Contact point: the std overrides (`crate::engine::overrides`) call
//! [`toml_document`].

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
    let toml = Toml { indent };
    let mut out = String::new();
    toml.table_body(&mut out, obj, &[], "")?;
    Ok(out)
}

struct Toml<'a> {
    indent: &'a str,
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

    fn key(out: &mut String, key: &str) {
        if !key.is_empty()
            && key
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

    fn value_at_depth(&self, out: &mut String, v: &Val, inline: bool, indent: &str) -> Result<()> {
        match v {
            Val::Bool(true) => out.push_str("true"),
            Val::Bool(false) => out.push_str("false"),
            Val::Null => {
                return Err(ErrorKind::RuntimeError("Tried to manifest \"null\"".into()).into())
            }
            Val::Num(n) => write_number(out, n.get()),
            Val::Str(s) => escape_json_string(out, &s.to_string()),
            Val::Func(_) => {
                return Err(ErrorKind::RuntimeError("Tried to manifest function".into()).into())
            }
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
                    self.value(out, &item?, true, "")?;
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
                    self.value(out, &item, true, "")?;
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
            self.value(out, v, false, indent)?;
        }
        for (key, v) in sections {
            out.push_str("\n\n");
            let mut child = path.to_vec();
            child.push(key);
            match &v {
                Val::Obj(o) => self.table(out, o, &child, indent, false)?,
                Val::Arr(items) => {
                    for (i, item) in items.iter().enumerate() {
                        if i != 0 {
                            out.push_str("\n\n");
                        }
                        let Val::Obj(o) = item? else {
                            unreachable!("a table array holds only objects")
                        };
                        self.table(out, &o, &child, indent, true)?;
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
    fn only_objects_are_documents() {
        assert!(toml_document(&Val::Null, "  ").is_err());
    }
}
