//! The records editors write, as typed values: `network.yaml`, `portal.yaml`, front matter,
//! documents and procedures. The field names and rules are those of `docs/content.md`.
//!
//! Deserializing is all this file does; reading files is `content`'s job.

use std::fmt;

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};
use serde::{Deserialize, Deserializer};

/// `content/network.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkSettings {
    /// The network's name.
    pub name: String,
    /// Absolute URL the site is served from, without a trailing slash once resolved.
    pub base_url: String,
    /// Slug of the portal published at `/`.
    pub main_portal: String,
    /// Must be `vi`.
    pub locale: Locale,
    /// Suffix of the province's procedure instance codes (`000.00.00.H58`).
    pub procedure_code_suffix: String,
    /// Where the online-filing button of a procedure points.
    pub public_service_url: String,
}

/// The only locale the network is written in.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
pub enum Locale {
    /// Vietnamese.
    #[serde(rename = "vi")]
    Vi,
}

/// `content/portals/<slug>/portal.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PortalInfo {
    /// Full name of the agency.
    pub name: String,
    /// Shorter name for menus and lists.
    pub short_name: Option<String>,
    /// What kind of unit keeps the portal.
    pub kind: PortalKind,
    /// One or two sentences.
    pub description: String,
    /// How citizens reach the agency.
    pub contact: Contact,
    /// Head of the agency, responsible for the portal's content.
    pub head: Person,
    /// Who may change the portal's folder.
    pub editors: Vec<Editor>,
    /// Theme folder under `themes/`; `default` when absent.
    pub theme: Option<String>,
}

impl PortalInfo {
    /// The short name, or the full name when no short one is given.
    pub fn short(&self) -> &str {
        self.short_name.as_deref().unwrap_or(&self.name)
    }
}

/// The three kinds of portal of the network.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum PortalKind {
    /// The provincial e-portal, published at `/`.
    Main,
    /// A provincial department or agency.
    Department,
    /// A district-level unit (city, town, district).
    District,
}

impl PortalKind {
    /// Heading under which portals of this kind are listed.
    pub fn label(self) -> &'static str {
        match self {
            PortalKind::Main => "Cổng thông tin điện tử tỉnh",
            PortalKind::Department => "Sở, ban, ngành tỉnh",
            PortalKind::District => "Huyện, thị xã, thành phố",
        }
    }
}

/// Contact details shown in the footer and on the contact page.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// Street address.
    pub address: String,
    /// Phone number as written.
    pub phone: String,
    /// E-mail address.
    pub email: String,
    /// Reception hours.
    pub hours: String,
}

/// A named person with a title.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// Full name.
    pub name: String,
    /// Title, e.g. `Giám đốc`.
    pub title: String,
}

/// Someone allowed to change a portal's folder.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Editor {
    /// Full name.
    pub name: String,
    /// E-mail address (also their identity in CODEOWNERS).
    pub email: String,
}

/// What `content` needs to know of any front matter.
pub trait FrontMatter: serde::de::DeserializeOwned {
    /// Marked `draft: true`.
    fn draft(&self) -> bool;
    /// The `slug:` given instead of the file name, if any.
    fn slug(&self) -> Option<&str>;
}

impl FrontMatter for ArticleMeta {
    fn draft(&self) -> bool {
        self.draft
    }
    fn slug(&self) -> Option<&str> {
        self.slug.as_deref()
    }
}

impl FrontMatter for PageMeta {
    fn draft(&self) -> bool {
        self.draft
    }
    fn slug(&self) -> Option<&str> {
        self.slug.as_deref()
    }
}

