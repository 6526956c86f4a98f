//! Per-query latency of `Searcher::search`, in process and on one thread: the benchmark
//! queries of `bench/search/queries.lua`, each run 50 times to warm up, then timed over 500 runs.
//! Then, when no QUERY is named, the ten in turn (500 rounds), as the server meets them under the
//! load generator: each query then finds less of its data in the processor's caches than when
//! it repeats.
//!
//!     cargo bench --bench queries -- DIR [QUERY]
//!
//! DIR: an index `cong build --index DIR` wrote; QUERY: only that query, as printed (to profile
//! it).

use std::time::Instant;

use cong::search::{SearchRequest, Searcher};

#[path = "common/queries.rs"]
mod common;
use common::QUERIES;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let Some(dir) = args.first() else {
        eprintln!("usage: cargo bench --bench queries -- INDEX_DIR [QUERY]");
        std::process::exit(2);
    };
    let only = args.get(1);
    let searcher = Searcher::open(std::path::Path::new(&dir)).expect("an index");
    let runs = 500;
    let requests: Vec<(&str, SearchRequest)> = QUERIES
        .into_iter()
        .filter(|q| only.is_none_or(|o| o == q))
        .map(|q| {
            let request = SearchRequest {
                q: q.to_owned(),
                ..SearchRequest::default()
            };
            (q, request)
        })
        .collect();
    println!("{:<26} {:>9} {:>8}", "query", "µs/query", "matches");
    for (q, request) in &requests {
        for _ in 0..50 {
            searcher.search(request).expect("a search");
        }
        let started = Instant::now();
        let mut total = 0;
        for _ in 0..runs {
            total = searcher.search(request).expect("a search").total;
        }
        let micros = started.elapsed().as_micros() / runs;
        println!("{q:<26} {micros:>9} {total:>8}");
    }
    if only.is_none() {
        let started = Instant::now();
        for _ in 0..runs {
            for (_, request) in &requests {
                searcher.search(request).expect("a search");
            }
        }
        let micros = started.elapsed().as_micros() / runs;
        println!("the ten in turn, a round: {micros} µs");
    }
}
