"""The Case log the builder makes: both doors append below its header, in either order, and keep
the rows staff wrote there before any run."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook
from test_caselog_doors import run

from addin.core.caselog import EVENT_NAMES
from addin.core.fields import match_headers
from addin.workbook import build_workbook
from addin.workbook.texts import CASE_LOG_HELP, EVENT_HELP

STAFF_NOTE = ("Called the customer back", "Amy")  # (note, by)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return build_workbook(tmp_path_factory.mktemp("built") / "card.xlsx", "en")


def register(wb) -> tuple[object, dict[str, int], int]:
    """The register sheet, its columns by field key (1-based) and its header row."""
    ws = wb["Complaints"]
    header_row = next(r for r in range(1, 5) if ws.cell(r, 1).value == "Case No")
    cols = {k: i + 1 for k, i in match_headers([c.value for c in ws[header_row]]).items()}
    return ws, cols, header_row


def with_staff_note(built: Path, out: Path) -> tuple[str, str]:
    """Staff note a call on the builder's Case log before any run; returns the case number and
    its handler."""
    wb = load_workbook(built)
    ws, cols, header_row = register(wb)
    number = ws.cell(header_row + 1, cols["case_no"]).value
    handler = ws.cell(header_row + 1, cols["handler"]).value
    wb["Case log"].append([number, dt.datetime(2026, 3, 20, 9), "Note", None, None,
                           STAFF_NOTE[1], STAFF_NOTE[0]])
    wb.save(out)
    return number, handler


def new_handler(source: Path, out: Path, number: str) -> None:
    wb = load_workbook(source)
    ws, cols, header_row = register(wb)
    row = next(r for r in range(header_row + 1, ws.max_row + 1)
               if ws.cell(r, cols["case_no"]).value == number)
    ws.cell(row, cols["handler"]).value = "Someone Else"
    wb.save(out)


@pytest.fixture(scope="module")
def logs(built, tmp_path_factory) -> dict[tuple[str, str], tuple[list, str, str, object]]:
    """(first door, second door) -> the Case log after both, the noted case, its handler before
    and the log's header cell."""
    folder = tmp_path_factory.mktemp("runs")
    found = {}
    for doors in (("batch", "live"), ("live", "batch")):
        name = "-".join(doors)
        number, handler = with_staff_note(built, folder / f"{name}-0.xlsx")
        once = run(doors[0], folder / f"{name}-0.xlsx", folder / f"{name}-1.xlsx")
        new_handler(once, folder / f"{name}-edited.xlsx", number)
        twice = run(doors[1], folder / f"{name}-edited.xlsx", folder / f"{name}-2.xlsx")
        sheet = load_workbook(twice)["Case log"]
        found[doors] = ([tuple(r) for r in sheet.iter_rows(values_only=True)], number, handler,
                        sheet["A1"])
    return found


def test_either_door_continues_the_builders_case_log(built, logs):
    (first, number, handler, header_cell), (second, *_) = logs.values()
    assert first == second
    header, note, *events = first
    assert header == ("Case No", "Time", "Event", "From", "To", "By", "Note")
    built_header = load_workbook(built)["Case log"]["A1"]
    assert (header_cell.font.b, header_cell.fill.fgColor.rgb) == (
        True, built_header.fill.fgColor.rgb)
    # The row staff wrote before any run is where they put it, as they wrote it.
    assert note == (number, dt.datetime(2026, 3, 20, 9), "Note", None, None, "Amy",
                    "Called the customer back")
    created = [e for e in events if e[2] == "Created"]
    ws, cols, header_row = register(load_workbook(built))
    numbered = [ws.cell(r, cols["case_no"]).value for r in range(header_row + 1, ws.max_row + 1)]
    assert [e[0] for e in created] == [n for n in numbered if n]  # the first run, case by case
    assert events[:len(created)] == created
    assert [e[2:6] for e in events[len(created):]] == [
        ("Handler", handler, "Someone Else", "ComplaintRecord")]


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_help_explains_the_case_log_and_every_event(tmp_path, lang):
    wb = load_workbook(build_workbook(tmp_path / "card.xlsx", lang))
    help_sheet = wb["帮助" if lang.startswith("zh") else "Help"]
    rows = [tuple(c for c in r if c is not None) for r in help_sheet.iter_rows(values_only=True)]
    zh = lang.startswith("zh")
    for event, name in EVENT_NAMES.items():  # every event a run writes, and staff's Note
        assert (event, name, EVENT_HELP[event][zh]) in rows
    topics = {row[0]: row[1] for row in rows if len(row) == 2}
    assert all(topics[topic.in_(lang)] == text.in_(lang) for topic, text in CASE_LOG_HELP)
    assert any("Case state" in topic for topic in topics)  # the hidden sheet, by its name
