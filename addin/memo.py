"""The doors' memo for the suggester (``addin.core.suggest.Memo``): JSON files in the user's
cache folder, one per model, the most recent few kept.

A run over a register whose labels did not change trains the very model the last run trained;
the memo hands back what that model said, which on 50,000 rows is most of such a run's work.
Both doors use the same folder, so a button press after a night's batch finds the batch's model.
Nothing in a workbook depends on the memo being there: a missing, unreadable or damaged entry is
a model trained anew. ``COMPLAINT_RECORD_CACHE`` names another folder, or none ("off").
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

KEPT = 16  # entries kept: a few workbooks' models, each a few hundred kilobytes at most
_ENV = "COMPLAINT_RECORD_CACHE"


class FileMemo:
    """Entries as ``<key>.json`` in ``folder``; never raises for what the disk does."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def get(self, key: str) -> Any | None:
        path = self.folder / f"{key}.json"
        try:
            value = json.loads(path.read_text(encoding="utf-8"))
            os.utime(path)  # recently used: kept longest
        except (OSError, ValueError):
            return None
        return value

    def put(self, key: str, value: Any) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            # Written aside and renamed: a run reading at the same time sees all or nothing.
            with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=self.folder,
                                             suffix=".part", delete=False) as out:
                json.dump(value, out, ensure_ascii=False)
            os.replace(out.name, self.folder / f"{key}.json")
            self._prune()
        except (OSError, TypeError, ValueError):
            with contextlib.suppress(OSError, NameError):
                os.unlink(out.name)

    def _prune(self) -> None:
        entries = sorted(self.folder.glob("*.json"), key=_modified, reverse=True)
        for old in entries[KEPT:]:
            with contextlib.suppress(OSError):
                old.unlink()


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def default_memo() -> FileMemo | None:
    """The memo in the user's cache folder (or where ``COMPLAINT_RECORD_CACHE`` says; "off":
    none)."""
    named = os.environ.get(_ENV)
    if named is not None:
        return None if named.strip().lower() in ("", "off", "0", "no") else \
            FileMemo(Path(named) / "suggest")
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        base = Path(os.environ["LOCALAPPDATA"])
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return FileMemo(base / "complaint-record" / "suggest")
