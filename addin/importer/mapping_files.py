"""Mapping files: loading a preset or a JSON file, checking it, and the messages staff see."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ..core.errors import Refusal
from ..core.fields import BY_KEY, FIELDS, field_for_header, fold
from ..core.text import Lang, Text

PRESET_PACKAGE = "addin.mappings"
SOURCE_REF = "source_ref"
# The staff-typed card fields an import fills, in the card's order (source_ref comes after).
CARD_KEYS = tuple(f.key for f in FIELDS if not f.written and f.key != SOURCE_REF)
_SOURCE_KINDS = ("column", "columns", "template", "value", "first")
_SOURCE_KEYS = frozenset(_SOURCE_KINDS) | {"join", "values", "default", "when"}
_MAPPING_KEYS = frozenset({"name", "description", "fields", "dedupe_key", "source_ref_prefix",
                           "date_order", "keep"})
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


class MappingError(Refusal):
    """A mapping cannot be used; the message names the mapping file, the problem and what to do."""


class CsvError(Refusal):
    """A CSV file cannot be read; the message names the file, the problem and what to do."""


# What the importer says when a CSV file or a mapping cannot be used, in both languages.
SAYS: dict[str, Text] = {
    "no_mapping": Text("{name}: no such mapping file, and no preset of that name (presets: "
                       "{presets}). Give the path of a mapping file or a preset's name.",
                       "{name}：没有这个映射文件，也没有同名的预设（预设：{presets}）。"
                       "请给出映射文件的路径或预设名称。"),
    "mapping_unreadable": Text("{path}: cannot be read as UTF-8 text ({error}). Save the mapping "
                               "file as UTF-8 and run again.",
                               "{path}：无法按 UTF-8 文本读取（{error}）。"
                               "请将映射文件另存为 UTF-8 后重新运行。"),
    "not_json": Text("{origin}: not valid JSON (line {line}, column {column}: {error}). Correct "
                     "the mapping file there and run again.",
                     "{origin}：不是有效的 JSON（第 {line} 行第 {column} 列：{error}）。"
                     "请修改映射文件的该处后重新运行。"),
    "not_object": Text("{origin}: the mapping must be a JSON object {{...}}. Write the mapping "
                       "between {{ and }} and run again.",
                       "{origin}：映射必须是一个 JSON 对象 {{...}}。"
                       "请把映射写在 {{ 和 }} 之间后重新运行。"),
    "bad_mapping": Text("{origin}: {problem}. Correct the mapping file and run again.",
                        "{origin}：映射有误（{problem}）。请修改映射文件后重新运行。"),
    "missing_columns": Text("{origin}: the CSV has no column {missing} (its columns: {have}). "
                            "Name the CSV's own columns in the mapping, or import the CSV the "
                            "mapping was written for.",
                            "{origin}：CSV 文件中没有 {missing} 列（现有列：{have}）。"
                            "请在映射中写出 CSV 文件实际的列名，或改用与映射相符的 CSV 文件。"),
    "csv_unreadable": Text("{path}: cannot be read ({error}). Check the name and that no other "
                           "program holds the file, then run again.",
                           "{path}：无法读取（{error}）。请检查文件名，"
                           "并确认没有其他程序占用该文件，然后重新运行。"),
    "csv_is_workbook": Text("{path}: is an Excel workbook or zip file, not a CSV file. Save it "
                            "as CSV in Excel (File > Save As) and import that file.",
                            "{path}：是 Excel 工作簿或 zip 文件，不是 CSV 文件。"
                            "请在 Excel 中另存为 CSV（文件 > 另存为）后导入该文件。"),
    "csv_empty": Text("{path}: the file is empty. Export the complaints again and import that "
                      "file.",
                      "{path}：文件是空的。请重新导出投诉数据后导入新文件。"),
    "csv_binary": Text("{path}: does not look like a text CSV file. Export the complaints as "
                       "CSV and import that file.",
                       "{path}：看起来不是文本 CSV 文件。请将投诉数据导出为 CSV 后导入该文件。"),
    "csv_malformed": Text("{path}: not a well-formed CSV file ({error}). Open it in a text "
                          "editor or Excel, correct that line and run again.",
                          "{path}：CSV 格式不正确（{error}）。请用文本编辑器或 Excel 打开，"
                          "改正该行后重新运行。"),
    "unknown_encoding": Text("{path}: unknown encoding {encoding!r}. Name an encoding such as "
                             "utf-8, gb18030 or big5, or leave --encoding out to detect it.",
                             "{path}：未知的编码 {encoding!r}。请写出 utf-8、gb18030 或 big5 "
                             "等编码，或去掉 --encoding 让程序自动识别。"),
    "wrong_encoding": Text("{path}: cannot be read as {encoding}{where}; name the file's "
                           "encoding (for example utf-8, gb18030 or big5) with --encoding.",
                           "{path}：无法按 {encoding} 读取{where}；请用 --encoding 写出文件的编码"
                           "（例如 utf-8、gb18030 或 big5）。"),
    "at_byte": Text(" at byte {at}", "（第 {at} 字节处）"),
    "text": Text("text", "文本"),
}


@dataclass(frozen=True)
class Source:
    """How one card field is filled from a source row (see the module docstring)."""

    kind: str  # one of _SOURCE_KINDS
    column: str | None = None
    parts: tuple[Source, ...] = ()  # for "columns" and "first"
    text: str | dict[str, str] | None = None  # template or value, maybe per language
    join: str | dict[str, str] = " / "
    values: dict[str, Any] = field(default_factory=dict)
    default: Any = None
    when: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def columns_used(self) -> set[str]:
        if self.kind == "column":
            return {self.column or ""}
        if self.kind == "template":
            return {name for text in _all_texts(self.text) for name in _PLACEHOLDER.findall(text)}
        return set().union(*(part.columns_used() for part in self.parts))


@dataclass(frozen=True)
class Kept:
    column: str  # the source column
    header: str  # the header it is written under


@dataclass
class Mapping:
    name: str
    origin: str  # where the mapping came from, for messages
    fields: dict[str, Source]
    dedupe_columns: tuple[str, ...] = ()
    dedupe_field: str | None = None
    source_ref_prefix: str = ""
    date_order: str = "YMD"
    keep: tuple[Kept, ...] = ()
    description: str = ""

    def columns_used(self) -> set[str]:
        used = set(self.dedupe_columns) | {kept.column for kept in self.keep}
        return used.union(*(source.columns_used() for source in self.fields.values()))


# --------------------------------------------------------------------------------------------
# Loading a mapping

def presets() -> list[str]:
    """Names of the built-in mapping presets."""
    folder = resources.files(PRESET_PACKAGE)
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".json"))


def load_mapping(name_or_path: str) -> Mapping:
    """A built-in preset by name (``cfpb``), else a mapping JSON file by path."""
    preset = fold(name_or_path)
    if preset in presets():
        resource = resources.files(PRESET_PACKAGE) / f"{preset}.json"
        return parse_mapping(resource.read_text(encoding="utf-8"), f"{preset}.json")
    path = Path(name_or_path)
    if not path.is_file():
        raise MappingError(SAYS["no_mapping"].format(name=name_or_path,
                                                     presets=", ".join(presets())))
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise MappingError(SAYS["mapping_unreadable"].format(path=path, error=err)) from err
    return parse_mapping(text, str(path))


def parse_mapping(text: str, origin: str) -> Mapping:
    """A mapping from its JSON text; ``origin`` names the file in messages."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise MappingError(SAYS["not_json"].format(origin=origin, line=err.lineno,
                                                   column=err.colno, error=err.msg)) from err
    if not isinstance(data, dict):
        raise MappingError(SAYS["not_object"].format(origin=origin))
    try:
        return _mapping(data, origin)
    except _Problem as problem:  # the detail names the mapping's own keys, as written
        raise MappingError(SAYS["bad_mapping"].format(origin=origin, problem=problem)) from None


