"""Worksheet functions staff can type, thin over the core and sharing the workbook's settings.

Each function takes single cells or whole columns (array in, array out): ``=CR_RESOLVE_BY(B2, L2,
M2)`` gives one date, ``=CR_RESOLVE_BY(B2:B500, L2:L500, M2:M500)`` a column of them, computed in
one call. An argument of one cell is repeated down the longest column. A value that cannot be read
gives the finding's title in the cell (``#Not a date``) rather than an Excel error, so staff see
what to fix.

In classic Excel the reserved ``caller`` argument (not shown in Excel) lets a function read the
Settings, Lists, Rules and Holidays sheets of its own workbook, one block per sheet, at most once
every few seconds; elsewhere (xlwings Lite) the card's defaults apply. Dates come back as dates:
format the cells as dates to see them as such.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import xlwings as xw

from addin.core.classify import classify
from addin.core.dates import parse_dates
from addin.core.deadlines import compute_deadlines
from addin.core.fields import BY_KEY
from addin.core.findings import CATALOGUE
from addin.core.masking import mask_email, mask_phone
from addin.core.register import Grid, Register
from addin.core.settings import Config, load_config
from addin.core.text import Lang
from addin.core.validate import validate
from addin.layout.blocks import Block, block_from_values, parse_address
from addin.layout.sheets import GRID_ROLES, sheet_role

CACHE_SECONDS = 10.0  # settings read from a workbook are reused this long across recalculations

# What Excel's function wizard shows for each argument (one table, so a test can check them all).
ARG_HELP: dict[str, str] = {
    "received": "Received date (受理时间): a cell or a column",
    "severity": "Severity (严重程度), e.g. Major or 重大; empty for any",
    "urgency": "Urgency (紧急程度), e.g. Immediate or 立即处理; empty for any",
    "status": "Status (处理状态), e.g. In progress or 处理中",
    "acknowledged": "Acknowledged date (首次回复时间); empty if not yet",
    "resolved": "Resolved date (解决时间); empty while open",
    "start": "From this date, not counted (开始日期)",
    "end": "To this date, counted (结束日期)",
    "text": "Complaint text (投诉内容): a cell or a column",
    "request": "Customer request (客户诉求); optional",
    "product": "Product/Service (产品/服务); optional",
    "value": "A phone number or an email address: a cell or a column",
}


def _today() -> dt.date:
    """The date deadlines are measured against (a test pins it)."""
    return dt.date.today()


def _udf(*names: str) -> Callable[[Callable[..., Table]], Callable[..., Table]]:
    """Register a worksheet function: every argument in ``names`` arrives as rows of cells
    (``ndim=2``, so one cell and a column look alike) with its help text from ``ARG_HELP``."""
    def decorate(function: Callable[..., Table]) -> Callable[..., Table]:
        for name in reversed(names):
            function = xw.arg(name, ndim=2, doc=ARG_HELP[name])(function)
        return xw.func(function)
    return decorate


@dataclass
class _Cached:
    config: Config
    lang: Lang
    at: float


_CACHE: dict[str, _Cached] = {}


# ----------------------------------------------------------------------------- settings

def settings_of(book: Any) -> tuple[Config, Lang]:
    """The workbook's config and language, each settings sheet read as one block."""
    names = list(book.sheet_names)
    sheets = book.sheets
    grids: dict[str, Grid] = {}
    for name in names:
        role = sheet_role(name)
        if role in GRID_ROLES and role not in grids:
            grids[role] = _used_range(sheets[name], name).grid()
    config, _ = load_config(grids)
    if config.settings.language != "auto":
        return config, Lang.of(config.settings.language)
    # Follow the register: a sheet named 投诉登记 means a Chinese card.
    register = next((n for n in names if sheet_role(n) == "complaints"), "")
    return config, Lang.ZH if register and not register.isascii() else Lang.EN


def _used_range(sheet: Any, name: str) -> Block:
    """A sheet's used range in two calls (its address, its values): a recalculation pays for
    every call, and the worksheet functions load no more of the add-in than they use."""
    used = sheet.used_range
    return block_from_values(name, used.options(ndim=2).value, *parse_address(used.address))


def default_config() -> Config:
    """The card's own settings, rules, deadlines and calendar, as for a workbook without sheets."""
    return load_config({})[0]


def config_for(caller: Any) -> tuple[Config, Lang]:
    """Settings of the caller's workbook (cached briefly), or the defaults without a caller."""
    book = getattr(getattr(caller, "sheet", None), "book", None)
    if book is None:
        return default_config(), Lang.EN
    key = str(getattr(book, "name", id(book)))
    cached = _CACHE.get(key)
    if cached is None or time.monotonic() - cached.at > CACHE_SECONDS:
        try:
            config, lang = settings_of(book)
        except Exception:  # settings that cannot be read must not break every formula
            config, lang = default_config(), Lang.EN
        cached = _Cached(config, lang, time.monotonic())
        _CACHE[key] = cached
    return cached.config, cached.lang


def _calendar(config: Config):
    from addin.core.deadlines import default_calendar

    return config.calendar or default_calendar(config.settings.weekend)


# ----------------------------------------------------------------------------- shapes

Table = list[list[Any]]


def _table(value: Any) -> Table:
    """Any argument as rows of cells: a scalar is one cell, a flat list one column."""
    if isinstance(value, list | tuple):
        if value and isinstance(value[0], list | tuple):
            return [list(row) for row in value]
        return [[v] for v in value]
    return [[value]]


