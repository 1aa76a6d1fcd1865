"""Putting a newly built workbook on disk the safe way.

The workbook itself comes from the builder (anything with ``save(path)``); this module decides
whether the file may be written at all and places it as a run's save does: written beside the
target, checked to be a whole workbook of the kind its name says, the file it replaces (only with
``overwrite``) copied to ``backups/`` first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .safety import WorkbookRefused, default_backup_dir, save_atomically

SUFFIXES = (".xlsx", ".xlsm")


def save_new_workbook(book: Any, path: Path | str, *, overwrite: bool = False) -> Path:
    """Save ``book`` (``book.save(path)`` writes it) as the new workbook ``path``."""
    path = Path(path)
    check_new_target(path, overwrite)
    backups = default_backup_dir(path) if path.exists() else None
    save_atomically(book, path, backups, None, allow_loss=True)
    return path


def check_new_target(path: Path, overwrite: bool) -> None:
    """Refuse a name that is not a workbook's, a missing folder, or a file staff already have."""
    if path.suffix.casefold() not in SUFFIXES:
        raise WorkbookRefused(
            f"Cannot create {path.name}: use a name ending in .xlsx (no buttons) or .xlsm (with "
            "the buttons).",
            f"无法创建 {path.name}：请使用以 .xlsx（无按钮）或 .xlsm（带按钮）结尾的文件名。")
    if path.exists() and not overwrite:
        raise WorkbookRefused(
            f"{path.name} already exists. Choose another name, or allow overwriting it "
            "(a backup is kept).",
            f"{path.name} 已存在。请换一个文件名，或允许覆盖（会保留备份）。")
    if not path.parent.is_dir():
        raise WorkbookRefused(
            f"Cannot create {path.name}: the folder {path.parent.name or path.parent} does not "
            "exist.",
            f"无法创建 {path.name}：文件夹 {path.parent.name or path.parent} 不存在。")
