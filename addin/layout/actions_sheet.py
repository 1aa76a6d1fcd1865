"""The Actions (改进措施) and Volume (业务量) sheets: headers and widths every door and the builder
write, and the target grammar as the Help sheet explains it.

Both sheets belong to staff: a door creates one only when it is missing, and writes nothing on
them but the Actions sheet's Result and Verdict columns.
"""

from __future__ import annotations

from addin.core.actions import ACTION_COLUMNS
from addin.core.register import Grid
from addin.core.text import Lang, Text
from addin.core.volume import VOLUME_COLUMNS

# The header each door writes: the first English and the first Chinese name a sheet may use.
ACTION_HEADERS = {key: Text(*names[:2]) for key, names in ACTION_COLUMNS.items()}
# Column widths in characters, by key: the action itself and the result need room.
ACTION_WIDTHS = {"action_no": 11, "opened": 12, "category": 16, "cause_type": 16, "product": 18,
                 "cases": 20, "action": 40, "owner": 12, "due": 12, "status": 12, "target": 22,
                 "result": 30, "verdict": 12}
ACTION_DATE_KEYS = ("opened", "due")
ACTION_STATUSES = (Text("Planned", "计划中"), Text("In progress", "进行中"), Text("Done", "已完成"),
                   Text("Cancelled", "已取消"))
VOLUME_HEADERS = {key: Text(*names[:2]) for key, names in VOLUME_COLUMNS.items()}
VOLUME_WIDTHS = {"month": 12, "orders": 14}
# The target grammar, one example per form: (the target as typed in English and in Chinese,
# what it means), for the Help sheet and the docs.
TARGET_EXAMPLES = (
    (Text("-20% in 3 months", "减少20% 3个月内"),
     Text("complaints per month in scope fall by a fifth", "范围内每月投诉量下降 20%")),
    (Text("≤ 5 per month", "每月不超过5件"), Text("at most 5 complaints a month", "每月最多 5 件")),
    (Text("< 5 per month", "每月低于5件"),
     Text("fewer than 5 complaints a month", "每月少于 5 件")),
    (Text("reopen rate < 5%", "重开率低于5%"),
     Text("under 5% of the cases reopened", "重新打开的案件低于 5%")),
    (Text("repeat rate ≤ 10%", "重复率不超过10%"),
     Text("at most 10% repeat complaints", "重复投诉不超过 10%")),
)
TARGET_RULE = Text(
    "The months before the month an action was opened are compared with as many whole months "
    "after it (3 unless the target says \"in N months\"); until those are over the verdict is "
    "Too early.",
    "比较措施提出月份之前与之后相同数量的完整月份（默认 3 个月，可写“N个月内”）；"
    "之后的月份未满时评价为“为时尚早”。")


def action_headers(lang: Lang | str) -> list[str]:
    return _headers(ACTION_HEADERS, lang)


def _headers(columns: dict[str, Text], lang: Lang | str) -> list[str]:
    return [said.in_(lang) for said in columns.values()]


def action_widths() -> list[float]:
    return [ACTION_WIDTHS[key] for key in ACTION_HEADERS]


def written_blocks(writes: list[tuple[int, int, object]], old: Grid | None
                   ) -> list[tuple[int, int, list[object], list[object]]]:
    """The Result and Verdict cells to write as one block per column: (first row, column, new
    values, old values), cells in between keeping what they hold. A live door makes one call a
    column, however many actions there are."""
    by_col: dict[int, dict[int, object]] = {}
    for row, col, value in writes:
        by_col.setdefault(col, {})[row] = value
    blocks = []
    for col, cells in sorted(by_col.items()):
        first, last = min(cells), max(cells)
        before = [_held(old, row, col) for row in range(first, last + 1)]
        after = [cells.get(row, before[row - first]) for row in range(first, last + 1)]
        blocks.append((first, col, after, before))
    return blocks


def _held(grid: Grid | None, row: int, col: int) -> object:
    if grid is None:
        return None
    return grid.value(row - grid.first_row, col - grid.first_col)
