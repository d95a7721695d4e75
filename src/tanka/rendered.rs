//! The export cache's second layer, for directory caches: the files an environment's
//! export wrote, so that a warm export neither decodes, processes nor marshals that
//! environment again and hard-links its files into the stage instead of writing them
//! (creating tens of thousands of files is most of a warm export's time; a link
//! allocates no inode and writes no data).
//!
//! An entry is a folder `rendered/<key>/` of the cache directory: `index.json`
//! ([`Index`]: format, gwsonnet version, key, the environments' entry files and, per
//! file, its name in the output, environment, size and modification time) and the
//! files `0`, `1`, … in index order. The key derives from the evaluation's key
//! ([`super::environment::evaluation_key`]) and every option that changes the files:
//! the project root, the entry's name below it, `--name`, `--format`, `--extension`,
//! `-t`, `-l` and `-r`. An entry is built in `rendered/.tmp-<key>-<pid>-<n>` and
//! renamed into place whole (a runner that loses the race keeps its own bytes).
//!
//! The output shares the cached files' inodes, so a file changed in place through the
//! output (its bytes or its permissions, whatever its size and modification time then
//! say) changes the entry. A hit therefore first checks every file against the index:
//! type, size, modification time and permission bits, then its SHA-256 (reading the
//! files costs a fraction of the writing it saves: see docs/performance.md); a
//! mismatch (or an unreadable index) is a miss with a warning, and the entry is
//! removed and built again. So the files a hit links are the bytes and modes that were
//! stored. Exported files carry the time their entry was built as their modification
//! time. `--validate` (which needs the values) and object stores (nothing to link
//! from) use the evaluated JSON alone.
//!
//! A hit sets the modification time of the entry's `index.json` to now: it is when
//! the entry was last used, which `tool cache-prune` ([`super::prune`]) goes by.
//!
//! Contact points: [`super::export`] asks [`lookup`] before loading an environment and
//! hands its files to [`store`] after; [`super::landing`] writes
//! [`Content::Linked`] files as links.

use std::fs;
use std::io::{self, Read, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::{Deserialize, Serialize};

use super::cache::{warn, Cache, EntryError, Key, VERSION};
use super::export::{check_inside, Rendered};

/// The folder of the cache directory holding the entries.
pub(super) const FOLDER: &str = "rendered";

/// An entry's index file.
pub(super) const INDEX: &str = "index.json";

/// The format of the index.
const FORMAT: &str = "gwsonnet-export-rendered/2";

/// A file to write into an export's stage.
pub(super) enum Content {
    /// These bytes.
    Bytes(Vec<u8>),
    /// A hard link to this file of a cache entry (a copy where linking fails).
    Linked(PathBuf),
}

impl Content {
    /// Creates `path` with this content; a file (or anything else) already at `path` is
    /// an [`io::ErrorKind::AlreadyExists`] error and stays as it was, so callers need
    /// no look before (one system call per file saved on a warm export).
    pub(super) fn write_to(&self, path: &Path) -> io::Result<()> {
        let create = || {
            fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(path)
        };
        match self {
            Self::Bytes(bytes) => create()?.write_all(bytes),
            Self::Linked(from) => match fs::hard_link(from, path) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(e),
                // Another filesystem, or links refused: a copy.
                Err(_) => io::copy(&mut fs::File::open(from)?, &mut create()?).map(|_| ()),
            },
        }
    }
}

/// An entry's `index.json`.
#[derive(Serialize, Deserialize)]
struct Index {
    format: String,
    version: String,
    key: String,
    envs: Vec<String>,
    files: Vec<Indexed>,
}

/// One file of an entry.
#[derive(Serialize, Deserialize)]
pub(super) struct Indexed {
    /// Its path below the output directory.
    pub rel: String,
    /// Its environment's entry file relative to the project root.
    pub env: String,
    /// `kind/name of environment …`, for conflict errors.
    pub what: String,
    /// Its environment's name.
    pub env_name: String,
    /// Its size when the entry was built.
    size: u64,
    /// Its modification time (seconds, nanoseconds) when the entry was built.
    modified: (i64, i64),
    /// Its permission bits when the entry was built.
    mode: u32,
    /// The SHA-256 of its bytes, in hex.
    sha256: String,
}

/// A hit: the files (each linked from the entry) and the environments' entry files.
pub(super) struct Hit {
    /// The files, in the order the export wrote them, with the file to link.
    pub files: Vec<(Indexed, PathBuf)>,
    /// The environments' entry files.
    pub envs: Vec<String>,
}

/// The folder of `key`'s entry in the directory cache `dir`.
fn entry_dir(dir: &Path, key: &Key) -> PathBuf {
    dir.join(FOLDER).join(key.hex())
}

/// The entry for `key`, when the cache is a directory and holds an intact one.
pub(super) fn lookup(cache: &Cache, key: &Key) -> Option<Hit> {
    let dir = cache.dir().filter(|_| cache.readable())?;
    let entry = entry_dir(dir, key);
    let bytes = match fs::read(entry.join(INDEX)) {
        Ok(bytes) => bytes,
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
            ) =>
        {
            return None
        }
        Err(e) => {
            damaged(cache, key, &EntryError::Unreadable(e));
            return None;
        }
    };
    match check(&entry, key, &bytes) {
        Ok(hit) => {
            cache.count_hit();
            super::prune::mark_used(&entry.join(INDEX));
            Some(hit)
        }
        Err(why) => {
            damaged(cache, key, &why);
            remove(&entry);
            None
        }
    }
}

