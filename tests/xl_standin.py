"""A recording stand-in for the few xlwings objects the live door uses, backed by a real workbook.

Reads return what the workbook file holds, the way xlwings hands values over from Excel (every
number as a float, dates as datetime, empty cells as None); writes land in the same openpyxl
workbook, so a test can save it and compare it cell for cell with what the batch door writes.
Text written is read as Excel reads typed text (``_typed``), so text that Excel would turn into a
number, a date or a formula shows up as a difference unless the door protects it.

Two kinds of access are recorded apart:

- calls: every xlwings operation that moves values or metadata between Python and Excel, or
  changes Excel: ``sheet_names``, a range's ``address``, ``value`` read or write (also through
  ``options(...)``), ``clear_contents()``, ``number_format``, ``select()``, ``activate()``,
  ``sheets.add()``, a sheet's ``visible`` or ``name``, the sheet count, ``app.status_bar``,
  ``app.alert()`` and ``app.selection``. These are what the 20-call budget counts.
- lookups: getting hold of an object without moving data: a sheet by name or index,
  ``used_range``, ``sheet.range(...)``. On xlwings Server and Lite they never leave Python; on
  Windows each is still a COM round trip (and on macOS ``used_range`` is one AppleScript call), so
  tests check that they too do not grow with the rows, and the counts quote them beside the calls.

``options(...)``, ``book.sheets`` and ``book.app`` are not recorded.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.utils.cell import get_column_letter, range_boundaries
from openpyxl.worksheet.worksheet import Worksheet


class StandinFailure(RuntimeError):
    """Raised by the stand-in where a test asked Excel to fail (as a COM error would)."""


@dataclass
class CallLog:
    calls: list[str] = field(default_factory=list)
    lookups: list[str] = field(default_factory=list)
    fail_at: int | None = None  # raise on this call number (1-based), to test failures part-way
    alerts: list[tuple[str, str]] = field(default_factory=list)  # (title, prompt)
    status: list[Any] = field(default_factory=list)  # every status bar text set

    def __call__(self, what: str) -> None:
        self.calls.append(what)
        if self.fail_at is not None and len(self.calls) == self.fail_at:
            raise StandinFailure(f"Excel refused call {len(self.calls)}: {what}")

    def lookup(self, what: str) -> None:
        self.lookups.append(what)

    @property
    def count(self) -> int:
        return len(self.calls)

    def writes(self) -> list[str]:
        return [c for c in self.calls if c.startswith(("set ", "clear ", "add ", "format "))]


def _from_cell(value: Any) -> Any:
    """A cell value as xlwings returns it from Excel: a new object on every read, as COM
    converts each cell anew (the same text in two cells is two strings, not openpyxl's one
    shared string), so the door works on what Excel would hand it."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return float(value) + 0.0  # float(x) of a float is x itself
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, dt.datetime):
        return value.replace()
    if isinstance(value, str):
        return None if value == "" else value.encode("utf-8", "surrogatepass").decode(
            "utf-8", "surrogatepass")
    return value


def _to_cell(value: Any) -> Any:
    """A Python value as Excel stores it when xlwings writes it."""
    if isinstance(value, str):
        return _typed(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day)
    return value


_NUMBER = re.compile(r"^[+-]?(\d[\d,]*\.?\d*|\.\d+)([eE][+-]?\d+)?%?$")
_DATE = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


def _typed(text: str) -> Any:
    """Text written to a cell, read the way Excel reads it (as if typed), in its common cases:
    a leading apostrophe keeps the rest as text; numbers, percentages, TRUE/FALSE and ISO dates
    become values; text starting with = + - @ becomes a formula (kept here as '=...', which
    openpyxl stores as a formula, so a comparison with the batch's text fails)."""
    if text.startswith("'"):
        return text[1:] or None
    stripped = text.strip()
    if not stripped:
        return None if text == "" else text
    if _NUMBER.match(stripped):
        number = float(stripped.rstrip("%").replace(",", ""))
        return number / 100 if stripped.endswith("%") else number
    if stripped.upper() in ("TRUE", "FALSE"):
        return stripped.upper() == "TRUE"
    date = _DATE.match(stripped)
    if date:
        return dt.datetime(*(int(part or 0) for part in date.groups()))
    if stripped[0] in "=+-@":
        return "=" + stripped.lstrip("=")
    return text


