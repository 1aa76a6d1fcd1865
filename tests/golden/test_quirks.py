"""One test per quirk the golden files pin, each looking at its own small piece of them.

Every test runs twice (``books``): on what the code writes now, so that a change in behaviour
fails under the quirk's name and not only as "sheet1.xml differs", and on the committed golden
file, so that a regeneration cannot quietly lose the quirk. Cells are found by their headers,
never by fixed coordinates.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from addin.core.fields import BY_KEY

from .canon import sheet_parts, workbook_parts
from .inputs import LANGS, PINNED_ENV, ROWS, SUMMARY_CASE, register_name, report_name

SUMMARY_CARD, SUMMARY_MAIL = f"summary-{SUMMARY_CASE}.html", f"summary-{SUMMARY_CASE}.md"


@functools.lru_cache(maxsize=16)
def workbook(path: Path):
    return load_workbook(path)


def register(books: dict[str, Path], lang: str) -> Worksheet:
    """The register: the workbook's first sheet."""
    return workbook(books[register_name(lang)]).worksheets[0]


def column(ws: Worksheet, key: str, lang: str) -> dict[int, object]:
    """Data row -> cell, under the header the card gives field ``key`` in ``lang``."""
    header = BY_KEY[key].header(lang)
    [col] = [c.column for c in ws[1] if c.value == header]
    return {row: ws.cell(row, col) for row in range(2, ws.max_row + 1)}


def text(books: dict[str, Path], name: str) -> str:
    return books[name].read_text(encoding="utf-8")


# ----------------------------------------------------------------------------- the register

@pytest.mark.parametrize("lang", LANGS)
def test_dates_are_written_as_serial_numbers_with_the_yyyy_mm_dd_format_not_as_text(books,
                                                                                     lang):
    path = books[register_name(lang)]
    ws = register(books, lang)
    with zipfile.ZipFile(path) as archive:
        part = sheet_parts(archive)[ws.title]
    lines = {m.group(1): line for line in workbook_parts(path)[part]
             if (m := re.search(r'c r="([A-Z]+\d+)"', line))}
    due = column(ws, "due_at", lang)
    assert len(due) == len(ROWS)
    for row, cell in due.items():
        assert re.search(r't="n" / v = "\d+"$', lines[cell.coordinate]), lines[cell.coordinate]
        assert cell.number_format == "yyyy-mm-dd"
        assert isinstance(cell.value, dt.datetime) and cell.value.time() == dt.time(0), row


@pytest.mark.parametrize("lang", LANGS)
def test_text_that_looks_like_a_number_stays_text(books, lang):
    ws = register(books, lang)
    orders = [c.value for c in column(ws, "order_ref", lang).values() if c.value is not None]
    phones = [c for c in column(ws, "phone", lang).values() if c.value is not None]
    assert orders == ["00123", "4500012345"]  # the leading zeros are still there
    assert phones and all(c.data_type == "s" and isinstance(c.value, str) for c in phones)


def test_case_numbers_follow_the_order_of_receipt_not_the_row_order(books):
    ws = register(books, "en")
    numbers, received = column(ws, "case_no", "en"), column(ws, "received_at", "en")
    march = [(received[row].value, cell.value) for row, cell in numbers.items()
             if (cell.value or "").startswith("TS-202603-")]
    in_rows = [number for _, number in march]
    by_receipt = [number for _, number in sorted(march)]
    assert by_receipt == [f"TS-202603-{n:04d}" for n in range(1, len(march) + 1)]
    assert in_rows != by_receipt  # a row typed later but received earlier got the lower number


def test_a_row_with_errors_gets_no_case_number_and_a_warning_at_its_case_no_cell(books):
    ws = register(books, "en")
    empty = {f"{ws.title}!{cell.coordinate}" for cell in column(ws, "case_no", "en").values()
             if cell.value is None}
    findings = workbook(books[register_name("en")])["Findings"]
    warned = {row[0] for row in findings.iter_rows(min_row=2, values_only=True)
              if row[2] == "not-numbered"}
    assert len(empty) == 3 and warned == empty


@pytest.mark.parametrize("lang", LANGS)
def test_the_findings_sheet_links_each_finding_to_its_cell(books, lang):
    wb = workbook(books[register_name(lang)])
    findings = wb["Findings"]
    rows = list(findings.iter_rows(min_row=2))
    assert len(rows) >= 5
    for first, *_ in rows:
        sheet, ref = first.value.split("!")
        assert sheet == wb.worksheets[0].title
        assert first.hyperlink is not None and first.hyperlink.location == f"'{sheet}'!{ref}"


def test_conditional_formats_not_static_fills_colour_overdue_rows(books):
    ws = register(books, "en")
    whole = f"A2:{ws.cell(ws.max_row, ws.max_column).coordinate}"
    rules = {str(cf.sqref): [r.formula[0] for r in cf.rules] for cf in ws.conditional_formatting}
    sla = column(ws, "sla_status", "en")[2].column_letter
    assert f'OR(${sla}2="Overdue",${sla}2="已超期")' in rules[whole]  # both languages' word
    overdue = [row for row, cell in column(ws, "sla_status", "en").items()
               if cell.value == "Overdue"]
    assert overdue
    assert all(ws.cell(row, col).fill.patternType is None for row in overdue
               for col in range(1, ws.max_column + 1))


