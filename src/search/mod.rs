//! Full-text search over the whole network: the Vietnamese analyzer, the tantivy schema, the
//! index a build writes, and the queries the search endpoint runs.
//!
//! `search` owns everything about terms, ranking and facets; it reads the [`crate::model`] to
//! index it, and must not render pages or serve HTTP (that is `serve`).

pub mod analyzer;
mod deadline;
mod excerpt;
mod index;
mod query;
mod schema;
mod sets;
mod spelling;
mod stored;
mod top;

pub use deadline::PastDeadline;
pub use excerpt::excerpt;
pub use index::{write_index, IndexSummary, IndexUpdater};
pub use query::{
    Facets, Hit, Results, SearchError, SearchRequest, Searcher, MAX_PER_PAGE, MAX_QUERY_CHARS,
    MAX_QUERY_WORDS,
};
pub use schema::Kind;
