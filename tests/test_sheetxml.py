"""The expat sheet reader against openpyxl, cell for cell (value and type).

Each workbook holds the cells that trip readers up; the reader must give what openpyxl's
streaming reader gives (what the batch door hands to ``read_register`` today) and what a full
openpyxl load holds. Workbooks come from openpyxl, XlsxWriter, LibreOffice and hand-written XML
(for what no writer here produces: inline strings, cells and rows without numbers, shared
formulas, phonetic hints).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from addin.batch import sheetxml
from addin.batch.safety import sheet_parts

LONG = "投诉" * 16000 + " end"
NUMBERS = [1, 1.0, 1e20, -0.0, 0.1 + 0.2, -7, 2**40, 1e-9]
TEXTS = ["0571", "  padded  ", "line\nbreak", "x005F_kept?", "_x000D_", LONG, ""]


def _tricky_openpyxl(path: Path, date1904: bool = False) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Complaints"
    if date1904:
        wb.epoch = dt.datetime(1904, 1, 1)
    rows: list[list[Any]] = [NUMBERS, TEXTS,
                             [dt.datetime(2026, 3, 1, 9, 30), dt.date(2026, 3, 2),
                              dt.time(13, 45, 10), dt.timedelta(hours=30, minutes=5),
                              dt.datetime(1900, 1, 1), dt.datetime(1900, 3, 1)],
                             [True, False, "#N/A", "#DIV/0!", None, "=SUM(A1:B1)"],
                             [CellRichText(["plain ", TextBlock(InlineFont(b=True), "bold")])]]
    for r, values in enumerate(rows, 1):
        for c, value in enumerate(values, 1):
            ws.cell(r, c, value)
    ws.cell(6, 1, "=not a formula").data_type = "s"  # typed as text
    ws.cell(6, 2, 45000).number_format = "0.00"  # a number that looks like no date
    ws.cell(6, 3, 45000.25).number_format = "yyyy-mm-dd hh:mm"
    ws.cell(6, 4, 45000).number_format = "[h]:mm:ss"
    ws.cell(6, 5, 45000)  # a serial number without a date style stays a number
    wb.save(path)
    return path


def _tricky_xlsxwriter(path: Path, date1904: bool = False) -> Path:
    book = xlsxwriter.Workbook(str(path), {"date_1904": date1904, "strings_to_numbers": False,
                                           "strings_to_formulas": False})
    ws = book.add_worksheet("Complaints")
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    bold = book.add_format({"bold": True})
    for c, value in enumerate(NUMBERS):
        ws.write_number(0, c, value)
    for c, value in enumerate(TEXTS):
        ws.write_string(1, c, value)
    ws.write_datetime(2, 0, dt.datetime(2026, 3, 1, 9, 30), date)
    ws.write_number(2, 1, 45000.5, book.add_format({"num_format": "h:mm"}))
    ws.write_number(2, 2, 45000)
    ws.write_boolean(3, 0, True)
    ws.write_formula(3, 1, "=A1*2", None, 2)
    ws.write_formula(3, 2, '=IF(A1>0,"yes","no")', None, "yes")
    ws.write_array_formula(3, 3, 4, 3, "{=A1:A2*2}")
    ws.write_rich_string(5, 0, "plain ", bold, "bold", " tail")
    ws.write_string(5, 1, "=not a formula")
    ws.write_blank(5, 2, None, date)  # an empty <c> with a style
    ws.write_formula(5, 3, "=1/0", None, "#DIV/0!")
    book.close()
    return path


# A package written by hand, for the XML no writer above produces. Styles: 0 General, 1 a
# built-in date (14), 2 a custom date-time, 3 a built-in time (21), 4 a custom duration, 5 a
# plain number format.
_STYLES = """<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd hh:mm"/>
<numFmt numFmtId="165" formatCode="[h]:mm:ss"/></numFmts>
<fonts count="1"><font/></fonts>
<fills count="1"><fill><patternFill patternType="none"/></fill></fills>
<borders count="1"><border/></borders>
<cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
<cellXfs count="6"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="21"/>
<xf numFmtId="165"/><xf numFmtId="2"/></cellXfs></styleSheet>"""

_STRINGS = """<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<si><t>plain</t></si>
<si><r><rPr><b/></rPr><t xml:space="preserve">rich </t></r><r><t>runs</t></r></si>
<si><t>东京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh><phoneticPr fontId="0"/></si>
<si><t xml:space="preserve">  spaced
  out  </t></si>
