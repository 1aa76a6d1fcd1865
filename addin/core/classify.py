"""Classification rules as data: the Rules sheet, parsed into rules and applied top to bottom.

A rule searches some of the card's fields and, when it matches, sets category, severity, urgency
and/or department. Rules staff write in the workbook are checked when they are read: a rule that
cannot be understood is a finding at its cell and is left out, never a crash, and the workbook's
text is never evaluated as code.

Matching folds text first (NFKC, so full-width letters and digits count as ordinary ones, and
case-insensitive). Chinese keywords match anywhere in the text, so no word segmentation is needed:
漏水 matches 冰箱漏水了. Keywords in Latin letters or digits match whole words, because a plain
substring search would read "late" in "related" and "chocolate"; a keyword ending in ``*`` matches
any ending (``charg*``: charge, charged, charging).
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import default_rules
from .cells import distinct_values, is_empty
from .fields import BY_KEY, field_for_header, fold
from .findings import Finding, finding
from .register import Grid, Register
from .vocab import Vocabulary, default_lists

MATCH_KINDS = ("any", "all", "exact", "regex")
# Fields a rule searches when its Fields cell is empty.
DEFAULT_FIELDS = ("description", "request", "product")
TARGETS = ("category", "severity", "urgency", "department")
LIST_TARGETS = ("category", "severity", "urgency")
MAX_REGEX_LENGTH = 200
MAX_TEXT_LENGTH = 5000  # characters of a row's text that rules search
EVERY = "*"  # a keyword that matches every complaint: the catch-all rule


@dataclass(frozen=True)
class Rule:
    id: str
    fields: tuple[str, ...]  # field keys searched, e.g. ("description", "request", "product")
    match: str  # "any" | "all" | "exact" | "regex"
    patterns: tuple[str, ...]  # keywords (any/all), values (exact), or one regex
    sets: dict[str, str]  # field key -> value; list values canonical English, department free text
    overwrite: bool = False  # True: replace values staff typed
    cell: str = ""  # where the rule is, e.g. "Rules!A5"


@dataclass
class Classification:
    values: pd.DataFrame  # category, severity, urgency, department, rule; index = register rows
    filled: pd.DataFrame  # bool, same columns minus rule: True where a rule set the value this run


DEFAULT_RULES: tuple[Rule, ...] = tuple(
    Rule(rule_id, DEFAULT_FIELDS, match, tuple(patterns), dict(sets))
    for rule_id, match, patterns, sets in default_rules.RULES
)


# --------------------------------------------------------------------------------------------
# The Rules sheet


@dataclass(frozen=True)
class _Column:
    key: str
    en: str
    zh: str
    aliases: tuple[str, ...] = ()

    def header(self, lang: str) -> str:
        return self.zh if lang.startswith("zh") else self.en

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
        rule = Rule(self.id, fields, match, patterns, sets, bool(overwrite),
                    self.grid.ref(self.i, self.columns.get("id", 0)))
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
    lists = lists or default_lists()
    zh = lang.startswith("zh")
    joiner = "、" if zh else ", "
    rows: list[list] = [[column.header(lang) for column in RULE_COLUMNS]]
    for rule in rules:
        fields = joiner.join(BY_KEY[f].header(lang) if f in BY_KEY else f for f in rule.fields)
        pattern = rule.patterns[0] if rule.match == "regex" else joiner.join(rule.patterns)
        labels = {key: lists[key].label(rule.sets[key], lang) if key in lists else rule.sets[key]
                  for key in LIST_TARGETS if key in rule.sets}
        rows.append([
            rule.id, "是" if zh else "yes", fields, _MATCH_WORDS[rule.match][zh], pattern,
            labels.get("category"), labels.get("severity"), labels.get("urgency"),
            rule.sets.get("department"), ("是" if zh else "yes") if rule.overwrite else
            ("否" if zh else "no"), None,
        ])
    return rows


# --------------------------------------------------------------------------------------------
# Regular expressions staff write

_QUANTIFIER = re.compile(r"\*|\+|\?|\{(\d*)(,?)(\d*)\}")


def regex_problem(pattern: str) -> tuple[str, str] | None:
    """Why a regular expression from the workbook is refused (English, Chinese), or None."""
    if len(pattern) > MAX_REGEX_LENGTH:
        return (f"the regular expression has {len(pattern)} characters; at most "
                f"{MAX_REGEX_LENGTH} are allowed",
                f"正则表达式有 {len(pattern)} 个字符，最多允许 {MAX_REGEX_LENGTH} 个")
    try:
        _compiled(pattern)
    except re.error as err:
        return (f"the regular expression is not valid ({err})", f"正则表达式无效（{err}）")
    if _nested_quantifier(unicodedata.normalize("NFKC", pattern)):
        return ("the regular expression repeats a part that is itself repeated, such as (a+)+, "
                "which can make matching take forever",
                "正则表达式中有嵌套重复（例如 (a+)+），可能使匹配无休止地运行")
    return None


@functools.lru_cache(maxsize=512)
def _compiled(pattern: str) -> re.Pattern[str]:
    # The text searched is NFKC-folded, so the pattern is too: full-width letters in it still match.
    return re.compile(unicodedata.normalize("NFKC", pattern), re.IGNORECASE)


def _read_quantifier(pattern: str, at: int) -> tuple[tuple[int, float] | None, int]:
    """The quantifier at ``at`` as (min, max), or None, and the index after it."""
    found = _QUANTIFIER.match(pattern, at)
    if found is None:
        return None, at
    text = found.group()
    if text == "*":
        bounds: tuple[int, float] = (0, float("inf"))
    elif text == "+":
        bounds = (1, float("inf"))
    elif text == "?":
        bounds = (0, 1)
    else:
        low, comma, high = found.groups()
        if not low and not high:
            return None, at  # "{}" or "{,}" is literal text
        bounds = (int(low or 0), float(high) if high else (float("inf") if comma else int(low)))
    end = found.end()
    if end < len(pattern) and pattern[end] in "?+":  # lazy or possessive
        end += 1
    return bounds, end


def _skip_class(pattern: str, at: int) -> int:
    """The index after a character class ``[...]`` starting at ``at``."""
    i = at + 1
    if i < len(pattern) and pattern[i] == "^":
        i += 1
    if i < len(pattern) and pattern[i] == "]":
        i += 1
    while i < len(pattern) and pattern[i] != "]":
        i += 2 if pattern[i] == "\\" else 1
    return i + 1


def _skip_group_opening(pattern: str, at: int) -> int:
    """The index after ``(``, ``(?:``, ``(?P<name>``, ``(?<=`` and the like."""
    i = at + 1
    if pattern.startswith("?", i):
        close = re.match(r"\?(?:P<[^>]*>|P=[^)]*|<[=!]|<[^>]*>|[:=!>|]|[aiLmsux-]*[:)])",
                         pattern[i:])
        i += close.end() if close else 1
    return i


def _nested_quantifier(pattern: str) -> bool:
    """True when a repeated group holds a part of variable length: (a+)+, (a*)*, (\\d+\\s?)+.

    Such patterns backtrack exponentially on text that almost matches.
    """
    varying = [False]  # per open group: does it hold a quantifier of variable length?
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "(":
            i = _skip_group_opening(pattern, i)
            if pattern[i - 1] != ")":  # not a flags-only group such as (?i)
                varying.append(False)
            continue
        if char == ")" and len(varying) > 1:
            inner = varying.pop()
            bounds, i = _read_quantifier(pattern, i + 1)
            if bounds and inner and bounds[1] > 1:
                return True
            varying[-1] |= inner or bool(bounds and bounds[0] != bounds[1])
            continue
        if char == "[":
            i = _skip_class(pattern, i)
        else:
            i += 2 if char == "\\" else 1
        bounds, i = _read_quantifier(pattern, i)
        if bounds and bounds[0] != bounds[1]:
            varying[-1] = True
    return False


# --------------------------------------------------------------------------------------------
# Matching


_WORDS = re.compile(r"[a-z0-9]+")
# A keyword made of Latin words and digits, perhaps joined by spaces or punctuation.
_WORDY = re.compile(r"[a-z0-9]+(?:[\s\-'’./_]+[a-z0-9]+)*")


@dataclass(frozen=True)
class _Keyword:
    text: str  # folded, spaces collapsed, without the trailing *
    any_ending: bool

    @classmethod
    def parse(cls, raw: str) -> _Keyword:
        folded = " ".join(unicodedata.normalize("NFKC", raw).casefold().split())
        return cls(folded.rstrip("*").strip(), folded.endswith("*"))

    @property
    def every(self) -> bool:
        return not self.text

    @property
    def words(self) -> tuple[str, ...] | None:
        """The words of a keyword written in Latin letters or digits; None for other text."""
        if _WORDY.fullmatch(self.text):
            return tuple(_WORDS.findall(self.text))
        return None


def _is_word_char(char: str) -> bool:
    return char.isascii() and char.isalnum()


_WORD_BYTES = bytes(b if 48 <= b <= 57 or 97 <= b <= 122 or b == 0 else 32 for b in range(256))


class _Words:
    """Every Latin word or number of the text, in order, with the row it is in.

    Words are numbered in alphabetical order, so the words that begin with a prefix (refund*)
    are one range of numbers, and the positions of any range are found by binary search.
    """

    def __init__(self, text: str) -> None:
        # Splitting bytes is several times faster than a regex over the text: every byte that is
        # not a-z, 0-9 or the row separator (including all bytes of non-ASCII characters)
        # becomes a space.
        raw = text.encode("utf-8").translate(_WORD_BYTES).replace(b"\x00", b" \x00 ")
        tokens = raw.split()
        self.vocabulary = sorted(set(tokens))
        number = {word: i for i, word in enumerate(self.vocabulary)}
        self.codes = np.fromiter(map(number.__getitem__, tokens), dtype=np.int64,
                                 count=len(tokens))
        self.row = np.cumsum(self.codes == number.get(b"\x00", -1))
        self.order = np.argsort(self.codes)  # the order within one word does not matter
        self.sorted_codes = self.codes[self.order]

    def span(self, word: str, any_ending: bool) -> tuple[int, int]:
        """The range of word numbers a keyword word matches."""
        key = word.encode("ascii")
        low = bisect.bisect_left(self.vocabulary, key)
        if any_ending:
            return low, bisect.bisect_left(self.vocabulary, key + b"{")  # "{" sorts after z
        exact = low < len(self.vocabulary) and self.vocabulary[low] == key
        return low, low + int(exact)

    def rows(self, keyword: _Keyword, words: tuple[str, ...]) -> np.ndarray:
        """Rows holding the words of a keyword one after the other."""
        spans = [self.span(w, keyword.any_ending and i == len(words) - 1)
                 for i, w in enumerate(words)]
        low, high = np.searchsorted(self.sorted_codes, spans[0])
        starts = self.order[low:high]
        for offset, (first, last) in enumerate(spans[1:], start=1):
            starts = starts[starts + offset < len(self.codes)]
            following = self.codes[starts + offset]
            starts = starts[(following >= first) & (following < last)]
        return self.row[starts]


def _nfkc(text: str) -> str:
    """NFKC of a long text, fast for Chinese text whose only compatibility characters are few.

    NFKC of a whole Chinese text is slow, though it changes only full-width forms and the like;
    so each distinct character is normalised once and only the characters that change are
    replaced. Combining marks and conjoining jamo compose with their neighbours: a text holding
    any of them is normalised as a whole.
    """
    if text.isascii():
        return text
    points = np.frombuffer(text.encode("utf-32-le"), dtype="<u4")
    distinct = [chr(c) for c in np.flatnonzero(np.bincount(points))]
    if any(unicodedata.combining(c) or "\u1100" <= c <= "\u11ff" for c in distinct):
        return unicodedata.normalize("NFKC", text)
    for char in distinct:
        folded = unicodedata.normalize("NFKC", char)
        if folded != char:
            text = text.replace(char, folded)
    return text


class _SearchText:
    """The searched fields of every row, folded and joined into one string.

    Latin words are looked up in an index of the text's words (built once); all other keywords
    are found together in one pass over the string. Either way there is no search per row per
    rule, and a keyword shared by several rules is looked up once.
    """

    def __init__(self, rows: list[str]) -> None:
        joined = "\x00".join(rows)
        if joined.count("\x00") != max(len(rows) - 1, 0):  # a cell holding a NUL character
            joined = "\x00".join(r.replace("\x00", " ") for r in rows)
        self.text = _nfkc(joined).casefold()
        self.size = len(rows)
        self._words: _Words | None = None
        self._breaks: np.ndarray | None = None
        self._found: dict[_Keyword, np.ndarray] = {}
        self._rows: pd.Series | None = None

    def contains(self, keyword: _Keyword) -> np.ndarray:
        if keyword.every:
            return np.ones(self.size, dtype=bool)
        if keyword not in self._found:
            self.prepare([keyword])
        return self._found[keyword]

    def prepare(self, keywords: list[_Keyword]) -> None:
        """Look up many keywords at once: other text than Latin words is found in one pass."""
        todo = list(dict.fromkeys(k for k in keywords if not k.every and k not in self._found))
        scanned = [k for k in todo if k.words is None and " " not in k.text]
        at = self._scan(scanned) if scanned else {}
        for keyword in todo:
            words = keyword.words
            if words:
                self._words = self._words or _Words(self.text)
                rows = self._words.rows(keyword, words)
            else:
                starts = at[keyword] if keyword in at else self._spaced(keyword)
                rows = np.searchsorted(self.breaks(), starts)
            mask = np.zeros(self.size, dtype=bool)
            mask[rows] = True
            self._found[keyword] = mask

    def breaks(self) -> np.ndarray:
        """Where each row's text ends in the joined string."""
        if self._breaks is None:
            lengths = np.fromiter(map(len, self.text.split("\x00")), dtype=np.int64)
            self._breaks = np.cumsum(lengths + 1)[:-1] - 1
        return self._breaks

    def _scan(self, keywords: list[_Keyword]) -> dict[_Keyword, np.ndarray]:
        """Where each keyword starts, for keywords without spaces (Chinese, symbols, mixed).

        One regex finds the next place where any of them starts (the regex engine skips
        quickly over characters no keyword begins with); there, each keyword beginning with
        that character is checked. Searching again from the next character keeps keywords
        that overlap (漏水 and 水).
        """
        text = self.text
        starting: dict[str, list[str]] = {}
        for keyword in keywords:
            starting.setdefault(keyword.text[0], []).append(keyword.text)
        # Only keywords with a Latin letter or digit at an end need the whole-word check.
        checked = {k.text: k for k in keywords
                   if _is_word_char(k.text[0]) or _is_word_char(k.text[-1])}
        found: dict[str, list[int]] = {k.text: [] for k in keywords}
        search = re.compile("|".join(re.escape(word) for word in found)).search
        starts_with = text.startswith
        hit = search(text)
        while hit is not None:
            at = hit.start()
            for word in starting[text[at]]:
                if starts_with(word, at) and (word not in checked or self._whole(
                        checked[word], at, at + len(word))):
                    found[word].append(at)
            hit = search(text, at + 1)
        return {k: np.asarray(found[k.text], dtype=np.int64) for k in keywords}

    def _spaced(self, keyword: _Keyword) -> np.ndarray:
        """Where a keyword with spaces (but not plain Latin words) starts, any spacing allowed."""
        pattern = re.compile(r"\s+".join(re.escape(w) for w in keyword.text.split(" ")))
        return np.asarray([m.start() for m in pattern.finditer(self.text)
                           if self._whole(keyword, m.start(), m.end())], dtype=np.int64)

    def _whole(self, keyword: _Keyword, start: int, end: int) -> bool:
        """A keyword with a Latin letter or digit at an end (12315热线) must not run on into a
        longer word there."""
        text = self.text
        if start > 0 and _is_word_char(keyword.text[0]) and _is_word_char(text[start - 1]):
            return False
        return not (end < len(text) and not keyword.any_ending
                    and _is_word_char(keyword.text[-1]) and _is_word_char(text[end]))

    def matches(self, pattern: re.Pattern[str]) -> np.ndarray:
        if self._rows is None:
            self._rows = pd.Series(self.text.split("\x00"), dtype=object)
        return self._rows.str.contains(pattern, regex=True).to_numpy(dtype=bool)


def _as_text(values: pd.Series) -> pd.Series:
    return values.astype(object).where(values.notna(), "").astype(str)


def _distinct_texts(values: pd.Series) -> tuple[np.ndarray, list[str]]:
    """A column as ``_as_text`` reads it, once per distinct value: the texts, and per row the
    position of its text (the last text, "", is that of the missing cells)."""
    codes, distinct = distinct_values(values)
    texts = _as_text(pd.Series(distinct, dtype=object)).tolist() + [""]
    return np.where(codes < 0, len(distinct), codes), texts


def _distinct_rows(columns: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """For per-column codes (0 to n-1 each), a number per distinct combination of codes along
    each row, and the first row of each combination."""
    rows = columns[0]
    for codes in columns[1:]:
        # Renumbered after each column, so the combined number never outgrows the row count.
        rows, _ = pd.factorize(rows * (int(codes.max(initial=0)) + 1) + codes)
    rows, _ = pd.factorize(rows)  # also numbers a single column's codes from 0 in row order
    _, first = np.unique(rows, return_index=True)
    return rows, first


def _filled_rows(frame: pd.DataFrame) -> np.ndarray:
    """Rows with at least one non-blank cell; the blank rows of a table are never classified."""
    result = np.zeros(len(frame), dtype=bool)
    for column in frame.columns:
        undecided = ~result
        if not undecided.any():
            break
        values = frame[column].iloc[undecided]
        result[np.flatnonzero(undecided)] = ~is_empty(values).to_numpy(dtype=bool)
    return result


def _keywords(rule: Rule) -> list[_Keyword]:
    return [_Keyword.parse(p) for p in rule.patterns if p.strip()]


class _Matcher:
    """Which rows a rule matches, reusing the folded text and keyword scans across rules.

    Rows often repeat the same text (a product name, a stock phrase): each distinct text is
    searched once and the answer spread to the rows holding it.
    """

    def __init__(self, register: Register, checked: pd.DataFrame, rules: list[Rule]) -> None:
        self.register = register
        self.checked = checked
        self._texts: dict[tuple[str, ...], tuple[_SearchText, np.ndarray]] = {}
        self._exact: dict[str, list[pd.Series]] = {}
        # The rows' texts are joined by NUL characters, so a keyword holding one (no workbook
        # cell can) could match across two rows: then every row is searched, in sheet order.
        self._distinct = not any("\x00" in p for rule in rules for p in rule.patterns)

    def mask(self, rule: Rule) -> np.ndarray:
        if rule.match == "exact":
            return self._exact_mask(rule)
        text, rows = self._text(rule.fields)
        return self._text_mask(rule, text)[rows]

    def _text_mask(self, rule: Rule, text: _SearchText) -> np.ndarray:
        """Which of the searched texts a keyword or regex rule matches."""
        if rule.match == "regex":
            if not rule.patterns or regex_problem(rule.patterns[0]):
                return np.zeros(text.size, dtype=bool)
            return text.matches(_compiled(rule.patterns[0]))
        keywords = _keywords(rule)
        if not keywords:
            return np.zeros(text.size, dtype=bool)
        masks = [text.contains(k) for k in keywords]
        combine = np.logical_and if rule.match == "all" else np.logical_or
        return combine.reduce(masks)

    def prepare(self, rules: list[Rule]) -> None:
        """Look up the keywords of all rules together, one pass per searched text."""
        by_fields: dict[tuple[str, ...], list[_Keyword]] = {}
        for rule in rules:
            if rule.match in ("any", "all"):
                by_fields.setdefault(rule.fields, []).extend(_keywords(rule))
        for fields, keywords in by_fields.items():
            self._text(fields)[0].prepare(keywords)

    def _text(self, fields: tuple[str, ...]) -> tuple[_SearchText, np.ndarray]:
        """The searched texts of the fields, and for each register row which text is its."""
        if fields not in self._texts:
            texts, rows = self._row_texts(fields)
            self._texts[fields] = _SearchText(texts), rows
        return self._texts[fields]

    def _row_texts(self, fields: tuple[str, ...]) -> tuple[list[str], np.ndarray]:
        """Each distinct row's fields joined by line breaks, and the distinct row of each row."""
        size = len(self.register.rows)
        if not fields:
            return [""], np.zeros(size, dtype=np.intp)
        columns = [_distinct_texts(self.register.col(key)) for key in fields]
        if self._distinct:
            rows, first = _distinct_rows([codes for codes, _ in columns])
        else:
            rows = first = np.arange(size)
        # Joined row by row in plain Python: three times quicker than adding pandas columns.
        picked = [[texts[i] for i in codes[first]] for codes, texts in columns]
        texts = ["\n".join(parts)[:MAX_TEXT_LENGTH] for parts in zip(*picked, strict=True)]
        return texts, rows

    def _exact_mask(self, rule: Rule) -> np.ndarray:
        size = len(self.register.rows)
        if EVERY in rule.patterns:
            return np.ones(size, dtype=bool)
        wanted = {fold(p) for p in rule.patterns}
        mask = np.zeros(size, dtype=bool)
        for key in rule.fields:
            for column in self._folded_values(key):
                mask |= column.isin(wanted).to_numpy(dtype=bool)
        return mask

    def _folded_values(self, key: str) -> list[pd.Series]:
        """A field's cells folded as list values are, and its canonical values when it has them."""
        if key not in self._exact:
            sources = [self.register.col(key)]
            if key in self.checked.columns:
                sources.append(self.checked[key].reindex(self.register.rows.index))
            self._exact[key] = [_as_text(s).str.normalize("NFKC").str.casefold()
                                .str.replace(r"\s+", "", regex=True) for s in sources]
        return self._exact[key]


# --------------------------------------------------------------------------------------------
# Applying the rules


def classify(register: Register, checked_frame: pd.DataFrame, rules: list[Rule], *,
             empty: dict[str, pd.Series] | None = None, blank: pd.Series | None = None
             ) -> Classification:
    """Fill empty category, severity, urgency and department from the first rule that matches.

    For each field of each row, the first matching rule that sets the field decides it: it fills
    the field when the field is empty, or always when the rule overwrites; a rule lower down never
    gets a say on that field. ``values`` holds the values the row ends up with (what staff typed
    where no rule filled), ``filled`` where a rule changed a value, and ``rule`` the ids of the
    rules that did, in order (None where no rule changed anything).

    ``empty`` (cells that are empty, by field) and ``blank`` (rows all empty) may be given by a
    caller that knows them already, as the pipeline does from the checks; they are the same as
    ``cells.is_empty`` of the register's cells.
    """
    index = register.rows.index
    current = _current_values(register, checked_frame)
    known = empty or {}
    empty = {key: current[key].isna().to_numpy(dtype=bool)
             & (known[key] if key in known else is_empty(register.col(key))).to_numpy(dtype=bool)
             for key in TARGETS}
    rows = _filled_rows(register.rows) if blank is None else ~blank.to_numpy(dtype=bool)
    decided = {key: ~rows for key in TARGETS}
    new = {key: current[key].to_numpy(dtype=object).copy() for key in TARGETS}
    filled = {key: np.zeros(len(index), dtype=bool) for key in TARGETS}
    rule_ids = np.full(len(index), "", dtype=object)
    matcher = _Matcher(register, checked_frame, rules)
    matcher.prepare(rules)
    for rule in rules:
        keys = [key for key in TARGETS if rule.sets.get(key)]
        if not keys or all(decided[key].all() for key in keys):
            continue
        matched = matcher.mask(rule)
        changed = np.zeros(len(index), dtype=bool)
        for key in keys:
            hit = matched & ~decided[key]
            decided[key] |= hit
            value = rule.sets[key]
            take = hit & (empty[key] | rule.overwrite) & (new[key] != value)
            new[key][take] = value
            filled[key] |= take
            changed |= take
        at = np.flatnonzero(changed)
        rule_ids[at] = rule_ids[at] + (", " + rule.id)
    values = pd.DataFrame({key: pd.Series(new[key], index=index, dtype=object)
                           for key in TARGETS})
    # Each id was added after ", ": strip the first one, None where no rule changed anything.
    values["rule"] = pd.Series([ids[2:] if ids else None for ids in rule_ids], index=index,
                               dtype=object)
    return Classification(values, pd.DataFrame(filled, index=index))


def _current_values(register: Register, checked: pd.DataFrame) -> dict[str, pd.Series]:
    """What each row holds now: canonical list values, and the department as typed."""
    index = register.rows.index
    current: dict[str, pd.Series] = {}
    for key in LIST_TARGETS:
        column = (checked[key].reindex(index) if key in checked.columns
                  else pd.Series(None, index=index, dtype=object))
        current[key] = column.astype(object).where(column.notna(), None)
    # Departments repeat a few names: each distinct cell is read once.
    codes, texts = _distinct_texts(register.col("department"))
    typed = np.array([text.strip() or None for text in texts], dtype=object)
    current["department"] = pd.Series(typed[codes], index=index, dtype=object)
    return current
