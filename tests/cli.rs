//! The jsonnet mode of `gwsonnet`, run as a real process: input (file, `-e`, stdin),
//! the library search path, external variables, top-level arguments, stack and trace
//! limits, and the meta flags. Output modes are in `cli_output.rs`, bad input and
//! robustness in `cli_errors.rs`.
//!
//! Expected stdout bytes come from go-jsonnet 0.22 (its python binding `_gojsonnet`, or its
//! `cmd/jsonnet/cmd.go` for how `-m`, `-y`, `-S` write). Error wording is asserted loosely
//! (file name / key word); exit code, the `RUNTIME ERROR: ` / static `file:line:col message` / `ERROR: `
//! prefix and the absence of a panic strictly.

use std::fs;

use crate::common;

use common::*;

// ---------------------------------------------------------------------------------------
// Input: file, -e, stdin

#[test]
fn evaluates_a_file() {
    let d = tmp();
    write(d.path(), "lib/helper.libsonnet", "{ two: 2 }");
    write(
        d.path(),
        "main.jsonnet",
        "local h = import 'lib/helper.libsonnet';\n{b: [1, 'x'], a: {}, c: [], n: h.two}\n",
    );
    ok(
        &run(gw(d.path()).arg("main.jsonnet")),
        "{\n   \"a\": { },\n   \"b\": [\n      1,\n      \"x\"\n   ],\n   \"c\": [ ],\n   \"n\": 2\n}\n",
    );
}

#[test]
fn evaluates_a_file_given_by_absolute_path_from_elsewhere() {
    let d = tmp();
    let other = tmp();
    write(d.path(), "sub/data.json", "{\"k\": \"v\"}");
    let main = write(d.path(), "sub/main.jsonnet", "(import 'data.json').k");
    ok(&run(gw(other.path()).arg(&main)), "\"v\"\n");
}

#[test]
fn exec_short_and_long() {
    let d = tmp();
    ok(
        &run(gw(d.path()).args(["-e", "{a: 0.1}"])),
        "{\n   \"a\": 0.10000000000000001\n}\n",
    );
    ok(&run(gw(d.path()).args(["--exec", "1 + 2"])), "3\n");
    // -e code is named <cmdline>, as in go-jsonnet.
    ok(
        &run(gw(d.path()).args(["-e", "std.thisFile"])),
        "\"<cmdline>\"\n",
    );
    // The flag may come after the code.
    ok(&run(gw(d.path()).args(["[1]", "-e"])), "[\n   1\n]\n");
}

#[test]
fn exec_imports_relative_to_cwd() {
    let d = tmp();
    write(d.path(), "x.libsonnet", "{ v: 'here' }");
    ok(
        &run(gw(d.path()).args(["-e", "(import 'x.libsonnet').v"])),
        "\"here\"\n",
    );
}

#[test]
fn stdin_dash() {
    let d = tmp();
    ok(
        &run(gw(d.path()).arg("-").write_stdin("{b: [1, \"x\"]}")),
        "{\n   \"b\": [\n      1,\n      \"x\"\n   ]\n}\n",
    );
    ok(
        &run(gw(d.path()).arg("-").write_stdin("std.thisFile")),
        "\"<stdin>\"\n",
    );
}

/// Errors go-jsonnet 0.22 reports where jrsonnet's `std` gave a value (issue 8).
#[test]
fn std_errors_as_go_jsonnet() {
    let d = tmp();
    for (code, needle) in [
        ("'%c' % -1", "Codepoints must be >= 0, got -1"),
        ("std.setUnion([1], [2], keyF=null)", "expected function"),
        ("std.setMember(1, [1], keyF=null)", "expected function"),
        (
            "std.parseYaml('a: &x [*x]')",
            "anchor 'x' value contains itself",
        ),
        ("std.parseYaml('a: *y')", "unknown anchor 'y' referenced"),
    ] {
        fails_runtime(&run(gw(d.path()).args(["-e", code])), &[needle]);
    }
    fails(
        &run(gw(d.path()).args(["-e", "{[k]:: 1 for k in ['a']}"])),
        "<cmdline>:1:10-13 ",
        &["Object comprehensions cannot have hidden fields"],
    );
}

