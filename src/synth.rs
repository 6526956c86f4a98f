//! Synthetic portal network, for benchmarks and tests.
//!
//! [`generate`] writes a complete content folder that follows `docs/content.md` to the letter:
//! `network.yaml`, the 34 portals of `tools/PORTALS.md` (main portal `tien-giang`), three pages
//! per portal (`gioi-thieu`, `co-cau-to-chuc`, `lien-he`), any number of news articles of about
//! 200 words of Vietnamese-looking text (diacritics, NFC) spread round-robin over the portals,
//! and any number of administrative procedures owned by the department portals. `cong synth`
//! and `bench/build.sh` use it to build networks of 1,000 to 50,000 articles; the tests use it
//! for small ones.
//!
//! What it must not do:
//! - Depend on anything but its options: no clock, no environment, no OS randomness, no
//!   network. The same [`SynthOptions`] always give the same bytes (a tiny xorshift PRNG,
//!   seeded per item, so the parallel article writer is deterministic too).
//! - Write outside `out`, or into a folder that already holds something: a non-empty `out` is
//!   refused, so it can never mix synthetic files into real content or overwrite them.
//! - Produce anything the contract rejects: every required field is filled, slugs are
//!   lowercase ASCII, procedure codes are unique `D.DDDDDD`, every link points at a page that
//!   exists (the portal's `gioi-thieu` page or a generated procedure).
//!
//! The text is gibberish built from common syllables; it is not meant to be read, only to
//! weigh like real articles (markdown with a heading, a list, a link and emphasis).

use rayon::prelude::*;
use std::borrow::Cow;
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

/// Number of procedures of the real province, the default of `procedures`.
pub const DEFAULT_PROCEDURES: usize = 2160;

/// Online service levels 2, 3 and 4 of the province's 2,160 procedures: 278 at level 2, 931
/// (43,1%) at level 3, 951 (44,03%) at level 4; other totals are scaled to the same proportions.
const LEVEL_SHARES: [(u8, &str, usize); 3] =
    [(2, "none", 278), (3, "partial", 931), (4, "full", 951)];

/// Shares of implementing levels (out of 10): most procedures are the province's own.
const IMPLEMENTING_SHARES: [(&str, usize); 3] = [("province", 7), ("district", 2), ("commune", 1)];

/// Options of [`generate`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SynthOptions {
    /// News articles, spread round-robin over the 34 portals.
    pub articles: usize,
    /// Procedures, spread round-robin over the department portals.
    pub procedures: usize,
    /// Seed of the PRNG: the same seed gives the same files.
    pub seed: u64,
    /// Give articles tags. Without, the articles are the same but for `tags: []`: the
    /// benchmark's build without tag pages.
    pub tags: bool,
}

impl Default for SynthOptions {
    fn default() -> Self {
        SynthOptions {
            articles: 1000,
            procedures: DEFAULT_PROCEDURES,
            seed: 1,
            tags: true,
        }
    }
}

/// What [`generate`] wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SynthSummary {
    /// Portals (always 34).
    pub portals: usize,
    /// Static pages (three per portal).
    pub pages: usize,
    /// News articles.
    pub articles: usize,
    /// Procedures, over all the `procedures/synth.yaml` lists.
    pub procedures: usize,
    /// Every file written, `network.yaml` included.
    pub files: usize,
}

impl std::fmt::Display for SynthSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} portals, {} pages, {} articles, {} procedures ({} files)",
            self.portals, self.pages, self.articles, self.procedures, self.files
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Main,
    District,
    Department,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Main => "main",
            Kind::District => "district",
            Kind::Department => "department",
        }
    }
}

struct Portal {
    slug: &'static str,
    name: &'static str,
    short_name: &'static str,
    kind: Kind,
    /// Title of the head of agency.
    head: &'static str,
}

const fn p(
    slug: &'static str,
    name: &'static str,
    short_name: &'static str,
    kind: Kind,
    head: &'static str,
) -> Portal {
    Portal {
        slug,
        name,
        short_name,
        kind,
        head,
    }
}

const CT_UBND: &str = "Chủ tịch Ủy ban nhân dân";
const GD: &str = "Giám đốc";

