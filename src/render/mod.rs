//! Rendering: turns the [`Network`] into the bytes of every page and file of the site, in
//! parallel, and hands each to a [`Sink`]. Vietnamese formatting (dates dd/mm/yyyy, numbers
//! `2.160`, alphabetical order) happens here, in the views given to templates.
//!
//! `render` owns what each page contains and how it looks; it must not touch the file system:
//! the sink decides where the bytes go (a generation's folder for `build`, memory for tests).

mod markdown;
mod pages;
mod search_shell;
mod templates;
mod views;

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::model::routes::{self, output_path, Route, STATIC};
use crate::model::Network;
use crate::model::Themes;
pub use markdown::{heading_ids, to_html, HEADING_ID_PREFIX};
pub use pages::routes_showing;
pub use search_shell::{search_shell, SearchShell, SEARCH_SHELL_FILE};
pub use templates::{engine, escape_html, escape_html_into};

/// Where rendered files go. Paths are relative to the site's root, with `/` separators.
pub trait Sink: Sync {
    /// Stores a rendered file.
    fn write(&self, path: &str, bytes: &[u8]) -> std::io::Result<()>;
    /// Stores a copy of a file published as it is (an asset).
    fn copy(&self, path: &str, from: &Path) -> std::io::Result<()>;
}

/// A failure while rendering; content problems are caught before, in `content` and `model`.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// A template does not compile or fails on a page.
    #[error("{what}")]
    Template {
        /// Which template set or page.
        what: String,
        /// Tera's error, with its causes.
        source: tera::Error,
    },
    /// The sink could not store a file.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
}

/// What a render produced.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderSummary {
    /// HTML pages.
    pub pages: usize,
    /// Every file written or copied, pages included.
    pub files: usize,
}

/// Renders every route of `network` with `themes` into `sink`, calling `progress` with the
/// number of files done so far (from any thread).
pub fn render(
    network: &Network,
    themes: &Themes,
    sink: &dyn Sink,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<RenderSummary, RenderError> {
    let renderer = Renderer::new(network, themes)?;
    let done = AtomicUsize::new(0);
    let count = || progress(done.fetch_add(1, Ordering::Relaxed) + 1);
    let routes = renderer.render_all(network, sink, &count)?;
    let write = |path: String, bytes: &[u8]| {
        sink.write(&path, bytes)
            .map_err(|source| RenderError::Write { path, source })?;
        count();
        Ok::<(), RenderError>(())
    };
    for (name, theme) in &themes.themes {
        for (file, bytes) in &theme.statics {
            write(format!("{STATIC}/{name}/{file}"), bytes)?;
        }
    }
    for (portal, own) in network.portals.iter().zip(&themes.overrides) {
        for (file, bytes) in own.iter().flat_map(|t| &t.statics) {
            write(
                output_path(&format!("{}/{STATIC}/{file}", portal.prefix)),
                bytes,
            )?;
        }
    }
    network
        .portals
        .par_iter()
        .flat_map(|p| p.assets.par_iter())
        .try_for_each(|asset| {
            let path = output_path(&asset.url);
            sink.copy(&path, &asset.source)
                .map_err(|source| RenderError::Write { path, source })?;
            count();
            Ok::<(), RenderError>(())
        })?;
    Ok(RenderSummary {
        pages: routes.iter().filter(|r| r.is_page()).count(),
        files: done.into_inner(),
    })
}

/// The compiled templates of a build, kept to render some routes again after an edit (the
/// editor's loop) without compiling them anew.
pub struct Renderer {
    engines: templates::Engines,
}

impl Renderer {
    /// Compiles the templates every portal of `network` uses.
    pub fn new(network: &Network, themes: &Themes) -> Result<Self, RenderError> {
        Ok(Renderer {
            engines: templates::Engines::build(themes, network)?,
        })
    }

    /// Renders every route; returns them.
    fn render_all(
        &self,
        network: &Network,
        sink: &dyn Sink,
        done: &(dyn Fn() + Sync),
    ) -> Result<Vec<Route>, RenderError> {
        let views = views::Shared::new(network, &self.engines);
        self.render_with(network, &views, &views.routes, sink, done)?;
        Ok(views.routes)
    }

    /// Renders `routes` of `network` into `sink`: the pages an edit touched.
    pub fn render_routes(
        &self,
        network: &Network,
        routes: &[Route],
        sink: &dyn Sink,
    ) -> Result<(), RenderError> {
        let views = views::Shared::new(network, &self.engines);
        self.render_with(network, &views, routes, sink, &|| {})
    }

    fn render_with(
        &self,
        network: &Network,
        views: &views::Shared,
        routes: &[Route],
        sink: &dyn Sink,
        done: &(dyn Fn() + Sync),
    ) -> Result<(), RenderError> {
        routes.par_iter().with_min_len(16).try_for_each(|route| {
            let bytes = pages::render_route(route, network, &self.engines, views)?;
            let path = output_path(&route.url(network));
            sink.write(&path, &bytes)
                .map_err(|source| RenderError::Write { path, source })?;
            done();
            Ok(())
        })
    }
}

/// Compiles every template the network's portals use, writing nothing: what `cong check`
/// runs so that a broken template is found before a build.
pub fn check_templates(network: &Network, themes: &Themes) -> Result<(), RenderError> {
    templates::Engines::build(themes, network).map(drop)
}

/// Number of files a render of `network` with `themes` writes: for a progress bar's length.
pub fn file_count(network: &Network, themes: &Themes) -> usize {
    routes::all(network).len()
        + themes
            .themes
            .values()
            .map(|t| t.statics.len())
            .sum::<usize>()
        + themes
            .overrides
            .iter()
            .flatten()
            .map(|t| t.statics.len())
            .sum::<usize>()
        + network
            .portals
            .iter()
            .map(|p| p.assets.len())
            .sum::<usize>()
}
