//! The search endpoint: `GET /api/search` (JSON) and `GET /tim-kiem` (the results page), over
//! the index a build wrote. When a new build swaps a new index in, the server notices within
//! half a second and moves to it; requests in flight finish on the old one, so none fails.
//!
//! `serve` owns HTTP: routes, limits, timeouts, errors as status codes. It must not build pages
//! other than the results page, nor know how ranking works (that is `search`).

mod results_page;
mod workers;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use tower::limit::ConcurrencyLimitLayer;
use tower_http::timeout::TimeoutLayer;

use crate::render::{RenderError, SearchShell, SEARCH_SHELL_FILE};
use crate::search::{Results, SearchRequest, Searcher};
pub use results_page::ResultsPage;
use workers::Workers;

/// How long one request may take before it is answered 503.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);
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
    let searcher = Searcher::open(dir).map_err(|source| ServeError::Index {
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

/// The server's state: the index being served, swapped whole when a new one lands.
#[derive(Clone)]
pub struct AppState {
    current: Arc<RwLock<Arc<Loaded>>>,
    dir: PathBuf,
}

impl AppState {
    /// State serving `loaded`, which was opened from `dir`.
    pub fn new(loaded: Loaded, dir: &Path) -> Self {
        AppState {
            current: Arc::new(RwLock::new(Arc::new(loaded))),
            dir: dir.to_path_buf(),
        }
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
        self.loaded()
            .searcher
            .reload()
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
    /// The server failed (status 500); the cause is logged, not shown.
    Internal(String),
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, message) = match self {
            ApiError::BadRequest(m) => (StatusCode::BAD_REQUEST, m),
            ApiError::Internal(m) => {
                eprintln!("error: {m}");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal error".to_owned(),
                )
            }
        };
        (status, Json(serde_json::json!({ "error": message }))).into_response()
    }
}

fn request_of(
    query: Result<Query<SearchRequest>, QueryRejection>,
) -> Result<SearchRequest, ApiError> {
    query
        .map(|Query(r)| r)
        .map_err(|rejection| ApiError::BadRequest(rejection.body_text()))
}

/// Parses the request and runs it on the index being served.
fn search(
    state: &AppState,
    query: Result<Query<SearchRequest>, QueryRejection>,
) -> Result<(Arc<Loaded>, SearchRequest, Results), ApiError> {
    let request = request_of(query)?;
    let loaded = state.loaded();
    let results = loaded
        .searcher
        .search(&request)
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok((loaded, request, results))
}

async fn api_search(
    State(state): State<AppState>,
    query: Result<Query<SearchRequest>, QueryRejection>,
) -> Result<Response, ApiError> {
    let (_, _, results) = search(&state, query)?;
    // The same bytes serde_json writes, with the strings escaped many bytes at a time: escaping
    // the snippets one byte at a time was 7 % of the server's instructions (BENCHMARKS.md).
    let body = sonic_rs::to_vec(&results).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(([(CONTENT_TYPE, "application/json")], body).into_response())
}

async fn results_page(
    State(state): State<AppState>,
    query: Result<Query<SearchRequest>, QueryRejection>,
) -> Result<Response, ApiError> {
    let (loaded, request, results) = search(&state, query)?;
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
pub async fn run(dir: &Path, addr: SocketAddr) -> Result<(), ServeError> {
    let state = AppState::new(load(dir)?, dir);
    let reloader = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(RELOAD_EVERY);
        loop {
            tick.tick().await;
            let state = reloader.clone();
            match tokio::task::spawn_blocking(move || state.reload_if_changed()).await {
                Ok(Ok(true)) => eprintln!("serving the new search index"),
                Ok(Err(e)) => eprintln!("error: {e} (still serving the previous index)"),
                _ => {}
            }
        }
    });
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| ServeError::Io { addr, source })?;
    let addr = listener
        .local_addr()
        .map_err(|source| ServeError::Io { addr, source })?;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut workers = Workers::start(&router(state), addr, cores)
        .map_err(|source| ServeError::Io { addr, source })?;
    eprintln!("search endpoint on http://{addr}/api/search and http://{addr}/tim-kiem");
    let stopping = shutdown();
    tokio::pin!(stopping);
    loop {
        tokio::select! {
            () = &mut stopping => break,
            accepted = listener.accept() => match accepted {
                Ok((connection, _)) => workers.hand(connection),
                // Out of file descriptors, say: wait for some to be freed, as axum does.
                Err(e) if !is_connection_error(&e) => {
                    eprintln!("error: cannot accept a connection: {e}");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
                Err(_) => {}
            },
        }
    }
    workers
        .stop()
        .map_err(|source| ServeError::Io { addr, source })
}

/// An error of one connection (it closed before it was accepted), not of the listener.
fn is_connection_error(e: &std::io::Error) -> bool {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    matches!(
        e.kind(),
        ConnectionAborted | ConnectionRefused | ConnectionReset
    )
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
