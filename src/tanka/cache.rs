//! `export --cache-path LOCATION [--cache-envs REGEX]...`: Tanka's evaluation cache,
//! shared by CI runners through a directory or an object store.
//!
//! What is cached is an environment's evaluated JSON (the entry file's value, or
//! Tanka's `--name` script's), keyed by everything it depends on ([`Key`]): the
//! format of the entries and the gwsonnet version, the entry file's absolute path and
//! the script, every ext var and TLA (Tanka's environment ext-code included), a
//! fingerprint of the loaded libraries (CRD files, `--crd-library` configs, OpenAPI
//! documents) and the path and content of every file of the entry file's transitive
//! import tree (and of the ext/TLA code's). A hit skips the evaluation entirely; the
//! processing, naming and writing of the manifests run as without the cache (a
//! directory cache also keeps those files: [`super::rendered`]). As in
//! Tanka, environments whose absolute entry path matches a `--cache-envs` regex are
//! cached, every environment when none is given.
//!
//! An entry is one header line, `gwsonnet-export-cache/1 <gwsonnet version> <key>
//! <payload length> <payload SHA-256>`, then the payload. An entry whose header,
//! length or checksum does not match (truncated, corrupt, written by another
//! version) is a miss with a warning and is overwritten, never a wrong output.
//! Writes are atomic: a directory entry is written to a temporary file in the
//! directory and renamed into place; an object store's single PUT is atomic. A
//! store that cannot be reached (or a directory that cannot be written) gives one
//! warning and the export goes on without the cache: it is an accelerator, and an
//! outage of it must neither fail a deployment pipeline nor change its output.
//!
//! Object stores (`s3://bucket/prefix`, `gs://…`, `az://…`) go through the
//! `object_store` crate with its usual environment variables (`AWS_*`, `GOOGLE_*`,
//! `AZURE_*`), on a small tokio runtime shared by the export's worker threads.
//!
//! Contact points: [`crate::cli`] builds the [`CacheRequest`]; [`super::export`] opens
//! the [`Cache`] once per run and [`super::environment`] asks it for each evaluation.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use crate::gocompat::hex::encode as hex;

use object_store::{ObjectStore, ObjectStoreExt, ObjectStoreScheme};
use regex::Regex;
use sha2::{Digest, Sha256};

use super::environment::Paths;
use super::imports::{self, ImportTree};
use crate::engine::{EngineSettings, ExtValue};
pub use crate::error::LocationError;
use crate::error::{CacheUrlProblem, Error, UsageError};

/// The format of the entries; part of every key and of every header.
pub const FORMAT: &str = "gwsonnet-export-cache/1";

/// The gwsonnet version written into keys and headers.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Where the cache lives, as given to `--cache-path`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A local (or mounted) directory, created when missing.
    Dir(PathBuf),
    /// An object store URL (`s3://`, `gs://`, `az://`, …).
    Url(String),
}

impl Location {
    /// Reads `--cache-path`: a URL with a scheme (`scheme://`) must be an object
    /// store's; anything else is a directory.
    pub fn parse(text: &str) -> Result<Self, LocationError> {
        if text.is_empty() {
            return Err(LocationError::Empty);
        }
        if !text.contains("://") {
            return Ok(Self::Dir(PathBuf::from(text)));
        }
        let url = url::Url::parse(text).map_err(|source| LocationError::Url {
            text: text.to_owned(),
            source,
        })?;
        match ObjectStoreScheme::parse(&url) {
            Ok((
                ObjectStoreScheme::AmazonS3
                | ObjectStoreScheme::GoogleCloudStorage
                | ObjectStoreScheme::MicrosoftAzure,
                _,
            )) => Ok(Self::Url(text.to_owned())),
            Ok((ObjectStoreScheme::Local, _)) => url
                .to_file_path()
                .map(Self::Dir)
                .map_err(|()| LocationError::NotLocal(text.to_owned())),
            _ => Err(LocationError::NotAStore(text.to_owned())),
        }
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Dir(d) => write!(f, "{}", d.display()),
            Self::Url(u) => f.write_str(u),
        }
    }
}

