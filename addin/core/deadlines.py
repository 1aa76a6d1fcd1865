"""Deadlines: when a case must be acknowledged and resolved, and where it stands against them.

Targets. The deadline table on the Settings sheet lists targets in order; a case takes the first
whose severity and urgency match its own ("any" matches everything, including an unclassified
case). A case no target matches takes the *last* target, so the table's last row acts as the
catch-all; without a usable table the presets in ``DEFAULT_DEADLINES`` apply.

Clocks. Working clock: day 1 is the first working day after the received date and the deadline is
the end of the N-th working day (weekends, holidays and make-up working days as the calendar says;
see ``addin.core.calendar``). Calendar clock: the received date plus N days. Deadlines are dates at
midnight meaning "by the end of that day"; the time a complaint came in does not matter.

Reopened cases. The resolve clock restarts at the reopening; the acknowledge clock does not. The
first run that sees status Reopened records today in ``reopened_at`` (and again when the case has
been resolved since the recorded reopening, i.e. it was reopened a second time). ``reopened_at`` is
kept once the case moves on, and the resolve clock runs from it whenever it is after the received
date. A restart clears the paused days, which belonged to the old clock.

Waiting on the customer. That time does not count. The first run that sees status "Waiting on
customer" records today in ``waiting_since``; the first run that sees another status adds the days
from ``waiting_since`` to today (to the resolved date for a case already resolved) to
``paused_days`` and clears ``waiting_since``. Days are counted on the case's own clock: working
days for a working clock, calendar days for a calendar clock. The resolve deadline moves back by
the paused days and, while the case still waits, by the days waited so far. The acknowledge
deadline never moves. Paused days are left blank while there are none. Feeding the output back
in on the same day gives the same output.

SLA status. An open case (any status but Resolved and Closed, including none) is Overdue when today
is past its resolve deadline, or it is unacknowledged and today is past the acknowledge deadline;
Due soon when at most ``due_soon_days`` working days remain to the resolve deadline (or, while
unacknowledged, to the acknowledge deadline); otherwise On track. A resolved or closed case is
Closed on time when resolved on or before its resolve deadline, else Closed late, and has no status
when the resolved date is missing or before the received date (the date-order finding says so). A
case without a received date has no deadlines and no status. Days open counts working days from
received to resolved (to today while open), never below 0, and is blank when the resolved date is
before the received date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .calendar import (
    NAT,
    WorkCalendar,
    as_days,
    covered_years,
    default_calendar,
    holiday_rows,
    parse_holidays,
)
from .dates import before_received
from .fields import fold
from .findings import Finding, finding
from .register import Grid
from .text import Lang, Text
from .vocab import DONE_STATUSES, NOT_ACCEPTED, REOPENED, WAITING, Vocabulary, default_lists

__all__ = [
    "DEFAULT_DEADLINES", "DeadlineTarget", "WorkCalendar", "compute_deadlines", "covered_years",
    "deadline_rows", "default_calendar", "holiday_rows", "parse_deadlines", "parse_holidays",
]

WORKING, CALENDAR = "working", "calendar"


@dataclass(frozen=True)
class DeadlineTarget:
    severity: str | None  # canonical English name, or None for any
    urgency: str | None
    ack_days: int
    resolve_days: int
    clock: str  # "working" or "calendar"
    cell: str = ""  # where the row is on the Settings sheet; empty for a preset
    # The third clock: days to finish the investigation; None (no column or an empty cell) takes
    # two thirds of the resolve days, never less than the acknowledge days.
    investigate_days: int | None = None

    def investigate_within(self) -> int:
        if self.investigate_days is not None:
            return self.investigate_days
        return max(self.ack_days, round(self.resolve_days * 2 / 3))


# Presets, tightest first. Sources (see docs/record-card.md):
# - Immediate: UK FCA DISP 1.5 lets a firm close a complaint with a summary resolution
#   communication by the end of the third business day; 3 working days.
# - Major: China's market regulation complaint rules (市场监督管理投诉举报处理暂行办法) give
#   7 working days to decide on a complaint; 7 working days.
# - Escalated: cases already raised with management or a regulator; between the two above.
# - Difficult: UK FCA DISP 1.6 allows 8 weeks for a final response; 40 working days.
# - Everything else: US CFPB asks companies to respond within 15 calendar days.
# The investigation takes about two thirds of the time to resolve, leaving room to decide and
# carry out the remedy.
DEFAULT_DEADLINES: tuple[DeadlineTarget, ...] = (
    DeadlineTarget(None, "Immediate", 1, 3, WORKING, investigate_days=2),
    DeadlineTarget("Escalated", None, 1, 5, WORKING, investigate_days=3),
    DeadlineTarget("Major", None, 1, 7, WORKING, investigate_days=5),
    DeadlineTarget("Difficult", None, 2, 40, WORKING, investigate_days=27),
    DeadlineTarget(None, None, 3, 15, CALENDAR, investigate_days=10),
)

# ----------------------------------------------------------------------------- the deadline table

_HEADERS: dict[str, tuple[str, ...]] = {
    "severity": ("Severity", "严重程度"),
    "urgency": ("Urgency", "紧急程度"),
    "ack_days": ("Acknowledge within", "回复时限（天）", "Acknowledge within (days)"),
    "investigate_days": ("Investigate within", "调查时限（天）", "Investigate within (days)"),
    "resolve_days": ("Resolve within", "处理时限（天）", "Resolve within (days)"),
    "clock": ("Clock", "计时方式"),
}
_HEADER_KEY = {fold(text): key for key, texts in _HEADERS.items() for text in texts}
_ANY = {fold(word) for word in ("*", "Any", "任意", "全部", "All")}
_ANY_LABEL = Text("Any", "任意")
_CLOCK_WORDS = {
    WORKING: ("working", "working days", "business days", "工作日"),
    CALENDAR: ("calendar", "calendar days", "natural days", "自然日", "日历日"),
}
_CLOCK_BY_WORD = {fold(word): clock for clock, words in _CLOCK_WORDS.items() for word in words}
_CLOCK_LABELS = {WORKING: Text("Working", "工作日"), CALENDAR: Text("Calendar", "自然日")}
_MAX_DAYS = 3650


def deadline_rows(targets: Sequence[DeadlineTarget], lang: str,
                  lists: dict[str, Vocabulary] | None = None) -> list[list]:
    """Header and rows of the deadline table for the Settings sheet, in the sheet's language."""
    lists = lists or default_lists()
    # A column's header is the first English and the first Chinese of the names it accepts.
    rows: list[list] = [[Text(*names[:2]).in_(lang) for names in _HEADERS.values()]]
    for target in targets:
        rows.append([
            _value_label(lists, "severity", target.severity, lang),
            _value_label(lists, "urgency", target.urgency, lang),
            target.ack_days, target.investigate_within(), target.resolve_days,
            _CLOCK_LABELS[target.clock].in_(lang),
        ])
    return rows


