"""Precision and recall of the text fact-checker on real published texts.

The corpus (``tests/data/claims/corpus``, see its README) holds excerpts of 25 articles,
op-eds and analysts' notes by others about Russia-Azerbaijan, China-Australia,
Russia-Georgia and Russia-Turkey, every sentence labelled by hand with the claims geolever
has a metric for and the verdict the data support. The floors below are measured values
rounded down (``python tests/claims_corpus_score.py`` prints the per-shape table); some
files were used while developing the checker (``split: tune``), the others only scored.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from claims_corpus_score import load_corpus, score

PRECISION_FLOOR = 0.95
RECALL_FLOOR = 0.90


def test_the_corpus_is_real_and_labelled() -> None:
    docs = load_corpus()
    assert len(docs) >= 15
    pairs = {(d["pair"]["sender"], d["pair"]["target"]) for _, d in docs}
    assert ("RUS", "AZE") in pairs and len(pairs - {("RUS", "AZE")}) >= 3
    for name, d in docs:
        assert d["url"].startswith("http") and d["title"] and d["publisher"] and d["date"], name
        assert d["split"] in ("tune", "held_out", "fresh"), name
        for s in d["sentences"]:
            assert s["shape"] and isinstance(s["claim"], bool), (name, s["text"])
            for c in s.get("checks") or []:
                assert c["metric"] and str(c["verdict"]).lower() in (
                    "accurate", "roughly right", "misleading", "false", "unverifiable"), c


@pytest.fixture(scope="module")
def overall() -> object:
    return score()


def test_precision_and_recall_floors_on_real_texts(overall: object) -> None:
    _, total = overall  # type: ignore[misc]
    assert total.labelled >= 40
    assert total.precision >= PRECISION_FLOOR, total.wrong
    assert total.recall >= RECALL_FLOOR, total.missed
