"""Never damage the input: refuse files that are open, serialise runs, save without losing anything.

The batch door rewrites a workbook that people also open in Excel. Before it does, it checks that
the file is not open (Excel's owner file), takes a lock of its own so that two runs never write the
same file, saves to a temporary file in the same folder, checks that the temporary file is a whole
workbook that still has every feature the original had (charts, slicers, macros, dropdowns ...),
keeps a backup of the original and only then moves the new file into place.

openpyxl keeps some parts of a workbook and silently drops others (docs/openpyxl-losses.md), so the
features are counted straight from the zip, not from what openpyxl understood.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import posixpath
import re
import secrets
import shutil
import socket
import sys
import time
import zipfile
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote
from xml.etree import ElementTree

STALE_AFTER = dt.timedelta(hours=2)  # a run lock this old is taken over even if its owner lives
KEEP_BACKUPS = 10


class WorkbookRefused(Exception):
    """The door will not touch a workbook; the message says which file, why and what to do."""

    def __init__(self, message: str, message_zh: str | None = None,
                 lost: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.message_zh = message_zh or message
        self.lost = lost or []

    def text(self, lang: str = "en") -> str:
        return self.message_zh if lang.startswith("zh") else self.message


# --------------------------------------------------------------------------- open in Excel?

def _lock_remainders(name: str) -> set[str]:
    """What follows "~$" in the owner file an Office program may write for ``name``.

    Excel writes "~$" + the full file name. Word (and, as sync clients such as Seafile report,
    Office in general for long names) instead overwrites the first one or two characters:
    OfficeReport.docx -> ~$ficeReport.docx. So the remainder is the name itself or the name
    without its first one or two characters. Windows compares file names case-insensitively.
    """
    return {name[k:].casefold() for k in range(3) if len(name) - k > 0}


def excel_lock_file(path: Path) -> Path | None:
    """The owner file that shows ``path`` is open in Excel (or another Office program), if any."""
    path = Path(path)
    wanted = _lock_remainders(path.name)
    try:
        names = [entry.name for entry in os.scandir(path.parent)]
    except OSError:
        return None
    others = {n.casefold() for n in names if not n.startswith("~$")}
    for name in names:
        rest = name[2:].casefold()
        if not name.startswith("~$") or rest not in wanted:
            continue
        # A shortened owner file that is the exact owner file of another workbook in the folder
        # (~$BC.xlsx beside BC.xlsx and ABC.xlsx) belongs to that workbook, not to this one.
        if rest != path.name.casefold() and rest in others:
            continue
        return path.parent / name
    return None


def libreoffice_lock_file(path: Path) -> Path | None:
    """LibreOffice's lock file for ``path`` (".~lock.<name>#"), if it exists."""
    lock = Path(path).parent / f".~lock.{Path(path).name}#"
    return lock if lock.exists() else None


def check_not_open(path: Path | str) -> None:
    """Refuse a workbook that is open in Excel or LibreOffice (their lock file is beside it)."""
    path = Path(path)
    lock = excel_lock_file(path)
    if lock is not None:
        raise WorkbookRefused(
            f"{path.name} is open in Excel (lock file {lock.name}). Close it in Excel and run "
            "again; if Excel is not running, delete the lock file.",
            f"{path.name} 正在 Excel 中打开（锁文件 {lock.name}）。请在 Excel 中关闭后重新运行；"
            "如果 Excel 并未运行，请删除该锁文件。")
    lock = libreoffice_lock_file(path)
    if lock is not None:
        raise WorkbookRefused(
            f"{path.name} is open in LibreOffice (lock file {lock.name}). Close it and run again; "
            "if LibreOffice is not running, delete the lock file.",
            f"{path.name} 正在 LibreOffice 中打开（锁文件 {lock.name}）。请关闭后重新运行；"
            "如果 LibreOffice 并未运行，请删除该锁文件。")


# --------------------------------------------------------------------------- one run at a time

def run_lock_path(path: Path | str) -> Path:
    path = Path(path)
    return path.parent / f".{path.name}.lock"


