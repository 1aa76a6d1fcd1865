"""Deadline targets, the deadline table on the Settings sheet, and the clocks of each case.

Dates are hand-counted on China's calendar: 2025 National Day is 1-8 October with Sunday 28
September and Saturday 11 October worked; 2026 Spring Festival is 15-23 February with Saturdays
14 and 28 February worked.
"""

import dataclasses
import datetime as dt

import numpy as np
import pandas as pd
import pytest

from addin.core.calendar import default_calendar
from addin.core.deadlines import (
    DEFAULT_DEADLINES,
    DeadlineTarget,
    compute_deadlines,
    deadline_rows,
    parse_deadlines,
)
from addin.core.register import Grid
from addin.core.vocab import Vocabulary, default_lists

D = dt.date
T = pd.Timestamp
NAT = pd.NaT
WORK_1_3 = DeadlineTarget(None, None, 1, 3, "working")
CAL_2_15 = DeadlineTarget(None, None, 2, 15, "calendar")
DATE_KEYS = ("received_at", "acknowledged_at", "resolved_at", "reopened_at", "waiting_since")
CLOCK_STATE = ("reopened_at", "waiting_since", "paused_days")


@pytest.fixture
def china():
    return default_calendar()


def cases(*rows: dict) -> pd.DataFrame:
    """A clock-input frame; index = Excel rows from 2, as the pipeline hands it over."""
    blank = {"received_at": None, "acknowledged_at": None, "resolved_at": None, "severity": None,
             "urgency": None, "status": "New", "reopened_at": None, "waiting_since": None,
             "paused_days": None}
    frame = pd.DataFrame([blank | row for row in rows], index=range(2, 2 + len(rows)))
    for key in DATE_KEYS:
        frame[key] = pd.to_datetime(frame[key], format="mixed")
    frame["paused_days"] = pd.to_numeric(frame["paused_days"]).astype(float)
    return frame


def run(frame, today, targets=(WORK_1_3,), calendar=None, due_soon_days=1):
    return compute_deadlines(frame, list(targets), calendar or default_calendar(), due_soon_days,
                             today)


def fed_back(frame: pd.DataFrame, out: pd.DataFrame, **changes) -> pd.DataFrame:
    """The next run's input: the clock state the add-in wrote, plus what staff changed."""
    again = frame.copy()
    for key in CLOCK_STATE:
        again[key] = out[key].astype(float) if key == "paused_days" else out[key]
    for key, value in changes.items():
        again[key] = pd.to_datetime(value) if key.endswith("_at") else value
    return again


# ----------------------------------------------------------------------------- presets

def test_presets_cover_every_severity_and_urgency_and_end_with_a_catch_all():
    lists = default_lists()
    assert DEFAULT_DEADLINES[-1].severity is None and DEFAULT_DEADLINES[-1].urgency is None
    for target in DEFAULT_DEADLINES:
        assert target.severity is None or lists["severity"].canonical(target.severity)
        assert target.urgency is None or lists["urgency"].canonical(target.urgency)
        assert target.clock in {"working", "calendar"}
        assert 0 < target.ack_days <= target.resolve_days


@pytest.mark.parametrize(("severity", "urgency", "ack_due", "due_at"), [
    ("Normal", "Immediate", "2025-09-28", "2025-09-30"),     # 1/3 working
    ("Escalated", "Immediate", "2025-09-28", "2025-09-30"),  # Immediate is listed first
    ("Escalated", "Normal", "2025-09-28", "2025-10-10"),     # 1/5 working
    ("Major", "Planned", "2025-09-28", "2025-10-13"),        # 1/7 working, Sat 10/11 counts
    ("Difficult", "Normal", "2025-09-29", "2025-11-27"),     # 2/40 working
    ("Normal", "Normal", "2025-09-29", "2025-10-11"),        # 3/15 calendar
    ("Normal", "Planned", "2025-09-29", "2025-10-11"),
    (None, None, "2025-09-29", "2025-10-11"),                # unclassified: the catch-all
])
def test_presets_pick_the_first_matching_target(severity, urgency, ack_due, due_at):
    frame = cases({"received_at": "2025-09-26 16:45", "severity": severity, "urgency": urgency})
    out = run(frame, D(2025, 9, 26), DEFAULT_DEADLINES)
    assert (out.at[2, "ack_due"], out.at[2, "due_at"]) == (T(ack_due), T(due_at))


