"""The printable card and the email summary: every field of the card, empty ones as lines to fill
in by hand, and the case's timeline from the Case log (the doors' events and staff's own rows),
in either language, masked like the rest of the case."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from test_xl_macros import batch_run, build_book, press
from xl_standin import StandinBook

from addin.core.fields import BY_KEY, match_headers
from addin.layout.card import card_keys, missing_from_card
from addin.xl import macros
from reports.render import environment
from reports.summary import SUMMARY_EVENTS, case_context, render_case, write_summaries
from reports.timeline import case_log_frame

TODAY = dt.date(2026, 4, 10)
NUMBER = "TS-202603-0002"
# A Chinese workbook's Case log: the doors' events in Chinese, staff's rows, another case between.
ZH_LOG = [
    ("案件编号", "时间", "事件", "原值", "新值", "操作人", "说明"),
    (NUMBER, dt.datetime(2026, 3, 10, 9, 5), "创建", None, NUMBER, "ComplaintRecord", None),
    ("TS-202603-0001", dt.datetime(2026, 3, 10, 9, 5), "创建", None, "TS-202603-0001",
     "ComplaintRecord", None),
    (NUMBER, dt.datetime(2026, 3, 11, 8, 0), "状态变更", "新建", "处理中", "ComplaintRecord",
     None),
    (NUMBER, dt.datetime(2026, 3, 11, 8, 0), "时限变更", dt.datetime(2026, 3, 17),
     dt.datetime(2026, 3, 19), "ComplaintRecord", "处理时限"),
    (f" {NUMBER.lower()} ", None, "跟进记录", None, None, "王芳",
     "致电 John Smith，13900001111，客户同意退款"),
    (None, None, None, None, None, None, None),  # a gap staff left
    (NUMBER, dt.date(2026, 3, 12), "上门", None, None, "王芳", None),  # an event of their own
]


@pytest.fixture
def case() -> pd.Series:
    return pd.Series({"case_no": NUMBER, "received_at": pd.Timestamp("2026-03-10 09:00"),
                      "customer_name": "John Smith", "email": "john@example.com",
                      "description": "Billed twice", "status": "In progress",
                      "handler": "Li Si", "severity": "Major", "risk": "Property loss; Legal",
                      "compensation": 1200, "due_at": pd.Timestamp("2026-03-19")})


def test_the_card_layout_holds_every_field_of_the_register():
    assert missing_from_card() == set()
    assert len(card_keys()) == len(set(card_keys()))


def test_card_shows_every_field_and_empty_ones_as_lines(case):
    context = case_context(case, "en", mask=False, today=TODAY)
    card, _ = render_case(environment(None), context)
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th><td( class="fill lines-(\d)")?>', card)
    assert [unescape(label) for label, *_ in rows] == [BY_KEY[k].en for k in card_keys()]
    empty = {unescape(label): int(lines) for label, fill, lines in rows if fill}
    assert "Customer" not in empty and "Compensation" not in empty  # filled
    assert (empty["Root cause"], empty["Solution"], empty["Remedy"]) == (2, 2, 1)
    assert "<td>1,200</td>" in card and "<td>Property loss; Legal</td>" in card


def test_timeline_in_the_other_language_with_notes_masked(case):
    context = case_context(case, "en", mask=True, today=TODAY, case_log=case_log_frame(ZH_LOG))
    shown = [(e.time, e.event, e.change, e.by, e.note) for e in context.timeline]
    assert shown == [
        ("10 Mar 2026 09:05", "Created", f"→ {NUMBER}", "ComplaintRecord", ""),
        ("11 Mar 2026 08:00", "Status", "New → In progress", "ComplaintRecord", ""),
        ("11 Mar 2026 08:00", "Deadline", "17 Mar 2026 → 19 Mar 2026", "ComplaintRecord",
         "Resolve by"),
        ("", "Note", "", "王芳", "致电 J*** Smith，139****1111，客户同意退款"),
        ("12 Mar 2026", "上门", "", "王芳", ""),  # staff's own event name, as written
    ]
    card, summary = render_case(environment(None), context)
    assert "John Smith" not in card and "13900001111" not in summary
    assert card.count('<tr class="write-in">') == context.blank_event_rows


def test_timeline_in_the_log_language_unmasked(case):
    context = case_context(case, "zh-CN", mask=False, today=TODAY, case_log=case_log_frame(ZH_LOG))
    assert [(e.event, e.change, e.note) for e in context.timeline[1:4]] == [
        ("状态变更", "新建 → 处理中", ""),
        ("时限变更", "2026年3月17日 → 2026年3月19日", "处理时限"),
        ("跟进记录", "", "致电 John Smith，13900001111，客户同意退款")]


def test_summary_shows_the_latest_events_and_counts_the_rest(case):
    log = ZH_LOG + [(NUMBER, dt.datetime(2026, 3, 20 + i, 10), "跟进记录", None, None, "王芳",
                     f"第 {i + 1} 次回访") for i in range(3)]
    context = case_context(case, "en", mask=False, today=TODAY, case_log=case_log_frame(log))
    _, summary = render_case(environment(None), context)
    section = summary.split("## Latest events\n\n", 1)[1].split("\n---\n", 1)[0]
    items = [line for line in section.splitlines() if line.startswith("- ")]
    assert len(context.timeline) == 8 and len(items) == SUMMARY_EVENTS
    assert items[-1] == "- 22 Mar 2026 10:00 · **Note** · 第 3 次回访 (王芳)"
    assert items[0] == "- – · **Note** · 致电 John Smith，13900001111，客户同意退款 (王芳)"
    assert section.rstrip().endswith("3 earlier event(s) on the Case log.")


@pytest.mark.parametrize("rows", [None, [], [("Case", "When")], ZH_LOG[:1]])
def test_no_log_or_not_a_log_gives_no_events(case, rows):
    context = case_context(case, "en", mask=False, today=TODAY, case_log=case_log_frame(rows))
    card, summary = render_case(environment(None), context)
    assert context.timeline == [] and "No events on the Case log yet" in card
    assert "## Latest events" not in summary


def test_summaries_of_a_saved_workbook_show_the_doors_events_and_staffs_notes(tmp_path: Path):
    """The batch door logs the cases; staff add a note; the card and summary show both."""
    card = build_book(tmp_path / "card.xlsx", 12)
    batch_run(card, tmp_path / "run.xlsx")
    wb = load_workbook(tmp_path / "run.xlsx")
    number = wb["Case log"]["A2"].value
    wb["Case log"].append([number, dt.datetime(2026, 3, 30, 15), "Note", None, None, "Amy",
                           "Promised a call back on Monday"])
    wb.save(tmp_path / "noted.xlsx")
    written = write_summaries(tmp_path / "noted.xlsx", [number], output_dir=tmp_path / "out",
                              today=TODAY, lang="en")
    html = next(p for p in written if p.suffix == ".html").read_text(encoding="utf-8")
    markdown = next(p for p in written if p.suffix == ".md").read_text(encoding="utf-8")
    assert "<td>Created</td>" in html and "Promised a call back on Monday" in html
    assert "**Note** · Promised a call back on Monday (Amy)" in markdown


def test_case_summary_button_shows_the_timeline_as_it_is_on_screen(tmp_path: Path):
    """The live door's Case summary reads the Case log on screen: a note typed and not saved
    is on the card."""
    pressed, result = press(build_book(tmp_path / "card.xlsx", 12), "run_all")
    assert result.ok, result.message
    pressed.wb.save(tmp_path / "run.xlsx")
    book = StandinBook(tmp_path / "run.xlsx")
    book.name = str(tmp_path / "run.xlsx")
    number = book.wb["Case log"]["A2"].value
    book.wb["Case log"].append([number, None, "Note", None, None, "Amy", "Left a voicemail"])
    ws = book.wb["Complaints"]
    column = match_headers([c.value for c in ws[1]])["case_no"] + 1
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, column).value == number)
    book.select_range("Complaints", f"A{row}")
    result = macros.report_button(book, "case_summary", today=TODAY)
    assert result.ok, result.message
    html = next(p for p in result.files if p.suffix == ".html").read_text(encoding="utf-8")
    assert "<td>Created</td>" in html and "<td>Left a voicemail</td>" in html
