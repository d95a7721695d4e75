//! `std.parseYaml` as go-jsonnet does it: documents split at `---` marker lines, YAML 1.1
//! scalars as Go's yaml.v2 resolves them (`yes`/`no`/`on`/`off` booleans, `0777`
//! octal, `_` in numbers), merge keys, and map keys turned into strings the way the
//! YAML-to-JSON step does. jrsonnet's own parser follows YAML 1.2, which reads
//! `defaultMode: 0644` as 644 instead of 420; `!!binary` scalars base64-decoded; a
//! scalar tagged `!!bool`, `!!int`, `!!float`, `!!null` or `!!timestamp` checked to be
//! one; U+0085 a line break, as libyaml reads it; errors in yaml.v2's words
//! ([`ParseYamlError`]).

use crate::gocompat::yaml_aliases::EXCESSIVE_ALIASING;
use crate::gocompat::yaml_errors::{self, Syntax};
use crate::gocompat::yaml_resolve::{self, Resolved};
use crate::gocompat::yaml_tree::{self, Documents, Raw, RawNode, TreeError};
use crate::gocompat::{base64, float, libyaml};
use jrsonnet_evaluator::{
    error::{ErrorKind, Result},
    function::builtin,
    IStr, NumValue, ObjValueBuilder, Val,
};
use yaml_rust2::{parser::Tag, scanner::TScalarStyle};

/// Why `std.parseYaml` fails: `Display` is go-jsonnet's message after
/// `failed to parse YAML: `.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ParseYamlError {
    /// Not YAML: libyaml's problem, after the line yaml.v2 names.
    #[error("error converting YAML to JSON: yaml: {0}")]
    Syntax(Syntax),
    /// An alias to an anchor not defined before it.
    #[error("error converting YAML to JSON: yaml: unknown anchor '{0}' referenced")]
    UnknownAnchor(String),
    /// An alias inside its own anchor's value.
    #[error("error converting YAML to JSON: yaml: anchor '{0}' value contains itself")]
    SelfAlias(String),
    /// More aliased nodes than Go's decoder expands.
    #[error("error converting YAML to JSON: yaml: {EXCESSIVE_ALIASING}")]
    ExcessiveAliasing,
    /// A float JSON cannot hold (`NaN`, `+Inf`, `-Inf`, as Go prints them).
    #[error("error converting YAML to JSON: json: unsupported value: {0}")]
    NotFinite(&'static str),
    /// A `null` map key (its text as written).
    #[error("error converting YAML to JSON: unsupported map key of type: %!s(<nil>), key: <nil>, value: {0:?}")]
    NullKey(String),
    /// A sequence or mapping as a map key.
    #[error("error converting YAML to JSON: yaml: invalid map key")]
    InvalidMapKey,
    /// A merge key (`<<`) whose value is no mapping or list of mappings.
    #[error("map merge requires map or sequence of maps as the value")]
    MergeNotMap,
    /// A scalar whose explicit tag names another type than it is (`!!timestamp foo`):
    /// the type it is, its text and the tag's type.
    #[error("error converting YAML to JSON: yaml: cannot decode !!{found} `{text}` as a !!{tag}")]
    NotOfTag {
        found: &'static str,
        text: String,
        tag: String,
    },
    /// A `!!binary` scalar that is not base64.
    #[error("error converting YAML to JSON: yaml: !!binary value contains invalid base64 data")]
    InvalidBase64,
}

#[builtin]
pub(super) fn builtin_parse_yaml(str: IStr) -> Result<Val> {
    parse_yaml(&str)
        .map_err(|e| ErrorKind::RuntimeError(format!("failed to parse YAML: {e}").into()).into())
}

/// Parses a YAML text: one value, or an array of documents when a `---` marker line
/// occurs; no document at all is `null`.
fn parse_yaml(text: &str) -> std::result::Result<Val, ParseYamlError> {
    let (documents, is_stream) = split_documents(text);
    let mut values = Vec::with_capacity(documents.len());
    for doc in documents {
        values.push(to_val(&parse_document(&doc)?)?);
    }
    if is_stream {
        Ok(Val::arr(values))
    } else {
        Ok(values.into_iter().next().unwrap_or(Val::Null))
    }
}

