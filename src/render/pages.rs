//! One function per kind of route: which template renders it and with which values.

use serde::Serialize;
use serde_json::json;
use tera::Context;

use super::markdown::{first_paragraph_text, to_html};
use super::templates::Engines;
use super::views::*;
use super::RenderError;
use crate::model::routes::{self, DocumentGrouping, FacetKind, Route, SITEMAP_LIMIT};
use crate::model::{Network, PortalKind, ServiceLevel, NEWS_PER_PAGE};
use crate::vietnamese::{format_number, format_percent};

/// What every HTML page has in its head, header and breadcrumbs.
#[derive(Debug, Serialize)]
struct PageView {
    title: String,
    description: String,
    /// Site-absolute URL.
    url: String,
    /// Absolute URL, for canonical links and Open Graph.
    canonical: String,
    breadcrumbs: Vec<Link>,
    og_type: &'static str,
    /// schema.org JSON-LD, already safe inside a `<script>` element.
    jsonld: String,
    /// Dublin Core date (ISO 8601), when the page has one.
    date: Option<String>,
    /// Dublin Core creator.
    creator: String,
}

/// A page being put together.
struct Page<'a> {
    network: &'a Network,
    portal: usize,
    template: &'static str,
    context: Context,
    view: PageView,
}

impl<'a> Page<'a> {
    fn new(
        network: &'a Network,
        shared: &Shared,
        portal: usize,
        template: &'static str,
        url: String,
        title: impl Into<String>,
    ) -> Self {
        let p = &network.portals[portal];
        let mut context = Context::new();
        context.insert("site", &shared.site);
        context.insert("portal", &shared.portals[portal]);
        let mut breadcrumbs = vec![];
        if portal != 0 {
            breadcrumbs.push(Link::new("Trang chủ", "/"));
        }
        breadcrumbs.push(Link::new(p.info.short().to_owned(), p.url()));
        let title = title.into();
        Page {
            network,
            portal,
            template,
            context,
            view: PageView {
                canonical: format!("{}{url}", network.settings.base_url),
                description: p.info.description.clone(),
                url,
                breadcrumbs,
                og_type: "website",
                jsonld: String::new(),
                date: None,
                creator: p.info.name.clone(),
                title,
            },
        }
    }

    fn crumb(mut self, label: impl Into<String>, url: impl Into<String>) -> Self {
        self.view.breadcrumbs.push(Link::new(label, url));
        self
    }

    fn describe(mut self, description: impl Into<String>) -> Self {
        let d = description.into();
        if !d.is_empty() {
            self.view.description = d;
        }
        self
    }

    fn with<T: Serialize + ?Sized>(mut self, key: &str, value: &T) -> Self {
        self.context.insert(key, value);
        self
    }

    /// Schema.org data; a plain `WebPage` when not given.
    fn jsonld(mut self, value: serde_json::Value) -> Self {
        self.view.jsonld = script_safe_json(&value);
        self
    }

    fn render(mut self, engines: &Engines) -> Result<Vec<u8>, RenderError> {
        if self.view.jsonld.is_empty() {
            let v = json!({
                "@context": "https://schema.org",
                "@type": "WebPage",
                "name": self.view.title,
                "url": self.view.canonical,
                "inLanguage": "vi",
                "isPartOf": {"@type": "WebSite", "name": self.network.settings.name, "url": format!("{}/", self.network.settings.base_url)},
                "publisher": {"@type": "GovernmentOrganization", "name": self.network.portals[self.portal].info.name},
            });
            self.view.jsonld = script_safe_json(&v);
        }
        // The current page is the last crumb, shown without a link.
        if self
            .view
            .breadcrumbs
            .last()
            .is_some_and(|c| c.url == self.view.url)
            && self.view.breadcrumbs.len() > 1
        {
            self.view.breadcrumbs.pop();
        }
        self.context.insert("page", &self.view);
        let tera = engines.for_portal(self.portal, self.network);
        let mut out = Vec::with_capacity(16 * 1024);
        tera.render_to(self.template, &self.context, &mut out)
            .map_err(|source| RenderError::Template {
                what: format!("{} (rendering {})", self.template, self.view.url),
                source,
            })?;
        Ok(out)
    }
}

/// JSON that can sit inside `<script type="application/ld+json">`: `<`, `>` and `&` escaped.
fn script_safe_json(value: &serde_json::Value) -> String {
    let json = value.to_string();
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c => out.push(c),
        }
    }
    out
}

