"""A reader's run (``process(changes=False)``, what reports use) spares the findings that only
point staff at cells to mend, and must still give exactly the cases a writing run gives: every
report figure comes from them."""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import load_workbook
from test_xl_macros import TODAY, build_book

from addin.batch.caselog import read_case_state
from addin.batch.sheets import find_register, read_counters, read_grids, read_register
from addin.core.pipeline import process
from addin.core.settings import load_config
from addin.core.stages import check_stages
from addin.core.validate import validate

SPARED = {"text-too-long", "follow-up-overdue", "follow-up-due", "duplicate-case-no",
          "not-numbered", "escalate-proposed", "repeat-complaint"}


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    return load_workbook(build_book(tmp_path_factory.mktemp("reader") / "card.xlsx", 400))


def _run(wb, changes: bool):
    return process(read_register(find_register(wb)), read_grids(wb), TODAY, read_counters(wb),
                   last_state=read_case_state(wb), changes=changes)


@pytest.fixture(scope="module")
def runs(book):
    return _run(book, True), _run(book, False)


def test_a_reader_gets_the_cases_a_writer_gets(runs):
    writer, reader = runs
    # The hints are the one designed difference: a reader takes the tags the sheet holds and
    # trains no suggester (addin.core.hints).
    hinted = ["suggested", "problem", "part"]
    pd.testing.assert_frame_equal(reader.cases.drop(columns=hinted),
                                  writer.cases.drop(columns=hinted))
    assert reader.changes == {} and writer.changes
    assert reader.actions.findings == writer.actions.findings


def test_a_reader_is_spared_only_the_findings_about_cells_to_mend(book, runs):
    writer, reader = runs
    spared = [item for item in writer.findings if item not in reader.findings]
    codes = {item.code for item in spared}
    assert {"follow-up-overdue", "follow-up-due"} <= codes  # the demo has follow-ups owed
    stage_codes, row_codes = _check_codes(book)
    assert row_codes and row_codes <= codes  # the demo's rows have problems a reader skips
    assert codes <= SPARED | stage_codes | row_codes
    assert all(item in writer.findings for item in reader.findings)


def test_a_reader_still_hears_of_a_missing_column(book):
    register = read_register(find_register(book))
    config, _ = load_config(read_grids(book), read_counters(book))
    del register.columns["description"]  # as if the sheet had no Description column
    checked, findings = validate(register, config, TODAY, rows=False)
    assert [(f.code, f.field) for f in findings] == [("missing-column", "description")]
    assert checked.numberable.sum() == 0  # a complaint without a description gets no number


def test_a_reader_checks_the_same_rows_a_writer_does(book):
    register = read_register(find_register(book))
    config, _ = load_config(read_grids(book), read_counters(book))
    # A row holding only a root cause (a field a reader does not check) is still no blank row.
    register.rows.loc[register.rows.index[-1], :] = None
    register.rows.loc[register.rows.index[-1], register.columns["root_cause"]] = "Seal worn"
    read, _ = validate(register, config, TODAY, rows=False)
    written, _ = validate(register, config, TODAY)
    pd.testing.assert_frame_equal(read.frame, written.frame)
    assert not read.blank.iloc[-1] and read.blank.equals(written.blank)
    assert read.numberable.equals(written.numberable)


def _check_codes(wb) -> tuple[set[str], set[str]]:
    """The codes the stage checks and the checks of the rows' cells give on this register (a
    reader runs neither)."""
    register = read_register(find_register(wb))
    config, _ = load_config(read_grids(wb), read_counters(wb))
    checked, found = validate(register, config, TODAY)
    stages = {item.code for item in check_stages(register, checked, config, register.lang)}
    return stages, {item.code for item in found if item.row is not None}
