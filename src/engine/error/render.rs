//! go-jsonnet 0.22's default error text (`termErrorFormatter` of `error_formatter.go`,
//! not pretty), as its `jsonnet` CLI prints it with `fmt.Fprintln`: one more newline
//! after the formatter's text.
//!
//! Contact points: the `Display` of [`super::EvalError`] and of [`super::Location`].

use std::fmt::{self, Write};

use super::{Frame, Location};

impl fmt::Display for Location {
    /// go's `LocationRange.String`: `file:l:c` when the range is empty, `file:l:c-e`
    /// on one line, `file:(l:c)-(l:c)` across lines.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Self { file, begin, end } = self;
        if begin.0 != end.0 {
            write!(f, "{file}:({}:{})-({}:{})", begin.0, begin.1, end.0, end.1)
        } else if begin.1 == end.1 {
            write!(f, "{file}:{}:{}", begin.0, begin.1)
        } else {
            write!(f, "{file}:{}:{}-{}", begin.0, begin.1, end.1)
        }
    }
}

/// `RUNTIME ERROR: message`, then `\tlocation\tdescription` per frame (a frame without
/// location is `\tdescription\t`), cropped to `max_trace` frames (the first half and
/// the last half kept, one `\t...` between), then the CLI's empty line.
pub(super) fn runtime(message: &str, frames: &[Frame], max_trace: usize) -> String {
    let mut out = format!("RUNTIME ERROR: {message}\n");
    let line = |out: &mut String, frame: &Frame| {
        let _ = match &frame.location {
            Some(loc) => writeln!(out, "\t{loc}\t{}", frame.description),
            None => writeln!(out, "\t{}\t", frame.description),
        };
    };
    if max_trace > 0 && frames.len() > max_trace {
        let above = max_trace / 2;
        let below = max_trace - above;
        frames[..above].iter().for_each(|f| line(&mut out, f));
        out.push_str("\t...\n");
        frames[frames.len() - below..]
            .iter()
            .for_each(|f| line(&mut out, f));
    } else {
        frames.iter().for_each(|f| line(&mut out, f));
    }
    out.push('\n');
    out
}

/// `location message` (go's `staticError.Error`, a space before the message even
/// without location), an empty line, the source lines of the location, an empty line,
/// then the CLI's empty line.
pub(super) fn static_error(
    location: Option<&Location>,
    message: &str,
    code: Option<&str>,
) -> String {
    let mut out = match location {
        Some(loc) => format!("{loc} {message}\n"),
        None => format!(" {message}\n"),
    };
    if let Some(code) = code {
        let _ = writeln!(out, "\n{code}");
    }
    out.push_str("\n\n");
    out
}

#[cfg(test)]
mod tests {
    use super::super::EvalError;
    use super::*;

    fn loc(begin: (u32, u32), end: (u32, u32)) -> Location {
        Location {
            file: "testdata/x".into(),
            begin,
            end,
        }
    }

    #[test]
    fn locations_as_go_prints_them() {
        assert_eq!(loc((1, 3), (1, 3)).to_string(), "testdata/x:1:3");
        assert_eq!(loc((1, 3), (1, 4)).to_string(), "testdata/x:1:3-4");
        assert_eq!(loc((1, 3), (2, 1)).to_string(), "testdata/x:(1:3)-(2:1)");
    }

    #[test]
    fn runtime_errors_list_frames_innermost_first_and_crop_the_middle() {
        let frames: Vec<Frame> = (1..=5)
            .map(|i| Frame {
                location: Some(loc((i, 1), (i, 2))),
                description: format!("function <f{i}>"),
            })
            .chain([Frame::step("During evaluation")])
            .collect();
        let e = EvalError::Runtime {
            message: "boom".into(),
            frames: frames.clone(),
            max_trace: 0,
        };
        assert_eq!(
            e.to_string(),
            "RUNTIME ERROR: boom\n\ttestdata/x:1:1-2\tfunction <f1>\n\ttestdata/x:2:1-2\tfunction <f2>\n\
             \ttestdata/x:3:1-2\tfunction <f3>\n\ttestdata/x:4:1-2\tfunction <f4>\n\
             \ttestdata/x:5:1-2\tfunction <f5>\n\tDuring evaluation\t\n\n"
        );
        let cropped = EvalError::Runtime {
            message: "boom".into(),
            frames,
            max_trace: 3,
        };
        assert_eq!(
            cropped.to_string(),
            "RUNTIME ERROR: boom\n\ttestdata/x:1:1-2\tfunction <f1>\n\t...\n\
             \ttestdata/x:5:1-2\tfunction <f5>\n\tDuring evaluation\t\n\n"
        );
    }

    #[test]
    fn static_errors_show_the_code() {
        let e = EvalError::Static {
            location: Some(loc((1, 6), (1, 7))),
            message: "Expected a comma before next field".into(),
            code: Some("{a:1 b:2}".into()),
        };
        assert_eq!(
            e.to_string(),
            "testdata/x:1:6-7 Expected a comma before next field\n\n{a:1 b:2}\n\n\n"
        );
    }
}