/// Splits a text into documents as go-jsonnet 0.22's reader does: line by line (each
/// line ends in `\n`), a new document at each `---` marker line (`---` then the end of
/// the line, a space or a tab), the marker line kept at the start of the document it
/// opens (so `--- 3` is the document `3`). An empty text has no document; the flag
/// says whether a marker was seen. Each document is then read up to its first end.
fn split_documents(text: &str) -> (Vec<String>, bool) {
    let mut docs = Vec::new();
    let mut current = String::new();
    let mut seen = false;
    let mut lines: Vec<&str> = text.split('\n').collect();
    // The piece after the last newline is a line only when not empty.
    let last = lines.pop().filter(|l| !l.is_empty());
    let terminated = lines.into_iter().map(|l| l.strip_suffix('\r').unwrap_or(l));
    for line in terminated.chain(last) {
        let marker = line
            .strip_prefix("---")
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']));
        if marker {
            seen = true;
            if !current.is_empty() {
                docs.push(std::mem::take(&mut current));
            }
        }
        current.push_str(line);
        current.push('\n');
    }
    if !current.is_empty() {
        docs.push(current);
    }
    (docs, seen)
}

/// Builds one document's tree (aliases expanded) as yaml.v2 reads the first document
/// of `text` (in which libyaml ends a line at U+0085 too).
fn parse_document(text: &str) -> std::result::Result<RawNode, ParseYamlError> {
    let text = &*libyaml::nel_as_line_feed(text);
    let docs = yaml_tree::build(text, Documents::First, &mut Raw).map_err(|e| match e {
        TreeError::Syntax {
            unknown_anchor: Some(name),
            ..
        } => ParseYamlError::UnknownAnchor(name),
        TreeError::Syntax { error, .. } => {
            ParseYamlError::Syntax(yaml_errors::v2_syntax(&error, text))
        }
        TreeError::SelfAlias { name, .. } => ParseYamlError::SelfAlias(name),
        TreeError::ExcessiveAliasing { .. } => ParseYamlError::ExcessiveAliasing,
        TreeError::Refused { .. } => unreachable!("the raw tree refuses no mapping"),
    })?;
    Ok(docs.into_iter().next().unwrap_or_else(empty_scalar))
}

/// The empty plain scalar: what a document without a node reads as (`null`).
fn empty_scalar() -> RawNode {
    RawNode::Scalar(yaml_tree::Scalar {
        text: String::new(),
        style: TScalarStyle::Plain,
        tag: None,
        line: 1,
    })
}

/// A resolved scalar.
enum Scalar {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
}

/// yaml.v2's resolution of a scalar: quoted or `!!str` → string; `!!binary` → its
/// base64-decoded bytes as a string; plain → null, bool, int (Go's base-prefixed
/// syntax, `_` removed), float, or string; tagged `!!bool`, `!!int`, `!!float`,
/// `!!null` or `!!timestamp` (quoted or not) → resolved as plain and checked to be of
/// that type (a timestamp stays its text); any other tag → string.
fn resolve(
    value: &str,
    style: TScalarStyle,
    tag: Option<&Tag>,
) -> std::result::Result<Scalar, ParseYamlError> {
    let Some(tag) = tag else {
        if style != TScalarStyle::Plain {
            return Ok(Scalar::Str(value.to_owned()));
        }
        return Ok(resolve_plain(value));
    };
    match standard_tag(tag) {
        Some("binary") => {
            // Go's `base64.StdEncoding.DecodeString` (line breaks skipped); the bytes
            // reach JSON as a Go string.
            let bytes =
                base64::decode_std(value.as_bytes()).map_err(|_| ParseYamlError::InvalidBase64)?;
            Ok(Scalar::Str(base64::lossy_string(&bytes)))
        }
        Some(name @ ("bool" | "int" | "float" | "null" | "timestamp")) => {
            match yaml_resolve::v2_tagged(name, value) {
                Ok(resolved) => Ok(scalar(resolved, value)),
                Err(found) => Err(ParseYamlError::NotOfTag {
                    found,
                    text: value.to_owned(),
                    tag: name.to_owned(),
                }),
            }
        }
        _ => Ok(Scalar::Str(value.to_owned())),
    }
}

