"""Creating record-card workbooks, and appending imported rows to an existing register.

``create_workbook`` writes a clean .xlsx: the Complaints sheet as an Excel table with dropdowns fed
from the Lists sheet, plus the Settings, Lists, Rules and Holidays sheets the core reads. The sheet
contents that other modules produce (rules, deadline table, holidays) are passed in as rows, so
this module only lays them out. Workbooks with macros and buttons are built elsewhere: an .xlsm
without its VBA project would be a broken promise, so that suffix is refused here.

The Complaints sheet is written in openpyxl's write-only mode, which streams rows to disk and keeps
tables, validations, frozen panes and column widths: for 50,000 rows it takes about the time of the
normal mode and a third of its memory (figures in docs/openpyxl-losses.md).

``append_rows`` adds card rows below an existing table (the import command), extending the table,
its filter and its dropdowns; the caller saves with ``safety.save_atomically``.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
import warnings
from collections.abc import Sequence
from copy import copy
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.numbers import is_date_format
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from addin.core.fields import BY_KEY, field_for_header, fold, guess_language
from addin.core.findings import cell_ref
from addin.core.settings import SETTING_SPECS, Settings
from addin.core.vocab import DEFAULT_LISTS

from .safety import WorkbookRefused, check_not_open, default_backup_dir, save_atomically

TABLE_NAME = "Complaints"
TABLE_STYLE = "TableStyleMedium2"
SHEETS = ("Complaints", "Settings", "Lists", "Rules", "Holidays")
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_WIDTH, DATE_WIDTH = 18, 12
MIN_WIDTH, MAX_WIDTH = 14, 40
WIDTH_SAMPLE = 500  # rows looked at to size a column
LAST_ROW = 1048576  # dropdowns cover the whole column, so rows added in Excel get them too
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")

_WEEKDAYS_EN, _WEEKDAYS_ZH = "Mon Tue Wed Thu Fri Sat Sun", "周一 周二 周三 周四 周五 周六 周日"
_SETTINGS_HEADER = (("Setting", "设置项"), ("Value", "值"), ("Notes", "说明"))
_DROPDOWN_TEXT = {
    "en": ("Not in the list",
           "{header}: pick a value from the list, or add it on the Lists sheet."),
    "zh": ("不在列表中", "{header}：请从列表中选择，或在 Lists 工作表中添加该值。"),
}


# --------------------------------------------------------------------------- creating a workbook

def create_workbook(path: Path | str, headers: list[str], rows: list[list], lang: str, *,
                    settings_rows: list[list] | None = None,
                    lists_rows: list[list] | None = None,
                    rules_rows: list[list] | None = None,
                    deadline_rows: list[list] | None = None,
                    holiday_rows: list[list] | None = None,
                    overwrite: bool = False) -> Path:
    """Write a new record-card workbook (.xlsx) and return its path.

    ``rows`` line up with ``headers`` (values beyond the last header are not written).
    ``settings_rows`` and ``lists_rows`` default to the card's settings and lists; the others are
    written as given (header row first). A sheet whose rows are None is left out, so the core uses
    its built-in rules or holidays; a deadline table of None leaves the presets in force. An
    existing file is replaced only with ``overwrite`` (a backup of it is kept).
    """
    path = Path(path)
    _check_target(path, overwrite)
    headers = unique_headers(headers)
    wb = Workbook(write_only=True)
    lists_rows = lists_rows if lists_rows is not None else default_lists_rows()
    dropdowns = _list_ranges(lists_rows, lang)
    _write_complaints(wb.create_sheet(SHEETS[0]), headers, rows, dropdowns, lang)
    settings = settings_rows if settings_rows is not None else default_settings_rows(lang)
    settings_block = [_settings_header(lang), *settings]
    if deadline_rows:
        settings_block += [[], *deadline_rows]
    _write_plain(wb.create_sheet("Settings"), settings_block, widths=(34, 28, 70),
                 header_rows=(0, len(settings) + 2))
    _write_plain(wb.create_sheet("Lists"), lists_rows)
    for title, block in (("Rules", rules_rows), ("Holidays", holiday_rows)):
        if block is not None:
            _write_plain(wb.create_sheet(title), block)
    for name, formula in dropdowns.values():
        wb.defined_names[name] = DefinedName(name, attr_text=formula)
    backups = default_backup_dir(path) if path.exists() else None
    save_atomically(wb, path, backups, None, allow_loss=True)
    return path


def _check_target(path: Path, overwrite: bool) -> None:
    suffix = path.suffix.casefold()
    if suffix == ".xlsm":
        raise WorkbookRefused(
            f"Cannot create {path.name}: a .xlsm workbook needs its macros, and this writes "
            "workbooks without them. Use a name ending in .xlsx.",
            f"无法创建 {path.name}：.xlsm 工作簿需要包含宏，而此处只生成不含宏的工作簿。"
            "请使用以 .xlsx 结尾的文件名。")
    if suffix != ".xlsx":
        raise WorkbookRefused(
            f"Cannot create {path.name}: use a name ending in .xlsx.",
            f"无法创建 {path.name}：请使用以 .xlsx 结尾的文件名。")
    if path.exists() and not overwrite:
        raise WorkbookRefused(
            f"{path.name} already exists. Choose another name, or allow overwriting it "
            "(a backup is kept).",
            f"{path.name} 已存在。请换一个文件名，或允许覆盖（会保留备份）。")
    if not path.parent.is_dir():
        raise WorkbookRefused(
            f"Cannot create {path.name}: the folder {path.parent.name or path.parent} does not "
            "exist.",
            f"无法创建 {path.name}：文件夹 {path.parent.name or path.parent} 不存在。")
    check_not_open(path)


def unique_headers(headers: Sequence[object]) -> list[str]:
    """Headers an Excel table accepts: text, none empty, none repeated (case does not matter)."""
    seen: set[str] = set()
    out: list[str] = []
    for i, header in enumerate(headers, 1):
        text = _clean(str(header)).strip() if header is not None else ""
        base = text or f"Column {i}"
        text, n = base, 2
        while text.casefold() in seen:
            text, n = f"{base} ({n})", n + 1
        seen.add(text.casefold())
        out.append(text)
    return out


def default_settings_rows(lang: str) -> list[list]:
    """Setting | Value | Notes rows: the card's settings with the values a new book starts with."""
    zh = lang.startswith("zh")
    defaults = Settings(language="zh-CN" if zh else "en")
    return [[spec.zh if zh else spec.en, _shown(getattr(defaults, spec.name), zh),
             spec.help_zh if zh else spec.help_en] for spec in SETTING_SPECS]


