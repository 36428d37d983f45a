"""Both languages: the right `lang`, and no English UI string left on Korean pages."""

from html.parser import HTMLParser

import polib
import pytest

from core.compilemessages import catalogues
from core.i18n_check import problems


class TextNodes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in ("aria-label", "title", "placeholder", "alt") and value:
                self.texts.append(value.strip())

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.append(" ".join(data.split()))


def english_ui_strings() -> set[str]:
    strings = set()
    for path in catalogues():
        if "/ko/" in str(path):
            for entry in polib.pofile(str(path)):
                if entry.msgstr and entry.msgstr != entry.msgid and "%" not in entry.msgid:
                    strings.add(entry.msgid)
    return strings


def test_every_korean_catalogue_entry_is_translated():
    assert problems() == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/ko/", "/ko/charter/", "/ko/accounts/login/", "/ko/accounts/signup/", "/ko/does-not-exist/"],
)
def test_korean_pages_show_no_english_ui_string(client, site_pages, path):
    response = client.get(path)
    html = response.content.decode()
    assert '<html lang="ko">' in html
    parser = TextNodes()
    parser.feed(html)
    leftovers = english_ui_strings().intersection(parser.texts)
    assert leftovers == set()


@pytest.mark.django_db
def test_korean_and_english_chrome(client, site_pages):
    korean = client.get("/ko/").content.decode()
    english = client.get("/en/").content.decode()
    assert "본문으로 건너뛰기" in korean and "Skip to main content" not in korean
    assert "Skip to main content" in english and '<html lang="en">' in english
    # The language switcher links to the same page in the other language.
    assert 'href="/en/" lang="en" hreflang="en"' in korean
    assert 'href="/ko/charter/"' in client.get("/en/charter/").content.decode()


@pytest.mark.django_db
def test_root_redirects_to_a_language(client, site_pages):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert response["Location"] == "/en/"
    assert client.get("/")["Location"] == "/ko/"
