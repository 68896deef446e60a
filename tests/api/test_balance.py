"""``geolever.balance``: both directions from Python, the CLI's validation and errors."""

from __future__ import annotations

import pytest

import geolever


def test_balance_returns_both_directions_and_the_answer() -> None:
    result = geolever.balance("RUS", "AZE", year=2024, draws=200, store=":memory:")
    doc = result.document
    assert [(d["sender"], d["target"]) for d in doc["directions"]] == [("RUS", "AZE"),
                                                                      ("AZE", "RUS")]
    bal = result.balance
    assert bal.reverse.case.sender == "AZE" and bal.forward.case.sender == "RUS"
    assert bal.answer.holder == "Russian Federation"
    assert doc["answer"]["text"] == bal.answer.text
    assert [s.sender for s in bal.summary.sides] == ["RUS", "AZE"]


@pytest.mark.parametrize(("args", "field"), [
    (("RUS", "RUS"), "TARGET"),
    (("XYZ", "AZE"), "SENDER"),
])
def test_bad_pairs_raise_the_cli_error(args: tuple[str, str], field: str) -> None:
    with pytest.raises(geolever.GeoleverError) as err:
        geolever.balance(*args, year=2024, store=":memory:")
    assert field in str(err.value) and "Fix:" in str(err.value)


def test_no_year_without_a_pack() -> None:
    with pytest.raises(geolever.GeoleverError, match="year"):
        geolever.balance("CHN", "AUS", store=":memory:")
