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
- Satisfaction covers the cases resolved in the month that have a score.
- The repeat rate is the share of the month's complaints that the pipeline marked as a repeat of
  an earlier one (``repeat_of``); a customer is the same phone number, else email, else name.
- A category is *rising* when its count this month is at least ``min_count``, above the mean of the
  previous ``baseline_months`` months, and a one-sided Poisson test against that mean gives
  p < ``alpha``: a count this high would turn up less than 5 % of the time if nothing had changed.
  A category with no complaints at all in the baseline months rises on ``min_count`` alone.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .calendar import NAT, WorkCalendar, as_days
from .cells import distinct_values, map_distinct
from .vocab import DONE_STATUSES, Vocabulary, default_lists

if TYPE_CHECKING:
    from .learning import Learning

NOT_SET = "Not set"  # the group of rows where a field is empty; translated by the renderers
DIMENSIONS = ("channel", "category", "severity", "urgency", "department", "handler", "status")
_ONE_DAY = np.timedelta64(1, "D")


# ----------------------------------------------------------------------------- prepared arrays

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
        """The earlier of acknowledgement and resolution: the first reply the customer got."""
        ack, res = self.acknowledged, self.resolved
        return np.where(np.isnat(ack) | (~np.isnat(res) & (res < ack)), res, ack)

    @property
    def resolve_due(self) -> np.ndarray:
        """The resolve deadline, except on cases closed without a date (they are never late)."""
        return np.where(self.done_undated, NAT, self.due_at)


def prepare(cases: pd.DataFrame, calendar: WorkCalendar) -> Prepared:
    status = _column(cases, "status").to_numpy(dtype=object)
    done = np.logical_or.reduce([status == name for name in DONE_STATUSES]) if len(status) else (
        np.zeros(0, dtype=bool))
    resolved = _days(cases, "resolved_at")
    received = _days(cases, "received_at")
    done_resolved = np.where(done, resolved, NAT)
    # Counted once here: every month's figures and every breakdown take their rows from it.
    counts, known = calendar.count_days(received, done_resolved)
    acknowledged, ack_due = _days(cases, "acknowledged_at"), _days(cases, "ack_due")
    done_undated, due_at = done & np.isnat(resolved), _days(cases, "due_at")
    ack_on_time, ack_when = final_verdicts(acknowledged, ack_due)
    resolve_on_time, resolve_when = final_verdicts(done_resolved,
                                                   np.where(done_undated, NAT, due_at))
    return Prepared(
        cases=cases, calendar=calendar, received=received,
        acknowledged=acknowledged, resolved=done_resolved, ack_due=ack_due, due_at=due_at,
        done_undated=done_undated,
        months=received.astype("datetime64[M]"), repeat=filled(_column(cases, "repeat_of")),
        days=np.where(known, counts.astype(float), np.nan),
        satisfaction=pd.to_numeric(_column(cases, "satisfaction"), errors="coerce").to_numpy(
            dtype=float, na_value=np.nan),
        ack_on_time=ack_on_time, ack_when=ack_when,
        resolve_on_time=resolve_on_time, resolve_when=resolve_when)


def _column(cases: pd.DataFrame, key: str) -> pd.Series:
    if key in cases:
        return cases[key]
    return pd.Series([None] * len(cases), index=cases.index, dtype=object)


def _days(cases: pd.DataFrame, key: str) -> np.ndarray:
    if key not in cases:
        return np.full(len(cases), NAT)
    return as_days(cases[key])


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


# ----------------------------------------------------------------------------- the month

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
    median_days: float | None = None  # working days to resolve, cases resolved in the month
    p90_days: float | None = None
    satisfaction_mean: float | None = None
    satisfaction_counts: dict[int, int] = field(default_factory=dict)  # score 1-5 -> cases
    repeats: int = 0  # complaints received in the month marked as repeats
    closed_undated: int = 0  # of the month's complaints, closed without a resolved date

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
        median_days=float(np.median(days)) if len(days) else None,
        p90_days=float(np.quantile(days, 0.9)) if len(days) else None,
        satisfaction_mean=float(scores.mean()) if len(scores) else None,
        satisfaction_counts={s: int((scores == s).sum()) for s in range(1, 6)},
        repeats=int((cohort & prep.repeat).sum()),
        closed_undated=int((cohort & prep.done_undated).sum()),
    )


