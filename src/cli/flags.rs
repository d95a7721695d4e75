//! Every flag of every command, each defined once in [`FLAGS`]: its names, its docs, the
//! [`Group`] it belongs to and its effect on [`LowArgs`] (the raw command line). Commands
//! name groups, never single flags ([`super::commands`]).
//!
//! clap parses every command, the jsonnet mode included ([`Flag::to_arg`] turns a
//! definition into a clap argument; help, completions and the man page come from the
//! same arguments); [`from_matches`] then runs the effects in argv order. The settings
//! each group derives from [`LowArgs`] are validated in one place per group
//! ([`LowArgs::engine_settings`], [`LowArgs::input`], [`LowArgs::output`],
//! [`LowArgs::out_dir`]).
//!
//! go-jsonnet's parsing rules that this keeps (tested in `tests/cli.rs`): options
//! anywhere between file names, `-abc` is `-a -b -c`, a value flag takes the next
//! argument whatever it is (`-J --`, `-V -x`, `-o -`: `allow_hyphen_values`), `--` ends
//! options, a lone `-` is stdin, later `-o`/`-m`/`-s`/`-t` win. Also accepted:
//! `--flag=value` and `-Jvalue`.

use std::path::PathBuf;

use super::color::ColorChoice;
use crate::engine::{EngineSettings, ExtValue, Input, OutputMode};
use crate::error::{Error, FlagValueError, UsageError};

/// A set of flags that several commands share, as Tanka composes its flag sets; each
/// command names the groups it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    /// `-h`, `-v` of the jsonnet mode (clap gives the subcommands their `-h`/`--help`).
    Meta,
    /// What to evaluate: `-e`, and the positional file or code.
    Input,
    /// How to evaluate, as Tanka's commands also take it: `--ext-*`, `--tla-*`, `-s`.
    Evaluation,
    /// The jsonnet mode's search path and traces: `-J`, `-t/--max-trace` (Tanka's
    /// commands use `-t` for `--target`). Shown under the same heading as
    /// [`Group::Evaluation`].
    Search,
    /// Which manifests of a Tanka environment: `--name`, `-t/--target`.
    Environment,
    /// `-e/--eval`: an expression evaluated on a Tanka environment's output.
    Expression,
    /// How `export` names and writes its files, and which environments: `--format`,
    /// `--extension`, `-r`, `-p`, `--shard`.
    Export,
    /// How `export` and `export-merge` merge into their output directory:
    /// `--merge-strategy`, `--merge-deleted-envs`, `--skip-manifest`.
    Merge,
    /// `-l/--selector`: only environments whose labels match (`export`, `env list`).
    Selector,
    /// How `env list` prints: `--json`, `--names`.
    EnvList,
    /// Where `tool importers` looks: `--root`.
    Importers,
    /// What `tool cache-prune` removes: `--max-age`, `--max-size`.
    CachePrune,
    /// `export`'s evaluation cache, as Tanka's: `-c/--cache-path`, `-e/--cache-envs`.
    Cache,
    /// How the jsonnet mode writes its result: `-o`, `-m`, `-c`, `-y`, `-S`,
    /// `--no-trailing-newline`.
    Output,
    /// Where a generator writes its files: `--out`.
    Generate,
    /// How `validate` reads and reports: `-R/--recursive`, `--output`, `--coverage`.
    Validate,
    /// `--strict`: objects of kinds with no schema are errors (`validate` and every
    /// command taking `--validate`).
    Strict,
    /// `--validate`: check the rendered objects against their kinds' schemas (the
    /// jsonnet mode, `show`, `eval`, `export`).
    Check,
    /// `--color`: of the human validation reports (every command that validates).
    Color,
    /// `show`'s own: `--dangerous-allow-redirect`, accepted for Tanka's scripts.
    Show,
    /// Which libraries are served besides the built-in one: `--crds` and `--crd-library`
    /// (the CRD loader, [`crate::crd`]); every command naming this group takes them.
    Libraries,
}

impl Group {
    /// The heading of the group's flags in `--help` and the man page (`None`: with the
    /// positional arguments and `--help`, under "Options").
    pub fn heading(self) -> Option<&'static str> {
        match self {
            Self::Meta => None,
            Self::Input => Some("Input"),
            Self::Evaluation | Self::Search => Some("Evaluation"),
            Self::Environment | Self::Show | Self::Selector => Some("Environment"),
            Self::EnvList | Self::Importers | Self::CachePrune => None,
            Self::Expression => Some("Expression"),
            Self::Export | Self::Merge => Some("Export"),
            Self::Cache => Some("Cache"),
            Self::Output => Some("Output"),
            Self::Generate => Some("Generated files"),
            Self::Validate | Self::Strict | Self::Check | Self::Color => Some("Validation"),
            Self::Libraries => Some("Libraries"),
        }
    }
}

/// What a flag takes and what it does with it.
#[derive(Clone, Copy)]
pub enum Takes {
    /// A switch; its effect runs once per occurrence.
    Switch(fn(&mut LowArgs)),
    /// A value, named `.0` in help; its effect runs once per occurrence (later ones win
    /// or add, as the effect says) and may refuse the value with go-jsonnet's words.
    /// Shells complete it as a path when its name says it is one (`dir`, `file`,
    /// `path`: [`Flag::value_hint`]).
    Value(
        &'static str,
        fn(&mut LowArgs, String) -> Result<(), FlagValueError>,
    ),
    /// A value of a known set: like [`Takes::Value`], and `.1` lists the values shells
    /// complete and help shows (the effect still refuses others in its own words).
    Choice(
        &'static str,
        fn() -> Vec<&'static str>,
        fn(&mut LowArgs, String) -> Result<(), FlagValueError>,
    ),
}

impl Takes {
    /// The name of the value in help, `None` for a switch.
    pub fn value_name(&self) -> Option<&'static str> {
        match self {
            Self::Switch(_) => None,
            Self::Value(name, _) | Self::Choice(name, ..) => Some(name),
        }
    }
}

/// One command-line flag: names, docs, group and effect.
pub struct Flag {
    /// The group that brings it to a command.
    pub group: Group,
    /// Long name, without `--`.
    pub long: &'static str,
    /// Short name, without `-`.
    pub short: Option<char>,
    /// One line of help.
    pub help: &'static str,
    /// Whether every command that takes it needs it (clap checks and shows it).
    pub required: bool,
    /// Its value and effect.
    pub takes: Takes,
}

