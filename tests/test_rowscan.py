"""The quick reading of plain rows (addin/batch/rowscan.py) against the expat reader.

For a plain sheet it must give exactly what ``sheetxml.iter_rows`` gives, value and type; for
anything it does not read right it must say so (None), so that expat reads the sheet."""

from __future__ import annotations

import random
import re
import zipfile
from pathlib import Path

import pytest
from test_sheetxml import _STYLES, WRITERS, _handmade, _kinds, _streaming

from addin.batch import rowscan, sheetxml
from addin.batch.rowscan import scan_rows
from addin.batch.safety import sheet_parts

SHEET = "xl/worksheets/sheet1.xml"
_ROOT = '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'

# Rows as Excel, openpyxl and XlsxWriter write them, with the values that trip readers up:
# shared and inline text (escaped, with line ends and blanks), whole and decimal numbers, dates
# with and without a date format, booleans, errors, empty cells, rows without cells, a row out
# of order, blanks between the tags, empty cells as openpyxl writes them (`` />``).
PLAIN = _ROOT + """<dimension ref="A1:H9"/><sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>3</v></c>
<c r="C1" t="s"><v>5</v></c></row>
<row r="2" spans="1:8">
<c r="A2" t="inlineStr"><is><t xml:space="preserve"> a &amp; b &lt;c&gt; </t></is></c>
<c r="B2" t="inlineStr"><is><t>line\r\nbreak &#13;kept &#x4E2D;</t></is></c>
<c r="C2" t="inlineStr"/>
<c r="D2" t="inlineStr"><is><t></t></is></c><c r="E2" s="1"/><c r="F2"></c>
<c r="G2"><v></v></c></row>
<row r="3"><c r="A3" s="1"><v>45000</v></c><c r="B3" s="2"><v>45000.75</v></c>
<c r="C3" s="3"><v>0.5</v></c>
<c r="D3" s="4"><v>1.25</v></c><c r="E3" s="5"><v>45000</v></c><c r="F3"><v>45000</v></c>
<c r="G3" s="1"><v>3000000</v></c><c r="H3" s="1" t="n"><v>-1</v></c></row>
<row r="4"><c r="A4" t="b"><v>1</v></c><c r="B4" t="b"><v>0</v></c><c r="C4" t="e"><v>#N/A</v></c>
<c r="D4" t="str"><v>cached &amp; text</v></c><c r="E4" t="d"><v>2026-03-01T09:30:00</v></c>
<c r="F4"><v>1.0</v></c><c r="G4"><v>1E+20</v></c><c r="H4"><v>-0</v></c></row>
<row r="5"/>
<row r="7" ht="20" customHeight="1"><c r="AA7"><v>7</v></c><c r="B7" t="s"><v>4</v></c></row>
<row r="6"><c r="A6"><v>6</v></c></row>
<row r="8"><c r="A8" s="1" t="b"><v>1</v></c><c r="B8" s="1"><v>45000</v></c>
<c r="C8" s="4"><v>2</v></c><c r="D8" s="4"><v>2</v></c></row>
<row r="9"><c r="A9" s="1"><v>1</v></c><c r="B9" s="1"><v>60</v></c>
<c r="C9" s="2"><v>0.999999999</v></c><c r="D9" s="4" t="n" /><c r="E9" t="n" /></row>
</sheetData><conditionalFormatting sqref="A2:A9"><cfRule type="expression" priority="1">
<formula>$A2&gt;1</formula></cfRule></conditionalFormatting></worksheet>"""


def _with_sheet(path: Path, xml: str | bytes, date1904: bool = False) -> Path:
    _handmade(path, date1904)
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    parts[SHEET] = xml.encode() if isinstance(xml, str) else xml
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def _scanned(path: Path, first_row: int = 1, last_col: int = 30):
    with zipfile.ZipFile(path) as archive:
        part = next(iter(sheet_parts(archive).values()))
        return scan_rows(archive, part, sheetxml.Workbook(archive), first_row, 1, last_col)


def _both(path: Path, first_row: int = 1, last_col: int = 30):
    with zipfile.ZipFile(path) as archive:
        part = next(iter(sheet_parts(archive).values()))
        parsed = list(sheetxml.iter_rows(archive, part, first_row, 1, last_col))
    return _scanned(path, first_row, last_col), parsed


@pytest.mark.parametrize("date1904", [False, True])
@pytest.mark.parametrize("first_row", [1, 3])
def test_plain_rows_read_as_expat_reads_them(tmp_path, date1904, first_row):
    path = _with_sheet(tmp_path / "plain.xlsx", PLAIN, date1904)
    scanned, parsed = _both(path, first_row)
    assert scanned is not None
    rows, rest = scanned
    assert _kinds(rows) == _kinds(parsed)
    assert _kinds(rows) == _kinds(_streaming(path, first_row, 30))  # and as openpyxl does
    assert rest.startswith(b"<worksheet ") and b"<conditionalFormatting" in rest
    assert rest.endswith(b"</worksheet>") and b"<c " not in rest


