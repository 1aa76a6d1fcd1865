"""Reading workbooks with openpyxl: finding the complaints table by its headers, reading its rows
with Excel's row numbers, the settings sheets and the case-number counters."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from books import EN_HEADERS, ZH_HEADERS, put_table, saved
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.table import Table

from addin.batch.sheets import (
    find_register,
    read_counters,
    read_grids,
    read_register,
)

ROWS = [
    ["TS-202603-0001", dt.datetime(2026, 3, 2, 9, 30), "Phone", "Zhang Wei", "call back",
     "13800138000", None, "Parcel arrived late", "New", None],
    [None, dt.datetime(2026, 3, 3, 14, 0), "Email", "Li Na", None, None, "li@example.com",
     "Charged twice", "In progress", "Wang"],
    [None, dt.datetime(2026, 3, 4), "Web form", "Chen Jie", None, "021-5555-1234", None,
     "Rude staff", "Resolved", "Zhao"],
]


@pytest.fixture
def table_book(tmp_path):
    """An English register as an Excel table below a title, from column B, a staff column
    (Internal memo) between card columns, staff formatting, and a stray value below the table."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Complaints"
    ws["B1"] = "Complaint register 2026"
    put_table(ws, EN_HEADERS, ROWS, header_row=3, first_col=2)
    ws.add_table(Table(displayName="Register", ref="B3:K7"))  # row 7 is an empty table row
    ws["C5"].font = Font(bold=True)
    ws["F4"].fill = PatternFill(fill_type="solid", start_color="FFFF00", end_color="FFFF00")
    ws["D10"] = "not in the table"
    return saved(wb, tmp_path)


@pytest.fixture
def chinese_sheet_book(tmp_path):
    """A Chinese register on a sheet named 投诉登记, no Excel table, header on row 2 from column C,
    an empty row in the middle and blank-looking rows at the end."""
    wb = Workbook()
    ws = wb.active
    ws.title = "投诉登记"
    put_table(ws, ZH_HEADERS, [ROWS[0], [None] * 10, ROWS[1]], header_row=2, first_col=3)
    ws["E6"] = "   "  # spaces only: not data
    ws["F7"].fill = PatternFill(fill_type="solid", start_color="DDDDDD", end_color="DDDDDD")
    return saved(wb, tmp_path)


def test_table_is_found_by_its_headers(table_book):
    loc = find_register(table_book)
    assert (loc.sheet, loc.header_row, loc.first_col, loc.last_col) == ("Complaints", 3, 2, 11)
    assert loc.table.displayName == "Register"


def test_table_rows_carry_excel_row_numbers_and_values(table_book):
    register = read_register(find_register(table_book))
    assert list(register.rows.index) == [4, 5, 6]
    assert register.headers == EN_HEADERS
    assert register.lang == "en"
    assert register.columns["phone"] == 5
    assert "Internal memo" not in register.columns.values()
    assert register.cell(5, "phone") == "Complaints!G5"
    assert register.col("received_at")[4] == dt.datetime(2026, 3, 2, 9, 30)
    assert register.col("phone")[6] == "021-5555-1234"
    assert register.rows.loc[4, 4] == "call back"  # the staff column is read, keyed by position
    assert register.col("email")[4] is None


def test_value_below_the_table_is_not_read(table_book):
    register = read_register(find_register(table_book))
    assert register.rows.index.max() == 6
    assert "not in the table" not in register.rows.to_numpy().ravel().tolist()


def test_reading_creates_no_cells(table_book):
    ws = table_book["Complaints"]
    before = len(ws._cells)
    read_register(find_register(table_book))
    assert len(ws._cells) == before


