"""Creating record-card workbooks and appending imported rows to a register."""

from __future__ import annotations

import datetime as dt
import re
import zipfile

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableColumn

from addin.batch.newbook import (
    append_rows,
    cell_value,
    create_workbook,
    default_lists_rows,
    default_settings_rows,
    unique_headers,
)
from addin.batch.safety import WorkbookRefused, missing_parts
from addin.core.deadlines import parse_deadlines
from addin.core.register import Grid
from addin.core.settings import Settings, parse_lists, parse_settings

EN_HEADERS = ["Case No", "Received", "Channel", "Customer", "Phone", "Complaint", "Status",
              "Follow-up", "Staff memo"]
ZH_HEADERS = ["案件编号", "受理时间", "投诉渠道", "客户姓名", "联系电话", "投诉内容", "处理状态",
              "回访日期", "内部备忘"]
ROWS = [
    [None, dt.datetime(2026, 3, 2, 9, 30), "Phone", "Zhang Wei", "13800138000",
     "The parcel arrived two weeks late and the box was crushed", "New", dt.date(2026, 3, 9),
     "call back"],
    [None, dt.datetime(2026, 3, 3, 14, 0), "Email", "Li Na", None, "Charged twice",
     "In progress", None, None],
]
DEADLINES = [["Severity", "Urgency", "Acknowledge within", "Resolve within", "Clock"],
             ["Any", "Immediate", 1, 3, "Working"], ["Any", "Any", 3, 15, "Calendar"]]
RULES = [["Id", "Active", "Look in", "Match", "Words"], ["late", "yes", "Complaint", "any", "late"]]
HOLIDAYS = [["Date", "Kind", "Name"], [dt.date(2026, 10, 1), "Holiday", "National Day"]]


def grid(ws) -> Grid:
    return Grid(ws.title, [list(r) for r in ws.iter_rows(values_only=True)])


@pytest.fixture
def en_book(tmp_path):
    """A new English register with two complaints and every settings sheet."""
    path = create_workbook(tmp_path / "ComplaintRecord.xlsx", EN_HEADERS, ROWS, "en",
                           rules_rows=RULES, deadline_rows=DEADLINES, holiday_rows=HOLIDAYS)
    return load_workbook(path)


@pytest.fixture
def zh_book(tmp_path):
    """A new Chinese register without rules or holidays (the core's defaults apply)."""
    path = create_workbook(tmp_path / "投诉记录.xlsx", ZH_HEADERS, ROWS, "zh-CN")
    return load_workbook(path)


# --------------------------------------------------------------------------- create_workbook

def test_new_book_has_the_card_sheets_in_order(en_book, zh_book):
    assert en_book.sheetnames == ["Complaints", "Settings", "Lists", "Rules", "Holidays"]
    assert zh_book.sheetnames == ["Complaints", "Settings", "Lists"]


def test_complaints_is_a_styled_table_with_a_frozen_header(en_book):
    ws = en_book["Complaints"]
    table = ws.tables["Complaints"]
    assert table.ref == "A1:I3"
    assert table.tableStyleInfo.name == "TableStyleMedium2"
    assert [c.name for c in table.tableColumns] == EN_HEADERS
    assert [c.value for c in ws[1]] == EN_HEADERS
    assert ws.freeze_panes == "A2"
    assert ws["B2"].value == dt.datetime(2026, 3, 2, 9, 30) and ws["D3"].value == "Li Na"


def test_an_empty_register_still_has_a_table_row(tmp_path):
    path = create_workbook(tmp_path / "empty.xlsx", EN_HEADERS, [], "en")
    assert load_workbook(path)["Complaints"].tables["Complaints"].ref == "A1:I2"


@pytest.mark.parametrize("column, number_format", [
    ("B", "yyyy-mm-dd hh:mm"),  # Received: date-time field
    ("H", "yyyy-mm-dd"),  # Follow-up: date field
])
def test_date_fields_get_their_number_format(en_book, column, number_format):
    assert en_book["Complaints"][f"{column}2"].number_format == number_format


@pytest.mark.parametrize("column, width", [
    ("B", 18),  # date-time
    ("H", 12),  # date
    ("A", 14),  # short text: the minimum
    ("D", 14),
    ("F", 40),  # a long complaint: the maximum
])
def test_column_widths_suit_the_content(en_book, column, width):
    assert en_book["Complaints"].column_dimensions[column].width == width


