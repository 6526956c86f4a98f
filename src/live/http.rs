//! The preview server: the built site, the search endpoint and the live-reload channel on one
//! port. HTML pages get a small script that listens on `/_cong/events` and reloads the tab
//! when an update lands; while the content is broken, every page also carries an overlay
//! with the problems, and the pages themselves stay the last good ones. Only requests that name
//! the preview's own address in `Host` are answered.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, RwLock};

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tokio::sync::broadcast;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::{Stream, StreamExt as _};
use tower::ServiceExt as _;
use tower_http::services::ServeDir;

use crate::model::routes::output_path;
use crate::render::escape_html;

/// Path of the live-reload script.
const SCRIPT_URL: &str = "/_cong/live.js";
/// Path of the event stream.
const EVENTS_URL: &str = "/_cong/events";

/// What the open tabs are told.
#[derive(Debug, Clone)]
pub enum Signal {
    /// A good update landed: reload.
    Reload,
    /// The content is broken: show these problems over the page.
    Problems(String),
}

/// The preview's shared state: where the site is, and the channel to the open tabs.
#[derive(Clone)]
pub struct Preview {
    site: PathBuf,
    signals: broadcast::Sender<Signal>,
    problems: Arc<RwLock<Option<String>>>,
}

impl Preview {
    /// A preview of the site published in `site`.
    pub fn new(site: &Path) -> Self {
        Preview {
            site: site.to_path_buf(),
            signals: broadcast::channel(16).0,
            problems: Arc::new(RwLock::new(None)),
        }
    }

    /// Tells the open tabs what happened; problems stay on every page until the next good
    /// update.
    pub fn signal(&self, signal: Signal) {
        let problems = match &signal {
            Signal::Reload => None,
            Signal::Problems(text) => Some(text.clone()),
        };
        *self.problems.write().unwrap_or_else(|e| e.into_inner()) = problems;
        // No open tab is not an error.
        let _ = self.signals.send(signal);
    }

    fn problems(&self) -> Option<String> {
        self.problems
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

/// The preview's routes, in front of `search` (the endpoint's own router), for requests to
/// `addr` only.
pub fn router(preview: Preview, search: Router, addr: SocketAddr) -> Router {
    let pages = Router::new()
        .route(SCRIPT_URL, get(script))
        .route(EVENTS_URL, get(events))
        .fallback(page)
        .with_state(preview);
    let hosts: Arc<[String]> = hosts(addr).into();
    search
        .merge(pages)
        .layer(middleware::from_fn_with_state(hosts, same_host))
}

/// The `Host` values that name `addr`: itself, and `localhost` on its port when it is a
/// loopback address.
fn hosts(addr: SocketAddr) -> Vec<String> {
    let mut hosts = vec![addr.to_string()];
    if addr.ip().is_loopback() {
        hosts.push(format!("localhost:{}", addr.port()));
    }
    hosts
}

/// Answers only requests whose `Host` names the preview's own address. A page of another site
/// can point its own name at 127.0.0.1 (DNS rebinding) and then read the preview, drafts
/// included, as if it were its own: its requests still carry that other name.
async fn same_host(State(hosts): State<Arc<[String]>>, request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok());
    if host.is_some_and(|host| hosts.iter().any(|h| h.eq_ignore_ascii_case(host))) {
        return next.run(request).await;
    }
    let message = format!("Bản xem trước chỉ trả lời tại http://{}/\n", hosts[0]);
    (StatusCode::FORBIDDEN, message).into_response()
}

async fn script() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        include_str!("live.js"),
    )
}

async fn events(
    State(preview): State<Preview>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let stream = BroadcastStream::new(preview.signals.subscribe()).filter_map(|signal| {
        let event = match signal.ok()? {
            Signal::Reload => Event::default().event("reload").data("reload"),
            Signal::Problems(text) => Event::default().event("problems").data(text),
        };
        Some(Ok(event))
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// A file of the site; HTML pages (and the 404 page) with the live-reload script and, while
/// the content is broken, the overlay.
async fn page(State(preview): State<Preview>, request: Request) -> Response {
    let Some(file) = html_file(&preview.site, request.uri().path()) else {
        return match ServeDir::new(&preview.site).oneshot(request).await {
            Ok(response) if response.status() != StatusCode::NOT_FOUND => response.into_response(),
            _ => not_found(&preview).await,
        };
    };
    match tokio::fs::read_to_string(&file).await {
        Ok(html) => Html(with_live_reload(&html, preview.problems().as_deref())).into_response(),
        Err(_) => not_found(&preview).await,
    }
}

async fn not_found(preview: &Preview) -> Response {
    let html = tokio::fs::read_to_string(preview.site.join("404.html"))
        .await
        .unwrap_or_else(|_| "<!doctype html><title>404</title>".to_owned());
    (
        StatusCode::NOT_FOUND,
        Html(with_live_reload(&html, preview.problems().as_deref())),
    )
        .into_response()
}

/// The HTML file a URL path names, if it is a page of the site: `/a/b/` → `a/b/index.html`.
fn html_file(site: &Path, path: &str) -> Option<PathBuf> {
    let rel = output_path(path);
    if !Path::new(&rel)
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
    {
        return None;
    }
    let mut file = site.join(rel);
    if file.is_dir() {
        file.push("index.html"); // `/a/b` asked without its trailing slash
    }
    (file.extension().is_some_and(|e| e == "html") && file.is_file()).then_some(file)
}

/// `html` with the live-reload script before `</body>`, and the problems' overlay when the
/// content is broken.
fn with_live_reload(html: &str, problems: Option<&str>) -> String {
    let overlay = problems.map_or_else(String::new, |text| {
        format!(
            r#"<div id="cong-problems" role="alert" style="position:fixed;inset:0;z-index:9999;overflow:auto;background:rgba(20,20,20,.92);color:#fff;padding:2rem;font:1rem/1.5 monospace"><h2 style="color:#ffb3b3">Nội dung đang có lỗi — trang hiển thị là bản dựng tốt gần nhất</h2><pre style="white-space:pre-wrap">{}</pre></div>"#,
            escape_html(text)
        )
    });
    let tail = format!(r#"{overlay}<script src="{SCRIPT_URL}"></script>"#);
    match html.rfind("</body>") {
        Some(at) => format!("{}{tail}{}", &html[..at], &html[at..]),
        None => format!("{html}{tail}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_before_the_end_of_the_body() {
        let html = with_live_reload("<html><body><p>x</p></body></html>", None);
        assert_eq!(
            html,
            r#"<html><body><p>x</p><script src="/_cong/live.js"></script></body></html>"#
        );
    }

    #[test]
    fn problems_are_shown_escaped_over_the_page() {
        let html = with_live_reload("<body></body>", Some("a.md:1:1: <b>"));
        assert!(html.contains("a.md:1:1: &lt;b&gt;"));
        assert!(html.contains(r#"role="alert""#));
    }

    #[test]
    fn paths_outside_the_site_are_no_page() {
        let site = tempfile::tempdir().unwrap();
        std::fs::write(site.path().join("index.html"), "x").unwrap();
        assert!(html_file(site.path(), "/").is_some());
        assert!(html_file(site.path(), "/../etc/passwd").is_none());
        assert!(html_file(site.path(), "/khong-co/").is_none());
    }
}
