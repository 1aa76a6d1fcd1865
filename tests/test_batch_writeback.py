"""Writing an outcome into a workbook with openpyxl: only the cells that change, appended columns
inside the Excel table, conditional formats added once, the Findings, Log and Counters sheets,
and nothing at all when nothing changes."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from books import EN_HEADERS, ZH_HEADERS, put_table, saved
from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.table import Table

from addin.batch.sheets import (
    RegisterLocation,
    find_register,
    read_counters,
    read_grids,
    read_register,
)
from addin.batch.writeback import apply_outcome, outcome_is_noop
from addin.core.findings import finding
from addin.core.pipeline import Outcome, Summary, process
from addin.core.register import Register
from addin.core.settings import Config
from addin.layout.cells import link_location, sheet_text
from addin.layout.log import RunInfo

ROWS = [
    ["TS-202603-0001", dt.datetime(2026, 3, 2, 9, 30), "Phone", "Zhang Wei", "call back",
     "13800138000", None, "Parcel arrived late", "New", None],
    [None, dt.datetime(2026, 3, 3, 14, 0), "Email", "Li Na", None, "12ab", "li@example.com",
     "Charged twice", "In progress", "Wang"],
    [None, dt.datetime(2026, 3, 4), "Web form", "Chen Jie", None, "021-5555-1234", None,
     "Rude staff", "Resolved", "Zhao"],
]
HEADER_FILL = PatternFill(fill_type="solid", start_color="FF1F4E78", end_color="FF1F4E78")
STAFF_FILL = PatternFill(fill_type="solid", start_color="FFFFFF00", end_color="FFFFFF00")
RUN = RunInfo(dt.datetime(2026, 3, 10, 8, 15), "wang.li", "0.1.0", "nightly")
# The add-in's columns appended to the English table: L, M, N, O, P.
NEW = ["category", "ack_due", "sla_status", "days_open", "check"]


def bold_header(cell) -> None:
    cell.font = Font(bold=True, color="FFFFFFFF")
    cell.fill = HEADER_FILL


@pytest.fixture
def table_book(tmp_path):
    """English register as an Excel table from B3 under a title, a staff column (Internal memo)
    among card columns, staff formatting and a staff conditional format."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Complaints"
    ws["B1"] = "Complaint register 2026"
    put_table(ws, EN_HEADERS, ROWS, header_row=3, first_col=2, style_header=bold_header)
    ws.add_table(Table(displayName="Register", ref="B3:K6"))
    ws["C5"].font = Font(italic=True)
    ws["F4"].fill = STAFF_FILL
    ws["C4"].number_format = "yyyy-mm-dd hh:mm"
    ws.conditional_formatting.add("D4:D6", CellIsRule(operator="equal", formula=['"Phone"'],
                                                      fill=STAFF_FILL))
    wb.create_sheet("Notes")["A1"] = "staff notes"
    return saved(wb, tmp_path, "start.xlsx")


@pytest.fixture
def chinese_book(tmp_path):
    """Chinese register without a table, header on row 2 from column C, with a sheet filter."""
    wb = Workbook()
    ws = wb.active
    ws.title = "投诉登记"
    put_table(ws, ZH_HEADERS, ROWS, header_row=2, first_col=3, style_header=bold_header)
    ws.auto_filter.ref = "C2:L5"
    return saved(wb, tmp_path, "start.xlsx")


def outcome(register, *, changes=None, new_columns=(), findings=(), counters=None, lang="en",
            summary=None):
    """An outcome as the pipeline returns it, made by hand."""
    series = {key: pd.Series(values, dtype=object) for key, values in (changes or {}).items()}
    return Outcome(register, lang, Config(), series, list(new_columns), list(findings),
                   dict(counters or {}), summary or Summary(rows=len(register.rows)),
                   pd.DataFrame())


def first_run(register):
    """What a first run over the table_book would change."""
    return outcome(register, new_columns=NEW, changes={
        "case_no": {5: "TS-202603-0002", 6: "TS-202603-0003"},
        "category": {4: "Delivery"},
        "ack_due": {4: dt.datetime(2026, 3, 3), 5: pd.Timestamp("2026-03-04"),
                    6: np.datetime64("2026-03-05")},
        "sla_status": {4: "Overdue", 5: "Due soon", 6: "Closed on time"},
        "days_open": {4: np.int64(6), 5: 5, 6: 0},
        "check": {5: "[Phone] Phone number looks wrong"},
    }, findings=[
        finding("repeat-complaint", "Complaints!B6", field="case_no", value="TS-202603-0001",
                row=6, days=2),
        finding("bad-phone", "Complaints!G5", field="phone", value="12ab", row=5),
        finding("not-numbered", "Complaints!B5", field="case_no", row=5),
        finding("missing-column", "Complaints", field="urgency", header="Urgency"),
    ], counters={"202603": 3},
        summary=Summary(rows=3, numbered=2, classified=1, errors=2, warnings=1, infos=1,
                        overdue=1, due_soon=1, cells_changed=13))


