"""The case log: what changed on each case between two runs, as events to append.

Given the last known state of every case (what the previous run left: one row per case number)
and this run's cases, ``case_events`` returns the events to append to the Case log sheet and the
new last known state. A case seen for the first time is created (with its number); after that an
event is written for each change of status, handler, severity, urgency or a deadline. A status
going back to one before it (Closed to New) is recorded and flagged as a finding: a case that
comes back should be Reopened, so that its clocks restart. Nothing is written twice: a run with no
change gives no event.

Escalation. The state also counts each case's reopenings (``reopen_counts``: a run that sees a
case enter Reopened, or reopened again since the reopening it knew, adds one), so a case reopened
twice over several runs, by either door, is still known as such on every later run. The first run
that finds a reason to escalate (``escalation`` on the cases: reopened twice, or not satisfied
after a reopening) logs an Escalated event whose note says why, and the state keeps the reason,
so the event is written once. (Overdue past the margin follows the calendar, not a change staff
made: it stays a finding and is not logged.)

Pure: DataFrames in, DataFrames and findings out. The doors decide where the sheet lives.
"""

from __future__ import annotations

import datetime as dt
import itertools
import operator

import numpy as np
import pandas as pd

from .cells import python_datetimes
from .findings import Finding, finding
from .register import Register
from .text import Text

# The last known state a run keeps per case.
STATE_COLUMNS = ("case_no", "status", "handler", "severity", "urgency", "ack_due", "due_at",
                 "investigate_due", "follow_up_due", "reopenings", "escalation")
# The state as the first logging runs kept it: read as a state that has not counted yet.
FIRST_STATE_COLUMNS = STATE_COLUMNS[:9]
EVENT_COLUMNS = ("Case No", "Time", "Event", "From", "To", "By", "Note")
# Field -> event name (English; the door shows the Chinese name from ``EVENT_NAMES``).
_WATCHED = {"status": "Status", "handler": "Handler", "severity": "Severity",
            "urgency": "Urgency", "ack_due": "Deadline", "due_at": "Deadline",
            "investigate_due": "Deadline", "follow_up_due": "Deadline"}
EVENT_NAMES = {"Created": "创建", "Status": "状态变更", "Handler": "处理人变更",
               "Severity": "严重程度变更", "Urgency": "紧急程度变更", "Deadline": "时限变更",
               "Reopened": "重新打开", "Escalated": "升级", "Note": "跟进记录"}
# The process's order, to see a status going backwards (Reopened and Not accepted stand apart).
_ORDER = {"New": 0, "Acknowledged": 1, "Investigating": 2, "In progress": 3,
          "Waiting on customer": 3, "Resolved": 4, "Closed": 5}
BY = "ComplaintRecord"  # who wrote an event the add-in recorded
# Why a case is escalated: the note of its Escalated event (the sheet shows it in its language).
ESCALATION_NOTES = {
    "reopened-twice": Text("Reopened twice", "两次重新打开"),
    "unhappy-after-reopening": Text("Not satisfied after a reopening", "重新打开后客户仍不满意"),
}
_REOPENED = "Reopened"


def case_events(last: pd.DataFrame, cases: pd.DataFrame, when: dt.datetime | None,
                register: Register | None = None) -> tuple[pd.DataFrame, pd.DataFrame,
                                                           list[Finding]]:
    """Events to append, the new last known state and findings for statuses gone backwards.

    ``cases`` has the pipeline's canonical columns (``Outcome.cases``: index = Excel rows);
    rows without a case number are left for a later run. ``when`` may be None for a door
    that stamps the time as it writes.
    """
    before = _state(last).set_index("case_no") if len(last) else None
    if before is not None:
        before = before[~before.index.duplicated()]  # a state edited by hand: its first row
    now = _kept_reasons(_paused(_state(cases), before), before)
    numbers = now["case_no"].to_numpy(dtype=object)
    known = np.zeros(len(now), dtype=bool) if before is None else \
        now["case_no"].isin(before.index).to_numpy()
    old = before.reindex(numbers[known]) if before is not None else None
    # Which watched fields changed, per known case: compared column by column, not row by row.
    news = {key: now[key].to_numpy(dtype=object) for key in _WATCHED}
    olds = {key: np.full(len(now), None, dtype=object) for key in _WATCHED}
    changed = {key: np.zeros(len(now), dtype=bool) for key in _WATCHED}
    for key in _WATCHED if old is not None else ():
        olds[key][known] = old[key].to_numpy(dtype=object)
        changed[key][known] = _changed(olds[key][known], news[key][known])
    notes = _new_reasons(now, old, known)
    events: list[tuple] = []
    findings: list[Finding] = []
    touched = ~known | np.logical_or.reduce([flags for flags in changed.values()]) | \
        np.array([note is not None for note in notes], dtype=bool)
    rows = now.index.to_numpy()
    for at in np.flatnonzero(touched):
        number, note = numbers[at], notes[at]
        if not known[at]:
            events.append((number, when, "Created", None, number, BY, None))
            if note is not None:
                events.append((number, when, "Escalated", None, None, BY, note))
            continue
        events += [_event(number, key, olds[key][at], news[key][at], when, note)
                   for key in _WATCHED if changed[key][at]]
        # Staff escalated as the add-in would: their Severity event carries the reason.
        by_staff = changed["severity"][at] and news["severity"][at] == "Escalated"
        if note is not None and not by_staff:
            events.append((number, when, "Escalated", None, None, BY, note))
    for at in np.flatnonzero(known & changed["status"]):
        if _backwards(olds["status"][at], news["status"][at]) and register is not None:
            row = int(rows[at])
            findings.append(finding("status-backwards", register.cell(row, "status"),
                                    field="status", value=news["status"][at], row=row,
                                    before=olds["status"][at]))
    kept = last[~last["case_no"].isin(now["case_no"])] if len(last) else last
    state = pd.concat([kept, now], ignore_index=True) if len(kept) else now.reset_index(drop=True)
    log = pd.DataFrame(events, columns=list(EVENT_COLUMNS), dtype=object)
    return log.where(log.notna(), None), state, findings


