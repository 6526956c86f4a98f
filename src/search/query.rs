//! Running a citizen's query: normalise it like the index, correct unknown words from their
//! neighbours, build the ranking query, collect hits, snippets and facet counts.
//!
//! Ranking, from what `../shared/SEARCH-NOTES.md` measured: every syllable scores by BM25 on one
//! field holding title, summary and body (folded; exact forms score again when the citizen typed
//! marks); every adjacent pair of query syllables found in a document adds a constant times the
//! pair's own idf (pairs carry Vietnamese meaning, and a rare pair outranks common syllables);
//! a title match adds a small constant. A procedure code, or a document number the index knows, is
//! matched as that code, not as its syllables, and puts its document above all else.

use std::collections::BTreeMap;
use std::num::NonZeroUsize;
use std::path::Path;
use std::sync::{Arc, OnceLock, RwLock};
use std::time::Instant;

use serde::{Deserialize, Serialize};
use tantivy::query::Occur;
use tantivy::schema::{Facet, IndexRecordOption};
use tantivy::{Index, ReloadPolicy, Term};

use super::analyzer::{self, Form};
use super::deadline::{Deadline, PastDeadline};
use super::excerpt::excerpt;
use super::index::SUGGEST_FILE;
use super::schema::{Fields, Kind};
use super::sets::{Bits, Prepared, DIMENSIONS};
use super::spelling::Spelling;
use super::stored::{Store, Stored};
use super::top::{Clause, Ranking, Scoring};

/// Longer queries are cut to this many characters.
pub const MAX_QUERY_CHARS: usize = 200;
/// Queries are cut after this many words (syllables): each adds clauses to the ranking query
/// (the word, its title bonus, its exact spelling, two pairs) that every candidate is scored
/// against, and no citizen types more than this into a search box. At this cap, the costliest
/// query of common words costs a few times what a typical one does, and the cost rises steeply
/// past it (docs/search-api.md; BENCHMARKS.md, "Servers under hostile clients").
pub const MAX_QUERY_WORDS: usize = 12;
/// A request with more words than this is heavy ([`SearchRequest::is_heavy`]): past it, a query
/// of common words costs several times a typical search (BENCHMARKS.md, "Servers under hostile
/// clients").
const HEAVY_WORDS: usize = 6;
/// A request for hits deeper than this is heavy: the deeper the page, the more matches are
/// scored before the page is known, so a deep page of common words costs a few times the first.
const HEAVY_DEPTH: usize = 100;
/// Most hits one page may ask for.
pub const MAX_PER_PAGE: usize = 50;
/// Deepest hit a page may reach: paging past it returns no hits.
const MAX_DEPTH: usize = 1000;
/// Hits read and excerpted between two looks at the deadline: a page of ten.
const HITS_BETWEEN_LOOKS: usize = 10;
/// Decompressed blocks of stored documents kept per segment (tantivy's own default).
const STORE_CACHE_BLOCKS: NonZeroUsize = NonZeroUsize::new(100).unwrap();

const PAIR_WEIGHT: f32 = 3.0;
const TITLE_WEIGHT: f32 = 0.5;
const TITLE_PAIR_WEIGHT: f32 = 2.0;
const CODE_WEIGHT: f32 = 1000.0;
const KIND_CUE_WEIGHT: f32 = 15.0;

/// Words that name a kind of page: a query with "thủ tục" (procedure) wants procedures first.
const KIND_CUES: [([&str; 2], Kind); 3] = [
    (["thu", "tuc"], Kind::Procedure),
    (["van", "ban"], Kind::Document),
    (["tin", "tuc"], Kind::News),
];

/// A search, as the endpoint receives it.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct SearchRequest {
    /// What the citizen typed.
    pub q: String,
    /// Only this portal (slug).
    pub portal: Option<String>,
    /// Only this kind: `news`, `page`, `document`, `procedure`.
    pub kind: Option<String>,
    /// Only procedures of this agency (portal slug).
    pub agency: Option<String>,
    /// Only procedures of this field (slug).
    pub field: Option<String>,
    /// Only procedures of this online service level.
    pub level: Option<u64>,
    /// Page of results, from 1.
    pub page: usize,
    /// Hits a page, at most [`MAX_PER_PAGE`].
    pub per_page: usize,
}

