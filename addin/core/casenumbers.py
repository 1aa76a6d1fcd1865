"""Case numbers: assigned once, never reused, the same whatever the order of the sheet.

A case number is rendered from the case-number format (``TS-{yyyy}{mm}-{seq:4}``): date parts from
the received date, a sequence that restarts each period, literal text around them. The period is
the rendered date parts (``202611``; empty when the format has none). The sequence of a period
continues after the highest number ever issued in it: the highest found in the sheet, or the
counter the door kept from earlier runs, so deleting the row with the highest number does not hand
that number out again.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .cells import is_empty, map_distinct
from .findings import Finding, finding
from .register import Register

_PART = re.compile(r"\{(yyyy|yy|mm|dd|seq)(?::([^}]*))?\}")
# Digits each date part renders to; the sequence has a minimum width only.
_DATE_WIDTH = {"yyyy": 4, "yy": 2, "mm": 2, "dd": 2}
# A case number is read, typed and printed by people: twelve sequence digits number a trillion
# cases a period, and sixty characters fit a cell, a card and an email subject. A wider format
# (a {seq:100000000}) would build gigabytes of text, and one wider than a cell holds would be cut
# until every row showed the same number.
MAX_SEQ_DIGITS = 12
MAX_NUMBER_LENGTH = 60


@dataclass(frozen=True)
class _Part:
    kind: str  # "text", "yyyy", "yy", "mm", "dd" or "seq"
    text: str = ""  # the literal text of a "text" part
    width: int = 0  # zero-padding of the sequence


def _parse_format(case_format: str) -> list[_Part]:
    """The format as parts; ``{seq:4}``, ``{seq:04}`` and ``{seq:04d}`` all pad to four digits.

    A format without a sequence would give every complaint of a period the same number; the
    Settings sheet refuses one, and should one arrive here all the same the default is used.
    """
    parts = _split_format(case_format)
    if not any(part.kind == "seq" for part in parts) or _width_problem(parts) is not None:
        from .settings import Settings  # settings checks formats with this module: import late
        parts = _split_format(Settings().case_format)
    return parts


def check_case_format(case_format: str) -> str:
    """``case_format`` if its numbers can be told apart in a cell, else ValueError(en, zh)."""
    problem = _width_problem(_split_format(case_format))
    if problem is not None:
        raise ValueError(*problem)
    return case_format


def _width_problem(parts: list[_Part]) -> tuple[str, str] | None:
    widest_seq = max((part.width for part in parts if part.kind == "seq"), default=0)
    if widest_seq > MAX_SEQ_DIGITS:
        return (f"a sequence of {widest_seq:,} digits is too wide; use at most "
                f"{MAX_SEQ_DIGITS}, e.g. {{seq:4}}",
                f"序号位数 {widest_seq:,} 过多；最多 {MAX_SEQ_DIGITS} 位，例如 {{seq:4}}")
    length = sum(len(part.text) if part.kind == "text" else
                 _DATE_WIDTH.get(part.kind, max(part.width, 1)) for part in parts)
    if length > MAX_NUMBER_LENGTH:
        return (f"the numbers would be {length:,} characters long; keep them to "
                f"{MAX_NUMBER_LENGTH} (a shorter prefix)",
                f"编号长度将达 {length:,} 个字符；请控制在 {MAX_NUMBER_LENGTH} 个以内（缩短前缀）")
    return None


def _split_format(case_format: str) -> list[_Part]:
    parts: list[_Part] = []
    at = 0
    for match in _PART.finditer(case_format):
        if match.start() > at:
            parts.append(_Part("text", case_format[at:match.start()]))
        kind, spec = match.group(1), match.group(2) or ""
        digits = re.search(r"\d+", spec) if kind == "seq" else None
        # Past 9 digits the width is absurd anyway: keep it a number the width check refuses.
        parts.append(_Part(kind, width=int(digits.group()[:10]) if digits else 0))
        at = match.end()
    if at < len(case_format):
        parts.append(_Part("text", case_format[at:]))
    return parts


def _number_pattern(parts: list[_Part]) -> str:
    """A regex reading a case number back: date parts in groups d0, d1, …, the sequence in seq."""
    body, seq_seen = [], False
    for i, part in enumerate(parts):
        if part.kind == "text":
            body.append(re.escape(part.text))
        elif part.kind == "seq":
            # A format with two {seq} parts: only the first is read back.
            name = "" if seq_seen else "?P<seq>"
            body.append(rf"({name}\d{{{max(part.width, 1)},}})")
            seq_seen = True
        else:
            body.append(rf"(?P<d{i}>\d{{{_DATE_WIDTH[part.kind]}}})")
    return "^" + "".join(body) + "$"


def _as_text(values: pd.Series) -> pd.Series:
    """Cell values as the text staff read: 1001.0 shows as 1001, full-width digits fold."""
    def show(value: object) -> str:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = str(value)
        return (text if text.isascii() else unicodedata.normalize("NFKC", text)).strip()
    # Plain ASCII text, nearly every case number, is only trimmed: no call per cell for it.
    return pd.Series([v.strip() if type(v) is str and v.isascii() else show(v)
                      for v in values.to_numpy(dtype=object)], index=values.index, dtype=object)


def _existing_highest(current: pd.Series, empty: pd.Series, parts: list[_Part]) -> dict[str, int]:
    """Per period, the highest sequence among numbers already in the sheet that fit the format."""
    pattern = re.compile(_number_pattern(parts), re.IGNORECASE)
    seq = pattern.groupindex["seq"] - 1
    dated = [i for i in range(pattern.groups) if i != seq]
    found = _matches(pattern, _as_text(current[~empty]).tolist())
    if not found:
        return {}
    columns = list(zip(*found, strict=True))
    # Without date parts every number is of the one period "" (an endless repeat of it).
    periods = map("".join, zip(*(columns[i] for i in dated), strict=True)) if dated else (
        itertools.repeat(""))
    highest: dict[str, int] = {}
    for period, number in zip(periods, map(int, columns[seq]), strict=False):
        if number > highest.get(period, -1):
            highest[period] = number
    return highest


def _matches(pattern: re.Pattern, texts: list[str]) -> list[tuple[str, ...]]:
    """The groups of each text that the whole-text ``pattern`` (``^...$``) matches.

    The texts are searched as one, a line each, in a single call: a call per case number costs
    more than the matching. A text with a line break of its own is searched alone.
    """
    if "\n" in pattern.pattern:  # a format with a line break in it: each text on its own
        return [m.groups() for text in texts if (m := pattern.search(text)) is not None]
    alone = [text for text in texts if "\n" in text]
    lines = re.compile(pattern.pattern, pattern.flags | re.MULTILINE)
    found = lines.findall("\n".join(t for t in texts if "\n" not in t))
    if pattern.groups == 1:  # findall gives the group itself rather than a tuple of one
        found = [(group,) for group in found]
    return found + [m.groups() for text in alone if (m := pattern.search(text)) is not None]


def _render_dates(received: pd.Series, parts: list[_Part]) -> tuple[list[np.ndarray | None],
                                                                      pd.Series]:
    """Each date part of the format as text per row (None for other parts), and the period key.

    A register holds far fewer days than rows: each distinct day is rendered once.
    """
    codes, days = pd.factorize(received.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]"))
    stamps = pd.DatetimeIndex(days)
    numbers = {"yyyy": stamps.year, "yy": stamps.year % 100, "mm": stamps.month,
               "dd": stamps.day}
    rendered: list[np.ndarray | None] = []
    period = np.full(len(days), "", dtype=object)
    for part in parts:
        if part.kind not in _DATE_WIDTH:
            rendered.append(None)
            continue
        text = np.array([str(n).zfill(_DATE_WIDTH[part.kind]) for n in numbers[part.kind]],
                        dtype=object)
        period = period + text
        rendered.append(text[codes])
    return rendered, pd.Series(period[codes], index=received.index, dtype=object)


def assign_case_numbers(current: pd.Series, received_at: pd.Series, eligible: pd.Series,
                        case_format: str, counters: dict[str, int]
                        ) -> tuple[pd.Series, dict[str, int]]:
    """The case-number column with numbers given to eligible rows that have none.

    Existing values stay exactly as they are, whether or not they fit the format. Within a
    period, new numbers follow the received time, then the row order. Returns the column and the
    counters (period -> highest sequence ever issued) for the door to keep.
    """
    parts = _parse_format(case_format)
    has_dates = any(p.kind in _DATE_WIDTH for p in parts)
    received = pd.to_datetime(received_at.reindex(current.index), errors="coerce")
    empty = is_empty(current)
    wanted = eligible.reindex(current.index).fillna(False).astype(bool)

    highest = {str(k): int(v) for k, v in counters.items()}
    for period, seq in _existing_highest(current, empty, parts).items():
        highest[period] = max(highest.get(period, 0), seq)

    need = empty & wanted & (received.notna() if has_dates else True)
    result = current.astype(object).copy()
    if not need.any():
        return result, highest
    numbers, last = _new_numbers(received[need], parts, highest)
    result.loc[numbers.index] = numbers
    for period, seq in last.items():
        highest[period] = max(highest.get(period, 0), seq)
    return result, highest


def _new_numbers(received: pd.Series, parts: list[_Part], highest: dict[str, int]
                 ) -> tuple[pd.Series, dict[str, int]]:
    """Numbers for the rows to number, in received order within each period."""
    rendered, period = _render_dates(received, parts)
    order = pd.DataFrame({"period": period, "received": received,
                          "position": range(len(received))}, index=received.index)
    order = order.sort_values(["period", "received", "position"], kind="stable",
                              na_position="last")
    base = map_distinct(order["period"], lambda p: highest.get(p, 0)).astype(int)
    seq = (order.groupby("period", sort=False).cumcount() + 1 + base).reindex(received.index)
    pieces: list[Iterable[str]] = []
    for part, text in zip(parts, rendered, strict=True):
        if part.kind == "text":
            pieces.append(itertools.repeat(part.text, len(received)))
        elif part.kind == "seq":
            pieces.append([str(n).zfill(part.width) for n in seq.tolist()])
        else:
            pieces.append(text)
    # Joined row by row in plain Python: quicker than adding pandas columns of text.
    number = pd.Series(["".join(row) for row in zip(*pieces, strict=True)] if pieces else
                       [""] * len(received), index=received.index, dtype=object)
    last = seq.groupby(period).max()
    return number, {str(k): int(v) for k, v in last.items()}


def duplicate_case_numbers(current: pd.Series, register: Register) -> list[Finding]:
    """A finding on every row after the first that repeats a case number (case and spaces aside)."""
    empty = is_empty(current)
    keys = _as_text(current[~empty]).str.casefold()
    if keys.empty:
        return []
    repeated = keys.duplicated(keep="first")
    if not repeated.any():
        return []
    first_row = {key: row for row, key in keys[~repeated].items()}
    shown = _as_text(current[keys.index[repeated.to_numpy()]])  # only the cells reported
    return [finding("duplicate-case-no", register.cell(row, "case_no"), field="case_no",
                    value=shown[row], row=int(row), other_row=int(first_row[key]))
            for row, key in keys[repeated].items()]
