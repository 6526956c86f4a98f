//! The editor's loop, `cong serve`: builds the network (drafts included) into a preview
//! folder, serves it with the search endpoint on one port, watches `content/` and `themes/`,
//! and on each save updates what the change touches — one edited article costs the pages that
//! show it and one index document; anything else is a full build — then reloads the open tabs.
//! A save that breaks the content leaves the last good site served, with the problems over it.
//!
//! `live` owns watching, deciding what to update, and the preview's HTTP extras (the reload
//! channel, the overlay). It must not decide what a page contains (that is `render`) nor how
//! search ranks (that is `search`); it reuses `build`'s pipeline and `serve`'s endpoint.

mod changes;
mod http;
mod session;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

use notify::{RecursiveMode, Watcher as _};

use crate::build::{BuildError, BuildOptions, BuildSummary};
use crate::serve::connections::{self, Gate};
use crate::serve::{self, AppState, Limits, ServeError};
pub use changes::{plan, Known, Plan};
pub use http::{Preview, Signal};
pub use session::{Session, UpdateError, Updated};

/// How long the watcher waits for a burst of saves to end before acting on it.
const DEBOUNCE: Duration = Duration::from_millis(25);

/// What to preview, and where.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Where to build: folders of their own, so that drafts never reach the published site.
    pub build: BuildOptions,
    /// Address to listen on; only requests naming it (or `localhost` on its port) in `Host`
    /// are answered.
    pub addr: SocketAddr,
    /// How long a client and a search may take.
    pub limits: Limits,
}

/// Why the preview could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    /// The first build failed; there is nothing to serve yet.
    #[error(transparent)]
    FirstBuild(BuildError),
    /// The folders cannot be watched.
    #[error("cannot watch {path}: {source}")]
    Watch {
        /// The folder.
        path: PathBuf,
        /// Why.
        source: notify::Error,
    },
    /// The server failed.
    #[error(transparent)]
    Serve(#[from] ServeError),
}

/// Builds, then serves and watches until ctrl-c or SIGTERM. `started` is told of the first
/// build once the server listens; `updated` of every update after it.
pub async fn run(
    options: ServeOptions,
    started: impl FnOnce(&BuildSummary),
    updated: impl Fn(&Result<Updated, UpdateError>) + Send + 'static,
) -> Result<(), LiveError> {
    let build = &options.build;
    let (session, summary) = Session::start(build.clone()).map_err(LiveError::FirstBuild)?;
    let search =
        AppState::new(serve::load(&build.index)?, &build.index).with_limits(options.limits);
    let preview = Preview::new(&build.out);

    let (events, received) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(events).map_err(|source| LiveError::Watch {
        path: build.content.clone(),
        source,
    })?;
    let mut roots = Vec::new();
    for folder in [&build.content, &build.themes] {
        let watched = |source| LiveError::Watch {
            path: folder.clone(),
            source,
        };
        let absolute = folder
            .canonicalize()
            .map_err(|e| watched(notify::Error::io(e)))?;
        watcher
            .watch(&absolute, RecursiveMode::Recursive)
            .map_err(watched)?;
        roots.push(absolute);
    }
    let content = (roots.swap_remove(0), build.content.clone());
    let (loop_search, loop_preview) = (search.clone(), preview.clone());
    std::thread::spawn(move || {
        let mut session = session;
        while let Some(paths) = changes::next_batch(&received, DEBOUNCE) {
            let plan = plan(&paths, &content.0, &content.1, |p| session.known(p));
            if plan == Plan::Nothing {
                continue;
            }
            let result = session.update(plan);
            let reloaded = match &result {
                Ok(Updated::Articles { .. }) => loop_search.reload_documents(),
                Ok(_) => loop_search.reload_if_changed().map(drop),
                Err(_) => Ok(()),
            };
            match (&result, reloaded) {
                (Err(e), _) => loop_preview.signal(Signal::Problems(e.to_string())),
                (Ok(_), Err(e)) => loop_preview.signal(Signal::Problems(e.to_string())),
                (Ok(_), Ok(())) => loop_preview.signal(Signal::Reload),
            }
            updated(&result);
        }
    });

    let io = |source| ServeError::Io {
        addr: options.addr,
        source,
    };
    let listener = connections::listen(options.addr).map_err(io)?;
    let addr = listener.local_addr().map_err(io)?;
    started(&summary);
    let app = http::router(preview, serve::router(search), addr);
    // A connection may hold a file of the site open while it is served.
    let gate = Gate::new(connections::cap(2));
    // The preview does not wait for its connections when it stops: an open tab's event stream
    // never ends.
    let (_stop, stopped) = tokio::sync::watch::channel(false);
    connections::accept(&listener, &gate, |connection, slot| {
        let serving = connections::serve(
            connection,
            slot,
            app.clone(),
            options.limits,
            stopped.clone(),
        );
        tokio::spawn(serving);
    })
    .await;
    drop(watcher);
    Ok(())
}
