"""partial_period's word prefilter gives the regexes' answer (speed, issue 13)."""

from __future__ import annotations

import random
from pathlib import Path

import yaml

from geolever.claims import months

CORPUS = Path(__file__).resolve().parents[1] / "data" / "claims" / "corpus"


def _unfiltered(text: str) -> str | None:
    """The answer without the prefilter (the regexes alone)."""
    months.partial_period.cache_clear()
    saved = months._CUES
    months._CUES = ("",)  # "" is in every text: the regexes always run
    try:
        return months.partial_period(text)
    finally:
        months._CUES = saved
        months.partial_period.cache_clear()


def _sentences() -> list[str]:
    return [s["text"] for p in sorted(CORPUS.glob("*.yaml"))
            for s in yaml.safe_load(p.read_text("utf-8"))["sentences"]]


def test_same_answer_on_the_corpus_and_on_odd_letters() -> None:
    rng = random.Random(13)
    texts = _sentences()
    texts += ["In the fir\u017ft half of 2021", "Q\u0131 2020", "January-May", "\u212a",
              "since early 2018", "SINCE THE START OF THE YEAR", "the first 9 months"]
    texts += [t.replace("first", "fir\u017ft") for t in texts if "first" in t]
    texts += ["".join(rng.sample(t, len(t))) for t in texts[:300]]
    assert any(_unfiltered(t) for t in texts)
    for t in texts:
        months.partial_period.cache_clear()
        assert months.partial_period(t) == _unfiltered(t), t


def test_odd_case_letters_reach_the_regex() -> None:
    # re.I reads the long s of 'ſince' as 's'; str.lower() keeps it: no word cue is found
    months.partial_period.cache_clear()
    assert months.partial_period("\u017fince early 2018") == "year to date"
