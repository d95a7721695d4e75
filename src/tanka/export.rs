//! `gwsonnet export`: Tanka's `tk export`. Every environment's processed manifests
//! become one file each, named by a Go template (`--format`, see [`crate::gocompat::template`])
//! and holding the manifest as yaml.v2 marshals it, plus `manifest.json` (file →
//! environment entry file, as Go's `json.MarshalIndent` with four spaces).
//!
//! Safety beyond Tanka: the files land through [`super::landing`] (locked against
//! other exports into the directory, staged, moved into place only when every
//! environment evaluated and every file was written, so a failed or interrupted
//! export leaves the output directory as it was). Names escaping the directory and
//! two manifests mapping to one file are errors. With `--validate`, every manifest of
//! every environment is handed to a check (the CLI's validator) before anything is
//! staged: a failed check writes nothing.
//!
//! Contact points: [`crate::cli`] builds the [`ExportRequest`]; environments are loaded
//! with [`super::environment::load_all`] (one jrsonnet engine per worker thread) and
//! processed by [`super::process`]; `--parallel` threads also write the files of a
//! fresh stage ([`super::landing`]).

use std::collections::BTreeSet;
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::cache::{self, Cache, CacheRequest, ForEnv};
use super::landing::{check_target, land, Landing};
use super::rendered::{self, Cached, Content};
use super::selector::Selector;
use super::shard::Shard;
use super::{environment, imports, manifest, process, Request};
use crate::error::{Error, TankaError};
use crate::gocompat::json as go_json;
use crate::gocompat::template::Template;
use crate::manifest::yaml_v2;
use crate::model::Registry;

/// Tanka's default file name format.
pub const DEFAULT_FORMAT: &str =
    "{{.apiVersion}}.{{.kind}}-{{or .metadata.name .metadata.generateName}}";

/// The file mapping exported files to their environments.
pub(super) const MANIFEST_FILE: &str = "manifest.json";

/// Tanka's "magic" character standing for a `/` of the template's text while rendering.
const BEL: char = '\u{7}';

/// What to do with a non-empty output directory (`--merge-strategy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MergeStrategy {
    /// Refuse it (the default).
    #[default]
    None,
    /// Keep its files; a file the export would write that exists already is an error.
    FailOnConflicts,
    /// First delete the files `manifest.json` lists for the exported environments.
    ReplaceEnvs,
}

/// An `export` request, validated.
#[derive(Debug)]
pub struct ExportRequest {
    /// The output directory.
    pub out: PathBuf,
    /// The environments (directories or entry files), or with `recursive` the folders
    /// to search.
    pub paths: Vec<PathBuf>,
    /// `--format`: the file name template, without the extension.
    pub format: String,
    /// `--extension`: appended after a `.`.
    pub extension: String,
    /// `--merge-strategy`.
    pub merge: MergeStrategy,
    /// `-r/--recursive`: every `main.jsonnet` below the paths.
    pub recursive: bool,
    /// `-p/--parallel`: environments evaluated at once.
    pub parallel: usize,
    /// `-l/--selector`: only environments whose labels it selects.
    pub selector: Selector,
    /// `--shard K/N`: only the environments of this shard.
    pub shard: Option<Shard>,
    /// `--merge-deleted-envs`: entry files (relative to the project root, as
    /// `manifest.json` names them) of environments deleted since the last export,
    /// whose files `manifest.json` lists are removed.
    pub deleted_envs: Vec<String>,
    /// `--skip-manifest`: write no `manifest.json`.
    pub skip_manifest: bool,
    /// `--cache-path` and `--cache-envs`.
    pub cache: Option<CacheRequest>,
    /// `--name`, `-t/--target`, evaluation flags and libraries (its `path` is unused).
    pub base: Request,
}

impl ExportRequest {
    /// Where and how this export writes.
    fn landing(&self) -> Landing<'_> {
        Landing {
            out: &self.out,
            merge: self.merge,
            deleted_envs: &self.deleted_envs,
            skip_manifest: self.skip_manifest,
            parallel: self.parallel,
        }
    }
}

/// One file to write.
pub(super) struct Rendered {
    /// Its path below the output directory.
    pub rel: String,
    /// Its content (an export's manifest as yaml.v2 marshals it), or the file of the
    /// export cache holding it.
    pub content: Content,
    /// The environment's entry file relative to the project root (`manifest.json`).
    pub env: String,
    /// `kind/name of environment 'name' in <entry>`, for conflict errors.
    pub what: String,
    /// The environment's name (`metadata.name`).
    pub env_name: String,
    /// The manifest and the libraries of its environment, kept for the check before
    /// writing (`--validate`).
    pub value: Option<(serde_json::Value, Arc<Registry>)>,
}

