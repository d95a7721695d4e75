//! The form of a hand-written library file (k8s-libsonnet's `_custom/…`) that the
//! engine evaluates: the file with each docs field's value (`'#new': d.fn(…)`) moved
//! into a file of its own, imported where the value was.
//!
//! A docs field is read only by `docs`, the language server or a program that asks
//! for it, but parsing and analysing the docs expressions was about half of the cost
//! of loading the layer (which `main.libsonnet` loads whole on every run). A field's
//! value is evaluated only when it is read, so `'#new': import '…'` costs a few tokens
//! until then. The file stays the one source of every help text: `libsonnet --out`
//! writes it unchanged and both forms evaluate to the same values.
//!
//! The edit keeps every line of the file where it was (the import is padded with the
//! expression's line breaks), so errors raised by the helpers name the same
//! `file:line:column` as in the written file. A docs file holds the expression, after
//! the file's top-level `local`s it names (such as `local d = import
//! 'doc-util/main.libsonnet';`), transitively.
//!
//! A file served followed by an overlay of natives also loses the functions the
//! overlay defines again ([`without_overlaid`]), blanked in place like the docs values,
//! and every file loses the `local`s nothing in it names any more
//! ([`without_unused_locals`]: the docs' own helpers, those of the replaced functions).
//!
//! Used by `build.rs` (which includes this file and writes the split forms into a Rust
//! table at build time, so nothing is scanned at run time) and by
//! `src/native/k8s_custom.rs`, which serves them; its tests check the split.

/// The folder, next to the hand-written files, that their docs files are served from
/// (`_custom/.docs/<file>/<n>`).
pub const DOCS_DIR: &str = ".docs";

use std::fmt::Write as _;

/// One field a hand-written file adds below the library's root ([`leaves`]): its path
/// and its operator as written.
pub type Leaf = (Vec<String>, String);

/// One hand-written file, split.
#[derive(Debug, PartialEq, Eq)]
pub struct Split {
    /// The file's text, each docs value replaced by `import '<docs_dir>/<n>'`.
    pub evaluated: String,
    /// The docs files, in the file's order (`n` is the index).
    pub docs: Vec<String>,
}

/// What [`scan`] found: top-level `local` statements and docs values.
struct Found {
    /// Each top-level `local …;` statement: its bound names and its byte range.
    locals: Vec<(Vec<String>, std::ops::Range<usize>)>,
    /// Each docs field's value, as a byte range.
    docs: Vec<std::ops::Range<usize>>,
}

/// Splits `text`, whose docs files are imported from `docs_dir` (a path relative to
/// the file, e.g. `.docs/core.libsonnet`). A file without docs fields comes back
/// unchanged.
pub fn split(text: &str, docs_dir: &str) -> Split {
    let found = scan(text);
    let mut evaluated = String::with_capacity(text.len());
    let mut docs = Vec::with_capacity(found.docs.len());
    let mut at = 0;
    for (n, value) in found.docs.iter().enumerate() {
        let expr = &text[value.clone()];
        evaluated.push_str(&text[at..value.start]);
        let import = format!("import '{docs_dir}/{n}'");
        let width = import.len();
        evaluated.push_str(&import);
        // Keep the expression's line breaks (and, where it is longer than the import,
        // its width) so that what follows stays at its line and column.
        let mut skipped = 0;
        for c in expr.chars() {
            if c == '\n' {
                evaluated.push('\n');
                skipped = width;
            } else if skipped >= width {
                evaluated.push(' ');
            } else {
                skipped += 1;
            }
        }
        at = value.end;
        docs.push(docs_file(text, &found.locals, expr));
    }
    evaluated.push_str(&text[at..]);
    Split { evaluated, docs }
}

/// The form of the hand-written file `name` (contents `text`) that the engine
/// evaluates, with its docs files: [`split`], then without the functions its overlay
/// (`overlay`, `lib/k8s/natives/<name>`, when it has one) or the overlay's natives
/// define again ([`without_overlaid`]), without the locals nothing names any more
/// ([`without_unused_locals`]) and without comments and line-end blanks
/// ([`without_comments`]). `build.rs` makes the served files with it; the tests check
/// them with it.
pub fn evaluated_form(name: &str, text: &str, overlay: Option<&str>) -> Split {
    let mut split = split(text, &format!("{DOCS_DIR}/{name}"));
    if let Some(overlay) = overlay {
        split.evaluated = without_overlaid(&split.evaluated, overlay, native_fields(name));
    }
    split.evaluated = without_comments(&without_unused_locals(&split.evaluated));
    split
}

