"""The record card's fields and the tolerant matching of sheet headers to them.

The field list is the contract in docs/record-card.md: every door, report and test speaks of fields
by key, never by header text or column letter.

The order is the card's order (the builder and the doors lay columns out by it). The handling
process's fields sit beside the step they record: Assigned after Handler, the reason a complaint is
not accepted after Status, Investigated between the first reply and the resolution, the cause type
and the remedy (with its compensation and approval) after the free-text cause and solution, the
day the customer was told after the outcome, the follow-up's method and result after its date, and
Closed last. Every one of them is optional: a register without them is checked as before.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal

from .text import Lang, Text

Kind = Literal["text", "datetime", "date", "list", "int", "number"]


@dataclass(frozen=True)
class Field:
    key: str
    en: str
    zh: str
    kind: Kind
    written: bool = False  # True: the add-in writes it, staff do not type it
    aliases: tuple[str, ...] = ()

    def header(self, lang: Lang | str) -> str:
        return Text(self.en, self.zh).in_(lang)


def _f(key, en, zh, kind="text", written=False, aliases=()):
    return Field(key, en, zh, kind, written, tuple(aliases))


FIELDS: tuple[Field, ...] = (
    _f("case_no", "Case No", "案件编号", aliases=("Case number", "Case #", "编号")),
    _f("received_at", "Received", "受理时间", "datetime", aliases=("Date received", "受理日期")),
    _f("channel", "Channel", "投诉渠道", "list"),
    _f("customer_name", "Customer", "客户姓名", aliases=("Customer name", "客户")),
    _f("customer_type", "Customer type", "客户类型", "list"),
    _f("phone", "Phone", "联系电话", aliases=("电话",)),
    _f("email", "Email", "电子邮箱", aliases=("E-mail", "邮箱")),
    _f("product", "Product/Service", "产品/服务", aliases=("Product", "产品")),
    _f("order_ref", "Order No", "订单号", aliases=("Order number",)),
    _f("description", "Complaint", "投诉内容", aliases=("Description",)),
    _f("request", "Customer request", "客户诉求"),
    _f("category", "Category", "投诉类别", "list"),
    _f("severity", "Severity", "严重程度", "list"),
    _f("urgency", "Urgency", "紧急程度", "list"),
    _f("department", "Department", "责任部门"),
    _f("handler", "Handler", "处理人"),
    _f("assigned_at", "Assigned", "分派时间", "datetime"),
    _f("status", "Status", "处理状态", "list"),
    _f("reject_reason", "Reason not accepted", "不予受理原因"),
    _f("acknowledged_at", "Acknowledged", "首次回复时间", "datetime"),
    _f("investigated_at", "Investigated", "调查完成时间", "datetime"),
    _f("resolved_at", "Resolved", "解决时间", "datetime"),
    _f("root_cause", "Root cause", "原因分析"),
    _f("root_cause_type", "Cause type", "原因类别", "list"),
    _f("solution", "Solution", "解决方案"),
    _f("remedy", "Remedy", "处理方式", "list"),
    _f("compensation", "Compensation", "赔偿金额", "number"),
    _f("approved_by", "Approved by", "审批人"),
    _f("approved_at", "Approved", "审批时间", "datetime"),
    _f("outcome", "Outcome", "处理结果"),
    _f("informed_at", "Customer told", "告知结果时间", "datetime"),
    _f("satisfaction", "Satisfaction", "满意度", "int"),
    _f("follow_up_at", "Follow-up", "回访日期", "date"),
    _f("follow_up_method", "Follow-up method", "回访方式", "list"),
    _f("follow_up_result", "Follow-up result", "回访结果", "list"),
    _f("closed_at", "Closed", "结案时间", "datetime"),
    _f("notes", "Notes", "备注"),
    # Extra fields (documented in docs/record-card.md): where an import came from.
    _f("source_ref", "Source ref", "来源编号"),
    # Written by the add-in.
    _f("ack_due", "Acknowledge by", "回复时限", "date", True),
    _f("investigate_due", "Investigate by", "调查时限", "date", True),
    _f("due_at", "Resolve by", "处理时限", "date", True),
    _f("follow_up_due", "Follow up by", "回访时限", "date", True),
    _f("sla_status", "SLA status", "时限状态", "list", True),
    _f("days_open", "Days open", "已处理天数", "int", True),
    _f("rule", "Rule", "匹配规则", "text", True),
    _f("repeat_of", "Repeat of", "重复投诉", "text", True),
    _f("risk", "Risk", "风险提示", "list", True),
    _f("check", "Check", "校验结果", "text", True),
    # Clock state the add-in keeps so that pauses and reopenings survive between runs.
    _f("reopened_at", "Reopened", "重新打开时间", "date", True),
    _f("waiting_since", "Waiting since", "等待开始", "date", True),
    _f("paused_days", "Paused days", "暂停天数", "int", True),
    # Beside the classification, never over it: a category learned from the rows staff
    # classified themselves, with its confidence, and what the text names (docs/extra-fields.md).
    _f("suggested", "Suggested", "建议类别", "text", True),
    _f("problem", "Problem class", "问题类型", "text", True),
    _f("part", "Part", "涉及部件", "text", True),
)

BY_KEY: dict[str, Field] = {f.key: f for f in FIELDS}
TYPED_KEYS = tuple(f.key for f in FIELDS if not f.written)
WRITTEN_KEYS = tuple(f.key for f in FIELDS if f.written)
# Fields whose absence makes the register unusable (reported once, not per row).
REQUIRED_COLUMNS = ("received_at", "channel", "customer_name", "description", "status")


def fold(text: object) -> str:
    """Fold a header or list value so that case, spaces and full-width forms do not matter."""
    s = unicodedata.normalize("NFKC", str(text)).casefold()
    return "".join(s.split())


_HEADER_INDEX: dict[str, str] = {}
for _field in FIELDS:
    for _name in (_field.key, _field.en, _field.zh, *_field.aliases):
        _HEADER_INDEX[fold(_name)] = _field.key


def field_for_header(header: object) -> str | None:
    """The field key a header names, or None for a column that is not on the card."""
    if header is None:
        return None
    return _HEADER_INDEX.get(fold(header))


def match_headers(headers: list[object]) -> dict[str, int]:
    """Map field keys to column positions; the first column wins when a field appears twice."""
    found: dict[str, int] = {}
    for pos, header in enumerate(headers):
        key = field_for_header(header)
        if key is not None and key not in found:
            found[key] = pos
    return found


def guess_language(headers: list[object]) -> str:
    """'zh-CN' when most recognised headers are written in Chinese, else 'en'."""
    zh = en = 0
    for header in headers:
        key = field_for_header(header)
        if key is None:
            continue
        if fold(header) == fold(BY_KEY[key].zh):
            zh += 1
        else:
            en += 1
    return "zh-CN" if zh > en else "en"
