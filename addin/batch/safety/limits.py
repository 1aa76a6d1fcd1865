"""The package check (``addin.package.limits``) as the batch door refuses: a ``WorkbookRefused``
with the same words, and an operating-system error said as the file's refusal."""

from __future__ import annotations

from pathlib import Path

from addin.package import limits as shared
from addin.package.limits import SAYS, PackageRefused

from .oserrors import os_refusal
from .refusal import WorkbookRefused

__all__ = ["SAYS", "check_package"]


def check_package(path: Path | str) -> None:
    """Refuse ``path`` unless it is a whole, unencrypted workbook zip within every limit."""
    try:
        shared.check_package(path)
    except PackageRefused as err:
        raise WorkbookRefused(err.said) from err
    except OSError as err:
        raise os_refusal(path, err) from err

