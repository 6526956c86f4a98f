//! The one door to the YAML parser: serde-saphyr (pure Rust, maintained, no `unsafe`; its
//! parser granit-parser is a fork of saphyr-parser). Every other module calls these functions,
//! so the parser, its options and its limits are chosen here once.
//!
//! It owns parsing text into typed values and turning parser errors into a message plus a
//! 1-based line and column; it must not read files.
//!
//! The options keep the YAML that content was written for (YAML 1.2, as serde_yaml read it):
//! only `true` and `false` are booleans (`yes`, `on` stay text, and a boolean field refuses
//! them), `010` is not octal, an empty value or `~` read into a text field is that text, and a
//! `!!binary` tag is not decoded. A key written twice is an error. Departments write these
//! files, so the limits are tighter than the parser's defaults: nesting deeper than any record
//! needs, and aliases that would replay more than a few records' worth of events (a "billion
//! laughs" document), are refused with their place instead of eating memory and time.

use std::borrow::Cow;
use std::fmt::Write as _;

use serde::de::DeserializeOwned;
use serde_saphyr::budget::BudgetBreach;
use serde_saphyr::localizer::Localizer;
use serde_saphyr::{Error, MessageFormatter, UserMessageFormatter};

/// A YAML error with its position in the parsed text.
#[derive(Debug)]
pub(crate) struct YamlError {
    pub message: String,
    pub line: usize,
    pub col: usize,
}

/// The deepest nesting a file may have. The deepest record, a procedure in a list, is five
/// levels deep (list, procedure, `documents`, a group, `items`); the rest is margin.
const MAX_DEPTH: usize = 16;

/// The most events aliases may replay in one file: far more than anchors for a repeated legal
/// basis or address need, far less than an alias bomb makes.
const MAX_REPLAYED_EVENTS: usize = 20_000;

fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        strict_booleans: true,
        null_as_string: true,
        ignore_binary_tag_for_string: true,
        with_snippet: false,
        budget: serde_saphyr::budget! { max_depth: MAX_DEPTH },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: MAX_REPLAYED_EVENTS,
            max_replay_stack_depth: MAX_DEPTH,
        },
    }
}

/// Parses one value of type `T`.
pub(crate) fn parse<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    let mut path = None;
    serde_saphyr::with_deserializer_from_str_with_options(text, options(), |de| {
        serde_path_to_error::deserialize(de).map_err(|err| {
            path = Some(err.path().clone());
            err.into_inner()
        })
    })
    .map_err(|err| {
        let (line, col) = err
            .location()
            .map_or((1, 1), |l| (to_usize(l.line()), to_usize(l.column())));
        let message = err.render_with_options(serde_saphyr::render_options! {
            formatter: &Wording,
            snippets: serde_saphyr::SnippetMode::Off,
        });
        let message = match path.and_then(|path| field_path(&path, err.without_snippet())) {
            Some(field) => format!("{field}: {message}"),
            None => message,
        };
        YamlError {
            message,
            line: line.max(1),
            col: col.max(1),
        }
    })
}

