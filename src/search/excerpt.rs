//! The excerpt of a hit: the same fragment and highlights as tantivy's `SnippetGenerator`
//! over the folded analyzer with every query word weighing 1, from an outline of the text
//! that the build records beside it.
//!
//! The generator cuts the text into fragments from its start: a fragment ends before the first
//! token that would take it past the character budget, and the next one starts at that token.
//! Each fragment scores the query words it holds; the best is the first with the highest score.
//! The cuts depend on the text alone, so [`outline`] makes them once, at build time, and keeps
//! with each fragment a 16-bit hash of each of its tokens. A search counts, for each fragment,
//! the tokens whose hash is a query word's: at least as many as the words it holds. It then
//! scans only the fragments that may beat the best one found so far, in the order of those
//! counts, which on most texts is one fragment instead of the whole text.
//!
//! The scan ([`analyzer::scan_folded`]) folds most syllables by table look-ups into a key of
//! eight bytes; a syllable is then matched with the query words by integer comparisons, after
//! a one-bit filter that rules out nearly all of them. The others are normalised as the
//! tokenizer does.
//!
//! `excerpt` owns the fragments, their outline's bytes and the highlights; which text is
//! excerpted, and how the highlights are written out, is `query`'s.

use std::ops::Range;

use super::analyzer::{self, Form, MAX_SYLLABLE_BYTES};

/// The most bytes from a fragment's start to the end of its last syllable.
const MAX_CHARS: usize = 220;

/// The bytes of a fragment in an outline: where it starts (u32), its length (u16) and how
/// many tokens it holds (u16), little-endian.
const FRAGMENT_BYTES: usize = 8;

/// The outline of `text` that [`excerpt`] reads: a u32 count of fragments, each fragment that
/// holds a token as [`FRAGMENT_BYTES`], then the u16 [`hash`] of each of their tokens, in
/// order, all little-endian. Empty for a text too long for the u32 offsets.
pub fn outline(text: &str) -> Vec<u8> {
    /// Start, end, tokens.
    type Cut = (usize, usize, usize);
    let mut fragments: Vec<Cut> = Vec::new();
    let mut current: Cut = (0, 0, 0);
    let mut hashes = Vec::new();
    tokens(text, |start, end, key, bytes| {
        if end - current.0 > MAX_CHARS {
            if current.2 > 0 {
                fragments.push(current);
            }
            current = (start, end, 0);
        }
        current.1 = end;
        current.2 += 1;
        hashes.push(hash(key, bytes.len()));
    });
    if current.2 > 0 {
        fragments.push(current);
    }
    let mut out = Vec::with_capacity(4 + fragments.len() * FRAGMENT_BYTES + hashes.len() * 2);
    let Ok(count) = u32::try_from(fragments.len()) else {
        return Vec::new();
    };
    out.extend_from_slice(&count.to_le_bytes());
    for (start, end, tokens) in fragments {
        let (Ok(start), Ok(len), Ok(tokens)) = (
            u32::try_from(start),
            u16::try_from(end - start),
            u16::try_from(tokens),
        ) else {
            return Vec::new();
        };
        out.extend_from_slice(&start.to_le_bytes());
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&tokens.to_le_bytes());
    }
    out.extend(hashes.into_iter().flat_map(u16::to_le_bytes));
    out
}

/// The best fragment of `text` for the folded `words` (as [`analyzer::terms`] writes them for
/// [`Form::Folded`]), and the ranges of the words in it (relative to the fragment); empty when
/// no word occurs. `outline` is what [`outline`] made of `text`; when it does not fit the text
/// (an index written by other code), the outline is made again.
pub fn excerpt<'t>(
    text: &'t str,
    outline: &[u8],
    words: &[String],
) -> (&'t str, Vec<Range<usize>>) {
    let words = Words::new(words);
    if let Some(fragments) = Fragment::read_all(outline, text) {
        return best(text, &fragments, &words);
    }
    let outline = self::outline(text);
    match Fragment::read_all(&outline, text) {
        Some(fragments) => best(text, &fragments, &words),
        None => ("", Vec::new()),
    }
}

