"""The checks of the register: canonical values, numberable rows and findings at their cells.

Every register here has the columns of ``KEYS`` in that order, so a column letter names a field:
A case_no, B received_at, C channel, D customer_name, E customer_type, F phone, G email,
H description, I category, J severity, K urgency, L handler, M status, N acknowledged_at,
O resolved_at, P solution, Q satisfaction, R follow_up_at. The first row of data is Excel row 2.
"""

import ast
import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from addin.core.fields import BY_KEY
from addin.core.register import Register
from addin.core.settings import Config, Settings
from addin.core.validate import Checked, is_empty, validate
from addin.core.vocab import DEFAULT_LISTS, Vocabulary, default_lists

TODAY = dt.date(2026, 3, 20)
T = pd.Timestamp
KEYS = ("case_no", "received_at", "channel", "customer_name", "customer_type", "phone", "email",
        "description", "category", "severity", "urgency", "handler", "status", "acknowledged_at",
        "resolved_at", "solution", "satisfaction", "follow_up_at")
FRAME_COLUMNS = ["received_at", "acknowledged_at", "resolved_at", "follow_up_at", "channel",
                 "customer_type", "category", "severity", "urgency", "status", "satisfaction",
                 "phone_key", "email_key", "customer_name", "description", "handler", "solution",
                 # the handling process's dates, lists and amount
                 "assigned_at", "investigated_at", "approved_at", "informed_at", "closed_at",
                 "root_cause_type", "remedy", "follow_up_method", "follow_up_result",
                 "compensation"]

# A new complaint that passes every check, in each language.
NEW_EN = {"received_at": "2026-03-10 09:30", "channel": "Phone", "customer_name": "Zhang San",
          "phone": "138 1234 5678", "description": "The kettle leaks", "status": "New"}
NEW_ZH = {"received_at": "2026年3月10日 09:30", "channel": "电话", "customer_name": "张三",
          "phone": "138 1234 5678", "description": "水壶漏水", "status": "新建"}
# A closed complaint with everything closing needs.
CLOSED_EN = {**NEW_EN, "status": "Closed", "handler": "Amy", "acknowledged_at": "2026-03-10 11:00",
             "resolved_at": "2026-03-12", "solution": "Replaced the kettle"}


def make_register(rows, lang="en", keys=KEYS, sheet="Complaints"):
    headers = [BY_KEY[key].header(lang) for key in keys]
    values = [[row.get(key) for key in keys] for row in rows]
    return Register.from_values(sheet, 1, 1, headers, values)


@pytest.fixture
def english_sheet():
    return lambda *rows, **kw: make_register(rows, "en", **kw)


@pytest.fixture
def chinese_sheet():
    return lambda *rows, **kw: make_register(rows, "zh-CN", **kw)


def check(register, config=None, today=TODAY):
    return validate(register, config or Config(), today)


def codes_and_cells(findings):
    return [(f.code, f.cell) for f in findings]


# ----------------------------------------------------------------------------- clean rows


def test_clean_row_has_no_findings_and_canonical_values(english_sheet):
    checked, findings = check(english_sheet(NEW_EN))
    assert findings == []
    assert isinstance(checked, Checked)
    assert checked.numberable.tolist() == [True]
    row = checked.frame.loc[2]
    assert row["received_at"] == T("2026-03-10 09:30")
    assert (row["channel"], row["status"], row["customer_type"]) == ("Phone", "New", None)
    assert (row["phone_key"], row["email_key"]) == ("13812345678", None)
    assert (row["customer_name"], row["description"]) == ("Zhang San", "The kettle leaks")
    assert (row["handler"], row["solution"]) == (None, None)
    assert np.isnan(row["satisfaction"])
    assert pd.isna(row["resolved_at"])


def test_chinese_sheet_gives_the_same_canonical_values(chinese_sheet):
    checked, findings = check(chinese_sheet({**NEW_ZH, "email": " Zhang@Example.COM "}))
    assert findings == []
    row = checked.frame.loc[2]
    assert (row["channel"], row["status"]) == ("Phone", "New")
    assert row["received_at"] == T("2026-03-10 09:30")
    assert row["email_key"] == "zhang@example.com"


