//! jrsonnet's error → [`EvalError`]: go-jsonnet's message for each kind of failure
//! ([`message`]), the stack as frames with locations in the text the user wrote
//! ([`frames`]; see [`Prepass`]: the calls of gwsonnet's own inserted wrappers are left
//! out), and syntax and static-analysis errors with their source line.
//!
//! Contact points: [`crate::engine::Engine`] calls [`from_jrsonnet`] for every failure.

use jrsonnet_evaluator::{
    analyze::{DiagLevel, Diagnostic},
    error::ErrorKind,
    trace::PathResolver,
    Error,
};
use jrsonnet_ir::{BinaryOpType, Source, SourcePath, Span};
use jrsonnet_ir_parser::ParseError;

use super::{
    frames::SourceIndex, messages, std_frames::is_std, syntax, EvalError, Frame, Location,
    StdFrame, MOD_OPERANDS, UNPLACED,
};
use crate::engine::prepass::{
    Prepass, MOD_FRAME, OBJECT_COMPREHENSION_FORS, OBJECT_COMPREHENSION_FRAME,
};

/// How sources are named and mapped back to what the user wrote.
pub struct Names<'a> {
    /// Paths relative to the working directory, as the user gave them.
    pub paths: &'a PathResolver,
    /// Maps spans of edited files back to the original text.
    pub prepass: &'a Prepass,
    /// The program's file as written, when it is one.
    pub main: Option<&'a Source>,
    /// Where the program comes from (a file, `<stdin>`, `<cmdline>`), also when its
    /// text is not at hand.
    pub entry: Option<&'a SourcePath>,
}

/// The structured form of `err`; `max_trace` is `--max-trace`.
pub fn from_jrsonnet(err: &Error, max_trace: usize, names: &Names<'_>) -> EvalError {
    match err.error() {
        ErrorKind::ImportSyntaxError { error, .. } => in_import(
            err,
            syntax_error(&error.message, &error.location, names),
            max_trace,
            names,
        ),
        ErrorKind::StaticAnalysisError(diags) => {
            in_import(err, static_analysis_error(diags, names), max_trace, names)
        }
        ErrorKind::TooManyArgsFunctionHas(expected, _) => {
            let (frames, _) = frames(err, names);
            let message = match positional_arguments(err, names) {
                Some(got) => {
                    format!("function expected {expected} positional argument(s), but got {got}")
                }
                None => format!("function expected {expected} positional argument(s)"),
            };
            EvalError::Runtime {
                message,
                frames,
                max_trace,
            }
        }
        kind => {
            let (mut frames, object_assertion) = frames(err, names);
            let mut message = messages::runtime(kind, object_assertion, names.paths);
            match kind {
                // `%` is go's `std.mod`, which rejects the operands in its `std`.
                ErrorKind::BinaryOperatorDoesNotOperateOnValues(BinaryOpType::Mod, a, b) => {
                    message = format!("Operator % cannot be used on types {a} and {b}.");
                    frames.insert(0, MOD_OPERANDS.frame());
                }
                // go's condition is the `if` its desugarer wrote, a frame with no place.
                ErrorKind::TypeMismatch("if spec condition", ..) => {
                    frames.insert(0, Frame::step(""));
                }
                ErrorKind::TypeError(_) if in_field_name(err) => {
                    if let Some(got) = message
                        .strip_prefix("Unexpected type ")
                        .and_then(|m| m.strip_suffix(", expected string"))
                    {
                        message = format!("Field name must be string, got {got}");
                    }
                }
                _ => {}
            }
            EvalError::Runtime {
                message,
                frames,
                max_trace,
            }
        }
    }
}

