//! Go's `text/template` as Tanka's name formats use it: the subset its templates need
//! (text, `{{ }}` actions with `-` trimming, `.field.paths`, string literals, pipelines
//! with `|`) with `print` and the sprig functions `snakecase`, `kebabcase`, `lower`,
//! `upper`, `trim` and `replace`; anything else is a clear error. Values print as
//! `fmt.Sprint` does ([`super::float`] for numbers). Used by `helmTemplate` and
//! `kustomizeBuild`'s `nameFormat` ([`crate::engine`]'s Tanka natives); `export`'s file
//! names ([`crate::tanka::export`]) add Go's `or`, `and`, `not`, `index`, sprig's
//! `default`, and Tanka's `env` (the environment, also as `env.a.b`).
//! Goldens made with Go: `tests/testdata/tanka_natives/`.

use super::float;
use super::json::Value;

/// Why a name format cannot be parsed or rendered. `Display` is the message (Go's
/// `template: …` words for rendering; gwsonnet's own for the subset it parses).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TemplateError {
    /// `{{` without its `}}`.
    #[error("unclosed action")]
    UnclosedAction,
    /// An action outside the supported subset (the action's text).
    #[error("unsupported action {0:?}")]
    UnsupportedAction(String),
    /// A string literal without its closing quote.
    #[error("unterminated string")]
    UnterminatedString,
    /// A number literal Rust cannot read.
    #[error("unsupported number {0:?}")]
    UnsupportedNumber(String),
    /// A function name not in [`FUNCTIONS`].
    #[error("function {0:?} not defined (gwsonnet knows {known})", known = FUNCTIONS.join(", "))]
    UnknownFunction(String),
    /// Fields after a function other than `env` (`print.x`).
    #[error("unsupported fields after {word:?} in {action:?}")]
    FieldsAfterFunction {
        /// The function.
        word: String,
        /// The action.
        action: String,
    },
    /// A field of a value that is no object.
    #[error("template: can't evaluate field {0} in a non-object")]
    FieldOfNonObject(String),
    /// `env` where the template has no environment.
    #[error("template: function \"env\" not defined here")]
    NoEnv,
    /// A function called with the wrong number of arguments: `want`/`got` when Go
    /// names them (`None` for `or` and `and` without arguments).
    #[error("template: wrong number of args for {name}{}", counts.map(|(want, got)| format!(": want {want} got {got}")).unwrap_or_default())]
    ArgumentCount {
        /// The function.
        name: String,
        /// What it wants and what it got.
        counts: Option<(usize, usize)>,
    },
    /// `index` without arguments.
    #[error("template: wrong number of args for index: want at least 1 got 0")]
    IndexWithoutArguments,
    /// `index` past an array's end (or not an integer).
    #[error("template: index: index out of range: {0}")]
    IndexOutOfRange(f64),
    /// `index` of a missing value.
    #[error("template: index of untyped nil")]
    IndexOfNil,
    /// `index` of a value that the key cannot index.
    #[error("template: index: cannot index this value with this key")]
    CannotIndex,
    /// A piped value given to an operand.
    #[error("template: can't give argument to non-function")]
    ArgumentToNonFunction,
    /// A string function given something else.
    #[error("template: {0}: wrong type for value; expected string")]
    NotAString(String),
    /// An object or array printed into a name.
    #[error("template: a name cannot contain an object or array")]
    NotPrintable,
}

/// A parsed name format.
pub struct Template {
    parts: Vec<Part>,
}

/// Literal text or an action's pipeline.
enum Part {
    Text(String),
    Action(Vec<Command>),
}

/// One command of a pipeline: a function with arguments, or a single operand.
enum Command {
    Call(String, Vec<Operand>),
    Operand(Operand),
}

enum Operand {
    /// `.a.b` (empty for `.`).
    Field(Vec<String>),
    /// A string literal.
    Str(String),
    /// A number literal.
    Num(f64),
    /// `env` followed by fields: `env.metadata.name`.
    EnvFields(Vec<String>),
}

/// A value while rendering: a JSON value or Go's missing-key `nil`.
#[derive(Clone)]
enum Data {
    Value(Value),
    Nil,
}

