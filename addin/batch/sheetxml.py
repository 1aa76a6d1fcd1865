"""The register's rows straight from the sheet XML, parsed by expat, with openpyxl's values.

openpyxl's streaming reader builds an element tree and a dict per cell; on a 50,000-row register
that is most of a run's load time. This reader feeds the zipped sheet part to expat (a C parser)
a chunk at a time and keeps only the rows asked for, so memory stays bounded by the shared
strings and one chunk.

It must hand the core exactly what ``load_workbook(read_only=True, rich_text=False)`` gives for
the same cells, because the rows above the cut come from openpyxl and the two meet in one table:
text from shared strings (runs joined, phonetic hints left out) and inline strings, numbers as int
when the XML has no decimal point or exponent, serial numbers as datetime/time/timedelta when the
cell's style has a date format (openpyxl's own tests of the format decide), booleans, error codes
as text, formulas as ``"=..."`` with shared formulas translated to each cell. Where openpyxl
applies a quirk (``x005F_`` removed from shared strings, a date out of range read as ``#VALUE!``)
this reader applies the same one.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree
from xml.parsers import expat

from openpyxl.formula.translate import Translator
from openpyxl.styles.numbers import builtin_format_code, is_date_format, is_timedelta_format
from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import CALENDAR_MAC_1904, WINDOWS_EPOCH, from_excel, from_ISO8601
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

CHUNK = 1 << 20  # bytes inflated and parsed at a time

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_CONTENT_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_STRINGS_TYPE = "spreadsheetml.sharedStrings+xml"
_WORKBOOK_TYPES = ("spreadsheetml.sheet.main+xml", "spreadsheetml.template.main+xml",
                   "ms-excel.sheet.macroEnabled.main+xml",
                   "ms-excel.template.macroEnabled.main+xml")
_ROW, _CELL, _VALUE, _FORMULA = _MAIN + "row", _MAIN + "c", _MAIN + "v", _MAIN + "f"
_TEXT, _RUN, _PHONETIC = _MAIN + "t", _MAIN + "r", _MAIN + "rPh"
_INLINE, _STRING_ITEM = _MAIN + "is", _MAIN + "si"
_SHEET_DATA = _MAIN + "sheetData"

Row = tuple[int, tuple[Any, ...]]


class _Refused(ValueError):
    """The XML declares entities, which no spreadsheet needs (and openpyxl refuses too)."""


def _new_parser() -> expat.XMLParserType:
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    parser.buffer_size = 1 << 16

    def refuse(*_: Any) -> None:
        raise _Refused("entity declarations are not allowed in a workbook part")

    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    return parser


def _feed(parser: expat.XMLParserType, archive: zipfile.ZipFile, part: str) -> Iterator[None]:
    """Parse ``part`` a chunk at a time, pausing after each chunk so the caller can take what
    the handlers collected."""
    with archive.open(part) as stream:
        while chunk := stream.read(CHUNK):
            parser.Parse(chunk, False)
            yield
    parser.Parse(b"", True)
    yield


class _Text:
    """The text of a shared or inline string as openpyxl's ``Text.content`` gives it: the plain
    ``<t>`` first, then each run's ``<t>``; phonetic hints (``<rPh>``) are not text."""

    __slots__ = ("plain", "runs", "in_run", "in_phonetic", "run_text")

    def __init__(self) -> None:
        self.plain: str | None = None
        self.runs: list[str] = []
        self.in_run = self.in_phonetic = False
        self.run_text: str | None = None

    def start(self, name: str) -> None:
        if name == _RUN:
            self.in_run, self.run_text = True, None
        elif name == _PHONETIC:
            self.in_phonetic = True

    def end(self, name: str, text: str) -> None:
        if name == _TEXT and not self.in_phonetic:
            if self.in_run:
                self.run_text = text
            else:
                self.plain = text
        elif name == _RUN:
            if self.run_text is not None:
                self.runs.append(self.run_text)
            self.in_run = False
        elif name == _PHONETIC:
            self.in_phonetic = False

    def content(self) -> str:
        return (self.plain or "") + "".join(self.runs)


def read_shared_strings(archive: zipfile.ZipFile, part: str | None) -> list[str]:
    """The workbook's shared strings, as openpyxl reads them without rich text."""
    if part is None:
        return []
    strings: list[str] = []
    parser = _new_parser()
    pieces: list[str] = []
    parser.CharacterDataHandler = pieces.append
    item = _Text()

    def start(name: str, _attrs: dict[str, str]) -> None:
        nonlocal item
        if name == _TEXT:
            pieces.clear()
        elif name == _STRING_ITEM:
            item = _Text()
        else:
            item.start(name)

    def end(name: str) -> None:
        if name == _STRING_ITEM:
            strings.append(item.content().replace("x005F_", ""))
        else:
            item.end(name, "".join(pieces) if name == _TEXT else "")

    parser.StartElementHandler, parser.EndElementHandler = start, end
    for _ in _feed(parser, archive, part):
        pass
    return strings