@contextlib.contextmanager
def run_lock(path: Path | str, *, stale_after: dt.timedelta = STALE_AFTER) -> Iterator[Path]:
    """Hold ``.<name>.lock`` beside the workbook while a run works on it.

    The lock is created atomically (O_CREAT | O_EXCL), so of two runs started together exactly one
    gets it. A lock whose process is gone (same host) or that is older than ``stale_after`` is
    taken over. The lock is removed on exit, also when the run fails.
    """
    lock = run_lock_path(path)
    token = secrets.token_hex(8)
    for _attempt in range(3):
        if _create_lock(lock, token):
            break
        holder = _read_lock(lock)
        if not _is_stale(lock, holder, stale_after):
            raise _busy(Path(path), holder)
        _take_over(lock, holder)
    else:
        raise _busy(Path(path), _read_lock(lock))
    try:
        yield lock
    finally:
        _release(lock, token)


def _create_lock(lock: Path, token: str) -> bool:
    try:
        fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        return False
    info = {"pid": os.getpid(), "host": socket.gethostname(),
            "started": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "token": token}
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(info, handle)
    return True


def _read_lock(lock: Path) -> dict[str, Any] | None:
    try:
        info = json.loads(lock.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return info if isinstance(info, dict) else None


def _lock_started(lock: Path, holder: dict[str, Any] | None) -> dt.datetime | None:
    if holder is not None:
        try:
            return dt.datetime.fromisoformat(str(holder["started"]))
        except (KeyError, ValueError):
            pass
    try:
        return dt.datetime.fromtimestamp(lock.stat().st_mtime).astimezone()
    except OSError:
        return None


def _is_stale(lock: Path, holder: dict[str, Any] | None, stale_after: dt.timedelta) -> bool:
    started = _lock_started(lock, holder)
    if started is None:  # the lock vanished meanwhile: try again
        return True
    age = dt.datetime.now().astimezone() - started
    if age > stale_after:
        return True
    if holder is None:
        # Unreadable: a run that crashed while writing it, or one writing it right now.
        return age > dt.timedelta(minutes=1)
    if holder.get("host") != socket.gethostname():
        return False  # another machine's process cannot be checked from here
    return not _process_alive(int(holder.get("pid", 0)))


def _process_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if sys.platform == "win32":
        return _windows_process_alive(pid)
    try:
        os.kill(pid, 0)  # signal 0 only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    return True


def _windows_process_alive(pid: int) -> bool:
    # os.kill on Windows terminates the process whatever the signal, so ask the kernel instead.
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return kernel32.GetLastError() == 5  # access denied: it exists
    try:
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        return code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


def _take_over(lock: Path, holder: dict[str, Any] | None) -> None:
    """Move a stale lock aside; only one of several runs doing this at once wins the rename."""
    aside = lock.with_name(f"{lock.name}.stale-{os.getpid()}-{secrets.token_hex(4)}")
    try:
        os.replace(lock, aside)
    except FileNotFoundError:
        return
    # Between reading the stale lock and moving it, another run may have taken it over and
    # written a fresh one: then put that one back untouched.
    if _read_lock(aside) != holder:
        with contextlib.suppress(OSError):
            os.link(aside, lock)
    with contextlib.suppress(OSError):
        aside.unlink()


def _release(lock: Path, token: str) -> None:
    holder = _read_lock(lock)
    if holder is not None and holder.get("token") == token:
        with contextlib.suppress(OSError):
            lock.unlink()


def _busy(path: Path, holder: dict[str, Any] | None) -> WorkbookRefused:
    holder = holder or {}
    pid = holder.get("pid", "?")
    started = _lock_started(run_lock_path(path), holder)
    since = started.astimezone().strftime("%H:%M") if started else "?"
    host = holder.get("host")
    where = f" on {host}" if host and host != socket.gethostname() else ""
    where_zh = f"，主机 {host}" if where else ""
    return WorkbookRefused(
        f"{path.name} is being processed by another run (pid {pid}{where} since {since}). "
        "Wait for it to finish.",
        f"{path.name} 正在被另一次运行处理（进程 {pid}{where_zh}，开始于 {since}）。请等待其完成。")


# --------------------------------------------------------------------------- features of a file

_REL_TYPES = {
    # relationship type (last path segment) -> feature, for rels of a sheet or a drawing
    "table": "tables", "comments": "comments", "threadedComment": "threaded_comments",
    "drawing": "drawings", "pivotTable": "pivot_tables",
    "ctrlProp": "form_controls", "slicer": "slicers", "timeline": "timelines",
    "printerSettings": "printer_settings", "oleObject": "embedded_objects",
    "package": "embedded_objects", "control": "activex_controls",
    "image": "background_pictures",  # a sheet's own picture is its background
}
_DRAWING_REL_TYPES = {"chart": "charts", "image": "images"}
_WORKBOOK_REL_TYPES = {
    "pivotCacheDefinition": "pivot_caches", "slicerCache": "slicer_caches",
    "timelineCache": "timeline_caches", "externalLink": "external_links",
    "customXml": "custom_xml", "connections": "connections", "queryTable": "query_tables",
    "FeaturePropertyBag": "cell_checkboxes",  # Excel 365 checkboxes in cells live here
}
_SHEET_TYPES = ("worksheet", "chartsheet", "dialogsheet", "xlMacrosheet", "macrosheet")
# Elements of a worksheet that sit after <sheetData>, where cell text never appears (it would be
# escaped), so plain pattern counts over the bytes are exact without parsing the XML.
_SHEET_ELEMENTS = re.compile(
    rb"<(?:(\w+):)?(dataValidation|cfRule|sparklineGroup|legacyDrawing"
    rb"|legacyDrawingHF|drawing|tablePart|sheetProtection|hyperlink)[\s/>]")
_CONTROL = re.compile(rb"<(?:\w+:)?control\s[^>]*?shapeId=\"(\d+)\"")
_SHAPE = re.compile(rb"<(?:\w+:)?sp[\s>]")
_CELLS_END = re.compile(rb"</(?:\w+:)?sheetData>")
_CHUNK = 1 << 22
_TAIL_CHUNKS = 3
_VML_OBJECT = re.compile(rb"ObjectType=\"(\w+)\"")
_EXTENSION_PREFIXES = {b"x14", b"x15", b"xm"}
_ELEMENT_FEATURES = {
    b"dataValidation": "data_validations", b"cfRule": "conditional_formats",
    b"sparklineGroup": "sparkline_groups", b"legacyDrawing": "legacy_drawing_refs",
    b"legacyDrawingHF": "header_footer_pictures",
    b"drawing": "drawing_refs", b"tablePart": "table_refs",
    b"sheetProtection": "sheet_protection", b"hyperlink": "hyperlinks",
}


def workbook_features(path: Path | str) -> dict[str, int]:
    """Count what a person would miss if a save dropped it, straight from the zip.

    Keys are ``feature`` for the workbook as a whole (``vba_project``, ``defined_names`` ...) and
    ``<sheet>!<feature>`` per sheet (``Dashboard!charts``, ``Complaints!data_validations``).
    ``vba_sha256`` is the VBA project's SHA-256 as a number, so any change to the macros shows.
    """
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as archive:
            return _Features(archive).count()
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError) as err:
        raise WorkbookRefused(
            f"{path.name} is not a readable .xlsx/.xlsm workbook ({err}). Check the file.",
            f"{path.name} 不是可读取的 .xlsx/.xlsm 工作簿（{err}）。请检查该文件。") from err


