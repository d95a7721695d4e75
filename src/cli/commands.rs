//! The commands of `gwsonnet`: each [`Spec`] names its flag groups (see [`super::flags`]),
//! its positional argument, its docs and a usage example; [`parse`] turns argv into one
//! validated [`Command`]. [`cli`] builds the clap description of all of them, from which
//! every `--help`, the shell completions and the man page are generated.
//!
//! clap parses every command. What go-jsonnet compatibility adds around it: a command
//! name counts only as the first argument (picked before clap runs, see [`parse`]), and a
//! bad jsonnet-mode command line is reported in go-jsonnet's words ([`go_usage_error`]).
//! A later command (`show`, `eval`, `export`, `validate`) is one more [`Spec`]
//! naming its groups, one [`Command`] variant and one arm in [`validate`].

use std::{
    path::{Path, PathBuf},
    sync::Arc,
};

use super::color::ColorChoice;
use super::flags::{flags_of, from_matches, Group, LowArgs, OutputArgs};
use crate::engine::{EngineSettings, Input};
use crate::error::{Error, UsageError};
use crate::model::Registry;

/// Which command a [`Spec`] describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Name {
    /// The jsonnet mode.
    Jsonnet,
    /// `docs`.
    Docs,
    /// `libsonnet`.
    Libsonnet,
    /// `completions`.
    Completions,
    /// `man`.
    Man,
    /// `show`.
    Show,
    /// `eval`.
    Eval,
    /// `export`.
    Export,
    /// `export-merge`.
    ExportMerge,
    /// `validate`.
    Validate,
    /// `tool imports`.
    ToolImports,
    /// `tool importers`.
    ToolImporters,
    /// `tool cache-prune`.
    ToolCachePrune,
    /// `env list`.
    EnvList,
    /// `help`.
    Help,
    /// `lsp`.
    Lsp,
}

/// A command's place on the command line.
pub struct Spec {
    /// Which command it is.
    pub id: Name,
    /// Its name (the program's name for the jsonnet mode); two words for a command
    /// of a family (`tool imports`: see [`FAMILIES`]).
    pub name: &'static str,
    /// One line saying what it does.
    pub about: &'static str,
    /// A few lines for `--help` after the flags: an example and notes.
    pub after_help: &'static str,
    /// The flag groups it takes.
    pub groups: &'static [Group],
    /// Its positional argument, if any.
    pub positional: Option<Positional>,
}

/// A positional argument of a command.
pub struct Positional {
    /// Its name in help (`<name>`) and its id.
    pub name: &'static str,
    /// One line of help.
    pub help: &'static str,
    /// The values it accepts; empty for any.
    pub values: &'static [&'static str],
    /// Whether clap requires it (the jsonnet mode checks its own with go's words).
    pub required: bool,
}

/// The jsonnet mode: go-jsonnet's `jsonnet` command.
pub const JSONNET: Spec = Spec {
    id: Name::Jsonnet,
    name: "gwsonnet",
    about: "A drop-in jsonnet evaluator with the Kubernetes API, the Gateway API and any CRD built in as libraries",
    after_help: "Examples:\n  \
        gwsonnet -J vendor -V env=prod main.jsonnet\n  \
        gwsonnet -S -e 'std.manifestYamlDoc({a: 1})'\n  \
        gwsonnet -m out/ -c manifests.jsonnet\n  \
        gwsonnet --crds gateway-api/crds/1.5 main.jsonnet\n\n\
        JSONNET_PATH: colon-separated library dirs, left-most wins, below every -J.\n\
        GWSONNET_CRDS: colon-separated CRD files or folders, loaded before every --crds.\n\
        Short options combine (-Sy); -- ends option processing; a value flag takes the\n\
        next argument whatever it is; a file named like a command is reachable as ./name.",
    groups: &[
        Group::Meta,
        Group::Input,
        Group::Search,
        Group::Evaluation,
        Group::Output,
        Group::Check,
        Group::Strict,
        Group::Color,
        Group::Libraries,
    ],
    positional: Some(Positional {
        name: "filename",
        help: "Jsonnet file to evaluate (- for stdin), or the code with -e",
        values: &[],
        required: false,
    }),
};

