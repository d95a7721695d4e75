//! A Tanka environment as Tanka finds and loads it (`pkg/jsonnet/jpath`, `pkg/spec`,
//! `pkg/tanka`'s static and inline loaders): the project root (nearest ancestor with
//! `tkrc.yaml`, else `jsonnetfile.json`), the base directory (the entry file's folder),
//! the import search path, the `tanka.dev/environment` ext-code and `import "tk"`, the
//! static environment from `spec.json`, inline environments (objects of kind
//! `Environment` in the output, picked with `--name`), and the evaluation itself,
//! through [`crate::engine`].
//!
//! The project's `crds/` folder (at [`Paths::root`]) is loaded as CRD libraries by
//! [`crate::tanka`] before the engine is built.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::cache::{ForEnv, Key};
use super::manifest::{self, Manifest};
use super::process::{self, extract};
use super::spec::Environment;
use crate::engine::{Engine, EngineSettings, ExtValue, Input, OutputMode};
use crate::error::{Error, TankaError};

/// The ext-code name under which Tanka passes the environment.
pub const ENVIRONMENT_EXT_CODE: &str = "tanka.dev/environment";

/// What an inline environment's `tk.env` evaluates to (Tanka's text).
const INLINE_ENV_CODE: &str = "error \"Using tk.env and std.extVar('tanka.dev/environment') is only supported for static environments. Directly access this data using standard Jsonnet instead.\"";

/// The entry file when a directory is given.
pub const DEFAULT_ENTRYPOINT: &str = "main.jsonnet";

/// Where an environment lives.
#[derive(Debug, Clone)]
pub struct Paths {
    /// The project root (absolute).
    pub root: PathBuf,
    /// The base directory: the folder holding the entry file (absolute).
    pub base: PathBuf,
    /// The entry file (absolute).
    pub entry: PathBuf,
}

impl Paths {
    /// Finds root, base and entry for `path` (a file, or a directory meaning its
    /// `main.jsonnet`), as Tanka's `jpath.Dirs` and `jpath.Entrypoint` do.
    pub fn find(path: &Path) -> Result<Self, Error> {
        Self::find_with(path, &|p: &Path| p.exists())
    }

    /// [`Paths::find`] with `exists` telling whether a path exists (a cache of the
    /// folders' listings, when many environments are found at once).
    pub fn find_with(path: &Path, exists: &dyn Fn(&Path) -> bool) -> Result<Self, Error> {
        // Go's filepath.Abs: absolute and lexically cleaned (`a/b/..` is `a`).
        let abs = std::path::absolute(path).map_err(|e| Error::io("resolving", path, e))?;
        let abs = crate::gocompat::path::clean_path(&abs);
        let meta = std::fs::metadata(&abs).map_err(|e| Error::io("opening", path, e))?;
        let (dir, filename) = if meta.is_dir() {
            (abs.clone(), DEFAULT_ENTRYPOINT.to_owned())
        } else {
            let name = abs
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            (abs.parent().map(Path::to_owned).unwrap_or_default(), name)
        };
        let root = find_parent(&dir, "tkrc.yaml", None, exists)
            .or_else(|| find_parent(&dir, "jsonnetfile.json", None, exists))
            .ok_or(TankaError::NoProjectRoot)?;
        let base = find_parent(&dir, &filename, Some(&root), exists).ok_or_else(|| {
            TankaError::NoBaseDirectory {
                filename: filename.clone(),
            }
        })?;
        let entry = base.join(&filename);
        Ok(Self { root, base, entry })
    }

    /// The import search path, highest priority first: base dir, `<root>/lib`,
    /// `<base>/vendor`, `<root>/vendor` (gwsonnet's built-in libraries come after).
    pub fn jpath(&self) -> Vec<PathBuf> {
        vec![
            self.base.clone(),
            self.root.join("lib"),
            self.base.join("vendor"),
            self.root.join("vendor"),
        ]
    }

