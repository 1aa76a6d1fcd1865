"""A real office suite opens the committed workbook: LibreOffice imports its VBA modules, binds
its buttons to their macros, and recalculates the Card for whichever case is picked.

Skipped when LibreOffice is not installed (.ci/run installs it).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from test_workbook_build import _same  # one notion of 'the card shows this value'

from addin.vba.build import BUTTONS, workbook_modules
from addin.workbook import DEFAULT_PATH
from addin.workbook.build import sheet_names
from addin.workbook.card import PICK_CELL

pytestmark = pytest.mark.office


@pytest.fixture(scope="module")
def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        pytest.skip("LibreOffice is not installed")
    return found


def convert(soffice: str, source: Path, target: str, folder: Path) -> Path:
    """Convert headlessly with a profile of its own (a running LibreOffice is not disturbed)."""
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{folder}/profile",
                    "--convert-to", target, "--outdir", str(folder), str(source)],
                   check=True, capture_output=True, timeout=180)
    return folder / f"{source.stem}.{target}"


def test_libreoffice_imports_the_modules_and_binds_the_buttons(soffice, tmp_path):
    ods = convert(soffice, DEFAULT_PATH, "ods", tmp_path)
    with zipfile.ZipFile(ods) as archive:
        basic = {Path(n).stem for n in archive.namelist()
                 if n.startswith("Basic/VBAProject/") and not n.endswith("script-lb.xml")}
        content = archive.read("content.xml").decode()
    code_names = [ws.sheet_properties.codeName for ws in load_workbook(DEFAULT_PATH)]
    assert basic == {m.name for m in workbook_modules(code_names)}
    bound = re.findall(r"vnd\.sun\.star\.script:VBAProject\.ComplaintRecord\.(\w+)\?", content)
    assert bound == [b.macro for b in BUTTONS]


def test_card_shows_the_picked_case_after_recalculation(soffice, tmp_path):
    """Pick another case than the one the file was saved with, so no cached value can pass."""
    names = sheet_names("zh-CN")
    wb = load_workbook(DEFAULT_PATH, keep_vba=True)
    register = wb[names["complaints"]]
    rows = list(register.iter_rows(min_row=2, values_only=True))
    header, cases = rows[0], [r for r in rows[1:] if r[0]]
    assert wb[names["card"]][PICK_CELL].value == cases[0][0]
    chosen = dict(zip(header, cases[2], strict=True))
    wb[names["card"]][PICK_CELL] = chosen[header[0]]
    edited = tmp_path / "picked.xlsm"
    wb.save(edited)  # openpyxl keeps the formulas and drops every cached value
    card = load_workbook(convert(soffice, edited, "xlsx", tmp_path),
                         data_only=True)[names["card"]]
    labels = {}
    for cells in card.iter_rows(values_only=True):
        for label, value in zip(cells[0::2], cells[1::2], strict=False):
            if label in chosen:
                labels[label] = value
    assert len(labels) >= 25
    for label, value in labels.items():
        assert _same(value, chosen[label]), (label, value, chosen[label])


def test_card_shows_the_picked_cases_latest_events_after_recalculation(soffice, tmp_path):
    """Ten events of the picked case among another case's: the Card lists the last eight, oldest
    first, a moved deadline's dates as text and staff's note as written; nothing of the other."""
    names = sheet_names("zh-CN")
    wb = load_workbook(DEFAULT_PATH, keep_vba=True)
    numbers = [r[0] for r in wb[names["complaints"]].iter_rows(min_row=3, values_only=True)
               if r[0]]
    mine, other = numbers[2], numbers[0]
    log = wb["处理记录"]
    start = dt.datetime(2026, 3, 1, 9)
    events = [(mine, start + dt.timedelta(hours=i), "状态变更", f"from {i}", f"to {i}",
               "ComplaintRecord", None) for i in range(8)]
    events.insert(3, (other, start, "创建", None, other, "ComplaintRecord", None))
    events.append((mine, None, "时限变更", dt.datetime(2026, 3, 10), dt.datetime(2026, 3, 12),
                   "ComplaintRecord", "处理时限"))
    events.append((mine, start + dt.timedelta(days=2), "跟进记录", None, None, "王芳", "电话回访"))
    for event in events:
        log.append(event)
    wb[names["card"]][PICK_CELL] = mine
    edited = tmp_path / "picked.xlsm"
    wb.save(edited)
    card = load_workbook(convert(soffice, edited, "xlsx", tmp_path),
                         data_only=True)[names["card"]]
    rows = [r[:4] for r in card.iter_rows(values_only=True)]
    top = rows.index(("时间", "事件", "操作人", "原值 → 新值，说明")) + 1
    shown = rows[top:top + 8]
    assert [r[1] for r in shown] == ["状态变更"] * 6 + ["时限变更", "跟进记录"]
    assert shown[0] == (start + dt.timedelta(hours=2), "状态变更", "ComplaintRecord",
                        "from 2 → to 2")
    assert shown[6][3] == "2026-03-10 → 2026-03-12；处理时限" and shown[6][0] in (None, "")
    assert shown[7] == (start + dt.timedelta(days=2), "跟进记录", "王芳", "电话回访")
    assert other not in {str(v) for r in shown for v in r}
