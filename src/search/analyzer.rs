//! The Vietnamese analyzer: how text becomes search terms, for indexing and for queries alike.
//!
//! A *syllable* is a run of letters and digits (Vietnamese writes one syllable per word-space
//! unit: "thủ tục hành chính" has four). Each syllable is normalised in three steps:
//! 1. look-alike letters pasted from other scripts or from Unicode's phonetic blocks (small
//!    capitals ᴄ ʜ ɴ, Greek υ α ρ, Cherokee Ꭵ, Cyrillic п, Armenian ց …) are *cured* to the
//!    Latin letter they imitate, keeping Vietnamese marks (decancer, UTS #39 data): only
//!    syllables with a character outside the Latin blocks pay for it;
//! 2. lowercase, NFC;
//! 3. in the *folded* form only, marks are dropped and đ becomes d ("thủ" → "thu").
//!
//! Three tokenizers are registered by name: folded syllables, adjacent pairs of folded syllables
//! ("thu tuc"), and exact syllables — the marked ones only, since an unmarked syllable is the
//! same in both forms and the folded field already holds it. Meaning in Vietnamese lives in pairs, so pair terms
//! carry most of the ranking (see `query`). Token offsets always point into the original text,
//! so snippets highlight what the citizen reads.

use std::sync::LazyLock;

use tantivy::tokenizer::{Token, TokenStream, Tokenizer, TokenizerManager};
use unicode_normalization::UnicodeNormalization;

use crate::vietnamese::{is_combining_mark, is_plain_latin, push_cured_lowercase};

/// Syllables with marks, lowercased.
pub const EXACT: &str = "vi_exact";
/// Syllables without marks.
pub const FOLDED: &str = "vi_folded";
/// Adjacent pairs of folded syllables, joined by a space.
pub const FOLDED_PAIRS: &str = "vi_folded_pairs";

/// Longer "syllables" (URLs, base64 …) are not words anyone types.
pub(super) const MAX_SYLLABLE_BYTES: usize = 40;

/// Registers the three tokenizers under their names.
pub fn register(manager: &TokenizerManager) {
    manager.register(EXACT, VietnameseTokenizer::new(Form::Exact, false));
    manager.register(FOLDED, VietnameseTokenizer::new(Form::Folded, false));
    manager.register(FOLDED_PAIRS, VietnameseTokenizer::new(Form::Folded, true));
}

/// With or without marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// Marks kept: "thủ".
    Exact,
    /// Marks dropped, đ → d: "thu".
    Folded,
}

fn is_syllable_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    // The Latin blocks hold letters only, but for × and ÷; skip Unicode's slower tables there.
    let latin = LATIN_BLOCKS
        .iter()
        .any(|&(from, to)| (from..=to).contains(&(c as u32)));
    (latin && c != '×' && c != '÷') || c.is_alphanumeric() || is_combining_mark(c)
}

/// Byte ranges of the syllables of `text`.
pub fn syllables(text: &str) -> Syllables<'_> {
    Syllables { text, at: 0 }
}

/// The iterator of [`syllables`]: ASCII bytes are classified without decoding a character.
pub struct Syllables<'t> {
    text: &'t str,
    at: usize,
}

impl Iterator for Syllables<'_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        let start = self.skip_while(false)?;
        let end = self.skip_while(true).unwrap_or(self.text.len());
        Some((start, end))
    }
}

impl Syllables<'_> {
    /// Moves past the characters that are (`inside`) or are not syllable characters; where
    /// the first other one starts, if any.
    fn skip_while(&mut self, inside: bool) -> Option<usize> {
        let bytes = self.text.as_bytes();
        while self.at < bytes.len() {
            let byte = bytes[self.at];
            let (is_syllable, width) = if byte.is_ascii() {
                (byte.is_ascii_alphanumeric(), 1)
            } else {
                let c = self.text[self.at..].chars().next()?;
                (is_syllable_char(c), c.len_utf8())
            };
            if is_syllable != inside {
                return Some(self.at);
            }
            self.at += width;
        }
        None
    }
}

