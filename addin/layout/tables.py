"""Each report table built once, as data; the Analysis and Monthly sheets laid out from them.

A ``ReportTable`` holds plain values (numbers, dates, text) with its title, column headers, the
kind of each column (count, rate, days, score ...), notes and the charts drawn from it. The batch
door (openpyxl) and the live door (xlwings) write the ``SheetPlan``s made from these tables; the
HTML report shows the same tables as text (``cell_text``). So the Monthly sheet and the report
cannot word, order or count a table differently. The sheets show every row and personal data as
it is (staff read them inside the workbook); the report shows the first ``shown`` rows and masks
names and contacts when the workbook's settings ask for it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from addin.core.analysis import (
    DIMENSIONS,
    NOT_SET,
    REGULATORY_VIEWS,
    RISING_BASELINE_MONTHS,
    RISING_MIN_COUNT,
    AnalysisFigures,
    MonthAnalysis,
    overdue_ages,
)
from addin.core.fields import BY_KEY
from addin.core.findings import column_letter
from addin.core.masking import mask_email, mask_name, mask_phone
from addin.core.text import Lang, Text
from addin.core.vocab import Vocabulary, default_lists

from .cells import cell_value as plain  # a value any door can store
from .sheets import sheet_name
from .words import (
    fmt_change,
    fmt_date,
    fmt_number,
    header,
    label,
    month_name,
    separator,
    t,
)

# Excel number formats by column kind; "text", "name" and "date" cells need none but dates'.
EXCEL_FORMATS = {"count": "#,##0", "rate": "0.0%", "days": "0.0", "score": "0.00",
                 "ratio": "0.0", "p_value": "0.000", "date": "yyyy-mm-dd", "contact": "@",
                 "money": "#,##0.00"}
NUMERIC_KINDS = {"count", "rate", "days", "score", "ratio", "p_value", "figure", "change",
                 "money"}
ALL_TIME_COLUMNS = (("cases", "count"), ("open", "count"), ("overdue", "count"),
                    ("resolved", "count"), ("on_time_rate", "rate"), ("median_days", "days"),
                    ("satisfaction", "score"))
MONTH_COLUMNS = tuple(c for c in ALL_TIME_COLUMNS if c[0] != "resolved")
MONTH_BREAKDOWNS = ("category", "department", "handler")
CHARTED = ("channel", "severity", "department")  # breakdowns of the Analysis sheet with a chart
BREAKDOWN_SHOWN = 15  # rows of a month's breakdown in the HTML; the sheet has them all
OVERDUE_SHOWN = 40  # rows of the overdue list in the HTML; the sheet has them all
CHART_WIDTH, CHART_HEIGHT = 18, 7.5  # centimetres
CHART_ROWS = 16  # sheet rows a chart covers, so that the next one starts below it


@dataclass(frozen=True)
class TableChart:
    """A chart of a run of the table's value columns (1-based, the label column is 1)."""

    kind: str  # "col", "bar" (horizontal) or "line"
    title: str
    first: int
    last: int
    by_rows: bool = False  # one series per row (category x month), not per column
    stacked: bool = False
    percent: bool = False  # a 0-100 % value axis
    legend: bool = True


@dataclass
class ReportTable:
    """One table of a report, in plain values, as every renderer shows it."""

    name: str  # the table's name in the workbook ("Overdue"); the report's tables carry it too
    title: str
    columns: list[str]
    # Per column: "text", "name", "contact", "date", "count", "rate", "days", "score", "ratio",
    # "p_value"; "figure" and "change" take the unit of their row from ``row_kinds``.
    kinds: list[str]
    rows: list[list[Any]]
    note: str = ""  # a sentence under the table
    empty: str = ""  # said instead of the table when it has no rows
    row_kinds: list[str] = field(default_factory=list)
    charts: list[TableChart] = field(default_factory=list)
    shown: int | None = None  # rows the HTML report shows; the sheets show all

    def __post_init__(self) -> None:
        self.columns = _unique(self.columns)  # Excel tables need distinct, non-empty headers

    def kind(self, i: int, j: int) -> str:
        """The kind of cell (i, j) of the rows: a "change" of a rate is "change_rate"."""
        kind = self.kinds[j]
        if kind == "figure":
            return self.row_kinds[i]
        return f"change_{self.row_kinds[i]}" if kind == "change" else kind


