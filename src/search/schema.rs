//! The fields of the index, by name, and how each is analysed.
//!
//! Text is indexed three ways (see [`super::analyzer`]): folded syllables (`text`), exact
//! syllables (`text_exact`) and folded pairs (`pairs`, without frequencies: a pair only earns
//! its idf). Title, summary and body go into the same fields, so each document has one length
//! and each term one idf; the title is also indexed alone (`title`, `title_pairs`) for its own
//! bonus. `body` stores the text for snippets, as UTF-8 bytes: tantivy checks a stored string
//! with the standard library's validator when it reads a hit, which is slow on Vietnamese text's
//! multi-byte letters; the searcher checks the bytes with `simdutf8` instead.
//! `outline` stores where the body's excerpt fragments run and a hash of each token (see
//! [`super::excerpt`]), so a search scans only the fragment it shows. An index written before
//! outlines has none: its excerpts are the same, outlined per search, so a new server can read
//! the index of an older build while the replicas of a deployment are upgraded one by one.

use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};

use super::analyzer::{EXACT, FOLDED, FOLDED_PAIRS};

/// What a hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A news article.
    News,
    /// A static page.
    Page,
    /// A legal or administrative document.
    Document,
    /// An administrative procedure.
    Procedure,
}

impl Kind {
    /// Every kind.
    pub const ALL: [Kind; 4] = [Kind::Procedure, Kind::News, Kind::Document, Kind::Page];

    /// Its name in URLs and the index.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::News => "news",
            Kind::Page => "page",
            Kind::Document => "document",
            Kind::Procedure => "procedure",
        }
    }

    /// Parses a name.
    pub fn parse(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// How citizens call it.
    pub fn label(self) -> &'static str {
        match self {
            Kind::News => "Tin tức",
            Kind::Page => "Giới thiệu",
            Kind::Document => "Văn bản",
            Kind::Procedure => "Thủ tục hành chính",
        }
    }
}

/// The fields, resolved once.
#[derive(Debug, Clone)]
pub(super) struct Fields {
    pub url: Field,
    pub title: Field,
    pub title_pairs: Field,
    pub text: Field,
    pub body: Field,
    /// `None` in an index written before outlines.
    pub outline: Option<Field>,
    pub text_exact: Field,
    pub pairs: Field,
    pub code: Field,
    pub kind: Field,
    pub portal: Field,
    pub portal_name: Field,
    pub date: Field,
    pub agency: Field,
    pub field: Field,
    pub level: Field,
    pub facets: Field,
}

fn text(tokenizer: &str, record: IndexRecordOption, stored: bool) -> TextOptions {
    let options = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(record),
    );
    if stored {
        options.set_stored()
    } else {
        options
    }
}

pub(super) fn schema() -> (Schema, Fields) {
    use IndexRecordOption::WithFreqs as Freqs;
    let mut b = Schema::builder();
    let fields = Fields {
        url: b.add_text_field("url", STRING | STORED),
        title: b.add_text_field("title", text(FOLDED, Freqs, true)),
        title_pairs: b.add_text_field("title_pairs", text(FOLDED_PAIRS, Freqs, false)),
        text: b.add_text_field("text", text(FOLDED, Freqs, false)),
        body: b.add_bytes_field("body", STORED),
        outline: Some(b.add_bytes_field("outline", STORED)),
        text_exact: b.add_text_field("text_exact", text(EXACT, Freqs, false)),
        pairs: b.add_text_field("pairs", text(FOLDED_PAIRS, IndexRecordOption::Basic, false)),
        code: b.add_text_field("code", STRING | STORED),
        kind: b.add_text_field("kind", STRING | STORED),
        portal: b.add_text_field("portal", STRING | STORED),
        portal_name: b.add_text_field("portal_name", STORED),
        date: b.add_text_field("date", STORED),
        agency: b.add_text_field("agency", STRING | STORED),
        field: b.add_text_field("field", STRING | STORED),
        level: b.add_u64_field("level", INDEXED | STORED | FAST),
        facets: b.add_facet_field("facets", INDEXED),
    };
    (b.build(), fields)
}

/// The schema of an index written before outlines: [`schema`] without `outline`.
#[cfg(test)]
pub(super) fn without_outline() -> (Schema, Fields) {
    let mut b = Schema::builder();
    for (_, entry) in schema().0.fields() {
        if entry.name() != "outline" {
            b.add_field(entry.clone());
        }
    }
    let schema = b.build();
    let fields = Fields::of(&schema).expect("every field but the outline");
    (schema, fields)
}

impl Fields {
    /// Resolves the fields of an opened index.
    pub fn of(schema: &Schema) -> tantivy::Result<Fields> {
        let f = |name: &str| schema.get_field(name);
        Ok(Fields {
            url: f("url")?,
            title: f("title")?,
            title_pairs: f("title_pairs")?,
            text: f("text")?,
            body: f("body")?,
            outline: f("outline").ok(),
            text_exact: f("text_exact")?,
            pairs: f("pairs")?,
            code: f("code")?,
            kind: f("kind")?,
            portal: f("portal")?,
            portal_name: f("portal_name")?,
            date: f("date")?,
            agency: f("agency")?,
            field: f("field")?,
            level: f("level")?,
            facets: f("facets")?,
        })
    }
}