impl SearchRequest {
    /// The request with its query cut to [`MAX_QUERY_CHARS`] characters and
    /// [`MAX_QUERY_WORDS`] words: what is searched, and what a results page should repeat.
    pub fn cut(mut self) -> SearchRequest {
        self.q = cut_query(&self.q);
        self
    }

    /// Whether the request may cost several times a typical search, by its number of words
    /// and the depth of its page: a server computes heavy searches apart from the others.
    pub fn is_heavy(&self) -> bool {
        let per_page = self.per_page.clamp(1, MAX_PER_PAGE);
        self.page.max(1).saturating_mul(per_page) > HEAVY_DEPTH
            || analyzer::syllables(&self.q).nth(HEAVY_WORDS).is_some()
    }
}

/// `q` cut to [`MAX_QUERY_CHARS`] characters, then after its [`MAX_QUERY_WORDS`]th syllable.
fn cut_query(q: &str) -> String {
    let q = match q.char_indices().nth(MAX_QUERY_CHARS) {
        Some((end, _)) => &q[..end],
        None => q,
    };
    // Syllables are separated by characters that are not theirs: an ASCII byte that is no
    // letter or digit, or a character outside ASCII. Counting those bounds the syllables
    // without classifying a character, which is enough for nearly every query.
    let separators = q
        .bytes()
        .filter(|&b| !b.is_ascii_alphanumeric() && !(0x80..0xC0).contains(&b))
        .count();
    if separators < MAX_QUERY_WORDS {
        return q.to_owned();
    }
    match analyzer::syllables(q).nth(MAX_QUERY_WORDS - 1) {
        Some((_, end)) => q[..end].to_owned(),
        None => q.to_owned(),
    }
}

/// Why a search returned no results.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The index could not be read.
    #[error(transparent)]
    Index(#[from] tantivy::TantivyError),
    /// The search stopped at its deadline.
    #[error(transparent)]
    PastDeadline(#[from] PastDeadline),
}

impl Default for SearchRequest {
    fn default() -> Self {
        SearchRequest {
            q: String::new(),
            portal: None,
            kind: None,
            agency: None,
            field: None,
            level: None,
            page: 1,
            per_page: 10,
        }
    }
}

/// One result.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// Title.
    pub title: String,
    /// Site-absolute URL.
    pub url: String,
    /// Portal slug.
    pub portal: String,
    /// Portal short name.
    pub portal_name: String,
    /// What it is.
    pub kind: Kind,
    /// ISO date, empty for pages and procedures.
    pub date: String,
    /// Procedure code, for procedures.
    pub code: Option<String>,
    /// HTML: an escaped excerpt with the matched words in `<mark>`.
    pub snippet: String,
    /// Ranking score.
    pub score: f32,
}

/// Counts per value of each facet, for the current query and filters.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Facets {
    /// By portal slug.
    pub portal: Vec<(String, u64)>,
    /// By kind.
    pub kind: Vec<(String, u64)>,
    /// By agency (procedures).
    pub agency: Vec<(String, u64)>,
    /// By field slug (procedures).
    pub field: Vec<(String, u64)>,
    /// By service level (procedures).
    pub level: Vec<(String, u64)>,
}

/// What a search returns.
#[derive(Debug, Clone, Serialize)]
pub struct Results {
    /// The query as searched (cut, and with corrected words).
    pub query: String,
    /// Matching documents in all.
    pub total: usize,
    /// The hits of the requested page.
    pub hits: Vec<Hit>,
    /// Facet counts.
    pub facets: Facets,
    /// The query with marks, when it was typed without and that spelling is in the index.
    pub suggestion: Option<String>,
    /// Set when unknown words were replaced by known neighbours.
    pub corrected: Option<String>,
    /// Milliseconds spent.
    pub took_ms: f64,
}

/// What one run of the ranking query found: a page of (score, document), the number of
/// matches, and the facet counts.
type Found = (Vec<(f32, tantivy::DocAddress)>, usize, Facets);

/// An open index, ready for queries from any number of threads.
pub struct Searcher {
    reader: tantivy::IndexReader,
    /// The index as last opened or reloaded, with its sets: a search keeps the one it started
    /// with, so `sets` always match the segments searched.
    opened: RwLock<Arc<Opened>>,
    fields: Fields,
    spellings: BTreeMap<String, String>,
}

