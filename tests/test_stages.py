"""The handling process through the pipeline: statuses, steps in order, levels from Settings.

Each register here has the columns of ``KEYS`` in that order, so a column letter names a field:
A case_no, B received_at, C channel, D customer_name, E phone, F description, G severity,
H urgency, I handler, J assigned_at, K status, L reject_reason, M acknowledged_at,
N investigated_at, O resolved_at, P root_cause, Q root_cause_type, R solution, S remedy,
T compensation, U approved_by, V approved_at, W informed_at, X satisfaction, Y follow_up_at,
Z follow_up_method, AA follow_up_result, AB closed_at. Data starts in Excel row 2.
"""

import datetime as dt

import pandas as pd
import pytest

from addin.core.fields import BY_KEY
from addin.core.pipeline import process
from addin.core.register import Grid, Register

TODAY = dt.date(2026, 3, 20)
KEYS = ("case_no", "received_at", "channel", "customer_name", "phone", "description",
        "severity", "urgency", "handler", "assigned_at", "status", "reject_reason",
        "acknowledged_at", "investigated_at", "resolved_at", "root_cause", "root_cause_type",
        "solution", "remedy", "compensation", "approved_by", "approved_at", "informed_at",
        "satisfaction", "follow_up_at", "follow_up_method", "follow_up_result", "closed_at")

NEW = {"received_at": "2026-03-02 09:30", "channel": "Phone", "customer_name": "Zhang San",
       "phone": "13812345678", "description": "The kettle leaks", "status": "New"}
# A case closed with every step of the process recorded, in order.
CLOSED = {**NEW, "status": "Closed", "handler": "Amy", "assigned_at": "2026-03-02 10:00",
          "acknowledged_at": "2026-03-02 11:00", "investigated_at": "2026-03-03 15:00",
          "resolved_at": "2026-03-04 10:00", "root_cause": "Seal worn",
          "root_cause_type": "Product defect", "solution": "Replaced the kettle",
          "remedy": "Replacement", "informed_at": "2026-03-04 11:00", "satisfaction": 5,
          "follow_up_at": "2026-03-06", "follow_up_method": "Phone",
          "follow_up_result": "Satisfied", "closed_at": "2026-03-06 16:00"}


def register(*rows, keys=KEYS, lang="en"):
    headers = [BY_KEY[key].header(lang) for key in keys]
    return Register.from_values("Complaints", 1, 1, headers,
                                [[row.get(key) for key in keys] for row in rows])


def run(*rows, settings=(), keys=KEYS, today=TODAY):
    sheets = {"settings": Grid("Settings", [["Setting", "Value"], *map(list, settings)])}
    return process(register(*rows, keys=keys), sheets, today)


def found(outcome, codes=None):
    """(code, cell, level) of the row findings, optionally only some codes."""
    return [(f.code, f.cell, f.level) for f in outcome.findings
            if f.row is not None and (codes is None or f.code in codes)]


STAGE_CODES = {"stage-missing", "stage-too-early", "stage-order", "reply-after-resolution",
               "required-when-done", "date-order"}


def test_a_case_closed_with_every_step_is_clean():
    assert found(run(CLOSED)) == []


def test_closed_without_first_reply_cause_or_follow_up_is_named_cell_by_cell():
    bare = {**CLOSED, "acknowledged_at": None, "root_cause": None, "root_cause_type": None,
            "follow_up_at": None, "follow_up_method": None, "follow_up_result": None}
    assert found(run(bare), STAGE_CODES) == [
        ("stage-missing", "Complaints!M2", "error"),
        ("stage-missing", "Complaints!Q2", "error"),
        ("stage-missing", "Complaints!Y2", "error"),
    ]
    message = next(f for f in run(bare).findings if f.cell == "Complaints!Q2")
    assert message.message("en") == "Cause type is needed once the case is Closed."
    assert message.message("zh-CN") == "状态为“Closed”时需要填写“Cause type”。"
    assert "set Status" in message.fix("en")


def test_new_case_with_a_resolution_and_a_solution_is_flagged():
    early = {**NEW, "resolved_at": "2026-03-05", "solution": "Refunded"}
    assert found(run(early), STAGE_CODES) == [
        ("stage-too-early", "Complaints!O2", "warning"),
        ("stage-too-early", "Complaints!R2", "warning"),
    ]


def test_follow_up_before_received_is_a_date_order_error():
    case = {**CLOSED, "follow_up_at": "2026-02-20"}
    codes = found(run(case), STAGE_CODES)
    assert ("date-order", "Complaints!Y2", "error") in codes