/// Front matter of a news article.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArticleMeta {
    /// Headline.
    pub title: String,
    /// Publication date.
    pub date: Date,
    /// Lead paragraph.
    pub summary: Option<String>,
    /// Tags, each with a page of its own.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Author line.
    pub author: Option<String>,
    /// A file under the portal's `assets/` or an `https://` URL.
    pub image: Option<String>,
    /// Text alternative of `image`.
    pub image_alt: Option<String>,
    /// Kept out of `cong build` unless drafts are asked for.
    #[serde(default)]
    pub draft: bool,
    /// URL segment instead of the file name.
    pub slug: Option<String>,
}

/// Front matter of a static page.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageMeta {
    /// Title.
    pub title: String,
    /// Order in menus, smallest first.
    pub weight: i32,
    /// One-line description.
    pub summary: Option<String>,
    /// URL segment instead of the file name.
    pub slug: Option<String>,
    /// Kept out of `cong build` unless drafts are asked for.
    #[serde(default)]
    pub draft: bool,
}

/// A legal or administrative document (văn bản).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentRecord {
    /// Number and symbol, e.g. `15/2022/QĐ-UBND`.
    pub number: String,
    /// Kind of document, e.g. `Quyết định`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Issuing body.
    pub issuer: String,
    /// Who signed it.
    pub signer: String,
    /// Date of issue.
    pub issued: Date,
    /// Date it takes effect.
    pub effective: Option<Date>,
    /// Trích yếu.
    pub summary: String,
    /// Attachment under `assets/` or an `https://` URL.
    pub file: Option<String>,
    /// Whether it is in force.
    pub status: DocumentStatus,
    /// Number of the replacing document, when `status` is `replaced`.
    pub replaced_by: Option<String>,
}

/// Legal status of a document.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum DocumentStatus {
    /// Còn hiệu lực.
    InForce,
    /// Hết hiệu lực.
    Expired,
    /// Đã được thay thế.
    Replaced,
}

impl DocumentStatus {
    /// How the status is shown.
    pub fn label(self) -> &'static str {
        match self {
            DocumentStatus::InForce => "Còn hiệu lực",
            DocumentStatus::Expired => "Hết hiệu lực",
            DocumentStatus::Replaced => "Đã được thay thế",
        }
    }
}

/// An administrative procedure (thủ tục hành chính), as the national database publishes it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Procedure {
    /// National code, `D.DDDDDD`.
    pub code: ProcedureCode,
    /// Name.
    pub name: String,
    /// The decision that published it.
    pub decision: String,
    /// Where it is carried out.
    pub implementing_level: ImplementingLevel,
    /// Kind of procedure.
    #[serde(rename = "type")]
    pub kind: String,
    /// Lĩnh vực.
    pub field: String,
    /// Who may apply.
    pub applicants: Vec<Applicant>,
    /// Implementing agency.
    pub agency: String,
    /// Agency with the power to decide.
    pub competent_agency: String,
    /// Where dossiers are received.
    pub receiving_address: String,
    /// What happens, in order.
    pub steps: Vec<String>,
    /// Time and fee per way of filing.
    pub channels: Vec<Channel>,
    /// Document checklist, grouped by case.
    pub documents: Vec<DocumentGroup>,
    /// What the applicant receives.
    pub result: String,
    /// Laws and decrees it rests on.
    pub legal_basis: Vec<LegalBasis>,
    /// Requirements to fulfil.
    pub conditions: Option<String>,
    /// Words citizens use for it.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Codes of related procedures.
    #[serde(default)]
    pub related: Vec<String>,
    /// Online service level.
    pub level: ServiceLevel,
    /// Class under Decree 42/2022.
    pub online_class: OnlineClass,
}

/// A national procedure code such as `1.001193`: one digit, a dot, six digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct ProcedureCode(String);

impl ProcedureCode {
    /// Parses a code, or says what a code looks like.
    pub fn parse(text: &str) -> Result<Self, String> {
        let b = text.as_bytes();
        let ok = b.len() == 8
            && b[0].is_ascii_digit()
            && b[1] == b'.'
            && b[2..].iter().all(u8::is_ascii_digit);
        if ok {
            Ok(ProcedureCode(text.to_owned()))
        } else {
            Err(format!(
                "`{text}` is not a procedure code: expected a digit, a dot and six digits, like \"1.001193\" (quote it)"
            ))
        }
    }

