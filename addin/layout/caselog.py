"""The Case log sheet (处理记录) and the hidden Case state sheet: what both doors write.

The Case log takes one row per event and is never rewritten: a run appends the events the core
found since the last known state (``addin.core.caselog``), and rows staff add themselves (event
Note, 跟进记录) stay where they are. The last known state is kept in the hidden Case state sheet,
one row per case under a header in A1, written whole like Counters, so a run of either door
continues where the other stopped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from addin.core.caselog import (
    ESCALATION_NOTES,
    EVENT_NAMES,
    FIRST_STATE_COLUMNS,
    STATE_COLUMNS,
    case_events,
)
from addin.core.fields import BY_KEY, fold
from addin.core.text import Lang

from .cells import cell_value, cell_values, is_blank
from .sheets import CASE_LOG_NAMES

CASE_LOG_HEADERS = {
    Lang.EN: ("Case No", "Time", "Event", "From", "To", "By", "Note"),
    Lang.ZH: ("案件编号", "时间", "事件", "原值", "新值", "操作人", "说明"),
}
CASE_LOG_WIDTHS = (18, 17, 14, 20, 20, 16, 40)
# The event staff give the rows they add themselves.
NOTE_EVENT = EVENT_NAMES["Note"]
# Events whose values are list values, shown in the sheet's language.
_LISTED = {"Status": "status", "Reopened": "status", "Severity": "severity",
           "Escalated": "severity", "Urgency": "urgency"}
_DEADLINE_KEYS = ("ack_due", "due_at", "investigate_due", "follow_up_due")


def case_log_name(lang: Lang | str) -> str:
    return CASE_LOG_NAMES[1] if Lang.of(lang) is Lang.ZH else CASE_LOG_NAMES[0]


def case_log_header(lang: Lang | str) -> tuple[str, ...]:
    return CASE_LOG_HEADERS[Lang.of(lang)]


def find_case_log(names: Iterable[str]) -> str | None:
    """The Case log sheet among ``names``, in either language, as spelt in the workbook."""
    wanted = {fold(n) for n in CASE_LOG_NAMES}
    return next((n for n in names if fold(n) in wanted), None)


def events_written(outcome: Any, written: set[str] | None = None
                   ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The events of a run that writes only the add-in's columns ``written`` (None: all).

    A button that leaves case numbers or deadlines unwritten must not log them: those columns
    keep their last known values (the run that writes them logs the change) and a case without
    a number in the sheet is not created yet. Status and handler are staff's, always current.
    """
    if written is None:
        return outcome.case_events, outcome.case_state
    cases = outcome.cases.copy()
    if "case_no" not in written:
        cases["case_no"] = cases["case_no"].where(~outcome.register.col("case_no").map(is_blank))
    last = outcome.last_state
    known = last.set_index("case_no") if len(last) else None
    for key in ("severity", "urgency", *_DEADLINE_KEYS):
        if key in written or known is None:
            continue
        old = cases["case_no"].map(known[key].to_dict())
        cases[key] = old.where(cases["case_no"].isin(known.index), cases[key])
    events, state, _ = case_events(last, cases, None)
    return events, state


def case_log_rows(events: pd.DataFrame, when: dt.datetime, lang: Lang | str,
                  lists: Any) -> list[tuple[Any, ...]]:
    """The Case log rows for ``events``, stamped ``when``, in the sheet's language."""
    # A column at a time: a first run logs every case of a big register (49,978 Created
    # events: 142-153 ms row by row, 18-21 ms this way).
    lang = Lang.of(lang)
    notes = {BY_KEY[k].header("en"): BY_KEY[k].header(lang) for k in _DEADLINE_KEYS}
    notes |= {said.en: said.in_(lang) for said in ESCALATION_NOTES.values()}
    number, _, event, old, new, by, note = (events[c].tolist() for c in events.columns)
    for i in [i for i, name in enumerate(event) if name in _LISTED]:
        vocabulary = lists[_LISTED[event[i]]]
        old[i], new[i] = (vocabulary.label(v, lang) if isinstance(v, str) else v
                          for v in (old[i], new[i]))
    names = [EVENT_NAMES[name] for name in event] if lang is Lang.ZH else event
    return list(zip(number, [when] * len(number), names, _cells(old), _cells(new), by,
                    [notes.get(n, n) for n in note], strict=True))


def _cell(value: Any) -> Any:
    """Dates as datetimes: every office suite (and xlwings) gives a date cell back as one."""
    kind = type(value)
    if value is None or kind is str:  # nearly every value: settled before any isinstance
        return value
    if kind is dt.date or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return dt.datetime.combine(value, dt.time())
    return cell_value(value)


def state_rows(state: pd.DataFrame) -> list[tuple[Any, ...]]:
    """The Case state sheet's rows from A1: the header, then one row per case."""
    body = state[list(STATE_COLUMNS)].astype(object)
    columns = [_cells(body[key].tolist()) for key in STATE_COLUMNS]
    return [STATE_COLUMNS, *zip(*columns, strict=True)]


def _cells(values: list[Any]) -> list[Any]:
    """``_cell`` of each value of a column: ``cell_values`` when it holds no plain dates (the
    one kind ``_cell`` treats apart)."""
    if any(issubclass(kind, dt.date) and not issubclass(kind, dt.datetime)
           for kind in set(map(type, values))):
        return [_cell(v) for v in values]
    return cell_values(values)


def state_changed(stored: Sequence[Sequence[Any]], state: pd.DataFrame) -> bool:
    """Whether the Case state sheet's rows (as read, padded or not) differ from ``state``."""
    return list(stored_state_rows(stored)) != state_rows(state)


def stored_state_rows(stored: Sequence[Sequence[Any]]) -> tuple[tuple[Any, ...], ...]:
    """The Case state sheet's rows as read, cut or padded to the state's width and without
    empty rows at the bottom: what a run would write, if nothing changed."""
    width = len(STATE_COLUMNS)
    rows = [tuple((list(r) + [None] * width)[:width]) for r in stored]
    while rows and all(v is None for v in rows[-1]):
        rows.pop()
    return tuple(rows)


def state_from_rows(rows: Sequence[Sequence[Any]]) -> pd.DataFrame:
    """The last known state from the Case state sheet's rows (header included, as written).

    Rows without a case number (or a header other than ours: a sheet someone rebuilt by hand)
    are dropped; the worst a damaged state does is log a change twice.
    """
    width = len(STATE_COLUMNS)
    # A state kept before reopenings were counted reads with those columns empty.
    if not rows or tuple(v for v in rows[0][:width] if not is_blank(v)) not in (
            STATE_COLUMNS, FIRST_STATE_COLUMNS):
        return pd.DataFrame(columns=list(STATE_COLUMNS), dtype=object)
    body = [(list(r[:width]) + [None] * width)[:width] for r in rows[1:]]
    body = [[None if is_blank(v) else v for v in r] for r in body if not is_blank(r[0])]
    frame = pd.DataFrame(body, columns=list(STATE_COLUMNS), dtype=object)
    frame["case_no"] = frame["case_no"].map(lambda v: str(v).strip())
    return frame
