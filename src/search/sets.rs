//! Sets of documents, and the ones the searcher reads once when it opens an index so that a
//! query's matches, facet counts and scores cost bit operations and look-ups instead of walks
//! through postings: the documents of each frequent term of the fields the ranking query asks
//! (words, exact spellings, title words, pairs, title pairs, kinds), the term frequencies of
//! those its BM25 clauses score, and the documents of each facet value, segment by segment.
//!
//! The postings stay the truth: a set here holds exactly the documents of a term's postings
//! (less deleted ones, through [`Prepared::matches`]), and kept frequencies are the postings'
//! own, so counts and scores are exact.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use tantivy::fieldnorm::FieldNormReader;
use tantivy::index::SegmentId;
use tantivy::postings::Postings;
use tantivy::query::Bm25Weight;
use tantivy::schema::{Facet, Field, IndexRecordOption};
use tantivy::{DocId, DocSet, SegmentReader, Term, TERMINATED};

use super::schema::Fields;

/// A term of the ranked fields held in at least this fraction of a segment's documents (1 /
/// this) is kept as a bitset, with its frequencies when BM25 scores it, when the index is
/// opened; rarer terms are read from their postings per query. A higher line left the pairs and
/// title words just below it to be read for most queries; this one keeps them for little
/// memory, and a lower one kept many more terms without making queries cheaper.
const DENSE_TERM_SHARE: u32 = 64;
/// A facet value held in at least 1 / this of a segment's documents is kept as a bitset, a
/// rarer one as a list (a bitset costs `max_doc / 64` words to count against, a list its length).
const DENSE_FACET_SHARE: u32 = 64;
/// The facet dimensions counted for every search, in the order of [`super::query::Facets`].
pub(super) const DIMENSIONS: [&str; 5] = ["portal", "kind", "agency", "field", "level"];

/// A set of documents of one segment, one bit each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Bits {
    words: Vec<u64>,
}

impl Bits {
    /// No document of a segment of `max_doc` documents.
    pub fn empty(max_doc: DocId) -> Bits {
        Bits {
            words: vec![0; (max_doc as usize).div_ceil(64)],
        }
    }

    /// Every document of a segment of `max_doc` documents.
    pub fn full(max_doc: DocId) -> Bits {
        let mut bits = Bits {
            words: vec![u64::MAX; (max_doc as usize).div_ceil(64)],
        };
        if let Some(last) = bits.words.last_mut() {
            let used = max_doc % 64;
            if used != 0 {
                *last = (1u64 << used) - 1;
            }
        }
        bits
    }

    /// The documents of a list of them, each below `max_doc`.
    pub fn of(max_doc: DocId, docs: &[DocId]) -> Bits {
        let mut bits = Bits::empty(max_doc);
        for &doc in docs {
            bits.insert(doc);
        }
        bits
    }

    /// Adds `doc`, which is below the set's span.
    pub fn insert(&mut self, doc: DocId) {
        self.words[(doc / 64) as usize] |= 1 << (doc % 64);
    }

    /// Whether `doc` is in the set.
    pub fn contains(&self, doc: DocId) -> bool {
        self.words
            .get((doc / 64) as usize)
            .is_some_and(|w| w & (1 << (doc % 64)) != 0)
    }

    /// The documents the set can hold: a multiple of 64, at least its segment's `max_doc`.
    pub fn span(&self) -> DocId {
        (self.words.len() * 64) as DocId
    }

    /// How many 64-bit words the set spans: what a pass over it costs.
    pub fn word_count(&self) -> usize {
        self.words.len()
    }

    /// Whether every document of the set is also in `other`.
    pub fn within(&self, other: &Bits) -> bool {
        self.words
            .iter()
            .zip(other.words.iter().chain(std::iter::repeat(&0)))
            .all(|(w, o)| w & !o == 0)
    }

    /// How many documents the set holds.
    pub fn len(&self) -> u64 {
        self.words.iter().map(|w| u64::from(w.count_ones())).sum()
    }

