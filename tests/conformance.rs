//! Conformance: runs the built `gwsonnet` binary over the two upstream test corpora that
//! live (read-only) in `../shared/conformance`, the way each upstream runner invokes its
//! interpreter, and compares with their goldens.
//!
//! * `jsonnet/test_suite` (C++ jsonnet's suite, runner `run_tests.sh` + `tests.source`):
//!   cwd = the suite folder; args `--ext-str var1=test --ext-code var2={x:1,y:2}` (files
//!   named `tla.*` get `--tla-str`/`--tla-code` instead), then the file name. Files named
//!   `error.*` must exit 1. Any other file must exit 0 and print `X.jsonnet.golden` if it
//!   exists, else `true`. The upstream runner merges stdout and stderr and strips trailing
//!   newlines on both sides (`$(...)`); here stdout must be the golden (trailing newlines
//!   normalised to exactly one, which is what a jsonnet CLI prints) with its `TRACE: ` lines
//!   removed, and those `TRACE: ` lines must be exactly what went to stderr.
//! * `go-jsonnet/testdata` (go-jsonnet's `main_test.go`): every `X.jsonnet` has `X.golden`.
//!   go names the program `testdata/X` (no extension) and evaluates from the folder above
//!   `testdata`; to reproduce that (it shows in `std.thisFile`), the runner builds a temp
//!   folder whose `testdata/` holds symlinks to every upstream entry plus an extension-less
//!   alias per test, and runs `gwsonnet testdata/X` there. A golden that is a directory is a
//!   multi-file test (`-m DIR`, plus `-S` when it is named `*_string_output.golden`). A
//!   golden whose text is not a JSON value (it starts with `RUNTIME ERROR`, a static error
//!   location such as `testdata/X:1:2` or `<extvar:..>`) is an error test: only exit 1 is
//!   required, go's error text is not compared. The ext vars main_test.go sets for the
//!   `extvar_*` tests are passed as flags; tests of natives the CLI cannot register are in
//!   the skip list.
//!
//! Skips live in `tests/conformance_skip.txt`, one `suite/file.jsonnet  # reason` a line,
//! suite being `jsonnet` or `go-jsonnet`.
//!
//! Environment: `GWSONNET_CONFORMANCE_JOBS` (parallel processes, default = cores, max 4),
//! `GWSONNET_CONFORMANCE_TIMEOUT` (seconds per vector, default 60),
//! `GWSONNET_CONFORMANCE_FILTER` (only run vectors whose `suite/file` contains it; the
//! targets are then not asserted).

use crate::common;

use common::layout::{build_go_farm, cpp_args, go_ext_args, load_skips, sorted_files};

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_gwsonnet");
/// Keep at most this much of a stream (the rest is read and dropped so the child never blocks).
const OUTPUT_CAP: usize = 64 << 20;

/// The number of value tests in C++ jsonnet's test_suite (non-`error.*` files).
const JSONNET_VALUE_TARGET: usize = 67;
/// go-jsonnet's testdata value tests: at least this many must pass, and at most
/// `GO_MAX_VALUE_FAILURES` may fail.
const GO_VALUE_MIN_PASSED: usize = 460;
const GO_MAX_VALUE_FAILURES: usize = 3;

// ---------------------------------------------------------------------------------------
// Running a child with a timeout

struct Outcome {
    /// `None` when the process was killed by a signal (or by our timeout).
    code: Option<i32>,
    signal: Option<i32>,
    timed_out: bool,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    elapsed: Duration,
}

fn read_capped(mut r: impl Read + Send + 'static) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut kept = Vec::new();
        let mut buf = [0u8; 64 * 1024];
        loop {
            match r.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    let room = OUTPUT_CAP.saturating_sub(kept.len());
                    kept.extend_from_slice(&buf[..n.min(room)]);
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) => break,
            }
        }
        kept
    })
}

