"""The checks of the complaints register: every problem a row has, as findings at its cells.

Validation is lazy: every check runs over whole columns as a mask, and every failure of every row is
collected, so staff see all of a row's problems at once. A missing column ("the sheet is wrong") is
reported once, at the sheet, and its per-row checks are skipped; a wrong cell is reported at the
cell. Nothing here raises on bad input.

Alongside the findings, ``validate`` returns the canonical values later steps compute with (dates,
English list names, contact keys) and which rows may be given a case number.

Choices made here, beyond the record card:

- A row whose cells are all empty is not a complaint: it gets no findings and no case number.
- Handler, Resolved and Solution are required only on some rows. When such a column is absent and a
  row needs it, the sheet is wrong: one missing-column finding instead of one per row.
- A phone number may end in an extension (``ext 12``, ``x12``, ``转12``, ``分机12``); it is not part
  of the number's 7-15 digits nor of the key that finds repeat complaints.
- The contact-missing finding points at the Phone cell, or at Email when the sheet has no Phone.
- Anonymous complaints are complaints: a customer named Anonymous (匿名) needs no contact details,
  and one from the suggestion box needs neither a name nor contact details. Both get a number.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .cells import blank_texts, is_empty
from .dates import format_example, is_before, read_dates
from .fields import REQUIRED_COLUMNS
from .findings import Finding, finding
from .register import Register

# Turning checks into findings lives beside this module; re-exported for the callers.
from .row_findings import RowCheck, _at, cell_refs, row_findings  # noqa: F401
from .settings import Config
from .vocab import ANONYMOUS_NAMES, DONE_STATUSES, STARTED_STATUSES, SUGGESTION_BOX, Vocabulary

# The handling process's steps, dated (see addin/core/stages.py).
STEP_DATE_KEYS = ("assigned_at", "investigated_at", "approved_at", "informed_at", "closed_at")
DATE_KEYS = ("received_at", "acknowledged_at", "resolved_at", "follow_up_at", *STEP_DATE_KEYS)
LIST_KEYS = ("channel", "customer_type", "category", "severity", "urgency", "status",
             "root_cause_type", "remedy", "follow_up_method", "follow_up_result")
TEXT_KEYS = ("customer_name", "description", "handler", "solution", "root_cause",
             "reject_reason", "approved_by", "compensation")
# Dates of what has already happened; a follow-up may be planned ahead.
PAST_KEYS = ("received_at", "acknowledged_at", "resolved_at", *STEP_DATE_KEYS)
AFTER_RECEIVED_KEYS = ("acknowledged_at", "resolved_at", "follow_up_at", *STEP_DATE_KEYS)
# The regulator holds the customer's contact details; referrals arrive without them.
NO_CONTACT_CHANNEL = "Regulator referral"
MAX_CHOICES = 12
_ANONYMOUS = {name.casefold() for name in ANONYMOUS_NAMES}
# Text fields whose emptiness only the row checks read (no canonical value is kept).
_CHECKED_ONLY = ("root_cause", "reject_reason", "approved_by")

_EXTENSION = re.compile(r"\s*(?:ext\.?|extension|x|转|分机)\s*\d{1,6}\s*$", re.IGNORECASE)
_PHONE_PUNCTUATION = re.compile(r"[\s\-()+]")
_PHONE = re.compile(r"^\d{7,15}$")
_NOT_DIGIT = re.compile(r"\D")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s.][^@\s]*\.[^@\s.]+$")


@dataclass
class Checked:
    """What the checks read from each row, in the core's canonical forms.

    ``frame`` has the register's index and these columns: received_at, acknowledged_at,
    resolved_at, follow_up_at (datetime64[ns], NaT when empty or unreadable); channel,
    customer_type, category, severity, urgency, status (English name, None when empty or not in
    the list); satisfaction (float 1-5, NaN when empty or out of range); phone_key (the digits of
    the number, extension left out), email_key (lower case); customer_name and description (the
    text as typed); handler and solution (stripped). Missing text is None.
    """

    frame: pd.DataFrame
    numberable: pd.Series  # bool: the row passes the intake checks that a case number needs
    blank: pd.Series  # bool: every cell of the row is empty (not a complaint)
    # bool by field: the checked fields' cells that are empty (``cells.is_empty``), for reuse
    empty: dict[str, pd.Series] = field(default_factory=dict)


def validate(register: Register, config: Config, today: dt.date, rows: bool = True
             ) -> tuple[Checked, list[Finding]]:
    """Check every row of the register; canonical values, numberable rows and findings.

    With ``rows`` False (a reader, which never shows them) the findings at the rows' cells are
    not worked out: only those about the sheet (a missing column) are returned.
    """
    lang = register.lang if config.settings.language == "auto" else config.settings.language
    order = config.settings.date_order
    cells = _Cells(register)
    frame, bad_dates = _canonical_frame(cells, config, order)
    # Fields only the row checks read are not gone through for a reader (a blank row is still
    # found: ``_blank_rows`` looks at the fields left out in the few rows that may be blank).
    empty = {key: cells.empty(key) for key in (*DATE_KEYS, *LIST_KEYS, *TEXT_KEYS,
                                               "phone", "email", "satisfaction")
             if rows or key not in _CHECKED_ONLY}
    blank = _blank_rows(register, empty)
    end_of_today = pd.Timestamp(today).normalize() + pd.Timedelta(days=1)
    sheet_findings = _missing_columns(register, frame)
    contact_ok = _contact_ok(frame, empty, cells)
    numberable = _numberable(register, frame, empty, blank, end_of_today, contact_ok)
    checked = Checked(frame, numberable, blank, empty)
    if not rows:
        return checked, sheet_findings
    status_label = _canonical_labels(frame["status"], config.lists["status"], lang)
    checks = [
        *_required(register, frame, empty),
        *_conditional(register, frame, empty, status_label),
        *_contact(register, contact_ok),
        *_dates(register, frame, bad_dates, end_of_today, today, order),
        *_lists(register, config, frame, empty, lang),
        *_formats(cells, empty),
        *_satisfaction(register, frame, empty, status_label),
    ]
    return checked, sheet_findings + row_findings(register, checks, ~blank)


# ----------------------------------------------------------------------------- values


class _Cells:
    """The register's cells by field, each column's values gone through once.

    Walking a column of cells is what costs (each cell is a Python object somewhere in memory),
    so a column's distinct values are found in one pass, and its emptiness, text and canonical
    values are worked out once per distinct value and spread to the rows by number.
    """

    def __init__(self, register: Register) -> None:
        self.register = register
        self._distinct: dict[str, tuple[np.ndarray, list[object], np.ndarray]] = {}
        self._empty: dict[str, pd.Series] = {}
        self._text: dict[tuple[str, object], pd.Series] = {}

    def raw(self, key: str) -> pd.Series:
        return self.register.col(key)

    def distinct(self, key: str) -> tuple[np.ndarray, list[object], np.ndarray]:
        """Per row the number of its value (-1 where missing), the distinct values, and which
        of them are blank text."""
        if key not in self._distinct:
            codes, values = self.register.distinct(key)
            blank = blank_texts(values)
            self._distinct[key] = codes, values, blank
        return self._distinct[key]

    def empty(self, key: str) -> pd.Series:
        if key not in self._empty:
            if key in DATE_KEYS:  # found while the dates are read (whatever the date order)
                self.dates(key, "YMD")
            else:
                codes, _, blank = self.distinct(key)
                empty = np.append(blank, True)[codes]  # code -1, the last: a missing cell
                self._empty[key] = pd.Series(empty, index=self.raw(key).index, dtype=bool)
        return self._empty[key]

    def dates(self, key: str, order: str) -> tuple[pd.Series, pd.Series]:
        """The dates of a date field and where they are not dates (``parse_dates``)."""
        dates, bad, self._empty[key] = read_dates(self.raw(key), order)
        return dates, bad

    def map(self, key: str, fn: Callable[[object], object], blank: object = None) -> pd.Series:
        """``fn`` of each filled cell's value, ``blank`` for blank text, None where missing."""
        _, values, blanks = self.distinct(key)
        answers = [blank if is_blank else fn(v) for v, is_blank in zip(values, blanks, strict=True)]
        return self.spread(key, answers)

    def numbers(self, key: str, fn: Callable[[object], object]) -> pd.Series:
        """``fn`` of each filled cell's value read as a number (``pd.to_numeric``), as float;
        NaN where it is no number, where the text is blank and where the cell is missing."""
        codes, values, blanks = self.distinct(key)
        # Each distinct answer converted once, then spread; None (last) for missing cells.
        answers = np.fromiter(itertools.chain(
            ("" if is_blank else fn(v) for v, is_blank in zip(values, blanks, strict=True)),
            [None]), dtype=object, count=len(values) + 1)
        answers[pd.isna(answers)] = None  # NaN and NaT answers are None, as ``spread`` has them
        numbers = pd.to_numeric(pd.Series(answers, dtype=object), errors="coerce")
        return pd.Series(numbers.astype("float64").to_numpy()[codes], index=self.raw(key).index)

    def spread(self, key: str, answers: list[object], missing: object = None,
               dtype: object = object) -> pd.Series:
        """A column from one answer per distinct value of the field (NaN and NaT answers are
        None in an object column), ``missing`` where the cell is missing."""
        codes = self.distinct(key)[0]
        spread = np.fromiter(itertools.chain(answers, [missing]), dtype=object,
                             count=len(answers) + 1)
        if dtype is object:
            spread[pd.isna(spread)] = None
        return pd.Series(spread[codes], index=self.raw(key).index, dtype=dtype)  # -1: the last

    def text(self, key: str, strip: bool = True) -> pd.Series:
        """Cell values as text, None where empty (NFKC-normalised and stripped unless raw)."""
        if (key, strip) not in self._text:
            _, values, blanks = self.distinct(key)
            if not strip and set(map(type, values)) <= {str}:
                # Text read raw is itself (a description, nearly every value distinct): no call
                # per value.
                self._text[key, strip] = self.spread(key, [
                    None if is_blank else v for v, is_blank in zip(values, blanks, strict=True)])
            else:
                self._text[key, strip] = self.map(key, _as_text if strip else _as_raw_text)
        return self._text[key, strip]

    def texts(self, key: str) -> list[str | None]:
        """Each distinct value of the field as text (None for blank text)."""
        if (key, "texts") not in self._text:
            _, values, blanks = self.distinct(key)
            # Plain ASCII text, nearly every value, is only trimmed (what ``_as_text`` does).
            self._text[key, "texts"] = [
                None if is_blank else v.strip() if type(v) is str and v.isascii() else _as_text(v)
                for v, is_blank in zip(values, blanks, strict=True)]
        return self._text[key, "texts"]

    def phone_numbers(self) -> list[str | None]:
        """The number part of each distinct phone value (None for blank text)."""
        if ("phone", "numbers") not in self._text:
            _, values, blanks = self.distinct("phone")
            # ASCII digits only, nearly every phone, are their own number: told apart by str's
            # own methods mapped in C when every value is text, so only the rest take a call.
            if set(map(type, values)) <= {str}:
                count = len(values)
                own = (np.fromiter(map(str.isdecimal, values), dtype=bool, count=count)
                       & np.fromiter(map(str.isascii, values), dtype=bool, count=count))
            else:
                own = np.array([type(v) is str and v.isascii() and v.isdecimal()
                                for v in values], dtype=bool)
            numbers = list(values)
            for i in np.flatnonzero(~own).tolist():
                numbers[i] = None if blanks[i] else _phone_number(values[i])
            self._text["phone", "numbers"] = numbers
        return self._text["phone", "numbers"]


