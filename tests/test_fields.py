"""Header recognition and the card's vocabulary: the contract every door relies on."""

import pytest

from addin.core.fields import BY_KEY, FIELDS, field_for_header, guess_language, match_headers
from addin.core.vocab import DEFAULT_LISTS, default_lists


@pytest.mark.parametrize(("header", "key"), [
    ("Case No", "case_no"),
    ("  case   no ", "case_no"),
    ("CASE NO", "case_no"),
    ("案件编号", "case_no"),
    (" 案件编号　", "case_no"),  # ideographic space around it
    ("Ｃａｓｅ　Ｎｏ", "case_no"),  # full-width letters
    ("产品／服务", "product"),  # full-width slash
    ("Product/Service", "product"),
    ("受理时间", "received_at"),
    ("SLA status", "sla_status"),
    ("时限状态", "sla_status"),
    ("Customer request", "request"),
    ("Complaint ID", None),
    ("", None),
    (None, None),
])
def test_header_maps_to_field_in_either_language(header, key):
    assert field_for_header(header) == key


def test_every_card_field_is_recognised_by_both_headers():
    for f in FIELDS:
        assert field_for_header(f.en) == f.key
        assert field_for_header(f.zh) == f.key


def test_unknown_columns_are_left_out_and_first_duplicate_wins():
    headers = ["Complaint ID", "Received", "Channel", "受理时间", "Notes"]
    assert match_headers(headers) == {"received_at": 1, "channel": 2, "notes": 4}


@pytest.mark.parametrize(("headers", "lang"), [
    (["案件编号", "受理时间", "投诉渠道", "Notes"], "zh-CN"),
    (["Case No", "Received", "投诉渠道"], "en"),
    (["Something", "Else"], "en"),
])
def test_language_follows_most_headers(headers, lang):
    assert guess_language(headers) == lang


def test_list_values_are_accepted_in_either_language():
    lists = default_lists()
    assert lists["channel"].canonical("电话") == "Phone"
    assert lists["channel"].canonical(" phone ") == "Phone"
    assert lists["status"].canonical("待客户回复") == "Waiting on customer"
    assert lists["status"].canonical("Waiting") is None
    assert lists["severity"].label("Major", "zh-CN") == "重大"
    assert lists["severity"].label("Major", "en") == "Major"


def test_lists_match_the_record_card():
    # The record card names ten channels, seven categories, four severities, three urgencies,
    # seven statuses and five SLA states.
    sizes = {key: len(pairs) for key, pairs in DEFAULT_LISTS.items()}
    assert sizes == {"channel": 10, "customer_type": 3, "category": 7, "severity": 4,
                     "urgency": 3, "status": 7, "sla_status": 5}
    assert all(BY_KEY[key].kind == "list" for key in DEFAULT_LISTS)
