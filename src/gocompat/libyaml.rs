//! libyaml as Go's yaml.v2 (v2.4.0) and yaml.v3 emitters port it: the byte classes they
//! test UTF-8 text with (`yaml_private.go`), the scalar analysis that decides which
//! styles a scalar may be written in (`emitterc.go`, `yaml_emitter_analyze_scalar`) and
//! the choice among them ([`select_style`], `yaml_emitter_select_scalar_style`), once,
//! with the two libraries' differences as a [`Dialect`]; and the one line break of its
//! reader that YAML 1.2 parsers lack ([`nel_as_line_feed`]).
//!
//! Contact points: the writers `crate::manifest::yaml_v2` (`tk show`) and
//! `crate::manifest::yaml_v3` (Tanka's natives), whose emitters otherwise differ; the
//! reader of `std.parseYaml` (`crate::engine::overrides`).

/// `text` with each U+0085 (NEL) a `\n`. libyaml's scanner (YAML 1.1) ends a line at
/// NEL as at `\n`, everywhere (comments, plain and quoted scalars, structure), and
/// stores a NEL line break as `\n`: so the text means to it what this one means to a
/// YAML 1.2 parser, which reads NEL as an ordinary character. (libyaml's other YAML 1.1
/// line breaks, U+2028 and U+2029, stay themselves inside scalars, which no
/// replacement can reproduce: see docs/compatibility.md.)
pub fn nel_as_line_feed(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains('\u{85}') {
        std::borrow::Cow::Owned(text.replace('\u{85}', "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// The byte at `i`, or 0 past the end (libyaml reads a NUL there).
fn byte_at(v: &[u8], i: usize) -> u8 {
    v.get(i).copied().unwrap_or(0)
}

/// The length of the UTF-8 sequence that starts with `b`.
pub fn width(b: u8) -> usize {
    match b {
        _ if b & 0x80 == 0 => 1,
        _ if b & 0xE0 == 0xC0 => 2,
        _ if b & 0xF0 == 0xE0 => 3,
        _ if b & 0xF8 == 0xF0 => 4,
        _ => 1,
    }
}

/// A space at `i`.
pub fn is_space_at(v: &[u8], i: usize) -> bool {
    byte_at(v, i) == b' '
}

/// A space or tab at `i`.
pub fn is_blank_at(v: &[u8], i: usize) -> bool {
    matches!(byte_at(v, i), b' ' | b'\t')
}

/// A byte-order mark at `i`.
pub fn is_bom(v: &[u8], i: usize) -> bool {
    v[i..].starts_with(&[0xEF, 0xBB, 0xBF])
}

/// A line break at `i`: CR, LF, NEL, LS or PS.
pub fn is_break(v: &[u8], i: usize) -> bool {
    let (b0, b1, b2) = (byte_at(v, i), byte_at(v, i + 1), byte_at(v, i + 2));
    b0 == b'\r'
        || b0 == b'\n'
        || (b0 == 0xC2 && b1 == 0x85)
        || (b0 == 0xE2 && b1 == 0x80 && (b2 == 0xA8 || b2 == 0xA9))
}

/// A blank, a break, a NUL or the end at `i`.
pub fn is_blankz_at(v: &[u8], i: usize) -> bool {
    i >= v.len() || matches!(v[i], b' ' | b'\t' | 0) || is_break(v, i)
}

/// A character libyaml may write unescaped at `i`.
pub fn is_printable(v: &[u8], i: usize) -> bool {
    let (b0, b1, b2) = (byte_at(v, i), byte_at(v, i + 1), byte_at(v, i + 2));
    b0 == 0x0A
        || (0x20..=0x7E).contains(&b0)
        || (b0 == 0xC2 && b1 >= 0xA0)
        || (b0 > 0xC2 && b0 < 0xED)
        || (b0 == 0xED && b1 < 0xA0)
        || b0 == 0xEE
        || (b0 == 0xEF
            && !(b1 == 0xBB && b2 == 0xBF)
            && !(b1 == 0xBF && (b2 == 0xBE || b2 == 0xBF)))
}

/// Which Go YAML library: yaml.v2 or yaml.v3, whose ports of libyaml's emitter differ
/// in how tabs and the end of a scalar count in [`analyze`] (and whose key orders
/// differ: [`super::yaml_sort`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// `gopkg.in/yaml.v2`: a tab is a special character (no plain, quoted or block
    /// style); an indicator is followed by whitespace when a blank or the end follows.
    V2,
    /// `gopkg.in/yaml.v3`: a tab only rules out plain and single-quoted styles; a break
    /// or NUL after an indicator counts as whitespace too.
    V3,
}

/// A scalar style as libyaml names them (the ones Go's encoders request).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Plain.
    Plain,
    /// Single-quoted.
    Single,
    /// Double-quoted.
    Double,
    /// A literal block (`|`).
    Literal,
}

/// libyaml's `yaml_emitter_select_scalar_style` in block context: the style `value`
/// is written in when `requested` (a mapping key when `simple_key`), as `dialect`'s
/// emitter decides.
pub fn select_style(value: &[u8], dialect: Dialect, requested: Style, simple_key: bool) -> Style {
    let a = analyze(value, dialect);
    let mut style = requested;
    if simple_key && a.multiline {
        style = Style::Double;
    }
    if style == Style::Plain && (!a.block_plain_allowed || (value.is_empty() && simple_key)) {
        style = Style::Single;
    }
    if style == Style::Single && !a.single_quoted_allowed {
        style = Style::Double;
    }
    if style == Style::Literal && (!a.block_allowed || simple_key) {
        style = Style::Double;
    }
    style
}

/// What libyaml's `yaml_emitter_analyze_scalar` learns about a scalar in block context.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Analysis {
    /// The scalar has a line break.
    pub multiline: bool,
    /// It may be written plain in block context.
    pub block_plain_allowed: bool,
    /// It may be written single-quoted.
    pub single_quoted_allowed: bool,
    /// It may be written as a literal or folded block.
    pub block_allowed: bool,
}

/// The bytes that set none of [`analyze`]'s flags wherever they stand after the first
/// one: ASCII letters and digits and `-._/` (names, numbers, paths, versions).
const PLAIN: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] =
            (b as u8).is_ascii_alphanumeric() || matches!(b as u8, b'-' | b'.' | b'_' | b'/');
        b += 1;
    }
    table
};

