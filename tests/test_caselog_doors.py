"""The case log through both doors: the same rows whichever door runs, and either continues the
other's log (batch then button, button then batch); a run with no change appends nothing."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from openpyxl import load_workbook
from test_xl_macros import batch_run, build_book, press

from addin.core.fields import match_headers

DOORS = ("batch", "live")


def run(door: str, source: Path, out: Path) -> Path:
    if door == "batch":
        batch_run(source, out)
    else:
        book, result = press(source, "run_all")
        assert result.ok, result.message
        book.wb.save(out)
    return out


def case_log(path: Path) -> list[tuple]:
    return [tuple(r) for r in load_workbook(path)["Case log"].iter_rows(values_only=True)]


def staff_change(source: Path, out: Path) -> tuple[str, str]:
    """Between two runs staff move a numbered case on, give it another handler and note a call
    on the Case log; returns the case number and its handler before."""
    wb = load_workbook(source)
    ws = wb["Complaints"]
    cols = {k: i + 1 for k, i in match_headers([c.value for c in ws[1]]).items()}
    row = next(r for r in range(2, ws.max_row + 1)
               if ws.cell(r, cols["case_no"]).value
               and ws.cell(r, cols["status"]).value == "In progress")
    handler = ws.cell(row, cols["handler"]).value
    ws.cell(row, cols["status"]).value = "Waiting on customer"
    ws.cell(row, cols["handler"]).value = "Someone Else"
    number = ws.cell(row, cols["case_no"]).value
    wb["Case log"].append([number, None, "跟进记录", None, None, "Amy", "Called the customer"])
    wb.save(out)
    return number, handler


@pytest.fixture(scope="module")
def card(tmp_path_factory) -> Path:
    return build_book(tmp_path_factory.mktemp("caselog") / "card.xlsx", 40)


@pytest.fixture(scope="module")
def logs(card, tmp_path_factory) -> dict[tuple[str, str], tuple[list, list, str, str]]:
    """(first door, second door) -> the Case log after the second run, after a third run with
    no change (by the first door), and the changed case's number."""
    folder = tmp_path_factory.mktemp("runs")
    found = {}
    for first, second in itertools.product(DOORS, DOORS):
        name = f"{first}-{second}"
        once = run(first, card, folder / f"{name}-1.xlsx")
        number, handler = staff_change(once, folder / f"{name}-edited.xlsx")
        twice = run(second, folder / f"{name}-edited.xlsx", folder / f"{name}-2.xlsx")
        thrice = run(first, twice, folder / f"{name}-3.xlsx")
        found[(first, second)] = (case_log(twice), case_log(thrice), number, handler)
    return found


def test_every_order_of_doors_gives_the_same_case_log(logs):
    reference = logs[("batch", "batch")][0]
    assert {pair: log for pair, (log, *_) in logs.items()} == dict.fromkeys(logs, reference)


@pytest.mark.parametrize("pair", list(itertools.product(DOORS, DOORS)))
def test_two_runs_log_the_changes_and_a_third_adds_nothing(logs, pair):
    log, again, number, handler = logs[pair]
    assert again == log  # no change, no row
    header, *rows = log
    assert header == ("Case No", "Time", "Event", "From", "To", "By", "Note")
    created = [r for r in rows if r[2] == "Created"]
    assert len(created) == len({r[0] for r in created})  # each case created once
    mine = [(r[2], r[3], r[4], r[5]) for r in rows if r[0] == number]
    assert mine == [("Created", None, number, "ComplaintRecord"),
                    ("跟进记录", None, None, "Amy"),  # staff's row stays where they put it
                    ("Status", "In progress", "Waiting on customer", "ComplaintRecord"),
                    ("Handler", handler, "Someone Else", "ComplaintRecord")]


def test_the_state_sheet_is_hidden_and_the_log_is_not(tmp_path, card):
    out = run("live", card, tmp_path / "live.xlsx")
    wb = load_workbook(out)
    assert wb["Case state"].sheet_state == "hidden"
    assert wb["Case log"].sheet_state == "visible"