/// The subcommands, in help order. A first argument equal to one of these names runs it.
pub const SUBCOMMANDS: &[Spec] = &[
    Spec {
        id: Name::Show,
        name: "show",
        about: "Print a Tanka environment's manifests as YAML, as `tk show` does",
        after_help: "Finds the project root (tkrc.yaml, else jsonnetfile.json) and imports as\n\
            Tanka does (base dir, <root>/lib, <base>/vendor, <root>/vendor, then the\n\
            built-in libraries; import \"tk\"), evaluates, then extracts, namespaces,\n\
            labels, filters and sorts the manifests like Tanka. Output may be piped.\n\n\
            Examples:\n  gwsonnet show environments/default\n  \
            gwsonnet show environments/inline --name prod -t 'deployment/.*'",
        groups: &[
            Group::Environment,
            Group::Show,
            Group::Evaluation,
            Group::Check,
            Group::Strict,
            Group::Color,
            Group::Libraries,
        ],
        positional: Some(Positional {
            name: "path",
            help: "The environment: its directory or entry file",
            values: &[],
            required: true,
        }),
    },
    Spec {
        id: Name::Eval,
        name: "eval",
        about: "Print a Tanka environment's evaluated output as JSON, as `tk eval` does",
        after_help: "The JSON is Go's encoding/json with a two-space indent, sorted keys,\n\
            <, > and & escaped, and no trailing newline, as Tanka prints it.\n\n\
            Examples:\n  gwsonnet eval environments/default\n  \
            gwsonnet eval environments/default -e 'deployment.spec'",
        groups: &[
            Group::Expression,
            Group::Evaluation,
            Group::Check,
            Group::Strict,
            Group::Color,
            Group::Libraries,
        ],
        positional: Some(Positional {
            name: "path",
            help: "The environment: its directory or entry file",
            values: &[],
            required: true,
        }),
    },
    Spec {
        id: Name::Export,
        name: "export",
        about: "Write Tanka environments' manifests as one file each, as `tk export` does",
        after_help:
            "File names come from --format (Go text/template: .field.paths, or, and, not,\n\
            index, default, print, lower, upper, trim, replace, snakecase, kebabcase, env);\n\
            a / produced by a value becomes -, a / in the template's text makes folders.\n\
            manifest.json maps each file to its environment. Nothing is written unless\n\
            the whole export succeeds (it is staged next to <dir>, then moved into place).\n\n\
            Examples:\n  gwsonnet export out/ environments/default\n  \
            gwsonnet export out/ environments/ -r --merge-strategy replace-envs",
        groups: &[
            Group::Export,
            Group::Merge,
            Group::Selector,
            Group::Cache,
            Group::Environment,
            Group::Evaluation,
            Group::Libraries,
            Group::Check,
            Group::Strict,
            Group::Color,
        ],
        // The output dir, then one or more paths: checked by `export_request`.
        positional: Some(Positional {
            name: "path",
            help: "The output directory first, then the environments (directories or entry files)",
            values: &[],
            required: false,
        }),
    },
    Spec {
        id: Name::ExportMerge,
        name: "export-merge",
        about: "Join the outputs of `export --shard K/N` into one export directory",
        after_help:
            "Every file of every shard directory goes to the same place in <dir>, and their\n\
            manifest.json maps are joined. A file or an environment in two shards is a\n\
            conflict, and nothing is written; <dir> is staged and moved into place as\n\
            export does, and a non-empty <dir> needs --merge-strategy (replace-envs\n\
            replaces the files of the environments the shards exported).\n\n\
            Examples:\n  gwsonnet export shard-1/ environments/ -r --shard 1/2\n  \
            gwsonnet export shard-2/ environments/ -r --shard 2/2\n  \
            gwsonnet export-merge out/ shard-1/ shard-2/",
        groups: &[Group::Merge],
        // The output dir, then one or more shard dirs: checked by `merge_request`.
        positional: Some(Positional {
            name: "path",
            help: "The output directory first, then the shards' output directories",
            values: &[],
            required: false,
        }),
    },
    Spec {
        id: Name::EnvList,
        name: "env list",
        about: "List the Tanka environments below a folder, as `tk env list` does",
        after_help: "Every main.jsonnet below the folder is an environment: static (its spec.json,\n\
            nothing evaluated) or inline (evaluated with their data hidden, so only the\n\
            Environment objects are). Sorted by name; --json prints Tanka's JSON.\n\n\
            Examples:\n  gwsonnet env list environments/\n  \
            gwsonnet env list --json -l team=infra",
        groups: &[
            Group::EnvList,
            Group::Selector,
            Group::Evaluation,
            Group::Libraries,
        ],
        positional: Some(Positional {
            name: "path",
            help: "The folder to search (default: the working directory)",
            values: &[],
            required: false,
        }),
    },
    Spec {
        id: Name::ToolImports,
        name: "tool imports",
        about: "List every file a Tanka environment imports, as `tk tool imports` does",
        after_help: "The entry file and every file it reaches through import, importstr and\n\
            importbin, resolved with the environment's import path, as a JSON list of\n\
            paths relative to the project root. Read from the files, not evaluated.\n\
            An import nothing answers is an error; an import cycle a warning.\n\n\
            Example:\n  gwsonnet tool imports environments/default",
        groups: &[Group::Libraries],
        positional: Some(Positional {
            name: "path",
            help: "The environment: its directory or entry file",
            values: &[],
            required: true,
        }),
    },
    Spec {
        id: Name::ToolImporters,
        name: "tool importers",
        about: "List the Tanka environments that import the given files, as `tk tool importers` does",
        after_help: "Prints the entry file (main.jsonnet) of every environment below --root whose\n\
            imports reach one of the files, directly or not, one a line. A deleted file\n\
            is given as deleted:<path>. As Tanka, a file outside lib/ and vendor/ also\n\
            counts for the environment whose folder holds it, and a main.jsonnet given\n\
            is reported itself.\n\n\
            Examples:\n  gwsonnet tool importers lib/k.libsonnet\n  \
            gwsonnet tool importers --root . $(git diff --name-only HEAD~1)",
        groups: &[Group::Importers],
        positional: Some(Positional {
            name: "file",
            help: "The changed files (deleted:<path> for a deleted one)",
            values: &[],
            required: false,
        }),
    },
    Spec {
        id: Name::ToolCachePrune,
        name: "tool cache-prune",
        about: "Remove old entries from an export cache directory (export --cache-path)",
        after_help: "Removes the entries not used for longer than --max-age, then the least\n\
            recently used ones until the rest take no more than --max-size on disk, and\n\
            the temporary files interrupted exports left. Every hit marks its entry as\n\
            used. Waits for the exports using the cache; exports wait for it. Prints one\n\
            line: what was removed and kept. Object stores: use their lifecycle rules.\n\n\
            Examples:\n  gwsonnet tool cache-prune .cache --max-age 7d\n  \
            gwsonnet tool cache-prune /ci/cache --max-age 2w --max-size 5G",
        groups: &[Group::CachePrune],
        positional: Some(Positional {
            name: "dir",
            help: "The cache directory (as given to export --cache-path)",
            values: &[],
            required: true,
        }),
    },
    Spec {
        id: Name::Docs,
        name: "docs",
        about: "Write the libraries' docs as docsonnet markdown pages",
        after_help: "Writes <dir>/<library version>/<group>/<version>/<kind>.md and the index\n\
            pages above them, as docsonnet v0.0.5 renders the published library: the\n\
            libraries --crds/--crd-library/GWSONNET_CRDS/--openapi/--kube-version load,\n\
            else the built-in one. The Kubernetes library (k8s-libsonnet) includes the\n\
            docs of its hand-written helpers.\n\n\
            Examples:\n  gwsonnet docs --out docs/\n  \
            gwsonnet docs --crds gateway-api/crds/1.5 --out docs/\n  \
            gwsonnet docs --kube-version 1.30 --out docs/",
        groups: &[Group::Generate, Group::Libraries],
        positional: None,
    },
    Spec {
        id: Name::Libsonnet,
        name: "libsonnet",
        about: "Write the libraries as jsonnet source",
        after_help: "Writes <dir>/<library version>/main.libsonnet, gen.libsonnet and _gen/...,\n\
            file for file as jsonnet-libs publishes the library: the libraries\n\
            --crds/--crd-library/GWSONNET_CRDS load, the Kubernetes version of\n\
            --kube-version or --openapi (k8s-libsonnet, with its _custom/ layer), else\n\
            the built-in one. Laid out below the repository path in a directory given\n\
            with -J, they replace the native library.\n\n\
            Examples:\n  gwsonnet libsonnet --crds gateway-api/crds/1.5 \\\n    \
            --out vendor/github.com/jsonnet-libs/gateway-api-libsonnet/\n  \
            gwsonnet libsonnet --kube-version 1.30 \\\n    \
            --out vendor/github.com/jsonnet-libs/k8s-libsonnet/",
        groups: &[Group::Generate, Group::Libraries],
        positional: None,
    },
    Spec {
        id: Name::Validate,
        name: "validate",
        about: "Check Kubernetes objects against their kinds' schemas and CEL rules",
        after_help: "Each file is a Jsonnet program (evaluated with the evaluation flags) or a\n\
            rendered manifest (.yaml, .yml, .json; multi-document, List kinds); a folder\n\
            gives the .yaml, .yml, .json and .jsonnet files in it (-R: in its subfolders\n\
            too); - reads a YAML or JSON stream from stdin. Every object whose\n\
            apiVersion/kind a library carries is checked as the API server would; objects\n\
            of kinds with no schema are counted in a warning (--strict: errors). An input\n\
            that fails is reported and the others are still checked.\n\n\
            Exit status: 0 valid, 1 an input failed or usage error, 2 violations found.\n\n\
            --coverage lists, per kind, the CEL rules and schema constraints checked.\n\n\
            Examples:\n  gwsonnet validate -J vendor routes.jsonnet rendered.yaml\n  \
            gwsonnet validate -R manifests/\n  helm template chart | gwsonnet validate -",
        groups: &[
            Group::Search,
            Group::Evaluation,
            Group::Validate,
            Group::Strict,
            Group::Color,
            Group::Libraries,
        ],
        // One or more files: checked by `validate_args`, so clap takes any number.
        positional: Some(Positional {
            name: "file",
            help: "Jsonnet files, rendered manifests (.yaml, .yml, .json), folders of them, or - for stdin",
            values: &[],
            required: false,
        }),
    },
    Spec {
        id: Name::Lsp,
        name: "lsp",
        about: "Run the language server (LSP over stdio) that knows the built-in libraries",
        after_help: "Completion, hover, signature help, go to definition, document symbols and\n\
            diagnostics for Jsonnet, with the built-in and loaded libraries' members and\n\
            docs. Imports resolve as in the evaluator; a file in a Tanka project uses the\n\
            project's import path and crds/ folder. Files are evaluated and validated\n\
            only on save, in a child process with a time limit.\n\n\
            Example (editor configuration):\n  gwsonnet lsp --crds gateway-api/crds/1.5",
        groups: &[Group::Search, Group::Libraries],
        positional: None,
    },
    Spec {
        id: Name::Completions,
        name: "completions",
        about: "Print shell completions for gwsonnet",
        after_help: "Example:\n  gwsonnet completions bash > /etc/bash_completion.d/gwsonnet\n  \
            gwsonnet completions fish > ~/.config/fish/completions/gwsonnet.fish",
        groups: &[],
        positional: Some(Positional {
            name: "shell",
            help: "The shell to complete for",
            values: &["bash", "zsh", "fish"],
            required: true,
        }),
    },
    Spec {
        id: Name::Man,
        name: "man",
        about: "Print the man page of gwsonnet (roff)",
        after_help: "Example:\n  gwsonnet man > /usr/local/share/man/man1/gwsonnet.1",
        groups: &[],
        positional: None,
    },
    Spec {
        id: Name::Help,
        name: "help",
        about: "Print the help of gwsonnet, or of one of its commands",
        after_help: "The same text as gwsonnet --help and gwsonnet <command> --help. When a file\n\
            named help is in the working directory, gwsonnet help evaluates it, as\n\
            go-jsonnet would.\n\n\
            Examples:\n  gwsonnet help\n  gwsonnet help validate",
        groups: &[],
        // Any word: an unknown one is answered with the nearest command's name.
        positional: Some(Positional {
            name: "command",
            help: "The command to describe",
            values: &[],
            required: false,
        }),
    },
];