    /// `path` relative to the root, `/`-separated, as Tanka names environments.
    fn rel(&self, path: &Path) -> String {
        let rel = path.strip_prefix(&self.root).unwrap_or(path);
        let s = rel.to_string_lossy().into_owned();
        if s.is_empty() {
            ".".into()
        } else {
            s
        }
    }

    /// The engine settings for this environment: the user's flags (ext vars, TLAs,
    /// stack) with Tanka's search path, `import "tk"` and the environment ext-code.
    fn engine_settings(&self, user: &EngineSettings, env_code: String) -> EngineSettings {
        let mut s = user.clone();
        s.search = self.jpath();
        s.tanka_tk = true;
        s.ext_vars.retain(|(k, _)| k != ENVIRONMENT_EXT_CODE);
        s.ext_vars
            .push((ENVIRONMENT_EXT_CODE.into(), ExtValue::Code(env_code)));
        s
    }
}

/// The directory at or above `start` (up to `stop`) holding `file`.
fn find_parent(
    start: &Path,
    file: &str,
    stop: Option<&Path>,
    exists: &dyn Fn(&Path) -> bool,
) -> Option<PathBuf> {
    let mut dir = start;
    loop {
        if exists(&dir.join(file)) {
            return Some(dir.to_owned());
        }
        if Some(dir) == stop {
            return None;
        }
        dir = dir.parent()?;
    }
}

/// An environment with its evaluated data, ready for [`process::process`].
#[derive(Debug)]
pub struct Loaded {
    /// The environment.
    pub env: Environment,
    /// Its data: the whole output (static) or the inline environment's `data`.
    pub data: Value,
}

/// How Tanka detected the environment: `spec.json` next to the entry, or not.
enum Kind {
    Static(Box<Environment>),
    Inline,
}

impl Kind {
    fn detect(paths: &Paths) -> Result<Self, Error> {
        let spec_file = paths.base.join("spec.json");
        let name = paths.rel(&paths.base);
        let namespace = paths.rel(&paths.entry);
        match std::fs::read(&spec_file) {
            Ok(bytes) => {
                let value: Value =
                    serde_json::from_slice(&bytes).map_err(|source| TankaError::SpecJson {
                        path: spec_file.clone(),
                        source,
                    })?;
                let mut env = Environment::parse(&value, "spec.json")?;
                env.metadata.name = name;
                env.metadata.namespace = namespace;
                Ok(Self::Static(Box::new(env)))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::Inline),
            Err(e) => Err(Error::io("reading", spec_file, e)),
        }
    }
}

/// `path` as Tanka takes it: a path that does not exist names an inline environment in
/// the current directory.
fn locate(path: &Path, name: Option<&str>) -> (PathBuf, Option<String>) {
    if !path.exists() {
        return (
            PathBuf::from("."),
            Some(path.to_string_lossy().into_owned()),
        );
    }
    (path.to_owned(), name.map(str::to_owned))
}

/// Loads the environment at `path` for `show`: static from `spec.json`, or the one
/// inline environment (`name` picks among several: exact match, else unique
/// substring).
pub fn load(path: &Path, name: Option<&str>, user: &EngineSettings) -> Result<Loaded, Error> {
    load_cached(path, name, user, None, Values::KeptToExit)
}

