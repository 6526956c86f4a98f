//! Reading `content/`: walks the folder, parses front matter and YAML into typed records,
//! normalises text to NFC, refuses characters that pages and feeds cannot hold, finds the
//! site-absolute links in markdown, and hands everything to [`model::assemble`]. Every problem
//! is reported with its `path:line:col`, all of them at once.
//!
//! `content` owns the layout of the content folder and the reading of files; it must not decide
//! URLs (that is `model`) nor produce HTML (that is `render`).

mod active;
mod front_matter;
mod plain;
mod text;
pub mod themes;

pub use plain::read as read_plain;

pub(crate) use text::{key_location, line_col};

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, Diagnostics, Location, Problem};
use crate::model::{
    self, Article, Asset, Document, DocumentRecord, FrontMatter, Markdown, Network,
    NetworkSettings, Page, PortalInfo, PortalSource, Procedure, Source,
};
use crate::vietnamese::{is_slug, slugify};
use crate::yaml;

/// What to load.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    /// Keep articles and pages marked `draft: true`.
    pub drafts: bool,
}

/// The folders a portal may have, besides `portal.yaml`.
const PORTAL_FOLDERS: [&str; 6] = [
    "pages",
    "news",
    "documents",
    "procedures",
    "assets",
    "theme",
];

/// Loads and checks the whole content folder.
pub fn load(dir: &Path, options: LoadOptions) -> Result<Network, Diagnostics> {
    let network_file = dir.join("network.yaml");
    let settings: NetworkSettings =
        match read_text(&network_file).and_then(|text| parse_yaml(&network_file, &text, 0)) {
            Ok(settings) => settings,
            Err(d) => return Err(Diagnostics(vec![d])),
        };

    let (files, mut problems) = discover(dir);
    let parsed: Vec<Result<Parsed, Vec<Diagnostic>>> = files
        .par_iter()
        .map(|file| parse_file(file, options))
        .collect();

    let mut portals: Vec<Option<PortalParts>> = Vec::new();
    let mut slugs: Vec<String> = Vec::new();
    for (file, result) in files.iter().zip(parsed) {
        let index = match slugs.iter().position(|s| *s == file.portal) {
            Some(i) => i,
            None => {
                slugs.push(file.portal.clone());
                portals.push(Some(PortalParts::default()));
                slugs.len() - 1
            }
        };
        let parts = portals[index].as_mut().expect("parts are taken only below");
        parts.has_portal_file |= file.kind == FileKind::Portal;
        match result {
            Ok(Parsed::Portal(info)) => parts.info = Some((info, Location::file(&file.path))),
            Ok(Parsed::Page(page)) => parts.pages.push(page),
            Ok(Parsed::Article(article)) => parts.news.push(article),
            Ok(Parsed::Documents(docs)) => parts.documents.extend(docs),
            Ok(Parsed::Procedures(procs)) => parts.procedures.extend(procs),
            Ok(Parsed::Asset(asset)) => parts.assets.push(asset),
            Ok(Parsed::Theme(dir)) => parts.theme = Some(dir),
            Ok(Parsed::Skipped) => {}
            Err(mut ds) => problems.append(&mut ds),
        }
    }

    let mut sources = Vec::new();
    for (slug, parts) in slugs.into_iter().zip(portals) {
        let parts = parts.expect("each portal is taken once");
        let Some((info, at)) = parts.info else {
            if parts.has_portal_file {
                continue; // its own parse error is reported already
            }
            problems.push(Diagnostic::new(
                Location::file(&dir.join("portals").join(&slug)),
                Problem::MissingFile("portal.yaml (every portal folder needs one)"),
            ));
            continue;
        };
        sources.push(PortalSource {
            slug,
            info,
            at,
            pages: parts.pages,
            news: parts.news,
            documents: parts.documents,
            procedures: parts.procedures,
            assets: parts.assets,
            theme_overrides: parts.theme,
        });
    }
    if !problems.is_empty() {
        return Err(Diagnostics(problems).sorted());
    }
    model::assemble(settings, Location::file(&network_file), sources)
        .map_err(|ds| Diagnostics(ds).sorted())
}

