"""Suggestions learned from the register: the office's own categories teach a model.

Rows whose category staff typed or corrected are the office's own labels. From them a linear model
over character n-grams (Chinese needs no word segmentation: 变速箱 and 异响 are n-grams of
the text itself) suggests a category, and a department where staff name departments, for the
rows the rules leave as Other or empty. A suggestion is only ever written to its own column
(Suggested) with its confidence, and as an info finding saying how to accept it: the category and
department cells are never touched, whoever filled them.

Which rows are labels. The classification step fills only empty cells and records in the Rule
column the rules that changed a row. A category is therefore the office's own when it is filled,
no rule filled it in this run, and the rules recorded in the row's Rule column either set no
category (an empty Rule column, or a rule that set only the severity) or set another category
than the cell holds now (staff corrected it). A Rule column naming a rule the workbook no longer
has cannot tell who filled the category: such rows are left out, never guessed.

How much is enough. A category needs ``MIN_PER_CLASS`` labels (fewer cannot be held out and
learned from at once, and a model trained on one or two examples repeats their wording) and the
model ``MIN_LABELS`` in all across at least two categories: below that the held-out part is a
handful of rows, and its accuracy says nothing. A fifth of the labels (stratified by category,
fixed seed) is held out; the model that makes the suggestions is the one trained on the rest, so
the accuracy shown is exactly that of the suggestions. Only the ``MAX_TRAINING_ROWS`` most recent
labels are used, which bounds the time a run may take on a big register.

scikit-learn is an optional extra (``pip install complaint-record[learn]``); without it there are
no suggestions and everything else runs as before. It is imported only when there are labels to
learn from and rows to suggest for, so a run without them never loads it.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import itertools
import json
import operator
from dataclasses import asdict, dataclass, replace
from typing import Any, Protocol

import numpy as np
import pandas as pd

from .cells import map_distinct
from .classify.matcher import joined_rows
from .classify.rules import DEFAULT_FIELDS, MAX_TEXT_LENGTH, Rule
from .register import Register
from .suggest_model import SETTINGS as _MODEL_SETTINGS
from .suggest_model import NgramModel
from .text import Text

MIN_PER_CLASS = 5
MIN_LABELS = 30
# The most recent labels only: every run trains anew, and on a 50,000-row register 20,000 labels
# cost the batch several seconds a run; 5,000 recent ones still cover an office's categories.
MAX_TRAINING_ROWS = 5_000
HELD_OUT = 0.2
SEED = 0
THRESHOLD = 0.6  # suggestions below this confidence are not shown
OTHER = "Other"
UNKNOWN = object()  # the Rule column names a rule the workbook no longer has


# The Analysis sheet's line on the suggestions, by why they are off or how right they were.
_OFF = {
    "not-installed": Text("Suggested categories: off (install scikit-learn: "
                          "pip install complaint-record[learn]).",
                          "建议类别：未启用（需安装 scikit-learn："
                          "pip install complaint-record[learn]）。"),
    "too-few-labels": Text(f"Suggested categories: off; staff typed {{labels}} usable categories "
                           f"(at least {MIN_LABELS} are needed, {MIN_PER_CLASS} per category).",
                           f"建议类别：未启用，员工填写的类别只有 {{labels}} 条可用"
                           f"（至少需要 {MIN_LABELS} 条，且每个类别至少 {MIN_PER_CLASS} 条）。"),
}
_ACCURACY = Text(
    "Suggested categories were right on {accuracy} of {tested} staff-classified complaints "
    "held out (trained on {trained}); {shown} of the {confident} reaching the confidence of "
    f"{THRESHOLD:.2f} shown in Suggested.",
    "建议类别的准确率：{accuracy}（留出 {tested} 条员工分类检验，用 {trained} 条训练）；"
    f"置信度达到 {THRESHOLD:.2f} 的建议准确率 {{shown}}（{{confident}} 条）。")


@dataclass(frozen=True)
class Quality:
    """How far to trust the suggestions: accuracy on labels the model never saw."""

    status: str  # "on", "too-few-labels" or "not-installed"
    labels: int = 0  # rows staff labelled, before the cap and the minimums
    trained: int = 0
    tested: int = 0  # held-out rows
    correct: int = 0
    confident: int = 0  # held-out rows whose confidence reaches THRESHOLD
    confident_correct: int = 0

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.tested if self.tested else None

    @property
    def confident_accuracy(self) -> float | None:
        return self.confident_correct / self.confident if self.confident else None

    def describe(self, lang: str) -> str:
        """One line for the Analysis sheet, in the sheet's language."""
        if self.status in _OFF:
            return _OFF[self.status].format(labels=self.labels).in_(lang)
        shown = (f"{self.confident_accuracy:.0%}" if self.confident else "–")
        return _ACCURACY.format(accuracy=f"{self.accuracy:.0%}", tested=self.tested,
                                trained=self.trained, shown=shown,
                                confident=self.confident).in_(lang)


