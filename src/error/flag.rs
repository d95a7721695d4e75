//! The errors of command-line values: a flag's value refused ([`FlagValueError`]), with
//! the parse errors of the values that have their own syntax — label selectors
//! ([`SelectorError`]), `--shard K/N` ([`ShardError`]), `--cache-path`
//! ([`LocationError`]). Each `Display` is the message after `ERROR: `.
//!
//! Contact points: the flag table of `crate::cli` returns [`FlagValueError`], which
//! [`super::Error::Flag`] carries; `crate::tanka`'s selector, shard and cache parsers
//! return the others.

/// Why a flag's effect refuses its value; `Display` is the message after `ERROR: `
/// (go-jsonnet's words for its own flags), which a command's errors prefix with its name.
#[derive(Debug, thiserror::Error)]
pub enum FlagValueError {
    /// go-jsonnet's `-J`, `-o` or `-m` (the letter) given an empty value.
    #[error("-{0} argument was empty string")]
    EmptyArgument(char),
    /// A flag (its long name) given an empty value, and what it needs.
    #[error("--{flag} needs {needs}")]
    Empty {
        /// The flag.
        flag: &'static str,
        /// What it takes, with its article (`a directory`).
        needs: &'static str,
    },
    /// A value outside the flag's choices.
    #[error("--{flag} must be {choices}, got {value:?}")]
    NotAChoice {
        /// The flag.
        flag: &'static str,
        /// Its choices, as a phrase (`human or json`).
        choices: &'static str,
        /// The value given.
        value: String,
    },
    /// go-jsonnet's `--max-stack` or `--max-trace` (the flag) given no number it takes.
    #[error("invalid --{flag} value: {value}")]
    InvalidNumber {
        /// The flag.
        flag: &'static str,
        /// The value given.
        value: String,
    },
    /// go-jsonnet's `-V`/`-A` family given `=value` without a name.
    #[error("missing variable name in \"{0}\"")]
    MissingVariableName(String),
    /// go-jsonnet's `--ext-str-file` family given no `<var>=<file>`.
    #[error("argument not in form <var>=<file> \"{0}\"")]
    NotVariableFile(String),
    /// go-jsonnet's `-V name` (value from the environment) for an unset variable.
    #[error("environment variable {0} was undefined")]
    UndefinedVariable(String),
    /// `--kube-version` given something else than `major.minor`.
    #[error("--kube-version {0:?} is not a Kubernetes version (major.minor, e.g. 1.30)")]
    KubeVersion(String),
    /// `--cache-envs` given no regular expression.
    #[error("--cache-envs {value:?}: {}", reason(source))]
    CacheEnvs {
        /// The value.
        value: String,
        /// The `regex` crate's error.
        source: regex::Error,
    },
    /// `-l/--selector` given a malformed selector.
    #[error(transparent)]
    Selector(#[from] SelectorError),
    /// `--shard` given no `K/N`.
    #[error(transparent)]
    Shard(#[from] ShardError),
    /// `--cache-path` given no directory or object store URL.
    #[error(transparent)]
    CachePath(#[from] LocationError),
    /// `--max-age` (of `tool cache-prune`) given no age.
    #[error("--max-age {0:?}: not an age (e.g. 90m, 36h, 7d, 1d12h)")]
    MaxAge(String),
    /// `--max-size` (of `tool cache-prune`) given no size.
    #[error("--max-size {0:?}: not a size (e.g. 500M, 2G, 10GB, 1048576)")]
    MaxSize(String),
}

/// The last line of a `regex` crate error (the others quote the pattern).
fn reason(e: &regex::Error) -> String {
    e.to_string()
        .lines()
        .last()
        .unwrap_or("not a regex")
        .to_owned()
}

/// Why a selector cannot be parsed; `Display` names the whole selector, then the bad
/// requirement.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid selector {selector:?}: {problem}")]
pub struct SelectorError {
    /// The selector as given.
    pub selector: String,
    /// What is wrong with it.
    pub problem: SelectorProblem,
}

/// What is wrong with one requirement of a selector.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SelectorProblem {
    /// Two commas with nothing between them.
    #[error("empty requirement")]
    EmptyRequirement,
    /// A key or value with characters labels cannot have (`what` is `key` or `value`).
    #[error("invalid label {what} {word:?}")]
    InvalidLabel {
        /// `key` or `value`.
        what: &'static str,
        /// The word.
        word: String,
    },
    /// `>` or `<` (Kubernetes has them for numbers, Tanka's labels are strings).
    #[error("{0:?}: the > and < operators are not supported")]
    Comparison(String),
}

/// Why a `--shard` value is refused; `Display` names the value, then the problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("--shard {spec:?}: {problem}")]
pub struct ShardError {
    /// The value as given.
    pub spec: String,
    /// What is wrong with it.
    pub problem: ShardProblem,
}

/// What is wrong with a `--shard` value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShardProblem {
    /// No `/`.
    #[error("give K/N, e.g. 1/2 for the first of two shards")]
    NotKOverN,
    /// `K` or `N` (named) is not a whole number.
    #[error("{0} must be a whole number (K/N, e.g. 1/2)")]
    NotANumber(&'static str),
    /// `N` is 0.
    #[error("N must be at least 1")]
    NoShards,
    /// `K` is 0 or above `N` (the count).
    #[error("K counts from 1 to N: use 1/{0} to {0}/{0}")]
    OutOfRange(u64),
}

/// Why a `--cache-path` value is refused; `Display` is the message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LocationError {
    /// An empty value.
    #[error("--cache-path needs a directory or an object store URL")]
    Empty,
    /// A URL that does not parse.
    #[error("--cache-path {text:?}: {source}")]
    Url {
        /// The value.
        text: String,
        /// Why.
        source: url::ParseError,
    },
    /// A `file://` URL that names no local path.
    #[error("--cache-path {0:?}: not a local path")]
    NotLocal(String),
    /// A URL of a scheme that is no object store.
    #[error("--cache-path {0:?}: not an object store URL (s3://bucket/prefix, gs://bucket/prefix, az://container/prefix) nor a directory")]
    NotAStore(String),
}
