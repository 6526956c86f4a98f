//! Vietnamese text rules shared by every stage: Unicode NFC, ASCII slugs, alphabetical order,
//! look-alike letters, and the way numbers, percentages and dates are written in Vietnamese.
//!
//! This module owns only pure functions over strings and numbers; it must not know about files,
//! portals or HTML.

use std::cmp::Ordering;
use std::sync::LazyLock;

use decancer::{cure_char, Options, Translation};
use icu_collator::options::CollatorOptions;
use icu_collator::{Collator, CollatorBorrowed};
use icu_locale_core::locale;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// Returns `text` in Unicode NFC, borrowing nothing: callers own the result.
pub fn nfc(text: String) -> String {
    match is_nfc_quick(text.chars()) {
        IsNormalized::Yes => text,
        _ => text.nfc().collect(),
    }
}

/// A combining diacritical mark (U+0300–U+036F): the tone and vowel marks of decomposed text.
pub fn is_combining_mark(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

/// Characters of the Latin script as Vietnamese is written: ASCII, Latin-1 Supplement to
/// Latin Extended-B, Latin Extended Additional (most letters with two marks), and marks.
pub fn is_plain_latin(c: char) -> bool {
    c.is_ascii()
        || ('\u{c0}'..='\u{24f}').contains(&c)
        || ('\u{1e00}'..='\u{1eff}').contains(&c)
        || is_combining_mark(c)
}

/// Writes `c` lowercased into `out`; a character outside the Latin script is first *cured* to
/// the Latin letters it imitates (UTS #39 confusables, by decancer, marks kept): small capital
/// `ᴄ` → `c`, Greek `υ` → `u`, Cyrillic `п` → `n`. One that imitates nothing writes nothing.
/// Give it decomposed text (NFD), so that a look-alike base letter and its mark are cured apart.
pub fn push_cured_lowercase(c: char, out: &mut String) {
    if is_plain_latin(c) {
        out.extend(c.to_lowercase());
        return;
    }
    match cure_char(c, Options::default().retain_diacritics()) {
        Translation::Character(t) => out.extend(t.to_lowercase()),
        Translation::String(s) => out.push_str(&s.to_lowercase()),
        Translation::None => {}
    }
}

/// Makes an ASCII URL segment from Vietnamese text: `"Tiêu đề bài viết"` → `"tieu-de-bai-viet"`
/// (đ → d, marks dropped, everything else that is not a letter or digit becomes `-`).
pub fn slugify(text: &str) -> String {
    slug::slugify(text)
}

/// Whether `text` is a well-formed slug: non-empty lowercase ASCII letters, digits and single
/// inner hyphens.
pub fn is_slug(text: &str) -> bool {
    !text.is_empty()
        && !text.starts_with('-')
        && !text.ends_with('-')
        && !text.contains("--")
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

static COLLATOR: LazyLock<CollatorBorrowed<'static>> = LazyLock::new(|| {
    Collator::try_new(locale!("vi").into(), CollatorOptions::default())
        .expect("the Vietnamese collation ships with icu_collator's compiled data")
});

/// Compares two strings in Vietnamese alphabetical order (a ă â b c d đ e ê …, tones after the
/// base letter), as the CLDR collation for `vi` defines it.
pub fn compare(a: &str, b: &str) -> Ordering {
    COLLATOR.compare(a, b)
}

/// Groups thousands with dots, as Vietnamese does: `2160` → `"2.160"`.
pub fn format_number(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(digit);
    }
    out
}

/// `part` as a percentage of `whole` with at most two decimals and a decimal comma, trailing
/// zeros dropped: `(931, 2160)` → `"43,1"`, `(951, 2160)` → `"44,03"`. Zero when `whole` is zero.
pub fn format_percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "0".to_owned();
    }
    let hundredths = (part as u128 * 10_000 + whole as u128 / 2) / whole as u128;
    let (int, frac) = (hundredths / 100, hundredths % 100);
    let int = format_number(int as u64);
    match frac {
        0 => int,
        f if f % 10 == 0 => format!("{int},{}", f / 10),
        f => format!("{int},{f:02}"),
    }
}

/// A calendar date as Vietnamese write it: dd/mm/yyyy.
pub fn format_date(date: chrono::NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slug_drops_marks_and_folds_d_with_stroke() {
        assert_eq!(slugify("Tiêu đề bài viết"), "tieu-de-bai-viet");
        assert_eq!(slugify("Đồng Tháp Mười: 2024!"), "dong-thap-muoi-2024");
        assert_eq!(slugify("15/2022/QĐ-UBND"), "15-2022-qd-ubnd");
    }

    #[test]
    fn slug_check_rejects_paths_and_capitals() {
        assert!(is_slug("so-y-te"));
        for bad in ["", "../x", "a/b", "Abc", "-a", "a-", "a--b", "a.b"] {
            assert!(!is_slug(bad), "{bad:?} accepted");
        }
    }

    #[test]
    fn look_alikes_are_cured_and_latin_is_only_lowercased() {
        let mut out = String::new();
        for c in "ᴄʜÍɴʜ Đп".chars() {
            push_cured_lowercase(c, &mut out);
        }
        assert_eq!(out, "chính đn");
    }

    #[test]
    fn nfc_composes_decomposed_text() {
        let decomposed = "Tie\u{302}\u{301}n Giang".to_owned();
        assert_eq!(nfc(decomposed), "Tiến Giang");
    }

    #[test]
    fn collation_puts_d_with_stroke_after_d_and_tones_after_base_letter() {
        let mut words = vec!["Đồng", "Dương", "Ấp", "An", "Bến", "Ăn", "ba", "bà"];
        words.sort_by(|a, b| compare(a, b));
        assert_eq!(
            words,
            ["An", "Ăn", "Ấp", "ba", "bà", "Bến", "Dương", "Đồng"]
        );
    }

    #[test]
    fn numbers_group_thousands_with_dots() {
        assert_eq!(format_number(0), "0");
        assert_eq!(format_number(999), "999");
        assert_eq!(format_number(2160), "2.160");
        assert_eq!(format_number(1_234_567), "1.234.567");
    }

    #[test]
    fn percentages_use_a_decimal_comma_and_drop_trailing_zeros() {
        assert_eq!(format_percent(931, 2160), "43,1");
        assert_eq!(format_percent(951, 2160), "44,03");
        assert_eq!(format_percent(278, 2160), "12,87");
        assert_eq!(format_percent(1, 1), "100");
        assert_eq!(format_percent(1, 0), "0");
    }

    #[test]
    fn dates_read_day_month_year() {
        let date = chrono::NaiveDate::from_ymd_opt(2024, 3, 5).unwrap();
        assert_eq!(format_date(date), "05/03/2024");
    }
}