/// The families of two-word commands (`tool imports`, `env list`), as Tanka groups
/// them: the first word and what the family is about.
pub const FAMILIES: &[(&str, &str)] = &[
    (
        "tool",
        "Tanka's tools for a repository of environments: imports, importers, cache-prune",
    ),
    ("env", "Tanka's environments: list"),
];

/// What the command line asks for, validated.
#[derive(Debug)]
pub enum Command {
    /// Print this text on stdout (a `--help`).
    Help(String),
    /// Print the version, what it was built from and the built-in libraries.
    Version(super::version::Format),
    /// The jsonnet mode: evaluate and write the result.
    Jsonnet(RunArgs),
    /// `docs`: write the docs pages of the libraries into the directory.
    Docs(PathBuf, Registry),
    /// `libsonnet`: write the jsonnet source files of the libraries into the directory.
    Libsonnet(PathBuf, Registry),
    /// `completions`: print the completions for the shell.
    Completions(clap_complete::Shell),
    /// `man`: print the man page.
    Man,
    /// `show`: print the environment's manifests as Tanka's YAML (`--color` of the
    /// validation findings beside).
    Show(crate::tanka::Request, ColorChoice),
    /// `eval`: print the environment's output as Tanka's JSON.
    Eval(crate::tanka::Request, ColorChoice),
    /// `export`: write the environments' manifests as files.
    Export(Box<crate::tanka::export::ExportRequest>, ColorChoice),
    /// `export-merge`: join the outputs of `export --shard`.
    ExportMerge(crate::tanka::merge::MergeRequest),
    /// `validate`: check the objects of the files.
    Validate(ValidateArgs),
    /// `lsp`: run the language server.
    Lsp(crate::lsp::Settings),
    /// `tool imports`: print the environment's transitive imports.
    ToolImports(crate::tanka::Request),
    /// `tool importers`: print the environments importing the files (the root, the
    /// files as given).
    ToolImporters(PathBuf, Vec<String>),
    /// `tool cache-prune`: prune a cache directory.
    ToolCachePrune(crate::tanka::prune::PruneRequest),
    /// `env list`: print the environments below a folder.
    EnvList(crate::tanka::envs::ListRequest),
}

