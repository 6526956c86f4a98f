//! Active content: whatever in a template, a portal's theme override or an asset could read the
//! build machine or run in a citizen's browser on the network's one origin. The rules, and why,
//! are in docs/security.md; in short:
//!
//! - no template, the network's theme included, may call `get_env` (Tera's one function that
//!   reads the machine; `render` also replaces it by one that fails, so a call that slipped past
//!   this check still reads nothing);
//! - a portal may override only the templates of its own pages ([`OVERRIDABLE`], its search
//!   results page among them), never the frame every page shares (`base.html`), the feeds or
//!   the network-wide pages;
//! - an override holds no inline `<script>`, no `on…=` event attribute, no `javascript:` URL, and
//!   lets no string through unescaped (`| safe`) but what cong made safe itself ([`SANITIZED`]);
//! - an asset or an override's static file is never a page or a script (`.html`, `.js`, …), and
//!   an SVG holds no script.
//!
//! This module finds the offences as byte offsets in the text with a message each; it does not
//! read files (`themes` and the loader do) nor decide locations.

/// The templates a portal's `theme/templates/` may replace: those that draw its own pages.
pub const OVERRIDABLE: [&str; 11] = [
    "home.html",
    "news_list.html",
    "article.html",
    "page.html",
    "documents.html",
    "document.html",
    "procedures.html",
    "procedure.html",
    "site_map.html",
    "search.html",
    "macros.html",
];

/// What a portal's override may print unescaped: HTML that cong itself sanitized or escaped (a
/// page's markdown body, a search hit's snippet with its marks).
pub const SANITIZED: [&str; 2] = ["content", "h.snippet"];

/// File types a browser would run or render as a page of the network's origin.
const ACTIVE_EXTENSIONS: [&str; 7] = ["html", "htm", "xhtml", "xht", "js", "mjs", "wasm"];

/// One offence: where in the text (a byte offset) and what is wrong.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Offence {
    pub offset: usize,
    pub message: String,
}

/// Calls of functions that read the machine, in any template.
pub(crate) fn machine_access(template: &str) -> Vec<Offence> {
    words(template, "get_env")
        .filter(|&i| template[i + "get_env".len()..].trim_start().starts_with('('))
        .map(|offset| Offence {
            offset,
            message: "`get_env` is not available to templates: no template may read the environment of the machine that builds or serves the network".to_owned(),
        })
        .collect()
}

/// Scripts in markup a department wrote: inline `<script>`, `on…=` attributes, `javascript:`
/// URLs. For portal overrides and SVG files.
pub(crate) fn scripts(markup: &str) -> Vec<Offence> {
    let lower = markup.to_ascii_lowercase();
    let mut found: Vec<Offence> = Vec::new();
    for (needle, what) in [
        ("<script", "an inline `<script>`"),
        ("javascript:", "a `javascript:` URL"),
    ] {
        found.extend(lower.match_indices(needle).map(|(offset, _)| Offence {
            offset,
            message: format!("{what} is not allowed in a department's files: scripts on the network's origin are reviewed in the main theme only"),
        }));
    }
    found.extend(event_attributes(&lower).map(|offset| Offence {
        offset,
        message: format!(
            "the event attribute `{}` is not allowed in a department's files: scripts on the network's origin are reviewed in the main theme only",
            attribute_name(&lower[offset..])
        ),
    }));
    found.sort_by_key(|o| o.offset);
    found
}

/// `| safe` (or `{% filter safe %}`) on anything but [`SANITIZED`] HTML, in a portal override: it
/// would print a department's string as raw HTML.
pub(crate) fn unescaped_output(template: &str) -> Vec<Offence> {
    words(template, "safe")
        .filter(|&i| {
            let before = template[..i].trim_end();
            before.ends_with('|') || before.ends_with("filter")
        })
        .filter(|&i| !is_sanitized_content(template, i))
        .map(|offset| Offence {
            offset,
            message: format!("the `safe` filter prints a string without escaping it: in a portal's override only HTML that cong sanitized may use it ({})", SANITIZED.map(|v| format!("`{{{{ {v} | safe }}}}`")).join(", ")),
        })
        .collect()
}

