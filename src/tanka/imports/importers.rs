//! `tk tool importers`: which environments a set of changed (or deleted) files
//! affects, over a whole repository.
//!
//! Every `main.jsonnet` below the root is an environment; each one's import tree is
//! built ([`super::graph::tree`], the environments in parallel, sharing one
//! [`Files`] cache, so each file is read and scanned once), and an environment
//! imports a file when its tree holds it. This is exact where Tanka's own search
//! guesses from file names; Tanka's deliberate over-approximations are kept, as its
//! tests expect them:
//! - a file outside `<root>/lib` and `<root>/vendor` belongs to its environment: the
//!   nearest `main.jsonnet` at or above its folder (up to the project root) is an
//!   importer, or when there is none every `main.jsonnet` below the folder; this holds
//!   for the given files and for every file that imports them;
//! - a deleted file (`deleted:PATH`, relative to the working directory or to the
//!   root) is imported by every import that would have found it: one whose search
//!   tried its path before the file it found, or found nothing;
//! - a `main.jsonnet` given is reported for itself.
//!
//! Contact points: [`super`] re-exports [`find`]; the CLI prints
//! [`Importers::environments`].

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::graph::{self, Context, Deleted, Files};
use super::walk::Walker;
use super::{parallel_map_with, Repository};
use crate::error::{Error, TankaError};

/// The answer of [`find`].
#[derive(Debug)]
pub struct Importers {
    /// The entry files (`main.jsonnet`, real paths) of the environments affected,
    /// sorted.
    pub environments: Vec<PathBuf>,
    /// Every file that imports a given one, directly or not, with the given files and
    /// the paths that reach them through a symlink below the root, sorted (Tanka's
    /// `FindTransitiveImportersForFile`).
    pub files: Vec<PathBuf>,
    /// What was odd but not fatal (a dangling symlink).
    pub warnings: Vec<String>,
}

/// The importers of `files` (paths relative to the working directory; `deleted:PATH`
/// for a deleted file) among the environments below `root`.
pub fn find(root: &Path, files: &[String]) -> Result<Importers, Error> {
    let cwd = std::env::current_dir().map_err(|e| Error::io("reading", ".", e))?;
    let repo = Repository::scan(root)?;
    let mut deleted_paths = Vec::new();
    let mut targets: BTreeSet<PathBuf> = BTreeSet::new();
    for file in files {
        if let Some(path) = file.strip_prefix("deleted:") {
            let path = Path::new(path);
            if path.is_absolute() {
                deleted_paths.push(graph::clean(path));
            } else {
                deleted_paths.push(graph::clean(&cwd.join(path)));
                deleted_paths.push(graph::clean(&repo.root.join(path)));
            }
            continue;
        }
        let abs = graph::clean(&cwd.join(file));
        let real = std::fs::canonicalize(&abs).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => TankaError::NoSuchFile {
                file: file.to_string(),
            }
            .into(),
            _ => Error::io("resolving", &abs, e),
        })?;
        targets.insert(real);
    }
    let deleted = Deleted::new(deleted_paths.iter().cloned());
    let cache = Files::new(None);
    // Per environment: its entry file when it imports a target; per thread: the
    // import edges of those environments.
    let (walked, edges) = parallel_map_with(
        &repo.mains,
        || Walker::new(&cache, Some(&deleted)),
        |walker, main| -> Result<Option<PathBuf>, Error> {
            let walk = walker.walk(&repo.context(main, &cache))?;
            let imports_target = targets
                .iter()
                .filter_map(|t| walker.real_id(t))
                .any(|t| Walker::reaches(&walk, t));
            if !imports_target && !walk.reaches_deleted {
                return Ok(None);
            }
            walker.keep_edges(&walk);
            Ok(Some(walker.entry_path(&walk).to_owned()))
        },
        |walker| walker.kept_edges(),
    );
    let mut environments = BTreeSet::new();
    for found in walked {
        environments.extend(found?);
    }
    let edges: Vec<(PathBuf, PathBuf)> = edges.into_iter().flatten().collect();
    // The given main files themselves.
    for t in &targets {
        if t.file_name().is_some_and(|n| n == super::MAIN) {
            environments.insert(t.clone());
        }
    }
    let mut files_found = importers_of(&targets, &edges);
    for owner in files_found
        .iter()
        .chain(&deleted_paths)
        .filter(|f| !repo.in_lib_or_vendor(f))
        .flat_map(|f| repo.owning_environments(f))
        .collect::<Vec<_>>()
    {
        environments.insert(owner);
    }
    for t in &targets {
        files_found.extend(repo.aliases(t));
    }
    Ok(Importers {
        environments: environments.into_iter().collect(),
        files: files_found.into_iter().collect(),
        warnings: repo.warnings.clone(),
    })
}

