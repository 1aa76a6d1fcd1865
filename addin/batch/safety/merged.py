"""Merged cells in a column the run writes: named and refused before anything is written.

openpyxl holds every cell of a merged range but the top-left one as a read-only MergedCell, so
writing a case number or a deadline into one fails half-way through a run. Excel itself will not
type into the hidden part of a merge either; staff unmerge and run again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from addin.core.fields import field_for_header
from addin.core.findings import cell_ref

from .refusal import WorkbookRefused


def check_merged_writes(path: Path, loc: Any, changes: dict[str, Any]) -> None:
    """Refuse when a cell the run would write lies inside a merged range (not its top-left)."""
    columns = {field_for_header(header): loc.first_col + i
               for i, header in enumerate(loc.headers())}
    written = {columns[key]: set(values.index) for key, values in changes.items()
               if key in columns and len(values)}
    for merged in loc.ws.merged_cells.ranges:
        for col, rows in written.items():
            if not merged.min_col <= col <= merged.max_col:
                continue
            hit = next((r for r in sorted(rows) if merged.min_row <= r <= merged.max_row
                        and (r, col) != (merged.min_row, merged.min_col)), None)
            if hit is not None:
                raise _merged(path, cell_ref(loc.sheet, int(hit), col), str(merged.coord))


def _merged(path: Path, cell: str, area: str) -> WorkbookRefused:
    return WorkbookRefused(
        f"{path.name}: {cell} is part of the merged cells {area}, and the run must write a "
        "value there. Select them, choose Home > Merge & Center > Unmerge Cells, save and run "
        "again. Nothing was changed.",
        f"{path.name}：{cell} 位于合并单元格 {area} 之内，本次运行需要在此写入数据。请选中这些"
        "单元格，点击“开始 > 合并后居中 > 取消单元格合并”，保存后重新运行。未做任何改动。")
