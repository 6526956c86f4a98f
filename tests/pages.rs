//! What each kind of page contains: golden snapshots of every page kind of the fixture
//! network, then the rules every page follows.

use std::collections::BTreeSet;

use crate::util::Workspace;

fn built() -> Workspace {
    let w = Workspace::ok();
    w.build().expect("the fixture builds");
    w
}

#[test]
fn every_page_kind_matches_its_golden_copy() {
    let w = built();
    let kinds = [
        ("home_main", "index.html"),
        ("home_department", "so-tu-phap/index.html"),
        ("home_district", "huyen-cai-be/index.html"),
        ("news_list", "tin-tuc/index.html"),
        ("tag_list", "tin-tuc/the/dich-vu-cong/index.html"),
        ("article", "tin-tuc/chuyen-doi-so/index.html"),
        ("page_contact", "so-tu-phap/lien-he/index.html"),
        ("documents", "van-ban/index.html"),
        ("document_group", "van-ban/loai/ke-hoach/index.html"),
        ("document", "van-ban/15-2021-qd-ubnd/index.html"),
        (
            "portal_procedures_district",
            "huyen-cai-be/thu-tuc/index.html",
        ),
        ("catalogue", "dich-vu-cong/index.html"),
        ("facet", "dich-vu-cong/linh-vuc/ho-tich/index.html"),
        ("statistics", "dich-vu-cong/thong-ke/index.html"),
        ("procedure", "thu-tuc/1.001193/index.html"),
        ("site_map", "so-do-cong/index.html"),
        ("feed", "so-tu-phap/tin-tuc/atom.xml"),
        ("network_feed", "atom.xml"),
        ("sitemap", "sitemap.xml"),
        ("robots", "robots.txt"),
        ("not_found", "404.html"),
        ("opensearch", "opensearch.xml"),
    ];
    for (name, path) in kinds {
        insta::assert_snapshot!(name, w.page(path));
    }
}

fn html_pages(w: &Workspace) -> Vec<(String, String)> {
    walkdir::WalkDir::new(w.out())
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(w.out())
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read_to_string(e.path()).unwrap())
        })
        .collect()
}

#[test]
fn every_page_carries_language_canonical_open_graph_json_ld_and_dublin_core() {
    let w = built();
    for (path, html) in html_pages(&w) {
        for needle in [
            "<html lang=\"vi\">",
            "<link rel=\"canonical\" href=\"https://tiengiang.gov.vn/",
            "<meta property=\"og:title\"",
            "<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\"",
            "<meta name=\"DC.language\" content=\"vi\">",
            "<meta name=\"DC.identifier\"",
            "media=\"print\"",
            "class=\"skip-link\"",
        ] {
            assert!(html.contains(needle), "{path} lacks {needle}");
        }
    }
}

