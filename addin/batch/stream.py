"""Large registers without an object per cell: openpyxl holds only the top rows of a big sheet.

openpyxl keeps every cell of a loaded sheet as an object, which on a 50,000-row register is most of
a run's memory and time. A run only edits a few things in place (the header, the register's
formats, the settings sheets, the sheets it rebuilds), so a big sheet is cut: openpyxl loads its
first ``KEEP_ROWS`` rows, the rows below are read by the expat reader (sheetxml.py, which gives
what openpyxl's streaming reader gives; plain rows by rowscan.py, which gives the same), and on
saving they are copied from the original file as they were, with the run's new values written
into them.

Copied rows keep their style numbers: openpyxl writes a workbook's cell formats back in the order
it read them (and adds new ones at the end), so a number still names the same format. Copied text
cells point into the original shared-strings part, which is carried over beside openpyxl's own
inline text.

A sheet is cut only when its XML is laid out plainly and openpyxl puts nothing below the cut
(hyperlinks, comments and merged cells make cells there); otherwise the workbook is loaded whole,
as it always was.
"""

from __future__ import annotations

import contextlib
import io
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from openpyxl.reader.excel import ExcelReader
from openpyxl.utils.cell import range_boundaries
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.constants import SHARED_STRINGS

from .cutparts import (
    dimension_last_col,
    free_name,
    insert_before,
    root_tag,
    strings_override,
    strings_part,
    strings_rel,
    widened,
    with_prefixes,
)
from .cutrows import KEEP_ROWS, RowsBelow, _Styles, _write_edited_rows
from .safety import sheet_parts
from .safety.saving import close_archives
from .sheetxml import read_shared_strings, rows_below
from .zipcopy import ZipSource, ZipWriter, batched

CHUNK = 1 << 20  # bytes inflated at a time while streaming a sheet

_DATA_OPEN = re.compile(rb"<sheetData\b[^>]*?(/?)>")
_ROW = re.compile(rb"\s*<row\b[^>]*?(/?)>")  # a row's start tag, and whether it ends there
_ROW_NUMBER = re.compile(rb'<row\b[^>]*?\sr="(\d+)"')
_DATA_SPLIT = re.compile(rb"<sheetData\b[^>]*?/>|<sheetData\b[^>]*?>(.*?)</sheetData>", re.S)
_FORMULA = re.compile(rb"<f\b[^>]*>")
_SHARED_INDEX = re.compile(rb'\ssi="(\d+)"')
# Merged ranges and links after the cells: openpyxl makes cells of those it reads.
_RANGE_REFS = re.compile(rb'<(?:\w+:)?(?:mergeCell|hyperlink)\b[^>]*?\sref="([^"]*)"')
_LAST_ROW_OF_RANGE = re.compile(rb"(\d+)$")
# Cell attributes that point into parts openpyxl does not keep (rich values, dynamic arrays).
_METADATA = (b' cm="', b' vm="')


class _NotPlain(Exception):
    """A sheet's XML is not laid out the way cutting needs; the sheet is loaded whole."""


@dataclass
class CutSheet:
    """A sheet of which openpyxl holds only the top rows."""

    title: str
    part: str  # its part in the original file ("" for a sheet the original lacks or keeps whole)
    last_row: int
    last_col: int  # per the original's dimension; 0 when it has none
    root: bytes = b""  # the original's <worksheet ...> start tag, for its namespace prefixes
    last_filled: int = 0  # the last row holding a value (or a formula)