/// The files that import one of `targets` directly or not, `targets` included, over
/// the import `edges` (importing file, imported file).
fn importers_of(targets: &BTreeSet<PathBuf>, edges: &[(PathBuf, PathBuf)]) -> BTreeSet<PathBuf> {
    let mut imported_by: HashMap<&Path, HashSet<&Path>> = HashMap::new();
    for (from, to) in edges {
        imported_by
            .entry(to.as_path())
            .or_default()
            .insert(from.as_path());
    }
    let mut found: BTreeSet<PathBuf> = targets.clone();
    let mut todo: Vec<&Path> = targets.iter().map(PathBuf::as_path).collect();
    while let Some(file) = todo.pop() {
        for &importer in imported_by.get(file).into_iter().flatten() {
            if found.insert(importer.to_owned()) {
                todo.push(importer);
            }
        }
    }
    found
}

impl Repository {
    /// The import context of the environment whose entry file is `main`: its project
    /// root and Tanka's search path; a `main.jsonnet` without a project root above it
    /// is taken with the scanned root as its project root. Paths are looked up
    /// through `files`.
    pub fn context(&self, main: &Path, files: &Files) -> Context {
        let exists = |p: &Path| files.exists(p);
        match super::super::environment::Paths::find_with(main, &exists) {
            // The folders below the scanned root were walked without following
            // symlinks: a project root among them is a real path already.
            Ok(paths) if paths.root.starts_with(&self.root) => Context {
                search: paths.jpath(),
                root: paths.root,
                entry: paths.entry,
            },
            Ok(paths) => super::context(&paths),
            Err(_) => {
                let base = main.parent().unwrap_or(&self.root).to_owned();
                Context {
                    root: self.root.clone(),
                    entry: main.to_owned(),
                    search: vec![
                        base.clone(),
                        self.root.join("lib"),
                        base.join("vendor"),
                        self.root.join("vendor"),
                    ],
                }
            }
        }
    }

    /// Whether `file` lies in `<root>/lib` or `<root>/vendor`.
    fn in_lib_or_vendor(&self, file: &Path) -> bool {
        file.starts_with(self.root.join("lib")) || file.starts_with(self.root.join("vendor"))
    }

    /// The environments a file outside `lib/` and `vendor/` belongs to: the nearest
    /// `main.jsonnet` at or above its folder (the first folder that exists, for a
    /// deleted file) up to its project root, else every `main.jsonnet` below the folder.
    fn owning_environments(&self, file: &Path) -> Vec<PathBuf> {
        let Some(folder) = file.parent() else {
            return Vec::new();
        };
        let mut existing = folder;
        while !existing.is_dir() {
            match existing.parent() {
                Some(p) => existing = p,
                None => return Vec::new(),
            }
        }
        if let Some(main) = nearest_main(existing) {
            return std::fs::canonicalize(&main).into_iter().collect();
        }
        if !folder.is_dir() {
            return Vec::new();
        }
        self.mains
            .iter()
            .filter(|m| m.starts_with(folder))
            .filter_map(|m| std::fs::canonicalize(m).ok())
            .collect()
    }

    /// The paths that reach `real` through a symlink below the root.
    fn aliases(&self, real: &Path) -> Vec<PathBuf> {
        self.symlinks
            .iter()
            .filter_map(|(link, target)| {
                let rest = real.strip_prefix(target).ok()?;
                Some(if rest.as_os_str().is_empty() {
                    link.clone()
                } else {
                    link.join(rest)
                })
            })
            .collect()
    }
}

/// The `main.jsonnet` at or above `dir`, up to the project root (the nearest folder
/// with `tkrc.yaml`, else `jsonnetfile.json`); `None` without a project root.
fn nearest_main(dir: &Path) -> Option<PathBuf> {
    let root = dir
        .ancestors()
        .find(|d| d.join("tkrc.yaml").exists())
        .or_else(|| {
            dir.ancestors()
                .find(|d| d.join("jsonnetfile.json").exists())
        })?;
    dir.ancestors()
        .take_while(|d| d.starts_with(root))
        .map(|d| d.join(super::MAIN))
        .find(|m| m.exists())
}
