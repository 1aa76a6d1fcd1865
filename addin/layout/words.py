"""Words and number formats of the report tables, in English and Chinese.

The Analysis and Monthly sheets (both doors) and the HTML report take their titles, column
headers, month names and figures' text from here, so the three never word a table differently.
Words only the HTML report or the case summaries use are kept in ``reports/i18n.py``.
"""

from __future__ import annotations

import math

import pandas as pd

from addin.core.analysis import NOT_SET
from addin.core.fields import BY_KEY
from addin.core.text import Lang, Text
from addin.core.vocab import Vocabulary

TEXT: dict[str, Text] = {
    "report_title": Text("Complaints report", "客户投诉月度报告"),
    "kpis": Text("Key figures", "关键指标"),
    "dates_out_of_order": Text(
        "Acknowledged or resolved before they were received (see the “Date before received” "
        "findings): {n} of this month's complaints. They count as acknowledged or closed, but in "
        "no on-time rate and no resolution time.",
        "本月受理的投诉中有 {n} 件的回复或解决时间早于受理时间（见“日期早于受理时间”问题）："
        "计入已回复或已结案，但不计入按时率和解决用时。"),
    "no_data": Text("no data", "无数据"),
    "chart_trend": Text("Received and resolved, last 12 months", "近 12 个月受理与解决数量"),
    "chart_on_time": Text("On-time rate, last 12 months", "近 12 个月按时率"),
    "series_received": Text("Received", "受理"),
    "series_resolved": Text("Resolved", "解决"),
    "series_ack": Text("Acknowledged on time", "按时回复"),
    "series_resolve": Text("Resolved on time", "按时解决"),
    "by_category": Text("This month by category", "本月按类别"),
    "by_department": Text("This month by department", "本月按责任部门"),
    "by_handler": Text("This month by handler", "本月按处理人"),
    "rising": Text("Rising categories", "上升明显的类别"),
    "rising_rule": Text("A category is rising when this month has at least {min_count} complaints, "
                        "more than the average of the previous {months} months, and a count this "
                        "high would happen by chance less than 5% of the time (one-sided Poisson "
                        "test).",
                        "判定规则：本月至少 {min_count} 件，高于前 {months} 个月的月均数，"
                        "且按泊松分布单侧检验，偶然出现如此高数量的概率低于 5%。"),
    "rising_none": Text("No category rose significantly this month.", "本月没有明显上升的类别。"),
    "regulatory": Text("Published deadlines", "监管时限对照"),
    "regulatory_note": Text("Complaints received this month; a case counts once it met or missed "
                            "the deadline.",
                            "统计对象为本月受理的投诉；案件在达到或错过时限后才计入。"),
    "overdue": Text("Overdue cases", "超期案件"),
    "overdue_on": Text("Overdue cases on {day}", "{day}超期案件"),
    "unassigned": Text("Unassigned", "未分配"),
    "none_recorded": Text("No {field} is recorded on this month's complaints.",
                          "本月投诉均未填写{field}。"),
    "overdue_none": Text("No case is overdue.", "没有超期案件。"),
    "overdue_ages": Text("Overdue cases: {total} ({bands}).", "超期案件共 {total} 件（{bands}）。"),
    "overdue_band": Text("{n} by {low}-{high} working days", "超期 {low}-{high} 个工作日 {n} 件"),
    "overdue_band_open": Text("{n} by more than {above}", "超过 {above} 个工作日 {n} 件"),
    "follow_ups_on": Text("Follow-ups due on {day}", "{day}待回访案件"),
    "follow_ups_none": Text("No follow-up is due soon or overdue.", "没有即将到期或超期的回访。"),
    "follow_ups_note": Text("Resolved or closed cases with no follow-up recorded: {overdue} past "
                            "their Follow up by date, {soon} due within {days} working days.",
                            "已解决或已结案但未记录回访的案件：超过回访时限 {overdue} 件，"
                            "{days} 个工作日内到期 {soon} 件。"),
    "repeats": Text("Repeat complaints", "重复投诉客户"),
    "repeats_none": Text("No repeat complaints this month.", "本月没有重复投诉。"),
    "actions": Text("Improvement actions", "改进措施"),
    # the Analysis and Monthly sheets
    "analysis_title": Text("Complaint analysis", "投诉分析"),
    "analysis_note": Text("Rebuilt on every run; open and overdue are as of the date above.",
                          "每次运行时重建；未结与超期按上方日期统计。"),
    "as_of_sheet": Text("Figures as of {day}; generated {today}. Rebuilt on every run.",
                        "数据截至 {day}；{today} 生成。每次运行时重建。"),
    "chart_category_month_all": Text("Complaints by category and month received",
                                     "各类别每月受理投诉"),
    "by_channel_all": Text("By channel", "按投诉渠道"),
    "by_category_all": Text("By category", "按投诉类别"),
    "by_severity_all": Text("By severity", "按严重程度"),
    "by_urgency_all": Text("By urgency", "按紧急程度"),
    "by_department_all": Text("By department", "按责任部门"),
    "by_handler_all": Text("By handler", "按处理人"),
    "by_status_all": Text("By status", "按处理状态"),
    "col_change_previous": Text("Change on month", "环比变化"),
    "col_change_year": Text("Change on year", "同比变化"),
    "actions_sheet_note": Text("Record improvement actions on the Actions sheet (Month, Category, "
                               "Action, Owner, Due, Status); the monthly report lists them.",
                               "请在“改进措施”工作表中记录改进措施（月份、类别、措施、负责人、"
                               "完成期限、状态），月度报告会列出。"),
    # KPI names
    "kpi_received": Text("Complaints received", "受理投诉"),
    "kpi_closed_rate": Text("Closed (of this month's)", "已结案率（本月受理）"),
    "kpi_backlog_overdue": Text("Overdue at month end", "月末超期案件"),
    "kpi_ack_on_time_rate": Text("Acknowledged on time", "按时回复率"),
    "kpi_resolve_on_time_rate": Text("Resolved on time", "按时解决率"),
    "kpi_median_days": Text("Median working days to resolve", "解决用时中位数（工作日）"),
    "kpi_p90_days": Text("90% resolved within (working days)", "90% 案件解决用时（工作日）"),
    "kpi_satisfaction_mean": Text("Mean satisfaction (1-5)", "平均满意度（1-5）"),
    "kpi_low_satisfaction_share": Text("Dissatisfied (score 1-2)", "不满意占比（1-2 分）"),
    "kpi_repeat_rate": Text("Repeat complaints", "重复投诉率"),
    # table columns
    "col_cases": Text("Cases", "件数"),
    "col_open": Text("Open", "未结"),
    "col_overdue": Text("Overdue", "超期"),
    "col_resolved": Text("Resolved", "已解决"),
    "col_on_time_rate": Text("On time", "按时率"),
    "col_median_days": Text("Median days", "用时中位数"),
    "col_satisfaction": Text("Satisfaction", "满意度"),
    "col_count": Text("This month", "本月"),
    "col_baseline": Text("Monthly average before", "此前月均"),
    "col_ratio": Text("Ratio", "倍数"),
    "col_p_value": Text("Chance (p)", "概率 p"),
    "col_view": Text("Deadline", "时限要求"),
    "col_met": Text("Met", "达标"),
    "col_missed": Text("Missed", "未达标"),
    "col_pending": Text("Pending", "待定"),
    "col_undated": Text("Closed, no usable date", "已结案无有效日期"),
    "col_rate": Text("Rate", "达标率"),
    "col_deadline": Text("Deadline", "时限"),
    "col_days_over": Text("Working days over", "超期工作日"),
    "col_missed_clock": Text("Missed", "超期环节"),
    "col_in_month": Text("This month", "本月次数"),
    "col_total": Text("On record", "累计次数"),
    "col_case_nos": Text("Cases", "案件"),
    "col_month": Text("Month", "月份"),
    "clock_resolve": Text("Resolve", "处理时限"),
    "clock_acknowledge": Text("Acknowledge", "回复时限"),
    "not_set": Text("Not set", "未填写"),
    "total": Text("Total", "合计"),
    # regulatory views
    "view_cn_decided_7wd": Text("Decided within 7 working days (China, market regulation complaint "
                                "rules)", "7 个工作日内作出受理决定（市场监管投诉举报处理办法）"),
    "view_uk_resolved_3bd": Text("Resolved by the third business day (UK FCA DISP 1.5)",
                                 "第 3 个工作日结束前解决（英国 FCA DISP 1.5）"),
    "view_uk_final_8w": Text("Final response within 8 weeks (UK FCA DISP 1.6)",
                             "8 周内最终答复（英国 FCA DISP 1.6）"),
    "view_us_responded_15d": Text("Responded within 15 days (US CFPB)",
                                  "15 天内回复（美国 CFPB）"),
}

