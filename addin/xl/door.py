"""The live door: read an open workbook through xlwings, and write a pipeline Outcome back.

Each call into Excel is a round trip, so the door never works cell by cell: it reads every sheet
it needs as one block of values, computes the whole plan of writes in Python (``plan_writes`` is
pure), and only then writes, one block per run of adjacent changed columns. The number of calls
therefore depends on the number of sheets and column runs, never on the number of rows.

The door uses only calls that classic xlwings (Windows, macOS), xlwings Lite and xlwings Server
all support: ``sheet_names``, sheet lookup, ``used_range``, ``address``, ``value``,
``clear_contents``, ``sheets.add``, ``visible``, ``activate``, ``select`` and ``number_format``.
What it writes agrees cell for cell with the batch door (``addin.batch.writeback``); the pieces that
decide *what* to write are taken from there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from addin.batch.writeback import FINDINGS_SHEET, LOG_HEADERS, LOG_SHEET, RunInfo, finding_rows
from addin.core.fields import BY_KEY, fold
from addin.core.findings import Finding, cell_ref, column_letter, finding
from addin.core.layout import (
    COUNTERS_HEADER,
    COUNTERS_SHEET,
    GRID_ROLES,
    MIN_MATCHES,
    best_header_row,
    cell_value,
    column_taken,
    counters_from_rows,
    is_blank,
    merged_counters,
)
from addin.core.register import Grid, Register, sheet_role

# Which output columns each button writes; every button rewrites the Findings sheet.
PARTS: dict[str, tuple[str, ...]] = {
    "check": ("check", "repeat_of"),
    "numbers": ("case_no",),
    "classes": ("category", "severity", "urgency", "department", "rule", "suggested", "problem",
                "part"),
    "deadlines": ("ack_due", "due_at", "sla_status", "days_open", "reopened_at", "waiting_since",
                  "paused_days"),
}
ALL_PARTS = frozenset(PARTS)
DATE_FORMAT = "yyyy-mm-dd"


class Refused(Exception):
    """The button cannot go on until staff fix something; ``problem`` is the finding to show
    (a run that would add a column over cells staff filled, for one)."""

    def __init__(self, problem: Finding) -> None:
        self.problem = problem
        super().__init__(problem.message("en"))


class NoRegister(Refused):
    """The workbook has no complaints table."""

    def __init__(self, book_name: str) -> None:
        super().__init__(finding("no-register", book_name))


# ----------------------------------------------------------------------------- reading

@dataclass
class Block:
    """A sheet's used range as values, with its top-left cell."""

    sheet: str
    rows: list[list[Any]]
    first_row: int = 1
    first_col: int = 1

    def grid(self) -> Grid:
        return Grid(self.sheet, self.rows, self.first_row, self.first_col)

    @property
    def last_row(self) -> int:
        """The last row holding a value (the row above the block when it holds none)."""
        for i in range(len(self.rows) - 1, -1, -1):
            if any(not is_blank(v) for v in self.rows[i]):
                return self.first_row + i
        return self.first_row - 1


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
    sheet_objects: dict[str, Any] = field(default_factory=dict, repr=False)
    # (row, column, value) of the filled cells right of the table, from its header row down:
    # a run must not add columns over them.
    beside: list[tuple[int, int, Any]] = field(default_factory=list, repr=False)


def _cell(value: Any) -> Any:
    """A value as Excel hands it over, made to look as openpyxl reads it from the file.

    Excel gives every number as a float and empty text as ''; the core (and the batch door, which
    reads with openpyxl) see whole numbers as int and empty cells as None.
    """
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value == "":
        return None
    return value


def _parse_address(address: str) -> tuple[int, int]:
    """The top-left (row, column) of an address such as '$B$3:$K$40' or 'Sheet1!$A$1'."""
    corner = address.rpartition("!")[2].split(":")[0].replace("$", "")
    letters = "".join(ch for ch in corner if ch.isalpha())
    col = 0
    for ch in letters.upper():
        col = col * 26 + ord(ch) - 64
    return int(corner[len(letters):]), col


