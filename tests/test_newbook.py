"""New record-card workbooks from the builder (.xlsx: the demo's, an import's), placed safely by
the batch door, and imported rows appended to an existing register."""

from __future__ import annotations

import datetime as dt
import re
import zipfile

import numpy as np
import pandas as pd
import pytest
from books import put_table
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import Table, TableColumn

from addin.batch.append import append_rows
from addin.batch.newfile import save_new_workbook
from addin.batch.safety import WorkbookRefused, missing_parts
from addin.batch.sheets import find_register, read_grids, read_register
from addin.cli import main
from addin.core.deadlines import parse_deadlines
from addin.core.fields import BY_KEY, FIELDS
from addin.core.pipeline import process
from addin.core.register import Grid
from addin.core.settings import SETTING_SPECS, Settings, parse_lists, parse_settings
from addin.core.vocab import DEFAULT_LISTS
from addin.layout.cells import unique_headers
from addin.layout.defaults import default_lists_rows, default_settings_rows
from addin.vba.build import BUTTONS
from addin.workbook import RecordBook, build_workbook
from addin.workbook.build import sheet_names
from addin.workbook.texts import NO_BUTTONS, NO_BUTTONS_HELP

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
SETTINGS_CODES = {"bad-setting", "bad-deadline", "bad-rule", "bad-rules-sheet", "bad-holiday",
                  "bad-list"}
HEADER_ROW = 2  # row 1 says why a .xlsx has no buttons


def grid(ws) -> Grid:
    return Grid(ws.title, [list(r) for r in ws.iter_rows(values_only=True)])


def column(ws, header: str) -> str:
    """The column letter of a register header."""
    return next(c.column_letter for c in ws[HEADER_ROW] if c.value == header)


def width(ws, letter: str) -> float:
    """A column's width, also when openpyxl read it as part of a run of equal columns."""
    index = ws[f"{letter}1"].column
    return next(d.width for d in ws.column_dimensions.values()
                if d.min is not None and d.min <= index <= d.max)


def value(ws, header: str, row: int) -> object:
    return ws[f"{column(ws, header)}{row}"].value


@pytest.fixture(scope="module")
def en_path(tmp_path_factory):
    """A new English register with two complaints."""
    path = tmp_path_factory.mktemp("en") / "ComplaintRecord.xlsx"
    return build_workbook(path, "en", headers=EN_HEADERS, rows=ROWS)


@pytest.fixture(scope="module")
def en_book(en_path):
    return load_workbook(en_path)


@pytest.fixture(scope="module")
def zh_book(tmp_path_factory):
    """A new Chinese register with the same complaints."""
    path = tmp_path_factory.mktemp("zh") / "投诉记录.xlsx"
    return load_workbook(build_workbook(path, "zh-CN", headers=ZH_HEADERS, rows=ROWS))


# --------------------------------------------------------------------------- the new workbook

def test_new_book_has_every_sheet_of_the_card_but_the_macro_ones(en_path, en_book, zh_book):
    assert en_book.sheetnames == ["Complaints", "Card", "Settings", "Lists", "Rules", "Holidays",
                                  "Help", "Log", "Counters", "Actions", "Case log"]
    assert zh_book.sheetnames == ["投诉登记", "记录卡", "设置", "列表", "规则", "节假日", "帮助",
                                  "Log", "Counters", "改进措施", "处理记录"]
    assert [ws.title for ws in en_book if ws.sheet_state == "hidden"] == ["Counters"]
    # The Case log waits with its header in the workbook's language, styled as the Log is.
    for book, header in ((en_book, ("Case No", "Time", "Event", "From", "To", "By", "Note")),
                         (zh_book, ("案件编号", "时间", "事件", "原值", "新值", "操作人", "说明"))):
        log, case_log = book[book.sheetnames[7]], book[book.sheetnames[-1]]
        assert list(case_log.iter_rows(values_only=True)) == [header]
        assert case_log["A1"].fill.fgColor.rgb == log["A1"].fill.fgColor.rgb
        assert case_log["A1"].font.b and case_log.freeze_panes == "A2"
    with zipfile.ZipFile(en_path) as archive:
        assert "xl/vbaProject.bin" not in archive.namelist()
        assert b"macroEnabled" not in archive.read("[Content_Types].xml")
        assert missing_parts(archive) == set()


