//! Every page and file the network publishes, as a [`Route`], with its URL and output path.
//!
//! This is the single map of the site: `render` renders exactly these routes, the sitemap lists
//! them, and link checking resolves against them. Routes hold indices into the [`Network`], so
//! they are cheap to make and to send across threads.

use super::{Network, NEWS_PER_PAGE};

/// Segment of a portal's news section.
pub const NEWS: &str = "tin-tuc";
/// Segment of a portal's documents section.
pub const DOCUMENTS: &str = "van-ban";
/// Segment of the procedure pages (network-wide) and of a portal's procedure list.
pub const PROCEDURES: &str = "thu-tuc";
/// Segment of the human-readable site map.
pub const SITE_MAP: &str = "so-do-cong";
/// Segment of the public-service catalogue.
pub const CATALOGUE: &str = "dich-vu-cong";
/// Segment of the search page, served by the search endpoint.
pub const SEARCH: &str = "tim-kiem";
/// Segment of a portal's published files.
pub const ASSETS: &str = "assets";
/// Segment of theme files.
pub const STATIC: &str = "static";

/// Segments that no portal slug or page slug may take.
pub const RESERVED: [&str; 8] = [
    NEWS, DOCUMENTS, PROCEDURES, SITE_MAP, CATALOGUE, SEARCH, ASSETS, STATIC,
];

/// Which list of the catalogue a facet page belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FacetKind {
    /// By owning agency.
    Agency,
    /// By field.
    Field,
    /// By implementing level.
    ImplementingLevel,
    /// By online service level.
    ServiceLevel,
}

impl FacetKind {
    /// Every kind, in display order.
    pub const ALL: [FacetKind; 4] = [
        FacetKind::Agency,
        FacetKind::Field,
        FacetKind::ImplementingLevel,
        FacetKind::ServiceLevel,
    ];

    /// URL segment under `/dich-vu-cong/`.
    pub fn segment(self) -> &'static str {
        match self {
            FacetKind::Agency => "co-quan",
            FacetKind::Field => "linh-vuc",
            FacetKind::ImplementingLevel => "cap-thuc-hien",
            FacetKind::ServiceLevel => "muc-do",
        }
    }

    /// Heading of the list of facets.
    pub fn label(self) -> &'static str {
        match self {
            FacetKind::Agency => "Theo cơ quan",
            FacetKind::Field => "Theo lĩnh vực",
            FacetKind::ImplementingLevel => "Theo cấp thực hiện",
            FacetKind::ServiceLevel => "Theo mức độ dịch vụ công trực tuyến",
        }
    }
}

/// Which grouping of a portal's documents a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocumentGrouping {
    /// By type of document.
    Type,
    /// By issuing body.
    Issuer,
    /// By year of issue.
    Year,
}

impl DocumentGrouping {
    /// Every grouping, in display order.
    pub const ALL: [DocumentGrouping; 3] = [
        DocumentGrouping::Type,
        DocumentGrouping::Issuer,
        DocumentGrouping::Year,
    ];

    /// URL segment under `<portal>/van-ban/`.
    pub fn segment(self) -> &'static str {
        match self {
            DocumentGrouping::Type => "loai",
            DocumentGrouping::Issuer => "co-quan-ban-hanh",
            DocumentGrouping::Year => "nam",
        }
    }

    /// Heading of the grouping.
    pub fn label(self) -> &'static str {
        match self {
            DocumentGrouping::Type => "Loại văn bản",
            DocumentGrouping::Issuer => "Cơ quan ban hành",
            DocumentGrouping::Year => "Năm ban hành",
        }
    }
}