fn run_with_timeout(mut cmd: Command, timeout: Duration) -> Outcome {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let start = Instant::now();
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            return Outcome {
                code: None,
                signal: None,
                timed_out: false,
                stdout: Vec::new(),
                stderr: format!("could not spawn {BIN}: {e}").into_bytes(),
                elapsed: start.elapsed(),
            }
        }
    };
    let out = read_capped(child.stdout.take().unwrap());
    let err = read_capped(child.stderr.take().unwrap());
    let mut timed_out = false;
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break Some(s),
            Ok(None) => {}
            Err(_) => break None,
        }
        if start.elapsed() > timeout {
            timed_out = true;
            let _ = child.kill();
            break child.wait().ok();
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let elapsed = start.elapsed();
    let stdout = out.join().unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    let (code, signal) = match status {
        Some(s) => (s.code(), signal_of(&s)),
        None => (None, None),
    };
    Outcome {
        code,
        signal,
        timed_out,
        stdout,
        stderr,
        elapsed,
    }
}

#[cfg(unix)]
fn signal_of(s: &std::process::ExitStatus) -> Option<i32> {
    use std::os::unix::process::ExitStatusExt;
    s.signal()
}

#[cfg(not(unix))]
fn signal_of(_: &std::process::ExitStatus) -> Option<i32> {
    None
}

// ---------------------------------------------------------------------------------------
// Vectors

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Suite {
    Jsonnet,
    GoJsonnet,
}

impl Suite {
    fn id(self) -> &'static str {
        match self {
            Suite::Jsonnet => "jsonnet",
            Suite::GoJsonnet => "go-jsonnet",
        }
    }
    fn title(self) -> &'static str {
        match self {
            Suite::Jsonnet => "jsonnet/test_suite",
            Suite::GoJsonnet => "go-jsonnet/testdata",
        }
    }
}

enum Expect {
    /// Exit 0 and exactly this on stdout; if `stderr` is set, exactly that on stderr.
    Value {
        stdout: Vec<u8>,
        stderr: Option<Vec<u8>>,
    },
    /// Exit 0 in `-m` mode: these files (name -> content) and nothing else in the output
    /// directory, and their paths one a line on stdout.
    Multi { files: BTreeMap<String, Vec<u8>> },
    /// Exit 1, no panic.
    Error,
}

impl Expect {
    fn is_error(&self) -> bool {
        matches!(self, Expect::Error)
    }
}

struct Vector {
    suite: Suite,
    /// The file name, e.g. `arith_bool.jsonnet`.
    file: String,
    cwd: PathBuf,
    /// Flags before the file argument (`-m DIR` is added by the runner for multi tests).
    args: Vec<OsString>,
    /// The file argument as given to the CLI.
    target: OsString,
    /// Add `-S` (string output) to a multi test.
    string_output: bool,
    expect: Expect,
    skip: Option<String>,
}

impl Vector {
    fn key(&self) -> String {
        format!("{}/{}", self.suite.id(), self.file)
    }
}

fn jsonnet_vectors(dir: &Path) -> Vec<Vector> {
    let mut out = Vec::new();
    for file in sorted_files(dir, ".jsonnet") {
        let args = cpp_args(&file);
        let expect = if file.starts_with("error.") {
            Expect::Error
        } else {
            let golden_path = dir.join(format!("{file}.golden"));
            match fs::read(&golden_path) {
                Ok(golden) => {
                    let text = String::from_utf8_lossy(&golden).into_owned();
                    let mut stdout = String::new();
                    let mut trace = String::new();
                    for line in text.split_inclusive('\n') {
                        if line.starts_with("TRACE: ") {
                            trace.push_str(line.trim_end_matches('\n'));
                            trace.push('\n');
                        } else {
                            stdout.push_str(line);
                        }
                    }
                    let stdout = format!("{}\n", stdout.trim_end_matches('\n'));
                    Expect::Value {
                        stdout: stdout.into_bytes(),
                        stderr: if trace.is_empty() {
                            None
                        } else {
                            Some(trace.into_bytes())
                        },
                    }
                }
                Err(_) => Expect::Value {
                    stdout: b"true\n".to_vec(),
                    stderr: None,
                },
            }
        };
        out.push(Vector {
            suite: Suite::Jsonnet,
            target: file.clone().into(),
            file,
            cwd: dir.to_path_buf(),
            args,
            string_output: false,
            expect,
            skip: None,
        });
    }
    out
}

