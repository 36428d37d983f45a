"""Demo consultations: one open (anti-discrimination in public services) and one
closed with answered proposals, in Korean and English (CONTRACT.md section 2)."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone
from wagtail.models import Locale

from accounts.models import User
from cms.demo import home_page

from .models import (
    Comment,
    ConsultationIndexPage,
    ConsultationPage,
    Discussion,
    Proposal,
    ProposalStatus,
    Support,
    Visibility,
)

INDEX = {
    "ko": {
        "title": "의견 수렴",
        "intro": "시가 준비 중인 정책 초안을 읽고 의견과 제안을 남겨 주세요. 시는 보내 주신 의견과 제안을 모두 읽고, 최종 정책을 정할 때 검토합니다.",
    },
    "en": {
        "title": "Public consultations",
        "intro": "Read the city's draft policies and tell us what you think. The city reads every comment and proposal and considers them when it decides the final policy.",
    },
}

OPEN = {
    "slug": "anti-discrimination-public-services",
    "days": (-10, 30),
    "ko": {
        "title": "공공서비스 차별 금지 정책 초안",
        "summary": "시청과 구청, 공공기관이 제공하는 모든 서비스에서 누구도 차별받지 않도록 하는 정책 초안입니다.",
        "easy_read_summary": "시의 서비스는 모든 사람을 똑같이 대해야 합니다.\n장애, 나이, 출신 나라 때문에 차별하면 안 됩니다.\n차별을 겪으면 인권옴부즈맨에게 말할 수 있습니다.",
        "department": "인권평화협력관 인권정책팀",
        "sections": [
            (
                "목적",
                "<p>이 정책은 광주광역시와 산하 공공기관이 서비스를 제공할 때 모든 시민의 존엄과 평등을 보장하는 것을 목적으로 합니다.</p>",
            ),
            (
                "적용 범위",
                "<p>시청, 구청, 주민센터, 공사·공단, 출자·출연기관이 제공하는 민원, 복지, 교통, 문화, 교육 서비스 전부에 적용됩니다.</p>",
            ),
            (
                "차별의 정의",
                "<p>성별, 나이, 장애, 출신 국가, 인종, 종교, 성적 지향, 경제적 형편 등을 이유로 합리적 이유 없이 서비스를 거부하거나 불리하게 대하는 것을 말합니다.</p>",
            ),
            (
                "합리적 편의 제공",
                "<ul><li>수어 통역과 쉬운 글 안내문을 제공합니다.</li><li>외국어 통역을 무료로 연결합니다.</li><li>휠체어 사용자가 모든 창구를 이용할 수 있게 합니다.</li></ul>",
            ),
            (
                "구제 절차",
                "<p>차별을 겪은 사람은 인권옴부즈맨에게 진정할 수 있습니다. 인권옴부즈맨은 90일 안에 조사 결과와 권고를 알립니다.</p>",
            ),
        ],
    },
    "en": {
        "title": "Draft policy: no discrimination in public services",
        "summary": "A draft policy so that no one is treated unfairly in any service offered by city hall, the district offices and public agencies.",
        "easy_read_summary": "City services must treat everyone the same.\nNo one may be treated badly because of a disability, their age or the country they come from.\nIf this happens to you, you can tell the human rights ombudsperson.",
        "department": "Human Rights Office, policy team",
        "sections": [
            (
                "Purpose",
                "<p>This policy makes sure that Gwangju and its public agencies respect the dignity and equality of every resident when they provide services.</p>",
            ),
            (
                "Who it covers",
                "<p>It covers every service of city hall, the district offices, community centres and public corporations: civil affairs, welfare, transport, culture and education.</p>",
            ),
            (
                "What discrimination means",
                "<p>Refusing a service, or treating someone worse, without a good reason, because of sex, age, disability, national origin, race, religion, sexual orientation, income or a similar reason.</p>",
            ),
            (
                "Reasonable accommodation",
                "<ul><li>Sign language interpreting and easy-read leaflets.</li><li>Free interpreting in other languages.</li><li>Every counter usable from a wheelchair.</li></ul>",
            ),
            (
                "How to get help",
                "<p>Anyone who faces discrimination can report it to the human rights ombudsperson, who answers with findings and recommendations within 90 days.</p>",
            ),
        ],
    },
}

CLOSED = {
    "slug": "human-rights-plan-2027",
    "days": (-90, -30),
    "ko": {
        "title": "제4차 인권 기본계획(2027–2031) 초안",
        "summary": "앞으로 5년 동안 광주가 추진할 인권 정책의 방향과 과제를 담은 초안입니다.",
        "easy_read_summary": "광주가 5년 동안 할 인권 일을 정리했습니다.\n시민 의견을 듣고 계획을 고쳤습니다.",
        "department": "인권평화협력관",
        "sections": [
            ("비전", "<p>모두의 존엄이 지켜지는 인권도시 광주.</p>"),
            (
                "핵심 과제",
                "<ol><li>인권교육 확대</li><li>이주민 권리 보장</li><li>돌봄 노동자 권리 보호</li></ol>",
            ),
            ("점검과 평가", "<p>인권지표로 해마다 이행 상황을 점검하고 결과를 공개합니다.</p>"),
        ],
    },
    "en": {
        "title": "Draft 4th Human Rights Plan (2027–2031)",
        "summary": "The direction and the tasks of Gwangju's human rights policy for the next five years.",
        "easy_read_summary": "This is what Gwangju will do for human rights in the next five years.\nWe changed the plan after listening to residents.",
        "department": "Human Rights Office",
        "sections": [
            (
                "Vision",
                "<p>Gwangju, a human rights city where everyone's dignity is protected.</p>",
            ),
            (
                "Key tasks",
                "<ol><li>More human rights education</li><li>Rights of migrants</li><li>Protecting care workers</li></ol>",
            ),
            (
                "Monitoring",
                "<p>Every year the city checks its progress with human rights indicators and publishes the results.</p>",
            ),
        ],
    },
}

# (author, section index or None, stance, body, replies [(author, body)])
OPEN_COMMENTS = [
    (
        "resident1",
        3,
        "for",
        "<p>수어 통역이 꼭 필요합니다. 구청 민원실에서 통역 없이 두 시간을 기다린 적이 있어요.</p>",
        [
            (
                "resident2",
                "<p>저도 행정복지센터에서 같은 일을 겪었습니다. 통역을 미리 온라인으로 예약할 수 있으면 좋겠습니다.</p>",
            )
        ],
    ),
    (
        "resident2",
        2,
        "for",
        "<p>목록에 ‘체류 자격’도 넣어 주세요. 이주노동자가 비자 때문에 서비스를 거절당하는 일이 많습니다.</p>",
        [],
    ),
    (
        "resident1",
        4,
        "against",
        "<p>90일은 너무 깁니다. 30일 안에 첫 답변을 주면 좋겠습니다.</p>",
        [],
    ),
    (
        "resident2",
        None,
        "neutral",
        "<p>최종 정책도 쉬운 글로 된 안내문이 나오나요?</p>",
        [
            (
                "resident1",
                "<p>저도 궁금합니다. 어르신들을 위한 큰 글씨 안내문도 있으면 좋겠어요.</p>",
            )
        ],
    ),
]
OPEN_PROPOSALS = [
    (
        "resident1",
        "민원실마다 수어 영상통화 단말기 설치",
        "<p>모든 민원실에 수어 영상통화 단말기를 두어 바로 통역을 받을 수 있게 해 주세요.</p>",
        ["resident2"],
    ),
    (
        "resident2",
        "차별 사유에 체류 자격 추가",
        "<p>비자와 체류 자격을 차별 사유에 넣어 주세요.</p>",
        ["resident1"],
    ),
]
CLOSED_COMMENTS = [
    ("resident1", 1, "for", "<p>돌봄 노동자 권리 보호 과제를 환영합니다.</p>", []),
    ("resident2", 1, "for", "<p>이주 돌봄 노동자도 분명하게 넣어 주세요.</p>", []),
]
CLOSED_PROPOSALS = [
    (
        "resident2",
        "인권지표를 공공데이터로 공개",
        "<p>해마다 내는 인권지표를 공공데이터로 공개해 주세요.</p>",
        ["resident1"],
        ProposalStatus.ACCEPTED,
        "<p>수용합니다. 2027년부터 인권지표를 공공데이터포털에 공개합니다.</p>",
    ),
    (
        "resident1",
        "모든 공무원 연 10시간 인권교육",
        "<p>모든 공무원이 해마다 10시간 이상 인권교육을 받게 해 주세요.</p>",
        ["resident2"],
        ProposalStatus.REJECTED,
        "<p>받아들이기 어렵습니다. 교육 시간은 법령으로 정해져 있어, 대신 직무별 맞춤형 교육을 늘리겠습니다.</p>",
    ),
]


def _locale(code: str) -> Locale:
    return Locale.objects.get_or_create(language_code=code)[0]


def _index(language: str) -> ConsultationIndexPage | None:
    home = home_page(language)
    if home is None:
        return None
    index = ConsultationIndexPage.objects.child_of(home).first()
    if index is None:
        ko_index = ConsultationIndexPage.objects.filter(locale__language_code="ko").first()
        if language != "ko" and ko_index is not None:
            index = ko_index.copy_for_translation(_locale(language))
        else:
            index = home.add_child(
                instance=ConsultationIndexPage(title=INDEX[language]["title"], slug="consultations")
            )
        index.title = INDEX[language]["title"]
        index.intro = INDEX[language]["intro"]
        index.save_revision().publish()
    return index


def _draft(sections, ids) -> str:
    return json.dumps(
        [
            {"type": "section", "value": {"title": t, "body": b}, "id": i}
            for (t, b), i in zip(sections, ids, strict=True)
        ]
    )


def _consultation(spec: dict, index_ko, index_en) -> ConsultationPage:
    page = ConsultationPage.objects.filter(locale__language_code="ko", slug=spec["slug"]).first()
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    if page is None:
        ko = spec["ko"]
        ids = [str(uuid.uuid4()) for _ in ko["sections"]]
        page = index_ko.add_child(
            instance=ConsultationPage(
                title=ko["title"],
                slug=spec["slug"],
                summary=ko["summary"],
                easy_read_summary=ko["easy_read_summary"],
                department=ko["department"],
                opens_at=now + timedelta(days=spec["days"][0]),
                closes_at=now + timedelta(days=spec["days"][1]),
                draft=_draft(ko["sections"], ids),
            )
        )
        page.save_revision().publish()
    if not ConsultationPage.objects.filter(
        locale__language_code="en", translation_key=page.translation_key
    ).exists():
        en = spec["en"]
        # The copy keeps the block ids, so comments stay on the same sections.
        english = page.copy_for_translation(_locale("en"))
        english.title, english.summary = en["title"], en["summary"]
        english.easy_read_summary, english.department = en["easy_read_summary"], en["department"]
        english.draft = _draft(en["sections"], [block.id for block in page.draft])
        english.save_revision().publish()
    return page


def _conversation(page, comments, proposals) -> None:
    discussion, created = Discussion.objects.get_or_create(translation_key=page.translation_key)
    if not created and (discussion.comments.exists() or discussion.proposals.exists()):
        return
    users = {u.username: u for u in User.objects.filter(username__in=["resident1", "resident2"])}
    if len(users) < 2:
        return
    anchors = [block.id for block in page.draft]
    for author, section, stance, body, replies in comments:
        top = Comment.objects.create(
            discussion=discussion,
            author=users[author],
            body=body,
            stance=stance,
            section=anchors[section] if section is not None else "",
            reply_count=len(replies),
            language="ko",
        )
        for reply_author, reply_body in replies:
            Comment.objects.create(
                discussion=discussion,
                author=users[reply_author],
                body=reply_body,
                parent=top,
                depth=1,
                section=top.section,
                language="ko",
            )
    for item in proposals:
        author, title, body, supporters = item[:4]
        proposal = Proposal.objects.create(
            discussion=discussion, author=users[author], title=title, body=body
        )
        for name in supporters:
            Support.objects.get_or_create(proposal=proposal, user=users[name])
        Proposal.objects.filter(pk=proposal.pk).update(support_count=len(supporters))
        if len(item) > 4:
            proposal.refresh_from_db()
            proposal.give_answer(item[4])
            proposal.answer = item[5]
            proposal.answered_at = timezone.now()
            proposal.answered_by = User.objects.filter(username="supervisor").first()
            proposal.save()
    totals = Discussion.objects.filter(pk=discussion.pk).aggregate(
        c=Count("comments", filter=Q(comments__state=Visibility.VISIBLE), distinct=True),
        p=Count("proposals", filter=Q(proposals__state=Visibility.VISIBLE), distinct=True),
    )
    Discussion.objects.filter(pk=discussion.pk).update(
        comment_count=totals["c"], proposal_count=totals["p"]
    )


def seed(*, stdout) -> None:
    index_ko = _index("ko")
    index_en = _index("en")
    if index_ko is None or index_en is None:
        stdout.write("Demo consultations skipped: the home pages are missing.")
        return
    open_page = _consultation(OPEN, index_ko, index_en)
    closed_page = _consultation(CLOSED, index_ko, index_en)
    _conversation(open_page, OPEN_COMMENTS, OPEN_PROPOSALS)
    _conversation(closed_page, CLOSED_COMMENTS, CLOSED_PROPOSALS)
    stdout.write("Demo consultations: one open and one closed, in Korean and English.")
