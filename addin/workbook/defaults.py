"""The Settings and Lists rows a new workbook starts with: the defaults as staff type them."""

from __future__ import annotations

from typing import Any

from addin.core.fields import BY_KEY
from addin.core.settings import SETTING_SPECS, Settings
from addin.core.vocab import DEFAULT_LISTS

_WEEKDAYS_EN, _WEEKDAYS_ZH = "Mon Tue Wed Thu Fri Sat Sun", "周一 周二 周三 周四 周五 周六 周日"


def default_settings_rows(lang: str) -> list[list]:
    """Setting | Value | Notes rows: the card's settings with the values a new book starts with."""
    zh = lang.startswith("zh")
    defaults = Settings(language="zh-CN" if zh else "en")
    return [[spec.zh if zh else spec.en, _shown(getattr(defaults, spec.name), zh),
             spec.help_zh if zh else spec.help_en] for spec in SETTING_SPECS]


def _shown(value: Any, zh: bool) -> Any:
    """A setting's value as staff would type it."""
    if isinstance(value, bool):
        return ("是" if value else "否") if zh else ("yes" if value else "no")
    if isinstance(value, tuple):  # weekend days, Monday = 0
        names = (_WEEKDAYS_ZH if zh else _WEEKDAYS_EN).split()
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
