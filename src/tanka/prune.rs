//! Keeping a cache directory of `export --cache-path` bounded: `gwsonnet tool
//! cache-prune DIR [--max-age AGE] [--max-size SIZE]`, the cache directory's lock, and
//! the "last used" time of its entries.
//!
//! An entry is an evaluation (`<key>.gwsonnet-cache`, [`super::cache`]) or an
//! environment's rendered files (`rendered/<key>/`, [`super::rendered`]); its last use
//! is the modification time of the entry file or of the folder's `index.json`, which
//! every hit sets to now ([`mark_used`]). Pruning removes the entries not used for
//! longer than `--max-age`, then the least recently used ones until the rest take no
//! more than `--max-size` on disk (blocks allocated, as `du` counts them), and every
//! temporary a killed export left (`.tmp-…` files and folders, `rendered/.old-…`).
//!
//! The lock, `.gwsonnet-cache.lock` in the cache directory: an export holds it shared
//! for its whole run ([`CacheLock::for_export`]), a prune exclusively, so a prune never
//! removes an entry an export is linking from, and under the exclusive lock no
//! temporary can belong to a live export. An export that finds no other export or prune
//! running (it gets the lock exclusively for a moment) removes those temporaries
//! itself before it starts. Object stores are not pruned here: their own lifecycle
//! rules expire objects (S3 lifecycle expiration, GCS Object Lifecycle Management,
//! Azure lifecycle management).
//!
//! Contact points: [`crate::cli`] runs [`prune`] for the command; [`super::cache`]
//! takes the lock when it opens a directory cache and marks evaluation hits;
//! [`super::rendered`] marks rendered hits.

use std::fs::{self, File, TryLockError};
use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::error::{Error, FlagValueError, UsageError};

/// The lock file's name in the cache directory.
const LOCK: &str = ".gwsonnet-cache.lock";

/// The name prefixes of the temporaries a killed export leaves in the cache directory
/// and in its `rendered/` folder.
const TEMPORARY: [&str; 2] = [".tmp-", ".old-"];

/// The suffix of an evaluation entry's file name.
const ENTRY_SUFFIX: &str = ".gwsonnet-cache";

/// A lock held on a cache directory (released when dropped).
pub struct CacheLock {
    _file: File,
}

impl CacheLock {
    /// The shared lock an export holds on the cache directory `dir` for its run,
    /// after removing the temporaries of killed exports when no other export or prune
    /// holds the lock. Waits while a prune runs (saying so on stderr). `None` when
    /// the directory cannot be made or its lock file opened: the export then goes on
    /// unlocked, and its first failed write says what is wrong.
    pub fn for_export(dir: &Path) -> Option<Self> {
        fs::create_dir_all(dir).ok()?;
        let file = open_lock(dir).ok()?;
        match file.try_lock() {
            Ok(()) => {
                remove_temporaries(dir);
                // Not atomic (flock drops, then takes): a prune may come in between,
                // and then this waits for it as below.
                file.unlock().ok()?;
            }
            Err(TryLockError::WouldBlock) => {}
            Err(TryLockError::Error(_)) => return None,
        }
        match file.try_lock_shared() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                eprintln!(
                    "waiting for a cache-prune of {} to finish (lock {})",
                    dir.display(),
                    dir.join(LOCK).display()
                );
                file.lock_shared().ok()?;
            }
            Err(TryLockError::Error(_)) => return None,
        }
        Some(Self { _file: file })
    }

    /// The exclusive lock of a prune, waiting (saying so on stderr) while exports use
    /// the cache.
    fn exclusive(dir: &Path) -> Result<Self, Error> {
        let path = dir.join(LOCK);
        let file = open_lock(dir).map_err(|e| Error::io("opening", &path, e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                eprintln!(
                    "waiting for the exports using the cache {} to finish (lock {})",
                    dir.display(),
                    path.display()
                );
                file.lock().map_err(|e| Error::io("locking", &path, e))?;
            }
            Err(TryLockError::Error(e)) => return Err(Error::io("locking", &path, e)),
        }
        Ok(Self { _file: file })
    }
}

/// Opens (creating) the lock file of `dir`, read-only when it cannot be written (a
/// lock needs no write access).
fn open_lock(dir: &Path) -> io::Result<File> {
    let path = dir.join(LOCK);
    File::options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .or_else(|_| File::open(&path))
}

/// Sets the modification time of an entry's file to now: the entry was used. A cache
/// that cannot be written is left as it is.
pub(super) fn mark_used(path: &Path) {
    if let Ok(file) = File::options().write(true).open(path) {
        let _ = file.set_modified(SystemTime::now());
    }
}

