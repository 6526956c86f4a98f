//! One function per kind of route: which template renders it and with which values. This file
//! holds what every page shares and the dispatch; the kinds live in the files below it.

mod documents;
mod files;
mod news;
mod portal;
mod services;

pub use news::routes_showing;

use serde::Serialize;
use serde_json::json;
use tera::Context;

use super::markdown::{first_paragraph_text, to_html};
use super::templates::Engines;
use super::views::*;
use super::RenderError;
use crate::model::routes::{self, Route};
use crate::model::{Network, PortalKind, NEWS_PER_PAGE};
use crate::vietnamese::format_number;

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
        Route::Home { portal } => portal::home(n, shared, portal, url).render(engines),
        Route::NewsList { portal, page } => {
            let p = &n.portals[portal];
            let items: Vec<usize> = (0..p.news.len()).collect();
            news::news_list(
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
            news::news_list(
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
            news::article_page(n, shared, portal, article, url).render(engines)
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
            documents::documents(n, shared, portal, url, "Văn bản", &all).render(engines)
        }
        Route::DocumentGroup {
            portal,
            grouping,
            group,
        } => {
            let g = &n.portals[portal].document_groups(grouping)[group];
            documents::documents(
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
            documents::document_page(n, shared, portal, document, url).render(engines)
        }
        Route::PortalProcedures { portal } => {
            if n.portals[portal].info.kind == PortalKind::Main {
                services::catalogue(n, shared, url, "Thủ tục hành chính").render(engines)
            } else {
                let list = n.procedures_of(portal);
                let p = &n.portals[portal];
                let intro = match p.info.kind {
                    PortalKind::District => {
                        "Thủ tục hành chính cấp huyện và cấp xã áp dụng trên địa bàn.".to_owned()
                    }
                    _ => format!("Thủ tục hành chính thuộc thẩm quyền của {}.", p.info.name),
                };
                services::procedure_list(
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
        Route::SiteMap { portal } => portal::site_map(n, shared, portal, url).render(engines),
        Route::Feed { portal } => {
            let p = &n.portals[portal];
            let entries: Vec<(usize, usize)> = (0..p.news.len().min(NEWS_PER_PAGE))
                .map(|a| (portal, a))
                .collect();
            files::feed(n, shared, engines, portal, url, &p.info.name, &entries)
        }
        Route::NetworkFeed => {
            let entries: Vec<(usize, usize)> = n
                .latest_news
                .iter()
                .take(2 * NEWS_PER_PAGE)
                .copied()
                .collect();
            files::feed(n, shared, engines, 0, url, &n.settings.name, &entries)
        }
        Route::Catalogue => {
            services::catalogue(n, shared, url, "Dịch vụ công trực tuyến").render(engines)
        }
        Route::Facet { kind, facet } => {
            let g = &n.catalogue.facets(kind)[facet];
            let intro = format!(
                "{} thủ tục hành chính.",
                format_number(g.members.len() as u64)
            );
            services::procedure_list(n, shared, 0, url, &g.label, &intro, &g.members)
                .crumb("Dịch vụ công trực tuyến", Route::Catalogue.url(n))
                .crumb(g.label.clone(), g.url.clone())
                .render(engines)
        }
        Route::Statistics => services::statistics(n, shared, url).render(engines),
        Route::Procedure { procedure } => {
            services::procedure_page(n, shared, procedure, url).render(engines)
        }
        Route::Sitemap | Route::SitemapPart { .. } => files::sitemap(n, shared, route, engines),
        Route::Robots => plain(n, shared, engines, "robots.txt"),
        Route::NotFound => {
            Page::new(n, shared, 0, "404.html", url, "Không tìm thấy trang").render(engines)
        }
        Route::OpenSearch => plain(n, shared, engines, "opensearch.xml"),
    }
}

/// Renders a file that is not an HTML page (feeds, sitemaps, robots.txt …).
pub(super) fn render_file(
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
