"""Issue 17: schemathesis over the OpenAPI document, as anonymous and as each
role, fails on any 5xx or any answer that breaks its declared schema.

Bounded so CI stays short: HRC_FUZZ_EXAMPLES examples (default 15) per
operation and role, so a few hundred per operation class (reads, writes) and
the whole run well under three minutes. Deterministic (derandomised) so a
failure repeats. Runs when HRC_FUZZ is set (`make fuzz`, which .ci/run calls).
"""

import os

import pytest
import schemathesis
from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret
from django.test import Client
from hypothesis import HealthCheck, settings

from config.wsgi import application
from tests import factories

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

EXAMPLES = int(os.environ.get("HRC_FUZZ_EXAMPLES", "15"))
ROLES = ["anonymous", "resident", "caseworker", "supervisor", "moderator"]


def _schema():
    from config.api import api

    loaded = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1/"))
    loaded.app = application
    return loaded


schema = _schema()


def _headers_for(role: str) -> dict:
    """Session and CSRF cookies of a signed-in `role` (none for anonymous), and
    the CSRF header, so writes are judged on their content, not refused early."""
    secret = _get_new_csrf_string()
    cookies = {"csrftoken": secret}
    if role != "anonymous":
        client = Client()
        user = getattr(factories, role)()
        client.force_login(user)
        factories.verify_second_factor(client, user)  # staff as they work: verified
        cookies["sessionid"] = client.cookies["sessionid"].value
    return {
        "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
        "X-CSRFToken": _mask_cipher_secret(secret),
    }


@pytest.fixture(params=ROLES)
def role_headers(request, db):
    return _headers_for(request.param)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_error_and_answers_match_the_schema(case, role_headers):
    response = case.call(headers=role_headers)
    case.validate_response(
        response,
        checks=[
            schemathesis.checks.not_a_server_error,
            schemathesis.specs.openapi.checks.response_schema_conformance,
        ],
    )
