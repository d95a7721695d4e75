//! Go's rules that gwsonnet must follow byte for byte, each written once: Go's number
//! formatting ([`float`]), `math.Exp` as it runs on amd64 ([`math`]), `crypto/md5` digests ([`md5`]) in `encoding/hex` ([`hex`]), `encoding/base64` ([`base64`]), its regular expressions
//! ([`regexp`]), its slash-path lexical rules ([`path`]), the `text/template` subset of
//! Tanka's name formats ([`template`]), `encoding/json` ([`json`]), and YAML: one
//! event→tree builder for every reader with the resolver as parameter ([`yaml_tree`]),
//! the decoders' alias budget ([`yaml_aliases`]), yaml.v2's syntax-error wording
//! ([`yaml_errors`]), plain-scalar resolution of yaml.v2
//! and yaml.v3 ([`yaml_resolve`]) with their number syntaxes ([`yaml_numbers`]),
//! their encoders' key order ([`yaml_sort`]), libyaml's byte classes and scalar
//! analysis ([`libyaml`]). Every caller that prints, matches or joins "as Go does"
//! goes through here, so two copies can no longer disagree.
//! Each file names the Go package it follows; the goldens in `tests/testdata/gocompat/`
//! were printed by Go itself (go1.19.8, Debian `golang-go`; `oracle/main.go`, see its
//! header for the command).

pub mod base64;
pub mod float;
pub mod hex;
pub mod json;
pub mod libyaml;
pub mod math;
pub mod md5;
pub mod path;
pub mod regexp;
pub mod template;
pub mod yaml_aliases;
pub mod yaml_errors;
pub mod yaml_numbers;
pub mod yaml_resolve;
pub mod yaml_sort;
pub mod yaml_tree;

#[cfg(test)]
mod golden;