def _canonical_frame(cells: _Cells, config: Config, order: str
                     ) -> tuple[pd.DataFrame, dict[str, pd.Series]]:
    """The canonical columns; missing values are None (object columns) or NaN/NaT."""
    frame = pd.DataFrame(index=cells.register.rows.index)
    bad: dict[str, pd.Series] = {}
    for key in DATE_KEYS:
        frame[key], bad[key] = cells.dates(key, order)
    for key in LIST_KEYS:
        # English names of listed values, None elsewhere.
        frame[key] = cells.map(key, config.lists[key].canonical)
    frame["satisfaction"] = _satisfaction_score(cells)
    frame["compensation"] = _amounts(cells)
    frame["phone_key"] = cells.spread("phone", [_phone_key(n) for n in cells.phone_numbers()])
    frame["email_key"] = cells.spread("email", [t and t.lower() for t in cells.texts("email")])
    for key in ("customer_name", "description"):
        frame[key] = cells.text(key, strip=False)
    for key in ("handler", "solution"):
        frame[key] = cells.text(key)
    return frame, bad


def _canonical_labels(canonical: pd.Series, vocabulary: Vocabulary, lang: str) -> pd.Series:
    """List values in the workbook's language, for messages."""
    labels = {name: vocabulary.label(name, lang) for name in canonical.dropna().unique()}
    return canonical.map(labels)  # a dict maps by index lookup, not a call per cell


