"""One batch run over one workbook file: load, read, process, write back, save safely.

The order matters for safety: refuse before reading when Excel has the file open or another run
holds it, compute everything before touching the workbook, and save through ``save_atomically``,
which replaces the original only once the new file has been written and checked.
"""

from __future__ import annotations

import datetime as dt
import time
import zipfile
from dataclasses import asdict, dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any
from xml.etree import ElementTree
from xml.parsers import expat

from openpyxl import load_workbook

from addin import __version__
from addin.core.analysis import AnalysisFigures, analysis_figures
from addin.core.collector import collector_paused
from addin.core.errors import about_file
from addin.core.fields import WRITTEN_KEYS
from addin.core.learning import learn
from addin.core.pipeline import Outcome, Summary, process
from addin.core.text import Lang, Text
from addin.layout.cells import column_taken
from addin.layout.log import RunInfo, current_user
from addin.layout.sheets import (
    FINDINGS_SHEET,
    GRID_ROLES,
    OWNED_SHEETS,
    is_named,
    sheet_role,
)
from addin.memo import default_memo

from .analysis_sheets import write_action_results, write_analysis_sheets
from .caselog import (
    StoredState,
    apply_case_log,
    case_log_pending,
    read_case_state,
    stored_state_of,
)
from .glance import Glance, glance
from .safety import WorkbookRefused, check_not_open, default_backup_dir, run_lock, save_atomically
from .safety.limits import check_package
from .safety.merged import check_merged_writes
from .sheets import RegisterLocation, find_register, read_counters, read_grids, read_register
from .stream import CutBook, open_cut
from .writeback import analysis_is_current, apply_outcome, outcome_is_noop

# OWNED_SHEETS (addin.layout.sheets): the sheets each run rebuilds from scratch; openpyxl may drop
# their charts on load, and that is no loss because the run writes them anew.
SUFFIXES = (".xlsx", ".xlsm")
# Every sentence the batch door says about a run, in both languages.
SAYS: dict[str, Text] = {
    "checked": Text("{file}: {rows} rows checked, {numbered} numbered, {classified} classified, "
                    "{errors} errors, {warnings} warnings, {overdue} overdue, {due_soon} due "
                    "soon.",
                    "{file}：检查 {rows} 行，新编号 {numbered}，分类 {classified}，错误 {errors}，"
                    "警告 {warnings}，逾期 {overdue}，即将到期 {due_soon}。"),
    "wrote": Text("Wrote {output} ({cells} cells changed).",
                  "已写入 {output}（改动 {cells} 个单元格）"),
    "unchanged": Text("Nothing to change; the file was not written.", "无需改动，文件未写入。"),
    "first_error": Text("First error: {cell}; see the {sheet} sheet.",
                        "第一个错误：{cell}；详见“{sheet}”工作表。"),
    "backup": Text("Backup: {path}", "备份：{path}"),
    "accepted_loss": Text("Accepted loss: {loss}", "已接受的丢失：{loss}"),
    "no_register": Text(
        "{file}: no complaints table found. The register needs a header row naming the card's "
        "fields (e.g. Received at, Channel, Customer name, Description, Status) in its first 20 "
        "rows; see record-card.md.",
        "{file}：未找到投诉登记表。登记表的前 20 行中需要有一行表头写出记录卡的字段"
        "（如 受理时间、投诉渠道、客户姓名、投诉内容、处理状态）。"),
    "not_a_workbook": Text(
        "{file}: only .xlsx and .xlsm workbooks can be processed; save it in one of those "
        "formats in Excel (File > Save As) and run again.",
        "{file}：只能处理 .xlsx 和 .xlsm 工作簿；请在 Excel 中另存为其中一种格式后重新运行。"),
    "no_such_file": Text("{path}: no such file; check the name and folder.",
                         "{path}：文件不存在；请检查文件名和文件夹。"),
    "unreadable": Text(
        "{file} cannot be read as a workbook ({error}). Open it in Excel, save it as .xlsx or "
        ".xlsm and run again.",
        "{file} 无法作为工作簿读取（{error}）。"
        "请在 Excel 中打开并另存为 .xlsx 或 .xlsm 后重新运行。"),
}


