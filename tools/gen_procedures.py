#!/usr/bin/env python3
"""Sinh danh mục thủ tục hành chính mặc định của mạng cổng Tiền Giang.

Đọc dữ liệu biên soạn tay trong tools/procedures/ (một tệp YAML cho mỗi cơ quan
chủ quản, cộng với _legal.yaml là danh sách văn bản căn cứ pháp lý) và ghi các
bản ghi thủ tục vào content/portals/<slug>/procedures/<lĩnh-vực>.yaml theo đúng
hợp đồng nội dung trong docs/content.md.

Kết quả là tất định: chạy lại nhiều lần cho ra cùng một nội dung.

    python3 tools/gen_procedures.py            # sinh (từ chối ghi đè tệp đã có)
    python3 tools/gen_procedures.py --force    # sinh lại, ghi đè tệp đã có
    python3 tools/gen_procedures.py --dry-run  # chỉ in thống kê, không ghi
    python3 tools/gen_procedures.py --check    # kiểm tra các tệp YAML đã có

Sau lần sinh đầu tiên, các tệp YAML dưới content/ là nguồn gốc dữ liệu: các sở,
ngành chỉnh sửa trực tiếp ở đó. Chạy lại với --force sẽ xóa mọi chỉnh sửa tay.
"""

import argparse
import datetime
import hashlib
import os
import re
import sys
import unicodedata

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DATA = os.path.join(HERE, "procedures")

TARGET_TOTAL = 2160
TARGET_LEVELS = {4: 951, 3: 931, 2: 278}
ONLINE_CLASS = {4: "full", 3: "partial", 2: "none"}

PROVINCE = "tỉnh Tiền Giang"
UBND_TINH = "Ủy ban nhân dân tỉnh Tiền Giang"
CT_UBND_TINH = "Chủ tịch Ủy ban nhân dân tỉnh Tiền Giang"
TTPVHCC = ("Trung tâm Phục vụ hành chính công tỉnh Tiền Giang, số 377 đường Hùng Vương, "
           "xã Đạo Thạnh, thành phố Mỹ Tho")

DEFAULT_AGENCY = {"district": "Ủy ban nhân dân cấp huyện", "commune": "Ủy ban nhân dân cấp xã"}
DEFAULT_ADDR = {
    "province": TTPVHCC,
    "district": "Bộ phận Tiếp nhận và Trả kết quả của Ủy ban nhân dân cấp huyện",
    "commune": "Bộ phận Tiếp nhận và Trả kết quả của Ủy ban nhân dân cấp xã",
}
DEFAULT_ADDR_SHORT = {
    "province": "Trung tâm Phục vụ hành chính công tỉnh",
    "district": "Bộ phận Tiếp nhận và Trả kết quả cấp huyện",
    "commune": "Bộ phận Tiếp nhận và Trả kết quả cấp xã",
}
LEVEL_WORD = {"province": "cấp tỉnh", "district": "cấp huyện", "commune": "cấp xã"}
GROUP_LEVELS = {
    "p": ["province"], "d": ["district"], "c": ["commune"],
    "pd": ["province", "district"], "dc": ["district", "commune"],
    "pc": ["province", "commune"], "pdc": ["province", "district", "commune"],
}
LEVEL_CODES = {"p": "province", "d": "district", "c": "commune"}

ACTS = {
    "cap": "Cấp {o}",
    "lai": "Cấp lại {o}",
    "sd": "Cấp sửa đổi, bổ sung {o}",
    "gh": "Gia hạn {o}",
    "dc": "Điều chỉnh {o}",
    "doi": "Cấp đổi {o}",
    "th": "Thu hồi {o}",
}

# Thành phần hồ sơ bổ sung theo loại hành động (nhận diện theo đầu tên thủ tục).
ACT_DOCS = [
    ("Cấp lại ", ["Bản gốc {o} đã được cấp (trường hợp bị hư hỏng, rách nát)",
                  "Văn bản giải trình lý do đề nghị cấp lại"]),
    ("Cấp đổi ", ["Bản gốc {o} đã được cấp"]),
    ("Cấp sửa đổi, bổ sung ", ["Bản sao {o} đã được cấp",
                               "Tài liệu chứng minh nội dung đề nghị sửa đổi, bổ sung"]),
    ("Gia hạn ", ["Bản sao {o} còn hiệu lực",
                  "Báo cáo tình hình hoạt động trong thời gian được cấp phép"]),
    ("Điều chỉnh ", ["Bản sao {o} đã được cấp",
                     "Tài liệu chứng minh nội dung đề nghị điều chỉnh"]),
]

# Thành phần hồ sơ chung theo loại việc, dùng khi mục không tự khai báo hồ sơ.
VERB_DOCS = [
    ("giải thể", ["Phương án giải quyết quyền lợi, nghĩa vụ của các bên có liên quan",
                  "Bản sao quyết định thành lập hoặc giấy chứng nhận đã được cấp"]),
    ("sáp nhập, chia, tách", ["Đề án sáp nhập, chia, tách",
                             "Bản sao quyết định thành lập của các đơn vị có liên quan"]),
    ("chia, tách", ["Đề án chia, tách", "Bản sao quyết định thành lập hoặc giấy chứng nhận đã được cấp"]),
    ("hợp nhất", ["Đề án hoặc hợp đồng hợp nhất",
                  "Bản sao quyết định thành lập hoặc giấy chứng nhận của các đơn vị bị hợp nhất"]),
    ("chấm dứt hoạt động", ["Văn bản nêu rõ lý do chấm dứt hoạt động",
                  "Bản gốc giấy phép, giấy chứng nhận đã được cấp (nếu có)"]),
]

CASE_CITIZEN = {
    "case": "Trường hợp ủy quyền",
    "items": ["Văn bản ủy quyền được công chứng hoặc chứng thực theo quy định",
              "Bản sao giấy tờ tùy thân của người được ủy quyền"],
}
CASE_ORG = {
    "case": "Trường hợp người nộp hồ sơ không phải là người đại diện theo pháp luật",
    "items": ["Văn bản ủy quyền của người đại diện theo pháp luật cho người nộp hồ sơ",
              "Bản sao giấy tờ tùy thân của người được ủy quyền"],
}
CASE_ONLINE = {
    "case": "Trường hợp nộp hồ sơ trực tuyến",
    "items": ["Bản điện tử các thành phần hồ sơ nêu trên, được ký số hoặc chụp từ bản chính",
              "Tờ khai điện tử kê khai trên Cổng Dịch vụ công"],
}

