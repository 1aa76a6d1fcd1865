"""Values converted a column at a time: the live door's way round a call per cell.

A big register is millions of cells, and a Python call per cell (``excel_value`` on what Excel
hands over, ``cell_value`` on what a run writes) was most of the door's own time. Most columns
hold values of one or two plain kinds that those functions give back unchanged, so each column
is first asked which kinds it holds (one pass in C); only the kinds that need work are
converted, and a column of anything unusual goes through the per-cell function itself, so the
result is always the same as converting cell by cell.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from addin.layout.blocks import excel_value
from addin.layout.cells import cell_value

_NONE, _NAT = type(None), type(pd.NaT)
# What Excel hands over that ``excel_value`` keeps as it is (it changes only floats and text).
_KEPT_AS_READ = frozenset({_NONE, bool, int, dt.datetime, dt.date, dt.time})
# What ``cell_value`` gives back as it is; floats and datetimes only when none is NaN or has a
# time zone (checked apart).
_PLAIN = frozenset({_NONE, str, bool, int, float, dt.datetime, dt.date})
_STAMPS = frozenset({pd.Timestamp, _NAT, _NONE})


def excel_column(values: Sequence[Any]) -> list[Any]:
    """``[excel_value(v) for v in values]``: whole-number floats as int, empty text as None."""
    kinds = set(map(type, values))
    if kinds <= _KEPT_AS_READ:
        return list(values)
    if kinds <= _KEPT_AS_READ | {str}:
        return [None if v == "" else v for v in values] if "" in values else list(values)
    if kinds <= {_NONE, float}:
        return _whole_as_int(values)
    return [excel_value(v) for v in values]


def _whole_as_int(values: Sequence[Any]) -> list[Any]:
    """Floats (and None) with the whole numbers made int, as ``excel_value`` makes them."""
    floats = np.array(values, dtype=float)  # None becomes NaN here, and stays None below
    whole = np.flatnonzero(np.isfinite(floats) & (floats == np.trunc(floats)))
    out = list(values)
    for i in whole.tolist():
        out[i] = int(out[i])
    return out


def cell_values(values: Sequence[Any]) -> list[Any]:
    """``[cell_value(v) for v in values]``: what a run writes, as a cell should receive it."""
    return _plain(values, _PLAIN) or _stamps(values) or [cell_value(v) for v in values]


def _plain(values: Sequence[Any], plain: frozenset[type]) -> list[Any] | None:
    """The values as they are when each is of a kind ``cell_value`` keeps; None otherwise."""
    kinds = set(map(type, values))
    if not kinds <= plain:
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
    if not values or not set(map(type, values)) <= _STAMPS:
        return None
    try:
        index = pd.DatetimeIndex(values)
    except (TypeError, ValueError, OverflowError):
        return None
    if index.tz is not None:
        return None
    return [None if missing else value for value, missing in
            zip(index.to_pydatetime().tolist(), index.isna().tolist(), strict=True)]