def test_a_case_no_target_matches_takes_the_last_target():
    targets = [DeadlineTarget("Major", None, 1, 7, "working"),
               DeadlineTarget("Normal", "Planned", 2, 10, "calendar")]
    frame = cases({"received_at": "2025-09-26", "severity": "Difficult", "urgency": "Normal"})
    out = run(frame, D(2025, 9, 26), targets)
    assert (out.at[2, "ack_due"], out.at[2, "due_at"]) == (T("2025-09-28"), T("2025-10-06"))


def test_no_targets_at_all_falls_back_to_the_presets():
    frame = cases({"received_at": "2025-09-26", "severity": "Major"})
    out = run(frame, D(2025, 9, 26), targets=())
    assert out.at[2, "due_at"] == T("2025-10-13")


# ----------------------------------------------------------------------------- clocks

@pytest.mark.parametrize(("received", "target", "ack_due", "due_at"), [
    ("2025-09-30 09:10", WORK_1_3, "2025-10-09", "2025-10-11"),  # over National Day
    ("2025-09-26", WORK_1_3, "2025-09-28", "2025-09-30"),        # make-up Sunday is day 1
    ("2025-12-31", WORK_1_3, "2026-01-04", "2026-01-06"),        # New Year, make-up Sunday
    ("2026-02-13", WORK_1_3, "2026-02-14", "2026-02-25"),        # over Spring Festival
    ("2025-09-30 09:10", CAL_2_15, "2025-10-02", "2025-10-15"),  # holidays count
    ("2026-02-13", CAL_2_15, "2026-02-15", "2026-02-28"),
])
def test_working_and_calendar_clocks(received, target, ack_due, due_at):
    out = run(cases({"received_at": received}), D(2025, 9, 1), [target])
    assert (out.at[2, "ack_due"], out.at[2, "due_at"]) == (T(ack_due), T(due_at))


def test_output_columns_and_types():
    out = run(cases({"received_at": "2025-09-30"}), D(2025, 10, 9))
    assert list(out.columns) == ["ack_due", "investigate_due", "due_at", "follow_up_due",
                                 "investigate_state", "follow_up_state", "sla_status",
                                 "days_open", "reopened_at", "waiting_since", "paused_days"]
    assert out.index.tolist() == [2]
    for key in ("ack_due", "investigate_due", "due_at", "follow_up_due", "reopened_at",
                "waiting_since"):
        assert pd.api.types.is_datetime64_dtype(out[key]), key
    assert str(out["days_open"].dtype) == "Int64"
    assert str(out["paused_days"].dtype) == "Int64"
    assert out["sla_status"].dtype == object


def test_a_case_without_a_received_date_has_no_deadlines():
    frame = cases({"received_at": None, "status": "Waiting on customer"},
                  {"received_at": None, "status": "Closed", "resolved_at": "2025-10-09"},
                  {"received_at": "2025-09-30", "status": "New"})
    out = run(frame, D(2025, 10, 9))
    assert out["ack_due"].tolist() == [NAT, NAT, T("2025-10-09")]
    assert out["due_at"].tolist() == [NAT, NAT, T("2025-10-11")]
    assert out["sla_status"].tolist() == [None, None, "Due soon"]
    assert out["days_open"].tolist() == [pd.NA, pd.NA, 1]
    # The pause is still recorded, so the clock is right once the date is filled in.
    assert out["waiting_since"].tolist() == [T("2025-10-09"), NAT, NAT]


