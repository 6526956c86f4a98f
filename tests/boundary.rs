//! The department boundary, tried as a hostile department editor would: a portal's theme
//! override, a symbolic link or a special file in its folder, an active asset. Each attack is
//! refused with its location, publishes nothing, and never prints what it reached for.

use std::path::Path;
use std::process::{Command, Output};

use crate::util::{repo, snapshot_tree, Workspace};

const OVERRIDES: &str = "portals/so-tu-phap/theme/templates";
const SECRET: &str = "BI-MAT-0f3a9c";

/// `cong build` run as CI runs it, with a secret in its environment.
fn build_with_secret(w: &Workspace, themes: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cong"))
        .current_dir(w.dir.path())
        .env("CI_SECRET_TOKEN", SECRET)
        .args(["build", "--themes"])
        .arg(themes)
        .output()
        .unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Every byte the run left: its output and every file of the workspace.
fn assert_secret_nowhere(w: &Workspace, output: &Output) {
    let text = format!(
        "{}{}",
        stderr(output),
        String::from_utf8_lossy(&output.stdout)
    );
    assert!(!text.contains(SECRET), "the secret was printed:\n{text}");
    for (path, bytes) in snapshot_tree(w.dir.path()) {
        let needle = SECRET.as_bytes();
        let found = bytes.windows(needle.len()).any(|w| w == needle);
        let is_source = path.starts_with("content") || path.starts_with("outside");
        assert!(is_source || !found, "the secret reached {}", path.display());
    }
}

/// Where each error of a build of `w` is, `path:line:col`.
fn places(w: &Workspace) -> Vec<String> {
    w.errors()
        .iter()
        .map(|e| e.split(": ").next().unwrap().to_owned())
        .collect()
}

#[test]
fn a_portal_override_that_reads_the_environment_is_refused_and_publishes_nothing() {
    let w = Workspace::ok();
    w.write(
        &format!("{OVERRIDES}/article.html"),
        "{% extends \"base.html\" %}{% block content %}{{ get_env(name=\"CI_SECRET_TOKEN\") }}{% endblock %}",
    );
    let output = build_with_secret(&w, &repo().join("themes"));
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains(&format!(
            "content/{OVERRIDES}/article.html:1:48: `get_env` is not available to templates"
        )),
        "{}",
        stderr(&output)
    );
    assert!(!w.out().exists());
    assert_secret_nowhere(&w, &output);
}

#[test]
fn the_network_theme_cannot_read_the_environment_either() {
    let w = Workspace::ok();
    let themes = w.dir.path().join("themes");
    crate::util::copy_dir(&repo().join("themes"), &themes);
    let page = themes.join("default/templates/page.html");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(
        &page,
        format!("{{{{ get_env(name=\"CI_SECRET_TOKEN\") }}}}\n{text}"),
    )
    .unwrap();
    let output = build_with_secret(&w, &themes);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output)
            .contains("themes/default/templates/page.html:1:4: `get_env` is not available"),
        "{}",
        stderr(&output)
    );
    assert_secret_nowhere(&w, &output);
}

#[test]
fn a_portal_may_not_override_the_frame_or_the_feeds() {
    let w = Workspace::ok();
    for name in ["base.html", "sitemap.xml", "atom.xml"] {
        w.write(&format!("{OVERRIDES}/{name}"), "x");
    }
    let errors = w.errors();
    assert_eq!(errors.len(), 3, "{errors:?}");
    for (error, name) in errors.iter().zip(["atom.xml", "base.html", "sitemap.xml"]) {
        assert!(
            error.starts_with(&format!(
                "{OVERRIDES}/{name}:1:1: a portal may not override `{name}`"
            )),
            "{error}"
        );
    }
}

#[test]
fn scripts_in_a_portal_override_are_refused_where_they_are() {
    let w = Workspace::ok();
    w.write(
        &format!("{OVERRIDES}/page.html"),
        "{% extends \"base.html\" %}{% block content %}\n<script>alert(1)</script>\n<p onclick=\"alert(2)\">x</p>\n<a href=\"javascript:alert(3)\">y</a>\n{% endblock %}",
    );
    assert_eq!(
        places(&w),
        [
            format!("{OVERRIDES}/page.html:2:1"),
            format!("{OVERRIDES}/page.html:3:4"),
            format!("{OVERRIDES}/page.html:4:10"),
        ],
    );
}