@dataclass
class CutBook:
    """A workbook loaded with its big sheets cut short, which saves as the whole workbook."""

    wb: Workbook
    source: Path
    sheets: dict[str, CutSheet]
    strings: str | None  # the original's shared-strings part
    below: dict[str, RowsBelow] = field(default_factory=dict)

    def rows_below(self, title: str, first_col: int, last_col: int
                   ) -> list[tuple[int, tuple[Any, ...]]] | None:
        """The rows of a cut sheet under the kept top that hold a value, as (row number, values
        from ``first_col`` to ``last_col``); None when the sheet was not cut."""
        if title not in self.sheets:
            return None
        return rows_below(self.source, self.sheets[title].part, KEEP_ROWS + 1, first_col,
                          last_col)

    def edits(self, title: str) -> RowsBelow | None:
        """Where a run puts its values for the rows under the top of ``title``; None when the
        sheet was not cut (openpyxl holds all of it)."""
        if title not in self.sheets:
            return None
        return self.below.setdefault(title, RowsBelow(title))

    def added(self, title: str) -> RowsBelow:
        """Where a run puts the rows it adds to ``title`` under every row there is: cells that
        are written as XML on saving, not made into openpyxl's objects (a first run logs a
        creation event per case). Below the kept top of a cut sheet, else below openpyxl's last
        row."""
        if title in self.sheets:
            return self.below.setdefault(title, RowsBelow(title))
        taken = max((row for row, _ in self.wb[title]._cells), default=0)
        return self.below.setdefault(title, RowsBelow(title, first_row=taken + 1))

    def rewritten(self, title: str) -> RowsBelow:
        """Where a run puts every row of ``title``, which it rewrites whole: openpyxl's cells of
        the sheet are dropped and the original's rows are not copied."""
        self.wb[title]._cells.clear()
        self.below[title] = RowsBelow(title, first_row=1, fresh=True)
        return self.below[title]

    def last_filled(self, title: str) -> int:
        """The last row of ``title`` holding a value, openpyxl's cells and the cut rows alike."""
        held = max((row for (row, _), cell in self.wb[title]._cells.items()
                    if cell.value is not None), default=0)
        sheet = self.sheets.get(title)
        return max(held, sheet.last_filled if sheet else 0)

    def save(self, path: Path | str) -> None:
        """Write the whole workbook: openpyxl's part, then the cut rows spliced back in."""
        path = Path(path)
        with tempfile.TemporaryDirectory(dir=path.parent, prefix=".cut-") as folder:
            rows: dict[str, Path] = {}
            with zipfile.ZipFile(self.source) as original:
                for n, (title, below) in enumerate(self.below.items()):
                    if not below.numbers() and not below.fresh:
                        continue  # copied from the original as it was
                    rows[title] = Path(folder) / f"rows{n}.xml"
                    sheet = self.sheets.get(title)
                    with rows[title].open("wb") as out, contextlib.ExitStack() as stack:
                        pieces = () if below.fresh or sheet is None else \
                            _pieces(stack.enter_context(original.open(sheet.part)))
                        _write_edited_rows(pieces, out, below, _Styles(self.wb[title]))
            top = Path(folder) / "top.zip"
            self.wb.save(top)
            self._assemble(top, rows, path)

    def _assemble(self, top_path: Path, rows: dict[str, Path], path: Path) -> None:
        """The new file: openpyxl's parts copied as the bytes it compressed, the cut sheets with
        their rows below put back (deflated anew: they are new parts), and the original's
        shared strings copied as they were stored."""
        with zipfile.ZipFile(top_path) as top, zipfile.ZipFile(self.source) as original, \
                ZipSource(top_path) as top_bytes, ZipSource(self.source) as original_bytes, \
                ZipWriter(path) as out:
            parts = sheet_parts(top)
            spliced = {title: self.sheets.get(title) or CutSheet(title, "", 0, 0)
                       for title in (*self.sheets, *rows)}
            cut = {parts[title]: sheet for title, sheet in spliced.items()}
            names = set(top.namelist())
            strings = free_name(names, "xl/sharedStrings.xml") if self.strings else None
            for info in top_bytes.entries:
                name = info.filename
                if name in cut:
                    sheet = cut[name]
                    out.write(name, batched(_spliced(top.read(info), original, sheet,
                                                      self.below.get(sheet.title),
                                                      rows.get(sheet.title))))
                elif strings and name == "[Content_Types].xml":
                    out.write(name, insert_before(top.read(info), b"</Types>",
                                                   strings_override(strings)))
                elif strings and name == "xl/_rels/workbook.xml.rels":
                    data = top.read(info)
                    out.write(name, insert_before(data, b"</Relationships>",
                                                   strings_rel(data, strings)))
                else:
                    out.copy(top_bytes, info)
            if strings and self.strings:
                out.copy(original_bytes, original.getinfo(self.strings), strings)


