//! The one door to the YAML parser. serde_yaml is archived upstream: every other module calls
//! these functions, so moving to a maintained drop-in (serde_yaml_ng) is a change of this file
//! and of one line in Cargo.toml.
//!
//! It owns parsing text into typed values and turning parser errors into a message plus a
//! 1-based line and column; it must not read files.

use serde::de::DeserializeOwned;

/// A YAML error with its position in the parsed text.
#[derive(Debug)]
pub(crate) struct YamlError {
    pub message: String,
    pub line: usize,
    pub col: usize,
}

/// Parses one value of type `T`.
pub(crate) fn parse<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    serde_yaml::from_str(text).map_err(|err| {
        let (line, col) = err
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((1, 1));
        YamlError {
            message: without_position(&err.to_string()),
            line,
            col,
        }
    })
}

/// Parses a file that holds either one `T` or a top-level list of them, and says where each
/// record starts (1-based line), so that later checks can point at the right record.
pub(crate) fn parse_one_or_many<T: DeserializeOwned>(
    text: &str,
) -> Result<Vec<(T, usize)>, YamlError> {
    if !is_list(text) {
        return parse::<T>(text).map(|one| vec![(one, first_content_line(text))]);
    }
    let records: Vec<T> = parse(text)?;
    let starts = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with("- ") || *l == "-")
        .map(|(i, _)| i + 1);
    Ok(records.into_iter().zip(starts).collect())
}

/// `text` written as one YAML scalar, quoted only when YAML needs it (`a: b`, `2024`, `yes`):
/// for files `cong new` writes.
pub(crate) fn scalar(text: &str) -> String {
    serde_yaml::to_string(text)
        .expect("a string always serializes")
        .trim_end()
        .to_owned()
}

/// Whether a YAML file holds a top-level list (its first line of content starts with `- `).
pub(crate) fn is_list(text: &str) -> bool {
    text.lines()
        .map(str::trim_end)
        .find(|l| !l.is_empty() && !l.starts_with('#') && l != &"---")
        .is_some_and(|l| l.starts_with("- ") || l == "-")
}

fn first_content_line(text: &str) -> usize {
    text.lines()
        .position(|l| {
            let l = l.trim();
            !l.is_empty() && !l.starts_with('#') && l != "---"
        })
        .map_or(1, |i| i + 1)
}

/// serde_yaml writes " at line L column C" into its messages, counted from the start of the
/// YAML text; the diagnostic gives the position in the whole file itself, so these go.
fn without_position(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find(" at line ") {
        out.push_str(&rest[..i]);
        let after = &rest[i + " at line ".len()..];
        let skip = after
            .find(|c: char| !(c.is_ascii_digit() || c == ' ' || "column".contains(c)))
            .unwrap_or(after.len());
        rest = &after[skip..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Item {
        #[allow(dead_code)]
        name: String,
    }

    #[test]
    fn unknown_field_is_located_at_its_key() {
        let err = parse::<Item>("name: a\ntitel: b\n").unwrap_err();
        assert_eq!((err.line, err.col), (2, 1));
        assert!(
            err.message.starts_with("unknown field `titel`"),
            "{}",
            err.message
        );
    }

    #[test]
    fn positions_are_dropped_from_the_message_but_context_is_kept() {
        let message = "did not find expected ',' or ']' at line 3 column 1, while parsing a flow sequence at line 2 column 7";
        assert_eq!(
            without_position(message),
            "did not find expected ',' or ']', while parsing a flow sequence"
        );
    }

    #[test]
    fn list_records_know_their_first_line() {
        let records = parse_one_or_many::<Item>("# c\n- name: a\n- name: b\n").unwrap();
        let lines: Vec<usize> = records.iter().map(|r| r.1).collect();
        assert_eq!(lines, [2, 3]);
    }

    #[test]
    fn scalars_are_quoted_only_when_yaml_needs_it() {
        assert_eq!(scalar("Tiêu đề bài viết"), "Tiêu đề bài viết");
        assert_eq!(scalar("Tiền Giang: mùa lúa"), "'Tiền Giang: mùa lúa'");
        assert_eq!(scalar("2024"), "'2024'");
        let back: String = parse(&scalar("a: 'b' # c")).unwrap();
        assert_eq!(back, "a: 'b' # c");
    }

    #[test]
    fn a_single_record_is_a_list_of_one() {
        let records = parse_one_or_many::<Item>("\nname: a\n").unwrap();
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].1, 2);
    }
}