/// True when a go-jsonnet golden holds a manifested value (not error text): it must start
/// like a JSON value.
fn is_value_golden(golden: &[u8]) -> bool {
    let first_line = golden.split(|&b| b == b'\n').next().unwrap_or(b"");
    match golden.first() {
        Some(b'[' | b'{' | b'"' | b'-' | b'0'..=b'9') => true,
        _ => matches!(first_line, b"true" | b"false" | b"null"),
    }
}

fn go_vectors(dir: &Path, farm: &Path) -> Vec<Vector> {
    let aliased = build_go_farm(dir, farm);
    let mut out = Vec::new();
    for file in sorted_files(dir, ".jsonnet") {
        let stem = file.trim_end_matches(".jsonnet").to_string();
        let golden_path = dir.join(format!("{stem}.golden"));
        let target: OsString = if aliased.contains(&stem) {
            format!("testdata/{stem}").into()
        } else {
            format!("testdata/{file}").into()
        };
        let string_output = format!("{stem}.golden").ends_with("_string_output.golden");
        let mut skip = None;
        let expect = if golden_path.is_dir() {
            let mut files = BTreeMap::new();
            for name in sorted_files(&golden_path, "") {
                let mut content = fs::read(golden_path.join(&name)).unwrap();
                // The testdata (@923f51b) predates go-jsonnet 0.22, which ends each `-S -m`
                // file with a newline as it always ended the JSON ones (google/go-jsonnet
                // pull requests 819 and 843; `manifestAndSerializeMulti` in 0.22.0).
                if string_output {
                    content.push(b'\n');
                }
                files.insert(name.clone(), content);
            }
            Expect::Multi { files }
        } else {
            match fs::read(&golden_path) {
                Ok(g) if is_value_golden(&g) => Expect::Value {
                    stdout: g,
                    stderr: None,
                },
                Ok(_) => Expect::Error,
                Err(_) => {
                    skip = Some(format!("no golden {stem}.golden"));
                    Expect::Error
                }
            }
        };
        out.push(Vector {
            suite: Suite::GoJsonnet,
            file,
            cwd: farm.to_path_buf(),
            args: go_ext_args(&stem),
            target,
            string_output,
            expect,
            skip,
        });
    }
    out
}

// ---------------------------------------------------------------------------------------
// The skip list

// ---------------------------------------------------------------------------------------
// Checking one vector

fn show(bytes: &[u8], max: usize) -> String {
    let s = String::from_utf8_lossy(bytes);
    let s: String = s.chars().take(max).collect();
    format!("{s:?}")
}

fn first_line(bytes: &[u8]) -> String {
    let s = String::from_utf8_lossy(bytes);
    let line = s
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .to_string();
    line.chars().take(200).collect()
}

/// A one-paragraph description of where `actual` departs from `expected`.
fn first_difference(expected: &[u8], actual: &[u8]) -> String {
    let e = String::from_utf8_lossy(expected);
    let a = String::from_utf8_lossy(actual);
    let el: Vec<&str> = e.split_inclusive('\n').collect();
    let al: Vec<&str> = a.split_inclusive('\n').collect();
    for i in 0..el.len().max(al.len()) {
        let x = el.get(i).copied();
        let y = al.get(i).copied();
        if x != y {
            return format!(
                "line {}: expected {} got {} ({} vs {} lines, {} vs {} bytes)",
                i + 1,
                x.map(|s| show(s.as_bytes(), 160))
                    .unwrap_or_else(|| "<end>".into()),
                y.map(|s| show(s.as_bytes(), 160))
                    .unwrap_or_else(|| "<end>".into()),
                el.len(),
                al.len(),
                expected.len(),
                actual.len()
            );
        }
    }
    "identical".into()
}

