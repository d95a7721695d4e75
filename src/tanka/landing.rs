//! Where an export's files land (`export` and `export-merge`): the output directory is
//! locked against other exports, stages left by killed runs are removed, and the files
//! are staged and moved into place so that a failed or interrupted export leaves the
//! directory as it was.
//!
//! Two ways to land:
//! - **Beside** (the default): the whole new tree is built in
//!   `.<name>.gwsonnet-export-<pid>` next to the output directory (its existing files
//!   hard-linked in when merging) and swapped with it in one atomic
//!   `renameat2(RENAME_EXCHANGE)` (two renames where that is missing): all or nothing.
//! - **Inside**, where the directory cannot be swapped: it is a mount point, its parent
//!   is not writable, or this process's working directory is in it (a swap would leave
//!   the caller's shell in a deleted directory). The new files are written into
//!   `<out>/.gwsonnet-export-<pid>` and nothing else in the directory changes until all
//!   are written; then each is renamed into place (each file atomically), the files the
//!   export deletes are removed and `manifest.json` is replaced last. Only a crash
//!   during those renames can leave new files beside old ones (the old `manifest.json`
//!   still lists the old files, so a `replace-envs` export repairs it).
//!
//! Exports into one directory at once: an exclusive advisory lock (`flock`) on
//! `.<name>.gwsonnet-export.lock` beside the directory (on the directory itself when
//! its parent is not writable) is held from the second look at the directory to the
//! end. A second export waits for it (saying so on stderr), then finds the first one's
//! files: merged with `--merge-strategy`, refused as for any non-empty directory
//! without. Waiting rather than failing lets CI jobs export environments into one
//! directory in parallel. Under the lock, every stage of the directory is left over
//! from a killed run (no live export holds it) and is removed. SIGINT, SIGTERM and
//! SIGHUP while landing stop the writing, remove the stage and fail; a signal the
//! process inherited as ignored stays ignored.
//!
//! Contact points: [`super::export`] and [`super::merge`] call [`check_target`] before
//! their long work and [`land`] with the files; [`super::export::check_inside`] guards
//! the names `manifest.json` lists.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::fs;
use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicI32, Ordering};

use super::export::{check_inside, MergeStrategy, Rendered, MANIFEST_FILE};
use crate::error::{Error, TankaError};
use crate::manifest::go_json_indent;

/// How an export's files land in its output directory (`export` and `export-merge`).
pub(super) struct Landing<'a> {
    /// The output directory.
    pub out: &'a Path,
    /// `--merge-strategy`.
    pub merge: MergeStrategy,
    /// `--merge-deleted-envs`.
    pub deleted_envs: &'a [String],
    /// `--skip-manifest`.
    pub skip_manifest: bool,
    /// Threads writing the files of a fresh stage.
    pub parallel: usize,
}

/// The name of a stage inside the output directory, before the pid.
const INSIDE_STAGE: &str = ".gwsonnet-export-";

/// Whether the output directory has files to merge with; an error when it has and
/// no merge strategy was given. A stage a killed run left inside it does not count.
pub(super) fn check_target(landing: &Landing) -> Result<bool, Error> {
    let existing = match fs::read_dir(landing.out) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .any(|e| stage_pid(&e.file_name().to_string_lossy(), INSIDE_STAGE, "").is_none()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => false,
        Err(e) => return Err(Error::io("checking target dir", landing.out, e)),
    };
    if existing && landing.merge == MergeStrategy::None {
        return Err(TankaError::DirectoryNotEmpty {
            out: landing.out.to_owned(),
        }
        .into());
    }
    Ok(existing)
}

/// Writes `files` (of the environments `envs`) into the output directory, merged with
/// its files when it has some: locked, staged, and moved into place (see the module
/// documentation).
pub(super) fn land(
    landing: &Landing,
    files: &[Rendered],
    envs: &BTreeSet<String>,
) -> Result<(), Error> {
    let target = resolve(landing.out)?;
    let _lock = ExportLock::acquire(&target)?;
    remove_stale_stages(&target);
    // Another export may have landed since the first look.
    let merging = check_target(landing)?;
    // From here on, a termination signal stops the writing and removes the stage
    // (before, its default action ends the process with nothing written).
    let _signals = SignalGuard::install();
    let stage = match must_stay(&target) {
        true => Stage::create_inside(&target)?,
        false => Stage::create_beside(&target)?,
    };
    let result = stage
        .fill(landing, merging, files, envs)
        .and_then(|plan| interrupted().map(|()| plan))
        .and_then(|plan| stage.commit(&target, files, &plan));
    if result.is_err() {
        stage.discard();
    }
    result
}