class StandinApp:
    def __init__(self, log: CallLog, book: StandinBook) -> None:
        self._log, self._book = log, book
        self._status: Any = False

    @property
    def status_bar(self) -> Any:
        self._log("get status_bar")
        return self._status

    @status_bar.setter
    def status_bar(self, value: Any) -> None:
        self._log("set status_bar")
        self._status = value
        self._log.status.append(value)

    def alert(self, prompt: str, title: str | None = None, buttons: str = "ok",
              mode: str | None = None, callback: str | None = None) -> str:
        self._log("alert")
        self._log.alerts.append((title or "", prompt))
        return "ok"

    @property
    def selection(self) -> StandinRange | None:
        self._log("get selection")
        return self._book._selection


class StandinBook:
    """``xw.Book`` over an openpyxl workbook loaded from a file (or given directly)."""

    def __init__(self, source: Path | Workbook, log: CallLog | None = None) -> None:
        self.wb = source if isinstance(source, Workbook) else load_workbook(source)
        self.log = log or CallLog()
        self.app = StandinApp(self.log, self)
        self.sheets = StandinSheets(self)
        self.name = "ComplaintRecord.xlsx" if isinstance(source, Workbook) else Path(source).name
        self._selection: StandinRange | None = None
        self._active = self.wb.active.title if self.wb.active is not None else None

    @property
    def sheet_names(self) -> list[str]:
        self.log("get sheet_names")
        return list(self.wb.sheetnames)

    @property
    def fullname(self) -> str:
        self.log("get fullname")
        return self.name

    def checkpoint(self) -> Callable[[], None]:
        """Test helper (not counted): a function that puts every sheet's cells, the sheet list and
        the call log back as they are now, so that several presses can each start from the same
        workbook without loading it again."""
        sheets = list(self.wb.worksheets)
        states = [ws.sheet_state for ws in sheets]
        cells = [{key: (c.value, c.data_type) for key, c in ws._cells.items()} for ws in sheets]
        active, selection = self._active, self._selection

        def restore() -> None:
            self.wb._sheets = list(sheets)
            for ws, state, saved in zip(sheets, states, cells, strict=True):
                ws.sheet_state = state
                for key in [k for k in ws._cells if k not in saved]:
                    del ws._cells[key]
                for key, (value, kind) in saved.items():
                    cell = ws.cell(row=key[0], column=key[1])
                    if isinstance(cell, MergedCell):  # a press merged it: no value of its own
                        continue
                    cell.value, cell.data_type = value, kind
            self._active, self._selection = active, selection
            self.log = CallLog()
            self.app = StandinApp(self.log, self)
        return restore

    def select_range(self, sheet: str, address: str) -> None:
        """Test helper (not counted): what staff had selected before pressing a button."""
        self._selection = StandinRange(self.sheets._sheet(sheet), address)


class StandinSheets:
    def __init__(self, book: StandinBook) -> None:
        self.book = book

    def _sheet(self, name: str) -> StandinSheet:
        return StandinSheet(self.book, self.book.wb[name])

    def __getitem__(self, key: str | int) -> StandinSheet:
        self.book.log.lookup(f"sheet {key}")
        if isinstance(key, int):
            return StandinSheet(self.book, self.book.wb.worksheets[key])
        for ws in self.book.wb.worksheets:  # Excel matches sheet names ignoring case
            if ws.title.casefold() == str(key).casefold():
                return StandinSheet(self.book, ws)
        raise KeyError(key)

    def __len__(self) -> int:
        self.book.log("get sheets.count")
        return len(self.book.wb.worksheets)

    def __iter__(self) -> Iterator[StandinSheet]:
        for index in range(len(self)):
            yield self[index]

    def add(self, name: str | None = None, before: StandinSheet | None = None,
            after: StandinSheet | None = None) -> StandinSheet:
        self.book.log(f"add sheet {name}")
        index = None
        if after is not None:
            index = self.book.wb.worksheets.index(after.ws) + 1
        elif before is not None:
            index = self.book.wb.worksheets.index(before.ws)
        return StandinSheet(self.book, self.book.wb.create_sheet(name, index))

    @property
    def active(self) -> StandinSheet:
        self.book.log.lookup("active sheet")
        return self._sheet(self.book._active or self.book.wb.worksheets[0].title)


