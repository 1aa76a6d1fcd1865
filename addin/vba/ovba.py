"""The VBA project storage of an Office file, written from the MS-OVBA specification.

A ``vbaProject.bin`` holds the VBA source of every module, compressed (MS-OVBA 2.4.1), next to
a ``dir`` stream that lists the project and its modules (2.3.4.2), a ``PROJECT`` text stream
(2.3.1) and a ``PROJECTwm`` name map (2.3.3). We write no compiled p-code: the 7-byte
``_VBA_PROJECT`` stream carries the version 0xFFFF that makes Office drop the (absent)
performance cache and compile the modules from their source when the workbook opens.

Source is ANSI in the project code page (1252). Text outside it cannot be stored, so a module
that needs Chinese builds its strings with ``ChrW()`` at run time.
"""

from __future__ import annotations

import re
import struct
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

CODE_PAGE = 1252
ENCODING = "cp1252"
LCID_EN_US = 0x0409
CHUNK_SIZE = 4096  # decompressed bytes per CompressedChunk (2.4.1.1.4)

ModuleKind = Literal["standard", "document", "class"]

# VB_Base of the Excel object each document module extends, and of a plain class module.
WORKBOOK_BASE = "0{00020819-0000-0000-C000-000000000046}"
WORKSHEET_BASE = "0{00020820-0000-0000-C000-000000000046}"
CLASS_BASE = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"

# The OLE Automation type library every Office project references.
STDOLE_LIBID = (
    r"*\G{00020430-0000-0000-C000-000000000046}#2.0#0"
    r"#C:\Windows\System32\stdole2.tlb#OLE Automation"
)
# The values hidden in CMG, DPB and GC (2.3.1.15-17): not protected, no password, visible.
NOT_PROTECTED = bytes(4)
NO_PASSWORD = b"\x00"
VISIBLE = b"\xff"
HOST_EXTENDER = "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000"


class VbaSourceError(ValueError):
    """A module cannot be stored as written; the message says which module, where and why."""


# ---------------------------------------------------------------------------------------------
# Compression (2.4.1)
# ---------------------------------------------------------------------------------------------

def copy_token_help(position_in_chunk: int) -> tuple[int, int]:
    """Bit count and maximum length of a CopyToken at this decompressed position (2.4.1.3.19.1).

    The offset field grows as the chunk fills, leaving fewer bits for the length.
    """
    bit_count = max((position_in_chunk - 1).bit_length(), 4)  # ceil(log2(n)) for n >= 1
    return bit_count, (0xFFFF >> bit_count) + 3


def compress(data: bytes) -> bytes:
    """A CompressedContainer for ``data``: signature byte 0x01, then one chunk per 4096 bytes."""
    out = bytearray(b"\x01")
    for start in range(0, len(data), CHUNK_SIZE):
        out += _compress_chunk(data, start, min(start + CHUNK_SIZE, len(data)))
    return bytes(out)


def _compress_chunk(data: bytes, start: int, end: int) -> bytes:
    body = _token_sequences(data, start, end)
    if len(body) <= CHUNK_SIZE:
        header = 0x8000 | 0x3000 | (len(body) + 2 - 3)  # flag, signature 0b011, size - 3
        return header.to_bytes(2, "little") + body
    # Compression did not help (2.4.1.3.10): store the 4096 bytes raw, zero-padded as written
    # by the specification (only a final, short and incompressible chunk can need padding).
    return (0x3FFF).to_bytes(2, "little") + data[start:end].ljust(CHUNK_SIZE, b"\x00")


def _token_sequences(data: bytes, start: int, end: int) -> bytearray:
    body = bytearray()
    matcher = _Matcher(data, start, end)
    pos = start
    while pos < end:
        flag_at = len(body)
        body.append(0)
        flags = 0
        for bit in range(8):
            if pos >= end:
                break
            length, offset = matcher.best(pos)
            if length:
                bit_count, _ = copy_token_help(pos - start)
                token = ((offset - 1) << (16 - bit_count)) | (length - 3)
                body += token.to_bytes(2, "little")
                flags |= 1 << bit
                pos += length
            else:
                body.append(data[pos])
                pos += 1
        body[flag_at] = flags
    return body


