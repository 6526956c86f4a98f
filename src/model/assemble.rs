//! Turns what `content` read into a [`Network`]: gives every item its URL, sorts in
//! Vietnamese order, derives tags, catalogue facets and document groups, and checks the rules
//! that span files. Every problem found is returned, not just the first.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use super::routes::{self, ASSETS, DOCUMENTS, NEWS, PROCEDURES, RESERVED};
use super::*;
use crate::diagnostics::{Diagnostic, Location, Problem};
use crate::vietnamese::{compare, is_slug, slugify};

/// One portal as `content` read it; item URLs are still empty.
#[derive(Debug)]
pub struct PortalSource {
    /// Folder name.
    pub slug: String,
    /// `portal.yaml`.
    pub info: PortalInfo,
    /// Where `portal.yaml` is.
    pub at: Location,
    /// Static pages.
    pub pages: Vec<Page>,
    /// News articles.
    pub news: Vec<Article>,
    /// Documents.
    pub documents: Vec<Document>,
    /// Procedures with the location of their `code:`.
    pub procedures: Vec<(Procedure, Location)>,
    /// Files under `assets/`.
    pub assets: Vec<Asset>,
    /// `theme/` folder, if the portal has one.
    pub theme_overrides: Option<PathBuf>,
}

/// Builds the network from its parts, or returns every problem found.
pub fn assemble(
    mut settings: NetworkSettings,
    settings_at: Location,
    mut sources: Vec<PortalSource>,
) -> Result<Network, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    settings.base_url = settings.base_url.trim_end_matches('/').to_owned();
    if !(settings.base_url.starts_with("https://") || settings.base_url.starts_with("http://")) {
        problems.push(Diagnostic::invalid(
            settings_at.clone(),
            format!(
                "base_url `{}` must start with https:// or http://",
                settings.base_url
            ),
        ));
    }

    // The main portal first, then departments and districts, each in Vietnamese order.
    let main_slug = settings.main_portal.clone();
    sources.sort_by(|a, b| {
        (a.slug != main_slug, a.info.kind)
            .cmp(&(b.slug != main_slug, b.info.kind))
            .then_with(|| compare(&a.info.name, &b.info.name))
    });
    match sources.first() {
        Some(main) if main.slug == main_slug => {
            if main.info.kind != PortalKind::Main {
                problems.push(Diagnostic::invalid(
                    main.at.clone(),
                    format!(
                        "`{main_slug}` is the network's main_portal, so its kind must be `main`"
                    ),
                ));
            }
        }
        _ => {
            problems.push(Diagnostic::invalid(
                settings_at,
                format!("main_portal `{main_slug}` has no folder content/portals/{main_slug}/ with a portal.yaml"),
            ));
            return Err(problems);
        }
    }

    let mut published: HashMap<String, Location> = HashMap::new();
    let mut claim = |url: String, at: &Location, problems: &mut Vec<Diagnostic>| {
        if let Some(first) = published.get(&url) {
            problems.push(Diagnostic::new(
                at.clone(),
                Problem::DuplicateUrl {
                    url,
                    first: first.clone(),
                },
            ));
        } else {
            published.insert(url, at.clone());
        }
    };

    let mut portals = Vec::with_capacity(sources.len());
    let mut owned_procedures = Vec::new();
    for (index, source) in sources.into_iter().enumerate() {
        let prefix = if index == 0 {
            String::new()
        } else {
            format!("/{}", source.slug)
        };
        if index > 0 {
            if source.info.kind == PortalKind::Main {
                problems.push(Diagnostic::invalid(
                    source.at.clone(),
                    format!("kind `main` is for the network's main_portal (`{main_slug}`) only"),
                ));
            }
            if !is_slug(&source.slug) || RESERVED.contains(&source.slug.as_str()) {
                problems.push(Diagnostic::invalid(
                    source.at.clone(),
                    format!("portal folder `{}` must be a slug (a-z, 0-9, -) and not one of {RESERVED:?}", source.slug),
                ));
            }
        }
        claim(format!("{prefix}/"), &source.at, &mut problems);
        let portal = build_portal(
            source,
            prefix,
            &mut problems,
            &mut claim,
            &mut owned_procedures,
            index,
        );
        portals.push(portal);
    }

    let (procedures, local_procedures) =
        build_procedures(owned_procedures, &settings, &mut portals, &mut problems);
    let catalogue = build_catalogue(&procedures, &portals);
    let latest_news = latest_news(&portals);

    let procedure_by_code = procedures
        .iter()
        .enumerate()
        .map(|(i, p)| (p.record.code.as_str().to_owned(), i))
        .collect();
    let network = Network {
        procedure_by_code,
        settings,
        portals,
        procedures,
        catalogue,
        local_procedures,
        latest_news,
    };
    check_references(&network, &mut problems);
    if problems.is_empty() {
        Ok(network)
    } else {
        Err(problems)
    }
}

