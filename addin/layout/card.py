"""The record card's layout: its sections and the fields in each, as the paper card has them.

One layout for both cards: the Card sheet of the workbook (``addin.workbook.card``) and the
printable HTML card (``reports.summary``), so the two show the same fields in the same order.
Every field of the register is on it but the case number (the card's title), the import's source
reference and the clock state the add-in keeps for itself.
"""

from __future__ import annotations

from addin.core.fields import FIELDS
from addin.core.text import Text

# (kind, ...): "section" (title), "pair" (two fields side by side), "wide" (one field across the
# card, with the lines of text it has room for), "events" (the case's latest events from the
# Case log), "signatures".
LAYOUT: tuple[tuple, ...] = (
    ("section", Text("1. Receipt", "一、受理信息")),
    ("pair", "received_at", "channel"),
    ("pair", "customer_name", "customer_type"),
    ("pair", "phone", "email"),
    ("section", Text("2. Complaint", "二、投诉内容")),
    ("pair", "product", "order_ref"),
    ("wide", "description", 3),
    ("wide", "request", 2),
    ("section", Text("3. Assessment and assignment", "三、评估与分派")),
    ("pair", "category", "severity"),
    ("pair", "urgency", "department"),
    ("pair", "handler", "assigned_at"),
    ("pair", "status", "risk"),
    ("wide", "reject_reason", 1),
    ("pair", "rule", "repeat_of"),
    ("pair", "problem", "part"),
    ("wide", "suggested", 1),
    ("section", Text("4. Deadlines", "四、处理时限")),
    ("pair", "ack_due", "acknowledged_at"),
    ("pair", "investigate_due", "investigated_at"),
    ("pair", "due_at", "resolved_at"),
    ("pair", "sla_status", "days_open"),
    ("section", Text("5. Investigation and resolution", "五、调查与处理")),
    ("wide", "root_cause", 2),
    ("pair", "root_cause_type", "remedy"),
    ("wide", "solution", 2),
    ("pair", "compensation", "approved_by"),
    ("pair", "approved_at", "informed_at"),
    ("wide", "outcome", 2),
    ("section", Text("6. Follow-up and closing", "六、回访与结案")),
    ("pair", "follow_up_due", "follow_up_at"),
    ("pair", "follow_up_method", "follow_up_result"),
    ("pair", "satisfaction", "closed_at"),
    ("wide", "notes", 2),
    ("wide", "check", 2),
    ("events",),
    ("signatures",),
)
# The section the case's latest events from the Case log go under, after the fields.
EVENTS_TITLE = Text("7. Latest events (from the Case log sheet)",
                "七、最近处理记录（摘自“处理记录”工作表）")
# Fields the card leaves out: the title shows the case number; the rest are bookkeeping.
NOT_ON_CARD = ("case_no", "source_ref", "reopened_at", "waiting_since", "paused_days")


def card_sections() -> list[tuple[Text, list[tuple[str, int]]]]:
    """The sections in order: (title, [(field key, lines of text it has room for), ...])."""
    sections: list[tuple[Text, list[tuple[str, int]]]] = []
    for entry in LAYOUT:
        if entry[0] == "section":
            sections.append((entry[1], []))
        elif entry[0] == "pair":
            sections[-1][1].extend((key, 1) for key in entry[1:])
        elif entry[0] == "wide":
            sections[-1][1].append((entry[1], entry[2]))
    return sections


def card_keys() -> list[str]:
    """Every field on the card, in its order."""
    return [key for _, keys in card_sections() for key, _ in keys]


def missing_from_card() -> set[str]:
    """Register fields the card forgets (a test keeps this empty when fields are added)."""
    return {f.key for f in FIELDS} - set(card_keys()) - set(NOT_ON_CARD)
