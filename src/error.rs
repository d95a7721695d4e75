//! The one error type of the command line and how it is shown: every command returns
//! [`Error`], and [`crate::cli::run`] renders it ([`Error::render`]) and turns it into the
//! process's exit code ([`Error::exit_code`]) in one place.
//!
//! Contact points: [`crate::cli`] (flags → [`Error::Usage`], output → [`Error::Io`] and
//! [`Error::Output`]), [`crate::engine`] (its already formatted reports arrive as
//! [`Error::Evaluation`]); the CRD loader reports [`Error::Library`] and the validator
//! [`Error::Validation`].

use std::{fmt::Write as _, io, path::PathBuf};

use crate::engine::EvalError;

mod tanka;
pub use tanka::TankaError;

/// Why a command failed.
#[derive(Debug)]
pub enum Error {
    /// A bad command line (unknown flag, missing value, bad number, …). In the jsonnet
    /// mode the message uses go-jsonnet's words.
    Usage(String),
    /// Evaluation failed; its `Display` is the complete report as go-jsonnet prints it
    /// and is written byte for byte.
    Evaluation(EvalError),
    /// A failure outside evaluation whose text is complete (kind, message, newline)
    /// and is written as is: reading the result back for validation, a library that
    /// cannot be listed.
    Report(String),
    /// Opening, reading or writing a file failed.
    Io {
        /// What was being done, as a gerund phrase: `"writing"`, `"opening input file"`.
        action: &'static str,
        /// The file; `None` for standard input or output.
        path: Option<PathBuf>,
        /// The cause.
        source: io::Error,
    },
    /// The result cannot be written the way the flags ask (a `-m` file name that leaves
    /// the output directory, a missing directory without `-c`).
    Output(String),
    /// A library definition (CRD file, library config) is wrong at `file:line`.
    Library {
        /// The file holding the definition.
        file: PathBuf,
        /// Its 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// An OpenAPI document (`--openapi`) cannot be used: the file and what is wrong
    /// (with the line and column of a JSON syntax error).
    OpenApi {
        /// The document.
        file: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// Validation found problems in the result, one finding per entry (`path: message`).
    Validation(Vec<String>),
    /// Some inputs of a run could not be read or evaluated (each was reported in its
    /// place, the others were still checked); the text is the run's summary.
    Incomplete(String),
    /// A Tanka environment or its output is wrong (no project root, a bad `spec.json`,
    /// an invalid manifest, no or several inline environments, …): the variant says which.
    Tanka(TankaError),
}

impl Error {
    /// A usage error from a message.
    pub fn usage(message: impl Into<String>) -> Self {
        Self::Usage(message.into())
    }

    /// An I/O error on `path`.
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: io::Error) -> Self {
        Self::Io {
            action,
            path: Some(path.into()),
            source,
        }
    }

    /// The exit code of the process: 2 when validation found problems (the program
    /// itself ran), 1 for everything else, as go-jsonnet exits on any failure.
    pub fn exit_code(&self) -> i32 {
        match self {
            Self::Validation(_) => 2,
            _ => 1,
        }
    }

    /// The text written to standard error, ending in a newline.
    pub fn render(&self) -> String {
        match self {
            Self::Usage(message) | Self::Output(message) | Self::Incomplete(message) => {
                format!("ERROR: {message}\n")
            }
            Self::Tanka(e) => format!("ERROR: {e}\n"),
            Self::Evaluation(e) => e.to_string(),
            Self::Report(text) => text.clone(),
            Self::Io {
                action,
                path,
                source,
            } => {
                let target = match path {
                    Some(p) => p.display().to_string(),
                    None if action.starts_with("reading") => "standard input".into(),
                    None => "standard output".into(),
                };
                format!("ERROR: {action} {target}: {}\n", io_reason(source))
            }
            Self::Library {
                file,
                line,
                message,
            } => format!("ERROR: {}:{line}: {message}\n", file.display()),
            Self::OpenApi { file, message } => {
                format!("ERROR: {}: {message}\n", file.display())
            }
            Self::Validation(findings) => {
                let mut out = String::new();
                for f in findings {
                    let _ = writeln!(out, "INVALID: {f}");
                }
                out
            }
        }
    }
}

impl From<EvalError> for Error {
    fn from(e: EvalError) -> Self {
        Self::Evaluation(e)
    }
}

impl From<TankaError> for Error {
    fn from(e: TankaError) -> Self {
        Self::Tanka(e)
    }
}

impl From<crate::openapi::LoadError> for Error {
    fn from(e: crate::openapi::LoadError) -> Self {
        match e {
            crate::openapi::LoadError::Io { file, source } => {
                Self::io("reading OpenAPI document", file, source)
            }
            crate::openapi::LoadError::Invalid { file, message } => Self::OpenApi { file, message },
        }
    }
}

/// The OS reason of an I/O error without Rust's "(os error N)" suffix.
pub fn io_reason(e: &io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_owned(),
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rendering_and_exit_codes() {
        let e = Error::usage("unrecognized argument: -x");
        assert_eq!(e.render(), "ERROR: unrecognized argument: -x\n");
        assert_eq!(e.exit_code(), 1);
        let e = Error::from(EvalError::runtime("boom"));
        assert_eq!(
            e.render(),
            "RUNTIME ERROR: boom\n\n",
            "as go's jsonnet prints it"
        );
        let e = Error::io(
            "writing",
            "out/x.json",
            io::Error::from_raw_os_error(libc::ENOENT),
        );
        assert_eq!(
            e.render(),
            "ERROR: writing out/x.json: No such file or directory\n"
        );
        let e = Error::Io {
            action: "writing to",
            path: None,
            source: io::Error::from_raw_os_error(libc::EPIPE),
        };
        assert_eq!(
            e.render(),
            "ERROR: writing to standard output: Broken pipe\n"
        );
        let e = Error::Library {
            file: "crds/a.yaml".into(),
            line: 7,
            message: "a CRD without versions".into(),
        };
        assert_eq!(e.render(), "ERROR: crds/a.yaml:7: a CRD without versions\n");
        assert_eq!(e.exit_code(), 1);
        let e = Error::Validation(vec!["a.spec.port: must be a number".into()]);
        assert_eq!(e.render(), "INVALID: a.spec.port: must be a number\n");
        assert_eq!(e.exit_code(), 2);
    }
}
