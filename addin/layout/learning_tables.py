"""The improvement actions and the archive's analyses as report tables.

Built from ``addin.core.learning.Learning``: the Analysis sheet (either door) and the monthly
report show the same tables, in this order: actions still open, late actions, the actions'
results, then the analyses (causes, products, customers, channels, repeat and reopen rates,
follow-up, risks, complaints not accepted, compensation, workload, complaints per orders).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from addin.core.actions import Action
from addin.core.learning import COMPENSATION_KEYS, Learning
from addin.core.text import Text
from addin.core.vocab import Vocabulary

from .learning_words import w
from .tables import ReportTable, TableChart, plain
from .words import header, label


def learning_tables(learning: Learning, lang: str,
                    lists: dict[str, Vocabulary]) -> list[ReportTable]:
    tables = [*action_tables(learning, lang, lists), causes_table(learning, lang, lists),
              root_causes_table(learning, lang, lists)]
    tables += [profile_table(learning, key, lang, lists)
               for key in ("product", "customer_type", "channel", "category")]
    tables += [follow_up_table(learning, lang, lists), risks_table(learning, lang, lists),
               not_accepted_table(learning, lang)]
    tables += [compensation_table(learning, key, lang, lists) for key in COMPENSATION_KEYS]
    return [*tables, workload_table(learning, lang), volume_table(learning, lang)]


# ----------------------------------------------------------------------------- actions

ACTION_KEYS = ("action_no", "opened", "category", "action", "owner", "due", "status", "target")


def action_tables(learning: Learning, lang: str,
                  lists: dict[str, Vocabulary]) -> list[ReportTable]:
    """Open actions (carried into every report until done), late ones, and measured results."""
    review = learning.actions
    measured = [a for a in review.actions if a.verdict]
    return [
        _actions("ActionsOpen", w("actions_open", lang), review.open, lang, lists,
                 w("actions_open_none", lang), w("actions_open_note", lang)),
        _actions("ActionsLate", w("actions_late", lang), review.late, lang, lists,
                 w("actions_late_none", lang)),
        _actions("ActionsResults", w("actions_results", lang), measured, lang, lists,
                 w("actions_results_none", lang), w("target_rule", lang), results=True),
    ]


def _actions(name: str, title: str, actions: list[Action], lang: str,
             lists: dict[str, Vocabulary], empty: str, note: str = "",
             results: bool = False) -> ReportTable:
    keys = ("action_no", "action", "owner", "target") if results else ACTION_KEYS
    columns = [w(f"action_{k}", lang) for k in keys]
    kinds = ["date" if k in ("opened", "due") else "name" if k == "owner" else "text"
             for k in keys]
    rows = [[_action_value(a, k, lang, lists) for k in keys] for a in actions]
    if results:
        columns += [w("action_result", lang), w("action_verdict", lang)]
        kinds += ["text", "text"]
        rows = [row + [a.result_text(lang), a.verdict_text(lang)]
                for row, a in zip(rows, actions, strict=True)]
    return ReportTable(name, title, columns, kinds, rows, note=note, empty=empty)


def _action_value(action: Action, key: str, lang: str, lists: dict[str, Vocabulary]) -> Any:
    if key == "category":
        return label(action.category, "category", lists, lang) if action.category else ""
    value = {"action_no": action.number, "opened": action.opened, "action": action.text,
             "owner": action.owner, "due": action.due, "status": action.status,
             "target": action.target_text}[key]
    return value


# ----------------------------------------------------------------------------- analyses

def causes_table(learning: Learning, lang: str, lists: dict[str, Vocabulary]) -> ReportTable:
    table = learning.tables["causes"]
    rows = [[label(g, "root_cause_type", lists, lang), plain(r["cases"]), plain(r["share"]),
             plain(r["repeats"]), plain(r["top_cause"]) or ""] for g, r in table.iterrows()]
    title = w("causes", lang)
    return ReportTable("Causes", title, [header("root_cause_type", lang), w("cases", lang),
                                         w("share", lang), w("repeats", lang),
                                         w("top_cause", lang)],
                       ["text", "count", "rate", "count", "text"], rows,
                       empty=w("none_yet", lang),
                       charts=[TableChart("bar", title, 2, 2, legend=False)])


def root_causes_table(learning: Learning, lang: str,
                      lists: dict[str, Vocabulary]) -> ReportTable:
    table = learning.tables["root_causes"]
    rows = [[str(text), plain(r["cases"]), label(r["root_cause_type"], "root_cause_type", lists,
                                                   lang), label(r["category"], "category", lists,
                                                               lang)]
            for text, r in table.iterrows()]
    return ReportTable("RootCauses", w("root_causes", lang),
                       [header("root_cause", lang), w("cases", lang),
                        header("root_cause_type", lang), header("category", lang)],
                       ["text", "count", "text", "text"], rows, empty=w("none_yet", lang))


PROFILE_COLUMNS = (("cases", "count"), ("share", "rate"), ("repeat_rate", "rate"),
                   ("reopen_rate", "rate"), ("satisfaction", "score"), ("compensation", "money"))


def profile_table(learning: Learning, key: str, lang: str,
                  lists: dict[str, Vocabulary]) -> ReportTable:
    table = learning.tables["category_rates" if key == "category" else key]
    rows = [[label(g, key, lists, lang), *(plain(r[c]) for c, _ in PROFILE_COLUMNS)]
            for g, r in table.iterrows()]
    title = w(f"profile_{key}", lang)
    result = ReportTable(f"Profile_{key}", title,
                         [header(key, lang), *(w(c, lang) for c, _ in PROFILE_COLUMNS)],
                         ["text", *(kind for _, kind in PROFILE_COLUMNS)], rows,
                         empty=w("none_yet", lang), shown=15)
    if key == "category":
        result.charts.append(TableChart("bar", title, 4, 5))
    return result


def follow_up_table(learning: Learning, lang: str, lists: dict[str, Vocabulary]) -> ReportTable:
    table = learning.tables["follow_up"]
    done_with, done = learning.followed_up
    rows = [[label(g, "follow_up_result", lists, lang), plain(r["cases"]), plain(r["share"])]
            for g, r in table.iterrows()]
    rate = f"{done_with / done * 100:.1f}%" if done else "–"
    return ReportTable("FollowUp", w("follow_up", lang),
                       [header("follow_up_result", lang), w("cases", lang), w("share", lang)],
                       ["text", "count", "rate"], rows, empty=w("none_yet", lang),
                       note=w("follow_up_note", lang, n=done_with, done=done, rate=rate))


def risks_table(learning: Learning, lang: str, lists: dict[str, Vocabulary]) -> ReportTable:
    table = learning.tables["risks"]
    rows = [[w("escalated", lang) if g == "Escalated" else label(g, "risk", lists, lang),
             plain(r["cases"]), plain(r["open"])] for g, r in table.iterrows()]
    return ReportTable("Risks", w("risks", lang),
                       [header("risk", lang), w("cases", lang), w("still_open", lang)],
                       ["text", "count", "count"], rows, empty=w("risks_none", lang))


def not_accepted_table(learning: Learning, lang: str) -> ReportTable:
    table = learning.tables["not_accepted"]
    rows = [[w("not_given", lang) if g == "Not set" else str(g), plain(r["cases"]),
             plain(r["share"])] for g, r in table.iterrows()]
    return ReportTable("NotAccepted", w("not_accepted", lang),
                       [header("reject_reason", lang), w("cases", lang), w("share", lang)],
                       ["text", "count", "rate"], rows, empty=w("not_accepted_none", lang))


def compensation_table(learning: Learning, key: str, lang: str,
                       lists: dict[str, Vocabulary]) -> ReportTable:
    table = learning.tables[f"compensation_{key}"]
    rows = [[label(g, key, lists, lang), plain(r["cases"]), plain(r["total"]), plain(r["mean"])]
            for g, r in table.iterrows()]
    return ReportTable(f"Compensation_{key}", w(f"compensation_{key}", lang),
                       [header(key, lang), w("cases_paid", lang), w("total_paid", lang),
                        w("mean_paid", lang)],
                       ["text", "count", "money", "money"], rows,
                       empty=w("compensation_none", lang))


def workload_table(learning: Learning, lang: str) -> ReportTable:
    table = learning.tables["workload"]
    months = list(table.columns)
    rows = [[w("unassigned", lang) if h == "Not set" else str(h), *map(plain, r.tolist())]
            for h, r in table.iterrows()]
    title = w("workload", lang)
    return ReportTable("Workload", title, [header("handler", lang), *months],
                       ["name", *(["count"] * len(months))], rows, empty=w("none_yet", lang),
                       charts=[TableChart("line", title, 2, len(months) + 1, by_rows=True)]
                       if months else [], shown=15)


def volume_table(learning: Learning, lang: str) -> ReportTable:
    table = learning.tables["volume"]
    rows = [[m, plain(r["complaints"]), plain(r["orders"]), plain(r["per_thousand"])]
            for m, r in table.iterrows()]
    title = w("volume", lang)
    return ReportTable("ComplaintRate", title,
                       [w("month", lang), w("cases", lang), w("orders", lang),
                        w("per_thousand", lang)],
                       ["text", "count", "count", "ratio"], rows, empty=w("volume_none", lang),
                       note=_trend_note(table, lang),
                       charts=[TableChart("line", title, 4, 4, legend=False)] if rows else [])


# Chinese sentences follow each other without a space.
_SENTENCE_GAP = Text(" ", "")


def _trend_note(table: pd.DataFrame, lang: str) -> str:
    """First against last month shown: the direction of the complaint rate."""
    if len(table) < 2:
        return ""
    first, last = table["per_thousand"].iloc[0], table["per_thousand"].iloc[-1]
    sep = _SENTENCE_GAP.in_(lang)
    return w("volume_trend", lang, first=f"{first:.2f}", last=f"{last:.2f}",
             months=len(table)) + sep + w("volume_up" if last > first else "volume_down", lang)
