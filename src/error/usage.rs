//! A command line that cannot be run ([`UsageError`]): what is wrong with its words —
//! an unknown command or argument, a missing operand, flags that do not go together,
//! a Kubernetes version that is not there. `Display` is the message after `ERROR: `
//! (after `ERROR: <command>: ` when [`super::Error::Usage`] names a command); the
//! jsonnet mode's messages are go-jsonnet's words.
//!
//! Contact points: `crate::cli` (its command and flag readers, the hints for a failed
//! jsonnet-mode line), `crate::crd` (`--kube-version`), `crate::tanka` (the cache's
//! location and `tool cache-prune`'s directory).

use std::path::PathBuf;

use super::LocationError;
use crate::model::KubeVersionError;

/// What is wrong with a command line.
#[derive(Debug, thiserror::Error)]
pub enum UsageError {
    /// An argument that is not UTF-8 (shown lossily).
    #[error("argument is not valid UTF-8: {0}")]
    NotUtf8Argument(String),
    /// An environment variable that is not UTF-8: its name and (lossy) value.
    #[error("environment variable is not valid UTF-8: {name}={value}")]
    NotUtf8Variable {
        /// The variable.
        name: String,
        /// Its value, shown lossily.
        value: String,
    },
    /// A command word that names no command: the nearest command when one is near,
    /// else the commands there are.
    #[error(
        "unknown command '{word}'{}",
        match near {
            Some(near) => format!(": did you mean '{near}'?"),
            None => format!(" (commands: {})", commands.join(", ")),
        }
    )]
    UnknownCommand {
        /// The word given.
        word: String,
        /// The nearest command (with its family's word).
        near: Option<String>,
        /// The commands there are.
        commands: Vec<&'static str>,
    },
    /// A family's word (`tool`) without one of its commands.
    #[error("give a command: {} (gwsonnet {family} --help)", commands.join(", "))]
    NoCommand {
        /// The family.
        family: &'static str,
        /// Its commands.
        commands: Vec<&'static str>,
    },
    /// The first operand of a jsonnet-mode line is no file and near a command's name.
    #[error("unknown command '{word}' (and no such file): did you mean '{near}'?")]
    NotACommandOrFile {
        /// The word given.
        word: String,
        /// The nearest command.
        near: &'static str,
    },
    /// A command given after flags, with the line reordered (each word quoted for a
    /// shell where it needs it).
    #[error(
        "'{command}' is a command, and commands come first: gwsonnet {}",
        reordered.join(" ")
    )]
    CommandAfterFlags {
        /// The command.
        command: String,
        /// The line with the command first.
        reordered: Vec<String>,
    },
    /// go-jsonnet: an argument that is no flag.
    #[error("unrecognized argument: {0}")]
    UnrecognizedArgument(String),
    /// go-jsonnet: a value flag at the end of the line.
    #[error("option {0} needs a value")]
    NeedsValue(String),
    /// go-jsonnet: a value given to a flag that takes none (`--exec=1`).
    #[error("option {0} takes no value")]
    TakesNoValue(String),
    /// Another jsonnet-mode parse error: the first line of clap's message.
    #[error("{}", first_line(.0))]
    JsonnetLine(#[source] clap::Error),
    /// A command's line that clap refuses: its message, in one line.
    #[error("{}", one_line(.0))]
    Command(#[source] clap::Error),
    /// Nothing to evaluate (`what`: `filename`, `code`, `the environment's <path>`),
    /// with the usage lines when they follow as a hint.
    #[error(
        "must give {what}{}",
        usage.as_ref().map_or(String::new(), |u| format!(
            "\n\n{}\nRun 'gwsonnet --help' for the flags and commands.",
            u.trim_end()
        ))
    )]
    MustGive {
        /// What is missing.
        what: &'static str,
        /// The usage lines, as a hint.
        usage: Option<String>,
    },
    /// More than one of what a command takes one of (`filename`, `<path>`).
    #[error("only one {0} is allowed")]
    OnlyOne(&'static str),
    /// Missing operands: what to give.
    #[error("give {0}")]
    Give(&'static str),
    /// A flag (or operand) that must be given.
    #[error("{0} is required")]
    Required(&'static str),
    /// Two flags that cannot be combined.
    #[error("--{0} cannot be combined with --{1}")]
    Conflict(&'static str, &'static str),
    /// `--output` without `--version`.
    #[error(
        "--output is only for --version (validate's report format is gwsonnet validate --output)"
    )]
    OutputWithoutVersion,
    /// `--strict` without `--validate`.
    #[error("--strict judges the objects --validate checks: add --validate")]
    StrictWithoutValidate,
    /// `validate -` twice.
    #[error("- (stdin) can be given only once")]
    StdinTwice,
    /// `validate --coverage` with inputs.
    #[error("--coverage reports on the libraries and takes no file")]
    CoverageTakesFiles,
    /// `--kube-version` of a version no library has.
    #[error(
        "--kube-version {} is not available: gwsonnet has Kubernetes {}; load its OpenAPI document with --openapi FILE",
        .0.version,
        .0.available_text()
    )]
    KubeVersionNotAvailable(#[source] KubeVersionError),
    /// `--kube-version` of a generator for a version neither built in nor loaded.
    #[error(
        "--kube-version {version} is not built in (built in: {}); give its OpenAPI document with --openapi FILE",
        built_in.join(", ")
    )]
    KubeVersionNotBuiltIn {
        /// The version asked for.
        version: String,
        /// The built-in versions.
        built_in: Vec<&'static str>,
    },
    /// A `--cache-path` that names no usable cache.
    #[error(transparent)]
    CachePath(#[from] LocationError),
    /// A `--cache-path` URL that opens no object store.
    #[error("--cache-path {url:?}: {problem}")]
    CacheUrl {
        /// The URL.
        url: String,
        /// Why.
        #[source]
        problem: CacheUrlProblem,
    },
    /// `tool cache-prune` of an object store.
    #[error(
        "{0} is an object store: expire its entries with the store's lifecycle rules (see docs/guide.md#the-export-cache)"
    )]
    PruneObjectStore(String),
    /// A directory operand that is not a directory.
    #[error("{} is not a directory", .0.display())]
    NotADirectory(PathBuf),
}

