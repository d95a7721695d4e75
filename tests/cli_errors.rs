//! Bad input to the jsonnet mode and robustness, run as a real process: every bad flag,
//! file and value ends with a clean message and exit 1, never a panic, a crash or a
//! partial output file; deep recursion and deeply nested data or source fail cleanly.

use std::ffi::OsStr;
use std::fs;
use std::io::Read;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::common;

use common::*;

// ---------------------------------------------------------------------------------------
// Bad input

#[test]
fn missing_file() {
    let d = tmp();
    fails_plain(&run(gw(d.path()).arg("nope.jsonnet")), &["nope.jsonnet"]);
}

#[test]
fn unreadable_file_directory_given() {
    // We run as root, so chmod 000 would still be readable: a directory cannot be read
    // as a file by anyone.
    let d = tmp();
    fs::create_dir(d.path().join("adir.jsonnet")).unwrap();
    fails_plain(&run(gw(d.path()).arg("adir.jsonnet")), &["adir.jsonnet"]);
}

#[test]
fn no_file_and_too_many_files() {
    let d = tmp();
    write(d.path(), "a.jsonnet", "1");
    write(d.path(), "b.jsonnet", "2");
    fails_plain(&run(&mut gw(d.path())), &[]);
    fails_plain(&run(gw(d.path()).args(["a.jsonnet", "b.jsonnet"])), &[]);
    fails_plain(&run(gw(d.path()).args(["-e"])), &[]);
}

#[test]
fn bad_flags() {
    let d = tmp();
    fails_plain(
        &run(gw(d.path()).args(["--bogus", "-e", "1"])),
        &["--bogus"],
    );
    // A flag that needs a value, given none.
    for flag in ["-J", "-o", "-m", "-V", "-A", "-s", "-t", "--ext-code"] {
        let o = run(gw(d.path()).args(["-e", "1", flag]));
        no_panic(&o);
        assert_eq!(o.code, Some(1), "{flag} without value:\n{}", o.context());
        assert!(!o.stderr.is_empty(), "{flag}: no message");
    }
    for flag in ["-J", "-o", "-m"] {
        let o = run(gw(d.path()).args([flag, "", "-e", "1"]));
        fails_plain(&o, &[]);
    }
}

#[test]
fn multi_on_non_object() {
    let d = tmp();
    fs::create_dir(d.path().join("out")).unwrap();
    let o = run(gw(d.path()).args(["-m", "out", "-e", "[1]"]));
    fails_runtime(&o, &["object"]);
    assert!(listing(&d.path().join("out")).is_empty());
    // -S -m with a non-string field.
    let o = run(gw(d.path()).args(["-S", "-m", "out", "-e", "{a: 1}"]));
    fails_runtime(&o, &["a"]);
    assert!(listing(&d.path().join("out")).is_empty());
}

#[test]
fn string_on_non_string() {
    let d = tmp();
    fails_runtime(&run(gw(d.path()).args(["-S", "-e", "{a: 1}"])), &["string"]);
    fails_runtime(&run(gw(d.path()).args(["-S", "-e", "42"])), &["string"]);
}

#[test]
fn yaml_stream_on_non_array() {
    let d = tmp();
    fails_runtime(&run(gw(d.path()).args(["-y", "-e", "{a: 1}"])), &["array"]);
}

#[test]
fn syntax_error() {
    let d = tmp();
    write(d.path(), "bad.jsonnet", "{\n  a: 1,\n  b: ,\n}\n");
    let o = run(gw(d.path()).arg("bad.jsonnet"));
    fails(&o, "bad.jsonnet:3:6", &[]);
    let o = run(gw(d.path()).args(["-e", "{a: }"]));
    fails(&o, "<cmdline>:1:5", &[]);
    let o = run(gw(d.path()).args(["-e", "x"]));
    fails(&o, "<cmdline>:1:1", &["x"]);
}