/// One generation of the index: its segments, the sets read from them, and their stores of
/// documents (read through [`Stored`]).
struct Opened {
    searcher: tantivy::Searcher,
    sets: Prepared,
    stores: Vec<Store>,
    /// The words of the `text` field, read when a correction first needs them.
    spelling: OnceLock<Spelling>,
}

impl Opened {
    fn new(searcher: tantivy::Searcher, sets: Prepared) -> tantivy::Result<Opened> {
        let stores = searcher
            .segment_readers()
            .iter()
            .map(|segment| Store::open(searcher.index(), segment, STORE_CACHE_BLOCKS))
            .collect::<tantivy::Result<_>>()?;
        Ok(Opened {
            searcher,
            sets,
            stores,
            spelling: OnceLock::new(),
        })
    }

    /// The words of `field` (always the `text` field) and their neighbours.
    fn spelling(&self, field: tantivy::schema::Field) -> tantivy::Result<&Spelling> {
        if let Some(spelling) = self.spelling.get() {
            return Ok(spelling);
        }
        let read = Spelling::read(&self.searcher, field)?;
        Ok(self.spelling.get_or_init(|| read))
    }
}

impl Searcher {
    /// Opens the index a build wrote into `dir`.
    pub fn open(dir: &Path) -> tantivy::Result<Searcher> {
        let index = Index::open_in_dir(dir)?;
        analyzer::register(index.tokenizers());
        let fields = Fields::of(&index.schema())?;
        let reader: tantivy::IndexReader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let searcher = reader.searcher();
        let sets = Prepared::read(&searcher, &fields, None)?;
        let spellings = std::fs::read(dir.join(SUGGEST_FILE))
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        Ok(Searcher {
            reader,
            opened: RwLock::new(Arc::new(Opened::new(searcher, sets)?)),
            fields,
            spellings,
        })
    }

    /// Sees what was committed to the index since it was opened or last reloaded (the
    /// editor's loop replaces one document at a time). The sets of segments it knows already
    /// are kept; only their deleted documents are read again.
    pub fn reload(&self) -> tantivy::Result<()> {
        self.reader.reload()?;
        let searcher = self.reader.searcher();
        let sets = Prepared::read(&searcher, &self.fields, Some(&self.opened().sets))?;
        let opened = Arc::new(Opened::new(searcher, sets)?);
        *self.opened.write().unwrap_or_else(|e| e.into_inner()) = opened;
        Ok(())
    }

