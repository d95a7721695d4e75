//! The shared harness of gwsonnet's fuzz targets (`fuzz_targets/*.rs`, run with
//! `cargo +nightly fuzz run TARGET`; fuzz/README.md).
//!
//! Each target evaluates through the crate's public API as the CLI does
//! ([`gwsonnet::engine::Engine`]), with the limits a fuzzer needs on top of
//! libFuzzer's own `-timeout`/`-rss_limit_mb`: a small Jsonnet stack limit, a large
//! native stack (the CLI runs on one too), and no file system imports.

use std::sync::Arc;

use gwsonnet::engine::{Engine, EngineSettings, ExtValue, Input, OutputMode};
use gwsonnet::model::Registry;

/// Jsonnet frames allowed while fuzzing: deep enough for real programs, low enough
/// that runaway recursion ends quickly.
pub const MAX_STACK: usize = 100;

/// The native stack evaluation runs on (address space only; pages are touched as
/// used), as the CLI's worker stack.
const NATIVE_STACK: usize = 1 << 30;

thread_local! {
    /// The built-in libraries, made once per fuzzer process.
    static REGISTRY: Arc<Registry> =
        Arc::new(Registry::builtin(&gwsonnet::openapi::builtin::KUBERNETES));
}

/// Engine settings for one input: the built-in libraries, `ext_vars` as string
/// external variables, [`MAX_STACK`] frames, no search path.
pub fn settings(ext_vars: &[(&str, &str)]) -> EngineSettings {
    EngineSettings {
        ext_vars: ext_vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), ExtValue::Str((*v).to_owned())))
            .collect(),
        max_stack: MAX_STACK,
        max_trace: 4,
        registry: REGISTRY.with(Arc::clone),
        ..EngineSettings::default()
    }
}

/// Runs `f` on a large native stack, as the CLI runs commands.
pub fn on_big_stack<R>(f: impl FnOnce() -> R) -> R {
    stacker::grow(NATIVE_STACK, f)
}

/// Whether `code` may touch the file system: an `import`, `importstr` or `importbin`
/// (a fuzzer that finds `importstr '/dev/zero'` or `/dev/stdin` has found nothing but
/// a hang). Such inputs are skipped.
pub fn imports_files(code: &[u8]) -> bool {
    code.windows(6).any(|w| w == b"import")
}

/// Evaluates `code` (as `-e` code) and writes the result as the CLI's JSON output:
/// the JSON text, or the error as the CLI would print it.
pub fn eval_json(engine: &Engine, code: &str) -> Result<String, String> {
    let val = engine
        .evaluate(&Input::Code(code.to_owned()))
        .map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    engine
        .write_single(&val, OutputMode::Json, true, &mut out, None)
        .map_err(|e| e.to_string())?;
    String::from_utf8(out).map_err(|e| format!("output is not UTF-8: {e}"))
}
