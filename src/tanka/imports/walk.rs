//! The depth-first walk of an environment's imports, made cheap enough to repeat for
//! every environment of a large repository: paths are numbered once, and where an
//! import leads is remembered — next to the importing file for every environment
//! alike, through the search path once per search path and import path. Walking an
//! environment then costs a few table look-ups per import; the files are read, stated
//! and scanned once per run through the shared [`Files`]. A file whose imports all
//! resolve next to their files (a vendored package importing its own files) has the
//! same closure in every environment: it is summarised once ([`Summary`]) and merged
//! whole.
//!
//! One [`Walker`] per thread (its tables are its own); [`super::graph::tree`] and
//! [`super::importers`] use it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::graph::{
    clean, shown, Context, Deleted, FileNode, Files, ImportTree, MissingImport, PathMap, Stat,
};
use super::scan::{self, ImportKind};
use crate::error::{Error, TankaError};

/// Where an import leads once the search is over.
#[derive(Debug, Clone)]
enum Step {
    /// A file (its lexical path's number).
    File(u32),
    /// A built-in file (its normalized import path).
    Builtin(Arc<str>),
    /// Nothing.
    Missing,
    /// An error: a directory, a symlink loop, an unreadable file.
    Unusable(Arc<str>),
}

/// Where an import leads as far as the importing file decides.
#[derive(Debug, Clone)]
enum Local {
    /// Found, or settled without a search (`tk`, a missing absolute path).
    Done(Step),
    /// Not next to the importer: the environment's search path decides.
    Search,
}

/// A path an import was found at, and the file there.
struct Lexical {
    path: PathBuf,
    real: u32,
}

/// The closure of a file whose imports never depend on the environment: every file
/// it reaches (a bit set of real numbers), its edges, built-in imports, missing imports
/// and whether a deleted path was tried.
#[derive(Debug, Default)]
struct Summary {
    reals: Vec<u64>,
    edges: Vec<(u32, u32)>,
    builtins: Vec<Arc<str>>,
    missing: Vec<(u32, usize)>,
    deleted: bool,
}

/// How deep summaries nest before a file is walked instead (threads have small stacks).
const SUMMARY_DEPTH: usize = 256;

/// One environment's walk, in numbers.
pub(super) struct Walk {
    /// The entry file's lexical number.
    entry: u32,
    /// Every file reached (real numbers), sorted.
    reals: Vec<u32>,
    /// Import edges between real numbers.
    edges: Vec<(u32, u32)>,
    builtins: BTreeSet<Arc<str>>,
    /// (lexical number, site index) of each import nothing answers.
    missing: Vec<(u32, usize)>,
    /// Cycles as lexical numbers.
    cycles: Vec<Vec<u32>>,
    /// Whether an import tried a deleted path.
    pub reaches_deleted: bool,
    /// The summaries merged (their edges are the walk's too).
    merged: Vec<Arc<Summary>>,
}

/// The numbering and the remembered steps of one thread's walks.
pub(super) struct Walker<'f> {
    files: &'f Files,
    deleted: Option<&'f Deleted>,
    lexical_ids: PathMap<u32>,
    lexical: Vec<Lexical>,
    real_ids: PathMap<u32>,
    reals: Vec<Arc<FileNode>>,
    /// (lexical number, site index) → step next to the importer, deleted path tried.
    local: FxHashMap<(u32, u32), (Local, bool)>,
    /// search path number → import path → step, deleted path tried.
    searched: Vec<FxHashMap<String, (Step, bool)>>,
    search_ids: FxHashMap<Vec<PathBuf>, u32>,
    /// Per walk: lexical numbers seen and on the stack, real numbers reached.
    seen: Vec<bool>,
    on_stack: Vec<bool>,
    reached: Vec<bool>,
    /// The edges of the walks [`Walker::keep_edges`] was given.
    kept: rustc_hash::FxHashSet<(u32, u32)>,
    /// The summaries whose edges are kept.
    kept_summaries: rustc_hash::FxHashSet<*const Summary>,
    /// Lexical number → its summary, `None` when its closure depends on the
    /// environment (or holds a cycle); absent while being made.
    summaries: FxHashMap<u32, Option<Arc<Summary>>>,
}

