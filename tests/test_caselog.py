"""The case log: events between runs of the pipeline, and none when nothing changed."""

import datetime as dt

import pandas as pd
from test_stages import NEW, register

from addin.core.caselog import EVENT_COLUMNS, STATE_COLUMNS, case_events
from addin.core.pipeline import process

MONDAY = dt.date(2026, 3, 2)
FIRST = dt.datetime(2026, 3, 2, 18, 0)


def run(rows, today):
    reg = register(*rows)
    return reg, process(reg, {}, today)


def events_of(frame):
    return [(e["Case No"], e["Event"], e["From"], e["To"]) for _, e in frame.iterrows()]


def test_two_runs_with_changes_then_a_run_without():
    numbered = {**NEW, "case_no": "TS-202603-0001", "severity": "Normal", "urgency": "Normal"}
    reg, first = run([numbered], MONDAY)
    empty = pd.DataFrame(columns=list(STATE_COLUMNS))
    events, state, findings = case_events(empty, first.cases, FIRST, reg)
    assert list(events.columns) == list(EVENT_COLUMNS)
    assert events_of(events) == [("TS-202603-0001", "Created", None, "TS-202603-0001")]
    assert findings == []

    moved = {**numbered, "status": "In progress", "handler": "Amy",
             "acknowledged_at": "2026-03-02 11:00", "severity": "Escalated"}
    reg, second = run([moved, {**NEW, "case_no": "TS-202603-0002"}], MONDAY)
    events, state, findings = case_events(state, second.cases, FIRST, reg)
    log = [tuple(e) for e in events.itertuples(index=False)]
    by = "ComplaintRecord"
    # Normal/Normal ran on the catch-all calendar clock (3, 10, 15 days); Escalated on working
    # days (1, 3, 5).
    assert log == [
        ("TS-202603-0001", FIRST, "Status", "New", "In progress", by, None),
        ("TS-202603-0001", FIRST, "Handler", None, "Amy", by, None),
        ("TS-202603-0001", FIRST, "Escalated", "Normal", "Escalated", by, None),
        ("TS-202603-0001", FIRST, "Deadline", dt.date(2026, 3, 5), dt.date(2026, 3, 3), by,
         "Acknowledge by"),
        ("TS-202603-0001", FIRST, "Deadline", dt.date(2026, 3, 17), dt.date(2026, 3, 9), by,
         "Resolve by"),
        ("TS-202603-0001", FIRST, "Deadline", dt.date(2026, 3, 12), dt.date(2026, 3, 5), by,
         "Investigate by"),
        ("TS-202603-0002", FIRST, "Created", None, "TS-202603-0002", by, None),
    ]

    reg, third = run([moved, {**NEW, "case_no": "TS-202603-0002"}], MONDAY)
    events, state, findings = case_events(state, third.cases, FIRST, reg)
    assert events.empty and findings == []
    assert sorted(state["case_no"]) == ["TS-202603-0001", "TS-202603-0002"]


def test_a_status_going_backwards_is_logged_and_flagged():
    closed = {**NEW, "case_no": "TS-202603-0001", "status": "Closed"}
    reg, first = run([closed], MONDAY)
    _, state, _ = case_events(pd.DataFrame(columns=list(STATE_COLUMNS)), first.cases, FIRST, reg)
    reg, again = run([{**closed, "status": "New"}], MONDAY)
    events, _, findings = case_events(state, again.cases, FIRST, reg)
    assert ("TS-202603-0001", "Status", "Closed", "New") in events_of(events)
    assert [(f.code, f.cell) for f in findings] == [("status-backwards", "Complaints!K2")]
    assert findings[0].message() == "Status went back from Closed to New since the last run."
    reopened = run([{**closed, "status": "Reopened"}], MONDAY)
    events, _, findings = case_events(state, reopened[1].cases, FIRST, reopened[0])
    assert findings == [] and ("TS-202603-0001", "Reopened", "Closed", "Reopened") in \
        events_of(events)