/// [`load`], with the export cache answering the evaluation when it can.
fn load_cached(
    path: &Path,
    name: Option<&str>,
    user: &EngineSettings,
    cache: Option<&ForEnv>,
    values: Values,
) -> Result<Loaded, Error> {
    let (path, name) = locate(path, name);
    let paths = Paths::find(&path)?;
    match Kind::detect(&paths)? {
        Kind::Static(env) => {
            let data = evaluate(&paths, user, env.to_code(), None, cache, values)?;
            Ok(Loaded { env: *env, data })
        }
        Kind::Inline => {
            let script = name.as_deref().map(single_env_script);
            let data = evaluate(&paths, user, INLINE_ENV_CODE.into(), script, cache, values)?;
            let mut envs = inline_envs(&data)?;
            if envs.len() > 1 {
                let wanted = name.as_deref().unwrap_or("");
                match envs.iter().position(|e| meta_name(e) == wanted) {
                    Some(i) => envs = vec![envs.swap_remove(i)],
                    None => {
                        let mut names: Vec<String> =
                            envs.iter().map(|e| meta_name(e).to_owned()).collect();
                        names.sort();
                        return Err(TankaError::AmbiguousEnvironment {
                            path,
                            name: (!wanted.is_empty()).then(|| wanted.to_owned()),
                            names,
                        }
                        .into());
                    }
                }
            }
            let Some(found) = envs.pop() else {
                let names = match name {
                    Some(_) => inline_names(&paths, user),
                    None => Vec::new(),
                };
                return Err(TankaError::NoInlineEnvironment { path, name, names }.into());
            };
            let obj = Value::Object(found);
            let mut env = Environment::parse(&obj, "inline environment")?;
            env.metadata.namespace = paths.rel(&paths.entry);
            let data = obj.get("data").cloned().unwrap_or(Value::Null);
            Ok(Loaded { env, data })
        }
    }
}

/// The entry file of the environment at `path`, relative to the project root: the
/// name `manifest.json` maps its files to (Tanka's `metadata.namespace`).
pub fn entry_name(path: &Path) -> Result<String, Error> {
    let (path, _) = locate(path, None);
    let paths = Paths::find(&path)?;
    Ok(paths.rel(&paths.entry))
}

/// Loads every environment at `path` for `export`: the static one, or each inline
/// environment (only the one `name` picks when given, as [`load`] does). With
/// `cache`, an evaluation it holds is not run again.
pub fn load_all(
    path: &Path,
    name: Option<&str>,
    user: &EngineSettings,
    cache: Option<&ForEnv>,
) -> Result<Vec<Loaded>, Error> {
    if name.is_some() || !path.exists() {
        return Ok(vec![load_cached(path, name, user, cache, Values::Freed)?]);
    }
    let paths = Paths::find(path)?;
    match Kind::detect(&paths)? {
        Kind::Static(env) => {
            let data = evaluate(&paths, user, env.to_code(), None, cache, Values::Freed)?;
            Ok(vec![Loaded { env: *env, data }])
        }
        Kind::Inline => {
            let data = evaluate(
                &paths,
                user,
                INLINE_ENV_CODE.into(),
                None,
                cache,
                Values::Freed,
            )?;
            inline_envs(&data)?
                .into_iter()
                .map(|found| {
                    let obj = Value::Object(found);
                    let mut env = Environment::parse(&obj, "inline environment")?;
                    env.metadata.namespace = paths.rel(&paths.entry);
                    let data = obj.get("data").cloned().unwrap_or(Value::Null);
                    Ok(Loaded { env, data })
                })
                .collect()
        }
    }
}

/// The key [`load_all`] looks the evaluation of the environment at `paths` (found for
/// an entry that exists) up under, with the project root and the entry's name below it
/// (which name the environment); `None` when the cache does not keep this environment
/// or its import tree cannot be walked (then the evaluation runs uncached and says
/// why).
pub fn evaluation_key(
    paths: &Paths,
    name: Option<&str>,
    user: &EngineSettings,
    cache: &ForEnv,
) -> Result<Option<(Key, PathBuf, String)>, Error> {
    if !cache.cache.wants(&paths.entry) {
        return Ok(None);
    }
    let (env_code, script) = match Kind::detect(paths)? {
        Kind::Static(env) => (env.to_code(), None),
        Kind::Inline => (INLINE_ENV_CODE.to_owned(), name.map(single_env_script)),
    };
    let settings = paths.engine_settings(user, env_code);
    let entry = paths.rel(&paths.entry);
    Ok(cache
        .key(paths, &settings, script.as_deref())
        .ok()
        .map(|key| (key, paths.root.clone(), entry)))
}

