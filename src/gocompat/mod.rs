//! Go's rules that gwsonnet must follow byte for byte, each written once: Go's number
//! formatting ([`float`]), `encoding/base64` ([`base64`]), its regular expressions ([`regexp`]), its slash-path
//! lexical rules ([`path`]) and the `text/template` subset of Tanka's name formats
//! ([`template`]). Every caller that prints, matches or joins "as Go does"
//! goes through here, so two copies can no longer disagree.
//! Each file names the Go package it follows; the goldens in `tests/testdata/gocompat/`
//! were printed by Go itself (go1.19.8, Debian `golang-go`; `oracle/main.go`, see its
//! header for the command).

pub mod base64;
pub mod float;
pub mod json;
pub mod path;
pub mod regexp;
pub mod template;

#[cfg(test)]
mod golden;
