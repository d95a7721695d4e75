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
use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, OnceLock, RwLock};

use rustc_hash::FxHashMap;

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

/// What a folder holds, read once with one `getdents` (the file types come with the
/// names): most paths an import search tries lie in folders that do not hold them, or
/// below folders that do not exist, and a listing answers all of those without a
/// `stat` each.
#[derive(Debug)]
enum Listing {
    /// The folder does not exist (or is no folder).
    Absent,
    /// Its entries and their types.
    Entries(FxHashMap<OsString, EntryKind>),
    /// It exists but cannot be listed (no read permission): ask the OS per path.
    Unreadable,
}

/// The type of a folder's entry, as its listing gives it.
#[derive(Debug, Clone, Copy)]
enum EntryKind {
    /// A regular file.
    File,
    /// A folder.
    Dir,
    /// A symlink, or a type the filesystem does not report: ask the OS.
    Other,
}

/// A map keyed by absolute, clean paths, hashed as bytes (`Path`'s own hash walks its
/// components, which cost more than the look-ups it serves); for clean paths, equal
/// bytes are equal paths.
pub(super) type PathMap<V> = FxHashMap<OsString, V>;

/// The shared cache of one run: stats by lexical path, folder listings and real paths
/// of folders, files by real path, and the built-in files that imports not found on
/// disk may name.
pub struct Files {
    stats: RwLock<PathMap<Stat>>,
    listings: RwLock<PathMap<Arc<Listing>>>,
    real_dirs: RwLock<PathMap<Option<PathBuf>>>,
    nodes: RwLock<PathMap<Arc<FileNode>>>,
    builtins: Option<BuiltinFiles>,
    served: RwLock<HashMap<String, bool>>,
}

impl Files {
    /// An empty cache; `builtins` are the files gwsonnet serves from memory (the
    /// libraries of the environment's registry), `None` for none.
    pub fn new(builtins: Option<BuiltinFiles>) -> Self {
        Self {
            stats: RwLock::default(),
            listings: RwLock::default(),
            real_dirs: RwLock::default(),
            nodes: RwLock::default(),
            builtins,
            served: RwLock::default(),
        }
    }

    /// What `path` (absolute and clean) is.
    pub(super) fn stat(&self, path: &Path) -> Stat {
        if let Some(s) = read(&self.stats).get(path.as_os_str()) {
            return s.clone();
        }
        // The folder's listing says what is there; a regular file is at its folder's
        // real path. Symlinks, and folders that cannot be listed, are asked the OS.
        let stat = match (path.parent(), path.file_name()) {
            (Some(dir), Some(name)) => match &*self.listing(dir) {
                Listing::Absent => Stat::Missing,
                Listing::Entries(entries) => match entries.get(name) {
                    None => Stat::Missing,
                    Some(EntryKind::Dir) => {
                        Stat::Unusable(format!("read {}: is a directory", path.display()))
                    }
                    Some(EntryKind::File) => match self.real_dir(dir) {
                        Some(real) => Stat::File(real.join(name)),
                        None => stat_followed(path),
                    },
                    Some(EntryKind::Other) => stat_followed(path),
                },
                Listing::Unreadable => stat_followed(path),
            },
            _ => stat_followed(path),
        };
        write(&self.stats).insert(path.as_os_str().to_owned(), stat.clone());
        stat
    }

    /// Whether something is at `path` (absolute and clean), symlinks followed (a
    /// path the OS refuses to look at, a symlink loop, counts as something).
    pub fn exists(&self, path: &Path) -> bool {
        !matches!(self.stat(path), Stat::Missing)
    }

    /// The listing of the folder `dir` (absolute and clean), read once; a folder its
    /// parent's listing does not hold as a folder (or symlink) is absent unread.
    fn listing(&self, dir: &Path) -> Arc<Listing> {
        if let Some(l) = read(&self.listings).get(dir.as_os_str()) {
            return l.clone();
        }
        let in_parent = match (dir.parent(), dir.file_name()) {
            (Some(parent), Some(name)) => match &*self.listing(parent) {
                Listing::Absent => Some(None),
                Listing::Entries(entries) => Some(entries.get(name).copied()),
                Listing::Unreadable => None,
            },
            _ => None,
        };
        let listing = match in_parent {
            Some(None | Some(EntryKind::File)) => Listing::Absent,
            _ => read_listing(dir),
        };
        let listing = Arc::new(listing);
        write(&self.listings).insert(dir.as_os_str().to_owned(), listing.clone());
        listing
    }

    /// The real path of the folder `dir` (absolute and clean), resolved once: its
    /// parent's real path and its name when its parent lists it as a folder (no
    /// symlink), else as the OS resolves it.
    fn real_dir(&self, dir: &Path) -> Option<PathBuf> {
        if let Some(real) = read(&self.real_dirs).get(dir.as_os_str()) {
            return real.clone();
        }
        let plain = match (dir.parent(), dir.file_name()) {
            (Some(parent), Some(name)) => match &*self.listing(parent) {
                Listing::Entries(entries) => matches!(entries.get(name), Some(EntryKind::Dir))
                    .then(|| self.real_dir(parent).map(|p| p.join(name)))
                    .flatten(),
                _ => None,
            },
            _ => None,
        };
        let real = plain.or_else(|| std::fs::canonicalize(dir).ok());
        write(&self.real_dirs).insert(dir.as_os_str().to_owned(), real.clone());
        real
    }

    /// The file at real path `real`, read once.
    pub(super) fn node(&self, real: &Path) -> Result<Arc<FileNode>, Error> {
        if let Some(n) = read(&self.nodes).get(real.as_os_str()) {
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
            .entry(real.as_os_str().to_owned())
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

/// The entries of the folder `dir` with their types.
fn read_listing(dir: &Path) -> Listing {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if is_missing(&e) => return Listing::Absent,
        Err(_) => return Listing::Unreadable,
    };
    let mut out = FxHashMap::default();
    for entry in entries {
        let Ok(entry) = entry else {
            return Listing::Unreadable;
        };
        let kind = match entry.file_type() {
            Ok(t) if t.is_file() => EntryKind::File,
            Ok(t) if t.is_dir() => EntryKind::Dir,
            _ => EntryKind::Other,
        };
        out.insert(entry.file_name(), kind);
    }
    Listing::Entries(out)
}

/// What `path` (absolute and clean) is, symlinks followed.
fn stat_followed(path: &Path) -> Stat {
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => Stat::Unusable(format!("read {}: is a directory", path.display())),
        Ok(_) => match std::fs::canonicalize(path) {
            Ok(real) => Stat::File(real),
            Err(e) => Stat::Unusable(format!("{}: {}", path.display(), io_text(&e))),
        },
        Err(e) if is_missing(&e) => Stat::Missing,
        Err(e) => Stat::Unusable(format!("{}: {}", path.display(), io_text(&e))),
    }
}

/// Whether an error says there is nothing at the path (or a parent is no folder).
fn is_missing(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
    )
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
