"""Escalation remembered across runs: a case reopened twice over several runs, by either door, is
proposed for Escalated on every later run, and the case log says why once.

What is pinned: the reopenings are counted from the hidden Case state (not only on the run that
sees the second one); a customer still not satisfied after a reopening likewise; the Escalated
event carries the reason in the sheet's language and is never written twice; every order of doors
(batch then button included) gives the same case log and the same proposals.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook
from test_caselog_doors import run
from test_xl_macros import TODAY, build_book

from addin.core.fields import match_headers

# Each door for each of the five runs: the same door throughout, or alternating.
ORDERS = {"batch": ("batch",) * 5, "live": ("live",) * 5,
          "batch-then-button": ("batch", "live", "batch", "live", "live"),
          "button-then-batch": ("live", "batch", "live", "batch", "batch")}


def _columns(ws) -> dict[str, int]:
    return {k: i + 1 for k, i in match_headers([c.value for c in ws[1]]).items()}


def pick_cases(path: Path) -> tuple[int, int]:
    """Two resolved or closed, numbered rows with a resolved date, not escalated."""
    ws = load_workbook(path)["Complaints"]
    cols = _columns(ws)
    rows = [r for r in range(2, ws.max_row + 1)
            if ws.cell(r, cols["case_no"]).value and ws.cell(r, cols["resolved_at"]).value
            and ws.cell(r, cols["status"]).value in ("Resolved", "Closed")
            and ws.cell(r, cols["severity"]).value != "Escalated"]
    return rows[0], rows[1]


def edit(source: Path, out: Path, changes: dict[int, dict[str, object]]) -> Path:
    wb = load_workbook(source)
    ws = wb["Complaints"]
    cols = _columns(ws)
    for row, values in changes.items():
        for key, value in values.items():
            ws.cell(row, cols[key]).value = value
    wb.save(out)
    return out


def proposals(path: Path) -> dict[str, str]:
    """Cell -> reason of every escalation proposed on the Findings sheet."""
    ws = load_workbook(path)["Findings"]
    return {r[0]: r[4] for r in ws.iter_rows(min_row=2, values_only=True)
            if r[2] == "escalate-proposed"}


def escalated_events(path: Path, numbers: tuple[str, ...]) -> list[tuple]:
    ws = load_workbook(path)["Case log"]
    return [(r[0], r[2], r[6]) for r in ws.iter_rows(min_row=2, values_only=True)
            if r[0] in numbers and r[2] in ("Escalated", "升级")]


@pytest.fixture(scope="module")
def card(tmp_path_factory) -> Path:
    return build_book(tmp_path_factory.mktemp("escalation") / "card.xlsx", 60)


def five_runs(card: Path, folder: Path, doors: tuple[str, ...]) -> dict:
    """Run 1; reopen both; run 2; resolve both, the second customer not satisfied; run 3;
    reopen the first again; run 4; run 5 with no change."""
    first = run(doors[0], card, folder / "1.xlsx")
    one, two = pick_cases(first)
    ws = load_workbook(first)["Complaints"]
    cols = _columns(ws)
    numbers = tuple(ws.cell(r, cols["case_no"]).value for r in (one, two))
    severity = {r: f"Complaints!{ws.cell(r, cols['severity']).coordinate}" for r in (one, two)}
    reopen = {"status": "Reopened", "closed_at": None}
    resolve = {"status": "Resolved", "resolved_at": dt.datetime.combine(TODAY, dt.time(17)),
               "follow_up_result": None, "satisfaction": None}
    second = run(doors[1], edit(first, folder / "1e.xlsx", {one: reopen, two: reopen}),
                 folder / "2.xlsx")
    third = run(doors[2], edit(second, folder / "2e.xlsx", {
        one: resolve, two: {**resolve, "follow_up_result": "Not satisfied"}}), folder / "3.xlsx")
    fourth = run(doors[3], edit(third, folder / "3e.xlsx", {one: reopen}), folder / "4.xlsx")
    fifth = run(doors[4], fourth, folder / "5.xlsx")
    return {"numbers": numbers, "severity": severity, "runs": [first, second, third, fourth,
                                                                fifth], "rows": (one, two)}


@pytest.fixture(scope="module")
def histories(card, tmp_path_factory) -> dict[str, dict]:
    return {name: five_runs(card, tmp_path_factory.mktemp(name), doors)
            for name, doors in ORDERS.items()}


@pytest.mark.parametrize("order", list(ORDERS))
def test_reopened_twice_over_several_runs_stays_proposed_and_is_logged_once(histories, order):
    history = histories[order]
    one, two = history["rows"]
    cell_one, cell_two = history["severity"][one], history["severity"][two]
    runs = history["runs"]
    # Run 2 saw the first reopening only: no proposal for it yet.
    assert proposals(runs[1]).get(cell_one) is None
    # Run 3: the second customer is not satisfied after the reopening.
    assert proposals(runs[2]).get(cell_two) == "unhappy-after-reopening"
    # Run 4 sees the second reopening of the first case; run 5 (no change) still proposes it:
    # the count lives in the Case state, not in what one run saw.
    for path in runs[3:]:
        assert proposals(path).get(cell_one) == "reopened-twice"
        assert proposals(path).get(cell_two) == "unhappy-after-reopening"
    events = escalated_events(runs[4], history["numbers"])
    assert events == [(history["numbers"][1], "Escalated", "Not satisfied after a reopening"),
                      (history["numbers"][0], "Escalated", "Reopened twice")]
    assert escalated_events(runs[3], history["numbers"]) == events  # run 5 added none


def test_every_order_of_doors_gives_the_same_case_log(histories):
    logs = {name: [tuple(r) for r in load_workbook(h["runs"][4])["Case log"].iter_rows(
        values_only=True)] for name, h in histories.items()}
    reference = logs["batch"]
    assert logs == dict.fromkeys(logs, reference)


def test_the_count_is_kept_in_the_hidden_state(histories):
    history = histories["batch-then-button"]
    ws = load_workbook(history["runs"][4])["Case state"]
    header = [c.value for c in ws[1]]
    rows = {r[0]: dict(zip(header, r, strict=False)) for r in ws.iter_rows(min_row=2,
                                                                          values_only=True)}
    one, two = history["numbers"]
    assert (rows[one]["reopenings"], rows[one]["escalation"]) == (2, "reopened-twice")
    assert (rows[two]["reopenings"], rows[two]["escalation"]) == (1, "unhappy-after-reopening")
    assert ws.sheet_state == "hidden"


def test_the_reason_is_written_in_the_sheet_language(tmp_path):
    source = build_book(tmp_path / "card.xlsx", 60, lang="zh-CN")
    first = run("batch", source, tmp_path / "1.xlsx")
    ws = load_workbook(first)["投诉登记"]
    cols = _columns(ws)
    row = next(r for r in range(2, ws.max_row + 1)
               if ws.cell(r, cols["case_no"]).value and ws.cell(r, cols["resolved_at"]).value
               and ws.cell(r, cols["status"]).value in ("已解决", "已结案"))
    wb = load_workbook(first)
    wb["投诉登记"].cell(row, cols["status"]).value = "重新打开"
    wb["投诉登记"].cell(row, cols["closed_at"]).value = None
    wb["投诉登记"].cell(row, cols["follow_up_result"]).value = "不满意"
    wb.save(tmp_path / "1e.xlsx")
    second = run("live", tmp_path / "1e.xlsx", tmp_path / "2.xlsx")
    wb = load_workbook(second)
    wb["投诉登记"].cell(row, cols["status"]).value = "已解决"
    wb.save(tmp_path / "2e.xlsx")
    third = run("batch", tmp_path / "2e.xlsx", tmp_path / "3.xlsx")
    number = ws.cell(row, cols["case_no"]).value
    log = [(r[2], r[6]) for r in load_workbook(third)["处理记录"].iter_rows(values_only=True)
           if r[0] == number]
    assert ("升级", "重新打开后客户仍不满意") in log
