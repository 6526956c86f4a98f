//! The search endpoint over the fixture network: answers, bad input, the results page, and a
//! new index swapped in under load.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use tower::ServiceExt;

use cong::serve::{self, AppState};

use crate::util::Workspace;

fn built() -> Workspace {
    let w = Workspace::ok();
    w.build().expect("the fixture builds");
    w
}

fn index_dir(w: &Workspace) -> std::path::PathBuf {
    w.dir.path().join("search-index")
}

fn app(w: &Workspace) -> axum::Router {
    let dir = index_dir(w);
    serve::router(AppState::new(serve::load(&dir).unwrap(), &dir))
}

async fn get(app: &axum::Router, uri: &str) -> (StatusCode, String) {
    let response = app
        .clone()
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}

async fn json(app: &axum::Router, uri: &str) -> serde_json::Value {
    let (status, body) = get(app, uri).await;
    assert_eq!(status, StatusCode::OK, "{uri}: {body}");
    serde_json::from_str(&body).unwrap()
}

#[test]
fn a_build_writes_the_index_as_one_segment() {
    let w = built();
    let index = tantivy::Index::open_in_dir(index_dir(&w)).unwrap();
    assert_eq!(index.searchable_segment_ids().unwrap().len(), 1);
}

#[tokio::test]
async fn a_query_without_marks_finds_the_procedure_first() {
    let w = built();
    let r = json(&app(&w), "/api/search?q=dang+ky+khai+sinh").await;
    assert_eq!(r["hits"][0]["url"], "/thu-tuc/1.001193/");
    assert_eq!(r["hits"][0]["kind"], "procedure");
    assert!(r["hits"][0]["snippet"].as_str().unwrap().contains("<mark>"));
    assert_eq!(r["suggestion"], "đăng ký khai sinh");
}

#[tokio::test]
async fn a_query_with_two_misspelt_words_is_corrected_in_both() {
    // While one word is corrected the other is still unknown: no document holds them all.
    let w = built();
    let r = json(&app(&w), "/api/search?q=dnag+ky+khai+snih").await;
    assert_eq!(r["corrected"], "dang ky khai sinh");
    assert_eq!(r["hits"][0]["url"], "/thu-tuc/1.001193/");
}

#[tokio::test]
async fn a_procedure_code_returns_that_procedure_first() {
    let w = built();
    let r = json(&app(&w), "/api/search?q=2.000635").await;
    assert_eq!(r["hits"][0]["url"], "/thu-tuc/2.000635/");
}

#[tokio::test]
async fn a_procedure_code_alone_matches_only_its_procedure() {
    let w = built();
    let r = json(&app(&w), "/api/search?q=2.000635").await;
    assert_eq!(r["total"], 1, "{r}");
}

#[tokio::test]
async fn an_unknown_procedure_code_matches_nothing_rather_than_its_digits() {
    let w = built();
    let r = json(&app(&w), "/api/search?q=1.999999").await;
    assert_eq!(r["total"], 0, "{r}");
    // Its digits alone are in many texts.
    assert!(json(&app(&w), "/api/search?q=1").await["total"].as_u64() > Some(0));
}

#[tokio::test]
async fn words_and_a_code_together_find_the_procedure_with_the_words_marked() {
    let w = built();
    let r = json(&app(&w), "/api/search?q=khai+sinh+1.001193").await;
    assert_eq!(r["total"], 1, "{r}");
    assert_eq!(r["hits"][0]["url"], "/thu-tuc/1.001193/");
    assert!(r["hits"][0]["snippet"].as_str().unwrap().contains("<mark>"));
}

#[tokio::test]
async fn facets_count_and_filter() {
    let w = built();
    let app = app(&w);
    let all = json(&app, "/api/search?q=h%E1%BB%99+t%E1%BB%8Bch").await;
    let kinds = all["facets"]["kind"].as_array().unwrap();
    assert!(kinds.iter().any(|k| k[0] == "procedure"), "{kinds:?}");
    let only = json(
        &app,
        "/api/search?q=h%E1%BB%99+t%E1%BB%8Bch&kind=procedure&level=4",
    )
    .await;
    assert_eq!(only["total"], 1);
    assert_eq!(only["hits"][0]["url"], "/thu-tuc/1.001193/");
}

