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
from addin.core.vocab import DEFAULT_LISTS, DONE_STATUSES

# Each look's (fill, font colour or None: unchanged), as RRGGBB.
LOOKS: dict[str, tuple[str, str | None]] = {
    "field": ("FFC7CE", "9C0006"),  # a cell with a finding: red-ish, dark red text
    "overdue": ("FCE4E4", None),  # the whole row, light red
    "due_soon": ("FFE9B0", None),  # the whole row, amber
    # One step's deadline cell (Investigate by, Follow up by): stronger than the row's colour,
    # so a late follow-up shows inside a row that is otherwise on track or closed.
    "step_overdue": ("F8CBAD", "9C0006"),
    "step_due_soon": ("FFD966", "7F6000"),
}
HEADER_FILL = "D9E1F2"  # the header row of the sheets the add-in writes
LINK_COLOUR = "0563C1"  # a link, as Excel shows one

# The SLA labels the pipeline writes, in both languages, so that a row stays coloured whichever
# language the workbook is switched to.
_SLA = dict(DEFAULT_LISTS["sla_status"])
ROW_STATES = (("Overdue", "overdue"), ("Due soon", "due_soon"))
_STATUS = dict(DEFAULT_LISTS["status"])
# The statuses that end a case's investigation clock (the core's DONE_STATUSES), in both languages.
_DONE = tuple(label for en in sorted(DONE_STATUSES) for label in (en, _STATUS[en]))
DEFAULT_DUE_SOON_DAYS = 1  # the Settings default: what a freshly built workbook carries

# The two step clocks: the deadline column, the column that says the step was done, and whether
# the step waits for the case to be done (follow-up) or ends with it (investigation). A deadline
# cell is coloured while its step is still to do: overdue past the day, due soon within the
# Settings' due-soon working days. The sheet knows weekends (WORKDAY) but not the Holidays
# sheet, so around a holiday or a make-up working day a cell may turn amber a day later or
# earlier than the run's own count.
STEP_CLOCKS = (("investigate_due", "investigated_at", False),
               ("follow_up_due", "follow_up_at", True))

# Our conditional formats are recognised by the exact shape of their formulas, so a later run can
# replace them (the table grew, a column moved) without touching formats staff made themselves.
_COL = r"\$[A-Z]{1,3}[0-9]+"
_STEP = rf'AND\(ISNUMBER\({_COL}\)(?:,{_COL}="")?(?:,{_COL}<>"[^"]*")*,'
_OUR_FORMULAS = (
    re.compile(rf'^ISNUMBER\(FIND\("\[(?:[^"]|"")*\]",{_COL}\)\)$'),
    *(re.compile(rf'^OR\({_COL}="{re.escape(en)}",{_COL}="{re.escape(_SLA[en])}"\)$')
      for en, _ in ROW_STATES),
    re.compile(rf'^{_STEP}{_COL}<TODAY\(\)\)$'),
    re.compile(rf'^{_STEP}{_COL}>=TODAY\(\),{_COL}<=WORKDAY\(TODAY\(\),[0-9]+\)\)$'),
)

FormatRule = tuple[str, str, str]  # (range, formula, look)


def look_colours() -> dict[str, tuple[str, str | None]]:
    """Each look's fill and font colour as RRGGBB (font None: unchanged), for other writers."""
    return dict(LOOKS)


def is_our_formula(formula: str) -> bool:
    """True when a conditional format's formula has the shape of one of ours."""
    return any(pattern.match(formula) for pattern in _OUR_FORMULAS)


def conditional_format_rules(columns: dict[str, int], headers: dict[str, str], first_col: int,
                             last_col: int, first: int, last: int,
                             due_soon_days: int = DEFAULT_DUE_SOON_DAYS) -> list[FormatRule]:
    """The (range, formula, look) of every conditional format kept on a register.

    ``columns`` maps field keys to sheet columns (1-based), ``headers`` them to their header
    text; data rows run from ``first`` to ``last``; ``due_soon_days`` is the Settings' due-soon
    margin. Cell rules come before row rules, so a flagged cell stays visible inside a coloured
    row; a finding's colour comes before a step clock's.
    """
    letter = {key: column_letter(col) for key, col in columns.items()}
    steps = _step_rules(letter, first, last, due_soon_days)
    rules: list[FormatRule] = []
    if "check" in letter:
        check = f"${letter['check']}{first}"
        for key in sorted(letter, key=columns.__getitem__):
            if key == "check":
                continue
            tag = check_tag(headers[key]).replace('"', '""')
            span = _span(letter[key], first, letter[key], last)
            rules.append((span, f'ISNUMBER(FIND("{tag}",{check}))', "field"))
            # A cell's own rules side by side: a file keeps the rules of one range together.
            rules += steps.pop(key, [])
    rules += [rule for kept in steps.values() for rule in kept]
    if "sla_status" in letter:
        sla = f"${letter['sla_status']}{first}"
        span = _span(column_letter(first_col), first, column_letter(last_col), last)
        for en, look in ROW_STATES:
            rules.append((span, f'OR({sla}="{en}",{sla}="{_SLA[en]}")', look))
    return rules


def _step_rules(letter: dict[str, str], first: int, last: int, due_soon_days: int
                ) -> dict[str, list[FormatRule]]:
    """The deadline cell of each step clock: overdue, then due soon, while the step is to do.

    The run writes a follow-up deadline only for a done case and no investigation deadline for a
    case not accepted, so a filled deadline is a clock that runs; the investigation's also stops
    when the case is done (its status in either language).
    """
    rules: dict[str, list[FormatRule]] = {}
    for key, done_key, after_done in STEP_CLOCKS:
        if key not in letter:
            continue
        due = f"${letter[key]}{first}"
        test = [f"ISNUMBER({due})"]
        if done_key in letter:
            test.append(f'${letter[done_key]}{first}=""')
        if not after_done and "status" in letter:
            status = f"${letter['status']}{first}"
            test += [f'{status}<>"{label}"' for label in _DONE]
        span = _span(letter[key], first, letter[key], last)
        pending = ",".join(test)
        rules[key] = [(span, f"AND({pending},{due}<TODAY())", "step_overdue"),
                      (span, f"AND({pending},{due}>=TODAY(),{due}<=WORKDAY(TODAY(),"
                             f"{int(due_soon_days)}))", "step_due_soon")]
    return rules


def _span(left: str, top: int, right: str, bottom: int) -> str:
    """A range as a file stores it: one cell as 'F3', never 'F3:F3', so old and new compare."""
    if (left, top) == (right, bottom):
        return f"{left}{top}"
    return f"{left}{top}:{right}{bottom}"
