"""Hostile workbooks: each is refused with a message naming the file and what to do, in both
languages, before any parser reads it, and the file is left byte for byte as it was."""

from __future__ import annotations

import gc
import sys
import zipfile
import zlib
from pathlib import Path

import pytest
from hostile import (
    SHEET,
    TODAY,
    good_book,
    ole_file,
    part,
    rewrite,
    sheet_with_cells,
    sheet_with_merge,
    typed_cells,
    with_doctype,
)

from addin.batch.run import process_file
from addin.batch.safety import WorkbookRefused
from addin.cli import EXIT_REFUSED, main
from addin.package import limits as package_limits
from reports.read import ReportRefused, read_case_log


def zeros_part(path: Path, size: int, name: str = "xl/media/padding.bin") -> Path:
    return rewrite(path, {}, extra={name: bytes(size)})


def flip_in_sheet(path: Path) -> Path:
    """Damage the sheet's compressed bytes so its checksum fails."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(SHEET)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + info.compress_size // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    return path


def lying_size(path: Path) -> Path:
    """A sheet whose local and central headers declare fewer bytes than it inflates to."""
    xml = part(path, SHEET) + b" " * 5000
    rewrite(path, {SHEET: xml})
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(SHEET)
    real = info.file_size.to_bytes(4, "little")
    small = (info.file_size - 4000).to_bytes(4, "little")
    return _write(path, bytes(data).replace(real, small))


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# (case id, how to build the file, words the refusal must contain)
PACKAGE_CASES = [
    ("not-a-zip", lambda p: _write(p, b"just some text, not a workbook"),
     "cannot be read as a workbook"),
    ("empty-file", lambda p: _write(p, b""), "cannot be read as a workbook"),
    ("truncated", lambda p: _write(p, p.read_bytes()[: len(p.read_bytes()) // 2]),
     "damaged or incomplete"),
    ("truncated-tail", lambda p: _write(p, p.read_bytes()[:-30]), "damaged or incomplete"),
    ("checksum", flip_in_sheet, "damaged or incomplete"),
    ("lying-size", lying_size, "damaged or incomplete"),
    ("bomb-declared", lambda p: zeros_part(p, package_limits.MAX_PART_BYTES + 1),
     "over the limit of 256 MB"),
    ("bomb-ratio", lambda p: zeros_part(p, 4 << 20), "compressed"),
    ("too-many-parts", lambda p: rewrite(p, {}, extra={f"customXml/i{n}.xml": b"<a/>"
                                                    for n in range(package_limits.MAX_PARTS)}),
     "parts"),
    ("doctype-sheet", lambda p: rewrite(p, {SHEET: with_doctype(part(p, SHEET))}),
     "declares XML entities"),
    ("doctype-workbook", lambda p: rewrite(p, {"xl/workbook.xml":
                                               with_doctype(part(p, "xl/workbook.xml"))}),
     "declares XML entities"),
    ("doctype-styles", lambda p: rewrite(p, {"xl/styles.xml":
                                             with_doctype(part(p, "xl/styles.xml"))}),
     "declares XML entities"),
    ("doctype-utf16", lambda p: rewrite(p, {"docProps/app.xml": "<?xml version='1.0' "
                                            "encoding='UTF-16'?><!DOCTYPE a []><a/>"
                                            .encode("utf-16-le")}),
     "declares XML entities"),
    ("doctype-rels", lambda p: rewrite(p, {"_rels/.rels": with_doctype(part(p, "_rels/.rels"))}),
     "declares XML entities"),
    ("encrypted", lambda p: _write(p, ole_file(encrypted=True)), "password-protected"),
    ("legacy-xls", lambda p: _write(p, ole_file(encrypted=False)), "Excel 97-2003"),
    ("too-many-cells", lambda p: rewrite(p, {SHEET: sheet_with_cells(
        package_limits.MAX_CELLS + 1)}, stored=True), "cells"),
    ("merge-everything", lambda p: rewrite(p, {SHEET: sheet_with_merge(
        "A1:XFD1048576", part(p, SHEET))}), "merged ranges"),
]


@pytest.mark.parametrize("build, words", [(b, w) for _, b, w in PACKAGE_CASES],
                         ids=[case for case, _, _ in PACKAGE_CASES])
def test_a_hostile_package_is_refused_and_left_as_it_was(tmp_path, build, words):
    path = build(good_book(tmp_path))
    before = path.read_bytes()
    with pytest.raises(WorkbookRefused) as refused:
        process_file(path, today=TODAY)
    assert path.name in refused.value.message and words in refused.value.message
    assert path.name in refused.value.message_zh and refused.value.message_zh != \
        refused.value.message
    assert path.read_bytes() == before
    assert not (tmp_path / "backups").exists()


@pytest.mark.parametrize("build, words", [(b, w) for _, b, w in PACKAGE_CASES],
                         ids=[case for case, _, _ in PACKAGE_CASES])
def test_the_report_refuses_a_hostile_package_with_the_batchs_words(tmp_path, capsys, build,
                                                                    words):
    """calamine reads no part of a file the batch door would refuse, and says why the same way."""
    path = build(good_book(tmp_path))
    before = path.read_bytes()
    with pytest.raises(WorkbookRefused) as batch:
        process_file(path, today=TODAY)
    out = tmp_path / "reports"
    out.mkdir()
    assert main(["report", str(path), "--month", "2026-03", "--today", TODAY.isoformat(),
                 "--output", str(out), "--no-pdf", "--lang", "en"]) == EXIT_REFUSED
    err = capsys.readouterr().err
    assert words in err and batch.value.message in err and "unexpected" not in err
    assert path.read_bytes() == before and list(out.iterdir()) == []


def test_the_encrypted_message_says_how_to_remove_the_password(tmp_path):
    path = _write(tmp_path / "locked.xlsx", ole_file(encrypted=True))
    with pytest.raises(WorkbookRefused) as refused:
        process_file(path, today=TODAY)
    assert "Encrypt with Password, clear the password" in refused.value.message
    assert "用密码进行加密" in refused.value.message_zh


def test_a_bomb_is_refused_by_the_command_line_with_status_2(tmp_path, capsys):
    path = zeros_part(good_book(tmp_path), 4 << 20)
    before = path.read_bytes()
    assert main(["process", str(path), "--today", TODAY.isoformat()]) == EXIT_REFUSED
    err = capsys.readouterr().err
    assert "card.xlsx is refused" in err and "unexpected" not in err
    assert path.read_bytes() == before


def test_an_inflated_part_is_stopped_at_the_limit_not_read_whole(tmp_path, monkeypatch):
    """The running total stops a part that inflates past the limit, whatever it declares."""
    monkeypatch.setattr(package_limits, "MAX_PART_BYTES", 3 << 20)
    monkeypatch.setattr(package_limits, "MAX_RATIO", 10 ** 9)  # let the declared size pass
    path = rewrite(good_book(tmp_path), {}, extra={"xl/media/big.bin": bytes(2 << 20)})
    with zipfile.ZipFile(path) as archive:
        declared = archive.getinfo("xl/media/big.bin").file_size
    assert declared <= 3 << 20
    monkeypatch.setattr(package_limits, "MAX_PART_BYTES", 1 << 20)
    monkeypatch.setattr(package_limits, "_check_declared", lambda path, info: None)
    with pytest.raises(package_limits.PackageRefused, match="xl/media/big.bin is over"):
        package_limits.check_package(path)


# --------------------------------------------------------------------------- settings sheets

@pytest.mark.parametrize("sheet, cell", [
    ("Settings", "XFD1048576"), ("Settings", "A5001"), ("Settings", "CW1"),
    ("Lists", "A1048576"), ("Rules", "ZZ10"), ("Holidays", "B9000"),
])
def test_a_settings_sheet_reaching_far_is_refused_at_its_cell(tmp_path, sheet, cell):
    def far(wb):
        ws = wb[sheet] if sheet in wb.sheetnames else wb.create_sheet(sheet)
        ws[cell] = "x"
    path = good_book(tmp_path, change=far)
    before = path.read_bytes()
    with pytest.raises(WorkbookRefused) as refused:
        process_file(path, today=TODAY)
    assert f"{sheet}!{cell}" in refused.value.message and "A1:CV5000" in refused.value.message
    assert f"{sheet}!{cell}" in refused.value.message_zh
    assert path.read_bytes() == before


def test_the_report_refuses_a_far_settings_cell_before_calamine_builds_its_grid(tmp_path,
                                                                                 capsys):
    def far(wb):
        wb["Settings"]["XFD1048576"] = "x"
    path = good_book(tmp_path, change=far)
    assert main(["report", str(path), "--month", "2026-03", "--today", TODAY.isoformat(),
                 "--output", str(tmp_path), "--no-pdf", "--lang", "en"]) == EXIT_REFUSED
    err = capsys.readouterr().err
    assert "Settings!XFD1048576" in err and "A1:CV5000" in err


def test_a_far_cell_on_a_sheet_that_is_not_a_settings_sheet_is_fine(tmp_path):
    def far(wb):
        wb.create_sheet("Notes")["XFD1048576"] = "kept"
    path = good_book(tmp_path, change=far)
    typed = typed_cells(path)
    report = process_file(path, today=TODAY)
    assert report.changed and typed_cells(path) == typed


def test_the_live_door_refuses_the_same_far_settings_cell():
    from addin.core.limits import settings_address_finding

    problem = settings_address_finding("Settings", "$A$1:$XFD$1048576")
    assert problem is not None and problem.cell == "Settings!XFD1048576"
    assert settings_address_finding("Settings", "$A$1:$L$180") is None


# --------------------------------------------------------------------------- case-number formats

@pytest.mark.parametrize("case_format, words", [
    ("TS-{seq:100000000}", "sequence of 100,000,000 digits"),
    ("TS-{seq:13}", "sequence of 13 digits"),
    ("X" * 70 + "-{seq:4}", "75 characters long"),
    ("{yyyy}" * 15 + "{seq}", "61 characters long"),
])
def test_a_case_number_format_too_wide_is_refused_at_its_settings_cell(tmp_path, case_format,
                                                                       words):
    def wide(wb):
        wb["Settings"].append(["Case number format", case_format])
    path = good_book(tmp_path, change=wide)
    typed = typed_cells(path)
    report = process_file(path, today=TODAY)
    findings = load_findings(path)
    assert any("Settings!B3" in row[0] and words in row[5] for row in findings)
    assert report.summary.numbered == 2
    assert typed_cells(path) == typed


def load_findings(path: Path) -> list[tuple[str, ...]]:
    from openpyxl import load_workbook
    ws = load_workbook(path)["Findings"]
    return [tuple(str(v) for v in row) for row in ws.iter_rows(min_row=2, values_only=True)]


def test_a_case_number_format_that_reaches_the_core_unchecked_falls_back():
    import pandas as pd

    from addin.core.casenumbers import assign_case_numbers
    current = pd.Series([None, None], index=[2, 3], dtype=object)
    received = pd.Series(pd.to_datetime(["2026-03-01", "2026-03-02"]), index=[2, 3])
    numbers, _ = assign_case_numbers(current, received, pd.Series(True, index=[2, 3]),
                                     "X{seq:100000000}", {})
    assert list(numbers) == ["TS-202603-0001", "TS-202603-0002"]


# --------------------------------------------------------------------------- the row splice

def test_one_huge_row_is_scanned_a_bounded_number_of_times(monkeypatch):
    """Matching again over the growing buffer after every chunk made one big row quadratic."""
    import io

    from addin.batch import stream
    scanned = []
    real = stream._ROW

    class Counting:
        def match(self, buf, pos=0):
            scanned.append(len(buf) - pos)
            return real.match(buf, pos)
    monkeypatch.setattr(stream, "_ROW", Counting())
    monkeypatch.setattr(stream, "CHUNK", 1 << 16)
    big = b'<c r="A2" t="inlineStr"><is><t>' + b"x" * (2 << 20) + b"</t></is></c>"
    xml = (b"<worksheet><sheetData><row r=\"1\"/><row r=\"2\">" + big
           + b"</row><row r=\"3\"/></sheetData></worksheet>")
    pieces = list(stream._pieces(io.BytesIO(xml)))
    assert [n for n, _ in pieces] == [0, 1, 2, 3, -1]
    assert sum(scanned) < 3 * len(xml)


def test_the_zip_part_check_reads_every_part_in_chunks(tmp_path, monkeypatch):
    monkeypatch.setattr(package_limits, "CHUNK", 64)
    path = good_book(tmp_path)
    package_limits.check_package(path)  # a good workbook passes, chunk borders anywhere
    xml = part(path, SHEET)
    assert len(xml) > 64 and zlib.crc32(xml)


# --------------------------------------------------------------------------- the quick scans

def _cells_sheet(count: int, extra: bytes = b"") -> bytes:
    """A sheet of ``count`` cells, with ``extra`` (tags that are not cells) before its data."""
    return sheet_with_cells(count).replace(b"<sheetData>", extra + b"<sheetData>")


def test_a_sheet_over_the_quick_cell_bound_is_counted_exactly(tmp_path, monkeypatch):
    """Tags such as <col> and text such as "a:c" raise the quick bound on a sheet's cells, not
    its cells: a sheet of exactly the limit passes, one cell more is refused with its count."""
    monkeypatch.setattr(package_limits, "CHUNK", 256)
    monkeypatch.setattr(package_limits, "MAX_CELLS", 400)
    noise = b"<cols>" + b'<col min="1" max="1" width="9"/>' * 50 + b"</cols>" + \
        b"<!-- a:c b:c -->" * 20
    good = rewrite(good_book(tmp_path), {SHEET: _cells_sheet(400, noise)})
    reads = []
    real = package_limits._read_part

    def counted(*args, **kwargs):
        reads.append(kwargs["exact"])
        return real(*args, **kwargs)
    monkeypatch.setattr(package_limits, "_read_part", counted)
    package_limits.check_package(good)
    assert reads.count(True) == 1  # the bound passed 400 and the sheet was read again
    bad = rewrite(good_book(tmp_path, name="bad.xlsx"), {SHEET: _cells_sheet(401, noise)})
    with pytest.raises(package_limits.PackageRefused, match="over 401 cells"):
        package_limits.check_package(bad)


def test_cells_named_through_a_prefix_count_in_the_quick_bound(tmp_path, monkeypatch):
    monkeypatch.setattr(package_limits, "CHUNK", 64)
    monkeypatch.setattr(package_limits, "MAX_CELLS", 100)
    xml = (b'<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           b'<x:sheetData><x:row r="1">' + b'<x:c r="A1"/>' * 101
           + b"</x:row></x:sheetData></x:worksheet>")
    path = rewrite(good_book(tmp_path), {SHEET: xml})
    with pytest.raises(package_limits.PackageRefused, match="over 101 cells"):
        package_limits.check_package(path)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("mark", ["<!DOCTYPE a>", '<!ENTITY a "b">'])
def test_an_entity_mark_is_found_at_any_chunk_border(tmp_path, monkeypatch, encoding, mark):
    """The one-byte search for "!" that spares most chunks a look for the marks misses none,
    wherever the chunks cut the part."""
    path = good_book(tmp_path)
    text = part(path, "docProps/app.xml").decode()
    for chunk in (16, 17, 64, 101):
        monkeypatch.setattr(package_limits, "CHUNK", chunk)
        for at in range(0, 120, 7):
            spoiled = rewrite(path, {"docProps/app.xml":
                                     (text[:at] + mark + text[at:]).encode(encoding)})
            with pytest.raises(package_limits.PackageRefused, match="declares XML entities"):
                package_limits.check_package(spoiled)


COMMITTED = Path(__file__).parents[1] / "workbook" / "ComplaintRecord.xlsm"


@pytest.mark.parametrize("name", ["card.xlsx", "card.xlsm"])
def test_a_sheet_that_is_not_well_formed_xml_is_a_damaged_file(tmp_path, capsys, monkeypatch,
                                                                 name):
    """Staff are told the file is damaged and what to do, not that the program has a bug; and
    no zip is left for the collector to fail on in front of them (openpyxl keeps one for the
    macros of an .xlsm)."""
    path = tmp_path / name
    if name.endswith(".xlsm"):
        path.write_bytes(COMMITTED.read_bytes())
    else:
        good_book(tmp_path, name)
    rewrite(path, {SHEET: part(path, SHEET).replace(b"<sheetData>", b"<sheetData><<", 1)})
    before = path.read_bytes()
    unraisable = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    assert main(["process", str(path), "--today", TODAY.isoformat()]) == EXIT_REFUSED
    gc.collect()
    err = capsys.readouterr().err
    assert f"{name} cannot be read as a workbook" in err and "not well-formed" in err
    assert "bug" not in err and "Open it in Excel" in err
    assert unraisable == [] and path.read_bytes() == before


# Sheets that pass the package check but that calamine's parse stops on.
UNPARSABLE = [
    ("cut short", lambda xml: xml[:200]),
    ("not utf-8", lambda xml: xml.replace(b"<sheetData>", b"<sheetData>\xff\xfe", 1)),
    ("bad cell reference", lambda xml: xml.replace(b'r="A1"', b'r="1A"', 1)),
    ("bad number", lambda xml: xml.replace(b"<v>", b"<v>x", 1)),
]


@pytest.mark.parametrize("spoil", [s for _, s in UNPARSABLE], ids=[i for i, _ in UNPARSABLE])
def test_the_report_refuses_a_sheet_calamine_cannot_parse(tmp_path, capsys, spoil):
    """Staff are told the file cannot be read and what to do, not that the program has a bug."""
    path = good_book(tmp_path)
    rewrite(path, {SHEET: spoil(part(path, SHEET))})
    assert main(["report", str(path), "--month", "2026-03", "--today", TODAY.isoformat(),
                 "--output", str(tmp_path), "--no-pdf", "--lang", "en"]) == EXIT_REFUSED
    err = capsys.readouterr().err
    assert f"{path.name}: cannot be read as a workbook" in err and "Open it in Excel" in err
    assert "bug" not in err


def test_a_case_log_calamine_cannot_parse_is_refused_by_its_reader(tmp_path):
    path = good_book(tmp_path, change=lambda wb: wb.create_sheet("Case log").append(["Case"]))
    rewrite(path, {"xl/worksheets/sheet3.xml": part(path, "xl/worksheets/sheet3.xml")[:200]})
    with pytest.raises(ReportRefused) as refused:
        read_case_log(path)
    assert "cannot be read as a workbook" in refused.value.message
