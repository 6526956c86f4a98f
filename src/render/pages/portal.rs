//! The pages of a portal as a whole: its home page and its human-readable site map.

use serde::Serialize;

use super::documents::DocumentItem;
use super::services::level_stats;
use super::Page;
use crate::model::routes::{self, Route};
use crate::model::{Network, PortalKind};
use crate::render::views::*;
use crate::vietnamese::format_number;

pub(super) fn home<'a>(n: &'a Network, shared: &Shared, portal: usize, url: String) -> Page<'a> {
    let p = &n.portals[portal];
    let is_main = p.info.kind == PortalKind::Main;
    let latest: Vec<ArticleItem> = if is_main {
        n.latest_news
            .iter()
            .take(10)
            .map(|&(pi, a)| ArticleItem::new(&n.portals[pi].news[a], Some(&n.portals[pi])))
            .collect()
    } else {
        p.news
            .iter()
            .take(10)
            .map(|a| ArticleItem::new(a, None))
            .collect()
    };
    let documents: Vec<DocumentItem> = p.documents.iter().take(5).map(DocumentItem::from).collect();
    let pages: Vec<Link> = p
        .pages
        .iter()
        .map(|pg| Link::new(pg.meta.title.clone(), pg.url.clone()))
        .collect();
    let mut page = Page::new(n, shared, portal, "home.html", url, p.info.name.clone())
        .with("latest", &latest)
        .with("documents", &documents)
        .with("pages", &pages)
        .with(
            "procedure_count",
            &format_number(n.procedures_of(portal).len() as u64),
        );
    page.view.breadcrumbs.clear();
    if is_main {
        page = page
            .with("portal_groups", &portal_groups(n))
            .with("levels", &level_stats(n));
    }
    page
}

#[derive(Serialize)]
pub(super) struct PortalGroup<'a> {
    label: &'static str,
    portals: Vec<PortalItem<'a>>,
}

#[derive(Serialize)]
pub(super) struct PortalItem<'a> {
    name: &'a str,
    url: String,
    description: &'a str,
}

/// The component portals, grouped by kind, in Vietnamese order.
pub(super) fn portal_groups(n: &Network) -> Vec<PortalGroup<'_>> {
    [PortalKind::Department, PortalKind::District]
        .into_iter()
        .map(|kind| PortalGroup {
            label: kind.label(),
            portals: n
                .portals
                .iter()
                .filter(|p| p.info.kind == kind)
                .map(|p| PortalItem {
                    name: &p.info.name,
                    url: p.url(),
                    description: &p.info.description,
                })
                .collect(),
        })
        .collect()
}

#[derive(Serialize)]
pub(super) struct SiteMapSection {
    label: String,
    url: String,
    children: Vec<Link>,
}

pub(super) fn site_map<'a>(
    n: &'a Network,
    shared: &Shared,
    portal: usize,
    url: String,
) -> Page<'a> {
    let p = &n.portals[portal];
    let mut sections = vec![SiteMapSection {
        label: "Trang chủ".into(),
        url: p.url(),
        children: vec![],
    }];
    sections.push(SiteMapSection {
        label: "Giới thiệu".into(),
        url: p.pages.first().map_or_else(|| p.url(), |pg| pg.url.clone()),
        children: p
            .pages
            .iter()
            .map(|pg| Link::new(pg.meta.title.clone(), pg.url.clone()))
            .collect(),
    });
    sections.push(SiteMapSection {
        label: "Tin tức".into(),
        url: format!("{}/{}/", p.prefix, routes::NEWS),
        children: p
            .tags
            .iter()
            .map(|t| Link::new(format!("Chủ đề: {}", t.label), t.url.clone()))
            .collect(),
    });
    sections.push(SiteMapSection {
        label: "Văn bản".into(),
        url: format!("{}/{}/", p.prefix, routes::DOCUMENTS),
        children: p
            .document_groups
            .by_type
            .iter()
            .map(|g| Link::new(g.label.clone(), g.url.clone()))
            .collect(),
    });
    let mut services = vec![
        Link::new(
            "Danh mục thủ tục hành chính toàn tỉnh",
            Route::Catalogue.url(n),
        ),
        Link::new("Thống kê", Route::Statistics.url(n)),
    ];
    if p.info.kind != PortalKind::Main {
        services.insert(
            0,
            Link::new(
                format!("Thủ tục của {}", p.info.short()),
                format!("{}/{}/", p.prefix, routes::PROCEDURES),
            ),
        );
    }
    sections.push(SiteMapSection {
        label: "Dịch vụ công trực tuyến".into(),
        url: Route::Catalogue.url(n),
        children: services,
    });
    if p.info.kind == PortalKind::Main {
        for group in portal_groups(n) {
            sections.push(SiteMapSection {
                label: group.label.to_owned(),
                url: url.clone(),
                children: group
                    .portals
                    .iter()
                    .map(|q| Link::new(q.name, q.url.clone()))
                    .collect(),
            });
        }
    }
    Page::new(
        n,
        shared,
        portal,
        "site_map.html",
        url.clone(),
        "Sơ đồ cổng",
    )
    .crumb("Sơ đồ cổng", url)
    .with("sections", &sections)
}
