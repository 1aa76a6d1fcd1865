"""The target of an improvement action: a small grammar staff type in English or Chinese.

A target says which figure should move, how far, and within how many months:

    target  := [metric] (change | limit) [window]
    metric  := "complaints" | "投诉"            (the default: complaints per month in scope)
             | "reopen rate" | "重开率"          (share of the scope's cases reopened)
             | "repeat rate" | "重复率"          (share marked as a repeat complaint)
    change  := ("-" | "reduce" | "cut" | "down" | "减少" | "降低" | "下降") NUMBER "%"
    limit   := ["每月"] ("<" | "<=" | "≤" | "below" | "under" | "at most" | "低于" | "少于"
               | "不超过" | "不高于") NUMBER ["%"] ["per month" | "/month" | "每月" | "/月" | "件"]
    window  := ("in" | "within") N "months" | N "个月" ["内"]     (default: 3 months)

So "-20% in 3 months", "减少20% 3个月内", "≤ 5 per month", "每月不超过5件", "reopen rate < 5%" and
"重开率低于5%" all parse. Anything else is not guessed at: the caller reports the cell.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

DEFAULT_MONTHS = 3
MAX_MONTHS = 24
METRICS = ("complaints", "reopen_rate", "repeat_rate")
_METRIC_WORDS = (
    ("reopen_rate", r"reopen(?:ed)?\s*rate|重开率|重新打开率|重开比例"),
    ("repeat_rate", r"repeat\s*rate|repeat complaints?\s*rate|重复投诉率|重复率"),
    ("complaints", r"complaints?(?:\s*per\s*month)?|投诉量|投诉数|投诉"),
)
_WINDOW = re.compile(r"(?:in|within)\s*(\d{1,2})\s*months?|(\d{1,2})\s*个?月内?")
_CHANGE = re.compile(r"^(?:-|−|reduce(?:\s*by)?|cut(?:\s*by)?|down(?:\s*by)?|减少|降低|下降)\s*"
                     r"(\d+(?:\.\d+)?)\s*%$")
_LIMIT = re.compile(r"^(?:每月)?\s*(<=|≤|=<|<|at\s*most|no\s*more\s*than|below|under|低于|少于|"
                    r"不超过|不高于|不多于)\s*(\d+(?:\.\d+)?)\s*(%?)\s*"
                    r"(?:per\s*month|a\s*month|/\s*month|/\s*月|每月|件(?:/月)?)?$")
_AT_MOST = {"<=", "≤", "=<", "at most", "no more than", "不超过", "不高于", "不多于"}


@dataclass(frozen=True)
class Target:
    """A parsed target: ``kind`` "change" (``value`` is the percentage change, -20 for a cut of
    a fifth), "at_most" or "below" (``value`` a count per month, or a fraction for a rate)."""

    metric: str
    kind: str
    value: float
    months: int = DEFAULT_MONTHS

    def met_by(self, before: float | None, after: float) -> bool | None:
        """Whether the figure after the action meets the target (None: cannot tell)."""
        if self.kind == "at_most":
            return after <= self.value + 1e-9
        if self.kind == "below":
            return after < self.value
        if before is None:
            return None
        if before == 0:
            return after == 0
        return (after - before) / before * 100 <= self.value + 1e-9


def parse_target(text: object) -> Target | None:
    """The target written in a cell, or None when it does not follow the grammar."""
    if text is None:
        return None
    plain = unicodedata.normalize("NFKC", str(text)).strip().lower()
    plain = plain.replace("＜", "<").replace("≦", "≤")
    months = DEFAULT_MONTHS
    window = _WINDOW.search(plain)
    if window:
        months = int(window.group(1) or window.group(2))
        plain = (plain[:window.start()] + plain[window.end():]).strip(" ,，;；")
    if not 1 <= months <= MAX_MONTHS:
        return None
    metric = "complaints"
    for key, words in _METRIC_WORDS:
        found = re.match(rf"(?:{words})\s*[:：]?\s*", plain)
        if found:
            metric, plain = key, plain[found.end():]
            break
    return _change(plain, metric, months) or _limit(plain, metric, months)


def _change(text: str, metric: str, months: int) -> Target | None:
    found = _CHANGE.match(text)
    if not found:
        return None
    cut = float(found.group(1))
    return Target(metric, "change", -cut, months) if 0 < cut <= 100 else None


def _limit(text: str, metric: str, months: int) -> Target | None:
    found = _LIMIT.match(text)
    if not found:
        return None
    word, number, percent = re.sub(r"\s+", " ", found.group(1)), float(found.group(2)), \
        found.group(3)
    rate = metric != "complaints"
    if rate != bool(percent):  # a rate needs a %, a count must not have one
        return None
    value = number / 100 if rate else number
    return Target(metric, "at_most" if word in _AT_MOST else "below", value, months)
