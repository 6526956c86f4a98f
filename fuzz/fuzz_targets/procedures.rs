//! A procedures file — one record, or a top-level list of them — through the loader's own
//! typed parse ([`parse_procedures_file`]), which also locates each record at its `code:`.
//!
//! For any bytes, besides not panicking:
//! - a problem is located on a line and a column the file has;
//! - every record is kept: as many procedures as the YAML holds items (counted by an untyped
//!   parse with the same parser, serde-saphyr, that `src/yaml.rs` uses; when that file moves to
//!   another parser, this count moves with it);
//! - each record is located in the file, the records of a list each on a line of its own, in
//!   order, and at its `code:` key when that key is written on the line.
#![no_main]

use std::path::Path;

use cong::content::parse_procedures_file;
use cong::vietnamese::nfc;
use cong_fuzz::{assert_located_in, line, with_line_feeds};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let path = Path::new("content/portals/so-tu-phap/procedures/ho-tich.yaml");
    let result = parse_procedures_file(path, bytes.to_vec());
    let Ok(text) = std::str::from_utf8(bytes) else {
        assert!(result.is_err(), "bytes that are not UTF-8 parsed");
        return;
    };
    let text = with_line_feeds(&nfc(text.to_owned()));
    let records = match result {
        Ok(records) => records,
        Err(problem) => return assert_located_in(&text, &problem.location, &problem),
    };
    // A top-level list counts its items; anything else the loader read is one record.
    let items = serde_saphyr::from_str::<Vec<serde::de::IgnoredAny>>(&text).map_or(1, |v| v.len());
    assert_eq!(records.len(), items, "procedures lost or invented");
    for (procedure, at) in &records {
        assert_located_in(&text, at, &format!("procedure {}", procedure.code.as_str()));
        let written = line(&text, at.line).unwrap_or_default();
        if written
            .trim_start()
            .trim_start_matches("- ")
            .trim_start()
            .starts_with("code:")
        {
            let key = written.chars().skip(at.col - 1).collect::<String>();
            assert!(
                key.starts_with("code:"),
                "{at} is not at `code:` in {written:?}"
            );
        }
    }
    for pair in records.windows(2) {
        assert!(
            pair[0].1.line < pair[1].1.line,
            "records located at {} then {}",
            pair[0].1,
            pair[1].1
        );
    }
});