/// An offence [`active`] found in the file at `path` whose bytes are `bytes`, as a diagnostic at
/// its line and column (the bytes are decoded only here, once something was found).
fn located_offence(path: &Path, bytes: &[u8], offence: active::Offence) -> Diagnostic {
    let (line, col) = text::line_col(&String::from_utf8_lossy(bytes), offence.offset);
    Diagnostic::new(
        Location::new(path, line, col),
        Problem::Active(offence.message),
    )
}

/// Reads one news article again (the editor's loop, after a save); `None` for a draft when
/// drafts are left out. The article's URL is for [`model::replace_article`] to give.
pub fn read_article(path: &Path, options: LoadOptions) -> Result<Option<Article>, Diagnostics> {
    let file = ContentFile {
        portal: String::new(),
        kind: FileKind::Article,
        path: path.to_path_buf(),
        rel: String::new(),
    };
    parse_markdown(&file, options).map_err(|ds| Diagnostics(ds).sorted())
}

/// `network.yaml` and every portal's `portal.yaml`, by folder name in byte order, reading
/// nothing else: for commands that need only who keeps what (`cong owners`, `cong new`), and
/// that must work while an article somewhere is half written.
pub fn read_portals(
    dir: &Path,
) -> Result<(NetworkSettings, Vec<(String, PortalInfo)>), Diagnostics> {
    let network_file = dir.join("network.yaml");
    let settings: NetworkSettings = read_text(&network_file)
        .and_then(|text| parse_yaml(&network_file, &text, 0))
        .map_err(|d| Diagnostics(vec![d]))?;
    let portals_dir = dir.join("portals");
    let mut slugs: Vec<String> = std::fs::read_dir(&portals_dir)
        .map_err(|e| {
            Diagnostics(vec![Diagnostic::new(
                Location::file(&portals_dir),
                e.into(),
            )])
        })?
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| !is_ignored(name))
        .collect();
    slugs.sort();
    let mut portals = Vec::with_capacity(slugs.len());
    let mut problems = Vec::new();
    for slug in slugs {
        let file = portals_dir.join(&slug).join("portal.yaml");
        match read_text(&file).and_then(|text| parse_yaml(&file, &text, 0)) {
            Ok(info) => portals.push((slug, info)),
            Err(d) => problems.push(d),
        }
    }
    if problems.is_empty() {
        Ok((settings, portals))
    } else {
        Err(Diagnostics(problems))
    }
}

/// What kind of file a content file is, from where it sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileKind {
    Portal,
    Page,
    Article,
    Documents,
    Procedures,
    Asset,
    Theme,
}

#[derive(Debug)]
struct ContentFile {
    portal: String,
    kind: FileKind,
    path: PathBuf,
    /// Path below the portal's `assets/` (assets only).
    rel: String,
}

enum Parsed {
    Portal(PortalInfo),
    Page(Page),
    Article(Article),
    Documents(Vec<Document>),
    Procedures(Vec<(Procedure, Location)>),
    Asset(Asset),
    Theme(PathBuf),
    Skipped,
}

#[derive(Default)]
struct PortalParts {
    has_portal_file: bool,
    info: Option<(PortalInfo, Location)>,
    pages: Vec<Page>,
    news: Vec<Article>,
    documents: Vec<Document>,
    procedures: Vec<(Procedure, Location)>,
    assets: Vec<Asset>,
    theme: Option<PathBuf>,
}

/// Editors' backup and lock files, and hidden files: never content.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.') || name.starts_with('#') || name.ends_with('~') || name.ends_with(".swp")
}

