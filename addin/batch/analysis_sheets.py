"""The Analysis and Monthly sheets: tables of figures and native charts.

``plan_sheets`` lays each sheet out as data (cells, tables, chart specifications), so the batch
door (openpyxl, ``write_analysis_sheets``) and the live add-in write the same sheet.

Both sheets are rebuilt on every run: the old sheet (in either language) is removed and a new one
put in its place, so figures are never appended twice. The Monthly sheet points to the Actions
sheet for improvement actions; that sheet belongs to staff and is only created when missing, never
rewritten.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from addin.core.analysis import (
    DIMENSIONS,
    REGULATORY_VIEWS,
    RISING_BASELINE_MONTHS,
    RISING_MIN_COUNT,
    AnalysisFigures,
    MonthAnalysis,
)
from addin.core.fields import fold
from addin.core.vocab import Vocabulary, default_lists
from reports.i18n import fmt_date, header, label, month_name, t, zh_lang
from reports.monthly import action_headers

SHEET_NAMES = {"analysis": ("Analysis", "分析"), "monthly": ("Monthly", "月度报告"),
               "actions": ("Actions", "改进措施")}
TITLE_FONT = Font(bold=True, size=14)
HEADING_FONT = Font(bold=True, size=12)
NOTE_FONT = Font(italic=True, color="5F6B7A")
BAND = PatternFill("solid", fgColor="F4F6F8")
FORMATS = {"count": "#,##0", "rate": "0.0%", "days": "0.0", "score": "0.00"}
BREAKDOWN = (("cases", "count"), ("open", "count"), ("overdue", "count"),
             ("resolved", "count"), ("on_time_rate", "rate"), ("median_days", "days"),
             ("satisfaction", "score"))
CHART_WIDTH, CHART_HEIGHT = 18, 7.5  # centimetres


@dataclass
class Cell:
    row: int
    col: int
    value: Any
    number_format: str | None = None
    style: str | None = None  # "title", "heading" or "note"


@dataclass
class ChartSpec:
    """A native chart over cells of the same sheet (1-based, inclusive bounds)."""

    kind: str  # "col", "bar" (horizontal) or "line"
    title: str
    data: tuple[int, int, int, int]  # min_col, max_col, min_row, max_row, series titles included
    categories: tuple[int, int, int, int]
    anchor: str  # top-left cell, "J3"
    from_rows: bool = False  # series are rows (category x month), not columns
    stacked: bool = False
    percent: bool = False  # a 0-100 % value axis
    legend: bool = True


@dataclass
class SheetPlan:
    """What one sheet holds, as data: any door can write it (openpyxl here, xlwings live)."""

    role: str  # "analysis" or "monthly"
    title: str
    cells: list[Cell] = field(default_factory=list)
    tables: list[tuple[str, str]] = field(default_factory=list)  # (name, "A3:F9")
    charts: list[ChartSpec] = field(default_factory=list)
    widths: dict[int, float] = field(default_factory=dict)
    freeze: str | None = None

    def grid(self) -> list[list[Any]]:
        """The values as one rectangular block from A1, for a single block write."""
        rows = max((c.row for c in self.cells), default=0)
        cols = max((c.col for c in self.cells), default=0)
        block: list[list[Any]] = [[None] * cols for _ in range(rows)]
        for c in self.cells:
            block[c.row - 1][c.col - 1] = c.value
        return block


def plan_sheets(figures: AnalysisFigures, lang: str,
                lists: dict[str, Vocabulary] | None = None) -> list[SheetPlan]:
    """The Analysis sheet and, when the figures hold a month, the Monthly sheet."""
    lists = lists or default_lists()
    plans = [_analysis_plan(figures, lang, lists)]
    if figures.month is not None:
        plans.append(_monthly_plan(figures.month, lang, lists))
    return plans


def write_analysis_sheets(wb: Workbook, figures: AnalysisFigures, lang: str,
                          lists: dict[str, Vocabulary] | None = None) -> list[str]:
    """(Re)build the Analysis sheet, and the Monthly sheet when the figures hold a month.

    Returns the names of the sheets written.
    """
    written = [apply_plan(wb, plan, lang).title for plan in plan_sheets(figures, lang, lists)]
    if figures.month is not None:
        _ensure_actions_sheet(wb, lang)
    return written


def apply_plan(wb: Workbook, plan: SheetPlan, lang: str) -> Worksheet:
    """Write a plan to a fresh sheet that replaces the old one (in either language)."""
    ws = _fresh_sheet(wb, plan.role, lang)
    fonts = {"title": TITLE_FONT, "heading": HEADING_FONT, "note": NOTE_FONT}
    for c in plan.cells:
        cell = ws.cell(c.row, c.col, c.value)
        if isinstance(c.value, str) and c.value.startswith("="):
            cell.data_type = "s"  # workbook text (a name, a category) is data, never a formula
        if c.number_format:
            cell.number_format = c.number_format
        if c.style:
            cell.font = fonts[c.style]
    taken = {name for sheet in wb.worksheets for name in sheet.tables}
    for name, ref in plan.tables:
        # Table names are unique in the whole workbook; rebuilding removed the old ones first.
        unique, n = name, 2
        while unique in taken:
            unique, n = f"{name}{n}", n + 1
        taken.add(unique)
        table = Table(displayName=unique, ref=ref)
        table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
        ws.add_table(table)
    for spec in plan.charts:
        ws.add_chart(_chart(ws, spec), spec.anchor)
    for col, width in plan.widths.items():
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = plan.freeze
    return ws


def _chart(ws: Worksheet, spec: ChartSpec) -> BarChart | LineChart:
    chart: BarChart | LineChart
    if spec.kind == "line":
        chart = LineChart()
    else:
        chart = BarChart()
        chart.type = spec.kind
        if spec.stacked:
            chart.grouping, chart.overlap = "stacked", 100
    chart.title, chart.width, chart.height = spec.title, CHART_WIDTH, CHART_HEIGHT
    if spec.percent:
        chart.y_axis.number_format = "0%"
        chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 1
    min_col, max_col, min_row, max_row = spec.data
    chart.add_data(Reference(ws, min_col=min_col, max_col=max_col, min_row=min_row,
                             max_row=max_row), from_rows=spec.from_rows, titles_from_data=True)
    min_col, max_col, min_row, max_row = spec.categories
    chart.set_categories(Reference(ws, min_col=min_col, max_col=max_col, min_row=min_row,
                                   max_row=max_row))
    if not spec.legend:
        chart.legend = None
    if spec.kind == "bar":
        chart.x_axis.scaling.orientation = "maxMin"  # first row on top, as in the table
    return chart


def _fresh_sheet(wb: Workbook, role: str, lang: str) -> Worksheet:
    """Remove the sheet in either language and add an empty one where the old one was."""
    names = {fold(n) for n in SHEET_NAMES[role]}
    position = len(wb.sheetnames)
    for ws in list(wb.worksheets):
        if fold(ws.title) in names:
            position = min(position, wb.index(ws))
            wb.remove(ws)
    title = SHEET_NAMES[role][1 if zh_lang(lang) else 0]
    return wb.create_sheet(title, position)


class _Cursor:
    """Lays blocks out one under another in a plan, keeping track of the next free row."""

    def __init__(self, plan: SheetPlan):
        self.plan, self.row = plan, 1

    def put(self, row: int, col: int, value: Any, number_format: str | None = None,
            style: str | None = None) -> None:
        self.plan.cells.append(Cell(row, col, _plain(value), number_format, style))

    def title(self, text: str, note: str = "") -> None:
        self.put(self.row, 1, text, style="title")
        if note:
            self.put(self.row + 1, 1, note, style="note")
        self.row += 3 if note else 2

    def table(self, name: str, heading: str, columns: list[str], rows: list[list[Any]],
              formats: list[str | None], note: str = "") -> tuple[int, int]:
        """A heading, a table and an optional note; returns its header and last row."""
        self.put(self.row, 1, heading, style="heading")
        top = self.row + 1
        for j, text in enumerate(_unique(columns), start=1):
            self.put(top, j, text)
        for i, values in enumerate(rows, start=top + 1):
            for j, value in enumerate(values, start=1):
                self.put(i, j, value, formats[j - 1])
        last = top + max(len(rows), 1)
        if rows:
            self.plan.tables.append((name, f"A{top}:{get_column_letter(len(columns))}{last}"))
        else:
            self.put(top + 1, 1, "–")
        self.row = last + 1
        if note:
            self.put(self.row, 1, note, style="note")
            self.row += 1
        self.row += 1
        return top, last


def _unique(columns: list[str]) -> list[str]:
    """Excel tables need distinct, non-empty header texts."""
    seen: dict[str, int] = {}
    out = []
    for text in columns:
        text = str(text) or "-"
        seen[text] = seen.get(text, 0) + 1
        out.append(text if seen[text] == 1 else f"{text} {seen[text]}")
    return out


def _plain(value: Any) -> Any:
    """A value any door can store: Python numbers and dates, None for missing."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


