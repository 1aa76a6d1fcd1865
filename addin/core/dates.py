"""Reading the dates staff type, paste or import into the register.

A date cell may hold a date or date-time object (what Excel stores for a formatted date), an Excel
serial number (what a raw read of an unformatted date gives), or text. Text is read in these forms,
full-width digits and punctuation included (the text is NFKC-normalised first):

- year first, always understood: ``2026-03-18``, ``2026/3/18``, ``2026.3.18``, ``2026年3月18日``,
  ``20260318``;
- day and month first, ``18/03/2026`` or ``03/18/2026`` (also with ``-`` or ``.``), read as the
  Settings sheet's date order says: DMY or MDY. With the default YMD order such text is read only
  when it cannot be misread: as DMY when the first number is above 12, as MDY when the second is,
  and as is when both numbers are equal. ``03/04/2026`` is then not a date, so that the finding
  asks staff to set the date order instead of the add-in guessing a month;
- any of these followed by a time: ``14:30``, ``14:30:05``, ``14时30分``, ``14点30分15秒``
  (after a space, a ``T``, or straight after ``日``).

Excel serial numbers follow the 1900 date system (serial 45000 is 2023-03-15, the fraction is the
time of day, rounded to the second). Serials below 60 fall before Excel's fictitious 29 February
1900 and are shifted by a day to land on the date Excel shows; serial 60 itself is that fictitious
day and is not a date. True and False are never dates.

Everything is computed per kind of value over whole columns, so 50,000 rows take milliseconds.
"""

from __future__ import annotations

import datetime as dt
import itertools
import numbers
import re
import unicodedata

import numpy as np
import pandas as pd

_EXAMPLES = {"YMD": "2026-03-18", "DMY": "18/03/2026", "MDY": "03/18/2026"}

# Day zero of Excel's 1900 date system once its leap-year bug is accounted for.
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_FICTITIOUS_LEAP_DAY = 60
# datetime64[ns] ends in April 2262; the last serial kept is 2261-12-31 (Excel's own limit,
# 2958465 = 9999-12-31, is far beyond any complaint).
_FIRST_DAY = pd.Timestamp("1678-01-01")
_LAST_DAY = pd.Timestamp("2261-12-31 23:59:59")
_LAST_SERIAL = (_LAST_DAY.normalize() - _EXCEL_EPOCH).days + 1

_TIME = (r"(?:(?:(?<=日)\s*|\s+|T)(?P<hour>\d{1,2})\s*[:时點点]\s*(?P<minute>\d{1,2})"
         r"(?:(?:\s*分\s*|:)(?P<second>\d{1,2})(?:\.\d+)?\s*秒?|\s*分)?)?")
_YEAR_FIRST = re.compile(r"^(?P<year>\d{4})\s*[-/.年]\s*(?P<a>\d{1,2})\s*[-/.月]\s*"
                         r"(?P<b>\d{1,2})\s*日?" + _TIME + r"\s*$")
_COMPACT = re.compile(r"^(?P<year>\d{4})(?P<a>\d{2})(?P<b>\d{2})" + _TIME + r"\s*$")
_YEAR_LAST = re.compile(
    r"^(?P<a>\d{1,2})\s*[-/.]\s*(?P<b>\d{1,2})\s*[-/.]\s*(?P<year>\d{4})" + _TIME + r"\s*$")


def format_example(date_order: str) -> str:
    """How to type a date under a date order, for the {example} of a not-a-date finding."""
    return _EXAMPLES.get(date_order.upper(), _EXAMPLES["YMD"])


def parse_dates(values: pd.Series, date_order: str = "YMD") -> tuple[pd.Series, pd.Series]:
    """Read a column of date cells.

    Returns the dates as datetime64[ns] (NaT where the cell is empty or unreadable) and a boolean
    ``bad`` mask, true where a cell holds something that is not a readable date.
    """
    dates, bad, _ = read_dates(values, date_order)
    return dates, bad


def read_dates(values: pd.Series, date_order: str = "YMD"
               ) -> tuple[pd.Series, pd.Series, pd.Series]:
    """``parse_dates``, and where the cells are empty (as ``cells.is_empty`` says), found on
    the same pass over the cells."""
    values = values if isinstance(values, pd.Series) else pd.Series(values, dtype=object)
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        return _in_range(_naive(values)), pd.Series(False, index=values.index), values.isna()
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values):
        dates = _from_serials(values.astype("float64"))
        return dates, dates.isna() & values.notna(), values.isna()
    return _parse_objects(values.astype(object), date_order.upper())


