"""vbaProject.bin from VBA text: MS-OVBA compression and streams, the MS-CFB container, the cache.

The independent readers are olefile (the compound file, in its strict mode), oletools' olevba
(the VBA project: it finds the modules through the dir stream and decompresses their source)
and, when installed, LibreOffice (imports the modules and binds the buttons of an .xlsm).
"""

from __future__ import annotations

import io
import random
import re
import shutil
import struct
import subprocess
import zipfile
from pathlib import Path

import olefile
import pytest
from oletools.olevba import VBA_Parser

from addin.vba import build, cfb, ovba
from addin.vba.ovba import VbaModule, VbaSourceError

# MS-OVBA 3.2.1-3.2.3: the specification's compression examples, byte for byte.
SPEC_EXAMPLES = {
    "no compression": (
        b"abcdefghijklmnopqrstuv.",
        "01 19 B0 00 61 62 63 64 65 66 67 68 00 69 6A 6B 6C 6D 6E 6F 70 00 71 72 73 74 75 76 2E",
    ),
    "normal compression": (
        b"#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa",
        "01 2F B0 00 23 61 61 61 62 63 64 65 82 66 00 70 61 67 68 69 6A 01 38 08 61 6B 6C 00 20"
        " 6D 6E 6F 70 06 71 02 70 04 00 72 73 74 75 76 10 77 78 79 7A 00 2C",
    ),
    "maximum compression": (b"a" * 73, "01 03 B0 02 61 45 00"),
}

# CMG, DPB and GC as Office wrote them in the xlwings quickstart workbook, with its project id.
OFFICE_PROJECT_ID = "{5CF9CDAB-B77B-4FE4-BD7E-D29900070E1B}"
OFFICE_VALUES = {
    "CMG": ("8D8FA61394EA98EA98EA98EA98", bytes(4)),
    "DPB": ("8D8FA61394EF95EF95EF", b"\x00"),
    "GC": ("8D8FA61394EF95EF9510", b"\xff"),
}

SHEETS = ["Sheet1", "Sheet2", "Sheet3"]