/// Analyses scalar `v` as `dialect`'s emitter does.
pub fn analyze(v: &[u8], dialect: Dialect) -> Analysis {
    // Most scalars of a manifest are names and numbers: starting with a letter or a
    // digit (no indicator, no `---`/`...`) and made of [`PLAIN`] bytes only, they have
    // no space, break, tab, `:`, `#` or non-printable character, so every style suits
    // them, in both dialects.
    if v.first().is_some_and(u8::is_ascii_alphanumeric) && v.iter().all(|&b| PLAIN[usize::from(b)])
    {
        return Analysis {
            multiline: false,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: true,
        };
    }
    analyze_each(v, dialect)
}

/// [`analyze`], byte by byte as libyaml does.
fn analyze_each(v: &[u8], dialect: Dialect) -> Analysis {
    if v.is_empty() {
        return Analysis {
            multiline: false,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: false,
        };
    }
    let v3 = dialect == Dialect::V3;
    let mut block_indicators = v.starts_with(b"---") || v.starts_with(b"...");
    let (mut line_breaks, mut special, mut tabs) = (false, false, false);
    let (mut leading_space, mut leading_break) = (false, false);
    let (mut trailing_space, mut trailing_break) = (false, false);
    let (mut break_space, mut space_break) = (false, false);
    let (mut previous_space, mut previous_break) = (false, false);
    let mut preceded_by_ws = true;
    let mut i = 0;
    while i < v.len() {
        let w = width(v[i]);
        let followed_by_ws = if v3 {
            is_blankz_at(v, i + w)
        } else {
            i + w >= v.len() || is_blank_at(v, i + w)
        };
        if i == 0 {
            match v[i] {
                b'#' | b',' | b'[' | b']' | b'{' | b'}' | b'&' | b'*' | b'!' | b'|' | b'>'
                | b'\'' | b'"' | b'%' | b'@' | b'`' => block_indicators = true,
                b'?' | b':' | b'-' if followed_by_ws => block_indicators = true,
                _ => {}
            }
        } else {
            match v[i] {
                b':' if followed_by_ws => block_indicators = true,
                b'#' if preceded_by_ws => block_indicators = true,
                _ => {}
            }
        }
        if v3 && v[i] == b'\t' {
            tabs = true;
        } else if !is_printable(v, i) {
            special = true;
        }
        if v[i] == b' ' {
            leading_space |= i == 0;
            trailing_space |= i + w == v.len();
            break_space |= previous_break;
            previous_space = true;
            previous_break = false;
        } else if is_break(v, i) {
            line_breaks = true;
            leading_break |= i == 0;
            trailing_break |= i + w == v.len();
            space_break |= previous_space;
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_ws = if v3 {
            is_blankz_at(v, i)
        } else {
            is_blank_at(v, i) || is_break(v, i)
        };
        i += w;
    }
    let mut a = Analysis {
        multiline: line_breaks,
        block_plain_allowed: true,
        single_quoted_allowed: true,
        block_allowed: true,
    };
    if leading_space || leading_break || trailing_space || trailing_break {
        a.block_plain_allowed = false;
    }
    if trailing_space {
        a.block_allowed = false;
    }
    if break_space || space_break || tabs || special {
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if space_break || special {
        a.block_allowed = false;
    }
    if line_breaks || block_indicators {
        a.block_plain_allowed = false;
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tabs_and_trailing_indicators_differ_by_dialect() {
        let both = |s: &str| {
            (
                analyze(s.as_bytes(), Dialect::V2),
                analyze(s.as_bytes(), Dialect::V3),
            )
        };
        // A tab: special for yaml.v2 (double quotes only), block-capable for yaml.v3.
        let (v2, v3) = both("a\tb");
        assert!(!v2.single_quoted_allowed && !v2.block_allowed && !v2.block_plain_allowed);
        assert!(!v3.single_quoted_allowed && v3.block_allowed && !v3.block_plain_allowed);
        // Plain text, leading space, space before a break.
        let (v2, v3) = both("plain text");
        assert!(v2.block_plain_allowed && v3.block_plain_allowed);
        assert_eq!(v2, v3);
        let (v2, v3) = both(" x");
        assert!(!v2.block_plain_allowed && v2.single_quoted_allowed);
        assert_eq!(v2, v3);
        let (v2, v3) = both("a \nb");
        assert!(!v2.block_allowed && !v2.single_quoted_allowed);
        assert_eq!(v2, v3);
        assert!(!analyze(b"", Dialect::V2).block_allowed);
    }

    #[test]
    fn the_plain_shortcut_agrees_with_the_byte_by_byte_analysis() {
        // Every string of up to four characters over letters, digits, the plain
        // punctuation and the characters that matter to the analysis.
        let alphabet: Vec<char> = "a1-._/: #\t\n'?\u{85}é".chars().collect();
        let mut strings = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..4 {
            last = last
                .iter()
                .flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}")))
                .collect();
            strings.extend(last.iter().cloned());
        }
        strings.extend(
            [
                "svc-001-config",
                "apps/v1",
                "1.25",
                "v1.2.3-rc.1",
                "a--",
                "x...",
            ]
            .map(String::from),
        );
        for s in &strings {
            for dialect in [Dialect::V2, Dialect::V3] {
                assert_eq!(
                    analyze(s.as_bytes(), dialect),
                    analyze_each(s.as_bytes(), dialect),
                    "{s:?} {dialect:?}"
                );
            }
        }
    }
}