/// Warns about an entry that cannot be used.
fn damaged(cache: &Cache, key: &Key, why: &EntryError) {
    warn(&format!(
        "ignoring the cache entry {}/{FOLDER}/{} ({why}); rendering again",
        cache.location(),
        key.hex()
    ));
}

/// The hit an entry's index describes, once every file is as it was stored.
fn check(entry: &Path, key: &Key, index: &[u8]) -> Result<Hit, EntryError> {
    let index: Index = serde_json::from_slice(index).map_err(EntryError::Index)?;
    if index.format != FORMAT {
        return Err(EntryError::OtherFormat {
            found: index.format,
            expected: FORMAT,
        });
    }
    if index.version != VERSION {
        return Err(EntryError::OtherVersion(index.version));
    }
    if index.key != key.hex() {
        return Err(EntryError::OtherKey("index"));
    }
    let mut files = Vec::with_capacity(index.files.len());
    for (i, f) in index.files.into_iter().enumerate() {
        if check_inside(&f.rel, &f.what).is_err() {
            return Err(EntryError::Outside {
                index: i,
                name: f.rel,
            });
        }
        let path = entry.join(i.to_string());
        let changed = || EntryError::Changed {
            index: i,
            name: f.rel.clone(),
        };
        let unreadable = |source| EntryError::File { index: i, source };
        // One descriptor for the type, size, time, mode and bytes: open (a symbolic
        // link is refused, as a changed file), fstat, one read, close.
        let mut file = fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
            .open(&path)
            .map_err(|e| match e.raw_os_error() {
                Some(libc::ELOOP) => changed(),
                _ => unreadable(e),
            })?;
        let meta = file.metadata().map_err(unreadable)?;
        if !meta.is_file()
            || meta.len() != f.size
            || modified(&meta) != f.modified
            || permissions(&meta) != f.mode
        {
            return Err(changed());
        }
        let mut bytes = vec![0; f.size as usize];
        file.read_exact(&mut bytes).map_err(unreadable)?;
        if sha256_hex(&bytes) != f.sha256 {
            return Err(changed());
        }
        files.push((f, path));
    }
    Ok(Hit {
        files,
        envs: index.envs,
    })
}

/// A file's modification time.
fn modified(meta: &fs::Metadata) -> (i64, i64) {
    (meta.mtime(), meta.mtime_nsec())
}

/// A file's permission bits (with setuid, setgid and sticky).
fn permissions(meta: &fs::Metadata) -> u32 {
    meta.mode() & 0o7777
}

/// The SHA-256 of `bytes` in lowercase hex.
fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .fold(String::with_capacity(64), |mut s, b| {
            use std::fmt::Write as _;
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// Removes an entry: renamed aside first, so no reader finds it half removed.
fn remove(entry: &Path) {
    let aside = entry.with_file_name(format!(".old-{}", unique()));
    if fs::rename(entry, &aside).is_ok() {
        let _ = fs::remove_dir_all(aside);
    }
}

/// `<pid>-<n>`, unique among this process's temporary names.
fn unique() -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    format!(
        "{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// Stores `out` under `key` when the cache is a writable directory; returns where
/// each file now is (to link from), or `None` when nothing was stored (a write
/// failed: one warning and no more writes; or another runner stored it first).
pub(super) fn store(
    cache: &Cache,
    key: &Key,
    files: &[Rendered],
    envs: &[String],
) -> Option<Vec<PathBuf>> {
    let dir = cache.dir().filter(|_| cache.writable())?;
    let folder = dir.join(FOLDER);
    let tmp = folder.join(format!(".tmp-{}-{}", key.hex(), unique()));
    let entry = entry_dir(dir, key);
    match build(&tmp, key, files, envs).and_then(|paths| {
        fs::rename(&tmp, &entry)?;
        Ok(paths)
    }) {
        Ok(paths) => Some(paths.iter().map(|p| entry.join(p)).collect()),
        Err(e) => {
            let _ = fs::remove_dir_all(&tmp);
            // Lost a race: the winner's entry holds the same files.
            if !entry.join(INDEX).is_file() {
                cache.write_failed(&crate::error::io_reason(&e));
            }
            None
        }
    }
}

/// Writes an entry's files and index into `tmp`; returns the files' names.
fn build(tmp: &Path, key: &Key, rendered: &[Rendered], envs: &[String]) -> io::Result<Vec<String>> {
    fs::create_dir_all(tmp)?;
    let mut names = Vec::with_capacity(rendered.len());
    let mut files = Vec::with_capacity(rendered.len());
    for (i, f) in rendered.iter().enumerate() {
        let name = i.to_string();
        let path = tmp.join(&name);
        f.content.write_to(&path)?;
        let meta = fs::metadata(&path)?;
        let sha256 = match &f.content {
            Content::Bytes(bytes) => sha256_hex(bytes),
            Content::Linked(_) => sha256_hex(&fs::read(&path)?),
        };
        files.push(Indexed {
            rel: f.rel.clone(),
            env: f.env.clone(),
            what: f.what.clone(),
            env_name: f.env_name.clone(),
            size: meta.len(),
            modified: modified(&meta),
            mode: permissions(&meta),
            sha256,
        });
        names.push(name);
    }
    let index = Index {
        format: FORMAT.into(),
        version: VERSION.into(),
        key: key.hex(),
        envs: envs.to_vec(),
        files,
    };
    let text = serde_json::to_vec(&index).map_err(io::Error::other)?;
    fs::write(tmp.join(INDEX), text)?;
    Ok(names)
}
