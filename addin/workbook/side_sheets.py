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
from addin.layout.defaults import SETTINGS_HEADER, default_lists_rows, default_settings_rows
from addin.layout.findings_sheet import LEVEL_LABELS
from addin.layout.log import LOG_WIDTHS, log_header
from addin.layout.sheets import sheet_name
from addin.vba.build import BUTTONS

from .holidays import holidays_sheet_rows
from .styles import display_width
from .texts import BUTTON_HELP, CASE_LOG_HELP, EVENT_HELP, NO_BUTTONS_HELP, pick

_HELP_TITLES = {
    "title": ("Customer complaint record card: help", "客户投诉记录卡：使用说明"),
    "buttons": ("Buttons (on the register sheet)", "按钮（位于投诉登记工作表顶部）"),
    "button_header": (("Button", "Macro", None, "What it does"), ("按钮", "宏", None, "作用")),
    "findings": ("What the checks report (the Check column and the Findings sheet)",
                 "校验结果说明（“校验结果”列与 Findings 工作表）"),
    "finding_header": (("Code", "Title", "Level", "Message", "What to do"),
                       ("代码", "名称", "级别", "说明", "处理建议")),
    "targets": ("Targets of improvement actions (the Actions sheet's Target column)",
                "改进措施的预期目标（“改进措施”工作表的“预期目标”列）"),
    "target_header": (("English", "中文", None, "Meaning"), ("English", "中文", None, "含义")),
    "case_log": ("The Case log (处理记录): the history of every case",
                 "处理记录：每个案件的处理经过"),
    "event_header": (("Event", "事件", None, "Written when"), ("Event", "事件", None, "何时记录")),
}
_CONF_NOTES = {
    "en": ("xlwings reads the keys from A1 down to the first empty row; rows below it are notes.",
           "Python is found through your xlwings settings (ribbon or ~/.xlwings/xlwings.conf), "
           "else python on the PATH: see docs/first-run-in-excel.md.",
           "To fix the interpreter for this workbook only, insert a row above the empty row: "
           "Interpreter_Win (or Interpreter_Mac) | the full path of python.exe."),
    "zh": ("xlwings 从 A1 向下读取键值，遇到第一个空行即停止；空行以下为说明。",
           "Python 解释器由 xlwings 的设置（功能区或 ~/.xlwings/xlwings.conf）决定，"
           "否则使用 PATH 中的 python；详见 docs/first-run-in-excel.md。",
           "如需只为本工作簿指定解释器，请在空行上方插入一行："
           "Interpreter_Win（或 Interpreter_Mac）| python.exe 的完整路径。"),
}
# The UDF module of this repository: found where the tool is installed (pip install -e .).
CONF_KEYS = (("UDF Modules", "udfs.complaint_udfs"),)


def setting_sheets(lang: str) -> dict[str, list[list]]:
    """Rows of the Settings, Lists, Rules and Holidays sheets, by role."""
    settings = default_settings_rows(lang)
    header = [pick(pair, lang) for pair in SETTINGS_HEADER]
    return {
        "settings": [header, *settings, [], *deadline_rows(DEFAULT_DEADLINES, lang)],
        "lists": default_lists_rows(),
        "rules": rules_to_rows(DEFAULT_RULES, lang),
        "holidays": holidays_sheet_rows(lang),
    }


def as_grids(sheets: dict[str, list[list]], lang: str) -> dict[str, Grid]:
    """The rows as the batch door reads them back (empty cells are None, from A1)."""
    return {role: Grid(sheet_name(role, lang), [list(r) for r in rows])
            for role, rows in sheets.items()}


def list_names(lists_rows: list[list], lang: str) -> dict[str, tuple[str, str]]:
    """Per list field: a defined name and the formula of its column on the Lists sheet.

    The range grows with the column (OFFSET over COUNTA), so a value staff add at the bottom of
    a list shows in the dropdown without touching the validation.
    """
    wanted = "zh" if lang.startswith("zh") else "en"
    sheet = quote_sheetname(sheet_name("lists", lang))
    names: dict[str, tuple[str, str]] = {}
    for j, header in enumerate(lists_rows[0]):
        key = field_for_header(header)
        side = "zh" if key and fold(header) == fold(BY_KEY[key].zh) else "en"
        if key is None or side != wanted:
            continue
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