#[test]
fn every_internal_link_of_the_built_site_resolves() {
    let w = built();
    let mut broken = BTreeSet::new();
    for (path, html) in html_pages(&w) {
        for target in links_of(&html, "href=\"")
            .into_iter()
            .chain(links_of(&html, "src=\""))
        {
            if target != "tim-kiem" && !w.out().join(&target).exists() {
                broken.insert(format!("{path} → {target}"));
            }
        }
    }
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn the_sitemap_lists_every_page_once() {
    let w = built();
    let sitemap = w.page("sitemap.xml");
    let listed = sitemap.matches("<loc>").count();
    let pages = html_pages(&w).len() - 1; // 404.html is not a page to index
    assert_eq!(listed, pages);
}

#[test]
fn component_portals_are_grouped_by_kind_in_vietnamese_order() {
    let w = Workspace::ok();
    for (slug, name) in [
        ("so-y-te", "Sở Y tế"),
        ("so-cong-thuong", "Sở Công Thương"),
        ("so-dan-toc", "Ban Dân tộc"),
    ] {
        let yaml =
            std::fs::read_to_string(w.content().join("portals/so-tu-phap/portal.yaml")).unwrap();
        w.write(
            &format!("portals/{slug}/portal.yaml"),
            yaml.replace("Sở Tư pháp tỉnh Tiền Giang", name),
        );
    }
    w.build().unwrap();
    let home = w.page("index.html");
    let order: Vec<usize> = [
        "Ban Dân tộc",
        "Sở Công Thương",
        "Sở Tư pháp",
        "Sở Y tế",
        "Ủy ban nhân dân huyện Cái Bè",
    ]
    .iter()
    .map(|n| {
        home.find(&format!(">{n}"))
            .unwrap_or_else(|| panic!("{n} missing"))
    })
    .collect();
    assert!(order.windows(2).all(|p| p[0] < p[1]), "{order:?}");
}

#[test]
fn dates_are_written_day_month_year() {
    let w = built();
    let article = w.page("tin-tuc/chuyen-doi-so/index.html");
    assert!(article.contains("<time datetime=\"2021-06-15T00:00:00+07:00\">15/06/2021</time>"));
}

#[test]
fn online_filing_button_only_for_levels_three_and_four() {
    let w = built();
    let button = "Nộp hồ sơ trực tuyến</a>";
    assert!(w.page("thu-tuc/1.001193/index.html").contains(button));
    assert!(w.page("thu-tuc/2.000635/index.html").contains(button));
    assert!(!w.page("thu-tuc/1.000894/index.html").contains(button));
    assert!(w.page("thu-tuc/1.001193/index.html").contains(
        "href=\"https://dichvucong.tiengiang.gov.vn/nop-ho-so?ma=1.001193.000.00.00.H58\""
    ));
}

#[test]
fn district_portals_list_district_and_commune_procedures() {
    let w = built();
    let list = w.page("huyen-cai-be/thu-tuc/index.html");
    assert!(list.contains("Thủ tục đăng ký khai sinh") && list.contains("Thủ tục đăng ký kết hôn"));
    assert!(
        !list.contains("Thủ tục cấp bản sao trích lục hộ tịch"),
        "a province-level procedure"
    );
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let w = Workspace::ok();
    w.write(
        "portals/tinh/news/nhap.md",
        "---\ntitle: Bản nháp\ndate: 2022-01-01\ndraft: true\n---\nBody\n",
    );
    w.build().unwrap();
    assert!(!w.out().join("tin-tuc/nhap/index.html").exists());
    let mut options = w.options();
    options.drafts = true;
    cong::build::build(&options, &|_| {}).unwrap();
    assert!(w.out().join("tin-tuc/nhap/index.html").exists());
}

#[test]
fn a_portal_override_replaces_one_template_for_that_portal_only() {
    let w = Workspace::ok();
    w.write(
        "portals/so-tu-phap/theme/templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<p>Trang riêng</p>{% endblock content %}",
    );
    w.write(
        "portals/so-tu-phap/theme/static/style.css",
        "body { color: #000; }",
    );
    w.build().unwrap();
    let own = w.page("so-tu-phap/gioi-thieu/index.html");
    assert!(own.contains("<p>Trang riêng</p>"));
    assert!(own.contains("href=\"/so-tu-phap/static/style.css\""));
    assert!(!w
        .page("huyen-cai-be/gioi-thieu/index.html")
        .contains("Trang riêng"));
}

#[test]
fn news_lists_are_paginated_by_twenty() {
    let w = Workspace::ok();
    for i in 0..41 {
        w.write(
            &format!("portals/huyen-cai-be/news/tin-{i}.md"),
            format!(
                "---\ntitle: Tin {i}\ndate: 2022-03-{:02}\n---\nBody\n",
                i % 28 + 1
            ),
        );
    }
    w.build().unwrap();
    assert!(w
        .out()
        .join("huyen-cai-be/tin-tuc/trang/3/index.html")
        .exists());
    assert!(!w
        .out()
        .join("huyen-cai-be/tin-tuc/trang/4/index.html")
        .exists());
    let second = w.page("huyen-cai-be/tin-tuc/trang/2/index.html");
    assert!(second.contains("rel=\"prev\"") && second.contains("rel=\"next\""));
}

/// Site-absolute targets of one attribute (`href="`, `src="`) in a page, as output paths.
fn links_of(html: &str, attribute: &str) -> Vec<String> {
    html.split(attribute)
        .skip(1)
        .map(|part| &part[..part.find('"').unwrap()])
        .filter(|t| t.starts_with('/') && !t.starts_with("//"))
        .map(|t| {
            let file = t.split(['#', '?']).next().unwrap().trim_start_matches('/');
            if file.is_empty() || file.ends_with('/') {
                format!("{file}index.html")
            } else {
                file.to_owned()
            }
        })
        .collect()
}

#[test]
fn every_procedure_is_at_most_three_clicks_from_the_home_page() {
    let w = built();
    let mut depth = std::collections::HashMap::from([("index.html".to_owned(), 0)]);
    let mut queue = std::collections::VecDeque::from(["index.html".to_owned()]);
    while let Some(page) = queue.pop_front() {
        let d = depth[&page];
        if d == 3 || !page.ends_with(".html") {
            continue;
        }
        for link in links_of(&w.page(&page), "href=\"") {
            if w.out().join(&link).exists() && !depth.contains_key(&link) {
                depth.insert(link.clone(), d + 1);
                queue.push_back(link);
            }
        }
    }
    for code in ["1.001193", "2.000635", "1.000894"] {
        let page = format!("thu-tuc/{code}/index.html");
        assert!(
            depth.get(&page).is_some_and(|&d| d <= 3),
            "{page} is more than three clicks away"
        );
    }
}
