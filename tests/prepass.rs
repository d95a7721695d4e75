//! The source prepass (src/engine/prepass/): go-jsonnet's lexing, static checks and
//! evaluation rules that gwsonnet applies before jrsonnet parses a file, run as a real
//! process. Programs in tests/testdata/prepass/ have goldens made with go-jsonnet 0.22
//! (`python3 tests/testdata/regen_go.py tests/testdata/prepass`); the cases here
//! assert errors, traces and stack depth, with go-jsonnet's bytes where stated.

use crate::common;

use common::*;

#[test]
fn prepass_programs_match_go_jsonnet() {
    assert!(check_goldens("prepass") >= 2);
}

#[test]
fn block_comments_close_at_their_first_end_marker() {
    let d = tmp();
    // The repros; expected bytes from go-jsonnet 0.22.
    ok(
        &run(gw(d.path()).args(["-e", "{ a: 1, /* x **/ b: 2, /* y */ c: 3 }"])),
        "{\n   \"a\": 1,\n   \"b\": 2,\n   \"c\": 3\n}\n",
    );
    for code in ["/* a **/ 1", "/******** x ********/ 1", "/***/ 1", "1 /**/"] {
        ok(&run(gw(d.path()).args(["-e", code])), "1\n");
    }
    // CRLF line ends, and a comment that closes on the last byte.
    write(
        d.path(),
        "crlf.jsonnet",
        "{\r\n  a: 1, /* c **/\r\n  b: 2 }\r\n/**/",
    );
    ok(
        &run(gw(d.path()).arg("crlf.jsonnet")),
        "{\n   \"a\": 1,\n   \"b\": 2\n}\n",
    );
    // Unterminated stays a static error, located at the comment.
    fails(
        &run(gw(d.path()).args(["-e", "1 /* a **"])),
        "<cmdline>:1:",
        &[],
    );
    // Errors after a closed comment keep their columns.
    fails_runtime(
        &run(gw(d.path()).args(["-e", "/* a **/ error 'x'"])),
        &["<cmdline>:1:10-"],
    );
}

#[test]
fn raw_imports_read_the_file_as_written() {
    let d = tmp();
    write(d.path(), "f.libsonnet", "local x = 'a%s' % 'b';\nx\n");
    ok(
        &run(gw(d.path()).args([
            "-e",
            "[importstr 'f.libsonnet', import 'f.libsonnet', importstr 'f.libsonnet']",
        ])),
        "[\n   \"local x = 'a%s' % 'b';\\nx\\n\",\n   \"ab\",\n   \"local x = 'a%s' % 'b';\\nx\\n\"\n]\n",
    );
    // A missing file is named as written (go-jsonnet's message and columns).
    let o = run(gw(d.path()).args(["-e", "importstr 'nonexist.libsonnet'"]));
    fails_runtime(
        &o,
        &[
            "couldn't open import \"nonexist.libsonnet\": no match locally or in the Jsonnet library paths",
            "<cmdline>:1:1-31",
        ],
    );
    assert!(!o.stderr.contains('\0'), "{}", o.context());
}

#[test]
fn the_prepass_can_be_turned_off_for_diagnosis() {
    let d = tmp();
    let o = run(gw(d.path())
        .env("GWSONNET_PREPASS", "off")
        .args(["-e", "'%s' % 0.1"]));
    ok(&o, "\"0.1\"\n");
    let o = run(gw(d.path())
        .env("GWSONNET_PREPASS", "on")
        .args(["-e", "'%s' % 0.1"]));
    ok(&o, "\"0.10000000000000001\"\n");
}

/// A tail-recursive sum, `n` calls deep, each call `tailstrict` in tail position.
fn tail_sum(n: u32) -> String {
    format!(
        "local sum(x, v) =\n  if x <= 0 then v\n  else sum(x - 1, x + v) tailstrict;\nsum({n}, 0)\n"
    )
}

