"""Cell formats of the built workbook, made once per workbook (XlsxWriter formats belong to one).

Colours: the header blue of the batch door's own sheets, grey for the columns the add-in writes
(set apart so staff see they are not to be typed), yellow for the one cell staff fill on the Card.
"""

from __future__ import annotations

from typing import Any

from addin.layout.formats import DATE_FORMAT, DATETIME_FORMAT
from addin.layout.looks import HEADER_FILL

__all__ = ["DATETIME_FORMAT", "DATE_FORMAT", "Styles", "display_width"]

HEADER_BLUE = "#" + HEADER_FILL
TYPED_HEADER = "#BDD7EE"
WRITTEN_HEADER = "#595959"
WRITTEN_BODY = "#F2F2F2"
INPUT_YELLOW = "#FFF2CC"


def display_width(value: Any) -> int:
    """Characters as Excel lays them out: Chinese and full-width characters take two."""
    return sum(2 if "\u2e80" <= ch <= "\uffef" else 1 for ch in str(value))


class Styles:
    """Named formats; ``cell(kind, written)`` gives a register body format."""

    def __init__(self, wb: Any) -> None:
        add = wb.add_format
        self.header = add({"bold": True, "bg_color": HEADER_BLUE, "valign": "vcenter"})
        self.title = add({"bold": True, "font_size": 16})
        self.section = add({"bold": True, "font_size": 12})
        self.wrap = add({"text_wrap": True, "valign": "top"})
        self.note = add({"italic": True, "font_color": "#5F6B7A"})
        self.left = add({"align": "left"})
        self.date = add({"num_format": DATE_FORMAT, "align": "left"})
        self.datetime = add({"num_format": DATETIME_FORMAT, "align": "left"})
        self.written_header = add({"bold": True, "font_color": "#FFFFFF",
                                   "bg_color": WRITTEN_HEADER, "valign": "vcenter",
                                   "bottom": 1, "bottom_color": "#8EA9DB"})
        self.typed_header = add({"bold": True, "font_color": "#1F3864", "bg_color": TYPED_HEADER,
                                 "valign": "vcenter", "bottom": 1, "bottom_color": "#8EA9DB"})
        self._cells: dict[tuple[str | None, bool], Any] = {}
        self._wb = wb

    def cell(self, number_format: str | None, written: bool) -> Any:
        """The body format of a register column (None: no format needed)."""
        key = (number_format, written)
        if key not in self._cells:
            spec: dict[str, Any] = {}
            if number_format:
                spec["num_format"] = number_format
                spec["align"] = "left"
            if written:
                spec.update(bg_color=WRITTEN_BODY, font_color="#404040")
            self._cells[key] = self._wb.add_format(spec) if spec else None
        return self._cells[key]
