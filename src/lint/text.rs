//! Lints over the text as written on disk, before the loader normalises it: look-alike letters
//! (a Cyrillic `а` or a small capital `ᴄ` pasted among Latin letters) and text that is not in
//! Unicode NFC. Both are fixed mechanically by `cong check --fix`.
//!
//! A *look-alike* is a letter outside the Latin script that the Unicode confusables data
//! (UTS #39, through [`push_cured_lowercase`]) reads as a Latin letter, inside a word that also
//! has Latin letters, or in a word of two or more letters that are all look-alikes (`ᴛɪɴ`). A
//! lone Greek letter (`tia α`) is left alone: it is likely meant.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use unicode_normalization::{is_nfc, UnicodeNormalization};

use super::{Finding, Severity};
use crate::diagnostics::Location;
use crate::vietnamese::{is_combining_mark, is_plain_latin, nfc, push_cured_lowercase};

/// Runs the text lints over every file; files that are not UTF-8 are the loader's to report.
pub(super) fn lint_files(paths: &[PathBuf]) -> Vec<Finding> {
    paths
        .par_iter()
        .flat_map_iter(
            |path| match crate::content::read_plain(path).map(String::from_utf8) {
                Ok(Ok(text)) => lint_text(path, &text),
                _ => Vec::new(),
            },
        )
        .collect()
}

fn lint_text(path: &Path, text: &str) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (i, line) in text.lines().enumerate() {
        for found in look_alikes(line) {
            findings.push(Finding::at(
                &Location::new(path, i + 1, found.col),
                Severity::Warning,
                "look-alike",
                format!("{} looks like `{}`", describe(found.letter), found.latin),
                format!(
                    "it was probably pasted from another document; `cong check --fix` replaces it with `{}`",
                    found.latin
                ),
            ));
        }
        if let Some(col) = first_not_nfc(line) {
            findings.push(Finding::at(
                &Location::new(path, i + 1, col),
                Severity::Warning,
                "not-nfc",
                "text is not in Unicode NFC: a letter is written as a base letter plus combining marks",
                "it looks the same, but search and comparisons need one spelling; `cong check --fix` rewrites it in NFC",
            ));
        }
    }
    findings
}

/// `U+1D04 LATIN LETTER SMALL CAPITAL C`: a character's code point and Unicode name.
fn describe(c: char) -> String {
    match unicode_names2::name(c) {
        Some(name) => format!("U+{:04X} {name}", c as u32),
        None => format!("U+{:04X}", c as u32),
    }
}

/// A look-alike letter in a line.
#[derive(Debug, PartialEq, Eq)]
struct LookAlike {
    /// Byte offset in the line.
    byte: usize,
    /// 1-based column, in characters.
    col: usize,
    /// The letter as written.
    letter: char,
    /// The Latin letter(s) it imitates, in its case.
    latin: String,
}

/// The Latin letters `c` imitates, in `c`'s case, if it is a letter outside the Latin script
/// that imitates some.
fn imitated(c: char) -> Option<String> {
    if is_plain_latin(c) || !c.is_alphabetic() {
        return None;
    }
    let mut cured = String::new();
    for part in std::iter::once(c).nfd() {
        push_cured_lowercase(part, &mut cured);
    }
    let cured = nfc(cured);
    let latin = !cured.is_empty()
        && cured
            .chars()
            .all(|l| is_plain_latin(l) && l.is_alphanumeric());
    latin.then(|| {
        if c.is_uppercase() {
            cured.to_uppercase()
        } else {
            cured
        }
    })
}

/// The look-alike letters of a line, by the rule in the module's comment.
fn look_alikes(line: &str) -> Vec<LookAlike> {
    let mut found = Vec::new();
    let mut word: Vec<(usize, usize, char)> = Vec::new();
    let flush = |word: &mut Vec<(usize, usize, char)>, found: &mut Vec<LookAlike>| {
        let suspects: Vec<(usize, usize, char, String)> = word
            .iter()
            .filter_map(|&(byte, col, c)| imitated(c).map(|latin| (byte, col, c, latin)))
            .collect();
        let letters = word.iter().filter(|w| w.2.is_alphabetic()).count();
        let has_latin = word
            .iter()
            .any(|w| is_plain_latin(w.2) && w.2.is_alphabetic());
        if !suspects.is_empty() && (has_latin || (letters >= 2 && suspects.len() == letters)) {
            found.extend(
                suspects
                    .into_iter()
                    .map(|(byte, col, letter, latin)| LookAlike {
                        byte,
                        col,
                        letter,
                        latin,
                    }),
            );
        }
        word.clear();
    };
    for (col, (byte, c)) in line.char_indices().enumerate() {
        if c.is_alphanumeric() || is_combining_mark(c) {
            word.push((byte, col + 1, c));
        } else {
            flush(&mut word, &mut found);
        }
    }
    flush(&mut word, &mut found);
    found
}