impl<'f> Walker<'f> {
    /// A walker reading through `files`, matching `deleted` paths.
    pub fn new(files: &'f Files, deleted: Option<&'f Deleted>) -> Self {
        Self {
            files,
            deleted: deleted.filter(|d| !d.is_empty()),
            lexical_ids: FxHashMap::default(),
            lexical: Vec::new(),
            real_ids: FxHashMap::default(),
            reals: Vec::new(),
            local: FxHashMap::default(),
            searched: Vec::new(),
            search_ids: FxHashMap::default(),
            seen: Vec::new(),
            on_stack: Vec::new(),
            reached: Vec::new(),
            kept: Default::default(),
            kept_summaries: Default::default(),
            summaries: FxHashMap::default(),
        }
    }

    /// The number of the real file `real`, read once.
    fn real(&mut self, real: &Path) -> Result<u32, Error> {
        if let Some(&id) = self.real_ids.get(real.as_os_str()) {
            return Ok(id);
        }
        let node = self.files.node(real)?;
        let id = self.reals.len() as u32;
        self.reals.push(node);
        self.real_ids.insert(real.as_os_str().to_owned(), id);
        self.reached.push(false);
        Ok(id)
    }

    /// The number of the lexical path `path` of the real file `real`.
    fn lexical(&mut self, path: PathBuf, real: &Path) -> Result<u32, Error> {
        if let Some(&id) = self.lexical_ids.get(path.as_os_str()) {
            return Ok(id);
        }
        let real = self.real(real)?;
        let id = self.lexical.len() as u32;
        self.lexical_ids.insert(path.as_os_str().to_owned(), id);
        self.lexical.push(Lexical { path, real });
        self.seen.push(false);
        self.on_stack.push(false);
        Ok(id)
    }

    /// The real number of a real path, when a walk of this walker reached it.
    pub fn real_id(&self, real: &Path) -> Option<u32> {
        self.real_ids.get(real.as_os_str()).copied()
    }

    /// The real path of a real number.
    pub fn real_path(&self, id: u32) -> &Path {
        &self.reals[id as usize].path
    }

    /// `candidate` as a step: a file there, nothing, or an error.
    fn probe(&mut self, candidate: PathBuf) -> Result<Option<Step>, Error> {
        Ok(match self.files.stat(&candidate) {
            Stat::File(real) => Some(Step::File(self.lexical(candidate, &real)?)),
            Stat::Missing => None,
            Stat::Unusable(why) => Some(Step::Unusable(why.into())),
        })
    }

    /// Where site `site` of the file at lexical number `from` leads, with the search
    /// path numbered `search`; and whether a deleted path was tried on the way.
    fn step(
        &mut self,
        from: u32,
        site: usize,
        search: (u32, &[PathBuf]),
    ) -> Result<(Step, bool), Error> {
        let node = self.reals[self.lexical[from as usize].real as usize].clone();
        let import_path = &node.sites()[site].path;
        let (local, local_deleted) = self.local_step(from, site, import_path)?;
        match local {
            Local::Done(step) => Ok((step, local_deleted)),
            Local::Search => {
                let table = &self.searched[search.0 as usize];
                if let Some((step, deleted)) = table.get(import_path.as_str()) {
                    return Ok((step.clone(), local_deleted || *deleted));
                }
                let (step, deleted) = self.step_searched(search.1, import_path)?;
                self.searched[search.0 as usize]
                    .insert(import_path.clone(), (step.clone(), deleted));
                Ok((step, local_deleted || deleted))
            }
        }
    }

    /// The step of site `site` (import path `import_path`) of the file at lexical
    /// number `from`, next to that file, remembered.
    fn local_step(
        &mut self,
        from: u32,
        site: usize,
        import_path: &str,
    ) -> Result<(Local, bool), Error> {
        let key = (from, site as u32);
        if let Some(known) = self.local.get(&key) {
            return Ok(known.clone());
        }
        let found = self.step_here(from, import_path)?;
        self.local.insert(key, found.clone());
        Ok(found)
    }

