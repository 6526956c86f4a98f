//! What a batch of saved files asks for: nothing (editors' backup and lock files), the
//! articles to take again one by one, or a full build. A pure function of the paths, so it is
//! tested without a file system watcher.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

use notify::EventKind;

use crate::content::is_ignored;

/// What to do about a batch of changed paths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// Only files that are never content changed.
    Nothing,
    /// Existing news articles were edited: take each again, as the content folder names it.
    Articles(Vec<PathBuf>),
    /// Anything else (a new, renamed or deleted file, a page, YAML, a template): build all.
    Build,
}

/// The paths a watcher event says were changed: creations, writes, renames and removals;
/// never reads (the loop's own reading of a file must not start another update).
pub fn changed_paths(event: notify::Event) -> Vec<PathBuf> {
    match event.kind {
        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) | EventKind::Any => {
            event.paths
        }
        EventKind::Access(_) | EventKind::Other => Vec::new(),
    }
}

/// Waits for the next burst of changes and returns its paths once `quiet` has passed without
/// another; `None` when the watcher is gone.
pub fn next_batch(
    events: &Receiver<notify::Result<notify::Event>>,
    quiet: Duration,
) -> Option<Vec<PathBuf>> {
    let mut paths = Vec::new();
    loop {
        let event = if paths.is_empty() {
            events.recv().ok()?
        } else {
            match events.recv_timeout(quiet) {
                Ok(event) => event,
                Err(RecvTimeoutError::Timeout) => return Some(paths),
                Err(RecvTimeoutError::Disconnected) => return Some(paths),
            }
        };
        // A watcher error (an overflowed queue) loses events: treat it as a change of
        // everything.
        match event {
            Ok(event) => paths.extend(changed_paths(event)),
            Err(_) => paths.push(PathBuf::new()),
        }
    }
}

impl Plan {
    /// Both plans at once: what a batch must do when an earlier one did not land.
    pub fn and(self, other: Plan) -> Plan {
        match (self, other) {
            (Plan::Nothing, plan) | (plan, Plan::Nothing) => plan,
            (Plan::Articles(mut a), Plan::Articles(b)) => {
                for path in b {
                    if !a.contains(&path) {
                        a.push(path);
                    }
                }
                Plan::Articles(a)
            }
            _ => Plan::Build,
        }
    }
}

/// What the last good build knows of a content path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Known {
    /// A news article.
    Article,
    /// Another file it read.
    Source,
    /// Nothing: a new file, or an editor's temporary one.
    Unknown,
}

