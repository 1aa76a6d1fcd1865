"""Never damage the input: lock files, run locks, feature counts, what openpyxl keeps and drops,
and the atomic save with its backup.

The tests named ``test_openpyxl_...`` pin what openpyxl 3.1.5 does to a workbook on load + save
(docs/openpyxl-losses.md lists them); the others test the door's own safety net.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import re
import socket
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest
import xlsxwriter
from openpyxl import Workbook, load_workbook

from addin.batch.safety import (
    WorkbookRefused,
    check_not_open,
    feature_totals,
    locks,
    losses,
    lost_features,
    missing_parts,
    run_lock,
    save_atomically,
    saving,
    workbook_features,
)

# openpyxl announces each extension it drops; these tests drop them on purpose.
pytestmark = pytest.mark.filterwarnings("ignore:.*is not supported and will be removed")

HAS_PILLOW = importlib.util.find_spec("PIL") is not None
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


# --------------------------------------------------------------------------- building workbooks

def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


@pytest.fixture
def png(tmp_path) -> Path:
    path = tmp_path / "dot.png"
    path.write_bytes(tiny_png())
    return path


@pytest.fixture
def vba_bin(tmp_path) -> Path:
    """Stand-in bytes for a VBA project: openpyxl copies the part without reading it."""
    path = tmp_path / "vbaProject.bin"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + b"stand-in VBA project " * 8)
    return path


def book(path: Path, build, vba: Path | None = None) -> Path:
    """An XlsxWriter workbook with a Complaints sheet holding a few rows, shaped by ``build``."""
    wb = xlsxwriter.Workbook(str(path))
    if vba is not None:
        wb.add_vba_project(str(vba))
    ws = wb.add_worksheet("Complaints")
    lists = wb.add_worksheet("Lists")
    lists.write_column(0, 0, ["Phone", "Email", "Web form"])
    ws.write_row(0, 0, ["Received", "Channel", "Satisfaction"])
    for r in range(1, 6):
        ws.write_row(r, 0, [f"2026-03-0{r}", "Phone", r])
    build(wb, ws)
    wb.close()
    return path


def round_trip(path: Path, keep_vba: bool = True) -> Path:
    out = path.with_name(path.stem + ".rt" + path.suffix)
    load_workbook(path, keep_vba=keep_vba).save(out)
    return out


def inject(path: Path, sheet: str, markup: str, parts: dict[str, str] | None = None,
           rels: list[tuple[str, str, str]] | None = None, before: str = "</worksheet>") -> Path:
    """Add markup to a worksheet, parts to the package and relationships to a part's rels file.

    For features XlsxWriter cannot write (Excel 2010+ extensions, slicers, threaded comments),
    this builds the markup Excel writes, so openpyxl's handling of it can be observed.
    ``rels`` items are (rels file, relationship type URL, target).
    """
    with zipfile.ZipFile(path) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    xml = files[sheet].decode()
    files[sheet] = xml.replace(before, markup + before, 1).encode()
    types = files["[Content_Types].xml"].decode()
    for name, content in (parts or {}).items():
        files[name] = content.encode()
        types = types.replace("</Types>", f'<Override PartName="/{name}" '
                              'ContentType="application/xml"/></Types>')
    files["[Content_Types].xml"] = types.encode()
    for n, (rels_name, kind, target) in enumerate(rels or [], 1):
        text = files.get(rels_name, b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns='
                         b'"http://schemas.openxmlformats.org/package/2006/relationships">'
                         b"</Relationships>").decode()
        files[rels_name] = text.replace(
            "</Relationships>",
            f'<Relationship Id="rIdX{n}" Type="{kind}" Target="{target}"/></Relationships>'
        ).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return path


SHEET1 = "xl/worksheets/sheet1.xml"
SHEET1_RELS = "xl/worksheets/_rels/sheet1.xml.rels"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
REL_2007 = "http://schemas.microsoft.com/office/2007/relationships/"


def changes(before: Path, after: Path) -> dict[str, tuple[int, int]]:
    """Features whose count differs between two files: key -> (before, after)."""
    a, b = workbook_features(before), workbook_features(after)
    return {k: (a.get(k, 0), b.get(k, 0)) for k in sorted(set(a) | set(b))
            if k != "vba_sha256" and a.get(k, 0) != b.get(k, 0)}


# --------------------------------------------------------------------------- open in Excel?

@pytest.fixture
def workbook_file(tmp_path) -> Path:
    path = tmp_path / "ComplaintRecord.xlsm"
    path.write_bytes(b"not read")
    return path


def test_no_lock_file_means_not_open(workbook_file):
    assert check_not_open(workbook_file) is None


@pytest.mark.parametrize("lock_name", [
    "~$ComplaintRecord.xlsm",  # what Excel writes
    "~$mplaintRecord.xlsm",  # first two characters overwritten (Word, long names)
    "~$omplaintRecord.xlsm",  # first character overwritten
    "~$COMPLAINTRECORD.XLSM",  # Windows names do not differ by case
], ids=["excel", "two-dropped", "one-dropped", "other-case"])
def test_excel_owner_file_refuses_the_workbook(workbook_file, lock_name):
    (workbook_file.parent / lock_name).write_bytes(b"\x05Alice")
    with pytest.raises(WorkbookRefused) as refused:
        check_not_open(workbook_file)
    assert str(refused.value) == (
        f"ComplaintRecord.xlsm is open in Excel (lock file {lock_name}). Close it in Excel and "
        "run again; if Excel is not running, delete the lock file.")
    assert refused.value.text("zh-CN") == (
        f"ComplaintRecord.xlsm 正在 Excel 中打开（锁文件 {lock_name}）。"
        "请在 Excel 中关闭后重新运行；如果 Excel 并未运行，请删除该锁文件。")


@pytest.mark.parametrize("lock_name", ["~$Other.xlsx", "~$aintRecord.xlsm", "~$ComplaintRecord"])
def test_owner_files_of_other_workbooks_are_ignored(workbook_file, lock_name):
    (workbook_file.parent / lock_name).write_bytes(b"\x05Alice")
    check_not_open(workbook_file)


def test_shortened_owner_file_belongs_to_the_workbook_it_names_exactly(tmp_path):
    for name in ("ABC.xlsx", "BC.xlsx"):
        (tmp_path / name).write_bytes(b"")
    (tmp_path / "~$BC.xlsx").write_bytes(b"")
    check_not_open(tmp_path / "ABC.xlsx")
    with pytest.raises(WorkbookRefused):
        check_not_open(tmp_path / "BC.xlsx")


def test_libreoffice_lock_file_refuses_the_workbook(workbook_file):
    (workbook_file.parent / ".~lock.ComplaintRecord.xlsm#").write_text("Alice,host,,")
    with pytest.raises(WorkbookRefused) as refused:
        check_not_open(workbook_file)
    assert str(refused.value) == (
        "ComplaintRecord.xlsm is open in LibreOffice (lock file .~lock.ComplaintRecord.xlsm#). "
        "Close it and run again; if LibreOffice is not running, delete the lock file.")


# --------------------------------------------------------------------------- run lock

def lock_of(path: Path) -> Path:
    return path.parent / f".{path.name}.lock"


def write_lock(path: Path, **info) -> None:
    started = dt.datetime.now().astimezone()
    record = {"pid": os.getpid(), "host": socket.gethostname(),
              "started": started.isoformat(timespec="seconds"), "token": "theirs"}
    record.update(info)
    lock_of(path).write_text(json.dumps(record))


@pytest.fixture
def finished_pid() -> int:
    """The pid of a process that has ended."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_run_lock_records_the_run_and_removes_the_lock_on_exit(workbook_file):
    with run_lock(workbook_file) as lock:
        info = json.loads(lock.read_text())
        assert lock == lock_of(workbook_file)
        assert (info["pid"], info["host"]) == (os.getpid(), socket.gethostname())
        assert dt.datetime.fromisoformat(info["started"]).tzinfo is not None
    assert not lock.exists()


