//! The JSON and YAML readers on arbitrary text: `std.parseJson`, `std.parseYaml` and
//! Tanka's `std.native('parseJson')`/`std.native('parseYaml')` give a value or a clean
//! error (alias bombs, deep nesting and bad escapes included), and a value they give
//! can be written as JSON.
#![no_main]

use gwsonnet::engine::Engine;
use gwsonnet_fuzz::{eval_json, on_big_stack, settings};
use libfuzzer_sys::fuzz_target;

const READERS: &[&str] = &[
    "std.parseJson(std.extVar('s'))",
    "std.parseYaml(std.extVar('s'))",
    "std.native('parseJson')(std.extVar('s'))",
    "std.native('parseYaml')(std.extVar('s'))",
];

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    on_big_stack(|| {
        let engine = Engine::new(&settings(&[("s", &text)]));
        for reader in READERS {
            let _ = eval_json(&engine, reader);
        }
    });
});