/// Renders one route to bytes.
pub(super) fn render_route(
    route: &Route,
    n: &Network,
    engines: &Engines,
    shared: &Shared,
) -> Result<Vec<u8>, RenderError> {
    let url = route.url(n);
    match *route {
        Route::Home { portal } => home(n, shared, portal, url).render(engines),
        Route::NewsList { portal, page } => {
            let p = &n.portals[portal];
            let items: Vec<usize> = (0..p.news.len()).collect();
            news_list(
                n,
                shared,
                portal,
                url,
                "Tin tức",
                &items,
                page,
                &format!("{}/{}/", p.prefix, routes::NEWS),
            )
            .render(engines)
        }
        Route::TagList { portal, tag, page } => {
            let p = &n.portals[portal];
            let t = &p.tags[tag];
            news_list(
                n,
                shared,
                portal,
                url,
                &format!("Chủ đề: {}", t.label),
                &t.members,
                page,
                &t.url,
            )
            .render(engines)
        }
        Route::Article { portal, article } => {
            article_page(n, shared, portal, article, url).render(engines)
        }
        Route::Page { portal, page } => {
            let p = &n.portals[portal];
            let pg = &p.pages[page];
            let others: Vec<Link> = p
                .pages
                .iter()
                .map(|o| Link::new(o.meta.title.clone(), o.url.clone()))
                .collect();
            let summary = pg
                .meta
                .summary
                .clone()
                .unwrap_or_else(|| first_paragraph_text(&pg.body, 160));
            Page::new(n, shared, portal, "page.html", url, pg.meta.title.clone())
                .describe(summary)
                .crumb(pg.meta.title.clone(), pg.url.clone())
                .with("content", &to_html(&pg.body))
                .with("is_contact", &(pg.slug == "lien-he"))
                .with("pages", &others)
                .render(engines)
        }
        Route::Documents { portal } => {
            let p = &n.portals[portal];
            let all: Vec<usize> = (0..p.documents.len()).collect();
            documents(n, shared, portal, url, "Văn bản", &all).render(engines)
        }
        Route::DocumentGroup {
            portal,
            grouping,
            group,
        } => {
            let g = &n.portals[portal].document_groups(grouping)[group];
            documents(
                n,
                shared,
                portal,
                url,
                &format!("{}: {}", grouping.label(), g.label),
                &g.members,
            )
            .render(engines)
        }
        Route::Document { portal, document } => {
            document_page(n, shared, portal, document, url).render(engines)
        }
        Route::PortalProcedures { portal } => {
            if n.portals[portal].info.kind == PortalKind::Main {
                catalogue(n, shared, url, "Thủ tục hành chính").render(engines)
            } else {
                let list = n.procedures_of(portal);
                let p = &n.portals[portal];
                let intro = match p.info.kind {
                    PortalKind::District => {
                        "Thủ tục hành chính cấp huyện và cấp xã áp dụng trên địa bàn.".to_owned()
                    }
                    _ => format!("Thủ tục hành chính thuộc thẩm quyền của {}.", p.info.name),
                };
                procedure_list(
                    n,
                    shared,
                    portal,
                    url,
                    "Dịch vụ công trực tuyến",
                    &intro,
                    &list,
                )
                .render(engines)
            }
        }
        Route::SiteMap { portal } => site_map(n, shared, portal, url).render(engines),
        Route::Feed { portal } => {
            let p = &n.portals[portal];
            let entries: Vec<(usize, usize)> = (0..p.news.len().min(NEWS_PER_PAGE))
                .map(|a| (portal, a))
                .collect();
            feed(n, shared, engines, portal, url, &p.info.name, &entries)
        }
        Route::NetworkFeed => {
            let entries: Vec<(usize, usize)> = n
                .latest_news
                .iter()
                .take(2 * NEWS_PER_PAGE)
                .copied()
                .collect();
            feed(n, shared, engines, 0, url, &n.settings.name, &entries)
        }
        Route::Catalogue => catalogue(n, shared, url, "Dịch vụ công trực tuyến").render(engines),
        Route::Facet { kind, facet } => {
            let g = &n.catalogue.facets(kind)[facet];
            let intro = format!(
                "{} thủ tục hành chính.",
                format_number(g.members.len() as u64)
            );
            procedure_list(n, shared, 0, url, &g.label, &intro, &g.members)
                .crumb("Dịch vụ công trực tuyến", Route::Catalogue.url(n))
                .crumb(g.label.clone(), g.url.clone())
                .render(engines)
        }
        Route::Statistics => statistics(n, shared, url).render(engines),
        Route::Procedure { procedure } => procedure_page(n, shared, procedure, url).render(engines),
        Route::Sitemap | Route::SitemapPart { .. } => sitemap(n, shared, route, engines),
        Route::Robots => plain(n, shared, engines, "robots.txt"),
        Route::NotFound => {
            Page::new(n, shared, 0, "404.html", url, "Không tìm thấy trang").render(engines)
        }
        Route::OpenSearch => plain(n, shared, engines, "opensearch.xml"),
    }
}