    /// The code as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ProcedureCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Deserializes a string through `parse`, failing *while* the scalar is visited, so that the
/// YAML parser locates the error at the value rather than at the enclosing record.
struct ParsedStr<T>(fn(&str) -> Result<T, String>, &'static str);

impl<T> serde::de::Visitor<'_> for ParsedStr<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.1)
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<T, E> {
        (self.0)(text).map_err(E::custom)
    }
}

impl<'de> Deserialize<'de> for ProcedureCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(ParsedStr(
            ProcedureCode::parse,
            "a procedure code such as \"1.001193\"",
        ))
    }
}

/// Level of government that carries a procedure out.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum ImplementingLevel {
    /// Cấp tỉnh.
    Province,
    /// Cấp huyện.
    District,
    /// Cấp xã.
    Commune,
}

impl ImplementingLevel {
    /// Every level, in display order.
    pub const ALL: [ImplementingLevel; 3] = [
        ImplementingLevel::Province,
        ImplementingLevel::District,
        ImplementingLevel::Commune,
    ];

    /// How it is shown.
    pub fn label(self) -> &'static str {
        match self {
            ImplementingLevel::Province => "Cấp tỉnh",
            ImplementingLevel::District => "Cấp huyện",
            ImplementingLevel::Commune => "Cấp xã",
        }
    }

    /// Its URL segment.
    pub fn slug(self) -> &'static str {
        match self {
            ImplementingLevel::Province => "cap-tinh",
            ImplementingLevel::District => "cap-huyen",
            ImplementingLevel::Commune => "cap-xa",
        }
    }
}

/// Who may apply.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Applicant {
    /// Công dân.
    Citizen,
    /// Doanh nghiệp.
    Business,
    /// Tổ chức.
    Organisation,
}

impl Applicant {
    /// How it is shown.
    pub fn label(self) -> &'static str {
        match self {
            Applicant::Citizen => "Công dân Việt Nam",
            Applicant::Business => "Doanh nghiệp",
            Applicant::Organisation => "Tổ chức",
        }
    }
}

/// One way of filing, with its time and fee.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Channel {
    /// The way of filing.
    pub mode: ChannelMode,
    /// Processing time.
    pub time: String,
    /// Fee.
    pub fee: String,
    /// Anything else.
    pub notes: Option<String>,
}

/// Ways of filing a dossier.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ChannelMode {
    /// Trực tiếp.
    InPerson,
    /// Trực tuyến.
    Online,
    /// Dịch vụ bưu chính.
    Post,
}

impl ChannelMode {
    /// How it is shown.
    pub fn label(self) -> &'static str {
        match self {
            ChannelMode::InPerson => "Trực tiếp",
            ChannelMode::Online => "Trực tuyến",
            ChannelMode::Post => "Dịch vụ bưu chính",
        }
    }
}

/// Documents to submit in one case.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentGroup {
    /// The case, e.g. `Trường hợp ủy quyền`; none for the general case.
    pub case: Option<String>,
    /// The documents.
    pub items: Vec<DossierItem>,
}

/// One document of a dossier.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DossierItem {
    /// What it is.
    pub name: String,
    /// Number of originals.
    pub originals: u32,
    /// Number of copies.
    pub copies: u32,
    /// Form to fill in: a file under `assets/` or an `https://` URL.
    pub form: Option<String>,
}

/// A legal text a procedure rests on.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LegalBasis {
    /// Number and symbol.
    pub number: String,
    /// What it is.
    pub summary: String,
    /// Date of issue.
    pub date: Date,
    /// Issuing body.
    pub issuer: String,
}

