"""The complaints register and the settings sheets as the core receives them from a door.

A door reads cells and hands over plain values; nothing here knows about Excel files. Row labels
are the row numbers Excel shows, so any finding can name its cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .cells import distinct_values
from .fields import BY_KEY, guess_language, match_headers
from .findings import cell_ref


@dataclass
class Grid:
    """A sheet's used range.

    ``rows[0]`` is Excel row ``first_row``; ``rows[i][0]`` is column ``first_col``.
    """

    sheet: str
    rows: list[list[Any]]
    first_row: int = 1
    first_col: int = 1

    def ref(self, i: int, j: int) -> str:
        return cell_ref(self.sheet, self.first_row + i, self.first_col + j)

    def value(self, i: int, j: int) -> Any:
        row = self.rows[i] if i < len(self.rows) else []
        return row[j] if j < len(row) else None


@dataclass
class Register:
    """The complaints table: raw cell values by Excel row number, one column per position."""

    sheet: str
    header_row: int
    first_col: int
    headers: list[str]
    rows: pd.DataFrame
    columns: dict[str, int] = field(default_factory=dict)
    lang: str = "en"
    # Written fields the table lacks, by the position a door appends them at (set by the
    # pipeline), so that findings name the cell the value will be in after the run.
    appended: dict[str, int] = field(default_factory=dict)
    # Each column's distinct values once worked out (``distinct_at``), with the frame they are of.
    _distinct: dict[int, tuple[pd.DataFrame, np.ndarray, list[Any]]] = field(
        default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def from_values(cls, sheet: str, header_row: int, first_col: int, headers: list[Any],
                    rows: list[list[Any]], lang: str | None = None) -> Register:
        width = len(headers)
        body = [list(r[:width]) + [None] * (width - len(r)) for r in rows]
        index = pd.RangeIndex(header_row + 1, header_row + 1 + len(body))
        frame = pd.DataFrame(body, index=index, columns=range(width), dtype=object)
        names = ["" if h is None else str(h) for h in headers]
        return cls(sheet, header_row, first_col, names, frame, match_headers(names),
                   lang or guess_language(names))

    def has(self, key: str) -> bool:
        return key in self.columns

    def col(self, key: str) -> pd.Series:
        """Raw values of a field; all-empty when the register lacks the column."""
        if key in self.columns:
            return self.rows[self.columns[key]]
        return pd.Series([None] * len(self.rows), index=self.rows.index, dtype=object)

    def distinct(self, key: str) -> tuple[np.ndarray, list[Any]]:
        """``cells.distinct_values`` of a field's column (of an all-empty one when the register
        lacks it)."""
        if key in self.columns:
            return self.distinct_at(self.columns[key])
        return distinct_values(self.col(key))

    def distinct_at(self, position: int) -> tuple[np.ndarray, list[Any]]:
        """``cells.distinct_values`` of the column at ``position``, worked out once: validating,
        classifying, tagging and suggesting each read the same columns by their distinct
        values, and a run never changes the table it reads (the codes come read-only)."""
        known = self.known_distinct(position)
        if known is None:
            known = distinct_values(self.rows[position])
            self.knowing_distinct(position, *known)
        return known[0], list(known[1])

    def knowing_distinct(self, position: int, codes: np.ndarray, values: list[Any]) -> None:
        """Hand over a column's distinct values that a reader worked out while it converted the
        column; they must be what ``cells.distinct_values`` gives for it (the reports' reader
        is held to that by a test)."""
        codes.flags.writeable = False
        self._distinct[position] = (self.rows, codes, values)

    def known_distinct(self, position: int) -> tuple[np.ndarray, list[Any]] | None:
        """The distinct values of a column if a step worked them out already, else None."""
        entry = self._distinct.get(position)
        if entry is None or entry[0] is not self.rows:  # a new table, read anew
            return None
        return entry[1], entry[2]

    def cell(self, row: int, key: str) -> str:
        """The cell staff see for a field in a row: where it is, where a door appends it, or
        else the header cell's column."""
        pos = self.columns.get(key, self.appended.get(key))
        col = self.first_col + pos if pos is not None else self.first_col
        return cell_ref(self.sheet, row, col)

    def header(self, key: str) -> str:
        """The header as written in the sheet, or the card's header in the workbook's language."""
        if key in self.columns:
            return self.headers[self.columns[key]]
        return BY_KEY[key].header(self.lang)
