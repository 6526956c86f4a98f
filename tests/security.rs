//! Untrusted content: raw HTML is sanitized, every string is escaped, and a portal's files
//! cannot publish outside that portal.

use crate::util::Workspace;

const ARTICLE: &str = "portals/so-tu-phap/news/tro-giup-phap-ly.md";

#[test]
fn raw_html_in_markdown_is_sanitized_in_the_page() {
    let w = Workspace::ok();
    w.write(
        ARTICLE,
        "---\ntitle: Tin\ndate: 2020-11-20\n---\n\n<script>alert(1)</script>\n\n<p onclick=\"alert(2)\">Xin chào</p>\n\n<iframe src=\"https://x.vn\"></iframe><form><input></form>\n\n[x](javascript:alert(3))\n",
    );
    w.build().unwrap();
    let page = w.page("so-tu-phap/tin-tuc/tro-giup-phap-ly/index.html");
    let body = &page[page.find("<main").unwrap()..];
    for bad in ["alert(", "onclick", "<iframe", "<input", "javascript:"] {
        assert!(!body.contains(bad), "{bad} survived");
    }
    assert!(body.contains("Xin chào"));
}

#[test]
fn yaml_strings_are_escaped_everywhere() {
    let w = Workspace::ok();
    w.write(ARTICLE, "---\ntitle: \"<script>alert(1)</script> & \\\"x\\\"\"\ndate: 2020-11-20\nsummary: \"<img src=x onerror=alert(2)>\"\n---\nBody\n");
    w.build().unwrap();
    for page in [
        "so-tu-phap/tin-tuc/tro-giup-phap-ly/index.html",
        "so-tu-phap/tin-tuc/index.html",
        "so-tu-phap/tin-tuc/atom.xml",
    ] {
        let text = w.page(page);
        assert!(!text.contains("<script>alert"), "{page}");
        assert!(!text.contains("<img src=x"), "{page}");
        assert!(
            text.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp;"),
            "{page}"
        );
    }
    let article = w.page("so-tu-phap/tin-tuc/tro-giup-phap-ly/index.html");
    let jsonld = &article[article.find("application/ld+json").unwrap()..];
    assert!(
        jsonld.contains("\\u003cscript\\u003e"),
        "JSON-LD must not close its script element"
    );
}

#[test]
fn a_slug_cannot_climb_out_of_its_portal() {
    let w = Workspace::ok();
    w.write(
        ARTICLE,
        "---\ntitle: Tin\ndate: 2020-11-20\nslug: ../../so-y-te/tin\n---\nBody\n",
    );
    let errors = w.errors();
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].contains("`slug` `../../so-y-te/tin` is not a URL slug"),
        "{errors:?}"
    );
}

#[test]
fn an_image_path_cannot_reach_another_portals_assets() {
    let w = Workspace::ok();
    w.write(
        ARTICLE,
        "---\ntitle: Tin\ndate: 2020-11-20\nimage: ../../assets/ioc.svg\nimage_alt: x\n---\nBody\n",
    );
    let errors = w.errors();
    assert_eq!(
        errors,
        [format!(
            "{ARTICLE}:1:1: no file `../../assets/ioc.svg` in this portal's assets/ folder"
        )]
    );
}

#[test]
fn a_page_cannot_take_a_section_name() {
    let w = Workspace::ok();
    w.write(
        "portals/so-tu-phap/pages/tin-tuc.md",
        "---\ntitle: Tin\nweight: 9\n---\nBody\n",
    );
    let errors = w.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("page slug `tin-tuc` is reserved"),
        "{errors:?}"
    );
}

/// The first character of a published text file that XML 1.0 forbids, with the file.
fn unpublishable_chars(w: &Workspace) -> Vec<(std::path::PathBuf, char)> {
    crate::util::snapshot_tree(&w.out())
        .into_iter()
        .filter_map(|(path, bytes)| {
            let text = String::from_utf8(bytes).ok()?;
            let c = text.chars().find(|&c| {
                !matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
            })?;
            Some((path, c))
        })
        .collect()
}

