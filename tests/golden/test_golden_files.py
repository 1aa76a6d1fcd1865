"""Every golden file against what the code writes now, part by part; and proof that the
comparison fails, naming the part or section, when one cell or one word changes."""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from .canon import compare, sheet_parts
from .inputs import golden_names

REGENERATE = "python -m tests.golden.regenerate"


@pytest.mark.parametrize("name", golden_names())
def test_the_output_matches_its_golden_file(name, fresh_outputs, golden_files):
    found = compare(golden_files[name], fresh_outputs[name])
    assert not found, (
        "\n\n".join(found) + f"\n\nIf this change is intended, run `{REGENERATE}` and review "
        "the diff before committing (tests/golden/README.md).")


def test_the_doors_write_exactly_the_golden_files(fresh_outputs, golden_files):
    assert list(fresh_outputs) == list(golden_files)
    assert all(path.exists() for path in golden_files.values()), f"run `{REGENERATE}`"


# ----------------------------------------------------------------------------- can it fail?

def rewrite_part(source: Path, target: Path, part: str, edit: Callable[[str], str]) -> Path:
    """A copy of a workbook with one zip part's text edited, every other part as it was."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == part:
                changed = edit(data.decode("utf-8"))
                assert changed != data.decode("utf-8"), f"the edit changed nothing in {part}"
                data = changed.encode("utf-8")
            new.writestr(item, data)
    return target


def sheet_part(path: Path, sheet: str) -> str:
    with zipfile.ZipFile(path) as archive:
        return sheet_parts(archive)[sheet]


def edit_cell(ref: str, old: str, new: str) -> Callable[[str], str]:
    """Replace ``old`` by ``new`` inside cell ``ref`` only."""
    def edit(xml: str) -> str:
        cell = re.search(rf'<c r="{ref}"[^>]*>.*?</c>', xml).group(0)
        return xml.replace(cell, cell.replace(old, new))
    return edit


def test_one_changed_cell_fails_and_the_message_names_the_part_and_cell(golden_files, tmp_path):
    golden = golden_files["register-en.xlsx"]
    part = sheet_part(golden, "Complaints")
    doctored = rewrite_part(golden, tmp_path / golden.name, part, edit_cell("D6", "张三", "张四"))

    [found] = compare(golden, doctored)

    assert found.startswith(f"register-en.xlsx: part '{part}' differs:")
    assert '-      c r="D6" t="inlineStr" / is / t = "张三"' in found
    assert '+      c r="D6" t="inlineStr" / is / t = "张四"' in found
    assert len(found.splitlines()) < 15  # a short diff, not the whole sheet


def test_a_changed_count_on_the_log_fails_though_its_time_and_user_do_not(golden_files,
                                                                          tmp_path):
    """The Log's volatile cells are ignored one by one, not the Log as a whole."""
    golden = golden_files["register-en.xlsx"]
    part = sheet_part(golden, "Log")
    doctored = rewrite_part(golden, tmp_path / golden.name, part,
                            edit_cell("D2", "<v>12</v>", "<v>13</v>"))
    [found] = compare(golden, doctored)
    assert f"part '{part}' differs" in found and '+      c r="D2" t="n" / v = "13"' in found


def test_only_volatile_parts_changed_is_no_difference(golden_files, tmp_path):
    """Save time, run time, user and tool version changed: the comparison still passes."""
    golden = golden_files["register-zh.xlsx"]
    log = sheet_part(golden, "Log")
    step = tmp_path / "step.xlsx"
    rewrite_part(golden, step, "docProps/core.xml",
                 lambda xml: re.sub(r"\d{4}-\d\d-\d\dT[\d:]+Z", "2031-01-01T00:00:00Z", xml))
    doctored = rewrite_part(step, tmp_path / golden.name, log, lambda xml: edit_cell(
        "B2", "golden", "someone else")(edit_cell("A2", "<v>", "<v>1")(xml)))
    assert compare(golden, doctored) == []


def test_a_missing_part_fails_and_is_named(golden_files, tmp_path):
    golden = golden_files["register-en.xlsx"]
    doctored = tmp_path / golden.name
    with zipfile.ZipFile(golden) as old, zipfile.ZipFile(doctored, "w") as new:
        for item in old.infolist():
            if item.filename != "xl/tables/table1.xml":
                new.writestr(item, old.read(item.filename))
    found = compare(golden, doctored)
    assert any(f.startswith("register-en.xlsx: part 'xl/tables/table1.xml': in the golden file, "
                            "missing from the output") for f in found)


@pytest.mark.parametrize(("name", "old", "new", "section"), [
    ("report-2026-03-zh.html", "<td>2026年3月3日</td>", "<td>2026年3月4日</td>", "[overdue]"),
    ("summary-TS-202603-0002.html", "Billed twice", "Billed once", "Complaint"),
    ("summary-TS-202603-0002.md", "Billed twice", "Billed once", "Complaint"),
])
def test_one_changed_word_fails_and_the_message_names_the_section(golden_files, tmp_path, name,
                                                                  old, new, section):
    golden = golden_files[name]
    text = golden.read_text(encoding="utf-8")
    assert old in text
    doctored = tmp_path / name
    doctored.write_text(text.replace(old, new, 1), encoding="utf-8")

    [found] = compare(golden, doctored)

    assert re.match(rf"{re.escape(name)}: section '[^']*{re.escape(section)}' differs:", found)
    assert any(line.startswith("+") and new in line for line in found.splitlines())


def test_the_golden_folder_is_small(golden_files):
    """Golden files are kept in the repository: a few tens of KB in all."""
    assert sum(path.stat().st_size for path in golden_files.values()) < 120_000


def test_regenerate_check_reports_nothing_stale_and_writes_nothing(tmp_path, monkeypatch):
    """``--check`` against a copy of the golden folder: all unchanged, no file touched."""
    import io

    from . import inputs, regenerate

    copy = tmp_path / "files"
    shutil.copytree(inputs.FILES, copy)
    before = {p.name: p.read_bytes() for p in copy.iterdir()}
    monkeypatch.setattr(regenerate, "FILES", copy)
    out = io.StringIO()
    assert regenerate.regenerate(check=True, out=out) == 0
    assert {p.name: p.read_bytes() for p in copy.iterdir()} == before
    assert out.getvalue().count(": unchanged") == len(golden_names())
