"""Finding one's way in a workbook's zip: relationships, the workbook part, its sheets' parts,
and the parts a package refers to but does not hold.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterable
from urllib.parse import unquote
from xml.etree import ElementTree


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
        if local_name(element.tag) == "sheet":
            kind, target = rels.get(rel_id(element) or "", ("", ""))
            if kind == "worksheet" and target in names:
                parts[element.get("name", "")] = target
    return parts


def local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def rel_id(element: ElementTree.Element) -> str | None:
    for name, value in element.attrib.items():
        if name.endswith("}id") and "relationships" in name:
            return value
    return None


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
