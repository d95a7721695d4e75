//! `gwsonnet validate`: reads each input (a Jsonnet program evaluated by
//! [`crate::engine`], a rendered `.yaml`/`.yml`/`.json` manifest, the files of a
//! folder, or a YAML or JSON stream on stdin: [`inputs`]), collects the Kubernetes
//! objects in it (documents, arrays, `List` items, and objects nested in plain objects
//! as Tanka finds them), checks those whose kind the registry carries with
//! [`crate::validate::Validator`], and reports ([`report`]): human lines on stdout (or
//! one JSON document with `--output json`), the objects of kinds with no schema as a
//! count on stderr, and a summary on stderr. The `--validate` flags of the other
//! commands check what they render the same way: the jsonnet mode while its output is
//! written (each object's text read back on the validator's threads,
//! [`while_writing`]), `show`, `eval` and `export` once rendered ([`check_rendered`]).
//! Objects are checked on worker threads while the next inputs are read
//! ([`crate::validate::validate_streaming`]).
//!
//! An input that fails (a file that cannot be read, a Jsonnet evaluation error, a YAML
//! document that does not parse, a folder with no input) is reported as an error of
//! that input, in its place, and the other inputs are still read and checked.
//!
//! Kinds are looked up in the CRD libraries, then in the Kubernetes API of
//! `--kube-version` ([`Validator::find_kind`]), once per `apiVersion`/`kind` and thread
//! ([`Kinds`]). A mapping that has `apiVersion` or `kind` but not both (as non-empty
//! strings), and a document of `validate`'s input in which no object is found at
//! all, are errors ("missing 'kind' key", as kubeconform says), not skipped; so is a
//! document that is a scalar, or a list without any object.
//!
//! Exit status through [`Error`]: 0 valid, 1 when an input failed
//! ([`Error::Incomplete`]) or for a usage error, 2 violations ([`Error::Validation`]).
//! Warnings (pruned unknown fields), "not checked" rules and objects of kinds with no
//! schema do not fail the run; `--strict` makes the last errors. YAML is read as YAML
//! 1.2 (`yes` stays a string), where the API server's reader follows YAML 1.1.

mod inputs;
mod report;

use std::{
    fmt::Write as _,
    io::{self, Read as _},
    path::{Path, PathBuf},
    sync::Arc,
};

use serde_json::{json, Value};

use super::color::ColorChoice;
use super::commands::ValidateArgs;
use crate::engine::{Engine, Input};
use crate::error::Error;
use crate::manifest::json::Tap;
use crate::manifest::k8s_object;
use crate::model::{Kind, Registry};
use crate::validate::{
    validate_streaming, Coverage, Feed, Finding, Report, Severity, Unpacked, Validator,
};
use inputs::Source;

