"""Values as a cell receives them (cell_value) and as Excel hands them over (block_from_values),
over every kind of value the doors meet."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from addin.core.cells import distinct_values
from addin.layout.blocks import block_from_values, excel_column_distinct, excel_value
from addin.layout.cells import cell_value, sheet_text, sheet_texts

NOON = dt.datetime(2026, 3, 2, 12, 0)


class Text(str):
    """A text subclass (numpy's str_ is one)."""


def test_cell_value_gives_plain_python_values_and_none_for_what_is_missing():
    cases = [
        (None, None), ("", ""), ("x", "x"), (Text("y"), Text("y")), (3, 3), (True, True),
        (1.5, 1.5), (2.0, 2.0), (math.nan, None), (math.inf, math.inf),
        (np.float64(math.nan), None), (np.float64(2.5), 2.5), (np.int64(7), 7),
        (np.bool_(True), True), (pd.NA, None), (pd.NaT, None), (np.datetime64("NaT"), None),
        (pd.Timestamp("2026-03-02 12:00"), NOON), (np.datetime64("2026-03-02T12:00"), NOON),
        (NOON, NOON), (NOON.replace(tzinfo=dt.UTC), NOON),
        (dt.date(2026, 3, 2), dt.date(2026, 3, 2)), (dt.time(9, 30), dt.time(9, 30)),
    ]
    for value, expected in cases:
        got = cell_value(value)
        assert got == expected and type(got) is type(expected), (value, got)
    assert type(cell_value(np.int64(7))) is int and type(cell_value(np.float64(2.5))) is float


def test_a_block_reads_whole_numbers_as_int_and_empty_text_as_no_value():
    row = [None, "", " ", "x", Text(""), 3.0, 3.5, -0.0, math.nan, math.inf, 4, True, NOON,
           np.float64(6.0), np.str_("")]
    block = block_from_values("Sheet", [row, row], 2, 3)
    expected = [excel_value(v) for v in row]
    assert expected[:8] == [None, None, " ", "x", None, 3, 3.5, 0]
    for got in block.rows:
        assert len(got) == len(row)
        for a, b in zip(got, expected, strict=True):
            assert (a is b or a == b or (a != a and b != b)) and type(a) is type(b)
    assert type(block.rows[0][5]) is int and type(block.rows[0][13]) is int


@pytest.mark.filterwarnings("ignore:Discarding nonzero nanoseconds")
def test_the_state_rows_hold_each_value_as_a_cell_receives_it():
    """Column by column (a column of deadlines at once) as value by value with ``_cell``."""
    from addin.core.caselog import STATE_COLUMNS
    from addin.layout.caselog import _cell, state_rows

    def frame(deadlines: list[object]) -> pd.DataFrame:
        count = len(deadlines)
        data = {key: [f"{key} {i}" if i % 3 else None for i in range(count)]
                for key in STATE_COLUMNS}
        data["ack_due"] = deadlines
        data["due_at"] = pd.Series(pd.to_datetime(["2026-03-02 17:00", None] * (count // 2)))
        data["reopenings"] = np.arange(count, dtype=np.int64)
        data["escalation"] = [np.int64(4), 2.5, math.nan, "x"] * (count // 4)
        return pd.DataFrame(data)

    noon = pd.Timestamp("2026-03-02 12:00")
    cases = [[noon, None, noon, pd.Timestamp("2026-03-05")],
             [noon, noon.tz_localize("Asia/Shanghai"), None, noon],
             [noon, pd.Timestamp("2026-03-02 12:00:00.000000001"), None, noon],
             [NOON, dt.date(2026, 3, 2), None, "text"], [None] * 4]
    for deadlines in cases:
        state = frame(deadlines)
        rows = state_rows(state)
        body = state[list(STATE_COLUMNS)].astype(object)
        expected = [tuple(_cell(v) for v in row) for row in body.itertuples(index=False)]
        assert rows[0] == STATE_COLUMNS and len(rows) == len(expected) + 1
        for got, want in zip(rows[1:], expected, strict=True):
            assert [type(v) for v in got] == [type(v) for v in want]
            assert all(a == b or (a != a and b != b) for a, b in zip(got, want, strict=True))


@pytest.mark.parametrize("values", [
    [1.0, 1, True, "", 1.0, None, "1", 2.5, 1, math.nan, ""],  # 1.0 becomes 1, beside a 1
    ["", "", None], [], [3.0, 3.0, "", "x", 3.0], [dt.date(2026, 3, 1), "", dt.date(2026, 3, 1)],
    ["a", Text(""), "", "b", Text("a"), "a"], [np.float64(2.0), 2, "", np.float64(2.5)],
    ["x", "y", "x"], [NOON, "", NOON, None],
])
def test_a_column_converted_through_its_distinct_values_is_as_converted_cell_by_cell(values):
    """``excel_column_distinct`` gives each cell's ``excel_value`` and, for the core, what
    ``distinct_values`` of those cells gives: codes, and values of the same types."""
    given = np.array(values + [None], dtype=object)[:-1]
    cells, codes, distinct = excel_column_distinct(given)
    # Converted in place, the same; the given column is left as it was unless asked.
    assert [(type(v), v) for v in given] == [(type(v), v) for v in values]
    in_place = excel_column_distinct(given.copy(), in_place=True)
    assert in_place[1].tolist() == codes.tolist() and in_place[2] == distinct
    assert [type(v) for v in in_place[0]] == [type(v) for v in cells]
    expected = [excel_value(v) for v in values]
    assert [type(v) for v in cells] == [type(v) for v in expected]
    assert all(a == b or a != a and b != b for a, b in zip(cells, expected, strict=True))
    want_codes, want_distinct = distinct_values(pd.Series(cells, dtype=object))
    assert codes.tolist() == want_codes.tolist()
    assert [(type(v), v) for v in distinct] == [(type(v), v) for v in want_distinct]


def test_the_live_door_pads_rows_shorter_than_the_header_with_empty_cells():
    """Rows that all stop before the header's last column (another caller's) read as empty
    there, None as every door reads an empty cell, not pandas' NaN for a missing column."""
    from addin.layout.register import Found
    from addin.xl.read import register_at

    values = [["Received", "Complaint", "Status", "Category"], [NOON, "x"], [NOON, "y", "New"]]
    register = register_at("Complaints", values, 1, 1, Found("Complaints", 1, 1, 4, 4))
    assert list(register.rows.columns) == [0, 1, 2, 3]
    assert register.rows[3].tolist() == [None, None]
    assert register.rows[2].tolist() == [None, "New"]


def test_the_live_door_hands_the_core_the_distinct_values_of_the_columns_it_converts():
    """``register_at`` (the live door's reader) converts the card fields but dates through
    their distinct values and hands those over: what the core would find, for every column."""
    from addin.layout.register import Found
    from addin.xl.read import register_at

    headers = ["Case No", "Received", "Channel", "Satisfaction", "Phone", "Notes", "Extra"]
    rows = [["TS-1", NOON, "Phone", 5.0, 13800138000.0, "", 1.0],
            ["", NOON, "", 4.0, "13800138000", "x", ""],
            ["TS-3", "", "Phone", True, 13800138000.0, None, 2.5]]  # a short row is padded
    values = [headers] + rows + [["TS-4", NOON, "Email"]]
    register = register_at("Complaints", values, 1, 1, Found("Complaints", 1, 1, 7, 6))
    assert [[type(v) for v in row] for row in register.rows.itertuples(index=False)] == \
        [[type(excel_value(v)) for v in row + [None] * (7 - len(row))] for row in values[1:]]
    handed = [j for j in range(7) if register.known_distinct(j) is not None]
    assert [register.headers[j] for j in handed] == ["Case No", "Channel", "Satisfaction",
                                                     "Phone", "Notes"]
    for j in handed:
        codes, distinct = register.known_distinct(j)
        want_codes, want = distinct_values(register.rows[j])
        assert codes.tolist() == want_codes.tolist()
        assert [(type(v), v) for v in distinct] == [(type(v), v) for v in want]


# Text with control characters (which no workbook file can hold), blank and empty text, a text
# subclass, and values that are not text at all.
_SHEET_VALUES = st.one_of(
    st.none(), st.just(""), st.text(alphabet=st.sampled_from("ab 中\x00\x07\t\n\x1f"), max_size=6),
    st.text(max_size=4).map(Text), st.integers(), st.floats(allow_nan=True))


@given(st.lists(_SHEET_VALUES, max_size=8))
def test_sheet_texts_of_a_column_are_each_values_sheet_text(values):
    assert sheet_texts(values) == [sheet_text(v) for v in values]
    assert [type(v) for v in sheet_texts(values)] == [type(sheet_text(v)) for v in values]
