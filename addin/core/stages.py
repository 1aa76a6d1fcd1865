"""The handling process, checked: what each status implies, and the steps in their order.

The process runs received (受理) → assigned (分派) → investigated (调查) → resolved (处理) →
customer told (回复) → followed up (回访) → closed (结案). A status says how far a case has got, so
it implies some fields are filled (Closed needs the remedy, the cause type, when the customer was
told, the follow-up and the closed date) and that later ones are not yet (a New case has no
resolution). The dates of the steps must run in the process's order, and the first reply comes
before the resolution.

Only the columns a register has are checked: an older register without the process's columns is
checked as before. Handler, Resolved and Solution keep their own checks in ``validate``.

Levels (the Settings sheet chooses error or warning for each group; the defaults and why):

- Closing checks, default error: a case marked Resolved, Closed or Not accepted is archived and
  counted in the reports as finished, so what it lacks is lost unless someone is stopped now.
- Stage checks, default warning: staff often move the status before typing the time of the step,
  and a case on its way has time to catch up; a warning shows it without marking the row wrong.
- Date order checks, default error: steps dated out of order are a typing mistake in at least
  one cell, and deadlines and reports computed from them would be wrong.
"""

from __future__ import annotations

import pandas as pd

from .findings import Finding
from .register import Register
from .settings import Config
from .validate import Checked, RowCheck, is_before, row_findings, shown_dates
from .vocab import DONE_STATUSES, NOT_ACCEPTED

# A satisfaction score at or below this asks for the case to be reopened.
LOW_SATISFACTION = 2

# What each status needs, beyond what ``validate`` already asks (handler, resolved, solution).
_ON_THE_WAY = ("acknowledged_at", "assigned_at")
NEEDS: dict[str, tuple[str, ...]] = {
    "Acknowledged": ("acknowledged_at",),
    "Investigating": _ON_THE_WAY,
    "In progress": _ON_THE_WAY,
    "Waiting on customer": _ON_THE_WAY,
    "Reopened": _ON_THE_WAY,
    "Resolved": (*_ON_THE_WAY, "remedy"),
    "Closed": (*_ON_THE_WAY, "remedy", "root_cause_type", "informed_at", "follow_up_at",
               "closed_at"),
    NOT_ACCEPTED: ("reject_reason",),
}
# Statuses whose requirements are closing checks; the rest are stage checks.
CLOSING = frozenset({"Resolved", "Closed", NOT_ACCEPTED})
# Fields a status has not reached yet.
_NOT_CLOSED = ("closed_at",)
NOT_YET: dict[str, tuple[str, ...]] = {
    "New": ("investigated_at", "resolved_at", "solution", "remedy", "informed_at", "closed_at"),
    "Acknowledged": ("resolved_at", "informed_at", "closed_at"),
    "Investigating": ("resolved_at", "informed_at", "closed_at"),
    "In progress": _NOT_CLOSED,
    "Waiting on customer": _NOT_CLOSED,
    "Resolved": _NOT_CLOSED,
}
# The steps in order; received is compared with every step in ``validate`` (date-order).
STEPS = ("received_at", "assigned_at", "investigated_at", "resolved_at", "informed_at",
         "follow_up_at", "closed_at")


def check_stages(register: Register, checked: Checked, config: Config, lang: str
                 ) -> list[Finding]:
    """Findings for statuses missing what they imply or carrying steps not reached, and for
    steps dated out of order."""
    settings = config.settings
    frame, empty = checked.frame, checked.empty
    status = frame["status"]
    labels = status.map({name: config.lists["status"].label(name, lang)
                         for name in status.dropna().unique()})
    checks: list[RowCheck] = []
    rows_of = _rows_by_status(status)
    for name, keys in NEEDS.items():
        if name == "Closed" and not settings.cause_type_to_close:
            keys = tuple(k for k in keys if k != "root_cause_type")
        level = settings.closing_checks if name in CLOSING else settings.stage_checks
        checks += _status_checks("stage-missing", register, rows_of(name), keys,
                                 lambda key: empty[key], labels, level)
    for name, keys in NOT_YET.items():
        checks += _status_checks("stage-too-early", register, rows_of(name), keys,
                                 lambda key: ~empty[key], labels, settings.stage_checks)
    checks += _order(register, frame, settings.order_checks)
    checks += _unhappy(frame, labels)
    checks += _compensation(register, checked, settings.approval_above, labels,
                            settings.closing_checks)
    return row_findings(register, checks, ~checked.blank)


