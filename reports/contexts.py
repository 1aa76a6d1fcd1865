"""What each template receives: one documented dataclass per template.

An office that edits a template (a ``templates/`` folder next to the workbook overrides the ones
shipped here) can rely on these names; a test renders each template and checks that every name it
uses is a field here and every field is used. All text is already in the report's language and
already masked when the workbook's settings ask for it; templates only lay it out.

Templates: ``monthly.html.j2`` (MonthlyReportContext), ``card.html.j2`` and ``summary.md.j2``
(CaseContext).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup


@dataclass(frozen=True)
class KpiCard:
    label: str  # "Resolved on time"
    value: str  # "86.4%"
    basis: str  # how many cases the figure rests on: "of 120 cases", or ""
    # "+3.1 pt"; "–" when the earlier month has no figure; "" when this month has none
    vs_previous: str
    vs_last_year: str
    previous_tone: str  # "good", "bad" or "" (neutral): colours the change
    last_year_tone: str


@dataclass(frozen=True)
class Chart:
    title: str
    svg: Markup  # inline SVG, already escaped
    wide: bool = False  # spans the page's width; otherwise two charts share a row
    note: str = ""  # a sentence under the chart about what it leaves out, or ""


@dataclass(frozen=True)
class Table:
    """A table of figures: ``numeric[i]`` is True where column i holds numbers (right-aligned)."""

    title: str
    columns: list[str]
    rows: list[list[str]]
    numeric: list[bool]
    note: str = ""  # a sentence under the table
    empty: str = ""  # shown instead of the table when it has no rows
    name: str = ""  # the same table's name on the Monthly sheet ("Overdue")


@dataclass(frozen=True)
class Action:
    """An improvement action from the workbook's Actions sheet."""

    category: str
    action: str
    owner: str
    due: str
    status: str


@dataclass(frozen=True)
class MonthlyReportContext:
    """monthly.html.j2: the monthly complaints report."""

    lang: str  # "en" or "zh-CN", for <html lang>
    title: str  # "Complaints report — March 2026"
    subtitle: str  # as-of day, generation day, workbook name; says when personal data is masked
    labels: dict[str, str]  # section headings and column names, keyed as in reports.i18n.TEXT
    kpis: list[KpiCard]
    notes: list[str]  # what the figures leave out (e.g. cases closed without a resolved date)
    vs_previous: str  # "vs February 2026" ("环比" in Chinese, written before the change)
    vs_last_year: str  # "vs March 2025" ("同比")
    charts: list[Chart]
    tables: list[Table]  # breakdowns: category, department, handler
    rising: Table
    regulatory: Table
    overdue: Table
    overdue_more: str  # "… and 12 more", or ""
    repeats: Table
    actions: list[Action]
    blank_action_rows: int  # empty rows to write new actions in on paper
    definitions: str
    # The company report (several branches) only: the month by branch, then a league table per
    # measure; None and [] in a branch's own report.
    branches: Table | None = None
    league: list[Table] = field(default_factory=list)
    # Open, late and measured actions, then the archive's analyses (addin.layout.learning_tables)
    learning: list[Table] = field(default_factory=list)
    # Follow-ups due soon or overdue (addin.layout.followups), and "… and 12 more", or "".
    follow_ups: Table | None = None
    follow_ups_more: str = ""


@dataclass(frozen=True)
class CaseField:
    label: str
    value: str  # "" for an empty field: the card shows a line to fill in by hand
    lines: int = 1  # lines of handwriting the empty field has room for


@dataclass(frozen=True)
class CaseEvent:
    """One row of the Case log about the case, in the report's language."""

    time: str  # "" when the row has none (staff may leave it empty)
    event: str  # "Status", "状态变更", or the name staff wrote
    change: str  # "In progress → Resolved", or ""
    by: str
    note: str  # the deadline an event moved, or what staff wrote (masked when asked)


@dataclass(frozen=True)
class CaseSection:
    title: str
    fields: list[CaseField]


@dataclass(frozen=True)
class CaseContext:
    """card.html.j2 (printable record card) and summary.md.j2 (email reply summary): one case."""

    lang: str
    title: str  # "Customer complaint record card" / "客户投诉记录卡"
    case_no: str
    status: str  # in the workbook's language
    received: str
    customer: str  # masked when the settings ask for it
    category: str
    description: str  # the complaint text, masked; may hold anything: templates autoescape
    request: str
    solution: str
    outcome: str
    handler: str
    due: str  # the resolve deadline
    sections: list[CaseSection]  # every field of the card, filled or not, grouped as on paper
    labels: dict[str, str]
    printed: str  # "Printed 10 Apr 2026"
    masked_note: str
    timeline: list[CaseEvent]  # the case's rows on the Case log, oldest first (the card)
    recent: list[CaseEvent]  # the last few of them (the email summary)
    earlier: str  # "3 earlier events on the Case log" when ``recent`` leaves some out, or ""
    blank_event_rows: int  # empty timeline rows to write follow-ups in on paper