#[test]
fn tailstrict_tail_calls_do_not_count_against_max_stack() {
    // go-jsonnet replaces the caller's frame; 10,000 calls under the default 500.
    let d = tmp();
    write(d.path(), "sum.jsonnet", &tail_sum(10_000));
    ok(&run(gw(d.path()).arg("sum.jsonnet")), "50005000\n");
    // The entry file is Jsonnet whatever its name; -e code too.
    write(d.path(), "sum", &tail_sum(10_000));
    ok(&run(gw(d.path()).arg("sum")), "50005000\n");
    ok(
        &run(gw(d.path()).args(["-e", &tail_sum(2_000)])),
        "2001000\n",
    );
    // Methods, `local f(x) =` and `function` bodies, through if/local/assert.
    let o = run(gw(d.path()).args([
        "-e",
        "local o = { f(n):: if n == 0 then 'o' else local m = n - 1; self.f(m) tailstrict };\n\
         local g = function(n) assert n >= 0; if n == 0 then 'g' else g(n - 1) tailstrict;\n\
         [o.f(3000), g(3000)]",
    ]));
    ok(&o, "[\n   \"o\",\n   \"g\"\n]\n");
}

#[test]
fn tailstrict_outside_tail_position_still_counts() {
    // `1 + f(n - 1) tailstrict` is not a tail call: each call keeps its frame.
    let d = tmp();
    let o = run(gw(d.path()).args([
        "-e",
        "local f(n) = if n == 0 then 0 else 1 + f(n - 1) tailstrict; f(1000)",
    ]));
    fails_runtime(&o, &["max stack frames exceeded"]);
    // A tail call gives the callee the caller's headroom, not a fresh 500 frames:
    // 400 ordinary frames, then tail calls, then 200 more ordinary frames is too deep.
    let o = run(gw(d.path()).args([
        "-e",
        "local f(n) = if n == 0 then 0 else 1 + f(n - 1);\n\
         local t(n, k) = if n == 0 then f(k) else t(n - 1, k) tailstrict;\n\
         local g(n) = if n == 0 then t(50, 200) else 1 + g(n - 1);\n\
         g(400)",
    ]));
    fails_runtime(&o, &["max stack frames exceeded"]);
}

#[test]
fn errors_in_rewritten_files_point_at_the_source_as_written() {
    let d = tmp();
    write(
        d.path(),
        "t.jsonnet",
        "local sum(x, v) =\n  if x <= 0 then\n    error 'boom at ' + v\n  else\n    sum(x - 1, x + v) tailstrict;\nsum(3, 0)\n",
    );
    let o = run(gw(d.path()).arg("t.jsonnet"));
    fails_runtime(
        &o,
        &["boom at 6", "\tt.jsonnet:3:5", "\tt.jsonnet:5:5-22\t"],
    );
    assert!(
        !o.stderr.contains("gwsonnet"),
        "the inserted wrapper must not show:\n{}",
        o.context()
    );
    // std.trace in the same file keeps its line.
    write(
        d.path(),
        "u.jsonnet",
        "local f(n) = if n == 0 then std.trace('done', n) else f(n - 1) tailstrict;\nf(3)\n",
    );
    let o = run(gw(d.path()).arg("u.jsonnet"));
    ok(&o, "0\n");
    assert_eq!(o.stderr, "TRACE: u.jsonnet:1 done\n");
}

#[test]
fn rewritten_comprehensions_report_errors_where_they_were_written() {
    let d = tmp();
    // go-jsonnet 0.22: "Unexpected type number, expected array" at snippet:1:1-15,
    // "... expected boolean" at the comprehension, errors of elements at the element.
    for (code, needles) in [
        (
            "[x for x in 1]",
            &[
                "Unexpected type number, expected array",
                "\t<cmdline>:1:1-15\t",
            ][..],
        ),
        (
            "{ a: [x for x in [1, 2] if x] }",
            &[
                "Unexpected type number, expected boolean",
                "\t<cmdline>:1:6-30\t",
            ],
        ),
        (
            "local f(a) = [error 'q' for x in a];\nf([1])",
            &["q", "\t<cmdline>:1:15-"],
        ),
        (
            "local e = error 'boom'; local a = [e for x in [1]]; a[0]",
            &["boom", "\t<cmdline>:1:11-"],
        ),
    ] {
        let o = run(gw(d.path()).args(["-e", code]));
        fails_runtime(&o, needles);
        assert!(
            !o.stderr.contains("gwsonnet"),
            "the inserted wrapper must not show:\n{}",
            o.context()
        );
    }
    // The hidden global called by hand is an error, not a crash.
    for call in [
        "__gwsonnet_comp([])",
        "__gwsonnet_comp(['', 1, 2])",
        "__gwsonnet_comp(['ff', 1, [1], 3])",
    ] {
        let code = format!("local a = [x for x in [1]]; {call}");
        let o = run(gw(d.path()).args(["-e", &code]));
        fails_runtime(&o, &["internal comprehension helper"]);
    }
    // A trace in a comprehension prints once, with its line, when its element is used.
    write(
        d.path(),
        "t.jsonnet",
        "local xs = [\n  std.trace('at ' + x, x)\n  for x in [1, 2]\n];\nxs[1]\n",
    );
    let o = run(gw(d.path()).arg("t.jsonnet"));
    ok(&o, "2\n");
    assert_eq!(o.stderr, "TRACE: t.jsonnet:2 at 2\n");
}

