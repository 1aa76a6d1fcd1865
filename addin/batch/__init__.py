"""The batch door: process a workbook file with openpyxl, no Excel needed (server mode).

``sheets`` finds the complaints table and reads the sheets the core needs; ``writeback`` writes an
``Outcome`` back into the workbook, touching only the cells that must change.
"""