/// Every flag, in help order.
pub const FLAGS: &[Flag] = &[
    Flag {
        group: Group::Meta,
        long: "help",
        short: Some('h'),
        help: "Print this message",
        required: false,
        takes: Takes::Switch(|low| low.help = true),
    },
    Flag {
        group: Group::Meta,
        long: "version",
        short: Some('v'),
        help: "Print version",
        required: false,
        takes: Takes::Switch(|low| low.version = true),
    },
    Flag {
        group: Group::Meta,
        long: "output",
        short: None,
        help: "With --version: human (default) or json",
        required: false,
        takes: Takes::Choice("format", || vec!["human", "json"], |low, v| match v.as_str() {
            "human" | "json" => {
                low.version_json = Some(v == "json");
                Ok(())
            }
            _ => Err(FlagValueError::NotAChoice {
                flag: "output",
                choices: "human or json",
                value: v,
            }),
        }),
    },
    Flag {
        group: Group::Input,
        long: "exec",
        short: Some('e'),
        help: "Treat filename as code",
        required: false,
        takes: Takes::Switch(|low| low.exec = true),
    },
    Flag {
        group: Group::Search,
        long: "jpath",
        short: Some('J'),
        help: "Add a library search dir (right-most wins; JSONNET_PATH ranks below all -J)",
        required: false,
        takes: Takes::Value("dir", |low, v| {
            if v.is_empty() {
                return Err(FlagValueError::EmptyArgument('J'));
            }
            low.jpaths.push(v);
            Ok(())
        }),
    },
    Flag {
        group: Group::Evaluation,
        long: "ext-str",
        short: Some('V'),
        help: "External variable as a string; without =<val>, from env var <var>",
        required: false,
        takes: Takes::Value("var[=val]", |low, v| {
            low.ext.push((VarKind::Str, v));
            Ok(())
        }),
    },
    Flag {
        group: Group::Evaluation,
        long: "ext-str-file",
        short: None,
        help: "External variable as a string read from <file>",
        required: false,
        takes: Takes::Value("var=file", |low, v| {
            low.ext.push((VarKind::StrFile, v));
            Ok(())
        }),
    },
    Flag {
        group: Group::Evaluation,
        long: "ext-code",
        short: None,
        help: "External variable as Jsonnet code; without =<code>, from env var <var>",
        required: false,
        takes: Takes::Value("var[=code]", |low, v| {
            low.ext.push((VarKind::Code, v));
            Ok(())
        }),
    },
    Flag {
        group: Group::Evaluation,
        long: "ext-code-file",
        short: None,
        help: "External variable as Jsonnet code read from <file>",
        required: false,
        takes: Takes::Value("var=file", |low, v| {
            low.ext.push((VarKind::CodeFile, v));
            Ok(())
        }),
    },
    Flag {
        group: Group::Evaluation,
        long: "tla-str",
        short: Some('A'),
        help: "Top-level argument as a string; without =<val>, from env var <var>",
        required: false,
        takes: Takes::Value("var[=val]", |low, v| {
            low.tla.push((VarKind::Str, v));
            Ok(())
        }),
    },
    Flag {
        group: Group::Evaluation,
        long: "tla-str-file",
        short: None,
        help: "Top-level argument as a string read from <file>",
        required: false,
        takes: Takes::Value("var=file", |low, v| {
            low.tla.push((VarKind::StrFile, v));
            Ok(())
        }),
    },
    Flag {
        group: Group::Evaluation,
        long: "tla-code",
        short: None,
        help: "Top-level argument as Jsonnet code; without =<code>, from env var <var>",
        required: false,
        takes: Takes::Value("var[=code]", |low, v| {
            low.tla.push((VarKind::Code, v));
            Ok(())
        }),
    },
    Flag {
        group: Group::Evaluation,
        long: "tla-code-file",
        short: None,
        help: "Top-level argument as Jsonnet code read from <file>",
        required: false,
        takes: Takes::Value("var=file", |low, v| {
            low.tla.push((VarKind::CodeFile, v));
            Ok(())
        }),
    },
    Flag {
        group: Group::Evaluation,
        long: "max-stack",
        short: Some('s'),
        help: "Number of allowed stack frames (default 500)",
        required: false,
        takes: Takes::Value("n", |low, v| {
            low.max_stack = Some(v);
            Ok(())
        }),
    },
    Flag {
        group: Group::Search,
        long: "max-trace",
        short: Some('t'),
        help: "Max length of stack trace before cropping (default 20, 0: no limit)",
        required: false,
        takes: Takes::Value("n", |low, v| {
            low.max_trace = Some(v);
            Ok(())
        }),
    },
    Flag {
        group: Group::Output,
        long: "output-file",
        short: Some('o'),
        help: "Write to the output file rather than stdout",
        required: false,
        takes: Takes::Value("file", |low, v| {
            if v.is_empty() {
                return Err(FlagValueError::EmptyArgument('o'));
            }
            low.output_file = Some(v);
            Ok(())
        }),
    },
    Flag {
        group: Group::Output,
        long: "multi",
        short: Some('m'),
        help: "Write one file per top-level field into <dir>, list the files on stdout",
        required: false,
        takes: Takes::Value("dir", |low, v| {
            if v.is_empty() {
                return Err(FlagValueError::EmptyArgument('m'));
            }
            low.multi = Some(v);
            Ok(())
        }),
    },
    Flag {
        group: Group::Output,
        long: "create-output-dirs",
        short: Some('c'),
        help: "Create missing parent directories of output files",
        required: false,
        takes: Takes::Switch(|low| low.create_dirs = true),
    },
    Flag {
        group: Group::Output,
        long: "yaml-stream",
        short: Some('y'),
        help: "Write a top-level array as a stream of JSON documents separated by ---",
        required: false,
        takes: Takes::Switch(|low| low.yaml_stream = true),
    },
    Flag {
        group: Group::Output,
        long: "string",
        short: Some('S'),
        help: "Expect a string, print it as plain text",
        required: false,
        takes: Takes::Switch(|low| low.string = true),
    },
    Flag {
        group: Group::Output,
        long: "no-trailing-newline",
        short: None,
        help: "Do not end the output (or each -m file) with a newline; not with -y",
        required: false,
        takes: Takes::Switch(|low| low.no_trailing_newline = true),
    },
    Flag {
        group: Group::Libraries,
        long: "crds",
        short: None,
        help: "Serve the CRDs of a YAML/JSON file or folder as native libraries (repeatable; GWSONNET_CRDS is read first)",
        required: false,
        takes: Takes::Value("path", |low, v| {
            if v.is_empty() {
                return Err(FlagValueError::Empty {
                    flag: "crds",
                    needs: "a file or folder",
                });
            }
            low.crds.push(v);
            Ok(())
        }),
    },
    Flag {
        group: Group::Libraries,
        long: "crd-library",
        short: None,
        help: "Serve the libraries of a jsonnet-libs generator config (repository, specs[]) natively (repeatable)",
        required: false,
        takes: Takes::Value("file", |low, v| {
            if v.is_empty() {
                return Err(FlagValueError::Empty {
                    flag: "crd-library",
                    needs: "a config file",
                });
            }
            low.crd_libraries.push(v);
            Ok(())
        }),
    },
    Flag {
        group: Group::Libraries,
        long: "openapi",
        short: None,
        help: "Serve the Kubernetes API of an OpenAPI v2 JSON document (kubectl get --raw /openapi/v2) as k8s-libsonnet <major.minor>, its version from info.version or given as VERSION=FILE (repeatable; GWSONNET_OPENAPI is read first)",
        required: false,
        takes: Takes::Value("[version=]file", |low, v| {
            if v.is_empty() {
                return Err(FlagValueError::Empty {
                    flag: "openapi",
                    needs: "a file",
                });
            }
            low.openapi.push(v);
            Ok(())
        }),
    },
    Flag {
        group: Group::Libraries,
        long: "kube-version",
        short: None,
        help: "The Kubernetes version (major.minor) objects are validated against and docs/libsonnet write (default for validation: the newest available)",
        required: false,
        takes: Takes::Choice("version", || crate::openapi::builtin::versions().collect(), |low, v| {
            match crate::openapi::minor_version(&v) {
                Some(minor) => low.kube_version = Some(minor),
                None => return Err(FlagValueError::KubeVersion(v)),
            }
            Ok(())
        }),
    },
    Flag {
        group: Group::Generate,
        long: "out",
        short: Some('o'),
        help: "Directory to write the files into (created when missing)",
        required: true,
        takes: Takes::Value("dir", |low, v| {
            if v.is_empty() {
                return Err(FlagValueError::Empty {
                    flag: "out",
                    needs: "a directory",
                });
            }
            low.out = Some(PathBuf::from(v));
            Ok(())
        }),
    },
    Flag {
        group: Group::Environment,
        long: "name",
        short: None,
        help: "Pick the inline environment with this name (exact, else the one containing it)",
        required: false,
        takes: Takes::Value("name", |low, v| {
            low.env_name = Some(v);
            Ok(())
        }),
    },
    Flag {
        group: Group::Environment,
        long: "target",
        short: Some('t'),
        help: "Keep only manifests whose <kind>/<name> matches this regex (case-insensitive; !regex excludes; repeatable, comma-separated)",
        required: false,
        takes: Takes::Value("regex", |low, v| {
            low.targets.extend(v.split(',').map(str::to_owned));
            Ok(())
        }),
    },
    Flag {
        group: Group::Show,
        long: "dangerous-allow-redirect",
        short: None,
        help: "Accepted and ignored, for Tanka's scripts: gwsonnet show may always be piped or redirected",
        required: false,
        takes: Takes::Switch(|_| {}),
    },
    Flag {
        group: Group::Expression,
        long: "eval",
        short: Some('e'),
        help: "Evaluate this expression on the output (main.<expr>, or main<expr> for [..])",
        required: false,
        takes: Takes::Value("expr", |low, v| {
            low.expr = Some(v);
            Ok(())
        }),
    },
    Flag {
        group: Group::Check,
        long: "validate",
        short: None,
        help: "After rendering, check every object against its kind's schema and CEL rules; findings on stderr, exit 2 when invalid (the output is still written; export then writes nothing)",
        required: false,
        takes: Takes::Switch(|low| low.validate.after_render = true),
    },
    Flag {
        group: Group::Export,
        long: "format",
        short: None,
        help: "Go template of the file names (default {{.apiVersion}}.{{.kind}}-{{or .metadata.name .metadata.generateName}}; a / of the text makes folders; env is the environment)",
        required: false,
        takes: Takes::Value("template", |low, v| {
            low.export.format = Some(v);
            Ok(())
        }),
    },
    Flag {
        group: Group::Export,
        long: "extension",
        short: None,
        help: "File extension (default yaml)",
        required: false,
        takes: Takes::Value("ext", |low, v| {
            low.export.extension = Some(v);
            Ok(())
        }),
    },
    Flag {
        group: Group::Merge,
        long: "merge-strategy",
        short: None,
        help: "Export into a non-empty dir: fail-on-conflicts, or replace-envs (first delete the files manifest.json lists for these environments)",
        required: false,
        takes: Takes::Choice("strategy", || vec!["fail-on-conflicts", "replace-envs"], |low, v| {
            low.merge.strategy = match v.as_str() {
                "fail-on-conflicts" => crate::tanka::export::MergeStrategy::FailOnConflicts,
                "replace-envs" => crate::tanka::export::MergeStrategy::ReplaceEnvs,
                "" | "none" => crate::tanka::export::MergeStrategy::None,
                _ => {
                    return Err(FlagValueError::NotAChoice {
                        flag: "merge-strategy",
                        choices: "fail-on-conflicts or replace-envs",
                        value: v,
                    })
                }
            };
            Ok(())
        }),
    },
    Flag {
        group: Group::Merge,
        long: "merge-deleted-envs",
        short: None,
        help: "Entry file (relative to the project root, as manifest.json names it) of an environment deleted since the last export: its files manifest.json lists are removed (repeatable)",
        required: false,
        takes: Takes::Value("path", |low, v| {
            low.merge.deleted_envs.push(v);
            Ok(())
        }),
    },
    Flag {
        group: Group::Merge,
        long: "skip-manifest",
        short: None,
        help: "Write no manifest.json (an existing one is left as it is)",
        required: false,
        takes: Takes::Switch(|low| low.merge.skip_manifest = true),
    },
    Flag {
        group: Group::Cache,
        long: "cache-path",
        short: Some('c'),
        help: "Cache the environments' evaluations here: a directory, or an object store URL (s3://bucket/prefix, gs://bucket/prefix, az://container/prefix; credentials from the usual AWS_*, GOOGLE_*, AZURE_* variables)",
        required: false,
        takes: Takes::Value("path", |low, v| {
            low.cache.location = Some(crate::tanka::cache::Location::parse(&v)?);
            Ok(())
        }),
    },
    Flag {
        group: Group::Cache,
        long: "cache-envs",
        short: Some('e'),
        help: "Cache only the environments whose entry file's absolute path this regex matches (repeatable; none: every environment)",
        required: false,
        takes: Takes::Value("regex", |low, v| {
            let re = regex::Regex::new(&v)
                .map_err(|source| FlagValueError::CacheEnvs { value: v.clone(), source })?;
            low.cache.envs.push(re);
            Ok(())
        }),
    },
    Flag {
        group: Group::Export,
        long: "shard",
        short: None,
        help: "Export only shard K of N (1 <= K <= N): a stable partition of the environments by entry file, for N CI jobs; join their outputs with export-merge",
        required: false,
        takes: Takes::Value("K/N", |low, v| {
            low.export.shard = Some(crate::tanka::shard::Shard::parse(&v)?);
            Ok(())
        }),
    },
    Flag {
        group: Group::Export,
        long: "recursive",
        short: Some('r'),
        help: "Export every environment (main.jsonnet) below the paths",
        required: false,
        takes: Takes::Switch(|low| low.export.recursive = true),
    },
    Flag {
        group: Group::Selector,
        long: "selector",
        short: Some('l'),
        help: "Only environments whose labels match this Kubernetes label selector (key=value, key!=value, key in (a,b), key notin (a,b), key, !key; comma: and)",
        required: false,
        takes: Takes::Value("selector", |low, v| {
            crate::tanka::selector::Selector::parse(&v)?;
            low.export.selector = Some(v);
            Ok(())
        }),
    },
    Flag {
        group: Group::Export,
        long: "parallel",
        short: Some('p'),
        help: "Number of environments evaluated at once (default 8)",
        required: false,
        takes: Takes::Value("n", |low, v| match v.parse::<usize>() {
            Ok(n) if n > 0 => {
                low.export.parallel = Some(n);
                Ok(())
            }
            _ => Err(FlagValueError::NotAChoice {
                flag: "parallel",
                choices: "a positive number",
                value: v,
            }),
        }),
    },
    Flag {
        group: Group::EnvList,
        long: "json",
        short: None,
        help: "Print the environments as JSON, as tk env list --json does",
        required: false,
        takes: Takes::Switch(|low| low.tools.json = true),
    },
    Flag {
        group: Group::EnvList,
        long: "names",
        short: None,
        help: "Print only the environments' names, one a line (--json wins, as in tk)",
        required: false,
        takes: Takes::Switch(|low| low.tools.names = true),
    },
    Flag {
        group: Group::Importers,
        long: "root",
        short: None,
        help: "The folder whose environments (every main.jsonnet below it) are searched (default .)",
        required: false,
        takes: Takes::Value("dir", |low, v| {
            low.tools.root = Some(PathBuf::from(v));
            Ok(())
        }),
    },
    Flag {
        group: Group::CachePrune,
        long: "max-age",
        short: None,
        help: "Remove the entries not used for longer than this: 90m, 36h, 7d, 2w, 1d12h",
        required: false,
        takes: Takes::Value("age", |low, v| {
            low.tools.max_age = Some(crate::tanka::prune::parse_age(&v)?);
            Ok(())
        }),
    },
    Flag {
        group: Group::CachePrune,
        long: "max-size",
        short: None,
        help: "Then remove the least recently used entries until the rest take at most this on disk: 500M, 5G (powers of 1024), 5GB (of 1000)",
        required: false,
        takes: Takes::Value("size", |low, v| {
            low.tools.max_size = Some(crate::tanka::prune::parse_size(&v)?);
            Ok(())
        }),
    },
    Flag {
        group: Group::Color,
        long: "color",
        short: None,
        help: "Colour the validation findings: auto (when a terminal and NO_COLOR is unset), always or never",
        required: false,
        takes: Takes::Choice("when", || vec!["auto", "always", "never"], |low, v| {
            low.color = Some(ColorChoice::parse(&v)?);
            Ok(())
        }),
    },
    Flag {
        group: Group::Strict,
        long: "strict",
        short: None,
        help: "Objects of kinds with no schema are errors, not a warning (with validate or --validate)",
        required: false,
        takes: Takes::Switch(|low| low.validate.strict = true),
    },
    Flag {
        group: Group::Validate,
        long: "recursive",
        short: Some('R'),
        help: "Also read the files in the subfolders of a folder given (as kubectl -f DIR -R)",
        required: false,
        takes: Takes::Switch(|low| low.validate.recursive = true),
    },
    Flag {
        group: Group::Validate,
        long: "coverage",
        short: None,
        help: "Report, per kind of the libraries, how many CEL rules and schema constraints are checked (no files needed)",
        required: false,
        takes: Takes::Switch(|low| low.validate.coverage = true),
    },
    Flag {
        group: Group::Validate,
        long: "output",
        short: None,
        help: "Report format: human (default) or json",
        required: false,
        takes: Takes::Choice("format", || vec!["human", "json"], |low, v| match v.as_str() {
            "human" | "json" => {
                low.validate.json = v == "json";
                Ok(())
            }
            _ => Err(FlagValueError::NotAChoice {
                flag: "output",
                choices: "human or json",
                value: v,
            }),
        }),
    },
];

