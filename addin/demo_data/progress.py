"""How far each case has come: status by age, and what each status implies (a handler, a
reply, a resolution, the customer's feedback)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from addin.core.text import Lang

from .draws import minute, pick
from .words import DEPARTMENTS, HANDLERS, OUTCOMES, ROOT_CAUSES, SOLUTIONS

# Status shares by age in days: old cases are mostly closed, this week's mostly open.
_STATUS_BY_AGE: tuple[tuple[float, dict[str, int]], ...] = (
    (30, {"Closed": 80, "Resolved": 12, "In progress": 3, "Waiting on customer": 2,
          "Reopened": 2, "Acknowledged": 1}),
    (7, {"Closed": 40, "Resolved": 25, "In progress": 19, "Waiting on customer": 8,
         "Reopened": 4, "Acknowledged": 4}),
    (-1, {"New": 28, "Acknowledged": 20, "In progress": 33, "Waiting on customer": 10,
          "Reopened": 2, "Resolved": 7}),
)
# Days from receipt to resolution, per category (low, high).
_RESOLVE_DAYS = {"Product quality": (2, 20), "Service attitude": (1, 4), "Delivery": (1, 6),
                 "Price": (1, 6), "Billing": (1, 10), "After-sales": (2, 15), "Other": (1, 5)}


def progress(rng: random.Random, case: dict[str, Any], now: dt.datetime, lang: Lang) -> None:
    """Status by age, and what each status implies: handler, replies, resolution, feedback."""
    received = case["received_at"]
    status = _status_for_age(rng, (now - received).total_seconds() / 86400)
    case["status"] = status
    if status != "New":
        case["acknowledged_at"] = _acknowledged(rng, received, case["channel"], now)
    if status != "New" and (status != "Acknowledged" or rng.random() < 0.5):
        _assign(rng, case)
    if status in {"Resolved", "Closed"}:
        resolve(rng, case, now, lang, with_feedback=status == "Closed" or rng.random() < 0.5)


def _status_for_age(rng: random.Random, age_days: float) -> str:
    shares = next(s for older_than, s in _STATUS_BY_AGE if age_days > older_than)
    return pick(rng, shares)


def _acknowledged(rng: random.Random, received: dt.datetime, channel: str, now: dt.datetime
                  ) -> dt.datetime:
    if channel in {"Phone", "Walk-in", "Live chat"}:
        delay = dt.timedelta(minutes=rng.randint(1, 30))
    else:
        delay = dt.timedelta(minutes=rng.randint(20, 30 * 60))
    # A reply cannot come after the moment the register is looked at.
    return minute(min(received + delay, received + (now - received) / 2))


def _assign(rng: random.Random, case: dict[str, Any]) -> None:
    category = case["_category"]
    case["_handler"] = rng.choice(HANDLERS[category])
    if rng.random() < 0.6:
        case["_department"] = DEPARTMENTS[category]


def resolve(rng: random.Random, case: dict[str, Any], now: dt.datetime, lang: Lang,
            with_feedback: bool) -> None:
    """Resolve the case after its category's usual time (never after ``now``), with a solution,
    often a root cause, an outcome and, ``with_feedback``, mostly a satisfaction score."""
    category = case["_category"]
    start = case.get("acknowledged_at") or case["received_at"]
    low, high = _RESOLVE_DAYS[category]
    wanted = dt.timedelta(days=rng.uniform(low, high))
    room = now - start
    resolved = start + (wanted if wanted < room else room * rng.uniform(0.3, 0.9))
    # Recorded during the working day, to the minute, and never before the work started.
    case["resolved_at"] = max(_office_hours(rng, resolved).replace(second=0, microsecond=0), start)
    case["solution"] = rng.choice(SOLUTIONS[category]).in_(lang)
    if rng.random() < 0.7:
        case["root_cause"] = rng.choice(ROOT_CAUSES[category]).in_(lang)
    outcome, _ = rng.choices(OUTCOMES, weights=[weight for _, weight in OUTCOMES])[0]
    case["outcome"] = outcome.in_(lang)
    if with_feedback and rng.random() < 0.8:
        case["satisfaction"] = rng.choices((5, 4, 3, 2, 1), weights=(35, 30, 18, 10, 7))[0]
        follow = case["resolved_at"].date() + dt.timedelta(days=rng.randint(1, 3))
        if follow <= now.date():
            case["follow_up_at"] = dt.datetime.combine(follow, dt.time())


def _office_hours(rng: random.Random, moment: dt.datetime) -> dt.datetime:
    """Resolutions are recorded during the working day."""
    if 9 <= moment.hour < 19:
        return moment
    return moment.replace(hour=rng.randint(9, 18), minute=rng.randrange(60))