/// A validated `validate` request.
#[derive(Debug)]
pub struct ValidateArgs {
    /// Engine configuration for Jsonnet inputs ([`Group::Evaluation`]).
    pub engine: EngineSettings,
    /// The inputs, in order: files, folders, `-` for stdin.
    pub files: Vec<PathBuf>,
    /// `-R/--recursive`: the files of a folder's subfolders are inputs too.
    pub recursive: bool,
    /// `--strict`: objects of kinds with no schema are errors.
    pub strict: bool,
    /// `--output json`.
    pub json: bool,
    /// `--coverage`: report the coverage of the libraries' kinds instead.
    pub coverage: bool,
    /// `--color` ([`Group::Color`]) of the human report.
    pub color: ColorChoice,
}

/// A validated evaluation request of the jsonnet mode.
#[derive(Debug)]
pub struct RunArgs {
    /// Engine configuration ([`Group::Evaluation`]).
    pub engine: EngineSettings,
    /// What to evaluate ([`Group::Input`]).
    pub input: Input,
    /// How to write the result ([`Group::Output`]).
    pub output: OutputArgs,
    /// `--validate` ([`Group::Check`]): check the result's objects after writing it.
    pub validate: bool,
    /// `--strict` ([`Group::Strict`]) of `--validate`.
    pub strict: bool,
    /// `--color` ([`Group::Color`]) of `--validate`'s findings.
    pub color: ColorChoice,
}