#[test]
fn a_portal_override_may_not_print_a_string_unescaped() {
    let w = Workspace::ok();
    w.write(
        &format!("{OVERRIDES}/page.html"),
        "{% extends \"base.html\" %}{% block content %}<h1>{{ page.title | safe }}</h1>{% endblock %}",
    );
    let errors = w.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with(&format!("{OVERRIDES}/page.html:1:65: the `safe` filter")),
        "{errors:?}"
    );
}

#[test]
fn a_portal_override_within_the_rules_is_published() {
    let w = Workspace::ok();
    w.write(
        &format!("{OVERRIDES}/article.html"),
        "{% extends \"base.html\" %}{% block content %}<article class=\"rieng\"><h1>{{ page.title }}</h1>{{ content | safe }}</article>{% endblock %}",
    );
    w.build().unwrap();
    let page = w.page("so-tu-phap/tin-tuc/tro-giup-phap-ly/index.html");
    assert!(page.contains("<article class=\"rieng\">"), "{page}");
}

#[test]
fn a_symbolic_link_in_a_portal_is_refused_without_printing_its_target() {
    let w = Workspace::ok();
    let outside = w.dir.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(
        outside.join("environ"),
        format!("CI_SECRET_TOKEN={SECRET}\n"),
    )
    .unwrap();
    let link = |rel: &str| {
        let path = w.content().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(outside.join("environ"), path).unwrap();
    };
    link("portals/so-tu-phap/assets/x.txt");
    link("portals/so-tu-phap/news/bi-mat.md");
    std::os::unix::fs::symlink(&outside, w.content().join("portals/tinh/news/ngoai")).unwrap();
    for args in [&["build"][..], &["check", "--strict"][..]] {
        let output = Command::new(env!("CARGO_BIN_EXE_cong"))
            .current_dir(w.dir.path())
            .args(args)
            .arg("--themes")
            .arg(repo().join("themes"))
            .output()
            .unwrap();
        assert_ne!(output.status.code(), Some(0), "{args:?}");
        let err = stderr(&output);
        for path in [
            "portals/so-tu-phap/assets/x.txt:1:1: is a symbolic link",
            "portals/so-tu-phap/news/bi-mat.md:1:1: is a symbolic link",
            "portals/tinh/news/ngoai:1:1: is a symbolic link",
        ] {
            assert!(err.contains(path), "{args:?} did not say {path}:\n{err}");
        }
        assert_secret_nowhere(&w, &output);
    }
    assert!(!w.out().exists());
}

#[test]
fn a_symbolic_link_among_the_theme_templates_is_refused() {
    let w = Workspace::ok();
    let themes = w.dir.path().join("themes");
    crate::util::copy_dir(&repo().join("themes"), &themes);
    std::os::unix::fs::symlink("/etc/hostname", themes.join("default/templates/x.html")).unwrap();
    let mut options = w.options();
    options.themes = themes;
    let err = cong::build::build(&options, &|_| {})
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("themes/default/templates/x.html:1:1: is a symbolic link"),
        "{err}"
    );
}

#[test]
fn a_fifo_in_a_portal_is_refused_at_once() {
    let w = Workspace::ok();
    let fifo = w.content().join("portals/so-tu-phap/news/cho.md");
    rustix::fs::mknodat(
        rustix::fs::CWD,
        &fifo,
        rustix::fs::FileType::Fifo,
        rustix::fs::Mode::from_raw_mode(0o600),
        0,
    )
    .unwrap();
    let errors = w.errors();
    assert_eq!(
        errors,
        ["portals/so-tu-phap/news/cho.md:1:1: is not a plain file (a FIFO, socket or device): content and themes hold only plain files and folders"]
    );
}

#[test]
fn pages_scripts_and_svgs_with_scripts_are_not_assets() {
    let w = Workspace::ok();
    w.write("portals/so-tu-phap/assets/trang.html", "<p>x</p>");
    w.write("portals/so-tu-phap/assets/app.js", "alert(1)");
    w.write(
        "portals/so-tu-phap/assets/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\">\n  <g onload=\"alert(1)\"/></svg>",
    );
    assert_eq!(
        places(&w),
        [
            "portals/so-tu-phap/assets/app.js:1:1",
            "portals/so-tu-phap/assets/logo.svg:2:6",
            "portals/so-tu-phap/assets/trang.html:1:1",
        ],
    );
}

#[test]
fn a_previous_site_survives_a_refused_override() {
    let w = Workspace::ok();
    w.build().unwrap();
    let before = snapshot_tree(&w.out());
    w.write(&format!("{OVERRIDES}/page.html"), "<script>x</script>");
    assert!(w.build().is_err());
    assert_eq!(snapshot_tree(&w.out()), before);
}
