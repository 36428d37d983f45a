"""Sanitising user-written text with nh3: what survives is inert HTML, with no
bidirectional control characters (issue 17)."""

import re

import nh3

# Paragraphs, lists and links only (issue: consultations comments).
BASIC_TAGS = {"p", "br", "ul", "ol", "li", "a", "strong", "em"}
BASIC_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}

# Embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) and the
# invisible direction marks (LRM, RLM, ALM): they reorder what a reader sees
# ("Trojan Source", file names like "invoice\u202efdp.exe"). Korean and
# English text never needs them; right-to-left scripts get their direction from
# the characters themselves.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def strip_bidi(text: str) -> str:
    """`text` without bidirectional control characters."""
    return BIDI_CONTROLS.sub("", text or "")


def clean_html(text: str) -> str:
    """Keep a small safe subset of HTML; links get rel="nofollow ugc noopener"."""
    return nh3.clean(
        strip_bidi(text),
        tags=BASIC_TAGS,
        attributes=BASIC_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc noopener noreferrer",
        strip_comments=True,
    )


def clean_text(text: str) -> str:
    """Plain text: every tag removed, entities escaped by the template later."""
    return nh3.clean(strip_bidi(text), tags=set(), strip_comments=True)
