"""Number words to digits, measured on the real-text corpus: text2num against number-parser.

The checker reads amounts after turning number words into digits ("five hundred million" ->
"500 million", "two billion dollars" -> "2 billion dollars"); ``text2num``'s
``alpha2digit`` does it today. This benchmark swaps in ``number_parser.parse`` (where
installed) for the same step and counts, over every labelled check of the corpus that states
a claimed value, whether the sentence's quantities (``claims.extract.parse_sentence``)
contain that value (within 0.1%, any unit). Both runs use the rest of the pipeline unchanged,
so the difference is the library's. Also timed: process CPU seconds for the corpus sentences
repeated to 1 MB. Run: ``PYTHONPATH=src python benchmarks/claims_numbers.py``; one JSON line.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from unittest import mock

import yaml

from geolever.claims import numbers
from geolever.claims.extract import parse_sentence

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "claims" / "corpus"


def _cases() -> list[tuple[str, float]]:
    out = []
    for p in sorted(CORPUS.glob("*.yaml")):
        for s in yaml.safe_load(p.read_text("utf-8"))["sentences"]:
            for c in s.get("checks") or []:
                if isinstance(c.get("claimed"), int | float) and c["metric"] != "partner_rank":
                    out.append((s["text"], float(c["claimed"])))
    return out


def _found(sentence: str, value: float) -> bool:
    got = [q.value for q in parse_sentence(sentence).quantities]
    got += [q.high for q in parse_sentence(sentence).quantities if q.high is not None]
    return any(abs(v - value) <= 1e-3 * max(abs(value), 1e-9) for v in got)


def _run(name: str, words_to_digits: Callable[[str, str], str]) -> dict[str, object]:
    cases = _cases()
    with mock.patch.object(numbers, "alpha2digit", words_to_digits):
        found = sum(_found(text, value) for text, value in cases)
        sentences = [t for t, _ in cases]
        big = sentences * max(1, 1_000_000 // sum(len(t) + 2 for t in sentences))
        c0 = time.process_time()
        for t in big:
            numbers.normalise(t)
        cpu = time.process_time() - c0
    return {"found": found, "of": len(cases), "normalise_1mb_cpu_s": round(cpu, 3)}


def main() -> None:
    result: dict[str, object] = {"benchmark": "claims_numbers",
                                 "text2num": _run("text2num", numbers.alpha2digit)}
    try:
        from number_parser import parse

        result["number_parser"] = _run("number_parser", lambda text, _lang: parse(text))
    except ImportError:
        result["number_parser"] = "not installed"
    print(json.dumps(result))


if __name__ == "__main__":
    main()
