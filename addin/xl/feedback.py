"""What staff read after pressing a button: a one-line summary, or a message box saying what to fix.

Every text exists in English and Chinese; the workbook's language picks one. A failure is never
shown as a traceback: a problem staff can fix names its cell or rule, anything else says what
happened and that the workbook was left as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from addin.core.text import Lang, Text

TITLES: dict[str, Text] = {
    "validate": Text("Validate", "校验"),
    "assign_numbers": Text("Assign numbers", "分配编号"),
    "classify": Text("Classify", "自动分类"),
    "deadlines_and_colours": Text("Deadlines & colours", "时限与颜色"),
    "run_all": Text("Run all", "全部运行"),
    "monthly_report": Text("Monthly report", "月度报告"),
    "case_summary": Text("Case summary", "案件摘要"),
}
PRODUCT = Text("Complaint record", "客户投诉记录卡")
# Every other sentence a button says; ``{name}`` placeholders are filled by the functions below.
TEXTS: dict[str, Text] = {
    "checked": Text("{n} rows checked", "已检查 {n} 行"),
    "numbered": Text("{n} numbers assigned", "新分配编号 {n} 个"),
    "classified": Text("{n} rows classified", "自动分类 {n} 行"),
    "overdue": Text("{n} overdue", "已超期 {n} 件"),
    "errors": Text("{errors} errors, {warnings} warnings", "错误 {errors} 个，警告 {warnings} 个"),
    "cells": Text("{n} cells changed", "修改单元格 {n} 个"),
    "first_error": Text("First error selected: {cell} (see the Findings sheet).",
                        "已选中第一个错误：{cell}，详见 Findings 工作表。"),
    "problem": Text("{message}\nWhere: {cell}\n{fix}", "{message}\n位置：{cell}\n{fix}"),
    "restored": Text("Everything written so far was put back; the workbook is as it was.",
                     "已写入的内容均已恢复，工作簿保持原样。"),
    "not_restored": Text("Part of the result may have been written: close the workbook without "
                         "saving, reopen it and try again.",
                         "部分内容可能已写入；请关闭工作簿且不保存，然后重新打开再试。"),
    "write_failed": Text("Excel refused to write {where} ({cause}). {after}\nCheck that the "
                         "sheet is not protected and no cell is being edited, then try again.",
                         "Excel 拒绝写入 {where}（{cause}）。{after}\n"
                         "请确认该工作表未受保护且未处于编辑状态，然后重试。"),
    "unexpected": Text("Something unexpected went wrong ({name}: {error}). The workbook was not "
                       "changed.\nPlease send this message and the workbook to whoever looks "
                       "after this tool.",
                       "运行时出现意外错误（{name}：{error}）。工作簿未被修改。\n"
                       "请将此信息连同工作簿发给负责本工具的同事。"),
    "missing_feature": Text("The {feature} is not installed in this version; please update the "
                            "tool.", "此版本尚未安装{feature}功能，请更新本工具。"),
}
_DONE = Text("{title}: {parts}.", "{title}：{parts}。")
_LIST = Text(", ", "，")  # between the figures of one line
# What each button reports besides the rows checked, the findings and the cells changed.
_REPORTS = {"numbered": ("assign_numbers", "run_all"), "classified": ("classify", "run_all"),
            "overdue": ("deadlines_and_colours", "run_all")}


def title(macro: str, lang: Lang | str) -> str:
    name = TITLES.get(macro, Text(macro, macro))
    return f"{PRODUCT.in_(lang)} – {name.in_(lang)}"


@dataclass(frozen=True)
class Counts:
    """The figures a run reports to staff."""

    rows: int
    numbered: int
    classified: int
    errors: int
    warnings: int
    overdue: int
    cells: int


def done_message(macro: str, counts: Counts, first_error: str | None, lang: Lang | str) -> str:
    """One line for the status bar, e.g. 'Validate: 120 rows checked, 3 errors (first: …).'"""
    c = counts
    parts = [TEXTS["checked"].format(n=c.rows)]
    parts += [TEXTS[figure].format(n=getattr(c, figure))
              for figure, macros in _REPORTS.items() if macro in macros]
    parts += [TEXTS["errors"].format(errors=c.errors, warnings=c.warnings),
              TEXTS["cells"].format(n=c.cells)]
    text = _DONE.format(title=TITLES[macro], parts=_LIST.join(parts))
    if first_error:
        text = text.then(TEXTS["first_error"].format(cell=first_error))
    return text.in_(lang)


def problem_message(finding: Any, lang: Lang | str) -> str:
    """A finding staff must fix before the button can work: what, where, and what to do."""
    return TEXTS["problem"].format(message=finding.message(lang), cell=finding.cell,
                                   fix=finding.fix(lang)).in_(lang)


def write_failed_message(where: str, cause: BaseException, restored: bool,
                         lang: Lang | str) -> str:
    after = TEXTS["restored" if restored else "not_restored"]
    return TEXTS["write_failed"].format(where=where, cause=cause, after=after).in_(lang)


def unexpected_message(error: BaseException, lang: Lang | str) -> str:
    """An error nobody planned for: name it, say nothing was written, say how to report it."""
    return TEXTS["unexpected"].format(name=type(error).__name__, error=error).in_(lang)


def missing_feature_message(feature: str, lang: Lang | str) -> str:
    return TEXTS["missing_feature"].format(feature=feature).in_(lang)


def show_status(book: Any, text: str) -> bool:
    """Put a line on Excel's status bar; False where the runtime has none (xlwings Lite)."""
    try:
        book.app.status_bar = text
    except (NotImplementedError, AttributeError):
        return False
    return True


def show_box(book: Any, text: str, heading: str, mode: str = "info") -> None:
    """A message box; falls back to the status bar where alerts are not available."""
    try:
        book.app.alert(text, title=heading, buttons="ok", mode=mode)
    except (NotImplementedError, AttributeError):
        show_status(book, f"{heading}: {text}")
