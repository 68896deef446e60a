"""The claim vocabulary: names of countries, assets and levers, topic words, linking rules.

All of it is data that users can extend: ``reference/claim_aliases.csv`` (aliases of
countries, metonyms such as "the Kremlin", assets, and their kinds), ``reference/
claim_demonyms.csv`` (demonyms that the rule below gets wrong), ``reference/claim_places.csv``
(every country's capital, used for its government, and demonyms: generated from GeoNames and
countryinfo, see ``claim_places.SOURCES.md``; the two hand-kept files win over it) and
``reference/claim_rules.yaml`` (topics, keyword -> metric rules, status words, attribution
verbs, lever effect cues, levers, products). Every ISO 3166 country is known by its names
(pycountry) and a demonym, so a sentence about any pair, or about a third country, can be
linked.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import pycountry
import yaml


@cache
def rules() -> dict[str, Any]:
    """Return the linking rules of ``reference/claim_rules.yaml``."""
    text = resources.files("geolever.reference").joinpath("claim_rules.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def words(patterns: list[str] | tuple[str, ...]) -> re.Pattern[str]:
    """Compile keyword patterns into one case-insensitive, word-bounded regex (compiled once)."""
    return _words(tuple(patterns))


@cache
def _words(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w])(?:" + alternation(patterns) + r")(?![\w])", re.I)


def alternation(patterns: tuple[str, ...] | list[str]) -> str:
    """Return the case-insensitive alternation of ``patterns``, grouped by first character.

    ``(?=[a])(?:alt|...)|(?=[b])(?:...)``: at a position the regex engine tries the one
    group whose character is there, not every pattern (a list of 150 topic words is tried
    150 times at each word start otherwise). Matches are the same as the plain
    ``(?:p1)|(?:p2)|...``: the groups' characters never match the same character, and
    within a group the patterns keep their order, so at any position the same pattern
    matches first. Lists with a pattern whose first character is not known, or that
    capture groups, stay plain.
    """
    alts = [f"(?:{p})" for p in patterns]
    firsts = [first_chars(p) for p in patterns]
    if len(alts) < 4 or any(_CAPTURE.search(p) for p in patterns):
        return "|".join(alts)
    buckets: dict[str, list[str]] = {}
    for alt, first in zip(alts, firsts, strict=True):
        if first is None:
            return "|".join(alts)
        for c in sorted(first):
            buckets.setdefault(c, []).append(alt)
    if r"\d" in buckets and any(re.fullmatch(r"\d", c) for c in buckets):
        return "|".join(alts)  # a digit would open two groups
    return "|".join(f"(?={_lookahead(c)})(?:{'|'.join(b)})" for c, b in buckets.items())


def _lookahead(key: str) -> str:
    r"""Return the pattern of one bucket's first character (``\d``: a digit)."""
    return key if key == r"\d" else re.escape(key)


_CAPTURE = re.compile(r"\((?!\?[:=!<>aiLmsux-])|\(\?P<|\(\?<(?![=!])")


def _first_key(ch: str) -> str | None:
    """Return the bucket of a first character: its lower case (ASCII) or itself (uncased).

    None for a non-ASCII letter (whose case-insensitive matches could reach another bucket).
    """
    if ch.isascii():
        return ch.lower()
    if ch.lower() == ch.upper() == ch and not ch.isalpha():
        return ch
    return None


def first_chars(pattern: str) -> frozenset[str] | None:
    r"""Return the bucket keys (:func:`_first_key`) of the characters that can start a match.

    ``\d`` stands for any digit. None when not known (a class, ``\w``, ``.``, an
    optional start that may leave the pattern empty, a lookaround).
    """
    split = _top_level(pattern)
    if split is None or split[1] != len(pattern):
        return None
    out: set[str] = set()
    for branch in split[0]:
        first = _branch_first(branch)
        if first is None:
            return None
        out |= first
    return frozenset(out)


