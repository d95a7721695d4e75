//! The texts of `validate`'s and `--validate`'s reports: the human lines (one per
//! finding), the JSON document of `--output json`, the line counting the objects of
//! kinds with no schema, and the summary, with singular and plural words as the
//! counts need.
//!
//! Every piece of user text in a human line (file names, kinds, object names, JSON
//! paths, messages, values) is [`escape`]d: a manifest cannot move the terminal's
//! cursor, colour it, or start a line that looks like a report line of its own.
//! The JSON document needs nothing more than JSON's own escapes.
//!
//! Contact points: the validation service ([`crate::validate::service`]) gathers the
//! [`Found`] objects and their [`Report`]s; [`super`] prints these texts.

use std::{borrow::Cow, fmt::Write as _};

use serde_json::{json, Value};

use crate::cli::color::{self, Palette};
use crate::error::{count, Summary};
use crate::validate::service::{Checked, Found};
use crate::validate::{Report, Severity};

/// Kinds named in the line about objects of kinds with no schema, at most.
const KINDS_LISTED: usize = 10;

/// `text` with every character that a terminal would act on written as an escape:
/// C0 and C1 controls and DEL (`\n`, `\r`, `\t`, else `\x1b`), and the Unicode
/// characters that reorder or break lines (`\u{202e}`, `\u{2028}`, …).
pub fn escape(text: &str) -> Cow<'_, str> {
    escape_but(text, &[])
}

/// [`escape`], keeping the characters of `keep` (an error report's `\n` and `\t`).
pub fn escape_but<'a>(text: &'a str, keep: &[char]) -> Cow<'a, str> {
    let acts = |c: char| {
        !keep.contains(&c)
            && (c.is_control()
                || matches!(c, '\u{200e}' | '\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
    };
    if !text.contains(acts) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            _ if !acts(c) => out.push(c),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            _ if u32::from(c) <= 0xff => {
                let _ = write!(out, "\\x{:02x}", u32::from(c));
            }
            _ => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
        }
    }
    Cow::Owned(out)
}

/// `TCPRoute ns/name` (`TCPRoute name` without a namespace), escaped.
fn identity(o: &Found) -> String {
    let kind = o.kind.as_str().unwrap_or("?");
    let name = o.name.as_str().unwrap_or("<no name>");
    let text = match o.namespace.as_str() {
        Some(ns) => format!("{kind} {ns}/{name}"),
        None => format!("{kind} {name}"),
    };
    escape(&text).into_owned()
}

/// The human report: one line per finding, `<source>: <object>: <severity>: <path>:
/// <message> (value: <value>) [<constraint>]`, then one per object of `unknown`
/// (`skipped`, or `error` when `strict`); painted with `paint` (plain when colour is
/// off).
pub fn human(
    results: &[(Found, Report)],
    unknown: &[Found],
    strict: bool,
    paint: Palette,
) -> String {
    let mut out = String::new();
    for (f, r) in results {
        let object = paint.paint(color::OBJECT, &identity(f));
        let source = paint.paint(color::DIM, &escape(&f.source));
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
                let _ = write!(note, " (value: {})", escape(v));
            }
            let _ = write!(note, " [{}]", escape(&x.constraint));
            let _ = writeln!(
                out,
                "{source}: {object}: {}: {}: {}{}",
                paint.paint(severity, x.severity.as_str()),
                paint.paint(color::PATH, &escape(path)),
                escape(&x.message),
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
            paint.paint(color::DIM, &escape(&f.source)),
            paint.paint(color::OBJECT, &identity(f)),
            escape(f.api_version.as_str().unwrap_or("?")),
            escape(f.kind.as_str().unwrap_or("?")),
        );
    }
    out
}

/// The report of `--output json`: every object with its findings, the objects of
/// unknown kinds, and the inputs that failed (`source` and the error's text).
pub fn json(checked: &Checked, strict: bool) -> Value {
    let Checked {
        known,
        unknown,
        failed,
    } = checked;
    let objects: Vec<Value> = known
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
    let unknown_kinds: Vec<Value> = unknown
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
    let errors: Vec<Value> = failed
        .iter()
        .map(|f| json!({ "source": &*f.source, "error": f.failure.as_ref().map(|e| e.render()) }))
        .collect();
    let invalid = known.iter().any(|(_, r)| !r.is_valid());
    json!({
        "valid": !invalid && failed.is_empty() && (!strict || unknown.is_empty()),
        "objects": objects,
        "unknownKinds": unknown_kinds,
        "errors": errors,
    })
}

