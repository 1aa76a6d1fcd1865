"""The card's lists: every value in English and Chinese, either accepted on input.

A value is identified by its English name (the canonical form the core computes with); what is
written back to a sheet is the name in the workbook's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .fields import fold
from .text import Lang, Text

DEFAULT_LISTS: dict[str, tuple[tuple[str, str], ...]] = {
    "channel": (
        ("Phone", "电话"), ("Email", "邮件"), ("Web form", "网站"), ("Social media", "社交媒体"),
        ("Live chat", "在线客服"), ("Walk-in", "到店"), ("Letter", "信函"), ("App", "应用"),
        ("Regulator referral", "监管转办"), ("Suggestion box", "意见箱"), ("Other", "其他"),
    ),
    "customer_type": (("New", "新客户"), ("Returning", "老客户"), ("VIP", "VIP客户")),
    "category": (
        ("Product quality", "产品质量"), ("Service attitude", "服务态度"), ("Delivery", "交付时效"),
        ("Price", "价格"), ("Billing", "账务"), ("After-sales", "售后服务"), ("Other", "其他"),
    ),
    "severity": (
        ("Normal", "普通"), ("Major", "重大"), ("Escalated", "升级"), ("Difficult", "疑难"),
    ),
    "urgency": (("Immediate", "立即处理"), ("Normal", "一般处理"), ("Planned", "计划处理")),
    "status": (
        ("New", "新建"), ("Acknowledged", "已受理"), ("Investigating", "调查中"),
        ("In progress", "处理中"), ("Waiting on customer", "待客户回复"), ("Resolved", "已解决"),
        ("Closed", "已结案"), ("Reopened", "重新打开"), ("Not accepted", "不予受理"),
    ),
    "sla_status": (
        ("On track", "正常"), ("Due soon", "即将到期"), ("Overdue", "已超期"),
        ("Closed on time", "按时结案"), ("Closed late", "超期结案"),
    ),
    "root_cause_type": (
        ("Product defect", "产品缺陷"), ("Supplier", "供应商"), ("Logistics", "物流"),
        ("Staff conduct", "人员行为"), ("Process or policy", "流程制度"),
        ("System fault", "系统故障"), ("Customer misunderstanding", "客户误解"), ("Other", "其他"),
    ),
    "remedy": (
        ("Explanation", "解释说明"), ("Apology", "道歉"), ("Repair", "维修"),
        ("Replacement", "换货"), ("Refund", "退款"), ("Compensation", "赔偿"),
        ("Process fix", "流程改进"), ("None", "无"),
    ),
    "follow_up_method": (
        ("Phone", "电话"), ("Email", "邮件"), ("SMS", "短信"), ("Online survey", "在线问卷"),
        ("Visit", "上门"),
    ),
    "follow_up_result": (
        ("Satisfied", "满意"), ("Partly satisfied", "基本满意"), ("Not satisfied", "不满意"),
        ("Not reached", "未联系上"),
    ),
    # Written by the add-in (several may apply; the Risk cell joins them with "; ").
    "risk": (
        ("Personal safety", "人身安全"), ("Property loss", "财产损失"), ("Legal", "法律"),
        ("Media", "媒体"), ("Regulator", "监管"), ("Repeated contact", "频繁投诉"),
    ),
}

# Statuses with a meaning the rules depend on (canonical names).
DONE_STATUSES = frozenset({"Resolved", "Closed"})
STARTED_STATUSES = frozenset(
    {"Investigating", "In progress", "Waiting on customer", "Resolved", "Closed", "Reopened"})
WAITING = "Waiting on customer"
REOPENED = "Reopened"
# Out of scope or unreasonable, with a reason: the clocks stop and the case is never overdue.
NOT_ACCEPTED = "Not accepted"
# Anonymous complaints come in through this channel, often without a name or a way to reply.
SUGGESTION_BOX = "Suggestion box"
ANONYMOUS_NAMES = ("Anonymous", "匿名")


@dataclass
class Vocabulary:
    """One list: canonical (English) names, their Chinese names and a folded lookup."""

    pairs: list[tuple[str, str]]
    _lookup: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for en, zh in self.pairs:
            self._lookup.setdefault(fold(en), en)
            self._lookup.setdefault(fold(zh), en)

    def canonical(self, value: object) -> str | None:
        """The English name of a value given in either language, None when it is not listed."""
        if value is None:
            return None
        return self._lookup.get(fold(value))

    def label(self, canonical: str, lang: Lang | str) -> str:
        for en, zh in self.pairs:
            if en == canonical:
                return Text(en, zh).in_(lang)
        return canonical

    def names(self, lang: Lang | str) -> list[str]:
        said = Lang.of(lang)
        return [Text(en, zh).in_(said) for en, zh in self.pairs]


def default_lists() -> dict[str, Vocabulary]:
    return {key: Vocabulary(list(pairs)) for key, pairs in DEFAULT_LISTS.items()}