    /// The summary of the file at lexical number `l`, made on first use; `None` when
    /// its closure depends on the environment, holds a cycle or an error, or nests
    /// deeper than [`SUMMARY_DEPTH`].
    fn summary(&mut self, l: u32, depth: usize) -> Result<Option<Arc<Summary>>, Error> {
        if let Some(known) = self.summaries.get(&l) {
            return Ok(known.clone());
        }
        if depth > SUMMARY_DEPTH {
            return Ok(None);
        }
        // Being made: a cycle back to it is not summarised.
        self.summaries.insert(l, None);
        let made = self.make_summary(l, depth)?.map(Arc::new);
        self.summaries.insert(l, made.clone());
        Ok(made)
    }

    fn make_summary(&mut self, l: u32, depth: usize) -> Result<Option<Summary>, Error> {
        let real = self.lexical[l as usize].real;
        let node = self.reals[real as usize].clone();
        let mut out = Summary::default();
        set_bit(&mut out.reals, real);
        for (site, import) in node.sites().iter().enumerate() {
            let (local, deleted) = self.local_step(l, site, &import.path)?;
            out.deleted |= deleted;
            match local {
                Local::Search | Local::Done(Step::Unusable(_)) => return Ok(None),
                Local::Done(Step::Builtin(name)) => out.builtins.push(name),
                Local::Done(Step::Missing) => out.missing.push((l, site)),
                Local::Done(Step::File(to)) => {
                    let to_real = self.lexical[to as usize].real;
                    out.edges.push((real, to_real));
                    set_bit(&mut out.reals, to_real);
                    if import.kind != ImportKind::Import {
                        continue;
                    }
                    let Some(inner) = self.summary(to, depth + 1)? else {
                        return Ok(None);
                    };
                    if out.reals.len() < inner.reals.len() {
                        out.reals.resize(inner.reals.len(), 0);
                    }
                    for (word, bits) in out.reals.iter_mut().zip(&inner.reals) {
                        *word |= bits;
                    }
                    out.edges.extend_from_slice(&inner.edges);
                    out.builtins.extend(inner.builtins.iter().cloned());
                    out.missing.extend_from_slice(&inner.missing);
                    out.deleted |= inner.deleted;
                }
            }
        }
        out.edges.sort_unstable();
        out.edges.dedup();
        out.builtins.sort();
        out.builtins.dedup();
        out.missing.sort_unstable();
        out.missing.dedup();
        Ok(Some(out))
    }

    /// The step next to the importing file (go-jsonnet's first candidate).
    fn step_here(&mut self, from: u32, import_path: &str) -> Result<(Local, bool), Error> {
        if import_path == "tk" {
            return Ok((Local::Done(Step::Builtin("tk".into())), false));
        }
        if import_path.is_empty() {
            let why = "import path is empty".into();
            return Ok((Local::Done(Step::Unusable(why)), false));
        }
        let rel = Path::new(import_path);
        let candidate = if rel.is_absolute() {
            clean(rel)
        } else {
            let dir = self.lexical[from as usize]
                .path
                .parent()
                .unwrap_or(Path::new("/"));
            clean(&dir.join(rel))
        };
        let deleted = self.deleted.is_some_and(|d| d.contains(&candidate));
        Ok(match self.probe(candidate)? {
            Some(step) => (Local::Done(step), deleted),
            None if rel.is_absolute() => (Local::Done(Step::Missing), deleted),
            None => (Local::Search, deleted),
        })
    }

    /// The step through the search path `search`, then the built-in files.
    fn step_searched(
        &mut self,
        search: &[PathBuf],
        import_path: &str,
    ) -> Result<(Step, bool), Error> {
        let mut deleted = false;
        for dir in search {
            let candidate = clean(&dir.join(import_path));
            deleted |= self.deleted.is_some_and(|d| d.contains(&candidate));
            if let Some(step) = self.probe(candidate)? {
                return Ok((step, deleted));
            }
        }
        if self.files.serves(import_path) {
            let name = crate::native::builtin_path(import_path).unwrap_or_default();
            return Ok((Step::Builtin(name.into()), deleted));
        }
        Ok((Step::Missing, deleted))
    }

