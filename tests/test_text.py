"""The bilingual text model and the refusal every door raises for problems staff can fix."""

from __future__ import annotations

import pytest

from addin.core.errors import EXIT_REFUSED, Refusal
from addin.core.text import Lang, Text


@pytest.mark.parametrize("given, expected", [
    ("zh-CN", Lang.ZH), ("zh", Lang.ZH), ("ZH_cn", Lang.ZH), ("zh_CN.UTF-8", Lang.ZH),
    ("zh-Hans", Lang.ZH), ("中文", Lang.ZH), ("简体中文", Lang.ZH), ("Chinese", Lang.ZH),
    ("en", Lang.EN), ("en-GB", Lang.EN), ("English", Lang.EN), ("C.UTF-8", Lang.EN),
    ("", Lang.EN), (None, Lang.EN), (Lang.ZH, Lang.ZH),
])
def test_a_language_is_parsed_once_from_whatever_the_caller_has(given, expected):
    assert Lang.of(given) is expected


def test_a_lang_is_still_the_code_older_callers_compare():
    assert Lang.ZH == "zh-CN" and Lang.ZH.startswith("zh")
    assert f"{Lang.EN}" == "en"


def test_a_text_is_chosen_and_formatted_in_both_languages_at_once():
    said = Text("{n} rows in {sheet}.", "{sheet} 中有 {n} 行。").format(
        n=3, sheet=Text("Complaints", "投诉登记"))
    assert said == Text("3 rows in Complaints.", "投诉登记 中有 3 行。")
    assert said.in_(Lang.ZH) == "投诉登记 中有 3 行。"
    assert said.in_("en") == str(said) == "3 rows in Complaints."


def test_sentences_are_joined_as_each_language_writes_them():
    joined = Text("Refused.", "已拒绝。").then(Text("Close it.", "请关闭。"))
    assert joined == Text("Refused. Close it.", "已拒绝。请关闭。")


def test_a_refusal_says_what_and_what_to_do_in_the_language_asked():
    refusal = Refusal(Text("a.csv is not a workbook.", "a.csv 不是工作簿。"),
                      fix=Text("Save it as .xlsx.", "请另存为 .xlsx。"))
    assert refusal.status == EXIT_REFUSED
    assert refusal.text(Lang.ZH) == "a.csv 不是工作簿。请另存为 .xlsx。"
    assert refusal.text() == "a.csv is not a workbook. Save it as .xlsx."
    assert str(refusal) == "a.csv is not a workbook."


def test_the_doors_refusals_fit_as_subclasses_with_their_two_string_constructor():
    class DoorRefused(Refusal):  # the shape of the batch door's WorkbookRefused
        def __init__(self, message: str, message_zh: str | None = None,
                     lost: list[str] | None = None) -> None:
            super().__init__(message)
            self.message = message
            self.message_zh = message_zh or message
            self.lost = lost or []

    refusal = DoorRefused("book.xlsx is open in Excel.", "book.xlsx 正在 Excel 中打开。")
    assert refusal.text("zh-CN") == "book.xlsx 正在 Excel 中打开。"
    assert refusal.said.en == "book.xlsx is open in Excel."
    assert Refusal("only English").text(Lang.ZH) == "only English"
    assert Refusal("x", "乙", status=5).status == 5


def test_parts_are_joined_with_each_languages_separator():
    parts = [Text("3 rows", "3 行"), Text("1 error", "1 个错误")]
    assert Text(", ", "，").join(parts) == Text("3 rows, 1 error", "3 行，1 个错误")


def test_a_text_is_still_the_pair_unconverted_code_indexes():
    title = Text("Validate", "校验")
    en, zh = title
    assert (en, zh, title[0]) == ("Validate", "校验", "Validate")
