//! Build script: links the `gwsonnet` executable position-dependent (non-PIE) on
//! GNU/Linux, records what `gwsonnet --version` reports about the build, and turns
//! the indexes of the built-in Kubernetes versions into Rust tables.
//!
//! Non-PIE: a PIE's loader applies every absolute address in its read-only data at
//! start-up (51,000 relocations here, half of them in the time-zone tables CEL's
//! timestamps carry), which copies some 330 pages the run never reads again: a fixed
//! cost larger than jrsonnet's whole start-up. The price is that the executable's own
//! code and data are not address-randomised (libraries, heap and stacks still are).
//!
//! Version facts, as environment variables of the compilation (read with `env!` by
//! `src/cli/version.rs`): `GWSONNET_GIT_COMMIT` and `GWSONNET_GIT_DATE` (the commit
//! checked out and its committer date; `unknown` outside a git work tree of this
//! crate, e.g. when built from a crate tarball), and `GWSONNET_JRSONNET_VERSION` (the
//! locked version of `jrsonnet-evaluator` in Cargo.lock, else its requirement in
//! Cargo.toml).
//!
//! The Kubernetes library's hand-written layer: each `lib/k8s/custom/<file>` is split
//! into the form the engine evaluates and its docs files
//! (`src/native/docs_split.rs`; without the functions its natives overlay in
//! `lib/k8s/natives/` defines again), written to `$OUT_DIR/k8s_custom.rs` and served by
//! `src/native/k8s_custom.rs`.
//!
//! Kubernetes indexes: `lib/k8s/openapi/<v>.json` become `$OUT_DIR/k8s_indexes.rs`,
//! included by `src/openapi/builtin.rs`: each definition's name, the byte range of its
//! JSON in `definitions.jsonl`, whether the library serves it, its kinds; the
//! cluster-scoped kinds; and the library's layout, each library kind's place and
//! identity sorted by place, made by the rules of `src/model/names.rs` (included
//! here, and used at run time for `--openapi` documents). Laying a version out then
//! parses nothing, reads none of the 2.7 MB of definitions and neither places nor
//! sorts a name: the library's maps are built from the sorted table.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    println!("cargo:rerun-if-changed=build.rs");

    let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    // Only when this crate's own Cargo.toml is tracked there: a crate tarball unpacked
    // inside some other work tree (or cargo package's copy under target/) says unknown.
    let ours = git(&["ls-files", "--error-unmatch", "Cargo.toml"]).is_some();
    let commit = git(&["rev-parse", "--short=12", "HEAD"]).filter(|_| ours);
    let date = git(&["log", "-1", "--format=%cs", "HEAD"]).filter(|_| ours);
    println!(
        "cargo:rustc-env=GWSONNET_GIT_COMMIT={}",
        commit.as_deref().unwrap_or("unknown")
    );
    println!(
        "cargo:rustc-env=GWSONNET_GIT_DATE={}",
        date.as_deref().unwrap_or("unknown")
    );
    // Build again when HEAD moves: HEAD itself, the branch it names, packed refs.
    // (Only files that exist: cargo reruns the script every build for a missing one.)
    let mut watched = vec!["HEAD".to_owned(), "packed-refs".to_owned()];
    watched.extend(git(&["symbolic-ref", "-q", "HEAD"]));
    for file in watched {
        if let Some(path) = git(&["rev-parse", "--git-path", &file]) {
            if Path::new(&dir).join(&path).exists() {
                println!("cargo:rerun-if-changed={path}");
            }
        }
    }

    let jrsonnet = locked_version(&Path::new(&dir).join("Cargo.lock"), "jrsonnet-evaluator")
        .or_else(|| required_version(&Path::new(&dir).join("Cargo.toml"), "jrsonnet-evaluator"))
        .unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=GWSONNET_JRSONNET_VERSION={jrsonnet}");
    println!("cargo:rerun-if-changed=Cargo.lock");

    k8s_indexes();
    k8s_custom();
}

#[path = "src/native/docs_split.rs"]
mod docs_split;

#[path = "src/model/names.rs"]
mod names;

