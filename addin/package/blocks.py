"""How big a block of cells a sheet becomes when a reader makes one block of it.

The reports read sheets with calamine, which turns a sheet into one block of rows by columns,
from its first cell holding something to its last, 32 bytes a cell, before Python sees any of
it. Two values at A1 and XFD1048576 ask it for 550 GB, and the process is aborted by the
allocator: no exception, no message (a known calamine issue, still open). The batch door reads
cells one by one and is not troubled, so only a door that reads blocks measures them.

Measuring every cell's reference costs more than the rest of the package check, so it is done
only when needed. Every writer seen so far (Excel, LibreOffice, openpyxl, XlsxWriter) starts
a cell tag with its reference, and a register's cells stay within column AZ and under row
100,000: a sheet of only such tags spans at most 52 x 99,999 cells, under the limit. One regular
expression finds a tag of any other shape; only then is the sheet measured cell by cell, as
calamine would place its cells.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A block of ten million cells is 320 MB in calamine and 80 MB of references once in Python:
# twice the widest sheet of the usual shape (52 x 99,999), far beyond a real register.
MAX_BLOCK_CELLS = 10_000_000

# A cell or row tag not of the usual shape: its reference not first, a column past AZ, a row
# of six digits or more, or no reference at all. Two patterns run faster than one for both.
_UNUSUAL = (re.compile(rb'<c(?=[\s/>])(?! r="A?[A-Z][1-9]\d{0,4}")'),
            re.compile(rb'<row(?=[\s/>])(?! r="[1-9]\d{0,4}")'))
_SHAPE = 16  # bytes after a tag's "<" that decide its shape ('<c r="AZ99999"' is 14)
_TAG = re.compile(rb'<(?:\w+:)?(row|c)(?=[\s/>])([^>]*)>')
_REF = re.compile(rb'\sr="([A-Z]{0,3})(\d{0,7})"')


def unusual_tag(window: bytes, carried: int, final: bool = False) -> bool:
    """Whether ``window`` (the chunk after ``carried`` bytes of the one before) holds a cell or
    row tag of unusual shape, or one named through a prefix (x:c). A tag too near the end to
    judge is judged in the next window, which carries it; ``final`` says there is none."""
    # One byte is searched at memory speed, a pair of them much slower; ":" is rare in sheets.
    if b":" in window and (b":c" in window or b":row" in window):
        return True
    judged = len(window) if final else len(window) - _SHAPE
    start = max(carried - _SHAPE, 0)
    return any(match.start() < judged
               for pattern in _UNUSUAL for match in pattern.finditer(window, start))


@dataclass
class Block:
    """The rows and columns a sheet's cells span, and the cell farthest out (0-based)."""

    first_row: int = -1
    last_row: int = -1
    first_col: int = -1
    last_col: int = -1
    far: tuple[int, int] = (0, 0)

    @property
    def cells(self) -> int:
        if self.last_row < 0:
            return 0
        return (self.last_row - self.first_row + 1) * (self.last_col - self.first_col + 1)

    def take(self, row: int, col: int) -> None:
        if self.last_row < 0:
            self.first_row = self.last_row = row
            self.first_col = self.last_col = col
            return
        grows = row > self.last_row or col > self.last_col or row < self.first_row \
            or col < self.first_col
        self.first_row, self.last_row = min(self.first_row, row), max(self.last_row, row)
        self.first_col, self.last_col = min(self.first_col, col), max(self.last_col, col)
        if grows:
            self.far = (row, col)


class BlockMeasure:
    """Places a sheet's cells as calamine does, fed the part's bytes in chunks: at a cell's own
    reference when it has one, else in the next column of its row tag's row (a row tag without
    a reference is the one after the last). Self-closing
    cells hold nothing and take no place."""

    def __init__(self) -> None:
        self.block = Block()
        self._pending = b""
        self._row = self._col = -1

    def feed(self, chunk: bytes) -> None:
        data = self._pending + chunk
        cut = data.rfind(b"<")  # no tag holds "<", so every tag before it is whole
        if cut <= 0:
            self._pending = data
            return
        self._place(data[:cut])
        self._pending = data[cut:]

    def finish(self) -> Block:
        self._place(self._pending)
        self._pending = b""
        return self.block

    def _place(self, data: bytes) -> None:
        for match in _TAG.finditer(data):
            name, attributes = match.groups()
            ref = _REF.search(attributes)
            letters, digits = ref.groups() if ref else (b"", b"")
            if name == b"row":
                self._row = int(digits) - 1 if digits else self._row + 1
                self._col = -1
                continue
            self._col = column_index(letters.decode()) - 1 if letters else self._col + 1
            row = int(digits) - 1 if digits else self._row
            if not attributes.endswith(b"/"):
                self.block.take(max(row, 0), self._col)


def column_index(letters: str) -> int:
    """The 1-based index of Excel column letters ('A' -> 1, 'AB' -> 28)."""
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index