impl Template {
    /// Parses a template; unsupported syntax is an error naming it.
    pub fn parse(text: &str) -> Result<Self, TemplateError> {
        let mut parts = Vec::new();
        let mut rest = text;
        let mut trim_next = false;
        while let Some(open) = rest.find("{{") {
            let mut literal = &rest[..open];
            if trim_next {
                literal = literal.trim_start();
            }
            let mut inner = &rest[open + 2..];
            if let Some(t) = inner.strip_prefix("- ") {
                literal = literal.trim_end();
                inner = t;
            }
            if !literal.is_empty() {
                parts.push(Part::Text(literal.to_owned()));
            }
            let close = inner.find("}}").ok_or(TemplateError::UnclosedAction)?;
            let mut action = &inner[..close];
            trim_next = false;
            if let Some(a) = action.strip_suffix(" -") {
                action = a;
                trim_next = true;
            }
            parts.push(Part::Action(parse_pipeline(action)?));
            rest = &inner[close + 2..];
        }
        let literal = if trim_next { rest.trim_start() } else { rest };
        if !literal.is_empty() {
            parts.push(Part::Text(literal.to_owned()));
        }
        Ok(Self { parts })
    }

    /// Renders the template with `dot` as `.`.
    pub fn render(&self, dot: &Value) -> Result<String, TemplateError> {
        self.render_with_env(dot, None)
    }

    /// Renders the template with `dot` as `.` and `env` as the value of the `env`
    /// function (`None`: the function is not defined).
    pub fn render_with_env(
        &self,
        dot: &Value,
        env: Option<&Value>,
    ) -> Result<String, TemplateError> {
        let ctx = Ctx { dot, env };
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Action(pipeline) => {
                    let mut piped: Option<Data> = None;
                    for command in pipeline {
                        piped = Some(run(command, &ctx, piped)?);
                    }
                    match piped {
                        Some(Data::Nil) | None => out.push_str("<no value>"),
                        Some(Data::Value(v)) => out.push_str(&sprint(&Data::Value(v))?),
                    }
                }
            }
        }
        Ok(out)
    }
}

/// Splits an action into the tokens of its commands.
fn parse_pipeline(action: &str) -> Result<Vec<Command>, TemplateError> {
    let mut commands = Vec::new();
    let mut tokens: Vec<Operand> = Vec::new();
    let mut name: Option<String> = None;
    let mut chars = action.trim().chars().peekable();
    let finish =
        |name: &mut Option<String>, tokens: &mut Vec<Operand>, commands: &mut Vec<Command>| {
            let args = std::mem::take(tokens);
            match name.take() {
                Some(n) => commands.push(Command::Call(n, args)),
                None if args.len() == 1 => {
                    commands.push(Command::Operand(args.into_iter().next().expect("one")))
                }
                None => return Err(TemplateError::UnsupportedAction(action.to_owned())),
            }
            Ok(())
        };
    while let Some(&c) = chars.peek() {
        match c {
            ' ' | '\t' => {
                chars.next();
            }
            '|' => {
                chars.next();
                finish(&mut name, &mut tokens, &mut commands)?;
            }
            '"' => {
                chars.next();
                let mut s = String::new();
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some('n') => s.push('\n'),
                            Some('t') => s.push('\t'),
                            Some(o) => s.push(o),
                            None => return Err(TemplateError::UnterminatedString),
                        },
                        Some(o) => s.push(o),
                        None => return Err(TemplateError::UnterminatedString),
                    }
                }
                tokens.push(Operand::Str(s));
            }
            '`' => {
                chars.next();
                let s: String = chars.by_ref().take_while(|c| *c != '`').collect();
                tokens.push(Operand::Str(s));
            }
            '.' => {
                let word: String = std::iter::from_fn(|| {
                    chars.next_if(|c| !c.is_whitespace() && !"|()\"".contains(*c))
                })
                .collect();
                let path = word
                    .split('.')
                    .skip(1)
                    .filter(|p| !p.is_empty())
                    .map(str::to_owned)
                    .collect();
                tokens.push(Operand::Field(path));
            }
            c if c.is_ascii_digit() || c == '-' => {
                let word: String = std::iter::from_fn(|| {
                    chars.next_if(|c| c.is_ascii_alphanumeric() || ".+-_".contains(*c))
                })
                .collect();
                let n = word
                    .parse::<f64>()
                    .map_err(|_| TemplateError::UnsupportedNumber(word.clone()))?;
                tokens.push(Operand::Num(n));
            }
            c if c.is_alphabetic() => {
                let word: String =
                    std::iter::from_fn(|| chars.next_if(|c| c.is_alphanumeric() || *c == '_'))
                        .collect();
                if !FUNCTIONS.contains(&word.as_str()) {
                    return Err(TemplateError::UnknownFunction(word));
                }
                if chars.peek() == Some(&'.') {
                    if word != "env" {
                        return Err(TemplateError::FieldsAfterFunction {
                            word,
                            action: action.to_owned(),
                        });
                    }
                    // `env.metadata.name`: the function's result, then fields.
                    let fields: String = std::iter::from_fn(|| {
                        chars.next_if(|c| !c.is_whitespace() && !"|()\"".contains(*c))
                    })
                    .collect();
                    let path = fields
                        .split('.')
                        .filter(|p| !p.is_empty())
                        .map(str::to_owned)
                        .collect();
                    tokens.push(Operand::EnvFields(path));
                    continue;
                }
                if name.is_some() || !tokens.is_empty() {
                    return Err(TemplateError::UnsupportedAction(action.to_owned()));
                }
                if !FUNCTIONS.contains(&word.as_str()) {
                    return Err(TemplateError::UnknownFunction(word));
                }
                name = Some(word);
            }
            _ => return Err(TemplateError::UnsupportedAction(action.to_owned())),
        }
    }
    finish(&mut name, &mut tokens, &mut commands)?;
    Ok(commands)
}