def _settings_header(lang: str) -> list[str]:
    return [pair[1] if lang.startswith("zh") else pair[0] for pair in _SETTINGS_HEADER]


def _shown(value: Any, zh: bool) -> Any:
    """A setting's value as staff would type it."""
    if isinstance(value, bool):
        return ("是" if value else "否") if zh else ("yes" if value else "no")
    if isinstance(value, tuple):  # weekend days, Monday = 0
        names = (_WEEKDAYS_ZH if zh else _WEEKDAYS_EN).split()
        return ", ".join(names[d] for d in value)
    return value


def default_lists_rows() -> list[list]:
    """The Lists sheet: per list field that staff fill, an English and a Chinese column."""
    keys = [k for k in DEFAULT_LISTS if not BY_KEY[k].written]
    header = [text for k in keys for text in (BY_KEY[k].en, BY_KEY[k].zh)]
    height = max(len(DEFAULT_LISTS[k]) for k in keys)
    rows = [header]
    for i in range(height):
        row: list[Any] = []
        for k in keys:
            pair = DEFAULT_LISTS[k][i] if i < len(DEFAULT_LISTS[k]) else (None, None)
            row += list(pair)
        rows.append(row)
    return rows


def _list_ranges(lists_rows: list[list], lang: str) -> dict[str, tuple[str, str]]:
    """Per list field, a defined name and the formula of its column on the Lists sheet.

    The range grows with the column (OFFSET over COUNTA), so a value staff add at the bottom of a
    list shows in the dropdown without touching the validation.
    """
    if not lists_rows:
        return {}
    found: dict[str, dict[str, int]] = {}
    for j, header in enumerate(lists_rows[0]):
        key = field_for_header(header) if header is not None else None
        if key is None or BY_KEY[key].kind != "list":
            continue
        side = "zh" if fold(header) == fold(BY_KEY[key].zh) else "en"
        found.setdefault(key, {}).setdefault(side, j)
    wanted = "zh" if lang.startswith("zh") else "en"
    ranges = {}
    for key, sides in found.items():
        col = get_column_letter((sides.get(wanted, sides.get("en", sides.get("zh", 0)))) + 1)
        ranges[key] = (f"List_{key}", f"OFFSET(Lists!${col}$2,0,0,"
                       f"MAX(1,COUNTA(Lists!${col}:${col})-1),1)")
    return ranges


