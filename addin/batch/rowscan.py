"""A register's plain rows read by one regular expression, at C speed, with expat's values.

Handing every element of a 50,000-row sheet to Python handlers costs more than everything else a
run does when nothing changes: expat itself parses the sheet in a fraction of that time, the
calls into Python are the rest. Most registers are written plainly, as Excel, openpyxl and
XlsxWriter write them: each cell ``<c r="B7" s="3" t="s">`` with at most a ``<v>`` or an inline
``<is><t>`` (or empty: ``<c r="B7" s="3"/>``, openpyxl's ``<c r="B7" s="3" t="n" />``), rows with
their numbers. Such rows are read here, one match per cell; anything else
inside the cells (a formula, rich text, a comment, attributes in another order, an encoding other
than UTF-8, a character XML forbids) makes ``scan_rows`` return None, and the caller reads the
sheet with expat (sheetxml.py) as before. The values are sheetxml's, cell for cell
(``tests/test_rowscan.py`` compares them over every workbook sheetxml is tested on).
"""

from __future__ import annotations

import re
import zipfile
from typing import Any

import numpy as np
from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import SECS_PER_DAY

from .sheetxml import CHUNK, Row, Workbook, typed_value

_TOKEN = re.compile(
    rb'<c r="([A-Z]{1,3})\d+"(?: s="(\d+)")?(?: t="([a-zA-Z]+)")?'
    rb'(?: ?/>|>(?:<v>([^<]*)</v>|(<is>)<t(?: xml:space="preserve")?>([^<]*)</t></is>)?</c>)'
    rb'|<row r="(\d+)"[^>]*?(/?)>|(</row>)|[ \t\r\n]+|(.)', re.S)
_HEAD = re.compile(rb'\A(?:\xef\xbb\xbf)?(?:<\?xml[^>]*?encoding="(?i:utf-8)"[^>]*\?>|'
                   rb'<\?xml(?:(?!encoding)[^>])*\?>)?\s*<worksheet\b')
_DATA_OPEN, _DATA_CLOSE = b"<sheetData>", b"</sheetData>"
# Control characters XML does not allow (expat refuses them); deleting them and comparing
# lengths is a pass in C, several times quicker than a regular expression's search.
_CONTROLS = bytes(code for code in range(32) if code not in (9, 10, 13))
_ENTITY = re.compile(r"&(?:(amp|lt|gt|quot|apos)|#([0-9]+)|#x([0-9a-fA-F]+));")
_KINDS = {b"": "n", b"n": "n", b"s": "s", b"b": "b", b"e": "e", b"str": "str"}
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


class _NotPlain(Exception):
    """The sheet holds what only a full XML parser reads right."""


def scan_rows(archive: zipfile.ZipFile, part: str, book: Workbook, first_row: int,
              first_col: int, last_col: int) -> tuple[list[Row], bytes] | None:
    """The rows ``sheetxml.iter_rows`` gives for sheet ``part``, and what follows the cells as
    an XML document of its own (the sheet's root element without the cells); None when the
    sheet is not plain."""
    try:
        with archive.open(part) as stream:
            return _Scan(book, first_row, first_col, last_col).run(stream)
    except (_NotPlain, UnicodeDecodeError):
        return None