KENH_ONLINE = " hoặc nộp trực tuyến trên Cổng Dịch vụ công quốc gia, Cổng Dịch vụ công tỉnh Tiền Giang"
KENH_POST = " hoặc gửi qua dịch vụ bưu chính công ích"

STEP_FLAVORS = {
    "chung": [
        ["{Nguoi} chuẩn bị hồ sơ đầy đủ theo quy định và nộp tại {noi}{kenh}.",
         "{Nguoi} nộp hồ sơ tại {noi}{kenh}."],
        ["Công chức tiếp nhận kiểm tra tính đầy đủ, hợp lệ của hồ sơ; trường hợp hồ sơ chưa đầy đủ thì hướng dẫn bổ sung, hoàn thiện một lần bằng phiếu hướng dẫn.",
         "Bộ phận tiếp nhận kiểm tra thành phần hồ sơ, cấp Giấy tiếp nhận hồ sơ và hẹn trả kết quả; hồ sơ chưa hợp lệ được hướng dẫn bổ sung một lần."],
        ["{Xl} thẩm định hồ sơ{kt} và đề xuất kết quả giải quyết.",
         "{Xl} xem xét nội dung hồ sơ{kt}, lập báo cáo thẩm định."],
        "@trinh",
        ["{Tq} xem xét, ký {kq}; trường hợp không chấp thuận thì trả lời bằng văn bản và nêu rõ lý do.",
         "{Tq} quyết định và ban hành {kq}; nếu từ chối phải có văn bản nêu rõ lý do."],
        "?",
        ["Trả kết quả tại {noi} hoặc qua dịch vụ bưu chính công ích theo yêu cầu của {nguoi}.",
         "{Nguoi} nhận kết quả theo ngày hẹn ghi trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả."],
    ],
    "dang-ky": [
        ["{Nguoi} nộp hồ sơ đăng ký tại {noi}{kenh}.",
         "{Nguoi} kê khai thông tin, chuẩn bị hồ sơ và nộp tại {noi}{kenh}."],
        ["Bộ phận tiếp nhận kiểm tra tính hợp lệ của hồ sơ và cấp Giấy biên nhận; trường hợp hồ sơ chưa hợp lệ thì thông báo bằng văn bản nội dung cần sửa đổi, bổ sung.",
         "Công chức tiếp nhận đối chiếu thành phần hồ sơ, hướng dẫn bổ sung một lần nếu hồ sơ chưa đầy đủ."],
        ["{Xl} xem xét tính hợp lệ của hồ sơ và cập nhật thông tin vào cơ sở dữ liệu chuyên ngành.",
         "{Xl} kiểm tra nội dung đăng ký, đối chiếu với cơ sở dữ liệu và lập hồ sơ theo dõi."],
        ["{Tq} cấp {kq} cho {nguoi}; trường hợp từ chối phải thông báo bằng văn bản và nêu rõ lý do.",
         "{Xl} trả {kq} cho {nguoi} theo thời hạn quy định."],
    ],
    "ho-tich": [
        ["Người có yêu cầu nộp hồ sơ tại {noi}{kenh}; xuất trình giấy tờ tùy thân để kiểm tra.",
         "Người yêu cầu nộp tờ khai và giấy tờ liên quan tại {noi}{kenh}."],
        ["{Xl} kiểm tra toàn bộ hồ sơ; nếu đầy đủ, hợp lệ thì tiếp nhận và viết giấy hẹn, nếu chưa đầy đủ thì hướng dẫn bổ sung ngay.",
         "{Xl} tiếp nhận, đối chiếu thông tin trong tờ khai với giấy tờ xuất trình và hướng dẫn hoàn thiện hồ sơ khi cần."],
        "?",
        ["Trường hợp cần xác minh, {xl} có văn bản đề nghị cơ quan liên quan xác minh; thời gian xác minh không tính vào thời hạn giải quyết.",
         "Trường hợp có nghi vấn về nội dung giấy tờ, {xl} tiến hành xác minh theo quy định."],
        ["Nếu việc đăng ký đúng quy định, {xl} ghi nội dung vào Sổ hộ tịch và cập nhật vào Cơ sở dữ liệu hộ tịch điện tử.",
         "{Xl} ghi vào Sổ hộ tịch, cùng người yêu cầu ký tên vào Sổ và cập nhật Cơ sở dữ liệu hộ tịch điện tử."],
        ["{Tq} ký và cấp {kq} cho người yêu cầu.",
         "{Tq} ký {kq}; người yêu cầu nhận kết quả tại {noi}."],
    ],
    "thi-dua": [
        ["Cơ quan, đơn vị trình khen lập hồ sơ đề nghị khen thưởng và gửi đến {noi}{kenh}.",
         "Thủ trưởng cơ quan, đơn vị quản lý trực tiếp lập hồ sơ đề nghị, gửi {noi}{kenh}."],
        ["{Xl} thẩm định hồ sơ, tổng hợp và trình Hội đồng Thi đua - Khen thưởng cùng cấp xem xét.",
         "{Xl} kiểm tra hồ sơ, thẩm định tiêu chuẩn và báo cáo Hội đồng Thi đua - Khen thưởng."],
        "?",
        ["Lấy ý kiến hiệp y của cơ quan, tổ chức có liên quan đối với trường hợp theo quy định.",
         "Công khai danh sách đề nghị khen thưởng để lấy ý kiến trước khi trình."],
        ["Hội đồng Thi đua - Khen thưởng họp xét, biểu quyết và đề nghị người có thẩm quyền quyết định.",
         "Hội đồng Thi đua - Khen thưởng xét chọn và trình người có thẩm quyền."],
        ["{Tq} ký quyết định khen thưởng; {xl} thông báo kết quả và trao hiện vật khen thưởng cho đơn vị trình.",
         "{Tq} ban hành quyết định; kết quả được gửi về cơ quan, đơn vị trình khen."],
    ],
    "tro-cap": [
        ["Người đề nghị hoặc người đại diện hợp pháp nộp hồ sơ tại {noi}{kenh}.",
         "Đối tượng hoặc thân nhân lập hồ sơ và nộp tại {noi}{kenh}."],
        ["Công chức tiếp nhận kiểm tra hồ sơ, hướng dẫn bổ sung một lần nếu hồ sơ chưa đầy đủ.",
         "Bộ phận tiếp nhận kiểm tra, đối chiếu giấy tờ và cấp phiếu hẹn trả kết quả."],
        "?",
        ["Ủy ban nhân dân cấp xã xác nhận thông tin, niêm yết công khai theo quy định trước khi chuyển hồ sơ.",
         "Hội đồng xét duyệt cấp xã họp xem xét, niêm yết công khai kết quả tại trụ sở và nhà văn hóa ấp, khu phố."],
        ["{Xl} thẩm định hồ sơ, đối chiếu với quy định về đối tượng và mức hưởng.",
         "{Xl} rà soát hồ sơ, đề xuất đối tượng và mức hưởng."],
        ["{Tq} ban hành {kq}; trường hợp không đủ điều kiện thì trả lời bằng văn bản nêu rõ lý do.",
         "{Tq} ký {kq} và chuyển cơ quan chi trả thực hiện."],
    ],
    "tham-dinh": [
        ["Tổ chức đề nghị gửi hồ sơ trình thẩm định đến {noi}{kenh}.",
         "Chủ đầu tư hoặc tổ chức có yêu cầu nộp hồ sơ tại {noi}{kenh}."],
        ["{Xl} kiểm tra hồ sơ; trường hợp hồ sơ chưa đủ điều kiện thẩm định thì có văn bản yêu cầu bổ sung một lần.",
         "{Xl} xem xét sự đầy đủ của hồ sơ và thông báo cho tổ chức đề nghị nếu cần bổ sung."],
        ["{Xl} tổ chức thẩm định, lấy ý kiến các cơ quan, tổ chức có liên quan khi cần thiết.",
         "{Xl} chủ trì thẩm định, mời chuyên gia hoặc tổ chức tư vấn tham gia khi cần thiết."],
        "@trinh",
        ["{Tq} phê duyệt hoặc ban hành {kq}; trường hợp không phê duyệt phải nêu rõ lý do.",
         "{Tq} xem xét, ban hành {kq} theo thẩm quyền."],
    ],
    "thong-bao": [
        ["{Nguoi} gửi văn bản thông báo kèm tài liệu liên quan đến {noi}{kenh}.",
         "{Nguoi} nộp hồ sơ thông báo tại {noi}{kenh}."],
        ["{Xl} tiếp nhận, kiểm tra nội dung thông báo và cập nhật vào hệ thống theo dõi.",
         "{Xl} kiểm tra tính hợp lệ của hồ sơ thông báo và vào sổ theo dõi."],
        ["Trường hợp nội dung không phù hợp quy định, {xl} có văn bản yêu cầu điều chỉnh; trường hợp phù hợp, {kq} được gửi cho {nguoi}.",
         "{Xl} gửi {kq} cho {nguoi}; nếu thông báo chưa đúng quy định thì hướng dẫn thực hiện lại."],
    ],
    "cu-tru": [
        ["Công dân chuẩn bị hồ sơ và nộp tại {noi}{kenh}.",
         "Người đăng ký nộp hồ sơ tại {noi}{kenh}."],
        ["Cán bộ tiếp nhận kiểm tra, đối chiếu thông tin với Cơ sở dữ liệu quốc gia về dân cư; hồ sơ hợp lệ thì cấp phiếu tiếp nhận, chưa hợp lệ thì hướng dẫn bổ sung.",
         "Cơ quan đăng ký cư trú kiểm tra tính pháp lý và nội dung hồ sơ, cấp phiếu tiếp nhận hoặc hướng dẫn bổ sung."],
        ["{Tq} cập nhật thông tin vào Cơ sở dữ liệu về cư trú và thông báo kết quả cho người đăng ký; trường hợp từ chối phải trả lời bằng văn bản nêu rõ lý do.",
         "{Tq} giải quyết, cập nhật cơ sở dữ liệu và thông báo cho người đăng ký về việc đã thực hiện."],
    ],
    "cong-an": [
        ["{Nguoi} nộp hồ sơ tại {noi}{kenh}.",
         "{Nguoi} chuẩn bị hồ sơ theo quy định và nộp tại {noi}{kenh}."],
        ["Cán bộ tiếp nhận kiểm tra tính hợp lệ của hồ sơ, đối chiếu giấy tờ tùy thân; hồ sơ đầy đủ thì cấp giấy biên nhận hẹn trả kết quả.",
         "Cán bộ tiếp nhận kiểm tra hồ sơ; trường hợp chưa đầy đủ thì hướng dẫn bổ sung theo quy định."],
        "?",
        ["{Xl} kiểm tra, xác minh thông tin khi cần thiết và đề xuất giải quyết.",
         "{Xl} thẩm định hồ sơ, kiểm tra thực tế đối với trường hợp phải kiểm tra."],
        ["{Tq} xem xét, cấp {kq}; trường hợp không giải quyết phải trả lời bằng văn bản và nêu rõ lý do.",
         "{Tq} giải quyết và trả {kq} theo ngày hẹn."],
    ],
}