def filled(values: pd.Series) -> np.ndarray:
    """Where a column holds something other than nothing or blank text (vectorised)."""
    text = _text(values)
    return (text.notna() & (text != "")).to_numpy(dtype=bool)


def _text(values: pd.Series) -> pd.Series:
    """Values as trimmed text, missing stays missing (each distinct value trimmed once)."""
    return map_distinct(values.astype(object), _strip)


def _strip(value: object) -> str:
    return str(value).strip()


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


# ----------------------------------------------------------------------------- pivots

def pivots(cases: pd.DataFrame, calendar: WorkCalendar, today: dt.date,
           lists: dict[str, Vocabulary] | None = None) -> dict[str, pd.DataFrame]:
    """The Analysis sheet's tables: category x month, and one breakdown per dimension.

    Breakdown columns: cases, open and overdue (as of today), resolved, resolve on-time rate,
    median working days to resolve, mean satisfaction. List fields keep the order of their list;
    text fields (department, handler) are ordered by the number of cases.
    """
    prep = prepare(cases, calendar)
    tables = {"category_by_month": category_by_month(prep)}
    for key in DIMENSIONS:
        tables[key] = breakdown(prep, key, today, lists)
    return tables


def category_by_month(prep: Prepared, months: list[pd.Period] | None = None) -> pd.DataFrame:
    """Complaints per category (rows) and month received (columns, 'YYYY-MM'), with a Total."""
    known = ~np.isnat(prep.received)
    category = _groups(_column(prep.cases, "category"))[known]
    month = pd.Series(_month_labels(prep.months[known]), index=category.index)
    table = pd.crosstab(category, month)
    if months is not None:
        table = table.reindex(columns=[str(m) for m in months], fill_value=0)
    table = table.sort_index(axis=1)
    table.columns.name, table.index.name = "month", "category"
    table["Total"] = table.sum(axis=1)
    return table.sort_values("Total", ascending=False, kind="stable")


def _month_labels(months: np.ndarray) -> np.ndarray:
    """'YYYY-MM' text of datetime64[M] values, as ``astype(str)`` gives it: written once per
    distinct month and spread, as a register spans a few dozen months over thousands of rows."""
    distinct, where = np.unique(months, return_inverse=True)
    return distinct.astype(str)[where.reshape(months.shape)]


def _groups(values: pd.Series) -> pd.Series:
    """Values as group labels: trimmed text, NOT_SET where empty."""
    text = _text(values)
    return text.where(text.notna() & (text != ""), NOT_SET).astype(object)


def breakdown(prep: Prepared, key: str, today: dt.date,
              lists: dict[str, Vocabulary] | None = None) -> pd.DataFrame:
    as_of = _day(today)
    on_time, late, _ = clock_verdicts(prep.resolved, prep.resolve_due, as_of)
    frame = pd.DataFrame({
        "group": _groups(_column(prep.cases, key)).to_numpy(),
        "cases": 1,
        "open": open_mask(prep, as_of),
        "overdue": overdue_mask(prep, as_of),
        "resolved": ~np.isnat(prep.resolved),
        "on_time": on_time, "late": late,
        "days": prep.days,
        "satisfaction": prep.satisfaction,
    })
    grouped = frame.groupby("group", sort=False)
    table = grouped[["cases", "open", "overdue", "resolved", "on_time", "late"]].sum()
    table["on_time_rate"] = table["on_time"] / (table["on_time"] + table["late"]).replace(0, np.nan)
    table["median_days"] = grouped["days"].median()
    table["satisfaction"] = grouped["satisfaction"].mean()
    table = table.drop(columns=["on_time", "late"]).astype(
        {"cases": int, "open": int, "overdue": int, "resolved": int})
    table.index.name = key
    return _order(table, key, lists)