def _as_text(value: object) -> str:
    # Excel hands over a typed number as a float; 13812345678.0 is the text 13812345678.
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, str):
        return str(value)
    return (value if value.isascii() else unicodedata.normalize("NFKC", value)).strip()


def _as_raw_text(value: object) -> str:
    return value if isinstance(value, str) else _as_text(value)


def _phone_number(value: object) -> str:
    """The number part of a phone cell: extension and punctuation removed.

    Most numbers are digits only (``\\d`` is what ``isdecimal`` tests) and are their own number.
    """
    text = _as_text(value)
    if text.isdecimal():
        return text
    # Digits with spaces, dashes, a plus and brackets, the usual way of writing a number: plain
    # replaces take those out quicker than the pattern (and such text holds no extension).
    plain = text.replace(" ", "").replace("-", "").replace("+", "").replace("(", "").replace(
        ")", "")
    if plain.isascii() and plain.isdecimal():
        return plain
    # An extension needs an x (the only letter the case-blind pattern reads as x), 转 or 分机:
    # the slow search for it is skipped in texts without any.
    if "x" in text or "X" in text or "转" in text or "分机" in text:
        text = _EXTENSION.sub("", text)
    return _PHONE_PUNCTUATION.sub("", text)


def _phone_key(number: str | None) -> str | None:
    """The digits of a phone number (None when it has none): what finds repeats."""
    if number is None:
        return None
    return (number if number.isdecimal() else _NOT_DIGIT.sub("", number)) or None


