"""Repeat complaints: the same phone or email again within the window points at the earlier case.

Registers here have the columns of ``KEYS``: A case_no, B received_at, C channel, D customer_name,
E phone, F email, G description, H status, I repeat_of (unless a test leaves it out).
"""

import datetime as dt

import pandas as pd
import pytest

from addin.core.fields import BY_KEY
from addin.core.register import Register
from addin.core.repeats import find_repeats
from addin.core.settings import Config
from addin.core.validate import validate

TODAY = dt.date(2026, 6, 30)
KEYS = ("case_no", "received_at", "channel", "customer_name", "phone", "email", "description",
        "status", "repeat_of")


def complaint(case_no, received, phone=None, email=None):
    return {"case_no": case_no, "received_at": received, "channel": "Phone",
            "customer_name": "Zhang San", "phone": phone, "email": email,
            "description": "The kettle leaks", "status": "New"}


def make_register(rows, lang="en", keys=KEYS):
    headers = [BY_KEY[key].header(lang) for key in keys]
    return Register.from_values("Complaints", 1, 1, headers,
                                [[row.get(key) for key in keys] for row in rows])


def repeats(*rows, window=30, lang="en", keys=KEYS):
    register = make_register(rows, lang, keys)
    checked, _ = validate(register, Config(), TODAY)
    return find_repeats(checked, register.col("case_no"), window, register)


@pytest.fixture
def same_phone_five_days_apart():
    return (complaint("TS-0001", "2026-03-01 10:00", phone="138 1234 5678"),
            complaint("TS-0002", "2026-03-06 09:00", phone="13812345678"))


def test_second_complaint_points_at_the_first(same_phone_five_days_apart):
    repeat_of, findings = repeats(*same_phone_five_days_apart)
    assert repeat_of.tolist() == [None, "TS-0001"]
    assert list(repeat_of.index) == [2, 3]
    assert repeat_of.dtype == object
    [item] = findings
    assert (item.code, item.cell, item.field, item.row, item.value) == (
        "repeat-complaint", "Complaints!I3", "repeat_of", 3, "TS-0001")
    assert item.level == "info"
    assert item.message("en") == "The same customer complained 5 days earlier: case TS-0001."
    assert item.message("zh-CN") == "同一客户 5 天前曾投诉：案件 TS-0001。"


def test_chinese_sheet_finds_the_same_repeat(same_phone_five_days_apart):
    rows = [{**row, "channel": "电话", "status": "新建"} for row in same_phone_five_days_apart]
    repeat_of, findings = repeats(*rows, lang="zh-CN")
    assert repeat_of.tolist() == [None, "TS-0001"]
    assert [f.cell for f in findings] == ["Complaints!I3"]


@pytest.mark.parametrize(("first", "second", "window", "expected"), [
    (dict(phone="13812345678"), dict(phone="138-1234-5678"), 30, "TS-0001"),
    (dict(email="Zhang@Example.com"), dict(email=" zhang@example.COM"), 30, "TS-0001"),
    (dict(phone="13812345678", email="a@x.cn"), dict(phone="13900000000", email="a@x.cn"), 30,
     "TS-0001"),
    (dict(phone="13812345678"), dict(phone="13900000000"), 30, None),
    (dict(email="a@x.cn"), dict(phone="13812345678"), 30, None),
    (dict(phone="13812345678"), dict(email="13812345678@x.cn"), 30, None),
])
def test_same_phone_or_email_is_the_same_customer(first, second, window, expected):
    repeat_of, _ = repeats(complaint("TS-0001", "2026-03-01", **first),
                           complaint("TS-0002", "2026-03-10", **second), window=window)
    assert repeat_of.tolist() == [None, expected]


@pytest.mark.parametrize(("second", "window", "expected"), [
    ("2026-03-31 23:59", 30, "TS-0001"),  # exactly 30 calendar days later
    ("2026-04-01 00:01", 30, None),
    ("2026-04-01", 31, "TS-0001"),
    ("2026-03-01 10:00", 1, "TS-0001"),  # the same day
])
def test_window_counts_calendar_days(second, window, expected):
    repeat_of, _ = repeats(complaint("TS-0001", "2026-03-01 08:00", phone="13812345678"),
                           complaint("TS-0002", second, phone="13812345678"), window=window)
    assert repeat_of.tolist() == [None, expected]