#[test]
fn runtime_error() {
    let d = tmp();
    write(d.path(), "rt.jsonnet", "{\n  a: error 'boom',\n}\n");
    let o = run(gw(d.path()).arg("rt.jsonnet"));
    fails_runtime(&o, &["boom", "rt.jsonnet:2:"]);
    assert!(
        o.stderr.starts_with("RUNTIME ERROR: boom"),
        "{}",
        o.context()
    );
    assert!(o.stdout.is_empty(), "no output on error:\n{}", o.context());
    let o = run(gw(d.path()).args(["-e", "{a: 1} + 1"]));
    fails_runtime(&o, &["<cmdline>:1:"]);
    let o = run(gw(d.path()).args(["-e", "[1][5]"]));
    fails_runtime(&o, &["<cmdline>"]);
}

#[test]
fn ext_var_errors() {
    let d = tmp();
    fails_runtime(
        &run(gw(d.path()).args(["--ext-code", "x=error 'xxx'", "-e", "std.extVar('x')"])),
        &["xxx"],
    );
    let o = run(gw(d.path()).args(["--ext-code", "x=)", "-e", "std.extVar('x')"]));
    no_panic(&o);
    assert_eq!(o.code, Some(1), "{}", o.context());
    let o = run(gw(d.path()).args([
        "--ext-code-file",
        "x=missing.jsonnet",
        "-e",
        "std.extVar('x')",
    ]));
    no_panic(&o);
    assert_eq!(o.code, Some(1), "{}", o.context());
    assert!(o.stderr.contains("missing.jsonnet"), "{}", o.context());
}

#[test]
fn errors_leave_no_output_file() {
    let d = tmp();
    write(d.path(), "rt.jsonnet", "{a: 1, b: error 'late'}");
    // -o: nothing created...
    let o = run(gw(d.path()).args(["-o", "new.json", "rt.jsonnet"]));
    fails_runtime(&o, &["late"]);
    assert!(!d.path().join("new.json").exists(), "partial -o file left");
    // ...and an existing file is not truncated.
    write(d.path(), "old.json", "previous\n");
    let o = run(gw(d.path()).args(["-o", "old.json", "rt.jsonnet"]));
    fails_runtime(&o, &["late"]);
    assert_eq!(
        fs::read_to_string(d.path().join("old.json")).unwrap(),
        "previous\n"
    );
    // -o with -c does not even create the directories.
    let o = run(gw(d.path()).args(["-c", "-o", "made/x.json", "rt.jsonnet"]));
    fails_runtime(&o, &["late"]);
    assert!(!d.path().join("made/x.json").exists());
    // -m: no file written although field `a` is fine.
    fs::create_dir(d.path().join("out")).unwrap();
    let o = run(gw(d.path()).args(["-m", "out", "rt.jsonnet"]));
    fails_runtime(&o, &["late"]);
    assert!(o.stdout.is_empty(), "{}", o.context());
    assert!(
        listing(&d.path().join("out")).is_empty(),
        "partial -m output"
    );
    // -y: no partial stream.
    let o = run(gw(d.path()).args(["-y", "-e", "[1, error 'late']"]));
    fails_runtime(&o, &["late"]);
    assert!(o.stdout.is_empty(), "partial -y output:\n{}", o.context());
    // Static error with -o.
    let o = run(gw(d.path()).args(["-o", "s.json", "-e", "{"]));
    fails(&o, "<cmdline>:1:2 ", &[]);
    assert!(!d.path().join("s.json").exists());
}

