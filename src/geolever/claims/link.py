"""Link a number in a sentence to the claim metric it is about (or say why not).

Each number is read with its own segment: its clause (split at ";" and ", while / but"),
without parenthetical asides about other numbers ("$4.8bn (an increase of 10.1%)": the
change in brackets does not make the amount a change). The rules of ``claim_rules.yaml``
(quantity kind, required and forbidden topics) pick the metric; the flow's exporter and
importer, the remittances' source and the share's whole decide which countries it is about:
the case's pair, or any other pair the store may cover (a sentence about Armenia is linked
as such, not refused). Partner-specific quantities win over totals: "Russia sent $623m to
Azerbaijan" is remittances from Russia, not from all senders.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import replace
from functools import cache, lru_cache
from typing import Any

from geolever.claims.clauses import clause_of
from geolever.claims.context import SUBJECT_TOPICS, Reading, receiving
from geolever.claims.evaluate import CLAIM_METRICS
from geolever.claims.extract import Parsed, tokenise, topics_of
from geolever.claims.months import is_fiscal
from geolever.claims.numbers import Quantity, normalise
from geolever.claims.periods import partial_period, past_will
from geolever.claims.results import SkipError, TextClaim
from geolever.claims.roles import level_after_change as level_after_change  # re-exported
from geolever.claims.roles import period_of, states_change, without_rose_up_to
from geolever.claims.vocabulary import (
    find,
    keyword_search,
    people_abroad,
    prepared_all,
    prepared_list,
    rules,
    word_set,
)
from geolever.core.countries import country_name
from geolever.core.errors import GeoleverError
from geolever.core.facts import product_table
from geolever.core.units import convert
from geolever.world import Case

C = r"⟦([A-Z0-9]{3,4})⟧"
_C_RX = re.compile(C)
_PAREN = re.compile(r"\([^()]*\)")
# the nouns ("transferred" may be a balance): "transfers from Russia", "the total value of funds"
_TRANSFERS = re.compile(r"\btransfers?\b|\bfunds\b", re.I)
_RECEIVED = re.compile(rf"{C}\s+(?:\w+\s+)?(?:received|receives|got|gets)\b")
_TRANSFERRED = re.compile(r"\b(?:transferred|sent|remitted)\b", re.I)  # in a list, the verb too
# "In May alone" opens a sentence too; the months stay capitalised ("may" is a verb); the
# month a period ends in is not the figure's ("the fiscal year ending in June")
_ONE_MONTH = re.compile(r"(?<!ending )(?<!ended )(?<!end )\b(?:[Ii]n|[Ff]or|[Dd]uring)\s+"
                        r"(?P<month>January|February|March|April|May|June|July|August|September|"
                        r"October|November|December)\b(?!\s*(?:-|to|through))|"
                        # "in that month the company carried about 85,000 tons"
                        r"\b(?:[Ii]n|[Ff]or|[Dd]uring|[Oo]ver)\s+(?:that|the\s+same|this|last|the\s+"
                        r"previous|the\s+past)\s+month\b")
# a total for the year in the number's own clause: "In March, exports fell 5%, while the annual
# total was $5bn" (the month is another clause's)
_ANNUAL = re.compile(r"\b(?:annual|yearly|full[- ]year|(?:for|over|in) the (?:whole |full |"
                     r"entire )?year(?! to)|for the year as a whole|(?:a|per) year)\b", re.I)
#: metrics whose figure a list item gives for its own country
_LISTABLE = ("remittances", "remittances_total", "remittances_share_of_gdp",
             "remittances_total_share_of_gdp", "remittances_share_of_budget",
             "remittances_total_share_of_budget", "remittances_sender_share")
_TOTAL_REMITTANCES = ("remittances_total", "remittances_total_share_of_gdp",
                      "remittances_total_share_of_budget")
_TRADE_METRICS = ("exports_to_sender", "imports_from_sender", "trade_turnover",
                  "exports_to_sender_share", "imports_from_sender_share")


def is_price(tokens: str, q: Quantity) -> bool:
    """Whether the words right around a number are a price's ("a tariff of $15.67").

    The same answer as ``"price" in local_topics(tokens, q)``, asking only the price words.
    """
    window = tokens[max(0, q.start - 30): q.end + 20]
    return find("topics.price", window) is not None


def local_topics(tokens: str, q: Quantity) -> set[str]:
    """Topics right around a number ("a tariff of $15.67", "$2 per tonne")."""
    return topics_of(tokens[max(0, q.start - 30): q.end + 20])


def segment_of(tokens: str, q: Quantity) -> str:
    """Return the text a number is read with: its clause, minus parentheses it is not in."""
    start, clause = clause_of(tokens, q.start)
    a, b = q.start - start, q.end - start
    spans = _brackets(clause)
    i = bisect.bisect_right(spans, (a, len(clause) + 1)) - 1  # the last bracket opened by a
    if i >= 0 and b <= spans[i][1]:
        # "Transfers from Russia (averaging over $1bn a year) make up 7% of the budget": a
        # number in brackets is read with what comes before it, not after
        span = spans[i]
        head = clause[: span[1]]
        return _PAREN.sub(lambda m: m.group(0) if m.span() == span else " ", head)
    return _unbracketed(clause)


# A clause's brackets and its text without them, read once for all its numbers (per number,
# a long sentence's numbers made it quadratic).
@lru_cache(maxsize=16)
def _brackets(clause: str) -> tuple[tuple[int, int], ...]:
    return tuple(m.span() for m in _PAREN.finditer(clause))


@lru_cache(maxsize=16)
def _unbracketed(clause: str) -> str:
    return _PAREN.sub(" ", clause)


_TOPIC_PREP = re.compile(r"\b(?:over|about|against|regarding|concerning|with regard to)\s+"
                         r"(?:the\s+)?$", re.I)


def flow_of(tokens: str, case: Case, sentence: str = "") -> tuple[str, str] | None:
    """Return (exporter, importer) of the goods flow a text speaks of, or None if unclear.

    ``sentence`` (the whole sentence of a clause) supplies the other end when the clause
    names only one ("Azerbaijan bought $2.1bn ... and sold $0.9bn on the Russian market").
    """
    return _flow_of(tokens, case.sender, case.target, sentence)


# asked by several rules for each number of a clause: read once per clause and pair
@lru_cache(maxsize=64)
def _flow_of(tokens: str, sender: str, target: str, sentence: str) -> tuple[str, str] | None:
    exporters: set[str] = set()
    importers: set[str] = set()
    for rx in _flow_patterns()[0]:
        exporters.update(m.group(1) for m in rx.finditer(tokens))
    for rx in _flow_patterns()[1]:
        importers.update(m.group(1) for m in rx.finditer(tokens))
    # a country named only as a topic ("the clash over Taiwan", "sanctions against Russia")
    # is not an end of the flow
    named = {c for c in set(_C_RX.findall(tokens)) | set(_C_RX.findall(sentence))
             if not all(_TOPIC_PREP.search(t[:m.start()]) for t in (tokens, sentence)
                        for m in re.finditer(rf"⟦{c}⟧", t))}
    pair = {sender, target}
    if len(exporters) > 1 or len(importers) > 1:
        return None
    exp = next(iter(exporters), None)
    imp = next(iter(importers), None)
    # One end named as such and the other only mentioned: the other is the partner.
    if exp and not imp:
        others = named - {exp}
        # the sender alone: its exports to the target ("Russia supplied $2bn of grain"); the
        # target alone, its exports to the sender only when the sentence points back ("it
        # accounted for 98% of Azerbaijan's exports"), else to all ("In 2019, Australia
        # exported $64 billion worth of coal", read by the total rules)
        imp = next(iter(others)) if len(others) == 1 else (
            next(iter(pair - {exp})) if exp in pair and not others and (
                exp == sender or find("context.anaphora", tokens)) else None)
    if imp and not exp:
        others = named - {imp}
        exp = next(iter(others)) if len(others) == 1 else (
            next(iter(pair - {imp})) if imp in pair and not others else None)
    if not exp or not imp or exp == imp:
        return None
    return exp, imp


_RANK_PARTICIPLE = re.compile(r",\s*(?:accounting for|representing|making up|taking|"
                              r"with a share of|importing|buying|purchasing)\b|"
                              r"\bwith\s+a\s+(?:market\s+|trade\s+)?share\s+of\b", re.I)
#: key of ``Parsed.memo`` for (owner, partner, flow) of the partner the sentence ranks
#: (set by :func:`geolever.claims.rankings.rank_claims`)
RANKED = ("ranked_partner",)
_OF_TURNOVER = re.compile(r"\b(?:of|in)\s+(?:the|this|that|this year's|that year's)\s+"
                          r"(?:total\s+)?(?:trade\s+)?turnover\b", re.I)
_BETWEEN = re.compile(
    rf"(?:turnover|trade)\s+(?:[\w-]+\s+){{0,2}}?between\s+{C}\s+and\s+(?:the\s+)?{C}|"
    rf"{C}(?:'s)?\s+(?:[\w-]+\s+){{0,3}}?(?:turnover|trade)\s+with\s+(?:the\s+)?{C}", re.I)


def turnover_pair(tokens: str, case: Case) -> tuple[str, str] | None:
    """Return (reporter, partner) of a trade turnover between two named countries, or None.

    The reporter is the case's target when it is one of the two, else the first named:
    "turnover between Azerbaijan and Turkey" -> (AZE, TUR); its "exports" are the reporter's
    exports to the partner, its "imports" the reporter's imports from the partner.
    """
    pairs = {(m.group(1) or m.group(3), m.group(2) or m.group(4))
             for m in _BETWEEN.finditer(tokens)}
    if len(pairs) != 1:
        return None
    a, b = pairs.pop()
    if a == b:
        return None
    return (b, a) if b == case.target else (a, b)


@cache
def _flow_patterns() -> tuple[tuple[re.Pattern[str], ...], tuple[re.Pattern[str], ...]]:
    exp_nouns = r"(?:exports?|sales|shipments|deliveries|supplies)"
    exporters = (
        rf"{C}(?:'s)?\s+(?:[\w-]+\s+){{0,3}}?{exp_nouns}\b",
        rf"{exp_nouns}\s+(?:of\s+(?:[\w-]+\s+){{0,3}}?)?from\s+{C}",
        rf"{C}\s+(?:[\w-]+\s+){{0,2}}?(?:exported|exports|sells|sold|ships|shipped|"
        rf"supplies|supplied|delivered|sent goods)\b",
        rf"(?:imports?|purchases|bought|buys|took|takes|come|comes|came)\s+(?:[\w$.,%-]+\s+)"
        rf"{{0,6}}?from\s+{C}",
        rf"{C}\s+(?:[\w-]+\s+){{0,3}}?(?:providing|provides|supplying|supplies)\b",
        rf"{C}\s+(?:is|was|remains|remained|became)\s+(?:the\s+|a\s+)?(?:{C}(?:'s)?\s+)?"
        rf"(?:[\w-]+\s+){{0,2}}?(?:supplier|exporter|seller)\b",
    )
    importers = (
        rf"\b(?:to|into)\s+(?:the\s+)?{C}",
        # "Russia-bound exports", "cargo bound for China"
        rf"{C}-bound\b",
        rf"\b(?:bound|destined)\s+for\s+(?:the\s+)?{C}",
        rf"\bon\s+the\s+{C}\s+market",
        rf"{C}(?:'s)?\s+markets?\b",
        rf"{C}\s+(?:[\w-]+\s+){{0,2}}?(?:imported|imports|buys|bought|purchased|"
        rf"purchases|takes|took|receives|received|absorbs|absorbed|accounted|accounts)\b",
        rf"{C}(?:'s)?\s+(?:[\w-]+\s+){{0,3}}?imports\b",
        rf"\b(?:in|of)\s+{C}(?:'s)?\s+(?:[\w-]+\s+){{0,2}}?imports\b",
        rf"{C}'s\s+(?:[\w-]+\s+){{0,2}}?(?:supplier|exporter|seller)\b",
        rf"\b(?:imports?|supplies)\s+(?:of\s+(?:[\w-]+\s+){{0,3}}?)?(?:in)?to\s+{C}",
        # "Wine trade with Russia was responsible for 80-90% of the total wine exports": the
        # partner of the exports the share is of
        rf"\btrade\s+with\s+{C}(?=.*\bof\s+(?:the\s+)?(?:total\s+)?(?:[\w-]+\s+)?exports\b)",
    )
    return (tuple(re.compile(p, re.I) for p in exporters),
            tuple(re.compile(p, re.I) for p in importers))


# "of GDP in Tajikistan", "remittance receipts in Tajikistan": the receiver, not the origin
_WHOLE_OR_RECEIPT = re.compile(r"\b(?:gdp|economy|budget|product|receipts?|received|inflows?)"
                               r"\s+$", re.I)


_SOURCE_OF = re.compile(rf"{C},?\s+(?:is|was|remains|remained|became|has been|being|as)\s+"
                        rf"(?:the|a|its|their)\s+(?:[\w-]+\s+){{0,2}}?(?:source|origin)\s+of\b|"
                        # the subject of "accounts for", not "remittances to A and B account for"
                        rf"(?:^|[.;:,]\s*|\b(?:while|whereas|but)\s+)(?:the\s+)?{C}\s+"
                        rf"(?:alone\s+)?(?:accounts?|accounted|accounting)\s+for\b", re.I)


_DEMONYM_MONEY = re.compile(rf"{C}(?:'s)?\s+(?:personal\s+)?(?:remittances?|money\s+transfers)\b")
_ORIGIN_CUE = re.compile(r"\b(?:on|of|from|by|with|upon)\s+(?:the\s+)?$", re.I)
_TO_COUNTRY = re.compile(rf"\s+(?:\w+\s+){{0,2}}?(?:to|into)\s+(?:the\s+)?{C}")


def remittance_source(tokens: str, carried: str | None = None) -> set[str]:
    """Countries the money comes from: "from Russia", "Russia sent", "in Russia"."""
    # "from Russia"; not "mostly from Russia", which says where most of a total came from
    sources = {m.group(1) for m in re.finditer(
        rf"(?<!mostly )(?<!mainly )(?<!largely )(?<!chiefly )(?<!primarily )(?<!notably )"
        rf"(?<!predominantly )(?<!especially )(?<!including )\bfrom\s+(?:(?:the\s+)?\w+\s+)"
        rf"{{0,2}}?{C}(?!\s+{people_abroad()})", tokens)}
    sources |= {m.group(1) for m in re.finditer(
        rf"{C}(?!\s+{people_abroad()})\s+"
        rf"(?:\w+\s+){{0,2}}?(?:sent|sends|transferred|transfers|remitted)\b", tokens)}
    # "the share of Russia in the transfers", "Russia's share": the sender whose share it is
    sources |= {next(g for g in m.groups() if g) for m in re.finditer(
        rf"\bshare\s+of\s+(?:the\s+)?{C}|{C}(?:'s)?\s+(?:share|contribution)\b", tokens)}
    # "Russia remains the dominant source of remittances", "Russia accounts for 70% of
    # remittances to Tajikistan": the country that is their source
    sources |= {next(g for g in m.groups() if g) for m in _SOURCE_OF.finditer(tokens)}
    # "dependence on Russian remittances", "Russian remittances to Tajikistan": the demonym
    # before the money names its origin; as the subject alone ("Mexican remittances last year
    # were $23 billion") it names the receiver, whose remittances they are
    sources |= {m.group(1) for m in _DEMONYM_MONEY.finditer(tokens)
                if _ORIGIN_CUE.search(tokens, 0, m.start()) or _TO_COUNTRY.match(tokens, m.end())}
    if not sources:
        # "citizens working in Russia"; not the whole's country ("of GDP in Tajikistan")
        sources = {next(g for g in m.groups() if g) for m in re.finditer(
            rf"\bin\s+{C}|{C}-based", tokens)
            if not _WHOLE_OR_RECEIPT.search(tokens[max(0, m.start() - 12):m.start()])}
    if not sources and carried:
        sources = {carried}
    return sources


# "from the country", "in this Gulf country" (after the people who work there): a country
# named before in the sentence, not the one the article is about
_BACK_COUNTRY = re.compile(
    r"(?:\bfrom|(?:⟦[A-Z]{3}⟧|\b(?:earners|workers|migrants|nationals|citizens|expatriates|"
    r"expats|emigrants|immigrants|diaspora|employed|working|living|residing|based))\s+in)\s+"
    r"(?:the|this|that)\s+(?:[\w-]+\s+){0,2}?(?:country|kingdom|emirate|nation)\b", re.I)


def _country_referred_to(tokens: str, case: Case) -> str | None:
    """Return the country "from the country" / "in this Gulf country" points back to, or None.

    The last country named before the phrase that is not the case's target (the receiver of
    the money); None when there is no such phrase or no such country ("the country" alone,
    in a sentence naming only the target, is the target).
    """
    m = _BACK_COUNTRY.search(tokens)
    if m is None:
        return None
    before = [c for c in _C_RX.findall(tokens, 0, m.start()) if c != case.target]
    return before[-1] if before else None


_WITH_IN_REMITTANCES = re.compile(rf"{C}[^,;()⟦]{{0,60}}?\bwith\s+(?:an?\s+)?(?:\w+\s+){{0,2}}?"
                                  rf"(?:US|USD|US\$|\$)?\s?\d[^,;()]{{0,24}}?\bin\s+"
                                  rf"remittances\b", re.I)


def _receiver(tokens: str) -> set[str]:
    """Countries the money goes to: "X received", "to X", "X recorded ...", "X's inflows"."""
    found = {next(g for g in m.groups() if g) for m in re.finditer(
        rf"{C}(?:'s)?\s+(?:\w+\s+){{0,2}}?(?:receive|received|receives|gets|got|recorded|"
        rf"registered|attracted|inflows?|receipts?)\b|\bto\s+(?:the\s+)?(?:\w+\s+){{0,3}}?{C}|"
        rf"\breceived\s+(?:\w+\s+){{0,2}}?by\s+(?:the\s+)?{C}|"
        rf"\b(?:received|receipts?|inflows?)\s+in\s+(?:the\s+)?{C}",
        tokens)} if receiving(tokens) or " to " in tokens else set()
    # "Mexican remittances last year were $23 billion": the receiver's own remittances
    found |= {m.group(1) for m in _DEMONYM_MONEY.finditer(tokens)
              if not (_ORIGIN_CUE.search(tokens, 0, m.start())
                      or _TO_COUNTRY.match(tokens, m.end()))}
    # "Salvadoran emigrants sent home $3.7 billion": the country the people come from
    found |= set(re.findall(rf"{C}\s+{people_abroad()}(?:\s+\S+){{0,6}}?\s+(?:sent|send|"
                            rf"sends|sending|remitted|remit|remits|wired|transferred)\b", tokens))
    if not found and re.search(r"\b(?:the|this) country\s+(?:\w+\s+){0,2}?(?:received|receives|"
                               r"got|gets)\b|\bto the country\b", tokens):
        found = {"<the country>"}
    return found


def product_of(text: str) -> str | None:
    """Return the product a trade claim is about (``claim_rules.yaml`` products), or None."""
    low = text.lower()
    if not keyword_search(prepared_all("products"), text, low):
        return None  # one search when no product is named (the usual case)
    found = [code for code in rules()["products"]
             if keyword_search(prepared_list(f"products.{code}"), text, low)]
    if "non_oil" in found:
        return "non_oil"  # "non-oil products" names oil products only to leave them out
    # "fruit and vegetables" also names "fruit": keep the most specific single match.
    if len(found) > 1 and "food" in found:
        found.remove("food")
    # "crude oil and other hydrocarbon products": the fuels named as a whole, not crude only
    # (the fuels are the energy group's members in ``reference/products.csv``)
    if len(found) > 1 and "energy" in found and all(
            product_table().get(code, {}).get("group") == "energy" for code in found):
        found = ["energy"]
    if len(found) > 1:
        raise SkipError(f"several products named ({', '.join(found)}): which one is meant "
                        f"is unclear")
    return found[0] if found else None


def _whole_of_share(text: str, case: Case) -> str:
    """Whose total trade a share is of ("in Russian foreign trade" -> RUS), default target."""
    m = re.search(rf"(?:of|in)\s+(?:the\s+)?{C}(?:'s)?\s+(?:[\w-]+\s+){{0,3}}?(?:trade|"
                  rf"turnover)", text)
    return m.group(1) if m else case.target


def _fits(rule: dict[str, object], text: str, topics: set[str], assets: list[str],
          case: Case, sentence: str = "", carried: str | None = None,
          carried_flow: str = "", rank_flow: tuple[str, str] | None = None,
          carried_total: bool = False) -> tuple[str, str] | bool | None:
    """Whether a rule fits; for flow rules the (country, partner) it fits, else True/False."""
    if rule.get("asset") == "one" and len(set(assets)) != 1:
        return False
    if rule.get("asset") == "none" and assets:
        return False
    flow = rule.get("flow")
    if flow == "none" and flow_of(text, case, sentence) is not None:
        return False  # a total, but the sentence names a partner
    if flow == "alone":
        # "In 2019, Australia exported $64 billion worth of coal": the target's exports, no
        # partner named here, in the sentence or in the flow carried from before
        named = set(_C_RX.findall(text)) | set(_C_RX.findall(sentence))
        return named == {case.target} and not carried_flow and rank_flow is None and not \
            find("context.anaphora", text) and bool(
            re.search(rf"⟦{case.target}⟧(?:'s)?\s+(?:[\w-]+\s+){{0,2}}?(?:exported|exports|sold|"
                      rf"shipped)\b", text))
    if flow == "own":
        # "the $29.3 billion in export revenues that ... Pemex obtained from its exports of
        # crude oil": the target's own product exports, the target the only country named
        named = set(_C_RX.findall(text)) | set(_C_RX.findall(sentence))
        return named == {case.target} and not carried_flow and rank_flow is None and \
            flow_of(text, case, sentence) is None
    if flow in ("target_to_sender", "sender_to_target"):
        pair = flow_of(text, case, sentence)
        if pair is None and not _C_RX.search(text) and not _C_RX.search(sentence) and \
                carried_flow:
            sentence = carried_flow  # "The imports amounted to $45bn": the flow named before
        if pair is None and not _C_RX.search(text) and sentence:
            # "Georgian exports to Russia were $657m, while imports totalled $1.8bn": the
            # clause's flow is the sentence's, reversed when it speaks of the other direction
            whole = flow_of(sentence, case)
            own = topics & {"exports", "imports"}
            if whole is not None and len(own) == 1:
                exporter_side = re.search(r"\b(?:exports?|exported|sold|sales)\b", sentence,
                                          re.I)
                pair = whole if ("exports" in own) == bool(exporter_side) else whole[::-1]
        if pair is None and not _C_RX.search(text) and sentence:
            # "Turnover between Azerbaijan and Turkey was $4.1bn. Of the total turnover,
            # exports amounted to $2.5bn": the first country's (or the target's) exports
            own = topics & {"exports", "imports"}
            between = turnover_pair(sentence, case)
            if between is not None and len(own) == 1:
                pair = between if "exports" in own else between[::-1]
        if pair is None and rank_flow is not None:
            pair = rank_flow  # "X was Y's largest customer, accounting for 27% of ..."
        if pair is None:
            return False
        exporter, importer = pair
        if flow == "target_to_sender":
            return exporter, importer  # country = exporter, partner = importer
        return importer, exporter  # country = importer (the "target" role), partner = exporter
    src = rule.get("source")
    if src:
        sources = remittance_source(text, carried)
        if len(sources) > 1:
            sources -= {case.target}  # "Tajik remittances from Russia": the receiver's name
        elif sources == {case.target} and not _receiver(text) - sources:
            # "a central role in Kyrgyzstan's economy": the receiver, not where the money is from
            sources = set()
        if src == "sender":
            if len(sources) != 1:
                return False
            receivers = _receiver(text) - sources - {"<the country>"}
            return (next(iter(receivers)) if len(receivers) == 1 else case.target,
                    next(iter(sources)))
        if src == "none" and not (topics & {"total_word", "abroad_home"}) and (
                sources or (not (_receiver(text) or receiving(text) or carried_total
                                 or _WITH_IN_REMITTANCES.search(sentence)
                                 or _SHARE_OF_WHOLE.search(sentence))
                            and rule["kind"] != "pct")):
            # a share of GDP names its whole: no receiver needed when no sender is named; an
            # amount needs the receiver's view: its inflows, "X received", or the receiver's
            # total discussed before ("In May alone, remittances totaled $299 million")
            return False
    return True


# Lists of one figure per country: "Uzbekistan - $2,9 billion, Tajikistan - $2,5 billion",
# "Lebanon – 54 percent", "45% of Tajikistan GDP and 38% of Moldavia GDP", "31.3 percent of
# GDP for Tajikistan and 32.9 percent for Kyrgyzstan", "in A and B ... 34 and 33 percent,
# respectively".
_ITEM_BEFORE = re.compile(rf"{C}\s*[-–—:(]\s*(?:about\s+|around\s+|almost\s+|nearly\s+|"
                          rf"some\s+|over\s+)?(?:US)?$")
_ITEM_AFTER = re.compile(rf"\s*(?:of\s+(?:the\s+)?{C}(?:'s)?\s+(?:gdp|gross domestic product)|"
                         rf"(?:of\s+(?:the\s+)?(?:gdp|gross domestic product)\s+)?(?:for|in)\s+"
                         rf"(?:the\s+)?{C})", re.I)
# one figure for each of two countries: "17 percent of the GDP of each of A and B"
_EACH_OF = re.compile(rf"\s*of\s+(?:the\s+)?(?:gdp|gross domestic product)\s+of\s+each\s+of\s+"
                      rf"(?:the\s+)?{C}\s+and\s+(?:the\s+)?{C}", re.I)
# "..., and 12 percent in the case of Guatemala": the country of the figure before it
_IN_THE_CASE = re.compile(rf"\s*in\s+the\s+case\s+of\s+(?:the\s+)?{C}", re.I)
_RESPECTIVELY = re.compile(r"\brespectively\b", re.I)
_FROM_ALL = re.compile(r"\bfrom\s+(?:all\s+(?:countries|sources)|abroad)\b|\bworldwide\b", re.I)


def listed_country(parsed: Parsed, q: Quantity) -> str | None:
    """Return the country a figure of a list (one figure per country) is about, or None.

    Only in a sentence with two or more figures of the same kind: the country just before
    the figure and a dash, colon or bracket ("Russia ($7.1bn)"), the country right after it
    ("of Tajikistan GDP", "for Kyrgyzstan", "from Kuwait"), or with "respectively" the
    country in the same place among those named before the first figure.
    """
    item = _list_item(parsed, q)
    return item[0] if item else None


def listed_sender(parsed: Parsed, q: Quantity) -> bool:
    """Whether the country of a list's figure is where the money comes from, not its receiver.

    "$337.98 million from Kuwait, $310.06 million from Oman": each item names its sender.
    (A list whose first item follows "from", "remittances from Spain (10.58%), Haiti
    (1.41%) ...", is not read so yet and stays unchecked.)
    """
    item = _list_item(parsed, q)
    return item is not None and item[1] == "from"


def _receivers_listed(parsed: Parsed, kind: str) -> int:
    """How many different countries the list items of one kind of figure name."""
    key = ("listed_countries", kind)
    found = parsed.memo.get(key)
    if not isinstance(found, int):
        found = parsed.memo[key] = len({item[0] for item in (
            _list_item(parsed, p) for p in _same_kind(parsed, kind)) if item})
    return found


_ITEM_FROM = re.compile(rf"\s*from\s+(?:the\s+)?{C}")
# an item of a "from" list whose "from" the writer left out: "$310.06 million from Oman,
# $180.86 million Bahrain, $118.14 million from Qatar" -- the country right after the figure,
# then the list goes on or ends
_ITEM_BARE = re.compile(rf"\s+(?:the\s+)?{C}(?=\s*(?:,|;|\.|$|\s+and\b))")
# "followed by the US at 22.9 percent and Saudi Arabia at 11.6 percent": the country of each
# item right before "at"; a sender when the list follows the first sender named ("came from
# the UAE, followed by ..."), a receiver otherwise
_ITEM_AT = re.compile(rf"{C}\s+at\s+(?:about\s+|around\s+|almost\s+|nearly\s+|some\s+|"
                      rf"over\s+)?(?:US)?$")
_FOLLOWED = re.compile(r"\bfollowed\s+by\b", re.I)
_FROM_BEFORE = re.compile(rf"\bfrom\s+(?:the\s+)?{C}[^;]*?\bfollowed\s+by\b", re.I)


def _list_item(parsed: Parsed, q: Quantity) -> tuple[str, str] | None:
    """Return (country, how it is named: before / respectively / after / from) or None."""
    same = _same_kind(parsed, q.kind)
    if len(same) < 2:
        return None
    tokens = parsed.tokens
    m = _ITEM_BEFORE.search(tokens[max(0, q.start - 24):q.start])
    if m:
        return m.group(1), "before"
    m = _ITEM_AT.search(tokens, max(0, q.start - 24), q.start)
    if m and _FOLLOWED.search(tokens, 0, m.start()):
        return m.group(1), "from" if _FROM_BEFORE.search(tokens, 0, m.start()) else "before"
    if _has_respectively(parsed) and _RESPECTIVELY.search(tokens[q.end:]):
        named = list(dict.fromkeys(_C_RX.findall(tokens[:same[0].start])))
        if len(named) >= len(same):
            return named[-len(same):][same.index(q)], "respectively"
    m = _ITEM_AFTER.match(tokens, q.end) or _EACH_OF.match(tokens, q.end) or \
        _IN_THE_CASE.match(tokens, q.end)
    code = next((g for g in m.groups() if g), None) if m else None
    if code:
        return code, "after"
    m = _ITEM_FROM.match(tokens, q.end)
    if m:
        return m.group(1), "from"
    m = _ITEM_BARE.match(tokens, q.end)
    if m and sum(1 for p in same if p is not q and _ITEM_FROM.match(tokens, p.end)) >= 2:
        return m.group(1), "from"  # the other items say where the money came from
    return None


# Parts of the list reading that are the same for every number of a sentence, read once per
# sentence: per number, a sentence with thousands of numbers made them quadratic (and the
# share before a list, which asks each later number, cubic).
def _same_kind(parsed: Parsed, kind: str) -> list[Quantity]:
    key = ("same_kind", kind)
    found = parsed.memo.get(key)
    if not isinstance(found, list):
        found = parsed.memo[key] = [p for p in parsed.quantities if p.kind == kind]
    return found


# "respectively" anywhere, even right after a number: where it is not, no slice holds it
_RESPECTIVELY_ANYWHERE = re.compile(r"respectively\b", re.I)


def _has_respectively(parsed: Parsed) -> bool:
    found = parsed.memo.get(("respectively",))
    if found is None:
        found = parsed.memo[("respectively",)] = bool(_RESPECTIVELY_ANYWHERE.search(
            parsed.tokens))
    return bool(found)


def _items_after(parsed: Parsed, q: Quantity) -> int:
    """How many numbers of another kind than ``q`` start after it and are a list's items."""
    key = ("item_starts", q.kind)
    starts = parsed.memo.get(key)
    if not isinstance(starts, list):
        starts = parsed.memo[key] = sorted(p.start for p in parsed.quantities
                                           if p.kind != q.kind and listed_country(parsed, p))
    return len(starts) - bisect.bisect_right(starts, q.end)


_MONTH_BEFORE = re.compile(r"\b(?:January|February|March|April|May|June|July|August|September|"
                           r"October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|"
                           r"Nov|Dec)\.?\s+$")
_YEAR_DASH = re.compile(r"\b(?:19|20)\d\d\s?[-–/]$")
_TOP_BEFORE = re.compile(r"\b(?:top|first|last)\s+$", re.I)
_GROUP_AFTER = re.compile(r"\s+(?:\w+\s+)?(?:recipients|countries|nations|economies|states|"
                          r"partners|senders|destinations)\b", re.I)
# one direction's share of a trade turnover named before it: "$6.8 billion, with Turkish
# exports comprising 76%"
_DIRECTION_WORDS = (r",\s*with\s+(?:(?:the\s+)?(?:⟦[A-Z0-9]{3,4}⟧(?:'s)?|its|their)\s+)?"
                    r"(?:exports|imports)\s+(?:comprising|accounting\s+for|making\s+up|"
                    r"representing|constituting)")
_DIRECTION_PART = re.compile(_DIRECTION_WORDS + r"\b", re.I)
_DIRECTION_SHARE = re.compile(_DIRECTION_WORDS + r"\s+(?:about\s+|around\s+|almost\s+|nearly\s+|"
                                                 r"some\s+|over\s+)?$", re.I)
# an estimate a revision replaced: "to $7.4bn from $7.45bn earlier", "from a previous
# estimate of $6.73bn"
_EARLIER_ESTIMATE = re.compile(r"\bfrom\s+(?:an?\s+|the\s+|its\s+)?(?:earlier|previous|prior|"
                               r"initial|original)\s+(?:estimate|figure|forecast)s?\s+of\s+"
                               r"(?:about\s+|around\s+)?(?:US)?$", re.I)
_FROM_BEFORE_FIGURE = re.compile(r"\bfrom\s+(?:US)?$", re.I)
_EARLIER_AFTER = re.compile(r"\s+(?:earlier|previously|before)\b(?!\s+(?:in|that|the))", re.I)
# the amount of a GDP: "a GDP of $1.1 trillion", "an economy worth $20 billion"
_GDP_AMOUNT = re.compile(r"\b(?:gdp|gross domestic product|economy)\s+(?:of|worth|valued\s+at|"
                         r"estimated\s+at)\s+(?:about\s+|around\s+|some\s+|nearly\s+|almost\s+|"
                         r"over\s+|just\s+)?(?:US)?\$?\s?$", re.I)
_MAGNITUDE_WORD = re.compile(r"(?:thousand|million|billion|trillion|bln|mln|bn|mn|m)\b", re.I)


def _names_other_subject(parsed: Parsed) -> bool:
    """Whether the sentence names a subject with no claim metric (asked once per sentence)."""
    key = ("other_subject",)
    if key not in parsed.memo:
        parsed.memo[key] = bool(_OTHER_SUBJECT.search(parsed.tokens))
    return bool(parsed.memo[key])


def set_aside_in_list(q: Quantity, parsed: Parsed) -> str:
    """Why a number is set aside before linking, beside ``text._set_aside`` ("" if not).

    A small bare count of the countries a list ranks ("the top three recipients were Lebanon
    – 54 percent, ..."): not an amount (other counts still leave the sentence unchecked);
    the two digits that end a span of years ("in 2006-07"). A share
    before a list of per-country figures ("Over 90 % of total sums were transferred from
    CIS countries: Uzbekistan - $2,9 billion, ..."): the share is of the total the list
    breaks down, a group's share, not a claim about one country.
    """
    if q.kind == "bare" and re.fullmatch(r"\d{1,2}", q.text) and _MONTH_BEFORE.search(
            parsed.tokens[max(0, q.start - 12):q.start]):
        return f"'{q.text}' is a day of the month"
    if q.kind == "bare" and re.fullmatch(r"\d\d", q.text) and _YEAR_DASH.search(
            parsed.tokens[max(0, q.start - 6):q.start]):
        return f"'{q.text}' ends a span of years ('2006-07')"
    if q.kind == "bare" and q.value < 1000 and not _MAGNITUDE_WORD.search(q.text) and (
            _TOP_BEFORE.search(parsed.tokens[max(0, q.start - 12):q.start])
            or _GROUP_AFTER.match(parsed.tokens, q.end)) and any(
            p.kind in ("money", "pct", "mass") for p in parsed.quantities):
        return f"'{q.text}' counts the countries ranked, not an amount"
    if q.kind in ("money", "pct", "mass") and (_EARLIER_ESTIMATE.search(
            parsed.tokens, max(0, q.start - 60), q.start) or (_FROM_BEFORE_FIGURE.search(
            parsed.tokens, max(0, q.start - 8), q.start) and _EARLIER_AFTER.match(
            parsed.tokens, q.end))):
        # "revised to $7.4bn from $7.45bn earlier", "from an earlier estimate of $6.73bn": the
        # figure the revision replaced, not a claim of the text
        return f"'{q.text}' is an earlier estimate that the text says was revised"
    if q.kind == "money" and _GDP_AMOUNT.search(parsed.tokens, max(0, q.start - 40), q.start):
        # "only about 2% of a GDP of $1.1 trillion": the whole a share is of, not a flow
        return f"'{q.text}' is the size of an economy (its GDP): no claim metric for it"
    if q.kind == "money" and _names_other_subject(parsed):
        seg = segment_of(parsed.tokens, q)
        m = _OTHER_SUBJECT.search(seg)
        if m is not None and not topics_of(seg) & SUBJECT_TOPICS:
            # "... more funds than foreign direct investment in Mexico ($30.7 billion)"
            return f"'{q.text}' is {m.group(0)}: no claim metric for it"
    if q.kind == "pct":
        split = _DIRECTION_SHARE.search(parsed.tokens, max(0, q.start - 80), q.start)
        if split is not None and "turnover" in topics_of(parsed.tokens[:split.start()]):
            # "Bilateral trade amounted to $6.8 billion, with Turkish exports comprising 76%":
            # the share of one direction in the trade before it
            return f"'{q.text}' is the share of one direction in the trade before it: no " \
                   f"claim metric for it"
    if q.kind != "pct" or listed_country(parsed, q):
        return ""
    if _items_after(parsed, q) < 2:
        return ""
    return f"'{q.text}' is the share of a group in the total that the list breaks down"


_RELATIVE = re.compile(r"\s*,?\s*(?:which|that|this)\s+(?:is|was|are|were|represents?|"
                       r"represented|accounts?\s+for|accounted\s+for|amounts?\s+to|amounted\s+to|"
                       r"makes?\s+up|made\s+up|equals?|equalled|constitutes?|constituted)\b", re.I)
# an amount and the bracket its share opens: "$2.4 billion (14% of GDP)", "$1.2 bn (4.4%"
_SHARE_IN_BRACKETS = re.compile(r"\d(?:[\d.,]*\d)?\s*(?:trillion|billion|million|bn|mn|m)?\s*\(\s*"
                                r"(?:about\s+|around\s+|almost\s+|nearly\s+|some\s+|over\s+|"
                                r"less\s+than\s+|more\s+than\s+)?$", re.I)
# the share an amount is the whole of: "29 per cent of the $10.9 billion"
_WHOLE_OF_SHARE = re.compile(r"\d(?:[\d.,]*\d)?\s?(?:%|percent|per cent)\s+of\s+(?:the\s+|its\s+|"
                             r"their\s+)?(?:total\s+(?:of\s+)?)?(?:some\s+|about\s+|around\s+)?"
                             r"(?:US)?$", re.I)
_FIGURE_TOPICS = frozenset({"remittances", "exports", "imports", "turnover", "oil", "transit",
                            "budget"})
_SHARE_OF_WHOLE = re.compile(r"\d(?:[\d.,]*\d)?\s?(?:%|percent|per cent)\s+of\s+(?:the\s+|its\s+|"
                             r"their\s+|⟦[A-Z0-9]{3,4}⟧'s\s+|the\s+country's\s+)?(?:\w+\s+)?"
                             r"(?:gdp|gross domestic product|budget|economy)\b", re.I)
# the whole of a share: "or 60% of the total", "62 percent of all transfers"
_SHARE_OF_TOTAL = re.compile(r"\d(?:[\d.,]*\d)?\s?(?:%|percent|per cent)\s+of\s+(?:the\s+)?"
                             r"(?:total|all|overall)\b", re.I)
# the whole right after a part: "$3.6 billion out of the total $5.1 billion", "$2 billion of
# a total of $6 billion": the total is the whole's word, not the part's
_OUT_OF_WHOLE = re.compile(r"\s*,?\s*(?:out\s+of\s+(?:a\s+|the\s+)?|of\s+(?:a|the)\s+)"
                           r"(?:overall\s+)?total\s+(?:of\s+)?(?:about\s+|around\s+|some\s+|nearly\s+|"
                           r"almost\s+|over\s+)?(?:US\$|\$|USD\s?)\s?\d[\d.,]*(?:\s*(?:trillion|"
                           r"billion|million|bn|mn|m)\b)?", re.I)
# subjects with no claim metric, which a number's own clause may be about
_OTHER_SUBJECT = re.compile(r"\b(?:foreign direct investments?|direct investments?|FDI|"
                            r"investments?|loans?|debts?|(?:foreign|currency) reserves|"
                            r"(?:humanitarian|development|foreign|military) aid)\b", re.I)
# a part of the amount just before it: ", $2.2 billion of which were sent from Russia"
_PART_AFTER = re.compile(r",\s*(?:and\s+)?(?=(?:US)?\$\s?[\d.,]+\s*(?:[a-z]+\s+)?"
                         r"(?:of which|of them)\b)|"
                         # "total exports of $433.1 billion, of which $3.6 billion ... were
                         # destined for Azerbaijan"
                         r"(?:,\s*|\s+)(?=(?:of which|of them)\s+(?:about\s+|around\s+|nearly\s+|"
                         r"almost\s+|some\s+|over\s+)?(?:US)?\$\s?\d)|"
                         # "exported goods valued at $26.6 billion, with $1.2 billion, or 4.4%
                         # of the total, going to Russia": the part and where it went
                         r",\s*(?=with\s+(?:about\s+|around\s+|nearly\s+|almost\s+|some\s+|"
                         r"over\s+)?(?:US\$|\$|USD\s?)\s?\d[^;]{0,80}?\b(?:going|directed|"
                         r"destined|sent|shipped|bound|exported|coming|originating)\s+"
                         r"(?:to|for|from)\b)", re.I)
# A part of a country: "In some Mexican states, they can represent as much as 10% of total
# revenues", "in the region of Khatlon", "in Sughd province" (not "the Baltic states", "the
# United States" or "the Central Asia region", which are countries or groups of them)
_SUB_CUES = re.compile(r"\b(?:states|regions|provinces?|oblasts?|districts?|municipalit|"
                       r"count(?:y|ies)|prefectures?|governorates?|region of|state of)", re.I)
_SUBNATIONAL = re.compile(
    r"\b(?i:in|for|of|across|to)\s+(?i:the\s+)?(?i:some|many|several|certain|a\s+few|most|"
    r"poorer|poorest|richer|rural|remote|border|southern|northern|eastern|western|central)\s+"
    r"(?:(?i:of\s+the\s+)?⟦[A-Z]{3}⟧(?:'s)?\s+)?(?:[a-z-]+\s+)?(?i:states|regions|provinces|"
    r"oblasts|districts|municipalities|counties|prefectures|governorates)\b|"
    r"\b(?i:in|for|of|to)\s+(?:the\s+)?[A-Z][a-z-]+\s+(?i:province|oblast|district|county|"
    r"prefecture|governorate)\b|\b(?i:the\s+)?(?i:region|province|state)\s+of\s+[A-Z][a-z-]+")
# "trade between Tatarstan and Kazakhstan": one side is a region, not a country
_NOT_A_COUNTRY = re.compile(rf"\bbetween\s+(?!the\b|its\b|their\b)([A-Z][\w-]+)\s+and\s+"
                            rf"(?:the\s+)?{C}")
_AVERAGE = re.compile(r"\bon\s+average\b|"
                      r"\baverage\s+(?:(?:size|amount|value|sum)\s+of\s+(?:an?\s+|the\s+|one\s+)?)?"
                      r"(?:money\s+|cash\s+)?(?:transfers?|remittances?|transactions?)\b|"
                      r"\bper\s+(?:transfer|transaction|remittance|person|individual|capita)\b|"
                      r"\blimits?\s+(?:\w+\s+){0,6}?(?:to|of)\b", re.I)
# the size of a difference: "remittances from Russia exceeded transfers to Russia by $257m"
_BY_DIFFERENCE = re.compile(r"\b(?:exceed\w*|surpass\w*|outstrip\w*|more than|less than|"
                            r"higher than|lower than)\b[^.;]{0,80}\bby\s+(?:about\s+|some\s+|"
                            r"almost\s+|nearly\s+|over\s+|an\s+amount\s+(?:equal\s+to|of)\s+)?"
                            r"(?:US)?\$?\s*$", re.I)


# A figure with its own flow noun, joined to a figure of the other direction: "$5.4 billion
# in exports to Israel and $1.64 billion in imports", "exports to Turkey amounted to 20.1
# billion euros, with imports totaling 11.7 billion euros", "89 percent of Mongolia's exports
# and 26 percent of its imports": the second is the same pair's other direction.
_OWN_NOUN_AFTER = re.compile(r"\s*(?:worth\s+)?(?:in|of)\s+(?:(?:its|their|the\s+country's)\s+)?"
                             r"(exports|imports)\b", re.I)
_OWN_NOUN_BEFORE = re.compile(r"\b(exports|imports)\s+(?:totall?ing|totall?ed|amounting\s+to|"
                              r"amounted\s+to|worth|reaching|reached|stood\s+at|of|at|were|was)"
                              r"\s+(?:about\s+|around\s+|nearly\s+|almost\s+|some\s+|over\s+)?"
                              r"(?:US)?$", re.I)
_JOINED = re.compile(r"(?:,\s*|\s+)(?:and|with)\s+", re.I)
_OTHER_NOUN = {"exports": re.compile(r"\bimports\b", re.I),
               "imports": re.compile(r"\bexports?\b", re.I)}


def other_direction(parsed: Parsed, q: Quantity) -> str | None:
    """Return the piece of its clause a figure of the other trade direction is read with.

    "Turkey reported $5.4 billion in exports to Israel and $1.64 billion in imports": the
    figure's own noun ("in imports", "imports totaling"), after "and" / "with" and a figure
    of the same kind whose flow names the other noun, with no country of its own: the piece
    from "and" on (read with the sentence's flow, reversed). None when it is not so.
    """
    tokens = parsed.tokens
    start, clause = clause_of(tokens, q.start)
    after = _OWN_NOUN_AFTER.match(tokens, q.end)
    before = None if after else _OWN_NOUN_BEFORE.search(tokens, max(start, q.start - 40),
                                                         q.start)
    own = after or before
    if own is None:
        return None
    noun = own.group(1).lower()
    joins = list(_JOINED.finditer(tokens, start, before.start() if before else q.start))
    if not joins:
        return None
    cut = joins[-1].start()
    head, piece = tokens[start:cut], tokens[cut:start + len(clause)]
    if _C_RX.search(piece) or not _OTHER_NOUN[noun].search(head) or re.search(
            rf"\b{noun}\b", head, re.I):
        return None
    if not any(p.kind == q.kind and start <= p.start and p.end <= cut
               for p in parsed.quantities):
        return None
    return piece


_INSTITUTION = re.compile(rf"{C}(?:'s)?\s+(?:[\w-]+\s+){{0,3}}?(?:bank|committee|service|office|"
                          r"ministry|agency|statistics|customs|government|administration)\b",
                          re.I)


@lru_cache(maxsize=64)
def _institution_country(holder: str) -> tuple[str, ...]:
    """Return the country of a national institution holding a claim ("Russia's Central Bank").

    Empty unless the holder is one country's bank, ministry, customs or statistics office.
    """
    if not holder:
        return ()
    tokens = tokenise(normalise(holder))[0]
    found = tuple(dict.fromkeys(m.group(1) for m in _INSTITUTION.finditer(tokens)))
    return found if len(found) == 1 and len(set(_C_RX.findall(tokens))) == 1 else ()


@cache
def _rules_of_kind() -> dict[str, tuple[tuple[dict[str, Any], frozenset[str], frozenset[str]],
                                        ...]]:
    """Return the linking rules by number kind, in their order, with their topic sets made once.

    Each number of a text asked every rule for its kind and topics, building both sets of
    every rule again.
    """
    out: dict[str, list[tuple[dict[str, Any], frozenset[str], frozenset[str]]]] = {}
    for r in rules()["rules"]:
        out.setdefault(r["kind"], []).append((r, frozenset(r["require"]),
                                              frozenset(r["forbid"])))
    return {kind: tuple(rows) for kind, rows in out.items()}


def _asset_before(parsed: Parsed, q: Quantity, text: str) -> list[str]:
    """Return the one asset named before ``q`` that "it" / "the pipeline" of its clause means.

    "The pipeline has a capacity of 5 Mt a year, but it carried only 1.1 Mt in 2021": the
    asset of the sentence's earlier clause; [] when none or several were named before.
    """
    before = {m.code for m in parsed.mentions if m.kind == "asset" and m.start < q.start}
    if len(before) != 1 or not find("context.asset_anaphora", text):
        return []
    return list(before)


def _own_month(parsed: Parsed, q: Quantity) -> re.Match[str] | None:
    """Return the month stated right after ``q``, before any other number, or None.

    "Out of 278,900 tons transported during the first nine months ..., 79,760 tons were
    transported in September": the month is the second figure's, the nine months the first's.
    """
    m = _ONE_MONTH.search(parsed.tokens, q.end, q.end + 60)
    if m is None or any(q.end <= p.start < m.start() for p in parsed.quantities):
        return None
    return m


def link_quantity(q: Quantity, parsed: Parsed, reading: Reading, n_claims: int) -> TextClaim:
    """Link one quantity to a claim metric, or raise :class:`SkipError` with the reason."""
    case = reading.case
    start, clause = clause_of(parsed.tokens, q.start)
    # near the number, in its own clause ("the average transfer was $250, while exports hit
    # $2.1 billion": the exports are a total)
    if q.kind == "money" and _AVERAGE.search(clause, max(0, q.start - start - 60),
                                             q.end - start + 30):
        raise SkipError(f"'{q.text}' is an average, a limit or a per-person amount, not an "
                        f"annual total: no claim metric for it")
    if q.kind in ("money", "mass") and _BY_DIFFERENCE.search(parsed.tokens[:q.start]):
        raise SkipError(f"'{q.text}' is the size of a difference between two figures, not a "
                        f"level")
    if q.kind == "bare":
        raise SkipError(f"'{q.text}' has no unit (not money, %, tonnes or barrels): a count, "
                        f"a reference or a rank, not a checkable amount")
    if q.kind == "pct_points":
        raise SkipError(f"'{q.text}' is a change in percentage points: changes are not checked")
    text = segment = segment_of(parsed.tokens, q)
    if _RELATIVE.match(segment) and not topics_of(segment) & _FIGURE_TOPICS:
        # "USD 6.6 billion in remittances, which is 31.3 percent of its GDP": the relative
        # clause is about the figure before it, which says what it is of
        at = parsed.tokens.find(segment)
        text = parsed.tokens[:at + len(segment)] if at >= 0 else segment
    split = _DIRECTION_PART.search(text) if q.kind == "money" else None
    if split is not None and text.find(q.text) < split.start():
        text = text[:split.start()]  # the turnover, without the share of one direction after it
    reverse = other_direction(parsed, q) if q.kind in ("money", "pct") else None
    if reverse is not None:
        text = _PAREN.sub(" ", reverse)  # its own piece, read with the sentence's flow
    # "accounting for 29 per cent of the $10.9 billion of goods exported": the amount is the
    # whole of the share, read from it on, without the flow or rank the share is about
    whole_of = _WHOLE_OF_SHARE.search(parsed.tokens, max(0, q.start - 40), q.start) if \
        q.kind == "money" else None
    if whole_of is not None:
        text = _PAREN.sub(" ", parsed.tokens[q.start:start + len(clause)])
    sub = _SUBNATIONAL.search(text) if _SUB_CUES.search(text) else None
    if sub is not None:
        where = _as_written(parsed, sub.group(0).strip())
        raise SkipError(f"'{q.text}': a figure for part of a country ('{where}'): the store "
                        f"has national figures only, not to be checked against them")
    if q.kind == "money" and "balance" in topics_of(text):
        raise SkipError(f"'{q.text}': {rules()['topic_reasons']['balance']}")
    if "aggregate" in topics_of(text) and not _C_RX.search(text):
        raise SkipError(f"'{q.text}' is a world or regional total, not one country's: no claim "
                        f"metric for it")
    part = _PART_AFTER.search(parsed.tokens)
    whole_topics: set[str] = set()
    whole_head = ""  # the text of the whole a part is of, for the part's figure
    sentence = parsed.tokens
    if part is not None and q.start < part.start():
        sentence = parsed.tokens[:part.start()]  # the total's ends: not the part's partner
    if whole_of is not None:
        part, sentence = None, text
        whole_topics = set() if _C_RX.search(text) else {"total_word"}
    if part is not None:
        # "$2.4 billion to their homeland, $2.2 billion of which were sent from Russia": the
        # total is read without its part, the part with its own sender and the total's topic
        in_part = q.start >= part.end()
        head = parsed.tokens[:part.start()]
        text = _PAREN.sub(" ", parsed.tokens[part.end():] if in_part else head)
        whole_topics = topics_of(head) & SUBJECT_TOPICS if in_part else set()
        whole_head = head if in_part else ""
    elif not topics_of(text) & {"remittances", "exports", "imports", "turnover", "budget",
                                "gdp", "oil", "transit", "share_of"} or (
            q.kind == "pct" and _SHARE_IN_BRACKETS.search(parsed.tokens, max(0, q.start - 40),
                                                          q.start)
            and not topics_of(text) & _FIGURE_TOPICS):
        # "Jamaica received $2.4 billion (14% of GDP)": a share in brackets right after an
        # amount is of what the amount is, named in the sentence
        text = _PAREN.sub(" ", parsed.tokens)  # a bare clause ("and sold $920.8m"): the sentence
        if _C_RX.search(segment):
            # "..., while Turkey's contribution dropped from USD 6.9 million": the sentence's
            # topic, but the countries of the number's own clause
            text = segment + " " + _C_RX.sub(" ", text.replace(segment, " ", 1))
    # "$24 billion in remittances, or 6.1% of GDP": the GDP is the share's whole, not a topic
    # of the amount
    own = _SHARE_OF_WHOLE.sub(" ", text) if q.kind in ("money", "mass", "oil_rate") else text
    topics = topics_of(own) | parsed.ctx_topics | whole_topics
    if "total_word" in parsed.ctx_topics - topics_of(text) and remittance_source(text):
        # "... 94% of total inflows. The NBKR reported USD 1.2 billion in transfers from
        # Russia": the sender named here, not the total of the sentence before
        topics.discard("total_word")
    if q.kind == "money" and "total_word" in topics_of(text) and "total_word" not in topics_of(
            _SHARE_OF_TOTAL.sub(" ", text)):
        # "$1.2 billion in 2021, or 60% of the total": the total is the share's whole
        topics.discard("total_word")
    whole_after = _OUT_OF_WHOLE.match(parsed.tokens, q.end) if q.kind == "money" else None
    if whole_after is not None and "total_word" not in topics_of(
            text.replace(whole_after.group(0), " ", 1)):
        topics.discard("total_word")  # "$3.6 billion out of the total $5.1 billion": a part
    if parsed.attribution and not topics & (SUBJECT_TOPICS - {"gdp", "budget"}):
        # "The latest Migration and Development Brief notes that ... the top three recipients
        # were Lebanon – 54 percent, ...": the source named says what the figures are of
        topics |= topics_of(parsed.attribution) & SUBJECT_TOPICS
    listed = listed_country(parsed, q)
    sender_item = listed is not None and listed_sender(parsed, q)
    if sender_item:
        # "$337.98 million from Kuwait, $310.06 million from Oman": the item's own sender,
        # not every sender of the list
        text = re.sub(rf"\bfrom\s+(?:the\s+)?⟦(?!{listed}⟧)[A-Z0-9]{{3,4}}⟧", " ", text)
        if not _ITEM_FROM.match(parsed.tokens, q.end):
            text += f" from ⟦{listed}⟧"  # "$180.86 million Bahrain": its "from" left out
    carried_source = listed if sender_item else parsed.ctx_source
    if listed and not sender_item and q.kind == "money" and not carried_source and \
            reading.source and reading.source != listed:
        carried_source = reading.source  # a list of where the money discussed went
    back = _country_referred_to(parsed.tokens, case)
    if back is not None and not remittance_source(text):
        # "... followed by the UAE as Bangladeshi wage earners in this Gulf country sent
        # $898.93 million": the money's origin is the country the phrase points back to
        carried_source = back
    if not topics & SUBJECT_TOPICS and "remittances" in reading.topics and (
            _TRANSFERS.search(text) or (listed and _TRANSFERRED.search(text))
            or (q.kind == "money" and _RECEIVED.search(text))):
        # "Over the year Uzbekistan received $4.082 billion", after the money from Russia:
        # the same money, from the same origin
        if not carried_source and reading.source:
            carried_source = reading.source
        # "transfers from Russia to Armenia comprised $919 million", after sentences about
        # migrants' transfers: still remittances (alone, "transfers" may be arms or assets)
        topics.add("remittances")
    if q.kind == "pct" and parsed.ctx_topics and "share_of" in reading.topics:
        # "In 2013 it reached 4.6 percent of Turkey's exports. In 2014 it had fallen to 3.8
        # percent": the share of the sentence before
        topics.add("share_of")
    if "turnover" in topics and topics_of(_OF_TURNOVER.sub(" ", text)) & {"exports", "imports"}:
        # "Of the total turnover, exports amounted to $2.5bn": a part of it, one direction
        topics.discard("turnover")
    if "price" in topics and not is_price(parsed.tokens, q):
        topics.discard("price")  # "5 Mt a year at a tariff of $15.67": the tariff is not this
    if "change" in topics and q.kind in ("money", "mass", "pct") and not states_change(
            parsed, q, text):
        # "increasing 45% ... to $324 million", "increased by 11% and amounted for $2
        # billion", "USD 1.2 billion ..., a year-on-year increase of USD 188 million": the
        # level is stated; the change words belong to the other number
        topics.discard("change")
    if "capacity" in topics and "capacity" not in topics_of(without_rose_up_to(text)):
        topics.discard("capacity")  # "edged up to USD 27.6 million": a level, not a limit
    annual = bool(_ANNUAL.search(segment))
    own_month = _own_month(parsed, q) if not annual and partial_period(text) else None
    month = own_month or (_ONE_MONTH.search(text) if not annual and not partial_period(text)
                          else None)
    if month and q.kind == "pct":
        raise SkipError(f"'{q.text}': a share for one month: no monthly data")
    if parsed.ctx_forecast:
        raise SkipError(f"'{q.text}': continues the forecast of the sentence before")
    # a forecast's cue marks the numbers of its own clause ("$23 billion, Karlov said ...,
    # adding that it will continue to fall"), not those of the sentence read with it
    modal = modal_of(segment, reading.published)
    if modal:
        raise SkipError(f"'{q.text}': a conditional or forecast ('{modal}'): not a statement "
                        f"about observed data")
    assets = [m.group(1) for m in re.finditer(r"⟦@([A-Z_]+)⟧", text)] or \
        _asset_before(parsed, q, text) or parsed.ctx_assets
    # the receiver's total remittances discussed before, with no sender since
    carried_total = reading.all_senders and not carried_source and "remittances" in \
        reading.topics
    if listed and not sender_item and q.kind == "money" and not remittance_source(
            text, carried_source) and _receivers_listed(parsed, q.kind) >= 2:
        # "Nepal (USD 6.6 billion) followed India (USD 72.2 billion), Pakistan (...)": with
        # no sender named, each receiver's money from abroad, all of it
        carried_total = True
    # a figure of the ranked partner, in a participle after the rank ("..., accounting for
    # 27 per cent of our coal exports (worth $17 billion)"): that partner's flow
    rank_flow = parsed.rank_flow if parsed.rank_flow and whole_of is None and \
        _RANK_PARTICIPLE.search(parsed.tokens[:q.start]) else None
    ranked = parsed.memo.get(RANKED)
    ranked_trade = ranked if isinstance(ranked, tuple) and ranked[2] == "trade" and \
        q.kind == "pct" and not topics & {"remittances", "exports", "imports", "gdp",
                                          "budget"} and _RANK_PARTICIPLE.search(
            parsed.tokens[:q.start]) else None
    if ranked_trade is not None:
        topics |= {"turnover", "share_of"}  # the ranked trade partner's share of the trade
    candidates = [r for r, require, forbid in _rules_of_kind().get(q.kind, ())
                  if require <= topics and not forbid & topics]
    fits: list[tuple[str, tuple[str, str] | None]] = []
    for rule in candidates:
        ok = _fits(rule, text, topics, assets, case, sentence, carried_source,
                   parsed.ctx_flow_text, rank_flow, carried_total)
        if ok is False:
            continue
        fits.append((rule["metric"], ok if isinstance(ok, tuple) else None))
    metrics = {m for m, _ in fits}
    if not metrics:
        _explain_no_metric(q, text, topics, case)
    # Partner-specific before total: remittances from a named sender win over the total.
    if {"remittances", "remittances_total"} <= metrics and remittance_source(
            text, carried_source):
        metrics.discard("remittances_total")
        fits = [f for f in fits if f[0] != "remittances_total"]
    if len(metrics) > 1:
        fits = _prefer(fits, text, case)
        metrics = {m for m, _ in fits}
    if len(metrics) > 1:
        raise SkipError(f"'{q.text}' could mean several things ({', '.join(sorted(metrics))})")
    metric = metrics.pop()
    pairs = {p for m, p in fits if p is not None}
    country, partner = (next(iter(pairs)) if len(pairs) == 1 else (None, None))
    if metric in ("trade_share_of_target", "sender_trade_share"):
        whole = _whole_of_share(text, case)
        metric = "sender_trade_share" if whole == case.sender else "trade_share_of_target"
        if ranked_trade is not None:
            metric, (country, partner) = "trade_share_of_target", ranked_trade[:2]
    if metric in ("trade_turnover", "trade_share_of_target", "target_trade_total",
                  "target_exports_total", "target_imports_total") or metric in rules()[
                      "target_owned"]:
        named = [c for c in dict.fromkeys(re.findall(C, text))]
        if metric in rules()["target_owned"] and case.sender in named and case.target not in \
                named and re.search(rf"⟦{case.sender}⟧(?:'s)?\s+(?:[\w-]+\s+){{0,2}}?(?:state\s+)?"
                                    r"(?:budget|gdp|oil|economy|treasury|exports)", text, re.I):
            raise SkipError(f"'{q.text}' is about {country_name(case.sender)}'s own figures; "
                            f"the metric {metric} measures {country_name(case.target)}'s")
        if metric == "trade_turnover" and len(named) == 2 and set(named) != {case.sender,
                                                                             case.target}:
            country, partner = named[0], named[1]
        elif metric == "trade_turnover" and len(named) == 1 and named[0] not in (
                case.sender, case.target):
            country, partner = named[0], case.target  # "the US ... mutual trade turnover"
        if metric.startswith("target_") and not named and not _C_RX.search(sentence):
            # "Russia's Central Bank reported total exports of $433.1 billion": the
            # proposition names no country; the national institution holding it does
            named = list(_institution_country(parsed.attribution))
        if metric.startswith("target_") and len(named) == 1 and named[0] != case.target:
            country, partner = named[0], None
    if metric in _TOTAL_REMITTANCES and country is None and not listed:
        # "Uzbekistan received $6 billion in remittances": another receiver's own total
        # "Nepal is leading the way with an estimated USD 6.6 billion in remittances"
        others = (_receiver(text) | set(_WITH_IN_REMITTANCES.findall(parsed.tokens))) - {
            "<the country>"}
        if len(others) == 1 and case.target not in _C_RX.findall(text):  # not "to A and T"
            country = others.pop()
    if listed and metric == "remittances_total" and carried_source and not \
            remittance_source(text) and not _FROM_ALL.search(text):
        # "Over 90 % of total sums were transferred from CIS countries: Uzbekistan - $2,9
        # billion, ...": each item is what went there from the sender discussed before
        metric = "remittances"
    if sender_item and metric in ("remittances", "remittances_sender_share"):
        # "remittances from Spain (10.58%), Haiti (1.41%) and ...", "$337.98 million from
        # Kuwait, ...": each item is a sender of the receiver's money
        receivers = _receiver(text) - {"<the country>", listed}
        country = next(iter(receivers)) if len(receivers) == 1 else case.target
        partner = listed
        if partner == country:
            raise SkipError(f"'{q.text}': the sender and the receiver of the list's item "
                            f"are the same country")
    elif listed and metric in _LISTABLE:
        # the list's item: that country's figure (from the same sender, for remittances)
        if metric in rules()["target_owned"]:
            country, partner = listed, None
        else:
            sources = remittance_source(text, carried_source) - {listed}
            country = listed
            partner = next(iter(sources)) if len(sources) == 1 else (partner or case.sender)
            if partner == listed:
                raise SkipError(f"'{q.text}': the sender and the receiver of the list's item "
                                f"are the same country")
    if whole_head and metric in ("remittances", "remittances_sender_share") and \
            country == case.target and not _receiver(text) - {"<the country>"}:
        # "Uzbekistan received $2.9 billion, with $2.4 billion coming from Russia": the part
        # went to the whole's receiver, not to the case's target
        receivers = _receiver(whole_head) - {"<the country>", partner}
        country = receivers.pop() if len(receivers) == 1 else country
    if (country, partner) == (case.target, case.sender) or (
            country == case.target and partner is None):
        country, partner = None, None
    other_side = _NOT_A_COUNTRY.search(text) if metric in _TRADE_METRICS else None
    if other_side is not None:
        raise SkipError(f"'{q.text}': the trade of {other_side.group(1)}, which is not a "
                        f"country (a region or a group): no claim metric for it")
    product = None
    if metric in _TRADE_METRICS or metric in ("target_exports_total", "target_imports_total",
                                              "target_trade_total"):
        product = product_of(re.sub(r"⟦[^⟧]+⟧", " ", text))
    claimed, unit, note = q.value, CLAIM_METRICS[metric].unit, q.note
    years, period, stated_period = period_of(q, parsed, n_claims, reading)  # each end's
    if month is not None and (not stated_period or own_month is not None):
        # "In May alone, remittances totalled USD 299 million", "in that month the company
        # carried 85,000 tons": compared with that month's figure only (none in the store:
        # unverifiable), not with the year's
        stated_period = month.group("month") or "one month"
    if stated_period and (unit != "pct" or is_fiscal(stated_period)):
        period = f"{period}; partial period {stated_period} (compared with {stated_period} "\
                 f"figures only)"
    if q.kind == "money" and q.unit != "USD":
        fx_year = years[-1] if years else reading.ref_year
        try:
            claimed = float(convert(q.value, q.unit, "USD", fx_per_usd=case.fx_per_usd(fx_year)))
            note = f"converted from {q.unit} at the {fx_year} rate"
        except GeoleverError:
            # no rate in the store: judged in its own currency, each year at that year's rate
            # (unverifiable for a year without one)
            claimed, unit = q.value, q.unit
            note = f"stated in {q.unit}; the store has no {q.unit} rate for {fx_year}"
    high = q.high
    if q.kind == "oil_rate":
        claimed = float(convert(q.value, "mb/d", "Mt/yr"))
        note = f"{q.value:g} mb/d converted to {claimed:.1f} Mt/yr (crude, 7.33 bbl/t)"
    claim_assets = assets[:1] if metric.startswith("asset_") else parsed.all_assets
    claim = TextClaim(q.text, metric, claimed, unit, q.comparison, years, period,
                      parsed.countries or parsed.ctx_countries, claim_assets, product, None,
                      note, attribution=parsed.attribution, country=country, partner=partner,
                      high=high, partial_period=stated_period if unit != "pct" or is_fiscal(
                          stated_period) else None)
    if years is None and period.startswith("an unspecified past period"):
        claim.headline = "past"  # "historically more than 30 percent": some past year
    return claim


_BOTH = re.compile(rf"\b(?:in|to|for|of)\s+(?:the\s+)?{C}(?:'s)?\s+and\s+(?:the\s+)?{C}(?:'s)?")


def also_for(claim: TextClaim, q: Quantity, parsed: Parsed,
             reading: Reading) -> list[TextClaim]:
    """Return the same claim for the other receiver of "in A and B" (one figure for both).

    "Money sent home by migrant workers accounts for more than a quarter of GDP in Tajikistan
    and Kyrgyzstan": a claim about each. Only for the target's own remittance figures, when
    one figure of its kind in the sentence belongs to two receivers, one of them the target.
    """
    each = _EACH_OF.match(parsed.tokens, q.end) if claim.metric in _LISTABLE else None
    if each is not None and each.group(1) != each.group(2):
        # "17 percent of the GDP of each of A and B": the figure is B's too
        other = each.group(2)
        return [replace(claim, country=None if other == reading.case.target else other,
                        result=None,
                        note="; ".join(n for n in (claim.note, f"the same figure for each of "
                                                   f"{each.group(1)} and {other}") if n))]
    if claim.metric not in _LISTABLE or claim.country is not None or claim.metric in (
            "remittances", "remittances_sender_share"):
        return []
    if sum(1 for p in parsed.quantities if p.kind == q.kind) != 1 or listed_country(parsed, q):
        return []
    m = _BOTH.search(parsed.tokens)
    if m is None or reading.case.target not in m.groups() or m.group(1) == m.group(2):
        return []
    other = m.group(2) if m.group(1) == reading.case.target else m.group(1)
    if other == reading.case.sender:
        return []
    return [replace(claim, country=other, result=None,
                    note="; ".join(n for n in (claim.note, f"the same figure for {other}, "
                                               "named with the target") if n))]


def _prefer(fits: list[tuple[str, tuple[str, str] | None]], text: str,
            case: Case) -> list[tuple[str, tuple[str, str] | None]]:
    """Resolve several readings of one number.

    Of one flow, the reading with the case's target as the country wins (GEO->RUS exports:
    "Georgia's exports to Russia", not "Russia's imports from Georgia"); a total needs one
    country named, a pair's turnover two.
    """
    pairs = [f for f in fits if f[1] is not None]
    if pairs:
        own = [f for f in pairs if f[1] is not None and f[1][0] == case.target]
        exporters = [f for f in pairs if f[0] == "exports_to_sender"]
        return own or exporters or pairs
    named = set(re.findall(C, text))
    totals = [f for f in fits if f[0].startswith("target_")]
    if totals and len(named) <= 1:
        return totals
    return [f for f in fits if not f[0].startswith("target_")] or fits


def _as_written(parsed: Parsed, tokens: str) -> str:
    """Tokens of a piece of the sentence with each country as the text names it."""
    alias = {m.code: m.alias for m in parsed.mentions if m.kind != "asset"}
    return _C_RX.sub(lambda m: alias.get(m.group(1), m.group(1)), tokens)


def modal_of(text: str, published: int) -> str:
    """Return the modal word of ``text`` after idioms were removed ("" if none).

    "will" about a year already past when the text was written is not one (see
    :func:`~geolever.claims.periods.past_will`).
    """
    plain = past_will(word_set("modality_idioms").sub(" ", text), published)
    m = find("modality", plain)
    return m.group(0) if m else ""


def _explain_no_metric(q: Quantity, text: str, topics: set[str], case: Case) -> None:
    reasons = rules()["topic_reasons"]
    for name in ("change", "capacity", "price", "gas"):
        if name in topics:
            raise SkipError(f"'{q.text}': {reasons[name]}")
    if "remittances" in topics:
        src = remittance_source(text, None)
        if not src and q.kind == "money":
            raise SkipError(f"'{q.text}': remittances, but from where is not stated (from "
                            f"{country_name(case.sender)}, or from all countries?)")
        if q.kind == "pct":
            raise SkipError(f"'{q.text}': a share of remittances relative to something other "
                            f"than the budget, GDP or all remittances: unclear denominator")
    if topics & {"exports", "imports", "turnover"} and q.kind in ("money", "pct"):
        raise SkipError(f"'{q.text}': trade, but the direction or the partner of the flow is "
                        f"unclear")
    raise SkipError(f"'{q.text}': no claim metric matches (topic not recognised: not "
                    f"remittances, budget, trade, oil exports or an asset's throughput)")
