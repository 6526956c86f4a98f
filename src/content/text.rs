//! Finding things inside source text: the site-absolute links of a markdown body, the line of
//! a YAML key, and characters that cannot be published, each as a [`Location`] in the whole
//! file.
//!
//! Every page and feed is built from content text, and XML 1.0 allows only some characters
//! (its `Char` production: tab, line feed, carriage return, U+0020–U+D7FF, U+E000–U+FFFD,
//! U+10000 and above): one control character in a title makes an Atom feed unreadable. So a
//! character outside it is refused where it is written, whether the file holds it as it is, a
//! YAML double-quoted escape makes it (`"\x01"`, `"\e"`), or a numeric character reference in
//! markdown or its raw HTML does (`&#1;`, `&#x1b;`).

use std::path::Path;

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag};

use crate::diagnostics::{Diagnostic, Location};
use crate::model::{markdown_options, Link};
use crate::yaml;

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

/// Whether XML 1.0 allows `c` in a document.
pub(crate) fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// `U+0001 (a control character)`.
fn describe(c: char) -> String {
    let kind = if c.is_control() {
        "a control character"
    } else {
        "a noncharacter"
    };
    format!("U+{:04X} ({kind})", u32::from(c))
}

/// The first character of a file that XML 1.0 refuses, as it is written.
pub(super) fn unpublishable_char(path: &Path, text: &str) -> Result<(), Diagnostic> {
    match text.char_indices().find(|&(_, c)| !is_xml_char(c)) {
        None => Ok(()),
        Some((at, c)) => {
            let (line, col) = line_col(text, at);
            Err(Diagnostic::invalid(
                Location::new(path, line, col),
                format!(
                    "{} cannot be published: XML 1.0 forbids it in pages and feeds; delete it (most editors do not show it)",
                    describe(c)
                ),
            ))
        }
    }
}

/// The first double-quoted value of YAML `text` whose escapes make a character XML 1.0 refuses;
/// `text` starts `line_offset` lines into the file.
pub(super) fn unpublishable_escape(
    path: &Path,
    text: &str,
    line_offset: usize,
) -> Result<(), Diagnostic> {
    match yaml::quoted_char(text, |c| !is_xml_char(c)) {
        None => Ok(()),
        Some((c, line, col)) => Err(Diagnostic::invalid(
            Location::new(path, line + line_offset, col),
            format!(
                "an escape in this double-quoted value makes {}, which XML 1.0 forbids in pages and feeds; remove the escape",
                describe(c)
            ),
        )),
    }
}

/// The first numeric character reference of a markdown `body` that makes a character XML 1.0
/// refuses: in text, a link or a code block's info string, where markdown reads it, and in raw
/// HTML, where the browser does. `body_line` is the file line on which the body starts.
pub(super) fn unpublishable_reference(
    body: &str,
    path: &Path,
    body_line: usize,
) -> Result<(), Diagnostic> {
    if !body.contains("&#") {
        return Ok(());
    }
    let refused = |text: &str| text.chars().any(|c| !is_xml_char(c));
    for (event, range) in Parser::new_ext(body, markdown_options()).into_offset_iter() {
        let makes_one = match &event {
            Event::Html(_) | Event::InlineHtml(_) => true,
            Event::Text(text) => refused(text),
            Event::Start(
                Tag::Link {
                    dest_url, title, ..
                }
                | Tag::Image {
                    dest_url, title, ..
                },
            ) => refused(dest_url) || refused(title),
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => refused(info),
            _ => false,
        };
        if !makes_one {
            continue;
        }
        let source = &body[range.clone()];
        if let Some((at, written, c)) =
            numeric_references(source).find(|&(_, _, c)| !is_xml_char(c))
        {
            let (line, col) = line_col(body, range.start + at);
            return Err(Diagnostic::invalid(
                Location::new(path, body_line + line - 1, col),
                format!(
                    "`{written}` makes {}, which XML 1.0 forbids in pages and feeds; remove it",
                    describe(c)
                ),
            ));
        }
    }
    Ok(())
}

/// The numeric character references of `text` (`&#1;`, `&#x1B;`): byte offset, the reference
/// as written, and the character an HTML reader makes of it. HTML's rules, which also cover
/// markdown's: the `;` may be missing, and 0, surrogates and numbers past U+10FFFF make U+FFFD.
fn numeric_references(text: &str) -> impl Iterator<Item = (usize, &str, char)> + '_ {
    text.match_indices("&#").filter_map(move |(at, _)| {
        let after = &text[at + 2..];
        let (digits, radix, skip) = match after.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16, 3),
            None => (after, 10, 2),
        };
        let len = digits
            .find(|c: char| !c.is_digit(radix))
            .unwrap_or(digits.len());
        if len == 0 {
            return None;
        }
        let c = u32::from_str_radix(&digits[..len], radix)
            .ok()
            .filter(|&n| n != 0)
            .and_then(char::from_u32)
            .unwrap_or('\u{FFFD}');
        let end = at + skip + len + usize::from(digits[len..].starts_with(';'));
        Some((at, &text[at..end], c))
    })
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

    #[test]
    fn xml_allows_tabs_line_breaks_and_text_but_not_other_controls() {
        for c in [
            '\t', '\n', '\r', ' ', 'ệ', '\u{85}', '\u{FEFF}', '\u{FFFD}', '😀',
        ] {
            assert!(is_xml_char(c), "{c:?}");
        }
        for c in [
            '\0', '\u{1}', '\u{b}', '\u{c}', '\u{1b}', '\u{1f}', '\u{FFFE}', '\u{FFFF}',
        ] {
            assert!(!is_xml_char(c), "{c:?}");
        }
    }

    #[test]
    fn numeric_references_are_read_as_a_browser_reads_them() {
        let found: Vec<(usize, &str, char)> =
            numeric_references("&#1; &#x1B;x &#X1b &#0; &#99999999999; &#; &#xD800;").collect();
        assert_eq!(
            found,
            [
                (0, "&#1;", '\u{1}'),
                (5, "&#x1B;", '\u{1b}'),
                (13, "&#X1b", '\u{1b}'),
                (19, "&#0;", '\u{FFFD}'),
                (24, "&#99999999999;", '\u{FFFD}'),
                (43, "&#xD800;", '\u{FFFD}'),
            ]
        );
    }

    #[test]
    fn a_reference_in_code_stays_text_and_is_not_refused() {
        let body = "Viết `&#1;` như vậy.\n\n```\n&#x1b;\n```\n\nVà &#1 không có dấu chấm phẩy.\n";
        assert!(unpublishable_reference(body, Path::new("a.md"), 1).is_ok());
    }

    #[test]
    fn a_reference_that_makes_a_control_character_is_located() {
        let path = Path::new("a.md");
        for (body, at) in [
            ("Một\n\nHai &#1; ba\n", (6, 5)),
            ("[x](/a/ \"&#x1b;\")\n", (4, 10)),
            ("<p title=\"&#x1b\">x</p>\n", (4, 11)),
            ("Chữ <b>&#11;</b>\n", (4, 8)),
        ] {
            let err = unpublishable_reference(body, path, 4).unwrap_err();
            assert_eq!((err.location.line, err.location.col), at, "{body}");
        }
    }
}
