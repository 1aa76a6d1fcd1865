"""Analyses of the complaints register: the pivots, the month's figures and the regulatory views.

Everything here works on the canonical ``cases`` frame the pipeline returns (one row per register
row, list values as English names, dates as datetime64, NaT when empty) and returns plain values
and DataFrames keyed by canonical names; the doors and reports translate them for staff.

Definitions every figure shares (they are what the report's footnotes say):

- A case is *done* when its status is Resolved or Closed and it has a resolved date; only then does
  the resolved date count. A reopened case is open again.
- Figures are taken *as of* a day: the last day of the month, or today for the running month.
  A case is *open* as of a day when it was received by then and not done by then; it is *overdue*
  when it is open and that day is past its resolve deadline, or it is still unacknowledged and that
  day is past its acknowledge deadline (the rule behind the SLA status column).
- A clock (acknowledge or resolve) has a verdict once the step is done or its deadline has passed:
  *on time* when done on or before the deadline day (verdict on the day it was done), *late*
  otherwise (verdict on the first day past the deadline). A month's on-time rate is on time /
  (on time + late) over the verdicts that fell in the month.
- Resolution time counts working days in (received, resolved] on the workbook's calendar, over the
  cases resolved in the month; the 90th percentile interpolates linearly between ranks.
- A step dated before the case was received (the date-order finding) counts as done, but its
  date measures nothing: no verdict on its clock, no resolution time (so no negative durations in
  a median). Such cases are counted apart (``dates_out_of_order``); in the regulatory views a case
  closed with such a resolved date is with the undated ones.
- Satisfaction covers the cases resolved in the month that have a score.
- The repeat rate is the share of the month's complaints that the pipeline marked as a repeat of
  an earlier one (``repeat_of``); a customer is the same phone number, else email, else name.
- A category is *rising* when its count this month is at least ``min_count``, above the mean of the
  previous ``baseline_months`` months, and a one-sided Poisson test against that mean gives
  p < ``alpha``: a count this high would turn up less than 5 % of the time if nothing had changed.
  A category with no complaints at all in the baseline months rises on ``min_count`` alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from .calendar import WorkCalendar
from .followups import follow_up_queue

# The analyses live in the modules beside this one, by subject; their names are re-exported here
# so that callers keep importing them from addin.core.analysis.
from .month_figures import (  # noqa: F401
    KPI_SPECS,
    Kpi,
    MonthlyFigures,
    _number,
    _rate,
    as_of_day,
    figures_for,
    kpis,
    month_bounds,
    monthly_figures,
)
from .pivots import (  # noqa: F401
    _groups,
    _month_labels,
    _order,
    breakdown,
    breakdowns,
    category_by_month,
    pivots,
)
from .prepared import (  # noqa: F401
    _ONE_DAY,
    DIMENSIONS,
    NOT_SET,
    Prepared,
    _column,
    _day,
    _strip,
    _text,
    clock_verdicts,
    filled,
    final_verdicts,
    open_mask,
    overdue_mask,
    prepare,
    working_days,
)
from .regulatory import (  # noqa: F401
    AGE_BANDS,
    REGULATORY_VIEWS,
    RegulatoryView,
    _overdue_table,
    _regulatory,
    overdue_ages,
    overdue_cases,
    regulatory_views,
)
from .repeat_customers import (  # noqa: F401
    _NOT_DIGIT,
    _per_distinct,
    _phone_digits,
    _plain_text,
    _repeat_customers,
    _set_keys,
    _text_digits,
    _texts,
    customer_keys,
    repeat_customers,
)
from .rising import (  # noqa: F401
    RISING_ALPHA,
    RISING_BASELINE_MONTHS,
    RISING_MIN_COUNT,
    _rising,
    poisson_upper_tail,
    rising_categories,
)
from .vocab import Vocabulary

if TYPE_CHECKING:
    from .learning import Learning


# ----------------------------------------------------------------------------- the month report

@dataclass
class MonthAnalysis:
    """Everything the monthly report and the Monthly sheet show, in canonical values."""

    month: pd.Period
    today: dt.date
    figures: MonthlyFigures
    previous: MonthlyFigures
    last_year: MonthlyFigures
    kpis: list[Kpi]
    trend: pd.DataFrame  # last 12 months: received, resolved, backlog_overdue, on-time rates,
    # satisfaction_mean, closed_undated
    category_by_month: pd.DataFrame  # last 12 months
    breakdowns: dict[str, pd.DataFrame]  # the month's complaints by channel, severity, ...
    overdue: pd.DataFrame
    repeat_customers: pd.DataFrame
    rising: pd.DataFrame
    regulatory: pd.DataFrame  # over the month's complaints
    # Follow-ups due soon or overdue as of the month's figures (followups.py).
    follow_ups: pd.DataFrame = field(default_factory=pd.DataFrame)
    follow_up_soon_days: int = 1  # the due-soon margin the queue was taken with
    # The cases' dates read once (``prepare``): the year's analyses (``learning.learn``) over
    # the same cases take them from here rather than reading them again.
    prepared: Prepared | None = field(default=None, repr=False, compare=False)


# The Settings default for "Due soon within (working days)"; callers that read Settings pass theirs.
DUE_SOON_DAYS = 1


def analyse_month(cases: pd.DataFrame, month: pd.Period, calendar: WorkCalendar,
                  today: dt.date, lists: dict[str, Vocabulary] | None = None,
                  trend_months: int = 12, due_soon_days: int = DUE_SOON_DAYS) -> MonthAnalysis:
    # The dates are read once; every part below works on these arrays or rows of them.
    prep = prepare(cases, calendar)
    figures = figures_for(prep, month, today)
    previous, last_year = figures_for(prep, month - 1, today), figures_for(prep, month - 12, today)
    months = [month - k for k in range(trend_months - 1, -1, -1)]
    trend = _trend(prep, months, today, [figures, previous, last_year])
    first, last = month_bounds(month)
    in_month = (prep.received >= first) & (prep.received <= last)
    month_prep = prep.rows(in_month, ("satisfaction", *DIMENSIONS))
    as_of = figures.as_of
    return MonthAnalysis(
        month=month, today=today, figures=figures, previous=previous, last_year=last_year,
        kpis=kpis(figures, previous, last_year), trend=trend,
        category_by_month=category_by_month(_window(prep, months), months),
        breakdowns=breakdowns(month_prep, DIMENSIONS, as_of, lists),
        overdue=_overdue_table(prep, as_of),
        repeat_customers=_repeat_customers(cases, month, prep.received, prep.repeat),
        rising=_rising(_column(cases, "category"), prep.months, month),
        regulatory=_regulatory(month_prep, as_of),
        follow_ups=follow_up_queue(cases, calendar, as_of, due_soon_days),
        follow_up_soon_days=due_soon_days, prepared=prep,
    )


def _window(prep: Prepared, months: list[pd.Period]) -> Prepared:
    lo, hi = month_bounds(months[0])[0], month_bounds(months[-1])[1]
    keep = (prep.received >= lo) & (prep.received <= hi)
    return prep.rows(keep, ("category",))


def _trend(prep: Prepared, months: list[pd.Period], today: dt.date,
           known: list[MonthlyFigures]) -> pd.DataFrame:
    """A row per month; the months whose figures are already ``known`` are not taken again."""
    taken = {f.month: f for f in known}
    rows = []
    for month in months:
        f = taken[month] if month in taken else figures_for(prep, month, today)
        rows.append({"month": str(month), "received": f.received, "resolved": f.resolved,
                     "backlog_overdue": f.backlog_overdue, "ack_on_time_rate": f.ack_on_time_rate,
                     "resolve_on_time_rate": f.resolve_on_time_rate,
                     "satisfaction_mean": f.satisfaction_mean,
                     "closed_undated": f.closed_undated})
    return pd.DataFrame(rows).set_index("month")


def default_month(today: dt.date) -> pd.Period:
    """The month a report covers when none is named: the last full month before today."""
    return pd.Period(today, freq="M") - 1


# ----------------------------------------------------------------------------- for the sheets

@dataclass
class AnalysisFigures:
    """What the Analysis sheet (always) and the Monthly sheet (when a month is given) show."""

    today: dt.date
    pivots: dict[str, pd.DataFrame]
    month: MonthAnalysis | None = None
    # How far to trust the Suggested column (suggest.Quality), as the pipeline left it on the
    # cases; None when the run made no suggestions (a report).
    suggester: object = None
    learning: Learning | None = None  # actions and the archive's analyses (learning.py)


def analysis_figures(cases: pd.DataFrame, calendar: WorkCalendar, today: dt.date,
                     month: pd.Period | str | None = None,
                     lists: dict[str, Vocabulary] | None = None,
                     due_soon_days: int = DUE_SOON_DAYS) -> AnalysisFigures:
    """The pivots as of today and, for a month, its report figures."""
    period = None if month is None else pd.Period(month, freq="M")
    return AnalysisFigures(
        today=today, pivots=pivots(cases, calendar, today, lists),
        month=None if period is None else analyse_month(cases, period, calendar, today, lists,
                                                        due_soon_days=due_soon_days),
        suggester=cases.attrs.get("suggester"))
