"""The package's parts, as the batch door has always imported them (they live in
``addin.package.parts``, shared with the reports)."""

from addin.package.parts import (
    local_name,
    missing_parts,
    part_relationships,
    rel_id,
    sheet_parts,
    workbook_part,
)

__all__ = ["local_name", "missing_parts", "part_relationships", "rel_id", "sheet_parts",
           "workbook_part"]
