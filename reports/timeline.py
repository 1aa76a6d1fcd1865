"""A case's timeline from the Case log sheet, for the printable card and the email summary.

The Case log holds one row per event in the sheet's language (``addin.layout.caselog``): the
events both doors appended and the rows staff added themselves (a call, a visit: event Note,
跟进记录). Rows are read as they stand, in sheet order, which is the order they were written;
nothing here changes the sheet. A row is shown in the summary's language: event names, list
values (a status, a severity) and the deadline a Deadline event moved are translated; what staff
wrote is shown as written, masked like the case's other free text when the settings ask.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pandas as pd

from addin.core.caselog import EVENT_NAMES
from addin.core.fields import field_for_header, fold
from addin.core.masking import mask_text
from addin.core.text import Lang
from addin.core.vocab import Vocabulary
from addin.layout.caselog import CASE_LOG_HEADERS

from .contexts import CaseEvent
from .i18n import fmt_date, fmt_datetime, header, label

COLUMNS = ("case_no", "time", "event", "old", "new", "by", "note")
# Event (English, as the core names it) -> the list its From and To values come from.
_LISTED = {"Status": "status", "Reopened": "status", "Severity": "severity",
           "Escalated": "severity", "Urgency": "urgency"}
_ENGLISH = {fold(zh): en for en, zh in EVENT_NAMES.items()} | {fold(en): en for en in EVENT_NAMES}
_DEADLINES = ("ack_due", "investigate_due", "due_at", "follow_up_due")


def case_log_frame(rows: Sequence[Sequence[Any]] | None) -> pd.DataFrame:
    """The Case log's rows under its header (either language) as a frame of ``COLUMNS``, in sheet
    order; an empty frame when there is no log or its first row is not the log's header."""
    empty = pd.DataFrame(columns=list(COLUMNS), dtype=object)
    if not rows:
        return empty
    found = [fold(v) for v in list(rows[0])[:len(COLUMNS)]]
    if not any(found == [fold(h) for h in names] for names in CASE_LOG_HEADERS.values()):
        return empty
    width = len(COLUMNS)
    body = [(list(r[:width]) + [None] * width)[:width] for r in rows[1:]]
    frame = pd.DataFrame(body, columns=list(COLUMNS), dtype=object)
    frame = frame.where(frame.map(_filled), None)
    frame["case_no"] = frame["case_no"].map(lambda v: None if v is None else str(v).strip())
    return frame[frame["case_no"].notna()].reset_index(drop=True)


def case_timeline(log: pd.DataFrame, case_no: str, lang: Lang | str,
                  lists: dict[str, Vocabulary], mask: bool = False,
                  names: tuple[str, ...] = ()) -> list[CaseEvent]:
    """The events of one case, oldest first, in ``lang``; ``names`` are masked in notes."""
    lang = Lang.of(lang)
    wanted = case_no.strip().casefold()
    mine = log[log["case_no"].map(lambda v: v.casefold() == wanted)] if len(log) else log
    return [_event(row, lang, lists, mask, names) for row in mine.itertuples(index=False)]


def _event(row: Any, lang: Lang, lists: dict[str, Vocabulary], mask: bool,
           names: tuple[str, ...]) -> CaseEvent:
    english = _ENGLISH.get(fold(row.event)) if row.event is not None else None
    if english is None:  # a name staff chose: shown as they wrote it
        event = _text(row.event)
    else:
        event = EVENT_NAMES[english] if lang is Lang.ZH else english
    listed = _LISTED.get(english or "")
    old, new = (_value(v, listed, lang, lists) for v in (row.old, row.new))
    change = f"{old} → {new}".strip() if old or new else ""
    note = _note(row.note, lang)
    if mask and note:
        note = mask_text(note, names)
    return CaseEvent(time=_when(row.time, lang), event=event, change=change, by=_text(row.by),
                     note=note)


def _value(value: Any, listed: str | None, lang: Lang, lists: dict[str, Vocabulary]) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date | pd.Timestamp):
        return _when(value, lang)
    if listed is not None and listed in lists:
        canonical = lists[listed].canonical(value)
        if canonical is not None:
            return label(canonical, listed, lists, lang)
    return _text(value)


def _note(value: Any, lang: Lang) -> str:
    """The note: a deadline's name (the add-in's Deadline events) in ``lang``, else the text."""
    key = field_for_header(value) if isinstance(value, str) else None
    if key in _DEADLINES:
        return header(key, lang)
    return _text(value)


def _when(value: Any, lang: Lang) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | pd.Timestamp) and pd.Timestamp(value).time() != dt.time():
        return fmt_datetime(value, lang)
    if isinstance(value, dt.date):
        return fmt_date(value, lang)
    return _text(value)  # a time staff typed as text stays as they typed it


def _filled(value: Any) -> bool:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return False
    return not (isinstance(value, str) and not value.strip())


def _text(value: Any) -> str:
    return str(value).strip() if _filled(value) else ""

