"""VBA source modules of the workbook, packaged as data (read with importlib.resources)."""
