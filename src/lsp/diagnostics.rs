//! Diagnostics: syntax errors with their ranges and warnings found statically (an
//! unknown field of a library object or a kind's object, `tcpRoute.spec.withRulez`;
//! an import nothing serves; libraries that failed to load) on every change; and on
//! save the evaluation error and the `validate` findings of the objects the file
//! produces.
//!
//! The save-time check runs `gwsonnet validate --output json` on the file in a child
//! process (this same binary, with the project's import path and libraries) and kills
//! it past a time limit, so a slow or endless program costs the editor nothing but a
//! message, and evaluation never shares the server's memory. An evaluation error is
//! placed at the first frame in the file; a finding at the object's name where that
//! string appears in the file, else at the file's start.
//! Contact points: [`super::server`] publishes what [`on_change`] and [`on_save`]
//! return.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::rc::Rc;
use std::time::{Duration, Instant};

use jrsonnet_rowan_parser::{nodes::Text, AstToken, SyntaxKind};
use lsp_types::{Diagnostic, DiagnosticSeverity, Position, Range};

use super::analysis::{text_value, Analyzer, Shape};
use super::completion::target_of_suffix;
use super::documents::Document;
use super::project::{Project, Resolved};

/// Where diagnostics come from, as editors show it.
const SOURCE: &str = "gwsonnet";

/// How long the unknown-field checks of one change may take before the rest are left
/// for the next change (a huge file must not make typing lag).
const STATIC_BUDGET: Duration = Duration::from_millis(50);

fn diag(range: Range, severity: DiagnosticSeverity, message: String) -> Diagnostic {
    Diagnostic {
        range,
        severity: Some(severity),
        source: Some(SOURCE.to_owned()),
        message,
        ..Diagnostic::default()
    }
}

/// The diagnostics of `doc` found without evaluating it.
pub fn on_change(an: &Analyzer, doc: &Rc<Document>) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = doc
        .parsed()
        .reported_errors(&doc.text)
        .iter()
        .map(|e| {
            diag(
                // Offsets of the text as typed, not of the analysed tree.
                doc.lines.range(&doc.text, e.start, e.end),
                DiagnosticSeverity::ERROR,
                e.message.clone(),
            )
        })
        .collect();
    if let Some(e) = &an.project.load_error {
        out.push(diag(
            Range::default(),
            DiagnosticSeverity::WARNING,
            format!("libraries not loaded: {e}"),
        ));
    }
    let Some(root) = doc.parsed().root.clone() else {
        return out;
    };
    let started = Instant::now();
    for node in root.descendants() {
        if started.elapsed() > STATIC_BUDGET {
            break;
        }
        match node.kind() {
            SyntaxKind::EXPR_IMPORT => {
                let Some(t) = node
                    .children_with_tokens()
                    .filter_map(|t| t.into_token())
                    .find_map(Text::cast)
                else {
                    continue;
                };
                let Some(path) = text_value(&t) else { continue };
                let is_import = node
                    .first_token()
                    .is_some_and(|k| k.kind() == SyntaxKind::IMPORT_KW);
                let resolved = an.project.resolve(doc.path.as_deref(), &path);
                if resolved == Resolved::Missing {
                    let hint = an
                        .project
                        .missing_hint(&path)
                        .map(|h| format!("; {h}"))
                        .unwrap_or_default();
                    let r = t.syntax().text_range();
                    out.push(diag(
                        doc.range(usize::from(r.start()), usize::from(r.end())),
                        if is_import {
                            DiagnosticSeverity::ERROR
                        } else {
                            DiagnosticSeverity::WARNING
                        },
                        format!("couldn't open import {path:?}: no match locally or in the Jsonnet library paths{hint}"),
                    ));
                }
            }
            SyntaxKind::EXPR_BINARY | SyntaxKind::EXPR_OBJ_EXTEND => {
                literal_fields(an, doc, &node, &mut out);
            }
            SyntaxKind::SUFFIX_INDEX => {
                let Some(name_node) = node.children().find(|c| c.kind() == SyntaxKind::NAME) else {
                    continue;
                };
                let Some(name) = super::analysis::name_text(&name_node) else {
                    continue;
                };
                if name == super::syntax::PLACEHOLDER {
                    continue;
                }
                let target = target_of_suffix(an, doc, &node);
                if !an.is_closed(&target) {
                    continue;
                }
                if an.has_member(&target, &name) {
                    continue;
                }
                let members = an.member_names(&target);
                let near = nearest(&name, members.iter().map(String::as_str))
                    .map(|n| format!("; did you mean '{n}'?"))
                    .unwrap_or_default();
                let r = name_node.text_range();
                out.push(diag(
                    doc.range(usize::from(r.start()), usize::from(r.end())),
                    DiagnosticSeverity::WARNING,
                    format!("unknown field '{name}' of {}{near}", describe(&target)),
                ));
            }
            _ => {}
        }
    }
    out
}

