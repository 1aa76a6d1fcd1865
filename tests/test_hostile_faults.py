"""Faults while saving (a full disk, a read-only folder, a failure at each step), backups that are
whole or absent, links, merged cells, text that must stay as typed, and file names from cells."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hostile import TODAY, good_book, typed_cells
from openpyxl.workbook.workbook import Workbook

from addin.batch.run import process_file
from addin.batch.safety import WorkbookRefused, saving
from addin.cli import EXIT_REFUSED, main

ROOT = Path(__file__).resolve().parent.parent


def raising(code: int):
    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code))
    return fail


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob(".*") if p.is_file())


@pytest.mark.parametrize("code, words, words_zh", [
    (errno.ENOSPC, "is full", "已满"),
    (errno.EDQUOT, "quota", "配额"),
    (errno.EROFS, "read-only drive", "只读磁盘"),
    (errno.EACCES, "permission denied", "没有权限"),
    (errno.EPERM, "permission denied", "没有权限"),
    (errno.EIO, "could not be read or written", "无法读写"),
])
def test_an_os_error_while_saving_is_a_refusal_and_changes_nothing(tmp_path, monkeypatch, code,
                                                                  words, words_zh):
    path = good_book(tmp_path)
    before = path.read_bytes()
    monkeypatch.setattr(Workbook, "save", raising(code))
    with pytest.raises(WorkbookRefused) as refused:
        process_file(path, today=TODAY)
    assert path.name in refused.value.message and words in refused.value.message
    assert words_zh in refused.value.message_zh
    assert path.read_bytes() == before and leftovers(tmp_path) == []


def test_a_disk_without_room_is_refused_before_writing(tmp_path, monkeypatch):
    path = good_book(tmp_path)
    before = path.read_bytes()
    monkeypatch.setattr(saving.shutil, "disk_usage",
                        lambda folder: shutil._ntuple_diskusage(10 << 30, 10 << 30, 1000))
    written = []
    monkeypatch.setattr(Workbook, "save", lambda wb, target: written.append(target))
    with pytest.raises(WorkbookRefused, match="is full"):
        process_file(path, today=TODAY)
    assert written == [] and path.read_bytes() == before


def test_a_full_disk_during_the_backup_leaves_no_backup_by_a_backups_name(tmp_path, monkeypatch):
    path = good_book(tmp_path)
    before = path.read_bytes()

    def half_copy(src, dst, **kwargs):
        Path(dst).write_bytes(Path(src).read_bytes()[:100])
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(saving.shutil, "copy2", half_copy)
    with pytest.raises(WorkbookRefused, match="is full"):
        process_file(path, today=TODAY)
    assert path.read_bytes() == before
    assert list((tmp_path / "backups").iterdir()) == [] and leftovers(tmp_path) == []


def test_a_kill_during_the_backup_leaves_no_backup_by_a_backups_name(tmp_path, monkeypatch):
    path = good_book(tmp_path)
    before = path.read_bytes()

    def killed(src, dst, **kwargs):
        Path(dst).write_bytes(Path(src).read_bytes()[:100])
        raise KeyboardInterrupt  # the run stopped part-way through the copy
    monkeypatch.setattr(saving.shutil, "copy2", killed)
    with pytest.raises(KeyboardInterrupt):
        process_file(path, today=TODAY)
    assert path.read_bytes() == before
    named = [p.name for p in (tmp_path / "backups").iterdir() if not p.name.startswith(".")]
    assert named == []


def test_a_backup_that_differs_from_the_file_is_refused(tmp_path, monkeypatch):
    path = good_book(tmp_path)
    before = path.read_bytes()
    monkeypatch.setattr(saving.shutil, "copy2",
                        lambda src, dst, **kw: Path(dst).write_bytes(b"x" * len(before)))
    with pytest.raises(WorkbookRefused, match="backup of card.xlsx came out different"):
        process_file(path, today=TODAY)
    assert path.read_bytes() == before and list((tmp_path / "backups").iterdir()) == []


STAGES = ["save", "_verify", "_check_losses", "backup", "_replace"]


@pytest.mark.parametrize("stage", STAGES)
def test_a_failure_at_each_stage_of_the_save_keeps_the_workbook_and_whole_backups(
        tmp_path, monkeypatch, stage):
    path = good_book(tmp_path)
    process_file(path, today=TODAY)  # a first run: the workbook now has a backup
    (tmp_path / "backups" / next((tmp_path / "backups").iterdir()).name).touch()
    before = path.read_bytes()
    backups = {p.name: p.read_bytes() for p in (tmp_path / "backups").iterdir()}
    target = Workbook if stage == "save" else saving
    monkeypatch.setattr(target, stage, raising(errno.EIO))
    with pytest.raises(WorkbookRefused):
        process_file(path, today=dt_next())
    assert path.read_bytes() == before
    now = {p.name: p.read_bytes() for p in (tmp_path / "backups").iterdir()}
    assert {k: v for k, v in now.items() if k in backups} == backups
    assert all(v == before for k, v in now.items() if k not in backups)
    assert leftovers(tmp_path) == []


def dt_next():
    import datetime as dt
    return TODAY + dt.timedelta(days=3)  # a later day: deadlines change, so the run writes


def test_a_missing_output_folder_is_named(tmp_path, capsys):
    path = good_book(tmp_path)
    out = tmp_path / "nowhere" / "out.xlsx"
    assert main(["process", str(path), "--output", str(out), "--today",
                 TODAY.isoformat()]) == EXIT_REFUSED
    err = capsys.readouterr().err
    assert "the folder" in err and "nowhere" in err and "does not exist" in err
    assert "unexpected" not in err


def test_a_name_too_long_is_named(tmp_path):
    path = good_book(tmp_path)
    out = tmp_path / ("x" * 260 + ".xlsx")
    with pytest.raises(WorkbookRefused, match="too long for the file system"):
        process_file(path, today=TODAY, output=out)


def test_a_missing_input_is_named(tmp_path):
    with pytest.raises(WorkbookRefused, match="no such file"):
        process_file(tmp_path / "gone.xlsx", today=TODAY)


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
def test_a_symbolic_link_stays_a_link_and_its_target_is_updated(tmp_path):
    real = good_book(tmp_path, "real.xlsx")
    typed = typed_cells(real)
    link = tmp_path / "link.xlsx"
    link.symlink_to(real)
    report = process_file(link, today=TODAY)
    assert report.changed and link.is_symlink() and link.resolve() == real.resolve()
    assert typed_cells(real) == typed and report.backup is not None
    assert not list(tmp_path.glob(".*.tmp*"))


def test_merged_cells_in_a_written_column_are_named_not_a_crash(tmp_path):
    def merged(wb):
        ws = wb["Complaints"]
        ws["G1"] = "Case No"
        ws.merge_cells("G2:G3")
    path = good_book(tmp_path, change=merged)
    before = path.read_bytes()
    with pytest.raises(WorkbookRefused) as refused:
        process_file(path, today=TODAY)
    assert "Complaints!G3" in refused.value.message and "G2:G3" in refused.value.message
    assert "Unmerge" in refused.value.message and "取消单元格合并" in refused.value.message_zh
    assert path.read_bytes() == before


def test_a_run_on_the_committed_workbook_prints_no_zip_noise(tmp_path):
    copy = tmp_path / "ComplaintRecord.xlsm"
    shutil.copy(ROOT / "workbook" / "ComplaintRecord.xlsm", copy)
    run = subprocess.run([sys.executable, "-m", "addin.cli", "process", str(copy), "--today",
                          TODAY.isoformat()], cwd=ROOT, capture_output=True, text=True,
                         timeout=300)
    assert run.returncode in (0, 1), run.stderr
    assert "Exception ignored" not in run.stderr and "ZipFile" not in run.stderr


def test_a_rule_with_a_group_runs_without_a_warning(tmp_path):
    """pandas warned about the groups of an ordinary pattern such as (退款|退货) on every run."""
    import warnings

    from openpyxl import load_workbook

    def grouped(wb):
        rules = wb.create_sheet("Rules")
        rules.append(["Rule id", "Enabled", "Fields", "Match", "Pattern", "Category"])
        rules.append(["money", "Yes", "Complaint", "regex", "(退款|退货)", "Billing"])
        wb["Complaints"]["E2"] = "我要退款"
    path = good_book(tmp_path, change=grouped)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        process_file(path, today=TODAY)
    ws = load_workbook(path)["Complaints"]
    col = next(c.column for c in ws[1] if c.value == "Category")
    assert ws.cell(2, col).value == "Billing"


# --------------------------------------------------------------------------- CSV text

CSV_HEAD = ("Complaint ID,Date received,Product,Sub-product,Issue,Sub-issue,Consumer complaint "
            "narrative,Company public response,Company,State,Submitted via,Date sent to company,"
            "Company response to consumer,Timely response?,Consumer disputed?\n")


def csv_with(tmp_path: Path, narratives: list[str]) -> Path:
    lines = [f'{n},2026-03-0{n},Mortgage,x,Late,y,"{text}",,Acme,CA,Web,2026-03-0{n},Closed,'
             "Yes,No" for n, text in enumerate(narratives, 1)]
    path = tmp_path / "in.csv"
    path.write_text(CSV_HEAD + "\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("text", ["#N/A", "#DIV/0!", "#REF!", "#VALUE!", "=1+2", "=HYPERLINK(1)"])
@pytest.mark.parametrize("existing", [False, True])
def test_csv_text_that_looks_like_an_error_or_a_formula_stays_text(tmp_path, text, existing):
    from openpyxl import load_workbook

    from addin.batch.imports import import_csv
    from addin.workbook import RecordBook
    into = tmp_path / "card.xlsx"
    if existing:
        import_csv(csv_with(tmp_path, ["first"]), into, new_book=RecordBook)
    import_csv(csv_with(tmp_path, ["first", text]), into, new_book=RecordBook)
    ws = load_workbook(into).worksheets[0]
    found = [c for row in ws.iter_rows() for c in row if c.value == text]
    assert found and all(c.data_type == "s" for c in found)


def test_csv_text_longer_than_a_cell_is_refused_not_cut(tmp_path, capsys):
    into = tmp_path / "card.xlsx"
    csv = csv_with(tmp_path, ["short", "y" * 40_000])
    assert main(["import", str(csv), "--into", str(into)]) == EXIT_REFUSED
    err = capsys.readouterr().err
    assert "CSV row 3, column Complaint" in err and "40,000 characters" in err
    assert "32,767" in err and not into.exists()


# --------------------------------------------------------------------------- file names from cells

@pytest.mark.parametrize("case_no, name", [
    ("CON", "case-CON"), ("nul", "case-nul"), ("NUL.md", "case-NUL.md"), ("COM1", "case-COM1"),
    ("lpt9", "case-lpt9"), ("a<b>c:d", "a_b_c_d"), ("TS-202603-0001", "TS-202603-0001"),
    ("...", "row-7"), ('x"|?*y', "x_y"),
])
def test_summary_file_names_are_safe_on_every_file_system(case_no, name):
    from reports.summary import safe_name
    assert safe_name(case_no, 7) == name


def test_a_long_case_number_gives_a_short_distinct_name():
    from reports.summary import MAX_NAME, safe_name
    first, second = safe_name("A" * 300, 2), safe_name("A" * 299 + "B", 3)
    assert len(first) <= MAX_NAME and len(second) <= MAX_NAME and first != second


def test_one_case_that_cannot_be_written_stops_only_itself(tmp_path, monkeypatch):
    from reports import summary
    path = good_book(tmp_path)
    process_file(path, today=TODAY)
    real_write = summary._write_case
    calls = []

    def first_fails(folder, name, texts):
        calls.append(name)
        if len(calls) == 1:
            raise OSError(errno.ENAMETOOLONG, "File name too long")
        return real_write(folder, name, texts)
    monkeypatch.setattr(summary, "_write_case", first_fails)
    with pytest.raises(summary.SummariesIncomplete) as incomplete:
        summary.write_summaries(path, output_dir=tmp_path / "out", today=TODAY)
    assert len(calls) == 2 and len(incomplete.value.written) == 2
    assert all(p.exists() for p in incomplete.value.written)
    assert "File name too long" in str(incomplete.value)


# --------------------------------------------------------------------------- one lock per file

HOLD_LOCK = """
import sys
from addin.batch.safety import run_lock
with run_lock(sys.argv[1]) as lock:
    print(lock, flush=True)
    sys.stdin.read()  # held until the test closes our input
