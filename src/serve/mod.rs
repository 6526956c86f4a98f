//! The search endpoint: `GET /api/search` (JSON) and `GET /tim-kiem` (the results page), over
//! the index a build wrote. When a new build swaps a new index in, the server notices within
//! half a second and moves to it; requests in flight finish on the old one, so none fails.
//!
//! A search has a budget of time: past it, it stops and is answered 503 with `Retry-After`, and
//! so is a request that waited too long for its worker before it started. A heavy search is
//! computed on a lane of its own ([`heavy`]). A connection gets a few seconds to send its
//! request and to read the answer ([`connections`]).
//!
//! `serve` owns HTTP: routes, limits, timeouts, errors as status codes. It must not build pages
//! other than the results page, nor know how ranking works (that is `search`).

pub(crate) mod connections;
mod heavy;
mod results_page;
mod workers;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant, SystemTime};

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::header::{CONTENT_TYPE, RETRY_AFTER};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use tower::limit::ConcurrencyLimitLayer;
use tower_http::timeout::TimeoutLayer;

use crate::render::{RenderError, SearchShell, SEARCH_SHELL_FILE};
use crate::search::{Results, SearchError, SearchRequest, Searcher};
pub use connections::{HEADER_READ_TIMEOUT, WRITE_TIMEOUT};
pub use results_page::ResultsPage;
use workers::Workers;

/// How long one request may take before it is answered 503.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);
/// How long one search may compute before it stops and is answered 503. Each worker computes
/// one search at a time, so this is also the most one search can make the others on its
/// worker wait. The query caps keep the costliest search they allow (12 common words, none in
/// every document, 50 hits a page, page 20) within a few times a typical one
/// (docs/search-api.md; BENCHMARKS.md, "Servers under hostile clients"), and this is the bound
/// for whatever they miss. It is counted on the clock, not in the thread's own time (a look at
/// that is a system call), so it leaves room for a build running beside the server, which slows
/// every search down: a budget of 20 ms made a test's searches fail during a build.
pub const SEARCH_BUDGET: Duration = Duration::from_millis(100);
/// How long a request may wait for its worker before it is answered 503 at once, without the
/// search: past this the worker is behind by more than it can catch up while the client still
/// waits, and a quick 503 lets the client (or nginx) try again later instead of piling on.
pub const QUEUE_WAIT: Duration = Duration::from_secs(1);
/// What `Retry-After` says on a 503, in seconds.
const RETRY_AFTER_SECONDS: &str = "1";
/// Requests served at once; more wait.
const CONCURRENCY: usize = 512;
/// How often the index folder is looked at for a new build.
const RELOAD_EVERY: Duration = Duration::from_millis(500);

/// Why the server could not start or reload.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The index is missing or broken.
    #[error("cannot open the search index in {path}: {source}")]
    Index {
        /// The index folder.
        path: PathBuf,
        /// Why.
        source: tantivy::TantivyError,
    },
    /// Reading the index stopped part way: a file holds what its reader did not expect.
    #[error("the search index in {path} is damaged: {message}")]
    Damaged {
        /// The index folder.
        path: PathBuf,
        /// What the reader said.
        message: String,
    },
    /// `shell.json` is missing or broken.
    #[error("cannot read {path}: {message} (run `cong build` first)")]
    Shell {
        /// The file.
        path: PathBuf,
        /// Why.
        message: String,
    },
    /// The results page's templates do not compile.
    #[error(transparent)]
    Template(#[from] RenderError),
    /// The address cannot be bound, or serving failed.
    #[error("cannot serve on {addr}: {source}")]
    Io {
        /// The address.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
}

/// One opened build of the index, with its results page.
pub struct Loaded {
    searcher: Searcher,
    page: ResultsPage,
    identity: Option<Identity>,
}

/// What changes when a build swaps a new index in: the folder itself (a new inode) or its
/// `meta.json`.
type Identity = (u64, SystemTime);

fn identity(dir: &Path) -> Option<Identity> {
    use std::os::unix::fs::MetadataExt;
    let folder = std::fs::metadata(dir).ok()?;
    let meta = std::fs::metadata(dir.join("meta.json")).ok()?;
    Some((folder.ino(), meta.modified().ok()?))
}

/// Opens the index in `dir` and its results page.
pub fn load(dir: &Path) -> Result<Loaded, ServeError> {
    let identity = identity(dir);
    let searcher = without_panicking(|| Searcher::open(dir))
        .map_err(|message| ServeError::Damaged {
            path: dir.to_path_buf(),
            message,
        })?
        .map_err(|source| ServeError::Index {
            path: dir.to_path_buf(),
            source,
        })?;
    let shell_path = dir.join(SEARCH_SHELL_FILE);
    let shell: SearchShell = std::fs::read(&shell_path)
        .map_err(|e| e.to_string())
        .and_then(|bytes| serde_json::from_slice(&bytes).map_err(|e| e.to_string()))
        .map_err(|message| ServeError::Shell {
            path: shell_path,
            message,
        })?;
    Ok(Loaded {
        searcher,
        page: ResultsPage::new(shell)?,
        identity,
    })
}

/// How long a client and a search may take, on both servers: the defaults are the constants
/// ([`HEADER_READ_TIMEOUT`], [`WRITE_TIMEOUT`], [`SEARCH_BUDGET`], [`QUEUE_WAIT`]); tests
/// shorten them.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// How long a client may take to send a request's head, or stay idle between requests.
    pub header_read: Duration,
    /// How long a write may wait for a client that does not read.
    pub write: Duration,
    /// How long one search may compute.
    pub search: Duration,
    /// How long a request may wait for its worker.
    pub queue_wait: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_read: HEADER_READ_TIMEOUT,
            write: WRITE_TIMEOUT,
            search: SEARCH_BUDGET,
            queue_wait: QUEUE_WAIT,
        }
    }
}

