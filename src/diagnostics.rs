//! Problems found in the content, each located as `path:line:col` the way rustc reports them.
//!
//! This module owns the error types of the content stage and their wording. It prints nothing:
//! the binary's edge (`cli`) decides how and where diagnostics are shown.

use std::fmt;
use std::path::{Path, PathBuf};

/// A place in a source file; `line` and `col` count from 1, `col` in characters.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// The file, as it was reached from the content folder given on the command line.
    pub path: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub col: usize,
}

impl Location {
    /// A location at `line:col` of `path`.
    pub fn new(path: &Path, line: usize, col: usize) -> Self {
        Location {
            path: path.to_path_buf(),
            line: line.max(1),
            col: col.max(1),
        }
    }

    /// The start of the file: for problems that belong to a whole file.
    pub fn file(path: &Path) -> Self {
        Location::new(path, 1, 1)
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.path.display(), self.line, self.col)
    }
}

/// What is wrong, without where.
#[derive(Debug, thiserror::Error)]
pub enum Problem {
    /// The file could not be read.
    #[error("cannot read: {0}")]
    Io(#[from] std::io::Error),
    /// The file's bytes are not UTF-8; the location points at the first bad byte.
    #[error("file is not valid UTF-8 (save it as UTF-8)")]
    NotUtf8,
    /// YAML that does not parse or does not fit the contract (unknown or missing field,
    /// wrong type, unknown variant, a date that is not a date …); serde's own words.
    #[error("{0}")]
    Yaml(String),
    /// A markdown file without `---` front matter.
    #[error("missing front matter: the file must start with a line `---`, then YAML, then `---`")]
    MissingFrontMatter,
    /// Front matter opened with `---` but never closed.
    #[error("front matter is not closed: add a line `---` after the YAML")]
    UnclosedFrontMatter,
    /// A required file is missing.
    #[error("missing file: {0}")]
    MissingFile(&'static str),
    /// Two records claim the same procedure code.
    #[error("duplicate procedure code `{code}`: already defined at {first}")]
    DuplicateProcedureCode {
        /// The code.
        code: String,
        /// Where it was defined first.
        first: Location,
    },
    /// Two sources would publish the same URL (two news files with one slug, say).
    #[error("`{url}` is already published by {first}")]
    DuplicateUrl {
        /// The URL both would publish.
        url: String,
        /// The other source.
        first: Location,
    },
    /// A site-absolute link in markdown that points at no page or file of the network.
    #[error("broken link: no page or file at `{0}`")]
    BrokenLink(String),
    /// Content names a file under the portal's `assets/` that is not there.
    #[error("no file `{0}` in this portal's assets/ folder")]
    MissingAsset(String),
    /// A procedure lists a related code that no procedure has.
    #[error("related procedure `{0}` does not exist")]
    UnknownRelatedProcedure(String),
    /// A symbolic link under content/ or themes/. None is ever followed: a link could reach
    /// any file of the machine (`/etc/passwd`, `/proc/self/environ`) or another portal's folder.
    #[error("is a symbolic link: content and themes hold only plain files and folders, and no link is followed")]
    SymbolicLink,
    /// A FIFO, socket or device under content/ or themes/: reading one would block the build or
    /// read the machine.
    #[error("is not a plain file (a FIFO, socket or device): content and themes hold only plain files and folders")]
    SpecialFile,
    /// Active content: a template that would read the machine, or a department's override or
    /// asset that could run in a citizen's browser (docs/security.md).
    #[error("{0}")]
    Active(String),
    /// Any other rule of the content contract (docs/content.md), in words.
    #[error("{0}")]
    Invalid(String),
}

impl Problem {
    /// A short stable name for tools (`cong check --format json`), e.g. `broken-link`.
    pub fn code(&self) -> &'static str {
        match self {
            Problem::Io(_) => "io",
            Problem::NotUtf8 => "not-utf8",
            Problem::Yaml(_) => "yaml",
            Problem::MissingFrontMatter | Problem::UnclosedFrontMatter => "front-matter",
            Problem::MissingFile(_) => "missing-file",
            Problem::DuplicateProcedureCode { .. } => "duplicate-code",
            Problem::DuplicateUrl { .. } => "duplicate-url",
            Problem::BrokenLink(_) => "broken-link",
            Problem::MissingAsset(_) => "missing-asset",
            Problem::UnknownRelatedProcedure(_) => "unknown-related",
            Problem::SymbolicLink => "symlink",
            Problem::SpecialFile => "special-file",
            Problem::Active(_) => "active-content",
            Problem::Invalid(_) => "contract",
        }
    }

    /// What to do about it, in one sentence.
    pub fn help(&self) -> &'static str {
        match self {
            Problem::Io(_) => "check that the file exists and can be read",
            Problem::NotUtf8 => "save the file as UTF-8 (every editor offers it under \"Save as\")",
            Problem::Yaml(_) => "the fields of each kind of file are listed in docs/content.md",
            Problem::MissingFrontMatter | Problem::UnclosedFrontMatter => {
                "a page or article starts with `---`, its fields, then `---` (docs/content.md)"
            }
            Problem::MissingFile(_) => "create it: docs/content.md shows a complete example",
            Problem::DuplicateProcedureCode { .. } => {
                "each procedure is defined once; remove one of the two or correct its code"
            }
            Problem::DuplicateUrl { .. } => "rename one of the two files or give it a `slug:`",
            Problem::BrokenLink(_) => {
                "link to a page that exists: its address is the file's portal, section and slug"
            }
            Problem::MissingAsset(_) => {
                "put the file in the portal's assets/ folder, or correct the name"
            }
            Problem::UnknownRelatedProcedure(_) => "write the code of a procedure of the network",
            Problem::SymbolicLink => {
                "replace the link by a copy of the file it points at (git: `git rm` the link, add the file)"
            }
            Problem::SpecialFile => "remove it: only plain files and folders belong here",
            Problem::Active(_) => {
                "what themes, a portal's overrides and its assets may contain is in docs/security.md"
            }
            Problem::Invalid(_) => "the rules of each kind of file are in docs/content.md",
        }
    }
}

