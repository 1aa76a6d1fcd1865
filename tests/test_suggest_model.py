"""The suggester's model counts each distinct text once and answers as the plain pipeline does."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from addin.core import suggest_model
from addin.core.suggest_model import NgramModel, plain_model

pytest.importorskip("sklearn")

# Repeated wording, mixed case, Chinese and English, spaces and line breaks, an empty text.
TEXTS = [
    "Membership points vanished", "membership POINTS vanished", "会员积分不见了",
    "会员积分不见了", "The parcel locker\nwill not open", "取件码无效 包裹柜打不开",
    "", "Broken  umbrella stand", "Membership points vanished", "Refund  charged twice",
] * 6
LABELS = ["Billing", "Billing", "Billing", "Billing", "Delivery", "Delivery", "Other",
          "After-sales", "Billing", "Billing"] * 6
ASKED = ["membership points", "包裹柜", "Broken umbrella stand", "", "charged twice twice",
         "会员积分不见了", "nothing alike at all"]


def answers(model) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    model.fit(TEXTS, LABELS)
    return model.classes_, model.predict_proba(TEXTS[:13]), model.predict_proba(ASKED)


def test_counting_distinct_texts_gives_the_plain_pipelines_probabilities_exactly():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning about an unused setting either
        quick = answers(NgramModel())
    plain = answers(plain_model())
    assert list(quick[0]) == list(plain[0])
    assert np.array_equal(quick[1], plain[1]) and np.array_equal(quick[2], plain[2])


def test_a_vocabulary_cut_to_the_most_frequent_ngrams_is_counted_as_the_plain_pipeline(
        monkeypatch):
    """Counted once per distinct text, the frequencies the cut goes by would differ."""
    tfidf = dict(suggest_model.SETTINGS["tfidf"], max_features=40)
    monkeypatch.setitem(suggest_model.SETTINGS, "tfidf", tfidf)
    model = NgramModel()
    quick = answers(model)
    assert model._plain is not None  # the shortcut was not taken
    plain = answers(plain_model())
    assert np.array_equal(quick[1], plain[1]) and np.array_equal(quick[2], plain[2])


def test_each_distinct_text_is_counted_once():
    model = NgramModel()
    counted: list[list[str]] = []
    count = model._counter.transform
    model._counter.transform = lambda texts: counted.append(list(texts)) or count(texts)
    answers(model)
    assert counted == [list(dict.fromkeys(TEXTS[:13])), list(dict.fromkeys(ASKED))]
