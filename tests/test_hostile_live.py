"""The live door meets the same hostile input where Excel lets it reach the door: staff patterns
that backtrack without end, case-number formats too wide for a cell, a settings sheet reaching far
past what is read. Each test presses the button through the recording stand-in and compares what
it says with what the batch door says about the same file."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
from hostile import TODAY, good_book
from openpyxl import load_workbook
from xl_standin import StandinBook

from addin.batch.run import process_file
from addin.batch.safety import WorkbookRefused
from addin.xl.macros import run_button

WHEN = dt.datetime(2026, 3, 20, 9, 0)


def press(path: Path) -> tuple[StandinBook, object]:
    book = StandinBook(path)
    return book, run_button(book, "run_all", today=TODAY, when=WHEN)


def batch_findings(path: Path, codes: set[str]) -> set[tuple[str, str]]:
    out = path.with_name("batch-" + path.name)
    process_file(path, today=TODAY, output=out)
    ws = load_workbook(out)["Findings"]
    return {(row[2], row[0]) for row in ws.iter_rows(min_row=2, values_only=True)
            if row[2] in codes}


def live_findings(result, codes: set[str]) -> set[tuple[str, str]]:
    return {(f.code, f.cell) for f in result.outcome.findings if f.code in codes}


@pytest.mark.parametrize("pattern", ["(a|a)+$", r"(\w|\d)+$"])
def test_a_pattern_that_backtracks_without_end_is_stopped_in_the_live_door(tmp_path, pattern):
    def slow(wb):
        rules = wb.create_sheet("Rules")
        rules.append(["Rule id", "Enabled", "Fields", "Match", "Pattern", "Category"])
        rules.append(["slow", "Yes", "Complaint", "regex", pattern, "Price"])
        wb["Complaints"]["E2"] = ("a" if "a" in pattern else "1") * 4990 + " broken!"
    path = good_book(tmp_path, change=slow)
    started = time.perf_counter()
    _, result = press(path)
    assert time.perf_counter() - started < 20  # without the time limit: hours
    assert result.ok, result.message
    assert live_findings(result, {"bad-rule"}) == {("bad-rule", "Rules!E2")}
    assert live_findings(result, {"bad-rule"}) == batch_findings(path, {"bad-rule"})


@pytest.mark.parametrize("case_format", ["TS-{seq:100000000}", "X" * 70 + "-{seq:4}"])
def test_a_case_number_format_too_wide_is_the_same_finding_in_the_live_door(tmp_path,
                                                                           case_format):
    def wide(wb):
        wb["Settings"].append(["Case number format", case_format])
    path = good_book(tmp_path, change=wide)
    book, result = press(path)
    assert result.ok, result.message
    assert live_findings(result, {"bad-setting"}) == {("bad-setting", "Settings!B3")}
    assert live_findings(result, {"bad-setting"}) == batch_findings(path, {"bad-setting"})
    ws = book.wb["Complaints"]
    col = next(c.column for c in ws[1] if c.value == "Case No")  # added by the run
    numbers = [ws.cell(row, col).value for row in (2, 3)]
    assert len(set(numbers)) == 2 and all(len(n) < 40 for n in numbers)


def test_a_far_settings_cell_is_refused_by_the_live_door_in_the_batchs_words(tmp_path):
    """The live door reads a settings sheet as one block from A1 and looks at its used range
    only when the content reaches the block's edge; then a cell past the area read is refused
    as the batch door refuses it, and nothing is written."""
    def far(wb):
        wb["Settings"]["Z1"] = "edge"
        wb["Settings"]["XFD1048576"] = "x"
    path = good_book(tmp_path, change=far)
    book, result = press(path)
    assert not result.ok
    assert "Settings!XFD1048576" in result.message and "A1:CV5000" in result.message
    assert not [call for call in book.log.calls if call.startswith("set value")]
    with pytest.raises(WorkbookRefused) as batch:
        process_file(path, today=TODAY)
    assert "Settings!XFD1048576" in batch.value.message and "A1:CV5000" in batch.value.message
