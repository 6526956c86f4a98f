//! What the fuzz targets (`fuzz/`, run by `fuzz/run`) found, each kept as a test of the
//! behaviour it broke, on the stable toolchain with the rest of the suite.

use std::path::Path;

use cong::content::{parse_markdown_file, parse_procedures_file, LoadOptions};
use cong::diagnostics::Location;
use cong::model::{ArticleMeta, Procedure};
use cong::render::to_html;

use crate::util::repo;

/// The fixture's procedures file, with every line ending as `ending`.
fn procedures_ending_in(ending: &str) -> String {
    let path = repo().join("tests/fixtures/ok/portals/so-tu-phap/procedures/ho-tich.yaml");
    std::fs::read_to_string(path).unwrap().replace('\n', ending)
}

/// Each record's code and the line it is located on.
fn codes(records: &[(Procedure, Location)]) -> Vec<(&str, usize)> {
    records
        .iter()
        .map(|(procedure, at)| (procedure.code.as_str(), at.line))
        .collect()
}

#[test]
fn a_procedures_file_with_old_mac_line_ends_keeps_every_procedure() {
    let path = Path::new("ho-tich.yaml");
    let written = parse_procedures_file(path, procedures_ending_in("\n").into_bytes()).unwrap();
    let old_mac = parse_procedures_file(path, procedures_ending_in("\r").into_bytes()).unwrap();
    assert!(written.len() > 1);
    assert_eq!(codes(&old_mac), codes(&written));
}

#[test]
fn an_article_with_old_mac_line_ends_is_read_with_its_links_located() {
    let text = "---\rtitle: Mùa lúa\rdate: 2024-03-15\r---\r\rXem [trang](/tinh/gioi-thieu/).\r";
    let article = parse_markdown_file::<ArticleMeta>(
        Path::new("mua-lua.md"),
        text.as_bytes().to_vec(),
        LoadOptions::default(),
    )
    .unwrap()
    .expect("not a draft");
    assert_eq!(article.meta.title, "Mùa lúa");
    assert_eq!(article.source.body_line, 5);
    let link = &article.source.links[0];
    assert_eq!((link.at.line, link.at.col), (6, 5), "{link:?}");
}

#[test]
fn a_procedure_after_a_yaml_line_break_other_than_a_line_feed_is_not_lost() {
    // YAML 1.1, which serde_yaml read, also breaks lines at NEL, LINE SEPARATOR and
    // PARAGRAPH SEPARATOR: each list item here starts `-` and one of them. Found while
    // serde_yaml read the files; YAML 1.2, which serde-saphyr reads, breaks lines at LF and CR
    // only, so these files are refused or read whole.
    for separator in ['\u{85}', '\u{2028}', '\u{2029}'] {
        let text = procedures_ending_in("\n").replace("\n- code", &format!("\n-{separator}  code"));
        // Refusing the file is fine; keeping one procedure of three without a word is not.
        if let Ok(records) = parse_procedures_file(Path::new("ho-tich.yaml"), text.into_bytes()) {
            assert_eq!(records.len(), 3, "{separator:?}: {:?}", codes(&records));
        }
    }
}

#[test]
fn a_footnote_label_does_not_repeat_a_heading_id() {
    let html = to_html("## A\n\nGhi chú[^muc-a].\n\n[^muc-a]: Theo Quyết định 15.\n");
    assert_eq!(html.matches(" id=\"muc-a\"").count(), 1, "{html}");
}