class DateStyles:
    """Which cell formats (by their index, the cell's ``s``) show dates and which durations,
    decided by openpyxl's own tests of the number format."""

    def __init__(self, dates: set[int], durations: set[int]) -> None:
        self.dates, self.durations = dates, durations

    @classmethod
    def read(cls, archive: zipfile.ZipFile) -> DateStyles:
        # openpyxl reads the styles from this fixed name; so does this reader, to agree with it.
        try:
            root = ElementTree.fromstring(archive.read("xl/styles.xml"))
        except KeyError:
            return cls(set(), set())
        custom = {int(f.get("numFmtId", "0")): f.get("formatCode", "")
                  for f in root.iter(f"{{{_MAIN}numFmt")}
        dates, durations = set(), set()
        cell_formats = root.find(f"{{{_MAIN}cellXfs")
        for index, xf in enumerate(cell_formats if cell_formats is not None else ()):
            number = int(xf.get("numFmtId", "0"))
            code = custom[number] if number in custom else builtin_format_code(number)
            if is_date_format(code):
                dates.add(index)
            if is_timedelta_format(code):
                durations.add(index)
        return cls(dates, durations)


def _content_types(archive: zipfile.ZipFile) -> dict[str, str]:
    """Part name -> content type, from the package's overrides."""
    root = ElementTree.fromstring(archive.read("[Content_Types].xml"))
    return {o.get("PartName", "").lstrip("/"): o.get("ContentType", "")
            for o in root.iter(f"{_CONTENT_TYPES}Override")}


def _epoch(archive: zipfile.ZipFile, types: dict[str, str]) -> Any:
    book = next((name for name, kind in types.items() if kind.endswith(_WORKBOOK_TYPES)),
                "xl/workbook.xml")
    root = ElementTree.fromstring(archive.read(book))
    props = root.find(f"{{{_MAIN}workbookPr")
    flag = props.get("date1904") if props is not None else None
    # openpyxl's Bool: the strings false, f and 0 are false, any other non-empty text true.
    return CALENDAR_MAC_1904 if flag and flag not in ("false", "f", "0") else WINDOWS_EPOCH


