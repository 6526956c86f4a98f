//! The default content of the repository: it builds, and the built site shows the province's
//! own figures, computed from the procedure records.

use crate::util::default_build;

#[test]
fn the_default_content_builds_and_shows_the_provinces_figures() {
    let (dir, summary) = default_build();
    assert_eq!((summary.portals, summary.procedures), (34, 2160));

    let read = |path: &str| std::fs::read_to_string(dir.path().join("site").join(path)).unwrap();
    let home = read("index.html");
    assert!(
        home.contains("Tỉnh cung cấp <strong>2.160</strong> thủ tục hành chính"),
        "main portal summary"
    );
    let statistics = read("dich-vu-cong/thong-ke/index.html");
    for row in [
        "<a href=\"/dich-vu-cong/muc-do/muc-do-3/\">Mức độ 3</a></th><td>931</td><td>43,1%</td>",
        "<a href=\"/dich-vu-cong/muc-do/muc-do-4/\">Mức độ 4</a></th><td>951</td><td>44,03%</td>",
        "<a href=\"/dich-vu-cong/muc-do/muc-do-2/\">Mức độ 2</a></th><td>278</td><td>12,87%</td>",
        "<th scope=\"row\">Tổng cộng</th><td>2.160</td>",
    ] {
        assert!(statistics.contains(row), "statistics page lacks {row}");
    }
    for card in [
        "<span class=\"big\">931</span>",
        "<span class=\"pct\">43,1%</span>",
        "<span class=\"big\">951</span>",
        "<span class=\"pct\">44,03%</span>",
    ] {
        assert!(home.contains(card), "main portal lacks {card}");
    }
}
