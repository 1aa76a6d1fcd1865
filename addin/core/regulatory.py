"""The overdue list, its age bands, and the regulatory views (the clocks regulators ask about)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .calendar import NAT, WorkCalendar
from .month_figures import _rate
from .prepared import (
    Prepared,
    _day,
    clock_verdicts,
    overdue_mask,
    prepare,
    working_days,
)

AGE_BANDS = ((1, 5), (6, 20), (21, None))  # working days past the deadline


def overdue_ages(overdue: pd.DataFrame) -> list[tuple[int, int | None, int]]:
    """How many overdue cases fall in each band of working days over: (low, high, cases)."""
    days = overdue["days_over"].to_numpy(dtype=float, na_value=0)
    return [(low, high, int(((days >= low) & (days <= (high or np.inf))).sum()))
            for low, high in AGE_BANDS]


def overdue_cases(cases: pd.DataFrame, calendar: WorkCalendar, as_of: dt.date) -> pd.DataFrame:
    """Cases overdue as of the day, longest overdue first, with working days past the deadline.

    ``days_over`` counts working days from the missed deadline (resolve deadline, else the
    acknowledge deadline for a case that was never acknowledged) to the day.
    """
    return _overdue_table(prepare(cases, calendar), as_of)


def _overdue_table(prep: Prepared, as_of: dt.date) -> pd.DataFrame:
    cases, day = prep.cases, _day(as_of)
    mask = overdue_mask(prep, day)
    past_due = ~np.isnat(prep.due_at) & (day > prep.due_at)
    missed = np.where(past_due, prep.due_at, prep.ack_due)[mask]
    over = working_days(prep, missed, np.full(len(missed), day))
    table = cases.loc[mask].copy()
    table["missed"] = np.where(past_due[mask], "resolve", "acknowledge")
    table["deadline"] = pd.to_datetime(missed.astype("datetime64[s]"))
    table["days_over"] = pd.array(np.nan_to_num(over).astype(int), dtype="Int64")
    return table.sort_values(["days_over", "received_at"], ascending=[False, True], kind="stable")


# ----------------------------------------------------------------------------- regulatory views

@dataclass(frozen=True)
class RegulatoryView:
    """A published deadline measured on the register: ``days`` after receipt on a clock."""

    key: str
    event: str  # "first_response" or "resolved"
    days: int
    working: bool  # working days on the workbook's calendar, else calendar days


REGULATORY_VIEWS: tuple[RegulatoryView, ...] = (
    # China, 市场监督管理投诉举报处理暂行办法: decide whether to accept within 7 working days.
    RegulatoryView("cn_decided_7wd", "first_response", 7, True),
    # UK FCA DISP 1.5: resolved by close of business on the third business day after receipt.
    RegulatoryView("uk_resolved_3bd", "resolved", 3, True),
    # UK FCA DISP 1.6: a final response within 8 weeks.
    RegulatoryView("uk_final_8w", "resolved", 56, False),
    # US CFPB: companies respond to complaints within 15 days.
    RegulatoryView("us_responded_15d", "first_response", 15, False),
)


def regulatory_views(cases: pd.DataFrame, calendar: WorkCalendar, as_of: dt.date
                     ) -> pd.DataFrame:
    """Each view's met, missed, pending and undated cases and its rate (met / (met + missed)).

    A case counts once its outcome is known: the reply or resolution came (met when on or before
    the deadline day) or the deadline passed without it (missed). A case closed without a usable
    resolved date (none, or one before it was received) and without a verdict is ``undated``,
    not pending. Index: the view's key.
    """
    return _regulatory(prepare(cases, calendar), as_of)


def _regulatory(prep: Prepared, as_of: dt.date) -> pd.DataFrame:
    calendar, day = prep.calendar, _day(as_of)
    rows = []
    for view in REGULATORY_VIEWS:
        if view.working:
            deadline = calendar.shift_days(prep.received, np.full(len(prep.received), view.days))
        else:
            deadline = prep.received + np.timedelta64(view.days, "D")
        done = (prep.first_response if view.event == "first_response"
                else prep.measured_resolved)
        # A case closed without a usable date (none, or one before receipt) has an unknown
        # outcome, not a missed one.
        deadline = np.where(prep.unmeasured & np.isnat(done), NAT, deadline)
        met, missed, _ = clock_verdicts(done, deadline, day)
        received = ~np.isnat(prep.received) & (prep.received <= day)
        unknown = received & ~met & ~missed
        # Those will never get a verdict: apart from the cases still pending.
        undated = unknown & prep.unmeasured
        rows.append({"view": view.key, "cases": int(received.sum()), "met": int(met.sum()),
                     "missed": int(missed.sum()), "pending": int((unknown & ~undated).sum()),
                     "undated": int(undated.sum()),
                     "rate": _rate(int(met.sum()), int(met.sum() + missed.sum()))})
    return pd.DataFrame(rows).set_index("view")