/// A static error of an imported file is a runtime error of the import, as go-jsonnet
/// reports it: `RUNTIME ERROR: file:l:c message` (no source lines) and the frames of
/// the import. The program's own file, and code given on the command line, keep their
/// static error.
fn in_import(err: &Error, error: EvalError, max_trace: usize, names: &Names<'_>) -> EvalError {
    let EvalError::Static {
        location: Some(location),
        message,
        ..
    } = &error
    else {
        return error;
    };
    let imported = Some(location.file.as_str())
        != names.entry.map(|p| path_name(p, names.paths)).as_deref()
        && !location.file.starts_with('<');
    if !imported {
        return error;
    }
    EvalError::Runtime {
        message: format!("{location} {message}"),
        frames: frames(err, names).0,
        max_trace,
    }
}

/// A parse error, in the file as the user wrote it.
fn syntax_error(message: &str, span: &Span, names: &Names<'_>) -> EvalError {
    let prepass = names.prepass;
    let error = prepass
        .original_syntax_error(span.0.source_path())
        .unwrap_or_else(|| ParseError {
            message: message.to_owned(),
            location: prepass.original_span(span).unwrap_or_else(|| span.clone()),
        });
    let span = &error.location;
    let len = span.0.code().len() as u32;
    let begin = span.1.min(len);
    let end = span.2.clamp(begin, len);
    let span = Span(span.0.clone(), begin, end.max(begin));
    // go's string unescaping raises its errors with their place in the message.
    let escape = (error.message == "invalid string escape")
        .then(|| syntax::string_escape_error(span.0.code().get(span.1 as usize..span.2 as usize)?))
        .flatten();
    let (message, span) = match escape {
        Some(text) => (format!("{} {text}", location(&span, names.paths)), span),
        None => match syntax::go_syntax_error(span.0.code(), &error.message, (span.1, span.2)) {
            Some((message, (b, e))) => (message, Span(span.0.clone(), b, e)),
            None => (messages::static_text(&error.message), span),
        },
    };
    EvalError::Static {
        location: Some(location(&span, names.paths)),
        message,
        code: Some(code_lines(&span)),
    }
}

/// The first error the static analysis found (go-jsonnet stops at its first and has no
/// warnings, such as jrsonnet's "unused local").
fn static_analysis_error(diags: &[Diagnostic], names: &Names<'_>) -> EvalError {
    let first = diags
        .iter()
        .find(|d| d.level == DiagLevel::Error)
        .or_else(|| diags.first());
    let Some(d) = first else {
        return EvalError::Static {
            location: None,
            message: "static analysis failed".into(),
            code: None,
        };
    };
    let span = d
        .span
        .as_ref()
        .map(|s| names.prepass.original_span(s).unwrap_or_else(|| s.clone()))
        .map(|s| match d.message.as_str() {
            "import path must be a string literal" => {
                match syntax::computed_import(s.0.code(), (s.1, s.2)) {
                    Some((b, e)) => Span(s.0.clone(), b, e),
                    None => s,
                }
            }
            _ => s,
        })
        .or_else(|| keyword_outside_object(&d.message, names.main?));
    EvalError::Static {
        location: span.as_ref().map(|s| location(s, names.paths)),
        message: messages::static_text(&d.message),
        code: span.as_ref().map(code_lines),
    }
}

/// The place of the `$`, `self` or `super` a finding without place is about, when the
/// program's file has one outside every object (go points at it).
fn keyword_outside_object(message: &str, main: &Source) -> Option<Span> {
    let keyword = match message {
        "`$` used outside of object" => jrsonnet_lexer::SyntaxKind::DOLLAR,
        "`self` used outside of object" => jrsonnet_lexer::SyntaxKind::SELF_KW,
        "`super` used outside of object" => jrsonnet_lexer::SyntaxKind::SUPER_KW,
        _ => return None,
    };
    let (b, e) = syntax::outside_object(main.code(), keyword)?;
    Some(Span(main.clone(), b, e))
}

