"""Learning from the archive: the analyses managers ask for beyond the month's figures.

Every function takes the canonical ``cases`` frame (as ``analysis.py``) narrowed to a window of
months received (``window``) and returns a DataFrame keyed by canonical names; the layout turns
them into report tables. Definitions:

- shares are of the complaints in the window; a *repeat* is a case the pipeline marked with
  ``repeat_of``; a case is *reopened* when its status is Reopened or the add-in recorded a
  reopening (``reopened_at``);
- follow-up is *complete* on a done case (Resolved or Closed) with a follow-up result or date;
- compensation sums the Compensation cells that hold a number above zero;
- workload counts the cases open (received, not done, not refused) at the end of each month,
  per handler;
- the complaint rate is complaints received per thousand orders of the same month (Volume sheet).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .actions import ActionReview
from .analysis import NOT_SET, Prepared, _groups, month_bounds, open_mask, prepare
from .calendar import WorkCalendar
from .vocab import DONE_STATUSES, NOT_ACCEPTED, REOPENED

TOP_TEXTS = 10  # root-cause texts listed
WORKLOAD_MONTHS = 6
PROFILE_KEYS = ("product", "customer_type", "channel")
COMPENSATION_KEYS = ("category", "department", "remedy")
# The fields the analyses below read from the window's cases: only these are copied for it.
LEARNED_FIELDS = ("status", "reopened_at", "compensation", "root_cause_type", "root_cause",
                  "category", *PROFILE_KEYS, "follow_up_result", "follow_up_at", "risk",
                  "severity", "reject_reason", *COMPENSATION_KEYS)


@dataclass
class Learning:
    """The analyses over a window, and the actions as this run measured them."""

    as_of: dt.date
    first_month: pd.Period | None  # None: the whole register
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    followed_up: tuple[int, int] = (0, 0)  # done cases followed up, done cases
    actions: ActionReview = field(default_factory=ActionReview)


def learn(cases: pd.DataFrame, calendar: WorkCalendar, as_of: dt.date, *,
          months: int | None = None, actions: ActionReview | None = None,
          volume: pd.Series | None = None, prepared: Prepared | None = None) -> Learning:
    """Every analysis as of a day, over the ``months`` months up to it (all when None).

    ``prepared``: ``prepare(cases, calendar)`` when the caller has it already (a month's
    analysis of the same cases carries it)."""
    last = pd.Period(as_of, freq="M")
    first = None if months is None else last - (months - 1)
    prep = prepared if prepared is not None and prepared.cases is cases \
        and prepared.calendar is calendar else prepare(cases, calendar)
    keep = ~np.isnat(prep.received) & (prep.received <= np.datetime64(as_of, "D"))
    if first is not None:
        keep &= prep.received >= month_bounds(first)[0]
    window = prep.rows(keep, tuple(dict.fromkeys(LEARNED_FIELDS)))
    frame = _flags(window)
    result = Learning(as_of, first, actions=actions or ActionReview())
    tables = result.tables
    tables["causes"] = cause_types(frame)
    tables["root_causes"] = root_causes(frame)
    for key in PROFILE_KEYS:
        tables[key] = profile(frame, key)
    tables["category_rates"] = profile(frame, "category")
    tables["follow_up"], result.followed_up = follow_up(frame)
    tables["risks"] = risks(frame)
    tables["not_accepted"] = not_accepted(frame)
    for key in COMPENSATION_KEYS:
        tables[f"compensation_{key}"] = compensation(frame, key)
    tables["workload"] = workload(prep, last)
    tables["volume"] = complaint_rate(prep, volume, last, months or 12)
    return result


def _flags(prep: Prepared) -> pd.DataFrame:
    """The window's cases with the flags every analysis counts."""
    cases = prep.cases.copy()
    status = _col(cases, "status")
    cases["_repeat"] = prep.repeat
    cases["_reopened"] = (status == REOPENED).to_numpy() | _col(cases, "reopened_at").notna(
        ).to_numpy()
    cases["_done"] = status.isin(DONE_STATUSES).to_numpy()
    cases["_money"] = pd.to_numeric(_col(cases, "compensation"), errors="coerce").where(
        lambda v: v > 0)
    cases["_score"] = prep.satisfaction
    return cases