/// The environments at the entry file `path` as `tk env list` lists them: the static
/// one read from `spec.json` (nothing evaluated), or every inline environment, found
/// by evaluating the output with their `data` hidden (Tanka's metadata script: the
/// manifests themselves are never evaluated).
pub fn list(path: &Path, user: &EngineSettings) -> Result<Vec<Environment>, Error> {
    let paths = Paths::find(path)?;
    match Kind::detect(&paths)? {
        Kind::Static(env) => Ok(vec![*env]),
        Kind::Inline => {
            let data = evaluate(
                &paths,
                user,
                INLINE_ENV_CODE.into(),
                Some(METADATA_SCRIPT.into()),
                None,
                Values::Freed,
            )?;
            inline_envs(&data)?
                .into_iter()
                .map(|found| {
                    let mut env = Environment::parse(&Value::Object(found), "inline environment")?;
                    env.metadata.namespace = paths.rel(&paths.entry);
                    Ok(env)
                })
                .collect()
        }
    }
}

/// Every inline environment of `main` with its `data` hidden, the rest pruned away.
const METADATA_SCRIPT: &str = "local withoutData(o) =
  if std.isObject(o) then
    if std.objectHas(o, 'apiVersion') && std.objectHas(o, 'kind') then
      if o.kind == 'Environment' then o { data+:: {} } else {}
    else std.mapWithKey(function(_, v) withoutData(v), o)
  else if std.isArray(o) then std.map(withoutData, o)
  else {};

std.prune(withoutData(main))
";

/// Evaluates the environment at `path` for `eval`, optionally the expression `expr`
/// on its output (`main.<expr>`, or `main<expr>` when it starts with `[`).
pub fn eval(path: &Path, expr: Option<&str>, user: &EngineSettings) -> Result<Value, Error> {
    let paths = Paths::find(path)?;
    let code = match Kind::detect(&paths)? {
        Kind::Static(env) => env.to_code(),
        Kind::Inline => INLINE_ENV_CODE.into(),
    };
    let script = expr.map(|e| match e.starts_with('[') {
        true => format!("main{e}"),
        false => format!("main.{e}"),
    });
    evaluate(&paths, user, code, script, None, Values::KeptToExit)
}

/// The names of every inline environment at `paths`, sorted (for an error about
/// `--name`; none when the evaluation fails).
fn inline_names(paths: &Paths, user: &EngineSettings) -> Vec<String> {
    let all = evaluate(
        paths,
        user,
        INLINE_ENV_CODE.into(),
        None,
        None,
        Values::KeptToExit,
    )
    .ok()
    .and_then(|data| inline_envs(&data).ok())
    .unwrap_or_default();
    let mut names: Vec<String> = all.iter().map(|e| meta_name(e).to_owned()).collect();
    names.sort();
    names
}

fn meta_name(m: &Manifest) -> &str {
    manifest::meta_str(m, "name")
}

/// The inline environments in the output: its manifests of kind `Environment`.
fn inline_envs(data: &Value) -> Result<Vec<Manifest>, Error> {
    let extracted = extract::extract(data)?;
    let list = process::unwrap::unwrap(extracted)?;
    Ok(list
        .into_iter()
        .filter(|m| manifest::kind(m).eq_ignore_ascii_case("environment"))
        .collect())
}

/// Tanka's script keeping only the inline environments whose name contains `name`.
fn single_env_script(name: &str) -> String {
    let quoted = serde_json::to_string(name).unwrap_or_default();
    format!(
        "local singleEnv(object) =\n  if std.isObject(object)\n  then\n    if std.objectHas(object, 'apiVersion') && std.objectHas(object, 'kind')\n    then\n      if object.kind == 'Environment' && std.member(object.metadata.name, {quoted})\n      then object\n      else {{}}\n    else std.mapWithKey(function(key, obj) singleEnv(obj), object)\n  else if std.isArray(object)\n  then std.map(function(obj) singleEnv(obj), object)\n  else {{}};\n\nsingleEnv(main)\n"
    )
}