def nfc(s):
    return unicodedata.normalize("NFC", s)


def h(*parts):
    """Số nguyên tất định từ các thành phần (dùng thay cho ngẫu nhiên)."""
    m = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return int(m[:12], 16)


def cap1(s):
    return s[:1].upper() + s[1:] if s else s


def low1(s):
    if not s:
        return s
    if len(s) > 1 and s[1].isupper():  # viết tắt: UBND, CCCD...
        return s
    return s[:1].lower() + s[1:]


class StrictLoader(yaml.SafeLoader):
    """Loader báo lỗi khi một khóa xuất hiện hai lần trong cùng một ánh xạ."""


def _strict_mapping(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, "khóa trùng %r" % (key,), key_node.start_mark)
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep)


StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _strict_mapping)


def load_yaml(path):
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=StrictLoader)


# ---------------------------------------------------------------------------
# Mở rộng dữ liệu biên soạn thành các bản ghi thô
# ---------------------------------------------------------------------------

def item_names(item):
    """Danh sách (tên, đối tượng) sinh ra từ một mục dữ liệu."""
    if "acts" in item:
        o = item["o"]
        out = []
        for a in item["acts"]:
            tpl = ACTS.get(a, a)
            out.append((tpl.format(o=o), o))
        return out
    if "each" in item:
        return [(item["n"].format(x=x), None) for x in item["each"]]
    return [(item["n"], None)]


