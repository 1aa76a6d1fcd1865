"""Register text longer than an Excel cell holds (32,767 characters), written by another tool:
every door reports it at its cell with its length and what to do, and none writes it back cut."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from hostile import HEADERS, TODAY, good_book, put_long
from openpyxl import load_workbook
from xl_standin import StandinBook

from addin.batch.run import process_file
from addin.cli import EXIT_FINDINGS, main
from addin.core.register import Register
from addin.xl.macros import run_button

LONG = "late parcel " * 3334  # 40,008 characters
CELL_TEXT = 32_767  # an Excel cell's limit (addin.core.limits.CELL_TEXT)
WHEN = dt.datetime(2026, 3, 20, 9, 0)


def long_book(folder: Path) -> Path:
    """Complaint E2 and Customer C3 longer than a cell holds, and a Case No column whose A2 is
    as long: the run writes that column, so it is where a cut value could be written back."""
    def spoil(wb):
        ws = wb["Complaints"]
        ws.insert_cols(1)
        ws["A1"] = "Case No"
        put_long(ws, "A2", "TS-" + "9" * 40_000)
        put_long(ws, "F2", LONG)
        put_long(ws, "D3", "Ann " + LONG)
    return good_book(folder, change=spoil)


def staff_typed(path: Path) -> list[object]:
    """What staff typed: the case number in A2 and the first columns beside it (the run numbers
    row 3 in A3)."""
    ws = load_workbook(path)["Complaints"]
    return [ws["A2"].value] + [[c.value for c in row] for row in
                               ws.iter_rows(min_col=2, max_col=len(HEADERS) + 1)]


def findings_of(path: Path) -> dict[str, tuple[str, str]]:
    ws = load_workbook(path)["Findings"]
    return {row[0]: (row[5], row[6]) for row in ws.iter_rows(min_row=2, values_only=True)
            if row[2] == "text-too-long"}


def cells(path: Path) -> dict[str, object]:
    ws = load_workbook(path)["Complaints"]
    return {c.coordinate: c.value for row in ws.iter_rows() for c in row}


def test_the_batch_reports_each_long_cell_and_keeps_it_whole(tmp_path, capsys):
    path = long_book(tmp_path)
    typed = staff_typed(path)
    assert main(["process", str(path), "--today", TODAY.isoformat()]) == EXIT_FINDINGS
    found = findings_of(path)
    assert set(found) == {"Complaints!A2", "Complaints!F2", "Complaints!D3"}
    message, fix = found["Complaints!F2"]
    assert "40,008 characters" in message and "32,767" in message
    assert "put a shorter text in the cell" in fix
    assert staff_typed(path) == typed  # whole, every character, in every cell staff typed
    ws = load_workbook(path)["Complaints"]
    check = [c.column for c in ws[1] if c.value == "Check"][0]
    assert "Text too long for a cell" in ws.cell(2, check).value
    assert "Complaints!A2" in capsys.readouterr().out


def test_a_second_run_changes_nothing_and_still_reports(tmp_path):
    path = long_book(tmp_path)
    process_file(path, today=TODAY)
    before = path.read_bytes()
    report = process_file(path, today=TODAY)
    assert not report.changed and path.read_bytes() == before
    assert report.summary.errors == 3


def test_the_live_door_reports_the_same_cells_and_writes_what_the_batch_writes(tmp_path):
    """Excel itself cuts such text when it opens the file; the stand-in hands it over whole, as
    a workbook another tool wrote would be, so the shared core check is seen through the door."""
    path = long_book(tmp_path)
    book = StandinBook(path)
    result = run_button(book, "run_all", today=TODAY, when=WHEN)
    assert result.ok, result.message
    live = sorted(f.cell for f in result.outcome.findings if f.code == "text-too-long")
    assert live == ["Complaints!A2", "Complaints!D3", "Complaints!F2"]
    book.wb.save(tmp_path / "live.xlsx")
    ws = load_workbook(tmp_path / "live.xlsx")["Complaints"]
    assert (ws["A2"].value, ws["F2"].value) == ("TS-" + "9" * 40_000, LONG)
    batch = tmp_path / "batch.xlsx"
    process_file(path, today=TODAY, output=batch)
    assert findings_of(tmp_path / "live.xlsx") == findings_of(batch)
    assert {k: v for k, v in cells(tmp_path / "live.xlsx").items() if isinstance(v, str)
            and len(v) > CELL_TEXT} == {k: v for k, v in cells(batch).items()
                                        if isinstance(v, str) and len(v) > CELL_TEXT}


def test_a_change_too_long_for_a_cell_is_left_out_and_reported():
    from addin.core.limits import keep_whole
    register = Register.from_values("Complaints", 1, 1, ["Case No", "Complaint"],
                                    [["TS-1", "a"], ["TS-2", "b"]], lang="en")
    register.appended = {"check": 2}  # where the door adds the Check column: C
    changes = {"check": pd.Series(["fine", "x" * (CELL_TEXT + 1)], index=[2, 3], dtype=object)}
    kept, found = keep_whole(register, changes, [])
    assert kept["check"].to_dict() == {2: "fine"}
    assert [(f.code, f.cell, dict(f.params)["length"]) for f in found] == [
        ("text-too-long", "Complaints!C3", "32,768")]


@pytest.mark.parametrize("length, reported", [(CELL_TEXT, False), (CELL_TEXT + 1, True)])
def test_the_limit_is_excels(tmp_path, length, reported):
    def spoil(wb):
        put_long(wb["Complaints"], "E2", "y" * length)
    path = good_book(tmp_path, change=spoil)
    process_file(path, today=TODAY)
    assert ("Complaints!E2" in findings_of(path)) is reported
