//! Import resolution with go-jsonnet's rules plus built-in virtual files.
//!
//! Order for `import "p"` from a file: the importing file's directory, then the library
//! search path (highest priority first: later `-J` before earlier, then `JSONNET_PATH`),
//! then the built-in files (doc-util, the libraries of the registry, through
//! [`BuiltinFiles`]). Files on disk always win over built-ins, so a vendored copy
//! replaces the built-in one.
//!
//! Each file found is also given the name go-jsonnet gives it ([`FoundAt`]), which
//! `std.thisFile` (src/engine/stdlib.rs) reports. An import of a library's path that
//! nothing serves fails with go-jsonnet's words and a hint from
//! [`BuiltinFiles::missing_hint`] (the versions loaded, and how to load another).

use std::{
    any::Any,
    borrow::Cow,
    cell::RefCell,
    collections::HashMap,
    fmt, fs,
    hash::Hash,
    path::{Path, PathBuf},
    rc::Rc,
};

use jrsonnet_evaluator::{
    bail,
    error::{ErrorKind::*, Result},
    AsPathLike, ImportResolver, ResolvePath, ResolvePathOwned,
};
use jrsonnet_gcmodule::Acyclic;
use jrsonnet_ir::{SourceFifo, SourceFile, SourcePath, SourcePathT};

use super::prepass::{raw_imports, Prepass};
use crate::gocompat::path as gopath;
use crate::native::BuiltinFiles;

/// A built-in (in-memory) file, identified by its import path.
#[derive(Acyclic, Debug, Hash, PartialEq, Eq)]
pub struct SourceBuiltin(pub String);

/// The source path of the built-in file at import path `path` (normalized), as the
/// resolver names the files it serves ([`crate::native::BuiltinSource`]).
pub fn builtin_source(path: String) -> SourcePath {
    SourcePath::new(SourceBuiltin(path))
}

impl fmt::Display for SourceBuiltin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A file on disk as `importstr`/`importbin` read it: its bytes as written, never
/// the text the prepass made of it for `import` (see [`super::prepass::raw_imports`]).
/// Shown and located exactly as the same file imported.
#[derive(Acyclic, Debug, Hash, PartialEq, Eq)]
pub struct SourceRawFile(PathBuf);

impl fmt::Display for SourceRawFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.display())
    }
}

/// The parts of [`SourcePathT`] that are the same for every source type of ours:
/// identity by value, `path` as given.
macro_rules! source_path_type {
    ($type:ty, |$this:ident| $path:expr) => {
        impl SourcePathT for $type {
            fn is_default(&self) -> bool {
                false
            }
            fn path(&self) -> Option<&Path> {
                let $this = self;
                $path
            }
            fn as_any(&self) -> &dyn Any {
                self
            }
            fn dyn_hash(&self, mut hasher: &mut dyn std::hash::Hasher) {
                self.hash(&mut hasher)
            }
            fn dyn_eq(&self, other: &dyn SourcePathT) -> bool {
                other
                    .as_any()
                    .downcast_ref::<Self>()
                    .is_some_and(|o| o == self)
            }
            fn dyn_debug(&self, fmt: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(self, fmt)
            }
        }
    };
}

source_path_type!(SourceBuiltin, |_this| None);
source_path_type!(SourceRawFile, |this| Some(this.0.as_path()));

/// The names go-jsonnet 0.22 gives the files it loads (`std.thisFile`), by absolute
/// path: an import found next to the importing file is the directory part of that
/// file's name joined with the import string, one found in a library directory is that
/// directory (as given) joined with it, both lexically cleaned (Go's `filepath.Join`, so
/// `./lib/a.libsonnet` becomes `lib/a.libsonnet`); an absolute import or the main file
/// keeps its text as written. A file reached under two names keeps the first.
#[derive(Acyclic, Clone, Default)]
pub struct FoundAt(Rc<RefCell<HashMap<PathBuf, String>>>);

impl FoundAt {
    /// Names `file` (when it is a file on disk and not named yet).
    pub fn record(&self, file: &SourcePath, name: impl FnOnce() -> Option<String>) {
        if let Some(file) = file.downcast_ref::<SourceFile>() {
            if self.0.borrow().contains_key(file.path()) {
                return;
            }
            if let Some(name) = name() {
                self.0.borrow_mut().insert(file.path().to_owned(), name);
            }
        }
    }

    /// The name of the file at absolute path `path`, if it was recorded.
    pub fn name(&self, path: &Path) -> Option<String> {
        self.0.borrow().get(path).cloned()
    }

    /// The name of the main file `given`: as typed on the command line (go-jsonnet's
    /// python binding and C++ jsonnet agree; go-jsonnet's CLI would clean it).
    pub fn main_name(given: &Path) -> String {
        given.to_string_lossy().into_owned()
    }
}