class _Matcher:
    """The Matching step of 2.4.1.3.19.4, answered through an index of 3-byte prefixes.

    The specification scans every earlier position of the chunk, nearest first, and keeps the
    first candidate with the strictly longest (uncapped) match. Only candidates sharing the
    next three bytes can reach the minimum copy length of 3, so scanning just those, in the
    same order with the same rule, gives the same tokens in far fewer steps.
    """

    def __init__(self, data: bytes, start: int, end: int) -> None:
        self.data, self.start, self.end = data, start, end
        self.by_prefix: dict[bytes, list[int]] = {}
        self.indexed = start  # positions below this are in by_prefix

    def best(self, pos: int) -> tuple[int, int]:
        data, end = self.data, self.end
        self._index_until(pos)
        if pos + 3 > end:
            return 0, 0
        limit = end - pos
        best_len, best_at = 0, -1
        for cand in reversed(self.by_prefix.get(data[pos:pos + 3], ())):
            # A candidate can only win if it also matches the byte after the current best.
            if best_len and data[cand + best_len] != data[pos + best_len]:
                continue
            length = _common_length(data, cand, pos, limit)
            if length > best_len:
                best_len, best_at = length, cand
                if length == limit:
                    break
        if best_len < 3:
            return 0, 0
        _, maximum = copy_token_help(pos - self.start)
        return min(best_len, maximum), pos - best_at

    def _index_until(self, pos: int) -> None:
        data, last = self.data, self.end - 3
        for at in range(self.indexed, min(pos, last + 1)):
            self.by_prefix.setdefault(data[at:at + 3], []).append(at)
        self.indexed = max(self.indexed, pos)


def _common_length(data: bytes, a: int, b: int, limit: int) -> int:
    """How many bytes from ``a`` equal those from ``b`` (a < b; overlap allowed), up to limit."""
    n, step = 0, 8
    while n < limit:
        k = min(step, limit - n)
        if data[a + n:a + n + k] == data[b + n:b + n + k]:
            n += k
            step *= 2
        elif k == 1:
            break
        else:
            step = k // 2
    return n


def decompress(container: bytes) -> bytes:
    """The bytes a CompressedContainer holds (2.4.1.3.1); ValueError if it is malformed."""
    if not container or container[0] != 0x01:
        raise ValueError("not a compressed container: the first byte must be 0x01")
    out = bytearray()
    pos = 1
    while pos < len(container):
        if pos + 2 > len(container):
            raise ValueError(f"truncated chunk header at byte {pos}")
        header = int.from_bytes(container[pos:pos + 2], "little")
        if (header >> 12) & 0x7 != 0b011:
            raise ValueError(f"bad chunk signature at byte {pos}")
        chunk_end = min(pos + (header & 0x0FFF) + 3, len(container))
        pos += 2
        if header & 0x8000:
            _decompress_tokens(container, pos, chunk_end, out)
        else:
            out += container[pos:pos + CHUNK_SIZE]
        pos = chunk_end
    return bytes(out)


def _decompress_tokens(container: bytes, pos: int, chunk_end: int, out: bytearray) -> None:
    chunk_start = len(out)
    while pos < chunk_end:
        flags = container[pos]
        pos += 1
        for bit in range(8):
            if pos >= chunk_end:
                break
            if not flags >> bit & 1:
                out.append(container[pos])
                pos += 1
                continue
            token = int.from_bytes(container[pos:pos + 2], "little")
            pos += 2
            bit_count, _ = copy_token_help(len(out) - chunk_start)
            length = (token & (0xFFFF >> bit_count)) + 3
            offset = (token >> (16 - bit_count)) + 1
            if offset > len(out) - chunk_start:
                raise ValueError(f"copy token reaches before its chunk at byte {pos - 2}")
            _copy_back(out, offset, length)


