"""Worksheet functions: one cell or a whole column, the workbook's own settings, and the same
answers the pipeline writes into the register."""

from __future__ import annotations

import datetime as dt
import inspect
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook
from test_xl_macros import TODAY, WHEN, build_book
from xl_standin import StandinBook

from addin.core.dates import before_received
from addin.xl.macros import run_button
from addin.xl.read import read_workbook
from udfs import complaint_udfs as udfs

MONDAY = dt.datetime(2026, 3, 16, 10, 30)


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    monkeypatch.setattr(udfs, "_today", lambda: TODAY)
    udfs._CACHE.clear()


@pytest.fixture(scope="module")
def processed_card(tmp_path_factory) -> Path:
    """A card with every settings sheet, processed once by Run all (the original stays beside
    it as card.xlsx)."""
    folder = tmp_path_factory.mktemp("udf")
    book = StandinBook(build_book(folder / "card.xlsx", 300))
    assert run_button(book, "run_all", today=TODAY, when=WHEN).ok
    book.wb.save(folder / "processed.xlsx")
    return folder / "processed.xlsx"


@pytest.fixture
def card_cells(processed_card):
    """The processed register and a cell of it to call the functions from (as Excel's caller)."""
    book = StandinBook(processed_card)
    register = read_workbook(book).register
    return register, book.sheets._sheet(register.sheet).range("A1")


def column(register, key: str) -> list[list]:
    """A register column as Excel passes a range to a function: rows of one cell."""
    return [[v] for v in register.col(key)]


def flat(table: list[list]) -> list:
    return [row[0] for row in table]


def unreadable(result: object) -> bool:
    """A '#Not a date' answer: the pipeline leaves those cells empty and reports a finding."""
    return isinstance(result, str) and result.startswith("#")


# ----------------------------------------------------------------------------- one cell

@pytest.mark.parametrize(("received", "severity", "urgency", "expected"), [
    (MONDAY, "Normal", "Normal", dt.datetime(2026, 3, 31)),  # catch-all: 15 calendar days
    (MONDAY, "重大", "立即处理", dt.datetime(2026, 3, 19)),  # either language; 3 working days
    (MONDAY, "Major", "Normal", dt.datetime(2026, 3, 25)),  # 7 working days
    (MONDAY, None, None, dt.datetime(2026, 3, 31)),  # unclassified: the catch-all target
    (46097.0, "Normal", "Normal", dt.datetime(2026, 3, 31)),  # an Excel serial number
    ("2026-03-16", "Normal", "Normal", dt.datetime(2026, 3, 31)),  # text
    ("soon", "Normal", "Normal", "#Not a date"),
    (None, "Normal", "Normal", None),
])
def test_resolve_by_for_one_case(received, severity, urgency, expected):
    assert udfs.CR_RESOLVE_BY([[received]], [[severity]], [[urgency]]) == [[expected]]


@pytest.mark.parametrize(("start", "end", "expected"), [
    (dt.datetime(2026, 3, 13), dt.datetime(2026, 3, 16), 1),  # Friday to Monday
    (dt.datetime(2026, 9, 30), dt.datetime(2026, 10, 9), 2),  # across the National Day week
    (dt.datetime(2026, 3, 16), dt.datetime(2026, 3, 13), -1),
    (dt.datetime(2026, 3, 16), "later", "#Not a date"),
])
def test_working_days_between_two_dates(start, end, expected):
    assert udfs.CR_WORKDAYS([[start]], [[end]]) == [[expected]]


@pytest.mark.parametrize(("args", "expected"), [
    ((dt.datetime(2026, 1, 5), None, None, "New", None, None), "Overdue"),
    ((dt.datetime(2026, 3, 19), None, None, "In progress", MONDAY, None), "On track"),
    ((dt.datetime(2026, 3, 2), None, None, "Resolved", None, dt.datetime(2026, 3, 5)),
     "Closed on time"),
    ((dt.datetime(2026, 3, 2), None, None, "已结案", None, dt.datetime(2026, 3, 5)),
     "Closed on time"),
])
def test_sla_status_of_one_case(args, expected):
    assert udfs.CR_SLA_STATUS(*[[[a]] for a in args]) == [[expected]]


@pytest.mark.parametrize(("text", "expected"), [
    ("The parcel arrived two weeks late", "Delivery"),
    ("服务员态度很差", "Service attitude"),
    ("", None),
])
def test_category_the_rules_would_give(text, expected):
    result = flat(udfs.CR_CATEGORY([[text]]))
    if expected is None:
        assert result == [None]
    else:
        assert result == [expected]


@pytest.mark.parametrize(("value", "expected"), [
    ("13812345678", "138****5678"),
    (13812345678.0, "138****5678"),  # typed as a number, Excel passes a float
    ("+86 138 1234 5678", "138****5678"),
    ("zhang.san@example.com", "z***@example.com"),
    (None, ""),
])
def test_mask_a_phone_or_an_email(value, expected):
    assert udfs.CR_MASK([[value]]) == [[expected]]


def test_a_plain_value_works_like_one_cell():
    assert udfs.CR_MASK("13812345678") == [["138****5678"]]
    assert udfs.CR_WORKDAYS(dt.datetime(2026, 3, 13), dt.datetime(2026, 3, 16)) == [[1]]


# ----------------------------------------------------------------------------- whole columns

def test_a_column_in_gives_a_column_out_and_one_cell_is_repeated():
    received = [[MONDAY], [dt.datetime(2026, 3, 17)], [None]]
    result = udfs.CR_RESOLVE_BY(received, [["Normal"]], [["Normal"]])
    assert result == [[dt.datetime(2026, 3, 31)], [dt.datetime(2026, 4, 1)], [None]]