def _state(frame: pd.DataFrame) -> pd.DataFrame:
    """The watched columns of the numbered cases, missing values as None."""
    columns = {key: _objects(frame[key]) if key in frame else None for key in STATE_COLUMNS}
    state = pd.DataFrame(columns, index=frame.index).astype(object)
    state = state.where(state.notna(), None)
    # A number given twice is a finding of its own; the log follows its first row.
    numbered = state[state["case_no"].notna()]
    return numbered[~numbered["case_no"].duplicated()]


def _objects(column: pd.Series) -> pd.Series:
    """Deadlines (datetime64) as the datetimes a door writes, made in C: pandas' Timestamp per
    value cost a sixth of a second on 50,000 cases. Anything else, and times finer than a
    microsecond (a datetime cannot hold them), as they are."""
    dtype = column.dtype
    if isinstance(dtype, np.dtype) and dtype.kind == "M" and \
            np.datetime_data(dtype)[0] in ("D", "h", "m", "s", "ms", "us"):
        return python_datetimes(column)
    return column


def _paused(now: pd.DataFrame, before: pd.DataFrame | None) -> pd.DataFrame:
    """Deadlines of a case still waiting on the customer stay as they were before the wait.

    A paused clock moves its deadlines every day; logging each move would bury the log in
    noise. The status change records the pause, and the deadlines' one event comes when the
    wait ends: from where they stood to where the pause has put them.
    """
    if before is None:
        return now
    was = _looked_up(before["status"], now["case_no"]).to_numpy(dtype=object)
    waiting = now["status"].eq(_WAITING).to_numpy() & (was == _WAITING)
    if not waiting.any():
        return now
    now = now.copy()
    numbers = now["case_no"][waiting]
    for key in _DEADLINE_NOTES:
        column = np.array(now[key], dtype=object)
        kept = np.array(_looked_up(before[key], numbers), dtype=object)
        kept[pd.isna(kept)] = None
        column[waiting] = kept
        now[key] = pd.Series(column, index=now.index, dtype=object)
    return now


_WAITING = "Waiting on customer"


def _event(number: str, key: str, old: object, new: object, when: dt.datetime | None,
           reason: str | None = None) -> tuple:
    """The event for a change of watched field ``key`` of case ``number``; ``reason`` is the
    note of a reason to escalate found this run, carried by a Severity set to Escalated."""
    event, note = _WATCHED[key], _DEADLINE_NOTES.get(key)
    if key == "status" and new == "Reopened":
        event = "Reopened"
    elif key == "severity" and new == "Escalated":
        event, note = "Escalated", reason
    return (number, when, event, _shown(old), _shown(new), BY, note)


def _new_reasons(now: pd.DataFrame, old: pd.DataFrame | None, known: np.ndarray) -> list:
    """Per case, the note of a reason to escalate this run found first (None when there is no
    reason or the last known state had one already)."""
    reasons = now["escalation"].to_numpy(dtype=object)
    had = np.full(len(now), None, dtype=object)
    if old is not None:
        had[known] = old["escalation"].to_numpy(dtype=object)
    return [None if reason is None or before is not None else
            (ESCALATION_NOTES[reason].en if reason in ESCALATION_NOTES else str(reason))
            for reason, before in zip(reasons, had, strict=True)]