def _branch_first(b: str) -> frozenset[str] | None:
    """Return the first characters of one branch (no top-level ``|``): see :func:`first_chars`."""
    while b.startswith(("^", r"\b")):
        b = b[1:] if b[0] == "^" else b[2:]
    if not b:
        return None
    if b[0] == "(":
        split = _top_level(b[1:])
        if split is None or split[1] >= len(b) - 1:
            return None
        close = 1 + split[1]
        inner = _INLINE_FLAGS.sub("", b[1:close], count=1)
        if inner == b[1:close] and inner.startswith("?"):
            return None  # a lookaround or named group
        first, rest = first_chars(inner), b[close + 1:]
    else:
        first, rest = _atom_first(b)
    if first is None:
        return None
    if rest[:1] in ("?", "*") or rest.startswith(("{0,", "{0}")):
        after = _branch_first(rest[1:] if rest[0] in "?*" else rest[rest.find("}") + 1:])
        return None if after is None else first | after  # the atom may be absent
    return first


_INLINE_FLAGS = re.compile(r"^\?(?::|[aiLmsux]+:|[aiLmsux]*-[imsx]+:)")


def _atom_first(b: str) -> tuple[frozenset[str] | None, str]:
    r"""Return the keys of a branch's first atom (a literal, ``\.``, ``\d``, ``[ab]``), the rest."""
    if b.startswith(r"\d"):
        return frozenset({r"\d"}), b[2:]
    if b[0] == "\\":
        if len(b) < 2 or b[1].isalnum():
            return None, ""
        chars, rest = b[1], b[2:]
    elif b[0] == "[":
        end = b.find("]", 1)
        if end < 2 or any(ch in "\\^-[" for ch in b[1:end]):
            return None, ""
        chars, rest = b[1:end], b[end + 1:]
    elif b[0] in _META:
        return None, ""
    else:
        chars, rest = b[0], b[1:]
    keys = {_first_key(ch) for ch in chars}
    return (None if None in keys else frozenset(k for k in keys if k is not None)), rest


def keyword_search(entry: tuple[tuple[str, ...] | None, re.Pattern[str]], text: str,
                   low: str) -> re.Match[str] | None:
    """Search one prepared keyword list (``(cues, regex)``, see :func:`prepared`)."""
    cues, rx = entry
    if cues is not None:
        for c in cues:
            if c in low:
                break
        else:
            return None
    return rx.search(text)


@dataclass(frozen=True)
class KeywordSets:
    """Named keyword lists asked about together: which of them a text holds.

    Made by :func:`keyword_sets`. One scan of the lower-cased text finds, at every
    position, the longest literal cue starting there (the cues that are its prefixes start
    there too); only the lists one of whose cues is in the text are searched, as
    :func:`keyword_search` would (same cues, same regex): the same answer as searching
    each list, with one pass over the text instead of one cue test per list.
    """

    names: tuple[str, ...]
    regexes: tuple[re.Pattern[str], ...]
    always: frozenset[str]  # lists without literal cues: always searched
    scan: re.Pattern[str] | None
    lists_of_cue: dict[str, frozenset[str]]  # a cue -> the lists with a cue it starts with

    def found(self, text: str) -> frozenset[str]:
        """Return the names of the lists that match ``text``."""
        named = set(self.always)
        if self.scan is not None:
            for cue in self.scan.findall(text.lower()):
                named |= self.lists_of_cue[cue]
        if not named:
            return frozenset()
        return frozenset(n for n, rx in zip(self.names, self.regexes, strict=True)
                         if n in named and rx.search(text))


def keyword_sets(lists: tuple[tuple[str, tuple[str, ...]], ...]) -> KeywordSets:
    """Prepare named keyword lists (``(name, patterns)``) to be asked about together."""
    cue_lists: dict[str, set[str]] = {}
    always = set()
    for name, patterns in lists:
        cues = literal_cues(patterns)
        if cues is None:
            always.add(name)
        for c in cues or ():
            cue_lists.setdefault(c, set()).add(name)
    by_first: dict[str, list[str]] = {}
    for c in sorted(cue_lists, key=lambda c: (-len(c), c)):  # the longest cue first
        by_first.setdefault(c[0], []).append(re.escape(c[1:]))
    scan = re.compile("(?=(" + "|".join(
        f"{re.escape(k)}(?:{'|'.join(rest)})" for k, rest in by_first.items()) + "))") \
        if by_first else None
    lists_of_cue = {c: frozenset().union(*(cue_lists[d] for d in cue_lists if c.startswith(d)))
                    for c in cue_lists}
    return KeywordSets(tuple(n for n, _ in lists), tuple(_words(p) for _, p in lists),
                       frozenset(always), scan, lists_of_cue)


