"""Writing a run's values into the rows of a cut sheet (stream.py), and the rows it adds.

A cut sheet's rows below openpyxl's top are copied from the original as bytes; where the run
writes, each row is spliced with the new cells in the form openpyxl writes cells (text inline,
dates as serial numbers in the format the full door would give them). Rows the run adds under
a sheet (the case log's) are written the same way, without any openpyxl object per cell.
"""

from __future__ import annotations

import functools
import operator
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
_START = operator.itemgetter(0)


Written = tuple[int, Any, str | None]  # a cell to write: column, value, number format


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
    # Rows given by whole columns (put_columns): their columns, values and number formats as
    # tuples, those of columns and formats shared by the rows written in the same columns. A
    # run writing ten columns down 50,000 rows keeps a tuple of values per row, not a dict of
    # cells: a fifth of the memory.
    spread: dict[int, tuple[tuple[int, ...], tuple[Any, ...], tuple[str | None, ...]]] = \
        field(default_factory=dict)

    def put(self, row: int, col: int, value: Any, number_format: str | None) -> None:
        if row in self.rows or row in self.spread:
            self.cells[row] = self.cells_of(row)
            self.rows.pop(row, None)
            self.spread.pop(row, None)
        self.cells.setdefault(row, {})[col] = (value, number_format)

    def put_row(self, row: int, values: tuple[Any, ...], formats: tuple[str | None, ...]
                ) -> None:
        """Row ``row`` from column A: ``values`` (None: no cell) in ``formats``."""
        self.cells.pop(row, None)
        self.spread.pop(row, None)
        self.rows[row] = (values, formats)

    def put_columns(self, columns: list[tuple[int, list[int], list[Any], str | None]]) -> None:
        """Whole columns at once: (column, rows, values, number format) each, as ``put`` would
        put them one cell after the other."""
        by_row: dict[int, tuple[list[int], list[Any], list[str | None]]] = {}
        for col, rows, values, number_format in sorted(columns, key=_START):
            for row, value in zip(rows, values, strict=True):
                if row in self.cells or row in self.rows or row in self.spread:
                    self.put(row, col, value, number_format)
                    continue
                entry = by_row.get(row)
                if entry is None:
                    entry = by_row[row] = ([], [], [])
                if entry[0] and entry[0][-1] >= col:  # not in column order: one cell at a time
                    self.cells[row] = {c: (v, f) for c, v, f in zip(*entry, strict=True)}
                    del by_row[row]
                    self.put(row, col, value, number_format)
                    continue
                entry[0].append(col)
                entry[1].append(value)
                entry[2].append(number_format)
        shapes: dict[tuple[tuple[int, ...], tuple[str | None, ...]], tuple[Any, ...]] = {}
        for row, (cols, values, formats) in by_row.items():
            shape = (tuple(cols), tuple(formats))
            shape = shapes.setdefault(shape, shape)
            self.spread[row] = (shape[0], tuple(values), shape[1])

    def cells_of(self, row: int) -> dict[int, tuple[Any, str | None]]:
        return {col: (value, number_format) for col, value, number_format in self.row(row)}

    def row(self, number: int) -> list[Written]:
        """Row ``number``'s cells to write, in column order."""
        if number in self.spread:
            return list(zip(*self.spread[number], strict=True))
        if number in self.rows:
            values, formats = self.rows[number]
            return [(col, value, number_format) for col, value, number_format
                    in zip(range(1, len(values) + 1), values, formats, strict=True)
                    if value is not None]
        return [(col, *cell) for col, cell in sorted(self.cells[number].items())]

    def numbers(self) -> list[int]:
        """The rows written, in order."""
        return sorted({*self.cells, *self.rows, *self.spread})

    def extent(self) -> tuple[int, int]:
        """The last row and the last column written (0, 0 when none)."""
        numbers = {*self.cells, *self.rows, *self.spread}
        if not numbers:
            return 0, 0
        cols = [max(cols) for cols in self.cells.values() if cols]
        cols += [len(values) for values, _ in self.rows.values()]
        cols += [cols[-1] for cols, _, _ in self.spread.values()]
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


