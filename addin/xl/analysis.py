"""The Analysis and Monthly sheets in the open workbook, through xlwings.

The layout comes from ``addin.layout.tables.plan_sheets``, so a button in Excel, the batch door
and the HTML report show the same tables. Each sheet is rebuilt, never appended to: the old one
(in either language) is deleted with its tables and charts, and a new one takes its place. The
number of calls to Excel depends on the plan's blocks (tables, charts, headings), not on the
number of complaints: one value write per sheet, one format per run of equally formatted cells.

Excel parses text as if it were typed: "2026-03" becomes a date, "13812345678" a number and
"=x" or "-x" a formula. Such cells are formatted as text before the values go in, which keeps
them as written (workbook text, such as a handler's name, is data, never a formula).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from addin.core.analysis import AnalysisFigures
from addin.core.fields import fold
from addin.core.findings import column_letter
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

POINTS_PER_CM = 72 / 2.54
TEXT_FORMAT = "@"
# Text Excel would turn into a number, date, truth value or formula: "2026-03", "3/4", "12:30",
# "50%", "1e5", "TRUE", "=A1", "-x".
_COERCED = re.compile(r"[=+\-@].*|[\d\s.,:/%+-]*\d[\d\s.,:/%+-]*|\d+e[+-]?\d+|true|false",
                      re.IGNORECASE | re.DOTALL)
CHART_TYPES = {("col", False): "column_clustered", ("col", True): "column_stacked",
               ("bar", False): "bar_clustered", ("line", False): "line_markers"}
FONTS = {"title": {"bold": True, "size": 14}, "heading": {"bold": True, "size": 12},
         "note": {"italic": True, "color": (95, 107, 122)}}


def write_analysis(book: Any, figures: AnalysisFigures, lang: str,
                   lists: dict[str, Vocabulary] | None = None) -> list[str]:
    """(Re)build the Analysis sheet, and the Monthly sheet when the figures hold a month.

    Creates the Actions sheet when it is missing (it belongs to
    staff: never rewritten). Staff stay on the sheet they were on. Returns the sheets written.
    """
    names = list(book.sheet_names)
    active = book.sheets.active.name
    written = [rebuild_sheet(book, plan, names) for plan in plan_sheets(figures, lang, lists)]
    ensure_actions_sheet(book, names, lang)
    # Excel activates every sheet it adds; put staff back (on the new sheet if theirs was
    # rebuilt under a new name).
    back = active if active in names else written[0]
    book.sheets[back].activate()
    return written


def rebuild_sheet(book: Any, plan: SheetPlan, names: list[str]) -> str:
    """Replace the plan's sheet (in either language) by a new one in the same place.

    ``names`` is the workbook's sheet order; it is updated to match.
    """
    sheet = _fresh_sheet(book, plan, names)
    for address, number_format in format_blocks(plan):
        sheet.range(address).number_format = number_format
    block = plan.grid()
    if block:
        sheet.range((1, 1), (len(block), len(block[0]))).value = block
    for name, ref in plan.tables:
        _add_table(sheet, name, ref)
    _fonts(sheet, plan)
    for address, width in width_runs(plan.widths):
        sheet.range(address).column_width = width
    for spec in plan.charts:
        add_chart(sheet, spec)
    return plan.title


def _add_table(sheet: Any, name: str, ref: str) -> None:
    try:
        sheet.tables.add(source=sheet.range(ref), name=name,
                         table_style_name="TableStyleMedium2")
    except Exception:  # noqa: BLE001 - only the rename can fail on a fresh sheet
        # A table of staff's elsewhere has this name: xlwings made the table, then failed to
        # rename it, so it keeps Excel's name (Table1, ...). The figures and charts are intact.
        pass


def _fresh_sheet(book: Any, plan: SheetPlan, names: list[str]) -> Any:
    wanted = {fold(n) for n in ANALYSIS_SHEETS[plan.role]}
    old = [n for n in names if fold(n) in wanted]
    position = names.index(old[0]) if old else len(names)
    for name in old:
        book.sheets[name].delete()  # its tables and charts go with it
        names.remove(name)
    if position < len(names):
        sheet = book.sheets.add(plan.title, before=book.sheets[names[position]])
    else:
        sheet = book.sheets.add(plan.title, after=book.sheets[names[-1]])
    names.insert(position, plan.title)
    return sheet


def format_blocks(plan: SheetPlan) -> list[tuple[str, str]]:
    """Number formats as few rectangles as possible: runs along a row, merged down the rows.

    Tables laid out alike (the breakdowns) share one rectangle per column run: the rows between
    them hold only headings and header text, which a number format leaves as they are.
    """
    formats = {}
    for c in plan.cells:
        if c.number_format:
            formats[c.row, c.col] = c.number_format
        elif isinstance(c.value, str) and _COERCED.fullmatch(c.value.strip()):
            formats[c.row, c.col] = TEXT_FORMAT
    runs: dict[tuple[int, int, str], list[int]] = {}  # (first col, last col, format) -> rows
    for row in sorted({r for r, _ in formats}):
        for first, last, fmt in _row_runs(row, formats):
            runs.setdefault((first, last, fmt), []).append(row)
    blocks = []
    for (first, last, fmt), rows in runs.items():
        def clash(row: int, first=first, last=last, fmt=fmt) -> bool:
            return any(formats.get((row, c), fmt) != fmt for c in range(first, last + 1))
        for top, bottom in _spans(rows, clash):
            blocks.append((_address(top, first, bottom, last), fmt))
    return sorted(blocks, key=lambda b: _corner(b[0]))


def _row_runs(row: int, formats: dict[tuple[int, int], str]) -> Iterable[tuple[int, int, str]]:
    cols = sorted(c for r, c in formats if r == row)
    start = prev = cols[0]
    for col in cols[1:] + [None]:
        if col is None or col != prev + 1 or formats[row, col] != formats[row, start]:
            yield start, prev, formats[row, start]
            if col is not None:
                start = col
        if col is not None:
            prev = col


def _spans(rows: list[int], clash) -> Iterable[tuple[int, int]]:
    """Rows joined into spans across gaps where no cell needs another format."""
    start = prev = rows[0]
    for row in rows[1:]:
        if any(clash(r) for r in range(prev + 1, row)):
            yield start, prev
            start = row
        prev = row
    yield start, prev


def _address(top: int, left: int, bottom: int, right: int) -> str:
    first = f"{column_letter(left)}{top}"
    return first if (top, left) == (bottom, right) else f"{first}:{column_letter(right)}{bottom}"


def _corner(address: str) -> tuple[int, str]:
    match = re.match(r"([A-Z]+)(\d+)", address)
    return int(match.group(2)), match.group(1).rjust(3)


def _fonts(sheet: Any, plan: SheetPlan) -> None:
    for c in plan.cells:
        if not c.style:
            continue
        font = sheet.range((c.row, c.col)).font
        for attribute, value in FONTS[c.style].items():
            setattr(font, attribute, value)


def width_runs(widths: dict[int, float]) -> list[tuple[str, float]]:
    """Column widths as one range per run of neighbouring columns of the same width."""
    runs: list[tuple[int, int, float]] = []
    for col in sorted(widths):
        if runs and runs[-1][1] == col - 1 and runs[-1][2] == widths[col]:
            runs[-1] = (runs[-1][0], col, widths[col])
        else:
            runs.append((col, col, widths[col]))
    return [(_address(1, first, 1, last), width) for first, last, width in runs]


def add_chart(sheet: Any, spec: ChartSpec) -> Any:
    """A native chart: the series with their titles, then the category labels."""
    chart = sheet.charts.add(chart_type=CHART_TYPES[spec.kind, spec.stacked],
                             anchor=sheet.range(spec.anchor),
                             width=CHART_WIDTH * POINTS_PER_CM,
                             height=CHART_HEIGHT * POINTS_PER_CM)
    min_col, max_col, min_row, max_row = spec.data
    chart.set_source_data(sheet.range(_address(min_row, min_col, max_row, max_col)),
                          plot_by="rows" if spec.from_rows else "columns")
    min_col, max_col, min_row, max_row = spec.categories
    chart.set_x_axis_values(sheet.range(_address(min_row, min_col, max_row, max_col)))
    chart.title = spec.title
    if not spec.legend:
        chart.legend.visible = False
    if spec.kind == "bar":
        chart.category_axis.reverse_order = True  # first row on top, as in the table
    if spec.percent:
        axis = chart.value_axis
        axis.number_format, axis.minimum_scale, axis.maximum_scale = "0%", 0, 1
    return chart


def ensure_actions_sheet(book: Any, names: list[str], lang: str) -> None:
    """The Actions sheet with its header row, only when the workbook has none."""
    wanted = {fold(n) for n in ANALYSIS_SHEETS["actions"]}
    if any(fold(n) in wanted for n in names):
        return
    title = sheet_name("actions", lang)
    sheet = book.sheets.add(title, after=book.sheets[names[-1]])
    names.append(title)
    headers = action_headers(lang)
    header = sheet.range((1, 1), (1, len(headers)))
    header.value = headers
    header.font.bold = True
    for j, width in enumerate(action_widths(), start=1):
        sheet.range((1, j)).column_width = width