#[test]
fn go_number_and_string_formatting() {
    let d = tmp();
    ok(
        &run(gw(d.path()).args([
            "-e",
            "{v: 123456789012345678, w: 1e-7, y: 1/3, z: -0.0, big: 1e21, i: 1e15}",
        ])),
        "{\n   \"big\": 1000000000000000000000,\n   \"i\": 1000000000000000,\n   \"v\": 123456789012345680,\n   \"w\": 9.9999999999999995e-08,\n   \"y\": 0.33333333333333331,\n   \"z\": -0\n}\n",
    );
    ok(
        &run(gw(d.path()).args([
            "-e",
            r#"{a: "h\u00e9llo \u2603 \u0001 \t \u007f\u0080 \"q\" \\"}"#,
        ])),
        "{\n   \"a\": \"héllo ☃ \\u0001 \\t \\u007f\\u0080 \\\"q\\\" \\\\\"\n}\n",
    );
}

// ---------------------------------------------------------------------------------------
// -J / --jpath and JSONNET_PATH

/// Two library dirs with the same file, and a main file in a third dir that imports it.
fn jpath_fixture() -> tempfile::TempDir {
    let d = tmp();
    write(d.path(), "one/lib.libsonnet", "'one'");
    write(d.path(), "two/lib.libsonnet", "'two'");
    write(d.path(), "main/main.jsonnet", "import 'lib.libsonnet'");
    d
}

#[test]
fn jpath_later_wins() {
    let d = jpath_fixture();
    ok(
        &run(gw(d.path()).args(["-J", "one", "-J", "two", "main/main.jsonnet"])),
        "\"two\"\n",
    );
    ok(
        &run(gw(d.path()).args(["-J", "two", "-J", "one", "main/main.jsonnet"])),
        "\"one\"\n",
    );
    ok(
        &run(gw(d.path()).args(["--jpath", "one", "--jpath", "two", "main/main.jsonnet"])),
        "\"two\"\n",
    );
    // Only one dir has it: found whatever the order.
    fs::remove_file(d.path().join("two/lib.libsonnet")).unwrap();
    ok(
        &run(gw(d.path()).args(["-J", "one", "-J", "two", "main/main.jsonnet"])),
        "\"one\"\n",
    );
}

#[test]
fn jpath_absolute_dirs() {
    let d = jpath_fixture();
    let other = tmp();
    let one = d.path().join("one");
    let main = d.path().join("main/main.jsonnet");
    ok(
        &run(gw(other.path()).arg("-J").arg(&one).arg(&main)),
        "\"one\"\n",
    );
}

/// `std.thisFile` is the name go-jsonnet 0.22 gives each file (checked with its python
/// binding, `_gojsonnet.evaluate_file`, on this layout): the main file as typed, library
/// dirs as given, imports joined to the importing file's directory and cleaned.
#[test]
fn this_file_names_files_as_go_jsonnet_does() {
    let d = tmp();
    let lib = tmp();
    write(lib.path(), "b.libsonnet", "std.thisFile");
    write(d.path(), "lib/a.libsonnet", "std.thisFile");
    write(d.path(), "sub/x.libsonnet", "std.thisFile");
    write(
        d.path(),
        "sub/s.libsonnet",
        "[std.thisFile, import '../lib/a.libsonnet', import './x.libsonnet']",
    );
    let main = write(
        d.path(),
        "main.jsonnet",
        "std.join(' ', [std.thisFile, import './lib/a.libsonnet'] + (import 'sub/s.libsonnet') \
         + [import 'b.libsonnet'])",
    );
    let lib_abs = lib.path().display().to_string();
    ok(
        &run(gw(d.path()).arg("-J").arg(lib.path()).arg("./main.jsonnet")),
        &format!(
            "\"./main.jsonnet lib/a.libsonnet sub/s.libsonnet lib/a.libsonnet sub/x.libsonnet \
             {lib_abs}/b.libsonnet\"\n"
        ),
    );
    // An absolute main file keeps its path, and so do imports next to it; a relative
    // library dir stays relative.
    let lib_rel = format!("../{}", lib.path().file_name().unwrap().to_string_lossy());
    let dir = d.path().display().to_string();
    ok(
        &run(gw(d.path()).args(["-J", &lib_rel]).arg(&main)),
        &format!(
            "\"{dir}/main.jsonnet {dir}/lib/a.libsonnet {dir}/sub/s.libsonnet \
             {dir}/lib/a.libsonnet {dir}/sub/x.libsonnet {lib_rel}/b.libsonnet\"\n"
        ),
    );
}

