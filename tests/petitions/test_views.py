from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import Notification
from petitions import services
from petitions.models import Petition, Signature
from tests import factories
from tests.petitions.factories import PetitionFactory, SignatureFactory, add_signatures

pytestmark = pytest.mark.django_db

S = Petition.Status


def url(name, petition=None, lang="en"):
    from django.utils import translation

    with translation.override(lang):
        if petition is None:
            return reverse(f"petitions:{name}")
        return reverse(f"petitions:{name}", kwargs={"pk": petition.pk})


# --- list ---------------------------------------------------------------------------


def test_list_tabs_search_sort_and_nav(client, site_pages):
    open_ = PetitionFactory(title="Ramps at the library")
    PetitionFactory(title="Benches by the river")
    PetitionFactory(title="Answered one", status=S.ANSWERED)
    PetitionFactory(title="Hidden draft", status=S.DRAFT)
    response = client.get(url("list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ramps at the library" in html and "Benches by the river" in html
    assert "Answered one" not in html and "Hidden draft" not in html
    assert 'aria-current="page">Open<' in html
    searched = client.get(url("list"), {"q": "ramps", "sort": "closing"}).content.decode()
    assert open_.title in searched and "Benches" not in searched
    answered = client.get(url("list"), {"status": "answered"}).content.decode()
    assert "Answered one" in answered and "Ramps" not in answered


def test_list_in_korean(client, site_pages):
    PetitionFactory()
    response = client.get(url("list", lang="ko"))
    assert response.status_code == 200
    assert '<html lang="ko">' in response.content.decode()
    assert "청원" in response.content.decode()


def test_list_bad_filter_values_fall_back(client, site_pages):
    PetitionFactory(title="Ramps")
    response = client.get(url("list"), {"status": "nonsense", "sort": "x", "page": "zz"})
    assert response.status_code == 200
    assert "Ramps" in response.content.decode()


@pytest.mark.parametrize("page", ["list", "detail"])
def test_pages_same_query_count_with_10_and_5000_signatures(
    client_for, site_pages, django_assert_num_queries, page
):
    viewer = factories.resident()
    client = client_for(viewer)
    small = PetitionFactory(title="Small", threshold=100000)
    add_signatures(small, 10)
    path_small = url("detail", small) if page == "detail" else url("list")
    client.get(path_small)  # warm caches (site settings, menus)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path_small).status_code == 200
    baseline = len(ctx.captured_queries)

    big = PetitionFactory(title="Big", threshold=100000)
    add_signatures(big, 5000)
    assert Signature.objects.filter(petition=big).count() == 5000
    path_big = url("detail", big) if page == "detail" else url("list")
    with django_assert_num_queries(baseline):
        response = client.get(path_big)
    assert response.status_code == 200
    assert "5000" in response.content.decode() or "5,000" in response.content.decode()


# --- detail -------------------------------------------------------------------------


def test_detail_shows_progress_and_sign_form(client_for, resident, site_pages):
    petition = PetitionFactory(threshold=10, signature_count=0)
    add_signatures(petition, 4)
    html = client_for(resident).get(url("detail", petition)).content.decode()
    assert '<progress max="10" value="4"' in html
    assert "4 signatures of 10 needed" in html
    assert f'action="{url("sign", petition)}"' in html
    assert 'name="show_name"' in html


def test_detail_shows_named_signers_only(client, site_pages):
    petition = PetitionFactory()
    SignatureFactory(petition=petition, user=factories.resident(display_name="Visible Vera"))
    Signature.objects.update(show_name=True)
    SignatureFactory(petition=petition, user=factories.resident(display_name="Hidden Hana"))
    html = client.get(url("detail", petition)).content.decode()
    assert "Visible Vera" in html and "Hidden Hana" not in html


@pytest.mark.parametrize("state", [S.DRAFT, S.AWAITING_MODERATION, S.REJECTED])
def test_detail_of_unpublished_is_404_for_others(client_for, state, site_pages):
    petition = PetitionFactory(status=state)
    assert client_for(factories.resident()).get(url("detail", petition)).status_code == 404
    assert client_for(None).get(url("detail", petition)).status_code == 404
    assert client_for(petition.creator).get(url("detail", petition)).status_code == 200


def test_rejected_petition_shows_reason_to_creator(client_for, site_pages):
    petition = PetitionFactory(
        status=S.REJECTED, rejection_reason="duplicate", rejection_note="See petition 4."
    )
    html = client_for(petition.creator).get(url("detail", petition)).content.decode()
    assert "There is already a petition about this" in html
    assert "See petition 4." in html


# --- signing without JavaScript --------------------------------------------------------


def test_sign_with_plain_form_post(client_for, resident, site_pages):
    petition = PetitionFactory()
    client = client_for(resident)
    response = client.post(url("sign", petition), {"show_name": "on"}, follow=True)
    assert response.redirect_chain[-1][0] == url("detail", petition)
    assert "Your signature is counted" in response.content.decode()
    assert Signature.objects.get().show_name is True
    again = client.post(url("sign", petition), follow=True)
    assert "already signed" in again.content.decode()
    services.petition_fold(petition_id=petition.pk)
    petition.refresh_from_db()
    assert petition.signature_count == 1


def test_the_signer_sees_their_signature_counted_before_the_fold(client_for, resident, site_pages):
    petition = PetitionFactory(threshold=10)
    add_signatures(petition, 4)  # folded
    response = client_for(resident).post(url("sign", petition), follow=True)
    html = response.content.decode()
    assert "Your signature is counted" in html
    assert "5 signatures of 10 needed" in html
    assert '<progress max="10" value="5"' in html
    petition.refresh_from_db()
    assert petition.signature_count == 4  # the column waits for the fold
    # A list shows the folded column until the fold (within two seconds).
    services.petition_fold(petition_id=petition.pk)
    petition.refresh_from_db()
    assert petition.signature_count == 5
    anonymous = client_for(None).get(url("detail", petition)).content.decode()
    assert "5 signatures of 10 needed" in anonymous


def test_sign_anonymous_redirects_to_login(client, site_pages):
    petition = PetitionFactory()
    response = client.post(url("sign", petition))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not Signature.objects.exists()


def test_sign_unverified_gets_clear_403(client_for, site_pages):
    petition = PetitionFactory()
    response = client_for(factories.resident(email_verified=False)).post(url("sign", petition))
    assert response.status_code == 403
    assert "Confirm your e-mail address" in response.content.decode()
    assert not Signature.objects.exists()


def test_detail_explains_why_unverified_cannot_sign(client_for, site_pages):
    petition = PetitionFactory()
    client = client_for(factories.resident(email_verified=False))
    html = client.get(url("detail", petition)).content.decode()
    assert "Confirm your e-mail address" in html
    assert f'action="{url("sign", petition)}"' not in html


def test_sign_expired_refused(client_for, resident, site_pages):
    petition = PetitionFactory(closes_at=timezone.now() - timedelta(minutes=1))
    response = client_for(resident).post(url("sign", petition), follow=True)
    assert "This petition is closed" in response.content.decode()
    assert not Signature.objects.exists()


def test_sign_get_not_allowed(client_for, resident, site_pages):
    petition = PetitionFactory()
    assert client_for(resident).get(url("sign", petition)).status_code == 405


def test_withdraw_with_plain_form(client_for, resident, site_pages):
    petition = PetitionFactory(signature_count=1)
    SignatureFactory(petition=petition, user=resident)
    response = client_for(resident).post(url("withdraw", petition), follow=True)
    assert "Your signature was withdrawn" in response.content.decode()
    petition.refresh_from_db()
    assert petition.signature_count == 0 and not Signature.objects.exists()


# --- create and submit ---------------------------------------------------------------------


def test_create_then_submit(client_for, resident, site_pages):
    client = client_for(resident)
    assert client.get(url("create")).status_code == 200
    response = client.post(
        url("create"),
        {"title": "Ramps", "action": "Build ramps.", "background": "Wheelchairs."},
    )
    petition = Petition.objects.get()
    assert response["Location"] == url("detail", petition)
    assert petition.status == S.DRAFT and petition.creator == resident
    client.post(url("submit", petition))
    petition.refresh_from_db()
    assert petition.status == S.AWAITING_MODERATION


def test_create_shows_errors(client_for, resident, site_pages):
    response = client_for(resident).post(url("create"), {"title": "", "action": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert "error-summary" in html and 'href="#id_title"' in html
    assert not Petition.objects.exists()


def test_create_refused_for_unverified_and_staff(client_for, site_pages):
    assert (
        client_for(factories.resident(email_verified=False)).get(url("create")).status_code == 403
    )
    response = client_for(factories.moderator()).post(url("create"), {"title": "T", "action": "A"})
    assert response.status_code == 403
    assert not Petition.objects.exists()
    assert client_for(None).get(url("create")).status_code == 302


def test_submit_by_someone_else_is_refused(client_for, site_pages):
    petition = PetitionFactory(status=S.DRAFT)
    assert client_for(factories.resident()).post(url("submit", petition)).status_code == 404
    petition.refresh_from_db()
    assert petition.status == S.DRAFT


SEND = "Send to the moderators"


@pytest.mark.parametrize("state", [S.OPEN, S.AWAITING_RESPONSE, S.ANSWERED, S.CLOSED])
def test_no_send_section_for_a_superuser_on_someone_elses_petition(client_for, site_pages, state):
    # has_perm says yes to a superuser on anything; only the author sends their petition.
    petition = PetitionFactory(status=state)
    html = client_for(factories.superuser()).get(url("detail", petition)).content.decode()
    assert SEND not in html


def test_send_section_for_the_author_of_a_draft_only(client_for, site_pages):
    draft = PetitionFactory(status=S.DRAFT)
    assert SEND in client_for(draft.creator).get(url("detail", draft)).content.decode()
    own = PetitionFactory(status=S.DRAFT, creator=factories.superuser())
    assert SEND in client_for(own.creator).get(url("detail", own)).content.decode()
    sent = PetitionFactory(status=S.AWAITING_MODERATION)
    assert SEND not in client_for(sent.creator).get(url("detail", sent)).content.decode()


def test_my_petitions(client_for, site_pages):
    mine = PetitionFactory(status=S.DRAFT, title="My own draft")
    PetitionFactory(title="Someone else's")
    html = client_for(mine.creator).get(url("mine")).content.decode()
    assert "My own draft" in html and "Someone else" not in html
    assert client_for(None).get(url("mine")).status_code == 302


# --- editing a draft ---------------------------------------------------------------------------

EDIT = {"title": "Ramps at both doors", "action": "Build two ramps.", "background": "Wheels."}


def text_of(petition):
    petition.refresh_from_db()
    return (petition.title, petition.action, petition.background)


def test_creator_reaches_the_edit_page_from_the_petition_and_their_list(client_for, site_pages):
    petition = PetitionFactory(status=S.DRAFT)
    client = client_for(petition.creator)
    edit_link = f'href="{url("edit", petition)}"'
    assert edit_link in client.get(url("detail", petition)).content.decode()
    assert edit_link in client.get(url("mine")).content.decode()
    html = client.get(url("edit", petition)).content.decode()
    assert "<h1>Change your draft</h1>" in html
    assert f'value="{petition.title}"' in html
    assert petition.action in html and petition.background in html
    assert '<label for="id_title">' in html


def test_no_edit_link_once_sent(client_for, moderator, site_pages):
    petition = PetitionFactory(status=S.AWAITING_MODERATION)
    edit_link = f'href="{url("edit", petition)}"'
    creator = client_for(petition.creator)
    assert edit_link not in creator.get(url("detail", petition)).content.decode()
    assert edit_link not in creator.get(url("mine")).content.decode()
    assert edit_link not in client_for(moderator).get(url("detail", petition)).content.decode()


def test_creator_edits_draft_without_javascript(client_for, site_pages):
    petition = PetitionFactory(status=S.DRAFT)
    response = client_for(petition.creator).post(
        url("edit", petition), {**EDIT, "title": "<b>Ramps</b> at both doors"}, follow=True
    )
    assert response.redirect_chain == [(url("detail", petition), 302)]
    assert "Your changes are saved" in response.content.decode()
    assert text_of(petition) == tuple(EDIT.values())
    assert petition.status == S.DRAFT


def test_saving_the_form_unchanged_changes_nothing(client_for, resident, site_pages):
    # Stored text is sanitised (entities escaped); a round trip must not escape it again.
    petition = services.petition_create(
        creator=resident, title="Tom & Jerry", action="Make A < B.", background="“Quotes” & more"
    )
    before = text_of(petition)
    client = client_for(petition.creator)
    form = client.get(url("edit", petition)).context["form"]
    data = {name: form[name].value() for name in ("title", "action", "background")}
    client.post(url("edit", petition), data)
    assert text_of(petition) == before


def test_edit_page_in_korean(client_for, site_pages):
    petition = PetitionFactory(status=S.DRAFT)
    html = client_for(petition.creator).get(url("edit", petition, lang="ko")).content.decode()
    assert "청원 초안 고치기" in html and "변경 내용 저장" in html


@pytest.mark.parametrize("state", [S.DRAFT, S.AWAITING_MODERATION, S.OPEN])
@pytest.mark.parametrize("role", ["resident", "moderator", "supervisor", "superuser"])
def test_edit_is_404_for_everyone_but_the_creator(client_for, site_pages, state, role):
    petition = PetitionFactory(status=state)
    before = text_of(petition)
    client = client_for(getattr(factories, role)())
    assert client.get(url("edit", petition)).status_code == 404
    assert client.post(url("edit", petition), EDIT).status_code == 404
    assert text_of(petition) == before


def test_edit_sends_anonymous_visitors_to_sign_in_whether_or_not_it_exists(client, site_pages):
    petition = PetitionFactory(status=S.DRAFT)
    before = text_of(petition)
    missing = reverse("petitions:edit", kwargs={"pk": petition.pk + 1000})
    for path in (url("edit", petition), missing):
        for response in (client.get(path), client.post(path, EDIT)):
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("accounts:login"))
    assert text_of(petition) == before


def test_edit_of_a_missing_petition_is_404(client_for, resident, site_pages):
    assert (
        client_for(resident).get(reverse("petitions:edit", kwargs={"pk": 999})).status_code == 404
    )


@pytest.mark.parametrize("state", [S.AWAITING_MODERATION, S.OPEN, S.REJECTED])
def test_creator_is_told_a_sent_petition_cannot_be_changed(client_for, site_pages, state):
    petition = PetitionFactory(status=state)
    before = text_of(petition)
    client = client_for(petition.creator)
    for response in (
        client.get(url("edit", petition), follow=True),
        client.post(url("edit", petition), EDIT, follow=True),
    ):
        assert response.redirect_chain == [(url("detail", petition), 302)]
        assert "already sent to the moderators, so it can no longer be changed" in (
            response.content.decode()
        )
    assert text_of(petition) == before


def test_edit_after_submitting_in_another_tab_is_refused(client_for, site_pages):
    petition = PetitionFactory(status=S.DRAFT)
    client = client_for(petition.creator)
    assert client.get(url("edit", petition)).status_code == 200
    client.post(url("submit", petition))
    response = client.post(url("edit", petition), EDIT, follow=True)
    assert "can no longer be changed" in response.content.decode()
    assert text_of(petition)[0] != EDIT["title"]
    assert petition.status == S.AWAITING_MODERATION


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({**EDIT, "title": ""}, "title"),
        ({**EDIT, "action": "   "}, "action"),
        ({**EDIT, "title": "<b></b>"}, "title"),  # empty only once sanitised: the service says so
        ({**EDIT, "title": "x" * 151}, "title"),
        ({**EDIT, "background": "x" * 5001}, "background"),
    ],
)
def test_bad_input_gives_the_form_back_and_changes_nothing(client_for, site_pages, data, field):
    petition = PetitionFactory(status=S.DRAFT)
    before = text_of(petition)
    response = client_for(petition.creator).post(url("edit", petition), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "error-summary" in html and f'href="#id_{field}"' in html
    assert response.context["form"].errors[field]
    assert EDIT["action"] in html or field == "action"  # what they typed comes back
    assert text_of(petition) == before


def test_edit_refuses_other_methods(client_for, site_pages):
    petition = PetitionFactory(status=S.DRAFT)
    client = client_for(petition.creator)
    assert client.put(url("edit", petition)).status_code == 405
    assert client.delete(url("edit", petition)).status_code == 405


@pytest.mark.parametrize("page", ["edit", "mine"])
def test_edit_and_my_petitions_query_count_does_not_grow(
    client_for, site_pages, django_assert_num_queries, page
):
    creator = factories.resident()
    client = client_for(creator)
    draft = PetitionFactory(status=S.DRAFT, creator=creator)
    path = url(page, draft) if page == "edit" else url("mine")
    client.get(path)  # warm caches (site settings, menus)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    baseline = len(ctx.captured_queries)

    add_signatures(PetitionFactory(creator=creator), 50)
    PetitionFactory.create_batch(19, status=S.DRAFT, creator=creator)
    big = PetitionFactory(status=S.DRAFT, creator=creator, action="x" * 2000, background="y" * 5000)
    path = url(page, big) if page == "edit" else url("mine")
    with django_assert_num_queries(baseline):
        response = client.get(path)
    assert response.status_code == 200
    if page == "mine":
        # A full page: the 20 newest, all drafts, each with its own edit link.
        assert response.content.decode().count(">Change the draft<span") == 20


# --- moderation -------------------------------------------------------------------------------


def test_moderation_queue_only_for_moderators(client_for, moderator, site_pages):
    petition = PetitionFactory(status=S.AWAITING_MODERATION, title="Please check me")
    assert "Please check me" in client_for(moderator).get(url("moderation")).content.decode()
    assert client_for(factories.resident()).get(url("moderation")).status_code == 404
    assert client_for(factories.supervisor()).get(url("moderation")).status_code == 404
    assert client_for(None).get(url("moderation")).status_code == 302
    assert petition.status == S.AWAITING_MODERATION


def test_moderator_publishes(client_for, moderator, site_pages):
    petition = PetitionFactory(status=S.AWAITING_MODERATION)
    html = client_for(moderator).get(url("detail", petition)).content.decode()
    assert f'action="{url("moderate", petition)}"' in html
    response = client_for(moderator).post(url("moderate", petition), {"decision": "publish"})
    assert response.status_code == 302
    petition.refresh_from_db()
    assert petition.status == S.OPEN
    assert Notification.objects.filter(user=petition.creator, kind="petition.published").exists()


def test_moderator_reject_needs_reason(client_for, moderator, site_pages):
    petition = PetitionFactory(status=S.AWAITING_MODERATION)
    client = client_for(moderator)
    response = client.post(url("moderate", petition), {"decision": "reject"})
    assert response.status_code == 400
    assert "Choose a reason" in response.content.decode()
    client.post(
        url("moderate", petition),
        {"decision": "reject", "reason": "offensive", "note": "Insults."},
    )
    petition.refresh_from_db()
    assert (petition.status, petition.rejection_reason) == (S.REJECTED, "offensive")


def test_moderate_refused_to_others(client_for, site_pages):
    petition = PetitionFactory(status=S.AWAITING_MODERATION)
    for user in (petition.creator, factories.supervisor(), factories.resident()):
        response = client_for(user).post(url("moderate", petition), {"decision": "publish"})
        assert response.status_code == 404
    petition.refresh_from_db()
    assert petition.status == S.AWAITING_MODERATION


def test_moderate_twice_says_it_moved_on(client_for, moderator, site_pages):
    petition = PetitionFactory(status=S.OPEN)
    response = client_for(moderator).post(
        url("moderate", petition), {"decision": "publish"}, follow=True
    )
    assert "changed in the meantime" in response.content.decode()


# --- answer ---------------------------------------------------------------------------------


def test_staff_answer(client_for, supervisor, site_pages, django_capture_on_commit_callbacks):
    petition = PetitionFactory(status=S.AWAITING_RESPONSE, response_due=timezone.now())
    add_signatures(petition, 3)
    client = client_for(supervisor)
    assert client.get(url("answer", petition)).status_code == 200
    empty = client.post(url("answer", petition), {"answer": ""})
    assert empty.status_code == 200 and "error-summary" in empty.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("answer", petition), {"answer": "<p>We will build them.</p>"})
    petition.refresh_from_db()
    assert petition.status == S.ANSWERED
    html = client_for(None).get(url("detail", petition)).content.decode()
    assert "<p>We will build them.</p>" in html
    assert Notification.objects.filter(kind="petition.answered").count() == 4  # 3 signers + creator


def test_answer_refused_to_others(client_for, moderator, site_pages):
    petition = PetitionFactory(status=S.AWAITING_RESPONSE)
    for user in (moderator, factories.caseworker(), petition.creator):
        client = client_for(user)
        assert client.get(url("answer", petition)).status_code == 404
        assert client.post(url("answer", petition), {"answer": "x"}).status_code == 404
    assert client_for(None).get(url("answer", petition)).status_code == 302
    petition.refresh_from_db()
    assert petition.status == S.AWAITING_RESPONSE
