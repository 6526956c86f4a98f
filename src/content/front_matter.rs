//! Splits a markdown file into its YAML front matter (between two `---` lines) and its body,
//! remembering on which line each starts so that errors point into the whole file.

use std::path::Path;

use crate::diagnostics::{Diagnostic, Location, Problem};

/// A markdown file cut in two.
#[derive(Debug)]
pub(super) struct Split<'a> {
    /// The YAML between the fences.
    pub yaml: &'a str,
    /// 1-based line of the YAML's first line.
    pub yaml_line: usize,
    /// The markdown after the closing fence.
    pub body: &'a str,
    /// 1-based line of the body's first line.
    pub body_line: usize,
}

fn is_fence(line: &str) -> bool {
    line.trim_end() == "---"
}

/// Splits `text`, or says why it has no front matter.
pub(super) fn split<'a>(path: &Path, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if !is_fence(&text[..first_end]) {
        return Err(Diagnostic::new(
            Location::file(path),
            Problem::MissingFrontMatter,
        ));
    }
    let mut offset = first_end;
    for (line, raw) in (2..).zip(text[first_end..].split_inclusive('\n')) {
        if is_fence(raw) {
            return Ok(Split {
                yaml: &text[first_end..offset],
                yaml_line: 2,
                body: &text[offset + raw.len()..],
                body_line: line + 1,
            });
        }
        offset += raw.len();
    }
    Err(Diagnostic::new(
        Location::file(path),
        Problem::UnclosedFrontMatter,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_starts_after_the_closing_fence() {
        let s = split(Path::new("a.md"), "---\ntitle: A\n---\nBody\n").unwrap();
        assert_eq!(s.yaml, "title: A\n");
        assert_eq!((s.yaml_line, s.body, s.body_line), (2, "Body\n", 4));
    }

    #[test]
    fn a_file_without_a_fence_has_no_front_matter() {
        let err = split(Path::new("a.md"), "title: A\n").unwrap_err();
        assert!(matches!(err.problem, Problem::MissingFrontMatter));
    }

    #[test]
    fn an_unclosed_fence_is_reported() {
        let err = split(Path::new("a.md"), "---\ntitle: A\nBody\n").unwrap_err();
        assert!(matches!(err.problem, Problem::UnclosedFrontMatter));
    }
}
