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
    /// The element between asterisks.
    Italic(Box<Elem>),
    /// A fenced code block: `` ```lang\nsnippet\n``` ``.
    CodeBlock(String, String),
    /// A bullet list; a nested list is indented by two spaces.
    List(Vec<Elem>),
    /// `[desc](href)`.
    Link(Box<Elem>, String),
    /// YAML front matter (the YAML text ends with a newline).
    Frontmatter(String),
    /// Elements joined with a separator (`"\n\n"` for a document, `" "` for a
    /// paragraph).
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
            Elem::Italic(e) => {
                out.push('*');
                e.write(out);
                out.push('*');
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

/// YAML (as `gopkg.in/yaml.v2` writes it, [`crate::manifest::yaml_v2`]) of a one-key
/// mapping with a string value: `key: value\n`, the value plain when it can be.
pub fn yaml_string_entry(key: &str, value: &str) -> String {
    let mut entry = serde_json::Map::new();
    entry.insert(key.to_owned(), serde_json::Value::String(value.to_owned()));
    crate::manifest::yaml_v2::marshal(&serde_json::Value::Object(entry))
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
    fn front_matter_quotes_as_yaml_v2() {
        let entry = |v: &str| yaml_string_entry("k", v);
        assert_eq!(
            entry("/0.8-experimental/gateway/"),
            "k: /0.8-experimental/gateway/\n"
        );
        assert_eq!(entry("1.0"), "k: \"1.0\"\n");
        assert_eq!(entry("a: b"), "k: 'a: b'\n");
        assert_eq!(entry(""), "k: \"\"\n");
    }
}
