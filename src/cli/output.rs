//! Writing results: stdout (buffered until it grows large, so an error early in
//! manifesting prints nothing), `-o` files (streamed to a temporary file that is
//! renamed on success, so a failure never leaves a partial file), and `-m` directories
//! (all content is ready before the first file is touched; unchanged files are left
//! alone, as go-jsonnet does). Each output (each `-m` file) ends with a newline unless
//! `--no-trailing-newline` is given, as in go-jsonnet 0.22.

use std::{
    fs,
    io::{self, Write},
    path::{Path, PathBuf},
};

use super::flags::OutputArgs;
use crate::engine::{Engine, OutputMode};
use crate::error::{Error, OutputError};
use crate::manifest::json::Tap;
use jrsonnet_evaluator::Val;

/// Output held in memory before stdout starts streaming.
const STDOUT_SPILL: usize = 64 << 20;

/// Writes the result where the arguments say; with `tap`, hands it there in parts as
/// JSON values while writing ([`Engine::write_single`]).
pub fn write(
    engine: &Engine,
    run: &OutputArgs,
    val: &Val,
    mut tap: Option<&mut Tap<'_>>,
) -> Result<(), Error> {
    let newline = run.trailing_newline;
    if run.mode == OutputMode::Multi {
        let files = engine.render_multi(val, run.multi_strings, newline, tap)?;
        let dir = run.multi_dir.as_deref().unwrap_or("./");
        return write_multi(dir, &files, run);
    }
    match &run.output_file {
        Some(path) => {
            let mut eval_error = None;
            let written = write_file_atomic(path, run.create_dirs, &mut |out| {
                engine
                    .write_single(val, run.mode, newline, out, tap.as_deref_mut())
                    .map_err(|e| {
                        eval_error = Some(e);
                        io::Error::other("evaluation failed")
                    })
            });
            match eval_error {
                Some(e) => Err(e.into()),
                None => written,
            }
        }
        None => {
            let stdout = io::stdout();
            let mut out = SpillWriter::new(stdout.lock(), STDOUT_SPILL);
            engine.write_single(val, run.mode, newline, &mut out, tap)?;
            out.finish().map_err(stdout_error)
        }
    }
}

/// A failed write to standard output.
fn stdout_error(source: io::Error) -> Error {
    Error::Io {
        action: "writing to",
        path: None,
        source,
    }
}

/// Size of one buffered chunk of stdout output.
const CHUNK: usize = 1 << 20;

/// Holds output in memory until `limit` bytes, then streams everything to `inner`.
/// The held bytes are a list of fixed-size chunks, never one growing vector: growing
/// copies everything written so far at each doubling and can leave half of the
/// capacity unused (for 17 MB of JSON, 32 MB held and 16 MB copied).
struct SpillWriter<W: Write> {
    inner: W,
    chunks: Vec<Vec<u8>>,
    held: usize,
    limit: usize,
    spilled: bool,
}

impl<W: Write> SpillWriter<W> {
    fn new(inner: W, limit: usize) -> Self {
        Self {
            inner,
            chunks: Vec::new(),
            held: 0,
            limit,
            spilled: false,
        }
    }

    /// Writes the held chunks to `inner`; keeps one empty chunk for what follows.
    fn drain(&mut self) -> io::Result<()> {
        for chunk in &self.chunks {
            self.inner.write_all(chunk)?;
        }
        self.chunks.truncate(1);
        if let Some(first) = self.chunks.first_mut() {
            first.clear();
        }
        self.held = 0;
        Ok(())
    }

    fn finish(mut self) -> io::Result<()> {
        self.drain()?;
        self.inner.flush()
    }
}

impl<W: Write> Write for SpillWriter<W> {
    fn write(&mut self, mut data: &[u8]) -> io::Result<usize> {
        let len = data.len();
        while !data.is_empty() {
            let chunk = match self.chunks.last_mut() {
                Some(c) if c.len() < c.capacity() => c,
                _ => {
                    self.chunks.push(Vec::with_capacity(CHUNK));
                    self.chunks.last_mut().expect("just pushed")
                }
            };
            let n = data.len().min(chunk.capacity() - chunk.len());
            chunk.extend_from_slice(&data[..n]);
            data = &data[n..];
            self.held += n;
        }
        if self.held >= self.limit || (self.spilled && self.held >= 1 << 16) {
            self.spilled = true;
            self.drain()?;
        }
        Ok(len)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// [`crate::atomic::write_with`] with the error naming the path.
fn write_file_atomic(
    path: &Path,
    create_dirs: bool,
    fill: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
) -> Result<(), Error> {
    crate::atomic::write_with(path, create_dirs, fill).map_err(|e| Error::io("writing", path, e))
}

fn write_multi(dir: &str, files: &[(String, Vec<u8>)], run: &OutputArgs) -> Result<(), Error> {
    // Check every target first, so a bad name fails before anything is written.
    let names: std::collections::HashSet<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    for (name, _) in files {
        if name.is_empty() || name.split('/').any(|p| p == "..") {
            return Err(Error::Output(OutputError::RefusedName(name.clone())));
        }
        // A folder of the file that is (or would be) a file.
        for (i, _) in name.match_indices('/') {
            let folder = &name[..i];
            let on_disk = PathBuf::from(format!("{dir}{folder}"));
            if names.contains(folder) || fs::metadata(&on_disk).is_ok_and(|m| !m.is_dir()) {
                return Err(Error::Output(OutputError::FolderIsFile {
                    file: PathBuf::from(format!("{dir}{name}")),
                    folder: on_disk,
                }));
            }
        }
        if !run.create_dirs {
            let target = PathBuf::from(format!("{dir}{name}"));
            let parent = match target.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
                _ => PathBuf::from("."),
            };
            if !parent.is_dir() {
                return Err(Error::Output(OutputError::NoDirectory {
                    file: target,
                    dir: parent,
                }));
            }
        }
    }
    let mut listing = Vec::new();
    for (name, content) in files {
        let target = format!("{dir}{name}");
        listing.extend_from_slice(target.as_bytes());
        listing.push(b'\n');
        if fs::read(&target).is_ok_and(|old| old == *content) {
            continue;
        }
        write_file_atomic(Path::new(&target), run.create_dirs, &mut |out| {
            out.write_all(content)
        })?;
    }
    match &run.output_file {
        Some(path) => write_file_atomic(path, run.create_dirs, &mut |out| out.write_all(&listing)),
        None => {
            let mut out = io::stdout().lock();
            out.write_all(&listing)
                .and_then(|()| out.flush())
                .map_err(stdout_error)
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::{SpillWriter, CHUNK};

    #[test]
    fn spill_writer_keeps_bytes_in_order() {
        let data: Vec<u8> = (0..3 * CHUNK + 17).map(|i| (i % 251) as u8).collect();
        // Held to the end.
        let mut out = Vec::new();
        let mut w = SpillWriter::new(&mut out, usize::MAX);
        for piece in data.chunks(1000) {
            w.write_all(piece).unwrap();
        }
        w.finish().unwrap();
        assert_eq!(out, data);
        // Spilled early, then streamed.
        let mut out = Vec::new();
        let mut w = SpillWriter::new(&mut out, 5000);
        for piece in data.chunks(777) {
            w.write_all(piece).unwrap();
        }
        w.finish().unwrap();
        assert_eq!(out, data);
    }
}
