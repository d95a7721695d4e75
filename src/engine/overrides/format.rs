//! `std.format` (and `%`): jrsonnet formats the values of `%s` conversions with its own
//! number formatting, and differs on fractional `*` widths and negative `%c`; this
//! adapter brings those values into go-jsonnet's form first and leaves every
//! conversion itself to jrsonnet's implementation.

use jrsonnet_evaluator::{
    error::{ErrorKind, Result},
    ObjValueBuilder, Val,
};

use crate::manifest::number::write_number;

use crate::manifest::json::go_to_string;

/// One conversion of a format string: its mapping key (for `%(key)s`) and letter, plus
/// how many positional values its `*` width and precision take (the width's first).
struct Conversion {
    key: Option<String>,
    stars: usize,
    star_width: bool,
    letter: char,
}

/// The conversions of a printf-style format string, in order (`%%` excluded).
fn conversions(format: &str) -> Vec<Conversion> {
    let mut out = Vec::new();
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            continue;
        }
        let mut key = None;
        if chars.peek() == Some(&'(') {
            chars.next();
            let mut name = String::new();
            for c in chars.by_ref() {
                if c == ')' {
                    break;
                }
                name.push(c);
            }
            key = Some(name);
        }
        let mut stars = 0;
        let mut star_width = false;
        let mut precision = false;
        while let Some(&c) = chars.peek() {
            match c {
                '#' | '0' | '-' | ' ' | '+' | '1'..='9' | 'h' | 'l' | 'L' => {}
                '.' => precision = true,
                '*' => {
                    stars += 1;
                    star_width |= !precision;
                }
                _ => break,
            }
            chars.next();
        }
        match chars.next() {
            Some('%') => {}
            Some(letter) => out.push(Conversion {
                key,
                stars,
                star_width,
                letter,
            }),
            None => break,
        }
    }
    out
}

/// Brings the values of a format call into the form jrsonnet's `format` turns into
/// go-jsonnet's text: `%s` values become go-jsonnet's strings, `*` widths are rounded up
/// (go-jsonnet pads while the remaining width is positive), and a negative `%c`
/// codepoint is go-jsonnet's error; a negative `*` width pads nothing.
pub(super) fn format_strings(_name: &str, args: &mut [Option<Val>]) -> Result<()> {
    let Some(Some(Val::Str(format))) = args.first() else {
        return Ok(());
    };
    let convs = conversions(&format.to_string());
    if convs
        .iter()
        .all(|c| c.stars == 0 && !matches!(c.letter, 's' | 'c'))
    {
        return Ok(());
    }
    let Some(Some(vals)) = args.get(1) else {
        return Ok(());
    };
    let converted = match vals {
        Val::Obj(obj) => {
            let mut b = ObjValueBuilder::new();
            b.with_super(obj.clone());
            for conv in &convs {
                if let Some(key) = &conv.key {
                    if let Some(v) = obj.get(key.as_str().into())? {
                        if let Some(v) = convert(conv.letter, &v)? {
                            b.field(key.as_str()).value(v);
                        }
                    }
                }
            }
            Val::Obj(b.build())
        }
        Val::Arr(items) => {
            let mut items = items.iter().collect::<Result<Vec<_>>>()?;
            let mut i = 0;
            for conv in &convs {
                if conv.star_width {
                    if let Some(Val::Num(n)) = items.get(i) {
                        let width = n.get();
                        if width.fract() != 0.0 || width < 0.0 {
                            items[i] = Val::try_num(width.ceil().max(0.0))?;
                        }
                    }
                }
                i += conv.stars;
                if let Some(v) = items.get_mut(i) {
                    if let Some(new) = convert(conv.letter, v)? {
                        *v = new;
                    }
                }
                i += 1;
            }
            Val::arr(items)
        }
        single => match convs.first() {
            Some(first) if first.stars == 0 => {
                convert(first.letter, single)?.unwrap_or_else(|| single.clone())
            }
            _ => single.clone(),
        },
    };
    args[1] = Some(converted);
    Ok(())
}

/// The value jrsonnet must format for conversion `letter` of `v`, when not `v` itself.
fn convert(letter: char, v: &Val) -> Result<Option<Val>> {
    Ok(match (letter, v) {
        ('s', v) => Some(Val::from(go_to_string(v)?)),
        ('c', Val::Num(n)) if n.get() < 0.0 => {
            let mut shown = String::new();
            write_number(&mut shown, n.get());
            return Err(ErrorKind::RuntimeError(
                format!("Codepoints must be >= 0, got {shown}").into(),
            )
            .into());
        }
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::conversions;

    #[test]
    fn finds_conversions() {
        let c = conversions("%s %5.2f %% %(a)s %*d %-10s");
        let letters: String = c.iter().map(|c| c.letter).collect();
        assert_eq!(letters, "sfsds");
        assert_eq!(c[2].key.as_deref(), Some("a"));
        assert_eq!(c[3].stars, 1);
        assert!(c[3].star_width);
        let c = conversions("%.*f %*.*f");
        assert!(!c[0].star_width && c[1].star_width);
        assert_eq!(c[1].stars, 2);
    }
}