/// One published page or file. Fields are indices into the [`Network`], named for what they
/// index (`portal` into `portals`, `article` into that portal's `news` …); pages of a
/// paginated list count from 1.
#[allow(missing_docs)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Route {
    /// A portal's home page.
    Home { portal: usize },
    /// One page of a portal's news list.
    NewsList { portal: usize, page: usize },
    /// One article.
    Article { portal: usize, article: usize },
    /// One page of a tag's articles.
    TagList {
        portal: usize,
        tag: usize,
        page: usize,
    },
    /// A static page.
    Page { portal: usize, page: usize },
    /// A portal's documents, with the groupings.
    Documents { portal: usize },
    /// The documents of one group (a type, an issuer, a year).
    DocumentGroup {
        portal: usize,
        grouping: DocumentGrouping,
        group: usize,
    },
    /// One document.
    Document { portal: usize, document: usize },
    /// The procedures a portal lists.
    PortalProcedures { portal: usize },
    /// A portal's human-readable site map.
    SiteMap { portal: usize },
    /// A portal's Atom feed.
    Feed { portal: usize },
    /// The network's Atom feed (every portal's news).
    NetworkFeed,
    /// The public-service catalogue.
    Catalogue,
    /// One facet of the catalogue.
    Facet { kind: FacetKind, facet: usize },
    /// Statistics of the catalogue.
    Statistics,
    /// One procedure.
    Procedure { procedure: usize },
    /// `sitemap.xml`: the whole list, or the index when the list is split.
    Sitemap,
    /// One part of a split sitemap.
    SitemapPart { part: usize },
    /// `robots.txt`.
    Robots,
    /// `404.html`.
    NotFound,
    /// `opensearch.xml`: lets browsers add the network as a search engine.
    OpenSearch,
}

/// URLs per sitemap file, the limit of the sitemaps protocol.
pub const SITEMAP_LIMIT: usize = 50_000;

impl Route {
    /// Site-absolute URL (pages end with `/`).
    pub fn url(&self, n: &Network) -> String {
        let prefix = |p: usize| n.portals[p].prefix.as_str();
        match *self {
            Route::Home { portal } => format!("{}/", prefix(portal)),
            Route::NewsList { portal, page } => paged(&format!("{}/{NEWS}/", prefix(portal)), page),
            Route::Article { portal, article } => n.portals[portal].news[article].url.clone(),
            Route::TagList { portal, tag, page } => {
                let tag = &n.portals[portal].tags[tag];
                paged(
                    &format!("{}/{NEWS}/the/{}/", prefix(portal), tag.slug),
                    page,
                )
            }
            Route::Page { portal, page } => n.portals[portal].pages[page].url.clone(),
            Route::Documents { portal } => format!("{}/{DOCUMENTS}/", prefix(portal)),
            Route::DocumentGroup {
                portal,
                grouping,
                group,
            } => {
                let slug = &n.portals[portal].document_groups(grouping)[group].slug;
                format!(
                    "{}/{DOCUMENTS}/{}/{slug}/",
                    prefix(portal),
                    grouping.segment()
                )
            }
            Route::Document { portal, document } => {
                n.portals[portal].documents[document].url.clone()
            }
            Route::PortalProcedures { portal } => format!("{}/{PROCEDURES}/", prefix(portal)),
            Route::SiteMap { portal } => format!("{}/{SITE_MAP}/", prefix(portal)),
            Route::Feed { portal } => format!("{}/{NEWS}/atom.xml", prefix(portal)),
            Route::NetworkFeed => "/atom.xml".to_owned(),
            Route::Catalogue => format!("/{CATALOGUE}/"),
            Route::Facet { kind, facet } => n.catalogue.facets(kind)[facet].url.clone(),
            Route::Statistics => format!("/{CATALOGUE}/thong-ke/"),
            Route::Procedure { procedure } => n.procedures[procedure].url.clone(),
            Route::Sitemap => "/sitemap.xml".to_owned(),
            Route::SitemapPart { part } => format!("/sitemap-{part}.xml"),
            Route::Robots => "/robots.txt".to_owned(),
            Route::NotFound => "/404.html".to_owned(),
            Route::OpenSearch => "/opensearch.xml".to_owned(),
        }
    }

    /// Whether the route is an HTML page listed in the sitemap.
    pub fn is_page(&self) -> bool {
        !matches!(
            self,
            Route::Feed { .. }
                | Route::NetworkFeed
                | Route::Sitemap
                | Route::SitemapPart { .. }
                | Route::Robots
                | Route::NotFound
                | Route::OpenSearch
        )
    }
}

