//! News: paginated lists (all news, one tag) and article pages.

use serde::Serialize;
use serde_json::json;

use super::Page;
use crate::model::routes::{self, page_count, Route};
use crate::model::{ArticleEdit, Network, NEWS_PER_PAGE};
use crate::render::markdown::{first_paragraph_text, to_html};
use crate::render::views::*;
use crate::vietnamese::slugify;

#[allow(clippy::too_many_arguments)]
pub(super) fn news_list<'a>(
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
    let mut page_view = Page::new(n, shared, portal, "news_list.html", url, title)
        .crumb("Tin tức", format!("{}/{}/", p.prefix, routes::NEWS))
        .with("heading", heading)
        .with("articles", &articles)
        .with("pagination", &Pagination::new(first, page, total))
        .with("tags", &shared.top_tags[portal]);
    if first != format!("{}/{}/", p.prefix, routes::NEWS) {
        page_view = page_view.crumb(heading.to_owned(), first.to_owned());
    }
    page_view
}

#[derive(Serialize)]
pub(super) struct ArticleView<'a> {
    title: &'a str,
    date: DateView,
    author: Option<&'a str>,
    summary: Option<&'a str>,
    image: Option<String>,
    image_alt: Option<&'a str>,
    tags: Vec<Link>,
}

pub(super) fn article_page<'a>(
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
        .map(|t| Link::new(t.clone(), p.tag_url(t)))
        .collect();
    let more: Vec<ArticleItem> = p
        .news
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != index)
        .take(MORE_NEWS)
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

/// Latest articles of its portal shown under an article.
const MORE_NEWS: usize = 5;

/// Every route whose page shows the article `edit` changed, in the network as it is after the
/// edit: the article and the feeds; when what lists show of it changed (title, date, summary)
/// or its tags, also the other articles that list it under "more news", the pages of the
/// portal's news list and of its tags that hold it (all of them when its tags changed, for the
/// tag counts beside every list), the homes, and the sitemap when its date changed.
pub fn routes_showing(n: &Network, edit: &ArticleEdit) -> Vec<Route> {
    let portal = edit.portal;
    let own = [
        Route::Article {
            portal,
            article: edit.after,
        },
        Route::Feed { portal },
        Route::NetworkFeed,
    ];
    if !edit.listed_changed && !edit.tags_changed {
        return own.to_vec();
    }
    let p = &n.portals[portal];
    let (lo, hi) = (edit.before.min(edit.after), edit.before.max(edit.after));
    let mut out = own.to_vec();
    if lo <= MORE_NEWS {
        out.extend((0..p.news.len()).map(|article| Route::Article { portal, article }));
    }
    let pages = |items: usize| page_count(items, NEWS_PER_PAGE);
    let news_pages = if edit.tags_changed {
        1..=pages(p.news.len())
    } else {
        lo / NEWS_PER_PAGE + 1..=hi / NEWS_PER_PAGE + 1
    };
    out.extend(news_pages.map(|page| Route::NewsList { portal, page }));
    for (tag, t) in p.tags.iter().enumerate() {
        if edit.tags_changed || edit.tags.iter().any(|label| slugify(label) == t.slug) {
            out.extend((1..=pages(t.members.len())).map(|page| Route::TagList {
                portal,
                tag,
                page,
            }));
        }
    }
    if edit.tags_changed {
        out.push(Route::SiteMap { portal });
    }
    out.extend([Route::Home { portal }, Route::Home { portal: 0 }]);
    if edit.date_changed {
        out.extend(
            routes::all(n)
                .into_iter()
                .filter(|r| matches!(r, Route::Sitemap | Route::SitemapPart { .. })),
        );
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|r| seen.insert(*r));
    out
}