# ----------------------------------------------------------------------------- SLA status

@pytest.mark.parametrize(("situation", "today", "expected"), [
    ({"acknowledged_at": "2025-09-26"}, D(2025, 9, 26), "On track"),  # 3 working days left
    ({"acknowledged_at": "2025-09-26"}, D(2025, 9, 29), "Due soon"),  # 1 left
    ({"acknowledged_at": "2025-09-26"}, D(2025, 9, 30), "Due soon"),  # due today
    ({"acknowledged_at": "2025-09-26"}, D(2025, 10, 1), "Overdue"),   # a holiday, still late
    ({}, D(2025, 9, 26), "Due soon"),                                 # reply due on Sun 9/28
    ({}, D(2025, 9, 29), "Overdue"),                                  # never acknowledged
    ({"status": None, "acknowledged_at": "2025-09-26"}, D(2025, 9, 26), "On track"),
    ({"status": "Resolved", "resolved_at": "2025-09-30 18:00"}, D(2025, 10, 9), "Closed on time"),
    ({"status": "Closed", "resolved_at": "2025-10-09"}, D(2025, 10, 9), "Closed late"),
    ({"status": "Closed", "resolved_at": None}, D(2025, 10, 9), None),
    ({"status": "Resolved", "resolved_at": "2025-10-09"}, D(2025, 9, 26), "Closed late"),
])
def test_sla_status(situation, today, expected):
    frame = cases({"received_at": "2025-09-26", "status": "In progress"} | situation)
    assert run(frame, today).at[2, "sla_status"] == expected


@pytest.mark.parametrize(("due_soon_days", "today", "expected"), [
    (0, D(2025, 9, 26), "On track"),
    (2, D(2025, 9, 26), "On track"),  # 3 working days left: 9/28, 9/29, 9/30
    (3, D(2025, 9, 26), "Due soon"),
    (2, D(2025, 9, 28), "Due soon"),
    (0, D(2025, 9, 29), "On track"),
    (0, D(2025, 9, 30), "Due soon"),  # 0: due soon only on the last day
])
def test_due_soon_threshold_counts_working_days(due_soon_days, today, expected):
    frame = cases({"received_at": "2025-09-26", "acknowledged_at": "2025-09-26",
                   "status": "Acknowledged"})
    assert run(frame, today, due_soon_days=due_soon_days).at[2, "sla_status"] == expected


@pytest.mark.parametrize(("situation", "today", "expected"), [
    ({"status": "Resolved", "resolved_at": "2025-10-09"}, D(2025, 10, 20), 1),
    ({"status": "In progress"}, D(2025, 10, 13), 4),  # 10/9 10/10 10/11 10/13
    ({"status": "Closed"}, D(2025, 10, 13), None),    # closed without a resolved date
    ({"status": "New"}, D(2025, 9, 1), 0),            # received in the future: not negative
])
def test_days_open(situation, today, expected):
    frame = cases({"received_at": "2025-09-30"} | situation)
    value = run(frame, today).at[2, "days_open"]
    assert (value is pd.NA) if expected is None else value == expected


# ----------------------------------------------------------------------------- reopened cases

@pytest.fixture
def reopened_case() -> pd.DataFrame:
    return cases({"received_at": "2025-09-01", "acknowledged_at": "2025-09-01",
                  "resolved_at": "2025-09-03", "status": "Reopened"})


def test_reopening_restarts_the_resolve_clock_from_today(reopened_case):
    out = run(reopened_case, D(2025, 10, 9))
    assert out.at[2, "reopened_at"] == T("2025-10-09")
    assert out.at[2, "ack_due"] == T("2025-09-02")  # the reply clock does not restart
    assert out.at[2, "due_at"] == T("2025-10-13")  # 10/10, 10/11 (worked), 10/13
    assert out.at[2, "sla_status"] == "On track"


