"""Write a workbook's zip with its unchanged parts copied as stored (compressed) bytes.

Saving a workbook through ``zipfile`` inflates and deflates again every part it copies; on a big
register that is a real share of a save, though most parts did not change. CPython's zipfile has
no public call to copy an entry's compressed bytes, so this module writes the zip itself, from
the structures the zip format (PKWARE APPNOTE) documents: for each entry a local file header
followed by its data, then the central directory and its end record. A copied entry keeps its
compression method, CRC-32, sizes and bytes exactly; only the parts a run changed are deflated
anew. The zip64 extensions are not written: a part or a file past 4 GB is refused.
"""

from __future__ import annotations

import struct
import time
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO

CHUNK = 1 << 20  # bytes copied or compressed at a time
_LOCAL = struct.Struct("<4sHHHHHLLLHH")  # local file header, before the name and extra field
_CENTRAL = struct.Struct("<4sBBHHHHHLLLHHHHHLL")  # central directory header, ditto
_END = struct.Struct("<4sHHHHLLH")  # end of central directory record
_LOCAL_SIGNATURE, _CENTRAL_SIGNATURE = b"PK\x03\x04", b"PK\x01\x02"
_END_SIGNATURE = b"PK\x05\x06"
_CRC_OFFSET = 14  # where CRC-32 and the two sizes sit in a local header
_LIMIT = 0xFFFFFFFF  # sizes and offsets at or past this need zip64
_UTF8 = 0x800  # general purpose flag bit 11: the name is UTF-8
_KEPT_FLAGS = 0x6  # bits 1-2: the deflate level used, kept on a copied entry
_UNIX = 3  # "version made by" host system
Replacement = bytes | Iterable[bytes] | None


@dataclass
class _Entry:
    """What the central directory says about an entry written."""

    name: bytes
    flags: int
    method: int
    dos_time: int
    dos_date: int
    crc: int
    compressed: int
    size: int
    offset: int
    external_attr: int
    version_needed: int


