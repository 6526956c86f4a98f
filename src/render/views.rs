//! The values templates see: small serializable views of the model, with every date, number
//! and label already written the Vietnamese way, so that templates only place text.

use std::collections::BTreeMap;

use serde::Serialize;

use super::templates::Engines;
use crate::model::routes::{self, Route, CATALOGUE, DOCUMENTS, NEWS, PROCEDURES, SEARCH, SITE_MAP};
use crate::model::{
    Article, Contact, Date, Group, Network, Person, Portal, PortalKind, ProcedureEntry,
};
use crate::vietnamese::{format_date, format_number};

/// A labelled link.
#[derive(Debug, Clone, Serialize)]
pub(super) struct Link {
    pub label: String,
    pub url: String,
}

impl Link {
    pub fn new(label: impl Into<String>, url: impl Into<String>) -> Self {
        Link {
            label: label.into(),
            url: url.into(),
        }
    }
}

/// The network, as every page sees it.
#[derive(Debug, Serialize)]
pub(super) struct SiteView<'a> {
    pub name: &'a str,
    pub base_url: &'a str,
    pub home_url: &'static str,
    pub catalogue_url: String,
    pub statistics_url: String,
    pub search_url: String,
    pub feed_url: &'static str,
    pub opensearch_url: &'static str,
    pub sitemap_url: String,
}

/// A portal, as each of its pages sees it.
#[derive(Debug, Serialize)]
pub(super) struct PortalView<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub short_name: &'a str,
    pub kind: &'static str,
    pub description: &'a str,
    pub url: String,
    pub is_main: bool,
    pub contact: &'a Contact,
    /// The phone number as a `tel:` URL (digits and `+` only).
    pub phone_url: String,
    pub head: &'a Person,
    pub menu: Vec<Link>,
    #[serde(rename = "static")]
    pub statics: &'a BTreeMap<String, String>,
    pub feed_url: String,
    pub news_url: String,
    pub documents_url: String,
    pub procedures_url: String,
    pub site_map_url: String,
}

/// Values shared by every page of a build, serialized once.
pub(super) struct Shared {
    pub site: tera::Value,
    pub portals: Vec<tera::Value>,
    /// Per portal: its most used tags, for the side of news lists.
    pub top_tags: Vec<tera::Value>,
    /// Every route of the network, computed once.
    pub routes: Vec<Route>,
}

/// How many tags a news list shows beside it; every tag is on the portal's site map.
const TOP_TAGS: usize = 20;

impl Shared {
    pub fn new(network: &Network, engines: &Engines) -> Self {
        let site = SiteView {
            name: &network.settings.name,
            base_url: &network.settings.base_url,
            home_url: "/",
            catalogue_url: format!("/{CATALOGUE}/"),
            statistics_url: Route::Statistics.url(network),
            search_url: format!("/{SEARCH}"),
            feed_url: "/atom.xml",
            opensearch_url: "/opensearch.xml",
            sitemap_url: format!("/{SITE_MAP}/"),
        };
        let portals = network
            .portals
            .iter()
            .enumerate()
            .map(|(i, p)| to_value(&portal_view(p, &engines.statics[i])))
            .collect();
        let top_tags = network
            .portals
            .iter()
            .map(|p| {
                let mut tags: Vec<&Group> = p.tags.iter().collect();
                tags.sort_by_key(|t| std::cmp::Reverse(t.members.len()));
                tags.truncate(TOP_TAGS);
                tags.sort_by(|a, b| crate::vietnamese::compare(&a.label, &b.label));
                to_value(&tags.into_iter().map(GroupItem::from).collect::<Vec<_>>())
            })
            .collect();
        Shared {
            site: to_value(&site),
            portals,
            top_tags,
            routes: routes::all(network),
        }
    }
}

pub(super) fn to_value(value: &impl Serialize) -> tera::Value {
    serde_json::to_value(value).expect("views serialize to JSON")
}

fn portal_view<'a>(p: &'a Portal, statics: &'a BTreeMap<String, String>) -> PortalView<'a> {
    let prefix = &p.prefix;
    let mut menu = vec![Link::new("Trang chủ", format!("{prefix}/"))];
    if let Some(page) = p.page("gioi-thieu") {
        menu.push(Link::new("Giới thiệu", page.url.clone()));
    }
    menu.push(Link::new("Tin tức", format!("{prefix}/{NEWS}/")));
    menu.push(Link::new("Văn bản", format!("{prefix}/{DOCUMENTS}/")));
    let services = if p.info.kind == PortalKind::Main {
        format!("/{CATALOGUE}/")
    } else {
        format!("{prefix}/{PROCEDURES}/")
    };
    menu.push(Link::new("Dịch vụ công trực tuyến", services));
    if let Some(page) = p.page("lien-he") {
        menu.push(Link::new("Liên hệ", page.url.clone()));
    }
    menu.push(Link::new("Sơ đồ cổng", format!("{prefix}/{SITE_MAP}/")));
    PortalView {
        slug: &p.slug,
        name: &p.info.name,
        short_name: p.info.short(),
        kind: match p.info.kind {
            PortalKind::Main => "main",
            PortalKind::Department => "department",
            PortalKind::District => "district",
        },
        description: &p.info.description,
        url: p.url(),
        is_main: p.info.kind == PortalKind::Main,
        contact: &p.info.contact,
        phone_url: format!(
            "tel:{}",
            p.info
                .contact
                .phone
                .chars()
                .filter(|c| c.is_ascii_digit() || *c == '+')
                .collect::<String>()
        ),
        head: &p.info.head,
        menu,
        statics,
        feed_url: format!("{prefix}/{NEWS}/atom.xml"),
        news_url: format!("{prefix}/{NEWS}/"),
        documents_url: format!("{prefix}/{DOCUMENTS}/"),
        procedures_url: format!("{prefix}/{PROCEDURES}/"),
        site_map_url: format!("{prefix}/{SITE_MAP}/"),
    }
}

