//! A failed build leaves the previous site byte for byte as it was.

use crate::util::{snapshot_tree, Workspace};

#[test]
fn a_content_error_leaves_the_previous_site_untouched() {
    let w = Workspace::ok();
    w.build().expect("the fixture builds");
    let before = snapshot_tree(&w.out());
    w.write(
        "portals/tinh/news/2021/mua-lua.md",
        "---\ntitle: [broken\n---\n",
    );
    assert!(w.build().is_err());
    assert_eq!(snapshot_tree(&w.out()), before);
}

#[test]
fn a_template_failing_mid_render_leaves_the_previous_site_untouched() {
    let w = Workspace::ok();
    w.build().expect("the fixture builds");
    let before = snapshot_tree(&w.out());
    // A portal override whose article template fails at render time, after other pages were
    // already written to the staging folder.
    w.write(
        "portals/so-tu-phap/theme/templates/article.html",
        "{{ no_such_variable.field }}",
    );
    let err = w.build().expect_err("the template fails");
    assert!(err.to_string().contains("article.html"), "{err}");
    assert_eq!(snapshot_tree(&w.out()), before);
    let mut siblings: Vec<_> = std::fs::read_dir(w.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    siblings.sort();
    assert_eq!(
        siblings,
        [".site-generations", "content", "search-index", "site"],
        "staging folders left behind"
    );
    let generations = std::fs::read_dir(w.dir.path().join(".site-generations"))
        .unwrap()
        .count();
    assert_eq!(
        generations, 3,
        "the live generation, its link and the lock only"
    );
}

#[test]
fn a_failed_build_leaves_the_previous_search_index_untouched() {
    let w = Workspace::ok();
    w.build().expect("the fixture builds");
    let index = w.dir.path().join("search-index");
    let before = snapshot_tree(&index);
    w.write(
        "portals/so-tu-phap/theme/templates/article.html",
        "{{ no_such_variable.field }}",
    );
    assert!(w.build().is_err());
    assert_eq!(snapshot_tree(&index), before);
}

#[test]
fn a_successful_build_replaces_the_whole_site() {
    let w = Workspace::ok();
    w.build().unwrap();
    w.remove("portals/tinh/news/2021/mua-lua.md");
    w.build().unwrap();
    assert!(!w.out().join("tin-tuc/mua-lua/index.html").exists());
    assert!(w.out().join("tin-tuc/chuyen-doi-so/index.html").exists());
}

#[test]
fn the_site_and_its_index_are_published_from_one_generation() {
    let w = Workspace::ok();
    for _ in 0..2 {
        w.build().unwrap();
        let site = std::fs::canonicalize(w.out()).unwrap();
        let index = std::fs::canonicalize(w.dir.path().join("search-index")).unwrap();
        assert_eq!(site.parent(), index.parent(), "{site:?} and {index:?}");
        assert!(index.join("meta.json").is_file());
        assert!(site.join("index.html").is_file());
    }
}
