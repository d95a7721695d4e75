//! Markdown building blocks with docsonnet v0.0.5's exact string forms (`pkg/md`):
//! documents join their parts with a blank line and end without a newline, lists nest
//! by two spaces, front matter is YAML between `---` lines.

/// One markdown element.
#[derive(Debug, Clone)]
pub enum Elem {
    /// Verbatim text.
    Text(String),
    /// `#`×level, a space, the content.
    Headline(usize, String),
    /// The element between backticks.
    Code(Box<Elem>),
    /// A fenced code block: `` ```lang\nsnippet\n``` ``.
    CodeBlock(String, String),
    /// A bullet list; a nested list is indented by two spaces.
    List(Vec<Elem>),
    /// `[desc](href)`.
    Link(Box<Elem>, String),
    /// YAML front matter (the YAML text ends with a newline).
    Frontmatter(String),
    /// Elements joined with a separator (`"\n\n"` for a document).
    Join(Vec<Elem>, &'static str),
}

impl Elem {
    /// A whole document: the elements separated by blank lines.
    pub fn doc(elems: Vec<Elem>) -> Elem {
        Elem::Join(elems, "\n\n")
    }

    /// The element as markdown text.
    pub fn render(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            Elem::Text(t) => out.push_str(t),
            Elem::Headline(level, content) => {
                out.push_str(&"#".repeat(*level));
                out.push(' ');
                out.push_str(content);
            }
            Elem::Code(e) => {
                out.push('`');
                e.write(out);
                out.push('`');
            }
            Elem::CodeBlock(lang, snippet) => {
                out.push_str("```");
                out.push_str(lang);
                out.push('\n');
                out.push_str(snippet);
                out.push_str("\n```");
            }
            Elem::List(elems) => {
                let mut s = String::new();
                for e in elems {
                    match e {
                        Elem::List(_) => {
                            s.push_str("\n  ");
                            s.push_str(&e.render().replace('\n', "\n  "));
                        }
                        _ => {
                            s.push_str("\n* ");
                            e.write(&mut s);
                        }
                    }
                }
                out.push_str(s.strip_prefix('\n').unwrap_or(&s));
            }
            Elem::Link(desc, href) => {
                out.push('[');
                desc.write(out);
                out.push_str("](");
                out.push_str(href);
                out.push(')');
            }
            Elem::Frontmatter(yaml) => {
                out.push_str("---\n");
                out.push_str(yaml);
                out.push_str("---");
            }
            Elem::Join(elems, with) => {
                for (i, e) in elems.iter().enumerate() {
                    if i > 0 {
                        out.push_str(with);
                    }
                    e.write(out);
                }
            }
        }
    }
}

/// YAML (as `gopkg.in/yaml.v2` writes it) of a one-key mapping with a string value:
/// `key: value\n`, the value plain when it can be, quoted otherwise.
pub fn yaml_string_entry(key: &str, value: &str) -> String {
    format!("{key}: {}\n", yaml_scalar(value))
}

/// A YAML scalar for a string: plain if it reads back as the same string, else quoted
/// (single quotes, or double quotes when it contains characters that need escapes).
fn yaml_scalar(s: &str) -> String {
    if s.is_empty() {
        return "\"\"".to_string();
    }
    if yaml_plain_ok(s) {
        return s.to_string();
    }
    if s.chars().any(|c| c.is_control()) {
        return serde_json::Value::String(s.to_string()).to_string();
    }
    if yaml_resolves_to_non_string(s) {
        return format!("\"{s}\"");
    }
    format!("'{}'", s.replace('\'', "''"))
}

fn yaml_plain_ok(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if "-?:,[]{}#&*!|>'\"%@`".contains(first)
        && !(matches!(first, '-' | '?' | ':') && s.len() > 1 && !s[1..].starts_with(' '))
    {
        return false;
    }
    !(s.starts_with(' ')
        || s.ends_with(' ')
        || s.ends_with(':')
        || s.contains(": ")
        || s.contains(" #")
        || s.chars().any(|c| c.is_control())
        || yaml_resolves_to_non_string(s))
}

fn yaml_resolves_to_non_string(s: &str) -> bool {
    const WORDS: &[&str] = &[
        "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE", "y", "Y",
        "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF",
        ".inf", ".Inf", ".INF", "-.inf", "-.Inf", "-.INF", "+.inf", ".nan", ".NaN", ".NAN",
    ];
    if WORDS.contains(&s) {
        return true;
    }
    let t = s.replace('_', "");
    let t = t.strip_prefix(['+', '-']).unwrap_or(&t);
    !t.is_empty()
        && (t.parse::<f64>().is_ok()
            && t.chars().all(|c| c.is_ascii_digit() || ".eE+-".contains(c))
            || t.strip_prefix("0x")
                .is_some_and(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_hexdigit()))
            || t.strip_prefix("0b")
                .is_some_and(|b| !b.is_empty() && b.chars().all(|c| c == '0' || c == '1')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_nest_by_two_spaces() {
        let l = Elem::List(vec![
            Elem::Text("a".into()),
            Elem::List(vec![
                Elem::Text("b".into()),
                Elem::List(vec![Elem::Text("c".into())]),
            ]),
            Elem::List(vec![]),
        ]);
        assert_eq!(l.render(), "* a\n  * b\n    * c\n  ");
    }

    #[test]
    fn documents_join_with_blank_lines() {
        let d = Elem::doc(vec![
            Elem::Frontmatter(yaml_string_entry("permalink", "/x/")),
            Elem::Headline(1, "t".into()),
            Elem::Text(String::new()),
            Elem::CodeBlock("ts".into(), "f(a)".into()),
        ]);
        assert_eq!(
            d.render(),
            "---\npermalink: /x/\n---\n\n# t\n\n\n\n```ts\nf(a)\n```"
        );
    }

    #[test]
    fn yaml_quotes_when_needed() {
        assert_eq!(
            yaml_scalar("/0.8-experimental/gateway/"),
            "/0.8-experimental/gateway/"
        );
        assert_eq!(yaml_scalar("1.0"), "\"1.0\"");
        assert_eq!(yaml_scalar("a: b"), "'a: b'");
        assert_eq!(yaml_scalar(""), "\"\"");
    }
}
