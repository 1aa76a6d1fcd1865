"""Writing a run's values into the rows of a cut sheet (stream.py), and the rows it adds.

A cut sheet's rows below openpyxl's top are copied from the original as bytes; where the run
writes, each row is spliced with the new cells in the form openpyxl writes cells (text inline,
dates as serial numbers in the format the full door would give them). Rows the run adds under
a sheet (the case log's) are written the same way, without any openpyxl object per cell.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from copy import copy
from dataclasses import dataclass, field
from typing import IO, Any
from xml.sax.saxutils import escape

from openpyxl.cell.cell import Cell
from openpyxl.compat import safe_string
from openpyxl.utils.cell import column_index_from_string, get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.worksheet import Worksheet

from addin.layout.register import HEADER_SCAN_ROWS

from .writeback import clean_text, put_value

# Rows of a cut sheet that openpyxl holds. The register's header must be among them, and the
# header search never looks further down than this anyway.
KEEP_ROWS = HEADER_SCAN_ROWS

_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>.*?</c>)", re.S)
_CELL_REF = re.compile(rb'\sr="([A-Z]{1,3})\d+"')
_CELL_STYLE = re.compile(rb'\ss="(\d+)"')
_SPANS = re.compile(rb'\sspans="[^"]*"')


@dataclass
class RowsBelow:
    """The run's new values for the rows of a sheet under what openpyxl holds of it: row -> col
    -> value and number format, as the full door would have put them into cells. ``fresh``: the
    original's rows there are dropped (a sheet rewritten whole) rather than copied."""

    title: str
    first_row: int = KEEP_ROWS + 1
    cells: dict[int, dict[int, tuple[Any, str | None]]] = field(default_factory=dict)
    fresh: bool = False
    # Whole rows from column A (values, number formats), kept as given: a row per case of the
    # case log's sheets costs a tuple, not a dict of cells.
    rows: dict[int, tuple[tuple[Any, ...], tuple[str | None, ...]]] = field(default_factory=dict)

    def put(self, row: int, col: int, value: Any, number_format: str | None) -> None:
        if row in self.rows:
            self.cells[row] = self.cells_of(row)
            del self.rows[row]
        self.cells.setdefault(row, {})[col] = (value, number_format)

    def put_row(self, row: int, values: tuple[Any, ...], formats: tuple[str | None, ...]
                ) -> None:
        """Row ``row`` from column A: ``values`` (None: no cell) in ``formats``."""
        self.cells.pop(row, None)
        self.rows[row] = (values, formats)

    def cells_of(self, row: int) -> dict[int, tuple[Any, str | None]]:
        if row not in self.rows:
            return self.cells[row]
        values, formats = self.rows[row]
        return {col: (value, number_format) for col, (value, number_format)
                in enumerate(zip(values, formats, strict=True), 1) if value is not None}

    def numbers(self) -> list[int]:
        """The rows written, in order."""
        return sorted({*self.cells, *self.rows})

    def extent(self) -> tuple[int, int]:
        """The last row and the last column written (0, 0 when none)."""
        numbers = {*self.cells, *self.rows}
        if not numbers:
            return 0, 0
        cols = [max(cols) for cols in self.cells.values() if cols]
        cols += [len(values) for values, _ in self.rows.values()]
        return max(numbers), max(cols, default=0)



# --- writing the run's values into copied rows ------------------------------------------------

class _Styles:
    """The format number and cell type a value gets, worked out as the full door does it: by
    putting the value into a cell carrying the original cell's format. Cached, because a run
    writes a handful of kinds of values into a handful of formats."""

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self.known: dict[tuple[int, type, str | None], tuple[int, str]] = {}

    def of(self, style: int, value: Any, number_format: str | None) -> tuple[int, str]:
        key = (style, type(value), number_format)
        if key not in self.known:
            styles = self.ws.parent._cell_styles
            scratch = Cell(self.ws, style_array=copy(styles[style]) if style < len(styles)
                           else None)
            put_value(scratch, value, number_format)
            self.known[key] = (scratch.style_id if scratch.has_style else 0, scratch.data_type)
        return self.known[key]


def _write_edited_rows(pieces: Iterable[tuple[int, bytes]], out: IO[bytes], below: RowsBelow,
                       styles: _Styles) -> None:
    """The rows under the kept top, each as it was (``pieces``: the original's, none for a
    sheet written anew) or with the run's values written in."""
    pending = below.numbers()
    at = 0
    epoch = styles.ws.parent.epoch

    def new_row(number: int) -> bytes:  # a row the file does not have yet: its cells in order
        suffix, cells = b"%d" % number, below.cells_of(number)
        return b'<row r="%s">%s</row>' % (suffix, b"".join(
            _cell_xml(_letter(col) + suffix, *styles.of(0, value, number_format), value, epoch)
            for col, (value, number_format) in sorted(cells.items())))

    for number, piece in pieces:
        if number < below.first_row:
            continue
        while at < len(pending) and pending[at] < number:
            out.write(new_row(pending[at]))
            at += 1
        if at < len(pending) and pending[at] == number:
            out.write(_edited_row(piece, number, below.cells_of(number), styles, epoch))
            at += 1
        else:
            out.write(piece)
    for number in pending[at:]:
        out.write(new_row(number))


