"""The monthly report, case summaries, masking, template overrides and the fast reader."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from dataclasses import fields
from html import unescape
from pathlib import Path

import jinja2
import jinja2.meta
import openpyxl
import pandas as pd
import pytest

from addin.core.analysis import analyse_month
from addin.core.calendar import WorkCalendar
from addin.core.masking import mask_email, mask_name, mask_phone, mask_text
from addin.core.register import Grid
from reports import charts
from reports.contexts import CaseContext, MonthlyReportContext
from reports.monthly import monthly_context, read_actions
from reports.read import ReportRefused, read_workbook_fast
from reports.render import SHIPPED, TemplateProblem, environment, render, warm
from reports.summary import NoCaseMatched, case_context, render_case, safe_name, select_cases

MARCH = pd.Period("2026-03", freq="M")
TODAY = dt.date(2026, 4, 10)
HOSTILE = '<script>alert("x")</script>'


@pytest.fixture
def weekends_only() -> WorkCalendar:
    return WorkCalendar(frozenset(), frozenset(), (5, 6))


def cases_frame(rows: list[dict]) -> pd.DataFrame:
    table = pd.DataFrame(rows, index=pd.RangeIndex(2, 2 + len(rows)))
    for key in ("received_at", "acknowledged_at", "resolved_at", "ack_due", "due_at"):
        table[key] = pd.to_datetime(table.get(key), format="mixed")
    table["satisfaction"] = pd.to_numeric(table.get("satisfaction")).astype(float)
    return table


@pytest.fixture
def march_cases() -> pd.DataFrame:
    """Two overdue cases (one handled by a name that is an HTML tag), one closed, a repeat."""
    base = dict(channel="Phone", severity="Normal", urgency="Normal", department="Service",
                email=None, request=None, solution=None, outcome=None, repeat_of=None)
    return cases_frame([
        base | dict(case_no="TS-202603-0001", received_at="2026-03-02 09:30",
                    customer_name="张三", phone="13812345678", category="Delivery",
                    handler="李四", status="Closed", acknowledged_at="2026-03-02",
                    resolved_at="2026-03-04", ack_due="2026-03-05", due_at="2026-03-06",
                    satisfaction=5, description="快递延误", solution="补发"),
        base | dict(case_no="TS-202603-0002", received_at="2026-03-10", customer_name="John Smith",
                    phone=None, email="john@example.com", category="Billing", handler=HOSTILE,
                    status="In progress", acknowledged_at="2026-03-10", ack_due="2026-03-11",
                    due_at="2026-03-17", description=f"{HOSTILE} call me on 13900001111"),
        base | dict(case_no="TS-202603-0003", received_at="2026-03-20", customer_name="张三",
                    phone="138 1234 5678", category="Delivery", handler=None, status="New",
                    ack_due="2026-03-23", due_at="2026-04-03", repeat_of="TS-202603-0001",
                    description="又延误了"),
    ])


@pytest.fixture
def march_analysis(march_cases, weekends_only):
    return analyse_month(march_cases, MARCH, weekends_only, TODAY)


def monthly_html(analysis, lang: str, mask: bool = True) -> str:
    context = monthly_context(analysis, None, lang, mask=mask, workbook="book.xlsx")
    return render(environment(None), "monthly.html.j2", context)


# ----------------------------------------------------------------------------- masking

@pytest.mark.parametrize(("raw", "masked"), [
    ("13812345678", "138****5678"),
    ("+86 138-1234-5678", "138****5678"),
    ("020 8123 4567", "020****4567"),
    ("(555) 123-4567", "****4567"),
    (None, ""),
])
def test_mask_phone(raw, masked):
    assert mask_phone(raw) == masked


@pytest.mark.parametrize(("raw", "masked"), [
    ("zhang@example.com", "z***@example.com"), ("  Ann.Lee@mail.cn ", "A***@mail.cn"), ("", "")])
def test_mask_email(raw, masked):
    assert mask_email(raw) == masked


@pytest.mark.parametrize(("raw", "masked"), [
    ("张三", "张*"), ("王小明", "王**"), ("欧阳娜娜", "欧阳**"), ("John Smith", "J*** Smith"),
    ("Madonna", "M***"), ("Mary  Ann Lee", "M*** Lee")])
def test_mask_name(raw, masked):
    assert mask_name(raw) == masked


def test_mask_text_masks_contacts_and_the_name_but_not_dates():
    text = "张三 2026-03-04 10:30 来电 13812345678，邮箱 zs@example.com，订单 8812"
    assert mask_text(text, ("张三",)) == (
        "张* 2026-03-04 10:30 来电 138****5678，邮箱 z***@example.com，订单 8812")


# ----------------------------------------------------------------------------- contexts

def _names(template: str) -> set[str]:
    env = environment(None)
    source = env.loader.get_source(env, template)[0]
    return jinja2.meta.find_undeclared_variables(env.parse(source)) - {"range"}


@pytest.mark.parametrize(("templates", "context"), [
    (("monthly.html.j2",), MonthlyReportContext),
    (("card.html.j2", "summary.md.j2"), CaseContext),
])
def test_templates_use_exactly_their_documented_context(templates, context):
    declared = {f.name for f in fields(context)}
    used = set().union(*(_names(name) for name in templates))
    assert used <= declared, f"undocumented names: {used - declared}"
    assert declared <= used, f"fields no template shows: {declared - used}"


# ----------------------------------------------------------------------------- monthly report

def test_monthly_report_in_english(march_analysis):
    html = monthly_html(march_analysis, "en")
    assert "<title>Complaints report — March 2026</title>" in html
    assert "Figures as of 31 Mar 2026; generated 10 Apr 2026 from book.xlsx. Personal data is " \
           "masked." in html
    assert html.count("<svg") == 5
    assert "vs February 2026" in html and "vs March 2025" in html
    assert "Decided within 7 working days" in html


def test_monthly_report_in_chinese(march_analysis):
    html = monthly_html(march_analysis, "zh-CN")
    assert '<html lang="zh-CN">' in html
    assert "<title>客户投诉月度报告 — 2026年3月</title>" in html
    # Month-on-month and year-on-year read 环比 and 同比, before the change, as Chinese reports do.
    assert '<span class="">环比 +3</span>' in html and '<span class="">同比 +3</span>' in html
    assert "交付时效" in html and "2026年3月31日超期案件" in html


def test_report_is_self_contained(march_analysis):
    html = monthly_html(march_analysis, "en")
    addresses = re.findall(r"(?:src|href|url)\s*[=(]\s*[\"']?([^\"' )>]+)", html)
    assert addresses == []
    assert "<script" not in html and "@import" not in html


def test_report_escapes_workbook_text(march_analysis):
    html = monthly_html(march_analysis, "en", mask=False)
    assert HOSTILE not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html


@pytest.mark.parametrize(("mask", "shown", "hidden"), [
    (True, "J*** Smith", "John Smith"),
    (False, "John Smith", "J*** Smith"),
])
def test_report_masks_names_when_settings_say_so(march_analysis, mask, shown, hidden):
    html = monthly_html(march_analysis, "en", mask=mask)
    assert shown in html and hidden not in html


def test_repeat_customers_show_masked_phone(march_analysis):
    html = monthly_html(march_analysis, "en")
    assert "138****5678" in html and "13812345678" not in html
    assert "TS-202603-0001, TS-202603-0003" in html


def test_kpi_cards_colour_changes_by_direction(march_analysis):
    context = monthly_context(march_analysis, None, "en", mask=True, workbook="b.xlsx")
    cards = {card.label: card for card in context.kpis}
    assert cards["Complaints received"].value == "3"
    assert cards["Complaints received"].vs_previous == "+3"
    assert cards["Complaints received"].previous_tone == ""  # more complaints: neither
    assert cards["Overdue at month end"].value == "2"
    assert cards["Overdue at month end"].previous_tone == "bad"
    assert cards["Resolved on time"].vs_previous == "–"  # February has nothing to compare
    # A: on time; B: past its deadline of 17 March. The basis says it rests on two cases.
    assert (cards["Resolved on time"].value, cards["Resolved on time"].basis) == (
        "50.0%", "of 2 cases")
    assert cards["Mean satisfaction (1-5)"].basis == "1 score"
    assert cards["Overdue at month end"].basis == "of 2 open"  # B and C, both overdue


def test_a_key_figure_without_a_value_has_no_changes(march_cases, weekends_only):
    april = analyse_month(march_cases, MARCH + 1, weekends_only, TODAY)  # nothing received
    context = monthly_context(april, None, "en", mask=True, workbook="b.xlsx")
    closed = next(card for card in context.kpis if card.label == "Closed (of this month's)")
    assert (closed.value, closed.basis, closed.vs_previous, closed.vs_last_year) == (
        "–", "nothing to measure", "", "")
    html = render(environment(None), "monthly.html.j2", context)
    assert html.count('class="changes"') == sum(bool(c.vs_previous) for c in context.kpis) < 10


def test_what_the_data_lacks_is_said_not_shown_as_empty_rows(march_cases, weekends_only):
    """Like the CFPB data: no handlers, and a case closed without a resolved date."""
    cases = march_cases.assign(handler=None)
    cases.loc[3, ["status", "resolved_at"]] = ["Closed", pd.NaT]
    context = monthly_context(analyse_month(cases, MARCH, weekends_only, TODAY), None, "en",
                              mask=True, workbook="b.xlsx")
    handler = next(table for table in context.tables if table.title == "This month by handler")
    assert handler.rows == []
    assert handler.empty == "No handler is recorded on this month's complaints."
    # Case 1 resolved on the third working day (met), case 3 still open past 25 March (missed),
    # case 2 closed without a date: neither, in a column of its own.
    assert context.regulatory.columns == ["Deadline", "Met", "Missed", "Pending",
                                          "Closed, no usable date", "Rate"]
    row = next(r for r in context.regulatory.rows if "UK FCA DISP 1.5" in r[0])
    assert row[1:] == ["1", "1", "0", "1", "50.0%"]
    trend = next(chart for chart in context.charts if chart.title.startswith("Received"))
    assert trend.note == ("Resolved counts only cases with a resolved date; closed without one "
                          "in these 12 months: 1.")
    assert context.overdue.title == "Overdue cases on 31 Mar 2026"
    assert [r[5] for r in context.overdue.rows] == ["Unassigned"]  # case 3, never acknowledged


def test_actions_sheet_rows_for_the_month():
    grid = Grid("Actions", [
        ["Month", "Category", "Action", "Owner", "Due", "Status"],
        ["2026-03", "Delivery", "Weekly call with the courier", "Li", dt.date(2026, 4, 30),
         "Open"],
        ["2026-02", "Billing", "Old action", "Wu", None, "Done"],
        [None, None, "Standing action", "Team", None, None],
        [dt.datetime(2026, 3, 1), None, None, None, None, None],  # no action text
    ])
    actions = read_actions(grid, MARCH, "en")
    assert [a.action for a in actions] == ["Weekly call with the courier", "Standing action"]
    assert actions[0].due == "30 Apr 2026"


def test_actions_appear_in_the_report(march_analysis):
    grid = Grid("改进措施", [["月份", "措施", "负责人"], ["2026年3月", "与快递每周对账", "李四"]])
    context = monthly_context(march_analysis, None, "zh-CN", mask=True, workbook="b.xlsx",
                              actions=read_actions(grid, MARCH, "zh-CN"))
    html = render(environment(None), "monthly.html.j2", context)
    assert "与快递每周对账" in html and html.count('class="write-in"') == 4


# ----------------------------------------------------------------------------- charts

def test_chart_labels_are_escaped_and_ticks_round():
    svg = charts.bar_chart(["<b>", "A & B"], [3, 1], "t<")
    assert "&lt;b&gt;" in svg and "A &amp; B" in svg and "<title>t&lt;</title>" in svg
    assert charts.nice_ticks(17) == [0, 5, 10, 15, 20]
    assert charts.nice_ticks(0) == [0.0, 1.0]


# ----------------------------------------------------------------------------- case summaries

@pytest.fixture
def hostile_case(march_cases) -> pd.Series:
    return march_cases.loc[3]


def test_card_escapes_and_masks_the_complaint(hostile_case):
    context = case_context(hostile_case, "en", mask=True, today=TODAY)
    card, summary = render_case(environment(None), context)
    assert HOSTILE not in card
    assert "&lt;script&gt;" in card and "call me on 139****1111" in card
    assert "J*** Smith" in card and "j***@example.com" in card and "John Smith" not in card
    # The Markdown summary is text for an email; Markdown passes raw HTML through, so the tag
    # arrives as entities (shown as the characters), and the text is still masked.
    assert "&lt;script&gt;" in summary and "<script" not in summary
    assert "call me on 139****1111" in summary
    assert summary.startswith("# Case summary TS-202603-0002\n")


def test_card_in_chinese_unmasked(march_cases):
    context = case_context(march_cases.loc[2], "zh-CN", mask=False, today=TODAY)
    card, summary = render_case(environment(None), context)
    assert "<h1>客户投诉记录卡</h1>" in card
    assert "张三" in card and "13812345678" in card
    assert "- **处理状态：** 已结案" in summary
    assert summary.endswith("打印日期 2026年4月10日\n")
    assert [s.title for s in context.sections] == [
        "一、受理信息", "二、投诉内容", "三、评估与分派", "四、处理时限", "五、调查与处理",
        "六、回访与结案"]


@pytest.mark.parametrize(("selection", "expected"), [
    (dict(case_nos=["ts-202603-0002"]), ["TS-202603-0002"]),
    (dict(status=["已结案"]), ["TS-202603-0001"]),
    (dict(status=["New", "In progress"]), ["TS-202603-0002", "TS-202603-0003"]),
    (dict(month="2026-03"), ["TS-202603-0001", "TS-202603-0002", "TS-202603-0003"]),
])
def test_select_cases(march_cases, selection, expected):
    assert list(select_cases(march_cases, **selection)["case_no"]) == expected


def test_select_unknown_case_says_which(march_cases):
    with pytest.raises(NoCaseMatched, match="no case numbered ts-1"):
        select_cases(march_cases, case_nos=["TS-1"])
    with pytest.raises(NoCaseMatched, match="no case matches the selection"):
        select_cases(march_cases, month="2025-01")


@pytest.mark.parametrize(("case_no", "name"), [
    ("TS-202603-0001", "TS-202603-0001"), ("A/B 7", "A_B_7"), ("", "row-12")])
def test_safe_file_names(case_no, name):
    assert safe_name(case_no, 12) == name


# ----------------------------------------------------------------------------- template overrides

def test_templates_folder_next_to_the_workbook_overrides(tmp_path, hostile_case):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "summary.md.j2").write_text(
        "Dear customer, about {{ case_no }}: {{ status }}.\n", encoding="utf-8")
    env = environment(tmp_path / "book.xlsx")
    card, summary = render_case(env, case_context(hostile_case, "en", mask=True, today=TODAY))
    assert summary == "Dear customer, about TS-202603-0002: In progress.\n"
    assert "<h1>Customer complaint record card</h1>" in card  # still the shipped card


def test_an_edited_override_is_read_again(tmp_path, hostile_case):
    """Environments are kept per folder set: a template edited since is compiled anew."""
    (tmp_path / "templates").mkdir()
    summary_file = tmp_path / "templates" / "summary.md.j2"
    context = case_context(hostile_case, "en", mask=True, today=TODAY)
    summary_file.write_text("First: {{ case_no }}\n", encoding="utf-8")
    assert render_case(environment(tmp_path / "book.xlsx"), context)[1] == "First: TS-202603-0002\n"
    summary_file.write_text("Second wording: {{ case_no }}\n", encoding="utf-8")
    os.utime(summary_file, ns=(1, 1))  # another modification time, however quick the edit
    assert environment(tmp_path / "book.xlsx") is environment(tmp_path / "book.xlsx")
    assert render_case(environment(tmp_path / "book.xlsx"), context)[1] == \
        "Second wording: TS-202603-0002\n"


def test_a_warmed_page_and_the_templates_it_includes_are_not_compiled_again(tmp_path,
                                                                            monkeypatch):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.html.j2").write_text(
        '{% from "_parts.html.j2" import shout %}{{ shout(word) }}', encoding="utf-8")
    (tmp_path / "templates" / "_parts.html.j2").write_text(
        '{% macro shout(w) %}{% include "_mark.html.j2" %}{{ w | upper }}{% endmacro %}',
        encoding="utf-8")
    (tmp_path / "templates" / "_mark.html.j2").write_text("!", encoding="utf-8")
    warm(tmp_path / "book.xlsx", "page.html.j2")
    compiled = []
    original = jinja2.Environment.compile
    monkeypatch.setattr(jinja2.Environment, "compile",
                        lambda env, *a, **kw: compiled.append(a[1:2]) or original(env, *a, **kw))
    env = environment(tmp_path / "book.xlsx")
    assert env.get_template("page.html.j2").render(word="late") == "!LATE"
    assert compiled == []


def test_broken_override_names_the_template(tmp_path, hostile_case):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "card.html.j2").write_text("{{ customer_phone }}", encoding="utf-8")
    env = environment(tmp_path / "book.xlsx")
    context = case_context(hostile_case, "en", mask=True, today=TODAY)
    with pytest.raises(TemplateProblem, match="template card.html.j2.*customer_phone"):
        render_case(env, context)


def test_shipped_templates_are_in_the_package():
    assert {p.name for p in SHIPPED.glob("*.j2")} >= {"monthly.html.j2", "card.html.j2",
                                                      "summary.md.j2"}


# ----------------------------------------------------------------------------- fast reader

@pytest.fixture
def small_workbook(tmp_path) -> Path:
    """A title above the table, Chinese headers from row 3, numbers typed as numbers."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "投诉登记"
    ws["B1"] = "客户投诉记录"
    headers = ["案件编号", "受理时间", "投诉渠道", "客户姓名", "联系电话", "投诉内容", "处理状态",
               "备用列"]
    for j, text in enumerate(headers, start=2):
        ws.cell(3, j, text)
    ws.append([None, "TS-1", dt.datetime(2026, 3, 2, 9, 30), "电话", "张三", 13812345678, "坏了",
               "新建", "x"])
    ws.append([])
    ws.append([None, None, dt.datetime(2026, 3, 3), "邮件", "李四", None, "慢", "新建"])
    settings = wb.create_sheet("Settings")
    settings.append(["Language", "en"])
    actions = wb.create_sheet("改进措施")
    actions.append(["月份", "措施"])
    path = tmp_path / "book.xlsx"
    wb.save(path)
    return path


