"""The one refusal of the batch door: a workbook it will not touch, said in both languages.

Every check that stops a run (the file is open, locked, damaged, too big, encrypted, or cannot be
written) raises ``WorkbookRefused``; the command line shows its message to staff as it is.
"""

from __future__ import annotations

from addin.core.errors import Refusal
from addin.core.text import Text


class WorkbookRefused(Refusal):
    """The door will not touch a workbook; the message says which file, why and what to do.

    ``lost`` names what a save would drop (the refusal ``--allow-loss`` overrides).
    """

    def __init__(self, message: Text | str, message_zh: str | None = None,
                 lost: list[str] | None = None) -> None:
        super().__init__(message, message_zh)
        self.lost = lost or []
