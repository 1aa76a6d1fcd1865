"""The month's figures (received, resolved, backlog, on-time rates, satisfaction) and the KPIs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .calendar import WorkCalendar
from .prepared import (
    Prepared,
    _day,
    open_mask,
    overdue_mask,
    prepare,
)


@dataclass(frozen=True)
class MonthlyFigures:
    """The figures of one month; rates are fractions (0.25 = 25 %), None when nothing to measure."""

    month: pd.Period
    as_of: dt.date
    received: int = 0  # complaints received in the month ...
    closed: int = 0  # ... of which done as of the day
    open: int = 0  # ... still open
    overdue: int = 0  # ... open and overdue
    backlog: int = 0  # every open case as of the day, whenever received
    backlog_overdue: int = 0
    resolved: int = 0  # cases resolved in the month, whenever received
    ack_on_time: int = 0
    ack_late: int = 0
    resolve_on_time: int = 0
    resolve_late: int = 0
    timed: int = 0  # cases resolved in the month with working days to resolve (the median's)
    median_days: float | None = None  # working days to resolve, cases resolved in the month
    p90_days: float | None = None
    satisfaction_mean: float | None = None
    satisfaction_counts: dict[int, int] = field(default_factory=dict)  # score 1-5 -> cases
    repeats: int = 0  # complaints received in the month marked as repeats
    closed_undated: int = 0  # of the month's complaints, closed without a resolved date
    # Of the month's complaints, acknowledged or resolved before they were received (the
    # date-order finding): done, but in no on-time rate and no resolution time.
    dates_out_of_order: int = 0

    @property
    def satisfaction_responses(self) -> int:
        return sum(self.satisfaction_counts.values())

    @property
    def low_satisfaction_share(self) -> float | None:
        """Share of scores 1 or 2."""
        low = self.satisfaction_counts.get(1, 0) + self.satisfaction_counts.get(2, 0)
        return _rate(low, self.satisfaction_responses)

    @property
    def closed_rate(self) -> float | None:
        return _rate(self.closed, self.received)

    @property
    def open_rate(self) -> float | None:
        return _rate(self.open, self.received)

    @property
    def overdue_rate(self) -> float | None:
        return _rate(self.overdue, self.received)

    @property
    def ack_on_time_rate(self) -> float | None:
        return _rate(self.ack_on_time, self.ack_on_time + self.ack_late)

    @property
    def resolve_on_time_rate(self) -> float | None:
        return _rate(self.resolve_on_time, self.resolve_on_time + self.resolve_late)

    @property
    def repeat_rate(self) -> float | None:
        return _rate(self.repeats, self.received)


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def month_bounds(month: pd.Period) -> tuple[np.datetime64, np.datetime64]:
    first = np.datetime64(month.start_time.date(), "D")
    return first, np.datetime64(month.end_time.date(), "D")


def as_of_day(month: pd.Period, today: dt.date) -> dt.date:
    """The day a month's figures are taken: its last day, or today while it runs."""
    return min(month.end_time.date(), today)


def monthly_figures(cases: pd.DataFrame, month: pd.Period, calendar: WorkCalendar,
                    today: dt.date) -> MonthlyFigures:
    """The figures of ``month`` as of its last day (today for the running month)."""
    return figures_for(prepare(cases, calendar), month, today)


def figures_for(prep: Prepared, month: pd.Period, today: dt.date) -> MonthlyFigures:
    first, last = month_bounds(month)
    as_of = _day(as_of_day(month, today))
    cohort = (prep.received >= first) & (prep.received <= last) & (prep.received <= as_of)
    is_open, overdue = open_mask(prep, as_of), overdue_mask(prep, as_of)
    upto = min(last, as_of)
    resolved_in = (prep.resolved >= first) & (prep.resolved <= upto)
    # The verdicts that fell in the month by the day (NaT compares false: no verdict yet).
    ack_in = (prep.ack_when >= first) & (prep.ack_when <= upto)
    res_in = (prep.resolve_when >= first) & (prep.resolve_when <= upto)
    days = prep.days[resolved_in]
    days = days[~np.isnan(days)]
    scores = prep.satisfaction[resolved_in]
    scores = scores[np.isin(scores, [1, 2, 3, 4, 5])].astype(int)
    return MonthlyFigures(
        month=month, as_of=pd.Timestamp(as_of).date(),
        received=int(cohort.sum()), closed=int((cohort & ~is_open).sum()),
        open=int((cohort & is_open).sum()), overdue=int((cohort & overdue).sum()),
        backlog=int(is_open.sum()), backlog_overdue=int(overdue.sum()),
        resolved=int(resolved_in.sum()),
        ack_on_time=int((prep.ack_on_time & ack_in).sum()),
        ack_late=int((~prep.ack_on_time & ack_in).sum()),
        resolve_on_time=int((prep.resolve_on_time & res_in).sum()),
        resolve_late=int((~prep.resolve_on_time & res_in).sum()),
        timed=len(days), median_days=float(np.median(days)) if len(days) else None,
        p90_days=float(np.quantile(days, 0.9)) if len(days) else None,
        satisfaction_mean=float(scores.mean()) if len(scores) else None,
        satisfaction_counts={s: int((scores == s).sum()) for s in range(1, 6)},
        repeats=int((cohort & prep.repeat).sum()),
        closed_undated=int((cohort & prep.done_undated).sum()),
        dates_out_of_order=int((cohort & (prep.ack_early | prep.resolved_early)).sum()),
    )


# ----------------------------------------------------------------------------- KPIs and changes

@dataclass(frozen=True)
class Kpi:
    """One headline figure with the same figure a month and a year earlier."""

    key: str
    value: float | None
    previous: float | None  # the month before
    last_year: float | None  # the same month a year before
    kind: str  # "count", "rate" (fraction), "days" or "score"
    higher_is_better: bool | None  # None: neither direction is good news in itself

    def change(self, other: float | None) -> float | None:
        """Difference to an earlier value (points for rates)."""
        if self.value is None or other is None:
            return None
        return self.value - other


KPI_SPECS: tuple[tuple[str, str, bool | None], ...] = (
    ("received", "count", None),
    ("closed_rate", "rate", True),
    ("backlog_overdue", "count", False),
    ("ack_on_time_rate", "rate", True),
    ("resolve_on_time_rate", "rate", True),
    ("median_days", "days", False),
    ("p90_days", "days", False),
    ("satisfaction_mean", "score", True),
    ("low_satisfaction_share", "rate", False),
    ("repeat_rate", "rate", False),
)


def kpis(current: MonthlyFigures, previous: MonthlyFigures, last_year: MonthlyFigures
         ) -> list[Kpi]:
    return [Kpi(key, _number(getattr(current, key)), _number(getattr(previous, key)),
                _number(getattr(last_year, key)), kind, better)
            for key, kind, better in KPI_SPECS]


def _number(value: object) -> float | None:
    return None if value is None else float(value)
