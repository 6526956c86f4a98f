//! The best hits of the ranking query, without scoring every document it matches.
//!
//! The ranking query is term clauses: the query's words, all required (or all optional when
//! no document holds them all), and optional bonuses (title words, exact spellings, pairs, kind
//! cues, codes), inside the request's required facet filters. Common words match most of the
//! network, but a document's words can only add up to the sum of their maxima, so once the
//! page is full of documents scoring above that, only documents holding enough optional clauses
//! can still enter it (the MaxScore algorithm): the search walks the documents of those clauses
//! only and skips everything else.
//!
//! No tantivy scorer is moved. Each clause answers for a document by a look-up ([`Exact`]): a
//! frequent term from the documents and frequencies kept in memory ([`super::sets`]), any
//! other from its postings, read once a query with every document's score. A candidate's score
//! is gathered from the clause that may add most down, and the candidate is dropped as soon as
//! what the rest may add cannot lift it into the page.
//!
//! Every score is the one tantivy's boolean query computes (the same BM25 weights, fieldnorms
//! and frequencies, summed in the same order), and ties go to the earlier document as in
//! `TopDocs`, so the hits are the ones `TopDocs` over the same boolean query returns: the unit
//! test holds it to that. Which documents match comes from [`super::sets`], already computed
//! for the counts.

use std::cell::Cell;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

use tantivy::collector::TopDocs;
use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::Postings;
use tantivy::query::{
    Bm25Weight, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, Query, TermQuery,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocId, DocSet, Score, Term, TERMINATED};

use super::deadline::{Deadline, PastDeadline};
use super::query::SearchError;
use super::sets::{norms, Bits, Freqs, Kept};

/// Upper bounds are sums in another order than the scores they bound: a bound is only trusted
/// to rule a document out when it is below the page's threshold by more than this share.
const BOUND_SLACK: Score = 1e-5;
/// The optional clauses that bound scores highest are read first when, together, they hold at
/// most this many times as many documents as the page wants.
const STRONG_FIRST: usize = 8;
/// The walk looks at the deadline each time it has moved on by this many documents: at most a
/// few milliseconds of scoring with a dozen words, and a handful of looks a segment.
const DOCS_BETWEEN_LOOKS: DocId = 8192;

/// How a clause scores the documents it matches.
#[derive(Debug, Clone, Copy)]
pub(super) enum Scoring {
    /// BM25 of the term.
    Bm25,
    /// BM25 of the term, times this.
    Boosted(Score),
    /// This constant.
    Constant(Score),
}

/// One term clause of the ranking query.
#[derive(Debug, Clone)]
pub(super) struct Clause {
    /// The term.
    pub term: Term,
    /// What its postings are read with.
    pub record: IndexRecordOption,
    /// How it scores.
    pub scoring: Scoring,
}

impl Clause {
    /// The clause as a tantivy query.
    pub fn query(&self) -> Box<dyn Query> {
        let term = Box::new(TermQuery::new(self.term.clone(), self.record));
        match self.scoring {
            Scoring::Bm25 => term,
            Scoring::Boosted(boost) => Box::new(BoostQuery::new(term, boost)),
            Scoring::Constant(score) => Box::new(ConstScoreQuery::new(term, score)),
        }
    }

    /// Its BM25 weight as its scorers use it (a boost multiplies the weight), for a BM25
    /// clause: the kept one, else computed from the term's statistics.
    fn bm25(
        &self,
        searcher: &tantivy::Searcher,
        kept: &dyn Kept,
    ) -> tantivy::Result<Option<Bm25Weight>> {
        let bm25 = || match kept.weight(&self.term) {
            Some(weight) => Ok(weight.clone()),
            None => Bm25Weight::for_terms(searcher, std::slice::from_ref(&self.term)),
        };
        Ok(match self.scoring {
            Scoring::Bm25 => Some(bm25()?),
            Scoring::Boosted(boost) => Some(bm25()?.boost_by(boost)),
            Scoring::Constant(_) => None,
        })
    }
}

/// One clause in one segment: which documents it holds and what it adds to each, exactly as
/// its tantivy scorer would say, answered by look-ups instead of by moving a scorer.
struct Exact<'k> {
    held: Held<'k>,
    /// The most it adds to a document of the segment.
    most: Score,
    /// Its document frequency here: what its tantivy scorer reports as its cost.
    cost: u64,
}

