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

use std::ffi::OsStr;
use std::fs;
use std::io::{self, Read, Write};
use std::os::fd::OwnedFd;
use std::os::unix::fs::MetadataExt;

use rustix::fs::{linkat, openat, AtFlags, Mode, OFlags};
use rustix::io::Errno;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

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
    Linked(Cached),
}

/// A file of a cache entry: the entry's folder, shared by all its files, and the
/// file's place in the entry (its name there).
#[derive(Clone)]
pub(super) struct Cached {
    /// The entry's folder.
    pub entry: Arc<Path>,
    /// The file's index in the entry.
    pub index: usize,
}

/// Creates files with their [`Content`], keeping the last source and target folders
/// open: the files of an environment are written one after another into one folder,
/// linked from one entry, so each file costs one `linkat` (or `openat` and `write`) of a
/// bare name instead of walking both paths again (the kernel's path walk was the
/// largest part of a warm export).
#[derive(Default)]
pub(super) struct Writer {
    from: Option<(Arc<Path>, OwnedFd)>,
    to: Option<(PathBuf, OwnedFd)>,
}

impl Writer {
    /// Creates the file `name` of the folder `folder` with `content`; a file (or
    /// anything else) already there is an [`io::ErrorKind::AlreadyExists`] error and
    /// stays as it was, so callers need no look before.
    pub(super) fn write(
        &mut self,
        content: &Content,
        folder: &Path,
        name: &OsStr,
    ) -> io::Result<()> {
        if name.is_empty() {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "no file name"));
        }
        let create = |to: &OwnedFd| -> io::Result<fs::File> {
            let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::CLOEXEC;
            Ok(openat(to, name, flags, Mode::from_raw_mode(0o666))?.into())
        };
        if self
            .to
            .as_ref()
            .is_none_or(|(open, _)| open.as_os_str() != folder.as_os_str())
        {
            self.to = Some((folder.to_owned(), open_folder(folder)?));
        }
        let to = &self.to.as_ref().expect("opened above").1;
        match content {
            Content::Bytes(bytes) => create(to)?.write_all(bytes),
            Content::Linked(from) => {
                if self
                    .from
                    .as_ref()
                    .is_none_or(|(open, _)| !Arc::ptr_eq(open, &from.entry))
                {
                    self.from = Some((from.entry.clone(), open_folder(&from.entry)?));
                }
                let source = &self.from.as_ref().expect("opened above").1;
                let from_name = from.index.to_string();
                match linkat(source, from_name.as_str(), to, name, AtFlags::empty()) {
                    Ok(()) => Ok(()),
                    Err(e) if e == Errno::EXIST => Err(e.into()),
                    // Another filesystem, or links refused: a copy.
                    Err(_) => {
                        let mut source = fs::File::open(from.entry.join(from_name))?;
                        io::copy(&mut source, &mut create(to)?).map(|_| ())
                    }
                }
            }
        }
    }
}