def test_run_lock_is_removed_when_the_run_fails(workbook_file):
    with pytest.raises(RuntimeError), run_lock(workbook_file):
        raise RuntimeError("the run failed")
    assert not lock_of(workbook_file).exists()


def test_second_run_is_refused_while_the_first_holds_the_lock(workbook_file):
    with run_lock(workbook_file):
        info = json.loads(lock_of(workbook_file).read_text())
        since = dt.datetime.fromisoformat(info["started"]).strftime("%H:%M")
        with pytest.raises(WorkbookRefused) as refused, run_lock(workbook_file):
            pass
        assert str(refused.value) == (
            f"ComplaintRecord.xlsm is being processed by another run (pid {os.getpid()} since "
            f"{since}). Wait for it to finish.")
        assert lock_of(workbook_file).exists()  # the refused run left the holder's lock alone


def test_lock_of_a_finished_process_is_taken_over(workbook_file, finished_pid):
    write_lock(workbook_file, pid=finished_pid)
    with run_lock(workbook_file) as lock:
        assert json.loads(lock.read_text())["pid"] == os.getpid()
    assert not lock.exists()


def test_lock_older_than_the_limit_is_taken_over_even_from_another_host(workbook_file):
    old = dt.datetime.now().astimezone() - dt.timedelta(hours=3)
    write_lock(workbook_file, host="other-host", started=old.isoformat())
    with run_lock(workbook_file) as lock:
        assert json.loads(lock.read_text())["host"] == socket.gethostname()


