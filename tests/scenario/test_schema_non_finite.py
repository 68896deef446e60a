"""A NaN or infinity in a scenario is refused with one line naming the field (issue 14)."""

import pytest

from geolever.core.errors import ScenarioError
from geolever.scenario import parse_scenario


@pytest.mark.parametrize("key", ["¹", "x", "0"])
def test_a_non_finite_value_under_any_key_names_its_field(key: str) -> None:
    # '¹' is a digit to str.isdigit but no int: the field path must not crash on it
    # (Hypothesis found {'draws': {'¹': inf}} in tests/badinput/test_fuzz.py)
    with pytest.raises(ScenarioError) as err:
        parse_scenario({"sender": "RUS", "target": "AZE", "levers": [],
                        "draws": {key: float("inf")}})
    assert "NaN or infinity" in err.value.message
    assert f"draws.{key}" in (err.value.field or "")