/// The portals of `tools/PORTALS.md`, in its order.
const PORTALS: [Portal; 34] = [
    p(
        "tien-giang",
        "Cổng thông tin điện tử tỉnh Tiền Giang (Ủy ban nhân dân tỉnh Tiền Giang)",
        "Tỉnh Tiền Giang",
        Kind::Main,
        "Chủ tịch Ủy ban nhân dân tỉnh",
    ),
    p(
        "thanh-pho-my-tho",
        "Ủy ban nhân dân Thành phố Mỹ Tho",
        "Thành phố Mỹ Tho",
        Kind::District,
        CT_UBND,
    ),
    p(
        "thi-xa-go-cong",
        "Ủy ban nhân dân Thị xã Gò Công",
        "Thị xã Gò Công",
        Kind::District,
        CT_UBND,
    ),
    p(
        "thi-xa-cai-lay",
        "Ủy ban nhân dân Thị xã Cai Lậy",
        "Thị xã Cai Lậy",
        Kind::District,
        CT_UBND,
    ),
    p(
        "huyen-tan-phuoc",
        "Ủy ban nhân dân huyện Tân Phước",
        "Huyện Tân Phước",
        Kind::District,
        CT_UBND,
    ),
    p(
        "huyen-cai-be",
        "Ủy ban nhân dân huyện Cái Bè",
        "Huyện Cái Bè",
        Kind::District,
        CT_UBND,
    ),
    p(
        "huyen-cai-lay",
        "Ủy ban nhân dân huyện Cai Lậy",
        "Huyện Cai Lậy",
        Kind::District,
        CT_UBND,
    ),
    p(
        "huyen-chau-thanh",
        "Ủy ban nhân dân huyện Châu Thành",
        "Huyện Châu Thành",
        Kind::District,
        CT_UBND,
    ),
    p(
        "huyen-cho-gao",
        "Ủy ban nhân dân huyện Chợ Gạo",
        "Huyện Chợ Gạo",
        Kind::District,
        CT_UBND,
    ),
    p(
        "huyen-go-cong-tay",
        "Ủy ban nhân dân huyện Gò Công Tây",
        "Huyện Gò Công Tây",
        Kind::District,
        CT_UBND,
    ),
    p(
        "huyen-go-cong-dong",
        "Ủy ban nhân dân huyện Gò Công Đông",
        "Huyện Gò Công Đông",
        Kind::District,
        CT_UBND,
    ),
    p(
        "huyen-tan-phu-dong",
        "Ủy ban nhân dân huyện Tân Phú Đông",
        "Huyện Tân Phú Đông",
        Kind::District,
        CT_UBND,
    ),
    p(
        "van-phong-ubnd-tinh",
        "Văn phòng Ủy ban nhân dân tỉnh Tiền Giang",
        "Văn phòng UBND tỉnh",
        Kind::Department,
        "Chánh Văn phòng",
    ),
    p(
        "so-noi-vu",
        "Sở Nội vụ tỉnh Tiền Giang",
        "Sở Nội vụ",
        Kind::Department,
        GD,
    ),
    p(
        "so-tu-phap",
        "Sở Tư pháp tỉnh Tiền Giang",
        "Sở Tư pháp",
        Kind::Department,
        GD,
    ),
    p(
        "so-ke-hoach-va-dau-tu",
        "Sở Kế hoạch và Đầu tư tỉnh Tiền Giang",
        "Sở Kế hoạch và Đầu tư",
        Kind::Department,
        GD,
    ),
    p(
        "so-tai-chinh",
        "Sở Tài chính tỉnh Tiền Giang",
        "Sở Tài chính",
        Kind::Department,
        GD,
    ),
    p(
        "so-cong-thuong",
        "Sở Công Thương tỉnh Tiền Giang",
        "Sở Công Thương",
        Kind::Department,
        GD,
    ),
    p(
        "so-nong-nghiep-va-phat-trien-nong-thon",
        "Sở Nông nghiệp và Phát triển nông thôn tỉnh Tiền Giang",
        "Sở Nông nghiệp và Phát triển nông thôn",
        Kind::Department,
        GD,
    ),
    p(
        "so-giao-thong-van-tai",
        "Sở Giao thông vận tải tỉnh Tiền Giang",
        "Sở Giao thông vận tải",
        Kind::Department,
        GD,
    ),
    p(
        "so-xay-dung",
        "Sở Xây dựng tỉnh Tiền Giang",
        "Sở Xây dựng",
        Kind::Department,
        GD,
    ),
    p(
        "so-tai-nguyen-va-moi-truong",
        "Sở Tài nguyên và Môi trường tỉnh Tiền Giang",
        "Sở Tài nguyên và Môi trường",
        Kind::Department,
        GD,
    ),
    p(
        "so-thong-tin-va-truyen-thong",
        "Sở Thông tin và Truyền thông tỉnh Tiền Giang",
        "Sở Thông tin và Truyền thông",
        Kind::Department,
        GD,
    ),
    p(
        "so-lao-dong-thuong-binh-va-xa-hoi",
        "Sở Lao động - Thương binh và Xã hội tỉnh Tiền Giang",
        "Sở Lao động - Thương binh và Xã hội",
        Kind::Department,
        GD,
    ),
    p(
        "so-van-hoa-the-thao-va-du-lich",
        "Sở Văn hóa, Thể thao và Du lịch tỉnh Tiền Giang",
        "Sở Văn hóa, Thể thao và Du lịch",
        Kind::Department,
        GD,
    ),
    p(
        "so-khoa-hoc-va-cong-nghe",
        "Sở Khoa học và Công nghệ tỉnh Tiền Giang",
        "Sở Khoa học và Công nghệ",
        Kind::Department,
        GD,
    ),
    p(
        "so-giao-duc-va-dao-tao",
        "Sở Giáo dục và Đào tạo tỉnh Tiền Giang",
        "Sở Giáo dục và Đào tạo",
        Kind::Department,
        GD,
    ),
    p(
        "so-y-te",
        "Sở Y tế tỉnh Tiền Giang",
        "Sở Y tế",
        Kind::Department,
        GD,
    ),
    p(
        "so-ngoai-vu",
        "Sở Ngoại vụ tỉnh Tiền Giang",
        "Sở Ngoại vụ",
        Kind::Department,
        GD,
    ),
    p(
        "thanh-tra-tinh",
        "Thanh tra tỉnh Tiền Giang",
        "Thanh tra tỉnh",
        Kind::Department,
        "Chánh Thanh tra",
    ),
    p(
        "ban-quan-ly-cac-khu-cong-nghiep",
        "Ban Quản lý các Khu công nghiệp tỉnh Tiền Giang",
        "Ban Quản lý các Khu công nghiệp",
        Kind::Department,
        "Trưởng ban",
    ),
    p(
        "dai-phat-thanh-va-truyen-hinh",
        "Đài Phát thanh và Truyền hình Tiền Giang",
        "Đài Phát thanh và Truyền hình",
        Kind::Department,
        GD,
    ),
    p(
        "trung-tam-phuc-vu-hanh-chinh-cong",
        "Trung tâm Phục vụ hành chính công tỉnh Tiền Giang",
        "Trung tâm Phục vụ hành chính công",
        Kind::Department,
        GD,
    ),
    p(
        "cong-an-tinh",
        "Công an tỉnh Tiền Giang",
        "Công an tỉnh",
        Kind::Department,
        GD,
    ),
];

