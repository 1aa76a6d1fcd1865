"""Classification rules as data: the Rules sheet, parsed into rules and applied top to bottom.

A rule searches some of the card's fields and, when it matches, sets category, severity, urgency
and/or department. Rules staff write in the workbook are checked when they are read: a rule that
cannot be understood is a finding at its cell and is left out, never a crash, and the workbook's
text is never evaluated as code.

The parts, by subject:

- ``rules``: what a rule is, and the rules the card ships with (``DEFAULT_RULES``);
- ``sheet``: the Rules sheet read into rules (``parse_rules``) and written from them
  (``rules_to_rows``);
- ``guard``: regular expressions staff write, refused when they cannot work and searched with a
  time limit;
- ``search`` and ``matcher``: finding keywords and patterns in many complaints at once;
- ``step``: the classification step the pipeline runs (``classify``).
"""

from .guard import CELL_SECONDS, RUN_SECONDS, PatternClock, regex_problem
from .rules import (
    DEFAULT_FIELDS,
    DEFAULT_RULES,
    EVERY,
    LIST_TARGETS,
    MATCH_KINDS,
    MAX_REGEX_LENGTH,
    MAX_TEXT_LENGTH,
    TARGETS,
    Rule,
)
from .sheet import RULE_COLUMNS, parse_rules, rules_to_rows
from .step import Classification, classify

__all__ = [
    "CELL_SECONDS", "DEFAULT_FIELDS", "DEFAULT_RULES", "EVERY", "LIST_TARGETS", "MATCH_KINDS",
    "MAX_REGEX_LENGTH", "MAX_TEXT_LENGTH", "RULE_COLUMNS", "RUN_SECONDS", "TARGETS",
    "Classification", "PatternClock", "Rule", "classify", "parse_rules", "regex_problem",
    "rules_to_rows",
]
