"""`process --jobs N`: many workbooks at once give what one at a time gives, in the order given."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from books import EN_HEADERS, put_table, saved_parts
from openpyxl import Workbook

from addin.batch.jobs import same_file_chains
from addin.cli import EXIT_BUG, EXIT_OK, EXIT_REFUSED, main

TODAY = dt.date(2026, 11, 20)
ROOT = Path(__file__).resolve().parents[1]
# A patched function stays in the process that patched it, and workers are other processes. So
# the bug is planted in every Python the command starts, through Python's standard start-up
# hook: a sitecustomize module on PYTHONPATH.
PLANTED_BUG = '''
import os
from pathlib import Path

import addin.batch.run as run

_process_file = run.process_file


def process_file(path, **options):
    if Path(path).name.startswith("bug"):
        raise ValueError("cannot convert float NaN to integer")
    if Path(path).name.startswith("die"):  # as the system kills a process short of memory
        os._exit(9)
    return _process_file(path, **options)


run.process_file = process_file
'''


def register(path: Path, channel: str = "Email") -> Path:
    """Four new complaints; the second one's channel is ``channel`` (not on the list: an
    error)."""
    wb = Workbook()
    wb.active.title = "Complaints"
    rows = [[None, dt.datetime(2026, 11, day, 9, 30), "Email", f"Customer {day}", None,
             f"1380000{day:04d}", None, "Parcel arrived damaged", "New", None]
            for day in range(2, 6)]
    rows[1][2] = channel
    put_table(wb.active, EN_HEADERS, rows, 1, 1)
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> list[Path]:
    """A clean register, one with an error row, a file that is no workbook, a register the
    planted bug stops, and a second register with an error: in that order."""
    folder = tmp_path_factory.mktemp("books")
    junk = folder / "refused.xlsx"
    junk.write_bytes(b"this is not a zip file")
    return [register(folder / "clean.xlsx"), register(folder / "errors.xlsx", "Carrier pigeon"),
            junk, register(folder / "bug.xlsx"), register(folder / "more.xlsx", "Fax")]


def copies(books: list[Path], folder: Path) -> list[Path]:
    folder.mkdir()
    return [Path(shutil.copy(book, folder / book.name)) for book in books]


def run_command(workbooks: list[Path], jobs: int, tmp_path: Path) -> subprocess.CompletedProcess:
    """`complaint-record process` in a Python of its own, with the bug planted."""
    planted = tmp_path / "planted"
    planted.mkdir(exist_ok=True)
    (planted / "sitecustomize.py").write_text(PLANTED_BUG, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(planted), str(ROOT)])}
    return subprocess.run([sys.executable, "-m", "addin.cli", "process", *map(str, workbooks),
                           "--today", TODAY.isoformat(), "--jobs", str(jobs)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
                          check=False)


def as_seen(text: str, folder: Path) -> list[str]:
    """The lines staff read, with the folder and the backups' time stamps made neutral."""
    text = text.replace(str(folder), "FOLDER")
    return re.sub(r"\.\d{8}-\d{6}(-\d+)?\.", ".STAMP.", text).splitlines()


def test_two_jobs_say_and_write_what_one_job_does(books, tmp_path):
    one = copies(books, tmp_path / "one")
    two = copies(books, tmp_path / "two")
    by_one = run_command(one, 1, tmp_path)
    by_two = run_command(two, 2, tmp_path)

    assert by_one.returncode == by_two.returncode == EXIT_BUG  # the worst of the five
    assert as_seen(by_two.stdout, tmp_path / "two") == as_seen(by_one.stdout, tmp_path / "one")
    assert as_seen(by_two.stderr, tmp_path / "two") == as_seen(by_one.stderr, tmp_path / "one")
    # Each workbook's line comes after its own progress line, in the order given.
    said = as_seen(by_two.stderr, tmp_path / "two")
    progress = [line for line in said if line.startswith("[")]
    assert progress == [f"[{n}/5] FOLDER/{book.name}" for n, book in enumerate(books, 1)]
    assert "refused.xlsx cannot be read as a workbook" in said[said.index(progress[2]) + 1]
    assert said[said.index(progress[3]) + 1].startswith(
        "complaint-record: a bug in ComplaintRecord stopped `process` on FOLDER/bug.xlsx "
        "(ValueError: cannot convert float NaN to integer).")
    # The bug in the fourth workbook did not stop the fifth.
    heads = [line for line in as_seen(by_two.stdout, tmp_path / "two") if "rows checked" in line]
    assert [h.split(":")[0] for h in heads] == ["clean.xlsx", "errors.xlsx", "more.xlsx"]
    assert [" 0 errors" in h for h in heads] == [True, False, False]

    for given, a, b in zip(books, one, two, strict=True):
        if given.name in ("refused.xlsx", "bug.xlsx"):  # left as they were
            assert a.read_bytes() == b.read_bytes() == given.read_bytes()
        else:
            assert saved_parts(b) == saved_parts(a) != saved_parts(given), given.name


