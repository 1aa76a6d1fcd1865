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
    # The record card names eleven channels, seven categories, four severities, three urgencies,
    # nine statuses and five SLA states; the handling process adds eight cause types, eight
    # remedies, five follow-up methods, four follow-up results and six risks.
    sizes = {key: len(pairs) for key, pairs in DEFAULT_LISTS.items()}
    assert sizes == {"channel": 11, "customer_type": 3, "category": 7, "severity": 4,
                     "urgency": 3, "status": 9, "sla_status": 5, "root_cause_type": 8,
                     "remedy": 8, "follow_up_method": 5, "follow_up_result": 4, "risk": 6}
    assert all(BY_KEY[key].kind == "list" for key in DEFAULT_LISTS)


@pytest.mark.parametrize(("header", "key"), [
    ("Assigned", "assigned_at"), ("分派时间", "assigned_at"),
    ("Investigated", "investigated_at"), ("调查完成时间", "investigated_at"),
    ("Cause type", "root_cause_type"), ("原因类别", "root_cause_type"),
    ("Remedy", "remedy"), ("处理方式", "remedy"),
    ("Compensation", "compensation"), ("赔偿金额", "compensation"),
    ("Approved by", "approved_by"), ("审批人", "approved_by"),
    ("Approved", "approved_at"), ("审批时间", "approved_at"),
    ("Customer told", "informed_at"), ("告知结果时间", "informed_at"),
    ("Follow-up method", "follow_up_method"), ("回访方式", "follow_up_method"),
    ("Follow-up result", "follow_up_result"), ("回访结果", "follow_up_result"),
    ("Closed", "closed_at"), ("结案时间", "closed_at"),
    ("Reason not accepted", "reject_reason"), ("不予受理原因", "reject_reason"),
    ("Investigate by", "investigate_due"), ("调查时限", "investigate_due"),
    ("Follow up by", "follow_up_due"), ("回访时限", "follow_up_due"),
    ("Risk", "risk"), ("风险提示", "risk"),
])
def test_handling_process_headers_follow_the_record_card(header, key):
    assert field_for_header(header) == key


def test_process_fields_are_typed_or_written_as_the_card_says():
    written = {f.key for f in FIELDS if f.written}
    assert {"investigate_due", "follow_up_due", "risk"} <= written
    assert not {"assigned_at", "remedy", "closed_at", "reject_reason"} & written
    order = [f.key for f in FIELDS]
    # Each step's field sits after the step before it.
    steps = ["assigned_at", "acknowledged_at", "investigated_at", "resolved_at", "informed_at",
             "follow_up_at", "closed_at"]
    assert [order.index(k) for k in steps] == sorted(order.index(k) for k in steps)


def test_new_statuses_and_channel_in_both_languages():
    lists = default_lists()
    assert lists["status"].canonical("调查中") == "Investigating"
    assert lists["status"].canonical("不予受理") == "Not accepted"
    assert lists["channel"].canonical("意见箱") == "Suggestion box"
    assert lists["remedy"].label("Refund", "zh-CN") == "退款"