@dataclass
class RunReport:
    """What one run did to one workbook, for people (``describe``) and scripts (``as_dict``)."""

    workbook: Path
    output: Path
    summary: Summary
    lang: Lang | str  # the workbook's
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

    def describe(self, lang: Lang | str | None = None) -> str:
        """What the run did, in ``lang`` (default: the workbook's language)."""
        return "\n".join(line.in_(lang or self.lang) for line in self.said())

    def said(self) -> list[Text]:
        s = self.summary
        lines = [SAYS["checked"].format(file=self.workbook.name, rows=s.rows, numbered=s.numbered,
                                        classified=s.classified, errors=s.errors,
                                        warnings=s.warnings, overdue=s.overdue,
                                        due_soon=s.due_soon),
                 SAYS["wrote"].format(output=self.output, cells=s.cells_changed) if self.changed
                 else SAYS["unchanged"]]
        if s.errors and self.first_error:
            lines.append(SAYS["first_error"].format(cell=self.first_error, sheet=FINDINGS_SHEET))
        if self.backup:
            lines.append(SAYS["backup"].format(path=self.backup))
        lines += [SAYS["accepted_loss"].format(loss=item) for item in self.lost]
        return lines


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
    with run_lock(path), collector_paused():
        clock = time.perf_counter()
        look = _glance(path)
        timings["load"] = _lap(clock)
        work = None
        if look is not None and look.loc is not None:
            # Handed over, not kept: _work lets the rows go once the register frame holds them.
            work = _work(path, look.wb, look.loc, _taken(look), look.state, today, analysis,
                         timings)
            if target == path and work.is_noop():
                return _report(path, target, work, timings, changed=False)
        # Something changes: load what the run edits into openpyxl.
        clock = time.perf_counter()
        wb, cut = open_for_run(path, look.strings if look is not None else None)
        look = None  # the bare workbook and the strings: the loaded workbook takes over
        loc = _located(path, wb)
        if work is not None and _same_inputs(work, wb, cut, loc):
            work.wb, work.loc = wb, loc  # the outcome worked out from the look holds
            timings["load"] += _lap(clock)  # the look and openpyxl's load of what it edits
        else:
            stored = stored_state_of(path, wb, cut)
            # Read as many columns to the right as a run may add, to see that they are free.
            below = _Below(cut.rows_below(loc.sheet, loc.first_col,
                                          loc.last_col + len(WRITTEN_KEYS)) if cut else None)
            timings["load"] += _lap(clock)  # the look and openpyxl's load of what it edits
            work = _work(path, wb, loc, below, stored, today, analysis, timings)
            if target == path and work.is_noop():
                return _report(path, target, work, timings, changed=False)
        report = _report(path, target, work, timings, changed=True)
        clock = time.perf_counter()
        run = RunInfo(dt.datetime.now().replace(microsecond=0), user or current_user("batch"),
                      __version__)
        outcome = work.outcome
        apply_outcome(wb, loc, outcome, run, below=cut.edits(loc.sheet) if cut else None)
        apply_case_log(wb, outcome, run, cut, work.stored)
        write_action_results(wb, outcome.actions)
        if work.figures is not None:
            write_analysis_sheets(wb, work.figures, outcome.lang, outcome.config.lists)
        # All is written into the workbook: the register frame, the cases and the figures go
        # before saving, which needs memory of its own.
        work = outcome = None
        timings["write"] = _lap(clock)
        saved = save_atomically(cut or wb, target, default_backup_dir(target), path, allow_loss,
                                owned_sheets=OWNED_SHEETS)
        timings["save"] = saved.seconds
        report.backup, report.lost = saved.backup, saved.lost
        return report