def read_block(sheet: Any, name: str) -> Block:
    """A sheet's used range in two calls (its address, its values) on one range object."""
    used = sheet.used_range
    first_row, first_col = _parse_address(used.address)
    return _block(name, used.options(ndim=2).value, first_row, first_col)


# Settings sheets are small and start near A1, so a fixed block from A1 holds them whole and
# costs one call, where the used range costs two (its address, then its values). A sheet that
# fills the block to its edge is read again the general way: nothing is ever cut short.
SETTINGS_BLOCK = (400, 26)


def read_settings_block(sheet: Any, name: str) -> Block:
    """A settings sheet (Settings, Lists, Rules, Holidays) in one call, trimmed to its content."""
    height, width = SETTINGS_BLOCK
    values = sheet.range((1, 1), (height, width)).options(ndim=2).value or []
    if any(v is not None for v in values[-1]) or any(row[-1] is not None for row in values):
        return read_block(sheet, name)
    return _trimmed(name, [[_cell(v) for v in row] for row in values])


def _trimmed(name: str, rows: list[list[Any]]) -> Block:
    """The block without its empty margins, anchored where its content starts."""
    filled = [i for i, row in enumerate(rows) if any(v is not None for v in row)]
    if not filled:
        return Block(name, [], 1, 1)
    cols = [j for row in rows for j, v in enumerate(row) if v is not None]
    top, bottom, left, right = filled[0], filled[-1], min(cols), max(cols)
    return Block(name, [row[left:right + 1] for row in rows[top:bottom + 1]], top + 1, left + 1)


def _block(name: str, values: Any, first_row: int, first_col: int) -> Block:
    rows = [[_cell(v) for v in row] for row in values or []]
    if len(rows) == 1 and all(v is None for v in rows[0]) and (first_row, first_col) == (1, 1):
        rows = []  # Excel reports A1 as the used range of an empty sheet
    return Block(name, rows, first_row, first_col)


def read_counters_sheet(sheet: Any, name: str) -> Block:
    """The Counters sheet in one call where it is as the add-in writes it.

    The add-in writes that sheet from A1 with its header there, so a used range whose top-left
    value is that header starts at A1 and needs no address. Otherwise (someone edited the hidden
    sheet) the address is read as for any sheet: one call more, never a wrong counter.
    """
    used = sheet.used_range
    values = used.options(ndim=2).value or []
    corner = values[0][0] if values and values[0] else None
    if isinstance(corner, str) and fold(corner) == fold(COUNTERS_HEADER[0]):
        return _block(name, values, 1, 1)
    return _block(name, values, *_parse_address(used.address))


def register_from_block(block: Block, min_matches: int) -> tuple[Register, int] | None:
    """The complaints table in a block (header row near the top), with its last column.

    Mirrors the batch door: the header row is the row among the first ones that names the most
    card fields; the table runs from its first to its last filled header cell, down to the last row
    holding any value in those columns.
    """
    best = best_header_row(block.rows, block.first_row)
    if best is None or best[1] < min_matches:
        return None
    at = best[0]
    header = block.rows[at]
    filled = [j for j, v in enumerate(header) if not is_blank(v)]
    left, right = filled[0], filled[-1]
    body = [row[left:right + 1] for row in block.rows[at + 1:]]
    while body and all(is_blank(v) for v in body[-1]):
        body.pop()
    register = Register.from_values(block.sheet, block.first_row + at, block.first_col + left,
                                    header[left:right + 1], body)
    return register, block.first_col + right


