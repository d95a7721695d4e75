//! Go's regular expressions (`regexp`, RE2 syntax) on the `regex` crate:
//! one translation of a Go pattern into the crate's syntax, so that a pattern means
//! what it means in Go — ASCII `\d`, `\w`, `\s`, `\b` (the crate's are Unicode), `\Q…\E`
//! literals, octal escapes, Go's limits (repeat counts up to 1000, no stacked repetition
//! operators, `\8` and lone `\1`–`\7` rejected).
//! Contact points: Tanka's `-t` filters and `regexMatch`/`regexSubst` natives
//! ([`crate::tanka`]), the validator's `pattern` keyword and CEL's `matches`
//! ([`crate::validate`]).

use regex::{Regex, RegexBuilder};

/// Why a Go pattern cannot be used. `Display` is the reason alone (callers add Go's
/// `error parsing regexp: ` where Go does).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegexpError {
    /// Two repetition operators in a row (`a**`), which Go rejects.
    #[error("invalid nested repetition operator: `{0}`")]
    NestedRepetition(String),
    /// `\1`–`\7` not starting an octal escape (Go has no back-references).
    #[error("invalid escape sequence: `\\{0}`")]
    InvalidEscape(char),
    /// A repeat count above Go's 1000 (the counts as written, without braces).
    #[error("invalid repeat count: `{{{0}}}`")]
    RepeatCount(String),
    /// The `regex` crate rejects the translated pattern: its message, with lines
    /// longer than 200 characters cut.
    #[error("{0}")]
    Syntax(String),
}

/// Compiles a Go pattern: [`translate`], then the crate with octal escapes on.
pub fn compile(pattern: &str) -> Result<Regex, RegexpError> {
    let translated = translate(pattern)?;
    RegexBuilder::new(&translated)
        .octal(true)
        .build()
        .map_err(|e| RegexpError::Syntax(clip_lines(&e.to_string())))
}

