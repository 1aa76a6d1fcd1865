"""A sheet's cells as one block of plain values, the form every reader hands to the finder.

Readers differ in how values arrive (Excel through xlwings gives every number as a float and an
empty cell as ''; calamine likewise; openpyxl gives int and None). ``excel_value`` makes them
look as openpyxl reads them from the file, so all doors see the same values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from addin.core.cells import distinct_values
from addin.core.fields import BY_KEY
from addin.core.register import Grid

from .cells import is_blank


@dataclass
class Block:
    """A sheet's used range as values: ``rows[0]`` is sheet row ``first_row``, ``rows[i][0]``
    is column ``first_col``."""

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


def excel_value(value: Any) -> Any:
    """A value as Excel hands it over, made to look as openpyxl reads it: whole numbers as int,
    empty text as no value."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value == "":
        return None
    return value


# Types ``excel_value`` gives back as they are (exact types: subclasses go the long way).
_AS_THEY_ARE = frozenset({type(None), int, bool, dt.datetime, dt.date, dt.time})


def _excel_row(row: Any) -> list[Any]:
    """``excel_value`` of each value of a row, with text, None and whole numbers (nearly every
    cell of a register) settled inline rather than by a call per cell."""
    return [(v or None) if (kind := type(v)) is str
            else v if kind in _AS_THEY_ARE
            else (int(v) if v.is_integer() else v) if kind is float
            else excel_value(v) for v in row]


def excel_column(values: Sequence[Any]) -> list[Any]:
    """``[excel_value(v) for v in values]`` a column at a time: the kinds the column holds are
    looked at once (in C), and only those that need work are converted."""
    if isinstance(values, np.ndarray) and values.dtype == object:
        # Looked at as a list: ``"" in`` an array compares every cell where a list stops at
        # the first "", and a column of a 2-D block is strided. The date columns of a
        # 50,000-row register went two to four times faster.
        values = values.tolist()
    kinds = set(map(type, values))
    if kinds <= _AS_THEY_ARE:
        return list(values)
    if kinds <= _AS_THEY_ARE | {str}:
        return [None if v == "" else v for v in values] if "" in values else list(values)
    if kinds <= {type(None), float}:
        return _whole_as_int(values)
    return [excel_value(v) for v in values]


def register_columns(columns: Iterable[Sequence[Any]], fields: dict[str, int], height: int
                     ) -> tuple[list[np.ndarray], dict[int, tuple[np.ndarray, list[Any]]]]:
    """Each column of a register's body (``height`` cells) as ``excel_column`` gives it, in an
    object array. The card fields the core reads by their distinct values (every field but
    dates, which it reads cell by cell: nearly all of them differ) are converted through them,
    and those come back by position, for ``Register.knowing_distinct``."""
    by_distinct = {position for key, position in fields.items()
                   if BY_KEY[key].kind not in ("date", "datetime")}
    cells, known = [], {}
    for j, column in enumerate(columns):
        if j in by_distinct:
            # A copy of its own, converted in place: each pass over a big register's cells
            # costs, the values being scattered in memory.
            values = np.array(column, dtype=object) if isinstance(column, np.ndarray) else \
                np.fromiter(column, dtype=object, count=height)
            converted, *known[j] = excel_column_distinct(values, in_place=True)
        else:
            # fromiter, unlike assigning a list, does not look into every value
            converted = np.fromiter(excel_column(column), dtype=object, count=height)
        cells.append(converted)
    return cells, known


def register_frame(columns: list[np.ndarray], first_row: int, height: int) -> pd.DataFrame:
    """A register's rows from its converted columns (``register_columns``), indexed by sheet row
    from ``first_row``. Each column stays a block of its own (copy=False): stacking them into
    one 2-D block would copy every cell again (0.02-0.1 s at 50,000 rows) for a frame that is
    read column by column."""
    return pd.DataFrame(dict(enumerate(columns)),
                        index=pd.RangeIndex(first_row, first_row + height),
                        columns=range(len(columns)), dtype=object, copy=False)