def _order(table: pd.DataFrame, key: str, lists: dict[str, Vocabulary] | None) -> pd.DataFrame:
    vocab = (lists or default_lists()).get(key)
    by_count = table.sort_values("cases", ascending=False, kind="stable")
    if vocab is None:
        return by_count
    listed = [en for en, _ in vocab.pairs if en in table.index]
    rest = [g for g in by_count.index if g not in set(listed)]
    return table.loc[listed + rest]


# ----------------------------------------------------------------------------- rising categories

def poisson_upper_tail(count: int, mean: float) -> float:
    """P(X >= count) for X ~ Poisson(mean), summed from ``count`` upwards (exact enough here)."""
    if count <= 0:
        return 1.0
    if mean <= 0:
        return 0.0
    if count <= mean:
        # Below the mean the tail is large; take the complement of the short lower sum.
        lower = sum(math.exp(k * math.log(mean) - mean - math.lgamma(k + 1)) for k in range(count))
        return max(0.0, 1.0 - lower)
    total, k = 0.0, count
    while True:
        term = math.exp(k * math.log(mean) - mean - math.lgamma(k + 1))
        total += term
        if term < 1e-17 * max(total, 1e-300) or k > count + 100000:
            return min(1.0, total)
        k += 1


RISING_BASELINE_MONTHS, RISING_MIN_COUNT, RISING_ALPHA = 3, 5, 0.05


def rising_categories(cases: pd.DataFrame, month: pd.Period, *,
                      baseline_months: int = RISING_BASELINE_MONTHS,
                      min_count: int = RISING_MIN_COUNT,
                      alpha: float = RISING_ALPHA) -> pd.DataFrame:
    """Categories that rose significantly against the previous months (rule in the module doc).

    Columns: count (this month), baseline (mean of the previous months), ratio (count/baseline,
    NaN when the baseline is 0), p_value; one row per rising category, most significant first.
    """
    return _rising(_column(cases, "category"), _days(cases, "received_at").astype("datetime64[M]"),
                   month, baseline_months, min_count, alpha)


def _rising(categories: pd.Series, received: np.ndarray, month: pd.Period,
            baseline_months: int = RISING_BASELINE_MONTHS, min_count: int = RISING_MIN_COUNT,
            alpha: float = RISING_ALPHA) -> pd.DataFrame:
    """``rising_categories`` over a category column and the months received (datetime64[M])."""
    start = np.datetime64(str(month - baseline_months), "M")
    current = np.datetime64(str(month), "M")
    window = ~np.isnat(received) & (received >= start) & (received <= current)
    category = _groups(categories[window])
    this = pd.Series(received[window] == current, index=category.index)
    counts = this.groupby(category).sum().astype(int)
    baseline = (~this).groupby(category).sum() / baseline_months
    table = pd.DataFrame({"count": counts, "baseline": baseline})
    table["ratio"] = table["count"] / table["baseline"].replace(0, np.nan)
    table["p_value"] = [poisson_upper_tail(c, b) for c, b in zip(table["count"],
                                                                   table["baseline"], strict=True)]
    rising = (table["count"] >= min_count) & (table["count"] > table["baseline"]) & (
        table["p_value"] < alpha)
    table = table[rising & (table.index != NOT_SET)]
    table.index.name = "category"
    return table.sort_values(["p_value", "count"], ascending=[True, False], kind="stable")


# ----------------------------------------------------------------------------- repeat customers