    /// The first document of the set at or after `doc`, or [`TERMINATED`].
    pub fn next_from(&self, doc: DocId) -> DocId {
        let mut index = (doc / 64) as usize;
        let Some(&first) = self.words.get(index) else {
            return TERMINATED;
        };
        let mut word = first & (u64::MAX << (doc % 64));
        loop {
            if word != 0 {
                return index as DocId * 64 + word.trailing_zeros();
            }
            index += 1;
            match self.words.get(index) {
                Some(&w) => word = w,
                None => return TERMINATED,
            }
        }
    }

    /// Keeps only the documents also in `other`.
    pub fn intersect(&mut self, other: &Members) {
        match other {
            Members::Dense(bits) => self.keep(bits),
            Members::Sparse(docs) => {
                let kept: Vec<DocId> = docs.iter().copied().filter(|&d| self.contains(d)).collect();
                self.words.fill(0);
                for doc in kept {
                    self.insert(doc);
                }
            }
        }
    }

    /// Keeps only the documents also in `other`.
    pub fn keep(&mut self, other: &Bits) {
        for (w, o) in self.words.iter_mut().zip(&other.words) {
            *w &= o;
        }
    }

    /// Adds the documents of `other`.
    pub fn unite(&mut self, other: &Members) {
        match other {
            Members::Dense(bits) => {
                for (w, o) in self.words.iter_mut().zip(&bits.words) {
                    *w |= o;
                }
            }
            Members::Sparse(docs) => {
                for &doc in docs {
                    self.insert(doc);
                }
            }
        }
    }

    /// Adds the documents of `other` from the word of `doc` on (and so maybe a few before
    /// `doc`).
    pub fn unite_from(&mut self, other: &Bits, doc: DocId) {
        let first = (doc / 64) as usize;
        let (Some(words), Some(others)) = (self.words.get_mut(first..), other.words.get(first..))
        else {
            return;
        };
        for (w, o) in words.iter_mut().zip(others) {
            *w |= o;
        }
    }

    /// How many documents the set shares with `other`.
    pub fn common(&self, other: &Members) -> u64 {
        match other {
            Members::Dense(bits) => self
                .words
                .iter()
                .zip(&bits.words)
                .map(|(w, o)| u64::from((w & o).count_ones()))
                .sum(),
            Members::Sparse(docs) => docs.iter().filter(|&&d| self.contains(d)).count() as u64,
        }
    }

    /// How many documents the set shares with `other`.
    pub fn common_sparse(&self, other: &SparseBits) -> u64 {
        other
            .places
            .iter()
            .zip(&other.words)
            .map(|(&at, o)| u64::from((self.words[at as usize] & o).count_ones()))
            .sum()
    }

    /// Whether the set shares a document with `other`.
    fn meets(&self, other: &SparseBits) -> bool {
        other
            .places
            .iter()
            .zip(&other.words)
            .any(|(&at, o)| self.words[at as usize] & o != 0)
    }
}

/// A set of documents of one segment as the words of its bitset that are not zero, each with
/// its place. A facet value's documents lie close together (a build writes a portal's pages
/// one after another), so in the 50,000-article network the 38 frequent values fill 2,454 of
/// their 31,046 words: counting a query's matches against them reads a twelfth as much.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct SparseBits {
    places: Vec<u32>,
    words: Vec<u64>,
}

impl SparseBits {
    /// The documents of `members`, in a segment of `max_doc` documents.
    fn of(members: &Members, max_doc: DocId) -> SparseBits {
        match members {
            Members::Dense(bits) => SparseBits::of_bits(bits),
            Members::Sparse(docs) => SparseBits::of_bits(&Bits::of(max_doc, docs)),
        }
    }

    /// The documents of `bits`.
    fn of_bits(bits: &Bits) -> SparseBits {
        let (places, words) = (0u32..).zip(&bits.words).filter(|(_, &w)| w != 0).unzip();
        SparseBits { places, words }
    }
}

/// The documents of one term in one segment: a bitset when many, a sorted list when few.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Members {
    /// One bit a document of the segment.
    Dense(Bits),
    /// The documents, ascending.
    Sparse(Vec<DocId>),
}

impl Members {
    /// The documents of `term` in `segment`, read from its postings (none if it is absent).
    pub fn read(segment: &SegmentReader, term: &Term) -> tantivy::Result<Members> {
        Ok(Members::Sparse(Members::docs(segment, term)?))
    }