/// Syllables the text is made of (NFC, lowercase).
const SYLLABLES: &[&str] = &[
    "anh",
    "ban",
    "bảo",
    "biên",
    "bình",
    "bộ",
    "cán",
    "cao",
    "cấp",
    "chính",
    "chỉ",
    "chương",
    "có",
    "công",
    "cơ",
    "cuộc",
    "của",
    "cường",
    "dân",
    "dịch",
    "dự",
    "đạo",
    "đất",
    "đầu",
    "để",
    "điểm",
    "điện",
    "định",
    "đồng",
    "đơn",
    "được",
    "đường",
    "gia",
    "giải",
    "giao",
    "giang",
    "giáo",
    "hành",
    "hạ",
    "hiện",
    "hoạch",
    "hoạt",
    "hóa",
    "học",
    "hội",
    "hợp",
    "huyện",
    "hướng",
    "kế",
    "kết",
    "khai",
    "khoa",
    "không",
    "kinh",
    "lao",
    "lãnh",
    "lực",
    "lý",
    "mạnh",
    "mới",
    "môi",
    "mục",
    "năm",
    "năng",
    "ngành",
    "nghiệp",
    "người",
    "nhà",
    "nhân",
    "nhiều",
    "nông",
    "nước",
    "phát",
    "phong",
    "phòng",
    "phố",
    "phục",
    "phương",
    "quản",
    "quan",
    "quốc",
    "quyết",
    "sản",
    "sách",
    "sinh",
    "sở",
    "sự",
    "tài",
    "tác",
    "tạo",
    "tăng",
    "tế",
    "thành",
    "thôn",
    "thông",
    "thủ",
    "thực",
    "tiền",
    "tiêu",
    "tin",
    "tỉnh",
    "tổ",
    "tổng",
    "trình",
    "triển",
    "trung",
    "trường",
    "tục",
    "tư",
    "tuyên",
    "vận",
    "văn",
    "vệ",
    "việc",
    "viên",
    "vụ",
    "xã",
    "xây",
    "xuất",
    "ý",
    "yêu",
    "ấp",
    "ổn",
    "ưu",
    "vườn",
    "lúa",
    "gạo",
    "sông",
    "cửa",
    "biển",
    "trái",
    "cây",
    "sầu",
    "riêng",
    "thanh",
    "long",
    "xoài",
    "khóm",
    "mỹ",
    "tho",
    "cái",
    "bè",
    "lậy",
    "gò",
    "chợ",
    "tân",
    "phước",
    "châu",
    "đông",
    "tây",
    "rạch",
    "kênh",
    "đê",
    "mặn",
    "ngọt",
    "mùa",
    "khô",
    "hạn",
    "nguồn",
    "lợi",
    "thủy",
    "vốn",
    "doanh",
    "hộ",
    "thu",
    "nhập",
    "an",
    "toàn",
    "cầu",
    "bến",
    "phà",
    "điều",
    "chỉnh",
    "rà",
    "soát",
    "kiểm",
    "tra",
    "giám",
    "sát",
    "thường",
    "xuyên",
    "tích",
    "cực",
    "hiệu",
    "quả",
    "chất",
    "lượng",
    "bệnh",
    "khám",
    "chữa",
    "trẻ",
    "em",
    "cộng",
    "minh",
    "đô",
    "thị",
    "ngày",
    "tháng",
    "đợt",
    "triệu",
    "đồng",
    "hộ",
    "dân",
    "trên",
    "địa",
    "bàn",
    "với",
    "và",
    "các",
    "những",
    "trong",
    "đã",
    "sẽ",
    "đang",
    "tiếp",
    "tục",
    "nhằm",
];

/// Tags: each portal draws from a window of [`TAGS_PER_PORTAL`] of them.
const TAGS: [&str; 60] = [
    "nông nghiệp",
    "y tế",
    "giáo dục",
    "giao thông",
    "đầu tư",
    "du lịch",
    "văn hóa",
    "thể thao",
    "môi trường",
    "xây dựng",
    "cải cách hành chính",
    "chuyển đổi số",
    "nông thôn mới",
    "an sinh xã hội",
    "việc làm",
    "thủy sản",
    "trái cây",
    "sầu riêng",
    "thanh long",
    "lúa gạo",
    "hạn mặn",
    "phòng chống thiên tai",
    "an toàn giao thông",
    "quốc phòng",
    "an ninh",
    "khoa học công nghệ",
    "tài chính",
    "ngân sách",
    "thuế",
    "doanh nghiệp",
    "khởi nghiệp",
    "xuất khẩu",
    "công nghiệp",
    "khu công nghiệp",
    "đô thị",
    "quy hoạch",
    "đất đai",
    "tài nguyên nước",
    "biển đảo",
    "thanh niên",
    "phụ nữ",
    "trẻ em",
    "người cao tuổi",
    "người có công",
    "bảo hiểm xã hội",
    "dịch vụ công",
    "tiêm chủng",
    "phòng chống dịch",
    "an toàn thực phẩm",
    "lễ hội",
    "di tích",
    "thư viện",
    "báo chí",
    "tuyên truyền",
    "pháp luật",
    "thanh tra",
    "tiếp công dân",
    "bầu cử",
    "hội nghị",
    "thi đua khen thưởng",
];

const TAGS_PER_PORTAL: usize = 40;

const AUTHORS: &[&str] = &[
    "Ban Biên tập",
    "Phòng Văn hóa và Thông tin",
    "Văn phòng",
    "Trung tâm Văn hóa, Thể thao và Truyền thanh",
    "Phòng Tổng hợp",
];

const FAMILY: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Trương", "Bùi", "Đặng", "Đỗ", "Ngô",
    "Hồ", "Dương",
];
const MIDDLE: &[&str] = &[
    "Văn", "Thị", "Minh", "Thanh", "Hoàng", "Ngọc", "Quốc", "Hữu",
];
const GIVEN: &[&str] = &[
    "An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hạnh", "Hùng", "Hương", "Khoa", "Lan", "Long",
    "Mai", "Nam", "Phúc", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Trung", "Tuấn", "Vinh", "Yến",
];

const FIELDS: &[&str] = &[
    "Hộ tịch",
    "Đất đai",
    "Xây dựng",
    "Giao thông đường bộ",
    "Y tế dự phòng",
    "Giáo dục và đào tạo",
    "Lao động",
    "Người có công",
    "Văn hóa",
    "Du lịch",
    "Thể thao",
    "Thương mại",
    "Công nghiệp",
    "Đầu tư",
    "Tài chính",
    "Thủy sản",
    "Trồng trọt",
    "Môi trường",
    "Tài nguyên nước",
    "Chứng thực",
    "Nuôi con nuôi",
    "Thi đua khen thưởng",
    "Báo chí",
    "Khoa học công nghệ",
];

const RECEIVING_ADDRESS: &str =
    "Trung tâm Phục vụ hành chính công tỉnh Tiền Giang, số 23 đường 30/4, Phường 1, Thành phố Mỹ Tho";

/// Days from 1970-01-01 to 2015-01-01, and the number of days of 2015–2024.
const FIRST_DAY: u64 = 16_436;
const DAYS: u64 = 3_653;

