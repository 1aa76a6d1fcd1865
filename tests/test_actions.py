"""Improvement actions: the target grammar, and a workbook whose four actions are measured, written
back and reported (one on time and met, one late, one not met, one opened last quarter and still
open). Every expected figure is worked out by hand in the comments."""

from __future__ import annotations

import datetime as dt
import re

import openpyxl
import pytest

from addin.core.targets import Target, parse_target
from addin.layout.actions_sheet import written_blocks

TODAY = dt.date(2026, 9, 15)  # the report covers August 2026


@pytest.mark.parametrize(("text", "target"), [
    ("-20% in 3 months", Target("complaints", "change", -20, 3)),
    ("减少20% 3个月内", Target("complaints", "change", -20, 3)),
    ("reduce 30% within 6 months", Target("complaints", "change", -30, 6)),
    ("≤ 5 per month", Target("complaints", "at_most", 5, 3)),
    ("每月不超过5件", Target("complaints", "at_most", 5, 3)),
    ("< 5 per month", Target("complaints", "below", 5, 3)),
    ("reopen rate < 5%", Target("reopen_rate", "below", 0.05, 3)),
    ("重开率低于5%", Target("reopen_rate", "below", 0.05, 3)),
    ("repeat rate ≤ 10%", Target("repeat_rate", "at_most", 0.10, 3)),
])
def test_targets_in_either_language(text, target):
    assert parse_target(text) == target


@pytest.mark.parametrize("text", ["better service", "-20", "< 5%", "reopen rate < 5",
                                  "-20% in 40 months", "-150%"])
def test_a_target_that_is_not_a_figure_is_not_guessed(text):
    assert parse_target(text) is None


def test_written_cells_go_as_one_block_per_column():
    blocks = written_blocks([(2, 12, "a"), (4, 12, "b"), (2, 13, "Met")], None)
    assert blocks == [(2, 12, ["a", None, "b"], [None, None, None]), (2, 13, ["Met"], [None])]


HEADERS = ["Received", "Channel", "Customer", "Phone", "Complaint", "Category", "Status",
           "Handler"]


def _complaint(day: str, category: str, status: str = "New") -> list:
    return [dt.datetime.fromisoformat(day + " 10:00"), "Phone", "Ann Lee", "13800000000",
            "Something went wrong", category, status, "Li"]


def _register() -> list[list]:
    rows = []
    # Delivery: 4 a month in Jan-Mar (before A-1, opened in April), 1 a month in May-Jul.
    for month in ("01", "02", "03"):
        rows += [_complaint(f"2026-{month}-{d:02d}", "Delivery") for d in (5, 6, 7, 8)]
    rows += [_complaint(f"2026-{m}-05", "Delivery") for m in ("05", "06", "07")]
    # Billing: 2 a month both before and after A-2 (also opened in April).
    for month in ("01", "02", "03", "05", "06", "07"):
        rows += [_complaint(f"2026-{month}-{d:02d}", "Billing") for d in (12, 13)]
    # Service attitude: two in April (before A-4, opened in June), one of them reopened.
    rows += [_complaint("2026-04-20", "Service attitude", "Reopened"),
             _complaint("2026-04-21", "Service attitude")]
    rows += [_complaint("2026-08-03", "Other"), _complaint("2026-08-04", "Other")]
    return rows


ACTIONS = [
    ["Action No", "Opened", "Category", "Cause type", "Product/Service", "Cases", "Action",
     "Owner", "Due", "Status", "Target", "Result", "Verdict"],
    ["A-1", dt.date(2026, 4, 10), "Delivery", None, None, None, "Weekly call with the courier",
     "Liu", dt.date(2026, 5, 31), "Done", "-50% in 3 months"],
    ["A-2", dt.date(2026, 4, 5), "账务", None, None, None, "Fix the invoice template", "Chen",
     dt.date(2026, 5, 15), "Done", "≤ 1 per month"],
    ["A-3", dt.date(2026, 8, 20), "Price", None, None, None, "Price-match rule for stores",
     "Zhao", dt.date(2026, 9, 1), "In progress", "-20% in 3 months"],
    ["A-4", dt.date(2026, 6, 15), "Service attitude", None, None, None,
     "<b>Courtesy</b> & training", "Wang", dt.date(2026, 12, 31), "In progress",
     "reopen rate < 5%"],
]
VOLUME = [["Month", "Orders"], ["2026-07", 1000], ["2026-08", 2000]]


@pytest.fixture(scope="module")
def processed(tmp_path_factory):
    from addin.batch.run import process_file
    from addin.workbook import build_workbook
    from reports.monthly import write_report

    path = tmp_path_factory.mktemp("actions") / "book.xlsx"
    build_workbook(path, "en", headers=HEADERS, rows=_register(),
                   side_rows={"actions": ACTIONS, "volume": VOLUME})
    process_file(path, today=TODAY)
    [html] = write_report(path, month="2026-08", lang="en", today=TODAY, pdf=False)
    return openpyxl.load_workbook(path), html.read_text(encoding="utf-8")