@dataclass
class Suggestions:
    """Per register row: the suggested value and its confidence (None / NaN where none)."""

    category: pd.Series
    category_confidence: pd.Series
    department: pd.Series
    department_confidence: pd.Series
    quality: Quality


def learning_available() -> bool:
    """Whether scikit-learn (the learn extra) can be imported."""
    try:
        import sklearn  # noqa: F401
    except ImportError:
        return False
    return True


def complaint_texts(register: Register) -> pd.Series:
    """What the model reads of each row: the fields the rules search, one per line."""
    # Joined once per distinct combination of the fields' texts (the live door's 50,000-row
    # register: 26-28 ms row by row, 11 ms so).
    texts, rows = joined_rows(register, DEFAULT_FIELDS, _read_text)
    return pd.Series(np.asarray(texts, dtype=object)[rows], index=register.rows.index,
                     dtype=object)


def _read_text(parts: tuple[str, ...]) -> str:
    """A row's text as the model reads it: the filled fields trimmed, one per line."""
    return "\n".join(part for part in map(str.strip, parts) if part)[:MAX_TEXT_LENGTH]


def staff_labelled(rule_column: pd.Series, values: pd.Series, filled: pd.Series,
                   rules: list[Rule], key: str) -> pd.Series:
    """Rows whose ``key`` value staff typed or corrected (see the module's note).

    ``rule_column`` is the Rule column as the run leaves it (this run's rule ids where rules
    changed the row, else what it held), so a run and the next one over its output agree."""
    by_id = {rule.id: rule.sets.get(key) for rule in rules}

    def recorded(ids: object) -> object:
        """What the first recorded rule that sets ``key`` sets: rules are recorded in order, and
        the first one that sets a field decides it (a later one, such as the catch-all, is
        recorded for the other fields it filled)."""
        found = None
        for rule_id in str(ids).split(","):
            rule_id = rule_id.strip()
            if rule_id and rule_id not in by_id:
                return UNKNOWN
            found = found or by_id.get(rule_id)
        return found

    rule_value = map_distinct(rule_column, recorded)
    # Once per distinct value: a column repeats a few categories and rule lists.
    current = map_distinct(values, _same_form)
    unknown = pd.Series(np.fromiter(map(operator.is_, rule_value, itertools.repeat(UNKNOWN)),
                                    dtype=bool, count=len(rule_value)), index=rule_value.index)
    set_by_rule = map_distinct(rule_value, lambda v: None if v is UNKNOWN else _same_form(v))
    corrected = set_by_rule.isna() | (set_by_rule != current)
    return values.notna() & ~filled.astype(bool) & ~unknown & corrected


def _same_form(value: object) -> str | None:
    """Values compared as staff would: case and surrounding spaces do not matter."""
    return None if value is None else str(value).strip().casefold() or None


def suggest(register: Register, values: pd.DataFrame, filled: pd.DataFrame, rules: list[Rule],
            received: pd.Series, memo: Memo | None = None) -> Suggestions:
    """Suggestions for the rows the rules left as Other or empty (``values``/``filled`` are the
    classification's: category and department per row, and where a rule set them this run).
    ``memo`` keeps what a model trained on given labels said (see ``Memo``)."""
    index = register.rows.index
    texts = complaint_texts(register)
    rule_column = values["rule"].where(values["rule"].notna(), register.col("rule"))
    labelled = {key: staff_labelled(rule_column, values[key], filled[key], rules, key)
                for key in ("category", "department")}
    wanted = (values["category"].isna() | (values["category"] == OTHER)) \
        & ~labelled["category"] & (texts != "")
    empty = pd.Series(None, index=index, dtype=object)
    out = {"category": empty, "category_confidence": pd.Series(np.nan, index=index),
           "department": empty, "department_confidence": pd.Series(np.nan, index=index)}
    quality = Quality("too-few-labels", labels=int(labelled["category"].sum()))
    for key in ("category", "department"):
        training = _training_rows(labelled[key], values[key], received)
        if not len(training) or not wanted.any():
            continue
        # A department is suggested beside a suggested category, where none is filled.
        rows = wanted if key == "category" else out["category"].notna() & values[key].isna()
        if not rows.any() and _installed():
            continue  # nothing to ask: no model is trained (seconds on a big register)
        learnt = _learnt(texts[training.index].tolist(), training.tolist(),
                         texts[rows].tolist(), memo)
        if learnt is None:
            quality = Quality("not-installed", labels=quality.labels)
            break
        measured, guess, confidence = learnt
        if key == "category":
            quality = replace(measured, labels=quality.labels)
        keep = (confidence >= THRESHOLD) & (guess != OTHER)
        out[key] = empty.copy()
        out[key][rows[rows].index[keep]] = guess[keep]
        out[f"{key}_confidence"] = out[f"{key}_confidence"].copy()
        out[f"{key}_confidence"][rows[rows].index[keep]] = confidence[keep]
    return Suggestions(**out, quality=quality)


