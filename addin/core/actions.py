"""Improvement actions (the Actions sheet, 改进措施) followed month after month.

Staff write an action with what it is about (a category, a cause type, a product and/or listed
cases), an owner, a deadline and a target (``targets.py``). Every run reads the sheet as a Grid,
and for each action:

- it is *open* until its status says done or cancelled, and is shown in every report until then;
- it is *late* when its deadline has passed and it is still open (a finding on its row);
- its *Result* is the target's figure over the ``months`` whole months before the month it was
  opened and over the same number of whole months after it, for the complaints in its scope;
- its *Verdict* is too early until the months after are all over, then met or not met; an
  action that did not meet its target asks for a new plan (a finding on its row).

The add-in writes Result and Verdict (the doors write ``ActionReview.writes``); the rest of the
sheet belongs to staff.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .calendar import as_days
from .cells import map_distinct
from .fields import fold
from .findings import Finding, cell_ref, finding
from .register import Grid
from .targets import Target, parse_target
from .text import Lang, Text
from .vocab import REOPENED, Vocabulary, default_lists

# key -> names a header may have (the first English and the first Chinese are what is written).
ACTION_COLUMNS: dict[str, tuple[str, ...]] = {
    "action_no": ("Action No", "措施编号"),
    "opened": ("Opened", "提出日期", "Month", "月份"),
    "category": ("Category", "投诉类别", "类别"),
    "cause_type": ("Cause type", "原因类别"),
    "product": ("Product/Service", "产品/服务", "Product", "产品"),
    "cases": ("Cases", "关联案件"),
    "action": ("Action", "改进措施", "措施"),
    "owner": ("Owner", "负责人"),
    "due": ("Due", "完成期限"),
    "status": ("Status", "状态"),
    "target": ("Target", "预期目标"),
    "result": ("Result", "实际效果"),
    "verdict": ("Verdict", "评价"),
}
WRITTEN = ("result", "verdict")
DONE_WORDS = {fold(w) for w in ("Done", "Completed", "Closed", "已完成", "完成", "已关闭")}
CANCELLED_WORDS = {fold(w) for w in ("Cancelled", "Canceled", "已取消", "取消")}
VERDICTS = {"met": Text("Met", "达成"), "not_met": Text("Not met", "未达成"),
            "too_early": Text("Too early", "为时尚早")}
METRIC_NAMES = {"complaints": Text("complaints/month", "件/月"),
                "reopen_rate": Text("reopen rate", "重开率"),
                "repeat_rate": Text("repeat rate", "重复率")}
_HEADER_SCAN = 10


@dataclass
class Action:
    """One row of the Actions sheet, with what the run measured."""

    row: int  # the Excel row
    number: str
    opened: dt.date | None
    category: str | None
    cause_type: str | None
    product: str | None
    cases: tuple[str, ...]
    text: str
    owner: str
    due: dt.date | None
    status: str
    target_text: str
    target: Target | None
    done: bool = False
    late: bool = False
    before: float | None = None
    after: float | None = None
    verdict: str | None = None  # "met", "not_met", "too_early" or None (nothing to measure)

    def result_text(self, lang: Lang | str) -> str:
        """'12.0 → 8.3 complaints/month (-30.8%)', or the figure before while too early."""
        if self.before is None and self.after is None:
            return ""
        metric = self.target.metric if self.target else "complaints"
        unit = METRIC_NAMES[metric].in_(Lang.of(lang))
        show = _percent if metric != "complaints" else _count
        if self.verdict == "too_early" or self.after is None:
            return f"{show(self.before)} → … {unit}"
        text = f"{show(self.before)} → {show(self.after)} {unit}"
        if metric == "complaints" and self.before:
            text += f" ({(self.after - self.before) / self.before * 100:+.1f}%)"
        return text

    def verdict_text(self, lang: Lang | str) -> str:
        return VERDICTS[self.verdict].in_(Lang.of(lang)) if self.verdict else ""


@dataclass
class ActionReview:
    """The actions of a workbook and what the doors write back (Excel row, column, value)."""

    sheet: str | None = None
    actions: list[Action] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    writes: list[tuple[int, int, object]] = field(default_factory=list)

    @property
    def open(self) -> list[Action]:
        return [a for a in self.actions if not a.done]

    @property
    def late(self) -> list[Action]:
        return [a for a in self.actions if a.late]


def _count(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.1f}%"


# ----------------------------------------------------------------------------- reading the sheet

def header_columns(grid: Grid) -> tuple[int, dict[str, int]] | None:
    """The header row's index in the grid and each column's index, found by its names."""
    for i, row in enumerate(grid.rows[:_HEADER_SCAN]):
        where: dict[str, int] = {}
        for j, text in enumerate(row):
            for key, names in ACTION_COLUMNS.items():
                if text is not None and fold(str(text)) in {fold(n) for n in names}:
                    where.setdefault(key, j)
        if "action" in where:
            return i, where
    return None


def review_actions(grid: Grid | None, cases: pd.DataFrame, today: dt.date, lang: Lang | str,
                   lists: dict[str, Vocabulary] | None = None) -> ActionReview:
    """Read, measure and judge every action; findings point at the Actions sheet's cells."""
    if grid is None or not grid.rows:
        return ActionReview()
    found = header_columns(grid)
    if found is None:
        return ActionReview(grid.sheet)
    top, where = found
    review = ActionReview(grid.sheet)
    lists = lists or default_lists()
    scope = _ScopeData(cases)
    for i in range(top + 1, len(grid.rows)):
        action = _read_row(grid, i, where, lists, review.findings)
        if action is None:
            continue
        _judge(action, scope, today, grid, where, review.findings)
        review.actions.append(action)
    review.writes = _writes(grid, top, where, review.actions, lang)
    return review