/// What names an object found in an input in the reports: where it was found and its
/// `apiVersion`, `kind`, `metadata.namespace` and `metadata.name` as they were (the
/// object itself goes to the validator, which frees it once checked). An input that
/// failed is one too, with only its source and [`Found::failure`].
struct Found {
    /// The file, with `#<n>` for the n-th document of a YAML stream (from 1).
    source: Arc<str>,
    api_version: Value,
    kind: Value,
    namespace: Value,
    name: Value,
    /// Why it is not a Kubernetes object ([`Collected::Malformed`]).
    malformed: Option<Finding>,
    /// Why the input could not be read: the error's text as it is printed.
    failure: Option<String>,
    /// A key repeated in its YAML document ([`repeated_key`]), added to its report.
    repeated: Option<Finding>,
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
            failure: None,
            repeated: None,
        }
    }

    /// The input `source`, which failed with `error`.
    fn failed(source: Arc<str>, error: &Error) -> Self {
        Self {
            failure: Some(error.render()),
            ..Self::new(source, &Value::Null, None)
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
struct Checked {
    /// The objects of known kinds, with their reports.
    known: Vec<(Found, Report)>,
    /// The objects of unknown kinds.
    unknown: Vec<Found>,
    /// The inputs that failed ([`Found::failure`]): rendered text that does not read
    /// back as JSON, a YAML document that does not parse, what `produce` pushed as
    /// [`Content::Failed`].
    failed: Vec<Found>,
}

/// Validates the objects of the parts `produce` pushes while it runs
/// ([`validate_streaming`]): each worker reads a part, finds the objects in it as
/// [`collect`] does and the kind of each. Gives what `produce` returned and what was
/// found.
fn check_streaming<'r, R>(produce: impl FnOnce(&mut Feed<Part<'r>>) -> R) -> (R, Checked) {
    let unpacker = || {
        let mut kinds = Kinds::default();
        move |part: Part<'r>, out: &mut Unpacked<'r, Found>| {
            let mut fail =
                |e: Error| out.push((None, Value::Null, Found::failed(part.source.clone(), &e)));
            let mut objects = Vec::new();
            // (index in `objects`, its document's repeated key)
            let mut repeated = Vec::new();
            match part.content {
                Content::Object(object) => objects.push(object),
                Content::Json(text) => match crate::manifest::json::read_back(&text) {
                    Ok(v) => collect(v, &mut objects, false),
                    Err(e) => {
                        return fail(Error::Report(format!(
                            "ERROR: reading the output back for validation: {}: {e}\n",
                            part.source
                        )))
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
                            return fail(crate::crd::at(&doc.file, line, e.message));
                        }
                    }
                }
                Content::Failed(e) => return fail(e),
            }
            for (i, object) in objects.into_iter().enumerate() {
                match object {
                    Collected::Object(object) => {
                        let mut found = Found::new(part.source.clone(), &object, None);
                        found.repeated = repeated
                            .iter()
                            .find(|(at, _)| *at == i)
                            .map(|(_, f)| f.clone());
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

/// Runs `validate`.
pub fn run(args: &ValidateArgs) -> Result<(), Error> {
    if args.coverage {
        return coverage(args);
    }
    let registry = &args.engine.registry;
    let mut engine: Option<Engine> = None;
    // Each input is read while the objects of the ones before are being validated.
    let ((), checked) = check_streaming(|feed| {
        for source in inputs::sources(&args.files, args.recursive) {
            match source {
                Source::File(file) => push_file(feed, &file, args, &mut engine),
                Source::Stdin => push_stdin(feed, registry),
                Source::Failed(name, e) => feed.push(Part {
                    source: name.into(),
                    registry,
                    content: Content::Failed(e),
                }),
            }
        }
    });
    if let Some(e) = engine {
        // The process exits right after: tearing the evaluator down is pure cost.
        std::mem::forget(e);
    }
    let invalid = checked.known.iter().any(|(_, r)| !r.is_valid());
    let text = if args.json {
        let mut s = report::json(&checked, args.strict).to_string();
        s.push('\n');
        s
    } else {
        let paint = args.color.stdout();
        report::human(&checked.known, &checked.unknown, args.strict, paint)
    };
    super::print_stdout(text.as_bytes())?;
    for f in &checked.failed {
        let text = f.failure.as_deref().unwrap_or_default();
        eprint!("{}", report::escape_but(text, &['\n', '\t']));
    }
    if let Some(line) = report::unknown_kinds(&checked.unknown, args.strict, args.color.stderr()) {
        eprintln!("{line}");
    }
    let summary = report::summary(&checked.known, checked.unknown.len(), checked.failed.len());
    if !checked.failed.is_empty() {
        return Err(Error::Incomplete(summary));
    }
    if invalid || (args.strict && !checked.unknown.is_empty()) {
        return Err(Error::Validation(vec![summary]));
    }
    eprintln!("{summary}");
    Ok(())
}

/// Pushes the documents of the input `file`, or the error that reading it met.
fn push_file<'r>(
    feed: &mut Feed<Part<'r>>,
    file: &Path,
    args: &'r ValidateArgs,
    engine: &mut Option<Engine>,
) {
    let registry = &args.engine.registry;
    let name = file.display().to_string();
    let failed = |feed: &mut Feed<Part<'r>>, e: Error| {
        feed.push(Part {
            source: name.as_str().into(),
            registry,
            content: Content::Failed(e),
        })
    };
    if matches!(
        file.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    ) {
        match std::fs::read_to_string(file) {
            Ok(text) => push_yaml(feed, &name, file, text.into(), registry),
            Err(e) => failed(feed, Error::io("reading", file, e)),
        }
        return;
    }
    match read_input(file, args, engine) {
        Ok(doc) => push_objects(feed, &name.as_str().into(), registry, doc, true),
        Err(e) => failed(feed, e),
    }
}

/// The name standard input has in the reports.
const STDIN: &str = "<stdin>";

/// Pushes the documents of standard input (`-`): one JSON document when the text is
/// one, else a YAML stream (of which JSON documents may be part).
fn push_stdin<'r>(feed: &mut Feed<Part<'r>>, registry: &'r Registry) {
    let mut text = String::new();
    if let Err(source) = io::stdin().lock().read_to_string(&mut text) {
        let e = Error::Io {
            action: "reading",
            path: None,
            source,
        };
        return feed.push(Part {
            source: STDIN.into(),
            registry,
            content: Content::Failed(e),
        });
    }
    if text.trim_start().starts_with(['{', '[']) {
        if let Ok(doc) = serde_json::from_str(&text) {
            return push_objects(feed, &STDIN.into(), registry, doc, true);
        }
    }
    push_yaml(feed, STDIN, Path::new(STDIN), text.into(), registry);
}

/// `--validate` of `show` and `eval`: checks the objects of a rendered `value` (found
/// as in `validate`) with [`check_rendered`].
pub fn after_render(
    value: Value,
    source: &str,
    registry: &Registry,
    strict: bool,
    color: ColorChoice,
) -> Result<(), Error> {
    check_rendered(vec![(source.to_owned(), value, registry)], strict, color)
}

/// `--validate` of the jsonnet mode: checks the objects of the result while `write`
/// writes it, from the parts it hands its tap ([`crate::manifest::json::write_json_tapped`]),
/// then reports as [`check_rendered`] does; a failed write is the error.
pub fn while_writing(
    source: &str,
    registry: &Registry,
    strict: bool,
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
    });
    written?;
    report_rendered(&checked, strict, color)
}

