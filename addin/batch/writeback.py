"""Writing a pipeline Outcome back into a workbook opened with openpyxl.

Only what must change is written: the cells the pipeline lists, the add-in's missing columns, the
conditional formats that colour overdue rows and flagged cells, the Findings sheet, the Log row and
the hidden Counters sheet. Everything else (other columns, staff formatting, their own conditional
formats) is left as it was. When nothing would change, nothing is written at all, so a second run
over a processed workbook leaves the file untouched.

Colours come from conditional formats rather than painted cells: they follow a row when staff sort,
and a case that is no longer overdue loses its colour on the next run without a repaint.
"""

from __future__ import annotations

import datetime as dt
from copy import copy
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd
from openpyxl.cell.cell import Cell
from openpyxl.compat import safe_string
from openpyxl.formatting.formatting import ConditionalFormatting, ConditionalFormattingList
from openpyxl.formatting.rule import FormulaRule, Rule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.cell import column_index_from_string, get_column_letter, range_boundaries
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.table import Table, TableColumn
from openpyxl.worksheet.worksheet import Worksheet

from addin.core.fields import BY_KEY
from addin.layout.cells import cell_value, clean_text, sheet_text
from addin.layout.counters import counters_rows, merged_counters
from addin.layout.findings_sheet import FINDINGS_WIDTHS, FindingRow, finding_rows
from addin.layout.formats import DATETIME_FORMAT, written_format
from addin.layout.log import LOG_WIDTHS, LOGGED_PARTS, RunInfo, log_header, log_row
from addin.layout.looks import (
    HEADER_FILL,
    LINK_COLOUR,
    LOOKS,
    FormatRule,
    conditional_format_rules,
    is_our_formula,
)
from addin.layout.sheets import (
    ANALYSIS_SHEETS,
    COUNTERS_SHEET,
    FINDINGS_SHEET,
    LOG_SHEET,
    is_named,
    sheet_name,
)
from addin.layout.tables import plan_sheets

from .sheets import RegisterLocation, counters_sheet, read_counters

if TYPE_CHECKING:
    from addin.core.analysis import AnalysisFigures
    from addin.core.pipeline import Outcome
    from addin.core.vocab import Vocabulary

    from .stream import RowsBelow


def _solid(rgb: str) -> PatternFill:
    return PatternFill(fill_type="solid", start_color=rgb, end_color=rgb)


_HEADER_FILL = _solid(HEADER_FILL)
_LINK_FONT = Font(color=LINK_COLOUR, underline="single")


@dataclass
class _Plan:
    """What the workbook should look like after the run, computed before anything is written."""

    columns: dict[str, int]  # field key -> sheet column, counting the columns to be added
    headers: dict[str, str]  # field key -> header text (as written, or as it will be written)
    first_col: int
    last_col: int
    rules: list[FormatRule]  # (range, formula, look) of our conditional formats
    findings: list[FindingRow]  # Findings sheet rows and their links
    counters: dict[str, int]


def outcome_is_noop(wb: Workbook, loc: RegisterLocation, outcome: Outcome) -> bool:
    """True when applying the outcome would change nothing, so the file need not be saved."""
    return not _pending(wb, loc, outcome, _plan(wb, loc, outcome))


def analysis_is_current(wb: Workbook, figures: AnalysisFigures, lang: str,
                        lists: dict[str, Vocabulary] | None = None) -> bool:
    """True when the analysis sheets already hold what rebuilding them would write, so a run that
    changes nothing else need not save the file. Values are compared; their look and charts
    follow from the same plan. A sheet in the other language, or missing, is rebuilt."""
    for plan in plan_sheets(figures, lang, lists):
        present = [n for n in wb.sheetnames if is_named(n, ANALYSIS_SHEETS[plan.role])]
        if present != [sheet_name(plan.role, lang)]:
            return False
        # Empty text is no value once saved: openpyxl writes no cell for it.
        have = {(row, col): _as_stored(cell.value)
                for (row, col), cell in wb[present[0]]._cells.items()
                if cell.value not in (None, "")}
        if have != {(c.row, c.col): _as_stored(c.value) for c in plan.cells
                    if c.value not in (None, "")}:
            return False
    return figures.month is None or any(is_named(n, ANALYSIS_SHEETS["actions"])
                                        for n in wb.sheetnames)


def _as_stored(value: Any) -> Any:
    """A value as it reads back from a cell openpyxl wrote: a date as a date and time, a float
    to the 16 significant digits openpyxl writes."""
    if isinstance(value, float):
        return float(safe_string(value))
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, dt.time())
    return value


