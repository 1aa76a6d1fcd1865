"""The workbook's own words: input messages, button help, card sections, in both languages.

Kept apart from the layout code so that a translator edits one file. Excel limits an input
message to 32 characters of title and 255 of text; a test checks every entry fits.
"""

from __future__ import annotations

from addin.core.text import Text
from addin.vba.build import BUTTONS

# Field key -> the input message shown when staff select a cell of the column.
FIELD_HELP: dict[str, Text] = {
    "case_no": Text("Leave empty: Assign numbers (or Run all) gives each valid row its number.",
                    "请留空：点击“分配编号”（或“全部运行”）为每条有效记录编号。"),
    "received_at": Text("When the complaint came in, e.g. 2026-03-18 09:30. Required; not in the "
                        "future.", "收到投诉的时间，例如 2026-03-18 09:30。必填，不能晚于今天。"),
    "channel": Text("How the complaint came in: pick from the list.",
                    "投诉来源渠道：请从列表中选择。"),
    "customer_name": Text("The customer's name. Required.", "客户姓名，必填。"),
    "customer_type": Text("New, returning or VIP: pick from the list.",
                          "新客户、老客户或 VIP 客户：请从列表中选择。"),
    "phone": Text("Phone or email is required. Digits, spaces, +, - and brackets.",
                  "联系电话与电子邮箱至少填一项。可用数字、空格、+、- 和括号。"),
    "email": Text("Phone or email is required, e.g. name@example.com.",
                  "联系电话与电子邮箱至少填一项，例如 name@example.com。"),
    "product": Text("The product or service complained about.", "被投诉的产品或服务。"),
    "order_ref": Text("Order or contract number, if any.", "订单号或合同号（如有）。"),
    "description": Text("What happened, in the customer's words. Required; the rules classify "
                        "from this text.",
                        "投诉的具体内容（尽量用客户原话）。必填，分类规则据此自动分类。"),
    "request": Text("The remedy the customer asks for (refund, repair, apology ...).",
                    "客户提出的诉求（退款、维修、道歉等）。"),
    "category": Text("Leave empty to let the Rules sheet fill it, or pick from the list.",
                     "可留空由规则表自动填写，或从列表中选择。"),
    "severity": Text("Leave empty to let the Rules sheet fill it, or pick from the list.",
                     "可留空由规则表自动填写，或从列表中选择。"),
    "urgency": Text("Leave empty to let the Rules sheet fill it, or pick from the list.",
                    "可留空由规则表自动填写，或从列表中选择。"),
    "department": Text("The department responsible; the rules may fill it.",
                       "责任部门，可由规则自动填写。"),
    "handler": Text("Who handles the case. Required once work has started.",
                    "处理人。开始处理后必填。"),
    "status": Text("Where the case stands: pick from the list. Required.",
                   "当前处理状态：请从列表中选择。必填。"),
    "acknowledged_at": Text("When the customer first got a reply. Not before Received.",
                            "首次回复客户的时间，不能早于受理时间。"),
    "resolved_at": Text("When the case was resolved. Required when Resolved or Closed.",
                        "解决时间。状态为已解决或已结案时必填。"),
    "root_cause": Text("Why it happened (investigation result).", "问题产生的原因（调查结论）。"),
    "solution": Text("What was done. Required when Resolved or Closed.",
                     "采取的解决方案。状态为已解决或已结案时必填。"),
    "outcome": Text("How it ended for the customer (refund paid, part replaced ...).",
                    "最终处理结果（已退款、已更换配件等）。"),
    "satisfaction": Text("Follow-up score 1 (very unhappy) to 5 (very happy); only on resolved or "
                         "closed cases.",
                         "回访满意度 1（很不满意）到 5（很满意），仅限已解决或已结案的案件。"),
    "follow_up_at": Text("Date of the follow-up call or message.", "回访日期。"),
    "notes": Text("Anything else worth keeping.", "其他需要记录的信息。"),
    # The handling process.
    "assigned_at": Text("When the handler was given the case.", "分派给处理人的时间。"),
    "reject_reason": Text("Why the complaint is not accepted. Required when Not accepted.",
                          "不予受理的原因。状态为不予受理时必填。"),
    "investigated_at": Text("When the investigation ended.", "调查完成的时间。"),
    "root_cause_type": Text("The kind of cause: pick from the list. Required when Closed.",
                            "原因类别：请从列表中选择。结案时必填。"),
    "remedy": Text("What the customer was given: pick from the list. Required when Resolved or "
                   "Closed.", "处理方式：请从列表中选择。已解决或已结案时必填。"),
    "compensation": Text("Money paid or credited, 0 or more.", "赔偿或返还的金额，不小于 0。"),
    "approved_by": Text("Who approved the compensation (needed above the Settings threshold).",
                        "赔偿审批人（超过设置中的审批金额时必填）。"),
    "approved_at": Text("When the compensation was approved.", "赔偿审批时间。"),
    "informed_at": Text("When the customer was told the result. Required when Closed.",
                        "告知客户处理结果的时间。结案时必填。"),
    "follow_up_method": Text("How the follow-up was made: pick from the list.",
                             "回访方式：请从列表中选择。"),
    "follow_up_result": Text("What the customer said: pick from the list.",
                             "回访结果：请从列表中选择。"),
    "closed_at": Text("When the case was closed. Required when Closed.", "结案时间。结案时必填。"),
    "source_ref": Text("Where an imported row came from: importing the same file again skips it.",
                       "导入记录的来源编号：再次导入同一文件时据此跳过已导入的行。"),
}
# Shown on the columns an import kept from its source file (not on the card).
KEPT_HELP = Text("Kept from the imported file as it was; the checks do not read this column.",
                 "从导入文件原样保留的列；校验不读取此列。")