def test_frame_has_the_documented_columns_and_types(english_sheet):
    checked, _ = check(english_sheet(CLOSED_EN, {**NEW_EN, "satisfaction": "x"}))
    frame = checked.frame
    assert sorted(frame.columns) == sorted(FRAME_COLUMNS)
    assert list(frame.index) == [2, 3]
    for key in ("received_at", "acknowledged_at", "resolved_at", "follow_up_at", "closed_at"):
        assert frame[key].dtype == "datetime64[ns]"
    assert frame["satisfaction"].dtype == "float64"
    assert frame["compensation"].dtype == "float64"
    assert checked.numberable.dtype == bool
    # Missing text is None, never NaN.
    assert frame.loc[3, "solution"] is None
    assert frame.loc[2, "email_key"] is None


def test_closed_case_is_clean(english_sheet):
    checked, findings = check(english_sheet({**CLOSED_EN, "satisfaction": 5}))
    assert findings == []
    assert checked.frame.loc[2, "satisfaction"] == 5.0
    assert checked.frame.loc[2, "status"] == "Closed"


# ----------------------------------------------------------------------------- one finding each


@pytest.mark.parametrize(("change", "code", "cell"), [
    ({"received_at": None}, "required", "Complaints!B2"),
    ({"channel": "   "}, "required", "Complaints!C2"),
    ({"customer_name": ""}, "required", "Complaints!D2"),
    ({"description": None}, "required", "Complaints!H2"),
    ({"status": None}, "required", "Complaints!M2"),
    ({"status": "In progress"}, "required-when-started", "Complaints!L2"),
    ({"status": "Reopened", "handler": " "}, "required-when-started", "Complaints!L2"),
    ({**CLOSED_EN, "resolved_at": None}, "required-when-done", "Complaints!O2"),
    ({**CLOSED_EN, "solution": ""}, "required-when-done", "Complaints!P2"),
    ({"phone": None}, "contact-missing", "Complaints!F2"),
    ({"received_at": "2026-13-01"}, "not-a-date", "Complaints!B2"),
    ({"acknowledged_at": "soon"}, "not-a-date", "Complaints!N2"),
    ({**CLOSED_EN, "resolved_at": True}, "not-a-date", "Complaints!O2"),
    ({"follow_up_at": "next week"}, "not-a-date", "Complaints!R2"),
    ({"received_at": "2026-03-21"}, "date-in-future", "Complaints!B2"),
    ({"acknowledged_at": "2026-03-21 08:00", "received_at": "2026-03-10"},
     "date-in-future", "Complaints!N2"),
    ({**CLOSED_EN, "resolved_at": dt.datetime(2026, 4, 1)}, "date-in-future", "Complaints!O2"),
    ({"acknowledged_at": "2026-03-09"}, "date-order", "Complaints!N2"),
    ({**CLOSED_EN, "resolved_at": "2026-03-10 09:00"}, "date-order", "Complaints!O2"),
    ({"channel": "Fax"}, "not-in-list", "Complaints!C2"),
    ({"customer_type": "Gold"}, "not-in-list", "Complaints!E2"),
    ({"category": "Noise"}, "not-in-list", "Complaints!I2"),
    ({"severity": "Huge"}, "not-in-list", "Complaints!J2"),
    ({"urgency": 3}, "not-in-list", "Complaints!K2"),
    ({"status": "Pending"}, "not-in-list", "Complaints!M2"),
    ({"phone": "12345"}, "bad-phone", "Complaints!F2"),
    ({"phone": "138-1234-567a"}, "bad-phone", "Complaints!F2"),
    ({"phone": "1381234567812345"}, "bad-phone", "Complaints!F2"),
    ({"phone": "call after 6pm"}, "bad-phone", "Complaints!F2"),
    ({"email": "zhang@example"}, "bad-email", "Complaints!G2"),
    ({"email": "zhang san@example.com"}, "bad-email", "Complaints!G2"),
    ({"email": "zhang@@example.com"}, "bad-email", "Complaints!G2"),
    ({"email": "zhang.example.com"}, "bad-email", "Complaints!G2"),
    ({**CLOSED_EN, "satisfaction": 6}, "satisfaction-range", "Complaints!Q2"),
    ({**CLOSED_EN, "satisfaction": 0}, "satisfaction-range", "Complaints!Q2"),
    ({**CLOSED_EN, "satisfaction": 4.5}, "satisfaction-range", "Complaints!Q2"),
    ({**CLOSED_EN, "satisfaction": "good"}, "satisfaction-range", "Complaints!Q2"),
    ({**CLOSED_EN, "satisfaction": True}, "satisfaction-range", "Complaints!Q2"),
    ({"satisfaction": 4}, "satisfaction-open", "Complaints!Q2"),
])
def test_each_problem_is_one_finding_at_its_cell(english_sheet, change, code, cell):
    _, findings = check(english_sheet({**NEW_EN, **change}))
    assert codes_and_cells(findings) == [(code, cell)]
    assert findings[0].row == 2
    assert findings[0].field == KEYS[ord(cell[-2]) - ord("A")]