/// The name of a tag of the YAML types (`str` of `!!str`, also written
/// `!<tag:yaml.org,2002:str>`), `None` for any other tag.
fn standard_tag(tag: &Tag) -> Option<&str> {
    const PREFIX: &str = "tag:yaml.org,2002:";
    match tag.handle.as_str() {
        "!!" | PREFIX => Some(&tag.suffix),
        "" => tag.suffix.strip_prefix(PREFIX),
        _ => None,
    }
}

/// A plain scalar as yaml.v2 resolves it.
fn resolve_plain(value: &str) -> Scalar {
    scalar(yaml_resolve::v2(value), value)
}

/// The scalar `value` resolved as `resolved`; timestamps stay their text, as yaml.v2's
/// decoder keeps them when decoding into `interface{}`.
fn scalar(resolved: Resolved, value: &str) -> Scalar {
    match resolved {
        Resolved::Null => Scalar::Null,
        Resolved::Bool(b) => Scalar::Bool(b),
        Resolved::Int(i) => Scalar::Int(i),
        Resolved::Float(f) => Scalar::Float(f),
        Resolved::Timestamp(_) | Resolved::Str => Scalar::Str(value.to_owned()),
    }
}

/// Converts a node to a Jsonnet value the way the YAML-to-JSON step does.
fn to_val(node: &RawNode) -> std::result::Result<Val, ParseYamlError> {
    Ok(match node {
        RawNode::Scalar(s) => match resolve(&s.text, s.style, s.tag.as_ref())? {
            Scalar::Null => Val::Null,
            Scalar::Bool(b) => Val::Bool(b),
            Scalar::Int(i) => number(i as f64)?,
            Scalar::Float(f) => number(f)?,
            Scalar::Str(s) => Val::from(s),
        },
        RawNode::Seq(items) => Val::arr(
            items
                .iter()
                .map(to_val)
                .collect::<std::result::Result<Vec<_>, _>>()?,
        ),
        RawNode::Map(entries) => {
            let fields = to_fields(entries)?;
            let mut b = ObjValueBuilder::with_capacity(fields.len());
            for (k, v) in fields {
                b.field(k.as_str()).value(v);
            }
            Val::Obj(b.build())
        }
    })
}

/// A number as JSON holds it; Go's JSON encoder refuses the others.
fn number(f: f64) -> std::result::Result<Val, ParseYamlError> {
    NumValue::new(f).map(Val::Num).ok_or_else(|| {
        ParseYamlError::NotFinite(if f.is_nan() {
            "NaN"
        } else if f > 0.0 {
            "+Inf"
        } else {
            "-Inf"
        })
    })
}

/// A mapping's fields: its own entries (the last of a repeated key) and those its
/// `<<` merge keys bring that it does not have itself.
fn to_fields(
    entries: &[(RawNode, RawNode)],
) -> std::result::Result<Vec<(String, Val)>, ParseYamlError> {
    let mut fields: Vec<(String, Val)> = Vec::new();
    let mut merged: Vec<(String, Val)> = Vec::new();
    for (key, value) in entries {
        if let RawNode::Scalar(k) = key {
            if k.is_plain() && k.text == "<<" {
                merge_sources(value, &mut merged)?;
                continue;
            }
        }
        let key = key_string(key)?;
        let value = to_val(value)?;
        fields.retain(|(k, _)| *k != key);
        fields.push((key, value));
    }
    merged.retain(|(k, _)| !fields.iter().any(|(f, _)| f == k));
    merged.extend(fields);
    Ok(merged)
}

/// Collects the entries a `<<` merge key brings: one mapping, or a list of them where
/// earlier mappings win.
fn merge_sources(
    value: &RawNode,
    merged: &mut Vec<(String, Val)>,
) -> std::result::Result<(), ParseYamlError> {
    let sources: Vec<&RawNode> = match value {
        RawNode::Seq(items) => items.iter().collect(),
        other => vec![other],
    };
    for source in sources {
        let RawNode::Map(entries) = source else {
            return Err(ParseYamlError::MergeNotMap);
        };
        for (key, value) in to_fields(entries)? {
            if !merged.iter().any(|(k, _)| *k == key) {
                merged.push((key, value));
            }
        }
    }
    Ok(())
}