#[tokio::test]
async fn bad_input_gets_clean_results_or_a_json_400_never_a_500() {
    let w = built();
    let app = app(&w);
    let long = format!("/api/search?q={}", "a".repeat(10 * 1024));
    let cases = [
        ("/api/search?q=", StatusCode::OK),
        (long.as_str(), StatusCode::OK),
        ("/api/search?q=%22khai+sinh", StatusCode::OK),
        (
            "/api/search?q=%2B-%3A%5E%22()%5B%5D%7B%7D~*",
            StatusCode::OK,
        ),
        ("/api/search?q=%E0%A4%A", StatusCode::OK),
        ("/api/search?q=%FF%FE", StatusCode::OK),
        (
            "/api/search?q=khai&portal=khong-co&kind=xyz&agency=x&field=y",
            StatusCode::OK,
        ),
        ("/api/search?q=khai&page=999999", StatusCode::OK),
        ("/api/search?q=khai&per_page=100000", StatusCode::OK),
        ("/api/search?q=khai&page=0&per_page=0", StatusCode::OK),
        ("/api/search?q=khai&level=abc", StatusCode::BAD_REQUEST),
        (
            "/api/search?q=khai&page=99999999999999999999999",
            StatusCode::BAD_REQUEST,
        ),
        (
            "/tim-kiem?q=%3Cscript%3Ealert(1)%3C/script%3E",
            StatusCode::OK,
        ),
        ("/tim-kiem?level=-1", StatusCode::BAD_REQUEST),
    ];
    for (uri, expected) in cases {
        let (status, body) = get(&app, uri).await;
        assert_eq!(status, expected, "{uri}: {body}");
        if status == StatusCode::BAD_REQUEST {
            let error: serde_json::Value = serde_json::from_str(&body).unwrap();
            assert!(error["error"].is_string(), "{uri}: {body}");
        }
        if uri.starts_with("/tim-kiem") && status == StatusCode::OK {
            assert!(!body.contains("<script>alert"), "{uri}: unescaped query");
        }
    }
    let r = json(&app, "/api/search?q=khai&per_page=100000").await;
    assert!(r["hits"].as_array().unwrap().len() <= cong::search::MAX_PER_PAGE);
    let r = json(&app, "/api/search?q=khai&page=999999").await;
    assert!(r["hits"].as_array().unwrap().is_empty());
    let r = json(&app, "/api/search?q=khai&portal=khong-co").await;
    assert_eq!(r["total"], 0);
}

#[tokio::test]
async fn the_results_page_is_html_in_the_portal_theme_with_filters_and_a_way_to_widen() {
    let w = built();
    let app = app(&w);
    let (status, html) = get(&app, "/tim-kiem?q=khai+sinh&portal=so-tu-phap").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<html lang=\"vi\">"));
    assert!(
        html.contains("Sở Tư pháp tỉnh Tiền Giang"),
        "the portal's own header"
    );
    assert!(html.contains("href=\"/thu-tuc/1.001193/\""));
    assert!(html.contains("tìm trên toàn bộ cổng thông tin của tỉnh"));
    assert!(
        html.contains("href=\"/tim-kiem?q=khai+sinh&amp;portal=so-tu-phap&amp;kind=procedure\""),
        "a facet link"
    );
    let (_, unmarked) = get(&app, "/tim-kiem?q=dang+ky+khai+sinh").await;
    assert!(unmarked.contains("Có phải bạn muốn tìm: <a href=\"/tim-kiem?q=%C4%91%C4%83ng+k%C3%BD+khai+sinh\">đăng ký khai sinh</a>"));
}

#[tokio::test]
async fn a_component_portal_with_its_own_search_template_wears_it_on_its_results_page() {
    let w = Workspace::ok();
    w.write(
        "portals/so-tu-phap/theme/templates/search.html",
        "{% extends \"base.html\" %}{% block content %}<p>Tìm trong Sở Tư pháp</p>{% endblock content %}",
    );
    w.build().expect("the fixture builds");
    let app = app(&w);
    let (status, own) = get(&app, "/tim-kiem?q=khai+sinh&portal=so-tu-phap").await;
    assert_eq!(status, StatusCode::OK);
    assert!(own.contains("<p>Tìm trong Sở Tư pháp</p>"), "{own}");
    let (_, other) = get(&app, "/tim-kiem?q=khai+sinh&portal=huyen-cai-be").await;
    assert!(!other.contains("Tìm trong Sở Tư pháp"));
    let (_, network) = get(&app, "/tim-kiem?q=khai+sinh").await;
    assert!(!network.contains("Tìm trong Sở Tư pháp"));
}

#[tokio::test]
async fn the_results_page_of_a_huge_query_is_small_and_its_links_carry_the_cut_query() {
    let w = built();
    let app = app(&w);
    // 65,000 bytes: about the longest URI the server's HTTP parser takes.
    let huge = "khai+sinh+".repeat(6_500);
    let (status, html) = get(&app, &format!("/tim-kiem?q={huge}&kind=procedure")).await;
    assert_eq!(status, StatusCode::OK);
    let (_, small) = get(&app, "/tim-kiem?q=khai+sinh&kind=procedure").await;
    assert!(html.len() < small.len() + 4096, "{} bytes", html.len());
    let cut = ["khai+sinh"; cong::search::MAX_QUERY_WORDS / 2].join("+");
    let links: Vec<&str> = html.split("href=\"/tim-kiem?").skip(1).collect();
    assert!(!links.is_empty());
    for link in links {
        let q = link.split(['&', '"']).next().unwrap();
        assert_eq!(q, format!("q={cut}"));
    }
}

