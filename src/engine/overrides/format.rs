//! `std.format` (and `%`): jrsonnet formats the values of `%s` conversions with its own
//! number formatting; this adapter turns those values into go-jsonnet's strings first
//! and leaves every other conversion to jrsonnet's implementation.

use jrsonnet_evaluator::{error::Result, ObjValueBuilder, Val};

use super::strings::go_to_string;

/// One conversion of a format string: its mapping key (for `%(key)s`) and letter, plus
/// how many positional values its `*` width and precision take.
struct Conversion {
    key: Option<String>,
    stars: usize,
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
        while let Some(&c) = chars.peek() {
            match c {
                '#' | '0' | '-' | ' ' | '+' | '.' | '1'..='9' | 'h' | 'l' | 'L' => {
                    chars.next();
                }
                '*' => {
                    stars += 1;
                    chars.next();
                }
                _ => break,
            }
        }
        match chars.next() {
            Some('%') => {}
            Some(letter) => out.push(Conversion { key, stars, letter }),
            None => break,
        }
    }
    out
}

/// Replaces the values of `%s` conversions with their go-jsonnet string forms.
pub(super) fn format_strings(_name: &str, args: &mut [Option<Val>]) -> Result<()> {
    let Some(Some(Val::Str(format))) = args.first() else {
        return Ok(());
    };
    let convs = conversions(&format.to_string());
    if convs.iter().all(|c| c.letter != 's') {
        return Ok(());
    }
    let Some(Some(vals)) = args.get(1) else {
        return Ok(());
    };
    let converted = match vals {
        Val::Obj(obj) => {
            let mut b = ObjValueBuilder::new();
            b.with_super(obj.clone());
            for conv in convs.iter().filter(|c| c.letter == 's') {
                if let Some(key) = &conv.key {
                    if let Some(v) = obj.get(key.as_str().into())? {
                        b.field(key.as_str()).value(Val::from(go_to_string(&v)?));
                    }
                }
            }
            Val::Obj(b.build())
        }
        Val::Arr(items) => {
            let mut items = items.iter().collect::<Result<Vec<_>>>()?;
            let mut i = 0;
            for conv in &convs {
                i += conv.stars;
                if conv.letter == 's' {
                    if let Some(v) = items.get_mut(i) {
                        *v = Val::from(go_to_string(v)?);
                    }
                }
                i += 1;
            }
            Val::arr(items)
        }
        single => match convs.first() {
            Some(first) if first.letter == 's' && first.stars == 0 => {
                Val::from(go_to_string(single)?)
            }
            _ => single.clone(),
        },
    };
    args[1] = Some(converted);
    Ok(())
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
    }
}
