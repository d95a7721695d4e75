//! Writing output files the way jsonnet users expect, without ever leaving a partial
//! file. Used by every writer of the crate (`-o`, `-m`, and, a whole tree at once
//! ([`write_tree`]), `docs --out` and `libsonnet --out`; Tanka export stages whole trees
//! itself).
//!
//! What happens depends on what the path names today:
//! - nothing, or a regular file: the content goes to a temporary file in the target's
//!   directory (an unpredictable name, created `O_CREAT|O_EXCL`, so a planted symlink is
//!   never followed) and is renamed over the target only when all of it was written. An
//!   existing file keeps its permission bits, and its owner and group when we may set
//!   them (as root); a new file gets `0666` minus the umask, as `open(2)` would give it.
//! - a symlink to a regular file: the link's final target is replaced as above, so the
//!   link stays a link (jsonnet writes through links too).
//! - anything else that is not a directory — a FIFO, a device, a socket, a dangling
//!   symlink, a regular file with several hard links, or any path under `/dev` or
//!   `/proc` (`/dev/stdout`) — is written through like jsonnet does (open for writing,
//!   truncate): replacing it would break the link, the device or the pipe. The content is
//!   produced in memory first, so a failed evaluation writes nothing there either.

use std::{
    fs,
    io::{self, BufWriter, Write},
    os::unix::fs::{MetadataExt, PermissionsExt},
    path::{Path, PathBuf},
};

/// How a target path is written.
enum Target {
    /// Replaced by a rename: the path to replace and the metadata of the file it
    /// replaces, if any.
    Replace(PathBuf, Option<fs::Metadata>),
    /// Opened and written in place (`create`: a dangling symlink, created by the open).
    Through { create: bool },
}

/// Decides how `path` is written (see the module header).
fn classify(path: &Path) -> io::Result<Target> {
    let is_dir_err = || io::Error::new(io::ErrorKind::IsADirectory, "is a directory");
    let meta = match fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Ok(Target::Replace(path.to_owned(), None))
        }
        Err(e) => return Err(e),
    };
    let special_tree = std::path::absolute(path)
        .map(|abs| abs.starts_with("/dev") || abs.starts_with("/proc"))
        .unwrap_or(false);
    let (target, meta) = if meta.file_type().is_symlink() {
        match fs::metadata(path) {
            Ok(followed) if followed.is_file() && !special_tree => {
                (fs::canonicalize(path)?, followed)
            }
            Ok(followed) if followed.is_dir() => return Err(is_dir_err()),
            Ok(_) => return Ok(Target::Through { create: false }),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Ok(Target::Through { create: true })
            }
            Err(e) => return Err(e),
        }
    } else {
        (path.to_owned(), meta)
    };
    if meta.is_dir() {
        Err(is_dir_err())
    } else if meta.is_file() && meta.nlink() == 1 && !special_tree {
        Ok(Target::Replace(target, Some(meta)))
    } else {
        Ok(Target::Through { create: false })
    }
}

/// Streams `fill`'s output to `path` (see the module header for what "to" means). With
/// `create_dirs`, missing parent directories are created, and removed again if writing
/// fails.
pub fn write_with(
    path: &Path,
    create_dirs: bool,
    fill: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let parent = parent_of(path);
    // Directories this call creates, outermost first.
    let mut created: Vec<PathBuf> = Vec::new();
    if create_dirs {
        let mut missing = parent.as_path();
        while !missing.as_os_str().is_empty() && !missing.exists() {
            created.insert(0, missing.to_owned());
            missing = missing.parent().unwrap_or(Path::new(""));
        }
        fs::create_dir_all(&parent)?;
    }
    let result = classify(path).and_then(|target| match target {
        Target::Replace(target, old) => replace(&target, old.as_ref(), fill),
        Target::Through { create } => write_through(path, create, fill),
    });
    if result.is_err() {
        for dir in created.iter().rev() {
            let _ = fs::remove_dir(dir);
        }
    }
    result
}

/// The directory `path` is in (`.` for a bare name).
fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    }
}

/// Writes a temporary file beside `target` and renames it over `target`, keeping the
/// mode (and, where permitted, the owner) of the file it replaces.
fn replace(
    target: &Path,
    old: Option<&fs::Metadata>,
    fill: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    prepare(target, old, fill)?
        .persist(target)
        .map_err(|e| e.error)
}

/// The temporary file [`replace`] renames over `target`, written and synced (removed
/// when dropped).
fn prepare(
    target: &Path,
    old: Option<&fs::Metadata>,
    fill: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
) -> io::Result<tempfile::TempPath> {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // The open applies the umask to 0666, as for a file created by `open(2)`.
    let tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".gwsonnet.tmp")
        .permissions(fs::Permissions::from_mode(0o666))
        .tempfile_in(parent_of(target))?;
    if let Some(old) = old {
        let file = tmp.as_file();
        let now = file.metadata()?;
        if (old.uid(), old.gid()) != (now.uid(), now.gid()) {
            // Only root may give a file away; a group we belong to is allowed to anyone.
            // Before the mode: a chown clears set-user-ID bits.
            let _ = std::os::unix::fs::fchown(file, Some(old.uid()), Some(old.gid()))
                .or_else(|_| std::os::unix::fs::fchown(file, None, Some(old.gid())));
        }
        file.set_permissions(fs::Permissions::from_mode(old.mode() & 0o7777))?;
    }
    let mut out = BufWriter::new(tmp);
    fill(&mut out)?;
    let tmp = out.into_inner().map_err(|e| e.into_error())?;
    tmp.as_file().sync_all()?;
    Ok(tmp.into_temp_path())
}

