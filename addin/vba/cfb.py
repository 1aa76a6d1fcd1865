"""A writer for compound files (MS-CFB), version 3: 512-byte sectors, 64-byte mini sectors.

A compound file is a small file system in one file: a header, a FAT chaining the sectors of
each stream, a directory of storages and streams, and a mini stream holding every stream under
4096 bytes in 64-byte pieces chained by a mini FAT. Files of any size are written correctly:
the FAT takes as many sectors as needed, those past the 109 listed in the header are listed in
DIFAT sectors, and each storage's children form a balanced search tree (all nodes black, which
MS-CFB 2.6.4 allows).

The input is a tree of plain values: a dict maps a name to ``bytes`` (a stream) or to another
dict (a storage). Output is deterministic: no timestamps, no class ids.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from dataclasses import dataclass, field

SECTOR = 512
MINI_SECTOR = 64
MINI_STREAM_CUTOFF = 4096
ENTRIES_PER_SECTOR = SECTOR // 4  # FAT, mini FAT and DIFAT entries are 32-bit
DIFAT_IN_HEADER = 109

FREESECT = 0xFFFFFFFF
ENDOFCHAIN = 0xFFFFFFFE
FATSECT = 0xFFFFFFFD
DIFSECT = 0xFFFFFFFC
NOSTREAM = 0xFFFFFFFF

SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
_FORBIDDEN = set("/\\:!")

Tree = Mapping[str, "bytes | Tree"]


@dataclass
class _Entry:
    name: str
    kind: int  # 1 storage, 2 stream, 5 root
    data: bytes = b""
    children: list[_Entry] = field(default_factory=list)
    sid: int = 0
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    start: int = ENDOFCHAIN
    size: int = 0


def write_compound_file(tree: Tree) -> bytes:
    """The bytes of a compound file holding ``tree`` under its root storage."""
    root = _Entry("Root Entry", 5, children=_entries(tree))
    entries = _number(root)
    for entry in entries:
        if entry.children:
            entry.child = _link_siblings(entry.children)
    mini_stream, mini_fat = _place_small_streams(entries)
    root.data = mini_stream
    return _Layout(entries, mini_fat).render()


def _entries(tree: Tree) -> list[_Entry]:
    entries = []
    for name, value in tree.items():
        _check_name(name)
        if isinstance(value, Mapping):
            entries.append(_Entry(name, 1, children=_entries(value)))
        else:
            entries.append(_Entry(name, 2, data=bytes(value)))
    keys = [_sort_key(e.name) for e in entries]
    if len(set(keys)) != len(keys):
        raise ValueError("two entries of one storage have the same name (names ignore case)")
    return entries


def _check_name(name: str) -> None:
    if not name or len(name.encode("utf-16-le")) > 62 or _FORBIDDEN & set(name):
        raise ValueError(f"{name!r} cannot name a compound-file entry "
                         "(1 to 31 characters, none of / \\ : !)")


def _sort_key(name: str) -> tuple[int, str]:
    """MS-CFB 2.6.4 order: shorter names first, then by upper-cased UTF-16 code units."""
    return len(name.encode("utf-16-le")), name.upper()


def _number(root: _Entry) -> list[_Entry]:
    """Directory order: each entry gets its stream id (its index) depth first."""
    ordered, stack = [], [root]
    while stack:
        entry = stack.pop()
        entry.sid = len(ordered)
        ordered.append(entry)
        stack.extend(reversed(entry.children))
    return ordered


def _link_siblings(children: list[_Entry]) -> int:
    """Make a balanced binary search tree of the siblings; return the id of its root."""
    ordered = sorted(children, key=lambda e: _sort_key(e.name))

    def build(low: int, high: int) -> int:
        if low >= high:
            return NOSTREAM
        middle = (low + high) // 2
        node = ordered[middle]
        node.left, node.right = build(low, middle), build(middle + 1, high)
        return node.sid

    return build(0, len(ordered))


def _place_small_streams(entries: list[_Entry]) -> tuple[bytes, list[int]]:
    """Pack streams under the cutoff into the mini stream; return it and its mini FAT."""
    mini_stream = bytearray()
    mini_fat: list[int] = []
    for entry in entries:
        if entry.kind != 2 or not 0 < len(entry.data) < MINI_STREAM_CUTOFF:
            continue
        count = -(-len(entry.data) // MINI_SECTOR)
        first = len(mini_fat)
        mini_fat += list(range(first + 1, first + count)) + [ENDOFCHAIN]
        entry.start, entry.size = first, len(entry.data)
        mini_stream += entry.data.ljust(count * MINI_SECTOR, b"\x00")
    return bytes(mini_stream), mini_fat


def _sectors(size: int) -> int:
    return -(-size // SECTOR)


class _Layout:
    """Where every sector goes: stream data, then mini FAT, directory, FAT and DIFAT."""

    def __init__(self, entries: list[_Entry], mini_fat: list[int]) -> None:
        self.entries = entries
        self.fat: list[int] = []
        self.body = bytearray()
        # Large streams, and the root's mini stream, live in regular sectors.
        for entry in entries:
            big = entry.kind == 2 and len(entry.data) >= MINI_STREAM_CUTOFF
            if big or (entry.kind == 5 and entry.data):
                entry.start, entry.size = self._append(entry.data), len(entry.data)
        unused = (-len(mini_fat)) % ENTRIES_PER_SECTOR
        self.mini_fat_start = (self._append(_u32s(mini_fat + [FREESECT] * unused))
                               if mini_fat else ENDOFCHAIN)
        self.mini_fat_sectors = _sectors(len(mini_fat) * 4)
        directory = b"".join(_directory_entry(e) for e in entries)
        padding = (-len(entries)) % (SECTOR // 128)
        self.directory_start = self._append(directory + _unused_entry() * padding)
        self.fat_sectors, self.difat_sectors = _fat_size(len(self.fat))

    def _append(self, data: bytes) -> int:
        """Put ``data`` in the next free sectors, chained in the FAT; return the first one."""
        first, count = len(self.fat), _sectors(len(data))
        self.fat += list(range(first + 1, first + count)) + [ENDOFCHAIN]
        self.body += data.ljust(count * SECTOR, b"\x00")
        return first

    def render(self) -> bytes:
        fat_ids = list(range(len(self.fat), len(self.fat) + self.fat_sectors))
        difat_ids = list(range(fat_ids[-1] + 1, fat_ids[-1] + 1 + self.difat_sectors))
        fat = self.fat + [FATSECT] * len(fat_ids) + [DIFSECT] * len(difat_ids)
        fat += [FREESECT] * (len(fat_ids) * ENTRIES_PER_SECTOR - len(fat))
        return b"".join([
            self._header(fat_ids, difat_ids),
            bytes(self.body),
            _u32s(fat),
            _difat_sectors(fat_ids[DIFAT_IN_HEADER:], difat_ids),
        ])

    def _header(self, fat_ids: list[int], difat_ids: list[int]) -> bytes:
        in_header = fat_ids[:DIFAT_IN_HEADER]
        in_header += [FREESECT] * (DIFAT_IN_HEADER - len(in_header))
        header = b"".join([
            SIGNATURE,
            bytes(16),  # header class id
            struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6),  # versions, byte order, shifts
            bytes(6),
            struct.pack("<IIII", 0, len(fat_ids), self.directory_start, 0),
            struct.pack("<IIIII", MINI_STREAM_CUTOFF, self.mini_fat_start,
                        self.mini_fat_sectors, difat_ids[0] if difat_ids else ENDOFCHAIN,
                        len(difat_ids)),
            _u32s(in_header),
        ])
        assert len(header) == SECTOR
        return header


def _fat_size(content_sectors: int) -> tuple[int, int]:
    """FAT and DIFAT sector counts: the FAT must also map its own and the DIFAT's sectors."""
    fat, difat = 1, 0
    while True:
        total = content_sectors + fat + difat
        need_fat = -(-total // ENTRIES_PER_SECTOR)
        need_difat = -(-max(0, need_fat - DIFAT_IN_HEADER) // (ENTRIES_PER_SECTOR - 1))
        if (need_fat, need_difat) == (fat, difat):
            return fat, difat
        fat, difat = max(fat, need_fat), max(difat, need_difat)


def _difat_sectors(listed: list[int], difat_ids: list[int]) -> bytes:
    """Each DIFAT sector lists 127 FAT sectors and ends with the id of the next DIFAT sector."""
    out = bytearray()
    per = ENTRIES_PER_SECTOR - 1
    for index, _ in enumerate(difat_ids):
        chunk = listed[index * per:(index + 1) * per]
        chunk += [FREESECT] * (per - len(chunk))
        following = difat_ids[index + 1] if index + 1 < len(difat_ids) else ENDOFCHAIN
        out += _u32s(chunk + [following])
    return bytes(out)


def _directory_entry(entry: _Entry) -> bytes:
    name = entry.name.encode("utf-16-le") + b"\x00\x00"
    return b"".join([
        name.ljust(64, b"\x00"),
        struct.pack("<HBB", len(name), entry.kind, 1),  # colour: black
        struct.pack("<III", entry.left, entry.right, entry.child),
        bytes(16),  # class id
        struct.pack("<I", 0),  # state bits
        bytes(16),  # creation and modification times: none, for reproducible files
        struct.pack("<IQ", entry.start if entry.size else ENDOFCHAIN, entry.size)
        if entry.kind != 1 else struct.pack("<IQ", 0, 0),
    ])


def _unused_entry() -> bytes:
    return bytes(64) + struct.pack("<HBB", 0, 0, 0) + _u32s([NOSTREAM] * 3) + bytes(36)


def _u32s(values: list[int]) -> bytes:
    return struct.pack(f"<{len(values)}I", *values)