/// Where a clause's documents and scores come from.
enum Held<'k> {
    /// A frequent term scored by a constant: its kept documents.
    Constant(&'k Bits, Score),
    /// A frequent term scored by BM25: its kept documents and frequencies.
    Bm25(&'k Bits, &'k Freqs, Bm25Weight, FieldNormReader),
    /// A required term whose postings record no frequencies (a facet filter): it holds every
    /// match, and its scorer scores each as one occurrence.
    Every(Bm25Weight, FieldNormReader),
    /// Any other term: its documents, ascending, each with its score, read from its postings,
    /// and where the last look-up landed.
    Listed(Vec<(DocId, Score)>, Cell<usize>),
}

impl<'k> Exact<'k> {
    /// `clause` in segment `ord`, given its BM25 weight and whether it is required; `None`
    /// when its term is absent there.
    fn of(
        clause: &Clause,
        bm25: Option<&Bm25Weight>,
        searcher: &tantivy::Searcher,
        ord: usize,
        required: bool,
        kept: &'k dyn Kept,
    ) -> tantivy::Result<Option<Exact<'k>>> {
        let segment = searcher.segment_reader(ord as u32);
        let field = clause.term.field();
        let inverted = segment.inverted_index(field)?;
        let Some(info) = inverted.get_term_info(&clause.term)? else {
            return Ok(None);
        };
        let with_freqs = clause.record.has_freq();
        let bits = kept.kept(ord, &clause.term);
        let freqs = kept.freqs(ord, &clause.term).filter(|_| with_freqs);
        let (held, most) = match (clause.scoring, bm25, bits, freqs) {
            (Scoring::Constant(score), _, Some(bits), _) => (Held::Constant(bits, score), score),
            (_, Some(bm25), Some(bits), Some(freqs)) => (
                Held::Bm25(bits, freqs, bm25.clone(), norms(segment, field)?),
                bm25.score(freqs.shortest, freqs.most),
            ),
            // The shortest fieldnorm bounds one occurrence's score.
            (_, Some(bm25), _, _) if required && !with_freqs => (
                Held::Every(bm25.clone(), norms(segment, field)?),
                bm25.score(0, 1),
            ),
            (scoring, bm25, _, _) => {
                // A BM25 clause reads the fieldnorms; a constant one only its documents.
                let scored = match bm25 {
                    Some(bm25) => Some((bm25, norms(segment, field)?)),
                    None => None,
                };
                let constant = match scoring {
                    Scoring::Constant(score) => score,
                    Scoring::Bm25 | Scoring::Boosted(_) => 0.0,
                };
                let mut postings = inverted.read_postings_from_terminfo(&info, clause.record)?;
                let mut scores = Vec::with_capacity(info.doc_freq as usize);
                let mut most: Score = 0.0;
                while postings.doc() != TERMINATED {
                    let doc = postings.doc();
                    let score = match &scored {
                        Some((bm25, norms)) => {
                            bm25.score(norms.fieldnorm_id(doc), postings.term_freq())
                        }
                        None => constant,
                    };
                    most = most.max(score);
                    scores.push((doc, score));
                    postings.advance();
                }
                (Held::Listed(scores, Cell::new(0)), most)
            }
        };
        Ok(Some(Exact {
            held,
            most,
            cost: u64::from(info.doc_freq),
        }))
    }

    /// What the clause adds to each of `found` (`matches` documents), when that is one
    /// constant.
    fn settled(&self, found: &Bits, matches: u64) -> Option<Score> {
        match self.held {
            // Finding out costs a pass over the words of `found`: worth it only when the
            // candidates, each saved a look-up, outnumber those words.
            Held::Constant(bits, score)
                if matches > found.word_count() as u64
                    && self.cost >= matches
                    && found.within(bits) =>
            {
                Some(score)
            }
            _ => None,
        }
    }

    /// What the clause adds to `doc`, or `None` when it does not hold it.
    fn score(&self, doc: DocId) -> Option<Score> {
        match &self.held {
            Held::Constant(bits, score) => bits.contains(doc).then_some(*score),
            Held::Bm25(_, freqs, bm25, norms) => match freqs.get(doc) {
                0 => None,
                tf => Some(bm25.score(norms.fieldnorm_id(doc), tf)),
            },
            Held::Every(bm25, norms) => Some(bm25.score(norms.fieldnorm_id(doc), 1)),
            Held::Listed(scores, at) => scores
                .get(seek(scores, at, doc))
                .filter(|&&(d, _)| d == doc)
                .map(|&(_, score)| score),
        }
    }

    /// Whether the clause holds `doc`, a match.
    fn holds(&self, doc: DocId) -> bool {
        match &self.held {
            Held::Constant(bits, _) | Held::Bm25(bits, ..) => bits.contains(doc),
            Held::Every(..) => true,
            Held::Listed(..) => self.next_from(doc) == doc,
        }
    }

    /// The first document at or after `doc` that the clause holds, or [`TERMINATED`].
    fn next_from(&self, doc: DocId) -> DocId {
        match &self.held {
            Held::Constant(bits, _) | Held::Bm25(bits, ..) => bits.next_from(doc),
            Held::Every(..) => doc,
            Held::Listed(scores, at) => scores
                .get(seek(scores, at, doc))
                .map_or(TERMINATED, |&(d, _)| d),
        }
    }
}