class _Problem(Exception):
    """A problem inside a mapping; turned into a MappingError naming the file."""


def _mapping(data: dict[str, Any], origin: str) -> Mapping:
    unknown = sorted(k for k in data if k not in _MAPPING_KEYS and not k.startswith("_"))
    if unknown:
        raise _Problem(f"unknown key(s) {', '.join(map(repr, unknown))}; "
                       f"known: {', '.join(sorted(_MAPPING_KEYS))}")
    fields_data = data.get("fields")
    if not isinstance(fields_data, dict) or not fields_data:
        raise _Problem('"fields" must be an object naming at least one card field')
    fields = {_field_key(key): _source(spec, f"fields.{key}") for key, spec in fields_data.items()}
    _check_when(fields)
    columns, field_key = _dedupe_key(data.get("dedupe_key"), fields)
    order = str(data.get("date_order", "YMD")).upper().replace("-", "").replace("/", "")
    if order not in {"YMD", "DMY", "MDY"}:
        raise _Problem(f'"date_order" must be YMD, DMY or MDY, not {data.get("date_order")!r}')
    return Mapping(name=str(data.get("name") or Path(origin).stem), origin=origin, fields=fields,
                   dedupe_columns=columns, dedupe_field=field_key,
                   source_ref_prefix=_string(data.get("source_ref_prefix", ""),
                                             "source_ref_prefix"),
                   date_order=order, keep=_keep(data.get("keep", [])),
                   description=str(data.get("description", "")))


def _field_key(key: str) -> str:
    if key == SOURCE_REF:
        raise _Problem('"source_ref" is made from "dedupe_key" and "source_ref_prefix"; '
                       "remove it from fields")
    if key not in BY_KEY:
        known = ", ".join(f.key for f in FIELDS if not f.written and f.key != SOURCE_REF)
        raise _Problem(f"fields: {key!r} is not a card field; card fields: {known}")
    if BY_KEY[key].written:
        raise _Problem(f"fields: {key!r} is written by the add-in and cannot be imported")
    return key


