//! The editor's loop. First the library: an edited article updates exactly the files a full
//! build of the edited content writes, and its search entry. Then `cong serve` itself, as an
//! editor uses it: save a file, see the served page change.

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use cong::build::BuildOptions;
use cong::content::{self, LoadOptions};
use cong::live::{Plan, Session, UpdateError, Updated};
use cong::search::{SearchRequest, Searcher};

use crate::util::{repo, snapshot_tree, Workspace};

/// A copy of the default content and a session over it (its first build done).
fn session() -> (Workspace, Session) {
    let w = Workspace::copy_of(&repo().join("content"));
    let (session, _) = Session::start(w.options()).unwrap_or_else(|e| panic!("{e}"));
    (w, session)
}

/// The file of the `index`-th newest article of the main portal.
fn main_article(w: &Workspace, index: usize) -> PathBuf {
    let network = content::load(&w.content(), LoadOptions::default()).unwrap();
    network.portals[0].news[index].source.at.path.clone()
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} has no `{from}`", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

fn front_matter_line(path: &Path, key: &str) -> String {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .find(|l| l.starts_with(&format!("{key}:")))
        .unwrap_or_else(|| panic!("{} has no {key}", path.display()))
        .to_owned()
}

/// Takes the edited `path` in the session, then checks the site against a full build of the
/// same content, file by file.
fn assert_update_matches_full_build(w: &Workspace, session: &mut Session, path: &Path) {
    let updated = session
        .update(Plan::Articles(vec![path.to_path_buf()]))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        matches!(updated, Updated::Articles { .. }),
        "the edit was not taken alone: {updated:?}"
    );
    let fresh = tempfile::tempdir().unwrap();
    let options = BuildOptions {
        out: fresh.path().join("site"),
        index: fresh.path().join("index"),
        ..w.options()
    };
    cong::build::build(&options, &|_| {}).unwrap();
    let (incremental, full) = (snapshot_tree(&w.out()), snapshot_tree(&options.out));
    assert_eq!(
        incremental.keys().collect::<Vec<_>>(),
        full.keys().collect::<Vec<_>>()
    );
    let differ: Vec<&PathBuf> = full
        .iter()
        .filter(|(file, bytes)| incremental[*file] != **bytes)
        .map(|(file, _)| file)
        .collect();
    assert!(differ.is_empty(), "stale after the update: {differ:?}");
}

#[test]
fn an_edited_body_updates_the_site_as_a_full_build_would() {
    let (w, mut session) = session();
    let path = main_article(&w, 30);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("{text}\nĐoạn văn bổ sung khi biên tập.\n")).unwrap();
    assert_update_matches_full_build(&w, &mut session, &path);
}

#[test]
fn an_edited_body_of_a_latest_article_updates_the_site_as_a_full_build_would() {
    let (w, mut session) = session();
    let path = main_article(&w, 0);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("{text}\nĐoạn văn bổ sung khi biên tập.\n")).unwrap();
    assert_update_matches_full_build(&w, &mut session, &path);
}

#[test]
fn an_edited_title_of_a_latest_article_updates_every_page_that_lists_it() {
    let (w, mut session) = session();
    let path = main_article(&w, 1);
    let title = front_matter_line(&path, "title");
    edit(&path, &title, "title: Tiêu đề đã được biên tập lại");
    assert_update_matches_full_build(&w, &mut session, &path);
}

#[test]
fn a_changed_date_moves_the_article_in_every_list_as_a_full_build_would() {
    let (w, mut session) = session();
    let path = main_article(&w, 30);
    let date = front_matter_line(&path, "date");
    edit(&path, &date, "date: 2022-12-30");
    assert_update_matches_full_build(&w, &mut session, &path);
}

