//! The order Go's YAML encoders write string map keys in (`sorter.go`, `keyList.Less`,
//! yaml.v2 v2.4.0 and yaml.v3): letters compare as characters, runs of digits by
//! value, a letter sorts after a non-letter — in yaml.v3 unless a digit run precedes
//! it. Go's `unicode.IsLetter`/`IsDigit` are approximated by Rust's `is_alphabetic`/
//! `is_numeric` outside ASCII. This is not a total order (`"9"`, `"10"`, `"1e3"`):
//! there Go's own output depends on its map iteration order.
//!
//! Contact points: the writers `crate::manifest::yaml_v2` (`tk show`) and
//! `crate::manifest::yaml_v3` (Tanka's natives).

use std::cmp::Ordering;

use super::libyaml::Dialect;

/// The order of keys `a` and `b` (as characters) in `dialect`'s output.
pub fn key_order(a: &[char], b: &[char], dialect: Dialect) -> Ordering {
    if key_less(a, b, dialect) {
        Ordering::Less
    } else if key_less(b, a, dialect) {
        Ordering::Greater
    } else {
        Ordering::Equal
    }
}

/// `keyList.Less` of `dialect` for the string keys `ar` and `br`.
fn key_less(ar: &[char], br: &[char], dialect: Dialect) -> bool {
    // yaml.v3 only: whether the characters before were equal digits.
    let mut digits = false;
    for i in 0..ar.len().min(br.len()) {
        if ar[i] == br[i] {
            digits = dialect == Dialect::V3 && ar[i].is_numeric();
            continue;
        }
        let (al, bl) = (ar[i].is_alphabetic(), br[i].is_alphabetic());
        if al && bl {
            return ar[i] < br[i];
        }
        if al || bl {
            return if digits { al } else { bl };
        }
        let (mut an, mut bn): (i64, i64) = (0, 0);
        if ar[i] == '0' || br[i] == '0' {
            let mut j = i;
            while j > 0 && ar[j - 1].is_numeric() {
                j -= 1;
                if ar[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && ar[ai].is_numeric() {
            an = an
                .wrapping_mul(10)
                .wrapping_add(i64::from(ar[ai] as u32) - i64::from(b'0'));
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && br[bi].is_numeric() {
            bn = bn
                .wrapping_mul(10)
                .wrapping_add(i64::from(br[bi] as u32) - i64::from(b'0'));
            bi += 1;
        }
        if an != bn {
            return an < bn;
        }
        if ai != bi {
            return ai < bi;
        }
        return ar[i] < br[i];
    }
    ar.len() < br.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(keys: &[&str], dialect: Dialect) -> Vec<String> {
        let mut keys: Vec<Vec<char>> = keys.iter().map(|k| k.chars().collect()).collect();
        keys.sort_by(|a, b| key_order(a, b, dialect));
        keys.into_iter().map(String::from_iter).collect()
    }

    #[test]
    fn natural_order_and_the_v3_digit_rule() {
        let keys = ["a10", "a2", "b", "A", "a", "_x", "1", "10", "9"];
        let want = ["_x", "1", "9", "10", "A", "a", "a2", "a10", "b"];
        assert_eq!(sorted(&keys, Dialect::V2), want);
        assert_eq!(sorted(&keys, Dialect::V3), want);
        // After equal digits a letter sorts first in yaml.v3, last in yaml.v2.
        assert_eq!(sorted(&["1_", "1a"], Dialect::V2), ["1_", "1a"]);
        assert_eq!(sorted(&["1_", "1a"], Dialect::V3), ["1a", "1_"]);
    }
}
