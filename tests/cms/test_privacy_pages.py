"""The privacy notice and the accessibility statement: Wagtail pages in both
languages, linked from every page's footer."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("lang", "privacy", "accessibility"),
    [
        ("ko", "개인정보 처리방침", "웹 접근성 정책"),
        ("en", "Privacy notice", "Accessibility statement"),
    ],
)
def test_footer_links_both_pages(client, site_pages, lang, privacy, accessibility):
    home = client.get(f"/{lang}/").content.decode()
    footer = home[home.index("<footer") :]
    assert f'<a href="/{lang}/privacy/">{privacy}</a>' in footer
    assert f'<a href="/{lang}/accessibility/">{accessibility}</a>' in footer
    page = client.get(f"/{lang}/privacy/")
    assert page.status_code == 200
    assert ("보유 기간" if lang == "ko" else "How long we keep it") in page.content.decode()
    assert client.get(f"/{lang}/accessibility/").status_code == 200
