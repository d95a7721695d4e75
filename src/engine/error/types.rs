//! go-jsonnet's type errors, worded in one place: `Unexpected type T, expected E`
//! (`typeErrorSpecific` of go-jsonnet 0.22's `interpreter.go`) and `Unexpected type T`
//! (`typeErrorGeneral`).
//!
//! Contact points: the evaluator's failures in go's words ([`super::messages`]), the
//! `std` overrides and go's argument checks (`crate::engine::overrides`), the source
//! prepass's comprehensions (`crate::engine::prepass`); the Kubernetes library's
//! natives (`crate::native`) raise them by calling the `std` function whose error they
//! stand for.

use jrsonnet_evaluator::{error::ErrorKind, Error, Val};

/// go's text for a value of type `got` where `expected` was wanted (`None`: go names
/// no expected type).
pub fn unexpected_type(got: &str, expected: Option<&str>) -> String {
    match expected {
        Some(expected) => format!("Unexpected type {got}, expected {expected}"),
        None => format!("Unexpected type {got}"),
    }
}

/// The runtime error go raises for `value` where a value of type `expected` was wanted.
pub fn type_error(value: &Val, expected: &str) -> Error {
    ErrorKind::RuntimeError(unexpected_type(value.value_type().name(), Some(expected)).into())
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specific_and_general_as_go_words_them() {
        assert_eq!(
            unexpected_type("number", Some("array")),
            "Unexpected type number, expected array"
        );
        assert_eq!(unexpected_type("null", None), "Unexpected type null");
        assert_eq!(
            type_error(&Val::Null, "function").error().to_string(),
            "runtime error: Unexpected type null, expected function"
        );
    }
}
