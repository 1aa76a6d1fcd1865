"""The Findings sheet: one row per finding, errors first, each linked to its cell.

Both doors rebuild the sheet from ``finding_rows``, so they write the same rows in the same order.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from addin.core.fields import BY_KEY
from addin.core.text import Lang, Text

from .cells import cell_value, link_location, sheet_texts

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
    # Built a column at a time: the 50,000-row demo register's sheet holds 14,377 findings,
    # and a call per cell of its seven columns took a fifth of the sheet's time.
    lang = Lang.of(outcome.lang)
    items = sorted(outcome.findings, key=lambda f: LEVEL_ORDER[f.level])
    levels = {level: said.in_(lang) for level, said in LEVEL_LABELS.items()}
    headers = {key: outcome.register.header(key) for key in {f.field for f in items}
               if key in BY_KEY}
    columns = [[f.cell for f in items], [levels[f.level] for f in items],
               [f.code for f in items], [headers.get(f.field) for f in items],
               [shown_value(f.value) for f in items], [f.message(lang) for f in items],
               [f.fix(lang) for f in items]]
    links = [link_location(f.cell) for f in items]
    header = tuple(said.in_(lang) for said in FINDINGS_HEADERS)
    return [(header, None),
            *zip(zip(*map(sheet_texts, columns), strict=True), links, strict=True)]


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
