//! The one error type of the command line and how it is shown: every command returns
//! [`Error`], and [`crate::cli::run`] renders it ([`Error::render`]) and turns it into the
//! process's exit code ([`Error::exit_code`]) in one place.
//!
//! Contact points: [`crate::cli`] (the command line → [`Error::Usage`] with a
//! [`UsageError`], flag values → [`Error::Flag`], output → [`Error::Io`] and
//! [`Error::Output`]), [`crate::engine`] (its already formatted reports arrive as
//! [`Error::Evaluation`]); the CRD loader reports [`Error::Library`] with a
//! [`LibraryProblem`], `--openapi` documents [`Error::OpenApi`], the validator
//! [`Error::Validation`]. Every variant carries typed causes; the only free text is a
//! parser's own message (YAML syntax) and go-jsonnet's report inside
//! [`crate::engine::EvalError`].

use std::{io, path::PathBuf, sync::Arc};

use crate::engine::EvalError;

mod flag;
mod library;
mod summary;
mod tanka;
mod usage;
pub use flag::{
    FlagValueError, LocationError, SelectorError, SelectorProblem, ShardError, ShardProblem,
};
pub use library::{CrdProblem, LibraryProblem};
pub use summary::{count, Summary};
pub use tanka::TankaError;
pub use usage::{CacheUrlProblem, UsageError};

/// Why a command failed.
#[derive(Debug)]
pub enum Error {
    /// A bad command line (unknown argument, missing operand, conflicting flags, …); a
    /// command's error names the command. In the jsonnet mode the message uses
    /// go-jsonnet's words.
    Usage {
        /// The command (`validate`, `tool cache-prune`, a family's word), `None` in the
        /// jsonnet mode and where the message says all.
        command: Option<&'static str>,
        /// What is wrong.
        source: UsageError,
    },
    /// A flag's value is refused; a command's error names the command (`None` in the
    /// jsonnet mode).
    Flag {
        /// The command (`export`, `tool imports`).
        command: Option<&'static str>,
        /// What is wrong with the value.
        source: FlagValueError,
    },
    /// Evaluation failed; its `Display` is the complete report as go-jsonnet prints it
    /// and is written byte for byte.
    Evaluation(EvalError),
    /// The result written for validation does not read back as JSON.
    ReadBack {
        /// The input it came from.
        source: String,
        /// The JSON error.
        error: serde_json::Error,
    },
    /// An input of a validation run failed (the run goes on with the others; this is
    /// the first failure, reported again as the run's).
    Input(Arc<Error>),
    /// A library's kinds cannot be loaded (its import root, why).
    LibraryKinds {
        /// The library's import root.
        library: String,
        /// What does not load.
        source: Box<crate::model::LibraryError>,
    },
    /// The language server's connection failed.
    Lsp(Box<dyn std::error::Error + Send + Sync>),
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
    Output(OutputError),
    /// A library definition (CRD file, library config) is wrong at `file:line`.
    Library {
        /// The file holding the definition.
        file: PathBuf,
        /// Its 1-based line.
        line: usize,
        /// What is wrong.
        problem: Box<LibraryProblem>,
    },
    /// A YAML input (of `validate`) does not parse at `file:line`.
    YamlSyntax {
        /// The input.
        file: PathBuf,
        /// The 1-based line of the error.
        line: usize,
        /// The YAML parser's message.
        message: String,
    },
    /// An OpenAPI document (`--openapi`) cannot be used: the file and what is wrong
    /// (with the line and column of a JSON syntax error).
    OpenApi {
        /// The document.
        file: PathBuf,
        /// What is wrong.
        problem: crate::openapi::DocumentProblem,
    },
    /// Validation found problems in the result (each was reported in its place): the
    /// run's counts.
    Validation(Summary),
    /// Some inputs of a run could not be read or evaluated (each was reported in its
    /// place, the others were still checked): the run's counts.
    Incomplete(Summary),
    /// A Tanka environment or its output is wrong (no project root, a bad `spec.json`,
    /// an invalid manifest, no or several inline environments, …): the variant says which.
    Tanka(TankaError),
}

impl Error {
    /// A usage error of `command`.
    pub fn usage_of(command: &'static str, source: UsageError) -> Self {
        Self::Usage {
            command: Some(command),
            source,
        }
    }

    /// A flag's value refused (its command named later, where it is known).
    pub fn flag(source: impl Into<FlagValueError>) -> Self {
        Self::Flag {
            command: None,
            source: source.into(),
        }
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
            Self::Input(e) => e.exit_code(),
            _ => 1,
        }
    }

    /// The text of [`Error::render`] without its `ERROR: ` and final newline, for an
    /// error that another one reports inside its own line.
    pub fn message(&self) -> String {
        let text = self.render();
        text.strip_prefix("ERROR: ")
            .unwrap_or(&text)
            .trim_end()
            .to_owned()
    }

    /// The text written to standard error, ending in a newline.
    pub fn render(&self) -> String {
        match self {
            Self::Usage { command, source } => in_command(*command, source),
            Self::Incomplete(summary) => format!("ERROR: {summary}\n"),
            Self::Output(e) => format!("ERROR: {e}\n"),
            Self::Tanka(e) => format!("ERROR: {e}\n"),
            Self::Flag { command, source } => in_command(*command, source),
            Self::Evaluation(e) => e.to_string(),
            Self::ReadBack { source, error } => {
                format!("ERROR: reading the output back for validation: {source}: {error}\n")
            }
            Self::Input(e) => e.render(),
            Self::LibraryKinds { library, source } => format!("ERROR: {library}: {source}\n"),
            Self::Lsp(e) => format!("ERROR: lsp: {e}\n"),
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
                problem,
            } => format!("ERROR: {}:{line}: {problem}\n", file.display()),
            Self::YamlSyntax {
                file,
                line,
                message,
            } => format!("ERROR: {}:{line}: {message}\n", file.display()),
            Self::OpenApi { file, problem } => {
                format!("ERROR: {}: {problem}\n", file.display())
            }
            Self::Validation(summary) => format!("INVALID: {summary}\n"),
        }
    }
}

