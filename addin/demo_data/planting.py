"""Known problems planted on purpose, and the case numbers an earlier run gave the oldest rows.

Every kind of problem the checks catch is planted on a few rows, chosen by the seed;
``PLANTED_FINDINGS`` says which finding code each kind should produce.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from addin.core.text import Lang, Text

from .draws import minute
from .progress import resolve
from .words import HANDLERS

# Planted kind -> the finding code it should produce (None: must be read without a finding).
PLANTED_FINDINGS: dict[str, str | None] = {
    "missing-required": "required",
    "no-contact": "contact-missing",
    "text-date": None,
    "unreadable-date": "not-a-date",
    "future-received": "date-in-future",
    "resolved-before-received": "date-order",
    "not-in-list": "not-in-list",
    "bad-phone": "bad-phone",
    "bad-email": "bad-email",
    "satisfaction-out-of-range": "satisfaction-range",
    "satisfaction-on-open-case": "satisfaction-open",
    "duplicate-case-no": "duplicate-case-no",
    "closed-without-solution": "required-when-done",
    "closed-without-resolved": "required-when-done",
    "started-without-handler": "required-when-started",
    "repeat-complaint": "repeat-complaint",
}
CASE_FORMAT = "TS-{yyyy}{mm}-{seq:04d}"

_UNREADABLE_DATES = ("next Tuesday", "下周二", "上个月底", "ASAP")
# A list column and a value typed in it that no list holds.
_NOT_IN_LIST = (("channel", Text("WeChat group", "微信群")), ("status", Text("Done", "办完了")),
                ("customer_type", Text("Gold member", "金卡会员")),
                ("category", Text("Noise", "噪音问题")))
_BAD_PHONES = ("12345", "138-1234-abcd", "see notes", "电话空号")
_BAD_EMAILS = ("wang.fang@", "li.na@@example.com", "zhang wei@example.cn", "liuyang.example.com")
_REQUIRED_KEYS = ("received_at", "channel", "customer_name", "description", "status")
_TEXT_DATE_FORMATS = ("{y}/{m}/{d} {H}:{M:02d}", "{y}年{m}月{d}日", "{d:02d}/{m:02d}/{y}")


def number_earlier_run(cases: list[dict[str, Any]]) -> None:
    """Case numbers as an earlier run gave them: per month, increasing with the received time."""
    seq: dict[str, int] = {}
    for case in cases:
        received = case["received_at"]
        month = f"{received:%Y%m}"
        seq[month] = seq.get(month, 0) + 1
        case["case_no"] = CASE_FORMAT.format(yyyy=f"{received:%Y}", mm=f"{received:%m}",
                                             seq=seq[month])


def _per_kind(n: int) -> int:
    return max(1, min(4, n // 500))


def plant(rng: random.Random, cases: list[dict[str, Any]], numbered: int, paired: set[int],
          lang: Lang, now: dt.datetime) -> dict[str, list[int]]:
    """Spoil a few unnumbered rows per kind; each spoiled row gets exactly one problem."""
    kinds = [k for k in PLANTED_FINDINGS if k != "repeat-complaint"]
    free = [i for i in range(numbered, len(cases)) if i not in paired]
    count = _per_kind(len(cases))
    rows = rng.sample(free, min(len(free), count * len(kinds)))
    used = set(rows)
    planted: dict[str, list[int]] = {}
    for slot, i in enumerate(rows):
        kind, nth = kinds[slot % len(kinds)], slot // len(kinds)
        if kind == "duplicate-case-no" and numbered == 0:
            continue
        if kind == "text-date" and _TEXT_DATE_FORMATS[nth % 3].startswith("{d"):
            i = _day_above_12(cases, free, used, i)
        _PLANTERS[kind](rng, cases[i], nth, lang, now, cases)
        planted.setdefault(kind, []).append(i)
    return planted


def _day_above_12(cases: list[dict[str, Any]], free: list[int], used: set[int], i: int) -> int:
    # Day-first text (18/03/2026) is unambiguous only when the day is above 12.
    if cases[i]["received_at"].day > 12:
        return i
    for j in reversed(free):
        if j not in used and cases[j]["received_at"].day > 12:
            used.add(j)
            return j
    return i


def _soon_after(moment: dt.datetime, delay: dt.timedelta, now: dt.datetime) -> dt.datetime:
    return minute(min(moment + delay, moment + (now - moment) / 2))


def _close(rng: random.Random, case: dict[str, Any], lang: Lang, now: dt.datetime) -> None:
    """Make the row a complete closed case, ready to have one piece taken away."""
    case["status"] = "Closed"
    case.setdefault("acknowledged_at", _soon_after(case["received_at"], dt.timedelta(hours=2), now))
    if not case.get("_handler"):
        case["_handler"] = rng.choice(HANDLERS[case["_category"]])
    if not case.get("resolved_at"):
        resolve(rng, case, now, lang, with_feedback=False)


def _open(rng: random.Random, case: dict[str, Any], now: dt.datetime) -> None:
    """Make the row a case in progress with nothing of a closed case left on it."""
    case["status"] = "In progress"
    case.setdefault("acknowledged_at", _soon_after(case["received_at"], dt.timedelta(hours=1), now))
    if not case.get("_handler"):
        case["_handler"] = rng.choice(HANDLERS[case["_category"]])
    _strip_resolution(case)


def _strip_resolution(case: dict[str, Any]) -> None:
    for key in ("resolved_at", "solution", "root_cause", "outcome", "satisfaction",
                "follow_up_at"):
        case.pop(key, None)


# Each planter spoils one case: (rng, case, nth of its kind, lang, now, all cases).

def _plant_missing(rng, case, nth, lang, now, cases) -> None:
    case[_REQUIRED_KEYS[nth % len(_REQUIRED_KEYS)]] = None


def _plant_no_contact(rng, case, nth, lang, now, cases) -> None:
    case["phone"] = case["email"] = None
    # Not the exempt channel, and not a call (a call always leaves a number).
    if case["channel"] in {"Regulator referral", "Phone"}:
        case["channel"] = "Walk-in"


def _plant_text_date(rng, case, nth, lang, now, cases) -> None:
    received: dt.datetime = case["received_at"]
    case["received_at"] = _TEXT_DATE_FORMATS[nth % len(_TEXT_DATE_FORMATS)].format(
        y=received.year, m=received.month, d=received.day, H=received.hour, M=received.minute)


def _plant_unreadable(rng, case, nth, lang, now, cases) -> None:
    case["received_at"] = _UNREADABLE_DATES[nth % len(_UNREADABLE_DATES)]


def _plant_future(rng, case, nth, lang, now, cases) -> None:
    later = now.date() + dt.timedelta(days=rng.randint(3, 40))
    case["received_at"] = dt.datetime.combine(later, case["received_at"].time())
    case["status"] = "New"
    for key in ("acknowledged_at", "_handler", "_department"):
        case.pop(key, None)
    _strip_resolution(case)


def _plant_resolved_before(rng, case, nth, lang, now, cases) -> None:
    _close(rng, case, lang, now)
    case["resolved_at"] = case["received_at"] - dt.timedelta(days=rng.randint(1, 5), hours=3)
    case.pop("follow_up_at", None)


def _plant_not_in_list(rng, case, nth, lang, now, cases) -> None:
    key, typed = _NOT_IN_LIST[nth % len(_NOT_IN_LIST)]
    case[key] = typed.in_(lang)
    case["_raw"] = {key}  # shown as typed, not looked up in the lists


def _plant_bad_phone(rng, case, nth, lang, now, cases) -> None:
    case["phone"] = _BAD_PHONES[nth % len(_BAD_PHONES)]


def _plant_bad_email(rng, case, nth, lang, now, cases) -> None:
    case["email"] = _BAD_EMAILS[nth % len(_BAD_EMAILS)]


def _plant_satisfaction_range(rng, case, nth, lang, now, cases) -> None:
    _close(rng, case, lang, now)
    case["satisfaction"] = (0, 7)[nth % 2]


def _plant_satisfaction_open(rng, case, nth, lang, now, cases) -> None:
    _open(rng, case, now)
    case["satisfaction"] = 4


def _plant_duplicate(rng, case, nth, lang, now, cases) -> None:
    # Distinct numbers in row order, so each planted copy reuses a different one.
    numbers = list(dict.fromkeys(c["case_no"] for c in cases if c.get("case_no")))
    case["case_no"] = numbers[-1 - nth % len(numbers)]  # copied from a row above


def _plant_closed_no_solution(rng, case, nth, lang, now, cases) -> None:
    _close(rng, case, lang, now)
    case["solution"] = None


def _plant_closed_no_resolved(rng, case, nth, lang, now, cases) -> None:
    _close(rng, case, lang, now)
    case["resolved_at"] = None
    case.pop("follow_up_at", None)


def _plant_no_handler(rng, case, nth, lang, now, cases) -> None:
    _open(rng, case, now)
    case["_handler"] = case["_department"] = None


_PLANTERS = {
    "missing-required": _plant_missing,
    "no-contact": _plant_no_contact,
    "text-date": _plant_text_date,
    "unreadable-date": _plant_unreadable,
    "future-received": _plant_future,
    "resolved-before-received": _plant_resolved_before,
    "not-in-list": _plant_not_in_list,
    "bad-phone": _plant_bad_phone,
    "bad-email": _plant_bad_email,
    "satisfaction-out-of-range": _plant_satisfaction_range,
    "satisfaction-on-open-case": _plant_satisfaction_open,
    "duplicate-case-no": _plant_duplicate,
    "closed-without-solution": _plant_closed_no_solution,
    "closed-without-resolved": _plant_closed_no_resolved,
    "started-without-handler": _plant_no_handler,
}
