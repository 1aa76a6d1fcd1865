"""One register finder for every door: the batch door (openpyxl), the live door (xlwings, through
the recording stand-in) and the reports (calamine) locate the same table in the same workbook,
including a sheet named for complaints that names only a few card fields."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from xl_standin import StandinBook

from addin.batch.sheets import find_register as batch_find
from addin.batch.sheets import read_register
from addin.core.fields import BY_KEY
from addin.layout.blocks import Block
from addin.layout.register import MIN_MATCHES, TableHead, find_register
from addin.xl.read import NoRegister
from addin.xl.read import read_workbook as live_read
from reports.read import ReportRefused, read_workbook_fast

KEYS = ("received_at", "channel", "customer_name", "description", "status", "product", "phone")


def headers(count: int, lang: str = "en") -> list[str]:
    return [BY_KEY[key].header(lang) for key in KEYS[:count]]


def sheet(wb: Workbook, title: str, header: list[str], top: int = 1, left: int = 1,
          rows: int = 2) -> None:
    """A sheet with ``header`` at (top, left), a title above it and ``rows`` filled rows below."""
    ws = wb.create_sheet(title)
    if top > 1:
        ws.cell(top - 1, left, "Complaint log 2026")
    for j, text in enumerate(header):
        ws.cell(top, left + j, text)
        for i in range(1, rows + 1):
            ws.cell(top + i, left + j, f"{text} {i}")


def book(tmp_path: Path, *sheets: tuple) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for title, header, *where in sheets:
        sheet(wb, title, header, *where)
    path = tmp_path / "card.xlsx"
    wb.save(path)
    return path


def batch_answer(path: Path) -> tuple | None:
    loc = batch_find(load_workbook(path))
    if loc is None:
        return None
    register = read_register(loc)
    return register.sheet, register.header_row, register.first_col, register.headers


def live_answer(path: Path) -> tuple | None:
    try:
        register = live_read(StandinBook(path), roles=()).register
    except NoRegister:
        return None
    return register.sheet, register.header_row, register.first_col, register.headers


def report_answer(path: Path) -> tuple | None:
    try:
        register = read_workbook_fast(path)[0]
    except ReportRefused:
        return None
    return register.sheet, register.header_row, register.first_col, register.headers


# (sheets of the workbook, the register expected: sheet, header row, first column, headers)
CASES = {
    "named sheet with three card headers": (
        [("Complaints", headers(3), 3, 2)], ("Complaints", 3, 2, headers(3))),
    "named sheet with one card header": (
        [("投诉登记", headers(1, "zh"))], ("投诉登记", 1, 1, headers(1, "zh"))),
    "named sheet with four card headers": (
        [("Notes", headers(7)), ("Complaints", headers(4), 2)],
        ("Complaints", 2, 1, headers(4))),
    "other sheet with enough headers": (
        [("Data", headers(MIN_MATCHES), 4, 3)], ("Data", 4, 3, headers(MIN_MATCHES))),
    "other sheet with too few headers": ([("Data", headers(MIN_MATCHES - 1))], None),
    "named sheet without headers, other sheet with enough": (
        [("Complaints", ["Remarks", "Owner"]), ("Data", headers(6))],
        ("Data", 1, 1, headers(6))),
    "the other sheet naming the most fields wins": (
        [("First", headers(5)), ("Second", headers(7)), ("Third", headers(6))],
        ("Second", 1, 1, headers(7))),
    "settings and the add-in's own sheets are never the register": (
        [("Settings", headers(7)), ("Findings", headers(7)), ("Monthly", headers(7))], None),
}


@pytest.mark.parametrize("sheets, expected", CASES.values(), ids=CASES.keys())
def test_every_door_finds_the_same_register(tmp_path, sheets, expected):
    path = book(tmp_path, *sheets)
    answers = {"batch": batch_answer(path), "live": live_answer(path),
               "reports": report_answer(path)}
    assert answers == {"batch": expected, "live": expected, "reports": expected}


def test_a_named_sheet_is_read_first_and_alone():
    """A reader that pays per sheet (the live door: two Excel calls) reads no other sheet once
    the sheet named for complaints holds the register."""
    read: list[str] = []

    def top(name: str) -> Block:
        read.append(name)
        rows = [headers(2)] if name == "Complaints" else [headers(7)]
        return Block(name, rows)

    found = find_register(["Data", "Complaints", "More"], top)
    assert (found.sheet, found.matches, read) == ("Complaints", 2, ["Complaints"])


def test_a_table_naming_enough_fields_comes_before_a_named_sheet():
    table = TableHead("Data", "Cases", 3, 2, [*headers(5), "Remarks"])
    found = find_register(["Complaints", "Data"], lambda name: Block(name, [headers(3)]),
                          [table])
    assert (found.sheet, found.table, found.header_row, found.first_col, found.last_col) == \
        ("Data", "Cases", 3, 2, 7)


def test_a_table_naming_few_fields_is_passed_over():
    table = TableHead("Data", "Cases", 1, 1, headers(MIN_MATCHES - 1))
    found = find_register(["Complaints", "Data"], lambda name: Block(name, [headers(2)]),
                          [table])
    assert (found.sheet, found.table) == ("Complaints", None)