    fn opened(&self) -> Arc<Opened> {
        self.opened
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Runs one search. Bad values never fail: an unknown filter matches nothing, sizes are
    /// clamped, a page past the end is empty.
    pub fn search(&self, request: &SearchRequest) -> Result<Results, SearchError> {
        self.search_until(request, None)
    }

    /// Runs one search, which stops with [`SearchError::PastDeadline`] once `deadline` has
    /// passed (never, when it is `None`).
    pub fn search_until(
        &self,
        request: &SearchRequest,
        deadline: Option<Instant>,
    ) -> Result<Results, SearchError> {
        let started = Instant::now();
        let deadline = Deadline(deadline);
        let opened = self.opened();
        let searcher = &opened.searcher;
        let q = crate::vietnamese::nfc(cut_query(&request.q));
        let per_page = request.per_page.clamp(1, MAX_PER_PAGE);
        let offset = request
            .page
            .max(1)
            .saturating_sub(1)
            .saturating_mul(per_page);

        // A procedure code, or a document number (as its slug) that the index knows, is
        // matched as that code and not by its syllables: "1.000894" finds its procedure, or
        // nothing, but never every text holding a "1".
        let mut codes = Vec::new();
        let mut words = Vec::new();
        for word in q.split_whitespace() {
            if crate::model::ProcedureCode::parse(word).is_ok() {
                codes.push(word.to_owned());
                continue;
            }
            let number = crate::vietnamese::slugify(word);
            let term = Term::from_field_text(self.fields.code, &number);
            if number.len() >= 5 && searcher.doc_freq(&term)? > 0 {
                codes.push(number);
            } else {
                words.push(word);
            }
        }
        deadline.check()?;
        let words = words.join(" ");
        let mut folded: Vec<String> = analyzer::terms(&words, Form::Folded)
            .into_iter()
            .map(|t| t.0)
            .collect();
        let exact: Vec<String> = analyzer::terms(&words, Form::Exact)
            .into_iter()
            .map(|t| t.0)
            .collect();
        let corrected = self
            .correct(&opened, &mut folded, &deadline)?
            .map(|words| with_codes(words, &codes));
        // The excerpts mark the codes' syllables too.
        let highlighted: Vec<String> = analyzer::terms(&q, Form::Folded)
            .into_iter()
            .map(|t| t.0)
            .collect();

        // Every word must match; only when no document has them all does any word do.
        let run = |all_words| {
            self.run(
                &opened, request, &folded, &exact, &codes, all_words, per_page, offset, &deadline,
            )
        };
        let (top, total, facets) = match run(true)? {
            (_, 0, _) if folded.len() + codes.len() > 1 => run(false)?,
            found => found,
        };
        let mut hits = Vec::with_capacity(top.len());
        for (i, (score, address)) in top.into_iter().enumerate() {
            if i % HITS_BETWEEN_LOOKS == 0 {
                deadline.check()?;
            }
            let stored =
                Stored::read(&opened.stores[address.segment_ord as usize], address.doc_id)?;
            hits.push(self.hit(&stored, score, &highlighted));
        }
        let suggestion = self
            .suggestion(searcher, &words, &folded)?
            .map(|words| with_codes(words, &codes));
        Ok(Results {
            suggestion,
            query: corrected.clone().unwrap_or(q),
            total,
            hits,
            facets,
            corrected,
            took_ms: started.elapsed().as_secs_f64() * 1000.0,
        })
    }

    /// Runs the ranking query with the request's filters: the page of hits, the number of
    /// matches, and the facet counts.
    #[allow(clippy::too_many_arguments)]
    fn run(
        &self,
        opened: &Opened,
        request: &SearchRequest,
        folded: &[String],
        exact: &[String],
        codes: &[String],
        all_words: bool,
        per_page: usize,
        offset: usize,
        deadline: &Deadline,
    ) -> Result<Found, SearchError> {
        deadline.check()?;
        let (searcher, sets) = (&opened.searcher, &opened.sets);
        let text = self.text_clauses(searcher, folded, exact, codes, all_words)?;
        let mut filters = Vec::new();
        for (dimension, value) in [
            ("portal", request.portal.clone()),
            ("kind", request.kind.clone()),
            ("agency", request.agency.clone()),
            ("field", request.field.clone()),
            ("level", request.level.map(|l| l.to_string())),
        ] {
            if let Some(value) = value.filter(|v| !v.is_empty()) {
                filters.push(Clause {
                    term: Term::from_facet(
                        self.fields.facets,
                        &Facet::from_path([dimension, value.as_str()]),
                    ),
                    record: IndexRecordOption::Basic,
                    scoring: Scoring::Bm25,
                });
            }
        }

        // Which documents match, segment by segment, as the boolean query would find them.
        let terms = |occur: Option<Occur>| -> Vec<&Term> {
            text.iter()
                .filter(|(o, _)| occur.is_none_or(|occur| *o == occur))
                .map(|(_, c)| &c.term)
                .collect()
        };
        let (all, any) = (terms(Some(Occur::Must)), terms(None));
        let filter_terms: Vec<&Term> = filters.iter().map(|c| &c.term).collect();
        let found = (0..searcher.segment_readers().len())
            .map(|ord| sets.matches(searcher, ord, &all, &any, &filter_terms))
            .collect::<tantivy::Result<Vec<Bits>>>()?;
        let total = found.iter().map(Bits::len).sum::<u64>() as usize;

        let top = if folded.is_empty() && codes.is_empty() || offset >= MAX_DEPTH || total == 0 {
            Vec::new()
        } else {
            let ranking = Ranking {
                text: &text,
                filters: &filters,
                kept: sets,
            };
            let mut top = ranking.top(searcher, &found, offset + per_page, deadline)?;
            top.drain(..offset.min(top.len()));
            top
        };
        Ok((top, total, facets(sets, &found)))
    }
}

/// The documents holding every one of `terms` in `field`, one set a segment; `None` when one
/// of the terms is in no document, so that no document holds them all (found by looking each
/// term up, without a pass over a segment's documents).
fn holding_all(
    opened: &Opened,
    field: tantivy::schema::Field,
    terms: &[String],
) -> tantivy::Result<Option<Vec<Bits>>> {
    let terms: Vec<Term> = terms
        .iter()
        .map(|t| Term::from_field_text(field, t))
        .collect();
    for term in &terms {
        if opened.searcher.doc_freq(term)? == 0 {
            return Ok(None);
        }
    }
    let all: Vec<&Term> = terms.iter().collect();
    (0..opened.searcher.segment_readers().len())
        .map(|ord| opened.sets.all_of(&opened.searcher, ord, &all))
        .collect::<tantivy::Result<_>>()
        .map(Some)
}

/// How many of `within` (one set a segment, as [`holding_all`] gives them) hold every one of
/// `terms` in `field`.
fn count_holding(
    opened: &Opened,
    within: Option<&[Bits]>,
    field: tantivy::schema::Field,
    terms: &[String],
) -> tantivy::Result<usize> {
    let Some(within) = within else {
        return Ok(0);
    };
    let terms: Vec<Term> = terms
        .iter()
        .map(|t| Term::from_field_text(field, t))
        .collect();
    let terms: Vec<&Term> = terms.iter().collect();
    let mut count = 0;
    for (ord, within) in within.iter().enumerate() {
        count += opened
            .sets
            .count_holding(&opened.searcher, ord, within, &terms)?;
    }
    Ok(count as usize)
}

/// The facet counts of the matches (one set a segment): for each dimension, its values that
/// some match holds, most frequent first, then by name.
fn facets(sets: &Prepared, found: &[Bits]) -> Facets {
    let mut by_dimension: [Vec<(String, u64)>; DIMENSIONS.len()] = Default::default();
    for (value, count) in sets.values.iter().zip(sets.facet_counts(found)) {
        if count > 0 {
            by_dimension[value.dimension].push((value.name.clone(), count));
        }
    }
    for values in &mut by_dimension {
        values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    }
    let [portal, kind, agency, field, level] = by_dimension;
    Facets {
        portal,
        kind,
        agency,
        field,
        level,
    }
}

impl Searcher {
    /// The text part of the ranking query: every word, then the optional bonuses, then the
    /// known codes; words and codes are required, or optional when `all_words` is false.
    fn text_clauses(
        &self,
        searcher: &tantivy::Searcher,
        folded: &[String],
        exact: &[String],
        codes: &[String],
        all_words: bool,
    ) -> tantivy::Result<Vec<(Occur, Clause)>> {
        let f = &self.fields;
        let clause = |field, text: &str, scoring| Clause {
            term: Term::from_field_text(field, text),
            record: match scoring {
                Scoring::Constant(_) => IndexRecordOption::Basic,
                _ => IndexRecordOption::WithFreqs,
            },
            scoring,
        };
        let total = searcher.num_docs().max(1) as f32;
        let idf = |t: &Term| -> tantivy::Result<f32> {
            let df = searcher.doc_freq(t)? as f32;
            Ok((1.0 + (total - df + 0.5) / (df + 0.5)).ln())
        };
        let mut clauses: Vec<(Occur, Clause)> = Vec::new();
        let word_occur = if all_words {
            Occur::Must
        } else {
            Occur::Should
        };
        for word in folded {
            clauses.push((word_occur, clause(f.text, word, Scoring::Bm25)));
            clauses.push((
                Occur::Should,
                clause(f.title, word, Scoring::Constant(TITLE_WEIGHT)),
            ));
        }
        let same_length = exact.len() == folded.len();
        for (i, word) in exact.iter().enumerate() {
            if !same_length || *word != folded[i] {
                clauses.push((Occur::Should, clause(f.text_exact, word, Scoring::Bm25)));
            }
        }
        for pair in folded.windows(2) {
            // BM25 on the title's own pairs: the shorter the title that holds the pair, the
            // more it is about it, so "Đăng ký khai sinh" outranks its longer variants.
            let pair = format!("{} {}", pair[0], pair[1]);
            clauses.push((
                Occur::Should,
                clause(f.title_pairs, &pair, Scoring::Boosted(TITLE_PAIR_WEIGHT)),
            ));
            let bonus = PAIR_WEIGHT * idf(&Term::from_field_text(f.pairs, &pair))?;
            clauses.push((
                Occur::Should,
                clause(f.pairs, &pair, Scoring::Constant(bonus)),
            ));
        }
        for (cue, kind) in KIND_CUES {
            if folded.windows(2).any(|p| p[0] == cue[0] && p[1] == cue[1]) {
                clauses.push((
                    Occur::Should,
                    clause(f.kind, kind.as_str(), Scoring::Constant(KIND_CUE_WEIGHT)),
                ));
            }
        }
        for code in codes {
            clauses.push((
                word_occur,
                clause(f.code, code, Scoring::Constant(CODE_WEIGHT)),
            ));
        }
        Ok(clauses)
    }