/// Reads argv (without the program name). `env` looks up environment variables.
pub fn parse(args: &[String], env: &dyn Fn(&str) -> Option<String>) -> Result<Command, Error> {
    // A command name counts only as the first argument (go-jsonnet's `jsonnet -J . docs`
    // evaluates the file `docs`); clap would find it after options too, so the command
    // is picked here and clap parses that command alone.
    let spec = match args.first().map(String::as_str) {
        // `help` came after the other commands: a file of that name, which
        // `gwsonnet help` evaluated before, still is.
        Some("help") if Path::new("help").is_file() => &JSONNET,
        Some(first) => match find_spec(args) {
            Some(spec) => spec,
            // A family's word alone, with help, or with a wrong command (unless a
            // file has that name: go-jsonnet evaluates it).
            None if !Path::new(first).exists() => match family_word(first) {
                Some(family) => return family_usage(family, args.get(1).map(String::as_str)),
                None => &JSONNET,
            },
            None => &JSONNET,
        },
        None => &JSONNET,
    };
    let parsed = read(spec, args).and_then(|read| match read {
        Read::Args(low) => validate(spec, *low, env),
        Read::Help(text) => Ok(Command::Help(text)),
    });
    match spec.id {
        Name::Jsonnet => parsed.map_err(|e| super::hints::jsonnet_usage(args, e)),
        _ => parsed,
    }
}

/// The command `args` start with: one word, or a family's two.
fn find_spec(args: &[String]) -> Option<&'static Spec> {
    let first = args.first()?.as_str();
    let second = args.get(1).map(String::as_str);
    SUBCOMMANDS.iter().find(|s| match s.name.split_once(' ') {
        None => s.name == first,
        Some((family, command)) => family == first && Some(command) == second,
    })
}

/// Whether `word` is the first word of a family of commands.
fn is_family(word: &str) -> bool {
    family_word(word).is_some()
}

/// The family whose first word is `word`.
fn family_word(word: &str) -> Option<&'static str> {
    FAMILIES.iter().find(|(f, _)| *f == word).map(|(f, _)| *f)
}

/// The commands of `family` (their second words), in help order.
fn family_commands(family: &str) -> impl Iterator<Item = &'static str> + Clone + '_ {
    SUBCOMMANDS
        .iter()
        .filter_map(move |s| s.name.strip_prefix(family)?.strip_prefix(' '))
}

/// `gwsonnet <family>` without one of its commands: its help for `-h`/`--help`, else
/// a usage error naming the commands (and the nearest one to a misspelt word).
fn family_usage(family: &'static str, word: Option<&str>) -> Result<Command, Error> {
    if matches!(word, Some("-h" | "--help")) {
        return Ok(Command::Help(family_help(family)));
    }
    let commands: Vec<&'static str> = family_commands(family).collect();
    let problem = match word {
        Some(w) => UsageError::UnknownCommand {
            word: w.to_owned(),
            near: super::hints::did_you_mean(w, commands.iter().copied())
                .map(|near| format!("{family} {near}")),
            commands,
        },
        None => UsageError::NoCommand { family, commands },
    };
    Err(Error::usage_of(family, problem))
}

/// The help of a family: its commands and what they do.
fn family_help(family: &str) -> String {
    FAMILIES
        .iter()
        .find(|(f, _)| *f == family)
        .map_or_else(String::new, |(f, _)| {
            family_command(f)
                .bin_name(format!("gwsonnet {f}"))
                .render_help()
                .to_string()
        })
}

/// The clap description of a family and its commands.
fn family_command(family: &'static str) -> clap::Command {
    let about = FAMILIES
        .iter()
        .find(|(f, _)| *f == family)
        .map_or("", |(_, about)| *about);
    SUBCOMMANDS
        .iter()
        .filter(|s| s.name.split_once(' ').is_some_and(|(f, _)| f == family))
        .fold(
            clap::Command::new(family)
                .about(about)
                .color(clap::ColorChoice::Never)
                .disable_help_subcommand(true)
                .subcommand_required(true),
            |cmd, spec| cmd.subcommand(build(spec)),
        )
}

/// What clap made of a command line.
enum Read {
    /// The raw flags (boxed: far larger than a help text).
    Args(Box<LowArgs>),
    /// A `--help` that clap answers itself (subcommands).
    Help(String),
}

/// Parses the command line of `spec` with clap into raw flags.
fn read(spec: &Spec, args: &[String]) -> Result<Read, Error> {
    let parsed = match spec.id {
        Name::Jsonnet => jsonnet_command().try_get_matches_from(
            std::iter::once("gwsonnet").chain(args.iter().map(|a| a.as_str())),
        ),
        // The command's (last) name stands in for the program name.
        _ => build(spec)
            .bin_name(format!("gwsonnet {}", spec.name))
            .try_get_matches_from(&args[spec.name.split(' ').count() - 1..]),
    };
    let matches = match parsed {
        Ok(m) => m,
        Err(e) if e.kind() == clap::error::ErrorKind::DisplayHelp => {
            return Ok(Read::Help(e.render().to_string()))
        }
        Err(e) if spec.id == Name::Jsonnet => return Err(go_usage_error(e)),
        Err(e) => return Err(in_context(spec, UsageError::Command(e).into())),
    };
    let low = from_matches(
        &matches,
        flags_of(spec.groups),
        spec.positional.as_ref().map(|p| p.name),
    )
    .map_err(|e| in_context(spec, e))?;
    Ok(Read::Args(Box::new(low)))
}

/// The jsonnet mode's raw flags (for the flag tests).
#[cfg(test)]
pub fn read_jsonnet(args: &[String]) -> Result<LowArgs, Error> {
    match read(&JSONNET, args)? {
        Read::Args(low) => Ok(*low),
        Read::Help(text) => panic!("the jsonnet mode's help is its own flag: {text}"),
    }
}

