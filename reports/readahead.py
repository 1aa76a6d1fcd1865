"""Reading a workbook's register ahead, while the report's own modules load.

A report from the command line spends its first part of a second importing pandas, the core and
the templates before it reads anything, and most of a large register's read is calamine parsing
the sheet's XML in Rust, without holding Python's lock. Started first, in a thread, that parse
runs beside the imports instead of after them.

Nothing in the command's own process reads the file before the package check passes. Where the
command may fork (Linux), the check runs beside the read (``check_beside``): the command forks,
the child reads the file and goes on with the report, and when its reader wants what it read
it asks the parent for its verdict; the parent checks the file then (while calamine still
parses a large one) and the child uses nothing it read until the verdict comes. A file the
check refuses, or one that makes calamine abort (a block too big to allocate), ends the child,
never the command, and the parent says the refusal. Elsewhere, and when the report is run
from Python, the check runs first in this process, and only then the thread that reads with
calamine.

Only the sheet named for complaints (the one ``find_register`` looks at first) is read ahead; a
workbook without one is read as before. Whatever went wrong in the thread is raised where the
reader would have met it, so a refusal says what it always said.

This module loads nothing heavy (no pandas), or it would wait for the very imports it is to
overlap; the package check's modules are loaded where a check is made, so a child of
``check_beside``, which never checks, starts its read without waiting for them (about 0.03 s).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from addin.core.errors import EXIT_BUG, EXIT_REFUSED, Refusal
from addin.core.text import Text
from addin.layout.sheets import sheet_role

if TYPE_CHECKING:
    from addin.package import PackageRefused


class Ahead:
    """One workbook read ahead: its calamine book and the register sheet's rows, or the error."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.book: Any = None
        self.sheets: dict[str, tuple[list[list[Any]], tuple[int, int] | None]] = {}
        self.error: BaseException | None = None
        self.wide: dict[str, Exception] = {}  # sheets too big to read as a block, by title
        self._thread = threading.Thread(target=self._read, name="read-ahead", daemon=True)
        self._verdict = _verdicts.pop(path, None)  # the parent checks the file (check_beside)
        if self._verdict is not None:
            self._thread.start()
            return
        try:
            from addin.package import check_package

            # Checked here, before the thread starts: the check holds Python's lock most of its
            # time, and beside the imports it only slowed them down.
            self.wide = check_package(path, blocks=True)
        except Exception as err:  # noqa: BLE001 - raised again by the reader (``result``)
            self.error = err
        else:
            self._thread.start()

    def _read(self) -> None:
        try:
            from python_calamine import CalamineWorkbook

            self.book = CalamineWorkbook.from_path(str(self.path))
            name = read_early(self.book.sheet_names)
            if name is not None and name not in self.wide:  # the reader refuses one too wide
                sheet = self.book.get_sheet_by_name(name)
                self.sheets[name] = (sheet.to_python(skip_empty_area=True), sheet.start)
        except Exception as err:  # noqa: BLE001 - raised again by the reader (``result``)
            self.error = err

    def finish(self) -> None:
        if self._thread.ident is not None:
            self._thread.join()

    def result(self) -> Ahead:
        """This read once finished and the file checked; what went wrong is raised here."""
        if self._verdict is not None:
            self.wide, self._verdict = _await_verdict(self._verdict), None
        self.finish()
        if self.error is not None:
            raise self.error
        return self


def read_early(titles: Iterable[str]) -> str | None:
    """The sheet read ahead: the first one named for complaints, the one ``find_register``
    looks at first."""
    return next((title for title in titles if sheet_role(title) == "complaints"), None)


_started: dict[Path, Ahead] = {}
_verdicts: dict[Path, Verdict] = {}  # in a child of check_beside: how its verdict comes
_child = False  # this process is a child of check_beside


@contextmanager
def reading_ahead(given: Sequence[str | Path]) -> Iterator[None]:
    """Read the one workbook file ``given`` names ahead while the block runs (nothing for
    several workbooks, a folder or a file that is not there: they are read as before)."""
    path = Path(given[0]).resolve() if len(given) == 1 else None
    if path is None or not path.is_file() or path in _started:
        yield
        return
    ahead = _started[path] = Ahead(path)
    try:
        yield
    finally:
        _started.pop(path, None)
        ahead.finish()  # never left reading once the command is done


