//! The CRD loader on arbitrary YAML (as `--crds FILE` reads it): every kind it finds is
//! loaded into the model and one minimal object of it is validated (its CEL rules
//! compiled and run). Bad input is a clean `file:line` error, never a panic.
#![no_main]

use std::path::PathBuf;

use gwsonnet::crd::{load, Sources};
use gwsonnet::validate::Validator;
use gwsonnet_fuzz::on_big_stack;
use libfuzzer_sys::fuzz_target;

/// The file the input is written to (the loader reads files, as the CLI gives them).
fn input_file() -> PathBuf {
    let dir = std::env::var_os("TMPDIR").map_or_else(|| PathBuf::from("/tmp"), PathBuf::from);
    dir.join(format!("gwsonnet-fuzz-crd-{}.yaml", std::process::id()))
}

fuzz_target!(|data: &[u8]| {
    let file = input_file();
    std::fs::write(&file, data).expect("the fuzzer's temporary file is writable");
    let sources = Sources {
        crds: vec![file],
        ..Sources::default()
    };
    on_big_stack(|| {
        let Ok(libraries) = load(&sources) else {
            return;
        };
        let validator = Validator::new();
        for library in &libraries {
            for versions in library.groups().values() {
                for kinds in versions.values() {
                    for slot in kinds.values() {
                        let Some(Ok(kind)) = slot.kind() else {
                            continue;
                        };
                        let object = serde_json::json!({
                            "apiVersion": kind.api_version(),
                            "kind": kind.kind,
                            "metadata": {"name": "fuzz", "namespace": "default"},
                            "spec": {},
                        });
                        let _ = validator.validate_kind(kind, &object);
                    }
                }
            }
        }
    });
});
