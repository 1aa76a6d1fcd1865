"""Build the workbook's ``vbaProject.bin`` from VBA source text, with a cache.

The project of ComplaintRecord.xlsm holds:

- a document module for the workbook (``ThisWorkbook``) and one per sheet, by code name, as
  Excel requires;
- ``xlwings``, the standalone xlwings module, and ``Dictionary``, the class it uses on macOS,
  both read from the installed xlwings package at build time (BSD and MIT licensed, embedded
  verbatim), so the VBA always matches the Python package it calls;
- ``ComplaintRecord`` (``modules/ComplaintRecord.bas``): one procedure per button.

A build is cached under a hash of the sources, the project name and the writer itself, so the
same sources give the same file without rebuilding and any change gives a new one.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from addin.vba import cfb, ovba
from addin.vba.ovba import VbaModule, VbaSourceError, document_module

# Raise when the bytes written for the same sources change in a way the writer's own source
# text does not show (the hash of ovba.py and cfb.py covers ordinary edits).
WRITER_VERSION = "1"

WORKBOOK_CODE_NAME = "ThisWorkbook"


@dataclass(frozen=True)
class Button:
    """A button on the card: the macro it runs and the Python function behind that macro."""

    macro: str
    function: str  # in addin.xl.macros
    caption_en: str
    caption_zh: str


BUTTONS: tuple[Button, ...] = (
    Button("ValidateRecords", "validate", "Validate", "校验"),
    Button("AssignNumbers", "assign_numbers", "Assign numbers", "分配编号"),
    Button("ClassifyComplaints", "classify", "Classify", "分类"),
    Button("DeadlinesAndColours", "deadlines_and_colours", "Deadlines & colours", "时限与颜色"),
    Button("RunAll", "run_all", "Run all", "全部运行"),
    Button("MonthlyReport", "monthly_report", "Monthly report", "月度报告"),
    Button("CaseSummary", "case_summary", "Case summary", "案件摘要"),
)


def build_vba_project(modules: Sequence[VbaModule], project_name: str = "VBAProject",
                      cache_dir: Path | None = None) -> bytes:
    """The bytes of a vbaProject.bin holding ``modules``, from ``cache_dir`` when built before.

    A module that cannot be stored (a bad name, text outside code page 1252) raises
    VbaSourceError with a message naming the module, line and column.
    """
    if cache_dir is None:
        return _assemble(modules, project_name)
    path = Path(cache_dir) / f"vbaProject-{cache_key(modules, project_name)}.bin"
    cached = _read_cached(path)
    if cached is not None:
        return cached
    data = _assemble(modules, project_name)
    _write_cached(path, data)
    return data


def cache_key(modules: Sequence[VbaModule], project_name: str = "VBAProject") -> str:
    """Hex digest of everything that decides the built bytes."""
    digest = hashlib.sha256()
    for part in _key_parts(modules, project_name):
        digest.update(len(part).to_bytes(8, "little") + part)
    return digest.hexdigest()[:32]


def _key_parts(modules: Sequence[VbaModule], project_name: str) -> list[bytes]:
    writer = [Path(m.__file__).read_bytes() for m in (ovba, cfb)]
    parts = [WRITER_VERSION.encode(), *writer, project_name.encode("utf-8")]
    for module in modules:
        parts += [module.name.encode("utf-8"), module.kind.encode(), module.base.encode(),
                  module.source.encode("utf-8", "surrogatepass")]
    return parts


def _assemble(modules: Sequence[VbaModule], project_name: str) -> bytes:
    return cfb.write_compound_file(ovba.project_storage(project_name, modules))


def _read_cached(path: Path) -> bytes | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    # A file cut short (a full disk, a killed build) is rebuilt rather than handed out.
    if not data.startswith(cfb.SIGNATURE) or (len(data) - cfb.SECTOR) % cfb.SECTOR:
        return None
    return data


def _write_cached(path: Path, data: bytes) -> None:
    """Write beside the target, then rename, so a reader never sees half a file.

    The cache only saves time: when it cannot be written the build still succeeds.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".vbaProject-")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except OSError:
        return


# ---------------------------------------------------------------------------------------------
# The modules of ComplaintRecord.xlsm
# ---------------------------------------------------------------------------------------------

def xlwings_module() -> VbaModule:
    """xlwings' standalone module from the installed package; it must be that package's version.

    The module declares a DLL named for its version, so VBA and Python must match exactly.
    """
    import xlwings

    source = _package_text("xlwings", "xlwings.bas")
    found = re.search(r"^'Version:\s*(\S+)", source, re.MULTILINE)
    if not found or found.group(1) != xlwings.__version__:
        stated = found.group(1) if found else "none"
        raise VbaSourceError(
            f"xlwings.bas states version {stated} but xlwings {xlwings.__version__} is "
            f"installed; reinstall xlwings. / xlwings.bas 的版本为 {stated}，而已安装的 xlwings "
            f"为 {xlwings.__version__}，请重新安装 xlwings。")
    return VbaModule("xlwings", source)


def dictionary_module() -> VbaModule:
    """The Dictionary class xlwings uses on macOS, where Scripting.Dictionary does not exist."""
    return VbaModule("Dictionary", _package_text("xlwings", "addin/Dictionary.cls"), "class")


def complaint_record_module() -> VbaModule:
    """Our module: one procedure per button, each calling RunPython."""
    return VbaModule("ComplaintRecord", _package_text("addin.vba.modules", "ComplaintRecord.bas"))


def document_modules(sheet_code_names: Sequence[str],
                     workbook_code_name: str = WORKBOOK_CODE_NAME) -> list[VbaModule]:
    """The workbook's document module and one per sheet, named by the sheets' code names."""
    return [document_module(workbook_code_name, workbook=True),
            *(document_module(name) for name in sheet_code_names)]


def workbook_modules(sheet_code_names: Sequence[str],
                     workbook_code_name: str = WORKBOOK_CODE_NAME) -> list[VbaModule]:
    """Every module of ComplaintRecord.xlsm, documents first as Excel lists them."""
    return [*document_modules(sheet_code_names, workbook_code_name),
            xlwings_module(), dictionary_module(), complaint_record_module()]


def build_workbook_vba(sheet_code_names: Sequence[str], cache_dir: Path | None = None,
                       workbook_code_name: str = WORKBOOK_CODE_NAME) -> bytes:
    """The vbaProject.bin of ComplaintRecord.xlsm for a workbook with these sheet code names."""
    return build_vba_project(workbook_modules(sheet_code_names, workbook_code_name),
                             cache_dir=cache_dir)


def _package_text(package: str, name: str) -> str:
    # VBA files are ANSI text in the project code page.
    data = resources.files(package).joinpath(name).read_bytes()
    return data.decode(ovba.ENCODING)
