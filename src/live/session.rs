//! The editor's loop's memory of the last good build: the network, its compiled templates and
//! link targets, and a writer on its search index, so that an edited article costs only the
//! pages that show it and one index document. Everything else goes through a full build.
//!
//! A failed update changes nothing: the last good site and index stay published.

use std::path::Path;
use std::time::{Duration, Instant};

use super::changes::{Known, Plan};
use crate::build::{self, BuildError, BuildOptions, BuildSummary};
use crate::content::{self, LoadOptions};
use crate::diagnostics::Diagnostics;
use crate::model::{self, EditRefused, LinkTargets, Network, Themes};
use crate::output::Published;
use crate::render::{self, RenderError, Renderer};
use crate::search::IndexUpdater;

/// Why an update did not land.
#[derive(Debug, thiserror::Error)]
pub enum UpdateError {
    /// The full build failed (content, template, index or output).
    #[error(transparent)]
    Build(#[from] BuildError),
    /// An edited article breaks the content contract.
    #[error("{0}")]
    Content(Diagnostics),
    /// A page could not be rendered or written.
    #[error(transparent)]
    Render(#[from] RenderError),
    /// The search index could not take the article.
    #[error("cannot update the search index: {0}")]
    Index(#[from] tantivy::TantivyError),
}

/// What an update did.
#[derive(Debug, Clone, Copy)]
pub enum Updated {
    /// Nothing to do.
    Nothing,
    /// Articles were taken again: the number of files written, and the time it took.
    Articles {
        /// Files rendered again.
        files: usize,
        /// Wall time.
        elapsed: Duration,
    },
    /// The whole network was built again.
    Built(BuildSummary),
}

/// The last good build, ready to be patched.
pub struct Session {
    options: BuildOptions,
    network: Network,
    renderer: Renderer,
    targets: LinkTargets,
    /// Opened at the first article edit after a full build (a full build replaces the index
    /// folder, so the writer must not outlive it).
    updater: Option<IndexUpdater>,
    /// What the last update that failed was asked to do, carried into the next one so that
    /// a later save of another file does not hide a problem that is still there.
    unsettled: Plan,
}

impl Session {
    /// Builds everything once.
    pub fn start(options: BuildOptions) -> Result<(Session, BuildSummary), BuildError> {
        let (network, themes) = build::load(&options)?;
        let summary = build::publish(&network, &themes, &options, &|_| {})?;
        Ok((Session::new(options, network, &themes)?, summary))
    }

    fn new(options: BuildOptions, network: Network, themes: &Themes) -> Result<Self, BuildError> {
        Ok(Session {
            renderer: Renderer::new(&network, themes)?,
            targets: LinkTargets::of(&network),
            updater: None,
            unsettled: Plan::Nothing,
            network,
            options,
        })
    }

    /// What the last good build knows of `path` (as the content folder names it).
    pub fn known(&self, path: &Path) -> Known {
        if model::find_article(&self.network, path).is_some() {
            Known::Article
        } else if model::is_source(&self.network, path) {
            Known::Source
        } else {
            Known::Unknown
        }
    }

    /// Carries out `plan`. On error, the published site and index are the last good ones.
    pub fn update(&mut self, plan: Plan) -> Result<Updated, UpdateError> {
        let plan = std::mem::replace(&mut self.unsettled, Plan::Nothing).and(plan);
        let result = match &plan {
            Plan::Nothing => Ok(Updated::Nothing),
            Plan::Build => self.rebuild(),
            Plan::Articles(paths) => self.take_articles(paths),
        };
        if result.is_err() {
            self.unsettled = plan;
        }
        result
    }

    fn rebuild(&mut self) -> Result<Updated, UpdateError> {
        let started = Instant::now();
        let (network, themes) = build::load(&self.options)?;
        // The index folder is about to be replaced: let go of its writer first.
        self.updater = None;
        let mut summary = build::publish(&network, &themes, &self.options, &|_| {})?;
        *self = Session::new(self.options.clone(), network, &themes)?;
        summary.elapsed = started.elapsed();
        Ok(Updated::Built(summary))
    }

    fn take_articles(&mut self, paths: &[std::path::PathBuf]) -> Result<Updated, UpdateError> {
        let started = Instant::now();
        let options = LoadOptions {
            drafts: self.options.drafts,
        };
        let mut articles = Vec::with_capacity(paths.len());
        for path in paths {
            match content::read_article(path, options).map_err(UpdateError::Content)? {
                Some(article) => articles.push(article),
                None => return self.rebuild(), // it became a draft that is not shown
            }
        }
        let mut files = 0;
        for article in articles {
            let edit = match model::replace_article(&mut self.network, &self.targets, article) {
                Ok(edit) => edit,
                Err(EditRefused::Invalid(problems)) => {
                    return Err(UpdateError::Content(Diagnostics(problems).sorted()))
                }
                Err(EditRefused::NeedsFullBuild) => return self.rebuild(),
            };
            let routes = render::routes_showing(&self.network, &edit);
            self.renderer.render_routes(
                &self.network,
                &routes,
                &Published::new(&self.options.out),
            )?;
            files += routes.len();
            let updater = match &mut self.updater {
                Some(updater) => updater,
                empty => empty.insert(IndexUpdater::open(&self.options.index)?),
            };
            updater.replace_article(&self.network, edit.portal, edit.after)?;
        }
        Ok(Updated::Articles {
            files,
            elapsed: started.elapsed(),
        })
    }
}
