//! Tanka's `parseYaml` and the reading of Helm's and Kustomize's output: a YAML stream
//! as yaml.v3 decodes it into `interface{}`, then the JSON round trip, with Tanka's
//! messages for every failure ([`YamlError`]).
//!
//! Contact points: the natives of [`super`]; the tree comes from
//! [`crate::gocompat::yaml_tree`], scalars resolve by [`crate::gocompat::yaml_resolve`].

use std::collections::HashMap;

use yaml_rust2::{parser::Tag, scanner::TScalarStyle};

use crate::gocompat;
use crate::gocompat::json::Value;
use crate::gocompat::yaml_aliases::EXCESSIVE_ALIASING;
use crate::gocompat::yaml_resolve::{self, Resolved};
use crate::gocompat::yaml_tree::{self, Documents, Raw, RawNode, TreeError};

/// Why a YAML stream does not read as Tanka reads it: `Display` is Tanka's message
/// (yaml.v3's, then the JSON round trip's).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum YamlError {
    /// A `%YAML` directive other than 1.1.
    #[error("parsing yaml: yaml: found incompatible YAML document")]
    IncompatibleVersion,
    /// An alias to an anchor not defined before it.
    #[error("parsing yaml: yaml: unknown anchor '{0}' referenced")]
    UnknownAnchor(String),
    /// Not YAML: the parser's line and message.
    #[error("parsing yaml: yaml: line {line}: {message}")]
    Syntax {
        /// The 1-based line.
        line: usize,
        /// The parser's message.
        message: String,
    },
    /// An alias inside its own anchor's value.
    #[error("parsing yaml: yaml: anchor value contains itself")]
    SelfAlias,
    /// More aliased nodes than Go's decoder expands.
    #[error("parsing yaml: yaml: {EXCESSIVE_ALIASING}")]
    ExcessiveAliasing,
    /// An explicitly tagged scalar that does not resolve to its tag.
    #[error("parsing yaml: yaml: cannot decode {resolved} `{text}` as a {tag}")]
    TagMismatch {
        /// What the text resolves to (`!!str`).
        resolved: &'static str,
        /// The scalar's text.
        text: String,
        /// The tag given (`!!int`).
        tag: String,
    },
    /// A float JSON cannot hold (`NaN`, `+Inf`, `-Inf`, as Go prints them).
    #[error("converting yaml to json: json: unsupported value: {0}")]
    NotFinite(&'static str),
    /// A timestamp whose zone offset is a day or more (`+24:00`), which Go's
    /// `Time.MarshalJSON` refuses.
    #[error("converting yaml to json: json: error calling MarshalJSON for type time.Time: Time.MarshalJSON: timezone hour outside of range [0,23]")]
    ZoneOutOfRange,
    /// A `!!binary` scalar that is not base64.
    #[error("yaml: !!binary value contains invalid base64 data")]
    InvalidBase64,
    /// Keys defined twice in mappings, as yaml.v3 lists them.
    #[error("parsing yaml: yaml: unmarshal errors:\n{}", .0.iter().map(|d| format!("  line {}: mapping key {:?} already defined at line {}", d.line, d.key, d.first)).collect::<Vec<_>>().join("\n"))]
    DuplicateKeys(Vec<DuplicateKey>),
    /// A sequence or mapping as a map key.
    #[error("parsing yaml: yaml: invalid map key")]
    InvalidMapKey,
    /// A mapping with a key that is no string: JSON cannot hold it.
    #[error("converting yaml to json: json: unsupported type: map[interface {{}}]interface {{}}")]
    NonStringKey,
    /// A merge key (`<<`) whose value is no mapping or list of mappings.
    #[error("parsing yaml: yaml: map merge requires map or sequence of maps as the value")]
    MergeNotMap,
}

/// A mapping key defined again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateKey {
    /// The key.
    pub key: String,
    /// The line of the repetition.
    pub line: usize,
    /// The line of the earlier definition.
    pub first: usize,
}

