"""Fact-check the claims of a text (plain, Markdown or HTML): the orchestration.

:func:`check_text` reads the text (:mod:`~geolever.claims.reading`), splits it into
sentences, and for each sentence, in order:

1. reads its numbers, years, countries and assets (:mod:`~geolever.claims.extract`);
2. separates an attribution ("officials believe that P": P is checked, the holder kept;
   :mod:`~geolever.claims.attribution`);
3. fills what it leaves to earlier sentences: year, countries, asset, topic, lever
   (:mod:`~geolever.claims.context`);
4. finds its claims: lever effects (:mod:`~geolever.claims.effects`, judged on the model),
   asset statuses (:mod:`~geolever.claims.status`) and quantities linked to a claim metric
   (:mod:`~geolever.claims.link`), each with its period (:mod:`~geolever.claims.periods`);
5. evaluates each with :func:`~geolever.claims.evaluate.evaluate_claim`, exactly like the
   structured claims of scenario files.

Every candidate sentence is reported: checked (with the evidence: the figure used and the
ones passed over) or "not checked" (with the reason). Precision before recall: when the link
is not certain the sentence is left unchecked and says why. Numbers that are not claims of a
level (a change in brackets, a tariff, a forecast) are set aside with a note.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from functools import lru_cache
from typing import Any

from geolever.claims import model_view
from geolever.claims.attribution import split_attribution
from geolever.claims.clauses import clause_of
from geolever.claims.comparisons import comparison_claims, has_comparison
from geolever.claims.context import Reading
from geolever.claims.effects import effect_claims, remember_lever
from geolever.claims.evaluate import CLAIM_METRICS, ClaimSpec, evaluate_claim
from geolever.claims.extract import Parsed, parse_sentence
from geolever.claims.lead_ins import is_lead_in, with_lead_in
from geolever.claims.link import (
    C,
    also_for,
    is_price,
    link_quantity,
    modal_of,
    product_of,
    segment_of,
    set_aside_in_list,
    topics_of,
)
from geolever.claims.memo import MemoCase
from geolever.claims.numbers import Quantity
from geolever.claims.periods import partial_period, stated_years
from geolever.claims.rankings import continues_ranking, has_ranking, rank_claims
from geolever.claims.reading import Format, read_blocks, split_sentences
from geolever.claims.results import SentenceCheck, SkipError, TextCheckResult, TextClaim
from geolever.claims.roles import states_change
from geolever.claims.status import status_claims
from geolever.claims.vocabulary import find, has_words
from geolever.core.errors import GeoleverError, InvalidDataError
from geolever.core.facts import product_table
from geolever.store import FactStore
from geolever.world import load_case

__all__ = ["SentenceCheck", "TextCheckResult", "TextClaim", "check_text"]

#: The longest run of text read as one sentence, in characters. A sentence's rules read its
#: whole clause (and some the whole sentence) for each of its numbers, so the time grows with
#: a sentence's length times its numbers. Real sentences are far shorter (the longest of the
#: real-text corpus has 361 characters, long sentences of the press 400-1,000); a longer run
#: without a sentence end (a table pasted as one line, thousands of figures in brackets) is
#: read in pieces of at most this length, which keeps the time linear in the text's length.
MAX_SENTENCE_CHARS = 2000
# where a piece ends, best first: after ";", after a comma, at a space (in the second half)
_CUTS = (";", ", ", " ")


def sentence_pieces(sentence: str, limit: int = MAX_SENTENCE_CHARS) -> Iterator[str]:
    """Yield ``sentence`` itself, or if longer than ``limit`` characters, its pieces.

    Each piece has at most ``limit`` characters and ends at the last ";" of its second half,
    else its last comma, else its last space, else at ``limit`` (text without spaces).
    """
    start, n = 0, len(sentence)
    while n - start > limit:
        end = start + limit
        for mark in _CUTS:
            at = sentence.rfind(mark, start + limit // 2, end)
            if at >= 0:
                end = at + 1
                break
        piece = sentence[start:end].strip()
        if piece:
            yield piece
        start = end
    tail = sentence[start:].strip()
    if tail:
        yield tail


def _is_candidate(parsed: Parsed, reading: Reading) -> bool:
    if parsed.quantities or parsed.years or has_ranking(parsed.tokens) or \
            has_comparison(parsed.tokens):
        return True
    if reading.ranking is not None and continues_ranking(parsed.tokens):
        return True  # "China came in second."
    text = parsed.tokens
    if (parsed.assets or parsed.ctx_assets) and (find("status.operating", text)
                                                 or find("status.idle", text)):
        return True
    # has_words: the list's search, skipped where none of its literal cues is in the text,
    # and remembered for the claim readers that ask the same lists next
    for name in ("effects.severe", "effects.small", "effects.no_leverage",
                 "effects.strong_leverage", "comparison.alternative_markets",
                 "effects.route_search_slow", "effects.route_search_fast"):
        if has_words(name, text):
            return True
    return has_words("comparison.hurt_words", text) and bool(find("comparison.more_less", text))


_SPAN_UNIT = re.compile(r"\s*(?:(?:-|to)\s*\d+\s*)?(?:years?|months?|weeks?|days?|decades?|"
                        r"hours?)\b", re.I)


_TIMES = re.compile(r"\s*times\b", re.I)
# the amount of what a figure is compared with: "7.4 times larger than the net official
# development assistance received in 2017 of US$3.4 billion", "11 times the FDI flows ($2bn)"
_AFTER_MULTIPLE = re.compile(r"\b\d[\d.,]*\s+times\s+(?:(?:larger|more|higher|greater|bigger|"
                             r"smaller|less|lower)\s+than|as\s+(?:much|large|big|high)\s+as|"
                             r"the)\b[^,;]{0,120}$", re.I)
_COUNTRY_TOKEN = re.compile(C)  # a country as the tokens mark it
_CHANGE_BY = re.compile(r"\b(?:increas\w*|decreas\w*|rose|risen|fell|fallen|grew|grown|"
                        r"dropp\w*|declin\w*|rise|fall|drop|growth|jump\w*|up|down)\s+"
                        r"(?:of|by)\s+(?:about\s+|some\s+|almost\s+|nearly\s+)?$", re.I)
# a note or source mark right after a figure: "approaching $7 billion (2)", "$4.8 billion [1]"
_MARK = re.compile(r"\s*[(\[]\s*$")
_MARK_END = re.compile(r"\s*[)\]]")
# the whole that a share right before it is of: "almost half of the 200,000 metric tons of
# rice exported", "60% of the $5 billion sent"
_SHARE_OF = re.compile(r"\d\s?(?:%|percent|per cent)\s+of\s+(?:(?:the|some|about|around|"
                       r"nearly|almost|its|their)\s+)*$", re.I)
# a breakdown begun before a figure, in its part of the sentence: "a total of $15bn of which $9bn
# came from the Gulf, while $6bn from other regions" (each part after "of which")
_OF_WHICH = re.compile(r"\d[^;]*?\bof which\b[^;]*$", re.I)
_LOSS = re.compile(r"\b(?:loss(?:es)?|damages?)\b(?:\s+\S+){0,6}\s*$", re.I)


def _set_aside(q: Quantity, parsed: Parsed, published: int) -> str:
    """Why a number is not a claim of a level (a change, price, forecast), or ""."""
    if q.kind == "pct_points":
        return f"'{q.text}' is a change in percentage points"
    before = parsed.tokens[max(0, q.start - 40):q.start]
    if q.kind in ("money", "mass") and _CHANGE_BY.search(before):
        return f"'{q.text}' is the size of a change (increased by ...), not a level"
    if q.kind == "money" and _AFTER_MULTIPLE.search(
            parsed.tokens[max(0, q.start - 160):q.start]):
        return f"'{q.text}' is the amount of what the figure is compared with"
    if q.kind == "money" and _LOSS.search(before):
        return f"'{q.text}' is an estimated loss, not a flow: no claim metric for losses"
    if q.kind == "bare" and _SPAN_UNIT.match(parsed.tokens, q.end):
        return f"'{q.text}' is a length of time"
    if q.kind == "bare" and q.text.isdigit() and len(q.text) <= 2 and _MARK_END.match(
            parsed.tokens, q.end) and _MARK.search(
            parsed.tokens, max(0, q.start - 4), q.start) and any(
            p.kind != "bare" and 0 <= q.start - p.end <= 3 for p in parsed.quantities):
        # the reference to a source, in brackets right after the figure it is for: not a
        # number of the sentence, and no doubt on how the figure was read
        return f"'{q.text}' is a note or source mark ('({q.text})') after a figure"
    if q.kind == "bare" and _TIMES.match(parsed.tokens, q.end):
        return f"'{q.text}' is a multiplier ('{q.text} times'), read with the comparison"
    segment = segment_of(parsed.tokens, q)
    topics = topics_of(segment)
    if (q.kind == "bare" or q.note.startswith("the currency of")) and "change" in topics \
            and q.value >= 1e6:
        return f"'{q.text}' is the size of a change"
    if (segment.lstrip()[:16].lower().startswith("of which") or _OF_WHICH.search(
            parsed.tokens, 0, q.start)) and not _COUNTRY_TOKEN.search(
            parsed.tokens, q.start):  # not the whole clause lowered
        # "of which oil accounted for $4bn": a part with no metric; "of which $3.6 billion
        # were destined for Azerbaijan" names its partner and is read as that flow
        return f"'{q.text}' is a breakdown of the figure before it"
    if q.kind == "pct" and "change" in topics and states_change(parsed, q, segment):
        return f"'{q.text}' is a change (rise, fall, growth), not a level"
    if not topics & {"remittances", "turnover"} and is_price(parsed.tokens, q):
        return f"'{q.text}' is a price, tariff or duty: no claim metric for prices"
    if len(parsed.quantities) > 1 and _is_modal(segment, published):
        return f"'{q.text}' is a plan or forecast"
    return ""


def _whole_of_share(q: Quantity, parsed: Parsed) -> bool:
    """Whether ``q``, an amount (tonnes or money), is the whole of the share right before it.

    The share is read on that whole ("50% of the 200,000 metric tons of rice exported were
    shipped to China": a share of exports), so the whole, if it cannot be linked itself, casts
    no doubt on it. A count ("half of some 17 million foreigners") is no such whole: a share
    of people, not of a flow, and it still vetoes.
    """
    return q.kind in ("mass", "money") and bool(_SHARE_OF.search(
        parsed.tokens, max(0, q.start - 40), q.start))


@lru_cache(maxsize=16)
def _is_modal(segment: str, published: int) -> bool:
    """Whether a clause speaks of what may happen, idioms left out (once per clause)."""
    return bool(modal_of(segment, published))


def _clause_at(tokens: str, pos: int) -> int:
    """Where the clause holding ``pos`` starts, a break inside brackets not counted.

    "(by comparison, in 2016 the figures were $10.1 billion; in 2017, $12.9 billion)" is one
    aside about the clause before it, though ";" splits it for reading each number.
    """
    start = clause_of(tokens, pos)[0]
    while start > 0 and tokens.count("(", 0, start) > tokens.count(")", 0, start):
        start = clause_of(tokens, start - 1)[0]
    return start


def _check_sentence(parsed: Parsed, reading: Reading) -> tuple[list[TextClaim], list[str]]:
    """Return the claims of a checkable sentence and notes; raise SkipError otherwise."""
    notes: list[str] = []
    try:
        claims = effect_claims(parsed, reading)
    except SkipError as err:  # the numbers of the sentence may still be claims
        claims, effect_reason = [], str(err)
    else:
        effect_reason = ""
    claims += status_claims(parsed, reading)
    for reader in (rank_claims, comparison_claims):
        try:
            claims += reader(parsed, reading)
        except SkipError as err:
            if not parsed.quantities and not claims:
                raise  # nothing else in the sentence to check
            notes.append(str(err))
    ranked = [c for c in claims if c.metric == "partner_rank" and c.flow in ("exports",
                                                                             "imports")]
    if len(ranked) == 1 and len(ranked[0].countries) == 2:
        owner, partner = ranked[0].countries
        parsed.rank_flow = (owner, partner) if ranked[0].flow == "exports" else (partner, owner)
    quantities = []
    for q in parsed.quantities:
        why = _set_aside(q, parsed, reading.published) or set_aside_in_list(q, parsed)
        if why:
            notes.append(why)
        else:
            quantities.append(q)
    others = bool(claims)  # a rank, status or lever effect found without the numbers
    linked: list[tuple[int, list[TextClaim]]] = []  # (clause start, the number's claims)
    failed: list[tuple[int, SkipError]] = []
    for q in quantities:
        try:
            found = [link_quantity(q, parsed, reading, len(quantities))]
            found += also_for(found[0], q, parsed, reading)  # "in A and B": both
        except SkipError as err:
            if others:
                # "X is the second-largest partner, and three million tourists came": the
                # rank is still a claim; the number that cannot be linked is left, with why
                notes.append(f"not checked: {err}")
                continue
            if len(quantities) == 1:
                raise
            if _whole_of_share(q, parsed):
                notes.append(f"not checked: {err} (the whole of the share before it)")
                continue
            failed.append((_clause_at(parsed.tokens, q.start), err))
        else:
            linked.append((_clause_at(parsed.tokens, q.start), found))
    if failed:
        # A number that cannot be linked casts doubt on how its clause was read ("53.7
        # percent or $11.74 billion", "half of some 17 million foreigners", "from $18bn in
        # 2009 to $35bn in 2023"): the numbers of its clause are not checked either. Those of
        # the sentence's other clauses ("..., while US exports to Cambodia hit $484 million",
        # "...; Jamaica received $2.4 billion") are read on their own and still checked.
        vetoed = {start for start, _ in failed}
        kept = [found for start, found in linked if start not in vetoed]
        if not kept:
            raise SkipError(f"{len(quantities)} numbers in one sentence and not each can be "
                            f"linked: {failed[0][1]}") from None
        notes += [f"not checked: {err}" for _, err in failed]
        notes += [f"not checked: '{c.quantity}': read in a clause with a number that "
                  f"cannot be linked" for start, found in linked if start in vetoed
                  for c in found[:1]]
        linked = [(0, found) for found in kept]
    claims += [c for _, found in linked for c in found]
    if not claims:
        if effect_reason:
            raise SkipError(effect_reason)
        if notes:
            raise SkipError("; ".join(notes))
        if parsed.years and not parsed.quantities:
            ys = ", ".join(str(y) for y, _ in parsed.years)
            raise SkipError(f"only a year ({ys}), no amount or status: nothing to check")
        raise SkipError("no claim found that a metric can check")
    # the same figure said twice for one quantity ("Liberia (27%), ... and Liberia (27%)")
    # is a repetition, not two readings: only different values for it are doubtful
    values: dict[tuple[object, ...], set[float]] = {}
    for c in claims:
        values.setdefault((c.metric, tuple(c.years or ()), c.partial_period, c.product,
                           c.country, c.partner), set()).add(c.claimed)
    if any(len(v) > 1 for v in values.values()):
        raise SkipError("two values for the same quantity and period (a range or a change?)")
    return claims, notes


def _known_product(code: str | None) -> bool:
    return code is None or code in product_table()


def _evaluate(claim: TextClaim, text: str, reading: Reading) -> None:
    case = reading.case
    lever = None if claim.lever is None else {**claim.lever, "id": claim.lever_id}
    spec = ClaimSpec(text=text, metric=claim.metric, claimed=claim.claimed, unit=claim.unit,
                     years=claim.years,
                     asset=claim.assets[0] if claim.metric.startswith("asset_") and
                     claim.assets else None,
                     comparison=claim.comparison,  # type: ignore[arg-type]
                     high=claim.high, product=claim.product, lever=lever,
                     country=claim.country, partner=claim.partner,
                     period=claim.partial_period,
                     flow=claim.flow,  # type: ignore[arg-type]
                     versus=claim.versus)
    if not _known_product(claim.product):
        spec = spec.model_copy(update={"years": claim.years or [reading.ref_year]})
    if claim.years is None:
        who = case if not (claim.country or claim.partner) else replace(
            case, target=claim.country or case.target, sender=claim.partner or case.sender)
        latest = reading.latest_year  # before the publication year (see Reading.latest_year)
        years = [y for y in CLAIM_METRICS[claim.metric].years(who, spec) if y <= latest]
        # no data up to that year: unverifiable for it, not judged on a later year
        spec = spec.model_copy(update={"years": years or [latest]})
    headline: Any = claim.headline or ("latest_full" if claim.years is None else "latest")
    result = evaluate_claim(spec, case, headline=headline)
    period = claim.period[0].upper() + claim.period[1:]
    result.explanation = f"{result.explanation} Period: {period}." + (
        f" Note: {claim.note}." if claim.note else "")
    if claim.attribution:
        result.explanation += f" Attributed to: {claim.attribution}."
    for check in result.checks:
        for q in check.sources:
            if q.quality == "model" and q.note and q.note not in result.explanation:
                result.explanation += f" Model: {q.note}."
    claim.result = result


def check_text(
    text: str,
    *,
    case: str = "russia-azerbaijan",
    fmt: Format = "auto",
    store: FactStore | None = None,
    year: int | None = None,
    sender: str | None = None,
    target: str | None = None,
    published: int | None = None,
    assessment: Any = None,
) -> TextCheckResult:
    """Fact-check the claims of a text against a case's data and model.

    Parameters
    ----------
    text
        The article, memo or statement: plain text, Markdown or HTML (at most 1 MB).
    case
        Case pack name (sender and target come from the pack unless given).
    fmt
        ``"auto"`` (detect), ``"text"``, ``"md"`` or ``"html"``.
    store
        Fact store to read (the case pack is loaded into it); in-memory by default.
    year
        Reference year: claims without a stated period are headlined with the latest full
        year up to it, and lever effects are judged on the model for it. Default: the
        pack's year.
    sender, target
        ISO3 codes of the pair the text is about, if not the pack's (the pack's facts and
        the standard datasets in the store are read for them).
    published
        Year the text was published: claims without a period are headlined with the latest
        full year up to it, and "last year" / "this year" resolve against it. Default: the
        reference year.
    assessment
        The finished :class:`~geolever.assessment.CaseAssessment` of the same run: claims
        about lever effects are judged on its numbers and draws. Default: the claim
        vocabulary's levers assessed once for the reference year.

    Returns
    -------
    TextCheckResult
        Every candidate sentence, checked (claims with metric, claimed value in the
        metric's unit -- US$, %, Mt, flag or ratio -- years, verdict, evidence) or not
        checked (reason). ``.to_dict()`` is the JSON document.

    Raises
    ------
    GeoleverError
        Unknown case or format, empty text, text over 1 MB.
    """
    if published is not None and not 1900 <= published <= 2100:
        raise InvalidDataError(f"publication year {published} is out of range",
                               field="published", fix="give a year from 1900 to 2100")
    blocks, used_fmt = read_blocks(text, fmt)
    c = load_case(store or FactStore(":memory:"), case, year=year, sender=sender, target=target)
    if c.sender == c.target:
        raise InvalidDataError(f"the target {c.target} is also the sender", field="target",
                               fix="give two different countries (e.g. sender RUS, target AZE)")
    c = MemoCase.of(c)  # a country's facts read once, repeated questions from memory
    ref_year = min(c.year, published) if published else c.year
    reading = Reading(c, ref_year, published or ref_year, min(c.year, ref_year), assessment,
                      dated=published is not None)
    sentences: list[SentenceCheck] = []
    n = 0
    lead_in: str | None = None  # the sentence before a list ("... the following countries:")
    with model_view.use_assessment(assessment):
        for b, block in enumerate(blocks):
            for sentence in _sentences(block):
                n += 1
                whole = with_lead_in(lead_in, sentence) if lead_in else None
                if whole is None:
                    lead_in = sentence if is_lead_in(sentence) else None
                prop, holder = split_attribution(whole or sentence)
                parsed = parse_sentence(prop)
                parsed.original = sentence
                parsed.attribution = holder
                carried = reading.resolve(parsed)
                checked = _check_one(parsed, reading, n, b, sentence, carried)
                try:
                    product = product_of(parsed.text)
                except SkipError:
                    product = None
                stated = stated_years(parsed, reading)
                reading.remember(parsed, stated or None, product)
                if stated:
                    reading.period = partial_period(parsed.tokens) or parsed.ctx_period
                remember_lever(parsed, reading)
                if checked is not None:
                    sentences.append(checked)
    return TextCheckResult(c.name, c.sender, c.target, ref_year, used_fmt, n, sentences)


def _sentences(block: str) -> Iterator[str]:
    for sentence in split_sentences(block):
        yield from sentence_pieces(sentence)


def _check_one(parsed: Parsed, reading: Reading, n: int, b: int, sentence: str,
               carried: list[str]) -> SentenceCheck | None:
    if not _is_candidate(parsed, reading):
        return None
    try:
        claims, notes = _check_sentence(parsed, reading)
        for claim in claims:
            if carried:
                claim.note = "; ".join([*([claim.note] if claim.note else []), *carried])
            _evaluate(claim, sentence, reading)
    except SkipError as err:
        return SentenceCheck(n, b, sentence, "not checked", str(err))
    except GeoleverError as err:
        return SentenceCheck(n, b, sentence, "not checked", f"could not be evaluated: {err}")
    return SentenceCheck(n, b, sentence, "checked", "; ".join(notes), claims)