    /// The documents of `term` in `segment`, ascending.
    pub fn docs(segment: &SegmentReader, term: &Term) -> tantivy::Result<Vec<DocId>> {
        let inverted = segment.inverted_index(term.field())?;
        let mut docs = Vec::new();
        if let Some(mut postings) = inverted.read_postings(term, IndexRecordOption::Basic)? {
            docs.reserve(postings.size_hint() as usize);
            while postings.doc() != TERMINATED {
                docs.push(postings.doc());
                postings.advance();
            }
        }
        Ok(docs)
    }

    /// The same documents as a bitset when they are at least 1 / `share` of `max_doc`.
    fn packed(self, max_doc: DocId, share: u32) -> Members {
        match self {
            Members::Sparse(docs) if docs.len() as u64 * u64::from(share) >= u64::from(max_doc) => {
                Members::Dense(Bits::of(max_doc, &docs))
            }
            other => other,
        }
    }
}

/// The term frequencies of one kept term in one segment, so that its BM25 clause scores a
/// document by a look-up instead of a walk through its postings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Freqs {
    /// Each document's frequency, 0 where the term is absent; [`u8::MAX`] sends to `large`.
    small: Vec<u8>,
    /// The frequencies of [`u8::MAX`] or more, by document, ascending.
    large: Vec<(DocId, u32)>,
    /// The highest frequency of the term here.
    pub most: u32,
    /// The lowest fieldnorm id of the documents holding it (the shortest one's length).
    pub shortest: u8,
}

impl Freqs {
    /// The documents of `term` in `segment`, and their frequencies (1 each when the field
    /// records none), read from its postings; `None` if the term is absent.
    pub fn read(
        segment: &SegmentReader,
        term: &Term,
    ) -> tantivy::Result<Option<(Vec<DocId>, Freqs)>> {
        let inverted = segment.inverted_index(term.field())?;
        let Some(mut postings) = inverted.read_postings(term, IndexRecordOption::WithFreqs)? else {
            return Ok(None);
        };
        let norms = norms(segment, term.field())?;
        let mut docs = Vec::with_capacity(postings.size_hint() as usize);
        let mut freqs = Freqs {
            small: vec![0; segment.max_doc() as usize],
            large: Vec::new(),
            most: 0,
            shortest: u8::MAX,
        };
        while postings.doc() != TERMINATED {
            let (doc, tf) = (postings.doc(), postings.term_freq());
            docs.push(doc);
            freqs.small[doc as usize] = u8::try_from(tf).unwrap_or(u8::MAX);
            if tf >= u32::from(u8::MAX) {
                freqs.large.push((doc, tf));
            }
            freqs.most = freqs.most.max(tf);
            freqs.shortest = freqs.shortest.min(norms.fieldnorm_id(doc));
            postings.advance();
        }
        Ok(Some((docs, freqs)))
    }

    /// How often the term occurs in `doc`: 0 when it does not.
    pub fn get(&self, doc: DocId) -> u32 {
        match self.small.get(doc as usize) {
            Some(&u8::MAX) => self
                .large
                .binary_search_by_key(&doc, |&(d, _)| d)
                .map_or(0, |i| self.large[i].1),
            Some(&tf) => u32::from(tf),
            None => 0,
        }
    }
}

/// The fieldnorms BM25 reads for `field` in `segment`, as tantivy's term scorers read them:
/// the field's own, or a length of 1 for every document when it has none.
pub(super) fn norms(segment: &SegmentReader, field: Field) -> tantivy::Result<FieldNormReader> {
    Ok(segment
        .fieldnorms_readers()
        .get_field(field)?
        .unwrap_or_else(|| FieldNormReader::constant(segment.max_doc(), 1)))
}

/// A facet value counted for every search: its dimension (index into [`DIMENSIONS`]) and name.
#[derive(Debug, Clone)]
pub(super) struct FacetValue {
    pub dimension: usize,
    pub name: String,
    term: Term,
}

