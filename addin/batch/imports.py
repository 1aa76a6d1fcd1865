"""`complaint-record import`: bring complaints from a CSV file into a record-card workbook.

An existing workbook gets only the rows it does not hold yet (by ``source_ref``), appended below
its table and saved the same safe way as a run. A missing one is made by the workbook builder,
which the caller passes in (``new_book``): this door places the file but never builds one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from addin.core.fields import BY_KEY
from addin.core.text import Lang, Text
from addin.importer import SOURCE_REF, load_mapping, map_rows, new_rows, read_csv
from addin.layout.cells import cell_value

from .append import append_rows
from .newfile import save_new_workbook
from .run import OWNED_SHEETS, check_kind, open_workbook
from .safety import WorkbookRefused, check_not_open, default_backup_dir, run_lock, save_atomically
from .sheets import find_register, read_register

IMPORTED = Text("Read {read} complaints from {csv}; {verb} {workbook}: {added} added ({skipped} "
                "already imported, skipped). Next: complaint-record process \"{workbook}\"",
                "从 {csv} 读取 {read} 条，{verb} {workbook}：{added} 条"
                "（{skipped} 条已导入过，跳过）。"
                "下一步：complaint-record process \"{workbook}\"")
CREATED, APPENDED = Text("created", "新建"), Text("appended to", "追加到")


@dataclass
class ImportReport:
    csv: Path
    workbook: Path
    read: int
    added: int
    created: bool
    lang: str

    def describe(self, lang: Lang | str | None = None) -> str:
        """What the import did, in ``lang`` (default: the workbook's language)."""
        return IMPORTED.format(
            read=self.read, csv=self.csv.name, workbook=self.workbook, added=self.added,
            skipped=self.read - self.added, verb=CREATED if self.created else APPENDED,
        ).in_(lang or self.lang)

    __str__ = describe


# Makes a new workbook from (language, headers, rows); ``save(path)`` writes it.
NewBook = Callable[[str, list[str], list[list[Any]]], Any]


def import_csv(csv: Path | str, into: Path | str, mapping: str = "cfpb",
               encoding: str | None = None, lang: str = "en", *,
               new_book: NewBook | None = None) -> ImportReport:
    """Import ``csv`` into the workbook ``into``. A missing workbook is made with ``new_book`` in
    ``lang`` (without one it is refused); an existing one keeps its own language."""
    csv, into = Path(csv), Path(into)
    check_kind(into)
    chosen = load_mapping(mapping)
    source = read_csv(csv, encoding)
    if not into.exists():
        if new_book is None:
            raise WorkbookRefused(
                f"{into.name} does not exist, and only an existing workbook can be appended to "
                "here. Check the name and folder.",
                f"{into.name} 不存在，此处只能向已有的工作簿追加记录。请检查文件名和文件夹。")
        rows = new_rows(map_rows(source, chosen, lang), set())
        headers = [BY_KEY[c].header(lang) if c in BY_KEY else str(c) for c in rows.columns]
        save_new_workbook(new_book(lang, headers, rows.to_numpy(dtype=object).tolist()), into)
        return ImportReport(csv, into, len(source), len(rows), True, lang)
    check_not_open(into)
    with run_lock(into):
        wb = open_workbook(into)
        loc = find_register(wb)
        if loc is None:
            raise WorkbookRefused(
                f"{into.name}: no complaints table to append to. Import into a new file name "
                "instead, or add the card's header row to the workbook first.",
                f"{into.name}：没有可追加的投诉登记表。请导入到一个新文件名，或先在工作簿中加上记录卡的表头。")
        register = read_register(loc)
        known = set(register.col(SOURCE_REF).dropna().astype(str))
        rows = new_rows(map_rows(source, chosen, register.lang), known)
        columns = {key: loc.first_col + pos for key, pos in register.columns.items()}
        added = append_rows(wb, loc.ws, loc.table, columns, _records(rows),
                            header_row=loc.header_row)
        if added:
            save_atomically(wb, into, default_backup_dir(into), into, allow_loss=False,
                            owned_sheets=OWNED_SHEETS)
        return ImportReport(csv, into, len(source), added, False, register.lang)


def _records(rows: pd.DataFrame) -> list[dict[str, object]]:
    return [{k: cell_value(v) for k, v in rec.items() if cell_value(v) is not None}
            for rec in rows.to_dict("records")]
