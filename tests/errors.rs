//! Bad input: each case is reported as `path:line:col: message`, with a non-zero outcome and
//! nothing published.

use crate::util::Workspace;

const ARTICLE: &str = "portals/tinh/news/2021/mua-lua.md";

#[test]
fn invalid_yaml_is_located() {
    let w = Workspace::ok();
    w.write(
        ARTICLE,
        "---\ntitle: Nông dân\ndate: 2021-03-02\ntags: [lúa, gạo\n---\nBody\n",
    );
    let errors = w.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0], format!("{ARTICLE}:4:7: unclosed bracket '['"));
}

#[test]
fn missing_required_field_is_named() {
    let w = Workspace::ok();
    w.write(ARTICLE, "---\ntitle: Nông dân\n---\nBody\n");
    assert_eq!(w.errors(), [format!("{ARTICLE}:2:1: missing field `date`")]);
}

#[test]
fn unknown_field_is_a_typo_not_ignored() {
    let w = Workspace::ok();
    w.write(
        ARTICLE,
        "---\ntitle: Nông dân\ndate: 2021-03-02\nsumary: x\n---\nBody\n",
    );
    let errors = w.errors();
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].starts_with(&format!(
            "{ARTICLE}:4:1: unknown field `sumary`, expected one of"
        )),
        "{errors:?}"
    );
}

#[test]
fn unknown_portal_kind_lists_the_valid_ones() {
    let w = Workspace::ok();
    let yaml =
        std::fs::read_to_string(w.content().join("portals/huyen-cai-be/portal.yaml")).unwrap();
    w.write(
        "portals/huyen-cai-be/portal.yaml",
        yaml.replace("kind: district", "kind: ward"),
    );
    let errors = w.errors();
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].starts_with("portals/huyen-cai-be/portal.yaml:3:7: kind: unknown variant `ward`, expected one of `main`, `department`, `district`"),
        "{errors:?}"
    );
}

#[test]
fn duplicate_procedure_code_points_at_both() {
    let w = Workspace::ok();
    let yaml = std::fs::read_to_string(
        w.content()
            .join("portals/so-tu-phap/procedures/ho-tich.yaml"),
    )
    .unwrap();
    w.write(
        "portals/so-tu-phap/procedures/ho-tich.yaml",
        yaml.replace("code: \"1.000894\"", "code: \"1.001193\""),
    );
    assert_eq!(
        w.errors(),
        ["portals/so-tu-phap/procedures/ho-tich.yaml:66:3: duplicate procedure code `1.001193`: already defined at portals/so-tu-phap/procedures/ho-tich.yaml:1:3"]
    );
}

#[test]
fn duplicate_news_slug_in_two_folders_is_refused() {
    let w = Workspace::ok();
    w.write(
        "portals/tinh/news/2022/mua-lua.md",
        "---\ntitle: Lúa Hè Thu\ndate: 2022-07-01\n---\nBody\n",
    );
    let errors = w.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("`/tin-tuc/mua-lua/` is already published by"),
        "{errors:?}"
    );
}

#[test]
fn broken_internal_link_is_located_at_the_link() {
    let w = Workspace::ok();
    w.write(
        ARTICLE,
        "---\ntitle: Lúa\ndate: 2021-03-02\n---\n\nXem [trang cũ](/so-y-te/khong-co/).\n",
    );
    assert_eq!(
        w.errors(),
        [format!(
            "{ARTICLE}:6:5: broken link: no page or file at `/so-y-te/khong-co/`"
        )]
    );
}

#[test]
fn a_date_that_is_not_a_date_says_what_is_expected() {
    let w = Workspace::ok();
    w.write(ARTICLE, "---\ntitle: Lúa\ndate: 2021-02-30\n---\nBody\n");
    let errors = w.errors();
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].starts_with(&format!(
            "{ARTICLE}:3:7: date: `2021-02-30` is not a date: write YYYY-MM-DD"
        )),
        "{errors:?}"
    );
}

#[test]
fn a_file_that_is_not_utf8_is_located_at_the_first_bad_byte() {
    let w = Workspace::ok();
    w.write(
        ARTICLE,
        b"---\ntitle: L\xfaa\ndate: 2021-03-02\n---\n".as_slice(),
    );
    assert_eq!(
        w.errors(),
        [format!(
            "{ARTICLE}:2:9: file is not valid UTF-8 (save it as UTF-8)"
        )]
    );
}

#[test]
fn every_error_of_a_run_is_reported_together() {
    let w = Workspace::ok();
    w.write(ARTICLE, "---\ntitle: Lúa\n---\n");
    w.write(
        "portals/huyen-cai-be/news/vu-sua-lo-ren.md",
        "no front matter\n",
    );
    w.write(
        "portals/tinh/pages/lien-he.md",
        "---\ntitle: Liên hệ\nweight: 3\n---\n[x](/khong-co/)\n",
    );
    let errors = w.errors();
    assert_eq!(
        errors.len(),
        2,
        "parse errors stop before link checks: {errors:?}"
    );
    assert!(errors[0]
        .starts_with("portals/huyen-cai-be/news/vu-sua-lo-ren.md:1:1: missing front matter"));
    assert!(errors[1].starts_with(&format!("{ARTICLE}:2:1: missing field `date`")));
}

#[test]
fn cong_check_reports_like_rustc_exits_1_and_writes_nothing() {
    let w = Workspace::ok();
    w.write(ARTICLE, "---\ntitle: Lúa\n---\n");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_cong"))
        .current_dir(w.dir.path())
        .args(["check", "--content", "content", "--themes"])
        .arg(crate::util::repo().join("themes"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    let expected =
        format!("error: content/{ARTICLE}:2:1: missing field `date`\n  |\n2 | title: Lúa\n  | ^\n");
    assert!(stderr.starts_with(&expected), "{stderr}");
    let left: Vec<_> = std::fs::read_dir(w.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["content"], "check wrote something");
}

#[test]
fn check_compiles_every_template_a_portal_uses() {
    let w = Workspace::ok();
    w.write("portals/so-tu-phap/theme/templates/page.html", "{% if %}");
    let network = cong::content::load(&w.content(), Default::default()).unwrap();
    let themes =
        cong::content::themes::load(&crate::util::repo().join("themes"), &network).unwrap();
    let err = cong::render::check_templates(&network, &themes).expect_err("the override is broken");
    assert!(err.to_string().contains("so-tu-phap"), "{err}");
}
