"""A number that cannot be linked vetoes its own clause, not the whole sentence.

Before, one such number left every number of its sentence unchecked ("N numbers in one
sentence and not each can be linked"). A clause of its own ("..., while ...", "; ...") is read
on its own and keeps its claims; a number of the same clause ("53.7 percent or $11.74 billion",
"half of some 17 million foreigners") still vetoes its neighbours, and so does one in a
bracketed aside split by ";".
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from geolever.claims import check_text
from geolever.store import FactStore

from .helpers import claims_of

# clauses that are checked alone, with the claim each makes
_LINKED = {
    "Russian exports to Azerbaijan hit $2.1 billion in 2019":
        ("imports_from_sender", 2.1e9),
    "remittances from Russia to Azerbaijan reached $1.2 billion in 2019":
        ("remittances", 1.2e9),
    "trade between Azerbaijan and Russia totalled $3.1 billion in 2019":
        ("trade_turnover", 3.1e9),
}
# clauses whose number cannot be linked: a count, an average, a length
_UNLINKED = (
    "some 3 million Russian tourists visited the country",
    "the average transfer was $250",
    "40,000 migrants worked there",
)
_JOINS = (", while ", ", whereas ", "; ")


def _claims(text: str) -> list[tuple[object, ...]]:
    return claims_of(text, ("metric", "claimed"), target="AZE", published=2020)


@settings(max_examples=12, deadline=None)
@given(st.sampled_from(sorted(_LINKED)), st.sampled_from(_UNLINKED), st.sampled_from(_JOINS),
       st.booleans())
def test_an_unlinkable_number_leaves_the_other_clause_checked(linked: str, unlinked: str,
                                                              join: str, first: bool) -> None:
    a, b = (linked, unlinked) if first else (unlinked, linked)
    sentence = (a[0].upper() + a[1:] + join + b + ".")
    assert _claims(sentence) == [_LINKED[linked]]


def test_the_reason_of_the_number_left_out_is_kept() -> None:
    doc = check_text("Russian exports to Azerbaijan hit $2.1 billion in 2019, while some 3 "
                     "million Russian tourists visited the country.", fmt="text",
                     store=FactStore(":memory:"), published=2020)
    s = doc.sentences[0]
    assert s.status == "checked"
    assert "'3 million' has no unit" in s.reason


def test_a_number_of_the_same_clause_still_vetoes() -> None:
    # the share's whole is the count: a share of tourists, not of trade
    assert _claims("Last year Russian tourists accounted for nearly half of some 3 million "
                   "foreigners who visited Azerbaijan.") == []
    assert _claims("Remittances from Russia were $600 million in 2021 and trade turnover "
                   "with Russia reached 300 new jobs.") == []


def test_a_bracketed_aside_split_by_a_semicolon_is_one_clause() -> None:
    # the aside's ";" splits it for reading, but it is one aside about the figures before it
    # (whose year is unclear): its numbers are not read as claims of their own
    text = ("Of the $9.9 billion in remittances sent from Russia to the region, about 55 "
            "percent went to these two countries (by comparison, in 2016 the figures were "
            "$8.1 billion and 51 percent; in 2017, $8.8 billion and 54 percent).")
    assert _claims(text) == []


def test_a_month_at_the_start_of_a_sentence_makes_a_monthly_figure() -> None:
    # "In May" capitalised was not read as a month: the month's figure was judged as a year's;
    # it is compared with that month's figure only (none in the store: unverifiable)
    for text, month in (("In May alone, remittances from Russia totalled $299 million.", "May"),
                        ("During March, remittances from Russia reached $310 million.", "March"),
                        ("For June, Russian exports to Azerbaijan came to $190 million.", "June")):
        doc = check_text(text, fmt="text", store=FactStore(":memory:"), published=2020)
        claims = doc.sentences[0].claims
        assert [c.partial_period for c in claims] == [month], text
        assert claims[0].result is not None and claims[0].result.verdict == "unverifiable"


@given(st.sampled_from(sorted(_LINKED)), st.integers(1, 99), st.sampled_from("(["))
@settings(max_examples=10, deadline=None)
def test_a_note_mark_after_a_figure_does_not_veto_it(linked: str, mark: int,
                                                     bracket: str) -> None:
    # "trade turnover grew by another 10.1% to almost $4.8 billion (1)": the bracketed
    # number is the reference to a source, not a count beside the figure
    close = ")" if bracket == "(" else "]"
    sentence = linked[0].upper() + linked[1:].replace(" in 2019", f" {bracket}{mark}{close} in "
                                                      "2019") + "."
    assert _claims(sentence) == [_LINKED[linked]]


def test_a_count_in_brackets_still_vetoes() -> None:
    # a bracketed count that is not right after a figure is still a number of the clause
    assert _claims("Russian exports to Azerbaijan (12 firms) hit $2.1 billion in 2019.") == []