/// Online public-service level (mức độ dịch vụ công trực tuyến).
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(try_from = "u8")]
pub enum ServiceLevel {
    /// Information and forms online.
    Two,
    /// Dossiers filed online, results received in person.
    Three,
    /// Filed, paid and received online.
    Four,
}

impl ServiceLevel {
    /// Every level, in display order.
    pub const ALL: [ServiceLevel; 3] = [ServiceLevel::Two, ServiceLevel::Three, ServiceLevel::Four];

    /// The level's number.
    pub fn number(self) -> u8 {
        match self {
            ServiceLevel::Two => 2,
            ServiceLevel::Three => 3,
            ServiceLevel::Four => 4,
        }
    }

    /// Whether dossiers can be filed online.
    pub fn is_online(self) -> bool {
        self != ServiceLevel::Two
    }
}

impl TryFrom<u8> for ServiceLevel {
    type Error = String;
    fn try_from(n: u8) -> Result<Self, String> {
        match n {
            2 => Ok(ServiceLevel::Two),
            3 => Ok(ServiceLevel::Three),
            4 => Ok(ServiceLevel::Four),
            _ => Err(format!("service level must be 2, 3 or 4, not {n}")),
        }
    }
}

/// Class of online service under Decree 42/2022/NĐ-CP.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum OnlineClass {
    /// Toàn trình.
    Full,
    /// Một phần.
    Partial,
    /// Not online.
    None,
}

impl OnlineClass {
    /// How it is shown.
    pub fn label(self) -> &'static str {
        match self {
            OnlineClass::Full => "Dịch vụ công trực tuyến toàn trình",
            OnlineClass::Partial => "Dịch vụ công trực tuyến một phần",
            OnlineClass::None => "Cung cấp thông tin",
        }
    }
}

/// A date, optionally with a time of day and offset; a bare date means midnight in Vietnam
/// (UTC+7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub DateTime<FixedOffset>);

/// Vietnam's time zone (Asia/Ho_Chi_Minh): UTC+7 all year, no daylight saving.
pub fn vietnam() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("UTC+7 is a valid offset")
}

impl Date {
    /// Parses `YYYY-MM-DD` or an RFC 3339 date-time.
    pub fn parse(text: &str) -> Result<Self, String> {
        if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            let vietnam = vietnam();
            let midnight = day.and_hms_opt(0, 0, 0).expect("midnight exists");
            return Ok(Date(
                vietnam
                    .from_local_datetime(&midnight)
                    .single()
                    .expect("fixed offsets have no gaps"),
            ));
        }
        DateTime::parse_from_rfc3339(text).map(Date).map_err(|_| {
            format!("`{text}` is not a date: write YYYY-MM-DD (2024-03-15) or 2024-03-15T08:30:00+07:00")
        })
    }

    /// The calendar day.
    pub fn day(&self) -> NaiveDate {
        self.0.date_naive()
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(ParsedStr(Date::parse, "a date YYYY-MM-DD"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn procedure_code_is_digit_dot_six_digits() {
        assert!(ProcedureCode::parse("1.001193").is_ok());
        for bad in [
            "1001193",
            "1.00119",
            "a.001193",
            "1.0011934",
            "1.001193.000.00.00.H58",
        ] {
            assert!(ProcedureCode::parse(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn bare_date_is_midnight_in_vietnam() {
        let d = Date::parse("2024-03-15").unwrap();
        assert_eq!(d.0.to_rfc3339(), "2024-03-15T00:00:00+07:00");
    }

    #[test]
    fn impossible_date_is_refused_with_the_expected_form() {
        let err = Date::parse("2024-02-30").unwrap_err();
        assert!(err.contains("YYYY-MM-DD"), "{err}");
    }

    #[test]
    fn service_level_accepts_only_two_three_four() {
        assert_eq!(ServiceLevel::try_from(3), Ok(ServiceLevel::Three));
        assert!(ServiceLevel::try_from(1).is_err());
    }
}
