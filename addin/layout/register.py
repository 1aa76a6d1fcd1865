"""Finding the complaints register: one rule for the batch door, the live door and the reports.

Each reader hands over what it can see cheaply: the sheet names, a block of each sheet's top
rows when asked (``top``), and the header of every Excel table when it sees tables (openpyxl
does; Excel through xlwings and calamine are not asked). The register is, in this order:

1. the Excel table whose header names the most card fields, at least ``MIN_MATCHES``;
2. else the first sheet named for complaints (Complaints, 投诉登记, ...) whose header row names
   at least one card field: the name already says what the sheet is, and the core then reports
   the missing columns by name;
3. else, among the other sheets (not the settings sheets nor the add-in's own), the one whose
   header row names the most card fields, at least ``MIN_MATCHES``.

A header row is the row among the top ``HEADER_SCAN_ROWS`` of the sheet that names the most card
fields (the first of equally good rows); the register's columns run from its first to its last
filled header cell.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from addin.core.fields import match_headers

from .blocks import Block
from .cells import is_blank
from .sheets import is_own_sheet, sheet_role

# A header row must name at least this many card fields to be taken for the complaints table
# when nothing else says it is one (a sheet named for complaints needs only one).
MIN_MATCHES = 5
NAMED_MIN_MATCHES = 1
# How far down a sheet the header row is looked for (titles and notes may sit above it).
HEADER_SCAN_ROWS = 20


@dataclass(frozen=True)
class TableHead:
    """An Excel table's header row as a reader that sees tables hands it over."""

    sheet: str
    name: str
    header_row: int
    first_col: int
    headers: Sequence[Any]

    @property
    def last_col(self) -> int:
        return self.first_col + len(self.headers) - 1


@dataclass(frozen=True)
class Found:
    """Where the register is: sheet, header row and columns (1-based, inclusive)."""

    sheet: str
    header_row: int
    first_col: int
    last_col: int
    matches: int  # card fields the header names
    table: str | None = None  # the Excel table holding it, if a table was the reason


def best_header_row(rows: Sequence[Sequence[Any]], first_row: int = 1
                    ) -> tuple[int, int] | None:
    """(index into ``rows``, fields named) of the row naming the most card fields.

    Only rows down to sheet row ``HEADER_SCAN_ROWS`` count (``first_row`` is the sheet row of
    ``rows[0]``); empty rows are skipped and the first of equally good rows wins. None when no
    row in reach holds anything.
    """
    best: tuple[int, int] | None = None
    for i, row in enumerate(rows[:max(HEADER_SCAN_ROWS - first_row + 1, 0)]):
        if all(is_blank(v) for v in row):
            continue
        hits = len(match_headers(list(row)))
        if best is None or hits > best[1]:
            best = (i, hits)
    return best


def header_in(block: Block, min_matches: int) -> Found | None:
    """The register's header in one sheet's block, if its best header row names enough fields."""
    best = best_header_row(block.rows, block.first_row)
    if best is None or best[1] < min_matches:
        return None
    at, matches = best
    filled = [j for j, v in enumerate(block.rows[at]) if not is_blank(v)]
    return Found(block.sheet, block.first_row + at, block.first_col + filled[0],
                 block.first_col + filled[-1], matches)


def find_register(names: Sequence[str], top: Callable[[str], Block],
                  tables: Sequence[TableHead] = ()) -> Found | None:
    """Where the workbook's register is (see the module's rules), or None when it has none.

    ``top(name)`` reads a sheet's block; it is called only for sheets that may hold the register,
    named sheets first, so a reader that pays per sheet reads no more than it must.
    """
    found = _best_table(tables)
    if found is not None:
        return found
    named = [name for name in names if sheet_role(name) == "complaints"]
    for name in named:
        found = header_in(top(name), NAMED_MIN_MATCHES)
        if found is not None:
            return found
    best = None
    for name in names:
        if sheet_role(name) is not None or is_own_sheet(name):
            continue
        found = header_in(top(name), MIN_MATCHES)
        if found is not None and (best is None or found.matches > best.matches):
            best = found
    return best


def _best_table(tables: Sequence[TableHead]) -> Found | None:
    best = None
    for table in tables:
        matches = len(match_headers(list(table.headers)))
        if matches >= MIN_MATCHES and (best is None or matches > best.matches):
            best = Found(table.sheet, table.header_row, table.first_col, table.last_col,
                         matches, table.name)
    return best
