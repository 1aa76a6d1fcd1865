"""The classification step the pipeline runs: the first matching rule fills each empty field."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..cells import is_empty
from ..findings import Finding
from ..register import Register
from .guard import PatternClock
from .matcher import Matcher, distinct_texts
from .rules import LIST_TARGETS, TARGETS, Rule


@dataclass
class Classification:
    values: pd.DataFrame  # category, severity, urgency, department, rule; index = register rows
    filled: pd.DataFrame  # bool, same columns minus rule: True where a rule set the value this run
    # Rules left out during the run (a staff pattern too slow to search), at their Rules cells.
    findings: list[Finding] = field(default_factory=list)




def classify(register: Register, checked_frame: pd.DataFrame, rules: list[Rule], *,
             empty: dict[str, pd.Series] | None = None, blank: pd.Series | None = None,
             clock: PatternClock | None = None) -> Classification:
    """Fill empty category, severity, urgency and department from the first rule that matches.

    For each field of each row, the first matching rule that sets the field decides it: it fills
    the field when the field is empty, or always when the rule overwrites; a rule lower down never
    gets a say on that field. ``values`` holds the values the row ends up with (what staff typed
    where no rule filled), ``filled`` where a rule changed a value, and ``rule`` the ids of the
    rules that did, in order (None where no rule changed anything).

    ``empty`` (cells that are empty, by field) and ``blank`` (rows all empty) may be given by a
    caller that knows them already, as the pipeline does from the checks; they are the same as
    ``cells.is_empty`` of the register's cells. ``clock`` limits the time staff patterns may
    take (``guard.PatternClock``); a rule that runs out of time matches nothing and is reported
    in ``findings``.
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
    matcher = Matcher(register, checked_frame, rules, clock)
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
    return Classification(values, pd.DataFrame(filled, index=index), matcher.findings)


def _current_values(register: Register, checked: pd.DataFrame) -> dict[str, pd.Series]:
    """What each row holds now: canonical list values, and the department as typed."""
    index = register.rows.index
    current: dict[str, pd.Series] = {}
    for key in LIST_TARGETS:
        column = (checked[key].reindex(index) if key in checked.columns
                  else pd.Series(None, index=index, dtype=object))
        current[key] = column.astype(object).where(column.notna(), None)
    # Departments repeat a few names: each distinct cell is read once.
    codes, texts = distinct_texts(register, "department")
    typed = np.array([text.strip() or None for text in texts], dtype=object)
    current["department"] = pd.Series(typed[codes], index=index, dtype=object)
    return current


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
