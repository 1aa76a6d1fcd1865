"""The archive's analyses, with every figure worked out by hand on a four-case register."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from addin.core.calendar import WorkCalendar
from addin.core.learning import learn
from addin.core.vocab import default_lists
from addin.layout.learning_tables import learning_tables

AS_OF = dt.date(2026, 3, 31)


@pytest.fixture
def learning():
    rows = [
        # case, category, cause type, root cause, status, resolved, follow-up result,
        # compensation, department, remedy, handler, repeat of, reject reason
        ("C1", "Delivery", "Logistics", "Courier late", "Closed", "2026-03-05", "Satisfied", 50,
         "Ops", "Compensation", "Li", None, None),
        ("C2", "Delivery", "Logistics", "courier late ", "Reopened", None, None, 0, "Ops",
         None, "Li", "C1", None),
        ("C3", "Billing", "System fault", "Double charge", "Closed", "2026-03-09", None, 100,
         "Finance", "Refund", "Wang", None, None),
        ("C4", "Billing", None, None, "Not accepted", None, None, None, None, None, None, None,
         "Outside warranty"),
    ]
    cases = pd.DataFrame(rows, columns=[
        "case_no", "category", "root_cause_type", "root_cause", "status", "resolved_at",
        "follow_up_result", "compensation", "department", "remedy", "handler", "repeat_of",
        "reject_reason"])
    cases["received_at"] = pd.to_datetime(["2026-03-02", "2026-03-03", "2026-03-04",
                                           "2026-03-06"])
    cases["resolved_at"] = pd.to_datetime(cases["resolved_at"])
    calendar = WorkCalendar(frozenset(), frozenset(), (5, 6))
    volume = pd.Series({pd.Period("2026-03", freq="M"): 2000.0})
    return learn(cases, calendar, AS_OF, months=12, volume=volume)


def test_cause_types_and_recurring_root_causes(learning):
    causes = learning.tables["causes"]
    assert causes.index.tolist() == ["Logistics", "System fault", "Not set"]
    assert causes.loc["Logistics", "cases"] == 2 and causes.loc["Logistics", "share"] == 0.5
    assert causes.loc["Logistics", "repeats"] == 1
    roots = learning.tables["root_causes"]
    # Texts that differ only by case and spaces are one cause; a cause seen once is not listed.
    assert len(roots) == 1 and roots.iloc[0]["cases"] == 2


def test_repeat_and_reopen_rates_per_category(learning):
    rates = learning.tables["category_rates"]
    assert rates.loc["Delivery", ["cases", "repeat_rate", "reopen_rate"]].tolist() == [2, .5, .5]
    assert rates.loc["Billing", ["repeat_rate", "reopen_rate"]].tolist() == [0, 0]
    assert rates.loc["Delivery", "compensation"] == 50  # the 0 is no payment


def test_follow_up_not_accepted_and_compensation(learning):
    assert learning.followed_up == (1, 2)  # C1 of the done C1 and C3
    assert learning.tables["follow_up"].loc["Satisfied", "cases"] == 1
    refused = learning.tables["not_accepted"]
    assert refused.loc["Outside warranty"].tolist() == [1, 0.25]
    by_category = learning.tables["compensation_category"]
    assert by_category.index.tolist() == ["Billing", "Delivery"]
    assert by_category["total"].tolist() == [100, 50]
    assert learning.tables["compensation_remedy"].loc["Refund", "mean"] == 100


def test_workload_and_complaints_per_thousand_orders(learning):
    workload = learning.tables["workload"]
    # At the end of March only C2 is open (C4 was not accepted: nobody's work).
    assert workload["2026-03"].to_dict() == {"Li": 1}
    assert workload["2026-02"].sum() == 0
    rate = learning.tables["volume"]
    assert rate.loc["2026-03"].tolist() == [4, 2000, 2.0]


def test_every_analysis_is_a_table_in_both_languages(learning):
    for lang in ("en", "zh-CN"):
        tables = learning_tables(learning, lang, default_lists())
        names = [t.name for t in tables]
        assert len(names) == len(set(names))
        assert all(len(row) == len(t.columns) for t in tables for row in t.rows)
    zh = {t.name: t for t in learning_tables(learning, "zh-CN", default_lists())}
    assert zh["ComplaintRate"].rows == [["2026-03", 4, 2000.0, 2.0]]
    assert zh["Causes"].rows[0][:2] == ["物流", 2]