def _write_complaints(ws: Any, headers: list[str], rows: list[list],
                      dropdowns: dict[str, tuple[str, str]], lang: str) -> None:
    keys = [field_for_header(h) for h in headers]
    formats = [_field_format(k) for k in keys]
    # Write-only sheets take widths and panes before the first row, the rest at the end.
    for j, width in enumerate(_widths(headers, rows, formats), 1):
        ws.column_dimensions[get_column_letter(j)].width = width
    ws.freeze_panes = "A2"
    ws.append([_header_cell(ws, h) for h in headers])
    for row in rows:
        ws.append([_body_cell(ws, value, formats[j] if j < len(formats) else None)
                   for j, value in enumerate(row[:len(headers)])])
    last = get_column_letter(len(headers))
    table = Table(displayName=TABLE_NAME, ref=f"A1:{last}{max(2, len(rows) + 1)}")
    table.tableStyleInfo = TableStyleInfo(name=TABLE_STYLE, showRowStripes=True)
    table.tableColumns = [TableColumn(id=j, name=h) for j, h in enumerate(headers, 1)]
    table.autoFilter = AutoFilter(ref=table.ref)  # the filter buttons on the header row
    with warnings.catch_warnings():  # openpyxl warns in write-only mode even with columns given
        warnings.simplefilter("ignore", UserWarning)
        ws.add_table(table)
    for j, key in enumerate(keys, 1):
        if key in dropdowns and not BY_KEY[key].written:
            ws.data_validations.append(_dropdown(dropdowns[key][0], headers[j - 1], j, lang))


def _field_format(key: str | None) -> str | None:
    kind = BY_KEY[key].kind if key is not None else None
    return {"datetime": DATETIME_FORMAT, "date": DATE_FORMAT}.get(kind or "")


def _dropdown(name: str, header: str, col: int, lang: str) -> DataValidation:
    # A warning, not a stop: either language's value is valid, and the checks report the rest.
    title, text = _DROPDOWN_TEXT["zh" if lang.startswith("zh") else "en"]
    letter = get_column_letter(col)
    return DataValidation(type="list", formula1=name, allow_blank=True, errorStyle="warning",
                          showErrorMessage=True, errorTitle=title,
                          error=text.format(header=header), sqref=f"{letter}2:{letter}{LAST_ROW}")


def _header_cell(ws: Any, text: Any) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=cell_value(text))
    if cell.data_type == "f":
        cell.data_type = "s"  # a header is text, whatever it starts with
    cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
    cell.alignment = Alignment(vertical="center")
    return cell