/// Where the first of `scores` (ascending documents) at or after `doc` is, found by galloping
/// on from where the last look-up landed (`at`, set to the answer) when `doc` is not behind
/// it: the walks ask in ascending order.
fn seek(scores: &[(DocId, Score)], at: &Cell<usize>, doc: DocId) -> usize {
    let last = at.get();
    // Every document before `low` is below `doc`.
    let mut low = if last > 0 && scores.get(last - 1).is_some_and(|&(d, _)| d < doc) {
        last
    } else {
        0
    };
    let (mut high, mut step) = (low, 1);
    while scores.get(high).is_some_and(|&(d, _)| d < doc) {
        low = high + 1;
        high += step;
        step *= 2;
    }
    let high = high.min(scores.len());
    let found = low + scores[low..high].partition_point(|&(d, _)| d < doc);
    at.set(found);
    found
}

/// The part of `scores` (ascending documents) at or after `doc`.
fn listed_from(scores: &[(DocId, Score)], doc: DocId) -> &[(DocId, Score)] {
    &scores[scores.partition_point(|&(d, _)| d < doc)..]
}

/// The candidates of the walk once the page's threshold leaves some optional clauses weak: the
/// matches that hold a strong clause, from the cheapest source.
enum Candidates {
    /// Every match, each checked against the strong clauses.
    Matches,
    /// Gathered as a bitset: one pass over each strong clause's set or list.
    Gathered(Bits),
    /// Gathered as a list, ascending, when every strong clause is a short list; and where the
    /// walk is in it.
    Listed(Vec<DocId>, usize),
}

impl Candidates {
    /// The source for `strong` clauses, among `found` (`matches` documents), for a walk at
    /// `doc`.
    fn of(strong: &[&Exact], found: &Bits, matches: u64, doc: DocId) -> Candidates {
        let lists: Option<Vec<&[(DocId, Score)]>> = strong
            .iter()
            .map(|e| match &e.held {
                Held::Listed(scores, _) => Some(listed_from(scores, doc)),
                _ => None,
            })
            .collect();
        if let Some(lists) = lists {
            if lists.iter().map(|l| l.len() as u64).sum::<u64>() < matches {
                let mut docs: Vec<DocId> = lists
                    .iter()
                    .flat_map(|l| l.iter().map(|&(d, _)| d))
                    .filter(|&d| found.contains(d))
                    .collect();
                docs.sort_unstable();
                docs.dedup();
                return Candidates::Listed(docs, 0);
            }
        }
        // A bitset costs a pass to clear, one a strong clause to fill, one to keep the matches
        // and one to walk.
        let passes = strong.len() as u64 + 3;
        if matches <= passes * found.word_count() as u64 {
            return Candidates::Matches;
        }
        let mut any = Bits::empty(found.span());
        for exact in strong {
            match &exact.held {
                Held::Constant(bits, _) | Held::Bm25(bits, ..) => any.unite_from(bits, doc),
                Held::Every(..) => any.unite_from(found, doc),
                Held::Listed(scores, _) => {
                    for &(d, _) in listed_from(scores, doc) {
                        any.insert(d);
                    }
                }
            }
        }
        any.keep(found);
        Candidates::Gathered(any)
    }

    /// The first candidate at or after `doc`, or [`TERMINATED`]; `doc` only grows.
    fn next_from(&mut self, found: &Bits, doc: DocId) -> DocId {
        match self {
            Candidates::Matches => found.next_from(doc),
            Candidates::Gathered(bits) => bits.next_from(doc),
            Candidates::Listed(docs, at) => {
                while docs.get(*at).is_some_and(|&d| d < doc) {
                    *at += 1;
                }
                docs.get(*at).copied().unwrap_or(TERMINATED)
            }
        }
    }
}

/// The ranking query: `text` (words and bonuses, in the order they were added) inside the
/// required `filters`.
pub(super) struct Ranking<'a> {
    /// The text clauses: words (required, or optional when no document has them all) and
    /// optional bonuses.
    pub text: &'a [(Occur, Clause)],
    /// Required facet terms.
    pub filters: &'a [Clause],
    /// The frequent terms' documents and frequencies.
    pub kept: &'a dyn Kept,
}