# ----------------------------------------------------------------------------- Analysis

def _analysis_plan(figures: AnalysisFigures, lang: str,
                   lists: dict[str, Vocabulary]) -> SheetPlan:
    plan = SheetPlan("analysis", SHEET_NAMES["analysis"][1 if zh_lang(lang) else 0])
    cursor = _Cursor(plan)
    cursor.title(f"{t('analysis_title', lang)} — {fmt_date(figures.today, lang)}",
                 t("analysis_note", lang))
    if figures.suggester is not None:  # how far to trust the Suggested column
        cursor.put(cursor.row - 1, 1, figures.suggester.describe(lang), style="note")
        cursor.row += 1
    by_month = figures.pivots["category_by_month"]
    months = [c for c in by_month.columns if c != "Total"]
    rows = [[label(cat, "category", lists, lang), *row.tolist()]
            for cat, row in by_month.iterrows()]
    top, last = cursor.table("CategoryByMonth", t("chart_category_month_all", lang),
                             [header("category", lang), *months, t("total", lang)], rows,
                             [None] + ["#,##0"] * (len(months) + 1))
    if rows and months:
        plan.charts.append(ChartSpec(
            "col", t("chart_category_month_all", lang), (1, len(months) + 1, top + 1, last),
            (2, len(months) + 1, top, top), f"{get_column_letter(len(months) + 4)}{top}",
            from_rows=True, stacked=True))
    for key in DIMENSIONS:
        table = figures.pivots[key]
        rows = [[label(group, key, lists, lang), *(row[c] for c, _ in BREAKDOWN)]
                for group, row in table.iterrows()]
        top, last = cursor.table(f"By_{key}", t(f"by_{key}_all", lang),
                                 [header(key, lang), *(t(f"col_{c}", lang) for c, _ in BREAKDOWN)],
                                 rows, [None, *(FORMATS[k] for _, k in BREAKDOWN)])
        if rows and key in ("channel", "severity", "department"):
            plan.charts.append(ChartSpec(
                "bar", t(f"by_{key}_all", lang), (2, 2, top, last), (1, 1, top + 1, last),
                f"{get_column_letter(len(BREAKDOWN) + 3)}{top}", legend=False))
            cursor.row = max(cursor.row, top + 16)
    plan.widths = {1: 24} | {j: 12 for j in range(2, 16)}
    plan.freeze = "A3"
    return plan