/// `--cache-path` and `--cache-envs`, validated.
#[derive(Debug, Clone)]
pub struct CacheRequest {
    /// Where the entries are.
    pub location: Location,
    /// Which environments are cached (by absolute entry path); none: all.
    pub envs: Vec<Regex>,
}

/// An entry's key: the SHA-256 of everything the evaluation depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key([u8; 32]);

impl Key {
    /// The key as 64 lowercase hex digits (the entry's name).
    pub fn hex(&self) -> String {
        hex(&self.0)
    }

    /// A key derived from this one and `fields` (tag, bytes): for what is computed
    /// from the evaluation with more inputs (the rendered files of
    /// [`super::rendered`]).
    pub fn derive(&self, fields: &[(&str, &[u8])]) -> Key {
        let mut h = Fields(Sha256::new());
        h.field("derived from", &self.0);
        for (tag, bytes) in fields {
            h.field(tag, bytes);
        }
        Key(h.0.finalize().into())
    }
}

/// A hasher writing length-prefixed fields, so that no two inputs run together.
struct Fields(Sha256);

impl Fields {
    fn field(&mut self, tag: &str, bytes: &[u8]) {
        self.0.update((tag.len() as u64).to_le_bytes());
        self.0.update(tag.as_bytes());
        self.0.update((bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
    }

    fn path(&mut self, tag: &str, path: &Path) {
        self.field(tag, path.as_os_str().as_encoded_bytes());
    }

    /// An import tree: its files (path and content), edges, and what its imports
    /// found in no file (a file appearing there changes the tree).
    fn tree(mut self, tree: &ImportTree) -> [u8; 32] {
        for (path, node) in &tree.files {
            self.path("file", path);
            self.field("content", &content_hash(path, &node.contents));
        }
        for (from, to) in &tree.edges {
            self.path("edge from", from);
            self.path("edge to", to);
        }
        for builtin in &tree.builtins {
            self.field("built in", builtin.as_bytes());
        }
        for m in &tree.missing {
            self.path("missing from", &m.from);
            self.field(m.kind.keyword(), m.path.as_bytes());
        }
        self.0.finalize().into()
    }
}

/// The cache as the evaluations of one environment use it: with the fingerprint of
/// the libraries that environment sees.
pub struct ForEnv<'a> {
    /// The run's cache.
    pub cache: &'a Cache,
    /// [`libraries_fingerprint`] of the environment's libraries.
    pub libraries: [u8; 32],
}

impl ForEnv<'_> {
    /// The key of evaluating the environment at `paths` (`script` over its entry
    /// file, if any) with `settings` (ext vars with Tanka's environment ext-code, and
    /// TLAs); an error when its import tree cannot be walked (a directory or a
    /// symlink loop imported: the evaluation then runs uncached and reports it).
    pub fn key(
        &self,
        paths: &Paths,
        settings: &EngineSettings,
        script: Option<&str>,
    ) -> Result<Key, Error> {
        let mut h = Fields(Sha256::new());
        h.field("format", FORMAT.as_bytes());
        h.field("version", VERSION.as_bytes());
        h.path("entry", &paths.entry);
        match script {
            Some(s) => h.field("script", s.as_bytes()),
            None => h.field("no script", b""),
        }
        h.field("libraries", &self.libraries);
        let context = imports::context(paths);
        h.field("import tree", &self.cache.tree_digest(&context)?);
        for (tag, vars) in [("ext", &settings.ext_vars), ("tla", &settings.tla)] {
            for (name, value) in vars {
                h.field(tag, name.as_bytes());
                match value {
                    ExtValue::Str(s) => h.field("str", s.as_bytes()),
                    ExtValue::Code(code) => {
                        h.field("code", code.as_bytes());
                        self.hash_code_imports(&mut h, code, &context)?;
                    }
                }
            }
        }
        Ok(Key(h.0.finalize().into()))
    }

