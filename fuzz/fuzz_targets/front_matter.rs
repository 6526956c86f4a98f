//! A whole markdown file — `---` YAML `---` front matter, then the body — through the loader's
//! own reading of a news article and of a page ([`parse_markdown_file`]): UTF-8 and NFC, the
//! fences, the typed front matter, the slug, the body's site links.
//!
//! For any bytes, besides not panicking:
//! - a problem is located in the file: a byte that is not UTF-8 at that byte, anything else
//!   on a line and a column the file has;
//! - a file that parses keeps its body as the end of the file, says on which line the body
//!   starts, has a URL slug, and locates each site link at the `[` or `!` that opens it.
#![no_main]

use std::path::Path;

use cong::content::{parse_markdown_file, LoadOptions};
use cong::diagnostics::{Diagnostic, Problem};
use cong::model::{ArticleMeta, FrontMatter, PageMeta};
use cong::vietnamese::{is_slug, nfc};
use cong_fuzz::{assert_located_in, char_at, with_line_feeds};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    check::<ArticleMeta>(bytes, "content/portals/tinh/news/bai-viet.md");
    check::<PageMeta>(bytes, "content/portals/tinh/pages/gioi-thieu.md");
});

fn check<M: FrontMatter>(bytes: &[u8], path: &str) {
    let path = Path::new(path);
    // Drafts kept: a draft is parsed in full, never skipped unseen.
    let options = LoadOptions { drafts: true };
    let markdown = match parse_markdown_file::<M>(path, bytes.to_vec(), options) {
        Ok(Some(markdown)) => markdown,
        Ok(None) => panic!("a draft was left out though drafts were asked for"),
        Err(problem) => return located(bytes, &problem),
    };
    let text = with_line_feeds(&nfc(
        String::from_utf8(bytes.to_vec()).expect("only UTF-8 parses")
    ));
    let body = with_line_feeds(&markdown.body);
    assert!(text.ends_with(&body), "the body is not the end of the file");
    if !body.is_empty() {
        let before = &text[..text.len() - body.len()];
        assert_eq!(
            markdown.source.body_line,
            before.matches('\n').count() + 1,
            "the body's first line"
        );
    }
    assert!(is_slug(&markdown.slug), "slug {:?}", markdown.slug);
    for link in &markdown.source.links {
        assert!(
            link.target.starts_with('/') || link.target.starts_with('#'),
            "{link:?} is not a site link"
        );
        let opening = char_at(&text, &link.at);
        assert!(
            matches!(opening, Some('[' | '!')),
            "{link:?} points at {opening:?}"
        );
    }
}

/// The problem is at a place the file has: a byte that is not UTF-8 exactly there.
fn located(bytes: &[u8], problem: &Diagnostic) {
    let at = &problem.location;
    match problem.problem {
        Problem::NotUtf8 => {
            // Each bad sequence becomes one U+FFFD and every valid character stays one
            // character, so lines and columns are the same in the lossy text.
            let lossy = with_line_feeds(&String::from_utf8_lossy(bytes));
            assert_eq!(char_at(&lossy, at), Some('\u{fffd}'), "{problem}");
        }
        _ => {
            let text = nfc(String::from_utf8(bytes.to_vec()).expect("only UTF-8 gets this far"));
            assert_located_in(&with_line_feeds(&text), at, problem);
        }
    }
}
