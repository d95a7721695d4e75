//! Subcommands that write files generated from the built-in model into a directory:
//! `gwsonnet docs --out DIR` (docsonnet markdown) and `gwsonnet libsonnet --out DIR`
//! (the jsonnet-source form of the library). Both print the paths they wrote.

use std::{
    io,
    path::{Path, PathBuf},
};

use crate::model::Registry;

const DOCS_USAGE: &str = "Usage: gwsonnet docs --out <dir>\n\n\
Writes the docs of the built-in library as docsonnet markdown pages:\n\
<dir>/<library version>/<group>/<version>/<kind>.md\n";

const LIBSONNET_USAGE: &str = "Usage: gwsonnet libsonnet --out <dir>\n\n\
Writes the built-in library's kinds as jsonnet source, one file per kind:\n\
<dir>/<kind>.libsonnet (the files of the published library's\n\
_gen/<group>/<version>/ directory). Laid out under that import path in a\n\
directory given with -J, they replace the native built-in kinds.\n";

/// `gwsonnet docs`; returns the exit code.
pub fn docs(args: &[String]) -> i32 {
    run("docs", DOCS_USAGE, args, &|out| {
        crate::docs::write_docs(&Registry::builtin(), out)
    })
}

/// `gwsonnet libsonnet`; returns the exit code.
pub fn libsonnet(args: &[String]) -> i32 {
    run("libsonnet", LIBSONNET_USAGE, args, &|out| {
        crate::libsonnet::write_library(&Registry::builtin(), out)
    })
}

/// Parses `--out DIR` (`-o DIR`, `--out=DIR`) and `--help`, runs `write`, prints the
/// written paths.
fn run(
    name: &str,
    usage: &str,
    args: &[String],
    write: &dyn Fn(&Path) -> io::Result<Vec<PathBuf>>,
) -> i32 {
    let mut out: Option<PathBuf> = None;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "-h" | "--help" => {
                print!("{usage}");
                return 0;
            }
            "-o" | "--out" => {
                i += 1;
                match args.get(i) {
                    Some(v) if !v.is_empty() => out = Some(PathBuf::from(v)),
                    _ => {
                        eprintln!("ERROR: {name}: --out needs a directory");
                        return 1;
                    }
                }
            }
            a if a.starts_with("--out=") && a.len() > "--out=".len() => {
                out = Some(PathBuf::from(&a["--out=".len()..]));
            }
            other => {
                eprintln!("ERROR: {name}: unrecognized argument: {other}\n{usage}");
                return 1;
            }
        }
        i += 1;
    }
    let Some(out) = out else {
        eprintln!("ERROR: {name}: --out <dir> is required");
        return 1;
    };
    match write(&out) {
        Ok(paths) => {
            for p in paths {
                println!("{}", p.display());
            }
            0
        }
        Err(e) => {
            eprintln!("ERROR: {name}: writing {}: {e}", out.display());
            1
        }
    }
}
