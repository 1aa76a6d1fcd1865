"""The batch door's case log: read the last known state, append the events, keep the state.

The Case log sheet is only ever appended to (staff's own rows stay); the hidden Case state
sheet is rewritten whole, like Counters. What goes in comes from ``addin.layout.caselog``, so the
live door writes the same rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
from openpyxl.workbook.workbook import Workbook

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

from .writeback import _style_header, put_value

if TYPE_CHECKING:
    from addin.core.pipeline import Outcome


def read_case_state(wb: Workbook) -> pd.DataFrame:
    """The last known state of every case (an empty frame when the workbook has none)."""
    name = find_sheet(wb.sheetnames, CASE_STATE_SHEET)
    rows = list(wb[name].iter_rows(values_only=True)) if name else []
    return state_from_rows(rows)


def case_log_pending(wb: Workbook, outcome: Outcome) -> bool:
    """True when the run has events to append or a state to keep."""
    if outcome.case_state is None:
        return False
    stored = _stored_state(wb)
    return len(outcome.case_events) > 0 or stored is None or state_changed(stored,
                                                                           outcome.case_state)


def apply_case_log(wb: Workbook, outcome: Outcome, run: RunInfo) -> int:
    """Append this run's events and rewrite the state when it changed; returns rows appended."""
    if not case_log_pending(wb, outcome):
        return 0
    rows = case_log_rows(outcome.case_events, run.when, outcome.lang, outcome.config.lists)
    if rows:
        _append_events(wb, rows, outcome.lang)
    _write_state(wb, state_rows(outcome.case_state))
    return len(rows)


def _stored_state(wb: Workbook) -> list[tuple] | None:
    name = find_sheet(wb.sheetnames, CASE_STATE_SHEET)
    if name is None:
        return None
    return [tuple(r) for r in wb[name].iter_rows(values_only=True)]


def _append_events(wb: Workbook, rows: list[tuple], lang: str) -> None:
    name = find_case_log(wb.sheetnames)
    ws = wb[name] if name else wb.create_sheet(case_log_name(lang))
    last = max((row for (row, _), cell in ws._cells.items() if cell.value is not None),
               default=0)
    if last == 0:
        header = case_log_header(lang)
        for col, text in enumerate(header, 1):
            put_value(ws.cell(row=1, column=col), text)
        _style_header(ws, len(header), CASE_LOG_WIDTHS)
        last = 1
    for r, values in enumerate(rows, last + 1):
        for col, value in enumerate(values, 1):
            if value is None:
                continue
            number_format = (DATETIME_FORMAT if col == 2 else
                             DATE_FORMAT if hasattr(value, "year") else None)
            put_value(ws.cell(row=r, column=col), value, number_format)


def _write_state(wb: Workbook, rows: list[tuple]) -> None:
    name = find_sheet(wb.sheetnames, CASE_STATE_SHEET)
    if name is None:
        ws = wb.create_sheet(CASE_STATE_SHEET)
    else:
        ws = wb[name]
        if ws.max_row:
            ws.delete_rows(1, ws.max_row)
    ws.sheet_state = "hidden"  # staff read the Case log; this is what the next run compares
    for r, values in enumerate(rows, 1):
        for col, value in enumerate(values, 1):
            if value is not None:
                put_value(ws.cell(row=r, column=col), value,
                          DATE_FORMAT if hasattr(value, "year") else None)
