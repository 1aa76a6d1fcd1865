"""Working days: the weekend, public holidays and make-up working days (调休上班).

China mainland pays for a long holiday with one or two Saturdays or Sundays that become working
days. A ``WorkCalendar`` holds both lists and the weekend, and answers for one day or, vectorised,
for whole columns of dates.

Counting convention, shared by every deadline: day 1 is the first working day *after* the start
date. ``add_working_days(start, n)`` is the n-th working day after start (n = 0 gives start itself;
a negative n counts back), and ``working_days_between(start, end)`` counts the working days in
(start, end], so ``working_days_between(s, add_working_days(s, n)) == n``. Times of day are ignored.
A make-up working day is a working day even on a weekend; a holiday is a day off even on a weekday;
a date on both lists is a working day.

The built-in calendar is the State Council's, as shipped by the chinese_calendar package for the
years ``covered_years()`` reports; outside those years only the weekend is off. A workbook's
Holidays sheet (header row, then Date | Kind | Name) *replaces* the built-in calendar, so that a
company can follow another country's holidays or its own; ``holiday_rows`` writes the built-in
calendar in that layout to start such a sheet from. On the sheet an empty Kind means a holiday, and
blank rows are skipped.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from chinese_calendar import constants as cn

from .fields import fold
from .findings import Finding, finding
from .register import Grid
from .text import Lang, Text

NAT = np.datetime64("NaT", "D")
# 1970-01-01, day 0 of datetime64[D], was a Thursday (Monday = 0).
_EPOCH_WEEKDAY = 3
# Give up widening the working-day table past this many days either side (a calendar whose
# weekend is every day has no working days at all).
_MAX_MARGIN = 366 * 400


@dataclass(frozen=True)
class WorkCalendar:
    holidays: frozenset[dt.date]  # days off that would otherwise be working days
    workdays: frozenset[dt.date]  # make-up working days that fall on the weekend
    weekend: tuple[int, ...] = (5, 6)  # Monday is 0

    def is_working(self, day: dt.date) -> bool:
        if isinstance(day, dt.datetime):
            day = day.date()
        if day in self.workdays:
            return True
        return day.weekday() not in self.weekend and day not in self.holidays

    def add_working_days(self, start: pd.Series, days: pd.Series | int) -> pd.Series:
        """The n-th working day after each start date (midnight); NaT where either is missing."""
        begin = as_days(start)
        if isinstance(days, pd.Series):
            counts = pd.to_numeric(days, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        else:
            counts = np.full(len(begin), float(days))
        missing = np.isnan(counts)
        begin[missing] = NAT
        steps = np.where(missing, 0, np.round(counts)).astype(np.int64)
        return pd.Series(self.shift_days(begin, steps).astype("datetime64[s]"), index=start.index)

    def working_days_between(self, start: pd.Series, end: pd.Series) -> pd.Series:
        """Working days in (start, end] per row, negative when end is before start (Int64)."""
        counts, known = self.count_days(as_days(start), as_days(end))
        return pd.Series(pd.arrays.IntegerArray(counts, ~known), index=start.index)

    # Array versions, for callers that already hold datetime64[D] arrays.

    def shift_days(self, start: np.ndarray, steps: np.ndarray) -> np.ndarray:
        """datetime64[D]: the steps-th working day after each start (NaT stays NaT)."""
        out = np.full(start.shape, NAT)
        known = ~np.isnat(start)
        if not known.any():
            return out
        begin, k = start[known], steps[known]
        margin = 2 * int(np.abs(k).max()) + 62
        while True:
            work = self.working_days(begin.min() - margin, begin.max() + margin + 1)
            after = np.searchsorted(work, begin, side="right")  # first working day > start
            at = np.searchsorted(work, begin, side="left")  # first working day >= start
            index = np.where(k > 0, after + k - 1, at + k)
            inside = (index >= 0) & (index < len(work))
            if inside.all() or margin > _MAX_MARGIN:
                break
            margin *= 4
        picked = np.full(begin.shape, NAT)
        picked[inside] = work[index[inside]]
        out[known] = np.where(k == 0, begin, picked)
        return out

    def count_days(self, start: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """int64 working days in (start, end] and a mask of the rows where both dates are known."""
        known = ~np.isnat(start) & ~np.isnat(end)
        counts = np.zeros(start.shape, dtype=np.int64)
        if not known.any():
            return counts, known
        first, last = start[known], end[known]
        lo = min(first.min(), last.min())
        hi = max(first.max(), last.max())
        work = self.working_days(lo, hi + 1)
        counts[known] = (np.searchsorted(work, last, side="right")
                         - np.searchsorted(work, first, side="right"))
        return counts, known

    def working_days(self, lo: np.datetime64, hi: np.datetime64) -> np.ndarray:
        """The sorted working days in [lo, hi) as datetime64[D] (read-only: it may be shared)."""
        return _working_days(self, np.datetime64(lo, "D"), np.datetime64(hi, "D"))


# A run asks for the working days of the same span many times (every clock, every month's
# figures): each span is worked out once. Frozen calendars and days are their own cache keys.
@functools.lru_cache(maxsize=64)
def _working_days(calendar: WorkCalendar, lo: np.datetime64, hi: np.datetime64) -> np.ndarray:
    days = np.arange(lo, hi, dtype="datetime64[D]")
    weekday = (days.view(np.int64) + _EPOCH_WEEKDAY) % 7
    off = np.isin(weekday, calendar.weekend) | np.isin(days, _day_array(calendar.holidays))
    on = np.isin(days, _day_array(calendar.workdays))
    work = days[on | ~off]
    work.flags.writeable = False
    return work


@functools.lru_cache(maxsize=16)
def _day_array(days: frozenset[dt.date]) -> np.ndarray:
    array = np.array(sorted(days), dtype="datetime64[D]")
    array.flags.writeable = False
    return array


def as_days(values: Any) -> np.ndarray:
    """A column of dates or date-times as datetime64[D] (a copy); NaT where empty or unreadable."""
    series = values if isinstance(values, pd.Series) else pd.Series(values, dtype=object)
    if not pd.api.types.is_datetime64_any_dtype(series):
        series = pd.to_datetime(series.astype(object), errors="coerce", format="mixed")
    if getattr(series.dt, "tz", None) is not None:
        series = series.dt.tz_localize(None)
    return series.to_numpy().astype("datetime64[D]")


def column_days(frame: pd.DataFrame, key: str) -> np.ndarray:
    """Column ``key`` of ``frame`` as days (``as_days``); all NaT when the frame has no such
    column (a register without that field)."""
    if key not in frame:
        return np.full(len(frame), NAT)
    return as_days(frame[key])


# ----------------------------------------------------------------------------- built-in calendar

def covered_years() -> range:
    """The years the installed chinese_calendar package has announcements for."""
    years = [day.year for day in cn.holidays]
    return range(min(years), max(years) + 1)


def default_calendar(weekend: tuple[int, ...] = (5, 6)) -> WorkCalendar:
    """China mainland's holidays and make-up working days for every year the package knows."""
    return _default_calendar(tuple(sorted(set(weekend))))


