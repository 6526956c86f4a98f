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

/// A syllable that [`scan_folded`] folded by table look-ups: its folded bytes, and their
/// [`key`], to compare it with a word in one integer comparison.
#[derive(Debug, Clone, Copy)]
pub(super) struct Folded<'a> {
    /// What [`normalize`] writes for [`Form::Folded`]: ASCII letters and digits.
    pub bytes: &'a [u8],
    /// The [`key`] of `bytes`.
    pub key: u64,
}

/// The first eight of `bytes` packed into an integer, zero-padded: two strings of the same
/// length up to eight bytes are equal exactly when their keys are.
pub(super) fn key(bytes: &[u8]) -> u64 {
    let mut padded = [0; 8];
    let len = bytes.len().min(8);
    padded[..len].copy_from_slice(&bytes[..len]);
    u64::from_le_bytes(padded)
}

/// Calls `visit` with the byte range of each syllable of `text`, as [`syllables`] cuts them,
/// and its folded form when every character folds to one ASCII letter or digit by a table
/// look-up, as in most Vietnamese text; `None` for anything else (look-alikes, marks apart,
/// more than [`MAX_SYLLABLE_BYTES`] characters), which [`normalize`] handles. One pass over
/// the bytes, for scans of long texts.
///
/// Most syllables are read eight bytes at a time ([`fold_short`]): stepping through them a
/// character at a time costs more in mispredicted branches (where the syllable ends, how wide
/// the next character is) than in instructions.
pub(super) fn scan_folded(text: &str, mut visit: impl FnMut(usize, usize, Option<Folded<'_>>)) {
    let classes: &Classes = &CLASSES;
    let bytes = text.as_bytes();
    let mut folded = [0; MAX_SYLLABLE_BYTES];
    let mut at = 0;
    while at < bytes.len() {
        let (class, width) = class_at(classes, bytes, at);
        if class == SEPARATOR {
            at += width;
            continue;
        }
        let (end, next, syllable) = match fold_short(classes, bytes, at) {
            Some(Short {
                end,
                next,
                key,
                len,
            }) => {
                folded[..8].copy_from_slice(&key.to_le_bytes());
                (
                    end,
                    next,
                    Some(Folded {
                        bytes: &folded[..len],
                        key,
                    }),
                )
            }
            None => {
                let (end, syllable) = fold_syllable(classes, bytes, at, &mut folded);
                (end, end, syllable)
            }
        };
        visit(at, end, syllable);
        at = next;
    }
}

/// A syllable that [`fold_short`] read.
struct Short {
    /// Where it ends.
    end: usize,
    /// Past the ASCII separators that follow it in the bytes read.
    next: usize,
    /// Its folded bytes' [`key`].
    key: u64,
    /// How many folded bytes.
    len: usize,
}

/// Reads the syllable of `bytes` that starts at `start` (with a syllable character) when it
/// ends at a separator within the next eight bytes and folds by table look-ups. The ASCII
/// bytes are classified and lowercased together, as bits of one integer; only the other
/// characters are looked up, one by one.
#[inline(always)]
fn fold_short(classes: &Classes, bytes: &[u8], start: usize) -> Option<Short> {
    let window = u64::from_le_bytes(bytes.get(start..start + 8)?.try_into().ok()?);
    let (letters, separators) = ascii_kinds(window);
    if separators == 0 {
        return None;
    }
    let mut end = separators.trailing_zeros() as usize / 8;
    let lowercase = window | letters >> 2;
    let mut others = lead_bytes(window) & low_bytes(u64::MAX, end);
    // The folded bytes so far (`len` of them), and where the ASCII bytes not yet copied start.
    let (mut key, mut len, mut from) = (0, 0, 0);
    while others != 0 {
        let at = others.trailing_zeros() as usize / 8;
        let (code, width) = decode((window >> (8 * at)) as u32);
        let class = class_of(classes, code);
        if class == SEPARATOR {
            end = at;
            break;
        }
        if class == UNFOLDED {
            return None;
        }
        key |= low_bytes(lowercase >> (8 * from), at - from) << (8 * len);
        len += at - from;
        key |= u64::from(class) << (8 * len);
        len += 1;
        from = at + width;
        others &= others - 1;
    }
    key |= low_bytes(lowercase >> (8 * from), end - from) << (8 * len);
    len += end - from;
    // Past the window, the shifted bits read as separators: hence the bound.
    let gap = ((!separators & HIGHS) >> (8 * end)).trailing_zeros() as usize / 8;
    Some(Short {
        end: start + end,
        next: start + end + gap.min(8 - end),
        key,
        len,
    })
}

/// Each byte's lowest bit, as an integer of eight bytes.
const ONES: u64 = u64::MAX / 0xff;
/// Each byte's highest bit.
const HIGHS: u64 = ONES << 7;

/// Which of the eight bytes of `window` are ASCII letters, and which are ASCII bytes that are
/// neither letters nor digits (each byte's highest bit set where so).
fn ascii_kinds(window: u64) -> (u64, u64) {
    // Each byte's highest bit is set where the byte is at least `lowest` (all bytes below 0x80).
    let at_least = |bytes: u64, lowest: u8| bytes + u64::from(0x80 - lowest) * ONES;
    let within = |bytes, from: u8, to: u8| at_least(bytes, from) & !at_least(bytes, to + 1) & HIGHS;
    let ascii = !window & HIGHS;
    let seven = window & !HIGHS;
    let digits = within(seven, b'0', b'9');
    let letters = within(seven | (0x20 * ONES), b'a', b'z') & ascii;
    (letters, ascii & !(letters | digits))
}

/// Which of the eight bytes of `window` start a character of two bytes or more.
fn lead_bytes(window: u64) -> u64 {
    window & window << 1 & HIGHS
}

/// The lowest `count` bytes of `bytes`, for `count` below eight.
fn low_bytes(bytes: u64, count: usize) -> u64 {
    bytes & !(u64::MAX << (8 * count))
}

/// Reads the syllable of `bytes` that starts at `start`, folding it into `folded`, a character
/// at a time: where it ends, and its folded form if every character has one and it fits.
fn fold_syllable<'f>(
    classes: &Classes,
    bytes: &[u8],
    start: usize,
    folded: &'f mut [u8; MAX_SYLLABLE_BYTES],
) -> (usize, Option<Folded<'f>>) {
    let (mut at, mut len) = (start, 0);
    // The classes' bits together: [`UNFOLDED`]'s is set in none of the ASCII ones.
    let mut seen = 0;
    while at < bytes.len() {
        let (class, width) = class_at(classes, bytes, at);
        if class == SEPARATOR {
            break;
        }
        if let Some(slot) = folded.get_mut(len) {
            *slot = class;
        }
        len += 1;
        seen |= class;
        at += width;
    }
    let simple = seen & UNFOLDED == 0 && len <= MAX_SYLLABLE_BYTES;
    let bytes = &folded[..len.min(MAX_SYLLABLE_BYTES)];
    (
        at,
        simple.then(|| Folded {
            bytes,
            key: key(bytes),
        }),
    )
}

