//! `gwsonnet validate`: reads each input (a Jsonnet program evaluated by
//! [`crate::engine`], or a rendered `.yaml`/`.yml`/`.json` manifest), collects the
//! Kubernetes objects in it (documents, arrays, `List` items, and objects nested in
//! plain objects as Tanka finds them), checks those whose kind the registry carries
//! with [`crate::validate::Validator`], and reports: human lines on stdout (or one JSON
//! document with `--output json`), a summary on stderr. The `--validate` flags of the
//! other commands check what they render the same way: the jsonnet mode while its
//! output is written (each object's text read back on the validator's threads,
//! [`while_writing`]), `show`, `eval` and `export` once rendered ([`check_rendered`]).
//! Objects are checked on worker threads while the next inputs are read
//! ([`crate::validate::validate_streaming`]).
//!
//! Kinds are looked up in the CRD libraries, then in the Kubernetes API of
//! `--kube-version` ([`Validator::find_kind`]), once per `apiVersion`/`kind` and thread
//! ([`Kinds`]). A mapping that has `apiVersion` or `kind` but not both (as non-empty
//! strings), and a document of `validate`'s input in which no object is found at
//! all, are errors ("missing 'kind' key", as kubeconform says), not skipped; so is a
//! document that is a scalar, or a list without any object.
//!
//! Exit status through [`Error`]: 0 valid, 1 evaluation, input or usage error
//! ([`Error::Evaluation`], [`Error::Io`]), 2 violations ([`Error::Validation`]). Warnings
//! (pruned unknown fields) and "not checked" rules do not fail the run; unknown kinds
//! fail it with `--strict`. YAML is read as YAML 1.2 (`yes` stays a string), where
//! the API server's reader follows YAML 1.1.

use std::{
    fmt::Write as _,
    io,
    path::{Path, PathBuf},
    sync::{Arc, Mutex, PoisonError},
};

use serde_json::{json, Value};

use super::color::{self, ColorChoice, Palette};
use super::commands::ValidateArgs;
use crate::engine::{Engine, Input};
use crate::error::Error;
use crate::manifest::json::Tap;
use crate::model::{Kind, Registry};
use crate::validate::{
    validate_streaming, Coverage, Feed, Finding, Report, Severity, Unpacked, Validator,
};

/// What names an object found in an input in the reports: where it was found and its
/// `apiVersion`, `kind`, `metadata.namespace` and `metadata.name` as they were (the
/// object itself goes to the validator, which frees it once checked).
struct Found {
    /// The file, with `#<n>` for the n-th document of a YAML stream (from 1).
    source: Arc<str>,
    api_version: Value,
    kind: Value,
    namespace: Value,
    name: Value,
    /// Why it is not a Kubernetes object ([`Collected::Malformed`]).
    malformed: Option<Finding>,
}