def _resolve(folder: str, target: str) -> str:
    """A relationship's target as a name inside the zip (targets are relative URIs)."""
    target = unquote(target.split("#", 1)[0])
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(folder, target))


def part_relationships(archive: zipfile.ZipFile, part: str,
                       names: set[str] | None = None) -> dict[str, tuple[str, str]]:
    """A part's relationships: id -> (type, target as a name inside the zip); links to outside
    files are left out. ``names`` is the zip's name list, when the caller has it already."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", name + ".rels")
    if rels not in (names if names is not None else set(archive.namelist())):
        return {}
    found = {}
    for rel in ElementTree.fromstring(archive.read(rels)):
        if rel.get("TargetMode") == "External":
            continue
        resolved = _resolve(folder, rel.get("Target", ""))
        found[rel.get("Id", "")] = (rel.get("Type", "").rsplit("/", 1)[-1], resolved)
    return found


def workbook_part(root_rels: Iterable[tuple[str, str]]) -> str:
    """The workbook part, as the package root's relationships (type, target) name it."""
    return next((t for kind, t in root_rels if kind == "officeDocument"), "xl/workbook.xml")


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet name -> its part inside the zip, in workbook order."""
    names = set(archive.namelist())
    book = workbook_part(part_relationships(archive, "", names).values())
    rels = part_relationships(archive, book, names)
    parts = {}
    for element in ElementTree.fromstring(archive.read(book)).iter():
        if _local(element.tag) == "sheet":
            kind, target = rels.get(_rel_id(element) or "", ("", ""))
            if kind == "worksheet" and target in names:
                parts[element.get("name", "")] = target
    return parts


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _rel_id(element: ElementTree.Element) -> str | None:
    for name, value in element.attrib.items():
        if name.endswith("}id") and "relationships" in name:
            return value
    return None


@dataclass
class _Features:
    archive: zipfile.ZipFile
    counts: dict[str, int] = field(default_factory=dict)
    names: set[str] | None = None

    def count(self) -> dict[str, int]:
        root_rels = self._rels("")
        book = workbook_part(root_rels)
        for kind, target in root_rels:
            if kind in ("ui/extensibility", "extensibility"):
                self._add("custom_ui")
            elif kind == "custom-properties" and target in self._names():
                self._add("custom_properties",
                          self.archive.read(target).count(b"<property "))
        self._workbook(book)
        return self.counts

    def _names(self) -> set[str]:
        if self.names is None:
            self.names = set(self.archive.namelist())
        return self.names

    def _add(self, key: str, n: int = 1) -> None:
        if n:
            self.counts[key] = self.counts.get(key, 0) + n

    def _rels(self, part: str) -> list[tuple[str, str]]:
        """(type, resolved target) of a part's relationships inside the package."""
        return list(self._rel_map(part).values())

    def _rel_map(self, part: str) -> dict[str, tuple[str, str]]:
        return part_relationships(self.archive, part, self._names())

    def _workbook(self, book: str) -> None:
        rels = self._rel_map(book)
        for kind, target in rels.values():
            if kind == "vbaProject" and target in self._names():
                self._add("vba_project")
                digest = hashlib.sha256(self.archive.read(target)).hexdigest()
                self.counts["vba_sha256"] = int(digest, 16)
            elif kind in _WORKBOOK_REL_TYPES:
                self._add(_WORKBOOK_REL_TYPES[kind])
        root = ElementTree.fromstring(self.archive.read(book))
        for element in root.iter():
            tag = _local(element.tag)
            # Excel re-creates the hidden _FilterDatabase name from the filter itself.
            if tag == "definedName" and element.get("name") != "_xlnm._FilterDatabase":
                self._add("defined_names")
            elif tag == "workbookProtection":
                self._add("workbook_protection")
            elif tag == "sheet":
                kind, target = rels.get(_rel_id(element) or "", ("", ""))
                if kind in _SHEET_TYPES and target in self._names():
                    self._add("sheets")
                    self._sheet(element.get("name", "?"), target)

    def _sheet(self, name: str, part: str) -> None:
        self._add(f"{name}!sheet")
        for kind, target in self._rels(part):
            feature = _REL_TYPES.get(kind)
            if feature is not None:
                self._add(f"{name}!{feature}")
            if kind == "drawing":
                self._drawing(name, target)
            elif kind == "vmlDrawing":
                self._vml(name, target)
        self._sheet_xml(name, self._after_cells(part))

    def _drawing(self, name: str, part: str) -> None:
        for kind, _target in self._rels(part):
            if kind in _DRAWING_REL_TYPES:
                self._add(f"{name}!{_DRAWING_REL_TYPES[kind]}")
        if part in self._names():
            self._add(f"{name}!shapes", len(_SHAPE.findall(self.archive.read(part))))

    def _vml(self, name: str, part: str) -> None:
        """Buttons and form controls in their VML form (the one every Excel version reads)."""
        if part not in self._names():
            return
        for kind in _VML_OBJECT.findall(self.archive.read(part)):
            if kind == b"Button":
                self._add(f"{name}!buttons")
            elif kind != b"Note":  # notes are counted as comments
                self._add(f"{name}!vml_form_controls")

    def _after_cells(self, part: str) -> bytes:
        """The part of a sheet's XML after its cells (all of it when it has no cells element).

        A 50,000-row sheet is tens of megabytes of XML; it is inflated in chunks and only the
        last few are kept and searched, so memory stays small and the time is the inflating.
        """
        last: deque[bytes] = deque(maxlen=_TAIL_CHUNKS)
        with self.archive.open(part) as stream:
            while chunk := stream.read(_CHUNK):
                last.append(chunk)
        xml = b"".join(last)
        if len(last) == _TAIL_CHUNKS:
            ends = list(_CELLS_END.finditer(xml))
            if ends:
                return xml[ends[-1].start():]
            xml = self.archive.read(part)  # more follows the cells than was kept: rare
        ends = list(_CELLS_END.finditer(xml))
        return xml[ends[-1].start():] if ends else xml

    def _sheet_xml(self, name: str, tail: bytes) -> None:
        for match in _SHEET_ELEMENTS.finditer(tail):
            feature = _ELEMENT_FEATURES[match.group(2)]
            if match.group(1) in _EXTENSION_PREFIXES:
                feature = "x14_" + feature
            self._add(f"{name}!{feature}")
        # ActiveX controls are written twice (choice and fallback): count each shape once.
        self._add(f"{name}!controls", len(set(_CONTROL.findall(tail))))


