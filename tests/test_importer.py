"""CSV import: the CFPB preset on the real extract, mapping files, encodings and re-imports."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from addin.core.errors import EXIT_REFUSED, Refusal
from addin.core.fields import match_headers
from addin.core.text import Lang
from addin.importer import (
    CsvError,
    MappingError,
    detect_encoding,
    load_mapping,
    map_rows,
    new_rows,
    parse_mapping,
    presets,
    read_csv,
)

ROOT = Path(__file__).resolve().parents[1]
CFPB_CSV = ROOT.parent / "shared" / "data" / "cfpb_complaints_sample.csv"
EXAMPLE_MAPPING = ROOT / "docs" / "examples" / "mapping-example.json"


@pytest.fixture(scope="module")
def cfpb_source() -> pd.DataFrame:
    if not CFPB_CSV.is_file():
        pytest.skip("the CFPB extract is not available next to the project")
    return read_csv(CFPB_CSV)


@pytest.fixture(scope="module")
def cfpb_rows(cfpb_source) -> pd.DataFrame:
    return map_rows(cfpb_source, load_mapping("cfpb"), "en")


@pytest.fixture(scope="module")
def cfpb_rows_in_chinese(cfpb_source) -> pd.DataFrame:
    return map_rows(cfpb_source, load_mapping("cfpb"), "zh-CN")


MARKETPLACE_HEADER = ["工单编号", "投诉时间", "客户姓名", "手机号码", "邮箱", "投诉渠道",
                      "商品名称", "规格", "订单编号", "问题描述", "客户诉求", "处理状态", "客服",
                      "完结时间", "处理结果", "店铺"]
MARKETPLACE_ROWS = [
    ["GD240001", "2026/3/18 14:30", "张伟", "13812345678", "", "热线", "滚筒洗衣机", "10公斤",
     "SO2026031801", "洗衣机漏水，\n地板都泡了", "更换新机", "处理中", "刘强", "", "", "旗舰店"],
    ["GD240002", "2026年3月19日", "李娜", "", "lina@example.cn", "12315平台", "冰箱", "",
     "", "快递员态度很差", "道歉", "已完结", "何娜", "2026-03-21 10:00", "已致歉并补偿", "旗舰店"],
    ["GD240003", "下周二", "王芳", "13900001111", "", "微博私信", "电视", "65英寸",
     "SO2026031903", "价格比别家贵", "", "待处理", "", "", "", "专营店"],
    ["GD240004", "2026-03-20", "赵敏", "", "", "", "空调", "1.5匹", "", "保修期内收上门费",
     "", "待买家回复", "郭峰", "", "", "专营店"],
]


@pytest.fixture
def gb18030_export(tmp_path) -> Path:
    """A marketplace ticket export with Chinese headers, saved in GB18030 as such tools do."""
    frame = pd.DataFrame(MARKETPLACE_ROWS, columns=MARKETPLACE_HEADER)
    path = tmp_path / "工单导出.csv"
    path.write_bytes(frame.to_csv(index=False).encode("gb18030"))
    return path


def write_mapping(tmp_path: Path, data: object, name: str = "my-mapping.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


# --- the CFPB preset on the real extract ---------------------------------------------------------

def test_cfpb_preset_is_built_in():
    assert "cfpb" in presets()
    assert load_mapping("CFPB").name == "cfpb"


def test_every_cfpb_row_is_mapped(cfpb_source, cfpb_rows):
    assert len(cfpb_source) == 6623
    assert len(cfpb_rows) == 6623
    assert list(cfpb_rows.index) == list(cfpb_source.index)


def test_cfpb_columns_are_the_whole_card_then_source_ref_then_kept(cfpb_rows):
    assert list(cfpb_rows.columns) == [
        "case_no", "received_at", "channel", "customer_name", "customer_type", "phone", "email",
        "product", "order_ref", "description", "request", "category", "severity", "urgency",
        "department", "handler", "assigned_at", "status", "reject_reason", "acknowledged_at",
        "investigated_at", "resolved_at", "root_cause", "root_cause_type", "solution", "remedy",
        "compensation", "approved_by", "approved_at", "outcome", "informed_at", "satisfaction",
        "follow_up_at", "follow_up_method", "follow_up_result", "closed_at", "notes", "source_ref",
        "Submitted via", "Timely response?", "Consumer disputed?"]


@pytest.mark.parametrize("unmapped", ["case_no", "phone", "email", "request", "category",
                                      "department", "handler", "resolved_at", "satisfaction"])
def test_cfpb_leaves_what_the_source_does_not_say_empty(cfpb_rows, unmapped):
    assert all(v is None for v in cfpb_rows[unmapped])


def test_cfpb_status_follows_the_company_response(cfpb_rows):
    assert cfpb_rows["status"].value_counts().to_dict() == {
        "Closed": 6551, "Acknowledged": 37, "In progress": 35}


def test_cfpb_complaints_all_come_through_the_regulator(cfpb_rows, cfpb_rows_in_chinese):
    assert set(cfpb_rows["channel"]) == {"Regulator referral"}
    assert set(cfpb_rows_in_chinese["channel"]) == {"监管转办"}


def test_cfpb_dates_are_datetimes_and_resolution_is_not_invented(cfpb_rows):
    received = cfpb_rows["received_at"]
    assert all(type(v) is dt.datetime for v in received)
    assert received.min() == dt.datetime(2015, 4, 6) and received.max() == dt.datetime(2020, 3, 19)
    assert (cfpb_rows["acknowledged_at"] >= received).all()


def test_cfpb_descriptions_use_the_narrative_or_the_issue(cfpb_source, cfpb_rows):
    assert cfpb_rows["description"].notna().all()
    narrative = cfpb_source["Consumer complaint narrative"].str.strip() != ""
    assert narrative.sum() == 1532
    assert (cfpb_rows.loc[narrative, "description"]
            == cfpb_source.loc[narrative, "Consumer complaint narrative"].str.strip()).all()
    assert cfpb_rows.loc[1, "description"].count("\n") == 1  # embedded newline kept
    assert cfpb_rows.loc[0, "description"] == (
        "Incorrect information on your report / Information belongs to someone else")


def test_cfpb_first_row_reads_as_expected(cfpb_rows):
    first = cfpb_rows.loc[0]
    assert first["customer_name"] == "CFPB consumer #3571115"
    assert first["product"] == ("Credit reporting, credit repair services, or other personal "
                                "consumer reports / Credit reporting")
    assert first["solution"] == ("Closed with explanation; Company has responded to the consumer "
                                 "and the CFPB and chooses not to provide a public response")
    assert first["notes"] == "Company: TRANSUNION INTERMEDIATE HOLDINGS, INC.; State: FL"
    assert first["source_ref"] == "CFPB-3571115"
    assert first["Submitted via"] == "Web"


def test_cfpb_in_chinese_labels_lists_and_notes(cfpb_rows_in_chinese):
    first = cfpb_rows_in_chinese.loc[0]
    assert first["status"] == "已结案"
    assert first["customer_name"] == "CFPB 消费者 #3571115"
    assert first["notes"] == "被投诉公司：TRANSUNION INTERMEDIATE HOLDINGS, INC.；州：FL"


def test_cfpb_product_without_sub_product_has_no_dangling_separator(cfpb_source, cfpb_rows):
    alone = cfpb_source["Sub-product"] == ""
    assert alone.sum() == 6
    assert (cfpb_rows.loc[alone, "product"] == cfpb_source.loc[alone, "Product"]).all()


def test_cfpb_solution_only_on_closed_cases(cfpb_rows):
    closed = cfpb_rows["status"] == "Closed"
    assert cfpb_rows.loc[closed, "solution"].notna().all()
    assert all(v is None for v in cfpb_rows.loc[~closed, "solution"])  # None, never NaN
    assert all(dtype.kind == "O" for dtype in cfpb_rows.dtypes)


def test_cfpb_kept_columns_hold_the_source_values(cfpb_rows):
    assert cfpb_rows["Submitted via"].value_counts().to_dict() == {
        "Web": 5143, "Referral": 627, "Phone": 482, "Postal mail": 267, "Fax": 102, "Email": 2}
    assert (cfpb_rows["Timely response?"] == "No").sum() == 94
    assert match_headers(["Submitted via", "Timely response?", "Consumer disputed?"]) == {}


def test_importing_the_same_file_twice_adds_nothing(cfpb_rows):
    first = new_rows(cfpb_rows, set())
    assert len(first) == 6623 and first["source_ref"].is_unique
    assert len(new_rows(cfpb_rows, set(first["source_ref"]))) == 0


def test_a_partly_imported_file_adds_only_the_rest(cfpb_rows):
    already = set(cfpb_rows["source_ref"].iloc[:1000])
    rest = new_rows(cfpb_rows, already | {"TS-202401-0001", None})
    assert len(rest) == 5623
    assert list(rest.index) == list(range(1000, 6623))


def test_duplicates_within_a_file_import_once():
    mapped = pd.DataFrame({"description": ["a", "b", "a again"],
                           "source_ref": ["X-1", "X-2", "X-1"]})
    assert list(new_rows(mapped, set())["description"]) == ["a", "b"]


# --- a mapping file with Chinese columns, in GB18030 ---------------------------------------------

def test_gb18030_export_is_detected_and_read(gb18030_export):
    assert detect_encoding(gb18030_export.read_bytes()) == "gb18030"
    source = read_csv(gb18030_export)
    assert list(source.columns) == MARKETPLACE_HEADER
    assert source.loc[0, "问题描述"] == "洗衣机漏水，\n地板都泡了"
    assert source.loc[1, "手机号码"] == ""


def test_example_mapping_file_maps_the_chinese_export(gb18030_export):
    mapped = map_rows(read_csv(gb18030_export), load_mapping(str(EXAMPLE_MAPPING)), "zh-CN")
    rows = mapped.to_dict("records")
    assert rows[0]["received_at"] == dt.datetime(2026, 3, 18, 14, 30)
    assert rows[1]["received_at"] == dt.datetime(2026, 3, 19)
    assert rows[2]["received_at"] == "下周二"  # left for the checks to report at its cell
    assert [r["channel"] for r in rows] == ["电话", "监管转办", "社交媒体", "其他"]
    assert [r["status"] for r in rows] == ["处理中", "已结案", "新建", "待客户回复"]
    assert [r["product"] for r in rows] == ["滚筒洗衣机 10公斤", "冰箱", "电视 65英寸",
                                            "空调 1.5匹"]
    assert rows[0]["phone"] == "13812345678" and rows[0]["email"] is None
    assert rows[1]["resolved_at"] == dt.datetime(2026, 3, 21, 10)
    assert rows[1]["solution"] == "已致歉并补偿"
    assert rows[3]["handler"] == "郭峰" and rows[2]["handler"] is None
    assert [r["source_ref"] for r in rows] == ["GD-GD240001", "GD-GD240002", "GD-GD240003",
                                               "GD-GD240004"]
    assert [r["店铺"] for r in rows] == ["旗舰店", "旗舰店", "专营店", "专营店"]


def test_example_mapping_in_english_labels_lists_in_english(gb18030_export):
    mapped = map_rows(read_csv(gb18030_export), load_mapping(str(EXAMPLE_MAPPING)), "en")
    assert list(mapped["status"]) == ["In progress", "Closed", "New", "Waiting on customer"]


@pytest.mark.parametrize(("encoding", "expected"), [
    ("utf-8", "utf-8"),
    ("utf-8-sig", "utf-8-sig"),
    ("gb18030", "gb18030"),
    ("gbk", "gb18030"),
    ("utf-16", "utf-16"),
])
def test_encodings_are_detected(tmp_path, encoding, expected):
    path = tmp_path / "export.csv"
    path.write_bytes("编号,问题描述\n1,冰箱漏水\n2,快递太慢了\n".encode(encoding))
    assert detect_encoding(path.read_bytes()) == expected
    assert read_csv(path).to_dict("list") == {"编号": ["1", "2"],
                                              "问题描述": ["冰箱漏水", "快递太慢了"]}


def test_traditional_chinese_big5_is_detected(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes("案號,問題描述\nA1,冷氣機漏水，品質很差\nA2,送貨太慢\n".encode("big5"))
    assert read_csv(path)["問題描述"].tolist() == ["冷氣機漏水，品質很差", "送貨太慢"]


def test_an_explicit_encoding_is_used_as_given(gb18030_export):
    assert read_csv(gb18030_export, encoding="gb18030").shape == (4, 16)


def test_tab_separated_exports_are_read(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("编号\t问题描述\n1\t冰箱漏水, 很严重\n", encoding="utf-8")
    assert read_csv(path).to_dict("list") == {"编号": ["1"], "问题描述": ["冰箱漏水, 很严重"]}


def test_every_column_stays_text(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("id,phone,score\n007,013812345678,5\n008,,NA\n", encoding="utf-8")
    source = read_csv(path)
    assert source.to_dict("list") == {"id": ["007", "008"], "phone": ["013812345678", ""],
                                      "score": ["5", "NA"]}


# --- files that cannot be read -------------------------------------------------------------------

def test_missing_csv_is_named(tmp_path):
    with pytest.raises(CsvError, match=r"nope\.csv: cannot be read \(No such file or directory\)"):
        read_csv(tmp_path / "nope.csv")


def test_workbook_given_as_csv_is_refused(tmp_path):
    path = tmp_path / "complaints.csv"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(CsvError) as err:
        read_csv(path)
    assert err.value.text(Lang.EN) == (f"{path}: is an Excel workbook or zip file, not a CSV "
                                       "file. Save it as CSV in Excel (File > Save As) and "
                                       "import that file.")
    assert err.value.text(Lang.ZH) == (f"{path}：是 Excel 工作簿或 zip 文件，不是 CSV 文件。"
                                       "请在 Excel 中另存为 CSV（文件 > 另存为）后导入该文件。")


def test_empty_csv_is_refused(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"\n\n")
    with pytest.raises(CsvError) as err:
        read_csv(path)
    assert err.value.text(Lang.EN) == (f"{path}: the file is empty. Export the complaints "
                                       "again and import that file.")
    assert err.value.text(Lang.ZH) == f"{path}：文件是空的。请重新导出投诉数据后导入新文件。"


def test_wrong_explicit_encoding_says_how_to_fix_it(gb18030_export):
    with pytest.raises(CsvError) as err:
        read_csv(gb18030_export, encoding="utf-8")
    at = re.search(r"at byte (\d+)", err.value.text(Lang.EN)).group(1)
    assert err.value.text(Lang.EN) == (
        f"{gb18030_export}: cannot be read as utf-8 at byte {at}; name the file's encoding (for "
        "example utf-8, gb18030 or big5) with --encoding.")
    assert err.value.text(Lang.ZH) == (
        f"{gb18030_export}：无法按 utf-8 读取（第 {at} 字节处）；请用 --encoding 写出文件的编码"
        "（例如 utf-8、gb18030 或 big5）。")


def test_unknown_encoding_name_is_named(gb18030_export):
    with pytest.raises(CsvError, match="unknown encoding 'klingon'"):
        read_csv(gb18030_export, encoding="klingon")


# --- mapping files that cannot be used ------------------------------------------------------------

GOOD = {"fields": {"description": "Text"}}


@pytest.mark.parametrize(("data", "message"), [
    ('{"fields": {"description": "Text",}}',
     "not valid JSON (line 1, column 35: Expecting property name enclosed in double quotes)"),
    ("[1, 2]", "the mapping must be a JSON object {...}"),
    ({"fields": {}}, '"fields" must be an object naming at least one card field'),
    ({"fields": {"descripton": "Text"}},
     "fields: 'descripton' is not a card field; card fields: case_no, received_at,"),
    ({"fields": {"due_at": "Due"}},
     "fields: 'due_at' is written by the add-in and cannot be imported"),
    ({"fields": {"description": {"column": "A", "value": "B"}}},
     "fields.description: give exactly one of column, columns, template, value, first"),
    ({"fields": {"description": {"colum": "A"}}}, "fields.description: unknown key(s) 'colum'"),
    ({"fields": {"description": {"columns": []}}},
     "fields.description.columns: expected a non-empty list"),
    ({"fields": {"description": 5}}, "fields.description: expected a column name or an object"),
    ({**GOOD, "date_order": "YDM"}, '"date_order" must be YMD, DMY or MDY, not \'YDM\''),
    ({**GOOD, "dedupe": ["ID"]}, "unknown key(s) 'dedupe'; known: date_order, dedupe_key,"),
    ({**GOOD, "dedupe_key": "order_ref"},
     '"dedupe_key": the field \'order_ref\' is not mapped in "fields"'),
    ({**GOOD, "keep": ["Date received"]},
     "\"keep\": 'Date received' would be read as the card's Received column; keep it under "
     'another name with {"column": "Date received", "as": "..."}'),
    ({"fields": {"description": "Text", "source_ref": "ID"}},
     '"source_ref" is made from "dedupe_key" and "source_ref_prefix"; remove it from fields'),
    ({"fields": {"solution": {"column": "S", "when": {"status": ["Closed"]}}}},
     "fields.solution.when: 'status' must be a mapped field without a condition of its own"),
])
def test_bad_mapping_file_is_refused_naming_the_file(tmp_path, data, message):
    path = write_mapping(tmp_path, data)
    with pytest.raises(MappingError) as err:
        load_mapping(str(path))
    assert str(err.value).startswith(f"{path}: {message}")


def test_unknown_mapping_name_lists_the_presets(tmp_path):
    with pytest.raises(MappingError) as err:
        load_mapping(str(tmp_path / "missing.json"))
    missing = tmp_path / "missing.json"
    assert err.value.text(Lang.EN) == (f"{missing}: no such mapping file, and no preset of that "
                                       "name (presets: cfpb). Give the path of a mapping file or "
                                       "a preset's name.")
    assert err.value.text(Lang.ZH) == (f"{missing}：没有这个映射文件，也没有同名的预设"
                                       "（预设：cfpb）。请给出映射文件的路径或预设名称。")


def test_mapping_and_csv_errors_are_refusals_the_user_fixes():
    with pytest.raises(Refusal, match="^inline: ") as err:
        parse_mapping("{}", "inline")
    assert err.value.status == EXIT_REFUSED
    assert err.value.text(Lang.ZH).startswith("inline：映射有误（")
    assert err.value.text(Lang.ZH).endswith("）。请修改映射文件后重新运行。")
    assert issubclass(CsvError, Refusal)


def test_csv_lacking_the_mapped_columns_names_them(tmp_path, gb18030_export):
    with pytest.raises(MappingError) as err:
        map_rows(read_csv(gb18030_export), load_mapping("cfpb"), "en")
    message = err.value.text(Lang.EN)
    assert message.startswith("cfpb.json: the CSV has no column Company, Company public response,")
    assert message.endswith("(its columns: " + ", ".join(MARKETPLACE_HEADER) + "). Name the "
                            "CSV's own columns in the mapping, or import the CSV the mapping was "
                            "written for.")
    assert err.value.text(Lang.ZH).endswith(
        "（现有列：" + ", ".join(MARKETPLACE_HEADER) + "）。请在映射中写出 CSV 文件实际的列名，"
        "或改用与映射相符的 CSV 文件。")


# --- how sources and modifiers work ---------------------------------------------------------------

def mapped(fields: dict, rows: dict, **extra) -> pd.DataFrame:
    mapping = parse_mapping(json.dumps({"fields": fields, **extra}), "test.json")
    return map_rows(pd.DataFrame(rows, dtype=str), mapping, extra.pop("lang", "en"))


@pytest.mark.parametrize(("text", "order", "expected"), [
    ("2026/3/18", "YMD", dt.datetime(2026, 3, 18)),
    ("2026-03-18 14:30", "YMD", dt.datetime(2026, 3, 18, 14, 30)),
    ("2026-03-18T14:30:05", "YMD", dt.datetime(2026, 3, 18, 14, 30, 5)),
    ("2026年3月18日", "YMD", dt.datetime(2026, 3, 18)),
    ("2026.3.18", "YMD", dt.datetime(2026, 3, 18)),
    ("18/03/2026", "DMY", dt.datetime(2026, 3, 18)),
    ("03/04/2026 9:05", "DMY", dt.datetime(2026, 4, 3, 9, 5)),
    ("03/04/2026", "MDY", dt.datetime(2026, 3, 4)),
    ("2026/3/18", "MDY", dt.datetime(2026, 3, 18)),  # year first is never ambiguous
    ("18/03/2026", "YMD", "18/03/2026"),  # no order given: kept as typed for the checks
    ("next Tuesday", "YMD", "next Tuesday"),
    ("  ", "YMD", None),
])
def test_dates_are_read_in_the_mappings_order(text, order, expected):
    out = mapped({"received_at": "When"}, {"When": [text]}, date_order=order)
    assert out.loc[0, "received_at"] == expected


@pytest.mark.parametrize(("spec", "expected"), [
    ({"values": {"closed*": "Closed"}}, ["Closed", "Closed", "In progress", None]),
    ({"values": {"CLOSED WITH EXPLANATION": "Resolved"}},
     ["Resolved", "Closed with relief", "In progress", None]),
    ({"default": "New"}, ["Closed with explanation", "Closed with relief", "In progress", "New"]),
])
def test_values_translate_case_insensitively_with_prefixes_and_defaults(spec, expected):
    out = mapped({"status": {"column": "R", **spec}},
                 {"R": ["Closed with explanation", "Closed with relief", "In progress", ""]})
    assert list(out["status"]) == expected


def test_first_template_and_join_skip_empty_values():
    out = mapped({
        "description": {"first": ["Narrative", {"columns": ["Issue", "Sub"], "join": " / "}]},
        "customer_name": {"template": "Consumer #{ID}"},
        "notes": {"columns": [{"template": "Company: {Co}"}, {"template": "State: {St}"}],
                  "join": "; "}},
        {"Narrative": ["It broke", "", ""], "Issue": ["X", "Y", ""], "Sub": ["x", "", ""],
         "ID": ["1", "2", ""], "Co": ["ACME", "", ""], "St": ["", "TX", ""]})
    assert list(out["description"]) == ["It broke", "Y", None]
    assert list(out["customer_name"]) == ["Consumer #1", "Consumer #2", None]
    assert list(out["notes"]) == ["Company: ACME", "State: TX", None]


def test_satisfaction_becomes_a_whole_number_and_other_text_stays():
    out = mapped({"satisfaction": "Score"}, {"Score": ["5", "4.0", "good", ""]})
    assert list(out["satisfaction"]) == [5, 4, "good", None]


def test_rows_without_a_key_are_known_by_their_content():
    rows = {"Text": ["leak", "late", "leak"], "Other": ["a", "b", "a"]}
    first, again = mapped({"description": "Text"}, rows), mapped({"description": "Text"}, rows)
    assert list(first["source_ref"]) == list(again["source_ref"])
    assert first["source_ref"][0] == first["source_ref"][2] != first["source_ref"][1]
    assert first["source_ref"][0].startswith("row-")
    assert len(new_rows(first, set())) == 2


def test_dedupe_key_may_be_a_mapped_field():
    out = mapped({"order_ref": "Order", "description": "Text"},
                 {"Order": ["SO1", "SO2"], "Text": ["a", "b"]},
                 dedupe_key="order_ref", source_ref_prefix="SHOP-")
    assert list(out["source_ref"]) == ["SHOP-SO1", "SHOP-SO2"]


def test_headers_match_tolerantly():
    out = mapped({"description": "Problem Text"}, {" problem  text ": ["leak"]})
    assert list(out["description"]) == ["leak"]


def test_cfpb_rows_through_the_pipeline_report_only_what_the_source_lacks(cfpb_rows):
    from addin.core.fields import BY_KEY
    from addin.core.pipeline import process
    from addin.core.register import Register

    headers = [BY_KEY[c].en if c in BY_KEY else c for c in cfpb_rows.columns]
    register = Register.from_values("Complaints", 1, 1, headers, cfpb_rows.values.tolist())
    outcome = process(register, {}, dt.date(2026, 3, 20))
    counts: dict[tuple[str, str | None], int] = {}
    for item in outcome.findings:
        counts[item.code, item.field] = counts.get((item.code, item.field), 0) + 1
    # No contact findings (the regulator keeps those details), no date or list problems. What a
    # closed case must record that the export does not carry (the handler, the resolution date,
    # each stage of the handling process) is reported, on each of the 6,551 closed cases.
    closed = 6551
    assert {k: v for k, v in counts.items() if k[0] not in ("repeat-complaint",
                                                            "escalate-proposed")} == {
        ("required-when-done", "resolved_at"): closed,
        ("required-when-started", "handler"): 6586,
        ("stage-missing", "assigned_at"): 6586,
        **{("stage-missing", key): closed for key in (
            "closed_at", "follow_up_at", "informed_at", "remedy", "root_cause_type")},
    }


def test_a_csv_with_only_headers_imports_nothing(tmp_path, cfpb_source):
    path = tmp_path / "header-only.csv"
    path.write_text(",".join(cfpb_source.columns) + "\n", encoding="utf-8")
    out = map_rows(read_csv(path), load_mapping("cfpb"), "en")
    assert out.shape == (0, 41)
    assert len(new_rows(out, set())) == 0