@pytest.mark.parametrize("change", [
    {"phone": "+86 138-1234-5678"},
    {"phone": "(010) 6552 1234"},
    {"phone": "010-65521234 ext 12"},
    {"phone": "010-65521234 x12"},
    {"phone": "010-65521234转8"},
    {"phone": "010-65521234 分机 8"},
    {"phone": 13812345678},
    {"phone": 13812345678.0},
    {"phone": "１３８ １２３４ ５６７８"},
    {"phone": None, "email": "Zhang.San@Example.COM"},
    {"phone": None, "email": "ｚｈａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ"},
    {"phone": None, "email": None, "channel": "Regulator referral"},
    {"phone": None, "email": None, "channel": "监管转办"},
    {"channel": "电话", "status": "新建"},
    {"channel": " phone ", "status": "NEW"},
    {"channel": "Ｐｈｏｎｅ"},
    {"customer_type": "VIP客户", "category": "Delivery", "severity": "重大", "urgency": "Planned"},
    {"received_at": dt.datetime(2026, 3, 10, 9, 30)},
    {"received_at": 46091.395833333336},
    {"received_at": "2026年3月20日 23:59"},  # later today is not the future
    {"received_at": "2026/3/10"},
    {"acknowledged_at": "2026-03-10"},  # no time: the received day itself is fine
    {"received_at": "2026-03-10", "acknowledged_at": "2026-03-10 08:00"},
    {"follow_up_at": "2026-04-30"},  # a follow-up may be planned ahead
    {"status": "In progress", "handler": "Amy", "satisfaction": None},
    {**CLOSED_EN, "satisfaction": 4},
    {**CLOSED_EN, "satisfaction": 4.0},
    {**CLOSED_EN, "satisfaction": "4"},
    {**CLOSED_EN, "satisfaction": "４"},
    {**CLOSED_EN, "satisfaction": " 5.0 "},
    {**CLOSED_EN, "status": "已解决", "satisfaction": 1},
])
def test_acceptable_values_give_no_findings(english_sheet, change):
    checked, findings = check(english_sheet({**NEW_EN, **change}))
    assert codes_and_cells(findings) == []
    assert checked.numberable.tolist() == [True]


@pytest.mark.parametrize(("phone", "key"), [
    ("+86 138-1234-5678", "8613812345678"),
    ("010-65521234 ext 12", "01065521234"),
    (13812345678.0, "13812345678"),
    ("１３８ １２３４ ５６７８", "13812345678"),
    ("12345", "12345"),
    ("call me", None),
    (None, None),
])
def test_phone_key_is_the_digits_of_the_number(english_sheet, phone, key):
    checked, _ = check(english_sheet({**NEW_EN, "phone": phone, "email": "a@b.cn"}))
    assert checked.frame.loc[2, "phone_key"] == key


@pytest.mark.parametrize(("value", "score"), [
    (4, 4.0), ("４", 4.0), ("3.0", 3.0), (7, None), ("x", None), (True, None), (None, None),
])
def test_satisfaction_score(english_sheet, value, score):
    checked, _ = check(english_sheet({**CLOSED_EN, "satisfaction": value}))
    got = checked.frame.loc[2, "satisfaction"]
    assert (np.isnan(got) if score is None else got == score)


