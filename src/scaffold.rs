//! `cong new`: writes the skeleton of a news article, a page or a procedure, with every field
//! the contract requires filled in (placeholders in Vietnamese), so that `cong check` passes on
//! it at once and the editor only replaces text.
//!
//! It owns the placeholder texts and the choice of file name, page weight and procedure code.
//! It never overwrites a file: an article or page whose file exists is refused, and a
//! procedure is added to the end of an existing list file, every byte before it kept.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::diagnostics::{closest, Diagnostics};
use crate::model::routes::RESERVED;
use crate::model::{PortalInfo, PortalKind, ProcedureCode};
use crate::vietnamese::{is_slug, slugify};
use crate::yaml::{is_list, scalar};

/// What to create.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A news article: `news/<slug>.md`.
    News,
    /// A static page: `pages/<slug>.md`.
    Page,
    /// A procedure record: `procedures/<slug>.yaml` (created, or appended to).
    Procedure,
}

/// One `cong new`.
#[derive(Debug, Clone)]
pub struct NewItem {
    /// What.
    pub kind: Kind,
    /// The portal's folder name.
    pub portal: String,
    /// The title (the procedure's name), in Vietnamese.
    pub title: String,
    /// The file name without extension, instead of the title's slug.
    pub slug: Option<String>,
    /// Publication date, and the date of the placeholder legal basis: today, in Vietnam.
    pub today: NaiveDate,
}

/// Why nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    /// The portal's folder does not exist.
    #[error("no portal `{slug}`{}; the portals are: {}", suggestion.as_ref().map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default(), valid.join(", "))]
    UnknownPortal {
        /// The slug given.
        slug: String,
        /// The closest portal, if one is close.
        suggestion: Option<String>,
        /// Every portal's folder name.
        valid: Vec<String>,
    },
    /// The file is there already.
    #[error(
        "{0} already exists: cong new never overwrites a file; choose another title or pass --slug"
    )]
    Exists(PathBuf),
    /// Another article of the portal already has this slug, in another folder.
    #[error("{0} already uses this slug: pass --slug to choose another")]
    SlugTaken(PathBuf),
    /// The slug is not one.
    #[error("`{0}` is not a usable slug: use lowercase ASCII letters, digits and `-`, not one of the reserved {RESERVED:?}")]
    BadSlug(String),
    /// The procedure file holds a single record, not a list, so a record cannot be added.
    #[error("{0} holds a single procedure, not a list: add `--slug` to write a new file")]
    NotAList(PathBuf),
    /// `network.yaml` or a `portal.yaml` does not load.
    #[error("{0}")]
    Content(Diagnostics),
    /// Reading or writing failed.
    #[error("{0}: {1}")]
    Io(PathBuf, std::io::Error),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ScaffoldError + '_ {
    move |e| ScaffoldError::Io(path.to_path_buf(), e)
}

