"""Demo accountability data (CONTRACT.md section 2): Human Rights Indicators
with a five-year plan (2026–2030, baseline 2025) and measured values, city
departments, recommendations with the departments' answers, and published
anonymised decisions of the demo's decided cases. Idempotent (by code / title)."""

import datetime
from decimal import Decimal
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from complaints.models import Complaint
from complaints.selectors import with_grounds
from consultations.models import ConsultationPage
from petitions.models import Petition

from .models import (
    Decision,
    DecisionState,
    Department,
    Indicator,
    IndicatorArea,
    IndicatorGround,
    IndicatorTarget,
    IndicatorValue,
    Milestone,
    Recommendation,
)

AREAS = [
    ("equality", "평등과 차별 금지", "Equality and non-discrimination", 1),
    ("access", "공공서비스 접근", "Access to public services", 2),
    ("participation", "시민 참여", "Participation", 3),
]

DEPARTMENTS = [
    ("welfare", "복지정책과", "Welfare Policy Division"),
    ("housing", "주택정책과", "Housing Policy Division"),
    ("personnel", "인사과", "Personnel Division"),
    ("transport", "대중교통과", "Public Transport Division"),
]

# code, area, title ko/en, unit ko/en, definition ko/en, source ko/en, direction,
# baseline (2025), targets 2026..2030, values {year: (value, note ko, note en)}, grounds
INDICATORS = [
    (
        "EQ-01",
        "equality",
        "차별 진정 중 결정까지 90일 이내 처리 비율",
        "Share of discrimination complaints decided within 90 days",
        "%",
        "%",
        "그해 결정된 차별 진정 가운데 접수부터 결정까지 90일이 넘지 않은 진정의 비율입니다.",
        "Of the discrimination complaints decided in the year, the share decided within 90 days of submission.",
        "인권옴부즈맨 사건 기록",
        "Human Rights Ombudsman case records",
        "higher",
        Decimal("48"),
        [55, 62, 70, 78, 85],
        {
            2026: (
                Decimal("57.5"),
                "상반기 조사관 1명 충원",
                "One more caseworker from the first half",
            )
        },
        ["sex", "disability", "age", "national_origin"],
    ),
    (
        "EQ-02",
        "equality",
        "장애인 편의시설 기준을 충족한 구청·주민센터 비율",
        "Share of district offices and community centres meeting accessibility standards",
        "%",
        "%",
        "장애인·노인·임산부 등의 편의증진법 기준을 모두 충족한 시 소유 민원 시설의 비율입니다.",
        "The share of city-owned public service buildings that meet every standard of the Act on convenience for persons with disabilities, the elderly and pregnant women.",
        "시 건축과 전수조사",
        "City building division survey",
        "higher",
        Decimal("61"),
        [66, 72, 80, 88, 95],
        {2026: (Decimal("67"), "경사로 12곳 설치", "Ramps built at 12 sites")},
        ["disability", "age", "pregnancy_childbirth"],
    ),
    (
        "AC-01",
        "access",
        "다국어 안내를 제공하는 주민센터 비율",
        "Share of community centres with multilingual guidance",
        "%",
        "%",
        "한국어 외 세 개 이상 언어로 안내문과 통역 연결을 제공하는 주민센터의 비율입니다.",
        "The share of community centres offering signs and an interpreter line in at least three languages besides Korean.",
        "시 외국인주민과",
        "City migrant residents division",
        "higher",
        Decimal("22"),
        [35, 50, 65, 80, 100],
        {
            2026: (
                Decimal("31"),
                "베트남어·중국어·영어 안내 우선 설치",
                "Vietnamese, Chinese and English signs first",
            )
        },
        ["national_origin", "ethnic_origin", "race"],
    ),
    (
        "AC-02",
        "access",
        "공공임대주택 입주 거절 관련 진정 건수",
        "Complaints about refusals of public rental housing",
        "건",
        "complaints",
        "공공임대주택 입주·계약 거절을 이유로 한 차별 진정의 연간 접수 건수입니다. 낮을수록 좋습니다.",
        "The number of discrimination complaints a year about refused tenancy or contracts in public rental housing. Lower is better.",
        "인권옴부즈맨 진정 통계",
        "Human Rights Ombudsman complaint statistics",
        "lower",
        Decimal("18"),
        [16, 14, 12, 10, 8],
        {2026: (Decimal("15"), "", "")},
        ["family_type", "economic_status", "national_origin"],
    ),
    (
        "PA-01",
        "participation",
        "시민 의견 수렴에 참여한 시민 수",
        "Residents taking part in public consultations",
        "명",
        "people",
        "그해 시의 정책 초안 의견 수렴에 의견이나 제안을 남긴 시민의 수입니다.",
        "The number of residents who commented on or proposed changes to a draft city policy in the year.",
        "시민 참여 플랫폼",
        "This participation platform",
        "higher",
        Decimal("1200"),
        [1500, 1900, 2400, 3000, 3600],
        {
            2026: (
                Decimal("1640"),
                "인권 기본계획 초안 의견 수렴 포함",
                "Includes the Human Rights Plan consultation",
            )
        },
        [],
    ),
]

