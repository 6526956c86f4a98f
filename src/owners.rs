//! Who may change what. The editors listed in a portal's `portal.yaml` own its folder
//! `content/portals/<slug>/`, except its `theme/` overrides; the editors of the main portal own
//! those (a template runs for every visitor of the network's one origin, so a department's
//! override goes through their review) and everything else of the content folder
//! (`network.yaml`, a new portal's folder) and the themes: the network-wide files. `cong owners` writes this as a CODEOWNERS file (GitHub and GitLab read the same
//! format, and both accept e-mail addresses as owners); `cong check --as EMAIL` refuses a
//! change outside that editor's files.
//!
//! This module owns the mapping of paths to owners and the CODEOWNERS text. It reads only
//! `network.yaml` and the `portal.yaml` files (so it works while an article is half written),
//! and runs git only to find the repository's root and its changed files.

use std::path::{Component, Path, PathBuf};
use std::process::Command;

use crate::diagnostics::{closest, Diagnostics};
use crate::lint::{Finding, Severity};

/// Why ownership could not be decided.
#[derive(Debug, thiserror::Error)]
pub enum OwnersError {
    /// `network.yaml` or a `portal.yaml` does not load.
    #[error("{0}")]
    Content(Diagnostics),
    /// No portal lists this editor.
    #[error("no portal lists `{email}` among its editors{}", suggestion.as_ref().map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default())]
    UnknownEditor {
        /// The e-mail given.
        email: String,
        /// The closest e-mail of an editor, if one is close.
        suggestion: Option<String>,
    },
    /// A folder is outside the repository that holds the content.
    #[error("{0} is outside the repository at {1}")]
    OutsideRepository(PathBuf, PathBuf),
    /// git failed or is not there.
    #[error("{0}")]
    Git(String),
    /// A folder could not be resolved.
    #[error("cannot resolve {0}: {1}")]
    Io(PathBuf, std::io::Error),
}

/// The editors of every portal, and which portal is the main one.
#[derive(Debug, Clone)]
pub struct Owners {
    main: String,
    /// Folder name and the editors' e-mail addresses, by folder name.
    portals: Vec<(String, Vec<String>)>,
}