/// The folder `path`, opened to create or link files in it by name.
fn open_folder(path: &Path) -> io::Result<OwnedFd> {
    let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
    Ok(rustix::fs::open(path, flags, Mode::empty())?)
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

/// A hit: the entry's folder, its files and the environments' entry files.
pub(super) struct Hit {
    /// The entry's folder.
    pub entry: Arc<Path>,
    /// The files, in the order the export wrote them: the `i`th is the entry's file
    /// of index `i` ([`Cached`]).
    pub files: Vec<Indexed>,
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
    // The entry's files are opened by name in the open entry folder (no path walk each).
    let folder = open_folder(entry).map_err(EntryError::Unreadable)?;
    let mut bytes = Vec::new();
    for (i, f) in index.files.iter().enumerate() {
        if check_inside(&f.rel, &f.what).is_err() {
            return Err(EntryError::Outside {
                index: i,
                name: f.rel.clone(),
            });
        }
        let name = i.to_string();
        let changed = || EntryError::Changed {
            index: i,
            name: f.rel.clone(),
        };
        let unreadable = |source| EntryError::File { index: i, source };
        // One descriptor for the type, size, time, mode and bytes: open (a symbolic
        // link is refused, as a changed file), fstat, one read, close.
        let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
        let mut file: fs::File = openat(&folder, name.as_str(), flags, Mode::empty())
            .map_err(|e| match e {
                Errno::LOOP => changed(),
                e => unreadable(e.into()),
            })?
            .into();
        let meta = file.metadata().map_err(unreadable)?;
        if !meta.is_file()
            || meta.len() != f.size
            || modified(&meta) != f.modified
            || permissions(&meta) != f.mode
        {
            return Err(changed());
        }
        bytes.clear();
        bytes.resize(f.size as usize, 0);
        file.read_exact(&mut bytes).map_err(unreadable)?;
        if sha256_hex(&bytes) != f.sha256 {
            return Err(changed());
        }
    }
    Ok(Hit {
        entry: entry.into(),
        files: index.files,
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
    crate::gocompat::hex::encode(&Sha256::digest(bytes))
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

/// Stores `files` under `key` when the cache is a writable directory; returns the
/// entry's folder, where the `i`th file now is the file of index `i` (to link from), or
/// `None` when nothing was stored (a write failed: one warning and no more writes; or
/// another runner stored it first).
pub(super) fn store(
    cache: &Cache,
    key: &Key,
    files: &[Rendered],
    envs: &[String],
) -> Option<Arc<Path>> {
    let dir = cache.dir().filter(|_| cache.writable())?;
    let folder = dir.join(FOLDER);
    let tmp = folder.join(format!(".tmp-{}-{}", key.hex(), unique()));
    let entry = entry_dir(dir, key);
    match build(&tmp, key, files, envs).and_then(|()| fs::rename(&tmp, &entry)) {
        Ok(()) => Some(entry.into()),
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

/// Writes an entry's files (the `i`th named `i`) and index into `tmp`.
fn build(tmp: &Path, key: &Key, rendered: &[Rendered], envs: &[String]) -> io::Result<()> {
    fs::create_dir_all(tmp)?;
    let mut files = Vec::with_capacity(rendered.len());
    let mut writer = Writer::default();
    for (i, f) in rendered.iter().enumerate() {
        let name = i.to_string();
        writer.write(&f.content, tmp, OsStr::new(&name))?;
        let path = tmp.join(&name);
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
    }
    let index = Index {
        format: FORMAT.into(),
        version: VERSION.into(),
        key: key.hex(),
        envs: envs.to_vec(),
        files,
    };
    let text = serde_json::to_vec(&index).map_err(io::Error::other)?;
    fs::write(tmp.join(INDEX), text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_writer_links_creates_and_never_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let (entry, out) = (dir.path().join("entry"), dir.path().join("out"));
        fs::create_dir_all(&entry).unwrap();
        fs::create_dir_all(out.join("b")).unwrap();
        fs::write(entry.join("0"), "zero").unwrap();
        fs::write(entry.join("1"), "one").unwrap();
        let entry: Arc<Path> = entry.into();
        let cached = |index| {
            Content::Linked(Cached {
                entry: entry.clone(),
                index,
            })
        };
        let name = OsStr::new;
        let mut w = Writer::default();
        w.write(&cached(0), &out, name("a.yaml")).unwrap();
        w.write(&cached(1), &out.join("b"), name("c.yaml")).unwrap();
        w.write(&Content::Bytes(b"new".to_vec()), &out, name("d.yaml"))
            .unwrap();
        assert_eq!(fs::read_to_string(out.join("a.yaml")).unwrap(), "zero");
        assert_eq!(fs::metadata(out.join("b/c.yaml")).unwrap().nlink(), 2);
        assert_eq!(fs::read_to_string(out.join("d.yaml")).unwrap(), "new");
        for content in [Content::Bytes(b"x".to_vec()), cached(1)] {
            let e = w.write(&content, &out, name("a.yaml")).unwrap_err();
            assert_eq!(e.kind(), io::ErrorKind::AlreadyExists);
        }
        assert_eq!(fs::read_to_string(out.join("a.yaml")).unwrap(), "zero");
        let e = w.write(&cached(0), &out, name("")).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidInput);
    }

    #[test]
    fn the_writer_copies_across_filesystems() {
        // /dev/shm is a tmpfs where there is one; the temporary folder is elsewhere.
        let Ok(shm) = tempfile::tempdir_in("/dev/shm") else {
            eprintln!("skipped: no writable /dev/shm to link across");
            return;
        };
        let dir = tempfile::tempdir().unwrap();
        if fs::metadata(shm.path()).unwrap().dev() == fs::metadata(dir.path()).unwrap().dev() {
            eprintln!("skipped: /dev/shm and the temporary folder are one filesystem");
            return;
        }
        fs::write(shm.path().join("0"), "zero").unwrap();
        let cached = Content::Linked(Cached {
            entry: shm.path().into(),
            index: 0,
        });
        let mut w = Writer::default();
        w.write(&cached, dir.path(), OsStr::new("a.yaml")).unwrap();
        let to = dir.path().join("a.yaml");
        assert_eq!(fs::read_to_string(&to).unwrap(), "zero");
        assert_eq!(fs::metadata(&to).unwrap().nlink(), 1);
    }

    #[test]
    fn digests_are_lowercase_hex() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
