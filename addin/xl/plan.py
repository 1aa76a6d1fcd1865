"""The live door's plan: every write an outcome needs, worked out before anything is written.

``plan_writes`` is pure: it takes what ``read.read_workbook`` read and the pipeline's outcome, and
gives the calls to make, one block per run of adjacent changed columns, so the number of calls
depends on the number of sheets and column runs, never on the number of rows. What it writes
agrees cell for cell with the batch door: the Findings rows, the Log row, the Counters rows and
the formats all come from ``addin.layout``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from addin.core.fields import BY_KEY, WRITTEN_KEYS
from addin.core.register import Register
from addin.layout.actions_sheet import written_blocks
from addin.layout.caselog import (
    case_log_header,
    case_log_name,
    case_log_rows,
    events_written,
    state_rows,
    stored_state_rows,
)
from addin.layout.cells import cell_ref, cell_values, column_letter, column_taken
from addin.layout.counters import counters_rows, merged_counters
from addin.layout.findings_sheet import finding_rows
from addin.layout.formats import DATE_FORMAT
from addin.layout.log import RunInfo, log_header, log_row
from addin.layout.sheets import (
    CASE_LOG_NAMES,
    CASE_STATE_SHEET,
    COUNTERS_SHEET,
    FINDINGS_SHEET,
    LOG_SHEET,
)

from .read import Refused, Snapshot

# Which output columns each button writes; every button rewrites the Findings sheet.
PARTS: dict[str, tuple[str, ...]] = {
    "check": ("check", "repeat_of"),
    "numbers": ("case_no",),
    "classes": ("category", "severity", "urgency", "department", "rule", "suggested", "problem",
                "part", "risk"),
    "deadlines": ("ack_due", "investigate_due", "due_at", "follow_up_due", "sla_status",
                  "days_open", "reopened_at", "waiting_since", "paused_days"),
}
ALL_PARTS = frozenset(PARTS)


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
        cols = max(map(len, self.values), default=self.width) if self.values \
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
    writes = (counter_writes + register_writes + _findings_writes(snap, outcome)
              + _action_writes(snap, outcome))
    if not noop:
        writes += _log_writes(snap, outcome, run, cells)
    logged = _case_log_writes(snap, outcome, None if set(parts) >= ALL_PARTS else keys, run)
    writes += logged
    return Plan(_adds_first(snap, writes), cells, first_error(outcome), noop and not logged)


def _action_writes(snap: Snapshot, outcome: Any) -> list[Write]:
    """The Actions sheet's Result and Verdict: one block write per column."""
    review = getattr(outcome, "actions", None)
    if review is None or not review.writes:
        return []
    old = snap.grids.get("actions")
    return [Write("values", review.sheet, row, col, tuple((v,) for v in new),
                  old=tuple((v,) for v in held), height=len(new))
            for row, col, new, held in written_blocks(review.writes, old)]


def _adds_first(snap: Snapshot, writes: list[Write]) -> list[Write]:
    """New sheets are added before anything is written, in the order the batch door adds them
    (Findings, Counters, Log), each after the last sheet."""
    order = {FINDINGS_SHEET: 0, COUNTERS_SHEET: 1, LOG_SHEET: 2,
             **dict.fromkeys(CASE_LOG_NAMES, 3), CASE_STATE_SHEET: 4}
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
    bridges = {columns[key]: key for key in WRITTEN_KEYS if key in columns}
    writes: list[Write] = []
    for run in _runs(sorted(by_col), set(bridges)):
        run_keys = [by_col.get(c) or bridges[c] for c in run]
        changed = [changes[k] for k in run_keys if k in changes]
        adds = [k for k in run_keys if k in new]
        if not changed and not adds:
            continue
        top = register.header_row if adds else min(int(s.index.min()) for s in changed)
        bottom = max((int(s.index.max()) for s in changed), default=register.header_row)
        old = [_current(register, k, top, bottom, new) for k in run_keys]
        values = [_wanted(now, k, top, changes.get(k), outcome.lang, k in new)
                  for k, now in zip(run_keys, old, strict=True)]
        writes.append(Write("values", register.sheet, top, run[0], _by_rows(values),
                            _by_rows(old)))
        writes += _new_date_formats(register, run, run_keys, new, bottom)
    return writes


def _by_rows(columns: list[list[Any]]) -> tuple[tuple[Any, ...], ...]:
    return tuple(zip(*columns, strict=True))


