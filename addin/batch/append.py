"""Appending imported rows below the register of an existing workbook (openpyxl).

``append_rows`` adds card rows below the table, extending the table, its filter and its dropdowns;
new fields get header columns at the right. It only edits the workbook in memory: the caller saves
with ``safety.save_atomically``. New workbooks are not made here: they come from the workbook
builder, with every sheet of the card.
"""

from __future__ import annotations

import datetime as dt
from copy import copy
from typing import Any

from openpyxl.styles.numbers import is_date_format
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.table import Table, TableColumn
from openpyxl.worksheet.worksheet import Worksheet

from addin.core.fields import BY_KEY, field_for_header, fold, guess_language
from addin.core.findings import cell_ref
from addin.layout.cells import cell_value, storable_text, unique_headers

from .safety import WorkbookRefused

DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DATE_FORMAT = "yyyy-mm-dd"


def append_rows(wb: Any, loc_ws: Worksheet, table: Table | None, headers_by_key: dict[str, int],
                rows: list[dict[str, object]], *, header_row: int | None = None) -> int:
    """Append card rows below the register and return how many were appended.

    ``headers_by_key`` maps field keys to sheet columns (1-based). A key it lacks goes to the
    column whose header names it (a card field in either language, or any header with the key's
    text); a key with no column gets a new header column at the right, in the register's
    language. The table's range, filter, columns and the dropdowns that covered its rows grow
    with it; dates take their column's number format. Without a table give ``header_row``.
    Rows are written into empty cells only: anything in the way is refused, not overwritten.
    """
    if not rows:
        return 0
    ws = loc_ws
    frame = _Frame.of(ws, table, header_row)
    columns = _columns_for(ws, frame, headers_by_key, rows)
    start = frame.first_free_row(ws, columns.values())
    new_last = max(frame.data_last, start + len(rows) - 1)
    frame.check_room(ws, new_last, columns)  # before anything is written
    frame.write_headers(ws)
    frame.move_totals(ws, new_last)
    formats = {key: _column_format(ws, key, col, start, frame.header_row)
               for key, col in columns.items()}
    for i, row in enumerate(rows):
        for key, value in row.items():
            _put(ws.cell(row=start + i, column=columns[key]), value, formats[key])
    frame.extend(ws, table, new_last, columns)
    return len(rows)


class _Frame:
    """The register's extent: header row, columns, data rows and totals row."""

    def __init__(self, header_row: int, first_col: int, last_col: int, data_last: int,
                 totals: int) -> None:
        self.header_row, self.first_col, self.last_col = header_row, first_col, last_col
        self.data_last, self.totals = data_last, totals
        self.new_headers: dict[int, str] = {}

    @classmethod
    def of(cls, ws: Worksheet, table: Table | None, header_row: int | None) -> _Frame:
        if table is not None:
            min_col, min_row, max_col, max_row = range_boundaries(table.ref)
            totals = table.totalsRowCount or 0
            return cls(min_row, min_col, max_col, max_row - totals, totals)
        if header_row is None:
            raise ValueError("append_rows needs header_row when the register has no table")
        filled = [c for c in range(1, ws.max_column + 1)
                  if _peek(ws, header_row, c) not in (None, "")]
        first, last = (min(filled), max(filled)) if filled else (1, 1)
        frame = cls(header_row, first, last, header_row, 0)
        frame.data_last = frame.last_filled(ws, range(first, last + 1), ws.max_row)
        return frame

    def last_filled(self, ws: Worksheet, cols: Any, bottom: int) -> int:
        """The last row at or above ``bottom`` with a value in ``cols`` (the header row if none).

        Searched from the bottom up: in a register the last row is usually filled, so this
        looks at a handful of cells, not at every cell of the sheet.
        """
        cols = sorted(set(cols))
        for row in range(bottom, self.header_row, -1):
            if any(_peek(ws, row, c) not in (None, "") for c in cols):
                return row
        return self.header_row

    def first_free_row(self, ws: Worksheet, cols: Any) -> int:
        """Below the last row holding a value; blank rows at the end of a table are reused."""
        spread = set(cols) | set(range(self.first_col, self.last_col + 1))
        return self.last_filled(ws, spread, self.data_last) + 1

    def check_room(self, ws: Worksheet, new_last: int, columns: dict[str, int]) -> None:
        grow = new_last - self.data_last
        right = max([self.last_col, *columns.values()])
        below = range(self.data_last + self.totals + 1, self.data_last + self.totals + grow + 1)
        cells = [(r, c) for r in below for c in range(self.first_col, right + 1)]
        cells += [(r, c) for c in range(self.last_col + 1, right + 1)
                  for r in range(self.header_row, self.data_last + self.totals + 1)]
        for r, c in cells:
            cell = ws._cells.get((r, c))
            if cell is not None and cell.value not in (None, ""):
                ref = cell_ref(ws.title, r, c)
                raise WorkbookRefused(
                    f"Cannot add the rows to {ws.title}: {ref} is in the way and would be "
                    "overwritten. Move what is below or beside the table and run again.",
                    f"无法向 {ws.title} 添加行：{ref} 会被覆盖。请移开表格下方或右侧的内容后"
                    "重新运行。")

    def write_headers(self, ws: Worksheet) -> None:
        model = ws.cell(row=self.header_row, column=self.last_col)
        for col, text in self.new_headers.items():
            header = ws.cell(row=self.header_row, column=col, value=text)
            if model.has_style:
                header._style = copy(model._style)  # the new header looks like its neighbour

    def move_totals(self, ws: Worksheet, new_last: int) -> None:
        grow = new_last - self.data_last
        if self.totals and grow > 0:
            row = self.data_last + 1
            span = f"{get_column_letter(self.first_col)}{row}:{get_column_letter(self.last_col)}" \
                   f"{row + self.totals - 1}"
            # Formulas keep their references, as when Excel moves cells: a totals row written
            # with structured references (SUBTOTAL(109,Table[Column])) stays right.
            ws.move_range(span, rows=grow)

    def extend(self, ws: Worksheet, table: Table | None, new_last: int,
               columns: dict[str, int]) -> None:
        right = max([self.last_col, *columns.values()])
        left = get_column_letter(self.first_col)
        data_ref = f"{left}{self.header_row}:{get_column_letter(right)}{new_last}"
        if table is not None:
            table.ref = f"{left}{self.header_row}:{get_column_letter(right)}" \
                        f"{new_last + self.totals}"
            if table.autoFilter is not None:
                table.autoFilter.ref = data_ref
            next_id = max((c.id for c in table.tableColumns), default=0) + 1
            for col in sorted(self.new_headers):
                table.tableColumns.append(TableColumn(id=next_id, name=self.new_headers[col]))
                next_id += 1
        elif ws.auto_filter.ref:
            ws.auto_filter.ref = data_ref
        self._extend_dropdowns(ws, new_last)

    def _extend_dropdowns(self, ws: Worksheet, new_last: int) -> None:
        """Validations that ended at the last data row end at the new one (as Excel does)."""
        if new_last <= self.data_last:
            return
        for dv in ws.data_validations.dataValidation:
            ranges = []
            for rng in dv.sqref.ranges:
                if rng.max_row == self.data_last and rng.min_row > self.header_row \
                        and self.first_col <= rng.min_col <= self.last_col:
                    rng = CellRange(min_col=rng.min_col, min_row=rng.min_row,
                                    max_col=rng.max_col, max_row=new_last)
                ranges.append(rng.coord)
            dv.sqref = " ".join(ranges)