def _source(spec: Any, where: str) -> Source:
    if isinstance(spec, str):
        return Source("column", column=spec)
    if not isinstance(spec, dict):
        raise _Problem(f"{where}: expected a column name or an object, not {spec!r}")
    unknown = sorted(set(spec) - _SOURCE_KEYS)
    if unknown:
        raise _Problem(f"{where}: unknown key(s) {', '.join(map(repr, unknown))}")
    kinds = [k for k in _SOURCE_KINDS if k in spec]
    if len(kinds) != 1:
        raise _Problem(f"{where}: give exactly one of {', '.join(_SOURCE_KINDS)}")
    kind = kinds[0]
    body = spec[kind]
    common = {"values": _values(spec.get("values", {}), where), "default": spec.get("default"),
              "when": _when(spec.get("when", {}), where)}
    if kind == "column":
        return Source(kind, column=_string(body, f"{where}.column"), **common)
    if kind in ("columns", "first"):
        if not isinstance(body, list) or not body:
            raise _Problem(f"{where}.{kind}: expected a non-empty list")
        parts = tuple(_source(p, f"{where}.{kind}[{i}]") for i, p in enumerate(body))
        join = _text_in_languages(spec.get("join", " / "), f"{where}.join")
        return Source(kind, parts=parts, join=join, **common)
    if kind == "template":
        return Source(kind, text=_text_in_languages(body, f"{where}.template"), **common)
    if isinstance(body, (list, dict)) and not _is_per_language(body):
        raise _Problem(f"{where}.value: expected a single value")
    return Source(kind, text=body, **common)


def _string(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise _Problem(f"{where}: expected text, not {value!r}")
    return value


def _is_per_language(value: Any) -> bool:
    return isinstance(value, dict) and bool(value) and set(value) <= {"en", "zh"}


def _text_in_languages(value: Any, where: str) -> str | dict[str, str]:
    if isinstance(value, str):
        return value
    if _is_per_language(value) and all(isinstance(v, str) for v in value.values()):
        return value
    raise _Problem(f'{where}: expected text, or {{"en": ..., "zh": ...}}')


def _values(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Problem(f"{where}.values: expected an object of source value -> card value")
    return {str(k): v for k, v in value.items()}


def _when(value: Any, where: str) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict):
        raise _Problem(f"{where}.when: expected an object of field -> value(s)")
    when = {}
    for key, wanted in value.items():
        if key not in BY_KEY:
            raise _Problem(f"{where}.when: {key!r} is not a card field")
        when[key] = tuple(map(str, wanted)) if isinstance(wanted, list) else (str(wanted),)
    return when


def _check_when(fields: dict[str, Source]) -> None:
    for key, source in fields.items():
        for other in source.when:
            if other not in fields or fields[other].when:
                raise _Problem(f"fields.{key}.when: {other!r} must be a mapped field without "
                               f"a condition of its own")


def _dedupe_key(value: Any, fields: dict[str, Source]) -> tuple[tuple[str, ...], str | None]:
    if value is None:
        return (), None
    if isinstance(value, str) and value in BY_KEY:
        if value not in fields:
            raise _Problem(f'"dedupe_key": the field {value!r} is not mapped in "fields"')
        return (), value
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise _Problem('"dedupe_key" must be a list of source columns or one card field key')
    return tuple(names), None


def _keep(value: Any) -> tuple[Kept, ...]:
    if not isinstance(value, list):
        raise _Problem('"keep" must be a list of source columns')
    kept = []
    for item in value:
        if isinstance(item, str):
            column = header = item
        elif isinstance(item, dict) and isinstance(item.get("column"), str):
            column, header = item["column"], str(item.get("as", item["column"]))
        else:
            raise _Problem(f'"keep": expected a column name or {{"column": ..., "as": ...}}, '
                           f"not {item!r}")
        clash = field_for_header(header)
        if clash is not None:
            raise _Problem(f'"keep": {header!r} would be read as the card\'s '
                           f'{BY_KEY[clash].en} column; keep it under another name with '
                           f'{{"column": "{column}", "as": "..."}}')
        kept.append(Kept(column, header))
    return tuple(kept)


def _all_texts(text: str | dict[str, str] | None) -> list[str]:
    if text is None:
        return []
    return list(text.values()) if isinstance(text, dict) else [str(text)]


# The keys a mapping file gives a text's languages under.
_LANGUAGE_KEYS = {Lang.EN: "en", Lang.ZH: "zh"}


def _in_language(text: Any, lang: Lang) -> Any:
    if _is_per_language(text):
        return text.get(_LANGUAGE_KEYS[lang], next(iter(text.values())))
    return text