# title ko/en, department, text ko/en, legal basis ko/en, ground, issued days ago,
# due days after issue, answer, answer text ko/en, answered days after issue,
# implemented?, milestones [(ko, en, due days after issue, done?)], decision key
RECOMMENDATIONS = [
    (
        "임신·출산을 이유로 한 계약 갱신 거절 관행 개선",
        "End the practice of not renewing contracts because of pregnancy",
        "personnel",
        "시 출연기관의 기간제 직원 계약 갱신 기준에서 임신·출산과 관련된 사유를 삭제하고, 인사 담당자에게 연 1회 차별 예방 교육을 실시할 것을 권고합니다.",
        "We recommend removing every reason connected with pregnancy or childbirth from the contract renewal criteria for fixed-term staff of city-funded bodies, and training the personnel staff on preventing discrimination once a year.",
        "광주광역시 인권 기본 조례 제18조, 남녀고용평등법 제11조",
        "City Human Rights Ordinance art. 18; Equal Employment Opportunity Act art. 11",
        "pregnancy_childbirth",
        200,
        60,
        "accepted",
        "인사과는 권고를 수용하여 갱신 기준을 개정하고 2026년 하반기부터 교육을 실시합니다.",
        "The Personnel Division accepts the recommendation: the renewal criteria are amended and training starts in the second half of 2026.",
        40,
        True,
        [
            ("갱신 기준 개정", "Renewal criteria amended", 70, True),
            ("인사 담당자 교육 실시", "Training of personnel staff", 150, True),
        ],
        "age-employment",
    ),
    (
        "주민센터 종교 행사 참여 강요 금지 지침 마련",
        "Guidance: no one is pressed to join religious events at community centres",
        "welfare",
        "주민센터 프로그램에서 특정 종교 행사 참여를 조건으로 하지 않도록 지침을 마련하고 각 센터에 알릴 것을 권고합니다.",
        "We recommend guidance that no community centre programme requires taking part in a religious event, sent to every centre.",
        "광주광역시 인권 기본 조례 제18조",
        "City Human Rights Ordinance art. 18",
        "religion",
        150,
        60,
        "partly_accepted",
        "복지정책과는 지침을 마련하되, 외부 단체가 주관하는 행사는 단체와 협의하여 단계적으로 적용하겠다고 답하였습니다.",
        "The Welfare Policy Division will issue the guidance, but will apply it to events run by outside groups step by step, after talks with them.",
        50,
        False,
        [
            ("지침 초안 작성", "Draft guidance written", 80, True),
            ("전체 주민센터 배포", "Sent to every community centre", 120, False),
        ],
        "religion-education",
    ),
    (
        "저상버스 휠체어 승차 거부 재발 방지",
        "Stop wheelchair users being refused on low-floor buses",
        "transport",
        "버스 운수 종사자에게 휠체어 승차 지원 교육을 하고, 승차 거부 신고가 접수되면 운수회사 평가에 반영할 것을 권고합니다.",
        "We recommend training bus drivers to help wheelchair users board, and counting reported refusals in the evaluation of bus companies.",
        "교통약자의 이동편의 증진법 제14조",
        "Act on Mobility for the Transportation Vulnerable art. 14",
        "disability",
        90,
        60,
        "rejected",
        "대중교통과는 운수회사 평가 기준은 국토교통부 지침에 따르므로 변경할 수 없다고 답하였습니다. 교육은 기존 과정으로 대신합니다.",
        "The Public Transport Division answered that the evaluation criteria follow national guidelines and cannot be changed; the existing training course will be used instead.",
        45,
        False,
        [],
        None,
    ),
    (
        "공공임대주택 입주 안내문 다국어 제공",
        "Public rental housing information in several languages",
        "housing",
        "공공임대주택 입주자 모집 공고와 계약 안내문을 영어, 베트남어, 중국어로도 제공할 것을 권고합니다.",
        "We recommend publishing the calls for tenants and the contract information of public rental housing in English, Vietnamese and Chinese as well.",
        "광주광역시 외국인주민 지원 조례 제5조",
        "City Ordinance on Support for Foreign Residents art. 5",
        "national_origin",
        20,
        60,
        "",
        "",
        "",
        None,
        False,
        [],
        None,
    ),
]

