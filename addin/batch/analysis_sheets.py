"""The Analysis and Monthly sheets written with openpyxl: tables of figures and native charts.

``addin.layout.tables.plan_sheets`` lays each sheet out as data (cells, tables, chart
specifications) from the report tables the HTML report shows too; this module only writes a plan,
so the batch door and the live add-in write the same sheet.

Both sheets are rebuilt on every run: the old sheet (in either language) is removed and a new one
put in its place, so figures are never appended twice. The Monthly sheet points to the Actions
sheet for improvement actions; that sheet belongs to staff and is only created when missing, never
rewritten.
"""

from __future__ import annotations

from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from addin.core.actions import ActionReview
from addin.core.analysis import AnalysisFigures
from addin.core.fields import fold
from addin.core.vocab import Vocabulary
from addin.layout.actions_sheet import action_headers, action_widths
from addin.layout.sheets import ANALYSIS_SHEETS, sheet_name
from addin.layout.tables import (
    CHART_HEIGHT,
    CHART_WIDTH,
    ChartSpec,
    SheetPlan,
    plan_sheets,
)

__all__ = ["apply_plan", "write_action_results", "write_analysis_sheets"]

TITLE_FONT = Font(bold=True, size=14)
HEADING_FONT = Font(bold=True, size=12)
NOTE_FONT = Font(italic=True, color="5F6B7A")
BAND = PatternFill("solid", fgColor="F4F6F8")


def write_analysis_sheets(wb: Workbook, figures: AnalysisFigures, lang: str,
                          lists: dict[str, Vocabulary] | None = None) -> list[str]:
    """(Re)build the Analysis sheet, and the Monthly sheet when the figures hold a month.

    Returns the names of the sheets written.
    """
    written = [apply_plan(wb, plan, lang).title for plan in plan_sheets(figures, lang, lists)]
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
    names = {fold(n) for n in ANALYSIS_SHEETS[role]}
    position = len(wb.sheetnames)
    for ws in list(wb.worksheets):
        if fold(ws.title) in names:
            position = min(position, wb.index(ws))
            wb.remove(ws)
    return wb.create_sheet(sheet_name(role, lang), position)


def _ensure_actions_sheet(wb: Workbook, lang: str) -> None:
    names = {fold(n) for n in ANALYSIS_SHEETS["actions"]}
    if any(fold(ws.title) in names for ws in wb.worksheets):
        return
    ws = wb.create_sheet(sheet_name("actions", lang))
    for j, (text, width) in enumerate(zip(action_headers(lang), action_widths(), strict=True),
                                      start=1):
        cell = ws.cell(1, j, text)
        cell.font, cell.fill = Font(bold=True), BAND
        cell.alignment = Alignment(vertical="center")
        ws.column_dimensions[get_column_letter(j)].width = width
    ws.freeze_panes = "A2"


def write_action_results(wb: Workbook, review: ActionReview) -> int:
    """Write the Actions sheet's Result and Verdict cells that changed; returns how many."""
    if not review.writes or review.sheet not in wb.sheetnames:
        return 0
    ws = wb[review.sheet]
    for row, col, value in review.writes:
        ws.cell(row, col).value = value
    return len(review.writes)
