"""The column-at-a-time conversions (``excel_column``, ``cell_values``) give exactly what the
per-cell functions (``excel_value``, ``cell_value``) give.

They skip the per-cell call for the kinds of values those functions keep as they are; every
column here mixes in a value that would go wrong if a kind were skipped wrongly (a NaN, a time
zone, a whole float, empty text, a numpy scalar, a date), and the results are compared value by
value and type by type with the per-cell functions' own.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pandas as pd
import pytest

from addin.layout.blocks import excel_column, excel_value
from addin.layout.cells import cell_value, cell_values

UTC = dt.UTC
DAY = dt.datetime(2026, 3, 1, 9, 30)


def same(got: list[Any], expected: list[Any]) -> None:
    assert len(got) == len(expected)
    for a, b in zip(got, expected, strict=True):
        assert type(a) is type(b), (a, b)
        assert a == b or (a != a and b != b) or (a is pd.NaT and b is pd.NaT), (a, b)


READ_COLUMNS = {
    "text with empty text": ["a", "", None, "  ", "b"],
    "text only": ["a", "b"],
    "whole and broken floats": [1.0, 2.5, None, -0.0, 1e20, float("inf"), float("nan"), 3.0],
    "floats only whole": [1.0, 2.0],
    "text and numbers": ["0571", 571.0, "", None, 2.5],
    "numpy floats": [np.float64(3.0), None, 1.5],
    "dates, times and flags": [DAY, dt.date(2026, 3, 1), dt.time(9, 30), True, False, None, 7],
    "dates and text": [DAY, "2026-03-01", "", None],
    "nothing": [None, None],
    "no rows": [],
}


@pytest.mark.parametrize("name", READ_COLUMNS)
def test_excel_column_is_excel_value_per_cell(name):
    values = READ_COLUMNS[name]
    same(excel_column(values), [excel_value(v) for v in values])
    same(excel_column(tuple(values)), [excel_value(v) for v in values])  # columns of a zip
    # A column of a 2-D object array (the reports' reader), strided, and a float array.
    block = np.empty((len(values), 3), dtype=object)
    block[:, 1] = values
    same(excel_column(block[:, 1]), [excel_value(v) for v in values])
    numbers = np.array([v for v in values if type(v) is float], dtype=float)
    same(excel_column(numbers), [excel_value(v) for v in numbers])  # numpy floats stay


WRITTEN_COLUMNS = {
    "text": ["TS-202603-0001", "", None],
    "whole numbers and flags": [3, 0, True, None],
    "floats with NaN": [1.5, float("nan"), None],
    "floats": [1.5, 2.0],
    "naive datetimes": [DAY, None, dt.date(2026, 3, 2)],
    "a datetime with a time zone": [DAY, DAY.replace(tzinfo=UTC)],
    "timestamps with NaT and None": [pd.Timestamp(DAY), pd.NaT, None, pd.Timestamp("2026-01-01")],
    "timestamps with a time zone": [pd.Timestamp(DAY, tz="Asia/Shanghai"), None],
    "timestamps of two time zones": [pd.Timestamp(DAY, tz="UTC"), pd.Timestamp(DAY)],
    "numpy scalars": [np.int64(4), np.float64("nan"), np.datetime64("2026-03-01"), pd.NA],
    "nothing": [None],
    "no rows": [],
}


@pytest.mark.parametrize("name", WRITTEN_COLUMNS)
def test_cell_values_is_cell_value_per_cell(name):
    values = WRITTEN_COLUMNS[name]
    same(cell_values(values), [cell_value(v) for v in values])


def test_whole_floats_beyond_64_bits_stay_exact():
    big = 2.0 ** 70
    assert excel_column([big, None]) == [2 ** 70, None]
    assert type(excel_column([big])[0]) is int and not math.isnan(big)
