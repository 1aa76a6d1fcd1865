"""Working days around China's real 2025/2026 holidays and make-up working days (调休上班).

2025 National Day: 1-8 October off, Sunday 28 September and Saturday 11 October worked.
2026 Spring Festival: 15-23 February off, Saturdays 14 and 28 February worked.
2026 New Year: 1-3 January off, Sunday 4 January worked.
"""

import ast
import datetime as dt
import random
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from addin.core import calendar as calendar_module
from addin.core import deadlines as deadlines_module
from addin.core.calendar import (
    WorkCalendar,
    covered_years,
    default_calendar,
    holiday_rows,
    parse_holidays,
)
from addin.core.register import Grid

D = dt.date


@pytest.fixture
def china() -> WorkCalendar:
    return default_calendar()


def dates(*texts: str | None) -> pd.Series:
    return pd.Series(pd.to_datetime(list(texts), format="mixed"), index=range(2, 2 + len(texts)))


@pytest.mark.parametrize(("day", "working"), [
    (D(2025, 9, 26), True),    # Friday before National Day
    (D(2025, 9, 27), False),   # Saturday
    (D(2025, 9, 28), True),    # Sunday worked (调休上班)
    (D(2025, 10, 1), False),   # National Day, Wednesday
    (D(2025, 10, 6), False),   # Mid-autumn Festival, Monday
    (D(2025, 10, 9), True),    # first working day after the break
    (D(2025, 10, 11), True),   # Saturday worked
    (D(2025, 10, 12), False),  # ordinary Sunday
    (D(2026, 2, 14), True),    # Saturday worked before Spring Festival
    (D(2026, 2, 23), False),   # last day of Spring Festival, Monday
    (D(2026, 2, 28), True),    # Saturday worked after Spring Festival
    (dt.datetime(2026, 1, 4, 9, 30), True),  # a date-time counts as its date
])
def test_is_working_follows_holidays_and_make_up_days(china, day, working):
    assert china.is_working(day) is working


@pytest.mark.parametrize(("start", "days", "expected"), [
    ("2025-09-26", 1, "2025-09-28"),        # day 1 is the make-up Sunday
    ("2025-09-26", 3, "2025-09-30"),
    ("2025-09-26", 4, "2025-10-09"),        # jumps the whole National Day week
    ("2025-09-30 15:30", 1, "2025-10-09"),  # time of day does not matter
    ("2025-09-30", 3, "2025-10-11"),        # lands on the make-up Saturday
    ("2025-10-03", 1, "2025-10-09"),        # received during the holiday
    ("2025-10-10", 2, "2025-10-13"),        # Sat 11th worked, Sun 12th not
    ("2025-09-27", 1, "2025-09-28"),        # received on a Saturday
    ("2025-10-04", 0, "2025-10-04"),        # zero days is the start date itself
    ("2025-10-09", -1, "2025-09-30"),       # counting back skips the holiday
    ("2025-12-31", 1, "2026-01-04"),        # New Year, make-up Sunday
    ("2026-02-13", 1, "2026-02-14"),        # make-up Saturday before Spring Festival
    ("2026-02-13", 2, "2026-02-24"),
    ("2026-02-24", 4, "2026-02-28"),        # make-up Saturday after it
    ("2026-02-27", 2, "2026-03-02"),
])
def test_add_working_days(china, start, days, expected):
    result = china.add_working_days(dates(start), days)
    assert result.tolist() == [pd.Timestamp(expected)]
    assert result.index.tolist() == [2]


def test_add_working_days_takes_a_column_of_counts_and_keeps_gaps(china):
    result = china.add_working_days(dates("2025-09-30", None, "2026-02-13", "2025-09-26"),
                                    pd.Series([1, 2, None, 0], index=range(2, 6)))
    assert result.tolist() == [pd.Timestamp("2025-10-09"), pd.NaT, pd.NaT,
                               pd.Timestamp("2025-09-26")]


@pytest.mark.parametrize(("start", "end", "expected"), [
    ("2025-09-30", "2025-10-09", 1),
    ("2025-09-26", "2025-10-13", 7),  # 9/28 9/29 9/30 10/9 10/10 10/11 10/13
    ("2026-02-13", "2026-02-28", 6),  # 2/14, 2/24-2/27 and the make-up 2/28
    ("2025-10-09", "2025-10-09", 0),
    ("2025-10-09", "2025-09-30", -1),
    ("2025-10-01", "2025-10-08", 0),  # entirely inside the holiday
])
def test_working_days_between(china, start, end, expected):
    result = china.working_days_between(dates(start), dates(end))
    assert str(result.dtype) == "Int64"
    assert result.tolist() == [expected]


def test_working_days_between_is_empty_when_a_date_is_missing(china):
    result = china.working_days_between(dates("2025-09-30", None), dates(None, "2025-10-09"))
    assert result.isna().tolist() == [True, True]


