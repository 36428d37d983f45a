from io import StringIO

from accounts import demo as accounts_demo
from consultations import demo
from consultations.models import Comment, ConsultationPage, Discussion, Proposal


def test_demo_seed_is_idempotent_and_bilingual(site_pages, client_for):
    accounts_demo.seed(stdout=StringIO())
    demo.seed(stdout=StringIO())
    demo.seed(stdout=StringIO())
    pages = ConsultationPage.objects.live()
    assert pages.count() == 4
    assert {p.phase for p in pages} == {"open", "closed"}
    for page in pages.filter(locale__language_code="ko"):
        english = page.get_translation(type(page.locale).objects.get(language_code="en")).specific
        assert [s["anchor"] for s in english.sections()] == [s["anchor"] for s in page.sections()]
    assert Discussion.objects.count() == 2
    open_page = next(p for p in pages if p.phase == "open")
    discussion = Discussion.objects.get(translation_key=open_page.translation_key)
    assert discussion.comment_count == Comment.objects.filter(discussion=discussion).count() >= 4
    # One discussion is shared by both languages' pages, so what residents wrote
    # shows on the Korean page too: the demo writes it in Korean (no English on
    # /ko/); the pages themselves are in both languages (above).
    assert not Comment.objects.exclude(language="ko").exists()
    assert Proposal.objects.filter(support_count__gt=0).count() == 4
    assert Proposal.objects.filter(status__in=["accepted", "rejected"]).count() == 2
    for lang in ("ko", "en"):
        index = client_for(None).get(f"/{lang}/consultations/")
        assert index.status_code == 200
    for page in pages:
        assert client_for(None).get(page.url).status_code == 200
