//! The validation service the commands share: what `validate` reads and what
//! `--validate` renders becomes [`Part`]s pushed into [`check_streaming`], whose
//! workers find the Kubernetes objects in each part (documents, arrays, `List` items,
//! and objects nested in plain objects as Tanka finds them: [`push_objects`]), look
//! up their kinds once per `apiVersion`/`kind` and thread ([`Validator::find_kind`]
//! behind a small cache), validate them and give back [`Checked`]: reports of known
//! kinds, objects of unknown kinds and inputs that failed, each named by a [`Found`].
//!
//! YAML files are cut into documents first ([`push_yaml`]), each parsed on the worker
//! that checks it with the CRD loader's reader (`crate::crd::yaml`, errors at
//! `file:line`); a key repeated in a document is a warning of its objects. A mapping
//! that has `apiVersion` or `kind` but not both (as non-empty strings), and a
//! document of `validate`'s input in which no object is found at all, are errors
//! ("missing 'kind' key", as kubeconform says), not skipped; so is a document that is
//! a scalar, or a list without any object.
//!
//! Contact points: the CLI (`crate::cli`: `validate`, `--validate` of the jsonnet mode,
//! `show`, `eval`, `export`) reads inputs, pushes parts and renders [`Checked`];
//! [`super::validate_streaming`] runs the workers; objects are recognised by
//! [`crate::manifest::k8s_object`].

use std::{path::Path, sync::Arc};

use serde_json::Value;

use super::{validate_streaming, Feed, Finding, Report, Severity, Unpacked, Validator};
use crate::error::Error;
use crate::manifest::k8s_object;
use crate::model::{Kind, Registry};

/// What names an object found in an input in the reports: where it was found and its
/// `apiVersion`, `kind`, `metadata.namespace` and `metadata.name` as they were (the
/// object itself goes to the validator, which frees it once checked). An input that
/// failed is one too, with only its source and [`Found::failure`].
pub struct Found {
    /// The file, with `#<n>` for the n-th document of a YAML stream (from 1).
    pub source: Arc<str>,
    /// Its `apiVersion`.
    pub api_version: Value,
    /// Its `kind`.
    pub kind: Value,
    /// Its `metadata.namespace`.
    pub namespace: Value,
    /// Its `metadata.name`.
    pub name: Value,
    /// Why it is not a Kubernetes object ([`Collected::Malformed`]).
    malformed: Option<Finding>,
    /// Why the input could not be read.
    pub failure: Option<Arc<Error>>,
    /// A key repeated in its YAML document ([`repeated_key`]), added to its report.
    repeated: Option<Finding>,
}

impl Found {
    /// The object `object` found in `source`.
    pub fn new(source: Arc<str>, object: &Value) -> Self {
        Self::with(source, object, None)
    }

    fn with(source: Arc<str>, object: &Value, malformed: Option<Finding>) -> Self {
        let metadata = &object["metadata"];
        Self {
            source,
            api_version: object["apiVersion"].clone(),
            kind: object["kind"].clone(),
            namespace: metadata["namespace"].clone(),
            name: metadata["name"].clone(),
            malformed,
            failure: None,
            repeated: None,
        }
    }

    /// The input `source`, which failed with `error`.
    fn failed(source: Arc<str>, error: Error) -> Self {
        Self {
            failure: Some(Arc::new(error)),
            ..Self::with(source, &Value::Null, None)
        }
    }
}

/// What [`collect`] finds in a value.
enum Collected {
    /// A Kubernetes object: a mapping with `apiVersion` and `kind`.
    Object(Value),
    /// A mapping that should be one and is not: the finding says what it lacks.
    Malformed(Value, Finding),
}

/// What is given to the validator's workers ([`check_streaming`]): something read or
/// rendered, where it comes from, and the registry its kinds are looked up in.
pub struct Part<'r> {
    source: Arc<str>,
    registry: &'r Registry,
    content: Content,
}

impl<'r> Part<'r> {
    /// An input named `source` that could not be read: reported in its place.
    pub fn failed(source: Arc<str>, registry: &'r Registry, error: Error) -> Self {
        Self {
            source,
            registry,
            content: Content::Failed(error),
        }
    }

    /// JSON text the jsonnet mode wrote ([`crate::manifest::json::write_json_tapped`]),
    /// read back on the worker that checks it.
    pub fn json(source: Arc<str>, registry: &'r Registry, text: Vec<u8>) -> Self {
        Self {
            source,
            registry,
            content: Content::Json(text),
        }
    }
}