    /// Replaces each folded word of four letters or more that the index does not know by the
    /// known word one edit away with which the most documents hold all the query's pairs, then
    /// all its words, then that forms the most frequent pairs with its neighbours, then the most
    /// frequent one. Returns the corrected query, if anything changed.
    fn correct(
        &self,
        opened: &Opened,
        words: &mut [String],
        deadline: &Deadline,
    ) -> Result<Option<String>, SearchError> {
        let searcher = &opened.searcher;
        let f = &self.fields;
        let df = |field, text: &str| searcher.doc_freq(&Term::from_field_text(field, text));
        let mut changed = false;
        for i in 0..words.len() {
            let word = &words[i];
            if word.chars().count() < 4
                || word.chars().any(|c| c.is_ascii_digit())
                || df(f.text, word)? > 0
            {
                continue;
            }
            // The documents holding the query's other words, and its pairs without this word:
            // each candidate's counts below start from them.
            let others: Vec<String> = (0..words.len())
                .filter(|&j| j != i)
                .map(|j| words[j].clone())
                .collect();
            let other_pairs: Vec<String> = (1..words.len())
                .filter(|&j| j != i && j != i + 1)
                .map(|j| format!("{} {}", words[j - 1], words[j]))
                .collect();
            let with_others = holding_all(opened, f.text, &others)?;
            let with_other_pairs = holding_all(opened, f.pairs, &other_pairs)?;
            let mut best: Option<((usize, usize, u64, u64), String)> = None;
            for candidate in opened.spelling(f.text)?.neighbours(word) {
                deadline.check()?;
                let frequency = df(f.text, &candidate)?;
                let mut context = 0;
                if i > 0 {
                    context += df(f.pairs, &format!("{} {candidate}", words[i - 1]))?;
                }
                if i + 1 < words.len() {
                    context += df(f.pairs, &format!("{candidate} {}", words[i + 1]))?;
                }
                // Documents holding every pair, then every word, of the query with this
                // candidate: the correction that makes the whole query findable wins.
                let own_pairs: Vec<String> = [
                    (i > 0).then(|| format!("{} {candidate}", words[i - 1])),
                    (i + 1 < words.len()).then(|| format!("{candidate} {}", words[i + 1])),
                ]
                .into_iter()
                .flatten()
                .collect();
                let all_pairs = if words.len() > 1 {
                    count_holding(opened, with_other_pairs.as_deref(), f.pairs, &own_pairs)?
                } else {
                    0
                };
                let rank = (
                    all_pairs,
                    count_holding(
                        opened,
                        with_others.as_deref(),
                        f.text,
                        std::slice::from_ref(&candidate),
                    )?,
                    context,
                    frequency,
                );
                if best.as_ref().is_none_or(|b| rank > b.0) {
                    best = Some((rank, candidate));
                }
            }
            if let Some((_, candidate)) = best {
                words[i] = candidate;
                changed = true;
            }
        }
        Ok(changed.then(|| words.join(" ")))
    }

