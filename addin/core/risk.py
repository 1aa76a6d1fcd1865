"""Risk and escalation: what a complaint's text and history signal, and what that asks of staff.

Signals. The complaint and the customer's request are searched, in either language, for personal
safety, property loss, legal threats, media and regulators; a complaint referred by a regulator is
a Regulator risk, and one that repeats an earlier complaint within the repeat window (or says it
is the customer's n-th call) is Repeated contact. The signals fill the Risk column.

Severity. Complaint-handling guidance puts personal safety and major property loss first; so a
signal sets severity and urgency where staff left them empty (or only the rules filled them this
run), never lowering what the rules chose. What staff typed is never overwritten: a typed severity
below what a safety or property signal asks for is a warning.

Escalation. A case reopened twice (counted across runs by the case log), a customer still not
satisfied after a reopening, or an open case overdue by more than the Settings margin is proposed
for severity Escalated, with a finding that says why, on every run until Severity says Escalated;
the case log records the reason once. Nothing is changed or rejected automatically.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .findings import Finding, finding, findings_at
from .register import Register
from .text import Text
from .validate import cell_refs
from .vocab import DONE_STATUSES, NOT_ACCEPTED, REOPENED, Vocabulary

# Each risk and the words that signal it: Chinese words (and numbers) as written, then English
# words (whole words, any case). Kept apart because the English ones are slow to search and most
# complaints hold no Latin letter to find them by (below).
SIGNALS: dict[str, tuple[str, str]] = {
    "Personal safety": (r"人身|受伤|烫伤|烧伤|触电|漏电|起火|着火|爆炸|自燃|冒烟|中毒|割伤|砸伤"
                        r"|住院",
                        r"\binjur|\bburn(?:ed|t|s)?\b|electric shock|\bfire\b|explod|explosion"
                        r"|\bsmoke\b|poison|hospital"),
    "Property loss": (r"财产损失|损失[^，。,.]{0,6}[万千]元?|泡坏|水淹|淹了|烧毁|毁坏",
                      r"property (?:damage|loss)|flooded|water damage|\bruined\b"),
    "Legal": (r"律师|起诉|法院|诉讼|打官司|法律责任|报警",
              r"\blawyer|\battorney|\bsue\b|lawsuit|\bcourt\b|legal action|\bpolice\b"),
    "Media": (r"媒体|曝光|记者|微博|抖音|上新闻|发到网上",
              r"\bmedia\b|journalist|newspaper|go public|\bviral\b"),
    "Regulator": (r"12315|市场监管|监管局|消协|消费者协会|工商局",
                  r"regulator|ombudsman|\bCFPB\b|trading standards|consumer protection"),
    "Repeated contact": (r"第\s*\d+\s*次|又一次|多次|反复|天天打电话",
                         r"again and again|\b\d+(?:st|nd|rd|th) time\b|many times"),
}


def _any_of(words: Iterable[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{w})" for w in words), re.IGNORECASE)


_PATTERNS = {risk: _any_of(words) for risk, words in SIGNALS.items()}
# Any of the signals: a text it does not find holds none of them (most texts), and is not
# searched once per signal. Every English word has a Latin letter in it, so text without one is
# searched for the Chinese words alone: ``re`` skips ahead to a literal's first character, which
# the English words' \b and any-case letters do not let it do (the 2,653 distinct texts of the
# 50,000-row demo register, all Chinese: 69-76 ms with the English words, 11-20 ms without).
_ANY_SIGNAL = _any_of([words for pair in SIGNALS.values() for words in pair])
_ANY_CHINESE_SIGNAL = _any_of([chinese for chinese, _ in SIGNALS.values()])
_LATIN_LETTER = re.compile(r"[a-z]", re.IGNORECASE)  # as the words' letters match, any case


def _signalled(text: str) -> bool:
    """Whether ``text`` holds any signal's word."""
    pattern = _ANY_SIGNAL if _LATIN_LETTER.search(text) else _ANY_CHINESE_SIGNAL
    return pattern.search(text) is not None


REGULATOR_CHANNEL = "Regulator referral"
# What each risk asks for: (severity, urgency); None leaves the field to the rules.
ASKS: dict[str, tuple[str, str | None]] = {
    "Personal safety": ("Major", "Immediate"),
    "Property loss": ("Major", "Immediate"),
    "Legal": ("Major", None),
    "Media": ("Major", "Immediate"),
    "Regulator": ("Major", "Immediate"),
    "Repeated contact": ("Difficult", None),
}
# Typed severities below these risks' severity are questioned (the highest priority).
FIRST_PRIORITY = ("Personal safety", "Property loss")
SEVERITY_RANK = {"Normal": 0, "Difficult": 1, "Major": 2, "Escalated": 3}
URGENCY_RANK = {"Planned": 0, "Normal": 1, "Immediate": 2}