/// Produces the content in memory, then opens `path` for writing (truncating a regular
/// file) and writes it there.
fn write_through(
    path: &Path,
    create: bool,
    fill: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let mut content = Vec::new();
    fill(&mut content)?;
    let mut file = fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .create(create)
        .open(path)?;
    file.write_all(&content)?;
    file.flush()
}

/// Writes every file of `files` (paths and contents), creating missing directories,
/// as [`write`] does one, but as a whole as far as the filesystem allows: every file
/// is first written to its temporary file, and only when all are written (a full disk
/// fails here) are they renamed into place. A failure before that removes the
/// temporary files and the directories this call created, leaving the tree as it was.
/// Targets written through (a FIFO, a device) are written last.
pub fn write_tree(files: &[(PathBuf, &[u8])]) -> io::Result<()> {
    // Directories this call creates, outermost first.
    let mut created: Vec<PathBuf> = Vec::new();
    let mut staged: Vec<(tempfile::TempPath, PathBuf)> = Vec::new();
    let mut through: Vec<(&Path, bool, &[u8])> = Vec::new();
    let mut stage = || -> io::Result<()> {
        for (path, data) in files {
            let parent = parent_of(path);
            let first_new = created.len();
            let mut missing = parent.as_path();
            while !missing.as_os_str().is_empty() && !missing.exists() {
                created.insert(first_new, missing.to_owned());
                missing = missing.parent().unwrap_or(Path::new(""));
            }
            fs::create_dir_all(&parent)?;
            match classify(path)? {
                Target::Replace(target, old) => {
                    let tmp = prepare(&target, old.as_ref(), &mut |out| out.write_all(data))?;
                    staged.push((tmp, target));
                }
                Target::Through { create } => through.push((path, create, data)),
            }
        }
        Ok(())
    };
    if let Err(e) = stage() {
        // Each temporary file is removed as it is dropped, before its directory.
        drop(staged);
        for dir in created.iter().rev() {
            let _ = fs::remove_dir(dir);
        }
        return Err(e);
    }
    for (tmp, target) in staged {
        tmp.persist(&target).map_err(|e| e.error)?;
    }
    for (path, create, data) in through {
        write_through(path, create, &mut |out| out.write_all(data))?;
    }
    Ok(())
}

/// Whether `rel` is a non-empty relative path of plain names only (no root, `.`, `..`,
/// or empty component), so that it stays below any directory it is joined to.
pub fn is_plain_relative(rel: &Path) -> bool {
    !rel.as_os_str().is_empty()
        && !rel.as_os_str().as_encoded_bytes().contains(&0)
        && rel
            .as_os_str()
            .as_encoded_bytes()
            .split(|&b| b == b'/')
            .all(|part| !part.is_empty() && part != b"." && part != b"..")
}

/// `dir/rel`, or an `InvalidInput` error naming `rel` (and `what` it belongs to) when
/// `rel` could leave `dir` ([`is_plain_relative`]).
pub fn join_inside(dir: &Path, rel: &str, what: &str) -> io::Result<PathBuf> {
    if is_plain_relative(Path::new(rel)) {
        Ok(dir.join(rel))
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "{what}: refusing to write {rel:?}, a path that leaves {}",
                dir.display()
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failure_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a/b/out.txt");
        let err = write_with(&target, true, &mut |out| {
            out.write_all(b"partial")?;
            Err(io::Error::other("boom"))
        });
        assert!(err.is_err());
        assert!(!dir.path().join("a").exists());
        write_tree(&[(target.clone(), b"whole")]).unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"whole");
        assert_eq!(fs::read_dir(target.parent().unwrap()).unwrap().count(), 1);
    }

    #[test]
    fn a_tree_is_written_whole_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("a/old.txt");
        write_tree(&[(old.clone(), b"old")]).unwrap();
        // The third file cannot be written (its folder is a file): nothing changes.
        let files: [(PathBuf, &[u8]); 3] = [
            (old.clone(), b"new"),
            (dir.path().join("a/b/c.txt"), b"c"),
            (dir.path().join("a/old.txt/d.txt"), b"d"),
        ];
        assert!(write_tree(&files).is_err());
        assert_eq!(fs::read(&old).unwrap(), b"old");
        let names: Vec<_> = fs::read_dir(dir.path().join("a")).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file or new folder left");
        write_tree(&files[..2]).unwrap();
        assert_eq!(fs::read(&old).unwrap(), b"new");
        assert_eq!(fs::read(dir.path().join("a/b/c.txt")).unwrap(), b"c");
    }
}