/// The line about the objects of kinds with no schema (`None` when there is none):
/// how many, and which kinds (the first [`KINDS_LISTED`], in the order met); a
/// warning, or an error when `strict`.
pub fn unknown_kinds(unknown: &[Found], strict: bool, paint: Palette) -> Option<String> {
    if unknown.is_empty() {
        return None;
    }
    let mut kinds: Vec<(&str, &str)> = Vec::new();
    for f in unknown {
        let kind = (
            f.kind.as_str().unwrap_or("?"),
            f.api_version.as_str().unwrap_or("?"),
        );
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    let mut listed: Vec<String> = kinds
        .iter()
        .take(KINDS_LISTED)
        .map(|(kind, api_version)| escape(&format!("{kind} ({api_version})")).into_owned())
        .collect();
    if kinds.len() > KINDS_LISTED {
        listed.push(format!(
            "and {}",
            count(kinds.len() - KINDS_LISTED, "other", "others")
        ));
    }
    let n = unknown.len();
    let (label, style, hint) = if strict {
        ("ERROR", color::ERROR, "")
    } else {
        (
            "WARNING",
            color::WARNING,
            ", or make this an error with --strict",
        )
    };
    Some(format!(
        "{}: {} of {} with no schema {} not checked: {}; load their CRDs with --crds{hint}",
        paint.paint(style, label),
        count(n, "object", "objects"),
        if n == 1 { "a kind" } else { "kinds" },
        if n == 1 { "was" } else { "were" },
        listed.join(", "),
    ))
}

/// The summary line: inputs that failed (when any), objects checked, invalid and of
/// unknown kinds, findings by severity, CEL rules evaluated and transition rules
/// skipped.
pub fn summary(results: &[(Found, Report)], unknown: usize, failed: usize) -> Summary {
    let sum = |f: &dyn Fn(&Report) -> usize| results.iter().map(|(_, r)| f(r)).sum::<usize>();
    Summary {
        failed,
        objects: results.len(),
        invalid: results.iter().filter(|(_, r)| !r.is_valid()).count(),
        unknown,
        errors: sum(&|r| r.count(Severity::Error)),
        warnings: sum(&|r| r.count(Severity::Warning)),
        not_checked: sum(&|r| r.count(Severity::NotChecked)),
        rules: sum(&|r| r.rules_checked),
        transition_rules: sum(&|r| r.transition_rules_skipped),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::cli::color::ColorChoice;
    use crate::validate::Finding;

    #[test]
    fn control_and_reordering_characters_are_escaped() {
        assert!(matches!(escape("web-1 ns/x"), Cow::Borrowed(_)));
        assert_eq!(
            escape("a\x1b[2Jb\rc\nd\te\u{7f}\u{9b}f\u{202e}g\u{2028}h é"),
            "a\\x1b[2Jb\\rc\\nd\\te\\x7f\\x9bf\\u{202e}g\\u{2028}h é"
        );
        assert_eq!(
            escape_but(
                "RUNTIME ERROR: \x1b]0;x\x07\n\tf.jsonnet:1:1",
                &['\n', '\t']
            ),
            "RUNTIME ERROR: \\x1b]0;x\\x07\n\tf.jsonnet:1:1"
        );
    }

    fn found(kind: &str, name: &str) -> Found {
        let object = json!({
            "apiVersion": "example.com/v1",
            "kind": kind,
            "metadata": { "name": name },
        });
        Found::new(Arc::from("in\x1b.yaml"), &object)
    }

    #[test]
    fn human_lines_escape_user_text_and_counts_agree_in_number() {
        let finding = Finding {
            severity: Severity::Error,
            path: "metadata.labels.a\nb".into(),
            constraint: "pattern".into(),
            message: "bad\r\nin.yaml: Fake x: error: injected".into(),
            value: Some("\"\\u001b[31m\"".into()),
            reason: None,
        };
        let report = Report {
            findings: vec![finding],
            rules_checked: 1,
            ..Report::default()
        };
        let results = vec![(found("Widget", "w\x1b[2J\nx"), report)];
        let text = human(&results, &[], false, ColorChoice::Never.stderr());
        assert_eq!(
            text,
            "in\\x1b.yaml: Widget w\\x1b[2J\\nx: error: metadata.labels.a\\nb: \
             bad\\r\\nin.yaml: Fake x: error: injected (value: \"\\u001b[31m\") [pattern]\n"
        );
        assert_eq!(summary(&results, 1, 1).errors, 1);
        assert_eq!(
            summary(&results, 1, 1).to_string(),
            "1 input failed; 1 object checked, 1 invalid, 1 of an unknown kind; 1 error, \
             0 warnings, 0 not checked; 1 CEL rule evaluated, 0 transition rules skipped"
        );
        assert_eq!(
            summary(&[], 0, 2).to_string(),
            "2 inputs failed; 0 objects checked, 0 invalid, 0 of unknown kinds; 0 errors, \
             0 warnings, 0 not checked; 0 CEL rules evaluated, 0 transition rules skipped"
        );
    }

    #[test]
    fn the_unknown_kinds_line_counts_objects_and_lists_kinds_once() {
        let paint = ColorChoice::Never.stderr();
        assert_eq!(unknown_kinds(&[], false, paint), None);
        let one = [found("Widget", "a")];
        assert_eq!(
            unknown_kinds(&one, false, paint).unwrap(),
            "WARNING: 1 object of a kind with no schema was not checked: \
             Widget (example.com/v1); load their CRDs with --crds, or make this an error with --strict"
        );
        let many: Vec<Found> = (0..14)
            .map(|i| found(&format!("K{}\x1b", i % 12), "a"))
            .collect();
        let line = unknown_kinds(&many, true, paint).unwrap();
        assert!(
            line.starts_with(
                "ERROR: 14 objects of kinds with no schema were not checked: \
                 K0\\x1b (example.com/v1), K1\\x1b (example.com/v1), "
            ),
            "{line}"
        );
        assert!(
            line.ends_with("K9\\x1b (example.com/v1), and 2 others; load their CRDs with --crds"),
            "{line}"
        );
    }
}