/// Renders a file that is not an HTML page (feeds, sitemaps, robots.txt …).
fn render_file(
    n: &Network,
    engines: &Engines,
    portal: usize,
    template: &str,
    context: &Context,
) -> Result<Vec<u8>, RenderError> {
    engines
        .for_portal(portal, n)
        .render(template, context)
        .map(String::into_bytes)
        .map_err(|source| RenderError::Template {
            what: template.to_owned(),
            source,
        })
}

fn plain(
    n: &Network,
    shared: &Shared,
    engines: &Engines,
    template: &str,
) -> Result<Vec<u8>, RenderError> {
    let mut context = Context::new();
    context.insert("site", &shared.site);
    render_file(n, engines, 0, template, &context)
}

fn home<'a>(n: &'a Network, shared: &Shared, portal: usize, url: String) -> Page<'a> {
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
struct PortalGroup<'a> {
    label: &'static str,
    portals: Vec<PortalItem<'a>>,
}

#[derive(Serialize)]
struct PortalItem<'a> {
    name: &'a str,
    url: String,
    description: &'a str,
}

/// The component portals, grouped by kind, in Vietnamese order.
fn portal_groups(n: &Network) -> Vec<PortalGroup<'_>> {
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
struct LevelStat {
    label: String,
    url: String,
    count: String,
    percent: String,
}

#[derive(Serialize)]
struct LevelStats {
    total: String,
    online: String,
    online_percent: String,
    levels: Vec<LevelStat>,
}

/// Procedures per online service level, with shares of the whole catalogue.
fn level_stats(n: &Network) -> LevelStats {
    let total = n.procedures.len() as u64;
    let online = n
        .procedures
        .iter()
        .filter(|p| p.record.level.is_online())
        .count() as u64;
    LevelStats {
        total: format_number(total),
        online: format_number(online),
        online_percent: format_percent(online, total),
        levels: n
            .catalogue
            .by_service_level
            .iter()
            .map(|g| LevelStat {
                label: g.label.clone(),
                url: g.url.clone(),
                count: format_number(g.members.len() as u64),
                percent: format_percent(g.members.len() as u64, total),
            })
            .collect(),
    }
}

#[allow(clippy::too_many_arguments)]
fn news_list<'a>(
    n: &'a Network,
    shared: &Shared,
    portal: usize,
    url: String,
    heading: &str,
    items: &[usize],
    page: usize,
    first: &str,
) -> Page<'a> {
    let p = &n.portals[portal];
    let total = routes::page_count(items.len(), NEWS_PER_PAGE);
    let slice = items
        .iter()
        .skip((page - 1) * NEWS_PER_PAGE)
        .take(NEWS_PER_PAGE);
    let articles: Vec<ArticleItem> = slice.map(|&a| ArticleItem::new(&p.news[a], None)).collect();
    let title = if page > 1 {
        format!("{heading} – trang {page}")
    } else {
        heading.to_owned()
    };
    let tags: Vec<GroupItem> = p.tags.iter().map(GroupItem::from).collect();
    let mut page_view = Page::new(n, shared, portal, "news_list.html", url, title)
        .crumb("Tin tức", format!("{}/{}/", p.prefix, routes::NEWS))
        .with("heading", heading)
        .with("articles", &articles)
        .with("pagination", &Pagination::new(first, page, total))
        .with("tags", &tags);
    if first != format!("{}/{}/", p.prefix, routes::NEWS) {
        page_view = page_view.crumb(heading.to_owned(), first.to_owned());
    }
    page_view
}

