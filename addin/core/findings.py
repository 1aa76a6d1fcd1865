"""Findings: every problem the checks report, as a value with a code, a place and a message.

One catalogue of codes serves the checks, the Findings sheet and the Help sheet of the workbook.
A finding names the cell the way staff see it (``Complaints!F12``: sheet, column letter, the row
number Excel shows), so it can be followed by a link.
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from .text import Lang, Text

Level = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Code:
    code: str
    level: Level
    title: Text
    message: Text  # str.format templates over the finding's ``params`` plus cell and value
    fix: Text

    # Each language on its own, for callers not yet converted to Text.
    title_en = property(lambda self: self.title.en)
    title_zh = property(lambda self: self.title.zh)
    message_en = property(lambda self: self.message.en)
    message_zh = property(lambda self: self.message.zh)
    fix_en = property(lambda self: self.fix.en)
    fix_zh = property(lambda self: self.fix.zh)


def _c(code: str, level: Level, title_en: str, title_zh: str, message_en: str, message_zh: str,
       fix_en: str, fix_zh: str) -> Code:
    return Code(code, level, Text(title_en, title_zh), Text(message_en, message_zh),
                Text(fix_en, fix_zh))


CATALOGUE: dict[str, Code] = {c.code: c for c in (
    # The register as a whole.
    _c("no-register", "error", "No complaints table", "找不到投诉登记表",
       "No sheet holds a complaints table with the card's headers.",
       "没有找到带有记录卡表头的投诉登记表。",
       "Name the sheet Complaints (or 投诉登记) and keep the card's header row.",
       "请将工作表命名为 Complaints（或 投诉登记）并保留记录卡表头。"),
    _c("column-taken", "error", "Column in the way", "列位置被占用",
       "{cell} holds {value!r}, where the run would add the column {header}.",
       "{cell} 中有内容（{value}），本次运行要在该处添加“{header}”列。",
       "Give that column a header (it is then kept as a column of its own) or move what is "
       "there, then run again.",
       "请为该列加上表头（之后会作为独立的列保留）或移走其内容，然后重新运行。"),
    _c("missing-column", "error", "Column missing", "缺少列",
       "The column {header} is missing from the register.",
       "登记表缺少“{header}”列。",
       "Add a column headed {header}.", "请添加表头为“{header}”的列。"),
    # Cells.
    _c("required", "error", "Required field empty", "必填项为空",
       "{header} is required.", "“{header}”为必填项。",
       "Fill in {header}.", "请填写“{header}”。"),
    _c("required-when-started", "error", "Handler missing", "缺少处理人",
       "{header} is required once work has started (status {status}).",
       "处理开始后（状态：{status}）必须填写“{header}”。",
       "Name who handles the case.", "请填写处理人。"),
    _c("required-when-done", "error", "Required to close", "结案必填项为空",
       "{header} is required when the case is {status}.",
       "状态为“{status}”时必须填写“{header}”。",
       "Fill in {header} or change the status.", "请填写“{header}”或修改状态。"),
    _c("contact-missing", "error", "No way to reach the customer", "缺少联系方式",
       "Give a phone number or an email address.", "请至少填写联系电话或电子邮箱之一。",
       "Fill in Phone or Email.", "请填写联系电话或电子邮箱。"),
    _c("not-a-date", "error", "Not a date", "不是日期",
       "{value!r} in {header} is not a date.", "“{header}”中的“{value}”不是有效日期。",
       "Type the date as {example}.", "请按 {example} 的格式填写日期。"),
    _c("date-in-future", "error", "Date in the future", "日期晚于今天",
       "{header} {value} is after today ({today}).", "“{header}”{value} 晚于今天（{today}）。",
       "Check the date.", "请核对日期。"),
    _c("date-order", "error", "Date before received", "日期早于受理时间",
       "{header} {value} is before the received date {received}.",
       "“{header}”{value} 早于受理时间 {received}。",
       "Check both dates.", "请核对两个日期。"),
    _c("not-in-list", "error", "Value not in the list", "不在可选列表中",
       "{value!r} is not a valid {header}; choose one of: {choices}.",
       "“{value}”不是有效的“{header}”，可选：{choices}。",
       "Pick a value from the dropdown, or add it on the Lists sheet.",
       "请从下拉列表中选择，或在 Lists 工作表中添加该值。"),
    _c("bad-phone", "error", "Phone number looks wrong", "电话号码格式不对",
       "{value!r} does not look like a phone number.", "“{value}”不像是电话号码。",
       "Use digits, spaces, +, - or brackets (at least 7 digits).",
       "请使用数字、空格、+、- 或括号（至少 7 位数字）。"),
    _c("bad-email", "error", "Email address looks wrong", "电子邮箱格式不对",
       "{value!r} does not look like an email address.", "“{value}”不像是电子邮箱。",
       "Write it as name@example.com.", "请按 name@example.com 的格式填写。"),
    _c("satisfaction-range", "error", "Satisfaction out of range", "满意度超出范围",
       "Satisfaction must be a whole number from 1 to 5, not {value!r}.",
       "满意度必须是 1 到 5 的整数，而不是“{value}”。",
       "Type 1, 2, 3, 4 or 5.", "请填写 1、2、3、4 或 5。"),
    _c("satisfaction-open", "error", "Satisfaction on an open case", "未结案件填写了满意度",
       "Satisfaction is only recorded on resolved or closed cases (status {status}).",
       "只有已解决或已结案的案件才记录满意度（当前状态：{status}）。",
       "Clear it, or resolve the case first.", "请清空，或先解决该案件。"),
    _c("duplicate-case-no", "error", "Case number used twice", "案件编号重复",
       "Case number {value} is also used in row {other_row}.",
       "案件编号 {value} 在第 {other_row} 行也被使用。",
       "Give one of the rows a new number by clearing it (the add-in assigns one).",
       "清空其中一行的编号，由系统重新分配。"),
    _c("repeat-complaint", "info", "Repeat complaint", "重复投诉",
       "The same customer complained {days} days earlier: case {value}.",
       "同一客户 {days} 天前曾投诉：案件 {value}。",
       "Check the earlier case before replying.", "回复前请查看前一案件。"),
    _c("suggested-category", "info", "Category suggested", "建议类别",
       "The rules left this complaint as Other; the complaints the office classified itself "
       "suggest {suggestion} (confidence {confidence}; see the {suggested} column).",
       "规则未能归类此投诉；根据本部门自己分类的投诉，建议类别为“{suggestion}”"
       "（置信度 {confidence}，见“{suggested}”列）。",
       "If it fits, copy {suggestion} into {header}; the next run keeps what you typed and "
       "learns from it.",
       "如合适，请将“{suggestion}”填入“{header}”；下次运行会保留您填写的内容并从中学习。"),
    _c("not-numbered", "warning", "No case number yet", "尚未分配编号",
       "No case number was assigned because the row has errors.",
       "该行存在错误，尚未分配案件编号。",
       "Fix the errors in this row; the next run assigns the number.",
       "修正该行错误后，下次运行将分配编号。"),
    # The handling process: what each status implies, the order of the steps, remedies.
    # Their level is the default; the Settings sheet may make them errors or warnings.
    _c("stage-missing", "error", "Missing for this stage", "当前环节缺少信息",
       "{header} is needed once the case is {status}.",
       "状态为“{status}”时需要填写“{header}”。",
       "Fill in {header}, or set Status to the step the case has really reached.",
       "请填写“{header}”，或将处理状态改为案件实际所处的环节。"),
    _c("stage-too-early", "warning", "Filled before its stage", "提前填写",
       "{header} is filled in, but the case is still {status}.",
       "已填写“{header}”，但案件状态仍为“{status}”。",
       "Move Status on to the step the case has reached, or clear {header} if it was typed "
       "by mistake.",
       "请将处理状态改为案件实际所处的环节；若为误填，请清空“{header}”。"),
    _c("stage-order", "error", "Steps out of order", "环节时间顺序不对",
       "{header} {value} is before {earlier} {earlier_value}: the steps run received, assigned, "
       "investigated, resolved, customer told, follow-up, closed.",
       "“{header}”{value} 早于“{earlier}”{earlier_value}：处理环节依次为受理、分派、调查、解决、"
       "告知结果、回访、结案。",
       "Check both dates.", "请核对两个日期。"),
    _c("reply-after-resolution", "error", "First reply after the resolution", "首次回复晚于解决",
       "The first reply {value} comes after the resolution {resolved}.",
       "首次回复时间 {value} 晚于解决时间 {resolved}。",
       "A case is acknowledged before it is resolved: check Acknowledged and Resolved.",
       "案件应先回复再解决：请核对首次回复时间和解决时间。"),
    _c("bad-compensation", "error", "Compensation not understood", "赔偿金额无法识别",
       "Compensation must be an amount of 0 or more, not {value!r}.",
       "赔偿金额必须是不小于 0 的金额，而不是“{value}”。",
       "Type the amount as a number, e.g. 200 or 1500.50.",
       "请填写数字金额，例如 200 或 1500.50。"),
    _c("approval-missing", "error", "Compensation not approved", "赔偿未审批",
       "Compensation {amount} is above {threshold}, so Approved by and Approved are needed "
       "before the case is {status}.",
       "赔偿金额 {amount} 超过 {threshold}，案件“{status}”前需填写审批人和审批时间。",
       "Have the compensation approved and fill in Approved by and Approved, or set the "
       "status back until it is.",
       "请完成赔偿审批并填写审批人和审批时间，审批前请勿将案件设为已解决或已结案。"),
    _c("follow-up-overdue", "warning", "Follow-up overdue", "回访超期",
       "{case} ({customer}, handler {handler}) was resolved {resolved}; the follow-up was due "
       "by {due}, {days} working days ago, and none is recorded.",
       "案件 {case}（客户 {customer}，处理人 {handler}）已于 {resolved} 解决，回访时限为 {due}，"
       "已超期 {days} 个工作日，尚无回访记录。",
       "Contact the customer, then fill in Follow-up, Follow-up method and Follow-up result.",
       "请回访客户，并填写回访日期、回访方式和回访结果。"),
    _c("follow-up-due", "info", "Follow-up due soon", "回访即将到期",
       "{case} ({customer}, handler {handler}) was resolved {resolved}; the follow-up is due "
       "by {due}.",
       "案件 {case}（客户 {customer}，处理人 {handler}）已于 {resolved} 解决，回访时限为 {due}，"
       "即将到期。",
       "Contact the customer by then, and fill in Follow-up, Follow-up method and Follow-up "
       "result.",
       "请在时限前回访客户，并填写回访日期、回访方式和回访结果。"),
    _c("reopen-suggested", "warning", "Customer not satisfied", "客户不满意",
       "The customer is not satisfied ({reason}) and the case is {status}.",
       "客户不满意（{reason}），案件状态为“{status}”。",
       "Reopen the case (Status Reopened) and agree the next step with the customer, or say "
       "in Notes why not.",
       "请重新打开案件（状态改为“重新打开”）并与客户商定后续处理，或在备注中说明原因。"),
    _c("risk-severity-low", "warning", "Severity below the risk", "严重程度低于风险",
       "The complaint signals {risk}, which asks for severity {expected}, but Severity is "
       "{value}.",
       "投诉内容涉及{risk}，应为“{expected}”，但严重程度为“{value}”。",
       "Raise Severity to {expected} and Urgency to Immediate, or say in Notes why not.",
       "请将严重程度改为“{expected}”、紧急程度改为“立即处理”，或在备注中说明原因。"),
    _c("escalate-proposed", "warning", "Escalation proposed", "建议升级",
       "Escalation proposed: {reason}.", "建议升级：{reason}。",
       "Set Severity to Escalated and tell the manager, or say in Notes why not.",
       "请将严重程度改为“升级”并报告主管，或在备注中说明原因。"),
    _c("status-backwards", "warning", "Status went backwards", "状态倒退",
       "Status went back from {before} to {value} since the last run.",
       "自上次运行以来，处理状态从“{before}”退回到“{value}”。",
       "If the customer came back, set Status to Reopened; otherwise restore the status.",
       "如客户再次投诉，请将状态改为“重新打开”；否则请恢复原状态。"),
    # Settings, lists, rules and holidays sheets.
    _c("bad-setting", "error", "Setting not understood", "设置无法识别",
       "Setting {name}: {problem}. The default ({default}) is used.",
       "设置“{name}”：{problem}。已使用默认值“{default}”。",
       "Correct the value on the Settings sheet.", "请在 Settings 工作表中修改该值。"),
    _c("bad-deadline", "error", "Deadline row not understood", "时限设置无法识别",
       "Deadline row: {problem}. The row is ignored.", "时限设置行：{problem}。该行已忽略。",
       "Correct the row in the deadline table on the Settings sheet.",
       "请修改 Settings 工作表中时限表的这一行。"),
    _c("bad-rule", "error", "Rule not understood", "规则无法识别",
       "Rule {rule}: {problem}. The rule is ignored.", "规则“{rule}”：{problem}。该规则已忽略。",
       "Correct the rule on the Rules sheet.", "请在 Rules 工作表中修改该规则。"),
    _c("bad-rules-sheet", "error", "Rules sheet not understood", "规则表无法识别",
       "The Rules sheet has no header row with a Pattern column and a Category, Severity, "
       "Urgency or Department column. No classification rules were applied.",
       "规则表中没有包含“关键词/模式”列以及“投诉类别”“严重程度”“紧急程度”或“责任部门”列的表头行，"
       "未应用任何分类规则。",
       "Restore the header row (Rule id, Enabled, Fields, Match, Pattern, Category, …) at the "
       "top of the Rules sheet.",
       "请在 Rules 工作表顶部恢复表头行"
       "（规则编号、启用、匹配字段、匹配方式、关键词/模式、投诉类别……）。"),
    _c("bad-holiday", "error", "Holiday row not understood", "节假日设置无法识别",
       "Holidays: {problem}. The row is ignored.", "节假日：{problem}。该行已忽略。",
       "Correct the row on the Holidays sheet.", "请在 Holidays 工作表中修改该行。"),
    _c("bad-list", "warning", "List entry not understood", "列表项无法识别",
       "Lists: {problem}.", "列表：{problem}。",
       "Correct the entry on the Lists sheet.", "请在 Lists 工作表中修改该项。"),
    # Limits (addin/core/limits.py): what a workbook may make the program do.
    _c("settings-too-big", "error", "Settings sheet too big", "设置表范围过大",
       "{cell} holds something, beyond the area of {sheet} that is read (A1:{last}, "
       "{rows} rows).",
       "{cell} 中有内容，超出了 {sheet} 工作表的读取范围（A1:{last}，{rows} 行）。",
       "Clear that cell (and any others beyond {last}: select them and press Delete), save and "
       "run again.",
       "请清除该单元格（以及 {last} 之外的其他单元格：选中后按 Delete），保存后重新运行。"),
    _c("text-too-long", "error", "Text too long for a cell", "文本超出单元格容量",
       "{cell} holds {length} characters, more than the {limit} an Excel cell can hold. This "
       "program never cuts it (nor writes it anywhere cut), but Excel cuts such text when it "
       "opens the file.",
       "{cell} 有 {length} 个字符，超过 Excel 单元格最多容纳的 {limit} 个字符。本程序不会截断"
       "它（也不会把截断后的文本写到别处），但 Excel 打开文件时会截断这样的文本。",
       "Keep the full text in a file (or a document the row refers to), put a shorter text in "
       "the cell, then run again.",
       "请把完整内容另存为文件（或在该行注明所在文档），单元格中只保留较短的文本，然后重新运行。"),
    # The Actions sheet (addin/core/actions.py, addin/core/targets.py).
    _c("action-target-unreadable", "warning", "Target not understood", "预期目标无法识别",
       "{cell}: the target {value!r} does not follow the target grammar, so the action's effect "
       "cannot be judged.",
       "{cell}：预期目标“{value}”不符合目标写法，无法评价该措施的效果。",
       "Write it as a figure: \"-20% in 3 months\", \"≤ 5 per month\" or \"reopen rate < 5%\" "
       "(the Help sheet lists every form).",
       "请写成可衡量的数字，如“减少20% 3个月内”“每月不超过5件”“重开率低于5%”"
       "（帮助表列出全部写法）。"),
    _c("action-date-unreadable", "warning", "Date not understood", "日期无法识别",
       "{cell} holds {value!r}, which is not a date.", "{cell} 中的“{value}”不是日期。",
       "Type a date such as 2026-03-31 (or pick one), then run again.",
       "请输入日期（如 2026-03-31），然后重新运行。"),
    _c("volume-not-number", "warning", "Orders not a number", "订单量不是数字",
       "{cell} holds {value!r}, which is not a number of orders.",
       "{cell} 中的“{value}”不是订单数量。",
       "Type the month's number of orders (digits only), then run again.",
       "请填写当月订单数量（只填数字），然后重新运行。"),
    _c("action-late", "warning", "Improvement action late", "改进措施已逾期",
       "{cell}: the action {value!r} (owner {owner}) was due on {due} and is not done.",
       "{cell}：措施“{value}”（负责人 {owner}）应于 {due} 完成，目前尚未完成。",
       "Finish it and set its Status to Done, or agree a new Due date with the owner.",
       "请完成该措施并将状态改为“已完成”，或与负责人商定新的完成期限。"),
    _c("action-not-met", "warning", "Action did not meet its target", "措施未达到预期目标",
       "{cell}: the action {value!r} aimed at {target} but measured {result}.",
       "{cell}：措施“{value}”的目标是 {target}，实际为 {result}。",
       "Re-assess the cause and add a new action with a new plan and target on the Actions "
       "sheet.",
       "请重新评估原因，并在改进措施表中新增一条带有新计划和目标的措施。"),
)}


@dataclass(frozen=True)
class Finding:
    code: str
    cell: str  # "Complaints!F12", or "Complaints" for the sheet as a whole
    field: str | None = None
    value: object = None
    params: tuple[tuple[str, object], ...] = ()
    row: int | None = None  # the Excel row number, for grouping findings per row
    # Set where the Settings sheet decides the level (the handling process's checks).
    level_set: Level | None = None

    @property
    def level(self) -> Level:
        return self.level_set or CATALOGUE[self.code].level

    def message(self, lang: Lang | str = Lang.EN) -> str:
        """What is wrong, in ``lang``."""
        return self._filled(CATALOGUE[self.code].message, Lang.of(lang))

    def fix(self, lang: Lang | str = Lang.EN) -> str:
        """What to do about it, in ``lang``."""
        return self._filled(CATALOGUE[self.code].fix, Lang.of(lang))

    def message_text(self) -> Text:
        """What is wrong, in both languages (for a refusal that carries the finding)."""
        return Text(self.message(Lang.EN), self.message(Lang.ZH))

    def fix_text(self) -> Text:
        return Text(self.fix(Lang.EN), self.fix(Lang.ZH))

    def _filled(self, template: Text, lang: Lang) -> str:
        # Only the names the text uses are looked up: a Findings sheet of 14,000 rows fills two
        # texts a row, and every parameter of every finding took half of that time.
        text = template.in_(lang)
        params = dict(self.params)
        context = _Lenient()
        for name in _placeholders(text):
            if name in ("value", "cell"):
                context[name] = self.value if name == "value" else self.cell
            elif lang is Lang.ZH and f"{name}_zh" in params:
                # A parameter may also come as two: ``problem`` and ``problem_zh``.
                context[name] = params[f"{name}_zh"]
            elif name in params:
                value = params[name]
                context[name] = value.in_(lang) if isinstance(value, Text) else value
        return text.format_map(context)


@functools.cache
def _placeholders(text: str) -> tuple[str, ...]:
    """The names a message's placeholders use ('{length:,}' uses length), once per text."""
    fields = (field for _, field, _, _ in string.Formatter().parse(text) if field)
    return tuple(dict.fromkeys(re.split(r"[.\[]", field, maxsplit=1)[0] for field in fields))