def test_fast_reader_finds_the_register(small_workbook):
    register, sheets, counters = read_workbook_fast(small_workbook)
    assert (register.sheet, register.header_row, register.first_col) == ("投诉登记", 3, 2)
    assert list(register.rows.index) == [4, 5, 6]
    assert register.lang == "zh-CN"
    assert register.col("phone")[4] == 13812345678  # a whole number, not 13812345678.0
    assert register.col("received_at")[4] == dt.datetime(2026, 3, 2, 9, 30)
    assert register.col("customer_name")[5] is None  # the empty row stays, empty
    assert register.cell(6, "customer_name") == "投诉登记!E6"
    assert set(sheets) == {"settings", "actions"} and counters == {}
    assert sheets["settings"].rows[0] == ["Language", "en"]


# Values that Python holds equal but that read differently, whole numbers stored as floats,
# empty text, dates beside text: each column holds a mix the conversion must keep apart.
MIXED = [[1, 1.0, True, "1"], [2.5, "", None, 1], [True, False, 0, "0"], [13812345678, None,
         "13812345678", 13812345678.0], ["电话", "", "电话", dt.datetime(2026, 3, 2)]]


def test_fast_reader_gives_the_core_each_columns_distinct_values_as_it_would_find_them(
        tmp_path):
    """The reader converts a column through its distinct values and hands them to the core
    (``Register.knowing_distinct``): the cells are what converting each one gives, and the
    distinct values what ``distinct_values`` of those cells gives."""
    from python_calamine import CalamineWorkbook

    from addin.core.cells import distinct_values
    from addin.layout.blocks import excel_value

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Complaints"
    ws.append(["Case No", "Channel", "Satisfaction", "Severity", "Phone", "Category",
               "Received", "Notes"])
    for n in range(12):  # every value in every column, in several orders
        ws.append([f"TS-{n}"] + [column[(n + j) % 4] for j, column in enumerate(MIXED)]
                  + [dt.datetime(2026, 3, 1 + n), n % 3 or None])
    ws.append([])  # an empty row at the end is cut off
    path = tmp_path / "mixed.xlsx"
    wb.save(path)
    register, _, _ = read_workbook_fast(path)
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Complaints")
    raw = sheet.to_python(skip_empty_area=True)[1:13]
    handed = 0
    for j in range(len(register.headers)):
        cells = register.rows[j].tolist()
        assert [(type(v), v) for v in cells] == [(type(v), v) for v in
                                                 (excel_value(row[j]) for row in raw)]
        known = register.known_distinct(j)
        if known is None:
            continue
        handed += 1
        codes, values = distinct_values(register.rows[j])
        assert known[0].tolist() == codes.tolist(), register.headers[j]
        assert [(type(v), v) for v in known[1]] == [(type(v), v) for v in values]
    assert handed == 7  # every card field but the date