def _col(cases: pd.DataFrame, key: str) -> pd.Series:
    return cases[key] if key in cases else pd.Series(None, index=cases.index, dtype=object)


def _share(part: pd.Series, whole: int) -> pd.Series:
    return part / whole if whole else part * np.nan


def cause_types(cases: pd.DataFrame) -> pd.DataFrame:
    """Per cause type: cases, share, repeats, and the most frequent root-cause text."""
    group = _groups(_col(cases, "root_cause_type"))
    text = _groups(_col(cases, "root_cause"))
    table = pd.DataFrame({"cases": group.groupby(group).size(),
                          "repeats": cases["_repeat"].groupby(group).sum()})
    table["share"] = _share(table["cases"], len(cases))
    named = text[text != NOT_SET]
    top = named.groupby(group[named.index]).agg(lambda v: v.value_counts().index[0])
    table["top_cause"] = top.reindex(table.index)
    table.index.name = "root_cause_type"
    return _largest(table)


def root_causes(cases: pd.DataFrame) -> pd.DataFrame:
    """The root-cause texts that recur most, with their usual cause type and category."""
    text = _groups(_col(cases, "root_cause"))
    named = text[text != NOT_SET]
    if named.empty:
        return pd.DataFrame(columns=["cases", "root_cause_type", "category"])
    # Staff write the same cause with other capitals or spaces: those are one cause.
    # Each distinct text keyed once (a cause is typed again and again).
    keys = {text: " ".join(text.casefold().split()) for text in pd.unique(named.to_numpy())}
    frame = pd.DataFrame({"text": named, "key": named.map(keys),
                          "type": _groups(_col(cases, "root_cause_type"))[named.index],
                          "category": _groups(_col(cases, "category"))[named.index]})
    grouped = frame.groupby("key")
    table = pd.DataFrame({"cases": grouped.size(), "text": grouped["text"].agg(_most),
                          "root_cause_type": grouped["type"].agg(_most),
                          "category": grouped["category"].agg(_most)})
    table = table[table["cases"] > 1].set_index("text")  # a cause seen once does not recur
    table.index.name = "root_cause"
    return table.sort_values("cases", ascending=False, kind="stable").head(TOP_TEXTS)


def _most(values: pd.Series) -> str:
    return values.value_counts().index[0]


def profile(cases: pd.DataFrame, key: str) -> pd.DataFrame:
    """Per value of a field: cases, share, repeat and reopen rates, mean satisfaction,
    compensation paid."""
    group = _groups(_col(cases, key))
    grouped = cases.groupby(group.to_numpy(), sort=False)
    table = pd.DataFrame({"cases": grouped.size(), "repeats": grouped["_repeat"].sum(),
                          "reopened": grouped["_reopened"].sum()})
    table["share"] = _share(table["cases"], len(cases))
    table["repeat_rate"] = table["repeats"] / table["cases"]
    table["reopen_rate"] = table["reopened"] / table["cases"]
    table["satisfaction"] = grouped["_score"].mean()
    table["compensation"] = grouped["_money"].sum(min_count=1)
    table.index.name = key
    return _largest(table)


def _largest(table: pd.DataFrame) -> pd.DataFrame:
    """Largest groups first, the group of empty cells last."""
    table = table.sort_values("cases", ascending=False, kind="stable")
    return pd.concat([table[table.index != NOT_SET], table[table.index == NOT_SET]])