/// go-jsonnet's words for a bad jsonnet-mode command line.
fn go_usage_error(e: clap::Error) -> Error {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let arg = match e.get(ContextKind::InvalidArg) {
        Some(ContextValue::String(s)) => s.clone(),
        _ => String::new(),
    };
    match e.kind() {
        ErrorKind::UnknownArgument => UsageError::UnrecognizedArgument(arg),
        // A value flag at the end of the line.
        ErrorKind::InvalidValue | ErrorKind::NoEquals => UsageError::NeedsValue(arg),
        // `--exec=1`.
        ErrorKind::TooManyValues => UsageError::TakesNoValue(arg),
        _ => UsageError::JsonnetLine(e),
    }
    .into()
}

/// A subcommand's usage errors name the subcommand (the jsonnet mode's are go-jsonnet's).
fn in_context(spec: &Spec, e: Error) -> Error {
    match e {
        Error::Usage {
            command: None,
            source,
        } if spec.id != Name::Jsonnet => Error::usage_of(spec.name, source),
        Error::Flag {
            command: None,
            source,
        } if spec.id != Name::Jsonnet => Error::Flag {
            command: Some(spec.name),
            source,
        },
        other => other,
    }
}

/// Derives the command's settings from its groups' flags.
fn validate(
    spec: &Spec,
    low: LowArgs,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Command, Error> {
    Ok(match spec.id {
        Name::Docs => Command::Docs(
            low.out_dir().map_err(|e| in_context(spec, e))?,
            generated_libraries(&low, env)?,
        ),
        Name::Libsonnet => Command::Libsonnet(
            low.out_dir().map_err(|e| in_context(spec, e))?,
            generated_libraries(&low, env)?,
        ),
        // clap accepted one of the listed values.
        Name::Completions => {
            Command::Completions(match low.positional.first().map(String::as_str) {
                Some("zsh") => clap_complete::Shell::Zsh,
                Some("fish") => clap_complete::Shell::Fish,
                _ => clap_complete::Shell::Bash,
            })
        }
        Name::Man => Command::Man,
        Name::Lsp => {
            let engine = low.engine_settings(env)?;
            Command::Lsp(crate::lsp::Settings {
                base: crate::lsp::project::Base {
                    search: engine.search,
                    sources: low.library_sources(env),
                },
                eval_timeout: std::time::Duration::from_secs(10),
            })
        }
        Name::Show => Command::Show(
            low.tanka_request(env).map_err(|e| in_context(spec, e))?,
            low.color(env),
        ),
        Name::Eval => Command::Eval(
            low.tanka_request(env).map_err(|e| in_context(spec, e))?,
            low.color(env),
        ),
        Name::Export => Command::Export(
            Box::new(low.export_request(env).map_err(|e| in_context(spec, e))?),
            low.color(env),
        ),
        Name::ExportMerge => {
            Command::ExportMerge(low.merge_request().map_err(|e| in_context(spec, e))?)
        }
        Name::Validate => {
            let (files, strict, json, coverage, recursive) = low.validate_args()?;
            Command::Validate(ValidateArgs {
                engine: evaluation_engine(&low, env)?,
                files,
                recursive,
                strict,
                json,
                coverage,
                color: low.color(env),
            })
        }
        Name::ToolImports => {
            Command::ToolImports(low.tanka_request(env).map_err(|e| in_context(spec, e))?)
        }
        Name::ToolImporters => {
            let (root, files) = low.importers_request().map_err(|e| in_context(spec, e))?;
            Command::ToolImporters(root, files)
        }
        Name::ToolCachePrune => {
            Command::ToolCachePrune(low.prune_request().map_err(|e| in_context(spec, e))?)
        }
        Name::EnvList => {
            Command::EnvList(low.env_list_request(env).map_err(|e| in_context(spec, e))?)
        }
        Name::Help => Command::Help(help_of(low.positional.first().map(String::as_str))?),
        Name::Jsonnet if low.wants_help() => Command::Help(cli().render_help().to_string()),
        Name::Jsonnet if low.wants_version() => Command::Version(low.version_format()?),
        Name::Jsonnet => {
            // `--output` without `--version` is refused, not ignored.
            low.version_format()?;
            Command::Jsonnet(RunArgs {
                engine: evaluation_engine(&low, env)?,
                output: low.output()?,
                input: low.input()?,
                validate: low.validate_after_render(),
                strict: low.strict_after_render()?,
                color: low.color(env),
            })
        }
    })
}

/// The help text of `command` (of gwsonnet itself when `None`), as its `--help` prints
/// it.
fn help_of(command: Option<&str>) -> Result<String, Error> {
    let Some(name) = command else {
        return Ok(cli().render_help().to_string());
    };
    if is_family(name) {
        return Ok(family_help(name));
    }
    match SUBCOMMANDS.iter().find(|s| s.name == name) {
        Some(spec) => Ok(build(spec)
            .bin_name(format!("gwsonnet {}", spec.name))
            .render_help()
            .to_string()),
        None => Err(Error::usage_of(
            "help",
            UsageError::UnknownCommand {
                word: name.to_owned(),
                near: super::hints::did_you_mean(name, command_names()).map(str::to_owned),
                commands: command_names().collect(),
            },
        )),
    }
}

/// The names of the commands, in help order (a family's first word once).
pub fn command_names() -> impl Iterator<Item = &'static str> + Clone {
    SUBCOMMANDS
        .iter()
        .enumerate()
        .filter(|(i, s)| {
            let first = |s: &Spec| s.name.split(' ').next().unwrap_or(s.name);
            !SUBCOMMANDS[..*i]
                .iter()
                .any(|earlier| first(earlier) == first(s))
        })
        .map(|(_, s)| s.name.split(' ').next().unwrap_or(s.name))
}