/// Evaluates the entry file (or `script` over it, bound to `main`) with Tanka's
/// import path and ext-code, and decodes the result as Go's `json.Unmarshal` does.
/// With `cache` (and the environment among those it keeps), the evaluated JSON is
/// taken from it when there, and stored in it when not.
fn evaluate(
    paths: &Paths,
    user: &EngineSettings,
    env_code: String,
    script: Option<String>,
    cache: Option<&ForEnv>,
    values: Values,
) -> Result<Value, Error> {
    let settings = paths.engine_settings(user, env_code);
    let decode = decode_evaluated;
    let Some(cache) = cache.filter(|c| c.cache.wants(&paths.entry)) else {
        return decode(&evaluate_json(paths, &settings, script, values)?);
    };
    let key = match cache.key(paths, &settings, script.as_deref()) {
        Ok(key) => key,
        Err(e) => {
            eprintln!(
                "WARNING: not caching {}: {}",
                paths.entry.display(),
                e.render()
            );
            return decode(&evaluate_json(paths, &settings, script, values)?);
        }
    };
    if let Some(json) = cache.cache.get(&key) {
        // The entry's checksum matched: it decodes as it did when it was stored.
        return decode(&json);
    }
    let json = evaluate_json(paths, &settings, script, values)?;
    cache.cache.put(&key, &json);
    decode(&json)
}

/// What becomes of an evaluation's values once its JSON is written.
#[derive(Clone, Copy)]
enum Values {
    /// Left for the end of the process: a command that evaluates once (`show`,
    /// `eval`) would only spend time freeing them.
    KeptToExit,
    /// Freed at once: a command that evaluates environment after environment
    /// (`export`, `env list`) would otherwise hold every environment's values (about
    /// 2 MB for one of `benches/export_cache.sh`'s) until it ends.
    Freed,
}

/// The evaluation itself: the entry file's (or the script's) value as JSON text.
fn evaluate_json(
    paths: &Paths,
    settings: &EngineSettings,
    script: Option<String>,
    values: Values,
) -> Result<Vec<u8>, Error> {
    let engine = Engine::new(settings);
    let val = match script {
        None => engine.evaluate(&Input::File(paths.entry.clone()))?,
        Some(script) => {
            let entry = paths.entry.to_string_lossy().replace('\\', "/");
            let import = format!("import {}", verbatim(&entry));
            let probe = Input::Code(format!("std.isFunction({import})"));
            let probe = engine.evaluate(&probe)?;
            let is_function = matches!(probe, jrsonnet_evaluator::Val::Bool(true));
            let code = if is_function {
                let names: Vec<&str> = settings.tla.iter().map(|(k, _)| k.as_str()).collect();
                let args: Vec<String> = names.iter().map(|k| format!("{k}={k}")).collect();
                format!(
                    "function({})\n  local main = ({import})({});\n  {script}",
                    names.join(", "),
                    args.join(", ")
                )
            } else {
                format!("local main = ({import});\n{script}")
            };
            engine.evaluate(&Input::Code(code))?
        }
    };
    let mut json = Vec::new();
    engine.write_single(&val, OutputMode::Json, false, &mut json, None)?;
    match values {
        Values::KeptToExit => {
            std::mem::forget(val);
            std::mem::forget(engine);
        }
        Values::Freed => {
            drop(val);
            drop(engine);
            crate::engine::free_dropped_cycles();
        }
    }
    Ok(json)
}

/// Deepest nesting Go's `encoding/json` decodes (Tanka reads the evaluated JSON with it).
const GO_JSON_MAX_DEPTH: usize = 10_000;