def test_a_case_still_waiting_keeps_its_deadlines_as_the_state_had_them():
    """Deadlines read back from the state sheet (datetimes, or text typed there) stand while the
    case waits; a case that just started waiting moves them, and a new case is created."""
    kept = dt.datetime(2026, 3, 5, 17, 0)
    last = pd.DataFrame([
        ["A-1", "Waiting on customer", "Amy", "Normal", "Normal", kept, kept, None, None, 0, None],
        ["A-2", "Waiting on customer", "Amy", "Normal", "Normal", "5 March", kept, None, None,
         0, None],
        ["A-3", "In progress", "Amy", "Normal", "Normal", kept, kept, None, None, 0, None],
    ], columns=list(STATE_COLUMNS), dtype=object)
    moved = pd.Timestamp("2026-03-09 17:00")
    now = pd.DataFrame({
        "case_no": ["A-1", "A-2", "A-3", "A-4"],
        "status": ["Waiting on customer"] * 4, "handler": "Amy", "severity": "Normal",
        "urgency": "Normal", "ack_due": [moved] * 4, "due_at": [moved] * 4,
        "investigate_due": pd.NaT, "follow_up_due": pd.NaT, "reopenings": 0,
        "escalation": None}, index=[2, 3, 4, 5])
    events, state, _ = case_events(last, now, FIRST)
    assert events_of(events) == [("A-3", "Status", "In progress", "Waiting on customer"),
                                 ("A-3", "Deadline", kept, moved),
                                 ("A-3", "Deadline", kept, moved),
                                 ("A-4", "Created", None, "A-4")]
    rows = state.set_index("case_no")
    assert rows.loc["A-1", "ack_due"] == kept and rows.loc["A-2", "ack_due"] == "5 March"
    # A column of dates only is read back as Timestamps, as the register's dates are.
    assert rows.loc["A-1", "due_at"] == kept and type(rows.loc["A-1", "due_at"]) is pd.Timestamp
    assert rows.loc["A-3", "ack_due"] == moved and rows.loc["A-4", "due_at"] == moved
    assert rows["investigate_due"].isna().all()
    assert rows["investigate_due"].map(lambda v: v is None).all()


def test_log_rows_show_list_values_events_and_notes_in_the_sheets_language():
    """Each event's row: list values (and only those) in the sheet's language, dates as
    datetimes, deadline and escalation notes translated, staff's own notes as typed."""
    from addin.core.vocab import default_lists
    from addin.layout.caselog import case_log_rows

    due = dt.date(2026, 3, 9)
    events = pd.DataFrame([
        ("TS-1", None, "Created", None, "TS-1", "ComplaintRecord", None),
        ("TS-1", None, "Status", "New", "Resolved", "Li Na", None),
        ("TS-1", None, "Severity", "Normal", "Major", "ComplaintRecord", None),
        ("TS-1", None, "Urgency", "Normal", None, "ComplaintRecord", None),
        ("TS-2", None, "Deadline", None, due, "ComplaintRecord", "Resolve by"),
        ("TS-2", None, "Reopened", "Closed", "Resolved", "Li Na", None),
        ("TS-2", None, "Escalated", "Normal", "Major", "ComplaintRecord", "Reopened twice"),
        ("TS-2", None, "Handler", "Wang", "New", "Li Na", "called back"),
    ], columns=EVENT_COLUMNS, dtype=object)  # as the core gives them
    midnight = dt.datetime(2026, 3, 9)
    zh = case_log_rows(events, FIRST, "zh-CN", default_lists())
    assert zh == [
        ("TS-1", FIRST, "创建", None, "TS-1", "ComplaintRecord", None),
        ("TS-1", FIRST, "状态变更", "新建", "已解决", "Li Na", None),
        ("TS-1", FIRST, "严重程度变更", "普通", "重大", "ComplaintRecord", None),
        ("TS-1", FIRST, "紧急程度变更", "一般处理", None, "ComplaintRecord", None),
        ("TS-2", FIRST, "时限变更", None, midnight, "ComplaintRecord", "处理时限"),
        ("TS-2", FIRST, "重新打开", "已结案", "已解决", "Li Na", None),
        ("TS-2", FIRST, "升级", "普通", "重大", "ComplaintRecord", "两次重新打开"),
        ("TS-2", FIRST, "处理人变更", "Wang", "New", "Li Na", "called back"),  # not a list value
    ]
    en = case_log_rows(events, FIRST, "en", default_lists())
    assert [row[2:5] for row in en] == [
        ("Created", None, "TS-1"), ("Status", "New", "Resolved"), ("Severity", "Normal", "Major"),
        ("Urgency", "Normal", None), ("Deadline", None, midnight),
        ("Reopened", "Closed", "Resolved"), ("Escalated", "Normal", "Major"),
        ("Handler", "Wang", "New")]
    assert case_log_rows(events[:0], FIRST, "en", default_lists()) == []
