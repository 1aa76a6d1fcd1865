"""Small workbooks for the batch door's tests, written and read back as a file would be."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

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
