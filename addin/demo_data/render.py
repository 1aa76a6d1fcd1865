"""A generated case as a row of the Complaints sheet, in the register's language."""

from __future__ import annotations

from typing import Any

from addin.core.fields import TYPED_KEYS
from addin.core.text import Lang
from addin.core.vocab import default_lists

# The staff-typed fields of the card; source_ref belongs to imports, not to typed complaints.
DEMO_KEYS: tuple[str, ...] = tuple(k for k in TYPED_KEYS if k != "source_ref")

_LISTS = default_lists()


def render(case: dict[str, Any], lang: Lang) -> list[Any]:
    # A flipped row was typed by someone using the other language's list values.
    shown = (Lang.EN if lang is Lang.ZH else Lang.ZH) if case["_flip"] else lang
    values = dict(case)
    if case.get("_handler"):
        values["handler"] = case["_handler"].in_(lang)
    if case.get("_department"):
        values["department"] = case["_department"].in_(lang)
    raw = case.get("_raw", set())
    row: list[Any] = []
    for key in DEMO_KEYS:
        value = values.get(key)
        if key in _LISTS and isinstance(value, str) and key not in raw:
            value = _LISTS[key].label(value, shown)
        row.append(value)
    return row