/// The names of the function fields of each hand-written file that the natives of its
/// overlay define again (`src/native/k8s_custom.rs`, `src/native/k8s_helpers.rs`),
/// every field of that name in the file: the overlay's Jsonnet only fetches them.
/// (A native reading `super.new` must find the generated library's `new`, not the
/// file's, as the Jsonnet it replaces does.)
pub const NATIVE_FIELDS: &[(&str, &[&str])] = &[
    ("apps.libsonnet", &["new"]),
    (
        "core.libsonnet",
        &[
            "new",
            "newNamed",
            "newUDP",
            "newNamedUDP",
            "withResourcesRequests",
            "withResourcesLimits",
            "fromConfigMap",
            "withEnvMixin",
            "withEnvMap",
        ],
    ),
    (
        "volumeMounts.libsonnet",
        &[
            "configVolumeMount",
            "configMapVolumeMount",
            "hostVolumeMount",
            "pvcVolumeMount",
            "secretVolumeMount",
            "emptyVolumeMount",
            "csiVolumeMount",
        ],
    ),
];

/// The entry of [`NATIVE_FIELDS`] for the file `name` (none: empty).
pub fn native_fields(name: &str) -> &'static [&'static str] {
    NATIVE_FIELDS
        .iter()
        .find(|(file, _)| *file == name)
        .map_or(&[], |(_, names)| names)
}