<si><t>x005F_x000D_ escaped</t></si>
<si><t/></si>
</sst>"""

_SHEET = """<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<dimension ref="A1:C2"/><sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c>
<c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c><c r="F1" t="s"><v>5</v></c></row>
<row r="2"><c r="A2"><f t="shared" ref="A2:A5" si="0">B2*2+$C$1</f><v>4</v></c>
<c r="B2" t="inlineStr"><is><t xml:space="preserve"> inline </t></is></c>
<c r="C2" t="inlineStr"><is><r><t>in</t></r><r><t>runs</t></r></is></c>
<c r="D2" t="inlineStr"/><c r="E2" t="inlineStr"><is/></c><c r="F2"/><c r="G2" s="1"/></row>
<row r="3"><c r="A3"><f t="shared" si="0"/><v>6</v></c><c r="B3" s="1"><v>45000</v></c>
<c r="C3" s="2"><v>45000.75</v></c><c r="D3" s="3"><v>0.5</v></c><c r="E3" s="4"><v>1.25</v></c>
<c r="F3" s="5"><v>45000</v></c><c r="G3" s="1"><v>-1</v></c><c r="H3" s="1"><v>3000000</v></c>
</row>
<row r="4"><c r="A4"><f t="shared" si="0"/><v>8</v></c><c t="b"><v>1</v></c><c t="e"><v>#N/A</v></c>
<c t="str"><f>"a"&amp;"b"</f><v>ab</v></c><c t="d"><v>2026-03-01T09:30:00</v></c>
<c><v>1.0</v></c><c><v>1E+20</v></c><c><v>-0</v></c><c><v></v></c></row>
<row><c r="B5"><f t="shared" si="7"/><v>1</v></c><c r="C5"><v>0571</v></c>
<c r="D5" t="str"><v>0571</v></c></row>
<row r="6" spans="1:2"><c r="A6"><f t="array" ref="A6:A7">B3:B4*2</f><v>2</v></c>
<c r="C6" t="b"><v>0</v></c></row>
<row r="6"><c r="A6"><v>99</v></c></row>
<row r="8"/>
<row r="9"><c r="A9" s="1"><v>1</v></c><c r="B9" s="1"><v>60</v></c><c r="C9" s="1"><v>61</v></c>
<c r="D9" s="2"><v>0.999999999</v></c></row>
</sheetData></worksheet>"""


def _handmade(path: Path, date1904: bool = False, prefixed: bool = False) -> Path:
    main = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{main}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{main}.worksheet+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{main}.styles+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{main}.sharedStrings+xml"/>'
            "</Types>"),
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"),
        "xl/workbook.xml": (
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'xmlns:r="{rel}"><workbookPr date1904="{int(date1904)}"/><sheets>'
            '<sheet name="Complaints" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId3" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"),
        "xl/styles.xml": _STYLES,
        "xl/sharedStrings.xml": _STRINGS,
        "xl/worksheets/sheet1.xml": _prefixed(_SHEET) if prefixed else _SHEET,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return path


def _prefixed(xml: str) -> str:
    """The same sheet with every element named through a prefix (x:c), as some tools write."""
    xml = re.sub(r"<(/?)([a-zA-Z]+)\b", r"<\1x:\2", xml)
    return xml.replace('<x:worksheet xmlns="', '<x:worksheet xmlns:x="')


def _handmade_prefixed(path: Path, date1904: bool = False) -> Path:
    return _handmade(path, date1904, prefixed=True)


def _libreoffice(path: Path, date1904: bool = False) -> Path:
    office = shutil.which("soffice")
    if office is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    source = _tricky_xlsxwriter(path.with_name("source.xlsx"), date1904)
    out = path.parent / "office"
    subprocess.run([office, f"-env:UserInstallation=file://{path.parent}/profile", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(out), str(source)],
                   check=True, capture_output=True, timeout=180)
    return out / "source.xlsx"


WRITERS = {"openpyxl": _tricky_openpyxl, "xlsxwriter": _tricky_xlsxwriter,
           "handmade": _handmade, "prefixed": _handmade_prefixed, "libreoffice": _libreoffice}


def _kind(value: Any) -> tuple[str, Any]:
    """A value and its type, so that 1 and 1.0, 0.0 and -0.0, date and datetime differ."""
    if value is None or isinstance(value, (str, int, float, dt.date, dt.time, dt.timedelta)):
        return type(value).__name__, repr(value)
    return type(value).__name__, sorted(dict(value).items()) if hasattr(value, "__iter__") \
        else sorted(vars(value).items())


def _kinds(rows: list[tuple[int, tuple[Any, ...]]]) -> list[tuple[int, list[tuple[str, Any]]]]:
    return [(number, [_kind(v) for v in values]) for number, values in rows]


def _streaming(path: Path, first_row: int, last_col: int) -> list[tuple[int, tuple[Any, ...]]]:
    """openpyxl's streaming reader, used as the batch door uses it for the rows below a cut."""
    book = load_workbook(path, read_only=True, rich_text=False)
    try:
        ws = book.worksheets[0]
        ws.reset_dimensions()
        rows = ws.iter_rows(min_row=first_row, min_col=1, max_col=last_col, values_only=True)
        return [(n, values) for n, values in enumerate(rows, first_row)
                if any(v is not None for v in values)]
    finally:
        book.close()


def _loaded(path: Path, first_row: int, last_col: int) -> list[tuple[int, tuple[Any, ...]]]:
    """A full openpyxl load, as the top rows of a cut register are read."""
    ws = load_workbook(path, rich_text=False).worksheets[0]
    rows = []
    for number in range(first_row, ws.max_row + 1):
        values = tuple(ws._cells[number, c].value if (number, c) in ws._cells else None
                       for c in range(1, last_col + 1))
        if any(v is not None for v in values):
            rows.append((number, values))
    return rows