class _Cells:
    """Cells as openpyxl would write them (text inline, dates as serial numbers), made by one
    formatting of a template per cell: the template, and how the value is put into it, are
    worked out once per original format, type of value and number format."""

    def __init__(self, styles: _Styles) -> None:
        self.styles, self.epoch = styles, styles.ws.parent.epoch
        self.known: dict[tuple[int, type, str | None], tuple[bytes, Any]] = {}

    def xml(self, ref: bytes, style: int, value: Any, number_format: str | None) -> bytes:
        """Cell ``ref`` holding ``value``, where the original cell had format ``style``."""
        known = self.known.get((style, type(value), number_format))
        if known is None:
            known = self._learn(style, value, number_format)
        template, payload = known
        return template % (ref, payload(value)) if payload else template % ref

    def _learn(self, style: int, value: Any, number_format: str | None) -> tuple[bytes, Any]:
        style_id, kind = self.styles.of(style, value, number_format)
        s = b' s="%d"' % style_id if style_id else b""
        if value is None:
            known: tuple[bytes, Any] = (b'<c r="%s"' + s + b"/>", None)
        elif kind == "s":
            known = (b'<c r="%s"' + s + b' t="inlineStr"><is><t xml:space="preserve">%s</t>'
                     b"</is></c>", _text_xml)
        elif kind == "d":
            epoch = self.epoch
            known = (b'<c r="%s"' + s + b' t="n"><v>%s</v></c>',
                     lambda day: _serial(day, epoch))
        else:
            known = (b'<c r="%s"' + s + b' t="' + kind.encode() + b'"><v>%s</v></c>',
                     _number)
        self.known[(style, type(value), number_format)] = known
        return known


def _number(value: Any) -> bytes:
    return _whole(value) if type(value) is int else safe_string(value).encode()


@functools.lru_cache(maxsize=4096)  # counts of days and the like: few distinct ones
def _whole(value: int) -> bytes:
    return safe_string(value).encode()


def _write_edited_rows(pieces: Iterable[tuple[int, bytes]], out: IO[bytes], below: RowsBelow,
                       styles: _Styles) -> None:
    """The rows under the kept top, each as it was (``pieces``: the original's, none for a
    sheet written anew) or with the run's values written in."""
    pending = below.numbers()
    at = 0
    cells = _Cells(styles)
    held: list[bytes] = []  # rows gathered into bigger writes: a write per row is dear

    def flush() -> None:
        out.write(b"".join(held))
        held.clear()

    for number, piece in pieces:
        if number < below.first_row:
            continue
        while at < len(pending) and pending[at] < number:
            held.append(_new_row(pending[at], below, cells))
            at += 1
        if at < len(pending) and pending[at] == number:
            held.append(_edited_row(piece, number, below.row(number), cells))
            at += 1
        else:
            held.append(piece)
        if len(held) >= 4096:
            flush()
    for number in pending[at:]:
        held.append(_new_row(number, below, cells))
        if len(held) >= 4096:
            flush()
    flush()


def _new_row(number: int, below: RowsBelow, cells: _Cells) -> bytes:
    """A row the file does not have yet: its cells in column order."""
    suffix = b"%d" % number
    xml = cells.xml
    parts = [xml(_letter(col) + suffix, 0, value, number_format)
             for col, value, number_format in below.row(number)]
    return b'<row r="%s">%s</row>' % (suffix, b"".join(parts))


def _edited_row(piece: bytes, number: int, cells: list[Written],
                writer: _Cells) -> bytes:
    start = piece.index(b"<row")
    end = piece.index(b">", start)
    if piece[end - 1:end] == b"/":
        tag, inner = piece[start:end - 1], b""
    else:
        tag, inner = piece[start:end], piece[end + 1:piece.rindex(b"</row>")]
    # spans only hint at the row's width, which the new cells may change: leave it out.
    if b" spans=" in tag:
        tag = _SPANS.sub(b"", tag)
    return piece[:start] + _row_with(tag + b">", inner, number, cells, writer)


def _row_with(tag: bytes, inner: bytes, number: int, cells: list[Written],
              writer: _Cells) -> bytes:
    """A row's XML: its existing cells in column order, with ``cells`` put in or replacing."""
    if inner.count(b"<c ") == inner.count(b'<c r="') and b"<c>" not in inner:
        return _row_with_refs(tag, inner, number, cells, writer)
    return _row_parsed(tag, inner, number, cells, writer)


