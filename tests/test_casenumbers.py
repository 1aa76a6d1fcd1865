"""Case numbers: rendered from the format, continued after the highest ever issued, never reused."""

from __future__ import annotations

import pandas as pd
import pytest

from addin.core.casenumbers import assign_case_numbers, duplicate_case_numbers
from addin.core.register import Register

FORMAT = "TS-{yyyy}{mm}-{seq:4}"


def column(values, first_row=2):
    """A register column: index = the Excel row numbers below a header in row 1."""
    return pd.Series(list(values), index=range(first_row, first_row + len(values)), dtype=object)


def received(*texts, first_row=2):
    return pd.Series(pd.to_datetime(list(texts)), index=range(first_row, first_row + len(texts)))


def everyone(n, first_row=2):
    return pd.Series([True] * n, index=range(first_row, first_row + n))


def number(current, when, case_format=FORMAT, counters=None, eligible=None):
    current = column(current)
    eligible = everyone(len(current)) if eligible is None else column(eligible).astype(bool)
    return assign_case_numbers(current, received(*when), eligible, case_format,
                               dict(counters or {}))


@pytest.mark.parametrize(("case_format", "when", "expected", "period"), [
    ("TS-{yyyy}{mm}-{seq:4}", "2026-11-05 09:30", "TS-202611-0001", "202611"),
    ("TS-{yyyy}{mm}-{seq:04d}", "2026-11-05", "TS-202611-0001", "202611"),
    ("KS{yy}-{seq:5}", "2026-03-01", "KS26-00001", "26"),
    ("{yyyy}/{mm}/{dd}#{seq}", "2026-01-09", "2026/01/09#1", "20260109"),
    ("CASE-{seq:3}", "2026-01-09", "CASE-001", ""),
    ("投诉{yyyy}年{mm}月第{seq:3}号", "2026-12-31", "投诉2026年12月第001号", "202612"),
])
def test_format_parts_render_and_name_the_period(case_format, when, expected, period):
    numbers, counters = number([None], [when], case_format)
    assert numbers.tolist() == [expected]
    assert counters == {period: 1}


def test_numbers_follow_received_time_within_a_period_then_row_order():
    numbers, counters = number(
        [None, None, None, None, None],
        ["2026-11-20", "2026-11-03", "2026-12-01", "2026-11-03", "2026-10-31"])
    assert numbers.tolist() == ["TS-202611-0003", "TS-202611-0001", "TS-202612-0001",
                                "TS-202611-0002", "TS-202610-0001"]
    assert counters == {"202610": 1, "202611": 3, "202612": 1}


@pytest.mark.parametrize(("existing", "counters", "expected_new", "expected_counter"), [
    # Continues after the highest number in the sheet of that period…
    (["TS-202611-0007", "TS-202611-0003"], {}, "TS-202611-0008", 8),
    # …read back whatever the case, spacing, full-width digits or numbers past the width…
    ([" ts-202611-0041 ", "TS-202611-0003"], {}, "TS-202611-0042", 42),
    (["ＴＳ-２０２６１１-００１２"], {}, "TS-202611-0013", 13),
    (["TS-202611-12345"], {}, "TS-202611-12346", 12346),
    # …ignoring other periods and values that do not fit the format…
    (["TS-202610-0099", "legacy 77", "TS-2026-11-0050"], {}, "TS-202611-0001", 1),
    # …and after the counter when the row with the highest number was deleted.
    (["TS-202611-0003"], {"202611": 9}, "TS-202611-0010", 10),
    # A cell of two lines is no case number, nor is either line read as one.
    (["TS-202611-0040\nTS-202611-0041", "TS-202611-0007"], {}, "TS-202611-0008", 8),
    (["x\nTS-202611-0040", "TS-202611-0041\ny", "TS-202611-0002"], {}, "TS-202611-0003", 3),
])
def test_sequence_continues_after_the_highest_number_ever_issued(existing, counters,
                                                                 expected_new, expected_counter):
    current = [*existing, None]
    when = ["2026-11-01"] * len(current)
    numbers, new_counters = number(current, when, counters=counters)
    assert numbers.iloc[-1] == expected_new
    assert new_counters["202611"] == expected_counter


def test_a_format_of_only_a_sequence_reads_back_the_highest():
    numbers, counters = number(["0007", "0012", "0003\n0019", None], ["2026-11-01"] * 4,
                               case_format="{seq:4}")
    assert numbers.iloc[-1] == "0013" and counters == {"": 13}


def test_existing_values_stay_exactly_as_they_were():
    odd = ["TS-202611-0002", "  legacy 77", 1001, 1001.0, "TS-202611-0001"]
    numbers, _ = number([*odd, None], ["2026-11-01"] * 6)
    assert numbers.tolist()[:5] == odd
    assert [type(v) for v in numbers.tolist()[:5]] == [str, str, int, float, str]
    assert numbers.iloc[5] == "TS-202611-0003"


def test_counters_remember_the_highest_number_found_so_a_deleted_row_is_not_reused():
    _, counters = number(["TS-202611-0005", "TS-202611-0009"], ["2026-11-01", "2026-11-02"])
    assert counters == {"202611": 9}
    # The row holding 0009 is deleted; the next complaint still gets 0010.
    numbers, _ = number(["TS-202611-0005", None], ["2026-11-01", "2026-11-30"],
                        counters=counters)
    assert numbers.tolist() == ["TS-202611-0005", "TS-202611-0010"]


