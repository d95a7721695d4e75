//! Naming rules of the jsonnet-libs generator that need nothing else of gwsonnet:
//! [`camel_lower`] (a kind's or field's name in a library), [`place`] (where a
//! Kubernetes OpenAPI definition goes in `k8s-libsonnet`) and [`lay_out`] (the place
//! and identity of a definition's library kind), and [`split_kind_key`] (the form the
//! built-in Kubernetes index stores kinds in).
//!
//! This file uses only `std` on purpose: `build.rs` includes it (`#[path]`) to lay the
//! built-in Kubernetes versions out at build time ([`crate::openapi::builtin`]) by the
//! same rules the run time applies to `--openapi` documents ([`crate::openapi::library`]).

/// The generator's `CamelLower`: split at case changes (`fatih/camelcase`), lower-case
/// the first word: `TCPRoute` → `tcpRoute`, `URLPrefix` → `urlPrefix`, `name` → `name`.
///
/// Only the first word changes, so only its end is found: the first run of characters
/// of one class (lower-case, upper-case, digit, other), except that an upper-case run
/// followed by a lower-case one gives its last capital to the next word (a single
/// capital so starts a word that takes the lower-case run too).
pub fn camel_lower(s: &str) -> String {
    let end = first_word_end(s);
    // Sized once: a library's layout lower-cases hundreds of kind names.
    let mut out = String::with_capacity(s.len());
    if s[..end].is_ascii() {
        out.extend(s[..end].bytes().map(|b| char::from(b.to_ascii_lowercase())));
    } else {
        out.push_str(&s[..end].to_lowercase());
    }
    out.push_str(&s[end..]);
    out
}

/// The byte length of `fatih/camelcase.Split(s)[0]`.
fn first_word_end(s: &str) -> usize {
    fn class(c: char) -> u8 {
        if c.is_lowercase() {
            1
        } else if c.is_uppercase() {
            2
        } else if c.is_numeric() {
            3
        } else {
            4
        }
    }
    let mut chars = s.char_indices();
    let Some((_, first)) = chars.next() else {
        return 0;
    };
    let c0 = class(first);
    let (mut count, mut last_start) = (1, 0);
    for (i, c) in chars {
        let cl = class(c);
        if cl == c0 {
            count += 1;
            last_start = i;
            continue;
        }
        if c0 == 2 && cl == 1 {
            if count > 1 {
                return last_start;
            }
            // One capital and the lower-case run after it.
            return s[i..]
                .char_indices()
                .find(|(_, c)| class(*c) != 1)
                .map_or(s.len(), |(j, _)| i + j);
        }
        return i;
    }
    s.len()
}

/// The place of a definition in the library: parts of its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place<'a> {
    /// Group key: `apps`, `core`, `meta`; `nogroup` when the name has no group part.
    pub group_key: &'a str,
    /// Version: `v1`.
    pub version: &'a str,
    /// The kind part of the name: `Deployment`.
    pub kind_name: &'a str,
}

/// The place of definition `name` by the generator's name pattern, or `None` when the
/// name does not match it.
///
/// The pattern (`NAME_PATTERN` of `crate::openapi`) is matched by hand, as its lazy repetitions decide:
/// the domain is the shortest non-empty prefix, ending before a `.`, after which come
/// `group.version.kind` or `version.kind`, each a run of ASCII word characters (possibly
/// empty); so the last three parts are taken when they are words behind a domain, else
/// the last two.
pub fn place(name: &str) -> Option<Place<'_>> {
    let word = |s: &str| s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    let split = split_last_dot;
    let (rest, kind) = split(name)?;
    let (rest, version) = split(rest)?;
    if !word(kind) || !word(version) {
        return None;
    }
    // The shortest domain leaves three parts if it can, else two.
    if let Some((domain, group)) = split(rest) {
        if !domain.is_empty() && word(group) {
            return Some(Place {
                group_key: if group.is_empty() { "nogroup" } else { group },
                version,
                kind_name: kind,
            });
        }
    }
    (!rest.is_empty()).then_some(Place {
        group_key: "nogroup",
        version,
        kind_name: kind,
    })
}

/// A library kind of a Kubernetes OpenAPI definition: where the library puts it and
/// who it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LaidOut<'a> {
    /// Group key: `apps`.
    pub group_key: &'a str,
    /// Version key: `v1`.
    pub version_key: &'a str,
    /// Kind key: `deployment`.
    pub kind_key: String,
    /// API group (empty for the core group, and for a sub-type).
    pub group: &'a str,
    /// API version.
    pub version: &'a str,
    /// Kind.
    pub kind: &'a str,
    /// A resource (the definition has an `x-kubernetes-group-version-kind`), or a
    /// sub-type.
    pub resource: bool,
}

/// The library kind of definition `name`, whose last `x-kubernetes-group-version-kind`
/// (group, version, kind) is `last_gvk`: the generator takes the last of them (a Go
/// loop-variable alias), and a definition without one is a sub-type named by its
/// place. `None` when the name does not match the generator's pattern.
pub fn lay_out<'a>(
    name: &'a str,
    last_gvk: Option<(&'a str, &'a str, &'a str)>,
) -> Option<LaidOut<'a>> {
    let place = place(name)?;
    let (group, version, kind, resource) = identity(name, place.version, last_gvk);
    Some(LaidOut {
        group_key: place.group_key,
        version_key: place.version,
        kind_key: camel_lower(place.kind_name),
        group,
        version,
        kind,
        resource,
    })
}

/// Who the library kind of definition `name` placed at version key `version_key` is:
/// (group, version, kind, resource). The generator takes the last
/// `x-kubernetes-group-version-kind` (`last_gvk`; a Go loop-variable alias); a
/// definition without one is a sub-type named by its place (the name's last part).
pub fn identity<'a>(
    name: &'a str,
    version_key: &'a str,
    last_gvk: Option<(&'a str, &'a str, &'a str)>,
) -> (&'a str, &'a str, &'a str, bool) {
    match last_gvk {
        Some((g, v, k)) => (g, v, k, true),
        None => (
            "",
            version_key,
            split_last_dot(name).map_or(name, |(_, k)| k),
            false,
        ),
    }
}

/// `s` split at its last `.`, by a byte search: a library's layout splits hundreds of
/// names, and `rsplit_once` with a `char` pattern costs several times as much.
fn split_last_dot(s: &str) -> Option<(&str, &str)> {
    let dot = s.bytes().rposition(|b| b == b'.')?;
    Some((&s[..dot], &s[dot + 1..]))
}

/// The parts (group, version, kind) of a kind written `group/version/Kind` (`/v1/Pod`
/// for the core group), the form the built-in index stores its kinds in.
pub fn split_kind_key(key: &str) -> Option<(&str, &str, &str)> {
    let mut parts = key.splitn(3, '/');
    Some((parts.next()?, parts.next()?, parts.next()?))
}