#[test]
fn recursion_through_comprehension_elements_counts_frames() {
    // go-jsonnet 0.22 counts one frame per element: with the default -s 500 a chain of
    // 400 elements evaluates and one of 600 exceeds the stack (as with std.makeArray).
    let d = tmp();
    let chain = |n: u32| {
        format!("local a = [if i == 0 then 0 else a[i - 1] + 1 for i in std.range(0, {n})]; a[{n}]")
    };
    ok(&run(gw(d.path()).args(["-e", &chain(400)])), "400\n");
    let o = run(gw(d.path()).args(["-e", &chain(600)]));
    fails_runtime(&o, &["max stack frames exceeded"]);
}

#[test]
fn object_comprehension_with_a_fixed_field_is_a_static_error() {
    let d = tmp();
    write(
        d.path(),
        "c.jsonnet",
        "{\n  local k = 1,\n  x: 42 for _ in [1]\n}\n",
    );
    let o = run(gw(d.path()).arg("c.jsonnet"));
    fails(
        &o,
        "c.jsonnet:3:9-12 ",
        &["Object comprehensions can only have [e] fields"],
    );
    assert!(o.stdout.is_empty(), "{}", o.context());
    // In an imported file too, where go-jsonnet reports it as the import's runtime
    // error; computed names, `for` in strings and nested array comprehensions are fine.
    write(d.path(), "lib.libsonnet", "{ 'y': 1 for i in [1] }");
    let o = run(gw(d.path()).args(["-e", "import 'lib.libsonnet'"]));
    fails(&o, "RUNTIME ERROR: lib.libsonnet:1:10-13 ", &[]);
    ok(
        &run(gw(d.path()).args([
            "-e",
            "{ [k]: { v: [i for i in [1]], s: 'x for y' } for k in ['a'] }",
        ])),
        "{\n   \"a\": {\n      \"s\": \"x for y\",\n      \"v\": [\n         1\n      ]\n   }\n}\n",
    );
}