@cache
def prepared(patterns: tuple[str, ...]) -> tuple[tuple[str, ...] | None, re.Pattern[str]]:
    """Return the literal cues and the compiled regex of keyword patterns (made once).

    Only the cues that hold no shorter cue are kept (a text holding "exports" holds
    "export"): the same texts pass the test, with fewer substring tests for each.
    """
    cues = literal_cues(patterns)
    return (None if cues is None else _shortest_cues(list(cues))), _words(patterns)


def search_words(patterns: tuple[str, ...], text: str,
                 low: str | None = None) -> re.Match[str] | None:
    """``words(patterns).search(text)``, skipped when no keyword's literal cue is in ``text``.

    Most keyword patterns start with letters every match must contain ("remittance" for
    ``remittances?``, "less"/"more" for ``(?:less|more) than``): a substring test on the
    lower-cased text rules them out far faster than the regex (tried at every position).
    Patterns without such a cue are always searched. ``low``: ``text.lower()``, when the
    caller asks about one text many times.
    """
    cues = literal_cues(patterns)
    if cues is not None:
        low = text.lower() if low is None else low
        for c in cues:  # a plain loop: cheaper than any() over a generator
            if c in low:
                break
        else:
            return None
    return _words(patterns).search(text)


_META = frozenset("\\()[]{}?*+.|^$")


def _set_end(pattern: str, i: int) -> int | None:
    """Where the character set opened by ``pattern[i] == "["`` ends (just after its "]").

    A "]" first in the set ("[]a]", "[^]a]") is literal, as in :mod:`re`. None if the set
    is not closed.
    """
    j = i + 1 + (pattern[i + 1:i + 2] == "^")
    j += pattern[j:j + 1] == "]"
    while j < len(pattern) and pattern[j] != "]":
        j += 2 if pattern[j] == "\\" else 1
    return j + 1 if j < len(pattern) else None


def _top_level(pattern: str) -> tuple[list[str], int] | None:
    """``pattern`` split at its top-level ``|``, up to an unmatched ``)`` (and where it is).

    None if a character set or escape is left open.
    """
    parts, depth, start, i = [], 0, 0, 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            end = _set_end(pattern, i)
            if end is None:
                return None
            i = end
            continue
        if ch == "(":
            depth += 1
        elif ch == ")" and depth == 0:
            break
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    if i > len(pattern):
        return None
    return [*parts, pattern[start:i]], i


def _cues_of(pattern: str) -> list[str] | None:
    r"""Lower-cased literal text that every match of ``pattern`` contains (one per branch).

    Each branch's cues come from one of its parts that every match holds: a run of literal
    characters, or a group that is not optional (its own branches' cues). Of these, the part
    whose shortest cue is longest: "of (?:\\S+ ){1,3}(?:exports|trade)" is cued by
    "exports"/"trade", not by "of " (in nearly every sentence).
    """
    split = _top_level(pattern)
    if split is None or split[1] != len(pattern):
        return None
    out: list[str] = []
    for b in split[0]:
        best: list[str] | None = None
        for cues in _part_cues(b):
            if best is None or _strength(cues) > _strength(best):
                best = cues
        if best is None:
            return None
        out += best
    return out


def _strength(cues: list[str]) -> int:
    return min(len(c.strip()) for c in cues)


_QUANTIFIER = re.compile(r"(?:[?*+]|\{(\d+)(?:,\d*)?\}|\{,\d+\})[?+]?")
_GROUP_OPENINGS = ("(?:", "(?i:", "(?-i:")
_CLASS_ESCAPES = frozenset("wWsSdD")
_ZERO_WIDTH_ESCAPES = frozenset("bBAZ")


def _at_least_once(q: re.Match[str] | None) -> bool:
    """Whether what a quantifier (or none) follows is in every match: none, "+", "{2,3}"."""
    return q is None or q.group(0)[0] == "+" or int(q.group(1) or 0) >= 1