@dataclass
class Risks:
    signals: pd.DataFrame  # bool, one column per risk, index = register rows
    severity: pd.Series  # what the signals ask for (canonical), None where nothing
    urgency: pd.Series

    def shown(self, label: dict[str, str]) -> pd.Series:
        """The risks of each row by ``label``, joined by "; " in the order of ``SIGNALS``
        (None when none): worked out once per combination of risks."""
        risks = list(self.signals.columns)
        bits = self.signals.to_numpy() @ (1 << np.arange(len(risks)))
        combos, codes = np.unique(bits, return_inverse=True)
        texts = np.array([
            "; ".join(label[r] for j, r in enumerate(risks) if combo >> j & 1) or None
            for combo in combos], dtype=object)
        return pd.Series(texts[codes.ravel()], index=self.signals.index, dtype=object)


def find_risks(texts: list[pd.Series], channel: pd.Series, repeat_of: pd.Series) -> Risks:
    """The signals of each row from its texts (description, request), channel and history."""
    signals = pd.DataFrame(False, index=channel.index, columns=list(_PATTERNS))
    for text in texts:
        # Complaints repeat their wording: each distinct text is searched once.
        codes, distinct = pd.factorize(text.to_numpy(dtype=object))
        some = [i for i, t in enumerate(distinct)
                if isinstance(t, str) and _signalled(t)]
        for risk, pattern in _PATTERNS.items():
            found = np.zeros(len(distinct) + 1, dtype=bool)  # code -1 (no text): the last
            found[some] = [pattern.search(distinct[i]) is not None for i in some]
            signals[risk] |= found[codes]
    signals["Regulator"] |= channel.eq(REGULATOR_CHANNEL)
    signals["Repeated contact"] |= repeat_of.notna()
    severity = _strongest(signals, 0, SEVERITY_RANK)
    urgency = _strongest(signals, 1, URGENCY_RANK)
    return Risks(signals, severity, urgency)


def _strongest(signals: pd.DataFrame, part: int, rank: dict[str, int]) -> pd.Series:
    best = pd.Series(None, index=signals.index, dtype=object)
    best_rank = np.full(len(signals), -1)
    for risk, asks in ASKS.items():
        value = asks[part]
        if value is None:
            continue
        better = signals[risk].to_numpy() & (rank[value] > best_rank)
        best[better] = value
        best_rank[better] = rank[value]
    return best


def raise_to_risk(current: pd.Series, asked: pd.Series, may_change: pd.Series,
                  rank: dict[str, int]) -> tuple[pd.Series, pd.Series]:
    """``current`` raised to what the risk asks where it may change (empty, or filled by the
    rules this run), and which rows changed."""
    change = may_change & asked.notna() & (_ranks(asked, rank) > _ranks(current, rank))
    return current.where(~change, asked), change


def _ranks(values: pd.Series, rank: dict[str, int]) -> np.ndarray:
    """Each value's rank, -1 where it has none (missing, or not ranked). Looked up once per
    distinct value: ``Series.map`` of a dict took three times as long on 50,000 rows."""
    codes, distinct = pd.factorize(values.to_numpy(dtype=object))
    return np.append([rank.get(v, -1) for v in distinct], -1)[codes]  # code -1: the last


def apply_risks(register: Register, frame: pd.DataFrame, classes, repeat_of: pd.Series,
                lists: dict[str, Vocabulary], lang: str) -> tuple[pd.Series, list[Finding]]:
    """Find the risks, raise the severity and urgency the rules or nobody set (in ``classes``,
    in place), and question typed severities below the risk. Returns the Risk column's text."""
    risks = find_risks([frame["description"], register.col("request")], frame["channel"],
                       repeat_of)
    for key, asked, rank in (("severity", risks.severity, SEVERITY_RANK),
                             ("urgency", risks.urgency, URGENCY_RANK)):
        filled = classes.filled[key]
        may_change = filled | classes.values[key].isna()
        classes.values[key], changed = raise_to_risk(classes.values[key], asked, may_change, rank)
        classes.filled[key] = filled | changed
    typed = frame["severity"].where(~classes.filled["severity"])
    findings = low_severity_findings(register, typed, risks, lists, lang)
    return risks.shown({risk: lists["risk"].label(risk, lang) for risk in SIGNALS}), findings


