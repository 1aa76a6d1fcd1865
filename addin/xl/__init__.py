"""The live-Excel door: buttons (``macros``) over an open workbook read and written by ``door``."""
