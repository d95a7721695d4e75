//! Helpers shared by the integration tests that run the `gwsonnet` binary.
#![allow(dead_code)] // each test crate uses its own subset

pub mod layout;
pub mod tanka_project;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use tempfile::TempDir;

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_gwsonnet");
/// Longest a single run may take.
pub const TIMEOUT: Duration = Duration::from_secs(120);

/// A command for the binary, run in `dir`, with a clean JSONNET_PATH and a timeout.
pub fn gw(dir: &Path) -> Command {
    let mut c = Command::new(BIN);
    c.current_dir(dir)
        .env_remove("JSONNET_PATH")
        .env("NO_COLOR", "1")
        .timeout(TIMEOUT);
    c
}

/// A fresh temporary directory.
pub fn tmp() -> TempDir {
    tempfile::tempdir().expect("tempdir")
}

/// Writes `content` at `dir/rel`, creating parent directories; returns the path.
pub fn write(dir: &Path, rel: &str, content: &str) -> PathBuf {
    let p = dir.join(rel);
    if let Some(parent) = p.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    fs::write(&p, content).unwrap();
    p
}

/// What a run printed and how it ended.
#[derive(Debug)]
pub struct Out {
    /// Exit code; `None` when killed by a signal.
    pub code: Option<i32>,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Out {
    /// Exit code and both streams (clipped), for assertion messages.
    pub fn context(&self) -> String {
        format!(
            "exit {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.code,
            clip(&self.stdout),
            clip(&self.stderr)
        )
    }
}

/// The first 4000 bytes of `s`, with its length when longer.
pub fn clip(s: &str) -> String {
    if s.len() > 4000 {
        let mut end = 4000;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}... ({} bytes)", &s[..end], s.len())
    } else {
        s.to_string()
    }
}

/// Runs `cmd` to completion.
pub fn run(cmd: &mut Command) -> Out {
    let o = cmd.output().expect("running gwsonnet");
    Out {
        code: o.status.code(),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// No panic text, and not killed by a signal.
#[track_caller]
pub fn no_panic(o: &Out) {
    assert!(
        !o.stderr.contains("panicked") && !o.stdout.contains("panicked"),
        "the CLI panicked:\n{}",
        o.context()
    );
    assert!(
        o.code.is_some(),
        "the CLI was killed by a signal (crash or timeout):\n{}",
        o.context()
    );
}

/// Exit 0 with exactly `stdout`.
#[track_caller]
pub fn ok(o: &Out, stdout: &str) {
    no_panic(o);
    assert_eq!(o.code, Some(0), "expected success:\n{}", o.context());
    assert_eq!(o.stdout, stdout, "stdout differs:\n{}", o.context());
}

/// The built-in library.
pub fn builtin() -> &'static gwsonnet::model::Library {
    static LIB: std::sync::OnceLock<std::sync::Arc<gwsonnet::model::Library>> =
        std::sync::OnceLock::new();
    LIB.get_or_init(gwsonnet::model::builtin_library)
}

/// The built-in tcpRoute kind.
pub fn tcp_route() -> &'static gwsonnet::model::Kind {
    builtin()
        .slot("gateway", "v1alpha2", "tcpRoute")
        .and_then(|s| s.kind())
        .expect("tcpRoute is built in")
        .expect("tcpRoute loads")
}

/// Equal texts, reporting the first differing line so a mismatch is readable.
#[track_caller]
pub fn assert_same(got: &str, want: &str, what: &str) {
    if got == want {
        return;
    }
    for (i, (g, w)) in got.lines().zip(want.lines()).enumerate() {
        assert_eq!(g, w, "{what}: first difference at line {}", i + 1);
    }
    assert_eq!(
        got.lines().count(),
        want.lines().count(),
        "{what}: one is a prefix of the other"
    );
    assert_eq!(got, want, "{what}: differs (line endings?)");
}

/// Exit 1, a clean message on stderr beginning with `prefix` and containing every `needle`.
#[track_caller]
pub fn fails(o: &Out, prefix: &str, needles: &[&str]) {
    no_panic(o);
    assert_eq!(o.code, Some(1), "expected exit 1:\n{}", o.context());
    assert!(
        o.stderr.starts_with(prefix),
        "stderr should start with {prefix:?}:\n{}",
        o.context()
    );
    for n in needles {
        assert!(
            o.stderr.contains(n),
            "stderr should mention {n:?}:\n{}",
            o.context()
        );
    }
}

