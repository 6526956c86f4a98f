//! Changing one article of an assembled [`Network`] in place, for the editor's loop: the new
//! version takes the old one's place, the portal's news is sorted again and the network's
//! latest news with it, and the article's links and image are checked as a build would.
//!
//! Only edits that keep the network's shape are taken here: the same URL, and the same tags in
//! the portal. Anything else changes pages beyond the article's own lists, and is the business
//! of a full build; [`replace_article`] says so rather than guessing.

use std::path::Path;

use super::assemble::{check_article, latest_news, news_tags, sort_news, LinkTargets};
use super::{Article, Network};
use crate::diagnostics::Diagnostic;

/// What an edit of one article changed, for deciding which pages to render again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleEdit {
    /// The portal.
    pub portal: usize,
    /// The article's place in the portal's news before the edit.
    pub before: usize,
    /// Its place after.
    pub after: usize,
    /// Tag labels before and after (their pages list the article).
    pub tags: Vec<String>,
    /// Whether the article's tags changed (tag counts are shown beside news lists).
    pub tags_changed: bool,
    /// Whether the date changed (the sitemap and feeds show it).
    pub date_changed: bool,
    /// Whether what lists show of it changed: title, date or summary.
    pub listed_changed: bool,
}

/// Why an edit is not taken in place.
#[derive(Debug)]
pub enum EditRefused {
    /// The new version breaks the content contract.
    Invalid(Vec<Diagnostic>),
    /// The edit changes more than the article (its URL, or the portal's set of tags), or the
    /// file is not an article of the network: build the whole network instead.
    NeedsFullBuild,
}

/// Finds the article read from `path`: (portal, index).
pub fn find_article(network: &Network, path: &Path) -> Option<(usize, usize)> {
    network.portals.iter().enumerate().find_map(|(p, portal)| {
        portal
            .news
            .iter()
            .position(|a| a.source.at.path == path)
            .map(|a| (p, a))
    })
}

/// Whether the last build read `path` (as the content folder names it): a file whose removal
/// changes the site, unlike an editor's temporary file that came and went.
pub fn is_source(network: &Network, path: &Path) -> bool {
    network.portals.iter().any(|p| {
        p.at.path == path
            || p.news.iter().any(|a| a.source.at.path == path)
            || p.pages.iter().any(|a| a.source.at.path == path)
            || p.documents.iter().any(|d| d.at.path == path)
            || p.assets.iter().any(|a| a.source == path)
            || p.theme_overrides
                .as_ref()
                .is_some_and(|t| path.starts_with(t))
    }) || network.procedures.iter().any(|p| p.at.path == path)
}

/// Puts `article`, read again from the file of an article of `network`, in its place.
/// `targets` are the network's link targets (they do not change in an edit taken here).
/// When the edit needs a full build, `network` may hold the new article already: build anew.
pub fn replace_article(
    network: &mut Network,
    targets: &LinkTargets,
    mut article: Article,
) -> Result<ArticleEdit, EditRefused> {
    let (portal, before) =
        find_article(network, &article.source.at.path).ok_or(EditRefused::NeedsFullBuild)?;
    let p = &mut network.portals[portal];
    let old = &p.news[before];
    article.url = format!("{}/{}/{}/", p.prefix, super::routes::NEWS, article.slug);
    if article.url != old.url {
        return Err(EditRefused::NeedsFullBuild);
    }
    let mut problems = Vec::new();
    check_article(targets, p, &article, &mut problems);
    if !problems.is_empty() {
        return Err(EditRefused::Invalid(problems));
    }
    let date_changed = article.meta.date != old.meta.date;
    let tags_changed = article.meta.tags != old.meta.tags;
    let listed_changed = date_changed
        || article.meta.title != old.meta.title
        || article.meta.summary != old.meta.summary;
    let mut tags = old.meta.tags.clone();
    tags.extend(article.meta.tags.iter().cloned());
    tags.sort();
    tags.dedup();

    p.news[before] = article;
    let mut after = before;
    if date_changed {
        let url = p.news[before].url.clone();
        sort_news(&mut p.news);
        after = p
            .news
            .iter()
            .position(|a| a.url == url)
            .expect("it is in the news");
    }
    if date_changed || tags_changed {
        // Tags list their articles by place in the news, and by label.
        let tags = news_tags(&p.news, &p.prefix);
        let same_set = tags.len() == p.tags.len()
            && tags
                .iter()
                .zip(&p.tags)
                .all(|(a, b)| a.slug == b.slug && a.label == b.label);
        if !same_set {
            return Err(EditRefused::NeedsFullBuild);
        }
        p.tags = tags;
    }
    if date_changed {
        network.latest_news = latest_news(&network.portals);
    }
    Ok(ArticleEdit {
        portal,
        before,
        after,
        tags,
        tags_changed,
        date_changed,
        listed_changed,
    })
}
