"""Canonical text of a workbook's parts and of a text report's sections, and short diffs of them.

A workbook is compared part by part (each file inside the .xlsx zip), never byte for byte: the
zip's entry order and time stamps, XML attribute order, namespace prefixes and the whitespace
between elements carry no meaning and change from one save to the next. Each XML part becomes
one line per element, indented by depth, attributes sorted, so a difference shows as a few
lines of a diff that name the element and cell.

What is volatile (different on every run, or with nothing to do with this project's behaviour)
is replaced by a ``<volatile: why>`` marker before comparing; ``VOLATILE`` below lists each.
"""

from __future__ import annotations

import difflib
import hashlib
import html
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree as ET

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
# Short names for the namespaces an .xlsx uses; the prefixes a writer picks do not matter.
PREFIXES = {
    MAIN: "", REL: "r:", PKG_REL: "",
    "http://schemas.openxmlformats.org/package/2006/metadata/core-properties": "cp:",
    "http://purl.org/dc/elements/1.1/": "dc:", "http://purl.org/dc/terms/": "dcterms:",
    "http://www.w3.org/2001/XMLSchema-instance": "xsi:",
    "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties": "",
    "http://schemas.openxmlformats.org/drawingml/2006/main": "a:",
    "http://schemas.openxmlformats.org/drawingml/2006/chart": "c:",
    "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing": "xdr:",
    "http://schemas.openxmlformats.org/package/2006/content-types": "",
    "http://www.w3.org/XML/1998/namespace": "xml:",
}
# The shared-strings part is folded into the cells that use it (see ``_resolve_shared``): which
# number a writer gives a string is its own business, the text in the cell is ours.
SHARED_STRINGS = "xl/sharedStrings.xml"
DIFF_LINES = 40  # a failure shows at most this many lines of diff per part or section
LONG_LINE = 200  # text lines longer than this are cut between tags before comparing


# ----------------------------------------------------------------------------- XML parts

def _name(tag: str) -> str:
    if tag.startswith("{"):
        uri, local = tag[1:].split("}", 1)
        return PREFIXES.get(uri, "{" + uri + "}") + local
    return tag


def element_lines(root: ET.Element) -> list[str]:
    """One line per element: name, sorted attributes, and its text when it has no children."""
    lines: list[str] = []

    def walk(node: ET.Element, depth: int) -> None:
        line = "  " * depth + _opening(node)
        # A chain of only children is one line (a cell and its value: c r="B2" / v = "46083"),
        # so that every line of a diff names its cell.
        while len(node) == 1 and not (node.text or "").strip() and not (
                node[0].tail or "").strip():
            node = node[0]
            line += " / " + _opening(node)
        if len(node) == 0 and node.text is not None:
            line += " = " + json.dumps(node.text, ensure_ascii=False)
        elif node.text and node.text.strip():  # mixed content: keep the words, not the spaces
            line += " = " + json.dumps(node.text.strip(), ensure_ascii=False)
        lines.append(line)
        for child in node:
            walk(child, depth + 1)
            if child.tail and child.tail.strip():
                lines.append("  " * (depth + 1) + "+ " + json.dumps(child.tail.strip(),
                                                                    ensure_ascii=False))

    walk(root, 0)
    return lines


def _opening(node: ET.Element) -> str:
    attrs = " ".join(f'{k}="{v}"' for k, v in sorted(
        (_name(k), v) for k, v in node.attrib.items()))
    return _name(node.tag) + (" " + attrs if attrs else "")


# ----------------------------------------------------------------------------- volatile parts

def _blank(root: ET.Element, tags: tuple[str, ...], why: str) -> None:
    for node in root.iter():
        if _name(node.tag) in tags:
            node.text = f"<volatile: {why}>"


def _core_dates(root: ET.Element, _: Path) -> None:
    # openpyxl stamps the save time as created and modified.
    _blank(root, ("dcterms:created", "dcterms:modified"), "time of saving")


def _app_version(root: ET.Element, _: Path) -> None:
    # The installed openpyxl's version, not the project's behaviour.
    _blank(root, ("Application", "AppVersion"), "openpyxl version")


# The Log's columns that differ per run: when (A), who (B) and the tool's version (C), which a
# release changes without any change in what a run does.
LOG_VOLATILE = {"A": "run time", "B": "user", "C": "tool version"}


# The case log's Time column (B): when the run stamped each event.
CASE_LOG_VOLATILE = {"B": "run time"}


def _log_run(root: ET.Element, _: Path, columns: dict[str, str] = LOG_VOLATILE) -> None:
    for cell in root.iter(f"{{{MAIN}}}c"):
        column, row = re.fullmatch(r"([A-Z]+)(\d+)", cell.get("r", "")).groups()
        if int(row) > 1 and column in columns:
            for node in cell.iter():
                if _name(node.tag) in ("v", "t"):
                    node.text = f"<volatile: {columns[column]}>"
            cell.attrib.pop("s", None)  # the time's date style goes with the time


def _case_log_run(root: ET.Element, path: Path) -> None:
    _log_run(root, path, CASE_LOG_VOLATILE)


VOLATILE: dict[str, Callable[[ET.Element, Path], None]] = {
    "docProps/core.xml": _core_dates,
    "docProps/app.xml": _app_version,
    "sheet:Log": _log_run,  # the part that holds the sheet named Log, wherever it is
    "sheet:Case log": _case_log_run,
    "sheet:处理记录": _case_log_run,
}


# ----------------------------------------------------------------------------- a workbook

