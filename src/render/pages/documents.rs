//! Documents (văn bản): lists by type, issuer and year, and one page per document.

use serde::Serialize;

use super::Page;
use crate::model::routes::{self, DocumentGrouping};
use crate::model::Network;
use crate::render::views::*;

#[derive(Serialize)]
pub(super) struct DocumentItem<'a> {
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

pub(super) fn documents<'a>(
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

pub(super) fn document_page<'a>(
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