def _spliced(xml: bytes, original: zipfile.ZipFile, sheet: CutSheet, edited: RowsBelow | None,
             rows: Path | None) -> Iterator[bytes]:
    """A sheet's XML: openpyxl's ``xml`` with the rows below what it holds put in, from
    ``rows`` (already edited) when the run wrote there, else (a cut sheet) from the original."""
    found = _DATA_SPLIT.search(xml)
    if found is None:
        raise ValueError(f"openpyxl wrote {sheet.title} without cells")
    head, kept, tail = xml[:found.start()], found.group(1) or b"", xml[found.end():]
    fresh = edited is not None and edited.fresh
    last_row, last_col = (0, 0) if fresh else (sheet.last_row, sheet.last_col)
    if edited is not None:
        written_row, written_col = edited.extent()
        last_row, last_col = max(last_row, written_row), max(last_col, written_col)
    head = with_prefixes(widened(head, last_row, last_col), sheet.root)
    yield head + b"<sheetData>" + kept
    if rows is not None:
        with rows.open("rb") as src:
            yield from iter(lambda: src.read(CHUNK), b"")
    elif sheet.part:
        with original.open(sheet.part) as src:
            yield from (piece for number, piece in _pieces(src) if number > KEEP_ROWS)
    yield b"</sheetData>" + tail


def open_cut(path: Path, keep_vba: bool, whole: Callable[[str], bool],
             shared: list[str] | None = None) -> CutBook | None:
    """``path`` loaded with its big sheets cut short; None when no sheet needs or allows it.

    ``whole(title)`` names the sheets that must be loaded whole whatever their size (the settings
    sheets the run reads, the sheets it rebuilds). ``shared``: the file's shared strings, when
    the caller read them already (sheetxml.Workbook).
    """
    with zipfile.ZipFile(path) as archive:
        cut, light = {}, {}
        for title, part in sheet_parts(archive).items():
            if whole(title):
                continue
            with archive.open(part) as stream:
                done = _cut(stream)
            if done is not None:
                light[part], last_row, last_col, last_filled = done
                cut[title] = CutSheet(title, part, last_row, last_col, root_tag(light[part]),
                                      last_filled)
        if not cut:
            return None
        package = io.BytesIO()
        with zipfile.ZipFile(package, "w", zipfile.ZIP_STORED) as out:
            for info in archive.infolist():
                out.writestr(info.filename, light.get(info.filename) or archive.read(info))
        strings = strings_part(archive)
    reader = _Reader(package, keep_vba=keep_vba, rich_text=False, strings=shared)
    try:
        reader.read()
    except Exception:
        close_archives(reader)  # a damaged sheet: no zip left for the collector to fail on
        raise
    wb = reader.wb
    unclean = {title for title in cut if not _cut_cleanly(wb[title])}
    if unclean:  # load those whole (a small card with merged cells), still cut the big register
        close_archives(wb)
        return open_cut(path, keep_vba, lambda t: whole(t) or t in unclean, shared) \
            if len(unclean) < len(cut) else None
    return CutBook(wb, path, cut, strings)


