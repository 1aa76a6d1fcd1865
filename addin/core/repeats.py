"""Repeat complaints: a customer who complains again within the repeat window.

A complaint repeats an earlier one when both share a phone number (digits only, extension left
out) or an email address (case ignored), and the earlier one was received at most ``window_days``
calendar days before (counted between dates, so the time of day does not matter). The repeat
points at the most recent such earlier complaint; complaints received at the same moment count in
row order. When that complaint has no case number yet, there is nothing to point at and the row is
not marked, even if an older complaint has a number: staff should follow the latest contact.

Complaints without a received date take no part: without a date there is no "earlier".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .findings import Finding, finding
from .register import Register
from .validate import Checked

CONTACT_KEYS = (("phone_key", "phone"), ("email_key", "email"))


def find_repeats(checked: Checked, case_no: pd.Series, window_days: int, register: Register,
                 said: bool = True) -> tuple[pd.Series, list[Finding]]:
    """The case number each row repeats (None when none) and an info finding per repeat (none
    unless ``said``: a reader never shows them)."""
    frame = checked.frame
    index = frame.index
    received = frame["received_at"].to_numpy(dtype="datetime64[ns]")
    latest = _latest_earlier(frame, received)  # (position of the earlier row, contact field)
    earlier_pos = latest["earlier"].to_numpy()
    has_earlier = earlier_pos >= 0
    safe_pos = np.where(has_earlier, earlier_pos, 0)
    days = _days_between(received[safe_pos], received)
    numbers = case_no.reindex(index).to_numpy(dtype=object)
    earlier_no = np.full(len(index), None, dtype=object)
    earlier_no[has_earlier] = [_case_text(v) for v in numbers[earlier_pos[has_earlier]]]
    numbered = pd.notna(earlier_no)
    repeat = has_earlier & (days <= window_days) & numbered
    repeat_of = pd.Series(np.where(repeat, earlier_no, None), index=index, dtype=object)
    if not said:
        return repeat_of, []
    findings = [
        finding("repeat-complaint", _cell(register, int(row), contact), field="repeat_of",
                value=number, row=int(row), days=int(gap))
        for row, contact, number, gap in zip(index[repeat], latest["contact"].to_numpy()[repeat],
                                             earlier_no[repeat], days[repeat], strict=True)
    ]
    return repeat_of, findings


def _latest_earlier(frame: pd.DataFrame, received: np.ndarray) -> pd.DataFrame:
    """Per row, the position of the latest earlier complaint sharing a contact (-1 when none).

    For each contact, rows sorted by (contact, received, row) give each row's predecessor by a
    group shift; of the phone and email predecessors the later one (by received, then row) wins.
    """
    n = len(frame)
    best = np.full(n, -1, dtype=np.int64)
    via = np.full(n, None, dtype=object)
    for key, contact in CONTACT_KEYS:
        previous = _previous_by(frame[key], received)
        better = (previous >= 0) & _later(previous, best, received)
        best = np.where(better, previous, best)
        via = np.where(better, contact, via)
    return pd.DataFrame({"earlier": best, "contact": via}, index=frame.index)


def _previous_by(keys: pd.Series, received: np.ndarray) -> np.ndarray:
    """Position of the previous row with the same key in (received, row) order, -1 when none."""
    # Keys as integer codes (-1 where missing): sorting numbers is far quicker than text.
    codes = pd.factorize(keys.to_numpy(dtype=object))[0]
    pos = np.flatnonzero((codes >= 0) & ~np.isnat(received))
    # By key, then received, then row (np.lexsort sorts by its last array first).
    pos = pos[np.lexsort((pos, received[pos].view("int64"), codes[pos]))]
    same_key = np.zeros(len(pos), dtype=bool)
    same_key[1:] = codes[pos[1:]] == codes[pos[:-1]]
    out = np.full(len(keys), -1, dtype=np.int64)
    out[pos[1:][same_key[1:]]] = pos[:-1][same_key[1:]]
    return out


def _later(candidate: np.ndarray, current: np.ndarray, received: np.ndarray) -> np.ndarray:
    """True where the candidate row comes after the current best (by received, then row)."""
    none_yet = current < 0
    cand_time = received[np.maximum(candidate, 0)]
    best_time = received[np.maximum(current, 0)]
    after = (cand_time > best_time) | ((cand_time == best_time) & (candidate > current))
    return none_yet | after


def _days_between(earlier: np.ndarray, later: np.ndarray) -> np.ndarray:
    """Calendar days from one date to another, ignoring the time of day."""
    gap = later.astype("datetime64[D]") - earlier.astype("datetime64[D]")
    return gap.astype("int64")


def _case_text(value: object) -> str | None:
    if value is None or pd.isna(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel hands every number over as a float: 1001.0 reads 1001
    text = str(value).strip()
    return text or None


def _cell(register: Register, row: int, contact: str) -> str:
    """The Repeat of cell (where a door appends it when missing), or else the contact that
    matched."""
    if register.has("repeat_of") or "repeat_of" in register.appended:
        return register.cell(row, "repeat_of")
    return register.cell(row, contact if register.has(contact) else "phone")
