//! The excerpt of a hit: the same fragment and highlights as tantivy's `SnippetGenerator`
//! over the folded analyzer with every query word weighing 1, found in one pass over the
//! syllables without building a token for each.
//!
//! The scan ([`analyzer::scan_folded`]) folds most syllables by table look-ups into a key of
//! eight bytes; a syllable is then matched with the query words by integer comparisons, after
//! a one-bit filter that rules out nearly all of them. The others are normalised as the
//! tokenizer does.
//!
//! The generator cuts the text into fragments from its start: a fragment ends before the first
//! token that would take it past the character budget, and the next one starts at that token.
//! Each fragment scores the query words it holds; the best is the first with the highest score.

use std::ops::Range;

use super::analyzer::{self, Folded, Form, MAX_SYLLABLE_BYTES};

/// The most bytes from a fragment's start to the end of its last syllable.
const MAX_CHARS: usize = 220;

/// One fragment of a text: where it runs, and the ranges of the query words in it (relative
/// to the text).
#[derive(Debug, Default)]
struct Fragment {
    start: usize,
    stop: usize,
    highlighted: Vec<Range<usize>>,
}

/// The best fragment of `text` for the folded `words` (as [`analyzer::terms`] writes them for
/// [`Form::Folded`]), and the ranges of the words in it (relative to the fragment); empty when
/// no word occurs.
pub fn excerpt<'t>(text: &'t str, words: &[String]) -> (&'t str, Vec<Range<usize>>) {
    let words = Words::new(words);
    let mut current = Fragment::default();
    let mut best = Fragment::default();
    let mut term = String::new();
    analyzer::scan_folded(text, |start, end, folded| {
        let matched = match folded {
            Some(folded) => words.match_folded(folded),
            None => match words.match_syllable(&text[start..end], &mut term) {
                Some(matched) => matched,
                None => return,
            },
        };
        if end - current.start > MAX_CHARS {
            if current.highlighted.len() > best.highlighted.len() {
                std::mem::swap(&mut best, &mut current);
            }
            current.start = start;
            current.highlighted.clear();
        }
        current.stop = end;
        if matched {
            current.highlighted.push(start..end);
        }
    });
    if current.highlighted.len() > best.highlighted.len() {
        best = current;
    }
    if best.highlighted.is_empty() {
        return ("", Vec::new());
    }
    let ranges = best
        .highlighted
        .iter()
        .map(|r| r.start - best.start..r.end - best.start)
        .collect();
    (&text[best.start..best.stop], ranges)
}

/// The query words, each with its [`analyzer::key`].
struct Words<'w> {
    words: &'w [String],
    keyed: Vec<(u64, &'w [u8])>,
    /// One bit per word, at its key's [`bucket`]: most syllables are no word, and one test
    /// of this says so for nearly all of them.
    buckets: u64,
}

/// Where a key falls among 64 buckets: its top six bits once multiplied by an odd constant,
/// which mixes all its bytes into them.
fn bucket(key: u64) -> u32 {
    (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 58) as u32
}

impl<'w> Words<'w> {
    fn new(words: &'w [String]) -> Self {
        let keyed: Vec<_> = words
            .iter()
            .map(|w| (analyzer::key(w.as_bytes()), w.as_bytes()))
            .collect();
        let buckets = keyed
            .iter()
            .fold(0, |bits, &(key, _)| bits | 1 << bucket(key));
        Words {
            words,
            keyed,
            buckets,
        }
    }

    /// Whether a syllable folded by table is a word: keys and lengths are compared first, bytes
    /// only past the eight a key holds.
    fn match_folded(&self, folded: Folded) -> bool {
        if self.buckets >> bucket(folded.key) & 1 == 0 {
            return false;
        }
        let len = folded.bytes.len();
        self.keyed.iter().any(|&(key, word)| {
            key == folded.key && word.len() == len && (len <= 8 || word == folded.bytes)
        })
    }