def test_chinese_text_counts_double_for_width(tmp_path):
    rows = [["快递延误十天还没有到货"]]
    path = create_workbook(tmp_path / "w.xlsx", ["Complaint"], rows, "zh-CN")
    assert load_workbook(path)["Complaints"].column_dimensions["A"].width == 24  # 11 * 2 + 2


def dropdowns(ws) -> dict[str, tuple[str, str]]:
    return {str(dv.sqref): (dv.formula1, dv.errorStyle)
            for dv in ws.data_validations.dataValidation}


def test_list_columns_get_dropdowns_fed_from_the_lists_sheet(en_book):
    assert dropdowns(en_book["Complaints"]) == {
        "C2:C1048576": ("List_channel", "warning"),
        "G2:G1048576": ("List_status", "warning"),
    }
    names = en_book.defined_names
    assert names["List_channel"].attr_text == (
        "OFFSET(Lists!$A$2,0,0,MAX(1,COUNTA(Lists!$A:$A)-1),1)")
    assert names["List_status"].attr_text == (
        "OFFSET(Lists!$K$2,0,0,MAX(1,COUNTA(Lists!$K:$K)-1),1)")
    channel = en_book["Complaints"].data_validations.dataValidation[0]
    assert channel.error == "Channel: pick a value from the list, or add it on the Lists sheet."


def test_chinese_dropdowns_use_the_chinese_column(zh_book):
    assert dropdowns(zh_book["Complaints"])["C2:C1048576"] == ("List_channel", "warning")
    assert zh_book.defined_names["List_channel"].attr_text == (
        "OFFSET(Lists!$B$2,0,0,MAX(1,COUNTA(Lists!$B:$B)-1),1)")
    channel = zh_book["Complaints"].data_validations.dataValidation[0]
    assert channel.error == "投诉渠道：请从列表中选择，或在 Lists 工作表中添加该值。"


def test_lists_sheet_pairs_english_and_chinese_columns(en_book):
    rows = list(en_book["Lists"].iter_rows(values_only=True))
    assert rows[0] == ("Channel", "投诉渠道", "Customer type", "客户类型", "Category", "投诉类别",
                       "Severity", "严重程度", "Urgency", "紧急程度", "Status", "处理状态")
    assert rows[1][:2] == ("Phone", "电话") and rows[10][:2] == ("Other", "其他")
    assert rows[4][2:4] == (None, None)  # customer type has three values only
    lists, findings = parse_lists(grid(en_book["Lists"]))
    assert findings == [] and lists["channel"].canonical("社交媒体") == "Social media"


def test_settings_sheet_reads_back_as_the_defaults(en_book):
    rows = list(en_book["Settings"].iter_rows(values_only=True))
    assert rows[0][:3] == ("Setting", "Value", "Notes")
    assert rows[1][:2] == ("Language", "en") and rows[7][:2] == ("Weekend days", "Sat, Sun")
    assert rows[8] == (None,) * 5 and rows[9] == tuple(DEADLINES[0])
    assert en_book["Settings"]["A1"].font.bold and en_book["Settings"]["A10"].font.bold
    assert not en_book["Settings"]["A11"].font.bold
    settings, findings = parse_settings(grid(en_book["Settings"]))
    assert findings == [] and settings == Settings(language="en")
    targets, problems = parse_deadlines(grid(en_book["Settings"]), None)
    assert problems == [] and [(t.urgency, t.resolve_days) for t in targets] == [
        ("Immediate", 3), (None, 15)]


def test_chinese_settings_read_back_as_the_defaults(zh_book):
    rows = list(zh_book["Settings"].iter_rows(values_only=True))
    assert rows[0] == ("设置项", "值", "说明")
    assert rows[6][:2] == ("报告中隐藏个人信息", "是") and rows[7][:2] == ("周末", "周六, 周日")
    settings, findings = parse_settings(grid(zh_book["Settings"]))
    assert findings == [] and settings == Settings(language="zh-CN")


def test_rules_and_holidays_are_written_as_given(en_book):
    assert [list(r) for r in en_book["Rules"].iter_rows(values_only=True)] == RULES
    holidays = en_book["Holidays"]
    assert holidays["A2"].value == dt.datetime(2026, 10, 1)
    assert holidays["A2"].number_format == "yyyy-mm-dd"
    assert holidays["A1"].font.bold