def test_counting_back_what_was_added_gives_the_count(china):
    start = dates(*[f"2025-{m:02d}-{d:02d}" for m in (1, 2, 9, 10, 12) for d in (1, 15, 28)])
    for days in (0, 1, 2, 5, 9, 30):
        assert (china.working_days_between(start, china.add_working_days(start, days))
                == days).all()


def test_vectorised_answers_match_day_by_day_counting(china):
    rng = random.Random(20251001)
    starts = [D(2024, 1, 1) + dt.timedelta(days=rng.randrange(3 * 366)) for _ in range(300)]
    counts = [rng.randrange(0, 25) for _ in starts]
    result = china.add_working_days(pd.Series(pd.to_datetime(starts)), pd.Series(counts))
    for start, count, got in zip(starts, counts, result, strict=True):
        day, left = start, count
        while left:
            day += dt.timedelta(days=1)
            left -= china.is_working(day)
        assert got.date() == day, (start, count)


def test_a_different_weekend_keeps_the_holidays():
    gulf = default_calendar((4, 5))  # Friday and Saturday off
    assert gulf.is_working(D(2025, 10, 12))  # a Sunday
    assert not gulf.is_working(D(2025, 10, 10))  # a Friday
    assert not gulf.is_working(D(2025, 10, 5))  # Sunday inside National Day
    assert gulf.is_working(D(2025, 10, 11))  # the make-up Saturday still works


def test_a_weekend_of_every_day_has_no_deadlines():
    never = WorkCalendar(frozenset(), frozenset(), tuple(range(7)))
    assert never.add_working_days(dates("2025-10-09"), 2).isna().all()


def test_covered_years_reach_2026():
    years = covered_years()
    assert years.start == 2004
    assert 2026 in years


# ----------------------------------------------------------------------------- holiday_rows

def test_holiday_rows_in_english():
    rows = holiday_rows(range(2025, 2026), "en")
    assert rows[0] == ["Date", "Kind", "Name"]
    assert len(rows) == 1 + 28 + 5  # 28 days off and 5 make-up working days in 2025
    assert [D(2025, 9, 28), "Make-up working day", "National Day"] in rows
    assert [D(2025, 10, 6), "Holiday", "Mid-autumn Festival"] in rows
    assert [row[0] for row in rows[1:]] == sorted(row[0] for row in rows[1:])


def test_holiday_rows_in_chinese():
    rows = holiday_rows(range(2026, 2027), "zh-CN")
    assert rows[0] == ["日期", "类型", "名称"]
    assert [D(2026, 2, 14), "调休上班", "春节"] in rows
    assert [D(2026, 10, 1), "节假日", "国庆节"] in rows


def test_holiday_rows_leave_out_years_the_package_does_not_know():
    after = covered_years().stop
    assert holiday_rows(range(after, after + 3), "en") == [["Date", "Kind", "Name"]]
    rows = holiday_rows(range(2026, after + 3), "en")
    assert {row[0].year for row in rows[1:]} == {2026} | set(range(2027, after))


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_holiday_rows_round_trip_through_the_holidays_sheet(china, lang):
    calendar, findings = parse_holidays(Grid("Holidays", holiday_rows(range(2025, 2027), lang)),
                                        (5, 6))
    assert findings == []
    day = D(2025, 1, 1)
    while day.year < 2027:
        assert calendar.is_working(day) == china.is_working(day), day
        day += dt.timedelta(days=1)


# ----------------------------------------------------------------------------- parse_holidays

def holidays_sheet(*rows, header=("Date", "Kind", "Name")) -> Grid:
    return Grid("Holidays", [list(header), *[list(r) for r in rows]])


@pytest.mark.parametrize("typed", [
    D(2026, 10, 1),
    dt.datetime(2026, 10, 1, 0, 0),
    pd.Timestamp("2026-10-01"),
    46296,  # Excel serial number
    46296.0,
    "2026-10-01",
    "2026/10/1",
    "2026.10.01",
    "2026年10月1日",
    " 2026-10-01 00:00:00 ",
])
def test_holiday_dates_in_any_form(typed):
    calendar, findings = parse_holidays(holidays_sheet((typed, "Holiday", "National Day")), (5, 6))
    assert findings == []
    assert calendar.holidays == {D(2026, 10, 1)}


@pytest.mark.parametrize(("kind", "holiday"), [
    ("Holiday", True), ("节假日", True), (None, True), ("", True), ("day off", True),
    ("Make-up working day", False), ("make-up   WORKING day", False), ("调休上班", False),
    ("调休", False), ("补班", False), ("Working day", False),
])
def test_kinds_in_either_language(kind, holiday):
    calendar, findings = parse_holidays(holidays_sheet(("2025-10-11", kind, None)), (5, 6))
    assert findings == []
    assert (calendar.holidays, calendar.workdays) == (
        ({D(2025, 10, 11)}, frozenset()) if holiday else (frozenset(), {D(2025, 10, 11)}))