def _runs(cols: list[int], bridges: set[int] = frozenset()) -> list[list[int]]:
    """Adjacent columns in one run; a gap made only of the add-in's own columns (``bridges``)
    is spanned, its cells written back as they are, so that how many columns change (the Check
    column alone, or Repeat of too, which depends on the rows) never adds a call."""
    runs: list[list[int]] = []
    for col in cols:
        if runs and set(range(runs[-1][-1] + 1, col)) <= bridges:
            runs[-1] += range(runs[-1][-1] + 1, col + 1)
        else:
            runs.append([col])
    return runs


def _current(register: Register, key: str, top: int, bottom: int, new: set[str]) -> list[Any]:
    """A column's cells from row ``top`` to ``bottom`` as they are now (header included)."""
    if key in new:
        return [None] * (bottom - top + 1)
    pos = register.columns[key]
    column = register.rows[pos]
    first = register.header_row + 1
    if not _numbered_from(column.index, first):
        cells = column.to_dict()
        cells[register.header_row] = register.headers[pos]
        return [cells.get(row) for row in range(top, bottom + 1)]
    # Rows are numbered from the one below the header: a slice, not a lookup per cell.
    held = [register.headers[pos]] if top < first else []
    held += column.to_numpy()[max(top - first, 0):bottom - first + 1].tolist()
    return held + [None] * (bottom - top + 1 - len(held))


def _numbered_from(index: pd.Index, first: int) -> bool:
    return isinstance(index, pd.RangeIndex) and index.step == 1 and (
        index.start == first or len(index) == 0)


def _wanted(now: list[Any], key: str, top: int, change: pd.Series | None, lang: str,
            added: bool) -> list[Any]:
    """The same cells as they should be: changed values in, a header for an added column."""
    wanted = list(now)
    if change is not None:
        # Converted a column at a time; most runs write plain text, numbers and dates.
        rows = (change.index.to_numpy(dtype=np.int64) - top).tolist()
        for i, value in zip(rows, cell_values(change.tolist()), strict=True):
            wanted[i] = value
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
    rows, old_rows = tuple(counters_rows(counters)), tuple(counters_rows(snap.counters))
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
    row = log_row(outcome.summary, run, cells)
    header = log_header(outcome.lang)
    writes = [] if snap.log_sheet else [Write("add", LOG_SHEET)]
    sheet = snap.log_sheet or LOG_SHEET
    blank = (None,) * len(row)  # the rows a log entry goes into are empty before
    if snap.log_last_row == 0:
        return writes + [Write("values", sheet, 1, 1, (tuple(header), row), (blank, blank))]
    return writes + [Write("values", sheet, snap.log_last_row + 1, 1, (row,), (blank,))]


def _case_log_writes(snap: Snapshot, outcome: Any, written: set[str] | None, run: RunInfo
                     ) -> list[Write]:
    """The events appended below the Case log's last row (one call) and the hidden state
    rewritten from A1 when it changed (one call), as the batch door writes them."""
    if outcome.case_state is None or snap.case_state_rows is None:
        return []
    events, state = events_written(outcome, written)
    rows = tuple(case_log_rows(events, run.when, outcome.lang, outcome.config.lists))
    writes: list[Write] = []
    if rows:
        sheet = snap.case_log_sheet or case_log_name(outcome.lang)
        if snap.case_log_sheet is None:
            writes.append(Write("add", sheet))
        top = snap.case_log_last_row + 1
        if snap.case_log_last_row == 0:
            rows, top = (case_log_header(outcome.lang), *rows), 1
        writes.append(Write("values", sheet, top, 1, rows, tuple((None,) * len(r) for r in rows)))
    new = tuple(state_rows(state))
    if snap.case_state_sheet is None or stored_state_rows(snap.case_state_rows) != new:
        if snap.case_state_sheet is None:
            writes += [Write("add", CASE_STATE_SHEET), Write("hide", CASE_STATE_SHEET)]
        # The state never loses a case, so the new block covers every row of the old one.
        writes.append(Write("values", snap.case_state_sheet or CASE_STATE_SHEET, 1, 1, new))
    return writes


def first_error(outcome: Any) -> str | None:
    """The register cell of the first error, top to bottom and left to right."""
    register = outcome.register
    cells = [(f.row, register.columns.get(f.field, -1), f.cell) for f in outcome.findings
             if f.level == "error" and f.row is not None and f.cell.startswith(
                 _sheet_prefix(register.sheet))]
    return min(cells)[2] if cells else None


def _sheet_prefix(sheet: str) -> str:
    return cell_ref(sheet, 1, 1).rpartition("!")[0] + "!"
