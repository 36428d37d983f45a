"""Demo events: a public hearing on the open consultation and two sessions of
the World Human Rights Cities Forum, in Korean and English. Idempotent."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from wagtail.models import Locale

from cms.models import HomePage
from consultations.models import ConsultationPage

from .models import EventIndexPage, EventKind, EventPage

INDEX = {
    "ko": {"title": "행사", "intro": "공청회와 세계인권도시포럼 세션에 참여해 주세요."},
    "en": {
        "title": "Events",
        "intro": "Take part in public hearings and World Human Rights Cities Forum sessions.",
    },
}

EVENTS = [
    {
        "slug": "hearing-draft-policy",
        "kind": EventKind.HEARING,
        "days": 10,
        "hours": 2,
        "capacity": 60,
        "language": "ko",
        "link_open_consultation": True,
        "ko": {
            "title": "인권 정책 초안 공청회",
            "summary": "의견 수렴 중인 정책 초안을 설명하고 시민의 의견을 듣습니다.",
            "place": "광주광역시청 1층 시민홀",
            "interpretation": "한국수어 통역, 영어 동시통역(요청 시)",
            "accessibility": "휠체어 이용 가능, 보청 루프, 실시간 자막",
        },
        "en": {
            "title": "Public hearing on the draft human rights policy",
            "summary": "The city explains the draft policy under consultation and listens to residents.",
            "place": "Citizens' Hall, ground floor, Gwangju City Hall",
            "interpretation": "Korean Sign Language; English interpretation on request",
            "accessibility": "Step-free access, hearing loop, live captions",
        },
    },
    {
        "slug": "forum-opening",
        "kind": EventKind.FORUM_SESSION,
        "days": 30,
        "hours": 3,
        "capacity": 300,
        "language": "ko,en",
        "ko": {
            "title": "세계인권도시포럼 개막 세션",
            "summary": "세계의 인권도시가 모여 경험을 나눕니다.",
            "place": "김대중컨벤션센터 컨벤션홀",
            "interpretation": "한국어–영어 동시통역, 한국수어 통역",
            "accessibility": "휠체어석, 점자 자료, 실시간 자막",
        },
        "en": {
            "title": "World Human Rights Cities Forum: opening session",
            "summary": "Human rights cities from around the world share what they learned.",
            "place": "Convention Hall, Kimdaejung Convention Center",
            "interpretation": "Korean–English simultaneous interpretation, Korean Sign Language",
            "accessibility": "Wheelchair spaces, braille handouts, live captions",
        },
    },
    {
        "slug": "forum-side-event-migrants",
        "kind": EventKind.SIDE_EVENT,
        "days": 31,
        "hours": 2,
        "capacity": 2,
        "language": "en",
        "ko": {
            "title": "부대 행사: 이주민과 함께 만드는 도시",
            "summary": "이주민 시민이 직접 말하는 도시의 인권.",
            "place": "김대중컨벤션센터 회의실 204",
            "interpretation": "영어 진행, 한국어 통역",
            "accessibility": "휠체어 이용 가능",
        },
        "en": {
            "title": "Side event: a city made with migrants",
            "summary": "Migrant residents speak about rights in the city.",
            "place": "Room 204, Kimdaejung Convention Center",
            "interpretation": "In English, with Korean interpretation",
            "accessibility": "Step-free access",
        },
    },
]


def _index(home: HomePage, language: str, source: EventIndexPage | None) -> EventIndexPage:
    page = EventIndexPage.objects.child_of(home).first()
    if page is None:
        if source is None:
            page = home.add_child(
                instance=EventIndexPage(title=INDEX[language]["title"], slug="events")
            )
        else:
            page = source.copy_for_translation(home.locale)
        page.title = INDEX[language]["title"]
        page.intro = INDEX[language]["intro"]
        page.show_in_menus = True
        page.save_revision().publish()
    return page


def _fill(page: EventPage, spec: dict, language: str, consultation) -> None:
    text = spec[language]
    starts = timezone.localtime(timezone.now() + timedelta(days=spec["days"])).replace(
        hour=14, minute=0, second=0, microsecond=0
    )
    page.title = text["title"]
    page.summary = text["summary"]
    page.place = text["place"]
    page.interpretation = text["interpretation"]
    page.accessibility = text["accessibility"]
    page.kind = spec["kind"]
    page.starts_at = starts
    page.ends_at = starts + timedelta(hours=spec["hours"])
    page.capacity = spec["capacity"]
    page.event_language = spec["language"]
    page.consultation = consultation
    page.save_revision().publish()


def seed(*, stdout) -> None:
    home_ko = HomePage.objects.filter(locale__language_code="ko").first()
    home_en = HomePage.objects.filter(locale__language_code="en").first()
    if home_ko is None or home_en is None:
        stdout.write("Demo events skipped: the home pages are missing.")
        return
    en = Locale.objects.get(language_code="en")
    index_ko = _index(home_ko, "ko", None)
    _index(home_en, "en", index_ko)
    open_ko = next(
        (
            p
            for p in ConsultationPage.objects.live().filter(locale=home_ko.locale)
            if p.phase == "open"
        ),
        None,
    )
    for spec in EVENTS:
        page_ko = EventPage.objects.child_of(index_ko).filter(slug=spec["slug"]).first()
        if page_ko is not None:
            continue
        consultation = open_ko if spec.get("link_open_consultation") else None
        starts = timezone.now() + timedelta(days=spec["days"])
        page_ko = index_ko.add_child(
            instance=EventPage(
                title=spec["ko"]["title"],
                slug=spec["slug"],
                starts_at=starts,
                ends_at=starts + timedelta(hours=spec["hours"]),
                place=spec["ko"]["place"],
            )
        )
        _fill(page_ko, spec, "ko", consultation)
        page_en = page_ko.copy_for_translation(en)
        translated = consultation.get_translation_or_none(en) if consultation else None
        consultation_en = translated.specific if translated else None
        _fill(page_en, spec, "en", consultation_en)
    stdout.write("Demo events: a public hearing and forum sessions, in Korean and English.")