#[test]
fn multiplication_and_remainder_follow_go_jsonnet() {
    let d = tmp();
    // `%` formats numbers as go-jsonnet's std.format does; numbers give the remainder.
    // (Expected bytes from go-jsonnet 0.22.)
    let o = run(gw(d.path()).args([
        "-e",
        "[2 * 3 % 4 * 5, 2 * -3 % 4, ~1 * 2, 7.5 % 2, -7 % 3, 10 / 4 % 3, \"%s|%5.2f\" % [0.1, 3.14159], \"%(a)s\" % {a: 0.2}, \"x%sy\" % 0.3, (function(x) x % 3)(10)]",
    ]));
    ok(
        &o,
        "[\n   10,\n   -2,\n   -4,\n   1.5,\n   -1,\n   2.5,\n   \"0.10000000000000001| 3.14\",\n   \"0.20000000000000001\",\n   \"x0.29999999999999999y\",\n   1\n]\n",
    );
    // A string times a number is an error (jrsonnet would repeat the string), located
    // as go-jsonnet does (at the call of the function holding the product).
    write(
        d.path(),
        "m.jsonnet",
        "local f(x) =\n  x * 2;\n{ a: f('s') }\n",
    );
    fails_runtime(
        &run(gw(d.path()).arg("m.jsonnet")),
        &[
            "Unexpected type string, expected number",
            "m.jsonnet:3:6-12",
        ],
    );
    for bad in ["3 * 'x'", "local s = '%d!'; s % 3 * 2"] {
        fails_runtime(
            &run(gw(d.path()).args(["-e", bad])),
            &["Unexpected type string, expected number"],
        );
    }
    fails_runtime(
        &run(gw(d.path()).args(["-e", "5 % 0"])),
        &["Division by zero."],
    );
    fails_runtime(
        &run(gw(d.path()).args(["-e", "[] % 2"])),
        &["Operator % cannot be used on types array and number."],
    );
    fails_runtime(
        &run(gw(d.path()).args(["-e", "1e300 * 1e9"])),
        &["Overflow"],
    );
    // A truncated operand is jrsonnet's syntax error, not a crash of the prepass.
    // (go-jsonnet locates a bare `super` at `<cmdline>:1:12-17`; jrsonnet's analysis
    // gives it no place: listed in tests/error_text_known_differences.txt's terms.)
    for (truncated, prefix, needle) in [
        ("{ a: 1 } * super", "", "super"),
        ("1 % super", "", "super"),
        ("2 * import", "<cmdline>:1:11 ", "Unexpected end of file"),
    ] {
        fails(
            &run(gw(d.path()).args(["-e", truncated])),
            prefix,
            &[needle],
        );
    }
    // Frames are the user's: no gwsonnet wrapper, no internal TLA call.
    let o = run(gw(d.path()).args(["-e", "'x' % 42"]));
    fails_runtime(&o, &["Too many values to format: 1, expected 0"]);
    assert!(
        !o.stderr.contains("gwsonnet") && !o.stderr.contains("TLA"),
        "{}",
        o.context()
    );
}

#[test]
fn trace_names_its_call_site() {
    let d = tmp();
    write(
        d.path(),
        "t.jsonnet",
        "// std.trace('not code')\nlocal s = 'std.trace(';\n{\n  a: std.trace('hello', s),\n  b: std.trace('x' + importstr 'data.txt', 1),\n}\n",
    );
    write(d.path(), "data.txt", "std.trace(");
    let o = run(gw(d.path()).arg("t.jsonnet"));
    ok(&o, "{\n   \"a\": \"std.trace(\",\n   \"b\": 1\n}\n");
    assert_eq!(
        o.stderr,
        "TRACE: t.jsonnet:4 hello\nTRACE: t.jsonnet:5 xstd.trace(\n"
    );
    // A non-string message is an error, as in go-jsonnet.
    let o = run(gw(d.path()).args(["-e", "std.trace(1, 2)"]));
    assert_eq!(o.code, Some(1), "{}", o.stderr);
    assert!(o.stderr.contains("expected string"), "{}", o.stderr);
}

#[test]
fn unverified_edits_still_report_the_users_syntax_errors() {
    // Release builds apply the prepass's edits without parsing them again
    // (`GWSONNET_PREPASS=trust`); debug builds check them (`verify`). A file that
    // does not parse is edited too when unverified, and must still report the
    // error of the text as written, at its line and column.
    let d = tmp();
    write(
        d.path(),
        "a.jsonnet",
        "local x = '%s' % 1;\n{ a: x * 2, b: }\n",
    );
    write(d.path(), "b.jsonnet", "local y = import 'a.jsonnet';\ny\n");
    write(
        d.path(),
        "c.jsonnet",
        "local f(n) = if n == 0 then 0 else f(n - 1) tailstrict;\n{ a: f(3) * 2 % 5 b: 1 }\n",
    );
    // Imported, the error is the import's runtime error (as go-jsonnet reports it).
    for (file, location) in [
        ("a.jsonnet", "a.jsonnet:2:16"),
        ("b.jsonnet", "RUNTIME ERROR: a.jsonnet:2:16"),
        ("c.jsonnet", "c.jsonnet:2:"),
    ] {
        let mut outputs = Vec::new();
        for mode in ["verify", "trust", "off"] {
            let o = run(gw(d.path()).env("GWSONNET_PREPASS", mode).arg(file));
            fails(&o, location, &[]);
            assert!(!o.stderr.contains("__gwsonnet"), "{}", o.context());
            outputs.push(o.stderr);
        }
        assert_eq!(outputs[0], outputs[1], "{file}");
        assert_eq!(outputs[0], outputs[2], "{file}");
    }
}
