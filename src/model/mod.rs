//! The network as one typed value: portals with their news, pages and documents, the
//! procedure catalogue, and the views derived from them (tags, catalogue facets, statistics),
//! each item with its URL.
//!
//! `model` decides *what* is published and *where* (URLs, see [`routes`]); it checks the rules
//! that span files (duplicates, links, related codes). It must not read files (that is
//! `content`) nor decide how a page looks (that is `render`).

mod assemble;
pub mod records;
pub mod routes;
mod theme;
mod update;

use std::collections::HashMap;
use std::path::PathBuf;

use crate::diagnostics::Location;
pub use assemble::{assemble, LinkTargets, PortalSource};
pub use records::*;
pub use routes::{DocumentGrouping, FacetKind, Route};
pub use theme::{Theme, Themes};
pub use update::{find_article, is_source, replace_article, ArticleEdit, EditRefused};

/// The markdown flavour of the content contract: CommonMark with GFM tables, footnotes and
/// strikethrough. Reading (link checks) and rendering use this one set.
pub fn markdown_options() -> pulldown_cmark::Options {
    use pulldown_cmark::Options;
    Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH
}

/// Articles per page of a news list or a tag page.
pub const NEWS_PER_PAGE: usize = 20;

/// The whole portal network, ready to render.
#[derive(Debug)]
pub struct Network {
    /// `network.yaml`, with `base_url` resolved (no trailing slash).
    pub settings: NetworkSettings,
    /// The main portal first, then departments and districts, each in Vietnamese order.
    pub portals: Vec<Portal>,
    /// Every procedure of the network, in Vietnamese order of name.
    pub procedures: Vec<ProcedureEntry>,
    /// Catalogue facets and counts.
    pub catalogue: Catalogue,
    /// Indices into [`Network::procedures`] carried out at district or commune level: listed
    /// on every district portal.
    pub local_procedures: Vec<usize>,
    /// Every article of every portal, newest first, as (portal, article) indices.
    pub latest_news: Vec<(usize, usize)>,
    /// Index into [`Network::procedures`] by code.
    pub procedure_by_code: HashMap<String, usize>,
}

impl Network {
    /// The procedure with this code, if there is one.
    pub fn procedure(&self, code: &str) -> Option<&ProcedureEntry> {
        self.procedure_by_code
            .get(code)
            .map(|&i| &self.procedures[i])
    }

    /// The portal published at `/`.
    pub fn main_portal(&self) -> &Portal {
        &self.portals[0]
    }

    /// Procedures a portal lists: its own for a department, the local ones for a district,
    /// all of them for the main portal.
    pub fn procedures_of(&self, portal: usize) -> Vec<usize> {
        match self.portals[portal].info.kind {
            PortalKind::Main => (0..self.procedures.len()).collect(),
            PortalKind::Department => self.portals[portal].procedures.clone(),
            PortalKind::District => self.local_procedures.clone(),
        }
    }
}

/// One portal of the network.
#[derive(Debug)]
pub struct Portal {
    /// Folder name under `content/portals/`.
    pub slug: String,
    /// URL prefix: empty for the main portal, `/<slug>` for the others.
    pub prefix: String,
    /// `portal.yaml`.
    pub info: PortalInfo,
    /// Where `portal.yaml` is.
    pub at: Location,
    /// Static pages, by weight.
    pub pages: Vec<Page>,
    /// News, newest first.
    pub news: Vec<Article>,
    /// Tags of the news, in Vietnamese order; members index [`Portal::news`].
    pub tags: Vec<Group>,
    /// Documents, newest first.
    pub documents: Vec<Document>,
    /// The documents by type, issuer and year.
    pub document_groups: DocumentGroups,
    /// Indices into [`Network::procedures`] of the procedures this portal owns.
    pub procedures: Vec<usize>,
    /// Files under `assets/`, published as they are.
    pub assets: Vec<Asset>,
    /// The portal's own theme overrides (`theme/` in its folder), if any.
    pub theme_overrides: Option<PathBuf>,
}

impl Portal {
    /// The portal's home URL.
    pub fn url(&self) -> String {
        format!("{}/", self.prefix)
    }

    /// The page with this slug, if the portal has one.
    pub fn page(&self, slug: &str) -> Option<&Page> {
        self.pages.iter().find(|p| p.slug == slug)
    }

    /// URL of a file named in content: an `https://` URL as it is, otherwise a file under the
    /// portal's `assets/` folder.
    pub fn file_url(&self, file: &str) -> String {
        if file.starts_with("https://") {
            file.to_owned()
        } else {
            format!("{}/{}/{file}", self.prefix, routes::ASSETS)
        }
    }

