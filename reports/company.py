"""The company report: one monthly report over the workbooks of several branches.

Each workbook is read the fast way and run through the pipeline on its own (its own settings,
lists and holiday calendar give its deadlines), in worker processes when there are several
workbooks and cores. A case's branch is the value of the register's Branch column when it has
one, else the workbook's name; it is carried beside the cases here, not as a card field. The
report is the monthly report over all the cases (so its counts are the sums of the branches'),
with the month by branch and a league table per measure, each branch's figures being those of
its own report. One workbook gives that workbook's report exactly.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd

from addin.core.analysis import MonthlyFigures, analyse_month, monthly_figures
from addin.core.errors import Refusal
from addin.core.text import Text
from addin.layout.branches import branch_tables, w
from addin.layout.tables import ReportTable, overdue_table

from . import monthly
from .monthly import (
    MonthInputs,
    html_table,
    month_inputs,
    monthly_context,
    report_month,
    report_names,
    write_html,
)
from .read import ReportRefused, branch_values, read_workbook_fast
from .render import environment, render

MAX_WORKERS = 2  # processes reading workbooks at once (the pipeline is pure Python per book)
NAMES_SHOWN = 4  # workbook names the subtitle lists before it only counts them
SAYS = {
    "refused": Text("{said} The company report needs every workbook it is given: fix this one "
                    "or leave it out, then run again.",
                    "{said} 公司报告需要所给的每一个工作簿：请修正此工作簿或将其排除后重新运行。"),
    "workbooks": Text("{n} workbooks: {names}", "{n} 个工作簿：{names}"),
}


@dataclass
class BranchBook:
    """One workbook read and processed, with each case's branch (None: the workbook's name)."""

    path: Path
    inputs: MonthInputs
    branch: list | None


def load_book(path: Path, today: dt.date) -> BranchBook:
    """Read one workbook and run the pipeline over it (in a worker process when in parallel)."""
    register, sheets, counters = read_workbook_fast(path)
    inputs = month_inputs(register, sheets, path.name, today, counters)
    column = branch_values(register)
    branch = None if column is None else column.reindex(inputs.cases.index).tolist()
    return BranchBook(path, inputs, branch)


def load_books(paths: Sequence[Path], today: dt.date, workers: int | None = None
               ) -> list[BranchBook]:
    """Every workbook, in the order given; a refused one stops the report, naming the file."""
    paths = [Path(p) for p in paths]
    workers = min(workers or _free_cores(), len(paths))
    if workers < 2:
        return [_named(path, load_book, path, today) for path in paths]
    with ProcessPoolExecutor(workers) as pool:
        futures = [pool.submit(load_book, path, today) for path in paths]
        return [_named(path, Future.result, future)
                for path, future in zip(paths, futures, strict=True)]


def _free_cores() -> int:
    """Worker processes worth starting: up to ``MAX_WORKERS`` cores, and one process when the
    machine is already busy (measured: on a loaded 2-core server a second process only slowed
    the report down)."""
    cores = os.cpu_count() or 1
    busy = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    return 1 if busy >= cores else min(MAX_WORKERS, cores)


def _named(path: Path, call: Callable, *args: object) -> Any:
    """``call(*args)``, its refusal said as the company report's, naming the workbook."""
    try:
        return call(*args)
    except ReportRefused as err:
        said = str(err) if str(path) in str(err) else f"{path}: {err}"
        raise Refusal(SAYS["refused"].format(said=said)) from err


def write_company_report(paths: Sequence[Path], month: pd.Period | str | None = None,
                         lang: str | None = None, output_dir: Path | None = None,
                         today: dt.date | None = None, pdf: bool = True, stem: str = "company",
                         workers: int | None = None) -> list[Path]:
    """One report over several workbooks, written in ``output_dir`` (default: the first
    workbook's folder) as ``<stem>-report-<month>-<lang>.html``; one workbook: its own report."""
    paths = [Path(p) for p in paths]
    if len(paths) == 1:
        return monthly.write_report(paths[0], month, lang, output_dir, today, pdf)
    today = today or dt.date.today()
    html, names = company_html(load_books(paths, today, workers), report_month(month, today),
                               lang, today, stem)
    return write_html(html, Path(output_dir) if output_dir else paths[0].parent, names, pdf)


def company_html(books: list[BranchBook], period: pd.Period, lang: str | None, today: dt.date,
                 stem: str = "company") -> tuple[str, list[str]]:
    """The company report's page and its file names."""
    context = company_context(books, period, lang, today)
    html = render(environment(), monthly.MONTHLY_TEMPLATE, context)
    return html, report_names(stem, period, context.lang)


def company_context(books: list[BranchBook], period: pd.Period, lang: str | None,
                    today: dt.date):
    """The monthly report's context over every book's cases, with the branch tables."""
    first = books[0].inputs
    lang = lang or first.lang
    mask = any(book.inputs.mask for book in books)  # one branch's privacy setting binds all
    cases = pd.concat([_with_branch(book) for book in books], ignore_index=True)
    analysis = analyse_month(cases, period, first.calendar, today, first.lists)
    context = monthly_context(analysis, first.lists, lang, mask=mask,
                              workbook=_workbooks(books, lang))
    tables = branch_tables(branch_figures(books, period, today), analysis.figures, lang)
    overdue = _branch_column(overdue_table(analysis, lang, first.lists),
                             analysis.overdue["branch"].tolist(), lang)
    return replace(context, branches=html_table(tables[0], lang, mask),
                   league=[html_table(table, lang, mask) for table in tables[1:]],
                   overdue=html_table(overdue, lang, mask))


def branch_figures(books: list[BranchBook], period: pd.Period, today: dt.date
                   ) -> list[tuple[str, MonthlyFigures]]:
    """Each branch's month figures, on its own workbook's calendar, in the order branches are
    first met. A branch found in several workbooks is counted over all its cases."""
    parts: dict[str, list[tuple[pd.DataFrame, object]]] = {}
    for book in books:
        frame = _with_branch(book)
        for name, part in frame.groupby("branch", sort=False):
            parts.setdefault(name, []).append((part, book.inputs.calendar))
    return [(name, monthly_figures(pd.concat([p for p, _ in found]), period, found[0][1], today))
            for name, found in parts.items()]


def _with_branch(book: BranchBook) -> pd.DataFrame:
    """The book's cases with their branch: the Branch cell, else the workbook's name."""
    own = book.path.stem
    names = [own] * len(book.inputs.cases) if book.branch is None else [
        _branch_text(value) or own for value in book.branch]
    return book.inputs.cases.assign(branch=names)


def _branch_text(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value).strip()


def _branch_column(table: ReportTable, branches: list[str], lang: str) -> ReportTable:
    """A table with each row's branch beside its first column (the overdue list: case numbers
    of different branches may be alike)."""
    return replace(table, columns=[table.columns[0], w("branch", lang), *table.columns[1:]],
                   kinds=[table.kinds[0], "text", *table.kinds[1:]],
                   rows=[[row[0], branch, *row[1:]]
                         for row, branch in zip(table.rows, branches, strict=True)])


def _workbooks(books: list[BranchBook], lang: str) -> str:
    names = [book.path.name for book in books]
    shown = ", ".join(names[:NAMES_SHOWN]) + (", …" if len(names) > NAMES_SHOWN else "")
    return SAYS["workbooks"].format(n=len(names), names=shown).in_(lang)
