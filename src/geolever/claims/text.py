"""Fact-check the quantitative claims of a text (plain, Markdown or HTML).

:func:`check_text` reads the text, splits it into sentences, keeps the check-worthy ones
(quantities, years, status statements about named assets, comparisons between the two
countries), links each to a claim metric, countries, assets and a period, and evaluates it
with :func:`~geolever.claims.evaluate.evaluate_claim`, exactly like the structured claims of
scenario files. Every candidate sentence is reported: checked (with the evidence) or "not
checked" (with the reason). Precision before recall: when the link is not certain (two
numbers that cannot each be linked, a number without a unit, a year, a forecast, a third
country) the sentence is left unchecked and says why.

Linking tables are data: ``reference/claim_aliases.csv`` (countries, demonyms, metonyms,
assets) and ``reference/claim_rules.yaml`` (topics, keyword -> metric rules, status words,
comparison cues, levers, products).
"""

from __future__ import annotations

import re
from typing import Any

from geolever.claims.evaluate import (
    CLAIM_METRICS,
    ClaimSpec,
    evaluate_claim,
)
from geolever.claims.extract import Parsed, Quantity, parse_sentence, topic_patterns, words
from geolever.claims.reading import Format, read_blocks, split_sentences
from geolever.claims.results import SentenceCheck, SkipError, TextCheckResult, TextClaim
from geolever.claims.vocabulary import rules
from geolever.core.countries import country_name
from geolever.core.errors import GeoleverError
from geolever.core.units import convert
from geolever.store import FactStore
from geolever.world import Case, load_case

_C = r"⟦([A-Z0-9]{3,4})⟧"
_RELATIVE = re.compile(
    r"\b(?:last year|this year|a year ago|in recent years|currently|"
    r"today|now|at present|nowadays)\b",
    re.I,
)


# ------------------------------------------------------------------------- helpers
def _has(name: str, text: str) -> bool:
    return bool(topic_patterns()[name].search(text))


def _topics(text: str) -> set[str]:
    return {name for name, rx in topic_patterns().items() if rx.search(text)}


def _clauses(tokens: str) -> list[tuple[int, str]]:
    """Split at ; and at ', while/whereas/but' so each clause can hold its own claim."""
    out, start = [], 0
    for m in re.finditer(
        r";|,\s*(?:while|whereas|but|although|though)\s+|\s+(?:while|whereas)\s+", tokens
    ):
        out.append((start, tokens[start : m.start()]))
        start = m.end()
    out.append((start, tokens[start:]))
    return out


def _clause_of(tokens: str, pos: int) -> str:
    for start, clause in _clauses(tokens):
        if start <= pos <= start + len(clause):
            return clause
    return tokens


def _third(parsed: Parsed, case: Case) -> list[str]:
    return [c for c in parsed.countries if c not in (case.sender, case.target)]


def _flow(tokens: str, case: Case) -> tuple[str, str] | None:
    """Return (exporter, importer) of the goods flow a sentence speaks of, or None if unclear."""
    exporters: set[str] = set()
    importers: set[str] = set()
    exp_nouns = r"(?:exports?|sales|shipments|deliveries|supplies)"
    for rx in (
        rf"{_C}(?:'s)?\s+(?:[\w-]+\s+){{0,2}}?{exp_nouns}\b",
        rf"{exp_nouns}\s+(?:of\s+(?:[\w-]+\s+){{0,3}}?)?from\s+{_C}",
        rf"{_C}\s+(?:[\w-]+\s+){{0,2}}?(?:exported|exports|sells|sold|ships|shipped|"
        rf"supplies|supplied|delivered)\b",
        rf"(?:imports?|purchases|bought|buys|took|takes)\s+(?:[\w$.,%-]+\s+){{0,6}}?"
        rf"from\s+{_C}",
    ):
        exporters.update(m.group(1) for m in re.finditer(rx, tokens, re.I))
    for rx in (
        rf"\b(?:to|into)\s+{_C}",
        rf"{_C}(?:'s)?\s+markets?\b",
        rf"{_C}\s+(?:[\w-]+\s+){{0,2}}?(?:imported|imports|buys|bought|purchased|"
        rf"purchases|takes|took|receives|received|absorbs|absorbed)\b",
        rf"{_C}(?:'s)?\s+(?:[\w-]+\s+){{0,2}}?imports\b",
    ):
        importers.update(m.group(1) for m in re.finditer(rx, tokens, re.I))
    pair = {case.sender, case.target}
    if len(exporters) > 1 or len(importers) > 1:
        return None
    exp = next(iter(exporters), None)
    imp = next(iter(importers), None)
    if exp and not imp and exp in pair:
        imp = next(iter(pair - {exp}))
    if imp and not exp and imp in pair:
        exp = next(iter(pair - {imp}))
    if not exp or not imp or exp == imp:
        return None
    return exp, imp