def test_json_lists_the_workbooks_in_the_order_given(books, tmp_path, capsys):
    given = [b for b in books if not b.name.startswith("bug")]
    results, statuses = {}, {}
    for jobs in (1, 2):
        workbooks = copies(given, tmp_path / f"jobs{jobs}")
        statuses[jobs] = main(["process", *map(str, workbooks), "--today", TODAY.isoformat(),
                               "--jobs", str(jobs), "--json"])
        results[jobs] = json.loads(capsys.readouterr().out)["results"]
    assert statuses[1] == statuses[2] == EXIT_REFUSED
    assert [Path(r["workbook"]).name for r in results[2]] == [b.name for b in given]
    assert [r["status"] for r in results[2]] == [r["status"] for r in results[1]] \
        == ["changed", "changed", "refused", "changed"]
    assert [r.get("summary") for r in results[2]] == [r.get("summary") for r in results[1]]


def test_a_file_given_twice_or_through_a_link_is_run_once_after_the_other(books, tmp_path,
                                                                          capsys):
    book = Path(shutil.copy(books[0], tmp_path / "clean.xlsx"))
    link = tmp_path / "link.xlsx"
    link.symlink_to(book.name)
    other = Path(shutil.copy(books[0], tmp_path / "other.xlsx"))
    assert same_file_chains([str(book), str(other), str(link), str(book)]) == [
        [(0, str(book)), (2, str(link)), (3, str(book))], [(1, str(other))]]
    status = main(["process", str(book), str(other), str(link), "--today", TODAY.isoformat(),
                   "--jobs", "2", "--json"])
    results = json.loads(capsys.readouterr().out)["results"]
    # Never two runs on the file at once, so the run lock never refuses the second: it runs
    # after the first and finds nothing left to change.
    assert status == EXIT_OK
    assert [r["status"] for r in results] == ["changed", "changed", "unchanged"]


@pytest.mark.parametrize("value", ["0", "-1", "two", "1.5"])
def test_a_bad_number_of_jobs_is_refused_before_any_file_is_read(books, value, capsys):
    before = books[0].read_bytes()
    assert main(["process", str(books[0]), "--jobs", value]) == EXIT_REFUSED
    assert capsys.readouterr().err == (
        f"complaint-record: --jobs {value!r} is not a number of workbooks to process at once. "
        "Give a whole number from 1 up, e.g. --jobs 2, or leave it out to use every core.\n")
    assert books[0].read_bytes() == before


def test_a_worker_that_dies_is_named_and_the_status_says_so(books, tmp_path):
    folder = tmp_path / "dying"
    workbooks = copies(books[:2], folder)
    dying = Path(shutil.copy(books[0], folder / "die.xlsx"))
    before = dying.read_bytes()
    done = run_command([dying, *workbooks], 2, tmp_path)
    assert done.returncode == EXIT_BUG
    said = as_seen(done.stderr, folder)
    assert said[0] == "[1/3] FOLDER/die.xlsx"
    assert said[1].startswith("complaint-record: the process working on FOLDER/die.xlsx stopped "
                              "before it finished (BrokenProcessPool: ")
    assert said[1].endswith("Run `process` on it again with fewer workbooks at once, e.g. "
                            "--jobs 1.")
    assert dying.read_bytes() == before