def _part_cues(b: str) -> Iterator[list[str]]:
    """Yield the cue lists of the parts of branch ``b`` that every match of it holds.

    Reads the branch from its start; stops (yielding what it found so far) at anything it
    does not know, so that what it yields holds for every match.
    """
    lit: list[str] = []

    def run() -> Iterator[list[str]]:
        cue = "".join(lit).lower()
        lit.clear()
        if len(cue) >= 2:
            yield [cue]

    i = 0
    while i < len(b):
        ch = b[i]
        if ch == "(":
            opening = next((o for o in _GROUP_OPENINGS if b.startswith(o, i)), None)
            lookaround = b.startswith(("(?=", "(?!", "(?<=", "(?<!"), i)
            if opening is None and not lookaround:
                break  # a capture, named group or inline flag: not read further
            n = len(opening) if opening else (4 if b.startswith("(?<", i) else 3)
            group = _top_level(b[i + n:])
            if group is None or i + n + group[1] >= len(b):
                break
            close = i + n + group[1]  # the group's ")"
            q = _QUANTIFIER.match(b, close + 1)
            if b.startswith("{", close + 1) and q is None:
                break  # not a quantifier that this reads
            yield from run()
            if opening and _at_least_once(q):
                sub = _cues_of(b[i + n:close])
                if sub is not None:
                    yield sub  # a group every match holds (once or more)
            i = q.end() if q else close + 1
            continue
        if ch == "\\":
            if i + 1 >= len(b):
                break
            nxt = b[i + 1]
            if not nxt.isalnum():
                atom, width = nxt, 2  # an escaped punctuation mark ("no\. ?1") is literal
            elif nxt in _CLASS_ESCAPES or nxt in _ZERO_WIDTH_ESCAPES:
                atom, width = None, 2
            else:
                break  # \x41, \1, ...: not read further
        elif ch == "[":
            end = _set_end(b, i)
            if end is None:
                break
            atom, width = None, end - i
        elif ch in ".^$":
            atom, width = None, 1
        elif ch in _META:
            break  # a quantifier with nothing before it, "|" or ")": not read further
        else:
            atom, width = ch, 1
        i += width
        q = _QUANTIFIER.match(b, i)
        if b.startswith("{", i) and q is None:
            break  # not a quantifier that this reads
        if atom is None:
            yield from run()  # a class, any character, \b, ^: ends a literal run
        elif q is None:
            lit.append(atom)
        elif not _at_least_once(q):
            yield from run()  # "remittances?": the optional character is not in the cue
        else:
            lit.append(atom)  # "a+", "a{2}": the character once, then the run ends
            yield from run()
        if q is not None:
            i = q.end()
    yield from run()


@cache
def literal_cues(patterns: tuple[str, ...]) -> tuple[str, ...] | None:
    """Literal cues of keyword patterns: a text holding none of them matches none of them.

    None when some pattern has no cue of at least two characters (it is always searched).
    """
    out: list[str] = []
    for p in patterns:
        cues = _cues_of(p)
        if cues is None:
            return None
        out += cues
    return tuple(dict.fromkeys(out))


def _without_lookarounds(pattern: str) -> str:
    """``pattern`` with its lookaround groups (``(?=``, ``(?!``, ``(?<=``, ``(?<!``) removed.

    They consume nothing: what may start a match of the rest is what may start a match of
    the whole (a superset of it), which is all :func:`prefiltered` needs.
    """
    out, i = [], 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if ch == "[":
            end = _set_end(pattern, i)
            if end is None:
                return pattern  # an open set: not read (the regex will not compile either)
            out.append(pattern[i:end])
            i = end
            continue
        if pattern.startswith(("(?=", "(?!", "(?<=", "(?<!"), i):
            n = 4 if pattern.startswith("(?<", i) else 3
            group = _top_level(pattern[i + n:])
            if group is None or i + n + group[1] >= len(pattern):
                return pattern  # not read: kept as it is (first_chars then gives up)
            i += n + group[1] + 1
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _shortest_cues(cues: list[str]) -> tuple[str, ...]:
    """Return the cues no shorter cue is part of (a text holding a longer one holds it)."""
    out: list[str] = []
    for c in sorted(dict.fromkeys(cues), key=len):
        if not any(d in c for d in out):
            out.append(c)
    return tuple(out)


@dataclass(frozen=True)
class Prefiltered:
    """A regex searched only where it can match (made by :func:`prefiltered`).

    Two tests, each leaving the answer of ``regex.search`` as it is: a text holding none of
    the pattern's literal cues (lower-cased, see :func:`literal_cues`) is not searched, and
    the search tries only the positions whose character may start a match (a look-ahead on
    the pattern's first characters, :func:`first_chars`). For the patterns that read a short
    window before a number (``...$``) the regex engine otherwise tries each of some 60
    positions with every branch of a long alternation.
    """

    regex: re.Pattern[str]  # the pattern behind its first characters' look-ahead
    cues: tuple[str, ...] | None  # None: every text is searched
    pattern: str  # as written

    def search(self, text: str) -> re.Match[str] | None:
        """``re.compile(pattern, flags).search(text)``, skipped where it cannot match."""
        cues = self.cues
        if cues is not None and (text.isascii() or not ODD_CASE.search(text)):
            low = text.lower()
            for c in cues:  # a plain loop: cheaper than any() over a generator
                if c in low:
                    break
            else:
                return None
        return self.regex.search(text)


