//! The import tree of one environment: every file its entry file reaches through
//! `import`, `importstr` and `importbin`, resolved as the evaluation resolves them
//! (go-jsonnet's rules, which gwsonnet's engine follows): the path is joined
//! lexically (`path.Join`, so `vendor/../../x` works even without a `vendor/` folder)
//! to the importing file's directory, then to each directory of the environment's
//! Tanka import path (base dir, `<root>/lib`, `<base>/vendor`, `<root>/vendor`); the
//! first regular file wins. Then the built-in libraries (`import "tk"` first of all).
//!
//! A file is known by its real path (symlinks resolved, as Tanka reports them), but a
//! relative import is resolved from the path it was found at, as go-jsonnet does: a
//! file reached through a symlinked folder imports its neighbours in that folder.
//!
//! [`Files`] is the cache of stats, contents and import lists, shared by the threads
//! of one run (it is `Sync`); each file is read and scanned ([`super::scan`]) once.
//! Contact points: [`super`] (the public API), [`super::importers`].

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, OnceLock, RwLock};

use super::scan::{self, ImportKind, ImportSite};
use crate::error::{Error, TankaError};
use crate::native::BuiltinFiles;

/// One file of a tree: its real path and contents.
#[derive(Debug)]
pub struct FileNode {
    /// The real path (absolute, symlinks resolved).
    pub path: PathBuf,
    /// The bytes as on disk.
    pub contents: Arc<[u8]>,
    /// Its import sites, scanned the first time an `import` reaches it.
    sites: OnceLock<Vec<ImportSite>>,
}

impl FileNode {
    /// The file's import sites.
    pub(super) fn sites(&self) -> &[ImportSite] {
        self.sites
            .get_or_init(|| scan::scan(&String::from_utf8_lossy(&self.contents)))
    }
}

/// What a lexical path is on disk.
#[derive(Debug, Clone)]
pub(super) enum Stat {
    /// A regular file (or a symlink to one), with its real path.
    File(PathBuf),
    /// Nothing there (or a parent that is no directory).
    Missing,
    /// Something that cannot be imported: a directory, a symlink loop, no permission.
    Unusable(String),
}

/// The shared cache of one run: stats by lexical path, files by real path, and the
/// built-in files that imports not found on disk may name.
pub struct Files {
    stats: RwLock<HashMap<PathBuf, Stat>>,
    nodes: RwLock<HashMap<PathBuf, Arc<FileNode>>>,
    builtins: Option<BuiltinFiles>,
    served: RwLock<HashMap<String, bool>>,
}

impl Files {
    /// An empty cache; `builtins` are the files gwsonnet serves from memory (the
    /// libraries of the environment's registry), `None` for none.
    pub fn new(builtins: Option<BuiltinFiles>) -> Self {
        Self {
            stats: RwLock::default(),
            nodes: RwLock::default(),
            builtins,
            served: RwLock::default(),
        }
    }

    /// What `path` (absolute and clean) is.
    pub(super) fn stat(&self, path: &Path) -> Stat {
        if let Some(s) = read(&self.stats).get(path) {
            return s.clone();
        }
        let stat = match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => {
                Stat::Unusable(format!("read {}: is a directory", path.display()))
            }
            Ok(_) => match std::fs::canonicalize(path) {
                Ok(real) => Stat::File(real),
                Err(e) => Stat::Unusable(format!("{}: {}", path.display(), io_text(&e))),
            },
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
                ) =>
            {
                Stat::Missing
            }
            Err(e) => Stat::Unusable(format!("{}: {}", path.display(), io_text(&e))),
        };
        write(&self.stats).insert(path.to_owned(), stat.clone());
        stat
    }

    /// The file at real path `real`, read once.
    pub(super) fn node(&self, real: &Path) -> Result<Arc<FileNode>, Error> {
        if let Some(n) = read(&self.nodes).get(real) {
            return Ok(n.clone());
        }
        let contents: Arc<[u8]> = std::fs::read(real)
            .map_err(|e| Error::io("reading", real, e))?
            .into();
        let node = Arc::new(FileNode {
            path: real.to_owned(),
            contents,
            sites: OnceLock::new(),
        });
        Ok(write(&self.nodes)
            .entry(real.to_owned())
            .or_insert(node)
            .clone())
    }

    /// Whether the built-in files serve the import path `path`.
    pub(super) fn serves(&self, path: &str) -> bool {
        let Some(builtins) = &self.builtins else {
            return false;
        };
        if let Some(&known) = read(&self.served).get(path) {
            return known;
        }
        let known = crate::native::builtin_path(path).is_some_and(|p| builtins.get(&p).is_some());
        write(&self.served).insert(path.to_owned(), known);
        known
    }
}

/// An environment's import context: the project root, the entry file, and the
/// search path (highest priority first).
#[derive(Debug, Clone)]
pub struct Context {
    /// The project root (real path).
    pub root: PathBuf,
    /// The entry file (absolute).
    pub entry: PathBuf,
    /// The import search path, highest priority first.
    pub search: Vec<PathBuf>,
}

/// An import no file and no built-in library answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingImport {
    /// The importing file (real path).
    pub from: PathBuf,
    /// 1-based line and column of the keyword.
    pub line: usize,
    /// See `line`.
    pub column: usize,
    /// The keyword.
    pub kind: ImportKind,
    /// The path as written.
    pub path: String,
}