@pytest.mark.parametrize(("eligible", "when", "expected"), [
    ([True, False, True], ["2026-11-01"] * 3, ["TS-202611-0001", None, "TS-202611-0002"]),
    # No received date: the period is unknown, so no number yet.
    ([True, True], ["2026-11-01", None], ["TS-202611-0001", None]),
])
def test_only_eligible_rows_with_an_empty_number_get_one(eligible, when, expected):
    numbers, _ = number([None] * len(eligible), when, eligible=eligible)
    assert numbers.tolist() == expected


def test_blank_text_counts_as_empty():
    numbers, _ = number(["", "   ", None], ["2026-11-01"] * 3)
    assert numbers.tolist() == ["TS-202611-0001", "TS-202611-0002", "TS-202611-0003"]


def test_a_format_without_date_parts_numbers_rows_without_a_date():
    numbers, counters = number([None, None], ["2026-11-01", None], case_format="C-{seq:3}")
    assert numbers.tolist() == ["C-001", "C-002"]
    assert counters == {"": 2}


def test_second_run_over_its_own_output_assigns_nothing_and_keeps_the_counters():
    when = ["2026-11-05", "2026-11-01", "2026-12-24", "2026-11-03"]
    first, counters = number([None, "TS-202611-0004", None, None], when, counters={"202612": 6})
    second, again = number(first.tolist(), when, counters=counters)
    assert second.tolist() == first.tolist()
    assert again == counters == {"202611": 6, "202612": 7}


def test_sorting_the_rows_does_not_change_which_complaint_gets_which_number():
    names = ["Li", "Wang", "Zhao", "Chen"]
    when = ["2026-11-05 10:00", "2026-11-01 09:00", "2026-11-03 16:30", "2026-11-02 11:15"]
    first, _ = number([None] * 4, when)
    by_name = dict(zip(names, first, strict=True))
    order = [2, 0, 3, 1]  # the sheet sorted another way before the first run
    shuffled, _ = number([None] * 4, [when[i] for i in order])
    assert dict(zip([names[i] for i in order], shuffled, strict=True)) == by_name
    # Sorted after numbering: nothing is renumbered.
    resorted, _ = number([first.iloc[i] for i in order], [when[i] for i in order])
    assert resorted.tolist() == [first.iloc[i] for i in order]


@pytest.mark.parametrize("case_format", ["TS-{yyyy}", "TS-{sequence}"])
def test_a_format_without_a_sequence_falls_back_to_the_default(case_format):
    numbers, _ = number([None, None], ["2026-11-01", "2026-11-02"], case_format=case_format)
    assert numbers.tolist() == ["TS-202611-0001", "TS-202611-0002"]


def test_the_given_counters_are_not_changed_in_place():
    counters = {"202611": 2}
    number([None], ["2026-11-01"], counters=counters)
    assert counters == {"202611": 2}


def test_fifty_thousand_rows_get_distinct_numbers_month_by_month():
    n = 50_000
    current = column([None] * n)
    when = pd.Series(pd.date_range("2024-01-01", periods=n, freq="17min"), index=current.index)
    numbers, counters = assign_case_numbers(current, when, everyone(n), FORMAT, {})
    assert numbers.is_unique and numbers.notna().all()
    assert sum(counters.values()) == n
    assert numbers.iloc[0] == "TS-202401-0001"
    assert numbers.iloc[-1] == f"TS-202508-{counters['202508']:04d}"


# --- duplicates ------------------------------------------------------------------------------


@pytest.fixture
def register_with_case_numbers():
    def build(case_numbers):
        headers = ["Customer", "Case No"]
        rows = [[f"customer {i}", value] for i, value in enumerate(case_numbers)]
        return Register.from_values("Complaints", 1, 1, headers, rows)
    return build


def test_every_repeat_after_the_first_is_a_finding_pointing_at_its_cell(
        register_with_case_numbers):
    register = register_with_case_numbers(
        ["TS-202611-0001", "TS-202611-0002", " ts-202611-0001", None, "", "TS-202611-0001"])
    findings = duplicate_case_numbers(register.col("case_no"), register)
    assert [(f.code, f.cell, f.row, f.value, dict(f.params)["other_row"]) for f in findings] == [
        ("duplicate-case-no", "Complaints!B4", 4, "ts-202611-0001", 2),
        ("duplicate-case-no", "Complaints!B7", 7, "TS-202611-0001", 2),
    ]
    assert findings[0].message("en") == "Case number ts-202611-0001 is also used in row 2."
    assert findings[0].message("zh-CN") == "案件编号 ts-202611-0001 在第 2 行也被使用。"


def test_empty_and_distinct_numbers_are_not_duplicates(register_with_case_numbers):
    register = register_with_case_numbers([None, "", "  ", "A-1", "A-2", 3, 3.5])
    assert duplicate_case_numbers(register.col("case_no"), register) == []


def test_a_number_typed_as_a_number_repeats_the_same_number_as_text(register_with_case_numbers):
    register = register_with_case_numbers([1001, "1001"])
    [item] = duplicate_case_numbers(register.col("case_no"), register)
    assert (item.cell, item.value, dict(item.params)["other_row"]) == ("Complaints!B3", "1001", 2)
