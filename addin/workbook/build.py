"""Build ComplaintRecord.xlsm from the code: sheets, table, buttons, VBA project, names.

The file is a function of the sources alone: XlsxWriter stamps every zip entry with the same
date, the document properties carry a fixed creation date, the VBA project is compiled from text
with a seeded project id, and the example rows are computed for a fixed day. Building twice gives
the same bytes, which is how a test proves the committed workbook is the builder's output.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import xlsxwriter

from addin.core.text import Lang, Text
from addin.layout.actions_sheet import VOLUME_WIDTHS
from addin.layout.cells import cell_value
from addin.layout.sheets import CASE_LOG_NAMES, CONF_SHEET, COUNTERS_SHEET, LOG_SHEET
from addin.vba.build import build_workbook_vba

from .card import TEXTS as CARD_TEXTS
from .card import write_card
from .examples import examples
from .register_sheet import HEADER_ROW, columns_for, write_register
from .rows import place_rows
from .side_sheets import (
    as_grids,
    list_names,
    setting_sheets,
    sheet_name,
    write_actions,
    write_case_log,
    write_conf,
    write_counters,
    write_help,
    write_log,
    write_rows,
)
from .styles import Styles
from .texts import NO_BUTTONS

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "workbook" / "ComplaintRecord.xlsm"
LANGUAGES = (Lang.ZH, Lang.EN)
# Written into the document properties instead of the time of the build.
CREATED = dt.datetime(2026, 3, 20, 0, 0, 0)

# Sheet code names (what the VBA project's document modules are called), in sheet order.
_CODE_NAMES = {"complaints": "shComplaints", "card": "shCard", "settings": "shSettings",
               "lists": "shLists", "rules": "shRules", "holidays": "shHolidays",
               "help": "shHelp", "log": "shLog", "conf": "shConf", "counters": "shCounters",
               "actions": "shActions", "caselog": "shCaseLog"}
# Sheets the builder names itself rather than by the layout's sheet titles. Log, xlwings.conf
# and Counters keep one name in both languages: the doors find them by it.
OWN_SHEETS = {"card": Text("Card", "记录卡"), "caselog": Text(*CASE_LOG_NAMES),
              "help": Text("Help", "帮助")}
_SAME_NAMES = {"log": LOG_SHEET, "conf": CONF_SHEET, "counters": COUNTERS_SHEET}


def sheet_names(lang: Lang | str) -> dict[str, str]:
    """Role -> sheet name in the build language, in the workbook's sheet order."""
    return {role: OWN_SHEETS[role].in_(lang) if role in OWN_SHEETS
            else _SAME_NAMES.get(role) or sheet_name(role, lang) for role in _CODE_NAMES}


def build_workbook(path: Path | str = DEFAULT_PATH, lang: Lang | str = Lang.ZH,
                   cache_dir: Path | None = None, *, headers: Sequence[object] | None = None,
                   rows: Sequence[Sequence[Any]] | None = None,
                   side_rows: dict[str, list[list[Any]]] | None = None) -> Path:
    """Write the record-card workbook in ``lang`` (zh-CN or en) to ``path``; return the path.

    A ``.xlsm`` gets the VBA project, the buttons and xlwings.conf; a ``.xlsx`` holds no macros,
    so it gets none of them and its register and Help sheet say what to run instead. The register
    holds ``rows`` (under ``headers``, in any order or language) or, without them, the examples.
    ``side_rows`` may give staff's Actions rows and a Volume sheet ("actions", "volume": a header
    row, then the rows), as the demo does.
    """
    if lang not in LANGUAGES:  # Lang.of would read any other code as English
        raise ValueError(f"language {lang!r}: use one of {', '.join(LANGUAGES)}")
    lang = Lang.of(lang)
    path = Path(path)
    if path.suffix.lower() not in (".xlsm", ".xlsx"):
        raise ValueError(f"{path.name}: a workbook's name ends in .xlsm (with the buttons) or "
                         ".xlsx (without them)")
    macros = path.suffix.lower() == ".xlsm"
    path.parent.mkdir(parents=True, exist_ok=True)
    vba = build_workbook_vba(list(_CODE_NAMES.values()), cache_dir or default_cache_dir()) \
        if macros else None
    given = None if rows is None else place_rows(list(headers or []), rows, lang)
    wb = xlsxwriter.Workbook(str(path), {"in_memory": True, "strings_to_urls": False,
                                         "strings_to_numbers": False})
    try:
        _fill(wb, lang, vba, given, side_rows or {})
    finally:
        wb.close()
    return path


