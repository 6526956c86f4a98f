//! Files that are not HTML pages: Atom feeds and sitemaps.

use serde::Serialize;

use tera::Context;

use super::render_file;
use crate::model::routes::{Route, SITEMAP_LIMIT};
use crate::model::Network;
use crate::render::markdown::first_paragraph_text;
use crate::render::templates::Engines;
use crate::render::views::*;
use crate::render::RenderError;

#[derive(Serialize)]
pub(super) struct FeedEntry<'a> {
    title: &'a str,
    url: String,
    updated: String,
    summary: String,
    author: &'a str,
}

pub(super) fn feed(
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
pub(super) struct SitemapEntry {
    url: String,
    lastmod: Option<String>,
}

pub(super) fn sitemap(
    n: &Network,
    shared: &Shared,
    route: &Route,
    engines: &Engines,
) -> Result<Vec<u8>, RenderError> {
    let base = &n.settings.base_url;
    let pages: Vec<&Route> = shared.routes.iter().filter(|r| r.is_page()).collect();
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
                    lastmod: match **r {
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