@functools.cache
def _default_calendar(weekend: tuple[int, ...]) -> WorkCalendar:
    return WorkCalendar(frozenset(cn.holidays), frozenset(cn.workdays), weekend)


HOLIDAY, MAKE_UP = "holiday", "make-up"
KIND_LABELS = {HOLIDAY: Text("Holiday", "节假日"), MAKE_UP: Text("Make-up working day", "调休上班")}
HOLIDAY_HEADERS = (Text("Date", "日期"), Text("Kind", "类型"), Text("Name", "名称"))
HOLIDAY_NAMES = {holiday.value: Text(holiday.value, holiday.chinese) for holiday in cn.Holiday}


def holiday_rows(years: range, lang: Lang | str) -> list[list]:
    """Header and one row per day for a Holidays sheet: Date | Kind | Name, in date order.

    Years the package does not cover (see ``covered_years``) are left out: their rows would be
    guesses, and a sheet that lists nothing for a year tells staff to fill it in.
    """
    known = covered_years()
    days = [(day, MAKE_UP, name) for day, name in cn.workdays.items()]
    days += [(day, HOLIDAY, name) for day, name in cn.holidays.items()]
    lang = Lang.of(lang)
    rows: list[list] = [[said.in_(lang) for said in HOLIDAY_HEADERS]]
    for day, kind, name in sorted(days):
        if day.year in years and day.year in known:
            shown = HOLIDAY_NAMES.get(name, Text(name, name)).in_(lang)
            rows.append([day, KIND_LABELS[kind].in_(lang), shown])
    return rows


# ----------------------------------------------------------------------------- Holidays sheet

