//! go-jsonnet's words for a failure jrsonnet describes in its own: runtime errors by
//! kind ([`runtime`]) and the parser's and static analysis' messages ([`static_text`]).
//! The wording follows go-jsonnet 0.22 (`interpreter.go`, `builtins.go`,
//! `internal/parser`); what has no go equivalent keeps jrsonnet's text.
//!
//! Contact points: [`super::convert`].

use jrsonnet_evaluator::{error::ErrorKind, trace::PathResolver};
use jrsonnet_ir::{BinaryOpType, SourcePath, UnaryOpType};

use super::unexpected_type;

/// go's message for a runtime failure; `object_assertion` tells a failed object
/// assertion from an `assert` expression (go words the two differently).
pub fn runtime(kind: &ErrorKind, object_assertion: bool, paths: &PathResolver) -> String {
    use ErrorKind::*;
    match kind {
        RuntimeError(msg) => runtime_text(msg),
        StackOverflow | InfiniteRecursionDetected => "max stack frames exceeded.".into(),
        UndefinedExternalVariable(name) => format!("Undefined external variable: {name}"),
        AssertionFailed(msg) => {
            let msg: &str = msg;
            match msg {
                "" | "null" if object_assertion => "Object assertion failed.".into(),
                "" | "null" => "Assertion failed".into(),
                msg => msg.into(),
            }
        }
        // The operands of `*` are checked as a unary operator's (`prepass::operators`).
        UnaryOperatorDoesNotOperateOnType(op, ty) => {
            let expected = match op {
                UnaryOpType::Not => "boolean",
                _ => "number",
            };
            unexpected_type(&ty.to_string(), Some(expected))
        }
        BinaryOperatorDoesNotOperateOnValues(op, left, right) => {
            binary_operator(*op, &left.to_string(), &right.to_string())
        }
        OnlyFunctionsCanBeCalledGot(ty) => unexpected_type(&ty.to_string(), Some("function")),
        BindingParameterASecondTime(name) => format!("Argument {name} already provided"),
        FunctionParameterNotBoundInCall(name, _) => format!("Missing argument: {name}"),
        NoSuperFound => "Attempt to use super when there is no super class.".into(),
        ValueIndexMustBeTypeGot(container, _, got) => {
            let expected = match container.to_string().as_str() {
                "object" => "string",
                _ => "number",
            };
            unexpected_type(&got.to_string(), Some(expected))
        }
        // go checks an `if` (a comprehension's too) as any boolean, and evaluates
        // `o { … }` as `o + { … }`.
        TypeMismatch("if condition" | "if spec condition", _, got) => {
            unexpected_type(&got.to_string(), Some("boolean"))
        }
        TypeMismatch("object extend lhs", _, got) => {
            binary_operator(BinaryOpType::Add, &got.to_string(), "object")
        }
        DivisionByZero => "Division by zero.".into(),
        UnknownFunctionParameter(name) => format!("function has no parameter {name}"),
        StringBoundsError(index, len) => {
            format!("Index {index} out of bounds, not within [0, {len})")
        }
        DuplicateFieldName(name) => format!("Duplicate field name: {:?}", name.to_string()),
        ConvertNumValue(jrsonnet_ir::ConvertNumValueError::NonFinite) => "Overflow".into(),
        // go names the operand too; jrsonnet's error does not carry it.
        ConvertNumValue(jrsonnet_ir::ConvertNumValueError::BitwiseSafeRange) => {
            "Bitwise operator argument outside of range [-9007199254740991, 9007199254740991]"
                .into()
        }
        NoSuchField(name, similar) => {
            // jrsonnet suggests the missing name itself when `super.x` is missing and
            // `self.x` exists ("There is a field with similar name present: x"): a
            // suggestion equal to the name is dropped.
            let similar: Vec<_> = similar.iter().filter(|s| *s != name).cloned().collect();
            let text = NoSuchField(name.clone(), similar).to_string();
            let rest = text.strip_prefix("no such field: ").unwrap_or(&text);
            format!("Field does not exist: {rest}")
        }
        ArrayBoundsError(index, len) => {
            format!("Index {index} out of bounds, not within [0, {len})")
        }
        ImportFileNotFound(_, path) => format!(
            "couldn't open import {:?}: no match locally or in the Jsonnet library paths",
            path.to_string()
        ),
        ImportBadFileUtf8(path) => {
            format!("{}: the file is not valid UTF-8", path_name(path, paths))
        }
        ImportIsADirectory(path) => {
            format!("couldn't import {}: is a directory", path_name(path, paths))
        }
        ResolvedFileNotFound(path) => format!("couldn't open {}", path_name(path, paths)),
        TypeError(e) => type_error(&e.to_string()),
        ImportIo(msg) => import_io(msg, paths),
        other => runtime_text(&other.to_string()),
    }
}

/// go's check of a binary operator's operands (`builtinPlus`, `builtinMinus`, …): `+`
/// wants both sides of the left side's type (number, array or object), the arithmetic
/// and bitwise operators numbers, left side first.
fn binary_operator(op: BinaryOpType, left: &str, right: &str) -> String {
    match op {
        BinaryOpType::Add => match left {
            "number" | "array" | "object" => unexpected_type(right, Some(left)),
            _ => unexpected_type(left, None),
        },
        BinaryOpType::And | BinaryOpType::Or => {
            let ty = if left != "boolean" { left } else { right };
            unexpected_type(ty, Some("boolean"))
        }
        _ => {
            let ty = if left != "number" { left } else { right };
            unexpected_type(ty, Some("number"))
        }
    }
}

