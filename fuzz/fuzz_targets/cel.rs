//! The validator, CEL rules included, on generated objects: the input is a byte then
//! an object as JSON; the object is validated against the kind of the Gateway API CRDs
//! (the newest experimental bundle in `../shared`, else the built-in Gateway API
//! library) its `apiVersion` and `kind` name, else against the kind the first byte
//! picks (`apiVersion` and `kind` set to its). Validation reports findings; it never
//! panics, and CEL's cost limits keep each object fast.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use gwsonnet::model::{Kind, Registry};
use gwsonnet::validate::Validator;
use gwsonnet_fuzz::on_big_stack;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

/// The CRD bundle loaded when the test data is there.
const CRDS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/gateway-api/crds/1.6-experimental"
);

/// The built-in libraries and the Gateway API CRDs, loaded once (kept in a static, so
/// LeakSanitizer does not report them).
fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let base = Registry::builtin(&gwsonnet::openapi::builtin::KUBERNETES);
        let crds = PathBuf::from(CRDS);
        if !crds.is_dir() {
            return base;
        }
        let sources = gwsonnet::crd::Sources {
            crds: vec![crds],
            ..Default::default()
        };
        gwsonnet::crd::add_to(base, &sources).expect("the Gateway API CRDs load")
    })
}

/// Every kind of the CRD libraries.
fn kinds() -> Vec<&'static Kind> {
    let mut kinds = Vec::new();
    for library in registry().libraries() {
        for versions in library.groups().values() {
            for slots in versions.values() {
                for slot in slots.values() {
                    if let Some(Ok(kind)) = slot.kind() {
                        kinds.push(kind);
                    }
                }
            }
        }
    }
    assert!(!kinds.is_empty(), "no CRD kinds to fuzz");
    kinds
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, json)) = data.split_first() else {
        return;
    };
    let Ok(Value::Object(mut object)) = serde_json::from_slice::<Value>(json) else {
        return;
    };
    let kinds = kinds();
    let named = |k: &&&Kind| {
        object.get("kind").and_then(Value::as_str) == Some(k.kind.as_str())
            && object.get("apiVersion").and_then(Value::as_str) == Some(k.api_version().as_str())
    };
    let kind = match kinds.iter().find(named) {
        Some(kind) => *kind,
        None => kinds[usize::from(pick) % kinds.len()],
    };
    object.insert("apiVersion".into(), kind.api_version().into());
    object.insert("kind".into(), kind.kind.clone().into());
    let object = Value::Object(object);
    on_big_stack(|| {
        let validator = Validator::new();
        let _ = validator.validate_kind(kind, &object);
        let _ = validator.validate_update(&kind.schema, &object, &object);
    });
});