/// Every text file an editor writes, in a stable order: `network.yaml`, then each portal's
/// `.md` and `.yaml` files (its `theme/` overrides and `assets/` excluded). For checks that
/// read the bytes as written, before any parsing.
pub fn text_files(dir: &Path) -> Vec<PathBuf> {
    let portals = WalkDir::new(dir.join("portals"))
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            !is_ignored(&name) && !(e.depth() == 2 && (name == "theme" || name == "assets"))
        })
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("md" | "yaml")));
    std::iter::once(dir.join("network.yaml"))
        .filter(|p| p.is_file())
        .chain(portals)
        .collect()
}

/// Lists every content file with its kind, in a stable order; misplaced files are problems.
fn discover(dir: &Path) -> (Vec<ContentFile>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let portals_dir = dir.join("portals");
    if let Some(problem) = std::fs::symlink_metadata(&portals_dir)
        .ok()
        .and_then(|meta| plain::kind_problem(meta.file_type()))
    {
        problems.push(Diagnostic::new(Location::file(&portals_dir), problem));
        return (files, problems);
    }
    let walker = WalkDir::new(&portals_dir)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !is_ignored(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err.path().unwrap_or(&portals_dir).to_path_buf();
                problems.push(Diagnostic::new(
                    Location::file(&path),
                    Problem::Invalid(err.to_string()),
                ));
                continue;
            }
        };
        let path = entry.path();
        if let Some(problem) = plain::kind_problem(entry.file_type()) {
            problems.push(Diagnostic::new(Location::file(path), problem));
            continue;
        }
        let rel: Vec<String> = path
            .strip_prefix(&portals_dir)
            .expect("walkdir stays below its root")
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let is_dir = entry.file_type().is_dir();
        let portal = rel[0].clone();
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default();
        let kind = match (rel.len(), rel.get(1).map(String::as_str), is_dir) {
            (1, _, true) => continue,
            (1, _, false) => {
                problems.push(Diagnostic::invalid(
                    Location::file(path),
                    "only folders belong in content/portals/: one folder per portal",
                ));
                continue;
            }
            (2, Some("portal.yaml"), false) => FileKind::Portal,
            (2, Some(folder), true) if PORTAL_FOLDERS.contains(&folder) => {
                if folder == "theme" {
                    files.push(ContentFile {
                        portal,
                        kind: FileKind::Theme,
                        path: path.to_path_buf(),
                        rel: String::new(),
                    });
                }
                continue;
            }
            (2, Some(other), _) => {
                problems.push(Diagnostic::invalid(
                    Location::file(path),
                    format!("unexpected `{other}` in a portal folder: expected portal.yaml or one of the folders {PORTAL_FOLDERS:?}"),
                ));
                continue;
            }
            (_, _, true) => continue,
            (_, Some("theme"), false) => continue,
            (_, Some("assets"), false) => FileKind::Asset,
            (3, Some("pages"), false) if ext == "md" => FileKind::Page,
            (_, Some("news"), false) if ext == "md" => FileKind::Article,
            (3, Some("documents"), false) if ext == "yaml" => FileKind::Documents,
            (3, Some("procedures"), false) if ext == "yaml" => FileKind::Procedures,
            (_, Some(folder), false) => {
                let expected = if matches!(folder, "pages" | "news") {
                    "a .md file"
                } else {
                    "a .yaml file"
                };
                problems.push(Diagnostic::invalid(
                    Location::file(path),
                    format!(
                        "unexpected file in {folder}/: expected {expected} directly in the folder"
                    ),
                ));
                continue;
            }
            _ => continue,
        };
        let rel = if kind == FileKind::Asset {
            rel[2..].join("/")
        } else {
            String::new()
        };
        files.push(ContentFile {
            portal,
            kind,
            path: path.to_path_buf(),
            rel,
        });
    }
    (files, problems)
}