def _value_label(lists: dict[str, Vocabulary], key: str, value: str | None,
                 lang: Lang | str) -> str:
    if value is None:
        return _ANY_LABEL.in_(lang)
    return lists[key].label(value, lang) if key in lists else value


def _find_table(grid: Grid) -> tuple[int, dict[str, int]] | None:
    """The header row of the deadline table and its columns, found by the header texts."""
    for i, row in enumerate(grid.rows):
        columns: dict[str, int] = {}
        for j, text in enumerate(row):
            key = _HEADER_KEY.get(fold(text)) if text is not None else None
            if key is not None:
                columns.setdefault(key, j)
        if "ack_days" in columns and "resolve_days" in columns:
            return i, columns
    return None


def parse_deadlines(grid: Grid | None, lists: dict[str, Vocabulary] | None
                    ) -> tuple[list[DeadlineTarget], list[Finding]]:
    """The deadline table on the Settings sheet: its header row, then rows to the first empty one.

    Severity and urgency take a list value in either language, or *, Any, 任意 or nothing for
    any; Clock takes working (工作日) or calendar (自然日) and defaults to working. A row with a
    problem is reported at the cell and ignored. No table gives ([], []): the presets apply.
    """
    if grid is None:
        return [], []
    found = _find_table(grid)
    if found is None:
        return [], []
    header_row, columns = found
    lists = lists or default_lists()
    targets: list[DeadlineTarget] = []
    findings: list[Finding] = []
    for i in range(header_row + 1, len(grid.rows)):
        if all(_blank(grid.value(i, j)) for j in columns.values()):
            break
        target, problems = _target(grid, i, columns, lists)
        findings += problems
        if target is not None:
            targets.append(target)
    return targets, findings


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _target(grid: Grid, i: int, columns: dict[str, int], lists: dict[str, Vocabulary]
            ) -> tuple[DeadlineTarget | None, list[Finding]]:
    problems: list[Finding] = []

    def bad(key: str, value: Any, en: str, zh: str) -> None:
        problems.append(finding("bad-deadline", grid.ref(i, columns[key]), value=value,
                                problem=en, problem_zh=zh))

    def cell(key: str) -> Any:
        return grid.value(i, columns[key]) if key in columns else None

    values: dict[str, Any] = {}
    for key in ("severity", "urgency"):
        values[key] = _list_value(cell(key), lists.get(key))
        if values[key] is False:
            en, zh = _HEADERS[key][:2]
            bad(key, cell(key), f"{cell(key)!r} is not in the {en} list; use one of its values, "
                "or * for any", f"“{cell(key)}”不在“{zh}”列表中，请使用列表中的值，或用 * 表示任意")
    for key in ("ack_days", "resolve_days"):
        values[key] = _days(cell(key))
        en, zh = _HEADERS[key][:2]
        if _blank(cell(key)):
            bad(key, cell(key), f"{en} is empty; give a whole number of days",
                f"“{zh}”为空，请填写天数")
        elif values[key] is None:
            bad(key, cell(key), f"{en} must be a whole number of days from 0 to {_MAX_DAYS}, "
                f"not {cell(key)!r}", f"“{zh}”必须是 0 到 {_MAX_DAYS} 之间的整数，"
                f"而不是“{cell(key)}”")
    values["clock"] = WORKING if _blank(cell("clock")) else _CLOCK_BY_WORD.get(fold(cell("clock")))
    if values["clock"] is None:
        bad("clock", cell("clock"), f"{cell('clock')!r} is not a clock; use working or calendar",
            f"“{cell('clock')}”不是有效的计时方式，请填写 工作日 或 自然日")
    values["investigate_days"] = _days(cell("investigate_days"))
    if values["investigate_days"] is None and not _blank(cell("investigate_days")):
        bad("investigate_days", cell("investigate_days"), "Investigate within must be a whole "
            f"number of days from 0 to {_MAX_DAYS}, not {cell('investigate_days')!r}",
            f"“调查时限（天）”必须是 0 到 {_MAX_DAYS} 之间的整数，"
            f"而不是“{cell('investigate_days')}”")
    if problems:
        return None, problems
    if values["resolve_days"] < values["ack_days"]:
        bad("resolve_days", cell("resolve_days"),
            f"resolve within {values['resolve_days']} days is shorter than acknowledge within "
            f"{values['ack_days']} days", f"处理时限 {values['resolve_days']} 天短于回复时限 "
            f"{values['ack_days']} 天")
        return None, problems
    within = values["investigate_days"]
    if within is not None and not values["ack_days"] <= within <= values["resolve_days"]:
        bad("investigate_days", cell("investigate_days"),
            f"investigate within {values['investigate_days']} days is not between acknowledge "
            f"within {values['ack_days']} and resolve within {values['resolve_days']} days",
            f"调查时限 {values['investigate_days']} 天不在回复时限 {values['ack_days']} 天"
            f"与处理时限 {values['resolve_days']} 天之间")
        return None, problems
    first = min(columns.values())
    return DeadlineTarget(values["severity"], values["urgency"], values["ack_days"],
                          values["resolve_days"], values["clock"], grid.ref(i, first),
                          values["investigate_days"]), problems


