"""The state names people read are the glossary's (docs/glossary.md): read from
its tables, checked on the rendered Korean pages of petitions and consultations,
and on the labels of the complaint grounds and fields of life."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from complaints.grounds import FieldOfLife, Ground
from consultations.models import Discussion, Phase, Proposal, ProposalStatus
from petitions.models import Petition
from tests import factories
from tests.consultations.conftest import index_page, make_consultation  # noqa: F401 - fixtures
from tests.petitions.factories import PetitionFactory

GLOSSARY = Path(settings.BASE_DIR) / "docs" / "glossary.md"
_ROW = re.compile(r"^\| `(?P<code>[a-z_]+)` \| (?P<ko>[^|]+?) \| (?P<en>[^|]+?) \|")


def glossary(heading: str) -> dict[str, tuple[str, str]]:
    """code -> (Korean, English) from the table under `### <heading>`."""
    lines = GLOSSARY.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"### {heading}"))
    table = {}
    for line in lines[start + 1 :]:
        if line.startswith("#"):
            break
        match = _ROW.match(line)
        if match:
            table[match["code"]] = (match["ko"], match["en"])
    assert table, f"no table under {heading!r} in {GLOSSARY}"
    return table


def labels(choices, language: str) -> dict[str, str]:
    with translation.override(language):
        return {value: str(label) for value, label in choices.choices}


@pytest.mark.parametrize(
    ("heading", "choices"),
    [
        ("Petition states", Petition.Status),
        ("Consultation phases", Phase),
        ("Answers to a proposal", ProposalStatus),
        ("Grounds", Ground),
        ("Fields of life", FieldOfLife),
    ],
)
def test_every_label_is_the_glossarys_word_in_both_languages(heading, choices):
    words = glossary(heading)
    assert labels(choices, "ko") == {code: ko for code, (ko, _en) in words.items()}
    assert labels(choices, "en") == {code: en for code, (_ko, en) in words.items()}


def test_education_is_one_word_as_a_ground_and_another_as_a_field_of_life():
    with translation.override("ko"):
        assert str(Ground.EDUCATION.label) == "학력"
        assert str(FieldOfLife.EDUCATION.label) == "교육(학교·학원)"


def statuses(html: str) -> list[str]:
    return re.findall(r'<span class="status(?: [^"]*)?">([^<]+)</span>', html)


@pytest.mark.django_db
def test_korean_petition_pages_show_the_glossarys_state_names(client, site_pages):
    words = {code: ko for code, (ko, _en) in glossary("Petition states").items()}
    petitions = {status: PetitionFactory(status=status) for status in Petition.Status.values}
    for status, petition in petitions.items():
        client.force_login(petition.creator)  # a draft is seen only by its creator
        html = client.get(f"/ko/petitions/{petition.pk}/").content.decode()
        assert statuses(html)[0] == words[status], status
    listing = client.get("/ko/petitions/").content.decode()
    assert words["open"] in statuses(listing)
    for tab in ("open", "awaiting_response", "answered", "closed"):
        assert f">{words[tab]}</a>" in listing
    for other_word in ("열기", "불수용", "각하", "인권사무소", "작성 중"):
        assert other_word not in listing


@pytest.mark.django_db
def test_korean_consultation_pages_show_the_glossarys_phase_and_answer_names(
    client,
    site_pages,
    make_consultation,  # noqa: F811 - the fixture imported above
):
    phases = {code: ko for code, (ko, _en) in glossary("Consultation phases").items()}
    answers = {code: ko for code, (ko, _en) in glossary("Answers to a proposal").items()}
    pages = {phase: make_consultation(phase) for phase in Phase.values}
    open_page = pages["open"]
    discussion, _ = Discussion.objects.get_or_create(translation_key=open_page.translation_key)
    author = factories.resident()
    for status in ("under_consideration", "accepted", "rejected", "implemented"):
        proposal = Proposal.objects.create(
            discussion=discussion, author=author, title=f"Idea {status}", body="<p>Idea.</p>"
        )
        proposal.give_answer(status)
        proposal.answer = "<p>답변입니다.</p>"
        proposal.save()
    for phase, page in pages.items():
        html = client.get(page.url).content.decode()
        assert statuses(html)[0] == phases[phase], phase
    shown = statuses(client.get(open_page.url).content.decode())
    for status in ("under_consideration", "accepted", "rejected", "implemented"):
        assert answers[status] in shown, status
    index = client.get(pages["open"].get_parent().url).content.decode()
    assert set(statuses(index)) == set(phases.values())
    assert "반려" not in shown and "각하" not in shown


def test_complaint_state_names_are_the_glossarys():
    from complaints.models import Status

    words = glossary("Complaint states")
    assert labels(Status, "ko") == {code: ko for code, (ko, _en) in words.items()}


@pytest.mark.django_db
def test_korean_small_words_username_optional_and_unread(client, site_pages):
    login = client.get("/ko/accounts/login/").content.decode()
    assert "아이디" in login and "사용자 이름" not in login
    signup = client.get("/ko/accounts/signup/").content.decode()
    assert "표시 이름 (선택)" in signup and "(선택) (선택)" not in signup
    from core.services import notification_send

    resident = factories.resident()
    for _ in range(2):
        notification_send(user=resident, kind="system.test")
    client.force_login(resident)
    home = client.get("/ko/notifications/").content.decode()
    assert '알림 <span class="krds-badge bg-danger">2개 읽지 않음</span>' in home
    assert "읽지 않은 알림" not in home


@pytest.mark.django_db
def test_office_names_come_from_the_settings(client, site_pages):
    from cms.models import OfficeSettings
    from core.notifications import render_message

    listing = client.get("/ko/petitions/").content.decode()
    assert "광주광역시 인권평화협력관에서 공개적으로 답변합니다" in listing
    office = OfficeSettings.objects.get()
    office.name_ko = "인권정책과"
    office.save()
    assert "인권정책과에서 공개적으로 답변합니다" in client.get("/ko/petitions/").content.decode()
    with translation.override("ko"):
        message = render_message("consultations.proposal_answered", {})
    assert message == "내가 낸 제안이나 지지한 제안에 인권정책과에서 답변했습니다."
    with translation.override("en"):
        assert OfficeSettings().ombuds_name == "Human Rights Ombudsperson"
    with translation.override("ko"):
        assert OfficeSettings().ombuds_name == "인권옴부즈맨"
        assert OfficeSettings().name == "인권평화협력관"