def _remittance_source(tokens: str) -> set[str]:
    """Countries the money comes from: "from Russia", else "in Russia" / "Russia-based"."""
    sources = {m.group(1) for m in re.finditer(rf"\bfrom\s+(?:\w+\s+){{0,2}}?{_C}", tokens)}
    if not sources:
        sources = {
            next(g for g in m.groups() if g)
            for m in re.finditer(rf"\bin\s+{_C}|{_C}-based", tokens)
        }
    return sources


def _product(text: str) -> str | None:
    found = [code for code, pats in rules()["products"].items() if words(pats).search(text)]
    # "fruit and vegetables" also names "fruit": keep the most specific single match.
    if len(found) > 1 and "food" in found:
        found.remove("food")
    if len(found) > 1:
        raise SkipError(
            f"several products named ({', '.join(found)}): which one is meant is unclear"
        )
    return found[0] if found else None


# ------------------------------------------------------------------------- periods
def _stated_years(parsed: Parsed, ref_year: int) -> list[int]:
    text = parsed.tokens
    years: set[int] = set()
    for m in re.finditer(r"\b((?:19|20)\d\d)\s*(?:-|to|–|and)\s*((?:19|20)\d\d)\b", text):
        a, b = int(m.group(1)), int(m.group(2))
        if a < b <= a + 30 and (
            re.search(r"between\s*$|from\s*$", text[: m.start()])
            or "-" in m.group(0)
            or " to " in m.group(0)
        ):
            years.update(range(a, b + 1))
    for m in re.finditer(r"\bsince\s+((?:19|20)\d\d)\b", text):
        years.update(range(int(m.group(1)), max(int(m.group(1)), ref_year) + 1))
    years.update(y for y, _ in parsed.years)
    return sorted(years)


def _years_for(
    q: Quantity | None, parsed: Parsed, n_claims: int, ref_year: int
) -> tuple[list[int] | None, str]:
    """Years a claim is about and how that was decided (stated, or the default)."""
    stated = _stated_years(parsed, ref_year)
    if not stated:
        rel = _RELATIVE.search(parsed.text)
        how = (
            f"relative period ('{rel.group(0)}') without a date: read as the latest full "
            f"year up to {ref_year}"
            if rel
            else f"no period stated: every year with data up to {ref_year} is shown; the "
            f"headline is the latest full (not annualised) year"
        )
        return None, how
    if n_claims == 1 or q is None or len(stated) == 1:
        return stated, "stated: " + ", ".join(map(str, stated))
    # Several claims: each needs its own year next to it ("$1.0bn in 2021 ... $1.2bn in 2023").
    after = [(y, p) for y, p in parsed.years if 0 <= p - q.end <= 12]
    before = [(y, p) for y, p in parsed.years if 0 <= q.start - p <= 12]
    near = after or before
    if len(near) != 1:
        raise SkipError(
            f"several numbers and years in one sentence: the year of '{q.text}' is not clear"
        )
    return [near[0][0]], f"stated next to the number: {near[0][0]}"