/// Exit 1 with a `RUNTIME ERROR: ` mentioning every `needle`.
#[track_caller]
pub fn fails_runtime(o: &Out, needles: &[&str]) {
    fails(o, "RUNTIME ERROR: ", needles);
}

/// Runs every `NAME.jsonnet` of `tests/testdata/<dir>` with that directory as working
/// directory and compares its stdout with `NAME.golden` (made by the reference tool
/// its directory's regen script names); returns how many programs were checked.
#[track_caller]
pub fn check_goldens(dir: &str) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/testdata")
        .join(dir);
    let mut programs: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("readable dir entry").path())
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("jsonnet"))
        .collect();
    programs.sort();
    for program in &programs {
        let golden = fs::read_to_string(program.with_extension("golden"))
            .unwrap_or_else(|e| panic!("golden of {}: {e}", program.display()));
        let name = program.file_name().expect("a file").to_string_lossy();
        let o = run(gw(&dir).arg(name.as_ref()));
        no_panic(&o);
        assert_eq!(o.code, Some(0), "{name}:\n{}", o.context());
        assert_same(&o.stdout, &golden, &name);
    }
    programs.len()
}

/// The fixture policy of every suite: `rel` below `../shared` (read-only test data
/// beside the crate, never copied into it). When it is missing, the test prints
/// `skipped: …` and gets `None`; under `CI=true` a missing fixture is a failure.
#[track_caller]
pub fn shared_fixture(rel: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(rel);
    if path.exists() {
        return Some(path);
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!(
            "{} not found, and CI=true: ../shared is required in CI",
            path.display()
        );
    }
    println!("skipped: {} not found", path.display());
    None
}

/// A failure that is not a jsonnet error: one line starting `ERROR: `.
#[track_caller]
pub fn fails_plain(o: &Out, needles: &[&str]) {
    fails(o, "ERROR: ", needles);
}

/// The sorted file names in `dir` (empty when it does not exist).
pub fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = match fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect(),
        Err(_) => Vec::new(),
    };
    v.sort();
    v
}

/// Every file below `dir`, keyed by its `/`-separated path relative to `dir`.
pub fn files_below(dir: &Path) -> std::collections::BTreeMap<String, String> {
    fn walk(root: &Path, dir: &Path, out: &mut std::collections::BTreeMap<String, String>) {
        let mut entries: Vec<PathBuf> = fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.expect("readable dir entry").path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).expect("below root");
                let rel = rel.to_string_lossy().replace('\\', "/");
                let text =
                    fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
                out.insert(rel, text);
            }
        }
    }
    let mut out = std::collections::BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// `got` is file for file the tree below `golden_dir`: the same paths, the same bytes.
#[track_caller]
pub fn assert_tree(got: &std::collections::BTreeMap<String, String>, golden_dir: &Path) {
    let want = files_below(golden_dir);
    let got_names: Vec<&String> = got.keys().collect();
    let want_names: Vec<&String> = want.keys().collect();
    assert_eq!(got_names, want_names, "files of {}", golden_dir.display());
    for (rel, text) in got {
        assert_same(text, &want[rel], &format!("{}/{rel}", golden_dir.display()));
    }
}

/// The libraries loaded from `sources` (the CRD loader as the CLI calls it).
pub fn load_libraries(crds: &[PathBuf], configs: &[PathBuf]) -> Vec<gwsonnet::model::Library> {
    gwsonnet::crd::load(&gwsonnet::crd::Sources {
        crds: crds.to_vec(),
        configs: configs.to_vec(),
        ..Default::default()
    })
    .unwrap_or_else(|e| panic!("{}", e.render()))
}

/// The Gateway API library versions jsonnet-libs publishes (docs and source in
/// `../shared/gateway-api/{docs,libsonnet}`).
pub const PUBLISHED_GATEWAY_VERSIONS: &[&str] = &[
    "0.8",
    "0.8-experimental",
    "1.0",
    "1.0-experimental",
    "1.1",
    "1.1-experimental",
    "1.2",
    "1.2-experimental",
    "1.3",
    "1.3-experimental",
    "1.4",
    "1.4-experimental",
];
