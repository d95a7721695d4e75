//! The prepass, parser and evaluator on arbitrary bytes: any input ends in a value or a
//! clean error, never a panic or a crash. Programs that import files are skipped
//! ([`gwsonnet_fuzz::imports_files`]); time and memory are capped by libFuzzer's
//! `-timeout` and `-rss_limit_mb` and the harness' stack limits.
#![no_main]

use gwsonnet::engine::{Engine, OutputMode};
use gwsonnet_fuzz::{eval_json, imports_files, on_big_stack, settings};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if imports_files(data) {
        return;
    }
    // Source that is not UTF-8 is read as go-jsonnet reads it: bytes replaced.
    let code = String::from_utf8_lossy(data);
    on_big_stack(|| {
        let engine = Engine::new(&settings(&[]));
        if eval_json(&engine, &code).is_ok() {
            // The same value as a YAML stream when it is an array, as `-y` writes it.
            if let Ok(v) = engine.evaluate(&gwsonnet::engine::Input::Code(code.to_string())) {
                let _ = engine.write_single(&v, OutputMode::Stream, true, &mut Vec::new(), None);
            }
        }
    });
});