def look(cell):
    return (cell.value, cell.font.b, cell.font.i, cell.fill.fgColor.rgb, cell.number_format)


def snapshot(ws):
    return {cell.coordinate: look(cell) for row in ws.iter_rows() for cell in row}


def test_first_run_writes_exactly_the_changed_cells(table_book, tmp_path):
    ws = table_book["Complaints"]
    before = snapshot(ws)
    loc = find_register(table_book)
    written = apply_outcome(table_book, loc, first_run(read_register(loc)), RUN)
    assert written == 13
    after = snapshot(saved(table_book, tmp_path)["Complaints"])
    changed = {coord for coord in after if after[coord] != before.get(coord, after[coord])}
    assert changed == {"B5", "B6"}  # case numbers; every other old cell as it was
    new_cells = {coord: after[coord][0] for coord in after.keys() - before.keys()
                 if after[coord][0] is not None}
    assert new_cells == {
        "L3": "Category", "M3": "Acknowledge by", "N3": "SLA status", "O3": "Days open",
        "P3": "Check", "L4": "Delivery",
        "M4": dt.datetime(2026, 3, 3), "M5": dt.datetime(2026, 3, 4), "M6": dt.datetime(2026, 3, 5),
        "N4": "Overdue", "N5": "Due soon", "N6": "Closed on time", "O4": 6, "O5": 5, "O6": 0,
        "P5": "[Phone] Phone number looks wrong",
    }
    assert after["M4"][4] == "yyyy-mm-dd"
    assert after["O4"][4] == "0"
    assert after["C4"][4] == "yyyy-mm-dd hh:mm"  # staff's format on a cell not written
    assert after["F4"][3] == "FFFFFF00"


def test_new_columns_extend_the_table(table_book, tmp_path):
    loc = find_register(table_book)
    apply_outcome(table_book, loc, first_run(read_register(loc)), RUN)
    assert loc.last_col == 16
    wb = saved(table_book, tmp_path)
    ws = wb["Complaints"]
    table = ws.tables["Register"]
    assert table.ref == "B3:P6"
    assert table.autoFilter.ref == "B3:P6"
    names = [column.name for column in table.tableColumns]
    assert names == [ws.cell(3, col).value for col in range(2, 17)]
    ids = [column.id for column in table.tableColumns]
    assert len(set(ids)) == len(ids) == 15
    # The new header looks like the old last one.
    assert (ws["P3"].font.b, ws["P3"].font.color.rgb, ws["P3"].fill.fgColor.rgb) == (
        True, "FFFFFFFF", "FF1F4E78")
    # Read again, the register has the added fields where the writer put them.
    register = read_register(find_register(wb))
    assert register.cell(5, "check") == "Complaints!P5"
    assert register.col("sla_status")[4] == "Overdue"


def test_chinese_headers_and_sheet_filter_follow_new_columns(chinese_book, tmp_path):
    loc = find_register(chinese_book)
    register = read_register(loc)
    result = outcome(register, lang="zh-CN", new_columns=["sla_status", "check"],
                     changes={"sla_status": {3: "已超期"}})
    apply_outcome(chinese_book, loc, result, RUN)
    ws = saved(chinese_book, tmp_path)["投诉登记"]
    assert (ws["M2"].value, ws["N2"].value, ws["M3"].value) == ("时限状态", "校验结果", "已超期")
    assert ws.auto_filter.ref == "C2:N5"


@pytest.mark.parametrize(("value", "expected"), [
    (None, None),  # None clears the cell
    (float("nan"), None),
    (pd.NaT, None),
    ("=HYPERLINK(\"http://x\")", "=HYPERLINK(\"http://x\")"),  # text that looks like a formula
    ("#N/A", "#N/A"),
    ("bell\x07 text", "bell text"),  # characters a workbook cannot hold are dropped
])
def test_written_values_are_plain(table_book, tmp_path, value, expected):
    loc = find_register(table_book)
    result = outcome(read_register(loc), changes={"handler": {5: value}})
    apply_outcome(table_book, loc, result, RUN)
    cell = saved(table_book, tmp_path)["Complaints"]["K5"]
    assert cell.value == expected
    assert cell.data_type in ("s", "n")


