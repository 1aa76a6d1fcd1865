"""What the pipeline adds beside the classification: suggestions learned from the register and
the problem class and part tags, as written columns, canonical values and info findings.

None of it changes a value staff typed or a rule decided: each has its own column.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .cells import map_distinct
from .findings import Finding, finding
from .register import Register
from .settings import Config
from .suggest import Memo, Quality, Suggestions, suggest
from .tags import canonical as canonical_tag
from .tags import label as tag_label
from .tags import tag
from .text import Text

KEYS = ("suggested", "problem", "part")
# What goes before a suggested department in the Suggested cell.
_DEPARTMENT = Text("; Department: ", "；责任部门：")


@dataclass
class Hints:
    columns: dict[str, pd.Series]  # written fields, as the sheet shows them
    cases: dict[str, pd.Series]  # canonical values, for the analyses
    findings: list[Finding] = field(default_factory=list)
    quality: Quality | None = None  # None when no suggestions were asked for

    def record(self, cases: pd.DataFrame, summary) -> pd.DataFrame:
        """The cases with the hints' columns, and the suggestions' figures on the summary and on
        the cases (``attrs``), where the Analysis sheet finds them."""
        cases = cases.assign(**self.cases)
        cases.attrs["suggester"] = self.quality
        summary.suggested = sum(f.code == "suggested-category" for f in self.findings)
        if self.quality is not None and self.quality.tested:
            summary.suggest_accuracy = round(self.quality.accuracy, 4)
            summary.suggest_tested = self.quality.tested
        return cases


def hints(register: Register, config: Config, lang: str, values: pd.DataFrame,
          filled: pd.DataFrame, received: pd.Series, *, written: bool = True,
          memo: Memo | None = None) -> Hints:
    """Tags for every row and suggestions for the rows the rules leave as Other; ``values`` and
    ``filled`` are the classification's.

    A run that only reads (a report, ``written=False``) neither trains nor searches: the
    analyses get the tags the sheet holds from the last run, read back to their canonical names.
    """
    if not written:
        return Hints({}, {kind: map_distinct(register.col(kind), canonical_tag)
                          for kind in ("problem", "part")})
    tags = tag(register)
    columns = {kind: map_distinct(tags[kind], lambda name: tag_label(name, lang)).rename(kind)
               for kind in tags.columns}
    cases = {kind: tags[kind] for kind in tags.columns}
    found = suggest(register, values, filled, list(config.rules), received, memo)
    columns["suggested"] = _suggested_texts(found, config, lang)
    cases["suggested"] = found.category
    return Hints(columns, cases, _findings(register, found, config), found.quality)


def _suggested_texts(found: Suggestions, config: Config, lang: str) -> pd.Series:
    """'Billing (0.82)', and '; Department: Finance (0.75)' when a department is suggested."""
    department = _DEPARTMENT.in_(lang)
    texts = pd.Series(None, index=found.category.index, dtype=object)
    for row in found.category.index[found.category.notna().to_numpy()]:
        text = (f"{config.lists['category'].label(found.category[row], lang)} "
                f"({found.category_confidence[row]:.2f})")
        if found.department[row] is not None:
            text += f"{department}{found.department[row]} ({found.department_confidence[row]:.2f})"
        texts[row] = text
    return texts


def _findings(register: Register, found: Suggestions, config: Config) -> list[Finding]:
    """An info finding at the Category cell of each row with a suggestion."""
    rows = found.category.index[found.category.notna().to_numpy()]
    category = config.lists["category"]
    return [finding("suggested-category", register.cell(int(row), "category"), field="category",
                    value=found.category[row], row=int(row),
                    suggestion=category.label(found.category[row], "en"),
                    suggestion_zh=category.label(found.category[row], "zh-CN"),
                    confidence=f"{found.category_confidence[row]:.2f}",
                    header=register.header("category"), suggested=register.header("suggested"))
            for row in rows]