/// The output file of a URL, relative to the site folder: `/a/b/` → `a/b/index.html`.
pub fn output_path(url: &str) -> String {
    let rel = url.trim_start_matches('/');
    if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_owned()
    }
}

/// URL of the first page of a news tag with this slug, in the portal with this prefix.
pub fn tag_url(prefix: &str, slug: &str) -> String {
    format!("{prefix}/{NEWS}/the/{slug}/")
}

/// URL of page `page` of a list whose first page is at `first`.
pub fn paged(first: &str, page: usize) -> String {
    if page <= 1 {
        first.to_owned()
    } else {
        format!("{first}trang/{page}/")
    }
}

/// Number of pages a list of `items` takes, at least one.
pub fn page_count(items: usize, per_page: usize) -> usize {
    items.div_ceil(per_page).max(1)
}

/// Every route of the network, in a stable order: portal by portal, then the catalogue, then
/// the files of the whole site.
pub fn all(n: &Network) -> Vec<Route> {
    let mut routes = Vec::new();
    for (portal, p) in n.portals.iter().enumerate() {
        routes.push(Route::Home { portal });
        let pages = page_count(p.news.len(), NEWS_PER_PAGE);
        routes.extend((1..=pages).map(|page| Route::NewsList { portal, page }));
        routes.extend((0..p.news.len()).map(|article| Route::Article { portal, article }));
        for (tag, t) in p.tags.iter().enumerate() {
            let pages = page_count(t.members.len(), NEWS_PER_PAGE);
            routes.extend((1..=pages).map(|page| Route::TagList { portal, tag, page }));
        }
        routes.extend((0..p.pages.len()).map(|page| Route::Page { portal, page }));
        routes.push(Route::Documents { portal });
        for grouping in DocumentGrouping::ALL {
            let groups = p.document_groups(grouping).len();
            routes.extend((0..groups).map(|group| Route::DocumentGroup {
                portal,
                grouping,
                group,
            }));
        }
        routes.extend((0..p.documents.len()).map(|document| Route::Document { portal, document }));
        routes.push(Route::PortalProcedures { portal });
        routes.push(Route::SiteMap { portal });
        routes.push(Route::Feed { portal });
    }
    routes.push(Route::Catalogue);
    for kind in FacetKind::ALL {
        let facets = n.catalogue.facets(kind).len();
        routes.extend((0..facets).map(|facet| Route::Facet { kind, facet }));
    }
    routes.push(Route::Statistics);
    routes.extend((0..n.procedures.len()).map(|procedure| Route::Procedure { procedure }));
    routes.push(Route::NetworkFeed);
    let pages = routes.iter().filter(|r| r.is_page()).count();
    routes.push(Route::Sitemap);
    if pages > SITEMAP_LIMIT {
        let parts = pages.div_ceil(SITEMAP_LIMIT);
        routes.extend((1..=parts).map(|part| Route::SitemapPart { part }));
    }
    routes.extend([Route::Robots, Route::NotFound, Route::OpenSearch]);
    routes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directory_urls_become_index_files() {
        assert_eq!(output_path("/"), "index.html");
        assert_eq!(
            output_path("/so-y-te/tin-tuc/"),
            "so-y-te/tin-tuc/index.html"
        );
        assert_eq!(output_path("/sitemap.xml"), "sitemap.xml");
    }

    #[test]
    fn first_page_of_a_list_has_no_page_segment() {
        assert_eq!(paged("/tin-tuc/", 1), "/tin-tuc/");
        assert_eq!(paged("/tin-tuc/", 3), "/tin-tuc/trang/3/");
    }

    #[test]
    fn an_empty_list_still_has_one_page() {
        assert_eq!(page_count(0, 20), 1);
        assert_eq!(page_count(20, 20), 1);
        assert_eq!(page_count(21, 20), 2);
    }
}