def test_rows_land_under_their_fields_in_card_order(en_book):
    ws = en_book["Complaints"]
    table = ws.tables["Complaints"]
    headers = [c.value for c in ws[HEADER_ROW]]
    assert headers == [f.header("en") for f in FIELDS if f.key != "source_ref"] + ["Staff memo"]
    assert table.ref == f"A2:{column(ws, 'Staff memo')}4"
    assert table.tableStyleInfo.name == "TableStyleLight15"
    assert ws.freeze_panes == "A3"
    assert value(ws, "Received", 3) == dt.datetime(2026, 3, 2, 9, 30)
    assert (value(ws, "Customer", 4), value(ws, "Staff memo", 3)) == ("Li Na", "call back")
    assert value(ws, "Resolve by", 3) is None  # written by a run, not by the builder


def test_headers_in_either_language_and_any_order_find_their_fields(tmp_path):
    order = [7, 3, 0, 8, 5, 1, 2, 4, 6]
    headers = [ZH_HEADERS[i] for i in order]
    rows = [[row[i] for i in order] for row in ROWS]
    ws = load_workbook(build_workbook(tmp_path / "mixed.xlsx", "en", headers=headers,
                                      rows=rows))["Complaints"]
    assert (value(ws, "Customer", 3), value(ws, "Channel", 4)) == ("Zhang Wei", "Email")
    assert value(ws, "内部备忘", 3) == "call back"  # not on the card: kept, as given


def test_an_empty_register_still_has_a_table_row(tmp_path):
    ws = load_workbook(build_workbook(tmp_path / "empty.xlsx", "en", headers=EN_HEADERS,
                                      rows=[]))["Complaints"]
    assert ws.tables["Complaints"].ref.endswith("3")
    assert ws[HEADER_ROW][0].value == "Case No"


@pytest.mark.parametrize("header, number_format", [
    ("Received", "yyyy-mm-dd hh:mm"),  # date-time field
    ("Follow-up", "yyyy-mm-dd"),  # date field
])
def test_date_fields_get_their_number_format(en_book, header, number_format):
    ws = en_book["Complaints"]
    assert ws[f"{column(ws, header)}3"].number_format == number_format


@pytest.mark.parametrize("header, expected", [
    ("Received", 17),  # a date-time never shows ###
    ("Follow-up", 13),  # a date, but the header and its filter button need more
    ("Complaint", 44),  # room to read a complaint
    ("Staff memo", 14),  # a kept column: its header and filter button
])
def test_column_widths_suit_the_content(en_book, header, expected):
    ws = en_book["Complaints"]
    assert width(ws, column(ws, header)) == pytest.approx(expected, abs=0.72)


@pytest.mark.parametrize("text, expected", [
    ("快递延误十天还没有到货", 24),  # Chinese counts double: 11 * 2 + 2
    ("x" * 80, 40),  # the widest a kept column gets
])
def test_kept_columns_fit_their_values(tmp_path, text, expected):
    ws = load_workbook(build_workbook(tmp_path / "w.xlsx", "zh-CN", headers=["备忘"],
                                      rows=[[text]]))["投诉登记"]
    assert width(ws, column(ws, "备忘")) == pytest.approx(expected, abs=0.72)