std::thread_local! {
    /// Set while [`without_panicking`] runs on this thread.
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f`, and returns its panic's message instead of printing it.
///
/// Some corrupt index files make tantivy's readers panic rather than fail (a term dictionary's
/// bit width out of range, a slice past its end), and so do the sets read from them. The panic
/// is an answer here: the index cannot be served. Printed, it would be a backtrace on every
/// look for a new build.
fn without_panicking<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(std::cell::Cell::get) {
                previous(info);
            }
        }));
    });
    QUIET.with(|quiet| quiet.set(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    QUIET.with(|quiet| quiet.set(false));
    result.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "its reader panicked".to_owned())
    })
}

/// The server's state: the index being served, swapped whole when a new one lands.
#[derive(Clone)]
pub struct AppState {
    current: Arc<RwLock<Arc<Loaded>>>,
    dir: PathBuf,
    limits: Limits,
    /// Where heavy searches ([`SearchRequest::is_heavy`]) are computed; on the worker when
    /// the system refused the lane its thread.
    heavy: Option<Arc<heavy::Lane>>,
}

impl AppState {
    /// State serving `loaded`, which was opened from `dir`, with the default budget.
    pub fn new(loaded: Loaded, dir: &Path) -> Self {
        AppState {
            current: Arc::new(RwLock::new(Arc::new(loaded))),
            dir: dir.to_path_buf(),
            limits: Limits::default(),
            heavy: heavy::Lane::start().map(Arc::new),
        }
    }

    /// The same state with the search budget and queue wait of `limits`.
    pub fn with_limits(self, limits: Limits) -> Self {
        AppState { limits, ..self }
    }

    fn loaded(&self) -> Arc<Loaded> {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Sees the documents committed to the index being served since it was opened (the
    /// editor's loop replaces one article at a time).
    pub fn reload_documents(&self) -> Result<(), ServeError> {
        let loaded = self.loaded();
        without_panicking(|| loaded.searcher.reload())
            .map_err(|message| ServeError::Damaged {
                path: self.dir.clone(),
                message,
            })?
            .map_err(|source| ServeError::Index {
                path: self.dir.clone(),
                source,
            })
    }

    /// Opens the index again if a build replaced it since it was opened. Returns whether it did.
    pub fn reload_if_changed(&self) -> Result<bool, ServeError> {
        let now = identity(&self.dir);
        if now.is_none() || now == self.loaded().identity {
            return Ok(false);
        }
        let fresh = Arc::new(load(&self.dir)?);
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = fresh;
        Ok(true)
    }
}

/// An error answered as JSON: `{"error": "..."}`.
#[derive(Debug)]
pub enum ApiError {
    /// The request is malformed (status 400).
    BadRequest(String),
    /// The request waited too long for its worker and was not searched (status 503).
    Queued,
    /// The search ran past its budget (status 503).
    PastBudget,
    /// The server failed (status 500); the cause is logged, not shown.
    Internal(String),
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, message) = match self {
            ApiError::BadRequest(m) => (StatusCode::BAD_REQUEST, m),
            ApiError::Queued => (
                StatusCode::SERVICE_UNAVAILABLE,
                "busy: try again in a moment".to_owned(),
            ),
            ApiError::PastBudget => (
                StatusCode::SERVICE_UNAVAILABLE,
                "the search took too long: try fewer words, or again in a moment".to_owned(),
            ),
            ApiError::Internal(m) => {
                eprintln!("error: {m}");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal error".to_owned(),
                )
            }
        };
        let body = Json(serde_json::json!({ "error": message }));
        if status == StatusCode::SERVICE_UNAVAILABLE {
            return (status, [(RETRY_AFTER, RETRY_AFTER_SECONDS)], body).into_response();
        }
        (status, body).into_response()
    }
}

/// The request, its query cut to what is searched before anything else is done with it.
fn request_of(
    query: Result<Query<SearchRequest>, QueryRejection>,
) -> Result<SearchRequest, ApiError> {
    query
        .map(|Query(r)| r.cut())
        .map_err(|rejection| ApiError::BadRequest(rejection.body_text()))
}

/// What a search answers: the index it ran on, the request as searched, its results.
type Searched = (Arc<Loaded>, SearchRequest, Results);

/// Parses the request and runs it on the index being served, within the state's limits: on
/// the worker, or on the lane of heavy searches when it is heavy.
async fn search(
    state: &AppState,
    query: Result<Query<SearchRequest>, QueryRejection>,
) -> Result<Searched, ApiError> {
    // The request goes to the back of its worker's queue once, so that the time until it comes
    // round again measures how far behind the worker is.
    let arrived = Instant::now();
    tokio::task::yield_now().await;
    let request = request_of(query)?;
    let heavy = request.is_heavy();
    let (loaded, limits) = (state.loaded(), state.limits);
    let work = move || -> Result<Searched, ApiError> {
        if arrived.elapsed() >= limits.queue_wait {
            return Err(ApiError::Queued);
        }
        let deadline = Instant::now() + limits.search;
        let results = loaded
            .searcher
            .search_until(&request, Some(deadline))
            .map_err(|e| match e {
                SearchError::PastDeadline(_) => ApiError::PastBudget,
                SearchError::Index(e) => ApiError::Internal(e.to_string()),
            })?;
        Ok((loaded, request, results))
    };
    match &state.heavy {
        Some(lane) if heavy => lane.run(work).await.unwrap_or_else(|| {
            Err(ApiError::Internal(
                "the thread of heavy searches has stopped".to_owned(),
            ))
        }),
        _ => work(),
    }
}

async fn api_search(
    State(state): State<AppState>,
    query: Result<Query<SearchRequest>, QueryRejection>,
) -> Result<Response, ApiError> {
    let (_, _, results) = search(&state, query).await?;
    // The same bytes serde_json writes, with the strings escaped many bytes at a time: the
    // snippets are most of an answer's bytes, and escaping them one byte at a time was a visible
    // share of a request's instructions (BENCHMARKS.md, "A request's cost").
    let body = sonic_rs::to_vec(&results).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(([(CONTENT_TYPE, "application/json")], body).into_response())
}

async fn results_page(
    State(state): State<AppState>,
    query: Result<Query<SearchRequest>, QueryRejection>,
) -> Result<Response, ApiError> {
    let (loaded, request, results) = search(&state, query).await?;
    let html = loaded
        .page
        .render(&request, &results)
        .map_err(|e| ApiError::Internal(format!("{e:#}")))?;
    Ok(Html(html).into_response())
}

/// The endpoint's routes, with their limits; tests call it without opening a socket.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/api/search", get(api_search))
        .route("/tim-kiem", get(results_page))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            REQUEST_TIMEOUT,
        ))
        .layer(ConcurrencyLimitLayer::new(CONCURRENCY))
        .with_state(state)
}

/// Serves the index in `dir` on `addr` until ctrl-c or SIGTERM, moving to each new build. The
/// calling runtime accepts connections and reloads; a worker a core serves them.
pub async fn run(dir: &Path, addr: SocketAddr, limits: Limits) -> Result<(), ServeError> {
    let state = AppState::new(load(dir)?, dir).with_limits(limits);
    tokio::spawn(reload_each_new_build(state.clone()));
    let listener = connections::listen(addr).map_err(|source| ServeError::Io { addr, source })?;
    let addr = listener
        .local_addr()
        .map_err(|source| ServeError::Io { addr, source })?;
    let gate = connections::Gate::new(connections::cap(1));
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut workers = Workers::start(&router(state), limits, cores)
        .map_err(|source| ServeError::Io { addr, source })?;
    eprintln!("search endpoint on http://{addr}/api/search and http://{addr}/tim-kiem");
    connections::accept(&listener, &gate, |connection, slot| {
        workers.hand(connection, slot)
    })
    .await;
    workers
        .stop()
        .map_err(|source| ServeError::Io { addr, source })
}

/// Looks for a new build every [`RELOAD_EVERY`] and serves it once it opens. A build that does
/// not open is reported in one line, once for each new state of the folder and error, while the
/// previous index stays served.
async fn reload_each_new_build(state: AppState) {
    let mut tick = tokio::time::interval(RELOAD_EVERY);
    let mut reported = None;
    loop {
        tick.tick().await;
        let state = state.clone();
        let reloaded = tokio::task::spawn_blocking(move || {
            let result = state.reload_if_changed();
            (result, identity(&state.dir))
        })
        .await;
        match reloaded {
            Ok((Ok(true), _)) => {
                reported = None;
                eprintln!("serving the new search index");
            }
            Ok((Err(e), now)) => {
                let line = format!("error: {e} (still serving the previous index)");
                let failure = Some((now, line));
                if failure != reported {
                    eprintln!("{}", failure.as_ref().map_or("", |(_, line)| line));
                    reported = failure;
                }
            }
            _ => {}
        }
    }
}

pub(crate) async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