/// Checks rendered values, each with where it came from and the registry of the
/// libraries it was rendered with (`export --validate` gives every manifest with its
/// environment before writing): the objects in them (found as in `validate`) are
/// checked and reported as [`report_rendered`] does.
pub fn check_rendered(
    values: Vec<(String, Value, &Registry)>,
    strict: bool,
    color: ColorChoice,
) -> Result<(), Error> {
    let ((), checked) = check_streaming(|feed| {
        for (source, value, registry) in values {
            push_objects(feed, &source.into(), registry, value, false);
        }
    });
    report_rendered(&checked, strict, color)
}

/// Writes the findings of rendered objects in the human format to stderr (coloured as
/// `color` says), then the count of objects of kinds with no schema (with `strict`,
/// each of them is an error first), and fails with exit status 2 when one is an error.
/// Rendered text that does not read back is the error (the first one met).
fn report_rendered(checked: &Checked, strict: bool, color: ColorChoice) -> Result<(), Error> {
    if let Some(failure) = checked.failed.first().and_then(|f| f.failure.clone()) {
        return Err(Error::Report(failure));
    }
    let paint = color.stderr();
    let unknown: &[Found] = if strict { &checked.unknown } else { &[] };
    eprint!("{}", report::human(&checked.known, unknown, strict, paint));
    if let Some(line) = report::unknown_kinds(&checked.unknown, strict, paint) {
        eprintln!("{line}");
    }
    if checked.known.iter().any(|(_, r)| !r.is_valid()) || !unknown.is_empty() {
        return Err(Error::Validation(vec![report::summary(
            &checked.known,
            checked.unknown.len(),
            0,
        )]));
    }
    Ok(())
}

/// Pushes the documents of the YAML stream `text` (read from `file`, named `name` in
/// the reports) one by one ([`yaml_documents`]), each to be parsed (with the CRD
/// loader's reader: one YAML reading for the project, errors at `file:line`) and
/// checked on the workers; documents are numbered `name#n` when there are several.
fn push_yaml<'r>(
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

/// The document of one input (JSON, or Jsonnet evaluated by `engine`, made on first
/// use).
fn read_input(
    file: &Path,
    args: &ValidateArgs,
    engine: &mut Option<Engine>,
) -> Result<Value, Error> {
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
            serde_json::from_slice(&text).map_err(|e| bad(e.to_string()))
        }
        _ => {
            let engine = engine.get_or_insert_with(|| Engine::new(&args.engine));
            if let Err(e) = std::fs::metadata(file) {
                return Err(Error::io("opening input file", file, e));
            }
            let val = engine.evaluate(&Input::File(PathBuf::from(file)))?;
            let value = engine.to_serde(&val);
            std::mem::forget(val);
            Ok(value?)
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

/// `--coverage`: per kind of every library, the CEL rules and schema constraints
/// checked, then a total; human lines or one JSON document on stdout.
fn coverage(args: &ValidateArgs) -> Result<(), Error> {
    let validator = Validator::new();
    let mut rows = Vec::new();
    for lib in args.engine.registry.libraries() {
        let kinds = lib
            .kinds()
            .map_err(|e| Error::Report(format!("{}: {}", lib.import_root(), e.0)))?;
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
            let about = format!("{lib}: {}", k.api_version_kind());
            let _ = writeln!(out, "{}: {}", report::escape(&about), coverage_line(c));
            for g in c.rules_not_checked.iter().chain(&c.constraints_not_checked) {
                let at = if g.path.is_empty() {
                    "<object>"
                } else {
                    &g.path
                };
                let gap = format!("{at}: {}: {}", g.what, g.why);
                let _ = writeln!(out, "  not checked: {}", report::escape(&gap));
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
