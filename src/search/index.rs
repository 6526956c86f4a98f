//! Writing the index of a network: one tantivy document per article, page, document and
//! procedure of every portal, plus `suggest.json`, the most common marked spelling of each
//! folded syllable of the titles (for "did you mean").

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use pulldown_cmark::{Event, Parser};
use tantivy::schema::{Facet, Schema};
use tantivy::{doc, Index, IndexWriter, TantivyDocument};

use super::analyzer::{self, Form};
use super::excerpt::outline;
use super::schema::{schema, Fields, Kind};
use crate::model::{markdown_options, Article, Network, Portal};
use crate::vietnamese::slugify;

/// Name of the spelling file beside the index.
pub(super) const SUGGEST_FILE: &str = "suggest.json";

/// What the index holds.
#[derive(Debug, Clone, Copy)]
pub struct IndexSummary {
    /// Documents indexed.
    pub documents: usize,
}

/// The words of a markdown body, without its markup.
fn plain_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, markdown_options()) {
        match event {
            Event::Text(t) | Event::Code(t) => {
                out.push_str(&t);
                out.push(' ');
            }
            Event::SoftBreak | Event::HardBreak | Event::End(_) => out.push(' '),
            _ => {}
        }
    }
    out
}

/// One document to index, before it becomes a tantivy document.
struct Entry<'a> {
    kind: Kind,
    /// Matched whole: a procedure's code, a document's number as a slug.
    code: Option<String>,
    portal: &'a Portal,
    url: &'a str,
    title: String,
    text: String,
    date: String,
    procedure: Option<ProcedureFacets<'a>>,
}

struct ProcedureFacets<'a> {
    agency: &'a str,
    field: String,
    level: u64,
}

fn article_entry<'a>(portal: &'a Portal, a: &'a Article) -> Entry<'a> {
    let summary = a.meta.summary.as_deref().unwrap_or_default();
    Entry {
        kind: Kind::News,
        code: None,
        portal,
        url: &a.url,
        title: a.meta.title.clone(),
        text: format!(
            "{}\n{summary}\n{}\n{}",
            a.meta.title,
            a.meta.tags.join(", "),
            plain_text(&a.body)
        ),
        date: a.meta.date.day().to_string(),
        procedure: None,
    }
}

fn entries(network: &Network) -> Vec<Entry<'_>> {
    let mut out = Vec::new();
    for portal in &network.portals {
        out.extend(portal.news.iter().map(|a| article_entry(portal, a)));
        for p in &portal.pages {
            out.push(Entry {
                kind: Kind::Page,
                code: None,
                portal,
                url: &p.url,
                title: format!("{} – {}", p.meta.title, portal.info.short()),
                text: format!(
                    "{}\n{}\n{}",
                    p.meta.title,
                    portal.info.name,
                    plain_text(&p.body)
                ),
                date: String::new(),
                procedure: None,
            });
        }
        for d in &portal.documents {
            let r = &d.record;
            out.push(Entry {
                kind: Kind::Document,
                code: Some(d.slug.clone()),
                portal,
                url: &d.url,
                title: format!("{} {}: {}", r.kind, r.number, r.summary),
                text: format!(
                    "{} {}\n{}\n{}\n{}",
                    r.kind, r.number, r.summary, r.issuer, r.signer
                ),
                date: r.issued.day().to_string(),
                procedure: None,
            });
        }
    }
    for p in &network.procedures {
        let r = &p.record;
        let owner = &network.portals[p.owner];
        let dossier: Vec<&str> = r
            .documents
            .iter()
            .flat_map(|g| &g.items)
            .map(|i| i.name.as_str())
            .collect();
        out.push(Entry {
            kind: Kind::Procedure,
            code: Some(r.code.to_string()),
            portal: owner,
            url: &p.url,
            title: r.name.clone(),
            text: format!(
                "{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}",
                r.name,
                r.keywords.join(", "),
                r.field,
                r.agency,
                r.result,
                r.steps.join("\n"),
                dossier.join("\n"),
                r.code
            ),
            date: String::new(),
            procedure: Some(ProcedureFacets {
                agency: &owner.slug,
                field: slugify(&r.field),
                level: u64::from(r.level.number()),
            }),
        });
    }
    out
}

