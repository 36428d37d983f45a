"""Issue 14: the complainant's pages in Korean, as a person reads them. Every
page of the form, the receipt page, the status check and the case page in a
few states shows the glossary's state names (docs/glossary.md), calls the
person 나 (never 진정인) and has no English interface text left."""

import re
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from complaints import services
from complaints.forms import STEP_NAMES
from tests.complaints.intake import GOOD_FORM, step_url, url
from tests.core.test_glossary import glossary

KOREAN_FORM = {
    **GOOD_FORM,
    "description": "병원에서 장애가 있다는 이유로 접수를 거절당했습니다.",
    "location": "동네 병원",
    "contact_name": "김미나",
}

# Latin text that is not Korean interface text: the language switch (its name
# in its own language), file types, addresses.
ALLOWED = {
    "English",
    "HR",
    "PDF",
    "PNG",
    "JPEG",
    "MB",
    "KB",
    "www",
    "humanrights",
    "go",
    "kr",
    "klac",
    "or",
}
ALLOWED_PATTERNS = (
    re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"),  # e-mail addresses (the example, the office's)
    re.compile(r"HR-[\w-]+"),  # the reference
)
_WORD = re.compile(r"[A-Za-z]{2,}")
_SHOWN_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "value"}


class _Text(HTMLParser):
    """What a person sees or hears: text outside scripts and styles, and the
    attributes a screen reader reads or a button shows."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        attributes = dict(attrs)
        for name, value in attributes.items():
            if value and (
                name in ("title", "alt", "placeholder", "aria-label")
                or (name == "value" and attributes.get("type") in ("submit", "button"))
            ):
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def shown_text(response) -> str:
    parser = _Text()
    parser.feed(response.content.decode())
    return " ".join(" ".join(parser.parts).split())


def english_words(text: str) -> set[str]:
    for pattern in ALLOWED_PATTERNS:
        text = pattern.sub(" ", text)
    return {word for word in _WORD.findall(text) if word not in ALLOWED}


def assert_korean(response, *, page: str, content=()) -> str:
    """The page's shown text, less `content` (what people wrote: not interface text)."""
    assert response.status_code == 200, page
    text = shown_text(response)
    for written in content:
        text = text.replace(written, " ")
    assert not english_words(text), f"English on the Korean {page} page: {english_words(text)}"
    assert "진정인" not in text, f"the {page} page calls the person 진정인, not 나"
    assert "인권사무소" not in text and "사건 날짜" not in text
    return text


STATE_NAMES = {code: ko for code, (ko, _en) in glossary("Complaint states").items()}


def status_shown(text_html: str) -> str:
    return re.search(r'<span class="status(?: [^"]*)?">([^<]+)</span>', text_html)[1]


@pytest.mark.django_db
def test_the_korean_form_receipt_and_status_check_are_all_korean(client, site_pages):
    for step in STEP_NAMES:
        page = client.get(step_url(step, "ko"))
        assert_korean(page, page=f"form step {step}")
        from complaints.forms import STEPS

        fields = dict(STEPS)[step]
        posted = {name: KOREAN_FORM[name] for name in fields if name in KOREAN_FORM}
        response = client.post(step_url(step, "ko"), posted)
        assert response.status_code == 302, (step, shown_text(response))
    receipt_page = client.get(response["Location"])
    text = assert_korean(receipt_page, page="receipt")
    # The two numbers are told apart, each by its one name.
    assert "확인번호" in text and "접수번호" in text
    receipt = receipt_page.context["submission"]["receipt"]

    # A page with an error is Korean too (the error summary, the field message).
    error = client.post(step_url("identity", "ko"), {})
    assert_korean(error, page="form error")

    check = client.get(url("complaints:status", "ko"))
    assert_korean(check, page="status check")
    wrong = client.post(url("complaints:status", "ko"), {"receipt": "0000-0000-0000-0000"})
    assert "이 확인번호로 열리는 진정이 없습니다" in assert_korean(wrong, page="wrong receipt")
    opened = client.post(url("complaints:status", "ko"), {"receipt": receipt}, follow=True)
    text = assert_korean(opened, page="case opened by receipt")
    assert status_shown(opened.content.decode()) == STATE_NAMES["submitted"] == "접수"
    assert "진정(접수번호 HR-" in text


@pytest.mark.django_db
@pytest.mark.parametrize("state", ["submitted", "investigating", "rejected", "closed", "withdrawn"])
def test_the_korean_case_page_names_the_state_as_the_glossary_does(
    client, site_pages, make_complaint, people, state
):
    complaint = make_complaint(state)
    if state in ("submitted", "investigating"):
        services.complaint_message_post(
            complaint=complaint, author=people.owner, body="질문이 있습니다."
        )
        services.complaint_attachment_add(
            complaint=complaint,
            actor=people.owner,
            uploaded_file=SimpleUploadedFile("증거.txt", "있었던 일".encode(), "text/plain"),
        )
    client.force_login(people.owner)
    page = client.get(url("complaints:detail", "ko", reference=complaint.reference))
    names = (people.owner.get_display_name(), people.caseworker.get_display_name())
    written = (complaint.description, "We explain why.", *names, "증거.txt")
    text = assert_korean(page, page=f"case ({state})", content=written)
    assert status_shown(page.content.decode()) == STATE_NAMES[state]
    others = set(STATE_NAMES.values()) - {STATE_NAMES[state], "결정"}
    assert not any(
        f'<span class="status">{name}</span>' in page.content.decode() for name in others
    )
    if state in ("submitted", "investigating"):
        # The person's own message and file are "나" / "내가 제출", never 진정인.
        assert " 나 " in f" {text} " and "내가 제출" in text
    if state == "closed":
        assert "(종결)" in text
    if state == "withdrawn":
        assert "(취하)" in text
    if state == "rejected":
        assert "(각하)" in text