def _unique(columns: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for text in columns:
        text = str(text) or "-"
        seen[text] = seen.get(text, 0) + 1
        out.append(text if seen[text] == 1 else f"{text} {seen[text]}")
    return out


def excel_format(kind: str) -> str | None:
    if kind.startswith("change_"):
        fmt = EXCEL_FORMATS[kind.removeprefix("change_")]
        return f"+{fmt};-{fmt};0"
    return EXCEL_FORMATS.get(kind)


def cell_text(value: Any, kind: str, lang: Lang | str, mask: bool = False) -> str:
    """A table's value as the HTML report shows it (masked names and contacts when asked)."""
    if kind.startswith("change_"):
        return fmt_change(value, kind.removeprefix("change_"), lang)
    if kind in ("count", "rate", "days", "score", "ratio"):
        return fmt_number(value, "days" if kind == "ratio" else kind, lang)
    if kind == "money":
        return "–" if value is None else f"{value:,.2f}"
    if kind == "p_value":
        return "–" if value is None else "<0.001" if value < 0.001 else f"{value:.3f}"
    if kind == "date":
        return fmt_date(value, lang)
    if value is None:
        return ""
    if mask and kind == "name":
        return mask_name(value)
    if mask and kind == "contact":
        return mask_email(value) if "@" in str(value) else mask_phone(value)
    return str(value)


def _text(value: Any) -> str | None:
    """Text as staff typed it, trimmed; None when empty."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return str(value).strip() or None


def _column(frame: pd.DataFrame, key: str, days: bool = False) -> list[Any]:
    """A column as plain values, or as days (all None when the register lacks it).

    Converted a column at a time: the overdue list can run to thousands of rows.
    """
    if key not in frame:
        return [None] * len(frame)
    values = frame[key]
    if days:
        values = pd.to_datetime(values, errors="coerce").dt.date
    plain_values = values.to_numpy(dtype=object, copy=True)
    plain_values[values.isna().to_numpy()] = None
    return plain_values.tolist()


def _labels(frame: pd.DataFrame, key: str, lists: dict[str, Vocabulary], lang: Lang) -> list[str]:
    """A list field's values as staff read them, looked up once per distinct value."""
    values = _column(frame, key)
    known = {v: label(v, key, lists, lang) for v in set(values)}
    return [known[v] for v in values]


# ----------------------------------------------------------------------------- Analysis tables

def analysis_tables(figures: AnalysisFigures, lang: Lang | str,
                    lists: dict[str, Vocabulary]) -> list[ReportTable]:
    """The whole register: category by month received, then one breakdown per dimension."""
    lang = Lang.of(lang)
    by_month = figures.pivots["category_by_month"]
    months = [c for c in by_month.columns if c != "Total"]
    title = t("chart_category_month_all", lang)
    tables = [ReportTable(
        "CategoryByMonth", title, [header("category", lang), *months, t("total", lang)],
        ["text"] + ["count"] * (len(months) + 1),
        [[label(cat, "category", lists, lang), *map(plain, row.tolist())]
         for cat, row in by_month.iterrows()],
        charts=[TableChart("col", title, 2, len(months) + 1, by_rows=True, stacked=True)]
        if months else [])]
    for key in DIMENSIONS:
        title = t(f"by_{key}_all", lang)
        tables.append(_breakdown(f"By_{key}", title, figures.pivots[key], key, ALL_TIME_COLUMNS,
                                 lang, lists))
        if key in CHARTED:
            tables[-1].charts.append(TableChart("bar", title, 2, 2, legend=False))
    return tables


def _breakdown(name: str, title: str, table: pd.DataFrame, key: str, columns, lang: Lang,
               lists: dict[str, Vocabulary]) -> ReportTable:
    values = table[[c for c, _ in columns]].itertuples(index=False, name=None)
    rows = [[label(group, key, lists, lang), *map(plain, row)]
            for group, row in zip(table.index, values, strict=True)]
    return ReportTable(name, title, [header(key, lang), *(t(f"col_{c}", lang) for c, _ in columns)],
                       ["text", *(kind for _, kind in columns)], rows)


# ----------------------------------------------------------------------------- Monthly tables

def month_tables(month: MonthAnalysis, lang: Lang | str,
                 lists: dict[str, Vocabulary] | None = None) -> list[ReportTable]:
    """The month's tables in the order the Monthly sheet and the report show them."""
    from .followups import follow_up_table  # it builds on this module's tables

    lists, lang = lists or default_lists(), Lang.of(lang)
    return [kpi_table(month, lang), trend_table(month, lang), rising_table(month, lang, lists),
            *(month_breakdown(month, key, lang, lists) for key in MONTH_BREAKDOWNS),
            regulatory_table(month, lang), overdue_table(month, lang, lists),
            follow_up_table(month, lang, lists), repeats_table(month, lang, lists)]


def kpi_table(month: MonthAnalysis, lang: Lang | str) -> ReportTable:
    rows = [[t(f"kpi_{k.key}", lang), k.value, k.previous, k.change(k.previous), k.last_year,
             k.change(k.last_year)] for k in month.kpis]
    columns = [t("kpis", lang), month_name(month.month, lang), month_name(month.month - 1, lang),
               t("col_change_previous", lang), month_name(month.month - 12, lang),
               t("col_change_year", lang)]
    out_of_order = month.figures.dates_out_of_order
    return ReportTable("KeyFigures", t("kpis", lang), columns,
                       ["text", "figure", "figure", "change", "figure", "change"],
                       [[plain(v) for v in row] for row in rows],
                       row_kinds=[k.kind for k in month.kpis],
                       note=t("dates_out_of_order", lang, n=out_of_order) if out_of_order else "")


TREND_COLUMNS = (("received", "count", "series_received"), ("resolved", "count", "series_resolved"),
                 ("backlog_overdue", "count", "kpi_backlog_overdue"),
                 ("ack_on_time_rate", "rate", "series_ack"),
                 ("resolve_on_time_rate", "rate", "series_resolve"),
                 ("satisfaction_mean", "score", "kpi_satisfaction_mean"))


def trend_table(month: MonthAnalysis, lang: Lang | str) -> ReportTable:
    rows = [[m, *(plain(row[k]) for k, _, _ in TREND_COLUMNS)] for m, row in month.trend.iterrows()]
    return ReportTable(
        "Trend", t("chart_trend", lang),
        [t("col_month", lang), *(t(text, lang) for _, _, text in TREND_COLUMNS)],
        ["text", *(kind for _, kind, _ in TREND_COLUMNS)], rows,
        charts=[TableChart("col", t("chart_trend", lang), 2, 3),
                TableChart("line", t("chart_on_time", lang), 5, 6, percent=True)])


def rising_table(month: MonthAnalysis, lang: Lang | str,
                lists: dict[str, Vocabulary]) -> ReportTable:
    rows = [[label(cat, "category", lists, lang),
             *(plain(row[c]) for c in ("count", "baseline", "ratio", "p_value"))]
            for cat, row in month.rising.iterrows()]
    return ReportTable(
        "Rising", t("rising", lang),
        [header("category", lang), *(t(f"col_{c}", lang) for c in
                                     ("count", "baseline", "ratio", "p_value"))],
        ["text", "count", "ratio", "ratio", "p_value"], rows,
        note=t("rising_rule", lang, min_count=RISING_MIN_COUNT, months=RISING_BASELINE_MONTHS),
        empty=t("rising_none", lang))


def month_breakdown(month: MonthAnalysis, key: str, lang: Lang | str,
                    lists: dict[str, Vocabulary]) -> ReportTable:
    """The month's complaints by one field, largest groups first and "Not set" last."""
    whole = month.breakdowns[key]
    table = whole[whole["cases"] > 0].sort_values("cases", ascending=False, kind="stable")
    # Named groups first: "Not set" is a data gap to mention, not the largest department.
    table = pd.concat([table[table.index != NOT_SET], table[table.index == NOT_SET]])
    if (table.index == NOT_SET).all():
        table = table.iloc[:0]  # one "Not set" row tells nothing: say so in a sentence
    result = _breakdown(f"Month_{key}", t(f"by_{key}", lang), table, key, MONTH_COLUMNS, lang,
                        lists)
    field_name = Text(BY_KEY[key].en.lower(), BY_KEY[key].zh)  # inside a sentence
    result.empty = (t("none_recorded", lang, field=field_name) if len(whole)
                    else t("no_data", lang))
    result.shown = BREAKDOWN_SHOWN
    return result


def regulatory_table(month: MonthAnalysis, lang: Lang | str) -> ReportTable:
    # Cases closed without a date get a column of their own, and only when there are any: a
    # column of zeros would only raise the question it answers.
    counts = ["met", "missed", "pending"] + (["undated"] if month.regulatory["undated"].sum()
                                             else [])
    rows = [[t(f"view_{view.key}", lang),
             *(plain(month.regulatory.loc[view.key, c]) for c in (*counts, "rate"))]
            for view in REGULATORY_VIEWS]
    return ReportTable("Regulatory", t("regulatory", lang),
                       [t(f"col_{c}", lang) for c in ("view", *counts, "rate")],
                       ["text", *(["count"] * len(counts)), "rate"], rows,
                       note=t("regulatory_note", lang))


def overdue_table(month: MonthAnalysis, lang: Lang | str,
                lists: dict[str, Vocabulary]) -> ReportTable:
    overdue = month.overdue
    unassigned = t("unassigned", lang)
    clocks = {clock: t(f"clock_{clock}", lang) for clock in ("resolve", "acknowledge")}
    columns = [
        [_text(v) for v in _column(overdue, "case_no")],
        _column(overdue, "received_at", days=True),
        [_text(v) for v in _column(overdue, "customer_name")],
        _labels(overdue, "category", lists, lang), _labels(overdue, "severity", lists, lang),
        [_text(v) or unassigned for v in _column(overdue, "handler")],
        [clocks[v] for v in _column(overdue, "missed")],
        _column(overdue, "deadline", days=True),
        _column(overdue, "days_over"),
    ]
    keys = ("case_no", "received_at", "customer_name", "category", "severity", "handler")
    return ReportTable(
        "Overdue", t("overdue_on", lang, day=fmt_date(month.figures.as_of, lang)),
        [header(k, lang) for k in keys]
        + [t(c, lang) for c in ("col_missed_clock", "col_deadline", "col_days_over")],
        ["text", "date", "name", "text", "text", "text", "text", "date", "count"],
        [list(row) for row in zip(*columns, strict=True)] if len(overdue) else [],
        note=_ages(month, lang), empty=t("overdue_none", lang), shown=OVERDUE_SHOWN)


def _ages(month: MonthAnalysis, lang: Lang) -> str:
    if month.overdue.empty:
        return ""
    bands = [t("overdue_band", lang, n=n, low=low, high=high) if high is not None
             else t("overdue_band_open", lang, n=n, above=low - 1)
             for low, high, n in overdue_ages(month.overdue) if n]
    return t("overdue_ages", lang, total=len(month.overdue),
             bands=separator("clauses", lang).join(bands))


def repeats_table(month: MonthAnalysis, lang: Lang | str,
                lists: dict[str, Vocabulary]) -> ReportTable:
    joiner = separator("items", lang)
    rows = [[_text(row.get("customer_name")), _text(row.get("phone")) or _text(row.get("email")),
             plain(row["in_month"]), plain(row["total"]), ", ".join(row["case_nos"]),
             joiner.join(label(c, "category", lists, lang) for c in row["categories"])]
            for _, row in month.repeat_customers.iterrows()]
    return ReportTable(
        "Repeats", t("repeats", lang),
        [header("customer_name", lang), header("phone", lang), t("col_in_month", lang),
         t("col_total", lang), t("col_case_nos", lang), header("category", lang)],
        ["name", "contact", "count", "count", "text", "text"], rows,
        empty=t("repeats_none", lang))


# ----------------------------------------------------------------------------- sheet plans

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
    """What one sheet holds, as data: either door writes it (openpyxl in batch, xlwings live)."""

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


def plan_sheets(figures: AnalysisFigures, lang: Lang | str,
                lists: dict[str, Vocabulary] | None = None) -> list[SheetPlan]:
    """The Analysis sheet and, when the figures hold a month, the Monthly sheet."""
    lists, lang = lists or default_lists(), Lang.of(lang)
    analysis = _Cursor(SheetPlan("analysis", sheet_name("analysis", lang)))
    analysis.title(f"{t('analysis_title', lang)} — {fmt_date(figures.today, lang)}",
                   t("analysis_note", lang))
    if figures.suggester is not None:  # how far to trust the Suggested column
        analysis.put(analysis.row - 1, 1, figures.suggester.describe(lang), style="note")
        analysis.row += 1
    for table in analysis_tables(figures, lang, lists):
        analysis.table(table)
    if figures.learning is not None:
        from .learning_tables import learning_tables  # it builds on this module's tables

        for table in learning_tables(figures.learning, lang, lists):
            analysis.table(table)
    analysis.plan.widths = {1: 24} | {j: 12 for j in range(2, 16)}
    analysis.plan.freeze = "A3"
    plans = [analysis.plan]
    if figures.month is not None:
        plans.append(monthly_plan(month_tables(figures.month, lang, lists), figures.month, lang))
    return plans


def monthly_plan(tables: list[ReportTable], month: MonthAnalysis, lang: Lang | str) -> SheetPlan:
    monthly = _Cursor(SheetPlan("monthly", sheet_name("monthly", lang)))
    monthly.title(f"{t('report_title', lang)} — {month_name(month.month, lang)}",
                  t("as_of_sheet", lang, day=fmt_date(month.figures.as_of, lang),
                    today=fmt_date(month.today, lang)))
    for table in tables:
        monthly.table(table)
    monthly.put(monthly.row, 1, t("actions", lang), style="heading")
    monthly.put(monthly.row + 1, 1, t("actions_sheet_note", lang), style="note")
    monthly.plan.widths = {1: 34} | {j: 14 for j in range(2, 12)}
    return monthly.plan


class _Cursor:
    """Lays tables out one under another in a plan, keeping track of the next free row."""

    def __init__(self, plan: SheetPlan):
        self.plan, self.row = plan, 1

    def put(self, row: int, col: int, value: Any, number_format: str | None = None,
            style: str | None = None) -> None:
        self.plan.cells.append(Cell(row, col, plain(value), number_format, style))

    def title(self, text: str, note: str = "") -> None:
        self.put(self.row, 1, text, style="title")
        if note:
            self.put(self.row + 1, 1, note, style="note")
        self.row += 3 if note else 2

    def table(self, table: ReportTable) -> None:
        """A heading, the table (or the sentence saying it is empty), its note and charts."""
        self.put(self.row, 1, table.title, style="heading")
        top = self.row + 1
        for j, text in enumerate(table.columns, start=1):
            self.put(top, j, text)
        for i, values in enumerate(table.rows):
            for j, value in enumerate(values):
                self.put(top + 1 + i, j + 1, value, excel_format(table.kind(i, j)))
        last = top + max(len(table.rows), 1)
        if table.rows:
            self.plan.tables.append((table.name, f"A{top}:{column_letter(len(table.columns))}"
                                                 f"{last}"))
        else:
            self.put(top + 1, 1, table.empty or "–", style="note" if table.empty else None)
        self.row = last + 1
        if table.note:
            self.put(self.row, 1, table.note, style="note")
            self.row += 1
        self.row += 1
        if table.rows:
            self._charts(table, top, last)

    def _charts(self, table: ReportTable, top: int, last: int) -> None:
        """The table's charts to its right, one under another."""
        col = column_letter(len(table.columns) + 2)
        for k, chart in enumerate(table.charts):
            if chart.by_rows:
                data, categories = (1, chart.last, top + 1, last), (chart.first, chart.last,
                                                                     top, top)
            else:
                data, categories = (chart.first, chart.last, top, last), (1, 1, top + 1, last)
            self.plan.charts.append(ChartSpec(
                chart.kind, chart.title, data, categories, f"{col}{top + k * CHART_ROWS}",
                from_rows=chart.by_rows, stacked=chart.stacked, percent=chart.percent,
                legend=chart.legend))
        self.row = max(self.row, top + len(table.charts) * CHART_ROWS)
