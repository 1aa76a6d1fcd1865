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
from addin.core.vocab import Vocabulary

TEXT: dict[str, tuple[str, str]] = {
    "report_title": ("Complaints report", "客户投诉月度报告"),
    "kpis": ("Key figures", "关键指标"),
    "no_data": ("no data", "无数据"),
    "chart_trend": ("Received and resolved, last 12 months", "近 12 个月受理与解决数量"),
    "chart_on_time": ("On-time rate, last 12 months", "近 12 个月按时率"),
    "series_received": ("Received", "受理"),
    "series_resolved": ("Resolved", "解决"),
    "series_ack": ("Acknowledged on time", "按时回复"),
    "series_resolve": ("Resolved on time", "按时解决"),
    "by_category": ("This month by category", "本月按类别"),
    "by_department": ("This month by department", "本月按责任部门"),
    "by_handler": ("This month by handler", "本月按处理人"),
    "rising": ("Rising categories", "上升明显的类别"),
    "rising_rule": ("A category is rising when this month has at least {min_count} complaints, "
                    "more than the average of the previous {months} months, and a count this "
                    "high would happen by chance less than 5% of the time (one-sided Poisson "
                    "test).",
                    "判定规则：本月至少 {min_count} 件，高于前 {months} 个月的月均数，且按泊松分布"
                    "单侧检验，偶然出现如此高数量的概率低于 5%。"),
    "rising_none": ("No category rose significantly this month.", "本月没有明显上升的类别。"),
    "regulatory": ("Published deadlines", "监管时限对照"),
    "regulatory_note": ("Complaints received this month; a case counts once it met or missed "
                        "the deadline.",
                        "统计对象为本月受理的投诉；案件在达到或错过时限后才计入。"),
    "overdue": ("Overdue cases", "超期案件"),
    "overdue_on": ("Overdue cases on {day}", "{day}超期案件"),
    "unassigned": ("Unassigned", "未分配"),
    "none_recorded": ("No {field} is recorded on this month's complaints.",
                      "本月投诉均未填写{field}。"),
    "overdue_none": ("No case is overdue.", "没有超期案件。"),
    "overdue_ages": ("Overdue cases: {total} ({bands}).", "超期案件共 {total} 件（{bands}）。"),
    "overdue_band": ("{n} by {low}-{high} working days", "超期 {low}-{high} 个工作日 {n} 件"),
    "overdue_band_open": ("{n} by more than {above}", "超过 {above} 个工作日 {n} 件"),
    "repeats": ("Repeat complaints", "重复投诉客户"),
    "repeats_none": ("No repeat complaints this month.", "本月没有重复投诉。"),
    "actions": ("Improvement actions", "改进措施"),
    # the Analysis and Monthly sheets
    "analysis_title": ("Complaint analysis", "投诉分析"),
    "analysis_note": ("Rebuilt on every run; open and overdue are as of the date above.",
                      "每次运行时重建；未结与超期按上方日期统计。"),
    "as_of_sheet": ("Figures as of {day}; generated {today}. Rebuilt on every run.",
                    "数据截至 {day}；{today} 生成。每次运行时重建。"),
    "chart_category_month_all": ("Complaints by category and month received",
                                 "各类别每月受理投诉"),
    "by_channel_all": ("By channel", "按投诉渠道"),
    "by_category_all": ("By category", "按投诉类别"),
    "by_severity_all": ("By severity", "按严重程度"),
    "by_urgency_all": ("By urgency", "按紧急程度"),
    "by_department_all": ("By department", "按责任部门"),
    "by_handler_all": ("By handler", "按处理人"),
    "by_status_all": ("By status", "按处理状态"),
    "col_change_previous": ("Change on month", "环比变化"),
    "col_change_year": ("Change on year", "同比变化"),
    "actions_sheet_note": ("Record improvement actions on the Actions sheet (Month, Category, "
                           "Action, Owner, Due, Status); the monthly report lists them.",
                           "请在“改进措施”工作表中记录改进措施（月份、类别、措施、负责人、"
                           "完成期限、状态），月度报告会列出。"),
    # KPI names
    "kpi_received": ("Complaints received", "受理投诉"),
    "kpi_closed_rate": ("Closed (of this month's)", "已结案率（本月受理）"),
    "kpi_backlog_overdue": ("Overdue at month end", "月末超期案件"),
    "kpi_ack_on_time_rate": ("Acknowledged on time", "按时回复率"),
    "kpi_resolve_on_time_rate": ("Resolved on time", "按时解决率"),
    "kpi_median_days": ("Median working days to resolve", "解决用时中位数（工作日）"),
    "kpi_p90_days": ("90% resolved within (working days)", "90% 案件解决用时（工作日）"),
    "kpi_satisfaction_mean": ("Mean satisfaction (1-5)", "平均满意度（1-5）"),
    "kpi_low_satisfaction_share": ("Dissatisfied (score 1-2)", "不满意占比（1-2 分）"),
    "kpi_repeat_rate": ("Repeat complaints", "重复投诉率"),
    # table columns
    "col_cases": ("Cases", "件数"),
    "col_open": ("Open", "未结"),
    "col_overdue": ("Overdue", "超期"),
    "col_resolved": ("Resolved", "已解决"),
    "col_on_time_rate": ("On time", "按时率"),
    "col_median_days": ("Median days", "用时中位数"),
    "col_satisfaction": ("Satisfaction", "满意度"),
    "col_count": ("This month", "本月"),
    "col_baseline": ("Monthly average before", "此前月均"),
    "col_ratio": ("Ratio", "倍数"),
    "col_p_value": ("Chance (p)", "概率 p"),
    "col_view": ("Deadline", "时限要求"),
    "col_met": ("Met", "达标"),
    "col_missed": ("Missed", "未达标"),
    "col_pending": ("Pending", "待定"),
    "col_undated": ("Closed, no date", "已结案无日期"),
    "col_rate": ("Rate", "达标率"),
    "col_deadline": ("Deadline", "时限"),
    "col_days_over": ("Working days over", "超期工作日"),
    "col_missed_clock": ("Missed", "超期环节"),
    "col_in_month": ("This month", "本月次数"),
    "col_total": ("On record", "累计次数"),
    "col_case_nos": ("Cases", "案件"),
    "col_month": ("Month", "月份"),
    "clock_resolve": ("Resolve", "处理时限"),
    "clock_acknowledge": ("Acknowledge", "回复时限"),
    "not_set": ("Not set", "未填写"),
    "total": ("Total", "合计"),
    # regulatory views
    "view_cn_decided_7wd": ("Decided within 7 working days (China, market regulation complaint "
                            "rules)", "7 个工作日内作出受理决定（市场监管投诉举报处理办法）"),
    "view_uk_resolved_3bd": ("Resolved by the third business day (UK FCA DISP 1.5)",
                             "第 3 个工作日结束前解决（英国 FCA DISP 1.5）"),
    "view_uk_final_8w": ("Final response within 8 weeks (UK FCA DISP 1.6)",
                         "8 周内最终答复（英国 FCA DISP 1.6）"),
    "view_us_responded_15d": ("Responded within 15 days (US CFPB)",
                              "15 天内回复（美国 CFPB）"),
}


