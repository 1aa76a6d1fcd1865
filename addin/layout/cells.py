"""Cells as every writer fills them: values, text, addresses and links.

``cell_ref`` and ``column_letter`` live in the core (findings name their cells); they are
offered here too so that a door takes every cell helper from one place.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from addin.core.fields import BY_KEY
from addin.core.findings import Finding, cell_ref, column_letter, finding

__all__ = ["MAX_TEXT", "cell_ref", "cell_value", "cell_values", "clean_text", "column_letter",
           "column_taken", "is_blank", "link_location", "sheet_text", "sheet_texts",
           "storable_text", "unique_headers"]

MAX_TEXT = 32767  # characters a cell holds; Excel cuts longer text there
# Control characters XML 1.0 cannot carry: a file holding one does not open.
_NOT_IN_XML = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
_CELL_COORD = re.compile(r"^\$?[A-Z]{1,3}\$?[0-9]+$")


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_value(value: Any) -> Any:
    """A value as a cell should receive it: no NaN or NaT, no numpy or pandas types."""
    kind = type(value)
    # The values a run writes by the million, settled first (exact types: subclasses such as
    # numpy's float64 and pandas' Timestamp go the long way below).
    if value is None or kind is str or kind is int or kind is bool:
        return value
    if kind is float:
        return None if value != value else value  # NaN is the one float unequal to itself
    if kind is dt.datetime and value.tzinfo is None:
        return value
    if isinstance(value, str):
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


# What ``cell_value`` gives back as it is; floats and datetimes only when none is NaN or has a
# time zone (looked at apart).
_PLAIN = frozenset({type(None), str, bool, int, float, dt.datetime, dt.date})
_STAMPS = frozenset({pd.Timestamp, type(pd.NaT), type(None)})


def cell_values(values: Sequence[Any]) -> list[Any]:
    """``[cell_value(v) for v in values]`` a column at a time: a big register is millions of
    cells, and most columns hold one or two plain kinds ``cell_value`` keeps as they are (looked
    at once, in C); a column of anything unusual goes through ``cell_value`` itself."""
    return _plain(values) or _stamps(values) or [cell_value(v) for v in values]


def _plain(values: Sequence[Any]) -> list[Any] | None:
    """The values as they are when each is of a kind ``cell_value`` keeps; None otherwise."""
    kinds = set(map(type, values))
    if not kinds <= _PLAIN:
        return None
    if float in kinds and any(v != v for v in values if type(v) is float):  # NaN
        return None
    if dt.datetime in kinds and any(v.tzinfo is not None for v in values
                                    if type(v) is dt.datetime):
        return None
    return list(values)


def _stamps(values: Sequence[Any]) -> list[Any] | None:
    """Timestamps (and NaT or None) as datetimes in one pass; None when they have time zones
    or do not fit one index (``cell_value`` then converts them one by one)."""
    if not len(values) or not set(map(type, values)) <= _STAMPS:
        return None
    try:
        index = pd.DatetimeIndex(values)
    except (TypeError, ValueError, OverflowError):
        return None
    if index.tz is not None:
        return None
    return [None if missing else value for value, missing in
            zip(index.to_pydatetime().tolist(), index.isna().tolist(), strict=True)]


def clean_text(value: str) -> str:
    """Text as a cell can hold it: characters XML cannot carry removed, cut at Excel's limit."""
    return _NOT_IN_XML.sub("", value)[:MAX_TEXT]


def storable_text(text: str) -> str:
    """Text as a cell can keep it: characters no workbook file can store are dropped."""
    return _NOT_IN_XML.sub("", text)


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


def sheet_text(value: Any) -> str | None:
    """Text as it reads back from a saved file: unsavable characters gone, empty text as no
    value (None stays None)."""
    if value is None:
        return None
    text = str(value)
    # The characters XML cannot hold are all control characters, which a printable text has
    # none of: it is kept as it is, without the pattern (a Findings sheet: 100,000 texts).
    return (text if text.isprintable() else _NOT_IN_XML.sub("", text)) or None


def sheet_texts(values: Sequence[Any]) -> list[str | None]:
    """``[sheet_text(v) for v in values]`` a column at a time: text that is all printable
    (nearly every text) is looked at in C, and only empty text is changed (to None)."""
    if set(map(type, values)) <= {str, type(None)} and \
            all(map(str.isprintable, filter(None, values))):
        return [v or None for v in values]
    return [sheet_text(v) for v in values]


def link_location(cell: str) -> str:
    """The in-workbook link target of a finding's cell: 'Complaints!F12' -> "'Complaints'!F12".

    A finding about a whole sheet ("Complaints") links to its first cell.
    """
    sheet, bang, coord = cell.rpartition("!")
    if not bang or not _CELL_COORD.match(coord):
        sheet, coord = cell, "A1"
    if len(sheet) > 1 and sheet.startswith("'") and sheet.endswith("'"):
        sheet = sheet[1:-1].replace("''", "'")
    return "'" + sheet.replace("'", "''") + "'!" + coord.replace("$", "")


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
