"""A ranking with its reference partner, "ranks first in terms of", a dated source (claims4).

On the code before: "the second-largest destination of Philippine bananas after Japan" was
refused (two partners named), its "importing $75 million" had no flow; "Russia ranks first in
terms of imports to Kazakhstan" was no ranking; "According to the figures for
January-November 2018, P" lost its period with the attribution.
"""

from __future__ import annotations

from claims.helpers import claims_of
from geolever.claims import check_text
from geolever.store import FactStore


def test_the_partner_ranked_above_is_the_reference_and_the_participle_its_flow() -> None:
    got = claims_of("China is currently the second-largest destination of Philippine bananas "
                    "after Japan, importing $75 million worth of the fruit in 2011 — 16 percent "
                    "of Philippine banana exports.", ("metric", "claimed", "product"),
                    sender="CHN", target="PHL", published=2012)
    assert got == [("partner_rank", 2.0, "bananas"), ("exports_to_sender", 75e6, "bananas"),
                   ("exports_to_sender_share", 16.0, "bananas")]


def test_ranks_first_in_terms_of_and_a_dated_source_keep_the_period() -> None:
    doc = check_text("According to the figures for January-November 2018, Russia ranks first "
                     "in terms of imports to Kazakhstan.", fmt="text",
                     store=FactStore(":memory:"), sender="RUS", target="KAZ", published=2019)
    claim = doc.sentences[0].claims[0]
    assert (claim.metric, claim.claimed, claim.flow) == ("partner_rank", 1.0, "imports")
    assert (claim.years, claim.partial_period) == ([2018], "Jan-Nov")
    assert claim.attribution == "the figures for January-November 2018"
