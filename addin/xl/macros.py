"""One function per button of the record card, run on the open workbook.

Classic xlwings calls them from the workbook's VBA (``RunPython "import addin.xl.macros as m;
m.validate()"``) with no argument, so the book is ``xw.Book.caller()``. xlwings Lite and xlwings
Server call the same functions with the book as their ``book: xw.Book`` argument (the
``@xw.script`` decorator registers them there); tests pass a stand-in book.

Every button runs the same pipeline as the batch door; the buttons differ only in which of the
add-in's columns they write. The Findings sheet is rewritten by every button.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlwings as xw

from addin import __version__
from addin.core.collector import collector_paused
from addin.core.text import Lang, Text
from addin.layout.caselog import find_case_log
from addin.layout.log import RunInfo, current_user
from addin.layout.sheets import ANALYSIS_SHEETS, is_named
from addin.memo import default_memo

from . import feedback
from .plan import ALL_PARTS, Plan, plan_writes
from .read import (
    Refused,
    Snapshot,
    case_state,
    read_block,
    read_workbook,
    today_in_excel,
)
from .write import WriteFailed, apply_writes

BUTTON_PARTS: dict[str, frozenset[str]] = {
    "validate": frozenset({"check"}),
    "assign_numbers": frozenset({"numbers"}),
    "classify": frozenset({"classes"}),
    "deadlines_and_colours": frozenset({"deadlines"}),
    "run_all": ALL_PARTS,
}

# What the report buttons say when they are done, or cannot start.
SAYS = {
    "files": Text("Written from the workbook as it is on screen, unsaved changes included "
                  "({n} files):\n{names}",
                  "已根据屏幕上的工作簿（含未保存的修改）生成 {n} 个文件：\n{names}"),
    "report_unsaved": Text(
        "The report is on the Monthly sheet of this workbook. The workbook is not saved in a "
        "folder (a new workbook, or one open from the web), so no file was written: save it in a "
        "folder and press Monthly report again to get {html} beside it (and {pdf} where Chromium "
        "is installed).",
        "报告已写入本工作簿的“月度报告”工作表。工作簿尚未保存到文件夹中（新建的工作簿，或从网页"
        "打开），因此没有生成文件；保存到文件夹后再点击“月度报告”，将在工作簿旁生成 {html}"
        "（装有 Chromium 时另生成 {pdf}）。"),
}
_REPORT_NAMES = {"monthly_report": Text("monthly report", "月度报告"),
                 "summary": Text("case summary", "案件摘要")}


@dataclass
class MacroResult:
    """What a button did: for tests and for the message staff see."""

    macro: str
    ok: bool
    message: str
    lang: str = "en"
    plan: Plan | None = None
    outcome: Any = None
    files: list[Path] | None = None



def _book(book: Any) -> Any:
    return book if book is not None else xw.Book.caller()


def run_button(book: Any, macro: str, today: dt.date | None = None,
               when: dt.datetime | None = None) -> MacroResult:
    """Run one of the pipeline buttons; never raises: every failure becomes a message box.

    Python's cyclic garbage collector waits until the press is over (``collector_paused``).
    """
    with collector_paused():
        return _press(book, macro, today, when)


def _press(book: Any, macro: str, today: dt.date | None, when: dt.datetime | None
           ) -> MacroResult:
    lang = "en"
    try:
        snap = read_workbook(book)
        lang = snap.register.lang
        from addin.core.pipeline import process

        outcome = process(snap.register, snap.grids, today or today_in_excel(), snap.counters,
                          last_state=case_state(snap), memo=default_memo())
        lang = outcome.lang
        run = RunInfo(when or dt.datetime.now().replace(microsecond=0), current_user(), __version__,
                      feedback.TITLES[macro][0])
        plan = plan_writes(snap, outcome, BUTTON_PARTS[macro], run)
        apply_writes(book, snap, plan.writes)
    except Refused as err:
        return _fail(book, macro, feedback.problem_message(err.problem, lang), lang)
    except WriteFailed as err:
        where = f"{err.write.sheet}!{err.write.address}"
        return _fail(book, macro, feedback.write_failed_message(where, err.cause, err.restored,
                                                                lang), lang)
    except Exception as err:  # staff get a message box, never a traceback
        return _fail(book, macro, feedback.unexpected_message(err, lang), lang)
    return _finish(book, macro, snap, outcome, plan, lang)


def _finish(book: Any, macro: str, snap: Snapshot, outcome: Any, plan: Plan,
            lang: str) -> MacroResult:
    s = outcome.summary
    counts = feedback.Counts(s.rows, s.numbered, s.classified, s.errors, s.warnings, s.overdue,
                             plan.cells_changed)
    message = feedback.done_message(macro, counts, plan.first_error, lang)
    if plan.first_error:
        _select(book, snap, plan.first_error)
    if not feedback.show_status(book, message):
        feedback.show_box(book, message, feedback.title(macro, lang))
    return MacroResult(macro, True, message, lang, plan, outcome)


def _select(book: Any, snap: Snapshot, cell: str) -> None:
    """Show staff the first cell to fix. A failure to select is not worth a message box."""
    address = cell.rpartition("!")[2]
    sheet = snap.sheet_objects.get(snap.register.sheet) or book.sheets[snap.register.sheet]
    try:
        sheet.range(address).select()  # the button sits on the register, so it is active
    except Exception:  # Excel selects only on the active sheet
        try:
            sheet.activate()
            sheet.range(address).select()
        except Exception:  # selecting is a courtesy: the status bar still names the cell
            pass


def _fail(book: Any, macro: str, message: str, lang: str) -> MacroResult:
    feedback.show_box(book, message, feedback.title(macro, lang), mode="critical")
    return MacroResult(macro, False, message, lang)


# ----------------------------------------------------------------------------- the buttons

@xw.script
def validate(book: xw.Book | None = None) -> None:
    """Check every row and rewrite the Check column and the Findings sheet."""
    run_button(_book(book), "validate")


@xw.script
def assign_numbers(book: xw.Book | None = None) -> None:
    """Give every valid row without a case number the next number."""
    run_button(_book(book), "assign_numbers")


@xw.script
def classify(book: xw.Book | None = None) -> None:
    """Fill empty category, severity, urgency and department from the rules."""
    run_button(_book(book), "classify")


@xw.script
def deadlines_and_colours(book: xw.Book | None = None) -> None:
    """Compute deadlines, SLA status and days open; the workbook's formats do the colours."""
    run_button(_book(book), "deadlines_and_colours")