def _list_value(value: Any, vocabulary: Vocabulary | None) -> str | None | bool:
    """Canonical value, None for any, False when the value is not in the list."""
    if _blank(value) or fold(value) in _ANY:
        return None
    if vocabulary is None:
        return str(value).strip()
    return vocabulary.canonical(value) or False


def _days(value: Any) -> int | None:
    if isinstance(value, bool) or _blank(value):
        return None
    try:
        number = float(str(value).strip()) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        return None
    if number != int(number) or not 0 <= number <= _MAX_DAYS:
        return None
    return int(number)


# ----------------------------------------------------------------------------- computing deadlines

def compute_deadlines(frame: pd.DataFrame, targets: Sequence[DeadlineTarget],
                      calendar: WorkCalendar | None, due_soon_days: int, today: dt.date,
                      follow_up_days: int = 5) -> pd.DataFrame:
    """Deadlines, SLA status, days open and the clock state of every case (index kept)."""
    calendar = calendar or default_calendar()
    today_day = np.datetime64(pd.Timestamp(today).date(), "D")
    status = _objects(frame, "status")
    # Compared one status at a time: np.isin would sort, and None does not sort with text.
    done = np.logical_or.reduce([status == name for name in DONE_STATUSES])
    stopped = status == NOT_ACCEPTED
    received = _dates(frame, "received_at")
    resolved = _dates(frame, "resolved_at")
    ack_n, investigate_n, resolve_n, working = _match(frame,
                                                      list(targets) or list(DEFAULT_DEADLINES))

    reopened, restarted = _reopen(status, _dates(frame, "reopened_at"), resolved, today_day)
    pause_end = np.where(done & ~np.isnat(resolved), np.minimum(resolved, today_day), today_day)
    waiting_since, paused, waited = _pause(
        status, _dates(frame, "waiting_since"), _paused(frame), pause_end, working, calendar,
        today_day)
    paused[restarted] = 0

    start = np.where(~np.isnat(reopened) & (reopened > received), reopened, received)
    ack_due = _advance(calendar, received, ack_n, working)
    due_at = _advance(calendar, start, resolve_n + paused + waited, working)
    investigate_due = _advance(calendar, start, investigate_n + paused + waited, working)
    follow_up_due = np.where(done, _advance(calendar, resolved, np.full(len(frame), follow_up_days),
                                            np.ones(len(frame), dtype=bool)), NAT)
    acknowledged = _dates(frame, "acknowledged_at")
    sla = _sla(calendar, received, acknowledged, resolved, ack_due, due_at, done, due_soon_days,
               today_day)
    # Resolved before it was received (a date-order finding): neither on time nor late, and
    # no days open to show, until the date is put right.
    unmeasured = stopped | (done & before_received(frame, "resolved_at"))
    sla[unmeasured] = None
    days_open = _days_open(calendar, received, resolved, done, today_day)
    days_open[1][unmeasured] = True
    pending = ~done & ~stopped & np.isnat(_dates(frame, "investigated_at"))
    no_follow_up = done & np.isnat(_dates(frame, "follow_up_at"))
    return pd.DataFrame({
        "ack_due": _stamps(ack_due),
        "investigate_due": _stamps(np.where(stopped, NAT, investigate_due)),
        "due_at": _stamps(due_at),
        "follow_up_due": _stamps(follow_up_due),
        "investigate_state": _step_state(calendar, investigate_due, pending, due_soon_days,
                                         today_day, frame.index),
        "follow_up_state": _step_state(calendar, follow_up_due, no_follow_up, due_soon_days,
                                       today_day, frame.index),
        # object, not pandas' string dtype, so that "no status" stays None rather than NaN
        "sla_status": pd.Series(sla, index=frame.index, dtype=object),
        "days_open": pd.arrays.IntegerArray(*days_open),
        "reopened_at": _stamps(reopened),
        "waiting_since": _stamps(waiting_since),
        "paused_days": pd.arrays.IntegerArray(paused, paused == 0),
    }, index=frame.index)


