//! Finding things inside source text: the site-absolute links of a markdown body, and the line
//! of a YAML key, each as a [`Location`] in the whole file.

use std::path::Path;

use pulldown_cmark::{Event, Parser, Tag};

use crate::diagnostics::Location;
use crate::model::{markdown_options, Link};

/// Links and images in `body` whose target starts with a single `/` (pages and files of the
/// network, which must exist) or with `#` (a section of the same page). `body_line` is the
/// file line on which the body starts.
pub(super) fn site_links(body: &str, path: &Path, body_line: usize) -> Vec<Link> {
    Parser::new_ext(body, markdown_options())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. })
                if (dest_url.starts_with('/') && !dest_url.starts_with("//"))
                    || dest_url.starts_with('#') =>
            {
                let (line, col) = line_col(body, range.start);
                Some(Link {
                    target: dest_url.into_string(),
                    at: Location::new(path, body_line + line - 1, col),
                })
            }
            _ => None,
        })
        .collect()
}

/// 1-based line and column (in characters) of a byte offset.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Where `key:` is written in the record that starts on line `start` (1-based), or the
/// record's first line if the key is not found.
pub(crate) fn key_location(path: &Path, text: &str, start: usize, key: &str) -> Location {
    for (i, line) in text.lines().enumerate().skip(start - 1) {
        let trimmed = line.trim_start().trim_start_matches("- ").trim_start();
        if trimmed
            .strip_prefix(key)
            .is_some_and(|rest| rest.starts_with(':'))
        {
            let col = line.chars().count() - trimmed.chars().count() + 1;
            return Location::new(path, i + 1, col);
        }
        if i + 1 > start && (line.starts_with("- ") || line == "-") {
            break;
        }
    }
    Location::new(path, start, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_links_are_located_in_the_whole_file() {
        let body = "Intro\n\nSee [the page](/so-y-te/gioi-thieu/) and [out](https://x.vn).\n\n[Up](#muc-a)\n";
        let links = site_links(body, Path::new("a.md"), 5);
        assert_eq!(links.len(), 2);
        assert_eq!(links[0].target, "/so-y-te/gioi-thieu/");
        assert_eq!((links[0].at.line, links[0].at.col), (7, 5));
        assert_eq!((links[1].target.as_str(), links[1].at.line), ("#muc-a", 9));
    }

    #[test]
    fn key_is_found_inside_its_own_record_only() {
        let text = "- name: a\n  code: \"1\"\n- name: b\n  code: \"2\"\n";
        let at = key_location(Path::new("p.yaml"), text, 3, "code");
        assert_eq!((at.line, at.col), (4, 3));
        let first = key_location(Path::new("p.yaml"), "- code: \"1\"\n", 1, "code");
        assert_eq!((first.line, first.col), (1, 3));
    }
}