def _body_cell(ws: Any, value: Any, number_format: str | None) -> Any:
    if type(value) is str and not value.startswith(("=", "#")):  # most cells: plain text, fast path
        return _clean(value)
    value = cell_value(value)
    if isinstance(value, str) and value.startswith(("=", "#")):
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"  # text from a file is never a formula or an error value
        return cell
    if isinstance(value, dt.datetime | dt.date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = number_format or _format_for(value)
        return cell
    return value


def _write_plain(ws: Any, rows: list[list], widths: Sequence[float] = (),
                 header_rows: Sequence[int] = (0,)) -> None:
    """A small sheet: bold header rows, dates formatted, columns sized to their text."""
    sized = list(widths) or _widths(rows[0] if rows else [], rows[1:], [])
    for j, width in enumerate(sized, 1):
        ws.column_dimensions[get_column_letter(j)].width = width
    for i, row in enumerate(rows):
        if i in header_rows:
            ws.append([_header_cell(ws, v) if v is not None else None for v in row])
        else:
            ws.append([_body_cell(ws, v, None) for v in row])


def _widths(headers: Sequence[object], rows: Sequence[Sequence[object]],
            formats: Sequence[str | None]) -> list[float]:
    widths = []
    for j, header in enumerate(headers):
        fmt = formats[j] if j < len(formats) else None
        if fmt is not None:
            widths.append(DATETIME_WIDTH if fmt == DATETIME_FORMAT else DATE_WIDTH)
            continue
        sample = [header, *(r[j] for r in rows[:WIDTH_SAMPLE] if j < len(r))]
        longest = max((_display_width(v) for v in sample if v is not None), default=0)
        widths.append(float(min(MAX_WIDTH, max(MIN_WIDTH, longest + 2))))
    return widths


def _display_width(value: object) -> int:
    """Characters as Excel lays them out: Chinese and other wide characters take two."""
    if isinstance(value, dt.datetime | dt.date):
        return DATETIME_WIDTH
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(value))


def cell_value(value: Any) -> Any:
    """A Python value openpyxl can write: no NaN/NaT, no time zones, no illegal characters."""
    if isinstance(value, np.datetime64):
        value = None if np.isnat(value) else pd.Timestamp(value)
    if isinstance(value, pd.Timestamp):  # NaT is also a Timestamp-like that is not equal to itself
        value = value.to_pydatetime()
    elif value is pd.NaT:
        return None
    elif isinstance(value, np.generic):  # numpy numbers and booleans
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = value.astimezone().replace(tzinfo=None)  # Excel has no time zones
    if isinstance(value, str):
        return _clean(value)
    return value