def _training_rows(labelled: pd.Series, values: pd.Series, received: pd.Series) -> pd.Series:
    """The labels to learn from by row (the most recent rows first, capped), in sheet order;
    none when they are too few. Categories with fewer than MIN_PER_CLASS labels are left out."""
    frame = pd.DataFrame({"received": received.reindex(labelled.index),
                          "row": labelled.index})[labelled.to_numpy()]
    recent = frame.sort_values(["received", "row"], ascending=False, na_position="last",
                               kind="stable").head(MAX_TRAINING_ROWS)
    rows = pd.Index(sorted(recent["row"]))
    labels = values[rows].map(lambda v: str(v).strip())
    counts = labels.value_counts()
    labels = labels[labels.isin(counts.index[counts >= MIN_PER_CLASS])]
    if len(labels) < MIN_LABELS or labels.nunique() < 2:
        return labels[:0]
    return labels


class Memo(Protocol):
    """Where a door keeps what models said between runs, by a key naming all they were given.

    Every run trains anew on the labels it finds, and on a big register that training is most
    of a run that changes nothing. Training is deterministic (fixed seed, fixed split), so a
    model trained on the very same labels, asked about the very same texts, says the very same
    thing: the memo gives it back instead. The key covers the texts, the labels, the texts
    asked about, the settings and scikit-learn's version; a value is plain JSON data.
    """

    def get(self, key: str) -> Any | None: ...

    def put(self, key: str, value: Any) -> None: ...


_MEMO_FORMAT = "suggest-1"


def _learnt(texts: list[str], labels: list[str], asked: list[str], memo: Memo | None
            ) -> tuple[Quality, np.ndarray, np.ndarray] | None:
    """The quality of a model trained on ``texts``/``labels`` and its guesses and confidences
    for ``asked``: trained now, or as ``memo`` kept them from a run given the very same; None
    when scikit-learn is not installed."""
    key = _memo_key(texts, labels, asked) if memo is not None and _installed() else None
    if key is not None:
        kept = _from_memo(memo.get(key))
        if kept is not None:
            return kept
    if not learning_available():
        return None
    from threadpoolctl import threadpool_limits  # installed with scikit-learn

    # One thread for the linear algebra: the fit is small, and threads spinning beside it cost
    # more CPU than they save (a 5,000-row run: 3.8 s instead of 4.4 s alone), and two
    # workbooks run in parallel (process --jobs) fight over the cores.
    with threadpool_limits(limits=1):
        model, measured = _learn(texts, labels)
        guess, confidence = _predict(model, asked)
    if key is not None:
        memo.put(key, {"quality": asdict(measured), "guess": guess.tolist(),
                       "confidence": [float(c) for c in confidence]})
    return measured, guess, confidence


def _installed() -> bool:
    """Whether scikit-learn is there, without the second or so importing it takes."""
    try:
        return importlib.util.find_spec("sklearn") is not None
    except (ImportError, ValueError):
        return False


def _memo_key(texts: list[str], labels: list[str], asked: list[str]) -> str:
    try:
        version = importlib.metadata.version("scikit-learn")
    except importlib.metadata.PackageNotFoundError:
        version = "?"
    given = [_MEMO_FORMAT, version, _MODEL_SETTINGS,
             HELD_OUT, SEED, THRESHOLD, texts, labels, asked]
    return hashlib.sha256(json.dumps(given, ensure_ascii=False).encode()).hexdigest()


def _from_memo(value: Any) -> tuple[Quality, np.ndarray, np.ndarray] | None:
    """What the memo kept, or None when it kept nothing usable."""
    try:
        quality = Quality(**value["quality"])
        guess = np.asarray(value["guess"], dtype=object)
        confidence = np.asarray(value["confidence"], dtype=float)
    except (TypeError, KeyError, ValueError):
        return None
    return (quality, guess, confidence) if len(guess) == len(confidence) else None


def _learn(texts: list[str], labels: list[str]):
    """Train on all but a held-out fifth and measure on it; returns the model and its quality."""
    from sklearn.model_selection import train_test_split

    held = max(len(set(labels)), round(HELD_OUT * len(texts)))
    train_x, test_x, train_y, test_y = train_test_split(
        texts, labels, test_size=held, random_state=SEED, stratify=labels)
    model = NgramModel().fit(train_x, train_y)
    guess, confidence = _predict(model, test_x)
    right = guess == np.asarray(test_y, dtype=object)
    sure = confidence >= THRESHOLD
    return model, Quality("on", labels=len(texts), trained=len(train_x), tested=len(test_x),
                          correct=int(right.sum()), confident=int(sure.sum()),
                          confident_correct=int((right & sure).sum()))


def _predict(model, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    if not texts:
        return np.array([], dtype=object), np.array([], dtype=float)
    probabilities = model.predict_proba(texts)
    best = probabilities.argmax(axis=1)
    return model.classes_[best].astype(object), probabilities.max(axis=1)