class StandinSheet:
    def __init__(self, book: StandinBook, ws: Worksheet) -> None:
        self.book, self.ws = book, ws

    @property
    def name(self) -> str:
        self.book.log(f"get name {self.ws.title}")
        return self.ws.title

    @property
    def visible(self) -> bool:
        self.book.log(f"get visible {self.ws.title}")
        return self.ws.sheet_state == "visible"

    @visible.setter
    def visible(self, value: bool) -> None:
        self.book.log(f"set visible {self.ws.title}")
        self.ws.sheet_state = "visible" if value else "hidden"

    @property
    def used_range(self) -> StandinRange:
        """Excel's used range: A1 on an empty sheet, as Excel reports it."""
        self.book.log.lookup(f"used_range {self.ws.title}")
        if not self.ws._cells:
            return StandinRange(self, "A1")
        return StandinRange(self, f"{get_column_letter(self.ws.min_column)}{self.ws.min_row}:"
                                  f"{get_column_letter(self.ws.max_column)}{self.ws.max_row}")

    def range(self, cell1: str | tuple[int, int], cell2: str | tuple[int, int] | None = None
              ) -> StandinRange:
        address = _address(cell1, cell2)
        self.book.log.lookup(f"range {self.ws.title}!{address}")
        return StandinRange(self, address)

    def clear_contents(self) -> None:
        self.book.log(f"clear {self.ws.title}")
        for cell in list(self.ws._cells.values()):
            cell.value = None
        self.ws._cells.clear()  # Excel forgets the used range of a cleared sheet

    def activate(self) -> None:
        self.book.log(f"activate {self.ws.title}")
        self.book._active = self.ws.title


def _address(cell1: str | tuple[int, int], cell2: str | tuple[int, int] | None) -> str:
    def one(cell: str | tuple[int, int]) -> str:
        if isinstance(cell, tuple):
            return f"{get_column_letter(cell[1])}{cell[0]}"
        return cell.replace("$", "")
    return one(cell1) if cell2 is None else f"{one(cell1)}:{one(cell2)}"


class StandinRange:
    def __init__(self, sheet: StandinSheet, address: str, options: dict | None = None) -> None:
        self.sheet, self._address, self._options = sheet, address, options or {}
        min_col, min_row, max_col, max_row = range_boundaries(address)
        self._bounds = (min_row, min_col, max_row or min_row, max_col or min_col)

    def options(self, **options: Any) -> StandinRange:
        return StandinRange(self.sheet, self._address, {**self._options, **options})

    @property
    def address(self) -> str:
        self.sheet.book.log(f"get address {self.sheet.ws.title}")
        top, left, bottom, right = self._bounds
        first = f"${get_column_letter(left)}${top}"
        if (top, left) == (bottom, right):
            return first
        return f"{first}:${get_column_letter(right)}${bottom}"

    @property
    def value(self) -> Any:
        self.sheet.book.log(f"get value {self.sheet.ws.title}!{self._address}")
        top, left, bottom, right = self._bounds
        cells = self.sheet.ws._cells
        rows = []
        for r in range(top, bottom + 1):
            row = []
            for c in range(left, right + 1):
                cell = cells.get((r, c))
                row.append(None if cell is None else _from_cell(cell.value))
            rows.append(row)
        if self._options.get("ndim") == 2:
            return rows
        if len(rows) == 1 and len(rows[0]) == 1:
            return rows[0][0]
        if len(rows) == 1:
            return rows[0]
        if all(len(r) == 1 for r in rows):
            return [r[0] for r in rows]
        return rows

    @value.setter
    def value(self, data: Any) -> None:
        self.sheet.book.log(f"set value {self.sheet.ws.title}!{self._address}")
        top, left, _, _ = self._bounds
        if not isinstance(data, list | tuple):
            data = [[data]]
        elif data and not isinstance(data[0], list | tuple):
            data = [list(data)]  # a flat list is one row, as in xlwings
        for i, row in enumerate(data):
            for j, item in enumerate(row):
                value = _to_cell(item)
                if value is None and (top + i, left + j) not in self.sheet.ws._cells:
                    continue
                cell = self.sheet.ws.cell(row=top + i, column=left + j)
                cell.value = value
                if isinstance(item, str) and item.startswith("'") and isinstance(value, str):
                    cell.data_type = "s"  # protected text stays text, even '=...'

    def clear_contents(self) -> None:
        self.sheet.book.log(f"clear {self.sheet.ws.title}!{self._address}")
        top, left, bottom, right = self._bounds
        for key in [k for k in self.sheet.ws._cells if top <= k[0] <= bottom
                    and left <= k[1] <= right]:
            self.sheet.ws._cells[key].value = None

    @property
    def number_format(self) -> str:
        self.sheet.book.log(f"get format {self.sheet.ws.title}!{self._address}")
        top, left, _, _ = self._bounds
        return self.sheet.ws.cell(row=top, column=left).number_format

    @number_format.setter
    def number_format(self, value: str) -> None:
        self.sheet.book.log(f"format {self.sheet.ws.title}!{self._address}")
        top, left, bottom, right = self._bounds
        for r in range(top, bottom + 1):
            for c in range(left, right + 1):
                self.sheet.ws.cell(row=r, column=c).number_format = value

    def select(self) -> None:
        self.sheet.book.log(f"select {self.sheet.ws.title}!{self._address}")
        if self.sheet.book._active != self.sheet.ws.title:
            raise StandinFailure("Select method of Range class failed (sheet not active)")
        self.sheet.book._selection = self

    @property
    def row(self) -> int:
        self.sheet.book.log("get row")
        return self._bounds[0]

    @property
    def column(self) -> int:
        self.sheet.book.log("get column")
        return self._bounds[1]

    def rows_spanned(self) -> range:
        """Test helper (not counted): the sheet rows this range covers."""
        return range(self._bounds[0], self._bounds[2] + 1)


