"""Cut loads (addin/batch/stream.py): a big sheet's rows below the top are copied, not loaded.

The measure of correctness is the whole load: a run through a cut load must leave exactly the
cells, formats and sheets a run through a whole load leaves.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
import xlsxwriter
from openpyxl import load_workbook
from openpyxl.styles import PatternFill

from addin.batch import run as run_module
from addin.batch.cutrows import (
    _Cells,
    _row_parsed,
    _row_with_refs,
    _Styles,
    _write_edited_rows,
)
from addin.batch.run import _kept_whole, process_file
from addin.batch.safety import WorkbookRefused, sheet_parts
from addin.batch.stream import (
    KEEP_ROWS,
    RowsBelow,
    _cut,
    _pieces,
    open_cut,
)
from addin.batch.zipcopy import ZipSource, ZipWriter
from addin.demo_data import demo_rows

TODAY = dt.date(2026, 11, 20)


def register_sheet(book: xlsxwriter.Workbook, headers: list, body: list, date_format: str):
    """The Complaints sheet with the demo rows, dates typed as dates in ``date_format``."""
    ws = book.add_worksheet("Complaints")
    stamp = book.add_format({"num_format": date_format})
    ws.write_row(0, 0, headers)
    for r, row in enumerate(body, 1):
        for c, value in enumerate(row):
            if isinstance(value, dt.datetime):
                ws.write_datetime(r, c, value, stamp)
            elif value is not None:
                ws.write(r, c, value)
    return ws


def excel_style_book(path: Path, rows: int = 80, extra_sheet: bool = True) -> Path:
    """A register as Excel saves one: shared strings, a dimension, staff formatting below the top
    rows, a date column typed as dates, and a big sheet of the office's own."""
    headers, body = demo_rows(rows, 6, TODAY, "en")
    book = xlsxwriter.Workbook(str(path))
    yellow = book.add_format({"bg_color": "#FFFF00"})
    ws = register_sheet(book, headers, body, "yyyy-mm-dd hh:mm")
    ws.write(KEEP_ROWS + 15, len(headers) + 30, "staff note", yellow)  # far right of the table
    ws.set_row(KEEP_ROWS + 20, 30)  # a taller row
    if extra_sheet:
        own = book.add_worksheet("Our figures")
        for r in range(60):
            own.write_row(r, 0, [f"item {r}", r * 1.5, "same text"])
    book.close()
    return path


def snapshot(path: Path) -> dict:
    """Every cell's value and look, per sheet; the time stamps of the Log and the Case log
    left out."""
    wb = load_workbook(path)
    seen = {}
    for ws in wb.worksheets:
        for (row, col), cell in ws._cells.items():
            if (ws.title, col) in (("Log", 1), ("Case log", 2)) and row > 1:
                continue
            look = (cell.value, cell.number_format, cell.data_type, cell.fill.fgColor.rgb,
                    cell.font.b, cell.font.color.rgb if cell.font.color else None)
            if cell.value is not None or cell.has_style:
                seen[(ws.title, row, col)] = look
        seen[(ws.title, "height")] = {r: d.height for r, d in ws.row_dimensions.items()
                                     if d.height}
    return seen


def run_both(source: Path, tmp_path: Path, monkeypatch) -> tuple[Path, Path]:
    cut, whole = tmp_path / "cut.xlsx", tmp_path / "whole.xlsx"
    shutil.copy(source, cut)
    shutil.copy(source, whole)
    process_file(cut, today=TODAY, user="test")
    with monkeypatch.context() as patch:
        patch.setattr(run_module, "open_cut", lambda *args, **kwargs: None)
        process_file(whole, today=TODAY, user="test")
    return cut, whole


