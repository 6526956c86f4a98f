//! The editor's loop: `cong new` writes files that pass `cong check`, each lint of `cong check`
//! fires on a small fixture and is silent on the default content, `--fix`, `--format json`, the
//! exit codes, and ownership (`cong owners`, `cong check --as`).

use std::path::Path;

use cong::vietnamese::slugify;

use crate::util::{cong, repo, Workspace};

const ARTICLE: &str = "portals/tinh/news/2021/mua-lua.md";
const PROCEDURES: &str = "portals/so-tu-phap/procedures/ho-tich.yaml";

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Writes the fixture's article with this body line after a valid front matter.
fn article_with(w: &Workspace, front: &str, body: &str) {
    w.write(
        ARTICLE,
        format!("---\ntitle: Nông dân thu hoạch lúa\ndate: 2021-03-02\n{front}---\n\n{body}\n"),
    );
}

// Slugs.

#[test]
fn slug_of_a_vietnamese_title_is_ascii_words_joined_by_hyphens() {
    assert_eq!(slugify("Tiêu đề bài viết"), "tieu-de-bai-viet");
}

#[test]
fn slug_turns_d_with_stroke_into_d_in_both_cases() {
    assert_eq!(slugify("Đường đến Đồng Tháp"), "duong-den-dong-thap");
}

#[test]
fn slug_drops_punctuation_and_repeated_spaces() {
    assert_eq!(
        slugify("  Hỏi – đáp:   “thủ tục”,  lệ phí?! "),
        "hoi-dap-thu-tuc-le-phi"
    );
}

// cong new.

fn new(w: &Workspace, args: &[&str]) -> std::process::Output {
    let mut all = vec!["new"];
    all.extend(args);
    cong(w.dir.path(), &all)
}