fn to_usize(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

/// The first character of a double-quoted value that `pick` picks, with the value's 1-based
/// line and column. Only double quotes have escapes (`"\x01"`, `"\e"`), so only their values
/// can hold a character the text does not show; a text without a backslash has none and is not
/// read again. For text that [`parse`] accepted, whose nesting is within the limits.
pub(crate) fn quoted_char(text: &str, pick: impl Fn(char) -> bool) -> Option<(char, usize, usize)> {
    use serde_saphyr::granit_parser::{Event, Parser, ScalarStyle};
    if !text.contains('\\') {
        return None;
    }
    Parser::new_from_str(text)
        .map_while(Result::ok)
        .find_map(|(event, span)| match event {
            Event::Scalar(value, ScalarStyle::DoubleQuoted, ..) => value
                .chars()
                .find(|&c| pick(c))
                .map(|c| (c, span.start.line(), span.start.col() + 1)),
            _ => None,
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
/// for files `cong new` writes. Always on one line, so that it fits after a key at any
/// indentation; single quotes when they can hold the text, as they need no escapes.
pub(crate) fn scalar(text: &str) -> String {
    let options = serde_saphyr::ser_options! { prefer_block_scalars: false };
    let plain = serde_saphyr::to_string_with_options(&text, options.clone())
        .expect("a string always serializes");
    let written = if plain.starts_with('"') {
        serde_saphyr::to_string_with_options(&serde_saphyr::SingleQuoted(text), options)
            .unwrap_or(plain)
    } else {
        plain
    };
    written.trim_end().to_owned()
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

/// The field an error is about, written before the message as serde_yaml did (`kind`,
/// `channels[1].mode`): for errors about a value, not for syntax errors or broken limits.
/// An unknown field is named by the message itself, so its path stops at the record.
fn field_path(path: &serde_path_to_error::Path, err: &Error) -> Option<String> {
    use serde_path_to_error::Segment;
    let about_a_value = matches!(
        err,
        Error::Message { .. }
            | Error::SerdeInvalidType { .. }
            | Error::SerdeInvalidValue { .. }
            | Error::SerdeInvalidLength { .. }
            | Error::SerdeUnknownVariant { .. }
            | Error::SerdeUnknownField { .. }
            | Error::SerdeMissingField { .. }
            | Error::Unexpected { .. }
            | Error::InvalidScalar { .. }
            | Error::InvalidBooleanStrict { .. }
    );
    if !about_a_value {
        return None;
    }
    let mut segments: Vec<&Segment> = path.iter().collect();
    if matches!(err, Error::SerdeUnknownField { .. }) {
        segments.pop();
    }
    let mut out = String::new();
    for segment in segments {
        match segment {
            Segment::Seq { index } => {
                let _ = write!(out, "[{index}]");
            }
            Segment::Map { key } | Segment::Enum { variant: key } => {
                if !out.is_empty() {
                    out.push('.');
                }
                // A key may hold any character a YAML escape makes; none reaches a terminal.
                out.extend(
                    key.chars()
                        .map(|c| if c.is_control() { '\u{fffd}' } else { c }),
                );
            }
            _ => return None,
        }
    }
    (!out.is_empty()).then_some(out)
}

/// serde-saphyr's messages for people, without " at line L, column C" (the diagnostic gives
/// the place in the whole file, not in the YAML part of it), with names in backticks as serde
/// writes them, and type errors said in an editor's words.
struct Wording;

impl Localizer for Wording {
    fn attach_location<'a>(&self, base: Cow<'a, str>, _: serde_saphyr::Location) -> Cow<'a, str> {
        base
    }

    fn alias_defined_at(&self, _: serde_saphyr::Location) -> String {
        String::new()
    }

    fn alias_used_at(&self, _: serde_saphyr::Location) -> String {
        String::new()
    }
}

impl MessageFormatter for Wording {
    fn localizer(&self) -> &dyn Localizer {
        self
    }

    fn format_message<'a>(&self, err: &'a Error) -> Cow<'a, str> {
        match err {
            Error::SerdeUnknownField {
                field, expected, ..
            } => format!("unknown field `{field}`, {}", one_of(expected)).into(),
            Error::SerdeUnknownVariant {
                variant, expected, ..
            } => format!("unknown variant `{variant}`, {}", one_of(expected)).into(),
            Error::Unexpected { expected, .. } => match *expected {
                "sequence start" => "expected a list".into(),
                "mapping start" => "expected fields (`key: value`)".into(),
                "string scalar" | "scalar" => "expected one value, not a list or fields".into(),
                other => format!("expected {other}").into(),
            },
            Error::Budget {
                breach: BudgetBreach::Depth { .. },
                ..
            } => format!("nested more than {MAX_DEPTH} levels deep, which no record needs").into(),
            Error::AliasReplayLimitExceeded { .. }
            | Error::AliasExpansionLimitExceeded { .. }
            | Error::AliasReplayStackDepthExceeded { .. } => format!(
                "aliases (`*name`) repeat more than {MAX_REPLAYED_EVENTS} YAML events: write the values out instead"
            )
            .into(),
            Error::InvalidScalar { ty, .. } if ty.starts_with(['i', 'u']) => {
                "expected a whole number".into()
            }
            Error::InvalidScalar { ty, .. } if ty.starts_with('f') => "expected a number".into(),
            _ => UserMessageFormatter.with_localizer(self).format_message(err),
        }
    }
}

/// The names a field or variant could have been, worded as serde words them.
fn one_of(names: &[&str]) -> String {
    match names {
        [] => "there are none".to_owned(),
        [one] => format!("expected `{one}`"),
        [a, b] => format!("expected `{a}` or `{b}`"),
        many => {
            let quoted: Vec<String> = many.iter().map(|n| format!("`{n}`")).collect();
            format!("expected one of {}", quoted.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Item {
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
        let err = parse::<serde::de::IgnoredAny>("a: b\nc: [d, e\n").unwrap_err();
        assert_eq!((err.line, err.col), (2, 4));
        assert_eq!(err.message, "unclosed bracket '['");
        let err = parse::<Vec<Item>>("- name: a\n- nam: b\n").unwrap_err();
        assert_eq!(
            err.message, "[1]: unknown field `nam`, expected `name`",
            "the record is named, the place is not"
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

    /// Nine anchors, each a list of nine aliases to the one before: 9⁹ strings once expanded.
    fn billion_laughs() -> String {
        let mut text = String::from("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (name, before) in ["b", "c", "d", "e", "f", "g", "h", "i"]
            .iter()
            .zip("abcdefgh".chars())
        {
            let aliases = vec![format!("*{before}"); 9].join(", ");
            text.push_str(&format!("{name}: &{name} [{aliases}]\n"));
        }
        text
    }

    #[test]
    fn a_billion_laughs_document_is_refused_with_its_place() {
        let err = parse::<serde_json::Value>(&billion_laughs()).unwrap_err();
        assert!(
            err.message
                .starts_with("aliases (`*name`) repeat more than"),
            "{}",
            err.message
        );
        assert!(err.line > 1, "{}:{}", err.line, err.col);
    }

    #[test]
    fn nesting_deeper_than_any_record_is_refused_with_its_place() {
        let flow = format!("a: {}{}\n", "[".repeat(200), "]".repeat(200));
        let err = parse::<serde_json::Value>(&flow).unwrap_err();
        assert_eq!(
            err.message,
            "nested more than 16 levels deep, which no record needs"
        );
        assert_eq!(
            (err.line, err.col),
            (1, 19),
            "the seventeenth level: a mapping, 16 lists"
        );
        let block: String = (0..40).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
        let err = parse::<serde_json::Value>(&block).unwrap_err();
        assert_eq!(
            err.message,
            "nested more than 16 levels deep, which no record needs"
        );
        assert_eq!(err.line, 17);
    }

    #[test]
    fn a_key_written_twice_is_an_error_at_the_second() {
        let err = parse::<Item>("name: a\nname: b\n").unwrap_err();
        assert_eq!((err.line, err.col), (2, 1));
        assert!(err.message.contains("duplicate"), "{}", err.message);
    }

    #[derive(Debug, serde::Deserialize)]
    struct Flag {
        on: bool,
    }

    #[test]
    fn only_true_and_false_are_booleans() {
        assert!(parse::<Flag>("on: true\n").unwrap().on);
        for word in ["yes", "no", "on", "off", "y"] {
            let text: String = parse(word).unwrap();
            assert_eq!(text, word);
            let err = parse::<Flag>(&format!("on: {word}\n")).unwrap_err();
            assert!(err.message.starts_with("on: "), "{}", err.message);
        }
    }

    #[test]
    fn numbers_dates_and_blanks_in_text_fields_are_read_as_written() {
        for (yaml, text) in [
            ("010", "010"),
            ("1.000894", "1.000894"),
            ("2024-01-01", "2024-01-01"),
            ("", ""),
            ("~", "~"),
            ("!!binary AQ==", "AQ=="),
        ] {
            let item: Item = parse(&format!("name: {yaml}\n")).unwrap();
            assert_eq!(item.name, text, "{yaml}");
        }
    }

    #[test]
    fn a_leading_zero_is_not_an_octal_number() {
        assert_eq!(parse::<u32>("10").unwrap(), 10);
        let err = parse::<u32>("010").unwrap_err();
        assert_eq!(err.message, "expected a whole number");
    }

    #[test]
    fn a_wrong_type_names_the_field() {
        #[derive(Debug, serde::Deserialize)]
        struct Tags {
            #[allow(dead_code)]
            tags: Vec<String>,
        }
        let err = parse::<Tags>("tags: 3\n").unwrap_err();
        assert_eq!((err.line, err.col), (1, 7));
        assert_eq!(err.message, "tags: expected a list");
    }

    #[test]
    fn a_character_made_by_an_escape_is_found_at_its_value() {
        let text = "a: plain \\x01\nb: 'single \\e'\nc: \"dou\\tble \\e\"\n";
        assert_eq!(quoted_char(text, char::is_control), Some(('\t', 3, 4)));
        assert_eq!(
            quoted_char(text, |c| c == '\u{1b}'),
            Some(('\u{1b}', 3, 4)),
            "plain and single-quoted backslashes are themselves"
        );
        assert_eq!(
            quoted_char("a: \"\u{1}\"\n", |_| true),
            None,
            "no backslash, no escape"
        );
    }

    #[test]
    fn a_single_record_is_a_list_of_one() {
        let records = parse_one_or_many::<Item>("\nname: a\n").unwrap();
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].1, 2);
    }
}
