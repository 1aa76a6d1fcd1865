"""Finding keywords in the folded text of many complaints at once.

Matching folds text first (NFKC, so full-width letters and digits count as ordinary ones, and
case-insensitive). Chinese keywords match anywhere in the text, so no word segmentation is needed:
漏水 matches 冰箱漏水了. Keywords in Latin letters or digits match whole words, because a plain
substring search would read "late" in "related" and "chocolate"; a keyword ending in ``*`` matches
any ending (``charg*``: charge, charged, charging).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass

import numpy as np

_WORDS = re.compile(r"[a-z0-9]+")
# A keyword made of Latin words and digits, perhaps joined by spaces or punctuation.
_WORDY = re.compile(r"[a-z0-9]+(?:[\s\-'’./_]+[a-z0-9]+)*")


@dataclass(frozen=True)
class Keyword:
    text: str  # folded, spaces collapsed, without the trailing *
    any_ending: bool

    @classmethod
    def parse(cls, raw: str) -> Keyword:
        folded = " ".join(unicodedata.normalize("NFKC", raw).casefold().split())
        return cls(folded.rstrip("*").strip(), folded.endswith("*"))

    @property
    def every(self) -> bool:
        return not self.text

    @property
    def words(self) -> tuple[str, ...] | None:
        """The words of a keyword written in Latin letters or digits; None for other text."""
        if _WORDY.fullmatch(self.text):
            return tuple(_WORDS.findall(self.text))
        return None


def _is_word_char(char: str) -> bool:
    return char.isascii() and char.isalnum()


_WORD_BYTES = bytes(b if 48 <= b <= 57 or 97 <= b <= 122 or b == 0 else 32 for b in range(256))


class _Words:
    """Every Latin word or number of the text, in order, with the row it is in.

    Words are numbered in alphabetical order, so the words that begin with a prefix (refund*)
    are one range of numbers, and the positions of any range are found by binary search.
    """

    def __init__(self, text: str) -> None:
        # Splitting bytes is several times faster than a regex over the text: every byte that is
        # not a-z, 0-9 or the row separator (including all bytes of non-ASCII characters)
        # becomes a space.
        raw = text.encode("utf-8").translate(_WORD_BYTES).replace(b"\x00", b" \x00 ")
        tokens = raw.split()
        self.vocabulary = sorted(set(tokens))
        number = {word: i for i, word in enumerate(self.vocabulary)}
        self.codes = np.fromiter(map(number.__getitem__, tokens), dtype=np.int64,
                                 count=len(tokens))
        self.row = np.cumsum(self.codes == number.get(b"\x00", -1))
        self.order = np.argsort(self.codes)  # the order within one word does not matter
        self.sorted_codes = self.codes[self.order]

    def span(self, word: str, any_ending: bool) -> tuple[int, int]:
        """The range of word numbers a keyword word matches."""
        key = word.encode("ascii")
        low = bisect.bisect_left(self.vocabulary, key)
        if any_ending:
            return low, bisect.bisect_left(self.vocabulary, key + b"{")  # "{" sorts after z
        exact = low < len(self.vocabulary) and self.vocabulary[low] == key
        return low, low + int(exact)

    def rows(self, keyword: Keyword, words: tuple[str, ...]) -> np.ndarray:
        """Rows holding the words of a keyword one after the other."""
        spans = [self.span(w, keyword.any_ending and i == len(words) - 1)
                 for i, w in enumerate(words)]
        low, high = np.searchsorted(self.sorted_codes, spans[0])
        starts = self.order[low:high]
        for offset, (first, last) in enumerate(spans[1:], start=1):
            starts = starts[starts + offset < len(self.codes)]
            following = self.codes[starts + offset]
            starts = starts[(following >= first) & (following < last)]
        return self.row[starts]


def _nfkc(text: str) -> str:
    """NFKC of a long text, fast for Chinese text whose only compatibility characters are few.

    NFKC of a whole Chinese text is slow, though it changes only full-width forms and the like;
    so each distinct character is normalised once and only the characters that change are
    replaced. Combining marks and conjoining jamo compose with their neighbours: a text holding
    any of them is normalised as a whole.
    """
    if text.isascii():
        return text
    points = np.frombuffer(text.encode("utf-32-le"), dtype="<u4")
    distinct = [chr(c) for c in np.flatnonzero(np.bincount(points))]
    if any(unicodedata.combining(c) or "\u1100" <= c <= "\u11ff" for c in distinct):
        return unicodedata.normalize("NFKC", text)
    for char in distinct:
        folded = unicodedata.normalize("NFKC", char)
        if folded != char:
            text = text.replace(char, folded)
    return text


class SearchText:
    """The searched fields of every row, folded and joined into one string.

    Latin words are looked up in an index of the text's words (built once); all other keywords
    are found together in one pass over the string. Either way there is no search per row per
    rule, and a keyword shared by several rules is looked up once.
    """

    def __init__(self, rows: list[str]) -> None:
        joined = "\x00".join(rows)
        if joined.count("\x00") != max(len(rows) - 1, 0):  # a cell holding a NUL character
            joined = "\x00".join(r.replace("\x00", " ") for r in rows)
        self.text = _nfkc(joined).casefold()
        self.size = len(rows)
        self._words: _Words | None = None
        self._breaks: np.ndarray | None = None
        self._found: dict[Keyword, np.ndarray] = {}
        self._rows: list[str] | None = None

    def contains(self, keyword: Keyword) -> np.ndarray:
        if keyword.every:
            return np.ones(self.size, dtype=bool)
        if keyword not in self._found:
            self.prepare([keyword])
        return self._found[keyword]

    def prepare(self, keywords: list[Keyword]) -> None:
        """Look up many keywords at once: other text than Latin words is found in one pass."""
        todo = list(dict.fromkeys(k for k in keywords if not k.every and k not in self._found))
        scanned = [k for k in todo if k.words is None and " " not in k.text]
        at = self._scan(scanned) if scanned else {}
        for keyword in todo:
            words = keyword.words
            if words:
                self._words = self._words or _Words(self.text)
                rows = self._words.rows(keyword, words)
            else:
                starts = at[keyword] if keyword in at else self._spaced(keyword)
                rows = np.searchsorted(self.breaks(), starts)
            mask = np.zeros(self.size, dtype=bool)
            mask[rows] = True
            self._found[keyword] = mask

    def breaks(self) -> np.ndarray:
        """Where each row's text ends in the joined string."""
        if self._breaks is None:
            lengths = np.fromiter(map(len, self.text.split("\x00")), dtype=np.int64)
            self._breaks = np.cumsum(lengths + 1)[:-1] - 1
        return self._breaks

    def _scan(self, keywords: list[Keyword]) -> dict[Keyword, np.ndarray]:
        """Where each keyword starts, for keywords without spaces (Chinese, symbols, mixed).

        One regex finds the next place where any of them starts (the regex engine skips
        quickly over characters no keyword begins with); there, each keyword beginning with
        that character is checked. Searching again from the next character keeps keywords
        that overlap (漏水 and 水).
        """
        text = self.text
        starting: dict[str, list[str]] = {}
        for keyword in keywords:
            starting.setdefault(keyword.text[0], []).append(keyword.text)
        # Only keywords with a Latin letter or digit at an end need the whole-word check.
        checked = {k.text: k for k in keywords
                   if _is_word_char(k.text[0]) or _is_word_char(k.text[-1])}
        found: dict[str, list[int]] = {k.text: [] for k in keywords}
        search = re.compile("|".join(re.escape(word) for word in found)).search
        starts_with = text.startswith
        hit = search(text)
        while hit is not None:
            at = hit.start()
            for word in starting[text[at]]:
                if starts_with(word, at) and (word not in checked or self._whole(
                        checked[word], at, at + len(word))):
                    found[word].append(at)
            hit = search(text, at + 1)
        return {k: np.asarray(found[k.text], dtype=np.int64) for k in keywords}

    def _spaced(self, keyword: Keyword) -> np.ndarray:
        """Where a keyword with spaces (but not plain Latin words) starts, any spacing allowed."""
        pattern = re.compile(r"\s+".join(re.escape(w) for w in keyword.text.split(" ")))
        return np.asarray([m.start() for m in pattern.finditer(self.text)
                           if self._whole(keyword, m.start(), m.end())], dtype=np.int64)

    def _whole(self, keyword: Keyword, start: int, end: int) -> bool:
        """A keyword with a Latin letter or digit at an end (12315热线) must not run on into a
        longer word there."""
        text = self.text
        if start > 0 and _is_word_char(keyword.text[0]) and _is_word_char(text[start - 1]):
            return False
        return not (end < len(text) and not keyword.any_ending
                    and _is_word_char(keyword.text[-1]) and _is_word_char(text[end]))

    def rows(self) -> list[str]:
        """Each row's folded text, for the searches that go row by row (regular expressions)."""
        if self._rows is None:
            self._rows = self.text.split("\x00")
        return self._rows
