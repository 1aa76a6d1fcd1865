"""Problem class and Part tags: what the complaint text names, beside the category."""

from __future__ import annotations

import datetime as dt

import pytest

from addin.core.pipeline import process
from addin.core.register import Register
from addin.core.tags import PARTS, PROBLEMS, label, tag


def tags_of(texts: list[str], products: list[str | None] | None = None):
    products = products or [None] * len(texts)
    rows = [[text, product] for text, product in zip(texts, products, strict=True)]
    return tag(Register.from_values("Complaints", 1, 1, ["Complaint", "Product/Service"], rows))


@pytest.mark.parametrize(("text", "product", "problem", "part"), [
    # Chinese car-owner complaints, as the owners wrote them.
    ("一汽大众高尔夫变速箱顿挫维修后未解决", None, "Stalling or loss of power", "Transmission"),
    ("一汽大众蔚领天窗严重漏水质量差", None, "Leak", "Glass and sunroof"),
    ("东南DX7车门底部和车身出现生锈的现象", None, "Rust or corrosion", "Body and paint"),
    ("上汽大众途昂新车前减震处异响非常严重", None, "Noise", "Suspension"),
    ("华晨宝马3系中控影音系统频繁重启", None, "Software fault", "Infotainment"),
    ("众泰T600 Coupe电子手刹及驻车故障灯亮", None, "Warning light", "Brakes"),
    ("东风标致3008空调不制冷", None, "Does not work", "Air conditioning"),
    ("奇瑞瑞虎8固铂轮胎鼓包存在质量问题", None, "Crack or break", "Tyres and wheels"),
    # A转向灯 is a lamp, not the steering.
    ("左侧转向灯不亮", None, "Does not work", "Lights"),
    # English equivalents.
    ("Loud grinding noise from the gearbox when shifting", None, "Noise", "Transmission"),
    ("The engine stalls at every junction", None, "Stalling or loss of power", "Engine"),
    # CFPB complaints: the issue as the complaint, the product as the product.
    ("Incorrect information on your report / Information belongs to someone else",
     "Credit reporting, credit repair services, or other personal consumer reports / Credit "
     "reporting", "Credit report error", "Credit report"),
    ("Attempts to collect debt not owed / Debt is not yours", "Debt collection / Medical debt",
     "Debt collection contact", "Debt"),
    ("Fees or interest / Charged too much interest", "Credit card or prepaid card",
     "Fees or interest", "Card"),
    ("Struggling to pay mortgage", "Mortgage / Conventional home mortgage", "Payment problem",
     "Mortgage"),
    # Nothing known named: no tag rather than a guess.
    ("广汽传祺GM6全款购车4S店一直未给合格证", None, None, None),
])
def test_tags_name_the_problem_and_the_part(text, product, problem, part):
    found = tags_of([text], [product])
    assert found.at[2, "problem"] == problem
    assert found.at[2, "part"] == part


def test_latin_keywords_match_whole_words_only():
    # "wear" is not in "swear", "rust" not in "trust", "card" not in "discarded".
    found = tags_of(["I swear I trust you, the letter was discarded"])
    assert found.at[2, "problem"] is None and found.at[2, "part"] is None


def test_every_tag_has_both_names_and_keywords():
    for name, zh, keywords, note in PROBLEMS + PARTS:
        assert name and zh and keywords and note
        assert label(name, "zh-CN") == zh and label(name, "en") == name


def test_the_pipeline_writes_tags_in_the_sheets_language():
    headers = ["受理时间", "投诉渠道", "客户姓名", "联系电话", "投诉内容", "处理状态"]
    rows = [[dt.datetime(2026, 3, 2, 9), "电话", "张三", "13800000000",
             "发动机漏油，4S店不处理", "新建"]]
    register = Register.from_values("投诉登记", 1, 1, headers, rows)
    outcome = process(register, {}, dt.date(2026, 3, 31))
    assert outcome.changes["problem"][2] == "渗漏"
    assert outcome.changes["part"][2] == "发动机"
    assert {"problem", "part"} <= set(outcome.new_columns)
    # The analyses group by the canonical names.
    assert outcome.cases.at[2, "problem"] == "Leak"
    assert outcome.cases.at[2, "part"] == "Engine"
    # Tags never touch the category.
    assert outcome.cases.at[2, "category"] == "Product quality"
