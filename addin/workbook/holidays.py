"""The Holidays sheet: China mainland's public holidays and make-up working days, generated.

Years the chinese_calendar package covers come from it (it transcribes the State Council's
yearly notice, make-up working days included). Later years come from the ``holidays`` package,
which computes the statutory days and their observed days from the law but cannot know the
make-up working days before the notice is published: those rows say they are provisional.
Nothing here is typed by hand, so a package update and a rebuild bring the sheet up to date.
"""

from __future__ import annotations

import datetime as dt

import holidays as holiday_package

from addin.core.calendar import covered_years, holiday_rows

FIRST_YEAR, LAST_YEAR = 2025, 2027

_SOURCE_HEADER = ("Source", "来源")
_OFFICIAL = ("State Council notice (chinese_calendar package)",
             "国务院办公厅通知（chinese_calendar 软件包）")
_PROVISIONAL = ("provisional: from the holidays package, make-up working days not yet published "
                "— check the State Council notice",
                "暂定：来自 holidays 软件包，调休上班日尚未公布——请核对国务院办公厅通知")
_HOLIDAY_KIND = ("Holiday", "节假日")


def _pick(pair: tuple[str, str], zh: bool) -> str:
    return pair[1] if zh else pair[0]


def holidays_sheet_rows(lang: str, first: int = FIRST_YEAR, last: int = LAST_YEAR) -> list[list]:
    """Header (Date | Kind | Name | Source) and one row per day, in date order."""
    zh = lang.startswith("zh")
    official = [y for y in range(first, last + 1) if y in covered_years()]
    header, *days = holiday_rows(range(first, last + 1), lang)
    rows = [[*header, _pick(_SOURCE_HEADER, zh)]]
    rows += [[*day, _pick(_OFFICIAL, zh)] for day in days]
    for year in range(first, last + 1):
        if year not in official:
            rows += _provisional_rows(year, zh)
    return rows


def _provisional_rows(year: int, zh: bool) -> list[list]:
    days = holiday_package.China(years=year, language="zh_CN" if zh else "en_US")
    return [[dt.date.fromordinal(day.toordinal()), _pick(_HOLIDAY_KIND, zh), name,
             _pick(_PROVISIONAL, zh)] for day, name in sorted(days.items())]