def test_reopened_at_is_kept_and_still_measured_from_after_the_case_moves_on(reopened_case):
    first = run(reopened_case, D(2025, 9, 30))
    later = fed_back(reopened_case, first, status="In progress")
    out = run(later, D(2025, 10, 9))
    assert out.at[2, "reopened_at"] == T("2025-09-30")
    assert out.at[2, "due_at"] == T("2025-10-11")
    assert out.at[2, "sla_status"] == "On track"  # 10/10 and 10/11 left


def test_a_reopening_recorded_before_the_received_date_is_ignored():
    frame = cases({"received_at": "2025-09-26", "acknowledged_at": "2025-09-26",
                   "status": "In progress", "reopened_at": "2025-09-01"})
    out = run(frame, D(2025, 9, 26))
    assert out.at[2, "due_at"] == T("2025-09-30")
    assert out.at[2, "reopened_at"] == T("2025-09-01")


def test_a_second_reopening_restarts_the_clock_again():
    frame = cases({"received_at": "2025-09-01", "acknowledged_at": "2025-09-01",
                   "reopened_at": "2025-09-30", "resolved_at": "2025-10-10",
                   "status": "Reopened"})
    out = run(frame, D(2025, 10, 13))
    assert out.at[2, "reopened_at"] == T("2025-10-13")
    assert out.at[2, "due_at"] == T("2025-10-16")


def test_a_resolved_date_in_the_future_does_not_restart_the_clock_every_day():
    frame = cases({"received_at": "2025-09-01", "acknowledged_at": "2025-09-01",
                   "reopened_at": "2025-10-09", "resolved_at": "2025-10-20",
                   "status": "Reopened"})
    out = run(frame, D(2025, 10, 13))
    assert out.at[2, "reopened_at"] == T("2025-10-09")
    assert out.at[2, "due_at"] == T("2025-10-13")


def test_a_restart_clears_the_paused_days_of_the_old_clock(reopened_case):
    reopened_case["paused_days"] = 4.0
    out = run(reopened_case, D(2025, 10, 9))
    assert out.at[2, "paused_days"] is pd.NA
    assert out.at[2, "due_at"] == T("2025-10-13")


# ------------------------------------------------------------------ waiting on the customer

@pytest.fixture
def waiting_case() -> pd.DataFrame:
    return cases({"received_at": "2025-09-26", "acknowledged_at": "2025-09-26",
                  "status": "Waiting on customer"})


def test_waiting_pauses_the_clock_across_runs(waiting_case):
    first = run(waiting_case, D(2025, 9, 29), due_soon_days=0)
    assert first.at[2, "waiting_since"] == T("2025-09-29")
    assert first.at[2, "due_at"] == T("2025-09-30")  # nothing waited yet
    assert first.at[2, "sla_status"] == "On track"

    # Still waiting on 10/10: 9/30, 10/9 and 10/10 do not count.
    second = run(fed_back(waiting_case, first), D(2025, 10, 10), due_soon_days=0)
    assert second.at[2, "waiting_since"] == T("2025-09-29")
    assert second.at[2, "paused_days"] is pd.NA
    assert second.at[2, "due_at"] == T("2025-10-11")

    # The customer answered; on 10/13 the pause 9/30 .. 10/13 (5 working days) is banked.
    third = run(fed_back(waiting_case, second, status="In progress"), D(2025, 10, 13),
                due_soon_days=0)
    assert third.at[2, "waiting_since"] is NAT
    assert third.at[2, "paused_days"] == 5
    assert third.at[2, "due_at"] == T("2025-10-14")
    assert third.at[2, "sla_status"] == "On track"

    # A second wait, 10/15 to 10/17, adds two more working days.
    fourth = run(fed_back(waiting_case, third, status="Waiting on customer"), D(2025, 10, 15))
    assert fourth.at[2, "waiting_since"] == T("2025-10-15")
    assert fourth.at[2, "paused_days"] == 5
    fifth = run(fed_back(waiting_case, fourth, status="In progress"), D(2025, 10, 17))
    assert fifth.at[2, "paused_days"] == 7
    assert fifth.at[2, "due_at"] == T("2025-10-16")  # 3 + 7 working days after 9/26


