//! The trailing newline of every output mode, and go-jsonnet 0.22's
//! `--no-trailing-newline`, run as a real process.
//!
//! Expected bytes follow go-jsonnet 0.22.0's library (`evaluate`, `evaluateMulti` and
//! `manifestAndSerializeMulti` in interpreter.go of the `gojsonnet` 0.22.0 source
//! package: a newline after the JSON or `-S` string, after each `-m` file, JSON or
//! `-S`, unless the VM's `OutputNewline` is off) and its CLI change (google/go-jsonnet
//! pull request 843: `--no-trailing-newline` turns that newline off in every mode but
//! `-y`, whose documents always end in one; `-y` together with it is refused).

use std::fs;

use crate::common;

use common::*;

#[test]
fn json_and_string_output_end_with_a_newline_unless_told() {
    let d = tmp();
    ok(
        &run(gw(d.path()).args(["-e", "{a: 1}"])),
        "{\n   \"a\": 1\n}\n",
    );
    ok(
        &run(gw(d.path()).args(["--no-trailing-newline", "-e", "{a: 1}"])),
        "{\n   \"a\": 1\n}",
    );
    ok(&run(gw(d.path()).args(["-S", "-e", "'x'"])), "x\n");
    ok(
        &run(gw(d.path()).args(["-S", "--no-trailing-newline", "-e", "'x\\n'"])),
        "x\n",
    );
    ok(
        &run(gw(d.path()).args(["--no-trailing-newline", "-S", "-e", "''"])),
        "",
    );
    // Into a file, the same bytes.
    let o = run(gw(d.path()).args(["--no-trailing-newline", "-o", "o.json", "-e", "[]"]));
    ok(&o, "");
    assert_eq!(fs::read_to_string(d.path().join("o.json")).unwrap(), "[ ]");
}

#[test]
fn multi_files_end_with_a_newline_unless_told() {
    let d = tmp();
    let src = "{'a.json': {x: 1}, 'b.txt': 'text'}";
    let o = run(gw(d.path()).args(["-c", "-m", "json", "-e", src]));
    ok(&o, "json/a.json\njson/b.txt\n");
    assert_eq!(
        fs::read_to_string(d.path().join("json/a.json")).unwrap(),
        "{\n   \"x\": 1\n}\n"
    );
    assert_eq!(
        fs::read_to_string(d.path().join("json/b.txt")).unwrap(),
        "\"text\"\n"
    );
    let o = run(gw(d.path()).args(["-c", "-S", "-m", "str", "-e", "{'b.txt': 'text'}"]));
    ok(&o, "str/b.txt\n");
    assert_eq!(
        fs::read_to_string(d.path().join("str/b.txt")).unwrap(),
        "text\n"
    );
    // The listing keeps its newlines; the files lose theirs.
    let o = run(gw(d.path()).args(["-c", "--no-trailing-newline", "-m", "bare", "-e", src]));
    ok(&o, "bare/a.json\nbare/b.txt\n");
    assert_eq!(
        fs::read_to_string(d.path().join("bare/a.json")).unwrap(),
        "{\n   \"x\": 1\n}"
    );
    let o = run(gw(d.path()).args([
        "-c",
        "-S",
        "--no-trailing-newline",
        "-m",
        "bare-str",
        "-e",
        "{'b.txt': 'text'}",
    ]));
    ok(&o, "bare-str/b.txt\n");
    assert_eq!(
        fs::read_to_string(d.path().join("bare-str/b.txt")).unwrap(),
        "text"
    );
}

#[test]
fn yaml_stream_keeps_its_newlines_and_refuses_the_flag() {
    let d = tmp();
    ok(
        &run(gw(d.path()).args(["-y", "-e", "[1, 2]"])),
        "---\n1\n---\n2\n...\n",
    );
    let o = run(gw(d.path()).args(["-y", "--no-trailing-newline", "-e", "[1]"]));
    no_panic(&o);
    assert_eq!(o.code, Some(1), "{}", o.context());
    assert!(o.stdout.is_empty(), "{}", o.context());
    assert!(
        o.stderr.starts_with("ERROR: ") && o.stderr.contains("--no-trailing-newline"),
        "{}",
        o.context()
    );
    // A switch takes no value.
    let o = run(gw(d.path()).args(["--no-trailing-newline=1", "-e", "1"]));
    assert_eq!(o.code, Some(1), "{}", o.context());
}
