"""Mapping rows: a source table into card rows, typed and labelled, and the new ones among them."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..core.fields import BY_KEY, fold
from ..core.limits import CELL_TEXT, text_too_long_finding
from ..core.text import Lang
from ..core.vocab import default_lists
from .mapping_files import (
    _PLACEHOLDER,
    CARD_KEYS,
    SAYS,
    SOURCE_REF,
    CsvError,
    Mapping,
    MappingError,
    Source,
    _in_language,
)

# --------------------------------------------------------------------------------------------
# Mapping source rows to card rows

_LISTS = default_lists()


def map_rows(source: pd.DataFrame, mapping: Mapping, lang: Lang | str) -> pd.DataFrame:
    """Card rows from source rows: every typed card field, ``source_ref``, then kept columns.

    The index is the source's. Fields the mapping does not fill are all None, so a new register
    gets the whole card and the checks report per row what the source lacks. List values are in
    ``lang``; dates are datetimes (text that is not a date is kept as written); empty cells are
    None.
    """
    lang = Lang.of(lang)
    text = _source_text(source, mapping)
    raw = {key: _apply_modifiers(_evaluate(spec, text, lang), spec)
           for key, spec in mapping.fields.items() if not spec.when}
    for key, spec in mapping.fields.items():
        if spec.when:
            value = _apply_modifiers(_evaluate(spec, text, lang), spec)
            raw[key] = value.where(_condition(spec.when, raw), "")
    out = pd.DataFrame(index=source.index)
    for key in CARD_KEYS:
        if key in raw:
            out[key] = _typed(raw[key], key, mapping.date_order, lang)
        else:
            out[key] = pd.Series([None] * len(source), index=source.index, dtype=object)
    out[SOURCE_REF] = _source_refs(source, text, raw, mapping)
    for kept in mapping.keep:
        out[kept.header] = _cells(text[kept.column])
    _check_lengths(out)
    return out


def _check_lengths(rows: pd.DataFrame) -> None:
    """Refuse text longer than an Excel cell holds rather than let the cell cut it silently."""
    for column in rows.columns:
        values = rows[column]
        lengths = values.map(lambda v: len(v) if isinstance(v, str) else 0)
        if lengths.empty or lengths.max() <= CELL_TEXT:
            continue
        at = lengths.idxmax()
        header = BY_KEY[column].en if column in BY_KEY else column
        problem = text_too_long_finding(f"CSV row {int(at) + 2}, column {header}",
                                        int(lengths[at]))
        if problem is not None:
            raise CsvError(problem.message_text().then(problem.fix_text()))


def _source_text(source: pd.DataFrame, mapping: Mapping) -> pd.DataFrame:
    """The columns the mapping uses, as stripped text, found by tolerant header matching."""
    by_fold = {fold(c): c for c in reversed(list(source.columns))}
    needed = sorted(mapping.columns_used())
    missing = [name for name in needed if fold(name) not in by_fold]
    if missing:
        have = ", ".join(map(str, source.columns))
        raise MappingError(SAYS["missing_columns"].format(origin=mapping.origin,
                                                          missing=", ".join(missing), have=have))
    frame = pd.DataFrame(index=source.index)
    for name in needed:
        column = source[by_fold[fold(name)]]
        frame[name] = column.fillna("").astype(str).str.strip().astype(object)
    return frame


def _empty(index: pd.Index) -> pd.Series:
    return pd.Series("", index=index, dtype=object)


def _evaluate(spec: Source, text: pd.DataFrame, lang: Lang) -> pd.Series:
    """The source's value per row as text, '' where empty (before modifiers)."""
    if spec.kind == "column":
        return text[spec.column]
    if spec.kind == "value":
        value = _in_language(spec.text, lang)
        return _empty(text.index) if value is None else pd.Series(
            str(value), index=text.index, dtype=object)
    if spec.kind == "template":
        return _template(str(_in_language(spec.text, lang)), text)
    parts = [_apply_modifiers(_evaluate(p, text, lang), p) for p in spec.parts]
    result = parts[0]
    if spec.kind == "first":
        for part in parts[1:]:
            result = result.where(result != "", part)
        return result
    join = str(_in_language(spec.join, lang))
    for part in parts[1:]:
        both = (result != "") & (part != "")
        result = (result + join + part).where(both, result.where(result != "", part))
    return result


def _template(template: str, text: pd.DataFrame) -> pd.Series:
    pieces = _PLACEHOLDER.split(template)  # literal, name, literal, name, ...
    result = _empty(text.index)
    filled = pd.Series(False, index=text.index)
    for i, piece in enumerate(pieces):
        if i % 2 == 0:
            result = result + piece
        else:
            result = result + text[piece]
            filled |= text[piece] != ""
    if not pieces[1::2]:  # a template without placeholders is a constant
        return result
    return result.where(filled, "")


def _apply_modifiers(values: pd.Series, spec: Source) -> pd.Series:
    if spec.values:
        translate = _translator(spec.values)
        values = _per_value(values, lambda distinct: [translate(v) for v in distinct])
    if spec.default is not None:
        values = values.where(values != "", str(spec.default))
    return values


