//! The best hits of the ranking query, without scoring every document it matches.
//!
//! The ranking query is term clauses: the query's words, all required (or all optional when
//! no document holds them all), and optional bonuses (title words, exact spellings, pairs, kind
//! cues, codes), inside the request's required facet filters. Common words match most of the
//! network, but a document's words can only add up to the sum of their BM25 maxima, so once the
//! page is full of documents scoring above that, only documents holding enough optional clauses
//! can still enter it (the MaxScore algorithm): the search walks the postings of those clauses
//! only and skips everything else.
//!
//! A candidate is then checked against a bound of its own before it is scored: each clause's
//! *probe* says what the clause may add to it, the exact score for a term on few documents (read
//! from its postings once), the clause's bound for a frequent term when the kept set of its
//! documents holds the candidate ([`super::sets`]). Scoring moves twenty scorers; a probe is a
//! look-up.
//!
//! Every document considered is scored exactly as tantivy's boolean query scores it (same
//! clause scorers, summed in the same order), and ties go to the earlier document as in
//! `TopDocs`, so the hits are the ones `TopDocs` over the same boolean query returns. Which
//! documents match comes from [`super::sets`], already computed for the counts.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use tantivy::collector::TopDocs;
use tantivy::postings::Postings;
use tantivy::query::{
    Bm25Weight, BooleanQuery, BoostQuery, ConstScoreQuery, EnableScoring, Occur, Query, Scorer,
    TermQuery,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocId, DocSet, Score, Term, TERMINATED};

use super::sets::{Bits, Kept, Members};

/// Upper bounds are sums in another order than the scores they bound: a bound is only trusted
/// to rule a document out when it is below the page's threshold by more than this share.
const BOUND_SLACK: Score = 1e-5;
/// A BM25 clause on at most 1 / this of a segment's documents has its best score there read
/// from its postings, a bound much closer than BM25's ceiling.
const SCAN_SHARE: u32 = 16;
/// The optional clauses that bound scores highest are read first when, together, they hold at
/// most this many times as many documents as the page wants.
const STRONG_FIRST: usize = 8;
/// A segment reads every clause's probe once it has asked for this many documents' bounds.
const PROBE_AFTER: usize = 16;

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

    /// Its BM25 weight as its scorers use it, for a BM25 clause.
    fn bm25(&self, searcher: &tantivy::Searcher) -> tantivy::Result<Option<Bm25Weight>> {
        let bm25 = || Bm25Weight::for_terms(searcher, std::slice::from_ref(&self.term));
        Ok(match self.scoring {
            Scoring::Bm25 => Some(bm25()?),
            Scoring::Boosted(boost) => Some(bm25()?.boost_by(boost)),
            Scoring::Constant(_) => None,
        })
    }

    /// The most the clause can add to a document's score, given its BM25 weight.
    fn upper_bound(&self, bm25: Option<&Bm25Weight>) -> Score {
        match (self.scoring, bm25) {
            (Scoring::Constant(score), _) => score,
            (_, Some(bm25)) => bm25.max_score(),
            (_, None) => Score::INFINITY,
        }
    }

    /// What the clause may add to each document of segment `ord`, and the most it adds to
    /// any of them there, given its BM25 weight and `global` (its bound anywhere): nothing when
    /// the term is absent;
    /// for a term on at most 1 / [`SCAN_SHARE`] of the documents, the exact score of each, read
    /// from its postings once; for a more frequent one, its bound wherever `kept` says it is.
    fn probe<'k>(
        &self,
        bm25: Option<&Bm25Weight>,
        searcher: &tantivy::Searcher,
        ord: usize,
        global: Score,
        kept: &'k dyn Kept,
    ) -> tantivy::Result<(Probe<'k>, Score)> {
        let segment = searcher.segment_reader(ord as u32);
        let field = self.term.field();
        let inverted = segment.inverted_index(field)?;
        let Some(info) = inverted.get_term_info(&self.term)? else {
            return Ok((Probe::Listed(Vec::new(), 0), 0.0));
        };
        if info.doc_freq * SCAN_SHARE > segment.max_doc() {
            let probe = match kept.kept(ord, &self.term) {
                Some(bits) => Probe::Kept(bits, global),
                None => Probe::Always(global),
            };
            return Ok((probe, global));
        }
        let fieldnorms = segment.fieldnorms_readers().get_field(field)?;
        let mut postings = inverted.read_postings_from_terminfo(&info, self.record)?;
        let mut scores = Vec::with_capacity(info.doc_freq as usize);
        let mut best: Score = 0.0;
        while postings.doc() != TERMINATED {
            let doc = postings.doc();
            let score = match (bm25, &fieldnorms) {
                (Some(bm25), Some(norms)) => {
                    bm25.score(norms.fieldnorm_id(doc), postings.term_freq())
                }
                _ => global,
            };
            best = best.max(score);
            scores.push((doc, score));
            postings.advance();
        }
        Ok((Probe::Listed(scores, 0), best))
    }
}