fn build_portal(
    source: PortalSource,
    prefix: String,
    problems: &mut Vec<Diagnostic>,
    claim: &mut impl FnMut(String, &Location, &mut Vec<Diagnostic>),
    owned_procedures: &mut Vec<(Procedure, Location, usize)>,
    index: usize,
) -> Portal {
    let PortalSource {
        slug,
        info,
        at,
        mut pages,
        mut news,
        mut documents,
        procedures,
        assets,
        theme_overrides,
    } = source;

    for page in &mut pages {
        if RESERVED.contains(&page.slug.as_str()) {
            problems.push(Diagnostic::invalid(
                page.source.at.clone(),
                format!(
                    "page slug `{}` is reserved for a section; choose another",
                    page.slug
                ),
            ));
        }
        page.url = format!("{prefix}/{}/", page.slug);
        claim(page.url.clone(), &page.source.at, problems);
    }
    pages.sort_by(|a, b| {
        a.meta
            .weight
            .cmp(&b.meta.weight)
            .then_with(|| compare(&a.meta.title, &b.meta.title))
    });

    for article in &mut news {
        article.url = format!("{prefix}/{NEWS}/{}/", article.slug);
        claim(article.url.clone(), &article.source.at, problems);
    }
    sort_news(&mut news);
    let tags = news_tags(&news, &prefix);

    for document in &mut documents {
        document.url = format!("{prefix}/{DOCUMENTS}/{}/", document.slug);
        claim(document.url.clone(), &document.at, problems);
        if document.record.status == DocumentStatus::Replaced
            && document.record.replaced_by.is_none()
        {
            problems.push(Diagnostic::invalid(
                document.at.clone(),
                "status `replaced` needs `replaced_by`: the number of the replacing document",
            ));
        }
    }
    documents.sort_by(|a, b| {
        b.record
            .issued
            .cmp(&a.record.issued)
            .then_with(|| a.slug.cmp(&b.slug))
    });
    let document_groups = DocumentGroups {
        by_type: group_by(
            documents
                .iter()
                .enumerate()
                .map(|(i, d)| (d.record.kind.clone(), i)),
            |slug| format!("{prefix}/{DOCUMENTS}/loai/{slug}/"),
        ),
        by_issuer: group_by(
            documents
                .iter()
                .enumerate()
                .map(|(i, d)| (d.record.issuer.clone(), i)),
            |slug| format!("{prefix}/{DOCUMENTS}/co-quan-ban-hanh/{slug}/"),
        ),
        by_year: {
            let mut years = group_by(
                documents
                    .iter()
                    .enumerate()
                    .map(|(i, d)| (d.record.issued.0.format("%Y").to_string(), i)),
                |slug| format!("{prefix}/{DOCUMENTS}/nam/{slug}/"),
            );
            years.reverse();
            years
        },
    };

    let mut assets = assets;
    for asset in &mut assets {
        asset.url = format!("{prefix}/{ASSETS}/{}", asset.rel);
    }
    owned_procedures.extend(procedures.into_iter().map(|(p, at)| (p, at, index)));
    Portal {
        slug,
        prefix,
        info,
        at,
        pages,
        news,
        tags,
        documents,
        document_groups,
        procedures: Vec::new(),
        assets,
        theme_overrides,
    }
}

/// A portal's news, newest first; same day by slug, so the order is stable.
pub(super) fn sort_news(news: &mut [Article]) {
    news.sort_by(|a, b| {
        b.meta
            .date
            .cmp(&a.meta.date)
            .then_with(|| a.slug.cmp(&b.slug))
    });
}

/// A portal's tags, from its sorted news.
pub(super) fn news_tags(news: &[Article], prefix: &str) -> Vec<Group> {
    group_by(
        news.iter()
            .enumerate()
            .flat_map(|(i, a)| a.meta.tags.iter().map(move |t| (t.clone(), i))),
        |slug| routes::tag_url(prefix, slug),
    )
}

