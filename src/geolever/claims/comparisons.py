"""Partner comparisons: "Russia buys more of Azerbaijan's tomatoes than Turkey".

A comparison of two partners of one country: which buys more of its goods, which sells it
more, with which it trades more, or by how much ("twice as much as", "3 times more than").
The sentence is read in three parts (``claim_rules.yaml`` ``partner_comparison``):

* the comparative: "more" / "larger" / "superior to" (the first partner's flow is larger:
  ``at least`` a ratio of 1, judged strictly), "less" / "fewer" (``at most`` 1), or a
  multiplier ("twice as much as": ``about`` 2);
* the flow, from the verb: a buying verb ("buys", "imports") makes its subject a buyer of
  the other country's goods, a selling verb ("sells", "exports", "supplies") a seller, trade
  words ("trade turnover with") both directions;
* the countries: the subject (the country before the verb), the object ("of Azerbaijan's",
  "from Azerbaijan", "Azerbaijani tomatoes") and the country after "than" / "as". "than to /
  from X" compares the subject's own partners ("Georgia exports more to Russia than to
  Turkey": Georgia's exports); a bare "than X" (or "than X does") compares X with the
  subject as partners of the object ("Russia buys more of Azerbaijan's tomatoes than
  Turkey": Azerbaijan's exports to Russia and to Turkey). A bare "than X" after "to / from
  Y" could be either and is left unchecked with that reason.

The claim (metric ``partner_ratio``, the first partner's flow over the second's) is judged on
the store's partner totals of the country (IMF DOTS, as it reports them) or, for a product,
on the two bilateral flows of that product; the verdict names both figures. "More than any
other country" is a rank: it becomes a ``partner_rank`` claim of rank 1.
"""

from __future__ import annotations

import re
from functools import cache

from geolever.claims.context import Reading
from geolever.claims.extract import Parsed, topics_of
from geolever.claims.link import C, product_of
from geolever.claims.periods import partial_period, years_for
from geolever.claims.results import SkipError, TextClaim
from geolever.claims.vocabulary import rules

__all__ = ["comparison_claims", "has_comparison"]


def _alt(name: str) -> str:
    return "|".join(rules()["partner_comparison"][name])


@cache
def _comparative() -> re.Pattern[str]:
    """Match a comparative and the second partner ("more ... than (to) X", "twice as ... as X")."""
    cfg = rules()["partner_comparison"]
    mult = "|".join(cfg["multipliers"])
    to = r"(?:(?P<prep>to|into|from|with|for|on)\s+)?(?:the\s+)?"
    other = rf"(?:{C}|(?P<any>{_alt('any_other')}))"
    return re.compile(
        rf"(?:(?:(?P<more>\b(?:{_alt('more')}))|(?P<less>\b(?:{_alt('less')})))\b"
        rf"(?:\s+(?:\S+\s+){{0,8}}?)\s*than"
        rf"|(?P<mult>\b(?:{mult})|\b(?P<n>\d+(?:\.\d+)?)\s*times)\s+(?:as\s+(?:much|many|"
        rf"large|big)\s+(?:\S+\s+){{0,8}}?as|(?:more|larger|bigger|greater)\s+"
        rf"(?:\S+\s+){{0,8}}?than)"
        rf"|(?P<ahead>\b(?:{_alt('ahead')})))(?P<tail>\s+{to}{other})",
        re.I)


@cache
def _not_flows() -> re.Pattern[str]:
    return re.compile(rf"\b(?:{_alt('not_flows')})\b", re.I)


@cache
def _verbs() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    return tuple(re.compile(rf"\b(?:{_alt(k)})\b", re.I)  # type: ignore[return-value]
                 for k in ("buy_verbs", "sell_verbs", "trade_words"))


def has_comparison(tokens: str) -> bool:
    """Whether a sentence may compare two partners (a candidate without any number)."""
    low = tokens.lower()
    if "than" not in low and " as " not in low and "ahead of" not in low and \
            "superior to" not in low:
        return False  # each comparative needs one of these words
    return bool(_comparative().search(tokens))


def comparison_claims(parsed: Parsed, reading: Reading) -> list[TextClaim]:
    """Return the partner comparison of a sentence, or [] (SkipError when unreadable)."""
    text = parsed.tokens
    if not has_comparison(text):
        return []
    m = _comparative().search(text)
    if m is None:
        return []
    if _not_flows().search(m.group(0)):
        raise SkipError(f"'{m.group(0)}' compares a dependence or an importance, not two "
                        f"trade flows: no claim metric for it")
    before = text[: m.start()]
    buy, sell, trade = (rx.search(before) for rx in _verbs())
    second = _second(m)
    if m.group("ahead") or (trade and not (buy or sell)):
        return [_trade_claim(parsed, reading, m, before, second)]
    verb = _last(buy, sell)
    if verb is None:
        return []  # "more delicious than Turkish ones": no trade flow compared
    if "remittances" in topics_of(text[verb.start(): m.start("tail")]):
        # "Lebanon received more remittances than Russia ($7.1bn)": two receivers' money
        # from abroad, not goods bought from one country
        raise SkipError(f"'{m.group(0)}': a comparison of remittances, not of goods flows: "
                        f"no partner comparison for it")
    subject = _last_country(before[: verb.start()])
    obj = _object(text[verb.end(): m.start("tail")], subject)
    if subject is None:
        raise SkipError(f"'{m.group(0)}': who {verb.group(0)} is not named")
    owner: str | None
    first: str | None
    if m.group("prep"):
        owner, first = subject, (obj[0] if obj else None)  # "Georgia exports more to Russia
        flow = "imports" if verb is buy else "exports"      # than to Turkey": its partners
        if first is None:
            raise SkipError(f"'{m.group(0)}': the partner compared with "
                            f"{second or 'the others'} is not named")
    else:
        if obj is not None and obj[1] == "prep" and not re.match(r"\s*(?:does|did|do)\b",
                                                                  text[m.end():]):
            raise SkipError(f"'{m.group(0)}': unclear whether {second or 'the other'} is "
                            f"compared as a partner of {obj[0]} or of {subject} ('than to/"
                            f"from ...' or '... than it does' would say)")
        owner, first = (obj[0] if obj else None), subject
        flow = "exports" if verb is buy else "imports"
        if owner is None:
            owner = _carried_owner(parsed, reading, {subject, second})
    if owner is None or first is None:
        raise SkipError(f"'{m.group(0)}': whose trade is compared is not stated")
    return [_claim(parsed, reading, m, owner, first, second, flow)]