def _satisfaction_score(cells: _Cells) -> pd.Series:
    """A whole number 1-5 as float, NaN where empty or not such a number (True is not 1)."""
    score = cells.numbers("satisfaction", lambda v: None if isinstance(v, bool) else
                          _as_text(v) if isinstance(v, str) else v)
    return score.where(score.between(1, 5) & score.eq(score.round()))


def _amounts(cells: _Cells) -> pd.Series:
    """Compensation as a float (NaN where empty or not an amount); 1,200 and ¥1200 are read."""
    def amount(value: object) -> object:
        if isinstance(value, bool):
            return None
        if isinstance(value, str):
            return _as_text(value).replace(",", "").lstrip("¥￥$").removesuffix("元").strip()
        return value
    return cells.numbers("compensation", amount)


def _blank_rows(register: Register, empty: dict[str, pd.Series]) -> pd.Series:
    """Rows with every cell empty.

    The emptiness already known for the checked fields rules out nearly every row at once, so
    the other columns are tested only in the few rows left.
    """
    rows = register.rows
    blank = np.ones(len(rows), dtype=bool)
    for known in empty.values():
        blank &= known.to_numpy(dtype=bool)
    candidates = rows.index[blank]
    checked = {register.columns[key] for key in empty if register.has(key)}
    for position in rows.columns:
        if not len(candidates):
            break
        if position not in checked:
            candidates = candidates[is_empty(rows.loc[candidates, position]).to_numpy()]
    return pd.Series(rows.index.isin(candidates), index=rows.index)