def excel_column_distinct(values: np.ndarray, in_place: bool = False
                          ) -> tuple[np.ndarray, np.ndarray, list[Any]]:
    """``excel_column`` of a register column, worked out through its distinct values, and
    those distinct values for the core (``Register.knowing_distinct``): what ``distinct_values``
    of the converted cells gives. ``in_place``: the cells are converted in ``values`` itself.

    A column repeats few values, so each distinct one is converted once. ``excel_value``
    empties "" and makes whole floats ints, which may join a value already there (1.0 beside
    1); a column without floats, nearly every one, only loses its "".
    """
    codes, found = distinct_values(pd.Series(values, dtype=object))
    kinds = set(map(type, found))
    empty = found.index("") if str in kinds and "" in found else None
    if any(issubclass(kind, float) or issubclass(kind, str) and kind is not str
           for kind in kinds) or empty is not None and type(found[empty]) is not str:
        return _joined_column(values, codes, found, in_place)
    cells = values if in_place else values.copy()
    if empty is None:
        return cells, codes, found
    emptied = codes == empty
    cells[emptied] = None
    codes[emptied] = -1
    codes[codes > empty] -= 1  # the others keep their order, numbered without it
    return cells, codes, found[:empty] + found[empty + 1:]


def _joined_column(values: np.ndarray, codes: np.ndarray, found: list[Any], in_place: bool
                   ) -> tuple[np.ndarray, np.ndarray, list[Any]]:
    """``excel_column_distinct`` when converting may join values: told apart again."""
    converted = [excel_value(value) for value in found]
    present = codes >= 0
    cells = values if in_place else values.copy()  # a missing cell (None, NaN) stays as it was
    cells[present] = np.fromiter(converted, dtype=object, count=len(converted))[codes[present]]
    joined, distinct = distinct_values(pd.Series(converted, dtype=object))
    out = np.full(len(values), -1, dtype=np.intp)
    out[present] = joined[codes[present]]
    return cells, out, distinct


def _whole_as_int(values: Sequence[Any]) -> list[Any]:
    """Floats (and None) with the whole numbers made int, as ``excel_value`` makes them."""
    floats = np.array(values, dtype=float)  # None becomes NaN here, and stays None below
    whole = np.flatnonzero(np.isfinite(floats) & (floats == np.trunc(floats)))
    out = list(values)
    for i in whole.tolist():
        out[i] = int(out[i])
    return out


def parse_address(address: str) -> tuple[int, int]:
    """The top-left (row, column) of an address such as '$B$3:$K$40' or 'Sheet1!$A$1'."""
    corner = address.rpartition("!")[2].split(":")[0].replace("$", "")
    letters = "".join(ch for ch in corner if ch.isalpha())
    col = 0
    for ch in letters.upper():
        col = col * 26 + ord(ch) - 64
    return int(corner[len(letters):]), col


def block_from_values(name: str, values: Any, first_row: int, first_col: int) -> Block:
    """A block from the rows of values Excel gives for a range anchored at (row, column)."""
    rows = [_excel_row(row) for row in values or []]
    if len(rows) == 1 and all(v is None for v in rows[0]) and (first_row, first_col) == (1, 1):
        rows = []  # Excel reports A1 as the used range of an empty sheet
    return Block(name, rows, first_row, first_col)


def trimmed(block: Block) -> Block:
    """``block`` without its empty margins, anchored where its content starts."""
    rows = block.rows
    filled = [i for i, row in enumerate(rows) if any(v is not None for v in row)]
    if not filled:
        return Block(block.sheet, [], 1, 1)  # as Excel gives an empty sheet's used range
    cols = [j for row in rows for j, v in enumerate(row) if v is not None]
    top, bottom, left, right = filled[0], filled[-1], min(cols), max(cols)
    return Block(block.sheet, [row[left:right + 1] for row in rows[top:bottom + 1]],
                 block.first_row + top, block.first_col + left)