/// The output directory as an absolute path without `.`/`..` (so its parent and name,
/// where the stage and the lock go, are never inside it).
fn resolve(out: &Path) -> Result<PathBuf, Error> {
    let absolute = match fs::canonicalize(out) {
        Ok(p) => p,
        Err(_) => std::path::absolute(out).map_err(|e| Error::io("resolving", out, e))?,
    };
    let mut clean = PathBuf::new();
    for c in absolute.components() {
        match c {
            Component::ParentDir => {
                clean.pop();
            }
            Component::CurDir => {}
            other => clean.push(other),
        }
    }
    if clean.file_name().is_none() {
        return Err(TankaError::NoParentDirectory {
            out: out.to_owned(),
        }
        .into());
    }
    Ok(clean)
}

/// The parent of `target` (an absolute path with a file name).
fn parent_of(target: &Path) -> &Path {
    target.parent().unwrap_or(Path::new("/"))
}

/// `target`'s file name.
fn name_of(target: &Path) -> String {
    target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The pid in a stage name `<prefix><pid><suffix>`.
fn stage_pid(name: &str, prefix: &str, suffix: &str) -> Option<u32> {
    name.strip_prefix(prefix)?
        .strip_suffix(suffix)?
        .parse()
        .ok()
}

/// Removes the stages of `target` that killed runs left (beside it, the old tree of
/// the two-rename fallback, inside it). Called under the lock: no live export is
/// landing there, so each is stale whatever process now has its pid. Best effort.
fn remove_stale_stages(target: &Path) {
    let beside = format!(".{}.gwsonnet-export-", name_of(target));
    let places = [(parent_of(target), beside.as_str()), (target, INSIDE_STAGE)];
    for (dir, prefix) in places {
        let Ok(entries) = fs::read_dir(dir) else {
            continue;
        };
        for entry in entries.filter_map(Result::ok) {
            let name = entry.file_name().to_string_lossy().into_owned();
            let stale = stage_pid(&name, prefix, "").is_some()
                || (dir != target && stage_pid(&name, prefix, ".old").is_some());
            if stale && entry.file_type().is_ok_and(|t| t.is_dir()) {
                let _ = fs::remove_dir_all(entry.path());
            }
        }
    }
}

/// Whether the output directory must stay where it is (an existing mount point, a
/// directory whose parent this process cannot write, or one holding this process's
/// working directory): then the export is staged inside it.
fn must_stay(target: &Path) -> bool {
    let Ok(meta) = fs::symlink_metadata(target) else {
        return false;
    };
    let parent = parent_of(target);
    let mount_point =
        is_mount_root(target) || fs::metadata(parent).is_ok_and(|p| p.dev() != meta.dev());
    let parent_writable = {
        use std::os::unix::ffi::OsStrExt;
        std::ffi::CString::new(parent.as_os_str().as_bytes())
            // SAFETY: a valid NUL-terminated path for the duration of the call.
            .is_ok_and(|p| unsafe { libc::access(p.as_ptr(), libc::W_OK) } == 0)
    };
    let holds_cwd = std::env::current_dir()
        .and_then(fs::canonicalize)
        .is_ok_and(|cwd| cwd.starts_with(target));
    mount_point || !parent_writable || holds_cwd
}

/// Whether `path` is the root of a mount (Linux `statx`: also a bind mount of a
/// directory of the same filesystem, which a device comparison misses).
#[cfg(target_os = "linux")]
fn is_mount_root(path: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(c) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: statx fills the zeroed buffer; the path is NUL-terminated.
    let mut buf: libc::statx = unsafe { std::mem::zeroed() };
    let rc = unsafe {
        libc::statx(
            libc::AT_FDCWD,
            c.as_ptr(),
            libc::AT_SYMLINK_NOFOLLOW,
            libc::STATX_BASIC_STATS,
            &mut buf,
        )
    };
    let flag = libc::STATX_ATTR_MOUNT_ROOT as u64;
    rc == 0 && buf.stx_attributes_mask & flag != 0 && buf.stx_attributes & flag != 0
}

/// Elsewhere only the device comparison in [`must_stay`] finds mount points.
#[cfg(not(target_os = "linux"))]
fn is_mount_root(_: &Path) -> bool {
    false
}

/// The exclusive lock of one output directory, released (and its lock file removed)
/// on drop.
struct ExportLock {
    file: fs::File,
    /// The lock file, removed on release; `None` when the directory itself is locked.
    path: Option<PathBuf>,
}

impl ExportLock {
    /// Takes the lock of `target`, waiting (with a word on stderr) while another export
    /// holds it.
    fn acquire(target: &Path) -> Result<Self, Error> {
        let parent = parent_of(target);
        fs::create_dir_all(parent).map_err(|e| Error::io("creating", parent, e))?;
        let path = parent.join(format!(".{}.gwsonnet-export.lock", name_of(target)));
        let mut said = false;
        loop {
            let lock = Self::open(target, &path)?;
            match lock.file.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => {
                    if !said {
                        eprintln!(
                            "waiting for another export into {} to finish (lock {})",
                            target.display(),
                            lock.shown(target).display()
                        );
                        said = true;
                    }
                    lock.file
                        .lock()
                        .map_err(|e| Error::io("locking", lock.shown(target), e))?;
                }
                Err(fs::TryLockError::Error(e)) => {
                    return Err(Error::io("locking", lock.shown(target), e))
                }
            }
            // The holder before us may have removed the lock file: then the lock is
            // on a file no one else will see; take the current one.
            if lock.still_current() {
                return Ok(lock);
            }
            // Not ours to remove.
            let mut stale = lock;
            stale.path = None;
        }
    }

    /// Opens (creating) the lock file, or the directory itself when the lock file can
    /// neither be created nor opened (a parent this process cannot write).
    fn open(target: &Path, path: &Path) -> Result<Self, Error> {
        use std::os::unix::fs::OpenOptionsExt;
        let created = fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o644)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
            .open(path);
        let error = match created {
            Ok(file) => {
                return Ok(Self {
                    file,
                    path: Some(path.to_owned()),
                })
            }
            Err(e) => e,
        };
        // Someone with write access made it: reading is enough for flock.
        if let Ok(file) = fs::File::open(path) {
            return Ok(Self { file, path: None });
        }
        match fs::File::open(target) {
            Ok(file) if file.metadata().is_ok_and(|m| m.is_dir()) => Ok(Self { file, path: None }),
            _ => Err(Error::io("creating", path, error)),
        }
    }

    /// What the lock is on, for messages.
    fn shown<'a>(&'a self, target: &'a Path) -> &'a Path {
        self.path.as_deref().unwrap_or(target)
    }

    /// Whether the locked file is still the one at its path (a removed lock file is
    /// not).
    fn still_current(&self) -> bool {
        let Some(path) = &self.path else {
            return true;
        };
        match (self.file.metadata(), fs::symlink_metadata(path)) {
            (Ok(held), Ok(now)) => held.dev() == now.dev() && held.ino() == now.ino(),
            _ => false,
        }
    }
}

