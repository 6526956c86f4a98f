//! The server-rendered results page, `/tim-kiem`: the theme's `search.html` around the hits,
//! with facet filters as links, pagination, "did you mean", and, on a component portal, a link
//! to widen the search to the whole network. Works without JavaScript.

use std::collections::BTreeMap;

use serde::Serialize;
use tera::{Context, Tera};

use crate::render::{engine, RenderError, SearchShell};
use crate::search::{Kind, Results, SearchRequest};
use crate::vietnamese::format_number;

/// The compiled results page.
pub struct ResultsPage {
    /// The main portal's theme.
    tera: Tera,
    /// The themes of the portals that wear their own, by slug.
    own: BTreeMap<String, Tera>,
    shell: SearchShell,
}

#[derive(Serialize)]
struct Link {
    label: String,
    url: String,
    count: String,
    active: bool,
}

#[derive(Serialize)]
struct FacetGroup {
    label: &'static str,
    links: Vec<Link>,
}

#[derive(Serialize)]
struct HitView<'a> {
    title: &'a str,
    url: &'a str,
    kind: &'static str,
    portal: &'a str,
    date: String,
    code: Option<&'a str>,
    snippet: &'a str,
}

/// `/tim-kiem?…` with `changes` applied to the request's parameters (a `None` value drops it);
/// any change but the page goes back to page 1.
fn search_url(request: &SearchRequest, changes: &[(&str, Option<String>)]) -> String {
    let mut params: Vec<(&str, String)> = vec![("q", request.q.clone())];
    let filters = [
        ("portal", request.portal.clone()),
        ("kind", request.kind.clone()),
        ("agency", request.agency.clone()),
        ("field", request.field.clone()),
        ("level", request.level.map(|l| l.to_string())),
    ];
    params.extend(filters.into_iter().filter_map(|(k, v)| Some((k, v?))));
    let mut page = Some(request.page.max(1).to_string()).filter(|p| p != "1");
    for (key, value) in changes {
        params.retain(|(k, _)| k != key);
        if *key == "page" {
            page = value.clone().filter(|p| p != "1");
        } else {
            page = None;
            if let Some(v) = value {
                params.push((key, v.clone()));
            }
        }
    }
    if let Some(p) = page {
        params.push(("page", p));
    }
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params.iter().filter(|(_, v)| !v.is_empty()))
        .finish();
    format!("/tim-kiem?{query}")
}

impl ResultsPage {
    /// Compiles the shell's templates.
    pub fn new(shell: SearchShell) -> Result<Self, RenderError> {
        let tera = engine(&shell.templates, "the results page's theme")?;
        let mut own = BTreeMap::new();
        for (slug, templates) in &shell.own_templates {
            own.insert(
                slug.clone(),
                engine(templates, &format!("{slug}'s results page"))?,
            );
        }
        Ok(ResultsPage { tera, own, shell })
    }

    fn label(&self, dimension: &str, value: &str) -> String {
        match dimension {
            "kind" => Kind::parse(value).map_or(value.to_owned(), |k| k.label().to_owned()),
            "level" => format!("Mức độ {value}"),
            _ => self
                .shell
                .labels
                .get(value)
                .cloned()
                .unwrap_or_else(|| value.to_owned()),
        }
    }

    fn facet_group(
        &self,
        request: &SearchRequest,
        label: &'static str,
        dimension: &str,
        counts: &[(String, u64)],
        current: Option<String>,
    ) -> FacetGroup {
        let links = counts
            .iter()
            .take(12)
            .map(|(value, count)| {
                let active = current.as_deref() == Some(value.as_str());
                Link {
                    label: self.label(dimension, value),
                    url: search_url(request, &[(dimension, (!active).then(|| value.clone()))]),
                    count: format_number(*count),
                    active,
                }
            })
            .collect();
        FacetGroup { label, links }
    }

