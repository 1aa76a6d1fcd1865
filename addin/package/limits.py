"""Check a workbook file before any parser sees it: what it is, whether it is whole, how big it
really is.

A .xlsx/.xlsm file is a zip of XML parts. A 1 MB file can inflate to gigabytes (a zip bomb), a
part can declare one size and hold another, XML can declare entities that expand without end, and
a password-protected workbook is not a zip at all but an OLE compound file with the zip encrypted
inside. Every part is inflated here once (a sheet near the cell limit twice), in chunks with a
running total, so each of these is refused with a message naming the file and the part before
openpyxl or calamine reads anything. On a 50,000-row register (about 80 MB of XML) inflating
costs about 0.1 s of CPU and the looking at it about as much again.

The batch door and the reports run the same check and say the same refusals (``PackageRefused``,
which each turns into its own refusal); an operating-system error while reading is left to the
caller, who knows whether it was reading or writing.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

from addin.core.errors import Refusal, about_file
from addin.core.findings import cell_ref
from addin.core.text import Text
from addin.layout.sheets import GRID_ROLES, sheet_role

from .blocks import MAX_BLOCK_CELLS, Block, BlockMeasure, column_index, unusual_tag
from .parts import sheet_parts

# A 50,000-row register is about 60 MB of sheet XML and 30 MB of shared strings. 256 MB per part
# is four times that and still loads (cut) in a few hundred MB of memory; 1 GB in all bounds a
# workbook of several such sheets.
MAX_PART_BYTES = 256 << 20
MAX_TOTAL_BYTES = 1 << 30
# Real sheet XML deflates about 4 to 12 times (a processed 20,000-row demo workbook: 8 for the
# register, 12 at most for any part; the committed card: 7); a run of zeros deflates a thousand
# times. Parts under RATIO_FLOOR are too small to matter.
MAX_RATIO = 200
RATIO_FLOOR = 1 << 20
# Cells per sheet: the 50,000 x 20 register is one million; three times that bounds openpyxl's
# memory for a sheet it loads whole (about 500 bytes a cell) to a gigabyte and a half.
MAX_CELLS = 3_000_000
MAX_PARTS = 10_000
CHUNK = 1 << 20
MAX_ROWS, MAX_COLUMNS = 1_048_576, 16_384  # a worksheet's size in Excel

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")
_DTD_MARKS = tuple(mark for text in ("<!DOCTYPE", "<!ENTITY")
                   for mark in (text.encode(), text.encode("utf-16-le"), text.encode("utf-16-be")))
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_CELL = re.compile(rb"<c[\s/>]")
_PREFIXED_CELL = re.compile(rb"<\w+:c[\s/>]")
_CELL_REF = re.compile(rb'<(?:\w+:)?c\s[^>]{0,200}?\br="([A-Z]{1,3})(\d{1,7})"')
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]{0,200}?\bref="([A-Z0-9:$]{1,30})"')
_OVERLAP = 256  # bytes kept from the previous chunk: a tag split between chunks is read whole


class PackageRefused(Refusal):
    """The file is not a whole, unencrypted workbook within the limits; the message names the
    file (and the part or cell) and says what to do, in both languages."""


def check_package(path: Path | str, blocks: bool = False) -> dict[str, PackageRefused]:
    """Refuse ``path`` (``PackageRefused``) unless it is a whole, unencrypted workbook zip within
    every limit. An ``OSError`` while reading it is raised as it is.

    ``blocks`` is for a reader that makes one block of each sheet it reads (the reports'
    calamine): the sheets whose cells span more than ``MAX_BLOCK_CELLS`` are returned by title,
    each with the refusal to raise if it is to be read. Others may be read; the batch door reads
    cell by cell and reads them all.
    """
    path = Path(path)
    head = _head(path)
    if head.startswith(OLE_MAGIC):
        raise _encrypted(path) if _is_encrypted(path) else _legacy(path)
    try:
        with zipfile.ZipFile(path) as archive:
            return _check_archive(path, archive, blocks)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as err:
        raise _corrupt(path, str(err)) from err


def _head(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(len(OLE_MAGIC))


def _is_encrypted(path: Path) -> bool:
    """An encrypted Office file is an OLE compound file holding an EncryptionInfo stream; the
    stream names sit in its directory as UTF-16 text, so the raw bytes show them."""
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            if _ENCRYPTED in chunk:
                return True
    return False


def _check_archive(path: Path, archive: zipfile.ZipFile, blocks: bool = False
                   ) -> dict[str, PackageRefused]:
    infos = archive.infolist()
    if len(infos) > MAX_PARTS:
        raise _too_big(path, "the workbook", f"{len(infos):,} parts", f"{MAX_PARTS:,} parts")
    declared = sum(info.file_size for info in infos)
    if declared > MAX_TOTAL_BYTES:
        raise _too_big(path, "the workbook", _mb(declared), _mb(MAX_TOTAL_BYTES))
    for info in infos:
        _check_declared(path, info)
    total, wide = 0, {}
    for info in infos:
        total += _inflate(path, archive, info, MAX_TOTAL_BYTES - total, wide if blocks else None)
    settings_extents(path, archive)
    # Named by their titles, which are safe to read once every part passed.
    return _too_wide(path, archive, wide) if wide else {}


def _check_declared(path: Path, info: zipfile.ZipInfo) -> None:
    if info.file_size > MAX_PART_BYTES:
        raise _too_big(path, info.filename, _mb(info.file_size), _mb(MAX_PART_BYTES))
    if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        ratio = info.file_size // max(info.compress_size, 1)
        raise _too_big(path, info.filename, f"compressed {ratio:,} to 1",
                       f"{MAX_RATIO} to 1")


class _Recount(Exception):
    """A sheet's quick bound on its cells passed the limit, or a sheet to be read as a block has
    a tag of unusual shape: count and place its cells exactly."""


def _inflate(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo, room: int,
             wide: dict[str, Block] | None = None) -> int:
    """Inflate one part in chunks; refuse it past a limit or with entity declarations.
    Returns its size. With ``wide``, a sheet spanning too big a block is put there."""
    try:
        return _read_part(path, archive, info, room, exact=False, wide=wide)
    except _Recount:  # rare: such a sheet is read again, counting exactly
        return _read_part(path, archive, info, room, exact=True, wide=wide)


def _read_part(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo, room: int,
               exact: bool, wide: dict[str, Block] | None = None) -> int:
    limit = min(MAX_PART_BYTES, room)
    scan = _SheetScan(path, info.filename, exact, blocks=wide is not None) \
        if info.filename.startswith("xl/worksheets/") else None
    xml = info.filename.casefold().endswith(_XML_SUFFIXES)
    size, tail = 0, b""
    with archive.open(info) as stream:
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > limit:
                whole = MAX_PART_BYTES if limit == MAX_PART_BYTES else MAX_TOTAL_BYTES
                raise _too_big(path, info.filename, f"over {_mb(size)}", _mb(whole))
            window = tail + chunk
            if xml and _declares_entities(window):
                raise _entities(path, info.filename)
            if scan is not None:
                scan.feed(chunk, window)
            tail = window[-_OVERLAP:]
    block = scan.finish(tail) if scan is not None else None
    if block is not None and block.cells > MAX_BLOCK_CELLS:
        wide[info.filename] = block  # type: ignore[index] - a block is measured only for wide
    return size


def _declares_entities(window: bytes) -> bool:
    # Every mark holds "!": a search for one byte runs at memory speed, and most sheets have no
    # "!" at all, where looking for the marks themselves costs a pass over every "<".
    if b"!" not in window:
        return False
    # Every mark starts with "<!" in UTF-8 or "<\0!" in UTF-16; text never holds "<".
    return (b"<!" in window or b"<\x00!" in window) and \
        any(mark in window for mark in _DTD_MARKS)


class _SheetScan:
    """Counts a sheet's cells and the cells its merged ranges cover, chunk by chunk (openpyxl
    makes an object for every cell of a merged range, so one merge over the whole sheet would
    be seventeen billion objects).

    Cells are first bounded from above, cheaply: every cell tag holds "<c" or, named through a
    prefix (x:c), ":c". Only when that bound passes the limit are they counted exactly with
    the patterns (``exact``), so that a sheet is refused for the cells it really has.
    """

    def __init__(self, path: Path, part: str, exact: bool = False, blocks: bool = False) -> None:
        self.path, self.part, self.exact = path, part, exact
        self.cells = self.merged = 0
        # For a block reader: the quick scan looks for tags of unusual shape, the exact one
        # places every cell (see ``blocks``).
        self.shapes = blocks and not exact
        self.measure = BlockMeasure() if blocks and exact else None

    def feed(self, chunk: bytes, window: bytes) -> None:
        carried = len(window) - len(chunk)  # matches ending there were counted already
        if self.exact:
            self._count_exactly(window, carried)
        else:
            self.cells += _occurrences(b"<c", window, carried)
            if b":" in window:  # one byte, searched at memory speed; rare below the root tag
                self.cells += _occurrences(b":c", window, carried)
            if self.cells > MAX_CELLS or self.shapes and unusual_tag(window, carried):
                raise _Recount
        if self.measure is not None:
            self.measure.feed(chunk)
        if b"mergeCell" in window:  # the pattern tried at every "<" costs more than this scan
            for match in _MERGE.finditer(window):
                if match.end() > carried:
                    self.merged += _area(match.group(1).decode("ascii", "replace"))
        if self.merged > MAX_CELLS:
            raise _too_big(self.path, self.part, f"merged ranges over {self.merged:,} cells",
                           f"{MAX_CELLS:,} cells")

    def finish(self, tail: bytes) -> Block | None:
        """The block the sheet spans, when it was measured; the last tags are judged here."""
        if self.shapes and unusual_tag(tail, len(tail), final=True):
            raise _Recount
        return self.measure.finish() if self.measure is not None else None

    def _count_exactly(self, window: bytes, carried: int) -> None:
        # Matches within the carried bytes came before; counted in C, not match by match.
        self.cells += _count(_CELL, window, carried)
        if b":c" in window:  # cells named through a prefix (x:c), as some tools write them
            self.cells += _count(_PREFIXED_CELL, window, carried)
        if self.cells > MAX_CELLS:
            raise _too_big(self.path, self.part, f"over {self.cells:,} cells",
                           f"{MAX_CELLS:,} cells")


def _count(pattern: re.Pattern[bytes], window: bytes, carried: int) -> int:
    return len(pattern.findall(window)) - len(pattern.findall(window, 0, carried))


def _occurrences(text: bytes, window: bytes, carried: int) -> int:
    """How often ``text`` occurs in ``window`` outside the carried bytes, as ``_count``."""
    return window.count(text) - window.count(text, 0, carried)


_CORNER = re.compile(r"\$?([A-Z]{0,3})\$?(\d{0,7})")


def _area(ref: str) -> int:
    """The cells a merged range such as 'A1:C4' covers (a whole column 'A:A' or row '3:3'
    counts every cell of it); 0 for a reference that cannot be read."""
    corners = [_CORNER.fullmatch(corner) for corner in ref.split(":")]
    if len(corners) not in (1, 2) or not all(corners):
        return 0
    cols = [column_index(m.group(1)) if m.group(1) else None for m in corners]
    rows = [int(m.group(2)) if m.group(2) else None for m in corners]
    width = cols[-1] - cols[0] + 1 if None not in cols else MAX_COLUMNS
    height = rows[-1] - rows[0] + 1 if None not in rows else MAX_ROWS
    return max(width, 1) * max(height, 1)


def settings_extents(path: Path, archive: zipfile.ZipFile) -> None:
    """Refuse a settings sheet (Settings, Lists, Rules, Holidays) with a cell beyond the area the
    doors read as a grid. Run after every part passed the checks above, so parsing the workbook
    part is safe."""
    for title, part in sheet_parts(archive).items():
        if sheet_role(title) not in GRID_ROLES:
            continue
        tail = b""
        with archive.open(part) as stream:
            while chunk := stream.read(CHUNK):
                window = tail + chunk
                for letters, row in _CELL_REF.findall(window):
                    # The first cell found out of bounds is the one named to staff.
                    check_settings_range(path.name, title, int(row),
                                         column_index(letters.decode()))
                tail = window[-_OVERLAP:]


def check_settings_range(file: str, sheet: str, last_row: int, last_col: int) -> None:
    """Refuse a settings sheet whose used range reaches past the area read (see core limits)."""
    # Imported here, as pandas comes with it: a report checks the package while its own
    # modules load (reports.readahead), and the check must not wait for them.
    from addin.core.limits import settings_range_finding

    problem = settings_range_finding(sheet, last_row, last_col)
    if problem is not None:
        raise PackageRefused(about_file(file, problem))


def _mb(size: int) -> str:
    return f"{size / (1 << 20):,.0f} MB"


# The refusals of a file the checks above stop, in both languages.
SAYS: dict[str, Text] = {
    "too_big": Text(
        "{file} is refused: {part} is {found}, over the limit of {limit} this program reads (a "
        "damaged file or a zip bomb). Open it in Excel, remove what is not needed, save it and "
        "run again.",
        "{file} 被拒绝：{part} 为 {found}，超出本程序读取上限 {limit}（文件可能已损坏或为"
        "压缩炸弹）。请在 Excel 中打开，删除不需要的内容，保存后重新运行。"),
    "too_wide": Text(
        "{file} is refused: {cell} holds something, so the cells of sheet {sheet} span "
        "{rows:,} rows by {cols:,} columns ({cells:,} cells), over the {limit:,} a report reads "
        "as one block. In Excel go to that cell (Ctrl+End goes to the last one used), clear "
        "it or move it next to the table, save and run again.",
        "{file} 被拒绝：{cell} 中有内容，使工作表 {sheet} 的单元格范围达到 {rows:,} 行 × "
        "{cols:,} 列（{cells:,} 个单元格），超出报表整块读取的上限 {limit:,} 个。请在 Excel "
        "中转到该单元格（Ctrl+End 可跳到最后使用的单元格），清除其内容或移到表格旁，"
        "保存后重新运行。"),
    "encrypted": Text(
        "{file} is password-protected (encrypted), so it cannot be read. In Excel open it with "
        "its password, choose File > Info > Protect Workbook > Encrypt with Password, clear the "
        "password, save, and run again.",
        "{file} 设置了打开密码（已加密），无法读取。请在 Excel 中用密码打开，"
        "选择“文件 > 信息 > 保护工作簿 > 用密码进行加密”，清空密码并保存后重新运行。"),
    "legacy": Text(
        "{file} is an Excel 97-2003 workbook (.xls format) under another name. Open it in "
        "Excel, save it as .xlsx or .xlsm (File > Save As) and run again.",
        "{file} 是 Excel 97-2003 工作簿（.xls 格式），只是扩展名不同。请在 Excel 中打开，"
        "另存为 .xlsx 或 .xlsm 后重新运行。"),
    "corrupt": Text(
        "{file} cannot be read as a workbook: it is damaged or incomplete (not a whole "
        ".xlsx/.xlsm zip: {detail}). If it was copied or downloaded, copy it again; otherwise "
        "open it in Excel, which offers to repair it, save it and run again. A backup may be in "
        "the backups folder beside it.",
        "{file} 无法作为工作簿读取：文件已损坏或不完整"
        "（不是完整的 .xlsx/.xlsm 压缩包：{detail}）。如果是复制或下载得到的，请重新复制；"
        "否则请在 Excel 中打开（Excel 会提示修复），保存后重新运行。旁边的 "
        "backups 文件夹中可能有备份。"),
    "entities": Text(
        "{file} is refused: its part {part} declares XML entities (a DOCTYPE), which Excel "
        "never writes and which can make a reader expand text without end. Open the file in "
        "Excel, save it as a new .xlsx/.xlsm and run again.",
        "{file} 被拒绝：其中的 {part} 声明了 XML 实体（DOCTYPE），Excel 从不写入这种内容，"
        "它可能让读取程序无限展开文本。请在 Excel 中打开并另存为新的 .xlsx/.xlsm 后重新运行。"),
}


def _too_big(path: Path, part: str, found: str, limit: str) -> PackageRefused:
    return PackageRefused(SAYS["too_big"].format(file=path.name, part=part, found=found,
                                                  limit=limit))


def _too_wide(path: Path, archive: zipfile.ZipFile, wide: dict[str, Block]
              ) -> dict[str, PackageRefused]:
    return {title: PackageRefused(SAYS["too_wide"].format(
        file=path.name, sheet=title, cell=cell_ref(title, block.far[0] + 1, block.far[1] + 1),
        rows=block.last_row - block.first_row + 1, cols=block.last_col - block.first_col + 1,
        cells=block.cells, limit=MAX_BLOCK_CELLS))
        for title, part in sheet_parts(archive).items() if (block := wide.get(part))}


def _encrypted(path: Path) -> PackageRefused:
    return PackageRefused(SAYS["encrypted"].format(file=path.name))


def _legacy(path: Path) -> PackageRefused:
    return PackageRefused(SAYS["legacy"].format(file=path.name))


def _corrupt(path: Path, detail: str) -> PackageRefused:
    return PackageRefused(SAYS["corrupt"].format(file=path.name, detail=detail))


def _entities(path: Path, part: str) -> PackageRefused:
    return PackageRefused(SAYS["entities"].format(file=path.name, part=part))