/// Unknown fields of an object literal merged into a kind's object
/// (`tcpRoute.new('x') + { spec+: { rulez: [] } }`): a warning at each name the schema
/// does not have, looked for down the literal's nested objects.
fn literal_fields(
    an: &Analyzer,
    doc: &Rc<Document>,
    node: &jrsonnet_rowan_parser::SyntaxNode,
    out: &mut Vec<Diagnostic>,
) {
    use jrsonnet_rowan_parser::{
        nodes::{BinaryOperatorKind, Expr, ExprBase, ExprBinary},
        AstNode,
    };
    if let Some(b) = ExprBinary::cast(node.clone()) {
        if b.binary_operator().map(|o| o.kind()) != Some(BinaryOperatorKind::Plus) {
            return;
        }
    }
    let mut operands = node.children().filter_map(Expr::cast);
    let (Some(lhs), Some(rhs)) = (operands.next(), operands.next()) else {
        return;
    };
    let object = match rhs.expr_base() {
        Some(ExprBase::ExprObject(o)) if rhs.suffixs().next().is_none() => o.syntax().clone(),
        _ => return,
    };
    let schemas = super::analysis::schema_parts(&an.expr(doc, &lhs));
    for r in schemas {
        check_literal(an, doc, &object, &r, out);
    }
}

/// The fields of the object literal `object` checked against the schema at `r`.
fn check_literal(
    an: &Analyzer,
    doc: &Rc<Document>,
    object: &jrsonnet_rowan_parser::SyntaxNode,
    r: &super::libraries::SchemaRef,
    out: &mut Vec<Diagnostic>,
) {
    use super::analysis::{object_fields, FieldValue};
    use jrsonnet_rowan_parser::nodes::ExprBase;
    use jrsonnet_rowan_parser::AstNode;
    let open = an
        .libs()
        .with_schema(r, |k, s| {
            let open =
                s.properties().is_empty() || s.is_map() || s.preserve_unknown_fields == Some(true);
            (open, r.steps.is_empty() && k.resource)
        })
        .unwrap_or((true, false));
    if open.0 {
        return;
    }
    for f in object_fields(object) {
        let shape = Shape::Schema(r.clone());
        let root_field = open.1 && (f.name == "apiVersion" || f.name == "kind");
        if !root_field && !an.has_member(&shape, &f.name) {
            let names = an.member_names(&shape);
            let near = nearest(&f.name, names.iter().map(String::as_str))
                .map(|n| format!("; did you mean '{n}'?"))
                .unwrap_or_default();
            let at = f.name_node.text_range();
            out.push(diag(
                doc.range(usize::from(at.start()), usize::from(at.end())),
                DiagnosticSeverity::WARNING,
                format!("unknown field '{}' of {}{near}", f.name, describe(&shape)),
            ));
            continue;
        }
        // One level down when the value is an object literal.
        if let FieldValue::Expr(Some(e)) = &f.value {
            if let Some(ExprBase::ExprObject(o)) = e.expr_base() {
                if e.suffixs().next().is_none() {
                    let mut child = r.clone();
                    child.steps.push(f.name.clone());
                    check_literal(an, doc, o.syntax(), &child, out);
                }
            }
        }
    }
}

/// The member nearest to a misspelt `name`: at most two edits (a swap of neighbours
/// is one) and fewer than half its letters.
fn nearest<'c>(name: &str, members: impl Iterator<Item = &'c str>) -> Option<&'c str> {
    let len = name.chars().count();
    members
        .map(|m| (strsim::osa_distance(name, m), m))
        .filter(|(d, _)| *d <= 2 && 2 * d < len)
        .min_by_key(|(d, _)| *d)
        .map(|(_, m)| m)
}