/// A date both ways: for people (dd/mm/yyyy) and for machines (ISO 8601).
#[derive(Debug, Serialize)]
pub(super) struct DateView {
    pub text: String,
    pub iso: String,
}

impl From<&Date> for DateView {
    fn from(d: &Date) -> Self {
        DateView {
            text: format_date(d.day()),
            iso: d.0.to_rfc3339(),
        }
    }
}

/// An article in a list.
#[derive(Debug, Serialize)]
pub(super) struct ArticleItem<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub date: DateView,
    pub summary: Option<&'a str>,
    /// The portal's short name, in lists that mix portals.
    pub portal: Option<&'a str>,
}

impl<'a> ArticleItem<'a> {
    pub fn new(article: &'a Article, portal: Option<&'a Portal>) -> Self {
        ArticleItem {
            title: &article.meta.title,
            url: &article.url,
            date: (&article.meta.date).into(),
            summary: article.meta.summary.as_deref(),
            portal: portal.map(|p| p.info.short()),
        }
    }
}

/// A procedure in a list.
#[derive(Debug, Serialize)]
pub(super) struct ProcedureItem<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub url: &'a str,
    pub field: &'a str,
    pub level: u8,
    pub implementing_level: &'static str,
    pub agency: &'a str,
}

impl<'a> ProcedureItem<'a> {
    pub fn new(p: &'a ProcedureEntry, network: &'a Network) -> Self {
        ProcedureItem {
            code: p.record.code.as_str(),
            name: &p.record.name,
            url: &p.url,
            field: &p.record.field,
            level: p.record.level.number(),
            implementing_level: p.record.implementing_level.label(),
            agency: network.portals[p.owner].info.short(),
        }
    }
}

/// A group (tag, facet, document type …) in a list, with its size written out.
#[derive(Debug, Serialize)]
pub(super) struct GroupItem<'a> {
    pub label: &'a str,
    pub url: &'a str,
    pub count: String,
}

impl<'a> From<&'a Group> for GroupItem<'a> {
    fn from(g: &'a Group) -> Self {
        GroupItem {
            label: &g.label,
            url: &g.url,
            count: format_number(g.members.len() as u64),
        }
    }
}

/// A heading with the groups under it (document types, catalogue facets …).
#[derive(Debug, Serialize)]
pub(super) struct Grouping<'a> {
    pub label: &'static str,
    pub groups: Vec<GroupItem<'a>>,
}

/// Links to the pages of a paginated list.
#[derive(Debug, Serialize)]
pub(super) struct Pagination {
    pub current: usize,
    pub total: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub pages: Vec<PageLink>,
}

/// One numbered page link; `None` numbers are gaps (…).
#[derive(Debug, Serialize)]
pub(super) struct PageLink {
    pub number: Option<usize>,
    pub url: String,
    pub current: bool,
}

impl Pagination {
    /// Page `current` of `total` of the list whose first page is at `first`: links to the
    /// first, the last, and two on each side of the current page.
    pub fn new(first: &str, current: usize, total: usize) -> Self {
        let mut pages = Vec::new();
        let mut last_shown = 0;
        for n in 1..=total {
            if n == 1 || n == total || n.abs_diff(current) <= 2 {
                if n > last_shown + 1 {
                    pages.push(PageLink {
                        number: None,
                        url: String::new(),
                        current: false,
                    });
                }
                pages.push(PageLink {
                    number: Some(n),
                    url: routes::paged(first, n),
                    current: n == current,
                });
                last_shown = n;
            }
        }
        Pagination {
            current,
            total,
            prev: (current > 1).then(|| routes::paged(first, current - 1)),
            next: (current < total).then(|| routes::paged(first, current + 1)),
            pages,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pagination_shows_ends_and_neighbours_with_gaps() {
        let p = Pagination::new("/tin-tuc/", 6, 10);
        let numbers: Vec<Option<usize>> = p.pages.iter().map(|l| l.number).collect();
        assert_eq!(
            numbers,
            [
                Some(1),
                None,
                Some(4),
                Some(5),
                Some(6),
                Some(7),
                Some(8),
                None,
                Some(10)
            ]
        );
        assert_eq!(p.prev.as_deref(), Some("/tin-tuc/trang/5/"));
        assert_eq!(p.next.as_deref(), Some("/tin-tuc/trang/7/"));
    }

    #[test]
    fn first_page_has_no_previous_link() {
        let p = Pagination::new("/tin-tuc/", 1, 1);
        assert!(p.prev.is_none() && p.next.is_none());
    }
}