def test_a_cut_run_leaves_what_a_whole_run_leaves(tmp_path, monkeypatch):
    source = excel_style_book(tmp_path / "source.xlsx")
    assert open_cut(source, False, _kept_whole) is not None  # the run below does cut
    cut, whole = run_both(source, tmp_path, monkeypatch)
    assert snapshot(cut) == snapshot(whole)
    assert load_workbook(cut)["Complaints"]["A60"].value  # numbers were written below the top
    again = process_file(cut, today=TODAY, user="test")
    assert not again.changed


def test_copied_rows_keep_their_text_formats_and_shared_strings(tmp_path, monkeypatch):
    source = excel_style_book(tmp_path / "source.xlsx")
    cut, _ = run_both(source, tmp_path, monkeypatch)
    with zipfile.ZipFile(cut) as archive:
        names = archive.namelist()
        assert "xl/sharedStrings.xml" in names
        types = archive.read("[Content_Types].xml").decode()
        assert "/xl/sharedStrings.xml" in types
        assert "sharedStrings.xml" in archive.read("xl/_rels/workbook.xml.rels").decode()
    wb = load_workbook(cut)
    note = wb["Complaints"].cell(KEEP_ROWS + 16, 31 + len(demo_rows(1, 6, TODAY, "en")[0]))
    assert note.value == "staff note" and note.fill.fgColor.rgb.endswith("FFFF00")
    assert wb["Complaints"].row_dimensions[KEEP_ROWS + 21].height == 30
    own = wb["Our figures"]
    assert [c.value for c in own[60]] == ["item 59", 88.5, "same text"]
    assert own.max_row == 60


def with_excel_2010_rows(path: Path) -> Path:
    """The register's rows as Excel 2010 and later write them: with x14ac:dyDescent, a prefix
    the sheet's root declares."""
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    xml = parts["xl/worksheets/sheet1.xml"]
    xml = xml.replace(b"<worksheet ", b'<worksheet xmlns:mc="http://schemas.openxmlformats.org/'
                      b'markup-compatibility/2006" xmlns:x14ac="http://schemas.microsoft.com/'
                      b'office/spreadsheetml/2009/9/ac" mc:Ignorable="x14ac" ', 1)
    parts["xl/worksheets/sheet1.xml"] = xml.replace(b"<row ", b'<row x14ac:dyDescent="0.25" ')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def test_prefixes_the_copied_rows_use_stay_declared(tmp_path):
    source = with_excel_2010_rows(excel_style_book(tmp_path / "source.xlsx", extra_sheet=False))
    assert open_cut(source, False, _kept_whole) is not None
    process_file(source, today=TODAY, user="test")
    with zipfile.ZipFile(source) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml")
    root = ElementTree.fromstring(xml)  # unreadable XML if a prefix were left undeclared
    rows = root.find("{http://schemas.openxmlformats.org/spreadsheetml/2006/main}sheetData")
    below = [row for row in rows if int(row.get("r")) > KEEP_ROWS]
    assert below and all(
        row.get("{http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac}dyDescent")
        == "0.25" for row in below)
    assert b'mc:Ignorable="x14ac"' in xml[:xml.index(b"<sheetData")]
    assert load_workbook(source)["Complaints"]["A70"].value


def test_a_sheet_with_links_below_the_top_is_loaded_whole(tmp_path, monkeypatch):
    """openpyxl makes cells for hyperlinks, so such a sheet cannot be cut; the run still works and
    keeps the link."""
    source = excel_style_book(tmp_path / "source.xlsx", extra_sheet=False)
    wb = load_workbook(source)
    wb["Complaints"]["CZ40"].hyperlink = "https://example.com/case"
    wb.save(source)
    assert open_cut(source, False, _kept_whole) is None
    report = process_file(source, today=TODAY, user="test")
    assert report.changed
    assert load_workbook(source)["Complaints"]["CZ40"].hyperlink.target == \
        "https://example.com/case"


