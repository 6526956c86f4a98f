//! Markdown to HTML, safe to publish.
//!
//! pulldown-cmark escapes text and builds every tag itself, so its output is safe *unless* the
//! source holds raw HTML or a link whose scheme could run code. Only such documents go through
//! ammonia (an html5ever-based sanitizer); the others skip its cost. Both paths are tested below.
//!
//! Every heading gets an `id` (see [`heading_ids`]), so that links can point at a section:
//! `/so-y-te/gioi-thieu/#muc-chuc-nang-nhiem-vu`. `cong check` reads the same function to find
//! links to anchors that do not exist.
//!
//! The sanitizer keeps the page the theme's: raw HTML cannot style it (`style` is dropped, but
//! for the `text-align` that markdown's table alignment writes on cells) nor take its ids. The
//! ids of a body are its headings', each once, as [`heading_ids`] gives them: an `id` or `name`
//! written in raw HTML is dropped, so `<p id="noi-dung">` cannot be a second `#noi-dung` on the
//! page, and a link to `#muc-…` resolves exactly when `cong check` says it does. The only other
//! ids are footnotes', `chu-thich-` and the editor's label, which no heading or theme id starts
//! with.

use std::sync::Mutex;

use pulldown_cmark::{html, CowStr, Event, HeadingLevel, Parser, Tag, TagEnd};

use crate::model::markdown_options;
use crate::vietnamese::slugify;

/// What every heading id starts with (*mục*, section): themes give ids of their own to parts
/// of a page (`noi-dung`, `tin-khac`, …), and a heading "Nội dung" must not take one of them.
pub const HEADING_ID_PREFIX: &str = "muc-";

/// The ids of a markdown body's headings, in order: `muc-` and the slug of the heading's text
/// ("Chức năng, nhiệm vụ" → `muc-chuc-nang-nhiem-vu`); a repeated one gets `-2`, `-3`, ….
pub fn heading_ids(markdown: &str) -> Vec<String> {
    let events: Vec<Event> = Parser::new_ext(markdown, markdown_options()).collect();
    ids_of_headings(&events)
}

fn ids_of_headings(events: &[Event]) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    let mut text: Option<String> = None;
    for event in events {
        match event {
            Event::Start(Tag::Heading { .. }) => text = Some(String::new()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(text) = text.as_mut() {
                    text.push_str(t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                let slug = slugify(&text.take().unwrap_or_default());
                let base = if slug.is_empty() {
                    format!("{HEADING_ID_PREFIX}{}", ids.len() + 1)
                } else {
                    format!("{HEADING_ID_PREFIX}{slug}")
                };
                let mut id = base.clone();
                let mut n = 1;
                while ids.contains(&id) {
                    n += 1;
                    id = format!("{base}-{n}");
                }
                ids.push(id);
            }
            _ => {}
        }
    }
    ids
}

/// The URL schemes a link may have.
const SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

/// The sanitizer for a body whose headings have `heading_ids`. A `style` is kept only as the
/// alignment pulldown-cmark writes on table cells; an `id` only on a heading element and only
/// as one of those ids not yet given, so that each is on the page once.
fn sanitizer(heading_ids: Vec<String>) -> ammonia::Builder<'static> {
    let unclaimed = Mutex::new(heading_ids);
    let mut b = ammonia::Builder::default();
    b.add_generic_attributes(["id", "class"])
        .add_tag_attributes("td", ["style"])
        .add_tag_attributes("th", ["style"])
        .link_rel(None)
        .url_schemes(SCHEMES.into())
        .attribute_filter(move |element, attribute, value| match attribute {
            "style" => matches!(
                value,
                "text-align: left" | "text-align: center" | "text-align: right"
            )
            .then(|| value.into()),
            "id" if matches!(element, "h2" | "h3" | "h4" | "h5" | "h6") => {
                let mut unclaimed = unclaimed.lock().unwrap_or_else(|e| e.into_inner());
                let at = unclaimed.iter().position(|id| id == value)?;
                unclaimed.swap_remove(at);
                Some(value.into())
            }
            "id" if element == "div" && value.starts_with(FOOTNOTE_PREFIX) => Some(value.into()),
            "id" => None,
            _ => Some(value.into()),
        });
    b
}