    /// The query with marks, when typed without any and every marked spelling is in the index.
    /// Each syllable takes its spelling from the pair it forms with a neighbour when the titles
    /// know that pair, else from its own most common spelling.
    fn suggestion(
        &self,
        searcher: &tantivy::Searcher,
        q: &str,
        folded: &[String],
    ) -> tantivy::Result<Option<String>> {
        if folded.is_empty() || analyzer::syllables(q).any(|(s, e)| analyzer::has_marks(&q[s..e])) {
            return Ok(None);
        }
        let pair = |i: usize, j: usize| self.spellings.get(&format!("{} {}", folded[i], folded[j]));
        let mut marked: Vec<String> = Vec::with_capacity(folded.len());
        for i in 0..folded.len() {
            let from_pair = (i > 0)
                .then(|| pair(i - 1, i).and_then(|p| p.split(' ').nth(1)))
                .flatten()
                .or_else(|| {
                    (i + 1 < folded.len())
                        .then(|| pair(i, i + 1).and_then(|p| p.split(' ').next()))
                        .flatten()
                });
            let spelling = from_pair
                .or_else(|| self.spellings.get(&folded[i]).map(String::as_str))
                .unwrap_or(&folded[i]);
            // The exact field holds marked syllables only; an unmarked one lives in `text`.
            let field = if spelling == folded[i] {
                self.fields.text
            } else {
                self.fields.text_exact
            };
            if searcher.doc_freq(&Term::from_field_text(field, spelling))? == 0 {
                return Ok(None);
            }
            marked.push(spelling.to_owned());
        }
        let suggestion = marked.join(" ");
        Ok((suggestion != folded.join(" ")).then_some(suggestion))
    }