def test_settings_and_rebuilt_sheets_are_never_cut(tmp_path):
    book = xlsxwriter.Workbook(str(tmp_path / "big.xlsx"))
    headers, body = demo_rows(40, 6, TODAY, "en")
    ws = book.add_worksheet("Complaints")
    ws.write_row(0, 0, headers)
    lists = book.add_worksheet("Lists")
    for r in range(50):
        lists.write_row(r, 0, [f"choice {r}"])
    book.close()
    cut = open_cut(tmp_path / "big.xlsx", False, _kept_whole)
    assert cut is None or "Lists" not in cut.sheets


@pytest.mark.parametrize("xml", [
    b'<worksheet><sheetData><row><c r="A1"/></row><row r="30"/></sheetData></worksheet>',
    b'<worksheet><sheetData><row r="40"/><row r="30"/></sheetData></worksheet>',
    b'<x:worksheet><x:sheetData><x:row r="40"/></x:sheetData></x:worksheet>',
    b'<worksheet><sheetData><row r="40"><c r="A40" vm="1"><v>1</v></c></row></sheetData>'
    b"</worksheet>",
    b'<worksheet><sheetData><row r="3"><c r="A3"/></row></sheetData></worksheet>',
    b"<worksheet><sheetData/></worksheet>",
    b'<worksheet><sheetData><row r="2"><c r="B2"><f t="shared" ref="B2:B40" si="0">A2*2</f>'
    b'</c></row><row r="40"><c r="B40"><f t="shared" si="0"/></c></row></sheetData>'
    b"</worksheet>",
])
def test_sheets_that_cannot_or_need_not_be_cut(xml):
    """Rows without numbers or out of order, prefixed XML, cells pointing at metadata openpyxl
    drops, sheets with nothing below the top, and formulas shared with the top rows (openpyxl
    rewrites those) are all loaded whole."""
    assert _cut(io.BytesIO(xml)) is None


def test_a_plain_sheet_is_cut_after_its_top_rows():
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (n, n, n)
                    for n in range(1, 41))
    xml = b'<worksheet><dimension ref="A1:C40"/><sheetData>' + rows + b"</sheetData></worksheet>"
    kept, last_row, last_col, last_filled = _cut(io.BytesIO(xml))
    assert (last_row, last_col, last_filled) == (40, 3, 40)
    assert b'r="%d"' % KEEP_ROWS in kept and b'r="%d"' % (KEEP_ROWS + 1) not in kept
    assert kept.endswith(b"</sheetData></worksheet>")


def test_formulas_shared_below_the_top_only_do_not_stop_a_cut():
    xml = (b'<worksheet><sheetData><row r="2"><c r="B2"><f t="shared" ref="B2:B3" si="0">A2</f>'
           b'</c></row><row r="3"><c r="B3"><f t="shared" si="0"/></c></row>'
           b'<row r="40"><c r="B40"><f t="shared" ref="B40:B41" si="1">A40</f></c></row>'
           b'<row r="41"><c r="B41"><f t="shared" si="1"/></c></row></sheetData></worksheet>')
    assert _cut(io.BytesIO(xml)) is not None


def test_new_values_go_into_their_rows_in_column_order(tmp_path):
    """Values replace cells, join rows between existing cells, and rows the file lacks are
    added in order; text is escaped and stays text."""
    wb = load_workbook(excel_style_book(tmp_path / "s.xlsx", rows=5, extra_sheet=False))
    ws = wb["Complaints"]
    ws["A1"].fill = PatternFill("solid", start_color="FF00FF00")
    src = (b"<worksheet><sheetData>"
           b'<row r="30" spans="1:3"><c r="A30"><v>1</v></c><c r="C30" s="0"><v>3</v></c></row>'
           b'<row r="35"><c r="B35" t="s"><v>0</v></c></row>'
           b"</sheetData></worksheet>")
    below = RowsBelow("Complaints")
    below.put(30, 2, "<b> & =SUM(A1)", None)
    below.put(30, 3, 4.5, None)
    below.put(32, 1, dt.datetime(2026, 3, 1), "yyyy-mm-dd")
    below.put(40, 5, None, None)
    out = io.BytesIO()
    _write_edited_rows(_pieces(io.BytesIO(src)), out, below, _Styles(ws))
    xml = out.getvalue()
    assert xml.index(b'r="30"') < xml.index(b'r="32"') < xml.index(b'r="35"') < xml.index(
        b'r="40"')
    row30 = xml[:xml.index(b"</row>")]
    assert b"spans" not in row30
    assert row30.index(b'r="A30"') < row30.index(b'r="B30"') < row30.index(b'r="C30"')
    assert b"&lt;b&gt; &amp; =SUM(A1)" in row30 and b't="inlineStr"' in row30
    assert b"<v>4.5</v>" in row30 and b"<v>3</v>" not in row30
    assert b'<c r="A32" s="' in xml  # a date gets a date format
    assert b"<v>46082</v>" in xml
    assert b'<c r="B35" t="s"><v>0</v></c>' in xml  # untouched rows are copied as they were


