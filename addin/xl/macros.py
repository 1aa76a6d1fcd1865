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
from addin.layout.log import RunInfo, current_user

from . import feedback
from .plan import ALL_PARTS, Plan, plan_writes
from .read import NoRegister, Refused, Snapshot, read_workbook, today_in_excel
from .write import WriteFailed, apply_writes

BUTTON_PARTS: dict[str, frozenset[str]] = {
    "validate": frozenset({"check"}),
    "assign_numbers": frozenset({"numbers"}),
    "classify": frozenset({"classes"}),
    "deadlines_and_colours": frozenset({"deadlines"}),
    "run_all": ALL_PARTS,
}


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
    """Run one of the pipeline buttons; never raises: every failure becomes a message box."""
    lang = "en"
    try:
        snap = read_workbook(book)
        lang = snap.register.lang
        from addin.core.pipeline import process

        outcome = process(snap.register, snap.grids, today or today_in_excel(), snap.counters)
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
    """Write this month's report next to the saved workbook."""
    report_button(_book(book), "monthly_report")


@xw.script
def case_summary(book: xw.Book | None = None) -> None:
    """Write a record card and a summary for each case in the selected rows."""
    report_button(_book(book), "case_summary")


# ----------------------------------------------------------------------------- reports

# The report buttons are the one place the live door calls the reports: through their public
# entry points only (reports.monthly.write_report and default_month, reports.summary.
# write_summaries), imported inside the button so that the data buttons never load Jinja or
# calamine. The layering contract allows exactly these two modules (docs/CONTRACTS.md).

def report_button(book: Any, macro: str, today: dt.date | None = None) -> MacroResult:
    """The two report buttons. Reports read the saved file (they never write to the workbook)."""
    lang = "en"
    try:
        snap = read_workbook(book, roles=())
        lang = snap.register.lang
        path = Path(book.fullname)
        if macro == "monthly_report":
            files = _monthly(path, today)
            _analysis_sheets(book, today)
        else:
            files = _summaries(book, snap, path, today)
    except NoRegister as err:
        return _fail(book, macro, feedback.problem_message(err.problem, lang), lang)
    except ImportError:
        what = ("monthly report" if macro == "monthly_report" else "case summary", "月度报告"
                if macro == "monthly_report" else "案件摘要")
        message = feedback.missing_feature_message(what[1] if lang.startswith("zh") else what[0],
                                                   lang)
        return _fail(book, macro, message, lang)
    except _NothingSelected as err:
        return _fail(book, macro, err.text(lang), lang)
    except Exception as err:  # staff get a message box, never a traceback
        return _fail(book, macro, feedback.unexpected_message(err, lang), lang)
    message = _files_message(files, lang)
    feedback.show_box(book, message, feedback.title(macro, lang))
    return MacroResult(macro, True, message, lang, files=files)


def _monthly(path: Path, today: dt.date | None) -> list[Path]:
    from reports.monthly import write_report

    return write_report(path, today=today)


def _analysis_sheets(book: Any, today: dt.date | None) -> None:
    """Rebuild the Analysis and Monthly sheets in the open workbook, from what it holds now.

    This costs a bounded number of calls (tables, formats, charts), independent of the rows, but
    more than the data buttons' budget: so it belongs to the manager's button, not to Run all.
    """
    from addin.core.analysis import analysis_figures
    from addin.core.learning import learn
    from addin.core.pipeline import process
    from reports.monthly import default_month

    from .analysis import write_analysis

    snap = read_workbook(book)
    day = today or today_in_excel()
    outcome = process(snap.register, snap.grids, day, snap.counters)
    figures = analysis_figures(outcome.cases, outcome.config.calendar, day,
                               month=default_month(day), lists=outcome.config.lists)
    figures.learning = learn(outcome.cases, outcome.config.calendar, day,
                             actions=outcome.actions, volume=outcome.volume)
    write_analysis(book, figures, outcome.lang, outcome.config.lists)


class _NothingSelected(Exception):
    def text(self, lang: str) -> str:
        if lang.startswith("zh"):
            return "请先在投诉登记表中选中要生成摘要的案件所在的行（可多选），再点击“案件摘要”。"
        return ("Select the rows of the cases you want summarised on the complaints sheet "
                "(several rows are fine), then press Case summary again.")


def _summaries(book: Any, snap: Snapshot, path: Path, today: dt.date | None) -> list[Path]:
    from reports.summary import write_summaries

    case_nos = selected_case_numbers(book, snap)
    if not case_nos:
        raise _NothingSelected()
    return write_summaries(path, case_nos=case_nos, today=today)


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


def _files_message(files: list[Path], lang: str) -> str:
    names = "\n".join(str(f) for f in files)
    if lang.startswith("zh"):
        return f"已根据已保存的工作簿生成 {len(files)} 个文件：\n{names}"
    return f"Written from the saved workbook ({len(files)} files):\n{names}"
