"""What a save would lose: every feature a person would miss, counted straight from the zip.

openpyxl keeps some parts of a workbook and silently drops others (docs/openpyxl-losses.md), so the
features are counted from the file itself, not from what openpyxl understood, before and after a
save; a count that dropped is a loss, named in both languages.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from addin.core.text import Lang, Text
from addin.package import local_name, part_relationships, rel_id, workbook_part

from .refusal import WorkbookRefused

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
            tag = local_name(element.tag)
            # Excel re-creates the hidden _FilterDatabase name from the filter itself.
            if tag == "definedName" and element.get("name") != "_xlnm._FilterDatabase":
                self._add("defined_names")
            elif tag == "workbookProtection":
                self._add("workbook_protection")
            elif tag == "sheet":
                kind, target = rels.get(rel_id(element) or "", ("", ""))
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

FEATURE_LABELS: dict[str, Text] = {
    "vba_project": Text("the VBA project (macros)", "VBA 项目（宏）"),
    "pivot_caches": Text("pivot caches", "数据透视表缓存"),
    "slicer_caches": Text("slicer caches", "切片器缓存"),
    "timeline_caches": Text("timeline caches", "日程表缓存"),
    "external_links": Text("links to other workbooks", "外部工作簿链接"),
    "custom_xml": Text("custom XML parts", "自定义 XML 部件"),
    "custom_ui": Text("the custom ribbon", "自定义功能区"),
    "connections": Text("data connections", "数据连接"),
    "query_tables": Text("query tables", "查询表"),
    "custom_properties": Text("custom document properties", "自定义文档属性"),
    "defined_names": Text("defined names", "定义的名称"),
    "workbook_protection": Text("workbook protection", "工作簿保护"),
    "sheets": Text("sheets", "工作表"),
    "tables": Text("tables", "表格"),
    "comments": Text("comments (notes)", "批注"),
    "threaded_comments": Text("threaded comments", "会话式批注"),
    "drawings": Text("drawing layers", "绘图层"),
    "buttons": Text("macro buttons", "宏按钮"),
    "vml_form_controls": Text("form controls (check boxes, lists ...)",
                              "表单控件（复选框、列表等）"),
    "background_pictures": Text("background pictures", "背景图片"),
    "header_footer_pictures": Text("pictures in headers and footers", "页眉页脚中的图片"),
    "cell_checkboxes": Text("checkboxes in cells", "单元格复选框"),
    "pivot_tables": Text("pivot tables", "数据透视表"),
    "form_controls": Text("form control properties (Excel 2010+ form)",
                          "表单控件属性（Excel 2010 及以上格式）"),
    "slicers": Text("slicers", "切片器"),
    "timelines": Text("timelines", "日程表"),
    "printer_settings": Text("printer settings", "打印机设置"),
    "embedded_objects": Text("embedded objects", "嵌入对象"),
    "activex_controls": Text("ActiveX controls", "ActiveX 控件"),
    "charts": Text("charts", "图表"),
    "images": Text("pictures", "图片"),
    "shapes": Text("shapes and text boxes", "形状和文本框"),
    "data_validations": Text("data validations (dropdowns)", "数据验证（下拉列表）"),
    "x14_data_validations": Text("data validations of Excel 2010+ (dropdowns from other sheets)",
                                 "Excel 2010 及以上的数据验证（引用其他工作表的下拉列表）"),
    "conditional_formats": Text("conditional formats", "条件格式"),
    "x14_conditional_formats": Text("conditional formats of Excel 2010+ (data bars, icon sets)",
                                "Excel 2010 及以上的条件格式（数据条、图标集）"),
    "x14_sparkline_groups": Text("sparklines", "迷你图"),
    "sparkline_groups": Text("sparklines", "迷你图"),
    "controls": Text("buttons and controls (Excel 2010+ form)",
                     "按钮与控件（Excel 2010 及以上格式）"),
    "legacy_drawing_refs": Text("the layer of notes and buttons", "批注与按钮层"),
    "drawing_refs": Text("references to drawings", "绘图引用"),
    "table_refs": Text("references to tables", "表格引用"),
    "sheet_protection": Text("sheet protection", "工作表保护"),
    "hyperlinks": Text("hyperlinks", "超链接"),
}
# A reference element goes with its parts: report the parts alone when they dropped too.
_IMPLIED_BY = {"drawing_refs": ("drawings",), "legacy_drawing_refs": ("comments", "buttons"),
               "table_refs": ("tables",)}
# Excel 2010+ saves a form control twice: as a VML shape, which every version reads, and as
# <control> markup with a ctrlProp part. openpyxl keeps the first and drops the second; Excel then
# shows the control from its VML form, as it does for files written by XlsxWriter.
_NEWER_CONTROL_FORMS = ("controls", "form_controls")


_VBA_CHANGED = Text("VBA project changed", "VBA 项目（宏）已改变")
_SHEET_MISSING = Text("sheet {sheet} is missing", "缺少工作表 {sheet}")
_FEATURE_DROPPED = Text("{where}: {feature} {was} → {now}", "{where}：{feature} {was} → {now}")
_WORKBOOK = Text("workbook", "工作簿")


def lost_features(before: dict[str, int], after: dict[str, int],
                  owned_sheets: Iterable[str] = (), lang: Lang | str = Lang.EN) -> list[str]:
    """One line per feature whose count dropped, e.g. "Dashboard: charts 2 → 0"."""
    return [line.in_(lang) for line in lost_lines(before, after, owned_sheets)]


def lost_lines(before: dict[str, int], after: dict[str, int],
               owned_sheets: Iterable[str] = ()) -> list[Text]:
    """``lost_features`` in both languages.

    ``owned_sheets`` are sheets the door itself rebuilds (its findings or log sheets): what they
    lose is expected and not reported.
    """
    owned = {name.casefold() for name in owned_sheets}
    lines: list[Text] = []
    if "vba_sha256" in before and before.get("vba_project", 0) <= after.get("vba_project", 0) \
            and before["vba_sha256"] != after.get("vba_sha256"):
        lines.append(_VBA_CHANGED)
    dropped = {key for key, n in before.items()
               if key not in ("vba_sha256", "sheets") and after.get(key, 0) < n}
    order = {key: i for i, key in enumerate(before)}
    for key in sorted(dropped, key=order.__getitem__):
        sheet, _, feature = key.rpartition("!")
        if sheet and (sheet.casefold() in owned or _explained(sheet, feature, dropped,
                                                               before, after)):
            continue
        if feature == "sheet":
            lines.append(_SHEET_MISSING.format(sheet=sheet))
        else:
            named = FEATURE_LABELS.get(feature, Text(feature, feature))
            lines.append(_FEATURE_DROPPED.format(where=sheet or _WORKBOOK, feature=named,
                                                 was=before[key], now=after.get(key, 0)))
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