def test_fast_reader_refuses_a_workbook_without_register(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["Name", "Amount"])
    path = tmp_path / "other.xlsx"
    wb.save(path)
    with pytest.raises(ReportRefused, match="No sheet holds a complaints table"):
        read_workbook_fast(path)


def test_fast_reader_refuses_what_is_not_a_workbook(tmp_path):
    path = tmp_path / "notes.xlsx"
    path.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(ReportRefused, match="cannot be read as a workbook"):
        read_workbook_fast(path)


# ----------------------------------------------------------------------------- end to end

def test_write_report_and_summaries_from_a_workbook(small_workbook, tmp_path):
    from reports.monthly import write_report
    from reports.summary import write_summaries

    out = tmp_path / "out"
    files = write_report(small_workbook, "2026-03", None, out, TODAY, pdf=False)
    assert [f.name for f in files] == ["book-report-2026-03-en.html"]  # Settings: Language en
    assert "Complaints report — March 2026" in files[0].read_text(encoding="utf-8")
    written = write_summaries(small_workbook, status=["新建"], output_dir=out, today=TODAY)
    assert len(written) == 4 and all(p.exists() for p in written)


# ----------------------------------------------------------------------------- in a browser

CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")
                 if shutil.which(n)), None)


def load_in_chromium(page: Path, profile: Path) -> tuple[str, list[str]]:
    """The DOM Chromium parsed from a file and the console messages it logged while loading."""
    # Chromium prints console messages with --enable-logging=stderr (lines holding ":CONSOLE");
    # the DOM dump shows what it parsed, so an SVG the parser rejected would be missing from it.
    done = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr",
         "--v=0", f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout, [line for line in done.stderr.splitlines() if ":CONSOLE" in line]


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine")
@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_report_loads_in_chromium_with_its_charts(march_analysis, tmp_path, lang):
    """Chromium loads the file with no console messages and draws the five charts."""
    page = tmp_path / f"report-{lang}.html"
    page.write_text(monthly_html(march_analysis, lang), encoding="utf-8")
    dom, console = load_in_chromium(page, tmp_path / "profile")
    assert dom.count("<svg") == 5 and dom.count("<rect") > 10
    assert "<title>" in dom and ("月度报告" in dom) == (lang == "zh-CN")
    # The report has no script: any console message at all (an error, a failed load) is wrong.
    assert console == []
    png = tmp_path / "report.png"
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                    f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1100,1400",
                    f"--screenshot={png}", page.as_uri()],
                   capture_output=True, timeout=120, check=False)
    assert png.exists() and png.stat().st_size > 10_000


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine")
def test_record_card_loads_in_chromium_escaped(hostile_case, tmp_path):
    """The card of a case whose text holds a script tag loads with no console message at all."""
    card, _ = render_case(environment(None), case_context(hostile_case, "en", mask=True,
                                                          today=TODAY))
    page = tmp_path / "card.html"
    page.write_text(card, encoding="utf-8")
    dom, console = load_in_chromium(page, tmp_path / "profile")
    assert console == []  # the escaped alert() never ran
    # Every section of the card, an open case's empty fields as lines to fill in by hand.
    assert dom.count('<table class="card">') == 6 and "&lt;script&gt;" in dom
    assert '<table class="timeline">' in dom