/// The flags of `groups`, in help order.
pub fn flags_of(groups: &[Group]) -> impl Iterator<Item = &'static Flag> + '_ {
    FLAGS.iter().filter(|f| groups.contains(&f.group))
}

impl Flag {
    /// The clap argument of this flag (for the subcommands' parser, every help text,
    /// the completions and the man page).
    pub fn to_arg(&self) -> clap::Arg {
        let mut arg = clap::Arg::new(self.long)
            .long(self.long)
            .help(self.help)
            .help_heading(self.group.heading())
            .required(self.required);
        if let Some(s) = self.short {
            arg = arg.short(s);
        }
        let Some(name) = self.takes.value_name() else {
            return arg.action(clap::ArgAction::SetTrue);
        };
        let arg = arg
            .value_name(name)
            .action(clap::ArgAction::Append)
            .num_args(1)
            .allow_hyphen_values(true)
            .value_hint(self.value_hint());
        match self.takes {
            // The help texts say the values themselves (`--kube-version` takes others
            // that `--openapi` loads): the list is for the shells.
            Takes::Choice(_, values, _) => arg
                .value_parser(Suggested(values()))
                .hide_possible_values(true),
            _ => arg,
        }
    }

    /// What shells complete the value with: paths for a `dir`, a `file` (also an
    /// `--openapi` `[version=]file`) or a `path` (file or folder), else nothing.
    pub fn value_hint(&self) -> clap::ValueHint {
        match self.takes.value_name() {
            Some("dir") => clap::ValueHint::DirPath,
            Some("file" | "[version=]file") => clap::ValueHint::FilePath,
            Some("path") => clap::ValueHint::AnyPath,
            _ => clap::ValueHint::Other,
        }
    }

