"""Any cell values give findings, never an exception: the core's date reading, validation, case
numbers and classification, fed by hypothesis. Example counts stay small for a 2-core machine."""

from __future__ import annotations

import datetime as dt
import warnings

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from addin.core.casenumbers import assign_case_numbers, check_case_format
from addin.core.dates import read_dates
from addin.core.findings import CATALOGUE
from addin.core.pipeline import process
from addin.core.register import Grid, Register

TODAY = dt.date(2026, 3, 20)
PROFILE = settings(max_examples=100, deadline=None,
                   suppress_health_check=[HealthCheck.too_slow])
HEADERS = ["Case No", "Received", "Channel", "Customer", "Phone", "Email", "Complaint",
           "Category", "Severity", "Status", "Resolved", "Satisfaction"]

cell = st.one_of(
    st.none(), st.text(max_size=40), st.integers(-10**12, 10**12),
    st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
    st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)),
    st.dates(), st.sampled_from(["#N/A", "=1/0", "2026-02-30", "31/12/2026", "１２３", "\x00",
                                 "New", "Closed", "新建", "Phone", "{seq}", "0" * 400,
                                 "我要退款", "a" * 30 + "!"]),
)
rows = st.lists(st.lists(cell, min_size=len(HEADERS), max_size=len(HEADERS)), max_size=8)
# Formats built from the pieces staff write, widths from one digit to far past any cell, and
# free text around them: random characters alone almost never make a "{seq:N}".
format_pieces = st.one_of(
    st.sampled_from(["{seq}", "{yyyy}", "{yy}", "{mm}", "{dd}", "TS-", "-", "{", "}", ":"]),
    st.integers(0, 10**9).map(lambda width: f"{{seq:{width}}}"),
    st.text(alphabet="{}:0123456789seqyymd-TS ", max_size=12),
)
formats = st.lists(format_pieces, max_size=6).map("".join)
# A rule with a category the Lists do not know is refused before its pattern is ever searched.
categories = st.one_of(st.text(max_size=20),
                       st.sampled_from(["Price", "Billing", "Delivery", "Product quality"]))
# Patterns staff write: text of any kind, and the forms that once warned, hung or failed to
# compile (a group, alternatives that backtrack, an unclosed set, a huge repeat).
patterns = st.one_of(st.text(max_size=20), st.sampled_from(
    ["(退款|退货)", "(a|a)+$", r"(\w|\d)+$", "[", "(?P<x>a)", "a{1000000}", "(?i)late"]))


@PROFILE
@given(st.lists(cell, max_size=20), st.sampled_from(["YMD", "DMY", "MDY"]))
def test_reading_dates_never_raises(values, order):
    dates, bad, empty = read_dates(pd.Series(values, dtype=object), order)
    assert len(dates) == len(bad) == len(empty) == len(values)


@PROFILE
@given(rows, st.lists(st.tuples(st.text(max_size=20), cell), max_size=6))
def test_any_register_and_settings_give_findings_not_exceptions(body, setting_rows):
    register = Register.from_values("Complaints", 1, 1, HEADERS, body, lang="en")
    settings_grid = Grid("Settings", [["Setting", "Value"], *map(list, setting_rows)], 1, 1)
    outcome = process(register, {"settings": settings_grid}, TODAY, {})
    assert all(f.code in CATALOGUE for f in outcome.findings)
    assert outcome.summary.rows == len(body)


@PROFILE
@given(formats, st.lists(st.one_of(st.none(), st.text(max_size=12)), min_size=1, max_size=6))
def test_case_numbers_from_any_format_are_bounded_or_refused(case_format, current):
    try:
        check_case_format(case_format)
    except ValueError as err:
        assert len(err.args) == 2  # English and Chinese
    index = pd.RangeIndex(2, 2 + len(current))
    received = pd.Series(pd.Timestamp("2026-03-01"), index=index)
    numbers, counters = assign_case_numbers(pd.Series(current, index=index, dtype=object),
                                            received, pd.Series(True, index=index),
                                            case_format, {})
    assert all(len(str(n)) <= 60 for n in numbers if isinstance(n, str))  # MAX_NUMBER_LENGTH
    assert all(isinstance(v, int) for v in counters.values())


@PROFILE
@given(st.lists(st.tuples(patterns, st.sampled_from(["contains", "regex", "word"]),
                          categories), max_size=5), rows)
def test_any_rules_sheet_gives_findings_not_exceptions_nor_warnings(rules, body):
    grid = Grid("Rules", [["Rule id", "Enabled", "Fields", "Match", "Pattern", "Category"],
                          *[[f"R{i}", "Yes", "Complaint", kind, pattern, category]
                            for i, (pattern, kind, category) in enumerate(rules, 1)]], 1, 1)
    register = Register.from_values("Complaints", 1, 1, HEADERS, body, lang="en")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning printed on every run is a fault too
        outcome = process(register, {"rules": grid}, TODAY, {})
    assert all(f.code in CATALOGUE for f in outcome.findings)
