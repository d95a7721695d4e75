//! libyaml's words for a YAML syntax error and the line Go's yaml.v2 puts before them
//! (`decode.go`, `(*parser).fail`, as vendored by sigs.k8s.io/yaml for go-jsonnet 0.22).
//! yaml-rust2 ports libyaml's scanner and parser but words its errors its own way: the
//! context first (`while parsing a flow sequence, …`) and a few phrases of its own;
//! Go prints libyaml's problem alone. yaml.v2 counts the problem's line from 0, adds
//! one for scanner errors only, and leaves the line out when it is 0.
//!
//! Contact points: `std.parseYaml` (`crate::engine::overrides`). Goldens made with
//! go-jsonnet: `tests/testdata/yaml_errors/`.

use yaml_rust2::scanner::ScanError;

/// A syntax error as yaml.v2 reports it: `line N: problem` or the problem alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Syntax {
    /// The line yaml.v2 names (`None` when it names none).
    pub line: Option<usize>,
    /// libyaml's problem text.
    pub problem: String,
}

impl std::fmt::Display for Syntax {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {}", self.problem),
            None => f.write_str(&self.problem),
        }
    }
}

/// yaml-rust2's own phrases and libyaml's for the same problem, with whether libyaml's
/// parser (not its scanner) reports it.
const PHRASES: &[(&str, &str, bool)] = &[
    (
        "expected ',' or ']'",
        "did not find expected ',' or ']'",
        true,
    ),
    (
        "duplicate version directive",
        "found duplicate %YAML directive",
        true,
    ),
    (
        "the TAG directive must only be given at most once per handle in the same document",
        "found duplicate %TAG directive",
        true,
    ),
    (
        "the handle wasn't declared",
        "found undefined tag handle",
        true,
    ),
    (
        "did not find expected <document start>",
        "did not find expected <document start>",
        true,
    ),
    (
        "did not find expected node content",
        "did not find expected node content",
        true,
    ),
    (
        "did not find expected key",
        "did not find expected key",
        true,
    ),
    (
        "did not find expected ',' or '}'",
        "did not find expected ',' or '}'",
        true,
    ),
    (
        "did not find expected '-' indicator",
        "did not find expected '-' indicator",
        true,
    ),
    (
        "simple key expect ':'",
        "could not find expected ':'",
        false,
    ),
    (
        "tabs disallowed within this context (block indentation)",
        "found a tab character that violates indentation",
        false,
    ),
    (
        "tab cannot be used as indentation",
        "found a tab character that violates indentation",
        false,
    ),
    (
        "found a tab",
        "found a tab character that violates indentation",
        false,
    ),
];

/// The byte offset in `text` of a yaml-rust2 marker's `index`, which counts characters
/// (its scanner adds bytes only over the lines of a block scalar, so there the offset
/// found may lie further on); an index past the text is its end. Slicing `text` at the
/// index itself panicked on text with a multi-byte character before the marker.
pub fn marker_offset(text: &str, index: usize) -> usize {
    if text.is_ascii() {
        return index.min(text.len());
    }
    text.char_indices()
        .nth(index)
        .map_or(text.len(), |(b, _)| b)
}

/// yaml.v2's report of a yaml-rust2 syntax error in `text`.
pub fn v2_syntax(error: &ScanError, text: &str) -> Syntax {
    let info = error.info();
    // `while scanning a quoted scalar, found …`: the context goes.
    let bare = match info.strip_prefix("while ") {
        Some(rest) => rest.split_once(", ").map_or(info, |(_, problem)| problem),
        None => info,
    };
    let (problem, parser) = if bare.starts_with("unexpected character: ") {
        ("found character that cannot start any token", false)
    } else {
        PHRASES
            .iter()
            .find(|(ours, _, _)| *ours == bare)
            .map_or((bare, false), |(_, go, parser)| (*go, *parser))
    };
    // yaml-rust2 marks a few scanner errors at the start of the token where libyaml
    // marks the problem: the end of the text, the tab in the indentation.
    let at = marker_offset(text, error.marker().index());
    let problem_at = match problem {
        "found unexpected end of stream" => text.len(),
        "found a tab character that violates indentation" => {
            text[at..].find('\t').map_or(at, |i| at + i)
        }
        _ => at,
    };
    let zero_based = match problem_at == at {
        true => error.marker().line().saturating_sub(1),
        false => text[..problem_at].matches('\n').count(),
    };
    let line = match (zero_based, parser) {
        (0, _) => None,
        (l, true) => Some(l),
        (l, false) => Some(l + 1),
    };
    Syntax {
        line,
        problem: problem.to_owned(),
    }
}