def _ours(path: Path, first_row: int, last_col: int) -> list[tuple[int, tuple[Any, ...]]]:
    with zipfile.ZipFile(path) as archive:
        part = next(iter(sheet_parts(archive).values()))
    return sheetxml.rows_below(path, part, first_row, 1, last_col)


@pytest.fixture(params=[False, True], ids=["1900", "1904"])
def epoch_1904(request: pytest.FixtureRequest) -> bool:
    return request.param


pytestmark = pytest.mark.filterwarnings("ignore:Cell H3 is marked as a date")


@pytest.mark.parametrize("writer", WRITERS)
@pytest.mark.parametrize("first_row", [1, 3])
def test_reader_agrees_with_openpyxl_streaming(tmp_path: Path, writer: str, first_row: int,
                                               epoch_1904: bool) -> None:
    path = WRITERS[writer](tmp_path / "tricky.xlsx", epoch_1904)
    ours = _ours(path, first_row, 10)
    assert len(ours) >= 3  # the tricky rows were read at all
    assert _kinds(ours) == _kinds(_streaming(path, first_row, 10))


@pytest.mark.parametrize("writer", WRITERS)
def test_reader_agrees_with_a_full_load(tmp_path: Path, writer: str, epoch_1904: bool) -> None:
    path = WRITERS[writer](tmp_path / "tricky.xlsx", epoch_1904)
    loaded = _loaded(path, 1, 10)
    if writer in ("handmade", "prefixed"):
        # Rows numbered out of order: the streaming reader (and this one) skip a row whose
        # number was passed already, where a full load lets the later row overwrite its cells.
        loaded = [(n, v) for n, v in loaded if n != 6]
        assert [n for n, _ in _ours(path, 1, 10)].count(6) == 1
        ours = [(n, v) for n, v in _ours(path, 1, 10) if n != 6]
    else:
        ours = _ours(path, 1, 10)
    assert _kinds(ours) == _kinds(loaded)


def test_values_read_as_the_card_needs_them(tmp_path: Path) -> None:
    """A few conversions spelled out, so that agreeing with openpyxl cannot hide both being off."""
    rows = dict(_ours(_handmade(tmp_path / "book.xlsx"), 1, 9))
    assert rows[1][:6] == ("plain", "rich runs", "东京", "  spaced\n  out  ", "x000D_ escaped", "")
    assert rows[2][:6] == ("=B2*2+$C$1", " inline ", "inruns", None, "", None)
    assert rows[3][:3] == ("=B3*2+$C$1", dt.datetime(2023, 3, 15), dt.datetime(2023, 3, 15, 18))
    assert rows[3][3:6] == (dt.time(12), dt.timedelta(hours=30), 45000)
    assert rows[4][1:9] == (True, "#N/A", '="a"&"b"', dt.datetime(2026, 3, 1, 9, 30), 1.0,
                            1e20, 0, None)
    assert [type(v) for v in rows[4][6:8]] == [float, int]
    assert rows[5][1:4] == ("=", 571, "0571")


def test_chunk_boundaries_anywhere_change_nothing(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    path = _tricky_xlsxwriter(tmp_path / "tricky.xlsx")
    whole = _kinds(_ours(path, 1, 10))
    monkeypatch.setattr(sheetxml, "CHUNK", 7)
    assert _kinds(_ours(path, 1, 10)) == whole


def test_entity_declarations_are_refused(tmp_path: Path) -> None:
    path = _handmade(tmp_path / "book.xlsx")
    hostile = tmp_path / "hostile.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(hostile, "w") as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.endswith("sheet1.xml"):
                data = b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + data.replace(b"0571", b"&a;")
            out.writestr(info, data)
    with pytest.raises(ValueError, match="entity"):
        sheetxml.rows_below(hostile, "xl/worksheets/sheet1.xml", 1, 1, 5)


def test_rows_come_while_the_sheet_is_still_being_read(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Memory stays bounded: the first rows are handed out before the last chunk is parsed."""
    wb = Workbook()
    for number in range(1, 2001):
        wb.active.append([f"TS-{number}", number, "投诉内容" * 5])
    path = tmp_path / "long.xlsx"
    wb.save(path)
    chunks = []
    feed = sheetxml._feed

    def counted(*args: Any) -> Any:
        for step in feed(*args):
            chunks.append(step)
            yield step

    monkeypatch.setattr(sheetxml, "CHUNK", 4096)
    monkeypatch.setattr(sheetxml, "_feed", counted)
    with zipfile.ZipFile(path) as archive:
        rows = sheetxml.iter_rows(archive, "xl/worksheets/sheet1.xml", 1, 1, 3)
        assert next(rows) == (1, ("TS-1", 1, "投诉内容" * 5))
        assert len(chunks) == 1
        assert len(list(rows)) == 1999 and len(chunks) > 20