def prefiltered(pattern: str, flags: int = re.I) -> Prefiltered:
    """Compile ``pattern`` (with ``flags``) to be searched only where it can match.

    The same matches as ``re.compile(pattern, flags).search``: see :class:`Prefiltered`.
    A pattern whose first characters or cues are not known is searched without that test.
    """
    first = first_chars(_without_lookarounds(pattern))
    lead = ""
    if first is not None:
        keys = sorted(first)
        lead = "(?=[" + "".join(k if k == r"\d" else re.escape(k) + (
            re.escape(k.upper()) if k.isalpha() else "") for k in keys) + "])"
    cues = _cues_of(pattern)
    return Prefiltered(re.compile(lead + pattern, flags),
                       None if cues is None else _shortest_cues(cues), pattern)


@cache
def word_list(name: str) -> tuple[str, ...]:
    """Return the keyword patterns of the list ``name`` of the rules (dotted)."""
    node: Any = rules()
    for part in name.split("."):
        node = node[part]
    return tuple(node)


@cache
def people_abroad() -> str:
    r"""Return the words for people abroad as one group (``claim_rules.yaml`` migrant_people).

    For a regex that asks whether a country token is followed by them ("Salvadoran emigrants",
    "Tajik labour migrants"): ``(?:migrants?|emigrants?|...)\b``, spaces read as ``\s+``.
    """
    return "(?:" + "|".join(p.replace(" ", r"\s+") for p in word_list("migrant_people")) + r")\b"


@cache
def word_set(name: str) -> re.Pattern[str]:
    """Return the compiled keyword list ``name`` of the rules (dotted, e.g. ``status.idle``)."""
    return words(word_list(name))


#: Characters that re.IGNORECASE matches to an ASCII letter while str.lower() does not lower
#: them to one (U+0130, U+0131, U+017F, U+212A): a literal-cue test on ``text.lower()`` may
#: miss a match in a text holding one of them.
ODD_CASE = re.compile("[\u0130\u0131\u017f\u212a]")


def has_words(name: str, text: str) -> bool:
    """Whether ``word_set(name)`` matches ``text``: by :func:`find` (cue test, remembered).

    The same answer as ``word_set(name).search(text)``, also for a text with one of the
    :data:`ODD_CASE` characters (searched without the cue test).
    """
    if ODD_CASE.search(text):
        return word_set(name).search(text) is not None
    return find(name, text) is not None


@lru_cache(maxsize=1024)
def find(name: str, text: str) -> re.Match[str] | None:
    """``word_set(name).search(text)``, remembered for the last texts asked about.

    A sentence is asked about the same keyword list several times (whether it is a
    candidate, then by the claim readers); the memory is small, a few sentences deep.
    """
    return keyword_search(_named(name), text, text.lower())


@cache
def _named(name: str) -> tuple[tuple[str, ...] | None, re.Pattern[str]]:
    return prepared(word_list(name))


def prepared_list(name: str) -> tuple[tuple[str, ...] | None, re.Pattern[str]]:
    """Return the prepared keyword list ``name`` of the rules (dotted), found by its name."""
    return _named(name)


@cache
def prepared_all(name: str, key: str | None = None) -> tuple[tuple[str, ...] | None,
                                                             re.Pattern[str]]:
    """Return every keyword of a group of lists (see :func:`all_words`), prepared once."""
    return prepared(all_word_list(name, key))


@cache
def all_word_list(name: str, key: str | None = None) -> tuple[str, ...]:
    """Every keyword of a group of lists in the rules (see :func:`all_words`)."""
    node: Any = rules()[name]
    lists = node.values() if isinstance(node, dict) else [item[key] for item in node]
    return tuple(p for pats in lists for p in pats)