def apply_outcome(wb: Workbook, loc: RegisterLocation, outcome: Outcome,
                  run_info: RunInfo, below: RowsBelow | None = None) -> int:
    """Write the outcome into the workbook; returns the number of register cells written.

    ``loc`` is updated when columns are added. Nothing at all is written when the outcome is a
    no-op, and a Log row only when register cells, columns or counters change. ``below`` takes
    the values for rows of the register that a cut load left out (stream.py).
    """
    plan = _plan(wb, loc, outcome)
    pending = _pending(wb, loc, outcome, plan)
    if not pending:
        return 0
    if "columns" in pending:
        _append_columns(loc, outcome.new_columns, plan)
    cells = (_write_changes(loc.ws, outcome.changes, plan, below) if "cells" in pending
             else 0)
    if "formats" in pending:
        _replace_rules(loc.ws, plan.rules)
    if "findings" in pending:
        _write_findings(wb, plan.findings)
    if "counters" in pending:
        _write_counters(wb, plan.counters)
    # The Log records runs that changed the register or the case-number counters, as the live
    # door's does; a refreshed Findings sheet or colouring rule alone is not an entry.
    if pending & LOGGED_PARTS:
        _append_log(wb, outcome, run_info, cells)
    return cells


def _pending(wb: Workbook, loc: RegisterLocation, outcome: Outcome, plan: _Plan) -> set[str]:
    """The parts of the workbook that differ from what the outcome says they should be."""
    differs = {
        "columns": bool(outcome.new_columns),
        "cells": any(len(values) for values in outcome.changes.values()),
        "formats": not _rules_in_place(loc.ws, plan.rules),
        "findings": _findings_now(wb) != plan.findings,
        "counters": read_counters(wb) != plan.counters,
    }
    return {part for part, differ in differs.items() if differ}


# --- the plan ---------------------------------------------------------------------------------

def _plan(wb: Workbook, loc: RegisterLocation, outcome: Outcome) -> _Plan:
    register = outcome.register
    if (register.sheet, register.header_row, register.first_col,
            register.first_col + len(register.headers) - 1) != (
            loc.sheet, loc.header_row, loc.first_col, loc.last_col):
        raise ValueError("the outcome was computed for another register than the one located")
    columns = {key: register.first_col + pos for key, pos in register.columns.items()}
    headers = {key: register.headers[pos] for key, pos in register.columns.items()}
    next_col = register.first_col + len(register.headers)
    for key in outcome.new_columns:
        columns[key], headers[key] = next_col, BY_KEY[key].header(outcome.lang)
        next_col += 1
    data_rows = register.rows.index
    last_row = max(register.header_row + 1, int(data_rows.max()) if len(data_rows) else 0,
                   loc.table_last_row() or 0)
    plan = _Plan(columns, headers, register.first_col, next_col - 1, [], [],
                 merged_counters(read_counters(wb), outcome.counters))
    plan.rules = _wanted_rules(plan, register.header_row + 1, last_row,
                               outcome.config.settings.due_soon_days)
    plan.findings = finding_rows(outcome)
    return plan


def _wanted_rules(plan: _Plan, first: int, last: int, due_soon_days: int) -> list[FormatRule]:
    return conditional_format_rules(plan.columns, plan.headers, plan.first_col, plan.last_col,
                                    first, last, due_soon_days)


# --- columns and cells ------------------------------------------------------------------------

def _append_columns(loc: RegisterLocation, keys: list[str], plan: _Plan) -> None:
    ws = loc.ws
    model = ws.cell(row=loc.header_row, column=loc.last_col)
    width = _column_width(ws, loc.last_col)
    for key in keys:
        col = plan.columns[key]
        cell = ws.cell(row=loc.header_row, column=col)
        put_value(cell, plan.headers[key])
        if model.has_style:  # the new header looks like its neighbour
            for attribute in ("font", "fill", "border", "alignment", "protection"):
                setattr(cell, attribute, copy(getattr(model, attribute)))
        if width:
            ws.column_dimensions[get_column_letter(col)].width = width
    old_last, loc.last_col = loc.last_col, plan.last_col
    if loc.table is not None:
        _extend_table(ws, loc.table, plan)
    elif ws.auto_filter.ref:
        _extend_filter(ws, old_last, plan.last_col)


def _column_width(ws: Worksheet, col: int) -> float | None:
    # Column widths may be stored for a span of columns under the first column's letter.
    for dim in ws.column_dimensions.values():
        low = dim.min or column_index_from_string(dim.index)
        high = dim.max or low
        if low <= col <= high and dim.width:
            return dim.width
    return None