# ----------------------------------------------------------------------------- what managers read

@pytest.mark.parametrize(("change", "kind", "shown"), [
    (-0.0004, "rate", "±0.0 pt"), (0.031, "rate", "+3.1 pt"), (-12, "count", "−12"),
    (0.44, "days", "+0.4"), (None, "score", "–")])
def test_changes_show_their_sign_and_a_rounded_zero_is_no_change(change, kind, shown):
    from reports.i18n import fmt_change

    assert fmt_change(change, kind) == shown


def test_percentage_points_in_chinese():
    from reports.i18n import fmt_change

    assert fmt_change(-0.012, "rate", "zh-CN") == "−1.2 个百分点"


def test_overdue_ages_and_undated_closures_are_stated(march_cases, weekends_only):
    undated = march_cases.copy()
    undated.loc[3, ["status", "resolved_at"]] = ["Closed", pd.NaT]
    context = monthly_context(analyse_month(undated, MARCH, weekends_only, TODAY), None, "en",
                              mask=True, workbook="b.xlsx")
    assert context.notes == [
        "Complaints of this month closed without a resolved date: 1. They count as closed, but "
        "not in resolution times or on-time rates."]
    assert context.overdue.note == "Overdue cases: 1 (1 by 6-20 working days)."


def test_a_month_without_scores_says_so(march_cases, weekends_only):
    april = analyse_month(march_cases, MARCH + 1, weekends_only, TODAY)
    html = monthly_html(april, "zh-CN")
    assert "本月没有满意度评分。" in html


