"""Vectorised helpers over columns of raw cell values (object Series), shared by the core.

A register column holds whatever a door read: None, text, numbers, datetimes. Pandas' own
vectorised methods do not know "blank text is empty", and ``Series.map`` with a Python function
calls it once per cell; these helpers do the per-cell Python work only where it cannot be avoided.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd


def is_empty(values: pd.Series) -> pd.Series:
    """True where a cell is empty: None, NaN, NaT, "" or whitespace only."""
    cells = values.to_numpy(dtype=object)
    empty = pd.isna(cells)
    filled = np.flatnonzero(~empty)
    empty[filled] = [isinstance(v, str) and not v.strip() for v in cells[filled]]
    return pd.Series(empty, index=values.index, dtype=bool)


def map_distinct(values: pd.Series, fn: Callable[[object], object]) -> pd.Series:
    """``fn`` of each value, called once per distinct value; None where the value is missing.

    List columns, dates and names repeat a few values thousands of times, so ``fn`` runs once per
    distinct value and the answers are spread by the factorized codes, far quicker than
    ``Series.map(fn)``, which calls ``fn`` for every cell.
    """
    out = np.full(len(values), None, dtype=object)
    present = values.notna().to_numpy()
    cells = values.to_numpy(dtype=object)[present]
    # Python holds 1, 1.0 and True equal, though they read differently ("1.0", "True"):
    # values other than text are told apart by their type as well.
    keys = np.fromiter((v if type(v) is str else (type(v), v) for v in cells), dtype=object,
                       count=len(cells))
    codes, distinct = pd.factorize(keys)
    answers = np.fromiter((fn(k if type(k) is str else k[1]) for k in distinct), dtype=object,
                          count=len(distinct))
    out[present] = answers[codes]
    out[pd.isna(out)] = None  # an answer of NaN or NaT is missing too: None, as in the core
    return pd.Series(out, index=values.index, dtype=object)


def python_ints(values: pd.Series) -> pd.Series:
    """Whole numbers as Python ints (what a door writes and reads back), None where missing."""
    out = np.full(len(values), None, dtype=object)
    known = values.notna().to_numpy()
    # int64 cast to object gives Python ints, not floats: 6 is written as 6, never 6.0.
    out[known] = values[known].to_numpy(dtype="int64").astype(object)
    return pd.Series(out, index=values.index, dtype=object)


def python_datetimes(values: pd.Series) -> pd.Series:
    """datetime64 values as datetime.datetime, None where missing (NaT)."""
    out = np.full(len(values), None, dtype=object)
    known = values.notna().to_numpy()
    out[known] = values[known].dt.to_pydatetime().to_numpy(dtype=object)
    return pd.Series(out, index=values.index, dtype=object)