@pytest.mark.parametrize("book, lang", [("en_book", "en"), ("zh_book", "zh-CN")])
def test_list_columns_get_dropdowns_fed_from_the_lists_sheet(request, book, lang):
    wb = request.getfixturevalue(book)
    ws, lists = wb[sheet_names(lang)["complaints"]], wb[sheet_names(lang)["lists"]]
    for key in ("channel", "status"):
        letter = column(ws, BY_KEY[key].header(lang))
        dv = next(dv for dv in ws.data_validations.dataValidation
                  if str(dv.sqref) == f"{letter}3:{letter}1048576")
        assert (dv.type, dv.formula1, dv.errorStyle) == ("list", f"List_{key}", "warning")
        source = wb.defined_names[f"List_{key}"].attr_text
        assert "OFFSET(" in source and "COUNTA(" in source  # grows with the list
        found = re.search(r"!\$([A-Z]+)\$2", source).group(1)
        assert lists[f"{found}1"].value == BY_KEY[key].header(lang)


def test_lists_sheet_pairs_english_and_chinese_columns(en_book):
    rows = list(en_book["Lists"].iter_rows(values_only=True))
    keys = [k for k in DEFAULT_LISTS if not BY_KEY[k].written]
    assert list(rows[0]) == [text for k in keys for text in (BY_KEY[k].en, BY_KEY[k].zh)]
    assert rows[1][:2] == ("Phone", "电话")
    lists, findings = parse_lists(grid(en_book["Lists"]))
    assert findings == [] and lists["channel"].canonical("社交媒体") == "Social media"


@pytest.mark.parametrize("book, lang", [("en_book", "en"), ("zh_book", "zh-CN")])
def test_settings_sheet_reads_back_as_the_defaults(request, book, lang):
    ws = request.getfixturevalue(book)[sheet_names(lang)["settings"]]
    settings, findings = parse_settings(grid(ws))
    assert findings == [] and settings == Settings(language=lang)
    targets, problems = parse_deadlines(grid(ws), None)
    assert problems == [] and targets
    assert ws["A1"].font.b and not ws["A2"].font.b


def test_default_rows_cover_every_setting_and_list():
    en, zh = default_settings_rows("en"), default_settings_rows("zh-CN")
    assert [r[0] for r in en] == [spec.en for spec in SETTING_SPECS]
    assert dict((r[0], r[1]) for r in en)["Weekend days"] == "Sat, Sun"
    assert dict((r[0], r[1]) for r in zh)["周末"] == "周六, 周日"
    longest = max(len(v) for k, v in DEFAULT_LISTS.items() if not BY_KEY[k].written)
    assert len(default_lists_rows()) == 1 + longest


@pytest.mark.parametrize("book, lang", [("en_book", "en"), ("zh_book", "zh-CN")])
def test_door_reads_the_new_workbook_without_setting_findings(request, book, lang):
    wb = request.getfixturevalue(book)
    loc = find_register(wb)
    assert (loc.sheet, loc.header_row, loc.table.displayName) == (
        sheet_names(lang)["complaints"], HEADER_ROW, "Complaints")
    grids = read_grids(wb)
    assert set(grids) == {"settings", "lists", "rules", "holidays", "actions"}
    outcome = process(read_register(loc), grids, dt.date(2026, 3, 20))
    assert not [f.code for f in outcome.findings if f.code in SETTINGS_CODES]
    assert outcome.new_columns == [] and outcome.summary.rows == 2
    assert outcome.summary.numbered == 1  # Li Na's case is in progress without a handler


def test_a_xlsx_says_it_has_no_buttons_and_what_to_run_instead(en_book):
    assert en_book["Complaints"]["A1"].value == NO_BUTTONS[0]
    text = {c.value for row in en_book["Help"].iter_rows() for c in row if c.value}
    assert {line[0] for line in NO_BUTTONS_HELP} <= text
    assert not {b.macro for b in BUTTONS} & text


def test_text_from_a_file_is_never_written_as_a_formula(tmp_path):
    rows = [["=HYPERLINK(\"http://evil.example\",\"click\")", "a\x00b\x1fc", "{=1+1}"]]
    path = build_workbook(tmp_path / "f.xlsx", "en", headers=["Complaint", "Notes", "Memo"],
                          rows=rows)
    ws = load_workbook(path)["Complaints"]
    cell = ws[f"{column(ws, 'Complaint')}3"]
    assert (cell.data_type, cell.value) == ("s", rows[0][0])
    assert value(ws, "Notes", 3) == "abc"  # control characters a workbook cannot store go
    assert value(ws, "Memo", 3) == "{=1+1}"
    with zipfile.ZipFile(path) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")