def _translator(table: dict[str, Any]):
    exact = {fold(k): str(v) for k, v in table.items() if not k.endswith("*")}
    prefixes = [(fold(k[:-1]), str(v)) for k, v in table.items() if k.endswith("*")]

    def translate(value: str) -> str:
        if value == "":
            return value
        folded = fold(value)
        hit = exact.get(folded)
        return hit if hit is not None else next(
            (v for p, v in prefixes if folded.startswith(p)), value)

    return translate


def _per_value(values: pd.Series, convert) -> pd.Series:
    """``convert`` applied once per distinct value: imports repeat the same few values a lot."""
    distinct = pd.Series(values.unique(), dtype=object)
    table = dict(zip(distinct, convert(distinct), strict=True))
    return pd.Series([table[v] for v in values], index=values.index, dtype=object)


def _comparable(key: str, values: pd.Series) -> pd.Series:
    if key in _LISTS:
        return _per_value(values, lambda d: [_LISTS[key].canonical(v) or fold(v) for v in d])
    return _per_value(values, lambda d: [fold(v) for v in d])


def _condition(when: dict[str, tuple[str, ...]], raw: dict[str, pd.Series]) -> pd.Series:
    mask = None
    for key, wanted in when.items():
        targets = {_LISTS[key].canonical(w) or fold(w) if key in _LISTS else fold(w)
                   for w in wanted}
        hit = _comparable(key, raw[key]).isin(targets)
        mask = hit if mask is None else mask & hit
    return mask


def _typed(values: pd.Series, key: str, date_order: str, lang: Lang) -> pd.Series:
    kind = BY_KEY[key].kind
    if kind == "list" and key in _LISTS:
        return _cells(_per_value(values, lambda d: [_label(key, v, lang) for v in d]))
    if kind in ("datetime", "date"):
        return _per_value(values, lambda d: _dates(d, date_order))
    if kind == "int":
        numbers = pd.to_numeric(values, errors="coerce")
        whole = numbers.notna() & (numbers == numbers.round())
        return _cells(values).where(~whole, numbers.map(_as_int).astype(object))
    return _cells(values)


def _label(key: str, value: str, lang: Lang) -> str:
    """A list value in the register's language; a value not in the list stays as written."""
    canonical = _LISTS[key].canonical(value) if value else None
    return _LISTS[key].label(canonical, lang) if canonical else value


def _cells(values: pd.Series) -> pd.Series:
    """Values as cells to write: object dtype (pandas would infer strings) with None for empty."""
    cells = values.astype(object)
    return cells.where(cells.notna() & (cells != ""), None)


def _as_int(number: float) -> int | None:
    return None if pd.isna(number) else int(number)


_YMD = ("%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d")
_ORDERED = {"YMD": (), "DMY": ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y"),
            "MDY": ("%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%m/%d/%Y")}


def _dates(values: pd.Series, date_order: str) -> pd.Series:
    """Datetimes where the text is a date in a known layout; other text stays as written."""
    normal = (values.str.replace(r"[年月]", "/", regex=True).str.replace("日", "", regex=False)
              .str.replace(r"[-.]", "/", regex=True).str.replace("T", " ", regex=False)
              .str.replace(r"\s+", " ", regex=True).str.strip())
    parsed = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    for layout in _YMD + _ORDERED[date_order]:
        todo = parsed.isna() & (normal != "")
        if not todo.any():
            break
        parsed[todo] = pd.to_datetime(normal[todo], format=layout, errors="coerce")
    # Microsecond precision converts to plain datetime objects (NaT becomes None).
    moments = parsed.to_numpy().astype("datetime64[us]").astype(object)
    as_datetime = pd.Series(moments, index=values.index, dtype=object)
    return as_datetime.where(parsed.notna(), _cells(values))


def _source_refs(source: pd.DataFrame, text: pd.DataFrame, raw: dict[str, pd.Series],
                 mapping: Mapping) -> pd.Series:
    if mapping.dedupe_field:
        key = raw[mapping.dedupe_field]
    elif mapping.dedupe_columns:
        columns = [text[c] for c in mapping.dedupe_columns]
        key = columns[0]
        for column in columns[1:]:
            key = key + "-" + column
        key = key.where(pd.concat(columns, axis=1).ne("").any(axis=1), "")
    else:
        key = _empty(text.index)
    if (key == "").any():
        # Without a key, a record is known by its content: the same row imports once.
        content = source.astype("string").fillna("")
        hashes = pd.util.hash_pandas_object(content, index=False).map(lambda h: f"row-{h:016x}")
        key = key.where(key != "", hashes)
    return mapping.source_ref_prefix + key


# --------------------------------------------------------------------------------------------
# What is new

def new_rows(mapped: pd.DataFrame, existing_source_refs: set[str]) -> pd.DataFrame:
    """Rows not imported before: source_ref neither in the register nor earlier in the file."""
    known = {str(ref).strip() for ref in existing_source_refs if ref is not None}
    refs = mapped[SOURCE_REF].astype(str).str.strip()
    return mapped[~refs.isin(known) & ~refs.duplicated(keep="first")]
