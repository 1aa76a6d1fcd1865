"""The quick paths of the analysis agree with the plain definitions they replace."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from addin.core.analysis import (
    _month_labels,
    _phone_digits,
    clock_verdicts,
    customer_keys,
    final_verdicts,
)


def _digits_by_string_methods(phone: pd.Series) -> list[str]:
    """The definition: trimmed text, a trailing '.0' dropped, then digits only."""
    text = phone.astype(object).where(phone.notna(), "").astype(str).str.strip()
    return text.str.replace(r"\.0$", "", regex=True).str.replace(r"\D", "", regex=True).tolist()


PHONES = [None, np.nan, pd.NaT, 13812345678, 1381234.0, "13812345678", " 138-1234-5678 ",
          "+86 138 1234 5678", "(010) 1234.0", "12.0.0", "１２３４５", "see notes", "", "  ",
          "1.05", np.str_("139 1234 5678")]


def test_phone_digits_follow_the_definition():
    phone = pd.Series(PHONES, index=range(3, 3 + len(PHONES)), dtype=object)
    digits = _phone_digits(phone)
    assert digits.tolist() == _digits_by_string_methods(phone)
    assert all(type(d) is str for d in digits)
    assert digits.index.equals(phone.index)


def test_customer_keys_by_phone_then_email_then_name():
    cases = pd.DataFrame({
        "phone": ["138 1234 5678", "123", None, None, None],
        "email": ["a@b.c", " X@Y.Z ", None, "", None],
        "customer_name": ["甲", "乙", "Ｚｈａｎｇ San", None, "  "],
    }, index=range(10, 15))
    keys = customer_keys(cases)
    assert keys.tolist() == ["tel:13812345678", "mail:x@y.z", "name:zhangsan", None, None]
    assert keys.index.equals(cases.index) and keys.dtype == object


@pytest.mark.parametrize("as_of", ["2026-03-01", "2026-03-05", "2026-03-06", "2026-03-31"])
def test_final_verdicts_give_every_day_verdicts(as_of):
    day = np.datetime64(as_of, "D")
    done = np.array(["2026-03-04", "2026-03-07", "NaT", "NaT", "2026-03-02", "2026-03-05"],
                    dtype="datetime64[D]")
    deadline = np.array(["2026-03-05", "2026-03-05", "2026-03-05", "NaT", "NaT", "2026-03-05"],
                        dtype="datetime64[D]")
    on_time, late, _ = clock_verdicts(done, deadline, day)
    final, when = final_verdicts(done, deadline)
    known_by_then = when <= day
    assert (on_time == (final & known_by_then)).all()
    assert (late == (~final & known_by_then)).all()


def test_month_labels_read_as_astype_str():
    months = np.array(["2026-03", "1999-12", "2026-03", "NaT"], dtype="datetime64[M]")
    labels = _month_labels(months)
    assert labels.dtype == months.astype(str).dtype
    assert labels.tolist() == months.astype(str).tolist()
