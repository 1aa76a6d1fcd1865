"""Vectorised helpers over columns of raw cell values (object Series), shared by the core.

A register column holds whatever a door read: None, text, numbers, datetimes. Pandas' own
vectorised methods do not know "blank text is empty", and ``Series.map`` with a Python function
calls it once per cell; these helpers do the per-cell Python work only where it cannot be avoided.
"""

from __future__ import annotations

import datetime as dt
import itertools
import operator
from collections.abc import Callable

import numpy as np
import pandas as pd


def is_empty(values: pd.Series) -> pd.Series:
    """True where a cell is empty: None, NaN, NaT, "" or whitespace only."""
    if values.dtype.kind in "biufcmM":  # numbers and dates hold no text: only NaN/NaT is empty
        return values.isna()
    return pd.Series(empty_cells(values.to_numpy(dtype=object)), index=values.index, dtype=bool)


def empty_cells(cells: np.ndarray) -> np.ndarray:
    """``is_empty`` over an object array."""
    # The cells are gone through once for their types; where the types alone say which cells
    # are missing (no floats, whose NaN is), that is looked up in the list of types, in C,
    # rather than in a second pass over the cells.
    types = list(map(type, cells))
    kinds = set(types)
    if kinds <= NO_TEXT:
        # Dates and numbers (with None: a date column, a clock) hold no text: only a missing
        # value is empty.
        return pd.isna(cells) if float in kinds else _of_types(types, _MISSING_TYPES)
    if kinds <= _TEXT_OR_NONE:
        # Text and None only (a text column as a reader hands it over): the text tested with
        # str's own methods mapped in C. ``not v.strip()`` is the test below.
        empty = _of_types(types, _NONE)
        text = cells[~empty]
        empty[~empty] = np.fromiter(map(operator.not_, map(str.strip, text)), dtype=bool,
                                    count=len(text))
        return empty
    # One pass in Python, with text and None (nearly every cell) settled inline; pd.isna over an
    # object array plus a second pass for blank text took twice as long. ``not v.strip()`` is
    # ``not v or v.isspace()``, without building a stripped copy.
    # A float is empty only when NaN (a blank a reader hands over), which ``v != v`` says.
    filled = _NEVER_EMPTY
    return np.array([(not v or v.isspace()) if (kind := type(v)) is str
                     else v != v if kind is float
                     else v is None or (kind not in filled and _empty_other(v))
                     for v in cells], dtype=bool)


# Cell types that are never empty, so the general test is skipped for them.
_NEVER_EMPTY = frozenset({int, bool, dt.datetime, dt.date, dt.time})
# Cell types that are never text: such a cell is empty exactly where pd.isna says so, and
# holds no text too long for a cell (``limits``).
NO_TEXT = frozenset({*_NEVER_EMPTY, float, type(None), pd.Timestamp, type(pd.NaT)})
_TEXT_OR_NONE = frozenset({str, type(None)})
# The types whose every value is missing, as pd.isna says (a float is missing only when NaN).
_MISSING_TYPES = frozenset({type(None), type(pd.NaT)})
_NONE = frozenset({type(None)})


def _of_types(types: list[type], wanted: frozenset[type]) -> np.ndarray:
    """Where ``types`` (a cell's type each) is one of ``wanted``."""
    return np.fromiter(map(wanted.__contains__, types), dtype=bool, count=len(types))


def _empty_other(value: object) -> bool:
    """Whether a cell that is neither plain text nor None is empty (as pd.isna says, and text
    subclasses such as numpy's str_ by their content)."""
    if isinstance(value, str):
        return not value.strip()
    missing = pd.isna(value)
    return missing if isinstance(missing, bool) else False  # a list or array in a cell is a value


def map_distinct(values: pd.Series, fn: Callable[[object], object]) -> pd.Series:
    """``fn`` of each value, called once per distinct value; None where the value is missing.

    List columns, dates and names repeat a few values thousands of times, so ``fn`` runs once per
    distinct value and the answers are spread by the factorized codes, far quicker than
    ``Series.map(fn)``, which calls ``fn`` for every cell.
    """
    cells = values.to_numpy(dtype=object)
    if _mostly_distinct(cells) and pd.api.types.infer_dtype(cells, skipna=True) == "string":
        return _map_each(values, cells, fn)
    codes, distinct = distinct_values(values)
    # One answer per distinct value, then None at the end, where code -1 (missing) points.
    answers = np.fromiter(itertools.chain(map(fn, distinct), [None]), dtype=object,
                          count=len(distinct) + 1)
    answers[pd.isna(answers)] = None  # an answer of NaN or NaT is missing too: None, as in the core
    return pd.Series(answers[codes], index=values.index, dtype=object)


