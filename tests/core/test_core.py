import numpy as np
import pytest

from geolever.core.countries import normalise_country, suggest_country
from geolever.core.errors import UnitError, UnknownCodeError
from geolever.core.units import annualise, convert


def test_currency_conversion_uses_the_years_rate():
    assert convert(1.70e9, "AZN", "USD", fx_per_usd={"AZN": 1.70}) == pytest.approx(1e9)
    assert convert(1e9, "USD", "AZN", fx_per_usd={"AZN": 1.70}) == pytest.approx(1.7e9)


def test_currency_conversion_without_rate_names_the_fix():
    with pytest.raises(UnitError, match="exchange_rate"):
        convert(1.0, "AZN", "USD")


def test_oil_mass_volume_and_rate_conversions():
    # BP factor: 1 t = 7.33 bbl; 50 Mt/yr = 50e6 * 7.33 / 365 b/d = 1.004 mb/d
    assert convert(1.0, "t", "bbl") == pytest.approx(7.33)
    assert convert(50.0, "Mt/yr", "mb/d") == pytest.approx(50e6 * 7.33 / 365 / 1e6)
    assert convert(convert(105.0, "kb/d", "Mt/yr"), "Mt/yr", "kb/d") == pytest.approx(105.0)
    assert convert(np.array([1.0, 2.0]), "Mt", "kt").tolist() == [1000.0, 2000.0]
    assert convert(7.0, "pct", "share") == pytest.approx(0.07)


def test_incompatible_units_are_refused():
    with pytest.raises(UnitError, match="cannot convert"):
        convert(1.0, "USD", "Mt")
    with pytest.raises(UnitError, match="unknown unit"):
        convert(1.0, "furlong", "km")


def test_annualise_partial_periods():
    assert annualise(829e6, "Jan-Sep") == pytest.approx(829e6 * 12 / 9)
    assert annualise(287e6, "H1") == pytest.approx(574e6)
    assert annualise(5.0, "FY") == 5.0
    with pytest.raises(UnitError, match="period"):
        annualise(1.0, "Q5")


def test_country_codes_normalise_and_suggest():
    assert normalise_country("aze") == "AZE"
    assert normalise_country("AZ") == "AZE"
    assert normalise_country("Azerbaijan") == "AZE"
    assert normalise_country("EU27") == "EU27"
    assert suggest_country("AZR")[0] == "AZE"
    with pytest.raises(UnknownCodeError, match=r"AZR.*did you mean AZE \(Azerbaijan\)"):
        normalise_country("AZR")
