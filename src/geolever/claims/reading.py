"""Read plain text, Markdown or HTML into paragraphs and split them into sentences.

HTML is parsed with the standard library's :class:`html.parser.HTMLParser`; Markdown is
rendered to HTML with ``markdown-it-py`` (CommonMark + tables) and then read the same way,
so list items, headings and table cells become their own blocks.
"""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser
from typing import Literal

from markdown_it import MarkdownIt

from geolever.claims.vocabulary import rules
from geolever.core.errors import InvalidDataError

Format = Literal["auto", "text", "md", "html"]
FORMATS = ("auto", "text", "md", "html")
MAX_TEXT_BYTES = 1_000_000

_BLOCK_TAGS = {
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "br",
    "tr",
    "td",
    "th",
    "table",
    "blockquote",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "aside",
    "pre",
    "figcaption",
    "dd",
    "dt",
    "hr",
    "title",
    "caption",
}
_SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "head"}


class _TextExtractor(HTMLParser):
    """Collect the visible text of an HTML document as blocks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._buf: list[str] = []
        self._skip = 0

    def _flush(self) -> None:
        text = " ".join("".join(self._buf).split())
        if text:
            self.blocks.append(text)
        self._buf = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._buf.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def html_blocks(html: str) -> list[str]:
    """Visible text blocks (paragraphs, list items, headings, cells) of an HTML document."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    return parser.blocks


def markdown_blocks(md: str) -> list[str]:
    """Text blocks of a Markdown document (rendered with markdown-it, then read as HTML)."""
    return html_blocks(MarkdownIt("commonmark").enable("table").render(md))


def text_blocks(text: str) -> list[str]:
    """Paragraphs of plain text: blank lines separate them, wrapped lines are joined."""
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]


def detect_format(text: str) -> Literal["text", "md", "html"]:
    """Guess the format: HTML tags, Markdown markers, else plain text."""
    if re.search(r"<(?:html|body|p|div|h[1-6]|article|section|ul|li|br|span)\b[^>]*>", text, re.I):
        return "html"
    md_markers = (
        r"^#{1,6}\s",
        r"^\s*[-*+]\s+\S",
        r"\*\*\S",
        r"\[[^\]]+\]\([^)]+\)",
        r"^>\s",
        r"^\s*\d+\.\s+\S",
        r"^\|.+\|\s*$",
    )
    if any(re.search(p, text, re.M) for p in md_markers):
        return "md"
    return "text"


def read_blocks(text: str, fmt: Format = "auto") -> tuple[list[str], str]:
    """Return the text blocks of ``text`` and the format used.

    Raises
    ------
    InvalidDataError
        Unknown format, empty text, or text over :data:`MAX_TEXT_BYTES`.
    """
    if fmt not in FORMATS:
        raise InvalidDataError(
            f"unknown text format {fmt!r}", field="format", fix=f"use one of: {', '.join(FORMATS)}"
        )
    size = len(text.encode("utf-8", errors="replace"))
    if size > MAX_TEXT_BYTES:
        raise InvalidDataError(
            f"the text is {size:,} bytes, over the limit of {MAX_TEXT_BYTES:,}",
            field="text",
            fix="split the text and check it in parts",
        )
    if not text.strip():
        raise InvalidDataError(
            "the text is empty", field="text", fix="give a text with at least one sentence"
        )
    used = detect_format(text) if fmt == "auto" else fmt
    reader = {"html": html_blocks, "md": markdown_blocks, "text": text_blocks}[used]
    blocks = [b for b in reader(text) if b.strip()]
    if not blocks:
        raise InvalidDataError(
            "the text has no visible words",
            field="text",
            fix="give a text with at least one sentence",
        )
    return blocks, used


@cache
def _abbreviations() -> frozenset[str]:
    """Lower-cased words after which a full stop does not end a sentence (made once)."""
    return frozenset(a.lower() for a in rules()["abbreviations"])


_BOUNDARY = re.compile(r"([.!?])([\"'”’)\]]*)\s+(?=[\"'“‘(\[]?[A-Z0-9$€£₼])")


def split_sentences(block: str) -> list[str]:
    """Split a paragraph into sentences at . ! ? followed by a capital or digit.

    A full stop after a known abbreviation (``reference/claim_rules.yaml``), a single
    capital letter (initials) or inside a number does not end a sentence.
    """
    abbreviations = _abbreviations()
    out: list[str] = []
    start = 0
    for m in _BOUNDARY.finditer(block):
        if m.group(1) == ".":
            last = _last_word(block, start, m.start()).lower().strip("(\"'")
            if (
                last in abbreviations
                or re.fullmatch(r"[a-z]", last)
                or re.fullmatch(r"(?:[a-z]\.)+[a-z]", last)
            ):
                continue
        out.append(block[start : m.end()].strip())
        start = m.end()
    tail = block[start:].strip()
    if tail:
        out.append(tail)
    return out


def _last_word(text: str, start: int, end: int) -> str:
    """Return ``text[start:end].split()[-1]`` (or ""), reading back from ``end`` only.

    Splitting the whole span at each full stop made a paragraph of abbreviations quadratic
    ("Mr. A Mr. A ...": 240 KB took 68 s); this reads the last word and the spaces after it.
    """
    e = end
    while e > start and text[e - 1].isspace():
        e -= 1
    w = e
    while w > start and not text[w - 1].isspace():
        w -= 1
    return text[w:e]
