//! The excerpt of a hit: the same fragment and highlights as tantivy's `SnippetGenerator`
//! over the folded analyzer with every query word weighing 1, found in one pass over the
//! syllables without building a token for each.
//!
//! The generator cuts the text into fragments from its start: a fragment ends before the first
//! token that would take it past the character budget, and the next one starts at that token.
//! Each fragment scores the query words it holds; the best is the first with the highest score.

use std::ops::Range;

use super::analyzer::{self, Form, MAX_SYLLABLE_BYTES};

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
    let mut current = Fragment::default();
    let mut best = Fragment::default();
    let mut term = String::new();
    analyzer::scan_folded(text, |start, end, folded| {
        // What the token stream does: normalise, and skip what is no token.
        let matched = match folded {
            Some(folded) => words.iter().any(|w| w.as_bytes() == folded),
            None => {
                analyzer::normalize(&text[start..end], Form::Folded, &mut term);
                if term.is_empty() || term.len() > MAX_SYLLABLE_BYTES {
                    return;
                }
                // The generator looks tokens up lowercased (folded words are, but for odd
                // letters).
                if term.is_ascii() {
                    words.contains(&term)
                } else {
                    words.contains(&term.to_lowercase())
                }
            }
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

    #[test]
    fn fragments_and_highlights_are_the_ones_tantivy_picks() {
        let long = "x".repeat(45);
        let filler = "Ủy ban nhân dân tỉnh Tiền Giang thông báo về việc tiếp nhận hồ sơ. ";
        let texts = [
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
        ];
        for text in &texts {
            for words in [
                &["giay", "phep"][..],
                &["dang", "ky"],
                &["chinh", "to"],
                &["thu", "tuc", &"e".repeat(20)],
                &["zzz"],
            ] {
                let owned: Vec<String> = words.iter().map(|w| w.to_string()).collect();
                let (fragment, ranges) = excerpt(text, &owned);
                assert_eq!(
                    (fragment.to_owned(), ranges),
                    tantivy(text, words),
                    "{words:?} in {text}"
                );
            }
        }
    }
}
