"""What a classification rule is, and the rules the card ships with."""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import default_rules
from ..text import Text

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
    # The Pattern cell, where a finding about the pattern itself (too slow) points.
    pattern_cell: str = field(default="", compare=False)
    # What kind of problem the rule names, in both languages: the Notes column.
    notes: Text | None = field(default=None, compare=False)


DEFAULT_RULES: tuple[Rule, ...] = tuple(
    Rule(rule_id, DEFAULT_FIELDS, match, tuple(patterns), dict(sets), notes=notes)
    for rule_id, match, patterns, sets, notes in default_rules.RULES
)