/// jrsonnet's `expected T, got U` for an argument of the wrong type, as go's
/// `Unexpected type U, expected T` (jrsonnet's bounded numbers and chars being go's
/// numbers and strings).
fn type_error(text: &str) -> String {
    let shape = text
        .strip_prefix("expected ")
        .and_then(|rest| rest.split_once(", got "));
    let Some((expected, got)) = shape else {
        return format!("type error: {text}");
    };
    let got = got.split(' ').next().unwrap_or(got);
    let expected = match expected.split('<').next().unwrap_or(expected) {
        "BoundedNumber" => "number",
        "char" => "string",
        // jrsonnet's `ArrValue` parameters say `Array`.
        "Array" => "array",
        other => other,
    };
    if expected.contains(|c: char| !c.is_ascii_alphabetic()) {
        return format!("type error: {text}");
    }
    unexpected_type(got, Some(expected))
}

/// go's wording of messages jrsonnet's standard library raises as plain text.
fn runtime_text(msg: &str) -> String {
    const SAME: &[(&str, &str)] = &[
        ("shift by negative exponent", "Shift by negative exponent."),
        (
            "cannot test equality of functions",
            "Cannot test equality of functions",
        ),
        (
            "expected non-empty array",
            "Expected at least one element in array. Got none",
        ),
        (
            "tried to manifest function",
            "couldn't manifest function as JSON",
        ),
        (
            "`from` string must not be zero length",
            "'from' string must not be zero length.",
        ),
    ];
    if let Some((_, go)) = SAME.iter().find(|(ours, _)| *ours == msg) {
        return (*go).into();
    }
    // `"x" is not a base 10 integer`: go quotes nothing.
    if let Some(rest) = msg.strip_suffix("\" is not a base 10 integer") {
        if let Some(value) = rest.strip_prefix('"') {
            return format!("{value} is not a base 10 integer");
        }
    }
    msg.into()
}

/// go's wording of a parse or static-analysis message.
pub fn static_text(msg: &str) -> String {
    const SAME: &[(&str, &str)] = &[
        ("unterminated double-quoted string", "Unterminated String"),
        ("unterminated single-quoted string", "Unterminated String"),
        (
            "unterminated text block",
            "Text block not terminated with |||",
        ),
        ("unexpected end of file", "Unexpected end of file"),
        (
            "text block requires new line after |||",
            "Text block requires new line after |||.",
        ),
        (
            "import path must be a string literal",
            "Computed imports are not allowed",
        ),
        (
            "positional argument after named argument",
            "Positional argument after a named argument is not allowed",
        ),
        (
            "`super` used outside of object",
            "Can't use super outside of an object.",
        ),
        (
            "`self` used outside of object",
            "Can't use self outside of an object.",
        ),
        ("`$` used outside of object", "No top-level object found."),
    ];
    if let Some((_, go)) = SAME.iter().find(|(ours, _)| *ours == msg.trim()) {
        return (*go).into();
    }
    // The parser's `unexpected 'x'` / `expected field name, got 'x'`.
    if let Some(token) = msg
        .strip_prefix("unexpected '")
        .and_then(|t| t.strip_suffix('\''))
    {
        return format!("Unexpected: \"{token}\" while parsing terminal");
    }
    if let Some(got) = msg.strip_prefix("expected field name, got ") {
        let got = match got.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')) {
            Some(token) => format!("\"{token}\""),
            None => got.to_owned(),
        };
        return format!("Unexpected: {got} while parsing field definition");
    }
    if let Some(name) = msg.strip_prefix("undefined local: ") {
        return format!("Unknown variable: {name}");
    }
    if let Some(name) = msg.strip_prefix("local is already defined in the current frame: ") {
        return format!("Duplicate local var: {name}");
    }
    msg.into()
}

/// A failure reading an import, without jrsonnet's `import io error: ` and with the
/// folder a directory import names relative to the working directory, cleaned, as go
/// joins it (`read testdata: is a directory`).
fn import_io(msg: &str, paths: &PathResolver) -> String {
    if let Some(dir) = msg
        .strip_prefix("read ")
        .and_then(|m| m.strip_suffix(": is a directory"))
    {
        let dir = crate::gocompat::path::clean_path(std::path::Path::new(dir));
        return format!("read {}: is a directory", paths.resolve(&dir));
    }
    msg.to_owned()
}

/// The name a resolved path is shown under: relative to the working directory for files.
fn path_name(path: &SourcePath, paths: &PathResolver) -> String {
    match path.path() {
        Some(p) => paths.resolve(p),
        None => path.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators_are_checked_as_go_checks_them() {
        assert_eq!(
            binary_operator(BinaryOpType::Add, "array", "number"),
            "Unexpected type number, expected array"
        );
        assert_eq!(
            binary_operator(BinaryOpType::Add, "function", "number"),
            "Unexpected type function"
        );
        assert_eq!(
            binary_operator(BinaryOpType::BitOr, "string", "number"),
            "Unexpected type string, expected number"
        );
    }

    #[test]
    fn type_errors_in_go_words() {
        assert_eq!(
            type_error("expected BoundedNumber<0, 255>, got string at self[0]"),
            "Unexpected type string, expected number"
        );
        assert_eq!(
            type_error("expected char, got number"),
            "Unexpected type number, expected string"
        );
        assert_eq!(
            type_error("every failed from array | string:"),
            "type error: every failed from array | string:"
        );
    }

    #[test]
    fn static_messages_in_go_words() {
        assert_eq!(static_text("undefined local: x"), "Unknown variable: x");
        assert_eq!(
            static_text("unterminated single-quoted string"),
            "Unterminated String"
        );
        assert_eq!(
            static_text("expected '}', got ':'"),
            "expected '}', got ':'"
        );
    }
}
