"""The Card's latest events: the last few rows of the Case log for the case picked on the Card.

Formulas only, so the section follows the yellow cell as every field does. They use what Excel
(any version) and LibreOffice both compute without array entry: SUMPRODUCT evaluates its
argument as an array in both, so ``SUMPRODUCT(LARGE((numbers=picked)*ROW(numbers), k))`` is the
sheet row of the case's k-th latest event (0 when it has fewer), and INDEX reads that row.
Hidden helper cells right of the print area hold the rows and the From and To texts, so each
visible formula stays short. The Case log is read to its last possible row: staff may leave
gaps between their own rows, and a count of filled cells would then stop short.

Events are shown oldest first, from the top: the card reads as the case went.
"""

from __future__ import annotations

from typing import Any

from xlsxwriter.utility import quote_sheetname, xl_rowcol_to_cell

from addin.core.text import Lang, Text
from addin.layout.caselog import case_log_header, case_log_name
from addin.layout.words import separator

from .styles import DATETIME_FORMAT

EVENT_ROWS = 8  # events the printed card has room for
LAST_ROW = 1048576  # Excel's last row: the log is searched whole
CHANGE = Text("From → To, note", "原值 → 新值，说明")
# Helper columns right of the print area: the log row, and From and To as text.
ROW_COL, FROM_COL, TO_COL = 5, 6, 7


def _column(lang: Lang, index: int) -> str:
    """An absolute whole-column reference to a Case log column (zero-based index)."""
    letter = "ABCDEFG"[index]
    return f"{quote_sheetname(case_log_name(lang))}!${letter}:${letter}"


def numbers_range(lang: Lang) -> str:
    return f"{quote_sheetname(case_log_name(lang))}!$A$2:$A${LAST_ROW}"


def count_formula(lang: Lang, picked: str, found: str) -> str:
    """How many events the picked case has (0 when the case is not in the register)."""
    return f"=IF({found}=0,0,SUMPRODUCT(--({numbers_range(lang)}={picked})))"


def row_formula(lang: Lang, picked: str, found: str, count: str, position: int) -> str:
    """The Case log row of the event at ``position`` (1 = the oldest shown), 0 for none."""
    numbers = numbers_range(lang)
    back = f"MIN({count},{EVENT_ROWS})-{position - 1}"  # k: 1 = the latest event
    return (f"=IF(OR({found}=0,{back}<1),0,"
            f"SUMPRODUCT(LARGE(({numbers}={picked})*ROW({numbers}),{back})))")


def as_text_formula(lang: Lang, row: str, index: int) -> str:
    """A From or To value as text: a date (a deadline moved) as yyyy-mm-dd in any locale."""
    value = f"INDEX({_column(lang, index)},{row})"
    day = (f'YEAR({value})&"-"&RIGHT("0"&MONTH({value}),2)&"-"&RIGHT("0"&DAY({value}),2)')
    return f'=IF({row}=0,"",IF(ISNUMBER({value}),{day},{value}&""))'


def time_formula(lang: Lang, row: str) -> str:
    value = f"INDEX({_column(lang, 1)},{row})"
    return f'=IF({row}=0,"",IF({value}="","",{value}))'


def text_formula(lang: Lang, row: str, index: int) -> str:
    return f'=IF({row}=0,"",INDEX({_column(lang, index)},{row})&"")'


def change_formula(lang: Lang, row: str, old: str, new: str, sep: str) -> str:
    """From → To, then the event's note (a deadline's name, or what staff wrote)."""
    note = f'INDEX({_column(lang, 6)},{row})&""'
    moved = f'AND({old}="",{new}="")'
    return (f'=IF({row}=0,"",IF({moved},"",{old}&" → "&{new})'
            f'&IF(OR({moved},{note}=""),"","{sep}")&{note})')


def write_events(card: Any, picked: str, found: str) -> None:
    """The events section at ``card.row``: a header, then EVENT_ROWS rows of formulas.

    ``card`` is the Card's writer (``addin.workbook.card.CardWriter``); ``picked`` and ``found``
    are the absolute addresses of the yellow cell and of the case's row in the table.
    """
    ws, lang = card.ws, card.lang
    header = case_log_header(lang)
    labels = (header[1], header[2], header[5], card.text(CHANGE))
    for col, text in enumerate(labels):
        ws.write_string(card.row, col, text, card.label)
    count = xl_rowcol_to_cell(card.row, ROW_COL, row_abs=True, col_abs=True)
    ws.write_formula(card.row, ROW_COL, count_formula(lang, picked, found), card.helper, 0)
    card.row += 1
    sep = separator("clauses", lang)
    for position in range(1, EVENT_ROWS + 1):
        r = card.row
        row, old, new = (xl_rowcol_to_cell(r, c, col_abs=True)
                         for c in (ROW_COL, FROM_COL, TO_COL))
        ws.write_formula(r, ROW_COL, row_formula(lang, picked, found, count, position),
                         card.helper, 0)
        ws.write_formula(r, FROM_COL, as_text_formula(lang, row, 3), card.helper, "")
        ws.write_formula(r, TO_COL, as_text_formula(lang, row, 4), card.helper, "")
        ws.write_formula(r, 0, time_formula(lang, row), card.dates[DATETIME_FORMAT], "")
        ws.write_formula(r, 1, text_formula(lang, row, 2), card.value, "")
        ws.write_formula(r, 2, text_formula(lang, row, 5), card.value, "")
        ws.write_formula(r, 3, change_formula(lang, row, old, new, sep), card.value, "")
        ws.set_row(r, 20)
        card.row += 1