class _Lenient(dict):
    """Leave an unknown placeholder visible instead of failing to show the message at all."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def finding(code: str, cell: str, *, field: str | None = None, value: object = None,
            row: int | None = None, level: Level | None = None, **params: object) -> Finding:
    if code not in CATALOGUE:
        raise KeyError(f"unknown finding code {code!r}")
    return Finding(code, cell, field, value, tuple(sorted(params.items())), row, level)


def findings_at(code: str, cells: Sequence[str], rows: Sequence[int], *,
                field: str | None = None, values: Sequence[object] | None = None,
                level: Level | None = None, **params: Sequence[object]) -> list[Finding]:
    """``finding`` at many cells of one code at once, each parameter given as one value per cell.

    A check can fail on thousands of rows; the parameter names are checked and sorted once for
    all of them instead of once per finding.
    """
    if code not in CATALOGUE:
        raise KeyError(f"unknown finding code {code!r}")
    names = sorted(params)
    given = [params[name] for name in names]
    shown = [None] * len(cells) if values is None else values
    return [Finding(code, cell, field, value, tuple(zip(names, each, strict=True)), row, level)
            for cell, row, value, *each in zip(cells, rows, shown, *given, strict=True)]


def column_letter(index: int) -> str:
    """Excel column letters for a 1-based column index (1 -> A, 28 -> AB)."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_ref(sheet: str, row: int, col: int) -> str:
    """A cell as staff see it; sheet names with spaces or punctuation are quoted as Excel does."""
    name = sheet if sheet.replace("_", "").isalnum() else "'" + sheet.replace("'", "''") + "'"
    return f"{name}!{column_letter(col)}{row}"