def test_recent_lock_from_another_host_is_respected(workbook_file):
    started = dt.datetime.now().astimezone().replace(hour=9, minute=5)
    write_lock(workbook_file, pid=4242, host="other-host", started=started.isoformat())
    with pytest.raises(WorkbookRefused) as refused, run_lock(workbook_file,
                                                             stale_after=dt.timedelta(days=1)):
        pass
    assert str(refused.value) == (
        "ComplaintRecord.xlsm is being processed by another run (pid 4242 on other-host since "
        "09:05). Wait for it to finish.")


@pytest.mark.parametrize("age_minutes, refused", [(0, True), (5, False)])
def test_unreadable_lock_is_respected_only_while_fresh(workbook_file, age_minutes, refused):
    lock_of(workbook_file).write_text("")  # a run that crashed while writing its lock
    stamp = dt.datetime.now().timestamp() - age_minutes * 60
    os.utime(lock_of(workbook_file), (stamp, stamp))
    if refused:
        with pytest.raises(WorkbookRefused), run_lock(workbook_file):
            pass
    else:
        with run_lock(workbook_file):
            pass


def test_taking_over_puts_back_a_lock_renewed_meanwhile(workbook_file, finished_pid):
    # Run A judged the lock stale; before A moved it aside, run B took it over and wrote its own.
    write_lock(workbook_file, pid=finished_pid)
    stale = json.loads(lock_of(workbook_file).read_text())
    write_lock(workbook_file, token="run-b")
    locks._take_over(lock_of(workbook_file), stale)
    assert json.loads(lock_of(workbook_file).read_text())["token"] == "run-b"
    assert [p.name for p in workbook_file.parent.iterdir() if ".stale-" in p.name] == []


def test_run_lock_leaves_a_lock_it_no_longer_owns(workbook_file):
    with run_lock(workbook_file):
        write_lock(workbook_file, token="someone-else")
    assert json.loads(lock_of(workbook_file).read_text())["token"] == "someone-else"


# --------------------------------------------------------------------------- counting features

@pytest.fixture
def rich_book(tmp_path, png, vba_bin) -> Path:
    """A macro workbook with something of nearly everything XlsxWriter can write."""
    def build(wb, ws):
        ws.data_validation("B2:B20", {"validate": "list", "source": "=Lists!$A$1:$A$3"})
        ws.data_validation("C2:C20", {"validate": "integer", "criteria": "between",
                                      "minimum": 1, "maximum": 5})
        ws.conditional_format("C2:C20", {"type": "cell", "criteria": ">", "value": 3,
                                         "format": wb.add_format({"bold": True})})
        ws.conditional_format("C2:C20", {"type": "data_bar", "data_bar_2010": True})
        ws.write_comment("A1", "When the complaint came in")
        ws.insert_button("F2", {"macro": "RunAll", "caption": "Run all"})
        ws.write_url("D2", "https://example.com")
        ws.add_sparkline("E2", {"range": "Complaints!C2:C6"})
        ws.protect()
        ws.insert_image("H2", str(png))
        ws.insert_textbox("H10", "Read me")
        chart = wb.add_chart({"type": "column"})
        chart.add_series({"values": "=Complaints!$C$2:$C$6"})
        ws.insert_chart("J2", chart)
        tab = wb.add_worksheet("Summary")
        tab.add_table("A1:C5", {"columns": [{"header": "a"}, {"header": "b"}, {"header": "c"}]})
        wb.define_name("Channels", "=Lists!$A$1:$A$3")
        wb.define_name("Lists!Local", "=Lists!$B$1")
        wb.set_custom_property("Owner", "QA")
    return book(tmp_path / "rich.xlsm", build, vba_bin)


def test_features_are_counted_per_sheet_and_for_the_workbook(rich_book, vba_bin):
    features = workbook_features(rich_book)
    sha = int(__import__("hashlib").sha256(vba_bin.read_bytes()).hexdigest(), 16)
    assert features == {
        "custom_properties": 1, "vba_project": 1, "vba_sha256": sha, "sheets": 3,
        "Complaints!sheet": 1, "Complaints!drawings": 1, "Complaints!images": 1,
        "Complaints!charts": 1, "Complaints!shapes": 1, "Complaints!buttons": 1,
        "Complaints!comments": 1, "Complaints!sheet_protection": 1,
        "Complaints!conditional_formats": 2, "Complaints!x14_conditional_formats": 1,
        "Complaints!data_validations": 2, "Complaints!hyperlinks": 1,
        "Complaints!drawing_refs": 1, "Complaints!legacy_drawing_refs": 1,
        "Complaints!x14_sparkline_groups": 1,
        "Lists!sheet": 1, "Summary!sheet": 1, "Summary!tables": 1, "Summary!table_refs": 1,
        "defined_names": 2,
    }
    assert feature_totals(features)["charts"] == 1


