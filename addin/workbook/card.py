"""The Card sheet: the printable complaint record card (客户投诉记录卡) of one case.

Staff pick a case number in the yellow cell; every field is a formula over the Complaints table
(structured references by header, so sorting, filtering or moving columns does not break it).
One helper cell beside the print area finds the case's row in the table. The layout follows the
handling steps of the card (``addin.layout.card``, shared with the printable HTML card):
receipt, complaint, assessment, deadlines, resolution, follow-up, the case's latest events from
the Case log (``card_events``), then signatures. It prints on one A4 page.

Each formula also carries the value it gives for the preselected case, so the file reads right
even where nothing recalculates (previews, openpyxl); Excel recalculates on opening anyway.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from addin.core.fields import BY_KEY
from addin.core.text import Lang, Text
from addin.layout.card import EVENTS_TITLE, LAYOUT

from .card_events import FROM_COL, TO_COL, write_events
from .register_sheet import TABLE_NAME
from .styles import DATE_FORMAT, DATETIME_FORMAT, INPUT_YELLOW

TEXTS: dict[str, Text] = {
    "title": Text("Customer complaint record card", "客户投诉记录卡"),
    "hint": Text("Pick a case number in the yellow cell: every field below follows it.",
                 "在黄色单元格中选择案件编号，下方各栏随之显示。"),
    "pick_title": Text("Case", "案件"),
    "pick": Text("Pick a case number from the list.", "请从列表中选择案件编号。"),
    "printed": Text("Printed on", "打印日期"),
    "row": Text("Row in the table", "表中行号"),
    "sign": Text("Handler's signature", "处理人签字"),
    "approve": Text("Manager's signature", "部门负责人签字"),
    "date": Text("Date", "日期"),
}
PICK_CELL = "B4"  # where staff choose the case
ROW_CELL = "F4"  # the helper: the case's position in the table, 0 when not found
PRINT_COLUMNS = "A:D"
WIDTHS = (16, 30, 16, 30)
LINE_HEIGHT = 16  # points per line of wrapped text


def structured(header: str) -> str:
    """A structured reference to a table column, escaped as Excel requires."""
    escaped = "".join("'" + ch if ch in "[]#'" else ch for ch in header)
    return f"{TABLE_NAME}[{escaped}]"


def field_formula(key: str, headers: dict[str, str]) -> str:
    """The card's formula for one field: the picked case's cell, empty when none is picked."""
    column = structured(headers[key])
    cell = f"INDEX({column},${ROW_CELL[0]}${ROW_CELL[1:]})"
    row = f"${ROW_CELL[0]}${ROW_CELL[1:]}"
    if BY_KEY[key].kind in ("date", "datetime", "int", "number"):
        # A number or date keeps its type (and its format); an empty cell shows empty, not 0.
        return f'=IF({row}=0,"",IF({cell}="","",{cell}))'
    return f'=IF({row}=0,"",{cell}&"")'


def case_formula(headers: dict[str, str]) -> str:
    return f'=IFERROR(MATCH(${PICK_CELL[0]}${PICK_CELL[1:]},{structured(headers["case_no"])},0),0)'


class CardWriter:
    """Writes the card row by row; ``row`` is the next free (zero-based) row."""

    def __init__(self, wb: Any, ws: Any, lang: Lang, headers: dict[str, str],
                 shown: dict[str, Any]) -> None:
        self.ws, self.lang, self.headers, self.shown = ws, lang, headers, shown
        border = {"border": 1, "border_color": "#8EA9DB", "valign": "vcenter", "text_wrap": True}
        self.label = wb.add_format(border | {"bold": True, "bg_color": "#DDEBF7"})
        self.value = wb.add_format(border)
        self.top_value = wb.add_format(border | {"valign": "top"})
        self.dates = {fmt: wb.add_format(border | {"num_format": fmt, "align": "left"})
                      for fmt in (DATE_FORMAT, DATETIME_FORMAT)}
        self.section = wb.add_format({"bold": True, "font_size": 12, "bottom": 2,
                                      "bottom_color": "#2F5597", "font_color": "#2F5597"})
        self.title = wb.add_format({"bold": True, "font_size": 18, "align": "center"})
        self.hint = wb.add_format({"italic": True, "font_color": "#5F6B7A", "align": "center"})
        self.pick = wb.add_format(border | {"bold": True, "bg_color": INPUT_YELLOW,
                                            "font_size": 12})
        self.helper = wb.add_format({"font_color": "#808080"})
        self.row = 0

    def text(self, said: Text) -> str:
        return said.in_(self.lang)

    def write(self) -> int:
        """The whole card; returns the last row of the print area (zero-based)."""
        self._top()
        for entry in LAYOUT:
            getattr(self, "_" + entry[0])(*entry[1:])
        return self.row - 1

    def _top(self) -> None:
        ws = self.ws
        ws.merge_range(0, 0, 0, 3, self.text(TEXTS["title"]), self.title)
        ws.set_row(0, 30)
        ws.merge_range(1, 0, 1, 3, self.text(TEXTS["hint"]), self.hint)
        pick_row = int(PICK_CELL[1:]) - 1
        ws.write_string(pick_row, 0, self.headers["case_no"], self.label)
        ws.write_string(pick_row, 1, str(self.shown.get("case_no") or ""), self.pick)
        ws.data_validation(pick_row, 1, pick_row, 1, {
            "validate": "list", "source": "=CaseNumbers", "input_title": self.text(
                TEXTS["pick_title"]), "input_message": self.text(TEXTS["pick"])})
        ws.write_string(pick_row, 2, self.text(TEXTS["printed"]), self.label)
        ws.write_formula(pick_row, 3, "=TODAY()", self.dates[DATE_FORMAT])
        ws.set_row(pick_row, 22)
        ws.write_string(pick_row, 4, self.text(TEXTS["row"]), self.helper)
        ws.write_formula(ROW_CELL, case_formula(self.headers), self.helper,
                         self.shown.get("_row", 0))
        self.row = pick_row + 2

    def _section(self, title: Text) -> None:
        self.row += 1 if self.row > 5 else 0  # a gap above every section but the first
        self.ws.merge_range(self.row, 0, self.row, 3, title.in_(self.lang), self.section)
        self.ws.set_row(self.row, 20)
        self.row += 1

    def _pair(self, left: str, right: str) -> None:
        for col, key in ((0, left), (2, right)):
            self.ws.write_string(self.row, col, self.headers[key], self.label)
            self._value(self.row, col + 1, key, self.value)
        self.ws.set_row(self.row, 20)
        self.row += 1

    def _wide(self, key: str, lines: int) -> None:
        self.ws.write_string(self.row, 0, self.headers[key], self.label)
        self.ws.merge_range(self.row, 1, self.row, 3, "", self.top_value)
        self._value(self.row, 1, key, self.top_value)
        self.ws.set_row(self.row, LINE_HEIGHT * lines + 4)
        self.row += 1

    def _events(self) -> None:
        self._section(EVENTS_TITLE)
        write_events(self, f"${PICK_CELL[0]}${PICK_CELL[1:]}", f"${ROW_CELL[0]}${ROW_CELL[1:]}")

    def _signatures(self) -> None:
        self.row += 1
        for who in ("sign", "approve"):
            self.ws.write_string(self.row, 0, self.text(TEXTS[who]), self.label)
            self.ws.write_blank(self.row, 1, None, self.value)
            self.ws.write_string(self.row, 2, self.text(TEXTS["date"]), self.label)
            self.ws.write_blank(self.row, 3, None, self.value)
            self.ws.set_row(self.row, 30)
            self.row += 1

    def _value(self, row: int, col: int, key: str, style: Any) -> None:
        kind = BY_KEY[key].kind
        if kind in ("date", "datetime"):
            style = self.dates[DATETIME_FORMAT if kind == "datetime" else DATE_FORMAT]
        self.ws.write_formula(row, col, field_formula(key, self.headers), style,
                              cached(self.shown.get(key)))


def cached(value: Any) -> Any:
    """The value a formula shows before any recalculation: text, a number or an Excel date."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        if not isinstance(value, dt.datetime):
            value = dt.datetime.combine(value, dt.time())
        return (value - dt.datetime(1899, 12, 30)).total_seconds() / 86400
    return value


def write_card(wb: Any, ws: Any, lang: Lang, headers: dict[str, str],
               shown: dict[str, Any]) -> None:
    """The Card sheet; ``shown`` is the preselected case (field key -> value, ``_row``)."""
    for j, width in enumerate(WIDTHS):
        ws.set_column(j, j, width)
    ws.set_column(4, 4, 14)
    ws.set_column(FROM_COL, TO_COL, None, None, {"hidden": True})  # the events' helper texts
    last = CardWriter(wb, ws, lang, headers, shown).write()
    ws.print_area(0, 0, last, 3)
    ws.set_paper(9)  # A4
    ws.set_portrait()
    ws.fit_to_pages(1, 1)
    ws.center_horizontally()
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.hide_gridlines(2)
