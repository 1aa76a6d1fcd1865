"""Row checks and the findings they make: each failing row's finding, placed at its cell."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .findings import Finding, findings_at
from .register import Register


@dataclass
class RowCheck:
    """One check's failures: a mask over rows, and what each finding says."""

    code: str
    key: str  # the field whose cell the finding points at
    mask: pd.Series
    params: dict[str, object] = field(default_factory=dict)  # a value, or a Series by row
    # The shown value by row (at least the masked rows); the raw cell when None.
    value: pd.Series | None = None
    level: str | None = None  # set by the Settings sheet; the catalogue's level when None



def row_findings(register: Register, checks: list[RowCheck], live: pd.Series) -> list[Finding]:
    """Findings of every check, row by row and left to right across the sheet."""
    placed: list[tuple[int, int, int, Finding]] = []
    index = register.rows.index
    for order, check in enumerate(checks):
        hits = np.flatnonzero((check.mask & live).to_numpy(dtype=bool))
        if not len(hits):
            continue
        rows = index[hits]
        values = _at(check.value if check.value is not None else register.col(check.key), rows)
        params = {name: _at(p, rows) if isinstance(p, pd.Series) else [p] * len(rows)
                  for name, p in check.params.items()}
        column = register.columns.get(check.key, -1)
        numbers = rows.tolist()
        items = findings_at(check.code, cell_refs(register, check.key, numbers), numbers,
                            field=check.key, values=values, level=check.level, **params)
        placed += [(row, column, order, item) for row, item in zip(numbers, items, strict=True)]
    placed.sort(key=lambda entry: entry[:3])
    return [entry[3] for entry in placed]


def cell_refs(register: Register, key: str, rows: list[int]) -> list[str]:
    """``register.cell(row, key)`` of each row: "Complaints!F" worked out once, as only the row
    number differs between the cells."""
    header_ref = register.cell(register.header_row, key)
    prefix = header_ref[:len(header_ref) - len(str(register.header_row))]
    return [f"{prefix}{row}" for row in rows]


def _at(values: pd.Series, rows: pd.Index) -> list[object]:
    """Values at the given rows, as plain Python objects (None for missing)."""
    picked = values.reindex(rows).astype(object)
    return picked.where(picked.notna(), None).tolist()