// PRNG streams, so that each item has its own sequence whatever order items are made in.
const STREAM_PORTAL: u64 = 1;
const STREAM_ARTICLE: u64 = 2;
const STREAM_PROCEDURE: u64 = 3;
const STREAM_SHUFFLE: u64 = 4;

/// xorshift64*, seeded through splitmix64 from (seed, stream, index).
struct Rng(u64);

impl Rng {
    fn new(seed: u64, stream: u64, index: u64) -> Rng {
        let mut z = seed ^ stream.rotate_left(56) ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        Rng(if z == 0 { 0x2545_F491_4F6C_DD1D } else { z })
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (n > 0; the modulo bias is irrelevant here).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// A number in `lo..=hi`.
    fn between(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }
}

/// Writes a synthetic network into `out`, which must not exist or be empty.
pub fn generate(out: &Path, options: &SynthOptions) -> io::Result<SynthSummary> {
    prepare_out(out)?;
    let seed = options.seed;
    let mut summary = SynthSummary::default();

    fs::write(out.join("network.yaml"), network_yaml())?;
    summary.files += 1;

    let portals = out.join("portals");
    for (index, portal) in PORTALS.iter().enumerate() {
        let dir = portals.join(portal.slug);
        fs::create_dir_all(dir.join("pages"))?;
        let mut rng = Rng::new(seed, STREAM_PORTAL, index as u64);
        fs::write(dir.join("portal.yaml"), portal_yaml(portal, &mut rng))?;
        for (slug, text) in pages(index, &mut rng) {
            fs::write(dir.join("pages").join(format!("{slug}.md")), text)?;
            summary.pages += 1;
        }
        summary.portals += 1;
        summary.files += 4;
    }

    (0..options.articles).into_par_iter().try_for_each(|i| {
        let article = article(i, options);
        let dir = portals
            .join(PORTALS[article.portal].slug)
            .join("news")
            .join(article.year.to_string());
        fs::create_dir_all(&dir)?;
        fs::write(dir.join(format!("{}.md", article.slug)), article.text)
    })?;
    summary.articles = options.articles;
    summary.files += options.articles;

    for (portal, text, count) in procedure_files(options)? {
        let dir = portals.join(PORTALS[portal].slug).join("procedures");
        fs::create_dir_all(&dir)?;
        fs::write(dir.join("synth.yaml"), text)?;
        summary.procedures += count;
        summary.files += 1;
    }
    Ok(summary)
}

/// Creates `out`, refusing one that already holds anything.
fn prepare_out(out: &Path) -> io::Result<()> {
    if out.exists() {
        if fs::read_dir(out)?.next().is_some() {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!(
                    "{} is not empty; synthetic networks are only written into a new folder",
                    out.display()
                ),
            ));
        }
    } else {
        fs::create_dir_all(out)?;
    }
    Ok(())
}

fn network_yaml() -> String {
    format!(
        "name: Cổng thông tin điện tử tỉnh Tiền Giang (mạng tổng hợp để thử nghiệm)\n\
         base_url: https://tiengiang.gov.vn\n\
         main_portal: {}\n\
         locale: vi\n\
         procedure_code_suffix: 000.00.00.H58\n\
         public_service_url: https://dichvucong.tiengiang.gov.vn/nop-ho-so\n",
        PORTALS[0].slug
    )
}

fn person(rng: &mut Rng) -> String {
    format!(
        "{} {} {}",
        rng.pick(FAMILY),
        rng.pick(MIDDLE),
        rng.pick(GIVEN)
    )
}

fn portal_yaml(portal: &Portal, rng: &mut Rng) -> String {
    let head = person(rng);
    let editor = person(rng);
    let editor_email = format!(
        "{}@tiengiang.gov.vn",
        ascii_fold(&editor).replace(' ', "").to_ascii_lowercase()
    );
    let description = format!(
        "{} là cơ quan {} trên địa bàn tỉnh Tiền Giang.",
        portal.name,
        match portal.kind {
            Kind::Main => "hành chính nhà nước cao nhất",
            Kind::District => "hành chính nhà nước cấp huyện",
            Kind::Department => "chuyên môn tham mưu cho Ủy ban nhân dân tỉnh",
        }
    );
    let mut s = String::with_capacity(1024);
    let _ = writeln!(s, "name: {}", scalar(portal.name));
    let _ = writeln!(s, "short_name: {}", scalar(portal.short_name));
    let _ = writeln!(s, "kind: {}", portal.kind.as_str());
    let _ = writeln!(s, "description: {}", scalar(&description));
    s.push_str("contact:\n");
    let _ = writeln!(
        s,
        "  address: {}",
        scalar(&format!(
            "Số {}, đường Hùng Vương, Phường 1, Thành phố Mỹ Tho, tỉnh Tiền Giang",
            rng.between(1, 250)
        ))
    );
    let _ = writeln!(
        s,
        "  phone: 0273 {} {:03}",
        rng.between(3_800_000, 3_899_999) / 1000,
        rng.below(1000)
    );
    let _ = writeln!(s, "  email: {}@tiengiang.gov.vn", portal.slug);
    s.push_str("  hours: Thứ Hai đến Thứ Sáu, sáng 7 giờ - 11 giờ 30, chiều 13 giờ 30 - 17 giờ\n");
    s.push_str("head:\n");
    let _ = writeln!(s, "  name: {head}");
    let _ = writeln!(s, "  title: {}", scalar(portal.head));
    s.push_str("editors:\n");
    let _ = writeln!(s, "  - name: {editor}");
    let _ = writeln!(s, "    email: {editor_email}");
    s
}

/// URL path of a portal's page, as a site-absolute link (the main portal is at `/`).
fn page_link(portal: usize, page: &str) -> String {
    if PORTALS[portal].kind == Kind::Main {
        format!("/{page}/")
    } else {
        format!("/{}/{page}/", PORTALS[portal].slug)
    }
}

