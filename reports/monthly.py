"""The monthly complaints report: one self-contained HTML file (and a PDF when a browser can print).

``write_report`` reads the workbook (fast, read-only), runs the same pipeline as every door, takes
the month's analyses from ``addin.core.analysis`` and renders ``monthly.html.j2``. The figures are
also what ``addin.batch.analysis_sheets`` writes to the Monthly sheet.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from addin.core.analysis import (
    NOT_SET,
    REGULATORY_VIEWS,
    RISING_BASELINE_MONTHS,
    RISING_MIN_COUNT,
    MonthAnalysis,
    MonthlyFigures,
    analyse_month,
    default_month,
    overdue_ages,
)
from addin.core.fields import fold
from addin.core.masking import mask_name, mask_phone
from addin.core.register import Grid
from addin.core.vocab import Vocabulary, default_lists

from . import charts
from .contexts import Action, Chart, KpiCard, MonthlyReportContext, Table
from .i18n import (
    TEXT,
    fmt_change,
    fmt_date,
    fmt_number,
    header,
    label,
    month_name,
    shown_change,
    t,
    zh_lang,
)
from .render import environment, html_to_pdf, render

OVERDUE_SHOWN = 40  # rows of the overdue list in the HTML; the workbook has them all
BLANK_ACTION_ROWS = 4


@dataclass
class MonthInputs:
    """What a report needs from a workbook once it has been read and processed."""

    cases: pd.DataFrame
    calendar: Any
    lists: dict[str, Vocabulary]
    lang: str  # the workbook's language
    mask: bool
    workbook: str  # file name shown in the report
    actions: Grid | None = None


def load_month_inputs(path: Path, today: dt.date) -> MonthInputs:
    """Read a workbook the fast way and run the pipeline over it (nothing is written)."""
    from addin.core.pipeline import process

    from .read import read_workbook_fast

    register, sheets, counters = read_workbook_fast(Path(path))
    # Read-only: the canonical cases are all a report needs, not the cells a door would write.
    outcome = process(register, sheets, today, counters, changes=False)
    return MonthInputs(outcome.cases, outcome.config.calendar, outcome.config.lists,
                       outcome.lang, outcome.config.settings.mask_personal_data,
                       Path(path).name, sheets.get("actions"))


def write_report(path: Path, month: pd.Period | str | None = None, lang: str | None = None,
                 output_dir: Path | None = None, today: dt.date | None = None,
                 pdf: bool = True) -> list[Path]:
    """Write the month's report next to the workbook (or in ``output_dir``); return the files.

    ``month`` defaults to the last full month, ``lang`` to the workbook's language. The PDF is
    written as well when a Chromium-family browser is installed and ``pdf`` is True.
    """
    path = Path(path)
    today = today or dt.date.today()
    period = default_month(today) if month is None else pd.Period(month, freq="M")
    inputs = load_month_inputs(path, today)
    lang = lang or inputs.lang
    analysis = analyse_month(inputs.cases, period, inputs.calendar, today, inputs.lists)
    context = monthly_context(analysis, inputs.lists, lang, mask=inputs.mask,
                              workbook=inputs.workbook, actions=read_actions(inputs.actions,
                                                                             period, lang))
    html = render(environment(path), "monthly.html.j2", context)
    folder = Path(output_dir) if output_dir else path.parent
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{path.stem}-report-{period}-{'zh' if zh_lang(lang) else 'en'}.html"
    target.write_text(html, encoding="utf-8")
    written = [target]
    if pdf and html_to_pdf(target, target.with_suffix(".pdf")):
        written.append(target.with_suffix(".pdf"))
    return written


# ----------------------------------------------------------------------------- the context

def monthly_context(analysis: MonthAnalysis, lists: dict[str, Vocabulary] | None, lang: str,
                    *, mask: bool, workbook: str, actions: list[Action] | None = None
                    ) -> MonthlyReportContext:
    lists = lists or default_lists()
    month, figures = analysis.month, analysis.figures
    return MonthlyReportContext(
        lang="zh-CN" if zh_lang(lang) else "en",
        title=f"{t('report_title', lang)} — {month_name(month, lang)}",
        subtitle=t("as_of", lang, day=fmt_date(figures.as_of, lang),
                   today=fmt_date(analysis.today, lang), workbook=workbook)
        + ((" " if not zh_lang(lang) else "") + t("masked_note", lang) if mask else ""),
        labels={key: t(key, lang) for key in TEXT if "{" not in t(key, "en")},
        kpis=[_kpi_card(k, figures, lang) for k in analysis.kpis],
        notes=_notes(analysis, lang),
        vs_previous=t("vs_previous", lang, month=month_name(month - 1, lang)),
        vs_last_year=t("vs_last_year", lang, month=month_name(month - 12, lang)),
        charts=month_charts(analysis, lists, lang),
        tables=[_breakdown_table(analysis, key, lists, lang)
                for key in ("category", "department", "handler")],
        rising=_rising_table(analysis, lists, lang),
        regulatory=_regulatory_table(analysis, lang),
        overdue=_overdue_table(analysis, lists, lang, mask),
        overdue_more=(t("overdue_more", lang, n=len(analysis.overdue) - OVERDUE_SHOWN)
                      if len(analysis.overdue) > OVERDUE_SHOWN else ""),
        repeats=_repeats_table(analysis, lists, lang, mask),
        actions=actions or [],
        blank_action_rows=BLANK_ACTION_ROWS,
        definitions=t("definitions_text", lang),
    )


def _tone(change: float | None, kind: str, higher_is_better: bool | None) -> str:
    shown = shown_change(change, kind)
    if not shown or higher_is_better is None:
        return ""
    return "good" if (shown > 0) == higher_is_better else "bad"


def _basis(figures: MonthlyFigures, key: str, lang: str) -> str:
    """The number of cases a rate or mean rests on, so that 0 % of 3 reads as what it is."""
    counts = {
        "closed_rate": figures.received, "repeat_rate": figures.received,
        "median_days": figures.resolved, "p90_days": figures.resolved,
        "ack_on_time_rate": figures.ack_on_time + figures.ack_late,
        "resolve_on_time_rate": figures.resolve_on_time + figures.resolve_late,
    }
    if key in counts:
        n, text = counts[key], "basis"
    elif key in ("satisfaction_mean", "low_satisfaction_share"):
        n, text = figures.satisfaction_responses, "basis_scores"
    elif key == "backlog_overdue":
        return t("basis_open", lang, n=f"{figures.backlog:,}")
    else:
        return ""
    if n == 0:
        return t("basis_none", lang)
    return t(f"{text}_one", lang) if n == 1 else t(text, lang, n=f"{n:,}")


def _kpi_card(kpi, figures: MonthlyFigures, lang: str) -> KpiCard:
    previous, last_year = kpi.change(kpi.previous), kpi.change(kpi.last_year)
    # Without a figure this month there is nothing to compare: no change lines at all.
    shown = kpi.value is not None
    return KpiCard(label=t(f"kpi_{kpi.key}", lang), value=fmt_number(kpi.value, kpi.kind, lang),
                   basis=_basis(figures, kpi.key, lang),
                   vs_previous=fmt_change(previous, kpi.kind, lang) if shown else "",
                   vs_last_year=fmt_change(last_year, kpi.kind, lang) if shown else "",
                   previous_tone=_tone(previous, kpi.kind, kpi.higher_is_better),
                   last_year_tone=_tone(last_year, kpi.kind, kpi.higher_is_better))


def _notes(analysis: MonthAnalysis, lang: str) -> list[str]:
    """Sentences under the key figures about data that the figures leave out."""
    undated = analysis.figures.closed_undated
    return [t("closed_undated", lang, n=undated)] if undated else []


def _ages(analysis: MonthAnalysis, lang: str) -> str:
    if analysis.overdue.empty:
        return ""
    bands = [t("overdue_band", lang, n=n, low=low, high=high) if high is not None
             else t("overdue_band_open", lang, n=n, above=low - 1)
             for low, high, n in overdue_ages(analysis.overdue) if n]
    return t("overdue_ages", lang, total=len(analysis.overdue),
             bands=("；" if zh_lang(lang) else "; ").join(bands))


def month_charts(analysis: MonthAnalysis, lists: dict[str, Vocabulary], lang: str
                 ) -> list[Chart]:
    trend = analysis.trend
    months = axis_months(trend.index, lang)
    table = analysis.category_by_month.drop(columns="Total")
    by_category = [(label(cat, "category", lists, lang), [float(v) for v in row])
                   for cat, row in table.iterrows() if row.sum() > 0]
    channel = analysis.breakdowns["channel"]
    channel = channel[channel["cases"] > 0]
    scores = analysis.figures.satisfaction_counts
    specs = [
        ("chart_trend", charts.column_chart(
            months, [(t("series_received", lang), trend["received"].tolist()),
                     (t("series_resolved", lang), trend["resolved"].tolist())],
            t("chart_trend", lang))),
        ("chart_categories", charts.column_chart(
            axis_months(table.columns, lang), by_category, t("chart_categories", lang),
            stacked=True)),
        ("chart_on_time", charts.line_chart(
            axis_months(trend.index, lang),
            [(t("series_ack", lang), _floats(trend["ack_on_time_rate"])),
             (t("series_resolve", lang), _floats(trend["resolve_on_time_rate"]))],
            t("chart_on_time", lang), width=960)),
        ("chart_channel", charts.bar_chart(
            [label(c, "channel", lists, lang) for c in channel.index],
            channel["cases"].tolist(), t("chart_channel", lang))),
        ("chart_satisfaction", charts.bar_chart(
            [f"{s} ★" for s in range(5, 0, -1)], [scores.get(s, 0) for s in range(5, 0, -1)],
            t("chart_satisfaction", lang), empty=t("no_scores", lang))),
    ]
    # Month axes get the full width (twelve labels do not fit in half); the two bar charts of
    # the month share a row.
    wide = {"chart_trend", "chart_categories", "chart_on_time"}
    undated = int(trend["closed_undated"].sum())
    notes = {"chart_trend": t("trend_undated", lang, n=f"{undated:,}") if undated else ""}
    return [Chart(t(key, lang), svg, key in wide, notes.get(key, "")) for key, svg in specs]


def axis_months(months, lang: str) -> list[str]:
    """Month labels under a chart: the year only under the first month and under January."""
    labels = []
    for i, text in enumerate(months):
        month = pd.Period(text, freq="M")
        name = (f"{month.month}月" if zh_lang(lang) else month.strftime("%b"))
        labels.append(f"{name}\n{month.year}" if i == 0 or month.month == 1 else name)
    return labels


def _floats(values: pd.Series) -> list[float | None]:
    return [None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)
            for v in values]


BREAKDOWN_COLUMNS = (("cases", "count"), ("open", "count"), ("overdue", "count"),
                     ("on_time_rate", "rate"), ("median_days", "days"),
                     ("satisfaction", "score"))


def _breakdown_table(analysis: MonthAnalysis, key: str, lists, lang: str,
                     limit: int = 15) -> Table:
    table = analysis.breakdowns[key]
    table = table[table["cases"] > 0].sort_values("cases", ascending=False, kind="stable")
    # Named groups first: "Not set" is a data gap to mention, not the largest department.
    table = pd.concat([table[table.index != NOT_SET], table[table.index == NOT_SET]])
    if (table.index == NOT_SET).all():
        table = table.iloc[:0]  # one "Not set" row tells nothing: say so in a sentence
    field = header(key, lang) if zh_lang(lang) else header(key, lang).lower()
    empty = (t("none_recorded", lang, field=field) if len(analysis.breakdowns[key])
             else t("no_data", lang))
    rows = [[label(group, key, lists, lang)]
            + [fmt_number(_value(row[col]), kind, lang) for col, kind in BREAKDOWN_COLUMNS]
            for group, row in table.head(limit).iterrows()]
    return Table(title=t(f"by_{key}", lang),
                 columns=[header(key, lang)] + [t(f"col_{c}", lang) for c, _ in
                                                BREAKDOWN_COLUMNS],
                 rows=rows, numeric=[False] + [True] * len(BREAKDOWN_COLUMNS), empty=empty)


def _value(value: Any) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    return float(value)


def _rising_table(analysis: MonthAnalysis, lists, lang: str) -> Table:
    rows = [[label(cat, "category", lists, lang), fmt_number(row["count"], "count"),
             fmt_number(row["baseline"], "days"), fmt_number(_value(row["ratio"]), "days"),
             f"{row['p_value']:.3f}" if row["p_value"] >= 0.001 else "<0.001"]
            for cat, row in analysis.rising.iterrows()]
    return Table(title=t("rising", lang),
                 columns=[header("category", lang)] + [t(f"col_{c}", lang) for c in
                                                       ("count", "baseline", "ratio", "p_value")],
                 rows=rows, numeric=[False, True, True, True, True],
                 note=t("rising_rule", lang, min_count=RISING_MIN_COUNT,
                           months=RISING_BASELINE_MONTHS),
                 empty=t("rising_none", lang))


def _regulatory_table(analysis: MonthAnalysis, lang: str) -> Table:
    # Cases closed without a date get a column of their own, and only when there are any.
    counts = ["met", "missed", "pending"] + (
        ["undated"] if analysis.regulatory["undated"].sum() else [])
    rows = []
    for view in REGULATORY_VIEWS:
        row = analysis.regulatory.loc[view.key]
        rows.append([t(f"view_{view.key}", lang),
                     *(fmt_number(row[c], "count") for c in counts),
                     fmt_number(_value(row["rate"]), "rate")])
    return Table(title=t("regulatory", lang),
                 columns=[t(f"col_{c}", lang) for c in ("view", *counts, "rate")],
                 rows=rows, numeric=[False] + [True] * (len(counts) + 1),
                 note=t("regulatory_note", lang))


def _overdue_table(analysis: MonthAnalysis, lists, lang: str, mask: bool) -> Table:
    shown = analysis.overdue.head(OVERDUE_SHOWN)
    rows = [[_text(row.get("case_no")), fmt_date(row.get("received_at"), lang),
             _person(row.get("customer_name"), mask),
             label(row.get("category"), "category", lists, lang),
             label(row.get("severity"), "severity", lists, lang),
             _text(row.get("handler")) or t("unassigned", lang), t(f"clock_{row['missed']}", lang),
             fmt_date(row["deadline"], lang), fmt_number(row["days_over"], "count")]
            for _, row in shown.iterrows()]
    keys = ("case_no", "received_at", "customer_name", "category", "severity", "handler")
    return Table(title=t("overdue_on", lang, day=fmt_date(analysis.figures.as_of, lang)),
                 columns=[header(k, lang) for k in keys]
                 + [t(c, lang) for c in ("col_missed_clock", "col_deadline", "col_days_over")],
                 rows=rows, numeric=[False] * 8 + [True], empty=t("overdue_none", lang),
                 note=_ages(analysis, lang))


def _person(value: Any, mask: bool) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return mask_name(value) if mask else str(value)


def _repeats_table(analysis: MonthAnalysis, lists, lang: str, mask: bool) -> Table:
    rows = []
    for _, row in analysis.repeat_customers.iterrows():
        phone = row.get("phone")
        contact = (mask_phone(phone) if mask else str(phone)) if _filled(phone) else ""
        if not contact and _filled(row.get("email")):
            email = str(row["email"])
            contact = f"{email[:1]}***@{email.rpartition('@')[2]}" if mask else email
        rows.append([_person(row.get("customer_name"), mask), contact,
                     fmt_number(row["in_month"], "count"), fmt_number(row["total"], "count"),
                     ", ".join(row["case_nos"]),
                     "、".join(label(c, "category", lists, lang) for c in row["categories"])
                     if zh_lang(lang) else
                     ", ".join(label(c, "category", lists, lang) for c in row["categories"])])
    return Table(title=t("repeats", lang),
                 columns=[header("customer_name", lang), header("phone", lang),
                          t("col_in_month", lang), t("col_total", lang), t("col_case_nos", lang),
                          header("category", lang)],
                 rows=rows, numeric=[False, False, True, True, False, False],
                 empty=t("repeats_none", lang))


def _text(value: Any) -> str:
    return str(value).strip() if _filled(value) else ""


def _filled(value: Any) -> bool:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return False
    return bool(str(value).strip())


# ----------------------------------------------------------------------------- the Actions sheet

_ACTION_HEADERS = {
    "month": ("Month", "月份"), "category": ("Category", "投诉类别", "类别"),
    "action": ("Action", "改进措施", "措施"), "owner": ("Owner", "负责人"),
    "due": ("Due", "完成期限"), "status": ("Status", "状态"),
}
ACTION_COLUMNS = tuple(_ACTION_HEADERS)


def action_headers(lang: str) -> list[str]:
    return [names[1] if zh_lang(lang) else names[0] for names in _ACTION_HEADERS.values()]


def read_actions(grid: Grid | None, month: pd.Period, lang: str) -> list[Action]:
    """The Actions sheet's rows for the month (rows without a month are shown every month)."""
    if grid is None or not grid.rows:
        return []
    where = {}
    for j, text in enumerate(grid.rows[0]):
        for key, names in _ACTION_HEADERS.items():
            if text is not None and fold(text) in {fold(n) for n in names}:
                where.setdefault(key, j)
    if "action" not in where:
        return []
    found = []
    for i in range(1, len(grid.rows)):
        cell = {key: grid.value(i, j) for key, j in where.items()}
        if not _filled(cell.get("action")) or not _same_month(cell.get("month"), month):
            continue
        found.append(Action(*(_shown(cell.get(k), lang) for k in
                              ("category", "action", "owner", "due", "status"))))
    return found


def _same_month(value: Any, month: pd.Period) -> bool:
    if not _filled(value):
        return True
    text = str(value).strip().replace("年", "-").replace("月", "").replace("/", "-")
    try:
        return pd.Period(pd.Timestamp(value) if isinstance(value, dt.date) else text,
                         freq="M") == month
    except (ValueError, TypeError):
        return False


def _shown(value: Any, lang: str) -> str:
    if isinstance(value, dt.date):
        return fmt_date(value, lang)
    return str(value).strip() if _filled(value) else ""