def test_whole_columns_give_what_cell_by_cell_puts_give():
    """A run's values given a column at a time (out of column order, over rows already given
    cell by cell or whole) are the cells the same puts one by one give; rows written in the
    same columns share one tuple of columns."""
    one, many = RowsBelow("Complaints"), RowsBelow("Complaints")
    for below in (one, many):
        below.put(40, 2, "typed", None)
        below.put_row(41, ("a", None, "c"), (None, None, "@"))
    columns = [(5, [30, 31, 33, 40, 41], ["e30", None, "e33", "e40", 4.5], None),
               (3, [30, 32, 33], [dt.datetime(2026, 3, 1), 2, 3], "yyyy-mm-dd"),
               (5, [31], ["again"], None)]
    for col, rows, values, number_format in columns:
        for row, value in zip(rows, values, strict=True):
            one.put(row, col, value, number_format)
    many.put_columns(columns)
    assert one.numbers() == many.numbers() == [30, 31, 32, 33, 40, 41]
    assert [one.row(r) for r in one.numbers()] == [many.row(r) for r in many.numbers()]
    assert one.extent() == many.extent() == (41, 5)
    assert many.spread[30][0] is many.spread[33][0]


@pytest.mark.parametrize("row", [2, KEEP_ROWS + 15])  # in the kept top rows, and below them
@pytest.mark.parametrize("cut", [True, False])
def test_new_columns_never_go_over_what_staff_typed_beside_the_table(tmp_path, monkeypatch,
                                                                     row, cut):
    source = excel_style_book(tmp_path / "source.xlsx", extra_sheet=False)
    wb = load_workbook(source)
    ws = wb["Complaints"]
    width = len(demo_rows(1, 6, TODAY, "en")[0])  # the table's columns
    ws.cell(row, width + 2, "call back Friday")
    wb.save(source)
    before = source.read_bytes()
    if not cut:
        monkeypatch.setattr(run_module, "open_cut", lambda *args, **kwargs: None)
    with pytest.raises(WorkbookRefused) as refused:
        process_file(source, today=TODAY, user="test")
    assert f"Complaints!{ws.cell(row, width + 2).column_letter}{row}" in str(refused.value)
    assert "call back Friday" in str(refused.value)
    assert source.read_bytes() == before


LONG_TEXT = "投诉内容很长。" * 4000  # 28,000 characters, under Excel's limit for a cell
_MARK = re.compile(rb'<c r="([A-Z]+)(\d+)"( s="\d+")?><v>(7777\d\d)</v></c>')


