"""Masking personal data for reports and summaries that leave the complaints team.

Enough stays visible for staff to recognise a customer they already know (a surname, the first
and last digits of a phone number, the email domain), not enough to contact or identify one from
the printout alone. ``Settings.mask_personal_data`` decides whether reports call these.
"""

from __future__ import annotations

import re

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Seven or more digits, possibly broken by spaces, dashes, dots or brackets, with an optional +.
_PHONE = re.compile(r"\+?\(?\d[\d\s().-]{5,}\d")
_DATE = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}")


def _empty(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and value != value:
        return True
    return not str(value).strip()


def mask_phone(value: object) -> str:
    """138****5678: the first three and last four digits of eleven or more, else the last four."""
    if _empty(value):
        return ""
    digits = "".join(ch for ch in str(value) if ch.isdigit())
    if len(digits) >= 11:
        digits = digits[-11:]  # drop a country code: +86 138 1234 5678 -> 138****5678
        return f"{digits[:3]}****{digits[-4:]}"
    if len(digits) >= 5:
        return f"****{digits[-4:]}"
    return "****"


def mask_email(value: object) -> str:
    """z***@example.com: the first letter of the mailbox and the whole domain."""
    if _empty(value):
        return ""
    text = str(value).strip()
    local, at, domain = text.rpartition("@")
    if not at or not local:
        return text[:1] + "***"
    return f"{local[0]}***@{domain}"


def mask_name(value: object) -> str:
    """张* for 张三, 欧阳** for a four-character name; J*** Smith; M*** for one word."""
    if _empty(value):
        return ""
    text = " ".join(str(value).split())
    if _CJK.search(text) and " " not in text:
        # Two-character surnames (欧阳, 司马) are common only in four-character names.
        keep = 2 if len(text) >= 4 else 1
        return text[:keep] + "*" * (len(text) - keep)
    words = text.split(" ")
    if len(words) == 1:
        return words[0][0] + "***"
    return f"{words[0][0]}*** {words[-1]}"


def mask_text(value: object, names: tuple[str, ...] = ()) -> str:
    """Free text with email addresses, phone numbers and the given names masked inside it."""
    if _empty(value):
        return ""
    text = _EMAIL.sub(lambda m: mask_email(m.group()), str(value))
    text = _PHONE.sub(_phone_in_text, text)
    for name in sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True):
        text = text.replace(name, mask_name(name))
    return text


def _phone_in_text(match: re.Match[str]) -> str:
    found = match.group()
    digits = sum(ch.isdigit() for ch in found)
    # Dates (2026-03-04 10:30) are not phone numbers, nor are runs of fewer than seven digits.
    if digits < 7 or _DATE.search(found):
        return found
    return mask_phone(found)