# ----------------------------------------------------------------------------- Monthly

def _monthly_plan(month: MonthAnalysis, lang: str, lists: dict[str, Vocabulary]) -> SheetPlan:
    plan = SheetPlan("monthly", SHEET_NAMES["monthly"][1 if zh_lang(lang) else 0])
    cursor = _Cursor(plan)
    figures = month.figures
    cursor.title(f"{t('report_title', lang)} — {month_name(month.month, lang)}",
                 t("as_of_sheet", lang, day=fmt_date(figures.as_of, lang),
                   today=fmt_date(month.today, lang)))
    _kpi_table(cursor, month, lang)
    _trend_table(cursor, month, lang)
    _rising_table(cursor, month, lang, lists)
    _regulatory_table(cursor, month, lang)
    _overdue_table(cursor, month, lang, lists)
    _repeat_table(cursor, month, lang)
    cursor.put(cursor.row, 1, t("actions", lang), style="heading")
    cursor.put(cursor.row + 1, 1, t("actions_sheet_note", lang), style="note")
    plan.widths = {1: 34} | {j: 14 for j in range(2, 12)}
    return plan


def _kpi_table(cursor: _Cursor, month: MonthAnalysis, lang: str) -> None:
    rows = []
    for kpi in month.kpis:
        rows.append([t(f"kpi_{kpi.key}", lang), kpi.value, kpi.previous,
                     kpi.change(kpi.previous), kpi.last_year, kpi.change(kpi.last_year)])
    columns = [t("kpis", lang), month_name(month.month, lang), month_name(month.month - 1, lang),
               t("col_change_previous", lang), month_name(month.month - 12, lang),
               t("col_change_year", lang)]
    top, _ = cursor.table("KeyFigures", t("kpis", lang), columns, rows, [None] * 6)
    # Each KPI row has its own unit: format row by row.
    formats = {(i, j): FORMATS[kpi.kind] if j in (2, 3, 5) else _signed(FORMATS[kpi.kind])
               for i, kpi in enumerate(month.kpis, start=top + 1) for j in range(2, 7)}
    for cell in cursor.plan.cells:
        cell.number_format = formats.get((cell.row, cell.col), cell.number_format)


def _signed(fmt: str) -> str:
    return f"+{fmt};-{fmt};0"