def expand(owner_doc):
    owner = owner_doc["owner"]
    recs = []
    for fi, field in enumerate(owner_doc["fields"]):
        gseq = 0
        for gkey in [k for k in field if k in GROUP_LEVELS]:
            for item in field.get(gkey) or []:
                if isinstance(item, str):
                    item = {"n": item}
                levels = GROUP_LEVELS[gkey]
                if "at" in item:
                    levels = GROUP_LEVELS[item["at"]]
                gseq += 1
                group_id = (owner, fi, gseq)
                for name, obj in item_names(item):
                    for lv in levels:
                        nm = name
                        if "{lv}" in nm:
                            nm = nm.replace("{lv}", LEVEL_WORD[lv])
                        elif len(levels) > 1:
                            nm = "%s (%s)" % (nm, LEVEL_WORD[lv])
                        recs.append({
                            "owner": owner, "odoc": owner_doc, "field": field,
                            "item": item, "name": nm, "base": name, "obj": obj,
                            "lv": lv, "group": group_id, "seq": len(recs),
                        })
                        # TTHC được luân chuyển: hồ sơ của thủ tục cấp huyện tiếp nhận tại cấp xã
                        # (lc), hồ sơ của thủ tục cấp tỉnh tiếp nhận tại cấp huyện (lh)
                        for flag, src, dst, word in (("lc", "district", "commune", "cấp xã"),
                                                     ("lh", "province", "district", "cấp huyện")):
                            if lv == src and item.get(flag, field.get(flag)):
                                base = re.sub(r" \((cấp tỉnh|cấp huyện)\)$", "", nm)
                                recs.append({
                                    "owner": owner, "odoc": owner_doc, "field": field,
                                    "item": item, "name": "%s (tiếp nhận hồ sơ tại %s)" % (base, word),
                                    "base": name, "obj": obj, "lv": dst, "group": group_id,
                                    "seq": len(recs), "luanchuyen": src,
                                })
    return recs


def fget(rec, key, default=None):
    """Giá trị của mục, nếu không có thì của lĩnh vực, rồi của cơ quan."""
    for src in (rec["item"], rec["field"], rec["odoc"]):
        if key in src:
            return src[key]
    return default


def by_level(val, lv):
    if isinstance(val, dict):
        return val.get(lv[0]) or val.get(lv)
    return val


# ---------------------------------------------------------------------------
# Mã thủ tục, mức độ, quyết định
# ---------------------------------------------------------------------------

# Mã quốc gia có thật của các thủ tục khác (không dùng trong dữ liệu): không sinh trùng.
RESERVED = {"1.014199", "1.014200", "1.014201", "1.014196", "1.014197", "1.014198", "1.002211",
            "2.000424", "2.002891", "2.002892", "2.002893", "1.001639", "1.011606", "1.011607",
            "1.001731", "1.014028", "1.004563", "1.003970", "1.004002", "1.004036", "1.006391",
            "1.014027", "1.001632", "1.001521", "1.001643", "2.000693", "1.001667", "1.004941",
            "2.001944", "1.011608", "1.005090", "1.002759", "1.001613", "2.002913", "3.000722",
            "1.004772", "2.002770", "2.002771", "1.012753", "1.013978", "2.001955"}


def assign_codes(recs):
    """Mã thật (trường `code` của mục) gắn cho bản ghi đầu tiên của mục; nếu `code` là
    từ điển theo cấp (p/d/c) thì gắn cho bản ghi đầu tiên ở cấp tương ứng."""
    used = {c: "(dành riêng)" for c in RESERVED}
    done = set()
    for r in recs:
        code = r["item"].get("code")
        if not code:
            continue
        if isinstance(code, dict):
            code = code.get(r["lv"][0])
            key = (id(r["item"]), r["lv"])
        else:
            key = (id(r["item"]),)
        if not code or key in done:
            continue
        done.add(key)
        if code in used and used[code] != "(dành riêng)":
            raise SystemExit("mã trùng trong dữ liệu: %s (%s / %s)" % (code, used[code], r["name"]))
        used[code] = r["name"]
        r["code"] = code
    for r in recs:
        if "code" in r:
            continue
        n = h("code", r["owner"], r["field"]["field"], r["name"], r["lv"])
        while True:
            if n % 100 < 62:
                code = "1.%06d" % (100 + n % 11900)
            else:
                code = "2.%06d" % (100 + n % 2900)
            if code not in used:
                break
            n = h("code-again", n)
        used[code] = r["name"]
        r["code"] = code


def assign_levels(recs):
    scored = []
    for r in recs:
        explicit = "ol" in r["item"]
        pref = fget(r, "ol", 3)
        if explicit:
            tie = 50 if pref == 3 else (99 if pref == 4 else 0)
        else:
            tie = h("level", r["code"]) % 100
        scored.append((pref * 100 + tie, h("lvtie", r["code"]), r))
    scored.sort(key=lambda x: (-x[0], x[1]))
    n4, n3 = TARGET_LEVELS[4], TARGET_LEVELS[3]
    if len(recs) != TARGET_TOTAL:  # chỉ khi đang biên soạn (--any-count): chia theo tỉ lệ
        n4 = round(len(recs) * n4 / TARGET_TOTAL)
        n3 = round(len(recs) * n3 / TARGET_TOTAL)
    for i, (_, _, r) in enumerate(scored):
        r["level"] = 4 if i < n4 else (3 if i < n4 + n3 else 2)


