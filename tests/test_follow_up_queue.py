"""The follow-up queue staff work through every morning: the done cases whose follow-up is due soon
or overdue. What is pinned: on the run's day it names exactly the cases the pipeline's clock calls
so (and so the cells the register colours); earlier days see the follow-ups recorded after them as
still owed; most overdue first; the Monthly table says it in both languages."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from openpyxl import load_workbook
from test_xl_macros import TODAY, batch_run, build_book, press

from addin.batch.caselog import read_case_state
from addin.batch.sheets import find_register, read_counters, read_grids, read_register
from addin.core.analysis import analyse_month
from addin.core.calendar import default_calendar
from addin.core.followups import QUEUE_COLUMNS, follow_up_queue
from addin.core.pipeline import process
from addin.layout.followups import follow_up_table


@pytest.fixture(scope="module")
def outcome(tmp_path_factory):
    path = build_book(tmp_path_factory.mktemp("queue") / "card.xlsx", 400)
    wb = load_workbook(path)
    return process(read_register(find_register(wb)), read_grids(wb), TODAY, read_counters(wb),
                   last_state=read_case_state(wb))


def test_on_the_run_day_the_queue_is_the_clock_state(outcome):
    cases, settings = outcome.cases, outcome.config.settings
    queue = follow_up_queue(cases, outcome.config.calendar, TODAY, settings.due_soon_days)
    state = cases["follow_up_state"]
    assert set(queue.index) == set(state.index[state.isin(["Overdue", "Due soon"])])
    assert dict(queue["state"]) == dict(state[queue.index])
    assert (queue["state"] == "Overdue").sum() > 0 and (queue["state"] == "Due soon").sum() > 0
    assert list(queue.columns) == list(QUEUE_COLUMNS)


def test_most_overdue_first_and_days_counted_in_working_days(outcome):
    cases = outcome.cases
    queue = follow_up_queue(cases, outcome.config.calendar, TODAY, 2)
    days = queue["days_over"].tolist()
    assert days == sorted(days, reverse=True)
    assert (queue.loc[queue["state"] == "Due soon", "days_over"] == 0).all()
    # The least overdue, due in March 2026: no holiday between then and today.
    late = queue[(queue["state"] == "Overdue") & (queue["follow_up_due"] >= "2026-03-01")]
    row = late.index[-1]
    due = queue.at[row, "follow_up_due"].date()
    expected = sum(1 for k in range(1, (TODAY - due).days + 1)
                   if (due + dt.timedelta(days=k)).weekday() < 5)
    assert queue.at[row, "days_over"] == expected


def test_a_follow_up_recorded_later_was_still_owed_on_an_earlier_day():
    cases = pd.DataFrame({
        "case_no": ["A", "B", "C", "D"], "customer_name": ["Li", "Wu", "Ma", "Xu"],
        "handler": ["Amy", None, "Bo", "Bo"],
        "status": ["Resolved", "Closed", "In progress", "Resolved"],
        "resolved_at": pd.to_datetime(["2026-03-02", "2026-03-02", None, "2026-03-30"]),
        "follow_up_due": pd.to_datetime(["2026-03-09", "2026-03-09", None, "2026-04-06"]),
        "follow_up_at": pd.to_datetime([None, "2026-03-20", None, None]),
    })
    calendar = default_calendar()
    on_16th = follow_up_queue(cases, calendar, dt.date(2026, 3, 16), 1)
    assert on_16th["case_no"].tolist() == ["A", "B"]  # D was not resolved yet
    assert on_16th["days_over"].tolist() == [5, 5]
    on_21st = follow_up_queue(cases, calendar, dt.date(2026, 3, 21), 1)
    assert on_21st["case_no"].tolist() == ["A"]  # B's follow-up was made on the 20th
    assert follow_up_queue(cases, calendar, dt.date(2026, 4, 3), 1)["case_no"].tolist() == [
        "A", "D"]  # D due on Monday the 6th: one working day left


@pytest.mark.parametrize(("lang", "title", "days"), [
    ("en", "Follow-ups due on 20 Mar 2026", "Working days over"),
    ("zh-CN", "2026年3月20日待回访案件", "超期工作日"),
])
def test_the_monthly_table_in_each_language(outcome, lang, title, days):
    cases = outcome.cases
    month = analyse_month(cases, pd.Period("2026-03", freq="M"), outcome.config.calendar, TODAY,
                          outcome.config.lists, due_soon_days=2)
    table = follow_up_table(month, lang, outcome.config.lists)
    assert table.name == "FollowUps" and table.title == title
    assert table.columns[5] == days and len(table.rows) == len(month.follow_ups) > 0
    first = month.follow_ups.iloc[0]
    assert table.rows[0][0] == first["case_no"] and table.rows[0][5] == first["days_over"]
    assert table.rows[0][4] == first["follow_up_due"].date()
    overdue = int((month.follow_ups["state"] == "Overdue").sum())
    assert str(overdue) in table.note


def findings_queue(path) -> list[tuple]:
    """The follow-up rows of a saved workbook's Findings sheet: what staff filter by code."""
    ws = load_workbook(path)["Findings"]
    return [tuple(r[:6]) for r in ws.iter_rows(min_row=2, values_only=True)
            if r[2] in ("follow-up-overdue", "follow-up-due")]


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_both_doors_list_the_queue_on_the_findings_sheet(tmp_path, lang):
    source = build_book(tmp_path / "card.xlsx", 300, lang=lang)
    batch_run(source, tmp_path / "batch.xlsx")
    book, result = press(source, "run_all")
    assert result.ok, result.message
    book.wb.save(tmp_path / "live.xlsx")
    listed = findings_queue(tmp_path / "batch.xlsx")
    assert listed == findings_queue(tmp_path / "live.xlsx")
    wb = load_workbook(source)
    out = process(read_register(find_register(wb)), read_grids(wb), TODAY, read_counters(wb))
    queue = follow_up_queue(out.cases, out.config.calendar, TODAY, 2)
    resolved = queue[queue["status"].eq("Resolved")]
    assert sorted(r[0] for r in listed) == sorted(
        out.register.cell(int(row), "follow_up_at") for row in resolved.index)
    assert {r[2] for r in listed} == {"follow-up-overdue", "follow-up-due"}
    number = resolved["case_no"].iloc[0]
    said = next(r[5] for r in listed if number in r[5])
    late = resolved["days_over"].iloc[0]
    assert (f"{late} working days ago" if lang == "en" else f"已超期 {late} 个工作日") in said
