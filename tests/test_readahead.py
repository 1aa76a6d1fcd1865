"""The report command reads its workbook ahead, in a thread, while its modules load.

What it reads ahead must be what the reader would have read, and whatever goes wrong ahead must
reach staff as the same message the plain read gives.
"""

from __future__ import annotations

import gc
import threading
from pathlib import Path

import pytest
from hostile import SHEET, TODAY, good_book, part, rewrite, with_doctype

import reports.read
from addin.cli import EXIT_OK, EXIT_REFUSED, main
from reports import readahead
from reports.monthly import write_report
from reports.read import ReportRefused, read_workbook_fast
from reports.readahead import reading_ahead, take


def _damaged(path: Path) -> Path:
    """A sheet cut short: the package check passes it, calamine's parse fails."""
    return rewrite(path, {SHEET: part(path, SHEET)[:200]})


def _entities(path: Path) -> Path:
    """A sheet declaring XML entities: the package check refuses it."""
    return rewrite(path, {SHEET: with_doctype(part(path, SHEET))})


def _taken(monkeypatch) -> list[object]:
    """What each read of a workbook found read ahead (None: nothing)."""
    found: list[object] = []

    def recording(path):
        ahead = take(path)
        found.append(ahead)
        return ahead

    monkeypatch.setattr(reports.read, "take", recording)
    return found


def test_the_command_writes_the_report_the_plain_read_gives(tmp_path, monkeypatch, capsys):
    path = good_book(tmp_path)
    plain = write_report(path, "2026-03", "en", tmp_path / "plain", TODAY, pdf=False)
    taken = _taken(monkeypatch)
    assert main(["report", str(path), "--month", "2026-03", "--today", TODAY.isoformat(),
                 "--lang", "en", "--no-pdf", "--output", str(tmp_path / "ahead")]) == EXIT_OK
    ahead = Path(capsys.readouterr().out.strip())
    assert len(taken) == 1 and taken[0] is not None and "Complaints" in taken[0].book.sheet_names
    assert ahead.read_text(encoding="utf-8") == plain[0].read_text(encoding="utf-8")


def test_the_register_read_ahead_is_the_one_read_plainly(tmp_path):
    path = good_book(tmp_path)
    register, sheets, _ = read_workbook_fast(path)
    with reading_ahead([str(path)]):
        early, early_sheets, _ = read_workbook_fast(path)
    assert early.headers == register.headers and early.header_row == register.header_row
    assert early.rows.equals(register.rows) and set(early_sheets) == set(sheets)


@pytest.mark.parametrize("spoil, words", [(_damaged, "cannot be read as a workbook"),
                                          (_entities, "declares XML entities")],
                         ids=["damaged sheet", "entity declarations"])
def test_what_goes_wrong_ahead_is_said_as_the_plain_read_says_it(tmp_path, spoil, words):
    """A refusal of the package check (made before the thread starts) and calamine's error in
    the thread both reach the reader as the plain read's refusal."""
    path = spoil(good_book(tmp_path))
    with pytest.raises(ReportRefused) as plain:
        read_workbook_fast(path)
    with reading_ahead([path]), pytest.raises(ReportRefused) as ahead:
        read_workbook_fast(path)
    assert words in ahead.value.message and path.name in ahead.value.message
    assert ahead.value.message == plain.value.message
    assert ahead.value.message_zh == plain.value.message_zh


def test_the_command_refuses_a_damaged_sheet_read_ahead_with_status_2(tmp_path, capsys):
    path = _damaged(good_book(tmp_path))
    assert main(["report", str(path), "--month", "2026-03", "--today", TODAY.isoformat(),
                 "--no-pdf", "--output", str(tmp_path)]) == EXIT_REFUSED
    err = capsys.readouterr().err
    assert "cannot be read as a workbook" in err and "bug" not in err


def test_a_read_ahead_is_taken_once(tmp_path):
    path = good_book(tmp_path)
    with reading_ahead([path]):
        assert take(path) is not None
        assert take(path) is None  # a second reader reads the file anew
    assert take(path) is None


@pytest.mark.parametrize("given", ["two files", "a folder", "no such file"])
def test_only_one_workbook_file_is_read_ahead(tmp_path, given):
    first, second = good_book(tmp_path, "a.xlsx"), good_book(tmp_path, "b.xlsx")
    names = {"two files": [first, second], "a folder": [tmp_path],
             "no such file": [tmp_path / "c.xlsx"]}[given]
    with reading_ahead(names):
        assert readahead._started == {}


def test_the_thread_is_done_when_the_block_ends_even_on_an_error(tmp_path):
    path = good_book(tmp_path)
    with pytest.raises(KeyError), reading_ahead([path]):
        ahead = readahead._started[path.resolve()]
        raise KeyError("the command failed before reading")
    assert not ahead._thread.is_alive() and readahead._started == {}
    assert "read-ahead" not in {thread.name for thread in threading.enumerate()}


def test_the_report_command_leaves_cycle_collection_as_it_found_it(tmp_path, capsys):
    path = good_book(tmp_path)
    assert gc.isenabled()
    main(["report", str(path), "--month", "2026-03", "--today", TODAY.isoformat(), "--no-pdf",
          "--output", str(tmp_path)])
    assert gc.isenabled()
