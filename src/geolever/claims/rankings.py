"""Ranking claims: "Russia was Azerbaijan's third-largest trade partner".

A rank (``claim_rules.yaml`` ``ranking``: "largest", "main" ... = 1; "second-largest",
"third" ... = 2, 3) before a role word says which flow of whose trade ranks the partners:
suppliers rank the country's imports, buyers, customers and markets its exports, trade
partners both. Whose partners: the country in the possessive ("Azerbaijan's") or after "of"
("the largest supplier of Georgia"); the partner ranked: the other country the sentence
names. The claim (metric ``partner_rank``) is checked on the store's partner totals (IMF
DOTS) of the year, naming the partner's figure and those ranked around it.

"One of the largest" or "among the main" states no rank and is set aside with that reason.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from geolever.claims.context import Reading
from geolever.claims.extract import Parsed
from geolever.claims.link import RANKED, C, product_of
from geolever.claims.periods import partial_period, years_for
from geolever.claims.results import SkipError, TextClaim
from geolever.claims.vocabulary import (
    ODD_CASE,
    alternation,
    find,
    literal_cues,
    rules,
    word_list,
)


@cache
def _rank_pattern() -> re.Pattern[str]:
    cfg = rules()["ranking"]
    ordinals = "|".join(sorted((re.escape(str(k)) for k in cfg["ordinals"]), key=len,
                               reverse=True))
    sup = "|".join(cfg["superlatives"])
    first = "|".join(cfg["first"])
    roles = "|".join(f"(?P<{flow}>{'|'.join(pats)})" for flow, pats in cfg["roles"].items())
    return re.compile(
        rf"(?:(?P<ord>{ordinals})(?:[\s-]+(?:{sup}|most\s+important))?|(?P<first>{first}))"
        rf"[\s-]+(?:[\w-]+\s+){{0,2}}?(?:{roles})\b", re.I)


def has_ranking(tokens: str) -> bool:
    """Whether a sentence states a rank of a partner (a candidate without any number)."""
    return bool(_rank_of(tokens))


@lru_cache(maxsize=16)
def _rank_of(tokens: str) -> re.Match[str] | None:
    """Return the ranking phrase of a sentence (asked twice: candidate?, then its claim)."""
    cues = _rank_cues()
    if cues is not None:
        low = tokens.lower()
        if not any(c in low for c in cues):
            return None  # no rank word ("largest", "main", "second", ...) in the sentence
        roles = _role_cues()
        if roles is not None and not any(c in low for c in roles) and not ODD_CASE.search(
                tokens):
            return None  # no partner's role ("partner", "supplier", "buyer", ...) either
    return _rank_pattern().search(tokens)


@cache
def _role_cues() -> tuple[str, ...] | None:
    """Literal cues of the roles: every ranking phrase ends with one of them."""
    return literal_cues(tuple(p for pats in rules()["ranking"]["roles"].values()
                              for p in pats))


@cache
def _rank_cues() -> tuple[str, ...] | None:
    """Literal cues of the rank words: every ranking phrase starts with one of them."""
    cfg = rules()["ranking"]
    return literal_cues(tuple(cfg["first"]) + tuple(re.escape(str(k))
                                                     for k in cfg["ordinals"]))


@cache
def _next_rank() -> re.Pattern[str]:
    ordinals = "|".join(sorted((re.escape(str(k)) for k in rules()["ranking"]["ordinals"]),
                               key=len, reverse=True))
    return re.compile(rf"^(?:\W*\w+\W+){{0,2}}?{C}\s+(?:came|comes|was|is|ranked|ranks|"
                      rf"placed)\s+(?:in\s+)?(?P<ord>{ordinals}|first)\b", re.I)


def continues_ranking(tokens: str) -> bool:
    """Whether a sentence ranks a partner on the ranking before it ("China came second")."""
    return bool(_next_rank().search(tokens))


def _continued(parsed: Parsed, reading: Reading) -> list[TextClaim]:
    """Rank a partner on the sentence before's ranking ('China came in second')."""
    if reading.ranking is None:
        return []
    m = _next_rank().search(parsed.tokens)
    if m is None:
        return []
    owner, flow = reading.ranking
    partner, word = m.group(1), m.group("ord").lower()
    if partner == owner:
        return []
    rank = 1 if word == "first" else int(rules()["ranking"]["ordinals"][word])
    reading.ranked_now = True
    return [_rank_claim(parsed, reading, m.group(0).strip(), rank, flow, owner, partner,
                        "the ranking carried over from the sentence before")]