def _parse_objects(values: pd.Series, date_order: str
                   ) -> tuple[pd.Series, pd.Series, pd.Series]:
    cells = values.to_numpy(dtype=object)
    kinds = _kinds(cells)
    out = np.full(len(cells), np.datetime64("NaT"), dtype="datetime64[ns]")
    for kind, read in ((_MOMENT, _from_moments), (_SERIAL, _from_serials),
                       (_TEXT, lambda part: _from_texts(part, date_order))):
        at = np.flatnonzero(kinds == kind)
        if len(at):
            out[at] = read(values.iloc[at]).to_numpy(dtype="datetime64[ns]")
    empty = kinds == _EMPTY
    bad = (kinds == _BAD) | (~empty & np.isnat(out))
    return (pd.Series(out, index=values.index), pd.Series(bad, index=values.index),
            pd.Series(empty, index=values.index))


# How each cell is read (small numbers, so that a whole column of kinds is one numpy array);
# _UNSORTED is a cell whose type alone does not say.
_UNSORTED, _EMPTY, _MOMENT, _SERIAL, _TEXT, _BAD = 0, 1, 2, 3, 4, 5
# The types a reader hands over for nearly every cell, and the kind each says (text is then
# told apart from blank text). Floats are not among them: a NaN float is how a reader shows a
# blank.
_COMMON_KINDS = {dt.datetime: _MOMENT, pd.Timestamp: _MOMENT, dt.date: _MOMENT, int: _SERIAL,
                 type(None): _EMPTY, str: _TEXT}


def _kinds(cells: np.ndarray) -> np.ndarray:
    """Each cell's kind. The cells are gone through once, for their types; kinds are then
    looked up by type in C, and only text and the rare other types are looked at one by one.
    (A column of 50,000 dates with a few texts in it took 25 ms cell by cell in Python.)"""
    types = list(map(type, cells))
    kinds = np.fromiter(map(_COMMON_KINDS.get, types, itertools.repeat(_UNSORTED)),
                        dtype=np.int8, count=len(types))
    unsorted = np.flatnonzero(kinds == _UNSORTED)
    if len(unsorted):
        kinds[unsorted] = [_kind(value) for value in cells[unsorted]]
    texts = np.flatnonzero(kinds == _TEXT)
    if len(texts):
        kinds[texts] = np.where([not text.strip() for text in cells[texts]], _EMPTY, _TEXT)
    return kinds


def _kind(value: object) -> int:
    """Sort a cell value into the way it is read: empty, moment, serial, text or bad."""
    if type(value) is float:
        return _EMPTY if value != value else _SERIAL
    if value is None or value is pd.NaT or value is pd.NA:
        return _EMPTY
    if isinstance(value, str):
        return _TEXT if value.strip() else _EMPTY
    if isinstance(value, bool | np.bool_):
        return _BAD
    if _missing(value):  # NaN, numpy's NaT, Decimal NaN: whatever pandas holds missing
        return _EMPTY
    if isinstance(value, dt.datetime | dt.date | np.datetime64):
        return _MOMENT
    if isinstance(value, numbers.Real):
        return _SERIAL
    return _BAD


def _missing(value: object) -> bool:
    missing = pd.isna(value)
    return missing if isinstance(missing, bool) else False  # a list in a cell is not missing


def _from_moments(part: pd.Series) -> pd.Series:
    # Nearly always every moment is naive and converts straight; pandas turns a moment with a
    # time zone into NaT or the whole column into zoned times, and then the careful way is taken.
    # Without pandas' cache of distinct values: hashing moments costs more than converting
    # them (a column of 37,000 close times that repeat: 16 ms with it, 3 ms without).
    dates = pd.to_datetime(part, errors="coerce", cache=False)
    if dates.dtype.kind == "M" and isinstance(dates.dtype, np.dtype) and not dates.hasnans:
        return _in_range(dates)
    return _from_zoned_moments(part)


def _from_zoned_moments(part: pd.Series) -> pd.Series:
    # Keep the wall-clock time staff see; a time zone attached by an import is dropped.
    zoned = part.map(lambda v: getattr(v, "tzinfo", None) is not None)
    if zoned.any():
        part = part.where(~zoned, part[zoned].map(lambda v: v.replace(tzinfo=None)))
    return _in_range(pd.to_datetime(part, errors="coerce", cache=False))


def _from_serials(part: pd.Series) -> pd.Series:
    serial = pd.to_numeric(part, errors="coerce").astype("float64")
    usable = (serial >= 1) & (serial < _LAST_SERIAL) & (serial.floordiv(1) != _FICTITIOUS_LEAP_DAY)
    seconds = (serial.where(usable) * 86400).round()
    # Excel counts 29 February 1900, which never was: earlier serials sit one day later.
    seconds = seconds.where(serial >= _FICTITIOUS_LEAP_DAY, seconds + 86400)
    dates = _EXCEL_EPOCH + pd.to_timedelta(seconds, unit="s")
    return dates.astype("datetime64[ns]")


