"""The Rules sheet: read into rules (a rule that cannot be understood is a finding at its cell),
and written back from rules in either language."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..fields import BY_KEY, field_for_header, fold
from ..findings import Finding, finding
from ..register import Grid
from ..text import Lang, Text
from ..vocab import Vocabulary, default_lists
from .guard import regex_problem
from .rules import DEFAULT_FIELDS, LIST_TARGETS, TARGETS, Rule


@dataclass(frozen=True)
class _Column:
    key: str
    en: str
    zh: str
    aliases: tuple[str, ...] = ()

    def header(self, lang: Lang | str) -> str:
        return Text(self.en, self.zh).in_(lang)

    def names(self) -> set[str]:
        return {fold(n) for n in (self.en, self.zh, *self.aliases)}


def _card_column(key: str) -> _Column:
    return _Column(key, BY_KEY[key].en, BY_KEY[key].zh, BY_KEY[key].aliases)


RULE_COLUMNS: tuple[_Column, ...] = (
    _Column("id", "Rule id", "规则编号", ("Rule", "ID", "规则", "编号")),
    _Column("enabled", "Enabled", "启用", ("Active", "On", "是否启用")),
    _Column("fields", "Fields", "匹配字段", ("Field", "Search in", "字段")),
    _Column("match", "Match", "匹配方式", ("Match type", "方式")),
    _Column("pattern", "Pattern", "关键词/模式",
            ("Keywords", "Keyword", "Regex", "关键词", "模式")),
    *(_card_column(key) for key in TARGETS),
    _Column("overwrite", "Overwrite", "覆盖已填", ("Overwrite typed values", "覆盖")),
    _Column("notes", "Notes", "备注", ("Note", "Comment", "说明")),
)
_COLUMN_BY_KEY = {c.key: c for c in RULE_COLUMNS}

# How the sheet writes yes, no and a list of fields or words in each language.
_SAY_YES, _SAY_NO, _JOINER = Text("yes", "是"), Text("no", "否"), Text(", ", "、")
_MATCH_WORDS = {"any": ("any", "任一"), "all": ("all", "全部"), "exact": ("exact", "等于"),
                "regex": ("regex", "正则")}
_MATCH_LOOKUP = {fold(w): kind for kind, words in {
    "any": ("any", "任一", "任意", "contains", "包含"),
    "all": ("all", "全部", "都包含"),
    "exact": ("exact", "equals", "等于", "精确"),
    "regex": ("regex", "regexp", "正则", "正则表达式"),
}.items() for w in words}
_YES = {"yes", "y", "true", "1", "on", "是", "开", "启用", "√", "✓"}
_NO = {"no", "n", "false", "0", "off", "否", "关", "停用", "×", "✗"}
_FIELD_SPLIT = re.compile(r"[,，、;；\n]+")
_KEYWORD_SPLIT = re.compile(r"[,，、;；|｜\n]+")


def _column_for_header(header: object) -> str | None:
    """Which rule column a header names, in either language or both (``Rule id 规则编号``)."""
    if header is None:
        return None
    folded = fold(header)
    for column in RULE_COLUMNS:
        if folded in column.names():
            return column.key
    for column in RULE_COLUMNS:
        if fold(column.en) in folded and fold(column.zh) in folded:
            return column.key
    return None


def _find_header(grid: Grid) -> tuple[int, dict[str, int]] | None:
    """The first row naming a Pattern column and at least one value the rule sets."""
    for i, row in enumerate(grid.rows[:30]):
        columns: dict[str, int] = {}
        for j, header in enumerate(row):
            key = _column_for_header(header)
            if key is not None and key not in columns:
                columns[key] = j
        if "pattern" in columns and any(key in columns for key in TARGETS):
            return i, columns
    return None


def parse_rules(grid: Grid, lists: dict[str, Vocabulary]) -> tuple[list[Rule], list[Finding]]:
    """The rules on the Rules sheet, top to bottom, and a finding for each rule left out."""
    if not any(_text(v) for row in grid.rows for v in row):
        return [], []
    found = _find_header(grid)
    if found is None:
        return [], [finding("bad-rules-sheet", grid.ref(0, 0))]
    top, columns = found
    rules: list[Rule] = []
    findings: list[Finding] = []
    seen: dict[str, str] = {}
    for i in range(top + 1, len(grid.rows)):
        row = _RuleRow(grid, i, top, columns, lists)
        rule, problems = row.parse()
        if rule is not None and fold(rule.id) in seen:
            first = seen[fold(rule.id)]
            problems.append(row.problem("id", rule.id, f"the rule id is also used in {first}",
                                        f"规则编号与 {first} 重复"))
        if problems:
            findings += problems
        elif rule is not None:
            seen[fold(rule.id)] = rule.cell
            rules.append(rule)
    return rules, findings


class _RuleRow:
    """One row of the Rules sheet being read; ``problem`` makes a finding at one of its cells."""

    def __init__(self, grid: Grid, i: int, top: int, columns: dict[str, int],
                 lists: dict[str, Vocabulary]) -> None:
        self.grid, self.i, self.columns, self.lists = grid, i, columns, lists
        self.id = self.text("id") or f"R{grid.first_row + i}"
        # Messages name a column as its header is written on the sheet.
        self.headers = {column.key: column.en for column in RULE_COLUMNS}
        for key, j in columns.items():
            self.headers[key] = _text(grid.value(top, j)) or self.headers[key]

    def text(self, key: str) -> str | None:
        return _text(self.grid.value(self.i, self.columns[key])) if key in self.columns else None

    def cell(self, key: str) -> str:
        return self.grid.ref(self.i, self.columns.get(key, self.columns.get("id", 0)))

    def problem(self, key: str, value: object, en: str, zh: str) -> Finding:
        return finding("bad-rule", self.cell(key), value=value, rule=self.id, problem=en,
                       problem_zh=zh)

    def parse(self) -> tuple[Rule | None, list[Finding]]:
        if not any(self.text(key) for key in ("id", "fields", "match", "pattern", *TARGETS)):
            return None, []  # an empty row, or a row holding only notes
        enabled, problems = self._yes_no("enabled", default=True)
        if enabled is False and not problems:
            return None, []
        fields = self._fields(problems)
        match = self._match(problems)
        patterns = self._patterns(match, fields, problems)
        sets = self._sets(problems)
        overwrite, more = self._yes_no("overwrite", default=False)
        problems += more
        if problems:
            return None, problems
        note = self.text("notes")
        rule = Rule(self.id, fields, match, patterns, sets, bool(overwrite),
                    self.grid.ref(self.i, self.columns.get("id", 0)), self.cell("pattern"),
                    Text(note, note) if note else None)
        return rule, []

    def _yes_no(self, key: str, default: bool) -> tuple[bool | None, list[Finding]]:
        raw = self.grid.value(self.i, self.columns[key]) if key in self.columns else None
        if isinstance(raw, bool):
            return raw, []
        text = _text(raw)
        if text is None:
            return default, []
        folded = fold(text)
        if folded in _YES or folded.removesuffix(".0") in _YES:
            return True, []
        if folded in _NO or folded.removesuffix(".0") in _NO:
            return False, []
        header = self.headers[key]
        return None, [self.problem(key, text, f"{header} must be yes or no, not {text!r}",
                                   f"“{header}”必须填写 是 或 否，而不是“{text}”")]

    def _fields(self, problems: list[Finding]) -> tuple[str, ...]:
        text = self.text("fields")
        if text is None:
            return DEFAULT_FIELDS
        keys: list[str] = []
        for name in (n.strip() for n in _FIELD_SPLIT.split(text)):
            key = field_for_header(name) if name else None
            if name and key is None:
                header = self.headers["fields"]
                problems.append(self.problem(
                    "fields", name, f"{header}: {name!r} is not a field of the card",
                    f"“{header}”中的“{name}”不是记录卡中的字段"))
            elif key and key not in keys:
                keys.append(key)
        return tuple(keys) or DEFAULT_FIELDS

    def _match(self, problems: list[Finding]) -> str:
        text = self.text("match")
        if text is None:
            return "any"
        kind = _MATCH_LOOKUP.get(fold(text))
        if kind is None:
            problems.append(self.problem(
                "match", text, f"{self.headers['match']} must be any, all, exact or regex, "
                f"not {text!r}", f"“{self.headers['match']}”必须是 任一、全部、等于 或 正则，"
                f"而不是“{text}”"))
        return kind or "any"

    def _patterns(self, match: str, fields: tuple[str, ...],
                  problems: list[Finding]) -> tuple[str, ...]:
        text = self.text("pattern")
        if text is None:
            problems.append(self.problem(
                "pattern", None, f"{self.headers['pattern']} is empty; write keywords, or * to "
                "match every complaint", f"“{self.headers['pattern']}”为空；请填写关键词，"
                "或用 * 匹配所有投诉"))
            return ()
        if match == "regex":
            trouble = regex_problem(text)
            if trouble:
                problems.append(self.problem("pattern", text, *trouble))
            return (text,)
        words = tuple(w.strip() for w in _KEYWORD_SPLIT.split(text) if w.strip())
        if match == "exact":
            words = tuple(self._canonical_value(w, fields) for w in words)
        return words

    def _canonical_value(self, word: str, fields: tuple[str, ...]) -> str:
        """A list value given in Chinese is kept as its English name, as the core compares."""
        for key in fields:
            if key in self.lists:
                canonical = self.lists[key].canonical(word)
                if canonical is not None:
                    return canonical
        return word

    def _sets(self, problems: list[Finding]) -> dict[str, str]:
        sets: dict[str, str] = {}
        for key in TARGETS:
            text = self.text(key)
            if text is None:
                continue
            if key == "department":
                sets[key] = text
                continue
            vocabulary = self.lists.get(key) or default_lists()[key]
            canonical = vocabulary.canonical(text)
            if canonical is None:
                header = self.headers[key]
                problems.append(self.problem(
                    key, text, f"{text!r} is not a valid {header}; choose one of: "
                    f"{', '.join(vocabulary.names('en'))}",
                    f"“{text}”不是有效的“{header}”，可选：{'、'.join(vocabulary.names('zh'))}"))
            else:
                sets[key] = canonical
        if not sets and not problems:
            target = next((k for k in TARGETS if k in self.columns), "pattern")
            problems.append(self.problem(
                target, None, "it sets none of Category, Severity, Urgency or Department",
                "未设置投诉类别、严重程度、紧急程度或责任部门中的任何一项"))
        return sets


def _text(value: object) -> str | None:
    """A cell as text; a whole number read as 12315.0 is the 12315 staff typed."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def rules_to_rows(rules: list[Rule] | tuple[Rule, ...], lang: str,
                  lists: dict[str, Vocabulary] | None = None) -> list[list]:
    """The Rules sheet for these rules: a header row in ``lang``, then one rule per row."""
    lists, said = lists or default_lists(), Lang.of(lang)
    joiner = _JOINER.in_(said)
    rows: list[list] = [[column.header(lang) for column in RULE_COLUMNS]]
    for rule in rules:
        fields = joiner.join(BY_KEY[f].header(lang) if f in BY_KEY else f for f in rule.fields)
        pattern = rule.patterns[0] if rule.match == "regex" else joiner.join(rule.patterns)
        labels = {key: lists[key].label(rule.sets[key], lang) if key in lists else rule.sets[key]
                  for key in LIST_TARGETS if key in rule.sets}
        rows.append([
            rule.id, _SAY_YES.in_(said), fields, Text(*_MATCH_WORDS[rule.match]).in_(said),
            pattern, labels.get("category"), labels.get("severity"), labels.get("urgency"),
            rule.sets.get("department"), (_SAY_YES if rule.overwrite else _SAY_NO).in_(said),
            rule.notes.in_(said) if rule.notes else None,
        ])
    return rows

