"""The Complaints sheet: the buttons, then the register as an Excel table.

Row 1 holds the buttons and row 2 the table's header, both frozen; the examples follow. Every
column staff type has an input message (and a dropdown or a range where the card has one); the
columns the add-in writes are grey and say so. The conditional formats are the ones the batch door
keeps (``addin.layout.looks.conditional_format_rules``), so a run over a fresh workbook finds them
in place, and being formulas over the SLA and Check columns their colours follow a row when staff
sort.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from addin.core.fields import BY_KEY, FIELDS
from addin.core.text import Lang
from addin.layout.formats import DATE_FORMAT, DATETIME_FORMAT, typed_format
from addin.layout.looks import FormatRule, conditional_format_rules, look_colours
from addin.layout.sheets import TABLE_NAME, TABLE_STYLE
from addin.vba.build import BUTTONS

from .cells import CellWriter
from .styles import Styles, display_width
from .texts import CAPTIONS, DROPDOWN_ERROR, FIELD_HELP, HELP_TITLE, KEPT_HELP, WRITTEN_HELP

HEADER_ROW = 2  # as Excel numbers rows; row 1 holds the buttons
LAST_ROW = 1048576  # validations cover the whole column, so rows added in Excel get them too
BUTTON_ROW_HEIGHT = 30
BUTTON_SIZE = (118, 30)  # pixels
# Card fields left off the built register: where an import came from.
LEFT_OUT = ("source_ref",)
# Text columns wide enough to read a typical entry; the rest fit their header.
_WIDE = {"description": 44, "request": 26, "solution": 30, "root_cause": 24, "outcome": 22,
         "notes": 20, "check": 36, "rule": 22, "repeat_of": 16, "product": 18,
         "customer_name": 12, "handler": 10, "email": 24, "phone": 15, "order_ref": 15,
         "department": 12, "case_no": 16}


def register_keys() -> list[str]:
    """The table's columns, in the card's order: what staff type, then what the add-in writes."""
    return [f.key for f in FIELDS if f.key not in LEFT_OUT]


@dataclass(frozen=True)
class Column:
    key: str
    header: str

    @property
    def written(self) -> bool:
        return BY_KEY[self.key].written

    @property
    def number_format(self) -> str | None:
        return typed_format(self.key)

    def width(self) -> float:
        """Room for the values (a date never shows ###) and for the header and its filter
        button (a header is never cut off)."""
        values = {DATETIME_FORMAT: 17, DATE_FORMAT: 12}.get(self.number_format or "", 0)
        return float(max(values, _WIDE.get(self.key, 0), display_width(self.header) + 4))


def columns_for(lang: Lang) -> list[Column]:
    return [Column(key, BY_KEY[key].header(lang)) for key in register_keys()]


def write_register(wb: Any, ws: Any, columns: list[Column], rows: list[list[Any]],
                   lists: dict[str, tuple[str, str]], styles: Styles, lang: Lang,
                   buttons: bool = True) -> None:
    """Buttons (unless left out), table, validations and conditional formats of the register."""
    top = HEADER_ROW - 1  # zero-based row of the header
    last = top + max(len(rows), 1)
    ws.add_table(top, 0, last, len(columns) - 1, {
        "name": TABLE_NAME, "style": TABLE_STYLE, "banded_rows": False,
        "columns": [{"header": c.header, "format": styles.cell(c.number_format, c.written),
                     "header_format": styles.written_header if c.written
                     else styles.typed_header} for c in columns],
    })
    CellWriter(ws, columns, styles).rows(top + 1, rows)
    for j, column in enumerate(columns):
        ws.set_column(j, j, column.width())
        ws.data_validation(top + 1, j, LAST_ROW - 1, j, _validation(column, lists, lang))
    _conditional_formats(wb, ws, columns, last + 1)
    if buttons:
        _buttons(ws, lang)
    ws.freeze_panes(HEADER_ROW, 0)
    ws.set_row(HEADER_ROW - 1, 30)
    _print_setup(ws)


def _print_setup(ws: Any) -> None:
    """A4 landscape, three pages wide, the header on every page. No print area: a fixed one
    would leave out the rows staff add."""
    ws.set_paper(9)
    ws.set_landscape()
    ws.repeat_rows(HEADER_ROW - 1)
    ws.fit_to_pages(3, 0)


def _validation(column: Column, lists: dict[str, tuple[str, str]], lang: Lang) -> dict:
    """A dropdown, a range or no restriction, always with the column's input message."""
    if column.written:
        return {"validate": "any", "input_title": HELP_TITLE["written"].in_(lang),
                "input_message": WRITTEN_HELP.in_(lang)}
    spec: dict[str, Any] = {"validate": "any", "input_title": HELP_TITLE["typed"].in_(lang),
                            "input_message": FIELD_HELP.get(column.key, KEPT_HELP).in_(lang)}
    warning = {"error_type": "warning", "error_title": DROPDOWN_ERROR["title"].in_(lang),
               "error_message": DROPDOWN_ERROR["message"].in_(lang)}
    if column.key in lists:
        # A warning, not a stop: either language's value is valid, and the checks report the rest.
        spec |= {"validate": "list", "source": "=" + lists[column.key][0]} | warning
    elif column.key == "satisfaction":
        spec |= {"validate": "integer", "criteria": "between", "minimum": 1, "maximum": 5,
                 "error_type": "warning", "error_title": spec["input_title"],
                 "error_message": spec["input_message"]}
    return spec


def rule_spans(columns: list[Column], last_row: int) -> list[FormatRule]:
    """The batch door's conditional formats for this table (rows in Excel's numbering)."""
    positions = {c.key: j for j, c in enumerate(columns, 1) if c.key is not None}  # card fields
    headers = {c.key: c.header for c in columns}
    return conditional_format_rules(positions, headers, 1, len(columns), HEADER_ROW + 1,
                                    max(last_row, HEADER_ROW + 1))


def _conditional_formats(wb: Any, ws: Any, columns: list[Column], last_row: int) -> None:
    looks = {}
    for look, (fill, font) in look_colours().items():
        spec = {"bg_color": "#" + fill}
        if font:
            spec["font_color"] = "#" + font
        looks[look] = wb.add_format(spec)
    # Cell rules first, as the door writes them: a flagged cell stays visible in a coloured row.
    for span, formula, look in rule_spans(columns, last_row):
        ws.conditional_format(span, {"type": "formula", "criteria": "=" + formula,
                                     "format": looks[look]})


def _buttons(ws: Any, lang: Lang) -> None:
    ws.set_row(0, BUTTON_ROW_HEIGHT * 0.75 + 6)  # points; leaves a margin around the buttons
    width, height = BUTTON_SIZE
    for i, button in enumerate(BUTTONS):
        ws.insert_button(0, 0, {
            "macro": button.macro,
            "caption": CAPTIONS[button.macro].in_(lang),
            "width": width, "height": height, "x_offset": 4 + i * (width + 6), "y_offset": 4,
        })