class _Reader(ExcelReader):
    """openpyxl's load, with the shared strings read by the expat reader (or handed over read):
    it gives the very strings openpyxl's own reading gives (sheetxml's differential tests hold it
    to that), in a fraction of the time, and a big register's strings were most of the load."""

    def __init__(self, *args: Any, strings: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.given = strings

    def read_strings(self) -> None:
        found = self.package.find(SHARED_STRINGS)
        if found is not None:
            self.shared_strings = self.given if self.given is not None else \
                read_shared_strings(self.archive, found.PartName[1:])


def _cut(stream: IO[bytes]) -> tuple[bytes, int, int, int] | None:
    """A sheet's XML with only its top rows, its last row, the last column its dimension names
    and its last row holding a value; None when nothing lies below the top rows or the sheet
    cannot be cut."""
    kept: list[bytes] = []
    last_row, last_col, last_filled = 0, 0, 0
    masters: set[bytes] = set()  # shared formulas defined in the kept rows
    try:
        for number, piece in _pieces(stream):
            if number == 0:
                last_col = dimension_last_col(piece)
            if number == -1 and _reaches_below_top(piece):
                return None
            if number <= KEEP_ROWS:
                kept.append(piece)
                masters.update(_shared_formulas(piece, masters=True))
                last_filled = number if number > 0 and _filled(piece) else last_filled
                continue
            if any(mark in piece for mark in _METADATA):
                return None
            # openpyxl turns the kept rows' shared formulas into plain ones, which would leave
            # the copied cells that share them pointing at nothing.
            if masters and not masters.isdisjoint(_shared_formulas(piece)):
                return None
            last_row = number
            last_filled = number if _filled(piece) else last_filled
    except _NotPlain:
        return None
    if not last_row:
        return None
    return b"".join(kept), last_row, last_col, last_filled


def _filled(row: bytes) -> bool:
    """Whether a row's XML holds a value, inline text or a formula."""
    return b"<v>" in row or b"<is>" in row or b"<f" in row


def _reaches_below_top(tail: bytes) -> bool:
    """Whether a merged range or a link after a sheet's cells reaches below the kept rows:
    openpyxl would make cells there, so the sheet is loaded whole (found here, before the load,
    rather than by loading the workbook a second time)."""
    for ref in _RANGE_REFS.findall(tail):
        last = _LAST_ROW_OF_RANGE.search(ref.split(b":")[-1].strip())
        if last is None or int(last.group(1)) > KEEP_ROWS:
            return True
    return False


def _shared_formulas(piece: bytes, masters: bool = False) -> set[bytes]:
    """The shared-formula numbers (si) a row uses; with ``masters``, those it defines."""
    if b'"shared"' not in piece:
        return set()
    found = set()
    for tag in _FORMULA.findall(piece):
        si = _SHARED_INDEX.search(tag)
        if b't="shared"' in tag and si and (not masters or b" ref=" in tag):
            found.add(si.group(1))
    return found


def _cut_cleanly(ws: Worksheet) -> bool:
    """Nothing openpyxl holds for the sheet lies below the kept rows, tables' headers included."""
    if any(row > KEEP_ROWS for row, _ in ws._cells):
        return False
    return all(range_boundaries(t.ref)[1] <= KEEP_ROWS for t in ws.tables.values())


def _pieces(stream: IO[bytes]) -> Iterator[tuple[int, bytes]]:
    """A sheet's XML in order: (0, everything up to and including <sheetData>), then (row
    number, the row with the blank before it) per row, then (-1, everything from </sheetData>).

    Reads in chunks, so a sheet of any size streams through in little memory. Raises _NotPlain
    when rows lack numbers or come out of order, or the XML uses prefixed element names.
    A row (or a head) longer than a chunk is gathered until its end tag has arrived and only then
    joined and matched, so each byte is scanned a bounded number of times: matching again over
    the growing buffer after every chunk made one huge row take quadratic time.
    """
    buf = _until(stream, b"", b"<sheetData")
    at = buf.find(b"<sheetData")
    while (opening := _DATA_OPEN.search(buf, at)) is None:  # its tag is split between chunks
        buf = _until(stream, buf, b">")
    if opening.group(1):  # <sheetData/>: no rows at all
        raise _NotPlain
    yield 0, buf[:opening.end()]
    buf, pos, last = buf[opening.end():], 0, 0
    while True:
        # The row's start tag by pattern, its end by a plain search: a lazy pattern over the
        # whole row cost a pass of the regular-expression engine over every byte of the sheet.
        row = _ROW.match(buf, pos)
        end = -1 if row is None else row.end() if row.group(1) else buf.find(b"</row>", row.end())
        if end >= 0:
            end += 0 if row.group(1) else len(b"</row>")
            number = _ROW_NUMBER.search(buf, row.start(), row.end())
            if number is None or int(number.group(1)) <= last:
                raise _NotPlain
            last = int(number.group(1))
            yield last, buf[pos:end]
            pos = end
            continue
        rest = buf[pos:]
        if rest.lstrip().startswith(b"</sheetData>"):
            yield -1, rest + b"".join(iter(lambda: stream.read(CHUNK), b""))
            return
        buf, pos = _until(stream, rest, b"</row>", b"</sheetData>"), 0


def _until(stream: IO[bytes], start: bytes, *marks: bytes) -> bytes:
    """``start`` and at least one more chunk, then more until one of ``marks`` has arrived in
    the new bytes. Raises _NotPlain when the stream ends first."""
    pieces, seen = [start], start[-16:]
    while True:
        chunk = stream.read(CHUNK)
        if not chunk:
            raise _NotPlain
        pieces.append(chunk)
        window = seen + chunk
        if any(mark in window for mark in marks):
            return b"".join(pieces)
        seen = chunk[-16:]