/// What one segment keeps in memory.
struct SegmentSets {
    id: SegmentId,
    max_doc: DocId,
    /// Documents not deleted, when some are.
    alive: Option<Bits>,
    /// Frequent terms of the ranked fields, and every facet term (values and their parents).
    /// A segment's postings never change, so a reload shares these with the previous
    /// generation.
    terms: Arc<FxHashMap<Term, Members>>,
    /// The frequencies of the frequent terms of the fields BM25 scores.
    freqs: Arc<FxHashMap<Term, Freqs>>,
    /// The counted facet values the segment holds.
    values: Arc<Vec<FacetValue>>,
    /// The documents of each of [`Prepared::values`] here, in that order.
    counted: Vec<Option<SparseBits>>,
    /// The documents holding some value of each of [`DIMENSIONS`].
    dimensions: Vec<SparseBits>,
}

/// The sets of every segment of an opened index, in the searcher's segment order.
pub(super) struct Prepared {
    segments: Vec<SegmentSets>,
    /// Every `/dimension/value` facet of the index, sorted by dimension then name.
    pub values: Vec<FacetValue>,
    /// The BM25 weight of each term whose frequencies some segment keeps. It depends on every
    /// segment's statistics, so each generation computes its own. Computing one reads the
    /// term's statistics and makes 256 divisions, so it is done once a generation rather than
    /// for every query that asks for the term.
    weights: FxHashMap<Term, Bm25Weight>,
}

impl Prepared {
    /// Reads the sets of every segment of `searcher`, taking those of segments `previous`
    /// knows from it (only which documents are deleted is read again).
    pub fn read(
        searcher: &tantivy::Searcher,
        fields: &Fields,
        previous: Option<&Prepared>,
    ) -> tantivy::Result<Prepared> {
        let mut segments = Vec::new();
        for segment in searcher.segment_readers() {
            let id = segment.segment_id();
            let known = previous.and_then(|p| p.segments.iter().find(|s| s.id == id));
            let (terms, freqs, values) = match known {
                Some(known) => (
                    known.terms.clone(),
                    known.freqs.clone(),
                    known.values.clone(),
                ),
                None => {
                    let (terms, freqs, values) = read_segment(segment, fields)?;
                    (Arc::new(terms), Arc::new(freqs), Arc::new(values))
                }
            };
            let max_doc = segment.max_doc();
            let alive = segment.alive_bitset().map(|alive| {
                let mut bits = Bits::empty(max_doc);
                for doc in (0..max_doc).filter(|&d| alive.is_alive(d)) {
                    bits.insert(doc);
                }
                bits
            });
            segments.push(SegmentSets {
                id,
                max_doc,
                alive,
                terms,
                freqs,
                values,
                counted: Vec::new(),
                dimensions: Vec::new(),
            });
        }
        let mut values: Vec<FacetValue> = Vec::new();
        for value in segments.iter().flat_map(|s| s.values.iter()) {
            if !values.iter().any(|v| v.term == value.term) {
                values.push(value.clone());
            }
        }
        values.sort_by(|a, b| (a.dimension, &a.name).cmp(&(b.dimension, &b.name)));
        let mut weights = FxHashMap::default();
        for term in segments.iter().flat_map(|s| s.freqs.keys()) {
            if !weights.contains_key(term) {
                let weight = Bm25Weight::for_terms(searcher, std::slice::from_ref(term))?;
                weights.insert(term.clone(), weight);
            }
        }
        for segment in &mut segments {
            let mut dimensions = vec![Bits::empty(segment.max_doc); DIMENSIONS.len()];
            segment.counted = values
                .iter()
                .map(|value| {
                    let members = segment.terms.get(&value.term)?;
                    dimensions[value.dimension].unite(members);
                    Some(SparseBits::of(members, segment.max_doc))
                })
                .collect();
            segment.dimensions = dimensions.iter().map(SparseBits::of_bits).collect();
        }
        Ok(Prepared {
            segments,
            values,
            weights,
        })
    }

