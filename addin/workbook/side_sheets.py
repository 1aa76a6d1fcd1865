"""The sheets around the register: Settings, Lists, Rules, Holidays, Help, Log, Case log,
Counters and the hidden xlwings.conf.

The rows of Settings, Lists, Rules and Holidays are made once (``setting_sheets``) and serve twice:
written into the workbook, and handed to the core as Grids to compute the example rows, so the
examples follow exactly the settings staff see.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from xlsxwriter.utility import quote_sheetname, xl_col_to_name

from addin.core.caselog import EVENT_NAMES
from addin.core.classify import DEFAULT_RULES, rules_to_rows
from addin.core.deadlines import DEFAULT_DEADLINES, deadline_rows
from addin.core.fields import BY_KEY, field_for_header, fold
from addin.core.findings import CATALOGUE
from addin.core.register import Grid
from addin.core.text import Lang, Text
from addin.layout.actions_sheet import (
    ACTION_DATE_KEYS,
    ACTION_HEADERS,
    ACTION_STATUSES,
    TARGET_EXAMPLES,
    TARGET_RULE,
    action_headers,
    action_widths,
)
from addin.layout.caselog import CASE_LOG_WIDTHS, case_log_header
from addin.layout.counters import counters_rows
from addin.layout.defaults import default_lists_rows, default_settings_rows, settings_header
from addin.layout.findings_sheet import LEVEL_LABELS
from addin.layout.log import LOG_WIDTHS, log_header
from addin.layout.sheets import sheet_name
from addin.vba.build import BUTTONS

from .holidays import holidays_sheet_rows
from .styles import display_width
from .texts import BUTTON_HELP, CAPTIONS, CASE_LOG_HELP, EVENT_HELP, NO_BUTTONS_HELP

HELP_TITLES: dict[str, Text] = {
    "title": Text("Customer complaint record card: help", "客户投诉记录卡：使用说明"),
    "buttons": Text("Buttons (on the register sheet)", "按钮（位于投诉登记工作表顶部）"),
    "findings": Text("What the checks report (the Check column and the Findings sheet)",
                     "校验结果说明（“校验结果”列与 Findings 工作表）"),
    "targets": Text("Targets of improvement actions (the Actions sheet's Target column)",
                    "改进措施的预期目标（“改进措施”工作表的“预期目标”列）"),
    "case_log": Text("The Case log (处理记录): the history of every case",
                     "处理记录：每个案件的处理经过"),
}
# The Help sheet's table headers. A plain string heads a column that shows the same words in
# both languages (a target's English and Chinese forms, an event's two names).
HELP_HEADERS: dict[str, tuple[Text | str | None, ...]] = {
    "button": (Text("Button", "按钮"), Text("Macro", "宏"), None, Text("What it does", "作用")),
    "finding": (Text("Code", "代码"), Text("Title", "名称"), Text("Level", "级别"),
                Text("Message", "说明"), Text("What to do", "处理建议")),
    "target": ("English", "中文", None, Text("Meaning", "含义")),
    "event": ("Event", "事件", None, Text("Written when", "何时记录")),
}
CONF_NOTES = (
    Text("xlwings reads the keys from A1 down to the first empty row; rows below it are notes.",
         "xlwings 从 A1 向下读取键值，遇到第一个空行即停止；空行以下为说明。"),
    Text("Python is found through your xlwings settings (ribbon or ~/.xlwings/xlwings.conf), "
         "else python on the PATH: see docs/first-run-in-excel.md.",
         "Python 解释器由 xlwings 的设置（功能区或 ~/.xlwings/xlwings.conf）决定，"
         "否则使用 PATH 中的 python；详见 docs/first-run-in-excel.md。"),
    Text("To fix the interpreter for this workbook only, insert a row above the empty row: "
         "Interpreter_Win (or Interpreter_Mac) | the full path of python.exe.",
         "如需只为本工作簿指定解释器，请在空行上方插入一行："
         "Interpreter_Win（或 Interpreter_Mac）| python.exe 的完整路径。"),
)
# The UDF module of this repository: found where the tool is installed (pip install -e .).
CONF_KEYS = (("UDF Modules", "udfs.complaint_udfs"),)


def setting_sheets(lang: Lang) -> dict[str, list[list]]:
    """Rows of the Settings, Lists, Rules and Holidays sheets, by role."""
    settings = default_settings_rows(lang)
    header = settings_header(lang)
    return {
        "settings": [header, *settings, [], *deadline_rows(DEFAULT_DEADLINES, lang)],
        "lists": default_lists_rows(),
        "rules": rules_to_rows(DEFAULT_RULES, lang),
        "holidays": holidays_sheet_rows(lang),
    }


def as_grids(sheets: dict[str, list[list]], lang: Lang) -> dict[str, Grid]:
    """The rows as the batch door reads them back (empty cells are None, from A1)."""
    return {role: Grid(sheet_name(role, lang), [list(r) for r in rows])
            for role, rows in sheets.items()}


def list_names(lists_rows: list[list], lang: Lang) -> dict[str, tuple[str, str]]:
    """Per list field: a defined name and the formula of its column on the Lists sheet.

    The range grows with the column (OFFSET over COUNTA), so a value staff add at the bottom of
    a list shows in the dropdown without touching the validation.
    """
    sheet = quote_sheetname(sheet_name("lists", lang))
    names: dict[str, tuple[str, str]] = {}
    for j, header in enumerate(lists_rows[0]):
        key = field_for_header(header)
        if key is None or fold(header) != fold(BY_KEY[key].header(lang)):
            continue  # the other language's column of the list
        col = xl_col_to_name(j)
        names[key] = (f"List_{key}",
                      f"=OFFSET({sheet}!${col}$2,0,0,MAX(1,COUNTA({sheet}!${col}:${col})-1),1)")
    return names


# --------------------------------------------------------------------------- writing

def write_rows(ws: Any, rows: Sequence[Sequence[Any]], styles: Any, *, header_rows=(0,),
               widths: Sequence[float] = (), date_cols: Sequence[int] = ()) -> None:
    """A plain sheet: bold header rows, dates as dates, fixed or fitted widths, frozen header."""
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if value is None:
                continue
            if i in header_rows:
                ws.write_string(i, j, str(value), styles.header)
            elif j in date_cols:
                ws.write_datetime(i, j, value, styles.date)
            elif isinstance(value, str):
                ws.write_string(i, j, value)
            else:  # numbers read as values beside text, not pushed to the right edge
                ws.write(i, j, value, styles.left)
    fitted = widths or fit_widths(rows)
    for j, width in enumerate(fitted):
        ws.set_column(j, j, width)
    ws.freeze_panes(1, 0)
    print_setup(ws)


def print_setup(ws: Any, repeat: bool = True) -> None:
    """A4 landscape, one page wide: a settings sheet prints as a readable reference."""
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    if repeat:
        ws.repeat_rows(0)


def fit_widths(rows: Sequence[Sequence[Any]], low: float = 10, high: float = 60) -> list[float]:
    count = max((len(r) for r in rows), default=0)
    return [min(high, max(low, max((display_width(r[j]) for r in rows if j < len(r)
                                    and r[j] is not None), default=0) + 2)) for j in range(count)]


def write_log(ws: Any, lang: Lang, styles: Any) -> None:
    """The Log sheet with the header the batch door and the buttons append below."""
    write_rows(ws, [log_header(lang)], styles, widths=LOG_WIDTHS)


def write_case_log(ws: Any, lang: Lang, styles: Any) -> None:
    """The Case log (处理记录) with its header: both doors append their events below it, and
    staff add their own rows (event 跟进记录, Note) anywhere under it."""
    write_rows(ws, [case_log_header(lang)], styles, widths=CASE_LOG_WIDTHS)
    ws.set_column(1, 1, CASE_LOG_WIDTHS[1], styles.datetime)  # what staff type reads as a time


def write_counters(ws: Any, counters: dict[str, int], styles: Any) -> None:
    """Case-number high-water marks of the examples, so the first run has nothing to add."""
    for i, row in enumerate(counters_rows(counters)):
        ws.write_string(i, 0, str(row[0]))
        ws.write(i, 1, row[1])
    ws.hide()


def write_conf(ws: Any, lang: Lang, styles: Any) -> None:
    """xlwings.conf: keys from A1 down to the first empty row, then notes for people."""
    for i, (key, value) in enumerate(CONF_KEYS):
        ws.write_string(i, 0, key)
        ws.write_string(i, 1, value)
    for i, note in enumerate(CONF_NOTES):
        ws.write_string(len(CONF_KEYS) + 1 + i, 0, note.in_(lang), styles.note)
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 28)
    ws.hide()


def help_rows(lang: Lang, buttons: bool = True) -> list[tuple[str, list]]:
    """The Help sheet as (style, row) pairs: the buttons, the targets, the Case log and its
    events, then the finding catalogue, generated from the code so that they never disagree with
    what the workbook does."""
    rows: list[tuple[str, list]] = [("title", [HELP_TITLES["title"].in_(lang)]), ("", []),
                                    ("section", [HELP_TITLES["buttons"].in_(lang)]),
                                    ("header", _header("button", lang))]
    if not buttons:  # a workbook without macros says what to do instead
        rows[-1:] = [("note", [line.in_(lang)]) for line in NO_BUTTONS_HELP]
    for button in BUTTONS if buttons else ():
        rows.append(("wrap", [CAPTIONS[button.macro].in_(lang), button.macro,
                              None, BUTTON_HELP[button.macro].in_(lang)]))
    rows += [("", []), ("section", [HELP_TITLES["targets"].in_(lang)]),
             ("header", _header("target", lang))]
    rows += [("wrap", [form.en, form.zh, None, meaning.in_(lang)])
             for form, meaning in TARGET_EXAMPLES]
    rows.append(("note", [TARGET_RULE.in_(lang)]))
    rows += _case_log_help(lang)
    rows += [("", []), ("section", [HELP_TITLES["findings"].in_(lang)]),
             ("header", _header("finding", lang))]
    for code in CATALOGUE.values():
        rows.append(("wrap", [code.code, code.title.in_(lang),
                              LEVEL_LABELS[code.level].in_(lang),
                              _blank_placeholders(code.message.in_(lang)),
                              _blank_placeholders(code.fix.in_(lang))]))
    return rows


def _case_log_help(lang: Lang) -> list[tuple[str, list]]:
    """What the Case log holds and who writes it, then its events, from the core's names."""
    rows: list[tuple[str, list]] = [("", []), ("section", [HELP_TITLES["case_log"].in_(lang)])]
    rows += [("wrap", [topic.in_(lang), None, None, text.in_(lang)])
             for topic, text in CASE_LOG_HELP]
    rows.append(("header", _header("event", lang)))
    rows += [("wrap", [event, EVENT_NAMES[event], None, EVENT_HELP[event].in_(lang)])
             for event in EVENT_NAMES]
    return rows