_NEGATED = re.compile(r"\b(no\s+longer|not|never|isn't|wasn't|ceased\s+to\s+be)\s+"
                      r"(?:(?:the|a|its|their|[\w-]+'s|⟦[A-Z0-9]+⟧'s?)\s+)*$", re.I)


def rank_claims(parsed: Parsed, reading: Reading) -> list[TextClaim]:
    """Return the ranking claim of a sentence, or [] (SkipError when it cannot be read)."""
    text = parsed.tokens
    m = _rank_of(text)
    if m is None:
        return _continued(parsed, reading)
    cfg = rules()["ranking"]
    before = text[max(0, m.start() - 25): m.start()]
    if find("ranking.vague", before) and re.search(
            r"(?:one\s+of|among)\s+(?:the\s+|its\s+|their\s+)?(?:\S+\s+){0,2}$", before, re.I):
        raise SkipError(f"'{m.group(0)}' after 'one of'/'among': no rank that a figure can check")
    negated = _NEGATED.search(before)
    if negated is not None:
        # "China is no longer Australia's biggest export market": which rank it is not
        raise SkipError(f"'{m.group(0)}' is negated ('{negated.group(1)}'): "
                        f"says which rank the partner does not have, not which it has")
    ordinal = m.group("ord")
    rank = int(cfg["ordinals"][ordinal.lower()]) if ordinal else 1
    flow = next(f for f in ("imports", "exports", "trade") if m.group(f))
    named = list(dict.fromkeys(re.findall(C, text)))
    owner = _owner(text, m)
    if owner is None and len(named) == 2 and re.match(r"\s+of\s+(?:its|their)\b",
                                                       text[m.end():]):
        owner = named[0]  # "X depends on Y as the main buyer of its products": X's buyers
    if owner is None:
        owner = _owner_referred_to(text, m, named, reading)
    if owner is None:
        raise SkipError(f"'{m.group(0)}': whose partners are ranked is not stated")
    if _names_people(parsed, text, m) or _TOURISM.search(m.group(0)):
        raise SkipError(f"'{m.group(0)}' ranks where people go (migrants, tourists), not "
                        "trade partners: no claim metric for it")
    # "the second-largest destination of Philippine bananas after Japan": the partner ranked
    # above is the ranking's reference, not the partner ranked
    above = set(re.findall(rf"\b(?:after|behind|below|than)\s+(?:the\s+)?{C}", text[m.end():]))
    others = [c for c in named if c != owner and c not in above]
    if len(others) != 1:
        if not others:
            raise SkipError(f"'{m.group(0)}': the partner ranked is not named")
        raise SkipError(f"'{m.group(0)}': several countries named ({', '.join(others)}); "
                        "which one is ranked is unclear")
    reading.ranking, reading.ranked_now = (owner, flow), True
    # the figures of a participle after the rank are the ranked partner's ("the main
    # economic partner of Armenia with a market share of 26%": its share of Armenia's trade)
    parsed.memo[RANKED] = (owner, others[0], flow)
    return [_rank_claim(parsed, reading, m.group(0), rank, flow, owner, others[0], "")]


_ONE_MONTH = re.compile(r"\b(?:in|for|during)\s+(January|February|March|April|May|June|July|"
                        r"August|September|October|November|December)\b(?!\s*(?:-|to|through))")


