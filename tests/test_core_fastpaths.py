"""The core's quick ways through large registers give what the plain ways give.

Each test runs a fast path and a plain reference (the straightforward code it replaced, kept here)
over values chosen to trip it: missing values of every kind, blank text, numbers equal across
types (1, 1.0, True), time zones, extensions in phone numbers, NUL characters, repeated rows.
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
import unicodedata

import numpy as np
import pandas as pd
import pytest

from addin.core import (
    analysis,
    casenumbers,
    cells,
    classify,
    dates,
    findings,
    pipeline,
    risk,
    stages,
    validate,
)
from addin.core import register as register_module
from addin.core.cells import distinct_values, is_empty, map_distinct
from addin.core.register import Register
from addin.core.settings import load_config
from addin.demo_data import demo_rows
from reports.read import _cell, _last_filled_row

TZ = dt.timezone(dt.timedelta(hours=8))

# Every kind of value a cell may hold, missing ones included.
ODD_VALUES = [
    None, float("nan"), np.float64("nan"), pd.NaT, pd.NA, np.datetime64("NaT"),
    decimal.Decimal("NaN"), "", "  ", "\u3000", "\x1c", "\t\n", "a", " a ", "1", "1.0", "True",
    np.str_(""), np.str_(" x "), 0, 1, 1.0, -0.0, 0.0, True, False, np.int64(1), np.float32(2.5),
    decimal.Decimal("1.0"), dt.datetime(2026, 3, 18, 9, 30), dt.date(2026, 3, 18),
    pd.Timestamp("2026-03-18 09:30"), dt.datetime(2026, 3, 18, 9, 30, tzinfo=TZ),
    np.datetime64("2026-03-18T09:30"), dt.time(9, 30), [1, 2], "电话", "１３８",
]


def column(values: list) -> pd.Series:
    series = pd.Series(np.empty(len(values), dtype=object), index=range(5, 5 + len(values)))
    series[:] = np.array(values + [None], dtype=object)[:-1]  # lists stay single cells
    return series


def repeated(values: list, times: int = 3) -> pd.Series:
    """The values several times over, shuffled the same way each run."""
    cells = [v for _ in range(times) for v in values]
    order = np.random.default_rng(7).permutation(len(cells))
    return column([cells[i] for i in order])


# ----------------------------------------------------------------------------- cells


def reference_is_empty(values: pd.Series) -> pd.Series:
    cells = values.to_numpy(dtype=object)
    empty = pd.isna(cells)
    filled = np.flatnonzero(~empty)
    empty[filled] = [isinstance(v, str) and not v.strip() for v in cells[filled]]
    return pd.Series(empty, index=values.index, dtype=bool)


def reference_map_distinct(values: pd.Series, fn) -> pd.Series:
    out = np.full(len(values), None, dtype=object)
    present = values.notna().to_numpy()
    cells = values.to_numpy(dtype=object)[present]
    keys = np.fromiter((v if type(v) is str else (type(v), v) for v in cells), dtype=object,
                       count=len(cells))
    codes, distinct = pd.factorize(keys)
    answers = np.fromiter((fn(k if type(k) is str else k[1]) for k in distinct), dtype=object,
                          count=len(distinct))
    out[present] = answers[codes]
    out[pd.isna(out)] = None
    return pd.Series(out, index=values.index, dtype=object)


def shown(value: object) -> object:
    """A function of a value that tells 1, 1.0 and True apart (text subclasses count as text)."""
    if isinstance(value, str):
        return f"text:{value}"
    if isinstance(value, float) and value != value:
        return value  # NaN: missing, as an answer
    return f"{type(value).__name__}:{value!r}"


def test_is_empty_agrees_with_pd_isna_and_blank_text():
    values = repeated(ODD_VALUES)
    assert is_empty(values).tolist() == reference_is_empty(values).tolist()


@pytest.mark.parametrize("values", [
    repeated([v for v in ODD_VALUES if not isinstance(v, list)]),
    column([f"cause {i} " for i in range(3000)] + [None, "", " "]),  # text that hardly repeats
], ids=["odd", "distinct"])
def test_group_labels_are_trimmed_text_or_not_set(values):
    from addin.core.pivots import NOT_SET, _groups
    text = map_distinct(values.astype(object), lambda v: str(v).strip())
    plain = text.where(text.notna() & (text != ""), NOT_SET).astype(object)
    assert _groups(values).tolist() == plain.tolist()


def test_is_empty_of_a_column_of_text_and_none():
    # The usual column a reader hands over takes its own quick way.
    values = repeated([v for v in ODD_VALUES if type(v) is str or v is None])
    assert set(map(type, values)) == {str, type(None)}
    assert is_empty(values).tolist() == reference_is_empty(values).tolist()


@pytest.mark.parametrize("values", [
    pd.Series([1.0, np.nan, 3.0]), pd.Series(pd.to_datetime(["2026-01-01", None])),
    pd.Series([True, False]), pd.Series(["a", None, " "], dtype="str"),
])
def test_is_empty_of_typed_columns(values):
    assert is_empty(values).tolist() == reference_is_empty(values).tolist()


@pytest.mark.parametrize("values", [
    repeated([v for v in ODD_VALUES if not isinstance(v, list)]),
    repeated(["a", "b", None, " a", "电话"], 50),  # text that repeats
    column([f"1381234{i:04d}" for i in range(3000)] + [None] * 10),  # text that hardly does
    column([1, 1.0, True, "1", None, 1, True, 1.0]),
    pd.Series([1.0, np.nan, 2.0, 1.0]),
])
def test_map_distinct_agrees_with_mapping_each_typed_value(values):
    assert map_distinct(values, shown).tolist() == reference_map_distinct(values, shown).tolist()


def test_distinct_values_numbers_rows_by_distinct_value():
    values = repeated([v for v in ODD_VALUES if not isinstance(v, list)])
    codes, distinct = distinct_values(values)
    cells = values.to_numpy(dtype=object)
    assert (codes < 0).tolist() == pd.isna(cells).tolist()
    for cell, code in zip(cells, codes, strict=True):
        if code >= 0:
            assert type(distinct[code]) is type(cell) and distinct[code] == cell


@pytest.mark.parametrize("cells", [
    [1, 2, None, 2, 7], [1, 1.0, True, None], [1.0, float("nan"), 2.0, 1.0],
    ["a", 1, "a", None, 1], ["1", 1, 1.0],
    [dt.datetime(2026, 3, 18), None, dt.datetime(2026, 3, 18)],
    [pd.Timestamp("2026-03-18"), dt.datetime(2026, 3, 18)], [dt.date(2026, 3, 18), "x", None],
    [True, False, None, 1], ["x", np.int64(1), 1],
], ids=str)
def test_distinct_values_of_a_column_of_few_types_keep_types_apart(cells):
    # Columns of one type (or text beside one type) take pandas' factorize as it is; values that
    # are equal across types (1, 1.0, True) must still get numbers of their own.
    values = pd.Series(cells * 3, dtype=object)
    codes, distinct = distinct_values(values)
    assert (codes < 0).tolist() == pd.isna(values.to_numpy(dtype=object)).tolist()
    for cell, code in zip(values, codes, strict=True):
        if code >= 0:
            assert type(distinct[code]) is type(cell) and distinct[code] == cell
    assert len(distinct) == len({(type(c), c) for c in cells if not pd.isna(c)})


# ----------------------------------------------------------------------------- dates


class Note(str):
    """Text of a str subclass, as a library might hand it over."""


def reference_parse(values: pd.Series, order: str = "YMD") -> tuple[pd.Series, pd.Series]:
    """The column read cell kind by cell kind, each kind through its own reader."""
    cells = values.to_numpy(dtype=object)
    kinds = np.full(len(cells), "empty", dtype=object)
    filled = np.flatnonzero(~pd.isna(cells))
    names = {dates._EMPTY: "empty", dates._MOMENT: "moment", dates._SERIAL: "serial",
             dates._TEXT: "text", dates._BAD: "bad"}
    kinds[filled] = [names[dates._kind(v)] for v in cells[filled]]
    kinds = pd.Series(kinds, index=values.index)
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    for kind, read in (("moment", dates._from_zoned_moments), ("serial", dates._from_serials),
                       ("text", lambda part: dates._from_texts(part, order))):
        part = values[kinds == kind]
        if len(part):
            out[part.index] = read(part)
    return out, (kinds == "bad") | ((kinds != "empty") & out.isna())


DATE_CELLS = [
    dt.datetime(2026, 3, 18, 9, 30), dt.date(2026, 3, 19), pd.Timestamp("2026-03-20 10:00"),
    np.datetime64("2026-03-21T11:00"), 45000, 45000.5, 59, 60, 61, 0, -3, 3e7, float("nan"),
    "2026-03-18", "18/03/2026", "03/04/2026", "２０２６年３月１８日", " ", "", "ASAP", None,
    pd.NaT, np.datetime64("NaT"), decimal.Decimal("NaN"), True, np.bool_(False), dt.time(9, 0),
    dt.datetime(9999, 12, 31), dt.datetime(1, 1, 1), [1], decimal.Decimal("45000"),
    Note("2026-03-18"), Note("  "),  # text of a type not looked up by type
]


@pytest.mark.parametrize("cells", [
    DATE_CELLS,
    DATE_CELLS + [dt.datetime(2026, 3, 18, 9, 30, tzinfo=TZ)],  # one zoned among naive
    [dt.datetime(2026, 3, 18, 9, 30, tzinfo=TZ), pd.Timestamp("2026-01-01", tz="UTC"), None],
    [dt.datetime(2026, 3, 18, 9, 30, tzinfo=TZ)] * 3,  # zoned only, one zone
    [dt.datetime(2026, 3, 18, 9, 30), np.datetime64("2026-03-18T09:30:00.123456789")],
    [dt.date(1, 1, 1), dt.datetime(2026, 1, 1)],
])
@pytest.mark.parametrize("order", ["YMD", "DMY"])
def test_dates_read_cell_by_kind_as_the_plain_way(cells, order):
    values = column(cells)
    got, bad, empty = dates.read_dates(values, order)
    want, want_bad = reference_parse(values, order)
    pd.testing.assert_series_equal(got, want)
    assert bad.tolist() == want_bad.tolist()
    assert empty.tolist() == is_empty(values).tolist()


# ----------------------------------------------------------------------------- phones and e-mail

PHONES = ["13812345678", "138 1234 5678", "+86 138-1234-5678", "(0571) 8888-1234",
          "0571-8888 ext 12", "0571-8888 EXT. 12", "0571-8888 x12", "0571 8888 X 9",
          "0571 8888转12", "0571-8888分机 12", "１３８１２３４５６７８", "١٢٣٤٥٦٧٨", "12345x",
          "x", "转", "see notes", "1234567", "123456", "1234567890123456", "12\u00a034567",
          "\u2003138", "138\n", 13812345678.0, 13812345678, True, " ", "", None]


def test_phone_number_is_the_extension_and_punctuation_removed():
    for value in PHONES:
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        text = validate._as_text(value)
        plain = validate._PHONE_PUNCTUATION.sub("", validate._EXTENSION.sub("", text))
        assert validate._phone_number(value) == plain, value
        digits = validate._NOT_DIGIT.sub("", plain) or None
        assert validate._phone_key(plain) == digits, value


def test_scores_and_amounts_are_the_numbers_of_each_cell():
    # Read once per distinct value and spread: the same as converting the column cell by cell.
    odd = [v for v in ODD_VALUES if not isinstance(v, list)] + ["4", " 5 ", "１,２００元", "¥30"]
    cells = validate._Cells(Register.from_values(
        "Complaints", 1, 1, ["Satisfaction", "Compensation"],
        [[v, v] for v in repeated(odd).tolist()]))
    reference = {
        "satisfaction": lambda v: None if isinstance(v, bool) else
        validate._as_text(v) if isinstance(v, str) else v,
        "compensation": lambda v: None if isinstance(v, bool) else validate._as_text(v).replace(
            ",", "").lstrip("¥￥$").removesuffix("元").strip() if isinstance(v, str) else v}
    score, amount = validate._satisfaction_score(cells), validate._amounts(cells)
    for key, got in (("satisfaction", score), ("compensation", amount)):
        plain = pd.to_numeric(cells.map(key, reference[key], blank=""), errors="coerce")
        if key == "satisfaction":
            plain = plain.where(plain.between(1, 5) & plain.eq(plain.round()))
        pd.testing.assert_series_equal(got, plain.astype("float64"), check_names=False)
    assert amount.notna().sum() > 5 and score.notna().sum() > 3


def phone_register(phones: list, emails: list) -> Register:
    rows = [[p, e] for p, e in zip(phones, emails, strict=True)]
    return Register.from_values("Complaints", 1, 1, ["Phone", "Email"], rows)


def test_phone_and_email_checks_agree_with_the_regexes():
    emails = ["a@b.cn", "A@B.CN ", "no-at", "a@b", "x@y.z", None, " ", 7, "ａ@ｂ.ｃｎ"] * 3
    register = phone_register(PHONES[:len(emails)], emails)
    cells = validate._Cells(register)
    empty = {key: cells.empty(key) for key in ("phone", "email")}
    found = {check.code: check.mask.tolist() for check in validate._formats(cells, empty)}
    numbers = cells.map("phone", validate._phone_number)
    texts = cells.text("email")
    assert found["bad-phone"] == [
        not e and not (isinstance(n, str) and validate._PHONE.match(n) is not None)
        for e, n in zip(empty["phone"], numbers, strict=True)]
    assert found["bad-email"] == [
        not e and not (isinstance(t, str) and validate._EMAIL.match(t) is not None)
        for e, t in zip(empty["email"], texts, strict=True)]
    assert cells.empty("phone").tolist() == is_empty(register.col("phone")).tolist()


def test_customer_phone_digits_agree_with_the_string_methods():
    phones = column([*PHONES, "13812345678.0", " 1381234 ", 1381234.0])
    plain = analysis._plain_text(phones).str.replace(r"\.0$", "", regex=True).str.replace(
        r"\D", "", regex=True)
    assert analysis._phone_digits(phones).tolist() == plain.tolist()


# ----------------------------------------------------------------------------- classify

HEADERS = ["Complaint", "Customer request", "Product/Service", "Category", "Department"]


def messy_register() -> Register:
    texts = ["冰箱漏水了", "The fridge caught fire", "refund not received", "客服态度差",
             "a\x00b", "", None, 1, 1.0, True, "  ", "late delivery", "related", "１２３１５热线"]
    rng = np.random.default_rng(3)
    rows = [[texts[rng.integers(len(texts))], texts[rng.integers(len(texts))],
             ["Fridge", None, 5][rng.integers(3)], None, [None, " 售后部 ", 3.0][rng.integers(3)]]
            for _ in range(400)]
    return Register.from_values("Complaints", 1, 1, HEADERS, rows)


@pytest.mark.parametrize("rules", [
    classify.DEFAULT_RULES,
    (classify.Rule("R1", ("description", "product"), "any", ("1", "true", "a b", "b"),
                   {"category": "Other"}),
     classify.Rule("R2", ("description",), "regex", (r"^\d",), {"department": "IT"})),
    (classify.Rule("NUL", ("description", "request"), "any", ("a\x00b",),
                   {"category": "Other"}),),
])
def test_classify_searches_distinct_rows_as_it_would_every_row(rules, monkeypatch):
    register = messy_register()
    frame = pd.DataFrame(index=register.rows.index)
    fast = classify.classify(register, frame, list(rules))
    monkeypatch.setattr(classify.matcher, "distinct_rows",
                        lambda columns: (np.arange(len(columns[0])),) * 2)
    plain = classify.classify(register, frame, list(rules))
    pd.testing.assert_frame_equal(fast.values, plain.values)
    pd.testing.assert_frame_equal(fast.filled, plain.filled)


# ----------------------------------------------------------------------------- case numbers


def reference_highest(current: pd.Series, parts) -> dict[str, int]:
    text = casenumbers._as_text(current[~is_empty(current)])
    if text.empty:
        return {}
    found = text.str.extract(casenumbers._number_pattern(parts), flags=re.IGNORECASE)
    found = found[found["seq"].notna()]
    if found.empty:
        return {}
    period = pd.Series("", index=found.index, dtype=object)
    for name in found.columns.drop("seq"):
        period = period + found[name].astype(str)
    highest = found["seq"].astype(int).groupby(period).max()
    return {str(k): int(v) for k, v in highest.items()}


@pytest.mark.parametrize("case_format", ["TS-{yyyy}{mm}-{seq:4}", "{yy}.{dd}({seq})-{seq:2}",
                                         "C{seq:03d}", "{mm}/{seq}"])
def test_highest_numbers_read_back_as_the_string_methods_read_them(case_format):
    parts = casenumbers._parse_format(case_format)
    current = column(["TS-202603-0007", "ts-202603-0012", "TS-202604-0001", " TS-202603-0009 ",
                      "26.18(12)-07", "26.18(3)-99", "C007", "C0100", "03/5", "12/77", 1001.0,
                      "１２/８", "TS-20260-0001", None, "", "x"] * 2)
    expected = reference_highest(current, parts)
    assert casenumbers._existing_highest(current, is_empty(current), parts) == expected


def test_new_numbers_render_each_row_as_the_format_says():
    received = pd.Series(pd.to_datetime(["2026-03-18 09:00", "2026-03-18 08:00", "2026-04-02 00:00",
                                         "2025-12-31 23:59"]), index=[7, 8, 9, 10])
    parts = casenumbers._parse_format("{yy}{mm}{dd}-{yyyy}-{seq:3}.")
    numbers, last = casenumbers._new_numbers(received, parts, {"2603182026": 41})
    assert numbers.tolist() == ["260318-2026-043.", "260318-2026-042.", "260402-2026-001.",
                                "251231-2025-001."]
    assert last == {"2603182026": 43, "2604022026": 1, "2512312025": 1}


# ----------------------------------------------------------------------------- reading


@pytest.mark.parametrize("rows", [[["a", None], [None, None]], [[None, None]], [[None, 0]],
                                  [["x", 1], [None, ""], [None, None], [False, None]]])
def test_last_filled_row_is_the_last_row_with_any_value(rows):
    body = np.array(rows, dtype=object)
    filled = np.not_equal(body, None).any(axis=1)
    expected = len(filled) - int(filled[::-1].argmax()) - 1 if filled.any() else -1
    assert _last_filled_row(list(body.T)) == expected  # the reader hands it columns


def test_nfkc_of_a_value_is_unchanged_by_the_fast_paths():
    # Full-width digits fold before the phone checks see them.
    assert validate._phone_number("１３８ １２３４ ５６７８") == unicodedata.normalize(
        "NFKC", "１３８１２３４５６７８")


def test_classify_reuses_what_the_checks_found_empty():
    headers, body = demo_rows(600, 6, dt.date(2026, 11, 20), "en")
    body += [[None] * len(headers), [" "] * len(headers)]  # blank rows are never classified
    register = Register.from_values("Complaints", 1, 1, headers, body)
    config, _ = load_config({})
    checked, _ = validate.validate(register, config, dt.date(2026, 11, 20))
    given = classify.classify(register, checked.frame, config.rules, empty=checked.empty,
                              blank=checked.blank)
    found = classify.classify(register, checked.frame, config.rules)
    pd.testing.assert_frame_equal(given.values, found.values)
    pd.testing.assert_frame_equal(given.filled, found.filled)
    for key, empty in checked.empty.items():
        assert empty.tolist() == is_empty(register.col(key)).tolist(), key


def reference_cell(value):
    if value == "" or value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


@pytest.mark.parametrize("value", [
    "", " ", "a", None, 1.0, 1.5, -0.0, float("nan"), float("inf"), 3, True, False,
    dt.datetime(2026, 3, 18, 9, 30), dt.date(2026, 3, 18), dt.time(9, 30), dt.timedelta(hours=2),
])
def test_a_calamine_value_is_read_as_before(value):
    got, want = _cell(value), reference_cell(value)
    assert type(got) is type(want)
    assert got is want or got == want or (got != got and want != want)


def test_cells_left_as_they_were_need_no_change():
    shared = ["x", " x ", 6, 6.0, dt.datetime(2026, 3, 18), float("nan"), " ", None, "电话"]
    old = column(shared + ["a", None, "", 6, " b", dt.date(2026, 3, 18), float("nan"), "7"])
    new = column(shared + ["a", "", None, 6.0, "b", dt.datetime(2026, 3, 18), None, 7])
    for kind in ("text", "date", "int", "list"):
        expected = new[~pipeline._same_cells(old, new, kind)]
        pd.testing.assert_series_equal(pipeline._differences(old, new, kind), expected)


@pytest.mark.parametrize("new", [
    [v for v in ODD_VALUES if not isinstance(v, list)],
    ["a", None, "", " ", float("nan"), 0.61, "b"],
    [None, None],
    [],
], ids=["odd", "text and confidences", "nothing", "no rows"])
def test_a_column_still_empty_changes_where_the_new_value_is_filled(new):
    old, new = column([None] * len(new)), column(new)
    for kind in ("text", "date", "datetime", "int", "list"):
        pd.testing.assert_series_equal(pipeline._differences(old, new, kind),
                                       reference_differences(old, new, kind))


@pytest.mark.parametrize("old", [[None, None, "x"], [None, float("nan"), None], [None, "", None]],
                         ids=["a value last", "NaN", "empty text"])
def test_a_column_empty_but_for_one_cell_is_compared_cell_by_cell(old):
    old, new = column(old), column(["x", None, "x"])
    for kind in ("text", "list"):
        pd.testing.assert_series_equal(pipeline._differences(old, new, kind),
                                       reference_differences(old, new, kind))


# ----------------------------------------------------------------------------- the pipeline's steps

# Cells of the types that take the quick ways (no text), and NaN, NaT and None among them.
NO_TEXT_VALUES = [None, float("nan"), pd.NaT, 0, 1, 1.0, True, False, -0.0,
                  dt.datetime(2026, 3, 18, 9, 30), dt.datetime(2026, 3, 18), dt.date(2026, 3, 18),
                  pd.Timestamp("2026-03-18 09:30"), dt.time(9, 30)]


@pytest.mark.parametrize("values", [
    repeated(NO_TEXT_VALUES),
    column([None, dt.datetime(2026, 1, 1), None]),
    column([pd.NaT, None, dt.datetime(2026, 1, 1), pd.Timestamp("2026-01-02"), 3]),  # no float
    column([None, None]),
    column([]),
    repeated([*NO_TEXT_VALUES, np.float64("nan"), np.datetime64("NaT"), decimal.Decimal("NaN")]),
    repeated([*NO_TEXT_VALUES, " ", np.str_(" ")]),
])
def test_is_empty_without_text_is_pd_isna(values):
    assert is_empty(values).tolist() == reference_is_empty(values).tolist()


@pytest.mark.parametrize("values", [
    ["a", " ", "", "\u3000", "\t\n", "电话", "x "],
    ["a", np.str_(" "), np.str_("b"), 1, None, " "],
    [],
])
def test_blank_texts_are_the_blank_text_values(values):
    expected = [isinstance(v, str) and not v.strip() for v in values]
    assert cells.blank_texts(values).tolist() == expected


def test_clocks_become_the_datetimes_pandas_makes():
    stamps = pd.Series(pd.to_datetime(["2026-03-18 09:30:05", None, "1969-12-31 23:59:59",
                                       "2261-12-31", "1678-01-02"], format="ISO8601"),
                       index=[4, 5, 6, 7, 8])
    for values in (stamps, stamps.astype("datetime64[s]"), stamps[stamps.notna()]):
        got = cells.python_datetimes(values)
        known = values.notna()
        want = [None] * len(values)
        for i, stamp in enumerate(values.dt.to_pydatetime()):
            if known.iloc[i]:
                want[i] = stamp
        assert got.tolist() == want
        assert {type(v) for v in got if v is not None} <= {dt.datetime}
        assert got.index.equals(values.index)


MOMENTS = [dt.datetime(2026, 3, 18, 9, 30), dt.datetime(2026, 3, 18), dt.date(2026, 3, 19),
           pd.Timestamp("2026-03-20 10:00"), None, dt.datetime(9999, 12, 31),
           dt.datetime(2026, 3, 18, 9, 30, tzinfo=TZ)]


@pytest.mark.parametrize("cells_", [
    MOMENTS[:5], MOMENTS, [None, None], [dt.date(2026, 1, 1)],
    [dt.datetime(1, 1, 1), None, dt.datetime(2026, 3, 18)],  # out of range beside empty cells
    MOMENTS[:6],  # naive only, one of them past what datetime64[ns] holds
    [pd.Timestamp("2026-01-01", tz="UTC"), None],  # zoned: the careful way
])
def test_a_column_of_moments_reads_as_the_plain_way(cells_):
    values = repeated(cells_)
    got, bad, empty = dates.read_dates(values)
    want, want_bad = reference_parse(values)
    pd.testing.assert_series_equal(got, want)
    assert bad.tolist() == want_bad.tolist()
    assert empty.tolist() == is_empty(values).tolist()


def reference_is_before(later: pd.Series, received: pd.Series) -> pd.Series:
    same_day = later.dt.normalize() == received.dt.normalize()
    timeless = (later == later.dt.normalize()) | (received == received.dt.normalize())
    return (later < received) & ~(same_day & timeless)


def reference_shown_dates(dates_: pd.Series) -> pd.Series:
    with_time = dates_.dt.strftime("%Y-%m-%d %H:%M")
    return with_time.where(dates_ != dates_.dt.normalize(), dates_.dt.strftime("%Y-%m-%d"))


MOMENT_TEXTS = ["2026-03-18 09:30", "2026-03-18", "2026-03-17 23:59:59", "2026-03-18 00:00:01",
                None, "1969-12-31 12:00", "1678-01-02 03:04:59", "2261-12-31", "2026-03-19"]


def test_dates_compared_and_shown_on_numpy_arrays_as_in_pandas():
    stamps = pd.to_datetime(pd.Series(MOMENT_TEXTS, index=range(3, 3 + len(MOMENT_TEXTS))),
                            format="ISO8601")
    for shift in range(len(MOMENT_TEXTS)):
        other = pd.Series(np.roll(stamps.to_numpy(), shift), index=stamps.index)
        assert validate.is_before(stamps, other).tolist() == reference_is_before(
            stamps, other).tolist()
    got, want = validate.shown_dates(stamps), reference_shown_dates(stamps)
    assert got.index.equals(want.index)
    assert [v if isinstance(v, str) else None for v in got] == [
        v if isinstance(v, str) else None for v in want]


def test_findings_of_one_check_at_once_are_those_made_one_by_one():
    register = Register.from_values("Complaints 2", 3, 2, ["Case No", "Severity"], [[None, 1]] * 4)
    rows = [4, 6, 7]
    refs = validate.cell_refs(register, "severity", rows)
    assert refs == [register.cell(row, "severity") for row in rows]
    values, zh = [None, 1.5, "x"], ["甲", "乙", None]
    built = findings.findings_at("escalate-proposed", refs, rows, field="severity", values=values,
                                 level="error", reason=["a", "b", "c"], reason_zh=zh)
    assert built == [findings.finding("escalate-proposed", cell, field="severity", value=value,
                                      row=row, level="error", reason_zh=z, reason=r)
                     for cell, row, value, r, z in zip(refs, rows, values, "abc", zh, strict=True)]
    assert findings.findings_at("not-numbered", [], []) == []
    with pytest.raises(KeyError):
        findings.findings_at("no-such-code", refs, rows)


def test_rows_by_status_are_the_rows_equal_to_it():
    status = column(["New", None, "Closed", "New", "Reopened", None, "Closed"])
    rows_of = stages._rows_by_status(status)
    for name in ("New", "Closed", "Reopened", "Resolved", ""):
        pd.testing.assert_series_equal(rows_of(name), status.eq(name))


def test_cells_written_back_equal_are_settled_as_the_plain_way():
    when = dt.datetime(2026, 3, 18, 9, 30)
    old = column([when, dt.date(2026, 3, 18), None, 6, 6.0, True, float("nan"), " ", "a", when,
                  pd.Timestamp(when), 0, None, dt.datetime(2026, 3, 18)])
    new = column([dt.datetime(2026, 3, 18, 9, 30), dt.datetime(2026, 3, 18), None, 6.0, 6, 1,
                  None, None, "a ", None, when, False, "", dt.date(2026, 3, 18)])
    for kind in ("date", "datetime", "int", "text"):
        expected = new[~pipeline._same_cells(old, new, kind)]
        pd.testing.assert_series_equal(pipeline._differences(old, new, kind), expected)


# ----------------------------------------------------------------------------- the whole pipeline


def reference_row_findings(register, checks, live):
    placed = []
    for order, check in enumerate(checks):
        rows = register.rows.index[(check.mask & live).to_numpy(dtype=bool)]
        values = validate._at(check.value if check.value is not None
                              else register.col(check.key), rows)
        params = {name: validate._at(p, rows) if isinstance(p, pd.Series) else [p] * len(rows)
                  for name, p in check.params.items()}
        for i, row in enumerate(rows):
            item = findings.finding(check.code, register.cell(row, check.key), field=check.key,
                                    value=values[i], row=int(row), level=check.level,
                                    **{name: given[i] for name, given in params.items()})
            placed.append((int(row), register.columns.get(check.key, -1), order, item))
    placed.sort(key=lambda entry: entry[:3])
    return [entry[3] for entry in placed]


def reference_escalations(register, cases, reopened_again, overdue_days, margin):
    status = cases["status"]
    unhappy = cases["follow_up_result"].eq("Not satisfied") | (cases["satisfaction"] <= 2)
    after = cases["reopened_at"].notna() & unhappy & status.ne("Reopened")
    open_case = status.notna() & ~status.isin(("Resolved", "Closed")) & status.ne("Not accepted")
    overdue = open_case & (overdue_days > margin)
    out = []
    for row in cases.index[((reopened_again | after | overdue)
                            & ~cases["severity"].eq("Escalated")).to_numpy()]:
        why = ("reopened-twice" if reopened_again[row] else
               "unhappy-after-reopening" if after[row] else "overdue")
        en, zh = (text.format(days=int(overdue_days[row]), margin=margin)
                  for text in risk._REASONS[why])
        out.append(findings.finding("escalate-proposed", register.cell(row, "severity"),
                                    field="severity", value=why, row=int(row), reason=en,
                                    reason_zh=zh))
    return out


def reference_differences(old, new, kind):
    return new[~pipeline._same_cells(old, new, kind)]


def reference_datetimes(values):
    out = np.full(len(values), None, dtype=object)
    known = values.notna().to_numpy()
    out[known] = values[known].dt.to_pydatetime()
    return pd.Series(out, index=values.index, dtype=object)


def reference_anonymous(frame, empty, _cells):
    names = frame["customer_name"].str.strip().str.casefold()
    named = names.isin(validate._ANONYMOUS).to_numpy(dtype=bool)
    return frame["channel"].eq(validate.SUGGESTION_BOX) | (~empty["customer_name"] & named)


def plain_ways(monkeypatch):
    """Every quick way of the pipeline replaced by the plain code it stands for."""
    for module in (validate, stages):
        monkeypatch.setattr(module, "is_before", reference_is_before)
        monkeypatch.setattr(module, "shown_dates", reference_shown_dates)
        monkeypatch.setattr(module, "row_findings", reference_row_findings)
    monkeypatch.setattr(validate, "_anonymous", reference_anonymous)
    monkeypatch.setattr(validate, "blank_texts", lambda values: np.array(
        [isinstance(v, str) and not v.strip() for v in values], dtype=bool))
    monkeypatch.setattr(stages, "_rows_by_status", lambda status: status.eq)
    monkeypatch.setattr(pipeline, "escalations", reference_escalations)
    monkeypatch.setattr(pipeline, "_differences", reference_differences)
    monkeypatch.setattr(pipeline, "python_datetimes", reference_datetimes)
    monkeypatch.setattr(cells, "NO_TEXT", frozenset())
    monkeypatch.setattr(dates, "_COMMON_KINDS", {})  # every cell sorted by _kind
    # Every step works out a column's distinct values anew, and long texts are looked for cell
    # by cell.
    monkeypatch.setattr(Register, "known_distinct", lambda self, position: None)


def odd_rows(headers: list[str], body: list[list]) -> list[list]:
    """Demo rows with cells typed the other ways staff and readers give them."""
    at = {header: i for i, header in enumerate(headers)}
    odd = {"受理时间": ["2026/3/18 9:30", 46000.5, " ", float("nan")],
           "联系电话": [" 138 1234 5678 ", 13812345678.0, "0571-8888 转 12", None],
           "处理状态": ["  ", "已结案", "Closed", 3],
           "满意度": ["5", 2.0, True, "x"],
           "赔偿金额": ["¥1,200", -5, "abc", 800.0],
           "解决时间": [pd.NaT, "2026-03-20", dt.date(2026, 3, 19), np.nan]}
    rows = [list(row) for row in body[:40]]
    for i, row in enumerate(rows):
        for header, values in odd.items():
            row[at[header]] = values[i % len(values)]
    return rows + [[None] * len(headers), [" "] * len(headers)]


def rerun_register(outcome) -> Register:
    """The register as a door leaves it after writing the outcome."""
    register = outcome.register
    headers = register.headers + [pipeline.BY_KEY[key].header(outcome.lang)
                                  for key in outcome.new_columns]
    rows = register.rows.copy()
    for _ in outcome.new_columns:
        rows[len(rows.columns)] = None
    for key, values in outcome.changes.items():
        rows.loc[values.index, register.columns.get(key, register.appended.get(key))] = (
            values.to_numpy(dtype=object))
    return Register.from_values("Complaints", 1, 1, headers, rows.to_numpy(dtype=object).tolist())


def assert_same_outcome(fast, plain):
    assert fast.changes.keys() == plain.changes.keys()
    for key in fast.changes:
        pd.testing.assert_series_equal(fast.changes[key], plain.changes[key])
    assert fast.findings == plain.findings
    assert fast.summary == plain.summary
    assert fast.counters == plain.counters
    assert fast.new_columns == plain.new_columns
    pd.testing.assert_frame_equal(fast.cases, plain.cases)


def test_process_gives_what_the_plain_ways_give(monkeypatch):
    today = dt.date(2026, 11, 20)
    headers, body = demo_rows(2000, 18, today, "zh-CN")
    body += odd_rows(headers, body)

    def run(register):
        return pipeline.process(register, {}, today)

    fast = run(Register.from_values("Complaints", 1, 1, headers, body))
    fast_again = run(rerun_register(fast))
    with monkeypatch.context() as patch:
        plain_ways(patch)
        plain = run(Register.from_values("Complaints", 1, 1, headers, body))
        plain_again = run(rerun_register(plain))
    assert len(fast.findings) > 500 and fast.summary.cells_changed > 10000  # not a quiet register
    assert_same_outcome(fast, plain)
    assert_same_outcome(fast_again, plain_again)
    assert fast_again.summary.cells_changed < fast.summary.cells_changed


def test_a_run_reads_each_column_by_its_distinct_values_once_and_leaves_the_table_as_it_was(
        monkeypatch):
    today = dt.date(2026, 11, 20)
    headers, body = demo_rows(500, 6, today, "en")
    body += long_description_rows(headers, body)
    register = Register.from_values("Complaints", 1, 1, headers, body)
    before = register.rows.copy()
    worked_out: list[int] = []
    factorize = register_module.distinct_values

    def counted(values):
        worked_out.append(values.name)
        return factorize(values)

    monkeypatch.setattr(register_module, "distinct_values", counted)
    outcome = pipeline.process(register, {}, today)
    assert outcome.summary.cells_changed > 1000
    long = [item.cell for item in outcome.findings if item.code == "text-too-long"]
    # Looked for among the description's distinct values: the two rows past the limit.
    assert long == [register.cell(2 + len(body) - 2, "description"),
                    register.cell(2 + len(body) - 1, "description")]
    assert sorted(worked_out) == sorted(set(worked_out))  # once each
    assert len(worked_out) >= 10  # the steps read the fields this way, not another
    pd.testing.assert_frame_equal(register.rows, before)
    codes, _ = register.distinct("description")
    with pytest.raises(ValueError):
        codes[0] = 1  # shared by every step: nobody changes them
    register.rows = before.copy()  # a new table is read anew
    assert register.known_distinct(register.columns["description"]) is None


def long_description_rows(headers: list[str], body: list[list]) -> list[list]:
    """Three rows whose description is as long as a cell holds, then one and two characters
    longer."""
    at = headers.index(pipeline.BY_KEY["description"].header("en"))
    rows = [list(row) for row in body[:3]]
    for i, row in enumerate(rows):
        row[at] = "x" * (32_767 + i)
    return rows
