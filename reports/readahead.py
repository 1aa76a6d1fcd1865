"""Reading a workbook's register ahead, while the report's own modules load.

A report from the command line spends its first part of a second importing pandas, the core and
the templates before it reads anything, and most of a large register's read is calamine parsing
the sheet's XML in Rust, without holding Python's lock. Started first, in a thread, the package
check and that parse run beside the imports instead of after them.

Nothing reads the file before the package check passes: the check runs first, and only then the
thread that reads with calamine.
Only the sheet named for complaints (the one ``find_register`` looks at first) is read ahead; a
workbook without one is read as before. Whatever went wrong in the thread is raised where the
reader would have met it, so a refusal says what it always said.

This module loads nothing heavy (no pandas), or it would wait for the very imports it is to
overlap.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from addin.layout.sheets import sheet_role
from addin.package import check_package


class Ahead:
    """One workbook read ahead: its calamine book and the register sheet's rows, or the error."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.book: Any = None
        self.sheets: dict[str, tuple[list[list[Any]], tuple[int, int] | None]] = {}
        self.error: BaseException | None = None
        self.wide: dict[str, Exception] = {}  # sheets too big to read as a block, by title
        self._thread = threading.Thread(target=self._read, name="read-ahead", daemon=True)
        try:
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
            named = [n for n in self.book.sheet_names if sheet_role(n) == "complaints"]
            if named and named[0] not in self.wide:  # the reader refuses one too wide
                sheet = self.book.get_sheet_by_name(named[0])
                self.sheets[named[0]] = (sheet.to_python(skip_empty_area=True), sheet.start)
        except Exception as err:  # noqa: BLE001 - raised again by the reader (``result``)
            self.error = err

    def finish(self) -> None:
        if self._thread.ident is not None:
            self._thread.join()

    def result(self) -> Ahead:
        """This read once finished; what went wrong in it is raised here."""
        self.finish()
        if self.error is not None:
            raise self.error
        return self


_started: dict[Path, Ahead] = {}


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