def customer_keys(cases: pd.DataFrame) -> pd.Series:
    """Who a complaint came from: phone digits, else lower-case email, else the folded name."""
    # Plain arrays and positions: the keys are set in three passes over tens of thousands of rows.
    keys = np.full(len(cases), None, dtype=object)
    digits = _phone_digits(_column(cases, "phone")).to_numpy(dtype=object)
    by_phone = np.fromiter(map(len, digits), dtype=np.intp, count=len(digits)) >= 5
    keys[by_phone] = ["tel:" + d for d in digits[by_phone]]
    rest = ~by_phone
    email = _per_distinct(_column(cases, "email")[rest],
                          lambda email: _plain_text(email).str.lower()).to_numpy(dtype=object)
    _set_keys(keys, rest, "mail:", email)
    # The same folding as header matching: width, case and spaces do not matter.
    name = _per_distinct(_column(cases, "customer_name")[rest], lambda name: _plain_text(
        name).str.normalize("NFKC").str.casefold().str.replace(r"\s+", "", regex=True))
    _set_keys(keys, rest, "name:", name.to_numpy(dtype=object))
    return pd.Series(keys, index=cases.index, dtype=object)


def _set_keys(keys: np.ndarray, rest: np.ndarray, prefix: str, values: np.ndarray) -> None:
    """Key the ``rest`` rows (a mask, one value each) that have a value; they leave ``rest``."""
    given = values != ""
    rows = np.flatnonzero(rest)[given]
    keys[rows] = [prefix + v for v in values[given]]
    rest[rows] = False


def _phone_digits(phone: pd.Series) -> pd.Series:
    """The digits of phone cells ('' where missing), a number read as 1381234.0 without its .0.

    Phones hardly repeat and nearly all are text of digits only: those are their own digits
    (told apart with C-level maps, a Python call per cell costs more than the work), the other
    text goes through a plain loop, and only numbers and odd cells through pandas' conversion.
    """
    cells = phone.to_numpy(dtype=object)
    out = np.full(len(cells), "", dtype=object)  # missing of any kind reads as ''
    text = np.equal(np.fromiter(map(type, cells), dtype=object, count=len(cells)), str)
    texts = cells[text]
    digits_only = np.fromiter(map(str.isdecimal, texts), dtype=bool, count=len(texts))
    texts[~digits_only] = [_text_digits(v) for v in texts[~digits_only]]
    out[text] = texts
    odd = ~text & ~pd.isna(cells)
    if odd.any():
        out[odd] = _plain_text(phone[odd]).map(_text_digits).to_numpy(dtype=object)
    return pd.Series(out, index=phone.index, dtype=object)


_NOT_DIGIT = re.compile(r"\D")


def _text_digits(text: str) -> str:
    """The digits of a phone written as text: trimmed, a trailing '.0' dropped, then digits only.

    The usual separators go first with plain replaces, so the pattern runs only on what is left.
    """
    text = text.strip()
    if text.endswith(".0"):
        text = text[:-2]
    text = text.replace(" ", "").replace("-", "").replace("+", "")
    return text if text.isdecimal() else _NOT_DIGIT.sub("", text)