def test_cell_text_that_looks_like_markup_is_not_counted(tmp_path):
    def build(wb, ws):
        ws.write("D1", '<dataValidation type="list"> <hyperlink ref="A1"/> </sheetData>')
    features = workbook_features(book(tmp_path / "text.xlsx", build))
    assert features == {"sheets": 2, "Complaints!sheet": 1, "Lists!sheet": 1}


@pytest.mark.parametrize("chunk", [64, 1024], ids=["tail-longer-than-kept", "tail-in-kept"])
def test_big_sheets_are_read_in_chunks_with_the_same_counts(rich_book, monkeypatch, chunk):
    whole = workbook_features(rich_book)
    monkeypatch.setattr(losses, "_CHUNK", chunk)  # every sheet now spans several chunks
    assert workbook_features(rich_book) == whole


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path):
    path = tmp_path / "Complaints.xlsx"
    path.write_text("Case No,Received\n")
    with pytest.raises(WorkbookRefused) as refused:
        workbook_features(path)
    assert str(refused.value) == (
        "Complaints.xlsx is not a readable .xlsx/.xlsm workbook (File is not a zip file). "
        "Check the file.")


# --------------------------------------------------------------------------- reporting losses

@pytest.mark.parametrize("before, after, owned, expected", [
    ({"Dash!sheet": 1, "Dash!charts": 2}, {"Dash!sheet": 1}, (), ["Dash: charts 2 → 0"]),
    ({"slicer_caches": 1}, {}, (), ["workbook: slicer caches 1 → 0"]),
    ({"Dash!sheet": 1, "Dash!charts": 2}, {"Dash!sheet": 1, "Dash!charts": 3}, (), []),
    ({"vba_project": 1, "vba_sha256": 1}, {"vba_project": 1, "vba_sha256": 2}, (),
     ["VBA project changed"]),
    ({"vba_project": 1, "vba_sha256": 1}, {}, (), ["workbook: the VBA project (macros) 1 → 0"]),
    ({"sheets": 2, "Log!sheet": 1, "Log!tables": 1, "Log!table_refs": 1}, {"sheets": 1}, (),
     ["sheet Log is missing"]),
    ({"Findings!sheet": 1, "Findings!conditional_formats": 4}, {"Findings!sheet": 1},
     ("findings",), []),
    ({"A!sheet": 1, "A!drawings": 1, "A!drawing_refs": 1, "A!charts": 1}, {"A!sheet": 1}, (),
     ["A: drawing layers 1 → 0", "A: charts 1 → 0"]),
    # Excel's newer form of a button goes, its VML form stays: the button still works.
    ({"A!sheet": 1, "A!buttons": 1, "A!controls": 1, "A!form_controls": 1},
     {"A!sheet": 1, "A!buttons": 1}, (), []),
    ({"A!sheet": 1, "A!buttons": 1, "A!controls": 1, "A!form_controls": 1}, {"A!sheet": 1}, (),
     ["A: macro buttons 1 → 0", "A: buttons and controls (Excel 2010+ form) 1 → 0",
      "A: form control properties (Excel 2010+ form) 1 → 0"]),
], ids=["chart", "slicer-cache", "gain", "vba-changed", "vba-removed", "sheet-missing",
        "owned-sheet", "drawing-implies-ref", "controls-kept-as-vml", "controls-gone"])
def test_lost_features(before, after, owned, expected):
    assert lost_features(before, after, owned) == expected


def test_lost_features_in_chinese():
    before = {"Dash!sheet": 1, "Dash!x14_sparkline_groups": 1, "vba_project": 1, "vba_sha256": 1}
    after = {"Dash!sheet": 1, "vba_project": 1, "vba_sha256": 9}
    assert lost_features(before, after, lang="zh-CN") == ["VBA 项目（宏）已改变",
                                                          "Dash：迷你图 1 → 0"]


# --------------------------------------------------------------------------- what openpyxl keeps

def test_openpyxl_keeps_vba_project_byte_identical_with_keep_vba(rich_book):
    after = round_trip(rich_book, keep_vba=True)
    before_f, after_f = workbook_features(rich_book), workbook_features(after)
    assert after_f["vba_sha256"] == before_f["vba_sha256"]
    assert "VBA project changed" not in lost_features(before_f, after_f)


def test_openpyxl_drops_vba_project_without_keep_vba(rich_book):
    after = round_trip(rich_book, keep_vba=False)
    assert changes(rich_book, after)["vba_project"] == (1, 0)


