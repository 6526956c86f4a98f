//! Time per hit excerpt, alone: the bodies of every 25th document of an index (up to 2,000),
//! each excerpted for the folded words of every benchmark query of `queries.rs`, 20 rounds.
//!
//!     cargo bench --bench excerpts -- DIR [ROUNDS]
//!
//! DIR: an index `cong build --index DIR` wrote; ROUNDS: how many rounds instead (one, to count
//! instructions under a simulator). Each query's line ends with a checksum of the
//! excerpts (fragment offsets and highlighted ranges), so that two versions of the code can be
//! checked to pick the same ones on real text.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::time::Instant;

use cong::search::analyzer::{self, Form};
use tantivy::schema::Value;
use tantivy::{DocAddress, Index, TantivyDocument};

#[path = "common/queries.rs"]
mod common;
use common::QUERIES;

const STEP: u32 = 25;
const MAX_BODIES: usize = 2000;

/// The stored bodies of every `STEP`th document of the index in `dir`, with their outlines.
fn bodies(dir: &str) -> tantivy::Result<Vec<(String, Vec<u8>)>> {
    let index = Index::open_in_dir(dir)?;
    let body = index.schema().get_field("body")?;
    // An index written before outlines has none: its excerpts are outlined per search.
    let outline = index.schema().get_field("outline").ok();
    let searcher = index.reader()?.searcher();
    let mut bodies = Vec::new();
    for (segment, reader) in searcher.segment_readers().iter().enumerate() {
        for id in (0..reader.max_doc()).step_by(STEP as usize) {
            let document: TantivyDocument = searcher.doc(DocAddress::new(segment as u32, id))?;
            let bytes = |field| document.get_first(field).and_then(|v| v.as_bytes());
            let text = String::from_utf8_lossy(bytes(body).unwrap_or_default()).into_owned();
            let outline = outline.and_then(bytes).unwrap_or_default();
            bodies.push((text, outline.to_vec()));
        }
    }
    bodies.truncate(MAX_BODIES);
    Ok(bodies)
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let (Some(dir), Ok(rounds)) = (
        args.first(),
        args.get(1).map_or(Ok(20), |r| r.parse::<u32>()),
    ) else {
        eprintln!("usage: cargo bench --bench excerpts -- INDEX_DIR [ROUNDS]");
        std::process::exit(2);
    };
    let bodies = bodies(dir).expect("an index");
    let bytes: usize = bodies.iter().map(|(text, _)| text.len()).sum();
    println!(
        "{} bodies, {} bytes on average",
        bodies.len(),
        bytes / bodies.len().max(1)
    );
    println!("{:<26} {:>11} {:>18}", "query", "ns/excerpt", "checksum");
    let mut total = 0.0;
    for q in QUERIES {
        let words: Vec<String> = analyzer::terms(q, Form::Folded)
            .into_iter()
            .map(|t| t.0)
            .collect();
        let mut hasher = DefaultHasher::new();
        let started = Instant::now();
        for round in 0..rounds {
            for (body, outline) in &bodies {
                let (fragment, ranges) = cong::search::excerpt(body, outline, &words);
                if round == 0 {
                    let offset = || fragment.as_ptr() as usize - body.as_ptr() as usize;
                    (!fragment.is_empty()).then(offset).hash(&mut hasher);
                    (fragment.len(), ranges).hash(&mut hasher);
                }
            }
        }
        let nanos = started.elapsed().as_nanos() as f64 / f64::from(rounds) / bodies.len() as f64;
        total += nanos;
        println!("{q:<26} {nanos:>11.0} {:>18x}", hasher.finish());
    }
    println!("{:<26} {total:>11.0}", "all ten");
}