fn to_document(fields: &Fields, e: &Entry) -> TantivyDocument {
    let mut document = doc!(
        fields.url => e.url,
        fields.title => e.title.as_str(),
        fields.title_pairs => e.title.as_str(),
        fields.body => e.text.as_bytes(),
        fields.text => e.text.as_str(),
        fields.text_exact => e.text.as_str(),
        fields.pairs => e.text.as_str(),
        fields.kind => e.kind.as_str(),
        fields.portal => e.portal.slug.as_str(),
        fields.portal_name => e.portal.info.short(),
        fields.date => e.date.as_str(),
        fields.facets => Facet::from_path(["portal", e.portal.slug.as_str()]),
        fields.facets => Facet::from_path(["kind", e.kind.as_str()]),
    );
    if let Some(field) = fields.outline {
        document.add_bytes(field, outline(&e.text).as_slice());
    }
    if let Some(code) = &e.code {
        document.add_text(fields.code, code);
    }
    if let Some(p) = &e.procedure {
        document.add_text(fields.agency, p.agency);
        document.add_text(fields.field, &p.field);
        document.add_u64(fields.level, p.level);
        document.add_facet(fields.facets, Facet::from_path(["agency", p.agency]));
        document.add_facet(fields.facets, Facet::from_path(["field", p.field.as_str()]));
        document.add_facet(
            fields.facets,
            Facet::from_path(["level", &p.level.to_string()]),
        );
    }
    document
}

/// For each folded syllable and each folded pair of syllables of the titles, its most common
/// marked spelling: pairs give the context that single syllables lack ("xay dung" is "xây
/// dựng", though "dung" alone is most often "dụng").
fn spellings(entries: &[Entry]) -> BTreeMap<String, String> {
    let mut counts: HashMap<String, HashMap<String, usize>> = HashMap::new();
    for e in entries {
        let exact: Vec<String> = analyzer::terms(&e.title, Form::Exact)
            .into_iter()
            .map(|t| t.0)
            .collect();
        let folded: Vec<String> = analyzer::terms(&e.title, Form::Folded)
            .into_iter()
            .map(|t| t.0)
            .collect();
        if exact.len() != folded.len() {
            continue;
        }
        for (i, (x, f)) in exact.iter().zip(&folded).enumerate() {
            if x != f {
                *counts
                    .entry(f.clone())
                    .or_default()
                    .entry(x.clone())
                    .or_default() += 1;
            }
            if i > 0 && (x != f || exact[i - 1] != folded[i - 1]) {
                let pair = (
                    format!("{} {f}", folded[i - 1]),
                    format!("{} {x}", exact[i - 1]),
                );
                *counts.entry(pair.0).or_default().entry(pair.1).or_default() += 1;
            }
        }
    }
    counts
        .into_iter()
        .filter_map(|(folded, forms)| {
            let best = forms
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))?;
            Some((folded, best.0))
        })
        .collect()
}

/// The indexing thread's heap: the 50,000-article network fits in one segment.
const INDEXING_HEAP: usize = 1_000_000_000;

/// Writes the index of `network` into the empty folder `dir`.
pub fn write_index(network: &Network, dir: &Path) -> tantivy::Result<IndexSummary> {
    write_with(network, dir, schema())
}

/// Writes the index of `network` into the empty folder `dir`, with this schema.
fn write_with(
    network: &Network,
    dir: &Path,
    (schema, fields): (Schema, Fields),
) -> tantivy::Result<IndexSummary> {
    let index = Index::create_in_dir(dir, schema)?;
    analyzer::register(index.tokenizers());
    let entries = entries(network);
    // One indexing thread, with room for the whole network: the documents keep the order of
    // `entries`, so hits of equal score (which go to the earlier document) come in the same
    // order from every build of the same content. Two threads dealt documents out as they
    // came, so two builds of the same network answered some requests differently
    // (`bench/search/compare.py`), for a small saving in build time. The build renders pages on
    // the other core meanwhile.
    let mut writer: IndexWriter = index.writer_with_num_threads(1, INDEXING_HEAP)?;
    for e in &entries {
        writer.add_document(to_document(&fields, e))?;
    }
    writer.commit()?;
    // One segment: a search pays per segment for its sets, bounds and scorers, so every search
    // is cheaper on one than on several. A network too large for the heap is written in
    // several, merged here.
    let segments = index.searchable_segment_ids()?;
    if segments.len() > 1 {
        writer.merge(&segments).wait()?;
    }
    writer.wait_merging_threads()?;
    let suggest = serde_json::to_vec(&spellings(&entries))
        .map_err(|e| tantivy::TantivyError::SystemError(e.to_string()))?;
    std::fs::write(dir.join(SUGGEST_FILE), suggest)?;
    Ok(IndexSummary {
        documents: entries.len(),
    })
}