/// The check `--validate` runs on every manifest (with its environment's entry file
/// and the registry of its libraries) before anything is written; an error stops the
/// export.
pub type Check = dyn Fn(Vec<(String, serde_json::Value, &Registry)>) -> Result<(), Error>;

/// What one environment path gave: its files and its environments' entry files.
type EnvOutput = (Vec<Rendered>, Vec<String>);

/// Runs the export; returns the number of manifest files written. With
/// `req.base.validate`, `check` sees every manifest first.
pub fn export(req: &ExportRequest, check: &Check) -> Result<usize, Error> {
    let template =
        Template::parse(&replace_text_slashes(&req.format)).map_err(TankaError::Format)?;
    let landing = req.landing();
    check_target(&landing)?;
    let entries = entry_points(req)?;
    let cache = req.cache.as_ref().map(Cache::open).transpose()?;
    let outputs = evaluate_all(req, &entries, &template, cache.as_ref())?;
    if let Some(cache) = &cache {
        let (hits, misses) = cache.counts();
        eprintln!(
            "export cache {}: {hits} hits, {misses} misses",
            cache.location()
        );
    }

    let mut files: Vec<Rendered> =
        Vec::with_capacity(outputs.iter().map(|(rendered, _)| rendered.len()).sum());
    let mut envs: BTreeSet<String> = BTreeSet::new();
    for (rendered, names) in outputs {
        files.extend(rendered);
        envs.extend(names);
    }
    if req.base.validate {
        let manifests = files
            .iter_mut()
            .filter_map(|f| {
                let (value, registry) = f.value.as_mut()?;
                Some((f.env.clone(), std::mem::take(value), &**registry))
            })
            .collect();
        check(manifests)?;
    }
    let mut seen: FxHashMap<&str, &Rendered> =
        FxHashMap::with_capacity_and_hasher(files.len(), Default::default());
    for f in &files {
        if let Some(first) = seen.insert(&f.rel, f) {
            return Err(collision(first, f, &req.format));
        }
    }

    land(&landing, &files, &envs)?;
    Ok(files.len())
}

/// The error for two manifests that `format` gives the same file name: both named
/// with their environments and entry files, and how to tell them apart.
fn collision(first: &Rendered, second: &Rendered, format: &str) -> Error {
    TankaError::Collision {
        file: first.rel.clone(),
        first: first.what.clone(),
        second: second.what.clone(),
        same_environment: first.env_name == second.env_name,
        format: format.to_owned(),
    }
    .into()
}

/// The entry points to export: the paths, or every `main.jsonnet` below them; with
/// `--shard`, only those of the shard.
fn entry_points(req: &ExportRequest) -> Result<Vec<PathBuf>, Error> {
    let mut found = Vec::new();
    if req.recursive {
        for path in &req.paths {
            find_main_files(path, &mut found)?;
        }
        found.dedup();
    } else {
        found = req.paths.clone();
    }
    if let Some(shard) = req.shard {
        let mut kept = Vec::with_capacity(found.len());
        for entry in found {
            if shard.contains(&environment::entry_name(&entry)?) {
                kept.push(entry);
            }
        }
        found = kept;
    }
    Ok(found)
}

/// Appends every `main.jsonnet` at or below `dir`, in name order.
fn find_main_files(dir: &Path, found: &mut Vec<PathBuf>) -> Result<(), Error> {
    if dir.is_file() {
        if dir.file_name().is_some_and(|n| n == "main.jsonnet") {
            found.push(dir.to_owned());
        }
        return Ok(());
    }
    let mut children: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| Error::io("reading", dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    children.sort();
    for child in children {
        if child.is_dir() || child.file_name().is_some_and(|n| n == "main.jsonnet") {
            find_main_files(&child, found)?;
        }
    }
    Ok(())
}

/// Evaluates and renders every entry point on up to `req.parallel` threads, each with
/// its own engine; the first error in entry order wins.
fn evaluate_all(
    req: &ExportRequest,
    entries: &[PathBuf],
    template: &Template,
    cache: Option<&Cache>,
) -> Result<Vec<EnvOutput>, Error> {
    let next = AtomicUsize::new(0);
    // The folders' listings, read once for every environment's project root.
    let own = imports::Files::new(None);
    let files = cache.map_or(&own, Cache::files);
    let workers = req.parallel.clamp(1, entries.len().max(1));
    let progress = progress_bar(entries.len());
    let mut results: Vec<(usize, Result<EnvOutput, Error>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(entry) = entries.get(i) else { break };
                        let out = export_one(req, entry, template, cache, files);
                        progress.inc(1);
                        let failed = out.is_err();
                        done.push((i, out));
                        if failed {
                            // Stop the others early: nothing will be written anyway.
                            next.store(entries.len(), Ordering::Relaxed);
                            break;
                        }
                    }
                    done
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                // A worker that panicked leaves its entries out: fail rather than export
                // a part.
                h.join()
                    .unwrap_or_else(|_| vec![(0, Err(TankaError::WorkerFailed("worker").into()))])
            })
            .collect()
    });
    progress.finish_and_clear();
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