/// `text` without the function fields (`name(params):: body`, with the comma after
/// them) that `overlay` defines too, or that its natives do (`natives`, the file's
/// [`native_fields`]): the engine serves the file followed by `+` that overlay
/// (`src/native/k8s_custom.rs`), whose fields win, so the file's own bodies of them
/// are never run and need not be parsed. Line breaks stay where they were, so every
/// position the rest of the file names is unchanged.
pub fn without_overlaid(text: &str, overlay: &str, natives: &[&str]) -> String {
    let mut replaced = function_fields(overlay)
        .into_iter()
        .map(|(name, _)| name)
        .collect::<Vec<_>>();
    replaced.extend_from_slice(natives);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (name, range) in function_fields(text) {
        if !replaced.contains(&name) {
            continue;
        }
        out.push_str(&text[at..range.start]);
        out.extend(
            text[range.clone()]
                .chars()
                .map(|c| if c == '\n' { '\n' } else { ' ' }),
        );
        at = range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// `text` without the `local`s nothing else in it names: a statement (`local x = …;`)
/// or an object member (`local x = …,`) whose bound names appear as identifiers
/// nowhere outside it, blanked in place like the docs values, until none is left.
/// After [`split`] and [`without_overlaid`] the helpers' own locals (`mountIn`, the
/// docs' `helperDocs`, …) are often left unused, and Jsonnet parses a local whether or
/// not it is ever read. Any identifier of the name counts as a use (a field name too),
/// so a local is kept whenever it might be read.
pub fn without_unused_locals(text: &str) -> String {
    let mut text = text.to_owned();
    loop {
        let toks = tokens(&text);
        let unused = toks.iter().enumerate().find_map(|(i, (tok, range))| {
            if *tok != Tok::Word || &text[range.clone()] != "local" {
                return None;
            }
            let member = matches!(
                toks.get(i.wrapping_sub(1)),
                Some((Tok::Punct(b'{' | b','), _))
            );
            // A member ends before the `,` or `}` after its value (the comma goes
            // with it); a statement at its `;`.
            let (last, end) = if member {
                let end = value_end(&toks, i + 1);
                match toks.get(end) {
                    Some((Tok::Punct(b','), r)) => (end, r.end),
                    _ => (end - 1, toks[end - 1].1.end),
                }
            } else {
                let end = statement_end(&text, &toks, i);
                (end, toks.get(end).map_or(text.len(), |(_, r)| r.end))
            };
            let names = bound_names(&text, &toks[i + 1..last.min(toks.len())]);
            let used = toks.iter().enumerate().any(|(j, (tok, r))| {
                (j < i || j > last)
                    && *tok == Tok::Word
                    && names.iter().any(|n| *n == text[r.clone()])
            });
            (!names.is_empty() && !used).then_some(range.start..end)
        });
        let Some(range) = unused else {
            return text;
        };
        let blank: String = text[range.clone()]
            .chars()
            .map(|c| if c == '\n' { '\n' } else { ' ' })
            .collect();
        text.replace_range(range, &blank);
    }
}

/// `text` without its comments and the white space that ends its lines, every token
/// still at its line and column: Jsonnet lexes both on every run, and a served file is
/// mostly comments and the blanks the edits above leave. Between two tokens on one
/// line nothing changes; where lines end between them, only the line breaks and the
/// next token's indentation stay (a comment there becomes spaces).
pub fn without_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    let gap = |out: &mut String, gap: &str| match gap.rfind('\n') {
        None => out.push_str(gap),
        Some(last) => {
            out.extend(gap[..last].chars().filter(|c| *c == '\n'));
            out.push('\n');
            out.extend(
                gap[last + 1..]
                    .chars()
                    .map(|c| if c.is_whitespace() { c } else { ' ' }),
            );
        }
    };
    for (_, range) in tokens(text) {
        gap(&mut out, &text[at..range.start]);
        out.push_str(&text[range.clone()]);
        at = range.end;
    }
    // After the last token: the line breaks only.
    out.extend(text[at..].chars().filter(|c| *c == '\n'));
    out
}

/// The fields a hand-written file adds below the library's root, as `main.libsonnet`
/// can take them one at a time: each `(path, operator)`, the path one to three names
/// (`core.v1.container`, or `autoscaling.v1` where the version's value is not an
/// object literal), the operator as written (`+:`, `+::`, `:`, ...). `None` when the
/// file must be added whole: it names `$` (which is the root only when the file is),
/// or its root, a group or a version object has anything but `name+: value` fields
/// (an object `local`, a computed name, an assertion, a method).
pub fn leaves(text: &str) -> Option<Vec<Leaf>> {
    if names_root(text) {
        return None;
    }
    let toks = tokens(text);
    // The file's expression after its top-level locals: the root object.
    let mut i = 0;
    while toks
        .get(i)
        .is_some_and(|(t, r)| *t == Tok::Word && &text[r.clone()] == "local")
    {
        i = statement_end(text, &toks, i) + 1;
    }
    if toks.get(i)?.0 != Tok::Punct(b'{') || closing(&toks, i)? + 1 != toks.len() {
        return None;
    }
    let mut out = Vec::new();
    object_leaves(text, &toks, i, &mut Vec::new(), &mut out)?;
    Some(out)
}

/// The leaves of the object literal opening at token `open`, at `path` (see [`leaves`]).
fn object_leaves(
    text: &str,
    toks: &[(Tok, std::ops::Range<usize>)],
    open: usize,
    path: &mut Vec<String>,
    out: &mut Vec<Leaf>,
) -> Option<()> {
    let close = closing(toks, open)?;
    let mut i = open + 1;
    while i < close {
        let (tok, range) = &toks[i];
        if *tok != Tok::Word || matches!(&text[range.clone()], "local" | "assert") {
            return None;
        }
        let mut j = i + 1;
        let plus = toks.get(j)?.0 == Tok::Punct(b'+');
        if plus {
            j += 1;
        }
        let colons = toks[j..]
            .iter()
            .take_while(|t| t.0 == Tok::Punct(b':'))
            .count();
        if !(1..=3).contains(&colons) {
            return None;
        }
        let first = j + colons;
        let end = value_end(toks, first);
        path.push(text[range.clone()].to_owned());
        // Groups and versions added with `+:` are walked into; kinds, and any value
        // that is not a literal, are leaves.
        let literal = toks.get(first)?.0 == Tok::Punct(b'{') && closing(toks, first)? + 1 == end;
        if path.len() < 3 && plus && colons == 1 && literal {
            object_leaves(text, toks, first, path, out)?;
        } else {
            let op = format!("{}{}", if plus { "+" } else { "" }, ":".repeat(colons));
            out.push((path.clone(), op));
        }
        path.pop();
        i = match toks.get(end) {
            Some((Tok::Punct(b','), _)) => end + 1,
            _ => end,
        };
    }
    Some(())
}

/// `text` names `$` (outside strings and comments).
pub fn names_root(text: &str) -> bool {
    tokens(text)
        .iter()
        .any(|(tok, r)| *tok == Tok::Other && &text[r.clone()] == "$")
}

/// The text the engine evaluates for a library's `main.libsonnet` with hand-written
/// files `files` (each its name below `_custom/` and its [`leaves`], `None` when it is
/// added whole), in order: `gen.libsonnet` plus the files, where a run of files that
/// can be is added field by field: `{ core+: { v1+: { container+: c3.core.v1.container
/// + ... } } }`, each file a `local` import. Jsonnet imports a file only when one of
/// its fields is read, so a program that never reads `k.rbac` never parses the rbac
/// file. The sum is the same: `+` of objects is associative and a field's `super` and
/// `self` are bound where it is added, which is why a file naming `$` is added whole.
///
/// # Panics
/// When two files add one path with different operators, or one adds a path below
/// another's leaf (the files are ours: `build.rs` fails).
pub fn lazy_main(files: &[(&str, Option<Vec<Leaf>>)]) -> String {
    let mut text = String::new();
    for (n, (name, leaves)) in files.iter().enumerate() {
        if leaves.is_some() {
            writeln!(text, "local c{n} = import '_custom/{name}';").unwrap();
        }
    }
    text.push_str("(import 'gen.libsonnet')");
    let mut run: Vec<(usize, &Vec<Leaf>)> = Vec::new();
    for (n, (name, leaves)) in files.iter().enumerate() {
        match leaves {
            Some(leaves) => run.push((n, leaves)),
            None => {
                push_run(&mut text, &run);
                run.clear();
                write!(text, " + (import '_custom/{name}')").unwrap();
            }
        }
    }
    push_run(&mut text, &run);
    text.push('\n');
    text
}

/// ` + { ... }`: the fields of a run of files, by path.
fn push_run(text: &mut String, run: &[(usize, &Vec<Leaf>)]) {
    if run.is_empty() {
        return;
    }
    // Path → operator and the files adding it, in order.
    let mut paths: std::collections::BTreeMap<&[String], (&str, Vec<usize>)> = Default::default();
    for (n, leaves) in run {
        for (path, op) in leaves.iter() {
            let entry = paths
                .entry(path.as_slice())
                .or_insert((op.as_str(), Vec::new()));
            assert_eq!(
                entry.0,
                op,
                "_custom files add {} with different operators",
                path.join(".")
            );
            entry.1.push(*n);
        }
    }
    for a in paths.keys() {
        for b in paths.keys() {
            assert!(
                a == b || !b.starts_with(a),
                "_custom files add {} and {} below it",
                a.join("."),
                b.join(".")
            );
        }
    }
    text.push_str(" + {");
    let mut open: Vec<&str> = Vec::new();
    for (path, (op, adders)) in &paths {
        let (parents, leaf) = path.split_at(path.len() - 1);
        let common = open
            .iter()
            .zip(parents)
            .take_while(|(a, b)| **a == b.as_str())
            .count();
        for _ in common..open.len() {
            text.push_str(" },");
        }
        open.truncate(common);
        for parent in &parents[common..] {
            write!(text, " {parent}+: {{").unwrap();
            open.push(parent);
        }
        let values: Vec<String> = adders
            .iter()
            .map(|n| format!("c{n}.{}", path.join(".")))
            .collect();
        write!(text, " {}{op} {},", leaf[0], values.join(" + ")).unwrap();
    }
    for _ in &open {
        text.push_str(" },");
    }
    text.push_str(" }");
}

/// The function fields of `text` (`name(params):`, `::` or `:::` after a `{` or a
/// `,`): each name and the byte range of the field, its value and the comma after it.
fn function_fields(text: &str) -> Vec<(&str, std::ops::Range<usize>)> {
    let toks = tokens(text);
    let mut fields = Vec::new();
    let mut i = 0;
    while i + 1 < toks.len() {
        let after_separator = matches!(
            toks.get(i.wrapping_sub(1)),
            Some((Tok::Punct(b'{' | b','), _))
        );
        let named_call = toks[i].0 == Tok::Word && toks[i + 1].0 == Tok::Punct(b'(');
        // The parameters' closing parenthesis (value_end stops at it: inside, the
        // commas are one bracket deeper), then the colons.
        let close = if after_separator && named_call {
            closing(&toks, i + 1)
        } else {
            None
        };
        let colons = close.map_or(0, |close| {
            toks[close + 1..]
                .iter()
                .take_while(|t| t.0 == Tok::Punct(b':'))
                .count()
        });
        let Some(close) = close.filter(|_| (1..=3).contains(&colons)) else {
            i += 1;
            continue;
        };
        let first = close + 1 + colons;
        let end = value_end(&toks, first);
        let stop = match toks.get(end) {
            Some((Tok::Punct(b','), r)) => r.end,
            _ => toks[end - 1].1.end,
        };
        fields.push((&text[toks[i].1.clone()], toks[i].1.start..stop));
        i = end;
    }
    fields
}

/// The index of the bracket closing the one at token `open`.
fn closing(toks: &[(Tok, std::ops::Range<usize>)], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, (tok, _)) in toks.iter().enumerate().skip(open) {
        match tok {
            Tok::Punct(b'{' | b'[' | b'(') => depth += 1,
            Tok::Punct(b'}' | b']' | b')') => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// The docs file of `expr`: the top-level locals it needs, then `expr`.
fn docs_file(text: &str, locals: &[(Vec<String>, std::ops::Range<usize>)], expr: &str) -> String {
    let mut needed = vec![false; locals.len()];
    let mut pending = vec![expr];
    while let Some(code) = pending.pop() {
        for (i, (names, range)) in locals.iter().enumerate() {
            if !needed[i] && names.iter().any(|name| mentions(code, name)) {
                needed[i] = true;
                pending.push(&text[range.clone()]);
            }
        }
    }
    let mut file = String::new();
    for (i, (_, range)) in locals.iter().enumerate() {
        if needed[i] {
            file.push_str(&text[range.clone()]);
            file.push('\n');
        }
    }
    file.push_str(expr);
    file.push('\n');
    file
}

/// `code` has `name` as a whole identifier somewhere (strings included: including a
/// local that is not needed costs only its parse when the docs are read).
fn mentions(code: &str, name: &str) -> bool {
    let ident = |c: u8| c == b'_' || c.is_ascii_alphanumeric();
    code.match_indices(name).any(|(i, _)| {
        let before = code.as_bytes().get(i.wrapping_sub(1)).copied();
        let after = code.as_bytes().get(i + name.len()).copied();
        !before.is_some_and(ident) && !after.is_some_and(ident)
    })
}

/// A token of the scan: its kind and byte range.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Tok {
    /// A string literal of any form; `hash` when its first character is `#`.
    Str { hash: bool },
    /// One punctuation byte.
    Punct(u8),
    /// An identifier or keyword.
    Word,
    /// Anything else (numbers, operators).
    Other,
}

/// The tokens of `text` (comments and white space left out), with their ranges.
fn tokens(text: &str) -> Vec<(Tok, std::ops::Range<usize>)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let start = i;
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if c == b'#' || b[i..].starts_with(b"//") {
            i = find(b, i, b"\n").map_or(b.len(), |e| e + 1);
        } else if b[i..].starts_with(b"/*") {
            i = find(b, i + 2, b"*/").map_or(b.len(), |e| e + 2);
        } else if b[i..].starts_with(b"|||") {
            // A text block ends at the next `|||` (its lines are indented deeper).
            let end = find(b, i + 3, b"|||").map_or(b.len(), |e| e + 3);
            let body = &text[i + 3..end.saturating_sub(3).max(i + 3)];
            let hash = body.trim_start_matches('-').trim_start().starts_with('#');
            out.push((Tok::Str { hash }, start..end));
            i = end;
        } else if c == b'\''
            || c == b'"'
            || (c == b'@' && matches!(b.get(i + 1), Some(b'\'' | b'"')))
        {
            let verbatim = c == b'@';
            let q = if verbatim { b[i + 1] } else { c };
            let mut j = i + if verbatim { 2 } else { 1 };
            let body = j;
            while j < b.len() {
                if !verbatim && b[j] == b'\\' {
                    j += 2;
                } else if b[j] == q {
                    if verbatim && b.get(j + 1) == Some(&q) {
                        j += 2;
                    } else {
                        break;
                    }
                } else {
                    j += 1;
                }
            }
            let hash = b.get(body) == Some(&b'#');
            i = (j + 1).min(b.len());
            out.push((Tok::Str { hash }, start..i));
        } else if c == b'_' || c.is_ascii_alphabetic() {
            while i < b.len() && (b[i] == b'_' || b[i].is_ascii_alphanumeric()) {
                i += 1;
            }
            out.push((Tok::Word, start..i));
        } else if b"{}[](),;:+=".contains(&c) {
            i += 1;
            out.push((Tok::Punct(c), start..i));
        } else {
            i += 1;
            out.push((Tok::Other, start..i));
        }
    }
    out
}