/// The candidate closest to `given`, if one is close enough to be what was meant (Jaro-Winkler
/// similarity over 0.8): for "did you mean …?" hints.
pub fn closest<'a>(given: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(given, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// One problem at one place.
#[derive(Debug, thiserror::Error)]
#[error("{location}: {problem}")]
pub struct Diagnostic {
    /// Where.
    pub location: Location,
    /// What.
    pub problem: Problem,
}

impl Diagnostic {
    /// A problem at a location.
    pub fn new(location: Location, problem: Problem) -> Self {
        Diagnostic { location, problem }
    }

    /// A contract violation described in words.
    pub fn invalid(location: Location, message: impl Into<String>) -> Self {
        Diagnostic::new(location, Problem::Invalid(message.into()))
    }
}

/// Every problem of one run, in file order, so that an editor can fix them all at once.
#[derive(Debug, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Sorts by path, line and column (loading is parallel, so arrival order is not stable).
    pub fn sorted(mut self) -> Self {
        self.0.sort_by(|a, b| a.location.cmp(&b.location));
        self
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        write!(f, "{} error(s) in the content", self.0.len())
    }
}

impl std::error::Error for Diagnostics {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_closest_candidate_is_suggested_only_when_close() {
        let slugs = ["so-tu-phap", "so-y-te", "tinh"];
        assert_eq!(closest("so-tuphap", slugs), Some("so-tu-phap"));
        assert_eq!(closest("cong-an", slugs), None);
    }

    #[test]
    fn diagnostic_reads_path_line_col_then_message() {
        let d = Diagnostic::new(
            Location::new(Path::new("content/portals/so-y-te/news/a.md"), 3, 7),
            Problem::BrokenLink("/khong-co/".into()),
        );
        assert_eq!(
            d.to_string(),
            "content/portals/so-y-te/news/a.md:3:7: broken link: no page or file at `/khong-co/`"
        );
    }
}
