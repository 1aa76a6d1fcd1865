"""Number formats every writer gives the cells it fills (batch door, live door, builder)."""

from __future__ import annotations

from addin.core.fields import BY_KEY

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
WHOLE_FORMAT = "0"


def typed_format(key: str) -> str | None:
    """The format of a column staff type into: a date with or without its time."""
    return {"datetime": DATETIME_FORMAT, "date": DATE_FORMAT}.get(BY_KEY[key].kind)


def written_format(key: str) -> str | None:
    """The format a door gives a cell the add-in writes: dates as dates (the written deadlines
    carry no time staff need), counts as whole numbers; None leaves the cell's format alone."""
    field = BY_KEY[key]
    if field.kind in ("date", "datetime"):
        return DATE_FORMAT
    if field.written and field.kind == "int":
        return WHOLE_FORMAT
    return None