impl Ranking<'_> {
    /// The ranking query as one tantivy boolean query.
    pub fn boolean(&self) -> BooleanQuery {
        let text: Vec<(Occur, Box<dyn Query>)> =
            self.text.iter().map(|(o, c)| (*o, c.query())).collect();
        let mut all: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Must, Box::new(BooleanQuery::new(text)))];
        all.extend(self.filters.iter().map(|c| (Occur::Must, c.query())));
        BooleanQuery::new(all)
    }

    /// The `k` best of the documents the query matches (`found`, one set a segment), best
    /// first, ties to the earlier document; stops once `deadline` has passed.
    pub fn top(
        &self,
        searcher: &tantivy::Searcher,
        found: &[Bits],
        k: usize,
        deadline: &Deadline,
    ) -> Result<Vec<(Score, DocAddress)>, SearchError> {
        let part = |occur: Occur| -> Vec<&Clause> {
            self.text
                .iter()
                .filter(|(o, _)| *o == occur)
                .map(|(_, c)| c)
                .collect()
        };
        let (words, optional) = (part(Occur::Must), part(Occur::Should));
        if words.is_empty() && self.filters.len() > 1 {
            // Without required words, the text part costs what tantivy's union of its clauses
            // does after its first window, which orders three parts or more: leave this rare
            // case (no document holds all the words, and two filters) to tantivy.
            let top = TopDocs::with_limit(k.max(1)).order_by_score();
            return Ok(searcher.search(&self.boolean(), &top)?);
        }
        let filters: Vec<&Clause> = self.filters.iter().collect();
        // Each clause's BM25 weight, found once.
        let weights = |clauses: &[&Clause]| {
            clauses
                .iter()
                .map(|c| c.bm25(searcher, self.kept))
                .collect::<tantivy::Result<Vec<_>>>()
        };
        let (word_bm25, optional_bm25, filter_bm25) =
            (weights(&words)?, weights(&optional)?, weights(&filters)?);

        let mut best = Best::new(k);
        let mut segments = Vec::new();
        for (ord, found) in found.iter().enumerate() {
            if found.next_from(0) == TERMINATED {
                continue;
            }
            // A clause that is not kept reads its postings here, but a term that is not kept is
            // in few documents.
            deadline.check()?;
            let exact = |clauses: &[&Clause], bm25: &[Option<Bm25Weight>], required| {
                clauses
                    .iter()
                    .zip(bm25)
                    .map(|(c, w)| Exact::of(c, w.as_ref(), searcher, ord, required, self.kept))
                    .collect::<tantivy::Result<Vec<_>>>()
            };
            let segment = Segment::new(
                exact(&words, &word_bm25, true)?,
                exact(&optional, &optional_bm25, false)?,
                exact(&filters, &filter_bm25, true)?,
                found,
            );
            let Some(mut segment) = segment else {
                continue;
            };
            let first = segment.strongest_first(ord as u32, found, k, &mut best);
            segments.push((ord as u32, found, segment, first));
        }
        for (ord, found, mut segment, first) in segments {
            segment.collect(ord, found, &first, &mut best, deadline)?;
        }
        Ok(best.into_sorted())
    }
}

/// The clauses of the ranking query in one segment, and what they add to the candidate being
/// scored.
struct Segment<'k> {
    /// The words, in the order tantivy's intersection sums them (by cost, stably), then the
    /// optional clauses present here, then the filters, both in query order.
    clauses: Vec<Exact<'k>>,
    /// How many of `clauses` are words.
    words: usize,
    /// How many of `clauses` are optional.
    optional: usize,
    /// The order the outer intersection sums the text score (`None`) and the filters in.
    outer: Vec<Option<usize>>,
    /// The clauses from the one that may add most: the order a candidate's score is gathered
    /// in. A constant clause that holds every match is left out: what it adds is known.
    order: Vec<usize>,
    /// The most a document may score here.
    most: Score,
    /// How many documents match here.
    matches: u64,
    /// What each clause adds to the candidate being scored.
    values: Vec<Option<Score>>,
}