#[test]
fn content_that_makes_a_character_xml_forbids_fails_the_build_and_leaves_the_site_as_it_was() {
    let w = Workspace::ok();
    w.build().unwrap();
    let before = crate::util::snapshot_tree(&w.out());
    assert_eq!(unpublishable_chars(&w), []);
    let article = std::fs::read_to_string(w.content().join(ARTICLE)).unwrap();
    let title = "title: Trợ giúp pháp lý cho người dân vùng sâu";
    for (attack, text) in [
        (
            "as it is",
            article.replace(title, "title: Trợ giúp\u{1b}[2J"),
        ),
        ("as it is in the body", format!("{article}\nChuông\u{7}\n")),
        (
            "a YAML escape",
            article.replace(title, "title: \"Trợ giúp\\e[2J\""),
        ),
        ("a reference", format!("{article}\nXóa màn hình&#x1b;[2J\n")),
        (
            "a reference in raw HTML",
            format!("{article}\n<p title=\"&#1;\">Chào</p>\n"),
        ),
    ] {
        w.write(ARTICLE, &text);
        let errors = w.errors();
        assert_eq!(errors.len(), 1, "{attack}: {errors:?}");
        assert!(errors[0].starts_with(ARTICLE), "{attack}: {errors:?}");
        assert_eq!(crate::util::snapshot_tree(&w.out()), before, "{attack}");
    }
}

#[test]
fn a_control_character_is_refused_where_it_is_written_with_its_code_point() {
    let w = Workspace::ok();
    w.write(
        ARTICLE,
        "---\ntitle: Tin\u{1} mới\ndate: 2020-11-20\n---\nBody\n",
    );
    assert_eq!(
        w.errors(),
        [format!("{ARTICLE}:2:11: U+0001 (a control character) cannot be published: XML 1.0 forbids it in pages and feeds; delete it (most editors do not show it)")]
    );
}

#[test]
fn yaml_escapes_that_make_a_character_xml_forbids_are_refused_at_their_value() {
    let w = Workspace::ok();
    for (escape, made) in [
        ("\\x01", "U+0001 (a control character)"),
        ("\\u0001", "U+0001 (a control character)"),
        ("\\0", "U+0000 (a control character)"),
        ("\\e", "U+001B (a control character)"),
        ("\\uFFFE", "U+FFFE (a noncharacter)"),
    ] {
        w.write(
            ARTICLE,
            format!("---\ntitle: \"Tin {escape}\"\ndate: 2020-11-20\n---\nBody\n"),
        );
        assert_eq!(
            w.errors(),
            [format!("{ARTICLE}:2:8: an escape in this double-quoted value makes {made}, which XML 1.0 forbids in pages and feeds; remove the escape")],
            "{escape}"
        );
    }
}

#[test]
fn an_escape_in_a_list_file_is_refused_at_its_record() {
    let w = Workspace::ok();
    let file = "portals/so-tu-phap/procedures/ho-tich.yaml";
    let yaml = std::fs::read_to_string(w.content().join(file)).unwrap();
    let mut lines: Vec<String> = yaml.lines().map(str::to_owned).collect();
    let (second, _) = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.starts_with("- "))
        .nth(1)
        .unwrap();
    let name = second + 1;
    assert!(lines[name].starts_with("  name: "), "{}", lines[name]);
    lines[name] = "  name: \"Đăng ký\\a\"".to_owned();
    w.write(file, lines.join("\n") + "\n");
    let errors = w.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with(&format!(
            "{file}:{}:9: an escape in this double-quoted value makes U+0007",
            name + 1
        )),
        "{errors:?}"
    );
}

#[test]
fn numeric_references_that_make_a_control_character_are_refused_where_written() {
    let w = Workspace::ok();
    for (body, at, written) in [
        ("Xóa &#x1b;[2J\n", "6:5", "&#x1b;"),
        ("[Tin](/so-tu-phap/ \"&#1;\")\n", "6:21", "&#1;"),
        ("<p title=\"&#1\">Chào</p>\n", "6:11", "&#1"),
    ] {
        w.write(
            ARTICLE,
            format!("---\ntitle: Tin\ndate: 2020-11-20\n---\n\n{body}"),
        );
        let errors = w.errors();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].starts_with(&format!("{ARTICLE}:{at}: `{written}` makes U+00")),
            "{errors:?}"
        );
    }
}

