//! Lints over the loaded [`Network`]: anchors, alt text of images, headline length, dates in
//! the future, blank procedure fields and misspelt agencies. Each lint is a small pure function
//! over one value, tested below; [`lint`] walks the network and locates what they find.

use std::collections::HashMap;

use chrono::NaiveDate;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::{Finding, Severity};
use crate::content::{key_location, line_col};
use crate::diagnostics::{closest, Location};
use crate::model::{markdown_options, Date, Network, Procedure, Source};
use crate::render::{heading_ids, HEADING_ID_PREFIX};

/// Longest headline, in characters, that a feed shows whole. Google's article guidelines cap
/// `headline` at 110 characters, and news apps and social previews cut sooner.
pub const MAX_TITLE_CHARS: usize = 110;

/// Runs every network lint.
pub(super) fn lint(network: &Network, today: NaiveDate) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut bodies: HashMap<&str, (&str, Vec<String>)> = HashMap::new();
    for portal in &network.portals {
        for a in &portal.news {
            bodies.insert(&a.url, (&a.body, Vec::new()));
        }
        for p in &portal.pages {
            bodies.insert(&p.url, (&p.body, Vec::new()));
        }
    }
    for portal in &network.portals {
        let markdown = portal
            .news
            .iter()
            .map(|a| (&a.source, &a.body, &a.url))
            .chain(portal.pages.iter().map(|p| (&p.source, &p.body, &p.url)));
        for (source, body, url) in markdown {
            anchors(source, url, &mut bodies, &mut findings);
            for offset in images_without_alt(body) {
                findings.push(Finding::at(
                    &body_location(source, body, offset),
                    Severity::Warning,
                    "image-alt",
                    "image without alt text",
                    "describe the image between the brackets, `![Trạm y tế xã Mỹ Phong](...)`, for people who cannot see it",
                ));
            }
        }
        for article in &portal.news {
            let at = &article.source.at;
            if let Some(chars) = title_too_long(&article.meta.title) {
                findings.push(Finding::at(
                    &key_at(at, "title"),
                    Severity::Warning,
                    "long-title",
                    format!("headline of {chars} characters: feeds and news apps cut it after {MAX_TITLE_CHARS}"),
                    "shorten it and move the details into `summary`",
                ));
            }
            if let Some(finding) = future_date(&article.meta.date, today, &key_at(at, "date")) {
                findings.push(finding);
            }
        }
        for document in &portal.documents {
            let at = key_at(&document.at, "issued");
            if let Some(finding) = future_date(&document.record.issued, today, &at) {
                findings.push(finding);
            }
        }
    }
    let agencies = Agencies::of(network);
    for procedure in &network.procedures {
        let record = &procedure.record;
        for field in blank_fields(record) {
            findings.push(Finding::at(
                &key_at(&procedure.at, field),
                Severity::Error,
                "empty-field",
                format!(
                    "procedure {}: required field `{field}` is empty",
                    record.code
                ),
                "fill it in: docs/content.md says what each field holds",
            ));
        }
        for (field, name) in [
            ("agency", &record.agency),
            ("competent_agency", &record.competent_agency),
        ] {
            if let Some(known) = agencies.misspelt(name) {
                findings.push(Finding::at(
                    &key_at(&procedure.at, field),
                    Severity::Warning,
                    "unknown-agency",
                    format!("unknown agency `{name}`: no portal has this name and no other procedure names it"),
                    format!("did you mean `{known}`?"),
                ));
            }
        }
    }
    findings
}

/// Where `key:` is written in the record located at `at`, or `at` if the file cannot be read.
fn key_at(at: &Location, key: &str) -> Location {
    match crate::content::read_plain(&at.path).map(String::from_utf8) {
        Ok(Ok(text)) => key_location(&at.path, &text, at.line, key),
        _ => at.clone(),
    }
}

/// The file location of a byte offset in a markdown body.
fn body_location(source: &Source, body: &str, offset: usize) -> Location {
    let (line, col) = line_col(body, offset);
    Location::new(&source.at.path, source.body_line + line - 1, col)
}