def _rank_claim(parsed: Parsed, reading: Reading, quote: str, rank: int, flow: str,
                owner: str, partner: str, carried: str) -> TextClaim:
    case = reading.case
    country, who = (None, None) if (owner, partner) == (case.target, case.sender) else (
        owner, partner)
    years, period = years_for(None, parsed, 1, reading)
    stated_period = partial_period(parsed.tokens)
    month = _ONE_MONTH.search(parsed.tokens)
    if not stated_period and month:
        stated_period = month.group(1)  # "the fourth-largest trading partner of Japan in October"
    if stated_period:
        period = f"{period}; partial period {stated_period} (only full-year rankings exist)"
    role = {"imports": "supplier", "exports": "buyer", "trade": "trade partner"}[flow]
    try:  # "the second-largest destination of Philippine bananas": a rank in one product
        product = product_of(re.sub(r"⟦[^⟧]+⟧", " ", parsed.tokens))
    except SkipError:
        product = None
    claim = TextClaim(quote, "partner_rank", float(rank), "rank", "about", years,
                      period, [owner, partner], [], product, None,
                      f"rank {rank} as {owner}'s {role} ({flow})"
                      + (f"; {carried}" if carried else ""),
                      attribution=parsed.attribution, country=country, partner=who,
                      partial_period=stated_period)
    claim.flow = flow
    return claim


@cache
def _people_after() -> re.Pattern[str]:
    words = (*word_list("migrant_people"), *word_list("ranking.people"))
    return re.compile(rf"\s+(?:{alternation(words)})\b", re.I)


def _names_people(parsed: Parsed, text: str, m: re.Match[str]) -> bool:
    """Whether the country whose "partners" are ranked is named as people, not as a country.

    "Poland, a leading destination for Ukrainians", "the top destination for Russian
    tourists": a plural demonym, or a demonym before migrants, tourists, students ..., after
    the rank ("for ..."): a ranking of where people go, not of trade partners.
    """
    after = re.match(rf"\s*(?:of|for|in|to|among)\s+(?:the\s+)?{C}", text[m.end():])
    if after is None:
        return False
    at = m.end() + after.start(1) - 2  # the token's "⟦"
    nth = len(_TOKEN.findall(text, 0, at))
    mention = parsed.mentions[nth] if nth < len(parsed.mentions) else None
    if mention is not None and mention.kind == "demonym" and mention.alias.endswith("s"):
        return True
    return bool(_people_after().match(text, m.end() + after.end()))


_TOKEN = re.compile(r"⟦[^⟧]+⟧")
# "the top tourism source markets": a ranking of where visitors come from
_TOURISM = re.compile(r"\btouris\w*|\btravel\w*|\bvisitors?\b|\bholiday\w*", re.I)


def _owner(text: str, m: re.Match[str]) -> str | None:
    """Whose partners: "⟦AZE⟧'s third-largest", or "... of ⟦GEO⟧('s produce)"."""
    pos = re.search(rf"{C}'s\s+(?:(?:own|the)\s+)?$", text[: m.start()])
    if pos:
        return pos.group(1)
    after = re.match(rf"\s*(?:of|for|in|to|into)\s+(?:the\s+)?{C}", text[m.end():])
    if after:
        return after.group(1)
    # "the No. 1 export market for fruit from Taiwan": the exporter of the product named
    made = re.match(rf"\s*(?:of|for)\s+(?:[\w-]+\s+){{1,3}}?from\s+(?:the\s+)?{C}",
                    text[m.end():])
    return made.group(1) if made else None


# "the country's second largest trading partner", "its largest supplier": whose partners,
# said by pointing back
_OWNER_ANAPHOR = re.compile(r"\b(?:the\s+(?:country|nation|republic|kingdom)['’]s|its|their)"
                            r"\s+(?:(?:own|the)\s+)?$", re.I)


def _owner_referred_to(text: str, m: re.Match[str], named: list[str],
                       reading: Reading) -> str | None:
    """Whose partners when the rank points back ("the country's", "its"): else None.

    With two countries named, the one named second (the ranked partner is the sentence's
    subject: "China is the biggest investor in Laos and the country's second largest
    trading partner"); with one, the case's other country.
    """
    if not _OWNER_ANAPHOR.search(text, max(0, m.start() - 30), m.start()):
        return None
    if len(named) == 2 and text.find(f"⟦{named[1]}⟧") < m.start() and not re.search(
            rf"⟦{named[0]}⟧\s+(?:and|&)\s+(?:the\s+)?⟦{named[1]}⟧", text):
        return named[1]  # (not "Russia and the UK are the country's top markets": both ranked)
    case = reading.case
    if len(named) == 1 and named[0] in (case.sender, case.target):
        return case.target if named[0] == case.sender else case.sender
    return None