/// A bar of environments evaluated, on stderr when it is a terminal (hidden otherwise,
/// so pipes and CI logs get no control characters).
fn progress_bar(total: usize) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total as u64);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} environments {elapsed}")
    {
        bar.set_style(style);
    }
    bar
}

/// Loads, processes and names the manifests of the environments at one entry point.
fn export_one(
    req: &ExportRequest,
    entry: &Path,
    template: &Template,
    cache: Option<&Cache>,
    files: &imports::Files,
) -> Result<EnvOutput, Error> {
    let mut one = req.base.clone();
    one.path = entry.to_owned();
    // Found once for the libraries and the keys, through the run's listings.
    let paths = environment::Paths::find_with(entry, &|p| files.exists(p))?;
    let (engine, sources) = super::libraries_at(&one, &paths.root)?;
    let cache = match cache {
        Some(cache) => Some(ForEnv {
            cache,
            libraries: cache::libraries_fingerprint(&sources)?,
        }),
        None => None,
    };
    // The rendered layer: not with --validate, which needs the values.
    let keys = match &cache {
        Some(c) if !req.base.validate => rendered_key(req, &one, &paths, &engine, c)?,
        _ => None,
    };
    if let (Some((evaluation, key)), Some(c)) = (&keys, &cache) {
        if let Some(hit) = rendered::lookup(c.cache, key) {
            c.cache.mark_used(evaluation);
            let files = hit
                .files
                .into_iter()
                .enumerate()
                .map(|(index, f)| Rendered {
                    rel: f.rel,
                    content: Content::Linked(Cached {
                        entry: hit.entry.clone(),
                        index,
                    }),
                    env: f.env,
                    what: f.what,
                    env_name: f.env_name,
                    value: None,
                })
                .collect();
            return Ok((files, hit.envs));
        }
    }
    let (mut files, envs) = render(req, entry, template, &one, &engine, cache.as_ref())?;
    if let (Some((_, key)), Some(c)) = (&keys, &cache) {
        if let Some(entry) = rendered::store(c.cache, key, &files, &envs) {
            for (index, f) in files.iter_mut().enumerate() {
                f.content = Content::Linked(Cached {
                    entry: entry.clone(),
                    index,
                });
            }
        }
    }
    Ok((files, envs))
}

/// The key of the evaluation of the environments at `one.path` and the key of the
/// files they render to under the export's options (see [`rendered`]), when the cache
/// keeps them.
fn rendered_key(
    req: &ExportRequest,
    one: &Request,
    paths: &environment::Paths,
    engine: &crate::engine::EngineSettings,
    cache: &ForEnv,
) -> Result<Option<(cache::Key, cache::Key)>, Error> {
    let found = environment::evaluation_key(paths, one.name.as_deref(), engine, cache)?;
    Ok(found.map(|(key, root, entry)| {
        let targets = one.targets.join("\0");
        let selector = format!("{:?}", req.selector);
        let rendered = key.derive(&[
            ("root", root.as_os_str().as_encoded_bytes()),
            ("entry", entry.as_bytes()),
            ("name", one.name.as_deref().unwrap_or("").as_bytes()),
            ("format", req.format.as_bytes()),
            ("extension", req.extension.as_bytes()),
            ("targets", targets.as_bytes()),
            ("selector", selector.as_bytes()),
            ("recursive", &[u8::from(req.recursive)]),
        ]);
        (key, rendered)
    }))
}

