"""The KRDS site frame (issue 13): the official-site banner and identifier from
the office settings, the status-check links, breadcrumbs, strict CSP (no inline
style or script), and vendored tokens that cover every custom property used."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
VENDOR = ROOT / "static" / "vendor" / "krds"

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("lang", "banner", "identifier"),
    [
        (
            "ko",
            "이 누리집은 광주광역시 공식 누리집입니다.",
            "이 누리집은 광주광역시에서 운영합니다.",
        ),
        (
            "en",
            "This is an official website of Gwangju Metropolitan City.",
            "This website is run by Gwangju Metropolitan City.",
        ),
    ],
)
def test_banner_and_identifier_name_the_operating_body(
    client, site_pages, lang, banner, identifier
):
    html = client.get(f"/{lang}/").content.decode()
    assert banner in html
    assert identifier in html


def test_menu_and_footer_link_the_complaint_status_check(client, site_pages):
    html = client.get("/ko/charter/").content.decode()
    assert html.count('href="/ko/complaints/status/"') >= 3  # desktop menu, phone menu, footer


def test_footer_links_a_privacy_notice_when_there_is_one(client, site_pages):
    from cms.models import HomePage, StandardPage

    home = HomePage.objects.get(locale__language_code="ko")
    for page in StandardPage.objects.child_of(home).filter(slug="privacy"):
        page.delete()  # the demo seeds one; start without it
    footer = client.get("/ko/").content.decode()
    assert 'href="/ko/privacy/"' not in footer[footer.index('id="krds-footer"') :]
    home.add_child(instance=StandardPage(title="개인정보 처리방침", slug="privacy"))
    html = client.get("/ko/").content.decode()
    footer = html[html.index('id="krds-footer"') :]
    assert 'href="/ko/privacy/"' in footer


def test_breadcrumbs_show_the_trail_below_home(client, site_pages):
    html = client.get("/en/charter/").content.decode()
    trail = html[
        html.index("krds-breadcrumb-wrap") : html.index(
            "</nav>", html.index("krds-breadcrumb-wrap")
        )
    ]
    assert 'href="/en/"' in trail
    assert 'aria-current="page"' in trail
    assert "krds-breadcrumb-wrap" not in client.get("/en/").content.decode()


@pytest.mark.parametrize(
    "path", ["/ko/", "/ko/petitions/", "/en/complaints/new/", "/ko/accounts/login/"]
)
def test_pages_have_no_inline_style_or_script(client, site_pages, path):
    html = client.get(path).content.decode()
    assert "<style" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert " style=" not in html


def test_vendored_tokens_define_every_custom_property_our_css_uses():
    # (KRDS's own components name a few properties KRDS never defines; those fall back.)
    site_css = (ROOT / "static/css/site.css").read_text()
    defined = set(
        re.findall(r"(--[\w-]+)\s*:", (VENDOR / "krds-tokens.css").read_text() + site_css)
    )
    used = set(re.findall(r"var\((--[\w-]+)", site_css))
    assert used - defined == set()  # else run `make krds` after adding a token


def test_vendored_krds_is_pinned_with_its_licence():
    assert (VENDOR / "VERSION").read_text().strip() == "1.1.0"
    assert "ISC" in (VENDOR / "LICENSE.md").read_text()
    for icon in re.findall(r'url\("([^"]+)"\)', (VENDOR / "krds-components.css").read_text()):
        assert (VENDOR / icon).exists(), icon
