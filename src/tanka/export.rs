//! `gwsonnet export`: Tanka's `tk export`. Every environment's processed manifests
//! become one file each, named by a Go template (`--format`, see [`crate::gocompat::template`])
//! and holding the manifest as yaml.v2 marshals it, plus `manifest.json` (file →
//! environment entry file, as Go's `json.MarshalIndent` with four spaces).
//!
//! Safety beyond Tanka: the whole export is staged in a sibling temporary directory
//! (the existing files hard-linked in when merging) and swapped into place only when
//! every environment evaluated and every file was written, so a failed export leaves
//! the output directory as it was; SIGINT while writing stops, removes the stage and
//! fails the same way. Names escaping the directory and two manifests mapping to one
//! file are errors. With `--validate`, every manifest of every environment is handed
//! to a check (the CLI's validator) before anything is staged: a failed check writes
//! nothing.
//!
//! Contact points: [`crate::cli`] builds the [`ExportRequest`]; environments are loaded
//! with [`super::environment::load_all`] (one jrsonnet engine per worker thread) and
//! processed by [`super::process`]; `--parallel` threads also write the files of a
//! fresh stage.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use super::cache::{self, Cache, CacheRequest, ForEnv};
use super::selector::Selector;
use super::shard::Shard;
use super::{environment, manifest, process, Request};
use crate::error::{Error, TankaError};
use crate::gocompat::json as go_json;
use crate::gocompat::template::Template;
use crate::manifest::{go_json_indent, yaml_v2};
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

/// How an export's files land in its output directory (`export` and `export-merge`).
pub(super) struct Landing<'a> {
    /// The output directory.
    pub out: &'a Path,
    /// `--merge-strategy`.
    pub merge: MergeStrategy,
    /// `--merge-deleted-envs`.
    pub deleted_envs: &'a [String],
    /// `--skip-manifest`.
    pub skip_manifest: bool,
    /// Threads writing the files of a fresh stage.
    pub parallel: usize,
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
    /// Its content (an export's manifest as yaml.v2 marshals it).
    pub bytes: Vec<u8>,
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
    let template = Template::parse(&replace_text_slashes(&req.format))
        .map_err(|e| TankaError::Format(e.to_string()))?;
    let landing = req.landing();
    let merging = check_target(&landing)?;
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

    let mut files: Vec<Rendered> = Vec::new();
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
    let mut seen: HashMap<&str, &Rendered> = HashMap::new();
    for f in &files {
        if let Some(first) = seen.insert(&f.rel, f) {
            return Err(collision(first, f, &req.format));
        }
    }

    land(&landing, merging, &files, &envs)?;
    Ok(files.len())
}

