"""The follow-up queue as a report table: the Monthly sheet (both doors) and the HTML report.

Built on this package's tables (``tables.ReportTable``), which take it in ``month_tables`` after
the overdue list; the queue itself is ``addin.core.followups``.
"""

from __future__ import annotations

from addin.core.analysis import MonthAnalysis
from addin.core.text import Lang
from addin.core.vocab import Vocabulary

from .tables import OVERDUE_SHOWN, ReportTable, _column, _labels, _text
from .words import fmt_date, header, t

FOLLOW_UP_KEYS = ("case_no", "customer_name", "handler", "resolved_at", "follow_up_due")


def follow_up_table(month: MonthAnalysis, lang: Lang | str,
                    lists: dict[str, Vocabulary]) -> ReportTable:
    """Case, customer, handler, resolved, follow up by, working days over and status: most
    overdue first. The report shows the first rows; the sheet has them all."""
    lang = Lang.of(lang)
    queue = month.follow_ups
    unassigned = t("unassigned", lang)
    columns = [
        [_text(v) for v in _column(queue, "case_no")],
        [_text(v) for v in _column(queue, "customer_name")],
        [_text(v) or unassigned for v in _column(queue, "handler")],
        _column(queue, "resolved_at", days=True),
        _column(queue, "follow_up_due", days=True),
        [int(v) for v in _column(queue, "days_over")],
        _labels(queue, "status", lists, lang),
    ]
    note = ""
    if len(queue):
        overdue = int((queue["state"] == "Overdue").sum())
        note = t("follow_ups_note", lang, overdue=overdue, soon=len(queue) - overdue,
                 days=month.follow_up_soon_days)
    return ReportTable(
        "FollowUps", t("follow_ups_on", lang, day=fmt_date(month.figures.as_of, lang)),
        [header(k, lang) for k in FOLLOW_UP_KEYS] + [t("col_days_over", lang),
                                                     header("status", lang)],
        ["text", "name", "text", "date", "date", "count", "text"],
        [list(row) for row in zip(*columns, strict=True)] if len(queue) else [],
        note=note, empty=t("follow_ups_none", lang), shown=OVERDUE_SHOWN)
