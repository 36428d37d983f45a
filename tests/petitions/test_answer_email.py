"""Signers get a petition's official answer by e-mail, in their language, with
an unsubscribe link that works without signing in."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from core import services as core_services
from core.models import NotificationPreference, PreferenceKind
from petitions import services
from petitions.models import Petition
from tests import factories
from tests.petitions.factories import PetitionFactory, SignatureFactory

pytestmark = pytest.mark.django_db


def _answer(petition, supervisor, capture):
    with capture(execute=True):
        services.petition_answer(petition=petition, user=supervisor, answer="We agree.")


def test_signers_get_the_answer_by_email_unless_they_opted_out(
    settings, supervisor, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "http://127.0.0.1:8111"
    petition = PetitionFactory(status=Petition.Status.AWAITING_RESPONSE, title="More benches")
    korean = factories.resident(email="ko@example.org", preferred_language="ko")
    english = factories.resident(email="en@example.org", preferred_language="en")
    quiet = factories.resident(email="quiet@example.org")
    for user in (korean, english, quiet):
        SignatureFactory(petition=petition, user=user)
    core_services.preference_set(user=quiet, kind=PreferenceKind.PETITION_ANSWER, frequency="never")
    _answer(petition, supervisor, django_capture_on_commit_callbacks)
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {"ko@example.org", "en@example.org"}
    en = by_address["en@example.org"]
    assert en.subject == "A petition you signed was answered"
    assert "More benches" in en.body
    assert f"http://127.0.0.1:8111/en/petitions/{petition.pk}/" in en.body
    assert "/en/unsubscribe/" in en.body
    ko = by_address["ko@example.org"]
    assert ko.subject != en.subject and "/ko/unsubscribe/" in ko.body
    for message in mail.outbox:  # names the petition, never a person
        assert petition.creator.get_display_name() not in message.body


def test_the_batch_is_one_email_task_not_one_per_signer(
    settings, supervisor, django_capture_on_commit_callbacks
):
    from django_tasks.signals import task_finished

    petition = PetitionFactory(status=Petition.Status.AWAITING_RESPONSE)
    for n in range(5):
        SignatureFactory(petition=petition, user=factories.resident(email=f"s{n}@example.org"))
    runs = []
    task_finished.connect(lambda sender, task_result, **kw: runs.append(task_result), weak=False)
    _answer(petition, supervisor, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 5
    assert [r.task.name for r in runs].count("send_emails") == 1
    assert [r.task.name for r in runs].count("send_email") == 0


def test_unsubscribe_link_works_without_signing_in(
    client_for, site_pages, supervisor, django_capture_on_commit_callbacks
):
    petition = PetitionFactory(status=Petition.Status.AWAITING_RESPONSE)
    signer = factories.resident(email="s@example.org", preferred_language="en")
    SignatureFactory(petition=petition, user=signer)
    _answer(petition, supervisor, django_capture_on_commit_callbacks)
    link = re.search(r"https?://\S+/unsubscribe/\S+/", mail.outbox[0].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    anonymous = client_for(None)
    page = anonymous.get("/" + path)
    assert page.status_code == 200
    assert not NotificationPreference.objects.exists()  # a GET (mail scanner) changes nothing
    assert anonymous.post("/" + path).status_code == 200
    pref = NotificationPreference.objects.get(user=signer)
    assert (pref.kind, pref.frequency) == ("petition_answer", "never")


def test_a_forged_or_tampered_unsubscribe_token_is_not_found(client_for, site_pages, resident):
    token = core_services.unsubscribe_token(user=resident, kind="petition_answer")
    for bad in ("nonsense", token[:-2] + "xx"):
        url = reverse("core:unsubscribe", kwargs={"token": bad})
        assert client_for(None).post(url).status_code == 404
    assert not NotificationPreference.objects.exists()


def test_followers_who_want_news_now_hear_of_the_answer_in_batches(
    settings, supervisor, django_capture_on_commit_callbacks
):
    from core.models import Notification
    from core.services import follow_add, preference_set

    settings.PETITIONS_NOTIFY_BATCH_SIZE = 2
    petition = PetitionFactory(status=Petition.Status.AWAITING_RESPONSE)
    followers = [factories.resident() for _ in range(5)]
    for user in followers:
        follow_add(user=user, target="petition", object_id=petition.pk)
    preference_set(user=followers[0], kind="petition", frequency="never")
    preference_set(user=followers[1], kind="petition", frequency="weekly")
    signer = followers[2]
    SignatureFactory(petition=petition, user=signer)
    _answer(petition, supervisor, django_capture_on_commit_callbacks)
    told = Notification.objects.filter(kind="petition.answered", payload__petition=petition.pk)
    counts = {u.pk: told.filter(user=u).count() for u in followers}
    # never / weekly: none now; the signer once (as a signer); the others once.
    assert counts == {followers[0].pk: 0, followers[1].pk: 0, signer.pk: 1,
                      followers[3].pk: 1, followers[4].pk: 1}  # fmt: skip