# ----------------------------------------------------------------------------- sheets with charts
# Added for the Analysis and Monthly sheets (addin/xl/analysis.py). Kept in one block at the end,
# attached to the classes above, so that it stays apart from edits to them. Each access that
# would be a round trip to Excel counts as one call, as above.

def _delete_sheet(self: StandinSheet) -> None:
    """``Sheet.delete()``: the sheet goes, and its tables and charts with it."""
    self.book.log(f"delete sheet {self.ws.title}")
    self.book.wb.remove(self.ws)
    if self.book._active == self.ws.title:
        self.book._active = self.book.wb.worksheets[0].title


@dataclass
class StandinChart:
    """What a native chart was built from: the test reads it back (not counted)."""

    sheet: StandinSheet
    chart_type: str | None
    anchor: str | None
    source: str | None = None
    plot_by: str | None = None
    categories: str | None = None
    _title: str | None = None
    parts: dict[str, dict[str, Any]] = field(default_factory=dict)  # "legend": {"visible": ...}

    def _log(self, what: str) -> None:
        self.sheet.book.log(f"chart {what} {self.sheet.ws.title}")

    def set_source_data(self, source: StandinRange, plot_by: str | None = None) -> None:
        self._log("source")
        self.source, self.plot_by = source._address, plot_by

    def set_x_axis_values(self, source: StandinRange) -> None:
        self._log("categories")
        self.categories = source._address

    @property
    def title(self) -> str | None:
        self._log("get title")
        return self._title

    @title.setter
    def title(self, value: str | None) -> None:
        self._log("title")
        self._title = value

    @property
    def legend(self) -> _ChartPart:
        return _ChartPart(self, "legend")  # free, as in xlwings: the property set is the call

    @property
    def value_axis(self) -> _ChartPart:
        return _ChartPart(self, "value_axis")

    @property
    def category_axis(self) -> _ChartPart:
        return _ChartPart(self, "category_axis")


class _ChartPart:
    """A chart's legend or axis: each property set is one call."""

    def __init__(self, chart: StandinChart, part: str) -> None:
        object.__setattr__(self, "_chart", chart)
        object.__setattr__(self, "_part", part)

    def __setattr__(self, name: str, value: Any) -> None:
        self._chart._log(f"{self._part}.{name}")
        self._chart.parts.setdefault(self._part, {})[name] = value


