//! Error reports in go-jsonnet's shape: a `RUNTIME ERROR: ` or `STATIC ERROR: ` line,
//! then one `\tfile:line:col\tdescription` line per stack frame, cropped to
//! `--max-trace` frames (top and bottom kept, `\t...` between). Locations are those
//! of the text the user wrote (see [`Prepass`]); the calls of gwsonnet's own inserted
//! wrappers are left out.

use std::fmt::Write;

use jrsonnet_evaluator::{error::ErrorKind, trace::PathResolver, Error};
use jrsonnet_ir::{Source, Span};
use jrsonnet_ir_parser::ParseError;

use super::prepass::Prepass;

/// Formats `err` as go-jsonnet would print it (ends with a newline).
pub fn format_error(
    err: &Error,
    max_trace: usize,
    paths: &PathResolver,
    prepass: &Prepass,
) -> String {
    let locate = |span: &Span| {
        span_location(
            &prepass.original_span(span).unwrap_or_else(|| span.clone()),
            paths,
        )
    };
    let mut out = String::new();
    match err.error() {
        ErrorKind::ImportSyntaxError { error, .. } => {
            // An edited file is reported as the user wrote it.
            let error = prepass
                .original_syntax_error(error.location.0.source_path())
                .unwrap_or_else(|| ParseError {
                    message: error.message.clone(),
                    location: prepass
                        .original_span(&error.location)
                        .unwrap_or_else(|| error.location.clone()),
                });
            let path = &error.location.0;
            let offset = error.location.1.min(path.code().len() as u32);
            let [loc] = path.map_source_locations(&[offset]);
            let _ = writeln!(
                out,
                "STATIC ERROR: {}:{}:{}: {}",
                source_name(path, paths),
                loc.line,
                loc.column,
                error.message
            );
            return out;
        }
        ErrorKind::StaticAnalysisError(diags) => {
            for d in diags {
                match &d.span {
                    Some(span) => {
                        let _ = writeln!(out, "STATIC ERROR: {}: {}", locate(span), d.message);
                    }
                    None => {
                        let _ = writeln!(out, "STATIC ERROR: {}", d.message);
                    }
                }
            }
            return out;
        }
        ErrorKind::RuntimeError(msg) => {
            let _ = writeln!(out, "RUNTIME ERROR: {msg}");
        }
        ErrorKind::StackOverflow => out.push_str("RUNTIME ERROR: max stack frames exceeded.\n"),
        // go-jsonnet's wording for the errors users meet most.
        ErrorKind::UndefinedExternalVariable(name) => {
            let _ = writeln!(out, "RUNTIME ERROR: Undefined external variable: {name}");
        }
        ErrorKind::AssertionFailed(msg) => {
            let msg: &str = msg;
            let msg = if msg.is_empty() || msg == "null" {
                "Assertion failed"
            } else {
                msg
            };
            let _ = writeln!(out, "RUNTIME ERROR: {msg}");
        }
        // go-jsonnet's words for a unary operator on a non-number, which is also how
        // the operands of `*` are checked (see `prepass::operators`).
        ErrorKind::UnaryOperatorDoesNotOperateOnType(op, ty) => {
            let expected = match op {
                jrsonnet_ir::UnaryOpType::Not => "boolean",
                _ => "number",
            };
            let _ = writeln!(
                out,
                "RUNTIME ERROR: Unexpected type {ty}, expected {expected}"
            );
        }
        ErrorKind::DivisionByZero => out.push_str("RUNTIME ERROR: Division by zero.\n"),
        ErrorKind::ConvertNumValue(jrsonnet_ir::ConvertNumValueError::NonFinite) => {
            out.push_str("RUNTIME ERROR: Overflow\n")
        }
        ErrorKind::NoSuchField(name, similar) => {
            // jrsonnet suggests the missing name itself when `super.x` is missing and
            // `self.x` exists ("There is a field with similar name present: x"): a
            // suggestion equal to the name is dropped.
            let similar: Vec<_> = similar.iter().filter(|s| *s != name).cloned().collect();
            let text = ErrorKind::NoSuchField(name.clone(), similar).to_string();
            let rest = text.strip_prefix("no such field: ").unwrap_or(&text);
            let _ = writeln!(out, "RUNTIME ERROR: Field does not exist: {rest}");
        }
        ErrorKind::ArrayBoundsError(index, len) => {
            let _ = writeln!(
                out,
                "RUNTIME ERROR: Index {index} out of bounds, not within [0, {len})"
            );
        }
        ErrorKind::ImportFileNotFound(_, path) => {
            let _ = writeln!(
                out,
                "RUNTIME ERROR: couldn't open import {:?}: no match locally or in the Jsonnet library paths",
                path.to_string()
            );
        }
        ErrorKind::ImportBadFileUtf8(path) => {
            let _ = writeln!(
                out,
                "RUNTIME ERROR: {}: the file is not valid UTF-8",
                path_name(path, paths)
            );
        }
        ErrorKind::ImportIsADirectory(path) => {
            let _ = writeln!(
                out,
                "RUNTIME ERROR: couldn't import {}: is a directory",
                path_name(path, paths)
            );
        }
        ErrorKind::ResolvedFileNotFound(path) => {
            let _ = writeln!(
                out,
                "RUNTIME ERROR: couldn't open {}",
                path_name(path, paths)
            );
        }
        other => {
            let _ = writeln!(out, "RUNTIME ERROR: {other}");
        }
    }
    let frames: Vec<String> = err
        .trace()
        .0
        .iter()
        .filter_map(|el| {
            let desc = Prepass::frame_description(&el.desc)?;
            Some(match &el.location {
                Some(span) => format!("\t{}\t{desc}", locate(span)),
                None => format!("\t{desc}"),
            })
        })
        .collect();
    if max_trace > 0 && frames.len() > max_trace {
        let head = max_trace / 2;
        let tail = max_trace - head;
        for f in &frames[..head] {
            let _ = writeln!(out, "{f}");
        }
        out.push_str("\t...\n");
        for f in &frames[frames.len() - tail..] {
            let _ = writeln!(out, "{f}");
        }
    } else {
        for f in &frames {
            let _ = writeln!(out, "{f}");
        }
    }
    out
}

/// The name a resolved path is shown under: relative to the working directory for files.
fn path_name(path: &jrsonnet_ir::SourcePath, paths: &PathResolver) -> String {
    match path.path() {
        Some(p) => paths.resolve(p),
        None => path.to_string(),
    }
}

/// The name a source is shown under: a path relative to the working directory for
/// files, the import path for built-ins, `<stdin>`/`<cmdline>` for those inputs.
fn source_name(source: &Source, paths: &PathResolver) -> String {
    let sp = source.source_path();
    match sp.path() {
        Some(p) => paths.resolve(p),
        None => match sp.downcast_ref::<jrsonnet_ir::SourceFifo>() {
            Some(fifo) => fifo.0.clone(),
            None => sp.to_string(),
        },
    }
}

/// `file:line:col` or `file:line:col-endcol` / `file:(l1:c1)-(l2:c2)` like go-jsonnet.
fn span_location(span: &Span, paths: &PathResolver) -> String {
    let [start, end] = span.0.map_source_locations(&[span.1, span.2]);
    let name = source_name(&span.0, paths);
    if start.line == end.line {
        if end.column <= start.column + 1 {
            format!("{name}:{}:{}", start.line, start.column)
        } else {
            format!("{name}:{}:{}-{}", start.line, start.column, end.column)
        }
    } else {
        format!(
            "{name}:({}:{})-({}:{})",
            start.line, start.column, end.line, end.column
        )
    }
}
