"""Reading a workbook opened with openpyxl: find the complaints table, read it and the settings.

The complaints table is found by its headers, never by fixed coordinates, by the rule every door
shares (``addin.layout.register``): an Excel table whose header names enough card fields, else the
sheet named for complaints, else another sheet with such a header row near its top. Values are
handed to the core as openpyxl holds them (datetime, numbers, text); the core does all
interpretation.

The workbook is expected to be loaded normally (not read-only), because the same workbook object
is written back and saved; a formula cell therefore reads as its formula text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from openpyxl.utils.cell import range_boundaries
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.table import Table
from openpyxl.worksheet.worksheet import Worksheet

from addin.core.fields import guess_language, match_headers
from addin.core.register import Grid, Register
from addin.layout.blocks import Block
from addin.layout.cells import is_blank
from addin.layout.counters import counters_from_rows
from addin.layout.register import HEADER_SCAN_ROWS, TableHead
from addin.layout.register import find_register as find_in_sheets
from addin.layout.sheets import COUNTERS_SHEET, GRID_ROLES, find_sheet, sheet_role


@dataclass
class RegisterLocation:
    """Where the complaints table sits: its sheet, header row and columns (1-based, inclusive)."""

    ws: Worksheet
    header_row: int
    first_col: int
    last_col: int
    table: Table | None = None

    @property
    def sheet(self) -> str:
        return self.ws.title

    def headers(self) -> list[Any]:
        return [_peek(self.ws, self.header_row, col)
                for col in range(self.first_col, self.last_col + 1)]

    def table_last_row(self) -> int | None:
        """The last data row inside the Excel table (above any totals row); None without a table."""
        if self.table is None:
            return None
        _, _, _, max_row = range_boundaries(self.table.ref)
        return max_row - (self.table.totalsRowCount or 0)


def _peek(ws: Worksheet, row: int, col: int) -> Any:
    """A cell's value without creating the cell (ws.cell() would add an empty one)."""
    cell = ws._cells.get((row, col))
    return None if cell is None else cell.value


def find_register(wb: Workbook) -> RegisterLocation | None:
    """The complaints table of a workbook, or None when no sheet holds one (the rule is
    ``addin.layout.register``, shared with the live door and the reports)."""
    found = find_in_sheets(wb.sheetnames, lambda name: _top(wb[name]), _table_heads(wb))
    if found is None:
        return None
    ws = wb[found.sheet]
    table = ws.tables[found.table] if found.table else None
    return RegisterLocation(ws, found.header_row, found.first_col, found.last_col, table)


def _table_heads(wb: Workbook) -> list[TableHead]:
    heads = []
    for ws in wb.worksheets:
        for table in ws.tables.values():
            if table.headerRowCount == 0:  # a table without a header row names no fields
                continue
            min_col, min_row, max_col, _ = range_boundaries(table.ref)
            heads.append(TableHead(ws.title, table.displayName, min_row, min_col,
                                   [_peek(ws, min_row, c) for c in range(min_col, max_col + 1)]))
    return heads


def _top(ws: Worksheet) -> Block:
    """The rows of a sheet in which a header row is looked for, from A1."""
    rows = [[_peek(ws, row, col) for col in range(1, ws.max_column + 1)]
            for row in range(1, min(HEADER_SCAN_ROWS, ws.max_row) + 1)]
    return Block(ws.title, rows)


def read_register(loc: RegisterLocation,
                  below: list[tuple[int, tuple[Any, ...]]] | None = None) -> Register:
    """The table's rows as a Register: index = Excel row numbers, one column per table column.

    Rows run from below the header to the last row holding any value in the table's columns (an
    Excel table's range bounds them); empty rows in between are kept so row numbers stay exact.
    ``below`` holds the rows a cut load left out of the sheet (stream.py), as (row number,
    values from the table's first column on), in order.
    """
    headers = loc.headers()
    width = loc.last_col - loc.first_col + 1
    first = loc.header_row + 1
    bound = loc.table_last_row()
    if below is not None:
        end = max(below[-1][0] if below else 0, loc.ws.max_row)
        bound = end if bound is None else min(bound, end)
    if bound is None:
        bound = loc.ws.max_row
    if below is None and (bound - first + 1) * width > 4 * len(loc.ws._cells) + 1000:
        # Far more positions than stored cells: a stray formatted cell far below the data. Find
        # the real end first rather than allocate a million empty rows.
        bound = _last_row_with_value(loc, first, bound)
    body = np.full((max(bound - first + 1, 0), width), None, dtype=object)
    last = first - 1
    left, right = loc.first_col, loc.last_col
    # One pass over the sheet's stored cells instead of iter_rows: iter_rows calls ws.cell() for
    # every position, which creates an empty cell object wherever the sheet has none, and measured
    # two to three times slower on a 50,000 x 25 register. Plain locals and Cell._value (what the
    # value property returns) keep the loop itself lean.
    for (row, col), cell in loc.ws._cells.items():
        if first <= row <= bound and left <= col <= right:
            value = cell._value
            body[row - first, col - left] = value
            if row > last and not is_blank(value):
                last = row
    for row, values in below or ():
        if row > bound:
            break
        values = values[:width]  # the reader may give more columns than the table has
        body[row - first] = values
        if row > last and not all(is_blank(v) for v in values):
            last = row
    body = body[: last - first + 1]
    names = ["" if h is None else str(h) for h in headers]
    # The frame takes the array as it is (copy=False): pandas would copy every cell of it, and
    # nothing else holds it (a 50,000-row register: 0.02 s, the run after it no slower).
    frame = pd.DataFrame(body, index=pd.RangeIndex(first, last + 1), columns=range(width),
                         dtype=object, copy=False)
    return Register(loc.sheet, loc.header_row, loc.first_col, names, frame, match_headers(names),
                    guess_language(names))


def _last_row_with_value(loc: RegisterLocation, first: int, bound: int) -> int:
    return max((row for (row, col), cell in loc.ws._cells.items()
                if first <= row <= bound and loc.first_col <= col <= loc.last_col
                and not is_blank(cell.value)), default=first - 1)


def read_grids(wb: Workbook) -> dict[str, Grid]:
    """The used range of the Settings, Lists, Rules and Holidays sheets, by role."""
    grids: dict[str, Grid] = {}
    for ws in wb.worksheets:
        role = sheet_role(ws.title)
        if role in GRID_ROLES and role not in grids:
            grids[role] = _grid(ws)
    return grids


def _grid(ws: Worksheet) -> Grid:
    if not ws._cells:
        return Grid(ws.title, [], 1, 1)
    rows = ws.iter_rows(min_row=ws.min_row, max_row=ws.max_row, min_col=ws.min_column,
                        max_col=ws.max_column, values_only=True)
    return Grid(ws.title, [list(r) for r in rows], ws.min_row, ws.min_column)


def counters_sheet(wb: Workbook) -> Worksheet | None:
    name = find_sheet(wb.sheetnames, COUNTERS_SHEET)
    return None if name is None else wb[name]


def read_counters(wb: Workbook) -> dict[str, int]:
    """Case-number high-water marks (period -> last sequence) from the hidden Counters sheet,
    read from columns A and B as ``counters_from_rows`` says."""
    ws = counters_sheet(wb)
    if ws is None:
        return {}
    return counters_from_rows(ws.iter_rows(min_col=1, max_col=2, values_only=True))
