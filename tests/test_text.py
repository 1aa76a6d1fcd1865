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


def test_the_batch_doors_refusal_fits_as_a_subclass_with_its_constructor():
    from addin.batch.safety import WorkbookRefused

    class Fitted(WorkbookRefused, Refusal):  # what `class WorkbookRefused(Refusal)` will be
        pass

    refusal = Fitted("book.xlsx is open in Excel.", "book.xlsx 正在 Excel 中打开。", lost=["x"])
    assert isinstance(refusal, Refusal) and refusal.status == EXIT_REFUSED
    assert refusal.said == Text("book.xlsx is open in Excel.", "book.xlsx 正在 Excel 中打开。")
    assert refusal.text(Lang.ZH) == "book.xlsx 正在 Excel 中打开。" and refusal.lost == ["x"]


def test_a_refusal_given_one_language_shows_it_in_both_and_may_carry_its_status():
    assert Refusal("only English").text(Lang.ZH) == "only English"
    assert Refusal("x", "乙", status=5).status == 5


def test_parts_are_joined_with_each_languages_separator():
    parts = [Text("3 rows", "3 行"), Text("1 error", "1 个错误")]
    assert Text(", ", "，").join(parts) == Text("3 rows, 1 error", "3 行，1 个错误")


def test_a_text_is_still_the_pair_unconverted_code_indexes():
    title = Text("Validate", "校验")
    en, zh = title
    assert (en, zh, title[0]) == ("Validate", "校验", "Validate")
