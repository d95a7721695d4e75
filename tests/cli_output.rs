//! The output modes of the jsonnet mode, run as a real process: `-o` (with `-c`), `-m`
//! (one file per field; unchanged files are left alone), `-y` and `-S`, with the bytes
//! go-jsonnet 0.22 writes.

use std::fs;
use std::time::Duration;

use crate::common;

use common::*;

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
