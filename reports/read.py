"""Reading a workbook the fast way for reports, which never write to it.

python-calamine reads cell values straight from the file (about ten times faster than openpyxl)
and cannot modify it, which is all a report needs. The register is found by the rule both doors
use (``addin.layout.register``), so a report reads the table a run wrote: the first sheet named
Complaints (or 投诉登记 ...) with a header naming a card field, else the sheet whose header row
names the most card fields.

Before calamine reads anything, the file goes through the package check the batch door runs
(``addin.package``: zip limits, entity declarations, encrypted, damaged), with the same refusals:
a report must not be the door through which a zip bomb exhausts the machine.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from python_calamine import CalamineError, CalamineWorkbook

from addin.core.errors import Refusal, about_file
from addin.core.fields import fold, guess_language, match_headers
from addin.core.findings import finding
from addin.core.register import Grid, Register
from addin.core.text import Text
from addin.layout.blocks import Block, register_columns, register_frame
from addin.layout.caselog import find_case_log
from addin.layout.register import Found, find_register
from addin.layout.sheets import ANALYSIS_SHEETS, GRID_ROLES, is_named, sheet_role
from addin.package import PackageRefused, check_package

from .readahead import keep_till_end, take


class ReportRefused(Refusal):
    """The workbook cannot be reported on; the message says why and what to do, in English and
    Chinese."""


UNREADABLE = Text("{path}: cannot be read as a workbook ({error}). Open it in Excel, save it as "
                  ".xlsx or .xlsm and run again.",
                  "{path}：无法作为工作簿读取（{error}）。请在 Excel 中打开，"
                  "另存为 .xlsx 或 .xlsm 后重新运行。")


def refused_reading(path: Path, err: Exception) -> Exception:
    """What a report says of an error opening ``path``: the package check's refusal as it is,
    a file calamine or the system could not read as unreadable; any other error (a bug) is
    given back unchanged."""
    if isinstance(err, PackageRefused):
        return ReportRefused(err.said)
    if isinstance(err, CalamineError | OSError | ValueError):
        return ReportRefused(UNREADABLE.format(path=path, error=err))
    return err


def read_workbook_fast(path: Path) -> tuple[Register, dict[str, Grid], dict[str, int]]:
    """The register, the settings sheets by role ('settings', 'lists', ...) and the counters.

    ``sheets`` also holds the Actions sheet under 'actions' when the workbook has one. Reports
    assign no case numbers, so the counters are returned empty.
    """
    ahead = take(path)  # the command line may have started reading it (``readahead``)
    try:
        if ahead is None:
            wide = check_package(path, blocks=True)
            book = CalamineWorkbook.from_path(str(path))
        else:
            book, wide = ahead.result().book, ahead.wide
    except (PackageRefused, CalamineError, OSError, ValueError) as err:
        raise refused_reading(path, err) from err
    sheets: dict[str, Grid] = {}
    blocks: dict[str, Block] = {}
    early = ahead.sheets if ahead is not None else {}

    def top(name: str) -> Block:
        if name not in blocks:
            blocks[name] = Block(name, *_values(book, name, wide, early))
        return blocks[name]

    try:  # calamine parses each sheet when it is asked for it: a damaged one fails here
        for name in book.sheet_names:
            role = sheet_role(name)
            if role in GRID_ROLES:
                sheets.setdefault(role, _grid(book, name, wide))
            elif is_named(name, ANALYSIS_SHEETS["actions"]):
                sheets.setdefault("actions", _grid(book, name, wide))
        found = find_register(book.sheet_names, top)
    except CalamineError as err:
        raise refused_reading(path, err) from err
    register = None if found is None else _register(blocks[found.sheet], found)
    if register is None:
        problem = finding("no-register", Path(path).name)
        raise ReportRefused(about_file(str(path), problem))
    keep_till_end(register)
    return register, sheets, {}


def read_case_log(path: Path) -> list[list[Any]]:
    """The Case log sheet's rows from A1 (header first), empty when the workbook has none.

    The file was read once already by ``read_workbook_fast``; this reads one more sheet of it.
    """
    try:
        wide = check_package(path, blocks=True)  # the file may have changed since
        book = CalamineWorkbook.from_path(str(path))
    except (PackageRefused, CalamineError, OSError, ValueError) as err:
        raise refused_reading(path, err) from err
    name = find_case_log(book.sheet_names)
    if name is None:
        return []
    try:
        rows, first_row, first_col = _values(book, name, wide)
    except CalamineError as err:
        raise refused_reading(path, err) from err
    if (first_row, first_col) != (1, 1):  # the header is not where the doors write it
        return []
    return [[_cell(v) for v in row] for row in rows]


def _values(book: CalamineWorkbook, name: str, wide: dict[str, PackageRefused],
            early: dict[str, tuple[list[list[Any]], Any]] | None = None
            ) -> tuple[list[list[Any]], int, int]:
    """A sheet's used range as calamine gives it, with its first row and column (1-based);
    ``early`` holds sheets read ahead (each taken once). A sheet too big to read as one block
    (``wide``, from the package check) is refused, not handed to calamine, whose allocation
    would abort the process."""
    if name in wide:
        raise ReportRefused(wide[name].said)
    if early and name in early:
        rows, start = early.pop(name)
    else:
        sheet = book.get_sheet_by_name(name)
        rows, start = sheet.to_python(skip_empty_area=True), sheet.start
    start = start or (0, 0)
    return rows, start[0] + 1, start[1] + 1


def _grid(book: CalamineWorkbook, name: str, wide: dict[str, PackageRefused]) -> Grid:
    rows, first_row, first_col = _values(book, name, wide)
    return Grid(name, [[_cell(v) for v in row] for row in rows], first_row, first_col)


def _cell(value: Any) -> Any:
    """A value as openpyxl would give it: None for empty, whole numbers as int."""
    # Sorted by exact type, the million cells of a large sheet go twice as fast as comparing
    # each with "": calamine hands over str, float, int, bool and date and time types only.
    kind = type(value)
    if kind is str:
        return None if value == "" else value
    if kind is float and value.is_integer():
        return int(value)
    return value


def _last_filled_row(columns: list[np.ndarray]) -> int:
    """The index of the last row holding a value in any of ``columns`` (-1 when none does).

    Looked for from the end, where a sheet rarely has many empty rows: comparing every cell of a
    large sheet with None costs a pass over a million cells.
    """
    for i in range(len(columns[0]) - 1 if columns else -1, -1, -1):
        if any(cells[i] is not None for cells in columns):
            return i
    return -1


def _register(block: Block, found: Found) -> Register:
    """The register the finder located, its values made to look as openpyxl gives them."""
    rows = block.rows
    at = found.header_row - block.first_row
    left, right = found.first_col - block.first_col, found.last_col - block.first_col + 1
    headers = ["" if h == "" else str(h) for h in rows[at][left:right]]
    body = np.empty((len(rows) - at - 1, len(rows[at])), dtype=object)
    if len(body):
        body[:] = rows[at + 1:]  # calamine gives rows of equal length
    fields = match_headers(headers)
    cells, known = register_columns((body[:, left + j] for j in range(right - left)), fields,
                                    len(body))
    height = _last_filled_row(cells) + 1
    frame = register_frame([column[:height] for column in cells], found.header_row + 1, height)
    register = Register(block.sheet, found.header_row, found.first_col, headers, frame, fields,
                        guess_language(headers))
    for j, (codes, values) in known.items():  # the rows cut off below hold no value
        register.knowing_distinct(j, codes[:height], values)
    return register


# ----------------------------------------------------------------------------- several workbooks

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
# A register column naming each case's branch, for a company that keeps several branches in
# one workbook. It is not a card field: the reports alone read it.
BRANCH_HEADERS = ("Branch", "分支机构", "分公司", "分店", "门店", "网点")


def workbooks_in(folder: Path) -> list[Path]:
    """The workbooks directly in a folder, by name: not Excel's ``~$`` lock files, nor the
    backups the batch door keeps in a subfolder."""
    return sorted((p for p in Path(folder).iterdir()
                   if p.is_file() and p.suffix.lower() in WORKBOOK_SUFFIXES
                   and not p.name.startswith("~$")), key=lambda p: p.name.casefold())


def branch_values(register: Register) -> pd.Series | None:
    """Each row's branch from the register's Branch column (index = Excel rows), or None when
    the register has no such column."""
    wanted = {fold(name) for name in BRANCH_HEADERS}
    for position, text in enumerate(register.headers):
        if text and fold(text) in wanted:
            return register.rows[position]
    return None