def feature_totals(features: dict[str, int]) -> dict[str, int]:
    """Per-sheet counts summed over sheets, with the workbook-wide counts (the hash left out)."""
    totals: dict[str, int] = {}
    for key, n in features.items():
        feature = key.rpartition("!")[2]
        if feature not in ("vba_sha256", "sheet"):
            totals[feature] = totals.get(feature, 0) + n
    return totals


# --------------------------------------------------------------------------- what a save lost

FEATURE_LABELS: dict[str, tuple[str, str]] = {
    "vba_project": ("the VBA project (macros)", "VBA 项目（宏）"),
    "pivot_caches": ("pivot caches", "数据透视表缓存"),
    "slicer_caches": ("slicer caches", "切片器缓存"),
    "timeline_caches": ("timeline caches", "日程表缓存"),
    "external_links": ("links to other workbooks", "外部工作簿链接"),
    "custom_xml": ("custom XML parts", "自定义 XML 部件"),
    "custom_ui": ("the custom ribbon", "自定义功能区"),
    "connections": ("data connections", "数据连接"),
    "query_tables": ("query tables", "查询表"),
    "custom_properties": ("custom document properties", "自定义文档属性"),
    "defined_names": ("defined names", "定义的名称"),
    "workbook_protection": ("workbook protection", "工作簿保护"),
    "sheets": ("sheets", "工作表"),
    "tables": ("tables", "表格"),
    "comments": ("comments (notes)", "批注"),
    "threaded_comments": ("threaded comments", "会话式批注"),
    "drawings": ("drawing layers", "绘图层"),
    "buttons": ("macro buttons", "宏按钮"),
    "vml_form_controls": ("form controls (check boxes, lists ...)", "表单控件（复选框、列表等）"),
    "background_pictures": ("background pictures", "背景图片"),
    "header_footer_pictures": ("pictures in headers and footers", "页眉页脚中的图片"),
    "cell_checkboxes": ("checkboxes in cells", "单元格复选框"),
    "pivot_tables": ("pivot tables", "数据透视表"),
    "form_controls": ("form control properties (Excel 2010+ form)",
                      "表单控件属性（Excel 2010 及以上格式）"),
    "slicers": ("slicers", "切片器"),
    "timelines": ("timelines", "日程表"),
    "printer_settings": ("printer settings", "打印机设置"),
    "embedded_objects": ("embedded objects", "嵌入对象"),
    "activex_controls": ("ActiveX controls", "ActiveX 控件"),
    "charts": ("charts", "图表"),
    "images": ("pictures", "图片"),
    "shapes": ("shapes and text boxes", "形状和文本框"),
    "data_validations": ("data validations (dropdowns)", "数据验证（下拉列表）"),
    "x14_data_validations": ("data validations of Excel 2010+ (dropdowns from other sheets)",
                             "Excel 2010 及以上的数据验证（引用其他工作表的下拉列表）"),
    "conditional_formats": ("conditional formats", "条件格式"),
    "x14_conditional_formats": ("conditional formats of Excel 2010+ (data bars, icon sets)",
                                "Excel 2010 及以上的条件格式（数据条、图标集）"),
    "x14_sparkline_groups": ("sparklines", "迷你图"),
    "sparkline_groups": ("sparklines", "迷你图"),
    "controls": ("buttons and controls (Excel 2010+ form)", "按钮与控件（Excel 2010 及以上格式）"),
    "legacy_drawing_refs": ("the layer of notes and buttons", "批注与按钮层"),
    "drawing_refs": ("references to drawings", "绘图引用"),
    "table_refs": ("references to tables", "表格引用"),
    "sheet_protection": ("sheet protection", "工作表保护"),
    "hyperlinks": ("hyperlinks", "超链接"),
}
# A reference element goes with its parts: report the parts alone when they dropped too.
_IMPLIED_BY = {"drawing_refs": ("drawings",), "legacy_drawing_refs": ("comments", "buttons"),
               "table_refs": ("tables",)}
