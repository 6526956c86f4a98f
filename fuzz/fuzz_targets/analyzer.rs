//! The Vietnamese analyzer, as the search path uses it on both sides: [`analyzer::terms`] on
//! a citizen's query, the tantivy tokenizers on the indexed text, and [`excerpt`], the hit's
//! snippet, made by a scan of its own that folds syllables by table look-ups.
//!
//! For any text and query, besides not panicking:
//! - each term's range is a syllable of the text, on character boundaries, in order;
//! - the tokenizers index exactly the query's terms: the folded tokens are the folded terms,
//!   the exact tokens the exact terms that carry marks, the pairs each two adjacent folded
//!   terms (so a query term always meets its indexed twin);
//! - the excerpt is the fragment and highlights tantivy's own `SnippetGenerator` picks over the
//!   folded tokenizer, as `excerpt` promises;
//! - from an outline of arbitrary bytes (a damaged index), the excerpt is still a piece of the
//!   text with its highlights inside it.
#![no_main]

use std::collections::BTreeMap;
use std::ops::Range;

use cong::search::analyzer::{self, Form, VietnameseTokenizer};
use cong::search::excerpt;
use libfuzzer_sys::fuzz_target;
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{TextAnalyzer, TokenStream, Tokenizer};

/// The longest fragment of an excerpt, in bytes: `MAX_CHARS` in `src/search/excerpt.rs`, which
/// is private; if it changes there, the comparison below fails until it changes here too.
const MAX_FRAGMENT_BYTES: usize = 220;

fuzz_target!(|bytes: &[u8]| {
    // The text, a NUL, the query, a NUL, the outline: seeds stay readable text.
    let mut parts = bytes.splitn(3, |&b| b == 0);
    let (Ok(text), Ok(query)) = (
        std::str::from_utf8(parts.next().unwrap_or_default()),
        std::str::from_utf8(parts.next().unwrap_or_default()),
    ) else {
        return;
    };
    let outline = parts.next().unwrap_or_default();
    let folded = analyzer::terms(text, Form::Folded);
    let exact = analyzer::terms(text, Form::Exact);
    for terms in [&folded, &exact] {
        assert_syllables(text, terms);
    }

    let marked: Vec<_> = exact
        .iter()
        .filter(|(_, start, end)| analyzer::has_marks(&text[*start..*end]))
        .cloned()
        .collect();
    assert_eq!(tokens(text, Form::Folded, false), folded, "folded tokens");
    assert_eq!(tokens(text, Form::Exact, false), marked, "exact tokens");
    let pairs: Vec<_> = folded
        .windows(2)
        .map(|w| (format!("{} {}", w[0].0, w[1].0), w[0].1, w[1].2))
        .collect();
    assert_eq!(tokens(text, Form::Folded, true), pairs, "pair tokens");

    let words: Vec<String> = analyzer::terms(query, Form::Folded)
        .into_iter()
        .map(|t| t.0)
        .collect();
    let (fragment, highlighted) = excerpt(text, &[], &words);
    assert_eq!(
        (fragment, highlighted),
        tantivy_excerpt(text, &words),
        "the excerpt of {words:?}"
    );
    let (fragment, highlighted) = excerpt(text, outline, &words);
    if !fragment.is_empty() {
        let start = (fragment.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
        assert!(
            start
                .checked_add(fragment.len())
                .and_then(|end| text.get(start..end))
                == Some(fragment),
            "the fragment is not a piece of the text"
        );
    }
    assert_in_order(fragment, &highlighted);
});

/// Each range is a non-empty run of `text` on character boundaries, after the one before.
fn assert_in_order(text: &str, ranges: &[Range<usize>]) {
    let mut after = 0;
    for range in ranges {
        assert!(
            after <= range.start && range.start < range.end,
            "{ranges:?}"
        );
        assert!(text.get(range.clone()).is_some(), "{range:?} in {text:?}");
        after = range.end;
    }
}

fn assert_syllables(text: &str, terms: &[(String, usize, usize)]) {
    let ranges: Vec<Range<usize>> = terms.iter().map(|t| t.1..t.2).collect();
    assert_in_order(text, &ranges);
    for range in ranges {
        let syllable = &text[range.clone()];
        assert!(
            analyzer::syllables(syllable).next() == Some((0, syllable.len())),
            "{syllable:?} is not one syllable"
        );
    }
}

/// What a tokenizer makes of `text`: each token's text and byte range.
fn tokens(text: &str, form: Form, pairs: bool) -> Vec<(String, usize, usize)> {
    let mut tokenizer = VietnameseTokenizer::new(form, pairs);
    let mut stream = tokenizer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        let token = stream.token();
        out.push((token.text.clone(), token.offset_from, token.offset_to));
    }
    out
}

/// The snippet tantivy's generator picks, every word weighing one.
fn tantivy_excerpt<'t>(text: &'t str, words: &[String]) -> (&'t str, Vec<Range<usize>>) {
    let weights: BTreeMap<String, f32> = words.iter().map(|w| (w.clone(), 1.0)).collect();
    let analyzer = TextAnalyzer::from(VietnameseTokenizer::new(Form::Folded, false));
    let field = tantivy::schema::Field::from_field_id(0);
    let generator = SnippetGenerator::new(weights, analyzer, field, MAX_FRAGMENT_BYTES);
    let snippet = generator.snippet(text);
    (
        &text[snippet.fragment_range()],
        snippet.highlighted().to_vec(),
    )
}
