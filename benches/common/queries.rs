//! The queries of `bench/search/queries.lua`, decoded: Vietnamese with and without marks, a
//! procedure code, a typo, as citizens type them. Shared by the benches.

/// The benchmark queries, in the load generator's order.
pub const QUERIES: [&str; 10] = [
    "thủ tục hành chính",
    "thu tuc hanh chinh",
    "dang ky khai sinh",
    "đăng ký khải sinh",
    "cap giay phep xay dung",
    "chuyển đổi số",
    "1.000894",
    "nong thon moi",
    "giay phep xay dugn",
    "tiến giang",
];
