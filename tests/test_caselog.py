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
