"""A level that a change arrived at ("it had fallen to 3.8 percent and $5.9 billion").

Hurriyet Daily News 2016 (corpus, split fresh3): "In 2013, it reached $7 billion, 4.6 percent of
Turkey's total exports. In 2014, it had fallen to 3.8 percent and $5.9 billion. In 2015 it
went down to 2.5 percent at $3.9 billion." and "In 2014, at $25.2 billion, imports from Russia
corresponded to 10.6 percent of total imports. In 2015, the share went down to 10 percent with
$20.4 billion." The share after "fallen to", and the amount joined to it, are levels of the
flow of the sentence before ("it", "the share"); the share keeps that sentence's whole. The
first two tests fail on main 4b71dc1 ("a change ... rather than a level").
"""

from __future__ import annotations

from .helpers import claims_of


def _claims(text: str, sender: str = "RUS", target: str = "TUR",
            published: int = 2016) -> list[tuple[object, ...]]:
    return claims_of(text, ("metric", "claimed", "years"), sender=sender, target=target,
                     published=published)


def test_levels_after_fallen_to_and_went_down_to_real_sentences() -> None:
    got = _claims("Russia's share in Turkish exports was increasing until 2008.\n\n"
                  "In 2013, it reached $7 billion, 4.6 percent of Turkey's total exports.\n\n"
                  "In 2014, it had fallen to 3.8 percent and $5.9 billion.\n\n"
                  "In 2015 it went down to 2.5 percent at $3.9 billion.\n\n"
                  "In 2014, at $25.2 billion, imports from Russia corresponded to 10.6 percent "
                  "of total imports.\n\n"
                  "In 2015, the share went down to 10 percent with $20.4 billion.")
    assert got[2:6] == [("exports_to_sender_share", 3.8, [2014]),
                        ("exports_to_sender", 5.9e9, [2014]),
                        ("exports_to_sender_share", 2.5, [2015]),
                        ("exports_to_sender", 3.9e9, [2015])]
    assert got[-2:] == [("imports_from_sender_share", 10.0, [2015]),
                        ("imports_from_sender", 20.4e9, [2015])]


def test_a_share_that_rose_to_a_level_in_other_words() -> None:
    """Another wording and pair: "climbed to ... , with" after a share of imports."""
    got = _claims("In 2019 imports from Russia made up 9 percent of Georgia's imports.\n\n"
                  "In 2021 it climbed to about 11 percent, with $1.4 billion.",
                  target="GEO", published=2022)
    assert got[1:] == [("imports_from_sender_share", 11.0, [2021]),
                       ("imports_from_sender", 1.4e9, [2021])]


def test_the_size_of_a_change_stays_a_change() -> None:
    """"grew 10% to $3bn": 10% is the change, $3bn the level; "fell by 5 percent" a change."""
    from geolever.claims.extract import parse_sentence
    from geolever.claims.link import level_after_change

    p = parse_sentence("Exports to Russia grew 10% to $3 billion.")
    assert [level_after_change(p, q) for q in p.quantities] == [False, True]
    p = parse_sentence("In 2015 it fell by 5 percent and $1 billion.")
    assert [level_after_change(p, q) for q in p.quantities] == [False, False]