# Excel 2010+ saves a form control twice: as a VML shape, which every version reads, and as
# <control> markup with a ctrlProp part. openpyxl keeps the first and drops the second; Excel then
# shows the control from its VML form, as it does for files written by XlsxWriter.
_NEWER_CONTROL_FORMS = ("controls", "form_controls")


def lost_features(before: dict[str, int], after: dict[str, int],
                  owned_sheets: Iterable[str] = (), lang: str = "en") -> list[str]:
    """One line per feature whose count dropped, e.g. "Dashboard: charts 2 → 0".

    ``owned_sheets`` are sheets the door itself rebuilds (its findings or log sheets): what they
    lose is expected and not reported.
    """
    zh = lang.startswith("zh")
    owned = {name.casefold() for name in owned_sheets}
    lines: list[str] = []
    if "vba_sha256" in before and before.get("vba_project", 0) <= after.get("vba_project", 0) \
            and before["vba_sha256"] != after.get("vba_sha256"):
        lines.append("VBA 项目（宏）已改变" if zh else "VBA project changed")
    dropped = {key for key, n in before.items()
               if key not in ("vba_sha256", "sheets") and after.get(key, 0) < n}
    order = {key: i for i, key in enumerate(before)}
    for key in sorted(dropped, key=order.__getitem__):
        sheet, _, feature = key.rpartition("!")
        if sheet and (sheet.casefold() in owned or _explained(sheet, feature, dropped,
                                                               before, after)):
            continue
        if feature == "sheet":
            lines.append(f"缺少工作表 {sheet}" if zh else f"sheet {sheet} is missing")
        else:
            lines.append(_loss_line(sheet, feature, before[key], after.get(key, 0), zh))
    return lines