/// Whether a link target is harmless as pulldown-cmark writes it: relative, a fragment, or one
/// of the schemes we allow.
fn is_plain_url(url: &str) -> bool {
    match url.find(':') {
        None => true,
        Some(colon) => {
            let scheme = &url[..colon];
            // A colon after a `/`, `?` or `#` is not a scheme.
            scheme.contains(['/', '?', '#'])
                || SCHEMES.iter().any(|s| scheme.eq_ignore_ascii_case(s))
        }
    }
}

/// Renders a markdown body to sanitized HTML. Headings are moved so that the body's highest
/// one becomes `h2`, keeping their nesting: the page title is the page's only `h1`, and no level
/// is skipped whether an editor starts at `#` or at `##`.
pub fn to_html(markdown: &str) -> String {
    let mut needs_sanitizing = false;
    let mut top = HeadingLevel::H6;
    let events: Vec<Event> = Parser::new_ext(markdown, markdown_options())
        .inspect(|event| match event {
            Event::Html(_) | Event::InlineHtml(_) => needs_sanitizing = true,
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                needs_sanitizing |= !is_plain_url(dest_url);
            }
            Event::Start(Tag::Heading { level, .. }) => top = top.min(*level),
            _ => {}
        })
        .collect();
    let heading_ids = ids_of_headings(&events);
    let mut ids = heading_ids.iter().cloned();
    let shift = |level: HeadingLevel| {
        let moved = level as usize - top as usize + HeadingLevel::H2 as usize;
        HeadingLevel::try_from(moved.min(6)).unwrap_or(HeadingLevel::H6)
    };
    let events = events.into_iter().map(|event| match event {
        Event::Start(Tag::Heading {
            level,
            classes,
            attrs,
            ..
        }) => Event::Start(Tag::Heading {
            level: shift(level),
            id: ids.next().map(CowStr::from),
            classes,
            attrs,
        }),
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(shift(level))),
        Event::FootnoteReference(label) => Event::FootnoteReference(footnote_id(&label)),
        Event::Start(Tag::FootnoteDefinition(label)) => {
            Event::Start(Tag::FootnoteDefinition(footnote_id(&label)))
        }
        other => other,
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    if needs_sanitizing {
        sanitizer(heading_ids).clean(&out).to_string()
    } else {
        out
    }
}

/// The prefix of a footnote's id: an editor's label (`[^noi-dung]`) becomes
/// `chu-thich-noi-dung`, so that it can take neither a heading's id nor the theme's.
const FOOTNOTE_PREFIX: &str = "chu-thich-";

fn footnote_id(label: &str) -> CowStr<'static> {
    CowStr::from(format!("{FOOTNOTE_PREFIX}{label}"))
}

/// Plain text of a markdown body's first paragraph, for descriptions when no summary is given.
pub fn first_paragraph_text(markdown: &str, max_chars: usize) -> String {
    let mut text = String::new();
    let mut in_paragraph = false;
    for event in Parser::new_ext(markdown, markdown_options()) {
        match event {
            Event::Start(Tag::Paragraph) => in_paragraph = true,
            Event::End(pulldown_cmark::TagEnd::Paragraph) if !text.is_empty() => break,
            Event::Text(t) | Event::Code(t) if in_paragraph => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak if in_paragraph => text.push(' '),
            _ => {}
        }
    }
    truncate_words(&text, max_chars)
}

