"""The Settings and Lists sheets a new workbook starts with, as rows from A1."""

from __future__ import annotations

from typing import Any

from addin.core.fields import BY_KEY
from addin.core.settings import SETTING_SPECS, Settings
from addin.core.text import Lang, Text
from addin.core.vocab import DEFAULT_LISTS

SETTINGS_HEADER = (Text("Setting", "设置项"), Text("Value", "值"), Text("Notes", "说明"))
# How staff type a setting's value: yes or no, and weekdays (Monday first).
YES_NO = {True: Text("yes", "是"), False: Text("no", "否")}
WEEKDAYS = Text("Mon Tue Wed Thu Fri Sat Sun", "周一 周二 周三 周四 周五 周六 周日")


def settings_header(lang: Lang | str) -> list[str]:
    return [said.in_(lang) for said in SETTINGS_HEADER]


def default_settings_rows(lang: Lang | str) -> list[list]:
    """Setting | Value | Notes rows: the card's settings with the values a new book starts with."""
    lang = Lang.of(lang)
    defaults = Settings(language=lang.value)
    return [[Text(spec.en, spec.zh).in_(lang), _shown(getattr(defaults, spec.name), lang),
             Text(spec.help_en, spec.help_zh).in_(lang)] for spec in SETTING_SPECS]


def _shown(value: Any, lang: Lang) -> Any:
    """A setting's value as staff would type it."""
    if isinstance(value, bool):
        return YES_NO[value].in_(lang)
    if isinstance(value, tuple):  # weekend days, Monday = 0
        names = WEEKDAYS.in_(lang).split()
        return ", ".join(names[d] for d in value)
    return value


def default_lists_rows() -> list[list]:
    """The Lists sheet: per list field that staff fill, an English and a Chinese column."""
    keys = [k for k in DEFAULT_LISTS if not BY_KEY[k].written]
    header = [text for k in keys for text in (BY_KEY[k].en, BY_KEY[k].zh)]
    height = max(len(DEFAULT_LISTS[k]) for k in keys)
    rows = [header]
    for i in range(height):
        row: list[Any] = []
        for k in keys:
            pair = DEFAULT_LISTS[k][i] if i < len(DEFAULT_LISTS[k]) else (None, None)
            row += list(pair)
        rows.append(row)
    return rows
