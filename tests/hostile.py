"""Building hostile workbooks for the corpus: a small good register, then ways to spoil it.

Every builder writes into a folder it is given (a test's tmp_path) and stays small and quick: a
part that inflates past the limits is a few hundred kilobytes of compressed zeros.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook, load_workbook

TODAY = dt.date(2026, 3, 20)
HEADERS = ["Received", "Channel", "Customer", "Phone", "Complaint", "Status"]
ROWS = [
    [dt.datetime(2026, 3, 2, 9, 30), "Phone", "Li Wei", "13800138000", "Parcel late", "New"],
    [dt.datetime(2026, 3, 3, 14, 0), "Email", "Ann Lee", "02079460000", "Wrong size", "New"],
]
SHEET = "xl/worksheets/sheet1.xml"


def good_book(folder: Path, name: str = "card.xlsx",
              change: Callable[[Workbook], None] | None = None) -> Path:
    """A two-row register with a Settings sheet; ``change`` spoils the workbook before saving."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Complaints"
    ws.append(HEADERS)
    for row in ROWS:
        ws.append(row)
    settings = wb.create_sheet("Settings")
    settings.append(["Setting", "Value"])
    settings.append(["Language", "en"])
    if change is not None:
        change(wb)
    path = folder / name
    wb.save(path)
    return path


def typed_cells(path: Path) -> list[list[object]]:
    """What staff typed: the register's first columns, as openpyxl reads them."""
    ws = load_workbook(path)["Complaints"]
    return [[c.value for c in row] for row in ws.iter_rows(max_col=len(HEADERS))]


def rewrite(path: Path, parts: dict[str, bytes], *, stored: bool = False,
            extra: dict[str, bytes] | None = None) -> Path:
    """The workbook with some parts' bytes replaced (and some added), written again."""
    with zipfile.ZipFile(path) as original:
        items = [(info.filename, parts.get(info.filename, original.read(info)))
                 for info in original.infolist()]
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(path, "w", method) as out:
        for name, data in items + list((extra or {}).items()):
            out.writestr(name, data)
    return path


def part(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name)


def with_doctype(xml: bytes) -> bytes:
    """The part with an entity declared in a DOCTYPE (the start of a billion-laughs file)."""
    head, _, body = xml.partition(b"?>")
    doctype = (b'<!DOCTYPE lol [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>')
    return head + b"?>" + doctype + body if body else doctype + xml


def ole_file(encrypted: bool) -> bytes:
    """The start of an OLE compound file, with an EncryptionInfo stream or a Workbook one."""
    stream = "EncryptionInfo" if encrypted else "Workbook"
    return (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
            + stream.encode("utf-16-le") + b"\x00" * 1024)


def sheet_with_cells(count: int) -> bytes:
    cells = b'<c r="A1"/>' * count
    return (b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main"><sheetData><row r="1">' + cells
            + b"</row></sheetData></worksheet>")


def sheet_with_merge(ref: str, xml: bytes) -> bytes:
    return xml.replace(b"</worksheet>", b'<mergeCells count="1"><mergeCell ref="'
                       + ref.encode() + b'"/></mergeCells></worksheet>')


def put_long(ws, ref: str, text: str) -> None:
    """Text in a cell as another tool writes it: openpyxl's value setter cuts at 32,767
    characters, its writer does not, so the text goes in past the setter."""
    cell = ws[ref]
    cell._value = text
    cell.data_type = "s"