/// Checks the anchors of one file's links: `#muc-x` against its own headings, `/a/b/#muc-x`
/// against the headings of the article or page at `/a/b/`. Anchors into other kinds of page
/// are not checked: their ids are the theme's.
fn anchors<'a>(
    source: &Source,
    own_url: &str,
    bodies: &mut HashMap<&'a str, (&'a str, Vec<String>)>,
    findings: &mut Vec<Finding>,
) {
    for link in &source.links {
        let Some((path, fragment)) = link.target.split_once('#') else {
            continue;
        };
        if fragment.is_empty() {
            continue;
        }
        let path = path.split('?').next().unwrap_or_default();
        let url = match path {
            "" => own_url.to_owned(),
            p if p.ends_with('/') => p.to_owned(),
            p => format!("{p}/"),
        };
        let Some((body, ids)) = bodies.get_mut(url.as_str()) else {
            continue;
        };
        if ids.is_empty() {
            *ids = heading_ids(body);
        }
        if let Some(help) = anchor_problem(fragment, ids) {
            findings.push(Finding::at(
                &link.at,
                Severity::Error,
                "broken-anchor",
                format!("broken anchor: `{url}` has no heading with id `{fragment}`"),
                help,
            ));
        }
    }
}

/// `None` if `fragment` is one of `ids`, else a hint naming the closest id.
fn anchor_problem(fragment: &str, ids: &[String]) -> Option<String> {
    if ids.iter().any(|id| id == fragment) {
        return None;
    }
    let rule = format!("a heading's id is `{HEADING_ID_PREFIX}` and the slug of its text");
    Some(match closest(fragment, ids.iter().map(String::as_str)) {
        Some(id) => format!("did you mean `#{id}`? ({rule})"),
        None if ids.is_empty() => "the page has no headings to link to".to_owned(),
        None => format!(
            "the page's headings are {} ({rule})",
            ids.iter()
                .map(|id| format!("`#{id}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    })
}

/// Byte offsets of the images of a markdown body whose alt text is empty.
fn images_without_alt(body: &str) -> Vec<usize> {
    let mut found = Vec::new();
    let mut open: Option<(usize, bool)> = None;
    for (event, range) in Parser::new_ext(body, markdown_options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Image { .. }) => open = Some((range.start, false)),
            Event::Text(t) | Event::Code(t) if !t.trim().is_empty() => {
                if let Some((_, has_text)) = open.as_mut() {
                    *has_text = true;
                }
            }
            Event::End(TagEnd::Image) => {
                if let Some((start, false)) = open.take() {
                    found.push(start);
                }
            }
            _ => {}
        }
    }
    found
}

/// The headline's length in characters, if it is over [`MAX_TITLE_CHARS`].
fn title_too_long(title: &str) -> Option<usize> {
    let chars = title.chars().count();
    (chars > MAX_TITLE_CHARS).then_some(chars)
}

/// A warning if `date` is after `today`.
fn future_date(date: &Date, today: NaiveDate, at: &Location) -> Option<Finding> {
    (date.day() > today).then(|| {
        Finding::at(
            at,
            Severity::Warning,
            "future-date",
            format!("date {} is in the future (today is {today})", date.day()),
            "check the year and month; the page is published now with this date",
        )
    })
}

/// Required text fields of a procedure that are present but blank (`agency: ""`): the loader
/// reports absent ones and empty lists.
fn blank_fields(p: &Procedure) -> Vec<&'static str> {
    [
        ("name", &p.name),
        ("decision", &p.decision),
        ("type", &p.kind),
        ("field", &p.field),
        ("agency", &p.agency),
        ("competent_agency", &p.competent_agency),
        ("receiving_address", &p.receiving_address),
        ("result", &p.result),
    ]
    .into_iter()
    .filter(|(_, value)| value.trim().is_empty())
    .map(|(field, _)| field)
    .collect()
}

/// The agencies of the network. The contract keeps no list of agencies, so a name is *known*
/// when it is a portal's name or when two or more procedures use it; an unknown name that is a
/// few letters away from a known one is taken for a misspelling. Other new names are accepted.
struct Agencies {
    known: Vec<String>,
    uses: HashMap<String, usize>,
}

/// Most letters a misspelling changes.
const MAX_MISSPELT_LETTERS: usize = 3;

impl Agencies {
    fn of(network: &Network) -> Self {
        let names = network
            .procedures
            .iter()
            .flat_map(|p| [p.record.agency.as_str(), p.record.competent_agency.as_str()]);
        let portals = network.portals.iter().map(|p| p.info.name.as_str());
        Agencies::new(names, portals)
    }

    fn new<'a>(
        names: impl Iterator<Item = &'a str>,
        portals: impl Iterator<Item = &'a str>,
    ) -> Self {
        let mut uses: HashMap<String, usize> = HashMap::new();
        for name in names {
            *uses.entry(name.to_owned()).or_default() += 1;
        }
        let mut known: Vec<String> = portals.map(str::to_owned).collect();
        known.extend(
            uses.iter()
                .filter(|(_, &n)| n >= 2)
                .map(|(name, _)| name.clone()),
        );
        known.sort();
        known.dedup();
        Agencies { known, uses }
    }

    /// The known name `name` is probably a misspelling of.
    fn misspelt(&self, name: &str) -> Option<&str> {
        if self.uses.get(name).copied().unwrap_or(0) >= 2 || self.known.iter().any(|k| k == name) {
            return None;
        }
        self.known
            .iter()
            .map(|k| (strsim::levenshtein(name, k), k))
            .filter(|(d, _)| *d <= MAX_MISSPELT_LETTERS)
            .min()
            .map(|(_, k)| k.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_anchor_must_be_a_heading_id_and_the_closest_is_suggested() {
        let ids = ["muc-chuc-nang".to_owned(), "muc-lien-he".to_owned()];
        assert_eq!(anchor_problem("muc-lien-he", &ids), None);
        let help = anchor_problem("muc-chuc-nag", &ids).unwrap();
        assert!(help.contains("did you mean `#muc-chuc-nang`"), "{help}");
        let help = anchor_problem("dau-trang", &ids).unwrap();
        assert!(help.contains("`#muc-chuc-nang`, `#muc-lien-he`"), "{help}");
        assert!(anchor_problem("muc-a", &[]).is_some());
    }

    #[test]
    fn images_with_empty_alt_are_found_and_described_ones_are_not() {
        let body = "![Trạm y tế](/a.svg)\n\n![](/b.svg) and ![ ](/c.svg)\n";
        let second = body.find("![]").unwrap();
        let third = body.find("![ ]").unwrap();
        assert_eq!(images_without_alt(body), [second, third]);
    }

    #[test]
    fn a_title_over_the_feed_limit_is_too_long() {
        assert_eq!(title_too_long(&"ạ".repeat(MAX_TITLE_CHARS)), None);
        assert_eq!(
            title_too_long(&"ạ".repeat(MAX_TITLE_CHARS + 1)),
            Some(MAX_TITLE_CHARS + 1)
        );
    }

    #[test]
    fn only_a_day_after_today_is_in_the_future() {
        let today = NaiveDate::from_ymd_opt(2024, 3, 15).unwrap();
        let at = Location::file(std::path::Path::new("a.md"));
        let late = Date::parse("2024-03-15T23:59:00+07:00").unwrap();
        assert!(future_date(&late, today, &at).is_none());
        let tomorrow = Date::parse("2024-03-16").unwrap();
        assert!(future_date(&tomorrow, today, &at).is_some());
    }

    #[test]
    fn blank_required_fields_are_named() {
        let yaml = "code: \"1.000001\"\nname: ' '\ndecision: d\nimplementing_level: province\ntype: t\nfield: f\napplicants: [citizen]\nagency: ''\ncompetent_agency: c\nreceiving_address: r\nsteps: [s]\nchannels: [{mode: online, time: t, fee: f}]\ndocuments: [{items: [{name: n, originals: 1, copies: 0}]}]\nresult: r\nlegal_basis: [{number: n, summary: s, date: 2020-01-01, issuer: i}]\nlevel: 2\nonline_class: none\n";
        let p: Procedure = crate::yaml::parse(yaml).unwrap();
        assert_eq!(blank_fields(&p), ["name", "agency"]);
    }

    #[test]
    fn a_name_used_once_and_close_to_a_known_one_is_misspelt() {
        let names = [
            "Sở Y tế tỉnh Tiền Giang",
            "Sở Y tế tỉnh Tiền Giang",
            "Sở Y tê tỉnh Tiền Giang",
            "Ban Tiếp công dân tỉnh Tiền Giang",
        ];
        let agencies = Agencies::new(
            names.into_iter(),
            ["Sở Tư pháp tỉnh Tiền Giang"].into_iter(),
        );
        assert_eq!(
            agencies.misspelt("Sở Y tê tỉnh Tiền Giang"),
            Some("Sở Y tế tỉnh Tiền Giang")
        );
        assert_eq!(agencies.misspelt("Sở Y tế tỉnh Tiền Giang"), None);
        assert_eq!(agencies.misspelt("Ban Tiếp công dân tỉnh Tiền Giang"), None);
        assert_eq!(agencies.misspelt("Sở Tư pháp tỉnh Tiền Giang"), None);
    }
}