def _read_row(grid: Grid, i: int, where: dict[str, int], lists: dict[str, Vocabulary],
              findings: list[Finding]) -> Action | None:
    def cell(key: str) -> object:
        return grid.value(i, where[key]) if key in where else None

    text = _text(cell("action"))
    if not text:
        return None
    row = grid.first_row + i
    target_text = _text(cell("target"))
    target = parse_target(target_text) if target_text else None
    if target_text and target is None:
        findings.append(finding("action-target-unreadable", grid.ref(i, where["target"]),
                                value=target_text, row=row))
    status = _text(cell("status"))
    return Action(
        row=row, number=_text(cell("action_no")) or str(row),
        opened=_date(cell("opened"), grid, i, where.get("opened"), findings),
        category=_canonical(cell("category"), lists.get("category")),
        cause_type=_canonical(cell("cause_type"), lists.get("root_cause_type")),
        product=_text(cell("product")) or None,
        cases=tuple(c for c in _split(cell("cases"))), text=text, owner=_text(cell("owner")),
        due=_date(cell("due"), grid, i, where.get("due"), findings), status=status,
        target_text=target_text, target=target,
        done=fold(status) in DONE_WORDS | CANCELLED_WORDS)


def _each_distinct(values: np.ndarray, fn) -> np.ndarray:
    """``fn`` of each value, called once per distinct value (missing ones as None)."""
    done = map_distinct(pd.Series(values, dtype=object), fn).to_numpy(dtype=object, copy=True)
    done[pd.isna(done)] = fn(None)
    return done


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return str(value).strip()


def _split(value: object) -> list[str]:
    text = _text(value)
    for sep in ("，", "、", ";", "；", "\n", " "):
        text = text.replace(sep, ",")
    return [part.strip() for part in text.split(",") if part.strip()]


def _canonical(value: object, vocab: Vocabulary | None) -> str | None:
    text = _text(value)
    if not text:
        return None
    return (vocab.canonical(text) if vocab is not None else None) or text


def _date(value: object, grid: Grid, i: int, j: int | None, findings: list[Finding]
          ) -> dt.date | None:
    """A date cell (a date, or text such as 2026-03 or 2026年3月); a finding when unreadable."""
    if j is None or not _text(value):
        return None
    if isinstance(value, dt.datetime | dt.date):
        return value.date() if isinstance(value, dt.datetime) else value
    text = _text(value).replace("年", "-").replace("月", "-").replace("日", "").replace("/", "-")
    try:
        return pd.Timestamp(text.strip("-")).date()
    except (ValueError, TypeError):
        findings.append(finding("action-date-unreadable", grid.ref(i, j), value=_text(value),
                                row=grid.first_row + i))
        return None


# ----------------------------------------------------------------------------- measuring

