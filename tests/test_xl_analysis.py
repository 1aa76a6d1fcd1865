"""The Analysis and Monthly sheets written live through xlwings, run on the recording stand-in.

What is pinned: the live add-in writes the same cells, tables and charts as the batch door; a
second run rebuilds the sheets instead of appending (one sheet, one set of charts, table names
still unique); the number of Excel calls does not grow with the number of complaints; staff stay
on the sheet they were on; text that Excel would turn into a date ("2026-03") is formatted as
text before it is written.
"""

from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd
import pytest
from xl_standin import CallLog, StandinBook, charts_on

from addin.batch.analysis_sheets import write_analysis_sheets
from addin.core.analysis import analysis_figures
from addin.core.calendar import WorkCalendar
from addin.layout.tables import plan_sheets
from addin.xl.analysis import format_blocks, width_runs, write_analysis

TODAY = dt.date(2026, 4, 10)


@pytest.fixture
def calendar() -> WorkCalendar:
    return WorkCalendar(frozenset(), frozenset(), (5, 6))


def cases_frame(copies: int = 1) -> pd.DataFrame:
    """Three complaints (one overdue, one repeat), repeated ``copies`` times a week apart."""
    rows = []
    for k in range(copies):
        shift = pd.Timedelta(days=7 * (k % 4))
        for no, received, channel, category, status, ack, resolved, due, score, phone, rep in [
            ("1", "2026-02-10", "Phone", "Delivery", "Closed", "2026-02-11", "2026-02-12",
             "2026-02-20", 4.0, "13812345678", None),
            ("2", "2026-03-02", "Email", "Delivery", "Closed", "2026-03-03", "2026-03-04",
             "2026-03-06", 5.0, "13900000000", None),
            ("3", "2026-03-10", "Phone", "Billing", "In progress", "2026-03-10", None,
             "2026-03-17", None, "13812345678", "TS-1"),
        ]:
            rows.append(dict(
                case_no=f"TS-{k}-{no}", received_at=pd.Timestamp(received) + shift,
                channel=channel, category=category, status=status,
                acknowledged_at=pd.Timestamp(ack) + shift,
                resolved_at=None if resolved is None else pd.Timestamp(resolved) + shift,
                due_at=pd.Timestamp(due) + shift, satisfaction=score, customer_name="张三",
                phone=phone, repeat_of=rep))
    table = pd.DataFrame(rows, index=pd.RangeIndex(2, 2 + len(rows)))
    table["resolved_at"] = pd.to_datetime(table["resolved_at"])
    table["ack_due"] = table["received_at"] + pd.Timedelta(days=1)
    return table


def new_book() -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    wb.active.title = "Complaints"
    wb.create_sheet("Settings")
    return wb


def live(figures, lang: str = "en", wb: openpyxl.Workbook | None = None
         ) -> tuple[openpyxl.Workbook, CallLog, list[str]]:
    book = StandinBook(wb or new_book())
    written = write_analysis(book, figures, lang)
    return book.wb, book.log, written


def cells(ws) -> dict[tuple[int, int], object]:
    """A sheet's values; a date and midnight of that day are one value in Excel."""
    def excel(value):
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return dt.datetime(value.year, value.month, value.day)
        return value
    return {(c.row, c.column): excel(c.value) for row in ws.iter_rows() for c in row
            if c.value is not None}


@pytest.fixture
def march(calendar):
    return analysis_figures(cases_frame(), calendar, TODAY, month="2026-03")


# ----------------------------------------------------------------------------- same as batch

def test_live_sheets_hold_what_the_batch_door_writes(march):
    batch = new_book()
    write_analysis_sheets(batch, march, "en")
    wb, _, written = live(march)
    assert written == ["Analysis", "Monthly"]
    assert wb.sheetnames == batch.sheetnames == ["Complaints", "Settings", "Analysis", "Monthly",
                                                 "Actions"]
    for name in ("Analysis", "Monthly"):
        ours, theirs = wb[name], batch[name]
        assert cells(ours) == cells(theirs)
        assert dict(ours.tables.items()) == dict(theirs.tables.items())  # name: ref
        # Every number format the batch door sets is set live too (live adds text formats).
        for (r, c), _ in cells(theirs).items():
            fmt = theirs.cell(r, c).number_format
            if fmt != "General":
                assert ours.cell(r, c).number_format == fmt, (name, r, c)
        assert len(charts_on(ours)) == len(theirs._charts)
    assert [c.value for c in wb["Actions"][1]] == [c.value for c in batch["Actions"][1]]


def test_charts_are_native_and_point_at_their_tables(march):
    wb, _, _ = live(march)
    plan = plan_sheets(march, "en")[0]
    charts = charts_on(wb["Analysis"])
    by_month = plan.charts[0]  # category x month, series in rows
    min_col, max_col, min_row, max_row = by_month.data
    assert (charts[0].chart_type, charts[0].plot_by, charts[0].title) == (
        "column_stacked", "rows", "Complaints by category and month received")
    assert charts[0].source == f"A{min_row}:{chr(64 + max_col)}{max_row}"
    assert [c.chart_type for c in charts[1:]] == ["bar_clustered"] * 3
    # One series: no legend; the bars read top-down in the table's order.
    assert all(c.parts == {"legend": {"visible": False}, "category_axis": {"reverse_order": True}}
               for c in charts[1:])
    on_time = charts_on(wb["Monthly"])[1]
    assert on_time.chart_type == "line_markers"
    assert on_time.parts == {"value_axis": {"number_format": "0%", "minimum_scale": 0,
                                            "maximum_scale": 1}}