# ----------------------------------------------------------------------------- checks


def _missing_columns(register: Register, frame: pd.DataFrame) -> list[Finding]:
    keys = [key for key in REQUIRED_COLUMNS if not register.has(key)]
    if not register.has("phone") and not register.has("email"):
        keys.append("phone")
    needed = _needed(frame)
    keys += [key for key in ("handler", "resolved_at", "solution")
             if not register.has(key) and needed[key].any()]
    return [finding("missing-column", register.sheet, field=key, header=register.header(key))
            for key in keys]


def _needed(frame: pd.DataFrame) -> dict[str, pd.Series]:
    """Rows whose status makes a field required, whether or not the field is filled."""
    started = frame["status"].isin(STARTED_STATUSES)
    done = frame["status"].isin(DONE_STATUSES)
    return {"handler": started, "resolved_at": done, "solution": done}


def _required(register: Register, frame: pd.DataFrame, empty: dict[str, pd.Series]
              ) -> list[RowCheck]:
    unnamed_ok = frame["channel"].eq(SUGGESTION_BOX)
    return [RowCheck("required", key, empty[key] & ~unnamed_ok if key == "customer_name"
                   else empty[key], {"header": register.header(key)})
            for key in REQUIRED_COLUMNS if register.has(key)]


def _conditional(register: Register, frame: pd.DataFrame, empty: dict[str, pd.Series],
                 status_label: pd.Series) -> list[RowCheck]:
    needed = _needed(frame)
    code = {"handler": "required-when-started", "resolved_at": "required-when-done",
            "solution": "required-when-done"}
    return [RowCheck(code[key], key, needed[key] & empty[key],
                   {"header": register.header(key), "status": status_label})
            for key in needed if register.has(key)]


def _contact(register: Register, contact_ok: pd.Series) -> list[RowCheck]:
    if not register.has("phone") and not register.has("email"):
        return []  # one missing-column finding says it for every row
    key = "phone" if register.has("phone") else "email"
    return [RowCheck("contact-missing", key, ~contact_ok)]


def _contact_ok(frame: pd.DataFrame, empty: dict[str, pd.Series], cells: _Cells) -> pd.Series:
    return (~empty["phone"] | ~empty["email"] | frame["channel"].eq(NO_CONTACT_CHANNEL)
            | _anonymous(frame, empty, cells))


def _anonymous(frame: pd.DataFrame, empty: dict[str, pd.Series], cells: _Cells) -> pd.Series:
    """Complaints that may come without a name or a way to reply."""
    # Names repeat: each distinct name is looked up once.
    _, names, blanks = cells.distinct("customer_name")
    known = _ANONYMOUS
    anonymous = [not is_blank and (name if type(name) is str else _as_raw_text(name)).strip(
                 ).casefold() in known for name, is_blank in zip(names, blanks, strict=True)]
    named_anonymous = cells.spread("customer_name", anonymous, missing=False, dtype=bool)
    return frame["channel"].eq(SUGGESTION_BOX) | (~empty["customer_name"] & named_anonymous)


def _dates(register: Register, frame: pd.DataFrame, bad: dict[str, pd.Series],
           end_of_today: pd.Timestamp, today: dt.date, order: str) -> list[RowCheck]:
    checks = [RowCheck("not-a-date", key, bad[key],
                     {"header": register.header(key), "example": format_example(order)})
              for key in DATE_KEYS if register.has(key)]
    shown_today = f"{pd.Timestamp(today):%Y-%m-%d}"
    for key in PAST_KEYS:
        if register.has(key):
            future = frame[key] >= end_of_today
            checks.append(RowCheck("date-in-future", key, future,
                                 {"header": register.header(key), "today": shown_today},
                                 shown_dates(frame[key][future])))
    received = frame["received_at"]
    for key in AFTER_RECEIVED_KEYS:
        if register.has(key):
            early = is_before(frame[key], received)
            checks.append(RowCheck("date-order", key, early,
                                 {"header": register.header(key),
                                  "received": shown_dates(received[early])},
                                 shown_dates(frame[key][early])))
    return checks