def test_totals_row_is_not_a_complaint(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Complaints"
    put_table(ws, EN_HEADERS, ROWS + [["Total", None, None, None, None, None, None, None, None,
                                       "=SUBTOTAL(103,[Handler])"]], header_row=1, first_col=1)
    ws.add_table(Table(displayName="Register", ref="A1:J5", totalsRowCount=1))
    register = read_register(find_register(saved(wb, tmp_path)))
    assert list(register.rows.index) == [2, 3, 4]


def test_chinese_sheet_without_table(chinese_sheet_book):
    loc = find_register(chinese_sheet_book)
    assert (loc.sheet, loc.header_row, loc.first_col, loc.last_col, loc.table) == (
        "投诉登记", 2, 3, 12, None)
    register = read_register(loc)
    assert register.lang == "zh-CN"
    # The empty middle row stays so row numbers are exact; trailing blank rows are dropped.
    assert list(register.rows.index) == [3, 4, 5]
    assert register.rows.loc[4].isna().all()
    assert register.cell(5, "email") == "投诉登记!I5"
    assert register.col("customer_name")[5] == "Li Na"


def book_with_sheet(title, headers, header_row=1, first_col=1):
    wb = Workbook()
    ws = wb.active
    ws.title = title
    put_table(ws, headers, ROWS, header_row, first_col)
    return wb


@pytest.mark.parametrize(("title", "headers", "header_row", "first_col", "expected"), [
    # Any sheet will do when its header row names five card fields.
    ("Data 2026", EN_HEADERS, 5, 4, ("Data 2026", 5, 4, 13)),
    ("Sheet1", ["Case No", "Received", "Channel", "Customer", "Phone"], 1, 1,
     ("Sheet1", 1, 1, 5)),
    # Four card fields on a sheet of another name: not taken for the register.
    ("Sheet1", ["Case No", "Received", "Channel", "Customer", "Remarks"], 1, 1, None),
    # The sheet named for complaints is the register even with few card headers, so the core can
    # report the missing columns by name instead of "no complaints table".
    ("Complaints", ["Case No", "Received", "Their notes"], 2, 1, ("Complaints", 2, 1, 3)),
    ("投诉记录", ["案件编号", "受理时间", "投诉渠道"], 1, 2, ("投诉记录", 1, 2, 4)),
    # A header below the first 20 rows is not looked for.
    ("Data", EN_HEADERS, 21, 1, None),
])
def test_register_found_without_a_table(title, headers, header_row, first_col, expected):
    loc = find_register(book_with_sheet(title, headers, header_row, first_col))
    found = None if loc is None else (loc.sheet, loc.header_row, loc.first_col, loc.last_col)
    assert found == expected


def test_table_is_preferred_to_the_named_sheet():
    wb = book_with_sheet("Complaints", ["Case No", "Received", "Remarks"])
    data = wb.create_sheet("Data")
    put_table(data, EN_HEADERS, ROWS, header_row=2, first_col=1)
    data.add_table(Table(displayName="Cases", ref="A2:J5"))
    loc = find_register(wb)
    assert (loc.sheet, loc.header_row, loc.table.displayName) == ("Data", 2, "Cases")


def test_table_with_few_card_headers_is_passed_over():
    wb = book_with_sheet("Complaints", EN_HEADERS, header_row=1)
    other = wb.create_sheet("Prices")
    put_table(other, ["Product", "Price", "Channel"], [["A", 1, "Web"]], 1, 1)
    other.add_table(Table(displayName="Prices", ref="A1:C2"))
    loc = find_register(wb)
    assert (loc.sheet, loc.table) == ("Complaints", None)


def test_workbook_without_register():
    wb = Workbook()
    wb.active["A1"] = "Nothing here"
    assert find_register(wb) is None


def test_settings_sheets_are_read_by_role_in_either_language(tmp_path):
    wb = book_with_sheet("Complaints", EN_HEADERS)
    settings = wb.create_sheet("Settings")
    settings["B2"], settings["C2"] = "Setting", "Value"
    settings["B3"], settings["C3"] = "Language", "zh-CN"
    lists = wb.create_sheet("列表")
    lists["A1"], lists["A2"] = "Channel", "Fax"
    wb.create_sheet("Rules")
    holidays = wb.create_sheet("节假日")
    holidays["A1"], holidays["A2"] = "Date", dt.datetime(2026, 10, 1)
    wb.create_sheet("Notes")["A1"] = "not a settings sheet"
    grids = read_grids(saved(wb, tmp_path))
    assert sorted(grids) == ["holidays", "lists", "rules", "settings"]
    assert (grids["settings"].sheet, grids["settings"].first_row, grids["settings"].first_col) == (
        "Settings", 2, 2)
    assert grids["settings"].rows == [["Setting", "Value"], ["Language", "zh-CN"]]
    assert grids["settings"].ref(1, 1) == "Settings!C3"
    assert grids["lists"].rows == [["Channel"], ["Fax"]]
    assert grids["rules"].rows == []
    assert grids["holidays"].value(1, 0) == dt.datetime(2026, 10, 1)


@pytest.mark.parametrize(("rows", "expected"), [
    ([("Period", "Last number"), ("202603", 12), ("202604", 3)], {"202603": 12, "202604": 3}),
    # Retyped in Excel, a period and a number may come back as numbers or text.
    ([("Period", "Last number"), (202603, 12.0), ("2026", "7")], {"202603": 12, "2026": 7}),
    # Damaged rows are skipped; a period listed twice keeps its highest mark.
    ([("Period", "Last number"), ("202603", "twelve"), (None, 4), ("202604", -1),
      ("202605", 2), ("202605", 9)], {"202605": 9}),
])
def test_counters_are_read(rows, expected):
    wb = Workbook()
    ws = wb.create_sheet("Counters")
    for row in rows:
        ws.append(row)
    assert read_counters(wb) == expected


def test_no_counters_sheet_means_no_counters():
    assert read_counters(Workbook()) == {}


@pytest.mark.slow
def test_large_register_reads_every_row(capsys):
    """50,000 rows x 25 columns: prints the read time (a benchmark figure, not an assertion)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Complaints"
    headers = EN_HEADERS + [f"Extra {i}" for i in range(15)]
    ws.append(headers)
    for n in range(50_000):
        ws.append([f"TS-{n:06d}", dt.datetime(2026, 1, 1) + dt.timedelta(minutes=n), "Phone",
                   f"Customer {n}", None, "13800138000", None, "Late", "New", "Wang",
                   *range(15)])
    loc = find_register(wb)
    start = time.perf_counter()
    register = read_register(loc)
    seconds = time.perf_counter() - start
    with capsys.disabled():
        print(f"\nread_register: 50,000 x 25 in {seconds:.2f} s")
    assert register.rows.shape == (50_000, 25)
    assert register.rows.index[-1] == 50_001
    assert register.col("case_no")[50_001] == "TS-049999"


def test_formatted_cell_far_below_does_not_stretch_the_register(tmp_path):
    wb = book_with_sheet("Complaints", EN_HEADERS)
    wb.active["C1000000"].fill = PatternFill(fill_type="solid", start_color="DDDDDD",
                                             end_color="DDDDDD")
    register = read_register(find_register(saved(wb, tmp_path)))
    assert list(register.rows.index) == [2, 3, 4]