# ------------------------------------------------------------------------- linking
def _link_quantity(
    q: Quantity, parsed: Parsed, case: Case, n_claims: int, ref_year: int
) -> TextClaim:
    """Link one quantity to a claim metric, or raise :class:`SkipError` with the reason."""
    clause = _clause_of(parsed.tokens, q.start)
    text = parsed.tokens
    if q.kind == "bare":
        raise SkipError(
            f"'{q.text}' has no unit (not money, %, tonnes or barrels): a count, a "
            f"reference or a rank, not a checkable amount"
        )
    if q.kind == "pct_points":
        raise SkipError(f"'{q.text}' is a change in percentage points: changes are not checked")
    third = _third(parsed, case)
    if third:
        raise SkipError(
            f"'{q.text}': the sentence names "
            f"{', '.join(country_name(c) for c in third)}, outside the case pair "
            f"{case.sender}-{case.target}"
        )
    spread = len({_clause_of(text, x.start) for x in parsed.quantities if x.kind != "bare"})
    if spread > 1:
        text = clause  # each number is read with its own clause
    topics = _topics(text)
    kind = q.kind
    candidates = []
    for rule in rules()["rules"]:
        if rule["kind"] != kind:
            continue
        if not set(rule["require"]) <= topics or set(rule["forbid"]) & topics:
            continue
        candidates.append(rule)
    assets = [m.group(1) for m in re.finditer(r"⟦@([A-Z_]+)⟧", clause)]
    fits = []
    for rule in candidates:
        if rule.get("asset") == "one" and len(set(assets)) != 1:
            continue
        if rule.get("asset") == "none" and assets:
            continue
        flow = rule.get("flow")
        if flow in ("target_to_sender", "sender_to_target"):
            pair = _flow(text, case)
            want = (
                (case.target, case.sender)
                if flow == "target_to_sender"
                else (case.sender, case.target)
            )
            if pair != want:
                continue
        src = rule.get("source")
        if src:
            sources = _remittance_source(text)
            if src == "sender" and sources != {case.sender}:
                continue
            if (
                src == "none"
                and not (topics & {"total_word"})
                and (
                    sources
                    or not re.search(
                        rf"(?:{_C}(?:'s)?\s+(?:\w+\s+){{0,2}}?(?:receive|received|receives|gets|got)"
                        rf"|\bto\s+{_C})",
                        text,
                    )
                )
            ):
                continue
        fits.append(rule)
    metrics = {r["metric"] for r in fits}
    if not metrics:
        reasons = rules()["topic_reasons"]
        for name in ("change", "capacity", "price", "gas"):
            if name in topics:
                raise SkipError(f"'{q.text}': {reasons[name]}")
        if "remittances" in topics:
            src = _remittance_source(text)
            if src - {case.sender}:
                raise SkipError(
                    f"'{q.text}': remittances from "
                    f"{', '.join(sorted(src - {case.sender}))} (not the sender "
                    f"{case.sender} to the target): no claim metric"
                )
            if not src and kind == "money":
                raise SkipError(
                    f"'{q.text}': remittances, but from where is not stated (from "
                    f"{country_name(case.sender)}, or from all countries?)"
                )
            if kind == "pct":
                raise SkipError(
                    f"'{q.text}': a share of remittances relative to something other "
                    f"than the budget or GDP (or both named): unclear denominator"
                )
        if topics & {"exports", "imports", "turnover"} and kind in ("money", "pct"):
            raise SkipError(
                f"'{q.text}': trade, but the direction or partner of the flow is not "
                f"the sender-target pair or is unclear"
            )
        raise SkipError(
            f"'{q.text}': no claim metric matches (topic not recognised: not "
            f"remittances, budget, trade with the sender, oil exports or an asset's "
            f"throughput)"
        )
    if len(metrics) > 1:
        raise SkipError(f"'{q.text}' could mean several things ({', '.join(sorted(metrics))})")
    metric = metrics.pop()
    if metric in rules()["target_owned"] and re.search(
        rf"⟦{case.sender}⟧(?:'s)?\s+(?:[\w-]+\s+){{0,2}}?(?:state\s+)?(?:budget|gdp|oil|"
        rf"economy|treasury|exports)",
        text,
        re.I,
    ):
        raise SkipError(
            f"'{q.text}' is about {country_name(case.sender)}'s own figures; the "
            f"metric {metric} measures {country_name(case.target)}'s"
        )
    product = None
    if metric in (
        "exports_to_sender",
        "imports_from_sender",
        "trade_turnover",
        "exports_to_sender_share",
    ):
        product = _product(re.sub(r"⟦[^⟧]+⟧", " ", text))
    claimed, unit, note = q.value, CLAIM_METRICS[metric].unit, ""
    years, period = _years_for(q, parsed, n_claims, ref_year)
    if q.kind == "money" and q.unit != "USD":
        fx_year = years[-1] if years else ref_year
        try:
            claimed = float(convert(q.value, q.unit, "USD", fx_per_usd=case.fx_per_usd(fx_year)))
        except GeoleverError as err:
            raise SkipError(
                f"'{q.text}': no exchange rate to convert {q.unit} to US$ ({err.message})"
            ) from None
        note = f"converted from {q.unit} at the {fx_year} rate"
    if q.kind == "oil_rate":
        claimed = float(convert(q.value, "mb/d", "Mt/yr"))
        note = f"{q.value:g} mb/d converted to {claimed:.1f} Mt/yr (crude, 7.33 bbl/t)"
    claim_assets = assets[:1] if metric == "asset_throughput" else parsed.assets
    return TextClaim(
        q.text,
        metric,
        claimed,
        unit,
        q.comparison,
        years,
        period,
        parsed.countries,
        claim_assets,
        product,
        None,
        note,
        high=q.high,
    )