def _mostly_distinct(cells: np.ndarray, sample: int = 2000) -> bool:
    """Whether nearly every value differs from the others (phone numbers, e-mail addresses),
    judged from an even sample of the column.

    Then each value would be looked up once anyway, and hashing them all to find the repeats
    costs more than it saves.
    """
    picked = cells[:: max(1, len(cells) // sample)].tolist()
    try:
        return len(set(picked)) > 0.9 * len(picked)
    except TypeError:  # a list in a cell: not hashable, nor worth a per-value lookup
        return False


def _map_each(values: pd.Series, cells: np.ndarray, fn: Callable[[object], object]
              ) -> pd.Series:
    """``map_distinct`` for text that hardly repeats: ``fn`` of every filled cell."""
    filled = ~pd.isna(cells)
    out = np.full(len(cells), None, dtype=object)
    out[filled] = np.fromiter(map(fn, cells[filled]), dtype=object, count=int(filled.sum()))
    out[pd.isna(out)] = None
    return pd.Series(out, index=values.index, dtype=object)


def distinct_values(values: pd.Series) -> tuple[np.ndarray, list[object]]:
    """The distinct values of a column and, per cell, the position of its value among them
    (-1 where the cell is missing, as ``Series.isna`` says).

    Values that Python holds equal but that read differently (1, 1.0 and True; a datetime and a
    Timestamp) are kept apart. Text only, the usual case, is factorized as it is.
    """
    cells = values.to_numpy(dtype=object)
    codes, distinct = pd.factorize(cells)
    if set(map(type, distinct)) <= {str} or _apart(set(map(type, cells)) - {type(None)}):
        return codes, list(distinct)
    return _factorize_typed(cells)


def _apart(kinds: set[type]) -> bool:
    """Whether the cells' types (every cell's, not only the distinct values': 1.0 and True
    hide behind 1) keep values apart without help: one type (whole numbers only, say), or plain
    text beside one type that never equals text."""
    others = kinds - {str}
    if len(others) != 1:
        return not others
    (other,) = others
    # A text subclass equals its plain text; any other type never equals a str.
    return not issubclass(other, str) and (len(kinds) == 1 or other in _NEVER_TEXT_EQUAL)


# Types whose values never equal a str (a type from elsewhere might define == as it likes).
_NEVER_TEXT_EQUAL = frozenset({int, float, bool, dt.datetime, dt.date, dt.time, pd.Timestamp})


def _factorize_typed(cells: np.ndarray) -> tuple[np.ndarray, list[object]]:
    """``distinct_values`` for cells other than text: values are told apart by type as well."""
    codes, _ = pd.factorize(cells)  # equal values share a number, whatever their type
    types: dict[type, int] = {}
    # A number per type (there are few), rather than a (type, value) tuple per cell to hash.
    kinds = np.fromiter((types.setdefault(type(v), len(types)) for v in cells), dtype=np.intp,
                        count=len(cells))
    present = np.flatnonzero(codes >= 0)
    typed, _ = pd.factorize(codes[present] * len(types) + kinds[present])
    out = np.full(len(cells), -1, dtype=np.intp)
    out[present] = typed
    first = np.unique(typed, return_index=True)[1]  # numbered in order of first appearance
    return out, [cells[present[i]] for i in first]


def blank_texts(values: list[object]) -> np.ndarray:
    """Which values are text that is empty or whitespace only (text subclasses included)."""
    if set(map(type, values)) <= {str}:  # plain text, the usual case: str's own methods in C
        return np.fromiter(map(operator.not_, map(str.strip, values)), dtype=bool,
                           count=len(values))
    return np.array([isinstance(v, str) and not v.strip() for v in values], dtype=bool)


def python_ints(values: pd.Series) -> pd.Series:
    """Whole numbers as Python ints (what a door writes and reads back), None where missing."""
    out = np.full(len(values), None, dtype=object)
    known = values.notna().to_numpy()
    # int64 cast to object gives Python ints, not floats: 6 is written as 6, never 6.0.
    out[known] = values[known].to_numpy(dtype="int64").astype(object)
    return pd.Series(out, index=values.index, dtype=object)


def python_datetimes(values: pd.Series) -> pd.Series:
    """datetime64 values as datetime.datetime, None where missing (NaT)."""
    # numpy turns microseconds into datetime.datetime in C (pandas' to_pydatetime loops).
    out = values.to_numpy(dtype="datetime64[us]").astype(object)
    out[values.isna().to_numpy()] = None
    return pd.Series(out, index=values.index, dtype=object)