def olevba_modules(data: bytes) -> dict[str, str]:
    """Module name -> source text, as olevba reads them from a vbaProject.bin."""
    parser = VBA_Parser("vbaProject.bin", data=data)
    try:
        return {name.rsplit(".", 1)[0]: code for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


def strict_ole(data: bytes) -> olefile.OleFileIO:
    return olefile.OleFileIO(io.BytesIO(data), raise_defects=olefile.DEFECT_INCORRECT)


def random_vba(rng: random.Random, name: str, lines: int) -> VbaModule:
    """A standard module of constants with random values: text that compresses poorly."""
    body = [f'Public Const K{i:05d} As String = "{rng.randbytes(24).hex()}"' for i in range(lines)]
    return VbaModule(name, "\n".join(body))


# --- compression ------------------------------------------------------------------------------

@pytest.mark.parametrize("example", SPEC_EXAMPLES, ids=str)
def test_compression_gives_the_specification_bytes(example):
    text, hex_bytes = SPEC_EXAMPLES[example]
    assert ovba.compress(text) == bytes.fromhex(hex_bytes)


@pytest.mark.parametrize("example", SPEC_EXAMPLES, ids=str)
def test_decompression_reads_the_specification_bytes(example):
    text, hex_bytes = SPEC_EXAMPLES[example]
    assert ovba.decompress(bytes.fromhex(hex_bytes)) == text


@pytest.mark.parametrize(("position", "bit_count", "maximum_length"), [
    (1, 4, 4098),      # ceil(log2(1)) = 0, but never fewer than 4 offset bits
    (16, 4, 4098),
    (17, 5, 2050),
    (32, 5, 2050),
    (33, 6, 1026),
    (2048, 11, 34),
    (2049, 12, 18),
    (4095, 12, 18),
])
def test_copy_token_bits_grow_with_the_position_in_the_chunk(position, bit_count, maximum_length):
    # maximumLength = (0xFFFF >> bitCount) + 3, not 0xFFFF << bitCount + 3.
    assert ovba.copy_token_help(position) == (bit_count, maximum_length)


@pytest.mark.parametrize("data", [
    b"",
    b"x",
    b"abc" * 1365 + b"a",                      # exactly one chunk of 4096
    b"abc" * 1366,                              # one byte into a second chunk
    b" " * 20_000,                              # runs longer than any copy token
    bytes(range(256)) * 64,                     # repeats at a distance of 256
    b"Sub A()\r\n    x = 1\r\nEnd Sub\r\n" * 900,
], ids=["empty", "one byte", "one chunk", "chunk and a byte", "long run", "distance 256",
        "vba text"])
def test_round_trip_through_the_decompressor(data):
    assert ovba.decompress(ovba.compress(data)) == data


def test_incompressible_chunks_are_stored_raw():
    data = random.Random(7).randbytes(2 * 4096 + 1000)
    container = ovba.compress(data)
    # Two raw chunks (header 0x3FFF: signature 0b011, flag 0, size 4098) then a compressed one.
    assert container[1:3] == b"\xff\x3f"
    assert container[4099:4101] == b"\xff\x3f"
    assert container[8198] & 0xF0 == 0xB0  # the last chunk's header: compressed flag set
    assert ovba.decompress(container) == data


def test_a_short_incompressible_last_chunk_is_padded_as_the_format_requires():
    # A compressed chunk holds at most 4098 bytes and a raw chunk always 4096: the format pads.
    data = random.Random(8).randbytes(4000)
    assert ovba.decompress(ovba.compress(data)) == data + bytes(96)


def test_compressing_the_xlwings_module_round_trips_and_saves_space():
    source = build.xlwings_module().encoded()
    container = ovba.compress(source)
    assert ovba.decompress(container) == source
    assert len(container) < len(source) * 0.6


@pytest.mark.parametrize(("container", "problem"), [
    (b"", "first byte must be 0x01"),
    (b"\x02\x00\xb0", "first byte must be 0x01"),
    (b"\x01\x00\x40a", "bad chunk signature"),
    (b"\x01\x01\xb0\x01\x00\x00", "reaches before its chunk"),
])
def test_malformed_containers_are_refused(container, problem):
    with pytest.raises(ValueError, match=problem):
        ovba.decompress(container)


# --- CMG / DPB / GC obfuscation ------------------------------------------------------------------

@pytest.mark.parametrize("key", OFFICE_VALUES)
def test_decrypts_the_values_office_wrote(key):
    text, expected = OFFICE_VALUES[key]
    assert ovba.decrypt(text) == expected


def test_the_project_key_is_the_byte_sum_of_the_project_id():
    text = ovba.encrypt(OFFICE_PROJECT_ID, bytes(4), seed=0x8D)
    # Seed, Seed ^ version 2, Seed ^ ProjKey: the same three bytes Office wrote for this id.
    assert text[:6] == OFFICE_VALUES["CMG"][0][:6]


@pytest.mark.parametrize("seed", [0x00, 0x02, 0x04, 0x06, 0x8D, 0xFF])
@pytest.mark.parametrize("data", [b"\x00", b"\xff", bytes(4)])
def test_encryption_round_trips_for_every_ignored_length(seed, data):
    text = ovba.encrypt(OFFICE_PROJECT_ID, data, seed=seed)
    assert re.fullmatch(r"[0-9A-F]+", text)
    assert len(text) == 2 * (3 + (seed & 6) // 2 + 4 + len(data))
    assert ovba.decrypt(text) == data


# --- module source -----------------------------------------------------------------------------

DOCUMENT_ATTRIBUTES = (
    'Attribute VB_Name = "ThisWorkbook"\r\n'
    'Attribute VB_Base = "0{00020819-0000-0000-C000-000000000046}"\r\n'
    "Attribute VB_GlobalNameSpace = False\r\n"
    "Attribute VB_Creatable = False\r\n"
    "Attribute VB_PredeclaredId = True\r\n"
    "Attribute VB_Exposed = True\r\n"
    "Attribute VB_TemplateDerived = False\r\n"
    "Attribute VB_Customizable = True\r\n"
)


def test_the_workbook_document_module_carries_the_attributes_excel_writes():
    assert build.document_modules([])[0].text() == DOCUMENT_ATTRIBUTES


def test_sheet_document_modules_extend_the_worksheet_class():
    sheet = build.document_modules(["Sheet7"])[1]
    assert sheet.kind == "document"
    assert sheet.text().splitlines()[:2] == [
        'Attribute VB_Name = "Sheet7"',
        'Attribute VB_Base = "0{00020820-0000-0000-C000-000000000046}"',
    ]


def test_a_class_export_loses_its_header_and_gains_office_attributes():
    exported = ('VERSION 1.0 CLASS\nBEGIN\n  MultiUse = -1  \'True\nEND\n'
                'Attribute VB_Name = "Counter"\nAttribute VB_Exposed = True\n'
                'Attribute VB_Description = "Counts"\nPrivate n As Long\n')
    text = VbaModule("Counter", exported, "class").text()
    assert text == (
        'Attribute VB_Name = "Counter"\r\n'
        'Attribute VB_Base = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"\r\n'
        "Attribute VB_GlobalNameSpace = False\r\n"
        "Attribute VB_Creatable = False\r\n"
        "Attribute VB_PredeclaredId = False\r\n"
        "Attribute VB_Exposed = True\r\n"
        "Attribute VB_TemplateDerived = False\r\n"
        "Attribute VB_Customizable = False\r\n"
        'Attribute VB_Description = "Counts"\r\n'
        "Private n As Long\r\n"
    )


@pytest.mark.parametrize("source", [
    "Sub A()\nEnd Sub\n",
    "Sub A()\r\nEnd Sub\r\n\r\n\r\n",
    'Attribute VB_Name = "Tools"\r\nSub A()\r\nEnd Sub',
], ids=["bare code, LF", "CRLF and trailing blank lines", "exported with its name"])
def test_standard_module_text_is_normalised(source):
    expected = 'Attribute VB_Name = "Tools"\r\nSub A()\r\nEnd Sub\r\n'
    assert VbaModule("Tools", source).text() == expected


def test_chinese_text_in_vba_source_is_refused_with_the_place_and_the_fix():
    module = VbaModule("Labels", 'Sub A()\n    MsgBox "投诉"\nEnd Sub\n')
    with pytest.raises(VbaSourceError) as caught:
        module.encoded()
    assert str(caught.value) == (
        "Module Labels, line 3, column 13: '投' cannot be stored in VBA source (code page 1252);"
        " build the text with ChrW(25237) instead. / 模块 Labels 第 3 行第 13 列：字符 '投' "
        "无法以代码页 1252 保存，请改用 ChrW(25237) 生成该文字。"
    )


@pytest.mark.parametrize("name", ["1Module", "My Module", "Modul-e", "", "M" * 32, "模块"])
def test_module_names_must_be_vba_identifiers(name):
    with pytest.raises(VbaSourceError, match="is not a VBA identifier"):
        VbaModule(name, "").text()


def test_a_source_naming_another_module_is_refused():
    with pytest.raises(VbaSourceError, match='its source says Attribute VB_Name = "Other"'):
        VbaModule("Tools", 'Attribute VB_Name = "Other"\nSub A()\nEnd Sub').text()


def test_module_names_differing_only_in_case_are_refused():
    with pytest.raises(VbaSourceError, match="used twice.*TOOLS"):
        build.build_vba_project([VbaModule("Tools", ""), VbaModule("TOOLS", "")])


# --- the buttons' module and xlwings -----------------------------------------------------------

def test_complaint_record_module_has_one_runpython_procedure_per_button():
    text = build.complaint_record_module().text()
    procedures = re.findall(r"^Sub (\w+)\(\)\r\n    (.*)\r\nEnd Sub\r$", text, re.MULTILINE)
    assert procedures == [(b.macro, f'RunPython "import addin.xl.macros as m; m.{b.function}()"')
                          for b in build.BUTTONS]
    assert [b.macro for b in build.BUTTONS] == [
        "ValidateRecords", "AssignNumbers", "ClassifyComplaints", "DeadlinesAndColours",
        "RunAll", "MonthlyReport", "CaseSummary"]
    build.complaint_record_module().encoded()  # code page 1252 throughout


def test_the_xlwings_module_is_the_installed_one_verbatim():
    import xlwings

    installed = (Path(xlwings.__file__).parent / "xlwings.bas").read_bytes().decode("cp1252")
    module = build.xlwings_module()
    assert module.text() == installed.rstrip("\r\n") + "\r\n"
    assert f"'Version: {xlwings.__version__}\r\n" in module.text()


def test_a_stale_xlwings_module_is_refused(monkeypatch):
    real = build._package_text
    monkeypatch.setattr(build, "_package_text", lambda package, name: real(package, name)
                        .replace("'Version: ", "'Version: 0.0.1-"))
    with pytest.raises(VbaSourceError, match="xlwings.bas states version 0.0.1-0.37.8"):
        build.xlwings_module()


# --- the compound file -------------------------------------------------------------------------

def test_streams_of_every_size_read_back_through_a_strict_reader():
    rng = random.Random(3)
    sizes = [0, 1, 63, 64, 65, 4095, 4096, 4097, 70_000]
    tree = {"VBA": {f"S{size}": rng.randbytes(size) for size in sizes}, "PROJECT": b"p"}
    ole = strict_ole(cfb.write_compound_file(tree))
    for size in sizes:
        assert ole.openstream(f"VBA/S{size}").read() == tree["VBA"][f"S{size}"]
    assert ole.get_type("VBA") == olefile.STGTY_STORAGE


@pytest.mark.slow
def test_files_past_109_fat_sectors_use_difat_sectors():
    # 109 FAT sectors map 109 * 128 * 512 bytes (about 7 MB); beyond that the DIFAT takes over.
    big = random.Random(4).randbytes(8_000_000)
    data = cfb.write_compound_file({"big": big, "small": b"s" * 100})
    fat_sectors, first_difat, difat_sectors = struct.unpack_from("<I", data, 0x2C) + \
        struct.unpack_from("<II", data, 0x44)
    assert fat_sectors > 109 and difat_sectors == 1 and first_difat != cfb.ENDOFCHAIN
    ole = strict_ole(data)
    assert ole.openstream("big").read() == big
    assert ole.openstream("small").read() == b"s" * 100


def test_siblings_form_a_search_tree_in_cfb_name_order():
    names = ["dir", "_VBA_PROJECT", "ThisWorkbook", "Sheet10", "Sheet2", "a", "B", "xlwings"]
    data = cfb.write_compound_file({name: b"." for name in names})
    entries = [data[512 + 512 * sector + 128 * i: 512 + 512 * sector + 128 * (i + 1)]
               for sector in range(struct.unpack_from("<I", data, 0x30)[0], 10) for i in range(4)]
    entries = entries[:len(names) + 1]

    def name_of(entry: bytes) -> str:
        length = struct.unpack_from("<H", entry, 64)[0]
        return entry[:length - 2].decode("utf-16-le")

    def in_order(sid: int) -> list[str]:
        if sid == cfb.NOSTREAM:
            return []
        left, right = struct.unpack_from("<II", entries[sid], 68)
        return in_order(left) + [name_of(entries[sid])] + in_order(right)

    root_child = struct.unpack_from("<I", entries[0], 76)[0]
    assert in_order(root_child) == ["a", "B", "dir", "Sheet2", "Sheet10", "xlwings",
                                    "ThisWorkbook", "_VBA_PROJECT"]
    assert all(entry[67] == 1 for entry in entries)  # every node black


@pytest.mark.parametrize("name", ["a/b", "a:b", "x" * 32, ""])
def test_bad_entry_names_are_refused(name):
    with pytest.raises(ValueError, match="cannot name a compound-file entry"):
        cfb.write_compound_file({name: b""})


# --- the built project -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def workbook_project() -> tuple[list[VbaModule], bytes]:
    modules = build.workbook_modules(SHEETS)
    return modules, build.build_vba_project(modules)


def test_the_workbook_project_lists_documents_then_code_modules(workbook_project):
    modules, _ = workbook_project
    assert [(m.name, m.kind) for m in modules] == [
        ("ThisWorkbook", "document"), ("Sheet1", "document"), ("Sheet2", "document"),
        ("Sheet3", "document"), ("xlwings", "standard"), ("Dictionary", "class"),
        ("ComplaintRecord", "standard")]


def test_olevba_reads_every_module_back_as_its_source(workbook_project):
    modules, data = workbook_project
    assert olevba_modules(data) == {m.name: m.text() for m in modules}


def test_project_storage_has_the_streams_office_expects(workbook_project):
    modules, data = workbook_project
    ole = strict_ole(data)
    streams = {"/".join(path) for path in ole.listdir()}
    assert streams == {"PROJECT", "PROJECTwm", "VBA/dir", "VBA/_VBA_PROJECT",
                       *(f"VBA/{m.name}" for m in modules)}
    assert ole.openstream("VBA/_VBA_PROJECT").read() == bytes.fromhex("CC61FFFF000100")
    for module in modules:  # the source starts each module stream: no p-code before it
        stored = ole.openstream(f"VBA/{module.name}").read()
        assert ovba.decompress(stored) == module.encoded()


def test_project_text_lists_the_modules_and_leaves_the_project_open(workbook_project):
    _, data = workbook_project
    text = strict_ole(data).openstream("PROJECT").read().decode("cp1252")
    lines = text.split("\r\n")
    assert lines[1:9] == [
        "Document=ThisWorkbook/&H00000000", "Document=Sheet1/&H00000000",
        "Document=Sheet2/&H00000000", "Document=Sheet3/&H00000000",
        "Module=xlwings", "Class=Dictionary", "Module=ComplaintRecord", 'Name="VBAProject"']
    values = dict(line.split("=", 1) for line in lines
                  if line.split("=")[0] in ("CMG", "DPB", "GC"))
    assert ovba.decrypt(values["CMG"].strip('"')) == bytes(4)
    assert ovba.decrypt(values["DPB"].strip('"')) == b"\x00"
    assert ovba.decrypt(values["GC"].strip('"')) == b"\xff"


def test_dir_stream_records_each_module_with_offset_zero(workbook_project):
    modules, data = workbook_project
    records = ovba.decompress(strict_ole(data).openstream("VBA/dir").read())
    assert records == ovba.dir_stream("VBAProject", modules)
    assert records.count(struct.pack("<HII", 0x0031, 4, 0)) == len(modules)
    assert records.endswith(struct.pack("<HI", 0x0010, 0))


def test_projectwm_maps_each_name_to_its_unicode_form():
    stream = ovba.project_wm_stream([VbaModule("Ab", "")])
    assert stream == b"Ab\x00A\x00b\x00\x00\x00\x00\x00"


def test_a_large_project_survives_multi_sector_fat_and_long_streams():
    rng = random.Random(5)
    modules = [random_vba(rng, f"Module{i:02d}", 60) for i in range(40)]
    modules.append(random_vba(rng, "Huge", 2500))  # about 200 KB of source
    data = build.build_vba_project(modules)
    ole = strict_ole(data)
    assert len(data) > 200_000
    assert struct.unpack_from("<I", data, 0x2C)[0] > 1  # FAT sectors
    assert ole.get_size("VBA/Huge") > 65_536
    assert olevba_modules(data) == {m.name: m.text() for m in modules}


def test_the_same_sources_build_the_same_bytes(workbook_project):
    modules, data = workbook_project
    assert build.build_vba_project(modules) == data


# --- the cache ---------------------------------------------------------------------------------

@pytest.fixture
def no_rebuild(monkeypatch):
    def refuse(*_args):
        raise AssertionError("rebuilt although the sources did not change")
    return lambda: monkeypatch.setattr(build, "_assemble", refuse)


def test_unchanged_sources_come_from_the_cache(tmp_path, no_rebuild):
    modules = build.workbook_modules(SHEETS)
    first = build.build_vba_project(modules, cache_dir=tmp_path)
    no_rebuild()
    assert build.build_vba_project(build.workbook_modules(SHEETS), cache_dir=tmp_path) == first
    assert len(list(tmp_path.glob("vbaProject-*.bin"))) == 1


def test_a_changed_source_builds_a_new_project(tmp_path):
    modules = build.workbook_modules(SHEETS)
    first = build.build_vba_project(modules, cache_dir=tmp_path)
    changed = [*modules[:-1], VbaModule("ComplaintRecord", modules[-1].source + "' note\n")]
    second = build.build_vba_project(changed, cache_dir=tmp_path)
    assert second != first
    assert olevba_modules(second)["ComplaintRecord"].endswith("' note\r\n")
    assert len(list(tmp_path.glob("vbaProject-*.bin"))) == 2


@pytest.mark.parametrize("change", [
    lambda ms: ms + [VbaModule("Extra", "")],
    lambda ms: [VbaModule(m.name, m.source, m.kind, "0{00000000-0000-0000-0000-000000000000}")
                if m.name == "Sheet1" else m for m in ms],
], ids=["module added", "base changed"])
def test_the_cache_key_covers_every_module_property(change):
    modules = build.workbook_modules(SHEETS)
    assert build.cache_key(change(modules)) != build.cache_key(modules)


def test_a_damaged_cache_file_is_rebuilt(tmp_path):
    modules = [VbaModule("Tools", "Sub A()\nEnd Sub")]
    good = build.build_vba_project(modules, cache_dir=tmp_path)
    cached = next(tmp_path.glob("vbaProject-*.bin"))
    cached.write_bytes(good[:700])  # cut short
    assert build.build_vba_project(modules, cache_dir=tmp_path) == good
    assert cached.read_bytes() == good


def test_an_unusable_cache_directory_does_not_stop_the_build(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    modules = [VbaModule("Tools", "Sub A()\nEnd Sub")]
    assert build.build_vba_project(modules, cache_dir=blocked / "cache") == \
        build.build_vba_project(modules)


# --- a real office suite -----------------------------------------------------------------------

@pytest.mark.office
def test_libreoffice_imports_the_modules_and_binds_the_buttons(tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    xlsxwriter = pytest.importorskip("xlsxwriter")
    modules = build.workbook_modules(["Sheet1", "Sheet2"])
    workbook = xlsxwriter.Workbook(tmp_path / "card.xlsm")
    complaints = workbook.add_worksheet("Complaints")
    workbook.add_worksheet("Settings")
    workbook.add_vba_project(io.BytesIO(build.build_vba_project(modules)), is_stream=True)
    for column, button in enumerate(build.BUTTONS):
        complaints.insert_button(0, column * 2, {"macro": button.macro,
                                                 "caption": button.caption_en})
    workbook.close()
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "ods", "--outdir", str(tmp_path), str(tmp_path / "card.xlsm")],
                   check=True, capture_output=True, timeout=180)
    with zipfile.ZipFile(tmp_path / "card.ods") as ods:
        basic = {Path(n).stem: ods.read(n).decode() for n in ods.namelist()
                 if n.startswith("Basic/VBAProject/") and not n.endswith("script-lb.xml")}
        content = ods.read("content.xml").decode()
    assert set(basic) == {m.name for m in modules}
    for module in modules:
        code = [line for line in module.text().split("\r\n") if not line.startswith("Attribute ")]
        for line in code:
            assert _xml_escape(line) in basic[module.name]
    bound = re.findall(r"vnd\.sun\.star\.script:VBAProject\.ComplaintRecord\.(\w+)\?", content)
    assert bound == [b.macro for b in build.BUTTONS]


def _xml_escape(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&apos;"))
