//! Every integration test, as one test binary: one link instead of one per file, and
//! one process running them all (an edit to `src/` rebuilt in 6 s instead of 23 s, the
//! suite ran in 69 s instead of 108 s: see CONTRIBUTING.md). Each file of `tests/` is a
//! module; run one with `cargo test --test it NAME::`.

#[path = "../bench_smoke.rs"]
mod bench_smoke;
#[path = "../cli.rs"]
mod cli;
#[path = "../cli_errors.rs"]
mod cli_errors;
#[path = "../cli_hints.rs"]
mod cli_hints;
#[path = "../cli_output.rs"]
mod cli_output;
#[path = "../commands.rs"]
mod commands;
#[path = "../common/mod.rs"]
mod common;
#[path = "../conformance.rs"]
mod conformance;
#[path = "../crd.rs"]
mod crd;
#[path = "../differential.rs"]
mod differential;
#[path = "../docs.rs"]
mod docs;
#[path = "../docutil.rs"]
mod docutil;
#[path = "../error_render.rs"]
mod error_render;
#[path = "../error_text.rs"]
mod error_text;
#[path = "../front_door.rs"]
mod front_door;
#[path = "../gateway_api_cel.rs"]
mod gateway_api_cel;
#[path = "../hardening.rs"]
mod hardening;
#[path = "../k8s_custom.rs"]
mod k8s_custom;
#[path = "../k8s_validate.rs"]
mod k8s_validate;
#[path = "../libsonnet.rs"]
mod libsonnet;
#[path = "../lsp.rs"]
mod lsp;
#[path = "../model.rs"]
mod model;
#[path = "../module_graph.rs"]
mod module_graph;
#[path = "../native_library.rs"]
mod native_library;
#[path = "../newline.rs"]
mod newline;
#[path = "../openapi.rs"]
mod openapi;
#[path = "../prepass.rs"]
mod prepass;
#[path = "../schema_roundtrip.rs"]
mod schema_roundtrip;
#[path = "../std_parity.rs"]
mod std_parity;
#[path = "../tanka.rs"]
mod tanka;
#[path = "../tanka_cache.rs"]
mod tanka_cache;
#[path = "../tanka_env_list.rs"]
mod tanka_env_list;
#[path = "../tanka_export.rs"]
mod tanka_export;
#[path = "../tanka_importers.rs"]
mod tanka_importers;
#[path = "../tanka_k8s.rs"]
mod tanka_k8s;
#[path = "../tanka_natives.rs"]
mod tanka_natives;
#[path = "../tanka_shard.rs"]
mod tanka_shard;
#[path = "../validate.rs"]
mod validate;
#[path = "../validate_ci.rs"]
mod validate_ci;