class RecordBook:
    """A new record-card workbook with these rows, built when saved: ``save(path)`` is all the
    batch door's safe save asks of a workbook, so it checks, backs up and places the file."""

    def __init__(self, lang: Lang | str, headers: Sequence[object], rows: Sequence[Sequence[Any]],
                 cache_dir: Path | None = None,
                 side_rows: dict[str, list[list[Any]]] | None = None) -> None:
        self.lang, self.headers, self.rows, self.cache_dir = lang, headers, rows, cache_dir
        self.side_rows = side_rows

    def save(self, path: Path | str) -> None:
        build_workbook(path, self.lang, self.cache_dir, headers=self.headers, rows=self.rows,
                       side_rows=self.side_rows)


def _fill(wb: Any, lang: Lang, vba: bytes | None,
          given: tuple[list[Any], list[list[Any]]] | None,
          side_rows: dict[str, list[list[Any]]]) -> None:
    macros = vba is not None
    names = {role: name for role, name in sheet_names(lang).items()
             if macros or role != "conf"}  # xlwings.conf serves the macros only
    sheets = {role: wb.add_worksheet(name) for role, name in names.items()}
    if vba is not None:
        for role, ws in sheets.items():
            ws.set_vba_name(_CODE_NAMES[role])
        wb.set_vba_name("ThisWorkbook")
        wb.add_vba_project(io.BytesIO(vba), is_stream=True)
    wb.set_properties({"title": CARD_TEXTS["title"].in_(lang),
                       "created": CREATED, "author": "ComplaintRecord"})
    styles = Styles(wb)
    content = setting_sheets(lang)
    lists = list_names(content["lists"], lang)
    for name, formula in lists.values():
        wb.define_name(name, formula)
    if given is None:
        columns: list[Any] = columns_for(lang)
        done = examples([c.key for c in columns], [c.header for c in columns], HEADER_ROW,
                        names["complaints"], as_grids(content, lang), lang)
        rows, counters = done.rows, done.outcome.counters
    else:
        (columns, rows), counters = given, {}
    write_register(wb, sheets["complaints"], columns, rows, lists, styles, lang, buttons=macros)
    if not macros:
        sheets["complaints"].write_string(0, 0, NO_BUTTONS.in_(lang), styles.note)
    headers = {c.key: c.header for c in columns if c.key is not None}
    wb.define_name("CaseNumbers", f"=Complaints[{headers['case_no']}]")
    write_card(wb, sheets["card"], lang, headers, _first_case(rows, [c.key for c in columns]))
    _write_settings(sheets, content, styles)
    write_help(sheets["help"], lang, styles, buttons=macros)
    write_log(sheets["log"], lang, styles)
    if macros:
        write_conf(sheets["conf"], lang, styles)
    write_counters(sheets["counters"], counters, styles)
    write_actions(sheets["actions"], lang, styles, side_rows.get("actions", [])[1:])
    write_case_log(sheets["caselog"], lang, styles)
    if "volume" in side_rows:
        write_rows(wb.add_worksheet(sheet_name("volume", lang)), side_rows["volume"], styles,
                   widths=tuple(VOLUME_WIDTHS.values()))
    sheets["complaints"].activate()


def _write_settings(sheets: dict[str, Any], content: dict[str, list[list]],
                    styles: Styles) -> None:
    settings = content["settings"]
    deadline_header = settings.index([]) + 1  # the deadline table sits below an empty row
    write_rows(sheets["settings"], settings, styles, header_rows=(0, deadline_header),
               widths=(34, 28, 70, 16, 12))
    write_rows(sheets["lists"], content["lists"], styles)
    write_rows(sheets["rules"], content["rules"], styles,
               widths=(18, 8, 32, 10, 60, 14, 10, 12, 12, 10, 20))
    write_rows(sheets["holidays"], content["holidays"], styles, widths=(12, 20, 30, 60),
               date_cols=(0,))


def _first_case(rows: list[list[Any]], keys: list[str | None]) -> dict[str, Any]:
    """The case the Card shows first: the first row that has a case number."""
    for i, row in enumerate(rows):
        values = {key: cell_value(v) for key, v in zip(keys, row, strict=True) if key}
        if values.get("case_no"):
            return values | {"_row": i + 1}
    return {}


def default_cache_dir() -> Path:
    """Where compiled VBA projects are kept between builds: the user's cache folder."""
    if sys.platform.startswith("win"):
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return base / "complaint-record" / "vba"