#[test]
fn jsonnet_path_ranks_below_every_jpath() {
    let d = jpath_fixture();
    ok(
        &run(gw(d.path())
            .env("JSONNET_PATH", "one")
            .args(["-J", "two", "main/main.jsonnet"])),
        "\"two\"\n",
    );
    ok(
        &run(gw(d.path())
            .env("JSONNET_PATH", "two")
            .args(["-J", "one", "main/main.jsonnet"])),
        "\"one\"\n",
    );
    // Alone, JSONNET_PATH is searched left-most first.
    ok(
        &run(gw(d.path())
            .env("JSONNET_PATH", "one:two")
            .arg("main/main.jsonnet")),
        "\"one\"\n",
    );
    ok(
        &run(gw(d.path())
            .env("JSONNET_PATH", "two:one")
            .arg("main/main.jsonnet")),
        "\"two\"\n",
    );
}

#[test]
fn importing_file_dir_beats_jpath() {
    let d = jpath_fixture();
    write(d.path(), "main/lib.libsonnet", "'own'");
    ok(
        &run(gw(d.path()).args(["-J", "one", "main/main.jsonnet"])),
        "\"own\"\n",
    );
}

#[test]
fn missing_import_is_a_runtime_error() {
    let d = tmp();
    write(d.path(), "main.jsonnet", "import 'nowhere.libsonnet'");
    fails_runtime(
        &run(gw(d.path()).arg("main.jsonnet")),
        &["nowhere.libsonnet"],
    );
}

// ---------------------------------------------------------------------------------------
// External variables

#[test]
fn ext_str() {
    let d = tmp();
    ok(
        &run(gw(d.path()).args(["-V", "x=hello", "-e", "std.extVar('x')"])),
        "\"hello\"\n",
    );
    ok(
        &run(gw(d.path()).args(["--ext-str", "x=a=b", "-e", "std.extVar('x')"])),
        "\"a=b\"\n",
    );
    ok(
        &run(gw(d.path()).args(["--ext-str", "x=", "-e", "std.extVar('x')"])),
        "\"\"\n",
    );
    // Later definitions of the same name win.
    ok(
        &run(gw(d.path()).args(["-V", "x=1", "-V", "x=2", "-e", "std.extVar('x')"])),
        "\"2\"\n",
    );
}

#[test]
fn ext_str_from_environment() {
    let d = tmp();
    ok(
        &run(gw(d.path()).env("GW_TEST_VAR", "from env").args([
            "-V",
            "GW_TEST_VAR",
            "-e",
            "std.extVar('GW_TEST_VAR')",
        ])),
        "\"from env\"\n",
    );
    ok(
        &run(gw(d.path()).env("GW_TEST_VAR", "from env").args([
            "--ext-str",
            "GW_TEST_VAR",
            "-e",
            "std.extVar('GW_TEST_VAR')",
        ])),
        "\"from env\"\n",
    );
    let o = run(gw(d.path())
        .env_remove("GW_TEST_UNSET")
        .args(["-V", "GW_TEST_UNSET", "-e", "1"]));
    fails_plain(&o, &["GW_TEST_UNSET"]);
}

#[test]
fn ext_str_file() {
    let d = tmp();
    write(d.path(), "v.txt", "line one\nline 'two'\n");
    ok(
        &run(gw(d.path()).args(["--ext-str-file", "x=v.txt", "-e", "std.extVar('x')"])),
        "\"line one\\nline 'two'\\n\"\n",
    );
    let abs = d.path().join("v.txt");
    let other = tmp();
    ok(
        &run(gw(other.path())
            .arg("--ext-str-file")
            .arg(format!("x={}", abs.display()))
            .args(["-e", "std.length(std.extVar('x'))"])),
        "20\n",
    );
}