def low_severity_findings(register: Register, typed: pd.Series, risks: Risks,
                          lists: dict[str, Vocabulary], lang: str) -> list[Finding]:
    """A warning where staff typed a severity below what a safety or property signal asks."""
    first = risks.signals[list(FIRST_PRIORITY)]
    rank = _ranks(typed, SEVERITY_RANK)
    low = first.any(axis=1) & (rank >= 0) & (rank < SEVERITY_RANK["Major"])
    severity, risk = lists["severity"], lists["risk"]
    out = []
    for row in typed.index[low.to_numpy()]:
        named = [name for name in FIRST_PRIORITY if first.at[row, name]]
        out.append(finding(
            "risk-severity-low", register.cell(row, "severity"), field="severity",
            value=severity.label(typed[row], lang), row=int(row),
            risk=" and ".join(risk.label(r, "en") for r in named),
            risk_zh="、".join(risk.label(r, "zh") for r in named),
            expected=severity.label("Major", "en"), expected_zh=severity.label("Major", "zh")))
    return out


# ----------------------------------------------------------------------------- escalation

_REASONS = {
    "reopened-twice": Text("reopened a second time", "第二次重新打开"),
    "unhappy-after-reopening": Text("the customer is still not satisfied after a reopening",
                                    "重新打开后客户仍不满意"),
    "overdue": Text("overdue by {days} working days, more than the {margin} allowed on Settings",
                    "已超期 {days} 个工作日，超过设置中的 {margin} 个工作日"),
}


def _grounds(cases: pd.DataFrame, overdue_days: pd.Series, margin: int
             ) -> tuple[pd.Series, pd.Series]:
    """Unhappy after a reopening, and open and overdue past the margin, row by row."""
    status = cases["status"]
    unhappy = cases["follow_up_result"].eq("Not satisfied") | (cases["satisfaction"] <= 2)
    reopened = cases["reopened_at"].notna()
    if "reopenings" in cases:  # counted by the case log across runs
        reopened |= cases["reopenings"].fillna(0).gt(0)
    after_reopening = reopened & unhappy & status.ne(REOPENED)
    open_case = status.notna() & ~status.isin(DONE_STATUSES) & status.ne(NOT_ACCEPTED)
    return after_reopening, open_case & (overdue_days > margin)


def escalation_reasons(cases: pd.DataFrame, reopened_again: pd.Series, overdue_days: pd.Series,
                       margin: int) -> pd.Series:
    """Each case's reason to escalate (the first of reopened-twice, unhappy-after-reopening,
    overdue), None where there is none: what the case log records once."""
    after_reopening, overdue = _grounds(cases, overdue_days, margin)
    why = np.select([reopened_again.to_numpy(dtype=bool), after_reopening.to_numpy(dtype=bool),
                     overdue.to_numpy(dtype=bool)],
                    ["reopened-twice", "unhappy-after-reopening", "overdue"], "").astype(object)
    why[why == ""] = None
    return pd.Series(why, index=cases.index, dtype=object)


def escalations(register: Register, cases: pd.DataFrame, reopened_again: pd.Series,
                overdue_days: pd.Series, margin: int) -> list[Finding]:
    """Findings proposing severity Escalated, at the Severity cell, saying why."""
    after_reopening, overdue = _grounds(cases, overdue_days, margin)
    already = cases["severity"].eq("Escalated")
    proposed = ((reopened_again | after_reopening | overdue) & ~already).to_numpy(dtype=bool)
    rows = cases.index[proposed].tolist()
    # Positions rather than labels: a Series looked up by label once per row is slow.
    again = reopened_again.to_numpy(dtype=bool)[proposed]
    unhappy_again = after_reopening.to_numpy(dtype=bool)[proposed]
    days = overdue_days.to_numpy()[proposed]
    whys = ["reopened-twice" if a else "unhappy-after-reopening" if u else "overdue"
            for a, u in zip(again, unhappy_again, strict=True)]
    reasons = [_REASONS[why].format(days=int(n), margin=margin)
               for why, n in zip(whys, days, strict=True)]
    return findings_at("escalate-proposed", cell_refs(register, "severity", rows), rows,
                       field="severity", values=whys, reason=[said.en for said in reasons],
                       reason_zh=[said.zh for said in reasons])
