"""The hidden Counters sheet: the last case number handed out in each period.

Column A holds the period, column B the last number, under a header row. Both doors read it
with ``counters_from_rows`` and write it back from ``merged_counters``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .cells import is_blank

COUNTERS_HEADER = ("Period", "Last number")


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


def counters_rows(counters: dict[str, int]) -> list[tuple[Any, ...]]:
    """The sheet's rows from A1: the header, then one row per period in order."""
    return [COUNTERS_HEADER, *((period, counters[period]) for period in sorted(counters))]