#[test]
fn ext_code() {
    let d = tmp();
    ok(
        &run(gw(d.path()).args(["--ext-code", "x={a: 1 + 1}", "-e", "std.extVar('x')"])),
        "{\n   \"a\": 2\n}\n",
    );
    ok(
        &run(gw(d.path()).env("GW_TEST_CODE", "[1, 2]").args([
            "--ext-code",
            "GW_TEST_CODE",
            "-e",
            "std.extVar('GW_TEST_CODE')",
        ])),
        "[\n   1,\n   2\n]\n",
    );
    // Ext code can use std and other ext vars.
    ok(
        &run(gw(d.path()).args([
            "-V",
            "s=str",
            "--ext-code",
            "c=std.extVar('s') + std.toString(std.length([1]))",
            "-e",
            "std.extVar('c')",
        ])),
        "\"str1\"\n",
    );
    // Unused broken ext code does not matter (it is lazy, as in go-jsonnet).
    ok(
        &run(gw(d.path()).args(["--ext-code", "bad=)", "-e", "1"])),
        "1\n",
    );
    let o = run(gw(d.path()).env_remove("GW_TEST_UNSET").args([
        "--ext-code",
        "GW_TEST_UNSET",
        "-e",
        "1",
    ]));
    fails_plain(&o, &["GW_TEST_UNSET"]);
}

#[test]
fn ext_code_file() {
    let d = tmp();
    write(d.path(), "conf/sibling.libsonnet", "{ s: 'sib' }");
    write(
        d.path(),
        "conf/c.jsonnet",
        "{ c: 1 + 1, s: (import 'sibling.libsonnet').s }",
    );
    ok(
        &run(gw(d.path()).args([
            "--ext-code-file",
            "x=conf/c.jsonnet",
            "-e",
            "std.extVar('x')",
        ])),
        "{\n   \"c\": 2,\n   \"s\": \"sib\"\n}\n",
    );
}

#[test]
fn ext_file_flags_need_name_equals_file() {
    let d = tmp();
    for flag in [
        "--ext-str-file",
        "--ext-code-file",
        "--tla-str-file",
        "--tla-code-file",
    ] {
        let o = run(gw(d.path()).args([flag, "x", "-e", "1"]));
        fails_plain(&o, &[]);
    }
}

#[test]
fn unknown_ext_var_is_a_runtime_error() {
    let d = tmp();
    fails_runtime(
        &run(gw(d.path()).args(["-e", "std.extVar('nope')"])),
        &["nope"],
    );
}

// ---------------------------------------------------------------------------------------
// Top-level arguments

#[test]
fn tla_str() {
    let d = tmp();
    ok(
        &run(gw(d.path()).args([
            "-A",
            "name=world",
            "-e",
            "function(name, n='!') 'hi ' + name + n",
        ])),
        "\"hi world!\"\n",
    );
    ok(
        &run(gw(d.path()).args(["--tla-str", "name=x=y", "-e", "function(name) [name][0]"])),
        "\"x=y\"\n",
    );
    ok(
        &run(gw(d.path()).env("GW_TEST_TLA", "env value").args([
            "-A",
            "GW_TEST_TLA",
            "-e",
            // An identity function: jrsonnet compiles it to a builtin whose parameter
            // has another name; the engine passes the one TLA through.
            "function(GW_TEST_TLA) GW_TEST_TLA",
        ])),
        "\"env value\"\n",
    );
    let o = run(gw(d.path()).env_remove("GW_TEST_UNSET").args([
        "--tla-str",
        "GW_TEST_UNSET",
        "-e",
        "function(GW_TEST_UNSET) 1",
    ]));
    fails_plain(&o, &["GW_TEST_UNSET"]);
}