def shown_dates(dates: pd.Series) -> pd.Series:
    """Dates as staff would type them: with the time only when there is one (NaN for NaT)."""
    # Each distinct moment written once; numpy writes 2026-03-18T09:30 for the minute.
    codes, moments = pd.factorize(dates.to_numpy("datetime64[ns]"))
    minutes = np.datetime_as_string(moments, unit="m").tolist()
    timeless = (moments == moments.astype("datetime64[D]")).tolist()
    texts = [m[:10] if t else f"{m[:10]} {m[11:]}" for m, t in zip(minutes, timeless, strict=True)]
    shown = np.array([*texts, np.nan], dtype=object)[codes]  # code -1 (NaT): the last
    return pd.Series(shown, index=dates.index, dtype=object)


def _lists(register: Register, config: Config, frame: pd.DataFrame,
           empty: dict[str, pd.Series], lang: str) -> list[RowCheck]:
    return [RowCheck("not-in-list", key, ~empty[key] & frame[key].isna(),
                   {"header": register.header(key),
                    "choices": _choices(config.lists[key], lang)})
            for key in LIST_KEYS if register.has(key)]


def _choices(vocabulary: Vocabulary, lang: str) -> str:
    names = vocabulary.names(lang)
    shown = names[:MAX_CHOICES] + (["…"] if len(names) > MAX_CHOICES else [])
    return ", ".join(shown)


def _formats(cells: _Cells, empty: dict[str, pd.Series]) -> list[RowCheck]:
    register = cells.register
    # Tested once per distinct value: a digits-only number (\d is isdecimal) needs no regex.
    phone_ok = [n is not None and ((7 <= len(n) <= 15) if n.isdecimal() else
                                   _PHONE.match(n) is not None) for n in cells.phone_numbers()]
    email_ok = [t is not None and _EMAIL.match(t) is not None for t in cells.texts("email")]
    bad_phone = ~empty["phone"] & ~cells.spread("phone", phone_ok, missing=False, dtype=bool)
    bad_email = ~empty["email"] & ~cells.spread("email", email_ok, missing=False, dtype=bool)
    return [RowCheck(code, key, mask) for code, key, mask in
            (("bad-phone", "phone", bad_phone), ("bad-email", "email", bad_email))
            if register.has(key)]


def _satisfaction(register: Register, frame: pd.DataFrame, empty: dict[str, pd.Series],
                  status_label: pd.Series) -> list[RowCheck]:
    if not register.has("satisfaction"):
        return []
    given = ~empty["satisfaction"]
    # Only a known open status is reported: a missing status has its own finding.
    open_case = frame["status"].notna() & ~frame["status"].isin(DONE_STATUSES)
    return [RowCheck("satisfaction-range", "satisfaction", given & frame["satisfaction"].isna()),
            RowCheck("satisfaction-open", "satisfaction", given & open_case,
                   {"status": status_label})]


def _numberable(register: Register, frame: pd.DataFrame, empty: dict[str, pd.Series],
                blank: pd.Series, end_of_today: pd.Timestamp, contact_ok: pd.Series
                ) -> pd.Series:
    received = frame["received_at"]
    ok = ~blank & received.notna() & (received < end_of_today)
    for key in ("channel", "status"):
        ok &= frame[key].notna()
    ok &= ~empty["description"]
    ok &= ~empty["customer_name"] | frame["channel"].eq(SUGGESTION_BOX)
    if not register.has("phone") and not register.has("email"):
        return ok & frame["channel"].eq(NO_CONTACT_CHANNEL)
    return ok & contact_ok