/// Writes `$OUT_DIR/k8s_custom.rs`: `DOCS_DIR` and `EVALUATED`, one `(file name, evaluated text,
/// docs files)` per `lib/k8s/custom/<file>` (see [`docs_split`]); a file with an overlay
/// (`lib/k8s/natives/<file>`) without the functions the overlay defines again; and
/// `LAZY_MAIN`, the `main.libsonnet` the engine evaluates (the files' fields added one
/// at a time: [`docs_split::lazy_main`]).
fn k8s_custom() {
    let dir = Path::new("lib/k8s/custom");
    println!("cargo:rerun-if-changed={}", dir.display());
    println!("cargo:rerun-if-changed=lib/k8s/natives");
    println!("cargo:rerun-if-changed=src/native/docs_split.rs");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("lib/k8s/custom is readable")
        .map(|e| e.expect("a directory entry").path())
        .collect();
    files.sort();
    let mut out = format!(
        "const DOCS_DIR: &str = {:?};\nconst EVALUATED: &[(&str, &str, &[&str])] = &[\n",
        docs_split::DOCS_DIR
    );
    let mut leaves: Vec<(String, Option<Vec<docs_split::Leaf>>)> = Vec::new();
    for file in files {
        println!("cargo:rerun-if-changed={}", file.display());
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .expect("file names are UTF-8");
        let text =
            std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        // A file served with an overlay of natives: the functions the overlay replaces
        // are left out of the form the engine parses.
        // (Watched only when it exists: cargo reruns the script every build for a
        // missing one; the folder is watched for new files.)
        let overlay = Path::new("lib/k8s/natives").join(name);
        let overlay_text = std::fs::read_to_string(&overlay).ok();
        if overlay_text.is_some() {
            println!("cargo:rerun-if-changed={}", overlay.display());
        }
        let split = docs_split::evaluated_form(name, &text, overlay_text.as_deref());
        let overlay_names_root = overlay_text.as_deref().is_some_and(docs_split::names_root);
        // What `main.libsonnet` adds of the file one field at a time (an overlay adds
        // its fields where the file's are: checked by the natives' tests).
        leaves.push((
            name.to_owned(),
            docs_split::leaves(&split.evaluated).filter(|_| !overlay_names_root),
        ));
        let docs: Vec<String> = split.docs.iter().map(|d| format!("{d:?}")).collect();
        writeln!(
            out,
            "    ({name:?}, {:?}, &[{}]),",
            split.evaluated,
            docs.join(", ")
        )
        .unwrap();
    }
    out.push_str("];\n");
    let leaves: Vec<_> = leaves
        .iter()
        .map(|(n, l)| (n.as_str(), l.clone()))
        .collect();
    writeln!(
        out,
        "const LAZY_MAIN: &str = {:?};",
        docs_split::lazy_main(&leaves)
    )
    .unwrap();
    let target =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("k8s_custom.rs");
    std::fs::write(&target, out).expect("OUT_DIR is writable");
}

/// The trimmed output of `git args` in the crate's folder, when git runs and succeeds
/// there (the folder is inside a work tree).
fn git(args: &[&str]) -> Option<String> {
    let dir = std::env::var("CARGO_MANIFEST_DIR").ok()?;
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    let text = text.trim();
    (out.status.success() && !text.is_empty()).then(|| text.to_owned())
}

/// The version of package `name` in a Cargo.lock: the `version = "…"` line after its
/// `name = "…"` line.
fn locked_version(lock: &Path, name: &str) -> Option<String> {
    let text = std::fs::read_to_string(lock).ok()?;
    let mut lines = text.lines();
    lines.find(|l| l.trim() == format!("name = \"{name}\""))?;
    let version = lines.next()?.trim().strip_prefix("version = \"")?;
    Some(version.strip_suffix('"')?.to_owned())
}

/// The version requirement of dependency `name` in a Cargo.toml (`name = "=X"` gives
/// `X`).
fn required_version(manifest: &Path, name: &str) -> Option<String> {
    let text = std::fs::read_to_string(manifest).ok()?;
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with(&format!("{name} = \"")))?;
    let value = line.split('"').nth(1)?;
    Some(value.trim_start_matches('=').to_owned())
}