def _trend_table(cursor: _Cursor, month: MonthAnalysis, lang: str) -> None:
    trend = month.trend
    keys = (("received", "count"), ("resolved", "count"), ("backlog_overdue", "count"),
            ("ack_on_time_rate", "rate"), ("resolve_on_time_rate", "rate"),
            ("satisfaction_mean", "score"))
    rows = [[m, *(row[k] for k, _ in keys)] for m, row in trend.iterrows()]
    columns = [t("col_month", lang), t("series_received", lang), t("series_resolved", lang),
               t("kpi_backlog_overdue", lang), t("series_ack", lang), t("series_resolve", lang),
               t("kpi_satisfaction_mean", lang)]
    top, last = cursor.table("Trend", t("chart_trend", lang), columns, rows,
                             [None, *(FORMATS[k] for _, k in keys)])
    cursor.plan.charts += [
        ChartSpec("col", t("chart_trend", lang), (2, 3, top, last), (1, 1, top + 1, last),
                  f"I{top}"),
        ChartSpec("line", t("chart_on_time", lang), (5, 6, top, last), (1, 1, top + 1, last),
                  f"I{top + 16}", percent=True),
    ]
    cursor.row = max(cursor.row, top + 32)


def _rising_table(cursor: _Cursor, month: MonthAnalysis, lang: str,
                  lists: dict[str, Vocabulary]) -> None:
    rows = [[label(cat, "category", lists, lang), row["count"], row["baseline"], row["ratio"],
             row["p_value"]] for cat, row in month.rising.iterrows()]
    cursor.table("Rising", t("rising", lang),
                 [header("category", lang), t("col_count", lang), t("col_baseline", lang),
                  t("col_ratio", lang), t("col_p_value", lang)], rows,
                 [None, "#,##0", "0.0", "0.0", "0.000"],
                 note=t("rising_rule", lang, min_count=RISING_MIN_COUNT,
                          months=RISING_BASELINE_MONTHS) if rows
                 else t("rising_none", lang))


def _regulatory_table(cursor: _Cursor, month: MonthAnalysis, lang: str) -> None:
    rows = []
    for view in REGULATORY_VIEWS:
        row = month.regulatory.loc[view.key]
        rows.append([t(f"view_{view.key}", lang), row["met"], row["missed"], row["pending"],
                     row["undated"], row["rate"]])
    cursor.table("Regulatory", t("regulatory", lang),
                 [t(f"col_{c}", lang) for c in ("view", "met", "missed", "pending", "undated",
                                                 "rate")],
                 rows, [None, "#,##0", "#,##0", "#,##0", "#,##0", "0.0%"],
                 note=t("regulatory_note", lang))


def _overdue_table(cursor: _Cursor, month: MonthAnalysis, lang: str,
                   lists: dict[str, Vocabulary]) -> None:
    # Staff read this sheet inside the workbook, where the names are anyway: not masked.
    keys = ("case_no", "received_at", "customer_name", "category", "severity", "handler")
    rows = [[_plain(row.get("case_no")), _day(row.get("received_at")),
             _plain(row.get("customer_name")), label(row.get("category"), "category", lists, lang),
             label(row.get("severity"), "severity", lists, lang), _plain(row.get("handler")),
             t(f"clock_{row['missed']}", lang), _day(row["deadline"]), row["days_over"]]
            for _, row in month.overdue.iterrows()]
    cursor.table("Overdue", t("overdue", lang),
                 [header(k, lang) for k in keys]
                 + [t(c, lang) for c in ("col_missed_clock", "col_deadline", "col_days_over")],
                 rows, [None, "yyyy-mm-dd", None, None, None, None, None, "yyyy-mm-dd", "#,##0"])


def _day(value: Any) -> dt.date | None:
    value = _plain(value)
    return value.date() if isinstance(value, dt.datetime) else value


def _repeat_table(cursor: _Cursor, month: MonthAnalysis, lang: str) -> None:
    rows = [[_plain(row.get("customer_name")), _plain(row.get("phone")) or _plain(
        row.get("email")), row["in_month"], row["total"], ", ".join(row["case_nos"])]
            for _, row in month.repeat_customers.iterrows()]
    cursor.table("Repeats", t("repeats", lang),
                 [header("customer_name", lang), header("phone", lang), t("col_in_month", lang),
                  t("col_total", lang), t("col_case_nos", lang)],
                 rows, [None, "@", "#,##0", "#,##0", None],
                 note="" if rows else t("repeats_none", lang))


def _ensure_actions_sheet(wb: Workbook, lang: str) -> None:
    names = {fold(n) for n in SHEET_NAMES["actions"]}
    if any(fold(ws.title) in names for ws in wb.worksheets):
        return
    ws = wb.create_sheet(SHEET_NAMES["actions"][1 if zh_lang(lang) else 0])
    for j, text in enumerate(action_headers(lang), start=1):
        cell = ws.cell(1, j, text)
        cell.font, cell.fill = Font(bold=True), BAND
        cell.alignment = Alignment(vertical="center")
        ws.column_dimensions[get_column_letter(j)].width = 40 if j == 3 else 14
    ws.freeze_panes = "A2"