#[test]
fn tla_code_and_files() {
    let d = tmp();
    write(d.path(), "s.txt", "text");
    write(d.path(), "c.jsonnet", "{ k: [1, 2] }");
    ok(
        &run(gw(d.path()).args(["--tla-code", "a=1", "-e", "function(a, b=2) a + b"])),
        "3\n",
    );
    ok(
        &run(gw(d.path()).env("GW_TEST_TLA", "{z: true}").args([
            "--tla-code",
            "GW_TEST_TLA",
            "-e",
            "function(GW_TEST_TLA) GW_TEST_TLA.z",
        ])),
        "true\n",
    );
    ok(
        &run(gw(d.path()).args([
            "--tla-str-file",
            "s=s.txt",
            "--tla-code-file",
            "c=c.jsonnet",
            "-e",
            "function(s, c) [s, c.k]",
        ])),
        "[\n   \"text\",\n   [\n      1,\n      2\n   ]\n]\n",
    );
}

#[test]
fn tla_in_a_file_and_ignored_when_not_a_function() {
    let d = tmp();
    write(d.path(), "f.jsonnet", "function(x) {x: x}");
    ok(
        &run(gw(d.path()).args(["-A", "x=1", "f.jsonnet"])),
        "{\n   \"x\": \"1\"\n}\n",
    );
    ok(&run(gw(d.path()).args(["-A", "x=1", "-e", "42"])), "42\n");
}

#[test]
fn tla_missing_argument_is_a_runtime_error() {
    let d = tmp();
    fails_runtime(&run(gw(d.path()).args(["-e", "function(a) a"])), &["a"]);
}

// ---------------------------------------------------------------------------------------
// -s / --max-stack, -t / --max-trace

const RECURSE: &str =
    "local f(n) = if n == 0 then 0 else 1 + f(n - 1); f(std.parseInt(std.extVar('n')))";

#[test]
fn max_stack_default_is_500() {
    let d = tmp();
    ok(
        &run(gw(d.path()).args(["-V", "n=400", "-e", RECURSE])),
        "400\n",
    );
    let o = run(gw(d.path()).args(["-V", "n=600", "-e", RECURSE]));
    fails_runtime(&o, &[]);
    assert!(
        o.stderr.to_lowercase().contains("stack"),
        "should say the stack was exceeded:\n{}",
        o.context()
    );
}

#[test]
fn max_stack_flag() {
    let d = tmp();
    ok(
        &run(gw(d.path()).args(["-s", "1000", "-V", "n=600", "-e", RECURSE])),
        "600\n",
    );
    ok(
        &run(gw(d.path()).args(["--max-stack", "1000", "-V", "n=600", "-e", RECURSE])),
        "600\n",
    );
    let o = run(gw(d.path()).args(["-s", "100", "-V", "n=200", "-e", RECURSE]));
    fails_runtime(&o, &[]);
    // Invalid values are rejected.
    for bad in ["0", "-1", "abc"] {
        let o = run(gw(d.path()).args(["-s", bad, "-e", "1"]));
        no_panic(&o);
        assert_eq!(o.code, Some(1), "-s {bad}:\n{}", o.context());
    }
}

#[test]
fn make_array_is_lazy_and_counts_frames_like_go() {
    let d = tmp();
    // Elements are computed when used, once: an unused failing element is fine and a
    // trace prints once per element.
    let o = run(gw(d.path()).args([
        "-e",
        "local a = std.makeArray(3, function(i) if i == 1 then error 'unused' else std.trace('e' + i, i)); [a[0], a[2], a[0]]",
    ]));
    ok(&o, "[\n   0,\n   2,\n   0\n]\n");
    assert_eq!(o.stderr, "TRACE: <cmdline>:1 e0\nTRACE: <cmdline>:1 e2\n");
    // Recursion through the array's own elements costs two frames an element, as in
    // go-jsonnet: 249 deep fits under the default 500, 260 does not.
    let recurse =
        |n: u32| format!("local arr = [0] + std.makeArray(3000, function(i) arr[i] + 1); arr[{n}]");
    ok(&run(gw(d.path()).args(["-e", &recurse(249)])), "249\n");
    fails_runtime(
        &run(gw(d.path()).args(["-e", &recurse(260)])),
        &["max stack frames exceeded"],
    );
    fails_runtime(
        &run(gw(d.path()).args(["-e", "std.makeArray(-1, function(i) i)"])),
        &["makeArray requires size >= 0, got -1"],
    );
    fails_runtime(
        &run(gw(d.path()).args(["-e", "std.makeArray(1.5, function(i) i)"])),
        &["Expected an integer, but got 1.5"],
    );
}

