"""The handling process on the demo complaints: each step dated, in order, as its status implies.

A pass over the finished demo cases (after the planting, with its own random stream so the rest of
the demo stays as it was) records when each case was assigned and investigated, the remedy and
cause type, compensation and its approval, when the customer was told, the follow-up and the
closing. It also turns some cases into the stages and situations a demo should show: cases under
investigation, complaints not accepted (with a reason) and anonymous ones from the suggestion box.

What it leaves for the checks to find on purpose: resolved cases whose follow-up is overdue, unhappy
customers, old open cases overdue enough to be proposed for escalation.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from .core.text import Text

_CAUSE_TYPES = {"Product quality": ("Product defect", "Supplier"),
                "Service attitude": ("Staff conduct",), "Delivery": ("Logistics",),
                "Price": ("Process or policy", "Customer misunderstanding"),
                "Billing": ("System fault",), "After-sales": ("Process or policy", "Supplier"),
                "Other": ("Customer misunderstanding", "Other")}
_REMEDIES = {"Product quality": ("Replacement", "Refund", "Repair"),
             "Service attitude": ("Apology", "Explanation"),
             "Delivery": ("Apology", "Compensation"),
             "Price": ("Refund", "Explanation"), "Billing": ("Refund",),
             "After-sales": ("Repair", "Compensation"), "Other": ("Explanation",)}
_FOLLOW_UP_METHODS = {"Phone": 60, "SMS": 20, "Online survey": 15, "Email": 5}
_APPROVERS = (Text("Manager Chen", "陈经理"), Text("Manager Li", "李经理"))
_REJECT_REASONS = (Text("Bought from another retailer; referred the customer there.",
                        "非本公司销售的产品，已告知客户向购买商家反映。"),
                   Text("Outside the warranty and the service agreement.",
                        "已超出保修期及服务协议范围。"))
APPROVAL_ABOVE = 1000  # the Settings default
INVESTIGATING_SHARE = 0.35  # of the cases in progress without a finished investigation
NOT_ACCEPTED_SHARE = 0.01
ANONYMOUS_SHARE = 0.01


def add_process(cases: list[dict[str, Any]], spared: set[int], now: dt.datetime, lang: str,
                seed: int) -> dict[str, list[int]]:
    """Record the process's steps on every case; returns the rows turned into Not accepted and
    anonymous complaints. ``spared`` rows (planted or repeat pairs) keep their status and
    customer."""
    rng = random.Random(seed * 7919 + 1)
    for i, case in enumerate(cases):
        _record_steps(rng, case, now, lang, i not in spared)
    free = [i for i in range(len(cases)) if i not in spared]
    chosen = rng.sample(free, min(len(free), int(len(cases) * (NOT_ACCEPTED_SHARE
                                                               + ANONYMOUS_SHARE))))
    split = len(chosen) // 2
    for i in chosen[:split]:
        _not_accepted(rng, cases[i], lang)
    for i in chosen[split:]:
        _anonymous(cases[i], lang)
    return {"not-accepted": sorted(chosen[:split]), "anonymous": sorted(chosen[split:])}


def _record_steps(rng: random.Random, case: dict[str, Any], now: dt.datetime, lang: str,
                  may_move: bool) -> None:
    received, acknowledged = case.get("received_at"), case.get("acknowledged_at")
    if not isinstance(received, dt.datetime) or not isinstance(acknowledged, dt.datetime):
        return
    if case.get("_handler") and acknowledged >= received:
        case["assigned_at"] = _between(rng, received, acknowledged, 0.2, 1.0)
    resolved = case.get("resolved_at")
    if may_move and case.get("status") == "In progress" and rng.random() < INVESTIGATING_SHARE:
        case["status"] = "Investigating"
    if case.get("status") not in {"Resolved", "Closed"} or not isinstance(resolved, dt.datetime):
        return
    category = case["_category"]
    start = case.get("assigned_at", received)
    if resolved >= start:
        case["investigated_at"] = _between(rng, start, resolved, 0.4, 0.9)
    case["remedy"] = rng.choice(_REMEDIES[category])
    if case["remedy"] in {"Compensation", "Refund"}:
        _compensate(rng, case, received, resolved, lang)
    if case.get("status") == "Closed":
        _close(rng, case, resolved, now, may_move)


def _close(rng: random.Random, case: dict[str, Any], resolved: dt.datetime, now: dt.datetime,
           may_move: bool) -> None:
    case["root_cause_type"] = rng.choice(_CAUSE_TYPES[case["_category"]])
    informed = _minute(min(resolved + dt.timedelta(minutes=rng.randint(10, 240)), now))
    follow_up = case.get("follow_up_at")
    if follow_up is None:  # a closed case was followed up: the day after it was told
        follow_up = dt.datetime.combine(informed.date() + dt.timedelta(days=1), dt.time())
    closed = follow_up + dt.timedelta(hours=rng.randint(9, 18))
    if may_move and (closed > now or informed.date() > follow_up.date()):
        case["status"] = "Resolved"  # no room left to close it: still waiting for its follow-up
        return
    case["informed_at"] = informed
    case["follow_up_at"] = follow_up
    case["follow_up_method"] = _pick(rng, _FOLLOW_UP_METHODS)
    score = case.get("satisfaction")
    case["follow_up_result"] = ("Not satisfied" if score is not None and score <= 2 else
                                "Partly satisfied" if score == 3 else "Satisfied")
    case["closed_at"] = closed


def _compensate(rng: random.Random, case: dict[str, Any], received: dt.datetime,
                resolved: dt.datetime, lang: str) -> None:
    amount = rng.choice((50, 100, 200, 300, 500, 800, 1200, 1500, 2600))
    case["compensation"] = amount
    if amount > APPROVAL_ABOVE:
        case["approved_by"] = rng.choice(_APPROVERS).in_(lang)
        case["approved_at"] = _between(rng, received, resolved, 0.5, 1.0)


def _not_accepted(rng: random.Random, case: dict[str, Any], lang: str) -> None:
    """Out of scope: a reason, and none of the steps that follow acceptance."""
    case["status"] = "Not accepted"
    case["reject_reason"] = rng.choice(_REJECT_REASONS).in_(lang)
    for key in ("investigated_at", "resolved_at", "solution", "root_cause", "remedy",
                "compensation", "approved_by", "approved_at", "outcome", "informed_at",
                "satisfaction", "follow_up_at", "follow_up_method", "follow_up_result",
                "closed_at", "root_cause_type"):
        case.pop(key, None)


def _anonymous(case: dict[str, Any], lang: str) -> None:
    case["channel"] = "Suggestion box"
    case["customer_name"] = Text("Anonymous", "匿名").in_(lang)
    case["phone"] = case["email"] = case["order_ref"] = None


def _between(rng: random.Random, start: dt.datetime, end: dt.datetime, low: float, high: float
             ) -> dt.datetime:
    return max(_minute(start + (end - start) * rng.uniform(low, high)), start)


def _minute(moment: dt.datetime) -> dt.datetime:
    return moment.replace(second=0, microsecond=0)


def _pick(rng: random.Random, shares: dict[str, int]) -> str:
    return rng.choices(list(shares), weights=list(shares.values()))[0]
