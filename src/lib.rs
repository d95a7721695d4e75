//! gwsonnet: a drop-in `jsonnet` evaluator (on jrsonnet) with the Kubernetes Gateway API
//! built in as a native Jsonnet library.
//!
//! The data path: [`cli`] parses flags into settings, [`engine`] evaluates and
//! manifests with go-jsonnet-compatible output, [`model`] holds the one description of
//! each kind, which [`native`] turns into Jsonnet values and [`docs`] into markdown;
//! [`crd`] loads CRD YAML into more libraries.

// jrsonnet's own APIs key maps by `IStr` (interned, hashed by pointer, never mutated
// in a way that changes its hash); clippy cannot see that.
#![allow(clippy::mutable_key_type)]
#![warn(missing_docs)]

pub mod atomic;
pub mod cli;
pub mod crd;
pub mod docs;
pub mod engine;
pub mod error;
pub mod gocompat;
pub mod libsonnet;
pub mod lsp;
pub mod manifest;
pub mod model;
pub mod native;
pub mod openapi;
pub mod tanka;
pub mod validate;
