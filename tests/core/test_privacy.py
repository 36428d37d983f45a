"""Confidential pages: no caching, no Referer, a same-origin-only CSP; and no
access log line (which would carry the client's IP) from any server."""

import logging
import logging.config

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import authenticate
from django.test import RequestFactory

from core.privacy import CONTENT_SECURITY_POLICY

EXPECTED_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; media-src 'self'; object-src 'none'; "
    "frame-src 'self'; worker-src 'self'; manifest-src 'self'; frame-ancestors 'none'; "
    "form-action 'self'; base-uri 'none'"
)


def assert_sensitive(response):
    assert response["Cache-Control"] == "no-store"
    # same-origin: no-referrer would make browsers send `Origin: null` on POST (CSRF failure).
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Content-Security-Policy"] == EXPECTED_CSP


def test_policy_allows_only_this_site():
    assert CONTENT_SECURITY_POLICY == EXPECTED_CSP
    assert "http" not in CONTENT_SECURITY_POLICY and "*" not in CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY


@pytest.mark.urls("tests.core.privacy_urls")
@pytest.mark.parametrize("path", ["/confidential/", "/confidential-async/"])
def test_decorated_view_sends_the_headers_through_the_whole_stack(client, path):
    assert_sensitive(client.get(path))


@pytest.mark.urls("tests.core.privacy_urls")
def test_undecorated_view_keeps_the_site_defaults(client):
    response = client.get("/petitions/")
    assert response["Content-Security-Policy"] == EXPECTED_CSP  # the site's, everywhere
    assert "Cache-Control" not in response
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.urls("tests.core.privacy_urls")
def test_middleware_covers_listed_prefixes_with_or_without_language(client, settings):
    settings.SENSITIVE_PATH_PREFIXES = ["complaints/"]
    settings.MIDDLEWARE = ["core.privacy.SensitivePagesMiddleware", *settings.MIDDLEWARE]

    assert_sensitive(client.get("/ko/complaints/status/"))
    assert_sensitive(client.get("/complaints/other/"))
    assert "Cache-Control" not in client.get("/petitions/")


def test_middleware_covers_error_responses_too(settings):
    from django.http import HttpResponseNotFound

    from core.privacy import SensitivePagesMiddleware

    settings.SENSITIVE_PATH_PREFIXES = ["complaints/", "api/complaints"]
    middleware = SensitivePagesMiddleware(lambda request: HttpResponseNotFound("gone"))
    assert_sensitive(middleware(RequestFactory().get("/en/complaints/ABC-1/")))
    assert_sensitive(middleware(RequestFactory().get("/api/complaints/status")))
    assert "Content-Security-Policy" not in middleware(RequestFactory().get("/en/petitions/"))


def test_middleware_without_prefixes_changes_nothing(settings):
    from django.http import HttpResponse

    from core.privacy import SensitivePagesMiddleware

    settings.SENSITIVE_PATH_PREFIXES = []
    middleware = SensitivePagesMiddleware(lambda request: HttpResponse("x"))
    assert "Content-Security-Policy" not in middleware(RequestFactory().get("/complaints/"))


def test_settings_silence_every_access_log():
    from config.settings import base

    loggers = base.LOGGING["loggers"]
    for name in ("uvicorn.access", "django.server"):
        assert loggers[name]["handlers"] == [], name
        assert loggers[name]["propagate"] is False, name
        assert logging.getLevelName(loggers[name]["level"]) >= logging.ERROR, name
    assert base.AXES_VERBOSE is False


def test_uvicorn_access_log_is_off_after_django_configures_logging(capsys):
    """Uvicorn installs its own access log handler at start; Django configures
    logging when the app is loaded, afterwards. Replay that order."""
    from uvicorn.config import LOGGING_CONFIG

    line = ('%s - "%s %s HTTP/%s" %d', "203.0.113.99:5000", "POST", "/ko/complaints/", "1.1", 201)
    access = logging.getLogger("uvicorn.access")
    try:
        logging.config.dictConfig(LOGGING_CONFIG)
        access.info(*line)
        assert "203.0.113.99" in capsys.readouterr().out  # the replay logs without our config

        logging.config.dictConfig(django_settings.LOGGING)
        # Uvicorn decides per connection with hasHandlers() whether to log at all.
        assert access.hasHandlers() is False
        access.info(*line)
        captured = capsys.readouterr()
        assert "203.0.113.99" not in captured.out + captured.err
    finally:
        logging.config.dictConfig(django_settings.LOGGING)


@pytest.mark.django_db
def test_failed_login_log_lines_carry_no_ip_or_user_agent(caplog, resident):
    request = RequestFactory().post(
        "/ko/accounts/login/", REMOTE_ADDR="203.0.113.55", HTTP_USER_AGENT="MarkerBrowser/9.9"
    )
    with caplog.at_level(logging.DEBUG, logger="axes"):
        for _ in range(6):
            authenticate(request, username=resident.username, password="wrong")  # noqa: S106

    text = caplog.text
    assert "AXES: " in text  # axes did log the failures ...
    assert "203.0.113.55" not in text and "MarkerBrowser" not in text  # ... without the client
