//! The relevance suite: the queries of `tests/relevance/queries.yaml` over the default content,
//! each with the page that should come first. Reports success@1 and mean reciprocal rank
//! (within the first 10 hits), overall and by kind of query, and holds them to the targets.

use std::collections::BTreeMap;

use cong::search::{SearchRequest, Searcher};

use crate::util::{default_build, repo};

#[derive(serde::Deserialize)]
struct Case {
    q: String,
    expect: String,
    kind: String,
}

#[test]
fn relevance_suite_meets_its_targets() {
    let (dir, _) = default_build();
    let searcher = Searcher::open(&dir.path().join("search-index")).unwrap();
    let text = std::fs::read_to_string(repo().join("tests/relevance/queries.yaml")).unwrap();
    let cases: Vec<Case> = serde_saphyr::from_str(&text).unwrap();
    assert!(cases.len() >= 60, "the suite has {} queries", cases.len());

    let mut by_kind: BTreeMap<&str, (usize, usize, f64)> = BTreeMap::new();
    let mut misses = Vec::new();
    for case in &cases {
        let request = SearchRequest {
            q: case.q.clone(),
            ..Default::default()
        };
        let results = searcher.search(&request).unwrap();
        let rank = results
            .hits
            .iter()
            .position(|h| h.url == case.expect)
            .map(|i| i + 1);
        let entry = by_kind.entry(&case.kind).or_default();
        entry.0 += 1;
        if rank == Some(1) {
            entry.1 += 1;
        } else {
            let first = results.hits.first().map_or("nothing", |h| h.url.as_str());
            misses.push(format!(
                "  {:?} → {} at rank {rank:?}; first: {first}",
                case.q, case.expect
            ));
        }
        entry.2 += rank.map_or(0.0, |r| 1.0 / r as f64);
    }
    let n = cases.len() as f64;
    let success = by_kind.values().map(|k| k.1).sum::<usize>() as f64 / n;
    let mrr = by_kind.values().map(|k| k.2).sum::<f64>() / n;
    println!(
        "relevance: {} queries, success@1 {success:.3}, MRR {mrr:.3}",
        cases.len()
    );
    for (kind, (count, first, rr)) in &by_kind {
        println!(
            "  {kind:<14} {count:>3} queries  success@1 {:.3}  MRR {:.3}",
            *first as f64 / *count as f64,
            rr / *count as f64
        );
    }
    println!("misses:\n{}", misses.join("\n"));
    assert!(
        success >= 0.9 && mrr >= 0.93,
        "success@1 {success:.3}, MRR {mrr:.3}"
    );
}