/// Writes `$OUT_DIR/k8s_indexes.rs`: one `static INDEX_<major>_<minor>: Index` per
/// `lib/k8s/openapi/<major>.<minor>.json`. A malformed index fails the build, naming
/// the file (the data is committed and checked by `tests/openapi.rs`).
fn k8s_indexes() {
    let dir = Path::new("lib/k8s/openapi");
    println!("cargo:rerun-if-changed={}", dir.display());
    let lines = std::fs::read_to_string(dir.join("definitions.jsonl"))
        .expect("lib/k8s/openapi/definitions.jsonl is readable");
    println!(
        "cargo:rerun-if-changed={}",
        dir.join("definitions.jsonl").display()
    );
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("lib/k8s/openapi is readable")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut out = String::new();
    for file in files {
        println!("cargo:rerun-if-changed={}", file.display());
        let bad = |m: &str| -> ! { panic!("{}: {m}", file.display()) };
        let version = file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let text = std::fs::read_to_string(&file).unwrap_or_else(|e| bad(&e.to_string()));
        let index: serde_json::Value =
            serde_json::from_str(&text).unwrap_or_else(|e| bad(&e.to_string()));
        let entries = index["definitions"]
            .as_array()
            .unwrap_or_else(|| bad("no \"definitions\" array"));
        writeln!(
            out,
            "static INDEX_{}: Index = Index {{\n    definitions: &[",
            version.replace('.', "_")
        )
        .unwrap();
        let (mut layout, mut places) = (Vec::new(), Vec::new());
        for (number, entry) in entries.iter().enumerate() {
            let (start, end, in_library, gvks) = match entry.as_array().map(Vec::as_slice) {
                Some([s, e, l, g]) => (s.as_u64(), e.as_u64(), l.as_u64(), g.as_array()),
                _ => bad(&format!("bad entry {entry}")),
            };
            let (Some(start), Some(end), Some(in_library @ (0 | 1)), Some(gvks)) =
                (start, end, in_library, gvks)
            else {
                bad(&format!("bad entry {entry}"))
            };
            let (start, end) = (start as usize, end as usize);
            let line = lines
                .get(start..end)
                .filter(|_| lines.as_bytes().get(end) == Some(&b'\n'))
                .unwrap_or_else(|| {
                    bad(&format!(
                        "{start}..{end} is not a line of definitions.jsonl"
                    ))
                });
            let (name, _) = line
                .split_once('\t')
                .unwrap_or_else(|| bad(&format!("definitions.jsonl at {start} has no name")));
            let gvks_raw: Vec<&str> = gvks
                .iter()
                .map(|g| g.as_str().unwrap_or_else(|| bad("a kind is not a string")))
                .collect();
            let gvks: Vec<String> = gvks
                .iter()
                .map(|g| {
                    format!(
                        "{:?}",
                        g.as_str().unwrap_or_else(|| bad("a kind is not a string"))
                    )
                })
                .collect();
            writeln!(
                out,
                "        Entry {{ name: {name:?}, json: {}..{end}, in_library: {}, gvks: &[{}] }},",
                start + name.len() + 1,
                in_library == 1,
                gvks.join(", ")
            )
            .unwrap();
            if in_library == 1 {
                let last = gvks_raw.last().map(|k| {
                    names::split_kind_key(k).unwrap_or_else(|| bad(&format!("bad kind {k:?}")))
                });
                if let Some(k) = names::lay_out(name, last) {
                    layout.push(format!(
                        "        Laid {{ definition: {}, group_key: {:?}, version_key: {:?}, kind_key: {:?} }},",
                        u16::try_from(number).unwrap_or_else(|_| bad("over 65,535 definitions")),
                        k.group_key,
                        k.version_key,
                        k.kind_key
                    ));
                    places.push((k.group_key.to_owned(), k.version_key.to_owned(), k.kind_key));
                }
            }
        }
        // Sorted by place, as the library's maps are; two kinds at one place would
        // make the library fail, so the build does.
        let mut order: Vec<usize> = (0..places.len()).collect();
        order.sort_by(|a, b| places[*a].cmp(&places[*b]));
        if let Some(w) = order.windows(2).find(|w| places[w[0]] == places[w[1]]) {
            bad(&format!("two kinds at {:?}", places[w[0]]));
        }
        let cluster: Vec<String> = index["clusterScoped"]
            .as_array()
            .unwrap_or_else(|| bad("no \"clusterScoped\" array"))
            .iter()
            .map(|k| {
                format!(
                    "{:?}",
                    k.as_str().unwrap_or_else(|| bad("a kind is not a string"))
                )
            })
            .collect();
        writeln!(
            out,
            "    ],\n    cluster_scoped: &[{}],\n    layout: &[",
            cluster.join(", ")
        )
        .unwrap();
        for i in order {
            writeln!(out, "{}", layout[i]).unwrap();
        }
        writeln!(out, "    ],\n}};").unwrap();
    }
    let target =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("k8s_indexes.rs");
    std::fs::write(&target, out).expect("OUT_DIR is writable");
}
