"""Register values written by their type, never through a guess.

Text that starts with ``=`` stays text (a complaint copied from a file is never run as a formula),
characters no workbook can hold are dropped, and a date keeps a date format even in a column that
has none. The calls are the ones XlsxWriter's own table writer makes for the same values, so the
committed workbook's bytes do not depend on which of the two wrote its examples.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from addin.layout.cells import cell_value, storable_text

from .styles import DATE_FORMAT, DATETIME_FORMAT, Styles


class CellWriter:
    """Writes register values by type, with the column's body format."""

    def __init__(self, ws: Any, columns: Sequence[Any], styles: Styles) -> None:
        self.ws = ws
        self.formats = [styles.cell(c.number_format, c.written) for c in columns]
        # A date in a column without a date format still reads as a date, not a serial number.
        self.dates = [(styles.cell(c.number_format or DATETIME_FORMAT, c.written),
                       styles.cell(c.number_format or DATE_FORMAT, c.written)) for c in columns]

    def rows(self, first_row: int, rows: Sequence[Sequence[Any]]) -> None:
        """``rows`` from zero-based sheet row ``first_row`` down, from column A."""
        for i, row in enumerate(rows, first_row):
            for j, value in enumerate(row):
                self.cell(i, j, value)

    def cell(self, row: int, col: int, value: Any) -> None:
        ws, fmt = self.ws, self.formats[col]
        if value.__class__ is not str:
            value = cell_value(value)
        if value is None or value == "":
            if fmt is not None:  # a blank cell of a grey column stays grey
                ws.write_blank(row, col, None, fmt)
        elif isinstance(value, str):
            ws.write_string(row, col, storable_text(value), fmt)
        elif isinstance(value, bool):
            ws.write_boolean(row, col, value, fmt)
        elif isinstance(value, int | float):
            ws.write_number(row, col, value, fmt)
        elif isinstance(value, dt.datetime | dt.date):
            timed = isinstance(value, dt.datetime) and value.time() != dt.time()
            ws.write_datetime(row, col, value, self.dates[col][0 if timed else 1])
        else:  # anything else reads as its text
            ws.write_string(row, col, storable_text(str(value)), fmt)
