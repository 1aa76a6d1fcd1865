"""Words staff read, in English and Chinese, as one value.

Every sentence ComplaintRecord shows exists in both languages. A ``Text`` holds the two together,
so no message can lose its translation on the way; a ``Lang`` says which one to show. Parse the
language once, where it comes in (a command-line option, a workbook's guessed language, the
Language setting), with ``Lang.of``; pass the ``Lang`` on; choose with ``text.in_(lang)`` only at
the moment the words are shown.

    >>> saved = Text("Saved {file}.", "已保存 {file}。").format(file="a.xlsx")
    >>> saved.in_(Lang.of("zh"))
    '已保存 a.xlsx。'
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import NamedTuple

# Names of Chinese, besides anything starting with "zh" (zh, zh-CN, zh_CN.UTF-8, zh-Hans ...).
_CHINESE = {"chinese", "cn", "中文", "简体中文", "汉语", "zhongwen"}


class Lang(StrEnum):
    """English or Chinese. A ``str`` too ("en", "zh-CN"), so code not yet converted still works."""

    EN = "en"
    ZH = "zh-CN"

    @classmethod
    def of(cls, value: object) -> Lang:
        """The language ``value`` names: a Lang, a code ("zh-CN", "zh", "en"), a locale
        ("zh_CN.UTF-8") or a name ("中文", "Chinese", "English").

        Anything that does not name Chinese, None and "" included, is English: the card's
        default, as it has always been.
        """
        if isinstance(value, Lang):
            return value
        folded = str(value or "").strip().casefold().replace("_", "-")
        if folded.startswith("zh") or folded.split("-")[0].split(".")[0] in _CHINESE:
            return cls.ZH
        return cls.EN


class Text(NamedTuple):
    """One thing to say, in English (``en``) and Chinese (``zh``).

    ``str(text)`` is the English, for logs and exception arguments; staff get ``text.in_(lang)``.
    A Text is also the ``(en, zh)`` pair older code indexes and unpacks, so it can be handed to
    code not yet converted.
    """

    en: str
    zh: str

    def in_(self, lang: Lang | str) -> str:
        return self.zh if Lang.of(lang) is Lang.ZH else self.en

    def format(self, **params: object) -> Text:
        """Fill the ``{name}`` placeholders of both languages; a Text parameter gives each
        language its own words."""
        return Text(self.en.format(**_chosen(params, Lang.EN)),
                    self.zh.format(**_chosen(params, Lang.ZH)))

    def then(self, more: Text | None) -> Text:
        """This sentence followed by ``more``: a space between English sentences, none between
        Chinese ones (they end in a full-width stop)."""
        if more is None:
            return self
        return Text(f"{self.en} {more.en}", f"{self.zh}{more.zh}")

    def join(self, parts: Iterable[Text]) -> Text:
        """The parts joined with this text between them, language by language (like str.join)."""
        parts = list(parts)
        return Text(self.en.join(p.en for p in parts), self.zh.join(p.zh for p in parts))

    def __str__(self) -> str:
        return self.en


def _chosen(params: dict[str, object], lang: Lang) -> dict[str, object]:
    return {k: v.in_(lang) if isinstance(v, Text) else v for k, v in params.items()}