# key, complaint reference key (demo Idempotency-Key), titles, summaries, easy read, body, grounds, field, outcome
DECISIONS = [
    (
        "age-employment",
        "demo-5",
        "나이를 이유로 한 채용 탈락",
        "Turned down for a job because of age",
        "시 출연기관이 기간제 직원을 채용하면서 50세 이상 지원자를 서류 단계에서 모두 탈락시킨 사건입니다. 인권옴부즈맨은 업무 수행과 관계없는 나이 기준으로 차별이 있었다고 결정하였습니다.",
        "A city-funded body rejected every applicant aged 50 or over at the paper stage when hiring fixed-term staff. The Human Rights Ombudsman decided this was discrimination on an age criterion unrelated to the work.",
        "나이가 많다는 이유로 일할 기회를 주지 않았습니다. 이것은 차별입니다. 기관은 채용 기준을 바꾸고 교육을 받아야 합니다.",
        "They did not give people a chance to work because they were older. That is discrimination. The body must change how it hires and take training.",
        "진정인은 시 출연기관 A의 기간제 직원 채용에 지원하였으나 서류 심사에서 탈락하였다. 조사 결과 A기관은 내부 기준으로 50세 이상 지원자를 일괄 탈락시켰으며, 이 기준은 직무와 관련이 없었다. 인권옴부즈맨은 이를 나이를 이유로 한 고용상 차별로 판단하고, 채용 기준 개정과 인사 담당자 교육을 권고하였다.",
        "The complainant applied for a fixed-term post at city-funded body A and was rejected at the paper stage. The investigation found that body A had an internal rule rejecting all applicants aged 50 or over, unrelated to the post. The Human Rights Ombudsman found discrimination in employment on the ground of age and recommended amending the hiring criteria and training the personnel staff.",
        ["age", "economic_status"],
        "employment",
        "upheld",
    ),
    (
        "religion-education",
        "demo-6",
        "종교 행사 불참 학생에 대한 불이익",
        "A pupil disadvantaged for not joining a religious event",
        "시가 위탁 운영하는 방과후 교실에서 종교 행사에 참여하지 않은 학생을 수업에서 빠지게 한 사건입니다. 인권옴부즈맨은 종교를 이유로 한 차별이 있었다고 결정하였습니다.",
        "An after-school class run for the city sent a pupil out of the lesson for not joining a religious event. The Human Rights Ombudsman decided this was discrimination on the ground of religion.",
        "종교 행사에 가지 않았다고 수업에서 내보냈습니다. 이것은 차별입니다. 누구도 종교 때문에 불이익을 받으면 안 됩니다.",
        "A child was sent out of class for not going to a religious event. That is discrimination. No one may be treated worse because of religion.",
        "진정인의 자녀는 시 위탁 방과후 교실 B에서 종교 행사 기간 동안 수업 참여를 제한받았다. B기관은 행사 참여가 프로그램의 일부라고 주장하였으나, 참여 여부를 수업 참여의 조건으로 삼을 근거는 없었다. 인권옴부즈맨은 종교를 이유로 한 교육상 차별로 판단하였다.",
        "The complainant's child was kept out of lessons at after-school class B, run for the city, during a religious event. Body B said the event was part of the programme, but there was no basis for making attendance a condition of the lessons. The Human Rights Ombudsman found discrimination in education on the ground of religion.",
        ["religion"],
        "education",
        "upheld",
    ),
]