def _clean(text: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def _format_for(value: dt.date) -> str:
    if isinstance(value, dt.datetime) and (value.hour, value.minute, value.second) != (0, 0, 0):
        return DATETIME_FORMAT
    return DATE_FORMAT


# --------------------------------------------------------------------------- appending rows

def append_rows(wb: Any, loc_ws: Worksheet, table: Table | None, headers_by_key: dict[str, int],
                rows: list[dict[str, object]], *, header_row: int | None = None) -> int:
    """Append card rows below the register and return how many were appended.

    ``headers_by_key`` maps field keys to sheet columns (1-based). A key it lacks goes to the
    column whose header names it (a card field in either language, or any header with the key's
    text); a key with no column gets a new header column at the right, in the register's
    language. The table's range, filter, columns and the dropdowns that covered its rows grow
    with it; dates take their column's number format. Without a table give ``header_row``.
    Rows are written into empty cells only: anything in the way is refused, not overwritten.
    """
    if not rows:
        return 0
    ws = loc_ws
    frame = _Frame.of(ws, table, header_row)
    columns = _columns_for(ws, frame, headers_by_key, rows)
    start = frame.first_free_row(ws, columns.values())
    new_last = max(frame.data_last, start + len(rows) - 1)
    frame.check_room(ws, new_last, columns)  # before anything is written
    frame.write_headers(ws)
    frame.move_totals(ws, new_last)
    formats = {key: _column_format(ws, key, col, start, frame.header_row)
               for key, col in columns.items()}
    for i, row in enumerate(rows):
        for key, value in row.items():
            _put(ws.cell(row=start + i, column=columns[key]), value, formats[key])
    frame.extend(ws, table, new_last, columns)
    return len(rows)


class _Frame:
    """The register's extent: header row, columns, data rows and totals row."""

    def __init__(self, header_row: int, first_col: int, last_col: int, data_last: int,
                 totals: int) -> None:
        self.header_row, self.first_col, self.last_col = header_row, first_col, last_col
        self.data_last, self.totals = data_last, totals
        self.new_headers: dict[int, str] = {}

    @classmethod
    def of(cls, ws: Worksheet, table: Table | None, header_row: int | None) -> _Frame:
        if table is not None:
            min_col, min_row, max_col, max_row = range_boundaries(table.ref)
            totals = table.totalsRowCount or 0
            return cls(min_row, min_col, max_col, max_row - totals, totals)
        if header_row is None:
            raise ValueError("append_rows needs header_row when the register has no table")
        filled = [c for c in range(1, ws.max_column + 1)
                  if _peek(ws, header_row, c) not in (None, "")]
        first, last = (min(filled), max(filled)) if filled else (1, 1)
        frame = cls(header_row, first, last, header_row, 0)
        frame.data_last = frame.last_filled(ws, range(first, last + 1), ws.max_row)
        return frame

    def last_filled(self, ws: Worksheet, cols: Any, bottom: int) -> int:
        """The last row at or above ``bottom`` with a value in ``cols`` (the header row if none).

        Searched from the bottom up: in a register the last row is usually filled, so this
        looks at a handful of cells, not at every cell of the sheet.
        """
        cols = sorted(set(cols))
        for row in range(bottom, self.header_row, -1):
            if any(_peek(ws, row, c) not in (None, "") for c in cols):
                return row
        return self.header_row

    def first_free_row(self, ws: Worksheet, cols: Any) -> int:
        """Below the last row holding a value; blank rows at the end of a table are reused."""
        spread = set(cols) | set(range(self.first_col, self.last_col + 1))
        return self.last_filled(ws, spread, self.data_last) + 1

    def check_room(self, ws: Worksheet, new_last: int, columns: dict[str, int]) -> None:
        grow = new_last - self.data_last
        right = max([self.last_col, *columns.values()])
        below = range(self.data_last + self.totals + 1, self.data_last + self.totals + grow + 1)
        cells = [(r, c) for r in below for c in range(self.first_col, right + 1)]
        cells += [(r, c) for c in range(self.last_col + 1, right + 1)
                  for r in range(self.header_row, self.data_last + self.totals + 1)]
        for r, c in cells:
            cell = ws._cells.get((r, c))
            if cell is not None and cell.value not in (None, ""):
                ref = cell_ref(ws.title, r, c)
                raise WorkbookRefused(
                    f"Cannot add the rows to {ws.title}: {ref} is in the way and would be "
                    "overwritten. Move what is below or beside the table and run again.",
                    f"无法向 {ws.title} 添加行：{ref} 会被覆盖。请移开表格下方或右侧的内容后"
                    "重新运行。")

    def write_headers(self, ws: Worksheet) -> None:
        model = ws.cell(row=self.header_row, column=self.last_col)
        for col, text in self.new_headers.items():
            header = ws.cell(row=self.header_row, column=col, value=text)
            if model.has_style:
                header._style = copy(model._style)  # the new header looks like its neighbour

    def move_totals(self, ws: Worksheet, new_last: int) -> None:
        grow = new_last - self.data_last
        if self.totals and grow > 0:
            row = self.data_last + 1
            span = f"{get_column_letter(self.first_col)}{row}:{get_column_letter(self.last_col)}" \
                   f"{row + self.totals - 1}"
            # Formulas keep their references, as when Excel moves cells: a totals row written
            # with structured references (SUBTOTAL(109,Table[Column])) stays right.
            ws.move_range(span, rows=grow)

    def extend(self, ws: Worksheet, table: Table | None, new_last: int,
               columns: dict[str, int]) -> None:
        right = max([self.last_col, *columns.values()])
        left = get_column_letter(self.first_col)
        data_ref = f"{left}{self.header_row}:{get_column_letter(right)}{new_last}"
        if table is not None:
            table.ref = f"{left}{self.header_row}:{get_column_letter(right)}" \
                        f"{new_last + self.totals}"
            if table.autoFilter is not None:
                table.autoFilter.ref = data_ref
            next_id = max((c.id for c in table.tableColumns), default=0) + 1
            for col in sorted(self.new_headers):
                table.tableColumns.append(TableColumn(id=next_id, name=self.new_headers[col]))
                next_id += 1
        elif ws.auto_filter.ref:
            ws.auto_filter.ref = data_ref
        self._extend_dropdowns(ws, new_last)

    def _extend_dropdowns(self, ws: Worksheet, new_last: int) -> None:
        """Validations that ended at the last data row end at the new one (as Excel does)."""
        if new_last <= self.data_last:
            return
        for dv in ws.data_validations.dataValidation:
            ranges = []
            for rng in dv.sqref.ranges:
                if rng.max_row == self.data_last and rng.min_row > self.header_row \
                        and self.first_col <= rng.min_col <= self.last_col:
                    rng = CellRange(min_col=rng.min_col, min_row=rng.min_row,
                                    max_col=rng.max_col, max_row=new_last)
                ranges.append(rng.coord)
            dv.sqref = " ".join(ranges)


def _columns_for(ws: Worksheet, frame: _Frame, headers_by_key: dict[str, int],
                 rows: list[dict[str, object]]) -> dict[str, int]:
    """The sheet column of every key the rows use, adding header columns for new keys."""
    headers = {c: _peek(ws, frame.header_row, c) for c in range(frame.first_col, frame.last_col + 1)
               if _peek(ws, frame.header_row, c) not in (None, "")}
    by_field = {}
    by_text = {}
    for col, text in sorted(headers.items()):
        key = field_for_header(text)
        if key is not None:
            by_field.setdefault(key, col)
        by_text.setdefault(fold(text), col)
    lang = guess_language(list(headers.values()))
    columns: dict[str, int] = {}
    for row in rows:
        for key in row:
            if key in columns:
                continue
            given = headers_by_key.get(key)
            if given is not None and not frame.first_col <= given <= frame.last_col:
                given = None  # outside the register: a column of its own is added instead
            col = given or by_field.get(key) or by_text.get(fold(key))
            if col is None:
                col = frame.last_col + len(frame.new_headers) + 1
                text = BY_KEY[key].header(lang) if key in BY_KEY else key
                text = unique_headers([*headers.values(), *frame.new_headers.values(), text])[-1]
                frame.new_headers[col] = text
            columns[key] = col
    return columns


def _peek(ws: Worksheet, row: int, col: int) -> Any:
    """A cell's value without creating the cell (ws.cell() would add an empty one)."""
    cell = ws._cells.get((row, col))
    return None if cell is None else cell.value


def _column_format(ws: Worksheet, key: str, col: int, start: int, header_row: int) -> str | None:
    """The date format of a column: the cell above's when it is a date format, else the field's."""
    if start - 1 > header_row:
        above = ws._cells.get((start - 1, col))
        if above is not None and is_date_format(above.number_format):
            return above.number_format
    return _field_format(key if key in BY_KEY else None)


def _put(cell: Any, value: object, number_format: str | None) -> None:
    value = cell_value(value)
    if value is None:
        return
    cell.value = value
    if isinstance(value, str) and value.startswith(("=", "#")):
        cell.data_type = "s"  # imported text is never a formula or an error value
    elif isinstance(value, dt.datetime | dt.date):
        cell.number_format = number_format or _format_for(value)
