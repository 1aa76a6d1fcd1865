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

from addin.core.calendar import HOLIDAY, KIND_LABELS, covered_years, holiday_rows
from addin.core.text import Lang, Text

FIRST_YEAR, LAST_YEAR = 2025, 2027

SOURCE_HEADER = Text("Source", "来源")
OFFICIAL = Text("State Council notice (chinese_calendar package)",
                "国务院办公厅通知（chinese_calendar 软件包）")
PROVISIONAL = Text("provisional: from the holidays package, make-up working days not yet "
                   "published — check the State Council notice",
                   "暂定：来自 holidays 软件包，调休上班日尚未公布——请核对国务院办公厅通知")
# The holidays package's names for the two languages.
_PACKAGE_LANGUAGE = {Lang.EN: "en_US", Lang.ZH: "zh_CN"}


def holidays_sheet_rows(lang: Lang, first: int = FIRST_YEAR, last: int = LAST_YEAR) -> list[list]:
    """Header (Date | Kind | Name | Source) and one row per day, in date order."""
    official = [y for y in range(first, last + 1) if y in covered_years()]
    header, *days = holiday_rows(range(first, last + 1), lang)
    rows = [[*header, SOURCE_HEADER.in_(lang)]]
    rows += [[*day, OFFICIAL.in_(lang)] for day in days]
    for year in range(first, last + 1):
        if year not in official:
            rows += _provisional_rows(year, lang)
    return rows


def _provisional_rows(year: int, lang: Lang) -> list[list]:
    days = holiday_package.China(years=year, language=_PACKAGE_LANGUAGE[Lang.of(lang)])
    return [[dt.date.fromordinal(day.toordinal()), KIND_LABELS[HOLIDAY].in_(lang), name,
             PROVISIONAL.in_(lang)] for day, name in sorted(days.items())]
