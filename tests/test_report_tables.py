"""One set of report tables, three renderers: the Monthly sheet (batch door, openpyxl), the Monthly
sheet written live (xlwings, on the recording stand-in) and the HTML report's context.

What is pinned: every table of the month has the same title, headers and values, in the same
order, wherever it is shown. The report shows the first ``shown`` rows of a long table (the sheet
has them all) and its key figures as cards and its trend as charts; those are compared too.
Personal data is compared unmasked (masking is the report's setting, not a different table).
"""

from __future__ import annotations

import datetime as dt
import re

import openpyxl
import pytest
from openpyxl.utils.cell import range_boundaries
from xl_standin import StandinBook

import addin.xl.analysis as live_door
import reports.monthly as report
from addin.batch.analysis_sheets import write_analysis_sheets
from addin.core.analysis import analysis_figures
from addin.layout.tables import ReportTable, cell_text, month_tables
from addin.xl.analysis import write_analysis
from reports.monthly import load_month_inputs, monthly_context

TODAY = dt.date(2026, 4, 10)
MONTH = "2026-03"


@pytest.fixture(scope="module")
def demo_inputs(tmp_path_factory):
    """A demo register of 900 complaints over 18 months, read and checked as a report reads it."""
    from addin.demo import write_demo_workbook

    path = write_demo_workbook(tmp_path_factory.mktemp("demo") / "demo.xlsx", rows=900,
                               lang="en", today=TODAY)
    return load_month_inputs(path, TODAY)


def new_book() -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    wb.active.title = "Complaints"
    return wb


def excel(value):
    """A date and midnight of that day are one value in Excel."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day)
    return value


def sheet_tables(ws) -> dict[str, tuple[list, list[list]]]:
    """Each Excel table of a sheet: its header row and its rows, read back from the cells."""
    found = {}
    for name, ref in ws.tables.items():
        left, top, right, bottom = range_boundaries(ref)
        block = [[excel(ws.cell(r, c).value) for c in range(left, right + 1)]
                 for r in range(top, bottom + 1)]
        found[name] = (block[0], block[1:])
    return found


def shown_as_text(table: ReportTable, rows: list[list], lang: str) -> list[list[str]]:
    return [[cell_text(value, table.kind(i, j), lang) for j, value in enumerate(row)]
            for i, row in enumerate(rows)]


def chart_tips(svg: str) -> list[tuple[str, str]]:
    """(series, value) of every bar or point of an SVG chart, in drawing order."""
    return re.findall(r"<title>(?:[^<]* · )?([^<:]+): ([^<]+)</title>", svg)


def render_three(inputs, lang: str):
    figures = analysis_figures(inputs.cases, inputs.calendar, TODAY, MONTH, inputs.lists)
    batch = new_book()
    write_analysis_sheets(batch, figures, lang, inputs.lists)
    book = StandinBook(new_book())
    write_analysis(book, figures, lang, inputs.lists)
    context = monthly_context(figures.month, inputs.lists, lang, mask=False, workbook="demo.xlsx")
    return figures, batch, book.wb, context


def assert_same_tables(lists, figures, batch, live, context, lang: str) -> None:
    monthly = "月度报告" if lang.startswith("zh") else "Monthly"
    on_batch, on_live = sheet_tables(batch[monthly]), sheet_tables(live[monthly])
    html = {table.name: table for table in
            [*context.tables, context.rising, context.regulatory, context.overdue,
             context.follow_ups, context.repeats]}
    source = {table.name: table for table in month_tables(figures.month, lang, lists)}
    # Tables with rows are Excel tables on both sheets; empty ones are a sentence everywhere.
    assert set(on_batch) == set(on_live) == {n for n, tb in source.items() if tb.rows}
    for name, table in source.items():
        if name in ("KeyFigures", "Trend"):
            continue
        shown = html[name]
        assert shown.title == table.title, name
        assert (shown.rows == []) == (name not in on_batch), name
        if name not in on_batch:
            assert shown.empty and shown.empty in _column_a(batch[monthly]), name
            continue
        header, rows = on_batch[name]
        assert on_live[name] == (header, rows), name
        assert shown.columns == header, name
        assert shown.rows == shown_as_text(table, rows[:table.shown], lang), name
    # The key figures: one card per row, the same label, figure and changes.
    header, rows = on_batch["KeyFigures"]
    assert on_live["KeyFigures"] == (header, rows)
    cards = [[c.label, c.value, c.vs_previous, c.vs_last_year] for c in context.kpis]
    texts = shown_as_text(source["KeyFigures"], rows, lang)
    assert cards == [[r[0], r[1], r[3] if r[1] != "–" else "", r[5] if r[1] != "–" else ""]
                     for r in texts]
    # The trend: the report's two 12-month charts draw the Trend table's columns.
    header, rows = on_batch["Trend"]
    assert on_live["Trend"] == (header, rows)
    counts = [(header[j], f"{row[j]:,.0f}") for row in rows for j in (1, 2) if row[j]]
    assert chart_tips(context.charts[0].svg) == counts
    rates = [(header[j], f"{row[j] * 100:.0f}%") for j in (4, 5) for row in rows
             if row[j] is not None]
    assert chart_tips(context.charts[2].svg) == rates


def _column_a(ws) -> list[str]:
    return [c.value for c in ws["A"] if isinstance(c.value, str)]


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_each_table_is_the_same_on_both_sheets_and_in_the_report(demo_inputs, lang):
    figures, batch, live, context = render_three(demo_inputs, lang)
    month = figures.month
    assert len(month.overdue) > 0 and len(month.repeat_customers) > 0  # something to compare
    assert len(month.follow_ups) > 0
    assert_same_tables(demo_inputs.lists, figures, batch, live, context, lang)


def test_a_renderer_that_reorders_columns_is_caught(demo_inputs, monkeypatch):
    """The check above fails when the report swaps two columns of one table."""
    original = report.html_table

    def swapped(table, lang, mask):
        shown = original(table, lang, mask)
        if table.name == "Overdue":
            for row in [shown.columns, *shown.rows]:
                row[1], row[2] = row[2], row[1]
        return shown

    monkeypatch.setattr(report, "html_table", swapped)
    with pytest.raises(AssertionError):
        assert_same_tables(demo_inputs.lists, *render_three(demo_inputs, "en"), "en")


def test_a_door_that_drops_a_column_is_caught(demo_inputs, monkeypatch):
    """The check above fails when the live door leaves out the last column of the sheets."""
    original = live_door.plan_sheets

    def dropped(*args, **kwargs):
        plans = original(*args, **kwargs)
        for plan in plans:
            plan.cells = [c for c in plan.cells if c.col != 9]
        return plans

    monkeypatch.setattr(live_door, "plan_sheets", dropped)
    with pytest.raises(AssertionError):
        assert_same_tables(demo_inputs.lists, *render_three(demo_inputs, "en"), "en")
