//! Publishing: a build's site and search index are written into a new generation beside the
//! output folder and made live together, by one rename, only when the whole build succeeded
//! ([`Generation`]). The published site is never half-built, never paired with another build's
//! index, and a failed build leaves the previous pair byte for byte as it was.
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

/// A site and its search index written aside as one generation, then published as a pair.
///
/// Every generation lives in a folder of its own under `<parent>/.<site>-generations/`, beside
/// the site's path; `current` there is a link to the live one, and the site's and the index's
/// paths are links through it (`site` → `.site-generations/current/site`). Publishing is one
/// rename of `current`: readers (nginx, the search server) see the previous pair or the new
/// one, never a new site with an old index, and a crash at any point leaves one of the two
/// pairs live. Only then are the previous generations deleted. A build holds a lock on the
/// folder from start to end, so whatever else it finds there is a dead build's and goes.
/// Dropped without [`Generation::publish`], the generation is deleted.
#[derive(Debug)]
pub struct Generation {
    dir: tempfile::TempDir,
    root: PathBuf,
    site: PathBuf,
    index: PathBuf,
    /// Held, locked, until the generation is published or dropped.
    _lock: std::fs::File,
}

/// The live generation's link in the generations folder.
const CURRENT: &str = "current";
/// The lock file in the generations folder.
const LOCK: &str = "lock";

impl Generation {
    /// Prepares a generation for the site at `site` and its index at `index`, waiting for any
    /// other build of the same site to end, and removing what dead builds left.
    pub fn new(site: &Path, index: &Path) -> io::Result<Self> {
        let root = sibling(site, "-generations");
        std::fs::create_dir_all(&root)?;
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(root.join(LOCK))?;
        rustix::fs::flock(&lock, rustix::fs::FlockOperation::LockExclusive)?;
        remove_dead(&root)?;
        for path in [site, index] {
            remove_old_staging(path)?;
        }
        let dir = tempfile::Builder::new().prefix("gen-").tempdir_in(&root)?;
        std::fs::create_dir(dir.path().join("site"))?;
        std::fs::create_dir(dir.path().join("index"))?;
        Ok(Generation {
            dir,
            root,
            site: site.to_path_buf(),
            index: index.to_path_buf(),
            _lock: lock,
        })
    }

    /// The site's folder in this generation, as the sink `render` writes into.
    pub fn site(&self) -> Folder {
        Folder(self.dir.path().join("site"))
    }

    /// The index's folder in this generation.
    pub fn index(&self) -> PathBuf {
        self.dir.path().join("index")
    }

    /// Makes this generation the live one, then deletes the previous ones.
    pub fn publish(self) -> io::Result<()> {
        self.publish_steps(usize::MAX)
    }

    /// The steps of [`Generation::publish`], stopping after `steps` of them as a crash would
    /// (for the tests that crash it at every point).
    fn publish_steps(self, steps: usize) -> io::Result<()> {
        let staged = self.dir.keep();
        let name = staged
            .file_name()
            .expect("a temporary folder has a name")
            .to_owned();
        let current = self.root.join(CURRENT);
        let step: [&dyn Fn() -> io::Result<()>; 5] = [
            &|| set_readable(&staged),
            &|| point(&current, Path::new(&name)),
            &|| point(&self.site, &through(&self.site, &self.root, "site")?),
            &|| point(&self.index, &through(&self.index, &self.root, "index")?),
            &|| remove_dead(&self.root),
        ];
        step.iter().take(steps).try_for_each(|step| step())
    }
}

/// `<parent>/.<name><suffix>` for `path` = `<parent>/<name>`.
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(|| "site".into(), |n| n.to_string_lossy().into_owned());
    parent(path).join(format!(".{name}{suffix}"))
}

fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// What the link at `link` points at to reach `<root>/current/<part>`: relative when the two
/// share a folder (the pair can then be moved whole), else absolute.
fn through(link: &Path, root: &Path, part: &str) -> io::Result<PathBuf> {
    let live = Path::new(root.file_name().expect("the root has a name"))
        .join(CURRENT)
        .join(part);
    if std::fs::canonicalize(parent(link))? == std::fs::canonicalize(parent(root))? {
        Ok(live)
    } else {
        Ok(std::fs::canonicalize(parent(root))?.join(live))
    }
}

/// Makes `link` a symbolic link to `target` in one rename. A folder in its place (a site
/// published before generations) is exchanged for the link, then deleted.
fn point(link: &Path, target: &Path) -> io::Result<()> {
    if std::fs::read_link(link).is_ok_and(|t| t == target) {
        return Ok(());
    }
    let aside = sibling(link, &format!(".link-{}", std::process::id()));
    let _ = std::fs::remove_file(&aside);
    std::os::unix::fs::symlink(target, &aside)?;
    match std::fs::symlink_metadata(link) {
        Ok(meta) if meta.is_dir() => {
            exchange(&aside, link)?;
            std::fs::remove_dir_all(&aside)
        }
        _ => std::fs::rename(&aside, link),
    }
}