    /// What the token stream does with any other syllable: whether it is a word once
    /// normalised (in `term`), or `None` when it makes no token.
    #[cold]
    fn match_syllable(&self, syllable: &str, term: &mut String) -> Option<bool> {
        analyzer::normalize(syllable, Form::Folded, term);
        if term.is_empty() || term.len() > MAX_SYLLABLE_BYTES {
            return None;
        }
        // The generator looks tokens up lowercased (folded words are, but for odd letters).
        if term.is_ascii() {
            Some(self.words.contains(term))
        } else {
            Some(self.words.contains(&term.to_lowercase()))
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use tantivy::snippet::SnippetGenerator;
    use tantivy::tokenizer::TextAnalyzer;

    use super::*;
    use crate::search::analyzer::VietnameseTokenizer;

    fn tantivy(text: &str, words: &[&str]) -> (String, Vec<Range<usize>>) {
        let weights: BTreeMap<String, f32> = words.iter().map(|w| (w.to_string(), 1.0)).collect();
        let analyzer = TextAnalyzer::from(VietnameseTokenizer::new(Form::Folded, false));
        let field = tantivy::schema::Field::from_field_id(0);
        let generator = SnippetGenerator::new(weights, analyzer, field, MAX_CHARS);
        let snippet = generator.snippet(text);
        (
            snippet.fragment().to_owned(),
            snippet.highlighted().to_vec(),
        )
    }

    fn assert_same(text: &str, words: &[&str]) {
        let owned: Vec<String> = words.iter().map(|w| w.to_string()).collect();
        let (fragment, ranges) = excerpt(text, &owned);
        assert_eq!(
            (fragment.to_owned(), ranges),
            tantivy(text, words),
            "{words:?} in {text:?}"
        );
    }

    #[test]
    fn fragments_and_highlights_are_the_ones_tantivy_picks() {
        let long = "x".repeat(45);
        let filler = "Ủy ban nhân dân tỉnh Tiền Giang thông báo về việc tiếp nhận hồ sơ. ";
        let mut texts = vec![
            format!(
                "{}Cấp giấy phép xây dựng. {}giấy PHÉP {long} ᴄʜíɴʜ",
                filler.repeat(5),
                filler.repeat(3)
            ),
            format!("{}đăng ký khai sinh{}Đăng Ký", filler.repeat(7), filler),
            "no match here at all".to_owned(),
            format!(
                "{long} giấy {long}\u{301} \u{301} phép {}",
                filler.repeat(4)
            ),
            // Decomposed marks, a letter without an ASCII base, syllables long in bytes.
            format!(
                "{} thu\u{309} tục ß Giấy phép {} chính",
                "ế".repeat(20),
                "ế".repeat(41)
            ),
            // Capitals, đ and Đ, punctuation outside ASCII, digits, a non-breaking space.
            format!(
                "{}“THỦ TỤC” – HÀNH CHÍNH… ĐĂNG KÝ, đăng\u{a0}ký (mã 1.000894); {}Thủ×tục",
                filler.repeat(2),
                filler.repeat(3)
            ),
            // Syllables of 7, 8 and 9 bytes, words of more than eight letters, look-alikes.
            format!(
                "nghiệp người trường abcdefghik {}abcdefghij ᴄʜíɴʜ qυʏềɴ tục{}",
                filler.repeat(3),
                filler
            ),
            // Shorter than the eight bytes read at once; ending with letters of two bytes.
            "ký".to_owned(),
            "thủ tục".to_owned(),
            "Giấy phép".to_owned(),
            String::new(),
        ];
        // The words just before, across and just after where a fragment ends.
        texts.extend((0..12).map(|k| {
            format!(
                "{}{} giấy phép chính {filler}",
                "x".repeat(k),
                "ab ".repeat(70)
            )
        }));
        for text in &texts {
            for words in [
                &["giay", "phep"][..],
                &["dang", "ky"],
                &["chinh", "to"],
                &["thu", "tuc", &"e".repeat(20)],
                &["nghiep", "nguoi", "truong", "abcdefghij"],
                &["1", "000894", "hanh"],
                &["zzz"],
            ] {
                assert_same(text, words);
            }
        }
    }

    #[test]
    fn random_texts_get_the_excerpts_tantivy_picks() {
        use crate::search::analyzer::tests::{random_text, Lcg, SYLLABLES};
        let mut rng = Lcg(2024);
        let mut term = String::new();
        for _ in 0..300 {
            let text = random_text(&mut rng, 150);
            let mut words: Vec<String> = (0..rng.below(4) + 1)
                .map(|_| {
                    analyzer::normalize(rng.pick(&SYLLABLES), Form::Folded, &mut term);
                    term.clone()
                })
                .collect();
            if rng.below(4) == 0 {
                words.push("zzz".to_owned());
            }
            let words: Vec<&str> = words.iter().map(String::as_str).collect();
            assert_same(&text, &words);
        }
    }
}