def tricky_book(path: Path) -> Path:
    """A register whose rows below the cut hold what trips readers up, in a column the core
    checks (Satisfaction, Received) and in one it only carries (Notes): formulas, a formula's
    error, rich text, booleans, very long text, numbers with and without a date style, and (put
    into the XML by hand, as no writer here makes them) inline strings and shared formulas."""
    headers, body = demo_rows(80, 6, TODAY, "en")
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    ws = register_sheet(book, headers, body, "yyyy-mm-dd")
    bold, date = book.add_format({"bold": True}), book.add_format({"num_format": "yyyy-mm-dd"})
    received, scored, notes = (headers.index(h) for h in ("Received", "Satisfaction", "Notes"))
    for col in (scored, notes):
        ws.write_formula(30, col, "=LEN(A31)", None, 9)
        ws.write_formula(31, col, "=1/0", None, "#DIV/0!")
        ws.write_rich_string(32, col, "plain ", bold, "bold", " tail")
        ws.write_boolean(33, col, True)
        ws.write_string(34, col, LONG_TEXT)
        ws.write_number(35, col, 4.0)
        for r, mark in zip(range(36, 40), range(777701, 777705), strict=True):
            ws.write_number(r, col, mark)  # replaced below
    ws.write_number(40, received, 46000)  # a date serial without a date style
    ws.write_number(41, received, 46000.5, date)
    ws.write_string(42, received, "2026-13-45")
    book.close()
    return _hand_written_cells(path)


def _hand_written_cells(path: Path) -> Path:
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}

    def cell(found: re.Match) -> bytes:
        col, row, style, mark = found.groups()
        ref, style = col + row, style or b""
        if mark == b"777701":
            return b'<c r="%s"%s t="inlineStr"><is><t xml:space="preserve"> inline </t></is></c>' \
                % (ref, style)
        if mark == b"777702":
            return b'<c r="%s"%s><f t="shared" ref="%s%s:%s%d" si="%d">A%s*2</f><v>2</v></c>' % (
                ref, style, col, row, col, int(row) + 2, col[-1], row)
        return b'<c r="%s"%s><f t="shared" si="%d"/><v>4</v></c>' % (ref, style, col[-1])

    xml = parts["xl/worksheets/sheet1.xml"]
    parts["xl/worksheets/sheet1.xml"], count = _MARK.subn(cell, xml)
    assert count == 8
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def test_tricky_cells_below_the_cut_give_what_a_whole_load_gives(tmp_path, monkeypatch):
    source = tricky_book(tmp_path / "source.xlsx")
    assert open_cut(source, False, _kept_whole) is not None
    cut, whole = run_both(source, tmp_path, monkeypatch)
    assert snapshot(cut) == snapshot(whole)
    ws = load_workbook(cut)["Complaints"]
    notes_col = next(c.column for c in ws[1] if c.value == "Notes")
    notes = [ws.cell(row, notes_col).value for row in range(31, 41)]
    assert notes == ["=LEN(A31)", "=1/0", "plain bold tail", True, LONG_TEXT, 4, " inline ",
                     "=A38*2", "=A39*2", "=A40*2"]
    findings = [row[3] for row in load_workbook(cut)["Findings"].iter_rows(values_only=True)]
    assert any("Satisfaction" in str(text) for text in findings)  # the core saw those values
    assert not process_file(cut, today=TODAY, user="test").changed


def test_parts_the_run_did_not_change_are_copied_as_stored(tmp_path, monkeypatch):
    """Only the cut sheets (their rows put back), the case log's two sheets (their rows written
    as XML) and the two entries naming the carried shared strings are compressed anew;
    openpyxl's other parts and the original's shared strings keep the bytes they were stored
    with."""
    source = excel_style_book(tmp_path / "source.xlsx")
    written = []
    real = ZipWriter.write
    monkeypatch.setattr(ZipWriter, "write", lambda self, name, data, date_time=None: (
        written.append(name), real(self, name, data, date_time))[1])
    out = tmp_path / "out.xlsx"
    process_file(source, today=TODAY, user="test", output=out)
    with zipfile.ZipFile(out) as archive:
        parts = sheet_parts(archive)
    logged = sorted(parts[title] for title in parts if title in ("Case log", "Case state"))
    assert len(logged) == 2
    assert sorted(written) == sorted(["[Content_Types].xml", "xl/_rels/workbook.xml.rels",
                                      "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml",
                                      *logged])
    with ZipSource(source) as before, ZipSource(out) as after:
        old = next(i for i in before.entries if i.filename == "xl/sharedStrings.xml")
        new = next(i for i in after.entries if "sharedStrings" in i.filename)
        assert b"".join(before.stored(old)) == b"".join(after.stored(new))
        assert (old.CRC, old.compress_size) == (new.CRC, new.compress_size)
    assert snapshot(out)[("Complaints", 60, 1)][0]  # a case number written below the top


