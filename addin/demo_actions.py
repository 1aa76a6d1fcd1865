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
    zh = lang.startswith("zh")
    now = pd.Period(today, freq="M")
    met_opened = now - 5
    after = _month_counts(demo, received_col, "Service attitude")
    worst = max(after.get(met_opened + k, 0) for k in (1, 2, 3))
    limit = math.ceil(worst * 1.2) + 2  # above every month after: met

    def day(month: pd.Period, d: int) -> dt.date:
        return dt.date(month.year, month.month, min(d, month.days_in_month))

    header = [names[1] if zh else names[0] for names in ACTION_COLUMNS.values()]
    rows = [
        ["A-001", day(met_opened, 10), "服务态度" if zh else "Service attitude",
         "人员行为" if zh else "Staff conduct", None, None,
         "门店服务礼仪培训与神秘顾客抽查" if zh else "Courtesy training and mystery shopping",
         "王芳" if zh else "Wang Fang", day(met_opened + 1, 15), "已完成" if zh else "Done",
         f"每月不超过{limit}件" if zh else f"≤ {limit} per month"],
        ["A-002", day(now - 6, 8), "交付时效" if zh else "Delivery",
         "物流" if zh else "Logistics", None, None,
         "更换区域快递承运商" if zh else "Change the regional courier",
         "刘强" if zh else "Liu Qiang", day(now - 5, 20), "已完成" if zh else "Done",
         "减少90% 3个月内" if zh else "-90% in 3 months"],
        ["A-003", day(now - 1, 5), "产品质量" if zh else "Product quality",
         "供应商" if zh else "Supplier", None, None,
         "供应商来料抽检比例提高到 10%" if zh else "Raise incoming supplier inspection to 10%",
         "赵敏" if zh else "Zhao Min", day(now - 1, 25), "进行中" if zh else "In progress",
         "减少20% 3个月内" if zh else "-20% in 3 months"],
        ["A-004", day(now - 3, 12), "账务" if zh else "Billing",
         "系统故障" if zh else "System fault", None, None,
         "修复退款重复扣费的系统问题" if zh else "Fix the double-charge fault in refunds",
         "陈静" if zh else "Chen Jing", day(now + 2, 28), "进行中" if zh else "In progress",
         "重复率不超过10%" if zh else "repeat rate ≤ 10%"],
    ]
    return [header, *rows]


def demo_volume_rows(demo: DemoSet, received_col: int, lang: str) -> list[list[object]]:
    """The Volume sheet: orders per month, in proportion to the complaints with a slow fall in
    the complaint rate (orders grow faster than complaints)."""
    zh = lang.startswith("zh")
    counts = _month_counts(demo, received_col)
    header = [names[1] if zh else names[0] for names in VOLUME_COLUMNS.values()]
    months = sorted(counts)
    rows = [[str(m), round(counts[m] * ORDERS_PER_COMPLAINT * (1 + 0.02 * i))]
            for i, m in enumerate(months)]
    return [header, *rows]
