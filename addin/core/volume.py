"""The optional Volume sheet (业务量): orders or sales per month, the denominator of the
complaint rate per thousand orders.

Two columns, found by their headers: Month (月份: a date or text such as 2026-03) and Orders
(订单量: a number). Rows that are not a month and a number are reported at their cell.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from .fields import fold
from .findings import Finding, finding
from .register import Grid

VOLUME_COLUMNS: dict[str, tuple[str, ...]] = {
    "month": ("Month", "月份"),
    "orders": ("Orders", "订单量", "Sales", "销量", "订单数"),
}


def read_volume(grid: Grid | None) -> tuple[pd.Series, list[Finding]]:
    """Orders per month (index: pd.Period), and findings about unreadable rows."""
    empty = pd.Series(dtype=float)
    if grid is None or not grid.rows:
        return empty, []
    where = {key: j for j, text in enumerate(grid.rows[0]) for key, names in VOLUME_COLUMNS.items()
             if text is not None and fold(str(text)) in {fold(n) for n in names}}
    if len(where) < 2:
        return empty, []
    orders: dict[pd.Period, float] = {}
    findings: list[Finding] = []
    for i in range(1, len(grid.rows)):
        month, number = grid.value(i, where["month"]), grid.value(i, where["orders"])
        if month in (None, "") and number in (None, ""):
            continue
        period = _month(month)
        if period is None:
            findings.append(finding("action-date-unreadable", grid.ref(i, where["month"]),
                                    value=month, row=grid.first_row + i))
            continue
        try:
            orders[period] = orders.get(period, 0.0) + float(number)
        except (TypeError, ValueError):
            findings.append(finding("volume-not-number", grid.ref(i, where["orders"]),
                                    value=number, row=grid.first_row + i))
    return pd.Series(orders, dtype=float).sort_index(), findings


def _month(value: object) -> pd.Period | None:
    if isinstance(value, dt.date):
        return pd.Period(value, freq="M")
    text = str(value or "").strip().replace("年", "-").replace("月", "").replace("/", "-")
    try:
        return pd.Period(text, freq="M")
    except (ValueError, TypeError):
        return None