/// What a [`Part`] holds.
enum Content {
    /// One object found in what was read ([`push_objects`]).
    Object(Collected),
    /// JSON text the jsonnet mode wrote ([`crate::manifest::json::write_json_tapped`]),
    /// read on the worker that checks it.
    Json(Vec<u8>),
    /// One document of a YAML stream ([`yaml_documents`]), parsed on the worker that
    /// checks it.
    Yaml(YamlDocument),
    /// An input that could not be read: reported in its place.
    Failed(Error),
}

/// One document of a YAML file: its text is `range` of the file's `text`, starting on
/// line `first_line` (1-based) of `file`.
struct YamlDocument {
    file: Arc<Path>,
    text: Arc<str>,
    range: std::ops::Range<usize>,
    first_line: usize,
}

/// What [`check_streaming`] found, each list in the order of the parts.
pub struct Checked {
    /// The objects of known kinds, with their reports.
    pub known: Vec<(Found, Report)>,
    /// The objects of unknown kinds.
    pub unknown: Vec<Found>,
    /// The inputs that failed ([`Found::failure`]): rendered text that does not read
    /// back as JSON, a YAML document that does not parse, what `produce` pushed as
    /// [`Content::Failed`].
    pub failed: Vec<Found>,
}

/// Validates the objects of the parts `produce` pushes while it runs
/// ([`validate_streaming`]): each worker reads a part, finds the objects in it as
/// [`collect`] does and the kind of each. Gives what `produce` returned and what was
/// found.
pub fn check_streaming<'r, R>(produce: impl FnOnce(&mut Feed<Part<'r>>) -> R) -> (R, Checked) {
    let unpacker = || {
        let mut kinds = Kinds::default();
        move |part: Part<'r>, out: &mut Unpacked<'r, Found>| {
            let mut fail =
                |e: Error| out.push((None, Value::Null, Found::failed(part.source.clone(), e)));
            let mut objects = Vec::new();
            // (index in `objects`, its document's repeated key)
            let mut repeated = Vec::new();
            match part.content {
                Content::Object(object) => objects.push(object),
                Content::Json(text) => match crate::manifest::json::read_back(&text) {
                    Ok(v) => collect(v, &mut objects, false),
                    Err(error) => {
                        return fail(Error::ReadBack {
                            source: part.source.to_string(),
                            error,
                        })
                    }
                },
                Content::Yaml(doc) => {
                    match crate::crd::yaml::parse_stream(&doc.text[doc.range.clone()]) {
                        Ok(nodes) => {
                            for n in &nodes {
                                let first = objects.len();
                                collect(n.to_json(), &mut objects, true);
                                if let Some((path, key, line)) = n.duplicate_key() {
                                    let line = line + doc.first_line - 1;
                                    let finding = repeated_key(path, &key, line);
                                    repeated.extend(
                                        (first..objects.len()).map(|i| (i, finding.clone())),
                                    );
                                }
                            }
                        }
                        Err(e) => {
                            let line = e.line + doc.first_line - 1;
                            return fail(Error::YamlSyntax {
                                file: doc.file.to_path_buf(),
                                line,
                                message: e.message,
                            });
                        }
                    }
                }
                Content::Failed(e) => return fail(e),
            }
            for (i, object) in objects.into_iter().enumerate() {
                match object {
                    Collected::Object(object) => {
                        let mut found = Found::with(part.source.clone(), &object, None);
                        found.repeated = repeated
                            .iter()
                            .find(|(at, _)| *at == i)
                            .map(|(_, f)| f.clone());
                        out.push((kinds.find(part.registry, &object), object, found));
                    }
                    Collected::Malformed(object, why) => {
                        let found = Found::with(part.source.clone(), &object, Some(why));
                        out.push((None, object, found));
                    }
                }
            }
        }
    };
    let (produced, results) = validate_streaming(unpacker, produce);
    let mut checked = Checked {
        known: Vec::new(),
        unknown: Vec::new(),
        failed: Vec::new(),
    };
    for (mut found, report) in results {
        let repeated = found.repeated.take();
        match (report, found.malformed.take()) {
            (Some(mut report), _) => {
                report.findings.extend(repeated);
                checked.known.push((found, report))
            }
            (None, Some(why)) => {
                let report = Report {
                    findings: vec![why],
                    ..Report::default()
                };
                checked.known.push((found, report));
            }
            (None, None) if found.failure.is_some() => checked.failed.push(found),
            (None, None) => checked.unknown.push(found),
        }
    }
    (produced, checked)
}