_KIND_WORDS = {
    HOLIDAY: ("holiday", "public holiday", "day off", "off", "节假日", "假日", "休息日", "放假",
              "休"),
    MAKE_UP: ("make-up working day", "make-up day", "makeup day", "working day", "workday",
              "调休上班", "调休", "补班", "上班", "班"),
}
_KIND_BY_WORD = {fold(word): kind for kind, words in _KIND_WORDS.items() for word in words}
_HEADER_WORDS = {
    "date": ("date", "日期"), "kind": ("kind", "type", "类型", "类别"),
    "name": ("name", "名称", "节日"),
}
_TEXT_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
                        r"(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?\s*$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def read_day(value: Any) -> dt.date | None:
    """A holiday date typed as a date, an Excel serial number or year-month-day text."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        # Serials below 61 fall before Excel's phantom 29 February 1900; no holiday list needs them.
        if value == int(value) and 61 <= value <= 2958465:
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        return None
    match = _TEXT_DATE.match(str(value))
    if match is None:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def _holiday_columns(header: list[Any]) -> tuple[dict[str, int], bool]:
    """Columns of Date, Kind and Name, and whether row 0 is a header at all."""
    found: dict[str, int] = {}
    for j, text in enumerate(header):
        for key, words in _HEADER_WORDS.items():
            if text is not None and fold(text) in {fold(w) for w in words}:
                found.setdefault(key, j)
    if found:
        return {"date": 0, "kind": 1, "name": 2} | found, True
    # No recognised header: a date in A1 means the list starts there.
    first = header[0] if header else None
    return {"date": 0, "kind": 1, "name": 2}, first is None or read_day(first) is None


def _bad_holiday(grid: Grid, i: int, j: int, value: Any, problem: Text) -> Finding:
    return finding("bad-holiday", grid.ref(i, j), value=value, problem=problem.en,
                   problem_zh=problem.zh)


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_holidays(grid: Grid | None, weekend: tuple[int, ...] = (5, 6)
                   ) -> tuple[WorkCalendar, list[Finding]]:
    """The Holidays sheet as a calendar; a row that cannot be read is a finding and is skipped."""
    if grid is None:
        return default_calendar(weekend), []
    weekend = tuple(sorted(set(weekend)))
    if not grid.rows:
        return WorkCalendar(frozenset(), frozenset(), weekend), []
    columns, has_header = _holiday_columns(list(grid.rows[0]))
    kinds: dict[dt.date, tuple[str, int]] = {}
    findings: list[Finding] = []
    for i in range(1 if has_header else 0, len(grid.rows)):
        raw = {key: grid.value(i, j) for key, j in columns.items()}
        if all(_empty(v) for v in raw.values()):
            continue
        problem = _holiday_row(grid, i, columns, raw, kinds)
        if problem is not None:
            findings.append(problem)
    holidays = frozenset(day for day, (kind, _) in kinds.items() if kind == HOLIDAY)
    workdays = frozenset(day for day, (kind, _) in kinds.items() if kind == MAKE_UP)
    return WorkCalendar(holidays, workdays, weekend), findings


def _holiday_row(grid: Grid, i: int, columns: dict[str, int], raw: dict[str, Any],
                 kinds: dict[dt.date, tuple[str, int]]) -> Finding | None:
    """Record one row's day in ``kinds``, or say what is wrong with it."""
    day = None if _empty(raw["date"]) else read_day(raw["date"])
    if day is None:
        if _empty(raw["date"]):
            return _bad_holiday(grid, i, columns["date"], None,
                                Text("the row has no date", "该行没有日期"))
        return _bad_holiday(grid, i, columns["date"], raw["date"],
                            Text(f"{raw['date']!r} is not a date (type it as 2026-10-01)",
                                 f"“{raw['date']}”不是日期（请按 2026-10-01 的格式填写）"))
    kind = HOLIDAY if _empty(raw["kind"]) else _KIND_BY_WORD.get(fold(raw["kind"]))
    if kind is None:
        return _bad_holiday(grid, i, columns["kind"], raw["kind"],
                            Text(f"{raw['kind']!r} is not a kind of day; use Holiday or "
                                 "Make-up working day",
                                 f"“{raw['kind']}”不是有效的类型，请填写 节假日 或 调休上班"))
    if day in kinds and kinds[day][0] != kind:
        other = kinds[day][1]
        return _bad_holiday(grid, i, columns["date"], raw["date"],
                            Text(f"{day.isoformat()} is listed again with another kind "
                                 f"(first in row {other})",
                                 f"{day.isoformat()} 已在第 {other} 行以另一类型列出"))
    kinds.setdefault(day, (kind, grid.first_row + i))
    return None