def _step_state(calendar: WorkCalendar, due: np.ndarray, pending: np.ndarray,
                due_soon_days: int, today: np.datetime64, index: pd.Index) -> pd.Series:
    """Overdue, Due soon or On track for a step still to be done by ``due``; None otherwise."""
    left, _ = calendar.count_days(np.full(len(due), today), due)
    state = np.select([today > due, left <= due_soon_days], ["Overdue", "Due soon"],
                      "On track").astype(object)
    state[~pending | np.isnat(due)] = None
    return pd.Series(state, index=index, dtype=object)


def _objects(frame: pd.DataFrame, key: str) -> np.ndarray:
    if key not in frame:
        return np.full(len(frame), None, dtype=object)
    return frame[key].to_numpy(dtype=object)


def _dates(frame: pd.DataFrame, key: str) -> np.ndarray:
    if key not in frame:
        return np.full(len(frame), NAT)
    return as_days(frame[key])


def _paused(frame: pd.DataFrame) -> np.ndarray:
    if "paused_days" not in frame:
        return np.zeros(len(frame), dtype=np.int64)
    days = pd.to_numeric(frame["paused_days"], errors="coerce").to_numpy(dtype=float,
                                                                         na_value=np.nan)
    return np.clip(np.nan_to_num(np.round(days), nan=0.0), 0, None).astype(np.int64)