#[tokio::test]
async fn a_request_that_waited_past_the_queue_limit_is_answered_503_without_searching() {
    let w = built();
    let dir = index_dir(&w);
    let limits = serve::Limits {
        queue_wait: std::time::Duration::ZERO,
        ..serve::Limits::default()
    };
    let state = AppState::new(serve::load(&dir).unwrap(), &dir).with_limits(limits);
    let response = serve::router(state)
        .oneshot(
            Request::get("/api/search?q=khai+sinh")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(response.headers()["retry-after"], "1");
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    let error: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(error["error"], "busy: try again in a moment");
}

/// A bare HTTP/1.1 GET on loopback; returns the status code.
async fn http_status(addr: std::net::SocketAddr, path: &str) -> std::io::Result<u16> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    stream
        .write_all(
            format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        )
        .await?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await?;
    let head = String::from_utf8_lossy(&response[..response.len().min(20)]).into_owned();
    Ok(head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_build_is_served_without_restart_and_without_a_failed_request() {
    let w = built();
    let dir = index_dir(&w);
    let state = AppState::new(serve::load(&dir).unwrap(), &dir);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = serve::router(state.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });

    // Clients query without pause (bounded: at most 10 s) while a new build lands.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let clients: Vec<_> = (0..8)
        .map(|_| {
            let stop = stop.clone();
            tokio::spawn(async move {
                let (mut ok, mut failed) = (0, 0);
                let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
                while !stop.load(std::sync::atomic::Ordering::Relaxed)
                    && tokio::time::Instant::now() < deadline
                {
                    match http_status(addr, "/api/search?q=khai+sinh").await {
                        Ok(200) => ok += 1,
                        _ => failed += 1,
                    }
                }
                (ok, failed)
            })
        })
        .collect();

    let before = json(
        &serve::router(state.clone()),
        "/api/search?q=m%C3%A1y+g%E1%BA%B7t+%C4%91%E1%BA%ADp",
    )
    .await;
    assert_eq!(before["total"], 0);
    w.write("portals/tinh/news/may-gat.md", "---\ntitle: Máy gặt đập liên hợp về đồng\ndate: 2022-05-01\n---\nNông dân dùng máy gặt đập liên hợp.\n");
    let w = tokio::task::spawn_blocking(move || w.build().map(|_| w))
        .await
        .unwrap()
        .unwrap();
    let reloaded = tokio::task::spawn_blocking({
        let state = state.clone();
        move || state.reload_if_changed()
    })
    .await
    .unwrap()
    .unwrap();
    assert!(reloaded, "the new index was noticed");
    let after = json(&serve::router(state.clone()), "/api/search?q=may+gat+dap").await;
    assert_eq!(after["hits"][0]["url"], "/tin-tuc/may-gat/");

    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut total_ok = 0;
    for client in clients {
        let (ok, failed) = client.await.unwrap();
        assert_eq!(failed, 0, "a request failed during the swap");
        total_ok += ok;
    }
    assert!(total_ok > 0);
    drop(w);
}

/// The answer to `path` on `port` without its timing, which differs from run to run.
fn answer(port: u16, path: &str) -> serde_json::Value {
    let (status, body) = crate::util::http_get(port, path);
    assert_eq!(status, 200, "{path}: {body}");
    let mut answer: serde_json::Value = serde_json::from_str(&body).unwrap();
    answer["took_ms"] = serde_json::Value::Null;
    answer
}

#[test]
fn the_search_server_answers_many_connections_at_once_and_stops_on_sigterm() {
    use std::time::{Duration, Instant};
    let w = built();
    let port = crate::util::free_port();
    let mut server = std::process::Command::new(env!("CARGO_BIN_EXE_cong"))
        .arg("search-server")
        .arg("--index")
        .arg(index_dir(&w))
        .args(["--addr", &format!("127.0.0.1:{port}")])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while crate::util::http_get(port, "/api/search?q=a").0 != 200 {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the server never answered"
        );
        std::thread::sleep(Duration::from_millis(50));
    }

    let paths = [
        "/api/search?q=dang+ky+khai+sinh",
        "/api/search?q=1.001193",
        "/api/search?q=thu+tuc&kind=procedure&page=2&per_page=3",
    ];
    let expected: Vec<serde_json::Value> = paths.iter().map(|p| answer(port, p)).collect();
    assert_eq!(expected[0]["hits"][0]["url"], "/thu-tuc/1.001193/");
    // Sixteen clients at once, each on connections of its own: every answer is the one a lone
    // request got, whichever worker served it.
    std::thread::scope(|scope| {
        for client in 0..16 {
            let (paths, expected) = (&paths, &expected);
            scope.spawn(move || {
                for round in 0..10 {
                    let i = (client + round) % paths.len();
                    assert_eq!(answer(port, paths[i]), expected[i], "{}", paths[i]);
                }
            });
        }
    });

    let killed = std::process::Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let stopping = Instant::now();
    let status = loop {
        if let Some(status) = server.try_wait().unwrap() {
            break status;
        }
        assert!(
            stopping.elapsed() < Duration::from_secs(10),
            "the server did not stop"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "the server stopped with {status}");
}