"""


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
@pytest.mark.parametrize("held_by, tried_by", [("link.xlsx", "real.xlsx"),
                                               ("real.xlsx", "link.xlsx"),
                                               ("link.xlsx", "other/second-link.xlsx")])
def test_a_link_and_its_target_share_one_run_lock_across_processes(tmp_path, held_by, tried_by):
    from addin.batch.safety import run_lock, run_lock_path
    real = good_book(tmp_path, "real.xlsx")
    (tmp_path / "link.xlsx").symlink_to(real)
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "second-link.xlsx").symlink_to(tmp_path / "link.xlsx")
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(tmp_path / held_by)],
                              cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        lock = Path(holder.stdout.readline().strip())
        assert lock == run_lock_path(tmp_path / tried_by) == tmp_path / ".real.xlsx.lock"
        with pytest.raises(WorkbookRefused, match="being processed by another run"), \
                run_lock(tmp_path / tried_by):
            pass
        assert lock.exists()  # the refused run left the holder's lock alone
    finally:
        holder.communicate("", timeout=60)
    assert holder.returncode == 0 and not lock.exists()


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
def test_a_workbook_open_in_excel_by_its_real_name_is_refused_through_a_link(tmp_path):
    (tmp_path / "shared").mkdir()
    real = good_book(tmp_path / "shared", "real.xlsx")
    link = tmp_path / "link.xlsx"
    link.symlink_to(real)
    (real.parent / "~$real.xlsx").write_bytes(b"owner")
    before = real.read_bytes()
    with pytest.raises(WorkbookRefused, match="open in Excel"):
        process_file(link, today=TODAY)
    assert real.read_bytes() == before and link.is_symlink()
