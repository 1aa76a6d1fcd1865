"""Regular expressions staff write: refused when they cannot work, and searched with a time limit.

``regex_problem`` refuses, when the Rules sheet is read, a pattern that is too long, not valid, or
that repeats a part that is itself repeated ((a+)+): the commonest way to write a pattern that
never finishes. It cannot see every such pattern ((a|a)+$ and (\\w|\\d)+$ pass it), so every
search of a staff pattern also runs with a time limit (``PatternClock``).
"""

from __future__ import annotations

import functools
import re
import time
import unicodedata

import regex

from .rules import MAX_REGEX_LENGTH

# How long one search of a staff pattern may take: an ordinary pattern over the 5,000 characters
# a rule reads takes well under a millisecond, so 50 ms leaves a wide margin on a busy machine
# while a pattern that backtracks is stopped before anyone notices.
CELL_SECONDS = 0.05
# How long all staff patterns together may take in one run: at 50,000 complaints an ordinary
# pattern takes about half a second, so ten seconds covers a dozen of them; a pattern that is slow
# on every row (0.5 ms x 50,000) would otherwise hold up the run for minutes.
RUN_SECONDS = 10.0

_QUANTIFIER = re.compile(r"\*|\+|\?|\{(\d*)(,?)(\d*)\}")


def regex_problem(pattern: str) -> tuple[str, str] | None:
    """Why a regular expression from the workbook is refused (English, Chinese), or None."""
    if len(pattern) > MAX_REGEX_LENGTH:
        return (f"the regular expression has {len(pattern)} characters; at most "
                f"{MAX_REGEX_LENGTH} are allowed",
                f"正则表达式有 {len(pattern)} 个字符，最多允许 {MAX_REGEX_LENGTH} 个")
    try:
        compiled(pattern)
    except regex.error as err:
        return (f"the regular expression is not valid ({err})", f"正则表达式无效（{err}）")
    if nested_quantifier(unicodedata.normalize("NFKC", pattern)):
        return ("the regular expression repeats a part that is itself repeated, such as (a+)+, "
                "which can make matching take forever",
                "正则表达式中有嵌套重复（例如 (a+)+），可能使匹配无休止地运行")
    return None


@functools.lru_cache(maxsize=512)
def compiled(pattern: str) -> regex.Pattern[str]:
    # The text searched is NFKC-folded, so the pattern is too: full-width letters in it still match.
    # The regex module, unlike re, can stop a search after a time (``PatternClock``).
    return regex.compile(unicodedata.normalize("NFKC", pattern), regex.IGNORECASE)


class PatternTooSlow(Exception):
    """A staff pattern ran out of time; ``at`` is the position of the text it was searching."""

    def __init__(self, at: int, run_budget: bool) -> None:
        super().__init__(at, run_budget)
        self.at = at
        self.run_budget = run_budget  # True: the run's budget ran out, not one search's


class PatternClock:
    """The time staff patterns may take: each search, and all of them in one run together."""

    def __init__(self, cell_seconds: float = CELL_SECONDS,
                 run_seconds: float = RUN_SECONDS) -> None:
        self.cell_seconds = cell_seconds
        self.left = run_seconds

    def search(self, pattern: str, texts: list[str]) -> list[bool]:
        """Whether the pattern is found in each text; ``PatternTooSlow`` when time runs out."""
        search = compiled(pattern).search
        clock = time.perf_counter
        start = clock()
        found: list[bool] = []
        try:
            for at, text in enumerate(texts):
                left = self.left - (clock() - start)
                if left <= 0:
                    raise PatternTooSlow(at, run_budget=True)
                try:
                    found.append(search(text, timeout=min(self.cell_seconds, left)) is not None)
                except TimeoutError:
                    raise PatternTooSlow(at, run_budget=left < self.cell_seconds) from None
        finally:
            self.left -= clock() - start
        return found


def too_slow(problem: PatternTooSlow, row: object, clock: PatternClock) -> tuple[str, str]:
    """What to tell staff about a pattern that ran out of time (English, Chinese)."""
    advice = ("simplify it: a repeated group of alternatives such as (a|b)+ or (\\w|\\d)+ can "
              "take forever, write [ab]+ or \\w+ instead, or use keywords (Match: any)")
    advice_zh = ("请简化：(a|b)+、(\\w|\\d)+ 这类重复的选择分组可能无休止地运行，可改写为 [ab]+ "
                 "或 \\w+，或改用关键词（匹配方式：任一）")
    if problem.run_budget:
        return (f"the regular expression is too slow: the rules' regular expressions used up "
                f"the {RUN_SECONDS:g} seconds a run allows them; {advice}",
                f"正则表达式太慢：本次运行中正则表达式已用完允许的 {RUN_SECONDS:g} 秒；{advice_zh}")
    return (f"the regular expression is too slow: searching the complaint in row {row} took "
            f"more than {clock.cell_seconds:g} seconds; {advice}",
            f"正则表达式太慢：搜索第 {row} 行的投诉超过了 {clock.cell_seconds:g} 秒；{advice_zh}")


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


def nested_quantifier(pattern: str) -> bool:
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