    /// The page for `results` of `request`, in the theme of the portal it is scoped to.
    pub fn render(
        &self,
        request: &SearchRequest,
        results: &Results,
    ) -> Result<String, RenderError> {
        let scope = request
            .portal
            .as_deref()
            .filter(|p| self.shell.portals.contains_key(*p) && **p != self.shell.main_portal);
        let portal_slug = scope.unwrap_or(&self.shell.main_portal);
        let q = results.query.as_str();
        let title = if q.is_empty() {
            "Tìm kiếm".to_owned()
        } else {
            format!("Tìm kiếm: {q}")
        };
        let url = search_url(request, &[]);
        let mut context = Context::new();
        context.insert("site", &self.shell.site);
        context.insert("portal", &self.shell.portals[portal_slug]);
        context.insert(
            "page",
            &serde_json::json!({
                "title": title,
                "description": "Tìm kiếm tin tức, văn bản và thủ tục hành chính trên cổng thông tin.",
                "url": url,
                "canonical": format!("{}{url}", self.shell.base_url),
                "breadcrumbs": [{"label": "Trang chủ", "url": "/"}],
                "og_type": "website",
                "jsonld": "{\"@context\":\"https://schema.org\",\"@type\":\"SearchResultsPage\",\"inLanguage\":\"vi\"}",
                "creator": self.shell.site["name"],
            }),
        );
        let hits: Vec<HitView> = results
            .hits
            .iter()
            .map(|h| HitView {
                title: &h.title,
                url: &h.url,
                kind: h.kind.label(),
                portal: &h.portal_name,
                date: chrono::NaiveDate::parse_from_str(&h.date, "%Y-%m-%d")
                    .map(crate::vietnamese::format_date)
                    .unwrap_or_default(),
                code: h.code.as_deref(),
                snippet: &h.snippet,
            })
            .collect();
        let per_page = request.per_page.clamp(1, crate::search::MAX_PER_PAGE);
        let pages = results.total.div_ceil(per_page).max(1);
        let page = request.page.max(1);
        let facets = [
            self.facet_group(
                request,
                "Loại nội dung",
                "kind",
                &results.facets.kind,
                request.kind.clone(),
            ),
            self.facet_group(
                request,
                "Lĩnh vực",
                "field",
                &results.facets.field,
                request.field.clone(),
            ),
            self.facet_group(
                request,
                "Mức độ dịch vụ công",
                "level",
                &results.facets.level,
                request.level.map(|l| l.to_string()),
            ),
            self.facet_group(
                request,
                "Cơ quan",
                "agency",
                &results.facets.agency,
                request.agency.clone(),
            ),
            self.facet_group(
                request,
                "Cổng thông tin",
                "portal",
                &results.facets.portal,
                request.portal.clone(),
            ),
        ];
        context.insert("q", q);
        context.insert("hits", &hits);
        context.insert("total", &format_number(results.total as u64));
        context.insert("facets", &facets);
        context.insert(
            "suggestion",
            &results.suggestion.as_ref().map(|s| {
                (
                    s,
                    search_url(
                        &SearchRequest {
                            q: s.clone(),
                            ..request.clone()
                        },
                        &[],
                    ),
                )
            }),
        );
        context.insert("corrected", &results.corrected);
        context.insert(
            "scope",
            &scope.map(|s| self.shell.labels.get(s).cloned().unwrap_or_default()),
        );
        context.insert(
            "widen_url",
            &scope.map(|_| search_url(request, &[("portal", None)])),
        );
        context.insert(
            "prev_url",
            &(page > 1).then(|| search_url(request, &[("page", Some((page - 1).to_string()))])),
        );
        context.insert(
            "next_url",
            &(page < pages).then(|| search_url(request, &[("page", Some((page + 1).to_string()))])),
        );
        context.insert("page_number", &page);
        context.insert("page_count", &pages);
        self.own
            .get(portal_slug)
            .unwrap_or(&self.tera)
            .render("search.html", &context)
            .map_err(|source| RenderError::Template {
                what: "search.html".to_owned(),
                source,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_urls_keep_filters_encode_values_and_reset_the_page() {
        let request = SearchRequest {
            q: "thủ tục & xã".into(),
            kind: Some("procedure".into()),
            page: 3,
            ..Default::default()
        };
        assert_eq!(
            search_url(&request, &[]),
            "/tim-kiem?q=th%E1%BB%A7+t%E1%BB%A5c+%26+x%C3%A3&kind=procedure&page=3"
        );
        assert_eq!(
            search_url(&request, &[("kind", None)]),
            "/tim-kiem?q=th%E1%BB%A7+t%E1%BB%A5c+%26+x%C3%A3"
        );
        assert_eq!(
            search_url(&request, &[("page", Some("4".into()))]),
            "/tim-kiem?q=th%E1%BB%A7+t%E1%BB%A5c+%26+x%C3%A3&kind=procedure&page=4"
        );
    }
}