@pytest.mark.parametrize("writer", list(WRITERS))
def test_any_workbook_reads_alike_or_is_left_to_expat(tmp_path, writer):
    scanned, parsed = _both(WRITERS[writer](tmp_path / "book.xlsx"))
    assert scanned is None or _kinds(scanned[0]) == _kinds(parsed)


@pytest.mark.parametrize("cell", [
    '<c r="A2"><f>B2*2</f><v>4</v></c>',  # a formula
    '<c r="A2" t="inlineStr"><is><r><t>in</t></r><r><t>runs</t></r></is></c>',  # rich text
    '<c r="A2" t="s" s="1"><v>0</v></c>',  # attributes in another order
    '<c r="A2" s="1" t="s" cm="1"><v>0</v></c>',  # metadata
    '<c t="s"><v>0</v></c>',  # no reference
    '<!-- a note --><c r="A2"><v>1</v></c>',
    '<c r="A2" t="inlineStr"><is><t><![CDATA[<b>]]></t></is></c>',
    '<c r="A2" t="inlineStr"><is><t>a & b</t></is></c>',  # malformed: for expat to say
    '<c r="A2" t="inlineStr"><is><t>bell \x07</t></is></c>',
    '<c r="A2" t="inlineStr"><is><t>&#1;</t></is></c>',
    '<c r="A2" t="inlineStr"><is><t xml:space="default">x</t></is></c>',
])
def test_what_only_a_parser_reads_right_is_left_to_expat(tmp_path, cell):
    xml = f'{_ROOT}<sheetData><row r="2">{cell}</row></sheetData></worksheet>'
    assert _scanned(_with_sheet(tmp_path / "odd.xlsx", xml)) is None


@pytest.mark.parametrize("xml", [
    '<?xml version="1.0" encoding="UTF-16"?>' + PLAIN,
    PLAIN.replace('<row r="4">', "<row>"),  # a row without its number
    PLAIN.replace('<row r="4">', '<row spans="1:8" r="4">'),
    PLAIN.replace("<sheetData>", "<x:sheetData>"),
])
def test_sheets_laid_out_otherwise_are_left_to_expat(tmp_path, xml):
    assert _scanned(_with_sheet(tmp_path / "odd.xlsx", xml)) is None


def test_the_styles_the_plain_sheet_uses_are_those_sheetxml_is_tested_with():
    assert _STYLES.count("<xf ") == 7  # six cell formats and the style format


@pytest.mark.parametrize(("date1904", "chunk"), [(False, None), (True, None), (False, 300)])
def test_time_stamps_read_as_openpyxl_reads_them(tmp_path, monkeypatch, date1904, chunk):
    """Serial numbers with a time in date formats (a day and time, a date, a time of day),
    read from their day's midnight, give openpyxl's from_excel to the millisecond: near midnight,
    where the time rounds up to the next day, at the edges of the days read that way (60, the
    year 9000) and past them; in rows of their own too, and over many stretches of rows (the
    stamps of each are read together)."""
    if chunk:
        monkeypatch.setattr(rowscan, "CHUNK", chunk)
    rng = random.Random(14)
    serials = ["59.5", "60.0", "60.5", "61.25", "45000.5", "45000.9999999999", "45000.0000001",
               "45809.56041666667", "45812.06597222222", "2599999.9", "2600000.5",
               "2958465.5", "3000000.5", "1.5E4", "0.25", "-3.5", "45000.00000578704"]
    serials += [f"{rng.uniform(60, 80000):.{rng.randint(1, 17)}f}" for _ in range(300)]
    cells = "".join(f'<c r="{letter}{n}" s="{style}"><v>{serial}</v></c>'
                    for n, serial in enumerate(serials, 1)
                    for letter, style in (("A", 2), ("B", 1), ("C", 3), ("D", 4), ("E", 0)))
    rows = re.sub(r'(<c r="A(\d+)")', r'</row><row r="\2">\1', cells)[len("</row>"):] + "</row>"
    alone = len(serials) + 1  # a stamp alone in its row, and one out of range alone in its row
    rows += (f'<row r="{alone}"><c r="C{alone}" s="2"><v>45000.5</v></c></row>'
             f'<row r="{alone + 1}"><c r="B{alone + 1}" s="2"><v>3000000.5</v></c></row>')
    xml = f"{_ROOT}<sheetData>{rows}</sheetData></worksheet>"
    path = _with_sheet(tmp_path / "stamps.xlsx", xml, date1904)
    scanned, parsed = _both(path, last_col=5)
    assert scanned is not None
    assert _kinds(scanned[0]) == _kinds(parsed) == _kinds(_streaming(path, 1, 5))
    assert len(parsed) == len(serials) + 2