/// Why the result cannot be written where the flags say.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// A `-m` file name that is empty or goes up (`..`).
    #[error("multi mode: refusing to write file name {0:?}")]
    RefusedName(String),
    /// A `-m` file below a folder that is (or would be) a file.
    #[error("multi mode: cannot write {}: {} is a file, not a folder", file.display(), folder.display())]
    FolderIsFile {
        /// The file to write.
        file: PathBuf,
        /// The folder on its way that is a file.
        folder: PathBuf,
    },
    /// A file whose directory is missing, without `-c`.
    #[error("opening {}: no such directory {} (use -c to create it)", file.display(), dir.display())]
    NoDirectory {
        /// The file to write.
        file: PathBuf,
        /// Its missing directory.
        dir: PathBuf,
    },
}

impl From<EvalError> for Error {
    fn from(e: EvalError) -> Self {
        Self::Evaluation(e)
    }
}

impl From<UsageError> for Error {
    fn from(source: UsageError) -> Self {
        Self::Usage {
            command: None,
            source,
        }
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
            crate::openapi::LoadError::Invalid { file, problem } => Self::OpenApi { file, problem },
        }
    }
}

/// `ERROR: <command>: <e>` (without the command when there is none), and a newline.
fn in_command(command: Option<&str>, e: &dyn std::fmt::Display) -> String {
    match command {
        Some(command) => format!("ERROR: {command}: {e}\n"),
        None => format!("ERROR: {e}\n"),
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
        let e = Error::from(UsageError::UnrecognizedArgument("-x".into()));
        assert_eq!(e.render(), "ERROR: unrecognized argument: -x\n");
        assert_eq!(e.exit_code(), 1);
        let e = Error::usage_of("validate", UsageError::StdinTwice);
        assert_eq!(
            e.render(),
            "ERROR: validate: - (stdin) can be given only once\n"
        );
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
            problem: Box::new(LibraryProblem::Crd {
                name: "a.x.io".into(),
                problem: CrdProblem::NoVersions,
            }),
        };
        assert_eq!(
            e.render(),
            "ERROR: crds/a.yaml:7: CustomResourceDefinition a.x.io has no spec.versions\n"
        );
        assert_eq!(e.exit_code(), 1);
        let e = Error::flag(FlagValueError::EmptyArgument('J'));
        assert_eq!(e.render(), "ERROR: -J argument was empty string\n");
        let e = Error::Flag {
            command: Some("export"),
            source: FlagValueError::NotAChoice {
                flag: "merge-strategy",
                choices: "fail-on-conflicts or replace-envs",
                value: "x".into(),
            },
        };
        assert_eq!(
            e.render(),
            "ERROR: export: --merge-strategy must be fail-on-conflicts or replace-envs, got \"x\"\n"
        );
        let e = Error::Output(OutputError::NoDirectory {
            file: "out/a/x.json".into(),
            dir: "out/a".into(),
        });
        assert_eq!(
            e.render(),
            "ERROR: opening out/a/x.json: no such directory out/a (use -c to create it)\n"
        );
        let e = Error::from(TankaError::NoEnvironment {
            entry: "envs".into(),
        });
        assert_eq!(e.render(), "ERROR: found no environment in 'envs'\n");
        let e = Error::ReadBack {
            source: "main.jsonnet".into(),
            error: serde_json::from_str::<serde_json::Value>("[").unwrap_err(),
        };
        assert_eq!(
            e.render(),
            "ERROR: reading the output back for validation: main.jsonnet: \
             EOF while parsing a list at line 1 column 1\n"
        );
        let inner = Error::io(
            "opening",
            "a.yaml",
            io::Error::from_raw_os_error(libc::ENOENT),
        );
        let e = Error::Input(Arc::new(inner));
        assert_eq!(
            e.render(),
            "ERROR: opening a.yaml: No such file or directory\n"
        );
        assert_eq!(e.exit_code(), 1);
        let summary = Summary {
            objects: 2,
            invalid: 1,
            errors: 1,
            rules: 3,
            ..Summary::default()
        };
        let e = Error::Validation(summary.clone());
        assert_eq!(
            e.render(),
            "INVALID: 2 objects checked, 1 invalid, 0 of unknown kinds; 1 error, 0 warnings, \
             0 not checked; 3 CEL rules evaluated, 0 transition rules skipped\n"
        );
        assert_eq!(e.exit_code(), 2);
        let e = Error::Incomplete(Summary {
            failed: 1,
            ..summary
        });
        assert!(e
            .render()
            .starts_with("ERROR: 1 input failed; 2 objects checked"));
        assert_eq!(e.exit_code(), 1);
    }
}
