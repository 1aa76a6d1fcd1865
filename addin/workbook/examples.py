"""Example rows for the new workbook, with the add-in's columns filled by the core itself.

Staff learn the card from a few cases that show each SLA state, a repeat complaint and a cell the
checks flag. Only what staff would type is written here; case numbers, classification, deadlines
and the Check column come from ``addin.core.pipeline.process`` run as of ``EXAMPLE_TODAY`` over the
same Settings, Lists, Rules and Holidays rows the workbook gets, so the examples can never show
something the add-in would not write.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from addin.core.pipeline import Outcome, process
from addin.core.register import Grid, Register
from addin.core.text import Lang, Text
from addin.layout.cells import cell_value

# The day the examples are computed for: a Friday, after all but the last example was received.
EXAMPLE_TODAY = dt.date(2026, 3, 20)


def _at(day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute)


# What staff typed, per example: field key -> a Text, or one value for both languages.
_TYPED: tuple[dict[str, Any], ...] = (
    {  # closed on time
        "received_at": _at(2, 9, 15), "channel": Text("Phone", "电话"),
        "customer_name": Text("Wang Fang", "王芳"), "customer_type": Text("VIP", "VIP客户"),
        "phone": "138 0013 8000", "product": Text("Fridge BCD-520", "冰箱 BCD-520"),
        "order_ref": "SO-2026-01187",
        "description": Text("The fridge is leaking water onto the kitchen floor.",
                            "冰箱漏水，厨房地板被泡。"),
        "request": Text("Fix the leak and pay for the floor.", "尽快解决漏水问题并赔偿地板损失。"),
        "department": Text("After-sales", "售后服务部"), "handler": Text("Li Ming", "李明"),
        "assigned_at": _at(2, 10, 0), "status": Text("Closed", "已结案"),
        "acknowledged_at": _at(2, 14, 0), "investigated_at": _at(3, 15, 0),
        "resolved_at": _at(5, 16, 30),
        "root_cause": Text("Drain pipe cracked in transport.", "运输中排水管破裂。"),
        "root_cause_type": Text("Logistics", "物流"),
        "solution": Text("Engineer replaced the drain pipe on site.", "工程师上门更换排水管。"),
        "remedy": Text("Repair", "维修"),
        "outcome": Text("Repaired free of charge.", "已免费修复。"), "informed_at": _at(5, 17, 0),
        "satisfaction": 5, "follow_up_at": dt.datetime(2026, 3, 9),
        "follow_up_method": Text("Phone", "电话"), "follow_up_result": Text("Satisfied", "满意"),
        "closed_at": _at(9, 11, 0),
    },
    {  # closed late
        "received_at": _at(3, 11, 20), "channel": Text("Web form", "网站"),
        "customer_name": Text("Zhao Lei", "赵磊"), "customer_type": Text("Returning", "老客户"),
        "email": "zhao.lei@example.com", "product": Text("Washing machine", "洗衣机"),
        "order_ref": "SO-2026-01342",
        "description": Text("Delivery is ten days late and nobody tells me when it will arrive.",
                            "发货延迟十天，一直没人告诉我什么时候送到。"),
        "request": Text("Tell me when it will arrive.", "尽快告知送达时间。"),
        "department": Text("Logistics", "物流部"), "handler": Text("Chen Jing", "陈静"),
        "assigned_at": _at(3, 14, 0), "status": Text("Resolved", "已解决"),
        "acknowledged_at": _at(4, 10, 0), "investigated_at": _at(12, 16, 0),
        "resolved_at": _at(19, 15, 0),
        "root_cause": Text("Warehouse stock error.", "仓库库存数据错误。"),
        "root_cause_type": Text("Process or policy", "流程制度"),
        "solution": Text("Shipped from another warehouse; delivery fee refunded.",
                         "改由其他仓库发货，并退还运费。"),
        "remedy": Text("Refund", "退款"), "informed_at": _at(19, 16, 0),
    },
    {  # overdue
        "received_at": _at(12, 10, 5), "channel": Text("Phone", "电话"),
        "customer_name": Text("Sun Yue", "孙悦"), "customer_type": Text("New", "新客户"),
        "phone": "139 0000 1234", "product": Text("Water heater", "热水器"),
        "description": Text("The water heater gave my child an electric shock.",
                            "热水器漏电，孩子被电了一下。"),
        "request": Text("Remove it at once and check it.", "要求立即上门拆除检查。"),
        "handler": Text("Li Ming", "李明"), "assigned_at": _at(12, 10, 30),
        "status": Text("In progress", "处理中"), "acknowledged_at": _at(12, 11, 0),
    },
    {  # due soon
        "received_at": _at(6, 16, 40), "channel": Text("Live chat", "在线客服"),
        "customer_name": Text("Liu Yang", "刘洋"), "customer_type": Text("Returning", "老客户"),
        "phone": "137 1111 2222", "product": Text("Member service", "会员服务"),
        "description": Text("The agent was rude and hung up on me.",
                            "客服态度恶劣，直接挂我电话。"),
        "request": Text("An apology.", "要求道歉。"), "handler": Text("Zhou Min", "周敏"),
        "status": Text("Acknowledged", "已受理"), "acknowledged_at": _at(6, 17, 0),
    },
    {  # on track
        "received_at": _at(19, 9, 30), "channel": Text("Email", "邮件"),
        "customer_name": Text("Huang Ting", "黄婷"), "customer_type": Text("New", "新客户"),
        "email": "huang.ting@example.com", "product": Text("Broadband plan", "宽带套餐"),
        "description": Text("I was charged twice for this month's fee.", "本月月费被重复扣款。"),
        "request": Text("Refund the second charge.", "退还多扣的费用。"),
        "handler": Text("Chen Jing", "陈静"), "status": Text("Acknowledged", "已受理"),
        "acknowledged_at": _at(19, 10, 15),
    },
    {  # a repeat complaint, with an email the checks flag
        "received_at": _at(20, 8, 50), "channel": Text("Phone", "电话"),
        "customer_name": Text("Wang Fang", "王芳"), "customer_type": Text("VIP", "VIP客户"),
        "phone": "138 0013 8000", "email": "wangfang@example",
        "product": Text("Fridge BCD-520", "冰箱 BCD-520"),
        "description": Text("The fridge is leaking again after the repair.",
                            "冰箱维修后又漏水了。"),
        "status": Text("New", "新建"),
    },
)


@dataclass
class Examples:
    """The example rows as they go into the table, and what the core said about them."""

    rows: list[list[Any]]  # one value per header, in the table's column order
    outcome: Outcome


def typed_rows(keys: list[str], lang: Lang) -> list[list[Any]]:
    """The examples as staff typed them, one value per key (None where they typed nothing)."""
    rows = []
    for example in _TYPED:
        row = []
        for key in keys:
            value = example.get(key)
            row.append(value.in_(lang) if isinstance(value, Text) else value)
        rows.append(row)
    return rows


def examples(keys: list[str], headers: list[str], header_row: int, sheet: str,
             grids: dict[str, Grid], lang: Lang) -> Examples:
    """Typed rows completed with what the pipeline writes as of EXAMPLE_TODAY."""
    rows = typed_rows(keys, lang)
    register = Register.from_values(sheet, header_row, 1, headers, rows, lang)
    outcome = process(register, grids, EXAMPLE_TODAY)
    position = {key: i for i, key in enumerate(keys)}
    for key, values in outcome.changes.items():
        for row, value in values.items():
            rows[int(row) - header_row - 1][position[key]] = cell_value(value)
    return Examples(rows, outcome)