def read_counters_block(block: Block | None) -> dict[str, int]:
    """Case-number high-water marks from the Counters sheet, read as the batch door reads them."""
    if block is None or block.first_col > 2:
        return {}
    offset = 1 - block.first_col  # column A sits at this index of each row

    def at(row: list[Any], i: int) -> Any:
        return row[i] if 0 <= i < len(row) else None
    return counters_from_rows((at(row, offset), at(row, offset + 1)) for row in block.rows)


def _find(names: Iterable[str], wanted: str) -> str | None:
    return next((n for n in names if fold(n) == fold(wanted)), None)


def read_workbook(book: Any, roles: Iterable[str] = GRID_ROLES) -> Snapshot:
    """Read the register, the settings sheets (``roles``), the counters and the log's extent."""
    names = list(book.sheet_names)
    sheets = book.sheets
    objects: dict[str, Any] = {}
    blocks: dict[str, Block] = {}

    def block(name: str) -> Block:
        objects[name] = sheets[name]
        blocks[name] = read_block(objects[name], name)
        return blocks[name]

    register, last_col = _read_register(names, block, book)
    by_role: dict[str, str] = {}
    for name in names:
        role = sheet_role(name)
        if role in roles and role not in by_role:
            by_role[role] = name
    for name in by_role.values():
        objects[name] = sheets[name]
    grids = {role: read_settings_block(objects[name], name).grid()
             for role, name in by_role.items()}
    counters_name = _find(names, COUNTERS_SHEET)
    counters = {}
    if counters_name:
        objects[counters_name] = sheets[counters_name]
        counters = read_counters_block(read_counters_sheet(objects[counters_name],
                                                           counters_name))
    log_name = _find(names, LOG_SHEET)
    log_last = _last_used_row(sheets, objects, log_name) if log_name else 0
    return Snapshot(book.name, names, register, last_col, grids, counters, counters_name,
                    _find(names, FINDINGS_SHEET), log_name, log_last, objects,
                    _beside(blocks[register.sheet], register.header_row, last_col))


def _beside(block: Block, header_row: int, last_col: int) -> list[tuple[int, int, Any]]:
    return [(block.first_row + i, block.first_col + j, value)
            for i, row in enumerate(block.rows) if block.first_row + i >= header_row
            for j, value in enumerate(row)
            if block.first_col + j > last_col and not is_blank(value)]


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


def _read_register(names: list[str], block, book: Any) -> tuple[Register, int]:
    """The register sheet by its name first; other sheets are searched only when none is named."""
    named = [n for n in names if sheet_role(n) == "complaints"]
    for name in named:
        found = register_from_block(block(name), 1)
        if found is not None:
            return found
    if not named:
        ours = {fold(n) for n in (FINDINGS_SHEET, LOG_SHEET, COUNTERS_SHEET, "xlwings.conf")}
        for name in names:
            if sheet_role(name) is None and fold(name) not in ours:
                found = register_from_block(block(name), MIN_MATCHES)
                if found is not None:
                    return found
    raise NoRegister(book.name)


# ----------------------------------------------------------------------------- the plan

@dataclass(frozen=True)
class Write:
    """One call that changes the workbook."""

    kind: str  # "values", "clear", "add", "hide", "format"
    sheet: str
    row: int = 1
    col: int = 1
    values: tuple[tuple[Any, ...], ...] = ()
    old: tuple[tuple[Any, ...], ...] | None = None  # what the cells held, to restore on failure
    number_format: str | None = None
    height: int = 1
    width: int = 1
    after: str | None = None  # for "add": the sheet the new one goes after

    @property
    def address(self) -> str:
        rows = len(self.values) if self.values else self.height
        cols = max((len(r) for r in self.values), default=self.width) if self.values \
            else self.width
        top_left = f"{column_letter(self.col)}{self.row}"
        if rows == 1 and cols == 1:
            return top_left
        return f"{top_left}:{column_letter(self.col + cols - 1)}{self.row + rows - 1}"


@dataclass
class Plan:
    writes: list[Write]
    cells_changed: int  # register cells whose value changes
    first_error: str | None  # the cell to select: the first error in the register
    noop: bool