@pytest.mark.parametrize("feature", [
    "Complaints!charts", "Complaints!comments", "Complaints!buttons",
    "Complaints!data_validations", "Complaints!conditional_formats", "Complaints!hyperlinks",
    "Complaints!sheet_protection", "Summary!tables", "defined_names", "custom_properties",
])
def test_openpyxl_keeps_on_round_trip_with_keep_vba(rich_book, feature):
    assert feature not in changes(rich_book, round_trip(rich_book))


def test_openpyxl_drops_sparklines(rich_book):
    assert changes(rich_book, round_trip(rich_book))["Complaints!x14_sparkline_groups"] == (1, 0)


def test_openpyxl_drops_data_bars_of_excel_2010(rich_book):
    # The plain <dataBar> rule stays; its Excel 2010 extension (solid fill, negative bars) goes.
    lost = changes(rich_book, round_trip(rich_book))
    assert lost["Complaints!x14_conditional_formats"] == (1, 0)
    assert "Complaints!conditional_formats" not in lost


def test_openpyxl_drops_text_boxes_and_shapes(rich_book):
    assert changes(rich_book, round_trip(rich_book))["Complaints!shapes"] == (1, 0)


@pytest.mark.skipif(HAS_PILLOW, reason="openpyxl keeps pictures when Pillow is installed")
def test_openpyxl_drops_pictures_without_pillow(rich_book):
    assert changes(rich_book, round_trip(rich_book))["Complaints!images"] == (1, 0)


@pytest.mark.skipif(not HAS_PILLOW, reason="needs Pillow")
def test_openpyxl_keeps_pictures_with_pillow(rich_book):
    assert "Complaints!images" not in changes(rich_book, round_trip(rich_book))


def test_openpyxl_drops_background_pictures(tmp_path, png):
    path = book(tmp_path / "background.xlsx", lambda wb, ws: ws.set_background(str(png)))
    assert changes(path, round_trip(path)) == {"Complaints!background_pictures": (1, 0)}


def test_openpyxl_drops_pictures_in_headers_and_footers(tmp_path, png):
    def build(wb, ws):
        ws.set_header("&L&G", {"image_left": str(png)})
    path = book(tmp_path / "header.xlsx", build)
    assert changes(path, round_trip(path)) == {"Complaints!header_footer_pictures": (1, 0)}


def test_openpyxl_drops_checkboxes_in_cells(tmp_path):
    path = book(tmp_path / "checkbox.xlsx", lambda wb, ws: ws.insert_checkbox("D2", True))
    assert changes(path, round_trip(path)) == {"cell_checkboxes": (1, 0)}


def test_openpyxl_drops_buttons_without_keep_vba(tmp_path):
    def build(wb, ws):
        ws.insert_button("F2", {"macro": "RunAll", "caption": "Run all"})
        ws.write_comment("A1", "a note")
    path = book(tmp_path / "buttons.xlsx", build)
    assert changes(path, round_trip(path, keep_vba=False)) == {"Complaints!buttons": (1, 0)}


def test_openpyxl_leaves_a_dangling_link_for_the_tenth_vml_drawing(tmp_path, vba_bin):
    # openpyxl copies VML parts matching vmlDrawing\d\.vml: one digit. The tenth sheet's
    # buttons are lost and its sheet still points at the missing part: Excel calls it damaged.
    def build(wb, ws):
        for n in range(2, 11):
            wb.add_worksheet(f"S{n}").insert_button("B2", {"macro": "RunAll", "caption": "Go"})
        ws.insert_button("F2", {"macro": "RunAll", "caption": "Run all"})
    path = book(tmp_path / "ten.xlsm", build, vba_bin)
    after = round_trip(path)
    assert changes(path, after) == {"S10!buttons": (1, 0)}
    with zipfile.ZipFile(after) as archive:
        assert missing_parts(archive) == {"xl/drawings/vmlDrawing10.vml"}


def test_openpyxl_keep_vba_turns_a_workbook_without_macros_into_a_macro_workbook(tmp_path):
    # With keep_vba=True openpyxl always marks the workbook as macro-enabled and links a
    # vbaProject.bin, even when the file had none: Excel will not open that under a .xlsx name.
    path = book(tmp_path / "plain.xlsx", lambda wb, ws: None)
    with zipfile.ZipFile(round_trip(path, keep_vba=True)) as archive:
        types = archive.read("[Content_Types].xml").decode()
        assert "application/vnd.ms-excel.sheet.macroEnabled.main+xml" in types
        assert missing_parts(archive) == {"xl/vbaProject.bin"}
    with zipfile.ZipFile(round_trip(path, keep_vba=False)) as archive:
        assert missing_parts(archive) == set()


