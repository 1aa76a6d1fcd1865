"""Settings staff edit in the workbook, parsed into typed values.

The Settings sheet holds a block of ``Setting | Value`` rows (either language) and, below it, the
deadline table. A value that cannot be understood becomes a finding at its cell and the default is
used: a bad setting never stops the run.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from .casenumbers import check_case_format
from .fields import BY_KEY, field_for_header, fold
from .findings import Finding, finding
from .register import Grid
from .text import Lang
from .vocab import Vocabulary, default_lists


@dataclass(frozen=True)
class Settings:
    language: str = "auto"  # "en" or "zh-CN"; "auto" follows the register's headers
    date_order: str = "YMD"  # how to read ambiguous text dates such as 03/04/2026: DMY or MDY
    case_format: str = "TS-{yyyy}{mm}-{seq:4}"
    due_soon_days: int = 1  # working days before a deadline when a case shows as due soon
    repeat_window_days: int = 30  # calendar days within which a second complaint is a repeat
    mask_personal_data: bool = True  # mask phone, email and names in reports and summaries
    weekend: tuple[int, ...] = (5, 6)  # Monday is 0
    # The handling process (see addin/core/stages.py for why these defaults):
    closing_checks: str = "error"  # what Resolved, Closed and Not accepted need
    stage_checks: str = "warning"  # what the statuses on the way need, and fields filled early
    order_checks: str = "error"  # steps dated out of order
    cause_type_to_close: bool = True  # Closed needs a Cause type
    follow_up_days: int = 5  # working days after the resolution to follow up by
    escalate_after_days: int = 5  # working days overdue before an escalation is proposed
    approval_above: float = 1000.0  # compensation above this needs an approver


def _language(text: str) -> str:
    folded = fold(text)
    if folded in {"auto", "自动"}:
        return "auto"
    if folded in {"en", "english", "英文", "英语"}:
        return "en"
    if folded in {"zh", "zh-cn", "chinese", "中文", "简体中文"}:
        return "zh-CN"
    raise ValueError("use en, zh-CN or auto", "请填写 en、zh-CN 或 auto")


def _date_order(text: str) -> str:
    folded = fold(text).upper().replace("-", "").replace("/", "")
    if folded in {"YMD", "DMY", "MDY"}:
        return folded
    raise ValueError("use DMY (18/03/2026) or MDY (03/18/2026); YMD is always understood",
                     "请填写 DMY（18/03/2026）或 MDY（03/18/2026）；年月日顺序始终可识别")


def _case_format(text: str) -> str:
    if "{seq" not in text:
        raise ValueError("the format needs a {seq} part, e.g. TS-{yyyy}{mm}-{seq:4}",
                         "格式中必须有序号 {seq}，例如 TS-{yyyy}{mm}-{seq:4}")
    unknown = set(re.findall(r"\{([^}:]*)", text)) - {"yyyy", "yy", "mm", "dd", "seq"}
    if unknown:
        parts = ", ".join("{" + u + "}" for u in sorted(unknown))
        raise ValueError(f"unknown part(s) {parts}", f"无法识别的部分 {parts}")
    return check_case_format(text)


def _whole(low: int, high: int) -> Callable[[Any], int]:
    def parse(value: Any) -> int:
        number = float(value)
        if number != int(number) or not low <= number <= high:
            raise ValueError(f"use a whole number from {low} to {high}",
                             f"请填写 {low} 到 {high} 之间的整数")
        return int(number)
    return parse


def _yes_no(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    folded = fold(value)
    if folded in {"yes", "y", "true", "1", "on", "是", "开", "开启"}:
        return True
    if folded in {"no", "n", "false", "0", "off", "否", "关", "关闭"}:
        return False
    raise ValueError("use yes or no", "请填写 是 或 否")


def _level(value: Any) -> str:
    folded = fold(value)
    if folded in {"error", "errors", "错误"}:
        return "error"
    if folded in {"warning", "warnings", "警告"}:
        return "warning"
    raise ValueError("use error or warning", "请填写 错误 或 警告")


def _amount(value: Any) -> float:
    number = float(str(value).replace(",", "").strip()) if isinstance(value, str) else float(value)
    if not 0 <= number < 1e12:
        raise ValueError("use an amount of 0 or more", "请填写不小于 0 的金额")
    return number


_DAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6,
         "周一": 0, "周二": 1, "周三": 2, "周四": 3, "周五": 4, "周六": 5, "周日": 6}


def _weekend(text: Any) -> tuple[int, ...]:
    parts = [p for p in re.split(r"[,，、\s]+", str(text)) if p]
    try:
        return tuple(sorted({_DAYS[fold(p)[:3] if p.isascii() else p] for p in parts}))
    except KeyError as err:
        raise ValueError("name days as Sat, Sun (or 周六, 周日)",
                         "请写成 周六, 周日（或 Sat, Sun）") from err


@dataclass(frozen=True)
class SettingSpec:
    name: str  # attribute of Settings
    en: str
    zh: str
    parse: Callable[[Any], Any]
    help_en: str
    help_zh: str


SETTING_SPECS: tuple[SettingSpec, ...] = (
    SettingSpec("language", "Language", "语言", _language,
                "en, zh-CN or auto (follow the headers): the language of list values and messages",
                "en、zh-CN 或 auto（跟随表头）：列表值和提示信息的语言"),
    SettingSpec("date_order", "Date order", "日期顺序", _date_order,
                "how to read 03/04/2026: DMY or MDY (2026-03-04 and 2026年3月4日 always work)",
                "如何理解 03/04/2026：DMY 或 MDY（2026-03-04 与 2026年3月4日 始终可识别）"),
    SettingSpec("case_format", "Case number format", "案件编号格式", _case_format,
                "prefix, date parts {yyyy} {yy} {mm} {dd} and a zero-padded {seq:4}",
                "前缀、日期部分 {yyyy} {yy} {mm} {dd} 以及补零序号 {seq:4}"),
    SettingSpec("due_soon_days", "Due soon within (working days)", "即将到期提醒（工作日）",
                _whole(0, 30), "working days before a deadline when a case shows as due soon",
                "距离时限还剩多少个工作日时标记为即将到期"),
    SettingSpec("repeat_window_days", "Repeat window (days)", "重复投诉窗口（天）",
                _whole(1, 3650), "a second complaint from the same phone or email within this many "
                "days is a repeat", "同一电话或邮箱在此天数内再次投诉即为重复投诉"),
    SettingSpec("mask_personal_data", "Mask personal data in reports", "报告中隐藏个人信息",
                _yes_no, "yes: reports and summaries show 138****5678, z***@example.com",
                "是：报告和摘要显示 138****5678、z***@example.com"),
    SettingSpec("weekend", "Weekend days", "周末", _weekend,
                "days that are not working days unless the Holidays sheet says so",
                "非工作日（节假日表中的调休上班日除外）"),
    SettingSpec("closing_checks", "Closing checks", "结案检查", _level,
                "error or warning: a Resolved, Closed or Not accepted case missing what that "
                "status needs (remedy, cause type, customer told, closed date, reason)",
                "错误 或 警告：已解决、已结案或不予受理的案件缺少该状态所需信息"
                "（处理方式、原因类别、告知结果时间、结案时间、不予受理原因）"),
    SettingSpec("stage_checks", "Stage checks", "环节检查", _level,
                "error or warning: an open case missing what its status needs (first reply, "
                "assigned date), or with later steps filled in too early",
                "错误 或 警告：未结案件缺少当前状态所需信息（首次回复、分派时间），"
                "或提前填写了后续环节"),
    SettingSpec("order_checks", "Date order checks", "时间顺序检查", _level,
                "error or warning: steps dated out of order (received, assigned, investigated, "
                "resolved, customer told, follow-up, closed)",
                "错误 或 警告：环节时间顺序不对（受理、分派、调查、解决、告知结果、回访、结案）"),
    SettingSpec("cause_type_to_close", "Cause type required to close", "结案须填原因类别",
                _yes_no, "yes: a Closed case needs a Cause type", "是：结案时必须填写原因类别"),
    SettingSpec("follow_up_days", "Follow up within (working days)", "回访时限（工作日）",
                _whole(0, 365), "working days after the resolution by which to follow up",
                "解决后多少个工作日内回访"),
    SettingSpec("escalate_after_days", "Escalate when overdue by (working days)",
                "超期升级（工作日）", _whole(0, 365),
                "an open case this many working days past its resolve deadline is proposed for "
                "escalation", "超过处理时限多少个工作日的未结案件建议升级"),
    SettingSpec("approval_above", "Compensation needing approval", "赔偿审批金额", _amount,
                "compensation above this amount needs Approved by and Approved before the case "
                "is resolved", "赔偿金额超过此数时，案件解决前必须填写审批人和审批时间"),
)

_SPEC_BY_LABEL = {fold(label): spec for spec in SETTING_SPECS
                  for label in (spec.name, spec.en, spec.zh)}


def parse_settings(grid: Grid | None) -> tuple[Settings, list[Finding]]:
    """The key/value block of the Settings sheet: a known label in column A, its value beside it."""
    settings, findings = Settings(), []
    if grid is None:
        return settings, findings
    for i, row in enumerate(grid.rows):
        label = row[0] if row else None
        spec = _SPEC_BY_LABEL.get(fold(label)) if label is not None else None
        value = grid.value(i, 1)
        if spec is None or value is None or str(value).strip() == "":
            continue
        try:
            settings = replace(settings, **{spec.name: spec.parse(value)})
        except (ValueError, TypeError) as err:
            en = str(err.args[0]) if err.args else str(err)
            zh = str(err.args[1]) if len(err.args) > 1 else en
            findings.append(finding("bad-setting", grid.ref(i, 1), value=value, name=spec.en,
                                    name_zh=spec.zh, problem=en, problem_zh=zh,
                                    **_shown_default(getattr(Settings(), spec.name))))
    return settings, findings


def _shown_default(value: Any) -> dict[str, str]:
    """The default as staff would type it, in both languages."""
    if isinstance(value, bool):
        return {"default": "yes" if value else "no", "default_zh": "是" if value else "否"}
    if value in ("error", "warning"):
        return {"default": value, "default_zh": {"error": "错误", "warning": "警告"}[value]}
    if isinstance(value, tuple):  # weekend days
        en = ", ".join(["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][d] for d in value)
        zh = ", ".join(["周一", "周二", "周三", "周四", "周五", "周六", "周日"][d] for d in value)
        return {"default": en, "default_zh": zh}
    return {"default": str(value)}


def parse_lists(grid: Grid | None) -> tuple[dict[str, Vocabulary], list[Finding]]:
    """The Lists sheet: per list field a column headed in English and one headed in Chinese.

    Row i of the English column and row i of the Chinese column name the same value; a list with
    only one column uses its values for both languages. Values are added to the card's defaults.
    """
    lists = default_lists()
    findings: list[Finding] = []
    if grid is None or not grid.rows:
        return lists, findings
    columns: dict[str, dict[Lang, int]] = {}
    for j, header in enumerate(grid.rows[0]):
        key = field_for_header(header)
        if key is None or BY_KEY[key].kind != "list" or BY_KEY[key].written:
            continue
        said = Lang.ZH if fold(header) == fold(BY_KEY[key].zh) else Lang.EN
        columns.setdefault(key, {}).setdefault(said, j)
    for key, where in columns.items():
        known = {fold(n) for pair in lists[key].pairs for n in pair}
        for i in range(1, len(grid.rows)):
            en = _text(grid.value(i, where[Lang.EN])) if Lang.EN in where else None
            zh = _text(grid.value(i, where[Lang.ZH])) if Lang.ZH in where else None
            if not en and not zh:
                continue
            en, zh = en or zh, zh or en
            if fold(en) in known or fold(zh) in known:
                continue
            lists[key].pairs.append((en, zh))
            known |= {fold(en), fold(zh)}
        lists[key] = Vocabulary(lists[key].pairs)
    return lists, findings


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


@dataclass
class Config:
    """Everything the workbook's own sheets say about how to process it."""

    settings: Settings = field(default_factory=Settings)
    lists: dict[str, Vocabulary] = field(default_factory=default_lists)
    rules: list = field(default_factory=list)  # list[classify.Rule]
    deadlines: list = field(default_factory=list)  # list[deadlines.DeadlineTarget]
    calendar: Any = None  # deadlines.WorkCalendar
    counters: dict[str, int] = field(default_factory=dict)  # case-number high-water marks


def load_config(sheets: dict[str, Grid], counters: dict[str, int] | None = None
                ) -> tuple[Config, list[Finding]]:
    """Parse the Settings, Lists, Rules and Holidays sheets; defaults for any that are missing."""
    from .classify import DEFAULT_RULES, parse_rules
    from .deadlines import DEFAULT_DEADLINES, default_calendar, parse_deadlines, parse_holidays

    settings, findings = parse_settings(sheets.get("settings"))
    lists, more = parse_lists(sheets.get("lists"))
    findings += more
    if "rules" in sheets:
        rules, more = parse_rules(sheets["rules"], lists)
        findings += more
    else:
        rules = list(DEFAULT_RULES)
    deadlines, more = parse_deadlines(sheets.get("settings"), lists)
    findings += more
    if not deadlines:
        deadlines = list(DEFAULT_DEADLINES)
    if "holidays" in sheets:
        calendar, more = parse_holidays(sheets["holidays"], settings.weekend)
        findings += more
    else:
        calendar = default_calendar(settings.weekend)
    config = Config(settings, lists, rules, deadlines, calendar, dict(counters or {}))
    return config, findings
