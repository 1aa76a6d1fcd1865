"""The company report's tables: the month by branch, and a league table per measure.

A company that keeps a workbook per branch (or a Branch column in one register) gets one report
over all of them. Its tables are ``ReportTable``s like every other report table, built here once
from each branch's month figures (``addin.core.analysis.MonthlyFigures``, the figures of that
branch's own report) and the company's; the HTML report shows them as text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from addin.core.analysis import MonthlyFigures
from addin.core.text import Lang, Text

from .tables import ReportTable
from .words import pick, t

WORDS: dict[str, Text] = {
    "branches": Text("This month by branch", "本月各分支机构"),
    "branch": Text("Branch", "分支机构"),
    "company": Text("Whole company", "全公司"),
    "branches_note": Text("The last row is the whole company: its counts are the sums of the "
                          "branches; its rates and mean are taken over all the company's cases.",
                          "最后一行为全公司：件数为各分支机构之和；比率与均值按全公司案件计算。"),
    "rank": Text("Rank", "名次"),
    "league_resolve_on_time_rate": Text("League: resolved on time", "排名：按时解决率"),
    "league_satisfaction_mean": Text("League: mean satisfaction", "排名：平均满意度"),
    "league_repeat_rate": Text("League: repeat complaints (fewest first)",
                               "排名：重复投诉率（由低到高）"),
    "basis_resolve_on_time_rate": Text("Cases", "案件数"),
    "basis_satisfaction_mean": Text("Scores", "评分数"),
    "basis_repeat_rate": Text("Cases", "案件数"),
    "league_note": Text("Branches without a figure this month come last, unranked.",
                        "本月无此项数据的分支机构排在最后，不计名次。"),
    "league_none": Text("No branch has this figure this month.", "本月各分支机构均无此项数据。"),
}


def w(key: str, lang: Lang | str, **params: object) -> str:
    return pick(WORDS[key], lang, **params)


@dataclass(frozen=True)
class League:
    """A measure branches are ranked on: the figure, its kind, which way is better, and the
    number of cases it rests on."""

    key: str
    kind: str
    higher_is_better: bool
    basis: Callable[[MonthlyFigures], int]


LEAGUES = (
    League("resolve_on_time_rate", "rate", True, lambda f: f.resolve_on_time + f.resolve_late),
    League("satisfaction_mean", "score", True, lambda f: f.satisfaction_responses),
    League("repeat_rate", "rate", False, lambda f: f.received),
)
# The month by branch: (MonthlyFigures attribute, kind, the key figure's words).
BRANCH_COLUMNS = (("received", "count", "kpi_received"),
                  ("backlog_overdue", "count", "kpi_backlog_overdue"),
                  ("resolved", "count", "series_resolved"),
                  ("resolve_on_time_rate", "rate", "kpi_resolve_on_time_rate"),
                  ("satisfaction_mean", "score", "kpi_satisfaction_mean"),
                  ("repeat_rate", "rate", "kpi_repeat_rate"))


def branch_tables(branches: list[tuple[str, MonthlyFigures]], company: MonthlyFigures,
                  lang: str) -> list[ReportTable]:
    """The month by branch (with the company's row), then one league table per measure."""
    return [branch_table(branches, company, lang), *(league_table(branches, league, lang)
                                                     for league in LEAGUES)]


def branch_table(branches: list[tuple[str, MonthlyFigures]], company: MonthlyFigures,
                 lang: str) -> ReportTable:
    rows = [[name, *(getattr(figures, key) for key, _, _ in BRANCH_COLUMNS)]
            for name, figures in [*branches, (w("company", lang), company)]]
    return ReportTable("Branches", w("branches", lang),
                       [w("branch", lang), *(t(words, lang) for _, _, words in BRANCH_COLUMNS)],
                       ["text", *(kind for _, kind, _ in BRANCH_COLUMNS)], rows,
                       note=w("branches_note", lang))


def league_table(branches: list[tuple[str, MonthlyFigures]], league: League,
                 lang: str) -> ReportTable:
    """Branches best first; equal figures share a rank (1, 1, 3); no figure: last, no rank."""
    scored = [(name, getattr(f, league.key), league.basis(f)) for name, f in branches]
    ranked = sorted((s for s in scored if s[1] is not None),
                    key=lambda s: -s[1] if league.higher_is_better else s[1])
    rows: list[list] = []
    for i, (name, value, basis) in enumerate(ranked):
        rank = rows[-1][0] if rows and value == ranked[i - 1][1] else i + 1
        rows.append([rank, name, value, basis])
    rows += [[None, name, None, basis] for name, value, basis in scored if value is None]
    return ReportTable(
        f"League_{league.key}", w(f"league_{league.key}", lang),
        [w("rank", lang), w("branch", lang), t(f"kpi_{league.key}", lang),
         w(f"basis_{league.key}", lang)],
        ["count", "text", league.kind, "count"], rows if ranked else [],
        note=w("league_note", lang) if ranked and len(ranked) < len(rows) else "",
        empty=w("league_none", lang))
