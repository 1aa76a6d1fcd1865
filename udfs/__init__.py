"""Worksheet functions for the record card.

The workbook's ``xlwings.conf`` sheet names the module in its ``UDF Modules`` row; ``Import
Functions`` on the xlwings ribbon (or the add-in's start-up) then registers them.
"""

UDF_MODULES = "udfs.complaint_udfs"