/// The column of the first character of `line` that NFC would change, if any.
fn first_not_nfc(line: &str) -> Option<usize> {
    if is_nfc(line) {
        return None;
    }
    let composed: Vec<char> = line.nfc().collect();
    let col = line
        .chars()
        .zip(composed)
        .position(|(a, b)| a != b)
        .unwrap_or(0);
    Some(col + 1)
}

/// What [`fix`] changed in one text.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct Counts {
    pub look_alikes: usize,
    pub nfc_lines: usize,
}

/// `text` with its look-alikes replaced and every line in NFC, or `None` if nothing changes.
/// Line endings and every other byte stay as they were.
pub(super) fn fix(text: &str) -> Option<(String, Counts)> {
    let mut counts = Counts::default();
    let mut out = String::with_capacity(text.len());
    for raw in text.split_inclusive('\n') {
        let line = raw.trim_end_matches(['\n', '\r']);
        let ending = &raw[line.len()..];
        let mut fixed = String::with_capacity(line.len());
        let mut rest = 0;
        for found in look_alikes(line) {
            fixed.push_str(&line[rest..found.byte]);
            fixed.push_str(&found.latin);
            rest = found.byte + found.letter.len_utf8();
            counts.look_alikes += 1;
        }
        fixed.push_str(&line[rest..]);
        if !is_nfc(&fixed) {
            fixed = fixed.nfc().collect();
            counts.nfc_lines += 1;
        }
        out.push_str(&fixed);
        out.push_str(ending);
    }
    (out != text).then_some((out, counts))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn letters(line: &str) -> Vec<(usize, char, String)> {
        look_alikes(line)
            .into_iter()
            .map(|l| (l.col, l.letter, l.latin))
            .collect()
    }

    #[test]
    fn look_alikes_among_latin_letters_are_found_with_their_latin_letter() {
        assert_eq!(
            letters("Thủ tụᴄ hành ᴄhính"),
            [(7, 'ᴄ', "c".into()), (14, 'ᴄ', "c".into())]
        );
        // Cyrillic capital Т and small а in "Tân".
        assert_eq!(
            letters("\u{422}\u{430}n"),
            [(1, 'Т', "T".into()), (2, 'а', "a".into())]
        );
    }

    #[test]
    fn a_word_made_only_of_look_alikes_is_found() {
        assert_eq!(letters("ᴛɪɴ mới").len(), 3);
    }

    #[test]
    fn vietnamese_a_lone_greek_letter_and_symbols_are_not_look_alikes() {
        assert!(letters("Đường Ấp Bắc, tia α, 25 m², 30°C – “trích”").is_empty());
    }

    #[test]
    fn a_look_alike_is_named_by_its_unicode_name() {
        assert_eq!(describe('ᴄ'), "U+1D04 LATIN LETTER SMALL CAPITAL C");
    }

    #[test]
    fn decomposed_text_is_located_at_its_base_letter() {
        assert_eq!(first_not_nfc("Tiền Giang"), None);
        assert_eq!(first_not_nfc("Tie\u{302}\u{300}n"), Some(3));
    }

    #[test]
    fn fix_replaces_look_alikes_and_composes_keeping_other_bytes() {
        let text = "tiêu đề\r\nthủ tụᴄ\nTie\u{302}\u{300}n Giang";
        let (fixed, counts) = fix(text).unwrap();
        assert_eq!(fixed, "tiêu đề\r\nthủ tục\nTiền Giang");
        assert_eq!(
            counts,
            Counts {
                look_alikes: 1,
                nfc_lines: 1
            }
        );
        assert_eq!(fix("đã sạch\n"), None);
    }
}
