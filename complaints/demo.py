"""Demo complaints (CONTRACT.md section 2): every state, on caseworker1 and
caseworker2, some overdue. Made through the services so timelines exist;
idempotent through the submission's Idempotency-Key."""

import datetime

from django.utils import timezone

from accounts.models import User

from . import services
from .models import Complaint

# key, owner (None: anonymous), grounds, field of life, caseworker, moves, overdue
DEMO = [
    ("demo-1", "resident1", ["sex", "pregnancy_childbirth"], "employment", None, [], True),
    ("demo-2", None, ["national_origin", "race"], "housing", None, [], False),
    ("demo-3", "resident2", ["national_origin"], "goods_services", "caseworker1", ["accept"], True),
    (
        "demo-4",
        "resident1",
        ["disability"],
        "public_administration",
        "caseworker2",
        ["accept", "start_mediation"],
        False,
    ),
    (
        "demo-5",
        None,
        ["age", "economic_status"],
        "employment",
        "caseworker1",
        ["accept", "decide"],
        False,
    ),
    (
        "demo-6",
        "resident2",
        ["religion"],
        "education",
        "caseworker2",
        ["accept", "decide", "close"],
        False,
    ),
    ("demo-7", "resident1", ["appearance"], "goods_services", None, ["reject"], False),
    ("demo-8", None, ["criminal_record"], "policing_justice", None, ["refer"], False),
    (
        "demo-9",
        "resident2",
        ["sexual_orientation", "gender_identity"],
        "health",
        "caseworker1",
        ["withdraw"],
        False,
    ),
    (
        "demo-10",
        "resident1",
        ["medical_history"],
        "employment",
        "caseworker2",
        ["accept", "start_mediation", "settle"],
        False,
    ),
]

# What the complainant wrote, and the office's own notes, are one text each (not
# translated): the demo writes them in Korean, as the office in Gwangju works, so
# no English shows on a Korean page. The English pages translate only the UI.
DESCRIPTIONS = {
    "employment": "임신했다고 팀장에게 말한 뒤에 계약이 연장되지 않았습니다.",
    "housing": "집주인이 전화로는 방이 비어 있다고 했는데, 만나 보더니 외국인이라 안 된다고 했습니다.",
    "goods_services": "가게 직원이 계속 따라다니면서 외국인등록증을 보여 달라고 했습니다.",
    "public_administration": "행정복지센터에 경사로가 없고, 직원에게 도움을 청했지만 도와주지 않았습니다.",
    "education": "종교 명절 기간에 아이에게 수업에서 나가 있으라고 했습니다.",
    "policing_justice": "예전에 받은 처벌 기록 때문에만 오랫동안 조사를 받았습니다.",
    "health": "의원 접수 직원이 불쾌한 말을 하고 진료 예약을 받아 주지 않았습니다.",
}
DEFAULT_DESCRIPTION = "부당한 대우를 받았습니다."
NOTES = {
    "reject": "인권옴부즈맨의 조사 대상이 아님: 이웃 사이의 개인적인 다툼.",
    "refer": "국가인권위원회 광주인권사무소로 이송함.",
    "decide": "차별로 판단함. 권고: 직원 인권 교육과 사과.",
}
# Written for the complainant (shown on their page word for word), in both languages.
PUBLIC_REASONS = {
    "reject": (
        "이웃 사이의 개인적인 다툼이라 인권옴부즈맨이 조사할 수 있는 일이 아닙니다.\n"
        "This is a private dispute between neighbours, which the office cannot investigate."
    ),
    "refer": (
        "수사기관의 일은 국가인권위원회가 조사할 수 있어 그곳으로 넘겼습니다.\n"
        "The National Human Rights Commission of Korea can investigate this, so we sent it there."
    ),
}


def seed(*, stdout) -> None:
    names = ["supervisor", "caseworker1", "caseworker2", "resident1", "resident2"]
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    if len(users) < 5:
        stdout.write("Complaints: demo accounts missing, skipped.")
        return
    supervisor = users["supervisor"]
    if (
        Complaint.objects.filed_by(users["resident1"]).exists()
        or Complaint.objects.filed_by(users["resident2"]).exists()
    ):
        # Idempotent past the 24-hour window of the Idempotency-Keys below.
        stdout.write("Complaints: the demo residents' complaints are there, nothing created.")
        return
    made = 0
    for key, owner, grounds, field, caseworker, moves, overdue in DEMO:
        submission = services.complaint_submit(
            grounds=grounds,
            description=DESCRIPTIONS.get(field, DEFAULT_DESCRIPTION),
            anonymous=owner is None,
            user=users.get(owner) if owner else None,
            field_of_life=field,
            incident_date=timezone.localdate() - datetime.timedelta(days=30),
            idempotency_key=key,
        )
        if not submission.created:
            continue
        made += 1
        complaint = submission.complaint
        if caseworker:
            services.complaint_assign(
                complaint=complaint, actor=supervisor, caseworker=users[caseworker]
            )
        for move in moves:
            actor = {
                "withdraw": users.get(owner),
                "start_mediation": users.get(caseworker),
                "end_mediation": users.get(caseworker),
                "settle": users.get(caseworker),
                "decide": users.get(caseworker),
            }.get(move, supervisor)
            services.complaint_transition(
                complaint=complaint,
                actor=actor,
                transition=move,
                note=NOTES.get(move, ""),
                public_reason=PUBLIC_REASONS.get(move, ""),
            )
        if overdue:
            # Demo only: pretend the deadline passed (the state is not touched).
            past = timezone.now() - datetime.timedelta(days=3)
            Complaint.objects.filter(pk=complaint.pk).update(
                triage_due=past,
                investigation_due=past if complaint.investigation_due else None,
            )
    stdout.write(f"Complaints: {made} demo complaints created.")
