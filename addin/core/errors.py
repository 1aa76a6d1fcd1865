"""Refusals: the errors that are the user's to fix. Every other exception is a bug.

A ``Refusal`` is raised when a file, a sheet, a cell, a setting or a command cannot be used as
it is. Its message says, in English and Chinese, what happened, where (which file, sheet, cell or
setting) and what to do; the doors show it as it is, in the workbook's language, and the command
line exits with the status the refusal carries. Nothing is written when a refusal is raised.

Anything else that escapes (a ``ValueError`` or ``KeyError`` from our own code included) is a
bug in ComplaintRecord and is reported as one, never as the user's mistake. So code that finds
a problem staff can fix raises a Refusal, explicitly; it never relies on a ``ValueError`` being
read as "bad input".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .text import Lang, Text

if TYPE_CHECKING:
    from .findings import Finding

# Exit statuses of the command line (README, "Exit status").
EXIT_OK, EXIT_FINDINGS, EXIT_REFUSED, EXIT_BUG = 0, 1, 2, 3


class Refusal(Exception):
    """A problem the user can fix; nothing was written.

    Built from a ``Text``, or from the English and the Chinese message as two strings (the form
    the doors' refusals have always taken: ``WorkbookRefused(en, zh)``). ``fix`` is the
    what-to-do, when it is kept apart from the message. ``status`` is the exit status it maps to.
    ``message`` and ``message_zh`` are plain attributes, so a subclass may set them itself.
    """

    status: int = EXIT_REFUSED

    def __init__(self, message: Text | str, message_zh: str | None = None, *,
                 fix: Text | None = None, status: int | None = None) -> None:
        said = message if isinstance(message, Text) else Text(message, message_zh or message)
        super().__init__(said.en)
        self.message = said.en
        self.message_zh = said.zh
        self.fix = fix
        if status is not None:
            self.status = status

    @property
    def said(self) -> Text:
        """The whole message, what-to-do included, in both languages."""
        return Text(self.message, self.message_zh).then(self.fix)

    def text(self, lang: Lang | str = Lang.EN) -> str:
        """The message, what-to-do included, in ``lang``."""
        return self.said.in_(lang)


def about_file(file: str, problem: Finding) -> Text:
    """A finding that stops the work on ``file``, as a refusal says it: the file, what is wrong
    and what to do, in both languages."""
    return Text(f"{file}:", f"{file}：").then(problem.message_text()).then(problem.fix_text())
