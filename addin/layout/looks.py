"""Colours on the register, as data: the conditional formats both writers put on it.

Colours come from conditional formats rather than painted cells: they follow a row when staff
sort, and a case that is no longer overdue loses its colour on the next run without a repaint.
The batch door keeps these rules on the register and the builder writes exactly them, so a run
over a fresh workbook finds them in place.
"""

from __future__ import annotations

import re

from addin.core.findings import column_letter
from addin.core.pipeline import check_tag
from addin.core.vocab import DEFAULT_LISTS

# Each look's (fill, font colour or None: unchanged), as RRGGBB.
LOOKS: dict[str, tuple[str, str | None]] = {
    "field": ("FFC7CE", "9C0006"),  # a cell with a finding: red-ish, dark red text
    "overdue": ("FCE4E4", None),  # the whole row, light red
    "due_soon": ("FFE9B0", None),  # the whole row, amber
}
HEADER_FILL = "D9E1F2"  # the header row of the sheets the add-in writes
LINK_COLOUR = "0563C1"  # a link, as Excel shows one

# The SLA labels the pipeline writes, in both languages, so that a row stays coloured whichever
# language the workbook is switched to.
_SLA = dict(DEFAULT_LISTS["sla_status"])
ROW_STATES = (("Overdue", "overdue"), ("Due soon", "due_soon"))

# Our conditional formats are recognised by the exact shape of their formulas, so a later run can
# replace them (the table grew, a column moved) without touching formats staff made themselves.
_COL = r"\$[A-Z]{1,3}[0-9]+"
_OUR_FORMULAS = (
    re.compile(rf'^ISNUMBER\(FIND\("\[(?:[^"]|"")*\]",{_COL}\)\)$'),
    *(re.compile(rf'^OR\({_COL}="{re.escape(en)}",{_COL}="{re.escape(_SLA[en])}"\)$')
      for en, _ in ROW_STATES),
)

FormatRule = tuple[str, str, str]  # (range, formula, look)


def look_colours() -> dict[str, tuple[str, str | None]]:
    """Each look's fill and font colour as RRGGBB (font None: unchanged), for other writers."""
    return dict(LOOKS)


def is_our_formula(formula: str) -> bool:
    """True when a conditional format's formula has the shape of one of ours."""
    return any(pattern.match(formula) for pattern in _OUR_FORMULAS)


def conditional_format_rules(columns: dict[str, int], headers: dict[str, str], first_col: int,
                             last_col: int, first: int, last: int) -> list[FormatRule]:
    """The (range, formula, look) of every conditional format kept on a register.

    ``columns`` maps field keys to sheet columns (1-based), ``headers`` them to their header
    text; data rows run from ``first`` to ``last``. Cell rules come before row rules, so a
    flagged cell stays visible inside a coloured row.
    """
    letter = {key: column_letter(col) for key, col in columns.items()}
    rules: list[FormatRule] = []
    if "check" in letter:
        check = f"${letter['check']}{first}"
        for key in sorted(letter, key=columns.__getitem__):
            if key == "check":
                continue
            tag = check_tag(headers[key]).replace('"', '""')
            span = _span(letter[key], first, letter[key], last)
            rules.append((span, f'ISNUMBER(FIND("{tag}",{check}))', "field"))
    if "sla_status" in letter:
        sla = f"${letter['sla_status']}{first}"
        span = _span(column_letter(first_col), first, column_letter(last_col), last)
        for en, look in ROW_STATES:
            rules.append((span, f'OR({sla}="{en}",{sla}="{_SLA[en]}")', look))
    return rules


def _span(left: str, top: int, right: str, bottom: int) -> str:
    """A range as a file stores it: one cell as 'F3', never 'F3:F3', so old and new compare."""
    if (left, top) == (right, bottom):
        return f"{left}{top}"
    return f"{left}{top}:{right}{bottom}"