class _ScopeData:
    """The few columns of the cases an action's figures need, read once."""

    def __init__(self, cases: pd.DataFrame):
        def column(key: str) -> np.ndarray:
            if key not in cases:
                return np.full(len(cases), None, dtype=object)
            return cases[key].to_numpy(dtype=object)

        self.months = (as_days(cases["received_at"]) if "received_at" in cases
                       else np.full(len(cases), np.datetime64("NaT"), "datetime64[D]")
                       ).astype("datetime64[M]")
        self.category, self.cause = column("category"), column("root_cause_type")
        # Each distinct value worked out once: products and repeats are a few values each.
        self.product = _each_distinct(column("product"), lambda v: fold(_text(v)))
        self.case_no = _each_distinct(column("case_no"), _text)
        reopened = column("reopened_at")
        self.reopened = (column("status") == REOPENED) | ~pd.isna(reopened)
        self.repeat = _each_distinct(column("repeat_of"), lambda v: bool(_text(v))).astype(bool)

    def scope(self, action: Action) -> np.ndarray:
        """The complaints an action is about: every link it names narrows the scope; listed
        cases stand for their category (the complaints like them), unless one is named."""
        keep = np.ones(len(self.months), dtype=bool)
        category = action.category
        if action.cases and category is None:
            linked = np.isin(self.case_no, action.cases)
            categories = {c for c in self.category[linked] if c}
            keep &= np.isin(self.category, list(categories)) if categories else linked
        if category:
            keep &= self.category == category
        if action.cause_type:
            keep &= self.cause == action.cause_type
        if action.product:
            keep &= self.product == fold(action.product)
        return keep

    def figure(self, keep: np.ndarray, first: pd.Period, months: int, metric: str
               ) -> float | None:
        lo, hi = np.datetime64(str(first), "M"), np.datetime64(str(first + months - 1), "M")
        rows = keep & ~np.isnat(self.months) & (self.months >= lo) & (self.months <= hi)
        if metric == "complaints":
            return float(rows.sum()) / months
        if not rows.any():
            return None
        flags = self.reopened if metric == "reopen_rate" else self.repeat
        return float(flags[rows].mean())


def _judge(action: Action, scope: _ScopeData, today: dt.date, grid: Grid,
           where: dict[str, int], findings: list[Finding]) -> None:
    cell = cell_ref(grid.sheet, action.row, grid.first_col + where["action"])
    if action.due is not None and not action.done and today > action.due:
        action.late = True
        findings.append(finding("action-late", cell, value=action.text, row=action.row,
                                due=action.due.isoformat(), owner=action.owner or "–"))
    if action.opened is None:
        return
    target = action.target
    months = target.months if target else 3
    metric = target.metric if target else "complaints"
    opened = pd.Period(action.opened, freq="M")
    keep = scope.scope(action)
    action.before = scope.figure(keep, opened - months, months, metric)
    if pd.Period(today, freq="M") <= opened + months:
        action.verdict = "too_early" if target else None
        return
    action.after = scope.figure(keep, opened + 1, months, metric)
    if target is None or action.after is None:
        return
    met = target.met_by(action.before, action.after)
    action.verdict = None if met is None else "met" if met else "not_met"
    if action.verdict == "not_met":
        findings.append(finding("action-not-met", cell, value=action.text, row=action.row,
                                target=action.target_text, result=action.result_text(Lang.EN),
                                result_zh=action.result_text(Lang.ZH)))


def _writes(grid: Grid, top: int, where: dict[str, int], actions: list[Action],
            lang: Lang | str) -> list[tuple[int, int, object]]:
    """The Result and Verdict cells that change (and their headers when the sheet lacks them)."""
    width = max((len(r) for r in grid.rows[:top + 1]), default=0)
    cols = dict(where)
    writes: list[tuple[int, int, object]] = []
    for key in WRITTEN:
        if key not in cols:
            cols[key], width = width, width + 1
            names = ACTION_COLUMNS[key]
            writes.append((grid.first_row + top, grid.first_col + cols[key],
                           names[1] if Lang.of(lang) is Lang.ZH else names[0]))
    for action in actions:
        i = action.row - grid.first_row
        for key, value in (("result", action.result_text(lang)),
                           ("verdict", action.verdict_text(lang))):
            if _text(grid.value(i, cols[key])) != value:
                writes.append((action.row, grid.first_col + cols[key], value or None))
    return writes
