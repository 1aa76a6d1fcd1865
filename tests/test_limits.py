"""Text longer than an Excel cell holds is found among any values a door may read."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from addin.core.limits import CELL_TEXT, _long_texts, fitting_rows, long_text_findings
from addin.core.register import Register


class Text(str):
    """A text subclass (numpy's str_ and others are such)."""


class Sized:
    """A value that says it has a length, which no cell should be taken for text for."""

    def __len__(self) -> int:
        return CELL_TEXT + 5


LONG = "x" * (CELL_TEXT + 1)
VALUES = [None, np.nan, pd.NaT, 3, 2.5, True, dt.datetime(2026, 1, 1), "short", "y" * CELL_TEXT,
          LONG, Text(LONG), np.str_(LONG), b"z" * (CELL_TEXT + 1), [1] * (CELL_TEXT + 1),
          Sized(), pd.Timestamp("2026-01-01"), "中" * (CELL_TEXT + 1)]


def test_long_texts_are_the_texts_past_the_limit_whatever_else_the_cells_hold():
    values = np.array(VALUES, dtype=object)
    assert _long_texts(values) == [9, 10, 11, 16]
    assert _long_texts(np.array([], dtype=object)) == []


def test_a_column_without_text_is_passed_by_its_types_and_one_long_text_among_them_is_found():
    dates = [dt.datetime(2026, 1, 1), None, dt.date(2026, 1, 2), 4, 2.5, True, pd.Timestamp(0)]
    assert _long_texts(np.array(dates * 3, dtype=object)) == []
    assert _long_texts(np.array(dates + [LONG] + dates, dtype=object)) == [len(dates)]
    assert _long_texts(np.array(dates + [Text(LONG)], dtype=object)) == [len(dates)]


def test_every_long_text_of_the_register_is_a_finding_and_a_case_is_left_out():
    register = Register.from_values("Complaints", 1, 1, ["Complaint", "Status"],
                                    [[v, "New"] for v in VALUES])
    found = long_text_findings(register)
    assert [f.cell for f in found] == [f"Complaints!A{row}" for row in (11, 12, 13, 18)]
    frame = pd.DataFrame({"case_no": VALUES, "status": "New"})
    assert fitting_rows(frame, ("case_no",)).index.tolist() == [
        i for i in range(len(VALUES)) if i not in (9, 10, 11, 16)]