/// The functions name formats may call.
const FUNCTIONS: &[&str] = &[
    "print",
    "snakecase",
    "kebabcase",
    "lower",
    "upper",
    "trim",
    "replace",
    "or",
    "and",
    "not",
    "index",
    "default",
    "env",
];

/// What a template sees: `.` and the value of `env`.
struct Ctx<'a> {
    dot: &'a Value,
    env: Option<&'a Value>,
}

/// The fields `path` of `start` (Go's missing key gives `nil`, and `nil` has only
/// `nil` fields).
fn walk(start: Data, path: &[String]) -> Result<Data, TemplateError> {
    let mut cur = start;
    for key in path {
        cur = match cur {
            Data::Value(Value::Object(entries)) => entries
                .into_iter()
                .find(|(k, _)| k == key)
                .map_or(Data::Nil, |(_, v)| Data::Value(v)),
            Data::Nil => Data::Nil,
            Data::Value(_) => return Err(TemplateError::FieldOfNonObject(key.clone())),
        };
    }
    Ok(cur)
}

/// `env`'s value, or the error of a template that has none.
fn env_value(ctx: &Ctx) -> Result<Data, TemplateError> {
    ctx.env
        .map(|e| Data::Value(e.clone()))
        .ok_or(TemplateError::NoEnv)
}

/// Go's truth of a template value: not nil, false, 0, "" or empty.
fn truth(d: &Data) -> bool {
    match d {
        Data::Nil | Data::Value(Value::Null) => false,
        Data::Value(Value::Bool(b)) => *b,
        Data::Value(Value::Number(n)) => *n != 0.0,
        Data::Value(Value::String(s)) => !s.is_empty(),
        Data::Value(Value::Array(a)) => !a.is_empty(),
        Data::Value(Value::Object(o)) => !o.is_empty(),
    }
}

/// Go's `index`: map keys and array positions, one after the other.
fn index(values: Vec<Data>) -> Result<Data, TemplateError> {
    let mut it = values.into_iter();
    let mut cur = it.next().ok_or(TemplateError::IndexWithoutArguments)?;
    for key in it {
        cur = match (cur, key) {
            (Data::Value(Value::Object(entries)), Data::Value(Value::String(k))) => entries
                .into_iter()
                .find(|(name, _)| *name == k)
                .map_or(Data::Nil, |(_, v)| Data::Value(v)),
            (Data::Value(Value::Array(items)), Data::Value(Value::Number(n))) => {
                let i = n as usize;
                if n < 0.0 || n.fract() != 0.0 || i >= items.len() {
                    return Err(TemplateError::IndexOutOfRange(n));
                }
                Data::Value(items[i].clone())
            }
            (Data::Nil, _) => return Err(TemplateError::IndexOfNil),
            _ => return Err(TemplateError::CannotIndex),
        };
    }
    Ok(cur)
}