X14_VALIDATION = (
    '<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
    'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
    '<x14:dataValidations count="1" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
    '<x14:dataValidation type="list" allowBlank="1" showErrorMessage="1"><x14:formula1>'
    "<xm:f>Lists!$A$1:$A$3</xm:f></x14:formula1><xm:sqref>B2:B20</xm:sqref>"
    "</x14:dataValidation></x14:dataValidations></ext></extLst>")


def test_openpyxl_drops_excel_2010_data_validations(tmp_path):
    path = inject(book(tmp_path / "x14.xlsx", lambda wb, ws: None), SHEET1, X14_VALIDATION)
    assert workbook_features(path)["Complaints!x14_data_validations"] == 1
    assert changes(path, round_trip(path)) == {"Complaints!x14_data_validations": (1, 0)}


CONTROLS = (
    '<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
    '<mc:Choice Requires="x14"><controls><mc:AlternateContent><mc:Choice Requires="x14">'
    '<control shapeId="1025" r:id="rIdX1" name="Button 1"><controlPr defaultSize="0" '
    'print="0" autoFill="0" autoPict="0" macro="[0]!RunAll"/></control></mc:Choice>'
    "</mc:AlternateContent></controls></mc:Choice></mc:AlternateContent>")
CTRL_PROP = ('<formControlPr xmlns="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"'
             ' objectType="Button" lockText="1"/>')


def test_openpyxl_drops_the_newer_form_of_buttons_and_keeps_their_vml(tmp_path, vba_bin):
    # Excel 2010+ saves a button as VML and again as <controls> with a ctrlProp part.
    def build(wb, ws):
        ws.insert_button("F2", {"macro": "RunAll", "caption": "Run all"})
    path = book(tmp_path / "controls.xlsm", build, vba_bin)
    inject(path, SHEET1, CONTROLS, {"xl/ctrlProps/ctrlProp1.xml": CTRL_PROP},
           [(SHEET1_RELS, REL + "ctrlProp", "../ctrlProps/ctrlProp1.xml")])
    before, after = workbook_features(path), workbook_features(round_trip(path))
    assert (before["Complaints!controls"], before["Complaints!form_controls"]) == (1, 1)
    assert "Complaints!controls" not in after and "Complaints!form_controls" not in after
    assert after["Complaints!buttons"] == 1
    assert lost_features(before, after) == []  # the button works from its VML form


def test_openpyxl_drops_slicers(tmp_path):
    path = book(tmp_path / "slicer.xlsx", lambda wb, ws: None)
    inject(path, SHEET1, "", {"xl/slicers/slicer1.xml": "<slicers/>",
                              "xl/slicerCaches/slicerCache1.xml": "<slicerCacheDefinition/>"},
           [(SHEET1_RELS, REL_2007 + "slicer", "../slicers/slicer1.xml"),
            (WORKBOOK_RELS, REL_2007 + "slicerCache", "slicerCaches/slicerCache1.xml")])
    assert changes(path, round_trip(path)) == {"Complaints!slicers": (1, 0),
                                               "slicer_caches": (1, 0)}


def test_openpyxl_drops_threaded_comments(tmp_path):
    path = book(tmp_path / "threads.xlsx", lambda wb, ws: ws.write_comment("A1", "note"))
    inject(path, SHEET1, "", {"xl/threadedComments/threadedComment1.xml": "<ThreadedComments/>"},
           [(SHEET1_RELS, "http://schemas.microsoft.com/office/2017/10/relationships/"
             "threadedComment", "../threadedComments/threadedComment1.xml")])
    assert changes(path, round_trip(path)) == {"Complaints!threaded_comments": (1, 0)}


# --------------------------------------------------------------------------- saving

def simple_wb(value: str = "new") -> Workbook:
    wb = Workbook()
    wb.active.title = "Complaints"
    wb.active["A1"] = value
    return wb


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".tmp" in p.name)


@pytest.fixture
def register_file(tmp_path) -> Path:
    path = tmp_path / "ComplaintRecord.xlsx"
    simple_wb("original").save(path)
    return path


def test_save_writes_a_new_workbook(tmp_path):
    target = tmp_path / "new.xlsx"
    report = save_atomically(simple_wb(), target, tmp_path / "backups", None, allow_loss=False)
    assert (report.target, report.backup, report.lost) == (target, None, [])
    assert load_workbook(target)["Complaints"]["A1"].value == "new"
    assert leftovers(tmp_path) == [] and not (tmp_path / "backups").exists()