def follow_up(cases: pd.DataFrame) -> tuple[pd.DataFrame, tuple[int, int]]:
    """Done cases by follow-up result, and (followed up, done)."""
    done = cases[cases["_done"]]
    result = _groups(_col(done, "follow_up_result"))
    followed = (result != NOT_SET) | _col(done, "follow_up_at").notna()
    table = result.groupby(result).size().rename("cases").to_frame()
    table["share"] = _share(table["cases"], len(done))
    table.index.name = "follow_up_result"
    return _largest(table), (int(followed.sum()), len(done))


def risks(cases: pd.DataFrame) -> pd.DataFrame:
    """Cases per risk signal (a case may carry several) and the cases escalated."""
    named = _col(cases, "risk").dropna().astype(str).str.split(";").explode().str.strip()
    named = named[named != ""]
    table = named.groupby(named).size().rename("cases").to_frame()
    escalated = int((_col(cases, "severity") == "Escalated").sum())
    if escalated:
        table.loc["Escalated"] = escalated
    table["open"] = [int((~cases.loc[_has(cases, named, r)]["_done"]).sum()) for r in table.index]
    table.index.name = "risk"
    return table.sort_values("cases", ascending=False, kind="stable")


def _has(cases: pd.DataFrame, named: pd.Series, risk: str) -> pd.Index:
    if risk == "Escalated":
        return cases.index[(_col(cases, "severity") == "Escalated").to_numpy()]
    return named[named == risk].index.unique()


def not_accepted(cases: pd.DataFrame) -> pd.DataFrame:
    """Complaints not accepted, by the reason given."""
    rows = cases[_col(cases, "status") == NOT_ACCEPTED]
    reason = _groups(_col(rows, "reject_reason"))
    table = reason.groupby(reason).size().rename("cases").to_frame()
    table["share"] = _share(table["cases"], len(cases))
    table.index.name = "reject_reason"
    return _largest(table)


def compensation(cases: pd.DataFrame, key: str) -> pd.DataFrame:
    """Compensation paid per value of a field: cases paid, total, mean."""
    paid = cases[cases["_money"].notna()]
    group = _groups(_col(paid, key))
    grouped = paid["_money"].groupby(group)
    table = pd.DataFrame({"cases": grouped.size(), "total": grouped.sum(),
                          "mean": grouped.mean()})
    table.index.name = key
    return table.sort_values("total", ascending=False, kind="stable")


def workload(prep: Prepared, last: pd.Period, months: int = WORKLOAD_MONTHS) -> pd.DataFrame:
    """Open cases per handler at the end of each of the last ``months`` months (a complaint not
    accepted is nobody's work)."""
    handler = _groups(_col(prep.cases, "handler")).to_numpy()
    refused = (_col(prep.cases, "status") == NOT_ACCEPTED).to_numpy()
    columns = {}
    for month in (last - k for k in range(months - 1, -1, -1)):
        is_open = open_mask(prep, month_bounds(month)[1]) & ~refused
        columns[str(month)] = pd.Series(is_open).groupby(handler).sum()
    table = pd.DataFrame(columns).fillna(0).astype(int)
    table = table[table.sum(axis=1) > 0]
    table.index.name = "handler"
    return table.sort_values(table.columns[-1], ascending=False, kind="stable") if len(
        table.columns) else table


def complaint_rate(prep: Prepared, volume: pd.Series | None, last: pd.Period,
                   months: int) -> pd.DataFrame:
    """Complaints, orders and complaints per thousand orders per month (months with orders)."""
    columns = ["complaints", "orders", "per_thousand"]
    if volume is None or volume.empty:
        return pd.DataFrame(columns=columns).rename_axis("month")
    received = pd.Series(np.datetime_as_string(prep.months[~np.isnat(prep.months)], unit="M")
                         ).value_counts()
    rows = []
    for month in (last - k for k in range(months - 1, -1, -1)):
        orders = volume.get(month)
        if orders is None or orders <= 0:
            continue
        count = int(received.get(str(month), 0))
        rows.append({"month": str(month), "complaints": count, "orders": float(orders),
                     "per_thousand": count / orders * 1000})
    return pd.DataFrame(rows, columns=["month", *columns]).set_index("month")
