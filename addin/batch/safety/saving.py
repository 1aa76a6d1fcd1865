"""Save without damaging anything: a temporary file, checked, a backup, then one rename.

The new workbook is written beside the target, must open as a whole workbook that still has every
feature the original had, and replaces the target in one step only after the file being replaced
has been kept in ``backups/``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import os
import re
import secrets
import shutil
import time
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from addin.core.text import Text
from addin.package import missing_parts

from .locks import check_not_open
from .losses import lost_lines, workbook_features
from .oserrors import os_refusal
from .refusal import WorkbookRefused

KEEP_BACKUPS = 10


# --------------------------------------------------------------------------- saving

@dataclass
class SaveReport:
    target: Path
    backup: Path | None = None
    lost: list[str] = field(default_factory=list)  # accepted with allow_loss
    seconds: float = 0.0


def default_backup_dir(target: Path | str) -> Path:
    return Path(target).parent / "backups"


def save_atomically(wb: Any, target: Path | str, backup_dir: Path | None, original: Path | None,
                    allow_loss: bool, *, owned_sheets: Iterable[str] = (),
                    keep_backups: int = KEEP_BACKUPS) -> SaveReport:
    """Save an openpyxl workbook to ``target`` so that a failure never leaves a damaged file.

    The workbook goes to a temporary file beside ``target``, which must open as a workbook and,
    when ``original`` is given, keep every feature the original had (else WorkbookRefused, unless
    ``allow_loss``). The file being replaced is copied to ``backup_dir`` (the newest
    ``keep_backups`` copies are kept), then the temporary file takes the target's place in one
    step. On any failure the temporary file is removed and the existing files are as they were.
    """
    started = time.perf_counter()
    target = Path(target)
    check_not_open(target)
    report = SaveReport(target)
    # A symbolic link stays a link: the file it names is the one replaced (and backed up).
    real = target.resolve() if _is_link(target) else target
    temp = real.with_name(f".{real.stem[:40]}.{os.getpid()}-{secrets.token_hex(4)}.tmp"
                          f"{real.suffix}")
    try:
        check_free_space(real, original, backup_dir)
        wb.save(temp)
        _verify(temp, target, original)
        if original is not None and Path(original).exists():
            report.lost = _check_losses(Path(original), temp, target, owned_sheets, allow_loss)
        if backup_dir is not None and _exists(real):
            report.backup = backup(real, Path(backup_dir), keep_backups)
        _replace(temp, real)
    except OSError as err:
        raise os_refusal(target, err) from err
    finally:
        close_archives(wb)
        with contextlib.suppress(OSError):
            temp.unlink()
    report.seconds = time.perf_counter() - started
    return report


def _is_link(path: Path) -> bool:
    try:
        return path.is_symlink()
    except OSError:  # a name the file system refuses: the save says so
        return False


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:
        return False


def close_archives(wb: Any) -> None:
    """Close the zip openpyxl keeps open for a workbook's macros (keep_vba). Left to the garbage
    collector it fails on a closed buffer and prints "Exception ignored in ZipFile.__del__"."""
    archive = getattr(getattr(wb, "wb", wb), "vba_archive", None)
    if archive is not None:
        with contextlib.suppress(ValueError, OSError):
            archive.close()  # the zip is marked closed even when this fails


# The new file is about the size of the original (openpyxl writes it with the same compression);
# a quarter more and a megabyte cover a run that adds its sheets.
SPACE_FACTOR = 1.25
SPACE_MARGIN = 1 << 20


def check_free_space(real: Path, original: Path | None, backup_dir: Path | None) -> None:
    """Refuse before writing when the disk cannot hold the new file and the backup."""
    source = Path(original) if original is not None and Path(original).exists() else real
    size = source.stat().st_size if source.exists() else 0
    needs = {real.parent: int(size * SPACE_FACTOR) + SPACE_MARGIN}
    if backup_dir is not None and real.exists():
        folder = _existing(Path(backup_dir))
        same = folder.stat().st_dev == _existing(real.parent).stat().st_dev
        key = real.parent if same else folder
        needs[key] = needs.get(key, 0) + real.stat().st_size
    for folder, need in needs.items():
        if shutil.disk_usage(_existing(folder)).free < need:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(folder))


def _existing(folder: Path) -> Path:
    """The nearest folder that exists (a backups folder is made on the first save)."""
    while not folder.exists() and folder.parent != folder:
        folder = folder.parent
    return folder


def _verify(temp: Path, target: Path, original: Path | None) -> None:
    """The saved file must be a whole workbook: a sound zip with no link to a missing part."""
    try:
        with zipfile.ZipFile(temp) as archive:
            names = set(archive.namelist())
            broken = archive.testzip()
            missing = missing_parts(archive)
            kind = _wrong_kind(archive, target) if "[Content_Types].xml" in names else None
    except (zipfile.BadZipFile, ElementTree.ParseError):
        names, broken, missing, kind = set(), None, set(), None
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names or broken:
        raise WorkbookRefused(
            f"The new version of {target.name} came out incomplete, so it was not saved. "
            "The original is unchanged.",
            f"{target.name} 的新版本不完整，因此未保存。原文件未改动。")
    if kind is not None:
        raise WorkbookRefused(_WRONG_KIND.format(name=target.name, kind=_KINDS[kind],
                                                 suffix=target.suffix))
    if missing and original is not None and Path(original).exists():
        with contextlib.suppress(zipfile.BadZipFile, ElementTree.ParseError, OSError), \
                zipfile.ZipFile(original) as archive:
            missing -= missing_parts(archive)  # already so in the original: not our doing
    if missing:
        parts = ", ".join(sorted(missing))
        raise WorkbookRefused(
            f"The new version of {target.name} would be damaged (it refers to {parts}, which is "
            "not in the file), so it was not saved. The original is unchanged.",
            f"{target.name} 的新版本将会损坏（引用了文件中不存在的 {parts}），因此未保存。"
            "原文件未改动。")


_MACRO_TYPE = "macroEnabled"


def _wrong_kind(archive: zipfile.ZipFile, target: Path) -> str | None:
    """Why Excel would refuse the file for its name: macro content in a .xlsx, or the reverse."""
    types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
    found = re.search(r'PartName="/xl/workbook\.xml"\s+ContentType="([^"]+)"', types) or \
        re.search(r'ContentType="([^"]+)"\s+PartName="/xl/workbook\.xml"', types)
    if found is None:
        return None
    macro = _MACRO_TYPE in found.group(1)
    suffix = target.suffix.casefold()
    if suffix == ".xlsx" and macro:
        return "macro"
    if suffix == ".xlsm" and not macro:
        return "plain"
    return None


_KINDS = {"macro": Text("a workbook with macros", "含宏工作簿"),
          "plain": Text("a workbook without macros", "不含宏的工作簿")}
_WRONG_KIND = Text("The new version of {name} is marked as {kind}, which Excel does not open "
                   "under a {suffix} name, so it was not saved. The original is unchanged.",
                   "{name} 的新版本被标记为{kind}，Excel 无法以 {suffix} 文件名打开，"
                   "因此未保存。原文件未改动。")
_WOULD_LOSE = Text("Saving {file} would lose: {lost}. Nothing was changed. Run again with "
                   "--allow-loss to save anyway.",
                   "保存 {file} 将丢失：{lost}。未做任何改动。"
                   "如仍要保存，请加上 --allow-loss 重新运行。")


def _check_losses(original: Path, temp: Path, target: Path, owned_sheets: Iterable[str],
                  allow_loss: bool) -> list[str]:
    owned = list(owned_sheets)
    before, after = workbook_features(original), workbook_features(temp)
    lost = lost_lines(before, after, owned)
    if lost and not allow_loss:
        raise WorkbookRefused(_WOULD_LOSE.format(file=target.name,
                                                 lost=Text("; ", "；").join(lost)),
                              lost=[line.en for line in lost])
    return [line.en for line in lost]


_STAMP = "%Y%m%d-%H%M%S"


def backup(path: Path, backup_dir: Path, keep: int = KEEP_BACKUPS) -> Path:
    """Copy ``path`` to ``backup_dir/<stem>.<YYYYmmdd-HHMMSS>.<ext>``; keep the newest ``keep``."""
    backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime(_STAMP)
    copy = backup_dir / f"{path.stem}.{stamp}{path.suffix}"
    n = 2
    while copy.exists():  # two saves within one second
        copy = backup_dir / f"{path.stem}.{stamp}-{n}{path.suffix}"
        n += 1
    partial = backup_dir / f".{copy.name}.{secrets.token_hex(4)}.partial"
    try:
        shutil.copy2(path, partial)
        _check_copy(path, partial)
        os.replace(partial, copy)  # only a whole, checked copy ever has a backup's name
    finally:
        with contextlib.suppress(OSError):
            partial.unlink()
    _prune(path, backup_dir, keep)
    return copy


def _check_copy(path: Path, copy: Path) -> None:
    """A backup must hold exactly the bytes of the file it keeps."""
    if copy.stat().st_size != path.stat().st_size or _digest(copy) != _digest(path):
        raise WorkbookRefused(
            f"The backup of {path.name} came out different from the file, so nothing was "
            "changed. Check the disk and the backups folder, then run again.",
            f"{path.name} 的备份与原文件不一致，因此未做任何改动。"
            "请检查磁盘和 backups 文件夹后重新运行。")


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _prune(path: Path, backup_dir: Path, keep: int) -> None:
    pattern = re.compile(re.escape(path.stem) + r"\.(\d{8}-\d{6})(?:-(\d+))?"
                         + re.escape(path.suffix) + "$")
    found = []
    for candidate in backup_dir.iterdir():
        match = pattern.match(candidate.name)
        if match:
            found.append(((match.group(1), int(match.group(2) or 1)), candidate))
    for _, old in sorted(found)[:-keep] if keep > 0 else sorted(found):
        with contextlib.suppress(OSError):
            old.unlink()


def _replace(temp: Path, target: Path) -> None:
    if target.exists():
        with contextlib.suppress(OSError):
            shutil.copymode(target, temp)  # the new file keeps the old one's permissions
    for attempt in range(4):
        try:
            os.replace(temp, target)
            return
        except PermissionError as err:
            # On Windows a file open in Excel (or briefly held by a virus scanner or a sync
            # client) cannot be replaced; a scanner lets go within moments, Excel does not.
            if attempt == 3:
                raise WorkbookRefused(
                    f"{target.name} is in use by another program (perhaps open in Excel), so it "
                    "could not be replaced. Close it and run again; the original is unchanged.",
                    f"{target.name} 正被其他程序占用（可能在 Excel 中打开），无法替换。请关闭后"
                    "重新运行；原文件未改动。") from err
            time.sleep(0.25 * (attempt + 1))