/// Deletes everything in the generations folder but its lock and the live generation: older
/// generations, and the unfinished ones of builds that died.
fn remove_dead(root: &Path) -> io::Result<()> {
    let live = std::fs::read_link(root.join(CURRENT)).ok();
    for entry in std::fs::read_dir(root)? {
        let entry = entry?;
        let name = entry.file_name();
        if name == LOCK || name == CURRENT || live.as_deref() == Some(Path::new(&name)) {
            continue;
        }
        if entry.file_type()?.is_dir() {
            std::fs::remove_dir_all(entry.path())?;
        } else {
            std::fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

/// Deletes the staging folders `.<name>.new-*` that builds before generations left beside
/// `path` when they were killed.
fn remove_old_staging(path: &Path) -> io::Result<()> {
    let Some(name) = path.file_name() else {
        return Ok(());
    };
    let prefix = format!(".{}.new-", name.to_string_lossy());
    let Ok(entries) = std::fs::read_dir(parent(path)) else {
        return Ok(());
    };
    for entry in entries {
        let entry = entry?;
        if entry.file_name().to_string_lossy().starts_with(&prefix) && entry.file_type()?.is_dir() {
            std::fs::remove_dir_all(entry.path())?;
        }
    }
    Ok(())
}

/// A folder being filled with a site, as a [`Sink`].
#[derive(Debug)]
pub struct Folder(PathBuf);

impl Folder {
    /// The folder.
    pub fn path(&self) -> &Path {
        &self.0
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

/// tempfile makes the generation's folder private (0700); a published site is world-readable.
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

impl Sink for Folder {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        std::fs::write(resolve(&self.0, path)?, bytes)
    }

    fn copy(&self, path: &str, from: &Path) -> io::Result<()> {
        std::fs::copy(from, resolve(&self.0, path)?).map(drop)
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
        let generation =
            Generation::new(&root.path().join("site"), &root.path().join("index")).unwrap();
        let site = generation.site();
        for bad in ["../x.html", "/etc/passwd", "a/../../x", ""] {
            assert!(site.write(bad, b"x").is_err(), "{bad} accepted");
        }
        assert!(site.write("a/b/index.html", b"x").is_ok());
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

    /// A generation whose site and index both say `mark`, not yet published.
    fn staged(root: &Path, mark: &str) -> Generation {
        let generation = Generation::new(&root.join("site"), &root.join("index")).unwrap();
        generation
            .site()
            .write("index.html", mark.as_bytes())
            .unwrap();
        std::fs::write(generation.index().join("meta.json"), mark).unwrap();
        generation
    }

    /// What the live site and the live index say.
    fn live(root: &Path) -> (String, String) {
        let read = |p: &str| std::fs::read_to_string(root.join(p)).unwrap();
        (read("site/index.html"), read("index/meta.json"))
    }

    fn generations(root: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(root.join(".site-generations"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn publish_makes_the_site_and_its_index_live_together_and_deletes_the_previous_pair() {
        let root = tempfile::tempdir().unwrap();
        staged(root.path(), "a").publish().unwrap();
        staged(root.path(), "b").publish().unwrap();
        assert_eq!(live(root.path()), ("b".into(), "b".into()));
        let names = generations(root.path());
        assert_eq!(names.len(), 3, "{names:?}");
        assert!(names[0] == "current" && names[1].starts_with("gen-") && names[2] == "lock");
    }

    #[test]
    fn a_crash_at_any_point_of_publishing_leaves_a_matched_pair_live_and_the_next_build_cleans_up()
    {
        for steps in 0..=5 {
            let root = tempfile::tempdir().unwrap();
            staged(root.path(), "a").publish().unwrap();
            staged(root.path(), "b").publish_steps(steps).unwrap();
            let (site, index) = live(root.path());
            assert_eq!(site, index, "a crash after {steps} steps");
            let expected = if steps >= 2 { "b" } else { "a" };
            assert_eq!(site, expected, "a crash after {steps} steps");
            drop(Generation::new(&root.path().join("site"), &root.path().join("index")).unwrap());
            assert_eq!(generations(root.path()).len(), 3, "after {steps} steps");
        }
    }

    #[test]
    fn a_site_published_before_generations_is_taken_over() {
        let root = tempfile::tempdir().unwrap();
        for (dir, file) in [("site", "index.html"), ("index", "meta.json")] {
            std::fs::create_dir_all(root.path().join(dir)).unwrap();
            std::fs::write(root.path().join(dir).join(file), "cũ").unwrap();
        }
        let dead = root.path().join(".site.new-x1y2");
        std::fs::create_dir_all(&dead).unwrap();
        staged(root.path(), "b").publish().unwrap();
        assert_eq!(live(root.path()), ("b".into(), "b".into()));
        assert!(!dead.exists(), "a dead build's staging folder is left");
    }

    #[test]
    fn a_dropped_generation_leaves_the_live_pair_and_nothing_else() {
        let root = tempfile::tempdir().unwrap();
        staged(root.path(), "a").publish().unwrap();
        drop(staged(root.path(), "b"));
        assert_eq!(live(root.path()), ("a".into(), "a".into()));
        assert_eq!(generations(root.path()).len(), 3);
    }
}