/// Writes the new file (or record) and returns its path.
pub fn create(content: &Path, item: &NewItem) -> Result<PathBuf, ScaffoldError> {
    let (_, portals) = crate::content::read_portals(content).map_err(ScaffoldError::Content)?;
    let Some((_, info)) = portals.iter().find(|(slug, _)| *slug == item.portal) else {
        let valid: Vec<String> = portals.into_iter().map(|(slug, _)| slug).collect();
        let suggestion = closest(&item.portal, valid.iter().map(String::as_str)).map(str::to_owned);
        return Err(ScaffoldError::UnknownPortal {
            slug: item.portal.clone(),
            suggestion,
            valid,
        });
    };
    let slug = item.slug.clone().unwrap_or_else(|| slugify(&item.title));
    if !is_slug(&slug) || RESERVED.contains(&slug.as_str()) {
        return Err(ScaffoldError::BadSlug(slug));
    }
    let dir = content.join("portals").join(&item.portal);
    match item.kind {
        Kind::News => {
            let path = dir.join("news").join(format!("{slug}.md"));
            if let Some(taken) = markdown_files(&dir.join("news"))
                .into_iter()
                .find(|p| p.file_stem().is_some_and(|s| *s == *slug))
            {
                return Err(if taken == path {
                    ScaffoldError::Exists(path)
                } else {
                    ScaffoldError::SlugTaken(taken)
                });
            }
            write_new(&path, &news(&item.title, item.today))?;
            Ok(path)
        }
        Kind::Page => {
            let pages = dir.join("pages");
            let path = pages.join(format!("{slug}.md"));
            if path.exists() {
                return Err(ScaffoldError::Exists(path));
            }
            let weight = markdown_files(&pages)
                .iter()
                .filter_map(|p| std::fs::read_to_string(p).ok())
                .filter_map(|text| front_matter_weight(&text))
                .max()
                .map_or(1, |w| w + 1);
            write_new(&path, &page(&item.title, weight))?;
            Ok(path)
        }
        Kind::Procedure => {
            let path = dir.join("procedures").join(format!("{slug}.yaml"));
            let code = fresh_code(&procedure_codes(content));
            let record = procedure(&item.title, &code, info, item.today);
            match std::fs::read_to_string(&path) {
                Ok(existing) => {
                    if !is_list(&existing) {
                        return Err(ScaffoldError::NotAList(path));
                    }
                    let separator = if existing.ends_with('\n') { "" } else { "\n" };
                    let text = format!("{existing}{separator}{record}");
                    crate::output::write_atomically(&path, text.as_bytes()).map_err(io(&path))?;
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    write_new(&path, &record)?;
                }
                Err(e) => return Err(ScaffoldError::Io(path, e)),
            }
            Ok(path)
        }
    }
}

/// Creates `path` (and its folder), failing if it exists.
fn write_new(path: &Path, text: &str) -> Result<(), ScaffoldError> {
    use std::io::Write as _;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io(dir))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => ScaffoldError::Exists(path.to_path_buf()),
            _ => ScaffoldError::Io(path.to_path_buf(), e),
        })?;
    file.write_all(text.as_bytes()).map_err(io(path))
}

/// Every `.md` file under `dir`, at any depth.
fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .map(walkdir::DirEntry::into_path)
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect()
}

/// The `weight:` of a page's front matter, read loosely (a broken page is `check`'s to report).
fn front_matter_weight(text: &str) -> Option<i32> {
    text.lines()
        .skip(1)
        .take_while(|l| l.trim_end() != "---")
        .find_map(|l| l.strip_prefix("weight:"))
        .and_then(|w| w.trim().parse().ok())
}