/// Why a file under a portal's `assets/` or `theme/static/` cannot be published, if it cannot:
/// a page or a script by its extension, or an SVG with a script inside.
pub(crate) fn asset_problem(name: &str, bytes: &[u8]) -> Option<Offence> {
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    if ACTIVE_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()) {
        return Some(Offence {
            offset: 0,
            message: format!("`.{ext}` files would run as pages or scripts of the network's origin: a department publishes pages as markdown, and no scripts"),
        });
    }
    if ext.eq_ignore_ascii_case("svg") {
        return scripts(&String::from_utf8_lossy(bytes)).into_iter().next();
    }
    None
}

/// Offsets of `word` standing alone (not part of a longer identifier).
fn words<'a>(text: &'a str, word: &'a str) -> impl Iterator<Item = usize> + 'a {
    let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    text.match_indices(word).map(|(i, _)| i).filter(move |&i| {
        let before = i.checked_sub(1).map(|j| text.as_bytes()[j]);
        let after = text.as_bytes().get(i + word.len()).copied();
        !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
    })
}

/// Offsets of `on<letters>=` preceded by a space, a quote or `/`: an event attribute in a tag.
fn event_attributes(lower: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = lower.as_bytes();
    lower.match_indices("on").map(|(i, _)| i).filter(move |&i| {
        let preceded = i
            .checked_sub(1)
            .is_some_and(|j| bytes[j].is_ascii_whitespace() || b"\"'/".contains(&bytes[j]));
        let name_end = i + 2 + attribute_name(&lower[i + 2..]).len();
        let named = name_end > i + 2;
        preceded && named && lower[name_end..].trim_start().starts_with('=')
    })
}

/// The run of ASCII letters that starts `text`.
fn attribute_name(text: &str) -> &str {
    let end = text
        .bytes()
        .position(|b| !b.is_ascii_alphabetic())
        .unwrap_or(text.len());
    &text[..end]
}

/// Whether the `safe` at `at` is the one of `{{ v | safe }}` with `v` [`SANITIZED`].
fn is_sanitized_content(template: &str, at: usize) -> bool {
    let (Some(open), Some(close)) = (
        template[..at].rfind("{{"),
        template[at..].find("}}").map(|i| at + i),
    ) else {
        return false;
    };
    let inside: String = template[open + 2..close]
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    SANITIZED.iter().any(|v| inside == format!("{v}|safe"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offsets(found: &[Offence]) -> Vec<usize> {
        found.iter().map(|o| o.offset).collect()
    }

    #[test]
    fn get_env_is_found_wherever_it_is_called() {
        let t = "{{ get_env(name=\"CI_SECRET_TOKEN\") }}{% set x = get_env (name='HOME') %}";
        assert_eq!(offsets(&machine_access(t)), [3, 48]);
        assert!(machine_access("{{ my_get_env }} get_environment get_env").is_empty());
    }

    #[test]
    fn inline_scripts_event_attributes_and_javascript_urls_are_found() {
        let t = "<SCRIPT>x</script><a href=\"JavaScript:x\"><img src=a ONERROR = \"x\"><p class=\"x\" data-on=\"y\">on=1</p>";
        let found = scripts(t);
        assert_eq!(offsets(&found), [0, 27, 52]);
        assert!(
            found[2].message.contains("`onerror`"),
            "{}",
            found[2].message
        );
    }

    #[test]
    fn only_the_sanitized_content_may_be_printed_unescaped() {
        assert!(
            unescaped_output("{{ content | safe }}{{content|safe}}{{ h.snippet | safe }}")
                .is_empty()
        );
        let t = "{{ page.title | safe }}{% filter safe %}x{% endfilter %}{{ safety }}";
        assert_eq!(offsets(&unescaped_output(t)), [16, 33]);
    }

    #[test]
    fn pages_and_scripts_are_not_assets_and_svgs_hold_no_script() {
        assert!(asset_problem("tai-lieu.pdf", b"%PDF").is_none());
        assert!(asset_problem("logo.svg", b"<svg><circle r=\"1\"/></svg>").is_none());
        assert!(asset_problem("trang.HTML", b"<p>").is_some());
        assert!(asset_problem("app.js", b"").is_some());
        assert!(asset_problem("logo.svg", b"<svg onload=\"alert(1)\"/>").is_some());
    }
}
