//! Helpers: a private copy of a fixture network, builds into a temporary folder, file access.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use cong::build::{build, BuildError, BuildOptions, BuildSummary};

/// A fixture network copied into a temporary folder, with an output folder beside it.
pub struct Workspace {
    pub dir: tempfile::TempDir,
}

impl Workspace {
    /// A private copy of `tests/fixtures/ok`.
    pub fn ok() -> Self {
        Workspace::copy_of(&repo().join("tests/fixtures/ok"))
    }

    /// A private copy of the content folder `content`.
    pub fn copy_of(content: &Path) -> Self {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(content, &dir.path().join("content"));
        Workspace { dir }
    }

    pub fn content(&self) -> PathBuf {
        self.dir.path().join("content")
    }

    pub fn out(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    /// Writes a content file (creating folders), relative to the content folder.
    pub fn write(&self, rel: &str, text: impl AsRef<[u8]>) {
        let path = self.content().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    pub fn remove(&self, rel: &str) {
        std::fs::remove_file(self.content().join(rel)).unwrap();
    }

    pub fn options(&self) -> BuildOptions {
        BuildOptions {
            content: self.content(),
            themes: repo().join("themes"),
            out: self.out(),
            index: self.dir.path().join("search-index"),
            base_url: None,
            drafts: false,
        }
    }

    pub fn build(&self) -> Result<BuildSummary, BuildError> {
        build(&self.options(), &|_| {})
    }

    /// A published file, as text.
    pub fn page(&self, rel: &str) -> String {
        std::fs::read_to_string(self.out().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// The content-relative path of a diagnostic, for stable messages.
    pub fn errors(&self) -> Vec<String> {
        match self.build() {
            Err(BuildError::Content(diagnostics)) => {
                let prefix = format!("{}/", self.content().display());
                diagnostics
                    .0
                    .iter()
                    .map(|d| d.to_string().replace(&prefix, ""))
                    .collect()
            }
            other => panic!("expected content errors, got {other:?}"),
        }
    }
}

/// The default content, built once for every test of this binary that reads it: the site
/// and the search index, in a folder that lives as long as the test process.
pub fn default_build() -> &'static (tempfile::TempDir, BuildSummary) {
    static BUILT: std::sync::OnceLock<(tempfile::TempDir, BuildSummary)> =
        std::sync::OnceLock::new();
    BUILT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let options = BuildOptions {
            content: repo().join("content"),
            themes: repo().join("themes"),
            out: dir.path().join("site"),
            index: dir.path().join("search-index"),
            base_url: None,
            drafts: false,
        };
        let summary = build(&options, &|_| {}).unwrap_or_else(|e| panic!("{e}"));
        (dir, summary)
    })
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file of a folder with its bytes: to compare a tree before and after.
pub fn snapshot_tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// Runs the `cong` binary in `dir` with `args`.
pub fn cong(dir: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_cong"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

impl Workspace {
    /// `cong check --format json` over this workspace's content, with `extra` arguments: the
    /// exit code and the findings.
    pub fn check_json(&self, extra: &[&str]) -> (Option<i32>, Vec<serde_json::Value>) {
        let themes = repo().join("themes");
        let mut args = vec![
            "check",
            "--format",
            "json",
            "--themes",
            themes.to_str().unwrap(),
        ];
        args.extend(extra);
        let output = cong(self.dir.path(), &args);
        let findings = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
            panic!(
                "{e}: {}\n{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            )
        });
        (output.status.code(), findings)
    }

    /// The codes of the findings of `cong check`.
    pub fn check_codes(&self) -> Vec<String> {
        self.check_json(&[])
            .1
            .iter()
            .map(|f| f["code"].as_str().unwrap().to_owned())
            .collect()
    }
}

/// Status and body of `GET path` on 127.0.0.1:`port`, on a connection of its own; status 0
/// when nothing answers.
pub fn http_get(port: u16, path: &str) -> (u16, String) {
    use std::io::{Read as _, Write as _};
    let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
        return (0, String::new());
    };
    let request =
        format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = String::new();
    if stream.read_to_string(&mut response).is_err() {
        return (0, String::new());
    }
    let status = response
        .get(9..12)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

/// A free port on 127.0.0.1.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
