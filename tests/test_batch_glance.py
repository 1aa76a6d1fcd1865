"""A run's first look (addin/batch/glance.py): a run with nothing to change decides so from the
workbook's XML, without openpyxl's load, and the look reads what openpyxl's load reads."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.comments import Comment
from test_batch_stream import excel_style_book, tricky_book

from addin.batch import run as run_module
from addin.batch.caselog import _stored_state
from addin.batch.glance import glance
from addin.batch.run import _Below, _kept_whole, _work, open_for_run, process_file
from addin.batch.sheets import find_register
from addin.core.fields import WRITTEN_KEYS
from addin.demo import write_demo_workbook
from addin.layout.sheets import FINDINGS_SHEET

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def processed(tmp_path) -> Path:
    """A demo workbook after its first run: a second run over it changes nothing."""
    path = write_demo_workbook(tmp_path / "card.xlsx", rows=120, lang="en", today=TODAY)
    assert process_file(path, today=TODAY, user="test").changed
    return path


def test_a_run_with_nothing_to_change_never_loads_the_workbook(processed, monkeypatch):
    def refuse(*_args, **_kwargs):
        raise AssertionError("openpyxl loaded the workbook")

    monkeypatch.setattr(run_module, "open_for_run", refuse)
    before = processed.read_bytes()
    report = process_file(processed, today=TODAY, user="test")
    assert not report.changed and report.summary.cells_changed == 0
    assert processed.read_bytes() == before


def test_a_first_run_works_the_outcome_out_once(tmp_path, monkeypatch):
    """The outcome worked out from the look is the one written when the loaded workbook holds
    the same inputs; the core does not run twice."""
    path = write_demo_workbook(tmp_path / "card.xlsx", rows=120, lang="en", today=TODAY)
    calls = []
    real = run_module.process
    monkeypatch.setattr(run_module, "process",
                        lambda *args, **kwargs: calls.append(1) or real(*args, **kwargs))
    assert process_file(path, today=TODAY, user="test").changed
    assert len(calls) == 1
    assert not process_file(path, today=TODAY, user="test").changed


def _by_look(path: Path):
    look = glance(path, _kept_whole)
    assert look is not None and look.below  # the register was read below its top
    return _work(path, look.wb, look.loc, _Below(look.below), look.state, TODAY, True, {})


def _by_load(path: Path):
    wb, cut = open_for_run(path)
    loc = find_register(wb)
    below = cut.rows_below(loc.sheet, loc.first_col, loc.last_col + len(WRITTEN_KEYS)) \
        if cut else None
    # The case log's state as openpyxl's whole load reads it, against the look's own reading.
    stored = _stored_state(load_workbook(path))
    return _work(path, wb, loc, _Below(below), stored, TODAY, True, {})


@pytest.mark.parametrize("book", ["demo", "processed demo", "tricky cells", "excel style"])
def test_the_look_reads_what_openpyxl_loads(tmp_path, book):
    if book.endswith("demo"):
        path = write_demo_workbook(tmp_path / "card.xlsx", rows=80, lang="zh-CN", today=TODAY)
        if book == "processed demo":
            process_file(path, today=TODAY, user="test")
    else:
        make = tricky_book if book == "tricky cells" else excel_style_book
        path = make(tmp_path / "book.xlsx")
    looked, loaded = _by_look(path), _by_load(path)
    pd.testing.assert_frame_equal(looked.outcome.register.rows, loaded.outcome.register.rows)
    assert looked.grids == loaded.grids and looked.counters == loaded.counters
    assert looked.outcome.findings == loaded.outcome.findings
    pd.testing.assert_frame_equal(looked.outcome.last_state, loaded.outcome.last_state)
    pd.testing.assert_frame_equal(looked.outcome.case_state, loaded.outcome.case_state)
    pd.testing.assert_frame_equal(looked.outcome.case_events, loaded.outcome.case_events)
    assert looked.outcome.changes.keys() == loaded.outcome.changes.keys()
    for key, values in looked.outcome.changes.items():
        pd.testing.assert_series_equal(values, loaded.outcome.changes[key])
    assert looked.is_noop() == loaded.is_noop()


def _edit_analysis(wb) -> None:
    ws = wb["Analysis"]
    cell = next(c for row in ws.iter_rows(min_row=5) for c in row
                if isinstance(c.value, (int, float)) and not isinstance(c.value, bool))
    cell.value += 1


def _edit_findings(wb) -> None:
    wb[FINDINGS_SHEET]["F2"].value = "edited by hand"


def _drop_analysis(wb) -> None:
    wb.remove(wb["Analysis"])


@pytest.mark.parametrize("edit", [_edit_analysis, _edit_findings, _drop_analysis])
def test_sheets_the_run_rebuilds_count_as_changes(processed, edit):
    """The Findings and Analysis sheets are the run's own: one that differs from what the run
    would write is rebuilt, and the run after that changes nothing again."""
    wb = load_workbook(processed)
    edit(wb)
    wb.save(processed)
    assert process_file(processed, today=TODAY, user="test").changed
    assert "Analysis" in load_workbook(processed, read_only=True).sheetnames
    assert not process_file(processed, today=TODAY, user="test").changed


def test_without_analysis_the_analysis_sheet_does_not_count(processed):
    wb = load_workbook(processed)
    _edit_analysis(wb)
    wb.save(processed)
    assert not process_file(processed, today=TODAY, user="test", analysis=False).changed


def _merge(ws) -> None:
    ws.merge_cells("Y40:Y41")  # in the Notes column, which a run never writes


def _link(ws) -> None:
    ws["Y40"].hyperlink = "https://example.com/case"


def _comment(ws) -> None:
    ws["Y40"].comment = Comment("call back", "staff")


@pytest.mark.parametrize("mark", [_merge, _link, _comment])
def test_the_look_leaves_to_openpyxl_what_makes_cells_in_the_register(tmp_path, mark):
    """openpyxl's load makes cells of merged ranges, links and comments (a link even gives an
    empty cell its address as value), so the look gives up and the run loads the workbook."""
    path = excel_style_book(tmp_path / "book.xlsx", extra_sheet=False)
    wb = load_workbook(path)
    mark(wb["Complaints"])
    wb.save(path)
    assert glance(path, _kept_whole) is None
    copy = tmp_path / "copy.xlsx"
    shutil.copy(path, copy)
    assert process_file(copy, today=TODAY, user="test").changed