@xw.script
def run_all(book: xw.Book | None = None) -> None:
    """Everything at once, as the batch does on a server."""
    run_button(_book(book), "run_all")


@xw.script
def monthly_report(book: xw.Book | None = None) -> None:
    """Report last month of the workbook on screen: the Monthly sheet, and HTML (and PDF)
    files beside the workbook when it is saved in a folder."""
    report_button(_book(book), "monthly_report")


@xw.script
def case_summary(book: xw.Book | None = None) -> None:
    """Write a record card and a summary for each case in the selected rows."""
    report_button(_book(book), "case_summary")


# ----------------------------------------------------------------------------- reports

# The report buttons are the one place the live door calls the reports: through their public
# entry points only (reports.monthly.report_from_register, reports.summary.summaries_from),
# imported inside the button so that the data buttons never load Jinja or calamine. The layering
# contract allows exactly these two modules (docs/CONTRACTS.md).

def report_button(book: Any, macro: str, today: dt.date | None = None) -> MacroResult:
    """The two report buttons. They report the workbook as it is on screen, from the door's one
    read of it, never the saved file: so unsaved typing counts, and they run where the workbook
    has no file at all (xlwings Server and Lite, a book never saved)."""
    lang = "en"
    try:
        snap = read_workbook(book)
        lang = snap.register.lang
        folder = workbook_folder(book)
        day = today or today_in_excel()
        if macro == "monthly_report":
            report = _monthly(book, snap, folder, day)
            files, message = report.files, _report_message(report, folder, lang)
        else:
            files = _summaries(book, snap, folder, day)
            message = _files_message(files, lang)
    except Refused as err:
        return _fail(book, macro, feedback.problem_message(err.problem, lang), lang)
    except ImportError:
        what = _REPORT_NAMES["monthly_report" if macro == "monthly_report" else "summary"]
        message = feedback.missing_feature_message(what.in_(lang), lang)
        return _fail(book, macro, message, lang)
    except _ReportStopped as err:
        return _fail(book, macro, err.text(lang), lang)
    except Exception as err:  # staff get a message box, never a traceback
        return _fail(book, macro, feedback.unexpected_message(err, lang), lang)
    feedback.show_box(book, message, feedback.title(macro, lang))
    return MacroResult(macro, True, message, lang, files=files,
                       outcome=report if macro == "monthly_report" else None)


def workbook_folder(book: Any) -> Path | None:
    """The folder the workbook is saved in; None for a book never saved, or one open from the
    web (xlwings Server and Lite give a bare name or an address, not a path)."""
    full = Path(str(book.fullname))
    return full.parent if full.is_absolute() and full.parent.is_dir() else None


