//! go-jsonnet's Python, INI and XML (JsonML) text, with numbers as go-jsonnet formats
//! them.
//!
//! Contact point: the std overrides (`crate::engine::overrides`).

use jrsonnet_evaluator::{
    error::{ErrorKind, Result},
    ObjValue, Val,
};

use super::json::{go_to_string, manifest_error, write_python};
use super::nested;

/// `std.manifestPython`: a Python literal of `v`.
pub fn python(v: &Val) -> Result<String> {
    let mut out = Vec::new();
    write_python(&mut out, v).map_err(manifest_error)?;
    Ok(String::from_utf8(out).expect("the writer writes UTF-8"))
}

/// `std.manifestPythonVars`: `key = <python literal>` lines.
pub fn python_vars(conf: &ObjValue) -> Result<String> {
    let mut out = String::new();
    for key in conf.fields() {
        let value = conf.get(key.clone())?.expect("listed field exists");
        out.push_str(&format!("{key} = {}\n", python(&value)?));
    }
    Ok(out)
}

/// `key = value` lines of an INI section body; array values repeat the key.
fn ini_body(out: &mut Vec<String>, body: &Val) -> Result<()> {
    let Val::Obj(body) = body else {
        return Err(ErrorKind::RuntimeError(
            format!(
                "manifestIni: a section must be an object, got {}",
                body.value_type()
            )
            .into(),
        )
        .into());
    };
    for key in body.fields() {
        let value = body.get(key.clone())?.expect("listed field exists");
        match &value {
            Val::Arr(items) => {
                for item in items.iter() {
                    out.push(format!("{key} = {}", go_to_string(&item?)?));
                }
            }
            other => out.push(format!("{key} = {}", go_to_string(other)?)),
        }
    }
    Ok(())
}

/// `std.manifestIni`: `main` keys, then one `[section]` per field of `sections`.
pub fn ini(ini: &ObjValue) -> Result<String> {
    let mut lines = Vec::new();
    if let Some(main) = ini.get("main".into())? {
        ini_body(&mut lines, &main)?;
    }
    let sections = ini.get("sections".into())?.ok_or_else(|| {
        ErrorKind::RuntimeError("manifestIni: the object needs a sections field".into())
    })?;
    let Val::Obj(sections) = sections else {
        return Err(ErrorKind::RuntimeError(
            format!(
                "manifestIni: sections must be an object, got {}",
                sections.value_type()
            )
            .into(),
        )
        .into());
    };
    for name in sections.fields() {
        lines.push(format!("[{name}]"));
        let body = sections.get(name.clone())?.expect("listed field exists");
        ini_body(&mut lines, &body)?;
    }
    lines.push(String::new());
    Ok(lines.join("\n"))
}

/// `std.manifestXmlJsonml`: JsonML (`[tag, {attrs}?, children...]`) as XML text, with
/// attribute values and text written as they are, as go-jsonnet does (no escaping).
pub fn xml_jsonml(value: &Val) -> Result<String> {
    fn element(out: &mut String, v: &Val) -> Result<()> {
        let Val::Arr(items) = v else {
            if let Val::Str(s) = v {
                out.push_str(&s.to_string());
                return Ok(());
            }
            return Err(ErrorKind::RuntimeError(
                format!(
                    "manifestXmlJsonml: expected an array or a string, got {}",
                    v.value_type()
                )
                .into(),
            )
            .into());
        };
        let items = items.iter().collect::<Result<Vec<_>>>()?;
        let Some(tag) = items.first() else {
            return Err(ErrorKind::RuntimeError("manifestXmlJsonml: empty element".into()).into());
        };
        let tag = go_to_string(tag)?;
        let (attrs, children) = match items.get(1) {
            Some(Val::Obj(attrs)) => (Some(attrs.clone()), &items[2..]),
            _ => (None, &items[1..]),
        };
        out.push('<');
        out.push_str(&tag);
        if let Some(attrs) = attrs {
            for key in attrs.fields() {
                let value = attrs.get(key.clone())?.expect("listed field exists");
                out.push_str(&format!(" {key}=\"{}\"", go_to_string(&value)?));
            }
        }
        out.push('>');
        for child in children {
            nested(|| element(out, child))?;
        }
        out.push_str("</");
        out.push_str(&tag);
        out.push('>');
        Ok(())
    }
    if !matches!(value, Val::Arr(_)) {
        return Err(ErrorKind::RuntimeError(
            format!(
                "manifestXmlJsonml: expected an array, got {}",
                value.value_type()
            )
            .into(),
        )
        .into());
    }
    let mut out = String::new();
    element(&mut out, value)?;
    Ok(out)
}