/// Every document of a YAML stream as yaml.v3 decodes it into `interface{}` and the
/// JSON round trip converts it; an empty document is `null`.
pub fn parse_yaml_stream(text: &str) -> Result<Vec<Value>, YamlError> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    // yaml.v3 reads YAML 1.1 documents only (and 1.2 ones without the directive).
    let incompatible = text.lines().any(|l| {
        l.strip_prefix("%YAML")
            .is_some_and(|rest| rest.split_whitespace().next() != Some("1.1"))
    });
    if incompatible {
        return Err(YamlError::IncompatibleVersion);
    }
    let docs = yaml_tree::build(text, Documents::All, &mut Raw).map_err(|e| match e {
        TreeError::Syntax {
            unknown_anchor: Some(name),
            ..
        } => YamlError::UnknownAnchor(name),
        TreeError::Syntax { error, .. } => YamlError::Syntax {
            line: error.marker().line(),
            message: error.info().to_owned(),
        },
        TreeError::SelfAlias { .. } => YamlError::SelfAlias,
        TreeError::ExcessiveAliasing { .. } => YamlError::ExcessiveAliasing,
        TreeError::Refused { .. } => unreachable!("the raw tree refuses no mapping"),
    })?;
    docs.iter().map(convert).collect()
}

/// The short tag of an explicit `!!x` tag, or the tag as written.
fn short_tag(tag: &Tag) -> String {
    if tag.handle == "!!" || tag.handle == "tag:yaml.org,2002:" {
        format!("!!{}", tag.suffix)
    } else {
        format!("{}{}", tag.handle, tag.suffix)
    }
}

/// Whether a key node is a string (or the merge key), as yaml.v3's `isStringMap` asks.
fn is_string_key(node: &RawNode) -> bool {
    match node {
        RawNode::Scalar(s) => match &s.tag {
            Some(t) => matches!(short_tag(t).as_str(), "!!str" | "!!merge"),
            None if s.style != TScalarStyle::Plain => true,
            None => yaml_resolve::v3(&s.text) == Resolved::Str,
        },
        _ => false,
    }
}

fn scalar_value(v: &str, style: TScalarStyle, tag: Option<&Tag>) -> Result<Value, YamlError> {
    let resolved = match tag.map(short_tag) {
        Some(t) if t == "!!str" => return Ok(Value::String(v.to_owned())),
        Some(t) if t == "!!binary" => return decode_base64(v).map(Value::String),
        Some(t)
            if matches!(
                t.as_str(),
                "!!int" | "!!float" | "!!bool" | "!!null" | "!!timestamp"
            ) =>
        {
            let r = yaml_resolve::v3(v);
            let ok = matches!(
                (t.as_str(), &r),
                ("!!int", Resolved::Int(_))
                    | ("!!float", Resolved::Float(_) | Resolved::Int(_))
                    | ("!!bool", Resolved::Bool(_))
                    | ("!!null", Resolved::Null)
                    | ("!!timestamp", Resolved::Timestamp(_))
            );
            if !ok {
                let got = match r {
                    Resolved::Null => "!!null",
                    Resolved::Bool(_) => "!!bool",
                    Resolved::Int(_) => "!!int",
                    Resolved::Float(_) => "!!float",
                    Resolved::Timestamp(_) => "!!timestamp",
                    Resolved::Str => "!!str",
                };
                return Err(YamlError::TagMismatch {
                    resolved: got,
                    text: v.to_owned(),
                    tag: t,
                });
            }
            r
        }
        Some(_) => return Ok(Value::String(v.to_owned())),
        None if style != TScalarStyle::Plain => return Ok(Value::String(v.to_owned())),
        None => yaml_resolve::v3(v),
    };
    Ok(match resolved {
        Resolved::Null => Value::Null,
        Resolved::Bool(b) => Value::Bool(b),
        Resolved::Int(i) => Value::Number(i as f64),
        Resolved::Float(f) if f.is_finite() => Value::Number(f),
        Resolved::Float(f) => {
            let shown = if f.is_nan() {
                "NaN"
            } else if f > 0.0 {
                "+Inf"
            } else {
                "-Inf"
            };
            return Err(YamlError::NotFinite(shown));
        }
        Resolved::Timestamp(Some(t)) => Value::String(t),
        Resolved::Timestamp(None) => return Err(YamlError::ZoneOutOfRange),
        Resolved::Str => Value::String(v.to_owned()),
    })
}

/// yaml.v3's `!!binary`: Go's `base64.StdEncoding.DecodeString` of the text with its
/// whitespace removed, then the bytes as a Go string the JSON round trip reads (each
/// byte of an invalid UTF-8 sequence a U+FFFD).
fn decode_base64(s: &str) -> Result<String, YamlError> {
    let clean: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    gocompat::base64::decode_std(&clean)
        .map(|bytes| gocompat::base64::lossy_string(&bytes))
        .map_err(|_| YamlError::InvalidBase64)
}