#[test]
fn changed_tags_update_the_tag_pages_as_a_full_build_would() {
    let (w, mut session) = session();
    let network = content::load(&w.content(), LoadOptions::default()).unwrap();
    let main = &network.portals[0];
    let members = |label: &str| {
        let slug = cong::vietnamese::slugify(label);
        main.tags
            .iter()
            .find(|t| t.slug == slug)
            .unwrap()
            .members
            .len()
    };
    // An article past the latest ones whose tags all have other articles too, so that
    // dropping one keeps the portal's set of tags.
    let article = main.news[6..]
        .iter()
        .find(|a| a.meta.tags.len() >= 2 && a.meta.tags.iter().all(|t| members(t) > 1))
        .expect("the default content has such an article");
    let path = article.source.at.path.clone();
    let kept = &article.meta.tags[..article.meta.tags.len() - 1];
    let tags = front_matter_line(&path, "tags");
    edit(&path, &tags, &format!("tags: [{}]", kept.join(", ")));
    assert_update_matches_full_build(&w, &mut session, &path);
}

#[test]
fn an_edit_that_breaks_the_content_is_reported_and_changes_nothing() {
    let (w, mut session) = session();
    let before = snapshot_tree(&w.out());
    let path = main_article(&w, 30);
    let date = front_matter_line(&path, "date");
    edit(&path, &date, "date: ngày mai");
    match session.update(Plan::Articles(vec![path.clone()])) {
        Err(UpdateError::Content(d)) => {
            assert!(
                d.to_string().starts_with(&format!("{}:3:", path.display())),
                "{d}"
            )
        }
        other => panic!("expected a content error, got {other:?}"),
    }
    assert!(snapshot_tree(&w.out()) == before, "the site changed");
}

#[test]
fn the_edited_article_is_found_by_search_after_the_update_and_its_old_version_is_not() {
    let (w, mut session) = session();
    let path = main_article(&w, 30);
    let title = front_matter_line(&path, "title");
    // Opened before the edit and reloaded after it, as `cong serve` does.
    let searcher = Searcher::open(&w.options().index).unwrap();
    edit(
        &path,
        &title,
        "title: Hội thi cắm hoa nghệ thuật xuân Quý Mão",
    );
    session
        .update(Plan::Articles(vec![path.clone()]))
        .unwrap_or_else(|e| panic!("{e}"));
    searcher.reload().unwrap();
    let search = |q: &str| {
        searcher
            .search(&SearchRequest {
                q: q.into(),
                ..SearchRequest::default()
            })
            .unwrap()
            .hits
    };
    let found = search("cam hoa nghe thuat");
    assert_eq!(
        found.first().map(|h| h.title.as_str()),
        Some("Hội thi cắm hoa nghệ thuật xuân Quý Mão")
    );
    let old_title = title
        .trim_start_matches("title:")
        .trim()
        .trim_matches(['"', '\'']);
    assert!(
        !search(old_title).iter().any(|h| h.title == old_title),
        "the old version is still indexed"
    );
}

/// `cong serve` over a copy of the small fixture network, on a free port.
struct Served {
    workspace: Workspace,
    child: Child,
    port: u16,
}

impl Served {
    fn start() -> Served {
        Served::start_with(&[])
    }

    /// The same, with the extra `args`.
    fn start_with(args: &[&str]) -> Served {
        let workspace = Workspace::ok();
        let port = crate::util::free_port();
        let preview = workspace.dir.path().join("preview");
        let themes = workspace.dir.path().join("themes");
        crate::util::copy_dir(&repo().join("themes"), &themes);
        let child = Command::new(env!("CARGO_BIN_EXE_cong"))
            .arg("serve")
            .arg("--content")
            .arg(workspace.content())
            .arg("--themes")
            .arg(&themes)
            .arg("--out")
            .arg(preview.join("site"))
            .arg("--index")
            .arg(preview.join("index"))
            .args(["--port", &port.to_string()])
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let served = Served {
            workspace,
            child,
            port,
        };
        served.eventually("the server answers", |s| s.get("/").0 == 200);
        served
    }

    /// Status and body of a GET on the preview.
    fn get(&self, path: &str) -> (u16, String) {
        crate::util::http_get(self.port, path)
    }