fn describe_exit(o: &Outcome) -> String {
    if o.timed_out {
        format!("timed out after {:.0?}, killed", o.elapsed)
    } else if let Some(sig) = o.signal {
        format!("killed by signal {sig}")
    } else {
        match o.code {
            Some(c) => format!("exit {c}"),
            None => "no exit status".into(),
        }
    }
}

fn has_panic(o: &Outcome) -> bool {
    let err = String::from_utf8_lossy(&o.stderr);
    err.contains("panicked") || err.contains("RUST_BACKTRACE")
}

/// Runs one vector; `Ok(())` or a one-line reason.
fn check(v: &Vector, timeout: Duration) -> Result<(), String> {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(&v.cwd)
        .env_remove("JSONNET_PATH")
        .env("NO_COLOR", "1");
    cmd.args(&v.args);
    let multi_dir = if let Expect::Multi { .. } = v.expect {
        let d = tempfile::tempdir().map_err(|e| format!("tempdir: {e}"))?;
        cmd.arg("-m").arg(d.path());
        if v.string_output {
            cmd.arg("-S");
        }
        Some(d)
    } else {
        None
    };
    cmd.arg(&v.target);
    let o = run_with_timeout(cmd, timeout);
    if o.timed_out || o.signal.is_some() {
        return Err(format!(
            "{} (stdout {} bytes{}); stderr: {}",
            describe_exit(&o),
            o.stdout.len(),
            if o.stdout.len() >= OUTPUT_CAP {
                "+"
            } else {
                ""
            },
            first_line(&o.stderr)
        ));
    }
    if has_panic(&o) {
        return Err(format!(
            "{} with a panic: {}",
            describe_exit(&o),
            first_line(&o.stderr)
        ));
    }
    match &v.expect {
        Expect::Error => {
            if o.code == Some(1) {
                Ok(())
            } else {
                Err(format!(
                    "{}, expected exit 1 (error test); stdout: {}",
                    describe_exit(&o),
                    show(&o.stdout, 120)
                ))
            }
        }
        Expect::Value { stdout, stderr } => {
            if o.code != Some(0) {
                return Err(format!("{}: {}", describe_exit(&o), first_line(&o.stderr)));
            }
            if &o.stdout != stdout {
                return Err(format!(
                    "stdout differs: {}",
                    first_difference(stdout, &o.stdout)
                ));
            }
            if let Some(want) = stderr {
                if &o.stderr != want {
                    return Err(format!(
                        "stderr (trace output) differs: {}",
                        first_difference(want, &o.stderr)
                    ));
                }
            }
            Ok(())
        }
        Expect::Multi { files } => {
            let dir = multi_dir.expect("multi dir");
            if o.code != Some(0) {
                return Err(format!("{}: {}", describe_exit(&o), first_line(&o.stderr)));
            }
            let mut prefix = dir.path().to_string_lossy().into_owned();
            if !prefix.ends_with('/') {
                prefix.push('/');
            }
            let listing: String = files.keys().map(|k| format!("{prefix}{k}\n")).collect();
            if o.stdout != listing.as_bytes() {
                return Err(format!(
                    "-m listing differs: {}",
                    first_difference(listing.as_bytes(), &o.stdout)
                ));
            }
            let written = sorted_files(dir.path(), "");
            let want: Vec<String> = files.keys().cloned().collect();
            if written != want {
                return Err(format!("-m wrote {written:?}, expected {want:?}"));
            }
            for (name, content) in files {
                let got = fs::read(dir.path().join(name)).unwrap_or_default();
                if &got != content {
                    return Err(format!(
                        "-m file {name} differs: {}",
                        first_difference(content, &got)
                    ));
                }
            }
            Ok(())
        }
    }
}

// ---------------------------------------------------------------------------------------
// The test

#[derive(Default)]
struct Tally {
    value_total: usize,
    value_passed: usize,
    value_failed: usize,
    error_total: usize,
    error_passed: usize,
    error_failed: usize,
    skipped: usize,
    failures: Vec<(String, String)>,
    /// Failures listed in `tests/conformance_known_failures.txt`.
    known: usize,
    known_failures: Vec<(String, String, String)>,
}