/// Every failing run, in each output mode, exits 1 and creates no output file.
#[test]
fn bad_inputs_never_leave_output() {
    let d = tmp();
    write(d.path(), "syntax.jsonnet", "{a: }");
    write(d.path(), "runtime.jsonnet", "{a: 1, b: error 'late'}");
    write(
        d.path(),
        "rec.jsonnet",
        "local f(n) = if n == 0 then 0 else 1 + f(n-1); {a: f(100000)}",
    );
    fs::create_dir(d.path().join("adir.jsonnet")).unwrap();
    let cases: &[(&[&str], &str)] = &[
        (&["missing.jsonnet"], "ERROR: "),
        (&["adir.jsonnet"], "ERROR: "),
        (&["--bogus", "runtime.jsonnet"], "ERROR: "),
        (&["syntax.jsonnet"], "syntax.jsonnet:1:5"),
        (&["runtime.jsonnet"], "RUNTIME ERROR: "),
        (&["rec.jsonnet"], "RUNTIME ERROR: "),
        (&["-S", "-e", "{'f.txt': 1}"], "RUNTIME ERROR: "),
        (&["-y", "-e", "1"], "RUNTIME ERROR: "),
    ];
    for (i, (args, prefix)) in cases.iter().enumerate() {
        let out_file = format!("o{i}/out.json");
        let multi_dir = format!("m{i}");
        fs::create_dir(d.path().join(&multi_dir)).unwrap();
        for mode in [
            vec!["-c", "-o", out_file.as_str()],
            vec!["-m", multi_dir.as_str()],
        ] {
            if mode[0] == "-m" && args[0] == "-y" {
                continue; // -m with -y: see multi_wins_over_yaml_stream
            }
            let mut cmd = gw(d.path());
            cmd.args(&mode).args(args.iter());
            let o = run(&mut cmd);
            let what = format!("{mode:?} {args:?}");
            no_panic(&o);
            assert_eq!(o.code, Some(1), "{what}:\n{}", o.context());
            assert!(
                o.stderr.starts_with(prefix),
                "{what}: stderr should start with {prefix:?}:\n{}",
                o.context()
            );
            assert!(o.stdout.is_empty(), "{what}: output:\n{}", o.context());
            assert!(
                !d.path().join(&out_file).exists(),
                "{what}: left {out_file} behind"
            );
            assert!(
                listing(&d.path().join(&multi_dir)).is_empty(),
                "{what}: left files in {multi_dir}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// Robustness: deep recursion and deep data never crash

#[test]
fn deep_recursion_is_a_clean_error() {
    let d = tmp();
    write(
        d.path(),
        "rec.jsonnet",
        "local f(n) = if n == 0 then 0 else 1 + f(n-1); f(100000)\n",
    );
    let o = run(gw(d.path()).arg("rec.jsonnet"));
    fails_runtime(&o, &[]);
    assert!(
        o.stderr.to_lowercase().contains("stack"),
        "should say the stack was exceeded:\n{}",
        o.context()
    );
    // Even with a huge -s the process must not overflow its own stack.
    let o = run(gw(d.path()).args(["-s", "1000000", "rec.jsonnet"]));
    no_panic(&o);
    assert!(
        o.code == Some(0) && o.stdout == "100000\n" || o.code == Some(1),
        "{}",
        o.context()
    );
    if o.code == Some(1) {
        fails_runtime(&o, &[]);
    }
}

/// What a capped run saw on one stream.
struct Stream {
    /// The first `cap` bytes.
    head: Vec<u8>,
    /// The last few KiB.
    tail: Vec<u8>,
    /// Total bytes written.
    total: u64,
}

/// Runs with stdout and stderr each capped (the rest is counted and drained), for commands
/// that might print gigabytes.
fn run_capped(args: &[&str], dir: &Path, cap: usize, timeout: Duration) -> (Out, Stream) {
    fn drain(mut r: impl Read + Send + 'static, cap: usize) -> std::thread::JoinHandle<Stream> {
        std::thread::spawn(move || {
            const TAIL: usize = 4096;
            let mut st = Stream {
                head: Vec::new(),
                tail: Vec::new(),
                total: 0,
            };
            let mut buf = vec![0u8; 1 << 16];
            loop {
                match r.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        st.total += n as u64;
                        let room = cap.saturating_sub(st.head.len());
                        st.head.extend_from_slice(&buf[..n.min(room)]);
                        st.tail.extend_from_slice(&buf[..n]);
                        if st.tail.len() > 2 * TAIL {
                            st.tail.drain(..st.tail.len() - TAIL);
                        }
                    }
                }
            }
            if st.tail.len() > TAIL {
                st.tail.drain(..st.tail.len() - TAIL);
            }
            st
        })
    }
    let mut child = std::process::Command::new(BIN)
        .args(args.iter().map(OsStr::new))
        .current_dir(dir)
        .env_remove("JSONNET_PATH")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let so = drain(child.stdout.take().unwrap(), cap);
    let se = drain(child.stderr.take().unwrap(), cap);
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > timeout {
            let _ = child.kill();
            break child.wait().unwrap();
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stdout = so.join().unwrap();
    let stderr = se.join().unwrap();
    (
        Out {
            code: status.code(),
            stdout: String::from_utf8_lossy(&stdout.head).into_owned(),
            stderr: String::from_utf8_lossy(&stderr.head).into_owned(),
        },
        stdout,
    )
}

/// `[[...[]...]]` pretty-printed the way go-jsonnet does, `depth` arrays deep.
fn nested_arrays_pretty(depth: usize) -> String {
    let mut s = String::new();
    for d in 0..depth - 1 {
        s.push_str(&" ".repeat(3 * d));
        s.push_str("[\n");
    }
    s.push_str(&" ".repeat(3 * (depth - 1)));
    s.push_str("[ ]\n");
    for d in (0..depth - 1).rev() {
        s.push_str(&" ".repeat(3 * d));
        s.push_str("]\n");
    }
    s
}

#[test]
fn manifesting_moderately_deep_data_matches_go() {
    // go-jsonnet manifests nesting up to its stack limit (depth 499 works with -s 500).
    let d = tmp();
    let o = run(gw(d.path()).args(["-e", "std.foldl(function(a, _) [a], std.range(1, 489), [])"]));
    ok(&o, &nested_arrays_pretty(490));
}

#[test]
fn manifesting_data_nested_100000_deep_never_crashes() {
    // Works or fails cleanly. go-jsonnet fails cleanly ("max stack frames exceeded": it
    // counts manifest nesting against -s); working means printing all 30,000,400,004
    // bytes of go-style indentation, which is checked by count, head and tail.
    let d = tmp();
    let (o, out) = run_capped(
        &[
            "-e",
            "std.foldl(function(a, _) [a], std.range(1, 100000), [])",
        ],
        d.path(),
        1 << 20,
        Duration::from_secs(300),
    );
    no_panic(&o);
    match o.code {
        Some(0) => {
            let depth: u64 = 100_001;
            let expected =
                2 * (3 * (depth - 2) * (depth - 1) / 2 + 2 * (depth - 1)) + 3 * (depth - 1) + 4;
            assert_eq!(out.total, expected, "output size for 100k-deep arrays");
            assert!(out.head.starts_with(b"[\n   [\n      [\n"));
            assert!(out.tail.ends_with(b"\n      ]\n   ]\n]\n"));
        }
        _ => {
            fails_runtime(&o, &[]);
            assert_eq!(
                out.total,
                0,
                "partial output before the error:\n{}",
                o.context()
            );
        }
    }
}

#[test]
fn deep_data_inside_std_functions_never_crashes() {
    let d = tmp();
    let deep = "std.foldl(function(a, _) [a], std.range(1, 100000), [])";
    for (code, want) in [
        (format!("std.length(std.manifestJsonMinified({deep}))"), "200000\n"),
        (format!("std.length(std.toString({deep}))"), "200000\n"),
        (format!("local d = {deep}; d == d"), "true\n"),
        (
            "local d = std.foldl(function(a, _) {a: a}, std.range(1, 100000), {}); std.length(std.manifestJsonMinified(d))".to_string(),
            "",
        ),
    ] {
        let (o, out) = run_capped(&["-e", &code], d.path(), 1 << 20, Duration::from_secs(120));
        assert!(out.total < 1 << 20, "{code}: runaway output");
        no_panic(&o);
        match o.code {
            Some(0) if want.is_empty() => {}
            Some(0) => assert_eq!(o.stdout, want, "{code}:\n{}", o.context()),
            Some(1) => assert!(
                o.stderr.starts_with("RUNTIME ERROR: "),
                "{code}: unclean failure:\n{}",
                o.context()
            ),
            _ => panic!("{code}: crashed:\n{}", o.context()),
        }
    }
}

#[test]
fn deeply_nested_source_never_crashes() {
    // go-jsonnet itself dies with a fatal stack overflow here; we only ask for no crash.
    let d = tmp();
    let src = format!(
        "std.length({}{})\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    write(d.path(), "nested.jsonnet", &src);
    let (o, out) = run_capped(
        &["nested.jsonnet"],
        d.path(),
        1 << 20,
        Duration::from_secs(120),
    );
    assert!(out.total < 1 << 20, "runaway output");
    no_panic(&o);
    match o.code {
        Some(0) => assert_eq!(o.stdout, "1\n", "{}", o.context()),
        Some(1) => assert!(
            o.stderr.starts_with("nested.jsonnet:") || o.stderr.starts_with("RUNTIME ERROR: "),
            "unclean failure:\n{}",
            o.context()
        ),
        _ => panic!("crashed:\n{}", o.context()),
    }
}

#[test]
fn tanka_binary_invocation() {
    // Tanka's `binary:` implementation runs `-J p... --max-stack N --ext-code k=v...
    // --tla-code k=v... <abs file>` (or `-e <snippet>`) and reads stdout+stderr combined.
    let d = tmp();
    write(d.path(), "lib/k.libsonnet", "{ name: 'from-lib' }");
    write(d.path(), "vendor/k.libsonnet", "{ name: 'from-vendor' }");
    let main = write(
        d.path(),
        "environments/default/main.jsonnet",
        "function(apiServer='x') { env: std.extVar('tanka.dev/environment'), lib: (import 'k.libsonnet').name, api: apiServer }",
    );
    let env_json = "{\n  \"apiVersion\": \"tanka.dev/v1alpha1\",\n  \"kind\": \"Environment\",\n  \"metadata\": {\"name\": \"environments/default\"}\n}";
    let vendor = d.path().join("vendor");
    let lib = d.path().join("lib");
    let o = run(gw(d.path()).args([
        "-J",
        vendor.to_str().unwrap(),
        "-J",
        lib.to_str().unwrap(),
        "--max-stack",
        "500",
        "--ext-code",
        &format!("tanka.dev/environment={env_json}"),
        "--tla-code",
        "apiServer='https://k8s'",
        main.to_str().unwrap(),
    ]));
    ok(
        &o,
        "{\n   \"api\": \"https://k8s\",\n   \"env\": {\n      \"apiVersion\": \"tanka.dev/v1alpha1\",\n      \"kind\": \"Environment\",\n      \"metadata\": {\n         \"name\": \"environments/default\"\n      }\n   },\n   \"lib\": \"from-lib\"\n}\n",
    );
    assert!(o.stderr.is_empty(), "nothing on stderr: {}", o.stderr);
    let o = run(gw(d.path()).args([
        "-J",
        lib.to_str().unwrap(),
        "--ext-code",
        "tanka.dev/environment={}",
        "-e",
        "std.extVar('tanka.dev/environment')",
    ]));
    ok(&o, "{ }\n");
}

#[test]
fn common_errors_use_go_jsonnet_wording() {
    let d = tmp();
    for (code, message) in [
        (
            "std.extVar('q')",
            "RUNTIME ERROR: Undefined external variable: q\n",
        ),
        ("assert 1 == 2 : 'custom'; 1", "RUNTIME ERROR: custom\n"),
        ("assert 1 == 2; 1", "RUNTIME ERROR: Assertion failed\n"),
        ("{a: 1}.b", "RUNTIME ERROR: Field does not exist: b\n"),
        // `super.g` missing while `self.g` exists: jrsonnet would suggest `g` itself
        // (and its debug builds assert on it).
        (
            "({ a: 1 } + { g:: super.g }).g",
            "RUNTIME ERROR: Field does not exist: g\n",
        ),
        (
            "[1][3]",
            "RUNTIME ERROR: Index 3 out of bounds, not within [0, 1)\n",
        ),
    ] {
        let o = run(gw(d.path()).args(["-e", code]));
        assert_eq!(o.code, Some(1), "{code}: {}", o.context());
        assert!(o.stderr.starts_with(message), "{code}: {}", o.context());
    }
}

#[test]
fn self_referential_data_fails_cleanly_in_every_manifester() {
    let d = tmp();
    for code in [
        "local a = [a]; a",
        "local a = [a]; std.manifestYamlDoc(a)",
        "local a = {b: a}; std.manifestYamlStream([a])",
        "local a = {b: a}; std.manifestTomlEx(a, ' ')",
        "local a = [a]; std.manifestPython(a)",
        "local a = ['x', a]; std.manifestXmlJsonml(a)",
        "local a = {b: a}; std.toString(a)",
    ] {
        let o = run(gw(d.path()).args(["-e", code]));
        no_panic(&o);
        assert_eq!(o.code, Some(1), "{code}: {}", o.context());
        assert!(
            o.stderr
                .starts_with("RUNTIME ERROR: max stack frames exceeded"),
            "{code}: {}",
            o.context()
        );
    }
}
