"""The rows a new register starts with, placed under the card's columns.

Rows come with the headers they were given (the demo's, an import's, the examples'): a header
naming a card field puts its values under that field's column, whatever the language or order;
any other header becomes a kept column to the right of the card, as the import keeps source
columns. ``cells.CellWriter`` writes them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from addin.core.fields import FIELDS, field_for_header
from addin.core.text import Lang
from addin.layout.cells import unique_headers

from .register_sheet import LEFT_OUT, Column
from .styles import display_width

# A kept column is as wide as its header and the values in its first rows, within these bounds.
KEPT_WIDTHS = (10, 40)
WIDTH_SAMPLE = 500


@dataclass(frozen=True)
class KeptColumn:
    """A column that is not on the card (kept from a source file): plain, typed by staff."""

    header: str
    width_hint: float = 0
    key: None = None
    written: bool = False
    number_format: None = None

    def width(self) -> float:
        low, high = KEPT_WIDTHS
        return float(min(high, max(low, display_width(self.header) + 4, self.width_hint)))


def place_rows(headers: Sequence[object], rows: Sequence[Sequence[Any]], lang: Lang
               ) -> tuple[list[Column | KeptColumn], list[list[Any]]]:
    """The register's columns (the card's, in card order, then kept ones) and the rows under
    them. ``source_ref`` is a column only when the rows carry it (imports do)."""
    at: dict[str, int] = {}  # card field -> position in the given rows
    kept: list[int] = []
    for pos, header in enumerate(headers):
        key = field_for_header(header)
        if key is None or key in at:  # a field named twice keeps its second column as given
            kept.append(pos)
        else:
            at[key] = pos
    card = [Column(f.key, f.header(lang)) for f in FIELDS if f.key not in LEFT_OUT or f.key in at]
    names = unique_headers([c.header for c in card] + [headers[pos] for pos in kept])[len(card):]
    sources: list[int | None] = [at.get(c.key) for c in card] + list(kept)
    placed = [[row[pos] if pos is not None and pos < len(row) else None for pos in sources]
              for row in rows]
    kept_columns = [KeptColumn(name, _sampled_width(placed, len(card) + i))
                    for i, name in enumerate(names)]
    return [*card, *kept_columns], placed


def _sampled_width(rows: list[list[Any]], j: int) -> float:
    longest = max((display_width(row[j]) for row in rows[:WIDTH_SAMPLE] if row[j] is not None),
                  default=0)
    return longest + 2