/// Calls `visit` with the byte range of each syllable of `text`, as [`syllables`] cuts them,
/// and its folded form (what [`normalize`] writes for [`Form::Folded`]) when every character
/// folds to one ASCII letter or digit by a table look-up, as in most Vietnamese text; `None`
/// for anything else (look-alikes, marks apart, more than [`MAX_SYLLABLE_BYTES`] characters),
/// which [`normalize`] handles. One pass over the characters, for scans of long texts.
pub(super) fn scan_folded(text: &str, mut visit: impl FnMut(usize, usize, Option<&[u8]>)) {
    let mut folded = [0u8; MAX_SYLLABLE_BYTES];
    // The syllable being read: where it starts, and how much of it folded simply.
    let mut start: Option<usize> = None;
    let mut len = 0;
    let mut simple = true;
    for (i, c) in text.char_indices() {
        let (inside, ascii) = if c.is_ascii() {
            (
                c.is_ascii_alphanumeric(),
                Some(c.to_ascii_lowercase() as u8),
            )
        } else {
            let ascii = fold_latin(c).filter(char::is_ascii).map(|b| b as u8);
            (is_syllable_char(c), ascii)
        };
        if !inside {
            if let Some(from) = start.take() {
                visit(from, i, simple.then(|| &folded[..len]));
            }
            continue;
        }
        if start.is_none() {
            start = Some(i);
            len = 0;
            simple = true;
        }
        match (ascii, folded.get_mut(len)) {
            (Some(byte), Some(slot)) if simple => {
                *slot = byte;
                len += 1;
            }
            _ => simple = false,
        }
    }
    if let Some(from) = start {
        visit(from, text.len(), simple.then(|| &folded[..len]));
    }
}

/// Writes the normal form of one syllable into `out` (cleared first).
pub fn normalize(syllable: &str, form: Form, out: &mut String) {
    out.clear();
    if syllable.is_ascii() {
        out.push_str(syllable);
        out.make_ascii_lowercase();
        return;
    }
    if syllable.chars().all(is_plain_latin) {
        match form {
            Form::Exact => {
                for c in syllable.chars() {
                    push_lowercase(c, out);
                }
                if syllable.chars().any(is_combining_mark) {
                    *out = out.nfc().collect();
                }
            }
            Form::Folded => fold_into(syllable.chars(), out),
        }
        return;
    }
    // Decompose, so that a look-alike base letter and its mark are cured apart (Greek ά is
    // α + acute), cure the base letters, then compose again.
    let mut cured = String::with_capacity(syllable.len());
    for c in syllable.nfd() {
        push_cured_lowercase(c, &mut cured);
    }
    match form {
        Form::Exact => out.extend(cured.nfc()),
        Form::Folded => fold_into(cured.chars(), out),
    }
}

/// The Latin blocks Vietnamese letters come from: Latin-1 Supplement to Latin Extended-B, and
/// Latin Extended Additional (where most letters with two marks live).
const LATIN_BLOCKS: [(u32, u32); 2] = [(0xc0, 0x24f), (0x1e00, 0x1eff)];

/// For every letter of [`LATIN_BLOCKS`], its lowercase base letter without marks (`Ầ` → `a`),
/// or itself when it has no single-letter base (`ß`, `æ`). Built once from Unicode's canonical
/// decompositions, so folding a letter is a table look-up.
static FOLDED_LATIN: LazyLock<Vec<char>> = LazyLock::new(|| {
    LATIN_BLOCKS
        .iter()
        .flat_map(|&(from, to)| from..=to)
        .map(|code| {
            let c = char::from_u32(code).unwrap_or(' ');
            match c {
                'đ' | 'Đ' => 'd',
                _ => c
                    .nfd()
                    .next()
                    .filter(char::is_ascii_alphabetic)
                    .map_or(c, |b| b.to_ascii_lowercase()),
            }
        })
        .collect()
});