/// A published index kept open for writing by the editor's loop, which replaces one
/// article's document at a time. Suggestions (`suggest.json`) wait for the next full build.
pub struct IndexUpdater {
    writer: IndexWriter,
    fields: Fields,
}

/// Heap of the updater's one indexing thread: the least tantivy accepts is enough for one
/// article at a time.
const UPDATER_HEAP: usize = 15_000_000;

impl IndexUpdater {
    /// Opens the index a build published in `dir`.
    pub fn open(dir: &Path) -> tantivy::Result<Self> {
        let index = Index::open_in_dir(dir)?;
        analyzer::register(index.tokenizers());
        let fields = Fields::of(&index.schema())?;
        let writer = index.writer_with_num_threads(1, UPDATER_HEAP)?;
        Ok(IndexUpdater { writer, fields })
    }

    /// Replaces the document of article `article` of portal `portal` and commits, so that a
    /// reader reloaded after it returns sees the new text.
    pub fn replace_article(
        &mut self,
        network: &Network,
        portal: usize,
        article: usize,
    ) -> tantivy::Result<()> {
        let p = &network.portals[portal];
        let a = &p.news[article];
        self.writer
            .delete_term(tantivy::Term::from_field_text(self.fields.url, &a.url));
        self.writer
            .add_document(to_document(&self.fields, &article_entry(p, a)))?;
        self.writer.commit().map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::{SearchRequest, Searcher};
    use tantivy::schema::Value;

    #[test]
    fn plain_text_drops_markup_but_keeps_words() {
        let text = plain_text("## Mục tiêu\n\n- **100%** hồ sơ [trực tuyến](/x/)\n");
        assert!(text.contains("Mục tiêu") && text.contains("100%") && text.contains("trực tuyến"));
        assert!(!text.contains("**") && !text.contains("](/"));
    }

    /// The default content, as the build reads it.
    fn default_network() -> Network {
        let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        crate::content::load(&content, Default::default()).expect("the content")
    }

    /// Hits of equal score go to the earlier document, so this makes every build of the same
    /// content order them alike (the default content has such ties: a document that two
    /// portals publish).
    #[test]
    fn documents_are_indexed_in_the_order_of_the_network() {
        let network = default_network();
        let dir = tempfile::tempdir().unwrap();
        write_index(&network, dir.path()).unwrap();
        let index = Index::open_in_dir(dir.path()).unwrap();
        let url = index.schema().get_field("url").unwrap();
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), 1);
        let indexed: Vec<String> = (0..searcher.segment_reader(0).max_doc())
            .map(|doc| {
                let document: TantivyDocument =
                    searcher.doc(tantivy::DocAddress::new(0, doc)).unwrap();
                let value = document.get_first(url).and_then(|v| v.as_str());
                value.unwrap_or_default().to_owned()
            })
            .collect();
        let expected: Vec<&str> = entries(&network).iter().map(|e| e.url).collect();
        assert_eq!(indexed, expected);
    }

    #[test]
    fn an_index_written_before_outlines_gives_the_same_hits_and_excerpts() {
        let network = default_network();
        let (with, without) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        write_index(&network, with.path()).unwrap();
        write_with(
            &network,
            without.path(),
            super::super::schema::without_outline(),
        )
        .unwrap();
        let (with, without) = (
            Searcher::open(with.path()).unwrap(),
            Searcher::open(without.path()).unwrap(),
        );
        for q in ["thu tuc hanh chinh", "chuyển đổi số", "giấy phép xây dựng"] {
            let request = SearchRequest {
                q: q.to_owned(),
                ..SearchRequest::default()
            };
            let hits = |searcher: &Searcher| {
                let results = searcher.search(&request).unwrap();
                let hits: Vec<(String, String)> = results
                    .hits
                    .into_iter()
                    .map(|h| (h.url, h.snippet))
                    .collect();
                (results.total, hits)
            };
            let (total, expected) = hits(&with);
            assert!(
                total > 0 && expected.iter().all(|(_, s)| s.contains("<mark>")),
                "{q}"
            );
            assert_eq!(hits(&without), (total, expected), "{q}");
        }
    }
}
