"""Which way a flow goes, in words the flow patterns did not know (stop 29).

"the country's Russia-bound exports ... reaching $1.2 billion" and "Azerbaijan exports about
4.4% of its total goods to Russia" were left unchecked ("the direction or the partner of the
flow is unclear"); "Russia's Central Bank reported total exports of $433.1 billion" was read
as the target's total because the proposition (after the attribution) names no country.
"""

from __future__ import annotations

import pytest

from claims.helpers import claims_of

FIELDS = ("metric", "claimed", "country", "partner")


@pytest.mark.parametrize("text", [
    "The country's Russia-bound exports reached $1.2 billion in 2023.",
    "Exports bound for Russia reached $1.2 billion in 2023.",
])
def test_bound_for_a_country_names_the_importer(text: str) -> None:
    got = claims_of(text, FIELDS, target="AZE", published=2024)
    assert got == [("exports_to_sender", 1.2e9, None, None)]


def test_a_share_of_goods_exported_to_a_partner() -> None:
    got = claims_of("Azerbaijan exports about 4.4% of its total goods to Russia.", FIELDS,
                    target="AZE", published=2025)
    assert got == [("exports_to_sender_share", 4.4, None, None)]
    got = claims_of("In 2021, about 30% of Georgian wine was shipped to Russia.", FIELDS,
                    target="GEO", published=2022)
    assert [g[0] for g in got] == ["exports_to_sender_share"]


def test_a_national_institution_owns_a_total_its_proposition_does_not_name() -> None:
    got = claims_of("Russia's Central Bank reported total exports of $433.1 billion in 2024.",
                    FIELDS, target="AZE", published=2025)
    assert got == [("target_exports_total", 433.1e9, "RUS", None)]
    # a person's nationality is not an institution: the total stays the target's
    got = claims_of("A Russian economist said total exports were $26.6 billion in 2024.",
                    FIELDS, target="AZE", published=2025)
    assert [g[2] for g in got] in ([], [None])


def test_a_countrys_own_total_names_that_country_alone() -> None:
    from geolever.claims import check_text
    from geolever.store import FactStore

    doc = check_text("Russia's Central Bank reported total exports of $433.1 billion in 2024.",
                     fmt="text", store=FactStore(":memory:"), target="AZE", published=2025)
    explanation = doc.sentences[0].claims[0].result.explanation  # type: ignore[union-attr]
    assert "(Russian Federation);" in explanation
    assert "Russian Federation -> Russian Federation" not in explanation