fn fold_latin(c: char) -> Option<char> {
    let mut offset = 0;
    for (from, to) in LATIN_BLOCKS {
        let code = c as u32;
        if (from..=to).contains(&code) {
            return Some(FOLDED_LATIN[offset + (code - from) as usize]);
        }
        offset += (to - from + 1) as usize;
    }
    None
}

/// Lowercase, without marks, đ → d.
fn fold_into(chars: impl Iterator<Item = char>, out: &mut String) {
    for c in chars {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if let Some(base) = fold_latin(c) {
            out.extend(base.to_lowercase());
        } else if !is_combining_mark(c) {
            out.extend(
                c.to_lowercase()
                    .flat_map(|l| l.nfd())
                    .filter(|m| !is_combining_mark(*m)),
            );
        }
    }
}

fn push_lowercase(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
    } else {
        out.extend(c.to_lowercase());
    }
}

/// Whether `syllable`, whose exact form is `exact`, carries marks. Plain Latin letters carry
/// marks exactly when they are not ASCII (đ included); cured look-alikes are folded to compare.
fn has_marks_normalized(syllable: &str, exact: &str, scratch: &mut String) -> bool {
    if syllable.chars().all(is_plain_latin) {
        return !exact.is_ascii();
    }
    normalize(syllable, Form::Folded, scratch);
    scratch != exact
}

/// Whether a syllable's exact form differs from its folded one (it carries marks).
pub fn has_marks(syllable: &str) -> bool {
    let (mut exact, mut scratch) = (String::new(), String::new());
    normalize(syllable, Form::Exact, &mut exact);
    has_marks_normalized(syllable, &exact, &mut scratch)
}

/// The normalised syllables of `text`, with their byte ranges in it.
pub fn terms(text: &str, form: Form) -> Vec<(String, usize, usize)> {
    let mut buffer = String::new();
    syllables(text)
        .filter_map(|(start, end)| {
            normalize(&text[start..end], form, &mut buffer);
            (!buffer.is_empty() && buffer.len() <= MAX_SYLLABLE_BYTES)
                .then(|| (buffer.clone(), start, end))
        })
        .collect()
}

/// A tantivy tokenizer over the syllables of a text: single syllables or adjacent pairs.
#[derive(Debug, Clone)]
pub struct VietnameseTokenizer {
    form: Form,
    pairs: bool,
    token: Token,
}

impl VietnameseTokenizer {
    /// A tokenizer of one form, of syllables or of pairs.
    pub fn new(form: Form, pairs: bool) -> Self {
        VietnameseTokenizer {
            form,
            pairs,
            token: Token::default(),
        }
    }
}

/// The tokens of one text, made as they are asked for, reusing two buffers: tokenizing
/// allocates nothing per token.
pub struct VietnameseTokenStream<'a> {
    text: &'a str,
    syllables: Box<dyn Iterator<Item = (usize, usize)> + 'a>,
    form: Form,
    pairs: bool,
    /// The previous syllable (for pairs) and where it starts.
    previous: (String, usize),
    has_previous: bool,
    term: String,
    scratch: String,
    token: &'a mut Token,
}

impl Tokenizer for VietnameseTokenizer {
    type TokenStream<'a> = VietnameseTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VietnameseTokenStream<'a> {
        self.token.reset();
        VietnameseTokenStream {
            text,
            syllables: Box::new(syllables(text)),
            form: self.form,
            pairs: self.pairs,
            previous: (String::new(), 0),
            has_previous: false,
            term: String::new(),
            scratch: String::new(),
            token: &mut self.token,
        }
    }
}