def _edited_row(piece: bytes, number: int, cells: dict[int, tuple[Any, str | None]],
                styles: _Styles, epoch: Any) -> bytes:
    start = piece.index(b"<row")
    end = piece.index(b">", start)
    if piece[end - 1:end] == b"/":
        tag, inner = piece[start:end - 1], b""
    else:
        tag, inner = piece[start:end], piece[end + 1:piece.rindex(b"</row>")]
    # spans only hint at the row's width, which the new cells may change: leave it out.
    return piece[:start] + _row_with(_SPANS.sub(b"", tag) + b">", inner, number, cells, styles,
                                     epoch)


def _row_with(tag: bytes, inner: bytes, number: int, cells: dict[int, tuple[Any, str | None]],
              styles: _Styles, epoch: Any) -> bytes:
    """A row's XML: its existing cells in column order, with ``cells`` put in or replacing."""
    if inner.count(b"<c ") == inner.count(b'<c r="') and b"<c>" not in inner:
        return _row_with_refs(tag, inner, number, cells, styles, epoch)
    return _row_parsed(tag, inner, number, cells, styles, epoch)


def _row_parsed(tag: bytes, inner: bytes, number: int, cells: dict[int, tuple[Any, str | None]],
                styles: _Styles, epoch: Any) -> bytes:
    """``_row_with`` for any row: every cell parsed, those without a reference given one."""
    present: dict[int, tuple[bytes, int]] = {}
    col = 0
    for match in _CELL.finditer(inner):
        ref = _CELL_REF.search(match.group(1))
        col = column_index_from_string(ref.group(1).decode()) if ref else col + 1
        xml = match.group() if ref else b'<c r="%s%d"' % (_letter(col), number) + match.group()[2:]
        style = _CELL_STYLE.search(match.group(1))
        present[col] = (xml, int(style.group(1)) if style else 0)
    for col, (value, number_format) in cells.items():
        style = present.get(col, (b"", 0))[1]
        style, kind = styles.of(style, value, number_format)
        present[col] = (_cell_xml(b"%s%d" % (_letter(col), number), style, kind, value, epoch),
                        style)
    return tag + b"".join(present[c][0] for c in sorted(present)) + b"</row>"


def _row_with_refs(tag: bytes, inner: bytes, number: int,
                   cells: dict[int, tuple[Any, str | None]], styles: _Styles, epoch: Any) -> bytes:
    """``_row_with`` for a row whose every cell names itself first (``<c r="B7"``), as Excel,
    openpyxl and XlsxWriter write them: each cell written is found by its reference and spliced
    in, so a row's other cells are copied as bytes without being parsed one by one."""
    suffix = b"%d" % number
    last_col = _last_col(inner)
    edits = []
    for col in sorted(cells):
        value, number_format = cells[col]
        at = inner.find(b'<c r="%s%s"' % (_letter(col), suffix)) if col <= last_col else -1
        style = 0
        if at >= 0:
            close = inner.index(b">", at)
            end = close + 1 if inner[close - 1] == 0x2F else inner.index(b"</c>", close) + 4
            found = _CELL_STYLE.search(inner, at, close)
            style = int(found.group(1)) if found else 0
        else:
            at = end = _insertion_point(inner, col, last_col, suffix)
        style, kind = styles.of(style, value, number_format)
        edits.append((at, end, _cell_xml(_letter(col) + suffix, style, kind, value, epoch)))
    edits.sort(key=lambda edit: edit[0])  # stable: cells put at one place stay in column order
    pieces, pos = [tag], 0
    for at, end, xml in edits:
        pieces += (inner[pos:at], xml)
        pos = end
    pieces += (inner[pos:], b"</row>")
    return b"".join(pieces)


def _last_col(inner: bytes) -> int:
    """The column of a row's last cell; 0 when it has none."""
    last = inner.rfind(b'<c r="')
    letters = _CELL_REF.match(inner, last + 2) if last >= 0 else None
    return column_index_from_string(letters.group(1).decode()) if letters else 0


def _insertion_point(inner: bytes, col: int, last_col: int, suffix: bytes) -> int:
    """Where a new cell in column ``col`` goes: before the row's first cell to its right."""
    for right in range(col + 1, last_col + 1):
        at = inner.find(b'<c r="%s%s"' % (_letter(right), suffix))
        if at >= 0:
            return at
    return len(inner)


@functools.cache
def _letter(col: int) -> bytes:
    return get_column_letter(col).encode()


def _cell_xml(ref: bytes, style: int, kind: str, value: Any, epoch: Any) -> bytes:
    """One cell as openpyxl would write it: text inline, dates as serial numbers."""
    s = b' s="%d"' % style if style else b""
    if value is None:
        return b'<c r="%s"%s/>' % (ref, s)
    if kind == "s":
        return b'<c r="%s"%s t="inlineStr"><is><t xml:space="preserve">%s</t></is></c>' % (
            ref, s, _text_xml(value))
    if kind == "d":
        return b'<c r="%s"%s t="n"><v>%s</v></c>' % (ref, s, _serial(value, epoch))
    return b'<c r="%s"%s t="%s"><v>%s</v></c>' % (ref, s, kind.encode(),
                                                 safe_string(value).encode())


# A run writes the same texts (statuses, categories, event names) and days (deadlines) into
# thousands of cells: each is escaped or converted once.
@functools.lru_cache(maxsize=4096)
def _text_xml(text: str) -> bytes:
    return escape(clean_text(text), {"\r": "&#13;"}).encode()


@functools.lru_cache(maxsize=4096)
def _serial(value: Any, epoch: Any) -> bytes:
    return safe_string(to_excel(value, epoch)).encode()