    /// URL of the page of a news tag, as written in an article's `tags`.
    pub fn tag_url(&self, tag: &str) -> String {
        routes::tag_url(&self.prefix, &crate::vietnamese::slugify(tag))
    }

    /// The groups of documents of one grouping.
    pub fn document_groups(&self, grouping: DocumentGrouping) -> &[Group] {
        match grouping {
            DocumentGrouping::Type => &self.document_groups.by_type,
            DocumentGrouping::Issuer => &self.document_groups.by_issuer,
            DocumentGrouping::Year => &self.document_groups.by_year,
        }
    }

    /// The theme folder name.
    pub fn theme(&self) -> &str {
        self.info.theme.as_deref().unwrap_or("default")
    }
}

/// Where a markdown file came from, and the site-absolute links in its body.
#[derive(Debug, Clone)]
pub struct Source {
    /// The file.
    pub at: Location,
    /// 1-based line of the file on which the markdown body starts.
    pub body_line: usize,
    /// Links to other pages of the network, with their positions.
    pub links: Vec<Link>,
}

/// A site-absolute link found in markdown.
#[derive(Debug, Clone)]
pub struct Link {
    /// The target as written.
    pub target: String,
    /// Where it is written.
    pub at: Location,
}

/// A markdown file with front matter `M`: a news article or a static page.
#[derive(Debug, Clone)]
pub struct Markdown<M> {
    /// URL segment.
    pub slug: String,
    /// Site-absolute URL (given by [`assemble`]).
    pub url: String,
    /// Front matter.
    pub meta: M,
    /// Markdown body.
    pub body: String,
    /// Origin.
    pub source: Source,
}

/// A news article.
pub type Article = Markdown<ArticleMeta>;

/// A static page.
pub type Page = Markdown<PageMeta>;

/// A document with its URL.
#[derive(Debug, Clone)]
pub struct Document {
    /// URL segment, made from the number and symbol.
    pub slug: String,
    /// Site-absolute URL (given by [`assemble`]).
    pub url: String,
    /// The record.
    pub record: DocumentRecord,
    /// Where the record starts.
    pub at: Location,
}

/// A procedure with its owner and URL.
#[derive(Debug, Clone)]
pub struct ProcedureEntry {
    /// The record.
    pub record: Procedure,
    /// Index of the owning portal.
    pub owner: usize,
    /// `/thu-tuc/<code>/`.
    pub url: String,
    /// The province's instance code, `<code>.<suffix>`.
    pub instance_code: String,
    /// Where the record's `code:` is.
    pub at: Location,
}

/// A named group of items with a page of its own: a news tag, a catalogue facet (an agency,
/// a field, a level), a type, issuer or year of documents.
#[derive(Debug, Clone)]
pub struct Group {
    /// What is shown, as first written.
    pub label: String,
    /// URL segment.
    pub slug: String,
    /// Site-absolute URL of its first page.
    pub url: String,
    /// Indices of the members in the list they come from, in display order.
    pub members: Vec<usize>,
}

/// A file copied to the site as it is.
#[derive(Debug, Clone)]
pub struct Asset {
    /// The file on disk.
    pub source: PathBuf,
    /// Its path under the portal's `assets/`, with `/` separators.
    pub rel: String,
    /// Site-absolute URL (given by [`assemble`]).
    pub url: String,
}

/// The ways to browse the procedure catalogue; members index [`Network::procedures`].
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    /// By owning agency (portal), Vietnamese order.
    pub by_agency: Vec<Group>,
    /// By field, Vietnamese order.
    pub by_field: Vec<Group>,
    /// By implementing level: province, district, commune.
    pub by_implementing_level: Vec<Group>,
    /// By online service level: 2, 3, 4.
    pub by_service_level: Vec<Group>,
}

impl Catalogue {
    /// The facets of one kind.
    pub fn facets(&self, kind: FacetKind) -> &[Group] {
        match kind {
            FacetKind::Agency => &self.by_agency,
            FacetKind::Field => &self.by_field,
            FacetKind::ImplementingLevel => &self.by_implementing_level,
            FacetKind::ServiceLevel => &self.by_service_level,
        }
    }
}

/// A portal's documents grouped three ways; members index [`Portal::documents`].
#[derive(Debug, Clone, Default)]
pub struct DocumentGroups {
    /// By type, Vietnamese order.
    pub by_type: Vec<Group>,
    /// By issuer, Vietnamese order.
    pub by_issuer: Vec<Group>,
    /// By year, newest first.
    pub by_year: Vec<Group>,
}
