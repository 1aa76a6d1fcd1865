"""A workbook file as a zip of parts, before any workbook reader sees it.

Shared by every part of the program that opens a workbook file (the batch door with openpyxl,
the reports with calamine): finding its parts (``parts``) and refusing a file that is not a whole,
unencrypted workbook within the limits (``limits.check_package``). Only the standard library and
the project's pure core and layout are used here, so a reader of any kind may import it.
"""

from .limits import PackageRefused, check_package
from .parts import (
    local_name,
    missing_parts,
    part_relationships,
    rel_id,
    sheet_parts,
    workbook_part,
)

__all__ = ["PackageRefused", "check_package", "local_name", "missing_parts",
           "part_relationships", "rel_id", "sheet_parts", "workbook_part"]