def take(path: Path) -> Ahead | None:
    """The read started ahead for ``path``, once: a second reader of the file reads it anew."""
    return _started.pop(Path(path).resolve(), None)


# ----------------------------------------------------------------------------- checked beside

READER_LOST = Text(
    "the process reading {file} for the report stopped before it finished ({how}), though the "
    "file passed every check; perhaps the computer ran out of memory. The workbook was not "
    "changed. Run the report again; if it stops again, open the file in Excel, save it under a "
    "new name, run the report on that, and send the file to whoever looks after ComplaintRecord.",
    "为报表读取 {file} 的进程在完成前中止（{how}），而该文件已通过全部检查；可能是计算机内存"
    "不足。工作簿未被改动。请重新运行报表；如果再次中止，请在 Excel 中打开该文件，另存为新文件名后"
    "对新文件运行报表，并将文件发给负责 ComplaintRecord 的同事。")


def check_beside(given: Sequence[str | Path]) -> int | None:
    """Check the one workbook file ``given`` names beside its read, in a parent process.

    Forks where that is safe (Linux). The child returns None at once and goes on with the
    command; its read ahead starts without checking, and when the reader wants what it read
    the child asks the parent for its verdict and waits for it. The parent checks the file
    then, not at once: until the child asks, its imports and calamine's parse keep both cores
    busy, and a check beside them took a core from the parse (about 0.2 s of a 50,000-row
    report). The parent returns the child's exit status once it has ended, or raises what the
    check refused (the child is then stopped).

    Nothing is forked (None) for several workbooks, a folder, or where fork is not safe: the
    command then checks first, as it always did. Only for a process of its own: the child
    finishes the caller's program.
    """
    path = Path(given[0]).resolve() if len(given) == 1 else None
    if path is None or not path.is_file() or not sys.platform.startswith("linux"):
        return None
    _flush_output()  # or both processes would write what is buffered
    parent = os.getpid()
    verdict, tell = os.pipe()  # the parent's verdict, to the child
    asked, ask = os.pipe()  # the child asking for it
    try:
        child = os.fork()
    except OSError:  # no process to be had (a limit reached): the check comes first, as always
        for end in (verdict, tell, asked, ask):
            os.close(end)
        return None
    if child == 0:
        global _child
        _child = True
        _end_with(parent)
        os.close(tell)
        os.close(asked)
        _verdicts[path] = Verdict(verdict, ask, _quiet_native_errors())
        return None
    os.close(verdict)
    os.close(ask)
    return _guard(path, child, Channel(asked, tell), Path(given[0]))


def keep_till_end(value: Any) -> None:
    """In a child of ``check_beside``: hold ``value`` until the child ends, so that a register's
    million small values go back with the process (``end_child``) rather than one by one when
    the report is done with them (about 0.08 s at 50,000 rows). Elsewhere nothing is kept."""
    if _child:
        _kept.append(value)


_kept: list[Any] = []


def ends_alone() -> bool:
    """Whether this process is a child of ``check_beside``, which ``end_child`` ends without
    Python's finalisation once its report is written."""
    return _child


def end_child(status: int) -> None:
    """In a child of ``check_beside``, once the command is done: end it now with ``status``.
    The parent waits for the child's end, and the objects of a large register need not be freed
    one by one before it (about 0.1 s at 50,000 rows); the report's files are written and closed
    by then. Does nothing in any other process."""
    if _child:
        _flush_output()
        os._exit(status)


def _flush_output() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        # The reader of the output went away (`| head`), or the command was given none.
        except (AttributeError, OSError, ValueError):
            pass


class Channel(NamedTuple):
    """The parent's ends of the pipes: the child's asking, and the verdict to send."""

    asked: int
    tell: int


class Verdict(NamedTuple):
    """The child's ends: the verdict to read, the asking, and its real standard error (None
    when it had none to quiet)."""

    verdict: int
    ask: int
    stderr: tuple[int, Any] | None