def test_days_ignore_the_time_of_day():
    _, [item] = repeats(complaint("TS-0001", "2026-03-01 23:00", phone="13812345678"),
                        complaint("TS-0002", "2026-03-02 01:00", phone="13812345678"))
    assert dict(item.params)["days"] == 1


def test_most_recent_earlier_complaint_wins_whatever_the_row_order():
    repeat_of, findings = repeats(
        complaint("TS-0003", "2026-03-20", phone="13812345678"),
        complaint("TS-0001", "2026-03-01", phone="13812345678"),
        complaint("TS-0002", "2026-03-10", phone="13812345678"),
    )
    assert repeat_of.tolist() == ["TS-0002", None, "TS-0001"]
    assert [(f.row, f.value, dict(f.params)["days"]) for f in findings] == [
        (2, "TS-0002", 10), (4, "TS-0001", 9)]


def test_same_moment_counts_in_row_order():
    repeat_of, _ = repeats(complaint("TS-0001", "2026-03-01 10:00", phone="13812345678"),
                           complaint("TS-0002", "2026-03-01 10:00", phone="13812345678"))
    assert repeat_of.tolist() == [None, "TS-0001"]


def test_later_of_the_phone_and_email_matches_wins():
    repeat_of, findings = repeats(
        complaint("TS-0001", "2026-03-01", phone="13812345678"),
        complaint("TS-0002", "2026-03-05", email="z@example.com"),
        complaint("TS-0003", "2026-03-08", phone="13812345678", email="z@example.com"),
    )
    assert repeat_of.tolist() == [None, None, "TS-0002"]
    assert [f.cell for f in findings] == ["Complaints!I4"]


def test_earlier_complaint_without_a_case_number_is_not_pointed_at():
    repeat_of, findings = repeats(
        complaint("TS-0001", "2026-03-01", phone="13812345678"),
        complaint(None, "2026-03-05", phone="13812345678"),
        complaint("TS-0003", "2026-03-08", phone="13812345678"),
    )
    assert repeat_of.tolist() == [None, "TS-0001", None]
    assert [f.row for f in findings] == [3]


def test_complaints_without_a_received_date_take_no_part():
    repeat_of, findings = repeats(
        complaint("TS-0001", "2026-03-01", phone="13812345678"),
        complaint("TS-0002", None, phone="13812345678"),
        complaint("TS-0003", "not a date", phone="13812345678"),
        complaint("TS-0004", "2026-03-08", phone="13812345678"),
    )
    assert repeat_of.tolist() == [None, None, None, "TS-0001"]
    assert len(findings) == 1


def test_without_a_repeat_of_column_the_matching_contact_is_pointed_at():
    keys = KEYS[:-1]
    _, findings = repeats(
        complaint("TS-0001", "2026-03-01", phone="13812345678"),
        complaint("TS-0002", "2026-03-02", phone="13812345678"),
        complaint("TS-0003", "2026-03-01", email="z@example.com"),
        complaint("TS-0004", "2026-03-02", email="z@example.com"),
        keys=keys)
    assert [f.cell for f in findings] == ["Complaints!E3", "Complaints!F5"]


def test_numbers_assigned_in_this_run_are_used():
    register = make_register([complaint(None, "2026-03-01", phone="13812345678"),
                              complaint(None, "2026-03-03", phone="13812345678")])
    checked, _ = validate(register, Config(), TODAY)
    case_no = pd.Series(["TS-202603-0001", "TS-202603-0002"], index=register.rows.index)
    repeat_of, _ = find_repeats(checked, case_no, 30, register)
    assert repeat_of.tolist() == [None, "TS-202603-0001"]


def test_many_customers_each_with_their_own_history():
    # 3,000 rows: customer i % 300 complains every 10 days; each row repeats the one 300 before.
    rows = [complaint(f"TS-{i:05d}", dt.datetime(2026, 1, 1) + dt.timedelta(days=10 * (i // 300)),
                      phone=f"138{i % 300:08d}") for i in range(3000)]
    repeat_of, findings = repeats(*rows, window=10)
    expected = [None] * 300 + [f"TS-{i - 300:05d}" for i in range(300, 3000)]
    assert repeat_of.tolist() == expected
    assert len(findings) == 2700
    assert {dict(f.params)["days"] for f in findings} == {10}