fn parse_file(file: &ContentFile, options: LoadOptions) -> Result<Parsed, Vec<Diagnostic>> {
    let one = |d: Diagnostic| vec![d];
    match file.kind {
        FileKind::Asset => {
            let ok = file.rel.split('/').all(|part| {
                !part.is_empty()
                    && part.bytes().all(|b| {
                        b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b)
                    })
                    && !part.starts_with('.')
            });
            if !ok {
                return Err(one(Diagnostic::invalid(
                    Location::file(&file.path),
                    "asset file names become URLs: use lowercase ASCII letters, digits, `.`, `_` and `-`",
                )));
            }
            let is_svg = file.rel.to_ascii_lowercase().ends_with(".svg");
            let bytes = if is_svg {
                plain::read(&file.path)
                    .map_err(|problem| one(Diagnostic::new(Location::file(&file.path), problem)))?
            } else {
                Vec::new()
            };
            if let Some(offence) = active::asset_problem(&file.rel, &bytes) {
                return Err(one(located_offence(&file.path, &bytes, offence)));
            }
            Ok(Parsed::Asset(Asset {
                source: file.path.clone(),
                rel: file.rel.clone(),
                url: String::new(),
            }))
        }
        FileKind::Theme => Ok(Parsed::Theme(file.path.clone())),
        FileKind::Portal => {
            let text = read_text(&file.path).map_err(one)?;
            parse_yaml(&file.path, &text, 0)
                .map(Parsed::Portal)
                .map_err(one)
        }
        FileKind::Page => Ok(parse_markdown(file, options)?.map_or(Parsed::Skipped, Parsed::Page)),
        FileKind::Article => {
            Ok(parse_markdown(file, options)?.map_or(Parsed::Skipped, Parsed::Article))
        }
        FileKind::Documents => {
            let text = read_text(&file.path).map_err(one)?;
            let records = parse_records::<DocumentRecord>(&file.path, &text).map_err(one)?;
            Ok(Parsed::Documents(
                records
                    .into_iter()
                    .map(|(record, line)| Document {
                        slug: slugify(&record.number),
                        url: String::new(),
                        at: text::key_location(&file.path, &text, line, "number"),
                        record,
                    })
                    .collect(),
            ))
        }
        FileKind::Procedures => {
            let bytes = read_bytes(&file.path).map_err(one)?;
            Ok(Parsed::Procedures(
                parse_procedures_file(&file.path, bytes).map_err(one)?,
            ))
        }
    }
}

/// Reads a markdown file with front matter `M`; `None` for a draft when drafts are left out.
fn parse_markdown<M: FrontMatter>(
    file: &ContentFile,
    options: LoadOptions,
) -> Result<Option<Markdown<M>>, Vec<Diagnostic>> {
    read_bytes(&file.path)
        .and_then(|bytes| parse_markdown_file(&file.path, bytes, options))
        .map_err(|d| vec![d])
}

/// Parses the bytes of a markdown file — a news article or a page, with front matter `M` — as
/// the loader reads it: UTF-8 in NFC, the `---` fences, the typed front matter, the slug and the
/// body's site links. `path` only names the file in locations, and gives the slug when the
/// front matter has none. `None` for a draft when drafts are left out. Public so that the fuzz
/// targets and their regression tests reach the loader's own parsing without files.
pub fn parse_markdown_file<M: FrontMatter>(
    path: &Path,
    bytes: Vec<u8>,
    options: LoadOptions,
) -> Result<Option<Markdown<M>>, Diagnostic> {
    let text = decode(path, bytes)?;
    let doc = front_matter::split(path, &text)?;
    let meta: M = parse_yaml(path, doc.yaml, doc.yaml_line - 1)?;
    if meta.draft() && !options.drafts {
        return Ok(None);
    }
    text::unpublishable_reference(doc.body, path, doc.body_line)?;
    Ok(Some(Markdown {
        slug: file_slug(path, meta.slug())?,
        url: String::new(),
        source: Source {
            at: Location::file(path),
            body_line: doc.body_line,
            links: text::site_links(doc.body, path, doc.body_line),
        },
        body: doc.body.to_owned(),
        meta,
    }))
}