def _explained(sheet: str, feature: str, dropped: set[str], before: dict[str, int],
               after: dict[str, int]) -> bool:
    """Whether a sheet's drop is already said by another line, or is no loss to the user."""
    if feature != "sheet" and f"{sheet}!sheet" in dropped:
        return True  # the whole sheet is reported as missing
    if any(f"{sheet}!{part}" in dropped for part in _IMPLIED_BY.get(feature, ())):
        return True
    if feature in _NEWER_CONTROL_FORMS:
        vml = after.get(f"{sheet}!buttons", 0) + after.get(f"{sheet}!vml_form_controls", 0)
        return vml >= max(before.get(f"{sheet}!{name}", 0) for name in _NEWER_CONTROL_FORMS)
    return False


def _loss_line(sheet: str, feature: str, was: int, now: int, zh: bool) -> str:
    en_label, zh_label = FEATURE_LABELS.get(feature, (feature, feature))
    if sheet:
        return f"{sheet}：{zh_label} {was} → {now}" if zh else f"{sheet}: {en_label} {was} → {now}"
    return f"工作簿：{zh_label} {was} → {now}" if zh else f"workbook: {en_label} {was} → {now}"


# --------------------------------------------------------------------------- saving

@dataclass
class SaveReport:
    target: Path
    backup: Path | None = None
    lost: list[str] = field(default_factory=list)  # accepted with allow_loss
    seconds: float = 0.0


