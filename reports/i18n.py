"""Words of the HTML report and the case summaries, in English and Chinese.

Templates receive text already in the report's language; this module is where it comes from. The
words the report shares with the Analysis and Monthly sheets (table titles, column headers, month
names, number formats) live in ``addin.layout.words``: one source for the sheets and the report.
"""

from __future__ import annotations

import pandas as pd

from addin.core.text import Lang, Text
from addin.layout.words import TEXT as TABLE_TEXT
from addin.layout.words import (
    fmt_change,
    fmt_date,
    fmt_number,
    header,
    label,
    month_name,
    pick,
    separator,
    shown_change,
)

__all__ = ["TEXT", "fmt_change", "fmt_date", "fmt_datetime", "fmt_number", "header", "label",
           "month_name", "pick", "separator", "shown_change", "t"]

REPORT_TEXT: dict[str, Text] = {
    "as_of": Text("Figures as of {day}; generated {today} from {workbook}.",
                  "数据截至 {day}；{today} 根据 {workbook} 生成。"),
    "masked_note": Text("Personal data is masked.", "个人信息已隐藏。"),
    # Chinese managers read month-on-month and year-on-year as 环比 and 同比.
    "vs_previous": Text("vs {month}", "环比"),
    "vs_last_year": Text("vs {month}", "同比"),
    "basis": Text("of {n} cases", "基于 {n} 件"),
    "basis_one": Text("of 1 case", "基于 1 件"),
    "basis_scores": Text("{n} scores", "{n} 个评分"),
    "basis_scores_one": Text("1 score", "1 个评分"),
    "basis_open": Text("of {n} open", "未结 {n} 件"),
    "basis_none": Text("nothing to measure", "无可统计案件"),
    "charts": Text("Charts", "图表"),
    "chart_categories": Text("Complaints by category, last 12 months", "近 12 个月各类别投诉"),
    "chart_channel": Text("This month by channel", "本月各渠道投诉"),
    "chart_satisfaction": Text("Satisfaction scores this month", "本月满意度评分分布"),
    "trend_undated": Text("Resolved counts only cases with a resolved date; closed without one in "
                          "these 12 months: {n}.",
                          "“解决”只统计填写了解决时间的案件；"
                          "近 12 个月已结案但未填写解决时间的：{n} 件。"),
    "closed_undated": Text("Complaints of this month closed without a resolved date: {n}. They "
                               "count as closed, but not in resolution times or on-time rates.",
                           "本月受理的投诉中有 {n} 件已结案但未填写解决时间：计入已结案，"
                           "但不计入解决用时和按时率。"),
    "no_scores": Text("No satisfaction scores this month.", "本月没有满意度评分。"),
    "overdue_more": Text("… and {n} more (see the workbook).", "……另有 {n} 件（见工作簿）。"),
    "actions_note": Text("Recorded on the Actions sheet of the workbook; write new ones below.",
                         "来自工作簿的“改进措施”工作表；新的措施可填写在下方空行。"),
    "definitions": Text("How the figures are counted", "统计口径"),
    "definitions_text": Text(
        "Figures are taken at the end of the month (today for the running month). On-time "
        "rates count the cases whose deadline verdict fell in the month: done by the deadline, "
        "or the deadline passed without it. Resolution time counts working days from receipt to "
        "resolution on the workbook's holiday calendar. Overdue: open and past the resolve "
        "deadline, or not yet acknowledged past the acknowledge deadline. A case acknowledged or "
        "resolved before the date it was received (a date-order finding) counts as acknowledged "
        "or closed, but in no on-time rate and no resolution time.",
        "数据截至月末（当月为今天）。按时率统计本月得出结果的时限：在时限内完成，或时限已过仍未完成。"
        "解决用时按工作簿的节假日日历计算受理至解决的工作日数。超期：未结案且已过处理时限，"
        "或尚未回复且已过回复时限。回复或解决时间早于受理时间的案件（日期顺序错误）计入已回复或"
        "已结案，但不计入按时率和解决用时。"),
    "col_action": Text("Action", "措施"),
    "col_owner": Text("Owner", "负责人"),
    "col_due": Text("Due", "完成期限"),
    "col_status": Text("Status", "状态"),
    # case summary
    "colon": Text(":", "："),
    "card_title": Text("Customer complaint record card", "客户投诉记录卡"),
    "summary_title": Text("Case summary", "案件摘要"),
    # the case's timeline (the Case log's rows about it)
    "timeline": Text("Timeline (Case log)", "处理经过（处理记录）"),
    "recent_events": Text("Latest events", "最近处理记录"),
    "col_time": Text("Time", "时间"),
    "col_event": Text("Event", "事件"),
    "col_change": Text("From → To", "原值 → 新值"),
    "col_by": Text("By", "操作人"),
    "col_note": Text("Note", "说明"),
    "no_events": Text("No events on the Case log yet: a run records them.",
                      "处理记录中尚无该案件的记录：运行后自动记录。"),
    "earlier_events": Text("{n} earlier event(s) on the Case log.",
                           "处理记录中另有 {n} 条更早的记录。"),
    "signature": Text("Handler's signature", "处理人签字"),
    "reviewer": Text("Reviewed by", "审核人"),
    "printed": Text("Printed {today}", "打印日期 {today}"),
}
TEXT: dict[str, Text] = TABLE_TEXT | REPORT_TEXT


def t(key: str, lang: Lang | str, **params: object) -> str:
    return pick(TEXT[key], lang, **params)


def fmt_datetime(value: object, lang: Lang | str = Lang.EN) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    stamp = pd.Timestamp(value)
    day = fmt_date(stamp, lang)
    return f"{day} {stamp:%H:%M}" if (stamp.hour, stamp.minute) != (0, 0) else day