def test_a_calendar_clock_pauses_by_calendar_days():
    frame = cases({"received_at": "2025-09-26", "acknowledged_at": "2025-09-26",
                   "status": "In progress", "waiting_since": "2025-10-01"})
    out = run(frame, D(2025, 10, 8), [CAL_2_15])
    assert out.at[2, "paused_days"] == 7
    assert out.at[2, "due_at"] == T("2025-10-18")  # 9/26 + 15 + 7


def test_a_wait_ended_by_resolving_stops_at_the_resolved_date():
    frame = cases({"received_at": "2025-09-26", "acknowledged_at": "2025-09-26",
                   "status": "Resolved", "resolved_at": "2025-10-09",
                   "waiting_since": "2025-09-29"})
    out = run(frame, D(2025, 10, 20))
    assert out.at[2, "paused_days"] == 2  # 9/30 and 10/9, not the days up to 10/20
    assert out.at[2, "due_at"] == T("2025-10-10")
    assert out.at[2, "sla_status"] == "Closed on time"


def test_waiting_does_not_move_the_reply_deadline(waiting_case):
    waiting_case["acknowledged_at"] = NAT
    waiting_case["waiting_since"] = T("2025-09-26")
    out = run(waiting_case, D(2025, 9, 29))
    assert out.at[2, "ack_due"] == T("2025-09-28")
    assert out.at[2, "sla_status"] == "Overdue"


# ----------------------------------------------------------------------------- idempotence

@pytest.fixture
def every_situation() -> pd.DataFrame:
    return cases(
        {"received_at": "2025-09-26", "status": "New"},
        {"received_at": "2025-09-26", "acknowledged_at": "2025-09-26",
         "status": "Waiting on customer"},
        {"received_at": "2025-09-26", "acknowledged_at": "2025-09-26", "status": "In progress",
         "waiting_since": "2025-09-29", "paused_days": 2},
        {"received_at": "2025-09-01", "resolved_at": "2025-09-05", "status": "Reopened"},
        {"received_at": "2025-09-01", "status": "In progress", "reopened_at": "2025-09-30"},
        {"received_at": "2025-09-26", "resolved_at": "2025-09-30", "status": "Closed"},
        {"received_at": None, "status": "Waiting on customer"},
        {"received_at": "2025-09-26", "status": None, "severity": "Major"},
    )


@pytest.mark.parametrize("today", [D(2025, 9, 29), D(2025, 10, 9), D(2026, 2, 14)])
def test_a_second_run_on_the_same_day_changes_nothing(every_situation, today):
    first = run(every_situation, today, DEFAULT_DEADLINES)
    second = run(fed_back(every_situation, first), today, DEFAULT_DEADLINES)
    pd.testing.assert_frame_equal(first, second)


# ----------------------------------------------------------------------------- size

def test_fifty_thousand_cases_in_one_pass(china):
    rng = np.random.default_rng(7)
    size = 50_000
    received = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 900, size), unit="D")
    statuses = np.array(["New", "In progress", "Waiting on customer", "Resolved", "Reopened"],
                        dtype=object)
    frame = cases(*[{}] * size)
    frame["received_at"] = received
    frame["status"] = statuses[rng.integers(0, len(statuses), size)]
    frame["resolved_at"] = received + pd.to_timedelta(rng.integers(0, 30, size), unit="D")
    frame["severity"] = np.array(["Normal", "Major", "Escalated", "Difficult"],
                                 dtype=object)[rng.integers(0, 4, size)]
    out = compute_deadlines(frame, list(DEFAULT_DEADLINES), china, 1, D(2026, 6, 1))
    assert len(out) == size
    assert out["due_at"].notna().all()
    assert set(out["sla_status"].dropna()) <= {"On track", "Due soon", "Overdue",
                                               "Closed on time", "Closed late"}
    # Spot-check a working-clock row against the calendar's own day-by-day answer.
    major = out.index[(frame["severity"] == "Major") & (frame["status"] == "New")][0]
    expected = china.add_working_days(frame.loc[[major], "received_at"], 7).iloc[0]
    assert out.at[major, "due_at"] == expected


