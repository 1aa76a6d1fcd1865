"""The workbook's sheets by role, with their names in both languages.

Names are compared folded (``fold``: case, width and spaces do not count), so a sheet staff
renamed to "complaints " is still the register.
"""

from __future__ import annotations

from collections.abc import Iterable

from addin.core.fields import fold
from addin.core.text import Lang, Text

# Sheets the core reads, in either language: the register and the settings sheets.
SHEET_NAMES = {
    "complaints": ("Complaints", "投诉登记", "投诉记录", "投诉记录卡"),
    "settings": ("Settings", "设置"),
    "lists": ("Lists", "列表"),
    "rules": ("Rules", "规则"),
    "holidays": ("Holidays", "节假日"),
    # Staff's sheets for learning from the archive: improvement actions and business volume.
    "actions": ("Actions", "改进措施"),
    "volume": ("Volume", "业务量"),
}
# The settings sheets, read whole by every door (the Actions and Volume sheets too).
GRID_ROLES = ("settings", "lists", "rules", "holidays", "actions", "volume")

# Sheets the add-in writes. Findings, Log and Counters keep their English names in a Chinese
# workbook: the doors find them by these names.
FINDINGS_SHEET = "Findings"
LOG_SHEET = "Log"
COUNTERS_SHEET = "Counters"
CONF_SHEET = "xlwings.conf"
# The analysis sheets (and the Actions sheet staff fill for the monthly report), by role.
ANALYSIS_SHEETS = {
    "analysis": ("Analysis", "分析"),
    "monthly": ("Monthly", "月度报告"),
    "actions": ("Actions", "改进措施"),
}
# The name each role's sheet is given in a new workbook or by a run: the first two names above.
SHEET_TITLES = {role: Text(*names[:2])
                for role, names in {**SHEET_NAMES, **ANALYSIS_SHEETS}.items()}
# Sheets a run rebuilds from scratch: never the register, whatever their headers say.
OWNED_SHEETS = (FINDINGS_SHEET, LOG_SHEET, COUNTERS_SHEET,
                *(name for names in ANALYSIS_SHEETS.values() for name in names))

# The case log (appended to, never rebuilt: staff add rows) and its hidden last known state.
CASE_LOG_NAMES = ("Case log", "处理记录")
CASE_STATE_SHEET = "Case state"
APPENDED_SHEETS = (*CASE_LOG_NAMES, CASE_STATE_SHEET)

# The built workbook's register table.
TABLE_NAME = "Complaints"
# Header colours are cell formats, which every office suite shows; the table style only adds
# the filter buttons and a light grid.
TABLE_STYLE = "Table Style Light 15"


def sheet_role(name: str) -> str | None:
    """Which of the sheets the core reads a sheet name is, if any."""
    folded = fold(name)
    for role, names in SHEET_NAMES.items():
        if folded in {fold(n) for n in names}:
            return role
    return None


def sheet_name(role: str, lang: Lang | str) -> str:
    """The name a role's sheet gets in a workbook in ``lang``."""
    return SHEET_TITLES[role].in_(lang)


def is_named(name: str, names: Iterable[str]) -> bool:
    """True when ``name`` is one of ``names``, folded."""
    return fold(name) in {fold(n) for n in names}


def find_sheet(names: Iterable[str], wanted: str) -> str | None:
    """The sheet among ``names`` that is ``wanted``, as spelt in the workbook."""
    return next((n for n in names if fold(n) == fold(wanted)), None)


def is_own_sheet(name: str) -> bool:
    """A sheet the add-in writes (or xlwings reads its settings from): never the register."""
    return is_named(name, (*OWNED_SHEETS, *APPENDED_SHEETS, CONF_SHEET))
