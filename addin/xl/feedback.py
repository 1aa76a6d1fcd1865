"""What staff read after pressing a button: a one-line summary, or a message box saying what to fix.

Every text exists in English and Chinese; the workbook's language picks one. A failure is never
shown as a traceback: a problem staff can fix names its cell or rule, anything else says what
happened and that the workbook was left as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

TITLES: dict[str, tuple[str, str]] = {
    "validate": ("Validate", "校验"),
    "assign_numbers": ("Assign numbers", "分配编号"),
    "classify": ("Classify", "自动分类"),
    "deadlines_and_colours": ("Deadlines & colours", "时限与颜色"),
    "run_all": ("Run all", "全部运行"),
    "monthly_report": ("Monthly report", "月度报告"),
    "case_summary": ("Case summary", "案件摘要"),
}
PRODUCT = ("Complaint record", "客户投诉记录卡")


def _zh(lang: str) -> bool:
    return lang.startswith("zh")


def title(macro: str, lang: str) -> str:
    en, zh = TITLES.get(macro, (macro, macro))
    product = PRODUCT[1] if _zh(lang) else PRODUCT[0]
    return f"{product} – {zh if _zh(lang) else en}"


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


def done_message(macro: str, counts: Counts, first_error: str | None, lang: str) -> str:
    """One line for the status bar, e.g. 'Validate: 120 rows checked, 3 errors (first: …).'"""
    c = counts
    if _zh(lang):
        parts = [f"已检查 {c.rows} 行"]
        if macro in ("assign_numbers", "run_all"):
            parts.append(f"新分配编号 {c.numbered} 个")
        if macro in ("classify", "run_all"):
            parts.append(f"自动分类 {c.classified} 行")
        if macro in ("deadlines_and_colours", "run_all"):
            parts.append(f"已超期 {c.overdue} 件")
        parts.append(f"错误 {c.errors} 个，警告 {c.warnings} 个")
        parts.append(f"修改单元格 {c.cells} 个")
        text = f"{TITLES[macro][1]}：" + "，".join(parts) + "。"
        if first_error:
            text += f"已选中第一个错误：{first_error}，详见 Findings 工作表。"
        return text
    parts = [f"{c.rows} rows checked"]
    if macro in ("assign_numbers", "run_all"):
        parts.append(f"{c.numbered} numbers assigned")
    if macro in ("classify", "run_all"):
        parts.append(f"{c.classified} rows classified")
    if macro in ("deadlines_and_colours", "run_all"):
        parts.append(f"{c.overdue} overdue")
    parts.append(f"{c.errors} errors, {c.warnings} warnings")
    parts.append(f"{c.cells} cells changed")
    text = f"{TITLES[macro][0]}: " + ", ".join(parts) + "."
    if first_error:
        text += f" First error selected: {first_error} (see the Findings sheet)."
    return text


def problem_message(finding: Any, lang: str) -> str:
    """A finding staff must fix before the button can work: what, where, and what to do."""
    if _zh(lang):
        return f"{finding.message(lang)}\n位置：{finding.cell}\n{finding.fix(lang)}"
    return f"{finding.message(lang)}\nWhere: {finding.cell}\n{finding.fix(lang)}"


def write_failed_message(where: str, cause: BaseException, restored: bool, lang: str) -> str:
    if _zh(lang):
        after = ("已写入的内容均已恢复，工作簿保持原样。" if restored
                 else "部分内容可能已写入；请关闭工作簿且不保存，然后重新打开再试。")
        return (f"Excel 拒绝写入 {where}（{cause}）。{after}\n"
                "请确认该工作表未受保护且未处于编辑状态，然后重试。")
    after = ("Everything written so far was put back; the workbook is as it was." if restored
             else "Part of the result may have been written: close the workbook without saving, "
                  "reopen it and try again.")
    return (f"Excel refused to write {where} ({cause}). {after}\n"
            "Check that the sheet is not protected and no cell is being edited, then try again.")


def unexpected_message(error: BaseException, lang: str) -> str:
    """An error nobody planned for: name it, say nothing was written, say how to report it."""
    name = type(error).__name__
    if _zh(lang):
        return (f"运行时出现意外错误（{name}：{error}）。工作簿未被修改。\n"
                "请将此信息连同工作簿发给负责本工具的同事。")
    return (f"Something unexpected went wrong ({name}: {error}). The workbook was not changed.\n"
            "Please send this message and the workbook to whoever looks after this tool.")


def missing_feature_message(feature: str, lang: str) -> str:
    if _zh(lang):
        return f"此版本尚未安装{feature}功能，请更新本工具。"
    return f"The {feature} is not installed in this version; please update the tool."


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
