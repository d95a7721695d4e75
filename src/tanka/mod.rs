//! Tanka compatibility: rendering of Tanka environments — `show` (the processed
//! manifests as Tanka's YAML stream), `eval` (the evaluated value as Tanka's JSON) and
//! `export` ([`export`]: one file per manifest, named by [`crate::gocompat::template`]).
//! Tanka's native functions (`std.native('parseYaml')` and friends) are the engine's
//! (`src/engine/tanka_natives.rs`), registered for every command, so Tanka code using
//! `tanka-util` evaluates under gwsonnet.
//!
//! Data path: [`environment`] finds the environment and evaluates it through
//! [`crate::engine`] → [`process`] turns the value into sorted manifests →
//! [`crate::manifest`] writes them as Go's yaml.v2 / `encoding/json` would.
//! Contact points: [`crate::cli`] parses the flags into a [`Request`] and prints what
//! [`show`] and [`eval`] return.

pub mod cache;
pub mod environment;
pub mod envs;
pub mod export;
pub mod imports;
mod landing;
pub mod manifest;
pub mod merge;
pub mod process;
pub mod prune;
mod rendered;
pub mod selector;
pub mod shard;
pub mod spec;

use std::path::PathBuf;

use crate::engine::EngineSettings;
use crate::error::{Error, TankaError};
use crate::manifest::{go_json_indent, yaml_v2};

/// A `show` or `eval` request, validated (`export` holds one per environment).
#[derive(Debug, Clone)]
pub struct Request {
    /// The environment: its directory or entry file.
    pub path: PathBuf,
    /// `--name`: which inline environment (`show`).
    pub name: Option<String>,
    /// `-t/--target` expressions (`show`).
    pub targets: Vec<String>,
    /// `-e/--eval`: an expression on the output (`eval`).
    pub expr: Option<String>,
    /// `--validate`: the caller checks the rendered objects ([`Rendered::value`]).
    pub validate: bool,
    /// `--strict` of `--validate`: objects of kinds with no schema are errors.
    pub strict: bool,
    /// Ext vars, TLAs and the stack limit from the flags.
    pub engine: EngineSettings,
    /// `--crds`, `--crd-library` and `GWSONNET_CRDS`; the project's `crds/` folder is
    /// added to them.
    pub libraries: crate::crd::Sources,
}

/// What `show` or `eval` rendered.
pub struct Rendered {
    /// The text to print.
    pub text: String,
    /// The rendered value: `show`'s manifests as an array, `eval`'s value.
    pub value: serde_json::Value,
    /// The libraries the environment saw (for `--validate`).
    pub registry: std::sync::Arc<crate::model::Registry>,
}

/// The engine settings with the libraries the environment sees: the built-in one, then
/// the [`library_sources`].
pub(crate) fn engine_with_libraries(req: &Request) -> Result<EngineSettings, Error> {
    let root = environment::Paths::find(&req.path)?.root;
    Ok(libraries_at(req, &root)?.0)
}

/// [`engine_with_libraries`] for the environment of the project at `root`, with the
/// [`library_sources`] it was made from (the export cache keys on them).
pub(crate) fn libraries_at(
    req: &Request,
    root: &std::path::Path,
) -> Result<(EngineSettings, crate::crd::Sources), Error> {
    let sources = library_sources(req, root);
    let mut engine = req.engine.clone();
    if !sources.is_empty() {
        engine.registry = loaded_registry(&sources)?;
    }
    Ok((engine, sources))
}

/// Where the environment's libraries come from besides the built-in one: the project's
/// `crds/` folder (at the project `root`, loaded without any flag), then the
/// `--crds`/`--crd-library` sources.
fn library_sources(req: &Request, root: &std::path::Path) -> crate::crd::Sources {
    let mut sources = req.libraries.clone();
    let project_crds = root.join("crds");
    if project_crds.is_dir() {
        sources.add_project_crds(project_crds);
    }
    sources
}

/// The registry of `sources`, loaded once per process: `export` evaluates every
/// environment of a project with the same `crds/` folder, and reading the YAML again
/// for each would cost as much as the first time.
fn loaded_registry(
    sources: &crate::crd::Sources,
) -> Result<std::sync::Arc<crate::model::Registry>, Error> {
    use std::sync::{Arc, Mutex, OnceLock};
    type Loaded = Vec<(crate::crd::Sources, Arc<crate::model::Registry>)>;
    static LOADED: OnceLock<Mutex<Loaded>> = OnceLock::new();
    let loaded = LOADED.get_or_init(Mutex::default);
    let mut loaded = loaded
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some((_, registry)) = loaded.iter().find(|(s, _)| s == sources) {
        return Ok(registry.clone());
    }
    let registry = Arc::new(crate::crd::add_to(
        crate::model::Registry::builtin(&crate::openapi::builtin::KUBERNETES),
        sources,
    )?);
    loaded.push((sources.clone(), registry.clone()));
    Ok(registry)
}

/// `show`: the environment's manifests, processed, as a yaml.v2 stream (`---` between
/// documents; empty when there are none).
pub fn show(req: &Request) -> Result<Rendered, Error> {
    let filters = process::filter::Filters::new(&req.targets)?;
    let engine = engine_with_libraries(req)?;
    let loaded = environment::load(&req.path, req.name.as_deref(), &engine)?;
    let list = process::process(&loaded.env, &loaded.data, &filters)?;
    if list.iter().any(filters_environment) {
        return Err(TankaError::EnvironmentResource { entry: None }.into());
    }
    let docs: Vec<serde_json::Value> = list.into_iter().map(serde_json::Value::Object).collect();
    Ok(Rendered {
        text: yaml_v2::encode_stream(&docs),
        value: serde_json::Value::Array(docs),
        registry: engine.registry,
    })
}

/// Whether Tanka's `Environment/.*` filter matches the manifest.
fn filters_environment(m: &manifest::Manifest) -> bool {
    manifest::kind(m).eq_ignore_ascii_case("environment")
}

/// `eval`: the evaluated environment (or `-e` expression on it) as Go's
/// `json.MarshalIndent(v, "", "  ")`, without a trailing newline.
pub fn eval(req: &Request) -> Result<Rendered, Error> {
    let engine = engine_with_libraries(req)?;
    let value = environment::eval(&req.path, req.expr.as_deref(), &engine)?;
    Ok(Rendered {
        text: go_json_indent::marshal_indent(&value, "  "),
        value,
        registry: engine.registry,
    })
}