/// A shape named for a message: the library path or the kind and schema path.
fn describe(shape: &Shape) -> String {
    match shape {
        Shape::Lib(v) if v.path.is_empty() => "the library object".to_owned(),
        Shape::Lib(v) => v.path.join("."),
        Shape::Schema(r) => {
            let mut s = format!("{} object", r.kind);
            if !r.steps.is_empty() {
                s = format!("{}.{}", r.kind, r.steps.join("."));
            }
            s
        }
        _ => "the object".to_owned(),
    }
}

/// What the save-time check needs, all of it plain data (it runs on its own thread).
pub struct SaveJob {
    /// The saved file.
    pub path: std::path::PathBuf,
    /// Its text.
    pub text: String,
    /// The project's library directories, highest priority first.
    pub search: Vec<std::path::PathBuf>,
    /// The Tanka project's `crds/` folder, when it loads.
    pub crds: Option<std::path::PathBuf>,
    /// The time limit.
    pub limit: Duration,
}

impl SaveJob {
    /// The check of the file `path` (text `text`) of `project`.
    pub fn new(project: &Project, path: &Path, text: &str, limit: Duration) -> Self {
        let crds = project
            .root
            .as_ref()
            .map(|r| r.join("crds"))
            .filter(|c| c.is_dir() && project.load_error.is_none());
        Self {
            path: path.to_owned(),
            text: text.to_owned(),
            search: project.search.clone(),
            crds,
            limit,
        }
    }
}

/// Evaluates and validates the saved file in a child process within the job's time
/// limit; its diagnostics, or `None` when `stale` said the result is no longer
/// wanted (the child is then killed at once).
pub fn on_save(job: &SaveJob, stale: &dyn Fn() -> bool) -> Option<Vec<Diagnostic>> {
    let Ok(exe) = std::env::current_exe() else {
        return Some(Vec::new());
    };
    let mut cmd = Command::new(exe);
    cmd.arg("validate").arg("--output").arg("json");
    // -J: the right-most wins, so the highest priority goes last.
    // Paths made absolute: the child runs in the file's folder, so that its error
    // frames name the file as `<name>:line:col`.
    let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_owned());
    for dir in job.search.iter().rev() {
        cmd.arg("-J").arg(abs(dir));
    }
    if let Some(crds) = &job.crds {
        cmd.arg("--crds").arg(abs(crds));
    }
    let (Some(dir), Some(name)) = (job.path.parent(), job.path.file_name()) else {
        return Some(Vec::new());
    };
    cmd.current_dir(dir)
        .arg(name)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let Ok(mut child) = cmd.spawn() else {
        return Some(Vec::new());
    };
    let read = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut s = String::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_string(&mut s);
            }
            s
        })
    };
    let out_reader = read(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let err_reader = read(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let started = Instant::now();
    let end = loop {
        match child.try_wait() {
            Ok(Some(_)) => break End::Exited,
            Ok(None) if stale() => break End::Stale,
            Ok(None) if started.elapsed() > job.limit => break End::TimedOut,
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(_) => break End::Exited,
        }
    };
    if end != End::Exited {
        let _ = child.kill();
        let _ = child.wait();
    }
    let out = out_reader.join().unwrap_or_default();
    let err = err_reader.join().unwrap_or_default();
    if end == End::Stale {
        return None;
    }
    if end == End::TimedOut {
        return Some(vec![diag(
            Range::default(),
            DiagnosticSeverity::WARNING,
            format!(
                "evaluation did not finish within {:.1} s (not checked)",
                job.limit.as_secs_f64()
            ),
        )]);
    }
    let doc = Document::new(Some(job.path.clone()), job.text.clone());
    Some(report_diagnostics(&doc, &job.path, &out, &err))
}

/// How the child of a save-time check ended.
#[derive(PartialEq, Eq)]
enum End {
    /// By itself.
    Exited,
    /// Killed at the time limit.
    TimedOut,
    /// Killed because its result was no longer wanted.
    Stale,
}

/// The diagnostics of a `validate --output json` report (and its stderr).
fn report_diagnostics(doc: &Document, path: &Path, out: &str, err: &str) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let Ok(report) = serde_json::from_str::<serde_json::Value>(out) else {
        // A usage error or a crash: its text, at the file's start.
        let first = err.lines().find(|l| !l.trim().is_empty());
        if let Some(line) = first {
            diags.push(diag(
                Range::default(),
                DiagnosticSeverity::ERROR,
                line.to_owned(),
            ));
        }
        return diags;
    };
    let empty = Vec::new();
    for e in report["errors"].as_array().unwrap_or(&empty) {
        let text = e["error"].as_str().unwrap_or_default();
        diags.push(error_diagnostic(path, text));
    }
    for o in report["objects"].as_array().unwrap_or(&empty) {
        let name = o["name"].as_str().unwrap_or_default();
        let kind = o["kind"].as_str().unwrap_or_default();
        let range = name_range(doc, name);
        for f in o["findings"].as_array().unwrap_or(&empty) {
            let severity = match f["severity"].as_str() {
                Some("error") => DiagnosticSeverity::ERROR,
                _ => DiagnosticSeverity::WARNING,
            };
            let at = f["path"].as_str().unwrap_or_default();
            let msg = f["message"].as_str().unwrap_or_default();
            diags.push(diag(range, severity, format!("{kind} {name}: {at}: {msg}")));
        }
    }
    diags
}