def _columns(*args: Any) -> list[pd.Series]:
    """Each argument as one column, a one-cell argument repeated down the longest."""
    tables = [_table(a) for a in args]
    height = max(len(t) for t in tables)
    columns = []
    for t in tables:
        cells = [row[0] if row else None for row in t]
        if len(cells) == 1:
            cells = cells * height
        cells += [None] * (height - len(cells))
        columns.append(pd.Series([_blank_to_none(c) for c in cells], dtype=object))
    return columns


def _blank_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


def _out(values: list[Any]) -> Table:
    return [[v] for v in values]


def _title(code: str, lang: Lang) -> str:
    return "#" + CATALOGUE[code].title.in_(lang)


def _dates(column: pd.Series, config: Config) -> tuple[pd.Series, pd.Series]:
    """Parsed dates and a mask of cells that hold something that is not a date."""
    parsed, _ = parse_dates(column, config.settings.date_order)
    bad = parsed.isna() & column.notna()
    return parsed, bad


def _canonical(column: pd.Series, config: Config, key: str) -> pd.Series:
    vocabulary = config.lists[key]
    return column.map(lambda v: None if v is None else vocabulary.canonical(v))


def _stamp(value: Any) -> Any:
    return None if pd.isna(value) else pd.Timestamp(value).to_pydatetime()


# ----------------------------------------------------------------------------- the functions

def _deadline_frame(config: Config, received: Any, severity: Any, urgency: Any,
                    status: Any = None, acknowledged: Any = None, resolved: Any = None
                    ) -> tuple[pd.DataFrame, pd.Series]:
    got, sev, urg, st, ack, res = _columns(received, severity, urgency, status, acknowledged,
                                           resolved)
    received_at, bad = _dates(got, config)
    acknowledged_at, bad_ack = _dates(ack, config)
    resolved_at, bad_res = _dates(res, config)
    frame = pd.DataFrame({
        "received_at": received_at, "acknowledged_at": acknowledged_at,
        "resolved_at": resolved_at, "status": _canonical(st, config, "status"),
        "severity": _canonical(sev, config, "severity"),
        "urgency": _canonical(urg, config, "urgency"),
    })
    return frame, bad | bad_ack | bad_res


def _deadlines(config: Config, frame: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    return compute_deadlines(frame, config.deadlines, _calendar(config),
                             config.settings.due_soon_days, today)


@_udf("received", "severity", "urgency")
def CR_RESOLVE_BY(received: Any, severity: Any = None, urgency: Any = None,
                  caller: Any = None) -> Table:
    """The resolve-by date (处理时限) for a received date, severity and urgency, from the deadline
    table on the Settings sheet and the Holidays sheet."""
    config, lang = config_for(caller)
    frame, bad = _deadline_frame(config, received, severity, urgency)
    due = _deadlines(config, frame, _today())["due_at"]
    return _out([_title("not-a-date", lang) if b else _stamp(v)
                 for v, b in zip(due, bad, strict=True)])


@_udf("start", "end")
def CR_WORKDAYS(start: Any, end: Any, caller: Any = None) -> Table:
    """Working days (工作日) after start up to and including end, with the workbook's weekend,
    holidays and make-up working days; negative when end is before start."""
    config, lang = config_for(caller)
    first, last = _columns(start, end)
    begin, bad_begin = _dates(first, config)
    finish, bad_finish = _dates(last, config)
    counts = _calendar(config).working_days_between(begin, finish)
    bad = bad_begin | bad_finish
    return _out([_title("not-a-date", lang) if b else (None if pd.isna(v) else int(v))
                 for v, b in zip(counts, bad, strict=True)])


@_udf("received", "severity", "urgency", "status", "acknowledged", "resolved")
def CR_SLA_STATUS(received: Any, severity: Any = None, urgency: Any = None, status: Any = None,
                  acknowledged: Any = None, resolved: Any = None, caller: Any = None) -> Table:
    """The SLA status (时限状态) of a case today: On track, Due soon, Overdue, Closed on time or
    Closed late, in the workbook's language."""
    config, lang = config_for(caller)
    frame, bad = _deadline_frame(config, received, severity, urgency, status, acknowledged,
                                 resolved)
    states = _deadlines(config, frame, _today())["sla_status"]
    vocabulary = config.lists["sla_status"]
    return _out([_title("not-a-date", lang) if b else
                 (None if v is None else vocabulary.label(v, lang))
                 for v, b in zip(states, bad, strict=True)])


@_udf("text", "request", "product")
def CR_CATEGORY(text: Any, request: Any = None, product: Any = None, caller: Any = None
                ) -> Table:
    """The category (投诉类别) the Rules sheet would give this complaint (its text, and the
    customer's request and the product when given); empty when no rule matches."""
    config, lang = config_for(caller)
    columns = _columns(text, request, product)
    cells = [[None if v is None else str(v) for v in row] for row in zip(*columns, strict=True)]
    headers = [BY_KEY[key].en for key in ("description", "request", "product")]
    register = Register.from_values("UDF", 1, 1, headers, cells, lang)
    checked, _ = validate(register, config, _today())
    found = classify(register, checked.frame, config.rules).values["category"]
    vocabulary = config.lists["category"]
    return _out([None if v is None or pd.isna(v) else vocabulary.label(v, lang) for v in found])


def _mask_one(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone number typed as a number arrives as 13812345678.0
    text = str(value)
    return mask_email(text) if "@" in text else mask_phone(text)


@_udf("value")
def CR_MASK(value: Any) -> Table:
    """The phone number or email address masked for sharing: 138****5678, z***@example.com."""
    (column,) = _columns(value)
    return _out([_mask_one(v) for v in column])


UDFS: dict[str, Callable[..., Table]] = {
    f.__name__: f for f in (CR_RESOLVE_BY, CR_WORKDAYS, CR_SLA_STATUS, CR_CATEGORY, CR_MASK)
}