/// go-jsonnet's frames for jrsonnet's stack trace, innermost first: each frame of the
/// user's program that go has too, at go's extent and with go's context name (see
/// [`SourceIndex`]); a frame in a file that does not parse as written keeps jrsonnet's
/// description. Also tells whether the failure is an object's assertion.
fn frames(err: &Error, names: &Names<'_>) -> (Vec<Frame>, bool) {
    let mut object_assertion = false;
    // How many `for`s of the object comprehension around it the failure was in.
    let mut fors = 0;
    // A computed field name that is no string: go shows the object in its context.
    let mut field_name = in_field_name(err);
    let mut indexes: Vec<Option<SourceIndex>> = Vec::new();
    let mut out = Vec::new();
    for el in &err.trace().0 {
        if let Some(frame) = StdFrame::parse(&el.desc) {
            out.push(frame);
            continue;
        }
        let Some(desc) = Prepass::frame_description(&el.desc) else {
            continue;
        };
        // jrsonnet's frame at a parse error of an imported file: go has none.
        if desc == "parse imported" {
            continue;
        }
        let Some(span) = &el.location else {
            // The manifestation steps the JSON writer adds are go's; jrsonnet's
            // own (`argument <x> evaluation`) have no go counterpart.
            if is_go_step(desc) {
                out.push(Frame::step(desc));
            } else if desc == UNPLACED {
                out.push(Frame::step(""));
            } else if let Some(n) = desc.strip_prefix(OBJECT_COMPREHENSION_FORS) {
                fors = n.parse().unwrap_or(0);
            } else if let Some(step) = manifest_step(desc) {
                out.push(Frame::step(step));
            } else if desc == "during TLA call" {
                out.push(Frame::step(TOP_LEVEL_CALL));
            }
            continue;
        };
        let span = names
            .prepass
            .original_span(span)
            .unwrap_or_else(|| span.clone());
        let index = match indexes
            .iter()
            .position(|i| i.as_ref().is_some_and(|i| i.is_of(&span.0)))
        {
            Some(at) => indexes[at].as_ref(),
            None => {
                indexes.push(SourceIndex::new(&span.0));
                indexes.last().and_then(Option::as_ref)
            }
        };
        match index {
            // A rewritten comprehension's call, at the comprehension: go shows it
            // without a context.
            Some(_) if desc == "array comprehension" => out.push(Frame {
                location: Some(location(&span, names.paths)),
                description: String::new(),
            }),
            // An object comprehension is go's `$objectFlatMerge` of a `flatMap` per
            // `for`, each placed at the comprehension without a context: one frame,
            // and one per `for` the failure was in.
            Some(index) if desc == OBJECT_COMPREHENSION_FRAME => {
                let at = location(&span, names.paths);
                if std::mem::take(&mut field_name) {
                    if let Some(context) = index.comprehension_context(&span) {
                        out.push(Frame {
                            location: Some(at.clone()),
                            description: context,
                        });
                    }
                }
                for _ in 0..=std::mem::take(&mut fors) {
                    out.push(Frame {
                        location: Some(at.clone()),
                        description: String::new(),
                    });
                }
            }
            // `a % b` is go's call of `std.mod`, written by its desugarer (no context):
            // shown under the frames of go's `std` it failed in.
            Some(_) if desc == MOD_FRAME => {
                if out.last().is_some_and(is_std) {
                    out.push(Frame {
                        location: Some(location(&span, names.paths)),
                        description: String::new(),
                    });
                }
            }
            Some(index) => {
                if desc == "assertion failure" && index.is_object_assertion(&span) {
                    object_assertion = true;
                }
                if let Some((span, context)) = index.frame(desc, &span) {
                    out.push(Frame {
                        location: Some(location(&span, names.paths)),
                        description: context,
                    });
                }
            }
            None => out.push(Frame {
                location: Some(location(&span, names.paths)),
                description: desc.to_owned(),
            }),
        }
    }
    (out, object_assertion)
}

/// Whether the failure is the value of a computed field name (`{ [e]: … }`).
fn in_field_name(err: &Error) -> bool {
    err.trace()
        .0
        .first()
        .is_some_and(|el| el.desc == "evaluating field name")
}