/// The first fragment holding the most words: fragments are scanned in the order of how many
/// of their tokens' hashes are words' (at least the words they hold), until none left can beat
/// the best one scanned.
fn best<'t>(
    text: &'t str,
    fragments: &[Fragment<'_>],
    words: &Words<'_>,
) -> (&'t str, Vec<Range<usize>>) {
    let mut order: Vec<(usize, usize)> = fragments
        .iter()
        .enumerate()
        .map(|(i, f)| (words.count_hashed(f.hashes), i))
        .filter(|&(bound, _)| bound > 0)
        .collect();
    order.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut best: Option<(usize, Vec<Range<usize>>)> = None;
    for (bound, i) in order {
        if let Some((at, found)) = &best {
            if bound < found.len() || (bound == found.len() && i > *at) {
                break;
            }
        }
        let found = words.find(&text[fragments[i].range()]);
        let better = match &best {
            None => !found.is_empty(),
            Some((at, most)) => found.len() > most.len() || (found.len() == most.len() && i < *at),
        };
        if better {
            best = Some((i, found));
        }
    }
    match best {
        Some((i, found)) => (&text[fragments[i].range()], found),
        None => ("", Vec::new()),
    }
}

/// One fragment of an outline.
struct Fragment<'o> {
    start: usize,
    len: usize,
    /// The u16 hashes of its tokens, little-endian.
    hashes: &'o [u8],
}

impl<'o> Fragment<'o> {
    /// The fragments of `outline`, or `None` unless it is well formed and every fragment lies
    /// within `text`, on character boundaries.
    fn read_all(outline: &'o [u8], text: &str) -> Option<Vec<Fragment<'o>>> {
        let (count, rest) = outline.split_first_chunk::<4>()?;
        let count = usize::try_from(u32::from_le_bytes(*count)).ok()?;
        let (heads, mut hashes) = rest.split_at_checked(count.checked_mul(FRAGMENT_BYTES)?)?;
        let mut fragments = Vec::with_capacity(count);
        for head in heads.chunks_exact(FRAGMENT_BYTES) {
            let start = u32::from_le_bytes(head[..4].try_into().ok()?) as usize;
            let len = usize::from(u16::from_le_bytes(head[4..6].try_into().ok()?));
            let tokens = usize::from(u16::from_le_bytes(head[6..].try_into().ok()?));
            text.get(start..start.checked_add(len)?)?;
            let (own, rest) = hashes.split_at_checked(tokens * 2)?;
            fragments.push(Fragment {
                start,
                len,
                hashes: own,
            });
            hashes = rest;
        }
        hashes.is_empty().then_some(fragments)
    }

    fn range(&self) -> Range<usize> {
        self.start..self.start + self.len
    }
}

/// Calls `visit` with each token of `text` as the generator compares it with the query words:
/// its byte range, the [`analyzer::key`] of its folded, lowercased bytes, and those bytes.
fn tokens(text: &str, mut visit: impl FnMut(usize, usize, u64, &[u8])) {
    let mut term = String::new();
    analyzer::scan_folded(text, |start, end, folded| match folded {
        Some(folded) => visit(start, end, folded.key, folded.bytes),
        None => {
            if let Some(bytes) = normalized(&text[start..end], &mut term) {
                visit(start, end, analyzer::key(bytes), bytes);
            }
        }
    });
}

/// What the token stream does with a syllable the scan did not fold: its folded bytes, as the
/// generator looks them up, or `None` when it makes no token.
#[cold]
fn normalized<'t>(syllable: &str, term: &'t mut String) -> Option<&'t [u8]> {
    analyzer::normalize(syllable, Form::Folded, term);
    if term.is_empty() || term.len() > MAX_SYLLABLE_BYTES {
        return None;
    }
    // The generator looks tokens up lowercased (folded words are, but for odd letters).
    if !term.is_ascii() {
        *term = term.to_lowercase();
    }
    Some(term.as_bytes())
}

/// An odd constant: an integer multiplied by it has all its bytes mixed into its top bits.
const MIX: u64 = 0x9e37_79b9_7f4a_7c15;

/// A token's 16 bits in an outline: the top bits of its key and length, mixed.
fn hash(key: u64, len: usize) -> u16 {
    (key.wrapping_add(len as u64).wrapping_mul(MIX) >> 48) as u16
}

