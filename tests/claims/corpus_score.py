"""Score the text fact-checker on the real-text corpus in ``tests/data/claims/corpus``.

Run ``python tests/claims/corpus_score.py`` (with ``PYTHONPATH=src``) for the per-shape
precision/recall table; ``tests/claims/test_corpus.py`` asserts the floors.

Scoring: each labelled check is (sentence, metric, verdict). A claim the checker makes is
right when the same sentence has a labelled check with the same metric and verdict (each
label is used once). Precision = right / claims made; recall = right / labelled checks. A
sentence is given to the checker as its own paragraph, in order, so context (year, country,
topic) carries over from the sentences before it, as in the article.

The labels' ``verdict`` is what the test store (empty, plus the shipped case pack) supports.
Some labels also carry a ``data_verdict``: what the shared real datasets (IMF DOTS, WDI,
KNOMAD) support. ``--store PATH`` scores against a store holding those datasets (built with
``geolever data import``), taking ``data_verdict`` where a label has one.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

CORPUS = Path(__file__).resolve().parents[1] / "data" / "claims" / "corpus"


@dataclass
class Score:
    """Counts of one slice of the corpus."""

    made: int = 0
    right: int = 0
    labelled: int = 0
    wrong: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.right / self.made if self.made else 1.0

    @property
    def recall(self) -> float:
        return self.right / self.labelled if self.labelled else 1.0


def _verdict(value: object) -> str:
    """YAML reads a bare ``false`` as a boolean: the verdict is its word."""
    return str(value).lower() if isinstance(value, bool) else str(value)


def load_corpus() -> list[tuple[str, dict[str, Any]]]:
    """Every corpus file (name, document), sorted by name."""
    return [(p.name, yaml.safe_load(p.read_text("utf-8"))) for p in sorted(CORPUS.glob("*.yaml"))]


def run_document(doc: dict[str, Any], store: Any) -> list[list[tuple[str, str]]]:
    """(metric, verdict) of every claim the checker made, per labelled sentence."""
    from geolever.claims import check_text

    sentences = [s["text"] for s in doc["sentences"]]
    result = check_text("\n\n".join(sentences), fmt="text", store=store,
                        sender=doc["pair"]["sender"], target=doc["pair"]["target"],
                        published=int(doc["year"]))
    out: list[list[tuple[str, str]]] = [[] for _ in sentences]
    for s in result.sentences:
        for c in s.claims:
            if c.result is not None:
                out[s.block].append((c.metric, c.result.verdict))
    return out


def score(split: str | tuple[str, ...] | None = None,
          store_path: str | None = None) -> tuple[dict[str, Score], Score]:
    """Per-shape and overall scores (``split``: a split name, a tuple of them, or None: all).

    ``store_path``: a store of the real datasets (opened read-only in spirit: the checker only
    reads); the expected verdict is then the label's ``data_verdict`` where it has one.
    """
    from geolever.store import FactStore

    store = FactStore(store_path or ":memory:")
    key = "data_verdict" if store_path else "verdict"
    shapes: dict[str, Score] = {}
    total = Score()
    for name, doc in load_corpus():
        if split and doc["split"] not in ((split,) if isinstance(split, str) else split):
            continue
        got = run_document(doc, store)
        for sentence, made in zip(doc["sentences"], got, strict=True):
            shape = sentence["shape"]
            s = shapes.setdefault(shape, Score())
            want = Counter((c["metric"], _verdict(c.get(key, c["verdict"])))
                           for c in sentence.get("checks") or [])
            n_labelled = sum(want.values())
            right = 0
            for claim in made:
                if want[claim] > 0:
                    want[claim] -= 1
                    right += 1
                else:
                    msg = f"{name}: {sentence['text'][:70]!r} -> {claim}"
                    s.wrong.append(msg)
                    total.wrong.append(msg)
            for (metric, verdict), n in want.items():
                for _ in range(n):
                    msg = f"{name}: {sentence['text'][:70]!r} missed {metric} {verdict}"
                    s.missed.append(msg)
                    total.missed.append(msg)
            for sc in (s, total):
                sc.made += len(made)
                sc.right += right
                sc.labelled += n_labelled
    return shapes, total


def table(split: str | None = None, store_path: str | None = None) -> str:
    """Markdown table of precision and recall per claim shape."""
    shapes, total = score(split, store_path)
    lines = ["| shape | labelled checks | claims made | right | precision | recall |",
             "|---|---|---|---|---|---|"]
    for name in sorted(shapes):
        s = shapes[name]
        if not (s.made or s.labelled):
            continue
        lines.append(f"| {name} | {s.labelled} | {s.made} | {s.right} | {s.precision:.2f} | "
                     f"{s.recall:.2f} |")
    lines.append(f"| **all** | {total.labelled} | {total.made} | {total.right} | "
                 f"{total.precision:.2f} | {total.recall:.2f} |")
    return "\n".join(lines)


SPLITS = ("tune", "held_out", "fresh", "fresh2", "fresh3", "fresh4", "brief4", "fresh5",
          "fresh6", "fresh7", "fresh8", "fresh10", "fresh11", "fresh12", "fresh13", "fresh14")

if __name__ == "__main__":
    path = sys.argv[sys.argv.index("--store") + 1] if "--store" in sys.argv else None
    only = sys.argv[sys.argv.index("--split") + 1] if "--split" in sys.argv else None
    for split in (only,) if only else (None, *SPLITS):
        print(f"\n## {split or 'all'}\n")
        print(table(split, path))
    if "-v" in sys.argv:
        _, total = score(only, path)
        print("\nwrong:", *total.wrong, sep="\n  ")
        print("\nmissed:", *total.missed, sep="\n  ")