    /// Runs the flag's effect.
    fn apply(&self, low: &mut LowArgs, value: Option<String>) -> Result<(), Error> {
        match self.takes {
            Takes::Switch(effect) => {
                effect(low);
                Ok(())
            }
            Takes::Value(_, effect) | Takes::Choice(_, _, effect) => {
                effect(low, value.unwrap_or_default()).map_err(Error::flag)
            }
        }
    }
}

/// The value parser of a [`Takes::Choice`] flag: any string (the flag's effect judges
/// it), with the values it lists offered to help and the shell completions.
#[derive(Clone)]
pub struct Suggested(pub Vec<&'static str>);

impl clap::builder::TypedValueParser for Suggested {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        clap::builder::StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(
            self.0.iter().map(|v| clap::builder::PossibleValue::new(*v)),
        ))
    }
}

/// The four ways of giving an ext var or TLA.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum VarKind {
    Str,
    StrFile,
    Code,
    CodeFile,
}

/// The command line as read, before validation: every flag's raw value.
#[derive(Debug, Default)]
pub struct LowArgs {
    help: bool,
    version: bool,
    /// `--output` of the jsonnet mode (only with `--version`): `Some(true)` for json.
    version_json: Option<bool>,
    exec: bool,
    jpaths: Vec<String>,
    ext: Vec<(VarKind, String)>,
    tla: Vec<(VarKind, String)>,
    output_file: Option<String>,
    multi: Option<String>,
    create_dirs: bool,
    yaml_stream: bool,
    string: bool,
    no_trailing_newline: bool,
    max_stack: Option<String>,
    max_trace: Option<String>,
    out: Option<PathBuf>,
    env_name: Option<String>,
    targets: Vec<String>,
    expr: Option<String>,
    crds: Vec<String>,
    crd_libraries: Vec<String>,
    openapi: Vec<String>,
    kube_version: Option<String>,
    /// `--strict`, `--output json` and `--coverage` of `validate`; `--validate`.
    validate: ValidateFlags,
    /// `--color`, when given.
    color: Option<ColorChoice>,
    /// The [`Group::Export`] flags.
    export: ExportFlags,
    /// The [`Group::Merge`] flags.
    merge: MergeFlags,
    /// The [`Group::EnvList`], [`Group::Importers`] and [`Group::CachePrune`] flags.
    tools: ToolFlags,
    /// The [`Group::Cache`] flags.
    cache: CacheFlags,
    /// Arguments that are not flags, in order.
    pub positional: Vec<String>,
}

