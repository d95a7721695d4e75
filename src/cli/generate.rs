//! Subcommands that write files generated from the built-in model into a directory:
//! `gwsonnet docs --out DIR` (docsonnet markdown) and `gwsonnet libsonnet --out DIR`
//! (the jsonnet-source form of the library). Both print the paths they wrote. Their
//! flags are parsed in [`super::commands`].

use std::{
    io::{self, Write},
    path::{Path, PathBuf},
};

use crate::error::Error;
use crate::model::Registry;

/// `gwsonnet docs`: the docs of the libraries of `registry`.
pub fn docs(out: &Path, registry: &Registry) -> Result<(), Error> {
    run(out, &|out| crate::docs::write_docs(registry, out))
}

/// `gwsonnet libsonnet`: the source of the libraries of `registry`.
pub fn libsonnet(out: &Path, registry: &Registry) -> Result<(), Error> {
    run(out, &|out| crate::libsonnet::write_library(registry, out))
}

/// Runs `write` into `out`, prints the written paths.
fn run(out: &Path, write: &dyn Fn(&Path) -> io::Result<Vec<PathBuf>>) -> Result<(), Error> {
    let paths = write(out).map_err(|e| Error::io("writing", out, e))?;
    let mut listing = String::new();
    for p in paths {
        listing.push_str(&format!("{}\n", p.display()));
    }
    let mut stdout = io::stdout().lock();
    stdout
        .write_all(listing.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|source| Error::Io {
            action: "writing to",
            path: None,
            source,
        })
}