    /// The files ext/TLA code imports (`--ext-code-file` arrives as `import @'f'`),
    /// resolved as the engine resolves a snippet's imports: from the current
    /// directory, then the search path.
    fn hash_code_imports(
        &self,
        h: &mut Fields,
        code: &str,
        context: &imports::Context,
    ) -> Result<(), Error> {
        let sites = imports::scan::scan(code);
        if sites.is_empty() {
            return Ok(());
        }
        let cwd = std::env::current_dir().map_err(|e| Error::io("reading", ".", e))?;
        for site in sites {
            let rel = Path::new(&site.path);
            let found = std::iter::once(cwd.join(rel))
                .chain(context.search.iter().map(|d| d.join(rel)))
                .map(|p| imports::graph::clean(&p))
                .find(|p| p.is_file());
            let Some(file) = found else {
                h.field("missing from code", site.path.as_bytes());
                continue;
            };
            h.path("code imports", &file);
            if site.kind == imports::ImportKind::Import {
                let ctx = imports::Context {
                    entry: file,
                    ..context.clone()
                };
                h.field("import tree", &self.cache.tree_digest(&ctx)?);
            } else {
                let bytes = std::fs::read(&file).map_err(|e| Error::io("reading", &file, e))?;
                h.field("content", &content_hash(&file, &bytes));
            }
        }
        Ok(())
    }
}

