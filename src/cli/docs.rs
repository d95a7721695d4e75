//! `gwsonnet docs --out DIR`: writes the docsonnet markdown pages of the built-in
//! library.

use std::path::PathBuf;

use crate::model::{builtin_kinds, BUILTIN_LIBRARY_VERSION};

const USAGE: &str = "Usage: gwsonnet docs --out <dir>\n\n\
Writes the docs of the built-in library as docsonnet markdown pages:\n\
<dir>/<library version>/<group>/<version>/<kind>.md\n";

/// Runs the `docs` subcommand; returns the exit code.
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
            a if a.starts_with("--out=") => out = Some(PathBuf::from(&a["--out=".len()..])),
            other => {
                eprintln!("ERROR: docs: unrecognized argument: {other}\n{USAGE}");
                return 1;
            }
        }
        i += 1;
    }
    let Some(out) = out else {
        eprintln!("ERROR: docs: --out <dir> is required");
        return 1;
    };
    match crate::docs::write_docs(builtin_kinds(), BUILTIN_LIBRARY_VERSION, &out) {
        Ok(paths) => {
            for p in paths {
                println!("{}", p.display());
            }
            0
        }
        Err(e) => {
            eprintln!("ERROR: docs: writing {}: {e}", out.display());
            1
        }
    }
}
