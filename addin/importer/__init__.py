"""Import complaints from a CSV file into record-card rows.

A mapping (JSON; ``cfpb`` is a built-in preset) says how each card field is filled from a source
row. ``map_rows`` turns the source table into card rows ready to write, each with a ``source_ref``
naming the source record, and ``new_rows`` drops those already imported, so importing the same
file twice appends nothing. Only CSV and JSON files are read here; writing the workbook is a door's
work.

A mapping file looks like this (every part but ``fields`` is optional)::

    {
      "name": "cfpb",
      "date_order": "YMD",                  # how to read 03/04/2020: YMD, DMY or MDY
      "dedupe_key": ["Complaint ID"],       # source columns, or one card field key
      "source_ref_prefix": "CFPB-",
      "keep": ["Submitted via", {"column": "Date received", "as": "CFPB date received"}],
      "fields": {
        "received_at": {"column": "Date received"},
        "customer_name": {"template": {"en": "CFPB consumer #{Complaint ID}",
                                       "zh": "CFPB 消费者 #{Complaint ID}"}},
        "channel": {"value": "Regulator referral"},
        "product": {"columns": ["Product", "Sub-product"], "join": " / "},
        "description": {"first": [{"column": "Narrative"}, {"column": "Issue"}]},
        "status": {"column": "Response", "values": {"In progress": "In progress",
                                                    "Closed*": "Closed"}},
        "solution": {"column": "Response", "when": {"status": ["Closed"]}}
      }
    }

A field source is one of ``column`` (a string alone means the same), ``columns`` (values joined
with ``join``, empty ones skipped; items may themselves be sources), ``template`` (``{Column}``
placeholders; empty when every column it names is empty), ``value`` (a constant) or ``first``
(the first non-empty of several sources). ``template``, ``value`` and ``join`` may be given per
language as ``{"en": ..., "zh": ...}``. Modifiers: ``values`` translates source values (case and
width do not matter; a key ending in ``*`` matches values starting with the rest), ``default``
fills empty results, ``when`` keeps the value only on rows whose mapped field has one of the given
values. List fields are written in the register's language; date fields as datetimes, or as the
original text when it is not a date (so the checks report it at its cell).
"""

from __future__ import annotations

# The importer's parts live in the modules of this package, by subject; their names are
# re-exported here so that callers keep importing them from addin.importer.
from .csv_files import (  # noqa: F401
    _decode,
    _delimiter,
    detect_encoding,
    read_csv,
)
from .mapping_files import (  # noqa: F401
    _LANGUAGE_KEYS,
    _MAPPING_KEYS,
    _PLACEHOLDER,
    _SOURCE_KEYS,
    _SOURCE_KINDS,
    CARD_KEYS,
    PRESET_PACKAGE,
    SAYS,
    SOURCE_REF,
    CsvError,
    Kept,
    Mapping,
    MappingError,
    Source,
    _all_texts,
    _check_when,
    _dedupe_key,
    _field_key,
    _in_language,
    _is_per_language,
    _keep,
    _mapping,
    _Problem,
    _source,
    _string,
    _text_in_languages,
    _values,
    _when,
    load_mapping,
    parse_mapping,
    presets,
)
from .rows import (  # noqa: F401
    _LISTS,
    _ORDERED,
    _YMD,
    _apply_modifiers,
    _as_int,
    _cells,
    _check_lengths,
    _comparable,
    _condition,
    _dates,
    _empty,
    _evaluate,
    _label,
    _per_value,
    _source_refs,
    _source_text,
    _template,
    _translator,
    _typed,
    map_rows,
    new_rows,
)
