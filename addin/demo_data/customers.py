"""Who complains: a name that fits the register's language, a mobile number, an email address."""

from __future__ import annotations

import random

from addin.core.text import Lang

from .words import (
    EMAIL_DOMAINS,
    FIRST_NAMES,
    GIVEN_CHARS,
    LAST_NAMES,
    MOBILE_PREFIXES,
    SURNAMES,
)


def customer(rng: random.Random, lang: Lang) -> tuple[str, str]:
    """A name and the local part an email address would use."""
    if lang is Lang.ZH:
        surname, pinyin = rng.choice(SURNAMES)
        given = "".join(rng.choices(GIVEN_CHARS, k=rng.choice((1, 2, 2))))
        return surname + given, f"{pinyin}{rng.randrange(10, 9999)}"
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    handle = f"{first}.{last}".lower().replace("'", "")
    # A number keeps namesakes apart, so only true repeats share an address.
    return f"{first} {last}", f"{handle}{rng.randrange(1, 999)}"


def contact(rng: random.Random, handle: str, channel: str) -> dict[str, str | None]:
    """A phone number, an email address or both; a call always leaves a number."""
    phone = _phone(rng) if channel == "Phone" or rng.random() < 0.9 else None
    wants_email = phone is None or rng.random() < 0.35
    email = f"{handle}@{rng.choice(EMAIL_DOMAINS)}" if wants_email else None
    return {"phone": phone, "email": email}


def _phone(rng: random.Random) -> str:
    number = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
    style = rng.random()
    if style < 0.8:
        return number
    if style < 0.92:  # typed in groups, as read out on the phone
        return f"{number[:3]} {number[3:7]} {number[7:]}"
    return f"+86 {number[:3]}-{number[3:7]}-{number[7:]}"
