"""The monthly complaints report: one self-contained HTML file (and a PDF when a browser can print).

``write_report`` reads the workbook (fast, read-only), runs the same pipeline as every door, takes
the month's analyses from ``addin.core.analysis`` and renders ``monthly.html.j2``. Its tables are
built once by ``addin.layout.tables``: the Monthly sheet of either door holds the same tables.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from addin.core.actions import ActionReview, review_actions
from addin.core.analysis import (
    MonthAnalysis,
    MonthlyFigures,
    analyse_month,
    default_month,
)
from addin.core.learning import Learning, learn
from addin.core.pipeline import process
from addin.core.register import Grid, Register
from addin.core.text import Lang, Text
from addin.core.vocab import Vocabulary, default_lists
from addin.layout.learning_tables import learning_tables
from addin.layout.tables import NUMERIC_KINDS, ReportTable, TableChart, cell_text, month_tables

from . import charts
from .contexts import Action, Chart, KpiCard, MonthlyReportContext, Table
from .i18n import TEXT, fmt_date, label, month_name, pick, shown_change, t
from .readahead import keep_till_end
from .render import environment, html_to_pdf, render, warm

BLANK_ACTION_ROWS = 4
# The report file's language tag, and a month under a chart's axis.
_FILE_TAG = Text("en", "zh")
_AXIS_MONTH = Text("{short}", "{month.month}月")
LEARNING_MONTHS = 12  # the report's analyses cover the year up to the month's end
MONTHLY_TEMPLATE = "monthly.html.j2"


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
    review: ActionReview | None = None  # the Actions sheet as the pipeline measured it
    volume: pd.Series | None = None  # orders per month from the Volume sheet
    due_soon_days: int = 1  # Settings: when a deadline shows as due soon (the follow-up queue)


def month_inputs(register: Register, grids: dict[str, Grid], workbook: str, today: dt.date,
                 counters: dict[str, int] | None = None) -> MonthInputs:
    """Run the pipeline over a register any door has read (nothing is written).

    ``grids`` are the settings sheets by role, and the Actions sheet under 'actions' when the
    workbook has one; ``workbook`` is the name the report shows.
    """
    # ``process`` is imported with this module, not here: the command line loads the report's
    # modules while it reads the workbook ahead (``readahead``), off the report's path.
    # Read-only: the canonical cases are all a report needs, not the cells a door would write.
    outcome = process(register, grids, today, counters or {}, changes=False)
    return MonthInputs(outcome.cases, outcome.config.calendar, outcome.config.lists,
                       outcome.lang, outcome.config.settings.mask_personal_data,
                       workbook, grids.get("actions"), outcome.actions, outcome.volume,
                       outcome.config.settings.due_soon_days)


def load_month_inputs(path: Path, today: dt.date) -> MonthInputs:
    """Read a workbook's saved file the fast way and run the pipeline over it."""
    from .read import read_workbook_fast

    register, sheets, counters = read_workbook_fast(Path(path))
    return month_inputs(register, sheets, Path(path).name, today, counters)


@dataclass
class MonthReport:
    """A month's report: the page, where it went (``files``; none when there was no folder) and
    the names its files get beside the workbook."""

    html: str
    names: list[str]
    files: list[Path]
    analysis: MonthAnalysis
    inputs: MonthInputs


def report_month(month: pd.Period | str | None, today: dt.date) -> pd.Period:
    return default_month(today) if month is None else pd.Period(month, freq="M")


def report_names(stem: str, period: pd.Period, lang: str, pdf: bool = True) -> list[str]:
    """The files a report is written as: the HTML, then the PDF when a browser can print."""
    html = f"{stem}-report-{period}-{_FILE_TAG.in_(Lang.of(lang))}.html"
    return [html, html.removesuffix(".html") + ".pdf"] if pdf else [html]


def write_html(html: str, folder: Path | None, names: list[str], pdf: bool) -> list[Path]:
    """Write the page (and its PDF when asked and a browser is there) into ``folder``."""
    if folder is None:
        return []
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / names[0]
    target.write_text(html, encoding="utf-8")
    written = [target]
    if pdf and html_to_pdf(target, target.with_suffix(".pdf")):
        written.append(target.with_suffix(".pdf"))
    return written