/// The import resolver of the engine.
#[derive(Acyclic)]
pub struct Resolver {
    /// Library directories, highest priority first.
    search: Vec<PathBuf>,
    builtins: BuiltinFiles,
    /// Built-in files made while resolving an import, until they are loaded (making
    /// one can cost as much as parsing it: a kind file converts its kind).
    made: RefCell<HashMap<String, Cow<'static, str>>>,
    prepass: Prepass,
    found_at: FoundAt,
    /// Serve Tanka's `tk` import ([`TK_NAME`]).
    tanka_tk: bool,
}

/// The name Tanka gives its `tk` import (`std.thisFile`, error traces).
pub const TK_NAME: &str = "<internal>/tk.libsonnet";

/// The text of Tanka's `tk` import.
const TK_TEXT: &str = "\n{\n  env: std.extVar(\"tanka.dev/environment\"),\n}\n";

impl Resolver {
    /// `search` is in priority order (first wins).
    /// `prepass` checks and prepares every Jsonnet file loaded; `found_at` learns the
    /// name of every file found.
    pub fn new(
        search: Vec<PathBuf>,
        builtins: BuiltinFiles,
        prepass: Prepass,
        found_at: FoundAt,
    ) -> Self {
        Self {
            search,
            builtins,
            made: RefCell::default(),
            prepass,
            found_at,
            tanka_tk: false,
        }
    }

    /// With `on`, `import "tk"` from any file is Tanka's `tk` file, ahead of files on disk.
    pub fn with_tanka_tk(mut self, on: bool) -> Self {
        self.tanka_tk = on;
        self
    }

    fn search_disk(&self, rel: &Path) -> Result<Option<SourcePath>> {
        for dir in &self.search {
            if let Some(found) = check_file(&lexical_join(dir, rel))? {
                self.found_at.record(&found, || {
                    Some(gopath::join(&dir.to_string_lossy(), &rel.to_string_lossy()))
                });
                return Ok(Some(found));
            }
        }
        Ok(None)
    }

    /// go-jsonnet's name of `rel` found next to the file `from`.
    fn local_name(&self, from: &SourcePath, rel: &Path) -> Option<String> {
        let rel_text = rel.to_string_lossy();
        if rel.is_absolute() {
            return Some(rel_text.into_owned());
        }
        let from_name = match from.downcast_ref::<SourceFile>() {
            Some(file) => self.found_at.name(file.path())?,
            None => String::new(),
        };
        let dir = from_name.rsplit_once('/').map_or("", |(dir, _)| dir);
        let dir = if dir.is_empty() && from_name.starts_with('/') {
            "/"
        } else {
            dir
        };
        Some(gopath::join(dir, &rel_text))
    }

    fn builtin(&self, rel: &str) -> Option<SourcePath> {
        let normal = crate::native::builtin_path(rel)?;
        // Only a library's `main.libsonnet`, and only with directories to look in.
        let main = !self.search.is_empty() && normal.ends_with("/main.libsonnet");
        let text = match main
            .then(|| self.builtins.main_adding_files_whole(&normal))
            .flatten()
        {
            // A hand-written file of the library on disk: it replaces the built-in
            // one whole, whatever fields it adds.
            Some((files, published))
                if files.iter().any(|f| {
                    self.search
                        .iter()
                        .any(|dir| lexical_join(dir, Path::new(f)).is_file())
                }) =>
            {
                Cow::Owned(published)
            }
            _ => self.builtins.get(&normal)?,
        };
        self.made.borrow_mut().insert(normal.clone(), text);
        Some(SourcePath::new(SourceBuiltin(normal)))
    }
}

/// `Some` when `path` is an existing regular file (or FIFO), `None` when absent, an
/// error for a directory.
fn check_file(path: &Path) -> Result<Option<SourcePath>> {
    let meta = match fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => return Ok(None),
        Err(e) => bail!(ImportIo(format!("{}: {e}", path.display()))),
    };
    if meta.is_dir() {
        // As go-jsonnet: a directory is found, and reading it fails.
        bail!(ImportIo(format!("read {}: is a directory", path.display())));
    }
    let abs = if path.is_absolute() {
        path.to_owned()
    } else {
        std::env::current_dir()
            .map_err(|e| ImportIo(e.to_string()))?
            .join(path)
    };
    Ok(Some(SourcePath::new(SourceFile::new(gopath::clean_path(
        &abs,
    )))))
}

