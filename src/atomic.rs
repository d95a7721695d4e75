//! Writing files so that a reader never sees a partial one: content goes to a temporary
//! file in the target's directory, which is renamed over the target only when all of
//! it was written. Used by every writer of the crate (`-o`, `-m`, `docs`, `libsonnet`).

use std::{
    fs,
    io::{self, BufWriter, Write},
    path::{Path, PathBuf},
};

/// Streams `fill`'s output to `path` atomically. With `create_dirs`, missing parent
/// directories are created, and removed again if writing fails.
pub fn write_with(
    path: &Path,
    create_dirs: bool,
    fill: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
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
    if path.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::IsADirectory,
            "is a directory",
        ));
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = parent.join(format!(".{name}.gwsonnet-{}.tmp", std::process::id()));
    let result = (|| {
        let mut out = BufWriter::new(fs::File::create(&tmp)?);
        fill(&mut out)?;
        out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
        for dir in created.iter().rev() {
            let _ = fs::remove_dir(dir);
        }
    }
    result
}

/// Writes `data` to `path` atomically, creating missing parent directories.
pub fn write(path: &Path, data: &[u8]) -> io::Result<()> {
    write_with(path, true, &mut |out| out.write_all(data))
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
        write(&target, b"whole").unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"whole");
        assert_eq!(fs::read_dir(target.parent().unwrap()).unwrap().count(), 1);
    }
}
