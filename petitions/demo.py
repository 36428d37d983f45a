"""Demo petitions (CONTRACT.md section 2): one in every state, one just past
its threshold. Made through the real services, so every state is reached by
its real transition. Idempotent: a petition whose title exists is left alone."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import User

from . import services
from .models import Petition

# title, action, background, creator, target state, threshold, signers
DEMO_PETITIONS = [
    (
        "광주천 산책로에 쉼터 벤치를 놓아 주세요",
        "광주천 산책로 500미터마다 그늘이 있는 벤치를 설치해 주세요.",
        "어르신과 장애인이 산책로를 이용하기 어렵습니다. 쉬어 갈 곳이 없습니다.",
        "resident1",
        Petition.Status.OPEN,
        1000,
        ["resident2"],
    ),
    (
        "Multilingual signs at every community centre",
        "Put signs in Korean, English, Vietnamese and Chinese at every community centre.",
        "Migrant residents cannot find the services they are entitled to.",
        "resident2",
        Petition.Status.AWAITING_RESPONSE,
        2,
        ["resident1", "resident2"],
    ),
    (
        "시립도서관 입구에 경사로를 만들어 주세요",
        "시립도서관 정문에 휠체어가 다닐 수 있는 경사로를 만들어 주세요.",
        "지금은 계단뿐이라 휠체어 이용자가 옆문을 찾아 돌아가야 합니다.",
        "resident1",
        Petition.Status.ANSWERED,
        2,
        ["resident1", "resident2"],
    ),
    (
        "Free period products in public toilets",
        "Provide free period products in the toilets of all city buildings.",
        "Period poverty keeps girls out of school and public life.",
        "resident2",
        Petition.Status.CLOSED,
        1000,
        ["resident1"],
    ),
    (
        "우리 동네 놀이터에 그늘막 설치",
        "놀이터에 그늘막을 설치해 주세요.",
        "여름에 아이들이 놀 수 없습니다.",
        "resident1",
        Petition.Status.REJECTED,
        1000,
        [],
    ),
    (
        "Night buses after 11 pm",
        "Run night buses on the main lines after 11 pm.",
        "Shift workers cannot get home safely.",
        "resident2",
        Petition.Status.AWAITING_MODERATION,
        1000,
        [],
    ),
    (
        "경로당 무료 와이파이",
        "모든 경로당에 무료 와이파이를 설치해 주세요.",
        "",
        "resident1",
        Petition.Status.DRAFT,
        1000,
        [],
    ),
]

ANSWER = (
    "<p>시는 2027년 상반기까지 시립도서관 정문에 경사로를 설치하겠습니다. "
    "The city will build a ramp at the library's main entrance by mid-2027.</p>"
)


def seed(*, stdout) -> None:
    users = {u.username: u for u in User.objects.all()}
    moderator, supervisor = users["moderator"], users["supervisor"]
    S = Petition.Status
    made = 0
    for title, action, background, creator, target, threshold, signers in DEMO_PETITIONS:
        if Petition.objects.filter(title=title).exists():
            continue
        petition = services.petition_create(
            creator=users[creator],
            title=title,
            action=action,
            background=background,
            threshold=threshold,
        )
        made += 1
        if target == S.DRAFT:
            continue
        petition = services.petition_submit(petition=petition, user=users[creator])
        if target == S.AWAITING_MODERATION:
            continue
        if target == S.REJECTED:
            services.petition_reject(
                petition=petition,
                user=moderator,
                reason=Petition.RejectionReason.DUPLICATE,
                note="같은 내용의 청원이 이미 있습니다. 그 청원에 서명해 주세요.",
            )
            continue
        petition = services.petition_publish(petition=petition, user=moderator)
        for signer in signers:
            services.petition_sign(petition=petition, user=users[signer], show_name=True)
        if target == S.CLOSED:
            # Demo only: move the closing date into the past, then let the
            # real closing service do its work.
            Petition.objects.filter(pk=petition.pk).update(
                closes_at=timezone.now() - timedelta(days=1)
            )
            services.petitions_close_expired()
        elif target == S.ANSWERED:
            petition.refresh_from_db()
            services.petition_answer(petition=petition, user=supervisor, answer=ANSWER)
    stdout.write(f"Demo petitions: {made} created ({len(DEMO_PETITIONS)} in the demo set).")