/// Everything an environment's entry file imports, directly or not.
#[derive(Debug)]
pub struct ImportTree {
    /// The project root (real path).
    pub root: PathBuf,
    /// The entry file (real path).
    pub entry: PathBuf,
    /// Every file of the tree by real path, the entry included, with its contents.
    pub files: BTreeMap<PathBuf, Arc<FileNode>>,
    /// The import paths served by gwsonnet's built-in libraries (and `tk`).
    pub builtins: BTreeSet<String>,
    /// Imports nothing answers, in the order met.
    pub missing: Vec<MissingImport>,
    /// The import edges (importing file, imported file), by real path.
    pub edges: BTreeSet<(PathBuf, PathBuf)>,
    /// Import cycles, each as the lexical paths from the first file back to it.
    pub cycles: Vec<Vec<PathBuf>>,
    /// Whether an import could have been answered by one of the deleted paths given
    /// to [`tree`] (it was tried before, or instead of, the file found).
    pub reaches_deleted: bool,
}

impl ImportTree {
    /// The tree's files relative to the root, `/`-separated and sorted (Tanka's
    /// `tk tool imports` list).
    pub fn relative_paths(&self) -> Vec<String> {
        let mut out: Vec<String> = self.files.keys().map(|p| relative(&self.root, p)).collect();
        out.sort();
        out
    }

    /// The first missing import as an error (`file:line:col: couldn't open import`).
    pub fn check_missing(&self) -> Result<(), Error> {
        match self.missing.first() {
            None => Ok(()),
            Some(m) => Err(TankaError::MissingImport {
                file: shown(&m.from),
                line: m.line,
                column: m.column,
                path: m.path.clone(),
            }
            .into()),
        }
    }
}

/// Paths given as deleted, matched against every path an import tries.
#[derive(Debug, Default)]
pub struct Deleted {
    /// Their file names, for a cheap first test.
    names: HashSet<std::ffi::OsString>,
    /// The paths, their existing parent folders resolved.
    paths: HashSet<PathBuf>,
}

impl Deleted {
    /// The deleted paths (absolute).
    pub fn new(paths: impl IntoIterator<Item = PathBuf>) -> Self {
        let mut d = Self::default();
        for p in paths {
            if let Some(name) = p.file_name() {
                d.names.insert(name.to_owned());
            }
            d.paths.insert(resolve_existing_prefix(&p));
        }
        d
    }

    /// Whether no path was given.
    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }

    /// Whether `candidate` is one of the deleted paths.
    pub(super) fn contains(&self, candidate: &Path) -> bool {
        candidate
            .file_name()
            .is_some_and(|n| self.names.contains(n))
            && self.paths.contains(&resolve_existing_prefix(candidate))
    }
}

/// `path` with its longest existing ancestor replaced by its real path.
fn resolve_existing_prefix(path: &Path) -> PathBuf {
    let mut rest = Vec::new();
    let mut at = path;
    loop {
        if let Ok(real) = std::fs::canonicalize(at) {
            return rest.iter().rev().fold(real, |p, c| p.join(c));
        }
        match (at.parent(), at.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                at = parent;
            }
            _ => return path.to_owned(),
        }
    }
}

/// The import tree of the environment `ctx`, its files read through `files`;
/// `deleted` paths are matched against every path an import tries.
pub fn tree(files: &Files, ctx: &Context, deleted: Option<&Deleted>) -> Result<ImportTree, Error> {
    let mut walker = super::walk::Walker::new(files, deleted);
    let walk = walker.walk(ctx)?;
    Ok(walker.tree(ctx, &walk))
}

/// Lexical clean-up of an absolute path (Go's `filepath.Clean`: no symlink resolution).
pub use crate::gocompat::path::clean_path as clean;

/// `path` relative to `base`, `/`-separated, with `..` where it lies outside (Go's
/// `filepath.Rel` of two clean absolute paths).
pub fn relative(base: &Path, path: &Path) -> String {
    let b: Vec<Component> = base.components().collect();
    let p: Vec<Component> = path.components().collect();
    let common = b.iter().zip(&p).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = vec!["..".into(); b.len() - common];
    parts.extend(
        p[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}

/// A path for a message: relative to the working directory when below it.
pub fn shown(path: &Path) -> String {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(|p| p.display().to_string()))
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| path.display().to_string())
}

/// The OS reason of an I/O error without Rust's "(os error N)".
fn io_text(e: &std::io::Error) -> String {
    if e.raw_os_error() == Some(libc::ELOOP) {
        return "symlink loop (too many levels of symbolic links)".into();
    }
    crate::error::io_reason(e)
}

fn read<T>(lock: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn write<T>(lock: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    lock.write()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_as_go() {
        assert_eq!(relative(Path::new("/a/b"), Path::new("/a/b/c/d")), "c/d");
        assert_eq!(relative(Path::new("/a/b"), Path::new("/a/x")), "../x");
        assert_eq!(relative(Path::new("/a/b"), Path::new("/a/b")), ".");
        assert_eq!(clean(Path::new("/a/b/vendor/../../c")), Path::new("/a/c"));
    }
}