impl Drop for ExportLock {
    fn drop(&mut self) {
        // Removed while still held: a waiter then finds its file gone and retries.
        if let Some(path) = self.path.take() {
            let _ = fs::remove_file(path);
        }
    }
}

/// What an export deletes and the `manifest.json` it writes.
struct Plan {
    /// Files of the output directory to delete (names `manifest.json` listed).
    doomed: Vec<String>,
    /// The new `manifest.json`, when one is written.
    manifest: Option<String>,
}

/// Where the export is built.
struct Stage {
    dir: PathBuf,
    /// Built inside the output directory (only the new files), else beside it (the
    /// whole new tree).
    inside: bool,
}

impl Stage {
    /// Creates `.<out name>.gwsonnet-export-<pid>` next to `out` (and `out`'s parents).
    fn create_beside(out: &Path) -> Result<Self, Error> {
        let name = format!(".{}.gwsonnet-export-{}", name_of(out), std::process::id());
        Self::create(parent_of(out).join(name), false)
    }

    /// Creates `.gwsonnet-export-<pid>` inside `out`.
    fn create_inside(out: &Path) -> Result<Self, Error> {
        Self::create(
            out.join(format!("{INSIDE_STAGE}{}", std::process::id())),
            true,
        )
    }

    fn create(dir: PathBuf, inside: bool) -> Result<Self, Error> {
        if dir.exists() {
            let _ = fs::remove_dir_all(&dir);
        }
        fs::create_dir(&dir).map_err(|e| Error::io("creating", &dir, e))?;
        Ok(Self { dir, inside })
    }