def _status_claims(parsed: Parsed, case: Case, ref_year: int) -> list[TextClaim]:
    """Status statements about named assets ("the X pipeline has not been operating")."""
    cfg = rules()["status"]
    on, off = words(cfg["operating"]), words(cfg["idle"])
    stop = words(cfg["stop_verbs"])
    neg = re.compile(
        r"(?:\b(?:" + "|".join(n for n in cfg["negations"] if n != "n't") + r")\b|n't)", re.I
    )
    modal = words(rules()["modality"])
    out = []
    for _, clause in _clauses(parsed.tokens):
        assets = list(dict.fromkeys(re.findall(r"⟦@([A-Z_]+)⟧", clause)))
        hits = sorted(
            [(m.start(), 1, m.group(0)) for m in on.finditer(clause)]
            + [(m.start(), 0, m.group(0)) for m in off.finditer(clause)]
        )
        if not assets or not hits:
            continue
        if any(q.kind != "bare" and clause.find(q.text) >= 0 for q in parsed.quantities):
            continue  # a number in the clause: a throughput claim, not a status one
        if len(assets) > 1:
            raise SkipError(
                f"a status statement naming several assets "
                f"({', '.join(assets)}): which one it is about is unclear"
            )
        if modal.search(clause):
            raise SkipError(
                "a status statement about what could or will happen, not about "
                "the asset's observed status"
            )
        pos, flag, word = hits[0]
        if flag == 0 and stop.fullmatch(word) and any(p > pos and f == 1 for p, f, _ in hits):
            flag = 0  # "stopped operating"
        before = clause[max(0, pos - 30) : pos]
        negated = bool(neg.search(before.split(",")[-1]))
        value = float(flag if not negated else 1 - flag)
        years, period = _years_for(None, parsed, 1, ref_year)
        if years is None:
            years, period = [ref_year], f"present tense, no period stated: status in {ref_year}"
        out.append(
            TextClaim(
                f"{'not ' if negated else ''}{word}",
                "asset_status",
                value,
                "flag",
                "about",
                years,
                period,
                parsed.countries,
                assets,
                None,
                None,
                "negation flips the status" if negated else "",
            )
        )
    return out


def _lever_of(
    text: str,
    assets: list[str],
    kinds: tuple[tuple[str, str], ...] | None = None,
) -> dict[str, Any]:
    found = []
    for lever in rules()["levers"]:
        spec = {k: v for k, v in lever.items() if k not in ("keywords", "id")}
        if kinds and (spec["kind"], spec.get("direction")) not in kinds:
            continue
        hit = words(lever["keywords"]).search(text)
        target_asset = spec.get("asset") or (
            "INSTC" if spec["kind"] == "corridor_exclusion" else None
        )
        if hit or (target_asset and target_asset in assets):
            found.append((lever["id"], spec))
    if not found:
        raise SkipError(
            "a comparison, but which lever it is about (remittances, food trade, "
            "wheat, oil transit, the corridor) is not stated"
        )
    if len(found) > 1:
        raise SkipError(
            f"a comparison naming several levers ({', '.join(i for i, _ in found)}): "
            f"unclear which one is meant"
        )
    return found[0][1]