/// The number of positional arguments of the call that failed.
fn positional_arguments(err: &Error, names: &Names<'_>) -> Option<usize> {
    // A call written in the program fails in its preparation, at its arguments (a
    // function a builtin calls has no such frame).
    let first = err.trace().0.first()?;
    let span = first
        .location
        .as_ref()
        .filter(|_| first.desc.ends_with(" preparation"))?;
    let span = names
        .prepass
        .original_span(span)
        .unwrap_or_else(|| span.clone());
    SourceIndex::new(&span.0)?.positional_arguments(&span)
}

/// go's frame for calling the program's top-level function with the TLAs.
pub const TOP_LEVEL_CALL: &str = "Top-level function call";

/// go's outermost frame of an evaluation of `main` (the original text of the program's
/// file): its top-level body in the context `$`.
pub fn top_level(main: &Source, names: &Names<'_>) -> Option<Frame> {
    let span = SourceIndex::new(main)?.top_level_body()?;
    Some(Frame {
        location: Some(location(&span, names.paths)),
        description: "$".into(),
    })
}

/// Whether a frame without location is one of go's manifestation steps
/// (see [`crate::manifest::json`]).
fn is_go_step(desc: &str) -> bool {
    desc.starts_with("Field \"")
        || desc.starts_with("Array element ")
        || desc == "Checking object assertions"
}

/// go's manifestation step for one of jrsonnet's own (its JSON writer serves
/// `std.toString` and string concatenation, as go's `manifestJSON` does): an element
/// or field evaluated or manifested is go's `Array element N` or `Field "k"`.
fn manifest_step(desc: &str) -> Option<String> {
    let (what, rest) = desc.split_once(" <")?;
    let name = rest
        .strip_suffix("> evaluation")
        .or_else(|| rest.strip_suffix("> manifestification"))?;
    match what {
        "elem" => Some(format!("Array element {name}")),
        "field" => Some(crate::manifest::json::field_step(name)),
        _ => None,
    }
}

/// The name a source is shown under: a path relative to the working directory for
/// files, the import path for built-ins, `<stdin>`/`<cmdline>` for those inputs.
fn source_name(source: &Source, paths: &PathResolver) -> String {
    path_name(source.source_path(), paths)
}

/// The name a source path is shown under (see [`source_name`]).
fn path_name(sp: &SourcePath, paths: &PathResolver) -> String {
    match sp.path() {
        Some(p) => paths.resolve(p),
        None => match sp.downcast_ref::<jrsonnet_ir::SourceFifo>() {
            Some(fifo) => fifo.0.clone(),
            None => sp.to_string(),
        },
    }
}

/// The place of `span` as go-jsonnet reports it.
/// Lines and columns count bytes, as go-jsonnet's do (`"é" + x`: `x` is at column 8).
fn location(span: &Span, paths: &PathResolver) -> Location {
    let code = span.0.code();
    Location {
        file: source_name(&span.0, paths),
        begin: line_column(code, span.1),
        end: line_column(code, span.2),
    }
}

/// The 1-based line and column of byte `offset` of `code`, the column in bytes from
/// the line's start.
fn line_column(code: &str, offset: u32) -> (u32, u32) {
    let before = &code.as_bytes()[..(offset as usize).min(code.len())];
    let line = memchr::memchr_iter(b'\n', before).count() as u32 + 1;
    let line_start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    (line, (before.len() - line_start) as u32 + 1)
}

/// The whole lines `span` covers, without the last line's newline.
fn code_lines(span: &Span) -> String {
    let code = span.0.code();
    let begin = (span.1 as usize).min(code.len());
    let end = (span.2 as usize).clamp(begin, code.len());
    let start = code[..begin].rfind('\n').map_or(0, |i| i + 1);
    let stop = code[end..].find('\n').map_or(code.len(), |i| end + i);
    code[start..stop].to_owned()
}
