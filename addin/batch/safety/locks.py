"""Refuse files that are open in Excel or LibreOffice, and let only one run work on a file.

Excel marks an open workbook with an owner file beside it ("~$" + its name); LibreOffice with
".~lock.<name>#". A run takes a lock of its own beside the workbook, so that two runs never write
the same file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import secrets
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from addin.core.text import Text

from .refusal import WorkbookRefused

STALE_AFTER = dt.timedelta(hours=2)  # a run lock this old is taken over even if its owner lives


# --------------------------------------------------------------------------- open in Excel?

def _lock_remainders(name: str) -> set[str]:
    """What follows "~$" in the owner file an Office program may write for ``name``.

    Excel writes "~$" + the full file name. Word (and, as sync clients such as Seafile report,
    Office in general for long names) instead overwrites the first one or two characters:
    OfficeReport.docx -> ~$ficeReport.docx. So the remainder is the name itself or the name
    without its first one or two characters. Windows compares file names case-insensitively.
    """
    return {name[k:].casefold() for k in range(3) if len(name) - k > 0}


def excel_lock_file(path: Path) -> Path | None:
    """The owner file that shows ``path`` is open in Excel (or another Office program), if any."""
    path = Path(path)
    wanted = _lock_remainders(path.name)
    try:
        names = [entry.name for entry in os.scandir(path.parent)]
    except OSError:
        return None
    others = {n.casefold() for n in names if not n.startswith("~$")}
    for name in names:
        rest = name[2:].casefold()
        if not name.startswith("~$") or rest not in wanted:
            continue
        # A shortened owner file that is the exact owner file of another workbook in the folder
        # (~$BC.xlsx beside BC.xlsx and ABC.xlsx) belongs to that workbook, not to this one.
        if rest != path.name.casefold() and rest in others:
            continue
        return path.parent / name
    return None


def libreoffice_lock_file(path: Path) -> Path | None:
    """LibreOffice's lock file for ``path`` (".~lock.<name>#"), if it exists."""
    lock = Path(path).parent / f".~lock.{Path(path).name}#"
    try:
        return lock if lock.exists() else None
    except OSError:  # a name too long for a lock beside it: the save names that problem
        return None


def check_not_open(path: Path | str) -> None:
    """Refuse a workbook that is open in Excel or LibreOffice (their lock file is beside it, or
    beside the file a symbolic link names, depending on which name it was opened by)."""
    path = Path(path)
    _check_not_open(path)
    real = Path(os.path.realpath(path))
    if real != path.absolute():
        _check_not_open(real)


def _check_not_open(path: Path) -> None:
    lock = excel_lock_file(path)
    if lock is not None:
        raise WorkbookRefused(
            f"{path.name} is open in Excel (lock file {lock.name}). Close it in Excel and run "
            "again; if Excel is not running, delete the lock file.",
            f"{path.name} 正在 Excel 中打开（锁文件 {lock.name}）。请在 Excel 中关闭后重新运行；"
            "如果 Excel 并未运行，请删除该锁文件。")
    lock = libreoffice_lock_file(path)
    if lock is not None:
        raise WorkbookRefused(
            f"{path.name} is open in LibreOffice (lock file {lock.name}). Close it and run again; "
            "if LibreOffice is not running, delete the lock file.",
            f"{path.name} 正在 LibreOffice 中打开（锁文件 {lock.name}）。请关闭后重新运行；"
            "如果 LibreOffice 并未运行，请删除该锁文件。")


# --------------------------------------------------------------------------- one run at a time

def run_lock_path(path: Path | str) -> Path:
    """The run lock of a workbook: named after the file itself, found through any symbolic
    links (``os.path.realpath``), so a run by a link's name and a run by the target's name (or
    by another link's) take the same lock and never write the same file at once."""
    real = Path(os.path.realpath(path))
    return real.parent / f".{real.name}.lock"