def _monthly(book: Any, snap: Snapshot, folder: Path | None, day: dt.date) -> Any:
    """The report from the snapshot, and the Analysis and Monthly sheets rebuilt from the same
    figures: the Monthly sheet is the report inside the workbook.

    This costs a bounded number of calls (tables, formats, charts), independent of the rows, but
    more than the data buttons' budget: so it belongs to the manager's button, not to Run all.
    """
    from addin.core.analysis import AnalysisFigures, pivots
    from addin.core.learning import learn
    from reports.monthly import report_from_register

    from .analysis import write_analysis

    report = report_from_register(
        snap.register, snap.grids | _actions_grid(book, snap), snap.book_name, folder=folder,
        today=day, counters=snap.counters,
        templates=None if folder is None else folder / snap.book_name)
    inputs = report.inputs
    figures = AnalysisFigures(day, pivots(inputs.cases, inputs.calendar, day, inputs.lists),
                              report.analysis)
    figures.learning = learn(inputs.cases, inputs.calendar, day, actions=inputs.review,
                             volume=inputs.volume)
    write_analysis(book, figures, inputs.lang, inputs.lists)
    return report


def _actions_grid(book: Any, snap: Snapshot) -> dict[str, Any]:
    """The Actions sheet staff fill for the report, when the workbook has one (two calls)."""
    name = next((n for n in snap.sheet_names if is_named(n, ANALYSIS_SHEETS["actions"])), None)
    return {} if name is None else {"actions": read_block(book.sheets[name], name).grid()}


class _ReportStopped(Exception):
    """A report button cannot go on until staff do something; the message says what."""

    def __init__(self, en: str, zh: str) -> None:
        super().__init__(en)
        self.said = Text(en, zh)

    def text(self, lang: Lang | str) -> str:
        return self.said.in_(lang)


def _nothing_selected() -> _ReportStopped:
    return _ReportStopped(
        "Select the rows of the cases you want summarised on the complaints sheet (several "
        "rows are fine), then press Case summary again.",
        "请先在投诉登记表中选中要生成摘要的案件所在的行（可多选），再点击“案件摘要”。")


def _summaries(book: Any, snap: Snapshot, folder: Path | None, day: dt.date) -> list[Path]:
    from reports.monthly import month_inputs
    from reports.summary import summaries_from

    case_nos = selected_case_numbers(book, snap)
    if not case_nos:
        raise _nothing_selected()
    if folder is None:
        raise _ReportStopped(
            f"{snap.book_name} is not saved in a folder (a new workbook, or one open from the "
            f"web), so the case summaries have nowhere to go: they are written to a folder "
            f"named summaries beside the workbook. Save the workbook in a folder, then press "
            f"Case summary again.",
            f"{snap.book_name} 尚未保存到文件夹中（新建的工作簿，或从网页打开），案件摘要无处存放："
            f"摘要写在工作簿旁的 summaries 文件夹中。请先将工作簿保存到文件夹，再点击“案件摘要”。")
    inputs = month_inputs(snap.register, snap.grids, snap.book_name, day, snap.counters)
    return summaries_from(inputs, folder / "summaries", case_nos=case_nos, today=day,
                          templates=folder / snap.book_name, case_log=_case_log_rows(book, snap))


def _case_log_rows(book: Any, snap: Snapshot) -> list[list[Any]]:
    """The Case log's rows from A1 for the cards' timelines (two calls); [] without one."""
    name = find_case_log(snap.sheet_names)
    if name is None:
        return []
    block = read_block(book.sheets[name], name)
    return block.rows if (block.first_row, block.first_col) == (1, 1) else []


def selected_case_numbers(book: Any, snap: Snapshot) -> list[str]:
    """Case numbers of the register rows inside the current selection (two calls)."""
    selection = book.app.selection
    if selection is None:
        return []
    address = selection.address
    rows = _rows_of(address)
    register = snap.register
    if "case_no" not in register.columns:
        return []
    column = register.rows[register.columns["case_no"]]
    picked = column[column.index.isin(list(rows))]
    return [str(v).strip() for v in picked if v is not None and str(v).strip()]


def _rows_of(address: str) -> range:
    """Rows an address spans: '$B$5:$D$9' -> 5..9, '$7:$9' -> 7..9 (several areas: the union)."""
    rows: set[int] = set()
    for area in address.rpartition("!")[2].split(","):
        ends = [int("".join(ch for ch in part if ch.isdigit()) or 0)
                for part in area.replace("$", "").split(":")]
        ends = [e for e in ends if e] or [0]
        rows.update(range(min(ends), max(ends) + 1))
    return range(min(rows), max(rows) + 1) if rows else range(0)


def _files_message(files: list[Path], lang: Lang | str) -> str:
    names = "\n".join(str(f) for f in files)
    return SAYS["files"].format(n=len(files), names=names).in_(lang)


def _report_message(report: Any, folder: Path | None, lang: str) -> str:
    """Where the report went: its files, or the Monthly sheet and where files would go."""
    if folder is not None:
        return _files_message(report.files, lang)
    html, pdf = report.names
    return SAYS["report_unsaved"].format(html=html, pdf=pdf).in_(lang)
