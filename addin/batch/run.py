"""One batch run over one workbook file: load, read, process, write back, save safely.

The order matters for safety: refuse before reading when Excel has the file open or another run
holds it, compute everything before touching the workbook, and save through ``save_atomically``,
which replaces the original only once the new file has been written and checked.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import time
import zipfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from openpyxl import load_workbook

from addin import __version__
from addin.core.analysis import analysis_figures
from addin.core.fields import WRITTEN_KEYS
from addin.core.learning import learn
from addin.core.pipeline import Outcome, Summary, process
from addin.layout.cells import column_taken
from addin.layout.log import RunInfo, current_user
from addin.layout.sheets import FINDINGS_SHEET, GRID_ROLES, OWNED_SHEETS, is_named, sheet_role

from .analysis_sheets import write_action_results, write_analysis_sheets
from .safety import WorkbookRefused, check_not_open, default_backup_dir, run_lock, save_atomically
from .safety.limits import check_package
from .safety.merged import check_merged_writes
from .sheets import RegisterLocation, find_register, read_counters, read_grids, read_register
from .stream import CutBook, open_cut
from .writeback import apply_outcome, outcome_is_noop

# OWNED_SHEETS (addin.layout.sheets): the sheets each run rebuilds from scratch; openpyxl may drop
# their charts on load, and that is no loss because the run writes them anew.
SUFFIXES = (".xlsx", ".xlsm")


@dataclass
class RunReport:
    """What one run did to one workbook, for people (``describe``) and scripts (``as_dict``)."""

    workbook: Path
    output: Path
    summary: Summary
    lang: str
    changed: bool
    backup: Path | None = None
    lost: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    first_error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"workbook": str(self.workbook), "output": str(self.output),
                "status": "changed" if self.changed else "unchanged",
                "summary": asdict(self.summary), "first_error": self.first_error,
                "backup": None if self.backup is None else str(self.backup),
                "lost": self.lost, "seconds": {k: round(v, 3) for k, v in self.timings.items()}}

    def describe(self) -> str:
        s = self.summary
        zh = self.lang.startswith("zh")
        if zh:
            head = (f"{self.workbook.name}：检查 {s.rows} 行，新编号 {s.numbered}，"
                    f"分类 {s.classified}，错误 {s.errors}，警告 {s.warnings}，"
                    f"逾期 {s.overdue}，即将到期 {s.due_soon}。")
            tail = (f"已写入 {self.output}（改动 {s.cells_changed} 个单元格）" if self.changed
                    else "无需改动，文件未写入。")
            where = f"第一个错误：{self.first_error}；详见“{FINDINGS_SHEET}”工作表。"
        else:
            head = (f"{self.workbook.name}: {s.rows} rows checked, {s.numbered} numbered, "
                    f"{s.classified} classified, {s.errors} errors, {s.warnings} warnings, "
                    f"{s.overdue} overdue, {s.due_soon} due soon.")
            tail = (f"Wrote {self.output} ({s.cells_changed} cells changed)." if self.changed
                    else "Nothing to change; the file was not written.")
            where = f"First error: {self.first_error}; see the {FINDINGS_SHEET} sheet."
        lines = [head, tail]
        if s.errors and self.first_error:
            lines.append(where)
        if self.backup:
            lines.append(("备份：" if zh else "Backup: ") + str(self.backup))
        lines += [("已接受的丢失：" if zh else "Accepted loss: ") + item for item in self.lost]
        return "\n".join(lines)


def process_file(path: Path | str, *, today: dt.date, output: Path | str | None = None,
                 allow_loss: bool = False, analysis: bool = True,
                 user: str | None = None) -> RunReport:
    """Process one workbook; write ``output`` (default: the workbook itself, keeping a backup).

    Raises WorkbookRefused, with a message naming the file and what to do, whenever it will not
    or cannot go on; the files on disk are then as they were.
    """
    path = Path(path)
    target = Path(output) if output else path
    check_kind(path)
    check_kind(target)
    check_not_open(path)
    check_package(path)
    timings: dict[str, float] = {}
    with run_lock(path), _collector_paused():
        clock = time.perf_counter()
        wb, cut = open_for_run(path)
        loc = find_register(wb)
        if loc is None:
            raise WorkbookRefused(
                f"{path.name}: no complaints table found. The register needs a header row naming "
                "the card's fields (e.g. Received at, Channel, Customer name, Description, "
                "Status) in its first 20 rows; see record-card.md.",
                f"{path.name}：未找到投诉登记表。登记表的前 20 行中需要有一行表头写出记录卡的字段"
                "（如 受理时间、投诉渠道、客户姓名、投诉内容、处理状态）。")
        # Read as many columns to the right as a run may add, to see that they are free.
        below = cut.rows_below(loc.sheet, loc.first_col, loc.last_col + len(WRITTEN_KEYS)) \
            if cut else None
        timings["load"] = _lap(clock)
        clock = time.perf_counter()
        register = read_register(loc, below)
        sheets, counters = read_grids(wb), read_counters(wb)
        timings["read"] = _lap(clock)
        clock = time.perf_counter()
        outcome = process(register, sheets, today, counters)
        _check_room(path, loc, outcome, below)
        check_merged_writes(path, loc, outcome.changes)
        del below  # the register frame holds the values now
        # The Actions sheet's Result and Verdict are outside the register: a change there alone
        # is a reason to save too.
        noop = outcome_is_noop(wb, loc, outcome) and not outcome.actions.writes and target == path
        timings["compute"] = _lap(clock)
        report = RunReport(path, target, outcome.summary, outcome.lang, changed=not noop,
                           timings=timings, first_error=_first_error(outcome))
        if noop:
            return report
        clock = time.perf_counter()
        run = RunInfo(dt.datetime.now().replace(microsecond=0), user or current_user("batch"),
                      __version__)
        apply_outcome(wb, loc, outcome, run, below=cut.edits(loc.sheet) if cut else None)
        write_action_results(wb, outcome.actions)
        if analysis:
            figures = analysis_figures(outcome.cases, outcome.config.calendar, today,
                                       lists=outcome.config.lists)
            figures.learning = learn(outcome.cases, outcome.config.calendar, today,
                                     actions=outcome.actions, volume=outcome.volume)
            write_analysis_sheets(wb, figures, outcome.lang, outcome.config.lists)
        timings["write"] = _lap(clock)
        saved = save_atomically(cut or wb, target, default_backup_dir(target), path, allow_loss,
                                owned_sheets=OWNED_SHEETS)
        timings["save"] = saved.seconds
        report.backup, report.lost = saved.backup, saved.lost
        return report


def _check_room(path: Path, loc: RegisterLocation, outcome: Outcome,
                below: list[tuple[int, tuple[Any, ...]]] | None) -> None:
    """Refuse rather than write new columns over what staff typed to the right of the table."""
    if not outcome.new_columns:
        return
    width = loc.last_col - loc.first_col + 1
    stored = ((row, col, cell.value) for (row, col), cell in loc.ws._cells.items()
              if col > loc.last_col and row >= loc.header_row)
    streamed = ((row, loc.first_col + width + i, value) for row, values in below or ()
                for i, value in enumerate(values[width:]))
    taken = column_taken(loc.sheet, outcome.new_columns, loc.last_col + 1,
                         chain(stored, streamed), outcome.lang)
    if taken is not None:
        raise WorkbookRefused(f"{path.name}: {taken.message('en')} {taken.fix('en')}",
                              f"{path.name}：{taken.message('zh-CN')}{taken.fix('zh-CN')}")


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the run.

    A loaded workbook is a million small objects that all live until the run ends, and every
    full collection walks them all: on 50,000 rows that was a fifth of openpyxl's load time and
    seconds more while writing and saving. Reference counting still frees everything else.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def check_kind(path: Path) -> None:
    if path.suffix.lower() not in SUFFIXES:
        raise WorkbookRefused(
            f"{path.name}: only .xlsx and .xlsm workbooks can be processed; save it in one of "
            "those formats in Excel (File > Save As) and run again.",
            f"{path.name}：只能处理 .xlsx 和 .xlsm 工作簿；"
            "请在 Excel 中另存为其中一种格式后重新运行。")


def open_for_run(path: Path) -> tuple[Any, CutBook | None]:
    """The workbook for a run: with its big sheets cut short where that is possible (stream.py),
    else loaded whole."""
    _must_exist(path)
    try:
        cut = open_cut(path, keep_vba=_has_vba(path), whole=_kept_whole)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, ElementTree.ParseError):
        cut = None  # the whole load below says what is wrong with the file
    return (cut.wb, cut) if cut else (open_workbook(path), None)


def _kept_whole(title: str) -> bool:
    """Sheets a run reads in full or rebuilds: never cut, whatever their size."""
    return sheet_role(title) in GRID_ROLES or is_named(title, OWNED_SHEETS)


def _has_vba(path: Path) -> bool:
    with zipfile.ZipFile(path) as archive:
        return "xl/vbaProject.bin" in archive.namelist()


def _must_exist(path: Path) -> None:
    if not path.exists():
        raise WorkbookRefused(f"{path}: no such file; check the name and folder.",
                              f"{path}：文件不存在；请检查文件名和文件夹。")


def open_workbook(path: Path) -> Any:
    _must_exist(path)
    check_package(path)
    try:
        # keep_vba only when there is VBA: otherwise openpyxl would still mark the file
        # macro-enabled in ways Excel complains about for a plain .xlsx.
        return load_workbook(path, keep_vba=_has_vba(path), rich_text=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as err:
        raise WorkbookRefused(
            f"{path.name} cannot be read as a workbook ({err}). Open it in Excel, save it as "
            ".xlsx or .xlsm and run again.",
            f"{path.name} 无法作为工作簿读取（{err}）。"
            "请在 Excel 中打开并另存为 .xlsx 或 .xlsm 后重新运行。") from err


def _first_error(outcome: Outcome) -> str | None:
    return next((f.cell for f in outcome.findings if f.level == "error" and f.cell), None)


def _lap(started: float) -> float:
    return time.perf_counter() - started
