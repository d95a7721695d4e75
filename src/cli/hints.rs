//! Hints for a jsonnet-mode command line that failed to parse: the mistakes a user
//! meets first, answered with the fix in go-jsonnet's one-line `ERROR: …` style.
//!
//! - nothing to evaluate (a bare `gwsonnet`): go-jsonnet's `must give filename`, then,
//!   as go-jsonnet and C++ jsonnet do, the usage (here the usage lines and a pointer
//!   to `--help`, not the whole help), exit 1 as before;
//! - a command after flags (`gwsonnet --crds X validate f`): commands come first, with
//!   the command line reordered;
//! - a misspelt command (`gwsonnet valdate f`, no such file either): the nearest
//!   command's name.
//!
//! Only failures get hints: a file named like a command is evaluated as before. Contact
//! points: [`super::commands::parse`] hands its jsonnet-mode errors to
//! [`jsonnet_usage`]; `help <command>` uses [`did_you_mean`].

use std::path::Path;

use super::commands::{command_names, usage};
use super::flags::FLAGS;
use crate::error::{Error, UsageError};

/// `e`, the error of the jsonnet-mode command line `args`, with a hint when one fits.
pub fn jsonnet_usage(args: &[String], e: Error) -> Error {
    if let Error::Usage {
        command: None,
        source: UsageError::MustGive { what, usage: None },
    } = e
    {
        let usage = Some(usage());
        return UsageError::MustGive { what, usage }.into();
    }
    with_command_hint(args, e)
}

/// `e`, or the hint about a command name among `args` when there is one.
fn with_command_hint(args: &[String], e: Error) -> Error {
    let Some(at) = first_operand(args) else {
        return e;
    };
    let word = args[at].as_str();
    if Path::new(word).exists() {
        return e;
    }
    if at > 0 && command_names().any(|c| c == word) {
        let reordered: Vec<String> = std::iter::once(word)
            .chain(
                args.iter()
                    .enumerate()
                    .filter(|(i, _)| *i != at)
                    .map(|(_, a)| a.as_str()),
            )
            .map(shell_word)
            .collect();
        return UsageError::CommandAfterFlags {
            command: word.to_owned(),
            reordered,
        }
        .into();
    }
    if at == 0 && !word.contains(['.', '/']) {
        if let Some(near) = did_you_mean(word, command_names()) {
            return UsageError::NotACommandOrFile {
                word: word.to_owned(),
                near,
            }
            .into();
        }
    }
    e
}

/// The index of the first argument that is neither a flag nor a flag's value
/// (options before it as the jsonnet mode reads them; a long flag of any command is
/// known by its name, so a misplaced `--output json` is stepped over too).
fn first_operand(args: &[String]) -> Option<usize> {
    let takes_value = |f: &super::flags::Flag| f.takes.value_name().is_some();
    let jsonnet_flags: Vec<&super::flags::Flag> =
        super::flags::flags_of(super::commands::JSONNET.groups).collect();
    let mut i = 0;
    while i < args.len() {
        let arg = args[i].as_str();
        if arg == "--" {
            return (i + 1 < args.len()).then_some(i + 1);
        }
        if let Some(long) = arg.strip_prefix("--") {
            if !long.contains('=') && FLAGS.iter().any(|f| f.long == long && takes_value(f)) {
                i += 1;
            }
        } else if arg.len() > 1 && arg.starts_with('-') {
            // `-abc` is `-a -b -c`; a value flag takes the rest, or the next argument.
            let shorts: Vec<char> = arg[1..].chars().collect();
            for (k, c) in shorts.iter().enumerate() {
                let value = jsonnet_flags
                    .iter()
                    .any(|f| f.short == Some(*c) && takes_value(f));
                if value {
                    if k + 1 == shorts.len() {
                        i += 1;
                    }
                    break;
                }
            }
        } else {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// `word` quoted for a shell when it needs quoting.
fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,@%+".contains(c));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// The candidate nearest to `word` when it is near enough to be a slip of the
/// keyboard: at most two edits (optimal string alignment: a swap of neighbours is
/// one), and fewer than half of `word`'s letters.
pub fn did_you_mean<'c>(word: &str, candidates: impl Iterator<Item = &'c str>) -> Option<&'c str> {
    let len = word.chars().count();
    candidates
        .map(|c| (strsim::osa_distance(word, c), c))
        .filter(|(d, _)| *d <= 2 && 2 * d < len)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn near_names_are_suggested_and_far_ones_are_not() {
        let names = ["show", "eval", "export", "validate", "man"];
        assert_eq!(did_you_mean("valdate", names.into_iter()), Some("validate"));
        assert_eq!(did_you_mean("shwo", names.into_iter()), Some("show"));
        assert_eq!(did_you_mean("exprot", names.into_iter()), Some("export"));
        assert_eq!(did_you_mean("routes", names.into_iter()), None);
        // Too short to judge: one edit in two letters is half the word.
        assert_eq!(did_you_mean("ma", names.into_iter()), None);
        assert_eq!(strsim::osa_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn the_first_operand_skips_flags_and_their_values() {
        assert_eq!(first_operand(&args(&["--crds", "x", "validate"])), Some(2));
        assert_eq!(first_operand(&args(&["--crds=x", "validate"])), Some(1));
        assert_eq!(first_operand(&args(&["-Sy", "-J", "v", "f"])), Some(3));
        assert_eq!(first_operand(&args(&["-Jv", "f"])), Some(1));
        assert_eq!(first_operand(&args(&["--output", "json", "f"])), Some(2));
        assert_eq!(first_operand(&args(&["--", "-x"])), Some(1));
        assert_eq!(first_operand(&args(&["-e"])), None);
    }

    #[test]
    fn words_are_quoted_for_the_shell_when_needed() {
        assert_eq!(shell_word("a/b.jsonnet"), "a/b.jsonnet");
        assert_eq!(shell_word("it's x"), r"'it'\''s x'");
        assert_eq!(shell_word(""), "''");
    }
}
