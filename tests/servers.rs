//! Hostile clients against the real `cong search-server`: requests trickled or never sent,
//! more connections than descriptors, searches past their budget, huge URLs, and a damaged
//! index landing while it serves. Every server here runs on 127.0.0.1, with its time limits
//! shortened by its hidden flags so that each test takes a second or two.

use std::io::{ErrorKind, Read as _, Write as _};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::{free_port, Workspace};

/// A built fixture network and `cong search-server` over its index, killed when dropped.
struct Server {
    workspace: Workspace,
    child: Child,
    port: u16,
}

impl Server {
    /// The server over a fresh build of the fixture network, with the extra `args`.
    fn start(args: &[&str]) -> Server {
        Server::start_limited(args, None)
    }

    /// The same, with at most `descriptors` file descriptors (soft and hard limit) when given.
    fn start_limited(args: &[&str], descriptors: Option<u64>) -> Server {
        let workspace = Workspace::ok();
        workspace.build().expect("the fixture builds");
        let port = free_port();
        let mut command = Command::new(env!("CARGO_BIN_EXE_cong"));
        command
            .arg("search-server")
            .arg("--index")
            .arg(workspace.dir.path().join("search-index"))
            .args(["--addr", &format!("127.0.0.1:{port}")])
            .args(args)
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(workspace.dir.path().join("stderr")).unwrap());
        if let Some(descriptors) = descriptors {
            use std::os::unix::process::CommandExt as _;
            let limit = rustix::process::Rlimit {
                current: Some(descriptors),
                maximum: Some(descriptors),
            };
            // SAFETY: setrlimit is one system call, safe between fork and exec.
            unsafe {
                command.pre_exec(move || {
                    rustix::process::setrlimit(rustix::process::Resource::Nofile, limit)
                        .map_err(std::io::Error::from)
                });
            }
        }
        let server = Server {
            child: command.spawn().unwrap(),
            workspace,
            port,
        };
        let started = Instant::now();
        while get(port, "/api/search?q=a").0 == 0 {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "the server never answered: {}",
                server.stderr()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    fn index(&self) -> PathBuf {
        self.workspace.dir.path().join("search-index")
    }

    /// What the server printed on its standard error so far.
    fn stderr(&self) -> String {
        std::fs::read_to_string(self.workspace.dir.path().join("stderr")).unwrap_or_default()
    }

    fn connect(&self) -> TcpStream {
        TcpStream::connect(("127.0.0.1", self.port)).unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Status, headers and body of `GET path` on its own connection, given up after 5 s (status
/// 0 when nothing answered by then).
fn get(port: u16, path: &str) -> (u16, String, String) {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return (0, String::new(), String::new());
    };
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let request =
        format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return (0, String::new(), String::new());
    }
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let response = String::from_utf8_lossy(&response).into_owned();
    let status = response
        .get(9..12)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or_default();
    (status, head.to_lowercase(), body.to_owned())
}

/// Whether the server closed `stream` within `within`, reading (and dropping) what it sends.
fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    let started = Instant::now();
    stream
        .set_read_timeout(Some(Duration::from_millis(50)))
        .unwrap();
    let mut buffer = [0u8; 4096];
    while started.elapsed() < within {
        match stream.read(&mut buffer) {
            Ok(0) => return true,
            Ok(_) => {}
            Err(e) if e.kind() == ErrorKind::WouldBlock || e.kind() == ErrorKind::TimedOut => {}
            Err(_) => return true,
        }
    }
    false
}

#[test]
fn a_client_that_trickles_its_request_head_is_closed_within_the_header_timeout() {
    let server = Server::start(&["--header-read-timeout-ms", "500"]);
    let mut stream = server.connect();
    let mut writer = stream.try_clone().unwrap();
    let head = format!(
        "GET /api/search?q=khai+sinh HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nX-Slow: ",
        server.port
    );
    // One byte every 50 ms, the head never ending, until the server closes the connection.
    let trickle = std::thread::spawn(move || {
        for byte in head.bytes().chain(std::iter::repeat_n(b'a', 100)) {
            if writer.write_all(&[byte]).is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    });
    assert!(closed_within(&mut stream, Duration::from_secs(3)));
    trickle.join().unwrap();
}

#[test]
fn an_idle_kept_alive_connection_is_closed() {
    let server = Server::start(&["--header-read-timeout-ms", "500"]);
    let mut stream = server.connect();
    let request = format!(
        "GET /api/search?q=khai+sinh HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
        server.port
    );
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = [0u8; 12];
    stream.read_exact(&mut answer).unwrap();
    assert_eq!(&answer, b"HTTP/1.1 200");
    // The rest of the answer is read, then nothing comes until the server closes.
    assert!(closed_within(&mut stream, Duration::from_secs(3)));
}

#[test]
fn a_client_that_does_not_read_its_answers_is_closed_by_the_write_timeout() {
    let server = Server::start(&["--write-timeout-ms", "500"]);
    let mut stream = server.connect();
    // Results pages of tens of kilobytes each, asked for without pause and never read: the
    // sockets' buffers fill, then the server's writes wait. Only a closed connection makes a
    // write fail; a full one makes it time out.
    stream
        .set_write_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    let request = format!(
        "GET /tim-kiem?q=khai+sinh HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
        server.port
    );
    let (request, mut at) = (request.as_bytes(), 0);
    let started = Instant::now();
    let closed = loop {
        match stream.write(&request[at..]) {
            Ok(n) => at = (at + n) % request.len(),
            Err(e) if e.kind() == ErrorKind::WouldBlock || e.kind() == ErrorKind::TimedOut => {}
            Err(_) => break true,
        }
        if started.elapsed() > Duration::from_secs(20) {
            break false;
        }
    };
    assert!(closed, "still open after {:?}", started.elapsed());
}

#[test]
fn with_more_idle_connections_than_descriptors_a_search_still_answers() {
    // 128 descriptors, and twice as many connections held open without a request.
    let server = Server::start_limited(&[], Some(128));
    let idle: Vec<TcpStream> = (0..256).map(|_| server.connect()).collect();
    let started = Instant::now();
    let (status, _, body) = get(server.port, "/api/search?q=khai+sinh");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("/thu-tuc/1.001193/"), "{body}");
    assert!(started.elapsed() < Duration::from_secs(2));
    drop(idle);
}

#[test]
fn a_search_past_its_budget_is_answered_503_with_retry_after() {
    let server = Server::start(&["--search-budget-ms", "0"]);
    let (status, head, body) = get(server.port, "/api/search?q=khai+sinh");
    assert_eq!(status, 503, "{body}");
    assert!(head.contains("\r\nretry-after: 1"), "{head}");
    let error: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(
        error["error"].as_str().unwrap().contains("too long"),
        "{body}"
    );
}

#[test]
fn a_one_megabyte_url_gets_a_4xx() {
    let server = Server::start(&[]);
    let q = "a".repeat(1 << 20);
    let (status, _, _) = get(server.port, &format!("/api/search?q={q}"));
    assert!((400..500).contains(&status), "{status}");
}

#[test]
fn a_damaged_index_is_reported_in_one_line_while_the_previous_one_stays_served() {
    let server = Server::start(&[]);
    // The live generation's index folder, which `search-index` reaches through links.
    let index = std::fs::canonicalize(server.index()).unwrap();
    let damaged = index.with_file_name("damaged-index");
    crate::util::copy_dir(&index, &damaged);
    // Bytes early in the segment's postings index, past any check of its footer: reading the
    // sets of frequent terms from it goes out of bounds.
    let idx = only_file_with_extension(&damaged, "idx");
    let mut bytes = std::fs::read(&idx).unwrap();
    let start = bytes.len() / 10;
    bytes[start..start + 40].fill(0xff);
    std::fs::write(&idx, bytes).unwrap();
    // A new build lands: the folder is swapped.
    std::fs::rename(&index, index.with_file_name("previous-index")).unwrap();
    std::fs::rename(&damaged, &index).unwrap();

    // Ten looks for a new build.
    std::thread::sleep(Duration::from_secs(5));
    let (status, _, body) = get(server.port, "/api/search?q=khai+sinh");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("/thu-tuc/1.001193/"), "{body}");
    let stderr = server.stderr();
    let reports: Vec<&str> = stderr
        .lines()
        .filter(|l| !l.starts_with("search endpoint on "))
        .collect();
    assert_eq!(reports.len(), 1, "{stderr}");
    assert!(reports[0].contains("is damaged"), "{stderr}");
    assert!(
        reports[0].ends_with("(still serving the previous index)"),
        "{stderr}"
    );
}

/// The one file of `dir` whose name ends in `.extension`.
fn only_file_with_extension(dir: &Path, extension: &str) -> PathBuf {
    let files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == extension))
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    files[0].clone()
}