def _comparison_claims(parsed: Parsed, case: Case, ref_year: int) -> list[TextClaim]:
    """Comparisons judged with the model ("would hurt Russia more than Azerbaijan")."""
    cfg = rules()["comparison"]
    text = parsed.tokens
    plain = re.sub(r"⟦@?[^⟧]+⟧", " ", text)
    hurt = "(?:" + "|".join(cfg["hurt_words"]) + ")"
    out = []
    more = None
    for (rx,) in (
        (
            rf"{hurt}\s+(?:\w+\s+){{0,3}}?{_C}(?:'s)?\s+(?:\w+\s+){{0,3}}?(more|harder|worse|"
            rf"less)\s+than\s+(?:it\s+(?:\w+\s+){{0,2}})?(?:for\s+|on\s+)?{_C}",
        ),
        (
            rf"{_C}\s+(?:\w+\s+){{0,3}}?(?:lose|loses|suffer|suffers|pay|pays|bleed)\w*\s+"
            rf"(?:\w+\s+){{0,2}}?(more|less)\s+than\s+(?:\w+\s+){{0,1}}?{_C}",
        ),
        (
            rf"(more|less) (?:painful|costly|damaging|harmful|expensive) (?:for|to) {_C} "
            rf"than (?:for |to )?{_C}",
        ),
        (rf"{_C} has (?:far |much )?(more|less) to lose than {_C}",),
    ):
        m = re.search(rx, text, re.I)
        if not m:
            continue
        groups = [g for g in m.groups() if g]
        codes = [g for g in groups if re.fullmatch(r"[A-Z0-9]{3,4}", g)]
        word = next(g for g in groups if not re.fullmatch(r"[A-Z0-9]{3,4}", g))
        if len(codes) != 2 or set(codes) != {case.sender, case.target}:
            raise SkipError("a comparison of losses, but not between the sender and the target")
        more = codes[0] if word.lower() != "less" else codes[1]
        break
    if more is not None:
        lever = _lever_of(plain, parsed.assets)
        comparison = "at most" if more == case.sender else "at least"
        out.append(
            TextClaim(
                f"hurts {country_name(more)} more",
                "lever_asymmetry",
                1.0,
                "ratio",
                comparison,
                [ref_year],
                f"model run for {ref_year}",
                parsed.countries,
                parsed.assets,
                None,
                lever,
                f"read as: target loss / sender cost (% of own GDP) {comparison} 1",
            )
        )
    alt = words(cfg["alternative_markets"]).search(text)
    if alt:
        if case.target not in parsed.countries:
            raise SkipError("alternative markets, but not for the target country")
        lever = _lever_of(plain, parsed.assets, kinds=(("trade_restriction", "imports"),))
        before = text[max(0, alt.start() - 40) : alt.start()]
        negated = bool(words(cfg["cannot"]).search(before))
        comparison = "at most" if negated else "at least"
        out.append(
            TextClaim(
                f"{'cannot ' if negated else 'can '}find alternative markets",
                "lever_substitution_1y",
                50.0,
                "pct",
                comparison,
                [ref_year],
                f"model run for {ref_year}",
                parsed.countries,
                parsed.assets,
                None,
                lever,
                f"read as: {comparison} half the lost exports redirected within a year",
            )
        )
    return out


def _is_candidate(parsed: Parsed) -> bool:
    cfg = rules()
    if parsed.quantities or parsed.years:
        return True
    if parsed.assets and (
        words(cfg["status"]["operating"]).search(parsed.tokens)
        or words(cfg["status"]["idle"]).search(parsed.tokens)
    ):
        return True
    hurt = words(cfg["comparison"]["hurt_words"])
    if hurt.search(parsed.tokens) and re.search(r"\b(?:more|less)\b", parsed.tokens):
        return True
    return bool(words(cfg["comparison"]["alternative_markets"]).search(parsed.tokens))