def _per_distinct(values: pd.Series, transform: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """A cell-by-cell ``transform`` of a column, computed over its distinct values only (a missing
    cell is transformed as None): customers complain more than once."""
    codes, distinct = distinct_values(values)
    answers = transform(pd.Series([*distinct, None], dtype=object)).to_numpy(dtype=object)
    return pd.Series(answers[codes], index=values.index, dtype=object)  # code -1: the last


def _plain_text(values: pd.Series) -> pd.Series:
    """Trimmed text as Python strings, '' where missing (object dtype: quick string ops)."""
    return values.astype(object).where(values.notna(), "").astype(str).str.strip()


def repeat_customers(cases: pd.DataFrame, month: pd.Period) -> pd.DataFrame:
    """Customers behind the month's repeat complaints, most complaints first.

    Columns: customer_name, phone, email (as on their latest case), in_month (their complaints
    received in the month), total (on record), case_nos (the month's case numbers), categories.
    """
    return _repeat_customers(cases, month, _days(cases, "received_at"),
                             filled(_column(cases, "repeat_of")))


def _repeat_customers(cases: pd.DataFrame, month: pd.Period, received: np.ndarray,
                      repeat: np.ndarray) -> pd.DataFrame:
    """``repeat_customers`` with the received days and the repeat mask already at hand."""
    columns = ["customer_name", "phone", "email", "in_month", "total", "case_nos", "categories"]
    first, last = month_bounds(month)
    in_month = ~np.isnat(received) & (received >= first) & (received <= last)
    keys = customer_keys(cases)
    behind = set(keys[in_month & repeat].dropna())
    if not behind:
        return pd.DataFrame(columns=columns).rename_axis("customer")
    mine = keys.isin(behind).to_numpy()
    # A narrow frame of the few rows concerned, walked as plain records.
    frame = pd.DataFrame({key: _column(cases, key)[mine] for key in
                          ("case_no", "customer_name", "phone", "email", "category")})
    frame = frame.assign(_key=keys[mine], _in=in_month[mine], _day=received[mine])
    groups: dict[str, list[dict]] = {}
    for record in frame.sort_values("_day", kind="stable").to_dict("records"):
        groups.setdefault(record["_key"], []).append(record)
    rows = []
    for key, records in groups.items():
        latest, month_rows = records[-1], [r for r in records if r["_in"]]
        rows.append({"customer": key, "customer_name": latest["customer_name"],
                     "phone": latest["phone"], "email": latest["email"],
                     "in_month": len(month_rows), "total": len(records),
                     "case_nos": _texts([r["case_no"] for r in month_rows]),
                     "categories": sorted(set(_texts([r["category"] for r in month_rows])))})
    table = pd.DataFrame(rows, columns=["customer", *columns]).set_index("customer")
    return table.sort_values(["in_month", "total"], ascending=False, kind="stable")


def _texts(values: list) -> list[str]:
    """The filled values of a few rows as text (a plain loop: the rows are few)."""
    return [str(v).strip() for v in values if not pd.isna(v) and str(v).strip()]


# ----------------------------------------------------------------------------- overdue list

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
    the deadline day) or the deadline passed without it (missed). A case closed without a
    resolved date and without a verdict is ``undated``, not pending. Index: the view's key.
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
        done = prep.first_response if view.event == "first_response" else prep.resolved
        # A case closed without a date has an unknown outcome, not a missed one.
        deadline = np.where(prep.done_undated & np.isnat(done), NAT, deadline)
        met, missed, _ = clock_verdicts(done, deadline, day)
        received = ~np.isnat(prep.received) & (prep.received <= day)
        unknown = received & ~met & ~missed
        # Closed without a date will never get a verdict: apart from the cases still pending.
        undated = unknown & prep.done_undated
        rows.append({"view": view.key, "cases": int(received.sum()), "met": int(met.sum()),
                     "missed": int(missed.sum()), "pending": int((unknown & ~undated).sum()),
                     "undated": int(undated.sum()),
                     "rate": _rate(int(met.sum()), int(met.sum() + missed.sum()))})
    return pd.DataFrame(rows).set_index("view")


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


def analyse_month(cases: pd.DataFrame, month: pd.Period, calendar: WorkCalendar,
                  today: dt.date, lists: dict[str, Vocabulary] | None = None,
                  trend_months: int = 12) -> MonthAnalysis:
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
        breakdowns={key: breakdown(month_prep, key, as_of, lists) for key in DIMENSIONS},
        overdue=_overdue_table(prep, as_of),
        repeat_customers=_repeat_customers(cases, month, prep.received, prep.repeat),
        rising=_rising(_column(cases, "category"), prep.months, month),
        regulatory=_regulatory(month_prep, as_of),
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
                     lists: dict[str, Vocabulary] | None = None) -> AnalysisFigures:
    """The pivots as of today and, for a month, its report figures."""
    period = None if month is None else pd.Period(month, freq="M")
    return AnalysisFigures(
        today=today, pivots=pivots(cases, calendar, today, lists),
        month=None if period is None else analyse_month(cases, period, calendar, today, lists),
        suggester=cases.attrs.get("suggester"))
