//! What the search endpoint needs to draw its results page in each portal's theme, without the
//! content: the views every page shares, the theme's templates, and facet labels. A build
//! writes it beside the index; `serve` reads it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::templates::Engines;
use super::views::Shared;
use super::RenderError;
use crate::model::{Network, Themes};

/// Name of the file beside the index.
pub const SEARCH_SHELL_FILE: &str = "shell.json";

/// Everything the results page needs.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SearchShell {
    /// The network as every page sees it.
    pub site: serde_json::Value,
    /// Each portal as its pages see it, by slug.
    pub portals: BTreeMap<String, serde_json::Value>,
    /// Slug of the main portal.
    pub main_portal: String,
    /// Absolute base URL.
    pub base_url: String,
    /// The main portal's theme templates (with its overrides).
    pub templates: BTreeMap<String, String>,
    /// The templates of each portal whose theme or overrides differ from the main portal's,
    /// by slug: its results page wears its own theme.
    pub own_templates: BTreeMap<String, BTreeMap<String, String>>,
    /// Labels of facet values: portal, agency and field slugs.
    pub labels: BTreeMap<String, String>,
}

/// Gathers the shell of a network.
pub fn search_shell(network: &Network, themes: &Themes) -> Result<SearchShell, RenderError> {
    let engines = Engines::build(themes, network)?;
    let shared = Shared::new(network, &engines);
    let main = network.main_portal();
    let templates_of = |i: usize| {
        let mut templates = themes.themes[network.portals[i].theme()].templates.clone();
        if let Some(own) = themes.overrides.get(i).and_then(Option::as_ref) {
            templates.extend(own.templates.clone());
        }
        templates
    };
    let templates = templates_of(0);
    let own_templates = (1..network.portals.len())
        .map(|i| (network.portals[i].slug.clone(), templates_of(i)))
        .filter(|(_, own)| *own != templates)
        .collect();
    let mut labels = BTreeMap::new();
    for p in &network.portals {
        labels.insert(p.slug.clone(), p.info.short().to_owned());
    }
    for g in &network.catalogue.by_field {
        labels.insert(g.slug.clone(), g.label.clone());
    }
    Ok(SearchShell {
        site: shared.site,
        portals: network
            .portals
            .iter()
            .map(|p| p.slug.clone())
            .zip(shared.portals)
            .collect(),
        main_portal: main.slug.clone(),
        base_url: network.settings.base_url.clone(),
        templates,
        own_templates,
        labels,
    })
}