def _check_sentence(parsed: Parsed, case: Case, ref_year: int) -> tuple[str, list[TextClaim]]:
    """Return ("", claims) for a checkable sentence; raise _Skip otherwise."""
    claims = _comparison_claims(parsed, case, ref_year)
    claims += _status_claims(parsed, case, ref_year)
    quantities = [q for q in parsed.quantities]
    if quantities and words(rules()["modality"]).search(parsed.tokens) and not claims:
        raise SkipError(
            "a conditional or forecast ('would', 'could', 'will', 'if'): not a "
            "statement about observed data"
        )
    for q in quantities:
        try:
            claims.append(_link_quantity(q, parsed, case, len(quantities), ref_year))
        except SkipError as err:
            if len(quantities) > 1:
                raise SkipError(
                    f"{len(quantities)} numbers in one sentence and not each can be linked: {err}"
                ) from None
            raise
    if not claims:
        if parsed.years and not parsed.quantities:
            ys = ", ".join(str(y) for y, _ in parsed.years)
            raise SkipError(f"only a year ({ys}), no amount or status: nothing to check")
        raise SkipError("no claim found that a metric can check")
    keys = [(c.metric, tuple(c.years or ()), c.product) for c in claims]
    if len(set(keys)) < len(keys):
        raise SkipError("two values for the same quantity and period (a range or a change?)")
    return "", claims


def _evaluate(claim: TextClaim, text: str, case: Case, ref_year: int) -> None:
    spec = ClaimSpec(
        text=text,
        metric=claim.metric,
        claimed=claim.claimed,
        unit=claim.unit,
        years=claim.years,
        asset=claim.assets[0] if claim.metric.startswith("asset_") else None,
        comparison=claim.comparison,  # type: ignore[arg-type]
        high=claim.high,
        product=claim.product,
        lever=claim.lever,
    )
    if claim.years is None:
        years = [y for y in CLAIM_METRICS[claim.metric].years(case, spec) if y <= ref_year]
        spec = spec.model_copy(update={"years": years or None})
    result = evaluate_claim(spec, case, headline="latest_full" if claim.years is None else "latest")
    period = claim.period[0].upper() + claim.period[1:]
    result.explanation = f"{result.explanation} Period: {period}." + (
        f" Note: {claim.note}." if claim.note else ""
    )
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
) -> TextCheckResult:
    """Fact-check the quantitative claims of a text against a case's data and model.

    Parameters
    ----------
    text
        The article, memo or statement: plain text, Markdown or HTML (at most 1 MB).
    case
        Case pack name (sender and target come from the pack).
    fmt
        ``"auto"`` (detect), ``"text"``, ``"md"`` or ``"html"``.
    store
        Fact store to read (the case pack is loaded into it); in-memory by default.
    year
        Reference year: claims without a stated period are headlined with the latest full
        year up to it, and comparisons run the model for it. Default: the pack's year.
    sender, target
        ISO3 codes of the pair the text is about, if not the pack's (the pack's facts and
        the standard datasets in the store are read for them).
    published
        Year the text was published: claims without a period are headlined with the latest
        full year up to it, and "last year" / "this year" resolve against it. Default: the
        reference year.

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
    blocks, used_fmt = read_blocks(text, fmt)
    c = load_case(store or FactStore(":memory:"), case, year=year, sender=sender, target=target)
    ref_year = min(c.year, published) if published else c.year
    sentences: list[SentenceCheck] = []
    n = 0
    for b, block in enumerate(blocks):
        for sentence in split_sentences(block):
            n += 1
            parsed = parse_sentence(sentence)
            if not _is_candidate(parsed):
                continue
            try:
                _, claims = _check_sentence(parsed, c, ref_year)
                for claim in claims:
                    _evaluate(claim, sentence, c, ref_year)
            except SkipError as err:
                sentences.append(SentenceCheck(n, b, sentence, "not checked", str(err)))
                continue
            except GeoleverError as err:
                sentences.append(
                    SentenceCheck(n, b, sentence, "not checked", f"could not be evaluated: {err}")
                )
                continue
            sentences.append(SentenceCheck(n, b, sentence, "checked", "", claims))
    return TextCheckResult(c.name, c.sender, c.target, ref_year, used_fmt, n, sentences)
