"""How much a workbook may make the program do: bounds shared by every door.

A settings sheet is read as a grid of its used range, so one stray cell typed far away (XFD1048576
on the Settings sheet) would make a grid of seventeen billion cells. Excel holds at most 32,767
characters in a cell, so longer text cannot be written without cutting it. Each bound is checked
before the work it bounds and ends in a finding that names the cell and the limit.

Another tool can still write a longer text into the register (openpyxl and others do); Excel cuts
it when it opens the file. A run reports each such cell and never writes a value that long back,
so the text stays whole until staff move it out.
"""

from __future__ import annotations

import itertools
import operator

import numpy as np
import pandas as pd

from .cells import NO_TEXT
from .findings import Finding, cell_ref, finding
from .register import Register

# The settings sheets the workbook ships with use under 200 rows and 12 columns; a holiday list
# covering decades stays under 2,000 rows. 5,000 x 100 leaves ample room and keeps the grid under
# half a million cells (a few megabytes of values).
SETTINGS_ROWS = 5_000
SETTINGS_COLUMNS = 100
CELL_TEXT = 32_767  # characters an Excel cell holds


def settings_range_finding(sheet: str, last_row: int, last_col: int) -> Finding | None:
    """A finding when a settings sheet's used range reaches past the area the program reads."""
    if last_row <= SETTINGS_ROWS and last_col <= SETTINGS_COLUMNS:
        return None
    far = cell_ref(sheet, max(last_row, 1), max(last_col, 1))
    return finding("settings-too-big", far, sheet=sheet, rows=f"{SETTINGS_ROWS:,}",
                   last=cell_ref(sheet, SETTINGS_ROWS, SETTINGS_COLUMNS).rpartition("!")[2])


def text_too_long_finding(cell: str, length: int) -> Finding | None:
    """A finding when text is longer than an Excel cell holds."""
    if length <= CELL_TEXT:
        return None
    return finding("text-too-long", cell, length=f"{length:,}", limit=f"{CELL_TEXT:,}")


def long_text_findings(register: Register) -> list[Finding]:
    """A finding at every register cell holding more text than an Excel cell holds.

    One pass in C over the cells' lengths.
    """
    keys = {position: key for key, position in register.columns.items()}
    found: list[Finding] = []
    for position in register.rows.columns:
        values = register.rows[position].to_numpy(dtype=object)
        for i in _long_cells(register, position, values):
            row = int(register.rows.index[i])
            cell = cell_ref(register.sheet, row, register.first_col + position)
            found.append(_too_long(cell, values[i], row, keys.get(position)))
    return found


def _long_cells(register: Register, position: int, values: np.ndarray) -> list[int]:
    """``_long_texts`` of a register column, looked for among its distinct values when a step
    worked them out already (a column of a few hundred names is then a few hundred lengths)."""
    known = register.known_distinct(position)
    if known is None:
        return _long_texts(values)
    codes, distinct = known
    long = _long_texts(np.fromiter(distinct, dtype=object, count=len(distinct)))
    return np.flatnonzero(np.isin(codes, long)).tolist() if long else []


def _long_texts(values: np.ndarray) -> list[int]:
    """Where ``values`` hold text longer than a cell holds."""
    # A column of cells that never hold text (dates, numbers, blanks) is passed by its types
    # alone, without asking each of 50,000 datetimes for a length it has not.
    if set(map(type, values)) <= NO_TEXT:
        return []
    # Every value's length in C (0 for a value without one: None, numbers, dates), then the
    # type check only where a value is that long; a loop in Python over every cell of a 50,000
    # row register took a third of a second.
    try:
        lengths = np.fromiter(map(operator.length_hint, values, itertools.repeat(0)),
                              dtype=np.int64, count=len(values))
        candidates = np.flatnonzero(lengths > CELL_TEXT).tolist()
    except (ValueError, OverflowError):  # an odd object saying it has a length it has not
        candidates = range(len(values))
    return [i for i in candidates if isinstance(values[i], str) and len(values[i]) > CELL_TEXT]


def keep_whole(register: Register, changes: dict[str, pd.Series],
               reported: list[Finding]) -> tuple[dict[str, pd.Series], list[Finding]]:
    """The changes without any text longer than a cell holds, which a writer would have to cut:
    such a cell keeps what it holds. Returns the changes left and a finding for each cell left
    alone that ``reported`` does not name yet."""
    named = {item.cell for item in reported if item.code == "text-too-long"}
    kept: dict[str, pd.Series] = {}
    found: list[Finding] = []
    for key, diff in changes.items():
        values = diff.to_numpy(dtype=object)
        long = np.zeros(len(values), dtype=bool)
        long[_long_texts(values)] = True
        if long.any():
            for row, value in zip(diff.index[long], values[long], strict=True):
                cell = register.cell(int(row), key)
                if cell not in named:
                    found.append(_too_long(cell, value, int(row), key))
            diff = diff[~long]
        if len(diff):
            kept[key] = diff
    return kept, found


def fitting_rows(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """The rows whose text in ``columns`` a cell can hold whole. A copy kept elsewhere (the case
    log records case numbers, statuses and handlers) would have to be cut and would then differ
    from the register at every run; such a case is left out until its cell is shortened."""
    long = np.zeros(len(frame), dtype=bool)
    for column in columns:
        # A column of numbers or dates holds no text (and turning its 50,000 dates into
        # objects only to look at them took a fifth of a second).
        if column in frame and frame[column].dtype.kind not in "biufcmM":
            long[_long_texts(frame[column].to_numpy(dtype=object))] = True
    return frame[~long] if long.any() else frame


def _too_long(cell: str, text: str, row: int, key: str | None) -> Finding:
    # The Findings sheet shows the start of the text, not a copy of all of it.
    return finding("text-too-long", cell, field=key, row=row, value=text[:40] + "…",
                   length=f"{len(text):,}", limit=f"{CELL_TEXT:,}")


def settings_address_finding(sheet: str, address: str) -> Finding | None:
    """As ``settings_range_finding``, for a used range as Excel gives it ('$A$1:$XFD$1048576')."""
    corner = address.rpartition("!")[2].split(":")[-1].replace("$", "")
    letters = "".join(ch for ch in corner if ch.isalpha()).upper()
    digits = corner[len(letters):]
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return settings_range_finding(sheet, int(digits) if digits.isdigit() else 1, col or 1)
