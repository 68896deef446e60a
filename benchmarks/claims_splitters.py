"""Sentence splitters measured on the real-text corpus: which one claims should use.

Each corpus file's labelled sentences are joined into one paragraph; a splitter is right on
a sentence when it returns exactly that sentence. Compared: geolever's own splitter
(``claims.reading.split_sentences``, abbreviations from ``claim_rules.yaml``), pysbd and
syntok where installed. ``seconds_1mb``: process CPU seconds to split 1 MB of the corpus
paragraphs (repeated), the size the checker must handle in under 5 s. Run:
``PYTHONPATH=src python benchmarks/claims_splitters.py``; one JSON line.

Measured (39 texts, 183 sentences): geolever and syntok 179 exact each, pysbd 166; on 1 MB
geolever 0.04 s, syntok 1.3 s, pysbd 3.7 s (CPU). syntok ties on accuracy and costs a
quarter of the 5 s budget, so the checker keeps its own splitter.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from geolever.claims.reading import split_sentences

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "claims" / "corpus"


def _splitters() -> dict[str, Callable[[str], list[str]]]:
    out: dict[str, Callable[[str], list[str]]] = {"geolever": split_sentences}
    try:
        import pysbd

        seg = pysbd.Segmenter(language="en", clean=False)
        out["pysbd"] = lambda t: [s.strip() for s in seg.segment(t)]
    except ImportError:
        pass
    try:
        from syntok import segmenter

        def syntok_split(t: str) -> list[str]:
            return ["".join(tok.spacing + tok.value for tok in s).strip()
                    for p in segmenter.analyze(t) for s in p]

        out["syntok"] = syntok_split
    except ImportError:
        pass
    return out


def main() -> None:
    docs = [yaml.safe_load(p.read_text("utf-8")) for p in sorted(CORPUS.glob("*.yaml"))]
    gold = [[s["text"].strip() for s in d["sentences"]] for d in docs]
    paragraphs = [" ".join(g) for g in gold]
    big: list[str] = []
    while sum(len(p.encode("utf-8")) + 2 for p in big) < 1_000_000:
        big.extend(paragraphs)
    result: dict[str, object] = {"benchmark": "claims_splitters",
                                 "sentences": sum(len(g) for g in gold)}
    for name, split in _splitters().items():
        t0 = time.perf_counter()
        right = made = 0
        for sentences in gold:
            got = split(" ".join(sentences))
            made += len(got)
            right += len(set(got) & set(sentences))
        n = sum(len(g) for g in gold)
        seconds = time.perf_counter() - t0
        c0 = time.process_time()
        for paragraph in big:
            split(paragraph)
        result[name] = {"exact": right, "made": made, "precision": round(right / made, 3),
                        "recall": round(right / n, 3), "seconds": round(seconds, 3),
                        "seconds_1mb": round(time.process_time() - c0, 3)}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