#[derive(Serialize)]
struct ArticleView<'a> {
    title: &'a str,
    date: DateView,
    author: Option<&'a str>,
    summary: Option<&'a str>,
    image: Option<String>,
    image_alt: Option<&'a str>,
    tags: Vec<Link>,
}

fn article_page<'a>(
    n: &'a Network,
    shared: &Shared,
    portal: usize,
    index: usize,
    url: String,
) -> Page<'a> {
    let p = &n.portals[portal];
    let a = &p.news[index];
    let image = a.meta.image.as_deref().map(|i| p.file_url(i));
    let tags = a
        .meta
        .tags
        .iter()
        .filter_map(|t| {
            let slug = crate::vietnamese::slugify(t);
            p.tags
                .iter()
                .find(|g| g.slug == slug)
                .map(|g| Link::new(t.clone(), g.url.clone()))
        })
        .collect();
    let more: Vec<ArticleItem> = p
        .news
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != index)
        .take(5)
        .map(|(_, o)| ArticleItem::new(o, None))
        .collect();
    let view = ArticleView {
        title: &a.meta.title,
        date: (&a.meta.date).into(),
        author: a.meta.author.as_deref(),
        summary: a.meta.summary.as_deref(),
        image_alt: a.meta.image_alt.as_deref(),
        image: image.clone(),
        tags,
    };
    let base = &n.settings.base_url;
    let description = a
        .meta
        .summary
        .clone()
        .unwrap_or_else(|| first_paragraph_text(&a.body, 160));
    let jsonld = json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": a.meta.title,
        "description": description,
        "datePublished": a.meta.date.0.to_rfc3339(),
        "dateModified": a.meta.date.0.to_rfc3339(),
        "inLanguage": "vi",
        "url": format!("{base}{url}"),
        "mainEntityOfPage": format!("{base}{url}"),
        "image": image.as_ref().map(|i| if i.starts_with('/') { format!("{base}{i}") } else { i.clone() }),
        "author": {"@type": if a.meta.author.is_some() { "Person" } else { "GovernmentOrganization" }, "name": a.meta.author.as_deref().unwrap_or(&p.info.name)},
        "publisher": {"@type": "GovernmentOrganization", "name": p.info.name},
    });
    let mut page = Page::new(
        n,
        shared,
        portal,
        "article.html",
        url.clone(),
        a.meta.title.clone(),
    )
    .describe(description)
    .crumb("Tin tức", format!("{}/{}/", p.prefix, routes::NEWS))
    .crumb(a.meta.title.clone(), url)
    .with("article", &view)
    .with("content", &to_html(&a.body))
    .with("more", &more)
    .jsonld(jsonld);
    page.view.og_type = "article";
    page.view.date = Some(a.meta.date.day().to_string());
    if let Some(author) = &a.meta.author {
        page.view.creator = author.clone();
    }
    page
}

#[derive(Serialize)]
struct DocumentItem<'a> {
    number: &'a str,
    kind: &'a str,
    issuer: &'a str,
    issued: DateView,
    summary: &'a str,
    status: &'static str,
    url: &'a str,
}

impl<'a> From<&'a crate::model::Document> for DocumentItem<'a> {
    fn from(d: &'a crate::model::Document) -> Self {
        DocumentItem {
            number: &d.record.number,
            kind: &d.record.kind,
            issuer: &d.record.issuer,
            issued: (&d.record.issued).into(),
            summary: &d.record.summary,
            status: d.record.status.label(),
            url: &d.url,
        }
    }
}

#[derive(Serialize)]
struct Grouping<'a> {
    label: &'static str,
    groups: Vec<GroupItem<'a>>,
}

fn documents<'a>(
    n: &'a Network,
    shared: &Shared,
    portal: usize,
    url: String,
    heading: &str,
    members: &[usize],
) -> Page<'a> {
    let p = &n.portals[portal];
    let list: Vec<DocumentItem> = members
        .iter()
        .map(|&d| DocumentItem::from(&p.documents[d]))
        .collect();
    let groupings: Vec<Grouping> = DocumentGrouping::ALL
        .iter()
        .map(|&g| Grouping {
            label: g.label(),
            groups: p.document_groups(g).iter().map(GroupItem::from).collect(),
        })
        .collect();
    let docs_url = format!("{}/{}/", p.prefix, routes::DOCUMENTS);
    let is_all = url == docs_url;
    let mut page = Page::new(
        n,
        shared,
        portal,
        "documents.html",
        url.clone(),
        heading.to_owned(),
    )
    .crumb("Văn bản", docs_url)
    .with("heading", heading)
    .with("documents", &list)
    .with("groupings", &groupings);
    if !is_all {
        page = page.crumb(heading.to_owned(), url);
    }
    page
}

