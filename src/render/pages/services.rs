//! The public-service catalogue: its overview, facet lists, statistics and procedure pages.

use serde::Serialize;
use serde_json::json;

use super::Page;
use crate::model::routes::{self, FacetKind, Route};
use crate::model::{Network, ServiceLevel};
use crate::render::views::*;
use crate::vietnamese::{format_number, format_percent};

#[derive(Serialize)]
pub(super) struct LevelStat {
    label: String,
    url: String,
    count: String,
    percent: String,
}

#[derive(Serialize)]
pub(super) struct LevelStats {
    total: String,
    online: String,
    online_percent: String,
    levels: Vec<LevelStat>,
}

/// Procedures per online service level, with shares of the whole catalogue.
pub(super) fn level_stats(n: &Network) -> LevelStats {
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

pub(super) fn procedure_list<'a>(
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

pub(super) fn catalogue<'a>(
    n: &'a Network,
    shared: &Shared,
    url: String,
    heading: &str,
) -> Page<'a> {
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
pub(super) struct StatRow<'a> {
    label: &'a str,
    url: &'a str,
    total: String,
    level2: String,
    level3: String,
    level4: String,
    online_percent: String,
}

pub(super) fn stat_rows<'a>(n: &Network, groups: &'a [crate::model::Group]) -> Vec<StatRow<'a>> {
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

pub(super) fn statistics<'a>(n: &'a Network, shared: &Shared, url: String) -> Page<'a> {
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
pub(super) struct StatTable<'a> {
    heading: &'static str,
    column: &'static str,
    rows: Vec<StatRow<'a>>,
}

#[derive(Serialize)]
pub(super) struct ChannelView<'a> {
    mode: &'static str,
    time: &'a str,
    fee: &'a str,
    notes: Option<&'a str>,
}

#[derive(Serialize)]
pub(super) struct DossierGroupView<'a> {
    case: Option<&'a str>,
    items: Vec<DossierItemView<'a>>,
}

#[derive(Serialize)]
pub(super) struct DossierItemView<'a> {
    name: &'a str,
    originals: u32,
    copies: u32,
    form: Option<String>,
}

#[derive(Serialize)]
pub(super) struct LegalView<'a> {
    number: &'a str,
    summary: &'a str,
    date: DateView,
    issuer: &'a str,
}

pub(super) fn procedure_page<'a>(
    n: &'a Network,
    shared: &Shared,
    index: usize,
    url: String,
) -> Page<'a> {
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
        .filter_map(|code| n.procedure(code))
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
