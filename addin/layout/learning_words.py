"""Words of the improvement-action and analysis tables, in English and Chinese."""

from __future__ import annotations

from addin.core.text import Lang, Text

from .words import pick

WORDS: dict[str, Text] = {
    "actions_open": Text("Improvement actions still open", "未完成的改进措施"),
    "actions_open_none": Text(
        "No improvement action is open. Record new ones on the Actions sheet.",
        "没有未完成的改进措施。新的措施请记录在“改进措施”工作表中。"),
    "actions_open_note": Text(
        "Open actions are carried into every report until their Status is Done or Cancelled.",
        "未完成的措施会出现在之后每一期报告中，直到状态改为“已完成”或“已取消”。"),
    "actions_late": Text("Late improvement actions", "逾期的改进措施"),
    "actions_late_none": Text("No action is past its due date.", "没有逾期的措施。"),
    "actions_results": Text("Effect of improvement actions", "改进措施的效果"),
    "actions_results_none": Text("No action has a target measured yet.", "尚无可衡量目标的措施。"),
    "target_rule": Text(
        "The same number of whole months before and after the month an action was opened are "
        "compared (3 unless its target says otherwise); Too early until those months are over. "
        "An action that missed its target needs a new plan.",
        "比较措施提出月份前后相同数量的完整月份（默认 3 个月）；之后的月份未满时为“为时尚早”。"
        "未达成目标的措施需重新评估并制定新计划。"),
    "action_action_no": Text("Action No", "措施编号"), "action_opened": Text("Opened", "提出日期"),
    "action_category": Text("Category", "投诉类别"), "action_action": Text("Action", "改进措施"),
    "action_owner": Text("Owner", "负责人"), "action_due": Text("Due", "完成期限"),
    "action_status": Text("Status", "状态"), "action_target": Text("Target", "预期目标"),
    "action_result": Text("Result", "实际效果"), "action_verdict": Text("Verdict", "评价"),
    "causes": Text("Complaints by cause type", "按原因类别"),
    "root_causes": Text("Recurring root causes", "反复出现的原因"),
    "top_cause": Text("Most frequent cause", "最常见原因"),
    "cases": Text("Complaints", "投诉数"), "share": Text("Share", "占比"),
    "repeats": Text("Repeats", "重复投诉"),
    "repeat_rate": Text("Repeat rate", "重复率"), "reopen_rate": Text("Reopen rate", "重开率"),
    "satisfaction": Text("Satisfaction", "满意度"),
    "compensation": Text("Compensation", "赔偿金额"),
    "profile_product": Text("By product or service", "按产品/服务"),
    "profile_customer_type": Text("By customer type", "按客户类型"),
    "profile_channel": Text("By channel: repeats and reopenings", "按投诉渠道：重复与重开"),
    "profile_category": Text("Repeat and reopen rates by category", "各类别重复率与重开率"),
    "follow_up": Text("Follow-up results", "回访结果"),
    "follow_up_note": Text("Followed up: {n} of {done} resolved or closed complaints ({rate}).",
                           "已回访：{done} 件已解决或已结案投诉中的 {n} 件（{rate}）。"),
    "risks": Text("Risks and escalations", "风险与升级"),
    "still_open": Text("Still open", "未结案"),
    "escalated": Text("Escalated (severity)", "升级（严重程度）"),
    "risks_none": Text("No risk was signalled.", "没有风险提示。"),
    "not_accepted": Text("Complaints not accepted, by reason", "不予受理的投诉及原因"),
    "not_given": Text("No reason given", "未填写原因"),
    "not_accepted_none": Text("No complaint was marked Not accepted.", "没有不予受理的投诉。"),
    "compensation_category": Text("Compensation by category", "各类别赔偿"),
    "compensation_department": Text("Compensation by department", "各部门赔偿"),
    "compensation_remedy": Text("Compensation by remedy", "各处理方式赔偿"),
    "cases_paid": Text("Cases paid", "赔偿件数"), "total_paid": Text("Total paid", "赔偿总额"),
    "mean_paid": Text("Mean per case", "平均每件"),
    "compensation_none": Text("No compensation was recorded.", "没有赔偿记录。"),
    "workload": Text("Open cases per handler at month end", "各处理人月末未结案件"),
    "unassigned": Text("Unassigned", "未分配"),
    "volume": Text("Complaints per thousand orders", "每千单投诉数"),
    "month": Text("Month", "月份"), "orders": Text("Orders", "订单量"),
    "per_thousand": Text("Per 1,000 orders", "每千单"),
    "volume_none": Text("Add a Volume sheet (Month, Orders) to see complaints per thousand orders.",
                        "添加“业务量”工作表（月份、订单量）即可查看每千单投诉数。"),
    "volume_trend": Text("Over {months} months the rate went from {first} to {last} per 1,000 "
                         "orders:", "近 {months} 个月每千单投诉由 {first} 变为 {last}，"),
    "volume_up": Text("rising.", "呈上升趋势。"),
    "volume_down": Text("falling or flat.", "呈下降或持平。"),
    "none_yet": Text("Nothing recorded yet.", "暂无记录。"),
}


def w(key: str, lang: Lang | str, **params: object) -> str:
    return pick(WORDS[key], lang, **params)