fn document_page<'a>(
    n: &'a Network,
    shared: &Shared,
    portal: usize,
    index: usize,
    url: String,
) -> Page<'a> {
    let p = &n.portals[portal];
    let d = &p.documents[index];
    let file = d.record.file.as_deref().map(|f| p.file_url(f));
    let mut page = Page::new(
        n,
        shared,
        portal,
        "document.html",
        url.clone(),
        format!("{} {}", d.record.kind, d.record.number),
    )
    .describe(d.record.summary.clone())
    .crumb("Văn bản", format!("{}/{}/", p.prefix, routes::DOCUMENTS))
    .crumb(d.record.number.clone(), url)
    .with("document", &DocumentItem::from(d))
    .with("signer", &d.record.signer)
    .with(
        "effective",
        &d.record.effective.as_ref().map(DateView::from),
    )
    .with("replaced_by", &d.record.replaced_by)
    .with("file", &file);
    page.view.date = Some(d.record.issued.day().to_string());
    page.view.creator = d.record.issuer.clone();
    page
}

fn procedure_list<'a>(
    n: &'a Network,
    shared: &Shared,
    portal: usize,
    url: String,
    heading: &str,
    intro: &str,
    members: &[usize],
) -> Page<'a> {
    let items: Vec<ProcedureItem> = members
        .iter()
        .map(|&i| ProcedureItem::new(&n.procedures[i], n))
        .collect();
    Page::new(
        n,
        shared,
        portal,
        "procedures.html",
        url,
        heading.to_owned(),
    )
    .describe(intro.to_owned())
    .with("heading", heading)
    .with("intro", intro)
    .with("procedures", &items)
}

fn catalogue<'a>(n: &'a Network, shared: &Shared, url: String, heading: &str) -> Page<'a> {
    let facets: Vec<Grouping> = FacetKind::ALL
        .iter()
        .map(|&k| Grouping {
            label: k.label(),
            groups: n.catalogue.facets(k).iter().map(GroupItem::from).collect(),
        })
        .collect();
    Page::new(n, shared, 0, "catalogue.html", url.clone(), heading.to_owned())
        .describe(format!("Danh mục {} thủ tục hành chính của tỉnh, tra cứu theo cơ quan, lĩnh vực, cấp thực hiện và mức độ.", format_number(n.procedures.len() as u64)))
        .crumb(heading.to_owned(), url)
        .with("facets", &facets)
        .with("levels", &level_stats(n))
}

#[derive(Serialize)]
struct StatRow<'a> {
    label: &'a str,
    url: &'a str,
    total: String,
    level2: String,
    level3: String,
    level4: String,
    online_percent: String,
}

fn stat_rows<'a>(n: &Network, groups: &'a [crate::model::Group]) -> Vec<StatRow<'a>> {
    groups
        .iter()
        .map(|g| {
            let count = |l: ServiceLevel| {
                g.members
                    .iter()
                    .filter(|&&i| n.procedures[i].record.level == l)
                    .count() as u64
            };
            let (l2, l3, l4) = (
                count(ServiceLevel::Two),
                count(ServiceLevel::Three),
                count(ServiceLevel::Four),
            );
            let total = g.members.len() as u64;
            StatRow {
                label: &g.label,
                url: &g.url,
                total: format_number(total),
                level2: format_number(l2),
                level3: format_number(l3),
                level4: format_number(l4),
                online_percent: format_percent(l3 + l4, total),
            }
        })
        .collect()
}

fn statistics<'a>(n: &'a Network, shared: &Shared, url: String) -> Page<'a> {
    Page::new(
        n,
        shared,
        0,
        "statistics.html",
        url.clone(),
        "Thống kê dịch vụ công trực tuyến",
    )
    .describe(
        "Số thủ tục hành chính theo mức độ dịch vụ công trực tuyến, theo cơ quan và theo lĩnh vực.",
    )
    .crumb("Dịch vụ công trực tuyến", Route::Catalogue.url(n))
    .crumb("Thống kê", url)
    .with("levels", &level_stats(n))
    .with(
        "tables",
        &[
            StatTable {
                heading: FacetKind::Agency.label(),
                column: "Cơ quan",
                rows: stat_rows(n, &n.catalogue.by_agency),
            },
            StatTable {
                heading: FacetKind::Field.label(),
                column: "Lĩnh vực",
                rows: stat_rows(n, &n.catalogue.by_field),
            },
            StatTable {
                heading: FacetKind::ImplementingLevel.label(),
                column: "Cấp thực hiện",
                rows: stat_rows(n, &n.catalogue.by_implementing_level),
            },
        ],
    )
}

