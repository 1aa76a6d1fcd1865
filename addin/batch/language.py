"""Which language a file speaks, guessed cheaply, so the command line answers in it.

The guess is needed most when something went wrong, with a file that may be damaged, huge or
hostile, so it never opens a file whole: it reads the workbook's list of sheets and, only when
the sheet names do not tell, the first rows of the register's sheet; of a CSV file, the first
line. Every read is capped, and any file it cannot make sense of gives None ("cannot tell").
"""

from __future__ import annotations

import csv
import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from addin.core.fields import guess_language, match_headers
from addin.core.text import Lang
from addin.layout.sheets import sheet_role

HEAD_ROWS = 20  # the card's header row is looked for in a sheet's first 20 rows
MAX_BYTES = 4 << 20  # at most this much XML (inflated) or CSV is read for a guess
MIN_HEADERS = 2  # card headers a row needs to count as the header row
_CJK = re.compile(r"[\u3400-\u9fff]")
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_CANNOT_READ = (OSError, zipfile.BadZipFile, KeyError, ValueError, UnicodeError, ParseError,
                DefusedXmlException, csv.Error)


def file_lang(path: Path | str) -> Lang | None:
    """The language of a workbook or a CSV file, or None when it cannot be told."""
    path = Path(path)
    try:
        if path.suffix.lower() in {".csv", ".txt"}:
            return _csv_lang(path)
        return _workbook_lang(path)
    except _CANNOT_READ:
        return None


def headers_lang(rows: list[list[object]]) -> Lang | None:
    """The language of the card's header row among ``rows``; else of any Chinese in them."""
    best = max(rows, key=lambda row: len(match_headers(row)), default=[])
    if len(match_headers(best)) >= MIN_HEADERS:
        return Lang.of(guess_language(best))
    text = " ".join(str(v) for row in rows for v in row if v is not None)
    return Lang.ZH if _CJK.search(text) else (Lang.EN if text.strip() else None)


def _csv_lang(path: Path) -> Lang | None:
    from addin.importer import detect_encoding

    with path.open("rb") as stream:
        head = stream.read(64 << 10)
    # Whole lines only (a cut character would hide the encoding); the first is the header.
    head = head[:head.rfind(b"\n") + 1] or head
    first = next(csv.reader(io.StringIO(head.decode(detect_encoding(head)))), [])
    return headers_lang([first])


def _workbook_lang(path: Path) -> Lang | None:
    """From the register's header row; from the names of the card's sheets when it has none."""
    with zipfile.ZipFile(path) as archive:
        sheets = _sheets(archive)
        register = next((part for name, part in sheets.items()
                         if sheet_role(name) == "complaints"), next(iter(sheets.values()), None))
        said = headers_lang(_first_rows(archive, register)) if register else None
        known = [name for name in sheets if sheet_role(name) is not None]
        if said or not known:
            return said
        zh = sum(bool(_CJK.search(name)) for name in known)
        return Lang.ZH if zh * 2 > len(known) else Lang.EN


def _sheets(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its part in the zip, in the workbook's order."""
    targets = {el.get("Id"): el.get("Target", "")
               for el in _elements(archive, "xl/_rels/workbook.xml.rels", "Relationship")}
    sheets = {}
    for el in _elements(archive, "xl/workbook.xml", "sheet"):
        target = targets.get(el.get(_REL), "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join("xl", target))
        sheets[el.get("name", "")] = part
    return sheets


def _first_rows(archive: zipfile.ZipFile, part: str) -> list[list[object]]:
    rows: list[list[object]] = []
    wanted: dict[int, list[tuple[list[object], int]]] = {}
    for row in _elements(archive, part, "row", stop_after=HEAD_ROWS):
        values: list[object] = []
        for cell in row:
            text = "".join(t.text or "" for t in cell.iter() if _local(t.tag) in {"v", "t"})
            if cell.get("t") == "s" and text.strip().isdigit():
                wanted.setdefault(int(text), []).append((values, len(values)))
            values.append(text)
        rows.append(values)
    if wanted:  # shared strings: read only as far as the highest index the rows use
        for index, si in enumerate(_elements(archive, "xl/sharedStrings.xml", "si",
                                             stop_after=max(wanted) + 1)):
            for values, pos in wanted.get(index, ()):
                values[pos] = "".join(t.text or "" for t in si.iter() if _local(t.tag) == "t")
    return rows


def _elements(archive: zipfile.ZipFile, part: str, name: str,
              stop_after: int | None = None) -> Iterator[Element]:
    """The elements called ``name`` (any namespace) of one part, streamed, at most ``stop_after``
    of them and at most MAX_BYTES of inflated XML."""
    with archive.open(part) as raw:
        count = 0
        for _, el in iterparse(_Capped(raw), events=("end",)):
            if _local(el.tag) == name:
                yield el
                count += 1
                if stop_after is not None and count >= stop_after:
                    return


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


class _Capped(io.RawIOBase):
    """A stream that refuses to be read past MAX_BYTES (a part that inflates without end)."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream, self._read = stream, 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        chunk = self._stream.read(size if size and size > 0 else 64 << 10)
        self._read += len(chunk)
        if self._read > MAX_BYTES:
            raise ValueError("part too big for a language guess")
        return chunk
