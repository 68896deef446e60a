"""Engines are registered per shock type; an unknown shock is an error, never judgement."""

import typing
from dataclasses import dataclass

import pytest

from geolever.effects import UnknownShockError, compute_effects, engine_for, engines
from geolever.shocks import Shock


def test_every_shock_type_has_exactly_one_engine():
    shock_types = typing.get_args(Shock)
    assert {engine_for.__name__}  # the registry is importable
    registered = {t for e in engines() for t in e.shock_types}
    assert registered == set(shock_types)
    assert len({e.name for e in engines()}) == len(engines())


def test_an_unknown_shock_is_an_error_not_a_judgement():
    @dataclass(frozen=True)
    class MadeUpShock:
        size: float

    with pytest.raises(UnknownShockError, match="MadeUpShock"):
        compute_effects(MadeUpShock(1.0), None, None)  # type: ignore[arg-type]