/// Whether the output directory has files to merge with; an error when it has and
/// no merge strategy was given.
pub(super) fn check_target(landing: &Landing) -> Result<bool, Error> {
    let existing = match fs::read_dir(landing.out) {
        Ok(mut entries) => entries.next().is_some(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(e) => return Err(Error::io("checking target dir", landing.out, e)),
    };
    if existing && landing.merge == MergeStrategy::None {
        return Err(TankaError::DirectoryNotEmpty {
            out: landing.out.to_owned(),
        }
        .into());
    }
    Ok(existing)
}

/// Writes `files` (of the environments `envs`) into a stage beside the output
/// directory, merged with its files when `merging`, and swaps the stage into place.
pub(super) fn land(
    landing: &Landing,
    merging: bool,
    files: &[Rendered],
    envs: &BTreeSet<String>,
) -> Result<(), Error> {
    let target = resolve(landing.out)?;
    // From here on, SIGINT stops the writing and removes the stage (before, the default
    // action ends the process with nothing written).
    let _sigint = SigintGuard::install();
    let stage = Stage::create(&target)?;
    let result = stage.fill(landing, merging, files, envs);
    let result = result.and_then(|()| interrupted());
    match result.and_then(|()| stage.swap_into(&target)) {
        Ok(()) => Ok(()),
        Err(e) => {
            stage.discard();
            Err(e)
        }
    }
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

/// The output directory as an absolute path without `.`/`..` (so its parent and name,
/// where the stage goes, are never inside it).
fn resolve(out: &Path) -> Result<PathBuf, Error> {
    let absolute = match fs::canonicalize(out) {
        Ok(p) => p,
        Err(_) => std::path::absolute(out).map_err(|e| Error::io("resolving", out, e))?,
    };
    let mut clean = PathBuf::new();
    for c in absolute.components() {
        match c {
            Component::ParentDir => {
                clean.pop();
            }
            Component::CurDir => {}
            other => clean.push(other),
        }
    }
    if clean.file_name().is_none() {
        return Err(TankaError::NoParentDirectory {
            out: out.to_owned(),
        }
        .into());
    }
    Ok(clean)
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
                        let out = export_one(req, entry, template, cache);
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
) -> Result<EnvOutput, Error> {
    let mut one = req.base.clone();
    one.path = entry.to_owned();
    let filters = process::filter::Filters::new(&one.targets)?;
    let engine = super::engine_with_libraries(&one)?;
    let cache = match cache {
        Some(cache) => Some(ForEnv {
            cache,
            libraries: cache::libraries_fingerprint(&super::library_sources(&one)?)?,
        }),
        None => None,
    };
    let mut loaded =
        environment::load_all(&one.path, one.name.as_deref(), &engine, cache.as_ref())?;
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
                .map_err(|e| TankaError::NameTemplate {
                    what: what.clone(),
                    message: e.to_string(),
                })?;
            let rel = format!(
                "{}.{}",
                name.replace('/', "-").replace(BEL, "/"),
                req.extension
            );
            check_inside(&rel, &what)?;
            files.push(Rendered {
                rel,
                bytes: yaml_v2::marshal(&value).into_bytes(),
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
fn check_inside(rel: &str, what: &str) -> Result<(), Error> {
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

/// The sibling directory an export is built in.
struct Stage {
    dir: PathBuf,
}

impl Stage {
    /// Creates `.<out name>.gwsonnet-export-<pid>` next to `out` (and `out`'s parents).
    fn create(out: &Path) -> Result<Self, Error> {
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).map_err(|e| Error::io("creating", &parent, e))?;
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "export".into());
        let dir = parent.join(format!(".{name}.gwsonnet-export-{}", std::process::id()));
        if dir.exists() {
            let _ = fs::remove_dir_all(&dir);
        }
        fs::create_dir(&dir).map_err(|e| Error::io("creating", &dir, e))?;
        Ok(Self { dir })
    }

    /// Writes the export into the stage: the existing files when merging (minus those
    /// `replace-envs` and `--merge-deleted-envs` delete), the new files, and the merged
    /// `manifest.json` (unless `--skip-manifest`).
    fn fill(
        &self,
        landing: &Landing,
        merging: bool,
        files: &[Rendered],
        envs: &BTreeSet<String>,
    ) -> Result<(), Error> {
        let mut map: BTreeMap<String, String> = BTreeMap::new();
        let mut deleted = false;
        if merging {
            link_tree(landing.out, &self.dir)?;
            let manifest = landing.out.join(MANIFEST_FILE);
            let mut has_manifest = true;
            match fs::read(&manifest) {
                Ok(bytes) => {
                    map = serde_json::from_slice(&bytes).map_err(|source| {
                        TankaError::ManifestJson {
                            path: manifest.clone(),
                            source,
                        }
                    })?;
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => has_manifest = false,
                Err(e) => return Err(Error::io("reading", manifest, e)),
            }
            let replacing = landing.merge == MergeStrategy::ReplaceEnvs && !envs.is_empty();
            if !has_manifest && (replacing || !landing.deleted_envs.is_empty()) {
                eprintln!(
                    "WARNING: no manifest file found at {}, skipping deletion of previously exported manifests",
                    manifest.display()
                );
            }
            let doomed = |env: &String| {
                (landing.merge == MergeStrategy::ReplaceEnvs && envs.contains(env))
                    || landing.deleted_envs.contains(env)
            };
            let gone: Vec<String> = map
                .iter()
                .filter(|(_, env)| doomed(env))
                .map(|(file, _)| file.clone())
                .collect();
            for file in gone {
                check_inside(&file, MANIFEST_FILE)?;
                let path = self.dir.join(&file);
                match fs::remove_file(&path) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => return Err(Error::io("deleting", path, e)),
                }
                map.remove(&file);
                deleted = true;
            }
        }
        // Into a fresh stage, `--parallel` threads write (thousands of small files
        // are mostly system time); each takes a contiguous run of the files, so the
        // first failure in file order is the one reported.
        let workers = if merging { 1 } else { landing.parallel.max(1) };
        let run = files.len().div_ceil(workers).max(1);
        let written: Vec<Result<(), Error>> = std::thread::scope(|scope| {
            let handles: Vec<_> = files
                .chunks(run)
                .map(|part| scope.spawn(|| self.write_files(landing.out, part)))
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| Err(TankaError::WorkerFailed("writer").into()))
                })
                .collect()
        });
        written.into_iter().collect::<Result<(), Error>>()?;
        for f in files {
            map.insert(f.rel.clone(), f.env.clone());
        }
        if (!files.is_empty() || deleted) && !landing.skip_manifest {
            let path = self.dir.join(MANIFEST_FILE);
            fs::write(&path, manifest_json(&map)).map_err(|e| Error::io("writing", &path, e))?;
        }
        Ok(())
    }

    /// Writes `files` into the stage, in order; a file already there (when merging)
    /// is an error naming its place in `out`.
    fn write_files(&self, out: &Path, files: &[Rendered]) -> Result<(), Error> {
        for f in files {
            interrupted()?;
            let path = self.dir.join(&f.rel);
            if path.exists() {
                return Err(TankaError::FileExists {
                    path: out.join(&f.rel),
                }
                .into());
            }
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent).map_err(|e| Error::io("creating", parent, e))?;
            }
            fs::write(&path, &f.bytes).map_err(|e| Error::io("writing", &path, e))?;
        }
        Ok(())
    }

    /// Puts the stage in the place of `out`: a rename when `out` is absent, else an
    /// atomic exchange (Linux `renameat2`), falling back to two renames.
    fn swap_into(&self, out: &Path) -> Result<(), Error> {
        if !out.exists() {
            return fs::rename(&self.dir, out).map_err(|e| Error::io("moving into place", out, e));
        }
        if exchange(&self.dir, out).is_ok() {
            // The stage now holds the old directory.
            let _ = fs::remove_dir_all(&self.dir);
            return Ok(());
        }
        let old = self.dir.with_extension("old");
        fs::rename(out, &old).map_err(|e| Error::io("moving aside", out, e))?;
        if let Err(e) = fs::rename(&self.dir, out) {
            let _ = fs::rename(&old, out);
            return Err(Error::io("moving into place", out, e));
        }
        let _ = fs::remove_dir_all(&old);
        Ok(())
    }

    /// Removes the stage after a failure.
    fn discard(&self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// Set by SIGINT while [`SigintGuard`] is installed.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// The SIGINT handler: only records the signal (async-signal-safe).
extern "C" fn on_sigint(_: libc::c_int) {
    INTERRUPTED.store(true, Ordering::SeqCst);
}

/// An error once SIGINT arrived.
fn interrupted() -> Result<(), Error> {
    match INTERRUPTED.load(Ordering::SeqCst) {
        true => Err(TankaError::Interrupted.into()),
        false => Ok(()),
    }
}

/// Catches SIGINT while the export is written; the previous handler is restored on
/// drop.
struct SigintGuard {
    previous: libc::sighandler_t,
}

impl SigintGuard {
    fn install() -> Self {
        let handler: extern "C" fn(libc::c_int) = on_sigint;
        // SAFETY: the handler only stores to an atomic.
        let previous = unsafe { libc::signal(libc::SIGINT, handler as libc::sighandler_t) };
        Self { previous }
    }
}

impl Drop for SigintGuard {
    fn drop(&mut self) {
        // SAFETY: puts back the handler `install` replaced.
        unsafe { libc::signal(libc::SIGINT, self.previous) };
    }
}

/// Swaps two paths atomically (Linux `renameat2(RENAME_EXCHANGE)`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| {
        CString::new(p.as_os_str().as_bytes()).map_err(|_| std::io::Error::other("NUL in path"))
    };
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: both are valid NUL-terminated paths for the duration of the call.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    match rc {
        0 => Ok(()),
        _ => Err(std::io::Error::last_os_error()),
    }
}

