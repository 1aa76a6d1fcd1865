"""The Analysis and Monthly sheets: tables, native charts, rebuilt (never appended) on each run."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd
import pytest

from addin.batch.analysis_sheets import write_analysis_sheets
from addin.core.analysis import analysis_figures
from addin.core.calendar import WorkCalendar

TODAY = dt.date(2026, 4, 10)


@pytest.fixture
def calendar() -> WorkCalendar:
    return WorkCalendar(frozenset(), frozenset(), (5, 6))


@pytest.fixture
def cases() -> pd.DataFrame:
    rows = [
        ("TS-1", "2026-02-10", "Phone", "Delivery", "Closed", "2026-02-11", "2026-02-12",
         "2026-02-20", 4.0, "张三", "13812345678", None),
        ("TS-2", "2026-03-02", "Email", "Delivery", "Closed", "2026-03-03", "2026-03-04",
         "2026-03-06", 5.0, "李四", "13900000000", None),
        ("TS-3", "2026-03-10", "Phone", "Billing", "In progress", "2026-03-10", None,
         "2026-03-17", None, "张三", "13812345678", "TS-1"),
    ]
    table = pd.DataFrame(rows, columns=[
        "case_no", "received_at", "channel", "category", "status", "acknowledged_at",
        "resolved_at", "due_at", "satisfaction", "customer_name", "phone", "repeat_of"],
        index=pd.RangeIndex(2, 5))
    for key in ("received_at", "acknowledged_at", "resolved_at", "due_at"):
        table[key] = pd.to_datetime(table[key])
    table["ack_due"] = table["received_at"] + pd.Timedelta(days=1)
    return table


@pytest.fixture
def workbook() -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    wb.active.title = "Complaints"
    wb.create_sheet("Settings")
    return wb


def test_analysis_sheet_has_tables_and_charts(workbook, cases, calendar):
    figures = analysis_figures(cases, calendar, TODAY)
    assert write_analysis_sheets(workbook, figures, "en") == ["Analysis"]
    ws = workbook["Analysis"]
    assert ws["A1"].value == "Complaint analysis — 10 Apr 2026"
    assert set(ws.tables) == {"CategoryByMonth", "By_channel", "By_category", "By_severity",
                              "By_urgency", "By_department", "By_handler", "By_status"}
    by_month = ws.tables["CategoryByMonth"]
    top = int(by_month.ref.split(":")[0][1:])
    assert [c.value for c in ws[top]][:4] == ["Category", "2026-02", "2026-03", "Total"]
    assert [c.value for c in ws[top + 1]][:4] == ["Delivery", 1, 1, 2]
    assert len(ws._charts) == 4  # category x month, channel, severity, department
    # Horizontal bars list the groups top-down, in the table's order.
    assert [c.x_axis.scaling.orientation for c in ws._charts[1:]] == ["maxMin"] * 3
    assert "Monthly" not in workbook.sheetnames


def test_rebuilding_replaces_rather_than_appends(workbook, cases, calendar, tmp_path):
    figures = analysis_figures(cases, calendar, TODAY, month="2026-03")
    write_analysis_sheets(workbook, figures, "en")
    path = tmp_path / "book.xlsx"
    workbook.save(path)
    again = openpyxl.load_workbook(path)
    write_analysis_sheets(again, figures, "en")
    assert again.sheetnames == ["Complaints", "Settings", "Analysis", "Monthly", "Actions"]
    assert again["Analysis"].max_row == workbook["Analysis"].max_row
    assert len(again["Monthly"].tables) == len(workbook["Monthly"].tables)
    again.save(path)  # table names stay unique, or saving would fail to open in Excel
    assert openpyxl.load_workbook(path)["Analysis"].tables.keys() == again["Analysis"].tables.keys()


def test_switching_language_keeps_one_sheet_in_the_same_place(workbook, cases, calendar):
    figures = analysis_figures(cases, calendar, TODAY)
    write_analysis_sheets(workbook, figures, "en")
    workbook.create_sheet("Notes")
    write_analysis_sheets(workbook, figures, "zh-CN")
    # The Actions sheet (staff's) is created with the first Analysis sheet and kept as it is.
    assert workbook.sheetnames == ["Complaints", "Settings", "分析", "Actions", "Notes"]
    assert workbook["分析"]["A1"].value == "投诉分析 — 2026年4月10日"


def test_monthly_sheet_figures_match_the_report(workbook, cases, calendar):
    figures = analysis_figures(cases, calendar, TODAY, month="2026-03")
    write_analysis_sheets(workbook, figures, "en")
    ws = workbook["Monthly"]
    assert ws["A1"].value == "Complaints report — March 2026"
    top = int(ws.tables["KeyFigures"].ref.split(":")[0][1:])
    assert [c.value for c in ws[top]][:6] == ["Key figures", "March 2026", "February 2026",
                                              "Change on month", "March 2025", "Change on year"]
    received = [c.value for c in ws[top + 1]]
    assert received[:4] == ["Complaints received", 2, 1, 1]
    assert ws.cell(top + 2, 2).number_format == "0.0%"  # closed rate is a rate
    overdue = ws.tables["Overdue"]
    first = int(overdue.ref.split(":")[0][1:]) + 1
    assert ws.cell(first, 1).value == "TS-3"
    assert {"Trend", "Regulatory", "Repeats"} <= set(ws.tables)
    # No rising category: no empty table, a sentence instead.
    notes = [c.value for c in ws["A"] if isinstance(c.value, str)]
    assert "No category rose significantly this month." in notes
    assert len(ws._charts) == 2


def test_actions_sheet_is_created_once_and_never_overwritten(workbook, cases, calendar):
    figures = analysis_figures(cases, calendar, TODAY, month="2026-03")
    write_analysis_sheets(workbook, figures, "zh-CN")
    actions = workbook["改进措施"]
    assert [c.value for c in actions[1]] == [
        "措施编号", "提出日期", "投诉类别", "原因类别", "产品/服务", "关联案件", "改进措施",
        "负责人", "完成期限", "状态", "预期目标", "实际效果", "评价"]
    actions.append(["A-1", "2026-03", "交付时效", None, None, None, "与快递每周对账", "李四"])
    write_analysis_sheets(workbook, figures, "zh-CN")
    assert workbook["改进措施"]["G2"].value == "与快递每周对账"
    assert workbook.sheetnames.count("改进措施") == 1


def test_the_plan_is_plain_data_any_door_can_write(cases, calendar):
    """The live add-in writes the same layout: one block of values, then formats and charts."""
    from addin.layout.tables import plan_sheets

    plans = plan_sheets(analysis_figures(cases, calendar, TODAY, month="2026-03"), "zh-CN")
    assert [(p.role, p.title) for p in plans] == [("analysis", "分析"), ("monthly", "月度报告")]
    grid = plans[1].grid()
    assert grid[0][0] == "客户投诉月度报告 — 2026年3月"
    kinds = {type(v) for row in grid for v in row if v is not None}
    assert kinds <= {str, int, float, dt.date, dt.datetime}  # no numpy or pandas values
    assert [c.kind for c in plans[1].charts] == ["col", "line"]


def test_workbook_text_that_looks_like_a_formula_stays_text(workbook, cases, calendar, tmp_path):
    hostile = '=HYPERLINK("http://example.com","x")'
    figures = analysis_figures(cases.assign(handler=hostile), calendar, TODAY)
    write_analysis_sheets(workbook, figures, "en")
    path = tmp_path / "book.xlsx"
    workbook.save(path)
    ws = openpyxl.load_workbook(path)["Analysis"]
    found = [c for row in ws.iter_rows() for c in row if c.value == hostile]
    assert found and all(c.data_type == "s" for c in found)


def test_two_batch_runs_leave_one_analysis_sheet_with_its_charts(tmp_path):
    """``process_file`` rewrites the Analysis sheet on every run that changes something."""
    from addin.batch.run import process_file
    from addin.demo import write_demo_workbook

    path = write_demo_workbook(tmp_path / "book.xlsx", rows=120, lang="en", today=TODAY)
    first = process_file(path, today=TODAY)
    second = process_file(path, today=TODAY + dt.timedelta(days=40))  # new SLA states: changes
    assert first.changed and second.changed
    wb = openpyxl.load_workbook(path)
    assert [n for n in wb.sheetnames if n in ("Analysis", "分析")] == ["Analysis"]
    ws = wb["Analysis"]
    # Category x month, channel, severity, department, then the archive's analyses: causes,
    # repeat and reopen rates by category, workload and, as the demo has a Volume sheet, the
    # complaints per thousand orders (openpyxl reads charts back from the file).
    assert len(ws._charts) == 8
    assert ws["A1"].value == "Complaint analysis — 20 May 2026"  # the second run's day
    assert {"CategoryByMonth", "By_channel", "Causes", "Profile_category", "Workload"} <= set(
        ws.tables)