/// The range of the first string literal equal to `name` in `doc` (the object's
/// name as written), else the file's start.
fn name_range(doc: &Document, name: &str) -> Range {
    if name.is_empty() {
        return Range::default();
    }
    let Some(root) = &doc.parsed().root else {
        return Range::default();
    };
    root.descendants_with_tokens()
        .filter_map(|t| t.into_token())
        .filter_map(Text::cast)
        .find(|t| text_value(t).as_deref() == Some(name))
        .map(|t| {
            let r = t.syntax().text_range();
            doc.range(usize::from(r.start()), usize::from(r.end()))
        })
        .unwrap_or_default()
}

/// An evaluation error's diagnostic: its first line as the message, at the first
/// frame (`file:line:col[-col]`) naming this file.
fn error_diagnostic(path: &Path, text: &str) -> Diagnostic {
    let message = text
        .lines()
        .map(|l| l.trim())
        .find(|l| !l.is_empty())
        .unwrap_or("evaluation failed")
        .to_owned();
    let file = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let range = text
        .lines()
        .filter_map(|l| frame_range(l.trim_start_matches('\t'), &file))
        .next()
        .unwrap_or_default();
    diag(range, DiagnosticSeverity::ERROR, message)
}

/// `file:L:C`, `file:L:C-C2` or `file:(L:C)-(L2:C2)` at the start of `line`, when
/// `file` is the one given (1-based in the text, 0-based in the range).
fn frame_range(line: &str, file: &str) -> Option<Range> {
    let rest = line.strip_prefix(file)?.strip_prefix(':')?;
    let loc = rest.split(['\t', ' ']).next()?;
    let num = |s: &str| s.trim_matches(['(', ')']).parse::<u32>().ok();
    let (start, end) = match loc.split_once('-') {
        Some((a, b)) => (a, Some(b)),
        None => (loc, None),
    };
    let (l, c) = start.split_once(':')?;
    let (l, c) = (num(l)?, num(c)?);
    let begin = Position::new(l.saturating_sub(1), c.saturating_sub(1));
    let end = match end {
        Some(e) => match e.split_once(':') {
            Some((l2, c2)) => Position::new(num(l2)?.saturating_sub(1), num(c2)?.saturating_sub(1)),
            None => Position::new(begin.line, num(e)?.saturating_sub(1)),
        },
        None => Position::new(begin.line, begin.character + 1),
    };
    Some(Range::new(begin, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_give_ranges() {
        assert_eq!(
            frame_range("/a/b.jsonnet:3:5-9\tobject <x>", "/a/b.jsonnet"),
            Some(Range::new(Position::new(2, 4), Position::new(2, 8)))
        );
        assert_eq!(
            frame_range("/a/b.jsonnet:(3:5)-(4:2)\t", "/a/b.jsonnet"),
            Some(Range::new(Position::new(2, 4), Position::new(3, 1)))
        );
        assert_eq!(frame_range("/other.jsonnet:3:5", "/a/b.jsonnet"), None);
    }
}
