"""Time of the text fact-checker on 1 MB of real text, and its linearity on long digit runs.

The text is the real-text corpus (``tests/data/claims/corpus``: published articles about
Russia-Azerbaijan, China-Australia, Russia-Georgia, Russia-Turkey) repeated, one sentence per
paragraph, up to 1 MB (1,000,000 bytes of UTF-8). The anchor in the same run is reading and
splitting the same text into sentences (``read_blocks`` + ``split_sentences``), which every
checker must do: ``ratio_vs_split`` is the cost of finding, linking and judging the claims.

Naive baseline in the same run: the same checker on the first 30 KB with the remembering
views of the store and case switched off (``claims/memo.py``: every claim asks DuckDB and
the case again), against the checker as shipped on the same 30 KB: ``speedup_vs_naive``.
Linearity: the shipped checker on 100 KB and on 1 MB (``ratio_1mb_vs_100kb``, about 10 for a
linear checker), and on single paragraphs of 5,000 and 50,000 digits (a quadratic reader
gives about 100).

Varied text (``varied_*``): the same corpus with its numbers changed in each repetition
(every number but a year gets its last digit shifted by the repetition's index), so that no
claim repeats an earlier one exactly: what a text check remembers across sentences (the
store's answers, a question's computed figures) still helps, a memory of exact sentences or
claims would not. Timed at 0.25, 0.5 and 1 MB: ``varied_slope_cpu_s_per_mb`` is the
least-squares slope of CPU seconds on MB and ``varied_intercept_cpu_s`` the fixed cost (the
store's first answers, the model runs); time linear in length means the three points lie
on that line (``varied_max_residual_cpu_s``). Wall seconds and process CPU seconds are both
printed: on a shared machine the CPU figure is the fairer one (``load_avg_1m`` says how
busy it was).

Repeated text at 0.25, 0.5 and 1 MB as well (``repeated_cpu_s``, with its slope and
intercept), and the 1 MB text as ONE paragraph (sentences joined by spaces:
``one_paragraph_1mb_*``): reading a long paragraph must be linear too (splitting it at each
abbreviation once made it quadratic). 1 MB is the checker's limit (``MAX_TEXT_BYTES``), so
no larger text is timed.

Run: ``PYTHONPATH=src python benchmarks/claims_text.py``. The last line is one JSON object;
the script exits 1 if 1 MB (repeated or varied) takes 5 s or more (wall) or a length ratio
exceeds 30.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import sys
import time
from pathlib import Path
from unittest import mock

import yaml

from geolever.claims import check_text
from geolever.claims.reading import read_blocks, split_sentences
from geolever.store import FactStore

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "claims" / "corpus"
LIMIT_S = 5.0
MB = 1_000_000


def corpus_text(size: int) -> str:
    """The corpus sentences, repeated as paragraphs up to ``size`` bytes."""
    sentences = [s["text"] for p in sorted(CORPUS.glob("*.yaml"))
                 for s in yaml.safe_load(p.read_text("utf-8"))["sentences"]]
    parts: list[str] = []
    total = 0
    i = 0
    while True:
        s = sentences[i % len(sentences)]
        n = len(s.encode("utf-8")) + 2
        if total + n > size:
            break
        parts.append(s)
        total += n
        i += 1
    return "\n\n".join(parts)


_YEAR = re.compile(r"(?:19[89]|20[0-4])\d")


def varied(text: str, period: int) -> str:
    """``text`` (paragraphs repeating every ``period``) with its numbers changed per repetition.

    In repetition k every number except a year gets its last digit shifted by k (mod 10):
    the same sentences, other claimed values.
    """
    out = []
    for i, para in enumerate(text.split("\n\n")):
        k = i // period

        def shift(m: re.Match[str], k: int = k) -> str:
            s = m.group(0)
            if k == 0 or _YEAR.fullmatch(s):
                return s
            return s[:-1] + str((int(s[-1]) + k) % 10)
        out.append(re.sub(r"\d+", shift, para))
    return "\n\n".join(out)


def n_sentences() -> int:
    """Number of corpus sentences (the repetition period of :func:`corpus_text`)."""
    return sum(len(yaml.safe_load(p.read_text("utf-8"))["sentences"])
               for p in sorted(CORPUS.glob("*.yaml")))


def timed(fn: object, *args: object, **kwargs: object) -> float:
    """Wall seconds one call takes."""
    return timed2(fn, *args, **kwargs)[0]


def timed2(fn: object, *args: object, **kwargs: object) -> tuple[float, float]:
    """(wall, process CPU) seconds one call takes."""
    wall, cpu, _ = timed3(fn, *args, **kwargs)
    return wall, cpu


def timed3(fn: object, *args: object, **kwargs: object) -> tuple[float, float, object]:
    """(wall, process CPU) seconds one call takes, and what it returned."""
    t0, c0 = time.perf_counter(), time.process_time()
    out = fn(*args, **kwargs)  # type: ignore[operator]
    return time.perf_counter() - t0, time.process_time() - c0, out


def line_fit(xs: list[float], ys: list[float]) -> tuple[float, float, float]:
    """Least-squares (slope, intercept, largest residual) of ``ys`` on ``xs``."""
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mean_x) ** 2 for x in xs)
    intercept = mean_y - slope * mean_x
    residual = max(abs(y - (intercept + slope * x)) for x, y in zip(xs, ys, strict=True))
    return slope, intercept, residual


def main() -> int:
    store = FactStore(":memory:")
    check_text("Warm-up: trade was $1 billion in 2024.", store=store)  # load the pack once
    # the assessment is imported on the first lever claim (lazily): import it here, so that
    # its import lands in no timed run (the naive 30 KB run is the first; no model is run)
    importlib.import_module("geolever.assessment")
    text = corpus_text(MB)

    def split_only() -> None:
        blocks, _ = read_blocks(text, "text")
        for b in blocks:
            split_sentences(b)

    split_s = timed(split_only)
    tiny = corpus_text(30_000)
    with mock.patch("geolever.claims.text.MemoCase.of", side_effect=lambda case: case):
        naive_s, naive_cpu = timed2(check_text, tiny, fmt="text", store=store)
    tiny_s, _ = timed2(check_text, tiny, fmt="text", store=store)
    small = corpus_text(MB // 10)
    small_s, small_cpu = timed2(check_text, small, fmt="text", store=store)
    check_s, check_cpu, result = timed3(check_text, text, fmt="text", store=store)
    doc = result.to_dict()  # type: ignore[attr-defined]
    sizes = (MB // 4, MB // 2, MB)
    mbs = [n / MB for n in sizes]
    repeated = [timed2(check_text, corpus_text(n), fmt="text", store=store)
                for n in sizes[:-1]] + [(check_s, check_cpu)]
    rep_slope, rep_intercept, rep_residual = line_fit(mbs, [c for _, c in repeated])
    runs = [timed2(check_text, varied(corpus_text(n), n_sentences()), fmt="text", store=store)
            for n in sizes]
    slope, intercept, residual = line_fit(mbs, [c for _, c in runs])
    one_paragraph = text.replace("\n\n", " ")
    para_s, para_cpu = timed2(check_text, one_paragraph, fmt="text", store=store)
    d5k = timed(check_text, "7" * 5_000, fmt="text", store=store)
    d50k = timed(check_text, "7" * 50_000, fmt="text", store=store)
    out = {
        "benchmark": "claims_text",
        "bytes": len(text.encode("utf-8")),
        "sentences": doc["summary"]["sentences"],
        "checked_sentences": doc["summary"]["checked"],
        "check_s": round(check_s, 3),
        "check_cpu_s": round(check_cpu, 3),
        "check_100kb_s": round(small_s, 3),
        "check_100kb_cpu_s": round(small_cpu, 3),
        "ratio_1mb_vs_100kb": round(check_s / small_s, 1) if small_s else None,
        "naive_30kb_s": round(naive_s, 3),
        "naive_30kb_cpu_s": round(naive_cpu, 3),
        "check_30kb_s": round(tiny_s, 3),
        "speedup_vs_naive": round(naive_s / tiny_s, 1) if tiny_s else None,
        "split_only_s": round(split_s, 3),
        "ratio_vs_split": round(check_s / split_s, 1) if split_s else None,
        "digits_5k_s": round(d5k, 4),
        "digits_50k_s": round(d50k, 4),
        "digit_run_ratio_50k_vs_5k": round(d50k / d5k, 1) if d5k else None,
        "repeated_cpu_s": {f"{n // 1000}kb": round(c, 3) for n, (_, c) in zip(
            sizes, repeated, strict=True)},
        "repeated_slope_cpu_s_per_mb": round(rep_slope, 3),
        "repeated_intercept_cpu_s": round(rep_intercept, 3),
        "repeated_max_residual_cpu_s": round(rep_residual, 3),
        "one_paragraph_1mb_s": round(para_s, 3),
        "one_paragraph_1mb_cpu_s": round(para_cpu, 3),
        "varied_s": {f"{n // 1000}kb": round(w, 3) for n, (w, _) in zip(sizes, runs,
                                                                          strict=True)},
        "varied_cpu_s": {f"{n // 1000}kb": round(c, 3) for n, (_, c) in zip(sizes, runs,
                                                                              strict=True)},
        "varied_slope_cpu_s_per_mb": round(slope, 3),
        "varied_intercept_cpu_s": round(intercept, 3),
        "varied_max_residual_cpu_s": round(residual, 3),
        "limit_s": LIMIT_S,
        "load_avg_1m": round(os.getloadavg()[0], 2),
    }
    print(json.dumps(out))
    ok = (check_s < LIMIT_S and runs[-1][0] < LIMIT_S and (d5k == 0 or d50k / d5k <= 30)
          and check_s / small_s <= 30 and para_s < 2 * LIMIT_S)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