/// The SHA-256 of a file's content, computed once per process (the environments of
/// a project share most of their libraries, and a file's content is read once per run).
fn content_hash(file: &Path, bytes: &[u8]) -> [u8; 32] {
    static HASHES: OnceLock<Mutex<HashMap<PathBuf, [u8; 32]>>> = OnceLock::new();
    let hashes = HASHES.get_or_init(Mutex::default);
    if let Some(h) = lock(hashes).get(file) {
        return *h;
    }
    let h: [u8; 32] = Sha256::digest(bytes).into();
    lock(hashes).insert(file.to_owned(), h);
    h
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A fingerprint of the libraries `sources` load (with the built-in ones, which the
/// version in every key stands for): every file the loader reads, by path and
/// content, and `--kube-version`. Computed once per process and sources.
pub fn libraries_fingerprint(sources: &crate::crd::Sources) -> Result<[u8; 32], Error> {
    type Known = Vec<(crate::crd::Sources, [u8; 32])>;
    static KNOWN: OnceLock<Mutex<Known>> = OnceLock::new();
    let known = KNOWN.get_or_init(Mutex::default);
    if let Some((_, f)) = lock(known).iter().find(|(s, _)| s == sources) {
        return Ok(*f);
    }
    let mut h = Fields(Sha256::new());
    for file in sources.input_files()? {
        let bytes = std::fs::read(&file).map_err(|e| Error::io("reading", &file, e))?;
        h.path("file", &file);
        h.field("content", &Sha256::digest(&bytes));
    }
    for o in &sources.openapi {
        h.field(
            "openapi version",
            o.version.as_deref().unwrap_or("").as_bytes(),
        );
    }
    h.field(
        "kube version",
        sources.kube_version.as_deref().unwrap_or("").as_bytes(),
    );
    let f: [u8; 32] = h.0.finalize().into();
    lock(known).push((sources.clone(), f));
    Ok(f)
}

/// An entry's bytes: the header line, then `payload`.
pub fn encode_entry(key: &Key, payload: &[u8]) -> Vec<u8> {
    let header = format!(
        "{FORMAT} {VERSION} {} {} {}\n",
        key.hex(),
        payload.len(),
        hex(&Sha256::digest(payload))
    );
    let mut out = Vec::with_capacity(header.len() + payload.len());
    out.extend_from_slice(header.as_bytes());
    out.extend_from_slice(payload);
    out
}

/// Why a cache entry (an evaluation's entry or a rendered tree's index) cannot be
/// used; the reader warns with it and counts a miss.
#[derive(Debug, thiserror::Error)]
pub enum EntryError {
    /// No line ends the header.
    #[error("no header line")]
    NoHeader,
    /// The header is not UTF-8.
    #[error("a header that is not text")]
    HeaderNotText,
    /// The header does not have the five fields.
    #[error("a header of another format")]
    OtherHeader,
    /// Another format (found, expected).
    #[error("format {found:?}, not {expected}")]
    OtherFormat {
        /// The format written.
        found: String,
        /// This gwsonnet's.
        expected: &'static str,
    },
    /// Written by another gwsonnet version.
    #[error("written by gwsonnet {0}, this is {VERSION}")]
    OtherVersion(String),
    /// The entry is another key's (`header` or `index` says so).
    #[error("the {0} names another key")]
    OtherKey(&'static str),
    /// The payload's length is not the header's.
    #[error("truncated or padded: {actual} bytes of payload, the header says {header}")]
    Length {
        /// The bytes there are.
        actual: usize,
        /// The length the header gives.
        header: String,
    },
    /// The payload's SHA-256 is not the header's.
    #[error("the payload's checksum does not match")]
    Checksum,
    /// The entry cannot be read.
    #[error("{}", crate::error::io_reason(.0))]
    Unreadable(#[source] std::io::Error),
    /// A rendered tree's index is not JSON of its shape.
    #[error("an unreadable index: {0}")]
    Index(#[source] serde_json::Error),
    /// A rendered file whose name leaves the output directory.
    #[error("file {index} is named {name:?}, outside the output")]
    Outside {
        /// The file's number in the index.
        index: usize,
        /// Its name.
        name: String,
    },
    /// A rendered file that cannot be read.
    #[error("file {index}: {}", crate::error::io_reason(source))]
    File {
        /// The file's number.
        index: usize,
        /// Why.
        source: std::io::Error,
    },
    /// A rendered file that is not as it was stored.
    #[error("file {index} ({name}) changed since it was stored")]
    Changed {
        /// The file's number.
        index: usize,
        /// Its name.
        name: String,
    },
}

/// The payload of an entry read for `key`, or why it cannot be used.
pub fn decode_entry(key: &Key, bytes: &[u8]) -> Result<Vec<u8>, EntryError> {
    let nl = bytes
        .iter()
        .position(|&b| b == b'\n')
        .ok_or(EntryError::NoHeader)?;
    let header = std::str::from_utf8(&bytes[..nl]).map_err(|_| EntryError::HeaderNotText)?;
    let payload = &bytes[nl + 1..];
    let fields: Vec<&str> = header.split(' ').collect();
    let [format, version, name, len, sum] = fields[..] else {
        return Err(EntryError::OtherHeader);
    };
    if format != FORMAT {
        return Err(EntryError::OtherFormat {
            found: format.to_owned(),
            expected: FORMAT,
        });
    }
    if version != VERSION {
        return Err(EntryError::OtherVersion(version.to_owned()));
    }
    if name != key.hex() {
        return Err(EntryError::OtherKey("header"));
    }
    if len.parse::<usize>() != Ok(payload.len()) {
        return Err(EntryError::Length {
            actual: payload.len(),
            header: len.to_owned(),
        });
    }
    if hex(&Sha256::digest(payload)) != sum {
        return Err(EntryError::Checksum);
    }
    Ok(payload.to_vec())
}

/// The entries' store.
enum Store {
    /// Files `<key>.gwsonnet-cache` in a directory.
    Dir(PathBuf),
    /// Objects `<prefix>/<key>.gwsonnet-cache` in an object store.
    Object {
        store: Arc<dyn ObjectStore>,
        prefix: object_store::path::Path,
        runtime: tokio::runtime::Runtime,
    },
}

/// The suffix of an entry's name.
const SUFFIX: &str = ".gwsonnet-cache";

/// An open cache, shared by an export's worker threads.
pub struct Cache {
    store: Store,
    location: Location,
    envs: Vec<Regex>,
    /// Set after a failure to reach the store: no more reads or writes.
    off: AtomicBool,
    /// Set after a failure to write: no more writes.
    read_only: AtomicBool,
    hits: AtomicUsize,
    misses: AtomicUsize,
    /// The shared lock on a directory cache, held for the run ([`super::prune`]).
    _lock: Option<super::prune::CacheLock>,
    /// The files the keys' import trees read, each once per run.
    files: imports::Files,
    /// The digest of each import tree walked, by entry file and search path: an
    /// export asks for an environment's key twice (for the rendered files, then for
    /// the evaluation when they miss), and the walk and hashing are done once.
    trees: Mutex<HashMap<TreeId, [u8; 32]>>,
}

/// An import tree's identity within one run: its entry file and search path.
type TreeId = (PathBuf, Vec<PathBuf>);

impl Cache {
    /// Opens the cache `req` names (connects lazily: an unreachable store shows at
    /// the first read).
    pub fn open(req: &CacheRequest) -> Result<Self, Error> {
        let (store, lock) = match &req.location {
            Location::Dir(dir) => (
                Store::Dir(dir.clone()),
                super::prune::CacheLock::for_export(dir),
            ),
            Location::Url(url) => (open_store(url)?, None),
        };
        Ok(Self {
            store,
            _lock: lock,
            location: req.location.clone(),
            envs: req.envs.clone(),
            off: AtomicBool::new(false),
            read_only: AtomicBool::new(false),
            hits: AtomicUsize::new(0),
            misses: AtomicUsize::new(0),
            files: imports::Files::new(None),
            trees: Mutex::default(),
        })
    }

    /// The digest of the import tree of `ctx` ([`Fields::tree`]), walked once per run.
    fn tree_digest(&self, ctx: &imports::Context) -> Result<[u8; 32], Error> {
        let id = (ctx.entry.clone(), ctx.search.clone());
        if let Some(digest) = lock(&self.trees).get(&id) {
            return Ok(*digest);
        }
        let tree = imports::graph::tree(&self.files, ctx, None)?;
        let digest = Fields(Sha256::new()).tree(&tree);
        lock(&self.trees).insert(id, digest);
        Ok(digest)
    }

    /// The run's cache of folder listings and files (import trees, project roots).
    pub fn files(&self) -> &imports::Files {
        &self.files
    }

    /// Whether the environment with this (absolute) entry file is cached.
    pub fn wants(&self, entry: &Path) -> bool {
        let text = entry.to_string_lossy();
        self.envs.is_empty() || self.envs.iter().any(|r| r.is_match(&text))
    }

    /// The payload stored under `key`, if there is a usable one.
    pub fn get(&self, key: &Key) -> Option<Vec<u8>> {
        if self.off.load(Ordering::Relaxed) {
            return None;
        }
        let name = format!("{}{SUFFIX}", key.hex());
        let bytes = match &self.store {
            Store::Dir(dir) => {
                let path = dir.join(&name);
                match std::fs::read(&path) {
                    Ok(b) => Some(b),
                    Err(e)
                        if matches!(
                            e.kind(),
                            std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
                        ) =>
                    {
                        None
                    }
                    Err(e) => {
                        self.fail(&format!(
                            "reading {}: {}",
                            path.display(),
                            crate::error::io_reason(&e)
                        ));
                        None
                    }
                }
            }
            Store::Object {
                store,
                prefix,
                runtime,
            } => {
                let path = prefix.clone().join(name.as_str());
                let got = runtime.block_on(async {
                    let r = store.get(&path).await?;
                    r.bytes().await
                });
                match got {
                    Ok(b) => Some(b.to_vec()),
                    Err(object_store::Error::NotFound { .. }) => None,
                    Err(e) => {
                        self.fail(&e.to_string());
                        None
                    }
                }
            }
        };
        let Some(bytes) = bytes else {
            self.misses.fetch_add(1, Ordering::Relaxed);
            return None;
        };
        match decode_entry(key, &bytes) {
            Ok(payload) => {
                self.hits.fetch_add(1, Ordering::Relaxed);
                if let Store::Dir(dir) = &self.store {
                    super::prune::mark_used(&dir.join(&name));
                }
                Some(payload)
            }
            Err(why) => {
                warn(&format!(
                    "ignoring the cache entry {}/{}{SUFFIX} ({why}); evaluating",
                    self.location,
                    key.hex()
                ));
                self.misses.fetch_add(1, Ordering::Relaxed);
                None
            }
        }
    }

    /// Stores `payload` under `key`; a failure is a warning, and no more writes are
    /// tried.
    pub fn put(&self, key: &Key, payload: &[u8]) {
        if !self.writable() {
            return;
        }
        let name = format!("{}{SUFFIX}", key.hex());
        let entry = encode_entry(key, payload);
        match &self.store {
            Store::Dir(dir) => {
                if let Err(e) = write_atomically(dir, &name, &entry) {
                    self.write_failed(&crate::error::io_reason(&e));
                }
            }
            Store::Object {
                store,
                prefix,
                runtime,
            } => {
                let path = prefix.clone().join(name.as_str());
                if let Err(e) = runtime.block_on(store.put(&path, entry.into())) {
                    self.fail(&e.to_string());
                }
            }
        }
    }

    /// Turns the cache off after the store failed, with one warning.
    fn fail(&self, error: &str) {
        if !self.off.swap(true, Ordering::Relaxed) {
            let first = error.lines().next().unwrap_or(error);
            warn(&format!(
                "the cache {} cannot be reached ({first}); continuing without it",
                self.location
            ));
        }
    }

    /// `(hits, misses)` so far.
    pub fn counts(&self) -> (usize, usize) {
        (
            self.hits.load(Ordering::Relaxed),
            self.misses.load(Ordering::Relaxed),
        )
    }

    /// The directory of a directory cache (`None` for an object store).
    pub fn dir(&self) -> Option<&Path> {
        match &self.store {
            Store::Dir(dir) => Some(dir),
            Store::Object { .. } => None,
        }
    }

    /// Whether entries may still be read (no failure to reach the store so far).
    pub fn readable(&self) -> bool {
        !self.off.load(Ordering::Relaxed)
    }

    /// Whether entries may still be written (no failure to read or write so far).
    pub fn writable(&self) -> bool {
        self.readable() && !self.read_only.load(Ordering::Relaxed)
    }

    /// Marks the evaluation entry of `key` as used (when a directory holds it): a hit
    /// of the rendered files derived from it uses it too, so that pruning by last use
    /// keeps it.
    pub fn mark_used(&self, key: &Key) {
        if let Store::Dir(dir) = &self.store {
            super::prune::mark_used(&dir.join(format!("{}{SUFFIX}", key.hex())));
        }
    }

    /// Counts a hit answered without [`Cache::get`] (by [`super::rendered`]).
    pub fn count_hit(&self) {
        self.hits.fetch_add(1, Ordering::Relaxed);
    }

    /// Stops writing after a failed write of [`super::rendered`], with one warning.
    pub fn write_failed(&self, error: &str) {
        if !self.read_only.swap(true, Ordering::Relaxed) {
            warn(&format!(
                "cannot write to the cache {}: {error}; continuing without storing",
                self.location
            ));
        }
    }

    /// Where the cache is.
    pub fn location(&self) -> &Location {
        &self.location
    }
}

/// Prints a warning on stderr.
pub(super) fn warn(message: &str) {
    eprintln!("WARNING: {message}");
}

/// Writes `dir/name` by renaming a complete temporary file of `dir` over it.
fn write_atomically(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".tmp-")
        .suffix(SUFFIX)
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.persist(dir.join(name)).map_err(|e| e.error)?;
    Ok(())
}

/// The object store of `url`, configured from the environment, with short timeouts
/// and few retries (an unreachable cache must not stall the export).
fn open_store(url: &str) -> Result<Store, Error> {
    let bad = |problem: CacheUrlProblem| {
        Error::from(UsageError::CacheUrl {
            url: url.to_owned(),
            problem,
        })
    };
    let parsed = url::Url::parse(url).map_err(|e| bad(e.into()))?;
    let (scheme, prefix) =
        ObjectStoreScheme::parse(&parsed).map_err(|e| bad(CacheUrlProblem::Store(e.into())))?;
    // Set on top of what the environment configured (the endpoint, AWS_ALLOW_HTTP, …).
    use object_store::ClientConfigKey::{ConnectTimeout, Timeout};
    let timeouts = [(ConnectTimeout, "5s"), (Timeout, "60s")];
    let retry = object_store::RetryConfig {
        max_retries: 2,
        retry_timeout: Duration::from_secs(15),
        ..Default::default()
    };
    let store: Arc<dyn ObjectStore> = match scheme {
        ObjectStoreScheme::AmazonS3 => {
            use object_store::aws::{AmazonS3Builder, AmazonS3ConfigKey};
            let b = timeouts
                .into_iter()
                .fold(AmazonS3Builder::from_env(), |b, (k, v)| {
                    b.with_config(AmazonS3ConfigKey::Client(k), v)
                });
            Arc::new(
                b.with_url(url)
                    .with_retry(retry)
                    .build()
                    .map_err(|e| bad(e.into()))?,
            )
        }
        ObjectStoreScheme::GoogleCloudStorage => {
            use object_store::gcp::{GoogleCloudStorageBuilder, GoogleConfigKey};
            let b = timeouts
                .into_iter()
                .fold(GoogleCloudStorageBuilder::from_env(), |b, (k, v)| {
                    b.with_config(GoogleConfigKey::Client(k), v)
                });
            Arc::new(
                b.with_url(url)
                    .with_retry(retry)
                    .build()
                    .map_err(|e| bad(e.into()))?,
            )
        }
        ObjectStoreScheme::MicrosoftAzure => {
            use object_store::azure::{AzureConfigKey, MicrosoftAzureBuilder};
            let b = timeouts
                .into_iter()
                .fold(MicrosoftAzureBuilder::from_env(), |b, (k, v)| {
                    b.with_config(AzureConfigKey::Client(k), v)
                });
            Arc::new(
                b.with_url(url)
                    .with_retry(retry)
                    .build()
                    .map_err(|e| bad(e.into()))?,
            )
        }
        _ => return Err(bad(CacheUrlProblem::NotAStore)),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::Tanka(crate::error::TankaError::CacheClient(e)))?;
    Ok(Store::Object {
        store,
        prefix,
        runtime,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_round_trip_and_damage_is_detected() {
        let key = Key([7; 32]);
        let other = Key([8; 32]);
        let entry = encode_entry(&key, b"{\"a\": 1}");
        assert_eq!(decode_entry(&key, &entry).unwrap(), b"{\"a\": 1}");
        let e = decode_entry(&other, &entry).unwrap_err();
        assert!(matches!(e, EntryError::OtherKey("header")));
        assert_eq!(e.to_string(), "the header names another key");
        let cut = &entry[..entry.len() - 1];
        let e = decode_entry(&key, cut).unwrap_err();
        assert!(matches!(e, EntryError::Length { actual: 7, .. }), "{e}");
        assert_eq!(
            e.to_string(),
            "truncated or padded: 7 bytes of payload, the header says 8"
        );
        let mut flipped = entry.clone();
        *flipped.last_mut().unwrap() = b'2';
        let e = decode_entry(&key, &flipped).unwrap_err();
        assert!(matches!(e, EntryError::Checksum));
        let text = String::from_utf8(entry).unwrap();
        let old = text.replacen(VERSION, "0.0.0-other", 1);
        let e = decode_entry(&key, old.as_bytes()).unwrap_err();
        assert!(matches!(&e, EntryError::OtherVersion(v) if v == "0.0.0-other"));
        assert!(e
            .to_string()
            .starts_with("written by gwsonnet 0.0.0-other, this is "));
        let other_format = text.replacen(FORMAT, "x/1", 1);
        let e = decode_entry(&key, other_format.as_bytes()).unwrap_err();
        assert_eq!(e.to_string(), format!("format \"x/1\", not {FORMAT}"));
        assert!(matches!(decode_entry(&key, b""), Err(EntryError::NoHeader)));
        assert!(matches!(
            decode_entry(&key, b"a b\n"),
            Err(EntryError::OtherHeader)
        ));
        assert!(matches!(
            decode_entry(&key, b"\xff\n"),
            Err(EntryError::HeaderNotText)
        ));
    }

    #[test]
    fn locations() {
        assert_eq!(
            Location::parse("cache/dir"),
            Ok(Location::Dir("cache/dir".into()))
        );
        assert_eq!(
            Location::parse("s3://bucket/prefix"),
            Ok(Location::Url("s3://bucket/prefix".into()))
        );
        assert!(matches!(Location::parse("gs://b/p"), Ok(Location::Url(_))));
        assert!(matches!(Location::parse("az://c/p"), Ok(Location::Url(_))));
        assert_eq!(
            Location::parse("file:///tmp/c"),
            Ok(Location::Dir("/tmp/c".into()))
        );
        assert_eq!(
            Location::parse("ftp://x/y"),
            Err(LocationError::NotAStore("ftp://x/y".into()))
        );
        assert!(Location::parse("ftp://x/y")
            .unwrap_err()
            .to_string()
            .contains("not an object store URL"));
        assert_eq!(Location::parse(""), Err(LocationError::Empty));
    }
}
