"""Demo petitions (CONTRACT.md section 2): one in every state, one just past
its threshold. Made through the real services, so every state is reached by
its real transition. Idempotent: a petition whose title exists is left alone."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import User

from . import services
from .models import Petition

# What a resident wrote is one text, shown on both languages' pages; the demo
# writes it in Korean so no English shows on a Korean page (resident2 writes
# Korean too, though their pages are in English).
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
        "모든 행정복지센터에 여러 언어 안내판을 달아 주세요",
        "모든 행정복지센터에 한국어, 영어, 베트남어, 중국어 안내판을 달아 주세요.",
        "이주민 주민이 받을 수 있는 서비스를 찾지 못하고 있습니다.",
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
        "공공 화장실에 무료 생리용품을 비치해 주세요",
        "시의 모든 건물 화장실에 생리용품을 무료로 비치해 주세요.",
        "생리용품을 살 형편이 안 되어 학교나 바깥 활동을 못 하는 청소년이 있습니다.",
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
        "밤 11시 이후 심야버스를 운행해 주세요",
        "주요 노선에 밤 11시 이후에도 심야버스를 운행해 주세요.",
        "교대 근무를 하는 노동자가 밤늦게 안전하게 집에 갈 방법이 없습니다.",
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
    "공사 기간에는 옆문 안내 표지와 호출 벨을 두겠습니다.</p>"
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
        services.petition_fold(petition_id=petition.pk)
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
