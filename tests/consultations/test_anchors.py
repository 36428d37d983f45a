"""A comment stays on its section when the editor rewords it, inserts a section
before it and publishes a new revision; translations keep the anchors."""

import json

from wagtail.models import Locale

from consultations import services
from consultations.models import ConsultationPage
from tests.consultations.conftest import section


def test_comment_follows_its_section_through_edits(client_for, consultation, resident):
    target = consultation.sections()[1]
    comment = services.comment_create(
        page=consultation, author=resident, body="About section two", section=target["anchor"]
    )

    page = ConsultationPage.objects.get(pk=consultation.pk)
    raw = list(page.draft.raw_data)
    for block in raw:
        if block["id"] == target["anchor"]:
            block["value"]["title"] = "Section two, reworded"
            block["value"]["body"] = "<p>Completely new words.</p>"
    raw.insert(0, section("A brand new first section"))
    page.draft = json.dumps(raw)
    page.save_revision().publish()

    page = ConsultationPage.objects.get(pk=consultation.pk)
    titles = [s["title"] for s in page.sections()]
    assert titles[0] == "A brand new first section"
    assert titles[2] == "Section two, reworded"
    assert page.sections()[2]["anchor"] == target["anchor"]
    comment.refresh_from_db()
    assert page.section_title(comment.section) == "Section two, reworded"

    api = (
        client_for(None)
        .get(f"/api/v1/consultations/{page.pk}/comments?section={target['anchor']}")
        .json()
    )
    assert [c["id"] for c in api["items"]] == [comment.pk]
    html = client_for(None).get(page.url).content.decode()
    assert f'id="section-{target["anchor"]}"' in html
    assert f'href="#section-{target["anchor"]}">Section two, reworded</a>' in html


def test_translation_keeps_section_anchors_and_shares_comments(client_for, consultation, resident):
    english = Locale.objects.get_or_create(language_code="en")[0]
    index_en = consultation.get_parent().copy_for_translation(english)
    index_en.save_revision().publish()
    page_en = consultation.copy_for_translation(english)
    page_en.save_revision().publish()
    page_en = ConsultationPage.objects.get(pk=page_en.pk)
    assert [s["anchor"] for s in page_en.sections()] == [
        s["anchor"] for s in consultation.sections()
    ]
    comment = services.comment_create(
        page=consultation,
        author=resident,
        body="한국어 의견",
        section=consultation.sections()[0]["anchor"],
    )
    items = client_for(None).get(f"/api/v1/consultations/{page_en.pk}/comments").json()["items"]
    assert [c["id"] for c in items] == [comment.pk]