def _row_parsed(tag: bytes, inner: bytes, number: int, cells: list[Written],
                writer: _Cells) -> bytes:
    """``_row_with`` for any row: every cell parsed, those without a reference given one."""
    present: dict[int, tuple[bytes, int]] = {}
    col = 0
    for match in _CELL.finditer(inner):
        ref = _CELL_REF.search(match.group(1))
        col = column_index_from_string(ref.group(1).decode()) if ref else col + 1
        xml = match.group() if ref else b'<c r="%s%d"' % (_letter(col), number) + match.group()[2:]
        style = _CELL_STYLE.search(match.group(1))
        present[col] = (xml, int(style.group(1)) if style else 0)
    for col, value, number_format in cells:
        style = present.get(col, (b"", 0))[1]
        present[col] = (writer.xml(b"%s%d" % (_letter(col), number), style, value,
                                   number_format), style)
    return tag + b"".join(present[c][0] for c in sorted(present)) + b"</row>"


def _row_with_refs(tag: bytes, inner: bytes, number: int,
                   cells: list[Written], writer: _Cells) -> bytes:
    """``_row_with`` for a row whose every cell names itself first (``<c r="B7"``), as Excel,
    openpyxl and XlsxWriter write them: each cell written is found by its reference and spliced
    in, so a row's other cells are copied as bytes without being parsed one by one."""
    suffix = b"%d" % number
    last_col = _last_col(inner)
    edits = []
    after = 0  # where the last cell found ends: the next column's cell is searched from there
    for col, value, number_format in cells:
        letters = _letter(col)
        at = -1
        if col <= last_col:
            key = b'<c r="' + letters + suffix + b'"'
            at = inner.find(key, after)
            if at < 0 and after:
                at = inner.find(key)  # a cell out of column order
        if at >= 0:
            close = inner.index(b">", at)
            end = close + 1 if inner[close - 1] == 0x2F else inner.index(b"</c>", close) + 4
            style = _style_of(inner, at, close)
            after = end
        else:
            style = 0
            at = end = _insertion_point(inner, col, last_col, suffix, after)
        edits.append((at, end, writer.xml(letters + suffix, style, value, number_format)))
    edits.sort(key=_START)  # stable: cells put at one place stay in column order
    pieces, pos = [tag], 0
    for at, end, xml in edits:
        pieces += (inner[pos:at], xml)
        pos = end
    pieces += (inner[pos:], b"</row>")
    return b"".join(pieces)


def _style_of(inner: bytes, at: int, close: int) -> int:
    """The format number (``s``) of the cell whose start tag runs from ``at`` to ``close``."""
    found = inner.find(b' s="', at, close)
    if found < 0:  # none, or one after another blank than a space
        match = _CELL_STYLE.search(inner, at, close)
        return int(match.group(1)) if match else 0
    digits = inner[found + 4:inner.find(b'"', found + 4)]
    return int(digits) if digits.isdigit() else 0


def _last_col(inner: bytes) -> int:
    """The column of a row's last cell; 0 when it has none."""
    last = inner.rfind(b'<c r="')
    letters = _CELL_REF.match(inner, last + 2) if last >= 0 else None
    return column_index_from_string(letters.group(1).decode()) if letters else 0


def _insertion_point(inner: bytes, col: int, last_col: int, suffix: bytes, after: int = 0
                     ) -> int:
    """Where a new cell in column ``col`` goes: before the row's first cell to its right.
    ``after``: where the cell of a column to its left ends; in a row written in column order
    every cell to its right lies beyond, so the search starts there (and starts again from the
    row's start when nothing is found: a row out of order)."""
    for start in (after, 0) if after else (0,):
        for right in range(col + 1, last_col + 1):
            at = inner.find(b'<c r="' + _letter(right) + suffix + b'"', start)
            if at >= 0:
                return at
    return len(inner)


_LETTERS = [b""] + [get_column_letter(col).encode() for col in range(1, 703)]  # A to ZZ


def _letter(col: int) -> bytes:
    return _LETTERS[col] if col < len(_LETTERS) else get_column_letter(col).encode()


# A run writes the same texts (statuses, categories, event names) and days (deadlines) into
# thousands of cells: each is escaped or converted once.
@functools.lru_cache(maxsize=4096)
def _text_xml(text: str) -> bytes:
    return escape(clean_text(text), {"\r": "&#13;"}).encode()


@functools.lru_cache(maxsize=4096)
def _serial(value: Any, epoch: Any) -> bytes:
    return safe_string(to_excel(value, epoch)).encode()