def test_month_headers_are_written_as_text(march):
    wb, log, _ = live(march)
    ws = wb["Analysis"]
    top = int(ws.tables["CategoryByMonth"].ref.split(":")[0][1:])
    assert [ws.cell(top, c).value for c in (2, 3)] == ["2026-02", "2026-03"]
    assert ws.cell(top, 2).number_format == "@"
    # The text format goes on before the value: Excel parses "2026-02" as it is written.
    calls = log.calls
    fmt_call = next(i for i, c in enumerate(calls) if c.startswith("format Analysis!")
                    and f"B{top}" in c)
    value_call = next(i for i, c in enumerate(calls) if c.startswith("set value Analysis!"))
    assert fmt_call < value_call


# ----------------------------------------------------------------------------- rebuilt, not added

def test_a_second_run_rebuilds_without_duplicates(march, calendar):
    wb, _, _ = live(march)
    wb["Actions"].append(["2026-03", "Delivery", "Weekly call with the courier"])
    later = analysis_figures(cases_frame(), calendar, TODAY + dt.timedelta(days=30),
                             month="2026-03")
    wb, _, _ = live(later, wb=wb)
    assert wb.sheetnames == ["Complaints", "Settings", "Analysis", "Monthly", "Actions"]
    assert len(charts_on(wb["Analysis"])) == 4 and len(charts_on(wb["Monthly"])) == 2
    names = [n for ws in wb.worksheets for n in ws.tables]
    assert len(names) == len(set(names))
    assert wb["Analysis"]["A1"].value == "Complaint analysis — 10 May 2026"
    assert wb["Actions"]["C2"].value == "Weekly call with the courier"  # staff's, untouched


def test_switching_language_replaces_the_sheet_in_place(march):
    wb, _, _ = live(march)
    wb.create_sheet("Notes")
    wb, _, written = live(march, "zh-CN", wb=wb)
    assert written == ["分析", "月度报告"]
    assert wb.sheetnames == ["Complaints", "Settings", "分析", "月度报告", "Actions", "Notes"]


def test_staff_stay_on_their_sheet(march):
    book = StandinBook(new_book())
    write_analysis(book, march, "en")
    assert book._active == "Complaints"


def test_staff_on_the_rebuilt_sheet_see_the_new_one(march):
    book = StandinBook(new_book())
    write_analysis(book, march, "en")
    book.sheets["Analysis"].activate()
    write_analysis(book, march, "zh-CN")
    assert book._active == "分析"


# ----------------------------------------------------------------------------- calls

def test_calls_do_not_grow_with_the_complaints(calendar):
    """Calls follow the sheets' blocks, not their rows: ten times the complaints, same calls.

    (Both registers are big enough for a rising category, so the sheets have the same blocks.)
    """
    few = analysis_figures(cases_frame(20), calendar, TODAY, month="2026-03")
    many = analysis_figures(cases_frame(200), calendar, TODAY, month="2026-03")
    assert len(few.month.overdue) < len(many.month.overdue)
    _, small, _ = live(few)
    _, large, _ = live(many)
    assert large.count == small.count < 200
    assert len(large.lookups) == len(small.lookups)
    assert sum(c.startswith("set value") for c in large.calls) == 3  # two sheets, Actions header


# ----------------------------------------------------------------------------- helpers

def test_format_blocks_merge_runs_into_rectangles():
    from addin.layout.tables import Cell, SheetPlan

    def table(top: int) -> list[Cell]:
        return [Cell(r, c, 1, fmt) for r in (top, top + 1) for c, fmt in (
            (2, "0.0%"), (3, "0.0%"), (4, "#,##0"))]

    plan = SheetPlan("analysis", "Analysis", cells=[
        *table(3), Cell(5, 2, "Cases"), *table(6),  # two tables alike, a header between
        Cell(8, 2, 1, "0.00"), *table(9),  # a row formatted otherwise parts them
        Cell(1, 1, "2026-03"), Cell(1, 2, "TS-1")])
    # Column D needs nothing else in row 8: one block from the first table to the last.
    assert format_blocks(plan) == [("A1", "@"), ("B3:C7", "0.0%"), ("D3:D10", "#,##0"),
                                   ("B8", "0.00"), ("B9:C10", "0.0%")]


def test_width_runs():
    assert width_runs({1: 24, 2: 12, 3: 12, 5: 12}) == [("A1", 24), ("B1:C1", 12), ("E1", 12)]


def test_workbook_text_that_looks_like_a_formula_stays_text(calendar):
    cases = cases_frame().assign(handler="=HYPERLINK(\"http://x\")")
    wb, _, _ = live(analysis_figures(cases, calendar, TODAY))
    ws = wb["Analysis"]
    found = [c for row in ws.iter_rows() for c in row if c.value == cases["handler"].iloc[0]]
    assert found and all(c.data_type == "s" and c.number_format == "@" for c in found)


def test_a_staff_table_with_the_same_name_does_not_stop_the_sheet(march):
    from openpyxl.worksheet.table import Table

    wb = new_book()
    notes = wb.create_sheet("Notes")
    notes.append(["Channel", "Comment"])
    notes.append(["Phone", "busy"])
    notes.add_table(Table(displayName="By_channel", ref="A1:B2"))
    wb, _, written = live(march, wb=wb)
    assert written == ["Analysis", "Monthly"]
    tables = wb["Analysis"].tables
    assert "By_channel" not in tables and len(tables) == 8  # ours kept Excel's own name
    assert len(charts_on(wb["Analysis"])) == 4