/// Map keys become strings: booleans `true`/`false`, numbers in Go's `%v` form.
fn key_string(key: &RawNode) -> std::result::Result<String, ParseYamlError> {
    match key {
        RawNode::Scalar(yaml_tree::Scalar {
            text: value,
            style,
            tag,
            ..
        }) => match resolve(value, *style, tag.as_ref())? {
            Scalar::Str(s) => Ok(s),
            Scalar::Bool(b) => Ok(b.to_string()),
            Scalar::Int(i) => Ok(i.to_string()),
            Scalar::Float(f) => Ok(float::format_g(f)),
            Scalar::Null => Err(ParseYamlError::NullKey(value.clone())),
        },
        _ => Err(ParseYamlError::InvalidMapKey),
    }
}

#[cfg(test)]
mod tests {
    use super::{parse_yaml, split_documents, ParseYamlError};
    use crate::gocompat::yaml_errors::Syntax;

    /// go-jsonnet's results for `tests/testdata/yaml_errors/cases.jsonl` (made by its
    /// `regen.py`): the message of each error, the value of each text it reads.
    #[test]
    fn results_match_go_jsonnet() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/testdata/yaml_errors/cases.jsonl"
        );
        let cases = std::fs::read_to_string(path).expect("cases.jsonl");
        let known = known_differences();
        let mut wrong = Vec::new();
        for line in cases.lines() {
            let case: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
            let yaml = case["yaml"].as_str().expect("yaml");
            let got = match parse_yaml(yaml) {
                Ok(v) => Ok(crate::manifest::json::to_serde(&v).expect("plain values")),
                Err(e) => Err(e.to_string()),
            };
            let want = match case["error"].as_str() {
                Some(e) => Err(e.to_owned()),
                None => Ok(case["json"].clone()),
            };
            match (got == want, known.iter().any(|k| k == yaml)) {
                (true, true) => wrong.push(format!("{yaml:?}: now identical, unlist it")),
                (false, false) => wrong.push(format!("{yaml:?}: go {want:?}, gwsonnet {got:?}")),
                _ => {}
            }
        }
        assert!(cases.lines().count() > 40 && known.len() < 10);
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    /// The texts of `known_differences.txt` (a JSON string per line, then its cause).
    fn known_differences() -> Vec<String> {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/testdata/yaml_errors/known_differences.txt"
        );
        std::fs::read_to_string(path)
            .expect("known_differences.txt")
            .lines()
            .filter(|l| l.starts_with('"'))
            .map(|l| {
                let end = l.find("  # ").unwrap_or(l.len());
                serde_json::from_str(&l[..end]).expect("a JSON string")
            })
            .collect()
    }

    #[test]
    fn errors_say_what_went_wrong() {
        assert_eq!(
            parse_yaml("a: !!binary x").unwrap_err(),
            ParseYamlError::InvalidBase64
        );
        assert_eq!(
            parse_yaml("x: 1\na: b: c").unwrap_err(),
            ParseYamlError::Syntax(Syntax {
                line: Some(2),
                problem: "mapping values are not allowed in this context".into()
            })
        );
        assert_eq!(
            parse_yaml("a: .nan").unwrap_err(),
            ParseYamlError::NotFinite("NaN")
        );
        assert_eq!(
            parse_yaml("a: {<<: 1}").unwrap_err(),
            ParseYamlError::MergeNotMap
        );
        assert_eq!(
            parse_yaml("? [a]\n: 1").unwrap_err(),
            ParseYamlError::InvalidMapKey
        );
        assert_eq!(
            parse_yaml("~: 1").unwrap_err(),
            ParseYamlError::NullKey("~".into())
        );
        assert_eq!(
            parse_yaml("a: *b").unwrap_err(),
            ParseYamlError::UnknownAnchor("b".into())
        );
    }

    #[test]
    fn documents_split_like_go_jsonnet() {
        let split = |t: &str| split_documents(t);
        assert_eq!(split(""), (vec![], false));
        assert_eq!(split("a: 1"), (vec!["a: 1\n".to_owned()], false));
        assert_eq!(split("---"), (vec!["---\n".to_owned()], true));
        assert_eq!(
            split("a: 1\n---\n"),
            (vec!["a: 1\n".to_owned(), "---\n".to_owned()], true)
        );
        assert_eq!(
            split("a: 1\r\n--- 3\n---x\n"),
            (vec!["a: 1\n".to_owned(), "--- 3\n---x\n".to_owned()], true)
        );
    }
}
