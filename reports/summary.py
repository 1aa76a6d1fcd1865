"""Case summaries: a printable record card (HTML) and a Markdown summary for an email reply.

One pair of files per case, rendered from ``card.html.j2`` and ``summary.md.j2`` in the
workbook's language (a ``templates/`` folder next to the workbook overrides either). Personal data
is masked when the workbook's settings say so: the customer's name, phone and email, and phone
numbers, email addresses and the customer's name inside the free text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from addin.core.errors import Refusal
from addin.core.fields import BY_KEY
from addin.core.masking import mask_email, mask_name, mask_phone, mask_text
from addin.core.text import Lang, Text
from addin.core.vocab import Vocabulary, default_lists
from addin.layout.card import card_sections

from .contexts import CaseContext, CaseField, CaseSection
from .i18n import TEXT, fmt_date, fmt_datetime, header, label, pick, separator, t
from .render import environment, render
from .timeline import case_log_frame, case_timeline

# The card's sections and fields, as the Card sheet of the workbook has them.
SECTIONS: tuple[tuple[tuple[str, str], tuple[tuple[str, int], ...]], ...] = tuple(
    (title, tuple(keys)) for title, keys in card_sections())
# Free text that may name the customer or hold contact details: masked when the settings ask.
FREE_TEXT = ("description", "request", "root_cause", "solution", "outcome", "notes",
             "reject_reason", "check")
SUMMARY_EVENTS = 5  # the email summary's latest events; the card shows every one
BLANK_EVENT_ROWS = 3  # empty timeline rows on the printed card, for follow-ups by hand


class NoCaseMatched(Refusal):
    """The selection named no case of the register; the message names the workbook."""

    def __init__(self, reason: Text, workbook: str = "") -> None:
        self.reason = reason
        super().__init__(NO_CASE.format(workbook=workbook or THE_REGISTER, reason=reason))


NO_CASE = Text("{workbook}: {reason}. Check the case numbers, statuses or month you gave.",
               "{workbook}：{reason}。请核对给出的案件编号、状态或月份。")
THE_REGISTER = Text("the register", "登记表")
NO_CASE_NUMBERED = Text("no case numbered {numbers}", "没有编号为 {numbers} 的案件")
NO_CASE_SELECTED = Text("no case matches the selection", "没有符合条件的案件")
INCOMPLETE = Text("Summaries written for {done} case(s); not for: {failed}. Check those cases and "
                  "the output folder, then run again for them.",
                  "已写入 {done} 个案件的摘要；以下案件未写入：{failed}。"
                  "请检查这些案件和输出文件夹后再为它们重新运行。")


def select_cases(cases: pd.DataFrame, case_nos: Sequence[str] = (), status: Sequence[str] = (),
                 month: str | pd.Period | None = None,
                 lists: dict[str, Vocabulary] | None = None, workbook: str = "") -> pd.DataFrame:
    """The cases a selection names; statuses may be given in either language.

    With no selection at all, every case is taken.
    """
    keep = pd.Series(True, index=cases.index)
    if case_nos:
        wanted = {str(c).strip().casefold() for c in case_nos}
        keep &= cases["case_no"].map(lambda v: _text(v).casefold() in wanted)
        missing = wanted - set(cases["case_no"].map(lambda v: _text(v).casefold()))
        if missing:
            raise NoCaseMatched(NO_CASE_NUMBERED.format(numbers=", ".join(sorted(missing))),
                                workbook)
    if status:
        vocab = (lists or default_lists())["status"]
        names = {vocab.canonical(s) or s for s in status}
        keep &= cases["status"].isin(names)
    if month is not None:
        period = pd.Period(month, freq="M")
        received = pd.to_datetime(cases["received_at"], errors="coerce")
        keep &= received.dt.to_period("M") == period
    chosen = cases[keep]
    if chosen.empty:
        raise NoCaseMatched(NO_CASE_SELECTED, workbook)
    return chosen


def case_context(case: pd.Series, lang: Lang | str, *, mask: bool, today: dt.date,
                 lists: dict[str, Vocabulary] | None = None,
                 case_log: pd.DataFrame | None = None) -> CaseContext:
    """Everything the card and the summary show of one case, in ``lang``, masked if asked.

    ``case_log`` is the workbook's Case log (``timeline.case_log_frame``); None: no events.
    """
    lists, lang = lists or default_lists(), Lang.of(lang)
    keys = [key for _, fields in SECTIONS for key, _ in fields]
    shown = {key: _shown(case, key, lang, mask, lists) for key in keys}
    sections = [CaseSection(pick(title, lang),
                            [CaseField(header(key, lang), shown[key], lines)
                             for key, lines in fields])
                for title, fields in SECTIONS]
    number = _text(case.get("case_no"))
    timeline = [] if case_log is None else case_timeline(
        case_log, number, lang, lists, mask, (_text(case.get("customer_name")),))
    recent = timeline[-SUMMARY_EVENTS:]
    earlier = len(timeline) - len(recent)
    return CaseContext(
        lang=lang.value, title=t("card_title", lang),
        case_no=number, status=shown["status"], received=shown["received_at"],
        customer=shown["customer_name"], category=shown["category"],
        description=shown["description"], request=shown["request"],
        solution=shown["solution"], outcome=shown["outcome"], handler=shown["handler"],
        due=shown["due_at"], sections=sections,
        labels={key: t(key, lang) for key in TEXT if "{" not in t(key, "en")}
        | {f"field_{key}": header(key, lang) for key in keys},
        printed=t("printed", lang, today=fmt_date(today, lang)),
        masked_note=t("masked_note", lang) if mask else "",
        timeline=timeline, recent=recent,
        earlier=t("earlier_events", lang, n=earlier) if earlier else "",
        blank_event_rows=BLANK_EVENT_ROWS)


def _shown(case: pd.Series, key: str, lang: Lang, mask: bool,
           lists: dict[str, Vocabulary]) -> str:
    value = case.get(key)
    if not _filled(value):
        return ""
    kind = BY_KEY[key].kind
    if kind == "list":  # a list value, or several joined by "; " (the Risk column)
        return separator("clauses", lang).join(label(part.strip(), key, lists, lang)
                                             for part in str(value).split(";") if part.strip())
    if kind == "datetime":
        return fmt_datetime(value, lang)
    if kind == "date":
        return fmt_date(value, lang)
    if key == "satisfaction":
        return f"{float(value):g} / 5"
    if kind in ("int", "number") and isinstance(value, int | float):
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    if mask:
        masker = {"customer_name": mask_name, "phone": mask_phone, "email": mask_email}.get(key)
        if masker is not None:
            return masker(value)
        if key in FREE_TEXT:
            return mask_text(value, (_text(case.get("customer_name")),))
    return _text(value)


def _filled(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return False
    if isinstance(value, float) and math.isnan(value):
        return False
    return bool(str(value).strip())


def _text(value: Any) -> str:
    return str(value).strip() if _filled(value) else ""


# Windows refuses these names whatever the extension (CON.html is the console, not a file).
_DEVICES = {"CON", "PRN", "AUX", "NUL", *(f"{port}{n}" for port in ("COM", "LPT")
                                          for n in "123456789")}
MAX_NAME = 80  # characters of a case's file name: room for the folder within Windows' 260


def safe_name(case_no: str, row: int) -> str:
    """A file name for a case: its number with anything a file system dislikes replaced, never
    a Windows device name, and short enough for any file system."""
    cleaned = re.sub(r"[^\w.-]+", "_", case_no).strip("._")
    if len(cleaned) > MAX_NAME:  # cut, and keep cut names of different cases apart
        digest = hashlib.sha256(case_no.encode("utf-8", "replace")).hexdigest()[:8]
        cleaned = f"{cleaned[:MAX_NAME - 9].rstrip('._')}-{digest}"
    if cleaned.split(".")[0].upper() in _DEVICES:
        cleaned = f"case-{cleaned}"
    return cleaned or f"row-{row}"


class SummariesIncomplete(Refusal):
    """Some cases could not be written; the others were. The message names both."""

    def __init__(self, failed: list[str], written: list[Path]) -> None:
        self.failed, self.written = failed, written
        listed = Text("; ", "；").join(Text(case, case) for case in failed)
        super().__init__(INCOMPLETE.format(done=len(written) // 2, failed=listed))


def render_case(env, context: CaseContext) -> tuple[str, str]:
    """The record card (HTML) and the email summary (Markdown) of one case."""
    return render(env, "card.html.j2", context), render(env, "summary.md.j2", context)


def write_summaries(path: Path, case_nos: Sequence[str] = (), status: Sequence[str] = (),
                    month: str | None = None, output_dir: Path | None = None,
                    today: dt.date | None = None, lang: Lang | str | None = None) -> list[Path]:
    """Write a card and a summary per selected case of a saved workbook; return the files."""
    from .monthly import load_month_inputs
    from .read import read_case_log

    path = Path(path)
    today = today or dt.date.today()
    return summaries_from(load_month_inputs(path, today),
                          Path(output_dir) if output_dir else path.parent / "summaries",
                          case_nos, status, month, today=today, lang=lang, templates=path,
                          case_log=read_case_log(path))


def summaries_from(inputs: Any, folder: Path, case_nos: Sequence[str] = (),
                   status: Sequence[str] = (), month: str | None = None, *,
                   today: dt.date, lang: Lang | str | None = None,
                   templates: Path | None = None,
                   case_log: Sequence[Sequence[Any]] | None = None) -> list[Path]:
    """Write a card and a summary per selected case of a workbook already read and processed
    (``reports.monthly.MonthInputs``: the saved file's, or the live door's snapshot's).

    ``case_log`` is the Case log sheet's rows from A1 (header first) for the timelines; None or
    empty when the workbook has none yet.
    """
    lang = Lang.of(lang or inputs.lang)
    events = case_log_frame(case_log)
    chosen = select_cases(inputs.cases, case_nos, status, month, inputs.lists, inputs.workbook)
    folder.mkdir(parents=True, exist_ok=True)
    env = environment(templates)
    written = []
    failed: list[str] = []
    used: set[str] = set()
    for row, case in chosen.iterrows():
        context = case_context(case, lang, mask=inputs.mask, today=today, lists=inputs.lists,
                               case_log=events)
        name = safe_name(context.case_no, int(row))
        if name.casefold() in used:  # two numbers that clean to one name: keep both files
            name = f"{name}-row-{row}"
        used.add(name.casefold())
        try:  # one case that cannot be written stops only itself
            written += _write_case(folder, name, render_case(env, context))
        except OSError as err:
            failed.append(f"{context.case_no or f'row {row}'} ({err.strerror or err})")
    if failed:
        raise SummariesIncomplete(failed, written)
    return written


def _write_case(folder: Path, name: str, texts: tuple[str, str]) -> list[Path]:
    targets = [folder / f"{name}.html", folder / f"{name}.md"]
    for target, text in zip(targets, texts, strict=True):
        target.write_text(text, encoding="utf-8")
    return targets