class _Scan:
    def __init__(self, book: Workbook, first_row: int, first_col: int, last_col: int) -> None:
        self.book, self.first_row = book, first_row
        self.first_col, self.last_col = first_col, last_col
        self.rows: list[Row] = []
        self.last_seen = 0
        # A cell's letters -> its place in a row's values; -1 outside the columns asked for.
        self.slots: dict[bytes, int] = {}
        self.texts: dict[str, str] = {}
        # Format numbers of date and duration formats, as the bytes of an s="..." attribute.
        self.date_styles = {b"%d" % n for n in book.styles.dates | book.styles.durations}
        self.days: dict[tuple[bytes, bytes], Any] = {}
        # Formats that show a date and time (not a duration): a time stamp (a receipt, a reply)
        # is read with the others of its stretch of rows (``_Stamps``).
        self.stamps = {b"%d" % n for n in book.styles.dates - book.styles.durations}

    def run(self, stream: Any) -> tuple[list[Row], bytes]:
        buf = stream.read(CHUNK)
        while _DATA_OPEN not in buf and _DATA_CLOSE not in buf:
            more = stream.read(CHUNK)
            if not more:
                raise _NotPlain
            buf += more
        start = buf.find(_DATA_OPEN)
        if not _HEAD.match(buf) or start < 0 or b"<!" in buf[:start]:
            raise _NotPlain  # another encoding, a declaration, or no plain <sheetData>
        at = buf.find(b"<worksheet")
        root = buf[at:buf.index(b">", at) + 1]
        buf = buf[start + len(_DATA_OPEN):]
        while True:
            end = buf.find(_DATA_CLOSE)
            if end >= 0:
                self._rows(buf[:end])
                rest = buf[end + len(_DATA_CLOSE):]
                return self.rows, root + rest + b"".join(iter(lambda: stream.read(CHUNK), b""))
            cut = buf.rfind(b"</row>") + 6 if b"</row>" in buf else 0
            self._rows(buf[:cut])
            more = stream.read(CHUNK)
            if not more:
                raise _NotPlain
            buf = buf[cut:] + more

    def _rows(self, xml: bytes) -> None:
        """Rows that begin and end within ``xml``."""
        if b"]]>" in xml or len(xml.translate(None, _CONTROLS)) != len(xml):
            raise _NotPlain
        first, last = self.first_col, self.last_col
        texts, strings, dates = self.texts, self.book.strings, self.date_styles
        days, stamps, slots = self.days, self.stamps, self.slots
        later = _Stamps(self)
        stamp, done = later.add, len(self.rows)
        values: list[Any] | None = None
        number = 0
        for letters, style, kind, value, is_open, inline, row, closed, ended, other in \
                _TOKEN.findall(xml):
            if letters:
                if values is None:
                    raise _NotPlain  # a cell outside a row
                if not (value or is_open):
                    continue  # empty: None, as expat reads it
                at = slots.get(letters)
                if at is None:
                    col = column_index_from_string(letters.decode())
                    at = slots[letters] = col - first if first <= col <= last else -1
                if at < 0:
                    continue  # outside the columns asked for
                # The kinds a register is made of, inline here: a call per cell is dear.
                if kind == b"inlineStr" and is_open and b"&" not in inline and b"\r" not in inline:
                    text = inline.decode("utf-8")
                    values[at] = texts.setdefault(text, text)
                elif kind == b"s" and value:
                    values[at] = strings[int(value)]
                elif (kind == b"n" or not kind) and value and (not style or style not in dates):
                    values[at] = float(value) if b"." in value or b"E" in value or \
                        b"e" in value else int(value)
                elif (kind == b"n" or not kind) and value.isdigit() and style in dates:
                    # A whole-day date (a deadline, a follow-up day): few distinct ones.
                    day = days.get((value, style))
                    if day is None:
                        day = days[(value, style)] = self._value(kind, style, value, b"", b"")
                    values[at] = day
                elif (kind == b"n" or not kind) and b"." in value and style in stamps:
                    stamp(values, at, value, kind, style)
                else:
                    values[at] = self._value(kind, style, value, is_open, inline)
            elif row:
                if values is not None:
                    raise _NotPlain  # a row inside a row
                number, values = int(row), [None] * (last - first + 1)
                if closed:
                    self._end_row(number, values)
                    values = None
            elif ended:
                if values is None:
                    raise _NotPlain
                self._end_row(number, values)
                values = None
            elif other:
                raise _NotPlain
        if values is not None:
            raise _NotPlain  # a row left open: the chunk was cut inside one
        later.fill()
        self.rows[done:] = [(number, tuple(values)) for number, values in self.rows[done:]]

    def _value(self, kind: bytes, style: bytes, value: bytes, is_open: bytes,
               inline: bytes) -> Any:
        if kind == b"inlineStr":
            if not is_open:
                return None  # no <is>: no text
            text = _text(inline)
            return self.texts.setdefault(text, text)
        return typed_value(self.book, _KINDS.get(kind) or kind.decode(), _text(value) or None,
                           style)

    def _end_row(self, number: int, values: list[Any]) -> None:
        # openpyxl's streaming reader walks row numbers upwards: a row numbered at or above
        # one it has passed is skipped, as are the rows above the first one asked for. The
        # row is kept as a list till its time stamps are filled in (a stamp to come is not
        # None meanwhile: ``_Stamps.add``).
        if number < self.first_row or number <= self.last_seen:
            return
        self.last_seen = number
        if any(v is not None for v in values):
            self.rows.append((number, values))  # type: ignore[arg-type] - a tuple by _rows' end


class _Stamps:
    """The time stamps of a stretch of rows, read together as from_excel reads each one: its
    day's midnight plus the time to the millisecond, in from_excel's own arithmetic (the same
    float operations, done by numpy over all of them at once). A call per stamp took 3-4 us,
    and a 50,000-row register holds over 300,000 of them. Serial numbers from 1900-03-01 to
    the year 9000 only; anything else (the days Excel counts from the wrong leap year, the far
    past and future) is read by typed_value itself."""

    _TO_COME = object()  # in a row till ``fill``

    def __init__(self, scan: _Scan) -> None:
        self.scan = scan
        self.cells: list[tuple[list[Any], int, bytes, bytes]] = []  # row, place, kind, style
        self.texts: list[bytes] = []

    def add(self, values: list[Any], at: int, value: bytes, kind: bytes, style: bytes) -> None:
        values[at] = self._TO_COME
        self.cells.append((values, at, kind, style))
        self.texts.append(value)

    def fill(self) -> None:
        if not self.texts:
            return
        numbers = np.fromiter(map(float, self.texts), dtype=np.float64, count=len(self.texts))
        with np.errstate(invalid="ignore"):  # inf and nan: not inside, read by typed_value
            day, fraction = np.divmod(numbers, 1.0)
        milliseconds = np.round(fraction * SECS_PER_DAY * 1000)  # half to even, as round()
        inside = (numbers >= 60) & (numbers < 2_600_000)
        epoch = np.datetime64(self.scan.book.epoch, "ms")
        moments = (epoch + np.where(inside, day, 0).astype("timedelta64[D]")
                   + np.where(inside, milliseconds, 0).astype("timedelta64[ms]")).tolist()
        for (values, at, kind, style), moment, usual, text in zip(
                self.cells, moments, inside.tolist(), self.texts, strict=True):
            values[at] = moment if usual else self.scan._value(kind, style, text, b"", b"")


def _text(raw: bytes) -> str:
    """Element text as an XML parser gives it: line ends normalised, references replaced."""
    text = raw.decode("utf-8")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "&" in text:
        if text.count("&") != len(_ENTITY.findall(text)):
            raise _NotPlain  # an ampersand that is no reference: malformed, for expat to say
        text = _ENTITY.sub(_reference, text)
    return text


def _reference(found: re.Match[str]) -> str:
    name, decimal, hexadecimal = found.groups()
    if name:
        return _NAMED[name]
    code = int(decimal) if decimal else int(hexadecimal, 16)
    if not (code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD
            or 0x10000 <= code <= 0x10FFFF):
        raise _NotPlain  # a character XML does not allow
    return chr(code)
