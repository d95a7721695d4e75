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
use crate::error::Error;
use jrsonnet_evaluator::Val;

/// Output held in memory before stdout starts streaming.
const STDOUT_SPILL: usize = 64 << 20;

/// Writes the result where the arguments say.
pub fn write(engine: &Engine, run: &OutputArgs, val: &Val) -> Result<(), Error> {
    let newline = run.trailing_newline;
    if run.mode == OutputMode::Multi {
        let files = engine.render_multi(val, run.multi_strings, newline)?;
        let dir = run.multi_dir.as_deref().unwrap_or("./");
        return write_multi(dir, &files, run);
    }
    match &run.output_file {
        Some(path) => {
            let mut eval_error = None;
            let written = write_file_atomic(path, run.create_dirs, &mut |out| {
                engine
                    .write_single(val, run.mode, newline, out)
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
            engine.write_single(val, run.mode, newline, &mut out)?;
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

/// Holds output in memory until `limit` bytes, then streams everything to `inner`.
struct SpillWriter<W: Write> {
    inner: W,
    buf: Vec<u8>,
    limit: usize,
    spilled: bool,
}

impl<W: Write> SpillWriter<W> {
    fn new(inner: W, limit: usize) -> Self {
        Self {
            inner,
            buf: Vec::new(),
            limit,
            spilled: false,
        }
    }

    fn finish(mut self) -> io::Result<()> {
        self.inner.write_all(&self.buf)?;
        self.inner.flush()
    }
}

impl<W: Write> Write for SpillWriter<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= self.limit || (self.spilled && self.buf.len() >= 1 << 16) {
            self.spilled = true;
            self.inner.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(data.len())
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
    for (name, _) in files {
        if name.is_empty() || name.split('/').any(|p| p == "..") {
            return Err(Error::Output(format!(
                "multi mode: refusing to write file name {name:?}"
            )));
        }
        if !run.create_dirs {
            let target = PathBuf::from(format!("{dir}{name}"));
            let parent = match target.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
                _ => PathBuf::from("."),
            };
            if !parent.is_dir() {
                return Err(Error::Output(format!(
                    "opening {}: no such directory {} (use -c to create it)",
                    target.display(),
                    parent.display()
                )));
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