    fn hit(&self, stored: &Stored, score: f32, words: &[String]) -> Hit {
        let f = &self.fields;
        let text = |field| stored.text(field).to_owned();
        let outline = f.outline.map_or(&[][..], |field| stored.bytes(field));
        let (fragment, highlighted) = excerpt(stored.text(f.body), outline, words);
        let code = text(f.code);
        Hit {
            title: text(f.title),
            url: text(f.url),
            portal: text(f.portal),
            portal_name: text(f.portal_name),
            kind: Kind::parse(&text(f.kind)).unwrap_or(Kind::Page),
            date: text(f.date),
            code: (!code.is_empty()).then_some(code),
            snippet: marked_html(fragment, &highlighted),
            score,
        }
    }
}

/// `words` followed by `codes`, as one query.
fn with_codes(words: String, codes: &[String]) -> String {
    std::iter::once(words)
        .chain(codes.iter().cloned())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// An excerpt as HTML: escaped text, highlighted ranges in `<mark>`.
fn marked_html(fragment: &str, highlighted: &[std::ops::Range<usize>]) -> String {
    use crate::render::escape_html_into as escape;
    let mut out = String::with_capacity(fragment.len() + 13 * highlighted.len() + 16);
    let mut at = 0;
    for range in highlighted {
        escape(&mut out, &fragment[at..range.start]);
        out.push_str("<mark>");
        escape(&mut out, &fragment[range.clone()]);
        out.push_str("</mark>");
        at = range.end;
    }
    escape(&mut out, &fragment[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_is_cut_after_its_last_allowed_word() {
        let words: Vec<String> = (0..MAX_QUERY_WORDS + 3).map(|i| format!("w{i}")).collect();
        let cut = cut_query(&words.join(", "));
        assert_eq!(cut, words[..MAX_QUERY_WORDS].join(", "));
    }

    #[test]
    fn a_request_is_heavy_with_many_words_or_a_deep_page() {
        let request = |q: &str, page| SearchRequest {
            q: q.to_owned(),
            page,
            ..SearchRequest::default()
        };
        assert!(!request("thủ tục hành chính cấp xã", 1).is_heavy());
        assert!(request("một hai ba bốn năm sáu bảy", 1).is_heavy());
        assert!(request("khai sinh", 11).is_heavy());
    }

    #[test]
    fn a_query_is_cut_to_its_most_characters_first() {
        let long = "ư".repeat(MAX_QUERY_CHARS + 10);
        assert_eq!(cut_query(&long), "ư".repeat(MAX_QUERY_CHARS));
    }

    #[test]
    fn snippets_escape_text_and_mark_matches() {
        assert_eq!(
            marked_html("a <b> thủ tục", &[6..11, 12..17]),
            "a &lt;b&gt; <mark>thủ</mark> <mark>tục</mark>"
        );
    }
}