class StandinCharts:
    def __init__(self, sheet: StandinSheet) -> None:
        self.sheet = sheet

    def add(self, left: float = 0, top: float = 0, width: float = 355, height: float = 211,
            chart_type: str | None = None, source: StandinRange | None = None,
            plot_by: str | None = None, name: str | None = None,
            anchor: StandinRange | None = None, style: int | None = 227) -> StandinChart:
        self.sheet.book.log(f"add chart {self.sheet.ws.title}")
        chart = StandinChart(self.sheet, chart_type, None if anchor is None else anchor._address)
        if source is not None:
            chart.source, chart.plot_by = source._address, plot_by
        self.sheet.ws.__dict__.setdefault("standin_charts", []).append(chart)
        return chart

    def __len__(self) -> int:
        self.sheet.book.log(f"get charts.count {self.sheet.ws.title}")
        return len(self.sheet.ws.__dict__.get("standin_charts", []))


def charts_on(ws: Worksheet) -> list[StandinChart]:
    """Test helper (not counted): the charts the stand-in put on a sheet."""
    return list(ws.__dict__.get("standin_charts", []))


class StandinTables:
    def __init__(self, sheet: StandinSheet) -> None:
        self.sheet = sheet

    def add(self, source: StandinRange, name: str | None = None,
            table_style_name: str = "TableStyleMedium2", **_: Any) -> None:
        """An Excel table. As xlwings does, the table is made under Excel's own name (Table1,
        ...) and then renamed; the rename fails when the name is used anywhere in the workbook,
        and the table stays under Excel's name."""
        from openpyxl.worksheet.table import Table, TableStyleInfo

        self.sheet.book.log(f"add table {self.sheet.ws.title}!{source._address}")
        taken = {n for ws in self.sheet.book.wb.worksheets for n in ws.tables}
        own = next(f"Table{n}" for n in range(1, len(taken) + 2) if f"Table{n}" not in taken)
        table = Table(displayName=own, ref=source._address)
        table.tableStyleInfo = TableStyleInfo(name=table_style_name, showRowStripes=True)
        self.sheet.ws.add_table(table)
        if name is None:
            return
        self.sheet.book.log(f"table name {self.sheet.ws.title}!{source._address}")
        if name in taken:
            raise StandinFailure(f"A table named {name} already exists")
        del self.sheet.ws.tables[own]
        table.displayName = table.name = name
        self.sheet.ws.add_table(table)


class StandinFont:
    """``range.font``: each property set is one call, on every cell of the range."""

    def __init__(self, rng: StandinRange) -> None:
        object.__setattr__(self, "_range", rng)

    def __setattr__(self, name: str, value: Any) -> None:
        from copy import copy

        rng = self._range
        rng.sheet.book.log(f"font.{name} {rng.sheet.ws.title}!{rng._address}")
        top, left, bottom, right = rng._bounds
        key = {"bold": "b", "italic": "i", "size": "sz"}.get(name)
        for r in range(top, bottom + 1):
            for c in range(left, right + 1):
                cell = rng.sheet.ws.cell(row=r, column=c)
                font = copy(cell.font)
                if key:
                    setattr(font, key, value)
                cell.font = font


def _set_column_width(self: StandinRange, value: float) -> None:
    self.sheet.book.log(f"column_width {self.sheet.ws.title}!{self._address}")
    _, left, _, right = self._bounds
    for col in range(left, right + 1):
        self.sheet.ws.column_dimensions[get_column_letter(col)].width = value


StandinSheet.delete = _delete_sheet
StandinSheet.charts = property(StandinCharts)
StandinSheet.tables = property(StandinTables)
StandinRange.font = property(StandinFont)
StandinRange.column_width = property(None, _set_column_width)


_write_values = StandinRange.value.fset


def _write_keeping_text_cells(self: StandinRange, data: Any) -> None:
    """Excel keeps whatever is written to a cell formatted as text ("@") as text, as it does
    after an apostrophe: "13812345678" stays text there instead of becoming a number."""
    top, left, _, _ = self._bounds
    rows = data if isinstance(data, list | tuple) else [[data]]
    rows = rows if not rows or isinstance(rows[0], list | tuple) else [list(rows)]
    kept = [[f"'{item}" if isinstance(item, str) and item and (top + i, left + j) in
             self.sheet.ws._cells and self.sheet.ws.cell(top + i, left + j).number_format == "@"
             else item for j, item in enumerate(row)] for i, row in enumerate(rows)]
    _write_values(self, kept)


StandinRange.value = property(StandinRange.value.fget, _write_keeping_text_cells)
