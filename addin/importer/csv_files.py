"""Reading a CSV file: its encoding, its delimiter, and the refusals when it is not a CSV."""

from __future__ import annotations

import io
from pathlib import Path

import charset_normalizer
import pandas as pd

from ..core.text import Text
from .mapping_files import SAYS, CsvError

# --------------------------------------------------------------------------------------------
# Reading a CSV file

def detect_encoding(raw: bytes) -> str:
    """The encoding of a text file's bytes: a BOM, valid UTF-8, else charset_normalizer's guess."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        raw.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(raw[:400_000]).best()
    if best is None:
        raise UnicodeError("the encoding could not be recognised")
    name = best.encoding.lower().replace("-", "_")
    # GB18030 reads everything GB2312 and GBK do, so a wider guess never loses characters.
    return "gb18030" if name in {"gb2312", "gbk", "gb18030", "hz"} else name


def read_csv(path: str | Path, encoding: str | None = None) -> pd.DataFrame:
    """Every column as text ('' when empty); the encoding is detected when not given."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise CsvError(SAYS["csv_unreadable"].format(path=path, error=err.strerror or err)) \
            from err
    if raw.startswith(b"PK\x03\x04"):
        raise CsvError(SAYS["csv_is_workbook"].format(path=path))
    if not raw.strip():
        raise CsvError(SAYS["csv_empty"].format(path=path))
    text = _decode(path, raw, encoding)
    if "\x00" in text:
        raise CsvError(SAYS["csv_binary"].format(path=path))
    try:
        frame = pd.read_csv(io.StringIO(text), sep=_delimiter(text), dtype=str,
                            keep_default_na=False, na_filter=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        raise CsvError(SAYS["csv_malformed"].format(path=path, error=str(err).strip())) from err
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def _decode(path: Path, raw: bytes, encoding: str | None) -> str:
    try:
        name = encoding or detect_encoding(raw)
        return raw.decode(name)
    except LookupError as err:
        raise CsvError(SAYS["unknown_encoding"].format(path=path, encoding=encoding)) from err
    except UnicodeError as err:
        where = SAYS["at_byte"].format(at=err.start) if isinstance(err, UnicodeDecodeError) \
            else Text("", "")
        raise CsvError(SAYS["wrong_encoding"].format(path=path, encoding=encoding or SAYS["text"],
                                                     where=where)) from err


def _delimiter(text: str) -> str:
    """Comma unless the header line clearly uses tabs or semicolons (some exports do)."""
    header = text.split("\n", 1)[0]
    counts = {sep: header.count(sep) for sep in (",", "\t", ";")}
    return max(counts, key=lambda sep: (counts[sep], sep == ","))