def test_every_problem_of_a_row_is_reported_left_to_right(english_sheet):
    row = {**NEW_EN, "received_at": "2026-03-32", "channel": "Fax", "phone": "123",
           "status": "In progress", "satisfaction": 9}
    _, findings = check(english_sheet(NEW_EN, row))
    assert codes_and_cells(findings) == [
        ("not-a-date", "Complaints!B3"),
        ("not-in-list", "Complaints!C3"),
        ("bad-phone", "Complaints!F3"),
        ("required-when-started", "Complaints!L3"),
        ("satisfaction-range", "Complaints!Q3"),
        ("satisfaction-open", "Complaints!Q3"),
    ]


def test_rows_come_in_sheet_order(english_sheet):
    _, findings = check(english_sheet({**NEW_EN, "email": "x"}, NEW_EN, {**NEW_EN, "phone": "1"},
                                      {**NEW_EN, "received_at": None}))
    assert [(f.row, f.code) for f in findings] == [
        (2, "bad-email"), (4, "bad-phone"), (5, "required")]


# ----------------------------------------------------------------------------- messages


@pytest.mark.parametrize(("change", "english", "chinese"), [
    ({"received_at": None}, "Received is required.", "“Received”为必填项。"),
    ({"received_at": "2026-13-01"}, "'2026-13-01' in Received is not a date.",
     "“Received”中的“2026-13-01”不是有效日期。"),
    ({"received_at": "2026-03-21 10:00"}, "Received 2026-03-21 10:00 is after today (2026-03-20).",
     "“Received”2026-03-21 10:00 晚于今天（2026-03-20）。"),
    ({"acknowledged_at": "2026-03-10 08:00"},
     "Acknowledged 2026-03-10 08:00 is before the received date 2026-03-10 09:30.",
     "“Acknowledged”2026-03-10 08:00 早于受理时间 2026-03-10 09:30。"),
    ({"channel": "Fax"},
     "'Fax' is not a valid Channel; choose one of: Phone, Email, Web form, Social media, "
     "Live chat, Walk-in, Letter, App, Regulator referral, Suggestion box, Other.",
     "“Fax”不是有效的“Channel”，可选：Phone, Email, Web form, Social media, Live chat, Walk-in, "
     "Letter, App, Regulator referral, Suggestion box, Other。"),
    ({"status": "Waiting on customer"},
     "Handler is required once work has started (status Waiting on customer).",
     "处理开始后（状态：Waiting on customer）必须填写“Handler”。"),
    ({**CLOSED_EN, "solution": None}, "Solution is required when the case is Closed.",
     "状态为“Closed”时必须填写“Solution”。"),
    ({"phone": None}, "Give a phone number or an email address.",
     "请至少填写联系电话或电子邮箱之一。"),
    ({"phone": "12345"}, "'12345' does not look like a phone number.", "“12345”不像是电话号码。"),
    ({"email": "zhang@example"}, "'zhang@example' does not look like an email address.",
     "“zhang@example”不像是电子邮箱。"),
    ({**CLOSED_EN, "satisfaction": 6}, "Satisfaction must be a whole number from 1 to 5, not 6.",
     "满意度必须是 1 到 5 的整数，而不是“6”。"),
    ({"satisfaction": 4}, "Satisfaction is only recorded on resolved or closed cases (status New).",
     "只有已解决或已结案的案件才记录满意度（当前状态：New）。"),
])
def test_messages_in_english_and_chinese(english_sheet, change, english, chinese):
    _, [item] = check(english_sheet({**NEW_EN, **change}))
    assert item.message("en") == english
    assert item.message("zh-CN") == chinese


def test_chinese_sheet_messages_use_its_headers_and_labels(chinese_sheet):
    rows = ({**NEW_ZH, "received_at": None}, {**NEW_ZH, "status": "处理中"},
            {**NEW_ZH, "channel": "传真"})
    _, findings = check(chinese_sheet(*rows))
    assert [(f.cell, f.message("zh-CN")) for f in findings] == [
        ("Complaints!B2", "“受理时间”为必填项。"),
        ("Complaints!L3", "处理开始后（状态：处理中）必须填写“处理人”。"),
        ("Complaints!C4", "“传真”不是有效的“投诉渠道”，可选：电话, 邮件, 网站, 社交媒体, 在线客服, "
                          "到店, 信函, 应用, 监管转办, 意见箱, 其他。"),
    ]


