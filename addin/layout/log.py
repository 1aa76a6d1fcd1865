"""The Log sheet: one row for each run that changed the register or the case-number counters.

Both doors write the same row (``log_row``) under the same header (``log_header``).
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from addin.core.text import Lang, Text

from .cells import cell_value

if TYPE_CHECKING:
    from addin.core.pipeline import Summary

LOG_HEADERS = (
    Text("When", "时间"), Text("Who", "操作人"), Text("Tool version", "工具版本"),
    Text("Rows", "行数"), Text("Numbers assigned", "新分配编号"), Text("Classified", "自动分类"),
    Text("Cells changed", "修改单元格"), Text("Errors", "错误"), Text("Warnings", "警告"),
    Text("Overdue", "已超期"), Text("Note", "备注"),
)
LOG_WIDTHS = (17, 14, 12, 8, 10, 10, 10, 8, 8, 8, 40)
# The parts of a run's writes that earn a Log row; a refreshed Findings sheet or colouring rule
# alone is not an entry.
LOGGED_PARTS = frozenset({"columns", "cells", "counters"})


@dataclass(frozen=True)
class RunInfo:
    """Who ran the tool, when, and which version: written to the Log sheet."""

    when: dt.datetime
    user: str
    version: str
    note: str = ""


def current_user(fallback: str = "") -> str:
    """The person running the tool, for the Log: Windows and POSIX names first, then the
    system's login name; ``fallback`` where none is known (some containers and services)."""
    for name in ("USERNAME", "USER"):
        if os.environ.get(name):
            return os.environ[name]
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return fallback


def log_header(lang: Lang | str) -> tuple[str, ...]:
    return tuple(said.in_(lang) for said in LOG_HEADERS)


def log_row(summary: Summary, run: RunInfo, cells: int) -> tuple[Any, ...]:
    """The Log row of a run that changed ``cells`` register cells (None: leave the cell empty)."""
    s = summary
    return (cell_value(run.when), run.user, run.version, s.rows, s.numbered, s.classified, cells,
            s.errors, s.warnings, s.overdue, run.note or None)