def test_settings_and_lists_may_be_given(tmp_path):
    path = create_workbook(tmp_path / "given.xlsx", EN_HEADERS, [], "en",
                           settings_rows=[["Date order", "DMY", ""]],
                           lists_rows=[["Channel"], ["Hotline"], ["Kiosk"]])
    wb = load_workbook(path)
    assert [r[:2] for r in wb["Settings"].iter_rows(values_only=True)] == [
        ("Setting", "Value"), ("Date order", "DMY")]
    assert wb.defined_names["List_channel"].attr_text.startswith("OFFSET(Lists!$A$2,")
    assert list(dropdowns(wb["Complaints"])) == ["C2:C1048576"]


def test_text_from_a_file_is_never_written_as_a_formula(tmp_path):
    rows = [["=HYPERLINK(\"http://evil.example\",\"click\")", "a\x00b\x1fc"]]
    path = create_workbook(tmp_path / "f.xlsx", ["Complaint", "Notes"], rows, "en")
    ws = load_workbook(path)["Complaints"]
    assert (ws["A2"].data_type, ws["A2"].value) == ("s", rows[0][0])
    assert ws["B2"].value == "abc"  # control characters Excel cannot store are dropped
    with zipfile.ZipFile(path) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")


@pytest.mark.parametrize("value, expected", [
    (None, None),
    (float("nan"), None),
    (pd.NaT, None),
    (np.datetime64("NaT"), None),
    (pd.Timestamp("2026-03-02 09:30"), dt.datetime(2026, 3, 2, 9, 30)),
    (np.datetime64("2026-03-02T09:30"), dt.datetime(2026, 3, 2, 9, 30)),
    (np.int64(4), 4),
    (np.float64(2.5), 2.5),
    (np.bool_(True), True),
    ("tab\there", "tab\there"),
], ids=["none", "nan", "nat", "np-nat", "timestamp", "datetime64", "int64", "float64", "bool",
        "tab-kept"])
def test_cell_value(value, expected):
    got = cell_value(value)
    assert got == expected and type(got) is type(expected)


def test_time_zones_are_dropped_in_local_time():
    aware = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
    assert cell_value(aware) == aware.astimezone().replace(tzinfo=None)


@pytest.mark.parametrize("headers, expected", [
    (["Case No", "Notes", "notes", None, ""], ["Case No", "Notes", "notes (2)", "Column 4",
                                               "Column 5"]),
    ([" Phone ", 2026], ["Phone", "2026"]),
])
def test_unique_headers(headers, expected):
    assert unique_headers(headers) == expected


@pytest.mark.parametrize("name, message", [
    ("ComplaintRecord.xlsm", "Cannot create ComplaintRecord.xlsm: a .xlsm workbook needs its "
     "macros, and this writes workbooks without them. Use a name ending in .xlsx."),
    ("complaints.csv", "Cannot create complaints.csv: use a name ending in .xlsx."),
])
def test_only_xlsx_files_are_created(tmp_path, name, message):
    with pytest.raises(WorkbookRefused) as refused:
        create_workbook(tmp_path / name, EN_HEADERS, ROWS, "en")
    assert str(refused.value) == message
    assert not (tmp_path / name).exists()


def test_an_existing_workbook_is_not_overwritten_unless_asked(tmp_path):
    path = tmp_path / "ComplaintRecord.xlsx"
    path.write_bytes(b"staff data")
    with pytest.raises(WorkbookRefused) as refused:
        create_workbook(path, EN_HEADERS, ROWS, "en")
    assert str(refused.value) == ("ComplaintRecord.xlsx already exists. Choose another name, or "
                                  "allow overwriting it (a backup is kept).")
    assert path.read_bytes() == b"staff data"
    create_workbook(path, EN_HEADERS, ROWS, "en", overwrite=True)
    assert [p.read_bytes() for p in (tmp_path / "backups").iterdir()] == [b"staff data"]
    assert load_workbook(path)["Complaints"]["D2"].value == "Zhang Wei"


def test_a_missing_folder_is_refused(tmp_path):
    with pytest.raises(WorkbookRefused) as refused:
        create_workbook(tmp_path / "nowhere" / "new.xlsx", EN_HEADERS, ROWS, "en")
    assert str(refused.value) == "Cannot create new.xlsx: the folder nowhere does not exist."


def test_default_rows_cover_every_setting_and_list():
    assert [r[0] for r in default_settings_rows("en")] == [
        "Language", "Date order", "Case number format", "Due soon within (working days)",
        "Repeat window (days)", "Mask personal data in reports", "Weekend days"]
    assert len(default_lists_rows()) == 11  # header + the longest list (channel, 10 values)


