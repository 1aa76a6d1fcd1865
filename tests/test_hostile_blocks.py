"""A sheet whose cells span too big a block: calamine, the reports' reader, would allocate the
whole block at once and the process would be aborted, not refused. The package check measures
such sheets first (``addin.package.blocks``); the report refuses the one it is to read, naming
the far cell, and the batch door, which reads cell by cell, is not troubled.

The report runs in a child process here: if the check ever let such a sheet through, the abort
must fail one test, not take the test run down with it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hostile import SHEET, TODAY, good_book, rewrite, typed_cells
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineError, CalamineWorkbook

from addin.batch.run import process_file
from addin.package import limits as package_limits
from addin.package.blocks import MAX_BLOCK_CELLS, BlockMeasure, unusual_tag
from addin.package.limits import check_package

ROOT = Path(__file__).parents[1]
HEAD = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<sheetData>")
TAIL = b"</sheetData></worksheet>"


def report(path: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "addin.cli", "report", str(path), "--month",
                           "2026-03", "--today", TODAY.isoformat(), "--output", str(out),
                           "--no-pdf", "--lang", "en"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)


def value(ref: str | None = None, filled: bool = True) -> str:
    at = f' r="{ref}"' if ref else ""
    return f'<c{at} t="inlineStr"><is><t>x</t></is></c>' if filled else f'<c{at} s="1"/>'


def test_the_report_refuses_a_register_spanning_too_big_a_block_at_its_far_cell(tmp_path):
    def far(wb):
        wb["Complaints"]["XFD1048576"] = "a stray note"
    path = good_book(tmp_path, change=far)
    before = path.read_bytes()
    done = report(path, tmp_path / "out")
    assert done.returncode == 2, done.stderr[-2000:]
    assert "Complaints!XFD1048576 holds something" in done.stderr
    assert "1,048,576 rows by 16,384 columns" in done.stderr and "Ctrl+End" in done.stderr
    assert "Traceback" not in done.stderr and path.read_bytes() == before
    # Where the command checks beside its read, calamine aborts the child that reads: its
    # allocator's words are not shown, only the refusal.
    assert len(done.stderr.strip().splitlines()) == 1 and "alloc" not in done.stderr
    assert not (tmp_path / "out").exists()


def test_the_batch_reads_the_same_workbook_and_the_report_reads_one_far_sheet_it_never_opens(
        tmp_path):
    def far(wb):
        wb.create_sheet("Notes")["XFD1048576"] = "kept"
    path = good_book(tmp_path, change=far)
    assert report(path, tmp_path / "out").returncode == 0
    assert list((tmp_path / "out").glob("card-report-2026-03-en.html"))
    typed = typed_cells(path)
    assert process_file(path, today=TODAY).changed and typed_cells(path) == typed


def test_the_refusal_names_the_sheet_in_both_languages(tmp_path):
    def far(wb):
        wb["Complaints"]["ZZ60000"] = "x"
    path = good_book(tmp_path, change=far)
    wide = check_package(path, blocks=True)
    assert list(wide) == ["Complaints"]
    said = wide["Complaints"].said
    assert "Complaints!ZZ60000" in said.en and "60,000 rows by 702 columns" in said.en
    assert "Complaints!ZZ60000" in said.zh and "工作表 Complaints" in said.zh
    assert check_package(path) == {}  # the batch door does not ask


def test_a_register_of_the_usual_shape_is_read_once(tmp_path, monkeypatch):
    """The exact measure is for sheets of unusual shape only: a processed register of the usual
    shape costs the check one regular expression, not a second pass."""
    monkeypatch.setattr(package_limits, "CHUNK", 97)
    rows = b"".join(f'<row r="{n}">{value(f"A{n}")}{value(f"AZ{n}")}</row>'.encode()
                    for n in (1, 2, 99_999))
    path = rewrite(good_book(tmp_path), {SHEET: HEAD + rows + TAIL})
    reads = []
    real = package_limits._read_part

    def counted(*args, **kwargs):
        reads.append((args[2].filename, kwargs["exact"]))
        return real(*args, **kwargs)
    monkeypatch.setattr(package_limits, "_read_part", counted)
    assert check_package(path, blocks=True) == {}
    assert (SHEET, True) not in reads and (SHEET, False) in reads


UNUSUAL = ['<c s="1" r="A1">', '<c r="BA1">', '<c r="AAA1">', '<c r="A100000">', "<c>",
           '<c t="s">', "<row>", '<row r="100000">', '<row spans="1:2" r="3">',
           '<x:c r="A1">', '<x:row r="1">']


@pytest.mark.parametrize("tag", UNUSUAL)
@pytest.mark.parametrize("chunk", [16, 23, 64])
def test_a_tag_of_unusual_shape_is_found_wherever_the_chunks_cut(tag, chunk):
    xml = HEAD + '<row r="1">{}</row>'.format(value("A1") * 3).encode()
    for at in range(len(HEAD), len(xml) + 1, 5):
        spoiled = xml[:at] + tag.encode() + xml[at:] + TAIL
        assert _unusual_in_chunks(spoiled, chunk), (tag, at)
    assert not _unusual_in_chunks(xml + TAIL, chunk)


def _unusual_in_chunks(xml: bytes, size: int) -> bool:
    """``unusual_tag`` over ``xml`` cut as the package check cuts a part (with its overlap)."""
    tail = b""
    for start in range(0, len(xml), size):
        window = tail + xml[start:start + size]
        if unusual_tag(window, len(tail)):
            return True
        tail = window[-256:]
    return unusual_tag(tail, len(tail), final=True)


def test_cells_without_references_are_placed_and_refused_past_the_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(package_limits, "CHUNK", 50)
    monkeypatch.setattr(package_limits, "MAX_BLOCK_CELLS", 100)
    row = '<row r="2">' + value("A2") + value() * 100 + "</row>"  # reaches column CW
    path = rewrite(good_book(tmp_path), {SHEET: HEAD + row.encode() + TAIL})
    said = check_package(path, blocks=True)["Complaints"].said.en
    assert "Complaints!CW2 holds something" in said and "1 rows by 101 columns" in said
    smaller = rewrite(good_book(tmp_path, name="small.xlsx"),
                      {SHEET: HEAD + row.replace(value() * 100, value() * 98).encode() + TAIL})
    assert check_package(smaller, blocks=True) == {}


# A sheet of a few rows of cells, each cell with or without its reference, filled or not; row
# tags with or without theirs. calamine must place them where the measure does.
cells = st.tuples(st.one_of(st.none(), st.tuples(st.integers(1, 60), st.integers(1, 40))),
                  st.booleans())
rows = st.lists(st.tuples(st.one_of(st.none(), st.integers(1, 40)),
                          st.lists(cells, max_size=5)), min_size=1, max_size=6)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(rows=rows, chunk=st.integers(5, 200))
def test_the_measure_places_cells_where_calamine_does(tmp_path, rows, chunk):
    xml = HEAD + "".join(_row(number, row) for number, row in rows).encode() + TAIL
    path = rewrite(good_book(tmp_path), {SHEET: xml})
    try:
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Complaints")
    except CalamineError:  # calamine refuses some shapes itself (a row tag after a later row)
        return
    measure = BlockMeasure()
    for start in range(0, len(xml), chunk):
        measure.feed(xml[start:start + chunk])
    block = measure.finish()
    if sheet.start is None:
        assert block.cells == 0
    else:
        assert ((block.first_row, block.first_col), (block.last_row, block.last_col)) == \
            (sheet.start, sheet.end)
        assert block.cells == sheet.height * sheet.width


def _row(number: int | None, row: list) -> str:
    at = f' r="{number}"' if number else ""
    return f"<row{at}>" + "".join(value(_name(ref) if ref else None, filled)
                                  for ref, filled in row) + "</row>"


def _name(ref: tuple[int, int]) -> str:
    col, row = ref
    letters = chr(64 + col) if col <= 26 else chr(64 + (col - 1) // 26) + chr(65 + (col - 1) % 26)
    return f"{letters}{row}"


def test_the_limit_holds_the_widest_sheet_of_the_usual_shape():
    assert 52 * 99_999 < MAX_BLOCK_CELLS
