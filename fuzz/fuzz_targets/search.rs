//! The search query path: [`Searcher::search`] with an arbitrary request — the citizen's `q`,
//! filters, page and size, read from a query string as the endpoint reads it (axum's `Query`,
//! that is serde_urlencoded) — over the index of the fixture network `tests/fixtures/ok`,
//! built once a process into a temporary folder.
//!
//! For any request, besides not panicking nor failing (bad values never fail):
//! - there are never more hits than the page size (clamped to 1..=50) nor than the total, and
//!   none on a page past the last;
//! - hits come best first, with finite scores, and keep to the portal and kind filtered on;
//! - each snippet is escaped text with only `<mark>` tags;
//! - every match has one kind and one portal: the counts of each facet add up to the total;
//! - the same request answers the same twice.
#![no_main]

use std::path::Path;
use std::sync::LazyLock;

use cong::content::{self, LoadOptions};
use cong::search::{self, Results, SearchRequest, Searcher, MAX_PER_PAGE};
use libfuzzer_sys::fuzz_target;

static SEARCHER: LazyLock<Searcher> = LazyLock::new(|| {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/ok");
    let network = content::load(&fixture, LoadOptions::default()).expect("the fixture loads");
    let dir = tempfile::Builder::new()
        .prefix("cong-fuzz-index-")
        .tempdir()
        .expect("a temporary folder");
    search::write_index(&network, dir.path()).expect("the fixture indexes");
    let searcher = Searcher::open(dir.path()).expect("the index opens");
    // The searcher has every file open (mapped) now: the folder can go, as it would when a
    // build swaps a new index in, and no run leaves it behind.
    drop(dir);
    searcher
});

fuzz_target!(|query: &str| {
    // A query string the endpoint would refuse (a number that is not one) is its 400.
    let Ok(request) = serde_urlencoded::from_str::<SearchRequest>(query) else {
        return;
    };
    let searcher = &*SEARCHER;
    let results = searcher.search(&request).expect("a search never fails");
    let per_page = request.per_page.clamp(1, MAX_PER_PAGE);
    assert!(
        results.hits.len() <= per_page,
        "{} hits",
        results.hits.len()
    );
    assert!(results.total >= results.hits.len(), "{results:?}");
    let offset = request
        .page
        .max(1)
        .saturating_sub(1)
        .saturating_mul(per_page);
    if offset >= results.total {
        assert!(
            results.hits.is_empty(),
            "hits past the last page: {results:?}"
        );
    }
    for pair in results.hits.windows(2) {
        assert!(pair[0].score >= pair[1].score, "order: {results:?}");
    }
    for hit in &results.hits {
        assert!(hit.score.is_finite(), "score {}", hit.score);
        if let Some(portal) = filtered(&request.portal) {
            assert_eq!(hit.portal, portal, "portal filter");
        }
        if let Some(kind) = filtered(&request.kind) {
            assert_eq!(hit.kind.as_str(), kind, "kind filter");
        }
        let unmarked = hit.snippet.replace("<mark>", "").replace("</mark>", "");
        assert!(
            !unmarked.contains(['<', '>', '"']),
            "snippet {:?}",
            hit.snippet
        );
    }
    let sum = |counts: &[(String, u64)]| counts.iter().map(|c| c.1).sum::<u64>() as usize;
    assert_eq!(
        sum(&results.facets.kind),
        results.total,
        "kinds: {results:?}"
    );
    assert_eq!(
        sum(&results.facets.portal),
        results.total,
        "portals: {results:?}"
    );
    let again = searcher.search(&request).expect("a search never fails");
    assert_eq!(answer(&again), answer(&results), "the same request twice");
});

/// A filter's value, if it filters (an empty one does not).
fn filtered(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|v| !v.is_empty())
}

/// What a search answered, without the time it took.
fn answer(results: &Results) -> String {
    let mut results = results.clone();
    results.took_ms = 0.0;
    format!("{results:?}")
}