fn convert(node: &RawNode) -> Result<Value, YamlError> {
    match node {
        RawNode::Scalar(s) => scalar_value(&s.text, s.style, s.tag.as_ref()),
        RawNode::Seq(items) => Ok(Value::Array(
            items.iter().map(convert).collect::<Result<_, _>>()?,
        )),
        RawNode::Map(entries) => {
            // yaml.v3 rejects a repeated key (same text), listing every pair.
            let mut positions: HashMap<&str, Vec<usize>> = HashMap::new();
            for (i, (key, _)) in entries.iter().enumerate() {
                if let RawNode::Scalar(k) = key {
                    positions.entry(k.text.as_str()).or_default().push(i);
                }
            }
            let mut pairs: Vec<(usize, usize)> = positions
                .values()
                .filter(|p| p.len() > 1)
                .flat_map(|p| {
                    p.iter()
                        .enumerate()
                        .flat_map(move |(a, &i)| p[a + 1..].iter().map(move |&j| (i, j)))
                })
                .collect();
            if !pairs.is_empty() {
                pairs.sort_unstable();
                let line = |i: usize| match &entries[i].0 {
                    RawNode::Scalar(k) => (k.text.as_str(), k.line),
                    _ => ("", 0),
                };
                return Err(YamlError::DuplicateKeys(
                    pairs
                        .iter()
                        .map(|&(i, j)| {
                            let ((key, first), (_, line)) = (line(i), line(j));
                            DuplicateKey {
                                key: key.to_owned(),
                                line,
                                first,
                            }
                        })
                        .collect(),
                ));
            }
            if entries
                .iter()
                .any(|(k, _)| !matches!(k, RawNode::Scalar(..)))
            {
                return Err(YamlError::InvalidMapKey);
            }
            if !entries.iter().all(|(k, _)| is_string_key(k)) {
                return Err(YamlError::NonStringKey);
            }
            let mut fields: Vec<(String, Value)> = Vec::new();
            let mut merged: Vec<(String, Value)> = Vec::new();
            let mut merged_keys = std::collections::HashSet::new();
            for (key, value) in entries {
                let RawNode::Scalar(k) = key else {
                    unreachable!("string keys are scalars")
                };
                if k.is_plain() && k.text == "<<" {
                    let sources: Vec<&RawNode> = match value {
                        RawNode::Seq(items) => items.iter().collect(),
                        other => vec![other],
                    };
                    for source in sources {
                        let Value::Object(e) = convert(source)? else {
                            return Err(YamlError::MergeNotMap);
                        };
                        for (k, v) in e {
                            if merged_keys.insert(k.clone()) {
                                merged.push((k, v));
                            }
                        }
                    }
                    continue;
                }
                fields.push((k.text.clone(), convert(value)?));
            }
            let own: std::collections::HashSet<String> =
                fields.iter().map(|(k, _)| k.clone()).collect();
            fields.extend(merged.into_iter().filter(|(k, _)| !own.contains(k)));
            Ok(Value::Object(fields))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_are_told_apart() {
        assert_eq!(
            parse_yaml_stream("%YAML 1.2\n---\na: 1"),
            Err(YamlError::IncompatibleVersion)
        );
        assert_eq!(
            parse_yaml_stream("a: !!int x"),
            Err(YamlError::TagMismatch {
                resolved: "!!str",
                text: "x".into(),
                tag: "!!int".into()
            })
        );
        assert_eq!(
            parse_yaml_stream("a: 1\nb: 2\na: 3"),
            Err(YamlError::DuplicateKeys(vec![DuplicateKey {
                key: "a".into(),
                line: 3,
                first: 1
            }]))
        );
        assert_eq!(parse_yaml_stream("{1: a}"), Err(YamlError::NonStringKey));
        assert!(matches!(
            parse_yaml_stream("a: [1"),
            Err(YamlError::Syntax { .. })
        ));
    }

    #[test]
    fn messages_are_tankas() {
        let text = |t: &str| parse_yaml_stream(t).unwrap_err().to_string();
        assert_eq!(
            text("a: 1\nb: 2\na: 3\nb: 4"),
            "parsing yaml: yaml: unmarshal errors:\n  \
             line 3: mapping key \"a\" already defined at line 1\n  \
             line 4: mapping key \"b\" already defined at line 2"
        );
        assert_eq!(
            text("{1: a}"),
            "converting yaml to json: json: unsupported type: map[interface {}]interface {}"
        );
        assert_eq!(
            text("a: !!binary x"),
            "yaml: !!binary value contains invalid base64 data"
        );
    }
}