impl TokenStream for VietnameseTokenStream<'_> {
    fn advance(&mut self) -> bool {
        for (start, end) in self.syllables.by_ref() {
            let syllable = &self.text[start..end];
            normalize(syllable, self.form, &mut self.term);
            if self.term.is_empty() || self.term.len() > MAX_SYLLABLE_BYTES {
                continue;
            }
            self.token.position = self.token.position.wrapping_add(1);
            self.token.text.clear();
            if self.pairs {
                let had_previous = std::mem::replace(&mut self.has_previous, true);
                let first_start = self.previous.1;
                std::mem::swap(&mut self.previous.0, &mut self.term);
                self.previous.1 = start;
                if !had_previous {
                    continue;
                }
                // `term` now holds the previous syllable, `previous.0` this one.
                self.token.text.push_str(&self.term);
                self.token.text.push(' ');
                self.token.text.push_str(&self.previous.0);
                (self.token.offset_from, self.token.offset_to) = (first_start, end);
                return true;
            }
            if self.form == Form::Exact
                && !has_marks_normalized(syllable, &self.term, &mut self.scratch)
            {
                continue;
            }
            self.token.text.push_str(&self.term);
            (self.token.offset_from, self.token.offset_to) = (start, end);
            return true;
        }
        false
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str, form: Form) -> Vec<String> {
        terms(text, form).into_iter().map(|t| t.0).collect()
    }

    fn tokens(text: &str, form: Form, pairs: bool) -> Vec<String> {
        let mut tokenizer = VietnameseTokenizer::new(form, pairs);
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    #[test]
    fn folding_drops_marks_and_d_with_stroke() {
        assert_eq!(
            words("Thủ tục Đăng ký", Form::Folded),
            ["thu", "tuc", "dang", "ky"]
        );
        assert_eq!(
            words("Thủ tục Đăng ký", Form::Exact),
            ["thủ", "tục", "đăng", "ký"]
        );
    }

    #[test]
    fn decomposed_input_gives_the_same_terms() {
        assert_eq!(
            words("Tie\u{302}\u{301}n Giang", Form::Exact),
            ["tiến", "giang"]
        );
        assert_eq!(
            words("Tie\u{302}\u{301}n Giang", Form::Folded),
            ["tien", "giang"]
        );
    }

    #[test]
    fn look_alike_letters_are_cured_keeping_vietnamese_marks() {
        assert_eq!(words("ᴄʜíɴʜ qυʏềɴ", Form::Exact), ["chính", "quyền"]);
        assert_eq!(words("đᎥệп tử", Form::Exact), ["điện", "tử"]);
        assert_eq!(words("đᎥệп tử", Form::Folded), ["dien", "tu"]);
    }

    #[test]
    fn pairs_join_adjacent_syllables() {
        assert_eq!(
            tokens("chuyển đổi số", Form::Folded, true),
            ["chuyen doi", "doi so"]
        );
        assert_eq!(
            tokens("chuyển đổi số", Form::Exact, true),
            ["chuyển đổi", "đổi số"]
        );
        assert!(tokens("số", Form::Exact, true).is_empty());
    }

    #[test]
    fn offsets_point_into_the_original_text() {
        let text = "Cấp giấy phép";
        let t = terms(text, Form::Folded);
        assert_eq!(&text[t[1].1..t[1].2], "giấy");
    }

    #[test]
    fn punctuation_and_codes_split_syllables() {
        assert_eq!(
            words("Mã 1.001193, (xã)!", Form::Folded),
            ["ma", "1", "001193", "xa"]
        );
    }

    #[test]
    fn folding_covers_every_vietnamese_letter() {
        let letters = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ";
        let upper: String = letters.to_uppercase();
        for text in [letters, upper.as_str()] {
            let folded = words(text, Form::Folded).concat();
            assert!(folded.chars().all(|c| "aeiouyd".contains(c)), "{folded}");
        }
    }

    #[test]
    fn marks_are_detected() {
        assert!(has_marks("bán"));
        assert!(!has_marks("ban"));
    }
}