    /// Writes the export into the stage: beside, the existing files when merging
    /// (minus those `replace-envs` and `--merge-deleted-envs` delete); the new files;
    /// and the merged `manifest.json` (unless `--skip-manifest`). Inside, the new files
    /// only, after checking that none of them exists already.
    fn fill(
        &self,
        landing: &Landing,
        merging: bool,
        files: &[Rendered],
        envs: &BTreeSet<String>,
    ) -> Result<Plan, Error> {
        let mut map: BTreeMap<String, String> = BTreeMap::new();
        let mut doomed = Vec::new();
        if merging {
            if !self.inside {
                link_tree(landing.out, &self.dir)?;
            }
            let manifest = landing.out.join(MANIFEST_FILE);
            let mut has_manifest = true;
            match fs::read(&manifest) {
                Ok(bytes) => {
                    map = serde_json::from_slice(&bytes).map_err(|source| {
                        TankaError::ManifestJson {
                            path: manifest.clone(),
                            source,
                        }
                    })?;
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => has_manifest = false,
                Err(e) => return Err(Error::io("reading", manifest, e)),
            }
            let replacing = landing.merge == MergeStrategy::ReplaceEnvs && !envs.is_empty();
            if !has_manifest && (replacing || !landing.deleted_envs.is_empty()) {
                eprintln!(
                    "WARNING: no manifest file found at {}, skipping deletion of previously exported manifests",
                    manifest.display()
                );
            }
            let is_doomed = |env: &String| {
                (landing.merge == MergeStrategy::ReplaceEnvs && envs.contains(env))
                    || landing.deleted_envs.contains(env)
            };
            doomed = map
                .iter()
                .filter(|(_, env)| is_doomed(env))
                .map(|(file, _)| file.clone())
                .collect();
            for file in &doomed {
                check_inside(file, MANIFEST_FILE)?;
                map.remove(file);
                if !self.inside {
                    let path = self.dir.join(file);
                    match fs::remove_file(&path) {
                        Ok(()) => {}
                        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                        Err(e) => return Err(Error::io("deleting", path, e)),
                    }
                }
            }
            if self.inside {
                let doomed: BTreeSet<&str> = doomed.iter().map(String::as_str).collect();
                for f in files {
                    check_free(landing.out, &f.rel, doomed.contains(f.rel.as_str()))?;
                }
            }
        }
        // Into a fresh stage, `--parallel` threads write (thousands of small files
        // are mostly system time); each takes a contiguous run of the files, so the
        // first failure in file order is the one reported.
        let workers = match merging && !self.inside {
            true => 1,
            false => landing.parallel.max(1),
        };
        let run = files.len().div_ceil(workers).max(1);
        let written: Vec<Result<(), Error>> = std::thread::scope(|scope| {
            let handles: Vec<_> = files
                .chunks(run)
                .map(|part| scope.spawn(|| self.write_files(landing.out, part)))
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| Err(TankaError::WorkerFailed("writer").into()))
                })
                .collect()
        });
        written.into_iter().collect::<Result<(), Error>>()?;
        let manifest = ((!files.is_empty() || !doomed.is_empty()) && !landing.skip_manifest)
            .then(|| manifest_json(&listing(&map, files)));
        if let (Some(text), false) = (&manifest, self.inside) {
            let path = self.dir.join(MANIFEST_FILE);
            fs::write(&path, text).map_err(|e| Error::io("writing", &path, e))?;
        }
        Ok(Plan { doomed, manifest })
    }

    /// Writes `files` into the stage, in order; a file already there (when merging
    /// beside) is an error naming its place in `out`.
    fn write_files(&self, out: &Path, files: &[Rendered]) -> Result<(), Error> {
        // An environment's files are written one after another into one folder: it is
        // made once, not looked up again for each file.
        let mut folder: Option<(&str, PathBuf)> = None;
        let mut writer = super::rendered::Writer::default();
        for f in files {
            interrupted()?;
            // `rel` is `/`-separated: its folder and name without parsing it as a path.
            let (parent, name) = f.rel.rsplit_once('/').unwrap_or(("", f.rel.as_str()));
            if folder.as_ref().is_none_or(|(made, _)| *made != parent) {
                let dir = self.dir.join(parent);
                fs::create_dir_all(&dir).map_err(|e| Error::io("creating", &dir, e))?;
                folder = Some((parent, dir));
            }
            let (_, dir) = folder.as_ref().expect("made above");
            writer
                .write(&f.content, dir, OsStr::new(name))
                .map_err(|e| match e.kind() {
                    io::ErrorKind::AlreadyExists => TankaError::FileExists {
                        path: out.join(&f.rel),
                    }
                    .into(),
                    _ => Error::io("writing", self.dir.join(&f.rel), e),
                })?;
        }
        Ok(())
    }

    /// Moves the stage's work into `out`: beside, the swap; inside, the renames.
    fn commit(&self, out: &Path, files: &[Rendered], plan: &Plan) -> Result<(), Error> {
        if !self.inside {
            return self.swap_into(out);
        }
        let new: BTreeSet<&str> = files.iter().map(|f| f.rel.as_str()).collect();
        for f in files {
            let to = out.join(&f.rel);
            if let Some(parent) = to.parent() {
                fs::create_dir_all(parent).map_err(|e| Error::io("creating", parent, e))?;
            }
            fs::rename(self.dir.join(&f.rel), &to)
                .map_err(|e| Error::io("moving into place", &to, e))?;
        }
        for file in plan.doomed.iter().filter(|f| !new.contains(f.as_str())) {
            let path = out.join(file);
            match fs::remove_file(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(Error::io("deleting", path, e)),
            }
        }
        if let Some(text) = &plan.manifest {
            let staged = self.dir.join(MANIFEST_FILE);
            fs::write(&staged, text).map_err(|e| Error::io("writing", &staged, e))?;
            let to = out.join(MANIFEST_FILE);
            fs::rename(&staged, &to).map_err(|e| Error::io("moving into place", &to, e))?;
        }
        let _ = fs::remove_dir_all(&self.dir);
        Ok(())
    }

    /// Puts the stage in the place of `out`: a rename when `out` is absent, else an
    /// atomic exchange (Linux `renameat2`), falling back to two renames.
    fn swap_into(&self, out: &Path) -> Result<(), Error> {
        if !out.exists() {
            return fs::rename(&self.dir, out).map_err(|e| Error::io("moving into place", out, e));
        }
        if exchange(&self.dir, out).is_ok() {
            // The stage now holds the old directory.
            let _ = fs::remove_dir_all(&self.dir);
            return Ok(());
        }
        let old = self.dir.with_extension("old");
        fs::rename(out, &old).map_err(|e| Error::io("moving aside", out, e))?;
        if let Err(e) = fs::rename(&self.dir, out) {
            let _ = fs::rename(&old, out);
            return Err(Error::io("moving into place", out, e));
        }
        let _ = fs::remove_dir_all(&old);
        Ok(())
    }

    /// Removes the stage after a failure.
    fn discard(&self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// Checks, for a stage inside `out`, that the new file `rel` can be renamed into
/// place: it does not exist (unless the export deletes it, `doomed`) and none of its
/// folders is a file.
fn check_free(out: &Path, rel: &str, doomed: bool) -> Result<(), Error> {
    let path = out.join(rel);
    match fs::symlink_metadata(&path) {
        Ok(meta) if !doomed || meta.is_dir() => {
            return Err(TankaError::FileExists {
                path: out.join(rel),
            }
            .into())
        }
        _ => {}
    }
    let mut folder = path.parent();
    while let Some(dir) = folder.filter(|d| *d != out) {
        if fs::symlink_metadata(dir).is_ok_and(|m| !m.is_dir()) {
            return Err(Error::io(
                "creating",
                dir,
                io::Error::from(io::ErrorKind::NotADirectory),
            ));
        }
        folder = dir.parent();
    }
    Ok(())
}

/// The signal that arrived while [`SignalGuard`] was installed (0: none).
static SIGNAL: AtomicI32 = AtomicI32::new(0);

/// The handler: only records the signal (async-signal-safe).
extern "C" fn on_signal(signal: libc::c_int) {
    SIGNAL.store(signal, Ordering::SeqCst);
}

/// An error once a termination signal arrived.
fn interrupted() -> Result<(), Error> {
    let name = match SIGNAL.load(Ordering::SeqCst) {
        0 => return Ok(()),
        libc::SIGINT => "SIGINT",
        libc::SIGTERM => "SIGTERM",
        libc::SIGHUP => "SIGHUP",
        _ => "signal",
    };
    Err(TankaError::Interrupted(name).into())
}

/// The signals that stop an export while it lands.
const STOPPING: [libc::c_int; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];

/// Catches SIGINT, SIGTERM and SIGHUP while the export lands (those not inherited as
/// ignored); the previous dispositions are restored on drop. Plain `sigaction` rather
/// than `signal-hook`: that crate cannot give a signal its default action back.
struct SignalGuard {
    previous: Vec<(libc::c_int, libc::sigaction)>,
}

impl SignalGuard {
    fn install() -> Self {
        let mut previous = Vec::new();
        for signal in STOPPING {
            // SAFETY: sigaction with valid pointers; the handler only stores to an atomic.
            unsafe {
                let mut old: libc::sigaction = std::mem::zeroed();
                if libc::sigaction(signal, std::ptr::null(), &mut old) != 0
                    || old.sa_sigaction == libc::SIG_IGN
                {
                    continue;
                }
                let mut new: libc::sigaction = std::mem::zeroed();
                let handler: extern "C" fn(libc::c_int) = on_signal;
                new.sa_sigaction = handler as libc::sighandler_t;
                new.sa_flags = libc::SA_RESTART;
                libc::sigemptyset(&mut new.sa_mask);
                if libc::sigaction(signal, &new, std::ptr::null_mut()) == 0 {
                    previous.push((signal, old));
                }
            }
        }
        Self { previous }
    }
}

impl Drop for SignalGuard {
    fn drop(&mut self) {
        for (signal, old) in &self.previous {
            // SAFETY: puts back the disposition `install` replaced.
            unsafe { libc::sigaction(*signal, old, std::ptr::null_mut()) };
        }
    }
}

/// Swaps two paths atomically (Linux `renameat2(RENAME_EXCHANGE)`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| {
        CString::new(p.as_os_str().as_bytes()).map_err(|_| io::Error::other("NUL in path"))
    };
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: both are valid NUL-terminated paths for the duration of the call.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    match rc {
        0 => Ok(()),
        _ => Err(io::Error::last_os_error()),
    }
}