def test_first_reply_seventeen_days_after_the_resolution():
    case = {**CLOSED, "acknowledged_at": "2026-03-21 10:00", "informed_at": None,
            "closed_at": None, "status": "Resolved"}
    outcome = run(case, today=dt.date(2026, 3, 25))
    late = [f for f in outcome.findings if f.code == "reply-after-resolution"]
    assert [(f.cell, f.level) for f in late] == [("Complaints!M2", "error")]
    assert late[0].message("en") == ("The first reply 2026-03-21 10:00 comes after the "
                                     "resolution 2026-03-04 10:00.")


def test_steps_out_of_order_name_the_step_before():
    case = {**CLOSED, "investigated_at": "2026-03-05 09:00"}  # after the resolution
    outcome = run(case)
    order = [f for f in outcome.findings if f.code == "stage-order"]
    assert [f.cell for f in order] == ["Complaints!O2"]
    assert order[0].message("en").startswith(
        "Resolved 2026-03-04 10:00 is before Investigated 2026-03-05 09:00")


def test_open_statuses_need_their_steps_as_warnings():
    case = {**NEW, "status": "Investigating", "handler": "Amy"}
    assert found(run(case), STAGE_CODES) == [
        ("stage-missing", "Complaints!J2", "warning"),
        ("stage-missing", "Complaints!M2", "warning"),
    ]


def test_not_accepted_needs_a_reason():
    case = {**NEW, "status": "Not accepted"}
    assert found(run(case), STAGE_CODES) == [("stage-missing", "Complaints!L2", "error")]
    assert found(run({**case, "reject_reason": "Not our product"}), STAGE_CODES) == []


@pytest.mark.parametrize(("settings", "levels"), [
    ((), {"stage-missing": "error", "stage-too-early": "warning"}),
    ((("Closing checks", "warning"), ("环节检查", "错误")),
     {"stage-missing": "warning", "stage-too-early": "error"}),
])
def test_levels_are_a_settings_choice(settings, levels):
    rows = ({**CLOSED, "remedy": None}, {**NEW, "closed_at": "2026-03-03"})
    got = {code: level for code, _, level in found(run(*rows, settings=settings), STAGE_CODES)}
    assert got == levels


def test_cause_type_may_be_relaxed_on_settings():
    case = {**CLOSED, "root_cause_type": None}
    assert found(run(case), STAGE_CODES) == [("stage-missing", "Complaints!Q2", "error")]
    relaxed = run(case, settings=[("Cause type required to close", "no")])
    assert found(relaxed, STAGE_CODES) == []


def test_a_register_without_the_process_columns_is_checked_as_before():
    keys = ("received_at", "channel", "customer_name", "phone", "description", "handler",
            "status", "acknowledged_at", "resolved_at", "solution")
    case = {key: CLOSED[key] for key in keys}
    outcome = run(case, keys=keys)
    assert [f for f in outcome.findings if f.level != "info"] == []


# ----------------------------------------------------------------------------- the third clock

def test_investigation_deadline_comes_from_the_deadline_table_and_shows_its_state():
    case = {**NEW, "status": "In progress", "handler": "Amy", "assigned_at": "2026-03-02 10:00",
            "acknowledged_at": "2026-03-02 11:00", "severity": "Major", "urgency": "Normal"}
    outcome = run(case, case)  # the second row: investigation finished
    outcome2 = run(case, {**case, "investigated_at": "2026-03-05 10:00"})
    row = outcome.cases.loc[2]
    # Major: investigate within 5 working days, resolve within 7 (2026-03-02 is a Monday).
    assert (row["investigate_due"], row["due_at"]) == (pd.Timestamp("2026-03-09"),
                                                       pd.Timestamp("2026-03-11"))
    assert row["investigate_state"] == "Overdue"
    assert outcome2.cases.loc[3, "investigate_state"] is None
    assert outcome.changes["investigate_due"].tolist() == [dt.datetime(2026, 3, 9)] * 2


def test_investigation_due_soon_uses_the_due_soon_setting():
    case = {**NEW, "status": "Investigating", "handler": "Amy", "assigned_at": "2026-03-02 10:00",
            "acknowledged_at": "2026-03-02 11:00", "severity": "Major", "urgency": "Normal"}
    assert run(case, today=dt.date(2026, 3, 6)).cases.loc[2, "investigate_state"] == "Due soon"
    assert run(case, today=dt.date(2026, 3, 3)).cases.loc[2, "investigate_state"] == "On track"


