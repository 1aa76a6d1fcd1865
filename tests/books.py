"""Small workbooks for the batch door's tests, written and read back as a file would be."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

from addin.layout.sheets import CASE_LOG_NAMES, LOG_SHEET

# A register's headers in each language, with a column of the office's own (Internal memo)
# between card columns.
EN_HEADERS = ["Case No", "Received", "Channel", "Customer", "Internal memo", "Phone", "Email",
              "Complaint", "Status", "Handler"]
ZH_HEADERS = ["案件编号", "受理时间", "投诉渠道", "客户姓名", "内部备忘", "联系电话", "电子邮箱",
              "投诉内容", "处理状态", "处理人"]


def put_table(ws: Worksheet, headers: Sequence[Any], rows: Sequence[Sequence[Any]],
              header_row: int, first_col: int,
              style_header: Callable[[Cell], None] | None = None) -> None:
    """Headers at (header_row, first_col) and the rows under them; None leaves a cell empty."""
    for j, header in enumerate(headers):
        cell = ws.cell(header_row, first_col + j, header)
        if style_header is not None:
            style_header(cell)
    for i, row in enumerate(rows, 1):
        for j, value in enumerate(row):
            if value is not None:
                ws.cell(header_row + i, first_col + j, value)


def saved(wb: Workbook, tmp_path: Path, name: str = "book.xlsx") -> Workbook:
    """Save and reload, so tests read what openpyxl loads from a file, not what it built."""
    path = tmp_path / name
    wb.save(path)
    return load_workbook(path)


# What changes from one run to the next and is no difference: the dates openpyxl writes into
# docProps/core.xml, and the time of each run in the Log sheet's first column.
_PROPS_DATES = re.compile(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>")
_LOG_TIMES = re.compile(rb'(<c r="A(?!1")\d+"[^>]*>)<v>[^<]*</v>')
_CASE_LOG_TIMES = re.compile(rb'(<c r="B(?!1")\d+"[^>]*>)<v>[^<]*</v>')
_RELS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def saved_parts(path: Path) -> dict[str, bytes]:
    """A saved workbook part by part, with what differs between two runs' saves blanked."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    log = _part_of_sheet(parts, LOG_SHEET)
    case_log = next(filter(None, (_part_of_sheet(parts, n) for n in CASE_LOG_NAMES)), None)

    def blanked(name: str, data: bytes) -> bytes:
        if name == log:
            return _LOG_TIMES.sub(rb"\1<v/>", data)
        if name == case_log:  # the case log's Time column: when each run stamped its events
            return _CASE_LOG_TIMES.sub(rb"\1<v/>", data)
        return _PROPS_DATES.sub(b"", data)

    return {name: blanked(name, data) for name, data in parts.items()}


def _part_of_sheet(parts: dict[str, bytes], title: str) -> str | None:
    sheets = ElementTree.fromstring(parts["xl/workbook.xml"]).iter()
    ids = {s.get(_RELS) for s in sheets if s.tag.endswith("}sheet") and s.get("name") == title}
    rels = ElementTree.fromstring(parts["xl/_rels/workbook.xml.rels"])
    targets = [rel.get("Target", "") for rel in rels if rel.get("Id") in ids]
    return "xl/" + targets[0].removeprefix("/xl/") if targets else None
