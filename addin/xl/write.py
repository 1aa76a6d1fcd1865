"""The live door's writing: perform a plan's writes in order, and undo them when Excel refuses one.

Only calls every xlwings flavour supports: ``clear_contents``, ``sheets.add``, ``visible``,
``value`` and ``number_format``.
"""

from __future__ import annotations

from typing import Any

from .plan import Write
from .read import Snapshot


class WriteFailed(Exception):
    """Excel refused a write; ``restored`` says whether the earlier writes were undone."""

    def __init__(self, write: Write, cause: BaseException, restored: bool) -> None:
        self.write, self.cause, self.restored = write, cause, restored
        super().__init__(f"{write.kind} {write.sheet}!{write.address}: {cause}")


def apply_writes(book: Any, snap: Snapshot, writes: list[Write]) -> int:
    """Perform the writes in order; on a failure, undo the register and counter blocks already
    written (their old values were read) and raise ``WriteFailed``. Returns the calls made."""
    sheets = book.sheets
    objects = dict(snap.sheet_objects)
    done: list[Write] = []
    for write in writes:
        try:
            _apply(sheets, objects, write)
        except Exception as err:  # any Excel error: restore, then report what failed
            raise WriteFailed(write, err, _undo(sheets, objects, done)) from err
        done.append(write)
    return len(done)


def _sheet(sheets: Any, objects: dict[str, Any], name: str) -> Any:
    if name not in objects:
        objects[name] = sheets[name]
    return objects[name]


def _apply(sheets: Any, objects: dict[str, Any], write: Write) -> None:
    if write.kind == "add":
        # After the last sheet, as the batch door adds them; xlwings would otherwise put the new
        # sheet before the active one.
        after = _sheet(sheets, objects, write.after) if write.after else None
        objects[write.sheet] = sheets.add(write.sheet, after=after)
        return
    sheet = _sheet(sheets, objects, write.sheet)
    if write.kind == "hide":
        sheet.visible = False
    elif write.kind == "clear":
        sheet.clear_contents()
    elif write.kind == "format":
        sheet.range(write.address).number_format = write.number_format
    else:
        sheet.range(write.address).value = _rectangle(write.values)


def _rectangle(values: tuple[tuple[Any, ...], ...]) -> list[list[Any]]:
    """Rows of equal width (Excel needs a rectangle), text kept as text.

    Excel reads text written into a cell as if staff typed it: '0571' becomes the number 571,
    '2026-03-01' a date, '=A1' a formula. A leading apostrophe keeps it text, and Excel does not
    store the apostrophe, so every text gets one: the batch door writes all text as text too.
    (Done inline, not by a call per cell: a big register's blocks hold hundreds of thousands.)
    """
    rows = [["'" + v if isinstance(v, str) and v else v for v in r] for r in values]
    width = max(map(len, values), default=0)
    # Padded in place, and only when a row is short: a padded copy of every row took about an
    # eighth of the time for the 2 million cells a first press writes at 50,000 rows.
    if min(map(len, values), default=width) < width:
        for row in rows:
            row.extend([None] * (width - len(row)))
    return rows


def _undo(sheets: Any, objects: dict[str, Any], done: list[Write]) -> bool:
    """Put back the old values of the blocks written so far; False when that failed too."""
    try:
        for write in reversed(done):
            if write.kind == "values" and write.old is not None:
                sheet = _sheet(sheets, objects, write.sheet)
                sheet.range(write.address).value = _rectangle(write.old)
    except Exception:  # Excel is not answering at all; say so rather than hide it
        return False
    # Restored in full only when every block written had known old values and nothing was
    # cleared (the Findings sheet's old rows are not read, so a cleared sheet stays cleared).
    return all(w.old is not None for w in done if w.kind == "values") and \
        not any(w.kind == "clear" for w in done)