def test_follow_up_deadline_counts_working_days_from_the_resolution():
    resolved = {**CLOSED, "status": "Resolved", "informed_at": None, "follow_up_at": None,
                "follow_up_method": None, "follow_up_result": None, "closed_at": None,
                "satisfaction": None}
    outcome = run(resolved)
    assert outcome.cases.loc[2, "follow_up_due"] == pd.Timestamp("2026-03-11")
    assert outcome.cases.loc[2, "follow_up_state"] == "Overdue"
    late = [f for f in outcome.findings if f.code == "follow-up-overdue"]
    assert [(f.cell, f.level) for f in late] == [("Complaints!Y2", "warning")]
    assert late[0].message("en") == (
        "TS-202603-0001 (Zhang San, handler Amy) was resolved 2026-03-04; the follow-up was due "
        "by 2026-03-11, 7 working days ago, and none is recorded.")
    assert outcome.summary.follow_ups_overdue == 1
    longer = run(resolved, settings=[("Follow up within (working days)", 15)])
    assert longer.cases.loc[2, "follow_up_due"] == pd.Timestamp("2026-03-25")
    assert longer.cases.loc[2, "follow_up_state"] == "On track"
    assert [f for f in longer.findings if f.code == "follow-up-overdue"] == []
    followed = run({**resolved, "follow_up_at": "2026-03-06"})
    assert followed.cases.loc[2, "follow_up_state"] is None


def test_not_accepted_stops_the_clocks_and_is_counted_apart():
    case = {**NEW, "received_at": "2026-01-05 09:00", "status": "Not accepted",
            "reject_reason": "Bought from another shop"}
    outcome = run(case, NEW)
    row = outcome.cases.loc[2]
    assert row["sla_status"] is None and pd.isna(row["days_open"])
    assert pd.isna(row["investigate_due"]) and row["investigate_state"] is None
    assert outcome.summary.not_accepted == 1
    assert outcome.summary.overdue == 1  # the other row only (received 2026-03-02, New)
    assert found(outcome, STAGE_CODES) == []


@pytest.mark.parametrize(("change", "cell", "reason"), [
    ({"follow_up_result": "Not satisfied", "satisfaction": 3}, "Complaints!AA2",
     "follow-up result Not satisfied"),
    ({"satisfaction": 2, "follow_up_result": "Partly satisfied"}, "Complaints!X2",
     "satisfaction 2"),
    ({"follow_up_result": "不满意", "satisfaction": 1}, "Complaints!AA2",
     "follow-up result Not satisfied; satisfaction 1"),
])
def test_an_unhappy_customer_asks_for_a_reopening(change, cell, reason):
    outcome = run({**CLOSED, **change})
    asks = [f for f in outcome.findings if f.code == "reopen-suggested"]
    assert [f.cell for f in asks] == [cell]
    assert asks[0].message("en") == (f"The customer is not satisfied ({reason}) and the case "
                                     "is Closed.")
    assert asks[0].message("zh-CN").startswith("客户不满意（")


# ----------------------------------------------------------------------------- remedies

def test_remedy_is_needed_once_resolved():
    resolved = {**CLOSED, "status": "Resolved", "remedy": None, "informed_at": None,
                "closed_at": None}
    assert found(run(resolved), STAGE_CODES) == [("stage-missing", "Complaints!S2", "error")]


@pytest.mark.parametrize("amount", [-50, "a lot"])
def test_compensation_must_be_an_amount_of_zero_or_more(amount):
    outcome = run({**CLOSED, "compensation": amount})
    assert found(outcome, {"bad-compensation"}) == [("bad-compensation", "Complaints!T2", "error")]


def test_compensation_above_the_threshold_needs_an_approval_before_resolving():
    paid = {**CLOSED, "remedy": "Compensation", "compensation": "¥1,500"}
    outcome = run(paid)
    assert found(outcome, {"approval-missing"}) == [("approval-missing", "Complaints!U2", "error")]
    assert next(f for f in outcome.findings if f.code == "approval-missing").message() == (
        "Compensation 1,500.00 is above 1,000.00, so Approved by and Approved are needed before "
        "the case is Closed.")
    approved = {**paid, "approved_by": "Manager Li", "approved_at": "2026-03-03 17:00"}
    assert found(run(approved), {"approval-missing", "date-order"}) == []
    assert found(run(paid, settings=[("Compensation needing approval", 2000)]),
                 {"approval-missing"}) == []
    open_case = {**paid, "status": "In progress", "resolved_at": None, "solution": None,
                 "remedy": None, "informed_at": None, "closed_at": None, "follow_up_at": None,
                 "satisfaction": None, "investigated_at": None, "follow_up_result": None}
    assert found(run(open_case), {"approval-missing"}) == []


def test_an_approval_before_the_complaint_came_in_is_a_date_order_error():
    early = {**CLOSED, "approved_by": "Manager Li", "approved_at": "2026-02-01"}
    assert found(run(early), {"date-order"}) == [("date-order", "Complaints!V2", "error")]
