//! Where a file's imports come from, as the evaluator would find them: the Tanka
//! project's import path when the file lies in one (base dir, `<root>/lib`,
//! `<base>/vendor`, `<root>/vendor`, and the project's `crds/` folder loaded as
//! libraries), the server's `-J`/`JSONNET_PATH` directories, then the built-in and
//! loaded libraries (`--crds`, `--crd-library`, `--openapi`, `GWSONNET_CRDS`).
//!
//! Contact points: [`super::server`] asks [`Projects::for_file`] for each request's
//! file; [`super::analysis`] resolves imports with [`Project::resolve`] and reads
//! library values through [`Project::libs`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

use super::libraries::Libraries;
use crate::engine::EngineSettings;
use crate::model::Registry;
use crate::native::BuiltinFiles;

/// The configuration shared by every file: the server's flags.
#[derive(Debug, Clone)]
pub struct Base {
    /// `-J` and `JSONNET_PATH` directories, highest priority first.
    pub search: Vec<PathBuf>,
    /// `--crds`, `--crd-library`, `--openapi`, `GWSONNET_CRDS`.
    pub sources: crate::crd::Sources,
}

/// Where an import leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// A file on disk (absolute).
    File(PathBuf),
    /// A built-in file: its normalized import path.
    Builtin(String),
    /// Nothing serves it.
    Missing,
}

/// The import context of a set of files: one Tanka environment's directory, or the
/// files outside any project.
pub struct Project {
    /// The Tanka project root, when there is one.
    pub root: Option<PathBuf>,
    /// Library directories, highest priority first.
    pub search: Vec<PathBuf>,
    /// The libraries this project sees.
    pub registry: Arc<Registry>,
    /// Why the libraries could not all be loaded (a broken CRD file), if so: the
    /// project still works with the libraries that did load.
    pub load_error: Option<String>,
    builtins: BuiltinFiles,
    /// The built-in libraries' evaluated values.
    pub libs: Libraries,
}

impl Project {
    fn new(root: Option<PathBuf>, search: Vec<PathBuf>, base: &Base) -> Self {
        let mut sources = base.sources.clone();
        if let Some(crds) = root.as_ref().map(|r| r.join("crds")) {
            if crds.is_dir() {
                sources.add_project_crds(crds);
            }
        }
        let builtin = || Registry::builtin(&crate::openapi::builtin::KUBERNETES);
        let (registry, load_error) = if sources.is_empty() {
            (builtin(), None)
        } else {
            match crate::crd::add_to(builtin(), &sources) {
                Ok(r) => (r, None),
                Err(e) => {
                    let text = e.render().trim_end().to_owned();
                    eprintln!("gwsonnet lsp: {text}");
                    // What loads without the failing sources: the flags' libraries
                    // alone, else only the built-in ones.
                    let fallback =
                        crate::crd::add_to(builtin(), &base.sources).unwrap_or_else(|_| builtin());
                    (fallback, Some(text))
                }
            }
        };
        let registry = Arc::new(registry);
        let settings = EngineSettings {
            search: search.clone(),
            registry: registry.clone(),
            ..EngineSettings::default()
        };
        Self {
            root,
            search,
            builtins: BuiltinFiles::new(registry.clone()),
            registry,
            load_error,
            libs: Libraries::new(&settings),
        }
    }

    /// Resolves `import "<import>"` written in the file `from` (`None`: a file with no
    /// path), as the evaluator's resolver does: next to the file, the search path,
    /// then the built-in files.
    pub fn resolve(&self, from: Option<&Path>, import: &str) -> Resolved {
        if import.is_empty() {
            return Resolved::Missing;
        }
        let rel = Path::new(import);
        if rel.is_absolute() {
            return if rel.is_file() {
                Resolved::File(rel.to_owned())
            } else {
                Resolved::Missing
            };
        }
        if let Some(dir) = from.and_then(Path::parent) {
            let p = dir.join(rel);
            if p.is_file() {
                return Resolved::File(clean(&p));
            }
        }
        for dir in &self.search {
            let p = dir.join(rel);
            if p.is_file() {
                return Resolved::File(clean(&std::path::absolute(&p).unwrap_or(p)));
            }
        }
        match crate::native::builtin_path(import) {
            Some(n) if self.builtins.get(&n).is_some() => Resolved::Builtin(n),
            _ => Resolved::Missing,
        }
    }

    /// Why nothing serves `import` when it names a library (the versions loaded and how
    /// to load another), as the evaluator's error says.
    pub fn missing_hint(&self, import: &str) -> Option<String> {
        crate::native::builtin_path(import).and_then(|n| self.builtins.missing_hint(&n))
    }
}

/// Lexical clean-up of a path (`a/./b/../c` → `a/c`), no symlinks resolved.
fn clean(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The projects met so far, by Tanka root and base directory.
pub struct Projects {
    base: Base,
    known: HashMap<Option<(PathBuf, PathBuf)>, Rc<Project>>,
}

impl Projects {
    /// No project yet.
    pub fn new(base: Base) -> Self {
        Self {
            base,
            known: HashMap::new(),
        }
    }

    /// The project of the file at `path` (`None`: a file without a path).
    pub fn for_file(&mut self, path: Option<&Path>) -> Rc<Project> {
        let tanka = path
            .filter(|p| p.exists())
            .and_then(|p| crate::tanka::environment::Paths::find(p).ok());
        let key = tanka.as_ref().map(|t| (t.root.clone(), t.base.clone()));
        if let Some(p) = self.known.get(&key) {
            return p.clone();
        }
        let (root, search) = match &tanka {
            Some(t) => {
                let mut search = t.jpath();
                search.extend(self.base.search.iter().cloned());
                (Some(t.root.clone()), search)
            }
            None => (None, self.base.search.clone()),
        };
        let project = Rc::new(Project::new(root, search, &self.base));
        self.known.insert(key, project.clone());
        project
    }
}