@cache
def all_words(name: str, key: str | None = None) -> re.Pattern[str]:
    """One regex over every keyword of a group of lists in the rules (compiled once).

    ``all_words("products")``: every product's keywords; ``all_words("levers",
    "keywords")``: the keywords of every lever. One search says whether any is named.
    """
    return words(all_word_list(name, key))


@dataclass(frozen=True)
class Alias:
    """One name of a country or asset."""

    alias: str
    kind: str  # country, demonym, metonym, asset
    code: str


def _csv(name: str) -> list[dict[str, str]]:
    text = resources.files("geolever.reference").joinpath(name).read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def demonym(name: str) -> str | None:
    """Return the regular demonym of a country name ("Georgia" -> "Georgian"), or None."""
    if name.endswith("ia"):
        return name + "n"
    return None


@cache
def all_aliases() -> tuple[Alias, ...]:
    """Return every alias: the hand-kept files, then generated places and country names.

    ``claim_aliases.csv`` and ``claim_demonyms.csv`` first, then the capitals and demonyms of
    ``claim_places.csv``, then the names (and regular demonyms) of every country.
    """
    out = [Alias(r["alias"], r["kind"], r["code"]) for r in _csv("claim_aliases.csv")]
    out += [Alias(r["demonym"], "demonym", r["code"]) for r in _csv("claim_demonyms.csv")]
    known = {a.alias for a in out}
    # capitals and demonyms of every country, generated from GeoNames and countryinfo
    # (claim_places.SOURCES.md); a name in the two files above wins
    for r in _csv("claim_places.csv"):
        if r["alias"] not in known:
            out.append(Alias(r["alias"], r["kind"], r["code"]))
            known.add(r["alias"])
    for c in pycountry.countries:
        names = {c.name, getattr(c, "common_name", c.name)}
        for name in sorted(names):
            if "," in name or "(" in name:
                continue  # "Korea, Republic of", "Bolivia (Plurinational State of)"
            if name not in known:
                out.append(Alias(name, "country", c.alpha_3))
                known.add(name)
            dem = demonym(name)
            if dem and dem not in known:
                out.append(Alias(dem, "demonym", c.alpha_3))
                known.add(dem)
    return tuple(out)


# Country names that are also common words: matched only as written ("Turkey", not "turkey").
_CASE_SENSITIVE = frozenset({"turkey", "chad", "jordan", "guinea", "niger", "georgia", "mali",
                             "togo", "cuba", "peru", "oman", "iran", "iraq", "india", "japan"})


def _body(alias: Alias) -> str:
    name = alias.alias
    body = re.escape(name).replace(r"\-", "[-\u2010-\u2015 ]?").replace(r"\ ", r"\s+")
    if name[0].islower():
        body = f"[{name[0].upper()}{name[0]}]{body[1:]}"
    elif alias.kind == "asset" or (alias.kind == "country" and len(name) > 4
                                   and name.lower() not in _CASE_SENSITIVE):
        body = f"(?i:{body})"  # "the Northern route", "china accounts for"
    return body


def alias_key(text: str) -> str:
    """Normalised lookup key of a matched name (case, dashes, spaces, possessive)."""
    text = _POSSESSIVE.sub("", text)
    text = _DASH_SPACE.sub(" ", text)
    return text.lower()


_POSSESSIVE = re.compile(r"(?:'s|’s)$")
_DASH_SPACE = re.compile(r"[\s\u2010-\u2015-]+")


@cache
def alias_index() -> tuple[re.Pattern[str], dict[str, Alias]]:
    """Return one regex over every alias and the lookup from a normalised match to its alias.

    Longest first, so assets win over the city in their name; one pass over a sentence, not
    one per name.
    """
    aliases = sorted(all_aliases(), key=lambda a: -len(a.alias))
    lookup: dict[str, Alias] = {}
    for a in aliases:
        lookup.setdefault(alias_key(a.alias), a)
    # Grouped by first letter behind a look-ahead: at each word start one bucket is tried,
    # not every alias (the same matches, in the same longest-first order within a letter).
    buckets: dict[str, list[str]] = {}
    for a in aliases:
        buckets.setdefault(a.alias[0].lower(), []).append(_body(a))
    body = "|".join(
        f"(?=[{re.escape(k)}{re.escape(k.upper())}])(?:{'|'.join(b)})" for k, b in buckets.items())
    rx = re.compile(rf"(?<![\w⟦@])(?:{body})(?:'s|’s)?(?![\w⟧])")
    return rx, lookup
