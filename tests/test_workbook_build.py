"""The record-card workbook built from the code: the committed file is the builder's output, the
batch door finds and reads everything in it without complaint, and a batch run keeps its VBA,
buttons, dropdowns, conditional formats and defined names."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile
from pathlib import Path

import chinese_calendar
import holidays
import pytest
from oletools.olevba import VBA_Parser
from openpyxl import load_workbook
from xl_standin import StandinBook

from addin.batch.run import process_file
from addin.batch.sheets import find_register, read_counters, read_grids, read_register
from addin.core.calendar import parse_holidays
from addin.core.fields import BY_KEY, field_for_header
from addin.core.findings import CATALOGUE
from addin.core.pipeline import process
from addin.layout.looks import conditional_format_rules, look_colours
from addin.vba.build import BUTTONS
from addin.workbook import DEFAULT_PATH, build_workbook
from addin.workbook.build import sheet_names
from addin.workbook.card import LAYOUT, PICK_CELL
from addin.workbook.examples import EXAMPLE_TODAY
from addin.workbook.texts import BUTTON_HELP, FIELD_HELP, HELP_TITLE, WRITTEN_HELP
from addin.xl.macros import run_button

LANGS = ("zh-CN", "en")
SETTINGS_CODES = {"bad-setting", "bad-deadline", "bad-rule", "bad-rules-sheet", "bad-holiday",
                  "bad-list"}
# docProps/core.xml carries dates Excel rewrites on every save; nothing else is volatile.
_VOLATILE = re.compile(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """Each language built once into a scratch folder (the VBA cache is shared)."""
    root = tmp_path_factory.mktemp("built")
    return {lang: build_workbook(root / f"{lang}.xlsm", lang, cache_dir=root / "cache")
            for lang in LANGS}


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: _VOLATILE.sub(b"", archive.read(name)) for name in archive.namelist()}


# --------------------------------------------------------------------------- the build itself

def test_committed_workbook_is_the_builders_output(built):
    committed, fresh = parts(DEFAULT_PATH), parts(built["zh-CN"])
    differ = sorted(n for n in committed.keys() | fresh.keys() if committed.get(n) != fresh.get(n))
    assert not differ, (f"{DEFAULT_PATH.name} is not what the builder writes now (parts {differ}); "
                        "run `complaint-record build-workbook` and commit the file")


@pytest.mark.parametrize("lang", LANGS)
def test_building_again_gives_the_same_bytes(built, tmp_path, lang):
    again = build_workbook(tmp_path / "again.xlsm", lang, cache_dir=tmp_path / "cache")
    assert again.read_bytes() == built[lang].read_bytes()


def test_the_languages_differ_in_words_only(built):
    zh, en = (load_workbook(built[lang]) for lang in LANGS)
    assert zh.sheetnames[:6] == ["投诉登记", "记录卡", "设置", "列表", "规则", "节假日"]
    assert en.sheetnames[:6] == ["Complaints", "Card", "Settings", "Lists", "Rules", "Holidays"]
    assert [ws.sheet_state for ws in zh] == [ws.sheet_state for ws in en]
    for lang, wb in zip(LANGS, (zh, en), strict=True):
        ws = wb[sheet_names(lang)["complaints"]]
        headers = [c.value for c in ws[2]]
        assert headers == [BY_KEY[field_for_header(h)].header(lang) for h in headers]


@pytest.mark.parametrize("name, lang", [("book.csv", "zh-CN"), ("book.xlsm", "fr")])
def test_build_refuses_what_it_cannot_write(tmp_path, name, lang):
    with pytest.raises(ValueError):
        build_workbook(tmp_path / name, lang)


# --------------------------------------------------------------------------- what the door reads

@pytest.mark.parametrize("lang", LANGS)
def test_door_reads_the_fresh_workbook_without_setting_findings(built, lang):
    wb = load_workbook(built[lang], keep_vba=True)
    loc = find_register(wb)
    assert (loc.sheet, loc.header_row, loc.table.displayName) == (
        sheet_names(lang)["complaints"], 2, "Complaints")
    grids = read_grids(wb)
    assert set(grids) == {"settings", "lists", "rules", "holidays", "actions"}
    outcome = process(read_register(loc), grids, EXAMPLE_TODAY, read_counters(wb))
    assert not [f.code for f in outcome.findings if f.code in SETTINGS_CODES]
    assert outcome.config.settings.language == lang
    assert outcome.new_columns == []
    # The examples hold exactly what the door computes for their day.
    assert {key: len(values) for key, values in outcome.changes.items() if len(values)} == {}
    assert {f.code for f in outcome.findings} == {"bad-email", "repeat-complaint"}
    states = set(outcome.cases["sla_status"].dropna())
    assert states == {"On track", "Due soon", "Overdue", "Closed on time", "Closed late"}


def test_holidays_come_from_the_packages(built):
    wb = load_workbook(built["en"])
    calendar, findings = parse_holidays(read_grids(wb)["holidays"])
    assert findings == []
    official = {d for d in chinese_calendar.holidays if 2025 <= d.year <= 2026}
    made_up = {d for d in chinese_calendar.workdays if 2025 <= d.year <= 2026}
    provisional = set(holidays.China(years=2027))
    assert calendar.holidays == official | provisional
    assert calendar.workdays == made_up and dt.date(2026, 2, 14) in made_up
    rows = list(wb[sheet_names("en")["holidays"]].iter_rows(min_row=2, values_only=True))
    assert {r[0].year for r in rows} == {2025, 2026, 2027}
    assert all(r[3].startswith("provisional") == (r[0].year == 2027) for r in rows)


# --------------------------------------------------------------------------- the register sheet

def _rules_in(ws) -> list[tuple[str, str, str, str | None]]:
    found = []
    for cf in ws.conditional_formatting:
        for rule in cf.rules:
            font = rule.dxf.font.color.rgb[-6:] if rule.dxf.font and rule.dxf.font.color else None
            found.append((str(cf.sqref), rule.formula[0], rule.dxf.fill.bgColor.rgb[-6:], font))
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_conditional_formats_are_the_doors_own(built, lang):
    ws = load_workbook(built[lang])[sheet_names(lang)["complaints"]]
    headers = {field_for_header(c.value): c.value for c in ws[2]}
    columns = {key: i for i, key in enumerate(headers, 1)}
    wanted = conditional_format_rules(columns, headers, 1, len(columns), 3, ws.max_row)
    colours = look_colours()
    assert _rules_in(ws) == [(span, formula, *colours[look]) for span, formula, look in wanted]


@pytest.mark.parametrize("lang", LANGS)
def test_every_column_explains_itself_and_lists_drop_down(built, lang):
    wb = load_workbook(built[lang])
    ws = wb[sheet_names(lang)["complaints"]]
    zh = lang.startswith("zh")
    by_column = {str(dv.sqref).split(":")[0].rstrip("0123456789"): dv
                 for dv in ws.data_validations.dataValidation}
    lists = wb[sheet_names(lang)["lists"]]
    for cell in ws[2]:
        key = field_for_header(cell.value)
        dv = by_column[cell.column_letter]
        assert str(dv.sqref) == f"{cell.column_letter}3:{cell.column_letter}1048576"
        if BY_KEY[key].written:
            assert dv.prompt == WRITTEN_HELP[zh] and dv.promptTitle == HELP_TITLE["written"][zh]
            continue
        assert dv.prompt == FIELD_HELP[key][zh]
        if BY_KEY[key].kind == "list":
            assert (dv.type, dv.formula1, dv.errorStyle) == ("list", f"List_{key}", "warning")
            source = wb.defined_names[f"List_{key}"].attr_text
            letter = re.search(r"!\$([A-Z]+)\$2", source).group(1)
            assert lists[f"{letter}1"].value == BY_KEY[key].header(lang)


@pytest.mark.parametrize("limit, texts", [
    (255, [t for pair in (*FIELD_HELP.values(), WRITTEN_HELP) for t in pair]),
    (32, [t for pair in HELP_TITLE.values() for t in pair]),
])
def test_input_messages_fit_excels_limits(limit, texts):
    assert max(len(t) for t in texts) <= limit


def test_buttons_run_the_workbooks_macros(built):
    with zipfile.ZipFile(built["zh-CN"]) as archive:
        vml = archive.read("xl/drawings/vmlDrawing1.vml").decode()
    assert re.findall(r"<x:FmlaMacro>\[0\]!(\w+)</x:FmlaMacro>", vml) == [
        b.macro for b in BUTTONS]
    assert all(b.caption_zh in vml for b in BUTTONS)


def test_vba_project_holds_a_module_per_sheet_and_the_macros(built):
    wb = load_workbook(built["zh-CN"])
    parser = VBA_Parser(str(built["zh-CN"]))
    try:
        modules = {name.rsplit(".", 1)[0]: code for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()
    code_names = [ws.sheet_properties.codeName for ws in wb]
    assert set(modules) == {"ThisWorkbook", *code_names, "xlwings", "Dictionary",
                            "ComplaintRecord"}
    assert all(f"Sub {b.macro}()" in modules["ComplaintRecord"] for b in BUTTONS)


# --------------------------------------------------------------------------- the other sheets

@pytest.mark.parametrize("lang", LANGS)
def test_card_shows_every_field_of_the_picked_case(built, lang):
    wb = load_workbook(built[lang])
    card, register = wb[sheet_names(lang)["card"]], wb[sheet_names(lang)["complaints"]]
    header_col = {c.value: c.column for c in register[2]}
    picked = card[PICK_CELL].value
    row = next(r for r in range(3, register.max_row + 1) if register.cell(r, 1).value == picked)
    cached = _cached_values(built[lang], card.title)
    shown = {}
    for cells in card.iter_rows():
        for cell in cells:
            found = re.search(r"INDEX\(Complaints\[([^\]]+)\]", str(cell.value))
            if found:
                header = found.group(1)
                shown[field_for_header(header)] = header
                expected = register.cell(row, header_col[header]).value
                assert _same(cached[cell.coordinate], expected), (cell.coordinate, header)
    wanted = {k for entry in LAYOUT if entry[0] in ("pair", "wide") for k in entry[1:]
              if isinstance(k, str)}
    assert set(shown) == wanted and wanted >= set(BY_KEY) - {"source_ref", "case_no",
                                                            "reopened_at", "waiting_since",
                                                            "paused_days"}
    assert card.print_area == f"'{card.title}'!$A$1:$D${card.max_row}"
    assert (card.page_setup.paperSize, card.page_setup.orientation) == (9, "portrait")
    assert card.sheet_properties.pageSetUpPr.fitToPage


def _cached_values(path: Path, sheet: str) -> dict[str, object]:
    ws = load_workbook(path, data_only=True)[sheet]
    return {cell.coordinate: cell.value for cells in ws.iter_rows() for cell in cells}


def _same(shown: object, value: object) -> bool:
    if value is None:
        return shown in (None, "")
    if isinstance(value, dt.datetime):
        return isinstance(shown, dt.datetime) and abs(shown - value) < dt.timedelta(seconds=1)
    return shown == value or str(shown) == str(value)


@pytest.mark.parametrize("lang", LANGS)
def test_help_lists_every_button_and_finding_code(built, lang):
    ws = load_workbook(built[lang])[sheet_names(lang)["help"]]
    text = {str(c.value) for cells in ws.iter_rows() for c in cells if c.value is not None}
    zh = lang.startswith("zh")
    assert {b.macro for b in BUTTONS} <= text
    assert {BUTTON_HELP[b.macro][zh] for b in BUTTONS} <= text
    assert set(CATALOGUE) <= text
    assert {c.title_zh if zh else c.title_en for c in CATALOGUE.values()} <= text


def test_xlwings_conf_names_the_udf_module_and_leaves_python_to_the_user(built):
    ws = load_workbook(built["zh-CN"])["xlwings.conf"]
    assert ws.sheet_state == "hidden"
    keys = {}
    for key, value in ws.iter_rows(min_col=1, max_col=2, values_only=True):
        if key is None:  # xlwings stops at the first empty row, as read here
            break
        keys[key.upper()] = value
    # No interpreter key: an empty one would hide the user's xlwings settings.
    assert keys == {"UDF MODULES": "udfs.complaint_udfs"}
    pytest.importorskip("udfs.complaint_udfs")


# --------------------------------------------------------------------------- the batch door

def _kept(path: Path) -> dict[str, object]:
    """Everything a batch run must keep, read independently of the door's own loss checks."""
    wb = load_workbook(path, keep_vba=True)
    with zipfile.ZipFile(path) as archive:
        vba = archive.read("xl/vbaProject.bin")
        vml = "".join(archive.read(n).decode() for n in archive.namelist() if n.endswith(".vml"))
    complaints = wb.worksheets[0]
    return {
        "vba": vba,
        "buttons": re.findall(r"<x:FmlaMacro>([^<]+)</x:FmlaMacro>", vml),
        "dropdowns": {ws.title: sorted((str(dv.sqref), dv.type, dv.formula1, dv.prompt)
                                       for dv in ws.data_validations.dataValidation)
                      for ws in wb},
        "formats": _rules_in(complaints),
        "names": {name: dn.attr_text for name, dn in wb.defined_names.items()},
        "print": {ws.title: (ws.print_area, ws.print_title_rows) for ws in wb},
        "card": [[c.value for c in row] for row in wb.worksheets[1].iter_rows()],
    }


