//! What the fuzz targets share: whether a diagnostic's `path:line:col` points into the file it
//! names. The targets themselves are in `fuzz_targets/`, one a binary; each states in its own
//! doc what it feeds to which part of `cong`, and which properties must hold for any input.
//!
//! This crate owns no behaviour of `cong`: it only calls the library's public functions and
//! checks what they return.

use cong::diagnostics::Location;

/// `text` with every line ending as `\n`: lines end at `\r\n`, `\n` or a lone `\r` in an
/// editor, in YAML and in CommonMark alike, and a location counts lines as they do.
pub fn with_line_feeds(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// The text of line `line` (1-based) of `text` (whose lines end at `\n`, see
/// [`with_line_feeds`]), without its line ending, if there is one.
pub fn line(text: &str, line: usize) -> Option<&str> {
    text.split('\n').nth(line.checked_sub(1)?)
}

/// The character at `line:col` (both 1-based, the column in characters) of `text` (whose
/// lines end at `\n`).
pub fn char_at(text: &str, at: &Location) -> Option<char> {
    line(text, at.line)?.chars().nth(at.col.checked_sub(1)?)
}

/// Panics unless `at` is in `text` (whose lines end at `\n`): on one of its lines, at one of
/// its characters or just past the line's last one (where a parser reports what is missing at
/// the end of a line), or at the start of the line after the last (the end of a file without
/// a final line feed, where YAML reports a field missing from the whole file).
pub fn assert_located_in(text: &str, at: &Location, what: &dyn std::fmt::Display) {
    let lines = text.split('\n').count();
    if at.line == lines + 1 && at.col == 1 {
        return;
    }
    let Some(found) = line(text, at.line) else {
        panic!(
            "{what}: line {} is past the end of a file of {lines} lines",
            at.line
        );
    };
    let chars = found.chars().count();
    assert!(
        at.col <= chars + 1,
        "{what}: column {} is past the end of line {} ({chars} characters)",
        at.col,
        at.line
    );
}
