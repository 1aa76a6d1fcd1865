"""A run's first look at a workbook, straight from its XML: enough to work out the outcome and to
tell whether writing it would change anything, without loading the workbook into openpyxl.

Most runs over a processed register change nothing, and openpyxl's load alone costs more than all
of such a run's real work. So a run looks first: the expat reader (sheetxml.py) gives each
sheet's top rows, the sheets a run reads or rebuilds in full (settings, Findings, Counters, the
analysis sheets), the register's rows below its top, and what the comparison needs besides
(tables, the register's conditional formats, the Findings sheet's links). These go into a bare
openpyxl ``Workbook`` built in memory, so that finding the register, reading it and deciding
that nothing changes are the very functions a run through openpyxl's load uses.

Values are those openpyxl's reader gives (sheetxml's differential tests hold it to that). Where
openpyxl's load would make cells of its own in the register's sheet (merged ranges, links,
comments) the look gives up and the run loads the workbook as it always did.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree
from xml.parsers import expat

from openpyxl.cell.cell import Cell
from openpyxl.formatting.rule import Rule
from openpyxl.utils.cell import column_index_from_string
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.table import Table
from openpyxl.worksheet.worksheet import Worksheet

from addin.core.fields import WRITTEN_KEYS
from addin.layout.register import HEADER_SCAN_ROWS
from addin.layout.sheets import FINDINGS_SHEET, GRID_ROLES, sheet_role
from addin.package import local_name

from . import sheetxml
from .caselog import stored_state_in
from .rowscan import scan_rows
from .safety import part_relationships, sheet_parts, workbook_part
from .sheets import RegisterLocation, find_register

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RULES, _RULE, _RULE_FORMULA = _MAIN + "conditionalFormatting", _MAIN + "cfRule", _MAIN + "formula"
_LINK, _MERGE = _MAIN + "hyperlink", _MAIN + "mergeCell"
_RELATIONSHIP_ID = "http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
Row = sheetxml.Row


class _GiveUp(Exception):
    """Something only openpyxl's load reads the way a run needs: the run loads the workbook."""


class _Enough(Exception):
    """The rows asked for have been read; the rest of the sheet is not needed."""


@dataclass
class Glance:
    """What a look at a workbook found: the bare workbook, the register and its rows below
    ``first_below`` (None when the register's sheet was read whole)."""

    wb: Workbook
    loc: RegisterLocation | None
    below: list[Row] | None
    first_below: int = HEADER_SCAN_ROWS + 1
    state: Any = None  # the Case state sheet's rows (caselog.StoredState), read apart
    strings: list[str] | None = None  # the shared strings, which openpyxl's load then reuses


class _Extras:
    """What a sheet holds after its cells that a run compares: conditional formats, links and
    merged ranges."""

    def __init__(self) -> None:
        self.rules: list[tuple[str, str, list[str]]] = []  # (range, type, formulas)
        self.links: list[dict[str, str]] = []
        self.merged = False
        self.sqref = ""
        self.pieces: list[str] | None = None  # the text of a rule's <formula>, once inside one

    def text(self, text: str) -> None:
        if self.pieces is not None:
            self.pieces.append(text)

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == _RULES:
            self.sqref = attrs.get("sqref", "")
        elif name == _RULE:
            self.rules.append((self.sqref, attrs.get("type", ""), []))
        elif name == _RULE_FORMULA and self.rules:
            self.pieces = []
        elif name == _LINK:
            self.links.append(attrs)
        elif name == _MERGE:
            self.merged = True

    def end(self, name: str) -> None:
        if name == _RULE_FORMULA and self.pieces is not None:
            self.rules[-1][2].append("".join(self.pieces))
            self.pieces = None


class _Rows(sheetxml._SheetParser):
    """The rows of a sheet (as sheetxml gives them), and what follows its cells."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.extras = _Extras()

    def after_cells(self) -> None:
        # Only now do the handlers for what follows the cells take over: the cells, millions
        # of elements, pay for no extra call.
        extras, parser = self.extras, self.parser
        parser.StartElementHandler, parser.EndElementHandler = extras.start, extras.end
        parser.CharacterDataHandler = extras.text


class _Cells(_Rows):
    """Every cell of a sheet down to row ``last_row`` (None: to the end), empty ones included,
    as openpyxl's load makes a cell of each."""

    def __init__(self, book: sheetxml.Workbook, last_row: int | None,
                 parser: expat.XMLParserType) -> None:
        super().__init__(book, 1, 1, 1, parser)
        self.last_row = last_row
        self.cells: list[tuple[int, int, Any]] = []

    def start(self, name: str, attrs: dict[str, str]) -> None:
        super().start(name, attrs)
        if name == sheetxml._ROW and self.last_row is not None and \
                self.row_number > self.last_row:
            raise _Enough

    def _end_cell(self) -> None:
        ref = self.cell.get("r")
        self.col = column_index_from_string(ref.rstrip("0123456789")) if ref else self.col + 1
        value = self._formula(ref) if self.formula is not None else self._value()
        self.cells.append((self.row_number, self.col, value))

    def _end_row(self) -> None:
        pass


def _parse(archive: zipfile.ZipFile, part: str, handlers: _Rows) -> None:
    parser = handlers.parser
    parser.StartElementHandler, parser.EndElementHandler = handlers.start, handlers.end
    try:
        for _ in sheetxml._feed(parser, archive, part):
            pass
    except _Enough:
        pass