def test_batch_run_keeps_macros_buttons_dropdowns_formats_and_names(built, tmp_path):
    book = shutil.copy(built["zh-CN"], tmp_path / "ComplaintRecord.xlsm")
    before = _kept(book)
    first = process_file(book, today=EXAMPLE_TODAY + dt.timedelta(days=3), user="test")
    assert first.changed and first.lost == []
    after = _kept(book)
    for part, was in before.items():
        now = after[part]
        if part in ("dropdowns", "print"):  # the run adds sheets of its own (Findings, ...)
            now = {sheet: now[sheet] for sheet in was}
        assert now == was, part
    again = process_file(book, today=EXAMPLE_TODAY + dt.timedelta(days=3), user="test")
    assert not again.changed


# --------------------------------------------------------------------------- the buttons' door

def test_run_all_button_agrees_with_the_examples(built):
    """The live door (through the stand-in for Excel) finds nothing to change in the examples on
    their day, and brings them up to date three days later."""
    book = StandinBook(built["zh-CN"])
    same_day = run_button(book, "run_all", today=EXAMPLE_TODAY,
                          when=dt.datetime(2026, 3, 20, 12))
    assert same_day.ok and same_day.plan.cells_changed == 0
    later = run_button(book, "run_all", today=EXAMPLE_TODAY + dt.timedelta(days=3),
                       when=dt.datetime(2026, 3, 23, 12))
    assert later.ok and later.plan.cells_changed > 0