# --------------------------------------------------------------------------- append_rows

@pytest.fixture
def register(tmp_path):
    """A saved register (loaded back), its table and where its card fields are."""
    path = create_workbook(tmp_path / "reg.xlsx", EN_HEADERS, ROWS, "en")
    wb = load_workbook(path)
    ws = wb["Complaints"]
    columns = {"case_no": 1, "received_at": 2, "channel": 3, "customer_name": 4, "phone": 5,
               "description": 6, "status": 7, "follow_up_at": 8}
    return wb, ws, ws.tables["Complaints"], columns


IMPORTED = [
    {"received_at": dt.datetime(2026, 4, 1, 8, 15), "channel": "Regulator referral",
     "customer_name": "CFPB consumer #1", "description": "Fees", "status": "New",
     "source_ref": "CFPB-1", "Staff memo": "imported"},
    {"received_at": pd.Timestamp("2026-04-02"), "channel": "Regulator referral",
     "customer_name": "CFPB consumer #2", "description": "=1+1", "status": "Closed",
     "source_ref": "CFPB-2", "CFPB product": "Mortgage", "follow_up_at": dt.date(2026, 4, 9)},
]


def test_rows_are_appended_below_the_table_into_their_columns(register):
    wb, ws, table, columns = register
    assert append_rows(wb, ws, table, columns, IMPORTED) == 2
    assert [ws.cell(4, c).value for c in (2, 3, 4, 9, 10)] == [
        dt.datetime(2026, 4, 1, 8, 15), "Regulator referral", "CFPB consumer #1", "imported",
        "CFPB-1"]
    assert ws["F5"].value == "=1+1" and ws["F5"].data_type == "s"
    assert ws["K5"].value == "Mortgage"


def test_new_keys_become_header_columns_and_table_columns(register):
    wb, ws, table, columns = register
    append_rows(wb, ws, table, columns, IMPORTED)
    assert [ws.cell(1, c).value for c in (10, 11)] == ["Source ref", "CFPB product"]
    assert ws["J1"].font.bold  # styled like its neighbour
    assert table.ref == "A1:K5" and table.autoFilter.ref == "A1:K5"
    assert [(c.id, c.name) for c in table.tableColumns][-3:] == [
        (9, "Staff memo"), (10, "Source ref"), (11, "CFPB product")]


def test_dates_take_the_columns_number_format(register):
    wb, ws, table, columns = register
    ws["B3"].number_format = "dd/mm/yyyy hh:mm"  # staff changed the column's format
    append_rows(wb, ws, table, columns, IMPORTED)
    assert [ws["B4"].number_format, ws["B5"].number_format] == ["dd/mm/yyyy hh:mm"] * 2
    assert ws["H5"].number_format == "yyyy-mm-dd"
    assert ws["B5"].value == dt.datetime(2026, 4, 2)


def test_appended_workbook_saves_and_loads_whole(register, tmp_path):
    wb, ws, table, columns = register
    append_rows(wb, ws, table, columns, IMPORTED)
    path = tmp_path / "after.xlsx"
    wb.save(path)
    with zipfile.ZipFile(path) as archive:
        assert missing_parts(archive) == set()
    again = load_workbook(path)["Complaints"]
    assert again.tables["Complaints"].ref == "A1:K5" and again["D5"].value == "CFPB consumer #2"


def test_chinese_register_gets_chinese_headers_and_finds_fields_by_header(tmp_path):
    wb = load_workbook(create_workbook(tmp_path / "zh.xlsx", ZH_HEADERS, ROWS, "zh-CN"))
    ws = wb["Complaints"]
    rows = [{"customer_name": "王芳", "source_ref": "CFPB-9", "内部备忘": "导入"}]
    append_rows(wb, ws, ws.tables["Complaints"], {}, rows)
    assert [ws["D4"].value, ws["I4"].value, ws["J1"].value, ws["J4"].value] == [
        "王芳", "导入", "来源编号", "CFPB-9"]


def test_blank_rows_at_the_end_of_a_table_are_filled_first(tmp_path):
    wb = load_workbook(create_workbook(tmp_path / "empty.xlsx", EN_HEADERS, [], "en"))
    ws = wb["Complaints"]
    table = ws.tables["Complaints"]
    rows = [{"customer_name": "A"}, {"customer_name": "B"}]
    append_rows(wb, ws, table, {"customer_name": 4}, rows)
    assert (ws["D2"].value, ws["D3"].value, table.ref) == ("A", "B", "A1:I3")


