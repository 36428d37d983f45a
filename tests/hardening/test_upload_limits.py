"""Issue 17: a body over the limit is refused from its Content-Length before a
byte is read; no upload is ever written to a temporary file; bidirectional
controls are stripped from user text."""

import json
import tempfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.test import RequestFactory

from core.asgi import BodyLimitMiddleware
from core.sanitize import clean_html, clean_text, strip_bidi


class _App:
    def __init__(self):
        self.called = False

    async def __call__(self, scope, receive, send):
        self.called = True
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": str(len(body)).encode()})


async def _call(middleware, *, headers, chunks, path="/api/v1/complaints/HR-1/attachments"):
    scope = {"type": "http", "method": "POST", "path": path, "headers": headers}
    reads, sent = [], []
    queue = [
        {"type": "http.request", "body": c, "more_body": i < len(chunks) - 1}
        for i, c in enumerate(chunks)
    ]

    async def receive():
        reads.append(True)
        return queue.pop(0)

    async def send(message):
        sent.append(message)

    await middleware(scope, receive, send)
    return sent, reads


@pytest.mark.asyncio
async def test_a_declared_length_over_the_limit_is_413_before_any_byte_is_read(settings):
    app = _App()
    declared = str(settings.REQUEST_BODY_MAX_BYTES + 1).encode()
    sent, reads = await _call(
        BodyLimitMiddleware(app),
        headers=[(b"content-length", declared), (b"content-type", b"multipart/form-data")],
        chunks=[b"x" * 10],
    )
    assert sent[0]["status"] == 413
    assert json.loads(sent[1]["body"])["code"] == "too_large"
    assert reads == [] and app.called is False


@pytest.mark.asyncio
async def test_a_body_without_a_length_is_cut_off_at_the_limit(settings):
    settings.REQUEST_BODY_MAX_BYTES = 1000
    app = _App()
    sent, reads = await _call(
        BodyLimitMiddleware(app), headers=[], chunks=[b"x" * 600, b"x" * 600, b"x" * 600]
    )
    assert sent[0]["status"] == 413
    assert len(reads) == 2 and app.called is False  # the third chunk was never read


@pytest.mark.asyncio
async def test_a_body_within_the_limit_reaches_the_app_whole(settings):
    settings.REQUEST_BODY_MAX_BYTES = 1000
    app = _App()
    sent, _ = await _call(BodyLimitMiddleware(app), headers=[], chunks=[b"x" * 400, b"x" * 400])
    assert sent[0]["status"] == 200 and sent[1]["body"] == b"800"
    sent, _ = await _call(
        BodyLimitMiddleware(app), headers=[(b"content-length", b"5")], chunks=[b"hello"]
    )
    assert sent[1]["body"] == b"5"


@pytest.mark.asyncio
async def test_a_malformed_content_length_is_400(settings):
    sent, _ = await _call(
        BodyLimitMiddleware(_App()), headers=[(b"content-length", b"-5")], chunks=[b""]
    )
    assert sent[0]["status"] == 400


@pytest.mark.django_db
def test_the_django_stack_refuses_a_declared_length_over_the_limit_too(client, settings):
    response = client.post(
        "/api/v1/complaints",
        "{}",
        content_type="application/json",
        CONTENT_LENGTH=str(settings.REQUEST_BODY_MAX_BYTES + 1),
    )
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


def _multipart(data: bytes) -> tuple[bytes, str]:
    boundary = "hrcboundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="a.txt"\r\nContent-Type: text/plain\r\n\r\n'
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def test_an_upload_larger_than_the_memory_size_still_never_touches_the_disk(settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1000  # Django would spool past this ...
    body, content_type = _multipart(b"a" * 50_000)
    before = set(Path(tempfile.gettempdir()).glob("*.upload*"))
    request = RequestFactory().generic("POST", "/", body, content_type=content_type)
    upload = request.FILES["file"]
    assert isinstance(upload, InMemoryUploadedFile)  # ... our handler keeps it in memory
    assert set(Path(tempfile.gettempdir()).glob("*.upload*")) == before
    assert upload.size == 50_000


def test_only_the_memory_handler_is_configured(settings):
    assert settings.FILE_UPLOAD_HANDLERS == ["core.uploads.MemoryOnlyUploadHandler"]
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE >= settings.REQUEST_BODY_MAX_BYTES


@pytest.mark.parametrize("control", ["\u202e", "\u202a", "\u2066", "\u2069", "\u200f", "\u061c"])
def test_bidi_controls_are_stripped_by_the_sanitiser(control):
    text = f"invoice{control}fdp.exe"
    assert strip_bidi(text) == "invoicefdp.exe"
    assert clean_text(text) == "invoicefdp.exe"
    assert clean_html(f"<p>{text}</p>") == "<p>invoicefdp.exe</p>"


def test_korean_text_is_untouched_by_the_bidi_strip():
    assert strip_bidi("차별을 겪었습니다. (2026)") == "차별을 겪었습니다. (2026)"


@pytest.mark.django_db
def test_the_complaints_api_strips_bidi_controls_and_counts_them_as_empty(client):
    body = {"grounds": ["age"], "description": "\u202e\u2066 ", "anonymous": True}
    response = client.post("/api/v1/complaints", body, content_type="application/json")
    assert response.status_code == 400 and response.json()["field"] == "description"
