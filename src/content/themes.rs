//! Reading themes: the Tera templates and static files of `themes/<name>/`, and each portal's
//! own overrides in `content/portals/<slug>/theme/`. Everything is read into memory here so
//! that `render` never touches the file system.

use std::collections::BTreeMap;
use std::path::Path;

use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, Diagnostics, Location, Problem};
use crate::model::{Network, Theme, Themes};

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
        if !dir.join("templates").is_dir() {
            problems.push(Diagnostic::invalid(
                portal.at.clone(),
                format!(
                    "theme `{name}` not found: there is no folder {}",
                    dir.join("templates").display()
                ),
            ));
            continue;
        }
        themes.insert(name.to_owned(), read_theme(&dir, &mut problems));
    }
    let overrides = network
        .portals
        .iter()
        .map(|p| {
            p.theme_overrides
                .as_deref()
                .map(|dir| read_theme(dir, &mut problems))
        })
        .collect();
    if problems.is_empty() {
        Ok(Themes { themes, overrides })
    } else {
        Err(Diagnostics(problems).sorted())
    }
}

fn read_theme(dir: &Path, problems: &mut Vec<Diagnostic>) -> Theme {
    let mut theme = Theme::default();
    for (sub, is_template) in [("templates", true), ("static", false)] {
        let root = dir.join(sub);
        if !root.is_dir() {
            continue;
        }
        for entry in WalkDir::new(&root).sort_by_file_name() {
            let entry = match entry {
                Ok(e) if e.file_type().is_file() => e,
                Ok(_) => continue,
                Err(err) => {
                    problems.push(Diagnostic::invalid(Location::file(&root), err.to_string()));
                    continue;
                }
            };
            let name = entry
                .path()
                .strip_prefix(&root)
                .expect("walkdir stays below its root")
                .to_string_lossy()
                .replace('\\', "/");
            match std::fs::read(entry.path()) {
                Ok(bytes) if is_template => match String::from_utf8(bytes) {
                    Ok(text) => {
                        theme.templates.insert(name, text);
                    }
                    Err(_) => problems.push(Diagnostic::new(
                        Location::file(entry.path()),
                        Problem::NotUtf8,
                    )),
                },
                Ok(bytes) => {
                    theme.statics.insert(name, bytes);
                }
                Err(err) => problems.push(Diagnostic::new(
                    Location::file(entry.path()),
                    Problem::Io(err),
                )),
            }
        }
    }
    theme
}
