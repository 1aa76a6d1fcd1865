"""The live door's reading: every sheet it needs as one block of values, before anything runs.

Each call into Excel is a round trip, so the door never reads cell by cell. It uses only calls
that classic xlwings (Windows, macOS), xlwings Lite and xlwings Server all support:
``sheet_names``, sheet lookup, ``used_range``, ``address`` and ``value``. The register is found
by the rule every door shares (``addin.layout.register``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from itertools import zip_longest
from typing import Any

from addin.core.errors import Refusal
from addin.core.fields import fold
from addin.core.findings import Finding, finding
from addin.core.limits import settings_address_finding
from addin.core.register import Grid, Register
from addin.layout.blocks import (
    Block,
    block_from_values,
    excel_value,
    parse_address,
    register_columns,
    register_frame,
    trimmed,
)
from addin.layout.caselog import find_case_log, state_from_rows
from addin.layout.cells import is_blank
from addin.layout.counters import COUNTERS_HEADER, counters_from_rows
from addin.layout.register import HEADER_SCAN_ROWS, Found, find_register
from addin.layout.sheets import (
    CASE_STATE_SHEET,
    COUNTERS_SHEET,
    FINDINGS_SHEET,
    GRID_ROLES,
    LOG_SHEET,
    find_sheet,
    sheet_role,
)


class Refused(Refusal):
    """The button cannot go on until staff fix something; ``problem`` is the finding to show
    (a run that would add a column over cells staff filled, for one)."""

    def __init__(self, problem: Finding) -> None:
        self.problem = problem
        super().__init__(problem.message_text(), fix=problem.fix_text())


class NoRegister(Refused):
    """The workbook has no complaints table."""

    def __init__(self, book_name: str) -> None:
        super().__init__(finding("no-register", book_name))


@dataclass
class Snapshot:
    """Everything the door read from the workbook: one read per sheet, before anything runs."""

    book_name: str
    sheet_names: list[str]
    register: Register
    register_last_col: int
    grids: dict[str, Grid]
    counters: dict[str, int]
    counters_sheet: str | None
    findings_sheet: str | None
    log_sheet: str | None
    log_last_row: int = 0
    # The case log: the hidden state's rows as read, where the next event goes.
    case_state_rows: list[list[Any]] | None = None
    case_state_sheet: str | None = None
    case_log_sheet: str | None = None
    case_log_last_row: int = 0
    sheet_objects: dict[str, Any] = field(default_factory=dict, repr=False)
    # (row, column, value) of the filled cells right of the table, from its header row down:
    # a run must not add columns over them.
    beside: list[tuple[int, int, Any]] = field(default_factory=list, repr=False)


def read_block(sheet: Any, name: str) -> Block:
    """A sheet's used range in two calls (its address, its values) on one range object."""
    values, first_row, first_col = _used_values(sheet)
    return block_from_values(name, values, first_row, first_col)


def _used_values(sheet: Any) -> tuple[list[list[Any]], int, int]:
    """A sheet's used range as Excel hands it over (its address, then its values: two calls),
    with the sheet row and column of its top-left cell."""
    used = sheet.used_range
    first_row, first_col = parse_address(used.address)
    return used.options(ndim=2).value or [], first_row, first_col


def read_settings_block(sheet: Any, name: str) -> Block:
    """A settings sheet (Settings, Lists, Rules, Holidays) whole, in two calls: its used range's
    address, checked against the settings limit before any value is fetched (a stray cell far
    away would make Excel hand over billions of empty cells), then its values. A fixed block
    from A1 would cost one call but miss rows staff typed below a gap."""
    used = sheet.used_range
    address = used.address
    if (problem := settings_address_finding(name, address)) is not None:
        raise Refused(problem)
    # Trimmed to the content, as the batch door reads it: formatting alone widens a used range.
    return trimmed(block_from_values(name, used.options(ndim=2).value, *parse_address(address)))


def read_counters_sheet(sheet: Any, name: str, corner_text: str = COUNTERS_HEADER[0]) -> Block:
    """The Counters sheet (or Case state) in one call where it is as the add-in writes it.

    The add-in writes that sheet from A1 with its header there, so a used range whose top-left
    value is that header starts at A1 and needs no address. Otherwise (someone edited the hidden
    sheet) the address is read as for any sheet: one call more, never a wrong counter.
    """
    used = sheet.used_range
    values = used.options(ndim=2).value or []
    corner = values[0][0] if values and values[0] else None
    if isinstance(corner, str) and fold(corner) == fold(corner_text):
        return block_from_values(name, values, 1, 1)
    return block_from_values(name, values, *parse_address(used.address))


def register_at(sheet: str, values: list[list[Any]], first_row: int, first_col: int,
                found: Found) -> Register:
    """The register the finder located in the values Excel gave for a sheet's used range
    (anchored at ``first_row``, ``first_col``): its header cells, then the rows below down to
    the last row holding any value in its columns, made to look as every door reads them
    (``excel_value``) a column at a time."""
    at = found.header_row - first_row
    left, right = found.first_col - first_col, found.last_col - first_col
    headers = [excel_value(v) for v in values[at][left:right + 1]]
    end = len(values)
    while end > at + 1 and all(is_blank(v) for v in values[end - 1][left:right + 1]):
        end -= 1
    empty = Register.from_values(sheet, found.header_row, found.first_col, headers, [])
    body = values[at + 1:end]
    if not body:
        return empty
    # Excel hands over a rectangle, transposed at the speed of zip; short rows (from another
    # caller) are padded with None, as Register.from_values pads them, to the header's width.
    rectangle = len(set(map(len, body))) == 1
    columns = list(zip(*body, strict=True) if rectangle else zip_longest(*body))[left:right + 1]
    columns += [(None,) * len(body)] * (len(headers) - len(columns))
    cells, known = register_columns(columns, empty.columns, len(body))
    register = replace(empty, rows=register_frame(cells, found.header_row + 1, len(body)))
    for j, (codes, values) in known.items():
        register.knowing_distinct(j, codes, values)
    return register