/// Who owns a path.
#[derive(Debug, PartialEq, Eq)]
enum Place<'a> {
    /// A portal's folder, but its theme overrides.
    Portal(&'a str),
    /// A portal's `theme/` overrides: the main portal's editors'.
    PortalTheme(&'a str),
    /// A network-wide file: the main portal's editors'.
    Network,
    /// Neither content nor themes (source code, CI …): no editor's.
    Outside,
}

/// Where the content and the themes are, resolved: absolute, symbolic links followed.
#[derive(Debug, Clone)]
pub struct Layout {
    root: PathBuf,
    content: PathBuf,
    themes: PathBuf,
}

impl Layout {
    /// Resolves the folders; the root is the git repository that holds `content`, or the
    /// current folder outside git.
    pub fn new(content: &Path, themes: &Path) -> Result<Self, OwnersError> {
        let content_abs =
            std::fs::canonicalize(content).map_err(|e| OwnersError::Io(content.into(), e))?;
        let root = match git(&content_abs, &["rev-parse", "--show-toplevel"]) {
            Ok(out) => PathBuf::from(out.trim_end_matches('\n')),
            Err(_) => std::env::current_dir().map_err(|e| OwnersError::Io(".".into(), e))?,
        };
        let root = std::fs::canonicalize(&root).map_err(|e| OwnersError::Io(root, e))?;
        Ok(Layout {
            root,
            content: content_abs,
            themes: resolve(themes),
        })
    }

    /// `dir` as a CODEOWNERS pattern: `/` + its path from the root + `/`.
    fn pattern(&self, dir: &Path) -> Result<String, OwnersError> {
        let rel = dir
            .strip_prefix(&self.root)
            .map_err(|_| OwnersError::OutsideRepository(dir.into(), self.root.clone()))?;
        let rel: Vec<_> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect();
        Ok(if rel.is_empty() {
            "/".to_owned()
        } else {
            format!("/{}/", rel.join("/"))
        })
    }

    /// The files git sees as changed in the repository: against `HEAD`, plus untracked files
    /// that are not ignored; absolute.
    pub fn changed_files(&self) -> Result<Vec<PathBuf>, OwnersError> {
        let mut files = Vec::new();
        for args in [
            &["diff", "--name-only", "-z", "HEAD"][..],
            &["ls-files", "--others", "--exclude-standard", "-z"][..],
        ] {
            let out = git(&self.root, args)?;
            files.extend(
                out.split('\0')
                    .filter(|p| !p.is_empty())
                    .map(|p| self.root.join(p)),
            );
        }
        files.sort();
        files.dedup();
        Ok(files)
    }
}

/// Runs git in `dir`, returning its standard output.
fn git(dir: &Path, args: &[&str]) -> Result<String, OwnersError> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| OwnersError::Git(format!("cannot run git: {e}")))?;
    if !out.status.success() {
        return Err(OwnersError::Git(format!(
            "`git {}` failed in {}: {}",
            args.join(" "),
            dir.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// An absolute path with symbolic links followed as far as the path exists (a deleted file's
/// folder still resolves), and `.`/`..` removed.
fn resolve(path: &Path) -> PathBuf {
    if let Ok(real) = std::fs::canonicalize(path) {
        return real;
    }
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    while let Some(parent) = existing.parent() {
        rest.push(existing.file_name().unwrap_or_default().to_owned());
        existing = parent;
        if let Ok(real) = std::fs::canonicalize(existing) {
            return rest.iter().rev().fold(real, |p, name| p.join(name));
        }
    }
    absolute
}

impl Owners {
    /// Reads the editors of every portal under `content`.
    pub fn read(content: &Path) -> Result<Self, OwnersError> {
        let (settings, portals) =
            crate::content::read_portals(content).map_err(OwnersError::Content)?;
        Ok(Owners {
            main: settings.main_portal,
            portals: portals
                .into_iter()
                .map(|(slug, info)| (slug, info.editors.into_iter().map(|e| e.email).collect()))
                .collect(),
        })
    }

    fn editors(&self, slug: &str) -> &[String] {
        self.portals
            .iter()
            .find(|(s, _)| s == slug)
            .map_or(&[][..], |(_, e)| e)
    }

    /// The CODEOWNERS file: a header, the network-wide lines, then one line per portal by
    /// folder name. Later lines win, so a portal's line overrides the content folder's.
    pub fn codeowners(&self, layout: &Layout) -> Result<String, OwnersError> {
        let content = layout.pattern(&layout.content)?;
        let main = self.editors(&self.main).join(" ");
        let mut out = format!(
            "# Who reviews changes to the portals: the editors listed in each portal's portal.yaml.\n\
             # Generated by `cong owners --out CODEOWNERS`; do not edit by hand: change `editors`\n\
             # in portal.yaml and run it again (a test of `cargo test` fails while it is out of date).\n\
             # The main portal's editors ({}) also own the network-wide files: everything in\n\
             # the content folder outside a portal's folder (network.yaml) and the themes.\n\
             # The last matching line wins, so each portal's line below overrides these two, and\n\
             # the last line gives every portal's theme/ overrides back to the main portal's editors.\n\n",
            self.main
        );
        out.push_str(&format!("{content} {main}\n"));
        out.push_str(&format!("{} {main}\n\n", layout.pattern(&layout.themes)?));
        for (slug, editors) in &self.portals {
            out.push_str(&format!("{content}portals/{slug}/ {}\n", editors.join(" ")));
        }
        out.push_str(&format!("\n{content}portals/*/theme/ {main}\n"));
        Ok(out)
    }

    /// Who owns `path` (absolute, resolved).
    fn place<'a>(&'a self, layout: &Layout, path: &Path) -> Place<'a> {
        if let Ok(rel) = path.strip_prefix(&layout.content) {
            let mut parts = rel.components();
            if let (Some(Component::Normal(first)), Some(Component::Normal(slug))) =
                (parts.next(), parts.next())
            {
                if first == "portals" {
                    if let Some((s, _)) = self.portals.iter().find(|(s, _)| s.as_str() == slug) {
                        return match parts.next() {
                            Some(Component::Normal(folder)) if folder == "theme" => {
                                Place::PortalTheme(s)
                            }
                            _ => Place::Portal(s),
                        };
                    }
                }
            }
            return Place::Network;
        }
        if path.starts_with(&layout.themes) {
            return Place::Network;
        }
        Place::Outside
    }

    /// A finding for each of `paths` that `editor` may not change. `paths` are as given (shown
    /// as they are), resolved against the current folder.
    pub fn refusals(
        &self,
        editor: &str,
        paths: &[PathBuf],
        layout: &Layout,
    ) -> Result<Vec<Finding>, OwnersError> {
        let mine: Vec<&str> = self
            .portals
            .iter()
            .filter(|(_, editors)| editors.iter().any(|e| e.eq_ignore_ascii_case(editor)))
            .map(|(slug, _)| slug.as_str())
            .collect();
        if mine.is_empty() {
            let emails = self.portals.iter().flat_map(|(_, e)| e).map(String::as_str);
            let suggestion = closest(editor, emails).map(str::to_owned);
            return Err(OwnersError::UnknownEditor {
                email: editor.to_owned(),
                suggestion,
            });
        }
        let main_editor = mine.contains(&self.main.as_str());
        let mut findings = Vec::new();
        for path in paths {
            let (message, help) = match self.place(layout, &resolve(path)) {
                Place::Portal(slug) if mine.contains(&slug) => continue,
                Place::Network | Place::PortalTheme(_) if main_editor => continue,
                Place::Portal(slug) => (
                    format!(
                        "belongs to portal `{slug}` whose editors are {}",
                        self.editors(slug).join(", ")
                    ),
                    format!("ask one of them to make this change, or to add you to `editors` in {slug}'s portal.yaml"),
                ),
                Place::PortalTheme(slug) => (
                    format!(
                        "is a theme override of portal `{slug}`: templates run for every visitor of the network, so the main portal `{}` reviews them; its editors are {}",
                        self.main,
                        self.editors(&self.main).join(", ")
                    ),
                    "send the override to one of them for review (docs/security.md says what an override may hold)".to_owned(),
                ),
                Place::Network => (
                    format!(
                        "is a network-wide file, kept by the main portal `{}` whose editors are {}",
                        self.main,
                        self.editors(&self.main).join(", ")
                    ),
                    "ask one of them to make this change".to_owned(),
                ),
                Place::Outside => (
                    "is outside the content folder and the themes: no editor may change it".to_owned(),
                    "leave it out of this change, or ask the developers".to_owned(),
                ),
            };
            findings.push(Finding::file(path, Severity::Error, "owner", message, help));
        }
        Ok(findings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owners() -> (Owners, Layout) {
        let owners = Owners {
            main: "tinh".into(),
            portals: vec![
                ("so-y-te".into(), vec!["a@x.vn".into(), "b@x.vn".into()]),
                ("tinh".into(), vec!["c@x.vn".into()]),
            ],
        };
        let layout = Layout {
            root: "/repo".into(),
            content: "/repo/content".into(),
            themes: "/repo/themes".into(),
        };
        (owners, layout)
    }

    #[test]
    fn a_path_belongs_to_its_portal_and_the_rest_of_content_and_themes_to_the_network() {
        let (owners, layout) = owners();
        let place = |p: &str| owners.place(&layout, Path::new(p));
        assert_eq!(
            place("/repo/content/portals/so-y-te/news/a.md"),
            Place::Portal("so-y-te")
        );
        assert_eq!(place("/repo/content/network.yaml"), Place::Network);
        assert_eq!(
            place("/repo/content/portals/so-y-te/theme/templates/article.html"),
            Place::PortalTheme("so-y-te")
        );
        assert_eq!(
            place("/repo/content/portals/moi/portal.yaml"),
            Place::Network
        );
        assert_eq!(place("/repo/themes/default/base.html"), Place::Network);
        assert_eq!(place("/repo/src/main.rs"), Place::Outside);
    }

    #[test]
    fn codeowners_lists_the_network_then_each_portal() {
        let (owners, layout) = owners();
        let text = owners.codeowners(&layout).unwrap();
        let lines: Vec<&str> = text.lines().filter(|l| l.starts_with('/')).collect();
        assert_eq!(
            lines,
            [
                "/content/ c@x.vn",
                "/themes/ c@x.vn",
                "/content/portals/so-y-te/ a@x.vn b@x.vn",
                "/content/portals/tinh/ c@x.vn",
                "/content/portals/*/theme/ c@x.vn",
            ]
        );
    }

    #[test]
    fn a_department_editor_may_not_change_its_portals_theme_overrides_but_the_main_editor_may() {
        let (owners, layout) = owners();
        let files = [PathBuf::from(
            "/repo/content/portals/so-y-te/theme/templates/article.html",
        )];
        let refused = owners.refusals("a@x.vn", &files, &layout).unwrap();
        assert_eq!(refused.len(), 1);
        assert!(
            refused[0].message.contains("theme override"),
            "{:?}",
            refused[0]
        );
        assert!(owners
            .refusals("c@x.vn", &files, &layout)
            .unwrap()
            .is_empty());
        let article = [PathBuf::from("/repo/content/portals/so-y-te/news/a.md")];
        assert!(owners
            .refusals("a@x.vn", &article, &layout)
            .unwrap()
            .is_empty());
    }

    #[test]
    fn an_unknown_editor_is_refused_with_the_closest_one() {
        let (owners, layout) = owners();
        let err = owners.refusals("a@x.com", &[], &layout).unwrap_err();
        assert!(err.to_string().contains("did you mean `a@x.vn`"), "{err}");
    }
}
