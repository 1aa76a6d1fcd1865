"""Analyses against hand-computed expectations.

The calendar has weekends only (no holidays), so working days can be counted by hand:
1 March 2026 is a Sunday, so the working days of March are 2-6, 9-13, 16-20, 23-27, 30, 31.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from addin.core.analysis import (
    NOT_SET,
    analyse_month,
    category_by_month,
    monthly_figures,
    overdue_cases,
    pivots,
    poisson_upper_tail,
    prepare,
    regulatory_views,
    repeat_customers,
    rising_categories,
)
from addin.core.calendar import WorkCalendar

MARCH = pd.Period("2026-03", freq="M")
TODAY = dt.date(2026, 4, 10)

COLUMNS = ("case_no", "received_at", "channel", "customer_name", "phone", "email", "category",
           "severity", "department", "handler", "status", "acknowledged_at", "resolved_at",
           "satisfaction", "ack_due", "due_at", "repeat_of")
DATES = ("received_at", "acknowledged_at", "resolved_at", "ack_due", "due_at")


def frame(rows: list[dict]) -> pd.DataFrame:
    """A canonical cases frame as the pipeline returns it: Excel row numbers from 2."""
    table = pd.DataFrame([{key: row.get(key) for key in COLUMNS} for row in rows],
                         index=pd.RangeIndex(2, 2 + len(rows)), columns=list(COLUMNS))
    for key in DATES:
        table[key] = pd.to_datetime(table[key], format="mixed")
    table["satisfaction"] = pd.to_numeric(table["satisfaction"]).astype(float)
    return table


@pytest.fixture
def weekends_only() -> WorkCalendar:
    return WorkCalendar(frozenset(), frozenset(), (5, 6))


@pytest.fixture
def march_register() -> pd.DataFrame:
    """Eight cases around March 2026; the comments give what each one contributes."""
    return frame([
        # A: on time on both clocks; 2 working days to resolve; score 5.
        dict(case_no="A", received_at="2026-03-02 09:30", channel="Phone", customer_name="张三",
             phone="13812345678", category="Delivery", severity="Normal", department="Logistics",
             handler="Li", status="Closed", acknowledged_at="2026-03-02",
             resolved_at="2026-03-04", ack_due="2026-03-05", due_at="2026-03-06",
             satisfaction=5),
        # B: acknowledged late (verdict 5 March), resolved late (verdict 11 March); 7 days; score 2.
        dict(case_no="B", received_at="2026-03-03", channel="Email", customer_name="Ann Lee",
             email="ann@example.com", category="Delivery", severity="Major", handler="Li",
             status="Resolved", acknowledged_at="2026-03-09", resolved_at="2026-03-12",
             ack_due="2026-03-04", due_at="2026-03-10", satisfaction=2),
        # C: still in progress, past its resolve deadline: overdue, resolve verdict late 18 March.
        dict(case_no="C", received_at="2026-03-10", channel="Phone", customer_name="王五",
             phone="13900000000", category="Billing", severity="Normal", handler="Wu",
             status="In progress", acknowledged_at="2026-03-10", ack_due="2026-03-11",
             due_at="2026-03-17"),
        # D: never acknowledged, past the acknowledge deadline: overdue; a repeat of A.
        dict(case_no="D", received_at="2026-03-20", channel="Phone", customer_name="张三",
             phone="138-1234-5678", category="Delivery", status="New", ack_due="2026-03-23",
             due_at="2026-04-03", repeat_of="A"),
        # E: received in February, resolved on time on 2 March: 6 working days; score 4.
        dict(case_no="E", received_at="2026-02-20", channel="Web form", customer_name="Bo",
             email="bo@example.com", category="Price", status="Closed",
             acknowledged_at="2026-02-20", resolved_at="2026-03-02", ack_due="2026-02-23",
             due_at="2026-03-02", satisfaction=4),
        # F: closed without a resolved date: not open, never measured on the resolve clock.
        dict(case_no="F", received_at="2026-03-25", channel="Letter", customer_name="Cy",
             email="cy@example.com", category=None, status="Closed",
             acknowledged_at="2026-03-25", ack_due="2026-03-26", due_at="2026-03-27"),
        # G: April, outside the month.
        dict(case_no="G", received_at="2026-04-02", channel="Phone", customer_name="Di",
             phone="13700000000", category="Delivery", status="New", ack_due="2026-04-03",
             due_at="2026-04-09"),
        # H: March a year earlier: closed in 1 working day.
        dict(case_no="H", received_at="2025-03-05", channel="Phone", customer_name="Ed",
             phone="13600000000", category="Delivery", status="Closed",
             acknowledged_at="2025-03-05", resolved_at="2025-03-06", ack_due="2025-03-06",
             due_at="2025-03-10", satisfaction=3),
    ])


# ----------------------------------------------------------------------------- the month

@pytest.mark.parametrize(("name", "expected"), [
    ("received", 5),  # A B C D F
    ("closed", 3),  # A B and F (closed, no date)
    ("open", 2),  # C D
    ("overdue", 2),  # C (resolve) D (acknowledge)
    ("backlog", 2),
    ("backlog_overdue", 2),
    ("resolved", 3),  # A B E resolved in March
    ("ack_on_time", 3),  # A C F
    ("ack_late", 2),  # B D
    ("resolve_on_time", 2),  # A E
    ("resolve_late", 2),  # B C
    ("median_days", 6.0),  # of 2, 6, 7
    ("p90_days", 6.8),  # 6 + 0.8 x (7 - 6)
    ("repeats", 1),  # D
    ("closed_rate", 0.6),
    ("open_rate", 0.4),
    ("overdue_rate", 0.4),
    ("ack_on_time_rate", 0.6),
    ("resolve_on_time_rate", 0.5),
    ("repeat_rate", 0.2),
    ("satisfaction_mean", 11 / 3),
    ("low_satisfaction_share", 1 / 3),
])
def test_march_figures(march_register, weekends_only, name, expected):
    figures = monthly_figures(march_register, MARCH, weekends_only, TODAY)
    assert getattr(figures, name) == pytest.approx(expected)


def test_march_is_measured_at_its_last_day(march_register, weekends_only):
    figures = monthly_figures(march_register, MARCH, weekends_only, TODAY)
    assert figures.as_of == dt.date(2026, 3, 31)
    assert figures.satisfaction_counts == {1: 0, 2: 1, 3: 0, 4: 1, 5: 1}


def test_the_running_month_is_measured_today(march_register, weekends_only):
    figures = monthly_figures(march_register, MARCH, weekends_only, dt.date(2026, 3, 18))
    assert figures.as_of == dt.date(2026, 3, 18)
    # D and F are not received yet; C is one day past its deadline of 17 March.
    assert (figures.received, figures.open, figures.overdue) == (3, 1, 1)
    assert (figures.resolve_on_time, figures.resolve_late) == (2, 2)


def test_previous_month_sees_e_still_open(march_register, weekends_only):
    feb = monthly_figures(march_register, MARCH - 1, weekends_only, TODAY)
    assert (feb.received, feb.closed, feb.open, feb.overdue) == (1, 0, 1, 0)
    assert feb.ack_on_time_rate == 1.0
    assert feb.resolve_on_time_rate is None  # nothing to measure is not 0 %
    assert feb.median_days is None and feb.satisfaction_mean is None


def test_an_empty_register_has_no_rates(weekends_only):
    figures = monthly_figures(frame([]), MARCH, weekends_only, TODAY)
    assert figures.received == 0
    assert figures.closed_rate is None and figures.low_satisfaction_share is None


def test_kpis_compare_with_previous_month_and_last_year(march_register, weekends_only):
    report = analyse_month(march_register, MARCH, weekends_only, TODAY)
    by_key = {k.key: k for k in report.kpis}
    received = by_key["received"]
    assert (received.value, received.previous, received.last_year) == (5, 1, 1)
    assert received.change(received.previous) == 4
    median = by_key["median_days"]
    assert (median.value, median.last_year) == (6.0, 1.0)
    assert median.previous is None and median.change(median.previous) is None
    assert median.higher_is_better is False


def test_trend_covers_twelve_months_ending_with_the_month(march_register, weekends_only):
    report = analyse_month(march_register, MARCH, weekends_only, TODAY)
    assert list(report.trend.index) == [str(MARCH - k) for k in range(11, -1, -1)]
    assert report.trend.loc["2026-03", "received"] == 5
    assert report.trend.loc["2026-02", "received"] == 1
    assert report.trend.loc["2025-04", "received"] == 0


def test_month_breakdowns_count_only_the_months_complaints(march_register, weekends_only):
    report = analyse_month(march_register, MARCH, weekends_only, TODAY)
    channel = report.breakdowns["channel"]
    assert channel["cases"].to_dict() == {"Phone": 3, "Email": 1, "Letter": 1}  # A C D; B; F


# ----------------------------------------------------------------------------- pivots

def test_category_by_month_counts(march_register, weekends_only):
    table = category_by_month(prepare(march_register, weekends_only))
    assert list(table.columns) == ["2025-03", "2026-02", "2026-03", "2026-04", "Total"]
    assert table.loc["Delivery"].to_dict() == {
        "2025-03": 1, "2026-02": 0, "2026-03": 3, "2026-04": 1, "Total": 5}
    assert table.loc[NOT_SET, "2026-03"] == 1  # F has no category
    assert table.index[0] == "Delivery"  # most complaints first


def test_pivots_by_channel_as_of_today(march_register, weekends_only):
    table = pivots(march_register, weekends_only, TODAY)["channel"]
    # List order (Phone, Email, Web form, Letter), not alphabetical.
    assert list(table.index) == ["Phone", "Email", "Web form", "Letter"]
    phone = table.loc["Phone"]
    # A H closed on time; C D G open and, on 10 April, all overdue (G: due 9 April).
    assert (phone["cases"], phone["open"], phone["overdue"], phone["resolved"]) == (5, 3, 3, 2)
    # Verdicts: A H on time, C late, D late (due 3 April), G late (due 9 April).
    assert phone["on_time_rate"] == pytest.approx(2 / 5)
    assert phone["median_days"] == pytest.approx(1.5)  # A 2, H 1
    assert phone["satisfaction"] == pytest.approx(4.0)  # A 5, H 3


def test_pivots_group_empty_values_as_not_set(march_register, weekends_only):
    tables = pivots(march_register, weekends_only, TODAY)
    assert tables["department"].loc[NOT_SET, "cases"] == 7
    assert tables["department"].loc["Logistics", "cases"] == 1
    assert set(tables) == {"category_by_month", "channel", "category", "severity", "urgency",
                           "department", "handler", "status"}


# ----------------------------------------------------------------------------- overdue, repeats

def test_overdue_list_longest_first(march_register, weekends_only):
    table = overdue_cases(march_register, weekends_only, dt.date(2026, 3, 31))
    assert list(table["case_no"]) == ["C", "D"]
    # C: working days in (17, 31 March] = 10; D: in (23, 31 March] = 6.
    assert list(table["days_over"]) == [10, 6]
    assert list(table["missed"]) == ["resolve", "acknowledge"]


def test_repeat_customers_are_matched_on_phone_digits(march_register):
    table = repeat_customers(march_register, MARCH)
    assert len(table) == 1
    row = table.iloc[0]
    assert (row["customer_name"], row["in_month"], row["total"]) == ("张三", 2, 2)
    assert row["case_nos"] == ["A", "D"]
    assert row["categories"] == ["Delivery"]


def test_no_repeats_gives_an_empty_table(march_register):
    assert repeat_customers(march_register, MARCH - 1).empty


# ----------------------------------------------------------------------------- rising categories

def _poisson_tail_by_hand(count: int, mean: float) -> float:
    return 1 - sum(math.exp(-mean) * mean ** k / math.factorial(k) for k in range(count))


@pytest.mark.parametrize(("count", "mean"), [(8, 2.0), (7, 4.0), (1, 0.5), (30, 10.0), (3, 5)])
def test_poisson_tail_matches_the_textbook_sum(count, mean):
    assert poisson_upper_tail(count, mean) == pytest.approx(_poisson_tail_by_hand(count, mean),
                                                            rel=1e-9, abs=1e-15)


def test_poisson_tail_edges():
    assert poisson_upper_tail(0, 3.0) == 1.0
    assert poisson_upper_tail(4, 0.0) == 0.0


@pytest.fixture
def category_history() -> pd.DataFrame:
    """December to February as the baseline, March as the month."""
    counts = {  # category: (Dec, Jan, Feb, Mar)
        "Delivery": (2, 3, 1, 8),  # mean 2, p = P(X >= 8 | 2) ~ 0.001: rising
        "Billing": (4, 4, 4, 7),  # mean 4, p ~ 0.11: not significant
        "Price": (0, 0, 0, 5),  # new, reaches the minimum count: rising
        "Other": (0, 0, 0, 4),  # new but below the minimum count
        "Service attitude": (9, 9, 9, 6),  # fell
    }
    months = ("2025-12-15", "2026-01-15", "2026-02-16", "2026-03-16")
    rows = [dict(case_no=f"{cat}-{m}-{i}", received_at=day, category=cat, status="New")
            for cat, per_month in counts.items()
            for m, (day, n) in enumerate(zip(months, per_month, strict=True)) for i in range(n)]
    return frame(rows)


def test_rising_categories_rule(category_history):
    table = rising_categories(category_history, MARCH)
    assert list(table.index) == ["Price", "Delivery"]
    assert table.loc["Delivery", "count"] == 8
    assert table.loc["Delivery", "baseline"] == pytest.approx(2.0)
    assert table.loc["Delivery", "ratio"] == pytest.approx(4.0)
    assert table.loc["Delivery", "p_value"] == pytest.approx(_poisson_tail_by_hand(8, 2.0))
    assert table.loc["Price", "p_value"] == 0.0


def test_rising_needs_a_lower_minimum_to_flag_small_counts(category_history):
    table = rising_categories(category_history, MARCH, min_count=4)
    assert "Other" in table.index


# ----------------------------------------------------------------------------- regulatory views

@pytest.fixture
def four_replies() -> pd.DataFrame:
    return frame([
        # 1: acknowledged next day, resolved on the third working day (5 March).
        dict(case_no="1", received_at="2026-03-02", status="Closed",
             acknowledged_at="2026-03-03", resolved_at="2026-03-05"),
        # 2: acknowledged on the seventh working day (11 March), resolved on the fourth.
        dict(case_no="2", received_at="2026-03-02", status="Resolved",
             acknowledged_at="2026-03-11", resolved_at="2026-03-06"),
        # 3: acknowledged on the eighth working day, still open.
        dict(case_no="3", received_at="2026-03-02", status="In progress",
             acknowledged_at="2026-03-12"),
        # 4: received the day before yesterday: everything still pending.
        dict(case_no="4", received_at="2026-03-19", status="New"),
    ])


@pytest.mark.parametrize(("view", "met", "missed", "pending", "rate"), [
    # First response = earlier of acknowledgement and resolution: 3 Mar, 6 Mar, 12 Mar.
    ("cn_decided_7wd", 2, 1, 1, 2 / 3),  # deadline 11 March
    ("uk_resolved_3bd", 1, 2, 1, 1 / 3),  # deadline 5 March; 3 missed by not being resolved
    ("uk_final_8w", 2, 0, 2, 1.0),  # deadline 27 April
    ("us_responded_15d", 3, 0, 1, 1.0),  # deadline 17 March
])
def test_regulatory_views(four_replies, weekends_only, view, met, missed, pending, rate):
    table = regulatory_views(four_replies, weekends_only, dt.date(2026, 3, 20))
    row = table.loc[view]
    assert (row["cases"], row["met"], row["missed"], row["pending"]) == (4, met, missed, pending)
    assert row["rate"] == pytest.approx(rate)


def test_holidays_move_working_day_views(four_replies):
    # With 3 March a holiday, case 1's resolution on 5 March is on the second working day... and
    # case 2's on 6 March becomes the third: both met.
    calendar = WorkCalendar(frozenset({dt.date(2026, 3, 3)}), frozenset(), (5, 6))
    row = regulatory_views(four_replies, calendar, dt.date(2026, 3, 20)).loc["uk_resolved_3bd"]
    assert (row["met"], row["missed"]) == (2, 1)


# ----------------------------------------------------------------------------- scale

def test_fifty_thousand_rows_stay_vectorised(weekends_only):
    rng = np.random.default_rng(7)
    n = 50_000
    received = pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 450, n), unit="D")
    cases = pd.DataFrame({
        "case_no": [f"TS-{i}" for i in range(n)],
        "received_at": received,
        "category": rng.choice(["Delivery", "Billing", "Price"], n),
        "channel": rng.choice(["Phone", "Email"], n),
        "status": rng.choice(["New", "Closed"], n),
        "acknowledged_at": received + pd.Timedelta(days=1),
        "resolved_at": received + pd.to_timedelta(rng.integers(1, 20, n), unit="D"),
        "ack_due": received + pd.Timedelta(days=2),
        "due_at": received + pd.Timedelta(days=10),
        "satisfaction": rng.integers(1, 6, n).astype(float),
        "phone": [f"138{i % 20000:08d}" for i in range(n)],
        "repeat_of": np.where(rng.random(n) < 0.05, "TS-1", None),
    })
    report = analyse_month(cases, pd.Period("2026-02", freq="M"), weekends_only, TODAY)
    assert report.figures.received == int(
        (cases["received_at"].dt.to_period("M") == "2026-02").sum())
    assert report.trend["received"].sum() == int(
        cases["received_at"].between("2025-03-01", "2026-02-28 23:59").sum())


def test_closed_without_a_date_is_apart_from_pending(four_replies, weekends_only):
    undated = frame([dict(case_no="5", received_at="2026-03-02", status="Closed",
                          acknowledged_at="2026-03-03")])
    cases = pd.concat([four_replies, undated.set_axis([6])])
    row = regulatory_views(cases, weekends_only, dt.date(2026, 3, 20)).loc["uk_resolved_3bd"]
    # 1 met; 2 and 3 missed; 4 pending (deadline 24 March); 5 will never have a verdict.
    assert (row["met"], row["missed"], row["pending"], row["undated"]) == (1, 2, 1, 1)
    assert row["rate"] == pytest.approx(1 / 3)