def read_counters_block(block: Block | None) -> dict[str, int]:
    """Case-number high-water marks from the Counters sheet, read as the batch door reads them."""
    if block is None or block.first_col > 2:
        return {}
    offset = 1 - block.first_col  # column A sits at this index of each row

    def at(row: list[Any], i: int) -> Any:
        return row[i] if 0 <= i < len(row) else None
    return counters_from_rows((at(row, offset), at(row, offset + 1)) for row in block.rows)


def read_workbook(book: Any, roles: Iterable[str] = GRID_ROLES) -> Snapshot:
    """Read the register, the settings sheets (``roles``), the counters and the log's extent."""
    names = list(book.sheet_names)
    sheets = book.sheets
    objects: dict[str, Any] = {}
    used: dict[str, tuple[list[list[Any]], int, int]] = {}

    def top(name: str) -> Block:
        # The finder looks at a sheet's top rows only; the whole used range is read in the
        # same call and kept, and only the register's columns are converted (a column at a
        # time): a big register is millions of cells.
        if name not in used:
            objects[name] = sheets[name]
            used[name] = _used_values(objects[name])
        values, first_row, first_col = used[name]
        return block_from_values(name, values[:max(HEADER_SCAN_ROWS - first_row + 1, 0)],
                                 first_row, first_col)

    found = find_register(names, top)
    if found is None:
        raise NoRegister(book.name)
    register = register_at(found.sheet, *used[found.sheet], found)
    by_role: dict[str, str] = {}
    for name in names:
        role = sheet_role(name)
        if role in roles and role not in by_role:
            by_role[role] = name
    for name in by_role.values():
        objects[name] = sheets[name]
    grids = {role: read_settings_block(objects[name], name).grid()
             for role, name in by_role.items()}
    counters_name = find_sheet(names, COUNTERS_SHEET)
    counters = {}
    if counters_name:
        objects[counters_name] = sheets[counters_name]
        counters = read_counters_block(read_counters_sheet(objects[counters_name],
                                                           counters_name))
    log_name = find_sheet(names, LOG_SHEET)
    log_last = _last_used_row(sheets, objects, log_name) if log_name else 0
    snap = Snapshot(book.name, names, register, found.last_col, grids, counters, counters_name,
                    find_sheet(names, FINDINGS_SHEET), log_name, log_last,
                    sheet_objects=objects,
                    beside=_beside(*used[register.sheet], register.header_row, found.last_col))
    if roles:  # the data buttons; the report buttons never write the case log
        _read_case_log(snap, sheets, objects, names)
    return snap


def _read_case_log(snap: Snapshot, sheets: Any, objects: dict[str, Any], names: list[str]
                   ) -> None:
    """The case log's last known state (one call) and where its next row goes (one call)."""
    state_name = find_sheet(names, CASE_STATE_SHEET)
    rows: list[list[Any]] = []
    if state_name:
        objects[state_name] = sheets[state_name]
        block = read_counters_sheet(objects[state_name], state_name, "case_no")
        rows = block.rows if (block.first_row, block.first_col) == (1, 1) else []
    snap.case_state_rows, snap.case_state_sheet = rows, state_name
    snap.case_log_sheet = find_case_log(names)
    if snap.case_log_sheet:
        snap.case_log_last_row = _last_used_row(sheets, objects, snap.case_log_sheet)


def case_state(snap: Snapshot) -> Any:
    """The last known state the pipeline compares with (None: the door does not log)."""
    return None if snap.case_state_rows is None else state_from_rows(snap.case_state_rows)


def _beside(values: list[list[Any]], first_row: int, first_col: int, header_row: int,
            last_col: int) -> list[tuple[int, int, Any]]:
    # Only the columns right of the table are looked at: on a big register, going through
    # every cell of the used range cost more than reading it.
    right = last_col - first_col + 1
    top = max(header_row - first_row, 0)
    return [(first_row + i, last_col + 1 + j, excel_value(value))
            for i, row in enumerate(values[top:], top)
            for j, value in enumerate(row[right:]) if not is_blank(value)]


def _last_used_row(sheets: Any, objects: dict[str, Any], name: str) -> int:
    """The bottom row of a sheet's used range without reading its values (0 when empty).

    Only the Log needs this: new rows go below it, and only this add-in writes there.
    """
    objects[name] = sheets[name]
    address = objects[name].used_range.address
    bottom = address.split(":")[-1]
    row = int("".join(ch for ch in bottom if ch.isdigit()))
    if ":" not in address and row == 1:
        return 0  # Excel calls A1 the used range of an empty sheet
    return row


def today_in_excel() -> dt.date:
    """The date deadlines are measured against in live Excel: the computer's today."""
    return dt.date.today()