/// The usage lines of gwsonnet (`Usage: gwsonnet [OPTIONS] <filename>` …).
pub fn usage() -> String {
    cli().render_usage().to_string()
}

/// The [`Group::Evaluation`] settings with the libraries of [`Group::Libraries`]: the
/// built-in library, then those `--crds`, `--crd-library` and `GWSONNET_CRDS` load.
fn evaluation_engine(
    low: &LowArgs,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<EngineSettings, Error> {
    let mut engine = low.engine_settings(env)?;
    let sources = low.library_sources(env);
    if !sources.is_empty() {
        engine.registry = Arc::new(crate::crd::add_to(
            Registry::builtin(&crate::openapi::builtin::KUBERNETES),
            &sources,
        )?);
    }
    Ok(engine)
}

/// The libraries a generator writes: the loaded ones (the `--openapi` documents' and
/// the `--kube-version` one among them), or the built-in CRD library when no library
/// flag (nor `GWSONNET_CRDS`/`GWSONNET_OPENAPI`) is given.
fn generated_libraries(
    low: &LowArgs,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Registry, Error> {
    let sources = low.library_sources(env);
    if sources.is_empty() {
        return Ok(Registry::builtin(&crate::openapi::builtin::KUBERNETES));
    }
    let crds = crate::crd::Sources {
        openapi: Vec::new(),
        kube_version: None,
        ..sources.clone()
    };
    let mut registry = crate::crd::add_to(Registry::new(), &crds)?;
    let mut versions = Vec::new();
    for source in &sources.openapi {
        let doc = crate::openapi::load_file(&source.file, source.version.as_deref())?;
        versions.push(doc.version);
        registry.insert(doc.library);
    }
    if let Some(v) = &sources.kube_version {
        if !versions.contains(v)
            && !registry.list_builtin_kubernetes(&crate::openapi::builtin::KUBERNETES, v)
        {
            return Err(UsageError::KubeVersionNotBuiltIn {
                version: v.clone(),
                built_in: crate::openapi::builtin::versions().collect(),
            }
            .into());
        }
    }
    Ok(registry)
}

/// The clap description of the jsonnet mode alone: go-jsonnet's `-h`/`-v`/`-V` are its
/// own flags, so clap's help and version flags are off.
fn jsonnet_command() -> clap::Command {
    build(&JSONNET)
        .version(env!("CARGO_PKG_VERSION"))
        .disable_help_flag(true)
        .disable_version_flag(true)
}

/// The clap description of `gwsonnet`: the jsonnet mode's flags and every subcommand.
pub fn cli() -> clap::Command {
    let mut cmd = jsonnet_command()
        .disable_help_subcommand(true)
        .override_usage(
            "gwsonnet [OPTIONS] <filename>\n       \
             gwsonnet [OPTIONS] -e <code>\n       \
             gwsonnet <COMMAND> [OPTIONS]",
        );
    for name in command_names() {
        cmd = cmd.subcommand(match SUBCOMMANDS.iter().find(|s| s.name == name) {
            Some(spec) => build(spec),
            None => family_command(name),
        });
    }
    cmd
}

/// The completion script of `shell`: clap_complete's, from the same definitions, with
/// two additions to fish's (whose generator knows only flags): values of a flag before
/// any command (`gwsonnet --color <TAB>`: its "no command yet" test failed while the
/// flag still lacked its value, so fish fell back to file names), and the values of
/// positional arguments (`help <command>`, `completions <shell>`).
pub fn completion_script(shell: clap_complete::Shell) -> Vec<u8> {
    let mut text = Vec::new();
    clap_complete::generate(shell, &mut cli(), "gwsonnet", &mut text);
    if shell != clap_complete::Shell::Fish {
        return text;
    }
    let mut text = String::from_utf8_lossy(&text).replacen(
        "2>/dev/null\n    or return\n",
        "2>/dev/null\n    or return 0\n",
        1,
    );
    for spec in SUBCOMMANDS {
        let values: Vec<&str> = match (&spec.positional, spec.id) {
            (_, Name::Help) => command_names().collect(),
            (Some(p), _) => p.values.to_vec(),
            (None, _) => continue,
        };
        if !values.is_empty() {
            text.push_str(&format!(
                "complete -c gwsonnet -n \"__fish_gwsonnet_using_subcommand {}\" -f -a \"{}\"\n",
                spec.name,
                values.join(" ")
            ));
        }
    }
    text.into_bytes()
}

/// The man page (roff): clap_mangen's sections for the jsonnet mode, then a COMMANDS
/// section with each subcommand's usage, docs and flags, from the same definitions.
pub fn man_page() -> std::io::Result<Vec<u8>> {
    use std::io::Write;
    let man = clap_mangen::Man::new(cli());
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    man.render_options_section(&mut out)?;
    writeln!(out, ".SH COMMANDS")?;
    for spec in SUBCOMMANDS {
        let usage = build(spec)
            .bin_name(format!("gwsonnet {}", spec.name))
            .render_usage()
            .to_string();
        let usage = usage.strip_prefix("Usage: ").unwrap_or(&usage);
        writeln!(out, ".SS \"{}\"", roff(usage))?;
        writeln!(out, "{}", roff(spec.about))?;
        if let Some(p) = &spec.positional {
            let values = p.values.join("|");
            let name = if values.is_empty() { p.name } else { &values };
            writeln!(out, ".TP\n\\fI{}\\fR\n{}", roff(name), roff(p.help))?;
        }
        for f in flags_of(spec.groups) {
            let mut names = String::new();
            if let Some(c) = f.short {
                names.push_str(&format!("\\fB{}\\fR, ", roff(&format!("-{c}"))));
            }
            names.push_str(&format!("\\fB{}\\fR", roff(&format!("--{}", f.long))));
            if let Some(v) = f.takes.value_name() {
                names.push_str(&format!(" \\fI<{}>\\fR", roff(v)));
            }
            writeln!(out, ".TP\n{names}\n{}", roff(f.help))?;
        }
        writeln!(out, ".PP\n.nf\n{}\n.fi", roff(spec.after_help))?;
    }
    man.render_extra_section(&mut out)?;
    man.render_version_section(&mut out)?;
    Ok(out)
}

/// `text` escaped for roff: backslashes and dashes, and no line starting a request.
fn roff(text: &str) -> String {
    let escaped = text.replace('\\', "\\e").replace('-', "\\-");
    escaped
        .lines()
        .map(|l| match l.starts_with(['.', '\'']) {
            true => format!("\\&{l}"),
            false => l.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The clap description of one command.
fn build(spec: &Spec) -> clap::Command {
    let name = spec.name.rsplit(' ').next().unwrap_or(spec.name);
    let mut cmd = clap::Command::new(name)
        .about(spec.about)
        .after_help(spec.after_help)
        .color(clap::ColorChoice::Never)
        .args_override_self(true)
        .help_template("{usage-heading} {usage}\n\n{about-with-newline}\n{all-args}{after-help}\n")
        .args(flags_of(spec.groups).map(|f| f.to_arg()));
    if let Some(p) = &spec.positional {
        let mut arg = clap::Arg::new(p.name)
            .value_name(p.name)
            .help(p.help)
            .required(p.required);
        arg = if spec.id == Name::Help {
            // Any word (see `help_of`); shells offer the commands.
            arg.value_parser(super::flags::Suggested(command_names().collect()))
        } else if p.values.is_empty() && p.required {
            // One path (a Tanka environment's directory or file).
            arg.num_args(1).value_hint(clap::ValueHint::AnyPath)
        } else if p.values.is_empty() {
            // Files, or folders (of environments, or of files to validate).
            arg.num_args(0..)
                .action(clap::ArgAction::Append)
                .value_hint(clap::ValueHint::AnyPath)
        } else {
            arg.value_parser(clap::builder::PossibleValuesParser::new(p.values))
        };
        cmd = cmd.arg(arg);
    }
    cmd
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn the_clap_description_is_consistent() {
        // clap checks names, shorts and positionals of every command here.
        cli().debug_assert();
    }

    #[test]
    fn subcommands_parse_with_clap() {
        let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let env = |_: &str| None;
        assert!(matches!(
            parse(&args(&["docs", "-o", "x"]), &env).unwrap(),
            Command::Docs(p, _) if p == Path::new("x")
        ));
        assert!(matches!(
            parse(&args(&["libsonnet", "--out=y"]), &env).unwrap(),
            Command::Libsonnet(p, _) if p == Path::new("y")
        ));
        assert!(matches!(
            parse(&args(&["completions", "fish"]), &env).unwrap(),
            Command::Completions(clap_complete::Shell::Fish)
        ));
        let e = parse(&args(&["completions", "tcsh"]), &env).unwrap_err();
        assert!(e.render().starts_with("ERROR: completions: "), "{e:?}");
        let e = parse(&args(&["docs"]), &env).unwrap_err();
        assert!(e.render().contains("--out"), "{e:?}");
    }

    #[test]
    fn dash_t_is_target_for_tanka_and_max_trace_for_jsonnet() {
        let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let env = |_: &str| None;
        let Command::Show(req, _) =
            parse(&args(&["show", "e", "-t", "a/.*,b/x", "-t", "!c"]), &env).unwrap()
        else {
            panic!("show");
        };
        assert_eq!(req.targets, ["a/.*", "b/x", "!c"]);
        let Command::Eval(req, _) =
            parse(&args(&["eval", "e", "-e", "x.y", "-A", "a=1"]), &env).unwrap()
        else {
            panic!("eval");
        };
        assert_eq!(req.expr.as_deref(), Some("x.y"));
        assert_eq!(req.engine.tla.len(), 1);
        let Command::Jsonnet(run) = parse(&args(&["-t", "7", "-e", "1"]), &env).unwrap() else {
            panic!("jsonnet");
        };
        assert_eq!(run.engine.max_trace, 7);
        assert!(parse(&args(&["eval", "e", "-t", "x"]), &env).is_err());
    }
}