@dataclass
class _Work:
    """A register read and processed: the outcome, and the workbook it was worked out from."""

    wb: Any  # the openpyxl workbook read (a bare one built from a look, or loaded)
    loc: RegisterLocation
    outcome: Outcome
    figures: AnalysisFigures | None  # None when the run writes no analysis sheets
    grids: dict[str, Any]
    counters: dict[str, int]
    stored: StoredState  # the Case state sheet's rows the last known state came from

    def is_noop(self) -> bool:
        """Nothing the run writes would differ from what the workbook holds: register cells,
        columns, colouring rules, Findings, counters (the Log gains a row only with those) and
        the analysis sheets."""
        outcome = self.outcome
        # The Actions sheet's Result and Verdict and the case log are outside the register: a
        # change there alone is a reason to save too.
        return (outcome_is_noop(self.wb, self.loc, outcome) and not outcome.actions.writes
                and not case_log_pending(self.wb, outcome, self.stored)) and (
            self.figures is None or analysis_is_current(self.wb, self.figures, outcome.lang,
                                                        outcome.config.lists))


def _work(path: Path, wb: Any, loc: RegisterLocation, below: _Below, stored: StoredState,
          today: dt.date, analysis: bool, timings: dict[str, float]) -> _Work:
    clock = time.perf_counter()
    register = read_register(loc, below.rows)
    # What the rows hold right of the table is all the run needs of them now; the rest is in
    # the register frame, and letting them go keeps the run's memory down while it computes.
    beyond = _right_of(loc, below.rows)
    below.rows = None
    grids, counters = read_grids(wb), read_counters(wb)
    timings["read"] = timings.get("read", 0.0) + _lap(clock)
    clock = time.perf_counter()
    outcome = process(register, grids, today, counters,
                      last_state=read_case_state(wb, stored), memo=default_memo())
    _check_room(path, loc, outcome, beyond)
    check_merged_writes(path, loc, outcome.changes)
    figures = None
    if analysis:
        figures = analysis_figures(outcome.cases, outcome.config.calendar, today,
                                   lists=outcome.config.lists)
        figures.learning = learn(outcome.cases, outcome.config.calendar, today,
                                 actions=outcome.actions, volume=outcome.volume)
    timings["compute"] = timings.get("compute", 0.0) + _lap(clock)
    return _Work(wb, loc, outcome, figures, grids, counters, stored)


def _same_inputs(work: _Work, wb: Any, cut: CutBook | None, loc: RegisterLocation) -> bool:
    """The loaded workbook holds what the look read, so the outcome worked out from the look is
    the one a run over the loaded workbook works out: the register's sheet is cut (its rows
    below come from the same reader), found at the same place, its top rows and the settings
    sheets and counters read alike. The case log's state is read from the file alike by both
    (caselog.stored_state_in), so it needs no second look."""
    seen = work.loc
    return (cut is not None and loc.sheet in cut.sheets
            and (loc.sheet, loc.header_row, loc.first_col, loc.last_col) ==
            (seen.sheet, seen.header_row, seen.first_col, seen.last_col)
            and (loc.table is None) == (seen.table is None)
            and _values(loc.ws) == _values(seen.ws)
            and read_grids(wb) == work.grids and read_counters(wb) == work.counters)


def _values(ws: Any) -> dict[tuple[int, int], Any]:
    return {position: cell.value for position, cell in ws._cells.items()}


def _glance(path: Path) -> Glance | None:
    """The look at the workbook that spares a run openpyxl's load; None when it cannot be had
    (the load then says what is wrong with the file, or reads what the look does not)."""
    try:
        return glance(path, _kept_whole)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, ElementTree.ParseError,
            expat.ExpatError):
        return None


def _located(path: Path, wb: Any) -> RegisterLocation:
    loc = find_register(wb)
    if loc is None:
        raise WorkbookRefused(SAYS["no_register"].format(file=path.name))
    return loc