def _copy_back(out: bytearray, offset: int, length: int) -> None:
    """Append ``length`` bytes copied from ``offset`` back; a short offset repeats a pattern."""
    source = len(out) - offset
    if offset >= length:
        out += out[source:source + length]
        return
    pattern = bytes(out[source:])
    out += (pattern * (length // offset + 1))[:length]


# ---------------------------------------------------------------------------------------------
# Data Encryption (2.4.3): the obfuscation of the CMG, DPB and GC values in PROJECT
# ---------------------------------------------------------------------------------------------

def encrypt(project_id: str, data: bytes, seed: int = 0x00) -> str:
    """The hex text of ``data`` obfuscated as 2.4.3.2 describes, keyed by the project's GUID.

    Office accepts any seed; a fixed one keeps builds byte-for-byte reproducible.
    """
    version = 2
    proj_key = sum(project_id.encode("ascii")) & 0xFF
    out = bytearray([seed, seed ^ version, seed ^ proj_key])
    state = [proj_key, seed ^ proj_key, seed ^ version]  # unencrypted1, encrypted1, encrypted2
    ignored = bytes((seed & 6) // 2)  # arbitrary filler, zeros here
    for byte in ignored + struct.pack("<I", len(data)) + data:
        unencrypted1, encrypted1, encrypted2 = state
        enc = byte ^ ((encrypted2 + unencrypted1) & 0xFF)
        out.append(enc)
        state = [byte, enc, encrypted1]
    return out.hex().upper()


def decrypt(text: str) -> bytes:
    """The data hidden in a CMG, DPB or GC value (2.4.3.3)."""
    raw = bytes.fromhex(text)
    seed, version_enc, proj_key_enc = raw[0], raw[1], raw[2]
    if seed ^ version_enc != 2:
        raise ValueError("not an MS-OVBA encrypted value (version is not 2)")
    unencrypted1, encrypted1, encrypted2 = seed ^ proj_key_enc, proj_key_enc, version_enc
    plain = bytearray()
    for enc in raw[3:]:
        byte = enc ^ ((encrypted2 + unencrypted1) & 0xFF)
        plain.append(byte)
        unencrypted1, encrypted1, encrypted2 = byte, enc, encrypted1
    ignored = (seed & 6) // 2
    length = struct.unpack_from("<I", plain, ignored)[0]
    data = bytes(plain[ignored + 4:])
    if len(data) != length:
        raise ValueError(f"encrypted value says {length} bytes but holds {len(data)}")
    return data


# ---------------------------------------------------------------------------------------------
# Modules and their source text
# ---------------------------------------------------------------------------------------------

_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,30}\Z")
_ATTRIBUTE = re.compile(r'Attribute\s+(VB_\w+)\s*=\s*(.*)\Z')
_EXPORT_HEADER = re.compile(r"\AVERSION\s+[\d.]+\s+CLASS\nBEGIN\n.*?^END\n",
                            re.DOTALL | re.MULTILINE)

# The attribute block Office stores ahead of the code of document and class modules.
_OBJECT_ATTRIBUTES = ("VB_GlobalNameSpace", "VB_Creatable", "VB_PredeclaredId", "VB_Exposed",
                      "VB_TemplateDerived", "VB_Customizable")
_DOCUMENT_DEFAULTS = ("False", "False", "True", "True", "False", "True")
_CLASS_DEFAULTS = ("False", "False", "False", "False", "False", "False")


@dataclass(frozen=True)
class VbaModule:
    """One module of the project: its name, what kind of module it is, and its source text.

    ``source`` may be a ``.bas``/``.cls`` file as the VBA editor exports it (a class export's
    VERSION/BEGIN header is dropped, missing attributes are added) or just the code.
    """

    name: str
    source: str
    kind: ModuleKind = "standard"
    base: str = ""  # VB_Base for document modules; empty means a worksheet

    def text(self) -> str:
        """The source as stored in the module stream: attributes first, CRLF line endings."""
        return _normalise(self)

    def encoded(self) -> bytes:
        """The stored source in the project code page, or VbaSourceError naming the spot."""
        text = self.text()
        try:
            return text.encode(ENCODING)
        except UnicodeEncodeError as exc:
            raise VbaSourceError(_not_encodable(self.name, text, exc.start)) from None


def document_module(name: str, *, workbook: bool = False, code: str = "") -> VbaModule:
    """The code-behind module Excel expects for the workbook or for one sheet (by code name)."""
    base = WORKBOOK_BASE if workbook else WORKSHEET_BASE
    return VbaModule(name, code, "document", base)


def _normalise(module: VbaModule) -> str:
    _check_name(module.name)
    text = module.source.replace("\r\n", "\n").replace("\r", "\n")
    if module.kind == "class":
        text = _EXPORT_HEADER.sub("", text, count=1)
    lines = text.split("\n")
    attributes, body = _leading_attributes(lines)
    named = attributes.pop("VB_Name", None)
    if named is not None and named.strip('"') != module.name:
        raise VbaSourceError(
            f"Module {module.name}: its source says Attribute VB_Name = {named}; "
            f"the two names must agree. / 模块 {module.name} 的源代码声明的名称为 {named}，"
            f"两者必须一致。")
    header = [f'Attribute VB_Name = "{module.name}"']
    if module.kind != "standard":
        header += _object_attributes(module, attributes)
    header += [f"Attribute {key} = {value}" for key, value in attributes.items()]
    while body and body[-1] == "":
        body.pop()
    return "\r\n".join(header + body) + "\r\n"


def _leading_attributes(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    """The module-level ``Attribute VB_x = v`` lines at the top, and the code after them."""
    attributes: dict[str, str] = {}
    at = 0
    while at < len(lines):
        match = _ATTRIBUTE.match(lines[at].strip())
        if not match:
            break
        attributes[match.group(1)] = match.group(2).strip()
        at += 1
    return attributes, lines[at:]


def _object_attributes(module: VbaModule, given: dict[str, str]) -> list[str]:
    if module.kind == "document":
        base, defaults = module.base or WORKSHEET_BASE, _DOCUMENT_DEFAULTS
    else:
        base, defaults = CLASS_BASE, _CLASS_DEFAULTS
    lines = ["Attribute VB_Base = " + given.pop("VB_Base", '"' + base + '"')]
    for key, default in zip(_OBJECT_ATTRIBUTES, defaults, strict=True):
        lines.append(f"Attribute {key} = {given.pop(key, default)}")
    return lines


def _check_name(name: str) -> None:
    if not _IDENTIFIER.match(name):
        raise VbaSourceError(
            f"Module name {name!r} is not a VBA identifier (a letter, then letters, digits or _, "
            f"at most 31). / 模块名 {name!r} 不是合法的 VBA 标识符"
            f"（字母开头，仅含字母、数字或下划线，最多 31 个字符）。")


def _not_encodable(name: str, text: str, at: int) -> str:
    line = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    char = text[at]
    return (f"Module {name}, line {line}, column {column}: {char!r} cannot be stored in VBA "
            f"source (code page {CODE_PAGE}); build the text with ChrW({ord(char)}) instead. / "
            f"模块 {name} 第 {line} 行第 {column} 列：字符 {char!r} 无法以代码页 {CODE_PAGE} 保存，"
            f"请改用 ChrW({ord(char)}) 生成该文字。")


# ---------------------------------------------------------------------------------------------
# The project streams
# ---------------------------------------------------------------------------------------------

def project_id(project_name: str, modules: Sequence[VbaModule]) -> str:
    """A GUID for the project, derived from its names so a rebuild gives the same bytes."""
    seed = project_name + "|" + "|".join(m.name for m in modules)
    return "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, "vba-project:" + seed)).upper() + "}"


def vba_project_stream() -> bytes:
    """_VBA_PROJECT (2.3.4.1): 0x61CC, version 0xFFFF (no cache: compile from source), 0x00,
    and the undefined Reserved3 as the specification's example and Office write it (0x0001)."""
    return struct.pack("<HHBH", 0x61CC, 0xFFFF, 0x00, 0x0001)


def project_stream(project_name: str, modules: Sequence[VbaModule], guid: str) -> bytes:
    """The PROJECT text stream (2.3.1): module list, name, unprotected and visible."""
    lines = [f'ID="{guid}"']
    for module in modules:
        if module.kind == "document":
            lines.append(f"Document={module.name}/&H00000000")
        elif module.kind == "class":
            lines.append(f"Class={module.name}")
        else:
            lines.append(f"Module={module.name}")
    lines += [
        f'Name="{project_name}"',
        'HelpContextID="0"',
        'VersionCompatible32="393222000"',
        f'CMG="{encrypt(guid, NOT_PROTECTED)}"',
        f'DPB="{encrypt(guid, NO_PASSWORD)}"',
        f'GC="{encrypt(guid, VISIBLE)}"',
        "",
        "[Host Extender Info]",
        HOST_EXTENDER,
        "",
        "[Workspace]",
    ]
    lines += [f"{module.name}=0, 0, 0, 0, C" for module in modules]
    return ("\r\n".join(lines) + "\r\n").encode(ENCODING)


def project_wm_stream(modules: Sequence[VbaModule]) -> bytes:
    """PROJECTwm (2.3.3): each module name in MBCS and in UTF-16, then a 0x0000 terminator."""
    out = bytearray()
    for module in modules:
        out += module.name.encode(ENCODING) + b"\x00"
        out += module.name.encode("utf-16-le") + b"\x00\x00"
    return bytes(out + b"\x00\x00")


def dir_stream(project_name: str, modules: Sequence[VbaModule]) -> bytes:
    """The uncompressed ``dir`` stream (2.3.4.2): project information, references, modules."""
    out = bytearray()
    out += _information(project_name)
    out += _reference("stdole", STDOLE_LIBID)
    out += struct.pack("<HIH", 0x000F, 2, len(modules))  # PROJECTMODULES
    out += struct.pack("<HIH", 0x0013, 2, 0xFFFF)  # PROJECTCOOKIE
    for module in modules:
        out += _module_record(module)
    out += struct.pack("<HI", 0x0010, 0)  # terminator
    return bytes(out)


def _record(record_id: int, payload: bytes) -> bytes:
    return struct.pack("<HI", record_id, len(payload)) + payload


def _text_pair(record_id: int, unicode_id: int, text: str) -> bytes:
    """A record with its MBCS text followed by the same text in UTF-16 under a second id."""
    return _record(record_id, text.encode(ENCODING)) + _record(unicode_id, text.encode("utf-16-le"))


def _information(project_name: str) -> bytes:
    return b"".join([
        _record(0x0001, struct.pack("<I", 1)),  # SYSKIND: 32-bit Windows
        _record(0x0002, struct.pack("<I", LCID_EN_US)),
        _record(0x0014, struct.pack("<I", LCID_EN_US)),  # LCIDINVOKE
        _record(0x0003, struct.pack("<H", CODE_PAGE)),
        _record(0x0004, project_name.encode(ENCODING)),
        _text_pair(0x0005, 0x0040, ""),  # DOCSTRING
        _text_pair(0x0006, 0x003D, ""),  # HELPFILEPATH (both copies)
        _record(0x0007, struct.pack("<I", 0)),  # HELPCONTEXT
        _record(0x0008, struct.pack("<I", 0)),  # LIBFLAGS
        struct.pack("<HIIH", 0x0009, 4, 1, 0),  # VERSION: Reserved=4, major 1, minor 0
        _text_pair(0x000C, 0x003C, ""),  # CONSTANTS
    ])


def _reference(name: str, libid: str) -> bytes:
    registered = struct.pack("<I", len(libid)) + libid.encode(ENCODING) + struct.pack("<IH", 0, 0)
    return _text_pair(0x0016, 0x003E, name) + _record(0x000D, registered)


def _module_record(module: VbaModule) -> bytes:
    type_id = 0x0021 if module.kind == "standard" else 0x0022
    return b"".join([
        _record(0x0019, module.name.encode(ENCODING)),
        _record(0x0047, module.name.encode("utf-16-le")),
        _text_pair(0x001A, 0x0032, module.name),  # stream name = module name
        _text_pair(0x001C, 0x0048, ""),  # DOCSTRING
        _record(0x0031, struct.pack("<I", 0)),  # OFFSET: source starts the stream, no p-code
        _record(0x001E, struct.pack("<I", 0)),  # HELPCONTEXT
        _record(0x002C, struct.pack("<H", 0xFFFF)),  # COOKIE
        struct.pack("<HI", type_id, 0),
        struct.pack("<HI", 0x002B, 0),  # module terminator
    ])


def project_storage(project_name: str, modules: Sequence[VbaModule]) -> dict[str, object]:
    """The VBA project storage as a tree of streams, ready for the compound-file writer."""
    _check_name(project_name)
    names = [m.name.upper() for m in modules]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise VbaSourceError(f"Module names used twice (VBA ignores case): {', '.join(duplicates)}"
                             f" / 模块名重复（VBA 不区分大小写）：{', '.join(duplicates)}")
    sources = {m.name: compress(m.encoded()) for m in modules}
    guid = project_id(project_name, modules)
    vba: dict[str, object] = {
        "_VBA_PROJECT": vba_project_stream(),
        "dir": compress(dir_stream(project_name, modules)),
        **sources,
    }
    return {
        "PROJECT": project_stream(project_name, modules, guid),
        "PROJECTwm": project_wm_stream(modules),
        "VBA": vba,
    }