# ----------------------------------------------------------------------------- against pandas

DONE = {"Resolved", "Closed", "已解决", "已结案"}


@pytest.fixture(scope="module")
def processed_demo(tmp_path_factory) -> Path:
    from addin.batch.run import process_file
    from addin.demo import write_demo_workbook

    path = write_demo_workbook(tmp_path_factory.mktemp("demo") / "demo.xlsx", rows=400,
                               lang="en", today=TODAY)
    process_file(path, today=TODAY)
    return path


def kpi_values(html: str) -> dict[str, str]:
    pairs = re.findall(r'<div class="label">([^<]+)</div>\s*<div class="value">([^<]+)', html)
    return {unescape(label): value.strip() for label, value in pairs}


def test_report_figures_match_pandas_on_the_processed_demo(processed_demo, tmp_path):
    """The key figures recomputed from the workbook's own columns with plain pandas."""
    from reports.monthly import write_report

    html = write_report(processed_demo, MARCH, "en", tmp_path, TODAY, pdf=False)[0].read_text(
        encoding="utf-8")
    shown = kpi_values(html)
    # The header is in row 2: row 1 says why a .xlsx has no buttons.
    table = pd.read_excel(processed_demo, sheet_name="Complaints", header=1, engine="openpyxl")
    received = pd.to_datetime(table["Received"], errors="coerce")
    resolved = pd.to_datetime(table["Resolved"], errors="coerce")
    done = table["Status"].isin(DONE)
    end = pd.Timestamp("2026-03-31 23:59:59")
    month = received.between("2026-03-01", end)
    closed = month & done & (resolved.isna() | (resolved <= end))
    resolved_in = done & resolved.between("2026-03-01", end)
    scores = pd.to_numeric(table["Satisfaction"], errors="coerce")[resolved_in]
    scores = scores[scores.isin([1, 2, 3, 4, 5])]
    repeats = month & table["Repeat of"].notna()
    assert month.sum() > 10 and len(scores) > 5  # the month has something to measure
    assert shown["Complaints received"] == f"{month.sum():,}"
    assert shown["Closed (of this month's)"] == f"{closed.sum() / month.sum():.1%}"
    assert shown["Mean satisfaction (1-5)"] == f"{scores.mean():.1f}"
    assert shown["Dissatisfied (score 1-2)"] == f"{(scores <= 2).mean():.1%}"
    assert shown["Repeat complaints"] == f"{repeats.sum() / month.sum():.1%}"
    by_category = table.loc[month, "Category"].fillna("Not set").value_counts()
    for category, count in by_category.items():
        assert f"<tr><td>{category}</td><td class=\"num\">{count}</td>" in html