/// Elsewhere there is no atomic exchange: the caller falls back to two renames.
#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// Recreates `from`'s tree in `to`, hard-linking files (copying where links fail).
fn link_tree(from: &Path, to: &Path) -> Result<(), Error> {
    for entry in fs::read_dir(from).map_err(|e| Error::io("reading", from, e))? {
        let entry = entry.map_err(|e| Error::io("reading", from, e))?;
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        let kind = entry
            .file_type()
            .map_err(|e| Error::io("reading", &src, e))?;
        if kind.is_dir() {
            fs::create_dir(&dst).map_err(|e| Error::io("creating", &dst, e))?;
            link_tree(&src, &dst)?;
        } else if kind.is_symlink() {
            let target = fs::read_link(&src).map_err(|e| Error::io("reading", &src, e))?;
            std::os::unix::fs::symlink(target, &dst).map_err(|e| Error::io("creating", &dst, e))?;
        } else if fs::hard_link(&src, &dst).is_err() {
            fs::copy(&src, &dst).map_err(|e| Error::io("copying", &src, e))?;
        }
    }
    Ok(())
}

/// `manifest.json`'s entries, sorted by file: the kept entries of the output's
/// `map`, then `files` (a file listed in both is the new one's).
fn listing<'a>(
    map: &'a BTreeMap<String, String>,
    files: &'a [Rendered],
) -> Vec<(&'a str, &'a str)> {
    let mut listed: Vec<(&str, usize, &str)> = map
        .iter()
        .map(|(file, env)| (file.as_str(), env.as_str()))
        .chain(files.iter().map(|f| (f.rel.as_str(), f.env.as_str())))
        .enumerate()
        .map(|(order, (file, env))| (file, order, env))
        .collect();
    // By file, then in the order above (unique keys: the faster unstable sort).
    listed.sort_unstable_by(|a, b| a.0.cmp(b.0).then(a.1.cmp(&b.1)));
    listed.dedup_by(|later, kept| {
        let same = later.0 == kept.0;
        if same {
            *kept = *later;
        }
        same
    });
    listed
        .into_iter()
        .map(|(file, _, env)| (file, env))
        .collect()
}