/// The class of the character that starts at `at` in UTF-8 `bytes`, and its width.
#[inline(always)]
fn class_at(classes: &Classes, bytes: &[u8], at: usize) -> (Class, usize) {
    let lead = bytes[at];
    if lead.is_ascii() {
        return (classes[usize::from(lead)], 1);
    }
    // Zeros past the end of the text, where the character's bytes have ended already.
    let byte = |i| bytes.get(at + i).map_or(0, |&b| u32::from(b));
    let (code, width) = decode(u32::from(lead) | byte(1) << 8 | byte(2) << 16 | byte(3) << 24);
    (class_of(classes, code), width)
}

/// The code point and width of the character of two bytes or more that starts `bytes` (UTF-8,
/// first byte lowest), without a branch on its width: all four bytes' bits are packed as if
/// it were four bytes long, then those of the bytes past its end are shifted out.
#[inline(always)]
fn decode(bytes: u32) -> (u32, usize) {
    let [lead, b1, b2, b3] = bytes.to_le_bytes();
    let width = 2 + usize::from(lead >= 0xe0) + usize::from(lead >= 0xf0);
    let bits = u32::from(lead & 0x7f >> width) << 18
        | u32::from(b1 & 0x3f) << 12
        | u32::from(b2 & 0x3f) << 6
        | u32::from(b3 & 0x3f);
    (bits >> (6 * (4 - width)), width)
}

/// The class of the character `code`, looked up if [`CLASSES`] holds it.
fn class_of(classes: &Classes, code: u32) -> Class {
    match classes.get(code as usize) {
        Some(&class) => class,
        None => char::from_u32(code).map_or(SEPARATOR, classify),
    }
}

/// How [`scan_folded`] sees a character: [`SEPARATOR`], [`UNFOLDED`], or the ASCII letter or
/// digit it folds to.
type Class = u8;
/// No syllable character.
const SEPARATOR: Class = 0;
/// A syllable character that folds to no single ASCII letter or digit.
const UNFOLDED: Class = 0x80;

fn classify(c: char) -> Class {
    if !is_syllable_char(c) {
        SEPARATOR
    } else if c.is_ascii() {
        c.to_ascii_lowercase() as u8
    } else {
        fold_latin(c)
            .filter(char::is_ascii)
            .map_or(UNFOLDED, |base| base as u8)
    }
}

/// The characters [`CLASSES`] holds: up to General Punctuation (“ ” – …), that is ASCII, the
/// Latin blocks, combining marks, all that UTF-8 writes in two bytes.
const CLASSIFIED: usize = 0x2070;

