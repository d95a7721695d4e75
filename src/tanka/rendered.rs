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
use std::os::fd::OwnedFd;
use std::os::unix::fs::MetadataExt;

use rustix::fs::{linkat, openat, AtFlags, Mode, OFlags};
use rustix::io::Errno;
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

/// Creates files with their [`Content`], keeping the last source and target folders
/// open: the files of an environment are written one after another into one folder,
/// linked from one entry, so each file costs one `linkat` (or `openat` and `write`) of a
/// bare name instead of walking both paths again (the kernel's path walk was the
/// largest part of a warm export).
#[derive(Default)]
pub(super) struct Writer {
    from: Option<(PathBuf, OwnedFd)>,
    to: Option<(PathBuf, OwnedFd)>,
}

impl Writer {
    /// Creates `path` with `content`; a file (or anything else) already at `path` is an
    /// [`io::ErrorKind::AlreadyExists`] error and stays as it was, so callers need no
    /// look before.
    pub(super) fn write(&mut self, content: &Content, path: &Path) -> io::Result<()> {
        let (folder, name) = split(path)?;
        let create = |to: &OwnedFd| -> io::Result<fs::File> {
            let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::CLOEXEC;
            Ok(openat(to, name, flags, Mode::from_raw_mode(0o666))?.into())
        };
        match content {
            Content::Bytes(bytes) => create(Self::folder(&mut self.to, folder)?)?.write_all(bytes),
            Content::Linked(from) => {
                let (from_folder, from_name) = split(from)?;
                let source = Self::folder(&mut self.from, from_folder)?;
                let to = Self::folder(&mut self.to, folder)?;
                match linkat(source, from_name, to, name, AtFlags::empty()) {
                    Ok(()) => Ok(()),
                    Err(e) if e == Errno::EXIST => Err(e.into()),
                    // Another filesystem, or links refused: a copy.
                    Err(_) => io::copy(&mut fs::File::open(from)?, &mut create(to)?).map(|_| ()),
                }
            }
        }
    }

    /// The open folder `path`, opening it unless it is the one `slot` holds.
    fn folder<'a>(
        slot: &'a mut Option<(PathBuf, OwnedFd)>,
        path: &Path,
    ) -> io::Result<&'a OwnedFd> {
        if slot.as_ref().is_none_or(|(open, _)| open != path) {
            let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
            *slot = Some((
                path.to_owned(),
                rustix::fs::open(path, flags, Mode::empty())?,
            ));
        }
        Ok(&slot.as_ref().expect("filled above").1)
    }
}

/// A file's folder (`.` for a bare name) and name.
fn split(path: &Path) -> io::Result<(&Path, &std::ffi::OsStr)> {
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "no file name"))?;
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    Ok((folder, name))
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
    // The entry's files are opened by name in the open entry folder (no path walk each).
    let folder = rustix::fs::open(
        entry,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .map_err(|e| EntryError::Unreadable(e.into()))?;
    for (i, f) in index.files.into_iter().enumerate() {
        if check_inside(&f.rel, &f.what).is_err() {
            return Err(EntryError::Outside {
                index: i,
                name: f.rel,
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
        let mut bytes = vec![0; f.size as usize];
        file.read_exact(&mut bytes).map_err(unreadable)?;
        if sha256_hex(&bytes) != f.sha256 {
            return Err(changed());
        }
        files.push((f, entry.join(name)));
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
    let mut writer = Writer::default();
    for (i, f) in rendered.iter().enumerate() {
        let name = i.to_string();
        let path = tmp.join(&name);
        writer.write(&f.content, &path)?;
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
        let mut w = Writer::default();
        w.write(&Content::Linked(entry.join("0")), &out.join("a.yaml"))
            .unwrap();
        w.write(&Content::Linked(entry.join("1")), &out.join("b/c.yaml"))
            .unwrap();
        w.write(&Content::Bytes(b"new".to_vec()), &out.join("d.yaml"))
            .unwrap();
        assert_eq!(fs::read_to_string(out.join("a.yaml")).unwrap(), "zero");
        assert_eq!(fs::metadata(out.join("b/c.yaml")).unwrap().nlink(), 2);
        assert_eq!(fs::read_to_string(out.join("d.yaml")).unwrap(), "new");
        for content in [
            Content::Bytes(b"x".to_vec()),
            Content::Linked(entry.join("1")),
        ] {
            let e = w.write(&content, &out.join("a.yaml")).unwrap_err();
            assert_eq!(e.kind(), io::ErrorKind::AlreadyExists);
        }
        assert_eq!(fs::read_to_string(out.join("a.yaml")).unwrap(), "zero");
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
        let to = dir.path().join("a.yaml");
        let mut w = Writer::default();
        w.write(&Content::Linked(shm.path().join("0")), &to)
            .unwrap();
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
