//! `gwsonnet libsonnet --out DIR`: writes the jsonnet-source form of the built-in
//! kinds, as the jsonnet-libs generator writes them.

use std::path::PathBuf;

use crate::model::{builtin_kinds, BUILTIN_LIBRARY_VERSION};

const USAGE: &str = "Usage: gwsonnet libsonnet --out <dir>\n\n\
Writes the built-in library's kinds as jsonnet source, one file per kind:\n\
<dir>/<kind>.libsonnet (the files of the published library's\n\
_gen/<group>/<version>/ directory). Laid out under that import path in a\n\
directory given with -J, they replace the native built-in kinds.\n";

/// Runs the `libsonnet` subcommand; returns the exit code.
pub fn run(args: &[String]) -> i32 {
    let mut out: Option<PathBuf> = None;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "-h" | "--help" => {
                print!("{USAGE}");
                return 0;
            }
            "-o" | "--out" => {
                i += 1;
                match args.get(i) {
                    Some(v) if !v.is_empty() => out = Some(PathBuf::from(v)),
                    _ => {
                        eprintln!("ERROR: --out needs a directory");
                        return 1;
                    }
                }
            }
            a if a.starts_with("--out=") && a.len() > "--out=".len() => {
                out = Some(PathBuf::from(&a["--out=".len()..]))
            }
            other => {
                eprintln!("ERROR: libsonnet: unrecognized argument: {other}\n{USAGE}");
                return 1;
            }
        }
        i += 1;
    }
    let Some(out) = out else {
        eprintln!("ERROR: libsonnet: --out <dir> is required");
        return 1;
    };
    match crate::libsonnet::write_library(builtin_kinds(), BUILTIN_LIBRARY_VERSION, &out) {
        Ok(paths) => {
            for p in paths {
                println!("{}", p.display());
            }
            0
        }
        Err(e) => {
            eprintln!("ERROR: libsonnet: writing {}: {e}", out.display());
            1
        }
    }
}