def test_something_below_the_table_is_never_overwritten(register):
    wb, ws, table, columns = register
    ws["C5"] = "Totals checked by Li"
    with pytest.raises(WorkbookRefused) as refused:
        append_rows(wb, ws, table, columns, IMPORTED)
    assert str(refused.value) == (
        "Cannot add the rows to Complaints: Complaints!C5 is in the way and would be overwritten. "
        "Move what is below or beside the table and run again.")
    assert ws["B4"].value is None and table.ref == "A1:I3" and ws["J1"].value is None


def test_something_beside_the_table_is_never_overwritten(register):
    wb, ws, table, columns = register
    ws["J1"] = "Note"
    with pytest.raises(WorkbookRefused, match=r"Complaints!J1 is in the way"):
        append_rows(wb, ws, table, columns, IMPORTED)


def test_a_totals_row_moves_down(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Complaints"
    total = "=SUBTOTAL(109,Complaints[Satisfaction])"
    for row in (["Customer", "Satisfaction"], ["A", 4], ["B", 5], ["Total", total]):
        ws.append(row)
    table = Table(displayName="Complaints", ref="A1:B4", totalsRowCount=1)
    table.tableColumns = [TableColumn(id=1, name="Customer"),
                          TableColumn(id=2, name="Satisfaction")]
    ws.add_table(table)
    append_rows(wb, ws, table, {"customer_name": 1, "satisfaction": 2},
                [{"customer_name": "C", "satisfaction": 3}])
    assert [[c.value for c in row] for row in ws["A4:B5"]] == [
        ["C", 3], ["Total", total]]
    assert table.ref == "A1:B5"


def test_dropdowns_that_ended_at_the_last_row_grow_with_it(tmp_path):
    wb = Workbook()
    ws = wb.active
    for row in (["Customer", "Channel"], ["A", "Phone"], ["B", "Email"]):
        ws.append(row)
    table = Table(displayName="Register", ref="A1:B3")
    ws.add_table(table)
    ws.data_validations.append(DataValidation(type="list", formula1='"Phone,Email"',
                                              sqref="B2:B3 D2:D9"))
    append_rows(wb, ws, table, {"customer_name": 1, "channel": 2},
                [{"customer_name": "C", "channel": "Phone"}])
    assert str(ws.data_validations.dataValidation[0].sqref) == "B2:B4 D2:D9"


def test_a_register_without_a_table_needs_its_header_row(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws["B3"], ws["C3"] = "Customer", "Channel"
    ws["B4"], ws["C4"] = "A", "Phone"
    ws.auto_filter.ref = "B3:C4"
    with pytest.raises(ValueError, match="needs header_row"):
        append_rows(wb, ws, None, {}, [{"customer_name": "B"}])
    assert append_rows(wb, ws, None, {}, [{"customer_name": "B", "status": "New"}],
                       header_row=3) == 1
    assert [ws["B5"].value, ws["D3"].value, ws["D5"].value] == ["B", "Status", "New"]
    assert ws.auto_filter.ref == "B3:D5"


def test_a_column_outside_the_register_is_not_used(register):
    wb, ws, table, columns = register
    append_rows(wb, ws, table, {**columns, "notes": 30}, [{"notes": "called back"}])
    assert (ws["J1"].value, ws["J4"].value, ws.cell(4, 30).value) == ("Notes", "called back", None)
    assert table.ref == "A1:J4"


def test_nothing_to_append(register):
    wb, ws, table, columns = register
    assert append_rows(wb, ws, table, columns, []) == 0
    assert table.ref == "A1:I3"


def test_appended_header_names_stay_unique(register):
    wb, ws, table, columns = register
    append_rows(wb, ws, table, columns, [{"staff memo ": "x"}])  # folds to the existing header
    assert ws["I4"].value == "x" and ws["J1"].value is None


def test_created_workbook_has_no_dangling_parts(tmp_path):
    path = create_workbook(tmp_path / "whole.xlsx", EN_HEADERS, ROWS, "en", rules_rows=RULES,
                           deadline_rows=DEADLINES, holiday_rows=HOLIDAYS)
    with zipfile.ZipFile(path) as archive:
        assert missing_parts(archive) == set()
        assert re.search(rb'<tablePart [^>]*r:id="\w+"', archive.read("xl/worksheets/sheet1.xml"))
