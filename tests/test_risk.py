"""Risk signals, the severity they ask for, escalation proposals and anonymous complaints,
through the pipeline. Columns as in ``test_stages`` (G severity, H urgency, K status)."""

import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_stages import CLOSED, KEYS, NEW, TODAY, register, run

from addin.core.pipeline import process
from addin.core.risk import SIGNALS, find_risks

LOSS = "热水器故障导致家里财产损失上万元"
THREAT = "不给我赔十万我就天天打电话骂你们，已经第20次了"


def codes(outcome, code):
    return [(f.cell, f.level) for f in outcome.findings if f.code == code]


def test_property_loss_sets_the_highest_priority_when_staff_left_it_empty():
    outcome = run({**NEW, "description": LOSS})
    assert outcome.cases.loc[2, "risk"] == "Property loss"
    assert (outcome.cases.loc[2, "severity"], outcome.cases.loc[2, "urgency"]) == (
        "Major", "Immediate")
    assert outcome.changes["severity"].tolist() == ["Major"]
    assert outcome.changes["risk"].tolist() == ["Property loss"]
    assert codes(outcome, "risk-severity-low") == []


def test_a_chinese_register_writes_the_risk_in_chinese():
    rows = [{**NEW, "description": LOSS, "channel": "电话", "status": "新建"}]
    outcome = process(register(*rows, lang="zh-CN"), {}, TODAY)
    assert outcome.changes["risk"].tolist() == ["财产损失"]
    assert outcome.changes["severity"].tolist() == ["重大"]


def test_a_typed_severity_below_a_safety_signal_is_questioned_not_overwritten():
    outcome = run({**NEW, "description": LOSS, "severity": "Normal", "urgency": "Normal"})
    assert "severity" not in outcome.changes and "urgency" not in outcome.changes
    assert codes(outcome, "risk-severity-low") == [("Complaints!G2", "warning")]
    warning = next(f for f in outcome.findings if f.code == "risk-severity-low")
    assert warning.message("en") == ("The complaint signals Property loss, which asks for "
                                     "severity Major, but Severity is Normal.")
    assert warning.message("zh-CN") == "投诉内容涉及财产损失，应为“重大”，但严重程度为“Normal”。"


def test_a_threat_on_the_twentieth_call_is_a_repeated_contact_signal():
    outcome = run({**NEW, "description": THREAT})
    assert outcome.cases.loc[2, "risk"] == "Repeated contact"
    assert outcome.cases.loc[2, "severity"] == "Difficult"


@pytest.mark.parametrize(("text", "risk"), [
    ("The heater caught fire and my son was injured", "Personal safety"),
    ("I will talk to my lawyer and sue you", "Legal"),
    ("我要找媒体曝光你们", "Media"),
    ("已经投诉到12315", "Regulator"),
    ("Courteous staff, but the parcel was late", None),  # no "court" inside a word
])
def test_text_signals_in_both_languages(text, risk):
    assert run({**NEW, "description": text}).cases.loc[2, "risk"] == risk


# Pieces of text: signal words of both languages, letters that match English words' letters in
# any case without being Latin (the Kelvin sign, the long s), and what lies around the words.
PIECES = ["受伤", "起火", "财产损失", "损失", "五", "万", "元", "。", "第", "3", "次", "12315",
          "fire", "FIRE", "Sue", "s", "ue", "\u212a", "\u017f", "shoc", "hospital", "3rd time",
          " ", "x", "投诉", "Ｆｉｒｅ"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from(PIECES), max_size=8).map("".join), min_size=1,
                max_size=6))
def test_each_risk_is_signalled_where_its_words_are_found_in_any_case(texts):
    # Against each risk's words searched in every text, whatever shortcut find_risks takes
    # (no channel, no earlier complaint: the texts alone signal).
    column = pd.Series(texts, dtype=object)
    signals = find_risks([column], pd.Series(None, index=column.index, dtype=object),
                         pd.Series(None, index=column.index, dtype=object)).signals
    for risk, (chinese, english) in SIGNALS.items():
        pattern = re.compile(f"{chinese}|{english}", re.IGNORECASE)
        expected = [pattern.search(text) is not None for text in texts]
        assert signals[risk].tolist() == expected, risk


def test_a_repeat_by_the_same_customer_within_the_window_is_repeated_contact():
    first = {**NEW, "case_no": "TS-202603-0001"}
    again = {**NEW, "received_at": "2026-03-09 10:00", "description": "Still leaking"}
    outcome = run(first, again)
    assert outcome.cases["risk"].tolist() == [None, "Repeated contact"]


def test_a_regulator_referral_is_a_regulator_risk():
    outcome = run({**NEW, "channel": "Regulator referral", "phone": None})
    assert outcome.cases.loc[2, "risk"] == "Regulator"


# ----------------------------------------------------------------------------- escalation

def escalation_reasons(outcome):
    return [(f.cell, f.value) for f in outcome.findings if f.code == "escalate-proposed"]


def test_an_open_case_overdue_past_the_margin_is_proposed_for_escalation():
    old = {**NEW, "received_at": "2026-01-05 09:00", "severity": "Normal", "urgency": "Normal"}
    outcome = run(old)
    assert escalation_reasons(outcome) == [("Complaints!G2", "overdue")]
    message = next(f for f in outcome.findings if f.code == "escalate-proposed").message()
    assert message.startswith("Escalation proposed: overdue by ")
    assert "more than the 5 allowed on Settings" in message
    assert escalation_reasons(run(old, settings=[("Escalate when overdue by (working days)",
                                                  100)])) == []
    assert escalation_reasons(run({**old, "severity": "Escalated"})) == []
    assert outcome.summary.escalations_proposed == 1


def test_a_second_reopening_and_an_unhappy_customer_after_a_reopening():
    reopened = {**CLOSED, "status": "Reopened", "closed_at": None, "informed_at": None}
    # Reopened once before (recorded 2026-03-03), resolved since: this is the second time.
    rows = [{**reopened, "reopened_at": "2026-03-03"}, reopened]
    keys = (*KEYS, "reopened_at")  # the clock state the add-in keeps
    outcome = process(register(*rows, keys=keys), {}, TODAY)
    assert escalation_reasons(outcome) == [("Complaints!G2", "reopened-twice")]
    unhappy = {**CLOSED, "reopened_at": "2026-03-03", "follow_up_result": "Not satisfied"}
    outcome = process(register(unhappy, keys=keys), {}, TODAY)
    assert escalation_reasons(outcome) == [("Complaints!G2", "unhappy-after-reopening")]


# ----------------------------------------------------------------------------- anonymous

def test_an_anonymous_suggestion_box_complaint_is_valid_and_numbered():
    anonymous = {**NEW, "channel": "Suggestion box", "customer_name": None, "phone": None}
    named_anonymous = {**NEW, "customer_name": "匿名", "phone": None, "channel": "Letter"}
    outcome = run(anonymous, named_anonymous)
    assert [f for f in outcome.findings if f.level == "error"] == []
    assert outcome.changes["case_no"].tolist() == ["TS-202603-0001", "TS-202603-0002"]


def test_a_named_customer_without_contact_still_needs_one():
    outcome = run({**NEW, "phone": None, "channel": "Letter"})
    assert codes(outcome, "contact-missing") == [("Complaints!E2", "error")]
    assert "case_no" not in outcome.changes

