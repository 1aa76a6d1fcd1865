"""Clean complaints in received order: channel, customer, product, what went wrong and what the
customer asks for; some customers complain again within the repeat window."""

from __future__ import annotations

import bisect
import datetime as dt
import random
from typing import Any

from addin.core.text import Lang

from .customers import contact, customer
from .draws import per_language, pick
from .progress import progress
from .words import DESCRIPTIONS, NOTES, PRODUCTS, REPEAT_PREFIX, REQUESTS

OTHER_LANGUAGE_SHARE = 0.05
REPEAT_SHARE = 0.04
REPEAT_WINDOW_DAYS = 30

_CHANNEL_SHARE = {"Phone": 30, "Web form": 13, "App": 14, "Live chat": 12, "Social media": 8,
                  "Email": 8, "Walk-in": 8, "Letter": 1, "Regulator referral": 4, "Other": 2}
_CUSTOMER_TYPE_SHARE = {"New": 45, "Returning": 43, "VIP": 12}
_CATEGORY_SHARE = {"Product quality": 27, "After-sales": 21, "Delivery": 20,
                   "Service attitude": 12, "Billing": 8, "Price": 7, "Other": 5}


def build_cases(rng: random.Random, times: list[dt.datetime], now: dt.datetime, lang: Lang
                ) -> tuple[list[dict[str, Any]], list[int], set[int]]:
    """All cases in received order; some customers complain again within the repeat window.

    Returns the cases, the positions of the repeats, and every position in a repeat pair (the
    planting leaves both alone so each repeat stays visible).
    """
    again = set(rng.sample(range(1, len(times)), int(len(times) * REPEAT_SHARE))
                if len(times) > 1 else [])
    cases: list[dict[str, Any]] = []
    repeats: list[int] = []
    taken: set[int] = set()  # each earlier complaint is repeated at most once
    for i, received in enumerate(times):
        first = _earlier_complaint(rng, times, i, taken) if i in again else None
        cases.append(_new_case(rng, received, now, lang, None if first is None else cases[first]))
        if first is not None:
            taken.update((first, i))
            repeats.append(i)
    return cases, repeats, taken


def _earlier_complaint(rng: random.Random, times: list[dt.datetime], i: int, taken: set[int]
                       ) -> int | None:
    window_start = times[i] - dt.timedelta(days=REPEAT_WINDOW_DAYS - 1)
    lo = bisect.bisect_left(times, window_start, 0, i)
    earlier = [j for j in range(lo, i) if j not in taken and times[j] < times[i]]
    return rng.choice(earlier) if earlier else None


def _new_case(rng: random.Random, received: dt.datetime, now: dt.datetime, lang: Lang,
              first: dict[str, Any] | None = None) -> dict[str, Any]:
    """One clean complaint (every check it meets passes); ``first`` is the one it repeats."""
    category = first["_category"] if first else pick(rng, _CATEGORY_SHARE)
    channel = pick(rng, _CHANNEL_SHARE)
    name, handle = customer(rng, lang)
    product = first["product"] if first else rng.choice(PRODUCTS).in_(lang)
    description = _description(rng, category, product, lang)
    case: dict[str, Any] = {
        "_category": category, "_flip": rng.random() < OTHER_LANGUAGE_SHARE,
        "received_at": _with_seconds(rng, received, channel),
        "channel": channel, "customer_name": name,
        "customer_type": pick(rng, _CUSTOMER_TYPE_SHARE), "product": product,
        "description": REPEAT_PREFIX.in_(lang) + description if first else description,
        "request": (rng.choice(per_language(REQUESTS[category], lang))
                    if rng.random() < 0.85 else None),
    }
    case.update(contact(rng, handle, channel))
    if rng.random() < 0.85:
        ordered = received - dt.timedelta(days=rng.randint(0, 60))
        case["order_ref"] = f"SO{ordered:%Y%m%d}{rng.randrange(10**6):06d}"
    if first:  # the same customer, reachable the same way, about the same order
        for same in ("customer_name", "phone", "email", "customer_type", "order_ref"):
            case[same] = first.get(same)
    _staff_classification(rng, case, category)
    progress(rng, case, now, lang)
    if rng.random() < 0.08:
        case["notes"] = rng.choice(NOTES).in_(lang)
    return case


def _description(rng: random.Random, category: str, product: str, lang: Lang) -> str:
    template = rng.choice(per_language(DESCRIPTIONS[category], lang))
    return template.format(product=product, days=rng.randint(2, 20), n=rng.randint(2, 5))


def _with_seconds(rng: random.Random, received: dt.datetime, channel: str) -> dt.datetime:
    # Online channels stamp the second; staff typing a call or a visit do not.
    if channel in {"Web form", "App", "Live chat", "Email"}:
        return received.replace(second=rng.randrange(60))
    return received


def _staff_classification(rng: random.Random, case: dict[str, Any], category: str) -> None:
    """Most rows leave category, severity and urgency to the rules; some staff fill in."""
    if rng.random() < 0.25:
        case["category"] = category
    if rng.random() < 0.08:
        case["severity"] = pick(rng, {"Normal": 70, "Major": 20, "Escalated": 7, "Difficult": 3})
    if rng.random() < 0.08:
        case["urgency"] = pick(rng, {"Immediate": 25, "Normal": 60, "Planned": 15})
