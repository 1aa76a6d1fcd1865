"""Rising categories: a one-sided Poisson test of the month's count against the months before."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .calendar import column_days
from .pivots import _groups
from .prepared import NOT_SET, _column


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
    received = column_days(cases, "received_at").astype("datetime64[M]")
    return _rising(_column(cases, "category"), received, month, baseline_months, min_count, alpha)


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