def glance(path: Path | str, whole: Callable[[str], bool]) -> Glance | None:
    """A look at workbook ``path``: every sheet's top rows, the sheets ``whole(title)`` names in
    full, and the register's rows below its top. None when only openpyxl's load will do."""
    try:
        with zipfile.ZipFile(path) as archive:
            return _Look(archive, whole).run()
    except _GiveUp:
        return None


class _Look:
    def __init__(self, archive: zipfile.ZipFile, whole: Callable[[str], bool]) -> None:
        self.archive, self.whole = archive, whole
        self.names = set(archive.namelist())
        self.book = sheetxml.Workbook(archive)
        self.parts = sheet_parts(archive)
        self.wb = Workbook()
        self.wb.remove(self.wb.active)
        self.wb.epoch = self.book.epoch

    def run(self) -> Glance:
        if len(self.parts) != self._sheet_count():
            raise _GiveUp  # chart sheets or dialog sheets: openpyxl lists them too
        for title, part in self.parts.items():
            ws = self.wb.create_sheet(title)
            last_row = None if self.whole(title) else HEADER_SCAN_ROWS
            extras = self._fill(ws, part, last_row)
            if sheet_role(title) in GRID_ROLES or title == FINDINGS_SHEET:
                # Only there are links read: the settings' values and the Findings' links.
                self._bind_links(ws, extras.links)
            self._bind_tables(ws, part)
        loc = find_register(self.wb)
        # The case log's last known state: a row per case, read as values, never as cells.
        state = stored_state_in(self.archive, self.book)
        if loc is None or self.whole(loc.sheet):
            return Glance(self.wb, loc, None, state=state, strings=self.book.strings)
        below, extras = self._below(loc)
        if extras.merged or extras.links or self._has_comments(self.parts[loc.sheet]):
            raise _GiveUp  # openpyxl's load would make cells of these in the register's sheet
        for sqref, kind, formulas in extras.rules:
            loc.ws.conditional_formatting.add(sqref, Rule(type=kind, formula=formulas))
        return Glance(self.wb, loc, below, state=state, strings=self.book.strings)

    def _sheet_count(self) -> int:
        book = workbook_part(part_relationships(self.archive, "", self.names).values())
        root = ElementTree.fromstring(self.archive.read(book))
        return sum(1 for element in root.iter() if local_name(element.tag) == "sheet")

    def _fill(self, ws: Worksheet, part: str, last_row: int | None) -> _Extras:
        handlers = _Cells(self.book, last_row, sheetxml._new_parser())
        _parse(self.archive, part, handlers)
        kinds = {str: "s", bool: "b", int: "n", float: "n"}
        for row, col, value in handlers.cells:
            cell = Cell(ws, row=row, column=col)
            cell._value = value
            kind = kinds.get(type(value), "d" if value is not None else "n")
            cell.data_type = "f" if kind == "s" and value.startswith("=") else kind
            ws._cells[(row, col)] = cell
        ws._current_row = ws.max_row  # as openpyxl's reader leaves it: iter_rows() reads to it
        return handlers.extras

    def _below(self, loc: RegisterLocation) -> tuple[list[Row], _Extras]:
        """The register's rows under the top, as many columns to the right as a run may add."""
        part, last_col = self.parts[loc.sheet], loc.last_col + len(WRITTEN_KEYS)
        scanned = scan_rows(self.archive, part, self.book, HEADER_SCAN_ROWS + 1, loc.first_col,
                            last_col)
        if scanned is not None:
            rows, rest = scanned
            extras = _Extras()
            parser = sheetxml._new_parser()
            parser.StartElementHandler, parser.EndElementHandler = extras.start, extras.end
            parser.CharacterDataHandler = extras.text
            parser.Parse(rest, True)
            return rows, extras
        parser = sheetxml._new_parser()
        handlers = _Rows(self.book, HEADER_SCAN_ROWS + 1, loc.first_col, last_col, parser)
        rows = []
        parser.StartElementHandler, parser.EndElementHandler = handlers.start, handlers.end
        for _ in sheetxml._feed(parser, self.archive, part):
            rows.extend(handlers.done)
            handlers.done.clear()
        return rows, handlers.extras

    def _bind_links(self, ws: Worksheet, links: list[dict[str, str]]) -> None:
        for link in links:
            ref = link.get("ref", "")
            if ":" in ref or _RELATIONSHIP_ID in link or not link.get("location"):
                raise _GiveUp  # ranges and links to files: openpyxl's own reading
            cell = ws[ref]
            cell.hyperlink = Hyperlink(ref=ref, location=link["location"],
                                       display=link.get("display"))

    def _bind_tables(self, ws: Worksheet, part: str) -> None:
        for kind, target in part_relationships(self.archive, part, self.names).values():
            if kind != "table":
                continue
            root = ElementTree.fromstring(self.archive.read(target))
            totals = root.get("totalsRowCount")
            ws.tables.add(Table(displayName=root.get("displayName"), name=root.get("name"),
                                ref=root.get("ref"),
                                headerRowCount=int(root.get("headerRowCount", "1")),
                                totalsRowCount=int(totals) if totals else None))

    def _has_comments(self, part: str) -> bool:
        return any(kind == "comments" for kind, _ in
                   part_relationships(self.archive, part, self.names).values())