def test_language_setting_overrides_the_headers_for_labels(english_sheet):
    config = Config(settings=Settings(language="zh-CN"))
    _, [item] = check(english_sheet({**NEW_EN, "status": "Resolved", "handler": None,
                                     "resolved_at": "2026-03-11", "solution": "ok"}), config)
    assert item.message("zh-CN") == "处理开始后（状态：已解决）必须填写“Handler”。"


def test_not_a_date_fix_shows_the_date_order_example(english_sheet):
    _, [item] = check(english_sheet({**NEW_EN, "received_at": "someday"}))
    assert item.fix("en") == "Type the date as 2026-03-18."
    config = Config(settings=Settings(date_order="DMY"))
    _, [item] = check(english_sheet({**NEW_EN, "received_at": "someday"}), config)
    assert item.fix("zh-CN") == "请按 18/03/2026 的格式填写日期。"


@pytest.mark.parametrize(("date_order", "expected"), [
    ("DMY", T("2026-02-03")), ("MDY", T("2026-03-02")),
])
def test_date_order_setting_reads_day_and_month(english_sheet, date_order, expected):
    config = Config(settings=Settings(date_order=date_order))
    checked, findings = check(english_sheet({**NEW_EN, "received_at": "03/02/2026"}), config)
    assert findings == []
    assert checked.frame.loc[2, "received_at"] == expected


def test_ambiguous_date_without_a_date_order_is_a_finding(english_sheet):
    checked, findings = check(english_sheet({**NEW_EN, "received_at": "04/03/2026"}))
    assert codes_and_cells(findings) == [("not-a-date", "Complaints!B2")]
    assert checked.numberable.tolist() == [False]


def test_long_lists_show_twelve_choices_then_an_ellipsis(english_sheet):
    extra = [(f"Branch {i}", f"分店{i}") for i in range(1, 6)]
    lists = default_lists()
    lists["channel"] = Vocabulary([*DEFAULT_LISTS["channel"], *extra])
    _, [item] = check(english_sheet({**NEW_EN, "channel": "Fax"}), Config(lists=lists))
    assert dict(item.params)["choices"] == (
        "Phone, Email, Web form, Social media, Live chat, Walk-in, Letter, App, "
        "Regulator referral, Suggestion box, Other, Branch 1, …")


def test_value_added_on_the_lists_sheet_is_accepted(english_sheet):
    lists = default_lists()
    lists["channel"] = Vocabulary([*DEFAULT_LISTS["channel"], ("Fax", "传真")])
    checked, findings = check(english_sheet({**NEW_EN, "channel": "传真"}), Config(lists=lists))
    assert findings == []
    assert checked.frame.loc[2, "channel"] == "Fax"


# ----------------------------------------------------------------------------- the sheet


@pytest.mark.parametrize(("missing", "header", "message_en", "message_zh"), [
    ("channel", "Channel", "The column Channel is missing from the register.",
     "登记表缺少“Channel”列。"),
    ("received_at", "Received", "The column Received is missing from the register.",
     "登记表缺少“Received”列。"),
    ("status", "Status", "The column Status is missing from the register.",
     "登记表缺少“Status”列。"),
])
def test_missing_required_column_is_one_finding_at_the_sheet(english_sheet, missing, header,
                                                              message_en, message_zh):
    keys = tuple(k for k in KEYS if k != missing)
    row = {**NEW_EN, missing: None}
    checked, findings = check(english_sheet(row, row, keys=keys))
    assert codes_and_cells(findings) == [("missing-column", "Complaints")]
    assert findings[0].field == missing
    assert findings[0].row is None
    assert findings[0].message("en") == message_en
    assert findings[0].message("zh-CN") == message_zh
    assert checked.numberable.tolist() == [False, False]


def test_missing_column_of_a_chinese_sheet_is_named_in_chinese(chinese_sheet):
    keys = tuple(k for k in KEYS if k != "description")
    _, [item] = check(chinese_sheet(NEW_ZH, keys=keys, sheet="投诉登记"))
    assert item.cell == "投诉登记"
    assert item.message("zh-CN") == "登记表缺少“投诉内容”列。"