def report_from_register(register: Register, grids: dict[str, Grid], workbook: str, *,
                         folder: Path | None, month: pd.Period | str | None = None,
                         lang: str | None = None, today: dt.date | None = None,
                         pdf: bool = True, counters: dict[str, int] | None = None,
                         templates: Path | None = None) -> MonthReport:
    """The month's report from a register already read: the live door's snapshot of the
    workbook on screen, or the saved file.

    The files go into ``folder``; with no folder (a workbook never saved, or open from the web
    under xlwings Server or Lite) nothing is written and ``names`` says what would be. A
    ``templates/`` folder beside ``templates`` (the workbook's path) overrides the shipped ones.
    """
    today = today or dt.date.today()
    period = report_month(month, today)
    inputs = month_inputs(register, grids, workbook, today, counters)
    lang = lang or inputs.lang
    analysis = analyse_month(inputs.cases, period, inputs.calendar, today, inputs.lists,
                             due_soon_days=inputs.due_soon_days)
    context = monthly_context(analysis, inputs.lists, lang, mask=inputs.mask,
                              workbook=inputs.workbook,
                              actions=read_actions(inputs.actions, period, lang),
                              learning=month_learning(inputs, analysis))
    html = render(environment(templates), MONTHLY_TEMPLATE, context)
    names = report_names(Path(workbook).stem, period, lang)
    return MonthReport(html, names, write_html(html, folder, names, pdf), analysis, inputs)


def write_report(path: Path, month: pd.Period | str | None = None, lang: str | None = None,
                 output_dir: Path | None = None, today: dt.date | None = None,
                 pdf: bool = True) -> list[Path]:
    """Write the month's report of a saved workbook next to it (or in ``output_dir``).

    ``month`` defaults to the last full month, ``lang`` to the workbook's language. The PDF is
    written as well when a Chromium-family browser is installed and ``pdf`` is True.
    """
    from .read import read_workbook_fast

    path = Path(path)
    warm(path, MONTHLY_TEMPLATE)  # while the register is read ahead (readahead), if it is
    register, sheets, counters = read_workbook_fast(path)
    report = report_from_register(register, sheets, path.name,
                                  folder=Path(output_dir) if output_dir else path.parent,
                                  month=month, lang=lang, today=today, pdf=pdf,
                                  counters=counters, templates=path)
    keep_till_end(report)  # its cases and tables go back with a child process (readahead)
    return report.files


# ----------------------------------------------------------------------------- the context

def monthly_context(analysis: MonthAnalysis, lists: dict[str, Vocabulary] | None, lang: str,
                    *, mask: bool, workbook: str, actions: list[Action] | None = None,
                    learning: Learning | None = None) -> MonthlyReportContext:
    lists, lang = lists or default_lists(), Lang.of(lang)
    month, figures = analysis.month, analysis.figures
    # The same tables the Monthly sheet holds, built once; the report shows them as text.
    tables = {table.name: table for table in month_tables(analysis, lang, lists)}
    overdue, follow_ups = tables["Overdue"], tables["FollowUps"]
    return MonthlyReportContext(
        lang=lang.value,
        title=f"{t('report_title', lang)} — {month_name(month, lang)}",
        subtitle=pick(TEXT["as_of"].then(TEXT["masked_note"] if mask else None), lang,
                      day=fmt_date(figures.as_of, lang), today=fmt_date(analysis.today, lang),
                      workbook=workbook),
        labels={key: t(key, lang) for key in TEXT if "{" not in t(key, "en")},
        kpis=_kpi_cards(tables["KeyFigures"], analysis, lang),
        notes=_notes(analysis, tables["KeyFigures"], lang),
        vs_previous=t("vs_previous", lang, month=month_name(month - 1, lang)),
        vs_last_year=t("vs_last_year", lang, month=month_name(month - 12, lang)),
        charts=month_charts(analysis, tables["Trend"], lists, lang),
        tables=[html_table(tables[f"Month_{key}"], lang, mask)
                for key in ("category", "department", "handler")],
        rising=html_table(tables["Rising"], lang, mask),
        regulatory=html_table(tables["Regulatory"], lang, mask),
        overdue=html_table(overdue, lang, mask),
        overdue_more=_more(overdue, lang),
        follow_ups=html_table(follow_ups, lang, mask),
        follow_ups_more=_more(follow_ups, lang),
        repeats=html_table(tables["Repeats"], lang, mask),
        actions=actions or [],
        blank_action_rows=BLANK_ACTION_ROWS,
        learning=[html_table(table, lang, mask) for table in
                  learning_tables(learning, lang, lists)] if learning is not None else [],
        definitions=t("definitions_text", lang),
    )


def _more(table: ReportTable, lang: str) -> str:
    """"… and 12 more" under a table the report shows only the first rows of."""
    if table.shown is None or len(table.rows) <= table.shown:
        return ""
    return t("overdue_more", lang, n=len(table.rows) - table.shown)


def html_table(table: ReportTable, lang: str, mask: bool) -> Table:
    """A report table as text: the first ``shown`` rows, names and contacts masked if asked."""
    rows = [[cell_text(value, table.kind(i, j), lang, mask) for j, value in enumerate(row)]
            for i, row in enumerate(table.rows[:table.shown])]
    return Table(title=table.title, columns=list(table.columns), rows=rows,
                 numeric=[kind in NUMERIC_KINDS for kind in table.kinds], note=table.note,
                 empty=table.empty, name=table.name)


def _tone(change: float | None, kind: str, higher_is_better: bool | None) -> str:
    shown = shown_change(change, kind)
    if not shown or higher_is_better is None:
        return ""
    return "good" if (shown > 0) == higher_is_better else "bad"


