"""The batch door's case log: read the last known state, append the events, keep the state.

The Case log sheet is only ever appended to (staff's own rows stay); the hidden Case state
sheet is rewritten whole, like Counters. What goes in comes from ``addin.layout.caselog``, so the
live door writes the same rows.

Both sheets grow with the register (a row per case, a row per event), so a run over a cut
workbook (stream.py) reads the state straight from the file and writes both sheets' rows as XML
rather than as openpyxl's cells: on 50,000 cases those cells cost more than the rest of a run.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from openpyxl.workbook.workbook import Workbook

from addin.core.caselog import STATE_COLUMNS
from addin.layout.caselog import (
    CASE_LOG_WIDTHS,
    case_log_header,
    case_log_name,
    case_log_rows,
    find_case_log,
    state_changed,
    state_from_rows,
    state_rows,
)
from addin.layout.formats import DATE_FORMAT, DATETIME_FORMAT
from addin.layout.log import RunInfo
from addin.layout.sheets import CASE_STATE_SHEET, find_sheet

from . import sheetxml
from .rowscan import scan_rows
from .safety import sheet_parts
from .writeback import _style_header, put_value

if TYPE_CHECKING:
    from addin.core.pipeline import Outcome

    from .stream import CutBook, RowsBelow

# The Case state sheet's rows as stored (header first), or None when the workbook has none.
StoredState = list[tuple[Any, ...]] | None


def read_case_state(wb: Workbook, stored: StoredState | bool = False) -> pd.DataFrame:
    """The last known state of every case (an empty frame when the workbook has none), from
    the ``stored`` rows when the caller read them, else from ``wb``."""
    rows = (_stored_state(wb) if stored is False else stored) or []
    return state_from_rows(rows)


def stored_state_in(archive: zipfile.ZipFile, book: sheetxml.Workbook | None = None
                    ) -> StoredState:
    """The Case state sheet's rows straight from the file's XML (the reader the register's rows
    below its top come from), without a cell object per value."""
    part = next((p for t, p in sheet_parts(archive).items()
                 if find_sheet([t], CASE_STATE_SHEET)), None)
    if part is None:
        return None
    book = book or sheetxml.Workbook(archive)
    width = len(STATE_COLUMNS)
    scanned = scan_rows(archive, part, book, 1, 1, width)
    rows = scanned[0] if scanned is not None else \
        sheetxml.iter_rows(archive, part, 1, 1, width, book)
    return [values for _, values in rows]


def stored_state_of(path: Path, wb: Workbook, cut: CutBook | None) -> StoredState:
    """The Case state sheet's rows of a workbook loaded for a run: from the file when the load
    was cut (its cells there may be only the top rows), else from openpyxl's cells."""
    if cut is None:
        return _stored_state(wb)
    with zipfile.ZipFile(path) as archive:
        return stored_state_in(archive)


def case_log_pending(wb: Workbook, outcome: Outcome, stored: StoredState | bool = False) -> bool:
    """True when the run has events to append or a state to keep."""
    if outcome.case_state is None:
        return False
    if stored is False:
        stored = _stored_state(wb)
    return len(outcome.case_events) > 0 or stored is None or state_changed(stored,
                                                                           outcome.case_state)


def apply_case_log(wb: Workbook, outcome: Outcome, run: RunInfo, cut: CutBook | None = None,
                   stored: StoredState | bool = False) -> int:
    """Append this run's events and rewrite the state when it changed; returns rows appended.
    With ``cut`` (the workbook a cut load gave), the rows go in as XML when saving."""
    if not case_log_pending(wb, outcome, stored):
        return 0
    rows = case_log_rows(outcome.case_events, run.when, outcome.lang, outcome.config.lists)
    if rows:
        _append_events(wb, rows, outcome.lang, cut)
    _write_state(wb, state_rows(outcome.case_state), cut)
    return len(rows)


def _stored_state(wb: Workbook) -> StoredState:
    name = find_sheet(wb.sheetnames, CASE_STATE_SHEET)
    if name is None:
        return None
    return [tuple(r) for r in wb[name].iter_rows(values_only=True)]


def _append_events(wb: Workbook, rows: list[tuple], lang: str, cut: CutBook | None) -> None:
    name = find_case_log(wb.sheetnames)
    ws = wb[name] if name else wb.create_sheet(case_log_name(lang))
    last = cut.last_filled(ws.title) if cut is not None else \
        max((row for (row, _), cell in ws._cells.items() if cell.value is not None), default=0)
    if last == 0:
        header = case_log_header(lang)
        for col, text in enumerate(header, 1):
            put_value(ws.cell(row=1, column=col), text)
        _style_header(ws, len(header), CASE_LOG_WIDTHS)
        last = 1
    added = cut.added(ws.title) if cut is not None else None
    formats = _Formats()
    for r, values in enumerate(rows, last + 1):
        _put_row(ws, added, r, values, formats.of(values, DATETIME_FORMAT))


def _write_state(wb: Workbook, rows: list[tuple], cut: CutBook | None) -> None:
    name = find_sheet(wb.sheetnames, CASE_STATE_SHEET)
    if name is None:
        ws = wb.create_sheet(CASE_STATE_SHEET)
    else:
        ws = wb[name]
        if cut is None and ws.max_row:
            ws.delete_rows(1, ws.max_row)
    ws.sheet_state = "hidden"  # staff read the Case log; this is what the next run compares
    rewritten = cut.rewritten(ws.title) if cut is not None else None
    formats = _Formats()
    for r, values in enumerate(rows, 1):
        _put_row(ws, rewritten, r, values, formats.of(values))


class _Formats:
    """Each value's number format: dates as dates, the Case log's Time (column B) as a date
    and time; the same tuple for every row of one shape."""

    def __init__(self) -> None:
        self.known: dict[tuple[bool, ...], tuple[str | None, ...]] = {}

    def of(self, values: tuple[Any, ...], second: str | None = None) -> tuple[str | None, ...]:
        dated = tuple(hasattr(value, "year") for value in values)
        if dated not in self.known:
            self.known[dated] = tuple(
                second if col == 2 and second else DATE_FORMAT if is_date else None
                for col, is_date in enumerate(dated, 1))
        return self.known[dated]


def _put_row(ws: Any, below: RowsBelow | None, row: int, values: tuple[Any, ...],
             formats: tuple[str | None, ...]) -> None:
    """A row into openpyxl's cells, or as XML written when saving where ``below`` takes it."""
    if below is not None and row >= below.first_row:
        below.put_row(row, tuple(values), formats)
        return
    for col, (value, number_format) in enumerate(zip(values, formats, strict=True), 1):
        if value is not None:
            put_value(ws.cell(row=row, column=col), value, number_format)
