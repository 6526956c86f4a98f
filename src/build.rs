//! The build pipeline, end to end: `content::load`, then at once `render` and
//! `search::write_index` into a new generation, then `output` makes the pair live. The one
//! function both the CLI and the tests call.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::content::{self, LoadOptions};
use crate::diagnostics::Diagnostics;
use crate::model::{Network, Themes};
use crate::output::Generation;
use crate::render::{self, RenderError};
use crate::search;

/// What to build, and where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The content folder.
    pub content: PathBuf,
    /// The themes folder.
    pub themes: PathBuf,
    /// The output folder, replaced as a whole on success.
    pub out: PathBuf,
    /// The search index folder, replaced with the site.
    pub index: PathBuf,
    /// Overrides `base_url` of `network.yaml`.
    pub base_url: Option<String>,
    /// Publish drafts too.
    pub drafts: bool,
}

/// Why a build failed; the previous output is untouched in every case.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The content breaks the contract.
    #[error("{0}")]
    Content(#[from] Diagnostics),
    /// A template failed, or a file could not be written.
    #[error(transparent)]
    Render(#[from] RenderError),
    /// The search index could not be written.
    #[error("cannot write the search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    /// The generation could not be made or made live.
    #[error("cannot publish to {path}: {source}")]
    Output {
        /// The output folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// What a build did.
#[derive(Debug, Clone, Copy)]
pub struct BuildSummary {
    /// Portals.
    pub portals: usize,
    /// HTML pages.
    pub pages: usize,
    /// Files written in all.
    pub files: usize,
    /// Procedures.
    pub procedures: usize,
    /// News articles.
    pub articles: usize,
    /// Documents in the search index.
    pub indexed: usize,
    /// Wall time.
    pub elapsed: Duration,
}

/// Loads, renders and publishes. `progress` is told the total number of files first, then the
/// count done so far.
pub fn build(
    options: &BuildOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<BuildSummary, BuildError> {
    let started = Instant::now();
    let (network, themes) = load(options)?;
    let mut summary = publish(&network, &themes, options, progress)?;
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// Reads and checks the content and the themes it uses.
pub fn load(options: &BuildOptions) -> Result<(Network, Themes), BuildError> {
    let mut network = content::load(
        &options.content,
        LoadOptions {
            drafts: options.drafts,
        },
    )?;
    if let Some(url) = &options.base_url {
        network.settings.base_url = url.trim_end_matches('/').to_owned();
    }
    let themes = content::themes::load(&options.themes, &network)?;
    Ok((network, themes))
}

/// Renders `network` and indexes it beside, then makes the pair live at once; on any failure
/// the previous site and index stay as they were.
pub fn publish(
    network: &Network,
    themes: &Themes,
    options: &BuildOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<BuildSummary, BuildError> {
    let started = Instant::now();
    let output_error = |source| BuildError::Output {
        path: options.out.clone(),
        source,
    };
    let generation = Generation::new(&options.out, &options.index).map_err(output_error)?;
    let site = generation.site();
    let index = generation.index();
    progress(Progress::Total(render::file_count(network, themes)));
    let (rendered, indexed) = std::thread::scope(|scope| {
        let indexing = scope.spawn(|| search::write_index(network, &index));
        let rendered = render::render(network, themes, &site, &|done| {
            progress(Progress::Done(done))
        });
        let indexed = indexing.join().expect("the indexing thread does not panic");
        (rendered, indexed)
    });
    let (rendered, indexed) = (rendered?, indexed?);
    let shell = serde_json::to_vec(&render::search_shell(network, themes)?)
        .expect("the shell serializes to JSON");
    std::fs::write(index.join(render::SEARCH_SHELL_FILE), shell).map_err(|source| {
        BuildError::Output {
            path: options.index.clone(),
            source,
        }
    })?;
    generation.publish().map_err(output_error)?;
    Ok(BuildSummary {
        portals: network.portals.len(),
        pages: rendered.pages,
        files: rendered.files,
        procedures: network.procedures.len(),
        articles: network.portals.iter().map(|p| p.news.len()).sum(),
        indexed: indexed.documents,
        elapsed: started.elapsed(),
    })
}

/// Progress of a build, for a progress bar.
#[derive(Debug, Clone, Copy)]
pub enum Progress {
    /// How many files the build will write.
    Total(usize),
    /// How many are written.
    Done(usize),
}