# ----------------------------------------------------------------------------- the deadline table

def settings_with_table(*rows, header=("Severity", "Urgency", "Acknowledge within",
                                       "Resolve within", "Clock")) -> Grid:
    """A Settings sheet: the key/value block, a blank row, then the table from column B."""
    return Grid("Settings", [
        ["Setting", "Value"],
        ["Language", "en"],
        ["Due soon within (working days)", 1],
        [None, None],
        [None, *header],
        *[[None, *row] for row in rows],
    ])


def test_the_deadline_table_is_found_below_the_settings():
    grid = settings_with_table(
        ("Escalated", "*", 1, 5, "working"),
        ("重大", "任意", 1, 7, "工作日"),
        (None, "Planned", "2", 15.0, "Calendar"),
        ("Any", "Immediate", 0, 0, None),
        (None, None, None, None, None),
        ("Normal", "*", 9, 9, "working"),  # after the first empty row: not part of the table
    )
    targets, findings = parse_deadlines(grid, default_lists())
    assert findings == []
    assert targets == [
        DeadlineTarget("Escalated", None, 1, 5, "working", "Settings!B6"),
        DeadlineTarget("Major", None, 1, 7, "working", "Settings!B7"),
        DeadlineTarget(None, "Planned", 2, 15, "calendar", "Settings!B8"),
        DeadlineTarget(None, "Immediate", 0, 0, "working", "Settings!B9"),
    ]


def test_chinese_headers_and_no_clock_column():
    grid = Grid("设置", [["严重程度", "紧急程度", "回复时限（天）", "处理时限（天）"],
                       ["疑难", "计划处理", 2, 20]], first_row=10, first_col=3)
    targets, findings = parse_deadlines(grid, default_lists())
    assert findings == []
    assert targets == [DeadlineTarget("Difficult", "Planned", 2, 20, "working", "设置!C11")]


def test_values_added_on_the_lists_sheet_are_accepted():
    lists = default_lists()
    lists["severity"] = Vocabulary([*lists["severity"].pairs, ("Critical", "紧急")])
    targets, findings = parse_deadlines(settings_with_table(("紧急", "*", 1, 2, "working")), lists)
    assert findings == []
    assert targets[0].severity == "Critical"