type Classes = [Class; CLASSIFIED];

/// The [`Class`] of every character below [`CLASSIFIED`].
static CLASSES: LazyLock<Box<Classes>> = LazyLock::new(|| {
    let mut classes = Box::new([SEPARATOR; CLASSIFIED]);
    for (code, class) in (0..).zip(classes.iter_mut()) {
        *class = char::from_u32(code).map_or(SEPARATOR, classify);
    }
    classes
});

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
pub(super) mod tests {
    use super::*;

    /// A tiny linear congruential generator, for random tests that replay the same way.
    pub(in crate::search) struct Lcg(pub u64);

    impl Lcg {
        /// A number below `n`.
        pub fn below(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((self.0 >> 33) % n as u64) as usize
        }

        pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
            items[self.below(items.len())]
        }
    }

    /// Syllables as texts write them: marked, capitalised, 2 to 9 bytes, and odd ones (marks
    /// apart, look-alikes, letters without an ASCII base, digits, an emoji).
    pub(in crate::search) const SYLLABLES: [&str; 48] = [
        "thủ",
        "tục",
        "hành",
        "chính",
        "đăng",
        "ký",
        "khai",
        "sinh",
        "giấy",
        "phép",
        "xây",
        "dựng",
        "chuyển",
        "đổi",
        "số",
        "nông",
        "thôn",
        "mới",
        "tiến",
        "giang",
        "được",
        "người",
        "trường",
        "nghiệp",
        "Ủy",
        "ĐĂNG",
        "KÝ",
        "THỦ",
        "TỤC",
        "Đường",
        "ban",
        "a",
        "1",
        "000894",
        "2024",
        "abcdefghij",
        "abcdefghik",
        "ᴄʜíɴʜ",
        "qυʏềɴ",
        "thu\u{309}",
        "Tie\u{302}\u{301}n",
        "ß",
        "æ",
        "😀",
        "ǅ",
        "Ω",
        "ế",
        "ı",
    ];

    /// What texts put between syllables: spaces, punctuation, ASCII or not, a lone mark, or
    /// nothing.
    const SEPARATORS: [&str; 18] = [
        " ",
        " ",
        " ",
        " ",
        ", ",
        ". ",
        "“",
        "” ",
        " – ",
        "…",
        "\u{a0}",
        "\n",
        "(",
        ") ",
        "×",
        " \u{301} ",
        "-",
        "",
    ];

    /// A random text of up to `pieces` syllables, with now and then a run too long to be one.
    pub(in crate::search) fn random_text(rng: &mut Lcg, pieces: usize) -> String {
        let mut text = String::new();
        for _ in 0..rng.below(pieces) + 1 {
            match rng.below(40) {
                0 => text.push_str(&rng.pick(&["x", "ế", "1"]).repeat(30 + rng.below(20))),
                _ => text.push_str(rng.pick(&SYLLABLES)),
            }
            text.push_str(rng.pick(&SEPARATORS));
        }
        text
    }

    /// What `scan_folded` visits, with the folded bytes copied out.
    fn scanned(text: &str) -> Vec<(usize, usize, Option<Vec<u8>>)> {
        let mut out = Vec::new();
        scan_folded(text, |start, end, folded| {
            if let Some(f) = folded {
                assert_eq!(f.key, key(f.bytes), "{:?}", &text[start..end]);
            }
            out.push((start, end, folded.map(|f| f.bytes.to_vec())));
        });
        out
    }

    #[test]
    fn the_scan_cuts_and_folds_syllables_like_the_tokenizer() {
        let mut rng = Lcg(7);
        let edge_cases = [
            "",
            "a",
            "ký",
            "giấy",
            "Giấy phép",
            "nghiệp",
            "trường.",
            " “a”b–c ",
        ];
        let texts = edge_cases
            .map(str::to_owned)
            .into_iter()
            .chain((0..400).map(|_| random_text(&mut rng, 60)));
        let mut term = String::new();
        for text in texts {
            let scanned = scanned(&text);
            let ranges: Vec<_> = scanned.iter().map(|&(s, e, _)| (s, e)).collect();
            assert_eq!(ranges, syllables(&text).collect::<Vec<_>>(), "{text:?}");
            for (start, end, folded) in scanned {
                let syllable = &text[start..end];
                match folded {
                    Some(folded) => {
                        normalize(syllable, Form::Folded, &mut term);
                        assert_eq!(folded, term.as_bytes(), "{syllable:?}");
                    }
                    None => assert!(
                        syllable.chars().any(|c| classify(c) == UNFOLDED)
                            || syllable.chars().count() > MAX_SYLLABLE_BYTES,
                        "{syllable:?}"
                    ),
                }
            }
        }
    }

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