VALUES = [
    (None, None),
    (float("nan"), None),
    (pd.NaT, None),
    (np.datetime64("NaT"), None),
    (pd.Timestamp("2026-03-02 09:30"), dt.datetime(2026, 3, 2, 9, 30)),
    (np.datetime64("2026-03-02T09:30"), dt.datetime(2026, 3, 2, 9, 30)),
    (dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC), dt.datetime(2026, 3, 2, 9, 30)),
    (np.int64(4), 4),
    (np.float64(2.5), 2.5),
    (np.bool_(True), True),
    ("tab\there", "tab\there"),
]


def test_values_from_pandas_and_numpy_are_written_as_plain_cells(tmp_path):
    rows = [[v] for v, _ in VALUES]
    ws = load_workbook(build_workbook(tmp_path / "v.xlsx", "en", headers=["Memo"],
                                      rows=rows))["Complaints"]
    letter = column(ws, "Memo")
    got = [ws[f"{letter}{3 + i}"].value for i in range(len(VALUES))]
    assert got == [expected for _, expected in VALUES]
    assert [type(g) for g in got] == [type(expected) for _, expected in VALUES]
    assert ws[f"{letter}7"].number_format == "yyyy-mm-dd hh:mm"  # a date stays a date


@pytest.mark.parametrize("headers, expected", [
    (["Case No", "Notes", "notes", None, ""], ["Case No", "Notes", "notes (2)", "Column 4",
                                               "Column 5"]),
    ([" Phone ", 2026, "a\x00b"], ["Phone", "2026", "ab"]),
])
def test_unique_headers(headers, expected):
    assert unique_headers(headers) == expected


# --------------------------------------------------------------------------- placing the file

def book_of(rows=ROWS) -> RecordBook:
    return RecordBook("en", EN_HEADERS, rows)


@pytest.mark.parametrize("name, message", [
    ("complaints.csv", "Cannot create complaints.csv: use a name ending in .xlsx (no buttons) "
     "or .xlsm (with the buttons)."),
])
def test_only_workbook_names_are_created(tmp_path, name, message):
    with pytest.raises(WorkbookRefused) as refused:
        save_new_workbook(book_of(), tmp_path / name)
    assert str(refused.value) == message
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ValueError, match="ends in .xlsm"):
        build_workbook(tmp_path / name, "en", headers=EN_HEADERS, rows=ROWS)


def test_an_existing_workbook_is_not_overwritten_unless_asked(tmp_path):
    path = tmp_path / "ComplaintRecord.xlsx"
    path.write_bytes(b"staff data")
    with pytest.raises(WorkbookRefused) as refused:
        save_new_workbook(book_of(), path)
    assert str(refused.value) == ("ComplaintRecord.xlsx already exists. Choose another name, or "
                                  "allow overwriting it (a backup is kept).")
    assert path.read_bytes() == b"staff data"
    save_new_workbook(book_of(), path, overwrite=True)
    assert [p.read_bytes() for p in (tmp_path / "backups").iterdir()] == [b"staff data"]
    assert value(load_workbook(path)["Complaints"], "Customer", 3) == "Zhang Wei"


def test_a_missing_folder_is_refused(tmp_path):
    with pytest.raises(WorkbookRefused) as refused:
        save_new_workbook(book_of(), tmp_path / "nowhere" / "new.xlsx")
    assert str(refused.value) == "Cannot create new.xlsx: the folder nowhere does not exist."


def test_a_workbook_open_in_excel_is_not_replaced(tmp_path):
    path = tmp_path / "ComplaintRecord.xlsx"
    path.write_bytes(b"staff data")
    (tmp_path / "~$ComplaintRecord.xlsx").write_bytes(b"owner")
    with pytest.raises(WorkbookRefused, match="is open in Excel"):
        save_new_workbook(book_of(), path, overwrite=True)
    assert path.read_bytes() == b"staff data"