def _rows_by_status(status: pd.Series):
    """``status.eq(name)`` for any name, from one pass over the column instead of one per name."""
    codes, names = pd.factorize(status.to_numpy(dtype=object))
    position = {name: i for i, name in enumerate(names)}
    return lambda name: pd.Series(codes == position.get(name, -2), index=status.index)


def _compensation(register: Register, checked: Checked, threshold: float, labels: pd.Series,
                  level: str) -> list[RowCheck]:
    """An amount that is not an amount of 0 or more; above the threshold, a finished case
    without its approver and approval date."""
    if not register.has("compensation"):
        return []
    frame, empty = checked.frame, checked.empty
    amount = frame["compensation"]
    bad = ~empty["compensation"] & ~(amount >= 0)
    unapproved = pd.Series(False, index=frame.index)
    for key in ("approved_by", "approved_at"):
        unapproved |= empty[key]
    missing = (amount > threshold) & frame["status"].isin(DONE_STATUSES) & unapproved
    where = "approved_by" if register.has("approved_by") else "compensation"
    return [RowCheck("bad-compensation", "compensation", bad),
            RowCheck("approval-missing", where, missing,
                     {"amount": amount.map("{:,.2f}".format, na_action="ignore"),
                      "threshold": f"{threshold:,.2f}", "status": labels}, level=level)]


def _unhappy(frame: pd.DataFrame, labels: pd.Series) -> list[RowCheck]:
    """A finished case whose customer said at the follow-up they are not satisfied."""
    said_no = frame["follow_up_result"].eq("Not satisfied")
    low = frame["satisfaction"] <= LOW_SATISFACTION
    hit = frame["status"].isin(DONE_STATUSES) & (said_no | low)
    # Few distinct reasons (a result and a score of 1 or 2): each written once.
    pairs = {key: _reasons(*key) for key in
             set(zip(said_no[hit], frame["satisfaction"][hit].fillna(5), strict=True))}
    keys = list(zip(said_no[hit], frame["satisfaction"][hit].fillna(5), strict=True))
    reason = pd.Series([pairs[k][0] for k in keys], index=frame.index[hit], dtype=object)
    reason_zh = pd.Series([pairs[k][1] for k in keys], index=frame.index[hit], dtype=object)
    # At the follow-up result when that says so, else at the score.
    return [RowCheck("reopen-suggested", key, hit & (said_no if key == "follow_up_result"
                                                      else ~said_no),
                     {"reason": reason, "reason_zh": reason_zh, "status": labels})
            for key in ("follow_up_result", "satisfaction")]


def _reasons(said_no: bool, score: float) -> tuple[str, str]:
    en, zh = (["follow-up result Not satisfied"], ["回访结果不满意"]) if said_no else ([], [])
    if score <= LOW_SATISFACTION:
        en.append(f"satisfaction {score:.0f}")
        zh.append(f"满意度 {score:.0f}")
    return "; ".join(en), "；".join(zh)


def _status_checks(code: str, register: Register, rows: pd.Series, keys: tuple[str, ...],
                   hit, labels: pd.Series, level: str) -> list[RowCheck]:
    if not rows.any():
        return []
    return [RowCheck(code, key, rows & hit(key),
                     {"header": register.header(key), "status": labels}, level=level)
            for key in keys if register.has(key)]


def _order(register: Register, frame: pd.DataFrame, level: str) -> list[RowCheck]:
    """Each step against the nearest earlier step that is dated (received aside), and the first
    reply against the resolution."""
    present = [key for key in STEPS[1:] if register.has(key)]
    checks: list[RowCheck] = []
    for i, key in enumerate(present[1:], start=1):
        earlier = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
        earlier_header = pd.Series(None, index=frame.index, dtype=object)
        for before in reversed(present[:i]):
            fill = earlier.isna() & frame[before].notna()
            earlier = earlier.where(~fill, frame[before])
            earlier_header = earlier_header.where(~fill, register.header(before))
        wrong = is_before(frame[key], earlier)
        if wrong.any():
            checks.append(RowCheck("stage-order", key, wrong, {
                "header": register.header(key), "earlier": earlier_header,
                "earlier_value": shown_dates(earlier[wrong])}, shown_dates(frame[key][wrong]),
                level))
    if register.has("acknowledged_at") and register.has("resolved_at"):
        late = is_before(frame["resolved_at"], frame["acknowledged_at"])
        checks.append(RowCheck("reply-after-resolution", "acknowledged_at", late,
                               {"resolved": shown_dates(frame["resolved_at"][late])},
                               shown_dates(frame["acknowledged_at"][late]), level))
    return checks

