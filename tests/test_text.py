"""The bilingual text model and the refusal every door raises for problems staff can fix."""

from __future__ import annotations

import ast
import importlib
import re
from fnmatch import fnmatch
from pathlib import Path
from types import ModuleType

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


# --------------------------------------------------------------------------- every text in both

def _registries() -> dict[str, dict[object, Text]]:
    """Every table of staff-facing texts in the converted modules, by a name a failure shows."""
    from addin import cli, demo, importer
    from addin.batch import run
    from addin.batch.safety import limits, losses, oserrors, saving
    from addin.core import actions, calendar, hints, suggest
    from addin.layout import (
        actions_sheet,
        branches,
        defaults,
        findings_sheet,
        learning_words,
        log,
        sheets,
        words,
    )
    from addin.workbook import build, card, card_events, examples, holidays, side_sheets, texts
    from addin.xl import feedback
    from reports import company, i18n, monthly

    def numbered(texts) -> dict[object, Text]:
        return dict(enumerate(texts))

    return {
        "layout words TEXT": words.TEXT, "report words": i18n.REPORT_TEXT,
        "Actions headers": actions_sheet.ACTION_HEADERS,
        "Volume headers": actions_sheet.VOLUME_HEADERS, "separators": words.SEPARATORS,
        "batch run SAYS": run.SAYS, "package limits SAYS": limits.SAYS,
        "FEATURE_LABELS": losses.FEATURE_LABELS,
        "OS errors": {f"{code} {part}": said for code, pair in oserrors._KNOWN.items()
                      for part, said in zip(("what", "todo"), pair, strict=True)},
        "save refusals": {"would_lose": saving._WOULD_LOSE, "wrong_kind": saving._WRONG_KIND,
                          **saving._KINDS},
        "sheet titles": sheets.SHEET_TITLES, "Settings header": numbered(defaults.SETTINGS_HEADER),
        "yes/no": defaults.YES_NO, "weekdays": {"weekdays": defaults.WEEKDAYS},
        "Findings header": numbered(findings_sheet.FINDINGS_HEADERS),
        "finding levels": findings_sheet.LEVEL_LABELS, "Log header": numbered(log.LOG_HEADERS),
        "holiday kinds": calendar.KIND_LABELS,
        "Holidays header": numbered(calendar.HOLIDAY_HEADERS),
        "holiday names": calendar.HOLIDAY_NAMES, "report file tag": {"tag": monthly._FILE_TAG},
        "command line SAYS": cli.SAYS, "importer SAYS": importer.SAYS, "demo SAYS": demo.SAYS,
        "live door titles": feedback.TITLES, "live door texts": feedback.TEXTS,
        "action verdicts": actions.VERDICTS, "target metrics": actions.METRIC_NAMES,
        "suggestion quality": {**suggest._OFF, "accuracy": suggest._ACCURACY},
        "suggested department": {"department": hints._DEPARTMENT},
        "company report SAYS": company.SAYS,
        "learning words": learning_words.WORDS, "company tables": branches.WORDS,
        "action statuses": numbered(actions_sheet.ACTION_STATUSES),
        "target examples": {f"{i} {part}": said for i, example in
                            enumerate(actions_sheet.TARGET_EXAMPLES)
                            for part, said in zip(("form", "meaning"), example, strict=True)},
        "target rule": {"rule": actions_sheet.TARGET_RULE},
        # the workbook builder's
        "input messages": texts.FIELD_HELP, "input titles": texts.HELP_TITLE,
        "column help": {"kept": texts.KEPT_HELP, "written": texts.WRITTEN_HELP},
        "dropdown error": texts.DROPDOWN_ERROR, "button captions": texts.CAPTIONS,
        "button help": texts.BUTTON_HELP,
        "no buttons": {"register": texts.NO_BUTTONS, **numbered(texts.NO_BUTTONS_HELP)},
        "Case log help": {f"{i} {part}": said for i, topic in enumerate(texts.CASE_LOG_HELP)
                          for part, said in zip(("topic", "text"), topic, strict=True)},
        "event help": texts.EVENT_HELP, "Help titles": side_sheets.HELP_TITLES,
        "Help headers": {f"{table} {j}": said for table, cells in side_sheets.HELP_HEADERS.items()
                         for j, said in enumerate(cells) if isinstance(said, Text)},
        "xlwings.conf notes": numbered(side_sheets.CONF_NOTES), "Card texts": card.TEXTS,
        "Card events": {"change": card_events.CHANGE}, "built sheet names": build.OWN_SHEETS,
        "Holidays source": {"header": holidays.SOURCE_HEADER, "official": holidays.OFFICIAL,
                            "provisional": holidays.PROVISIONAL},
        "example rows": {f"{i} {key}": said for i, example in enumerate(examples._TYPED)
                         for key, said in example.items() if isinstance(said, Text)},
    }


def _placeholders(template: str) -> set[str]:
    import string

    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_registered_text_is_said_in_both_languages():
    untranslated = [f"{name}[{key!r}]: {said!r}"
                    for name, table in _registries().items() for key, said in table.items()
                    if not isinstance(said, Text) or not said.en.strip() or not said.zh.strip()
                    or said.zh == said.en]
    assert untranslated == []