def write_log(ws: Any, lang: str, styles: Any) -> None:
    """The Log sheet with the header the batch door and the buttons append below."""
    write_rows(ws, [log_header(lang)], styles, widths=LOG_WIDTHS)


def write_case_log(ws: Any, lang: str, styles: Any) -> None:
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


def write_conf(ws: Any, lang: str, styles: Any) -> None:
    """xlwings.conf: keys from A1 down to the first empty row, then notes for people."""
    for i, (key, value) in enumerate(CONF_KEYS):
        ws.write_string(i, 0, key)
        ws.write_string(i, 1, value)
    for i, note in enumerate(_CONF_NOTES["zh" if lang.startswith("zh") else "en"]):
        ws.write_string(len(CONF_KEYS) + 1 + i, 0, note, styles.note)
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 28)
    ws.hide()


def help_rows(lang: str, buttons: bool = True) -> list[tuple[str, list]]:
    """The Help sheet as (style, row) pairs: the buttons, the targets, the Case log and its
    events, then the finding catalogue, generated from the code so that they never disagree with
    what the workbook does."""
    zh = lang.startswith("zh")
    rows: list[tuple[str, list]] = [("title", [pick(_HELP_TITLES["title"], lang)]), ("", []),
                                    ("section", [pick(_HELP_TITLES["buttons"], lang)]),
                                    ("header", list(_HELP_TITLES["button_header"][zh]))]
    if not buttons:  # a workbook without macros says what to do instead
        rows[-1:] = [("note", [pick(line, lang)]) for line in NO_BUTTONS_HELP]
    for button in BUTTONS if buttons else ():
        rows.append(("wrap", [button.caption_zh if zh else button.caption_en, button.macro,
                              None, pick(BUTTON_HELP[button.macro], lang)]))
    rows += [("", []), ("section", [pick(_HELP_TITLES["targets"], lang)]),
             ("header", list(_HELP_TITLES["target_header"][zh]))]
    rows += [("wrap", [form.en, form.zh, None, meaning.in_(lang)])
             for form, meaning in TARGET_EXAMPLES]
    rows.append(("note", [pick(TARGET_RULE, lang)]))
    rows += _case_log_help(lang)
    rows += [("", []), ("section", [pick(_HELP_TITLES["findings"], lang)]),
             ("header", list(_HELP_TITLES["finding_header"][zh]))]
    for code in CATALOGUE.values():
        rows.append(("wrap", [code.code, code.title_zh if zh else code.title_en,
                              pick(LEVEL_LABELS[code.level], lang),
                              _blank_placeholders(code.message_zh if zh else code.message_en),
                              _blank_placeholders(code.fix_zh if zh else code.fix_en)]))
    return rows


def _case_log_help(lang: str) -> list[tuple[str, list]]:
    """What the Case log holds and who writes it, then its events, from the core's names."""
    zh = lang.startswith("zh")
    rows: list[tuple[str, list]] = [("", []), ("section", [pick(_HELP_TITLES["case_log"], lang)])]
    rows += [("wrap", [pick(topic, lang), None, None, pick(text, lang)])
             for topic, text in CASE_LOG_HELP]
    rows.append(("header", list(_HELP_TITLES["event_header"][zh])))
    rows += [("wrap", [event, EVENT_NAMES[event], None, pick(EVENT_HELP[event], lang)])
             for event in EVENT_NAMES]
    return rows


def _lines(row: list, widths: Sequence[float]) -> int:
    return max((-(-display_width(v) // int(widths[j] - 1)) for j, v in enumerate(row)
                if v is not None), default=1)


def _blank_placeholders(template: str) -> str:
    """A message template as a sentence: {header} and {value!r} become an ellipsis."""
    return re.sub(r"\{[^{}]*\}", "…", template)


HELP_WIDTHS = (22, 30, 10, 60, 50)


def write_help(ws: Any, lang: str, styles: Any, buttons: bool = True) -> None:
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


def write_actions(ws: Any, lang: str, styles: Any, rows: Sequence[Sequence[Any]] = ()) -> None:
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