/// `text` with every line longer than 200 characters cut there: the `regex` crate's
/// errors quote the whole pattern, and a pattern can be megabytes long.
fn clip_lines(text: &str) -> String {
    const MAX: usize = 200;
    text.lines()
        .map(|line| match line.char_indices().nth(MAX) {
            Some((cut, _)) => format!("{}… ({} bytes)", &line[..cut], line.len()),
            None => line.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Rewrites a Go RE2 pattern for the `regex` crate: Go's `\d`, `\w`, `\s`, `\b` and
/// their negations are ASCII-only (the crate's are Unicode), `\Q…\E` is literal text;
/// Go's limits are kept (repeat counts up to 1000, `\1`–`\7` only as the start of an
/// octal escape). Other syntax is shared.
pub fn translate(pattern: &str) -> Result<String, RegexpError> {
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut chars = pattern.chars();
    let mut in_class = false;
    // The repetition operator just written, if the last thing written was one: Go
    // rejects stacked operators (`a**`) that the crate accepts.
    let mut last_repeat: Option<String> = None;
    while let Some(c) = chars.next() {
        if !in_class {
            let op = match c {
                '*' | '+' | '?' => Some(c.to_string()),
                '{' => repeat_counts(chars.as_str())?.map(|counts| format!("{{{counts}}}")),
                _ => None,
            };
            if let Some(op) = op {
                if let Some(prev) = &last_repeat {
                    return Err(RegexpError::NestedRepetition(format!("{prev}{op}")));
                }
                out.push_str(&op);
                chars = chars.as_str()[op.len() - 1..].chars();
                let mut written = op;
                // A `?` right after an operator makes it non-greedy.
                if let Some(rest) = chars.as_str().strip_prefix('?') {
                    out.push('?');
                    written.push('?');
                    chars = rest.chars();
                }
                last_repeat = Some(written);
                continue;
            }
            last_repeat = None;
        }
        match c {
            '\\' => {
                let Some(n) = chars.next() else {
                    out.push('\\');
                    break;
                };
                if n == 'Q' && !in_class {
                    let rest = chars.as_str();
                    let (literal, after) = rest.split_once("\\E").unwrap_or((rest, ""));
                    out.push_str(&regex::escape(literal));
                    chars = after.chars();
                    continue;
                }
                if ('1'..='7').contains(&n)
                    && !chars.as_str().starts_with(|c| ('0'..='7').contains(&c))
                {
                    return Err(RegexpError::InvalidEscape(n));
                }
                let ascii = match n {
                    'd' => Some(("0-9", false)),
                    'D' => Some(("0-9", true)),
                    'w' => Some(("0-9A-Za-z_", false)),
                    'W' => Some(("0-9A-Za-z_", true)),
                    's' => Some((r"\t\n\f\r ", false)),
                    'S' => Some((r"\t\n\f\r ", true)),
                    _ => None,
                };
                match (ascii, in_class) {
                    (Some((set, false)), true) => out.push_str(set),
                    (Some((set, negated)), _) => {
                        out.push_str(if negated { "[^" } else { "[" });
                        out.push_str(set);
                        out.push(']');
                    }
                    (None, false) if n == 'b' || n == 'B' => {
                        out.push_str("(?-u:\\");
                        out.push(n);
                        out.push(')');
                    }
                    _ => {
                        out.push('\\');
                        out.push(n);
                        // `\p{Greek}`, `\x{41}`: the braces belong to the escape.
                        let rest = chars.as_str();
                        if matches!(n, 'p' | 'P' | 'x') && rest.starts_with('{') {
                            let end = rest.find('}').map_or(rest.len(), |i| i + 1);
                            out.push_str(&rest[..end]);
                            chars = rest[end..].chars();
                        }
                    }
                }
            }
            '[' if !in_class => {
                in_class = true;
                out.push('[');
                // A `]` or `^]` right after the opening bracket is literal.
                let rest = chars.as_str();
                for prefix in ["^]", "]", "^"] {
                    if let Some(after) = rest.strip_prefix(prefix) {
                        out.push_str(&prefix.replace(']', "\\]"));
                        chars = after.chars();
                        break;
                    }
                }
            }
            '[' if chars.as_str().starts_with(':') => {
                // A POSIX class such as `[:alpha:]` inside a bracket expression.
                let rest = chars.as_str();
                match rest.find(":]") {
                    Some(end) => {
                        out.push('[');
                        out.push_str(&rest[..end + 2]);
                        chars = rest[end + 2..].chars();
                    }
                    None => out.push_str("\\["),
                }
            }
            '[' => out.push_str("\\["),
            // Not a repetition (checked above): a literal brace in Go.
            '{' if !in_class => out.push_str("\\{"),
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            c => out.push(c),
        }
    }
    Ok(out)
}

/// The counts of a repetition `{n}`, `{n,}` or `{n,m}` whose text after `{` starts
/// `rest` (`None` when it is a literal brace, as in Go); counts above 1000 are an error.
fn repeat_counts(rest: &str) -> Result<Option<&str>, RegexpError> {
    let Some(end) = rest.find('}') else {
        return Ok(None);
    };
    let counts = &rest[..end];
    let (min, max) = counts.split_once(',').unwrap_or((counts, counts));
    let number = |n: &str| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit());
    if !number(min) || !(max.is_empty() || number(max)) {
        return Ok(None);
    }
    let too_big = |n: &str| n.parse::<u64>().map_or(!n.is_empty(), |n| n > 1000);
    if too_big(min) || too_big(max) {
        return Err(RegexpError::RepeatCount(counts.to_owned()));
    }
    Ok(Some(counts))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gocompat::golden;

    #[test]
    fn translation_is_ascii_and_go_limited() {
        assert_eq!(translate(r"\d+[\w-]").unwrap(), "[0-9]+[0-9A-Za-z_-]");
        assert_eq!(translate(r"[]a]\b").unwrap(), r"[\]a](?-u:\b)");
        assert_eq!(translate(r"\Qa.b\Ec").unwrap(), r"a\.bc");
        assert_eq!(
            translate(r"x{1001}"),
            Err(RegexpError::RepeatCount("1001".into()))
        );
        assert_eq!(translate(r"\1"), Err(RegexpError::InvalidEscape('1')));
        assert_eq!(translate(r"x{,3}a{2}").unwrap(), r"x\{,3}a{2}");
        assert_eq!(translate(r"\p{Greek}\x{41}").unwrap(), r"\p{Greek}\x{41}");
        assert_eq!(
            translate("a**"),
            Err(RegexpError::NestedRepetition("**".into()))
        );
        assert!(translate("a*?b+?").is_ok());
        assert!(matches!(compile("(a"), Err(RegexpError::Syntax(_))));
    }

    #[test]
    fn errors_read_as_go() {
        let text = |p: &str| compile(p).unwrap_err().to_string();
        assert_eq!(text("a**"), "invalid nested repetition operator: `**`");
        assert_eq!(text(r"\2"), r"invalid escape sequence: `\2`");
        assert_eq!(text("a{1001}"), "invalid repeat count: `{1001}`");
    }

    #[test]
    fn matches_as_go() {
        let cases = golden::cases("regex");
        assert!(cases.len() > 25);
        for case in cases {
            let (pattern, text) = (
                golden::field(&case, "pattern"),
                golden::field(&case, "text"),
            );
            let verdict = match compile(pattern) {
                Ok(re) => re.is_match(text).to_string(),
                Err(_) => "error".to_owned(),
            };
            assert_eq!(
                verdict,
                golden::field(&case, "match"),
                "{pattern:?} on {text:?}"
            );
        }
    }
}