def _kept_reasons(now: pd.DataFrame, before: pd.DataFrame | None) -> pd.DataFrame:
    """A reason to escalate, once logged, stays in the state: the event is written once."""
    if before is None or not len(now):
        return now
    kept = _looked_up(before["escalation"], now["case_no"])
    known = kept.notna().to_numpy()
    if not known.any():
        return now
    now = now.copy()
    now.loc[known, "escalation"] = kept[known]
    return now


def reopen_counts(last: pd.DataFrame | None, cases: pd.DataFrame,
                  reopened_before: pd.Series) -> pd.Series:
    """How many times each case has been reopened, counted from the last known state.

    A run adds one when it sees a case enter Reopened (from another status, or first seen so)
    or reopened again since the reopening it knew (``reopened_before``, the Reopened date the
    register held, moved by the clock: the case was resolved and reopened between two runs). A
    case the state does not count yet starts from its Reopened date: 1 when it has one. Without
    a state (a report) only what this run sees is counted.
    """
    status = cases["status"].to_numpy(dtype=object)
    reopened = status == _REOPENED
    had = reopened_before.notna().to_numpy()
    restarted = reopened & had & (cases["reopened_at"] != reopened_before).to_numpy()
    base = had.astype(np.int64)
    entered = reopened & ~had
    if last is not None and len(last):
        known = last.drop_duplicates("case_no").set_index("case_no")
        number = cases["case_no"]
        counted = pd.to_numeric(_looked_up(known["reopenings"], number), errors="coerce")
        seen = number.isin(known.index).to_numpy()
        counted_known = counted.notna().to_numpy()
        base = np.where(counted_known, counted.fillna(0).to_numpy(), base).astype(np.int64)
        was = _looked_up(known["status"], number).to_numpy(dtype=object)
        entered = np.where(seen, reopened & (was != _REOPENED), entered)
    return pd.Series(base + (entered | restarted), index=cases.index, dtype=np.int64)


_DEADLINE_NOTES = {"ack_due": "Acknowledge by", "due_at": "Resolve by",
                   "investigate_due": "Investigate by", "follow_up_due": "Follow up by"}


def _changed(olds: np.ndarray, news: np.ndarray) -> np.ndarray:
    """Whether each pair of values differs, as ``_same`` says."""
    count = len(olds)
    # Equal values of one type are the same value, and so are equal datetimes (one kept as a
    # datetime, the other a Timestamp): the common case, settled in C. _same settles the rest
    # (text up to spaces, a date against a datetime, 6 against 6.0).
    equal = np.fromiter(map(operator.eq, olds, news), dtype=bool, count=count)
    old_types, new_types = list(map(type, olds)), list(map(type, news))
    alike = np.fromiter(map(operator.is_, old_types, new_types), dtype=bool, count=count)
    alike |= _datetimes(olds) & _datetimes(news)
    changed = np.zeros(count, dtype=bool)
    rest = np.flatnonzero(~(equal & alike))
    changed[rest] = [not _same(olds[i], news[i]) for i in rest]
    return changed


def _datetimes(values: np.ndarray) -> np.ndarray:
    return np.fromiter(map(isinstance, values, itertools.repeat(dt.datetime)), dtype=bool,
                       count=len(values))


def _looked_up(known: pd.Series, numbers: pd.Series) -> pd.Series:
    """``numbers.map(known.to_dict())`` (``known`` by case number, one row each), without a
    dictionary of every case: the values as a dictionary's lookup gives them (built from their
    list, so a column of dates becomes Timestamps), NaN where a number is not known."""
    values = pd.Series(known.tolist(), index=known.index)
    return pd.Series(values.reindex(numbers.to_numpy(dtype=object)).to_numpy(),
                     index=numbers.index)


def _same(old: object, new: object) -> bool:
    if old is None or new is None:
        return old is None and new is None
    if isinstance(old, dt.datetime) and isinstance(new, dt.datetime):
        return old == new  # as Timestamps compare (a Timestamp is a datetime): no conversion
    if isinstance(old, dt.date) or isinstance(new, dt.date):
        return pd.Timestamp(old) == pd.Timestamp(new)
    return str(old).strip() == str(new).strip()


def _shown(value: object) -> object:
    if isinstance(value, dt.datetime) and value == pd.Timestamp(value).normalize():
        return value.date()
    return value


def _backwards(old: object, new: object) -> bool:
    return old in _ORDER and new in _ORDER and _ORDER[new] < _ORDER[old]