    /// The documents of `term` in segment `ord`: kept ones as they are, others from postings.
    fn members<'a>(
        &'a self,
        searcher: &tantivy::Searcher,
        ord: usize,
        term: &Term,
    ) -> tantivy::Result<std::borrow::Cow<'a, Members>> {
        match self.segments[ord].terms.get(term) {
            Some(members) => Ok(std::borrow::Cow::Borrowed(members)),
            None => Ok(std::borrow::Cow::Owned(Members::read(
                searcher.segment_reader(ord as u32),
                term,
            )?)),
        }
    }

    /// The live documents of segment `ord` holding every term of `all` (or, when `all` is
    /// empty, any term of `any`) and every term of `filters`: what a boolean query with those
    /// as must, should and must clauses matches.
    pub fn matches(
        &self,
        searcher: &tantivy::Searcher,
        ord: usize,
        all: &[&Term],
        any: &[&Term],
        filters: &[&Term],
    ) -> tantivy::Result<Bits> {
        let segment = &self.segments[ord];
        if !all.is_empty() {
            let every: Vec<&Term> = all.iter().chain(filters).copied().collect();
            return self.all_of(searcher, ord, &every);
        }
        let mut found = Bits::empty(segment.max_doc);
        for term in any {
            found.unite(&*self.members(searcher, ord, term)?);
        }
        self.narrow(searcher, ord, found, filters)
    }

    /// The live documents of segment `ord` holding every one of `terms` (all of them, for
    /// none).
    pub fn all_of(
        &self,
        searcher: &tantivy::Searcher,
        ord: usize,
        terms: &[&Term],
    ) -> tantivy::Result<Bits> {
        let found = Bits::full(self.segments[ord].max_doc);
        self.narrow(searcher, ord, found, terms)
    }

    /// The live documents of `found` (in segment `ord`) holding every one of `terms`.
    fn narrow(
        &self,
        searcher: &tantivy::Searcher,
        ord: usize,
        mut found: Bits,
        terms: &[&Term],
    ) -> tantivy::Result<Bits> {
        for term in terms {
            found.intersect(&*self.members(searcher, ord, term)?);
        }
        if let Some(alive) = &self.segments[ord].alive {
            found.keep(alive);
        }
        Ok(found)
    }

    /// How many of `within` (documents of segment `ord`) hold every one of `terms`.
    pub fn count_holding(
        &self,
        searcher: &tantivy::Searcher,
        ord: usize,
        within: &Bits,
        terms: &[&Term],
    ) -> tantivy::Result<u64> {
        let Some((last, rest)) = terms.split_last() else {
            return Ok(within.len());
        };
        let mut within = std::borrow::Cow::Borrowed(within);
        for term in rest {
            within
                .to_mut()
                .intersect(&*self.members(searcher, ord, term)?);
        }
        Ok(within.common(&*self.members(searcher, ord, last)?))
    }

    /// How many of `found` (one set a segment) hold each of [`Prepared::values`]. A
    /// dimension none of a segment's matches holds (no procedure matched, say, for the
    /// procedures' agencies) costs one look there, not one count a value.
    pub fn facet_counts(&self, found: &[Bits]) -> Vec<u64> {
        let mut counts = vec![0; self.values.len()];
        for (segment, found) in self.segments.iter().zip(found) {
            let held: Vec<bool> = segment.dimensions.iter().map(|d| found.meets(d)).collect();
            for ((count, value), members) in
                counts.iter_mut().zip(&self.values).zip(&segment.counted)
            {
                if let (true, Some(members)) = (held[value.dimension], members) {
                    *count += found.common_sparse(members);
                }
            }
        }
        counts
    }
}

/// Documents and frequencies kept in memory for some terms (the frequent ones), segment by
/// segment, and those terms' BM25 weights.
pub(super) trait Kept {
    /// The documents of `term` in segment `ord`, when kept.
    fn kept(&self, ord: usize, term: &Term) -> Option<&Bits>;
    /// The frequencies of `term` in segment `ord`, when kept.
    fn freqs(&self, ord: usize, term: &Term) -> Option<&Freqs>;
    /// The BM25 weight of `term` over the whole index, when kept.
    fn weight(&self, term: &Term) -> Option<&Bm25Weight>;
}

impl Kept for Prepared {
    fn kept(&self, ord: usize, term: &Term) -> Option<&Bits> {
        match self.segments.get(ord)?.terms.get(term)? {
            Members::Dense(bits) => Some(bits),
            Members::Sparse(_) => None,
        }
    }