# How a day and a month are written: chosen by language, then filled in.
_DAY = Text("{day.day} {day:%b %Y}", "{day.year}年{day.month}月{day.day}日")
_MONTH = Text("{name} {month.year}", "{month.year}年{month.month}月")
_POINTS = Text(" pt", " 个百分点")
# What goes between the parts of a list ("items") or of a sentence ("clauses").
SEPARATORS = {"items": Text(", ", "、"), "clauses": Text("; ", "；")}


def separator(kind: str, lang: Lang | str) -> str:
    return SEPARATORS[kind].in_(lang)


def pick(said: Text, lang: Lang | str, **params: object) -> str:
    """``said`` in ``lang``, with its ``{placeholders}`` filled in (left as written without
    params, so a template can be shown as it is)."""
    return (said.format(**params) if params else said).in_(lang)


def t(key: str, lang: Lang | str, **params: object) -> str:
    return pick(TEXT[key], lang, **params)


def header(key: str, lang: Lang | str) -> str:
    """A card field's header in the report's language."""
    return BY_KEY[key].header(lang)


def label(value: object, key: str, lists: dict[str, Vocabulary], lang: Lang | str) -> str:
    """A canonical list value (or group) as staff read it in this language."""
    if value is None or value == NOT_SET:
        return t("not_set", lang)
    vocab = lists.get(key)
    return vocab.label(str(value), lang) if vocab is not None else str(value)