#[derive(Serialize)]
struct StatTable<'a> {
    heading: &'static str,
    column: &'static str,
    rows: Vec<StatRow<'a>>,
}

#[derive(Serialize)]
struct ChannelView<'a> {
    mode: &'static str,
    time: &'a str,
    fee: &'a str,
    notes: Option<&'a str>,
}

#[derive(Serialize)]
struct DossierGroupView<'a> {
    case: Option<&'a str>,
    items: Vec<DossierItemView<'a>>,
}

#[derive(Serialize)]
struct DossierItemView<'a> {
    name: &'a str,
    originals: u32,
    copies: u32,
    form: Option<String>,
}

#[derive(Serialize)]
struct LegalView<'a> {
    number: &'a str,
    summary: &'a str,
    date: DateView,
    issuer: &'a str,
}

fn procedure_page<'a>(n: &'a Network, shared: &Shared, index: usize, url: String) -> Page<'a> {
    let entry = &n.procedures[index];
    let r = &entry.record;
    let owner = &n.portals[entry.owner];
    let channels: Vec<ChannelView> = r
        .channels
        .iter()
        .map(|c| ChannelView {
            mode: c.mode.label(),
            time: &c.time,
            fee: &c.fee,
            notes: c.notes.as_deref(),
        })
        .collect();
    let dossier: Vec<DossierGroupView> = r
        .documents
        .iter()
        .map(|g| DossierGroupView {
            case: g.case.as_deref(),
            items: g
                .items
                .iter()
                .map(|i| DossierItemView {
                    name: &i.name,
                    originals: i.originals,
                    copies: i.copies,
                    form: i.form.as_deref().map(|f| owner.file_url(f)),
                })
                .collect(),
        })
        .collect();
    let legal: Vec<LegalView> = r
        .legal_basis
        .iter()
        .map(|l| LegalView {
            number: &l.number,
            summary: &l.summary,
            date: (&l.date).into(),
            issuer: &l.issuer,
        })
        .collect();
    let related: Vec<Link> = r
        .related
        .iter()
        .filter_map(|code| n.procedures.iter().find(|p| p.record.code.as_str() == code))
        .map(|p| Link::new(p.record.name.clone(), p.url.clone()))
        .collect();
    let applicants: Vec<&str> = r.applicants.iter().map(|a| a.label()).collect();
    let online_url = r.level.is_online().then(|| {
        format!(
            "{}?ma={}",
            n.settings.public_service_url, entry.instance_code
        )
    });
    let description = format!(
        "{} – {}, {}. Mức độ {}.",
        r.name,
        r.field,
        r.implementing_level.label(),
        r.level.number()
    );
    let base = &n.settings.base_url;
    let jsonld = json!({
        "@context": "https://schema.org",
        "@type": "GovernmentService",
        "name": r.name,
        "identifier": entry.instance_code,
        "serviceType": r.field,
        "description": description,
        "url": format!("{base}{url}"),
        "areaServed": {"@type": "AdministrativeArea", "name": "Tỉnh Tiền Giang"},
        "provider": {"@type": "GovernmentOrganization", "name": owner.info.name, "url": format!("{base}{}", owner.url())},
        "audience": applicants.iter().map(|a| json!({"@type": "Audience", "audienceType": a})).collect::<Vec<_>>(),
        "availableChannel": r.channels.iter().map(|c| json!({"@type": "ServiceChannel", "name": c.mode.label(), "processingTime": c.time})).collect::<Vec<_>>(),
    });
    let mut page = Page::new(n, shared, 0, "procedure.html", url.clone(), r.name.clone())
        .describe(description)
        .crumb("Dịch vụ công trực tuyến", Route::Catalogue.url(n))
        .crumb(
            r.field.clone(),
            format!(
                "/{}/{}/{}/",
                routes::CATALOGUE,
                FacetKind::Field.segment(),
                crate::vietnamese::slugify(&r.field)
            ),
        )
        .crumb(r.name.clone(), url)
        .with("procedure", &ProcedureItem::new(entry, n))
        .with("instance_code", &entry.instance_code)
        .with("decision", &r.decision)
        .with("kind", &r.kind)
        .with("agency", &r.agency)
        .with("competent_agency", &r.competent_agency)
        .with("owner", &Link::new(owner.info.name.clone(), owner.url()))
        .with("receiving_address", &r.receiving_address)
        .with("applicants", &applicants)
        .with("steps", &r.steps)
        .with("channels", &channels)
        .with("dossier", &dossier)
        .with("result", &r.result)
        .with("legal_basis", &legal)
        .with("conditions", &r.conditions)
        .with("keywords", &r.keywords)
        .with("related", &related)
        .with("online_class", r.online_class.label())
        .with("online_url", &online_url)
        .jsonld(jsonld);
    page.view.creator = owner.info.name.clone();
    page
}

