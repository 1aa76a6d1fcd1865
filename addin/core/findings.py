"""Findings: every problem the checks report, as a value with a code, a place and a message.

One catalogue of codes serves the checks, the Findings sheet and the Help sheet of the workbook.
A finding names the cell the way staff see it (``Complaints!F12``: sheet, column letter, the row
number Excel shows), so it can be followed by a link.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Level = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Code:
    code: str
    level: Level
    title_en: str
    title_zh: str
    message_en: str  # str.format template over the finding's ``params`` plus field and value
    message_zh: str
    fix_en: str
    fix_zh: str


def _c(code, level, title_en, title_zh, message_en, message_zh, fix_en, fix_zh) -> Code:
    return Code(code, level, title_en, title_zh, message_en, message_zh, fix_en, fix_zh)


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
)}


@dataclass(frozen=True)
class Finding:
    code: str
    cell: str  # "Complaints!F12", or "Complaints" for the sheet as a whole
    field: str | None = None
    value: object = None
    params: tuple[tuple[str, object], ...] = ()
    row: int | None = None  # the Excel row number, for grouping findings per row

    @property
    def level(self) -> Level:
        return CATALOGUE[self.code].level

    def message(self, lang: str = "en") -> str:
        entry = CATALOGUE[self.code]
        template = entry.message_zh if lang.startswith("zh") else entry.message_en
        return template.format_map(self._context(lang))

    def fix(self, lang: str = "en") -> str:
        entry = CATALOGUE[self.code]
        template = entry.fix_zh if lang.startswith("zh") else entry.fix_en
        return template.format_map(self._context(lang))

    def _context(self, lang: str) -> _Lenient:
        params = dict(self.params)
        # A parameter may come in both languages: ``problem`` and ``problem_zh``.
        if lang.startswith("zh"):
            params.update({k[:-3]: v for k, v in self.params if k.endswith("_zh")})
        return _Lenient(value=self.value, cell=self.cell, **params)


class _Lenient(dict):
    """Leave an unknown placeholder visible instead of failing to show the message at all."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def finding(code: str, cell: str, *, field: str | None = None, value: object = None,
            row: int | None = None, **params: object) -> Finding:
    if code not in CATALOGUE:
        raise KeyError(f"unknown finding code {code!r}")
    return Finding(code, cell, field, value, tuple(sorted(params.items())), row)


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