def month_name(month: pd.Period, lang: Lang | str) -> str:
    return _MONTH.in_(lang).format(month=month, name=month.strftime("%B"))


def fmt_date(value: object, lang: Lang | str = Lang.EN) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return _DAY.in_(lang).format(day=pd.Timestamp(value))


def fmt_number(value: float | None, kind: str, lang: Lang | str = Lang.EN) -> str:
    """A figure for display: counts whole, rates as %, days and scores with one decimal."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if kind == "count":
        return f"{int(round(value)):,}"
    if kind == "rate":
        return f"{value * 100:.1f}%"
    return f"{value:.1f}"


def shown_change(change: float | None, kind: str) -> float | None:
    """A change rounded as it is shown: a change that shows as 0.0 is no change."""
    if change is None or (isinstance(change, float) and math.isnan(change)):
        return None
    if kind == "rate":
        return round(change * 100, 1)
    return float(round(change)) if kind == "count" else round(change, 1)


def fmt_change(change: float | None, kind: str, lang: Lang | str = Lang.EN) -> str:
    """A change with its sign: +12, −3.5 pt for rates (percentage points), +0.4 days."""
    shown = shown_change(change, kind)
    if shown is None:
        return "–"
    sign = "+" if shown > 0 else "−" if shown < 0 else "±"
    if kind == "count":
        return f"{sign}{abs(int(shown)):,}"
    return f"{sign}{abs(shown):.1f}" + (_POINTS.in_(lang) if kind == "rate" else "")
