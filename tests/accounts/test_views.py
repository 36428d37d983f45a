import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _commit_runs_callbacks(monkeypatch, django_capture_on_commit_callbacks):
    """E-mails are sent on commit; in these tests every request ends in a
    real-looking commit, so run its on_commit callbacks right after it."""
    from django.test import Client

    original = Client.request

    def request(self, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return original(self, **kwargs)

    monkeypatch.setattr(Client, "request", request)


def signup(client, **overrides):
    data = {
        "username": "newperson",
        "email": "new@example.org",
        "display_name": "New Person",
        "preferred_language": "en",
        "password1": "a-long-unusual-pass-42",
        "password2": "a-long-unusual-pass-42",
        **overrides,
    }
    return client.post("/en/accounts/signup/", data)


def verification_link() -> str:
    body = mail.outbox[-1].body
    return re.search(r"http://testserver(/\S+/verify/\S+/\S+/)", body).group(1)


def test_signup_creates_an_unverified_resident_and_sends_a_link(client):
    response = signup(client)
    assert response.status_code == 302
    user = User.objects.get(username="newperson")
    assert user.has_role(Role.RESIDENT)
    assert not user.email_verified
    assert mail.outbox[-1].to == ["new@example.org"]
    assert "/en/accounts/verify/" in mail.outbox[-1].body


def test_verification_link_verifies_once(client):
    signup(client)
    link = verification_link()
    assert client.get(link).status_code == 200
    assert User.objects.get(username="newperson").email_verified
    # The token includes the verified flag, so the same link no longer works.
    assert client.get(link).status_code == 400


def test_tampered_verification_link_is_refused(client):
    signup(client)
    link = verification_link()
    assert client.get(link[:-3] + "xx/").status_code == 400
    assert not User.objects.get(username="newperson").email_verified


def test_signup_errors_are_listed_and_nothing_is_created(client):
    UserFactory(username="taken", email="taken@example.org")
    response = signup(client, email="taken@example.org", password2="different")
    assert response.status_code == 200
    html = response.content.decode()
    assert "error-summary" in html
    assert "already uses this e-mail" in html
    assert not User.objects.filter(username="newperson").exists()


def test_signup_page_in_korean(client):
    html = client.get("/ko/accounts/signup/").content.decode()
    assert '<html lang="ko">' in html
    assert "계정 만들기" in html


def login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_login_works(client):
    user = UserFactory(username="alice")
    response = login(client, user.username, PASSWORD)
    assert response.status_code == 302
    assert client.get("/en/accounts/profile/").status_code == 200


def test_failed_logins_lock_only_the_attacked_account(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    victim = UserFactory(username="victim")
    bystander = UserFactory(username="bystander")
    for _ in range(3):
        login(client, victim.username, "wrong-password")
    locked = login(client, victim.username, PASSWORD)
    assert locked.status_code == 429
    assert "too many wrong passwords" in locked.content.decode().lower()
    # The same client (same IP) can still sign in to another account.
    assert login(client, bystander.username, PASSWORD).status_code == 302


def test_password_reset_mail_goes_out_with_a_working_link(client):
    UserFactory(username="forgetful", email="forgetful@example.org")
    response = client.post("/en/accounts/password/reset/", {"email": "forgetful@example.org"})
    assert response.status_code == 302
    body = mail.outbox[-1].body
    link = re.search(r"http://testserver(/en/accounts/password/reset/\S+/\S+/)", body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    assert "new_password1" in form.content.decode()


def test_password_change_requires_login(client):
    response = client.get("/en/accounts/password/change/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_logout_is_post_only_and_signs_out(client):
    user = UserFactory(username="leaving")
    client.force_login(user, backend="accounts.backends.RolesWithUserBackend")
    assert client.get("/en/accounts/logout/").status_code == 405
    client.post("/en/accounts/logout/")
    assert client.get("/en/accounts/profile/").status_code == 302


def test_failed_logins_store_no_ip_or_user_agent(client, settings):
    from axes.models import AccessAttempt, AccessFailureLog

    victim = UserFactory(username="victim2")
    client.post(
        reverse("accounts:login"),
        {"username": victim.username, "password": "wrong"},
        REMOTE_ADDR="203.0.113.9",
        HTTP_USER_AGENT="marker-agent",
    )
    assert AccessAttempt.objects.count() == 0
    assert AccessFailureLog.objects.count() == 0