#[derive(Serialize)]
struct SiteMapSection {
    label: String,
    url: String,
    children: Vec<Link>,
}

fn site_map<'a>(n: &'a Network, shared: &Shared, portal: usize, url: String) -> Page<'a> {
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

#[derive(Serialize)]
struct FeedEntry<'a> {
    title: &'a str,
    url: String,
    updated: String,
    summary: String,
    author: &'a str,
}

fn feed(
    n: &Network,
    shared: &Shared,
    engines: &Engines,
    portal: usize,
    url: String,
    title: &str,
    entries: &[(usize, usize)],
) -> Result<Vec<u8>, RenderError> {
    let base = &n.settings.base_url;
    let items: Vec<FeedEntry> = entries
        .iter()
        .map(|&(pi, a)| {
            let article = &n.portals[pi].news[a];
            FeedEntry {
                title: &article.meta.title,
                url: format!("{base}{}", article.url),
                updated: article.meta.date.0.to_rfc3339(),
                summary: article
                    .meta
                    .summary
                    .clone()
                    .unwrap_or_else(|| first_paragraph_text(&article.body, 300)),
                author: article
                    .meta
                    .author
                    .as_deref()
                    .unwrap_or(&n.portals[pi].info.name),
            }
        })
        .collect();
    let updated = items.first().map_or_else(
        || "2000-01-01T00:00:00+07:00".to_owned(),
        |e| e.updated.clone(),
    );
    let mut context = Context::new();
    context.insert("site", &shared.site);
    context.insert("portal", &shared.portals[portal]);
    context.insert("title", title);
    context.insert("feed_url", &format!("{base}{url}"));
    context.insert("home_url", &format!("{base}{}", n.portals[portal].url()));
    context.insert("updated", &updated);
    context.insert("entries", &items);
    render_file(n, engines, portal, "atom.xml", &context)
}

#[derive(Serialize)]
struct SitemapEntry {
    url: String,
    lastmod: Option<String>,
}

fn sitemap(
    n: &Network,
    shared: &Shared,
    route: &Route,
    engines: &Engines,
) -> Result<Vec<u8>, RenderError> {
    let base = &n.settings.base_url;
    let pages: Vec<Route> = routes::all(n).into_iter().filter(Route::is_page).collect();
    let mut context = Context::new();
    context.insert("site", &shared.site);
    let template = match *route {
        Route::Sitemap if pages.len() > SITEMAP_LIMIT => {
            let parts: Vec<String> = (1..=pages.len().div_ceil(SITEMAP_LIMIT))
                .map(|part| format!("{base}{}", Route::SitemapPart { part }.url(n)))
                .collect();
            context.insert("parts", &parts);
            "sitemap_index.xml"
        }
        _ => {
            let part = match *route {
                Route::SitemapPart { part } => part,
                _ => 1,
            };
            let entries: Vec<SitemapEntry> = pages
                .iter()
                .skip((part - 1) * SITEMAP_LIMIT)
                .take(SITEMAP_LIMIT)
                .map(|r| SitemapEntry {
                    url: format!("{base}{}", r.url(n)),
                    lastmod: match *r {
                        Route::Article { portal, article } => {
                            Some(n.portals[portal].news[article].meta.date.day().to_string())
                        }
                        _ => None,
                    },
                })
                .collect();
            context.insert("entries", &entries);
            "sitemap.xml"
        }
    };
    render_file(n, engines, 0, template, &context)
}