@pytest.mark.parametrize("inner", [
    b"",
    b'<c r="A30"><v>1</v></c><c r="C30" s="0"><v>3</v></c>',
    b'<c r="A30" s="2"/><c r="B30" t="s"><v>0</v></c><c r="E30" s="1"><v>45000</v></c>',
    b'<c r="B30" t="inlineStr"><is><r><rPr><color rgb="FF0000"/></rPr><t>red</t></r></is></c>'
    b'<c r="D30"><f>A30*2</f><v>2</v></c>\n  <c r="AA30"><v>9</v></c>',
    b'<c r="A30"/><c r="Z30"><v>1</v></c>',
    # the format number after the type, or after another blank than a space
    b'<c r="A30" t="n" s="2"><v>1</v></c><c r="C30"\ts="1"/><c r="AA30" t="s" s="x"><v>0</v></c>',
    # an attribute whose name ends in s before the format number
    b'<c r="A30" xs="5" s="2"><v>1</v></c><c r="C30" ms="1"/><c r="E30" s="3" t="s"><v>0</v></c>',
])
def test_cells_found_by_reference_give_what_parsing_every_cell_gives(tmp_path, inner):
    wb = load_workbook(excel_style_book(tmp_path / "s.xlsx", rows=5, extra_sheet=False))
    writer = _Cells(_Styles(wb["Complaints"]))
    cells = [(1, "TS-1", None), (3, dt.datetime(2026, 3, 1), "yyyy-mm-dd"), (5, None, None),
             (27, "<&>", None), (40, 7, None)]
    fast = _row_with_refs(b'<row r="30">', inner, 30, cells, writer)
    parsed = _row_parsed(b'<row r="30">', inner, 30, cells, writer)
    assert re.sub(rb"</c>\s+<c", b"</c><c", fast) == parsed  # the blanks between cells aside
    assert fast.count(b'r="C30"') == 1


def test_a_second_run_appends_to_a_cut_case_log_as_a_whole_run_does(tmp_path, monkeypatch):
    """After a first run the case log's sheets hold a row per case, so the next run cuts them
    like the register: the events it appends and the state it rewrites, written as XML when
    saving, read back as what openpyxl's cells give."""
    source = excel_style_book(tmp_path / "source.xlsx")
    process_file(source, today=TODAY, user="test")
    wb = load_workbook(source)
    ws = wb["Complaints"]
    header = next(row for row in ws.iter_rows(max_row=KEEP_ROWS) if "Status" in
                  [c.value for c in row])
    status = next(c.column for c in header if c.value == "Status")
    row = KEEP_ROWS + 30
    before = ws.cell(row, status).value
    ws.cell(row, status).value = "Reopened" if before == "Closed" else "Closed"  # forwards
    wb.save(source)
    assert {"Case log", "Case state"} <= set(open_cut(source, False, _kept_whole).sheets)
    cut, whole = run_both(source, tmp_path, monkeypatch)
    assert snapshot(cut) == snapshot(whole)
    log = [r for r in load_workbook(cut)["Case log"].iter_rows(values_only=True)]
    appended = log[next(i for i, r in enumerate(log) if r[2] in ("Status", "Reopened")):]
    assert appended[0][3] == before and len(appended) <= 5  # the change, at the end
    assert not process_file(cut, today=TODAY, user="test").changed