# Shown on every column the add-in writes.
WRITTEN_HELP = Text("Written by the add-in (Run all): do not type here.",
                    "由系统计算填写（全部运行）：请勿手工输入。")
HELP_TITLE = {"typed": Text("How to fill it", "填写说明"),
              "written": Text("Calculated", "系统计算")}
# The warning a value outside a column's dropdown list gets.
DROPDOWN_ERROR = {
    "title": Text("Not in the list", "不在列表中"),
    "message": Text("Pick a value from the list, or add it on the Lists sheet first.",
                    "请从列表中选择，或先在“列表”工作表中添加该值。"),
}
# Button macro -> the button's caption.
CAPTIONS = {button.macro: Text(button.caption_en, button.caption_zh) for button in BUTTONS}

# Button macro -> what pressing it does (the Help sheet).
BUTTON_HELP: dict[str, Text] = {
    "ValidateRecords": Text("Checks every row and writes the Check column and the Findings sheet; "
                            "cells with a problem turn red.",
                            "校验每一行，写入“校验结果”列和 Findings 工作表；有问题的单元格标红。"),
    "AssignNumbers": Text("Gives each valid row without a case number the next number in the "
                          "Settings format.",
                          "按设置中的编号格式，为每条尚无编号的有效记录分配编号。"),
    "ClassifyComplaints": Text("Fills empty Category, Severity, Urgency and Department from the "
                               "Rules sheet and names the rule used.",
                               "按规则表填写空白的投诉类别、严重程度、紧急程度和责任部门，并记录匹配规则。"),
    "DeadlinesAndColours": Text("Works out Acknowledge by, Resolve by, SLA status and Days open "
                                "with the deadline table and the Holidays sheet; rows turn amber "
                                "when due soon and red when overdue.",
                                "按时限表和节假日表计算回复时限、处理时限、时限状态和已处理天数；"
                                "即将到期的行显示为黄色，已超期的行显示为红色。"),
    "RunAll": Text("All four steps above, exactly as the batch run on a server.",
                   "依次执行以上四步，结果与服务器批处理完全相同。"),
    "MonthlyReport": Text("Writes the month's report (HTML, and PDF when possible) next to the "
                          "saved workbook. Save first.",
                          "在已保存的工作簿旁生成本月报告（HTML，可能时另有 PDF）。请先保存。"),
    "CaseSummary": Text("Writes a record card and an email summary for each case in the "
                        "selected rows. Save first.",
                        "为所选行中的每个案件生成记录卡和邮件摘要。请先保存。"),
}

# A workbook without macros (.xlsx): where the buttons would be, and on the Help sheet.
NO_BUTTONS = Text("No buttons in a .xlsx workbook (it holds no macros): the Help sheet says what "
                  "to run instead.",
                  "“.xlsx”工作簿不含宏，因此没有按钮：替代做法见“帮助”工作表。")