#[test]
fn new_news_writes_a_dated_article_under_the_title_slug_that_passes_check() {
    let w = Workspace::ok();
    let output = new(&w, &["news", "--portal", "so-tu-phap", "Tiêu đề bài viết"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        stdout(&output).trim(),
        "content/portals/so-tu-phap/news/tieu-de-bai-viet.md"
    );
    let text = std::fs::read_to_string(
        w.content()
            .join("portals/so-tu-phap/news/tieu-de-bai-viet.md"),
    )
    .unwrap();
    assert!(
        text.starts_with("---\ntitle: Tiêu đề bài viết\ndate: 20"),
        "{text}"
    );
    assert_eq!(w.check_json(&["--strict"]), (Some(0), vec![]));
}

#[test]
fn new_page_writes_a_page_after_the_last_one_that_passes_check() {
    let w = Workspace::ok();
    let output = new(&w, &["page", "--portal", "tinh", "Hỏi đáp"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = std::fs::read_to_string(w.content().join("portals/tinh/pages/hoi-dap.md")).unwrap();
    assert!(text.contains("\nweight: "), "{text}");
    assert_eq!(w.check_json(&["--strict"]), (Some(0), vec![]));
}

#[test]
fn new_procedure_appends_a_record_with_an_unused_code_that_passes_check() {
    let w = Workspace::ok();
    let before = std::fs::read_to_string(w.content().join(PROCEDURES)).unwrap();
    let output = new(
        &w,
        &[
            "procedure",
            "--portal",
            "so-tu-phap",
            "--slug",
            "ho-tich",
            "Thủ tục chứng thực bản sao",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let after = std::fs::read_to_string(w.content().join(PROCEDURES)).unwrap();
    assert!(after.starts_with(&before), "the existing records changed");
    assert!(
        after[before.len()..]
            .starts_with("- code: '2.000636'\n  name: Thủ tục chứng thực bản sao\n"),
        "{}",
        &after[before.len()..]
    );
    assert_eq!(w.check_json(&["--strict"]), (Some(0), vec![]));
}

#[test]
fn new_procedure_creates_a_file_named_after_the_procedure_that_passes_check() {
    let w = Workspace::ok();
    let output = new(
        &w,
        &["procedure", "--portal", "huyen-cai-be", "Cấp phép xây dựng"],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(w
        .content()
        .join("portals/huyen-cai-be/procedures/cap-phep-xay-dung.yaml")
        .is_file());
    assert_eq!(w.check_json(&["--strict"]), (Some(0), vec![]));
}

#[test]
fn new_never_overwrites_an_existing_file() {
    let w = Workspace::ok();
    let path = w.content().join("portals/tinh/pages/gioi-thieu.md");
    let before = std::fs::read(&path).unwrap();
    let output = new(&w, &["page", "--portal", "tinh", "Giới thiệu"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("gioi-thieu.md already exists"),
        "{}",
        stderr(&output)
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn new_refuses_an_article_slug_used_in_another_news_folder() {
    let w = Workspace::ok();
    let output = new(&w, &["news", "--portal", "tinh", "Mùa lúa"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("2021/mua-lua.md already uses this slug"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn new_refuses_an_unknown_portal_suggesting_the_closest_and_listing_all() {
    let w = Workspace::ok();
    let output = new(&w, &["news", "--portal", "so-tuphap", "Tin"]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(
        err.contains("no portal `so-tuphap` (did you mean `so-tu-phap`?)"),
        "{err}"
    );
    assert!(err.contains("huyen-cai-be, so-tu-phap, tinh"), "{err}");
}

// Lints: each fires on a small fixture.

#[test]
fn lint_look_alike_names_the_character() {
    let w = Workspace::ok();
    article_with(&w, "", "Thủ tụᴄ hành chính.");
    let (code, findings) = w.check_json(&[]);
    assert_eq!(code, Some(0), "warnings alone pass without --strict");
    assert_eq!(findings.len(), 1, "{findings:?}");
    let f = &findings[0];
    assert_eq!(f["code"], "look-alike");
    assert_eq!(f["severity"], "warning");
    assert_eq!((f["line"].as_u64(), f["col"].as_u64()), (Some(6), Some(7)));
    assert_eq!(
        f["message"],
        "U+1D04 LATIN LETTER SMALL CAPITAL C looks like `c`"
    );
}

#[test]
fn lint_not_nfc_reads_the_bytes_as_written() {
    let w = Workspace::ok();
    article_with(&w, "", "Tie\u{302}\u{300}n Giang");
    assert_eq!(w.check_codes(), ["not-nfc"]);
}

#[test]
fn lint_long_title_fires_past_the_feed_limit() {
    let w = Workspace::ok();
    let title = "Nông dân ".repeat(13);
    w.write(
        ARTICLE,
        format!(
            "---\ntitle: {}\ndate: 2021-03-02\n---\n\nLúa.\n",
            title.trim()
        ),
    );
    assert_eq!(w.check_codes(), ["long-title"]);
}

#[test]
fn lint_future_date_fires_on_an_article_dated_after_today() {
    let w = Workspace::ok();
    w.write(ARTICLE, "---\ntitle: Lúa\ndate: 2999-01-01\n---\n\nLúa.\n");
    let (_, findings) = w.check_json(&[]);
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0]["code"], "future-date");
    assert_eq!(findings[0]["line"], 3);
}

#[test]
fn lint_image_alt_fires_on_an_image_without_text() {
    let w = Workspace::ok();
    article_with(&w, "", "![](/assets/ioc.svg)");
    assert_eq!(w.check_codes(), ["image-alt"]);
}

#[test]
fn lint_broken_anchor_fires_on_a_missing_heading_and_passes_an_existing_one() {
    let w = Workspace::ok();
    w.write(
        "portals/tinh/pages/gioi-thieu.md",
        "---\ntitle: Giới thiệu\nweight: 1\n---\n\n## Chức năng, nhiệm vụ\n\nPhục vụ.\n",
    );
    let body = "[Đúng](/gioi-thieu/#muc-chuc-nang-nhiem-vu), [sai](/gioi-thieu/#muc-chuc-nang) và [trong bài](#muc-khong-co).";
    article_with(&w, "", body);
    let col = |link: &str| body[..body.find(link).unwrap()].chars().count() as u64 + 1;
    let (code, findings) = w.check_json(&[]);
    assert_eq!(code, Some(1));
    let found: Vec<(&str, u64)> = findings
        .iter()
        .map(|f| (f["code"].as_str().unwrap(), f["col"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        found,
        [
            ("broken-anchor", col("[sai]")),
            ("broken-anchor", col("[trong"))
        ]
    );
    assert!(findings[0]["help"]
        .as_str()
        .unwrap()
        .contains("#muc-chuc-nang-nhiem-vu"));
}

#[test]
fn lint_empty_field_fires_on_a_blank_required_procedure_field() {
    let w = Workspace::ok();
    let text = std::fs::read_to_string(w.content().join(PROCEDURES)).unwrap();
    w.write(
        PROCEDURES,
        text.replacen("  result: Giấy khai sinh", "  result: ''", 1),
    );
    let (code, findings) = w.check_json(&[]);
    assert_eq!(code, Some(1));
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0]["code"], "empty-field");
    assert_eq!(findings[0]["severity"], "error");
}

#[test]
fn lint_unknown_agency_fires_on_a_misspelt_agency() {
    let w = Workspace::ok();
    let text = std::fs::read_to_string(w.content().join(PROCEDURES)).unwrap();
    w.write(
        PROCEDURES,
        text.replacen(
            "  agency: Ủy ban nhân dân cấp xã",
            "  agency: Ủy ban nhân dân cấp xa",
            1,
        ),
    );
    let (_, findings) = w.check_json(&[]);
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0]["code"], "unknown-agency");
    assert!(findings[0]["help"]
        .as_str()
        .unwrap()
        .contains("Ủy ban nhân dân cấp xã"));
}

#[test]
fn lints_are_silent_on_the_default_content_even_when_strict() {
    let output = cong(&repo(), &["check", "--strict", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert_eq!(stdout(&output).trim(), "[]");
}

// --fix, --format json, exit codes.

#[test]
fn fix_replaces_look_alikes_and_keeps_every_other_byte() {
    let w = Workspace::ok();
    let before = "---\r\ntitle: Thủ tụᴄ\r\ndate: 2021-03-02\r\n---\r\n\r\nⅤụ lúa \u{422}\u{430}n Tie\u{302}\u{300}n.";
    w.write(ARTICLE, before);
    let (code, findings) = w.check_json(&["--fix", "--strict"]);
    assert_eq!((code, findings), (Some(0), vec![]));
    let after = std::fs::read_to_string(w.content().join(ARTICLE)).unwrap();
    assert_eq!(
        after,
        "---\r\ntitle: Thủ tục\r\ndate: 2021-03-02\r\n---\r\n\r\nVụ lúa Tan Tiền."
    );
}

#[test]
fn format_json_is_one_array_of_findings_with_every_field() {
    let w = Workspace::ok();
    article_with(&w, "", "Thủ tụᴄ");
    w.write("portals/tinh/news/khac.md", "---\ntitle: Lúa\n---\n");
    let (_, findings) = w.check_json(&[]);
    assert_eq!(findings.len(), 2, "{findings:?}");
    for f in &findings {
        for key in ["path", "line", "col", "severity", "code", "message", "help"] {
            assert!(f.get(key).is_some(), "{key} missing in {f}");
        }
    }
    assert_eq!(
        findings[0]["code"], "look-alike",
        "found even when the content does not load"
    );
    assert_eq!(findings[1]["code"], "yaml");
    assert_eq!(findings[1]["message"], "missing field `date`");
}

#[test]
fn exit_code_is_0_when_clean_1_on_errors_2_on_warnings_with_strict() {
    let w = Workspace::ok();
    assert_eq!(w.check_json(&["--strict"]).0, Some(0));
    article_with(&w, "", "![](/assets/ioc.svg)");
    assert_eq!(w.check_json(&[]).0, Some(0));
    assert_eq!(w.check_json(&["--strict"]).0, Some(2));
    w.write("portals/tinh/news/khac.md", "---\ntitle: Lúa\n---\n");
    assert_eq!(w.check_json(&["--strict"]).0, Some(1));
}

#[test]
fn text_output_gives_the_source_line_a_caret_and_a_help_line() {
    let w = Workspace::ok();
    article_with(&w, "", "![](/assets/ioc.svg)");
    let output = cong(
        w.dir.path(),
        &["check", "--themes", repo().join("themes").to_str().unwrap()],
    );
    let expected = format!(
        "warning: content/{ARTICLE}:6:1: image without alt text\n  |\n6 | ![](/assets/ioc.svg)\n  | ^\n  = help: describe the image"
    );
    assert!(
        stderr(&output).starts_with(&expected),
        "{}",
        stderr(&output)
    );
}

// Ownership.

fn owners(dir: &Path) -> String {
    let output = cong(dir, &["owners"]);
    assert!(output.status.success(), "{}", stderr(&output));
    stdout(&output)
}

#[test]
fn owners_gives_each_portal_folder_to_its_editors_and_the_rest_and_the_theme_overrides_to_the_main_portals(
) {
    let w = Workspace::ok();
    let text = owners(w.dir.path());
    assert!(text.starts_with("# "), "a header comment first");
    let rules: Vec<&str> = text.lines().filter(|l| l.starts_with('/')).collect();
    assert_eq!(
        rules,
        [
            "/content/ lethihoa@tiengiang.gov.vn",
            "/themes/ lethihoa@tiengiang.gov.vn",
            "/content/portals/huyen-cai-be/ vovanem@tiengiang.gov.vn",
            "/content/portals/so-tu-phap/ phamminhchau@tiengiang.gov.vn",
            "/content/portals/tinh/ lethihoa@tiengiang.gov.vn",
            "/content/portals/*/theme/ lethihoa@tiengiang.gov.vn",
        ]
    );
}

#[test]
fn committed_codeowners_is_what_cong_owners_writes() {
    let committed = std::fs::read_to_string(repo().join("CODEOWNERS")).unwrap();
    assert_eq!(
        committed,
        owners(&repo()),
        "CODEOWNERS is out of date: run `cargo run -- owners --out CODEOWNERS`"
    );
}

fn check_as(w: &Workspace, editor: &str, paths: &[&str]) -> std::process::Output {
    let themes = repo().join("themes");
    let mut args = vec![
        "check",
        "--themes",
        themes.to_str().unwrap(),
        "--as",
        editor,
    ];
    args.extend(paths);
    cong(w.dir.path(), &args)
}

#[test]
fn check_as_refuses_a_path_of_another_portal_naming_its_editors() {
    let w = Workspace::ok();
    let output = check_as(
        &w,
        "vovanem@tiengiang.gov.vn",
        &[
            "content/portals/huyen-cai-be/news/vu-sua-lo-ren.md",
            "content/portals/so-tu-phap/pages/lien-he.md",
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(
        err.starts_with("error: content/portals/so-tu-phap/pages/lien-he.md: belongs to portal `so-tu-phap` whose editors are phamminhchau@tiengiang.gov.vn\n"),
        "{err}"
    );
    assert!(!err.contains("huyen-cai-be/news"), "{err}");
}

#[test]
fn check_as_accepts_paths_inside_the_editors_portal() {
    let w = Workspace::ok();
    let output = check_as(
        &w,
        "vovanem@tiengiang.gov.vn",
        &[
            "content/portals/huyen-cai-be/news/vu-sua-lo-ren.md",
            "content/portals/huyen-cai-be/news/moi.md",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

#[test]
fn check_as_gives_network_wide_files_to_the_main_portals_editors_only() {
    let w = Workspace::ok();
    let paths = ["content/network.yaml"];
    assert_eq!(
        check_as(&w, "lethihoa@tiengiang.gov.vn", &paths)
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        check_as(&w, "vovanem@tiengiang.gov.vn", &paths)
            .status
            .code(),
        Some(1)
    );
}

#[test]
fn check_as_an_unknown_editor_is_an_error() {
    let w = Workspace::ok();
    let output = check_as(&w, "vovanem@tiengiang.vn", &["content/network.yaml"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("no portal lists `vovanem@tiengiang.vn` among its editors (did you mean `vovanem@tiengiang.gov.vn`?)"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn check_as_without_paths_asks_git_for_changed_and_untracked_files() {
    let w = Workspace::ok();
    let git = |args: &[&str]| {
        let status = std::process::Command::new("git")
            .current_dir(w.dir.path())
            .args(["-c", "user.name=t", "-c", "user.email=t@t.vn"])
            .args(args)
            .output()
            .unwrap()
            .status;
        assert!(status.success(), "git {args:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "nội dung"]);
    w.write(
        "portals/huyen-cai-be/news/moi.md",
        "---\ntitle: Tin mới\ndate: 2021-03-02\n---\n\nTin.\n",
    );
    assert_eq!(
        check_as(&w, "vovanem@tiengiang.gov.vn", &[]).status.code(),
        Some(0)
    );
    w.write(
        "portals/tinh/pages/lien-he.md",
        "---\ntitle: Liên hệ\nweight: 9\n---\n\nGọi.\n",
    );
    let output = check_as(&w, "vovanem@tiengiang.gov.vn", &[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output)
            .starts_with("error: content/portals/tinh/pages/lien-he.md: belongs to portal `tinh`"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn check_as_gives_a_portals_theme_overrides_to_the_main_portals_editors() {
    let w = Workspace::ok();
    let paths = ["content/portals/so-tu-phap/theme/templates/article.html"];
    let department = check_as(&w, "phamminhchau@tiengiang.gov.vn", &paths);
    assert_eq!(department.status.code(), Some(1));
    assert!(
        stderr(&department).contains("is a theme override of portal `so-tu-phap`"),
        "{}",
        stderr(&department)
    );
    let main = check_as(&w, "lethihoa@tiengiang.gov.vn", &paths);
    assert_eq!(main.status.code(), Some(0), "{}", stderr(&main));
}
