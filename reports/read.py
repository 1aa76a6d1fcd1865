"""Reading a workbook the fast way for reports, which never write to it.

python-calamine reads cell values straight from the file (about ten times faster than openpyxl)
and cannot modify it, which is all a report needs. The register is the sheet named Complaints (or
投诉登记 ...) or, failing that, the first sheet whose header row names the card's required fields.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from python_calamine import CalamineError, CalamineWorkbook

from addin.core.fields import fold, guess_language, match_headers
from addin.core.findings import finding
from addin.core.layout import MIN_MATCHES, best_header_row
from addin.core.register import Grid, Register, sheet_role

# Sheet where staff record improvement actions, in either language.
ACTIONS_SHEETS = ("Actions", "改进措施")


class ReportRefused(ValueError):
    """The workbook cannot be reported on; the message says why, in English and Chinese."""


def read_workbook_fast(path: Path) -> tuple[Register, dict[str, Grid], dict[str, int]]:
    """The register, the settings sheets by role ('settings', 'lists', ...) and the counters.

    ``sheets`` also holds the Actions sheet under 'actions' when the workbook has one. Reports
    assign no case numbers, so the counters are returned empty.
    """
    try:
        book = CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError) as err:
        raise ReportRefused(f"{path}: cannot be read as a workbook ({err})") from err
    sheets: dict[str, Grid] = {}
    register: Register | None = None
    candidates = []
    for name in book.sheet_names:
        role = sheet_role(name)
        if role == "complaints" and register is None:
            candidates.insert(0, name)
        elif role is not None:
            sheets.setdefault(role, _grid(book, name))
        elif fold(name) in {fold(n) for n in ACTIONS_SHEETS}:
            sheets.setdefault("actions", _grid(book, name))
        else:
            candidates.append(name)
    for name in candidates:
        register = _register(book, name)
        if register is not None:
            break
    if register is None:
        problem = finding("no-register", Path(path).name)
        raise ReportRefused(f"{path}: {problem.message('en')} {problem.message('zh-CN')}")
    return register, sheets, {}


def _values(book: CalamineWorkbook, name: str) -> tuple[list[list[Any]], int, int]:
    """A sheet's used range as calamine gives it, with its first row and column (1-based)."""
    sheet = book.get_sheet_by_name(name)
    rows = sheet.to_python(skip_empty_area=True)
    start = sheet.start or (0, 0)
    return rows, start[0] + 1, start[1] + 1


def _grid(book: CalamineWorkbook, name: str) -> Grid:
    rows, first_row, first_col = _values(book, name)
    return Grid(name, [[_cell(v) for v in row] for row in rows], first_row, first_col)


def _cell(value: Any) -> Any:
    """A value as openpyxl would give it: None for empty, whole numbers as int."""
    # Sorted by exact type, the million cells of a large sheet go twice as fast as comparing
    # each with "": calamine hands over str, float, int, bool and date and time types only.
    kind = type(value)
    if kind is str:
        return None if value == "" else value
    if kind is float and value.is_integer():
        return int(value)
    return value


_CELLS = np.frompyfunc(_cell, 1, 1)  # element-wise over a whole sheet, no pandas NaN


def _last_filled_row(body: np.ndarray) -> int:
    """The index of the last row holding a value (-1 when none does).

    Looked for from the end, where a sheet rarely has many empty rows: comparing every cell of a
    large sheet with None costs a pass over a million cells.
    """
    for i in range(len(body) - 1, -1, -1):
        if any(v is not None for v in body[i]):
            return i
    return -1


def _register(book: CalamineWorkbook, name: str) -> Register | None:
    rows, first_row, first_col = _values(book, name)
    # The same header search as both doors, so a report reads the table a run wrote.
    found = best_header_row(rows, first_row)
    header_at = found[0] if found and found[1] >= MIN_MATCHES else None
    if header_at is None:
        return None
    headers = ["" if h == "" else str(h) for h in rows[header_at]]
    width = len(headers)
    body = np.empty((len(rows) - header_at - 1, width), dtype=object)
    if len(body):
        body[:] = rows[header_at + 1:]  # calamine gives rows of equal length
        body = _CELLS(body)
        body = body[: _last_filled_row(body) + 1]
    header_row = first_row + header_at
    frame = pd.DataFrame(body, index=pd.RangeIndex(header_row + 1, header_row + 1 + len(body)),
                         columns=range(width), dtype=object)
    return Register(name, header_row, first_col, headers, frame, match_headers(headers),
                    guess_language(headers))