def test_the_holidays_sheet_replaces_the_built_in_calendar():
    calendar, _ = parse_holidays(holidays_sheet(("2025-12-26", "Holiday", "Boxing Day")), (5, 6))
    assert calendar.weekend == (5, 6)
    assert calendar.is_working(D(2025, 10, 1))  # National Day is not on this sheet
    assert not calendar.is_working(D(2025, 12, 26))


@pytest.fixture
def sheet_with_bad_rows() -> Grid:
    return holidays_sheet(
        ("2025-10-01", "Holiday", "National Day"),
        ("Oct 1st", "Holiday", "National Day"),
        ("2025-10-11", "maybe", None),
        (None, None, None),  # blank rows are skipped, not the end of the list
        (None, "Holiday", "Mid-autumn"),
        ("2025-10-01", "调休", "National Day"),
        ("2025-10-01", "节假日", "again, same kind: fine"),
        (True, "Holiday", None),
        ("2025-10-08", "Holiday", "National Day"),
    )


def test_bad_holiday_rows_are_findings_at_their_cells(sheet_with_bad_rows):
    calendar, findings = parse_holidays(sheet_with_bad_rows, (5, 6))
    assert calendar.holidays == {D(2025, 10, 1), D(2025, 10, 8)}
    assert calendar.workdays == frozenset()
    assert [(f.code, f.cell) for f in findings] == [
        ("bad-holiday", "Holidays!A3"),
        ("bad-holiday", "Holidays!B4"),
        ("bad-holiday", "Holidays!A6"),
        ("bad-holiday", "Holidays!A7"),
        ("bad-holiday", "Holidays!A9"),
    ]
    assert [f.message("en") for f in findings] == [
        "Holidays: 'Oct 1st' is not a date (type it as 2026-10-01). The row is ignored.",
        "Holidays: 'maybe' is not a kind of day; use Holiday or Make-up working day. "
        "The row is ignored.",
        "Holidays: the row has no date. The row is ignored.",
        "Holidays: 2025-10-01 is listed again with another kind (first in row 2). "
        "The row is ignored.",
        "Holidays: True is not a date (type it as 2026-10-01). The row is ignored.",
    ]
    assert [dict(f.params)["problem_zh"] for f in findings] == [
        "“Oct 1st”不是日期（请按 2026-10-01 的格式填写）",
        "“maybe”不是有效的类型，请填写 节假日 或 调休上班",
        "该行没有日期",
        "2025-10-01 已在第 2 行以另一类型列出",
        "“True”不是日期（请按 2026-10-01 的格式填写）",
    ]
    assert all(f.row is None for f in findings)  # not rows of the complaints register


def test_columns_are_found_by_their_chinese_headers_wherever_they_are():
    grid = Grid("节假日", [["名称", "日期", "类型"],
                        ["国庆节", "2025-10-11", "调休上班"],
                        ["国庆节", "十月一日", "节假日"]], first_row=3, first_col=2)
    calendar, findings = parse_holidays(grid, (5, 6))
    assert calendar.workdays == {D(2025, 10, 11)}
    assert [f.cell for f in findings] == ["节假日!C5"]


def test_a_list_without_a_header_starts_in_the_first_row():
    grid = Grid("Holidays", [["2025-10-01", "Holiday"], ["2025-10-11", "Make-up working day"]])
    calendar, findings = parse_holidays(grid, (5, 6))
    assert findings == []
    assert (calendar.holidays, calendar.workdays) == ({D(2025, 10, 1)}, {D(2025, 10, 11)})


def test_an_empty_holidays_sheet_leaves_only_the_weekend():
    calendar, findings = parse_holidays(Grid("Holidays", []), (6,))
    assert findings == []
    assert calendar == WorkCalendar(frozenset(), frozenset(), (6,))


def test_no_holidays_sheet_gives_the_built_in_calendar():
    calendar, findings = parse_holidays(None, (5, 6))
    assert findings == []
    assert calendar == default_calendar()


def test_the_core_calendar_does_not_touch_excel_libraries():
    for module in (calendar_module, deadlines_module):
        tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
        imported = {alias.name.split(".")[0] for node in ast.walk(tree)
                    if isinstance(node, ast.Import) for alias in node.names}
        imported |= {(node.module or "").split(".")[0] for node in ast.walk(tree)
                     if isinstance(node, ast.ImportFrom)}
        assert not imported & {"xlwings", "openpyxl"}, module.__name__


def test_working_days_array_is_sorted_and_skips_days_off(china):
    work = china.working_days(np.datetime64("2025-09-27"), np.datetime64("2025-10-14"))
    assert [str(day) for day in work] == [
        "2025-09-28", "2025-09-29", "2025-09-30", "2025-10-09", "2025-10-10", "2025-10-11",
        "2025-10-13"]