def _from_texts(part: pd.Series, date_order: str) -> pd.Series:
    # A column repeats the same few dates many times: read each distinct text once.
    distinct = pd.Series(pd.unique(part.to_numpy()), dtype=object)
    text = distinct.map(lambda v: unicodedata.normalize("NFKC", v).strip())
    read = pd.Series(pd.NaT, index=distinct.index, dtype="datetime64[ns]")
    year_last = date_order if date_order in ("DMY", "MDY") else "unset"
    for pattern, order in ((_YEAR_FIRST, "YMD"), (_COMPACT, "YMD"), (_YEAR_LAST, year_last)):
        parts = text.str.extract(pattern).dropna(subset=["year"])
        if len(parts):
            read[parts.index] = _assemble(parts, order)
            text = text.drop(parts.index)
    lookup = pd.Series(read.to_numpy(), index=distinct.to_numpy())
    return pd.Series(lookup.reindex(part.to_numpy()).to_numpy(), index=part.index)


def _assemble(parts: pd.DataFrame, order: str) -> pd.Series:
    """Build dates from extracted numbers; impossible dates and times become NaT."""
    nums = parts.astype("float64").fillna({"hour": 0, "minute": 0, "second": 0})
    month, day = _month_day(nums["a"], nums["b"], order)
    stamp = pd.DataFrame({"year": nums["year"], "month": month, "day": day})
    dates = pd.to_datetime(stamp.fillna(0).astype("int64"), errors="coerce")
    clock_ok = (nums["hour"] < 24) & (nums["minute"] < 60) & (nums["second"] < 60)
    dates = dates.where(month.notna() & clock_ok)
    dates = dates + pd.to_timedelta(nums["hour"] * 3600 + nums["minute"] * 60 + nums["second"],
                                    unit="s")
    return _in_range(dates)


def _month_day(a: pd.Series, b: pd.Series, order: str) -> tuple[pd.Series, pd.Series]:
    """Month and day from the two numbers beside the year (NaN where they cannot be told apart).

    ``order`` is "YMD" for year-first text (month then day), "DMY" or "MDY" as the date order says
    for year-last text, and "unset" for year-last text under the default YMD order.
    """
    if order == "DMY":
        return b, a
    if order != "unset":
        return a, b
    # No order set: only a number above 12 tells the day; equal numbers read the same both ways.
    day_first = a > 12
    month_first = ((b > 12) | (a == b)) & ~day_first
    month = a.where(month_first, b.where(day_first))
    day = b.where(month_first, a.where(day_first))
    return month, day


def _naive(dates: pd.Series) -> pd.Series:
    if getattr(dates.dt, "tz", None) is not None:
        return dates.dt.tz_localize(None)
    return dates


def _in_range(dates: pd.Series) -> pd.Series:
    """Datetime64[ns], with dates outside what it can hold set to NaT instead of overflowing."""
    inside = (dates >= _FIRST_DAY) & (dates <= _LAST_DAY)
    return dates.where(inside).astype("datetime64[ns]")


def is_before(later: pd.Series, received: pd.Series) -> pd.Series:
    """Earlier than received, except a date typed without a time on the received day."""
    # On numpy's arrays: a day is the moment cast to days (NaT compares false, as in pandas).
    after, before = later.to_numpy("datetime64[ns]"), received.to_numpy("datetime64[ns]")
    after_day, before_day = after.astype("datetime64[D]"), before.astype("datetime64[D]")
    same_day = after_day == before_day
    timeless = (after == after_day) | (before == before_day)
    return pd.Series((after < before) & ~(same_day & timeless), index=later.index)


def before_received(cases: pd.DataFrame, key: str) -> np.ndarray:
    """Where the date in column ``key`` is before the received date, by the rule of the
    date-order finding (``is_before``); False where either is missing or unreadable."""
    if key not in cases or "received_at" not in cases or not len(cases):
        return np.zeros(len(cases), dtype=bool)
    return is_before(_moments(cases[key]), _moments(cases["received_at"])).to_numpy(dtype=bool)


def _moments(values: pd.Series) -> pd.Series:
    """Dates and times as naive datetime64 (NaT where empty or not a date)."""
    if not pd.api.types.is_datetime64_any_dtype(values):
        values = pd.to_datetime(values.astype(object), errors="coerce", format="mixed")
    return values.dt.tz_localize(None) if values.dt.tz is not None else values