fn operand(op: &Operand, ctx: &Ctx) -> Result<Data, TemplateError> {
    match op {
        Operand::Str(s) => Ok(Data::Value(Value::String(s.clone()))),
        Operand::Num(n) => Ok(Data::Value(Value::Number(*n))),
        Operand::Field(path) => walk(Data::Value(ctx.dot.clone()), path),
        Operand::EnvFields(path) => walk(env_value(ctx)?, path),
    }
}

fn run(command: &Command, ctx: &Ctx, piped: Option<Data>) -> Result<Data, TemplateError> {
    let (name, args) = match command {
        Command::Operand(op) => {
            if piped.is_some() {
                return Err(TemplateError::ArgumentToNonFunction);
            }
            return operand(op, ctx);
        }
        Command::Call(name, args) => (name, args),
    };
    let mut values = args
        .iter()
        .map(|a| operand(a, ctx))
        .collect::<Result<Vec<_>, _>>()?;
    values.extend(piped);
    let want = |n: usize| match values.len() == n {
        true => Ok(()),
        false => Err(TemplateError::ArgumentCount {
            name: name.clone(),
            counts: Some((n, values.len())),
        }),
    };
    match name.as_str() {
        "env" => {
            want(0)?;
            return env_value(ctx);
        }
        "or" | "and" => {
            if values.is_empty() {
                return Err(TemplateError::ArgumentCount {
                    name: name.clone(),
                    counts: None,
                });
            }
            let stop = name == "or";
            let last = values.len() - 1;
            let i = values.iter().position(|v| truth(v) == stop).unwrap_or(last);
            return Ok(values.swap_remove(i));
        }
        "not" => {
            want(1)?;
            return Ok(Data::Value(Value::Bool(!truth(&values[0]))));
        }
        "index" => return index(values),
        "default" => {
            // sprig: the given (last) value unless it is empty, else the default.
            if values.is_empty() || values.len() > 2 {
                want(2)?;
            }
            let given = match values.len() {
                2 => values.pop(),
                _ => None,
            };
            return Ok(match given {
                Some(g) if truth(&g) => g,
                _ => values.swap_remove(0),
            });
        }
        _ => {}
    }
    if name == "print" {
        // fmt.Sprint: a space between operands when neither is a string.
        let mut out = String::new();
        for (i, v) in values.iter().enumerate() {
            let is_str = |d: &Data| matches!(d, Data::Value(Value::String(_)));
            if i > 0 && !is_str(v) && !is_str(&values[i - 1]) {
                out.push(' ');
            }
            out.push_str(&sprint(v)?);
        }
        return Ok(Data::Value(Value::String(out)));
    }
    let strings = values
        .iter()
        .map(|v| match v {
            Data::Value(Value::String(s)) => Ok(s.as_str()),
            _ => Err(TemplateError::NotAString(name.clone())),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let arity = if name == "replace" { 3 } else { 1 };
    if strings.len() != arity {
        return Err(TemplateError::ArgumentCount {
            name: name.clone(),
            counts: Some((arity, strings.len())),
        });
    }
    let s = strings[arity - 1];
    Ok(Data::Value(Value::String(match name.as_str() {
        "snakecase" => lower_words(s, '_'),
        "kebabcase" => lower_words(s, '-'),
        "lower" => s.to_lowercase(),
        "upper" => s.to_uppercase(),
        "trim" => s.trim().to_owned(),
        _ => s.replace(strings[0], strings[1]),
    })))
}

/// Go's `%v` of a value as `fmt.Sprint` prints it.
fn sprint(v: &Data) -> Result<String, TemplateError> {
    Ok(match v {
        Data::Nil | Data::Value(Value::Null) => "<nil>".into(),
        Data::Value(Value::String(s)) => s.clone(),
        Data::Value(Value::Bool(b)) => b.to_string(),
        Data::Value(Value::Number(f)) => float::format_g(*f),
        Data::Value(_) => return Err(TemplateError::NotPrintable),
    })
}

/// The kinds of word sprig's `snakecase` (huandu/xstrings `ToSnakeCase`, v1.4) splits
/// a text into.
#[derive(Clone, Copy, PartialEq)]
enum Word {
    Number,
    Upper,
    Alphabet,
    Connector,
    Punct,
    Other,
}

fn is_connector(c: char) -> bool {
    c == '-' || c == '_' || c.is_whitespace()
}

/// Go's `unicode.IsPunct` for ASCII (symbols such as `$+<=>^|~` are not punctuation);
/// other scripts' punctuation is not recognised.
fn is_punct(c: char) -> bool {
    "!\"#%&'()*,-./:;?@[\\]_{}".contains(c)
}

/// xstrings' `isAlphabet`: a letter outside the CJK blocks.
fn is_alphabet(c: char) -> bool {
    c.is_alphabetic() && (c as u32) < 0x2E80
}

/// The next word of `s` (never empty) and the rest.
fn next_word(s: &str) -> (Word, &str, &str) {
    let mut it = s.char_indices().peekable();
    let (_, first) = it.next().expect("next_word of an empty text");
    let end_while = |from: usize, keep: &dyn Fn(char) -> bool| -> usize {
        s[from..]
            .char_indices()
            .find(|&(_, c)| !keep(c))
            .map_or(s.len(), |(i, _)| from + i)
    };
    let after_first = first.len_utf8();
    let (kind, end) = if is_connector(first) {
        (Word::Connector, end_while(after_first, &is_connector))
    } else if is_punct(first) {
        (Word::Punct, end_while(after_first, &is_punct))
    } else if first.is_uppercase() {
        match s[after_first..].chars().next() {
            Some(c) if c.is_uppercase() => {
                let end = end_while(after_first, &|c: char| c.is_uppercase());
                // "HTTPStatus" is "HTTP" and "Status": a capital run followed by a
                // letter gives its last capital to the next word.
                match s[end..].chars().next() {
                    Some(next) if is_alphabet(next) => {
                        let last = s[..end].chars().next_back().map_or(0, char::len_utf8);
                        (Word::Upper, end - last)
                    }
                    _ => (Word::Upper, end),
                }
            }
            Some(c) if is_alphabet(c) => (
                Word::Upper,
                end_while(after_first, &|c: char| is_alphabet(c) && !c.is_uppercase()),
            ),
            _ => (Word::Upper, after_first),
        }
    } else if is_alphabet(first) {
        (
            Word::Alphabet,
            end_while(after_first, &|c: char| is_alphabet(c) && !c.is_uppercase()),
        )
    } else if first.is_numeric() {
        (
            Word::Number,
            end_while(after_first, &|c: char| c.is_numeric()),
        )
    } else {
        (
            Word::Other,
            end_while(after_first, &|c: char| {
                !(is_connector(c) || is_alphabet(c) || c.is_numeric() || is_punct(c))
            }),
        )
    };
    (kind, &s[..end], &s[end..])
}

/// Appends a word lowercased (capital and connector words, connectors becoming `sep`;
/// others as they are).
fn push_lower(out: &mut String, kind: Word, word: &str, sep: char) {
    if kind != Word::Upper && kind != Word::Connector {
        out.push_str(word);
        return;
    }
    for c in word.chars() {
        if is_connector(c) {
            out.push(sep);
        } else {
            out.extend(c.to_lowercase());
        }
    }
}

/// sprig's `snakecase` (`sep` `_`) and `kebabcase` (`-`), that is xstrings'
/// `camelCaseToLowerCase` as of v1.4: words split at case changes, numbers kept with
/// the word before them, connectors (`-`, `_`, spaces) become `sep`, punctuation kept;
/// all lowercased.
fn lower_words(s: &str, sep: char) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    if s.is_empty() {
        return out;
    }
    let next = |rest: &str| -> Option<(Word, String, String)> {
        (!rest.is_empty()).then(|| {
            let (k, w, r) = next_word(rest);
            (k, w.to_owned(), r.to_owned())
        })
    };
    let (mut kind, mut word, mut rest) = next(s).expect("not empty");
    while !rest.is_empty() {
        if kind != Word::Connector {
            push_lower(&mut out, kind, &word, sep);
        }
        let (prev, last) = (kind, word.clone());
        (kind, word, rest) = next(&rest).expect("rest is not empty");
        match prev {
            Word::Number => {
                while matches!(kind, Word::Alphabet | Word::Number) {
                    push_lower(&mut out, kind, &word, sep);
                    match next(&rest) {
                        Some(n) => (kind, word, rest) = n,
                        None => return finish(out, None, "", sep),
                    }
                }
                if !matches!(kind, Word::Punct | Word::Connector) {
                    out.push(sep);
                }
            }
            Word::Connector => push_lower(&mut out, prev, &last, sep),
            Word::Punct => {}
            _ => {
                if kind != Word::Number {
                    if !matches!(kind, Word::Connector | Word::Punct) {
                        out.push(sep);
                    }
                    continue;
                }
                if rest.is_empty() {
                    continue;
                }
                let number = word.clone();
                (kind, word, rest) = next(&rest).expect("rest is not empty");
                if kind != Word::Alphabet {
                    // "Bld4Floor" is "bld4_floor".
                    push_lower(&mut out, Word::Number, &number, sep);
                    if !matches!(kind, Word::Connector | Word::Punct) {
                        out.push(sep);
                    }
                    continue;
                }
                // "HTTP2xx" is "http_2xx".
                out.push(sep);
                push_lower(&mut out, Word::Number, &number, sep);
                while matches!(kind, Word::Alphabet | Word::Number) {
                    push_lower(&mut out, kind, &word, sep);
                    match next(&rest) {
                        Some(n) => (kind, word, rest) = n,
                        None => return finish(out, None, "", sep),
                    }
                }
                if !matches!(kind, Word::Connector | Word::Punct) {
                    out.push(sep);
                }
            }
        }
    }
    finish(out, Some(kind), &word, sep)
}

/// The last word of [`lower_words`].
fn finish(mut out: String, kind: Option<Word>, word: &str, sep: char) -> String {
    if let Some(kind) = kind {
        push_lower(&mut out, kind, word, sep);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pairs computed by Go with xstrings (see the test data's README).
    #[test]
    fn snake_case_like_xstrings() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/testdata/tanka_natives/snakecase.json"
        );
        let pairs: Vec<(String, String)> =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let wrong: Vec<_> = pairs
            .iter()
            .filter(|(input, want)| lower_words(input, '_') != *want)
            .map(|(input, want)| {
                format!(
                    "{input:?}: want {want:?}, got {:?}",
                    lower_words(input, '_')
                )
            })
            .collect();
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    /// Templates rendered by Go's text/template (see the test data's README).
    #[test]
    fn name_formats_like_text_template() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/testdata/tanka_natives/name_formats.json"
        );
        let data: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let docs: Vec<Value> = data["docs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                crate::gocompat::json::parse(&d.to_string())
                    .and_then(|n| n.to_value())
                    .unwrap()
            })
            .collect();
        let mut wrong = Vec::new();
        for r in data["results"].as_array().unwrap() {
            let template = r["template"].as_str().unwrap();
            let doc = &docs[r["doc"].as_u64().unwrap() as usize];
            let got = Template::parse(template).and_then(|t| t.render(doc));
            let ok = match (&got, r["ok"].as_str()) {
                (Ok(g), Some(w)) => g == w,
                (Err(_), None) => true,
                _ => false,
            };
            if !ok {
                wrong.push(format!(
                    "{template} on doc {}: want {r}, got {got:?}",
                    r["doc"]
                ));
            }
        }
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    #[test]
    fn numbers_print_as_go_percent_v() {
        // Go's text/template prints a float64 with `%v`: `1e+06`, not `1000000`
        // (the values of the Go-made `tests/testdata/gocompat/golden.jsonl`).
        let doc = crate::gocompat::json::parse(
            r#"{"spec": {"a": 1000000, "b": 1000000.5, "c": 123456, "d": 0.00001, "e": 1e21}}"#,
        )
        .and_then(|n| n.to_value())
        .unwrap();
        let t =
            Template::parse("{{.spec.a}}_{{.spec.b}}_{{.spec.c}}_{{.spec.d}}_{{.spec.e}}").unwrap();
        assert_eq!(
            t.render(&doc).unwrap(),
            "1e+06_1.0000005e+06_123456_1e-05_1e+21"
        );
    }

    /// `export`'s templates with `env`, rendered by Go's text/template (see the test
    /// data's README).
    #[test]
    fn export_formats_like_text_template() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/testdata/tanka_natives/export_formats.json"
        );
        let data: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let go = |v: &serde_json::Value| {
            crate::gocompat::json::parse(&v.to_string())
                .and_then(|n| n.to_value())
                .unwrap()
        };
        let docs: Vec<Value> = data["docs"].as_array().unwrap().iter().map(go).collect();
        let env = go(&data["env"]);
        let mut wrong = Vec::new();
        for r in data["results"].as_array().unwrap() {
            let template = r["template"].as_str().unwrap();
            let doc = &docs[r["doc"].as_u64().unwrap() as usize];
            let got = Template::parse(template).and_then(|t| t.render_with_env(doc, Some(&env)));
            let ok = match (&got, r["ok"].as_str()) {
                (Ok(g), Some(w)) => g == w,
                (Err(_), None) => true,
                _ => false,
            };
            if !ok {
                wrong.push(format!(
                    "{template} on doc {}: want {r}, got {got:?}",
                    r["doc"]
                ));
            }
        }
        assert!(wrong.is_empty(), "{wrong:#?}");
        // Without an environment (helmTemplate's nameFormat), `env` is an error.
        assert_eq!(
            Template::parse("{{env.metadata.name}}").and_then(|t| t.render(&docs[0])),
            Err(TemplateError::NoEnv)
        );
        // sprig's `default`.
        let render = |t: &str| Template::parse(t).and_then(|t| t.render(&docs[1]));
        assert_eq!(render("{{ .metadata.name | default \"x\" }}").unwrap(), "x");
        assert_eq!(render("{{ .kind | default \"x\" }}").unwrap(), "Secret");
        assert_eq!(render("{{ default \"x\" }}").unwrap(), "x");
        assert!(matches!(
            render("{{ default }}"),
            Err(TemplateError::ArgumentCount { name, counts: Some((2, 0)) }) if name == "default"
        ));
        assert!(matches!(
            render("{{ lower.x }}"),
            Err(TemplateError::FieldsAfterFunction { word, .. }) if word == "lower"
        ));
    }

    /// The messages the export and the natives show, word for word.
    #[test]
    fn error_texts() {
        let text = |t: &str| {
            Template::parse(t)
                .and_then(|t| t.render(&Value::Object(vec![])))
                .unwrap_err()
                .to_string()
        };
        assert_eq!(text("{{ or }}"), "template: wrong number of args for or");
        assert_eq!(
            text("{{ not 1 2 }}"),
            "template: wrong number of args for not: want 1 got 2"
        );
        assert_eq!(
            text("{{ nope }}"),
            "function \"nope\" not defined (gwsonnet knows print, snakecase, kebabcase, \
             lower, upper, trim, replace, or, and, not, index, default, env)"
        );
        assert_eq!(text(r#"{{ "a }}"#), "unterminated string");
        assert_eq!(
            text("{{ index }}"),
            "template: wrong number of args for index: want at least 1 got 0"
        );
        assert_eq!(
            text("{{ upper 1 }}"),
            "template: upper: wrong type for value; expected string"
        );
    }

    #[test]
    fn name_formats() {
        let doc = Value::Object(vec![
            ("kind".into(), Value::String("ConfigMap".into())),
            (
                "metadata".into(),
                Value::Object(vec![
                    ("name".into(), Value::String("my-cm".into())),
                    ("namespace".into(), Value::String("NS".into())),
                ]),
            ),
        ]);
        let render = |t: &str| Template::parse(t).and_then(|t| t.render(&doc));
        assert_eq!(
            render(r#"{{ print .kind "_" .metadata.name | snakecase }}"#).unwrap(),
            "config_map_my_cm"
        );
        assert_eq!(
            render(r#"{{ print .kind "_" .metadata.namespace "_" .metadata.name | snakecase }}"#)
                .unwrap(),
            "config_map_ns_my_cm"
        );
        assert_eq!(render("{{.metadata.name}}-x").unwrap(), "my-cm-x");
        assert_eq!(render("{{ .metadata.name | upper }}").unwrap(), "MY-CM");
        assert_eq!(render("a {{- .kind -}} b").unwrap(), "aConfigMapb");
        assert_eq!(render("{{ .nope }}").unwrap(), "<no value>");
        assert_eq!(render("{{ .nope.deeper }}").unwrap(), "<no value>");
        assert_eq!(
            render("{{ toYaml . }}"),
            Err(TemplateError::UnknownFunction("toYaml".into()))
        );
        assert_eq!(render("{{ .kind"), Err(TemplateError::UnclosedAction));
        assert_eq!(render("{{ .metadata }}"), Err(TemplateError::NotPrintable));
        assert_eq!(
            render(r#"{{ replace "-" "." .metadata.name }}"#).unwrap(),
            "my.cm"
        );
    }
}
