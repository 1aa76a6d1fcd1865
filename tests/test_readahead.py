"""The report command reads its workbook ahead, in a thread, while its modules load.

What it reads ahead must be what the reader would have read, and whatever goes wrong ahead must
reach staff as the same message the plain read gives.
"""

from __future__ import annotations

import gc
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from hostile import SHEET, TODAY, good_book, part, rewrite, with_doctype

import reports.read
from addin.cli import EXIT_BUG, EXIT_OK, EXIT_REFUSED, main
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


# ----------------------------------------------------------------------------- checked beside
# The command run as a program checks its one workbook in a parent process while a child reads
# it (Linux). These run it so, in a process of its own: the child finishes the program.

ROOT = Path(__file__).parents[1]
beside = pytest.mark.skipif(not sys.platform.startswith("linux"),
                            reason="the command checks beside its read where it may fork")


def _program(path: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "addin.cli", "report", str(path), "--month",
                           "2026-03", "--today", TODAY.isoformat(), "--lang", "en", "--no-pdf",
                           "--output", str(out)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)


def _python(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code), *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)


@beside
def test_the_program_writes_the_report_the_command_writes_in_process(tmp_path, capsys):
    path = good_book(tmp_path)
    assert main(["report", str(path), "--month", "2026-03", "--today", TODAY.isoformat(),
                 "--lang", "en", "--no-pdf", "--output", str(tmp_path / "plain")]) == EXIT_OK
    plain = Path(capsys.readouterr().out.strip())
    done = _program(path, tmp_path / "beside")
    assert done.returncode == EXIT_OK, done.stderr[-2000:]
    written = Path(done.stdout.strip())
    assert written.parent == tmp_path / "beside" and done.stderr == ""
    assert written.read_text(encoding="utf-8") == plain.read_text(encoding="utf-8")


@beside
@pytest.mark.parametrize("spoil, words", [(_damaged, "cannot be read as a workbook"),
                                          (_entities, "declares XML entities")],
                         ids=["damaged sheet", "entity declarations"])
def test_the_program_says_what_the_check_or_the_read_refused_as_the_plain_read(
        tmp_path, spoil, words):
    """Refused by the parent's check (entities) or failing in the child's calamine (a sheet cut
    short): one line, the plain read's words, status 2, nothing written."""
    path = spoil(good_book(tmp_path))
    with pytest.raises(ReportRefused) as plain:
        read_workbook_fast(path)
    done = _program(path, tmp_path / "out")
    assert done.returncode == EXIT_REFUSED and done.stdout == ""
    assert done.stderr.strip().splitlines() == [f"complaint-record: {plain.value.message}"]
    assert words in done.stderr and not (tmp_path / "out").exists()


@beside
def test_a_child_stopped_by_a_signal_is_said_to_staff_as_a_bug_not_a_trace(tmp_path):
    path = good_book(tmp_path)
    done = _python("""
        import os, signal, sys
        from reports.readahead import check_beside
        try:
            status = check_beside([sys.argv[1]])
        except Exception as err:
            print(err.status, err.text("en"), file=sys.stderr)
            sys.exit(9)
        if status is None:  # the child: as if the system stopped it while reading
            os.kill(os.getpid(), signal.SIGKILL)
        """, str(path))
    assert done.returncode == 9, done.stderr
    status, said = done.stderr.split(" ", 1)
    assert int(status) == EXIT_BUG
    assert said.startswith(f"the process reading {path.name} for the report stopped")
    assert "(SIGKILL)" in said and "The workbook was not changed" in said


@beside
def test_the_child_s_native_errors_are_quiet_until_the_file_passed_but_its_own_are_heard(
        tmp_path):
    path = good_book(tmp_path)
    done = _python("""
        import os, sys
        from pathlib import Path
        from reports import readahead
        if readahead.check_beside([sys.argv[1]]) is not None:
            sys.exit(0)  # the parent
        print("python before", file=sys.stderr, flush=True)
        os.write(2, b"native before\\n")
        readahead._await_verdict(readahead._verdicts.pop(Path(sys.argv[1]).resolve()))
        os.write(2, b"native after\\n")
        """, str(path))
    assert done.returncode == 0
    assert done.stderr.splitlines() == ["python before", "native after"]


@beside
def test_a_child_whose_parent_is_gone_before_the_verdict_ends_quietly(tmp_path):
    path = good_book(tmp_path)
    done = _python("""
        import os, sys, time
        from pathlib import Path
        import addin.package
        from reports import readahead
        addin.package.check_package = lambda *a, **k: time.sleep(60)  # a check that never ends
        if readahead.check_beside([sys.argv[1]]) is not None:
            sys.exit(0)
        os.kill(os.getppid(), 9)
        readahead._await_verdict(readahead._verdicts.pop(Path(sys.argv[1]).resolve()))
        print("went on", flush=True)
        """, str(path))
    # The run ends when the child closes its output: it ended without going on.
    assert "went on" not in done.stdout and "went on" not in done.stderr


