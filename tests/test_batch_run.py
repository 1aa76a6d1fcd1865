"""The batch door end to end: ``process_file`` over a demo workbook, as staff run it."""

from __future__ import annotations

import datetime as dt
import gc

import pytest

from addin.batch.run import process_file
from addin.batch.safety import WorkbookRefused
from addin.core.collector import collector_paused
from addin.demo import write_demo_workbook

TODAY = dt.date(2026, 11, 20)


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_a_second_run_over_its_own_output_leaves_the_file_untouched(tmp_path, lang):
    """The first run numbers, classifies, dates and appends columns; the Findings it writes point
    at the cells as they are afterwards, so the second run finds nothing to change at all."""
    path = write_demo_workbook(tmp_path / "card.xlsx", rows=300, lang=lang, today=TODAY)
    first = process_file(path, today=TODAY)
    assert first.changed and first.summary.cells_changed > 300
    before = path.read_bytes(), path.stat().st_mtime_ns
    backups = sorted((tmp_path / "backups").iterdir())

    second = process_file(path, today=TODAY)

    assert not second.changed
    assert second.summary.cells_changed == 0
    assert second.as_dict()["status"] == "unchanged"
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert sorted((tmp_path / "backups").iterdir()) == backups  # nothing saved, nothing backed up


def test_the_garbage_collector_runs_again_after_a_run(tmp_path):
    """The run pauses the collector for speed; it must be back on afterwards, even on refusal."""
    path = write_demo_workbook(tmp_path / "card.xlsx", rows=20, today=TODAY)
    process_file(path, today=TODAY)
    assert gc.isenabled()
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    with pytest.raises(WorkbookRefused):
        process_file(tmp_path / "broken.xlsx", today=TODAY)
    assert gc.isenabled()


def test_the_pause_keeps_the_collector_off_only_while_it_lasts():
    """Every door's pause (``collector_paused``): off inside, on again after, even on an error,
    and left off for a caller that had turned it off."""
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(KeyError), collector_paused():
        raise KeyError("the run failed")
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_pause_before_the_process_ends_leaves_the_collector_off():
    """A forked report's pause (``resume=False``): the process ends without Python's
    finalisation, so the collector is not turned on again to walk what the report made."""
    try:
        with collector_paused(resume=False):
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