def test_sheet_without_phone_and_email_reports_phone_once(english_sheet):
    keys = tuple(k for k in KEYS if k not in ("phone", "email"))
    referral = {**NEW_EN, "channel": "Regulator referral"}
    checked, findings = check(english_sheet(NEW_EN, NEW_EN, referral, keys=keys))
    assert codes_and_cells(findings) == [("missing-column", "Complaints")]
    assert findings[0].message("en") == "The column Phone is missing from the register."
    assert checked.numberable.tolist() == [False, False, True]


def test_sheet_with_email_but_no_phone_points_contact_at_email(english_sheet):
    keys = tuple(k for k in KEYS if k != "phone")
    _, findings = check(english_sheet(NEW_EN, keys=keys))
    assert codes_and_cells(findings) == [("contact-missing", "Complaints!F2")]
    assert findings[0].field == "email"


@pytest.mark.parametrize(("missing", "status", "expected"), [
    ("handler", "In progress", [("missing-column", "Complaints")]),
    ("handler", "New", []),
    ("solution", "Closed", [("missing-column", "Complaints")]),
    ("resolved_at", "Resolved", [("missing-column", "Complaints")]),
    ("resolved_at", "Waiting on customer", []),
])
def test_column_needed_only_by_some_statuses(english_sheet, missing, status, expected):
    keys = tuple(k for k in KEYS if k != missing)
    row = {**CLOSED_EN, "status": status, missing: None}
    _, findings = check(english_sheet(row, row, keys=keys))
    assert codes_and_cells(findings) == expected
    assert all(f.field == missing for f in findings)


def test_blank_rows_are_not_complaints(english_sheet):
    checked, findings = check(english_sheet(NEW_EN, {}, {"notes": None, "phone": "  "}, NEW_EN))
    assert findings == []
    assert checked.numberable.tolist() == [True, False, False, True]


def test_cells_follow_where_the_table_starts():
    headers = [BY_KEY[k].en for k in ("received_at", "channel", "customer_name", "phone",
                                      "description", "status")]
    register = Register.from_values("Intake log", 4, 3, headers,
                                    [["2026-03-10", "Fax", "Li", "13812345678", "x", "New"]])
    _, findings = check(register)
    assert codes_and_cells(findings) == [("not-in-list", "'Intake log'!D5")]


# ----------------------------------------------------------------------------- numberable


@pytest.mark.parametrize(("change", "numberable"), [
    ({}, True),
    ({"received_at": None}, False),
    ({"received_at": "last Tuesday"}, False),
    ({"received_at": "2026-03-21"}, False),
    ({"channel": None}, False),
    ({"channel": "Fax"}, False),
    ({"customer_name": " "}, False),
    ({"description": None}, False),
    ({"status": None}, False),
    ({"status": "Pending"}, False),
    ({"phone": None}, False),
    ({"phone": None, "channel": "Regulator referral"}, True),
    # Problems that do not stop a case number from being given.
    ({"phone": "123"}, True),
    ({"email": "not an email"}, True),
    ({"category": "Noise"}, True),
    ({"status": "In progress"}, True),
    ({"acknowledged_at": "2026-03-01"}, True),
    ({"satisfaction": 9}, True),
])
def test_numberable(english_sheet, change, numberable):
    checked, _ = check(english_sheet({**NEW_EN, **change}))
    assert checked.numberable.tolist() == [numberable]


# ----------------------------------------------------------------------------- helpers, purity


def test_is_empty():
    values = pd.Series([None, np.nan, pd.NaT, "", "  ", "\u3000", "x", 0, False], dtype=object)
    assert is_empty(values).tolist() == [True] * 6 + [False] * 3


@pytest.mark.parametrize("module", ["dates", "validate", "repeats"])
def test_core_module_imports_no_excel_library(module):
    source = Path(__file__).parent.parent / "addin" / "core" / f"{module}.py"
    tree = ast.parse(source.read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree)
                if isinstance(node, ast.Import) for alias in node.names}
    imported |= {(node.module or "").split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom)}
    assert not imported & {"xlwings", "openpyxl"}