    /// Walks the environment `ctx` from its entry file.
    pub fn walk(&mut self, ctx: &Context) -> Result<Walk, Error> {
        let entry_real = match self.files.stat(&ctx.entry) {
            Stat::File(real) => real,
            _ => std::fs::canonicalize(&ctx.entry)
                .map_err(|e| Error::io("opening", &ctx.entry, e))?,
        };
        let entry = self.lexical(ctx.entry.clone(), &entry_real)?;
        let search_id = match self.search_ids.get(&ctx.search) {
            Some(&id) => id,
            None => {
                let id = self.searched.len() as u32;
                self.searched.push(FxHashMap::default());
                self.search_ids.insert(ctx.search.clone(), id);
                id
            }
        };
        let mut walk = Walk {
            entry,
            reals: vec![self.lexical[entry as usize].real],
            edges: Vec::new(),
            builtins: BTreeSet::new(),
            missing: Vec::new(),
            cycles: Vec::new(),
            reaches_deleted: false,
            merged: Vec::new(),
        };
        let mut seen = vec![entry];
        self.seen[entry as usize] = true;
        self.on_stack[entry as usize] = true;
        self.reached[walk.reals[0] as usize] = true;
        let mut stack: Vec<(u32, usize)> = vec![(entry, 0)];
        let result = self.walk_from(&mut stack, &mut walk, &mut seen, (search_id, &ctx.search));
        for &l in &seen {
            self.seen[l as usize] = false;
            self.on_stack[l as usize] = false;
        }
        for &r in &walk.reals {
            self.reached[r as usize] = false;
        }
        result?;
        walk.reals.sort_unstable();
        Ok(walk)
    }

    fn walk_from(
        &mut self,
        stack: &mut Vec<(u32, usize)>,
        walk: &mut Walk,
        seen: &mut Vec<u32>,
        search: (u32, &[PathBuf]),
    ) -> Result<(), Error> {
        while let Some(&(from, site)) = stack.last() {
            let from_real = self.lexical[from as usize].real;
            let node = self.reals[from_real as usize].clone();
            let Some(import) = node.sites().get(site) else {
                self.on_stack[from as usize] = false;
                stack.pop();
                continue;
            };
            if let Some(top) = stack.last_mut() {
                top.1 += 1;
            }
            let (step, deleted) = self.step(from, site, search)?;
            walk.reaches_deleted |= deleted;
            match step {
                Step::File(to) => {
                    let to_real = self.lexical[to as usize].real;
                    walk.edges.push((from_real, to_real));
                    if !self.reached[to_real as usize] {
                        self.reached[to_real as usize] = true;
                        walk.reals.push(to_real);
                    }
                    if import.kind != ImportKind::Import {
                        continue;
                    }
                    if self.on_stack[to as usize] {
                        let at = stack.iter().position(|f| f.0 == to).unwrap_or(0);
                        let mut cycle: Vec<u32> = stack[at..].iter().map(|f| f.0).collect();
                        cycle.push(to);
                        walk.cycles.push(cycle);
                    } else if !self.seen[to as usize] {
                        self.seen[to as usize] = true;
                        seen.push(to);
                        if let Some(summary) = self.summary(to, 0)? {
                            self.merge(walk, summary);
                        } else {
                            self.on_stack[to as usize] = true;
                            stack.push((to, 0));
                        }
                    }
                }
                Step::Builtin(name) => {
                    walk.builtins.insert(name);
                }
                Step::Missing => walk.missing.push((from, site)),
                Step::Unusable(why) => {
                    let (line, column) =
                        scan::line_col(&String::from_utf8_lossy(&node.contents), import.offset);
                    return Err(TankaError::UnusableImport {
                        file: shown(&node.path),
                        line,
                        column,
                        keyword: import.kind.keyword(),
                        path: import.path.clone(),
                        why: why.to_string(),
                    }
                    .into());
                }
            }
        }
        Ok(())
    }

