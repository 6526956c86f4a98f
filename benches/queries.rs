//! Per-query latency of `Searcher::search`, in process and on one thread: the benchmark
//! queries of `bench/search/queries.lua`, each run 50 times to warm up, then timed over 500 runs.
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
    println!("{:<26} {:>9} {:>8}", "query", "µs/query", "matches");
    for q in QUERIES.into_iter().filter(|q| only.is_none_or(|o| o == q)) {
        let request = SearchRequest {
            q: q.to_owned(),
            ..SearchRequest::default()
        };
        for _ in 0..50 {
            searcher.search(&request).expect("a search");
        }
        let started = Instant::now();
        let mut total = 0;
        for _ in 0..runs {
            total = searcher.search(&request).expect("a search").total;
        }
        let micros = started.elapsed().as_micros() / runs;
        println!("{q:<26} {micros:>9} {total:>8}");
    }
}