/// Parses the bytes of a procedures file — one record or a top-level list of them — as the
/// loader reads it, each record located at its `code:`. `path` only names the file in
/// locations. Public for the fuzz targets and their regression tests, like
/// [`parse_markdown_file`].
pub fn parse_procedures_file(
    path: &Path,
    bytes: Vec<u8>,
) -> Result<Vec<(Procedure, Location)>, Diagnostic> {
    let text = decode(path, bytes)?;
    let records = parse_records::<Procedure>(path, &text)?;
    Ok(records
        .into_iter()
        .map(|(record, line)| (record, text::key_location(path, &text, line, "code")))
        .collect())
}

/// Reads a file as UTF-8 text in NFC, or says where the first byte that is not UTF-8 is, or
/// the first character that cannot be published.
fn read_text(path: &Path) -> Result<String, Diagnostic> {
    decode(path, read_bytes(path)?)
}

/// A plain file's bytes ([`plain::read`]: no link followed, no special file read).
fn read_bytes(path: &Path) -> Result<Vec<u8>, Diagnostic> {
    plain::read(path).map_err(|problem| {
        let problem = match problem {
            Problem::Io(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Problem::MissingFile("this file is required")
            }
            other => other,
        };
        Diagnostic::new(Location::file(path), problem)
    })
}

/// A file's bytes as UTF-8 text in NFC, or where the first byte that is not UTF-8 is.
///
/// A lone carriage return (an old Mac line end, or one pasted into a file) becomes a line
/// feed first: YAML and CommonMark both end a line there, while the loader's own line counts
/// (front matter fences, records of a list, link locations) end lines at a line feed. Without
/// this, such a file lost its front matter, the procedures after one were dropped unseen, and
/// links were located on the wrong line (found by fuzzing). One byte for one, so byte offsets
/// stay those of the file.
fn decode(path: &Path, mut bytes: Vec<u8>) -> Result<String, Diagnostic> {
    let mut at = 0;
    while let Some(found) = bytes[at..].iter().position(|&b| b == b'\r') {
        at += found + 1;
        if bytes.get(at) != Some(&b'\n') {
            bytes[at - 1] = b'\n';
        }
    }
    match String::from_utf8(bytes) {
        Ok(text) => {
            text::unpublishable_char(path, &text)?;
            Ok(crate::vietnamese::nfc(text))
        }
        Err(err) => {
            let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
            let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            let col = String::from_utf8_lossy(&valid[line_start..])
                .chars()
                .count()
                + 1;
            Err(Diagnostic::new(
                Location::new(path, line, col),
                Problem::NotUtf8,
            ))
        }
    }
}

/// Parses YAML that starts `line_offset` lines into the file.
fn parse_yaml<T: serde::de::DeserializeOwned>(
    path: &Path,
    text: &str,
    line_offset: usize,
) -> Result<T, Diagnostic> {
    let value = yaml::parse(text).map_err(|e| yaml_problem(path, e, line_offset))?;
    text::unpublishable_escape(path, text, line_offset)?;
    Ok(value)
}

fn parse_records<T: serde::de::DeserializeOwned>(
    path: &Path,
    text: &str,
) -> Result<Vec<(T, usize)>, Diagnostic> {
    let records = yaml::parse_one_or_many(text).map_err(|e| yaml_problem(path, e, 0))?;
    text::unpublishable_escape(path, text, 0)?;
    Ok(records)
}

fn yaml_problem(path: &Path, e: yaml::YamlError, line_offset: usize) -> Diagnostic {
    Diagnostic::new(
        Location::new(path, e.line + line_offset, e.col),
        Problem::Yaml(e.message),
    )
}

/// The URL segment of a markdown file: its `slug:` if given, else its file name.
fn file_slug(path: &Path, given: Option<&str>) -> Result<String, Diagnostic> {
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    let slug = given.unwrap_or(stem);
    if is_slug(slug) {
        Ok(slug.to_owned())
    } else {
        let what = if given.is_some() {
            "`slug`"
        } else {
            "the file name"
        };
        Err(Diagnostic::invalid(
            Location::file(path),
            format!("{what} `{slug}` is not a URL slug: use lowercase ASCII letters, digits and `-`, e.g. `{}`", slugify(slug)),
        ))
    }
}
