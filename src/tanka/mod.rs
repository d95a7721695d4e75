//! Tanka compatibility: [`natives`] are Grafana Tanka's native functions
//! (`std.native('parseYaml')` and friends), registered by [`crate::engine`] for every
//! command, so Tanka code using `tanka-util` evaluates under gwsonnet; [`name_format`]
//! keys the manifests `helmTemplate` and `kustomizeBuild` return.

pub mod name_format;
pub mod natives;