/// Pushes the objects of `value` (found as [`collect`] finds them; `document`: a
/// document of `validate`'s input) one by one, so that the workers share them.
pub fn push_objects<'r>(
    feed: &mut Feed<Part<'r>>,
    source: &Arc<str>,
    registry: &'r Registry,
    value: Value,
    document: bool,
) {
    let mut objects = Vec::new();
    collect(value, &mut objects, document);
    for object in objects {
        feed.push(Part {
            source: source.clone(),
            registry,
            content: Content::Object(object),
        });
    }
}

/// The kinds found so far ([`Validator::find_kind`]) by registry, `apiVersion` and
/// `kind`: objects of a run share a few kinds, and looking one up in the registry
/// costs more than comparing these.
#[derive(Default)]
struct Kinds<'r> {
    seen: Vec<(&'r Registry, String, String, Option<&'r Kind>)>,
}

impl<'r> Kinds<'r> {
    /// The kind of `object` in `registry`, as [`Validator::find_kind`] gives it.
    fn find(&mut self, registry: &'r Registry, object: &Value) -> Option<&'r Kind> {
        let (api_version, kind) = k8s_object::identity(object.as_object()?).ok()?;
        let hit = self
            .seen
            .iter()
            .find(|(r, a, k, _)| std::ptr::eq(*r, registry) && a == api_version && k == kind);
        if let Some((_, _, _, found)) = hit {
            return *found;
        }
        let found = Validator::find_kind(registry, object);
        let entry = (registry, api_version.to_owned(), kind.to_owned(), found);
        self.seen.push(entry);
        found
    }
}

/// Pushes the documents of the YAML stream `text` (read from `file`, named `name` in
/// the reports) one by one ([`yaml_documents`]), each to be parsed (with the CRD
/// loader's reader: one YAML reading for the project, errors at `file:line`) and
/// checked on the workers; documents are numbered `name#n` when there are several.
pub fn push_yaml<'r>(
    feed: &mut Feed<Part<'r>>,
    name: &str,
    file: &Path,
    text: Arc<str>,
    registry: &'r Registry,
) {
    let documents = yaml_documents(&text);
    let many = documents.len() > 1;
    let path: Arc<Path> = file.into();
    for (i, (range, first_line)) in documents.into_iter().enumerate() {
        let source = if many {
            format!("{name}#{}", i + 1)
        } else {
            name.to_owned()
        };
        feed.push(Part {
            source: source.into(),
            registry,
            content: Content::Yaml(YamlDocument {
                file: path.clone(),
                text: text.clone(),
                range,
                first_line,
            }),
        });
    }
}

/// The documents of a YAML stream, as byte ranges with their first line (1-based), so
/// that they can be parsed apart: the text is cut before every line that starts a
/// document (`---` alone or followed by a space or tab), which YAML forbids inside
/// any content; pieces with nothing but blank lines and comments are dropped. A stream
/// with directives (`%YAML`, `%TAG` lines, which belong to the document after them)
/// stays one piece.
fn yaml_documents(text: &str) -> Vec<(std::ops::Range<usize>, usize)> {
    let mut starts = vec![(0, 1)];
    let mut directives = false;
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let marker = line
            .strip_prefix("---")
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t', '\n', '\r']));
        if marker && offset > 0 {
            starts.push((offset, i + 1));
        }
        directives |= line.starts_with('%');
        offset += line.len();
    }
    if directives {
        starts.truncate(1);
    }
    let ends = starts.iter().skip(1).map(|s| s.0).chain([text.len()]);
    starts
        .iter()
        .zip(ends)
        .map(|(&(start, line), end)| (start..end, line))
        .filter(|(range, _)| {
            text[range.clone()].lines().any(|l| {
                let l = l.trim_start();
                !(l.is_empty() || l.starts_with('#') || l == "---" || l.trim_end() == "---")
            })
        })
        .collect()
}