def staff_rules(ws):
    return [(str(cf.sqref), rule.formula) for cf in ws.conditional_formatting
            for rule in cf.rules if rule.type == "cellIs"]


def test_colours_are_conditional_formats(table_book, tmp_path):
    loc = find_register(table_book)
    apply_outcome(table_book, loc, first_run(read_register(loc)), RUN)
    ws = saved(table_book, tmp_path)["Complaints"]
    rules = {formula: (str(cf.sqref), rule) for cf in ws.conditional_formatting
             for rule in cf.rules for formula in rule.formula}
    span, rule = rules['ISNUMBER(FIND("[Phone]",$P4))']
    assert span == "G4:G6"
    assert (rule.dxf.fill.fgColor.rgb, rule.dxf.font.color.rgb) == ("00FFC7CE", "009C0006")
    assert rules['OR($N4="Overdue",$N4="已超期")'][0] == "B4:P6"
    assert rules['OR($N4="Due soon",$N4="即将到期")'][0] == "B4:P6"
    # One cell rule per card column except Check; none for the staff column.
    finds = [formula for formula in rules if formula.startswith("ISNUMBER")]
    assert len(finds) == 13
    assert not any("Internal memo" in formula for formula in finds)
    # Cell rules outrank row rules, so a flagged cell shows inside an overdue row.
    assert rule.priority < rules['OR($N4="Overdue",$N4="已超期")'][1].priority
    assert staff_rules(ws) == [("D4:D6", ['"Phone"'])]


def test_second_run_adds_no_rules_and_a_grown_table_moves_them(table_book, tmp_path):
    loc = find_register(table_book)
    apply_outcome(table_book, loc, first_run(read_register(loc)), RUN)
    wb = saved(table_book, tmp_path)
    loc, again = settled(wb)
    ws = loc.ws
    count = sum(len(cf.rules) for cf in ws.conditional_formatting)
    assert count == 16  # 13 cells, 2 rows, 1 of staff's
    assert outcome_is_noop(wb, loc, again)

    # Staff add a row to the table: our rules must cover it, without doubling.
    ws["C7"], ws["E7"] = dt.datetime(2026, 3, 9), "Sun Li"
    ws.tables["Register"].ref = "B3:P7"
    _, again = settled(wb)
    assert not outcome_is_noop(wb, loc, again)
    apply_outcome(wb, loc, again, RUN)
    ws = saved(wb, tmp_path, "grown.xlsx")["Complaints"]
    spans = {str(cf.sqref) for cf in ws.conditional_formatting}
    assert sum(len(cf.rules) for cf in ws.conditional_formatting) == count
    assert {"G4:G7", "B4:P7", "D4:D6"} <= spans
    assert "G4:G6" not in spans
    assert staff_rules(ws) == [("D4:D6", ['"Phone"'])]