def default_backup_dir(target: Path | str) -> Path:
    return Path(target).parent / "backups"


def save_atomically(wb: Any, target: Path | str, backup_dir: Path | None, original: Path | None,
                    allow_loss: bool, *, owned_sheets: Iterable[str] = (),
                    keep_backups: int = KEEP_BACKUPS) -> SaveReport:
    """Save an openpyxl workbook to ``target`` so that a failure never leaves a damaged file.

    The workbook goes to a temporary file beside ``target``, which must open as a workbook and,
    when ``original`` is given, keep every feature the original had (else WorkbookRefused, unless
    ``allow_loss``). The file being replaced is copied to ``backup_dir`` (the newest
    ``keep_backups`` copies are kept), then the temporary file takes the target's place in one
    step. On any failure the temporary file is removed and the existing files are as they were.
    """
    started = time.perf_counter()
    target = Path(target)
    check_not_open(target)
    temp = target.with_name(f".{target.stem}.{os.getpid()}-{secrets.token_hex(4)}.tmp"
                            f"{target.suffix}")
    report = SaveReport(target)
    try:
        _save(wb, temp, target)
        _verify(temp, target, original)
        if original is not None and Path(original).exists():
            report.lost = _check_losses(Path(original), temp, target, owned_sheets, allow_loss)
        if backup_dir is not None and target.exists():
            report.backup = backup(target, Path(backup_dir), keep_backups)
        _replace(temp, target)
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()
    report.seconds = time.perf_counter() - started
    return report


def _save(wb: Any, temp: Path, target: Path) -> None:
    try:
        wb.save(temp)
    except PermissionError as err:
        raise WorkbookRefused(
            f"Cannot write in the folder of {target.name} ({err.strerror}). Check that you may "
            "save files there and run again.",
            f"无法在 {target.name} 所在文件夹中写入（{err.strerror}）。请确认有保存权限后重新运行。"
        ) from err


def _verify(temp: Path, target: Path, original: Path | None) -> None:
    """The saved file must be a whole workbook: a sound zip with no link to a missing part."""
    try:
        with zipfile.ZipFile(temp) as archive:
            names = set(archive.namelist())
            broken = archive.testzip()
            missing = missing_parts(archive)
            kind = _wrong_kind(archive, target) if "[Content_Types].xml" in names else None
    except (zipfile.BadZipFile, ElementTree.ParseError):
        names, broken, missing, kind = set(), None, set(), None
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names or broken:
        raise WorkbookRefused(
            f"The new version of {target.name} came out incomplete, so it was not saved. "
            "The original is unchanged.",
            f"{target.name} 的新版本不完整，因此未保存。原文件未改动。")
    if kind is not None:
        what_en, what_zh = (("a workbook with macros", "含宏工作簿") if kind == "macro"
                            else ("a workbook without macros", "不含宏的工作簿"))
        raise WorkbookRefused(
            f"The new version of {target.name} is marked as {what_en}, which Excel does not open "
            f"under a {target.suffix} name, so it was not saved. The original is unchanged.",
            f"{target.name} 的新版本被标记为{what_zh}，Excel 无法以 {target.suffix} 文件名打开，"
            "因此未保存。原文件未改动。")
    if missing and original is not None and Path(original).exists():
        with contextlib.suppress(zipfile.BadZipFile, ElementTree.ParseError, OSError), \
                zipfile.ZipFile(original) as archive:
            missing -= missing_parts(archive)  # already so in the original: not our doing
    if missing:
        parts = ", ".join(sorted(missing))
        raise WorkbookRefused(
            f"The new version of {target.name} would be damaged (it refers to {parts}, which is "
            "not in the file), so it was not saved. The original is unchanged.",
            f"{target.name} 的新版本将会损坏（引用了文件中不存在的 {parts}），因此未保存。"
            "原文件未改动。")