def test_a_new_xlsm_gets_the_macros_and_the_buttons(tmp_path):
    path = save_new_workbook(RecordBook("en", EN_HEADERS, ROWS, cache_dir=tmp_path / "vba"),
                             tmp_path / "new.xlsm")
    with zipfile.ZipFile(path) as archive:
        assert "xl/vbaProject.bin" in archive.namelist()
        vml = "".join(archive.read(n).decode() for n in archive.namelist() if n.endswith(".vml"))
    assert re.findall(r"<x:FmlaMacro>\[0\]!(\w+)</x:FmlaMacro>", vml) == [b.macro for b in BUTTONS]
    assert value(load_workbook(path)["Complaints"], "Customer", 4) == "Li Na"


# --------------------------------------------------------------------------- import: same look

CSV_HEADER = ("Date received,Product,Sub-product,Issue,Sub-issue,Consumer complaint narrative,"
              "Company public response,Company,State,ZIP code,Tags,Consumer consent provided?,"
              "Submitted via,Date sent to company,Company response to consumer,"
              "Timely response?,Consumer disputed?,Complaint ID")


def _look(cell) -> tuple:
    return (cell.fill.fgColor.rgb, cell.font.b, cell.font.color.rgb if cell.font.color else None)


def _grid_sheets(wb, lang) -> dict[str, list]:
    return {role: [list(r) for r in wb[sheet_names(lang)[role]].iter_rows(values_only=True)]
            for role in ("settings", "lists", "rules", "holidays")}


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_an_imported_new_workbook_looks_like_the_committed_card(tmp_path, capsys, lang):
    csv = tmp_path / "cfpb.csv"
    csv.write_text("\n".join([CSV_HEADER] + [
        f"2026/10/{1 + i},Mortgage,,Trouble during payment process,,Paid twice,,Example Bank,"
        f"CA,,,,Web,2026/10/{1 + i},Closed with explanation,Yes,N/A,{9000 + i}"
        for i in range(3)]) + "\n", encoding="utf-8")
    assert main(["import", str(csv), "--into", str(tmp_path / "new.xlsx"), "--lang", lang]) == 0
    capsys.readouterr()
    imported = load_workbook(tmp_path / "new.xlsx")
    card = load_workbook(build_workbook(tmp_path / "card.xlsm", lang, cache_dir=tmp_path / "vba"))
    assert imported.sheetnames == [n for n in card.sheetnames if n != "xlwings.conf"]
    assert [ws.sheet_state for ws in imported] == [card[n].sheet_state for n in imported.sheetnames]
    register = sheet_names(lang)["complaints"]
    mine, theirs = imported[register], card[register]
    style = mine.tables["Complaints"].tableStyleInfo
    assert (style.name, style.showRowStripes) == (
        theirs.tables["Complaints"].tableStyleInfo.name,
        theirs.tables["Complaints"].tableStyleInfo.showRowStripes)
    headers = {c.value: c for c in mine[HEADER_ROW]}
    for cell in theirs[HEADER_ROW]:
        assert _look(headers[cell.value]) == _look(cell), cell.value
        assert width(mine, headers[cell.value].column_letter) == \
            width(theirs, cell.column_letter)
    assert _look(headers[BY_KEY["source_ref"].header(lang)]) == _look(
        theirs[HEADER_ROW][0])  # the import's own column looks like any typed column
    assert _grid_sheets(imported, lang) == _grid_sheets(card, lang)
    formulas = [[c.value for c in row] for row in imported[sheet_names(lang)["card"]].iter_rows()]
    expected = [[c.value for c in row] for row in card[sheet_names(lang)["card"]].iter_rows()]
    pick = 3, 1  # B4: the case shown; the examples have one, a fresh import none
    formulas[pick[0]][pick[1]] = expected[pick[0]][pick[1]] = None
    assert formulas == expected