def test_a_chinese_text_fills_in_only_what_its_english_names():
    # The Chinese may leave a placeholder out (环比 needs no month name); it may not invent one,
    # or filling it in would fail in Chinese only.
    invented = [f"{name}[{key!r}]" for name, table in _registries().items()
                for key, said in table.items()
                if not _placeholders(said.zh) <= _placeholders(said.en)]
    assert invented == []


def _builder_values():
    """(module.name, value) of what each workbook builder module defines at its top level."""
    for path in sorted((ROOT / "addin" / "workbook").glob("*.py")):
        module = importlib.import_module(f"addin.workbook.{path.stem}")
        imported = {alias.asname or alias.name.split(".")[0]
                    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                    if isinstance(node, ast.Import | ast.ImportFrom) for alias in node.names}
        for name, value in vars(module).items():
            if not (name.startswith("__") or name in imported or callable(value)
                    or isinstance(value, ModuleType)):
                yield f"{path.stem}.{name}", value


def _said_in(value):
    """The Texts in a value, and any (English, Chinese) pair of strings left unconverted."""
    if isinstance(value, Text):
        yield value
    elif (type(value) is tuple and len(value) == 2 and all(isinstance(v, str) for v in value)
          and re.search("[\u4e00-\u9fff]", value[1]) and not re.search("[\u4e00-\u9fff]",
                                                                          value[0])):
        yield value
    elif isinstance(value, dict):
        for inner in value.values():
            yield from _said_in(inner)
    elif isinstance(value, tuple | list):
        for inner in value:
            yield from _said_in(inner)


def unregistered_builder_texts() -> list[str]:
    """Texts the workbook builder defines outside the registries, and pairs never made Texts."""
    registered = {said for table in _registries().values() for said in table.values()}
    return [f"{name}: {said!r}" for name, value in _builder_values()
            for said in _said_in(value) if not isinstance(said, Text) or said not in registered]


def test_every_text_the_builder_defines_is_registered():
    assert unregistered_builder_texts() == [], "make it a Text and register its table above"


def test_the_builder_check_finds_a_new_table_or_a_pair_left_as_a_tuple(monkeypatch):
    from addin.workbook import texts

    monkeypatch.setattr(texts, "EXTRA", {"new": Text("New words", "新词")}, raising=False)
    monkeypatch.setattr(texts, "OLD", (("Save", "保存"),), raising=False)
    assert unregistered_builder_texts() == ["texts.EXTRA: Text(en='New words', zh='新词')",
                                            "texts.OLD: ('Save', '保存')"]


def test_the_registry_check_fails_on_a_copied_or_missing_translation(monkeypatch):
    from addin.layout import words

    monkeypatch.setitem(words.TEXT, "kpis", Text("Key figures", "Key figures"))
    with pytest.raises(AssertionError, match="kpis"):
        test_every_registered_text_is_said_in_both_languages()
    monkeypatch.setitem(words.TEXT, "kpis", Text("Key figures", ""))
    with pytest.raises(AssertionError, match="kpis"):
        test_every_registered_text_is_said_in_both_languages()


# --------------------------------------------------------------------------- no inline choices

ROOT = Path(__file__).resolve().parents[1]
# A language chosen by testing its code: startswith("zh"), == "zh...", lang == "...".
INLINE_CHOICE = re.compile(r"""startswith\(\s*["']zh|[=!]=\s*["']zh|\blang\s*[=!]=\s*["']""")
# The one place a language is parsed from text.
PARSES_LANGUAGES = {"addin/core/text.py"}
# Modules still choosing their language inline: none now. Never add to it.
STILL_INLINE: tuple[str, ...] = ()


def inline_choices(root: Path = ROOT) -> list[str]:
    """Source files (outside the allowed ones) that choose a language by testing its code."""
    found = []
    for folder in ("addin", "reports", "udfs"):
        for path in sorted((root / folder).rglob("*.py")):
            name = path.relative_to(root).as_posix()
            if name in PARSES_LANGUAGES or any(fnmatch(name, p) for p in STILL_INLINE):
                continue
            if INLINE_CHOICE.search(path.read_text(encoding="utf-8")):
                found.append(name)
    return found


def test_no_new_module_chooses_its_language_inline():
    assert inline_choices() == [], "parse the language once with Lang.of and say it with Text"


def test_the_inline_choice_check_finds_a_new_one(tmp_path):
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "new.py").write_text('zh = lang.startswith("zh")\n')
    (tmp_path / "reports" / "other.py").write_text('if lang == "en":\n    pass\n')
    (tmp_path / "reports" / "third.py").write_text("zh = code == 'zh-CN'\n")
    (tmp_path / "reports" / "fine.py").write_text("said = Lang.of(lang)\n")
    (tmp_path / "addin" / "workbook").mkdir(parents=True)
    (tmp_path / "addin" / "workbook" / "old.py").write_text("x = lang.startswith('zh')\n")
    assert inline_choices(tmp_path) == ["addin/workbook/old.py", "reports/new.py",
                                        "reports/other.py", "reports/third.py"]
