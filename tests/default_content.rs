//! The default content of the repository builds, and shows the province's own figures.

use cong::build::{build, BuildOptions};

use crate::util::repo;

#[test]
fn the_default_content_builds() {
    let out = tempfile::tempdir().unwrap();
    let options = BuildOptions {
        content: repo().join("content"),
        themes: repo().join("themes"),
        out: out.path().join("site"),
        base_url: None,
        drafts: false,
    };
    let summary = build(&options, &|_| {}).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(summary.portals, 34);
}
