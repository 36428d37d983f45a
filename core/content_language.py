"""Which language a piece of user-written text is in (issue 20, "lang on user
content in the other language").

Residents write in Korean or English whatever page they post from (a Korean
comment is often posted from an `/en/` page), so the request's language says
little. The text itself does: Hangul syllables against Latin letters, with
Hangul weighted because one syllable carries what takes two or three letters
and because Korean writing routinely carries Latin acronyms (UN, NGO) while
English writing rarely carries Hangul. Text with neither (numbers, emoji)
is undecided and falls back to what was stored, else nothing.
"""

from __future__ import annotations

import re

from django.utils.html import strip_tags

_HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
_LATIN = re.compile(r"[A-Za-z]")
# Hangul share of the letters above which the text is Korean (one syllable ~ 2.5 letters).
KOREAN_SHARE = 0.25
# Only the start of a long text is read: enough to decide, bounded in cost.
SAMPLE = 2000


def detect(text: str, *, fallback: str = "") -> str:
    """ "ko", "en", or `fallback` when the text has no letters to go by."""
    sample = strip_tags(text or "")[:SAMPLE]
    hangul = len(_HANGUL.findall(sample))
    latin = len(_LATIN.findall(sample))
    if hangul + latin == 0:
        return (fallback or "").split("-")[0]
    return "ko" if hangul / (hangul + latin) >= KOREAN_SHARE else "en"


def lang_attribute(*texts: str, page_language: str, fallback: str = "") -> str:
    """` lang="ko"` when the texts are in a language other than the page's, else ""."""
    language = detect(" ".join(t for t in texts if t), fallback=fallback)
    page = (page_language or "").split("-")[0]
    if not language or language == page:
        return ""
    return f' lang="{language}"'