def _extend_table(ws: Worksheet, table: Table, plan: _Plan) -> None:
    """Widen an Excel table over the new columns; Excel calls the file corrupt unless the table's
    range, its filter range and its column list agree with the header cells."""
    min_col, min_row, max_col, max_row = range_boundaries(table.ref)
    if not table.tableColumns:  # a table made in memory gets its columns only when saved
        table.tableColumns = [TableColumn(id=i, name=str(ws.cell(min_row, col).value))
                              for i, col in enumerate(range(min_col, max_col + 1), 1)]
    names = {column.name for column in table.tableColumns}
    next_id = max(column.id for column in table.tableColumns) + 1
    for col in range(max_col + 1, plan.last_col + 1):
        name = str(ws.cell(min_row, col).value)
        if name in names:  # names must be unique within a table
            raise ValueError(f"table {table.displayName} already has a column named {name}")
        table.tableColumns.append(TableColumn(id=next_id, name=name))
        names.add(name)
        next_id += 1
    ref = f"{get_column_letter(min_col)}{min_row}:{get_column_letter(plan.last_col)}{max_row}"
    table.ref = ref
    if table.headerRowCount != 0:
        filter_end = max_row - (table.totalsRowCount or 0)
        filter_ref = f"{get_column_letter(min_col)}{min_row}:" \
                     f"{get_column_letter(plan.last_col)}{filter_end}"
        if table.autoFilter is None:
            table.autoFilter = AutoFilter(ref=filter_ref)
        else:
            table.autoFilter.ref = filter_ref


def _extend_filter(ws: Worksheet, old_last: int, new_last: int) -> None:
    min_col, min_row, max_col, max_row = range_boundaries(ws.auto_filter.ref)
    if max_col == old_last:  # the filter covered the whole register: keep it covering it
        ws.auto_filter.ref = (f"{get_column_letter(min_col)}{min_row}:"
                              f"{get_column_letter(new_last)}{max_row}")


def _write_changes(ws: Worksheet, changes: dict[str, pd.Series], plan: _Plan,
                   below: RowsBelow | None) -> int:
    """Put the changed values into their cells, or into ``below`` for the rows of a cut sheet
    that openpyxl does not hold (see stream.py)."""
    written = 0
    under = below.first_row if below is not None else None
    columns = []  # the values for rows below, a column at a time
    for key, values in changes.items():
        if not len(values):
            continue
        col = plan.columns.get(key)
        if col is None:
            raise ValueError(f"the outcome changes {key}, a column the register lacks and does "
                             "not add")
        number_format = written_format(key)
        whole = BY_KEY[key].kind == "int"
        rows_below: list[int] = []
        values_below: list[Any] = []
        for row, value in values.items():
            if type(value) is not str:  # text goes in as it is: most of what a run writes
                value = cell_value(value)
            if whole and isinstance(value, float) and value.is_integer():
                value = int(value)  # a count of days is 6, not 6.0
            if under is not None and row >= under:
                rows_below.append(int(row))
                values_below.append(value)
            else:
                put_value(ws.cell(row=int(row), column=col), value, number_format)
            written += 1
        if rows_below:
            columns.append((col, rows_below, values_below, number_format))
    if below is not None and columns:
        below.put_columns(columns)
    return written


def put_value(cell: Cell, value: Any, number_format: str | None = None) -> None:
    """Set a value; text always stays text (never a formula or an error code).

    Text, and datetimes given a number format, are stored directly: Cell.value's setter would
    guess the type (formula? error code? which date format?), which is what a first run over a
    large register spends most of its writing time on (2.5 x slower over 100,000 cells).
    """
    if isinstance(value, str):
        cell._value = clean_text(value)
        cell.data_type = "s"
    elif isinstance(value, dt.datetime) and number_format:
        cell._value = value
        cell.data_type = "d"
    else:
        cell.value = value
    if number_format and value is not None and cell.number_format != number_format:
        cell.number_format = number_format


# --- conditional formats ----------------------------------------------------------------------

def _is_ours(rule: Rule) -> bool:
    formulas = list(rule.formula or ())
    return (rule.type == "expression" and len(formulas) == 1
            and is_our_formula(formulas[0]))


def _rules_in_place(ws: Worksheet, wanted: list[FormatRule]) -> bool:
    present = sorted((str(cf.sqref), rule.formula[0])
                     for cf in ws.conditional_formatting for rule in cf.rules if _is_ours(rule))
    return present == sorted((span, formula) for span, formula, _ in wanted)