/// `json.MarshalIndent(m, "", "    ")` of a `map[string]string` whose entries are
/// `sorted` (by bytes, as Go sorts a map's keys): no trailing newline.
fn manifest_json(sorted: &[(&str, &str)]) -> String {
    if sorted.is_empty() {
        return "{}".into();
    }
    let mut out = String::with_capacity(sorted.len() * 64);
    out.push('{');
    for (i, (file, env)) in sorted.iter().enumerate() {
        out.push_str(if i == 0 { "\n    " } else { ",\n    " });
        go_json_indent::write_string(&mut out, file);
        out.push_str(": ");
        go_json_indent::write_string(&mut out, env);
    }
    out.push_str("\n}");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_json_is_go_marshal_indent() {
        let sorted = [("a.yaml", "e/main.jsonnet"), ("b<.yaml", "e/main.jsonnet")];
        assert_eq!(
            manifest_json(&sorted),
            "{\n    \"a.yaml\": \"e/main.jsonnet\",\n    \"b\\u003c.yaml\": \"e/main.jsonnet\"\n}"
        );
        assert_eq!(manifest_json(&[]), "{}");
        let value: serde_json::Value = serde_json::from_str(&manifest_json(&sorted)).unwrap();
        assert_eq!(
            manifest_json(&sorted),
            go_json_indent::marshal_indent(&value, "    ")
        );
    }

    #[test]
    fn the_listing_is_sorted_and_a_new_file_replaces_its_old_entry() {
        let map: BTreeMap<String, String> =
            [("b.yaml", "old/main.jsonnet"), ("d.yaml", "d/main.jsonnet")]
                .into_iter()
                .map(|(f, e)| (f.to_owned(), e.to_owned()))
                .collect();
        let file = |rel: &str, env: &str| Rendered {
            rel: rel.into(),
            content: super::super::rendered::Content::Bytes(Vec::new()),
            env: env.into(),
            what: String::new(),
            env_name: String::new(),
            value: None,
        };
        let files = [
            file("c.yaml", "new/main.jsonnet"),
            file("b.yaml", "new/main.jsonnet"),
            file("a.yaml", "new/main.jsonnet"),
        ];
        assert_eq!(
            listing(&map, &files),
            [
                ("a.yaml", "new/main.jsonnet"),
                ("b.yaml", "new/main.jsonnet"),
                ("c.yaml", "new/main.jsonnet"),
                ("d.yaml", "d/main.jsonnet"),
            ]
        );
    }

    #[test]
    fn stage_names_carry_a_pid() {
        assert_eq!(stage_pid(".gwsonnet-export-12", INSIDE_STAGE, ""), Some(12));
        assert_eq!(
            stage_pid(
                ".out.gwsonnet-export-7.old",
                ".out.gwsonnet-export-",
                ".old"
            ),
            Some(7)
        );
        assert_eq!(
            stage_pid(".gwsonnet-export-12.yaml", INSIDE_STAGE, ""),
            None
        );
        assert_eq!(stage_pid(".gwsonnet-export-", INSIDE_STAGE, ""), None);
    }
}
