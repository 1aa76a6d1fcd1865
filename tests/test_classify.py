"""Classification rules: the Rules sheet read into rules, and rules filling empty fields."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import signal
import time
import warnings

import pandas as pd
import pytest

from addin.core.classify import (
    DEFAULT_RULES,
    Rule,
    classify,
    parse_rules,
    rules_to_rows,
)
from addin.core.classify.guard import PatternClock, nested_quantifier
from addin.core.pipeline import process
from addin.core.register import Grid, Register
from addin.core.vocab import default_lists
from addin.demo_data import DESCRIPTIONS

LISTS = default_lists()
HEADERS = ["Complaint", "Customer request", "Product/Service", "Channel", "Category", "Severity",
           "Urgency", "Department", "Rule"]
RULE_HEADER = ["Rule id", "Enabled", "Fields", "Match", "Pattern", "Category", "Severity",
               "Urgency", "Department", "Overwrite", "Notes"]
RULE_HEADER_ZH = ["规则编号", "启用", "匹配字段", "匹配方式", "关键词/模式", "投诉类别", "严重程度",
                  "紧急程度", "责任部门", "覆盖已填", "备注"]


def complaints(*rows: dict) -> Register:
    """A register whose rows give some of the fields by key; the rest stay empty."""
    keys = ["description", "request", "product", "channel", "category", "severity", "urgency",
            "department", "rule"]
    body = [[row.get(key) for key in keys] for row in rows]
    return Register.from_values("Complaints", 1, 1, HEADERS, body)


def checked(register: Register) -> pd.DataFrame:
    """The canonical list values, as the checks hand them to the classifier."""
    frame = pd.DataFrame(index=register.rows.index)
    for key in ("channel", "category", "severity", "urgency"):
        frame[key] = register.col(key).map(LISTS[key].canonical).astype(object)
    return frame


def run(register: Register, rules) -> pd.DataFrame:
    result = classify(register, checked(register), list(rules))
    return result.values.join(result.filled.add_suffix("_filled"))


def rule(rule_id="R", match="any", patterns=("broken",), fields=("description",), **sets):
    overwrite = sets.pop("overwrite", False)
    return Rule(rule_id, tuple(fields), match, tuple(patterns), sets, overwrite)


def rules_sheet(*rows, header=RULE_HEADER) -> Grid:
    return Grid("Rules", [list(header), *[list(r) for r in rows]])


# --- matching ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("match", "patterns", "text", "matches"), [
    ("any", ("broken", "leak*"), "The fridge leaks water", True),
    ("any", ("broken", "leak*"), "Works fine", False),
    # Latin keywords are whole words: "late" is not in "related" or "chocolate".
    ("any", ("late",), "A related question about chocolate", False),
    ("any", ("late",), "Delivery was LATE again.", True),
    ("any", ("charg*",), "They charged me twice", True),
    ("any", ("charg*",), "I was overcharged", False),
    ("any", ("customer service",), "Customer   service\nnever replied", True),
    ("any", ("call-out",), "asked for a call out fee", True),
    ("any", ("12315",), "已拨打12315投诉", True),
    ("any", ("12315",), "order 123156", False),
    # Chinese keywords match anywhere, without word segmentation.
    ("any", ("漏水",), "冰箱漏水了", True),
    ("any", ("漏水", "坏了"), "洗衣机不转了", False),
    # Full-width letters and digits fold to ordinary ones, in the text and in the keyword.
    ("any", ("refund",), "ＲＥＦＵＮＤ please", True),
    ("any", ("ｒｅｆｕｎｄ",), "Refund please", True),
    ("any", ("１２３１５",), "投诉到12315", True),
    ("all", ("fridge", "leak*"), "The fridge is leaking", True),
    ("all", ("fridge", "leak*"), "The fridge is fine; the sink leaks", True),
    ("all", ("fridge", "leak*"), "The washer is leaking", False),
    ("all", ("冰箱", "漏水"), "冰箱漏水", True),
    ("all", ("冰箱", "漏水"), "冰箱不制冷", False),
    ("any", ("*",), "anything at all", True),
    ("regex", (r"order\s*#?\d{6}",), "About ORDER #123456", True),
    ("regex", (r"order\s*#?\d{6}",), "About order 12345", False),
    ("regex", (r"^退款",), "退款没到账", True),
])
def test_match_kinds(match, patterns, text, matches):
    register = complaints({"description": text})
    values = run(register, [rule(match=match, patterns=patterns, category="Billing")])
    assert bool(values.at[2, "category_filled"]) is matches
    assert values.at[2, "category"] == ("Billing" if matches else None)


@pytest.mark.parametrize(("pattern", "channel", "matches"), [
    ("Regulator referral", "Regulator referral", True),
    ("Regulator referral", "监管转办", True),  # the cell in Chinese, the rule in English
    ("监管转办", "Regulator referral", True),  # and the other way round (read via the lists)
    ("regulator   REFERRAL", "Regulator referral", True),
    ("Regulator", "Regulator referral", False),  # exact: the whole value, not part of it
])
def test_exact_compares_whole_values_in_either_language(pattern, channel, matches):
    grid = rules_sheet(["X1", "yes", "Channel", "exact", pattern, None, "Escalated"])
    rules, findings = parse_rules(grid, LISTS)
    assert findings == []
    values = run(complaints({"description": "x", "channel": channel}), rules)
    assert values.at[2, "severity"] == ("Escalated" if matches else None)


def test_fields_searched_are_joined_so_any_field_can_match():
    register = complaints({"description": "nothing here", "request": "money back"},
                          {"description": "nothing here", "product": "Refund plan"})
    values = run(register, [rule(patterns=("money back", "refund"),
                                 fields=("description", "request"), category="Billing")])
    assert values["category"].tolist() == ["Billing", None]


def test_text_beyond_five_thousand_characters_is_not_searched():
    near = "x " * 2490 + "broken"  # ends before character 5,000
    far = "x " * 2500 + "broken"
    values = run(complaints({"description": near}, {"description": far}),
                 [rule(category="Product quality")])
    assert values["category"].tolist() == ["Product quality", None]


# --- applying rules in order --------------------------------------------------------------------


def test_the_first_matching_rule_decides_each_field_and_rule_names_those_that_filled():
    rules = [
        rule("cat-only", patterns=("broken",), category="Product quality"),
        rule("both", patterns=("broken",), category="After-sales", severity="Major"),
        rule("urgent", patterns=("fire",), urgency="Immediate"),
    ]
    values = run(complaints({"description": "broken and on fire"}, {"description": "fine"}),
                 rules)
    assert values.loc[2, ["category", "severity", "urgency", "rule"]].tolist() == [
        "Product quality", "Major", "Immediate", "cat-only, both, urgent"]
    assert values.loc[3, ["category", "severity", "urgency", "rule"]].tolist() == [
        None, None, None, None]


@pytest.mark.parametrize(("typed", "overwrite", "expected", "filled", "rule_id"), [
    (None, False, "Billing", True, "R"),
    ("Price", False, "Price", False, None),          # staff typed it: the rule leaves it
    ("价格", False, "Price", False, None),            # typed in Chinese: still typed
    ("Noise", False, None, False, None),             # not in the list: kept for the checks
    ("Price", True, "Billing", True, "R"),           # an overwriting rule replaces it
    ("Billing", True, "Billing", False, None),       # already that value: nothing changes
])
def test_staff_typed_values_are_kept_unless_the_rule_overwrites(typed, overwrite, expected,
                                                                filled, rule_id):
    register = complaints({"description": "refund please", "category": typed})
    values = run(register, [rule(patterns=("refund",), category="Billing", overwrite=overwrite)])
    assert values.at[2, "category"] == expected
    assert bool(values.at[2, "category_filled"]) is filled
    assert values.at[2, "rule"] == rule_id


def test_a_rule_that_keeps_a_typed_value_still_decides_it_for_the_rules_below():
    rules = [rule("polite", patterns=("refund",), category="Billing"),
             rule("forceful", patterns=("refund",), category="Price", overwrite=True)]
    values = run(complaints({"description": "refund", "category": "Other"}), rules)
    assert values.at[2, "category"] == "Other"
    assert values.at[2, "rule"] is None


def test_department_is_free_text_filled_only_when_empty():
    register = complaints({"description": "refund"},
                          {"description": "refund", "department": "  Finance HQ "},
                          {"description": "thanks"})
    values = run(register, [rule(patterns=("refund",), department="财务部")])
    assert values["department"].tolist() == ["财务部", "Finance HQ", None]
    assert values["department_filled"].tolist() == [True, False, False]


def test_blank_rows_are_not_classified_even_by_the_catch_all():
    register = complaints({"description": "broken"}, {}, {"description": "  "},
                          {"request": "call me"})
    values = run(register, [rule("all", patterns=("*",), category="Other")])
    assert values["category"].tolist() == ["Other", None, None, "Other"]


def test_a_rule_built_in_code_with_a_dangerous_regex_is_skipped_not_run():
    rules = [rule("bad", match="regex", patterns=("(a+)+$",), category="Other"),
             rule("broken", match="regex", patterns=("([",), category="Price"),
             rule("good", patterns=("a",), category="Billing")]
    values = run(complaints({"description": "a" * 40 + "! a"}), rules)
    assert values.at[2, "category"] == "Billing"
    assert values.at[2, "rule"] == "good"


# --- the Rules sheet -------------------------------------------------------------------------


def test_rules_are_read_top_to_bottom_in_either_language():
    grid = rules_sheet(
        ["money", "是", "投诉内容、客户诉求", "任一", "退款，扣费;refund\nbill*", "账务", "",
         "立即处理", "财务部", "否", "备注"],
        ["ship", "", "Complaint, Product/Service", "", "late | delay*", "Delivery", "Major"],
        header=RULE_HEADER_ZH)
    rules, findings = parse_rules(grid, LISTS)
    assert findings == []
    assert rules == [
        Rule("money", ("description", "request"), "any", ("退款", "扣费", "refund", "bill*"),
             {"category": "Billing", "urgency": "Immediate", "department": "财务部"}, False,
             "Rules!A2"),
        Rule("ship", ("description", "product"), "any", ("late", "delay*"),
             {"category": "Delivery", "severity": "Major"}, False, "Rules!A3"),
    ]


@pytest.mark.parametrize("header", [
    RULE_HEADER,
    RULE_HEADER_ZH,
    [f"{en} {zh}" for en, zh in zip(RULE_HEADER, RULE_HEADER_ZH, strict=True)],
    [h.upper() for h in RULE_HEADER],
])
def test_header_row_is_found_in_either_or_both_languages_below_a_title(header):
    grid = Grid("Rules", [["Classification rules (top = first)"], [], header,
                          ["R1", "yes", "key: product", "all", "fridge, leak", "Product quality"]])
    grid.rows[3][2] = "product"
    rules, findings = parse_rules(grid, LISTS)
    assert findings == []
    assert [(r.id, r.fields, r.match, r.patterns, r.sets, r.cell) for r in rules] == [
        ("R1", ("product",), "all", ("fridge", "leak"), {"category": "Product quality"},
         "Rules!A4")]


def test_columns_may_come_in_any_order_and_missing_optional_columns_default():
    grid = Grid("Rules", [["Pattern", "Category"], ["broken", "Product quality"]],
                first_row=3, first_col=2)
    [found], findings = parse_rules(grid, LISTS)
    assert findings == []
    assert found == Rule("R4", ("description", "request", "product"), "any", ("broken",),
                         {"category": "Product quality"}, False, "Rules!B4")


@pytest.mark.parametrize("enabled", ["no", "否", False, 0, "N", "off"])
def test_disabled_rules_are_skipped_even_when_they_are_wrong(enabled):
    grid = rules_sheet(["off", enabled, "", "regex", "(a+)+", "Nonsense"],
                       ["on", "yes", "", "", "broken", "Product quality"])
    rules, findings = parse_rules(grid, LISTS)
    assert findings == []
    assert [r.id for r in rules] == ["on"]


def test_empty_rows_and_rows_with_only_notes_are_skipped():
    grid = rules_sheet([], [None, None, None], ["", "", "", "", "", "", "", "", "", "", "note"],
                       ["R", "", "", "", "broken", "Other"])
    rules, findings = parse_rules(grid, LISTS)
    assert (len(rules), findings) == (1, [])


def test_numbers_typed_in_cells_read_as_staff_typed_them():
    [found], findings = parse_rules(rules_sheet([7.0, 1.0, "", "", 12315.0, "Other"]), LISTS)
    assert findings == []
    assert (found.id, found.patterns) == ("7", ("12315",))


def test_a_rule_without_an_id_is_named_after_its_row():
    [found], _ = parse_rules(rules_sheet(["", "", "", "", "broken", "Other"]), LISTS)
    assert found.id == "R2"


@pytest.mark.parametrize(("row", "cell", "problem"), [
    (["R", "", "", "", "broken", "Quality"], "Rules!F2",
     "'Quality' is not a valid Category; choose one of: Product quality, Service attitude, "
     "Delivery, Price, Billing, After-sales, Other"),
    (["R", "", "", "", "broken", "", "Huge"], "Rules!G2",
     "'Huge' is not a valid Severity; choose one of: Normal, Major, Escalated, Difficult"),
    (["R", "", "", "regex", "(unclosed", "Other"], "Rules!E2",
     "the regular expression is not valid (missing ) at position 9)"),
    (["R", "", "", "regex", r"(\d+\s?)+$", "Other"], "Rules!E2",
     "the regular expression repeats a part that is itself repeated, such as (a+)+, which can "
     "make matching take forever"),
    (["R", "", "", "regex", "（ｘ＋）＋", "Other"], "Rules!E2",  # full-width, folded first
     "the regular expression repeats a part that is itself repeated, such as (a+)+, which can "
     "make matching take forever"),
    (["R", "", "", "regex", "a" * 201, "Other"], "Rules!E2",
     "the regular expression has 201 characters; at most 200 are allowed"),
    (["R", "", "Complaint, Mood", "", "broken", "Other"], "Rules!C2",
     "Fields: 'Mood' is not a field of the card"),
    (["R", "", "", "sounds like", "broken", "Other"], "Rules!D2",
     "Match must be any, all, exact or regex, not 'sounds like'"),
    (["R", "", "", "", "", "Other"], "Rules!E2",
     "Pattern is empty; write keywords, or * to match every complaint"),
    (["R", "", "", "", "broken"], "Rules!F2",
     "it sets none of Category, Severity, Urgency or Department"),
    (["R", "maybe", "", "", "broken", "Other"], "Rules!B2",
     "Enabled must be yes or no, not 'maybe'"),
    (["R", "", "", "", "broken", "Other", "", "", "", "sometimes"], "Rules!J2",
     "Overwrite must be yes or no, not 'sometimes'"),
])
def test_a_bad_rule_is_a_finding_at_its_cell_and_is_left_out(row, cell, problem):
    grid = rules_sheet(row, ["ok", "", "", "", "fine", "Other"])
    rules, findings = parse_rules(grid, LISTS)
    assert [r.id for r in rules] == ["ok"]
    assert [(f.code, f.cell) for f in findings] == [("bad-rule", cell)]
    assert findings[0].message("en") == f"Rule R: {problem}. The rule is ignored."
    assert findings[0].row is None  # not a complaint row: stays out of the Check column


def test_bad_rule_messages_read_whole_in_chinese():
    grid = rules_sheet(["漏水规则", "", "", "正则", "(a*)*", "产品质量"],
                       ["价格规则", "", "", "", "价格", "价钱"], header=RULE_HEADER_ZH)
    _, findings = parse_rules(grid, LISTS)
    assert [f.message("zh-CN") for f in findings] == [
        "规则“漏水规则”：正则表达式中有嵌套重复（例如 (a+)+），可能使匹配无休止地运行。"
        "该规则已忽略。",
        "规则“价格规则”：“价钱”不是有效的“投诉类别”，可选：产品质量、服务态度、交付时效、价格、账务、"
        "售后服务、其他。该规则已忽略。",
    ]


def test_a_repeated_rule_id_is_a_finding_naming_the_first():
    grid = rules_sheet(["dup", "", "", "", "a", "Other"], ["DUP", "", "", "", "b", "Price"])
    rules, findings = parse_rules(grid, LISTS)
    assert [r.patterns for r in rules] == [("a",)]
    assert [(f.cell, f.message("en")) for f in findings] == [
        ("Rules!A3", "Rule DUP: the rule id is also used in Rules!A2. The rule is ignored.")]


def test_values_added_on_the_lists_sheet_are_accepted():
    lists = default_lists()
    lists["category"].pairs.append(("Noise", "噪音问题"))
    lists["category"] = type(lists["category"])(lists["category"].pairs)
    [found], findings = parse_rules(rules_sheet(["n", "", "", "", "吵", "噪音问题"]), lists)
    assert (found.sets, findings) == ({"category": "Noise"}, [])


def test_a_sheet_without_a_header_row_is_one_finding_and_no_rules():
    grid = Grid("Rules", [["broken", "Product quality"], ["late", "Delivery"]])
    rules, [item] = parse_rules(grid, LISTS)
    assert rules == []
    assert (item.code, item.cell) == ("bad-rules-sheet", "Rules!A1")
    assert item.message("en").endswith("No classification rules were applied.")
    assert item.message("zh-CN").endswith("未应用任何分类规则。")


def test_an_empty_rules_sheet_means_no_rules_and_no_findings():
    assert parse_rules(Grid("Rules", [[None, ""], []]), LISTS) == ([], [])


@pytest.mark.parametrize(("pattern", "nested"), [
    ("(a+)+", True),
    ("(a*)*", True),
    ("(?:ab|c+){2,}", True),
    ("((x+)y)*", True),
    (r"(\d+\s?)+", True),
    ("(a?)+", True),
    ("(?P<w>a+)+", True),
    ("(?i)(a+)+", True),
    ("(?i)a+(b)+", False),
    ("(ab)+", False),
    (r"(\d{3}-)+", False),
    ("(a+)?", False),
    ("(a+){1}", False),
    ("[(a+)]+", False),
    (r"\(a+\)+", False),
    (r"refund|退款\s*\d+", False),
    ("a{,}+", False),
])
def test_nested_quantifiers_are_recognised(pattern, nested):
    assert nested_quantifier(pattern) is nested


# --- writing the Rules sheet -------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_default_rules_round_trip_through_the_rules_sheet(lang):
    rows = rules_to_rows(DEFAULT_RULES, lang)
    assert rows[0] == (RULE_HEADER_ZH if lang == "zh-CN" else RULE_HEADER)
    rules, findings = parse_rules(Grid("Rules", rows), LISTS)
    assert findings == []
    assert [dataclasses.replace(r, cell="") for r in rules] == list(DEFAULT_RULES)
    assert rules[0].cell == "Rules!A2"


def test_every_kind_of_rule_round_trips():
    rules = [
        Rule("a", ("description",), "all", ("fridge", "漏水"), {"severity": "Major"}, True),
        Rule("b", ("channel",), "exact", ("Regulator referral",), {"severity": "Escalated",
                                                                   "department": "法务部"}),
        Rule("c", ("order_ref", "notes"), "regex", (r"^(?:RMA|退货)-\d{4,8}, ok$",),
             {"category": "After-sales", "urgency": "Planned"}),
    ]
    for lang in ("en", "zh-CN"):
        parsed, findings = parse_rules(Grid("Rules", rules_to_rows(rules, lang)), LISTS)
        assert findings == []
        assert [dataclasses.replace(r, cell="") for r in parsed] == rules


def test_rules_sheet_rows_show_values_in_the_sheets_language():
    row = rules_to_rows([Rule("a", ("description", "product"), "any", ("x", "y"),
                              {"category": "Billing", "urgency": "Immediate"}, True)], "zh-CN")[1]
    assert row == ["a", "是", "投诉内容、产品/服务", "任一", "x、y", "账务", None, "立即处理", None,
                   "是", None]


# --- the rules the card ships with -------------------------------------------------------------


def test_default_rules_cover_every_category_and_end_with_a_catch_all():
    categories = {r.sets["category"] for r in DEFAULT_RULES if "category" in r.sets}
    assert categories == {en for en, _ in LISTS["category"].pairs}
    last = DEFAULT_RULES[-1]
    assert (last.patterns, last.sets) == (("*",), {"category": "Other", "severity": "Normal",
                                                   "urgency": "Normal"})


@pytest.mark.parametrize(("text", "category", "severity", "urgency"), [
    ("My new fridge is broken and leaks water", "Product quality", "Normal", "Normal"),
    ("冰箱用了三天就漏水了", "Product quality", "Normal", "Normal"),
    ("The agent was rude and hung up on me", "Service attitude", "Normal", "Normal"),
    ("客服态度很差，不耐烦", "Service attitude", "Normal", "Normal"),
    ("The parcel is two weeks late", "Delivery", "Normal", "Normal"),
    ("快递延误，物流一直不更新", "Delivery", "Normal", "Normal"),
    ("Too expensive: the price dropped a week later", "Price", "Normal", "Normal"),
    ("买完就降价了，要求补差价", "Price", "Normal", "Normal"),
    ("I was charged twice and the refund never came", "Billing", "Normal", "Normal"),
    ("被重复扣费，账单不对", "Billing", "Normal", "Normal"),
    ("Still broken after the repair under warranty", "After-sales", "Normal", "Normal"),
    ("保修期内报修一周没人来维修", "After-sales", "Normal", "Normal"),
    ("Please open the store earlier on weekends", "Other", "Normal", "Normal"),
    ("The heater caught fire and my son was injured", "Product quality", "Major", "Immediate"),
    ("热水器漏电，孩子受伤了", "Product quality", "Major", "Immediate"),
    ("再不处理我就找媒体曝光，并请律师起诉", "Other", "Escalated", "Immediate"),
    ("已向12315投诉，价格欺骗", "Price", "Escalated", "Normal"),
    ("I will report you to the regulator", "Other", "Escalated", "Normal"),
    ("建议门店周末增加导购人员", "Other", "Normal", "Planned"),
    # The US CFPB complaint vocabulary, as an import would give it.
    ("Incorrect information on your report. Information belongs to someone else", "Billing",
     "Normal", "Normal"),
    ("Attempts to collect debt not owed. Debt is not yours", "Billing", "Normal", "Normal"),
    ("Fees or interest. Charged too much interest", "Price", "Normal", "Normal"),
    ("Problem with customer service", "Service attitude", "Normal", "Normal"),
    ("Communication tactics. Frequent or repeated calls", "Service attitude", "Normal", "Normal"),
    ("Struggling to pay mortgage. Loan modification", "After-sales", "Normal", "Normal"),
    ("Money was not available when promised", "Delivery", "Normal", "Normal"),
    ("Identity theft: someone opened an account in my name", "Other", "Major", "Immediate"),
    # Car-owner complaints: a named failure is Product quality even when its handling is also
    # criticised; a warranty or claim refused is After-sales; promised money is Price.
    ("领克01打方向卡顿多次更换转向机未解决", "Product quality", "Difficult", "Normal"),
    ("轮胎吃胎异常磨损", "Product quality", "Normal", "Normal"),
    ("车机系统及功能与宣传时不符", "Product quality", "Normal", "Normal"),
    ("转向机进水烧毁4S店拒赔", "After-sales", "Normal", "Normal"),
    ("发动机故障灯亮维修未解决", "Product quality", "Normal", "Normal"),
    ("经销商承诺的置换补贴一直未兑现", "Price", "Normal", "Normal"),
    ("经销商拒绝按时交付车辆", "Delivery", "Normal", "Normal"),
    ("4S店不退还订金", "Billing", "Normal", "Normal"),
    ("行驶中刹车失灵造成事故", "Product quality", "Major", "Immediate"),
])
def test_default_rules_classify_sample_complaints(text, category, severity, urgency):
    values = run(complaints({"description": text}), DEFAULT_RULES)
    assert values.loc[2, ["category", "severity", "urgency"]].tolist() == [
        category, severity, urgency]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_default_rules_classify_every_demo_description(lang):
    product = "冰箱" if lang == "zh" else "fridge"
    cases = [(template.format(product=product, days=5, n=3), category)
             for category, by_lang in DESCRIPTIONS.items() for template in by_lang[lang]]
    values = run(complaints(*({"description": text} for text, _ in cases)), DEFAULT_RULES)
    assert values["category"].tolist() == [category for _, category in cases]


def test_the_product_name_alone_does_not_decide_a_category():
    values = run(complaints({"description": "Please call me", "product": "Gas water heater"},
                            {"description": "请回电", "product": "吸油烟机"}), DEFAULT_RULES)
    assert values["category"].tolist() == ["Other", "Other"]
    assert values["severity"].tolist() == ["Normal", "Normal"]


def test_fifty_thousand_rows_are_classified_like_one():
    texts = ["冰箱漏水了", "The parcel is late", "refund please", "nothing", "客服态度差"]
    register = complaints(*({"description": texts[i % 5]} for i in range(50_000)))
    values = run(register, DEFAULT_RULES)
    assert values["category"].value_counts().to_dict() == {
        "Product quality": 10_000, "Delivery": 10_000, "Billing": 10_000, "Other": 10_000,
        "Service attitude": 10_000}
    assert values.at[50_001, "rule"] == "attitude, default"


# --- staff patterns that take too long -----------------------------------------------------------


@contextlib.contextmanager
def at_most(seconds: float):
    """Fail (rather than hang) when the block runs longer: Python's ``re`` checks for signals
    while it backtracks, so the alarm stops a search that would otherwise never end."""
    if not hasattr(signal, "setitimer"):
        pytest.skip("needs signal.setitimer (not on Windows)")

    def late(*_):
        raise AssertionError(f"still running after {seconds} seconds")

    previous = signal.signal(signal.SIGALRM, late)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize(("pattern", "text"), [
    # Both pass the nested-quantifier check, and both backtrack without end on a long complaint.
    ("(a|a)+$", "a" * 4990 + " broken!"),
    (r"(\w|\d)+$", "1" * 4990 + " broken!"),
])
def test_a_catastrophic_pattern_is_stopped_reported_at_its_cell_and_the_row_classified(pattern,
                                                                                       text):
    rules, problems = parse_rules(rules_sheet(["slow", "", "", "regex", pattern, "Price"],
                                              ["broken", "", "", "", "broken", "Product quality"]),
                                  LISTS)
    assert problems == []
    register = complaints({"description": "nothing to see"}, {"description": text})
    started = time.perf_counter()
    with at_most(20):
        result = classify(register, checked(register), rules)
    assert time.perf_counter() - started < 5
    assert result.values["category"].tolist() == [None, "Product quality"]
    assert result.values.at[3, "rule"] == "broken"
    [item] = result.findings
    assert (item.code, item.cell, item.value) == ("bad-rule", "Rules!E2", pattern)
    assert item.message("en") == (
        "Rule slow: the regular expression is too slow: searching the complaint in row 3 took "
        "more than 0.05 seconds; simplify it: a repeated group of alternatives such as (a|b)+ "
        r"or (\w|\d)+ can take forever, write [ab]+ or \w+ instead, or use keywords "
        "(Match: any). The rule is ignored.")
    assert item.message("zh-CN").startswith(
        "规则“slow”：正则表达式太慢：搜索第 3 行的投诉超过了 0.05 秒；")


def test_when_the_runs_time_for_patterns_is_spent_later_patterns_are_reported_not_run():
    rules = [dataclasses.replace(rule("first", "regex", ("refund",), category="Billing"),
                                 cell="Rules!A2", pattern_cell="Rules!E2"),
             dataclasses.replace(rule("second", "regex", ("late",), category="Delivery"),
                                 cell="Rules!A3", pattern_cell="Rules!E3"),
             rule("word", patterns=("refund",), category="Price")]
    register = complaints({"description": "refund please"})
    result = classify(register, checked(register), rules, clock=PatternClock(run_seconds=0))
    assert result.values.at[2, "category"] == "Price"
    assert [(f.cell, dict(f.params)["rule"]) for f in result.findings] == [
        ("Rules!E2", "first"), ("Rules!E3", "second")]
    assert "used up the 10 seconds a run allows them" in result.findings[0].message("en")
    assert "已用完允许的 10 秒" in result.findings[0].message("zh-CN")


def test_patterns_that_finish_in_time_match_as_before_and_report_nothing():
    rules, _ = parse_rules(rules_sheet(["order", "", "", "regex", r"order\s*#?\d{6}", "Billing"]),
                           LISTS)
    register = complaints({"description": "About ORDER #123456"}, {"description": "order 12"})
    result = classify(register, checked(register), rules)
    assert (result.values["category"].tolist(), result.findings) == (["Billing", None], [])


def test_a_rule_with_a_capture_group_matches_without_a_warning():
    grouped = rule("money", "regex", ("(退款|退货)",), category="Billing")
    register = complaints({"description": "我要退款"}, {"description": "申请退货"},
                          {"description": "我要换货"})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = classify(register, checked(register), [grouped])
    assert result.values["category"].tolist() == ["Billing", "Billing", None]


def test_a_slow_pattern_is_a_finding_of_the_whole_run():
    register = complaints({"description": "a" * 4990 + "!"})
    sheets = {"rules": rules_sheet(["slow", "", "", "regex", "(a|a)+$", "Price"])}
    with at_most(20):
        outcome = process(register, sheets, dt.date(2026, 3, 20))
    assert [(f.code, f.cell) for f in outcome.findings if f.code == "bad-rule"] == [
        ("bad-rule", "Rules!E2")]



@pytest.mark.parametrize(("text", "category", "severity"), [
    # Chinese has no spaces: keywords are chosen so that they do not hide in other words.
    ("账号无法退出登录", "Product quality", "Normal"),  # 退出 is not a refund (退款)
    ("请贵公司尽快回电", "Other", "Normal"),  # 贵公司 is not "expensive"
    ("安全带异响", "Product quality", "Normal"),  # 安全带 (seat belt) is not a safety risk
    ("噪音影响休息", "Product quality", "Normal"),  # 影响 holds 响 but is not a noise
    ("快递师傅送货上门太晚", "Delivery", "Normal"),  # a courier, not a repair visit
])
def test_default_chinese_keywords_do_not_match_inside_other_words(text, category, severity):
    values = run(complaints({"description": text}), DEFAULT_RULES)
    assert values.loc[2, ["category", "severity"]].tolist() == [category, severity]


def test_every_default_rule_explains_itself_in_the_notes_column():
    for lang, column in (("en", -1), ("zh-CN", -1)):
        rows = rules_to_rows(DEFAULT_RULES, lang)[1:]
        assert all(row[column] for row in rows)
    assert rules_to_rows(DEFAULT_RULES[:1], "zh-CN")[1][-1].startswith("危及人身安全")
