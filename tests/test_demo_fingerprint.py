"""The demo's output pinned by a fingerprint, so a reorganisation of the generator cannot change a
single value it makes for a given seed.

Run before and after moving generator code: the fingerprints must not move. A deliberate change to
what the demo generates changes them; print the new ones with
``python -m tests.test_demo_fingerprint`` and say in the commit why the demo changed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib

import pytest

from addin.demo_data import make_demo

END = dt.date(2026, 3, 20)
# (rows, months, language, seed): a register large enough to plant two rows of every kind, a
# small one, and both languages.
CASES = ((1200, 12, "zh-CN", 7), (1200, 12, "en", 7), (150, 3, "zh-CN", 11))
FINGERPRINTS = {
    (1200, 12, "zh-CN", 7): "7e8951e771471a478eeb6bbf2d6af56f4e002ebf6fdff3e9ba2b0457e56fdfbf",
    (1200, 12, "en", 7): "48312f2fa1cf6b685edf8e4b37ed83b04e6cc1f4f0f8d610fc97a1981e665a44",
    (150, 3, "zh-CN", 11): "089d126b65040ee7158023248a9b9729e47dbdadb0db1f8a3b34e392c3f87a9e",
}


def fingerprint(n: int, months: int, lang: str, seed: int) -> str:
    """A hash of everything make_demo returns: headers, every cell with its type, what was
    planted where, the categories and the process rows."""
    demo = make_demo(n, months, END, lang, seed)
    return hashlib.sha256(repr(dataclasses.astuple(demo)).encode("utf-8")).hexdigest()


@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(map(str, c)))
def test_the_demo_makes_the_same_rows_for_the_same_seed_as_before(case):
    assert fingerprint(*case) == FINGERPRINTS[case]


def test_the_fingerprint_sees_a_changed_cell():
    demo = make_demo(150, 3, END, "zh-CN", 11)
    demo.rows[40][2] = "someone else"
    changed = hashlib.sha256(repr(dataclasses.astuple(demo)).encode("utf-8")).hexdigest()
    assert changed != fingerprint(150, 3, "zh-CN", 11)


if __name__ == "__main__":
    for case in CASES:
        print(f"    {case}: \"{fingerprint(*case)}\",")
