"""Small draws the demo's generator modules share."""

from __future__ import annotations

import datetime as dt
import random

from addin.core.text import Lang


def pick(rng: random.Random, shares: dict[str, int]) -> str:
    """A key of ``shares``, drawn with its share as the weight."""
    return rng.choices(list(shares), weights=list(shares.values()))[0]


def minute(moment: dt.datetime) -> dt.datetime:
    return moment.replace(microsecond=0)


def per_language(table: dict[str, tuple[str, ...]], lang: Lang) -> tuple[str, ...]:
    """The entries of a ``{"zh": ..., "en": ...}`` table written in ``lang``: a complaint's own
    words are written per language, not translated one by one."""
    return table["zh" if lang is Lang.ZH else "en"]
