"""The investigation and follow-up clocks coloured on the register like the reply and resolution
clocks: one set of rules (``addin.layout.looks``) that the batch door keeps, the builder writes and
the live door finds in place.

What is pinned: the rules sit on the Investigate by and Follow up by columns; evaluated the way
Excel evaluates them, they colour exactly the rows the core calls overdue or due soon (March 2026
has no holiday, so the sheet's WORKDAY and the run's calendar agree); a later run recognises them
as its own and does not add them twice.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from openpyxl import load_workbook
from openpyxl.utils.cell import column_index_from_string, range_boundaries
from test_xl_macros import TODAY, batch_run, build_book, press

from addin.batch.caselog import read_case_state
from addin.batch.sheets import find_register, read_counters, read_grids, read_register
from addin.core.fields import field_for_header
from addin.core.pipeline import process
from addin.layout.looks import conditional_format_rules, is_our_formula
from addin.workbook import DEFAULT_PATH

STEPS = {"investigate_due": "investigate_state", "follow_up_due": "follow_up_state"}
LOOK_STATE = {"step_overdue": "Overdue", "step_due_soon": "Due soon"}


class Blank:
    """An empty cell: equal to "" and, in a comparison with a date, the number 0 (before it)."""

    def __eq__(self, other: object) -> bool:
        return other == "" or isinstance(other, Blank)

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __lt__(self, other: object) -> bool:
        return True

    __le__ = __lt__

    def __gt__(self, other: object) -> bool:
        return False

    __ge__ = __gt__


def excel_true(formula: str, ws, row: int, first: int, today: dt.date) -> bool:
    """A rule's formula evaluated for ``row`` as Excel does for the cell in that row.

    Only what our step rules use: AND, ISNUMBER, TODAY, WORKDAY (weekends), comparisons of cells
    with text and dates. A reference like $G3 is relative in its row: it moves with the cell.
    """
    def cell(letter: str) -> object:
        value = ws.cell(row, column_index_from_string(letter)).value
        if isinstance(value, dt.datetime):
            return value.date()
        return Blank() if value is None else value

    def workday(start: dt.date, days: int) -> dt.date:
        return np.busday_offset(start, days, roll="forward").astype(dt.date)

    assert re.fullmatch(r"[A-Z$0-9(),<>=\"\u4e00-\u9fff A-Za-z]*", formula), formula
    text = re.sub(rf"\$([A-Z]{{1,3}}){first}\b", r'cell("\1")', formula)
    text = text.replace("<>", "!=").replace("TODAY()", "today")
    text = re.sub(r"(?<![<>!=])=(?!=)", "==", text)
    text = text.replace("AND(", "every(").replace("ISNUMBER(", "isnumber(").replace(
        "WORKDAY(", "workday(")
    return bool(eval(text, {}, {  # noqa: S307 - our own formula, checked by the pattern above
        "cell": cell, "today": today, "workday": workday, "every": lambda *a: all(a),
        "isnumber": lambda v: isinstance(v, int | float | dt.date) and not isinstance(v, bool)}))


def step_rules(ws) -> dict[tuple[str, str], str]:
    """(column key, look) -> formula of the step rules on a register sheet."""
    headers = {}
    for row in ws.iter_rows(min_row=1, max_row=5):
        keys = {field_for_header(c.value): c.column_letter for c in row if c.value}
        if "follow_up_due" in keys:
            headers = keys
            break
    by_letter = {letter: key for key, letter in headers.items()}
    found = {}
    for cf in ws.conditional_formatting:
        for rule in cf.rules:
            formula = rule.formula[0]
            if "TODAY()" not in formula:
                continue
            assert is_our_formula(formula), formula
            left = range_boundaries(str(cf.sqref))[0]
            key = by_letter[ws.cell(1, left).column_letter]
            look = "step_due_soon" if "WORKDAY" in formula else "step_overdue"
            found[(key, look)] = formula
    return found


@pytest.fixture(scope="module")
def card(tmp_path_factory) -> Path:
    return build_book(tmp_path_factory.mktemp("colours") / "card.xlsx", 300)


@pytest.fixture(scope="module")
def after_batch(card, tmp_path_factory) -> tuple[Path, object]:
    out = tmp_path_factory.mktemp("batch") / "out.xlsx"
    batch_run(card, out)
    wb = load_workbook(out)
    loc = find_register(wb)
    outcome = process(read_register(loc), read_grids(wb), TODAY, read_counters(wb),
                      last_state=read_case_state(wb))
    return out, outcome


def test_the_batch_door_puts_both_step_clocks_on_the_register(after_batch):
    out, _ = after_batch
    rules = step_rules(load_workbook(out)["Complaints"])
    assert set(rules) == {(key, look) for key in STEPS for look in LOOK_STATE}
    # The card's Settings say due soon within 2 working days: the rule says so too.
    assert rules[("follow_up_due", "step_due_soon")].endswith("WORKDAY(TODAY(),2))")


def test_the_coloured_cells_are_the_rows_the_core_calls_overdue_or_due_soon(after_batch):
    out, outcome = after_batch
    ws = load_workbook(out)["Complaints"]
    rules = step_rules(ws)
    first = outcome.register.header_row + 1
    seen = {}
    for (key, look), formula in rules.items():
        state = outcome.cases[STEPS[key]]
        coloured = {row for row in outcome.cases.index
                    if excel_true(formula, ws, int(row), first, TODAY)}
        expected = set(state.index[state.eq(LOOK_STATE[look]).to_numpy()])
        assert coloured == expected, (key, look)
        seen[(key, look)] = len(coloured)
    # Something to compare: follow-ups overdue and investigations overdue on this card.
    assert seen[("follow_up_due", "step_overdue")] > 0
    assert seen[("investigate_due", "step_overdue")] > 0


def test_a_follow_up_typed_in_takes_the_colour_away(after_batch):
    """Without a run: the rule reads the Follow-up cell staff fill in."""
    out, outcome = after_batch
    wb = load_workbook(out)
    ws = wb["Complaints"]
    rules = step_rules(ws)
    row = int(outcome.cases.index[outcome.cases["follow_up_state"].eq("Overdue")][0])
    first = outcome.register.header_row + 1
    formula = rules[("follow_up_due", "step_overdue")]
    assert excel_true(formula, ws, row, first, TODAY)
    col = outcome.register.first_col + outcome.register.columns["follow_up_at"]
    ws.cell(row, col).value = dt.datetime(2026, 3, 19)
    assert not excel_true(formula, ws, row, first, TODAY)


def test_a_second_run_keeps_the_rules_once(after_batch, tmp_path):
    out, _ = after_batch
    again = tmp_path / "again.xlsx"
    batch_run(out, again)
    before = load_workbook(out)["Complaints"].conditional_formatting
    after = load_workbook(again)["Complaints"].conditional_formatting
    assert sorted((str(c.sqref), r.formula[0]) for c in after for r in c.rules) == \
        sorted((str(c.sqref), r.formula[0]) for c in before for r in c.rules)


def test_the_committed_workbook_carries_the_step_rules():
    wb = load_workbook(DEFAULT_PATH, keep_vba=True)
    ws = next(ws for ws in wb.worksheets if step_rules(ws))
    assert set(step_rules(ws)) == {(key, look) for key in STEPS for look in LOOK_STATE}
    assert step_rules(ws)[("follow_up_due", "step_due_soon")].endswith("WORKDAY(TODAY(),1))")


def test_the_live_door_keeps_the_rules_the_batch_wants(after_batch, tmp_path):
    """The live door writes no formats (no xlwings flavour's common calls can): pressing Run all
    on a processed card leaves exactly the rules the batch door would keep."""
    out, outcome = after_batch
    copy = tmp_path / "live.xlsx"
    shutil.copy(out, copy)
    book, result = press(copy, "run_all")
    assert result.ok, result.message
    ws = book.wb["Complaints"]
    reg = outcome.register
    columns = {key: reg.first_col + pos for key, pos in reg.columns.items()}
    headers = {key: reg.headers[pos] for key, pos in reg.columns.items()}
    wanted = conditional_format_rules(columns, headers, reg.first_col,
                                      reg.first_col + len(reg.headers) - 1, reg.header_row + 1,
                                      ws.max_row, 2)
    present = sorted((str(c.sqref), r.formula[0]) for c in ws.conditional_formatting
                     for r in c.rules)
    assert present == sorted((span, formula) for span, formula, _ in wanted)