/// Elsewhere there is no atomic exchange: the caller falls back to two renames.
#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

/// Recreates `from`'s tree in `to`, hard-linking files (copying where links fail).
fn link_tree(from: &Path, to: &Path) -> Result<(), Error> {
    for entry in fs::read_dir(from).map_err(|e| Error::io("reading", from, e))? {
        let entry = entry.map_err(|e| Error::io("reading", from, e))?;
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        let kind = entry
            .file_type()
            .map_err(|e| Error::io("reading", &src, e))?;
        if kind.is_dir() {
            fs::create_dir(&dst).map_err(|e| Error::io("creating", &dst, e))?;
            link_tree(&src, &dst)?;
        } else if kind.is_symlink() {
            let target = fs::read_link(&src).map_err(|e| Error::io("reading", &src, e))?;
            std::os::unix::fs::symlink(target, &dst).map_err(|e| Error::io("creating", &dst, e))?;
        } else if fs::hard_link(&src, &dst).is_err() {
            fs::copy(&src, &dst).map_err(|e| Error::io("copying", &src, e))?;
        }
    }
    Ok(())
}

/// `json.MarshalIndent(map, "", "    ")` of a `map[string]string`: sorted keys, no
/// trailing newline.
fn manifest_json(map: &BTreeMap<String, String>) -> String {
    let map = map
        .iter()
        .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
        .collect();
    go_json_indent::marshal_indent(&serde_json::Value::Object(map), "    ")
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

    #[test]
    fn manifest_json_is_go_marshal_indent() {
        let mut m = BTreeMap::new();
        m.insert("b<.yaml".to_owned(), "e/main.jsonnet".to_owned());
        m.insert("a.yaml".to_owned(), "e/main.jsonnet".to_owned());
        assert_eq!(
            manifest_json(&m),
            "{\n    \"a.yaml\": \"e/main.jsonnet\",\n    \"b\\u003c.yaml\": \"e/main.jsonnet\"\n}"
        );
        assert_eq!(manifest_json(&BTreeMap::new()), "{}");
    }
}
