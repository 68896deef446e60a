"""Sampling of uncertain parameters for Monte Carlo (seeded, vectorised)."""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import numpy as np
import numpy.typing as npt


def draw_triangular(low: float, mode: float, high: float, n: int,
                    rng: np.random.Generator) -> npt.NDArray[np.float64]:
    """Draw ``n`` values from a triangular distribution (degenerate when low == high)."""
    if high <= low:
        return np.full(n, float(mode))
    return rng.triangular(low, mode, high, size=n)


def draw_uniform(low: float, high: float, n: int,
                 rng: np.random.Generator) -> npt.NDArray[np.float64]:
    """Draw ``n`` values uniformly on [low, high] (constant when low == high)."""
    if high <= low:
        return np.full(n, float(low))
    return rng.uniform(low, high, size=n)


def percentiles(draws: npt.NDArray[np.float64]) -> dict[str, float]:
    """Return the 5th, 50th and 95th percentiles of a sample as ``{"p5", "p50", "p95"}``."""
    p5, p50, p95 = np.percentile(draws, [5, 50, 95])
    return {"p5": float(p5), "p50": float(p50), "p95": float(p95)}


class ParameterDraws:
    """Monte Carlo draws of named uncertain parameters, drawn once per name and run.

    Each parameter gets its own random stream derived from ``(seed, name)``, so a lever's
    result does not depend on which other levers share the run, and levers that use the
    same parameter see the same draws (their combined effect stays consistent).

    Parameters
    ----------
    specs
        Mapping of name to an object with ``distribution``, ``low``, ``mode``, ``high``.
    n
        Number of draws.
    seed
        Seed of the run.
    """

    def __init__(self, specs: Mapping[str, Any], n: int, seed: int):
        self.specs = specs
        self.n = n
        self.seed = seed
        self._cache: dict[str, npt.NDArray[np.float64]] = {}
        self._recorders: list[list[str]] = []

    def _touch(self, name: str) -> None:
        for names in self._recorders:
            if name not in names:
                names.append(name)

    @contextmanager
    def recording(self) -> Iterator[list[str]]:
        """Collect the names of the parameters read inside the block (first-read order).

        A parameter counts even when an earlier lever drew it first, so each lever can list
        every assumption its own result rests on.
        """
        names: list[str] = []
        self._recorders.append(names)
        try:
            yield names
        finally:
            self._recorders.remove(names)

    def __getitem__(self, name: str) -> npt.NDArray[np.float64]:
        self._touch(name)
        if name not in self._cache:
            spec = self.specs[name]
            rng = np.random.default_rng([self.seed, zlib.crc32(name.encode("utf-8"))])
            if spec.distribution == "triangular":
                mode = spec.low if spec.mode is None else spec.mode
                self._cache[name] = draw_triangular(spec.low, mode, spec.high, self.n, rng)
            elif spec.distribution == "uniform":
                self._cache[name] = draw_uniform(spec.low, spec.high, self.n, rng)
            else:
                self._cache[name] = np.full(self.n, float(spec.low))
        return self._cache[name]

    def extra(self, name: str, low: float, mode: float, high: float) -> npt.NDArray[np.float64]:
        """Draws of an ad-hoc triangular quantity (e.g. a lever's own elicited range)."""
        self._touch(name)
        if name not in self._cache:
            rng = np.random.default_rng([self.seed, zlib.crc32(name.encode("utf-8"))])
            self._cache[name] = draw_triangular(low, mode, high, self.n, rng)
        return self._cache[name]

    def uniform01(self, name: str) -> npt.NDArray[np.float64]:
        """Uniform draws on [0, 1) under ``name`` (e.g. whether an uncertain event happens)."""
        self._touch(name)
        if name not in self._cache:
            rng = np.random.default_rng([self.seed, zlib.crc32(name.encode("utf-8"))])
            self._cache[name] = draw_uniform(0.0, 1.0, self.n, rng)
        return self._cache[name]

    @property
    def used(self) -> list[str]:
        """Names of the parameters drawn so far (in order)."""
        return list(self._cache)