def pick(words: tuple[str, str], lang: str, **params: object) -> str:
    """The English or Chinese text of a pair, with its ``{placeholders}`` filled in."""
    text = words[1] if zh_lang(lang) else words[0]
    return text.format(**params) if params else text


def t(key: str, lang: str, **params: object) -> str:
    return pick(TEXT[key], lang, **params)


def zh_lang(lang: str) -> bool:
    return lang.lower().startswith("zh")


def header(key: str, lang: str) -> str:
    """A card field's header in the report's language."""
    return BY_KEY[key].header(lang)


def label(value: object, key: str, lists: dict[str, Vocabulary], lang: str) -> str:
    """A canonical list value (or group) as staff read it in this language."""
    if value is None or value == NOT_SET:
        return t("not_set", lang)
    vocab = lists.get(key)
    return vocab.label(str(value), lang) if vocab is not None else str(value)


def month_name(month: pd.Period, lang: str) -> str:
    if zh_lang(lang):
        return f"{month.year}年{month.month}月"
    return month.strftime("%B %Y")


def fmt_date(value: object, lang: str = "en") -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    stamp = pd.Timestamp(value)
    if zh_lang(lang):
        return f"{stamp.year}年{stamp.month}月{stamp.day}日"
    return stamp.strftime("%d %b %Y").lstrip("0")


def fmt_number(value: float | None, kind: str, lang: str = "en") -> str:
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


def fmt_change(change: float | None, kind: str, lang: str = "en") -> str:
    """A change with its sign: +12, −3.5 pt for rates (percentage points), +0.4 days."""
    shown = shown_change(change, kind)
    if shown is None:
        return "–"
    sign = "+" if shown > 0 else "−" if shown < 0 else "±"
    if kind == "count":
        return f"{sign}{abs(int(shown)):,}"
    points = " 个百分点" if zh_lang(lang) else " pt"
    return f"{sign}{abs(shown):.1f}" + (points if kind == "rate" else "")