def test_resolve_by_agrees_with_the_register(card_cells):
    register, caller = card_cells
    # Cases whose clock was paused or restarted carry state the function is not given.
    plain = (register.col("paused_days").isna() & register.col("reopened_at").isna()
             & register.col("waiting_since").isna()).to_list()
    due = flat(udfs.CR_RESOLVE_BY(column(register, "received_at"), column(register, "severity"),
                                  column(register, "urgency"), caller=caller))
    written = register.col("due_at").to_list()
    compared = [(a, b) for a, b, keep in zip(due, written, plain, strict=True)
                if keep and not unreadable(a)]
    assert len(compared) > 200
    assert [a for a, _ in compared] == [b for _, b in compared]


def test_sla_status_agrees_with_the_register(card_cells):
    register, caller = card_cells
    plain = (register.col("paused_days").isna() & register.col("reopened_at").isna()
             & register.col("waiting_since").isna()).to_list()
    states = flat(udfs.CR_SLA_STATUS(
        *[column(register, k) for k in ("received_at", "severity", "urgency", "status",
                                        "acknowledged_at", "resolved_at")], caller=caller))
    written = register.col("sla_status").to_list()
    compared = [(a, b) for a, b, keep in zip(states, written, plain, strict=True)
                if keep and not unreadable(a)]
    assert {b for _, b in compared} >= {"On track", "Overdue", "Closed on time"}
    assert [a for a, _ in compared] == [b for _, b in compared]


def test_working_days_agree_with_days_open_of_resolved_cases(card_cells):
    register, caller = card_cells
    resolved = register.col("resolved_at").notna().to_list()
    days = flat(udfs.CR_WORKDAYS(column(register, "received_at"), column(register, "resolved_at"),
                                 caller=caller))
    written = register.col("days_open").to_list()
    # Resolved before it was received (a date-order finding): no days open are written.
    early = before_received(pd.DataFrame({"received_at": register.col("received_at"),
                                          "resolved_at": register.col("resolved_at")}),
                            "resolved_at")
    compared = [(None if out_of_order else max(a, 0), b)
                for a, b, keep, out_of_order in zip(days, written, resolved, early, strict=True)
                if keep and isinstance(a, int)]
    assert len(compared) > 50 and any(a is None for a, _ in compared)
    assert [a for a, _ in compared] == [b for _, b in compared]


def test_category_agrees_with_what_the_rules_filled(card_cells, processed_card):
    register, caller = card_cells
    typed = read_workbook(StandinBook(processed_card.with_name("card.xlsx"))).register.col(
        "category")
    filled = typed.isna().to_list()  # where staff left the category for the rules
    found = flat(udfs.CR_CATEGORY(column(register, "description"), column(register, "request"),
                                  column(register, "product"), caller=caller))
    written = register.col("category").to_list()
    compared = [(a, b) for a, b, keep in zip(found, written, filled, strict=True) if keep]
    assert len(compared) > 100
    assert [a for a, _ in compared] == [b for _, b in compared]


# ----------------------------------------------------------------------------- settings

@pytest.fixture
def card_with_a_company_holiday(tmp_path) -> StandinBook:
    """A Holidays sheet that makes Friday 2026-03-20 a day off and replaces the built-in list."""
    wb = Workbook()
    wb.active.title = "Complaints"
    wb.active.append(["Received", "Channel", "Customer", "Complaint", "Status"])
    holidays = wb.create_sheet("Holidays")
    holidays.append(["Date", "Kind", "Name"])
    holidays.append([dt.datetime(2026, 3, 20), "Holiday", "Company day"])
    wb.save(tmp_path / "card.xlsx")
    return StandinBook(tmp_path / "card.xlsx")


def test_functions_use_the_workbooks_holidays(card_with_a_company_holiday):
    caller = card_with_a_company_holiday.sheets._sheet("Complaints").range("C2")
    thursday, monday = dt.datetime(2026, 3, 19), dt.datetime(2026, 3, 23)
    assert udfs.CR_WORKDAYS(thursday, monday) == [[2]]
    assert udfs.CR_WORKDAYS(thursday, monday, caller=caller) == [[1]]


def test_settings_are_read_once_for_many_recalculations(card_with_a_company_holiday):
    book = card_with_a_company_holiday
    caller = book.sheets._sheet("Complaints").range("C2")
    udfs.CR_WORKDAYS(MONDAY, MONDAY, caller=caller)
    after_first = book.log.count
    for _ in range(5):
        udfs.CR_SLA_STATUS(MONDAY, caller=caller)
    assert after_first > 0
    assert book.log.count == after_first


def test_chinese_card_answers_in_chinese(tmp_path):
    wb = Workbook()
    wb.active.title = "投诉登记"
    wb.save(tmp_path / "card.xlsx")
    caller = StandinBook(tmp_path / "card.xlsx").sheets._sheet("投诉登记").range("A1")
    assert udfs.CR_SLA_STATUS(dt.datetime(2026, 1, 5), caller=caller) == [["已超期"]]
    assert udfs.CR_CATEGORY("快递延误了一周还没到", caller=caller) == [["交付时效"]]


# ----------------------------------------------------------------------------- help text

@pytest.mark.parametrize("name", sorted(udfs.UDFS))
def test_every_function_has_help_for_itself_and_its_arguments(name):
    function = udfs.UDFS[name]
    assert len(inspect.getdoc(function)) > 40
    shown = [p for p in inspect.signature(function).parameters if p != "caller"]
    assert shown and all(p in udfs.ARG_HELP for p in shown)


def test_the_docs_name_the_udf_module_for_xlwings_conf():
    docs = (Path(__file__).parent.parent / "docs" / "excel.md").read_text(encoding="utf-8")
    assert f"| UDF Modules | {udfs.__name__} |" in docs
