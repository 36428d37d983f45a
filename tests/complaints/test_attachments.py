"""Evidence files through the real endpoints: the core's bad-file corpus (and
more) refused with a clear message and nothing stored; a good JPEG stored
without its GPS EXIF; downloads checked on every request."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from PIL import Image

from complaints import services
from complaints.models import ComplaintAttachment
from core.private_storage import private_file_keys, private_file_read
from tests.core.test_uploads import BAD_FILES, gps_exif, jpeg_bytes, png_bytes

from .conftest import api, submit

MB = 1024 * 1024

# The core corpus plus what only a real request can carry.
CORPUS = [(case_id, name, data) for case_id, name, data, _code in BAD_FILES] + [
    ("one-byte-over-the-limit", "statement.txt", b"a" * (10 * MB + 1)),
    ("exe-renamed-pdf-with-pdf-type", "invoice.pdf", b"MZ\x90\x00" + b"\x00" * 200),
    ("markup-name-with-text", '<script>alert("x")</script>.txt', b"hello"),
]


def endpoint(complaint) -> str:
    return f"/api/v1/complaints/{complaint.reference}/attachments"


def stored_nothing() -> bool:
    return ComplaintAttachment.objects.count() == 0 and list(private_file_keys()) == []


@pytest.fixture
def case(make_complaint):
    return make_complaint("investigating")


def test_corpus_is_large_enough():
    assert len(CORPUS) >= 15


@pytest.mark.parametrize(("name", "data"), [c[1:] for c in CORPUS], ids=[c[0] for c in CORPUS])
def test_bad_file_is_refused_through_the_endpoint_and_nothing_is_stored(
    people, case, client_for, name, data
):
    client = client_for(people.owner)
    response = client.post(
        endpoint(case), {"file": SimpleUploadedFile(name, data, content_type="application/pdf")}
    )
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["field"] == "file"
    assert len(body["detail"]) > 30 and body["detail"].endswith(".")
    assert stored_nothing()
    assert not case.events.filter(kind="attachment_added").exists()


def test_many_parts_in_one_request_are_refused_cleanly(people, case, client_for, settings):
    client = client_for(people.owner)
    files = {f"file{n}": SimpleUploadedFile(f"n{n}.txt", b"x") for n in range(150)}
    response = client.post(endpoint(case), {"file": SimpleUploadedFile("a.txt", b"x"), **files})
    assert response.status_code == 400
    assert response.json()["detail"]
    assert stored_nothing()


def test_missing_file_names_the_field(people, case, client_for):
    response = client_for(people.owner).post(endpoint(case), {})
    assert response.status_code == 400
    assert response.json()["field"] == "file"
    assert stored_nothing()


def test_path_traversal_name_is_reduced_to_a_safe_name_inside_private_storage(
    people, case, client_for, settings, tmp_path
):
    response = client_for(people.owner).post(
        endpoint(case), {"file": SimpleUploadedFile("../../../etc/passwd.txt", b"just text")}
    )
    assert response.status_code == 201
    assert "/" not in response.json()["name"] and ".." not in response.json()["name"]
    # The only file written is the encrypted one in private storage.
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert all(p.is_relative_to(settings.PRIVATE_STORAGE_ROOT) for p in written)


def test_good_jpeg_comes_back_without_gps_exif_and_encrypted_at_rest(people, case, client_for):
    original = jpeg_bytes(size=(40, 20), exif=gps_exif())
    client = client_for(people.owner)
    response = client.post(endpoint(case), {"file": SimpleUploadedFile("home.jpg", original)})
    assert response.status_code == 201
    data = response.json()
    assert set(data) == {"id", "name", "size", "content_type", "url"}
    assert data["content_type"] == "image/jpeg" and data["name"] == "home.jpg"
    attachment = ComplaintAttachment.objects.get(pk=data["id"])
    # The complainant's own file names no account (their account is never beside the case).
    assert attachment.by_complainant and attachment.uploaded_by is None
    assert case.events.filter(kind="attachment_added").count() == 1
    download = client.get(data["url"])
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Cache-Control"] == "no-store"
    content = b"".join(download) if download.streaming else download.content
    with Image.open(io.BytesIO(content)) as image:
        assert not image.getexif()
    assert b"PhoneCo" not in content
    # On disk: ciphertext only.
    from core.private_storage import _path

    raw = _path(attachment.storage_key).read_bytes()
    assert raw != content and b"JFIF" not in raw
    assert private_file_read(attachment.storage_key) == content


def test_download_replayed_logged_out_by_another_caseworker_or_after_purge_is_404(
    people, case, client_for, settings
):
    response = client_for(people.caseworker).post(
        endpoint(case), {"file": SimpleUploadedFile("note.txt", b"the letter")}
    )
    assert response.status_code == 201
    link = response.json()["url"]
    assert not ComplaintAttachment.objects.get().by_complainant
    assert client_for(people.caseworker).get(link).status_code == 200
    assert client_for(people.owner).get(link).status_code == 200
    assert Client().get(link).status_code == 404  # logged out
    assert client_for(people.other_caseworker).get(link).status_code == 404
    assert client_for(people.other_resident).get(link).status_code == 404
    assert client_for(people.superuser).get(link).status_code == 404
    # After the purge.
    settings.COMPLAINTS_RETENTION_DAYS = 0
    settings.COMPLAINTS_PURGE_WARNING_DAYS = 0
    services.complaint_transition(
        complaint=case,
        actor=people.supervisor,
        transition="refer",
        note="Labour office",
        public_reason="The labour office can act on this.",
    )
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        services.complaints_purge()  # warns
        services.complaints_purge()  # purges
    assert client_for(people.caseworker).get(link).status_code == 404
    assert client_for(people.supervisor).get(link).status_code == 404
    assert client_for(people.owner).get(link).status_code == 404
    assert list(private_file_keys()) == []


def test_receipt_session_uploads_and_supervisor_may_not(people, client_for):
    submission = submit(anonymous=True)
    complaint = submission.complaint
    client = Client()
    api(client, "post", "complaints/status", {"receipt": submission.receipt})
    response = client.post(endpoint(complaint), {"file": SimpleUploadedFile("a.png", png_bytes())})
    assert response.status_code == 201
    attachment = ComplaintAttachment.objects.get()
    assert attachment.by_complainant and attachment.uploaded_by is None
    assert client.get(response.json()["url"]).status_code == 200
    # The supervisor reviews; the contract lets only the complainant and the
    # assigned caseworker add evidence.
    refused = client_for(people.supervisor).post(
        endpoint(complaint), {"file": SimpleUploadedFile("b.png", png_bytes())}
    )
    assert refused.status_code == 403
    assert ComplaintAttachment.objects.count() == 1


def test_html_upload_forms_on_both_pages(people, case, client_for):
    with translation.override("en"):
        attach = reverse("complaints:attach", kwargs={"reference": case.reference})
        detail = reverse("complaints:detail", kwargs={"reference": case.reference})
        casework = reverse("casework:case", kwargs={"reference": case.reference})
    owner = client_for(people.owner)
    assert attach in owner.get(detail).content.decode()
    ok = owner.post(attach, {"file": SimpleUploadedFile("a.txt", b"my account")}, follow=True)
    assert "The file was added." in ok.content.decode()
    bad = owner.post(attach, {"file": SimpleUploadedFile("a.pdf", b"MZ\x90\x00" * 20)}, follow=True)
    assert bad.redirect_chain[-1][0] == detail
    assert "PDF" in bad.content.decode()  # the refusal says what is accepted
    worker = client_for(people.caseworker)
    assert attach in worker.get(casework).content.decode()
    done = worker.post(attach, {"file": SimpleUploadedFile("b.txt", b"office copy")})
    assert done["Location"] == casework
    assert ComplaintAttachment.objects.filter(complaint=case).count() == 2