def _stamps(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[s]")


def _match(frame: pd.DataFrame, targets: list[DeadlineTarget]
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Acknowledge, investigate and resolve days and the working-clock flag from each case's
    first target."""
    severity, urgency = _objects(frame, "severity"), _objects(frame, "urgency")
    choice = np.full(len(frame), len(targets) - 1)  # unmatched cases take the last target
    open_rows = np.ones(len(frame), dtype=bool)
    for number, target in enumerate(targets):
        hit = open_rows.copy()
        if target.severity is not None:
            hit &= severity == target.severity
        if target.urgency is not None:
            hit &= urgency == target.urgency
        choice[hit] = number
        open_rows &= ~hit
    ack = np.array([t.ack_days for t in targets], dtype=np.int64)[choice]
    investigate = np.array([t.investigate_within() for t in targets], dtype=np.int64)[choice]
    resolve = np.array([t.resolve_days for t in targets], dtype=np.int64)[choice]
    working = np.array([t.clock == WORKING for t in targets])[choice]
    return ack, investigate, resolve, working


def _reopen(status: np.ndarray, reopened: np.ndarray, resolved: np.ndarray, today: np.datetime64
            ) -> tuple[np.ndarray, np.ndarray]:
    """The reopening date of each case, and which cases restart their clock in this run."""
    resolved_since = ~np.isnat(resolved) & (resolved > reopened) & (resolved <= today)
    restarted = (status == REOPENED) & (np.isnat(reopened) | resolved_since)
    return np.where(restarted, today, reopened), restarted


def _pause(status: np.ndarray, since: np.ndarray, paused: np.ndarray, end: np.ndarray,
           working: np.ndarray, calendar: WorkCalendar, today: np.datetime64
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """waiting_since and paused_days after this run, and the days waited so far by waiting cases."""
    waiting = status == WAITING
    since = np.where(waiting & np.isnat(since), today, since)
    ended = ~waiting & ~np.isnat(since)
    paused = paused + np.where(ended, _span(calendar, since, end, working), 0)
    waited = np.where(waiting, _span(calendar, since, np.full(len(since), today), working), 0)
    return np.where(ended, NAT, since), paused, waited


def _span(calendar: WorkCalendar, start: np.ndarray, end: np.ndarray, working: np.ndarray
          ) -> np.ndarray:
    """Days from start to end on each case's own clock; 0 where unknown or negative."""
    counts, known = calendar.count_days(start, end)
    plain = np.where(known, (end - start).astype("timedelta64[D]").astype(np.int64), 0)
    return np.clip(np.where(working, counts, plain), 0, None)


def _advance(calendar: WorkCalendar, start: np.ndarray, days: np.ndarray, working: np.ndarray
             ) -> np.ndarray:
    due = start + days.astype("timedelta64[D]")
    if working.any():
        due[working] = calendar.shift_days(start[working], days[working])
    return due


def _sla(calendar: WorkCalendar, received: np.ndarray, acknowledged: np.ndarray,
         resolved: np.ndarray, ack_due: np.ndarray, due_at: np.ndarray, done: np.ndarray,
         due_soon_days: int, today: np.datetime64) -> np.ndarray:
    todays = np.full(len(received), today)
    unacked = np.isnat(acknowledged)
    overdue = (today > due_at) | (unacked & (today > ack_due))
    left, _ = calendar.count_days(todays, due_at)
    ack_left, _ = calendar.count_days(todays, ack_due)
    soon = (left <= due_soon_days) | (unacked & (ack_left <= due_soon_days))
    state = np.select([overdue, soon], ["Overdue", "Due soon"], "On track").astype(object)
    state[done] = np.where(resolved[done] <= due_at[done], "Closed on time", "Closed late")
    state[np.isnat(received) | (done & np.isnat(resolved))] = None
    return state


def _days_open(calendar: WorkCalendar, received: np.ndarray, resolved: np.ndarray,
               done: np.ndarray, today: np.datetime64) -> tuple[np.ndarray, np.ndarray]:
    """Working days open and the mask of rows where that is unknown (for an Int64 column)."""
    end = np.where(done, resolved, today)
    counts, known = calendar.count_days(received, end)
    return np.clip(counts, 0, None), ~known