/// The first `needle` in `b` at or after `from`.
fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    b.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// Finds the top-level `local` statements and the docs fields' values of `text`.
fn scan(text: &str) -> Found {
    let toks = tokens(text);
    let mut found = Found {
        locals: Vec::new(),
        docs: Vec::new(),
    };
    let mut depth = 0usize;
    let mut i = 0;
    while i < toks.len() {
        let (tok, ref range) = toks[i];
        match tok {
            Tok::Punct(b'{' | b'[' | b'(') => depth += 1,
            Tok::Punct(b'}' | b']' | b')') => depth = depth.saturating_sub(1),
            Tok::Word if depth == 0 && &text[range.clone()] == "local" => {
                let end = statement_end(text, &toks, i);
                let names = bound_names(text, &toks[i + 1..end]);
                let stop = toks.get(end).map_or(text.len(), |(_, r)| r.end);
                found.locals.push((names, range.start..stop));
                // Its value is scanned on: a function returning an object may hold
                // docs fields.
            }
            Tok::Str { hash: true }
                if depth > 0
                    && matches!(
                        toks.get(i.wrapping_sub(1)),
                        Some((Tok::Punct(b'{' | b','), _))
                    ) =>
            {
                let mut j = i + 1;
                if toks.get(j).map(|t| t.0) == Some(Tok::Punct(b'+')) {
                    j += 1;
                }
                let colons = toks[j..]
                    .iter()
                    .take_while(|t| t.0 == Tok::Punct(b':'))
                    .count();
                if (1..=3).contains(&colons) {
                    let first = j + colons;
                    let last = value_end(&toks, first);
                    if last > first {
                        found.docs.push(toks[first].1.start..toks[last - 1].1.end);
                    }
                    // The value's brackets balance: skip it.
                    i = last;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    found
}

/// The index of the `;` ending the statement that starts at token `start` (a `local`
/// or `assert` in its value, outside brackets, ends at a `;` of its own first).
fn statement_end(text: &str, toks: &[(Tok, std::ops::Range<usize>)], start: usize) -> usize {
    let mut depth = 0usize;
    let mut open = 0usize;
    for (i, (tok, range)) in toks.iter().enumerate().skip(start) {
        match tok {
            Tok::Punct(b'{' | b'[' | b'(') => depth += 1,
            Tok::Punct(b'}' | b']' | b')') => depth = depth.saturating_sub(1),
            Tok::Word if depth == 0 && matches!(&text[range.clone()], "local" | "assert") => {
                open += 1;
            }
            Tok::Punct(b';') if depth == 0 => {
                open = open.saturating_sub(1);
                if open == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    toks.len()
}

/// The names a `local` statement's binds (its tokens after `local`) bind: the first
/// word of each bind (binds are separated by commas outside brackets).
fn bound_names(text: &str, toks: &[(Tok, std::ops::Range<usize>)]) -> Vec<String> {
    let mut names = Vec::new();
    let mut depth = 0usize;
    let mut expect = true;
    for (tok, range) in toks {
        match tok {
            Tok::Word if expect => {
                names.push(text[range.clone()].to_owned());
                expect = false;
            }
            Tok::Punct(b'{' | b'[' | b'(') => depth += 1,
            Tok::Punct(b'}' | b']' | b')') => depth = depth.saturating_sub(1),
            Tok::Punct(b',') if depth == 0 => expect = true,
            _ => {}
        }
    }
    names
}

/// The index just past the value that starts at token `first`: the next `,` or
/// closing bracket outside the value's own brackets.
fn value_end(toks: &[(Tok, std::ops::Range<usize>)], first: usize) -> usize {
    let mut depth = 0usize;
    for (i, (tok, _)) in toks.iter().enumerate().skip(first) {
        match tok {
            Tok::Punct(b'{' | b'[' | b'(') => depth += 1,
            Tok::Punct(b'}' | b']' | b')') if depth == 0 => return i,
            Tok::Punct(b'}' | b']' | b')') => depth -= 1,
            Tok::Punct(b',') if depth == 0 => return i,
            _ => {}
        }
    }
    toks.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docs_values_move_out_and_lines_stay() {
        let text = "// '#not': a comment\nlocal d = import 'doc-util/main.libsonnet';\nlocal unused = 1;\n{\n  a+: {\n    '#new'+: d.fn('x', [\n      d.arg('n', d.T.string),\n    ]),\n    new(n):: { n: n, s: '#s' },\n    \"#f\":: d.val(d.T.string, 'y'), g: 1,\n  },\n}\n";
        let split = split(text, ".docs/a.libsonnet");
        assert_eq!(split.docs.len(), 2);
        assert_eq!(
            split.docs[0],
            "local d = import 'doc-util/main.libsonnet';\nd.fn('x', [\n      d.arg('n', d.T.string),\n    ])\n"
        );
        assert!(split.docs[1].ends_with("\nd.val(d.T.string, 'y')\n"));
        let evaluated: Vec<&str> = split.evaluated.lines().collect();
        let written: Vec<&str> = text.lines().collect();
        assert_eq!(evaluated.len(), written.len());
        assert_eq!(
            evaluated[5].trim_end(),
            "    '#new'+: import '.docs/a.libsonnet/0'"
        );
        assert_eq!(evaluated[7], "      ,");
        assert_eq!(evaluated[8], written[8]);
        assert!(evaluated[9].starts_with("    \"#f\":: import '.docs/a.libsonnet/1', g: 1,"));
    }

    #[test]
    fn locals_are_taken_transitively_and_text_blocks_are_strings() {
        let text = "local d = 1;\nlocal common = [d];\nlocal docs(x) = x + common;\nlocal other = 2;\n{\n  '#h': docs(|||\n    '#x': not a field\n  |||),\n  h: other,\n}\n";
        let split = split(text, "D");
        assert_eq!(split.docs.len(), 1);
        assert_eq!(
            split.docs[0],
            "local d = 1;\nlocal common = [d];\nlocal docs(x) = x + common;\ndocs(|||\n    '#x': not a field\n  |||)\n"
        );
        assert_eq!(split.evaluated.lines().count(), text.lines().count());
    }

    #[test]
    fn only_fields_named_with_a_hash_are_docs() {
        let text = "{ a: '#b', c: ['#c'], e: { '#d' : 1 }['#d'] }";
        let split = split(text, "D");
        assert_eq!(split.docs, vec!["1\n".to_owned()]);
        assert_eq!(
            split.evaluated,
            "{ a: '#b', c: ['#c'], e: { '#d' : import 'D/0' }['#d'] }"
        );
        let none = "local f(x) = { y: x };
{ a: f('#b') }";
        assert_eq!(super::split(none, "D").evaluated, none);
    }

    #[test]
    fn function_fields_the_overlay_defines_are_blanked_in_place() {
        let text = "{\n  local f(x) = x,\n  '#a': 1,\n  a(x, y=[1, 2])::\n    f({ a: x }),\n  b(x):: [a(x), c(x)],\n  c(x):: x }\n";
        let overlay = "local g(x) = x;\n{ a(p):: g(p), c(q)::: q, b: [d(1), e(2)] }";
        let pruned = without_overlaid(text, overlay, &[]);
        let blank = |n| " ".repeat(n);
        let expected = format!(
            "{{\n  local f(x) = x,\n  '#a': 1,\n{}\n{}\n  b(x):: [a(x), c(x)],\n{}}}\n",
            blank(18),
            blank(16),
            blank(11)
        );
        assert_eq!(pruned, expected);
        assert_eq!(pruned.lines().count(), text.lines().count());
        // No function field in common: unchanged.
        assert_eq!(without_overlaid(text, "{ z(x):: x, a: 1 }", &[]), text);
    }

    #[test]
    fn docs_inside_a_top_level_local_are_found() {
        let text = "local d = 1;
local h(p) = { '#m': d, m(f):: p };
{ a: h(1) }
";
        let split = split(text, "D");
        assert_eq!(split.docs, vec!["local d = 1;\nd\n".to_owned()]);
        assert!(split.evaluated.contains("{ '#m': import 'D/0', m(f):: p }"));
    }

    #[test]
    fn locals_nothing_names_are_blanked_until_none_is_left() {
        let text = "local d = 1;\nlocal a = d, b = 2;\nlocal kept = 3;\n{\n  local f(x) = g(x),\n  local g(x) = a,\n  local h = 4\n,\n  kept: kept,\n  local last = 5 }\n";
        let pruned = without_unused_locals(text);
        let expected = "            \n                   \nlocal kept = 3;\n{\n                    \n                 \n             \n \n  kept: kept,\n                 }\n";
        assert_eq!(pruned, expected);
        assert_eq!(pruned.lines().count(), text.lines().count());
        // A local named anywhere else (a field name counts) stays; so does a file
        // whose locals are all used.
        let used = "local spec = 1;\n{ spec+: { x: 1 } }\n";
        assert_eq!(without_unused_locals(used), used);
        // A statement whose value holds statements of its own ends at its own `;`.
        let nested = "local f(n) =\n  local m = n;\n  assert m > 0;\n  { m: m };\n{ a: 1 }\n";
        assert_eq!(
            without_unused_locals(nested),
            "            \n              \n               \n           \n{ a: 1 }\n"
        );
    }

    #[test]
    fn a_files_fields_are_its_leaves_and_main_adds_them_one_by_one() {
        let a = "local h = { x+: { f:: 1 } };\n{\n  core+: {\n    v1+: { pod+: { a:: 1 }, list: { b: 2 } },\n    v2+: h,\n  },\n  apps+: { v1+: { deployment+:: {} } },\n}\n";
        let leaves_a = leaves(a).expect("a file of fields");
        let names: Vec<(String, &str)> = leaves_a
            .iter()
            .map(|(p, op)| (p.join("."), op.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("core.v1.pod".to_owned(), "+:"),
                ("core.v1.list".to_owned(), ":"),
                ("core.v2".to_owned(), "+:"),
                ("apps.v1.deployment".to_owned(), "+::"),
            ]
        );
        // `$`, an object local or a method at the root or a group: added whole.
        assert_eq!(leaves("{ local l = $, core+: {} }"), None);
        assert_eq!(leaves("{ core+: { v1+: { pod+: { a: $.x } } } }"), None);
        assert_eq!(leaves("{ core+: { f(x):: x } }"), None);
        assert_eq!(leaves("{ core+: { [k]: 1 } }"), None);
        assert!(names_root("{ a: $ }") && !names_root("{ a: '$' }"));
        let b = "{ core+: { v1+: { pod+: { c: 3 } } } }";
        let main = lazy_main(&[
            ("a.libsonnet", Some(leaves_a)),
            ("whole.libsonnet", None),
            ("b.libsonnet", leaves(b)),
        ]);
        assert_eq!(
            main,
            "local c0 = import '_custom/a.libsonnet';\nlocal c2 = import '_custom/b.libsonnet';\n(import 'gen.libsonnet') + { apps+: { v1+: { deployment+:: c0.apps.v1.deployment, }, }, core+: { v1+: { list: c0.core.v1.list, pod+: c0.core.v1.pod, }, v2+: c0.core.v2, }, } + (import '_custom/whole.libsonnet') + { core+: { v1+: { pod+: c2.core.v1.pod, }, }, }\n"
        );
        let both = lazy_main(&[("a.libsonnet", leaves(b)), ("b.libsonnet", leaves(b))]);
        assert!(
            both.contains(" pod+: c0.core.v1.pod + c1.core.v1.pod,"),
            "{both}"
        );
    }

    #[test]
    fn comments_and_line_ends_go_and_tokens_stay_where_they_were() {
        let text = "// head\nlocal a = 1; // a\n{\n  # hash\n  b: a,   \n  c: /* in */ 2, /* x\n y */ d: '// s',\n}\n// tail\n";
        let out = without_comments(text);
        assert_eq!(
            out,
            "\nlocal a = 1;\n{\n\n  b: a,\n  c: /* in */ 2,\n      d: '// s',\n}\n\n"
        );
        let lines = |t: &str| t.lines().count();
        assert_eq!(lines(&out), lines(text));
        // Each token at its line and column.
        let spots = |t: &str| -> Vec<(usize, usize)> {
            tokens(t)
                .iter()
                .map(|(_, r)| {
                    let before = &t[..r.start];
                    let line = before.matches('\n').count();
                    (line, r.start - before.rfind('\n').map_or(0, |i| i + 1))
                })
                .collect()
        };
        assert_eq!(spots(&out), spots(text));
    }
}
