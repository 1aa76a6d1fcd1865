"""Reading date cells: objects, Excel serial numbers and the text forms staff type."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from addin.core.dates import format_example, parse_dates

T = pd.Timestamp


def read_one(value, date_order="YMD"):
    dates, bad = parse_dates(pd.Series([value], dtype=object), date_order)
    return dates.iloc[0], bool(bad.iloc[0])


@pytest.mark.parametrize(("value", "expected"), [
    (dt.datetime(2026, 3, 18, 14, 30), T("2026-03-18 14:30")),
    (dt.date(2026, 3, 18), T("2026-03-18")),
    (T("2026-03-18 08:05:09"), T("2026-03-18 08:05:09")),
    (np.datetime64("2026-03-18T10:00"), T("2026-03-18 10:00")),
    # A time zone from an import is dropped; the wall-clock time staff see stays.
    (T("2026-03-18 09:00", tz="Asia/Shanghai"), T("2026-03-18 09:00")),
    (45000, T("2023-03-15")),
    (45000.0, T("2023-03-15")),
    (45000.5, T("2023-03-15 12:00")),
    (46099.604166666664, T("2026-03-18 14:30")),  # the float Excel stores for 14:30
    (np.int64(46099), T("2026-03-18")),
    (61, T("1900-03-01")),
    (59, T("1900-02-28")),  # before Excel's fictitious 29 February 1900
    (1, T("1900-01-01")),
    ("2026/3/18", T("2026-03-18")),
    ("2026-03-18", T("2026-03-18")),
    ("2026-03-18 14:30", T("2026-03-18 14:30")),
    ("2026-03-18 14:30:05", T("2026-03-18 14:30:05")),
    ("2026-03-18T14:30:05.250", T("2026-03-18 14:30:05")),
    ("2026.3.18", T("2026-03-18")),
    ("2026年3月18日", T("2026-03-18")),
    ("2026年3月18日 14:30", T("2026-03-18 14:30")),
    ("2026年3月18日14时30分", T("2026-03-18 14:30")),
    ("2026年3月18日 14点30分15秒", T("2026-03-18 14:30:15")),
    ("20260318", T("2026-03-18")),
    ("  2026-03-18  ", T("2026-03-18")),
    ("２０２６／３／１８", T("2026-03-18")),  # full-width digits and slashes
    ("２０２６年３月１８日　１４：３０", T("2026-03-18 14:30")),
    ("18/03/2026", T("2026-03-18")),  # the first number can only be the day
    ("03/18/2026", T("2026-03-18")),  # the second number can only be the day
    ("04/04/2026", T("2026-04-04")),  # reads the same either way
])
def test_date_is_read(value, expected):
    assert read_one(value) == (expected, False)


@pytest.mark.parametrize(("text", "date_order", "expected"), [
    ("03/04/2026", "DMY", T("2026-04-03")),
    ("03/04/2026", "MDY", T("2026-03-04")),
    ("18/03/2026 09:15", "DMY", T("2026-03-18 09:15")),
    ("03-18-2026", "MDY", T("2026-03-18")),
    ("18.03.2026", "DMY", T("2026-03-18")),
    ("2026-03-04", "DMY", T("2026-03-04")),  # year first is never reordered
    ("2026-03-04", "MDY", T("2026-03-04")),
])
def test_day_and_month_follow_the_date_order(text, date_order, expected):
    assert read_one(text, date_order) == (expected, False)


@pytest.mark.parametrize(("text", "date_order"), [
    ("03/04/2026", "YMD"),  # ambiguous until staff set the date order
    ("18/03/2026", "MDY"),  # month 18
    ("03/18/2026", "DMY"),
])
def test_day_and_month_that_cannot_be_told_apart_are_not_a_date(text, date_order):
    date, bad = read_one(text, date_order)
    assert bad
    assert pd.isna(date)


@pytest.mark.parametrize("value", [
    True, False, np.bool_(True),
    "2026-02-30", "2026-13-01", "2026-03-18 25:00", "2026-03-18 14:61",
    "tomorrow", "2026年3月", "14点30分", "18/03/26", "2026-03-1814:30",
    0, -3, 60, 60.5, 1e9, float("inf"),
    dt.datetime(9999, 12, 31), dt.time(14, 30), object(),
])
def test_unreadable_value_is_bad(value):
    date, bad = read_one(value)
    assert bad
    assert pd.isna(date)


@pytest.mark.parametrize("value", [None, "", "   ", "\u3000", float("nan"), np.nan, pd.NaT, pd.NA])
def test_empty_cell_is_not_bad(value):
    date, bad = read_one(value)
    assert not bad
    assert pd.isna(date)


def test_result_keeps_the_rows_and_is_datetime64_ns():
    values = pd.Series(["2026-03-18", None, "nonsense", 45000], index=[7, 8, 9, 10], dtype=object)
    dates, bad = parse_dates(values)
    assert dates.dtype == "datetime64[ns]"
    assert bad.dtype == bool
    assert list(dates.index) == [7, 8, 9, 10]
    assert dates.tolist()[0] == T("2026-03-18")
    assert bad.tolist() == [False, False, True, False]


def test_numeric_column_is_read_as_serials():
    dates, bad = parse_dates(pd.Series([45000.25, np.nan, -1.0]))
    assert dates.iloc[0] == T("2023-03-15 06:00")
    assert bad.tolist() == [False, False, True]


def test_datetime_column_passes_through():
    values = pd.Series(pd.to_datetime(["2026-03-18 10:00", None]).tz_localize("Asia/Shanghai"))
    dates, bad = parse_dates(values)
    assert dates.dtype == "datetime64[ns]"
    assert dates.iloc[0] == T("2026-03-18 10:00")
    assert bad.tolist() == [False, False]


def test_repeated_texts_in_a_long_column_are_each_read_right():
    # Distinct texts are read once and spread back to every row that holds them.
    texts = ["2026/3/18", "18/03/2026", "bad", None, "2026年3月19日 08:00"] * 2000
    dates, bad = parse_dates(pd.Series(texts, dtype=object))
    expected = [T("2026-03-18"), T("2026-03-18"), pd.NaT, pd.NaT, T("2026-03-19 08:00")] * 2000
    assert dates.isna().tolist() == [pd.isna(e) for e in expected]
    assert dates.dropna().tolist() == [e for e in expected if not pd.isna(e)]
    assert int(bad.sum()) == 2000


@pytest.mark.parametrize(("date_order", "example"), [
    ("YMD", "2026-03-18"), ("DMY", "18/03/2026"), ("MDY", "03/18/2026"), ("dmy", "18/03/2026"),
])
def test_format_example(date_order, example):
    assert format_example(date_order) == example