impl<'k> Segment<'k> {
    /// The segment's clauses, for its matches `found`; `None` when a required one is absent
    /// (nothing matches here).
    fn new(
        words: Vec<Option<Exact<'k>>>,
        optional: Vec<Option<Exact<'k>>>,
        filters: Vec<Option<Exact<'k>>>,
        found: &Bits,
    ) -> Option<Segment<'k>> {
        let mut words: Vec<Exact> = words.into_iter().collect::<Option<_>>()?;
        let filters: Vec<Exact> = filters.into_iter().collect::<Option<_>>()?;
        // An intersection sorts its parts by cost (stably), and the text part costs what its
        // cheapest word does.
        words.sort_by_key(|e| e.cost);
        let text_cost = words.first().map_or(0, |e| e.cost);
        let mut outer: Vec<(u64, Option<usize>)> = vec![(text_cost, None)];
        outer.extend(filters.iter().enumerate().map(|(i, e)| (e.cost, Some(i))));
        outer.sort_by_key(|(cost, _)| *cost);
        let (word_count, mut clauses) = (words.len(), words);
        let optional: Vec<Exact> = optional.into_iter().flatten().collect();
        let optional_count = optional.len();
        clauses.extend(optional);
        clauses.extend(filters);
        // What a settled clause adds is its most: gathering it would take nothing off a
        // candidate's bound, so its value is set once.
        let matches = found.len();
        let settled: Vec<Option<Score>> =
            clauses.iter().map(|e| e.settled(found, matches)).collect();
        let mut order: Vec<usize> = (0..clauses.len())
            .filter(|&i| settled[i].is_none())
            .collect();
        order.sort_by(|&a, &b| clauses[b].most.total_cmp(&clauses[a].most));
        Some(Segment {
            most: clauses.iter().map(|e| e.most).sum(),
            values: settled,
            matches,
            words: word_count,
            optional: optional_count,
            outer: outer.into_iter().map(|(_, part)| part).collect(),
            order,
            clauses,
        })
    }

    /// The indexes of the optional clauses in `clauses`.
    fn optional(&self) -> std::ops::Range<usize> {
        self.words..self.words + self.optional
    }

    /// Offers `best` the matches (`found`) holding the strongest optional clauses, when
    /// together they hold few documents, so that the page's threshold starts high and the walk
    /// skips more. Returns the documents offered, ascending.
    fn strongest_first(&mut self, ord: u32, found: &Bits, k: usize, best: &mut Best) -> Vec<DocId> {
        let mut strongest: Vec<usize> = self.optional().collect();
        strongest.sort_by(|&a, &b| self.clauses[b].most.total_cmp(&self.clauses[a].most));
        let mut first: Vec<DocId> = Vec::new();
        let mut cost = 0;
        for i in strongest {
            cost += self.clauses[i].cost;
            if cost > (STRONG_FIRST * k) as u64 {
                break;
            }
            let mut doc = self.clauses[i].next_from(0);
            while doc != TERMINATED {
                if found.contains(doc) {
                    first.push(doc);
                }
                doc = self.clauses[i].next_from(doc + 1);
            }
        }
        first.sort_unstable();
        first.dedup();
        for &doc in &first {
            if let Some(score) = self.score_above(doc, best.threshold()) {
                best.offer(score, DocAddress::new(ord, doc));
            }
        }
        first
    }

    /// Offers `best` every document of `found` (from segment `ord`) that may beat its
    /// threshold, but for the ones `offered` already (ascending); stops at `deadline`.
    fn collect(
        &mut self,
        ord: u32,
        found: &Bits,
        offered: &[DocId],
        best: &mut Best,
        deadline: &Deadline,
    ) -> Result<(), PastDeadline> {
        // Optional clauses from the weakest: a document matching only a prefix of them cannot
        // beat a threshold above the required clauses' most plus that prefix's.
        let mut by_bound: Vec<usize> = self.optional().collect();
        by_bound.sort_by(|&a, &b| self.clauses[a].most.total_cmp(&self.clauses[b].most));
        let required: Score = (0..self.words)
            .chain(self.words + self.optional..self.clauses.len())
            .map(|i| self.clauses[i].most)
            .sum();
        let mut prefix = vec![required];
        for &i in &by_bound {
            prefix.push(prefix[prefix.len() - 1] + self.clauses[i].most);
        }
        let matches = self.matches;
        // Where the candidates come from, and the count of weak clauses that was chosen for.
        let mut candidates: (usize, Candidates) = (0, Candidates::Matches);
        // How many of the weakest optional clauses cannot lift a document on their own, for
        // the threshold it was counted at: the threshold changes only when a hit enters.
        let mut weak_at: (Option<Score>, usize) = (None, 0);
        let mut doc: DocId = 0;
        let mut next_look: DocId = 0;
        while doc != TERMINATED {
            if doc >= next_look {
                deadline.check()?;
                next_look = doc.saturating_add(DOCS_BETWEEN_LOOKS);
            }
            let threshold = best.threshold();
            if threshold != weak_at.0 {
                let weak = threshold.map_or(0, |t| {
                    prefix.iter().take_while(|&&b| !may_beat(b, t)).count()
                });
                weak_at = (threshold, weak);
            }
            let weak = weak_at.1;
            if weak == 0 {
                // Even the required clauses alone may be enough: every match is a candidate.
                doc = found.next_from(doc);
                if doc == TERMINATED {
                    break;
                }
                if offered.binary_search(&doc).is_err() {
                    if let Some(score) = self.score_above(doc, threshold) {
                        best.offer(score, DocAddress::new(ord, doc));
                    }
                }
                doc += 1;
                continue;
            }
            let strong = &by_bound[weak - 1..];
            if candidates.0 != weak {
                let strong: Vec<&Exact> = strong.iter().map(|&i| &self.clauses[i]).collect();
                candidates = (weak, Candidates::of(&strong, found, matches, doc));
            }
            let candidate = candidates.1.next_from(found, doc);
            if candidate == TERMINATED {
                break;
            }
            doc = candidate + 1;
            // A match holding no strong clause is bounded by `prefix[weak - 1]`, which cannot
            // beat the threshold.
            let strong_bound = prefix[weak - 1]
                + strong
                    .iter()
                    .filter(|&&i| self.clauses[i].holds(candidate))
                    .map(|&i| self.clauses[i].most)
                    .sum::<Score>();
            if threshold.is_some_and(|t| may_beat(strong_bound, t))
                && offered.binary_search(&candidate).is_err()
            {
                if let Some(score) = self.score_above(candidate, threshold) {
                    best.offer(score, DocAddress::new(ord, candidate));
                }
            }
        }
        Ok(())
    }

    /// The score of `doc`, a match, as tantivy's boolean query computes it; `None` as soon as
    /// what is left to gather cannot lift it above `threshold`.
    fn score_above(&mut self, doc: DocId, threshold: Option<Score>) -> Option<Score> {
        let mut most = self.most;
        for &i in &self.order {
            let clause = &self.clauses[i];
            let value = clause.score(doc);
            self.values[i] = value;
            if let Some(threshold) = threshold {
                most -= clause.most - value.unwrap_or(0.0);
                if !may_beat(most, threshold) {
                    return None;
                }
            }
        }
        Some(self.sum())
    }

    /// The gathered values summed as tantivy's boolean query sums its scorers: the words as
    /// an intersection, the optional clauses' sum added, then the filters' intersection.
    fn sum(&self) -> Score {
        let (words, rest) = self.values.split_at(self.words);
        let (optional, filters) = rest.split_at(self.optional);
        let mut words = words.iter().map(|v| v.unwrap_or_default());
        let first = words.next().unwrap_or_default();
        let text = match words.next() {
            None => first,
            Some(second) => first + second + words.sum::<Score>(),
        };
        let mut bonus: Option<Score> = None;
        for value in optional.iter().flatten() {
            *bonus.get_or_insert(0.0) += value;
        }
        let text = match bonus {
            Some(bonus) => text + bonus,
            None => text,
        };
        if filters.is_empty() {
            return text;
        }
        let mut parts = self.outer.iter().map(|part| match part {
            None => text,
            Some(i) => filters[*i].unwrap_or_default(),
        });
        let first = parts.next().unwrap_or_default();
        let second = parts.next().unwrap_or_default();
        first + second + parts.sum::<Score>()
    }
}