/// Reads the JSON the evaluation wrote, nested as deep as Tanka's Go decoder allows
/// (serde_json's own limit is 128 levels). The text is the engine's own output, so
/// counting brackets outside strings measures its depth.
fn decode_evaluated(json: &[u8]) -> Result<Value, Error> {
    let (mut depth, mut deepest, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for &b in json {
        match (in_string, b) {
            (true, _) if escaped => escaped = false,
            (true, b'\\') => escaped = true,
            (true, b'"') | (false, b'"') => in_string = !in_string,
            (false, b'[' | b'{') => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            (false, b']' | b'}') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    if deepest > GO_JSON_MAX_DEPTH {
        return Err(TankaError::TooDeep {
            depth: deepest,
            limit: GO_JSON_MAX_DEPTH,
        }
        .into());
    }
    let mut reader = serde_json::Deserializer::from_slice(json);
    reader.disable_recursion_limit();
    serde::Deserialize::deserialize(&mut reader)
        .and_then(|value| reader.end().map(|()| value))
        .map_err(|e| TankaError::DecodeJson(e).into())
}

/// `path` as a Jsonnet verbatim string.
fn verbatim(path: &str) -> String {
    format!("@'{}'", path.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evaluated_json_nests_as_deep_as_go_decodes() {
        // The command runs on a stack of gigabytes; a test thread has 2 MiB.
        std::thread::Builder::new()
            .stack_size(1 << 30)
            .spawn(|| {
                let nested = |n: usize| format!("{}\"a\\\"[\"{}", "[".repeat(n), "]".repeat(n));
                let value = decode_evaluated(nested(GO_JSON_MAX_DEPTH).as_bytes()).unwrap();
                let mut depth = 0;
                let mut v = &value;
                while let Value::Array(items) = v {
                    depth += 1;
                    v = &items[0];
                }
                assert_eq!((depth, v.as_str()), (GO_JSON_MAX_DEPTH, Some("a\"[")));
                let err = decode_evaluated(nested(GO_JSON_MAX_DEPTH + 1).as_bytes()).unwrap_err();
                assert!(
                    matches!(&err, Error::Tanka(TankaError::TooDeep { depth: 10001, .. })),
                    "{err:?}"
                );
            })
            .unwrap()
            .join()
            .unwrap();
    }

    #[test]
    fn finds_root_and_base() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("jsonnetfile.json"), "{}").unwrap();
        std::fs::create_dir_all(root.join("environments/a/sub")).unwrap();
        std::fs::write(root.join("environments/a/main.jsonnet"), "{}").unwrap();
        let p = Paths::find(&root.join("environments/a/sub")).unwrap();
        assert_eq!(p.base, root.join("environments/a"));
        assert_eq!(p.rel(&p.entry), "environments/a/main.jsonnet");
        assert_eq!(p.jpath()[1], root.join("lib"));
        std::fs::remove_file(root.join("jsonnetfile.json")).unwrap();
        assert!(matches!(
            Paths::find(&root.join("environments/a")),
            Err(Error::Tanka(TankaError::NoProjectRoot))
        ));
    }

    #[test]
    fn environments_evaluated_one_after_another_leave_no_values_behind() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("jsonnetfile.json"), "{}").unwrap();
        let env = root.join("environments/a");
        std::fs::create_dir_all(&env).unwrap();
        std::fs::write(
            env.join("spec.json"),
            r#"{"apiVersion": "tanka.dev/v1alpha1", "kind": "Environment", "metadata": {"name": "a"}, "spec": {"namespace": "a"}}"#,
        )
        .unwrap();
        // Objects that refer to themselves and closures: cycles reference counting
        // alone does not free.
        std::fs::write(
            env.join("main.jsonnet"),
            "local f(x) = { v: x, me: self, g():: f(x) }; \
             { cm: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: std.toString(f(1).g().v) } } }",
        )
        .unwrap();
        let settings = EngineSettings::default();
        let tracked = jrsonnet_gcmodule::count_thread_tracked;
        load_all(&env, None, &settings, None).unwrap();
        let after_one = tracked();
        for _ in 0..3 {
            load_all(&env, None, &settings, None).unwrap();
        }
        assert_eq!(tracked(), after_one, "each environment's values stayed");
        // `show` keeps its one evaluation's values to the end of the process.
        load(&env, None, &settings).unwrap();
        assert!(tracked() > after_one);
    }
}
