"""A share that changed "from X% to Y%" is two levels, not a range.

"Between 2014 and 2018, remittances as a share of GDP increased from 5.5% to 11.2%": 5.5% of
2014 and 11.2% of 2018. "between 40% and 45%" or "40-45%" with no verb of change stays a
range.
"""

from __future__ import annotations

from geolever.claims import check_text
from geolever.claims.numbers import find_quantities
from geolever.store import FactStore


def _claims(text: str) -> list:
    result = check_text(text, fmt="text", store=FactStore(":memory:"), sender="USA",
                        target="SLV", published=2020)
    return [c for s in result.sentences for c in s.claims]


def test_a_share_that_rose_from_one_level_to_another_is_two_levels() -> None:
    claims = _claims("Between 2010 and 2018, remittances to El Salvador as a share of GDP "
                     "increased from 18.5% to 21.2%.")
    assert [(c.metric, c.claimed, c.years) for c in claims] == [
        ("remittances_total_share_of_gdp", 18.5, [2010]),
        ("remittances_total_share_of_gdp", 21.2, [2018])]


def test_a_share_range_without_a_change_stays_a_range() -> None:
    (q,) = find_quantities("Remittances are 18-21% of GDP.")
    assert (q.comparison, q.value, q.high) == ("between", 18.0, 21.0)
    assert [q.text for q in find_quantities("The share grew from 18% to 21%.")] == ["18%",
                                                                                      "21%"]


def test_a_bloc_s_share_is_not_the_sender_s() -> None:
    result = check_text("In May 2019 Georgia received $145 million in remittances, of which $40 "
                        "million came from Russia.\n\nIn the first 5 months of 2019 the share of "
                        "EU remittances increased from 28% to 39%.", fmt="text",
                        store=FactStore(":memory:"), sender="RUS", target="GEO", published=2019)
    metrics = [c.metric for s in result.sentences for c in s.claims]
    assert "remittances_sender_share" not in metrics
