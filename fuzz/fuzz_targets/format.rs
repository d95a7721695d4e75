//! `std.format` and `%` on an arbitrary format string with arguments picked from edge
//! cases (huge and tiny numbers, widths past 65,536, strings, arrays, objects) by the
//! input's bytes: a string or a clean error, and `%` the same as `std.format`.
#![no_main]

use gwsonnet::engine::Engine;
use gwsonnet_fuzz::{eval_json, on_big_stack, settings};
use libfuzzer_sys::fuzz_target;

/// The argument values the input's bytes choose from.
const VALUES: &[&str] = &[
    "0",
    "-0",
    "1",
    "-1",
    "7",
    "0.5",
    "-2.5",
    "3.14159",
    "1e300",
    "-1e300",
    "1e-320",
    "9007199254740993",
    "4294967296",
    "65536",
    "70000",
    "1e21",
    "255",
    "1e15",
    "-1e-7",
    "''",
    "'a'",
    "'%d'",
    "'ä'",
    "'\\n'",
    "true",
    "false",
    "null",
    "[]",
    "[1, 'a']",
    "{}",
    "{a: 1}",
    "{a: 'x', b: 2.5}",
    "std.repeat('x', 100)",
];

fuzz_target!(|data: &[u8]| {
    // Format string up to the first 0 byte; each byte after it picks one argument.
    let (fmt, picks) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let fmt = String::from_utf8_lossy(fmt);
    let args: Vec<&str> = picks
        .iter()
        .take(16)
        .map(|&b| VALUES[usize::from(b) % VALUES.len()])
        .collect();
    let list = format!("[{}]", args.join(", "));
    on_big_stack(|| {
        let engine = Engine::new(&settings(&[("f", &fmt)]));
        let by_std = eval_json(&engine, &format!("std.format(std.extVar('f'), {list})"));
        let by_op = eval_json(&engine, &format!("std.extVar('f') % {list}"));
        assert_eq!(by_std.is_ok(), by_op.is_ok(), "std.format and % disagree");
        if let (Ok(a), Ok(b)) = (&by_std, &by_op) {
            assert_eq!(a, b, "std.format and % disagree");
        }
        if let Some(one) = args.first() {
            // A single value that is not an array is its own argument list.
            let _ = eval_json(&engine, &format!("std.extVar('f') % {one}"));
        }
    });
});