/// Every procedure code written in the network, read line by line so that a file that does
/// not parse still counts.
fn procedure_codes(content: &Path) -> Vec<ProcedureCode> {
    crate::content::text_files(content)
        .into_iter()
        .filter(|p| p.parent().is_some_and(|d| d.ends_with("procedures")))
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .flat_map(|text| {
            text.lines()
                .filter_map(|l| {
                    let l = l.trim_start().trim_start_matches("- ");
                    let code = l.strip_prefix("code:")?.trim().trim_matches(['"', '\'']);
                    ProcedureCode::parse(code).ok()
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// A code one past the highest in use (`2.002999` → `2.003000`), so that it is unused.
fn fresh_code(codes: &[ProcedureCode]) -> String {
    let (digit, number) = codes
        .iter()
        .filter_map(|c| {
            let (d, n) = c.as_str().split_once('.')?;
            Some((d.parse::<u32>().ok()?, n.parse::<u32>().ok()?))
        })
        .max()
        .unwrap_or((1, 0));
    match number {
        999_999 => format!("{}.000001", digit + 1),
        n => format!("{digit}.{:06}", n + 1),
    }
}

fn news(title: &str, today: NaiveDate) -> String {
    format!(
        "---\n\
         title: {}\n\
         date: {today}\n\
         summary: Tóm tắt nội dung bài viết trong một hoặc hai câu; dùng trong danh sách tin, bản tin RSS và khi chia sẻ.\n\
         tags: []\n\
         ---\n\n\
         Đoạn mở đầu: nêu sự việc chính (ai, làm gì, ở đâu, khi nào).\n\n\
         ## Nội dung chính\n\n\
         Các đoạn sau trình bày chi tiết, số liệu và ý kiến của cơ quan, đơn vị.\n",
        scalar(title)
    )
}

fn page(title: &str, weight: i32) -> String {
    format!(
        "---\n\
         title: {}\n\
         weight: {weight}\n\
         summary: Mô tả ngắn nội dung trang trong một câu.\n\
         ---\n\n\
         Nội dung trang: giới thiệu thông tin cần thiết cho người dân và doanh nghiệp.\n",
        scalar(title)
    )
}

/// One procedure as a YAML list of one record, ready to append to a list file.
fn procedure(name: &str, code: &str, portal: &PortalInfo, today: NaiveDate) -> String {
    let level = match portal.kind {
        PortalKind::District => "district",
        PortalKind::Main | PortalKind::Department => "province",
    };
    let agency = scalar(&portal.name);
    format!(
        "- code: '{code}'\n  \
         name: {}\n  \
         decision: Quyết định số .../QĐ-UBND ngày .../.../... của Chủ tịch UBND tỉnh Tiền Giang (cần cập nhật)\n  \
         implementing_level: {level}\n  \
         type: Thủ tục hành chính\n  \
         field: Cần cập nhật lĩnh vực\n  \
         applicants:\n  - citizen\n  \
         agency: {agency}\n  \
         competent_agency: {agency}\n  \
         receiving_address: {}\n  \
         steps:\n  \
         - Tổ chức, cá nhân nộp hồ sơ tại Bộ phận Tiếp nhận và Trả kết quả.\n  \
         - Cơ quan giải quyết thẩm định hồ sơ và trả kết quả.\n  \
         channels:\n  \
         - mode: in_person\n    \
         time: Cần cập nhật thời hạn giải quyết\n    \
         fee: Cần cập nhật phí, lệ phí\n  \
         documents:\n  \
         - items:\n    \
         - name: Đơn đề nghị theo mẫu\n      \
         originals: 1\n      \
         copies: 0\n  \
         result: Cần cập nhật kết quả thực hiện\n  \
         legal_basis:\n  \
         - number: Cần cập nhật số hiệu văn bản\n    \
         summary: Cần cập nhật trích yếu văn bản\n    \
         date: {today}\n    \
         issuer: Cần cập nhật cơ quan ban hành\n  \
         level: 2\n  \
         online_class: none\n",
        scalar(name),
        scalar(&portal.contact.address),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_code_is_one_past_the_highest() {
        let codes: Vec<ProcedureCode> = ["1.001193", "2.002999", "1.000656"]
            .iter()
            .map(|c| ProcedureCode::parse(c).unwrap())
            .collect();
        assert_eq!(fresh_code(&codes), "2.003000");
        assert_eq!(fresh_code(&[]), "1.000001");
        assert_eq!(
            fresh_code(&[ProcedureCode::parse("1.999999").unwrap()]),
            "2.000001"
        );
    }

    #[test]
    fn the_weight_is_read_from_the_front_matter_only() {
        assert_eq!(
            front_matter_weight("---\ntitle: A\nweight: 3\n---\nweight: 9\n"),
            Some(3)
        );
        assert_eq!(front_matter_weight("---\ntitle: A\n---\n"), None);
    }

    #[test]
    fn a_title_with_a_colon_is_quoted_in_the_front_matter() {
        let text = news(
            "Tiền Giang: mùa lúa",
            NaiveDate::from_ymd_opt(2024, 3, 15).unwrap(),
        );
        assert!(
            text.contains("title: 'Tiền Giang: mùa lúa'\ndate: 2024-03-15\n"),
            "{text}"
        );
    }
}
