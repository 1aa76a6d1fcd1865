"""The pivots: category by month and the breakdowns by channel, category, severity, ..."""

from __future__ import annotations

import datetime as dt
import itertools

import numpy as np
import pandas as pd

from .calendar import WorkCalendar
from .cells import distinct_values
from .prepared import (
    DIMENSIONS,
    NOT_SET,
    Prepared,
    _column,
    _day,
    clock_verdicts,
    open_mask,
    overdue_mask,
    prepare,
)
from .vocab import Vocabulary, default_lists


def pivots(cases: pd.DataFrame, calendar: WorkCalendar, today: dt.date,
           lists: dict[str, Vocabulary] | None = None) -> dict[str, pd.DataFrame]:
    """The Analysis sheet's tables: category x month, and one breakdown per dimension.

    Breakdown columns: cases, open and overdue (as of today), resolved, resolve on-time rate,
    median working days to resolve, mean satisfaction. List fields keep the order of their list;
    text fields (department, handler) are ordered by the number of cases.
    """
    prep = prepare(cases, calendar)
    return {"category_by_month": category_by_month(prep), **breakdowns(prep, DIMENSIONS, today,
                                                                       lists)}


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
    # Each distinct value labelled once, and NOT_SET (last) where the cell is missing.
    codes, distinct = distinct_values(values.astype(object))
    labels = np.fromiter(itertools.chain((str(v).strip() or NOT_SET for v in distinct),
                                         [NOT_SET]), dtype=object, count=len(distinct) + 1)
    return pd.Series(labels[codes], index=values.index, dtype=object)


def breakdown(prep: Prepared, key: str, today: dt.date,
              lists: dict[str, Vocabulary] | None = None) -> pd.DataFrame:
    return breakdowns(prep, (key,), today, lists)[key]


def breakdowns(prep: Prepared, keys: tuple[str, ...], today: dt.date,
               lists: dict[str, Vocabulary] | None = None) -> dict[str, pd.DataFrame]:
    """``breakdown`` by each of several fields: the clocks are read once for all of them."""
    as_of = _day(today)
    on_time, late, _ = clock_verdicts(prep.resolved, prep.resolve_due, as_of)
    frame = pd.DataFrame({
        "cases": 1,
        "open": open_mask(prep, as_of),
        "overdue": overdue_mask(prep, as_of),
        "resolved": ~np.isnat(prep.resolved),
        "on_time": on_time, "late": late,
        "days": prep.days,
        "satisfaction": prep.satisfaction,
    })
    return {key: _breakdown(frame, _groups(_column(prep.cases, key)).to_numpy(), key, lists)
            for key in keys}


def _breakdown(frame: pd.DataFrame, group: np.ndarray, key: str,
               lists: dict[str, Vocabulary] | None) -> pd.DataFrame:
    grouped = frame.groupby(group, sort=False)
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
