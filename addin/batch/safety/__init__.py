"""Never damage the input: refuse files that are open, serialise runs, save without losing anything.

The batch door rewrites a workbook that people also open in Excel. Before it does, it checks that
the file is not open (``locks``), takes a lock of its own so that two runs never write the same
file, saves to a temporary file in the same folder, checks that the temporary file is a whole
workbook (``package``) that still has every feature the original had (``losses``), keeps a backup
of the original and only then moves the new file into place (``saving``). Every refusal is a
``WorkbookRefused`` (``refusal``). The names the doors use are importable from here.
"""

from addin.package import missing_parts, part_relationships, sheet_parts, workbook_part

from .locks import check_not_open, excel_lock_file, libreoffice_lock_file, run_lock, run_lock_path
from .losses import FEATURE_LABELS, feature_totals, lost_features, workbook_features
from .refusal import WorkbookRefused
from .saving import KEEP_BACKUPS, SaveReport, backup, default_backup_dir, save_atomically

__all__ = [
    "FEATURE_LABELS", "KEEP_BACKUPS", "SaveReport", "WorkbookRefused", "backup",
    "check_not_open", "default_backup_dir", "excel_lock_file", "feature_totals",
    "libreoffice_lock_file", "lost_features", "missing_parts", "part_relationships",
    "run_lock", "run_lock_path", "save_atomically", "sheet_parts", "workbook_features",
    "workbook_part",
]
