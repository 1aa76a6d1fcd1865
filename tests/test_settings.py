"""Settings and lists sheets: typed values, and a bad value is a finding at its cell."""

import pytest

from addin.core.register import Grid
from addin.core.settings import Settings, parse_lists, parse_settings


def settings_grid(*rows):
    return Grid("Settings", [["Setting", "Value", "Notes"], *[list(r) for r in rows]])


def test_missing_sheet_gives_defaults():
    settings, findings = parse_settings(None)
    assert settings == Settings()
    assert findings == []


@pytest.mark.parametrize(("label", "value", "attribute", "expected"), [
    ("Language", "zh-CN", "language", "zh-CN"),
    ("语言", "中文", "language", "zh-CN"),
    ("Date order", "dmy", "date_order", "DMY"),
    ("日期顺序", "M/D/Y", "date_order", "MDY"),
    ("Case number format", "KS{yy}-{seq:5}", "case_format", "KS{yy}-{seq:5}"),
    ("Due soon within (working days)", 2, "due_soon_days", 2),
    ("重复投诉窗口（天）", "60", "repeat_window_days", 60),
    ("Mask personal data in reports", "no", "mask_personal_data", False),
    ("报告中隐藏个人信息", "是", "mask_personal_data", True),
    ("Weekend days", "Fri, Sat", "weekend", (4, 5)),
    ("周末", "周日", "weekend", (6,)),
])
def test_setting_is_read_in_either_language(label, value, attribute, expected):
    settings, findings = parse_settings(settings_grid((label, value)))
    assert findings == []
    assert getattr(settings, attribute) == expected


@pytest.mark.parametrize(("label", "value", "problem", "problem_zh"), [
    ("Date order", "sideways", "use DMY (18/03/2026) or MDY (03/18/2026); YMD is always understood",
     "请填写 DMY（18/03/2026）或 MDY（03/18/2026）"),
    ("Case number format", "TS-{yyyy}", "the format needs a {seq} part, e.g. TS-{yyyy}{mm}-{seq:4}",
     "格式中必须有序号 {seq}"),
    ("Case number format", "TS-{year}-{seq}", "unknown part(s) {year}", "无法识别的部分 {year}"),
    ("Repeat window (days)", 0, "use a whole number from 1 to 3650", "请填写 1 到 3650 之间的整数"),
    ("Repeat window (days)", "a month", "could not convert string to float: 'a month'",
     "could not convert string to float"),
    ("Mask personal data in reports", "maybe", "use yes or no", "请填写 是 或 否"),
])
def test_bad_setting_is_a_finding_at_its_cell_and_the_default_stays(label, value, problem,
                                                                      problem_zh):
    settings, findings = parse_settings(settings_grid(("Language", "en"), (label, value)))
    assert settings.language == "en"
    assert [(f.code, f.cell) for f in findings] == [("bad-setting", "Settings!B3")]
    assert problem in findings[0].message("en")
    assert "The default" in findings[0].message("en")
    assert problem_zh in findings[0].message("zh-CN")


def test_bad_setting_message_reads_whole_in_chinese():
    _, [item] = parse_settings(settings_grid(("报告中隐藏个人信息", "也许")))
    assert item.message("zh-CN") == "设置“报告中隐藏个人信息”：请填写 是 或 否。已使用默认值“是”。"
    assert item.message("en") == ("Setting Mask personal data in reports: use yes or no. "
                                  "The default (yes) is used.")


def test_unknown_setting_rows_and_blank_values_are_ignored():
    settings, findings = parse_settings(settings_grid(("Colour", "blue"), ("Language", None)))
    assert settings == Settings()
    assert findings == []


def test_lists_sheet_adds_values_in_both_languages():
    grid = Grid("Lists", [["Channel", "投诉渠道", "Severity"],
                          ["WeChat", "微信", None],
                          ["Phone", "电话", "Critical"],
                          [None, None, None]])
    lists, findings = parse_lists(grid)
    assert findings == []
    assert lists["channel"].canonical("微信") == "WeChat"
    assert lists["channel"].label("WeChat", "zh-CN") == "微信"
    assert lists["channel"].names("en").count("Phone") == 1
    assert lists["severity"].canonical("critical") == "Critical"
    assert lists["severity"].label("Critical", "zh-CN") == "Critical"
