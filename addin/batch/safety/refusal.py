"""The one refusal of the batch door: a workbook it will not touch, said in both languages.

Every check that stops a run (the file is open, locked, damaged, too big, encrypted, or cannot be
written) raises ``WorkbookRefused``; the command line shows its message to staff as it is.
"""

from __future__ import annotations


class WorkbookRefused(Exception):
    """The door will not touch a workbook; the message says which file, why and what to do."""

    def __init__(self, message: str, message_zh: str | None = None,
                 lost: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.message_zh = message_zh or message
        self.lost = lost or []

    def text(self, lang: str = "en") -> str:
        return self.message_zh if lang.startswith("zh") else self.message