def _replace_rules(ws: Worksheet, wanted: list[FormatRule]) -> None:
    """Drop our old rules and add the wanted ones after everything staff made, which keeps its
    ranges and priorities."""
    fresh = ConditionalFormattingList()
    top = 0
    for cf in ws.conditional_formatting:
        for rule in cf.rules:
            if not _is_ours(rule):
                fresh.add(ConditionalFormatting(sqref=cf.sqref, pivot=cf.pivot), rule)
                top = max(top, rule.priority or 0)
    # Cell rules come before row rules, so a flagged cell stays visible inside a coloured row.
    for span, formula, look in wanted:
        fill, font = LOOKS[look]
        rule = FormulaRule(formula=[formula], fill=_solid(fill),
                           font=Font(color=font) if font else None)
        top += 1
        rule.priority = top
        fresh.add(span, rule)
    fresh.max_priority = top
    ws.conditional_formatting = fresh


# --- the Findings sheet -----------------------------------------------------------------------

def _findings_now(wb: Workbook) -> list[FindingRow] | None:
    """The Findings sheet's rows and links as they are, in the form finding_rows gives."""
    if FINDINGS_SHEET not in wb.sheetnames:
        return None
    ws = wb[FINDINGS_SHEET]
    rows = []
    for cells in ws.iter_rows():
        values = [sheet_text(c.value) if isinstance(c.value, str) else c.value for c in cells]
        while values and values[-1] is None:
            values.pop()
        link = cells[0].hyperlink.location if cells and cells[0].hyperlink else None
        rows.append((tuple(values), link))
    while rows and rows[-1] == ((), None):
        rows.pop()
    return rows


def _write_findings(wb: Workbook, rows: list[FindingRow]) -> None:
    """Rebuild the sheet at its old position: stale rows, links and filters all go at once."""
    index = None
    if FINDINGS_SHEET in wb.sheetnames:
        old = wb[FINDINGS_SHEET]
        index = wb.index(old)
        wb.remove(old)
    ws = wb.create_sheet(FINDINGS_SHEET, index)
    link_style = None
    for r, (values, link) in enumerate(rows, 1):
        ws.append(values)  # far quicker than cell by cell when every row has a finding
        for c, value in enumerate(values, 1):
            if isinstance(value, str) and value[:1] in ("=", "#"):
                ws.cell(row=r, column=c).data_type = "s"  # text, not a formula or error code
        if link:
            cell = ws.cell(row=r, column=1)
            cell.hyperlink = Hyperlink(ref=cell.coordinate, location=link)
            if link_style is None:
                cell.font = _LINK_FONT
                link_style = cell._style
            else:  # share the style array: setting a font per cell rehashes it every time
                cell._style = copy(link_style)
    _style_header(ws, len(rows[0][0]), FINDINGS_WIDTHS)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(rows[0][0]))}{len(rows)}"


def _style_header(ws: Worksheet, width: int, widths: tuple[int, ...]) -> None:
    for col in range(1, width + 1):
        cell = ws.cell(row=1, column=col)
        cell.font = Font(bold=True)
        cell.fill = copy(_HEADER_FILL)
        cell.alignment = Alignment(vertical="center")
        ws.column_dimensions[get_column_letter(col)].width = widths[col - 1]
    ws.freeze_panes = "A2"


# --- the Log and Counters sheets --------------------------------------------------------------

def _append_log(wb: Workbook, outcome: Outcome, run_info: RunInfo, cells: int) -> None:
    """One row per run that changed something; earlier rows are never touched."""
    if LOG_SHEET in wb.sheetnames:
        ws = wb[LOG_SHEET]
    else:
        ws = wb.create_sheet(LOG_SHEET)
    last = max((row for (row, _), cell in ws._cells.items() if cell.value is not None), default=0)
    if last == 0:
        header = log_header(outcome.lang)
        for col, name in enumerate(header, 1):
            put_value(ws.cell(row=1, column=col), name)
        _style_header(ws, len(header), LOG_WIDTHS)
        last = 1
    for col, value in enumerate(log_row(outcome.summary, run_info, cells), 1):
        if value is not None:
            put_value(ws.cell(row=last + 1, column=col), value)
    ws.cell(row=last + 1, column=1).number_format = DATETIME_FORMAT


def _write_counters(wb: Workbook, counters: dict[str, int]) -> None:
    ws = counters_sheet(wb)
    if ws is None:
        ws = wb.create_sheet(COUNTERS_SHEET)
    elif ws.max_row:
        ws.delete_rows(1, ws.max_row)
    ws.sheet_state = "hidden"  # staff have no reason to edit it; a wrong number reuses numbers
    for row, (period, last) in enumerate(counters_rows(counters), 1):
        put_value(ws.cell(row=row, column=1), period)
        put_value(ws.cell(row=row, column=2), last)