fn pages(index: usize, rng: &mut Rng) -> [(&'static str, String); 3] {
    let portal = &PORTALS[index];
    let mut intro = front_matter(&[
        ("title", "Giới thiệu".into()),
        ("weight", "1".into()),
        (
            "summary",
            scalar(&format!("Chức năng, nhiệm vụ của {}.", portal.short_name)).into_owned(),
        ),
    ]);
    let _ = writeln!(intro, "{} {}\n", portal.name, paragraph(rng, 3));
    intro.push_str("## Chức năng\n\n");
    let _ = writeln!(intro, "{}\n", paragraph(rng, 3));
    intro.push_str("## Nhiệm vụ\n\n");
    list(&mut intro, rng, 4);

    let mut organisation =
        front_matter(&[("title", "Cơ cấu tổ chức".into()), ("weight", "2".into())]);
    organisation.push_str("## Lãnh đạo\n\n");
    let _ = writeln!(organisation, "- {}: {}", portal.head, person(rng));
    let _ = writeln!(
        organisation,
        "- Phó {}: {}",
        lower_first(portal.head),
        person(rng)
    );
    let _ = writeln!(
        organisation,
        "- Phó {}: {}\n",
        lower_first(portal.head),
        person(rng)
    );
    organisation.push_str("## Các phòng chuyên môn\n\n");
    for _ in 0..5 {
        let _ = writeln!(organisation, "- Phòng {}", capitalise(&words(rng, 2, 3)));
    }

    let mut contact = front_matter(&[
        ("title", "Liên hệ".into()),
        ("weight", "3".into()),
        (
            "summary",
            scalar(&format!("Thông tin liên hệ của {}.", portal.short_name)).into_owned(),
        ),
    ]);
    let _ = writeln!(
        contact,
        "Mọi ý kiến, kiến nghị xin gửi về {} theo địa chỉ, điện thoại và thư điện tử bên cạnh. \
         Xem thêm [giới thiệu]({}).",
        portal.name,
        page_link(index, "gioi-thieu")
    );

    [
        ("gioi-thieu", intro),
        ("co-cau-to-chuc", organisation),
        ("lien-he", contact),
    ]
}

struct Article {
    portal: usize,
    year: i64,
    slug: String,
    text: String,
}

/// Article `i` (0-based): it depends only on `i` and the options.
fn article(i: usize, options: &SynthOptions) -> Article {
    let portal = i % PORTALS.len();
    let mut rng = Rng::new(options.seed, STREAM_ARTICLE, i as u64);

    let title = capitalise(&words(&mut rng, 8, 14));
    let slug_words: Vec<&str> = title.split(' ').take(6).collect();
    let slug = format!("{}-{}", ascii_slug(&slug_words.join(" ")), i + 1);

    let (year, month, day) = civil_from_days(FIRST_DAY + rng.below(DAYS as usize) as u64);
    let date = if rng.one_in(4) {
        format!("{year:04}-{month:02}-{day:02}")
    } else {
        format!(
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:00+07:00",
            rng.between(7, 17),
            rng.below(60)
        )
    };

    let window = (portal * 7) % TAGS.len();
    let count = rng.between(2, 3);
    let mut tags: Vec<&str> = Vec::with_capacity(count);
    while tags.len() < count {
        let tag = TAGS[(window + rng.below(TAGS_PER_PORTAL)) % TAGS.len()];
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    if !options.tags {
        tags.clear();
    }
    let tags = format!(
        "[{}]",
        tags.iter()
            .map(|t| flow_scalar(t))
            .collect::<Vec<_>>()
            .join(", ")
    );

    let author = if rng.one_in(3) {
        person(&mut rng)
    } else {
        rng.pick(AUTHORS).to_string()
    };

    let mut text = front_matter(&[
        ("title", scalar(&title).into_owned()),
        ("date", date),
        ("summary", scalar(&sentence(&mut rng, 18, 26)).into_owned()),
        ("tags", tags),
        ("author", scalar(&author).into_owned()),
    ]);
    text.reserve(2048);
    let _ = writeln!(text, "{}\n", paragraph(&mut rng, 3));
    let _ = writeln!(text, "## {}\n", capitalise(&words(&mut rng, 4, 8)));
    let _ = writeln!(
        text,
        "**{}** {}. {}\n",
        capitalise(&words(&mut rng, 2, 4)),
        words(&mut rng, 8, 14),
        paragraph(&mut rng, 2)
    );
    let items = rng.between(3, 5);
    list(&mut text, &mut rng, items);
    let link = if options.procedures > 0 && rng.one_in(3) {
        let code = procedure_code(rng.below(options.procedures));
        format!("[thủ tục {code}](/thu-tuc/{code}/)")
    } else {
        format!(
            "[{}]({})",
            words(&mut rng, 2, 3),
            page_link(portal, "gioi-thieu")
        )
    };
    let _ = writeln!(text, "\n{} Xem thêm {link}.", paragraph(&mut rng, 3));
    Article {
        portal,
        year,
        slug,
        text,
    }
}

fn front_matter(fields: &[(&str, String)]) -> String {
    let mut s = String::from("---\n");
    for (key, value) in fields {
        let _ = writeln!(s, "{key}: {value}");
    }
    s.push_str("---\n\n");
    s
}

/// `lo..=hi` syllables separated by spaces.
fn words(rng: &mut Rng, lo: usize, hi: usize) -> String {
    let n = rng.between(lo, hi);
    let mut s = String::with_capacity(n * 6);
    for k in 0..n {
        if k > 0 {
            s.push(' ');
        }
        s.push_str(rng.pick(SYLLABLES));
    }
    s
}

/// A capitalised sentence of `lo..=hi` syllables, perhaps with a comma, ending with a period.
fn sentence(rng: &mut Rng, lo: usize, hi: usize) -> String {
    let n = rng.between(lo, hi);
    let comma = if n > 8 && rng.one_in(2) {
        rng.between(3, n - 3)
    } else {
        0
    };
    let mut s = String::with_capacity(n * 6 + 2);
    for k in 0..n {
        if k > 0 {
            s.push_str(if k == comma { ", " } else { " " });
        }
        s.push_str(rng.pick(SYLLABLES));
    }
    s.push('.');
    capitalise(&s)
}

fn paragraph(rng: &mut Rng, sentences: usize) -> String {
    (0..sentences)
        .map(|_| sentence(rng, 12, 20))
        .collect::<Vec<_>>()
        .join(" ")
}

fn list(s: &mut String, rng: &mut Rng, items: usize) {
    for _ in 0..items {
        let _ = writeln!(s, "- {}", capitalise(&words(rng, 6, 10)));
    }
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Vietnamese letters without their marks (`Đường` → `Duong`); other characters unchanged.
fn ascii_fold(s: &str) -> String {
    const GROUPS: [(char, &str); 7] = [
        ('a', "àáảãạăằắẳẵặâầấẩẫậ"),
        ('e', "èéẻẽẹêềếểễệ"),
        ('i', "ìíỉĩị"),
        ('o', "òóỏõọôồốổỗộơờớởỡợ"),
        ('u', "ùúủũụưừứửữự"),
        ('y', "ỳýỷỹỵ"),
        ('d', "đ"),
    ];
    s.chars()
        .map(|c| {
            if c.is_ascii() {
                return c;
            }
            let lower = c.to_lowercase().next().unwrap_or(c);
            let upper = lower != c;
            match GROUPS.iter().find(|(_, marked)| marked.contains(lower)) {
                Some(&(base, _)) if upper => base.to_ascii_uppercase(),
                Some(&(base, _)) => base,
                None => c,
            }
        })
        .collect()
}

/// A slug: lowercase ASCII letters and digits, words joined by `-`.
fn ascii_slug(s: &str) -> String {
    let folded = ascii_fold(s).to_ascii_lowercase();
    let mut slug = String::with_capacity(folded.len());
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

/// A YAML scalar in block context: plain when that reads back as the same string, else quoted.
fn scalar(s: &str) -> Cow<'_, str> {
    let risky_start =
        s.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`".contains(c) || c.is_whitespace());
    let ambiguous = s.is_empty()
        || s.starts_with(|c: char| c.is_ascii_digit() || c == '.' || c == '+')
        || matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "~" | "yes" | "no" | "on" | "off"
        );
    if risky_start
        || ambiguous
        || s.ends_with(char::is_whitespace)
        || s.contains(": ")
        || s.contains(" #")
        || s.ends_with(':')
    {
        Cow::Owned(quoted(s))
    } else {
        Cow::Borrowed(s)
    }
}

/// A YAML scalar inside a flow sequence (`[a, b]`): also quoted when it holds flow indicators.
fn flow_scalar(s: &str) -> Cow<'_, str> {
    if s.contains(|c: char| ",[]{}".contains(c)) {
        Cow::Owned(quoted(s))
    } else {
        scalar(s)
    }
}

fn quoted(s: &str) -> String {
    let mut q = String::with_capacity(s.len() + 2);
    q.push('"');
    for c in s.chars() {
        match c {
            '"' => q.push_str("\\\""),
            '\\' => q.push_str("\\\\"),
            '\n' => q.push_str("\\n"),
            _ => q.push(c),
        }
    }
    q.push('"');
    q
}

/// (year, month, day) of a count of days since 1970-01-01 (H. Hinnant's algorithm).
fn civil_from_days(days: u64) -> (i64, u32, u32) {
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Most procedures [`procedure_code`] can number.
const MAX_PROCEDURES: usize = 2_500_000;

/// Code of procedure `j`: `D.DDDDDD`, unique for `j < MAX_PROCEDURES`.
fn procedure_code(j: usize) -> String {
    let n = 1000 + 3 * j;
    format!("{}.{:06}", 1 + n / 1_000_000, n % 1_000_000)
}

/// How many procedures get each online level (2, 3, 4) out of `total`.
fn level_counts(total: usize) -> [usize; 3] {
    let whole: usize = LEVEL_SHARES.iter().map(|l| l.2).sum();
    let two = total * LEVEL_SHARES[0].2 / whole;
    let three = total * LEVEL_SHARES[1].2 / whole;
    [two, three, total - two - three]
}

/// `counts[k]` copies of `k`, shuffled (Fisher–Yates) with the given stream.
fn shuffled(counts: &[usize], seed: u64, index: u64) -> Vec<usize> {
    let mut v: Vec<usize> = counts
        .iter()
        .enumerate()
        .flat_map(|(k, &n)| std::iter::repeat_n(k, n))
        .collect();
    let mut rng = Rng::new(seed, STREAM_SHUFFLE, index);
    for i in (1..v.len()).rev() {
        let j = rng.below(i + 1);
        v.swap(i, j);
    }
    v
}

/// The procedure list files: (portal index, YAML text, number of procedures in it).
fn procedure_files(options: &SynthOptions) -> io::Result<Vec<(usize, String, usize)>> {
    let total = options.procedures;
    if total > MAX_PROCEDURES {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("at most {MAX_PROCEDURES} synthetic procedures can be numbered"),
        ));
    }
    let owners: Vec<usize> = PORTALS
        .iter()
        .enumerate()
        .filter(|(_, p)| p.kind == Kind::Department)
        .map(|(i, _)| i)
        .collect();
    let levels = shuffled(&level_counts(total), options.seed, 0);
    let implementing_whole: usize = IMPLEMENTING_SHARES.iter().map(|s| s.1).sum();
    let province = total * IMPLEMENTING_SHARES[0].1 / implementing_whole;
    let district = total * IMPLEMENTING_SHARES[1].1 / implementing_whole;
    let implementing = shuffled(
        &[province, district, total - province - district],
        options.seed,
        1,
    );

    let mut files: Vec<(usize, String, usize)> =
        owners.iter().map(|&o| (o, String::new(), 0)).collect();
    for j in 0..total {
        let file = &mut files[j % owners.len()];
        let related = (j >= owners.len()).then(|| procedure_code(j - owners.len()));
        procedure(
            &mut file.1,
            j,
            owners[j % owners.len()],
            levels[j],
            implementing[j],
            related,
            options.seed,
        );
        file.2 += 1;
    }
    files.retain(|f| f.2 > 0);
    Ok(files)
}

/// Appends procedure `j` as an item of a YAML list.
fn procedure(
    s: &mut String,
    j: usize,
    owner: usize,
    level: usize,
    implementing: usize,
    related: Option<String>,
    seed: u64,
) {
    let mut rng = Rng::new(seed, STREAM_PROCEDURE, j as u64);
    let (online_level, online_class, _) = LEVEL_SHARES[level];
    let implementing_level = IMPLEMENTING_SHARES[implementing].0;
    let agency = match implementing_level {
        "province" => PORTALS[owner].name,
        "district" => "Ủy ban nhân dân cấp huyện",
        _ => "Ủy ban nhân dân cấp xã",
    };
    let (year, month, day) = civil_from_days(FIRST_DAY + rng.below(DAYS as usize) as u64);
    let field = rng.pick(FIELDS);
    let name = format!("Thủ tục {}", words(&mut rng, 4, 9));

    let _ = writeln!(s, "- code: \"{}\"", procedure_code(j));
    let _ = writeln!(s, "  name: {}", scalar(&name));
    let _ = writeln!(
        s,
        "  decision: Quyết định số {}/QĐ-UBND ngày {day}/{month}/{year} của Chủ tịch UBND tỉnh Tiền Giang",
        rng.between(100, 3999)
    );
    let _ = writeln!(s, "  implementing_level: {implementing_level}");
    let _ = writeln!(
        s,
        "  type: {}",
        if rng.one_in(5) {
            "TTHC được luân chuyển"
        } else {
            "Thủ tục hành chính"
        }
    );
    let _ = writeln!(s, "  field: {}", scalar(field));
    let applicants = match rng.below(4) {
        0 => "[citizen]",
        1 => "[business]",
        2 => "[citizen, business]",
        _ => "[citizen, business, organisation]",
    };
    let _ = writeln!(s, "  applicants: {applicants}");
    let _ = writeln!(s, "  agency: {}", scalar(agency));
    let _ = writeln!(s, "  competent_agency: {}", scalar(agency));
    let _ = writeln!(s, "  receiving_address: {}", scalar(RECEIVING_ADDRESS));
    s.push_str("  steps:\n");
    for _ in 0..3 {
        let _ = writeln!(s, "    - {}", scalar(&sentence(&mut rng, 8, 14)));
    }
    let days = rng.between(1, 30);
    let fee = if rng.one_in(2) {
        "Không".to_string()
    } else {
        format!("{}.000 đồng", rng.between(10, 500))
    };
    s.push_str("  channels:\n");
    let _ = writeln!(
        s,
        "    - mode: in_person\n      time: {days} ngày làm việc\n      fee: {}",
        scalar(&fee)
    );
    if online_level >= 3 {
        let _ = writeln!(
            s,
            "    - mode: online\n      time: {days} ngày làm việc\n      fee: {}\n      notes: Nộp qua Cổng Dịch vụ công của tỉnh",
            scalar(&fee)
        );
    }
    if rng.one_in(3) {
        let _ = writeln!(
            s,
            "    - mode: post\n      time: {} ngày làm việc\n      fee: {}",
            days + 2,
            scalar(&fee)
        );
    }
    s.push_str("  documents:\n    - items:\n");
    for _ in 0..rng.between(1, 3) {
        let _ = writeln!(
            s,
            "        - name: {}\n          originals: 1\n          copies: {}",
            scalar(&capitalise(&words(&mut rng, 3, 7))),
            rng.below(2)
        );
    }
    if rng.one_in(3) {
        s.push_str("    - case: Trường hợp ủy quyền\n      items:\n");
        s.push_str("        - name: Văn bản ủy quyền được chứng thực\n          originals: 1\n          copies: 0\n");
    }
    let _ = writeln!(
        s,
        "  result: {}",
        scalar(&capitalise(&words(&mut rng, 2, 5)))
    );
    s.push_str("  legal_basis:\n");
    let (year, month, day) = civil_from_days(FIRST_DAY - rng.below(1500) as u64);
    let _ = writeln!(
        s,
        "    - number: {}/{year}/NĐ-CP\n      summary: {}\n      date: {year:04}-{month:02}-{day:02}\n      issuer: Chính phủ",
        rng.between(1, 199),
        scalar(&capitalise(&words(&mut rng, 5, 9)))
    );
    if rng.one_in(2) {
        let _ = writeln!(s, "  conditions: {}", scalar(&sentence(&mut rng, 6, 12)));
    }
    if rng.one_in(2) {
        let _ = writeln!(
            s,
            "  keywords: [{}, {}]",
            words(&mut rng, 1, 2),
            words(&mut rng, 2, 3)
        );
    }
    if let Some(code) = related.filter(|_| rng.one_in(4)) {
        let _ = writeln!(s, "  related: [\"{code}\"]");
    }
    let _ = writeln!(s, "  level: {online_level}");
    let _ = writeln!(s, "  online_class: {online_class}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, HashSet};
    use std::path::PathBuf;

    fn small() -> SynthOptions {
        SynthOptions {
            articles: 170,
            procedures: 60,
            seed: 7,
            tags: true,
        }
    }

    /// Every file under `dir`, by path relative to it, with its bytes.
    fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
        fn walk(root: &Path, dir: &Path, files: &mut BTreeMap<PathBuf, Vec<u8>>) {
            for entry in fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(root, &path, files);
                } else {
                    files.insert(
                        path.strip_prefix(root).unwrap().to_path_buf(),
                        fs::read(&path).unwrap(),
                    );
                }
            }
        }
        let mut files = BTreeMap::new();
        walk(dir, dir, &mut files);
        files
    }

    fn front_matter_of<T: serde::de::DeserializeOwned>(text: &str) -> T {
        let rest = text
            .strip_prefix("---\n")
            .expect("front matter opens with ---");
        let end = rest.find("\n---\n").expect("front matter closes with ---");
        crate::yaml::parse(&rest[..end]).expect("front matter is YAML")
    }

    /// The keys of a YAML mapping, in the order they are written.
    struct Keys(Vec<String>);

    impl<'de> serde::Deserialize<'de> for Keys {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct InOrder;
            impl<'de> serde::de::Visitor<'de> for InOrder {
                type Value = Keys;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("a mapping")
                }
                fn visit_map<A: serde::de::MapAccess<'de>>(
                    self,
                    mut map: A,
                ) -> Result<Keys, A::Error> {
                    let mut keys = Vec::new();
                    while let Some((key, _)) = map.next_entry::<String, serde::de::IgnoredAny>()? {
                        keys.push(key);
                    }
                    Ok(Keys(keys))
                }
            }
            d.deserialize_map(InOrder)
        }
    }

    #[test]
    fn counts() {
        let dir = tempfile::tempdir().unwrap();
        let summary = generate(dir.path(), &small()).unwrap();
        let files = tree(dir.path());
        assert_eq!(
            summary,
            SynthSummary {
                portals: 34,
                pages: 102,
                articles: 170,
                procedures: 60,
                files: files.len()
            }
        );
        let portals: HashSet<_> = files.keys().filter_map(|p| p.iter().nth(1)).collect();
        assert_eq!(portals.len(), 34);
        let news: Vec<_> = files
            .keys()
            .filter(|p| p.iter().nth(2) == Some("news".as_ref()))
            .collect();
        assert_eq!(news.len(), 170);
        // Round-robin: 170 = 5 × 34 articles.
        let so_y_te = news
            .iter()
            .filter(|p| p.starts_with("portals/so-y-te"))
            .count();
        assert_eq!(so_y_te, 5);
        let mut codes = HashSet::new();
        for (path, bytes) in &files {
            if path.ends_with("procedures/synth.yaml") {
                let owner = path.iter().nth(1).unwrap().to_str().unwrap();
                assert!(PORTALS
                    .iter()
                    .any(|p| p.slug == owner && p.kind == Kind::Department));
                let list: Vec<serde_json::Value> =
                    crate::yaml::parse(std::str::from_utf8(bytes).unwrap()).unwrap();
                for procedure in list {
                    let code = procedure["code"].as_str().unwrap().to_string();
                    assert!(code.len() == 8 && code.as_bytes()[1] == b'.', "{code}");
                    assert!(codes.insert(code));
                }
            }
        }
        assert_eq!(codes.len(), 60);
    }

    #[test]
    fn without_tags_articles_have_an_empty_tag_list() {
        let out = tempfile::tempdir().unwrap();
        let options = SynthOptions {
            tags: false,
            ..small()
        };
        generate(out.path(), &options).unwrap();
        let files = tree(out.path());
        let articles: Vec<_> = files
            .keys()
            .filter(|p| p.components().any(|c| c.as_os_str() == "news"))
            .collect();
        assert_eq!(articles.len(), options.articles);
        for path in articles {
            let text = String::from_utf8(files[path].clone()).unwrap();
            assert!(text.contains("\ntags: []\n"), "{}", path.display());
        }
    }

    #[test]
    fn same_seed_same_bytes_other_seed_other_bytes() {
        let options = SynthOptions {
            articles: 80,
            procedures: 30,
            seed: 42,
            tags: true,
        };
        let (a, b, c) = (
            tempfile::tempdir().unwrap(),
            tempfile::tempdir().unwrap(),
            tempfile::tempdir().unwrap(),
        );
        generate(a.path(), &options).unwrap();
        generate(b.path(), &options).unwrap();
        generate(
            c.path(),
            &SynthOptions {
                seed: 43,
                ..options
            },
        )
        .unwrap();
        assert_eq!(tree(a.path()), tree(b.path()));
        assert_ne!(tree(a.path()), tree(c.path()));
    }

    #[test]
    fn refuses_a_non_empty_folder() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("keep.txt"), "x").unwrap();
        let err = generate(dir.path(), &small()).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(tree(dir.path()).len(), 1);
    }

    #[test]
    fn article_front_matter_is_yaml_of_the_contract() {
        let options = small();
        for i in [0, 1, 33, 169] {
            let article = article(i, &options);
            let fm: serde_json::Value = front_matter_of(&article.text);
            let Keys(keys) = front_matter_of(&article.text);
            assert_eq!(keys, ["title", "date", "summary", "tags", "author"]);
            assert!(fm["title"].as_str().unwrap().chars().count() > 20);
            let date = fm["date"].as_str().unwrap();
            assert!(("2015".."2025").contains(&&date[..4]), "{date}");
            assert_eq!(&date[..4], article.year.to_string());
            let tags = fm["tags"].as_array().unwrap();
            assert!((2..=3).contains(&tags.len()));
            assert!(tags.iter().all(|t| TAGS.contains(&t.as_str().unwrap())));
            assert!(article
                .slug
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
            let body = article.text.splitn(3, "---\n").nth(2).unwrap();
            assert!(body.contains("\n## ") && body.contains("\n- ") && body.contains("](/"));
            let words = body.split_whitespace().count();
            assert!((150..=280).contains(&words), "{words} words");
        }
    }

    #[test]
    fn other_files_parse_as_yaml() {
        let dir = tempfile::tempdir().unwrap();
        generate(dir.path(), &small()).unwrap();
        for (path, bytes) in tree(dir.path()) {
            let text = String::from_utf8(bytes).unwrap();
            // NFC: no combining marks, every letter precomposed.
            assert!(
                !text.chars().any(|c| ('\u{300}'..='\u{36f}').contains(&c)),
                "{}",
                path.display()
            );
            let value: serde_json::Value = if path.extension() == Some("md".as_ref()) {
                front_matter_of(&text)
            } else {
                crate::yaml::parse(&text).unwrap()
            };
            if path.ends_with("portal.yaml") {
                for key in ["name", "kind", "description", "contact", "head", "editors"] {
                    assert!(!value[key].is_null(), "{key} in {}", path.display());
                }
            }
        }
    }

    #[test]
    fn levels_keep_the_province_proportions() {
        assert_eq!(level_counts(DEFAULT_PROCEDURES), [278, 931, 951]);
        assert_eq!(level_counts(216).iter().sum::<usize>(), 216);
        let levels = shuffled(&level_counts(DEFAULT_PROCEDURES), 1, 0);
        // Indices into LEVEL_SHARES: 2 is level 4.
        assert_eq!(levels.iter().filter(|&&l| l == 2).count(), 951);
    }

    #[test]
    fn slugs_and_dates() {
        assert_eq!(civil_from_days(FIRST_DAY), (2015, 1, 1));
        assert_eq!(civil_from_days(FIRST_DAY + DAYS - 1), (2024, 12, 31));
        assert_eq!(
            ascii_slug("Đường Hùng Vương, Mỹ Tho"),
            "duong-hung-vuong-my-tho"
        );
        let tag_slugs: HashSet<String> = TAGS.iter().map(|t| ascii_slug(t)).collect();
        assert_eq!(tag_slugs.len(), TAGS.len());
        let codes: HashSet<String> = (0..MAX_PROCEDURES)
            .step_by(997)
            .map(procedure_code)
            .collect();
        assert_eq!(codes.len(), MAX_PROCEDURES.div_ceil(997));
        assert_eq!(procedure_code(MAX_PROCEDURES - 1).len(), 8);
        assert_eq!(scalar("no"), "\"no\"");
        assert_eq!(scalar("Sở Y tế"), "Sở Y tế");
    }
}