/// `dir` joined with `rel` as go-jsonnet joins them (`path.Join`: cleaned before the
/// file is opened, so `vendor/../../x` finds `x` two levels up even where no `vendor/`
/// folder exists); an absolute `rel` as it is.
fn lexical_join(dir: &Path, rel: &Path) -> PathBuf {
    if rel.is_absolute() {
        return rel.to_owned();
    }
    match (dir.to_str(), rel.to_str()) {
        (Some(d), Some(r)) => PathBuf::from(gopath::join(d, r)),
        _ => dir.join(rel),
    }
}

impl ImportResolver for Resolver {
    fn resolve_from(&self, from: &SourcePath, path: &dyn AsPathLike) -> Result<SourcePath> {
        let path = path.as_path();
        if let ResolvePath::Str(marked) = &path {
            if let Some(raw) = raw_imports::strip_mark(marked) {
                let found = self.resolve_from(from, &raw)?;
                return Ok(match found.downcast_ref::<SourceFile>() {
                    Some(file) => SourcePath::new(SourceRawFile(file.path().to_owned())),
                    None => found,
                });
            }
        }
        if self.tanka_tk && matches!(path, ResolvePath::Str("tk")) {
            return Ok(SourcePath::new(SourceBuiltin(TK_NAME.into())));
        }
        let rel: &Path = match path {
            ResolvePath::Str(s) => Path::new(s),
            ResolvePath::Path(p) => p,
        };
        if rel.as_os_str().is_empty() {
            // go-jsonnet looks for no file: "couldn't open import """.
            bail!(ImportFileNotFound(
                from.clone(),
                ResolvePathOwned::Str(String::new())
            ));
        }
        if let Some(builtin) = from.downcast_ref::<SourceBuiltin>() {
            // Relative to a built-in file: its virtual directory, on disk first.
            let dir = builtin.0.rsplit_once('/').map_or("", |(d, _)| d);
            let joined = format!("{dir}/{}", rel.to_string_lossy());
            if let Some(normal) = crate::native::builtin_path(&joined) {
                if let Some(found) = self.search_disk(Path::new(&normal))? {
                    return Ok(found);
                }
                if let Some(found) = self.builtin(&normal) {
                    return Ok(found);
                }
            }
        } else {
            let base = if let Some(file) = from.downcast_ref::<SourceFile>() {
                file.path().parent().map(Path::to_owned)
            } else if from.is_default() || from.downcast_ref::<SourceFifo>().is_some() {
                std::env::current_dir().ok()
            } else {
                None
            };
            let direct = match base {
                Some(base) => lexical_join(&base, rel),
                None => rel.to_owned(),
            };
            if let Some(found) = check_file(&direct)? {
                self.found_at.record(&found, || self.local_name(from, rel));
                return Ok(found);
            }
            if rel.is_absolute() {
                bail!(ImportFileNotFound(from.clone(), path.to_owned()));
            }
        }
        if let Some(found) = self.search_disk(rel)? {
            return Ok(found);
        }
        if let Some(found) = rel.to_str().and_then(|s| self.builtin(s)) {
            return Ok(found);
        }
        // A library's path: go-jsonnet's words, then what is loaded and how to load it.
        if let Some(hint) = rel
            .to_str()
            .and_then(crate::native::builtin_path)
            .and_then(|p| self.builtins.missing_hint(&p))
        {
            bail!(RuntimeError(
                format!(
                    "couldn't open import {:?}: no match locally or in the Jsonnet library paths; {hint}",
                    path.to_owned().to_string()
                )
                .into()
            ));
        }
        bail!(ImportFileNotFound(from.clone(), path.to_owned()))
    }

    fn load_file_contents(&self, resolved: &SourcePath) -> Result<Vec<u8>> {
        if let Some(file) = resolved.downcast_ref::<SourceFile>() {
            let bytes = fs::read(file.path())
                .map_err(|e| ImportIo(format!("{}: {e}", file.path().display())))?;
            return self.prepass.prepare(resolved, bytes);
        }
        if let Some(raw) = resolved.downcast_ref::<SourceRawFile>() {
            return fs::read(&raw.0)
                .map_err(|e| ImportIo(format!("{}: {e}", raw.0.display())).into());
        }
        if let Some(fifo) = resolved.downcast_ref::<SourceFifo>() {
            return self.prepass.prepare(resolved, fifo.1.to_vec());
        }
        if let Some(builtin) = resolved.downcast_ref::<SourceBuiltin>() {
            if self.tanka_tk && builtin.0 == TK_NAME {
                return Ok(TK_TEXT.as_bytes().to_vec());
            }
            let made = self.made.borrow_mut().remove(&builtin.0);
            if let Some(text) = made.or_else(|| self.builtins.get(&builtin.0)) {
                return Ok(text.into_owned().into_bytes());
            }
        }
        bail!(ResolvedFileNotFound(resolved.clone()))
    }
}