/// Lines of a runtime error's trace that point into `file`.
fn frames(stderr: &str, file: &str) -> usize {
    stderr.lines().skip(1).filter(|l| l.contains(file)).count()
}

#[test]
fn max_trace() {
    let d = tmp();
    write(
        d.path(),
        "deep.jsonnet",
        "local f(n) = if n == 0 then error 'bottom' else 1 + f(n - 1);\nf(50)\n",
    );
    let default = run(gw(d.path()).arg("deep.jsonnet"));
    fails_runtime(&default, &["bottom", "deep.jsonnet:"]);
    let all = run(gw(d.path()).args(["-t", "0", "deep.jsonnet"]));
    fails_runtime(&all, &["bottom"]);
    let four = run(gw(d.path()).args(["--max-trace", "4", "deep.jsonnet"]));
    fails_runtime(&four, &["bottom"]);
    let (n_default, n_all, n_four) = (
        frames(&default.stderr, "deep.jsonnet"),
        frames(&all.stderr, "deep.jsonnet"),
        frames(&four.stderr, "deep.jsonnet"),
    );
    assert!(
        n_all >= 50,
        "-t 0 should show the whole trace (50+ frames), got {n_all}:\n{}",
        all.context()
    );
    assert!(
        n_default <= 20 && n_default > 4,
        "default trace should be cropped to 20 frames, got {n_default}:\n{}",
        default.context()
    );
    assert!(
        (1..=4).contains(&n_four),
        "-t 4 should show at most 4 frames, got {n_four}:\n{}",
        four.context()
    );
    let o = run(gw(d.path()).args(["-t", "-1", "-e", "1"]));
    no_panic(&o);
    assert_eq!(o.code, Some(1), "{}", o.context());
}

// ---------------------------------------------------------------------------------------
// --version, -h, --, combined short flags, subcommands

#[test]
fn version() {
    let d = tmp();
    for flag in ["--version", "-v"] {
        let o = run(gw(d.path()).arg(flag));
        no_panic(&o);
        assert_eq!(o.code, Some(0), "{flag}:\n{}", o.context());
        // The first line is go-jsonnet's, for scripts that read it; then the build
        // and the built-in libraries with their versions.
        let first = o.stdout.lines().next().unwrap_or_default();
        assert_eq!(
            first,
            format!(
                "Jsonnet commandline interpreter (gwsonnet) v{}",
                env!("CARGO_PKG_VERSION")
            ),
            "{flag}:\n{}",
            o.context()
        );
        for needle in [
            "\ncommit: ",
            "\njrsonnet: 0.5.0-pre98\n",
            "k8s-libsonnet 1.28, 1.30, 1.31, 1.32, 1.33, 1.34, 1.35, 1.36\n",
            "github.com/jsonnet-libs/k8s-libsonnet/<version>: ",
            "v1.36.0",
            "gateway-api-libsonnet 0.8-experimental (only gateway.v1alpha2.tcpRoute)\n",
            "Gateway API v0.8.0 CRDs, experimental channel",
            "doc-util\n    github.com/jsonnet-libs/docsonnet/doc-util: ",
        ] {
            assert!(
                o.stdout.contains(needle),
                "{flag}: no {needle:?}:\n{}",
                o.context()
            );
        }
    }
}