impl Tally {
    fn passed(&self) -> usize {
        self.value_passed + self.error_passed
    }
    fn failed(&self) -> usize {
        self.value_failed + self.error_failed
    }
}

/// Writes straight to the process's stdout so the summary shows even when the test
/// harness captures output (CI reads the final line).
fn emit(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

fn env_num(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|s| s.trim().parse().ok())
}

#[test]
fn conformance() {
    let Some(conf) = common::shared_fixture("conformance") else {
        return;
    };
    let jsonnet_dir = conf.join("jsonnet/test_suite");
    let go_dir = conf.join("go-jsonnet/testdata");
    assert!(jsonnet_dir.is_dir(), "missing {}", jsonnet_dir.display());
    assert!(go_dir.is_dir(), "missing {}", go_dir.display());

    let skip_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance_skip.txt");
    let skips = load_skips(&skip_path);
    // Vectors that still fail, each with its measured cause: they run and are reported,
    // but only a failure *not* on this list fails the test.
    let known_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance_known_failures.txt");
    let known = load_skips(&known_path);

    let farm = Path::new(env!("CARGO_TARGET_TMPDIR")).join("conformance-go-farm");
    let mut vectors = jsonnet_vectors(&jsonnet_dir);
    vectors.extend(go_vectors(&go_dir, &farm));

    let keys: BTreeSet<String> = vectors.iter().map(|v| v.key()).collect();
    let stale: Vec<&String> = skips.keys().filter(|k| !keys.contains(*k)).collect();
    assert!(
        stale.is_empty(),
        "{}: entries name no vector: {stale:?}",
        skip_path.display()
    );
    let stale_known: Vec<&String> = known.keys().filter(|k| !keys.contains(*k)).collect();
    assert!(
        stale_known.is_empty(),
        "{}: entries name no vector: {stale_known:?}",
        known_path.display()
    );
    for v in &mut vectors {
        if let Some(reason) = skips.get(&v.key()) {
            v.skip = Some(reason.clone());
        }
    }

    let filter = std::env::var("GWSONNET_CONFORMANCE_FILTER")
        .ok()
        .filter(|f| !f.is_empty());
    let timeout = Duration::from_secs(env_num("GWSONNET_CONFORMANCE_TIMEOUT").unwrap_or(60));
    let jobs = env_num("GWSONNET_CONFORMANCE_JOBS")
        .map(|n| n.max(1) as usize)
        .unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2)
                .clamp(1, 4)
        });

    let to_run: Vec<usize> = (0..vectors.len())
        .filter(|&i| {
            let v = &vectors[i];
            v.skip.is_none() && filter.as_ref().is_none_or(|f| v.key().contains(f.as_str()))
        })
        .collect();
    let results: Mutex<BTreeMap<usize, Result<(), String>>> = Mutex::new(BTreeMap::new());
    let next = AtomicUsize::new(0);
    let started = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..jobs {
            s.spawn(|| loop {
                let n = next.fetch_add(1, Ordering::SeqCst);
                let Some(&i) = to_run.get(n) else { break };
                let r = check(&vectors[i], timeout);
                results.lock().unwrap().insert(i, r);
            });
        }
    });
    let results = results.into_inner().unwrap();

    let mut tallies: BTreeMap<Suite, Tally> = BTreeMap::new();
    tallies.entry(Suite::Jsonnet).or_default();
    tallies.entry(Suite::GoJsonnet).or_default();
    let mut skipped_list = Vec::new();
    let mut known_now_passing = Vec::new();
    for (i, v) in vectors.iter().enumerate() {
        let t = tallies.get_mut(&v.suite).unwrap();
        if let Some(reason) = &v.skip {
            t.skipped += 1;
            skipped_list.push(format!("{}  # {reason}", v.key()));
            continue;
        }
        let Some(r) = results.get(&i) else {
            continue; // filtered out
        };
        let is_err = v.expect.is_error();
        if is_err {
            t.error_total += 1;
        } else {
            t.value_total += 1;
        }
        if r.is_ok() && known.contains_key(&v.key()) {
            known_now_passing.push(v.key());
        }
        match r {
            Ok(()) if is_err => t.error_passed += 1,
            Ok(()) => t.value_passed += 1,
            Err(why) if known.contains_key(&v.key()) => {
                t.known += 1;
                let kind = if is_err { "error" } else { "value" };
                t.known_failures.push((
                    format!("{} [{kind}]", v.key()),
                    known[&v.key()].clone(),
                    why.clone(),
                ));
            }
            Err(why) => {
                if is_err {
                    t.error_failed += 1;
                } else {
                    t.value_failed += 1;
                }
                let kind = if is_err { "error" } else { "value" };
                t.failures
                    .push((format!("{} [{kind}]", v.key()), why.clone()));
            }
        }
    }

    let mut report = String::from("\n");
    let (mut passed, mut failed, mut skipped, mut known_total) = (0, 0, 0, 0);
    for (suite, t) in &tallies {
        report.push_str(&format!(
            "suite {} -- {} passed, {} failed, {} skipped (value tests {}/{} passed, error tests {}/{} exit 1)\n",
            suite.title(),
            t.passed(),
            t.failed(),
            t.skipped,
            t.value_passed,
            t.value_total,
            t.error_passed,
            t.error_total
        ));
        for (name, why) in &t.failures {
            report.push_str(&format!("  FAIL {name}: {why}\n"));
        }
        for (name, cause, why) in &t.known_failures {
            report.push_str(&format!("  KNOWN {name} ({cause}): {why}\n"));
        }
        known_total += t.known;
        passed += t.passed();
        failed += t.failed();
        skipped += t.skipped;
    }
    if !skipped_list.is_empty() {
        report.push_str(&format!(
            "skipped (tests/conformance_skip.txt): {}\n",
            skipped_list.len()
        ));
        for s in &skipped_list {
            report.push_str(&format!("  SKIP {s}\n"));
        }
    }
    for k in &known_now_passing {
        report.push_str(&format!(
            "  NOW PASSING {k}: remove it from tests/conformance_known_failures.txt\n"
        ));
    }
    report.push_str(&format!(
        "ran {} vectors with {jobs} jobs in {:.1?}\n",
        results.len(),
        started.elapsed()
    ));
    let js_t = &tallies[&Suite::Jsonnet];
    let go_t = &tallies[&Suite::GoJsonnet];
    report.push_str(&format!(
        "issue targets: jsonnet/test_suite value tests {}/{JSONNET_VALUE_TARGET} (target {JSONNET_VALUE_TARGET}); go-jsonnet/testdata value tests {}/{} (target at least {GO_VALUE_MIN_PASSED}, at most {GO_MAX_VALUE_FAILURES} failing); known failures: {known_total}\n",
        js_t.value_passed, go_t.value_passed, go_t.value_total
    ));
    report.push_str(&format!(
        "conformance: {passed} passed, {failed} failed, {skipped} skipped\n"
    ));
    emit(&report);

    if filter.is_some() {
        assert_eq!(failed, 0, "failing vectors (filtered run), see the report");
        return;
    }

    let js = &tallies[&Suite::Jsonnet];
    let go = &tallies[&Suite::GoJsonnet];
    let mut problems = Vec::new();
    let js_classified = vectors
        .iter()
        .filter(|v| v.suite == Suite::Jsonnet && !v.expect.is_error())
        .count();
    if js_classified != JSONNET_VALUE_TARGET {
        problems.push(format!(
            "jsonnet/test_suite: classified {js_classified} value tests, expected {JSONNET_VALUE_TARGET}"
        ));
    }
    for (suite, t) in &tallies {
        for (name, why) in &t.failures {
            problems.push(format!(
                "{}: {name} fails and is not in tests/conformance_known_failures.txt: {why}",
                suite.title()
            ));
        }
    }
    let _ = (js, go);
    assert!(
        problems.is_empty(),
        "conformance targets missed:\n  {}",
        problems.join("\n  ")
    );
}
