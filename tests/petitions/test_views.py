from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import Notification
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
    petition.refresh_from_db()
    assert petition.signature_count == 1


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


def test_my_petitions(client_for, site_pages):
    mine = PetitionFactory(status=S.DRAFT, title="My own draft")
    PetitionFactory(title="Someone else's")
    html = client_for(mine.creator).get(url("mine")).content.decode()
    assert "My own draft" in html and "Someone else" not in html
    assert client_for(None).get(url("mine")).status_code == 302


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