def _basis(figures: MonthlyFigures, key: str, lang: str) -> str:
    """The number of cases a rate or mean rests on, so that 0 % of 3 reads as what it is."""
    counts = {
        "closed_rate": figures.received, "repeat_rate": figures.received,
        "median_days": figures.timed, "p90_days": figures.timed,
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


def _kpi_cards(table: ReportTable, analysis: MonthAnalysis, lang: str) -> list[KpiCard]:
    """One card per row of the key figures table: this month, and the changes on it."""
    cards = []
    for i, (kpi, row) in enumerate(zip(analysis.kpis, table.rows, strict=True)):
        # Without a figure this month there is nothing to compare: no change lines at all.
        shown = row[1] is not None
        cards.append(KpiCard(
            label=row[0], value=cell_text(row[1], table.kind(i, 1), lang),
            basis=_basis(analysis.figures, kpi.key, lang),
            vs_previous=cell_text(row[3], table.kind(i, 3), lang) if shown else "",
            vs_last_year=cell_text(row[5], table.kind(i, 5), lang) if shown else "",
            previous_tone=_tone(row[3], kpi.kind, kpi.higher_is_better),
            last_year_tone=_tone(row[5], kpi.kind, kpi.higher_is_better)))
    return cards


def _notes(analysis: MonthAnalysis, key_figures: ReportTable, lang: str) -> list[str]:
    """Sentences under the key figures about data that the figures leave out (the key figures
    table's own note is the one the Monthly sheet shows under it)."""
    undated = analysis.figures.closed_undated
    notes = [t("closed_undated", lang, n=undated)] if undated else []
    return notes + ([key_figures.note] if key_figures.note else [])


def month_charts(analysis: MonthAnalysis, trend: ReportTable, lists: dict[str, Vocabulary],
                 lang: str) -> list[Chart]:
    """The report's charts; the two over the last 12 months are drawn from the Trend table."""
    months = axis_months([row[0] for row in trend.rows], lang)
    counts, on_time = (_series(trend, chart) for chart in trend.charts)
    table = analysis.category_by_month.drop(columns="Total")
    by_category = [(label(cat, "category", lists, lang), [float(v) for v in row])
                   for cat, row in table.iterrows() if row.sum() > 0]
    channel = analysis.breakdowns["channel"]
    channel = channel[channel["cases"] > 0]
    scores = analysis.figures.satisfaction_counts
    specs = [
        ("chart_trend", charts.column_chart(months, counts, t("chart_trend", lang))),
        ("chart_categories", charts.column_chart(
            axis_months(table.columns, lang), by_category, t("chart_categories", lang),
            stacked=True)),
        ("chart_on_time", charts.line_chart(months, on_time, t("chart_on_time", lang),
                                            width=960)),
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
    undated = int(analysis.trend["closed_undated"].sum())
    notes = {"chart_trend": t("trend_undated", lang, n=f"{undated:,}") if undated else ""}
    return [Chart(t(key, lang), svg, key in wide, notes.get(key, "")) for key, svg in specs]


def _series(table: ReportTable, chart: TableChart) -> list[tuple[str, list]]:
    """A chart's series: the header and values of each of its columns."""
    return [(table.columns[j], [row[j] for row in table.rows])
            for j in range(chart.first - 1, chart.last)]


def axis_months(months, lang: str) -> list[str]:
    """Month labels under a chart: the year only under the first month and under January."""
    labels = []
    for i, text in enumerate(months):
        month = pd.Period(text, freq="M")
        name = _AXIS_MONTH.in_(lang).format(month=month, short=month.strftime("%b"))
        labels.append(f"{name}\n{month.year}" if i == 0 or month.month == 1 else name)
    return labels


def _filled(value: Any) -> bool:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return False
    return bool(str(value).strip())


# ----------------------------------------------------------------------------- the Actions sheet

def month_learning(inputs: MonthInputs, analysis: MonthAnalysis) -> Learning:
    """The actions and the archive's analyses over the 12 months up to the month's end."""
    return learn(inputs.cases, inputs.calendar, analysis.figures.as_of, months=LEARNING_MONTHS,
                 actions=inputs.review, volume=inputs.volume, prepared=analysis.prepared)


def read_actions(grid: Grid | None, month: pd.Period, lang: str) -> list[Action]:
    """The actions to show for the month: every one still open (carried into every report until
    done) and those opened in the month, as the Actions sheet holds them."""
    if grid is None or not grid.rows:
        return []
    review = review_actions(grid, pd.DataFrame(), month.end_time.date(), lang)
    return [Action(label(a.category, "category", default_lists(), lang) if a.category else "",
                   a.text, a.owner, fmt_date(a.due, lang) if a.due else "", a.status)
            for a in review.actions
            if not a.done or (a.opened is not None and pd.Period(a.opened, freq="M") == month)]