def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the zip part holding it, from workbook.xml and its relationships."""
    book = ET.fromstring(archive.read("xl/workbook.xml"))
    rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target") for rel in rels}
    parts = {}
    for sheet in book.iter(f"{{{MAIN}}}sheet"):
        target = targets[sheet.get(f"{{{REL}}}id")]
        path = target.lstrip("/") if target.startswith("/") else str(
            PurePosixPath("xl") / target)
        parts[sheet.get("name")] = path
    return parts


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    if SHARED_STRINGS not in archive.namelist():
        return []
    root = ET.fromstring(archive.read(SHARED_STRINGS))
    return ["".join(t.text or "" for t in item.iter(f"{{{MAIN}}}t"))
            for item in root.findall(f"{{{MAIN}}}si")]


def _resolve_shared(root: ET.Element, strings: list[str]) -> None:
    for cell in root.iter(f"{{{MAIN}}}c"):
        value = cell.find(f"{{{MAIN}}}v")
        if cell.get("t") == "s" and value is not None and value.text is not None:
            cell.set("t", "s (resolved)")
            value.text = strings[int(value.text)]


def workbook_parts(path: Path) -> dict[str, list[str]]:
    """Part name -> canonical lines, volatile values replaced; binary parts by their digest."""
    with zipfile.ZipFile(path) as archive:
        strings = _shared_strings(archive)
        by_part = {part: name for name, part in sheet_parts(archive).items()}
        parts: dict[str, list[str]] = {}
        for name in sorted(archive.namelist()):
            if name == SHARED_STRINGS:
                continue
            data = archive.read(name)
            if not name.endswith((".xml", ".rels", ".vml")):
                parts[name] = [f"binary, sha256 {hashlib.sha256(data).hexdigest()}"]
                continue
            root = ET.fromstring(data)
            _resolve_shared(root, strings)
            volatile = VOLATILE.get(name) or VOLATILE.get(f"sheet:{by_part.get(name)}")
            if volatile is not None:
                volatile(root, path)
            parts[name] = element_lines(root)
    return parts


# ----------------------------------------------------------------------------- text reports

SECTION_START = {
    # A new section at each <section>, title or table caption of the HTML, and at each heading
    # of the Markdown, so that a failure names the heading a reader sees.
    "html": re.compile(r"<(?:section|h1|caption)\b"),
    "md": re.compile(r"^#{1,3} "),
}
HTML_HEADING = re.compile(r"<(h1|h2|caption)\b[^>]*>(.*?)</\1>")


def text_sections(text: str, kind: str) -> dict[str, list[str]]:
    """Heading -> its lines, in order; the lines before the first heading are the "head"."""
    chunks: list[list[str]] = [[]]
    for line in _short_lines(text):
        if SECTION_START[kind].search(line) and chunks[-1]:
            chunks.append([])
        chunks[-1].append(line)
    sections: dict[str, list[str]] = {}
    for n, chunk in enumerate(chunks):
        title = _heading(chunk, kind) if n or SECTION_START[kind].search(chunk[0]) else "head"
        sections[_unique(title, sections)] = chunk
    return sections


def _short_lines(text: str) -> list[str]:
    """The text's lines, a long one (an inline chart) cut between tags, so that a diff of a
    chart shows the element that changed rather than a line of thousands of characters."""
    lines = []
    for line in text.splitlines():
        lines += re.split(r"(?<=>)(?=<)", line) if len(line) > LONG_LINE else [line]
    return lines


def _heading(chunk: list[str], kind: str) -> str:
    if kind == "md":
        return chunk[0].lstrip("#").strip()
    marker = re.search(r'<section\b[^>]*(?:id|class)="([^"]+)"', chunk[0])
    shown = next((m.group(2) for line in chunk if (m := HTML_HEADING.search(line))), "")
    shown = html.unescape(re.sub(r"<[^>]+>", "", shown)).strip()
    return " ".join(filter(None, [shown, f"[{marker.group(1)}]" if marker else ""])) or "section"


def _unique(title: str, taken: dict[str, list[str]]) -> str:
    n, candidate = 1, title
    while candidate in taken:
        n += 1
        candidate = f"{title} ({n})"
    return candidate


# ----------------------------------------------------------------------------- comparing

def differences(golden: dict[str, list[str]], fresh: dict[str, list[str]],
                what: str) -> list[str]:
    """One message per differing part or section: its name and a short diff; [] when equal."""
    found = []
    for name in [*golden, *(name for name in fresh if name not in golden)]:
        if name not in fresh:
            found.append(f"{what} {name!r}: in the golden file, missing from the output:\n"
                         + short_diff(golden[name], []))
        elif name not in golden:
            found.append(f"{what} {name!r}: in the output, not in the golden file:\n"
                         + short_diff([], fresh[name]))
        elif golden[name] != fresh[name]:
            found.append(f"{what} {name!r} differs:\n" + short_diff(golden[name], fresh[name]))
    return found


def short_diff(golden: list[str], fresh: list[str]) -> str:
    lines = list(difflib.unified_diff(golden, fresh, "golden", "output", n=2, lineterm=""))
    if len(lines) > DIFF_LINES:
        lines = lines[:DIFF_LINES] + [f"... {len(lines) - DIFF_LINES} more diff lines"]
    return "\n".join(lines)


def canonical(path: Path) -> dict[str, list[str]]:
    """The comparable form of any golden file, by its suffix."""
    if path.suffix in (".xlsx", ".xlsm"):
        return workbook_parts(path)
    return text_sections(path.read_text(encoding="utf-8"), path.suffix.lstrip("."))


def compare(golden: Path, fresh: Path) -> list[str]:
    what = "part" if golden.suffix in (".xlsx", ".xlsm") else "section"
    return differences(canonical(golden), canonical(fresh), f"{golden.name}: {what}")
