"""VBA for the workbook: compile VBA source text into a vbaProject.bin without Office.

``ovba`` writes the VBA project streams (MS-OVBA), ``cfb`` the compound file that holds them
(MS-CFB), and ``build`` assembles the workbook's modules, with a cache.
"""

from addin.vba.build import (
    BUTTONS,
    Button,
    build_vba_project,
    build_workbook_vba,
    document_modules,
    workbook_modules,
)
from addin.vba.ovba import VbaModule, VbaSourceError, document_module

__all__ = [
    "BUTTONS",
    "Button",
    "VbaModule",
    "VbaSourceError",
    "build_vba_project",
    "build_workbook_vba",
    "document_module",
    "document_modules",
    "workbook_modules",
]