/// The flags of [`Group::Export`], as given.
#[derive(Debug, Default)]
struct ExportFlags {
    format: Option<String>,
    extension: Option<String>,
    recursive: bool,
    parallel: Option<usize>,
    selector: Option<String>,
    shard: Option<crate::tanka::shard::Shard>,
}

/// The flags of [`Group::Cache`], as given.
#[derive(Debug, Default)]
struct CacheFlags {
    location: Option<crate::tanka::cache::Location>,
    envs: Vec<regex::Regex>,
}

/// The flags of [`Group::Merge`], as given.
#[derive(Debug, Default)]
struct MergeFlags {
    strategy: crate::tanka::export::MergeStrategy,
    deleted_envs: Vec<String>,
    skip_manifest: bool,
}

/// The flags of [`Group::EnvList`], [`Group::Importers`] and [`Group::CachePrune`],
/// as given.
#[derive(Debug, Default)]
struct ToolFlags {
    json: bool,
    names: bool,
    root: Option<PathBuf>,
    max_age: Option<std::time::Duration>,
    max_size: Option<u64>,
}

/// The switches of [`Group::Validate`].
#[derive(Debug, Default, Clone, Copy)]
struct ValidateFlags {
    /// `--validate` ([`Group::Check`]).
    after_render: bool,
    /// `--strict` ([`Group::Strict`]).
    strict: bool,
    /// `-R/--recursive`.
    recursive: bool,
    json: bool,
    coverage: bool,
}

/// How the jsonnet mode writes its result (the [`Group::Output`] flags, validated).
#[derive(Debug)]
pub struct OutputArgs {
    /// How the result is turned into bytes.
    pub mode: OutputMode,
    /// `-S` together with `-m`: files hold raw strings.
    pub multi_strings: bool,
    /// `-o`: write here instead of stdout.
    pub output_file: Option<PathBuf>,
    /// `-m`: directory of the output files (ends with `/`, as go-jsonnet prints it).
    pub multi_dir: Option<String>,
    /// `-c`: create missing parent directories.
    pub create_dirs: bool,
    /// End the output (each `-m` file) with a newline; off with `--no-trailing-newline`.
    pub trailing_newline: bool,
}

/// Fills [`LowArgs`] from what clap parsed for `flags` (and the positional arguments
/// named `positional`), running each flag's effect in argv order.
pub fn from_matches<'f>(
    matches: &clap::ArgMatches,
    flags: impl Iterator<Item = &'f Flag>,
    positional: Option<&str>,
) -> Result<LowArgs, Error> {
    let mut low = LowArgs::default();
    let mut seen: Vec<(usize, &Flag, Option<String>)> = Vec::new();
    for f in flags {
        if matches.value_source(f.long) != Some(clap::parser::ValueSource::CommandLine) {
            continue;
        }
        let Some(indices) = matches.indices_of(f.long) else {
            continue;
        };
        match f.takes {
            Takes::Switch(_) => seen.extend(indices.map(|i| (i, f, None))),
            Takes::Value(..) | Takes::Choice(..) => {
                let values = matches.get_many::<String>(f.long).into_iter().flatten();
                seen.extend(indices.zip(values).map(|(i, v)| (i, f, Some(v.clone()))));
            }
        }
    }
    seen.sort_by_key(|(i, _, _)| *i);
    for (_, f, value) in seen {
        f.apply(&mut low, value)?;
    }
    if let Some(name) = positional {
        low.positional = matches
            .get_many::<String>(name)
            .into_iter()
            .flatten()
            .cloned()
            .collect();
    }
    Ok(low)
}

impl LowArgs {
    /// `-h`/`--help` was given.
    pub fn wants_help(&self) -> bool {
        self.help
    }

    /// `-v`/`--version` was given.
    pub fn wants_version(&self) -> bool {
        self.version
    }

