"""The register read once into arrays: received, deadlines, done dates and the clocks on them.

The analyses (analysis.py and the modules beside it) all start from a ``Prepared``; the
definitions they share are in analysis.py's docstring.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .calendar import NAT, WorkCalendar, column_days
from .cells import map_distinct
from .dates import before_received
from .vocab import DONE_STATUSES

NOT_SET = "Not set"  # the group of rows where a field is empty; translated by the renderers
DIMENSIONS = ("channel", "category", "severity", "urgency", "department", "handler", "status")
_ONE_DAY = np.timedelta64(1, "D")


@dataclass(frozen=True)
class Prepared:
    """Day arrays of a cases frame, computed once and shared by every figure."""

    cases: pd.DataFrame
    calendar: WorkCalendar
    received: np.ndarray  # datetime64[D]
    acknowledged: np.ndarray
    resolved: np.ndarray  # only where the case is done; NaT on open cases
    ack_due: np.ndarray
    due_at: np.ndarray
    done_undated: np.ndarray  # done but without a resolved date: neither open nor measurable
    # Dated before the case was received (the date-order finding): the step counts as done, but
    # its date measures nothing (no clock verdict, no working days).
    ack_early: np.ndarray  # acknowledged before received
    resolved_early: np.ndarray  # done, and resolved before received
    months: np.ndarray  # datetime64[M] of the received date
    repeat: np.ndarray  # marked as a repeat of an earlier complaint
    days: np.ndarray  # working days from received to resolved (float, NaN unless both known)
    satisfaction: np.ndarray  # the score as float, NaN where none or not a number
    # Each clock's verdict as it will stand once known (see ``final_verdicts``).
    ack_on_time: np.ndarray
    ack_when: np.ndarray
    resolve_on_time: np.ndarray
    resolve_when: np.ndarray

    def rows(self, keep: np.ndarray, columns: tuple[str, ...] | None = None) -> Prepared:
        """The same arrays for the rows in ``keep`` (a mask), without reading the dates again.

        ``columns`` narrows the frame to the columns a caller still reads from it: copying every
        column of tens of thousands of rows costs more than the figures themselves.
        """
        frame = self.cases if columns is None else self.cases[[c for c in columns
                                                               if c in self.cases]]
        arrays = {f.name: getattr(self, f.name)[keep] for f in dataclasses.fields(self)
                  if isinstance(getattr(self, f.name), np.ndarray)}
        return Prepared(cases=frame.loc[keep], calendar=self.calendar, **arrays)

    @property
    def first_response(self) -> np.ndarray:
        """The earlier of acknowledgement and resolution: the first reply the customer got
        (a date before the case was received is no reply)."""
        ack = np.where(self.ack_early, NAT, self.acknowledged)
        res = self.measured_resolved
        return np.where(np.isnat(ack) | (~np.isnat(res) & (res < ack)), res, ack)

    @property
    def measured_resolved(self) -> np.ndarray:
        """The resolved date where it can measure a clock: NaT where it is before receipt."""
        return np.where(self.resolved_early, NAT, self.resolved)

    @property
    def unmeasured(self) -> np.ndarray:
        """Done without a resolved date that can be measured: closed without one, or with one
        before the case was received. Never open, never late, never timed."""
        return self.done_undated | self.resolved_early

    @property
    def resolve_due(self) -> np.ndarray:
        """The resolve deadline, except on cases done without a usable resolved date (they are
        never late)."""
        return np.where(self.unmeasured, NAT, self.due_at)


def prepare(cases: pd.DataFrame, calendar: WorkCalendar) -> Prepared:
    status = _column(cases, "status").to_numpy(dtype=object)
    done = np.logical_or.reduce([status == name for name in DONE_STATUSES]) if len(status) else (
        np.zeros(0, dtype=bool))
    resolved = column_days(cases, "resolved_at")
    received = column_days(cases, "received_at")
    done_resolved = np.where(done, resolved, NAT)
    # Counted once here: every month's figures and every breakdown take their rows from it.
    counts, known = calendar.count_days(received, done_resolved)
    acknowledged, ack_due = column_days(cases, "acknowledged_at"), column_days(cases, "ack_due")
    done_undated, due_at = done & np.isnat(resolved), column_days(cases, "due_at")
    ack_early = before_received(cases, "acknowledged_at")
    resolved_early = done & before_received(cases, "resolved_at")
    ack_on_time, ack_when = final_verdicts(acknowledged, np.where(ack_early, NAT, ack_due))
    resolve_on_time, resolve_when = final_verdicts(
        done_resolved, np.where(done_undated | resolved_early, NAT, due_at))
    return Prepared(
        cases=cases, calendar=calendar, received=received,
        acknowledged=acknowledged, resolved=done_resolved, ack_due=ack_due, due_at=due_at,
        done_undated=done_undated, ack_early=ack_early, resolved_early=resolved_early,
        months=received.astype("datetime64[M]"), repeat=filled(_column(cases, "repeat_of")),
        days=np.where(known & ~resolved_early, counts.astype(float), np.nan),
        satisfaction=pd.to_numeric(_column(cases, "satisfaction"), errors="coerce").to_numpy(
            dtype=float, na_value=np.nan),
        ack_on_time=ack_on_time, ack_when=ack_when,
        resolve_on_time=resolve_on_time, resolve_when=resolve_when)


def _column(cases: pd.DataFrame, key: str) -> pd.Series:
    if key in cases:
        return cases[key]
    return pd.Series([None] * len(cases), index=cases.index, dtype=object)


def _day(value: dt.date | pd.Timestamp) -> np.datetime64:
    return np.datetime64(pd.Timestamp(value).date(), "D")


def open_mask(prep: Prepared, as_of: np.datetime64) -> np.ndarray:
    """Received by ``as_of`` and not done by then."""
    received = ~np.isnat(prep.received) & (prep.received <= as_of)
    done_by = ~np.isnat(prep.resolved) & (prep.resolved <= as_of)
    return received & ~done_by & ~prep.done_undated


def overdue_mask(prep: Prepared, as_of: np.datetime64) -> np.ndarray:
    """Open as of the day and past the resolve deadline, or still unacknowledged past its own."""
    past_due = ~np.isnat(prep.due_at) & (as_of > prep.due_at)
    unacked = np.isnat(prep.acknowledged) | (prep.acknowledged > as_of)
    past_ack = unacked & ~np.isnat(prep.ack_due) & (as_of > prep.ack_due)
    return open_mask(prep, as_of) & (past_due | past_ack)


def clock_verdicts(done_at: np.ndarray, deadline: np.ndarray, as_of: np.datetime64
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """On-time and late masks of a clock and the day each verdict fell (NaT while pending)."""
    known = ~np.isnat(deadline)
    on_time = known & ~np.isnat(done_at) & (done_at <= deadline) & (done_at <= as_of)
    breached = deadline + _ONE_DAY
    late = known & ~on_time & (breached <= as_of)
    when = np.where(on_time, done_at, np.where(late, breached, NAT))
    return on_time, late, when


def final_verdicts(done_at: np.ndarray, deadline: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``clock_verdicts`` as of a day past every date: on time or not, and the day the verdict
    falls (NaT where it never will).

    As of any day, a clock is on time (late) exactly where it is on time (not on time) here and
    its verdict day is on or before that day; so one pass serves the figures of every month.
    """
    known = ~np.isnat(deadline)
    on_time = known & ~np.isnat(done_at) & (done_at <= deadline)
    return on_time, np.where(on_time, done_at, np.where(known, deadline + _ONE_DAY, NAT))


def working_days(prep: Prepared, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Working days in (start, end] as float, NaN where either date is missing."""
    counts, known = prep.calendar.count_days(start, end)
    return np.where(known, counts.astype(float), np.nan)



def filled(values: pd.Series) -> np.ndarray:
    """Where a column holds something other than nothing or blank text (vectorised)."""
    text = _text(values)
    return (text.notna() & (text != "")).to_numpy(dtype=bool)


def _text(values: pd.Series) -> pd.Series:
    """Values as trimmed text, missing stays missing (each distinct value trimmed once)."""
    return map_distinct(values.astype(object), _strip)


def _strip(value: object) -> str:
    return str(value).strip()