/// Removes every temporary of a killed export from the cache directory `dir` and its
/// `rendered/` folder; returns how many. Only under the exclusive lock.
fn remove_temporaries(dir: &Path) -> usize {
    let mut removed = 0;
    for folder in [dir.to_owned(), dir.join(super::rendered::FOLDER)] {
        let Ok(entries) = fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if !TEMPORARY.iter().any(|p| name.starts_with(p)) {
                continue;
            }
            let path = entry.path();
            let gone = match entry.file_type() {
                Ok(t) if t.is_dir() => fs::remove_dir_all(&path),
                _ => fs::remove_file(&path),
            };
            if gone.is_ok() {
                removed += 1;
            }
        }
    }
    removed
}

/// What to prune (`tool cache-prune`).
#[derive(Debug)]
pub struct PruneRequest {
    /// The cache directory.
    pub dir: PathBuf,
    /// `--max-age`: entries not used for longer are removed.
    pub max_age: Option<Duration>,
    /// `--max-size`: the least recently used entries are removed until the rest take
    /// no more bytes on disk.
    pub max_size: Option<u64>,
}

/// What a prune did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Pruned {
    /// Entries removed, and the bytes they took on disk.
    pub removed: (usize, u64),
    /// Entries kept, and the bytes they take on disk.
    pub kept: (usize, u64),
    /// Temporaries of killed exports removed.
    pub temporaries: usize,
}

impl Pruned {
    /// The one-line summary `tool cache-prune` prints.
    pub fn summary(&self, dir: &Path) -> String {
        format!(
            "cache {}: removed {} entries ({}), kept {} entries ({}); removed {} temporaries of interrupted exports",
            dir.display(),
            self.removed.0,
            human_size(self.removed.1),
            self.kept.0,
            human_size(self.kept.1),
            self.temporaries
        )
    }
}

/// One entry of a cache directory.
struct Entry {
    path: PathBuf,
    last_used: SystemTime,
    bytes: u64,
    rendered: bool,
}

/// Prunes the cache directory `req.dir` under its exclusive lock.
pub fn prune(req: &PruneRequest) -> Result<Pruned, Error> {
    let dir = &req.dir;
    let meta = fs::metadata(dir).map_err(|e| Error::io("opening", dir, e))?;
    if !meta.is_dir() {
        let problem = UsageError::NotADirectory(dir.clone());
        return Err(Error::usage_of("tool cache-prune", problem));
    }
    let _lock = CacheLock::exclusive(dir)?;
    let mut pruned = Pruned {
        temporaries: remove_temporaries(dir),
        ..Pruned::default()
    };
    let mut entries = list(dir)?;
    // Least recently used first.
    entries.sort_by(|a, b| a.last_used.cmp(&b.last_used).then(a.path.cmp(&b.path)));
    let now = SystemTime::now();
    let mut total: u64 = entries.iter().map(|e| e.bytes).sum();
    for entry in entries {
        let too_old = req.max_age.is_some_and(|max| {
            now.duration_since(entry.last_used)
                .is_ok_and(|age| age > max)
        });
        let too_big = req.max_size.is_some_and(|max| total > max);
        if too_old || too_big {
            remove(&entry)?;
            total -= entry.bytes;
            pruned.removed.0 += 1;
            pruned.removed.1 += entry.bytes;
        } else {
            pruned.kept.0 += 1;
            pruned.kept.1 += entry.bytes;
        }
    }
    Ok(pruned)
}

/// Removes an entry (a rendered one renamed aside first, so that a prune killed
/// half-way leaves a temporary rather than a partial entry).
fn remove(entry: &Entry) -> Result<(), Error> {
    let result = if entry.rendered {
        let aside = entry.path.with_file_name(format!(
            ".old-{}-{}",
            std::process::id(),
            entry.path.file_name().unwrap_or_default().to_string_lossy()
        ));
        fs::rename(&entry.path, &aside).and_then(|()| fs::remove_dir_all(&aside))
    } else {
        fs::remove_file(&entry.path)
    };
    result.map_err(|e| Error::io("removing", &entry.path, e))
}