    /// The format `--version` prints in: JSON with `--output json`. `--output` means
    /// nothing without `--version`, so it is refused there rather than ignored.
    pub fn version_format(&self) -> Result<super::version::Format, Error> {
        match (self.version, self.version_json) {
            (_, None) | (true, Some(false)) => Ok(super::version::Format::Human),
            (true, Some(true)) => Ok(super::version::Format::Json),
            (false, Some(_)) => Err(UsageError::OutputWithoutVersion.into()),
        }
    }

    /// The [`Group::Evaluation`] flags as engine settings. `env` looks up environment
    /// variables (for `-V name` without a value and `JSONNET_PATH`).
    pub fn engine_settings(
        &self,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<EngineSettings, Error> {
        let mut engine = EngineSettings::default();
        if let Some(s) = &self.max_stack {
            engine.max_stack = match s.parse::<usize>() {
                Ok(n) if n >= 1 => n,
                _ => {
                    return Err(Error::flag(FlagValueError::InvalidNumber {
                        flag: "max-stack",
                        value: s.clone(),
                    }))
                }
            };
        }
        if let Some(s) = &self.max_trace {
            engine.max_trace = s.parse::<usize>().map_err(|_| {
                Error::flag(FlagValueError::InvalidNumber {
                    flag: "max-trace",
                    value: s.clone(),
                })
            })?;
        }
        // Priority order: last -J first, then JSONNET_PATH left to right.
        engine.search = self.jpaths.iter().rev().map(PathBuf::from).collect();
        if let Some(jp) = env("JSONNET_PATH") {
            engine
                .search
                .extend(jp.split(':').filter(|s| !s.is_empty()).map(PathBuf::from));
        }
        engine.ext_vars = self
            .ext
            .iter()
            .map(|(kind, s)| var_value(*kind, s, env))
            .collect::<Result<_, _>>()?;
        engine.tla = self
            .tla
            .iter()
            .map(|(kind, s)| var_value(*kind, s, env))
            .collect::<Result<_, _>>()?;
        Ok(engine)
    }

    /// The [`Group::Input`] flag and the one positional argument: a file (checked to
    /// exist), `-` for stdin (read here) or `-e` code.
    pub fn input(&self) -> Result<Input, Error> {
        let want = if self.exec { "code" } else { "filename" };
        let input = match self.positional.as_slice() {
            [] => {
                let usage = None;
                return Err(UsageError::MustGive { what: want, usage }.into());
            }
            [one] => one.clone(),
            _ => return Err(UsageError::OnlyOne(want).into()),
        };
        if self.exec {
            return Ok(Input::Code(input));
        }
        if input == "-" {
            let mut code = String::new();
            return match std::io::Read::read_to_string(&mut std::io::stdin(), &mut code) {
                Ok(_) => Ok(Input::Stdin(code)),
                Err(source) => Err(Error::Io {
                    action: "reading",
                    path: None,
                    source,
                }),
            };
        }
        let path = PathBuf::from(&input);
        match std::fs::metadata(&path) {
            Ok(m) if m.is_dir() => Err(Error::io(
                "opening input file",
                path,
                std::io::Error::other("is a directory"),
            )),
            Ok(_) => Ok(Input::File(path)),
            Err(e) => Err(Error::io("opening input file", path, e)),
        }
    }

    /// The [`Group::Output`] flags, validated.
    pub fn output(&self) -> Result<OutputArgs, Error> {
        if self.no_trailing_newline && self.yaml_stream {
            // As go-jsonnet 0.22: the combination has no meaning yet, so it is refused.
            return Err(UsageError::Conflict("no-trailing-newline", "yaml-stream").into());
        }
        // As in go-jsonnet, -m takes precedence over -y.
        let mode = if self.multi.is_some() {
            OutputMode::Multi
        } else if self.yaml_stream {
            OutputMode::Stream
        } else if self.string {
            OutputMode::String
        } else {
            OutputMode::Json
        };
        let multi_dir = self.multi.clone().map(|mut d| {
            if !d.ends_with('/') {
                d.push('/');
            }
            d
        });
        Ok(OutputArgs {
            mode,
            multi_strings: self.string && multi_dir.is_some(),
            output_file: self.output_file.as_ref().map(PathBuf::from),
            multi_dir,
            create_dirs: self.create_dirs,
            trailing_newline: !self.no_trailing_newline,
        })
    }

    /// A Tanka command's request: the environment path (the one positional argument),
    /// the [`Group::Environment`] and [`Group::Expression`] flags and the
    /// [`Group::Evaluation`] settings (Tanka reads no `JSONNET_PATH`).
    pub fn tanka_request(
        &self,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<crate::tanka::Request, Error> {
        let path = match self.positional.as_slice() {
            [one] => PathBuf::from(one),
            [] => {
                let what = "the environment's <path>";
                return Err(UsageError::MustGive { what, usage: None }.into());
            }
            _ => return Err(UsageError::OnlyOne("<path>").into()),
        };
        let mut engine = self.engine_settings(env)?;
        engine.search.clear();
        Ok(crate::tanka::Request {
            path,
            name: self.env_name.clone(),
            targets: self.targets.clone(),
            expr: self.expr.clone(),
            validate: self.validate.after_render,
            strict: self.strict_after_render()?,
            engine,
            libraries: self.library_sources(env),
        })
    }

    /// `export`'s request: the output directory and the environment paths (the
    /// positional arguments), the [`Group::Export`] flags and a Tanka request for the
    /// rest.
    pub fn export_request(
        &self,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<crate::tanka::export::ExportRequest, Error> {
        let (out, paths) = match self.positional.split_first() {
            Some((out, paths)) if !paths.is_empty() => (out, paths),
            _ => return Err(UsageError::Give("the output <dir> and at least one <path>").into()),
        };
        let mut engine = self.engine_settings(env)?;
        engine.search.clear();
        let flags = &self.export;
        Ok(crate::tanka::export::ExportRequest {
            out: PathBuf::from(out),
            paths: paths.iter().map(PathBuf::from).collect(),
            format: flags
                .format
                .clone()
                .unwrap_or_else(|| crate::tanka::export::DEFAULT_FORMAT.to_owned()),
            extension: flags.extension.clone().unwrap_or_else(|| "yaml".to_owned()),
            merge: self.merge.strategy,
            deleted_envs: self.merge.deleted_envs.clone(),
            skip_manifest: self.merge.skip_manifest,
            shard: flags.shard,
            cache: self.cache_request(),
            recursive: flags.recursive,
            parallel: flags.parallel.unwrap_or(8),
            selector: crate::tanka::selector::Selector::parse(
                flags.selector.as_deref().unwrap_or(""),
            )
            .map_err(Error::flag)?,
            base: crate::tanka::Request {
                path: PathBuf::new(),
                name: self.env_name.clone(),
                targets: self.targets.clone(),
                expr: None,
                validate: self.validate.after_render,
                strict: self.strict_after_render()?,
                engine,
                libraries: self.library_sources(env),
            },
        })
    }

    /// `--cache-path` and `--cache-envs`; `--cache-envs` alone does nothing (as in
    /// Tanka), with a warning.
    fn cache_request(&self) -> Option<crate::tanka::cache::CacheRequest> {
        match &self.cache.location {
            Some(location) => Some(crate::tanka::cache::CacheRequest {
                location: location.clone(),
                envs: self.cache.envs.clone(),
            }),
            None => {
                if !self.cache.envs.is_empty() {
                    eprintln!("WARNING: --cache-envs has no effect without --cache-path");
                }
                None
            }
        }
    }

    /// The `export-merge` request: the output directory, the shard directories and
    /// the [`Group::Merge`] flags.
    pub fn merge_request(&self) -> Result<crate::tanka::merge::MergeRequest, Error> {
        let (out, shards) = match self.positional.split_first() {
            Some((out, shards)) if !shards.is_empty() => (out, shards),
            _ => {
                let want = "the output <dir> and at least one shard directory";
                return Err(UsageError::Give(want).into());
            }
        };
        Ok(crate::tanka::merge::MergeRequest {
            out: PathBuf::from(out),
            shards: shards.iter().map(PathBuf::from).collect(),
            merge: self.merge.strategy,
            deleted_envs: self.merge.deleted_envs.clone(),
            skip_manifest: self.merge.skip_manifest,
        })
    }

    /// `tool importers`' root (`--root`, default `.`) and files (at least one).
    pub fn importers_request(&self) -> Result<(PathBuf, Vec<String>), Error> {
        if self.positional.is_empty() {
            let want = "at least one <file> (deleted:<path> for a deleted one)";
            return Err(UsageError::Give(want).into());
        }
        let root = self
            .tools
            .root
            .clone()
            .unwrap_or_else(|| PathBuf::from("."));
        Ok((root, self.positional.clone()))
    }

    /// `tool cache-prune`'s request: the cache directory (an object store URL is
    /// refused: its lifecycle rules expire objects) and the limits.
    pub fn prune_request(&self) -> Result<crate::tanka::prune::PruneRequest, Error> {
        use crate::tanka::cache::Location;
        let [dir] = self.positional.as_slice() else {
            return Err(UsageError::Give("one <dir>: the cache directory").into());
        };
        let dir = match Location::parse(dir).map_err(UsageError::from)? {
            Location::Dir(dir) => dir,
            Location::Url(url) => return Err(UsageError::PruneObjectStore(url).into()),
        };
        Ok(crate::tanka::prune::PruneRequest {
            dir,
            max_age: self.tools.max_age,
            max_size: self.tools.max_size,
        })
    }

    /// `env list`'s request: the folder (default: the working directory), the output
    /// form ([`Group::EnvList`]), `-l` and a Tanka request for the evaluation of
    /// inline environments.
    pub fn env_list_request(
        &self,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<crate::tanka::envs::ListRequest, Error> {
        let path = match self.positional.as_slice() {
            [] => PathBuf::from("."),
            [one] => PathBuf::from(one),
            _ => return Err(UsageError::OnlyOne("<path>").into()),
        };
        // `--json` wins over `--names`, as in `tk env list`.
        let format = match (self.tools.json, self.tools.names) {
            (true, _) => crate::tanka::envs::ListFormat::Json,
            (false, true) => crate::tanka::envs::ListFormat::Names,
            (false, false) => crate::tanka::envs::ListFormat::Table,
        };
        let mut engine = self.engine_settings(env)?;
        engine.search.clear();
        Ok(crate::tanka::envs::ListRequest {
            format,
            selector: crate::tanka::selector::Selector::parse(
                self.export.selector.as_deref().unwrap_or(""),
            )
            .map_err(Error::flag)?,
            base: crate::tanka::Request {
                path,
                name: None,
                targets: Vec::new(),
                expr: None,
                validate: false,
                strict: false,
                engine,
                libraries: self.library_sources(env),
            },
        })
    }

    /// The [`Group::Libraries`] flags, `GWSONNET_CRDS` (`:`-separated, read before
    /// `--crds`) and `GWSONNET_OPENAPI` (the same, before `--openapi`): where to load
    /// CRD libraries and Kubernetes versions from, and which Kubernetes version to use.
    pub fn library_sources(&self, env: &dyn Fn(&str) -> Option<String>) -> crate::crd::Sources {
        let mut crds: Vec<PathBuf> = env("GWSONNET_CRDS")
            .map(|v| {
                v.split(':')
                    .filter(|s| !s.is_empty())
                    .map(PathBuf::from)
                    .collect()
            })
            .unwrap_or_default();
        let mut crds_given = vec![crate::crd::Given::Env; crds.len()];
        crds.extend(self.crds.iter().map(PathBuf::from));
        crds_given.resize(crds.len(), crate::crd::Given::Flag);
        let openapi = env("GWSONNET_OPENAPI")
            .map(|v| {
                v.split(':')
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
            .iter()
            .chain(&self.openapi)
            .map(|v| crate::crd::OpenApiSource::parse(v))
            .collect();
        crate::crd::Sources {
            crds,
            crds_given,
            configs: self.crd_libraries.iter().map(PathBuf::from).collect(),
            openapi,
            kube_version: self.kube_version.clone(),
        }
    }

    /// The [`Group::Check`] flag: `--validate`.
    pub fn validate_after_render(&self) -> bool {
        self.validate.after_render
    }

    /// The [`Group::Strict`] flag of a command that validates what it renders:
    /// `--strict`, which judges `--validate`'s objects.
    ///
    /// # Errors
    /// `--strict` without `--validate`.
    pub fn strict_after_render(&self) -> Result<bool, Error> {
        let v = self.validate;
        if v.strict && !v.after_render {
            return Err(UsageError::StrictWithoutValidate.into());
        }
        Ok(v.strict)
    }

    /// The [`Group::Color`] flag, with `NO_COLOR` from `env` when it is not given.
    pub fn color(&self, env: &dyn Fn(&str) -> Option<String>) -> ColorChoice {
        ColorChoice::resolve(self.color, env("NO_COLOR"))
    }

    /// `validate`'s settings: the inputs, `--strict`, `--output json`, `--coverage`,
    /// `-R/--recursive`.
    ///
    /// # Errors
    /// No input (unless `--coverage`), inputs with `--coverage`, `-` twice.
    pub fn validate_args(&self) -> Result<(Vec<PathBuf>, bool, bool, bool, bool), Error> {
        let v = self.validate;
        if self.positional.is_empty() && !v.coverage {
            let want = "at least one file, folder, or - for stdin";
            return Err(Error::usage_of("validate", UsageError::Give(want)));
        }
        if self.positional.iter().filter(|p| *p == "-").count() > 1 {
            return Err(Error::usage_of("validate", UsageError::StdinTwice));
        }
        if v.coverage && !self.positional.is_empty() {
            return Err(Error::usage_of("validate", UsageError::CoverageTakesFiles));
        }
        let files = self.positional.iter().map(PathBuf::from).collect();
        Ok((files, v.strict, v.json, v.coverage, v.recursive))
    }

    /// The [`Group::Generate`] flag: the directory to write into.
    pub fn out_dir(&self) -> Result<PathBuf, Error> {
        self.out
            .clone()
            .ok_or_else(|| UsageError::Required("--out <dir>").into())
    }
}

/// Quotes `path` as a Jsonnet verbatim string `@'...'`.
fn verbatim(path: &str) -> String {
    format!("@'{}'", path.replace('\'', "''"))
}

/// Turns `name[=value]` / `name=file` into an ext var or TLA.
fn var_value(
    kind: VarKind,
    spec: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<(String, ExtValue), Error> {
    let (name, value) = match spec.split_once('=') {
        Some((n, v)) => (n.to_owned(), Some(v.to_owned())),
        None => (spec.to_owned(), None),
    };
    if name.is_empty() {
        return Err(Error::flag(FlagValueError::MissingVariableName(
            spec.to_owned(),
        )));
    }
    match kind {
        VarKind::StrFile | VarKind::CodeFile => {
            let Some(file) = value else {
                return Err(Error::flag(FlagValueError::NotVariableFile(
                    spec.to_owned(),
                )));
            };
            if let Err(e) = std::fs::metadata(&file) {
                return Err(Error::io("opening", file, e));
            }
            let code = match kind {
                VarKind::StrFile => format!("importstr {}", verbatim(&file)),
                _ => format!("import {}", verbatim(&file)),
            };
            Ok((name, ExtValue::Code(code)))
        }
        VarKind::Str | VarKind::Code => {
            let value = match value {
                Some(v) => v,
                None => env(&name)
                    .ok_or_else(|| Error::flag(FlagValueError::UndefinedVariable(name.clone())))?,
            };
            Ok(match kind {
                VarKind::Code => (name, ExtValue::Code(value)),
                _ => (name, ExtValue::Str(value)),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn low(args: &[&str]) -> Result<LowArgs, Error> {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        super::super::commands::read_jsonnet(&args)
    }

    fn env(name: &str) -> Option<String> {
        (name == "FROM_ENV").then(|| "env!".to_owned())
    }

    fn message(e: Error) -> String {
        e.render()
    }

    #[test]
    fn later_jpath_wins() {
        let l = low(&["-J", "a", "--jpath", "b", "-Jc", "-e", "1"]).unwrap();
        assert_eq!(
            l.engine_settings(&env).unwrap().search,
            vec![PathBuf::from("c"), "b".into(), "a".into()]
        );
    }

    #[test]
    fn ext_vars_from_env_and_inline() {
        let l = low(&[
            "-V",
            "FROM_ENV",
            "--ext-str=x=1=2",
            "--ext-code",
            "c={}",
            "-e",
            "1",
        ])
        .unwrap();
        assert_eq!(
            l.engine_settings(&env).unwrap().ext_vars,
            vec![
                ("FROM_ENV".into(), ExtValue::Str("env!".into())),
                ("x".into(), ExtValue::Str("1=2".into())),
                ("c".into(), ExtValue::Code("{}".into())),
            ]
        );
        let l = low(&["-V", "MISSING", "-e", "1"]).unwrap();
        assert!(matches!(
            l.engine_settings(&env),
            Err(Error::Flag { source: FlagValueError::UndefinedVariable(name), .. }) if name == "MISSING"
        ));
        let l = low(&["-V", "=x", "-e", "1"]).unwrap();
        assert!(matches!(
            l.engine_settings(&env),
            Err(Error::Flag {
                source: FlagValueError::MissingVariableName(_),
                ..
            })
        ));
        let l = low(&["--ext-str-file", "x", "-e", "1"]).unwrap();
        assert_eq!(
            message(l.engine_settings(&env).unwrap_err()),
            "ERROR: argument not in form <var>=<file> \"x\"\n"
        );
    }

    #[test]
    fn combined_short_flags_and_double_dash() {
        let l = low(&["-Se", "'x'"]).unwrap();
        assert_eq!(l.output().unwrap().mode, OutputMode::String);
        let l = low(&["-e", "--", "-1"]).unwrap();
        assert!(matches!(l.input().unwrap(), Input::Code(ref c) if c == "-1"));
        // A value flag takes the next argument whatever it is.
        let l = low(&["-J", "--", "-o", "-", "-e", "1"]).unwrap();
        assert_eq!(l.jpaths, ["--"]);
        assert_eq!(l.output_file.as_deref(), Some("-"));
    }

    #[test]
    fn bad_input_is_an_error() {
        assert!(message(low(&["--nope"]).unwrap_err()).contains("--nope"));
        assert!(message(low(&["--out", "x"]).unwrap_err()).contains("--out"));
        assert!(message(low(&["-e"]).unwrap().input().unwrap_err()).contains("must give code"));
        let l = low(&["-s", "0", "-e", "1"]).unwrap();
        assert_eq!(
            message(l.engine_settings(&env).unwrap_err()),
            "ERROR: invalid --max-stack value: 0\n"
        );
        assert!(matches!(
            low(&["-J", "", "-e", "1"]),
            Err(Error::Flag {
                source: FlagValueError::EmptyArgument('J'),
                ..
            })
        ));
        let l = low(&["-e", "1", "2"]).unwrap();
        assert!(message(l.input().unwrap_err()).contains("only one"));
        let l = low(&["-y", "--no-trailing-newline", "-e", "1"]).unwrap();
        assert!(message(l.output().unwrap_err()).contains("--yaml-stream"));
    }
}