def test_save_replaces_the_workbook_and_keeps_a_backup(register_file):
    original = register_file.read_bytes()
    backups = register_file.parent / "backups"
    report = save_atomically(simple_wb(), register_file, backups, register_file, False)
    assert load_workbook(register_file)["Complaints"]["A1"].value == "new"
    assert re.fullmatch(r"ComplaintRecord\.\d{8}-\d{6}\.xlsx", report.backup.name)
    assert report.backup.parent == backups and report.backup.read_bytes() == original
    assert leftovers(register_file.parent) == []


def test_save_keeps_only_the_newest_backups(register_file):
    backups = register_file.parent / "backups"
    backups.mkdir()
    for day in range(1, 13):
        (backups / f"ComplaintRecord.202601{day:02d}-090000.xlsx").write_bytes(b"old")
    (backups / "Other.20260101-090000.xlsx").write_bytes(b"not ours")
    report = save_atomically(simple_wb(), register_file, backups, register_file, False)
    kept = sorted(p.name for p in backups.iterdir() if p.name.startswith("ComplaintRecord."))
    assert len(kept) == 10 and report.backup.name in kept
    assert "ComplaintRecord.20260101-090000.xlsx" not in kept
    assert (backups / "Other.20260101-090000.xlsx").exists()


def test_two_saves_in_one_second_keep_both_backups(register_file, monkeypatch):
    class Frozen(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return cls(2026, 3, 18, 9, 30, 0)
    monkeypatch.setattr(saving.dt, "datetime", Frozen)
    backups = register_file.parent / "backups"
    first = save_atomically(simple_wb(), register_file, backups, register_file, False)
    second = save_atomically(simple_wb(), register_file, backups, register_file, False)
    assert (first.backup.name, second.backup.name) == (
        "ComplaintRecord.20260318-093000.xlsx", "ComplaintRecord.20260318-093000-2.xlsx")


@pytest.fixture
def sparkline_book(tmp_path) -> Path:
    def build(wb, ws):
        ws.add_sparkline("E2", {"range": "Complaints!C2:C6"})
    return book(tmp_path / "Register.xlsx", build)


def test_save_refuses_to_lose_features_and_leaves_the_original(sparkline_book):
    original = sparkline_book.read_bytes()
    wb = load_workbook(sparkline_book)
    with pytest.raises(WorkbookRefused) as refused:
        save_atomically(wb, sparkline_book, sparkline_book.parent / "backups", sparkline_book,
                        allow_loss=False)
    assert str(refused.value) == (
        "Saving Register.xlsx would lose: Complaints: sparklines 1 → 0. Nothing was changed. "
        "Run again with --allow-loss to save anyway.")
    assert refused.value.text("zh-CN") == (
        "保存 Register.xlsx 将丢失：Complaints：迷你图 1 → 0。未做任何改动。如仍要保存，请加上 "
        "--allow-loss 重新运行。")
    assert refused.value.lost == ["Complaints: sparklines 1 → 0"]
    assert sparkline_book.read_bytes() == original
    assert leftovers(sparkline_book.parent) == []
    assert not (sparkline_book.parent / "backups").exists()


def test_save_with_allow_loss_replaces_and_reports_the_loss(sparkline_book):
    original = sparkline_book.read_bytes()
    report = save_atomically(load_workbook(sparkline_book), sparkline_book,
                             sparkline_book.parent / "backups", sparkline_book, allow_loss=True)
    assert report.lost == ["Complaints: sparklines 1 → 0"]
    assert report.backup.read_bytes() == original
    assert "Complaints!x14_sparkline_groups" not in workbook_features(sparkline_book)


def test_losses_on_sheets_the_door_owns_do_not_stop_the_save(sparkline_book):
    report = save_atomically(load_workbook(sparkline_book), sparkline_book, None, sparkline_book,
                             allow_loss=False, owned_sheets=["Complaints"])
    assert report.lost == []


def test_a_damaged_result_is_refused_even_with_allow_loss(tmp_path, vba_bin):
    def build(wb, ws):
        for n in range(2, 11):
            wb.add_worksheet(f"S{n}").insert_button("B2", {"macro": "RunAll", "caption": "Go"})
        ws.insert_button("F2", {"macro": "RunAll", "caption": "Run all"})
    path = book(tmp_path / "Ten.xlsm", build, vba_bin)
    original = path.read_bytes()
    with pytest.raises(WorkbookRefused) as refused:
        save_atomically(load_workbook(path, keep_vba=True), path, None, path, allow_loss=True)
    assert str(refused.value) == (
        "The new version of Ten.xlsm would be damaged (it refers to xl/drawings/vmlDrawing10.vml, "
        "which is not in the file), so it was not saved. The original is unchanged.")
    assert path.read_bytes() == original and leftovers(tmp_path) == []


@pytest.mark.parametrize("name, keep_vba, marked", [
    ("Register.xlsx", True, "a workbook with macros"),
    ("Register.xlsm", False, "a workbook without macros"),
])
def test_a_result_excel_would_not_open_under_its_name_is_refused(tmp_path, vba_bin, name,
                                                                  keep_vba, marked):
    path = book(tmp_path / name, lambda wb, ws: None, vba_bin if name.endswith("m") else None)
    original = path.read_bytes()
    with pytest.raises(WorkbookRefused) as refused:
        save_atomically(load_workbook(path, keep_vba=keep_vba), path, None, path, True)
    assert str(refused.value) == (
        f"The new version of {name} is marked as {marked}, which Excel does not open under a "
        f"{path.suffix} name, so it was not saved. The original is unchanged.")
    assert path.read_bytes() == original and leftovers(tmp_path) == []


def test_parts_nothing_refers_to_are_not_missing_parts(tmp_path):
    # openpyxl leaves the VML of a header picture behind, unreferenced, with a link to a picture
    # it dropped: Excel never looks at it, so the file is not damaged.
    path = book(tmp_path / "orphan.xlsx", lambda wb, ws: None)
    inject(path, SHEET1, "", {"xl/drawings/vmlDrawing9.vml": "<xml/>"},
           [("xl/drawings/_rels/vmlDrawing9.vml.rels", REL + "image", "../media/image9.png")])
    with zipfile.ZipFile(path) as archive:
        assert missing_parts(archive) == set()
    inject(path, SHEET1, "", {}, [(SHEET1_RELS, REL + "vmlDrawing", "../drawings/vmlDrawing9.vml")])
    with zipfile.ZipFile(path) as archive:
        assert missing_parts(archive) == {"xl/media/image9.png"}


class BrokenSave:
    """A workbook whose save writes part of a file and then fails."""

    def save(self, path):
        Path(path).write_bytes(b"PK\x03\x04 half a file")
        raise OSError("disk full")


class GarbageSave:
    def save(self, path):
        Path(path).write_bytes(b"not a zip at all")


def test_a_failing_save_leaves_the_original_and_no_temporary_file(register_file):
    original = register_file.read_bytes()
    with pytest.raises(WorkbookRefused, match="ComplaintRecord.xlsx could not be read or "
                       r"written \(disk full\)"):
        save_atomically(BrokenSave(), register_file, None, register_file, False)
    assert register_file.read_bytes() == original and leftovers(register_file.parent) == []


def test_an_incomplete_result_is_refused(register_file):
    original = register_file.read_bytes()
    with pytest.raises(WorkbookRefused) as refused:
        save_atomically(GarbageSave(), register_file, None, register_file, False)
    assert str(refused.value) == ("The new version of ComplaintRecord.xlsx came out incomplete, "
                                  "so it was not saved. The original is unchanged.")
    assert register_file.read_bytes() == original and leftovers(register_file.parent) == []


def test_a_workbook_in_use_cannot_be_replaced(register_file, monkeypatch):
    original = register_file.read_bytes()

    def in_use(src, dst):
        raise PermissionError(13, "The process cannot access the file")
    monkeypatch.setattr(saving.os, "replace", in_use)
    monkeypatch.setattr(saving.time, "sleep", lambda seconds: None)
    with pytest.raises(WorkbookRefused) as refused:
        save_atomically(simple_wb(), register_file, None, register_file, False)
    assert str(refused.value) == (
        "ComplaintRecord.xlsx is in use by another program (perhaps open in Excel), so it could "
        "not be replaced. Close it and run again; the original is unchanged.")
    assert register_file.read_bytes() == original and leftovers(register_file.parent) == []


def test_a_folder_without_write_permission_is_refused(register_file, monkeypatch):
    def denied(path):
        raise PermissionError(13, "Permission denied")
    wb = simple_wb()
    monkeypatch.setattr(wb, "save", denied)
    with pytest.raises(WorkbookRefused) as refused:
        save_atomically(wb, register_file, None, None, False)
    assert str(refused.value) == (
        "ComplaintRecord.xlsx: you may not use ComplaintRecord.xlsx or its folder "
        f"{register_file.parent} (permission denied). Nothing was changed; check that you may "
        "read and save files there (and that the file is not read-only), then run again.")


def test_save_refuses_a_workbook_open_in_excel(register_file):
    original = register_file.read_bytes()
    (register_file.parent / "~$ComplaintRecord.xlsx").write_bytes(b"\x05Alice")
    with pytest.raises(WorkbookRefused, match="is open in Excel"):
        save_atomically(simple_wb(), register_file, None, register_file, False)
    assert register_file.read_bytes() == original


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_the_new_file_keeps_the_old_files_permissions(register_file):
    register_file.chmod(0o600)
    save_atomically(simple_wb(), register_file, None, register_file, False)
    assert register_file.stat().st_mode & 0o777 == 0o600