/// Every article of the network, newest first, as (portal, article) indices.
pub(super) fn latest_news(portals: &[Portal]) -> Vec<(usize, usize)> {
    let mut latest: Vec<(usize, usize)> = portals
        .iter()
        .enumerate()
        .flat_map(|(p, portal)| (0..portal.news.len()).map(move |a| (p, a)))
        .collect();
    latest.sort_by(|a, b| {
        portals[b.0].news[b.1]
            .meta
            .date
            .cmp(&portals[a.0].news[a.1].meta.date)
    });
    latest
}

/// Groups `(label, member)` pairs by the label's slug, keeping the first spelling of each
/// label and the members' order; groups come out in Vietnamese order of label.
fn group_by(
    items: impl Iterator<Item = (String, usize)>,
    url: impl Fn(&str) -> String,
) -> Vec<Group> {
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut groups: Vec<Group> = Vec::new();
    for (label, member) in items {
        let slug = slugify(&label);
        let at = *index.entry(slug.clone()).or_insert_with(|| {
            groups.push(Group {
                url: url(&slug),
                label,
                slug,
                members: Vec::new(),
            });
            groups.len() - 1
        });
        if groups[at].members.last() != Some(&member) {
            groups[at].members.push(member);
        }
    }
    groups.sort_by(|a, b| compare(&a.label, &b.label));
    groups
}

fn build_procedures(
    owned: Vec<(Procedure, Location, usize)>,
    settings: &NetworkSettings,
    portals: &mut [Portal],
    problems: &mut Vec<Diagnostic>,
) -> (Vec<ProcedureEntry>, Vec<usize>) {
    let mut seen: HashMap<ProcedureCode, Location> = HashMap::new();
    let mut procedures = Vec::with_capacity(owned.len());
    for (record, at, owner) in owned {
        if let Some(first) = seen.get(&record.code) {
            problems.push(Diagnostic::new(
                at,
                Problem::DuplicateProcedureCode {
                    code: record.code.to_string(),
                    first: first.clone(),
                },
            ));
            continue;
        }
        seen.insert(record.code.clone(), at.clone());
        for (empty, field) in [
            (record.applicants.is_empty(), "applicants"),
            (record.steps.is_empty(), "steps"),
            (record.channels.is_empty(), "channels"),
            (record.documents.is_empty(), "documents"),
            (record.legal_basis.is_empty(), "legal_basis"),
        ] {
            if empty {
                problems.push(Diagnostic::invalid(
                    at.clone(),
                    format!("`{field}` must list at least one entry"),
                ));
            }
        }
        procedures.push(ProcedureEntry {
            url: format!("/{PROCEDURES}/{}/", record.code),
            instance_code: format!("{}.{}", record.code, settings.procedure_code_suffix),
            record,
            owner,
            at,
        });
    }
    procedures.sort_by(|a, b| {
        compare(&a.record.name, &b.record.name).then_with(|| a.record.code.cmp(&b.record.code))
    });
    let mut local = Vec::new();
    for (i, p) in procedures.iter().enumerate() {
        portals[p.owner].procedures.push(i);
        if p.record.implementing_level != ImplementingLevel::Province {
            local.push(i);
        }
    }
    (procedures, local)
}

fn build_catalogue(procedures: &[ProcedureEntry], portals: &[Portal]) -> Catalogue {
    let facet_url =
        |kind: FacetKind, slug: &str| format!("/{}/{}/{slug}/", routes::CATALOGUE, kind.segment());
    let by = |kind: FacetKind, label: &dyn Fn(&ProcedureEntry) -> String| {
        group_by(
            procedures.iter().enumerate().map(|(i, p)| (label(p), i)),
            |slug| facet_url(kind, slug),
        )
    };
    let by_agency = by(FacetKind::Agency, &|p| portals[p.owner].info.name.clone());
    let by_field = by(FacetKind::Field, &|p| p.record.field.clone());
    let by_implementing_level = ImplementingLevel::ALL
        .iter()
        .map(|&level| Group {
            label: level.label().to_owned(),
            slug: level.slug().to_owned(),
            url: facet_url(FacetKind::ImplementingLevel, level.slug()),
            members: (0..procedures.len())
                .filter(|&i| procedures[i].record.implementing_level == level)
                .collect(),
        })
        .collect();
    let by_service_level = ServiceLevel::ALL
        .iter()
        .map(|&level| {
            let slug = format!("muc-do-{}", level.number());
            Group {
                label: format!("Mức độ {}", level.number()),
                url: facet_url(FacetKind::ServiceLevel, &slug),
                slug,
                members: (0..procedures.len())
                    .filter(|&i| procedures[i].record.level == level)
                    .collect(),
            }
        })
        .collect();
    Catalogue {
        by_agency,
        by_field,
        by_implementing_level,
        by_service_level,
    }
}

