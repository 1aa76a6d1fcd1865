"""Which rows each rule matches: the register's searched fields read once per distinct text."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from ..fields import fold
from ..findings import Finding, finding
from ..register import Register
from .guard import PatternClock, PatternTooSlow, regex_problem, too_slow
from .rules import EVERY, MAX_TEXT_LENGTH, Rule
from .search import Keyword, SearchText


def _as_text(values: pd.Series) -> pd.Series:
    return values.astype(object).where(values.notna(), "").astype(str)


def distinct_texts(register: Register, key: str) -> tuple[np.ndarray, list[str]]:
    """A field's column as ``_as_text`` reads it, once per distinct value: the texts, and per
    row the position of its text (the last text, "", is that of the missing cells)."""
    codes, distinct = register.distinct(key)
    texts = _as_text(pd.Series(distinct, dtype=object)).tolist() + [""]
    return np.where(codes < 0, len(distinct), codes), texts


def distinct_rows(columns: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """For per-column codes (0 to n-1 each), a number per distinct combination of codes along
    each row, and the first row of each combination."""
    rows = columns[0]
    for codes in columns[1:]:
        # Renumbered after each column, so the combined number never outgrows the row count.
        rows, _ = pd.factorize(rows * (int(codes.max(initial=0)) + 1) + codes)
    rows, _ = pd.factorize(rows)  # also numbers a single column's codes from 0 in row order
    _, first = np.unique(rows, return_index=True)
    return rows, first


def joined_rows(register: Register, fields: Sequence[str], join: Callable[[tuple[str, ...]], str],
                distinct: bool = True) -> tuple[list[str], np.ndarray]:
    """The fields' texts of each distinct row made one text by ``join`` (given them in field
    order), and for each register row which text is its; ``distinct=False``: every row its own.
    Each distinct combination is joined once: a register repeats its complaints' wording."""
    columns = [distinct_texts(register, key) for key in fields]
    if distinct:
        rows, first = distinct_rows([codes for codes, _ in columns])
    else:
        rows = first = np.arange(len(register.rows))
    # Joined row by row in plain Python: three times quicker than adding pandas columns.
    picked = [[texts[i] for i in codes[first]] for codes, texts in columns]
    return [join(parts) for parts in zip(*picked, strict=True)], rows


def _searched(parts: tuple[str, ...]) -> str:
    """A row's text as rules search it: the fields one per line, cut at the searched length."""
    return "\n".join(parts)[:MAX_TEXT_LENGTH]


def _keywords(rule: Rule) -> list[Keyword]:
    return [Keyword.parse(p) for p in rule.patterns if p.strip()]


class Matcher:
    """Which rows a rule matches, reusing the folded text and keyword scans across rules.

    Rows often repeat the same text (a product name, a stock phrase): each distinct text is
    searched once and the answer spread to the rows holding it.
    """

    def __init__(self, register: Register, checked: pd.DataFrame, rules: list[Rule],
                 clock: PatternClock | None = None) -> None:
        self.register = register
        self.checked = checked
        self.clock = clock or PatternClock()
        self.findings: list[Finding] = []  # rules whose pattern ran out of time
        self._texts: dict[tuple[str, ...], tuple[SearchText, np.ndarray]] = {}
        self._exact: dict[str, list[pd.Series]] = {}
        # The rows' texts are joined by NUL characters, so a keyword holding one (no workbook
        # cell can) could match across two rows: then every row is searched, in sheet order.
        self._distinct = not any("\x00" in p for rule in rules for p in rule.patterns)

    def mask(self, rule: Rule) -> np.ndarray:
        if rule.match == "exact":
            return self._exact_mask(rule)
        text, rows = self._text(rule.fields)
        if rule.match == "regex":
            return self._regex_mask(rule, text, rows)[rows]
        return self._keyword_mask(rule, text)[rows]

    def _regex_mask(self, rule: Rule, text: SearchText, rows: np.ndarray) -> np.ndarray:
        """Which of the searched texts a regex rule matches; none when it runs out of time, and
        then a finding at the rule's Pattern cell, so the other rules classify those rows."""
        if not rule.patterns or regex_problem(rule.patterns[0]):
            return np.zeros(text.size, dtype=bool)
        try:
            return np.asarray(self.clock.search(rule.patterns[0], text.rows()), dtype=bool)
        except PatternTooSlow as slow:
            row = self.register.rows.index[int(np.flatnonzero(rows == slow.at)[0])]
            en, zh = too_slow(slow, row, self.clock)
            self.findings.append(finding("bad-rule", rule.pattern_cell or rule.cell,
                                         value=rule.patterns[0], rule=rule.id, problem=en,
                                         problem_zh=zh))
            return np.zeros(text.size, dtype=bool)

    def _keyword_mask(self, rule: Rule, text: SearchText) -> np.ndarray:
        """Which of the searched texts a keyword rule matches."""
        keywords = _keywords(rule)
        if not keywords:
            return np.zeros(text.size, dtype=bool)
        masks = [text.contains(k) for k in keywords]
        combine = np.logical_and if rule.match == "all" else np.logical_or
        return combine.reduce(masks)

    def prepare(self, rules: list[Rule]) -> None:
        """Look up the keywords of all rules together, one pass per searched text."""
        by_fields: dict[tuple[str, ...], list[Keyword]] = {}
        for rule in rules:
            if rule.match in ("any", "all"):
                by_fields.setdefault(rule.fields, []).extend(_keywords(rule))
        for fields, keywords in by_fields.items():
            self._text(fields)[0].prepare(keywords)

    def _text(self, fields: tuple[str, ...]) -> tuple[SearchText, np.ndarray]:
        """The searched texts of the fields, and for each register row which text is its."""
        if fields not in self._texts:
            texts, rows = self._row_texts(fields)
            self._texts[fields] = SearchText(texts), rows
        return self._texts[fields]

    def _row_texts(self, fields: tuple[str, ...]) -> tuple[list[str], np.ndarray]:
        """Each distinct row's fields joined by line breaks, and the distinct row of each row."""
        size = len(self.register.rows)
        if not fields:
            return [""], np.zeros(size, dtype=np.intp)
        return joined_rows(self.register, fields, _searched, self._distinct)

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