/// What a clause may add to a document, known without moving its scorer: checked before a
/// document is scored exactly, so that most are never scored.
enum Probe<'k> {
    /// A frequent term: its bound on the documents of its kept set.
    Kept(&'k Bits, Score),
    /// A frequent term without a kept set: its bound on any document.
    Always(Score),
    /// A rare term: its documents, ascending, with their exact scores, and how far the
    /// ascending walk of the documents asked about has gone.
    Listed(Vec<(DocId, Score)>, usize),
}

impl Probe<'_> {
    /// The most the clause adds to `doc`; `doc` never goes below an earlier call's.
    fn at_most(&mut self, doc: DocId) -> Score {
        match self {
            Probe::Kept(bits, bound) => {
                if bits.contains(doc) {
                    *bound
                } else {
                    0.0
                }
            }
            Probe::Always(bound) => *bound,
            Probe::Listed(scores, at) => {
                while scores.get(*at).is_some_and(|&(d, _)| d < doc) {
                    *at += 1;
                }
                match scores.get(*at) {
                    Some(&(d, score)) if d == doc => score,
                    _ => 0.0,
                }
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
    /// The frequent terms' documents.
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
    /// first, ties to the earlier document.
    pub fn top(
        &self,
        searcher: &tantivy::Searcher,
        found: &[Bits],
        k: usize,
    ) -> tantivy::Result<Vec<(Score, DocAddress)>> {
        let words: Vec<&Clause> = self
            .text
            .iter()
            .filter(|(o, _)| *o == Occur::Must)
            .map(|(_, c)| c)
            .collect();
        if words.is_empty() && self.filters.len() > 1 {
            // Without required words, the text part costs what tantivy's union of its clauses
            // does after its first window, which orders three parts or more: leave this rare
            // case (no document holds all the words, and two filters) to tantivy.
            let top = TopDocs::with_limit(k.max(1)).order_by_score();
            return searcher.search(&self.boolean(), &top);
        }
        let optional: Vec<&Clause> = self
            .text
            .iter()
            .filter(|(o, _)| *o == Occur::Should)
            .map(|(_, c)| c)
            .collect();
        let filters: Vec<&Clause> = self.filters.iter().collect();
        let scoring = EnableScoring::enabled_from_searcher(searcher);
        let weights = |clauses: &[&Clause]| {
            clauses
                .iter()
                .map(|c| c.query().weight(scoring))
                .collect::<tantivy::Result<Vec<_>>>()
        };
        let (word_weights, optional_weights, filter_weights) =
            (weights(&words)?, weights(&optional)?, weights(&filters)?);
        // Each clause's BM25 weight, computed once (it reads the term's statistics).
        let bm25 = |clauses: &[&Clause]| {
            clauses
                .iter()
                .map(|c| c.bm25(searcher))
                .collect::<tantivy::Result<Vec<_>>>()
        };
        let (word_bm25, optional_bm25, filter_bm25) =
            (bm25(&words)?, bm25(&optional)?, bm25(&filters)?);
        let bounds = |clauses: &[&Clause], bm25: &[Option<Bm25Weight>]| -> Vec<Score> {
            clauses
                .iter()
                .zip(bm25)
                .map(|(c, w)| c.upper_bound(w.as_ref()))
                .collect()
        };
        let filters_bound: Score = bounds(&filters, &filter_bm25).iter().sum();
        let (word_bounds, optional_bounds) = (
            bounds(&words, &word_bm25),
            bounds(&optional, &optional_bm25),
        );
        let required_bound = filters_bound + word_bounds.iter().sum::<Score>();

        let mut best = Best::new(k);
        let mut segments = Vec::new();
        for (ord, reader) in searcher.segment_readers().iter().enumerate() {
            let Some(found) = found.get(ord).filter(|f| f.next_from(0) != TERMINATED) else {
                continue;
            };
            // Every clause's probe here, the words' then the optional clauses'. Those of the
            // optional BM25 clauses are read now, for their bounds; the others wait.
            let mut probes = Vec::with_capacity(words.len() + optional.len());
            let mut pending = Vec::new();
            for ((clause, bm25), global) in words.iter().zip(&word_bm25).zip(&word_bounds) {
                pending.push((probes.len(), *clause, bm25.as_ref(), *global));
                probes.push(None);
            }
            let mut bounds = Vec::with_capacity(optional.len());
            for ((clause, bm25), global) in
                optional.iter().zip(&optional_bm25).zip(&optional_bounds)
            {
                if let Scoring::Constant(_) = clause.scoring {
                    pending.push((probes.len(), *clause, None, *global));
                    probes.push(None);
                    bounds.push(*global);
                } else {
                    let (probe, bound) =
                        clause.probe(bm25.as_ref(), searcher, ord, *global, self.kept)?;
                    probes.push(Some((probe, bound)));
                    bounds.push(bound);
                }
            }
            let segment = |bounds: Vec<Score>| -> tantivy::Result<Segment> {
                let scorers = |weights: &[Box<dyn tantivy::query::Weight>]| {
                    weights
                        .iter()
                        .map(|w| w.scorer(reader, 1.0))
                        .collect::<tantivy::Result<Vec<_>>>()
                };
                let mut segment = Segment {
                    words: scorers(&word_weights)?,
                    optional: scorers(&optional_weights)?
                        .into_iter()
                        .zip(bounds)
                        .collect(),
                    filters: scorers(&filter_weights)?,
                    outer: Vec::new(),
                };
                segment.order();
                Ok(segment)
            };
            let mut main = segment(bounds.clone())?;
            // The matches holding the strongest clauses, when they are few, are scored first:
            // the page's threshold starts high, and the walk below skips more.
            let mut strongest: Vec<usize> = (0..optional.len()).collect();
            strongest.sort_by(|&a, &b| bounds[b].total_cmp(&bounds[a]));
            let mut first: Vec<DocId> = Vec::new();
            let mut cost = 0;
            for i in strongest {
                cost += main.optional[i].0.cost();
                if cost > (STRONG_FIRST * k) as u64 {
                    break;
                }
                let docs: Vec<DocId> = match &probes[words.len() + i] {
                    Some((Probe::Listed(scores, _), _)) => scores.iter().map(|&(d, _)| d).collect(),
                    _ => Members::docs(reader, &optional[i].term)?,
                };
                first.extend(docs.into_iter().filter(|&d| found.contains(d)));
            }
            first.sort_unstable();
            first.dedup();
            if !first.is_empty() {
                let mut early = segment(bounds)?;
                for &doc in &first {
                    best.offer(early.score(doc), DocAddress::new(ord as u32, doc));
                }
            }
            // A clause without documents here adds nothing to any score.
            main.optional.retain(|(s, _)| s.doc() != TERMINATED);
            let bound = Bound {
                required: required_bound,
                fixed: filters_bound,
                probes,
                order: Vec::new(),
                most: 0.0,
                pending,
                searcher,
                ord,
                kept: self.kept,
                asked: 0,
            };
            segments.push((ord as u32, found, main, bound, first));
        }
        for (ord, found, mut segment, mut bound, first) in segments {
            segment.collect(ord, found, &mut bound, &first, &mut best)?;
        }
        Ok(best.into_sorted())
    }
}

/// What bounds the scores of one segment's documents.
struct Bound<'a> {
    /// The most the words and filters add.
    required: Score,
    /// The most the filters add.
    fixed: Score,
    /// Every text clause's probe, once read, and the most it adds here.
    probes: Vec<Option<(Probe<'a>, Score)>>,
    /// The probes from the one that may add most, once all are read (empty before).
    order: Vec<usize>,
    /// The most a document may score: `fixed` and every probe's most.
    most: Score,
    /// The probes not read yet: where they go, their clause, its BM25 weight and its bound.
    pending: Vec<(usize, &'a Clause, Option<&'a Bm25Weight>, Score)>,
    searcher: &'a tantivy::Searcher,
    ord: usize,
    kept: &'a dyn Kept,
    /// How many bounds were asked for.
    asked: usize,
}

impl Bound<'_> {
    /// Whether `doc` may beat `threshold`, as far as the probes know once more than
    /// [`PROBE_AFTER`] documents were asked about (a segment that scores fewer documents
    /// scores them faster than it reads every clause's postings); `doc` never goes below an
    /// earlier call's. The probes are asked from the one that may add most, and the answer is
    /// no as soon as what they leave cannot reach the threshold.
    fn may_beat(&mut self, doc: DocId, threshold: Option<Score>) -> tantivy::Result<bool> {
        let Some(threshold) = threshold else {
            return Ok(true);
        };
        self.asked += 1;
        if self.order.is_empty() {
            if !self.pending.is_empty() && self.asked <= PROBE_AFTER {
                return Ok(true);
            }
            for (i, clause, bm25, global) in std::mem::take(&mut self.pending) {
                let probe = clause.probe(bm25, self.searcher, self.ord, global, self.kept)?;
                self.probes[i] = Some(probe);
            }
            let most = |i: usize| self.probes[i].as_ref().map_or(0.0, |(_, most)| *most);
            self.order = (0..self.probes.len()).collect();
            self.order.sort_by(|&a, &b| most(b).total_cmp(&most(a)));
            self.most = self.fixed + self.order.iter().map(|&i| most(i)).sum::<Score>();
        }
        let mut most = self.most;
        for &i in &self.order {
            if let Some((probe, at_most)) = &mut self.probes[i] {
                most -= *at_most - probe.at_most(doc);
                if !may_beat(most, threshold) {
                    return Ok(false);
                }
            }
        }
        Ok(true)
    }
}

/// The clause scorers of one segment.
struct Segment {
    /// The words, in the order tantivy's intersection sums them.
    words: Vec<Box<dyn Scorer>>,
    /// The optional clauses and their upper bounds, in query order.
    optional: Vec<(Box<dyn Scorer>, Score)>,
    /// The filters, in query order.
    filters: Vec<Box<dyn Scorer>>,
    /// The order the outer intersection sums the text score (`None`) and the filters in.
    outer: Vec<Option<usize>>,
}

impl Segment {
    /// Puts the scorers in tantivy's summation order: an intersection sorts its parts by cost
    /// (stably), and the text part costs what its cheapest word does.
    fn order(&mut self) {
        self.words.sort_by_key(|s| s.cost());
        let text_cost = self.words.first().map_or(0, |s| s.cost());
        let mut outer: Vec<(u64, Option<usize>)> = vec![(text_cost, None)];
        outer.extend(
            self.filters
                .iter()
                .enumerate()
                .map(|(i, s)| (s.cost(), Some(i))),
        );
        outer.sort_by_key(|(cost, _)| *cost);
        self.outer = outer.into_iter().map(|(_, part)| part).collect();
    }

    /// Offers `best` every document of `found` (from segment `ord`) that may beat its
    /// threshold within `bound`, but for the ones `offered` already (ascending).
    fn collect(
        &mut self,
        ord: u32,
        found: &Bits,
        bound: &mut Bound,
        offered: &[DocId],
        best: &mut Best,
    ) -> tantivy::Result<()> {
        // Optional clauses from the weakest: a document matching only a prefix of them cannot
        // beat a threshold above the required bound plus that prefix's bounds.
        let mut by_bound: Vec<usize> = (0..self.optional.len()).collect();
        by_bound.sort_by(|&a, &b| self.optional[a].1.total_cmp(&self.optional[b].1));
        let mut prefix = vec![bound.required];
        for &i in &by_bound {
            prefix.push(prefix[prefix.len() - 1] + self.optional[i].1);
        }
        let matches = found.len();
        // Documents the strong clauses hold, for the current count of weak ones.
        let mut strong_len = (usize::MAX, 0);
        let mut doc: DocId = 0;
        while doc != TERMINATED {
            let threshold = best.threshold();
            // How many of the weakest optional clauses cannot lift a document on their own.
            let weak = match threshold {
                Some(t) => prefix.iter().take_while(|&&b| !may_beat(b, t)).count(),
                None => 0,
            };
            if weak > 0 && strong_len.0 != weak {
                let len = by_bound[weak - 1..]
                    .iter()
                    .map(|&i| self.optional[i].0.cost())
                    .sum();
                strong_len = (weak, len);
            }
            if weak == 0 {
                // Even the words alone may be enough: every match is a candidate.
                doc = found.next_from(doc);
                if doc == TERMINATED {
                    break;
                }
                if offered.binary_search(&doc).is_err() && bound.may_beat(doc, threshold)? {
                    best.offer(self.score(doc), DocAddress::new(ord, doc));
                }
                doc += 1;
                continue;
            }
            let strong = &by_bound[weak - 1..];
            // The candidates are the matches holding a strong clause: walk whichever of the
            // two is shorter and look the other up.
            let candidate = if matches <= strong_len.1 {
                let candidate = found.next_from(doc);
                for &i in strong {
                    reach(self.optional[i].0.as_mut(), candidate);
                }
                candidate
            } else {
                let mut candidate = TERMINATED;
                for &i in strong {
                    let scorer = &mut self.optional[i].0;
                    if scorer.doc() < doc {
                        scorer.seek(doc);
                    }
                    candidate = candidate.min(scorer.doc());
                }
                candidate
            };
            if candidate == TERMINATED {
                break;
            }
            doc = candidate + 1;
            if !found.contains(candidate) {
                continue;
            }
            let strong_bound = prefix[weak - 1]
                + strong
                    .iter()
                    .filter(|&&i| self.optional[i].0.doc() == candidate)
                    .map(|&i| self.optional[i].1)
                    .sum::<Score>();
            if threshold.is_some_and(|t| may_beat(strong_bound, t))
                && offered.binary_search(&candidate).is_err()
                && bound.may_beat(candidate, threshold)?
            {
                best.offer(self.score(candidate), DocAddress::new(ord, candidate));
            }
        }
        Ok(())
    }

    /// The score of `doc`, a match, as tantivy's boolean query computes it.
    fn score(&mut self, doc: DocId) -> Score {
        let mut words = self.words.iter_mut().map(|s| {
            reach(s.as_mut(), doc);
            s.score()
        });
        let first = words.next().unwrap_or_default();
        let text = match words.next() {
            None => first,
            Some(second) => first + second + words.sum::<Score>(),
        };
        let mut bonus: Option<Score> = None;
        for (scorer, _) in &mut self.optional {
            if reach(scorer.as_mut(), doc) {
                *bonus.get_or_insert(0.0) += scorer.score();
            }
        }
        let text = match bonus {
            Some(bonus) => text + bonus,
            None => text,
        };
        if self.filters.is_empty() {
            return text;
        }
        let mut parts = self.outer.iter().map(|part| match part {
            None => text,
            Some(i) => {
                let filter = &mut self.filters[*i];
                reach(filter.as_mut(), doc);
                filter.score()
            }
        });
        let first = parts.next().unwrap_or_default();
        let second = parts.next().unwrap_or_default();
        first + second + parts.sum::<Score>()
    }
}

/// Moves `scorer` forward to `doc` if it is behind; whether it holds `doc`.
fn reach(scorer: &mut dyn Scorer, doc: DocId) -> bool {
    if scorer.doc() < doc {
        scorer.seek(doc);
    }
    scorer.doc() == doc
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
        ];
        let filters = [
            vec![],
            vec![Clause {
                term: Term::from_field_text(tag, "x"),
                record: IndexRecordOption::Basic,
                scoring: Scoring::Bm25,
            }],
        ];
        // Every term's documents kept, or none: probes by kept sets, by bounds alone, and by
        // postings for the rare terms either way.
        let mut every = Everything(HashMap::new());
        for (ord, reader) in searcher.segment_readers().iter().enumerate() {
            for word in ["a", "b", "c", "d", "e", "f", "g", "h"] {
                let term = Term::from_field_text(text, word);
                let docs = Members::docs(reader, &term).unwrap();
                every
                    .0
                    .insert((ord, term), Bits::of(reader.max_doc(), &docs));
            }
        }
        let kepts: [&dyn Kept; 2] = [&every, &Nothing];
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
                for k in [1, 10, 100] {
                    let expected = searcher
                        .search(&query, &TopDocs::with_limit(k).order_by_score())
                        .unwrap();
                    assert_eq!(ranking.top(&searcher, &found, k).unwrap(), expected);
                }
            }
        }
    }

    /// No kept documents.
    struct Nothing;

    impl Kept for Nothing {
        fn kept(&self, _: usize, _: &Term) -> Option<&Bits> {
            None
        }
    }

    /// Every term's documents kept.
    struct Everything(HashMap<(usize, Term), Bits>);

    impl Kept for Everything {
        fn kept(&self, ord: usize, term: &Term) -> Option<&Bits> {
            self.0.get(&(ord, term.clone()))
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
