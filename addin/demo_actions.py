"""The demo's improvement actions and business volume: the Actions and Volume sheets' rows.

Four actions, dated from the demo's last day so that each shows a different state in the report:
one done on time that met its target, one late, one done that missed its target (and asks for a
new plan), and one opened last quarter and still open. The targets are set from the demo's own
counts, so the verdicts come out the same whatever day the demo is made on.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter

import pandas as pd

from .core.actions import ACTION_COLUMNS
from .core.text import Text
from .core.volume import VOLUME_COLUMNS
from .demo_data import DemoSet

ORDERS_PER_COMPLAINT = 180  # about 5.5 complaints per thousand orders, as in retail


def _month_counts(demo: DemoSet, received_col: int, category: str | None = None) -> Counter:
    counts: Counter = Counter()
    for row, cat in zip(demo.rows, demo.categories, strict=True):
        day = row[received_col]
        if isinstance(day, dt.datetime | dt.date) and (category is None or cat == category):
            counts[pd.Period(day, freq="M")] += 1
    return counts


def demo_action_rows(demo: DemoSet, received_col: int, today: dt.date, lang: str
                     ) -> list[list[object]]:
    """The Actions sheet: its header row and the four actions, in ``lang``."""
    def said(en: str, zh: str) -> str:
        return Text(en, zh).in_(lang)

    now = pd.Period(today, freq="M")
    met_opened = now - 5
    after = _month_counts(demo, received_col, "Service attitude")
    worst = max(after.get(met_opened + k, 0) for k in (1, 2, 3))
    limit = math.ceil(worst * 1.2) + 2  # above every month after: met

    def day(month: pd.Period, d: int) -> dt.date:
        return dt.date(month.year, month.month, min(d, month.days_in_month))

    header = [Text(*names[:2]).in_(lang) for names in ACTION_COLUMNS.values()]
    rows = [
        ["A-001", day(met_opened, 10), said("Service attitude", "服务态度"),
         said("Staff conduct", "人员行为"), None, None,
         said("Courtesy training and mystery shopping", "门店服务礼仪培训与神秘顾客抽查"),
         said("Wang Fang", "王芳"), day(met_opened + 1, 15), said("Done", "已完成"),
         said(f"≤ {limit} per month", f"每月不超过{limit}件")],
        ["A-002", day(now - 6, 8), said("Delivery", "交付时效"),
         said("Logistics", "物流"), None, None,
         said("Change the regional courier", "更换区域快递承运商"),
         said("Liu Qiang", "刘强"), day(now - 5, 20), said("Done", "已完成"),
         said("-90% in 3 months", "减少90% 3个月内")],
        ["A-003", day(now - 1, 5), said("Product quality", "产品质量"),
         said("Supplier", "供应商"), None, None,
         said("Raise incoming supplier inspection to 10%", "供应商来料抽检比例提高到 10%"),
         said("Zhao Min", "赵敏"), day(now - 1, 25), said("In progress", "进行中"),
         said("-20% in 3 months", "减少20% 3个月内")],
        ["A-004", day(now - 3, 12), said("Billing", "账务"),
         said("System fault", "系统故障"), None, None,
         said("Fix the double-charge fault in refunds", "修复退款重复扣费的系统问题"),
         said("Chen Jing", "陈静"), day(now + 2, 28), said("In progress", "进行中"),
         said("repeat rate ≤ 10%", "重复率不超过10%")],
    ]
    return [header, *rows]


def demo_volume_rows(demo: DemoSet, received_col: int, lang: str) -> list[list[object]]:
    """The Volume sheet: orders per month, in proportion to the complaints with a slow fall in
    the complaint rate (orders grow faster than complaints)."""
    counts = _month_counts(demo, received_col)
    header = [Text(*names[:2]).in_(lang) for names in VOLUME_COLUMNS.values()]
    months = sorted(counts)
    rows = [[str(m), round(counts[m] * ORDERS_PER_COMPLAINT * (1 + 0.02 * i))]
            for i, m in enumerate(months)]
    return [header, *rows]