@contextlib.contextmanager
def run_lock(path: Path | str, *, stale_after: dt.timedelta = STALE_AFTER) -> Iterator[Path]:
    """Hold ``.<name>.lock`` beside the workbook (the file a link names) while a run works on it.

    The lock is created atomically (O_CREAT | O_EXCL), so of two runs started together exactly one
    gets it. A lock whose process is gone (same host) or that is older than ``stale_after`` is
    taken over. The lock is removed on exit, also when the run fails.
    """
    lock = run_lock_path(path)
    token = secrets.token_hex(8)
    for _attempt in range(3):
        if _create_lock(lock, token):
            break
        holder = _read_lock(lock)
        if not _is_stale(lock, holder, stale_after):
            raise _busy(Path(path), holder)
        _take_over(lock, holder)
    else:
        raise _busy(Path(path), _read_lock(lock))
    try:
        yield lock
    finally:
        _release(lock, token)


def _create_lock(lock: Path, token: str) -> bool:
    try:
        fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        return False
    info = {"pid": os.getpid(), "host": socket.gethostname(),
            "started": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "token": token}
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(info, handle)
    return True


def _read_lock(lock: Path) -> dict[str, Any] | None:
    try:
        info = json.loads(lock.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return info if isinstance(info, dict) else None


def _lock_started(lock: Path, holder: dict[str, Any] | None) -> dt.datetime | None:
    if holder is not None:
        try:
            return dt.datetime.fromisoformat(str(holder["started"]))
        except (KeyError, ValueError):
            pass
    try:
        return dt.datetime.fromtimestamp(lock.stat().st_mtime).astimezone()
    except OSError:
        return None


def _is_stale(lock: Path, holder: dict[str, Any] | None, stale_after: dt.timedelta) -> bool:
    started = _lock_started(lock, holder)
    if started is None:  # the lock vanished meanwhile: try again
        return True
    age = dt.datetime.now().astimezone() - started
    if age > stale_after:
        return True
    if holder is None:
        # Unreadable: a run that crashed while writing it, or one writing it right now.
        return age > dt.timedelta(minutes=1)
    if holder.get("host") != socket.gethostname():
        return False  # another machine's process cannot be checked from here
    return not _process_alive(int(holder.get("pid", 0)))


def _process_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if sys.platform == "win32":
        return _windows_process_alive(pid)
    try:
        os.kill(pid, 0)  # signal 0 only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    return True


def _windows_process_alive(pid: int) -> bool:
    # os.kill on Windows terminates the process whatever the signal, so ask the kernel instead.
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return kernel32.GetLastError() == 5  # access denied: it exists
    try:
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        return code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


def _take_over(lock: Path, holder: dict[str, Any] | None) -> None:
    """Move a stale lock aside; only one of several runs doing this at once wins the rename."""
    aside = lock.with_name(f"{lock.name}.stale-{os.getpid()}-{secrets.token_hex(4)}")
    try:
        os.replace(lock, aside)
    except FileNotFoundError:
        return
    # Between reading the stale lock and moving it, another run may have taken it over and
    # written a fresh one: then put that one back untouched.
    if _read_lock(aside) != holder:
        with contextlib.suppress(OSError):
            os.link(aside, lock)
    with contextlib.suppress(OSError):
        aside.unlink()


def _release(lock: Path, token: str) -> None:
    holder = _read_lock(lock)
    if holder is not None and holder.get("token") == token:
        with contextlib.suppress(OSError):
            lock.unlink()


_BUSY = Text("{name} is being processed by another run (pid {pid}{where} since {since}). Wait "
             "for it to finish.",
             "{name} 正在被另一次运行处理（进程 {pid}{where}，开始于 {since}）。请等待其完成。")


def _busy(path: Path, holder: dict[str, Any] | None) -> WorkbookRefused:
    holder = holder or {}
    pid = holder.get("pid", "?")
    started = _lock_started(run_lock_path(path), holder)
    since = started.astimezone().strftime("%H:%M") if started else "?"
    host = holder.get("host")
    elsewhere = host and host != socket.gethostname()
    where = Text(" on {host}", "，主机 {host}").format(host=host) if elsewhere else Text("", "")
    return WorkbookRefused(_BUSY.format(name=path.name, pid=pid, where=where, since=since))
