"""How much a workbook may make the program do: bounds shared by every door.

A settings sheet is read as a grid of its used range, so one stray cell typed far away (XFD1048576
on the Settings sheet) would make a grid of seventeen billion cells. Excel holds at most 32,767
characters in a cell, so longer text cannot be written without cutting it. Each bound is checked
before the work it bounds and ends in a finding that names the cell and the limit.
"""

from __future__ import annotations

from .findings import Finding, cell_ref, finding

# The settings sheets the workbook ships with use under 200 rows and 12 columns; a holiday list
# covering decades stays under 2,000 rows. 5,000 x 100 leaves ample room and keeps the grid under
# half a million cells (a few megabytes of values).
SETTINGS_ROWS = 5_000
SETTINGS_COLUMNS = 100
CELL_TEXT = 32_767  # characters an Excel cell holds


def settings_range_finding(sheet: str, last_row: int, last_col: int) -> Finding | None:
    """A finding when a settings sheet's used range reaches past the area the program reads."""
    if last_row <= SETTINGS_ROWS and last_col <= SETTINGS_COLUMNS:
        return None
    far = cell_ref(sheet, max(last_row, 1), max(last_col, 1))
    return finding("settings-too-big", far, sheet=sheet, rows=f"{SETTINGS_ROWS:,}",
                   last=cell_ref(sheet, SETTINGS_ROWS, SETTINGS_COLUMNS).rpartition("!")[2])


def text_too_long_finding(cell: str, length: int) -> Finding | None:
    """A finding when text is longer than an Excel cell holds."""
    if length <= CELL_TEXT:
        return None
    return finding("text-too-long", cell, length=f"{length:,}", limit=f"{CELL_TEXT:,}")


def settings_address_finding(sheet: str, address: str) -> Finding | None:
    """As ``settings_range_finding``, for a used range as Excel gives it ('$A$1:$XFD$1048576')."""
    corner = address.rpartition("!")[2].split(":")[-1].replace("$", "")
    letters = "".join(ch for ch in corner if ch.isalpha()).upper()
    digits = corner[len(letters):]
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return settings_range_finding(sheet, int(digits) if digits.isdigit() else 1, col or 1)