def keys_for(parts: Iterable[str]) -> set[str]:
    return {key for part in parts for key in PARTS[part]}


def plan_writes(snap: Snapshot, outcome: Any, parts: Iterable[str], run: RunInfo) -> Plan:
    """Every write the outcome needs, in a safe order, computed before anything is written.

    Order: the counters first (a counter raised without its numbers written only skips numbers,
    a number written without its counter could be handed out twice), then the register, then the
    Findings sheet, then the Log row.
    """
    taken = column_taken(snap.register.sheet, outcome.new_columns, snap.register_last_col + 1,
                         snap.beside, outcome.lang)
    if taken is not None:
        raise Refused(taken)
    keys = keys_for(parts)
    changes = {k: v for k, v in outcome.changes.items() if k in keys and len(v)}
    register_writes = _column_writes(snap, outcome, changes, keys)
    counters = merged_counters(snap.counters, outcome.counters) if "numbers" in set(parts) \
        else dict(snap.counters)
    counter_writes = _counter_writes(snap, counters)
    noop = not changes and not outcome.new_columns and not counter_writes
    cells = sum(len(v) for v in changes.values())
    writes = counter_writes + register_writes + _findings_writes(snap, outcome)
    if not noop:
        writes += _log_writes(snap, outcome, run, cells)
    return Plan(_adds_first(snap, writes), cells, first_error(outcome), noop)


def _adds_first(snap: Snapshot, writes: list[Write]) -> list[Write]:
    """New sheets are added before anything is written, in the order the batch door adds them
    (Findings, Counters, Log), each after the last sheet."""
    order = {FINDINGS_SHEET: 0, COUNTERS_SHEET: 1, LOG_SHEET: 2}
    adds = sorted((w for w in writes if w.kind == "add"), key=lambda w: order.get(w.sheet, 3))
    last = snap.sheet_names[-1] if snap.sheet_names else None
    placed = []
    for add in adds:
        placed.append(Write("add", add.sheet, after=last))
        last = add.sheet
    return placed + [w for w in writes if w.kind != "add"]


def _columns(snap: Snapshot, outcome: Any) -> dict[str, int]:
    """Sheet column of every field, counting the columns this run appends (in the batch order)."""
    register = snap.register
    columns = {key: register.first_col + pos for key, pos in register.columns.items()}
    next_col = register.first_col + len(register.headers)
    for key in outcome.new_columns:
        columns[key] = next_col
        next_col += 1
    return columns


def _column_writes(snap: Snapshot, outcome: Any, changes: dict[str, pd.Series],
                   keys: set[str]) -> list[Write]:
    """One block per run of adjacent columns this button writes, over the rows that change.

    Unchanged cells inside a block are written back with the value they hold, which is safe only
    for the add-in's own columns, so a run never crosses a column staff type into.
    """
    register = snap.register
    columns = _columns(snap, outcome)
    new = set(outcome.new_columns)
    by_col = {columns[key]: key for key in keys | new if key in columns}
    writes: list[Write] = []
    for run in _runs(sorted(by_col)):
        run_keys = [by_col[c] for c in run]
        changed = [changes[k] for k in run_keys if k in changes]
        adds = [k for k in run_keys if k in new]
        if not changed and not adds:
            continue
        rows = [int(r) for s in changed for r in s.index]
        top = register.header_row if adds else min(rows)
        bottom = max(rows) if rows else register.header_row
        old = [_current(register, k, top, bottom, new) for k in run_keys]
        values = [_wanted(now, k, top, changes.get(k), outcome.lang, k in new)
                  for k, now in zip(run_keys, old, strict=True)]
        writes.append(Write("values", register.sheet, top, run[0], _by_rows(values),
                            _by_rows(old)))
        writes += _new_date_formats(register, run, run_keys, new, bottom)
    return writes


