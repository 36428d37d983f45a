"""Sanitising user-written text with nh3: what survives is inert HTML."""

import nh3

# Paragraphs, lists and links only (issue: consultations comments).
BASIC_TAGS = {"p", "br", "ul", "ol", "li", "a", "strong", "em"}
BASIC_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}


def clean_html(text: str) -> str:
    """Keep a small safe subset of HTML; links get rel="nofollow ugc noopener"."""
    return nh3.clean(
        text or "",
        tags=BASIC_TAGS,
        attributes=BASIC_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc noopener noreferrer",
        strip_comments=True,
    )


def clean_text(text: str) -> str:
    """Plain text: every tag removed, entities escaped by the template later."""
    return nh3.clean(text or "", tags=set(), strip_comments=True)