# --------------------------------------------------------------------------- append_rows

def _bold(cell) -> None:
    cell.font = Font(bold=True)


@pytest.fixture
def register(tmp_path):
    """A saved register of staff's own making (header in row 1, loaded back), its table and
    where its card fields are."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Complaints"
    put_table(ws, EN_HEADERS, ROWS, 1, 1, _bold)
    for row in (2, 3):
        ws[f"B{row}"].number_format = "yyyy-mm-dd hh:mm"
    table = Table(displayName="Complaints", ref="A1:I3")
    table.tableColumns = [TableColumn(id=j, name=h) for j, h in enumerate(EN_HEADERS, 1)]
    table.autoFilter = AutoFilter(ref=table.ref)  # the filter buttons Excel shows
    ws.add_table(table)
    wb.save(tmp_path / "reg.xlsx")
    wb = load_workbook(tmp_path / "reg.xlsx")
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


def test_appended_text_drops_what_a_workbook_cannot_store(register):
    wb, ws, table, columns = register
    append_rows(wb, ws, table, columns, [{"description": "a\x00b\x1fc"}])
    assert ws["F4"].value == "abc"


def test_appended_workbook_saves_and_loads_whole(register, tmp_path):
    wb, ws, table, columns = register
    append_rows(wb, ws, table, columns, IMPORTED)
    path = tmp_path / "after.xlsx"
    wb.save(path)
    with zipfile.ZipFile(path) as archive:
        assert missing_parts(archive) == set()
    again = load_workbook(path)["Complaints"]
    assert again.tables["Complaints"].ref == "A1:K5" and again["D5"].value == "CFPB consumer #2"


def test_rows_are_appended_to_a_built_workbook(en_path, tmp_path):
    wb = load_workbook(en_path)
    loc = find_register(wb)
    columns = {key: loc.first_col + pos for key, pos in read_register(loc).columns.items()}
    append_rows(wb, loc.ws, loc.table, columns, IMPORTED, header_row=loc.header_row)
    ws = loc.ws
    assert (value(ws, "Customer", 5), value(ws, "Source ref", 6)) == (
        "CFPB consumer #1", "CFPB-2")
    assert loc.table.ref.endswith("6") and loc.table.ref.startswith("A2:")


def test_chinese_register_gets_chinese_headers_and_finds_fields_by_header(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Complaints"
    put_table(ws, ZH_HEADERS, ROWS, 1, 1)
    table = Table(displayName="Complaints", ref="A1:I3")
    table.tableColumns = [TableColumn(id=j, name=h) for j, h in enumerate(ZH_HEADERS, 1)]
    ws.add_table(table)
    rows = [{"customer_name": "王芳", "source_ref": "CFPB-9", "内部备忘": "导入"}]
    append_rows(wb, ws, table, {}, rows)
    assert [ws["D4"].value, ws["I4"].value, ws["J1"].value, ws["J4"].value] == [
        "王芳", "导入", "来源编号", "CFPB-9"]


def test_blank_rows_at_the_end_of_a_table_are_filled_first(tmp_path):
    wb = Workbook()
    ws = wb.active
    put_table(ws, EN_HEADERS, [], 1, 1)
    table = Table(displayName="Complaints", ref="A1:I2")
    ws.add_table(table)
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


def test_a_built_register_is_still_cut_for_a_run(tmp_path):
    """The Card's merged cells below the rows openpyxl keeps must not make a run load the big
    register whole: the Card is loaded whole, the register is still cut."""
    from addin.batch.run import _kept_whole
    from addin.batch.stream import KEEP_ROWS, open_cut

    rows = [[f"Customer {i}", "Phone"] for i in range(KEEP_ROWS * 3)]
    path = build_workbook(tmp_path / "big.xlsx", "en", headers=["Customer", "Channel"], rows=rows)
    book = open_cut(path, False, _kept_whole)
    assert book is not None and set(book.sheets) == {"Complaints", "Help"}
    assert book.wb["Card"].max_row > KEEP_ROWS  # whole