NO_BUTTONS_HELP = (
    Text("This workbook is a .xlsx file: it holds no macros, so it has no buttons.",
         "本工作簿为 .xlsx 文件，不含宏，因此没有按钮。"),
    Text("Checks, case numbers, classification, deadlines and colours (what Run all does): "
         "complaint-record process <this file>",
         "校验、编号、分类、计算时限并标色（与“全部运行”相同）：complaint-record process <本文件>"),
    Text("The monthly report: complaint-record report <this file>",
         "月度报告：complaint-record report <本文件>"),
    Text("Or copy the rows into ComplaintRecord.xlsm, which has the buttons.",
         "也可以把记录复制到带按钮的 ComplaintRecord.xlsm 中。"),
)


# The Help sheet's section on the Case log (处理记录): (topic, text) pairs.
CASE_LOG_HELP: tuple[tuple[Text, Text], ...] = (
    (Text("What it holds", "记录内容"),
     Text("One row per event of a case: each run (a button or the batch) appends a row for every "
          "change it sees since the last run: a case created and numbered, its status, handler, "
          "severity, urgency or a deadline changed, reopened, escalated. A run with no change "
          "appends nothing.",
          "每个案件的每项处理经过占一行：每次运行（按钮或批处理）都会为上次运行以来发现的每项变化追加一行："
          "案件创建并编号，处理状态、处理人、严重程度、紧急程度或时限发生变化，重新打开，升级。"
          "没有变化的运行不追加任何行。")),
    (Text("Nothing is rewritten", "只追加，不改写"),
     Text("The add-in only ever adds rows below the last one; it never changes or deletes a row "
          "already there, yours or its own.",
          "系统只在最后一行之下追加新行，从不修改或删除已有的任何一行，无论是员工添加的还是系统写入的。")),
    (Text("Your own rows", "员工自行添加"),
     Text("Add a row for a call, a visit or what was agreed: the case number, the time, the event "
          "跟进记录 (Note), who, and what happened in Note (说明). It stays where you put it.",
          "电话回访、上门或与客户约定的事项，可自行添加一行：填写案件编号、时间、事件“跟进记录”、"
          "操作人，并在“说明”中写明经过。该行会保留在原处。")),
    (Text("Where it shows", "在哪里查看"),
     Text("Pick a case number on the Card sheet: it lists the case's last eight events. The Case "
          "summary button prints the record card with the whole timeline and an email summary "
          "with the latest events.",
          "在“记录卡”工作表中选择案件编号，即显示该案件最近八条处理记录。“案件摘要”按钮生成带有完整处理经过的"
          "记录卡和列出最近记录的邮件摘要。")),
    (Text("The hidden Case state sheet", "隐藏的 Case state 工作表"),
     Text("Holds what each case looked like at the last run, so the next run, by button or batch, "
          "knows what changed. Leave it as it is: if it is damaged, the worst that happens is a "
          "change logged twice.",
          "保存上次运行时各案件的状态，下一次运行（按钮或批处理）据此判断发生了哪些变化。请勿编辑；"
          "即使该表损坏，最多只会把某项变化记录两次。")),
    (Text("A status gone backwards", "状态倒退"),
     Text("Closed back to New is logged and reported (status-backwards): if the customer came "
          "back, set Reopened instead, so the clocks start again.",
          "从“已结案”退回“新建”等会被记录并提示（status-backwards）：如客户再次投诉，请改为“重新打开”，"
          "以便重新计时。")),
)
# Event (as the core names it) -> when a run writes it.
EVENT_HELP: dict[str, Text] = {
    "Created": Text("A run sees a numbered case for the first time (To: its case number).",
                    "运行首次发现已编号的案件（新值：案件编号）。"),
    "Status": Text("The status changed (From → To).", "处理状态发生变化（原值 → 新值）。"),
    "Handler": Text("Another handler took the case.", "处理人发生变化。"),
    "Severity": Text("The severity changed.", "严重程度发生变化。"),
    "Urgency": Text("The urgency changed.", "紧急程度发生变化。"),
    "Deadline": Text("A deadline moved (Note: which one). While a case waits on the customer its "
                     "deadlines are logged once, when the wait ends.",
                     "时限发生变化（说明：哪一项时限）。案件等待客户回复期间不逐日记录，等待结束时记录一次。"),
    "Reopened": Text("The status became Reopened.", "处理状态变为“重新打开”。"),
    "Escalated": Text("The severity became Escalated.", "严重程度变为“升级”。"),
    "Note": Text("Staff's own rows (a call, a visit, what was agreed); never written by a run.",
                 "员工自行添加的跟进记录（电话、上门、约定事项）；系统运行从不写入。"),
}