def test_ending_the_child_does_nothing_in_a_process_that_is_not_one():
    readahead.end_child(EXIT_OK)  # pytest itself would end here otherwise
    assert not readahead._child


@beside
def test_the_child_ends_with_its_status_once_it_has_said_its_last_word(tmp_path):
    path = good_book(tmp_path)
    done = _python("""
        import sys
        from reports import readahead
        status = readahead.check_beside([sys.argv[1]])
        if status is not None:
            print("parent got", status, flush=True)
            sys.exit(0)
        print("child says", flush=True)
        readahead.end_child(5)
        print("never said", flush=True)
        """, str(path))
    assert done.stdout.splitlines() == ["child says", "parent got 5"]


@beside
def test_a_child_ends_when_its_parent_is_stopped_from_outside(tmp_path):
    path = good_book(tmp_path)
    started = time.monotonic()
    done = _python("""
        import os, signal, sys, time
        from pathlib import Path
        from reports import readahead
        if readahead.check_beside([sys.argv[1]]) is not None:
            sys.exit(0)
        readahead._await_verdict(readahead._verdicts.pop(Path(sys.argv[1]).resolve()))
        os.kill(os.getppid(), signal.SIGKILL)  # a scheduler's kill, once the file passed
        time.sleep(30)
        print("went on", flush=True)
        """, str(path))
    assert "went on" not in done.stdout and time.monotonic() - started < 25


@beside
def test_a_register_too_wide_for_one_block_stops_the_child_reading_it_at_once(tmp_path):
    """Two cells far apart that calamine can still allocate (ten million cells and more) would
    have the child make Python values of every one: once the child asks for the verdict (its
    imports done, calamine still at work), the parent's check measures the block and stops
    the child there, and says the refusal the plain read says."""
    def far(wb):
        wb["Complaints"]["Z400000"] = "a stray note"  # 400,000 rows by 26 columns
    path = good_book(tmp_path, change=far)
    with pytest.raises(ReportRefused) as plain:
        read_workbook_fast(path)
    done = _python("""
        import sys, threading, time
        from pathlib import Path
        from reports import readahead
        started = time.monotonic()
        try:
            status = readahead.check_beside([sys.argv[1]])
        except Exception as err:
            print(err.text("en"), file=sys.stderr)
            print(round(time.monotonic() - started), flush=True)
            sys.exit(2)
        if status is None:  # the child: its reader asks while it reads a block that big
            threading.Thread(target=time.sleep, args=(60,)).start()
            readahead._await_verdict(readahead._verdicts.pop(Path(sys.argv[1]).resolve()))
            print("went on", flush=True)
        """, str(path))
    assert done.returncode == 2 and int(done.stdout) < 30  # not the minute of the reading
    assert done.stderr.strip() == plain.value.message
    assert "Complaints!Z400000" in done.stderr and "400,000 rows by 26 columns" in done.stderr


def test_only_a_child_keeps_its_register_till_it_ends(tmp_path):
    read_workbook_fast(good_book(tmp_path))
    assert readahead._kept == []  # read from Python, the register goes when its reader is done


@beside
def test_a_child_keeps_the_register_it_read_till_it_ends(tmp_path):
    path = good_book(tmp_path)
    done = _python("""
        import sys
        from pathlib import Path
        from reports import readahead
        from reports.read import read_workbook_fast
        if readahead.check_beside([sys.argv[1]]) is not None:
            sys.exit(0)
        with readahead.reading_ahead([sys.argv[1]]):
            register, _, _ = read_workbook_fast(Path(sys.argv[1]))
        print([kept is register for kept in readahead._kept], flush=True)
        readahead.end_child(0)
        """, str(path))
    assert done.stdout.strip() == "[True]", done.stderr


@beside
def test_the_program_given_no_standard_error_still_writes_the_report(tmp_path):
    path = good_book(tmp_path)
    command = (f"{sys.executable} -m addin.cli report {path} --month 2026-03 --today "
               f"{TODAY.isoformat()} --lang en --no-pdf --output {tmp_path / 'out'} 2>&-")
    done = subprocess.run(["sh", "-c", command], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)
    assert done.returncode == EXIT_OK, done.stdout
    assert Path(done.stdout.strip()).parent == tmp_path / "out"


def test_a_fork_refused_by_the_system_leaves_the_check_first(tmp_path, monkeypatch):
    def no_process():
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(readahead.os, "fork", no_process)
    assert readahead.check_beside([good_book(tmp_path)]) is None
    assert not readahead._child and readahead._verdicts == {}
