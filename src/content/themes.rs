//! Reading themes: the Tera templates and static files of `themes/<name>/`, and each portal's
//! own overrides in `content/portals/<slug>/theme/`. Everything is read into memory here so
//! that `render` never touches the file system, and held to [`super::active`]'s rules as it is
//! read: no template reads the machine, and a portal's override is a department's untrusted
//! file (only its own pages' templates, no scripts, nothing printed unescaped).

use std::collections::BTreeMap;
use std::path::Path;

use walkdir::WalkDir;

use super::active::{self, Offence};
use super::{located_offence, plain};
use crate::diagnostics::{Diagnostic, Diagnostics, Location, Problem};
use crate::model::{Network, Theme, Themes};

/// Whose files a theme folder holds: the network's (reviewed by the main portal's editors) or
/// one department's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Keeper {
    Network,
    Department,
}

/// Reads the themes the portals of `network` pick from `themes_dir`, and their overrides.
pub fn load(themes_dir: &Path, network: &Network) -> Result<Themes, Diagnostics> {
    let mut problems = Vec::new();
    let mut themes = BTreeMap::new();
    for portal in &network.portals {
        let name = portal.theme();
        if themes.contains_key(name) {
            continue;
        }
        let dir = themes_dir.join(name);
        if !std::fs::symlink_metadata(dir.join("templates")).is_ok_and(|m| m.is_dir()) {
            problems.push(Diagnostic::invalid(
                portal.at.clone(),
                format!(
                    "theme `{name}` not found: there is no folder {}",
                    dir.join("templates").display()
                ),
            ));
            continue;
        }
        themes.insert(
            name.to_owned(),
            read_theme(&dir, Keeper::Network, &mut problems),
        );
    }
    let overrides = network
        .portals
        .iter()
        .map(|p| {
            p.theme_overrides
                .as_deref()
                .map(|dir| read_theme(dir, Keeper::Department, &mut problems))
        })
        .collect();
    if problems.is_empty() {
        Ok(Themes { themes, overrides })
    } else {
        Err(Diagnostics(problems).sorted())
    }
}

fn read_theme(dir: &Path, keeper: Keeper, problems: &mut Vec<Diagnostic>) -> Theme {
    let mut theme = Theme::default();
    for (sub, is_template) in [("templates", true), ("static", false)] {
        let root = dir.join(sub);
        if std::fs::symlink_metadata(&root).is_err() {
            continue;
        }
        for entry in WalkDir::new(&root)
            .follow_root_links(false)
            .sort_by_file_name()
        {
            let entry = match entry {
                Ok(e) => e,
                Err(err) => {
                    problems.push(Diagnostic::invalid(Location::file(&root), err.to_string()));
                    continue;
                }
            };
            if let Some(problem) = plain::kind_problem(entry.file_type()) {
                problems.push(Diagnostic::new(Location::file(entry.path()), problem));
                continue;
            }
            if entry.file_type().is_dir() {
                continue;
            }
            let path = entry.path();
            let name = path
                .strip_prefix(&root)
                .expect("walkdir stays below its root")
                .to_string_lossy()
                .replace('\\', "/");
            let bytes = match plain::read(path) {
                Ok(bytes) => bytes,
                Err(problem) => {
                    problems.push(Diagnostic::new(Location::file(path), problem));
                    continue;
                }
            };
            if !is_template {
                if keeper == Keeper::Department {
                    let found = active::asset_problem(&name, &bytes);
                    problems.extend(found.map(|o| located_offence(path, &bytes, o)));
                }
                theme.statics.insert(name, bytes);
                continue;
            }
            let Ok(text) = String::from_utf8(bytes) else {
                problems.push(Diagnostic::new(Location::file(path), Problem::NotUtf8));
                continue;
            };
            problems.extend(template_problems(path, &name, &text, keeper));
            theme.templates.insert(name, text);
        }
    }
    theme
}

/// What a template may not hold, located; a department's override is held to more rules.
fn template_problems(path: &Path, name: &str, text: &str, keeper: Keeper) -> Vec<Diagnostic> {
    let mut found = active::machine_access(text);
    if keeper == Keeper::Department {
        if !active::OVERRIDABLE.contains(&name) {
            found.push(Offence {
                offset: 0,
                message: format!(
                    "a portal may not override `{name}`: it is drawn for the whole network; a portal overrides only its own pages' templates: {}",
                    active::OVERRIDABLE.join(", ")
                ),
            });
        }
        found.extend(active::scripts(text));
        found.extend(active::unescaped_output(text));
    }
    found.sort_by_key(|o| o.offset);
    found
        .into_iter()
        .map(|o| located_offence(path, text.as_bytes(), o))
        .collect()
}