/// Evaluates (or takes from the evaluation cache), processes and names the manifests
/// of the environments at one entry point.
fn render(
    req: &ExportRequest,
    entry: &Path,
    template: &Template,
    one: &Request,
    engine: &crate::engine::EngineSettings,
    cache: Option<&ForEnv>,
) -> Result<EnvOutput, Error> {
    let filters = process::filter::Filters::new(&one.targets)?;
    let mut loaded = environment::load_all(&one.path, one.name.as_deref(), engine, cache)?;
    if loaded.is_empty() && !req.recursive {
        return Err(TankaError::NoEnvironment {
            entry: entry.to_owned(),
        }
        .into());
    }
    loaded.retain(|l| req.selector.matches(&l.env.metadata.labels));
    let mut files = Vec::new();
    let mut envs = Vec::new();
    for env in loaded {
        envs.push(env.env.metadata.namespace.clone());
        let list = process::process(&env.env, &env.data, &filters)?;
        if list.iter().any(super::filters_environment) {
            return Err(TankaError::EnvironmentResource {
                entry: Some(entry.to_owned()),
            }
            .into());
        }
        if list.is_empty() {
            continue;
        }
        let env_value = serde_json::to_value(&env.env)
            .map(|v| to_go(&v))
            .map_err(TankaError::EnvironmentJson)?;
        for m in list {
            let what = format!(
                "{}/{} of environment '{}' in {}",
                manifest::kind(&m),
                match manifest::meta_str(&m, "name") {
                    "" => manifest::meta_str(&m, "generateName"),
                    n => n,
                },
                env.env.metadata.name,
                env.env.metadata.namespace
            );
            let value = serde_json::Value::Object(m);
            let name = template
                .render_with_env(&to_go(&value), Some(&env_value))
                .map_err(|source| TankaError::NameTemplate {
                    what: what.clone(),
                    source,
                })?;
            let rel = format!(
                "{}.{}",
                name.replace('/', "-").replace(BEL, "/"),
                req.extension
            );
            check_inside(&rel, &what)?;
            files.push(Rendered {
                rel,
                content: Content::Bytes(yaml_v2::marshal(&value).into_bytes()),
                env: env.env.metadata.namespace.clone(),
                what,
                env_name: env.env.metadata.name.clone(),
                value: req.base.validate.then(|| (value, engine.registry.clone())),
            });
        }
    }
    Ok((files, envs))
}

/// Refuses a file name that would leave the output directory or clash with
/// `manifest.json`.
pub(super) fn check_inside(rel: &str, what: &str) -> Result<(), Error> {
    let path = Path::new(rel);
    let escapes = path
        .components()
        .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir));
    if escapes || rel.is_empty() {
        return Err(TankaError::OutsideOutput {
            file: rel.to_owned(),
            what: what.to_owned(),
        }
        .into());
    }
    if rel == MANIFEST_FILE {
        return Err(TankaError::ManifestFileName {
            file: rel.to_owned(),
            what: what.to_owned(),
        }
        .into());
    }
    Ok(())
}

/// The format with every `/` of its text (outside `{{ }}`) replaced by BEL, as Tanka's
/// `replaceTmplText` does: after rendering, those become folders and the `/`s values
/// produced become `-`.
fn replace_text_slashes(format: &str) -> String {
    let mut out = String::with_capacity(format.len());
    let mut rest = format;
    while let Some(open) = rest.find("{{") {
        let Some(close) = rest[open..].find("}}").map(|c| open + c + 2) else {
            break;
        };
        out.push_str(&rest[..open].replace('/', &BEL.to_string()));
        out.push_str(&rest[open..close]);
        rest = &rest[close..];
    }
    out.push_str(&rest.replace('/', &BEL.to_string()));
    out
}

/// A JSON value as the template sees it (Go's `map[string]interface{}`).
fn to_go(v: &serde_json::Value) -> go_json::Value {
    use serde_json::Value as J;
    match v {
        J::Null => go_json::Value::Null,
        J::Bool(b) => go_json::Value::Bool(*b),
        J::Number(n) => go_json::Value::Number(n.as_f64().unwrap_or(0.0)),
        J::String(s) => go_json::Value::String(s.clone()),
        J::Array(a) => go_json::Value::Array(a.iter().map(to_go).collect()),
        J::Object(o) => {
            go_json::Value::Object(o.iter().map(|(k, v)| (k.clone(), to_go(v))).collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_slashes_become_bel_outside_actions() {
        assert_eq!(
            replace_text_slashes("a/{{ .x \"/\" }}/b"),
            "a\u{7}{{ .x \"/\" }}\u{7}b"
        );
        assert_eq!(replace_text_slashes("a/{{x"), "a\u{7}{{x");
    }

    #[test]
    fn names_stay_inside() {
        assert!(check_inside("a/b.yaml", "x").is_ok());
        assert!(check_inside("../b.yaml", "x").is_err());
        assert!(check_inside("a/../../b.yaml", "x").is_err());
        assert!(check_inside("/etc/b.yaml", "x").is_err());
        assert!(check_inside("manifest.json", "x").is_err());
    }
}