/// Why a `--cache-path` URL opens no object store.
#[derive(Debug, thiserror::Error)]
pub enum CacheUrlProblem {
    /// Not a URL.
    #[error(transparent)]
    Url(#[from] url::ParseError),
    /// The store's client refuses it.
    #[error(transparent)]
    Store(#[from] object_store::Error),
    /// A URL of no object store the cache knows.
    #[error("not an object store URL")]
    NotAStore,
}

/// The first line of clap's message, without its `error: `.
fn first_line(e: &clap::Error) -> String {
    let text = e.render().to_string();
    let first = text.lines().next().unwrap_or_default();
    first.strip_prefix("error: ").unwrap_or(first).to_owned()
}

/// clap's error for a command's line as one line: its message with the items it lists
/// below it, its tip and the command's usage (`the following required arguments were
/// not provided: <dir>; usage: gwsonnet tool cache-prune [OPTIONS] <dir>`), without
/// the pointer to `--help`.
fn one_line(e: &clap::Error) -> String {
    let text = e.render().to_string();
    let mut parts: Vec<String> = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if line.starts_with("For more information") {
            continue;
        }
        let line = line.strip_prefix("error: ").unwrap_or(line);
        match line.strip_prefix("Usage: ") {
            Some(usage) => parts.push(format!("usage: {usage}")),
            // An item of the message's list (`<dir>`, `[possible values: …]`).
            None if parts.len() == 1 && !line.starts_with("tip:") => {
                parts[0] = format!("{} {line}", parts[0]);
            }
            None => parts.push(line.to_owned()),
        }
    }
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_keep_their_words() {
        let e = UsageError::UnknownCommand {
            word: "imprters".into(),
            near: Some("tool importers".into()),
            commands: vec!["importers", "imports"],
        };
        assert_eq!(
            e.to_string(),
            "unknown command 'imprters': did you mean 'tool importers'?"
        );
        let e = UsageError::UnknownCommand {
            word: "x".into(),
            near: None,
            commands: vec!["importers", "imports"],
        };
        assert_eq!(
            e.to_string(),
            "unknown command 'x' (commands: importers, imports)"
        );
        let e = UsageError::MustGive {
            what: "filename",
            usage: Some("Usage: gwsonnet <filename>\n".into()),
        };
        assert_eq!(
            e.to_string(),
            "must give filename\n\nUsage: gwsonnet <filename>\nRun 'gwsonnet --help' for the flags and commands."
        );
        let e = UsageError::Conflict("no-trailing-newline", "yaml-stream");
        assert_eq!(
            e.to_string(),
            "--no-trailing-newline cannot be combined with --yaml-stream"
        );
        let e = UsageError::KubeVersionNotAvailable(KubeVersionError {
            version: "1.99".into(),
            available: vec!["1.30".into(), "1.31".into()],
        });
        assert_eq!(
            e.to_string(),
            "--kube-version 1.99 is not available: gwsonnet has Kubernetes 1.30, 1.31; \
             load its OpenAPI document with --openapi FILE"
        );
    }
}
