"""The buttons in live Excel, run through a recording stand-in for xlwings backed by a real file.

What is pinned: Excel calls do not grow with the number of rows and stay within budget on a card
with every settings sheet; every button writes exactly the cells the batch door writes for its
columns; staff get a one-line summary and the first error selected; a failure part-way leaves
the register as it was and shows a message box, never a traceback.

``pytest -s -k calls_per_button`` prints the calls each button makes for 10 and 10,000 rows.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from xl_standin import CallLog, StandinBook

from addin import __version__
from addin.batch.caselog import apply_case_log, read_case_state
from addin.batch.run import process_file
from addin.batch.sheets import find_register, read_counters, read_grids, read_register
from addin.batch.writeback import apply_outcome, outcome_is_noop
from addin.core.calendar import holiday_rows
from addin.core.classify import DEFAULT_RULES, rules_to_rows
from addin.core.deadlines import DEFAULT_DEADLINES, deadline_rows
from addin.core.fields import match_headers
from addin.core.pipeline import process
from addin.demo_data import make_demo
from addin.layout.log import RunInfo, current_user
from addin.workbook import build_workbook
from addin.xl import macros
from addin.xl.macros import BUTTON_PARTS, run_button
from addin.xl.plan import PARTS
from addin.xl.read import Snapshot, read_workbook

TODAY = dt.date(2026, 3, 20)
WHEN = dt.datetime(2026, 3, 20, 9, 0)
BUTTONS = ("validate", "assign_numbers", "classify", "deadlines_and_colours", "run_all")
# 20 for the register's buttons, plus the case log's two reads (its state, where its next row
# goes) when a run finds events to append and a state to keep (two writes), plus one call per
# settings sheet for its used range's address (a row below a gap is read, a far cell refused).
CALL_BUDGET = 26


def build_book(path: Path, rows: int, lang: str = "en", settings: bool = True) -> Path:
    """A record card with demo complaints (problems planted) and, optionally, every settings
    sheet filled with the defaults, as the template ships them."""
    card_workbook(rows, lang, settings).save(path)
    return path


def card_workbook(rows: int, lang: str = "en", settings: bool = True) -> Workbook:
    demo = make_demo(rows, months=3, end=TODAY, lang=lang, seed=5)
    wb = Workbook()
    ws = wb.active
    ws.title = "投诉登记" if lang.startswith("zh") else "Complaints"
    ws.append(demo.headers)
    for row in demo.rows:
        ws.append(row)
    if settings:
        sheet = wb.create_sheet("Settings")
        sheet.append(["Setting", "Value"])
        sheet.append(["Due soon within (working days)", 2])
        sheet.append([])
        for row in deadline_rows(DEFAULT_DEADLINES, lang):
            sheet.append(row)
        lists = wb.create_sheet("Lists")
        lists.append(["Channel", "投诉渠道"])
        lists.append(["Fax", "传真"])
        rules = wb.create_sheet("Rules")
        for row in rules_to_rows(DEFAULT_RULES, lang):
            rules.append(row)
        holidays = wb.create_sheet("Holidays")
        for row in holiday_rows(range(2025, 2027), lang):
            holidays.append(row)
    return wb


@pytest.fixture(scope="module")
def small_card(tmp_path_factory) -> Path:
    return build_book(tmp_path_factory.mktemp("small") / "card.xlsx", 10)


@pytest.fixture(scope="module")
def large_card(tmp_path_factory) -> Path:
    return build_book(tmp_path_factory.mktemp("large") / "card.xlsx", 10_000)


@pytest.fixture(scope="module")
def bare_small(tmp_path_factory) -> Path:
    """Only the register: every setting takes its default."""
    return build_book(tmp_path_factory.mktemp("bare_small") / "card.xlsx", 10, settings=False)


@pytest.fixture(scope="module")
def bare_large(tmp_path_factory) -> Path:
    return build_book(tmp_path_factory.mktemp("bare_large") / "card.xlsx", 10_000,
                      settings=False)


def press(path: Path, macro: str, today: dt.date = TODAY, log: CallLog | None = None
          ) -> tuple[StandinBook, macros.MacroResult]:
    book = StandinBook(path, log)
    return book, run_button(book, macro, today=today, when=WHEN)


def batch_run(path: Path, out: Path, today: dt.date = TODAY) -> None:
    """The batch door over the same file: what the live door must agree with."""
    wb = load_workbook(path)
    loc = find_register(wb)
    outcome = process(read_register(loc), read_grids(wb), today, read_counters(wb),
                      last_state=read_case_state(wb))
    run = RunInfo(WHEN, current_user(), __version__, "Run all")
    if not outcome_is_noop(wb, loc, outcome):  # as process_file: nothing to do, nothing written
        apply_outcome(wb, loc, outcome, run)
    apply_case_log(wb, outcome, run)
    wb.save(out)


def cell_differences(left: Path, right: Path, skip: set[tuple[str, str]] = frozenset()
                     ) -> list[tuple[str, str, object, object]]:
    """Cells whose value (or formula-ness: Excel's reading of text) differs, sheet by sheet."""
    a, b = load_workbook(left), load_workbook(right)
    assert a.sheetnames == b.sheetnames
    diffs = []
    for name in b.sheetnames:
        wa, wb_ = a[name], b[name]
        assert wa.sheet_state == wb_.sheet_state, name
        for row in range(1, max(wa.max_row, wb_.max_row) + 1):
            for col in range(1, max(wa.max_column, wb_.max_column) + 1):
                ca, cb = wa.cell(row, col), wb_.cell(row, col)
                if (name, ca.coordinate) in skip:
                    continue
                if ca.value != cb.value or (ca.data_type == "f") != (cb.data_type == "f"):
                    diffs.append((name, ca.coordinate, ca.value, cb.value))
    return diffs


# ----------------------------------------------------------------------------- Excel calls

def card_in_use(rows: int) -> Workbook:
    """A card as staff have it after a while: every settings sheet, processed by the batch a week
    ago (so Findings, Log and Counters exist), and five complaints typed since, which need
    numbers, classes and deadlines: every button has work to do."""
    wb = card_workbook(rows)
    loc = find_register(wb)
    outcome = process(read_register(loc), read_grids(wb), TODAY - dt.timedelta(days=7),
                      read_counters(wb), last_state=read_case_state(wb))
    apply_outcome(wb, loc, outcome, RunInfo(WHEN, "batch", __version__))
    apply_case_log(wb, outcome, RunInfo(WHEN, "batch", __version__))
    for row in make_demo(5, months=1, end=TODAY, seed=9).rows:
        wb["Complaints"].append(row)
    return wb


def calls_per_button(wb: Workbook) -> dict[str, tuple[int, int]]:
    """(calls, lookups) of each button pressed once on the card as it was before any press."""
    book = StandinBook(wb)
    restore = book.checkpoint()
    counts = {}
    for macro in BUTTONS:
        restore()
        result = run_button(book, macro, today=TODAY, when=WHEN)
        assert result.ok, result.message
        counts[macro] = (book.log.count, len(book.log.lookups))
    return counts


@pytest.fixture(scope="module")
def in_use_counts() -> dict[int, dict[str, tuple[int, int]]]:
    return {rows: calls_per_button(card_in_use(rows)) for rows in (10, 10_000)}


# Reading: sheet names 1, register 2 (address, values), four settings sheets 2 each, Counters 1
# (it starts at A1, its header says so), Log 1 (where the next row goes) = 13. Writing: Counters
# 1, one block per separate area of the register a button changes, Findings 2 (clear, write),
# Log 1, select the first error 1, status bar 1. Run all writes three areas on this card (case
# numbers in column A, classes in the middle, the add-in's columns at the end) and staff columns
# lie between them, which are never rewritten. A gap made only of the add-in's own columns is
# bridged (Repeat of and Check with Risk between them: one block), so how many of them change
# never adds a call. The case log: its state 1 and its extent 1 at every press; the press that
# numbers (or sees a changed case) appends events 1 and rewrites the state 1.
EXPECTED_CALLS = {"validate": 21, "assign_numbers": 24, "classify": 22,
                  "deadlines_and_colours": 21, "run_all": 26}


def test_calls_per_button_are_the_same_for_10_and_10000_rows(in_use_counts):
    small, large = in_use_counts[10], in_use_counts[10_000]
    print("\ncalls (lookups) per button, card with every settings sheet, Findings, Log, Counters")
    for macro in BUTTONS:
        print(f"  {macro:22} 10 rows: {small[macro][0]:2} ({small[macro][1]})   "
              f"10,000 rows: {large[macro][0]:2} ({large[macro][1]})")
    assert small == large
    assert {m: calls for m, (calls, _) in large.items()} == EXPECTED_CALLS


def test_every_button_stays_within_the_budget(in_use_counts):
    over = {m: c for m, (c, _) in in_use_counts[10_000].items() if c > CALL_BUDGET}
    assert over == {}


# A working day at the desk on a card with every settings sheet: each button once (the first
# presses add Findings, Log and Counters), then Run all again on the next working day (TODAY is a
# Friday), when days open grow.
SEQUENCE = (*BUTTONS, "run_all+3")


def calls_per_press(path: Path) -> list[int]:
    """Press every button in turn on one workbook (each press sees the previous one's output)."""
    book = StandinBook(path)
    counts = []
    for step in SEQUENCE:
        macro, _, later = step.partition("+")
        before = book.log.count
        result = run_button(book, macro, today=TODAY + dt.timedelta(days=int(later or 0)),
                            when=WHEN)
        assert result.ok, result.message
        counts.append(book.log.count - before)
    return counts


def test_a_day_of_presses_costs_the_same_for_10_and_10000_rows(small_card, large_card):
    small, large = calls_per_press(small_card), calls_per_press(large_card)
    assert small == large
    # Only the press that creates the Counters sheet (add, hide, write) goes over.
    assert max(large) <= CALL_BUDGET + 1, dict(zip(SEQUENCE, large, strict=True))


def test_each_settings_sheet_costs_two_calls(small_card, bare_small, bare_large):
    """Its used range's address, then its values, whatever the rows: the same day without the
    four settings sheets costs eight calls fewer at every press."""
    bare = calls_per_press(bare_small)
    assert calls_per_press(bare_large) == bare
    assert calls_per_press(small_card) == [n + 8 for n in bare]


def test_a_settings_row_below_a_gap_is_read(tmp_path):
    """A holiday typed far below the others, after empty rows, is read as the batch door reads
    it (a fixed block from A1 used to stop short of it)."""
    from addin.xl.read import read_settings_block

    wb = Workbook()
    ws = wb.active
    ws.title = "Holidays"
    ws["A1"], ws["A2"], ws["A450"] = "Date", "2026-10-01", "2026-10-02"
    path = tmp_path / "gap.xlsx"
    wb.save(path)
    block = read_settings_block(StandinBook(path).sheets["Holidays"], "Holidays")
    assert (block.first_row, block.first_col) == (1, 1)
    assert len(block.rows) == 450 and block.rows[-1] == ["2026-10-02"]


def test_a_long_settings_sheet_is_read_whole(tmp_path):
    """A Holidays sheet of hundreds of rows: no row is lost."""
    from addin.xl.read import read_settings_block

    wb = Workbook()
    ws = wb.active
    ws.title = "Holidays"
    rows = 450
    for r in range(1, rows + 1):
        ws.cell(row=r + 2, column=2, value=f"day {r}")
    path = tmp_path / "long.xlsx"
    wb.save(path)
    block = read_settings_block(StandinBook(path).sheets["Holidays"], "Holidays")
    assert (block.first_row, block.first_col) == (3, 2)
    assert len(block.rows) == rows and block.rows[-1] == [f"day {rows}"]


def test_a_settings_sheet_is_anchored_where_its_content_starts(tmp_path):
    """Rule ids and finding cells must name the cells staff see, even below a title."""
    from addin.xl.read import read_settings_block

    wb = Workbook()
    ws = wb.active
    ws.title = "Rules"
    ws["C4"], ws["D5"] = "Id", "late"
    path = tmp_path / "rules.xlsx"
    wb.save(path)
    block = read_settings_block(StandinBook(path).sheets["Rules"], "Rules")
    assert (block.first_row, block.first_col) == (4, 3)
    assert block.rows == [["Id", None], [None, "late"]]


def test_block_writes_cover_whole_column_runs_not_cells(bare_large):
    book = StandinBook(bare_large)
    result = run_button(book, "run_all", today=TODAY, when=WHEN)
    register_writes = [c for c in book.log.calls if c.startswith("set value Complaints!")]
    assert result.plan.cells_changed > 10_000
    assert 1 <= len(register_writes) <= 3


# ----------------------------------------------------------------------------- agreement

@pytest.fixture(scope="module")
def demo_card(tmp_path_factory) -> tuple[Path, Path]:
    """The demo workbook (from the builder: every sheet of the card, 300 demo complaints) and the
    batch door's run over a copy of it."""
    folder = tmp_path_factory.mktemp("demo")
    demo = make_demo(300, months=4, end=TODAY, seed=11)
    card = build_workbook(folder / "demo.xlsx", "en", headers=demo.headers, rows=demo.rows)
    batch = folder / "batch.xlsx"
    shutil.copy(card, batch)
    process_file(batch, today=TODAY, analysis=False, user=current_user())
    return card, batch


def expected_after(card: Path, batch: Path, macro: str, out: Path) -> set[tuple[str, str]]:
    """The card as a button should leave it: the batch's cells in the button's columns, the
    headers of added columns, Findings and (when it numbers) Counters; the card's cells elsewhere.
    Returns the Log cells a live run fills differently (when, which button, cells changed)."""
    wb, done = load_workbook(card), load_workbook(batch)
    copied = ["Findings", "Log"] + (["Counters"] if "numbers" in BUTTON_PARTS[macro] else [])
    for name in done.sheetnames:
        if name in copied and name not in wb.sheetnames:
            wb.create_sheet(name).sheet_state = done[name].sheet_state
    register, finished = wb["Complaints"], done["Complaints"]
    keys = {k for part in BUTTON_PARTS[macro] for k in PARTS[part]}
    added = range(register.max_column + 1, finished.max_column + 1)
    header = 2  # the builder's register: a note where the buttons would be, then the header
    for key, pos in match_headers([c.value for c in finished[header]]).items():
        col = pos + 1
        if key in keys or col in added:
            rows = range(1, finished.max_row + 1) if key in keys else range(header, header + 1)
            for row in rows:
                register.cell(row, col).value = finished.cell(row, col).value
    for name in copied:
        for row in done[name].iter_rows():
            for cell in row:
                wb[name][cell.coordinate].value = cell.value
    numbered = "numbers" in BUTTON_PARTS[macro]
    times = _copy_case_log(wb, done, None if numbered else _case_numbers(load_workbook(card)))
    wb.save(out)
    log = done["Log"]
    varying = ("A", "K") if macro == "run_all" else ("A", "G", "K")
    return {("Log", f"{col}{log.max_row}") for col in varying} | times


def _case_numbers(wb: Workbook) -> set[str]:
    ws = wb["Complaints"]
    col = match_headers([c.value for c in ws[2]])["case_no"] + 1
    return {str(r[0]) for r in ws.iter_rows(3, ws.max_row, col, col, values_only=True) if r[0]}


def _copy_case_log(wb: Workbook, done: Workbook, numbers: set[str] | None
                   ) -> set[tuple[str, str]]:
    """The batch's Case log and Case state, without the cases a button that does not number
    leaves unnumbered (they are created by the run that numbers them); returns the Time cells,
    which the batch stamps with the clock."""
    times = set()
    for name in ("Case log", "Case state"):
        if name not in done.sheetnames:
            continue
        ws = wb[name] if name in wb.sheetnames else wb.create_sheet(name)
        ws.sheet_state = done[name].sheet_state
        rows = [r for i, r in enumerate(done[name].iter_rows(values_only=True))
                if i == 0 or numbers is None or str(r[0]) in numbers]
        for r, values in enumerate(rows, 1):
            for c, value in enumerate(values, 1):
                ws.cell(r, c).value = value
        if name == "Case log":
            times |= {(name, f"B{r}") for r in range(2, len(rows) + 1)}
    return times


@pytest.mark.parametrize("macro", BUTTONS)
def test_every_button_agrees_with_the_batch_on_the_demo_workbook(demo_card, tmp_path, macro):
    card, batch = demo_card
    book, result = press(card, macro)
    assert result.ok, result.message
    book.wb.save(tmp_path / "live.xlsx")
    skip = expected_after(card, batch, macro, tmp_path / "expected.xlsx")
    assert cell_differences(tmp_path / "live.xlsx", tmp_path / "expected.xlsx", skip) == []


def test_the_demo_comparison_can_fail(demo_card, tmp_path):
    """The comparison above sees a single wrong cell, and text Excel would have retyped."""
    card, batch = demo_card
    book, _ = press(card, "run_all")
    book.wb["Complaints"]["A2"].value = "tampered"
    book.wb["Findings"]["B2"] = "=1+1"
    book.wb.save(tmp_path / "live.xlsx")
    skip = expected_after(card, batch, "run_all", tmp_path / "expected.xlsx")
    diffs = cell_differences(tmp_path / "live.xlsx", tmp_path / "expected.xlsx", skip)
    assert [(sheet, cell) for sheet, cell, _, _ in diffs] == [("Complaints", "A2"),
                                                              ("Findings", "B2")]


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_run_all_writes_the_same_cells_as_the_batch(tmp_path, lang):
    card = build_book(tmp_path / "card.xlsx", 120, lang=lang)
    book, result = press(card, "run_all")
    assert result.ok, result.message
    book.wb.save(tmp_path / "live.xlsx")
    batch_run(card, tmp_path / "batch.xlsx")
    assert cell_differences(tmp_path / "live.xlsx", tmp_path / "batch.xlsx") == []


@pytest.mark.slow
def test_a_larger_register_agrees_with_the_batch(tmp_path):
    card = build_book(tmp_path / "card.xlsx", 2_000)
    book, _ = press(card, "run_all")
    book.wb.save(tmp_path / "live.xlsx")
    batch_run(card, tmp_path / "batch.xlsx")
    assert cell_differences(tmp_path / "live.xlsx", tmp_path / "batch.xlsx") == []


def test_second_run_next_day_agrees_with_the_batch(small_card, tmp_path):
    first, _ = press(small_card, "run_all")
    first.wb.save(tmp_path / "once.xlsx")
    # The next working day (TODAY is a Friday): days open grow, so both doors write. On a
    # Saturday the live door has nothing to write, while the batch still adds the conditional
    # formats a workbook made without the template lacks, with a Log row.
    tomorrow = TODAY + dt.timedelta(days=3)
    again, _ = press(tmp_path / "once.xlsx", "run_all", today=tomorrow)
    again.wb.save(tmp_path / "live.xlsx")
    batch_run(tmp_path / "once.xlsx", tmp_path / "batch.xlsx", today=tomorrow)
    assert cell_differences(tmp_path / "live.xlsx", tmp_path / "batch.xlsx") == []


def test_pressing_twice_the_same_day_adds_no_log_row(small_card, tmp_path):
    first, _ = press(small_card, "run_all")
    first.wb.save(tmp_path / "once.xlsx")
    again, result = press(tmp_path / "once.xlsx", "run_all")
    assert result.plan.noop
    assert not [c for c in again.log.calls if c.startswith("set value Log!")]
    assert again.wb["Log"].max_row == 2


# ----------------------------------------------------------------------------- each button

OWN = {
    "validate": PARTS["check"],
    "assign_numbers": PARTS["numbers"],
    "classify": PARTS["classes"],
    "deadlines_and_colours": PARTS["deadlines"],
}


@pytest.mark.parametrize("macro", sorted(OWN))
def test_a_button_changes_only_its_own_columns(small_card, tmp_path, macro):
    book, result = press(small_card, macro)
    assert result.ok, result.message
    book.wb.save(tmp_path / "live.xlsx")
    before = read_workbook(StandinBook(small_card)).register
    after = read_workbook(StandinBook(tmp_path / "live.xlsx")).register
    changed = {key for key in after.columns
               if not before.col(key).equals(after.col(key))}
    assert changed and changed <= set(OWN[macro])
    # Every missing column of the add-in is added at once, in the batch door's order.
    assert set(after.columns) - set(before.columns) == set(result.outcome.new_columns)


def test_validate_fills_the_check_column_and_the_findings_sheet(small_card, tmp_path):
    book, result = press(small_card, "validate")
    findings = book.wb["Findings"]
    assert [c.value for c in findings[1]] == ["Cell", "Level", "Code", "Field", "Value",
                                              "Message", "What to do"]
    assert findings.max_row == len(result.outcome.findings) + 1
    check = read_workbook(book).register
    assert check.col("check").notna().sum() > 0


# ----------------------------------------------------------------------------- feedback

def test_staff_read_a_summary_with_counts(small_card):
    book, result = press(small_card, "run_all")
    s = result.outcome.summary
    expected = (f"Run all: {s.rows} rows checked, {s.numbered} numbers assigned, "
                f"{s.classified} rows classified, {s.overdue} overdue, {s.errors} errors, "
                f"{s.warnings} warnings, {result.plan.cells_changed} cells changed. "
                f"First error selected: {result.plan.first_error} (see the Findings sheet).")
    assert result.message == expected
    assert book.log.status == [expected]
    assert book.log.alerts == []


def test_chinese_workbook_gets_chinese_messages(tmp_path):
    card = build_book(tmp_path / "card.xlsx", 10, lang="zh-CN", settings=False)
    _, result = press(card, "validate")
    assert result.message.startswith("校验：已检查 10 行，")
    assert "已选中第一个错误：投诉登记!" in result.message


def test_the_first_error_is_selected(small_card):
    book, result = press(small_card, "validate")
    first = result.plan.first_error
    assert first is not None
    errors = [f for f in result.outcome.findings if f.level == "error" and f.row is not None]
    assert first.endswith(str(min(f.row for f in errors)))
    assert book._selection is not None
    assert book._selection._address == first.rpartition("!")[2]


def test_a_clean_register_selects_nothing(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Complaints"
    ws.append(["Received", "Channel", "Customer", "Phone", "Complaint", "Status"])
    ws.append([dt.datetime(2026, 3, 18, 10), "Phone", "Wang Fang", "13800138000",
               "The kettle leaks", "New"])
    wb.save(tmp_path / "clean.xlsx")
    book, result = press(tmp_path / "clean.xlsx", "validate")
    assert result.plan.first_error is None
    assert not [c for c in book.log.calls if c.startswith("select")]
    assert result.message == "Validate: 1 rows checked, 0 errors, 0 warnings, 0 cells changed."


class NoStatusBarApp:
    """xlwings Lite's app: no status bar, alerts only."""

    def __init__(self, log: CallLog) -> None:
        self.log = log

    @property
    def status_bar(self):
        raise NotImplementedError("App.status_bar is not supported on this engine")

    @status_bar.setter
    def status_bar(self, value):
        raise NotImplementedError("App.status_bar is not supported on this engine")

    def alert(self, prompt, title=None, buttons="ok", mode=None, callback=None):
        self.log("alert")
        self.log.alerts.append((title, prompt))


def test_without_a_status_bar_the_summary_is_a_message_box(small_card):
    book = StandinBook(small_card)
    book.app = NoStatusBarApp(book.log)
    result = run_button(book, "run_all", today=TODAY, when=WHEN)
    assert book.log.alerts == [("Complaint record – Run all", result.message)]


def test_a_workbook_without_a_register_gets_a_message_box(tmp_path):
    wb = Workbook()
    wb.active.title = "Notes"
    wb.active["A1"] = "shopping list"
    wb.save(tmp_path / "notes.xlsx")
    book, result = press(tmp_path / "notes.xlsx", "run_all")
    assert not result.ok
    assert book.log.alerts == [(
        "Complaint record – Run all",
        "No sheet holds a complaints table with the card's headers.\nWhere: notes.xlsx\n"
        "Name the sheet Complaints (or 投诉登记) and keep the card's header row.")]
    assert book.log.writes() == []


def test_a_run_never_adds_columns_over_what_staff_typed_beside_the_table(tmp_path):
    """The same refusal as the batch door's: the cell, what is in it, what to do; no writes."""
    wb = card_workbook(12)
    ws = wb["Complaints"]
    width = ws.max_column
    ws.cell(6, width + 2, "call back Friday")
    wb.save(tmp_path / "card.xlsx")
    book, result = press(tmp_path / "card.xlsx", "run_all")
    assert not result.ok
    (title, message), = book.log.alerts
    cell = f"Complaints!{ws.cell(6, width + 2).column_letter}6"
    assert f"{cell} holds 'call back Friday'" in message and "Give that column a header" in message
    assert book.log.writes() == []
    ws.cell(1, width + 2, "Notes of the day")  # with a header it is a column of its own
    wb.save(tmp_path / "card.xlsx")
    assert press(tmp_path / "card.xlsx", "run_all")[1].ok


def test_an_unexpected_error_is_a_message_not_a_traceback(small_card, monkeypatch):
    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(macros, "plan_writes", broken)
    book, result = press(small_card, "run_all")
    assert book.log.alerts == [(
        "Complaint record – Run all",
        "Something unexpected went wrong (ZeroDivisionError: division by zero). The workbook was "
        "not changed.\nPlease send this message and the workbook to whoever looks after this "
        "tool.")]
    assert book.log.writes() == []


def test_a_failure_part_way_puts_the_register_back(small_card, tmp_path):
    probe, _ = press(small_card, "run_all")
    calls = probe.log.calls
    # Fail on the Findings sheet write: counters and register blocks are written by then.
    fail_at = calls.index(next(c for c in calls if c.startswith("set value Findings"))) + 1
    book, result = press(small_card, "run_all", log=CallLog(fail_at=fail_at))
    assert not result.ok
    title, text = book.log.alerts[0]
    assert title == "Complaint record – Run all"
    assert text.startswith("Excel refused to write Findings!A1:G")
    book.wb.save(tmp_path / "failed.xlsx")
    before = read_workbook(StandinBook(small_card)).register
    after = read_workbook(StandinBook(tmp_path / "failed.xlsx")).register
    for key, pos in before.columns.items():
        assert before.rows[pos].equals(after.rows[after.columns[key]]), key
    assert after.col("check").isna().all()  # added columns hold nothing


def test_a_failure_on_the_first_write_changes_nothing(small_card, tmp_path):
    probe, _ = press(small_card, "validate")
    first_write = probe.log.calls.index(probe.log.writes()[0]) + 1
    book, result = press(small_card, "validate", log=CallLog(fail_at=first_write))
    assert not result.ok
    assert "the workbook is as it was" in book.log.alerts[0][1]


# ----------------------------------------------------------------------------- reports

def test_case_summary_without_a_selection_says_what_to_do(small_card):
    book, _ = StandinBook(small_card), None
    result = macros.report_button(book, "case_summary", today=TODAY)
    assert not result.ok
    assert book.log.alerts[0][1] == (
        "Select the rows of the cases you want summarised on the complaints sheet (several rows "
        "are fine), then press Case summary again.")


def test_selected_rows_give_their_case_numbers(small_card, tmp_path):
    pressed, _ = press(small_card, "assign_numbers")
    pressed.wb.save(tmp_path / "numbered.xlsx")
    book = StandinBook(tmp_path / "numbered.xlsx")
    book.select_range("Complaints", "C3:F4")
    snap: Snapshot = read_workbook(book, roles=())
    numbers = macros.selected_case_numbers(book, snap)
    column = snap.register.col("case_no")
    assert numbers == [str(column[row]) for row in (3, 4) if column[row]]


def test_case_summary_writes_cards_for_the_selected_cases(small_card, tmp_path):
    pressed, _ = press(small_card, "assign_numbers")
    pressed.wb.save(tmp_path / "numbered.xlsx")
    book = StandinBook(tmp_path / "numbered.xlsx")
    book.name = str(tmp_path / "numbered.xlsx")
    snap = read_workbook(StandinBook(tmp_path / "numbered.xlsx"), roles=())
    row = next(r for r, v in snap.register.col("case_no").items() if v)
    book.select_range("Complaints", f"A{row}")
    result = macros.report_button(book, "case_summary", today=TODAY)
    assert result.ok, result.message
    assert result.files and all(f.exists() for f in result.files)
    assert result.message.startswith("Written from the workbook as it is on screen, unsaved "
                                     f"changes included ({len(result.files)} files):")


def test_monthly_report_is_written_next_to_the_workbook(small_card, tmp_path):
    path = tmp_path / "card.xlsx"
    path.write_bytes(small_card.read_bytes())
    book = StandinBook(path)
    book.name = str(path)
    result = macros.report_button(book, "monthly_report", today=TODAY)
    assert result.ok, result.message
    assert any(f.suffix == ".html" and f.parent == tmp_path for f in result.files)
    # The button also rebuilds the workbook's own Analysis and Monthly sheets, once each.
    assert book.wb.sheetnames.count("Analysis") == 1
    assert book.wb.sheetnames.count("Monthly") == 1
    macros.report_button(book, "monthly_report", today=TODAY)
    assert book.wb.sheetnames.count("Analysis") == 1


# ----------------------------------------------------------------------------- remote engine

@pytest.mark.skipif(not os.environ.get("XLWINGS_LICENSE_KEY"),
                    reason="xlwings' remote engine needs XLWINGS_LICENSE_KEY")
@pytest.mark.parametrize("macro", BUTTONS)
def test_the_remote_engine_receives_the_same_writes(small_card, macro):
    """The same button through xlwings' own remote engine (as in xlwings Server and Lite): the
    blocks it queues are the blocks the stand-in saw written, and the summary arrives as a
    message box because that engine has no status bar."""
    from openpyxl.utils.cell import get_column_letter

    standin, expected = press(small_card, macro)
    book = remote_book(small_card)
    result = run_button(book, macro, today=TODAY, when=WHEN)
    assert result.ok, result.message
    names = list(load_workbook(small_card).sheetnames)
    queued = []
    for action in book.json()["actions"]:
        if action["func"] == "addSheet":
            names.append(action["args"][1])
        if action["func"] != "setValues":
            continue
        top, left = action["start_row"] + 1, action["start_column"] + 1
        bottom, right = top + action["row_count"] - 1, left + action["column_count"] - 1
        corner = f"{get_column_letter(left)}{top}"
        if (bottom, right) != (top, left):
            corner += f":{get_column_letter(right)}{bottom}"
        queued.append(f"set value {names[action['sheet_position']]}!{corner}")
    written = [c for c in standin.log.calls if c.startswith("set value")]
    assert queued == written
    assert result.message == expected.message
    assert book.json()["actions"][-1]["args"][:2] == [result.message,
                                                      f"Complaint record – {TITLE[macro]}"]


TITLE = {"validate": "Validate", "assign_numbers": "Assign numbers", "classify": "Classify",
         "deadlines_and_colours": "Deadlines & colours", "run_all": "Run all"}


def remote_book(path: Path):
    """``xw.Book(json=...)``: the payload a client sends, built from the file's values."""
    import xlwings as xw

    wb = load_workbook(path)
    sheets = []
    for ws in wb.worksheets:
        values = [["" if v is None else v.isoformat(timespec="milliseconds") + "Z"
                   if isinstance(v, dt.datetime) else v
                   for v in row] for row in ws.iter_rows(values_only=True)] or [[""]]
        sheets.append({"name": ws.title, "values": values, "pictures": [], "tables": []})
    payload = {
        "client": "Microsoft Office Scripts", "version": xw.__version__,
        "book": {"name": path.name, "active_sheet_index": 0, "selection": "A1"},
        "names": [], "sheets": sheets,
    }
    return xw.Book(json=payload)


def test_a_written_block_is_a_rectangle_with_every_text_kept_as_text():
    """Short rows are padded; every non-empty text (a str subclass too) gets the apostrophe
    that keeps Excel from reading it as a number, date or formula; nothing else changes."""
    from addin.xl.write import _rectangle

    class Label(str):
        pass

    when = dt.datetime(2026, 3, 1, 9, 30)
    rows = (("0571", 571, "", None), ("=A1",), (Label("2026-03-01"), True, 2.5, when))
    assert _rectangle(rows) == [["'0571", 571, "", None], ["'=A1", None, None, None],
                                ["'2026-03-01", True, 2.5, when]]
    assert _rectangle(((1, "a"), ("b", 2))) == [[1, "'a"], ["'b", 2]]  # none short: unpadded
    assert _rectangle(()) == []
