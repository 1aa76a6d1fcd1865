"""The byte-level edits a cut sheet and its package need when the sheet is put back together:
the sheet's dimension, the namespace prefixes its copied rows use, and the entries that carry the
original's shared-strings part into the new file beside openpyxl's parts (stream.py)."""

from __future__ import annotations

import re
import zipfile

from openpyxl.utils.cell import get_column_letter, range_boundaries

from .safety import part_relationships, workbook_part

_DIMENSION = re.compile(rb'(<dimension\b[^>]*?\sref=")([^"]*)(")')
_ROOT = re.compile(rb"<worksheet\b[^>]*>")
_DECLARATION = re.compile(rb'xmlns:([A-Za-z0-9_.-]+)="[^"]*"')
_IGNORABLE = re.compile(rb'[A-Za-z0-9_.-]+:Ignorable="[^"]*"')
_STRINGS_TYPE = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings"
                 "+xml")
_STRINGS_REL = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                "sharedStrings")


def dimension_last_col(head: bytes) -> int:
    found = _DIMENSION.search(head)
    if found is None:
        return 0
    try:
        return range_boundaries(found.group(2).decode())[2] or 0
    except ValueError:
        return 0


def widened(head: bytes, last_row: int, last_col: int) -> bytes:
    """openpyxl's sheet head with a dimension that covers the rows spliced in."""
    found = _DIMENSION.search(head)
    if found is None:
        return head
    min_col, min_row, max_col, max_row = range_boundaries(found.group(2).decode())
    ref = (f"{get_column_letter(min_col or 1)}{min_row or 1}:"
           f"{get_column_letter(max(max_col or 1, last_col))}{max(max_row or 1, last_row)}")
    return head[:found.start(2)] + ref.encode() + head[found.end(2):]


def root_tag(xml: bytes) -> bytes:
    found = _ROOT.search(xml)
    return found.group() if found else b""


def with_prefixes(head: bytes, original_root: bytes) -> bytes:
    """openpyxl's sheet head with the namespace prefixes the copied rows may use declared.

    Excel writes rows with attributes such as x14ac:dyDescent; openpyxl declares no such
    prefix, and a prefix used but not declared makes the sheet unreadable XML. The original's
    declarations (and the list of prefixes older readers may ignore) are carried over.
    """
    root = _ROOT.search(head)
    if root is None or not original_root:
        return head
    tag = root.group()
    wanted = [(m.group(1), m.group()) for m in _DECLARATION.finditer(original_root)]
    extra = b"".join(b" " + text for prefix, text in wanted if b"xmlns:" + prefix + b"=" not in tag)
    ignorable = _IGNORABLE.search(original_root)
    if ignorable and b"Ignorable=" not in tag:
        extra += b" " + ignorable.group()
    if not extra:
        return head
    end = root.end() - (2 if tag.endswith(b"/>") else 1)
    return head[:end] + extra + head[end:]


def strings_part(archive: zipfile.ZipFile) -> str | None:
    names = set(archive.namelist())
    book = workbook_part(part_relationships(archive, "", names).values())
    return next((t for kind, t in part_relationships(archive, book, names).values()
                 if kind == "sharedStrings" and t in names), None)


def free_name(names: set[str], wanted: str) -> str:
    stem, dot, suffix = wanted.rpartition(".")
    n, name = 1, wanted
    while name in names:
        n += 1
        name = f"{stem}{n}{dot}{suffix}"
    return name


def insert_before(xml: bytes, closing: bytes, element: bytes) -> bytes:
    at = xml.rfind(closing)
    if at < 0:
        raise ValueError(f"no {closing.decode()} to add to")
    return xml[:at] + element + xml[at:]


def strings_override(name: str) -> bytes:
    return f'<Override PartName="/{name}" ContentType="{_STRINGS_TYPE}"/>'.encode()


def strings_rel(rels: bytes, name: str) -> bytes:
    n, rel_id = 1, "rIdStrings"
    while f'Id="{rel_id}"'.encode() in rels:
        n += 1
        rel_id = f"rIdStrings{n}"
    target = name.removeprefix("xl/")
    return f'<Relationship Id="{rel_id}" Type="{_STRINGS_REL}" Target="{target}"/>'.encode()