def _report(path: Path, target: Path, work: _Work, timings: dict[str, float],
            changed: bool) -> RunReport:
    outcome = work.outcome
    return RunReport(path, target, outcome.summary, outcome.lang, changed=changed,
                     timings=timings, first_error=_first_error(outcome))


class _Below:
    """The register's rows below the top, handed to ``_work``, which lets them go once read."""

    def __init__(self, rows: list[tuple[int, tuple[Any, ...]]] | None) -> None:
        self.rows = rows


def _taken(look: Glance) -> _Below:
    """The look's rows below the top, which the look no longer holds."""
    below, look.below = _Below(look.below), None
    return below


def _right_of(loc: RegisterLocation, below: list[tuple[int, tuple[Any, ...]]] | None
              ) -> list[tuple[int, int, Any]]:
    """The values the rows below hold right of the table: (row, column, value)."""
    width = loc.last_col - loc.first_col + 1
    return [(row, loc.first_col + width + i, value) for row, values in below or ()
            if len(values) > width for i, value in enumerate(values[width:])
            if value is not None]


def _check_room(path: Path, loc: RegisterLocation, outcome: Outcome,
                beyond: list[tuple[int, int, Any]]) -> None:
    """Refuse rather than write new columns over what staff typed to the right of the table
    (``beyond``: what the rows below the top hold there)."""
    if not outcome.new_columns:
        return
    stored = ((row, col, cell.value) for (row, col), cell in loc.ws._cells.items()
              if col > loc.last_col and row >= loc.header_row)
    taken = column_taken(loc.sheet, outcome.new_columns, loc.last_col + 1,
                         chain(stored, beyond), outcome.lang)
    if taken is not None:
        raise WorkbookRefused(about_file(path.name, taken))


def check_kind(path: Path) -> None:
    if path.suffix.lower() not in SUFFIXES:
        raise WorkbookRefused(SAYS["not_a_workbook"].format(file=path.name))


def open_for_run(path: Path, strings: list[str] | None = None) -> tuple[Any, CutBook | None]:
    """The workbook for a run: with its big sheets cut short where that is possible (stream.py),
    else loaded whole. ``strings``: its shared strings, when a look at it read them."""
    _must_exist(path)
    try:
        cut = open_cut(path, keep_vba=_has_vba(path), whole=_kept_whole, shared=strings)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, ElementTree.ParseError):
        cut = None  # the whole load below says what is wrong with the file
    return (cut.wb, cut) if cut else (open_workbook(path), None)


def _kept_whole(title: str) -> bool:
    """Sheets a run reads in full or rebuilds: never cut, whatever their size. The case log's
    sheets (APPENDED_SHEETS) are cut like the register: the run reads the state from the file
    and writes both as XML (caselog.py)."""
    return sheet_role(title) in GRID_ROLES or is_named(title, OWNED_SHEETS)


def _has_vba(path: Path) -> bool:
    with zipfile.ZipFile(path) as archive:
        return "xl/vbaProject.bin" in archive.namelist()


def _must_exist(path: Path) -> None:
    if not path.exists():
        raise WorkbookRefused(SAYS["no_such_file"].format(path=path))


def open_workbook(path: Path) -> Any:
    _must_exist(path)
    check_package(path)
    try:
        # keep_vba only when there is VBA: otherwise openpyxl would still mark the file
        # macro-enabled in ways Excel complains about for a plain .xlsx.
        return load_workbook(path, keep_vba=_has_vba(path), rich_text=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, ElementTree.ParseError) as err:
        # A part that is not well-formed XML is a damaged file, not a fault of the program.
        raise WorkbookRefused(SAYS["unreadable"].format(file=path.name, error=err)) from err


def _first_error(outcome: Outcome) -> str | None:
    return next((f.cell for f in outcome.findings if f.level == "error" and f.cell), None)


def _lap(started: float) -> float:
    return time.perf_counter() - started