/// The entries of the cache directory `dir`; files and folders it does not know are
/// not entries.
fn list(dir: &Path) -> Result<Vec<Entry>, Error> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).map_err(|e| Error::io("reading", dir, e))? {
        let entry = entry.map_err(|e| Error::io("reading", dir, e))?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !is_key(name.strip_suffix(ENTRY_SUFFIX).unwrap_or("")) {
            continue;
        }
        let path = entry.path();
        let meta = fs::symlink_metadata(&path).map_err(|e| Error::io("reading", &path, e))?;
        if meta.is_file() {
            out.push(Entry {
                last_used: meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
                bytes: on_disk(&meta),
                path,
                rendered: false,
            });
        }
    }
    let rendered = dir.join(super::rendered::FOLDER);
    let folders = match fs::read_dir(&rendered) {
        Ok(folders) => folders,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(Error::io("reading", &rendered, e)),
    };
    for folder in folders {
        let folder = folder.map_err(|e| Error::io("reading", &rendered, e))?;
        if !is_key(&folder.file_name().to_string_lossy()) {
            continue;
        }
        let path = folder.path();
        let meta = fs::symlink_metadata(&path).map_err(|e| Error::io("reading", &path, e))?;
        if !meta.is_dir() {
            continue;
        }
        let index = fs::metadata(path.join(super::rendered::INDEX)).unwrap_or(meta);
        let mut bytes = 0;
        for file in fs::read_dir(&path).map_err(|e| Error::io("reading", &path, e))? {
            let file = file.map_err(|e| Error::io("reading", &path, e))?;
            if let Ok(m) = file.metadata() {
                bytes += on_disk(&m);
            }
        }
        out.push(Entry {
            last_used: index.modified().unwrap_or(SystemTime::UNIX_EPOCH),
            bytes,
            path,
            rendered: true,
        });
    }
    Ok(out)
}

/// Whether `name` is a key: 64 lowercase hex digits.
fn is_key(name: &str) -> bool {
    name.len() == 64 && name.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The bytes a file takes on disk.
fn on_disk(meta: &fs::Metadata) -> u64 {
    meta.blocks() * 512
}

/// `bytes` as `du -h` would say it, with binary units (`12.3 MiB`).
fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    match unit {
        0 => format!("{bytes} B"),
        _ => format!("{value:.1} {}", UNITS[unit]),
    }
}

/// Reads `--max-age`: one or more `<whole number><unit>` (`s`, `m`, `h`, `d`, `w`),
/// as `90m`, `36h`, `7d` or `1d12h`.
pub fn parse_age(text: &str) -> Result<Duration, FlagValueError> {
    let bad = || FlagValueError::MaxAge(text.to_owned());
    let mut total: u64 = 0;
    let mut rest = text;
    if rest.is_empty() {
        return Err(bad());
    }
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let n: u64 = rest[..digits].parse().map_err(|_| bad())?;
        let unit = rest[digits..].chars().next().ok_or_else(bad)?;
        let seconds = match unit {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            'w' => 604_800,
            _ => return Err(bad()),
        };
        total = n
            .checked_mul(seconds)
            .and_then(|s| total.checked_add(s))
            .ok_or_else(bad)?;
        rest = &rest[digits + 1..];
    }
    Ok(Duration::from_secs(total))
}

/// Reads `--max-size`: a number (decimals allowed) of bytes, or with a unit: `K`, `M`,
/// `G`, `T` (also `KiB`, …) are powers of 1024, `KB`, `MB`, `GB`, `TB` powers of 1000.
pub fn parse_size(text: &str) -> Result<u64, FlagValueError> {
    let bad = || FlagValueError::MaxSize(text.to_owned());
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().map_err(|_| bad())?;
    let factor: f64 = match unit {
        "" | "B" => 1.0,
        "K" | "KiB" => 1024.0,
        "M" | "MiB" => 1024f64.powi(2),
        "G" | "GiB" => 1024f64.powi(3),
        "T" | "TiB" => 1024f64.powi(4),
        "KB" => 1e3,
        "MB" => 1e6,
        "GB" => 1e9,
        "TB" => 1e12,
        _ => return Err(bad()),
    };
    let bytes = number * factor;
    if !bytes.is_finite() || bytes >= u64::MAX as f64 {
        return Err(bad());
    }
    Ok(bytes as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages() {
        assert_eq!(parse_age("90m").ok(), Some(Duration::from_secs(5400)));
        assert_eq!(parse_age("1d12h").ok(), Some(Duration::from_secs(129_600)));
        assert_eq!(parse_age("2w").ok(), Some(Duration::from_secs(1_209_600)));
        assert_eq!(parse_age("0s").ok(), Some(Duration::ZERO));
        for bad in ["", "7", "d", "7x", "1.5h", "-1d", "99999999999999999999w"] {
            assert!(parse_age(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("1048576").ok(), Some(1 << 20));
        assert_eq!(parse_size("500M").ok(), Some(500 << 20));
        assert_eq!(parse_size("1.5GiB").ok(), Some(3 << 29));
        assert_eq!(parse_size("10GB").ok(), Some(10_000_000_000));
        for bad in ["", "M", "1.2.3", "5 M", "5X", "1e400", "-1"] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
        assert_eq!(human_size(512), "512 B");
        assert_eq!(human_size(3 << 19), "1.5 MiB");
    }
}