#[test]
fn cong_check_reports_a_character_xml_forbids() {
    let w = Workspace::ok();
    w.write(
        ARTICLE,
        "---\ntitle: \"Tin \\e\"\ndate: 2020-11-20\n---\nBody\n",
    );
    let (code, findings) = w.check_json(&[]);
    assert_eq!(code, Some(1));
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0]["severity"], "error");
    assert_eq!(
        (findings[0]["line"].as_u64(), findings[0]["col"].as_u64()),
        (Some(2), Some(8))
    );
    assert!(
        findings[0]["message"].as_str().unwrap().contains("U+001B"),
        "{findings:?}"
    );
}

#[test]
fn references_and_escapes_to_characters_xml_allows_are_published() {
    let w = Workspace::ok();
    w.write(
        ARTICLE,
        "---\ntitle: \"Tin m\\u1EDBi\\tnhất\"\ndate: 2020-11-20\n---\n\nMặt cười &#x1F600;, số không &#0;.\n",
    );
    w.build().unwrap();
    let page = w.page("so-tu-phap/tin-tuc/tro-giup-phap-ly/index.html");
    assert!(page.contains("Tin mới\tnhất"), "the escapes are read");
    assert!(
        page.contains("Mặt cười 😀, số không \u{FFFD}."),
        "the references are read"
    );
    assert_eq!(unpublishable_chars(&w), []);
}

/// The article's page after a build with `body` as its markdown.
fn article_page(w: &Workspace, body: &str) -> String {
    w.write(
        ARTICLE,
        format!("---\ntitle: Tin\ndate: 2020-11-20\n---\n\n{body}"),
    );
    w.build().unwrap();
    w.page("so-tu-phap/tin-tuc/tro-giup-phap-ly/index.html")
}

#[test]
fn raw_html_cannot_style_a_page() {
    let w = Workspace::ok();
    let page = article_page(
        &w,
        "<div style=\"position:fixed;inset:0;background:red\">Quảng cáo</div>\n\n<table><tr><td style=\"position:fixed;inset:0\">x</td></tr></table>\n",
    );
    assert!(page.contains("Quảng cáo"));
    assert!(!page.contains("style="), "a style attribute survived");
    assert!(!page.contains("position"), "a style survived");
}

#[test]
fn table_alignment_survives_sanitizing() {
    let w = Workspace::ok();
    let page = article_page(
        &w,
        "<b>Bảng</b>\n\n| Huyện | Số |\n|---|--:|\n| Cái Bè | 12 |\n",
    );
    assert!(
        page.contains("<td style=\"text-align: right\">12</td>"),
        "{page}"
    );
}

#[test]
fn an_id_in_raw_html_cannot_take_one_of_the_themes() {
    let w = Workspace::ok();
    let page = article_page(
        &w,
        "<p id=\"noi-dung\">Chào</p>\n\n<a name=\"noi-dung\" id=\"tin-khac\">x</a>\n",
    );
    assert_eq!(page.matches("id=\"noi-dung\"").count(), 1, "{page}");
    assert!(!page.contains("name=\"noi-dung\""), "{page}");
    assert!(!page.contains("id=\"tin-khac\""), "{page}");
}

#[test]
fn heading_ids_survive_sanitizing_once_each_and_the_anchor_lint_agrees() {
    let w = Workspace::ok();
    let page = article_page(
        &w,
        "## Nội dung\n\n<h3 id=\"muc-noi-dung\">Chép</h3>\n\n<p id=\"muc-khac\">Khác</p>\n\n[lên](#muc-noi-dung) [khác](#muc-khac)\n",
    );
    assert_eq!(page.matches("id=\"muc-noi-dung\"").count(), 1, "{page}");
    assert!(
        !page.contains("id=\"muc-khac\""),
        "only headings have ids: {page}"
    );
    let anchors: Vec<_> = w
        .check_json(&[])
        .1
        .into_iter()
        .filter(|f| f["code"] == "broken-anchor")
        .map(|f| f["message"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(anchors.len(), 1, "{anchors:?}");
    assert!(anchors[0].contains("`muc-khac`"), "{anchors:?}");
}
