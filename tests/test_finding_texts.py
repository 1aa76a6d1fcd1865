"""A finding's message and what to do, filled from its cell, value and parameters."""

from __future__ import annotations

from addin.core import findings
from addin.core.findings import Finding, finding
from addin.core.text import Lang, Text

TEMPLATE = Text("{cell}: {value!r} is not {expected:>5}; see {problem} and {unknown}",
                "{cell}：{value!r} 不是 {expected:>5}；见 {problem}、{unknown}")


def test_a_text_is_filled_from_the_finding_and_its_parameters():
    item = Finding("not-a-date", "Complaints!B7", "received_at", "soon", (
        ("expected", "date"), ("problem", Text("the order", "日期顺序")),
        ("problem_zh", "中文说明")), 7)
    assert item._filled(TEMPLATE, Lang.EN) == \
        "Complaints!B7: 'soon' is not  date; see the order and {unknown}"
    # In Chinese a parameter given twice takes its _zh form as it is.
    assert item._filled(TEMPLATE, Lang.ZH) == \
        "Complaints!B7：'soon' 不是  date；见 中文说明、{unknown}"


def test_placeholders_are_read_once_per_text_by_their_names():
    assert findings._placeholders("{a} {b:,} {c.year} {d[0]} {a!r} {{e}}") == ("a", "b", "c", "d")


def test_every_catalogue_text_fills_without_a_placeholder_left():
    for code, entry in findings.CATALOGUE.items():
        for template in (entry.message, entry.fix):
            for lang in (Lang.EN, Lang.ZH):
                names = findings._placeholders(template.in_(lang))
                params = {name: 12 for name in names if name not in ("value", "cell")}
                text = finding(code, "S!A1", value="x", **params)._filled(template, lang)
                assert "{" not in text, (code, lang)
