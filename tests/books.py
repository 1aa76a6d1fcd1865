"""Small workbooks for the batch door's tests, written and read back as a file would be."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet


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