/// Plans for `changed` paths as the watcher reports them (absolute), where `root` is the
/// absolute content folder and `content` the same folder as the user named it, and `known`
/// says what the last build knows of a path. An existing article is taken alone; a path that
/// is gone and that no build read was an editor's temporary file.
pub fn plan(
    changed: &[PathBuf],
    root: &Path,
    content: &Path,
    known: impl Fn(&Path) -> Known,
) -> Plan {
    let mut articles = Vec::new();
    for path in changed {
        // Hidden folders and backup files below the content folder; for a theme, its name.
        let below = path.strip_prefix(root).ok();
        let ignored = below
            .unwrap_or_else(|| Path::new(path.file_name().unwrap_or_default()))
            .components()
            .any(|c| is_ignored(&c.as_os_str().to_string_lossy()));
        if ignored || path.is_dir() {
            continue;
        }
        let Some(rel) = below else {
            return Plan::Build; // a theme file
        };
        let named = content.join(rel);
        match (known(&named), path.exists()) {
            (Known::Article, true) => {
                if !articles.contains(&named) {
                    articles.push(named);
                }
            }
            (Known::Unknown, false) => {}
            _ => return Plan::Build,
        }
    }
    if articles.is_empty() {
        Plan::Nothing
    } else {
        Plan::Articles(articles)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan_for(names: &[&str], known: &[&str]) -> (Plan, tempfile::TempDir) {
        let root = tempfile::tempdir().unwrap();
        let news = root.path().join("portals/so-y-te/news");
        std::fs::create_dir_all(&news).unwrap();
        let changed: Vec<PathBuf> = names.iter().map(|n| root.path().join(n)).collect();
        for path in &changed {
            std::fs::write(path, "x").unwrap();
        }
        let content = Path::new("content");
        let known: Vec<PathBuf> = known.iter().map(|k| content.join(k)).collect();
        let plan = plan(&changed, root.path(), content, |p| {
            if known.iter().any(|k| k == p) {
                Known::Article
            } else {
                Known::Unknown
            }
        });
        (plan, root)
    }

    #[test]
    fn an_edited_article_is_taken_alone_under_the_content_folder_name() {
        let (plan, _root) = plan_for(
            &["portals/so-y-te/news/a.md"],
            &["portals/so-y-te/news/a.md"],
        );
        assert_eq!(
            plan,
            Plan::Articles(vec![PathBuf::from("content/portals/so-y-te/news/a.md")])
        );
    }

    #[test]
    fn editors_backup_and_lock_files_are_nothing() {
        let names = [
            "portals/so-y-te/news/.a.md.swp",
            "portals/so-y-te/news/a.md~",
            "portals/so-y-te/news/#a.md#",
        ];
        assert_eq!(plan_for(&names, &[]).0, Plan::Nothing);
    }

    #[test]
    fn a_new_article_needs_a_full_build() {
        let (plan, _root) = plan_for(
            &["portals/so-y-te/news/b.md"],
            &["portals/so-y-te/news/a.md"],
        );
        assert_eq!(plan, Plan::Build);
    }

    #[test]
    fn a_deleted_article_needs_a_full_build() {
        let root = tempfile::tempdir().unwrap();
        let gone = root.path().join("portals/so-y-te/news/a.md");
        let plan = plan(&[gone], root.path(), Path::new("content"), |_| {
            Known::Article
        });
        assert_eq!(plan, Plan::Build);
    }

    #[test]
    fn reading_a_file_is_not_a_change() {
        use notify::event::{AccessKind, AccessMode, ModifyKind};
        let read = notify::Event::new(EventKind::Access(AccessKind::Close(AccessMode::Read)))
            .add_path(PathBuf::from("a.md"));
        assert!(changed_paths(read).is_empty());
        let write =
            notify::Event::new(EventKind::Modify(ModifyKind::Any)).add_path(PathBuf::from("a.md"));
        assert_eq!(changed_paths(write), vec![PathBuf::from("a.md")]);
    }

    #[test]
    fn a_burst_of_events_is_one_batch() {
        use notify::event::CreateKind;
        let (send, receive) = std::sync::mpsc::channel();
        for name in ["a.md", "b.md"] {
            let event = notify::Event::new(EventKind::Create(CreateKind::File))
                .add_path(PathBuf::from(name));
            send.send(Ok(event)).unwrap();
        }
        let batch = next_batch(&receive, Duration::from_millis(10)).unwrap();
        assert_eq!(batch, vec![PathBuf::from("a.md"), PathBuf::from("b.md")]);
        drop(send);
        assert_eq!(next_batch(&receive, Duration::from_millis(10)), None);
    }

    #[test]
    fn plans_that_did_not_land_are_carried_into_the_next() {
        let a = Plan::Articles(vec![PathBuf::from("a.md")]);
        let b = Plan::Articles(vec![PathBuf::from("b.md"), PathBuf::from("a.md")]);
        assert_eq!(
            a.clone().and(b),
            Plan::Articles(vec![PathBuf::from("a.md"), PathBuf::from("b.md")])
        );
        assert_eq!(a.clone().and(Plan::Nothing), a);
        assert_eq!(Plan::Build.and(a), Plan::Build);
    }

    #[test]
    fn a_temporary_file_that_came_and_went_is_nothing() {
        let root = tempfile::tempdir().unwrap();
        let gone = root.path().join("portals/so-y-te/news/sedAb12Cd");
        let plan = plan(&[gone], root.path(), Path::new("content"), |_| {
            Known::Unknown
        });
        assert_eq!(plan, Plan::Nothing);
    }

    #[test]
    fn a_portal_yaml_needs_a_full_build() {
        let (plan, _root) = plan_for(&["portals/so-y-te/portal.yaml"], &[]);
        assert_eq!(plan, Plan::Build);
    }

    #[test]
    fn a_theme_file_needs_a_full_build() {
        let root = tempfile::tempdir().unwrap();
        let template = PathBuf::from("/elsewhere/themes/default/templates/base.html");
        let plan = plan(&[template], root.path(), Path::new("content"), |_| {
            Known::Unknown
        });
        assert_eq!(plan, Plan::Build);
    }
}