def _guard(path: Path, child: int, channel: Channel, named: Path) -> int:
    """The parent's part: wait for the child to ask, check, tell it, wait for its end."""
    # Ctrl+C reaches the child too, which stops and says so; the parent waits for it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with os.fdopen(channel.asked, "rb") as asked:
        asking = asked.read(1)  # nothing when the child ended without asking
    with os.fdopen(channel.tell, "wb") as tell:
        if asking:
            try:
                wide = _checked(path, named)
            except BaseException:
                _stop(child)
                raise
            try:
                import pickle

                pickle.dump({title: refused.said for title, refused in wide.items()}, tell)
                tell.flush()
            except BrokenPipeError:  # the child has ended already; its status says how
                pass
    _, status = os.waitpid(child, 0)
    if os.WIFEXITED(status):
        return os.WEXITSTATUS(status)
    if not asking:  # ended by a signal before it asked: what the check refuses is why
        _checked(path, named)
    # Ended by a signal, though the sheet it read before the verdict was within the limits:
    # the system stopped it (out of memory), or a reader failed as nothing foresaw.
    how = signal.Signals(os.WTERMSIG(status)).name
    raise Refusal(READER_LOST.format(file=path.name, how=how), status=EXIT_BUG)


def _checked(path: Path, named: Path) -> dict[str, PackageRefused]:
    """The package check's sheets too wide to read; raised as the report's reader says it,
    what the check refuses, and the sheet the child reads before the verdict if too wide."""
    from addin.package import check_package

    try:
        wide = check_package(path, blocks=True)
        early = _read_early(path) if wide else None
        if early in wide:  # the child is making a block that big
            raise wide[early]
    except Exception as err:
        from .read import refused_reading  # the reader's words, loaded only when needed

        raise refused_reading(named, err) from None
    return wide


def _read_early(path: Path) -> str | None:
    """The sheet the child reads before the verdict (``read_early``), from the workbook part.
    Looked up once the check passed the file, so reading that part is safe."""
    import zipfile

    from addin.package import sheet_parts

    with zipfile.ZipFile(path) as archive:
        return read_early(sheet_parts(archive))


def _end_with(parent: int) -> None:
    """In the child: end when the parent does (Linux's PR_SET_PDEATHSIG), so that a command
    stopped from outside (a scheduler's kill, a closed terminal) stops its report too."""
    import ctypes  # here: the parent never needs it

    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # no prctl to be had: the child ends on its own
        return
    if os.getppid() != parent:  # the parent ended before the child asked
        os._exit(EXIT_REFUSED)


_PR_SET_PDEATHSIG = 1


def _await_verdict(verdict: Verdict) -> dict[str, Exception]:
    """In the child: ask for the parent's verdict and wait for it; the sheets too wide to read,
    once the check passed the file. A parent gone without a verdict leaves nothing to report
    to: the child ends quietly."""
    try:
        os.write(verdict.ask, b"?")
    except BrokenPipeError:
        pass
    os.close(verdict.ask)
    with os.fdopen(verdict.verdict, "rb") as told:
        said = told.read()
    if not said:
        os._exit(EXIT_REFUSED)
    _errors_heard(verdict.stderr)
    import pickle

    from addin.package import PackageRefused

    return {title: PackageRefused(text) for title, text in pickle.loads(said).items()}


def _quiet_native_errors() -> tuple[int, Any] | None:
    """In the child, until the file is checked: what native code writes to standard error goes
    nowhere (calamine aborting on a block too big prints the allocator's words and a Rust
    trace; the parent says the refusal instead), while Python's own messages go where they
    always did. Returns the descriptor of the real standard error and Python's stream on it;
    None when the command was given no standard error (nothing to quiet)."""
    stream = sys.stderr
    try:
        stream.flush()
        real = os.dup(2)
    except (AttributeError, OSError, ValueError):
        return None
    nowhere = os.open(os.devnull, os.O_WRONLY)
    os.dup2(nowhere, 2)
    os.close(nowhere)
    sys.stderr = open(os.dup(real), "w", encoding=stream.encoding,  # noqa: SIM115
                      errors=stream.errors, buffering=1)
    return real, stream


def _errors_heard(stderr: tuple[int, Any] | None) -> None:
    """The file passed: standard error is the real one again, for native code too."""
    if stderr is None:
        return
    real, stream = stderr
    sys.stderr.flush()
    os.dup2(real, 2)
    os.close(real)
    sys.stderr.close()
    sys.stderr = stream


def _stop(child: int) -> None:
    try:
        os.kill(child, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.waitpid(child, 0)
