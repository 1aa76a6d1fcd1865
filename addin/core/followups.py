"""The follow-up queue: the done cases whose follow-up call is due soon or overdue on a day.

A case is in the queue on a day when it was done by then (status Resolved or Closed, resolved on
or before the day), has a follow-up deadline (``follow_up_due``, counted from the resolution) and
no follow-up recorded by that day. It is *overdue* when the day is past the deadline and *due soon*
when at most ``due_soon_days`` working days remain, the same rule as the pipeline's
``follow_up_state`` on the run's own day, so the register's colours, its findings and the report's
table name the same cases. Most overdue first, then the nearest deadline.

Pure: the pipeline's canonical cases in, a DataFrame out.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from .calendar import WorkCalendar, column_days
from .findings import Finding, findings_at
from .register import Register
from .row_findings import cell_refs
from .text import Text
from .vocab import DONE_STATUSES

QUEUE_COLUMNS = ("case_no", "customer_name", "handler", "resolved_at", "follow_up_due",
                 "days_over", "status", "state")


def follow_up_queue(cases: pd.DataFrame, calendar: WorkCalendar, day: dt.date,
                    due_soon_days: int) -> pd.DataFrame:
    """The queue on ``day``: one row per case (``QUEUE_COLUMNS``), index = register rows.

    ``days_over`` counts the working days past the deadline (0 while it is still ahead).
    """
    if not len(cases) or "follow_up_due" not in cases:
        return pd.DataFrame(columns=list(QUEUE_COLUMNS))
    today = np.datetime64(pd.Timestamp(day).date(), "D")
    status = cases["status"].to_numpy(dtype=object)
    done = np.logical_or.reduce([status == name for name in sorted(DONE_STATUSES)])
    resolved = column_days(cases, "resolved_at")
    due = column_days(cases, "follow_up_due")
    followed = column_days(cases, "follow_up_at")
    pending = (done & ~np.isnat(resolved) & (resolved <= today) & ~np.isnat(due)
               & (np.isnat(followed) | (followed > today)))
    todays = np.full(len(due), today)
    left, _ = calendar.count_days(todays, due)
    over, _ = calendar.count_days(due, todays)
    overdue = today > due
    soon = ~overdue & (left <= due_soon_days)
    keep = pending & (overdue | soon)
    queue = pd.DataFrame({
        "case_no": _text(cases, "case_no"), "customer_name": _text(cases, "customer_name"),
        "handler": _text(cases, "handler"),
        "resolved_at": pd.to_datetime(resolved.astype("datetime64[s]")),
        "follow_up_due": pd.to_datetime(due.astype("datetime64[s]")),
        "days_over": np.where(overdue, over, 0), "status": status,
        "state": np.where(overdue, "Overdue", "Due soon"),
    }, index=cases.index)[keep]
    return queue.sort_values(["days_over", "follow_up_due"], ascending=[False, True],
                             kind="stable")


def _text(cases: pd.DataFrame, key: str) -> np.ndarray:
    if key not in cases:
        return np.full(len(cases), None, dtype=object)
    values = cases[key].to_numpy(dtype=object, copy=True)
    values[pd.isna(cases[key]).to_numpy()] = None
    return values


# ----------------------------------------------------------------------------- on the register

_UNASSIGNED = Text("unassigned", "未分配")
_NO_NAME = Text("no name", "未留姓名")


def follow_up_findings(register: Register, queue: pd.DataFrame) -> list[Finding]:
    """The queue of the run's day on the Findings sheet, at each case's Follow-up cell: a
    warning past the deadline, a note while it is due soon. A Closed case without a follow-up is
    a closing check of its own (stages.py), so only Resolved cases are listed here."""
    queue = queue[queue["status"].eq("Resolved")]
    key = "follow_up_at" if register.has("follow_up_at") else "follow_up_due"
    found: list[Finding] = []
    for code, state in (("follow-up-overdue", "Overdue"), ("follow-up-due", "Due soon")):
        part = queue[queue["state"].eq(state)].sort_index()
        rows = [int(r) for r in part.index]
        found += findings_at(
            code, cell_refs(register, key, rows), rows, field=key,
            case=[v or "" for v in part["case_no"]],
            customer=[v or _NO_NAME for v in part["customer_name"]],
            handler=[v or _UNASSIGNED for v in part["handler"]],
            resolved=[d.strftime("%Y-%m-%d") for d in part["resolved_at"]],
            due=[d.strftime("%Y-%m-%d") for d in part["follow_up_due"]],
            days=[int(n) for n in part["days_over"]])
    return found
