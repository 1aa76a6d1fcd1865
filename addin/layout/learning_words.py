"""Words of the improvement-action and analysis tables, in English and Chinese."""

from __future__ import annotations

from .words import pick

WORDS: dict[str, tuple[str, str]] = {
    "actions_open": ("Improvement actions still open", "未完成的改进措施"),
    "actions_open_none": ("No improvement action is open. Record new ones on the Actions sheet.",
                          "没有未完成的改进措施。新的措施请记录在“改进措施”工作表中。"),
    "actions_open_note": ("Open actions are carried into every report until their Status is "
                          "Done or Cancelled.",
                          "未完成的措施会出现在之后每一期报告中，直到状态改为“已完成”或“已取消”。"),
    "actions_late": ("Late improvement actions", "逾期的改进措施"),
    "actions_late_none": ("No action is past its due date.", "没有逾期的措施。"),
    "actions_results": ("Effect of improvement actions", "改进措施的效果"),
    "actions_results_none": ("No action has a target measured yet.", "尚无可衡量目标的措施。"),
    "target_rule": ("The same number of whole months before and after the month an action was "
                    "opened are compared (3 unless its target says otherwise); Too early until "
                    "those months are over. An action that missed its target needs a new plan.",
                    "比较措施提出月份前后相同数量的完整月份（默认 3 个月）；之后的月份未满时为“为时"
                    "尚早”。未达成目标的措施需重新评估并制定新计划。"),
    "action_action_no": ("Action No", "措施编号"), "action_opened": ("Opened", "提出日期"),
    "action_category": ("Category", "投诉类别"), "action_action": ("Action", "改进措施"),
    "action_owner": ("Owner", "负责人"), "action_due": ("Due", "完成期限"),
    "action_status": ("Status", "状态"), "action_target": ("Target", "预期目标"),
    "action_result": ("Result", "实际效果"), "action_verdict": ("Verdict", "评价"),
    "causes": ("Complaints by cause type", "按原因类别"),
    "root_causes": ("Recurring root causes", "反复出现的原因"),
    "top_cause": ("Most frequent cause", "最常见原因"),
    "cases": ("Complaints", "投诉数"), "share": ("Share", "占比"),
    "repeats": ("Repeats", "重复投诉"),
    "repeat_rate": ("Repeat rate", "重复率"), "reopen_rate": ("Reopen rate", "重开率"),
    "satisfaction": ("Satisfaction", "满意度"), "compensation": ("Compensation", "赔偿金额"),
    "profile_product": ("By product or service", "按产品/服务"),
    "profile_customer_type": ("By customer type", "按客户类型"),
    "profile_channel": ("By channel: repeats and reopenings", "按投诉渠道：重复与重开"),
    "profile_category": ("Repeat and reopen rates by category", "各类别重复率与重开率"),
    "follow_up": ("Follow-up results", "回访结果"),
    "follow_up_note": ("Followed up: {n} of {done} resolved or closed complaints ({rate}).",
                       "已回访：{done} 件已解决或已结案投诉中的 {n} 件（{rate}）。"),
    "risks": ("Risks and escalations", "风险与升级"), "still_open": ("Still open", "未结案"),
    "escalated": ("Escalated (severity)", "升级（严重程度）"),
    "risks_none": ("No risk was signalled.", "没有风险提示。"),
    "not_accepted": ("Complaints not accepted, by reason", "不予受理的投诉及原因"),
    "not_given": ("No reason given", "未填写原因"),
    "not_accepted_none": ("No complaint was marked Not accepted.", "没有不予受理的投诉。"),
    "compensation_category": ("Compensation by category", "各类别赔偿"),
    "compensation_department": ("Compensation by department", "各部门赔偿"),
    "compensation_remedy": ("Compensation by remedy", "各处理方式赔偿"),
    "cases_paid": ("Cases paid", "赔偿件数"), "total_paid": ("Total paid", "赔偿总额"),
    "mean_paid": ("Mean per case", "平均每件"),
    "compensation_none": ("No compensation was recorded.", "没有赔偿记录。"),
    "workload": ("Open cases per handler at month end", "各处理人月末未结案件"),
    "unassigned": ("Unassigned", "未分配"),
    "volume": ("Complaints per thousand orders", "每千单投诉数"),
    "month": ("Month", "月份"), "orders": ("Orders", "订单量"),
    "per_thousand": ("Per 1,000 orders", "每千单"),
    "volume_none": ("Add a Volume sheet (Month, Orders) to see complaints per thousand orders.",
                    "添加“业务量”工作表（月份、订单量）即可查看每千单投诉数。"),
    "volume_trend": ("Over {months} months the rate went from {first} to {last} per 1,000 "
                     "orders:", "近 {months} 个月每千单投诉由 {first} 变为 {last}，"),
    "volume_up": ("rising.", "呈上升趋势。"), "volume_down": ("falling or flat.", "呈下降或持平。"),
    "none_yet": ("Nothing recorded yet.", "暂无记录。"),
}


def w(key: str, lang: str, **params: object) -> str:
    return pick(WORDS[key], lang, **params)