def _dos(date_time: tuple[int, ...]) -> tuple[int, int]:
    year, month, day, hour, minute, second = date_time[:6]
    if year < 1980:  # the format cannot say earlier
        year, month, day, hour, minute, second = 1980, 1, 1, 0, 0, 0
    return (hour << 11) | (minute << 5) | (second // 2), ((year - 1980) << 9) | (month << 5) | day


def _encoded(name: str) -> tuple[bytes, int]:
    try:
        return name.encode("ascii"), 0
    except UnicodeEncodeError:
        return name.encode("utf-8"), _UTF8


class ZipSource:
    """A zip whose entries' stored bytes can be read as they are, without inflating them."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        with zipfile.ZipFile(self.path) as archive:
            self.entries = archive.infolist()
        self.file: IO[bytes] = self.path.open("rb")

    def close(self) -> None:
        self.file.close()

    def __enter__(self) -> ZipSource:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def stored(self, info: zipfile.ZipInfo) -> Iterator[bytes]:
        """The entry's data as stored in the zip (compressed, if it is), in chunks."""
        if info.flag_bits & 0x1:
            raise ValueError(f"{info.filename} is encrypted; it cannot be copied")
        self.file.seek(info.header_offset)
        header = self.file.read(_LOCAL.size)
        fields = _LOCAL.unpack(header) if len(header) == _LOCAL.size else None
        if fields is None or fields[0] != _LOCAL_SIGNATURE:
            raise zipfile.BadZipFile(f"{info.filename}: no local file header where the "
                                     "directory says")
        name_length, extra_length = fields[9], fields[10]
        name = self.file.read(name_length)
        if name not in (info.orig_filename.encode("utf-8"), info.orig_filename.encode("cp437",
                                                                                      "replace")):
            raise zipfile.BadZipFile(f"{info.filename}: the local header names another entry")
        self.file.seek(extra_length, 1)
        left = info.compress_size
        while left:
            chunk = self.file.read(min(CHUNK, left))
            if not chunk:
                raise zipfile.BadZipFile(f"{info.filename}: the zip ends inside its data")
            left -= len(chunk)
            yield chunk


class ZipWriter:
    """A zip being written: entries copied as their stored bytes, or written anew (deflated)."""

    def __init__(self, path: Path | str) -> None:
        self.file: IO[bytes] = Path(path).open("wb")
        self.entries: list[_Entry] = []
        self.names: set[bytes] = set()

    def __enter__(self) -> ZipWriter:
        return self

    def __exit__(self, kind: object, *_: object) -> None:
        if kind is None:
            self.close()
        else:
            self.file.close()  # a failed write leaves no directory: the file is no zip

    def copy(self, source: ZipSource, info: zipfile.ZipInfo, name: str | None = None) -> None:
        """Entry ``info`` of ``source``, its compressed bytes, CRC and sizes unchanged; under
        ``name`` when given (a part carried over beside one of the same name)."""
        encoded, utf8 = _encoded(name or info.filename)
        method = info.compress_type
        needed = 20 if method in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) \
            else info.extract_version
        entry = self._start(encoded, (info.flag_bits & _KEPT_FLAGS) | utf8, method, info.date_time,
                            info.external_attr, needed)
        entry.crc, entry.compressed, entry.size = info.CRC, info.compress_size, info.file_size
        self._header(entry)
        for chunk in source.stored(info):
            self.file.write(chunk)

    def write(self, name: str, data: bytes | Iterable[bytes],
              date_time: tuple[int, ...] | None = None) -> None:
        """A new entry ``name`` holding ``data`` (bytes, or chunks of bytes), deflated."""
        encoded, utf8 = _encoded(name)
        entry = self._start(encoded, utf8, zipfile.ZIP_DEFLATED,
                            date_time or time.localtime()[:6], 0o600 << 16, 20)
        self._header(entry)  # CRC and sizes are filled in once the data is written
        deflate = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
        for chunk in [data] if isinstance(data, bytes) else data:
            entry.crc = zlib.crc32(chunk, entry.crc)
            entry.size += len(chunk)
            self._put(entry, deflate.compress(chunk))
        self._put(entry, deflate.flush())
        end = self.file.tell()
        self.file.seek(entry.offset + _CRC_OFFSET)
        self.file.write(struct.pack("<LLL", entry.crc, entry.compressed, _checked(entry.size)))
        self.file.seek(end)

    def close(self) -> None:
        """Write the central directory and its end record, and close the file."""
        start = self.file.tell()
        for e in self.entries:
            self.file.write(_CENTRAL.pack(
                _CENTRAL_SIGNATURE, 20, _UNIX, e.version_needed, e.flags, e.method, e.dos_time,
                e.dos_date, e.crc, e.compressed, e.size, len(e.name), 0, 0, 0, 0,
                e.external_attr, e.offset) + e.name)
        size = self.file.tell() - start
        if len(self.entries) > 0xFFFF:
            raise ValueError("more than 65,535 parts: the zip would need zip64")
        self.file.write(_END.pack(_END_SIGNATURE, 0, 0, len(self.entries), len(self.entries),
                                  size, _checked(start), 0))
        self.file.close()

    def _start(self, name: bytes, flags: int, method: int, date_time: tuple[int, ...],
               external_attr: int, needed: int) -> _Entry:
        if name in self.names:
            raise ValueError(f"{name.decode('utf-8', 'replace')} is written twice")
        self.names.add(name)
        dos_time, dos_date = _dos(date_time)
        entry = _Entry(name, flags, method, dos_time, dos_date, 0, 0, 0,
                       _checked(self.file.tell()), external_attr, needed)
        self.entries.append(entry)
        return entry

    def _header(self, e: _Entry) -> None:
        self.file.write(_LOCAL.pack(_LOCAL_SIGNATURE, e.version_needed, e.flags, e.method,
                                    e.dos_time, e.dos_date, e.crc, _checked(e.compressed),
                                    _checked(e.size), len(e.name), 0) + e.name)

    def _put(self, entry: _Entry, data: bytes) -> None:
        if data:
            entry.compressed = _checked(entry.compressed + len(data))
            self.file.write(data)


def batched(pieces: Iterable[bytes]) -> Iterator[bytes]:
    """Small pieces (a row each) joined into chunks of about ``CHUNK`` bytes, so that each
    call to the compressor has work enough to be worth it."""
    held: list[bytes] = []
    size = 0
    for piece in pieces:
        held.append(piece)
        size += len(piece)
        if size >= CHUNK:
            yield b"".join(held)
            held, size = [], 0
    if held:
        yield b"".join(held)


def _checked(number: int) -> int:
    if number >= _LIMIT:
        raise ValueError("a part or the file is past 4 GB: the zip would need zip64")
    return number


def copy_archive(source: Path | str, target: Path | str,
                 replaced: Mapping[str, Replacement] | None = None) -> list[str]:
    """Write ``target`` as ``source`` with the parts in ``replaced`` written anew (None drops a
    part; a name the source lacks is added at the end). Every other part is copied as its
    stored bytes. Returns the names copied that way."""
    replaced = dict(replaced or {})
    copied = []
    with ZipSource(source) as src, ZipWriter(target) as out:
        for info in src.entries:
            if info.filename in replaced:
                data = replaced.pop(info.filename)
                if data is not None:
                    out.write(info.filename, data, info.date_time)
                continue
            out.copy(src, info)
            copied.append(info.filename)
        for name, data in replaced.items():
            if data is not None:
                out.write(name, data)
    return copied