def missing_parts(archive: zipfile.ZipFile) -> set[str]:
    """Parts that the package uses but does not hold.

    Relationships are followed from the package root; one pointing at a part that is not in the
    zip makes Excel report the file as damaged and offer to repair it (removing what it cannot
    find). Parts no relationship reaches are ignored, as Excel ignores them.
    """
    names = set(archive.namelist())
    missing: set[str] = set()
    seen, todo = {""}, [""]
    while todo:
        part = todo.pop()
        folder, base = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", base + ".rels")
        if rels not in names:
            continue
        for rel in ElementTree.fromstring(archive.read(rels)):
            if rel.get("TargetMode") == "External" or not rel.get("Target"):
                continue
            target = _resolve(folder, rel.get("Target", ""))
            if target not in names:
                missing.add(target)
            elif target not in seen:
                seen.add(target)
                todo.append(target)
    return missing


_MACRO_TYPE = "macroEnabled"


def _wrong_kind(archive: zipfile.ZipFile, target: Path) -> str | None:
    """Why Excel would refuse the file for its name: macro content in a .xlsx, or the reverse."""
    types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
    found = re.search(r'PartName="/xl/workbook\.xml"\s+ContentType="([^"]+)"', types) or \
        re.search(r'ContentType="([^"]+)"\s+PartName="/xl/workbook\.xml"', types)
    if found is None:
        return None
    macro = _MACRO_TYPE in found.group(1)
    suffix = target.suffix.casefold()
    if suffix == ".xlsx" and macro:
        return "macro"
    if suffix == ".xlsm" and not macro:
        return "plain"
    return None


def _check_losses(original: Path, temp: Path, target: Path, owned_sheets: Iterable[str],
                  allow_loss: bool) -> list[str]:
    owned = list(owned_sheets)
    before, after = workbook_features(original), workbook_features(temp)
    lost = lost_features(before, after, owned)
    if lost and not allow_loss:
        lost_zh = lost_features(before, after, owned, "zh-CN")
        raise WorkbookRefused(
            f"Saving {target.name} would lose: {'; '.join(lost)}. Nothing was changed. Run again "
            "with --allow-loss to save anyway.",
            f"保存 {target.name} 将丢失：{'；'.join(lost_zh)}。未做任何改动。如仍要保存，请加上 "
            "--allow-loss 重新运行。", lost)
    return lost


_STAMP = "%Y%m%d-%H%M%S"


def backup(path: Path, backup_dir: Path, keep: int = KEEP_BACKUPS) -> Path:
    """Copy ``path`` to ``backup_dir/<stem>.<YYYYmmdd-HHMMSS>.<ext>``; keep the newest ``keep``."""
    backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime(_STAMP)
    copy = backup_dir / f"{path.stem}.{stamp}{path.suffix}"
    n = 2
    while copy.exists():  # two saves within one second
        copy = backup_dir / f"{path.stem}.{stamp}-{n}{path.suffix}"
        n += 1
    shutil.copy2(path, copy)
    _prune(path, backup_dir, keep)
    return copy


def _prune(path: Path, backup_dir: Path, keep: int) -> None:
    pattern = re.compile(re.escape(path.stem) + r"\.(\d{8}-\d{6})(?:-(\d+))?"
                         + re.escape(path.suffix) + "$")
    found = []
    for candidate in backup_dir.iterdir():
        match = pattern.match(candidate.name)
        if match:
            found.append(((match.group(1), int(match.group(2) or 1)), candidate))
    for _, old in sorted(found)[:-keep] if keep > 0 else sorted(found):
        with contextlib.suppress(OSError):
            old.unlink()


def _replace(temp: Path, target: Path) -> None:
    if target.exists():
        with contextlib.suppress(OSError):
            shutil.copymode(target, temp)  # the new file keeps the old one's permissions
    for attempt in range(4):
        try:
            os.replace(temp, target)
            return
        except PermissionError as err:
            # On Windows a file open in Excel (or briefly held by a virus scanner or a sync
            # client) cannot be replaced; a scanner lets go within moments, Excel does not.
            if attempt == 3:
                raise WorkbookRefused(
                    f"{target.name} is in use by another program (perhaps open in Excel), so it "
                    "could not be replaced. Close it and run again; the original is unchanged.",
                    f"{target.name} 正被其他程序占用（可能在 Excel 中打开），无法替换。请关闭后"
                    "重新运行；原文件未改动。") from err
            time.sleep(0.25 * (attempt + 1))
