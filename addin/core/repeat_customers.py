"""Repeat customers: who a complaint came from, and who complained more than once in a month."""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from .calendar import column_days
from .cells import distinct_values
from .month_figures import month_bounds
from .prepared import _column, filled


def customer_keys(cases: pd.DataFrame) -> pd.Series:
    """Who a complaint came from: phone digits, else lower-case email, else the folded name."""
    # Plain arrays and positions: the keys are set in three passes over tens of thousands of rows.
    keys = np.full(len(cases), None, dtype=object)
    digits = _phone_digits(_column(cases, "phone")).to_numpy(dtype=object)
    by_phone = np.fromiter(map(len, digits), dtype=np.intp, count=len(digits)) >= 5
    keys[by_phone] = ["tel:" + d for d in digits[by_phone]]
    rest = ~by_phone
    email = _per_distinct(_column(cases, "email")[rest],
                          lambda email: _plain_text(email).str.lower()).to_numpy(dtype=object)
    _set_keys(keys, rest, "mail:", email)
    # The same folding as header matching: width, case and spaces do not matter.
    name = _per_distinct(_column(cases, "customer_name")[rest], lambda name: _plain_text(
        name).str.normalize("NFKC").str.casefold().str.replace(r"\s+", "", regex=True))
    _set_keys(keys, rest, "name:", name.to_numpy(dtype=object))
    return pd.Series(keys, index=cases.index, dtype=object)


def _set_keys(keys: np.ndarray, rest: np.ndarray, prefix: str, values: np.ndarray) -> None:
    """Key the ``rest`` rows (a mask, one value each) that have a value; they leave ``rest``."""
    given = values != ""
    rows = np.flatnonzero(rest)[given]
    keys[rows] = [prefix + v for v in values[given]]
    rest[rows] = False


def _phone_digits(phone: pd.Series) -> pd.Series:
    """The digits of phone cells ('' where missing), a number read as 1381234.0 without its .0.

    Phones hardly repeat and nearly all are text of digits only: those are their own digits
    (told apart with C-level maps, a Python call per cell costs more than the work), the other
    text goes through a plain loop, and only numbers and odd cells through pandas' conversion.
    """
    cells = phone.to_numpy(dtype=object)
    out = np.full(len(cells), "", dtype=object)  # missing of any kind reads as ''
    text = np.equal(np.fromiter(map(type, cells), dtype=object, count=len(cells)), str)
    texts = cells[text]
    digits_only = np.fromiter(map(str.isdecimal, texts), dtype=bool, count=len(texts))
    texts[~digits_only] = [_text_digits(v) for v in texts[~digits_only]]
    out[text] = texts
    odd = ~text & ~pd.isna(cells)
    if odd.any():
        out[odd] = _plain_text(phone[odd]).map(_text_digits).to_numpy(dtype=object)
    return pd.Series(out, index=phone.index, dtype=object)


_NOT_DIGIT = re.compile(r"\D")


def _text_digits(text: str) -> str:
    """The digits of a phone written as text: trimmed, a trailing '.0' dropped, then digits only.

    The usual separators go first with plain replaces, so the pattern runs only on what is left.
    """
    text = text.strip()
    if text.endswith(".0"):
        text = text[:-2]
    text = text.replace(" ", "").replace("-", "").replace("+", "")
    return text if text.isdecimal() else _NOT_DIGIT.sub("", text)


def _per_distinct(values: pd.Series, transform: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """A cell-by-cell ``transform`` of a column, computed over its distinct values only (a missing
    cell is transformed as None): customers complain more than once."""
    codes, distinct = distinct_values(values)
    answers = transform(pd.Series([*distinct, None], dtype=object)).to_numpy(dtype=object)
    return pd.Series(answers[codes], index=values.index, dtype=object)  # code -1: the last


def _plain_text(values: pd.Series) -> pd.Series:
    """Trimmed text as Python strings, '' where missing (object dtype: quick string ops)."""
    return values.astype(object).where(values.notna(), "").astype(str).str.strip()


def repeat_customers(cases: pd.DataFrame, month: pd.Period) -> pd.DataFrame:
    """Customers behind the month's repeat complaints, most complaints first.

    Columns: customer_name, phone, email (as on their latest case), in_month (their complaints
    received in the month), total (on record), case_nos (the month's case numbers), categories.
    """
    return _repeat_customers(cases, month, column_days(cases, "received_at"),
                             filled(_column(cases, "repeat_of")))


def _repeat_customers(cases: pd.DataFrame, month: pd.Period, received: np.ndarray,
                      repeat: np.ndarray) -> pd.DataFrame:
    """``repeat_customers`` with the received days and the repeat mask already at hand."""
    columns = ["customer_name", "phone", "email", "in_month", "total", "case_nos", "categories"]
    first, last = month_bounds(month)
    in_month = ~np.isnat(received) & (received >= first) & (received <= last)
    keys = customer_keys(cases)
    behind = set(keys[in_month & repeat].dropna())
    if not behind:
        return pd.DataFrame(columns=columns).rename_axis("customer")
    mine = keys.isin(behind).to_numpy()
    # A narrow frame of the few rows concerned, walked as plain records.
    frame = pd.DataFrame({key: _column(cases, key)[mine] for key in
                          ("case_no", "customer_name", "phone", "email", "category")})
    frame = frame.assign(_key=keys[mine], _in=in_month[mine], _day=received[mine])
    groups: dict[str, list[dict]] = {}
    for record in frame.sort_values("_day", kind="stable").to_dict("records"):
        groups.setdefault(record["_key"], []).append(record)
    rows = []
    for key, records in groups.items():
        latest, month_rows = records[-1], [r for r in records if r["_in"]]
        rows.append({"customer": key, "customer_name": latest["customer_name"],
                     "phone": latest["phone"], "email": latest["email"],
                     "in_month": len(month_rows), "total": len(records),
                     "case_nos": _texts([r["case_no"] for r in month_rows]),
                     "categories": sorted(set(_texts([r["category"] for r in month_rows])))})
    table = pd.DataFrame(rows, columns=["customer", *columns]).set_index("customer")
    return table.sort_values(["in_month", "total"], ascending=False, kind="stable")


def _texts(values: list) -> list[str]:
    """The filled values of a few rows as text (a plain loop: the rows are few)."""
    return [str(v).strip() for v in values if not pd.isna(v) and str(v).strip()]
