//! The import graph of Tanka environments, from the files' static imports (no
//! evaluation): `tk tool imports` (an environment's transitive imports), `tk tool
//! importers` (the environments a changed or deleted file affects), and the input
//! set of an environment's export (its entry file and every file it imports, with
//! their contents, which the export cache hashes).
//!
//! - [`scan`]: the `import`/`importstr`/`importbin` sites of one file (jrsonnet's
//!   lexer, only as far as needed);
//! - [`graph`]: one environment's [`ImportTree`], resolved with its Tanka import
//!   path, through the shared [`Files`] cache;
//! - [`importers`]: the reverse question over every environment of a repository.
//!
//! The public entry points: [`tree`] (an environment found as `show`/`export` find
//! it, e.g. for a cache key), [`imports`] (`tool imports`), [`find_importers`]
//! (`tool importers`). Contact points: [`crate::cli`] prints their answers;
//! [`super::environment::Paths`] finds root, base and search path.

pub mod graph;
pub mod importers;
pub mod scan;
mod walk;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

pub use graph::{Context, Deleted, FileNode, Files, ImportTree, MissingImport};
pub use importers::{find as find_importers, Importers};
pub use scan::ImportKind;

use super::environment::{Paths, DEFAULT_ENTRYPOINT as MAIN};
use crate::error::{Error, TankaError};

/// The import context of an environment found with [`Paths::find`]: its project root
/// (real path), entry file and Tanka's search path.
pub fn context(paths: &Paths) -> Context {
    Context {
        root: std::fs::canonicalize(&paths.root).unwrap_or_else(|_| paths.root.clone()),
        entry: paths.entry.clone(),
        search: paths.jpath(),
    }
}

/// The import tree of the environment at `paths` (as `show` and `export` evaluate
/// it): its entry file and every file it imports, directly or not, with contents;
/// the imports gwsonnet's built-in libraries serve; the imports nothing answers. An
/// import of a directory, or through a symlink loop, is an error
/// (`file:line:col: import "p": …`).
pub fn tree(paths: &Paths, files: &Files) -> Result<ImportTree, Error> {
    graph::tree(files, &context(paths), None)
}

/// `tool imports`: the import tree of the environment at `path` (a directory or its
/// entry file; symlinks in it resolved first, as Tanka does), every import answered
/// (a missing one is an error naming its file, line and column).
pub fn imports(path: &Path, files: &Files) -> Result<ImportTree, Error> {
    let real = std::fs::canonicalize(path).map_err(|e| Error::io("opening", path, e))?;
    let tree = tree(&Paths::find(&real)?, files)?;
    tree.check_missing()?;
    Ok(tree)
}

/// `tool imports` for `req.path`, the imports served by the libraries the
/// environment sees (built in, its project's `crds/` folder, `--crds`) counted as
/// answered.
pub fn for_request(req: &super::Request) -> Result<ImportTree, Error> {
    let engine = super::engine_with_libraries(req)?;
    let builtins = crate::native::BuiltinFiles::new(engine.registry);
    imports(&req.path, &Files::new(Some(builtins)))
}

/// The environments of a repository: every `main.jsonnet` below the root (symlinked
/// folders not followed, `.git` skipped) and the symlinks met on the way.
#[derive(Debug)]
pub struct Repository {
    /// The root (real path).
    pub root: PathBuf,
    /// Every `main.jsonnet` below it, sorted.
    pub mains: Vec<PathBuf>,
    /// Every symlink below it, with its target's real path.
    symlinks: Vec<(PathBuf, PathBuf)>,
    /// Dangling symlinks met, as warnings.
    pub warnings: Vec<String>,
}

impl Repository {
    /// Walks `root`. A symlink loop below it is an error; a dangling symlink a warning.
    pub fn scan(root: &Path) -> Result<Self, Error> {
        let root = std::fs::canonicalize(root).map_err(|e| Error::io("opening", root, e))?;
        let mut repo = Self {
            root: root.clone(),
            mains: Vec::new(),
            symlinks: Vec::new(),
            warnings: Vec::new(),
        };
        let mut dirs = vec![root];
        while let Some(dir) = dirs.pop() {
            let entries = std::fs::read_dir(&dir).map_err(|e| Error::io("reading", &dir, e))?;
            for entry in entries {
                let entry = entry.map_err(|e| Error::io("reading", &dir, e))?;
                let kind = entry
                    .file_type()
                    .map_err(|e| Error::io("reading", entry.path(), e))?;
                let path = entry.path();
                let is_main = entry.file_name() == MAIN;
                if kind.is_dir() {
                    if entry.file_name() != ".git" {
                        dirs.push(path);
                    }
                } else if kind.is_symlink() {
                    match std::fs::canonicalize(&path) {
                        Ok(target) => {
                            if is_main && target.is_file() {
                                repo.mains.push(path.clone());
                            }
                            repo.symlinks.push((path, target));
                        }
                        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => {
                            return Err(TankaError::SymlinkLoop {
                                path: graph::shown(&path),
                            }
                            .into())
                        }
                        Err(e) => repo.warnings.push(format!(
                            "dangling symlink {}: {}",
                            graph::shown(&path),
                            crate::error::io_reason(&e)
                        )),
                    }
                } else if is_main {
                    repo.mains.push(path);
                }
            }
        }
        repo.mains.sort();
        repo.symlinks.sort();
        Ok(repo)
    }
}

/// `f` of every item, on as many threads as there are cores; results in item order.
pub(crate) fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    parallel_map_with(items, || (), |(), item| f(item), |()| ()).0
}

/// [`parallel_map`] with a state per thread, made by `init`; `finish` turns each
/// thread's final state into what is returned beside the results.
pub(crate) fn parallel_map_with<T: Sync, S, R: Send, F: Send>(
    items: &[T],
    init: impl Fn() -> S + Sync,
    f: impl Fn(&mut S, &T) -> R + Sync,
    finish: impl Fn(S) -> F + Sync,
) -> (Vec<R>, Vec<F>) {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, items.len().max(1));
    let next = AtomicUsize::new(0);
    let per_thread: Vec<(Vec<(usize, R)>, F)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut state = init();
                    let mut out = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        out.push((i, f(&mut state, item)));
                    }
                    (out, finish(state))
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    let mut finished = Vec::new();
    let mut done: Vec<(usize, R)> = Vec::new();
    for (out, state) in per_thread {
        done.extend(out);
        finished.push(state);
    }
    done.sort_by_key(|(i, _)| *i);
    (done.into_iter().map(|(_, r)| r).collect(), finished)
}