def _header(table: str, lang: Lang) -> list[str | None]:
    return [cell.in_(lang) if isinstance(cell, Text) else cell for cell in HELP_HEADERS[table]]


def _lines(row: list, widths: Sequence[float]) -> int:
    return max((-(-display_width(v) // int(widths[j] - 1)) for j, v in enumerate(row)
                if v is not None), default=1)


def _blank_placeholders(template: str) -> str:
    """A message template as a sentence: {header} and {value!r} become an ellipsis."""
    return re.sub(r"\{[^{}]*\}", "…", template)


HELP_WIDTHS = (22, 30, 10, 60, 50)


def write_help(ws: Any, lang: Lang, styles: Any, buttons: bool = True) -> None:
    for i, (style, row) in enumerate(help_rows(lang, buttons)):
        for j, value in enumerate(row):
            if value is not None:
                ws.write_string(i, j, str(value), getattr(styles, style))
        if style == "wrap":  # no office suite is trusted to grow a wrapped row by itself
            ws.set_row(i, 15 * _lines(row, HELP_WIDTHS))
    for j, width in enumerate(HELP_WIDTHS):
        ws.set_column(j, j, width)
    print_setup(ws, repeat=False)


ACTION_ROWS = 500  # rows of the Actions sheet that get the date formats and the Status dropdown


def write_actions(ws: Any, lang: Lang, styles: Any, rows: Sequence[Sequence[Any]] = ()) -> None:
    """The Actions sheet staff fill: its header row, widths, date columns and Status choices,
    and ``rows`` of actions already written (the demo's)."""
    for j, (text, width) in enumerate(zip(action_headers(lang), action_widths(), strict=True)):
        ws.write_string(0, j, text, styles.header)
        ws.set_column(j, j, width)
    for i, row in enumerate(rows, start=1):
        for j, value in enumerate(row):
            if isinstance(value, dt.date):
                ws.write_datetime(i, j, dt.datetime.combine(value, dt.time()), styles.date)
            elif value is not None:
                ws.write(i, j, value)
    keys = list(ACTION_HEADERS)
    for key in ACTION_DATE_KEYS:
        ws.set_column(keys.index(key), keys.index(key), action_widths()[keys.index(key)],
                      styles.date)
    status = keys.index("status")
    ws.data_validation(1, status, ACTION_ROWS, status, {
        "validate": "list", "source": [said.in_(lang) for said in ACTION_STATUSES],
        "error_type": "information"})
    ws.freeze_panes(1, 0)