def test_the_add_in_writes_result_and_verdict(processed):
    wb, _ = processed
    sheet = wb["Actions"]
    written = {row[0].value: (row[11].value, row[12].value) for row in sheet.iter_rows(min_row=2)}
    # Delivery 12 in Jan-Mar = 4.0 a month, 3 in May-Jul = 1.0: -75 %, target -50 %: met.
    assert written["A-1"] == ("4.0 → 1.0 complaints/month (-75.0%)", "Met")
    # Billing 6 before and 6 after = 2.0 a month, target at most 1: not met.
    assert written["A-2"] == ("2.0 → 2.0 complaints/month (+0.0%)", "Not met")
    # no Price complaint in May-Jul; Sep-Nov are not over.
    assert written["A-3"] == ("0.0 → … complaints/month", "Too early")
    # one of the two April complaints reopened = 50 %; Jul-Sep are not over.
    assert written["A-4"] == ("50.0% → … reopen rate", "Too early")


def test_late_and_not_met_actions_are_findings_on_their_rows(processed):
    wb, _ = processed
    found = {(row[0], row[2]) for row in wb["Findings"].iter_rows(min_row=2, values_only=True)}
    assert ("Actions!G3", "action-not-met") in found  # A-2 asks for a new plan
    assert ("Actions!G4", "action-late") in found  # A-3 was due on 1 September
    assert not {cell for cell, code in found if code.startswith("action")} - {"Actions!G3",
                                                                             "Actions!G4"}


def _section(html: str, name: str) -> str:
    found = re.search(rf'<section class="learning" id="{name}">(.*?)</section>', html, re.S)
    assert found, name
    return found.group(1)


def test_the_report_carries_open_actions_and_flags_late_ones(processed):
    _, html = processed
    still_open = _section(html, "ActionsOpen")
    assert "A-3" in still_open and "A-4" in still_open  # A-4 was opened last quarter
    assert "A-1" not in still_open and "A-2" not in still_open  # done
    late = _section(html, "ActionsLate")
    assert "A-3" in late and "A-4" not in late
    results = _section(html, "ActionsResults")
    assert re.search(r"A-1.*?Met<", results, re.S) and re.search(r"A-2.*?Not met", results, re.S)
    # Staff's text is shown, never run as markup.
    assert "&lt;b&gt;Courtesy&lt;/b&gt; &amp; training" in still_open and "<b>Courtesy" not in html


def test_the_report_shows_complaints_per_thousand_orders(processed):
    _, html = processed
    rate = _section(html, "ComplaintRate")
    # July: 1 Delivery + 2 Billing = 3 complaints / 1,000 orders; August: 2 / 2,000 = 1.0.
    assert re.search(r"2026-07</td>.*?>3<.*?>3\.0<", rate, re.S)
    assert re.search(r"2026-08</td>.*?>2<.*?>1\.0<", rate, re.S)
    assert "falling" in rate


def test_the_analysis_sheet_holds_the_actions_and_analyses(processed):
    wb, _ = processed
    tables = set(wb["Analysis"].tables)
    assert {"ActionsOpen", "ActionsLate", "ActionsResults", "ComplaintRate", "Workload"} <= tables


def test_a_second_run_changes_nothing(processed, tmp_path):
    from addin.batch.run import process_file

    wb, _ = processed
    path = tmp_path / "again.xlsx"
    wb.save(path)
    process_file(path, today=TODAY)  # openpyxl's own save may differ from the builder's
    assert not process_file(path, today=TODAY).changed  # Result and Verdict stand as written


LEARNING_SECTIONS = ("ActionsOpen", "ActionsLate", "ActionsResults", "Causes", "RootCauses",
                     "Profile_product", "Profile_customer_type", "Profile_channel",
                     "Profile_category", "FollowUp", "Risks", "NotAccepted",
                     "Compensation_category", "Compensation_department", "Compensation_remedy",
                     "Workload", "ComplaintRate")


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_the_demo_report_shows_every_new_section_with_content(tmp_path, lang):
    from addin.batch.run import process_file
    from addin.demo import write_demo_workbook
    from reports.monthly import default_month, write_report

    path = write_demo_workbook(tmp_path / "demo.xlsx", rows=600, lang=lang, today=TODAY)
    process_file(path, today=TODAY)
    [html] = write_report(path, month=default_month(TODAY), lang=lang, today=TODAY, pdf=False)
    text = html.read_text(encoding="utf-8")
    for name in LEARNING_SECTIONS:
        assert "<tbody>" in _section(text, name), name
    verdicts = _section(text, "ActionsResults")
    words = ("Met", "Not met", "Too early") if lang == "en" else ("达成", "未达成", "为时尚早")
    assert all(f">{word}<" in verdicts for word in words)


def test_the_live_door_writes_the_same_results_in_one_block_a_column(tmp_path):
    from xl_standin import StandinBook

    from addin.batch.run import process_file
    from addin.workbook import build_workbook
    from addin.xl.macros import run_button

    card = build_workbook(tmp_path / "card.xlsx", "en", headers=HEADERS, rows=_register(),
                          side_rows={"actions": ACTIONS})
    book = StandinBook(card)
    result = run_button(book, "run_all", today=TODAY)
    assert result.ok, result.message
    blocks = [w for w in result.plan.writes if w.sheet == "Actions"]
    assert [(w.address, len(w.values)) for w in blocks] == [("L2:L5", 4), ("M2:M5", 4)]
    book.wb.save(tmp_path / "live.xlsx")
    process_file(card, output=tmp_path / "batch.xlsx", today=TODAY)

    def results(path):
        ws = openpyxl.load_workbook(path)["Actions"]
        return [[c.value for c in row[11:13]] for row in ws.iter_rows(min_row=2)]
    assert results(tmp_path / "live.xlsx") == results(tmp_path / "batch.xlsx")
    assert results(tmp_path / "live.xlsx")[0] == ["4.0 → 1.0 complaints/month (-75.0%)", "Met"]