/// Whether a document whose score is at most `bound` might still beat `threshold`.
fn may_beat(bound: Score, threshold: Score) -> bool {
    bound * (1.0 + BOUND_SLACK) > threshold
}

/// A hit in the heap: the worst one on top.
#[derive(Debug, Clone, Copy)]
struct Entry(Score, DocAddress);

impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        // Worse is greater: a lower score, or an equal score on a later document.
        other
            .0
            .total_cmp(&self.0)
            .then_with(|| self.1.cmp(&other.1))
    }
}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Entry {}

/// The best `k` hits offered so far, in any order.
struct Best {
    k: usize,
    heap: BinaryHeap<Entry>,
}

impl Best {
    fn new(k: usize) -> Best {
        Best {
            k,
            heap: BinaryHeap::with_capacity(k + 1),
        }
    }

    /// The score a hit must exceed to enter, once `k` hits are in.
    fn threshold(&self) -> Option<Score> {
        (self.heap.len() >= self.k)
            .then(|| self.heap.peek().map(|e| e.0))
            .flatten()
    }

    fn offer(&mut self, score: Score, address: DocAddress) {
        let entry = Entry(score, address);
        let full = self.heap.len() >= self.k;
        if self.k == 0 || full && self.heap.peek().is_some_and(|worst| entry >= *worst) {
            return;
        }
        self.heap.push(entry);
        if self.heap.len() > self.k {
            self.heap.pop();
        }
    }

