//! `gwsonnet validate`: reads each input (a Jsonnet program evaluated by
//! [`crate::engine`], a rendered `.yaml`/`.yml`/`.json` manifest, the files of a
//! folder, or a YAML or JSON stream on stdin: [`inputs`]), hands it to the validation
//! service ([`crate::validate::service`]: object discovery, kind lookup, checks on
//! worker threads), and reports ([`report`]): human lines on stdout (or
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
//! `--kube-version` ([`Validator::find_kind`]).
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
use crate::model::Registry;
use crate::validate::service::{check_streaming, push_objects, push_yaml, Checked, Found, Part};
use crate::validate::{Coverage, Feed, Validator};
use inputs::Source;

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
                Source::Failed(name, e) => feed.push(Part::failed(name.into(), registry, e)),
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
        let text = f.failure.as_ref().map(|e| e.render()).unwrap_or_default();
        eprint!("{}", report::escape_but(&text, &['\n', '\t']));
    }
    if let Some(line) = report::unknown_kinds(&checked.unknown, args.strict, args.color.stderr()) {
        eprintln!("{line}");
    }
    let summary = report::summary(&checked.known, checked.unknown.len(), checked.failed.len());
    if !checked.failed.is_empty() {
        return Err(Error::Incomplete(summary));
    }
    if invalid || (args.strict && !checked.unknown.is_empty()) {
        return Err(Error::Validation(summary));
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
        feed.push(Part::failed(name.as_str().into(), registry, e))
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
        return feed.push(Part::failed(STDIN.into(), registry, e));
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
        write(&mut |text| feed.push(Part::json(source.clone(), registry, text)))
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
        return Err(Error::Input(failure));
    }
    let paint = color.stderr();
    let unknown: &[Found] = if strict { &checked.unknown } else { &[] };
    eprint!("{}", report::human(&checked.known, unknown, strict, paint));
    if let Some(line) = report::unknown_kinds(&checked.unknown, strict, paint) {
        eprintln!("{line}");
    }
    if checked.known.iter().any(|(_, r)| !r.is_valid()) || !unknown.is_empty() {
        return Err(Error::Validation(report::summary(
            &checked.known,
            checked.unknown.len(),
            0,
        )));
    }
    Ok(())
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

/// `--coverage`: per kind of every library, the CEL rules and schema constraints
/// checked, then a total; human lines or one JSON document on stdout.
fn coverage(args: &ValidateArgs) -> Result<(), Error> {
    let validator = Validator::new();
    let mut rows = Vec::new();
    for lib in args.engine.registry.libraries() {
        let kinds = lib.kinds().map_err(|source| Error::LibraryKinds {
            library: lib.import_root().to_owned(),
            source: Box::new(source),
        })?;
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
