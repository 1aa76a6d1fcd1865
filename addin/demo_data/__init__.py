"""Realistic demo complaints for the record card, with known problems planted on purpose.

A home-appliance retailer's complaint register over a number of months: weekday-heavy, busier
around the June and November shopping festivals and the summer air-conditioner season, with
descriptions written so that the default classification rules can classify them. The oldest rows
carry case numbers as if an earlier run had numbered them; about 5% of rows use the other
language's list values; some customers complain again within 30 days.

Every kind of problem the checks catch is planted on a few rows, chosen by the seed, so a demo
workbook shows each finding and tests can count them. ``PLANTED_FINDINGS`` says which finding code
each planted kind should produce.

Everything is generated from the seed and ``end``: the same arguments give the same rows. The
modules split the work by subject: ``arrivals`` (when), ``customers`` (who), ``cases`` (what they
complain about), ``progress`` (how far each case has come), ``planting`` (the problems),
``render`` (the sheet row); ``words`` holds the word tables they draw from.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from addin.core.fields import BY_KEY
from addin.core.text import Lang

from ..demo_process import add_process
from .arrivals import first_day, received_times
from .cases import OTHER_LANGUAGE_SHARE, REPEAT_SHARE, REPEAT_WINDOW_DAYS, build_cases
from .planting import CASE_FORMAT, PLANTED_FINDINGS, number_earlier_run, plant
from .render import DEMO_KEYS, render
from .words import CATEGORY_KEYWORDS, DESCRIPTIONS, REQUESTS

__all__ = [
    "CASE_FORMAT", "CATEGORY_KEYWORDS", "DEMO_KEYS", "DESCRIPTIONS", "NUMBERED_SHARE",
    "OTHER_LANGUAGE_SHARE", "PLANTED_FINDINGS", "REPEAT_SHARE", "REPEAT_WINDOW_DAYS", "REQUESTS",
    "DemoSet", "demo_rows", "make_demo",
]

NUMBERED_SHARE = 0.3  # the oldest rows, numbered "by an earlier run"


@dataclass
class DemoSet:
    headers: list[str]
    rows: list[list[Any]]
    planted: dict[str, int]  # planted kind -> number of rows
    planted_rows: dict[str, list[int]] = field(default_factory=dict)  # kind -> 0-based positions
    categories: list[str] = field(default_factory=list)  # category each description was written for
    # Not accepted and anonymous complaints (0-based positions): the process, not problems.
    process_rows: dict[str, list[int]] = field(default_factory=dict)


def demo_rows(n: int = 3000, months: int = 18, end: dt.date | None = None,
              lang: Lang | str = Lang.ZH, seed: int = 7) -> tuple[list[str], list[list]]:
    """Headers in ``lang`` and ``n`` complaint rows over ``months`` months ending at ``end``.

    ``end`` defaults to today; pass it explicitly for reproducible rows.
    """
    demo = make_demo(n, months, end, lang, seed)
    return demo.headers, demo.rows


def make_demo(n: int = 3000, months: int = 18, end: dt.date | None = None,
              lang: Lang | str = Lang.ZH, seed: int = 7) -> DemoSet:
    """The demo rows together with what was planted where."""
    end = end or dt.date.today()
    lang = Lang.of(lang)
    rng = random.Random(seed)
    now = dt.datetime.combine(end, dt.time(23, 59))
    times = received_times(rng, n, first_day(end, months), end)
    cases, repeats, paired = build_cases(rng, times, now, lang)
    numbered = int(len(cases) * NUMBERED_SHARE)
    number_earlier_run(cases[:numbered])
    planted_rows = plant(rng, cases, numbered, paired, lang, now)
    planted_rows["repeat-complaint"] = repeats
    spared = paired | {i for rows in planted_rows.values() for i in rows}
    process_rows = add_process(cases, spared, now, lang, seed)
    planted = {kind: len(planted_rows.get(kind, [])) for kind in PLANTED_FINDINGS}
    headers = [BY_KEY[key].header(lang) for key in DEMO_KEYS]
    rows = [render(case, lang) for case in cases]
    return DemoSet(headers, rows, planted, {k: sorted(v) for k, v in planted_rows.items()},
                   [case["_category"] for case in cases], process_rows)
