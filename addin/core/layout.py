"""Where the add-in's things sit in a workbook, as pure functions over cell values.

Both doors (openpyxl in ``addin.batch``, xlwings in ``addin.xl``) read the same sheets and must
decide the same way: which row is the register's header, what the Counters sheet holds, how a
value from the core is written to a cell. Keeping those rules here, free of openpyxl and xlwings,
is what makes a button in Excel and the batch on a server agree cell for cell.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .fields import BY_KEY, match_headers
from .findings import Finding, cell_ref, finding

# A header row must name at least this many card fields to be taken for the complaints table
# (a sheet named for complaints needs only one: its name already says what it is).
MIN_MATCHES = 5
# How far down a sheet the header row is looked for (titles and notes may sit above it).
HEADER_SCAN_ROWS = 20
GRID_ROLES = ("settings", "lists", "rules", "holidays")
COUNTERS_SHEET = "Counters"
COUNTERS_HEADER = ("Period", "Last number")


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def best_header_row(rows: Sequence[Sequence[Any]], first_row: int = 1
                    ) -> tuple[int, int] | None:
    """(index into ``rows``, fields named) of the row naming the most card fields.

    Only rows down to sheet row ``HEADER_SCAN_ROWS`` count (``first_row`` is the sheet row of
    ``rows[0]``); empty rows are skipped and the first of equally good rows wins. None when no
    row in reach holds anything.
    """
    best: tuple[int, int] | None = None
    for i, row in enumerate(rows[:max(HEADER_SCAN_ROWS - first_row + 1, 0)]):
        if all(is_blank(v) for v in row):
            continue
        hits = len(match_headers(list(row)))
        if best is None or hits > best[1]:
            best = (i, hits)
    return best


# ----------------------------------------------------------------------------- counters

def counter_period(value: Any) -> str | None:
    """The period a Counters row is for, or None for a row that holds none."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a period such as 202603 retyped in Excel comes back as a number
    if is_blank(value):
        return None
    return str(value).strip()


def counter_number(value: Any) -> int | None:
    """The last number handed out, or None unless the cell holds a whole number >= 0."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    else:
        return None
    return number if number >= 0 else None


def counters_from_rows(rows: Iterable[tuple[Any, Any]]) -> dict[str, int]:
    """Case-number high-water marks from (column A, column B) pairs of the Counters sheet.

    Rows that do not hold a period and a whole number (the header, anything typed by hand) are
    skipped: a damaged counter must not stop the run, and the core also checks for duplicates.
    """
    counters: dict[str, int] = {}
    for period, last in rows:
        key, number = counter_period(period), counter_number(last)
        if key is not None and number is not None:
            counters[key] = max(counters.get(key, 0), number)
    return counters


def merged_counters(stored: dict[str, int], new: dict[str, int]) -> dict[str, int]:
    """High-water marks only ever rise: a counter is never lowered, even by a stale outcome."""
    merged = dict(stored)
    for period, last in new.items():
        merged[str(period)] = max(merged.get(str(period), 0), int(last))
    return merged


# ----------------------------------------------------------------------------- writing

def cell_value(value: Any) -> Any:
    """A value as a cell should receive it: no NaN or NaT, no numpy or pandas types."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, np.datetime64 | pd.Timestamp):
        value = pd.Timestamp(value)
        return None if pd.isna(value) else value.to_pydatetime()
    if isinstance(value, np.generic):
        value = value.item()
    if value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)  # Excel has no time zones
    return value


# Control characters a workbook file cannot hold (tab, line feed and carriage return it can).
_UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def storable_text(text: str) -> str:
    """Text as a cell can keep it: characters no workbook file can store are dropped."""
    return _UNSTORABLE.sub("", text)


def unique_headers(headers: Sequence[object]) -> list[str]:
    """Headers an Excel table accepts: text, none empty, none repeated (case does not matter)."""
    seen: set[str] = set()
    out: list[str] = []
    for i, header in enumerate(headers, 1):
        text = storable_text(str(header)).strip() if header is not None else ""
        base = text or f"Column {i}"
        text, n = base, 2
        while text.casefold() in seen:
            text, n = f"{base} ({n})", n + 1
        seen.add(text.casefold())
        out.append(text)
    return out


def column_taken(sheet: str, new_columns: Sequence[str], first_new_col: int,
                 cells: Iterable[tuple[int, int, Any]], lang: str) -> Finding | None:
    """The first cell staff filled where a run would add a column, as a finding; None when the
    columns to be added are free. ``cells`` are (row, column, value) of the cells beside the
    table, from its header row down; both doors refuse to write over them."""
    last_new_col = first_new_col + len(new_columns) - 1
    taken = min(((row, col, value) for row, col, value in cells
                 if first_new_col <= col <= last_new_col and not is_blank(value)),
                default=None, key=lambda cell: (cell[0], cell[1]))
    if taken is None:
        return None
    row, col, value = taken
    field = BY_KEY[new_columns[col - first_new_col]]
    return finding("column-taken", cell_ref(sheet, row, col), value=str(value)[:40],
                   header=field.header(lang), row=row)