def _by_rows(columns: list[list[Any]]) -> tuple[tuple[Any, ...], ...]:
    return tuple(zip(*columns, strict=True))


def _runs(cols: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for col in cols:
        if runs and col == runs[-1][-1] + 1:
            runs[-1].append(col)
        else:
            runs.append([col])
    return runs


def _current(register: Register, key: str, top: int, bottom: int, new: set[str]) -> list[Any]:
    """A column's cells from row ``top`` to ``bottom`` as they are now (header included)."""
    if key in new:
        return [None] * (bottom - top + 1)
    pos = register.columns[key]
    cells = register.rows[pos].to_dict()  # one pass, not a pandas lookup per cell
    cells[register.header_row] = register.headers[pos]
    return [cells.get(row) for row in range(top, bottom + 1)]


def _wanted(now: list[Any], key: str, top: int, change: pd.Series | None, lang: str,
            added: bool) -> list[Any]:
    """The same cells as they should be: changed values in, a header for an added column."""
    wanted = list(now)
    if change is not None:
        for row, value in change.items():
            wanted[int(row) - top] = cell_value(value)
    if added:  # a run with an added column starts at the header row
        wanted[0] = BY_KEY[key].header(lang)
    return wanted


def _new_date_formats(register: Register, run: list[int], run_keys: list[str], new: set[str],
                      bottom: int) -> list[Write]:
    """Date columns added in this run get the batch door's date format, one call per column run;
    existing columns keep the format staff (or an earlier run) gave them."""
    cols = [c for c, k in zip(run, run_keys, strict=True)
            if k in new and BY_KEY[k].kind in ("date", "datetime")]
    if bottom <= register.header_row:
        return []
    return [Write("format", register.sheet, register.header_row + 1, part[0],
                  number_format=DATE_FORMAT, height=bottom - register.header_row,
                  width=len(part)) for part in _runs(cols)]


def _counter_writes(snap: Snapshot, counters: dict[str, int]) -> list[Write]:
    if counters == snap.counters:
        return []
    rows = (tuple(COUNTERS_HEADER),) + tuple((p, counters[p]) for p in sorted(counters))
    old_rows = (tuple(COUNTERS_HEADER),) + tuple((p, snap.counters[p])
                                                 for p in sorted(snap.counters))
    if snap.counters_sheet is None:
        return [Write("add", COUNTERS_SHEET), Write("hide", COUNTERS_SHEET),
                Write("values", COUNTERS_SHEET, 1, 1, rows)]
    # Counters only ever grow, so the new block covers every row of the old one.
    return [Write("values", snap.counters_sheet, 1, 1, rows, old_rows)]


def _findings_writes(snap: Snapshot, outcome: Any) -> list[Write]:
    rows = tuple(values for values, _ in finding_rows(outcome))
    if snap.findings_sheet is None:
        return [Write("add", FINDINGS_SHEET), Write("values", FINDINGS_SHEET, 1, 1, rows)]
    return [Write("clear", snap.findings_sheet), Write("values", snap.findings_sheet, 1, 1, rows)]


def _log_writes(snap: Snapshot, outcome: Any, run: RunInfo, cells: int) -> list[Write]:
    s = outcome.summary
    row = (cell_value(run.when), run.user, run.version, s.rows, s.numbered, s.classified, cells,
           s.errors, s.warnings, s.overdue, run.note or None)
    header = LOG_HEADERS["zh" if outcome.lang.startswith("zh") else "en"]
    writes = [] if snap.log_sheet else [Write("add", LOG_SHEET)]
    sheet = snap.log_sheet or LOG_SHEET
    blank = (None,) * len(row)  # the rows a log entry goes into are empty before
    if snap.log_last_row == 0:
        return writes + [Write("values", sheet, 1, 1, (tuple(header), row), (blank, blank))]
    return writes + [Write("values", sheet, snap.log_last_row + 1, 1, (row,), (blank,))]


def first_error(outcome: Any) -> str | None:
    """The register cell of the first error, top to bottom and left to right."""
    register = outcome.register
    cells = [(f.row, register.columns.get(f.field, -1), f.cell) for f in outcome.findings
             if f.level == "error" and f.row is not None and f.cell.startswith(
                 _sheet_prefix(register.sheet))]
    return min(cells)[2] if cells else None


def _sheet_prefix(sheet: str) -> str:
    return cell_ref(sheet, 1, 1).rpartition("!")[0] + "!"


# ----------------------------------------------------------------------------- writing

class WriteFailed(Exception):
    """Excel refused a write; ``restored`` says whether the earlier writes were undone."""

    def __init__(self, write: Write, cause: BaseException, restored: bool) -> None:
        self.write, self.cause, self.restored = write, cause, restored
        super().__init__(f"{write.kind} {write.sheet}!{write.address}: {cause}")


def apply_writes(book: Any, snap: Snapshot, writes: list[Write]) -> int:
    """Perform the writes in order; on a failure, undo the register and counter blocks already
    written (their old values were read) and raise ``WriteFailed``. Returns the calls made."""
    sheets = book.sheets
    objects = dict(snap.sheet_objects)
    done: list[Write] = []
    for write in writes:
        try:
            _apply(sheets, objects, write)
        except Exception as err:  # any Excel error: restore, then report what failed
            raise WriteFailed(write, err, _undo(sheets, objects, done)) from err
        done.append(write)
    return len(done)


def _sheet(sheets: Any, objects: dict[str, Any], name: str) -> Any:
    if name not in objects:
        objects[name] = sheets[name]
    return objects[name]


def _apply(sheets: Any, objects: dict[str, Any], write: Write) -> None:
    if write.kind == "add":
        # After the last sheet, as the batch door adds them; xlwings would otherwise put the new
        # sheet before the active one.
        after = _sheet(sheets, objects, write.after) if write.after else None
        objects[write.sheet] = sheets.add(write.sheet, after=after)
        return
    sheet = _sheet(sheets, objects, write.sheet)
    if write.kind == "hide":
        sheet.visible = False
    elif write.kind == "clear":
        sheet.clear_contents()
    elif write.kind == "format":
        sheet.range(write.address).number_format = write.number_format
    else:
        sheet.range(write.address).value = _rectangle(write.values)


def _rectangle(values: tuple[tuple[Any, ...], ...]) -> list[list[Any]]:
    """Rows of equal width (Excel needs a rectangle), text kept as text."""
    width = max((len(r) for r in values), default=0)
    return [[_as_text(v) for v in r] + [None] * (width - len(r)) for r in values]


def _as_text(value: Any) -> Any:
    """Excel reads text written into a cell as if staff typed it: '0571' becomes the number 571,
    '2026-03-01' a date, '=A1' a formula. A leading apostrophe keeps it text, and Excel does not
    store the apostrophe, so every text gets one: the batch door writes all text as text too."""
    return "'" + value if isinstance(value, str) and value else value


def _undo(sheets: Any, objects: dict[str, Any], done: list[Write]) -> bool:
    """Put back the old values of the blocks written so far; False when that failed too."""
    try:
        for write in reversed(done):
            if write.kind == "values" and write.old is not None:
                sheet = _sheet(sheets, objects, write.sheet)
                sheet.range(write.address).value = _rectangle(write.old)
    except Exception:  # Excel is not answering at all; say so rather than hide it
        return False
    # Restored in full only when every block written had known old values and nothing was
    # cleared (the Findings sheet's old rows are not read, so a cleared sheet stays cleared).
    return all(w.old is not None for w in done if w.kind == "values") and \
        not any(w.kind == "clear" for w in done)


def today_in_excel() -> dt.date:
    """The date deadlines are measured against in live Excel: the computer's today."""
    return dt.date.today()