/// The Kubernetes objects of a value: an object with `apiVersion` and `kind` (a
/// `...List` with `items` gives its items), else the objects in its elements or fields.
/// An object with only one of the two (or one that is not a non-empty string) is
/// malformed; so is a `document` (one of `validate`'s inputs) that is a non-empty
/// mapping in which no object is found.
fn collect(v: Value, out: &mut Vec<Collected>, document: bool) {
    let malformed = match v {
        Value::Object(mut o) => {
            if let Ok(is_list) = k8s_object::identity(&o).map(|(_, kind)| kind.ends_with("List")) {
                match o.remove("items") {
                    Some(Value::Array(items)) if is_list => {
                        items.into_iter().for_each(|i| collect(i, out, false))
                    }
                    items => {
                        if let Some(items) = items {
                            o.insert("items".into(), items);
                        }
                        out.push(Collected::Object(Value::Object(o)));
                    }
                }
                return;
            }
            if k8s_object::IDENTITY_FIELDS
                .iter()
                .any(|f| o.contains_key(*f))
            {
                Some(Value::Object(o))
            } else {
                let empty = o.is_empty();
                let rest: Vec<Value> = o.into_iter().map(|(_, x)| x).collect();
                let mut inner = Vec::new();
                rest.into_iter().for_each(|x| collect(x, &mut inner, false));
                let found_none = inner.is_empty();
                out.extend(inner);
                (document && !empty && found_none).then(|| Value::Object(serde_json::Map::new()))
            }
        }
        Value::Array(a) => {
            let empty = a.is_empty();
            let before = out.len();
            a.into_iter().for_each(|x| collect(x, out, false));
            if document && !empty && out.len() == before {
                out.push(not_an_object(
                    "the document is a list with no Kubernetes object in it".to_owned(),
                ));
            }
            None
        }
        Value::Null => None,
        scalar => {
            if document {
                let what = match scalar {
                    Value::Bool(_) => "a boolean",
                    Value::Number(_) => "a number",
                    _ => "a string",
                };
                out.push(not_an_object(format!(
                    "the document is {what}, not a Kubernetes object (a mapping with apiVersion and kind)"
                )));
            }
            None
        }
    };
    if let Some(object) = malformed {
        let missing = match object.as_object().map(k8s_object::identity) {
            Some(Err(why)) => why.field(),
            _ => "apiVersion",
        };
        let finding = Finding {
            severity: Severity::Error,
            path: missing.to_owned(),
            constraint: "required".into(),
            message: format!(
                "missing '{missing}' key: a Kubernetes object needs apiVersion and kind"
            ),
            value: None,
            reason: None,
        };
        out.push(Collected::Malformed(object, finding));
    }
}

/// A document of `validate`'s input that holds no object: an error finding saying why.
fn not_an_object(message: String) -> Collected {
    Collected::Malformed(
        Value::Object(serde_json::Map::new()),
        Finding {
            severity: Severity::Error,
            path: String::new(),
            constraint: "type".into(),
            message,
            value: None,
            reason: None,
        },
    )
}

/// A warning for a `key` repeated at `path` (on `line`): the last value is the one
/// checked, as the API server decodes it by default; its strict field validation
/// (kubectl's default) rejects the object.
fn repeated_key(path: String, key: &str, line: usize) -> Finding {
    Finding {
        severity: Severity::Warning,
        message: format!(
            "duplicate key {key:?} (repeated value at line {line}): the last value is used (the API server's strict field validation rejects it)"
        ),
        path,
        constraint: "duplicate key".into(),
        value: None,
        reason: None,
    }
}

#[cfg(test)]
mod tests {
    use super::yaml_documents;

    #[test]
    fn yaml_streams_are_cut_at_document_markers() {
        let text = "# head\n---\na: 1\n--- # two\nb: |\n  --- not a marker\n---\n# only a comment\n---\n\n--- {c: 3}\n---x: 4\n";
        let docs: Vec<(&str, usize)> = yaml_documents(text)
            .into_iter()
            .map(|(r, line)| (&text[r], line))
            .collect();
        assert_eq!(
            docs,
            [
                ("---\na: 1\n", 2),
                ("--- # two\nb: |\n  --- not a marker\n", 4),
                ("--- {c: 3}\n---x: 4\n", 11),
            ]
        );
        let with_directive = "%YAML 1.2\n---\na: 1\n---\nb: 2\n";
        assert_eq!(
            yaml_documents(with_directive),
            [(0..with_directive.len(), 1)]
        );
        assert!(yaml_documents("").is_empty());
    }
}
