//! `cong check` as the editor's linter: every problem of the content, the loader's and the
//! lints', as one list of [`Finding`]s, each with a severity, a stable code and a hint.
//!
//! A *lint* is a check beyond the loader's: the loader (`content`, `model::assemble`) enforces
//! the contract and stops a build; lints look for what it cannot see or does not judge: anchors
//! that no heading has, images without alt text, letters pasted from other scripts, text not in
//! NFC, headlines too long for a feed, dates in the future, blank or misspelt procedure fields.
//! Contract violations are errors; style findings are warnings.
//!
//! This module owns the lints, their codes and wording, and `--fix`. It must not repeat a check
//! the loader makes (a loader problem is only converted here), and it writes files only in
//! [`fix`], through [`crate::output::write_atomically`].

mod network;
mod text;

use std::fmt;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;

use crate::content::{self, LoadOptions};
use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::model::Network;

/// How bad a finding is: errors fail `cong check` (and stop a build), warnings fail it only
/// with `--strict`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Style: the site builds, but something reads badly or will surprise.
    Warning,
    /// The content breaks the contract or a link.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// One problem found by `cong check`, at a place in a file or about a whole file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The file.
    pub path: PathBuf,
    /// 1-based line; `None` when the finding is about the whole file.
    pub line: Option<usize>,
    /// 1-based column, in characters; `None` when the finding is about the whole file.
    pub col: Option<usize>,
    /// Error or warning.
    pub severity: Severity,
    /// A short stable name (`look-alike`, `broken-anchor`, `yaml`, …): see docs/check.md.
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub help: String,
}

impl Finding {
    /// A finding at a location.
    pub fn at(
        location: &Location,
        severity: Severity,
        code: &'static str,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> Self {
        Finding {
            line: Some(location.line),
            col: Some(location.col),
            ..Finding::file(&location.path, severity, code, message, help)
        }
    }

    /// A finding about a whole file (who may change it, say).
    pub fn file(
        path: &Path,
        severity: Severity,
        code: &'static str,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> Self {
        Finding {
            path: path.to_path_buf(),
            line: None,
            col: None,
            severity,
            code,
            message: message.into(),
            help: help.into(),
        }
    }
}

impl From<&Diagnostic> for Finding {
    fn from(d: &Diagnostic) -> Self {
        Finding::at(
            &d.location,
            Severity::Error,
            d.problem.code(),
            d.problem.to_string(),
            d.problem.help(),
        )
    }
}

/// Every diagnostic of a failed load or build, as findings.
pub fn from_diagnostics(diagnostics: &Diagnostics) -> Vec<Finding> {
    diagnostics.0.iter().map(Finding::from).collect()
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let (Some(line), Some(col)) = (self.line, self.col) {
            write!(f, ":{line}:{col}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// What a check found, and the network when it loaded.
#[derive(Debug)]
pub struct Checked {
    /// The network, if the content loaded without errors.
    pub network: Option<Network>,
    /// Every finding, sorted by path, line and column.
    pub findings: Vec<Finding>,
}

/// Loads `content` and runs every lint. `today` is the day in Vietnam, for dates in the future.
/// The byte-level lints (look-alikes, NFC) run even when the content does not load; the others
/// need the network.
pub fn check(content: &Path, today: NaiveDate) -> Checked {
    let mut findings = text::lint_files(&content::text_files(content));
    let network = match content::load(content, LoadOptions::default()) {
        Ok(network) => {
            findings.extend(network::lint(&network, today));
            Some(network)
        }
        Err(diagnostics) => {
            findings.extend(from_diagnostics(&diagnostics));
            None
        }
    };
    sort(&mut findings);
    Checked { network, findings }
}

/// Sorts findings by path, line and column, errors before warnings at one place.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (&a.path, a.line, a.col, std::cmp::Reverse(a.severity)).cmp(&(
            &b.path,
            b.line,
            b.col,
            std::cmp::Reverse(b.severity),
        ))
    });
}

/// What `--fix` changed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Fixed {
    /// Files rewritten.
    pub files: usize,
    /// Look-alike letters replaced.
    pub look_alikes: usize,
    /// Lines put into NFC.
    pub nfc_lines: usize,
}

/// Replaces look-alike letters by the Latin letters they imitate and puts text into NFC, in
/// every text file of `content`, leaving every other byte as it was. Each changed file is
/// replaced atomically.
pub fn fix(content: &Path) -> std::io::Result<Fixed> {
    let mut fixed = Fixed::default();
    for path in content::text_files(content) {
        // A link or special file is the loader's to report; `--fix` never writes through one.
        let Ok(Ok(before)) = content::read_plain(&path).map(String::from_utf8) else {
            continue;
        };
        if let Some((after, counts)) = text::fix(&before) {
            crate::output::write_atomically(&path, after.as_bytes())?;
            fixed.files += 1;
            fixed.look_alikes += counts.look_alikes;
            fixed.nfc_lines += counts.nfc_lines;
        }
    }
    Ok(fixed)
}