def decisions_for(owner, field_name):
    out = []
    for k in range(2):
        n = h("decision", owner, field_name, k)
        start = datetime.date(2020, 1, 6)
        day = start + datetime.timedelta(days=n % 1085)
        doy = day.timetuple().tm_yday
        num = max(12, doy * 9 + (n // 1085) % 70)
        out.append("Quyết định số %d/QĐ-UBND ngày %d/%d/%d của Chủ tịch UBND tỉnh Tiền Giang"
                   % (num, day.day, day.month, day.year))
    return out


# ---------------------------------------------------------------------------
# Dựng nội dung bản ghi
# ---------------------------------------------------------------------------

def applicants_phrase(who):
    w = set(who)
    if w == {"citizen"}:
        return "cá nhân"
    if w == {"business"}:
        return "doanh nghiệp"
    if w == {"organisation"}:
        return "cơ quan, tổ chức"
    if "citizen" in w:
        return "tổ chức, cá nhân"
    return "tổ chức, doanh nghiệp"


def short_agency(name, odoc):
    if name == odoc["agency"]:
        return odoc["short"]
    if name == UBND_TINH:
        return "Ủy ban nhân dân tỉnh"
    if name == CT_UBND_TINH:
        return "Chủ tịch Ủy ban nhân dân tỉnh"
    return name


def resolve_ca(val, lv, agency):
    if val is None:
        return agency
    val = by_level(val, lv) if isinstance(val, dict) else val
    if val is None:
        return agency
    if val == "ubnd":
        return {"province": UBND_TINH, "district": "Ủy ban nhân dân cấp huyện",
                "commune": "Ủy ban nhân dân cấp xã"}[lv]
    if val == "ct":
        return {"province": CT_UBND_TINH, "district": "Chủ tịch Ủy ban nhân dân cấp huyện",
                "commune": "Chủ tịch Ủy ban nhân dân cấp xã"}[lv]
    return val


def first_doc(name, who):
    n = cap1(re.sub(r"^Thủ tục ", "", name))
    n = re.sub(r" \((cấp tỉnh|cấp huyện|cấp xã)\)$", "", n)
    n = re.sub(r"^(Đề nghị|Kiểm tra và) ", "", n)
    n = cap1(n)
    lc = low1(n)
    if n.startswith("Đăng ký"):
        return ("Tờ khai %s theo mẫu" if who == ["citizen"] else "Giấy đề nghị %s theo mẫu") % lc
    if n.startswith("Thông báo"):
        return "Văn bản %s theo mẫu" % lc
    if n.startswith(("Thẩm định", "Phê duyệt", "Tặng", "Xét tặng", "Khen")):
        return "Tờ trình đề nghị %s" % lc
    if n.startswith(("Cấp", "Gia hạn", "Đổi", "Điều chỉnh", "Chuyển", "Xác nhận", "Công nhận",
                     "Cho phép", "Giải quyết", "Hỗ trợ", "Thành lập")):
        return ("Đơn đề nghị %s theo mẫu" if "citizen" in who else "Văn bản đề nghị %s theo mẫu") % lc
    return ("Đơn đề nghị %s" if "citizen" in who else "Văn bản đề nghị %s") % lc


def doc_counts(text):
    t = text.lower()
    if t.startswith(("bản sao", "bản chụp", "01 bản sao", "bản photo")):
        return 0, 1
    m = re.search(r"\((\d\d) bản\)", text)
    if m:
        return int(m.group(1)), 0
    if t.startswith(("hai ", "02 ")):
        return 2, 0
    return 1, 0


def result_for(rec):
    item, name = rec["item"], rec["base"]
    r = item.get("r")
    if r:
        return r
    obj = rec["obj"]
    if obj:
        o = cap1(obj)
        if name.startswith("Cấp sửa đổi, bổ sung"):
            return o + " (sửa đổi, bổ sung)"
        if name.startswith("Gia hạn"):
            return o + " được gia hạn"
        if name.startswith("Điều chỉnh"):
            return o + " được điều chỉnh"
        if name.startswith("Thu hồi"):
            return "Quyết định thu hồi " + obj
        return o
    r = rec["field"].get("r")
    if r:
        return r
    m = re.match(r"^(Cấp lại|Cấp đổi|Cấp) (.+)$", name)
    if m:
        o = m.group(2)
        o = re.split(r" (?:thuộc thẩm quyền|theo hình thức|trong trường hợp|khi )", o)[0]
        return cap1(o)
    return "Văn bản chấp thuận hoặc quyết định giải quyết của cơ quan có thẩm quyền"


STRIP_VERBS = ["cấp sửa đổi, bổ sung", "kiểm tra và cấp", "cấp lại", "cấp đổi", "cấp phép", "cấp", "đổi", "gia hạn", "điều chỉnh",
               "đăng ký", "thông báo", "thẩm định", "phê duyệt", "công nhận", "cho phép",
               "giải quyết", "xác nhận", "hỗ trợ", "xét tặng", "tặng", "chấp thuận", "thu hồi",
               "thủ tục", "đề nghị"]


GENERIC_START = ("hoạt động", "thay đổi", "nội dung", "thông tin", "việc ", "lại ", "mới ", "thực hiện", "là ", "có ", "lần đầu")


def derive_keyword(name):
    """Cụm từ người dân hay gõ, rút từ tên thủ tục: bỏ động từ đầu câu, cắt ở giới từ."""
    n = name.lower()
    n = re.sub(r" \((cấp tỉnh|cấp huyện|cấp xã)\)$", "", n)
    changed = True
    while changed:
        changed = False
        for v in STRIP_VERBS:
            if n.startswith(v + " "):
                n = n[len(v) + 1:]
                changed = True
    parts = re.split(r"( đối với | thuộc | của | trong | theo | cho | tại | khi | \(|;| do | từ | để )", n)
    n = parts[0]
    if "," in n:
        return None
    words = n.split()
    if len(words) < 2 or len(words) > 7 or n.startswith(GENERIC_START):
        return None
    return n


def build_luanchuyen(rec, decisions):
    """Thủ tục được tiếp nhận ở cấp dưới rồi luân chuyển hồ sơ lên cấp có thẩm quyền:
    thủ tục cấp huyện tiếp nhận tại cấp xã, hoặc thủ tục cấp tỉnh tiếp nhận tại cấp huyện."""
    src = rec["luanchuyen"]
    d = dict(rec)
    d["lv"] = src
    d["luanchuyen"] = False
    out = build(d, decisions)
    field, item = rec["field"], rec["item"]
    who = fget(rec, "who", ["citizen"])
    nguoi = applicants_phrase(who)
    kenh = KENH_ONLINE if rec["level"] >= 3 else ""
    if src == "district":
        here, up = "cấp xã", "cấp huyện"
        xl = item.get("ph") or field.get("ph") or "Phòng chuyên môn thuộc Ủy ban nhân dân cấp huyện"
        nhan = "Bộ phận Tiếp nhận và Trả kết quả cấp huyện"
    else:
        here, up = "cấp huyện", "cấp tỉnh"
        xl = by_level(item.get("xl"), "province") or (field.get("xl") if isinstance(field.get("xl"), str) else None) \
            or rec["odoc"]["short"]
        nhan = "Trung tâm Phục vụ hành chính công tỉnh"
    tq = out["competent_agency"]
    out["name"] = rec["name"]
    out["implementing_level"] = rec["lv"]
    out["type"] = "TTHC được luân chuyển"
    out["agency"] = DEFAULT_AGENCY[rec["lv"]]
    out["receiving_address"] = DEFAULT_ADDR[rec["lv"]]
    steps = [
        "%s nộp hồ sơ tại Bộ phận Tiếp nhận và Trả kết quả %s%s." % (cap1(nguoi), here, kenh),
        "Công chức tiếp nhận kiểm tra thành phần hồ sơ, cấp giấy tiếp nhận và hẹn trả kết quả; "
        "hồ sơ chưa đầy đủ được hướng dẫn bổ sung một lần.",
        "Trong ngày làm việc tiếp theo, hồ sơ được chuyển đến %s." % nhan,
    ]
    if cap1(xl) == cap1(tq) or tq.startswith(xl):
        steps.append("%s thẩm định hồ sơ và giải quyết theo thẩm quyền." % cap1(xl))
    else:
        steps.append("%s thẩm định hồ sơ và trình %s giải quyết theo thẩm quyền." % (cap1(xl), tq))
    steps.append("Kết quả giải quyết được chuyển về Bộ phận Tiếp nhận và Trả kết quả %s để trả cho %s."
                 % (here, nguoi))
    out["steps"] = steps
    for ch in out["channels"]:
        ch["time"] = "%s; cộng thêm thời gian luân chuyển hồ sơ giữa %s và %s" % (ch["time"], here, up)
    return out


def build(rec, decisions):
    odoc, field, item, lv = rec["odoc"], rec["field"], rec["item"], rec["lv"]
    name = rec["name"]
    who = fget(rec, "who", ["citizen"])
    level = rec["level"]

    def pick(key, default):
        """Mục: áp dụng cho mọi cấp của mục. Lĩnh vực: chuỗi chỉ áp dụng cấp tỉnh,
        từ điển {p, d, c} áp dụng theo cấp."""
        if key in item and item[key] is not None:
            r = by_level(item[key], lv)
            return default if r is None else r
        v = field.get(key)
        if isinstance(v, dict):
            r = by_level(v, lv)
            return default if r is None else r
        if v is not None and (lv == "province" or v in ("ubnd", "ct")):
            return v
        return default

    if rec.get("luanchuyen"):
        return build_luanchuyen(rec, decisions)
    if lv == "province":
        agency = pick("ag", odoc["agency"])
        xl = pick("xl", odoc["short"])
    elif lv == "district":
        agency = pick("ag", DEFAULT_AGENCY[lv])
        xl = item.get("ph") or field.get("ph") or "phòng chuyên môn thuộc Ủy ban nhân dân cấp huyện"
    else:
        agency = pick("ag", DEFAULT_AGENCY[lv])
        xl = item.get("cc") or field.get("cc") or "công chức chuyên môn thuộc Ủy ban nhân dân cấp xã"
    if "ca" in item and item["ca"] is None:
        competent = agency
    else:
        competent = resolve_ca(pick("ca", None), lv, agency)
    addr = pick("addr", DEFAULT_ADDR[lv]) or DEFAULT_ADDR[lv]
    noi = pick("noi", DEFAULT_ADDR_SHORT[lv]) or DEFAULT_ADDR_SHORT[lv]

    tq = short_agency(competent, odoc)

    post = item.get("post")
    if post is None:
        post = field.get("post")
    if post is None:
        p = {"province": 40, "district": 15, "commune": 0}[lv]
        post = h("post", rec["code"]) % 100 < p
    kenh = ""
    if level >= 3:
        kenh += KENH_ONLINE
    if post:
        kenh = (kenh + "," + KENH_POST) if kenh else KENH_POST

    result = result_for(rec)
    ctx = {
        "Nguoi": cap1(applicants_phrase(who)), "nguoi": applicants_phrase(who),
        "noi": noi, "kenh": kenh, "Xl": cap1(xl), "xl": xl,
        "Tq": cap1(tq), "kq": result,
        "kt": ", kiểm tra thực tế tại cơ sở khi cần thiết" if h("kt", rec["code"]) % 3 == 0 else "",
    }

    # các bước
    if "st" in item:
        steps = [s.format(**ctx) if "{" in s else s for s in item["st"]]
    else:
        flavor = fget(rec, "s", "chung")
        steps = []
        opt = False
        for k, alts in enumerate(STEP_FLAVORS[flavor]):
            if alts == "?":
                opt = True
                continue
            if alts == "@trinh":
                if tq != xl and lv == "province" and not xl.startswith(tq):
                    steps.append("%s trình %s xem xét, quyết định." % (cap1(xl), tq))
                continue
            if opt:
                opt = False
                if h("opt", rec["code"], k) % 2 == 0:
                    continue
            alt = alts[h("step", rec["code"], k) % len(alts)]
            steps.append(alt.format(**ctx))
        steps = steps[:6]

    # kênh thực hiện
    t = item.get("t") or field.get("t") or "10 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ"
    if rec["base"].startswith("Cấp lại") and (item.get("tl") or field.get("tl")):
        t = item.get("tl") or field.get("tl")
    fee = item.get("f") or field.get("f") or "Không"
    channels = [{"mode": "in_person", "time": t, "fee": fee}]
    if h("ipnote", rec["code"]) % 4 == 0:
        channels[0]["notes"] = "Tiếp nhận trong giờ hành chính từ thứ Hai đến thứ Sáu"
    if level >= 3:
        ch = {"mode": "online", "time": t, "fee": fee}
        if level == 4:
            ch["notes"] = ("Nộp hồ sơ, thanh toán phí, lệ phí (nếu có) và nhận kết quả trực tuyến "
                           "trên Cổng Dịch vụ công quốc gia hoặc Cổng Dịch vụ công tỉnh Tiền Giang")
        else:
            ch["notes"] = ("Nộp hồ sơ trực tuyến; nhận kết quả trực tiếp tại nơi tiếp nhận "
                           "hoặc qua dịch vụ bưu chính công ích")
        channels.append(ch)
    if post:
        channels.append({"mode": "post", "time": t, "fee": fee,
                         "notes": "Gửi hồ sơ và nhận kết quả qua dịch vụ bưu chính công ích"})

    # thành phần hồ sơ
    docs_main = []
    if item.get("hs0", field.get("hs0", True)):
        docs_main.append(first_doc(rec["base"], who))
    if item.get("hs"):
        docs_main += list(item["hs"])
    else:
        generic = None
        for prefix, extra in VERB_DOCS:
            if re.sub(r"^Thủ tục ", "", rec["base"]).lower().startswith(prefix):
                generic = extra
                break
        docs_main += list(generic if generic and not rec["obj"] else (field.get("hs") or []))
    if rec["obj"]:
        for prefix, extra in ACT_DOCS:
            if rec["base"].startswith(prefix):
                docs_main += [e.format(o=rec["obj"]) for e in extra]
                break
    seen, main = set(), []
    for d in docs_main:
        if d not in seen:
            seen.add(d)
            main.append(d)
    if len(main) < 2:
        main.append("Tài liệu chứng minh đáp ứng điều kiện theo quy định (nếu có)")
    main = main[:6]
    groups = [main]
    cases = []
    if item.get("case"):
        cases.append(item["case"])
    elif h("case", rec["code"]) % 2 == 0 and not item.get("nocase", field.get("nocase")):
        cases.append(CASE_CITIZEN if "citizen" in who else CASE_ORG)
    if level >= 3 and h("online-case", rec["code"]) % 10 < 3:
        cases.append(CASE_ONLINE)
    documents = [{"items": [{"name": d, "originals": doc_counts(d)[0], "copies": doc_counts(d)[1]}
                            for d in main]}]
    for c in cases[:2]:
        documents.append({"case": c["case"],
                          "items": [{"name": d, "originals": doc_counts(d)[0],
                                     "copies": doc_counts(d)[1]} for d in c["items"]]})

    # căn cứ pháp lý
    keys = list(item.get("l") or field.get("l"))
    nlaw = 1 + h("laws", rec["code"]) % 3
    chosen = keys[:nlaw] if len(keys) <= nlaw else [keys[0]] + keys[1:][:nlaw - 1]
    legal = []
    for k in chosen:
        lb = LEGAL[k]
        legal.append({"number": lb["number"], "summary": lb["summary"],
                      "date": lb["date"], "issuer": lb["issuer"]})

    # từ khóa
    kw = []
    for k in list(item.get("k") or []):
        kw.append(k)
    dk = derive_keyword(rec["base"])
    if dk:
        kw.append(dk)
    for k in list(field.get("k") or []):
        kw.append(k)
    if len(field["field"].split()) <= 5:
        kw.append(field["field"].lower())
    out_kw = []
    for k in kw:
        k = k.strip().lower()
        if k and k not in out_kw:
            out_kw.append(k)
    if len(out_kw) < 2:
        out_kw.append(odoc["short"].lower())
    out_kw = out_kw[:5]

    out = {
        "code": rec["code"],
        "name": name,
        "decision": decisions[h("dec", rec["code"]) % len(decisions)],
        "implementing_level": lv,
        "type": item.get("ty") or field.get("ty") or "Thủ tục hành chính",
        "field": field["field"],
        "applicants": list(who),
        "agency": agency,
        "competent_agency": competent,
        "receiving_address": addr,
        "steps": steps,
        "channels": channels,
        "documents": documents,
        "result": result,
        "legal_basis": legal,
    }
    cond = item.get("cond", field.get("cond"))
    if cond:
        out["conditions"] = cond
    out["keywords"] = out_kw
    if rec["related"]:
        out["related"] = rec["related"]
    out["level"] = level
    out["online_class"] = ONLINE_CLASS[level]
    return out


def assign_related(recs):
    by_group, by_field = {}, {}
    for r in recs:
        by_group.setdefault(r["group"], []).append(r)
        by_field.setdefault((r["owner"], id(r["field"])), []).append(r)
    for r in recs:
        want = h("rel", r["code"]) % 4
        cands = [x["code"] for x in by_group[r["group"]] if x is not r]
        flist = by_field[(r["owner"], id(r["field"]))]
        i = flist.index(r)
        for j in (i - 1, i + 1, i - 2, i + 2):
            if 0 <= j < len(flist) and flist[j] is not r and flist[j]["code"] not in cands:
                cands.append(flist[j]["code"])
        r["related"] = cands[:want]


# ---------------------------------------------------------------------------
# Kiểm tra
# ---------------------------------------------------------------------------

REQUIRED = ["code", "name", "decision", "implementing_level", "type", "field", "applicants",
            "agency", "competent_agency", "receiving_address", "steps", "channels", "documents",
            "result", "legal_basis", "level", "online_class"]
ALLOWED = set(REQUIRED) | {"conditions", "keywords", "related"}


def check(content_dir):
    import glob
    files = sorted(glob.glob(os.path.join(content_dir, "portals", "*", "procedures", "*.yaml")))
    recs = []
    problems = []
    for f in files:
        data = load_yaml(f)
        if isinstance(data, dict):
            data = [data]
        for r in data:
            r["_file"] = f
            recs.append(r)
    codes = {}
    levels = {2: 0, 3: 0, 4: 0}
    owners = {}
    for r in recs:
        where = "%s: %s" % (os.path.relpath(r["_file"], content_dir), r.get("code"))
        for k in REQUIRED:
            if k not in r or r[k] in (None, "", []):
                problems.append("%s thiếu trường %s" % (where, k))
        for k in r:
            if k != "_file" and k not in ALLOWED:
                problems.append("%s có trường lạ %s" % (where, k))
        code = r.get("code")
        if not isinstance(code, str) or not re.fullmatch(r"\d\.\d{6}", code):
            problems.append("%s mã sai định dạng" % where)
        if code in codes:
            problems.append("%s mã trùng với %s" % (where, codes[code]))
        codes[code] = where
        lvl = r.get("level")
        if lvl in levels:
            levels[lvl] += 1
        if r.get("online_class") != ONLINE_CLASS.get(lvl):
            problems.append("%s online_class không khớp level" % where)
        if r.get("implementing_level") not in ("province", "district", "commune"):
            problems.append("%s implementing_level sai" % where)
        if not set(r.get("applicants") or []) <= {"citizen", "business", "organisation"}:
            problems.append("%s applicants sai" % where)
        modes = [c.get("mode") for c in r.get("channels") or []]
        if "in_person" not in modes or (lvl in (3, 4)) != ("online" in modes):
            problems.append("%s kênh thực hiện không khớp mức độ" % where)
        for c in r.get("channels") or []:
            if not c.get("time") or not c.get("fee"):
                problems.append("%s kênh thiếu time/fee" % where)
        for g in r.get("documents") or []:
            for it in g.get("items") or []:
                if not it.get("name") or not isinstance(it.get("originals"), int) \
                        or not isinstance(it.get("copies"), int) or "form" in it:
                    problems.append("%s thành phần hồ sơ sai" % where)
        for lb in r.get("legal_basis") or []:
            if set(lb) != {"number", "summary", "date", "issuer"}:
                problems.append("%s căn cứ pháp lý sai" % where)
        if not (3 <= len(r.get("steps") or []) <= 6):
            problems.append("%s số bước ngoài 3-6" % where)
        docs = r.get("documents") or []
        if not (1 <= len(docs) <= 3) or any(not (2 <= len(g.get("items") or []) <= 6) for g in docs):
            problems.append("%s thành phần hồ sơ: cần 1-3 nhóm, mỗi nhóm 2-6 giấy tờ" % where)
        if not (1 <= len(r.get("legal_basis") or []) <= 3):
            problems.append("%s cần 1-3 căn cứ pháp lý" % where)
        if not (2 <= len(r.get("keywords") or []) <= 5):
            problems.append("%s cần 2-5 từ khóa" % where)
        if len(r.get("related") or []) > 3:
            problems.append("%s quá 3 thủ tục liên quan" % where)
        for s in [r.get("name", "")] + list(r.get("steps") or []):
            if s != nfc(s):
                problems.append("%s văn bản chưa chuẩn NFC" % where)
        owners[r["_file"].split(os.sep)[-3]] = owners.get(r["_file"].split(os.sep)[-3], 0) + 1
    for r in recs:
        for c in r.get("related") or []:
            if c not in codes:
                problems.append("%s: %s liên quan đến mã không tồn tại %s" % (r["_file"], r["code"], c))
            if c == r.get("code"):
                problems.append("%s liên quan đến chính nó" % r["code"])
    print("tổng số thủ tục: %d (yêu cầu %d)" % (len(recs), TARGET_TOTAL))
    print("mức độ 4/3/2: %d/%d/%d (yêu cầu %d/%d/%d)" % (
        levels[4], levels[3], levels[2], TARGET_LEVELS[4], TARGET_LEVELS[3], TARGET_LEVELS[2]))
    print("số cổng có thủ tục: %d" % len(owners))
    if len(recs) != TARGET_TOTAL:
        problems.append("tổng số khác %d" % TARGET_TOTAL)
    if any(levels[k] != TARGET_LEVELS[k] for k in levels):
        problems.append("phân bố mức độ sai")
    for p in problems[:50]:
        print("LỖI:", p)
    if problems:
        print("%d lỗi" % len(problems))
        return 1
    print("OK")
    return 0


# ---------------------------------------------------------------------------

LEGAL = {}


class NoAliasDumper(yaml.SafeDumper):
    def ignore_aliases(self, data):
        return True


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--content", default=os.path.join(ROOT, "content"))
    ap.add_argument("--force", action="store_true", help="ghi đè các tệp đã có")
    ap.add_argument("--dry-run", action="store_true", help="không ghi tệp")
    ap.add_argument("--check", action="store_true", help="chỉ kiểm tra các tệp YAML đã có")
    ap.add_argument("--any-count", action="store_true",
                    help="khi đang biên soạn: vẫn sinh dù tổng số chưa đúng %d" % TARGET_TOTAL)
    args = ap.parse_args()

    if args.check:
        sys.exit(check(args.content))

    LEGAL.update(load_yaml(os.path.join(DATA, "_legal.yaml")))
    owner_docs = []
    for fn in sorted(os.listdir(DATA)):
        if fn.endswith(".yaml") and not fn.startswith("_"):
            owner_docs.append(load_yaml(os.path.join(DATA, fn)))
    recs = []
    for od in owner_docs:
        recs += expand(od)

    # tên trùng trong cùng một cơ quan là lỗi biên soạn
    seen = {}
    for r in recs:
        if r["name"] in seen:
            raise SystemExit("tên trùng: %s (%s, %s)" % (r["name"], seen[r["name"]], r["owner"]))
        seen[r["name"]] = r["owner"]
    for r in recs:
        for k in (r["item"].get("l") or r["field"].get("l")):
            if k not in LEGAL:
                raise SystemExit("thiếu văn bản %s trong _legal.yaml" % k)

    per_owner = {}
    for r in recs:
        per_owner[r["owner"]] = per_owner.get(r["owner"], 0) + 1
    pref = {2: 0, 3: 0, 4: 0}
    for r in recs:
        pref[fget(r, "ol", 3)] += 1
    for o in sorted(per_owner):
        print("%-42s %4d" % (o, per_owner[o]))
    print("tổng: %d (cần %d); mức độ mong muốn 4/3/2: %d/%d/%d" % (
        len(recs), TARGET_TOTAL, pref[4], pref[3], pref[2]))
    if len(recs) != TARGET_TOTAL:
        print("số lượng chưa khớp: điều chỉnh dữ liệu trong tools/procedures/")
        if not (args.dry_run or args.any_count):
            sys.exit(1)

    assign_codes(recs)
    assign_levels(recs)
    assign_related(recs)

    files = {}
    for r in recs:
        decisions = decisions_for(r["owner"], r["field"]["field"])
        rec = build(r, decisions)
        key = (r["owner"], r["field"]["file"])
        files.setdefault(key, {"field": r["field"]["field"], "agency": r["odoc"]["agency"],
                               "recs": []})["recs"].append(rec)

    if args.dry_run:
        return
    for (owner, fname), f in sorted(files.items()):
        path = os.path.join(args.content, "portals", owner, "procedures", fname + ".yaml")
        if os.path.exists(path) and not args.force:
            raise SystemExit("%s đã tồn tại; dùng --force để ghi đè" % path)
    for (owner, fname), f in sorted(files.items()):
        d = os.path.join(args.content, "portals", owner, "procedures")
        os.makedirs(d, exist_ok=True)
        path = os.path.join(d, fname + ".yaml")
        body = yaml.dump(f["recs"], Dumper=NoAliasDumper, allow_unicode=True,
                         sort_keys=False, width=4096, default_flow_style=False)
        head = "# Thủ tục hành chính lĩnh vực %s do %s quản lý (%d thủ tục).\n" % (
            f["field"], f["agency"], len(f["recs"]))
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(nfc(head + body))
    print("đã ghi %d tệp" % len(files))


if __name__ == "__main__":
    main()