/// Where a key falls among 64 buckets: its top six bits, mixed.
fn bucket(key: u64) -> u32 {
    (key.wrapping_mul(MIX) >> 58) as u32
}

/// The query words, each with its [`analyzer::key`].
struct Words<'w> {
    keyed: Vec<(u64, &'w [u8])>,
    /// One bit per word, at its key's [`bucket`]: most syllables are no word, and one test
    /// of this says so for nearly all of them.
    buckets: u64,
    /// The words' [`hash`]es, each once.
    hashes: Vec<u16>,
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
        let mut hashes: Vec<u16> = keyed
            .iter()
            .map(|&(key, word)| hash(key, word.len()))
            .collect();
        hashes.sort_unstable();
        hashes.dedup();
        Words {
            keyed,
            buckets,
            hashes,
        }
    }

    /// How many of the outline `hashes` are a word's: at least how many tokens are words. One
    /// pass a word, which the compiler turns into vector comparisons.
    fn count_hashed(&self, hashes: &[u8]) -> usize {
        self.hashes
            .iter()
            .map(|&word| {
                hashes
                    .chunks_exact(2)
                    .filter(|h| u16::from_le_bytes([h[0], h[1]]) == word)
                    .count()
            })
            .sum()
    }

    /// The ranges of the tokens of `fragment` that are words.
    fn find(&self, fragment: &str) -> Vec<Range<usize>> {
        let mut found = Vec::new();
        tokens(fragment, |start, end, key, bytes| {
            if self.is_word(key, bytes) {
                found.push(start..end);
            }
        });
        found
    }

    /// Whether a token is a word: keys and lengths are compared first, bytes only past the
    /// eight a key holds.
    fn is_word(&self, key: u64, bytes: &[u8]) -> bool {
        if self.buckets >> bucket(key) & 1 == 0 {
            return false;
        }
        let len = bytes.len();
        self.keyed
            .iter()
            .any(|&(k, word)| k == key && word.len() == len && (len <= 8 || word == bytes))
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
        assert_same_from(text, &outline(text), words);
    }

    fn assert_same_from(text: &str, outline: &[u8], words: &[&str]) {
        let owned: Vec<String> = words.iter().map(|w| w.to_string()).collect();
        let (fragment, ranges) = excerpt(text, outline, &owned);
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

    /// 300 generated Vietnamese-like texts, each with one to four of its syllables' folded
    /// forms (and sometimes a word it lacks) as the query.
    fn random_cases() -> Vec<(String, Vec<String>)> {
        use crate::search::analyzer::tests::{random_text, Lcg, SYLLABLES};
        let mut rng = Lcg(2024);
        let mut term = String::new();
        (0..300)
            .map(|_| {
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
                (text, words)
            })
            .collect()
    }

    #[test]
    fn random_texts_get_the_excerpts_tantivy_picks() {
        for (text, words) in random_cases() {
            let words: Vec<&str> = words.iter().map(String::as_str).collect();
            assert_same(&text, &words);
        }
    }

    #[test]
    fn tokens_whose_hash_is_a_words_but_are_no_word_do_not_change_the_excerpt() {
        for (text, words) in random_cases() {
            // Every token hashes as the first word: each fragment may hold all it has.
            let mut saturated = outline(&text);
            let count = u32::from_le_bytes(saturated[..4].try_into().unwrap()) as usize;
            let hash = hash(analyzer::key(words[0].as_bytes()), words[0].len());
            for h in saturated[4 + count * FRAGMENT_BYTES..].chunks_exact_mut(2) {
                h.copy_from_slice(&hash.to_le_bytes());
            }
            let words: Vec<&str> = words.iter().map(String::as_str).collect();
            assert_same_from(&text, &saturated, &words);
        }
    }

    #[test]
    fn an_outline_that_does_not_fit_its_text_is_made_again() {
        let text = "Ủy ban nhân dân tỉnh Tiền Giang tiếp nhận hồ sơ đăng ký khai sinh. ".repeat(9);
        let longer = outline(&text.repeat(2));
        let own = outline(&text);
        for wrong in [&[][..], &own[..own.len() - 1], &own[..3], &longer] {
            assert_same_from(&text, wrong, &["dang", "ky"]);
        }
    }
}