/// Links, images, attachments, forms and related codes must point at something that exists.
/// Every URL a link or a file reference may point at: each route and each asset.
pub struct LinkTargets(HashSet<String>);

impl LinkTargets {
    /// The targets of `network`.
    pub fn of(network: &Network) -> Self {
        let mut targets: HashSet<String> = routes::all(network)
            .iter()
            .map(|r| r.url(network))
            .collect();
        for portal in &network.portals {
            targets.extend(portal.assets.iter().map(|a| a.url.clone()));
        }
        LinkTargets(targets)
    }

    fn has(&self, url: &str) -> bool {
        self.0.contains(url)
    }
}

/// A file a record names (an image, a form): under the portal's assets/, or an https URL.
fn check_file(
    targets: &LinkTargets,
    portal: &Portal,
    file: &str,
    at: &Location,
    problems: &mut Vec<Diagnostic>,
) {
    if file.starts_with("https://") {
        return;
    }
    if file.contains("..") || file.starts_with('/') || !targets.has(&portal.file_url(file)) {
        problems.push(Diagnostic::new(
            at.clone(),
            Problem::MissingAsset(file.to_owned()),
        ));
    }
}

/// The site-absolute links of a markdown file resolve. A link to a section of the same page
/// (`#…`) is `cong check`'s to judge.
fn check_links(targets: &LinkTargets, source: &Source, problems: &mut Vec<Diagnostic>) {
    for link in source.links.iter().filter(|l| !l.target.starts_with('#')) {
        let path = link.target.split(['#', '?']).next().unwrap_or_default();
        let found = targets.has(path) || (!path.ends_with('/') && targets.has(&format!("{path}/")));
        if !found {
            problems.push(Diagnostic::new(
                link.at.clone(),
                Problem::BrokenLink(link.target.clone()),
            ));
        }
    }
}

/// An article's links resolve, and its image exists and is described.
pub(super) fn check_article(
    targets: &LinkTargets,
    portal: &Portal,
    article: &Article,
    problems: &mut Vec<Diagnostic>,
) {
    check_links(targets, &article.source, problems);
    match (&article.meta.image, &article.meta.image_alt) {
        (Some(image), alt) => {
            check_file(targets, portal, image, &article.source.at, problems);
            if alt.as_deref().is_none_or(|a| a.trim().is_empty()) {
                problems.push(Diagnostic::invalid(
                    article.source.at.clone(),
                    "`image` needs `image_alt`: describe the image for people who cannot see it",
                ));
            }
        }
        (None, Some(_)) => problems.push(Diagnostic::invalid(
            article.source.at.clone(),
            "`image_alt` is set but there is no `image`",
        )),
        (None, None) => {}
    }
}

fn check_references(network: &Network, problems: &mut Vec<Diagnostic>) {
    let targets = LinkTargets::of(network);
    let codes: HashSet<&str> = network
        .procedures
        .iter()
        .map(|p| p.record.code.as_str())
        .collect();
    for portal in &network.portals {
        for page in &portal.pages {
            check_links(&targets, &page.source, problems);
        }
        for article in &portal.news {
            check_article(&targets, portal, article, problems);
        }
        for document in &portal.documents {
            if let Some(file) = &document.record.file {
                check_file(&targets, portal, file, &document.at, problems);
            }
        }
    }
    for procedure in &network.procedures {
        let owner = &network.portals[procedure.owner];
        for item in procedure.record.documents.iter().flat_map(|g| &g.items) {
            if let Some(form) = &item.form {
                check_file(&targets, owner, form, &procedure.at, problems);
            }
        }
        for related in &procedure.record.related {
            if !codes.contains(related.as_str()) {
                problems.push(Diagnostic::new(
                    procedure.at.clone(),
                    Problem::UnknownRelatedProcedure(related.clone()),
                ));
            }
        }
    }
}
