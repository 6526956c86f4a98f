//! Publishing: rendered files are written into a staging folder beside the output folder and
//! swapped in only when the whole build succeeded, so the published site is never half-built
//! and a failed build leaves the previous site byte for byte as it was.
//!
//! `output` owns the output folder and nothing else: it must not decide what a page contains.

use std::io;
use std::path::{Component, Path, PathBuf};

use crate::render::Sink;

/// Replaces (or creates) one file so that readers see the old bytes or the new, never half:
/// the bytes go to a temporary file in the same folder, are synced, and the temporary file is
/// renamed over the target. An existing file keeps its permissions; a new one is `rw-r--r--`.
/// For the files `cong` edits in place (`check --fix`, `new procedure`, `owners --out`).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write as _;
    use std::os::unix::fs::PermissionsExt as _;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let permissions = match std::fs::metadata(path) {
        Ok(meta) => meta.permissions(),
        Err(e) if e.kind() == io::ErrorKind::NotFound => std::fs::Permissions::from_mode(0o644),
        Err(e) => return Err(e),
    };
    let mut file = tempfile::NamedTempFile::new_in(dir)?;
    file.write_all(bytes)?;
    file.as_file().set_permissions(permissions)?;
    file.as_file().sync_data()?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// A site being written aside; dropped without [`Staging::publish`], it is deleted.
#[derive(Debug)]
pub struct Staging {
    dir: tempfile::TempDir,
    target: PathBuf,
}

impl Staging {
    /// Prepares a staging folder next to `target` (same file system, so the swap is a rename).
    pub fn new(target: &Path) -> io::Result<Self> {
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent)?;
        let name = target
            .file_name()
            .map_or_else(|| "site".into(), |n| n.to_string_lossy().into_owned());
        let dir = tempfile::Builder::new()
            .prefix(&format!(".{name}.new-"))
            .tempdir_in(&parent)?;
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
        })
    }

    /// The staging folder.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Puts the staged site in place of the target. Where the platform allows, old and new
    /// are exchanged in one atomic rename, so readers see either the old site or the new one.
    pub fn publish(self) -> io::Result<()> {
        let staged = self.dir.keep();
        set_readable(&staged)?;
        if !self.target.exists() {
            return std::fs::rename(&staged, &self.target);
        }
        exchange(&staged, &self.target)?;
        // `staged` now holds the previous site.
        std::fs::remove_dir_all(&staged)
    }

    fn resolve(&self, path: &str) -> io::Result<PathBuf> {
        resolve(self.dir.path(), path)
    }
}

/// `path` under `root`, its folders made; refused if it would leave `root`.
fn resolve(root: &Path, path: &str) -> io::Result<PathBuf> {
    let rel = Path::new(path);
    let safe = !path.is_empty() && rel.components().all(|c| matches!(c, Component::Normal(_)));
    if !safe {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("`{path}` would leave the site folder"),
        ));
    }
    let full = root.join(rel);
    if let Some(parent) = full.parent() {
        std::fs::create_dir_all(parent)?;
    }
    Ok(full)
}

/// A published folder updated file by file, for the editor's loop: each file is written aside
/// and renamed over the old one, so a reader gets the old page or the new one, never half.
#[derive(Debug)]
pub struct Published {
    root: PathBuf,
}

impl Published {
    /// The published folder `root`.
    pub fn new(root: &Path) -> Self {
        Published {
            root: root.to_path_buf(),
        }
    }
}

impl Sink for Published {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        use std::io::Write as _;
        let full = resolve(&self.root, path)?;
        let folder = full.parent().unwrap_or(&self.root);
        let mut aside = tempfile::NamedTempFile::new_in(folder)?;
        aside.write_all(bytes)?;
        // tempfile makes its files private (0600); a published page is world-readable.
        use std::os::unix::fs::PermissionsExt;
        aside
            .as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))?;
        aside.persist(&full).map(drop).map_err(|e| e.error)
    }

    fn copy(&self, path: &str, from: &Path) -> io::Result<()> {
        self.write(path, &std::fs::read(from)?)
    }
}

/// tempfile makes the staging folder private (0700); a published site is world-readable.
fn set_readable(dir: &Path) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755))
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    let aside = b.with_extension("old");
    std::fs::rename(b, &aside)?;
    std::fs::rename(a, b)?;
    std::fs::rename(&aside, a)
}

impl Sink for Staging {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        std::fs::write(self.resolve(path)?, bytes)
    }

    fn copy(&self, path: &str, from: &Path) -> io::Result<()> {
        std::fs::copy(from, self.resolve(path)?).map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_atomic_write_replaces_the_bytes_and_keeps_the_permissions() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, "cũ").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_atomically(&path, "mới".as_bytes()).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "mới");
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "a temporary file is left"
        );
    }

    #[test]
    fn paths_that_leave_the_site_are_refused() {
        let root = tempfile::tempdir().unwrap();
        let staging = Staging::new(&root.path().join("site")).unwrap();
        for bad in ["../x.html", "/etc/passwd", "a/../../x", ""] {
            assert!(staging.write(bad, b"x").is_err(), "{bad} accepted");
        }
        assert!(staging.write("a/b/index.html", b"x").is_ok());
    }

    #[test]
    fn a_published_file_is_replaced_whole_and_stays_inside() {
        let root = tempfile::tempdir().unwrap();
        std::fs::write(root.path().join("index.html"), "old").unwrap();
        let published = Published::new(root.path());
        published.write("index.html", b"new").unwrap();
        assert_eq!(
            std::fs::read_to_string(root.path().join("index.html")).unwrap(),
            "new"
        );
        assert!(published.write("../x.html", b"x").is_err());
        assert_eq!(std::fs::read_dir(root.path()).unwrap().count(), 1);
    }

    #[test]
    fn publish_replaces_the_previous_site_whole() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("site");
        std::fs::create_dir_all(target.join("old")).unwrap();
        std::fs::write(target.join("old/index.html"), "old").unwrap();
        let staging = Staging::new(&target).unwrap();
        staging.write("index.html", b"new").unwrap();
        staging.publish().unwrap();
        assert_eq!(
            std::fs::read_to_string(target.join("index.html")).unwrap(),
            "new"
        );
        assert!(!target.join("old").exists());
        let leftovers: Vec<_> = std::fs::read_dir(root.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "staging folders left behind");
    }

    #[test]
    fn a_dropped_staging_leaves_nothing_behind() {
        let root = tempfile::tempdir().unwrap();
        let staging = Staging::new(&root.path().join("site")).unwrap();
        staging.write("index.html", b"x").unwrap();
        drop(staging);
        assert_eq!(std::fs::read_dir(root.path()).unwrap().count(), 0);
    }
}
