//! CLI behaviour of `gwsonnet`, run as a real process: every flag of go-jsonnet's `jsonnet`
//! command and every bad-input case.
//!
//! Expected stdout bytes come from go-jsonnet 0.22 (its python binding `_gojsonnet`, or its
//! `cmd/jsonnet/cmd.go` for how `-m`, `-y`, `-S` write). Error wording is asserted loosely
//! (file name / key word); exit code, the `RUNTIME ERROR: ` / `STATIC ERROR: ` / `ERROR: `
//! prefix and the absence of a panic strictly.

use std::ffi::OsStr;
use std::fs;
use std::io::Read;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

mod common;

use common::*;

/// A failure that is not a jsonnet error: one line starting `ERROR: `.
#[track_caller]
fn fails_plain(o: &Out, needles: &[&str]) {
    fails(o, "ERROR: ", needles);
}

fn listing(dir: &Path) -> Vec<String> {
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
        "STATIC ERROR: ",
        &[
            "<cmdline>:1:10-13",
            "Object comprehensions cannot have hidden fields",
        ],
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
// -o / --output-file, -c / --create-output-dirs

#[test]
fn output_file() {
    let d = tmp();
    let o = run(gw(d.path()).args(["-o", "out.json", "-e", "{a: 1}"]));
    ok(&o, "");
    assert_eq!(
        fs::read_to_string(d.path().join("out.json")).unwrap(),
        "{\n   \"a\": 1\n}\n"
    );
    // Overwrites (truncates) an existing file.
    write(d.path(), "out.json", &"x".repeat(1000));
    ok(
        &run(gw(d.path()).args(["--output-file", "out.json", "-e", "2"])),
        "",
    );
    assert_eq!(
        fs::read_to_string(d.path().join("out.json")).unwrap(),
        "2\n"
    );
}

#[test]
fn output_file_missing_dir_needs_c() {
    let d = tmp();
    let o = run(gw(d.path()).args(["-o", "a/b/out.json", "-e", "1"]));
    no_panic(&o);
    assert_eq!(o.code, Some(1), "{}", o.context());
    assert!(!d.path().join("a").exists());

    ok(
        &run(gw(d.path()).args(["-c", "-o", "a/b/out.json", "-e", "1"])),
        "",
    );
    assert_eq!(
        fs::read_to_string(d.path().join("a/b/out.json")).unwrap(),
        "1\n"
    );
    ok(
        &run(gw(d.path()).args(["--create-output-dirs", "-o", "c/d/out.json", "-e", "[]"])),
        "",
    );
    assert_eq!(
        fs::read_to_string(d.path().join("c/d/out.json")).unwrap(),
        "[ ]\n"
    );
}

// ---------------------------------------------------------------------------------------
// -m / --multi

const MULTI_SRC: &str = "{'b.json': {x: 1}, 'a.json': [1, 2], 'c.txt': 'str'}";

#[test]
fn multi_writes_one_file_per_field_and_lists_paths() {
    let d = tmp();
    fs::create_dir(d.path().join("out")).unwrap();
    let o = run(gw(d.path()).args(["-m", "out", "-e", MULTI_SRC]));
    ok(&o, "out/a.json\nout/b.json\nout/c.txt\n");
    assert_eq!(
        listing(&d.path().join("out")),
        ["a.json", "b.json", "c.txt"]
    );
    assert_eq!(
        fs::read_to_string(d.path().join("out/a.json")).unwrap(),
        "[\n   1,\n   2\n]\n"
    );
    assert_eq!(
        fs::read_to_string(d.path().join("out/b.json")).unwrap(),
        "{\n   \"x\": 1\n}\n"
    );
    assert_eq!(
        fs::read_to_string(d.path().join("out/c.txt")).unwrap(),
        "\"str\"\n"
    );
    // A trailing slash is not doubled; an absolute dir is printed as given.
    ok(
        &run(gw(d.path()).args(["--multi", "out/", "-e", "{z: 0}"])),
        "out/z\n",
    );
    let abs = d.path().join("out");
    let o = run(gw(d.path()).arg("-m").arg(&abs).args(["-e", "{y: 0}"]));
    ok(&o, &format!("{}/y\n", abs.display()));
}

#[test]
fn multi_with_string_output_writes_raw_strings() {
    let d = tmp();
    fs::create_dir(d.path().join("out")).unwrap();
    let o = run(gw(d.path()).args([
        "-S",
        "-m",
        "out",
        "-e",
        "{'f.txt': 'foo.\\n', 'g.txt': 'bar'}",
    ]));
    ok(&o, "out/f.txt\nout/g.txt\n");
    // go-jsonnet 0.22 ends each file with a newline, -S or not (interpreter.go,
    // manifestAndSerializeMulti); --no-trailing-newline turns it off (tests/newline.rs).
    assert_eq!(
        fs::read_to_string(d.path().join("out/f.txt")).unwrap(),
        "foo.\n\n"
    );
    assert_eq!(
        fs::read_to_string(d.path().join("out/g.txt")).unwrap(),
        "bar\n"
    );
}

#[test]
fn multi_missing_dir_needs_c() {
    let d = tmp();
    let o = run(gw(d.path()).args(["-m", "nope", "-e", "{a: 1}"]));
    no_panic(&o);
    assert_eq!(o.code, Some(1), "{}", o.context());
    assert!(!d.path().join("nope").exists());

    let o = run(gw(d.path()).args(["-c", "-m", "gen", "-e", "{'x/y/a.json': 1, 'b.json': 2}"]));
    ok(&o, "gen/b.json\ngen/x/y/a.json\n");
    assert_eq!(
        fs::read_to_string(d.path().join("gen/x/y/a.json")).unwrap(),
        "1\n"
    );
}

#[test]
fn multi_listing_to_output_file() {
    let d = tmp();
    fs::create_dir(d.path().join("out")).unwrap();
    let o = run(gw(d.path()).args(["-m", "out", "-o", "list.txt", "-e", "{b: 1, a: 2}"]));
    ok(&o, "");
    assert_eq!(
        fs::read_to_string(d.path().join("list.txt")).unwrap(),
        "out/a\nout/b\n"
    );
    assert_eq!(fs::read_to_string(d.path().join("out/a")).unwrap(), "2\n");
}

#[test]
fn multi_leaves_unchanged_files_alone() {
    let d = tmp();
    fs::create_dir(d.path().join("out")).unwrap();
    let same = write(d.path(), "out/same.json", "1\n");
    let changed = write(d.path(), "out/changed.json", "old\n");
    let old = std::time::SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    for p in [&same, &changed] {
        fs::File::options()
            .write(true)
            .open(p)
            .unwrap()
            .set_modified(old)
            .unwrap();
    }
    let o = run(gw(d.path()).args(["-m", "out", "-e", "{'same.json': 1, 'changed.json': 2}"]));
    ok(&o, "out/changed.json\nout/same.json\n");
    assert_eq!(fs::metadata(&same).unwrap().modified().unwrap(), old);
    assert_ne!(fs::metadata(&changed).unwrap().modified().unwrap(), old);
    assert_eq!(fs::read_to_string(&changed).unwrap(), "2\n");
}

#[test]
fn multi_wins_over_yaml_stream() {
    // go-jsonnet accepts both flags; -m decides the output.
    let d = tmp();
    fs::create_dir(d.path().join("out")).unwrap();
    let o = run(gw(d.path()).args(["-y", "-m", "out", "-e", "{'a.json': [1]}"]));
    ok(&o, "out/a.json\n");
    assert_eq!(
        fs::read_to_string(d.path().join("out/a.json")).unwrap(),
        "[\n   1\n]\n"
    );
}

// ---------------------------------------------------------------------------------------
// -y / --yaml-stream

#[test]
fn yaml_stream() {
    let d = tmp();
    ok(
        &run(gw(d.path()).args(["-y", "-e", "[1, {a: 2}, 's']"])),
        "---\n1\n---\n{\n   \"a\": 2\n}\n---\n\"s\"\n...\n",
    );
    // An empty stream prints nothing at all.
    ok(&run(gw(d.path()).args(["--yaml-stream", "-e", "[]"])), "");
    let o = run(gw(d.path()).args(["-y", "-o", "s.yaml", "-e", "[[], {}]"]));
    ok(&o, "");
    assert_eq!(
        fs::read_to_string(d.path().join("s.yaml")).unwrap(),
        "---\n[ ]\n---\n{ }\n...\n"
    );
}

// ---------------------------------------------------------------------------------------
// -S / --string

#[test]
fn string_output() {
    let d = tmp();
    ok(
        &run(gw(d.path()).args(["-S", "-e", "'hello\\nworld'"])),
        "hello\nworld\n",
    );
    ok(&run(gw(d.path()).args(["--string", "-e", "''"])), "\n");
    ok(
        &run(gw(d.path()).args(["-S", "-e", "std.manifestYamlDoc({a: [1, 2]})"])),
        "\"a\":\n- 1\n- 2\n",
    );
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
        assert!(
            o.stdout.lines().count() == 1 && o.stdout.chars().any(|c| c.is_ascii_digit()),
            "{flag} should print one line with a version:\n{}",
            o.context()
        );
    }
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
    fails(&o, "STATIC ERROR: ", &["bad.jsonnet:3:6"]);
    let o = run(gw(d.path()).args(["-e", "{a: }"]));
    fails(&o, "STATIC ERROR: ", &["<cmdline>:1:5"]);
    let o = run(gw(d.path()).args(["-e", "x"]));
    fails(&o, "STATIC ERROR: ", &["<cmdline>:1:1", "x"]);
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
    fails(&o, "STATIC ERROR: ", &[]);
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
        (&["syntax.jsonnet"], "STATIC ERROR: "),
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
            o.stderr.starts_with("STATIC ERROR: ") || o.stderr.starts_with("RUNTIME ERROR: "),
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