    /// Waits (up to 30 s) until `done` holds.
    fn eventually(&self, what: &str, done: impl Fn(&Served) -> bool) {
        let started = Instant::now();
        while !done(self) {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "timed out waiting until {what}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn write(&self, rel: &str, text: &str) {
        self.workspace.write(rel, text);
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const ARTICLE: &str = "portals/tinh/news/2021/mua-lua.md";
const ARTICLE_URL: &str = "/tin-tuc/mua-lua/";

fn article(title: &str, date: &str) -> String {
    format!("---\ntitle: {title}\ndate: {date}\ntags: [nông nghiệp]\n---\n\nVụ lúa năm nay đạt năng suất cao.\n")
}

#[test]
fn a_saved_article_is_served_updated_with_its_search_entry() {
    let s = Served::start();
    assert!(s.get(ARTICLE_URL).1.contains("Nông dân thu hoạch lúa"));
    s.write(
        ARTICLE,
        &article("Nông dân xuống giống lúa Hè Thu", "2021-03-02"),
    );
    s.eventually("the page shows the new title", |s| {
        s.get(ARTICLE_URL)
            .1
            .contains("Nông dân xuống giống lúa Hè Thu")
    });
    s.eventually("search finds the new title", |s| {
        s.get("/api/search?q=xuong+giong").1.contains(ARTICLE_URL)
    });
}

#[test]
fn a_broken_save_keeps_the_last_good_page_with_the_problems_over_it_until_fixed() {
    let s = Served::start();
    s.write(
        ARTICLE,
        &article("Nông dân thu hoạch lúa", "không phải ngày"),
    );
    s.eventually("the page shows the problem", |s| {
        let (status, page) = s.get(ARTICLE_URL);
        status == 200 && page.contains("cong-problems") && page.contains("mua-lua.md:3:")
    });
    assert!(s
        .get(ARTICLE_URL)
        .1
        .contains("Nông dân thu hoạch lúa Đông Xuân"));
    s.write(ARTICLE, &article("Lúa Đông Xuân được mùa", "2021-03-02"));
    s.eventually("the fixed page is served without the problems", |s| {
        let page = s.get(ARTICLE_URL).1;
        page.contains("Lúa Đông Xuân được mùa") && !page.contains("cong-problems")
    });
}

#[test]
fn a_new_article_file_is_published() {
    let s = Served::start();
    assert_eq!(s.get("/tin-tuc/nuoc-sach/").0, 404);
    s.write(
        "portals/tinh/news/nuoc-sach.md",
        &article("Cấp nước sạch cho vùng hạn mặn", "2021-04-01"),
    );
    s.eventually("the new page is served", |s| {
        s.get("/tin-tuc/nuoc-sach/").1.contains("Cấp nước sạch")
    });
}

#[test]
fn a_deleted_article_file_is_unpublished() {
    let s = Served::start();
    s.workspace.remove(ARTICLE);
    s.eventually("the page is gone", |s| s.get(ARTICLE_URL).0 == 404);
}

#[test]
fn a_renamed_article_file_moves_its_page() {
    let s = Served::start();
    let content = s.workspace.content();
    std::fs::rename(
        content.join(ARTICLE),
        content.join("portals/tinh/news/2021/lua-dong-xuan.md"),
    )
    .unwrap();
    s.eventually("the page is at its new URL only", |s| {
        s.get("/tin-tuc/lua-dong-xuan/").0 == 200 && s.get(ARTICLE_URL).0 == 404
    });
}

#[test]
fn an_edited_portal_yaml_changes_its_pages() {
    let s = Served::start();
    let yaml = s.workspace.content().join("portals/so-tu-phap/portal.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap();
    let name = text
        .lines()
        .find(|l| l.starts_with("name:"))
        .expect("the fixture portal has a name")
        .to_owned();
    std::fs::write(&yaml, text.replace(&name, "name: Sở Tư pháp (tên mới)")).unwrap();
    s.eventually("the portal's home shows the new name", |s| {
        s.get("/so-tu-phap/")
            .1
            .contains("<title>Sở Tư pháp (tên mới)</title>")
    });
}

#[test]
fn an_edited_template_changes_every_page() {
    let s = Served::start();
    let base = s
        .workspace
        .dir
        .path()
        .join("themes/default/templates/base.html");
    let text = std::fs::read_to_string(&base).unwrap();
    let marked = text.replacen("</footer>", "<p>Mẫu giao diện mới</p></footer>", 1);
    assert_ne!(text, marked, "base.html has a footer");
    std::fs::write(&base, marked).unwrap();
    s.eventually("the pages show the new template", |s| {
        ["/", ARTICLE_URL, "/so-tu-phap/"]
            .iter()
            .all(|url| s.get(url).1.contains("Mẫu giao diện mới"))
    });
}

#[test]
fn drafts_are_shown_in_serve_and_never_built() {
    let s = Served::start();
    s.write(
        "portals/tinh/news/ban-nhap.md",
        "---\ntitle: Bản nháp chưa duyệt\ndate: 2021-05-01\ndraft: true\n---\n\nNội dung nháp.\n",
    );
    s.eventually("the draft is served", |s| {
        s.get("/tin-tuc/ban-nhap/")
            .1
            .contains("Bản nháp chưa duyệt")
    });
    let published = s.workspace.build().unwrap();
    assert!(published.pages > 0);
    assert!(!s.workspace.out().join("tin-tuc/ban-nhap").exists());
}

#[test]
fn the_open_tab_is_told_to_reload_after_a_save() {
    let s = Served::start();
    let mut events = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    events
        .write_all(
            format!(
                "GET /_cong/events HTTP/1.1\r\nHost: localhost:{}\r\n\r\n",
                s.port
            )
            .as_bytes(),
        )
        .unwrap();
    events
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut seen = String::new();
    let mut buffer = [0u8; 4096];
    // The stream is open once its headers arrive; then save.
    while !seen.contains("\r\n\r\n") {
        let n = events.read(&mut buffer).unwrap();
        seen.push_str(&String::from_utf8_lossy(&buffer[..n]));
    }
    s.write(ARTICLE, &article("Thu hoạch lúa sớm", "2021-03-02"));
    while !seen.contains("event: reload") {
        let n = events
            .read(&mut buffer)
            .expect("a reload event within 30 s");
        assert!(n > 0, "the stream closed: {seen}");
        seen.push_str(&String::from_utf8_lossy(&buffer[..n]));
    }
}

/// Status of `GET /` on the preview with `host` as its `Host` header.
fn status_for_host(port: u16, host: &str) -> u16 {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let request = format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
        .get(9..12)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

#[test]
fn the_preview_refuses_a_host_that_is_not_its_own_address() {
    let s = Served::start();
    // A page of another site whose name now points at 127.0.0.1 (DNS rebinding).
    assert_eq!(
        status_for_host(s.port, &format!("evil.example:{}", s.port)),
        403
    );
    assert_eq!(status_for_host(s.port, "localhost"), 403);
    assert_eq!(
        status_for_host(s.port, &format!("127.0.0.1:{}", s.port)),
        200
    );
    assert_eq!(
        status_for_host(s.port, &format!("localhost:{}", s.port)),
        200
    );
}

#[test]
fn the_preview_closes_a_connection_that_never_sends_its_request() {
    let s = Served::start_with(&["--header-read-timeout-ms", "500"]);
    let mut stream = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let started = Instant::now();
    let mut buffer = [0u8; 64];
    // Nothing is sent: the read ends when the server closes the connection.
    let read = stream.read(&mut buffer);
    let closed = match &read {
        Ok(n) => *n == 0,
        Err(e) => e.kind() == std::io::ErrorKind::ConnectionReset,
    };
    assert!(closed, "{read:?} after {:?}", started.elapsed());
    assert!(started.elapsed() < Duration::from_secs(3));
}