    /// The hits, best first.
    fn into_sorted(self) -> Vec<(Score, DocAddress)> {
        self.heap
            .into_sorted_vec()
            .into_iter()
            .map(|Entry(score, address)| (score, address))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use tantivy::collector::DocSetCollector;
    use tantivy::schema::{Schema, STRING, TEXT};
    use tantivy::{doc, Index, IndexWriter};

    use super::*;

    /// An index of `n` documents over a few frequent words and two rare ones, in three
    /// segments.
    fn index(n: u32) -> (Index, tantivy::schema::Field, tantivy::schema::Field) {
        let mut schema = Schema::builder();
        let text = schema.add_text_field("text", TEXT);
        let tag = schema.add_text_field("tag", STRING);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let words = ["a", "b", "c", "d", "e", "f"];
        for i in 0..n {
            let mut body: Vec<&str> = (0..1 + i % 7)
                .map(|j| words[((i * 7 + j * j * 3 + i / 5) % 6) as usize])
                .collect();
            if i % 37 == 0 {
                body.extend(std::iter::repeat_n("g", 1 + (i % 3) as usize));
            }
            if i % 101 == 0 {
                body.push("h");
            }
            let tag_value = if i % 3 == 0 { "x" } else { "y" };
            writer
                .add_document(doc!(text => body.join(" "), tag => tag_value))
                .unwrap();
            if i % (n / 3) == 0 {
                writer.commit().unwrap();
            }
        }
        writer.commit().unwrap();
        (index, text, tag)
    }

    fn clause(field: tantivy::schema::Field, word: &str, scoring: Scoring) -> Clause {
        Clause {
            term: Term::from_field_text(field, word),
            record: IndexRecordOption::WithFreqs,
            scoring,
        }
    }

    #[test]
    fn top_hits_are_the_ones_tantivys_boolean_query_ranks_first() {
        let (index, text, tag) = index(3000);
        let searcher = index.reader().unwrap().searcher();
        assert!(searcher.segment_readers().len() > 1);
        let word = |w, o| (o, clause(text, w, Scoring::Bm25));
        let texts = [
            vec![
                word("a", Occur::Must),
                word("b", Occur::Must),
                (Occur::Should, clause(text, "c", Scoring::Constant(0.7))),
                (Occur::Should, clause(text, "d", Scoring::Boosted(2.0))),
                word("e", Occur::Should),
            ],
            vec![
                word("a", Occur::Should),
                word("f", Occur::Should),
                (Occur::Should, clause(text, "b", Scoring::Constant(3.0))),
            ],
            vec![
                word("a", Occur::Must),
                word("g", Occur::Should),
                (Occur::Should, clause(text, "h", Scoring::Constant(5.0))),
                (Occur::Should, clause(text, "b", Scoring::Boosted(1.5))),
            ],
            vec![
                word("g", Occur::Must),
                word("c", Occur::Should),
                (Occur::Should, clause(text, "h", Scoring::Boosted(3.0))),
            ],
            // A constant clause that every match holds, whose value is set once.
            vec![
                word("g", Occur::Must),
                (Occur::Should, clause(text, "g", Scoring::Constant(2.0))),
                (Occur::Should, clause(text, "a", Scoring::Constant(0.4))),
                word("h", Occur::Should),
            ],
        ];
        let filters = [
            vec![],
            vec![Clause {
                term: Term::from_field_text(tag, "x"),
                record: IndexRecordOption::Basic,
                scoring: Scoring::Bm25,
            }],
        ];
        let every = Everything::of(&searcher, text, &["a", "b", "c", "d", "e", "f", "g", "h"]);
        let documents_only = Everything {
            bits: every.bits.clone(),
            ..Everything::default()
        };
        // Every term's documents and frequencies kept, only its documents, or nothing: clauses
        // answered from memory, BM25 clauses from their postings, every clause from its
        // postings.
        let kepts: [&dyn Kept; 3] = [&every, &documents_only, &Nothing];
        for (text, filters) in texts
            .iter()
            .flat_map(|t| filters.iter().map(move |f| (t, f)))
        {
            for kept in kepts {
                let ranking = Ranking {
                    text,
                    filters,
                    kept,
                };
                assert_top_as_tantivys(&searcher, &ranking, &[1, 10, 100]);
            }
        }
    }

    #[test]
    fn a_late_document_that_only_a_strong_clause_lifts_enters_the_page() {
        // Every document holds "a"; every other one "y", a weak bonus; every fifth one "x", more
        // often the later it comes. All are padded to one length, so the best hits are the last
        // ones holding "x", long after the page has filled and "y" has become too weak to lift
        // a document.
        let mut schema = Schema::builder();
        let text = schema.add_text_field("text", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for i in 0..2000_usize {
            let mut body = vec!["a"];
            if i % 2 == 0 {
                body.push("y");
            }
            if i % 5 == 0 {
                body.extend(std::iter::repeat_n("x", 1 + i / 100));
            }
            body.resize(30, "z");
            writer.add_document(doc!(text => body.join(" "))).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let clauses = [
            (Occur::Must, clause(text, "a", Scoring::Bm25)),
            (Occur::Should, clause(text, "y", Scoring::Constant(0.001))),
            (Occur::Should, clause(text, "x", Scoring::Bm25)),
        ];
        // Kept, "x" is a bitset and the candidates are gathered into one; else they are gathered
        // from its postings, as a list.
        let every = Everything::of(&searcher, text, &["a", "x", "y"]);
        for kept in [&every as &dyn Kept, &Nothing] {
            let ranking = Ranking {
                text: &clauses,
                filters: &[],
                kept,
            };
            assert_top_as_tantivys(&searcher, &ranking, &[1, 3, 25]);
        }
    }

    /// Holds `ranking.top` to tantivy's `TopDocs` over the same boolean query, for each of `ks`.
    fn assert_top_as_tantivys(searcher: &tantivy::Searcher, ranking: &Ranking, ks: &[usize]) {
        let query = ranking.boolean();
        let matching = searcher.search(&query, &DocSetCollector).unwrap();
        let found: Vec<Bits> = searcher
            .segment_readers()
            .iter()
            .enumerate()
            .map(|(ord, reader)| {
                let docs: Vec<DocId> = matching
                    .iter()
                    .filter(|a| a.segment_ord as usize == ord)
                    .map(|a| a.doc_id)
                    .collect();
                Bits::of(reader.max_doc(), &docs)
            })
            .collect();
        for &k in ks {
            let expected = searcher
                .search(&query, &TopDocs::with_limit(k).order_by_score())
                .unwrap();
            let top = ranking.top(searcher, &found, k, &Deadline(None));
            assert_eq!(top.unwrap(), expected);
        }
    }

    struct Nothing;

    impl Kept for Nothing {
        fn kept(&self, _: usize, _: &Term) -> Option<&Bits> {
            None
        }

        fn freqs(&self, _: usize, _: &Term) -> Option<&Freqs> {
            None
        }

        fn weight(&self, _: &Term) -> Option<&Bm25Weight> {
            None
        }
    }

    /// Some terms' documents, frequencies and weights kept.
    #[derive(Default)]
    struct Everything {
        bits: HashMap<(usize, Term), Bits>,
        freqs: HashMap<(usize, Term), Freqs>,
        weights: HashMap<Term, Bm25Weight>,
    }

    impl Everything {
        /// Every segment's documents and frequencies of each of `words` in `field`, and their
        /// weights.
        fn of(searcher: &tantivy::Searcher, field: tantivy::schema::Field, words: &[&str]) -> Self {
            let mut every = Everything::default();
            for (ord, reader) in searcher.segment_readers().iter().enumerate() {
                for word in words {
                    let term = Term::from_field_text(field, word);
                    let Some((docs, freqs)) = Freqs::read(reader, &term).unwrap() else {
                        continue;
                    };
                    let weight = Bm25Weight::for_terms(searcher, std::slice::from_ref(&term));
                    every.weights.insert(term.clone(), weight.unwrap());
                    let key = (ord, term);
                    every
                        .bits
                        .insert(key.clone(), Bits::of(reader.max_doc(), &docs));
                    every.freqs.insert(key, freqs);
                }
            }
            every
        }
    }

    impl Kept for Everything {
        fn kept(&self, ord: usize, term: &Term) -> Option<&Bits> {
            self.bits.get(&(ord, term.clone()))
        }

        fn freqs(&self, ord: usize, term: &Term) -> Option<&Freqs> {
            self.freqs.get(&(ord, term.clone()))
        }

        fn weight(&self, term: &Term) -> Option<&Bm25Weight> {
            self.weights.get(term)
        }
    }

    #[test]
    fn offers_in_any_order_keep_the_same_hits() {
        let offers = [(2.0, 5), (1.0, 1), (2.0, 3), (1.0, 0), (3.0, 9), (2.0, 4)];
        let mut forward = Best::new(3);
        let mut backward = Best::new(3);
        for &(score, doc) in &offers {
            forward.offer(score, DocAddress::new(0, doc));
        }
        for &(score, doc) in offers.iter().rev() {
            backward.offer(score, DocAddress::new(0, doc));
        }
        let docs: Vec<DocId> = forward.into_sorted().iter().map(|h| h.1.doc_id).collect();
        assert_eq!(docs, [9, 3, 4]);
        assert_eq!(backward.into_sorted().len(), 3);
    }

    #[test]
    fn ties_go_to_the_earlier_document() {
        let mut best = Best::new(2);
        for doc in 0..4 {
            best.offer(1.0, DocAddress::new(0, doc));
        }
        let docs: Vec<DocId> = best.into_sorted().iter().map(|h| h.1.doc_id).collect();
        assert_eq!(docs, [0, 1]);
    }
}