    fn freqs(&self, ord: usize, term: &Term) -> Option<&Freqs> {
        self.segments.get(ord)?.freqs.get(term)
    }

    fn weight(&self, term: &Term) -> Option<&Bm25Weight> {
        self.weights.get(term)
    }
}

/// What [`read_segment`] reads: kept documents, kept frequencies, counted facet values.
type SegmentTerms = (
    FxHashMap<Term, Members>,
    FxHashMap<Term, Freqs>,
    Vec<FacetValue>,
);

/// The frequent terms and the facet terms of one segment, the frequencies of the frequent
/// terms BM25 scores, and its counted facet values.
fn read_segment(segment: &SegmentReader, fields: &Fields) -> tantivy::Result<SegmentTerms> {
    let max_doc = segment.max_doc();
    let mut terms = FxHashMap::default();
    let mut kept_freqs = FxHashMap::default();
    let mut values = Vec::new();
    // The fields of the ranking query's clauses, and whether BM25 scores them.
    let ranked = [
        (fields.text, true),
        (fields.text_exact, true),
        (fields.title_pairs, true),
        (fields.title, false),
        (fields.pairs, false),
        (fields.kind, false),
    ];
    for (field, scored) in ranked {
        let inverted = segment.inverted_index(field)?;
        let mut stream = inverted.terms().stream()?;
        while stream.advance() {
            if stream.value().doc_freq * DENSE_TERM_SHARE < max_doc {
                continue;
            }
            let Ok(word) = std::str::from_utf8(stream.key()) else {
                continue;
            };
            let term = Term::from_field_text(field, word);
            let members = if scored {
                let Some((docs, freqs)) = Freqs::read(segment, &term)? else {
                    continue;
                };
                kept_freqs.insert(term.clone(), freqs);
                Members::Sparse(docs)
            } else {
                Members::read(segment, &term)?
            };
            terms.insert(term, members.packed(max_doc, DENSE_TERM_SHARE));
        }
    }
    let facets = segment.inverted_index(fields.facets)?;
    let mut stream = facets.terms().stream()?;
    while stream.advance() {
        let Ok(facet) = Facet::from_encoded(stream.key().to_vec()) else {
            continue;
        };
        let term = Term::from_facet(fields.facets, &facet);
        values.extend(counted(fields.facets, &facet));
        let members = Members::read(segment, &term)?.packed(max_doc, DENSE_FACET_SHARE);
        terms.insert(term, members);
    }
    Ok((terms, kept_freqs, values))
}