fn truncate_words(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max_chars).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_markdown_keeps_tables_footnotes_and_strikethrough() {
        let html = to_html("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~cũ~~ mới[^1]\n\n[^1]: Ghi chú\n");
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("<del>cũ</del>"), "{html}");
        assert!(html.contains("footnote-definition"), "{html}");
    }

    #[test]
    fn the_highest_heading_becomes_level_two_keeping_the_nesting() {
        assert_eq!(
            to_html("# A\n\n## B\n"),
            "<h2 id=\"muc-a\">A</h2>\n<h3 id=\"muc-b\">B</h3>\n"
        );
        assert_eq!(
            to_html("## A\n\n### B\n"),
            "<h2 id=\"muc-a\">A</h2>\n<h3 id=\"muc-b\">B</h3>\n"
        );
    }

    #[test]
    fn heading_ids_are_prefixed_slugs_and_repeats_are_numbered() {
        let ids =
            heading_ids("## Chức năng, nhiệm vụ\n\n## Phối hợp\n\n### Phối hợp\n\n## `Mã` số\n");
        assert_eq!(
            ids,
            [
                "muc-chuc-nang-nhiem-vu",
                "muc-phoi-hop",
                "muc-phoi-hop-2",
                "muc-ma-so"
            ]
        );
    }

    #[test]
    fn headings_carry_their_ids_in_the_html() {
        let html = to_html("## Đơn vị\n\nVăn bản.\n");
        assert!(html.contains("<h2 id=\"muc-don-vi\">Đơn vị</h2>"), "{html}");
    }

    #[test]
    fn script_tags_are_removed() {
        let html = to_html("Xin chào <script>alert(1)</script>\n\n<script>\nalert(2)\n</script>\n");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("alert"), "{html}");
    }

    #[test]
    fn event_handlers_are_removed() {
        let html = to_html("<img src=\"/a.png\" alt=\"a\" onerror=\"alert(1)\">\n");
        assert!(html.contains("<img"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
    }

    #[test]
    fn javascript_urls_are_removed_from_markdown_links() {
        let html = to_html("[bấm](javascript:alert(1)) và [đây](JaVaScRiPt:alert(2))\n");
        assert!(!html.to_lowercase().contains("javascript"), "{html}");
        assert!(html.contains("bấm"), "{html}");
    }

    #[test]
    fn forms_and_iframes_are_removed() {
        let html = to_html("<form action=\"/x\"><input name=\"a\"></form>\n\n<iframe src=\"https://x.vn\"></iframe>\n");
        for tag in ["<form", "<input", "<iframe"] {
            assert!(!html.contains(tag), "{tag} kept in {html}");
        }
    }

    #[test]
    fn raw_html_keeps_only_the_table_alignment_markdown_writes() {
        let html = to_html(
            "<table><tr><td style=\"text-align: right; position: fixed\">a</td></tr></table>\n\n| a |\n|:-:|\n| b |\n",
        );
        assert!(!html.contains("position"), "{html}");
        assert!(
            html.contains("<td style=\"text-align: center\">b</td>"),
            "{html}"
        );
    }

    #[test]
    fn a_footnote_keeps_its_prefixed_id_and_link_through_the_sanitizer() {
        let html = to_html("Ghi chú[^noi-dung] <b>x</b>.\n\n[^noi-dung]: Theo Quyết định 15.\n");
        assert!(html.contains("id=\"chu-thich-noi-dung\""), "{html}");
        assert!(html.contains("href=\"#chu-thich-noi-dung\""), "{html}");
        assert!(!html.contains("id=\"noi-dung\""), "{html}");
    }

    #[test]
    fn the_ids_of_a_sanitized_body_are_its_headings_each_once() {
        let html = to_html(
            "## A\n\n<h2 id=\"muc-a\">B</h2>\n\n<p id=\"noi-dung\"><a name=\"x\">c</a></p>\n",
        );
        assert_eq!(html.matches(" id=").count(), 1, "{html}");
        assert!(html.contains("id=\"muc-a\""), "{html}");
        assert!(!html.contains("name="), "{html}");
    }

    #[test]
    fn safe_links_are_kept_as_written() {
        let html = to_html(
            "[a](/so-y-te/) [b](https://tiengiang.gov.vn) [c](mailto:a@b.vn) [d](#muc-1)\n",
        );
        for href in [
            "/so-y-te/",
            "https://tiengiang.gov.vn",
            "mailto:a@b.vn",
            "#muc-1",
        ] {
            assert!(
                html.contains(&format!("href=\"{href}\"")),
                "{href} lost in {html}"
            );
        }
    }

    #[test]
    fn first_paragraph_is_cut_at_a_word() {
        let text = first_paragraph_text("## Đầu\n\nMột hai ba bốn năm sáu.\n\nKhác.\n", 12);
        assert_eq!(text, "Một hai ba…");
    }
}
