"""A recording stand-in for the few xlwings objects the live door uses, backed by a real workbook.

Reads return what the workbook file holds, the way xlwings hands values over from Excel (every
number as a float, dates as datetime, empty cells as None); writes land in the same openpyxl
workbook, so a test can save it and compare it cell for cell with what the batch door writes.

Every access that would be a round trip to Excel through xlwings counts as one call: a sheet
lookup, ``sheet_names``, ``used_range``, a range's ``address``, ``value`` read or write (also
through ``options(...)``), ``clear_contents()``, ``number_format`` set, ``select()``,
``activate()``, ``sheets.add()``, a sheet's ``visible`` or ``name``, ``app.status_bar``,
``app.alert()`` and ``app.selection``. Building a range object (``sheet.range("B2:C9")``) and
``options(...)`` stay in Python in xlwings and are free, as are ``book.sheets`` and ``book.app``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.utils.cell import get_column_letter, range_boundaries
from openpyxl.worksheet.worksheet import Worksheet


class StandinFailure(RuntimeError):
    """Raised by the stand-in where a test asked Excel to fail (as a COM error would)."""


@dataclass
class CallLog:
    calls: list[str] = field(default_factory=list)
    fail_at: int | None = None  # raise on this call number (1-based), to test failures part-way
    alerts: list[tuple[str, str]] = field(default_factory=list)  # (title, prompt)
    status: list[Any] = field(default_factory=list)  # every status bar text set

    def __call__(self, what: str) -> None:
        self.calls.append(what)
        if self.fail_at is not None and len(self.calls) == self.fail_at:
            raise StandinFailure(f"Excel refused call {len(self.calls)}: {what}")

    @property
    def count(self) -> int:
        return len(self.calls)

    def writes(self) -> list[str]:
        return [c for c in self.calls if c.startswith(("set ", "clear ", "add ", "format "))]


def _from_cell(value: Any) -> Any:
    """A cell value as xlwings returns it from Excel."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, str) and value == "":
        return None
    return value


def _to_cell(value: Any) -> Any:
    """A Python value as Excel stores it when xlwings writes it."""
    if isinstance(value, str) and value == "":
        return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day)
    return value


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

    def select_range(self, sheet: str, address: str) -> None:
        """Test helper (not counted): what staff had selected before pressing a button."""
        self._selection = StandinRange(self.sheets._sheet(sheet), address)


class StandinSheets:
    def __init__(self, book: StandinBook) -> None:
        self.book = book

    def _sheet(self, name: str) -> StandinSheet:
        return StandinSheet(self.book, self.book.wb[name])

    def __getitem__(self, key: str | int) -> StandinSheet:
        self.book.log(f"lookup {key}")
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
        self.book.log("get active sheet")
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
        self.book.log(f"get used_range {self.ws.title}")
        if not self.ws._cells:
            return StandinRange(self, "A1")
        return StandinRange(self, f"{get_column_letter(self.ws.min_column)}{self.ws.min_row}:"
                                  f"{get_column_letter(self.ws.max_column)}{self.ws.max_row}")

    def range(self, cell1: str | tuple[int, int], cell2: str | tuple[int, int] | None = None
              ) -> StandinRange:
        return StandinRange(self, _address(cell1, cell2))

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
                self.sheet.ws.cell(row=top + i, column=left + j).value = value

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
