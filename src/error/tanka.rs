//! What can go wrong with a Tanka environment or its export, one variant per cause
//! ([`TankaError`]), each with the text Tanka (or gwsonnet, where Tanka has none) prints
//! for it. Callers and tests match on the variant; the text is made only by `Display`.
//!
//! Contact points: every step of `crate::tanka` returns these inside
//! [`super::Error::Tanka`], which `crate::cli::run` renders as `ERROR: <text>`.

use std::path::PathBuf;

use serde_json::{Map, Value};

use crate::gocompat::{regexp::RegexpError, template::TemplateError};
use crate::manifest::yaml_v2;

/// Why a Tanka command failed.
#[derive(Debug, thiserror::Error)]
pub enum TankaError {
    /// No `tkrc.yaml` or `jsonnetfile.json` above the environment.
    #[error("unable to identify the project root.\nTried to find 'tkrc.yaml' or 'jsonnetfile.json' in the parent directories.\nPlease refer to https://tanka.dev/directory-structure for more information")]
    NoProjectRoot,
    /// No entry file (`main.jsonnet` or the one named) between the path and the root.
    #[error("Unable to identify the environments base directory.\nTried to find '{filename}' in the parent directories.\nPlease refer to https://tanka.dev/directory-structure for more information")]
    NoBaseDirectory {
        /// The entry file looked for.
        filename: String,
    },
    /// `spec.json` is not JSON.
    #[error("parsing spec.json: {}: {source}", path.display())]
    SpecJson {
        /// The `spec.json` file.
        path: PathBuf,
        /// The JSON error, with its line and column.
        source: serde_json::Error,
    },
    /// An environment (`spec.json` or inline) does not have Tanka's environment shape.
    #[error("parsing {what}: {source}")]
    Spec {
        /// `spec.json` or `inline environment`.
        what: &'static str,
        /// The field that does not fit.
        source: serde_json::Error,
    },
    /// Several inline environments, and `--name` (if given) picks none of them.
    #[error("found several inline environments{} in '{}'; use --name to pick one of: {}",
        matching(name.as_deref()), path.display(), names.join(", "))]
    AmbiguousEnvironment {
        /// The environment path given.
        path: PathBuf,
        /// `--name`, when given.
        name: Option<String>,
        /// The names found, sorted.
        names: Vec<String>,
    },
    /// No inline environment (matching `--name`, when given).
    #[error("found no inline environment{} in '{}'{}", matching(name.as_deref()),
        path.display(), available(name.as_deref(), names))]
    NoInlineEnvironment {
        /// The environment path given.
        path: PathBuf,
        /// `--name`, when given.
        name: Option<String>,
        /// With `--name`: every inline environment there is (to pick from).
        names: Vec<String>,
    },
    /// An `export` path holds no environment at all.
    #[error("found no environment in '{}'", entry.display())]
    NoEnvironment {
        /// The entry file or directory.
        entry: PathBuf,
    },
    /// The manifests include an `Environment` (a `spec.json` environment whose data
    /// also holds inline environments).
    #[error("found a tanka Environment resource{}. Check that you aren't using a spec.json and inline environments simultaneously",
        entry.as_ref().map(|e| format!(" in '{}'", e.display())).unwrap_or_default())]
    EnvironmentResource {
        /// The entry file (`export` names it).
        entry: Option<PathBuf>,
    },
    /// The evaluated JSON could not be read back.
    #[error("decoding the evaluated JSON: {0}")]
    DecodeJson(#[source] serde_json::Error),
    /// The evaluated JSON nests deeper than Tanka's Go decoder reads.
    #[error("decoding the evaluated JSON: nested {depth} levels deep, more than the {limit} Tanka's JSON decoder reads")]
    TooDeep {
        /// How deep the JSON nests.
        depth: usize,
        /// Go's `encoding/json` limit.
        limit: usize,
    },
    /// Extracting the manifests of an environment failed.
    #[error("got an error while extracting env `{env}`: {source}")]
    Extract {
        /// The environment's name.
        env: String,
        /// What was wrong.
        source: Box<TankaError>,
    },
    /// A primitive value outside any manifest (Tanka's `ErrorPrimitiveReached`).
    #[error("found invalid Kubernetes object (at {path}): {why}\n\n{}", yaml_v2::marshal(&Value::Object(object.clone())))]
    NotAnObject {
        /// The path of the object or array holding the value.
        path: String,
        /// The innermost object around it (empty when there is none).
        object: Map<String, Value>,
        /// Why that object is no manifest.
        why: String,
    },
    /// A manifest fails Tanka's schema check (`SchemaError`).
    #[error("{}", schema_error(name, fields, object))]
    InvalidManifest {
        /// Its path (`.a.b`, `.l.items[0]`).
        name: String,
        /// The invalid fields and why, sorted.
        fields: Vec<(String, String)>,
        /// The manifest.
        object: Map<String, Value>,
    },
    /// A list item that is not an object.
    #[error("unwrapped list item is not an object, but '{go_type}'")]
    ListItemNotObject {
        /// Go's name of the item's type.
        go_type: &'static str,
    },
    /// The environment label cannot be computed from a field.
    #[error("failed to get name label: could not get the value of {field} as a string")]
    NameLabel {
        /// The field (`.metadata.name`).
        field: String,
    },
    /// A `-t/--target` expression is no regular expression.
    #[error("invalid --target expression `{expr}`: {source}\nSee https://tanka.dev/output-filtering/#regular-expressions for details on regular expressions.")]
    Target {
        /// The expression as given.
        expr: String,
        /// The regular expression error.
        source: RegexpError,
    },
    /// `--format` is no valid template.
    #[error("parsing format: {0}")]
    Format(#[source] TemplateError),
    /// The format's template fails on a manifest.
    #[error("executing name template for {what}: {source}")]
    NameTemplate {
        /// The manifest and its environment.
        what: String,
        /// The template error.
        source: TemplateError,
    },
    /// The environment could not be given to the template as JSON.
    #[error("environment as JSON: {0}")]
    EnvironmentJson(#[source] serde_json::Error),
    /// The output directory is not empty and no merge strategy was given.
    #[error("output dir `{}` not empty. Pass a different --merge-strategy to ignore this: fail-on-conflicts (keep its files) or replace-envs (replace the files of the exported environments)", out.display())]
    DirectoryNotEmpty {
        /// The output directory.
        out: PathBuf,
    },
    /// The output directory is `/` (the stage goes beside it).
    #[error("cannot export into `{}`: give a directory below it", out.display())]
    NoParentDirectory {
        /// The output directory as given.
        out: PathBuf,
    },
    /// Two manifests get the same file name.
    #[error("two manifests map to the file '{file}': {first} and {second}; {}", collision_fix(*same_environment, format))]
    Collision {
        /// The file name, relative to the output directory.
        file: String,
        /// The first manifest and its environment.
        first: String,
        /// The second manifest and its environment.
        second: String,
        /// Whether both come from one environment.
        same_environment: bool,
        /// `--format`.
        format: String,
    },
    /// A file name leaves the output directory (or is empty).
    #[error("the file name '{file}' of {what} leaves the output directory")]
    OutsideOutput {
        /// The file name.
        file: String,
        /// The manifest and its environment.
        what: String,
    },
    /// A file name is the export's own `manifest.json`.
    #[error("the file name '{file}' of {what} is the export's own manifest.json")]
    ManifestFileName {
        /// The file name.
        file: String,
        /// The manifest and its environment.
        what: String,
    },
    /// The output directory's `manifest.json` is not JSON.
    #[error("reading {}: {source}", path.display())]
    ManifestJson {
        /// The `manifest.json` file.
        path: PathBuf,
        /// The JSON error.
        source: serde_json::Error,
    },
    /// With `fail-on-conflicts`, a file to write exists already.
    #[error("file '{}' already exists. Aborting", path.display())]
    FileExists {
        /// The file, below the output directory as given.
        path: PathBuf,
    },
    /// Something two shards of `export-merge` both hold.
    #[error("{what} is in two shards, {} and {}: were they exported with the same --shard K/N, or one shard twice?", first.display(), second.display())]
    ShardConflict {
        /// The file or environment.
        what: String,
        /// The first shard.
        first: PathBuf,
        /// The second shard.
        second: PathBuf,
    },
    /// A shard given to `export-merge` is not a directory.
    #[error("shard `{}` is not a directory", dir.display())]
    ShardNotDirectory {
        /// The shard.
        dir: PathBuf,
    },
    /// A shard has files but no `manifest.json`.
    #[error("shard `{}` has files but no manifest.json (exported with --skip-manifest?); merge with --skip-manifest to join such shards", dir.display())]
    ShardWithoutManifest {
        /// The shard.
        dir: PathBuf,
    },
    /// A shard's `manifest.json` lists a file the shard lacks.
    #[error("{} lists '{file}', which the shard does not have", manifest.display())]
    ShardMissingFile {
        /// The shard's `manifest.json`.
        manifest: PathBuf,
        /// The file listed.
        file: String,
    },
    /// A shard holds a file its `manifest.json` does not list.
    #[error("shard file '{}' is not listed in {}", file.display(), manifest.display())]
    ShardUnlistedFile {
        /// The file.
        file: PathBuf,
        /// The shard's `manifest.json`.
        manifest: PathBuf,
    },
    /// A shard holds something other than files and directories.
    #[error("shard entry `{}` is not a file or directory (export writes only those)", path.display())]
    ShardEntryNotFile {
        /// The entry.
        path: PathBuf,
    },
    /// An import of the import graph resolves to no file.
    #[error("{file}:{line}:{column}: couldn't open import {path:?}: no match locally or in the Jsonnet library paths")]
    MissingImport {
        /// The importing file, as shown.
        file: String,
        /// The import's line.
        line: usize,
        /// The import's column.
        column: usize,
        /// The imported path.
        path: String,
    },
    /// An import of the import graph resolves to something that cannot be imported.
    #[error("{file}:{line}:{column}: {keyword} {path:?}: {why}")]
    UnusableImport {
        /// The importing file, as shown.
        file: String,
        /// The import's line.
        line: usize,
        /// The import's column.
        column: usize,
        /// `import`, `importstr` or `importbin`.
        keyword: &'static str,
        /// The imported path.
        path: String,
        /// Why it cannot be imported.
        why: String,
    },
    /// A file named to `importers` does not exist.
    #[error("file {file:?} does not exist")]
    NoSuchFile {
        /// The file as given.
        file: String,
    },
    /// A symbolic link of the project leads back to itself.
    #[error("symlink loop at {path}: too many levels of symbolic links")]
    SymlinkLoop {
        /// The link, as shown.
        path: String,
    },
    /// Listing the environments of one entry file failed.
    #[error("{}: {}", main.display(), error.message())]
    InEnvironment {
        /// The entry file.
        main: PathBuf,
        /// The failure.
        error: Box<super::Error>,
    },
    /// A worker thread of the export panicked.
    #[error("an export {0} failed")]
    WorkerFailed(&'static str),
    /// SIGINT, SIGTERM or SIGHUP (named) arrived while the export was written.
    #[error("interrupted ({0}): the output directory was left as it was")]
    Interrupted(&'static str),

    /// The object store client of `--cache-path` could not start its runtime.
    #[error("starting the object store client: {0}")]
    CacheClient(#[source] std::io::Error),
}

/// ` matching --name 'n'` when a name was given.
fn matching(name: Option<&str>) -> String {
    name.map(|n| format!(" matching --name '{n}'"))
        .unwrap_or_default()
}

/// With `--name`, the inline environments there are: `; it has: a, b` or `; it has none`.
fn available(name: Option<&str>, names: &[String]) -> String {
    match (name, names) {
        (None, _) => String::new(),
        (Some(_), []) => "; it has none".to_owned(),
        (Some(_), names) => format!("; it has: {}", names.join(", ")),
    }
}

/// How to tell two manifests of one file name apart.
fn collision_fix(same_environment: bool, format: &str) -> String {
    if same_environment {
        "make --format tell them apart (e.g. with {{.metadata.namespace}} or {{.metadata.name}})"
            .to_owned()
    } else {
        format!(
            "put the environment in the names, e.g. --format '{{{{env.metadata.name}}}}/{format}'"
        )
    }
}

/// Tanka's `SchemaError` text (without colours): the fields, then the object's first
/// ten lines of YAML.
fn schema_error(name: &str, fields: &[(String, String)], m: &Map<String, Value>) -> String {
    let mut msg = format!("{name} has missing or invalid fields:\n");
    for (k, why) in fields {
        msg.push_str(&format!("  - {k}: {why}\n"));
    }
    msg.push_str("\nPlease check below object:\n");
    let yaml = yaml_v2::marshal(&Value::Object(m.clone()));
    let lines: Vec<&str> = yaml.trim().split('\n').collect();
    let mut sample = lines[..lines.len().min(10)].join("\n");
    if lines.len() >= 10 {
        sample.push_str("\n...");
    }
    msg.push_str("  ");
    msg.push_str(&sample.replace('\n', "\n  "));
    msg
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn texts_of_the_environment_errors() {
        let e = TankaError::AmbiguousEnvironment {
            path: "envs/a".into(),
            name: Some("x".into()),
            names: vec!["x-1".into(), "x-2".into()],
        };
        assert_eq!(
            e.to_string(),
            "found several inline environments matching --name 'x' in 'envs/a'; use --name to pick one of: x-1, x-2"
        );
        let e = TankaError::NoInlineEnvironment {
            path: "envs/a".into(),
            name: Some("nope".into()),
            names: vec![],
        };
        assert_eq!(
            e.to_string(),
            "found no inline environment matching --name 'nope' in 'envs/a'; it has none"
        );
        let e = TankaError::NoInlineEnvironment {
            path: "envs/a".into(),
            name: None,
            names: vec![],
        };
        assert_eq!(e.to_string(), "found no inline environment in 'envs/a'");
    }

    #[test]
    fn an_environment_failure_is_reported_in_its_line() {
        let inner = super::super::Error::from(TankaError::NoProjectRoot);
        let e = TankaError::InEnvironment {
            main: "envs/a/main.jsonnet".into(),
            error: Box::new(inner),
        };
        assert!(e
            .to_string()
            .starts_with("envs/a/main.jsonnet: unable to identify the project root.\nTried"));
        assert!(!e.to_string().ends_with('\n'));
    }

    #[test]
    fn collisions_say_how_to_tell_the_files_apart() {
        let e = |same_environment| TankaError::Collision {
            file: "v1.ConfigMap-a.yaml".into(),
            first: "ConfigMap/a of environment 'x' in x/main.jsonnet".into(),
            second: "ConfigMap/a of environment 'y' in y/main.jsonnet".into(),
            same_environment,
            format: "{{.kind}}".into(),
        };
        assert!(e(false).to_string().ends_with(
            "; put the environment in the names, e.g. --format '{{env.metadata.name}}/{{.kind}}'"
        ));
        assert!(e(true)
            .to_string()
            .ends_with("(e.g. with {{.metadata.namespace}} or {{.metadata.name}})"));
    }

    #[test]
    fn schema_errors_show_the_object() {
        let e = TankaError::InvalidManifest {
            name: ".a".into(),
            fields: vec![("metadata.name".into(), "missing".into())],
            object: json!({"kind": "K"}).as_object().unwrap().clone(),
        };
        assert_eq!(
            e.to_string(),
            ".a has missing or invalid fields:\n  - metadata.name: missing\n\nPlease check below object:\n  kind: K"
        );
    }
}
