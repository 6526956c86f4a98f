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