/// The facet as a counted value, when it is `/dimension/value` with a known dimension.
fn counted(field: Field, facet: &Facet) -> Option<FacetValue> {
    match facet.to_path().as_slice() {
        [dimension, name] => Some(FacetValue {
            dimension: DIMENSIONS.iter().position(|d| d == dimension)?,
            name: (*name).to_owned(),
            term: Term::from_facet(field, facet),
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs(bits: &Bits) -> Vec<DocId> {
        let mut out = Vec::new();
        let mut doc = bits.next_from(0);
        while doc != TERMINATED {
            out.push(doc);
            doc = bits.next_from(doc + 1);
        }
        out
    }

    #[test]
    fn full_sets_hold_exactly_the_segment_documents() {
        assert_eq!(Bits::full(130).len(), 130);
        assert_eq!(Bits::full(128).len(), 128);
        assert!(!Bits::full(130).contains(130));
    }

    #[test]
    fn a_set_is_within_another_only_when_the_other_holds_each_of_its_documents() {
        let small = Bits::of(300, &[3, 64, 299]);
        assert!(small.within(&Bits::of(300, &[0, 3, 64, 200, 299])));
        assert!(!small.within(&Bits::of(300, &[3, 64])));
        assert!(Bits::empty(300).within(&small));
    }

    #[test]
    fn next_from_walks_the_documents_in_order_across_words() {
        let bits = Bits::of(300, &[0, 63, 64, 200, 299]);
        assert_eq!(docs(&bits), [0, 63, 64, 200, 299]);
        assert_eq!(bits.next_from(65), 200);
        assert_eq!(bits.next_from(300), TERMINATED);
    }

    #[test]
    fn intersecting_with_a_list_or_a_bitset_keeps_the_same_documents() {
        let mut a = Bits::of(200, &[1, 5, 70, 150]);
        let mut b = a.clone();
        a.intersect(&Members::Sparse(vec![5, 150, 199]));
        b.intersect(&Members::Dense(Bits::of(200, &[5, 150, 199])));
        assert_eq!(docs(&a), [5, 150]);
        assert_eq!(a, b);
    }

    #[test]
    fn uniting_with_a_list_or_a_bitset_adds_the_same_documents() {
        let mut a = Bits::of(200, &[1, 70]);
        let mut b = a.clone();
        a.unite(&Members::Sparse(vec![2, 70, 199]));
        b.unite(&Members::Dense(Bits::of(200, &[2, 70, 199])));
        assert_eq!(docs(&a), [1, 2, 70, 199]);
        assert_eq!(a, b);
    }

    #[test]
    fn common_counts_shared_documents_of_lists_and_bitsets_alike() {
        let found = Bits::of(200, &[1, 5, 70, 150]);
        let value = [5, 6, 150];
        assert_eq!(found.common(&Members::Sparse(value.to_vec())), 2);
        assert_eq!(found.common(&Members::Dense(Bits::of(200, &value))), 2);
    }

    #[test]
    fn sparse_bits_keep_only_non_zero_words_and_count_as_the_bitset_does() {
        let value = [5, 6, 150, 1000];
        let sparse = SparseBits::of(&Members::Sparse(value.to_vec()), 2000);
        assert_eq!(sparse.places, [0, 2, 15]);
        assert_eq!(
            sparse,
            SparseBits::of(&Members::Dense(Bits::of(2000, &value)), 2000)
        );
        let found = Bits::of(2000, &[1, 5, 70, 150, 1000, 1999]);
        assert_eq!(found.common_sparse(&sparse), 3);
        assert!(found.meets(&sparse));
        assert!(!Bits::of(2000, &[7, 151, 1999]).meets(&sparse));
    }

    #[test]
    fn frequent_members_are_packed_into_bitsets_and_rare_ones_stay_lists() {
        let many = Members::Sparse(vec![1, 2]).packed(64, 32);
        assert_eq!(many, Members::Dense(Bits::of(64, &[1, 2])));
        let few = Members::Sparse(vec![1]).packed(64 * 64, 32);
        assert_eq!(few, Members::Sparse(vec![1]));
    }

    #[test]
    fn kept_frequencies_are_the_postings_own_however_large() {
        use tantivy::schema::{Schema, TEXT};
        let mut schema = Schema::builder();
        let text = schema.add_text_field("text", TEXT);
        let index = tantivy::Index::create_in_ram(schema.build());
        let mut writer: tantivy::IndexWriter =
            index.writer_with_num_threads(1, 15_000_000).unwrap();
        for body in [
            "a ".repeat(300),
            "a a b".to_owned(),
            "b".to_owned(),
            "a".to_owned(),
        ] {
            writer.add_document(tantivy::doc!(text => body)).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let segment = searcher.segment_reader(0);
        let term = Term::from_field_text(text, "a");
        let (docs, freqs) = Freqs::read(segment, &term).unwrap().unwrap();
        assert_eq!(docs, [0, 1, 3]);
        assert_eq!(
            (0..4).map(|d| freqs.get(d)).collect::<Vec<_>>(),
            [300, 2, 0, 1]
        );
        assert_eq!(freqs.most, 300);
        let norms = norms(segment, text).unwrap();
        assert_eq!(freqs.shortest, norms.fieldnorm_id(3));
        let absent = Term::from_field_text(text, "z");
        assert!(Freqs::read(segment, &absent).unwrap().is_none());
    }

    #[test]
    fn only_two_level_facets_of_known_dimensions_are_counted() {
        let field = Field::from_field_id(0);
        let value =
            counted(field, &Facet::from_path(["kind", "news"])).map(|v| (v.dimension, v.name));
        assert_eq!(value, Some((1, "news".to_owned())));
        assert!(counted(field, &Facet::from_path(["kind"])).is_none());
        assert!(counted(field, &Facet::from_path(["color", "red"])).is_none());
    }
}
