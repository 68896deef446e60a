"""Status claims about named assets: "the pipeline has not been operating for years".

A status word (``claim_rules.yaml``, ``status``: operating or idle), negation ("not", "no
longer") and the asset (named, or "the pipeline" carried over from an earlier sentence) make a
claim that the asset operated (1) or not (0). Present tense without a period is a claim about
the reference year; a duration ("for years", "for a long time") about the last three
years, each of which must agree. A stop or restart in one month ("In March 2019 ...
stopped pumping") is an event, not the year's status, and is not judged. The status word
must be about the asset: its role ("used as an auxiliary route") or a country's geography
("no access to the open seas, it ...") is not; what flows through it as the clause's subject
("supplies were suspended in 2022") is, and an asset named beside it ("along with the BTC
pipeline") is not the one the status is about.
"""

from __future__ import annotations

import re
from functools import cache

from geolever.claims.clauses import clauses
from geolever.claims.context import Reading
from geolever.claims.extract import Parsed, topic_patterns
from geolever.claims.periods import is_duration, years_for
from geolever.claims.results import SkipError, TextClaim
from geolever.claims.vocabulary import alternation, find, rules, word_list, word_set

_MONTH = re.compile(r"\b(?:January|February|March|April|May|June|July|August|September|"
                    r"October|November|December)\s+(?:(?:of\s+)?(?:19|20)\d\d|\d{1,2})\b|"
                    # "resumed on July 17", "was suspended in January": a day or a month
                    r"\b(?:[Ii]n|[Oo]n|[Ff]rom|[Ss]ince|[Uu]ntil)\s+(?:January|February|March|April|"
                    r"May|June|July|August|September|October|November|December)\b")


def status_claims(parsed: Parsed, reading: Reading) -> list[TextClaim]:
    """Status statements about one asset in a clause, or [] (SkipError when unclear)."""
    if not parsed.ctx_assets and "⟦@" not in parsed.tokens:
        return []  # no asset named or carried over: no clause can hold a status (most)
    cfg = rules()["status"]
    on, off = word_set("status.operating"), word_set("status.idle")
    stop = word_set("status.stop_verbs")
    neg = re.compile(
        r"(?:\b(?:" + "|".join(n for n in cfg["negations"] if n != "n't") + r")\b|n't)", re.I)
    out = []
    for start, clause in clauses(parsed.tokens):
        assets = _subject_assets(clause)
        if not assets and parsed.ctx_assets and _refers_to_asset(clause):
            assets = list(parsed.ctx_assets)
        if not assets:
            continue
        hits = sorted([(m.start(), 1, m.group(0)) for m in on.finditer(clause)]
                      + [(m.start(), 0, m.group(0)) for m in off.finditer(clause)])
        if not hits:
            continue
        if any(q.kind != "bare" and clause.find(q.text) >= 0 for q in parsed.quantities):
            continue  # a number in the clause: a throughput claim, not a status one
        if topic_patterns()["change"].search(clause):
            continue  # "the volume of oil pumping is falling": a change, not a status
        if len(assets) > 1:
            raise SkipError(f"a status statement naming several assets ({', '.join(assets)}): "
                            f"which one it is about is unclear")
        if find("modality", word_set("modality_idioms").sub(" ", clause)):
            raise SkipError("a status statement about what could or will happen, not about "
                            "the asset's observed status")
        if _MONTH.search(parsed.text):
            raise SkipError("a stop or restart in one month: an event, not the asset's status "
                            "for the year")
        pos, flag, word = hits[0]
        if flag == 0 and stop.fullmatch(word) and any(p > pos and f == 1 for p, f, _ in hits):
            flag = 0  # "stopped operating"
        before = clause[max(0, pos - 30): pos]
        negated = bool(neg.search(before.split(",")[-1]))
        value = float(flag if not negated else 1 - flag)
        years, period = years_for(None, parsed, 1, reading)
        own = sorted({y for y, p in parsed.years if start <= p < start + len(clause)})
        elsewhere = {y for y, p in parsed.years if not start <= p < start + len(clause)}
        if years and own and elsewhere and not elsewhere & set(own):
            # "In 2021 transit totalled 1.1 Mt, but supplies were suspended in 2022": the
            # status of the clause's own year
            years, period = own, "stated in the status's clause: " + ", ".join(map(str, own))
        duration = is_duration(clause)
        ref = reading.ref_year
        if years is None and duration:
            years = [ref - 2, ref - 1, ref]
            period = f"a duration ('for years'): status in each of {ref - 2}-{ref}"
        elif years is None:
            years, period = [ref], f"present tense, no period stated: status in {ref}"
        claim = TextClaim(f"{'not ' if negated else ''}{word}", "asset_status", value, "flag",
                          "about", years, period, parsed.countries, assets[:1], None, None,
                          "negation flips the status" if negated else "",
                          attribution=parsed.attribution)
        claim.headline = "all" if duration else "latest"
        out.append(claim)
    return out


_PRONOUN = re.compile(r"(?:it|they)", re.I)


def _refers_to_asset(clause: str) -> bool:
    """Whether the clause points back to the asset of an earlier sentence ("the pipeline").

    A pronoun after a country named in the same clause is that country's ("As Azerbaijan has
    no access to the sea, it needs more pipelines"), not the asset's.
    """
    m = find("context.asset_anaphora", clause)
    if m is None:
        # "..., but supplies were suspended in 2022": the flow through the asset carried over
        return bool(_flow_subject().search(clause))
    return not (_PRONOUN.fullmatch(m.group(0)) and "⟦" in clause[:m.start()])


@cache
def _flow_subject() -> re.Pattern[str]:
    flows = alternation(word_list("status.flow_subjects"))
    return re.compile(rf"(?<!\w)(?:{flows})\s+(?:\S+\s+){{0,3}}?(?:was|were|is|are|has been|"
                      r"have been|had been)\b", re.I)


@cache
def _companion() -> re.Pattern[str]:
    cues = alternation(word_list("status.companions"))
    return re.compile(rf"(?<!\w)(?:{cues})\s+(?:the\s+)?⟦@([A-Z_]+)⟧", re.I)


def _subject_assets(clause: str) -> list[str]:
    """Assets a clause's status may be about: those named, less one named as a companion.

    "Along with the BTC pipeline, oil is also exported via Baku-Novorossiysk": the status
    is Baku-Novorossiysk's; BTC is named beside it.
    """
    named = list(dict.fromkeys(re.findall(r"⟦@([A-Z_]+)⟧", clause)))
    if len(named) < 2:
        return named
    beside = set(_companion().findall(clause))
    return [a for a in named if a not in beside] or named
