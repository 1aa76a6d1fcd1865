"""Copying a workbook's zip with unchanged parts as their stored bytes.

The copy must be a zip every reader takes (zipfile's own check, openpyxl, LibreOffice) and each
copied part's stored bytes must be the source's, byte for byte. The source entries come in the
forms a workbook meets: deflated, stored, with a data descriptor (written to a stream that cannot
seek back) and with zip64 extras (as the batch door writes big sheets).
"""

from __future__ import annotations

import csv
import io
import shutil
import struct
import subprocess
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from addin.batch.zipcopy import ZipSource, ZipWriter, copy_archive

SHEET = "xl/worksheets/sheet1.xml"


def _workbook(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Complaints"
    for row in [["Case No", "Customer", "Amount"], ["TS-1", "王芳", 120], ["TS-2", "李雷", 80]]:
        ws.append(row)
    wb.create_sheet("Settings").append(["Deadline days", 5])
    wb.save(path)
    return path


class _NoSeek(io.RawIOBase):
    """A write-only stream that cannot seek, so zipfile puts a data descriptor after each entry."""

    def __init__(self, sink: io.BytesIO) -> None:
        self.sink = sink

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        return self.sink.write(data)


def _rewritten(path: Path, form: str) -> Path:
    """The workbook at ``path`` with its entries stored in the given ``form``."""
    with zipfile.ZipFile(path) as src:
        parts = [(info, src.read(info)) for info in src.infolist()]
    out = path.with_name(f"{form}.xlsx")
    sink = io.BytesIO()
    target = _NoSeek(sink) if form == "descriptor" else sink
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in parts:
            method = zipfile.ZIP_STORED if form == "stored" and info.filename.endswith(".rels") \
                else zipfile.ZIP_DEFLATED
            entry = zipfile.ZipInfo(info.filename, info.date_time)
            entry.compress_type = method
            with archive.open(entry, "w", force_zip64=form == "zip64") as dest:
                dest.write(data)
    out.write_bytes(sink.getvalue())
    return out


def _stored_bytes(path: Path, whole: bool = False) -> dict[str, tuple[int, int, bytes]]:
    """Each entry's method, CRC and stored bytes, read from the local headers independently
    of the module under test. With ``whole``, each local header must say all a reader that
    streams the file needs (CRC and sizes, no data descriptor to look for after the data)."""
    found = {}
    raw = path.read_bytes()
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            at = info.header_offset
            assert raw[at:at + 4] == b"PK\x03\x04"
            name_length, extra_length = struct.unpack("<HH", raw[at + 26:at + 30])
            if whole:
                flags, = struct.unpack("<H", raw[at + 6:at + 8])
                assert not flags & 0x8, info.filename
                assert struct.unpack("<LLL", raw[at + 14:at + 26]) == (
                    info.CRC, info.compress_size, info.file_size), info.filename
            start = at + 30 + name_length + extra_length
            found[info.filename] = (info.compress_type, info.CRC,
                                    raw[start:start + info.compress_size])
    return found


@pytest.fixture(params=["deflated", "stored", "descriptor", "zip64"])
def source(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    return _rewritten(_workbook(tmp_path / "book.xlsx"), request.param)


def _renamed_customer(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        xml = archive.read(SHEET)
    assert "王芳".encode() in xml  # openpyxl writes text inline
    return xml.replace("王芳".encode(), "王芳芳".encode())


def test_copied_parts_keep_their_stored_bytes(source: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    copied = copy_archive(source, target, {SHEET: _renamed_customer(source)})
    before, after = _stored_bytes(source), _stored_bytes(target, whole=True)
    assert SHEET not in copied and set(copied) == set(before) - {SHEET}
    for name in copied:
        assert after[name] == before[name], name
    assert after[SHEET][2] != before[SHEET][2]
    with zipfile.ZipFile(target) as archive:
        assert archive.testzip() is None
        assert [i.filename for i in archive.infolist()] == list(before)


def test_the_copy_opens_in_openpyxl(source: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    chunks = iter([_renamed_customer(source)[:50], _renamed_customer(source)[50:]])
    copy_archive(source, target, {SHEET: chunks, "docProps/custom.xml": None})
    wb = load_workbook(target)
    assert [[c.value for c in row] for row in wb["Complaints"].iter_rows()] == [
        ["Case No", "Customer", "Amount"], ["TS-1", "王芳芳", 120], ["TS-2", "李雷", 80]]
    assert wb["Settings"]["B1"].value == 5


def test_the_copy_opens_in_libreoffice(tmp_path: Path) -> None:
    office = shutil.which("soffice")
    if office is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    source = _rewritten(_workbook(tmp_path / "book.xlsx"), "descriptor")
    target = tmp_path / "copy.xlsx"
    copy_archive(source, target, {SHEET: _renamed_customer(source)})
    # 44,34,76: comma-separated, double-quoted, UTF-8
    subprocess.run([office, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76",
                    "--outdir", str(tmp_path / "csv"), str(target)],
                   check=True, capture_output=True, timeout=180)
    with (tmp_path / "csv" / "copy.csv").open(encoding="utf-8") as f:
        assert list(csv.reader(f)) == [["Case No", "Customer", "Amount"], ["TS-1", "王芳芳", "120"],
                                       ["TS-2", "李雷", "80"]]


def test_names_added_dropped_and_written_twice(tmp_path: Path) -> None:
    source = _workbook(tmp_path / "book.xlsx")
    target = tmp_path / "out.xlsx"
    copy_archive(source, target, {"docProps/app.xml": None, "customXml/说明.xml": b"<note/>"})
    with zipfile.ZipFile(target) as archive:
        names = archive.namelist()
        assert "docProps/app.xml" not in names
        assert names[-1] == "customXml/说明.xml"
        assert archive.read("customXml/说明.xml") == b"<note/>"
    with ZipSource(source) as src, ZipWriter(tmp_path / "renamed.zip") as out:
        out.copy(src, src.entries[0], "xl/sharedStrings2.xml")
    with zipfile.ZipFile(tmp_path / "renamed.zip") as archive, zipfile.ZipFile(source) as src:
        assert archive.read("xl/sharedStrings2.xml") == src.read(src.infolist()[0])
    with ZipSource(source) as src, pytest.raises(ValueError, match="twice"), \
            ZipWriter(tmp_path / "twice.zip") as out:
        out.copy(src, src.entries[0])
        out.write(src.entries[0].filename, b"again")
