//! Error text: gwsonnet's standard error on every error test of the conformance vectors
//! (`../shared/conformance`, run as `tests/conformance.rs` runs them) against what go-jsonnet
//! 0.22's `jsonnet` CLI prints, committed in `tests/testdata/error_text/SUITE/FILE.stderr`
//! by `tests/testdata/error_text/regen.py` — except where go's text is byte-identical to
//! the upstream `testdata/NAME.golden`: those are named in
//! `go-jsonnet/same_as_upstream.txt` and read from `../shared`.
//!
//! Each case is *identical*, has the *same message and first location* (the first line and,
//! for a runtime error, the first frame line), or is *different*. The figures are printed.
//! `tests/error_text_known_differences.txt` lists, one `suite/file.jsonnet  # cause` a line,
//! every case that is not identical, with its cause. A case not listed that differs fails
//! the test, and so does a listed case that is now identical (remove its line), so the
//! list stays exact.

use crate::common;

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use common::layout::{build_go_farm, cpp_args, go_ext_args, load_skips};

/// One golden and how to reproduce it.
struct Case {
    /// `suite/file.jsonnet`.
    key: String,
    cwd: PathBuf,
    args: Vec<std::ffi::OsString>,
    want: String,
}

#[derive(Debug, PartialEq, Eq, Clone, Copy, PartialOrd, Ord)]
enum Verdict {
    Identical,
    SameMessageAndLocation,
    Different,
}

/// The first line and, for a runtime error, the first frame: the message and where.
fn head(text: &str) -> Vec<&str> {
    let lines: Vec<&str> = text.lines().collect();
    let n = if text.starts_with("RUNTIME ERROR") {
        2
    } else {
        1
    };
    lines.into_iter().take(n).collect()
}

fn verdict(got: &str, want: &str) -> Verdict {
    if got == want {
        Verdict::Identical
    } else if head(got) == head(want) {
        Verdict::SameMessageAndLocation
    } else {
        Verdict::Different
    }
}

fn cases(conf: &Path, goldens: &Path, farm: &Path) -> Vec<Case> {
    let cpp_dir = conf.join("jsonnet/test_suite");
    let go_dir = conf.join("go-jsonnet/testdata");
    let aliased = build_go_farm(&go_dir, farm);
    let mut out = Vec::new();
    let upstream: Vec<(String, String)> =
        fs::read_to_string(goldens.join("go-jsonnet/same_as_upstream.txt"))
            .unwrap()
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|name| {
                let stem = name.trim_end_matches(".jsonnet");
                let golden = go_dir.join(format!("{stem}.golden"));
                let want = fs::read_to_string(&golden)
                    .unwrap_or_else(|e| panic!("{}: {e}", golden.display()));
                (name.to_owned(), want)
            })
            .collect();
    for suite in ["jsonnet", "go-jsonnet"] {
        let mut goldens: Vec<(String, String)> =
            common::layout::sorted_files(&goldens.join(suite), ".stderr")
                .into_iter()
                .map(|file| {
                    let want = fs::read_to_string(goldens.join(suite).join(&file)).unwrap();
                    (file.trim_end_matches(".stderr").to_string(), want)
                })
                .collect();
        if suite == "go-jsonnet" {
            goldens.extend(upstream.iter().cloned());
            goldens.sort();
        }
        for (name, want) in goldens {
            let (cwd, mut args) = if suite == "jsonnet" {
                (cpp_dir.clone(), cpp_args(&name))
            } else {
                let stem = name.trim_end_matches(".jsonnet");
                (farm.to_path_buf(), go_ext_args(stem))
            };
            let target = if suite == "jsonnet" {
                name.clone()
            } else {
                let stem = name.trim_end_matches(".jsonnet");
                if aliased.contains(stem) {
                    format!("testdata/{stem}")
                } else {
                    format!("testdata/{name}")
                }
            };
            args.push(target.into());
            out.push(Case {
                key: format!("{suite}/{name}"),
                cwd,
                args,
                want,
            });
        }
    }
    out
}

fn run(case: &Case) -> String {
    let o = Command::new(common::BIN)
        .current_dir(&case.cwd)
        .env_remove("JSONNET_PATH")
        .env("NO_COLOR", "1")
        .args(&case.args)
        .output()
        .expect("running gwsonnet");
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn error_text_matches_go_jsonnet() {
    let Some(conf) = common::shared_fixture("conformance") else {
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let goldens = root.join("tests/testdata/error_text");
    let known_path = root.join("tests/error_text_known_differences.txt");
    let known = load_skips(&known_path);
    let farm = Path::new(env!("CARGO_TARGET_TMPDIR")).join("error-text-go-farm");
    let cases = cases(&conf, &goldens, &farm);
    assert!(cases.len() > 300, "only {} goldens", cases.len());
    let stale: Vec<_> = known
        .keys()
        .filter(|k| !cases.iter().any(|c| &c.key == *k))
        .collect();
    assert!(stale.is_empty(), "entries name no golden: {stale:?}");

    let results = Mutex::new(BTreeMap::new());
    let next = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                while let Some(case) = cases.get(next.fetch_add(1, Ordering::SeqCst)) {
                    let got = run(case);
                    results.lock().unwrap().insert(case.key.clone(), got);
                }
            });
        }
    });
    let results = results.into_inner().unwrap();

    let mut tally: BTreeMap<Verdict, usize> = BTreeMap::new();
    let mut problems = Vec::new();
    for case in &cases {
        let got = &results[&case.key];
        let v = verdict(got, &case.want);
        *tally.entry(v).or_default() += 1;
        match (v, known.contains_key(&case.key)) {
            (Verdict::Identical, true) => problems.push(format!(
                "{}: now identical, remove it from {}",
                case.key,
                known_path.display()
            )),
            (Verdict::Identical, false) | (_, true) => {}
            (_, false) => problems.push(format!(
                "{} ({v:?}):\n--- go-jsonnet ---\n{}--- gwsonnet ---\n{}",
                case.key, case.want, got
            )),
        }
    }
    let count = |v| tally.get(&v).copied().unwrap_or(0);
    // Straight to stdout, past the harness's capture, so the figures always show.
    let figures = format!(
        "error text vs go-jsonnet 0.22: {} cases, {} identical, {} same message and first location, {} different\n",
        cases.len(),
        count(Verdict::Identical),
        count(Verdict::SameMessageAndLocation),
        count(Verdict::Different)
    );
    let _ = std::io::stdout().lock().write_all(figures.as_bytes());
    assert!(
        problems.is_empty(),
        "{} cases disagree with {}:\n{}",
        problems.len(),
        known_path.display(),
        problems.join("\n")
    );
}
