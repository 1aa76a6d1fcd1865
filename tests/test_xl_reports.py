"""The report buttons report the workbook on screen, never its saved file.

Through the recording stand-in: cells typed into the open book (and not saved) change the
report's figures; a book without a folder (never saved, or open from the web under xlwings Server
or Lite) gets its report on the Monthly sheet and a message naming the files that would be
written; the calls the Monthly report button makes do not grow with the rows.

``pytest -s -k calls`` prints the calls of the Monthly report button for two sizes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook
from test_xl_macros import card_workbook
from xl_standin import StandinBook

from addin.xl import macros
from reports.monthly import write_report

TODAY = dt.date(2026, 3, 20)  # the button reports February 2026
HEADERS = ["Case No", "Received", "Channel", "Customer", "Phone", "Complaint", "Status",
           "Resolved", "Solution", "Satisfaction"]


def row(case: str, received: dt.datetime, status: str = "New", resolved: dt.datetime | None = None,
        score: int | None = None) -> list:
    return [case, received, "Phone", f"Customer {case}", "13800000000", "Late delivery", status,
            resolved, "Refunded" if resolved else None, score]


@pytest.fixture
def saved_card(tmp_path) -> Path:
    """Three complaints received in February (one resolved, scored 4), one in January."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Complaints"
    ws.append(HEADERS)
    ws.append(row("A-1", dt.datetime(2026, 2, 2, 9)))
    ws.append(row("A-2", dt.datetime(2026, 2, 3, 9), "Resolved", dt.datetime(2026, 2, 5, 9), 4))
    ws.append(row("A-3", dt.datetime(2026, 2, 9, 9)))
    ws.append(row("A-4", dt.datetime(2026, 1, 12, 9)))
    path = tmp_path / "card.xlsx"
    wb.save(path)
    return path


def type_unsaved(book: StandinBook) -> None:
    """What a manager types before pressing the button, without saving: two more February
    complaints (one resolved, scored 2) and the January one's date corrected to February."""
    ws = book.wb["Complaints"]
    for values in (row("A-5", dt.datetime(2026, 2, 16, 9)),
                   row("A-6", dt.datetime(2026, 2, 17, 9), "Resolved",
                       dt.datetime(2026, 2, 18, 9), 2)):
        ws.append(values)
    ws.cell(5, 2).value = dt.datetime(2026, 2, 12, 9)


def key_figure(book: StandinBook, label: str) -> object:
    """This month's value of a key figure on the Monthly sheet the button rebuilt."""
    ws = book.wb["Monthly"]
    return next(r[1] for r in ws.iter_rows(values_only=True) if r[0] == label)


def test_the_report_shows_what_was_typed_and_not_saved(saved_card):
    book = StandinBook(saved_card)
    book.name = str(saved_card)  # saved in a folder: the files go beside it
    type_unsaved(book)
    result = macros.report_button(book, "monthly_report", today=TODAY)
    assert result.ok, result.message
    # By hand: February holds, the corrected; were
    # resolved in February with scores 4 and 2.
    figures = result.outcome.analysis.figures
    assert (figures.received, figures.resolved, figures.satisfaction_mean) == (6, 2, 3.0)
    assert key_figure(book, "Complaints received") == 6
    assert key_figure(book, "Mean satisfaction (1-5)") == 3.0
    html = next(f for f in result.files if f.suffix == ".html")
    assert html.parent == saved_card.parent
    assert '<div class="value">6' in html.read_text(encoding="utf-8")
    assert result.message.startswith("Written from the workbook as it is on screen")
    # The saved file still says what it said: the button did not read it.
    saved = write_report(saved_card, "2026-02", "en", saved_card.parent / "saved", TODAY,
                         pdf=False)[0].read_text(encoding="utf-8")
    assert '<div class="value">3' in saved


def test_a_book_without_a_folder_gets_the_report_in_the_workbook(saved_card, tmp_path,
                                                                monkeypatch):
    monkeypatch.chdir(tmp_path)
    book = StandinBook(saved_card)  # its full name is its bare name, as under xlwings Lite
    type_unsaved(book)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    result = macros.report_button(book, "monthly_report", today=TODAY)
    assert result.ok, result.message
    assert result.files == []
    assert sorted(p.name for p in tmp_path.rglob("*")) == before  # nothing written anywhere
    assert key_figure(book, "Complaints received") == 6
    assert result.message == (
        "The report is on the Monthly sheet of this workbook. The workbook is not saved in a "
        "folder (a new workbook, or one open from the web), so no file was written: save it in "
        "a folder and press Monthly report again to get card-report-2026-02-en.html beside it "
        "(and card-report-2026-02-en.pdf where Chromium is installed).")
    assert book.log.alerts[-1][1] == result.message


def test_case_summary_without_a_folder_says_where_the_files_go(saved_card):
    book = StandinBook(saved_card)
    book.select_range("Complaints", "A2:A3")
    result = macros.report_button(book, "case_summary", today=TODAY)
    assert not result.ok
    assert "summaries beside the workbook" in result.message
    assert "Save the workbook in a folder" in result.message


def test_case_summary_reads_the_workbook_on_screen(saved_card):
    book = StandinBook(saved_card)
    book.name = str(saved_card)
    type_unsaved(book)
    book.select_range("Complaints", "A7")  # A-6, typed and never saved
    result = macros.report_button(book, "case_summary", today=TODAY)
    assert result.ok, result.message
    assert [f.name for f in result.files] == ["A-6.html", "A-6.md"]
    assert "2 / 5" in result.files[0].read_text(encoding="utf-8")  # its score, on the card


def monthly_calls(rows: int) -> tuple[int, int]:
    book = StandinBook(card_workbook(rows))  # no folder: the calls are Excel's alone
    result = macros.report_button(book, "monthly_report", today=TODAY)
    assert result.ok, result.message
    return book.log.count, len(book.log.lookups)


def test_monthly_report_calls_do_not_grow_with_the_rows():
    """Five times the complaints, the same calls. (The calls follow the Monthly sheet's blocks:
    a table that gains a column, such as cases closed without a date, adds a format call; both
    registers are big enough to have the same blocks.)"""
    small, large = monthly_calls(2000), monthly_calls(10_000)
    print(f"\nMonthly report button: 2,000 rows {small[0]} calls, {small[1]} lookups; "
          f"10,000 rows {large[0]} calls, {large[1]} lookups")
    assert small == large