impl Found {
    fn new(source: Arc<str>, object: &Value, malformed: Option<Finding>) -> Self {
        let metadata = &object["metadata"];
        Self {
            source,
            api_version: object["apiVersion"].clone(),
            kind: object["kind"].clone(),
            namespace: metadata["namespace"].clone(),
            name: metadata["name"].clone(),
            malformed,
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
struct Part<'r> {
    source: Arc<str>,
    registry: &'r Registry,
    content: Content,
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
struct Checked {
    /// The objects of known kinds, with their reports.
    known: Vec<(Found, Report)>,
    /// The objects of unknown kinds.
    unknown: Vec<Found>,
}

/// Validates the objects of the parts `produce` pushes while it runs
/// ([`validate_streaming`]): each worker reads a part, finds the objects in it as
/// [`collect`] does and the kind of each. Gives what `produce` returned and what was
/// found. Rendered text that does not read back as JSON, and a YAML document that does
/// not parse, are errors (the first one met).
fn check_streaming<'r, R>(
    produce: impl FnOnce(&mut Feed<Part<'r>>) -> R,
) -> Result<(R, Checked), Error> {
    let unreadable = Mutex::new(None);
    let unpacker = || {
        let mut kinds = Kinds::default();
        let unreadable = &unreadable;
        move |part: Part<'r>, out: &mut Unpacked<'r, Found>| {
            let fail = |e: Error| {
                let mut first = unreadable.lock().unwrap_or_else(PoisonError::into_inner);
                first.get_or_insert(e);
            };
            let mut objects = Vec::new();
            match part.content {
                Content::Object(object) => objects.push(object),
                Content::Json(text) => match crate::manifest::json::read_back(&text) {
                    Ok(v) => collect(v, &mut objects, false),
                    Err(e) => {
                        return fail(Error::Evaluation(format!(
                            "ERROR: reading the output back for validation: {}: {e}\n",
                            part.source
                        )))
                    }
                },
                Content::Yaml(doc) => {
                    match crate::crd::yaml::parse_stream(&doc.text[doc.range.clone()]) {
                        Ok(nodes) => nodes
                            .iter()
                            .for_each(|n| collect(n.to_json(), &mut objects, true)),
                        Err(e) => {
                            let line = e.line + doc.first_line - 1;
                            return fail(crate::crd::at(&doc.file, line, e.message));
                        }
                    }
                }
            }
            for object in objects {
                match object {
                    Collected::Object(object) => {
                        let found = Found::new(part.source.clone(), &object, None);
                        out.push((kinds.find(part.registry, &object), object, found));
                    }
                    Collected::Malformed(object, why) => {
                        let found = Found::new(part.source.clone(), &object, Some(why));
                        out.push((None, object, found));
                    }
                }
            }
        }
    };
    let (produced, results) = validate_streaming(unpacker, produce);
    if let Some(e) = unreadable
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner)
    {
        return Err(e);
    }
    let mut checked = Checked {
        known: Vec::new(),
        unknown: Vec::new(),
    };
    for (mut found, report) in results {
        match (report, found.malformed.take()) {
            (Some(report), _) => checked.known.push((found, report)),
            (None, Some(why)) => {
                let report = Report {
                    findings: vec![why],
                    ..Report::default()
                };
                checked.known.push((found, report));
            }
            (None, None) => checked.unknown.push(found),
        }
    }
    Ok((produced, checked))
}

/// Pushes the objects of `value` (found as [`collect`] finds them; `document`: a
/// document of `validate`'s input) one by one, so that the workers share them.
fn push_objects<'r>(
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
        let field = |name| object.get(name).and_then(Value::as_str);
        let (Some(api_version), Some(kind)) = (field("apiVersion"), field("kind")) else {
            return None;
        };
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

/// Runs `validate`.
pub fn run(args: &ValidateArgs) -> Result<(), Error> {
    if args.coverage {
        return coverage(args);
    }
    let registry = &args.engine.registry;
    let mut engine: Option<Engine> = None;
    // Each input is read while the objects of the ones before are being validated.
    let (
        read,
        Checked {
            known: results,
            unknown,
        },
    ) = check_streaming(|feed| {
        for file in &args.files {
            if matches!(
                file.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml")
            ) {
                push_yaml(feed, file, registry)?;
                continue;
            }
            let docs = read_input(file, args, &mut engine)?;
            let many = docs.len() > 1;
            for (i, doc) in docs.into_iter().enumerate() {
                let source = if many {
                    format!("{}#{}", file.display(), i + 1)
                } else {
                    file.display().to_string()
                };
                push_objects(feed, &source.into(), registry, doc, true);
            }
        }
        Ok::<(), Error>(())
    })?;
    if let Some(e) = engine {
        // The process exits right after: tearing the evaluator down is pure cost.
        std::mem::forget(e);
    }
    read?;
    let invalid = results.iter().filter(|(_, r)| !r.is_valid()).count();
    let failed = invalid > 0 || (args.strict && !unknown.is_empty());
    let text = if args.json {
        let mut s = json_report(&results, &unknown, args.strict).to_string();
        s.push('\n');
        s
    } else {
        human_report(&results, &unknown, args.strict, args.color.stdout())
    };
    super::print_stdout(text.as_bytes())?;
    let summary = summary(&results, unknown.len());
    if failed {
        return Err(Error::Validation(vec![summary]));
    }
    eprintln!("{summary}");
    Ok(())
}

/// `--validate` of `show` and `eval`: checks the objects of a rendered `value` (found
/// as in `validate`) with [`check_rendered`].
pub fn after_render(
    value: Value,
    source: &str,
    registry: &Registry,
    color: ColorChoice,
) -> Result<(), Error> {
    check_rendered(vec![(source.to_owned(), value, registry)], color)
}

/// `--validate` of the jsonnet mode: checks the objects of the result while `write`
/// writes it, from the parts it hands its tap ([`crate::manifest::json::write_json_tapped`]),
/// then reports as [`check_rendered`] does; a failed write is the error.
pub fn while_writing(
    source: &str,
    registry: &Registry,
    color: ColorChoice,
    write: impl FnOnce(&mut Tap<'_>) -> Result<(), Error>,
) -> Result<(), Error> {
    let source: Arc<str> = source.into();
    let (written, checked) = check_streaming(|feed| {
        write(&mut |text| {
            feed.push(Part {
                source: source.clone(),
                registry,
                content: Content::Json(text),
            })
        })
    })?;
    written?;
    report_rendered(&checked.known, color)
}

/// Checks rendered values, each with where it came from and the registry of the
/// libraries it was rendered with (`export --validate` gives every manifest with its
/// environment before writing): the objects in them (found as in `validate`) are
/// checked and reported as [`report_rendered`] does. Unknown kinds are left alone.
pub fn check_rendered(
    values: Vec<(String, Value, &Registry)>,
    color: ColorChoice,
) -> Result<(), Error> {
    let ((), checked) = check_streaming(|feed| {
        for (source, value, registry) in values {
            push_objects(feed, &source.into(), registry, value, false);
        }
    })?;
    report_rendered(&checked.known, color)
}

/// Writes the findings of rendered objects in the human format to stderr (coloured as
/// `color` says), and fails with exit status 2 when one is an error.
fn report_rendered(results: &[(Found, Report)], color: ColorChoice) -> Result<(), Error> {
    eprint!("{}", human_report(results, &[], false, color.stderr()));
    if results.iter().any(|(_, r)| !r.is_valid()) {
        return Err(Error::Validation(vec![summary(results, 0)]));
    }
    Ok(())
}

/// Pushes the documents of the YAML stream `file` one by one ([`yaml_documents`]), each
/// to be parsed (with the CRD loader's reader: one YAML reading for the project, errors
/// at `file:line`) and checked on the workers; documents are numbered `file#n` when
/// there are several.
fn push_yaml<'r>(
    feed: &mut Feed<Part<'r>>,
    file: &Path,
    registry: &'r Registry,
) -> Result<(), Error> {
    let text: Arc<str> = std::fs::read_to_string(file)
        .map_err(|e| Error::io("reading", file, e))?
        .into();
    let documents = yaml_documents(&text);
    let many = documents.len() > 1;
    let path: Arc<Path> = file.into();
    for (i, (range, first_line)) in documents.into_iter().enumerate() {
        let source = if many {
            format!("{}#{}", file.display(), i + 1)
        } else {
            file.display().to_string()
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
    Ok(())
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

/// The documents of one input (JSON or Jsonnet).
fn read_input(
    file: &Path,
    args: &ValidateArgs,
    engine: &mut Option<Engine>,
) -> Result<Vec<Value>, Error> {
    let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("");
    let bad = |msg: String| {
        Error::io(
            "reading",
            file,
            io::Error::new(io::ErrorKind::InvalidData, msg),
        )
    };
    match ext {
        "json" => {
            let text = std::fs::read(file).map_err(|e| Error::io("reading", file, e))?;
            Ok(vec![
                serde_json::from_slice(&text).map_err(|e| bad(e.to_string()))?
            ])
        }
        _ => {
            let engine = engine.get_or_insert_with(|| Engine::new(&args.engine));
            if let Err(e) = std::fs::metadata(file) {
                return Err(Error::io("opening input file", file, e));
            }
            let val = engine.evaluate(&Input::File(PathBuf::from(file)))?;
            let value = engine.to_serde(&val);
            std::mem::forget(val);
            Ok(vec![value?])
        }
    }
}

/// The Kubernetes objects of a value: an object with `apiVersion` and `kind` (a
/// `...List` with `items` gives its items), else the objects in its elements or fields.
/// An object with only one of the two (or one that is not a non-empty string) is
/// malformed; so is a `document` (one of `validate`'s inputs) that is a non-empty
/// mapping in which no object is found.
fn collect(v: Value, out: &mut Vec<Collected>, document: bool) {
    let malformed = match v {
        Value::Object(mut o) => {
            let field = |o: &serde_json::Map<String, Value>, name| {
                o.get(name)
                    .and_then(Value::as_str)
                    .is_some_and(|s| !s.is_empty())
            };
            let (api_version, kind) = (field(&o, "apiVersion"), field(&o, "kind"));
            if api_version && kind {
                let is_list = o["kind"].as_str().is_some_and(|k| k.ends_with("List"));
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
            if o.contains_key("apiVersion") || o.contains_key("kind") {
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
        let missing = if object
            .get("apiVersion")
            .and_then(Value::as_str)
            .is_some_and(|s| !s.is_empty())
        {
            "kind"
        } else {
            "apiVersion"
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

/// `TCPRoute ns/name` (`TCPRoute name` without a namespace).
fn identity(o: &Found) -> String {
    let kind = o.kind.as_str().unwrap_or("?");
    let name = o.name.as_str().unwrap_or("<no name>");
    match o.namespace.as_str() {
        Some(ns) => format!("{kind} {ns}/{name}"),
        None => format!("{kind} {name}"),
    }
}

/// The human report: one line per finding, `<source>: <object>: <severity>: <path>:
/// <message> (value: <value>) [<constraint>]`, then the unknown kinds; painted with
/// `paint` (plain when colour is off).
fn human_report(
    results: &[(Found, Report)],
    unknown: &[Found],
    strict: bool,
    paint: Palette,
) -> String {
    let mut out = String::new();
    for (f, r) in results {
        let object = paint.paint(color::OBJECT, &identity(f));
        let source = paint.paint(color::DIM, &f.source);
        for x in &r.findings {
            let severity = match x.severity {
                Severity::Error => color::ERROR,
                Severity::Warning => color::WARNING,
                Severity::NotChecked => color::NOTE,
            };
            let path = if x.path.is_empty() {
                "<object>"
            } else {
                &x.path
            };
            let mut note = String::new();
            if let Some(v) = &x.value {
                let _ = write!(note, " (value: {v})");
            }
            let _ = write!(note, " [{}]", x.constraint);
            let _ = writeln!(
                out,
                "{source}: {object}: {}: {}: {}{}",
                paint.paint(severity, x.severity.as_str()),
                paint.paint(color::PATH, path),
                x.message,
                paint.paint(color::DIM, &note),
            );
        }
    }
    for f in unknown {
        let what = if strict {
            paint.paint(color::ERROR, "error")
        } else {
            paint.paint(color::NOTE, "skipped")
        };
        let _ = writeln!(
            out,
            "{}: {}: {what}: no schema for {} {}",
            paint.paint(color::DIM, &f.source),
            paint.paint(color::OBJECT, &identity(f)),
            f.api_version.as_str().unwrap_or("?"),
            f.kind.as_str().unwrap_or("?"),
        );
    }
    out
}

fn json_report(results: &[(Found, Report)], unknown: &[Found], strict: bool) -> Value {
    let objects: Vec<Value> = results
        .iter()
        .map(|(f, r)| {
            json!({
                "source": &*f.source,
                "apiVersion": f.api_version,
                "kind": f.kind,
                "namespace": f.namespace,
                "name": f.name,
                "valid": r.is_valid(),
                "rulesChecked": r.rules_checked,
                "transitionRulesSkipped": r.transition_rules_skipped,
                "findings": r.findings.iter().map(|x| json!({
                    "severity": x.severity.as_str(),
                    "path": x.path,
                    "constraint": x.constraint,
                    "message": x.message,
                    "value": x.value,
                    "reason": x.reason,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let unknown: Vec<Value> = unknown
        .iter()
        .map(|f| {
            json!({
                "source": &*f.source,
                "apiVersion": f.api_version,
                "kind": f.kind,
                "namespace": f.namespace,
                "name": f.name,
            })
        })
        .collect();
    let invalid = results.iter().filter(|(_, r)| !r.is_valid()).count();
    json!({
        "valid": invalid == 0 && (!strict || unknown.is_empty()),
        "objects": objects,
        "unknownKinds": unknown,
    })
}

fn summary(results: &[(Found, Report)], unknown: usize) -> String {
    let sum = |f: &dyn Fn(&Report) -> usize| results.iter().map(|(_, r)| f(r)).sum::<usize>();
    format!(
        "{} objects checked, {} invalid, {} of unknown kinds; {} errors, {} warnings, {} not checked; {} CEL rules evaluated, {} transition rules skipped",
        results.len(),
        results.iter().filter(|(_, r)| !r.is_valid()).count(),
        unknown,
        sum(&|r| r.count(Severity::Error)),
        sum(&|r| r.count(Severity::Warning)),
        sum(&|r| r.count(Severity::NotChecked)),
        sum(&|r| r.rules_checked),
        sum(&|r| r.transition_rules_skipped),
    )
}

/// `--coverage`: per kind of every library, the CEL rules and schema constraints
/// checked, then a total; human lines or one JSON document on stdout.
fn coverage(args: &ValidateArgs) -> Result<(), Error> {
    let validator = Validator::new();
    let mut rows = Vec::new();
    for lib in args.engine.registry.libraries() {
        let kinds = lib
            .kinds()
            .map_err(|e| Error::Evaluation(format!("{}: {}", lib.import_root(), e.0)))?;
        for kind in kinds {
            rows.push((lib.import_root(), kind, validator.coverage(kind)));
        }
    }
    let mut total = Coverage::default();
    rows.iter().for_each(|(.., c)| total.add(c));
    let text = if args.json {
        let kinds: Vec<Value> = rows
            .iter()
            .map(|(lib, k, c)| {
                let mut v = coverage_json(c);
                v["library"] = json!(lib);
                v["group"] = json!(k.group);
                v["version"] = json!(k.version);
                v["kind"] = json!(k.kind);
                v
            })
            .collect();
        let mut s = json!({ "kinds": kinds, "total": coverage_json(&total) }).to_string();
        s.push('\n');
        s
    } else {
        let mut out = String::new();
        for (lib, k, c) in &rows {
            let _ = writeln!(out, "{lib}: {}: {}", k.api_version_kind(), coverage_line(c));
            for g in c.rules_not_checked.iter().chain(&c.constraints_not_checked) {
                let at = if g.path.is_empty() {
                    "<object>"
                } else {
                    &g.path
                };
                let _ = writeln!(out, "  not checked: {at}: {}: {}", g.what, g.why);
            }
        }
        let _ = writeln!(
            out,
            "total ({} kinds): {}",
            rows.len(),
            coverage_line(&total)
        );
        out
    };
    super::print_stdout(text.as_bytes())
}

fn coverage_line(c: &Coverage) -> String {
    format!(
        "CEL rules {}/{} checked ({:.1}%), {} transition rules skipped; schema constraints {}/{} checked ({:.1}%)",
        c.rules_checked,
        c.rules_present - c.transition_rules,
        c.rules_percent(),
        c.transition_rules,
        c.constraints_checked,
        c.constraints_present,
        c.constraints_percent(),
    )
}

fn coverage_json(c: &Coverage) -> Value {
    let gaps = |gs: &[crate::validate::Gap]| {
        gs.iter()
            .map(|g| json!({ "path": g.path, "what": g.what, "why": g.why }))
            .collect::<Vec<_>>()
    };
    json!({
        "celRules": {
            "present": c.rules_present,
            "checked": c.rules_checked,
            "transitionSkipped": c.transition_rules,
            "percent": c.rules_percent(),
            "notChecked": gaps(&c.rules_not_checked),
        },
        "schemaConstraints": {
            "present": c.constraints_present,
            "checked": c.constraints_checked,
            "percent": c.constraints_percent(),
            "notChecked": gaps(&c.constraints_not_checked),
        },
    })
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
