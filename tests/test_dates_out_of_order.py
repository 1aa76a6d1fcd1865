"""A case dated before it was received (a date-order finding) is done, but its dates measure
nothing: it is not on time, its negative duration enters no median, and it is counted apart.

The calendar has weekends only: the working days of March 2026 are 2-6, 9-13, 16-20, 23-27, 30, 31.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from addin.core.analysis import analyse_month, monthly_figures, regulatory_views
from addin.core.calendar import WorkCalendar
from addin.core.deadlines import compute_deadlines

MARCH = pd.Period("2026-03", freq="M")
TODAY = dt.date(2026, 4, 10)
DATES = ("received_at", "acknowledged_at", "resolved_at", "ack_due", "due_at")


def frame(rows: list[dict]) -> pd.DataFrame:
    """A canonical cases frame as the pipeline returns it: Excel row numbers from 2."""
    table = pd.DataFrame(rows, index=pd.RangeIndex(2, 2 + len(rows)))
    for key in DATES:
        table[key] = pd.to_datetime(table[key], format="mixed")
    return table


@pytest.fixture
def calendar() -> WorkCalendar:
    return WorkCalendar(frozenset(), frozenset(), (5, 6))


@pytest.fixture
def register() -> pd.DataFrame:
    return frame([
        # A: Li's, resolved on time after 2 working days.
        dict(case_no="A", received_at="2026-03-02 09:30", handler="Li", status="Closed",
             acknowledged_at="2026-03-02 10:00", resolved_at="2026-03-04", ack_due="2026-03-03",
             due_at="2026-03-06"),
        # X: Wu's, resolved on 9 March but received on the 10th: the resolved date is wrong.
        dict(case_no="X", received_at="2026-03-10 14:00", handler="Wu", status="Closed",
             acknowledged_at="2026-03-10 15:00", resolved_at="2026-03-09 11:00",
             ack_due="2026-03-11", due_at="2026-03-17"),
        # Y: Wu's, acknowledged the day before it was received; still in progress, not overdue.
        dict(case_no="Y", received_at="2026-03-24 09:00", handler="Wu", status="In progress",
             acknowledged_at="2026-03-23 16:00", resolved_at=None, ack_due="2026-03-25",
             due_at="2026-04-30"),
    ])


def test_a_case_resolved_before_it_was_received_is_closed_but_not_on_time(register, calendar):
    figures = monthly_figures(register, MARCH, calendar, TODAY)
    assert (figures.received, figures.closed, figures.open) == (3, 2, 1)
    # Only A has a resolve verdict: X's resolved date is before its received date.
    assert (figures.resolve_on_time, figures.resolve_late) == (1, 0)
    # A and X are acknowledged on time; Y's acknowledgement predates it and measures nothing.
    assert (figures.ack_on_time, figures.ack_late) == (2, 0)


def test_a_negative_duration_enters_no_median(register, calendar):
    figures = monthly_figures(register, MARCH, calendar, TODAY)
    assert figures.median_days == 2.0 and figures.p90_days == 2.0
    assert figures.timed == 1  # the resolved cases the median is taken over: A


def test_the_cases_dated_out_of_order_are_counted_apart(register, calendar):
    figures = monthly_figures(register, MARCH, calendar, TODAY)
    assert figures.dates_out_of_order == 2  # X (resolved) and Y (acknowledged)
    april = monthly_figures(register, MARCH + 1, calendar, TODAY)
    assert april.dates_out_of_order == 0


def test_the_handler_of_such_a_case_gets_no_negative_median(register, calendar):
    by_handler = analyse_month(register, MARCH, calendar, TODAY).breakdowns["handler"]
    wu = by_handler.loc["Wu"]
    assert (wu["cases"], wu["resolved"]) == (2, 1)
    assert pd.isna(wu["median_days"]) and pd.isna(wu["on_time_rate"])
    assert by_handler.loc["Li", "median_days"] == 2.0
    assert by_handler.loc["Li", "on_time_rate"] == 1.0


def test_the_regulatory_views_do_not_count_it_as_met(register, calendar):
    views = regulatory_views(register, calendar, dt.date(2026, 3, 31))
    resolved = views.loc["uk_resolved_3bd"]
    # A met (3rd working day is 5 March); X has no usable resolved date; Y is not resolved and
    # its deadline (27 March) has passed.
    assert (resolved["met"], resolved["missed"], resolved["pending"], resolved["undated"]) == (
        1, 1, 0, 1)
    first = views.loc["cn_decided_7wd"]
    # The first response: A and X by their acknowledgement; Y's is before receipt, so none yet
    # (its deadline is 2 April).
    assert (first["met"], first["missed"], first["pending"], first["undated"]) == (2, 0, 1, 0)


def test_the_register_shows_no_sla_status_and_no_days_open_for_it(register, calendar):
    out = compute_deadlines(register, (), calendar, 2, TODAY)
    # A is closed on time after 2 working days; X was not "Closed on time" with 0 days open.
    assert out["sla_status"].tolist()[:2] == ["Closed on time", None]
    assert out["days_open"].tolist()[:2] == [2, pd.NA]


def test_a_resolution_later_on_the_received_day_is_in_order(calendar):
    # A date typed without a time on the received day is not before it (the finding's rule).
    same_day = frame([dict(case_no="S", received_at="2026-03-02 15:00", handler="Li",
                           status="Closed", acknowledged_at="2026-03-02", resolved_at="2026-03-02",
                           ack_due="2026-03-03", due_at="2026-03-06")])
    figures = monthly_figures(same_day, MARCH, calendar, TODAY)
    assert (figures.dates_out_of_order, figures.resolve_on_time, figures.ack_on_time) == (0, 1, 1)
    assert figures.median_days == 0.0


def test_the_monthly_sheet_on_both_doors_and_the_report_say_so_in_the_same_words(register,
                                                                                  calendar):
    import openpyxl
    from xl_standin import StandinBook

    from addin.batch.analysis_sheets import write_analysis_sheets
    from addin.core.analysis import analysis_figures
    from addin.core.vocab import default_lists
    from addin.xl.analysis import write_analysis
    from reports.monthly import monthly_context

    def sheet_notes(wb) -> list[str]:
        return [c.value for c in wb["Monthly"]["A"] if isinstance(c.value, str)]

    lists = default_lists()
    figures = analysis_figures(register, calendar, TODAY, MARCH, lists)
    batch, live = openpyxl.Workbook(), StandinBook(openpyxl.Workbook())
    write_analysis_sheets(batch, figures, "en", lists)
    write_analysis(live, figures, "en", lists)
    context = monthly_context(figures.month, lists, "en", mask=False, workbook="b.xlsx")
    said = ("Acknowledged or resolved before they were received (see the “Date before received” "
            "findings): 2 of this month's complaints. They count as acknowledged or closed, but in "
            "no on-time rate and no resolution time.")
    assert said in context.notes
    assert said in sheet_notes(batch) and said in sheet_notes(live.wb)