#[test]
fn version_as_json_for_tools() {
    let d = tmp();
    let o = run(gw(d.path()).args(["--version", "--output", "json"]));
    no_panic(&o);
    assert_eq!(o.code, Some(0), "{}", o.context());
    let v: serde_json::Value = serde_json::from_str(&o.stdout).expect("JSON");
    assert_eq!(v["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(v["jrsonnet"], "0.5.0-pre98");
    let commit = v["commit"].as_str().expect("commit");
    let date = v["commitDate"].as_str().expect("commitDate");
    // Built inside this repository's git work tree, the commit is known.
    if std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(".git")
        .exists()
    {
        assert!(
            commit.len() == 12 && commit.chars().all(|c| c.is_ascii_hexdigit()),
            "{commit}"
        );
        assert!(date.len() == 10 && date.as_bytes()[4] == b'-', "{date}");
    }
    let libs = v["libraries"].as_array().expect("libraries");
    let gateway = libs
        .iter()
        .find(|l| l["name"] == "gateway-api-libsonnet")
        .expect("the Gateway API library");
    assert_eq!(gateway["versions"], serde_json::json!(["0.8-experimental"]));
    assert_eq!(
        gateway["kinds"],
        serde_json::json!(["gateway.v1alpha2.tcpRoute"])
    );
    assert_eq!(
        gateway["importPath"],
        "github.com/jsonnet-libs/gateway-api-libsonnet"
    );
    // `--output` means nothing without --version: refused, not ignored.
    let o = run(gw(d.path()).args(["--output", "json", "-e", "1"]));
    no_panic(&o);
    assert_eq!(o.code, Some(1), "{}", o.context());
    assert!(
        o.stderr.contains("--output is only for --version"),
        "{}",
        o.context()
    );
    let o = run(gw(d.path()).args(["--version", "--output", "yaml"]));
    no_panic(&o);
    assert_eq!(o.code, Some(1), "{}", o.context());
}

#[test]
fn help() {
    let d = tmp();
    for flag in ["-h", "--help"] {
        let o = run(gw(d.path()).arg(flag));
        no_panic(&o);
        assert_eq!(o.code, Some(0), "{flag}:\n{}", o.context());
        for name in [
            "--exec",
            "--jpath",
            "--output-file",
            "--multi",
            "--create-output-dirs",
            "--yaml-stream",
            "--string",
            "--max-stack",
            "--max-trace",
            "--version",
            "--ext-str",
            "--ext-str-file",
            "--ext-code",
            "--ext-code-file",
            "--tla-str",
            "--tla-str-file",
            "--tla-code",
            "--tla-code-file",
            "JSONNET_PATH",
        ] {
            assert!(
                o.stdout.contains(name),
                "{flag} output should mention {name}:\n{}",
                o.context()
            );
        }
    }
}

#[test]
fn double_dash_ends_options() {
    let d = tmp();
    write(d.path(), "-x", "{dash: true}");
    ok(
        &run(gw(d.path()).args(["--", "-x"])),
        "{\n   \"dash\": true\n}\n",
    );
    // Without `--` it is an unknown flag.
    fails_plain(&run(gw(d.path()).arg("-x")), &["-x"]);
    // Code that starts with '-'.
    ok(&run(gw(d.path()).args(["-e", "--", "-1"])), "-1\n");
}

#[test]
fn combined_short_flags() {
    let d = tmp();
    ok(&run(gw(d.path()).args(["-Se", "'x'"])), "x\n");
}

#[test]
fn subcommand_dispatch_and_files_named_like_subcommands() {
    let d = tmp();
    write(d.path(), "docs", "{file: 'docs'}");
    write(d.path(), "show", "{file: 'show'}");
    // A path reaches the file, never the subcommand.
    ok(
        &run(gw(d.path()).arg("./docs")),
        "{\n   \"file\": \"docs\"\n}\n",
    );
    ok(
        &run(gw(d.path()).arg("./show")),
        "{\n   \"file\": \"show\"\n}\n",
    );
    // `docs` as the first argument is the subcommand, not the file.
    let o = run(gw(d.path()).args(["docs", "--help"]));
    no_panic(&o);
    assert_eq!(o.code, Some(0), "docs --help:\n{}", o.context());
    assert_ne!(o.stdout, "{\n   \"file\": \"docs\"\n}\n");
    let o = run(gw(d.path()).arg("docs"));
    no_panic(&o);
    assert_ne!(
        o.stdout, "{\n   \"file\": \"docs\"\n}\n",
        "`gwsonnet docs` evaluated the file instead of running the subcommand"
    );
    // Not first: a plain file name again.
    ok(
        &run(gw(d.path()).args(["-J", ".", "docs"])),
        "{\n   \"file\": \"docs\"\n}\n",
    );
}