def _columns_for(ws: Worksheet, frame: _Frame, headers_by_key: dict[str, int],
                 rows: list[dict[str, object]]) -> dict[str, int]:
    """The sheet column of every key the rows use, adding header columns for new keys."""
    headers = {c: _peek(ws, frame.header_row, c) for c in range(frame.first_col, frame.last_col + 1)
               if _peek(ws, frame.header_row, c) not in (None, "")}
    by_field = {}
    by_text = {}
    for col, text in sorted(headers.items()):
        key = field_for_header(text)
        if key is not None:
            by_field.setdefault(key, col)
        by_text.setdefault(fold(text), col)
    lang = guess_language(list(headers.values()))
    columns: dict[str, int] = {}
    for row in rows:
        for key in row:
            if key in columns:
                continue
            given = headers_by_key.get(key)
            if given is not None and not frame.first_col <= given <= frame.last_col:
                given = None  # outside the register: a column of its own is added instead
            col = given or by_field.get(key) or by_text.get(fold(key))
            if col is None:
                col = frame.last_col + len(frame.new_headers) + 1
                text = BY_KEY[key].header(lang) if key in BY_KEY else key
                text = unique_headers([*headers.values(), *frame.new_headers.values(), text])[-1]
                frame.new_headers[col] = text
            columns[key] = col
    return columns


def _peek(ws: Worksheet, row: int, col: int) -> Any:
    """A cell's value without creating the cell (ws.cell() would add an empty one)."""
    cell = ws._cells.get((row, col))
    return None if cell is None else cell.value


def _column_format(ws: Worksheet, key: str, col: int, start: int, header_row: int) -> str | None:
    """The date format of a column: the cell above's when it is a date format, else the field's."""
    if start - 1 > header_row:
        above = ws._cells.get((start - 1, col))
        if above is not None and is_date_format(above.number_format):
            return above.number_format
    return _field_format(key if key in BY_KEY else None)


def _put(cell: Any, value: object, number_format: str | None) -> None:
    value = cell_value(value)
    if value is None:
        return
    if isinstance(value, str):
        value = storable_text(value)  # openpyxl refuses what a workbook file cannot hold
    cell.value = value
    if isinstance(value, str) and value.startswith(("=", "#")):
        # Imported text is never run as a formula, nor read as an error value such as #N/A.
        cell.data_type = "s"
    elif isinstance(value, dt.datetime | dt.date):
        cell.number_format = number_format or _format_for(value)


def _field_format(key: str | None) -> str | None:
    kind = BY_KEY[key].kind if key is not None else None
    return {"datetime": DATETIME_FORMAT, "date": DATE_FORMAT}.get(kind or "")


def _format_for(value: dt.date) -> str:
    if isinstance(value, dt.datetime) and (value.hour, value.minute, value.second) != (0, 0, 0):
        return DATETIME_FORMAT
    return DATE_FORMAT
