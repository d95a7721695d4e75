//! Writes the built-in Kubernetes data (`lib/k8s/openapi/`) from the upstream OpenAPI
//! documents: `cargo run --example k8s_openapi -- <openapi dir> <out dir>`, e.g.
//! `cargo run --example k8s_openapi -- ../shared/kubernetes/openapi lib/k8s/openapi`.
//!
//! The input folder holds the files named in `gwsonnet::openapi::builtin::SOURCES`; the
//! work is `gwsonnet::openapi::compact::compact` (a test checks the committed files
//! against it). Exit status 1 on a missing or malformed input.

use std::path::{Path, PathBuf};

use gwsonnet::openapi::compact;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output] = args.as_slice() else {
        eprintln!("usage: k8s_openapi <openapi dir> <out dir>");
        std::process::exit(1);
    };
    let fail = |m: String| -> ! {
        eprintln!("k8s_openapi: {m}");
        std::process::exit(1)
    };
    let files = compact::compact_dir(Path::new(input)).unwrap_or_else(|e| fail(e.to_string()));
    std::fs::create_dir_all(output).unwrap_or_else(|e| fail(format!("{output}: {e}")));
    for (name, text) in files {
        let path = PathBuf::from(output).join(&name);
        std::fs::write(&path, text).unwrap_or_else(|e| fail(format!("{}: {e}", path.display())));
        println!("{}", path.display());
    }
}
