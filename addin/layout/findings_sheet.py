"""The Findings sheet: one row per finding, errors first, each linked to its cell.

Both doors rebuild the sheet from ``finding_rows``, so they write the same rows in the same order.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from addin.core.fields import BY_KEY
from addin.core.findings import Finding
from addin.core.text import Lang, Text

from .cells import cell_value, link_location, sheet_text

if TYPE_CHECKING:
    from addin.core.pipeline import Outcome

FINDINGS_HEADERS = (
    Text("Cell", "单元格"), Text("Level", "级别"), Text("Code", "代码"), Text("Field", "字段"),
    Text("Value", "值"), Text("Message", "说明"), Text("What to do", "处理建议"),
)
FINDINGS_WIDTHS = (16, 9, 22, 18, 24, 70, 50)
LEVEL_ORDER = {"error": 0, "warning": 1, "info": 2}
LEVEL_LABELS = {
    "error": Text("Error", "错误"), "warning": Text("Warning", "警告"),
    "info": Text("Info", "提示"),
}

FindingRow = tuple[tuple[Any, ...], str | None]  # the row's values and its link target


def finding_rows(outcome: Outcome) -> list[FindingRow]:
    """The sheet's rows from A1 (the header first) with the link of each finding's cell."""
    lang = Lang.of(outcome.lang)
    rows: list[FindingRow] = [(tuple(said.in_(lang) for said in FINDINGS_HEADERS), None)]
    for item in sorted(outcome.findings, key=lambda f: LEVEL_ORDER[f.level]):
        values = (item.cell, LEVEL_LABELS[item.level].in_(lang), item.code,
                  _field_header(outcome, item), shown_value(item.value),
                  item.message(lang), item.fix(lang))
        rows.append((tuple(sheet_text(v) for v in values), link_location(item.cell)))
    return rows


def _field_header(outcome: Outcome, item: Finding) -> str | None:
    if not item.field or item.field not in BY_KEY:
        return None
    return outcome.register.header(item.field)


def shown_value(value: Any) -> str | None:
    """A finding's value as text: the sheet shows what was typed, not a serial number."""
    value = cell_value(value)
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d" if value.time() == dt.time() else "%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