def test_bad_deadline_rows_are_findings_at_their_cells_and_are_ignored():
    grid = settings_with_table(
        ("Critical", "*", 1, 5, "working"),
        ("Major", "*", "one", 5, "working"),
        ("Major", "*", 1, 2.5, "working"),
        ("Major", "*", -1, 5, "working"),
        ("Major", "*", 1, 5, "hours"),
        ("Major", "*", 5, 2, "working"),
        ("Major", "soon", 1, None, "working"),
        ("Major", "*", 1, 7, "working"),
    )
    targets, findings = parse_deadlines(grid, default_lists())
    assert targets == [DeadlineTarget("Major", None, 1, 7, "working", "Settings!B13")]
    assert [(f.code, f.cell) for f in findings] == [
        ("bad-deadline", "Settings!B6"),
        ("bad-deadline", "Settings!D7"),
        ("bad-deadline", "Settings!E8"),
        ("bad-deadline", "Settings!D9"),
        ("bad-deadline", "Settings!F10"),
        ("bad-deadline", "Settings!E11"),
        ("bad-deadline", "Settings!C12"),
        ("bad-deadline", "Settings!E12"),
    ]
    assert [f.message("en") for f in findings] == [
        "Deadline row: 'Critical' is not in the Severity list; use one of its values, or * for "
        "any. The row is ignored.",
        "Deadline row: Acknowledge within must be a whole number of days from 0 to 3650, not "
        "'one'. The row is ignored.",
        "Deadline row: Resolve within must be a whole number of days from 0 to 3650, not 2.5. "
        "The row is ignored.",
        "Deadline row: Acknowledge within must be a whole number of days from 0 to 3650, not -1. "
        "The row is ignored.",
        "Deadline row: 'hours' is not a clock; use working or calendar. The row is ignored.",
        "Deadline row: resolve within 2 days is shorter than acknowledge within 5 days. "
        "The row is ignored.",
        "Deadline row: 'soon' is not in the Urgency list; use one of its values, or * for any. "
        "The row is ignored.",
        "Deadline row: Resolve within is empty; give a whole number of days. The row is ignored.",
    ]
    assert [dict(f.params)["problem_zh"] for f in findings[:2]] == [
        "“Critical”不在“严重程度”列表中，请使用列表中的值，或用 * 表示任意",
        "“回复时限（天）”必须是 0 到 3650 之间的整数，而不是“one”",
    ]
    assert findings[0].message("zh-CN").startswith("时限设置行：")
    assert all(f.row is None for f in findings)


@pytest.mark.parametrize("grid", [
    None,
    Grid("Settings", []),
    Grid("Settings", [["Setting", "Value"], ["Language", "zh-CN"]]),
    Grid("Settings", [["Severity", "Urgency", "Clock"], ["Major", "*", "working"]]),
])
def test_no_deadline_table_gives_nothing(grid):
    assert parse_deadlines(grid, default_lists()) == ([], [])


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_deadline_rows_round_trip(lang):
    rows = deadline_rows(DEFAULT_DEADLINES, lang)
    targets, findings = parse_deadlines(Grid("Settings", rows), default_lists())
    assert findings == []
    assert [dataclasses.replace(t, cell="") for t in targets] == list(DEFAULT_DEADLINES)
    assert [t.cell for t in targets] == [f"Settings!A{n}" for n in range(2, 7)]


def test_deadline_rows_in_chinese():
    rows = deadline_rows(DEFAULT_DEADLINES, "zh-CN")
    assert rows[0] == ["严重程度", "紧急程度", "回复时限（天）", "调查时限（天）", "处理时限（天）",
                       "计时方式"]
    assert rows[1] == ["任意", "立即处理", 1, 2, 3, "工作日"]
    assert rows[-1] == ["任意", "任意", 3, 10, 15, "自然日"]


def test_deadline_rows_in_english():
    rows = deadline_rows(DEFAULT_DEADLINES[1:2], "en")
    assert rows == [["Severity", "Urgency", "Acknowledge within", "Investigate within",
                     "Resolve within", "Clock"],
                    ["Escalated", "Any", 1, 3, 5, "Working"]]


def test_investigate_within_is_read_checked_and_defaults_between_the_others():
    grid = settings_with_table(("Major", "*", 1, 4, 7, "working"),
                               ("Major", "*", 1, 9, 7, "working"),
                               ("Normal", "*", 1, None, 9, "working"),
                               header=("Severity", "Urgency", "Acknowledge within",
                                       "Investigate within", "Resolve within", "Clock"))
    targets, findings = parse_deadlines(grid, default_lists())
    assert [(t.severity, t.investigate_days, t.investigate_within()) for t in targets] == [
        ("Major", 4, 4), ("Normal", None, 6)]
    assert [(f.code, f.cell) for f in findings] == [("bad-deadline", "Settings!E7")]
    assert "not between acknowledge within 1 and resolve within 7" in findings[0].message()