def test_the_counters_sheet_is_hidden_and_holds_the_last_number_of_each_month(books):
    wb = workbook(books[register_name("en")])
    counters = wb["Counters"]
    assert counters.sheet_state == "hidden"
    assert dict(counters.iter_rows(min_row=2, values_only=True)) == {
        "202602": 7, "202603": 7, "202604": 1}


def test_a_column_of_the_offices_own_is_left_as_it_was(books):
    for lang in LANGS:
        ws = register(books, lang)
        memo = [c for c in ws[1] if c.value in ("Internal memo", "内部备忘")]
        assert [c.column for c in memo] == [5]  # where staff put it, between card columns
        values = [ws.cell(row, 5).value for row in range(2, ws.max_row + 1)]
        assert values == [row[4] for row in ROWS]


def test_the_register_table_grows_over_the_columns_a_run_adds(books):
    ws = register(books, "en")
    [table] = ws.tables.values()
    assert table.ref == f"A1:{ws.cell(ws.max_row, ws.max_column).coordinate}"
    assert [c.name for c in table.tableColumns] == [c.value for c in ws[1]]
    assert len(ws[1]) > len(ROWS[0])  # the run did add columns


def test_a_chinese_register_gets_chinese_headers_values_and_findings(books):
    wb = workbook(books[register_name("zh-CN")])
    ws = wb.worksheets[0]
    headers = [c.value for c in ws[1]]
    assert {"回复时限", "处理时限", "时限状态", "校验结果"} <= set(headers)
    # The case resolved before it was received has no SLA status: its dates measure nothing.
    assert {c.value for c in column(ws, "sla_status", "zh-CN").values()} == {
        "已超期", "按时结案", "超期结案", "正常", None}
    findings = wb["Findings"]
    assert [c.value for c in findings[1]][:2] == ["单元格", "级别"]
    assert findings["F2"].value == "“客户姓名”为必填项。"
    # The add-in's own sheets keep their English names: every door finds them by those.
    assert {"Findings", "Counters", "Log"} <= set(wb.sheetnames)


def test_the_log_has_one_row_for_the_run_with_its_time_user_and_counts(books):
    ws = register(books, "en")
    numbered = sum(1 for c in column(ws, "case_no", "en").values() if c.value) - 1  # one was
    log = workbook(books[register_name("en")])["Log"]
    assert log.max_row == 2
    when, who, _version, rows, assigned = (c.value for c in log[2][:5])
    assert isinstance(when, dt.datetime) and log["A2"].number_format == "yyyy-mm-dd hh:mm"
    assert who == PINNED_ENV["USERNAME"]
    assert (rows, assigned) == (len(ROWS), numbered)


def test_a_repeat_complaint_names_the_earlier_case(books):
    ws = register(books, "en")
    numbers = column(ws, "case_no", "en")
    repeats = {row: c.value for row, c in column(ws, "repeat_of", "en").items() if c.value}
    [(row, earlier)] = repeats.items()
    assert earlier == numbers[2].value  # the same customer's first complaint, row 2
    assert ws.cell(row, 4).value == ws.cell(2, 4).value


# ----------------------------------------------------------------------------- the reports

def test_the_card_escapes_script_in_a_complaint(books):
    card = text(books, SUMMARY_CARD)
    assert "&lt;script&gt;alert(" in card
    assert "<script" not in card


def test_the_email_summary_shows_script_in_a_complaint_as_text(books):
    """Mail clients render HTML inside Markdown: the complaint's tag arrives as entities."""
    mail = text(books, SUMMARY_MAIL)
    assert "&lt;script&gt;alert(" in mail
    assert "<script" not in mail


def test_phone_numbers_are_masked_in_the_report_and_the_card(books):
    report, card = text(books, report_name()), text(books, SUMMARY_CARD)
    assert "138****5678" in report  # the repeat customer's phone
    assert "139****1111" in card  # a phone number typed inside the complaint
    for shown in (report, card):
        assert not re.search(r"(?<!\d)1\d{10}(?!\d)", shown)


def test_the_email_summary_masks_the_customer_and_the_email_address(books):
    mail = text(books, SUMMARY_MAIL)
    assert f"# Case summary {SUMMARY_CASE}" in mail
    assert "J*** Smith" in mail
    assert "John Smith" not in mail and "john@example.com" not in mail


def test_the_report_names_the_month_the_day_it_was_made_and_the_workbook_file(books):
    report = text(books, report_name())
    assert "2026年3月" in report and "2026年4月10日" in report
    assert f"根据 {register_name('zh-CN')} 生成" in report  # the name alone, no folder