def test_header_with_quotes_is_quoted_in_the_formula(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Complaints"
    register = Register("Complaints", 1, 1, ['Tel "mobile"', "Check"], pd.DataFrame(
        [[None, None]], index=[2], columns=[0, 1], dtype=object), {"phone": 0, "check": 1})
    for col, header in enumerate(register.headers, 1):
        ws.cell(1, col, header)
    apply_outcome(wb, RegisterLocation(ws, 1, 1, 2), outcome(register), RUN)
    formulas = [rule.formula[0] for cf in ws.conditional_formatting for rule in cf.rules]
    assert formulas == ['ISNUMBER(FIND("[Tel ""mobile""]",$B2))']


def test_findings_sheet_lists_errors_first_with_links(table_book, tmp_path):
    loc = find_register(table_book)
    apply_outcome(table_book, loc, first_run(read_register(loc)), RUN)
    ws = saved(table_book, tmp_path)["Findings"]
    rows = [tuple(c.value for c in row) for row in ws.iter_rows()]
    assert rows == [
        ("Cell", "Level", "Code", "Field", "Value", "Message", "What to do"),
        ("Complaints!G5", "Error", "bad-phone", "Phone", "12ab",
         "'12ab' does not look like a phone number.",
         "Use digits, spaces, +, - or brackets (at least 7 digits)."),
        ("Complaints", "Error", "missing-column", "Urgency", None,
         "The column Urgency is missing from the register.", "Add a column headed Urgency."),
        ("Complaints!B5", "Warning", "not-numbered", "Case No", None,
         "No case number was assigned because the row has errors.",
         "Fix the errors in this row; the next run assigns the number."),
        ("Complaints!B6", "Info", "repeat-complaint", "Case No", "TS-202603-0001",
         "The same customer complained 2 days earlier: case TS-202603-0001.",
         "Check the earlier case before replying."),
    ]
    links = [ws.cell(r, 1).hyperlink.location for r in range(2, 6)]
    assert links == ["'Complaints'!G5", "'Complaints'!A1", "'Complaints'!B5", "'Complaints'!B6"]
    assert ws.cell(1, 1).hyperlink is None
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:G5"


def test_findings_sheet_in_chinese_is_rebuilt_in_place(table_book, tmp_path):
    loc = find_register(table_book)
    apply_outcome(table_book, loc, first_run(read_register(loc)), RUN)
    wb = saved(table_book, tmp_path)
    wb.move_sheet("Findings", offset=-1)  # staff moved it before Notes
    position = wb.sheetnames.index("Findings")
    loc = find_register(wb)
    result = outcome(read_register(loc), lang="zh-CN", findings=[
        finding("bad-email", "Complaints!H5", field="email", value="li@", row=5)])
    apply_outcome(wb, loc, result, RUN)
    wb = saved(wb, tmp_path, "second.xlsx")
    assert wb.sheetnames.index("Findings") == position
    rows = [tuple(c.value for c in row) for row in wb["Findings"].iter_rows()]
    assert rows == [
        ("单元格", "级别", "代码", "字段", "值", "说明", "处理建议"),
        ("Complaints!H5", "错误", "bad-email", "Email", "li@", "“li@”不像是电子邮箱。",
         "请按 name@example.com 的格式填写。"),
    ]


@pytest.mark.parametrize(("cell", "location"), [
    ("Complaints!F12", "'Complaints'!F12"),
    ("'My complaints'!AB3", "'My complaints'!AB3"),
    ("'Tom''s list'!C4", "'Tom''s list'!C4"),
    ("投诉登记!B2", "'投诉登记'!B2"),
    ("Settings", "'Settings'!A1"),
    ("Hello!", "'Hello!'!A1"),
])
def test_link_location(cell, location):
    assert link_location(cell) == location


@pytest.mark.parametrize(("value", "text"), [
    ("plain 文本", "plain 文本"), ("a\x00b\x1fc", "abc"), ("tab\tline\nend\r", "tab\tline\nend\r"),
    ("\x0b\x0c", None), ("\u3000全角\x08", "\u3000全角"), ("", None), (None, None), (12, "12"),
])
def test_sheet_text_drops_what_xml_cannot_hold(value, text):
    assert sheet_text(value) == text


def test_log_gets_one_row_per_run_that_changed_something(table_book, tmp_path):
    loc = find_register(table_book)
    apply_outcome(table_book, loc, first_run(read_register(loc)), RUN)
    wb = saved(table_book, tmp_path)
    loc = find_register(wb)
    later = RunInfo(dt.datetime(2026, 3, 11, 9, 0), "zhao", "0.1.1")
    result = outcome(read_register(loc), changes={"sla_status": {4: "Closed late"}},
                     findings=first_run(read_register(loc)).findings, counters={"202603": 3},
                     summary=Summary(rows=3, errors=2, warnings=1, cells_changed=1))
    assert apply_outcome(wb, loc, result, later) == 1
    ws = saved(wb, tmp_path, "second.xlsx")["Log"]
    rows = [tuple(c.value for c in row) for row in ws.iter_rows()]
    assert rows == [
        ("When", "Who", "Tool version", "Rows", "Numbers assigned", "Classified", "Cells changed",
         "Errors", "Warnings", "Overdue", "Note"),
        (dt.datetime(2026, 3, 10, 8, 15), "wang.li", "0.1.0", 3, 2, 1, 13, 2, 1, 1, "nightly"),
        (dt.datetime(2026, 3, 11, 9, 0), "zhao", "0.1.1", 3, 0, 0, 1, 2, 1, 0, None),
    ]
    assert ws["A3"].number_format == "yyyy-mm-dd hh:mm"


def test_a_run_that_only_refreshes_findings_adds_no_log_row(table_book, tmp_path):
    """As in the live door: the Log is for changes to the register and its counters."""
    loc = find_register(table_book)
    apply_outcome(table_book, loc, first_run(read_register(loc)), RUN)
    wb = saved(table_book, tmp_path)
    loc = find_register(wb)
    again = first_run(read_register(loc))
    result = outcome(read_register(loc), findings=again.findings[:1], counters={"202603": 2},
                     summary=Summary(rows=3))
    assert not outcome_is_noop(wb, loc, result)  # the Findings sheet does change
    assert apply_outcome(wb, loc, result, RUN) == 0
    after = saved(wb, tmp_path, "second.xlsx")
    assert after["Log"].max_row == 2
    assert after["Findings"].max_row == 2


def test_log_header_in_chinese(chinese_book, tmp_path):
    loc = find_register(chinese_book)
    apply_outcome(chinese_book, loc, outcome(read_register(loc), lang="zh-CN",
                                             new_columns=["check"]), RUN)
    ws = saved(chinese_book, tmp_path)["Log"]
    assert [c.value for c in ws[1]] == ["时间", "操作人", "工具版本", "行数", "新分配编号",
                                       "自动分类", "修改单元格", "错误", "警告", "已超期", "备注"]


def test_counters_round_trip_and_never_go_down(table_book, tmp_path):
    loc = find_register(table_book)
    apply_outcome(table_book, loc, first_run(read_register(loc)), RUN)
    wb = saved(table_book, tmp_path)
    assert wb["Counters"].sheet_state == "hidden"
    assert [c.value for c in wb["Counters"][1]] == ["Period", "Last number"]
    assert read_counters(wb) == {"202603": 3}
    loc = find_register(wb)
    stale = outcome(read_register(loc), findings=first_run(read_register(loc)).findings,
                    counters={"202603": 2, "202604": 1})
    apply_outcome(wb, loc, stale, RUN)
    assert read_counters(saved(wb, tmp_path, "second.xlsx")) == {"202603": 3, "202604": 1}


def settled(wb):
    """The outcome of running again over a processed workbook: the same findings and counters,
    no cells to change, no columns to add."""
    loc = find_register(wb)
    previous = first_run(read_register(loc))
    return loc, outcome(read_register(loc), findings=previous.findings,
                        counters=previous.counters)


def test_second_run_over_its_own_output_writes_nothing(table_book, tmp_path):
    loc = find_register(table_book)
    apply_outcome(table_book, loc, first_run(read_register(loc)), RUN)
    wb = saved(table_book, tmp_path)
    before = {ws.title: snapshot(ws) for ws in wb.worksheets}
    loc, again = settled(wb)
    assert outcome_is_noop(wb, loc, again)
    assert apply_outcome(wb, loc, again, RUN) == 0
    assert {ws.title: snapshot(ws) for ws in wb.worksheets} == before
    assert wb["Log"].max_row == 2


@pytest.mark.parametrize("difference", ["changes", "new_columns", "findings", "counters"])
def test_any_difference_is_not_a_noop(table_book, tmp_path, difference):
    loc = find_register(table_book)
    apply_outcome(table_book, loc, first_run(read_register(loc)), RUN)
    wb = saved(table_book, tmp_path)
    loc, again = settled(wb)
    if difference == "changes":
        again.changes = {"handler": pd.Series({4: "Sun"}, dtype=object)}
    elif difference == "new_columns":
        again.new_columns = ["rule"]
    elif difference == "findings":
        again.findings = again.findings[:-1]
    else:
        again.counters = {"202604": 1}
    assert not outcome_is_noop(wb, loc, again)


@pytest.mark.parametrize("book", ["table_book", "chinese_book"])
def test_pipeline_round_trip_settles(book, request, tmp_path):
    """Read, process, write, save; the run over that output finds nothing left to write."""
    wb = request.getfixturevalue(book)
    today = dt.date(2026, 3, 10)
    for n in range(2):
        loc = find_register(wb)
        result = process(read_register(loc), read_grids(wb), today, read_counters(wb))
        assert outcome_is_noop(wb, loc, result) == (n == 1), result.changes
        apply_outcome(wb, loc, result, RUN)
        wb = saved(wb, tmp_path, f"run{n}.xlsx")
    assert wb["Log"].max_row == 2


def test_outcome_for_another_register_is_refused(table_book, chinese_book):
    """A programming slip, not a user error: writing it would scramble columns."""
    other = read_register(find_register(chinese_book))
    with pytest.raises(ValueError, match="another register"):
        apply_outcome(table_book, find_register(table_book), outcome(other), RUN)