def _second(m: re.Match[str]) -> str | None:
    """Return the second partner's code (None for 'any other country')."""
    if m.group("any"):
        return None
    codes = [g for g in m.groups() if g and re.fullmatch(r"[A-Z0-9]{3,4}", g)]
    return codes[-1] if codes else None


def _last(*found: re.Match[str] | None) -> re.Match[str] | None:
    hits = [f for f in found if f is not None]
    return max(hits, key=lambda f: f.start()) if hits else None


def _last_country(text: str) -> str | None:
    codes = re.findall(C, text)
    return codes[-1] if codes else None


def _object(text: str, subject: str | None) -> tuple[str, str] | None:
    """Return the country whose goods the verb moves: (code, 'prep' | 'possessive')."""
    m = re.search(rf"\b(?:to|into|from)\s+(?:the\s+)?{C}", text)
    if m and m.group(1) != subject:
        return m.group(1), "prep"
    for m in re.finditer(C, text):
        if m.group(1) != subject:
            return m.group(1), "possessive"  # "of Azerbaijan's", "Azerbaijani tomatoes"
    return None


def _carried_owner(parsed: Parsed, reading: Reading, named: set[str | None]) -> str | None:
    others = [c for c in parsed.ctx_countries or reading.countries if c not in named]
    if len(others) == 1:
        return others[0]
    case = reading.case
    rest = {case.sender, case.target} - named
    return next(iter(rest)) if len(rest) == 1 else None


def _trade_claim(parsed: Parsed, reading: Reading, m: re.Match[str], before: str,
                 second: str | None) -> TextClaim:
    """Read "A is superior to B in trade with C" or "C's trade with A is larger than with B"."""
    text = parsed.tokens
    after = text[m.end():]
    owner_m = re.search(rf"\bwith\s+(?:the\s+)?{C}", after) if m.group("ahead") else None
    if owner_m:  # "Russia is superior to Turkey in ... trade turnover with Azerbaijan"
        first = _last_country(before)
        owner = owner_m.group(1)
    else:  # "Azerbaijan's trade with Russia is larger than with Turkey"
        w = re.search(rf"{C}(?:'s)?\s+(?:[\w-]+\s+){{0,2}}?(?:trade|turnover)\b[^⟦]*?\bwith\s+"
                      rf"(?:the\s+)?{C}", before)
        if w is None:
            raise SkipError(f"'{m.group(0)}': whose trade is compared with whom is not stated")
        owner, first = w.group(1), w.group(2)
    if first is None or owner is None or first == owner:
        raise SkipError(f"'{m.group(0)}': whose trade is compared with whom is not stated")
    return _claim(parsed, reading, m, owner, first, second, "trade")


def _claim(parsed: Parsed, reading: Reading, m: re.Match[str], owner: str, first: str,
           second: str | None, flow: str) -> TextClaim:
    if first in (owner, second):
        raise SkipError(f"'{m.group(0)}': the same country on both sides of the comparison")
    product = product_of(re.sub(r"⟦[^⟧]+⟧", " ", parsed.tokens[: m.end()]))
    years, period = years_for(None, parsed, 1, reading)
    stated = partial_period(parsed.tokens)
    if stated:
        period = f"{period}; partial period {stated} (compared with full-year figures only)"
    role = {"exports": "buyer", "imports": "supplier", "trade": "trade partner"}[flow]
    if second is None:  # "more than any other country": the largest
        claim = TextClaim(m.group(0), "partner_rank", 1.0, "rank", "about", years, period,
                          [owner, first], [], product, None,
                          f"read as: {first} is {owner}'s largest {role} ({flow})",
                          attribution=parsed.attribution, country=owner, partner=first,
                          partial_period=stated)
        claim.flow = flow
        return claim
    cfg = rules()["partner_comparison"]
    if m.group("mult"):
        n = m.group("n")
        claimed = float(n) if n else float(cfg["multipliers"][m.group("mult").lower()])
        comparison, how = "about", f"{claimed:g} times"
    elif m.group("less"):
        claimed, comparison, how = 1.0, "at most", "less than"
    else:
        claimed, comparison, how = 1.0, "at least", "more than"
    what = {"exports": f"{owner}'s exports to {first} / to {second}",
            "imports": f"{owner}'s imports from {first} / from {second}",
            "trade": f"{owner}'s trade with {first} / with {second}"}[flow]
    claim = TextClaim(m.group(0), "partner_ratio", claimed, "ratio", comparison, years, period,
                      [owner, first, second], [], product, None,
                      f"read as: {what} {comparison} {claimed:g} ({first} {how} {second} as "
                      f"{owner}'s {role})", attribution=parsed.attribution, country=owner,
                      partner=first, partial_period=stated)
    claim.flow = flow
    claim.versus = second
    return claim