    /// Adds a summary's files, imports and flags to the walk.
    fn merge(&mut self, walk: &mut Walk, summary: Arc<Summary>) {
        for (w, &bits) in summary.reals.iter().enumerate() {
            let mut rest = bits;
            while rest != 0 {
                let real = (w * 64) as u32 + rest.trailing_zeros();
                rest &= rest - 1;
                if !self.reached[real as usize] {
                    self.reached[real as usize] = true;
                    walk.reals.push(real);
                }
            }
        }
        walk.builtins.extend(summary.builtins.iter().cloned());
        walk.missing.extend_from_slice(&summary.missing);
        walk.reaches_deleted |= summary.deleted;
        walk.merged.push(summary);
    }

    /// Every edge of the walk, merged summaries' included.
    fn all_edges<'w>(walk: &'w Walk) -> impl Iterator<Item = (u32, u32)> + 'w {
        walk.edges
            .iter()
            .chain(walk.merged.iter().flat_map(|s| s.edges.iter()))
            .copied()
    }

    /// Whether the walk reached the real file numbered `real`.
    pub fn reaches(walk: &Walk, real: u32) -> bool {
        walk.reals.binary_search(&real).is_ok()
    }

    /// The real path of the walk's entry file.
    pub fn entry_path(&self, walk: &Walk) -> &Path {
        self.real_path(self.lexical[walk.entry as usize].real)
    }

    /// The walk's import edges as real paths.
    pub fn edges(&self, walk: &Walk) -> BTreeSet<(PathBuf, PathBuf)> {
        Self::all_edges(walk)
            .map(|(a, b)| (self.real_path(a).to_owned(), self.real_path(b).to_owned()))
            .collect()
    }

    /// Keeps the walk's import edges for [`Walker::kept_edges`].
    pub fn keep_edges(&mut self, walk: &Walk) {
        self.kept.extend(walk.edges.iter().copied());
        for summary in &walk.merged {
            if self.kept_summaries.insert(Arc::as_ptr(summary)) {
                self.kept.extend(summary.edges.iter().copied());
            }
        }
    }

    /// Every edge kept, as real paths.
    pub fn kept_edges(self) -> Vec<(PathBuf, PathBuf)> {
        self.kept
            .iter()
            .map(|&(a, b)| (self.real_path(a).to_owned(), self.real_path(b).to_owned()))
            .collect()
    }

    /// The walk as an [`ImportTree`] of paths.
    pub fn tree(&self, ctx: &Context, walk: &Walk) -> ImportTree {
        let files: BTreeMap<PathBuf, Arc<FileNode>> = walk
            .reals
            .iter()
            .map(|&r| (self.real_path(r).to_owned(), self.reals[r as usize].clone()))
            .collect();
        let mut places = walk.missing.clone();
        places.sort_unstable();
        places.dedup();
        let missing = places
            .iter()
            .map(|&(from, site)| {
                let node = &self.reals[self.lexical[from as usize].real as usize];
                let import = &node.sites()[site];
                let (line, column) =
                    scan::line_col(&String::from_utf8_lossy(&node.contents), import.offset);
                MissingImport {
                    from: node.path.clone(),
                    line,
                    column,
                    kind: import.kind,
                    path: import.path.clone(),
                }
            })
            .collect();
        ImportTree {
            root: ctx.root.clone(),
            entry: self.entry_path(walk).to_owned(),
            files,
            builtins: walk.builtins.iter().map(|b| b.to_string()).collect(),
            missing,
            edges: self.edges(walk),
            cycles: walk
                .cycles
                .iter()
                .map(|c| {
                    c.iter()
                        .map(|&l| self.lexical[l as usize].path.clone())
                        .collect()
                })
                .collect(),
            reaches_deleted: walk.reaches_deleted,
        }
    }
}

/// Sets bit `bit` of `bits`, growing it.
fn set_bit(bits: &mut Vec<u64>, bit: u32) {
    let word = bit as usize / 64;
    if bits.len() <= word {
        bits.resize(word + 1, 0);
    }
    bits[word] |= 1 << (bit % 64);
}
