//! The known words one edit away from a word the index does not know: what a spelling
//! correction chooses from.
//!
//! The words of a field, read from its term dictionaries the first time a search needs them,
//! are kept in a table under themselves and under each of their deletions (the word without one
//! of its letters). Two words one edit apart (a letter deleted, inserted or replaced, or two
//! neighbouring letters swapped) always share an entry: the shorter one itself, or both without
//! the replaced letter, or both without one of the swapped ones. So the candidates are found by
//! looking up the word and its deletions, and each is then checked. They are the words tantivy's
//! Levenshtein automaton finds in the term dictionary (distance 1, a swap counting one), which
//! the tests hold this to. The automaton was built for each word and walked over the whole
//! dictionary; here a word costs a few look-ups and a check of each candidate.
//!
//! `spelling` owns that table; which neighbour a correction takes is `query`'s.

use std::collections::BTreeSet;

use rustc_hash::FxHashMap;
use tantivy::schema::Field;

/// The words of one field, and where each word and each of its deletions leads.
pub(super) struct Spelling {
    /// Every word of the field, in order.
    words: Vec<Box<str>>,
    /// A word, or a word without one letter: the words (their places in `words`) it comes from.
    table: FxHashMap<Box<str>, Vec<u32>>,
}

impl Spelling {
    /// The words of `field` in every segment `searcher` reads.
    pub fn read(searcher: &tantivy::Searcher, field: Field) -> tantivy::Result<Spelling> {
        let mut known = BTreeSet::new();
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(field)?;
            let mut terms = inverted.terms().stream()?;
            while terms.advance() {
                if let Ok(term) = std::str::from_utf8(terms.key()) {
                    known.insert(Box::<str>::from(term));
                }
            }
        }
        Ok(Spelling::of(known.into_iter().collect()))
    }

    /// The table of `words` (in order, each once).
    fn of(words: Vec<Box<str>>) -> Spelling {
        let mut table: FxHashMap<Box<str>, Vec<u32>> = FxHashMap::default();
        for (place, word) in (0u32..).zip(&words) {
            for key in keys(word) {
                let places = table.entry(key.into_boxed_str()).or_default();
                // A word with a doubled letter has the same deletion twice.
                if places.last() != Some(&place) {
                    places.push(place);
                }
            }
        }
        Spelling { words, table }
    }

    /// The known words one edit (delete, replace, insert, swap) from `word`, in order; `word`
    /// itself among them when it is known.
    pub fn neighbours(&self, word: &str) -> BTreeSet<String> {
        let mut places: Vec<u32> = keys(word)
            .filter_map(|key| self.table.get(key.as_str()))
            .flatten()
            .copied()
            .collect();
        places.sort_unstable();
        places.dedup();
        places
            .into_iter()
            .map(|place| &*self.words[place as usize])
            .filter(|known| within_one_edit(word, known))
            .map(str::to_owned)
            .collect()
    }
}

/// Where `word` stands in the table, and where the words one edit from it do: `word` itself,
/// then `word` without each of its letters in turn.
fn keys(word: &str) -> impl Iterator<Item = String> + '_ {
    let deletions = word
        .char_indices()
        .map(move |(at, c)| [&word[..at], &word[at + c.len_utf8()..]].concat());
    std::iter::once(word.to_owned()).chain(deletions)
}

/// Whether `a` and `b` are equal or one edit apart: a letter deleted, inserted or replaced, or
/// two neighbouring letters swapped.
fn within_one_edit(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    // Where they first differ, and where they last differ counted from their ends.
    let head = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (a_mid, b_mid) = (&a[head..a.len() - tail], &b[head..b.len() - tail]);
    match (a_mid, b_mid) {
        // Equal, one letter deleted or inserted, or one replaced.
        ([], []) | ([_], []) | ([], [_]) | ([_], [_]) => true,
        // Two neighbouring letters swapped.
        ([x, y], [z, w]) => x == w && y == z,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use tantivy::query::FuzzyTermQuery;
    use tantivy::schema::{Schema, STRING};
    use tantivy::{Index, Term};

    use super::*;

    const WORDS: [&str; 24] = [
        "dung", "dug", "udng", "dungg", "ding", "dun", "dnug", "duong", "hanh", "hnah", "chinh",
        "chin", "chinh1", "a", "ab", "ba", "b", "thuy", "thuyr", "đung", "dũng", "aab", "aba", "",
    ];

    fn index_of(words: &[&str]) -> (Index, Field) {
        let mut schema = Schema::builder();
        let field = schema.add_text_field("text", STRING);
        let index = Index::create_in_ram(schema.build());
        let mut writer: tantivy::IndexWriter =
            index.writer_with_num_threads(1, 15_000_000).unwrap();
        for word in words {
            writer.add_document(tantivy::doc!(field => *word)).unwrap();
        }
        writer.commit().unwrap();
        (index, field)
    }

    /// What tantivy's Levenshtein automaton finds for `word` in the term dictionary.
    fn automatons(searcher: &tantivy::Searcher, field: Field, word: &str) -> BTreeSet<String> {
        let query = FuzzyTermQuery::new(Term::from_field_text(field, word), 1, true);
        let mut found = BTreeSet::new();
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(field).unwrap();
            let mut stream = inverted
                .terms()
                .search(query.automaton().unwrap())
                .into_stream()
                .unwrap();
            while stream.advance() {
                found.insert(std::str::from_utf8(stream.key()).unwrap().to_owned());
            }
        }
        found
    }

    #[test]
    fn the_neighbours_are_the_words_the_levenshtein_automaton_finds() {
        let (index, field) = index_of(&WORDS);
        let searcher = index.reader().unwrap().searcher();
        let spelling = Spelling::read(&searcher, field).unwrap();
        let queries = WORDS.iter().copied().chain([
            "dugn", "duung", "xdung", "dunh", "hahn", "chnih", "ab", "c", "đũng", "thyu",
        ]);
        for word in queries {
            assert_eq!(
                spelling.neighbours(word),
                automatons(&searcher, field, word),
                "{word:?}"
            );
        }
    }

    #[test]
    fn a_swap_of_neighbouring_letters_is_one_edit_and_a_swap_further_apart_is_two() {
        assert!(within_one_edit("dugn", "dung"));
        assert!(!within_one_edit("ndgu", "dung"));
        assert!(within_one_edit("dũng", "dung"));
        assert!(!within_one_edit("dũnh", "dung"));
    }

    #[test]
    fn the_words_of_every_segment_are_known() {
        let (index, field) = index_of(&["dung"]);
        let mut writer: tantivy::IndexWriter =
            index.writer_with_num_threads(1, 15_000_000).unwrap();
        writer.add_document(tantivy::doc!(field => "dinh")).unwrap();
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), 2);
        let spelling = Spelling::read(&searcher, field).unwrap();
        assert_eq!(
            spelling.neighbours("ding"),
            BTreeSet::from(["dinh".to_owned(), "dung".to_owned()])
        );
    }
}