def seed(*, stdout) -> None:
    areas = {}
    for slug, ko, en, order in AREAS:
        areas[slug], _ = IndicatorArea.objects.update_or_create(
            slug=slug, defaults={"title_ko": ko, "title_en": en, "sort_order": order}
        )
    departments = {}
    for code, ko, en in DEPARTMENTS:
        departments[code], _ = Department.objects.update_or_create(
            code=code, defaults={"name_ko": ko, "name_en": en}
        )
    made = 0
    for order, spec in enumerate(INDICATORS):
        (
            code,
            area,
            t_ko,
            t_en,
            u_ko,
            u_en,
            d_ko,
            d_en,
            s_ko,
            s_en,
            direction,
            baseline,
            targets,
            values,
            grounds,
        ) = spec
        if Indicator.objects.filter(code=code).exists():
            continue
        indicator = Indicator.objects.create(
            code=code,
            area=areas[area],
            title_ko=t_ko,
            title_en=t_en,
            unit_ko=u_ko,
            unit_en=u_en,
            definition_ko=d_ko,
            definition_en=d_en,
            source_ko=s_ko,
            source_en=s_en,
            direction=direction,
            plan_title_ko="제4차 인권 기본계획(2026–2030)",
            plan_title_en="4th Human Rights Plan (2026–2030)",
            baseline_year=2025,
            baseline_value=baseline,
            live=True,
            sort_order=order,
        )
        IndicatorTarget.objects.bulk_create(
            [
                IndicatorTarget(indicator=indicator, year=2026 + i, value=v)
                for i, v in enumerate(targets)
            ]
        )
        IndicatorValue.objects.bulk_create(
            [
                IndicatorValue(
                    indicator=indicator,
                    year=year,
                    value=value,
                    source_ko=s_ko,
                    source_en=s_en,
                    note_ko=n_ko,
                    note_en=n_en,
                )
                for year, (value, n_ko, n_en) in values.items()
            ]
        )
        IndicatorGround.objects.bulk_create(
            [IndicatorGround(indicator=indicator, code=g) for g in grounds]
        )
        made += 1
    _link_participation()

    # Published decisions of the demo's decided cases (found by status and ground).
    supervisor = User.objects.filter(username="supervisor").first()
    writers = {"demo-5": "caseworker1", "demo-6": "caseworker2"}
    decisions = {}
    for (
        key,
        demo_key,
        t_ko,
        t_en,
        s_ko,
        s_en,
        e_ko,
        e_en,
        b_ko,
        b_en,
        grounds,
        field,
        outcome,
    ) in DECISIONS:
        existing = Decision.objects.filter(title_en=t_en).first()
        if existing:
            decisions[key] = existing
            continue
        complaint = _decided_case(grounds[0])
        if complaint is not None and Decision.objects.filter(complaint=complaint).exists():
            complaint = None
        decision = Decision(
            complaint=complaint,
            state=DecisionState.PUBLISHED,
            title_ko=t_ko,
            title_en=t_en,
            summary_ko=s_ko,
            summary_en=s_en,
            easy_read_ko=e_ko,
            easy_read_en=e_en,
            body_ko=b_ko,
            body_en=b_en,
            field_of_life=field,
            outcome=outcome,
            decided_on=timezone.localdate() - datetime.timedelta(days=210),
            written_by=User.objects.filter(username=writers[demo_key]).first(),
            approved_by=supervisor,
            published_at=timezone.now(),
        )
        decision.grounds = grounds
        decision.save()
        decisions[key] = decision

    today = timezone.localdate()
    for (
        t_ko,
        t_en,
        dept,
        x_ko,
        x_en,
        l_ko,
        l_en,
        ground,
        ago,
        due_after,
        answer,
        a_ko,
        a_en,
        answered_after,
        implemented,
        milestones,
        decision_key,
    ) in RECOMMENDATIONS:
        if Recommendation.objects.filter(title_en=t_en).exists():
            continue
        issued = today - datetime.timedelta(days=ago)
        decision = decisions.get(decision_key) if decision_key else None
        rec = Recommendation.objects.create(
            department=departments[dept],
            title_ko=t_ko,
            title_en=t_en,
            text_ko=x_ko,
            text_en=x_en,
            legal_basis_ko=l_ko,
            legal_basis_en=l_en,
            ground=ground,
            issued_at=issued,
            response_due=issued + datetime.timedelta(days=due_after),
            complaint=decision.complaint if decision else None,
            decision=decision,
            answer=answer,
            answer_text_ko=a_ko,
            answer_text_en=a_en,
            answered_at=issued + datetime.timedelta(days=answered_after)
            if answered_after
            else None,
            implemented_at=issued + datetime.timedelta(days=160) if implemented else None,
            published=True,
        )
        Milestone.objects.bulk_create(
            [
                Milestone(
                    recommendation=rec,
                    text_ko=m_ko,
                    text_en=m_en,
                    due=issued + datetime.timedelta(days=days),
                    done_at=issued + datetime.timedelta(days=days) if done else None,
                )
                for m_ko, m_en, days, done in milestones
            ]
        )
    _index_pages()
    stdout.write(
        f"Accountability: {made} indicators, {Decision.objects.count()} decisions, "
        f"{Recommendation.objects.count()} recommendations."
    )


def _index_pages() -> None:
    """Site search reads Wagtail's index, which a background task keeps; build
    it now so the demo's pages are found before any worker ran."""
    call_command("update_index", stdout=StringIO(), stderr=StringIO())


def _decided_case(ground: str):
    decided = Complaint.objects.filter(status__in=("decided", "closed"))
    return with_grounds(decided, codes=[ground]).order_by("created_at").first()


def _link_participation() -> None:
    """The participation indicator bears on the demo consultations and petitions."""
    indicator = Indicator.objects.filter(code="PA-01").first()
    access = Indicator.objects.filter(code="AC-01").first()
    if indicator:
        indicator.consultations.set(ConsultationPage.objects.all())
        indicator.save()
    if access:
        access.petitions.set(Petition.objects.filter(title__startswith="Multilingual"))
        access.save()