class Workbook:
    """What reading a sheet's cells needs from the rest of the package, read once."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        types = _content_types(archive)
        strings = next((n for n, kind in types.items() if kind.endswith(_STRINGS_TYPE)), None)
        self.strings = read_shared_strings(archive, strings)
        self.styles = DateStyles.read(archive)
        self.epoch = _epoch(archive, types)


def typed_value(book: Workbook, kind: str, text: str | None, style: Any) -> Any:
    """A cell's value, as openpyxl reads it, from its type (``t``), its ``<v>`` text (None when
    empty) and its format number (``s``)."""
    if text is None:
        return None
    if kind == "n":
        number = _cast_number(text)
        style = int(style or 0)
        if style not in book.styles.dates:
            return number
        try:
            return from_excel(number, book.epoch, timedelta=style in book.styles.durations)
        except (OverflowError, ValueError):
            return "#VALUE!"  # what openpyxl reads for a date serial out of range
    if kind == "s":
        return book.strings[int(text)]
    if kind == "b":
        return bool(int(text))
    if kind == "d":
        return from_ISO8601(text)
    return text  # "str" (a formula's cached text), "e" (an error code) and unknown kinds


def _cast_number(text: str) -> int | float:
    return float(text) if "." in text or "E" in text or "e" in text else int(text)


def _row_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        number = float(text)
        if not number.is_integer():
            raise ValueError(f"{text} is not a valid row number") from None
        return int(number)


class _SheetParser:
    """expat handlers that turn one worksheet's cells into rows of values."""

    def __init__(self, book: Workbook, first_row: int, first_col: int, last_col: int,
                 parser: expat.XMLParserType) -> None:
        self.book, self.parser = book, parser
        self.first_row, self.first_col, self.last_col = first_row, first_col, last_col
        self.done: list[Row] = []  # rows finished since the caller last took them
        self.row_number = self.col = self.last_seen = 0
        self.values: list[Any] = []
        self.cell: dict[str, str] = {}
        self.value: str | None = None
        self.formula: dict[str, str] | None = None
        self.inline = False  # within the cell's inline string (<is>)
        self.plain: str | None = None  # the inline string's plain <t>
        self.rich: _Text | None = None  # the inline string, once it shows runs or hints
        # Character data goes into one list, emptied where a <v>, <t> or <f> starts: text
        # between elements only waits there until then.
        self.pieces: list[str] = []
        parser.CharacterDataHandler = self.pieces.append
        self.shared: dict[str, Translator] = {}
        self.texts: dict[str, str] = {}
        self.columns: dict[str, int] = {}

    def start(self, name: str, attrs: dict[str, str]) -> None:
        # Most frequent first: every cell has a <c>, and a <v> or an inline string's <t>.
        if name == _CELL:
            self.cell, self.value, self.formula = attrs, None, None
            self.inline, self.plain, self.rich = False, None, None
        elif name == _VALUE or name == _TEXT:
            self.pieces.clear()
        elif name == _INLINE:
            self.inline = True
        elif name == _ROW:
            r = attrs.get("r")
            self.row_number = _row_number(r) if r is not None else self.row_number + 1
            self.col = 0
            self.values = [None] * (self.last_col - self.first_col + 1)
        elif name == _FORMULA:
            self.formula = attrs
            self.pieces.clear()
        elif self.inline:
            # Runs or phonetic hints: only then is the inline string's text put together
            # the long way.
            if self.rich is None:
                self.rich = _Text()
                self.rich.plain = self.plain
            self.rich.start(name)

    def end(self, name: str) -> None:
        if name == _CELL:
            self._end_cell()
        elif name == _TEXT:
            if self.rich is not None:
                self.rich.end(name, "".join(self.pieces))
            elif self.inline:
                self.plain = "".join(self.pieces)
        elif name == _VALUE:
            if self.value is None:  # only the first <v> counts, as ElementTree's findtext sees it
                self.value = "".join(self.pieces)
        elif name == _ROW:
            self._end_row()
        elif name == _FORMULA:
            self.formula = {**(self.formula or {}), "": "".join(self.pieces)}
        elif name == _SHEET_DATA:
            self.after_cells()
        elif self.rich is not None:
            self.rich.end(name, "")

    def after_cells(self) -> None:
        """Called at the end of the cells; what follows them is not read here."""

    def _end_cell(self) -> None:
        ref = self.cell.get("r")
        if ref:
            letters = ref.rstrip("0123456789")
            col = self.columns.get(letters)
            if col is None:
                col = self.columns[letters] = column_index_from_string(letters)
            self.col = col
        else:
            self.col += 1
        if self.formula is not None:
            value = self._formula(ref)
        elif self.first_col <= self.col <= self.last_col:
            value = self._value()
        else:
            return
        if self.first_col <= self.col <= self.last_col:
            self.values[self.col - self.first_col] = value

    def _value(self) -> Any:
        kind = self.cell.get("t", "n")
        if kind == "inlineStr":
            if not self.inline:
                return None
            text = self.rich.content() if self.rich is not None else self.plain or ""
            # Registers repeat the same words (channels, statuses, categories) down a column;
            # one object per distinct text keeps a big register's memory near its distinct text.
            return self.texts.setdefault(text, text)
        return typed_value(self.book, kind, self.value or None, self.cell.get("s"))

    def _formula(self, ref: str | None) -> Any:
        attrs = dict(self.formula or {})
        value = "=" + attrs.pop("", "")
        kind = attrs.get("t")
        if kind == "array":
            return ArrayFormula(ref=attrs.get("ref"), text=value)
        if kind == "dataTable":
            return DataTableFormula(**attrs)
        if kind == "shared":
            index = attrs.get("si")
            if index in self.shared:
                return self.shared[index].translate_formula(ref)
            if value != "=":
                self.shared[index] = Translator(value, ref)
        return value

    def _end_row(self) -> None:
        number = self.row_number
        # openpyxl's streaming reader walks row numbers upwards: a row numbered at or above
        # one it has passed is skipped, as are the rows above the first one asked for.
        if number < self.first_row or number <= self.last_seen:
            return
        self.last_seen = number
        if any(v is not None for v in self.values):
            self.done.append((number, tuple(self.values)))


def iter_rows(archive: zipfile.ZipFile, part: str, first_row: int, first_col: int,
              last_col: int, book: Workbook | None = None) -> Iterator[Row]:
    """(row number, values from ``first_col`` to ``last_col``) for each row of sheet ``part``
    from ``first_row`` down that holds a value, in order, as openpyxl's streaming reader gives
    them. Values come a chunk of the sheet at a time."""
    book = book or Workbook(archive)
    parser = _new_parser()
    sheet = _SheetParser(book, first_row, first_col, last_col, parser)
    parser.StartElementHandler, parser.EndElementHandler = sheet.start, sheet.end
    for _ in _feed(parser, archive, part):
        yield from sheet.done
        sheet.done.clear()


def rows_below(path: Path | str, part: str, first_row: int, first_col: int,
               last_col: int) -> list[Row]:
    """The rows of sheet ``part`` of workbook ``path`` from ``first_row`` down that hold a value,
    as ``CutBook.rows_below`` gives them from openpyxl."""
    from .rowscan import scan_rows  # the quick reading of plain rows, which imports this module

    with zipfile.ZipFile(path) as archive:
        book = Workbook(archive)
        scanned = scan_rows(archive, part, book, first_row, first_col, last_col)
        if scanned is not None:
            return scanned[0]
        return list(iter_rows(archive, part, first_row, first_col, last_col, book))
